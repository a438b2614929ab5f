"""Reciprocal rank fusion (pure)."""

from __future__ import annotations

from collections.abc import Sequence

#: RRF constant from Cormack et al. (2009): 60 damps the head of each list so
#: that an item ranked well by both retrievers beats one ranked first by one.
RRF_K = 60


def rrf(rankings: Sequence[Sequence[str]], *, k: int = RRF_K, weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Fuse ranked id lists into one ranking.

    Args:
        rankings: each a list of ids, best first; duplicates after the first occurrence are ignored.
        k: the RRF constant.
        weights: one weight per ranking (default 1.0 each).

    Returns:
        ``(id, score)`` pairs, best first; ties keep first-seen order.

    Raises:
        ValueError: ``weights`` has a different length than ``rankings``.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"got {len(weights)} weights for {len(rankings)} rankings")
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        rank = 0
        for doc_id in ranking:
            if doc_id in seen:
                continue
            seen.add(doc_id)
            rank += 1
            scores[doc_id] = scores.get(doc_id, 0.0) + w / (k + rank)
            order.setdefault(doc_id, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
