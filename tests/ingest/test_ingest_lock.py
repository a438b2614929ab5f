"""Two real ingest processes on overlapping corpora into one store: the second waits for the lock, and the
result equals the same two runs done one after the other."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core import store as st
from ingest.pipeline import run

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from core.config import Settings
    from core.embedding import FakeEmbedder
    from ingest.pipeline import run

    store, marker, wait_for = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

    class Slow(FakeEmbedder):
        def embed_documents(self, texts):
            # Hold the lock until the other process is about to ask for it.
            marker.write_text("embedding")
            end = time.time() + 60
            while sys.argv[3] != "-" and not wait_for.exists() and time.time() < end:
                time.sleep(0.05)
            time.sleep(1.0)
            return super().embed_documents(texts)

    if sys.argv[3] == "-":
        marker.write_text("starting")
    s = run([Path(p) for p in sys.argv[4:]], Settings.from_env(env={}, store_dir=store),
            embedder=Slow(), on_wait=lambda m: print(m, file=sys.stderr, flush=True))
    print(s.items_total)
""")


def _state(store: Path, settings) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    items = {i.item_id: i.content_hash for i in st.items_in(store)}
    rows = set(st.passage_ids_in(store))
    col = st.get_collection(st.open_client(settings), st.read_meta(store).collection)
    return items, rows, set(col.get(include=[])["ids"]), set(st.read_corpus(store).files)


def test_two_ingests_at_once_equal_a_sequential_run(tmp_path: Path, write_meeting, settings, fake_embedder):
    from dataclasses import replace

    corpus = tmp_path / "corpus"
    files = [write_meeting(corpus, f"pktalk-2026-0{n}.txt", "PKTALK", f"1{n}.0{n}.2026", [
        (10 * n + k, f"Asia {n}-{k}", f"{1000 + 10 * n + k}/00.01.02.06/2026", "Selostus asiasta. " * 120,
         "Hyväksyttiin.") for k in range(6)]) for n in range(1, 5)]
    first, second = files[:3], files[1:]  # two meetings in both runs

    store = tmp_path / "shared-store"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    marker, b_started = tmp_path / "a-embedding", tmp_path / "b-started"
    a = subprocess.Popen([sys.executable, "-c", SCRIPT, str(store), str(marker), str(b_started), *map(str, first)],
                         cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and a.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "first ingest never started embedding"
    b = subprocess.Popen([sys.executable, "-c", SCRIPT, str(store), str(b_started), "-", *map(str, second)],
                         cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, err_a + err_b
    assert "odotetaan" in err_b  # the second run said why it waited

    seq = replace(settings, store_dir=tmp_path / "sequential-store")
    run(first, seq, embedder=fake_embedder)
    run(second, seq, embedder=fake_embedder)
    together = _state(store, replace(settings, store_dir=store))
    one_by_one = _state(seq.store_dir, seq)
    assert len(together[0]) == 24 and len(together[3]) == 4
    assert together == one_by_one
