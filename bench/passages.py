"""Do passages fit the embedder's window? Before (fixed word windows) and after (token packing).

Reads the items of a built store (no parsing), splits them three ways and counts real
embedder tokens (``passage: `` prefix and special tokens included):

* ``words-180`` — the former splitter: 180-word windows with 30 words overlap, the lead
  (header, decision, proposal) clipped at 270 words;
* ``estimate`` — :func:`ingest.passages.split_passages` without a counter (what ingest
  does unless it passes the embedder's counter);
* ``exact`` — the same with the embedder's ``count_tokens``.

Prints passage count, share over the window, tokens lost to truncation and tokens
embedded (embedding time grows with the latter). Asserts nothing.

    python bench/passages.py --store DIR
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import store as st  # noqa: E402
from core.config import Settings  # noqa: E402
from core.items import AgendaItem  # noqa: E402
from core.store_reader import ItemFilter, StoreReader  # noqa: E402
from ingest import passages as ps  # noqa: E402


def former_split(item: AgendaItem, words: int = 180, overlap: int = 30) -> list[str]:
    """The splitter before issue 10, kept here only as the baseline of this benchmark."""
    header = ps.item_header(item)
    lead = f"{header} {ps.lead_text(item)}".split()
    out = [" ".join(lead[: words + words // 2])]
    body = ps.rest_text(item).split()
    start = 0
    while start < len(body):
        out.append(f"{header}\n" + " ".join(body[start:start + words]))
        if start + words >= len(body):
            break
        start += words - overlap
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    args = ap.parse_args()
    from core.embedding import embedder_from_settings

    settings = Settings.from_env(store_dir=args.store.resolve())
    st.require_items(settings.store_dir)
    reader = StoreReader(settings)
    items = reader.filtered(ItemFilter())
    emb = embedder_from_settings(settings)
    limit = emb.max_tokens
    ways = {
        "words-180": lambda it: former_split(it),
        "estimate": lambda it: [p.text for p in ps.split_passages(it, max_tokens=limit)],
        "exact": lambda it: [p.text for p in ps.split_passages(it, count_tokens=emb.count_tokens, max_tokens=limit)],
    }
    print(f"{len(items)} items, window {limit} tokens")
    print(f"{'split':<10}{'passages':>9}{'over':>8}{'tokens lost':>13}{'embedded':>10}{'split s':>9}")
    for name, split in ways.items():
        t = time.perf_counter()
        texts = [x for it in items for x in split(it)]
        dt = time.perf_counter() - t
        n = [emb.count_tokens(x) for x in texts]
        over = sum(1 for x in n if x > limit)
        lost = sum(max(0, x - limit) for x in n)
        print(f"{name:<10}{len(texts):>9}{over / len(texts):>8.1%}{lost / sum(n):>13.1%}"
              f"{sum(min(x, limit) for x in n):>10}{dt:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
