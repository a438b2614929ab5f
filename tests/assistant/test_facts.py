"""Facts read as values: every Finnish date form, euro amounts in every notation, percentages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.facts import DateRef, dates_in, facts_in


@pytest.mark.parametrize("text,expected", [
    pytest.param("Päätös tehtiin 11.3.2026.", DateRef(11, 3, 2026), id="d.m.yyyy"),
    pytest.param("Päätös tehtiin 11.03.2026.", DateRef(11, 3, 2026), id="dd.mm.yyyy"),
    pytest.param("Päätös tehtiin 11.3. kokouksessa.", DateRef(11, 3, None), id="d.m."),
    pytest.param("Päätös tehtiin 11. maaliskuuta 2026.", DateRef(11, 3, 2026), id="d-month-yyyy"),
    pytest.param("Päätös tehtiin 11. maaliskuuta.", DateRef(11, 3, None), id="d-month"),
    pytest.param("Päätös tehtiin maaliskuun 11. päivänä 2026.", DateRef(11, 3, 2026), id="month-genitive-day"),
    pytest.param("Päätös tehtiin maaliskuun 11. päivänä.", DateRef(11, 3, None), id="month-genitive-day-no-year"),
    pytest.param("Päätös tehtiin 2026-03-11.", DateRef(11, 3, 2026), id="iso"),
    pytest.param("Päätös tehtiin maaliskuussa 2026.", DateRef(None, 3, 2026), id="month-year"),
])
def test_every_written_date_form_is_one_value(text, expected):
    assert dates_in(text) == [expected]


def test_dates_without_year_take_the_default_year():
    assert dates_in("Kokous 11.3. ja 2. huhtikuuta", default_year=2026) == [DateRef(11, 3, 2026),
                                                                         DateRef(2, 4, 2026)]


@pytest.mark.parametrize("text", ["klo 18.30.", "Versio 1.800.000", "31.2.2026"])
def test_non_dates_are_not_dates(text):
    assert dates_in(text) == []


@pytest.mark.parametrize("text,value", [
    pytest.param("Hinta on 1 800 000 euroa.", 1800000, id="spaces"),
    pytest.param("Hinta on 1\u00a0800\u00a0000 €.", 1800000, id="nbsp"),
    pytest.param("Hinta on 1.800.000 €.", 1800000, id="dots"),
    pytest.param("Hinta on 1,8 milj. euroa.", 1800000, id="milj"),
    pytest.param("Hinta on 1,8 miljoonaa euroa.", 1800000, id="miljoonaa"),
    pytest.param("Hinta on 1.8 M€.", 1800000, id="M-euro"),
    pytest.param("Hinta on 850 000,00 euroa.", 850000, id="decimals"),
    pytest.param("Seteli on 12 euron arvoinen.", 12, id="genitive"),
    pytest.param("Avustus on 20 tuhatta euroa.", 20000, id="tuhatta"),
    pytest.param("Hanke maksaa 2 miljardia euroa.", 2_000_000_000, id="miljardia"),
])
def test_euro_amounts_are_values(text, value):
    assert facts_in(text).euros == {Decimal(value)}


def test_plain_numbers_are_not_euros():
    assert facts_in("Asiakkaita oli 5 830 ja vuonna 2026 12 uutta.").euros == set()


@pytest.mark.parametrize("text,value", [
    ("Vero nousee 2,5 %.", Decimal("2.5")), ("Vero nousee 2,5 prosenttia.", Decimal("2.5")),
    ("Osuus on 40 prosentin luokkaa.", Decimal(40)),
])
def test_percentages_are_values(text, value):
    assert facts_in(text).percents == {value}


def test_sections_and_case_ids():
    f = facts_in("Asia LAPDno-2024-836 käsiteltiin § 331 ja 12 §:ssä.")
    assert f.sections == {"331", "12"} and f.case_ids == {"lapdno-2024-836"}


def test_each_part_of_a_two_part_question_is_answered(ask_over):
    ans = ask_over("parts", (
        52, "Puun myynti kiinteistöltä Metsälä", "LAPDno-2026-410",
        "Kaupungin metsätilalta myydään pystykauppana noin 900 m3 puuta. Tarjouksia saatiin neljä. "
        "Korkeimman tarjouksen teki Metsäyhtiö Hongisto Oy. Hakkuut tehdään marraskuussa 2026.",
        "Kaupunginhallitus päätti myydä puut Metsäyhtiö Hongisto Oy:lle 61 250 euron hintaan."),
        "Kenelle Metsälän puut myytiin ja milloin hakkuut tehdään?")
    assert not ans.refused, ans.text
    assert "Hongisto" in ans.text and "marraskuussa 2026" in ans.text, ans.text
