"""What the corpus says about words: IDF, generic words by document frequency, names, accent fallbacks.

Built once when a store is opened (``Lexicon.from_index``), so nothing here is a hand
list: a word is *generic* when it occurs in a large share of all agenda items (the
town's name, "kaupunki", "päätös" in a municipal corpus), and a question's *names*
are its capitalised words that are neither stopwords nor generic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.features import question_entities
from core import tokens as tk
from core.query_terms import QueryNormalizer, fold_accents, restorations

#: A token found in at least this share of all items names no topic (measured on the Lapua corpus:
#: at 0.2 the set is the town, the city, its bodies and the verbs of every decision).
GENERIC_SHARE = 0.2
#: A typo: an indexed token with the same first letters and this similarity (difflib ratio, accents
#: folded) — one or two letters off in a word of ten.
NEAR_PREFIX = 4
NEAR_RATIO = 0.8
#: Shortest verb stem that ties derived words together ("päivyst-"): shorter stems join unrelated words.
ROOT_STEM = 5
#: Fewer items than this: shares are meaningless, nothing is generic (tiny test stores).
MIN_ITEMS_FOR_DF = 50


@dataclass(frozen=True)
class Name:
    """A name asked about ("Simpsiönvuori Oy"): its words as typed, shown form, and query tokens."""

    shown: str
    tokens: frozenset[str]
    words: tuple[frozenset[str], ...] = ()  # the tokens of each word of the name (all must occur)


@dataclass
class Lexicon:
    """Corpus statistics for judging hits; ``idf`` and ``item_tokens`` come from the index."""

    idf: Callable[[str], float]
    item_tokens: Callable[[str], set[str]]
    generic: frozenset[str] = frozenset()
    vocabulary: frozenset[str] = frozenset()
    normalizer: QueryNormalizer = field(default_factory=QueryNormalizer)
    body_tokens: frozenset[str] = frozenset()
    _heads: dict[str, list[str]] | None = None

    @classmethod
    def from_index(cls, index) -> Lexicon:  # noqa: ANN001 - SearchIndex or a test double
        """Generic words from the item document frequencies of ``index``; accent fallbacks from its vocabulary."""
        generic = index.generic_terms(GENERIC_SHARE, MIN_ITEMS_FOR_DF)
        bodies = frozenset(t for b in index.bodies() for t in tk.tokenize(b))
        vocab = frozenset(index.vocab) if index.item_count() else frozenset()
        return cls(index.idf, index.item_tokens, generic, vocab, QueryNormalizer(vocab or None), bodies)

    def near_spelling(self, word: str) -> bool:
        """Whether an indexed token is a near spelling of ``word`` (a typo: "lisämääräraahaa",
        "takssaa"), compared on the accent-folded forms sharing the first letters."""
        from difflib import SequenceMatcher

        w = fold_accents(word)
        if len(w) < 5:
            return False
        if self._part_of_token(word):
            return True
        head = w[:NEAR_PREFIX]
        for t in self._by_head().get(head, ()):
            if abs(len(t) - len(w)) <= 4 and SequenceMatcher(None, w, t).ratio() >= NEAR_RATIO:
                return True
        return False

    def shares_root(self, word: str) -> bool:
        """An indexed token derived from the same verb ("päivystäjille" ← päivystää → "päivystys"):
        the word's root stem (the verb without its ending, at least ROOT_STEM letters) begins one."""
        stems = {r[:-2] for r in tk.analyze_word(word).roots
                 if len(r) - 2 >= ROOT_STEM and "teonsana" in tk.analyze_word(r).classes}
        return any(t.startswith(st) for st in stems for t in self.vocabulary)

    def _part_of_token(self, word: str) -> bool:
        """The word's base form begins or ends an indexed compound ("talvet" → talvi → "talvikausi")."""
        bases = [b for b in tk.analyze_word(word).bases if len(b) >= 4] if tk.analyze_word(word).known else []
        return any(t != b and (t.startswith(b) or t.endswith(b)) for b in bases for t in self.vocabulary)

    def _by_head(self) -> dict[str, list[str]]:
        if self._heads is None:
            heads: dict[str, list[str]] = {}
            for t in self.vocabulary:
                heads.setdefault(fold_accents(t)[:NEAR_PREFIX], []).append(fold_accents(t))
            self._heads = heads
        return self._heads

    def known(self, token: str) -> bool:
        """Whether some item of the corpus has ``token``."""
        return token in self.vocabulary

    def word_tokens(self, word: str) -> list[str]:
        """Query tokens of one word with the accent and compound fallbacks."""
        return self.normalizer.word_tokens(word)

    def names(self, question: str) -> list[Name]:
        """The names a question asks about (companies, schools, people, places), generic ones left out.

        Adjacent capitalised words form one name ("Kärkkälän Vesi Oy"); a company form
        ("Oy", "Ry") is shown with it. Stopwords ("Milloin") and generic or body words
        ("Lapuan", "Kaupunginhallitus") are not names.
        """
        # Title-case words and bare acronyms ("UPM", "YIT"): an acronym compound ("LED-valoihin") names a
        # thing, not an entity.
        named = _before_company(question)
        words = {w for w in question_entities(question)
                 if (_TITLE.match(w) or _acronym(w)) and not restorations(w.lower())
                 and (not _descriptor(w) or w in named)}
        out: list[Name] = []
        for group in _name_groups(question, words):
            drop = self.generic | self.body_tokens
            words = [frozenset(_whole(self.word_tokens(w))) - drop for w in group]
            words = [w for w in words if w]
            if words and all(tk.tokenize(w) for w in group):
                out.append(Name(_shown(question, group), frozenset().union(*words), tuple(words)))
        return out


