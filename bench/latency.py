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
from dataclasses import dataclass, field, replace
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


@dataclass
class Startup:
    """The opened assistant and how long each start-up stage took (seconds)."""

    assistant: object  # assistant.service.Assistant (imported lazily)
    state: str  # "not checked" / "reused" / "indexed"
    model_s: float
    index_s: float
    open_s: float


@dataclass
class Timings:
    """Latencies of the timed passes, per question worst case, and the cold warm-up pass."""

    warm: list[dict]
    latencies: list[float] = field(default_factory=list)
    worst: dict[str, float] = field(default_factory=dict)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=Path, action="append")
    p.add_argument("--corpus", type=Path)
    p.add_argument("--store", type=Path)
    p.add_argument("--repeat", type=int, default=3, help="passes over the question file after a warm-up pass")
    p.add_argument("--as-of", type=date.fromisoformat)
    p.add_argument("--no-index", action="store_true", help="do not bring the store up to date first")
    args = p.parse_args()
    base = Settings.from_env()
    if args.corpus is None:
        shared = SHARED_CORPUS.is_dir() and SHARED_GOLD.is_file()
        args.corpus = SHARED_CORPUS if shared else base.demo_corpus
        args.questions = args.questions or (default_lapua_questions() if shared else [run.DEMO_QUESTIONS])
    if args.questions is None:
        p.error("--questions is required with --corpus")
    return args


def settings_for(corpus: Path, store_arg: Path | None) -> Settings:
    """The store ``python -m eval`` uses for this corpus, with the LLM off."""
    is_demo = corpus == Settings.from_env().demo_corpus.resolve()
    store = store_arg or (run.DEMO_STORE if is_demo else run.store_for_corpus(corpus))
    return replace(Settings.from_env(store_dir=store.resolve()), llm_base_url=None, llm_model=None)


def start_assistant(corpus: Path, settings: Settings, index: bool) -> Startup:
    from assistant.service import Assistant, shared_embedder

    t = time.perf_counter()
    embedder = shared_embedder(settings)
    t_model = time.perf_counter() - t
    t = time.perf_counter()
    summary = run.index_corpus(corpus, settings, embedder=embedder) if index else None
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    assistant = Assistant.open(settings, embedder=embedder, chat_model=None)
    t_open = time.perf_counter() - t
    state = "not checked" if summary is None else ("reused" if not summary.wrote else "indexed")
    return Startup(assistant, state, t_model, t_index, t_open)


def time_questions(questions: list, assistant: object, as_of: date | None, repeat: int) -> Timings:
    timings = Timings(warm=run.ask_all(questions, assistant, as_of=as_of))
    for _ in range(max(repeat, 1)):
        for r in run.ask_all(questions, assistant, as_of=as_of):
            if not r.get("error"):
                timings.latencies.append(r["latency_ms"])
                timings.worst[r["id"]] = max(timings.worst.get(r["id"], 0.0), r["latency_ms"])
    return timings


def print_latencies(timings: Timings, repeat: int) -> None:
    lat = timings.latencies
    errors = sum(1 for r in timings.warm if r.get("error"))
    print(f"answers     {len(lat)} timed ({repeat} passes, warm-up pass excluded), errors {errors}")
    p50, p95 = percentile(lat, 50), percentile(lat, 95)
    print(f"p50         {p50:8.0f} ms   target ≤ {TARGET_P50_MS:.0f}: {'OK' if p50 <= TARGET_P50_MS else 'MISSED'}")
    print(f"p95         {p95:8.0f} ms   target ≤ {TARGET_P95_MS:.0f}: {'OK' if p95 <= TARGET_P95_MS else 'MISSED'}")
    print(f"mean        {statistics.fmean(lat):8.0f} ms")
    print(f"max         {max(lat):8.0f} ms")
    slow = sorted(timings.worst.items(), key=lambda kv: -kv[1])[:3]
    print("slowest      " + ", ".join(f"{qid} {ms:.0f} ms" for qid, ms in slow))


def main() -> int:
    args = parse_args()
    logging.basicConfig(level=logging.ERROR)
    corpus = args.corpus.resolve()
    settings = settings_for(corpus, args.store)
    questions = run.load_questions(args.questions)
    start = start_assistant(corpus, settings, index=not args.no_index)

    print(f"corpus      {corpus} ({start.assistant.item_count()} items, {start.state})")
    print(f"questions   {', '.join(str(q) for q in args.questions)} ({len(questions)})")
    print(f"load model  {start.model_s * 1000:8.0f} ms")
    print(f"index       {start.index_s * 1000:8.0f} ms")
    print(f"open store  {start.open_s * 1000:8.0f} ms")
    timings = time_questions(questions, start.assistant, args.as_of, args.repeat)
    print(f"first question (cold) {timings.warm[0]['latency_ms']:8.0f} ms")
    print_latencies(timings, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
