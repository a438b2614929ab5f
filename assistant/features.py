"""Retrieval features of one question for the answerability model.

Everything here is already computed by retrieval (BM25 and dense passage lists, the
fused top item) or cheap to derive from the index (IDF, an item's tokens):

* ``bm25_top`` — the best BM25 passage score divided by the summed IDF of the query's
  indexed tokens, so questions of different lengths are comparable;
* ``dense_z`` — how far the item's best passage similarity stands out from the other judged
  items' (its z-score among them): raw cosines depend on the embedder (e5 puts nearly every
  passage between 0.80 and 0.90, a test embedder anywhere), their spread for one question does not;
* ``coverage`` — IDF-weighted share of the question's words found in the top item
  (a word counts when any of its query tokens — accent and compound fallbacks
  included — is among the item's tokens);
* ``rank_agreement`` — mean reciprocal rank of the top item in the lexical and the dense
  item rankings (1.0: first on both sides; 0 where a side does not have it);
* ``entity_match`` — share of the names in the question (capitalised words, company
  names before "Oy" …) whose tokens occur in the top item; 1.0 when the question names none;
* ``type_match`` — 1.0 when a sentence of the top item holds a value of the asked type
  (:func:`assistant.answer_type.matches`), else 0.0;
* ``year_match`` — 1.0 when the question names no year, or the item was decided in a year it
  names or mentions one ("opintomatka 2024", "kiinteistöveroprosentti vuonna 2027"), else 0.0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from assistant.answer_type import Wanted, detect, matches
from core import tokens as tk
from core.items import AgendaItem
from core.query_terms import QueryNormalizer

FEATURE_NAMES = ("bm25_top", "dense_z", "coverage", "rank_agreement", "entity_match", "type_match", "year_match")

#: (item_id, score, passage row) as ``SearchIndex.lexical`` / ``SearchIndex.dense`` return them.
Ranked = Sequence[tuple[str, float, int]]

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_COMPANY_FORMS = re.compile(r"\b(?:oy|oyj|ab|ry|ky|tmi|osk)\b", re.IGNORECASE)


class IndexView(Protocol):
    """What features need from the index (``assistant.index.SearchIndex`` has it)."""

    def idf(self, token: str) -> float: ...

    def item_tokens(self, item_id: str) -> set[str]: ...


@dataclass(frozen=True)
class Features:
    """One question's features; see the module docstring for each."""

    bm25_top: float
    dense_z: float
    coverage: float
    rank_agreement: float
    entity_match: float
    type_match: float
    year_match: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def vector(self) -> list[float]:
        return [float(getattr(self, n)) for n in FEATURE_NAMES]


def question_entities(question: str) -> list[str]:
    """Names in a question: capitalised words after the first word, a first word that the
    analyser reads as a proper name or does not know, and the word before a company form
    ("Kärkkälän Vesi Oy" → "Kärkkälän", "Vesi")."""
    words = [(m.group(), m.start()) for m in _WORD.finditer(question)]
    out: list[str] = []
    for i, (w, _start) in enumerate(words):
        if _COMPANY_FORMS.fullmatch(w):
            continue
        if not w[0].isupper():
            continue
        readings = tk.grammar(w)
        proper = any(r.get("CLASS") in tk.PROPER_CLASSES for r in readings)
        # A first word is capitalised anyway; it is a name when it is one, or when a company form follows
        # it ("Infrarakenne Oy:n urakat": keywords start where the question word was dropped).
        firm = i + 1 < len(words) and _COMPANY_FORMS.fullmatch(words[i + 1][0])
        if i > 0 or proper or firm or (not readings and tk.BACKEND == "voikko"):
            out.append(w)
    return list(dict.fromkeys(out))


#: A year as a word of its own: not inside a date ("11.12.2024"), a case ID ("LAPDno-2025-514") or a number.
_YEAR = re.compile(r"(?<![\d.,/-])(?:19[5-9]\d|20[0-4]\d)(?![\d,/-])(?!\.\d)")
#: Characters of an item searched for a year the question names (the matter is stated first).
YEAR_SCAN_CHARS = 6000


def question_years(question: str) -> frozenset[str]:
    """The years a question names."""
    return frozenset(_YEAR.findall(question))


#: A span of years ("2027–2028", "2025-2029"): each year between counts as named.
_YEAR_SPAN = re.compile(r"(?<![\d.,/-])((?:19|20)\d\d)\s?[-–]\s?((?:19|20)\d\d)(?![\d,/-])")