def _before_company(question: str) -> set[str]:
    """Words written right before a company form ("Lapuan Vuokra-asunnot Oy:lle"): part of a firm's name
    whatever they look like, so a compound of common words is not taken for a descriptor there."""
    words = [m.group() for m in _WORD.finditer(question)]
    return {w for w, nxt in zip(words, words[1:], strict=False) if _COMPANY.match(nxt)}


def _descriptor(word: str) -> bool:
    """A compound whose head is a common word after a hyphen ("Airbnb-tyyppisen", "Kela-korvaus"):
    it describes a kind of thing, which minutes name in their own words, not an entity they must
    name. A hyphenated place ("Etelä-Pohjanmaan") has a proper-noun head and stays a name."""
    head = word.rsplit("-", 1)[-1] if "-" in word else ""
    if not head or not head.islower():
        return False
    readings = tk.grammar(head)
    return bool(readings) and not any(r.get("CLASS") in ("etunimi", "sukunimi", "paikannimi", "nimi") for r in readings)


def _acronym(word: str) -> bool:
    """A bare acronym the analyser does not know as a word ("UPM"; not "MITÄ" typed in capitals)."""
    return bool(_ACRONYM.fullmatch(word)) and not tk.analyze_word(word.lower()).known


def mentions_company(name: Name, text: str) -> bool:
    """For a company name ("Lapuan Vuokratalot Oy"): whether ``text`` has its last word right before a
    company form, as companies are written. Its words alone may be common nouns elsewhere ("the
    town's rental houses", "vuokratalot"), which would pass a word check for another company."""
    words = name.shown.split()
    if len(words) < 2 or not _COMPANY.match(words[-1]):
        return True  # not a company name: the word check is the whole check
    last = fold_accents(words[-2].lower())
    stem = re.escape(last[: max(4, len(last) - 2)])
    return re.search(rf"\b{stem}\w*\s+(?:oy|oyj|ab|ry|ky|tmi|osk)\b", fold_accents(text.lower())) is not None


def mentions(name: Name, toks: set[str]) -> bool:
    """Whether an item with ``toks`` mentions ``name``: every word of the name ("Lapuan Vuokratalot
    Oy" is not "Invest Lapua Oy" with "vuokratalo" elsewhere), each as one of its tokens or sharing
    a long stem with an item token (names the analyser does not know are stemmed by their ending:
    "Tiisjärventie 5:n" and "Tiisjärventiellä" differ only after the stem)."""
    return all(_word_in(group, toks) for group in name.words)


