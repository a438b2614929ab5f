"""A real kill -9 in the middle of embedding leaves the previous index intact; the next run completes it."""

from __future__ import annotations

import os
import signal
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

    class Slow(FakeEmbedder):
        calls = 0
        def embed_documents(self, texts):
            Slow.calls += 1
            if Slow.calls == 2:
                Path(sys.argv[3]).write_text("embedding")
            time.sleep(0.5)
            return super().embed_documents(texts)

    run([Path(sys.argv[1])], Settings.from_env(env={}, store_dir=Path(sys.argv[2])), embedder=Slow())
""")


def test_kill_during_embedding(tmp_path: Path, small_corpus: Path, settings, fake_embedder, write_meeting):
    run([small_corpus], settings, embedder=fake_embedder)
    before = {i.item_id: i.content_hash for i in st.items_in(settings.store_dir)}
    items = [(100 + n, f"Asia numero {n}", f"{2000 + n}/00.01.02.06/2026", "Selostus. " * 200, "Hyväksyttiin.")
             for n in range(60)]
    write_meeting(small_corpus, "pktalk-2026-06.txt", "PKTALK", "09.06.2026", items)
    marker = tmp_path / "marker"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(small_corpus), str(settings.store_dir), str(marker)],
                            cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "embedding never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    after = {i.item_id: i.content_hash for i in st.items_in(settings.store_dir)}
    assert after == before  # the committed state is the previous one
    from assistant.service import Assistant

    bot = Assistant.open(settings, embedder=fake_embedder)
    assert bot.index.item_count() == 5
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.items_total == 65
    assert 0 < s.passages_embedded < len(st.passage_ids_in(settings.store_dir))
