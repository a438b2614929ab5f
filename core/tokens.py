"""Finnish tokenizer for the lexical index and for questions.

``tokenize(text)`` returns lowercase base forms plus compound heads with
stopwords removed, so that inflected forms meet their base forms
("uimahallin" → ``uimahalli``, ``halli``) both at ingest and at query time.

Backends, best first:

* ``voikko`` — libvoikko morphological analysis (base forms + compound
  structure); words Voikko does not know are stemmed with PyStemmer.
* ``simplemma`` — dictionary lemmatizer (no compound heads); its Finnish
  dictionary loads lazily on first use (a few seconds).
* ``stemmer`` — PyStemmer Snowball Finnish stems.
* ``identity`` — lowercase words only (none of the above importable).

The backend is chosen once at import; ``select_backend()`` switches it (tests,
benchmarks). An index must be queried with the tokenizer that built it:
store ``signature()`` with the index and compare it when loading.

Numbers are kept: thousands separators are removed ("850 000" and
"850.000,00" → ``850000``), dates lose leading zeros ("04.03.2025" →
``4.3.2025``), case IDs ("LAPDno-2025-262" → ``lapdno-2025-262``) and diary
numbers ("1637/00.01.02.06/2025") stay single tokens.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from core import language

logger = logging.getLogger(__name__)

__all__ = [
    "BACKEND", "PROPER_CLASSES", "STOPWORDS", "WordAnalysis", "analyze_word", "grammar", "lemmas",
    "select_backend", "signature", "token_matches", "tokenize", "tokenize_many",
]

BACKENDS = ("voikko", "simplemma", "stemmer", "identity")
TOKENIZER_VERSION = 2  # 2: past participles are tokens of their verb
MIN_HEAD_LEN = 3  # shortest compound head emitted as its own token ("tie", "kuu")
# Which compound parts become tokens: "none", "heads" (right-hand tails: "lautakunta",
# "kunta") or "all" (heads + base forms of the left parts: "tarkastus"). Measured in
# bench/tokens.py --retrieval; change only together with TOKENIZER_VERSION.
COMPOUNDS = "heads"
_CACHE_SIZE = 1 << 18

# Base forms that carry no topic. Question words and grammar words only: minutes
# vocabulary ("päätös", "ehdotus", "kaupunki", "lautakunta") is left to BM25's IDF,
# which measured better than removing it (see bench/tokens.py --retrieval).
STOPWORDS: frozenset[str] = frozenset("""
ja sekä tai eli että kun jos koska mutta vaan vai kuin niin myös sekä-että joko
mikäli vaikka jotta sillä kuten
olla ei älä
se ne tämä nämä tuo nuo hän he minä sinä me te itse joka mikä kuka ken jokin joku
jompikumpi kukaan mikään kumpi kumpikin muu moni jokainen kaikki
mitä missä mistä mihin milloin miten miksi millainen paljonko montako kuinka
onko oliko eikö
nyt jo vielä sitten siten kuitenkin myöskin vain aina ollenkaan jälkeen ennen
kanssa mukaan osalta osa välillä aikana asti saakka lähtien alkaen noin yli alle
tulla voida pitää saada
a b c d e f g h i j k l m n o p q r s t u v w x y z å ä ö
""".split())

_DASH_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

# Order matters: the first alternative that matches at a position wins. Every alternative starts
# with a letter or digit; the leading look-ahead rejects other positions (spaces, punctuation)
# with one test instead of trying all eight alternatives and their look-behinds.
_TOKEN_RE = re.compile(
    r"""
    (?=[^\W_])
    (?:(?P<case>(?<![\w-])[a-zäö]{2,}dno-\d{4}-\d+)                 # LAPDno-2025-262
    |(?P<diary>(?<![\w/])\d{1,6}/\d{2}(?:\.\d{2})*/\d{4}(?!\d))   # 1637/00.01.02.06/2025
    |(?P<date>(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?!\d))            # 4.3.2025, 04.03.2025
    |(?P<grouped>(?<![\d.,])\d{1,3}(?:(?:[ \u00a0\u202f]|\.(?=\d{3}(?!\d)))\d{3}(?!\d))+(?:,\d+)?)
    |(?P<code>(?<![\d])\d+(?:[-:/]\d+)+)                           # 8:129, 408-404-8-129, 2025-2030
    |(?P<alnum>(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+)       # E5, CO2, 5G
    |(?P<num>\d+(?:,\d+)?)
    |(?P<word>(?<!:)(?<![^\W_])[^\W\d_]+(?:[-:'’][^\W\d_]+)*))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ROOT_RE = re.compile(r"\(([^+()][^()]*)\)")  # "(esittää)" in "+esittä(esittää)+n+yt(+yt)"
# Voikko reads a past participle as an adjective with its own base form ("päätetty"), so "on päätetty"
# and "päätettiin" would be different words and the participle would look rare (high IDF). Tokens of a
# word that is a participle in every reading are its verb's (see ``_word_out``).
_PAST_PARTICIPLES = ("past_passive", "past_active")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)+")


class WordAnalysis(NamedTuple):
    """What the active backend knows about one lowercase word."""

    bases: tuple[str, ...]  # base forms (lemmas), most likely first
    parts: tuple[str, ...]  # compound parts, e.g. "lautakunta", "kunta" for "tarkastuslautakunta"
    classes: tuple[str, ...]  # Voikko word classes ("nimisana", "teonsana", …); () when unknown
    known: bool  # False: unknown to the dictionary, bases are a stem or the word itself
    roots: tuple[str, ...] = ()  # Voikko WORDBASES roots, e.g. "esittää" for the participle "esittänyt"
    # The verbs of a word that is a past participle in every reading ("päätetty", "myöntänyt" →
    # "päättää", "myöntää"); () otherwise ("valtuutettu" is also a noun and stays itself).
    participle_of: tuple[str, ...] = ()


BACKEND: str = "identity"
_voikko: Any = None
_voikko_lock = threading.Lock()
_stemmer: Any = None
_simplemma: Any = None


def _load_stemmer() -> Any:
    try:
        import Stemmer  # PyStemmer

        return Stemmer.Stemmer("finnish")
    except Exception:  # noqa: BLE001 - any failure means "no stemmer"
        return None


def _try_voikko() -> Any:
    try:
        from libvoikko import Voikko

        v = Voikko("fi")
        v.analyze("testi")
        return v
    except Exception as e:  # noqa: BLE001 - ImportError, OSError, VoikkoException
        logger.info("Voikko not available (%s)", e)
        return None


def _simplemma_importable() -> bool:
    try:
        import simplemma  # noqa: F401

        return True
    except Exception:  # noqa: BLE001
        return False


def select_backend(name: str | None = None) -> str:
    """Choose the backend (``None``: best available) and clear the caches.

    Args:
        name: one of ``BACKENDS`` or None.
    Returns:
        The active backend name (also in ``core.tokens.BACKEND``).
    Raises:
        ValueError: unknown name, or the named backend is not available.
    """
    global BACKEND, _voikko, _stemmer, _simplemma
    if name is not None and name not in BACKENDS:
        raise ValueError(f"unknown tokenizer backend {name!r}; valid: {', '.join(BACKENDS)}")
    stemmer = _load_stemmer()
    voikko = _try_voikko() if name in (None, "voikko") else None
    available = {
        "voikko": voikko is not None,
        "simplemma": name in (None, "simplemma") and _simplemma_importable(),
        "stemmer": stemmer is not None,
        "identity": True,
    }
    if name is not None and not available[name]:
        hint = {"voikko": "libvoikko + voikko-fi", "simplemma": "pip install simplemma",
                "stemmer": "pip install pystemmer"}[name]
        raise ValueError(f"tokenizer backend {name!r} is not available ({hint})")
    chosen = name or next(b for b in BACKENDS if available[b])
    _analyze_cached.cache_clear()
    _word_out.cache_clear()
    grammar.cache_clear()
    BACKEND, _voikko, _stemmer, _simplemma = chosen, voikko, stemmer, None
    logger.info("Finnish tokenizer backend: %s", BACKEND)
    if BACKEND != "voikko" and name is None:
        logger.warning("Voikko unavailable; Finnish tokenizer falls back to %s", BACKEND)
    return BACKEND


def signature() -> str:
    """Identifies the tokenizer output, e.g. ``voikko/1+sv1``; store it beside an index."""
    sig = f"{BACKEND}/{TOKENIZER_VERSION}"
    sig = sig if COMPOUNDS == "heads" else f"{sig}/{COMPOUNDS}"
    return f"{sig}+{language.SIGNATURE}"  # Swedish items are stemmed by core.language


def _stem(word: str) -> str:
    return _stemmer.stemWord(word) if _stemmer is not None else word


def _compound_parts(surface: str, base: str, structure: str) -> list[str]:
    """Tails of ``base`` starting at each inner compound boundary of ``structure``.

    Voikko's STRUCTURE has one symbol per surface character plus ``=`` before
    each compound part, so boundary i in the surface is also boundary i in the
    base form as long as the two agree up to it.
    """
    starts: list[int] = []
    pos = 0
    for ch in structure:
        if ch == "=":
            starts.append(pos)
        else:
            pos += 1
    parts: list[str] = []
    if COMPOUNDS == "none":
        return parts
    for s in starts[1:]:
        if s > len(base) or base[:s] != surface[:s]:
            continue
        tail = base[s:].lstrip("-")
        if len(tail) >= MIN_HEAD_LEN and tail != base:
            parts.append(tail)
    if COMPOUNDS == "all":
        bounds = [*starts, len(surface)]
        for a, b in zip(bounds[:-2], bounds[1:-1], strict=True):
            piece = surface[a:b].strip("-")
            if len(piece) >= MIN_HEAD_LEN:
                with _voikko_lock:
                    sub = _voikko.analyze(piece)
                if sub and sub[0].get("BASEFORM"):
                    parts.append(sub[0]["BASEFORM"].lower())
    return parts


def _analyze_voikko(word: str) -> WordAnalysis:
    with _voikko_lock:
        analyses = _voikko.analyze(word)
    bases: list[str] = []
    heads: list[str] = []
    classes: list[str] = []
    roots: list[str] = []
    verbs: list[str] = []
    for a in analyses:
        found = [r.lower() for r in _ROOT_RE.findall(a.get("WORDBASES") or "")]
        if a.get("PARTICIPLE") in _PAST_PARTICIPLES and found and found[-1] not in verbs:
            verbs.append(found[-1])  # the verb is the last root: "+kaupungin(kaupunki)+valtuute(valtuuttaa)…"
        for r in found:
            if r.lower() not in roots:
                roots.append(r.lower())
        base = (a.get("BASEFORM") or word).lower()
        if base not in bases:
            bases.append(base)
        cls = a.get("CLASS")
        if cls and cls not in classes:
            classes.append(cls)
        for h in _compound_parts(word, base, a.get("STRUCTURE") or ""):
            if h not in heads and h not in bases:
                heads.append(h)
    if not bases:
        return WordAnalysis((_stem(word),), (), (), False)
    every_participle = all(a.get("PARTICIPLE") in _PAST_PARTICIPLES for a in analyses)
    return WordAnalysis(tuple(bases[:3]), tuple(h for h in heads if h not in bases), tuple(classes), True,
                        tuple(roots), tuple(verbs) if every_participle else ())


def _analyze_simplemma(word: str) -> WordAnalysis:
    global _simplemma
    if _simplemma is None:
        import simplemma

        _simplemma = simplemma
    lemma = _simplemma.lemmatize(word, lang="fi").lower()
    return WordAnalysis((lemma,), (), (), lemma != word)


@lru_cache(maxsize=_CACHE_SIZE)
def _analyze_cached(word: str) -> WordAnalysis:
    if BACKEND == "voikko":
        return _analyze_voikko(word)
    if BACKEND == "simplemma":
        return _analyze_simplemma(word)
    if BACKEND == "stemmer":
        return WordAnalysis((_stem(word),), (), (), False)
    return WordAnalysis((word,), (), (), False)


def analyze_word(word: str) -> WordAnalysis:
    """Analyse one word (any case) with the active backend; cached per lowercase word."""
    return _analyze_cached(word.lower())


_GRAMMAR_KEYS = ("BASEFORM", "CLASS", "SIJAMUOTO", "NUMBER", "COMPARISON", "KYSYMYSLIITE", "MOOD", "TENSE")


@lru_cache(maxsize=1 << 14)
def grammar(word: str) -> tuple[dict[str, str], ...]:
    """Voikko's readings of one word as small dicts (base form, class, case, number,
    comparison, question clitic, mood, tense); ``()`` for unknown words or without Voikko.

    Used by question analysis (``assistant.answer_type``) to read grammar instead of
    listing surface forms. Treat the dicts as read-only (they are cached).
    """
    if BACKEND != "voikko":
        return ()
    with _voikko_lock:
        analyses = _voikko.analyze(word)
    return tuple({k: a[k] for k in _GRAMMAR_KEYS if a.get(k)} for a in analyses)


#: Voikko's classes of proper nouns: a first name, a surname, a place, another name.
PROPER_CLASSES = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})


@lru_cache(maxsize=1 << 12)
def suggestions(word: str) -> tuple[str, ...]:
    """Voikko's spelling suggestions for a word it does not know, most likely first, one word each
    ("urheiljoiden" → "urheilijoiden", "tyontekijat" → "työntekijät"); ``()`` without Voikko."""
    if BACKEND != "voikko" or not word.isalpha():
        return ()
    with _voikko_lock:
        if _voikko.spell(word):
            return ()
        found = _voikko.suggest(word)
    return tuple(dict.fromkeys(w.lower() for w in found if w.isalpha() or "-" in w.strip("-")))


def lemmas(word: str) -> tuple[str, ...]:
    """Lowercase base forms of one word (a stem or the word itself when unknown)."""
    return _analyze_cached(word.lower()).bases


def _normalize_number(s: str) -> str:
    s = re.sub(r"[ .\u00a0\u202f]", "", s)
    if "," in s:
        whole, frac = s.split(",", 1)
        s = whole if set(frac) <= {"0"} else f"{whole},{frac}"
    return s


def _normalize_date(s: str) -> str:
    d, m, y = s.split(".")
    return f"{int(d)}.{int(m)}.{y}"


@lru_cache(maxsize=_CACHE_SIZE)
def _word_out(word: str) -> tuple[str, ...]:
    """Index tokens of one lowercase word (cached: the hot path of ``tokenize``)."""
    a = _analyze_cached(word)
    bases = a.participle_of or a.bases
    if word in STOPWORDS or any(b in STOPWORDS for b in bases):
        return ()
    if not a.known and ("-" in word or ":" in word):
        head = word.split(":", 1)[0]
        parts = [p for p in head.split("-") if p]
        if len(parts) > 1:
            return tuple(t for p in parts for t in _word_out(p))
        if parts and parts[0] != word:
            return _word_out(parts[0])
    return bases + a.parts


def token_matches(text: str) -> Iterator[tuple[str, str]]:
    """``(kind, lowercase text)`` of every token candidate: kind is ``word``, ``date``, ``num`` …

    The scanner :func:`tokenize` uses; query-side normalisation (``core.query_terms``)
    walks the same words.
    """
    text = _INVISIBLE.sub("", _DASH_RE.sub("-", text))
    for m in _TOKEN_RE.finditer(text):
        yield str(m.lastgroup), m.group().lower()


def tokenize(text: str, lang: str = "fi") -> list[str]:
    """Lowercase base forms + compound heads of ``text``, stopwords removed.

    ``lang="sv"``: words are Swedish stems from ``core.language`` (numbers, dates
    and case IDs as in Finnish).

    >>> tokenize("Kaupunginhallitus hyväksyi uimahallin pääpiirustukset 850 000 eurolla")  # doctest: +SKIP
    ['kaupunginhallitus', 'hallitus', 'hyväksyä', 'uimahalli', 'halli', 'pääpiirustus', …, '850000', 'euro']
    """
    out: list[str] = []
    word_out = language.word_analyser(lang) or _word_out  # type: ignore[arg-type]
    for kind, tok in token_matches(text):
        if kind == "word":
            out.extend(word_out(tok))
        elif kind == "date":
            out.append(_normalize_date(tok))
        elif kind == "grouped" or kind == "num":
            out.append(_normalize_number(tok))
        elif kind == "code" and _YEAR_RANGE.fullmatch(tok):
            out.extend(tok.split("-"))
        elif kind == "alnum":
            if len(tok) > 1:
                out.append(tok)
        else:  # case, diary, code
            out.append(tok)
    return out


def tokenize_many(texts: list[str]) -> list[list[str]]:
    """``tokenize`` over many texts (the per-word cache makes repeats cheap)."""
    return [tokenize(t) for t in texts]


def _cache_info() -> Any:
    """lru_cache statistics of the word analyser (for benchmarks)."""
    return _analyze_cached.cache_info()


select_backend()
