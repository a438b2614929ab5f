"""Lexical recall with and without query-side normalisation (``core.query_terms``).

For every answerable gold question: BM25 over the store with ``tokenize(question)`` and
with ``QueryNormalizer(vocabulary).tokens(question)``; recall@K of the gold items, overall
and per tag (no_diacritics, typo, paraphrase …). Prints figures only.

    python bench/query_terms.py --store DIR --questions FILE.jsonl [--questions …] [-k 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.query_terms import QueryNormalizer  # noqa: E402
from core.tokens import tokenize  # noqa: E402
from eval import metrics  # noqa: E402
from eval.run import load_questions  # noqa: E402


def recall(index, tokens: list[str], gold: set, k: int) -> float:
    items = []
    for iid, _s, _r in index.lexical(tokens, None, k):
        if iid not in items:
            items.append(iid)
    keys = {metrics.citation_key({"body": it.body, "date": it.date, "section": it.section})
            for it in index.items(items[:k]).values()}
    return len(gold & keys) / len(gold)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--questions", type=Path, action="append", required=True)
    ap.add_argument("-k", type=int, default=10)
    args = ap.parse_args()
    from assistant.index import SearchIndex
    from assistant.service import shared_embedder

    settings = replace(Settings.from_env(store_dir=args.store.resolve()), llm_base_url=None, llm_model=None)
    index = SearchIndex(settings, shared_embedder(settings))
    norm = QueryNormalizer(index.vocab)
    by: dict[str, list[tuple[float, float]]] = defaultdict(list)
    spent = 0.0
    for g in load_questions(args.questions):
        gold = {metrics.citation_key(c) for c in g.get("citations") or []}
        if not metrics.is_answerable(g) or not gold:
            continue
        t = time.perf_counter()
        expanded = norm.tokens(g["question"])
        spent += time.perf_counter() - t
        pair = (recall(index, tokenize(g["question"]), gold, args.k), recall(index, expanded, gold, args.k))
        for tag in ["ALL", *(g.get("tags") or [])]:
            by[tag].append(pair)
    print(f"lexical recall@{args.k}: tokenize → with QueryNormalizer")
    for tag, pairs in sorted(by.items(), key=lambda kv: (kv[0] != "ALL", kv[0])):
        a = sum(p[0] for p in pairs) / len(pairs)
        b = sum(p[1] for p in pairs) / len(pairs)
        print(f"  {tag:<16} n={len(pairs):3d}  {a:.3f} → {b:.3f}  ({b - a:+.3f})")
    print(f"normaliser time per question {spent / max(1, len(by['ALL'])) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
