"""Ingest benchmark: whole corpus cold (parse / embed / write), then an unchanged re-run.

    python bench/ingest.py [CORPUS_DIR] [--model NAME] [--keep STORE_DIR]

Prints figures; asserts nothing. Targets (issue 10): cold ≤ 6 min with every item embedded in window-sized passages; re-run ≤ 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import Settings  # noqa: E402
from ingest.pipeline import run  # noqa: E402


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lapua"
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=default if default.exists() else None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--keep", type=Path, default=None, help="write the store here and keep it (for an eval run)")
    args = ap.parse_args()
    corpus = args.corpus or Path(__file__).resolve().parents[1] / "data" / "demo"
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        settings = Settings.from_env(store_dir=args.keep or tmp / "store", embedding_model=args.model)
        from core.embedding import embedder_from_settings

        t = time.perf_counter()
        emb = embedder_from_settings(settings)
        emb.embed_query("lämmittely")
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        s = run([corpus], settings, embedder=emb)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        s2 = run([corpus], settings, embedder=emb)
        warm = time.perf_counter() - t
        print(f"corpus             {corpus}")
        print(f"embedder           {emb.name} (load {load_s:.1f} s)")
        print(f"files              {s.files_seen} ({len(s.files_failed)} refused)")
        print(f"items / passages   {s.items_total} / {s.passages_embedded}")
        print(f"cold total         {cold:.1f} s  = parse {s.seconds_parse:.1f} + embed {s.seconds_embed:.1f} "
              f"+ write {s.seconds_write:.1f} (+ other {cold - s.seconds_parse - s.seconds_embed - s.seconds_write:.1f})")
        print(f"items/s            {s.items_total / cold:.1f} overall; passages/s embedding "
              f"{s.passages_embedded / max(s.seconds_embed, 1e-9):.1f}")
        print(f"re-run unchanged   {warm:.2f} s (wrote: {s2.wrote}); ratio cold/re-run {cold / max(warm, 1e-9):.0f}x")
        print(f"target             cold ≤ 360 s: {'OK' if cold <= 360 else 'MISSED'}; re-run ≤ 5 s: "
              f"{'OK' if warm <= 5 else 'MISSED'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
