"""Question → answer latency (p50/p95) over a question file, without an LLM.

Default: the Lapua gold questions (``eval/gold/lapua-tune.jsonl`` and ``lapua-test.jsonl``,
else ``../shared/eval/lapua-dev-gold.jsonl``) on ``../shared/corpus/lapua`` when present,
else the demo corpus with ``eval/demo-gold.jsonl``. The corpus is indexed (incrementally)
into the same store ``python -m eval`` uses (``--no-index``: use the store as it is).
The LLM is always off. Prints figures and the issue-10 targets (p50 ≤ 150 ms, p95 ≤ 400 ms);
asserts nothing.

    python bench/latency.py [--questions FILE ...] [--corpus DIR] [--store DIR] [--repeat N] [--no-index]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from eval import run  # noqa: E402
from eval.metrics import percentile  # noqa: E402

SHARED = ROOT / ".." / "shared"
SHARED_CORPUS = SHARED / "corpus" / "lapua"
SHARED_GOLD = SHARED / "eval" / "lapua-dev-gold.jsonl"
LAPUA_GOLD = [ROOT / "eval" / "gold" / "lapua-tune.jsonl", ROOT / "eval" / "gold" / "lapua-test.jsonl"]
TARGET_P50_MS, TARGET_P95_MS = 150.0, 400.0


def default_lapua_questions() -> list[Path]:
    return [p for p in LAPUA_GOLD if p.is_file()] or [SHARED_GOLD]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=Path, action="append")
    p.add_argument("--corpus", type=Path)
    p.add_argument("--store", type=Path)
    p.add_argument("--repeat", type=int, default=3, help="passes over the question file after a warm-up pass")
    p.add_argument("--as-of", type=date.fromisoformat)
    p.add_argument("--no-index", action="store_true", help="do not bring the store up to date first")
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)

    base = Settings.from_env()
    if args.corpus is None:
        shared = SHARED_CORPUS.is_dir() and SHARED_GOLD.is_file()
        args.corpus = SHARED_CORPUS if shared else base.demo_corpus
        args.questions = args.questions or (default_lapua_questions() if shared else [run.DEMO_QUESTIONS])
    if args.questions is None:
        p.error("--questions is required with --corpus")
    corpus = args.corpus.resolve()
    is_demo = corpus == base.demo_corpus.resolve()
    store = args.store or (run.DEMO_STORE if is_demo else run.store_for_corpus(corpus))
    settings = replace(Settings.from_env(store_dir=store.resolve()), llm_base_url=None, llm_model=None)
    questions = run.load_questions(args.questions)

    from assistant.service import Assistant, shared_embedder

    t = time.perf_counter()
    embedder = shared_embedder(settings)
    t_model = time.perf_counter() - t
    t = time.perf_counter()
    summary = None if args.no_index else run.index_corpus(corpus, settings, embedder=embedder)
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    assistant = Assistant.open(settings, embedder=embedder, chat_model=None)
    t_open = time.perf_counter() - t

    state = "not checked" if summary is None else ("reused" if not summary.wrote else "indexed")
    print(f"corpus      {corpus} ({assistant.item_count()} items, {state})")
    print(f"questions   {', '.join(str(q) for q in args.questions)} ({len(questions)})")
    print(f"load model  {t_model * 1000:8.0f} ms")
    print(f"index       {t_index * 1000:8.0f} ms")
    print(f"open store  {t_open * 1000:8.0f} ms")

    warm = run.ask_all(questions, assistant, as_of=args.as_of)
    print(f"first question (cold) {warm[0]['latency_ms']:8.0f} ms")
    lat: list[float] = []
    worst: dict[str, float] = {}
    for _ in range(max(args.repeat, 1)):
        for r in run.ask_all(questions, assistant, as_of=args.as_of):
            if not r.get("error"):
                lat.append(r["latency_ms"])
                worst[r["id"]] = max(worst.get(r["id"], 0.0), r["latency_ms"])
    errors = sum(1 for r in warm if r.get("error"))
    print(f"answers     {len(lat)} timed ({args.repeat} passes, warm-up pass excluded), errors {errors}")
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    print(f"p50         {p50:8.0f} ms   target ≤ {TARGET_P50_MS:.0f}: {'OK' if p50 <= TARGET_P50_MS else 'MISSED'}")
    print(f"p95         {p95:8.0f} ms   target ≤ {TARGET_P95_MS:.0f}: {'OK' if p95 <= TARGET_P95_MS else 'MISSED'}")
    print(f"mean        {statistics.fmean(lat):8.0f} ms")
    print(f"max         {max(lat):8.0f} ms")
    slow = sorted(worst.items(), key=lambda kv: -kv[1])[:3]
    print("slowest      " + ", ".join(f"{qid} {ms:.0f} ms" for qid, ms in slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
