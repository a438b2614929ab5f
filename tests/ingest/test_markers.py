"""Body words, handling-table rows and joint-body organisations: the code that replaced backtracking regexes."""

from __future__ import annotations

import pytest

from core.bodies import organisation_for_body
from ingest.clean import person_names
from ingest.markers import body_in_text, find_date, turku_head, turku_row


@pytest.mark.parametrize(("text", "body"), [
    ("Kaupunginhallituksen 13.3.2023 kokouksen päätökset", "Kaupunginhallitus"),
    ("Esimerkkilän sivistyslautakunta 2.5.2024", "Sivistyslautakunta"),
    ("KUNNANHALLITUKSEN PÄÄTÖKSET", "Kunnanhallitus"),
    ("Tekninen-lautakunta-jaosto kokoontui", "Tekninen-lautakunta"),  # up to the first part with the ending
    ("x-Ympäristölautakunnan päätökset", "X-Ympäristölautakunta"),
    ("Stadsstyrelsens beslut 4.6.2024", "Stadsstyrelsen"),
    # a coordinated compound keeps its first parts
    ("Ympäristö- ja rakennuslautakunnan kokous 12.10.2011", "Ympäristö- ja rakennuslautakunta"),
    ("SIVISTYS-, KULTTUURI- JA VAPAA-AIKALAUTAKUNTA 3.3.2020", "Sivistys-, kulttuuri- ja vapaa-aikalautakunta"),
    ("Miljö- och byggnadsnämnden 3.4.2020", "Miljö- och byggnadsnämnden"),
    ('Download "Ympäristö- ja rakennuslautakunta nro 9/2011 12.10.2011"', "Ympäristö- ja rakennuslautakunta"),
    ("Kokous ja rakennuslautakunta 1.1.2020", "Rakennuslautakunta"),  # no hyphen: no coordination
])
def test_body_in_text_finds_a_compound_body_word(text, body):
    assert body_in_text(text) == body


@pytest.mark.parametrize("text", [
    "lautakunnan päätökset 1.2.2024",  # the bare word is no body name: a compound is needed
    "Lautakuntalaiset kokoontuivat",  # the ending must end the word
    "1lautakunta ja 2hallitus",  # a word must start with a letter
    "",
])
def test_body_in_text_needs_a_whole_compound_word(text):
    assert body_in_text(text) is None


@pytest.mark.parametrize(("text", "body"), [
    ("TURUN SEURAKUNTAYHTYMÄ Yhteinen kirkkoneuvosto KOKOUS Aika torstaina", "Yhteinen kirkkoneuvosto"),
    ("EXEMPELBY KOMMUN Tekniska nämnden PROTOKOLL", "Tekniska nämnden"),
    ("ESIMERKKILÄN KUNTA PÖYTÄKIRJA 16/ Kunnanhallitus AIKA", "Kunnanhallitus"),
    ("Kokoushuone kirkkoneuvosto", None),  # a noun before the lower-case body word is no adjective
    ("Aika kirkkoneuvoston kokoushuone", None),  # a Finnish noun in -a, and a genitive
    ("Aika kirkkoneuvosto", None),
])
def test_first_body_token_reads_an_adjective_and_a_body_word(text, body):
    from ingest.meeting import first_body_token

    assert first_body_token(text) == body


@pytest.mark.parametrize(("name", "body"), [
    ("HAUKILAHDEN KUNTA PÖYTÄKIRJA 5/2010 Kunnanvaltuusto", "Kunnanvaltuusto"),
    ("EXEMPELBY KOMMUN SAMMANTRÄDESPROTOKOLL Sida Kommunstyrelsen", "Kommunstyrelsen"),
    ("Tekninen lautakunta", "Tekninen lautakunta"),
    ("TEKNINEN LAUTAKUNTA", "TEKNINEN LAUTAKUNTA"),
    ("Ympäristö- ja rakennuslautakunta", "Ympäristö- ja rakennuslautakunta"),
    ("Hyvinvoinnin ja terveyden edistämisen jaosto", "Hyvinvoinnin ja terveyden edistämisen jaosto"),
    ("Kaupunkiympäristölautakunnan Ympäristö- ja lupajaosto", "Kaupunkiympäristölautakunnan Ympäristö- ja lupajaosto"),
])
def test_body_tail_drops_the_organisation_and_kind_before_a_body_name(name, body):
    from ingest.meeting import body_tail

    assert body_tail(name) == body


