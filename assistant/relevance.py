"""Does a retrieved item answer the question? IDF-weighted coverage of the question's content words.

A wrong § is worse than no answer, so an item counts only when the words that
carry the question (weighted by rarity; a word the corpus never uses weighs
the most) appear in it, as base forms or, for half weight, as compound parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import Hit, Query

#: Coverage an item needs to count as answering (tuned on the demo and dev sets).
MIN_COVERAGE = 0.55
#: Lower bar for the dense retriever's top item (it matches meaning, not words).
DENSE_TOP_COVERAGE = 0.3
#: Base forms that every question or minutes text has; they carry no topic.
GENERIC = {
    "päättää", "päätös", "päätetty", "päättänyt", "mikä", "mitä", "kuka", "ketkä", "mitkä", "asia", "kaupunki",
    "lautakunta", "kokous", "olla", "tehdä", "ehdotus", "esittää", "käsitellä", "linjata", "koskea", "kunta",
    "paljonko", "kuinka", "milloin", "miksi", "miten", "millä", "oliko", "onko", "kaupunginhallitus",
    "kaupunginvaltuusto", "valtuusto", "hallitus", "jäsen", "toimielin", "pykälä", "entä", "lapua", "vuosi",
    "saada", "antaa", "uusi", "joku", "jokin", "se", "siitä", "sen", "niistä", "ne", "mieltä", "pitää",
    "pieni", "suuri", "iso", "hyvä", "viime", "tämä", "nykyinen", "viimeksi", "sama", "muu", "muuta",
    "viimeisin", "edellinen",
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
}
_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöüéÉ][\w\-]*", re.UNICODE)


@dataclass
class Relevance:
    """How well one hit covers the question."""

    hit: Hit
    coverage: float
    answers: bool
    words: list[list[str]] = field(default_factory=list)


def content_words(text: str, index: object | None = None) -> list[list[str]]:
    """The question's topic words, each as ``[base form, compound parts...]``, generic words removed."""
    from ingest.tokens import tokenize

    out: list[list[str]] = []
    seen: set[str] = set()
    for w in _WORD.findall(text or ""):
        forms = tokenize(w)
        if not forms:
            continue
        base = forms[0]
        if base in GENERIC or base in seen or (len(base) < 3 and not base.isdigit()):
            continue
        seen.add(base)
        out.append([base] + [f for f in forms[1:] if f not in GENERIC and len(f) >= 3])
    return out


def score_item(q: Query, hit: Hit, index: object) -> Relevance:
    """Coverage of ``q``'s content words by the hit's item (exact lookups always answer)."""
    words = content_words(q.keywords or q.text, index)
    if "exact" in hit.via:
        return Relevance(hit, 1.0, True, words)
    if not words:
        # Only filters and question words: the filtered items answer when the filter is narrow.
        ok = q.has_filters() and "filter" in hit.via or bool(q.sections or q.case_ids)
        return Relevance(hit, 1.0 if ok else 0.0, ok, words)
    toks = index.item_tokens(hit.item.item_id)  # type: ignore[attr-defined]
    total = 0.0
    got = 0.0
    for forms in words:
        weight = index.idf(forms[0])  # type: ignore[attr-defined]
        total += weight
        if forms[0] in toks:
            got += weight
        elif any(s in toks for s in SYNONYMS.get(forms[0], ())):
            got += 0.8 * weight
        elif len(forms) > 1 and any(f in toks for f in forms[1:]):
            got += 0.5 * weight
        elif _prefix_hit(forms[0], toks) or _stem_hit(forms[0], toks):
            got += 0.5 * weight
    coverage = got / total if total else 0.0
    # Dense search's first pick with a fair share of the words: a paraphrase, not a miss.
    answers = coverage >= MIN_COVERAGE or (hit.dense_rank == 1 and hit.fused_rank == 1
                                           and coverage >= DENSE_TOP_COVERAGE)
    return Relevance(hit, coverage, answers, words)


def _stem_hit(base: str, toks: set[str]) -> bool:
    """Same long stem (``lakkauttaa`` ~ ``lakkautui``): words the analyser did not know."""
    if len(base) < 8:
        return False
    stem = base[: max(7, len(base) - 3)]
    return any(t.startswith(stem) for t in toks)


def _prefix_hit(base: str, toks: set[str]) -> bool:
    """A long base form that starts a token (compound the analyser did not split)."""
    if len(base) < 6:
        return False
    return any(t.startswith(base) for t in toks if len(t) > len(base))
