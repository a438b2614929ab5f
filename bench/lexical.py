"""Lexical index benchmark: core.lexical at 30k and 3M synthetic rows. Prints figures; asserts nothing.

    python bench/lexical.py [--sizes 30000,3000000] [--dir /work/cache/lex-bench] [--queries 60]

Per size: build time, time to add one meeting (60 rows) and to remove one, a full ``compact`` (small sizes only), query p50/p95 for 3–8
token queries (each has very common tokens) with and without an ``allowed_rows`` filter, the RSS of a
fresh reader process running the queries, the size of the vocabulary map, and disk size.
Rows are synthetic Finnish-like tokens (syllable words, Zipf ranks, ~120 tokens a row, 3 rows an item).
The 30k store is built through ``LexicalIndex.add`` in meetings of 3,000 rows; the 3M store in bulk
(``add_arrays``, 500k rows a call, one transaction), which says nothing about the incremental path
that the add-one-meeting figure measures.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.lexical import LexicalIndex  # noqa: E402

VOCAB = 200_000
ZIPF_S = 1.05
ROWS_PER_ITEM = 3
SYLLABLES = ("ka ko ku ki ke ta to tu ti te pa po pu pi pe la lo lu li le ma mo mu mi me na no nu ni ne "
             "sa so su si se va vo vu vi ve ra ro ru ri re ha ho hu hi he ja jo ju ät äk öl yl ys us").split()


def vocabulary(rng: np.random.Generator) -> list[str]:
    words: set[str] = set()
    while len(words) < VOCAB:
        n = rng.integers(2, 6, size=VOCAB)
        for k in n:
            words.add("".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), size=k)))
    return sorted(words)[:VOCAB]


def zipf_cdf() -> np.ndarray:
    w = 1.0 / np.arange(1, VOCAB + 1) ** ZIPF_S
    return np.cumsum(w) / w.sum()


def token_ids(rng: np.random.Generator, cdf: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Row lengths (80–160) and the term rank of every token."""
    lens = rng.integers(80, 161, size=n_rows)
    ids = np.minimum(np.searchsorted(cdf, rng.random(int(lens.sum()))), VOCAB - 1)
    return lens, ids


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def bulk_chunk(idx: LexicalIndex, ids_of: np.ndarray, first_row: int, rng: np.random.Generator,
               cdf: np.ndarray, n: int) -> None:
    lens, ranks = token_ids(rng, cdf, n)
    local = np.repeat(np.arange(n, dtype=np.int64), lens)
    keys, tf = np.unique(local * VOCAB + ranks, return_counts=True)
    rows = np.arange(first_row, first_row + n, dtype=np.int64)
    idx.add_arrays(rows, rows // ROWS_PER_ITEM, lens.astype(np.int64), keys // VOCAB,
                   ids_of[keys % VOCAB], tf.astype(np.int64))


