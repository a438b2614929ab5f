"""CHROMA_HOST/CHROMA_PORT: the same pipeline and assistant against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
