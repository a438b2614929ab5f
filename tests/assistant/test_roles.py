"""Who holds a role: the name written right after the role in the items (fictional minutes)."""

from __future__ import annotations

import pytest

from assistant.roles import holder, listed, role_ordinal, role_words
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


def _meeting_item(section: int, date: str, attendees: list[str], text: str = "Hyväksyttiin.") -> AgendaItem:
    return AgendaItem(municipality="Esimerkkilä", body="Tekninen lautakunta", date=date, section=section,
                      title=f"Asia {section}", source=f"{date}.pdf", text=text, attendees=attendees)


CHAIR = ["Saapuvilla olleet jäsenet: Veera Esimerkki, puheenjohtaja",
         "Saapuvilla olleet jäsenet: Olli Malli, 1. varapuheenjohtaja", "Saapuvilla olleet jäsenet: Aino Testinen"]
DEPUTY = ["Saapuvilla olleet jäsenet: Olli Malli, puheenjohtaja", "Saapuvilla olleet jäsenet: Aino Testinen"]


def test_a_boards_chair_is_read_from_the_attendance_lists_once_per_meeting():
    one_meeting = [_meeting_item(s, "2026-01-13", CHAIR) for s in (1, 2, 3)]
    # Every item of a meeting carries its list: three items of one meeting are one mention.
    assert holder(["puheenjohtaja"], one_meeting) is None
    items = one_meeting + [_meeting_item(4, "2026-02-10", CHAIR), _meeting_item(9, "2026-03-10", DEPUTY),
                           _meeting_item(8, "2026-03-10", DEPUTY)]
    found = holder(["puheenjohtaja"], items)
    # The deputy chaired the newest meeting once; the chair of two meetings is the holder, not the
    # "1. varapuheenjohtaja" of the same lists.
    assert found is not None and found.name == "Veera Esimerkki"
    assert found.item.date == "2026-02-10" and found.sentence == CHAIR[0]
    deputy = holder(["varapuheenjohtaja"], items)  # "Olli Malli, 1. varapuheenjohtaja"
    assert deputy is not None and deputy.name == "Olli Malli"


def test_a_new_terms_chair_replaces_the_old_one():
    new = ["Saapuvilla olleet jäsenet: Uuno Uusi, puheenjohtaja"]
    items = [_meeting_item(1, d, CHAIR) for d in ("2025-01-13", "2025-02-10", "2025-03-10")]
    items += [_meeting_item(1, d, new) for d in ("2025-08-11", "2025-09-08")]
    found = holder(["puheenjohtaja"], items)
    # Written fewer times, but in the newest meetings: the current chair.
    assert found is not None and found.name == "Uuno Uusi" and found.item.date == "2025-09-08"
    assert holder(["puheenjohtaja"], items[:4]).name == "Veera Esimerkki"  # one new-term meeting: not yet


def test_a_numbered_vice_chair_is_the_one_asked():
    lists = ["Saapuvilla olleet jäsenet: Olli Malli, 1. varapuheenjohtaja",
             "Saapuvilla olleet jäsenet: Aino Testinen, 2. varapuheenjohtaja"]
    items = [_meeting_item(1, d, lists) for d in ("2026-01-13", "2026-02-10")]
    assert role_ordinal("Kuka on kaupunginhallituksen 2. varapuheenjohtaja?", ["varapuheenjohtaja"]) == 2
    assert role_ordinal("Kuka on varapuheenjohtaja?", ["varapuheenjohtaja"]) == 1
    assert holder(["varapuheenjohtaja"], items, listed_only=True).name == "Olli Malli"
    assert holder(["varapuheenjohtaja"], items, listed_only=True, ordinal=2).name == "Aino Testinen"
    # Attendance lists only: the prose of the items is not read.
    prose = [_meeting_item(s, "2026-03-10", [], text="Puheenjohtaja Veera Esimerkki avasi kokouksen.") for s in (1, 2)]
    prose += [_meeting_item(3, "2026-04-14", [], text="Puheenjohtaja Veera Esimerkki avasi kokouksen.")]
    assert holder(["puheenjohtaja"], prose, listed_only=True) is None
    assert holder(["puheenjohtaja"], prose).name == "Veera Esimerkki"


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="base forms need Voikko")
def test_the_members_are_the_newest_meetings_list_whose_heading_names_them():
    older = _meeting_item(1, "2026-01-13", CHAIR + ["Muut saapuvilla olleet: Kalle Kuvitelma, esittelijä"])
    newer = _meeting_item(2, "2026-02-10", DEPUTY)
    found = listed(["jäsenet"], [older, newer])
    assert found is not None and found.item is newer
    assert (found.heading, found.people) == ("Saapuvilla olleet jäsenet", ("Olli Malli, puheenjohtaja", "Aino Testinen"))
    assert listed(["jäseninä"], [older]).people[0] == "Veera Esimerkki, puheenjohtaja"  # any inflection
    assert listed(["puheenjohtaja"], [older, newer]) is None  # a role, not a list's heading
    assert listed(["jäsenet"], [_item(10, "2026-01-12", "Ei listaa.")]) is None


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="base forms need Voikko")
def test_one_named_meetings_record_is_enough_and_the_role_is_named_as_listed():
    one = [_meeting_item(s, "2026-01-13", CHAIR) for s in (1, 2)]
    assert holder(["puheenjohtajana"], one) is None  # across meetings once is not enough …
    found = holder(["puheenjohtajana"], one, min_mentions=1)  # … but it is the record of the meeting asked about
    assert found is not None and found.name == "Veera Esimerkki" and found.role == "puheenjohtaja"


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="number and case need Voikko")
def test_a_plural_or_a_direction_before_a_name_is_no_role_of_that_person():
    items = [_item(20, "2026-04-13", "Palvelua ostetaan yksityisiltä palveluntuottajilta Olli Mallin esityksen pohjalta."),
             _item(21, "2026-04-14", "Sopimus tehdään yksityisiltä palveluntuottajilta Olli Mallin ehdotuksesta.")]
    # The role words as a question writes them ("… jatketaan yksityisiltä palveluntuottajilta?").
    assert holder(["yksityisiltä", "palveluntuottajilta"], items, min_mentions=1) is None
    beside = [_item(22, "2026-04-15", "Asian esitteli palveluntuottaja Olli Malli.")]
    assert holder(["palveluntuottaja"], beside, min_mentions=1).name == "Olli Malli"