def meeting(rng: np.random.Generator, cdf: np.ndarray, words: list[str], first_row: int,
            n: int = 60) -> list[tuple[int, int, list[str]]]:
    lens, ranks = token_ids(rng, cdf, n)
    out, pos = [], 0
    for k, ln in enumerate(lens):
        row = first_row + k
        out.append((row, row // ROWS_PER_ITEM, [words[i] for i in ranks[pos:pos + ln]]))
        pos += ln
    return out


def build(path: Path, size: int, rng: np.random.Generator, cdf: np.ndarray, words: list[str]) -> float:
    path.unlink(missing_ok=True)
    conn = connect(path)
    LexicalIndex.create_schema(conn)
    idx = LexicalIndex(conn)
    t0 = time.perf_counter()
    if size <= 100_000:
        for start in range(0, size, 3000):
            idx.add(meeting(rng, cdf, words, start, min(3000, size - start)))
            conn.commit()
    else:
        tid = idx.term_ids(words)
        ids_of = np.array([tid[w] for w in words], dtype=np.int64)
        for start in range(0, size, 500_000):
            bulk_chunk(idx, ids_of, start, rng, cdf, min(500_000, size - start))
            print(f"    bulk {start + 500_000:,} rows {time.perf_counter() - t0:.0f} s", flush=True)
        conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - t0


def add_meetings(path: Path, rng: np.random.Generator, cdf: np.ndarray, words: list[str]) -> tuple[list, list]:
    conn = connect(path)
    idx = LexicalIndex(conn)
    adds, removes = [], []
    for _ in range(5):
        first = conn.execute("SELECT max((SELECT max(row) FROM lex_docs), coalesce((SELECT max(row) FROM lex_deleted), -1))").fetchone()[0] + 1
        m = meeting(rng, cdf, words, first)
        t0 = time.perf_counter()
        idx.add(m)
        conn.commit()
        adds.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    idx.remove(r for r, _, _ in m)
    idx.maybe_compact()
    conn.commit()
    removes.append(time.perf_counter() - t0)
    conn.close()
    return adds, removes


def queries(path: Path, n: int) -> dict:
    """Run in a fresh process: query latencies and this reader's RSS."""
    rng = np.random.default_rng(7)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    idx = LexicalIndex(conn)
    by_rank = [t for (t,) in conn.execute("SELECT term FROM lex_terms ORDER BY df DESC LIMIT 50000")]
    n_rows = idx.n_rows
    allowed = np.sort(rng.choice(n_rows, size=min(n_rows, 30_000), replace=False))
    out: dict = {}
    for label, filt in (("plain", None), ("allowed 30k rows", allowed)):
        times = []
        for _ in range(n):
            k = int(rng.integers(3, 9))
            q = [by_rank[int(rng.integers(0, 20))], by_rank[int(rng.integers(0, 200))]]
            q += [by_rank[int(rng.integers(200, len(by_rank)))] for _ in range(k - 2)]
            conn.execute("BEGIN")
            t0 = time.perf_counter()
            idx.top(q, 30, filt)
            times.append(time.perf_counter() - t0)
            conn.execute("COMMIT")
        out[label] = (float(np.percentile(times, 50)), float(np.percentile(times, 95)))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would report the builder's peak.
    hwm = [ln for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith("VmHWM")]
    out["rss_mb"] = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    vocab = {t: i for i, t in enumerate(idx.terms())}
    out["vocab_terms"] = len(vocab)
    out["vocab_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30000,3000000")
    ap.add_argument("--dir", default="/work/cache/lex-bench")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--query-only")
    ap.add_argument("--reuse", action="store_true", help="keep an existing database of the size")
    a = ap.parse_args()
    if a.query_only:
        print(json.dumps(queries(Path(a.query_only), a.queries)))
        return
    rng = np.random.default_rng(1)
    words = vocabulary(rng)
    cdf = zipf_cdf()
    Path(a.dir).mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in a.sizes.split(",")):
        path = Path(a.dir) / f"lex-{size}.sqlite"
        print(f"== {size:,} rows ({size // ROWS_PER_ITEM:,} items)", flush=True)
        if not (a.reuse and path.exists()):
            how = "add() in meetings of 3,000 rows" if size <= 100_000 else "bulk, one transaction"
            print(f"  build ({how}): {build(path, size, rng, cdf, words):.1f} s", flush=True)
        adds, removes = add_meetings(path, rng, cdf, words)
        print(f"  add one meeting (60 rows) + commit: median {np.median(adds) * 1000:.0f} ms, "
              f"max {max(adds) * 1000:.0f} ms (5 meetings)")
        print(f"  remove one meeting + maybe_compact + commit: {removes[0] * 1000:.0f} ms")
        res = json.loads(subprocess.run([sys.executable, __file__, "--query-only", str(path),
                                         "--queries", str(a.queries)], capture_output=True, text=True,
                                        check=True).stdout)
        for label in ("plain", "allowed 30k rows"):
            p50, p95 = res[label]
            print(f"  query top-30 ({label}): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        print(f"  reader peak RSS (VmHWM): {res['rss_mb']:.0f} MB; vocabulary {res['vocab_terms']:,} terms "
              f"= {res['vocab_mb']:.0f} MB as a dict (not held by the index)")
        if size <= 100_000:  # the O(store) repair path; at 3M it is minutes of CPU on a shared machine
            conn = connect(path)
            t0 = time.perf_counter()
            LexicalIndex(conn).compact()
            conn.commit()
            print(f"  compact (full rewrite + recount): {time.perf_counter() - t0:.1f} s")
            conn.close()
        disk = sum(p.stat().st_size for p in Path(a.dir).glob(f"lex-{size}.sqlite*"))
        print(f"  disk: {disk / 2**20:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
