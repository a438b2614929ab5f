"""HybridRetriever: exact lookups first, then BM25 over Finnish base forms fused with dense search.

Example::

    retriever = HybridRetriever(index)
    cands = retriever.retrieve(parsed_query)
    cands.hits[0].item.item_id, cands.hits[0].lexical_rank, cands.hits[0].dense_rank

A plain class, not a LangChain ``BaseRetriever``: the stages pass typed ``Hit``
values (every retriever's score and rank), which ``Document`` metadata would
flatten into dicts and back, and no LangChain component consumes a retriever here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from assistant.answer_type import detect
from assistant.fusion import RRF_K, rrf
from assistant.index import SearchIndex, build_where
from assistant.matters import continues
from assistant.relevance import expand_synonyms
from assistant.types import Candidates, Hit, Query
from core.items import AgendaItem
from core.query_terms import QueryNormalizer

logger = logging.getLogger(__name__)

DEFAULT_K = 10
DEFAULT_FETCH_K = 40
#: Meetings offered when a filter matches nothing ("nearest meetings: …").
NEAREST_MEETINGS = 3
#: Leading hits whose matters are followed to their later steps (Candidates.steps).
STEP_SOURCES = 3

Ranked = list[tuple[str, float, int]]  # (item_id, score, passage row), best first


@dataclass(frozen=True)
class _Side:
    """One retriever's item ranking: item id → (1-based rank, best passage score)."""

    order: list[str]
    best: dict[str, tuple[int, float]]


def _side(ranked: Ranked) -> _Side:
    best: dict[str, tuple[int, float]] = {}
    for iid, score, _row in ranked:
        if iid not in best:
            best[iid] = (len(best) + 1, score)
    return _Side([iid for iid, _s, _r in ranked], best)


