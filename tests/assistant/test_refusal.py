"""Refusals: nothing cited, what was searched, a question word no item uses, and the nearest items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant import prompts
from assistant.refusal import MAX_NEAREST, nearest_items
from assistant.service import Assistant
from assistant.types import Hit, Relevance
from core.items import AgendaItem
from ingest.pipeline import run

TODAY = date(2026, 11, 28)


@pytest.fixture
def bot(small_corpus: Path, settings, fake_embedder) -> Assistant:
    run([small_corpus], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder, chat_model=None)


def test_refusal_names_the_word_no_item_uses_and_points_to_the_nearest_item(bot):
    ans = bot.ask("Mitä päätettiin uimahallin saunan remontista?", today=TODAY)
    assert ans.refused and ans.citations == []
    assert ans.text.startswith(prompts.REFUSAL)
    assert "ei esiinny sanaa ”saunan”" in ans.text
    head, _, pointers = ans.text.partition("\n\n")
    assert pointers.startswith("Lähimmät löytämäni asiat, jotka eivät vastaa kysymykseen suoraan:")
    first = pointers.splitlines()[1]
    assert first == ("- Pohjois-Karjalan työllisyysalueen lautakunta 10.3.2026 § 13, 1638/00.01.02.06/2026: "
                     "Uimahallin peruskorjauksen työllistämishanke")
    assert "[1]" not in ans.text  # pointers, not citations


def test_refusal_without_a_shared_word_points_nowhere(bot):
    ans = bot.ask("Mitä päätettiin frisbeegolfradan rakentamisesta?", today=TODAY)
    assert ans.refused and ans.citations == []
    assert "”frisbeegolfradan”" in ans.text
    assert "Lähimmät" not in ans.text


def _item(n: int, case: str, title: str = "Asia") -> AgendaItem:
    return AgendaItem(municipality="Testilä", body="Kaupunginhallitus", date="2026-03-10", section=n, title=title,
                      source="/x/a.pdf", case_ids=[case])


def _rel(n: int, case: str, coverage: float, probability: float | None) -> Relevance:
    return Relevance(Hit(_item(n, case), 0.1), coverage, False, probability=probability)


def test_nearest_items_most_probable_first_one_per_case_and_only_near_the_best_coverage():
    rels = [_rel(1, "1/2026", 0.8, 0.30), _rel(2, "2/2026", 0.6, 0.45), _rel(3, "1/2026", 0.9, 0.40),
            _rel(4, "4/2026", 0.2, 0.49), _rel(5, "5/2026", 0.5, None), _rel(6, "6/2026", 0.7, 0.10),
            _rel(7, "7/2026", 0.0, 0.9)]
    got = [c.section for c in nearest_items(rels)]
    # 4 covers less than half of the best item's words, 7 none; 1 repeats 3's case; 5 was not judged by
    # the model (no probability), so it comes after every item that was.
    assert MAX_NEAREST == 3 and got == [2, 3, 6]
    assert [c.section for c in nearest_items(rels[4:6])] == [6, 5]
    assert nearest_items([]) == []
