"""List answers say each thing once: a case's description is not repeated at each of its steps."""

from __future__ import annotations

from assistant.listing import meeting_list
from assistant.types import Query
from core.items import AgendaItem

_ABOUT = ("Henkilöstökertomus kertoo johdolle ja päättäjille henkilöstön määrästä, rakenteesta ja "
          "sairauspoissaoloista edellisenä vuonna.")


def _item(body: str, date: str, section: int, decision: str, body_text: str = _ABOUT,
          title: str = "Henkilöstökertomus 2025") -> AgendaItem:
    return AgendaItem(municipality="Esimerkkilän kaupunki", body=body, date=date, section=section, title=title,
                      source="x.pdf", case_ids=["EDno-2026-1"], body_text=body_text, decision=decision)


def _lines(items: list[AgendaItem]) -> list[str]:
    text = meeting_list(Query("Mitä henkilöstökertomuksesta on päätetty?"), items, []).text
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_a_case_description_is_shown_at_its_first_step_only():
    lines = _lines([
        _item("Kaupunginhallitus", "2026-03-30", 90, "Kaupunginhallitus merkitsi kertomuksen tiedoksi."),
        _item("Tarkastuslautakunta", "2026-05-07", 20, "Merkittiin kertomus tiedoksi."),
        _item("Kaupunginvaltuusto", "2026-05-18", 30, "Valtuusto merkitsi kertomuksen tiedoksi."),
    ])
    assert len(lines) == 3
    assert sum("Henkilöstökertomus kertoo johdolle" in line for line in lines) == 1
    assert "Henkilöstökertomus kertoo johdolle" in lines[0]
    assert "Merkittiin kertomus tiedoksi." in lines[1] and "Valtuusto merkitsi" in lines[2]


def test_a_description_the_decision_repeats_is_not_prepended():
    said = "Lautakunnalle on saapunut hakemus harkinnanvaraisesta koulukuljetuksesta."
    lines = _lines([_item("Sivistyslautakunta", "2026-01-14", 5,
                          f"{said} Asia käsitellään seuraavassa kokouksessa.", body_text=said, title="Muut asiat")])
    assert lines[0].count("harkinnanvaraisesta koulukuljetuksesta") == 1


def test_different_descriptions_are_all_kept():
    lines = _lines([
        _item("Kaupunginhallitus", "2026-03-30", 90, "Merkittiin tiedoksi."),
        _item("Kaupunginhallitus", "2026-03-30", 91, "Merkittiin tiedoksi.", title="Työhyvinvointiohjelma",
              body_text="Työhyvinvointiohjelma päivitetään kolmen vuoden välein yhdessä henkilöstön kanssa."),
    ])
    assert "Henkilöstökertomus kertoo" in lines[0]
    assert "Työhyvinvointiohjelma päivitetään" in lines[1] and "Merkittiin tiedoksi." in lines[1]


def _topic(items: list[AgendaItem]) -> tuple[str, list[str]]:
    answer = meeting_list(Query("Mitä takauksia kaupunki on myöntänyt?"), items, [], steps=True)
    return answer.text, [c.item_id for c in answer.citations]


def test_a_topic_list_shows_each_matter_once_at_its_last_step():
    board = _item("Kaupunginhallitus", "2026-02-02", 21, "Kaupunginhallitus esittää valtuustolle takausta.",
                  title="Takauksen myöntäminen Esimerkkilän Vuokratalot Oy:lle")
    council = _item("Kaupunginvaltuusto", "2026-02-16", 10, "Valtuusto myönsi takauksen.",
                    title="Takauksen myöntäminen Esimerkkilän Vuokratalot Oy:lle")
    other = AgendaItem(municipality="Esimerkkilän kaupunki", body="Kaupunginvaltuusto", date="2026-03-23",
                       section=27, title="Takauksen myöntäminen Esimerkkilän Lämpö Oy:lle", source="x.pdf",
                       case_ids=["EDno-2026-9"], decision="Valtuusto myönsi takauksen lämpölaitokselle.")
    text, cited = _topic([board, council, other])
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(lines) == 2  # two matters, not three items
    assert "Valtuusto myönsi takauksen." in lines[0] and "Kaupunginhallitus esittää" not in text
    assert "Aiemmin asiaa käsitteli Kaupunginhallitus 2.2.2026 § 21 [2]." in lines[0]
    assert cited == [council.item_id, board.item_id, other.item_id]  # [n] labels follow the citation order


def test_sibling_matters_of_one_case_id_stay_apart():
    # one case ID, two matters (two schools): the titles differ in their last words
    first = _item("Sivistyslautakunta", "2026-10-08", 128, "Lakkautusta valmistellaan.",
                  title="Palveluverkko / Kauhalan koulu")
    second = _item("Sivistyslautakunta", "2026-10-08", 129, "Jatkovalmistelu käynnistetään.",
                   title="Palveluverkko / Männistön koulu")
    text, _cited = _topic([first, second])
    assert len([line for line in text.splitlines() if line.startswith("- ")]) == 2
    assert "Aiemmin" not in text


def test_an_agenda_item_is_not_the_last_step_of_a_decided_matter():
    board = _item("Kaupunginhallitus", "2026-02-02", 21, "Kaupunginhallitus esittää valtuustolle takausta.",
                  title="Takauksen myöntäminen Esimerkkilän Vuokratalot Oy:lle")
    agenda = AgendaItem(municipality="Esimerkkilän kaupunki", body="Kaupunginvaltuusto", date="2026-02-16",
                        section=10, title="Takauksen myöntäminen Esimerkkilän Vuokratalot Oy:lle", source="x.pdf",
                        case_ids=["EDno-2026-1"], kind="agenda", proposal="Valtuusto myöntää takauksen.")
    text, _cited = _topic([board, agenda])
    assert len([line for line in text.splitlines() if line.startswith("- ")]) == 2
    assert "Aiemmin" not in text and "Kaupunginhallitus esittää" in text