def _led_bot_items() -> list[AgendaItem]:
    board = [_meeting_item(s, d, CHAIR) for s, d in ((1, "2026-01-13"), (2, "2026-02-10"))]
    council = [AgendaItem(municipality="Esimerkkilän kaupunki", body="Kaupunginvaltuusto", date=d, section=s,
                          title=f"Asia {s}", source=f"kv-{d}.pdf", text="Hyväksyttiin.",
                          attendees=["Saapuvilla olleet valtuutetut: Kerttu Kokoomus, puheenjohtaja"])
               for s, d in ((5, "2026-01-20"), (6, "2026-02-17"), (7, "2026-03-17"))]
    return board + council


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="base forms need Voikko")
def test_who_leads_a_body_is_its_chair_read_from_that_bodys_lists_only():
    from assistant.roles import leader_asked
    from assistant.types import Query

    items = _led_bot_items()
    words, pool = leader_asked(Query("Kuka johtaa teknistä lautakuntaa?"), items, filtered=False)
    # The council's chair is named in more meetings, but the question names the board.
    assert words == ["puheenjohtaja"] and {it.body for it in pool} == {"Tekninen lautakunta"}
    assert holder(words, pool, listed_only=True).name == "Veera Esimerkki"
    words, pool = leader_asked(Query("Kuka johtaa kaupunginvaltuustoa?"), items, filtered=False)
    assert holder(words, pool, listed_only=True).name == "Kerttu Kokoomus"
    # A meeting the filters name: its chair; a month's meetings of two bodies: whose chair is not known.
    assert leader_asked(Query("Kuka johti kokousta 13.1.2026?"), items[:1], filtered=True)[0] == ["puheenjohtaja"]
    assert leader_asked(Query("Kuka johti kokousta tammikuussa 2026?"), [items[0], items[2]], filtered=True) is None
    # Another topic besides the body: one matter's handling, whose record may name a stand-in.
    assert leader_asked(Query("Kuka johti teknisen lautakunnan kokousta, kun uimahallista päätettiin?"),
                        items, filtered=False) is None
    assert leader_asked(Query("Kuka on teknisen lautakunnan puheenjohtaja?"), items, filtered=False) is None


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="base forms need Voikko")
def test_who_leads_the_town_is_its_manager_even_when_the_search_blanked_the_towns_name():
    from assistant.roles import leader_asked
    from assistant.types import Query

    items = _led_bot_items()
    assert leader_asked(Query("Kuka johtaa kaupunkia?"), items, filtered=False)[0] == ["kaupunginjohtaja"]
    # "Kuka johtaa Esimerkkilän kaupunkia?" is searched without the organisation's name.
    assert leader_asked(Query("Kuka johtaa ?"), items[2:], filtered=False)[0] == ["kaupunginjohtaja"]
    assert leader_asked(Query("Kuka johtaa ?"), items[:2], filtered=False) is None  # no stored town name


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="base forms need Voikko")
def test_a_who_leads_question_is_answered_with_the_chair_and_the_first_vice_chair():
    from assistant.answer import compose
    from assistant.answer_type import detect
    from assistant.types import Candidates, Evidence, Hit, Query

    q = Query("Kuka johtaa teknistä lautakuntaa?", intent="fact", keywords="johtaa teknistä lautakuntaa")
    hits = tuple(Hit(it, 0.5, ("lexical",)) for it in _led_bot_items())
    ans = compose(Evidence(Candidates(q, hits), hits, (), False, wanted=detect(q.text)))
    first, second = ans.text.split("\n\n")[:2]
    assert first.startswith("Puheenjohtaja (Tekninen lautakunta) on pöytäkirjojen mukaan Veera Esimerkki.")
    assert second.startswith("Varapuheenjohtaja (Tekninen lautakunta) on pöytäkirjojen mukaan Olli Malli.")
    assert {c.body for c in ans.citations} == {"Tekninen lautakunta"}
