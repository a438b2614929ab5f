"""CHROMA_HOST/CHROMA_PORT: the same pipeline and assistant against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    """A free port on 127.0.0.1: from CHROMA_TEST_PORTS ("8100-8109") when set, else any."""
    lo, _, hi = os.environ.get("CHROMA_TEST_PORTS", "0-0").partition("-")
    for port in range(int(lo), int(hi or lo) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port in CHROMA_TEST_PORTS")


@pytest.fixture
def chroma_server(tmp_path: Path):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "")
    if not exe.exists():
        pytest.skip("chroma CLI not installed")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path",
                             str(tmp_path / "server-data")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_pipeline_and_assistant_over_chroma_server(chroma_server, small_corpus, settings, fake_embedder, tmp_path):
    import chromadb

    from assistant.service import Assistant
    from ingest.pipeline import run

    s = replace(settings, chroma_host="127.0.0.1", chroma_port=chroma_server)
    summary = run([small_corpus], s, embedder=fake_embedder)
    assert summary.items_total == 5
    assert not (s.store_dir / "chroma").exists()  # vectors went to the server, not the embedded store
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    assert len(names) == 1 and names[0].startswith("minutes-passages-")
    assert client.get_collection(names[0]).count() >= 5
    bot = Assistant.open(s, embedder=fake_embedder)
    ans = bot.ask("Mikä on asian 1638/00.01.02.06/2026 päätös?", today=date(2026, 11, 28))
    assert [c.section for c in ans.citations] == [13]
    assert run([small_corpus], s, embedder=fake_embedder).wrote is False


READER = textwrap.dedent("""
    import sys, time
    from dataclasses import replace
    from datetime import date
    from pathlib import Path
    from core.config import Settings
    from core.embedding import FakeEmbedder
    from assistant.service import Assistant

    s = replace(Settings.from_env(env={}, store_dir=Path(sys.argv[1])), chroma_host="127.0.0.1",
                chroma_port=int(sys.argv[2]))
    bot = Assistant.open(s, embedder=FakeEmbedder())
    stop, answered = Path(sys.argv[3]), 0
    Path(sys.argv[4]).write_text("ready")
    while not stop.exists():
        a = bot.ask("Mikä on asian 1638/00.01.02.06/2026 päätös?", today=date(2026, 11, 28))
        assert [c.section for c in a.citations] == [13], a.text
        answered += 1
    # The same running process, after the commit: it follows the writer without a restart.
    a = bot.ask("Mikä on asian 3005/00.01.02.06/2026 päätös?", today=date(2026, 11, 28))
    print(answered, bot.index.item_count(), *[c.section for c in a.citations])
""")


def test_two_readers_keep_answering_while_ingest_writes(chroma_server, small_corpus, settings, fake_embedder,
                                                         write_meeting, tmp_path):
    from assistant.service import Assistant
    from core.embedding import FakeEmbedder
    from ingest.pipeline import run

    s = replace(settings, chroma_host="127.0.0.1", chroma_port=chroma_server)
    run([small_corpus], s, embedder=fake_embedder)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    stop = tmp_path / "stop"
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(s.store_dir), str(chroma_server), str(stop),
                                 str(r)], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for r in ready]
    deadline = time.time() + 120
    while not all(r.exists() for r in ready) and time.time() < deadline:
        time.sleep(0.1)
    write_meeting(small_corpus, "pktalk-2026-06.txt", "PKTALK", "09.06.2026", [
        (100 + n, f"Asia numero {n}", f"{3000 + n}/00.01.02.06/2026", "Selostus. " * 150, "Hyväksyttiin.")
        for n in range(30)])

    class Slow(FakeEmbedder):
        def embed_documents(self, texts):
            time.sleep(1.0)  # keeps the writer busy while the readers ask
            return super().embed_documents(texts)

    summary = run([small_corpus], s, embedder=Slow())
    stop.write_text("stop")
    outs = [r.communicate(timeout=60) for r in readers]
    for r, (out, err) in zip(readers, outs, strict=True):
        assert r.returncode == 0, err
        answered, count, *sections = (int(x) for x in out.split())
        assert answered > 0 and count == 35 and sections == [105]
    assert summary.items_total == 35
    assert Assistant.open(s, embedder=fake_embedder).index.item_count() == 35  # a new reader sees the commit
