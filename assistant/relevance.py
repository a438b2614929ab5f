"""Does a retrieved item answer the question? IDF-weighted coverage of the question's content words.

A wrong § is worse than no answer, so an item counts only when the words that
carry the question (weighted by rarity; a word the corpus never uses weighs
the most) appear in it, as base forms or, for half weight, as compound parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from assistant.types import Candidates, Evidence, Hit, Query, Relevance

#: Coverage an item needs to count as answering (tuned on the demo and dev sets).
MIN_COVERAGE = 0.55
#: Lower bar for the dense retriever's top item (it matches meaning, not words).
DENSE_TOP_COVERAGE = 0.3
#: A word this rare (IDF; appears in under ~3% of passages) must be matched for an item to answer.
RARE_IDF = 3.5
#: Base forms that every question or minutes text has; they carry no topic.
GENERIC = {
    "päättää", "päätös", "päätetty", "päättänyt", "mikä", "mitä", "kuka", "ketkä", "mitkä", "asia", "kaupunki",
    "lautakunta", "kokous", "olla", "tehdä", "ehdotus", "esittää", "käsitellä", "linjata", "koskea", "kunta",
    "paljonko", "kuinka", "milloin", "miksi", "miten", "millä", "oliko", "onko", "kaupunginhallitus",
    "kaupunginvaltuusto", "valtuusto", "hallitus", "jäsen", "toimielin", "pykälä", "entä", "lapua", "vuosi",
    "saada", "antaa", "uusi", "joku", "jokin", "se", "siitä", "sen", "niistä", "ne", "mieltä", "pitää",
    "pieni", "suuri", "iso", "hyvä", "viime", "tämä", "nykyinen", "viimeksi", "sama", "muu", "muuta",
    "viimeisin", "edellinen", "ensi", "sanoa", "kertoa", "tietää", "hoitaa", "seurata", "seuraava", "alkaen",
    "käsitelty", "tehty", "hyväksytty", "myönnetty", "eri", "koskien", "liittyvä", "koskeva",
}
#: Everyday words and the words minutes use for the same thing (both directions are looked up).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "remontti": ("peruskorjaus", "korjaus", "saneeraus", "kunnostus", "remontointi"),
    "korjata": ("peruskorjaus", "korjaus", "kunnostus", "saneeraus"),
    "katuvalo": ("katuvalaistus", "valaistus", "valaisin"),
    "auraus": ("talvikunnossapito", "kunnossapito", "lumityö"),
    "aurata": ("talvikunnossapito", "kunnossapito"),
    "maksaa": ("hinta", "kustannus", "kustannusarvio", "euro", "kauppahinta"),
    "kustannus": ("hinta", "kustannusarvio", "euro", "määräraha"),
    "hinta": ("kauppahinta", "euro", "kustannus"),
    "raha": ("määräraha", "euro", "avustus"),
    "lakkauttaa": ("lakkautus", "lakkauttaminen", "sulkeminen", "lakkautua"),
    "lakkauttaminen": ("lakkautus", "lakkauttaa", "sulkeminen", "lakkautua"),
    "kyläkoulu": ("alakoulu", "kouluverkko", "palveluverkko"),
    "sulkea": ("lakkautus", "lakkauttaa", "sulkeminen"),
    "palkata": ("valita", "virka", "rekrytointi"),
    "johtaja": ("päällikkö",),
    "tontti": ("kiinteistö", "määräala"),
    "myydä": ("myynti", "kauppa"),
    "ostaa": ("hankinta", "kauppa", "osto"),
    "budjetti": ("talousarvio", "määräraha"),
    "koulu": ("koulu", "perusopetus", "kouluverkko"),
    "päiväkoti": ("varhaiskasvatus", "päiväkoti"),
    "nopeusrajoitus": ("nopeus", "rajoitus"),
    "koulukyyti": ("koulukuljetus", "kuljetus", "kuljetusetu"),
    "äänestää": ("äänestys", "jaa-ääni", "ei-ääni"),
    "ikäihminen": ("vanhus", "eläkeläinen", "ikääntynyt", "seniori", "vuotias"),
    "ilmainen": ("maksuton",),
    "kiinni": ("suljettu", "sulkea", "suljettuna"),
    "toimintakate": ("toimintakate", "tilinpäätös"),
    "maksuton": ("ilmainen",),
    "kyyti": ("kuljetus", "koulukuljetus"),
    "koululainen": ("oppilas", "koulu"),
    "budjetoida": ("talousarvio", "määräraha", "budjetti"),
    "budjetoitu": ("talousarvio", "määräraha"),
    "säästää": ("säästö", "säästyä", "vähentyä"),
    "säästö": ("säästää", "säästyä"),
}
def expand_synonyms(tokens: list[str]) -> list[str]:
    """Query tokens plus the minutes' words for the same things ("koulukyyti" → "koulukuljetus")."""
    out = list(tokens)
    for t in tokens:
        out.extend(s for s in SYNONYMS.get(t, ()) if s not in out)
    return out


_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöüéÉ][\w\-]*", re.UNICODE)


#: Leading hits judged for an answer.
JUDGED = 10


class TermStats(Protocol):
    """Corpus statistics the judgement needs (the search index provides them)."""

    def idf(self, token: str) -> float: ...

    def item_tokens(self, item_id: str) -> set[str]: ...


def weigh(cands: Candidates, stats: TermStats) -> Evidence:
    """Judge the leading candidates of one query (pure given the corpus statistics)."""
    hits = _prefer_minutes(cands.hits)
    q = cands.query
    judged = tuple(score_item(q, h, stats) for h in hits[:JUDGED])
    return Evidence(cands, hits, judged, bool(content_words(q.keywords)))


