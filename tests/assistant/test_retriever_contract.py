"""Retriever contract on a small real store (pipeline, bm25s, Chroma): every side respects the filters,
ranks are stable, and a filter nothing passes gives an empty result.

The fast tier uses the fake embedder; the same contract runs with the real one under ``slow``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.index import SearchIndex, item_matches
from assistant.retriever import HybridRetriever
from assistant.types import Query
from core.config import Settings
from ingest.pipeline import run

TOPIC = "uimahallin peruskorjaus työllistäminen"

FILTERS = {
    "body": {"bodies": ["Kaupunginhallitus"]},
    "date-range": {"date_from": "2026-03-01", "date_to": "2026-03-31"},
    "section": {"sections": [13]},
    "body-and-date": {"bodies": ["Pohjois-Karjalan työllisyysalueen lautakunta"], "date_from": "2026-04-01",
                      "date_to": "2026-04-30"},
}
IMPOSSIBLE = {
    "unknown-body": {"bodies": ["Ei tällaista lautakuntaa"]},
    "no-meeting-in-range": {"date_from": "2024-01-01", "date_to": "2024-12-31"},
    "no-such-section": {"sections": [999]},
    "section-of-another-body": {"bodies": ["Kaupunginhallitus"], "sections": [20]},
}


@pytest.fixture(scope="module", params=[
    "fake", pytest.param("real", marks=pytest.mark.slow)])
def retriever(request, tmp_path_factory, write_corpus_for_contract) -> HybridRetriever:
    tmp = tmp_path_factory.mktemp(f"contract-{request.param}")
    settings = Settings.from_env(env={k: v for k, v in os.environ.items() if k == "MINUTES_MODEL_CACHE"},
                                 store_dir=tmp / "store")
    if request.param == "fake":
        from core.embedding import FakeEmbedder

        embedder = FakeEmbedder()
    else:
        from assistant.service import shared_embedder

        embedder = shared_embedder(settings)
    assert run([write_corpus_for_contract(tmp / "corpus")], settings, embedder=embedder).ok
    return HybridRetriever(SearchIndex(settings, embedder))


@pytest.fixture(scope="module")
def write_corpus_for_contract():
    from tests.conftest import _meeting_text

    def write(d: Path) -> Path:
        d.mkdir(parents=True)
        meetings = {
            "pktalk-2026-03.txt": ("PKTALK", "10.03.2026", [
                (12, "Palkkatuen myöntämisperusteet", "1637/00.01.02.06/2026",
                 "Palkkatukea myönnetään enintään 120 henkilölle.", "Hyväksyttiin yksimielisesti."),
                (13, "Uimahallin peruskorjauksen työllistämishanke", "1638/00.01.02.06/2026",
                 "Uimahallin peruskorjaukseen palkataan kuusi työkokeilijaa.", "Lautakunta päätti käynnistää hankkeen."),
            ]),
            "pktalk-2026-04.txt": ("PKTALK", "14.04.2026", [
                (20, "Uimahallin työllistämishankkeen jatko", "1700/00.01.02.06/2026",
                 "Uimahallin peruskorjauksen työllistämistä jatketaan syksyyn.", "Hyväksyttiin."),
                (21, "Nuorten kesätyöt", "1701/00.01.02.06/2026",
                 "Nuorten kesätyösetelin arvo on 350 euroa.", "Lautakunta hyväksyi kesätyösetelin."),
            ]),
            "kh-2026-03.txt": ("KH", "17.03.2026", [
                (85, "Uimahallin peruskorjauksen rahoitus", "1800/02.02.00/2026",
                 "Uimahallin peruskorjaukseen varataan 2 miljoonaa euroa.", "Kaupunginhallitus hyväksyi rahoituksen."),
                (86, "Katuvalaistuksen kunnostus", "1801/02.02.00/2026",
                 "Katuvalaistuksen LED-vaihto tehdään kesällä.", "Merkittiin tiedoksi."),
            ]),
        }
        for name, (abbr, day, items) in meetings.items():
            (d / name).write_text(_meeting_text(abbr, day, items), encoding="utf-8")
        return d

    return write


def _query(**filters) -> Query:
    return Query(text=TOPIC, keywords=TOPIC, **filters)


def _allowed(r: HybridRetriever, q: Query) -> set[str]:
    return {it.item_id for it in r.index.filtered(q)}


def test_store_has_both_bodies(retriever):
    assert set(retriever.index.bodies()) == {"Kaupunginhallitus", "Pohjois-Karjalan työllisyysalueen lautakunta"}


@pytest.mark.parametrize("name", FILTERS)
def test_every_side_respects_the_filters(retriever, name):
    q = _query(**FILTERS[name])
    allowed = _allowed(retriever, q)
    assert allowed, "the filter must match something in the store"
    item = retriever.index.item
    lexical = retriever.lexical(q, allowed)
    dense_where_only = retriever.dense(q, None)  # the Chroma where-filter alone, no in-memory re-check
    hybrid = retriever.retrieve(q).hits
    assert lexical and hybrid
    for side, ids in (("lexical", [r[0] for r in lexical]), ("dense", [r[0] for r in dense_where_only]),
                      ("hybrid", [h.item.item_id for h in hybrid])):
        bad = [item(i).citation() for i in ids if not item_matches(item(i), q)]
        assert not bad, f"{side} side broke the {name} filter: {bad}"


@pytest.mark.parametrize("name", [None, *FILTERS])
def test_ranks_are_stable_across_calls(retriever, name):
    q = _query(**(FILTERS[name] if name else {}))
    first, second = retriever.retrieve(q), retriever.retrieve(q)
    key = [(h.item.item_id, h.fused_rank, h.lexical_rank, h.dense_rank, h.via) for h in first.hits]
    assert key == [(h.item.item_id, h.fused_rank, h.lexical_rank, h.dense_rank, h.via) for h in second.hits]
    assert [r[0] for r in retriever.lexical(q, None)] == [r[0] for r in retriever.lexical(q, None)]
    assert [r[0] for r in retriever.dense(q, None)] == [r[0] for r in retriever.dense(q, None)]


def test_hits_carry_every_retrievers_rank(retriever):
    hits = retriever.retrieve(_query()).hits
    assert [h.fused_rank for h in hits] == list(range(1, len(hits) + 1))
    both = [h for h in hits if set(h.via) == {"lexical", "dense"}]
    assert both and all(h.lexical_rank and h.dense_rank and h.lexical_score > 0 for h in both)
    lexical_ranks = sorted(h.lexical_rank for h in hits if h.lexical_rank)
    assert lexical_ranks == list(range(1, len(lexical_ranks) + 1))


@pytest.mark.parametrize("name", IMPOSSIBLE)
def test_impossible_filters_give_an_empty_result(retriever, name):
    q = _query(**IMPOSSIBLE[name])
    allowed = _allowed(retriever, q)
    assert allowed == set()
    assert retriever.lexical(q, allowed) == []
    assert retriever.dense(q, None) == []  # Chroma's where-filter alone finds nothing
    cands = retriever.retrieve(q)
    assert cands.hits == () and cands.listing == ()


def test_not_after_hides_later_minutes_on_every_side(retriever):
    q = replace(_query(), not_after="2026-03-31")
    assert all(h.item.date <= "2026-03-31" for h in retriever.retrieve(q).hits)
    assert all(retriever.index.item(r[0]).date <= "2026-03-31" for r in retriever.dense(q, None))


def test_a_filter_every_item_passes_searches_without_a_where(retriever, monkeypatch):
    # "Not after today" usually lets every item through: Chroma's where would scan every passage's
    # metadata to drop nothing, so the graph search runs unfiltered and finds what no filter finds.
    wheres = []
    inner = retriever.index.dense
    monkeypatch.setattr(retriever.index, "dense",
                        lambda text, where, k, **kw: wheres.append(where) or inner(text, where, k, **kw))
    everything = retriever.retrieve(replace(_query(), not_after="2099-12-31")).hits
    assert wheres == [None]
    plain = retriever.retrieve(_query()).hits
    assert [(h.item.item_id, h.dense_rank) for h in everything] == [(h.item.item_id, h.dense_rank) for h in plain]
    retriever.retrieve(replace(_query(), not_after="2026-03-31"))  # one that drops items keeps its where
    assert wheres[-1] == {"date_num": {"$lte": 20260331}}


def test_a_hit_only_the_lexical_side_found_has_its_true_similarity(retriever):
    # With the dense side fetching one passage, the other items come from BM25 alone; their similarity
    # is scored from their own vectors, not left at 0 (which would read as "unlike the question").
    narrow = HybridRetriever(retriever.index, fetch_k=1)
    hits = narrow.retrieve(_query()).hits
    lexical_only = [h for h in hits if h.dense_rank is None]
    assert lexical_only, "the fixture should leave items to the lexical side"
    exact = retriever.index.similarities(_query().text, [h.item.item_id for h in lexical_only])
    for h in lexical_only:
        assert h.dense_sim == pytest.approx(exact[h.item.item_id]) and h.dense_sim != 0.0
        # The same number the dense side gives when it does fetch the item.
        wide = {w.item.item_id: w for w in retriever.retrieve(_query()).hits}
        if h.item.item_id in wide and wide[h.item.item_id].dense_rank is not None:
            assert h.dense_sim == pytest.approx(wide[h.item.item_id].dense_sim, abs=1e-4)


def test_the_graph_search_keeps_enough_candidates(retriever):
    from core import store as st
    from core.vectors import SEARCH_EF

    settings = retriever.index.settings
    col = st.get_collection(st.open_client(settings), retriever.index.manifest.collection)
    assert col.configuration["hnsw"]["ef_search"] >= SEARCH_EF
