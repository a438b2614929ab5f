"""The real thing on the demo corpus: real embedder, Chroma, bm25s, Voikko; answers checked by content."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from assistant import prompts
from assistant.service import Assistant, Conversation
from core.config import DEMO_CORPUS, Settings
from ingest.pipeline import run

pytestmark = pytest.mark.slow
TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def bot(tmp_path_factory) -> Assistant:
    settings = Settings.from_env(env={}, store_dir=tmp_path_factory.mktemp("demo") / "store")
    summary = run([DEMO_CORPUS], settings)
    assert summary.ok and summary.items_total >= 40
    return Assistant.open(settings, chat_model=None)


def test_employment_board_march_decisions_with_section_and_case_id(bot):
    ans = bot.ask("Mitä työllisyysalue päätti maaliskuussa?", today=TODAY)
    assert not ans.refused
    assert ans.citations and all(c.body == "Esimerkkiseudun työllisyysalueen lautakunta" for c in ans.citations)
    assert all(c.date == "2026-03-10" for c in ans.citations)
    sections = [c.section for c in ans.citations]
    assert 12 in sections and 10 not in sections and 11 not in sections  # routine items left out
    assert re.search(r"\(Esimerkkiseudun työllisyysalueen lautakunta 10\.3\.2026 § 12, 1637/00\.01\.02\.06/2026\)",
                     ans.text)


def test_follow_up_moves_to_may(bot):
    conv = Conversation()
    bot.ask("Mitä työllisyysalue päätti maaliskuussa?", conv, today=TODAY)
    ans = bot.ask("Entä toukokuussa?", conv, today=TODAY)
    assert ans.citations and {c.date for c in ans.citations} == {"2026-05-12"}


def test_paraphrase_reaches_the_swimming_hall_through_dense_search(bot):
    ans = bot.ask("Milloin uimahallin remontti alkaa ja paljonko se maksaa?", today=TODAY)
    assert not ans.refused
    assert any("uimahalli" in c.title.lower() for c in ans.citations)


def test_case_history_across_bodies(bot):
    ans = bot.ask("Mitä asiassa ESIDno-2025-512 on päätetty?", today=TODAY)
    bodies = {c.body for c in ans.citations}
    assert {"Tekninen lautakunta", "Kaupunginhallitus", "Kaupunginvaltuusto"} <= bodies


def test_unknown_topic_is_refused_without_citations(bot):
    ans = bot.ask("Mitä päätettiin tuulivoimapuiston kaavoituksesta?", today=TODAY)
    assert ans.refused and ans.citations == [] and ans.text.startswith(prompts.REFUSAL)


def test_vote_is_reported(bot):
    ans = bot.ask("Miten kaupunginhallitus äänesti joukkoliikennealoitteesta?", today=TODAY)
    assert not ans.refused
    assert "7" in ans.text and "4" in ans.text
    assert [c.section for c in ans.citations][:1] == [27]


def test_cli_json_output(bot, capsys, monkeypatch):
    import json

    from assistant import __main__ as cli

    monkeypatch.setenv("MINUTES_STORE", str(bot.settings.store_dir))
    assert cli.main(["--json", "--as-of", "2026-11-28", "Mitä asiassa ESIDno-2026-58 päätettiin?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answer", "refused", "citations", "retrieved", "dropped_sentences"}
    assert data["dropped_sentences"] == 0  # no LLM: nothing was dropped
    assert data["citations"][0]["section"] == 24 and data["citations"][0]["case_id"] == "ESIDno-2026-58"
    assert Path(data["citations"][0]["source"]).name == "kaupunginhallitus-2026-02-23.pdf"
    assert len(data["retrieved"]) >= 10


def test_a_boards_chair_comes_from_its_meetings_attendance_lists(bot):
    ans = bot.ask("Kuka on teknisen lautakunnan puheenjohtaja?", today=TODAY)
    assert not ans.refused
    assert ans.text.startswith("Puheenjohtaja (Tekninen lautakunta) on pöytäkirjojen mukaan Matti Kangas.")
    assert ans.citations and ans.citations[0].body == "Tekninen lautakunta"
    ans = bot.ask("Kuka on sivistyslautakunnan puheenjohtaja?", today=TODAY)
    assert "Kaisa Leppänen" in ans.text.split(".")[0]


def test_a_boards_members_are_its_newest_meetings_attendance_list(bot):
    ans = bot.ask("Ketkä ovat sivistyslautakunnan jäsenet?", today=TODAY)
    assert not ans.refused
    assert ans.text.startswith("Sivistyslautakunta, kokous 22.4.2026. Saapuvilla olleet jäsenet: Kaisa Leppänen (puheenjohtaja)")
    assert ans.citations and {c.date for c in ans.citations} == {"2026-04-22"}


def test_who_chaired_one_meeting_is_read_from_that_meetings_list(bot):
    ans = bot.ask("Kuka oli teknisen lautakunnan puheenjohtajana kokouksessa 12.2.2026?", today=TODAY)
    # The role as listed (not "puheenjohtajana"), the body and the meeting asked about, then the name.
    assert re.match(r"Puheenjohtaja \(Tekninen lautakunta, [^)]*12\.2\.2026\) on pöytäkirjojen mukaan Matti Kangas\.",
                    ans.text), ans.text
    assert {c.date for c in ans.citations} == {"2026-02-12"}
