"""core.caseids: the one definition of a case ID, on every printed shape and on distractors."""

import pytest

from core import caseids


@pytest.mark.parametrize(("text", "expected"), [
    ("Dnro LAPDno-2025-262 ja 1637/00.01.02.06/2025", ["LAPDno-2025-262", "1637/00.01.02.06/2025"]),
    ("HEL 2018-012640 T 00 01 01", ["HEL 2018-012640"]),
    ("TRE:845/02.02.01/2019", ["845/02.02.01/2019"]),
    ("12826-2011 (613, 021)\nKauppatori", ["12826-2011"]),
    ("CFV: 49/2015\nÖVERTAGANDE", ["49/2015"]),
    ("Dnr 502/2015\nAnhållan om tomt", ["502/2015"]),  # Swedish minutes write the label without a colon
    ("Dno 12/2024 ja Dnr. 7/2023", ["12/2024", "7/2023"]),
    ("Esimerkki ESIDno-2026-7 ja ESIDno-2026-7 uudelleen", ["ESIDno-2026-7"]),
])
def test_every_printed_shape_is_found(text, expected):
    assert caseids.find(text) == expected


@pytest.mark.parametrize("text", [
    "taloussuunnitelma vuosille 2023-2026 (liite 3)",  # year range, even before parentheses
    "Pöytäkirja 1/2025",  # meeting number
    "kuntalain 58 §:n mukaan 12.3.2024",
    "puhelin 040-1234567",
])
def test_distractors_are_not_case_ids(text):
    assert caseids.find(text) == []


def test_question_forms_are_canonical():
    assert caseids.in_question("Mikä on lapdno-2025-262 tilanne? entä hel 2022-8675") == [
        "LAPDno-2025-262", "HEL 2022-008675"]
    assert caseids.key("LAPDno-2025-262") == caseids.key(" lapdno-2025-262")


def test_adversarial_text_is_fast():
    import time
    evil = ("1" * 5000 + "/") * 200 + "HEL " + "2" * 10000
    t = time.perf_counter()
    caseids.find(evil)
    caseids.in_question(evil)
    assert time.perf_counter() - t < 0.5


def test_question_forms_of_turku_and_labelled_short_ids():
    assert caseids.in_question("Mitä asiassa 12381-2020 päätettiin?") == ["12381-2020"]
    assert caseids.in_question("Dnro 49/2015 käsittely") == ["49/2015"]
    assert caseids.in_question("Vad beslöts i ärende Dnr 502/2015?") == ["502/2015"]
    # a year range and a bare meeting number are not case IDs
    assert caseids.in_question("taloussuunnitelma 2023-2026 ja pöytäkirja 1/2025") == []
