"""The reader of a built scale store with Chroma as a server: app RSS without the HNSW index, and the server's.

    python bench/scale_server.py STORE [--queries 60] [--add FOLDER]

STORE is a store ``bench/scale.py --keep DIR`` left (e.g. DIR/store-new-1000000). The script starts
``chroma run`` on 127.0.0.1 over the store's own ``chroma/`` folder, runs the same reader probe as
bench/scale.py (open, the app's retriever, lexical/dense/hybrid/filtered queries) in a fresh process
pointed at the server, and prints the probe's figures with the server's peak RSS beside them. This is
the deployment docs/DEPLOY.md recommends beyond one town: the dense index lives in one server process
that every app process shares. ``--add FOLDER`` also times one ingest run of FOLDER (a new meeting)
against the running server, as an ingest writer of that deployment would. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale import probe  # noqa: E402
from bench.scale_corpus import question_words  # noqa: E402


def queries(store: Path, n: int, seed: int = 11) -> list[dict[str, str]]:
    """Questions with a body + month filter of meetings the store holds."""
    conn = sqlite3.connect(store / "store.sqlite")
    meetings = conn.execute("SELECT body, date FROM items WHERE item_no % 997 = 0").fetchall()
    conn.close()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body, day = rng.choice(meetings)
        first = date.fromisoformat(day).replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        out.append({"text": f"Mitä päätettiin asiasta {question_words(rng)}?", "body": body,
                    "from": first.isoformat(), "to": last.isoformat()})
    return out


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(store: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path",
                             str(store / "chroma")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("chroma server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--add", type=Path, help="a folder with a new meeting to ingest against the server")
    args = ap.parse_args()
    server, port = start_server(args.store)
    try:
        r = probe(ROOT, {"mode": "read", "store": str(args.store), "queries": queries(args.store, args.queries),
                         "chroma_port": port})
        if args.add:  # after the reader: the server is warm, as the apps keep it in a deployment
            a = probe(ROOT, {"mode": "add", "store": str(args.store), "folder": str(args.add), "chroma_port": port})
            print(f"  add one meeting through the server: {a['s']:.2f} s (wrote {a['items_written']} items)")
        server_mb = peak_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"store {args.store}")
    print(f"  app process: open {r['open_s']:.1f} s, peak RSS {r['peak_mb']:,.0f} MB (after open {r['rss_open_mb']:,.0f} MB)")
    print(f"  chroma server: peak RSS {server_mb:,.0f} MB")
    print("  p50/p95 ms  " + "  ".join(
        f"{k} {np.percentile(r[k]['times_ms'], 50):.0f}/{np.percentile(r[k]['times_ms'], 95):.0f}"
        for k in ("lexical", "dense", "hybrid", "filtered")))
    print(json.dumps({"app_peak_mb": r["peak_mb"], "server_peak_mb": server_mb}))


if __name__ == "__main__":
    main()