def test_nominative_body_wins_over_an_earlier_genitive():
    assert body_in_text("Valtuuston ja kaupunginhallituksen yhteinen ympäristölautakunta") == "Ympäristölautakunta"


@pytest.mark.parametrize(("text", "section", "body", "date"), [
    ("Kaupunginhallitus10102.03.20243", 101, "Kaupunginhallitus", "2024-03-02"),
    ("Kaupunginvaltuusto | 22 | 16.03.2024 | 5", 22, "Kaupunginvaltuusto", "2024-03-16"),
    ("Ympäristölautakunta   7   01.02.2023  12", 7, "Ympäristölautakunta", "2023-02-01"),
])
def test_turku_row_reads_glued_and_piped_rows(text, section, body, date):
    h = turku_row(text)
    assert h is not None and (h.section, h.body, h.date, h.form) == (section, body, date, "turku")


@pytest.mark.parametrize("text", [
    "Kaupunginhallitus10131.02.20243",  # no such date
    "Esimerkkiyhdistys10102.03.20243",  # not a body
    "K" * 121 + "hallitus 101 02.03.2024 3",  # the name column is at most 120 characters
    "Kaupunginhallitus § 101 02.03.2024 3",
    "Kaupunginhallitus 101 02.03.2024 3 lisää",
])
def test_turku_row_rejects_other_lines(text):
    assert turku_row(text) is None


@pytest.mark.parametrize(("text", "ok"), [
    ("Esimerkkilän kaupunki§KokouspvmAsia1", True),
    ("Esimerkkilän kaupunki | § | Kokouspvm | Asia", True),
    ("Esimerkkilän kaupunki   §  Kokouspvm Asia2", True),
    ("Ab§KokouspvmAsia", False),  # the organisation column has at least three characters
    ("E" * 81 + " §KokouspvmAsia", False),  # … and at most 80
    ("E" * 80 + "      §KokouspvmAsia", True),  # spaces after it do not count
    ("Esimerkkilän kaupunki § Kokouspvm Asia lisää", False),
])
def test_turku_head(text, ok):
    assert turku_head(text) is ok


@pytest.mark.parametrize(("name", "org"), [
    ("Esimerkkiseudun työllisyysalueen lautakunta", "Esimerkkiseudun työllisyysalue"),
    ("Etelä-Esimerkin sairaanhoitopiirin kuntayhtymän hallitus", "Etelä-Esimerkin sairaanhoitopiirin kuntayhtymä"),
    ("Esimerkkilän Järviseudun jätelautakunta", "Esimerkkilän Järviseutu"),
    ("Tekninen lautakunta", None),
    ("Esimerkkiseudun alueen lautakunta", None),  # nothing before the ending
    ("työllisyysalueen lautakunta", None),  # nothing before the joint body's name
    ("Esimerkkiseudun työllisyysalueen lautakunta.", None),
])
def test_organisation_for_a_joint_body(name, org):
    assert organisation_for_body(name) == org


def test_person_names_skip_parentheses_and_companies():
    text = "Asiantuntijana Matti Meikäläinen (Esimerkki Oy) ja Esimerkin Soutajat ry sekä Liisa Laine (kesken"
    assert person_names(text) == ["Matti Meikäläinen", "Liisa Laine"]


@pytest.mark.parametrize(("text", "iso"), [
    ("Kokousaika Keskiviikko 4. marraskuuta 2009 klo 18", "2009-11-04"),
    ("Tarkastettu 13.marraskuuta 2009", "2009-11-13"),
    ("Sammanträdestid: Måndagen den 26 januari 2015, kl 19.30", "2015-01-26"),
    ("Tisdag 3 september 2013, klockan 09:00", "2013-09-03"),
    ("voimaan 1. tammikuuta 2025, kokous 4.3.2025", "2025-01-01"),  # the earlier date in the text
    ("kokous 4.3.2025, voimaan 1. tammikuuta 2025", "2025-03-04"),
    ("31. helmikuuta 2020", None),  # no such day
    ("12 toukokuuta", None),  # no year: never guessed
])
def test_find_date_reads_month_names(text, iso):
    assert find_date(text) == iso


@pytest.mark.parametrize(("line", "municipality"), [
    ("Esimerkkilän kunnanhallitus 12.3.2026", "Esimerkkilän kunta"),
    ("ESIMERKKILÄN KUNNANHALLITUS", "Esimerkkilän kunta"),
    ("Esimerkkilän Kaupunginvaltuusto", "Esimerkkilän kaupunki"),
    ("sanoissaan Kunnanvaltuuston jäsenet totesivat", ""),  # a lower-case word is prose, not a name
])
def test_municipality_from_a_body_in_the_genitive(line, municipality):
    from ingest.meeting import read_header

    assert read_header([line]).get("municipality") == municipality


