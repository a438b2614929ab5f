"""HybridRetriever: exact lookups first, then BM25 over Finnish base forms fused with dense search.

Example::

    retriever = HybridRetriever(index=index)
    docs = retriever.invoke("uimahallin peruskorjaus", query=parsed_query)
    docs[0].metadata["item_id"]
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.fusion import RRF_K, rrf
from assistant.index import SearchIndex, build_where
from assistant.relevance import expand_synonyms
from assistant.types import Hit, Query

logger = logging.getLogger(__name__)

DEFAULT_K = 10
DEFAULT_FETCH_K = 40


class HybridRetriever(BaseRetriever):
    """Retrieves agenda items (one Document per item, best passage as content).

    Exact § or case-ID lookups run before any search; otherwise BM25 and dense
    rankings of passages are fused with RRF and collapsed to items. Metadata
    filters from the parsed ``query`` keyword argument apply to both sides.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Any
    k: int = DEFAULT_K
    fetch_k: int = DEFAULT_FETCH_K
    rrf_k: int = RRF_K
    dense_weight: float = 1.0
    lexical_weight: float = 1.0

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        q: Query = kwargs.get("query") or Query(text=query, keywords=query)
        return [hit_to_document(h) for h in self.search(q, k=kwargs.get("k", self.k))]

    def search(self, q: Query, *, k: int | None = None) -> list[Hit]:
        """Ranked hits for a parsed query (the typed API the answer composer uses)."""
        from core.tokens import tokenize

        index: SearchIndex = self.index
        k = k or self.k
        exact = self._exact(q)
        allowed: set[str] | None = None
        if q.has_filters() or q.not_after:
            allowed = {it.item_id for it in index.filtered(q)}
            if not allowed:
                return []
            if len(allowed) == len(index.items):
                allowed = None
        text = q.keywords.strip() or q.text
        tokens = expand_synonyms(tokenize(text))
        lex = index.lexical(tokens, allowed, self.fetch_k)
        dense: list[tuple[str, float, int]] = []
        if text.strip():
            where = build_where(q)
            n = self.fetch_k if allowed is None else min(self.fetch_k, max(1, len(allowed) * 4))
            dense = [d for d in index.dense(text, where, n) if allowed is None or d[0] in allowed]
        fused = rrf([[h[0] for h in lex], [h[0] for h in dense]], k=self.rrf_k,
                    weights=[self.lexical_weight, self.dense_weight])
        dense_rank: dict[str, tuple[int, float]] = {}
        for iid, sim, _row in dense:
            if iid not in dense_rank:
                dense_rank[iid] = (len(dense_rank) + 1, sim)
        via: dict[str, list[str]] = {}
        for name, hits in (("lexical", lex), ("dense", dense)):
            for iid, _score, _row in hits:
                if name not in via.setdefault(iid, []):
                    via[iid].append(name)
        out: list[Hit] = []
        seen: set[str] = set()
        for it in exact:
            out.append(Hit(it, 1.0, ("exact",)))
            seen.add(it.item_id)
        for iid, score in fused:
            if iid in seen or iid not in index.items:
                continue
            seen.add(iid)
            rank, sim = dense_rank.get(iid, (None, 0.0))
            out.append(Hit(index.items[iid], score, tuple(via.get(iid, ())), rank, sim, len(out) + 1))
        # Items that pass the filters but neither side found still count as
        # retrieved for a narrow filter (e.g. one meeting), ranked last.
        if allowed is not None and q.has_filters() and len(allowed) <= 2 * k:
            for it in index.filtered(q):
                if it.item_id not in seen:
                    seen.add(it.item_id)
                    out.append(Hit(it, 0.0, ("filter",)))
        return out[: max(k, len(exact))]

    def _exact(self, q: Query) -> list[Any]:
        index: SearchIndex = self.index
        if q.case_ids:
            found = []
            for c in q.case_ids:
                found.extend(index.by_case.get(c.lower(), []))
            found = [it for it in found if (not q.bodies or it.body in q.bodies)]
            return sorted({it.item_id: it for it in found}.values(), key=lambda i: (i.date, i.section))
        if q.sections and (q.bodies or q.date_from):
            return index.filtered(q)
        return []


def hit_to_document(h: Hit) -> Document:
    """A LangChain Document for one hit; metadata carries everything a citation needs."""
    it = h.item
    return Document(
        page_content=f"{it.title}\n{it.decision or it.proposal}",
        metadata={
            "item_id": it.item_id, "body": it.body, "date": it.date, "section": it.section,
            "case_id": it.case_id, "title": it.title, "source": it.source, "page": it.page_start,
            "kind": it.kind, "score": h.score, "via": list(h.via),
        },
    )