class HybridRetriever:
    """Retrieves agenda items for a parsed query; metadata filters apply to both sides."""

    def __init__(self, index: SearchIndex, *, k: int = DEFAULT_K, fetch_k: int = DEFAULT_FETCH_K,
                 rrf_k: int = RRF_K, dense_weight: float = 1.0, lexical_weight: float = 1.0,
                 normalizer: QueryNormalizer | None = None) -> None:
        self.index = index
        self.normalizer = normalizer
        self.k = k
        self.fetch_k = fetch_k
        self.rrf_k = rrf_k
        self.weights = [lexical_weight, dense_weight]

    def retrieve(self, q: Query, *, k: int | None = None) -> Candidates:
        """Everything the answer stage may use for ``q``: ranked hits, the filter listing, nearest meetings."""
        k = k or self.k
        listing = tuple(self.index.filtered(q)) if q.has_filters() or q.not_after else ()
        if (q.has_filters() or q.not_after) and not listing:
            return Candidates(q, (), (), self._nearest(q) if q.has_filters() else ())
        allowed = None if not listing or len(listing) == self.index.item_count() else {
            it.item_id for it in listing}
        # Filters that let every item through (typically only "not after today") get no Chroma
        # ``where``: it would scan every passage's metadata (~35 ms here) to drop nothing.
        lexical, dense = self.lexical(q, allowed), self.dense(q, allowed, filtered=allowed is not None)
        hits = self._merge(q, self._exact(q, listing), lexical, dense)
        if allowed is not None and q.has_filters() and len(allowed) <= 2 * k:
            # Items that pass a narrow filter (e.g. one meeting) but neither side found still
            # count as retrieved, ranked last.
            seen = {h.item.item_id for h in hits}
            hits += [Hit(it, 0.0, ("filter",)) for it in listing if it.item_id not in seen]
        exact = sum(1 for h in hits if "exact" in h.via)
        kept = self._with_similarity(q, hits[: max(k, exact)])
        kept += self._recurring(q, kept)
        return Candidates(q, tuple(kept), listing if q.has_filters() else (), steps=self._later_steps(q, kept))

    def _recurring(self, q: Query, hits: list[Hit]) -> list[Hit]:
        """For a question asking for the latest decision ("Mikä on tuorein päätös?"), the leading hits'
        later items of the same body and title, ranked last: a matter taken up again each year gets a
        new case ID, so its case does not lead to the newest decision and the search may rank the older
        text first. Not with a body or date filter: that names which step is asked."""
        if q.has_filters() or not detect(q.asks or q.text).latest:
            return []
        seen = {h.item.item_id for h in hits}
        out: list[Hit] = []
        for h in hits[:STEP_SOURCES]:
            for it in self.index.later_same_title(h.item):
                if it.item_id not in seen:
                    seen.add(it.item_id)
                    out.append(Hit(it, 0.0, ("recurring",)))
        return out

    def _later_steps(self, q: Query, hits: list[Hit]) -> tuple[AgendaItem, ...]:
        """Decisions that carry on the leading hits' matters at a later meeting (the city board
        deciding what the technical board proposed), ranked or not: the answer follows a matter to
        its final step. Not with a body or date filter: that asks for one step."""
        if q.has_filters():
            return ()
        out: dict[str, AgendaItem] = {}
        for h in hits[:STEP_SOURCES]:
            first = h.item
            if not first.case_id or first.kind != "minutes":
                continue
            for it in self.index.items_by_case(first.case_id):
                if (it.kind == "minutes" and it.date > first.date and it.has_decision
                        and (not q.not_after or it.date <= q.not_after) and continues(first, it)):
                    out.setdefault(it.item_id, it)
        return tuple(out.values())

    def lexical(self, q: Query, allowed: set[str] | None) -> Ranked:
        """BM25 passages for the query's keywords (plus accent/compound fallbacks, Swedish stems for
        sv: items, and synonyms), limited to ``allowed`` items."""
        from core.language import query_tokens  # Finnish base forms + Swedish stems (sv: items)

        text = q.search_text()
        toks = query_tokens(text)
        if self.normalizer is not None:  # accent-less words and unknown compounds (core.query_terms)
            toks = list(dict.fromkeys(self.normalizer.tokens(text) + [t for t in toks if t.startswith("sv:")]))
        return self.index.lexical(expand_synonyms(toks), allowed, self.fetch_k)

    def dense(self, q: Query, allowed: set[str] | None, *, filtered: bool = True) -> Ranked:
        """Nearest passages by embedding, with the filters as a Chroma ``where`` (unless not ``filtered``)
        and ``allowed`` re-checked."""
        text = self._dense_text(q)
        if not text.strip():
            return []
        n = self.fetch_k if allowed is None else min(self.fetch_k, max(1, len(allowed) * 4))
        where = build_where(q) if filtered else None
        return [d for d in self.index.dense(text, where, n, allowed=allowed)
                if allowed is None or d[0] in allowed]

    def _merge(self, q: Query, exact: list[AgendaItem], lexical: Ranked, dense: Ranked) -> list[Hit]:
        lex, den = _side(lexical), _side(dense)
        fused = rrf([lex.order, den.order], k=self.rrf_k, weights=self.weights)
        items = self.index.items(iid for iid, _score in fused)  # one batch lookup, not one per id
        out = [Hit(it, 1.0, ("exact",)) for it in exact]
        seen = {it.item_id for it in exact}
        for iid, score in fused:
            if iid in seen or iid not in items:
                continue
            seen.add(iid)
            via = tuple(name for name, side in (("lexical", lex), ("dense", den)) if iid in side.best)
            d_rank, d_sim = den.best.get(iid, (None, 0.0))
            l_rank, l_score = lex.best.get(iid, (None, 0.0))
            out.append(Hit(items[iid], score, via, d_rank, d_sim, len(out) + 1, l_rank, l_score))
        return out

    def _with_similarity(self, q: Query, hits: list[Hit]) -> list[Hit]:
        """Hits the graph search did not return get their true cosine similarity: an item only the
        lexical side found is not thereby unlike the question, and a similarity of 0 would say so."""
        text = self._dense_text(q)
        missing = [h.item.item_id for h in hits if h.dense_rank is None]
        if not missing or not text.strip():
            return hits
        sims = self.index.similarities(text, missing)
        return [replace(h, dense_sim=sims[h.item.item_id]) if h.dense_rank is None and h.item.item_id in sims
                else h for h in hits]

    def _dense_text(self, q: Query) -> str:
        """What the embedder compares (``Query.meaning_text``), typos and missing ä/ö mended."""
        text = q.meaning_text()
        return self.normalizer.respelled(text) if self.normalizer is not None else text

    def _exact(self, q: Query, listing: tuple[AgendaItem, ...]) -> list[AgendaItem]:
        """Items named by case ID, or by § with a body or date: found without searching."""
        if q.case_ids:
            first: dict[str, tuple[int, AgendaItem]] = {}  # item id → (first case ID naming it, item)
            for n, c in enumerate(q.case_ids):
                for it in self.index.items_by_case(c):
                    if (not q.bodies or it.body in q.bodies) and (
                            not q.municipalities or it.municipality in q.municipalities):
                        first.setdefault(it.item_id, (n, it))
            # By date and §; an item of the case asked first before the others, then by body and kind.
            ranked = sorted(first.values(), key=lambda p: (p[1].date, p[1].section, p[0], p[1].body, p[1].kind))
            return [it for _n, it in ranked]
        if q.sections and (q.bodies or q.date_from):
            return list(listing)
        return []

    def _nearest(self, q: Query) -> tuple[tuple[str, str], ...]:
        """The body's minutes meetings closest to the asked dates (latest ones without dates)."""
        ms = [m for m in self.index.meetings if (not q.bodies or m.body in q.bodies) and m.kind == "minutes"
              and (not q.municipalities or m.municipality in q.municipalities)]
        anchor = q.date_from or q.date_to
        if anchor:
            ms.sort(key=lambda m: abs(_days(m.date) - _days(anchor)))
        else:
            ms = ms[::-1]
        return tuple((m.body, m.date) for m in sorted(ms[:NEAREST_MEETINGS], key=lambda m: m.date))


def _days(iso: str) -> int:
    from datetime import date

    return date.fromisoformat(iso).toordinal()
