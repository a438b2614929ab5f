"""Measure the content-word overlap thresholds of the LLM verifier (assistant/citations.py).

Usage::

    python bench/llm_support.py                          # the demo corpus (data/demo)
    python bench/llm_support.py ../shared/corpus/lapua --limit 20

For every item X, each sentence of its text (≥ 4 content words) is paraphrased the
way a model rewrites: a third of its words dropped (fixed seed), two words from an
unrelated item added (wording the item does not use), a framing verb in front. The
overlap of the paraphrase's content words is measured

* against X itself (true sentence, should pass),
* against a random other item of the corpus (wrong citation, should fail),
* against another item of the same meeting (the hardest wrong citation).

The same is done for decision sentences ("<body> päätti <decision>") against the
decision + proposal text only. Printed: percentiles and, per candidate threshold,
the share of true sentences kept and of wrong citations rejected.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.citations import content_words, item_support, overlap  # noqa: E402
from assistant.text import sentences  # noqa: E402
from core.config import Settings  # noqa: E402
from core.items import AgendaItem  # noqa: E402

FRAMES = ["Pöytäkirjan mukaan", "Kohdassa todetaan, että", "Asiakirjassa kerrotaan, että"]


def load_items(folder: Path, limit: int | None) -> list[AgendaItem]:
    from ingest.pipeline import discover, parse_file

    files, _ = discover([folder])
    items = []
    for f in files[:limit]:
        try:
            items.extend(parse_file(f, Settings.from_env(env={})).items)
        except Exception as e:  # noqa: BLE001 - a bad file is skipped in a benchmark
            print(f"skip {f.name}: {e}", file=sys.stderr)
    return [it for it in items if len(content_words(it.text)) >= 8]


def paraphrase(sentence: str, noise: list[str], rng: random.Random) -> str:
    words = sentence.rstrip(".").split()
    kept = [w for w in words if rng.random() > 1 / 3] or words[:1]
    return f"{rng.choice(FRAMES)} {' '.join(kept)} {' '.join(rng.sample(noise, min(2, len(noise))))}."


def measure(items: list[AgendaItem], seed: int = 7) -> dict[str, list[float]]:
    rng = random.Random(seed)
    support = [item_support(it) for it in items]
    by_meeting: dict[tuple[str, str], list[int]] = {}
    for i, it in enumerate(items):
        by_meeting.setdefault((it.body, it.date), []).append(i)
    out: dict[str, list[float]] = {k: [] for k in ("true", "other", "same_meeting", "dec_true", "dec_other")}
    for i, it in enumerate(items):
        others = [j for j in range(len(items)) if j != i]
        same = [j for j in by_meeting[(it.body, it.date)] if j != i]
        for s in sentences(it.body_text or it.text)[:6]:
            if len(content_words(s)) < 4:
                continue
            noise = sorted(support[rng.choice(others)].words)
            p = content_words(paraphrase(s, noise, rng))
            out["true"].append(overlap(p, support[i].words))
            out["other"].append(overlap(p, support[rng.choice(others)].words))
            if same:
                out["same_meeting"].append(overlap(p, support[rng.choice(same)].words))
        if it.decision and len(content_words(it.decision)) >= 3:
            noise = sorted(support[rng.choice(others)].words)
            d = content_words(paraphrase(f"{it.body} päätti: {sentences(it.decision)[0]}", noise, rng))
            out["dec_true"].append(overlap(d, support[i].decision_words))
            out["dec_other"].append(overlap(d, support[rng.choice(others)].decision_words))
    return out


def pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1] if len(xs) > 1 else float("nan")


def report(out: dict[str, list[float]]) -> None:
    for k, xs in out.items():
        if xs:
            print(f"{k:13s} n={len(xs):4d}  p5={pct(xs, 5):.2f}  p50={statistics.median(xs):.2f}  p95={pct(xs, 95):.2f}")
    print("\nthreshold  kept(true)  rejected(other)  rejected(same meeting)  kept(dec)  rejected(dec other)")
    for t in [x / 20 for x in range(4, 16)]:
        def share(xs: list[float], keep: bool, t: float = t) -> float:
            return sum((x >= t) == keep for x in xs) / len(xs) if xs else float("nan")
        print(f"  {t:.2f}     {share(out['true'], True):.3f}       {share(out['other'], False):.3f}"
              f"            {share(out['same_meeting'], False):.3f}              "
              f"{share(out['dec_true'], True):.3f}      {share(out['dec_other'], False):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "demo")
    ap.add_argument("--limit", type=int, default=None, help="only the first N files")
    args = ap.parse_args()
    items = load_items(args.folder, args.limit)
    print(f"{len(items)} items from {args.folder}")
    report(measure(items))


if __name__ == "__main__":
    main()