def _prefer_minutes(hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """Drop an agenda item when the minutes of the same meeting and § were retrieved too."""
    minutes = {(h.item.municipality, h.item.body, h.item.date, h.item.section) for h in hits
               if h.item.kind == "minutes"}
    return tuple(h for h in hits if h.item.kind == "minutes"
                 or (h.item.municipality, h.item.body, h.item.date, h.item.section) not in minutes)


def content_words(text: str) -> list[list[str]]:
    """The question's topic words, each as ``[base form, compound parts...]``, generic words removed."""
    from core.tokens import tokenize

    out: list[list[str]] = []
    seen: set[str] = set()
    for w in _WORD.findall(text or ""):
        forms = tokenize(w)
        if not forms:
            continue
        forms = _prefer_noun_base(w, forms)
        base = forms[0]
        if base in GENERIC or base in seen or (len(base) < 3 and not base.isdigit()):
            continue
        seen.add(base)
        out.append([base] + [f for f in forms[1:] if f not in GENERIC and len(f) >= 3])
    return out


def _prefer_noun_base(word: str, forms: list[str]) -> list[str]:
    """With two readings ("uimahallista": uimahallinen / uimahalli) lead with the noun's base form."""
    from core.tokens import analyze_word

    a = analyze_word(word)
    if len(a.bases) < 2:
        return forms
    nouns = [b for b, c in zip(a.bases, a.classes, strict=False) if c in ("nimisana", "erisnimi")]
    if not nouns or nouns[0] == forms[0]:
        return forms
    return [nouns[0]] + [f for f in forms if f != nouns[0]]


def score_item(q: Query, hit: Hit, stats: TermStats) -> Relevance:
    """Coverage of ``q``'s content words by the hit's item (exact lookups always answer)."""
    words = tuple(tuple(w) for w in content_words(q.keywords or q.text))
    if "exact" in hit.via:
        return Relevance(hit, 1.0, True, words)
    if not words:
        # Only filters and question words: the filtered items answer when the filter is narrow.
        ok = q.has_filters() and "filter" in hit.via or bool(q.sections or q.case_ids)
        return Relevance(hit, 1.0 if ok else 0.0, ok, words)
    toks = stats.item_tokens(hit.item.item_id)
    total = 0.0
    got = 0.0
    rare_total = rare_got = 0.0  # the question's rare nouns: the things it is about
    for forms in words:
        weight = stats.idf(forms[0])
        total += weight
        m = word_match(forms, toks)
        got += m * weight
        if weight >= RARE_IDF and _is_noun(forms[0]):
            rare_total += weight
            rare_got += weight if _specific_match(forms, toks) else 0.0
    coverage = got / total if total else 0.0
    # The things asked about must be there: "paloasema" is not "tontti". With several rare
    # nouns, half of them (by weight) will do ("kiinteistöveroprosentit eri kiinteistötyypeille").
    specific_ok = rare_total == 0 or rare_got >= 0.5 * rare_total
    # Dense search's first pick with a fair share of the words: a paraphrase, not a miss.
    answers = specific_ok and (coverage >= MIN_COVERAGE or (
        hit.dense_rank == 1 and hit.fused_rank == 1 and coverage >= DENSE_TOP_COVERAGE))
    return Relevance(hit, coverage, answers, words)


def _specific_match(forms: Sequence[str], toks: set[str]) -> bool:
    """A match that keeps the word's meaning: base form, synonym, stem, or a long compound part."""
    base = forms[0]
    if base in toks or any(s in toks for s in SYNONYMS.get(base, ())):
        return True
    if _prefix_hit(base, toks) or _stem_hit(base, toks):
        return True
    return _roots_present(base, toks)


def _is_noun(base: str) -> bool:
    """The specific-word rule is for things (nouns): verbs and unknown forms vary too much."""
    from core.tokens import analyze_word

    a = analyze_word(base)
    return a.known and any(c in ("nimisana", "erisnimi", "nimisana_laatusana") for c in a.classes)


def _roots_present(base: str, toks: set[str]) -> bool:
    """Every root of a compound starts some item token (``vuoromaksu`` ~ vuoro … maksu)."""
    from core.tokens import analyze_word

    roots = [r for r in analyze_word(base).roots if len(r) >= 3]
    if len(roots) < 2:
        return False
    stems = [r[: max(3, len(r) - 2)] for r in roots]
    return all(any(t.startswith(st) for t in toks) for st in stems)


def word_match(forms: Sequence[str], toks: set[str]) -> float:
    """How well one question word (base form, then compound parts) is present in ``toks`` (0–1)."""
    base = forms[0]
    if base in toks:
        return 1.0
    if any(s in toks for s in SYNONYMS.get(base, ())):
        return 0.8
    if len(forms) > 1 and any(f in toks for f in forms[1:]):
        return 0.5
    if any(s in toks for f in forms[1:] for s in SYNONYMS.get(f, ())):
        return 0.4
    if _prefix_hit(base, toks) or _stem_hit(base, toks):
        return 0.5
    return 0.0


def _stem_hit(base: str, toks: set[str]) -> bool:
    """Same long stem (``lakkauttaa`` ~ ``lakkautui``): words the analyser did not know."""
    if len(base) < 8:
        return False
    stem = base[: max(7, len(base) - 3)]
    return any(t.startswith(stem) for t in toks)


def _prefix_hit(base: str, toks: set[str]) -> bool:
    """A long base form that starts a token (compound the analyser did not split)."""
    if len(base) < 5:
        return False
    return any(t.startswith(base) for t in toks if len(t) >= len(base) + 4)
