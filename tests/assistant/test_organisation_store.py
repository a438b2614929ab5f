"""Several organisations in one store: the organisation filter, labels, meetings kept apart, Swedish items.

Real pipeline, Chroma and bm25s with the fake embedder; fictional minutes in
tests/fixtures/organisations (each folder's pöytäkirjat.toml names its organisation).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.index import build_where
from assistant.plan import Asked, candidate_queries
from assistant.service import Assistant
from assistant.types import Query
from core import language
from core import store as st
from ingest.pipeline import run

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "organisations"
TODAY = date(2024, 6, 1)
KUUSI, KOIVU, BJORK = "Kuusijärven kaupunki", "Koivurannan kaupunki", "Björkby kommun"


@pytest.fixture
def bot(settings, fake_embedder) -> Assistant:
    run([FIX], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder, chat_model=None)


def _orgs(ans) -> set[str]:
    return {c.municipality for c in ans.citations}


def test_two_organisations_same_body_date_and_section_stay_apart(bot):
    khs = bot.index.filtered(Query("", bodies=["Kaupunginhallitus"], sections=[303]))
    assert {it.municipality for it in khs} == {KUUSI, KOIVU}
    meetings = [(m.municipality, m.body) for m in bot.index.meetings if m.date == "2023-12-04"]
    assert sorted(meetings) == [(KOIVU, "Kaupunginhallitus"), (KUUSI, "Kaupunginhallitus")]
    assert bot.organisations == (BJORK, KOIVU, KUUSI)


def test_question_naming_an_organisation_searches_only_its_items(bot):
    ans = bot.ask("Mitä Kuusijärven kaupunginhallitus päätti joulukuussa 2023?", today=TODAY)
    assert not ans.refused
    assert ans.query.municipalities == (KUUSI,) and ans.query.bodies == ["Kaupunginhallitus"]
    assert _orgs(ans) == {KUUSI} and [c.section for c in ans.citations] == [303, 304]
    assert "(Kuusijärven kaupunki, Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023)" in ans.text
    assert "Kirjasto" not in ans.text
    other = bot.ask("Mitä Koivurannalla päätettiin joulukuussa 2023?", today=TODAY)
    assert _orgs(other) == {KOIVU} and [c.section for c in other.citations] == [303]


def test_without_an_organisation_both_meetings_are_listed_under_their_own_headers(bot):
    ans = bot.ask("Mitä kaupunginhallitus päätti joulukuussa 2023?", today=TODAY)
    assert _orgs(ans) == {KUUSI, KOIVU}
    assert "**Kuusijärven kaupunki, Kaupunginhallitus 4.12.2023**" in ans.text
    assert "**Koivurannan kaupunki, Kaupunginhallitus 4.12.2023**" in ans.text
    assert {c.label().split(",")[0] for c in ans.citations} == {KUUSI, KOIVU}


def test_topic_question_with_organisation_filters_lexical_and_dense_sides(bot):
    asked = Asked("Mitä Koivurannan kaupunki päätti uimahallista?", TODAY)
    (q,) = candidate_queries(asked, bot.catalog)
    assert q.municipalities == (KOIVU,) and "Koivurannan" not in q.keywords
    assert {"municipality": {"$in": [KOIVU]}} in build_where(q)["$and"]
    hits = bot.retriever.retrieve(q).hits
    assert hits and {h.item.municipality for h in hits} == {KOIVU}
    # The dense side's Chroma filter itself holds (the metadata carries the organisation).
    dense_ids = [i for i, _s, _r in bot.index.dense("uimahalli", build_where(q), 10)]
    assert {it.municipality for it in bot.index.items(dense_ids).values()} == {KOIVU}


def test_follow_up_keeps_the_organisation(bot):
    from assistant.service import Conversation

    conv = Conversation()
    bot.ask("Mitä Kuusijärven kaupunginhallitus päätti joulukuussa 2023?", conv, today=TODAY)
    ans = bot.ask("Entä marraskuussa?", conv, today=TODAY)
    assert ans.query.municipalities == (KUUSI,)


def test_swedish_items_get_swedish_stems_and_a_swedish_question_finds_them(bot):
    sv_items = bot.index.filtered(Query("", municipalities=(BJORK,)))
    fi_items = bot.index.filtered(Query("", municipalities=(KUUSI,)))
    assert sv_items and fi_items
    assert all({"sv:simhall", "sv:gatubelysning"} & bot.index.item_tokens(it.item_id) for it in sv_items)
    assert not any(t.startswith("sv:") for it in fi_items for t in bot.index.item_tokens(it.item_id))
    found = bot.index.lexical(language.query_tokens("Renoveringen av simhallar"), None, 5)
    assert bot.index.item(found[0][0]).title == "Renovering av simhallen"


def test_one_organisation_store_parses_and_labels_as_before(settings, fake_embedder, tmp_path):
    one = tmp_path / "one"
    shutil.copytree(FIX / "kuusijarvi", one)
    run([one], settings, embedder=fake_embedder)
    bot = Assistant.open(settings, embedder=fake_embedder, chat_model=None)
    # With one organisation its name is no filter, and it is not searched for either: every item is
    # that organisation's, so the words would only pull the embedder towards items naming the town.
    q = bot.ask("Mitä Kuusijärven kaupunginhallitus päätti?", today=TODAY).query
    assert q.municipalities == () and q.bodies == ["Kaupunginhallitus"]
    assert "Kuusijärve" not in q.text and "Kuusijärve" not in q.keywords
    ans = bot.ask("Mitä kaupunginhallitus päätti joulukuussa 2023?", today=TODAY)
    assert "(Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023)" in ans.text
    assert all(c.organisation is None for c in ans.citations)


def test_tokenizer_change_rebuilds_stems_and_refreshes_old_vectors_metadata(settings, fake_embedder):
    run([FIX], settings, embedder=fake_embedder)
    coll = st.get_collection(st.open_client(settings), st.read_meta(settings.store_dir).collection)
    ids = coll.get(include=[])["ids"]
    coll.update(ids=ids, metadatas=[{"municipality": ""}] * len(ids))  # as written before the field existed
    conn = st.connect(settings.store_dir)
    conn.execute("UPDATE meta SET value = 'voikko/1' WHERE key = 'tokenizer'")  # as an older analyser wrote it
    conn.close()
    summary = run([FIX], settings, embedder=fake_embedder)
    assert summary.passages_embedded == 0  # nothing re-embedded
    metas = coll.get(ids=ids, include=["metadatas"])["metadatas"]
    assert {x["municipality"] for x in metas} == {KUUSI, KOIVU, BJORK}


def test_minutes_that_never_name_their_body_are_searchable(settings, fake_embedder, tmp_path):
    # A text dump that names no body gives items with an empty body; the question parser builds its
    # body aliases from the store's bodies and had failed on the empty name (IndexError).
    layouts = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
    src = tmp_path / "minutes"
    src.mkdir()
    for name in ("docplayer_bare.txt", "web_lisatiedot.txt"):
        shutil.copy(layouts / name, src / name)
    run([src], settings, embedder=fake_embedder)
    bot = Assistant.open(settings, embedder=fake_embedder, chat_model=None)
    ans = bot.ask("Mitä tekninen lautakunta päätti kevyen liikenteen väylän urakasta?", today=date(2026, 12, 7))
    assert not ans.refused and {c.section for c in ans.citations} == {13}
    ans = bot.ask("Paljonko Kuusikylän leikkikentän uusiminen maksaa?", today=date(2026, 12, 7))
    # The item without a body is found and labelled as such (answered or offered as the nearest).
    assert ans.retrieved[0].section == 24 and ans.retrieved[0].body == ""
    assert "Leikkikentän uusiminen" in ans.text
