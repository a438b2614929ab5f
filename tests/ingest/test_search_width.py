"""The vector collection searches wide enough (core.vectors.SEARCH_EF), and an older store is widened."""

from __future__ import annotations

import pytest

from core import store as st
from core.vectors import SEARCH_EF, when_unlocked
from ingest.pipeline import run


def _ef(settings) -> int:
    col = st.get_collection(st.open_client(settings), st.read_meta(settings.store_dir).collection)
    return col.configuration["hnsw"]["ef_search"]


def test_a_new_store_searches_wide(small_corpus, settings, fake_embedder):
    assert run([small_corpus], settings, embedder=fake_embedder).ok
    assert _ef(settings) == SEARCH_EF


def test_upgrade_widens_an_older_store_without_reembedding(small_corpus, settings, fake_embedder):
    assert run([small_corpus], settings, embedder=fake_embedder).ok
    col = st.get_collection(st.open_client(settings), st.read_meta(settings.store_dir).collection)
    when_unlocked(lambda: col.modify(configuration={"hnsw": {"ef_search": 100}}))  # as Chroma's default built it
    assert _ef(settings) == 100
    summary = run([], settings, embedder=fake_embedder, upgrade=True)
    assert _ef(settings) == SEARCH_EF
    assert summary.passages_embedded == 0 and summary.items_written == 0


def test_a_change_meeting_the_background_compaction_waits_for_the_lock():
    calls = []

    def change():
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("Database error: error returned from database: (code: 5) database is locked")
        return "done"

    assert when_unlocked(change, pause_s=0.001) == "done" and len(calls) == 3
    other = []

    def broken():
        other.append(1)
        raise RuntimeError("no such collection")

    with pytest.raises(RuntimeError, match="no such collection"):
        when_unlocked(broken, pause_s=0.001)
    assert len(other) == 1  # only the lock is waited out
