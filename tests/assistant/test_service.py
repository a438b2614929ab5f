"""The assistant end to end on a small store: filters, lookups, refusals, follow-ups, agendas.

Uses the real pipeline, Chroma and bm25s with the fake embedder (fast); the real
embedder runs in tests/assistant/test_demo_answers.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from assistant import prompts
from assistant.service import Assistant, Conversation
from ingest.pipeline import run

TODAY = date(2026, 11, 28)


@pytest.fixture
def bot(small_corpus: Path, settings, fake_embedder) -> Assistant:
    run([small_corpus], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder, chat_model=None)


def _sections(ans) -> list[int]:
    return [c.section for c in ans.citations]


def test_month_question_lists_that_meetings_substantive_items(bot):
    ans = bot.ask("Mitä työllisyysalue päätti maaliskuussa?", today=TODAY)
    assert not ans.refused
    assert _sections(ans) == [12, 13, 14]
    assert "(Pohjois-Karjalan työllisyysalueen lautakunta 10.3.2026 § 12, 1637/00.01.02.06/2026)" in ans.text
    assert "Lautakunta päätti käynnistää hankkeen" in ans.text
    # "Hyväksyttiin yksimielisesti" alone says nothing: the proposal comes with it.
    assert "palkkatuen myöntämisperusteet" in ans.text.lower()


def test_follow_up_keeps_the_body_and_moves_the_month(bot):
    conv = Conversation()
    bot.ask("Mitä työllisyysalue päätti maaliskuussa?", conv, today=TODAY)
    ans = bot.ask("Entä huhtikuussa?", conv, today=TODAY)
    assert _sections(ans) == [20, 21]
    conv.reset()
    assert conv.previous is None and conv.turns == []


def test_case_id_lookup_is_exact(bot):
    ans = bot.ask("Mikä on asian 1639/00.01.02.06/2026 päätös?", today=TODAY)
    assert _sections(ans) == [14]
    assert "Merkittiin tiedoksi" in ans.text


def test_month_without_meetings_refuses_and_names_nearest(bot):
    ans = bot.ask("Mitä työllisyysalue päätti kesäkuussa 2026?", today=TODAY)
    assert ans.refused and ans.citations == []
    assert ans.text.startswith(prompts.REFUSAL)
    assert "kesäkuu" in ans.text and "14.4.2026" in ans.notice


def test_topic_not_in_minutes_is_refused(bot):
    ans = bot.ask("Mitä päätettiin frisbeegolfradan rakentamisesta?", today=TODAY)
    assert ans.refused and ans.citations == []
    assert "frisbeegolfradan" in ans.text


def test_fact_question_quotes_the_sentence_with_the_amount(bot):
    ans = bot.ask("Paljonko palkkatukeen varataan määrärahaa?", today=TODAY)
    assert not ans.refused
    assert "450 000 euroa" in ans.text
    assert _sections(ans)[0] == 12


def test_every_citation_was_retrieved_and_every_line_cites(bot):
    for q in ["Mitä työllisyysalue päätti maaliskuussa?", "Paljonko kesätyöseteli on?",
              "Mitä uimahallin peruskorjauksesta päätettiin?"]:
        ans = bot.ask(q, today=TODAY)
        retrieved = {c.item_id for c in ans.retrieved}
        assert {c.item_id for c in ans.citations} <= retrieved
        labels = [c.label() for c in ans.citations]
        for line in ans.text.splitlines():
            if line.strip() and not line.startswith(("**",)) and not line.endswith(":"):
                # Every line ends with a marker [n] of Answer.citations; the first mention spells the label.
                n = int(re.search(r"\[(\d+)\]$", line).group(1))
                assert 1 <= n <= len(labels), line
        for n, label in enumerate(labels, 1):
            assert f"({label}) [{n}]" in ans.text


def test_ui_filters_override(bot):
    ans = bot.ask("Mitä lautakunta päätti?", today=TODAY, date_from="2026-04-01", date_to="2026-04-30")
    assert set(_sections(ans)) <= {20, 21} and _sections(ans)


def test_empty_and_overlong_questions(bot):
    assert bot.ask("   ").refused
    ans = bot.ask("Paljonko kesätyöseteli on? " + "x" * 5000, today=TODAY)
    assert ans.query is not None and len(ans.query.text) <= 1000


def test_list_question_lists_every_matching_item(tmp_path, settings, fake_embedder, write_meeting):
    d = tmp_path / "lists"
    write_meeting(d, "a.txt", "PKTALK", "10.03.2026", [
        (1, "Ympäristölupahakemus / Sora Oy", "10/00.01.02.06/2026", "Ympäristölupa soranottoon.", "Lupa myönnettiin."),
        (2, "Palkkatuen periaatteet", "11/00.01.02.06/2026", "Palkkatuesta päätetään.", "Hyväksyttiin."),
    ])
    write_meeting(d, "b.txt", "PKTALK", "14.04.2026", [
        (5, "Ympäristölupahakemus / Murske Ky", "12/00.01.02.06/2026", "Ympäristölupa murskaamolle.",
         "Lupa myönnettiin ehdoin."),
    ])
    run([d], settings, embedder=fake_embedder)
    bot = Assistant.open(settings, embedder=fake_embedder)
    ans = bot.ask("Mitä ympäristölupia on käsitelty?", today=TODAY)
    assert sorted(c.section for c in ans.citations) == [1, 5]
    assert ans.text.startswith(prompts.render("topic_intro_fi"))