@pytest.mark.parametrize(("line", "organisation"), [
    ("KUVITELMAN KOULUTUSKUNTAYHTYMÄ           PÖYTÄKIRJA 1/2026", "Kuvitelman koulutuskuntayhtymä"),
    ("Esimerkkilän maakuntaliitto   PÖYTÄKIRJA No 1/2026", "Esimerkkilän maakuntaliitto"),
    ("KUVITELMAN LIITTO              PÖYTÄKIRJA", "Kuvitelman liitto"),
    ("ESIMERKKILÄN SEURAKUNTA        PÖYTÄKIRJA 13/2026", "Esimerkkilän seurakunta"),
    ("Kuvalan seurakuntayhtymä, yhteinen kirkkoneuvosto", "Kuvalan seurakuntayhtymä"),
    ("sopimus Kuntaliiton kanssa", ""),  # not a name in the nominative before its type word
])
def test_organisations_of_other_kinds_by_their_type_word(line, organisation):
    from ingest.meeting import read_header

    assert read_header([line]).get("municipality") == organisation


def test_meeting_day_is_not_the_day_the_agenda_was_drawn_up():
    """A body line carrying the day the agenda was drawn up, and the meeting time printed a few blank
    lines under its label: the meeting's day is the labelled one."""
    from ingest.meeting import read_header

    meta = read_header(["Esimerkkilän kunta                    KOKOUSKUTSU 4/2026", "",
                        "Perusturvalautakunta          Laatimispäivämäärä: 03.05.2026", "", "Kokoustiedot", "",
                        "Aika", "", "\xa0", "", " 08.05.2026    kello 15.00", "", "Paikka", "Kunnantalo"])
    assert meta.get("body") == "Perusturvalautakunta"
    assert meta.get("date") == "2026-05-08"


@pytest.mark.parametrize(("name", "org", "body"), [
    ("Helsingin kaupunginhallitus", "Helsingin kaupunki", "Kaupunginhallitus"),
    ("Kuvalan seurakuntayhtymän yhteinen kirkkoneuvosto", "Kuvalan seurakuntayhtymä", "Yhteinen kirkkoneuvosto"),
    ("KUVALAN SEURAKUNTAYHTYMÄN YHTEINEN KIRKKONEUVOSTO", "Kuvalan seurakuntayhtymä", "Yhteinen kirkkoneuvosto"),
    ("Kuntayhtymän yhtymähallitus", None, "Yhtymähallitus"),
    ("Esimerkkilän hyvinvointialueen aluehallitus", "Esimerkkilän hyvinvointialue", "Aluehallitus"),
    ("Kuvitelman liiton ja valtion sopimus", None, "Kuvitelman liiton ja valtion sopimus"),  # no body after it
])
def test_an_organisation_in_the_genitive_is_split_from_its_body(name, org, body):
    from ingest.markers import split_org_body

    assert split_org_body(name) == (org, body)


def test_a_body_with_the_meetings_number_in_a_column_after_it():
    from ingest.meeting import read_header

    meta = read_header(["Kuvitelman kuntayhtymä      Pöytäkirja", "Ympäristölautakunta    N:o 1 / 2026",
                        "Aika 23.1.2026 klo 18.00"])
    assert (meta.get("body"), meta.get("municipality")) == ("Ympäristölautakunta", "Kuvitelman kuntayhtymä")


def test_a_name_wrapped_at_its_hyphen_gives_no_organisation_of_its_second_half():
    # "ESIMERKKIJOEN VESIEN-" ⏎ "SUOJELUN KUNTAYHTYMÄ": "Suojelun kuntayhtymä" would name another organisation.
    from ingest.meeting import read_header

    meta = read_header(["ESIMERKKIJOEN VESIEN- ESITYSLISTA- Yh 5/26", "SUOJELUN KUNTAYHTYMÄ PÖYTÄKIRJA"])
    assert meta.get("municipality") == ""
    # A coordinated compound ("Ympäristö- ja …") is no wrapped word.
    meta = read_header(["Ympäristö- ja rakennuslautakunta", "KUVITELMAN KUNTAYHTYMÄ PÖYTÄKIRJA"])
    assert meta.get("municipality") == "Kuvitelman kuntayhtymä"
