"""The vector collection searches wide enough (core.vectors.SEARCH_EF), and an older store is widened."""

from __future__ import annotations

from core import store as st
from core.vectors import SEARCH_EF
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
    col.modify(configuration={"hnsw": {"ef_search": 100}})  # as Chroma's default built it
    assert _ef(settings) == 100
    summary = run([], settings, embedder=fake_embedder, upgrade=True)
    assert _ef(settings) == SEARCH_EF
    assert summary.passages_embedded == 0 and summary.items_written == 0
