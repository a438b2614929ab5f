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


def test_of_two_readings_the_answer_comes_from_the_one_the_model_trusts_more():
    from types import SimpleNamespace as NS

    from assistant.service import _most_trusted

    def ev(*probs):
        return NS(relevance=[NS(probability=p, answers=p >= 0.5) for p in probs])

    answered, refused = NS(refused=False), NS(refused=True)
    assert _most_trusted([answered, answered], [ev(0.6, 0.2), ev(0.9)]) == 1
    assert _most_trusted([answered, answered], [ev(0.7), ev(0.7)]) == 0  # a tie keeps the earlier reading
    assert _most_trusted([refused, answered], [ev(0.95), ev(0.55)]) == 1  # a refusal is never picked
    assert _most_trusted([refused, refused], [ev(0.1), ev(0.2)]) == 0
    # the event-month reading has no evidence of its own: it answers only when the others refuse
    assert _most_trusted([refused, answered], [ev(0.1)]) == 1



_PROJECTS = [
    (40, "Sähkökaappien maalaus taideteoksiksi / rahoitushakemus", "400/12.00.00/2026",
     "Nuorisopalvelut hakee Leader-rahoitusta hankkeeseen, jossa nuoret maalaavat kaupungin sähkökaapit "
     "taideteoksiksi kesän aikana.",
     "Lautakunta päätti hakea Leader-rahoitusta. Kokonaisbudjetti on 99 000 euroa, josta Leader-rahoitus on 80 %."),
    (41, "Kyläteiden kunnostushanke", "401/10.03.00/2026",
     "Kyläteiden kunnostushanke maksaa 250 000 euroa, ja se toteutetaan kahdessa osassa.",
     "Lautakunta hyväksyi kyläteiden kunnostushankkeen, joka maksaa 250 000 euroa."),
    (42, "Koulun pihan kunnostushanke", "402/10.03.00/2026",
     "Koulun pihan kunnostushanke maksaa 40 000 euroa, ja työt tehdään kesälomalla.",
     "Lautakunta hyväksyi koulun pihan kunnostushankkeen, joka maksaa 40 000 euroa."),
]


def test_a_follow_up_referring_back_answers_about_the_previous_matter(bot_over):
    bot = bot_over("hankkeet", "KH", "16.03.2026", _PROJECTS)
    conv = Conversation()
    first = bot.ask("Aikooko kaupunki maalauttaa sähkökaappeja taideteoksiksi?", conv, today=TODAY)
    assert _sections(first)[:1] == [40]
    ans = bot.ask("Paljonko se hanke maksaa?", conv, today=TODAY)
    assert not ans.refused and _sections(ans)[0] == 40
    assert "99 000 euroa" in ans.text
    # A follow-up with a subject of its own answers about that one.
    other = bot.ask("Entä paljonko kyläteiden kunnostushanke maksaa?", conv, today=TODAY)
    assert _sections(other)[0] == 41 and "250 000 euroa" in other.text


def test_a_sentence_batch_runs_on_two_threads_and_queries_stay_on_one():
    import os

    torch = pytest.importorskip("torch")
    from assistant.service import _batch_threads

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        with _batch_threads(0):
            assert torch.get_num_threads() == min(2, os.cpu_count() or 1)
        assert torch.get_num_threads() == 1
        with pytest.raises(RuntimeError), _batch_threads(0):
            raise RuntimeError("an embedder failure")
        assert torch.get_num_threads() == 1, "a failure must not leave queries on two threads"
        with _batch_threads(3):  # a configured count is the user's
            assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