def years_in(text: str) -> frozenset[str]:
    """The years ``text`` names as words of their own, a span giving every year in it."""
    out = set(_YEAR.findall(text))
    for a, b in _YEAR_SPAN.findall(text):
        if 0 < int(b) - int(a) <= 10:
            out.update(str(y) for y in range(int(a), int(b) + 1))
    return frozenset(out)


def year_match(years: frozenset[str], item: AgendaItem) -> float:
    """1.0 when ``years`` is empty, or the item was decided in one of them or mentions one."""
    if not years:
        return 1.0
    if item.date[:4] in years:
        return 1.0
    text = " ".join(p[:YEAR_SCAN_CHARS] for p in (item.title, item.decision, item.proposal, item.body_text) if p)
    return 1.0 if any(y in text for y in years) else 0.0


#: Floor of the spread in ``standout``: a list of near-equal similarities makes no item stand out.
MIN_SPREAD = 1e-3


def standout(sims: Sequence[float], i: int) -> float:
    """``sims[i]`` as a z-score among the others; NaN (not measured: the model gives it no weight)
    with fewer than two others, as when a narrow filter leaves two items."""
    others = [s for j, s in enumerate(sims) if j != i]
    if len(others) < 2:
        return float("nan")
    mean = sum(others) / len(others)
    spread = (sum((s - mean) ** 2 for s in others) / len(others)) ** 0.5
    return (sims[i] - mean) / max(spread, MIN_SPREAD)


def _rank_of(item_id: str, ranked: Ranked) -> int | None:
    seen: list[str] = []
    for iid, _s, _r in ranked:
        if iid not in seen:
            seen.append(iid)
        if iid == item_id:
            return len(seen)
    return None


def _item_sentences(item: AgendaItem) -> list[str]:
    text = "\n".join(p for p in (item.decision, item.proposal, item.body_text, item.votes, item.text) if p)
    return [s for s in _SENTENCE.split(text) if s.strip()]


def coverage(question: str, item_tokens: set[str], idf: Callable[[str], float],
             normalizer: QueryNormalizer) -> float:
    """IDF-weighted share of the question's words that occur in ``item_tokens``."""
    total = got = 0.0
    for kind, word in tk.token_matches(question):
        group = normalizer.word_tokens(word) if kind == "word" else tk.tokenize(word)
        if not group:
            continue  # a stopword
        weight = max(idf(t) for t in group)
        total += weight
        if any(t in item_tokens for t in group):
            got += weight
    return got / total if total else 0.0


def compute_features(question: str, top: AgendaItem | None, lexical: Ranked, dense: Ranked, index: IndexView,
                     *, query_tokens: Sequence[str] | None = None, normalizer: QueryNormalizer | None = None,
                     wanted: Wanted | None = None) -> Features:
    """Features of ``question`` given the fused top item and the raw lexical and dense passage lists.

    Args:
        question: the question text (as searched: after follow-up resolution).
        top: the fused first item (``None``: nothing retrieved → all-zero features).
        lexical, dense: passage hits from ``SearchIndex.lexical`` / ``SearchIndex.dense``.
        index: IDF and item tokens.
        query_tokens: the tokens BM25 was queried with (default: ``tokenize(question)``).
        normalizer: accent/compound fallbacks (default: one without a vocabulary).
        wanted: the detected answer type (default: :func:`assistant.answer_type.detect`).
    """
    if top is None:
        return Features(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    normalizer = normalizer or QueryNormalizer()
    toks = list(dict.fromkeys(query_tokens if query_tokens is not None else tk.tokenize(question)))
    idf_sum = sum(index.idf(t) for t in toks) or 1.0
    bm25_top = max((s for _i, s, _r in lexical), default=0.0) / idf_sum
    best: dict[str, float] = {}
    for iid, sim, _r in dense:
        best[iid] = max(sim, best.get(iid, sim))
    ids = list(best)
    dense_z = standout([best[i] for i in ids], ids.index(top.item_id)) if top.item_id in best else float("nan")
    item_toks = index.item_tokens(top.item_id)
    ranks = [_rank_of(top.item_id, lexical), _rank_of(top.item_id, dense)]
    agreement = sum(1.0 / r for r in ranks if r) / 2.0
    names = question_entities(question)
    if names:
        found = sum(1 for n in names if set(normalizer.word_tokens(n)) & item_toks)
        entity = found / len(names)
    else:
        entity = 1.0
    wanted = wanted or detect(question)
    type_ok = any(matches(wanted, s) for s in _item_sentences(top))
    return Features(float(bm25_top), float(dense_z), coverage(question, item_toks, index.idf, normalizer),
                    float(agreement), float(entity), 1.0 if type_ok else 0.0,
                    year_match(question_years(question), top))
