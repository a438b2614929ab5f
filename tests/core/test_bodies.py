"""Body names as an organisation names its own (core.bodies.for_organisation)."""

from __future__ import annotations

import pytest

from core.bodies import civic_kind, for_organisation


@pytest.mark.parametrize(("body", "organisation", "expected"), [
    ("Kaupunginhallitus", "Esimerkkilän kunta", "Kunnanhallitus"),
    ("Kaupunginvaltuusto", "Esimerkkilän kunta", "Kunnanvaltuusto"),
    ("Kunnanhallitus", "Lapuan kaupunki", "Kaupunginhallitus"),
    ("Kaupunginhallitus", "Lapuan kaupunki", "Kaupunginhallitus"),
    ("Kaupunginhallituksen elinvoimajaosto", "Esimerkkilän kunta", "Kunnanhallituksen elinvoimajaosto"),
    ("Kommunstyrelsen", "Pargas stad", "Stadsstyrelsen"),
    ("Stadsfullmäktige", "Kimitoöns kommun", "Kommunfullmäktige"),
    # not a town's or a municipality's own board or council, or an organisation of another kind
    ("Tekninen lautakunta", "Esimerkkilän kunta", "Tekninen lautakunta"),
    ("Kaupunginhallitus", "Esimerkkiseudun työllisyysalue", "Kaupunginhallitus"),
    ("Kaupunginhallitus", "", "Kaupunginhallitus"),
    ("Kaupunginjohtaja", "Esimerkkilän kunta", "Kaupunginjohtaja"),
])
def test_board_and_council_take_the_organisations_own_name(body, organisation, expected):
    assert for_organisation(body, organisation) == expected


@pytest.mark.parametrize(("name", "is_body"), [
    ("Nämnden för lokaltjänster", True),  # Swedish names may put the body word first
    ("Sektionen för svensk utbildning", True),
    ("Tekniska nämnden", True),
    ("Bakgrund och tidigare beslut", False),
])
def test_body_names_with_the_body_word_first(name, is_body):
    from core.bodies import is_body_name

    assert is_body_name(name) is is_body


@pytest.mark.parametrize(("text", "kind"), [
    ("Kunnanhallitus hyväksyy tarjouksen. Kunnanjohtajan ehdotus hyväksyttiin.", "municipality"),
    ("Kaupunginhallitus esittää kaupunginvaltuustolle …", "city"),
    ("Stadsstyrelsen föreslår för stadsfullmäktige …", "city"),
    ("Kunnanhallitus ja Seinäjoen kaupunginhallitus neuvottelivat.", None),  # both: the text does not tell
    ("Lautakunta hyväksyi ehdotuksen.", None),
])
def test_a_documents_own_words_tell_a_town_from_a_municipality(text, kind):
    assert civic_kind(text) == kind
    if kind == "municipality":
        assert for_organisation("Kaupunginhallitus", "", kind) == "Kunnanhallitus"
    # The organisation's name, when known, decides over the text.
    assert for_organisation("Kaupunginhallitus", "Esimerkkilän kaupunki", "municipality") == "Kaupunginhallitus"
