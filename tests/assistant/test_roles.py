"""Who holds a role: the name written right after the role in the items (fictional minutes)."""

from __future__ import annotations

import pytest

from assistant.roles import holder, role_words
from core import tokens
from core.items import AgendaItem


def _item(section: int, date: str, text: str) -> AgendaItem:
    return AgendaItem(municipality="Esimerkkilä", body="Kaupunginhallitus", date=date, section=section,
                      title=f"Asia {section}", source="x.pdf", text=text)


ITEMS = [
    _item(10, "2026-01-12", "Asian esitteli tekninen johtaja Kalle Virtanen. Hyväksyttiin."),
    _item(11, "2026-02-09", "Teknisen johtajan Kalle Virtasen mukaan hanke etenee. Tekninen johtaja Kalle Virtanen poistui."),
    _item(12, "2026-03-09", "Kokouksessa oli läsnä tekninen johtaja Anna Mäki sijaisena."),
    _item(13, "2026-03-09", "Kaupunginjohtaja esitteli asian."),
]


def test_role_words_are_the_lower_case_words():
    assert role_words("tekninen johtaja") == ["tekninen", "johtaja"]
    assert role_words("Esimerkkilän kaupunginjohtaja") == ["kaupunginjohtaja"]


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="surname base forms need Voikko")
def test_the_name_written_most_often_after_the_role_is_the_holder():
    found = holder(["tekninen", "johtaja"], ITEMS)
    assert found is not None and found.name == "Kalle Virtanen" and found.role == "tekninen johtaja"  # "Virtasen" counted as Virtanen
    assert found.item.section == 11  # quoted from the newest item naming them
    assert "Kalle Virtanen" in found.sentence or "Kalle Virtasen" in found.sentence


def test_one_mention_or_none_is_no_holder():
    assert holder(["tekninen", "johtaja"], ITEMS[2:]) is None  # Anna Mäki once, as a deputy
    assert holder(["kaupunginjohtaja"], ITEMS) is None  # the role without a name
    assert holder([], ITEMS) is None


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="surname base forms need Voikko")
def test_a_role_question_nothing_is_about_is_answered_with_the_holder():
    from assistant.answer import compose
    from assistant.answer_type import detect
    from assistant.types import Candidates, Evidence, Hit, Query

    q = Query("Kuka on tekninen johtaja?", intent="fact", keywords="tekninen johtaja")
    hits = tuple(Hit(it, 0.5, ("lexical",)) for it in ITEMS)
    # The role words are too common to make any item about them: nothing answers on its own.
    ev = Evidence(Candidates(q, hits), hits, (), False, wanted=detect(q.text))
    ans = compose(ev)
    assert not ans.refused
    assert ans.text.startswith("Tekninen johtaja on pöytäkirjojen mukaan Kalle Virtanen.")
    assert [c.section for c in ans.citations] == [11]
    unknown = Evidence(Candidates(q, hits[2:]), hits[2:], (), False, wanted=detect(q.text))
    assert compose(unknown).refused  # one mention (a deputy) is not enough


def test_the_holder_is_read_from_the_presenter_line_too():
    items = [_item(20, "2026-04-13", "Esittelijä: Liisa Koivisto, Kaupunginjohtaja\nKaupunginhallitus päättää hyväksyä."),
             _item(21, "2026-05-11", "Esittelijä: Liisa Koivisto, Kaupunginjohtaja\nKaupunginhallitus merkitsee tiedoksi."),
             _item(22, "2026-05-11", "Valmistelija / lisätiedot: Pekka Salo, Talousjohtaja, pekka.salo@example.fi")]
    found = holder(["kaupunginjohtaja"], items)
    assert found is not None and found.name == "Liisa Koivisto" and found.item.section == 21
    assert holder(["talousjohtaja"], items) is None  # one mention
