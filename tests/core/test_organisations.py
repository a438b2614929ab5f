"""Organisation names in questions and in citation labels (core.organisations, core.items.citation_label)."""

from __future__ import annotations

import pytest

from core import organisations as orgs
from core.items import AgendaItem, citation_label

STORE = ("Jämsän kaupunki", "Helsingin kaupunki", "Vanda och Kervo välfärdsområde", "Esimerkkiseudun työllisyysalue")


@pytest.mark.parametrize(("question", "named"), [
    ("Mitä Jämsän kaupunginhallitus päätti joulukuussa 2023?", ("Jämsän kaupunki",)),
    ("Mitä Jämsässä päätettiin uimahallista?", ("Jämsän kaupunki",)),
    ("Mitä jämsäläiset päättivät?", ("Jämsän kaupunki",)),
    ("Päätökset Helsingissä viime kuussa", ("Helsingin kaupunki",)),
    ("Vad beslöt Vanda och Kervo välfärdsområde?", ("Vanda och Kervo välfärdsområde",)),
    ("Mitä Esimerkkiseudun työllisyysalueen lautakunta päätti?", ("Esimerkkiseudun työllisyysalue",)),
    ("Mitä kaupunginhallitus päätti?", ()),  # "kaupunki"/"alue" say what, not which
    ("Mitä työllisyysalue päätti?", ()),
    ("Kemikaalien varastointi satamassa", ()),
])
def test_organisations_named_in_questions(question, named):
    assert orgs.find_in_question(question, STORE).names == named


def test_naming_words_are_blanked_but_a_body_phrase_is_left_for_body_matching():
    q = "Mitä Jämsän kaupunki päätti uimahallista?"
    assert orgs.find_in_question(q, STORE).rest(q).split() == ["Mitä", "päätti", "uimahallista?"]
    q = "Mitä Esimerkkiseudun työllisyysalueen lautakunta päätti?"
    assert orgs.find_in_question(q, STORE).rest(q).split() == ["Mitä", "työllisyysalueen", "lautakunta", "päätti?"]


def test_a_town_name_that_begins_another_name_is_not_blanked():
    store = ("Jämsän kaupunki",)
    q = "Paljonko Jämsän Vesi Oy sai takausta?"  # the company's name, not the town as a scope
    assert orgs.find_in_question(q, store).scope_only(q).rest(q) == q
    q = "Mikä on Jämsän kaupungin tuloveroprosentti?"  # a genitive type word is left (it may start a body)
    assert orgs.find_in_question(q, store).scope_only(q).rest(q).split() == [
        "Mikä", "on", "kaupungin", "tuloveroprosentti?"]


def test_most_specific_organisation_wins_a_shared_place_name():
    store = ("Helsingin kaupunki", "Helsingin seudun ympäristöpalvelut")
    assert orgs.find_in_question("Mitä Helsingin seudun ympäristöpalvelut päätti?", store).names == (
        "Helsingin seudun ympäristöpalvelut",)
    assert set(orgs.find_in_question("Mitä Helsingissä päätettiin?", store).names) == set(store)


def test_label_names_the_organisation_only_when_the_store_has_several():
    assert orgs.label_organisation("Jämsän kaupunki", "Kaupunginhallitus", STORE) == "Jämsän kaupunki"
    assert orgs.label_organisation("Jämsän kaupunki", "Kaupunginhallitus", ("Jämsän kaupunki",)) is None
    assert orgs.label_organisation("", "Kaupunginhallitus", STORE) is None
    # A joint authority's body already says whose it is.
    assert orgs.label_organisation("Esimerkkiseudun työllisyysalue", "Esimerkkiseudun työllisyysalueen lautakunta",
                                   STORE) is None


def test_citation_label_with_and_without_organisation():
    assert citation_label("Kaupunginhallitus", "2023-12-04", 303, "1234/00.01/2023", "Jämsän kaupunki") == \
        "Jämsän kaupunki, Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023"
    assert citation_label("Kaupunginhallitus", "2023-12-04", 303, None) == "Kaupunginhallitus 4.12.2023 § 303"


def test_item_citation_follows_the_enclosing_store():
    it = AgendaItem("Jämsän kaupunki", "Kaupunginhallitus", "2023-12-04", 303, "Uimahalli", "x.txt",
                    case_ids=["1234/00.01/2023"])
    assert it.citation() == "Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023"
    with orgs.naming(STORE):
        assert it.citation() == "Jämsän kaupunki, Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023"
        assert orgs.named_body(it.municipality, it.body) == "Jämsän kaupunki, Kaupunginhallitus"
    with orgs.naming(["Jämsän kaupunki"]):
        assert it.citation() == "Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023"
    assert it.citation() == "Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023"
