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