#: A name word this long may be mistyped by a letter ("Tiisjärventie" for "Tiisijärventie") and still
#: be the same name: difflib ratio on accent-folded forms (one letter off in twelve ≈ 0.96; a
#: different name of the same length shares far less).
NAME_TYPO_MIN_LEN = 8
NAME_TYPO_RATIO = 0.9


def _word_in(tokens: frozenset[str], toks: set[str]) -> bool:
    if tokens & toks:
        return True
    stems = {t[: max(5, len(t) - 3)] for t in tokens if len(t) >= 6}
    if any(t.startswith(st) for st in stems for t in toks):
        return True
    return any(_near_name(w, t) for w in tokens if len(w) >= NAME_TYPO_MIN_LEN for t in toks)


def _near_name(word: str, token: str) -> bool:
    from difflib import SequenceMatcher

    if abs(len(word) - len(token)) > 2 or fold_accents(word[:3]) != fold_accents(token[:3]):
        return False
    return SequenceMatcher(None, fold_accents(word), fold_accents(token)).ratio() >= NAME_TYPO_RATIO


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?::\w+)?")
_TITLE = re.compile(r"^[A-ZÅÄÖ][a-zåäöü]")
_ACRONYM = re.compile(r"[A-ZÅÄÖ]{2,5}")
_COMPANY = re.compile(r"^(?:oy|oyj|ab|ry|ky|tmi|osk)(?::\w+)?$", re.IGNORECASE)


def _name_groups(question: str, names: set[str]) -> list[list[str]]:
    """Runs of adjacent name words (a company form ends a run)."""
    groups: list[list[str]] = []
    run: list[str] = []
    for m in _WORD.finditer(question):
        w = m.group().split(":")[0]
        if w in names:
            run.append(w)
            continue
        if run:
            groups.append(run)
            run = []
    if run:
        groups.append(run)
    return groups


def _shown(question: str, group: list[str]) -> str:
    """The name as the answer shows it: with its company form ("Simpsiönvuori Oy"), or a lone
    known proper noun in its base form ("Lapuan" → "Lapua"); otherwise as typed."""
    tail = re.search(re.escape(group[-1]) + r"\w*\s+(Oy|Oyj|Ab|Ry|Ky|Tmi|Osk)\b", question)
    if tail:
        return " ".join([*group, tail.group(1)])
    return _base(group[0]) if len(group) == 1 else " ".join(group)


@lru_cache(maxsize=4096)
def _base(word: str) -> str:
    """The nominative of a known proper noun ("Lapuan" → "Lapua"); unknown names stay as typed."""
    readings = tk.grammar(word.lower())
    proper = [r["BASEFORM"] for r in readings if r.get("BASEFORM") and r.get("CLASS") in (
        "etunimi", "sukunimi", "paikannimi", "nimi")]
    if proper:
        return proper[0][:1].upper() + proper[0][1:]
    return word


def name_tokens(shown: str) -> frozenset[str]:
    """The tokens that say a text names ``shown`` ("Kreate Oy" → {"kreate"}): no company form, which
    any firm's name has, and no compound head ("tekniikka" of "Siltatekniikka")."""
    return frozenset(_whole(tk.tokenize(shown)))


def names_in(toks: set[str], shown: Sequence[str]) -> bool:
    """Whether a text with tokens ``toks`` names one of the names ``shown`` (the one home of this test
    for sentences; items are matched with ``mentions``)."""
    return any(name_tokens(n) & toks for n in shown)


def _whole(tokens: list[str]) -> list[str]:
    """A name word's tokens without company forms and compound heads ("talo" of "vuokratalo"):
    "Vuokratalot" is not matched by any "talo"."""
    return [t for t in tokens if not _is_shape(t) and not any(o != t and o.endswith(t) for o in tokens)]


def _is_shape(token: str) -> bool:
    return bool(_COMPANY.match(token))
