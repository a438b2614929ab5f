"""Robustness over realistic resident questions: no crash, sensible refusals, latency.

Reads every line ending in "?" from ../shared/eval/peer-questions/*.md (250 + 100 questions another
Lapua minutes assistant was asked) and answers them over the Lapua store that `python -m eval`
built. Prints counts and latency; asserts nothing.

    python bench/robustness.py [--store DIR] [--show N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.service import Assistant, Conversation  # noqa: E402
from core.config import Settings  # noqa: E402

PEER = ROOT.parent / "shared" / "eval" / "peer-questions"


def questions() -> list[str]:
    out: list[str] = []
    for f in sorted(PEER.glob("*.md")):
        for line in f.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(?:[-*]|\d+[.)])\s*", "", line).strip()
            if line.endswith("?") and len(line) > 8:
                out.append(line.strip("*").strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    stores = sorted((ROOT / "var" / "eval").glob("lapua-*"))
    ap.add_argument("--store", type=Path, default=stores[0] if stores else None)
    ap.add_argument("--show", type=int, default=5, help="print this many sample answers")
    args = ap.parse_args()
    if not PEER.exists() or args.store is None:
        print("needs ../shared/eval/peer-questions and a Lapua store (run python -m eval --corpus ...)")
        return
    bot = Assistant.open(Settings.from_env(store_dir=args.store))
    qs = questions()
    times, refused, errors, cited = [], 0, 0, 0
    samples = []
    for q in qs:
        t = time.perf_counter()
        try:
            ans = bot.ask(q, Conversation(), today=date(2025, 12, 31))
        except Exception as e:  # noqa: BLE001 - counting crashes is the point
            errors += 1
            print(f"ERROR {type(e).__name__}: {e} :: {q}")
            continue
        times.append((time.perf_counter() - t) * 1000)
        refused += ans.refused
        cited += bool(ans.citations)
        if len(samples) < args.show and not ans.refused:
            samples.append((q, ans.text[:300]))
    times.sort()
    p = lambda x: times[min(len(times) - 1, int(round(x * (len(times) - 1))))]  # noqa: E731
    print(f"questions {len(qs)}; errors {errors}; refused {refused} ({refused / max(1, len(qs)):.0%}); "
          f"answered with citations {cited}")
    print(f"latency ms: p50 {p(0.5):.0f}, p95 {p(0.95):.0f}, max {times[-1]:.0f}, mean {statistics.mean(times):.0f}")
    for q, a in samples:
        print(f"\n? {q}\n  {a}")


if __name__ == "__main__":
    main()
