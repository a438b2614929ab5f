"""Tests for Finnish question understanding (assistant.question, assistant.dates)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.dates import find_times, time_label
from assistant.question import BodyInfo, parse_question
from assistant.types import Query
from core import tokens

pytestmark = pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
TODAY = date(2026, 11, 28)
BODIES = [
    BodyInfo("Kaupunginhallitus"),
    BodyInfo("Kaupunginvaltuusto"),
    BodyInfo("Tarkastuslautakunta"),
    BodyInfo("Hyvinvointilautakunta"),
    BodyInfo("Sivistyslautakunta"),
    BodyInfo("Tekninen lautakunta"),
    BodyInfo("Ympäristölautakunta"),
    BodyInfo("Pohjois-Karjalan työllisyysalueen lautakunta", "PKTALK"),
]
TKL, HVL, KH, KV, TEK = ("Tarkastuslautakunta", "Hyvinvointilautakunta", "Kaupunginhallitus",
                         "Kaupunginvaltuusto", "Tekninen lautakunta")
PKT = "Pohjois-Karjalan työllisyysalueen lautakunta"


def parse(text: str, today: date = TODAY, previous: Query | None = None, bodies: list[BodyInfo] | None = None) -> Query:
    return parse_question(text, today=today, bodies=BODIES if bodies is None else bodies, previous=previous)


def check(q: Query, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        if key == "dates":
            assert (q.date_from, q.date_to) == value, q
        elif key == "keywords_contain":
            assert value in q.keywords, q
        elif key == "keywords_lack":
            assert value.lower() not in q.keywords.lower(), q
        else:
            assert getattr(q, key) == value, (key, q)


# --- months -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "today", "dates"),
    [
        pytest.param("päätökset maaliskuussa 2025", TODAY, ("2025-03-01", "2025-03-31"), id="inessive-year"),
        pytest.param("maaliskuun 2025 kokouksessa", TODAY, ("2025-03-01", "2025-03-31"), id="genitive-year"),
        pytest.param("maaliskuulta 2025", TODAY, ("2025-03-01", "2025-03-31"), id="ablative"),
        pytest.param("maaliskuuhun 2025 mennessä käsitellyt", TODAY, ("2025-03-01", "2025-03-31"), id="illative"),
        pytest.param("maaliskuusta 2025", TODAY, ("2025-03-01", "2025-03-31"), id="elative"),
        pytest.param("maaliskuuta 2025 koskevat", TODAY, ("2025-03-01", "2025-03-31"), id="partitive"),
        pytest.param("Maaliskuu 2025", TODAY, ("2025-03-01", "2025-03-31"), id="nominative-capital"),
        pytest.param("maaliskuussa vuonna 2025", TODAY, ("2025-03-01", "2025-03-31"), id="month-vuonna-year"),
        pytest.param("vuoden 2024 joulukuussa", TODAY, ("2024-12-01", "2024-12-31"), id="vuoden-year-month"),
        pytest.param("helmikuussa 2024", TODAY, ("2024-02-01", "2024-02-29"), id="leap-february"),
        pytest.param("maaliskuussa", TODAY, ("2026-03-01", "2026-03-31"), id="yearless-this-year"),
        pytest.param("joulukuussa", TODAY, ("2025-12-01", "2025-12-31"), id="yearless-last-year"),
        pytest.param("marraskuussa", TODAY, ("2026-11-01", "2026-11-30"), id="yearless-current-month"),
        pytest.param("viime joulukuussa", date(2025, 2, 15), ("2024-12-01", "2024-12-31"), id="viime-joulukuussa"),
        pytest.param("viime marraskuussa", TODAY, ("2025-11-01", "2025-11-30"), id="viime-excludes-current"),
        pytest.param("viime vuoden maaliskuussa", TODAY, ("2025-03-01", "2025-03-31"), id="viime-vuoden-month"),
        pytest.param("tämän vuoden tammikuussa", TODAY, ("2026-01-01", "2026-01-31"), id="taman-vuoden-month"),
        pytest.param("ensi maaliskuussa", TODAY, ("2027-03-01", "2027-03-31"), id="ensi-month"),
        pytest.param("joulukuun 2024 kokouksessa", TODAY, ("2024-12-01", "2024-12-31"), id="genitive-then-year"),
        pytest.param("maalis–huhtikuussa 2025", TODAY, ("2025-03-01", "2025-04-30"), id="range-en-dash"),
        pytest.param("maalis-huhtikuussa 2025", TODAY, ("2025-03-01", "2025-04-30"), id="range-hyphen"),
        pytest.param("maalis-huhtikuussa", TODAY, ("2026-03-01", "2026-04-30"), id="range-yearless"),
        pytest.param("maaliskuusta toukokuuhun", date(2026, 4, 10), ("2025-03-01", "2025-05-31"),
                     id="range-yearless-resolved-jointly"),
        pytest.param("maaliskuusta 2024 toukokuuhun", TODAY, ("2024-03-01", "2024-05-31"), id="range-year-on-start"),
        pytest.param("marras–tammikuussa 2025", TODAY, ("2024-11-01", "2025-01-31"), id="range-over-new-year"),
        pytest.param("tammi- ja helmikuussa 2024", TODAY, ("2024-01-01", "2024-02-29"), id="range-ja"),
        pytest.param("kesä-heinäkuussa viime vuonna", TODAY, ("2025-06-01", "2025-07-31"), id="range-viime-vuonna"),
        pytest.param("marraskuun alussa 2025", TODAY, ("2025-11-01", "2025-11-15"), id="part-early-year-after"),
        pytest.param("lokakuun lopussa 2024", TODAY, ("2024-10-16", "2024-10-31"), id="part-late-year-after"),
        pytest.param("helmikuun puolivälissä 2024", TODAY, ("2024-02-08", "2024-02-23"), id="part-middle"),
        pytest.param("kesäkuun aikana 2023", TODAY, ("2023-06-01", "2023-06-30"), id="part-whole-month"),
        pytest.param("maaliskuun alussa", date(2026, 6, 1), ("2026-03-01", "2026-03-15"), id="part-yearless"),
    ],
)
def test_months(text: str, today: date, dates: tuple[str, str]) -> None:
    check(parse(f"Mitä kaupunginhallitus päätti {text}?", today), {"dates": dates})


# --- explicit dates, relative expressions, seasons ------------------------------------------------

@pytest.mark.parametrize(
    ("text", "today", "dates"),
    [
        pytest.param("10.3.2026", TODAY, ("2026-03-10", "2026-03-10"), id="numeric"),
        pytest.param("10.03.2026", TODAY, ("2026-03-10", "2026-03-10"), id="numeric-zeros"),
        pytest.param("10.3.", TODAY, ("2026-03-10", "2026-03-10"), id="numeric-yearless"),
        pytest.param("28.12.", TODAY, ("2025-12-28", "2025-12-28"), id="numeric-yearless-future-goes-back"),
        pytest.param("10. maaliskuuta 2026", TODAY, ("2026-03-10", "2026-03-10"), id="day-month-name-year"),
        pytest.param("10. maaliskuuta", TODAY, ("2026-03-10", "2026-03-10"), id="day-month-name"),
        pytest.param("kokouksessa 17.9.2025", TODAY, ("2025-09-17", "2025-09-17"), id="kokouksessa-date"),
        pytest.param("4.3.2025 ja 18.3.2025", TODAY, ("2025-03-04", "2025-03-18"), id="two-dates-span"),
        pytest.param("viime kuussa", date(2025, 9, 5), ("2025-08-01", "2025-08-31"), id="viime-kuussa"),
        pytest.param("viime kuussa", date(2026, 1, 15), ("2025-12-01", "2025-12-31"), id="viime-kuussa-new-year"),
        pytest.param("tässä kuussa", TODAY, ("2026-11-01", "2026-11-28"), id="tassa-kuussa"),
        pytest.param("tänä vuonna", TODAY, ("2026-01-01", "2026-11-28"), id="tana-vuonna"),
        pytest.param("kuluvana vuonna", TODAY, ("2026-01-01", "2026-11-28"), id="kuluvana-vuonna"),
        pytest.param("viime vuonna", TODAY, ("2025-01-01", "2025-12-31"), id="viime-vuonna"),
        pytest.param("toissa vuonna", TODAY, ("2024-01-01", "2024-12-31"), id="toissa-vuonna"),
        pytest.param("eilen", TODAY, ("2026-11-27", "2026-11-27"), id="eilen"),
        pytest.param("tänään", TODAY, ("2026-11-28", "2026-11-28"), id="tanaan"),
        pytest.param("viime viikolla", TODAY, ("2026-11-16", "2026-11-22"), id="viime-viikolla"),
        pytest.param("tällä viikolla", TODAY, ("2026-11-23", "2026-11-28"), id="talla-viikolla"),
        pytest.param("viime syksynä", TODAY, ("2025-09-01", "2025-11-30"), id="viime-syksyna-in-autumn"),
        pytest.param("viime syksynä", date(2026, 2, 1), ("2025-09-01", "2025-11-30"), id="viime-syksyna-in-winter"),
        pytest.param("viime keväänä", TODAY, ("2026-03-01", "2026-05-31"), id="viime-kevaana"),
        pytest.param("viime kesänä", TODAY, ("2026-06-01", "2026-08-31"), id="viime-kesana"),
        pytest.param("viime talvena", TODAY, ("2025-12-01", "2026-02-28"), id="viime-talvena"),
        pytest.param("viime talvena", date(2026, 1, 10), ("2024-12-01", "2025-02-28"), id="viime-talvena-in-winter"),
        pytest.param("syksyllä 2024", TODAY, ("2024-09-01", "2024-11-30"), id="syksylla-year"),
        pytest.param("vuoden 2024 syksyllä", TODAY, ("2024-09-01", "2024-11-30"), id="vuoden-year-season"),
        pytest.param("alkuvuonna 2025", TODAY, ("2025-01-01", "2025-06-30"), id="alkuvuonna"),
        pytest.param("vuoden 2024 lopulla", TODAY, ("2024-07-01", "2024-12-31"), id="vuoden-lopulla"),
        # A period's genitive before a noun, and a two-day meeting written as a range of days.
        pytest.param("viime kuun kokouksessa", TODAY, ("2026-10-01", "2026-10-31"), id="viime-kuun-kokouksessa"),
        pytest.param("tämän kuun kokouksessa", TODAY, ("2026-11-01", "2026-11-28"), id="taman-kuun-kokouksessa"),
        pytest.param("viime viikon kokouksessa", TODAY, ("2026-11-16", "2026-11-22"), id="viime-viikon-kokouksessa"),
        pytest.param("edellisen kuun aikana", TODAY, ("2026-10-01", "2026-10-31"), id="edellisen-kuun-aikana"),
        pytest.param("2.–3.6.2025", TODAY, ("2025-06-02", "2025-06-03"), id="day-range-numeric"),
        pytest.param("2.-3. kesäkuuta 2025", TODAY, ("2025-06-02", "2025-06-03"), id="day-range-month-name"),
        pytest.param("30.5.–2.6.2025", TODAY, ("2025-05-30", "2025-06-02"), id="range-across-months"),
        # A weekday is its latest date (TODAY is a Saturday); with a date, the date.
        pytest.param("maanantaina", TODAY, ("2026-11-23", "2026-11-23"), id="weekday"),
        pytest.param("lauantaina", TODAY, ("2026-11-28", "2026-11-28"), id="weekday-today"),
        pytest.param("viime lauantaina", TODAY, ("2026-11-21", "2026-11-21"), id="viime-weekday-today"),
        pytest.param("viime tiistain kokouksessa", TODAY, ("2026-11-24", "2026-11-24"), id="weekday-genitive"),
        pytest.param("tiistaina 2.12.2025", TODAY, ("2025-12-02", "2025-12-02"), id="weekday-with-date"),
    ],
)
def test_dates_relative_and_seasons(text: str, today: date, dates: tuple[str, str]) -> None:
    check(parse(f"Mitä tarkastuslautakunta päätti {text}?", today), {"dates": dates})


# --- the conservative year rule ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "dates"),
    [
        pytest.param("Mitä kaupunginhallitus päätti vuonna 2024?", ("2024-01-01", "2024-12-31"), id="vuonna-decision"),
        pytest.param("Mitä kaupunginhallitus päätti 2024?", ("2024-01-01", "2024-12-31"), id="bare-no-topic"),
        pytest.param("Mitä uimahallista päätettiin 2024?", ("2024-01-01", "2024-12-31"), id="bare-after-verb"),
        pytest.param("Kuka valittiin rehtoriksi vuonna 2024?", ("2024-01-01", "2024-12-31"), id="vuonna-valittiin"),
        pytest.param("Mitä kaupunginhallitus käsitteli vuoden 2024 aikana?", ("2024-01-01", "2024-12-31"),
                     id="vuoden-aikana"),
        pytest.param("Mitä päätettiin vuosina 2023-2024?", ("2023-01-01", "2024-12-31"), id="vuosina-range"),
        pytest.param("Mitä hyvinvointilautakunta päätti viime vuonna?", ("2025-01-01", "2025-12-31"),
                     id="viime-vuonna-no-topic"),
        # A decision verb in the present tells what holds in that year, not when a meeting was held.
        pytest.param("Kuka hyväksyy rakennusvalvonnan laskut vuonna 2025?", (None, None), id="present-holds"),
        pytest.param("Kuka hyväksyi rakennusvalvonnan laskut vuonna 2025?", ("2025-01-01", "2025-12-31"),
                     id="past-happened"),
        pytest.param("Keille tarkastuslautakunta ei esittänyt vastuuvapautta vuodelta 2024", (None, None),
                     id="vuodelta-about"),
        pytest.param("Mitä kaupunginhallitus päätti talousarviosta vuodelle 2025?", (None, None),
                     id="vuodelle-about"),
        pytest.param("Mikä oli Lapuan kaupungin vuoden 2024 tilikauden tulos?", (None, None), id="vuoden-noun-about"),
        pytest.param("Mitä kaupunginhallitus päätti vuoden 2024 tilinpäätöksestä?", (None, None),
                     id="vuoden-tilinpaatos-with-verb"),
        pytest.param("Miten konsernin talous kehittyi vuonna 2024?", (None, None), id="vuonna-topic-no-verb"),
        pytest.param("Mitkä ovat suurimmat investoinnit vuonna 2025?", (None, None), id="investoinnit-vuonna"),
        pytest.param("Jatkuuko Kaikukortti Lapualla vuoden 2024 jälkeen?", (None, None), id="vuoden-jalkeen"),
        pytest.param("Paljonko kaupunki varasi festivaalille ensi vuodeksi?", (None, None), id="ensi-vuodeksi"),
        pytest.param("Mikä on oppilasennuste vuosille 2024-2030?", (None, None), id="vuosille-range"),
        pytest.param("Mitä muutoksia hallintosääntöön tehtiin 1.1.2025 alkaen?", (None, None),
                     id="effective-date-alkaen"),
        pytest.param("Mitä tilinpäätös 2024 kertoo?", (None, None), id="bare-after-noun"),
        pytest.param("Mitä joulukuusi maksoi?", (None, None), id="joulukuusi-is-a-tree"),
        pytest.param("Hankittiinko 2000 euron laite?", (None, None), id="amount-not-year"),
        pytest.param("Paljonko kauppahinta oli, 2 025 000 euroa?", (None, None), id="grouped-amount-not-year"),
    ],
)
def test_year_rule(text: str, dates: tuple[str | None, str | None]) -> None:
    check(parse(text), {"dates": dates})


def test_year_not_used_as_filter_stays_in_keywords() -> None:
    q = parse("Keille tarkastuslautakunta ei esittänyt vastuuvapautta vuodelta 2024")
    check(q, {"bodies": [TKL], "dates": (None, None), "keywords_contain": "vastuuvapautta vuodelta 2024",
              "time_label": ""})


# --- bodies -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        pytest.param("Mitä kaupunginhallitus päätti?", [KH], id="kaupunginhallitus"),
        pytest.param("kaupunginhallituksen kokouksessa", [KH], id="kaupunginhallituksen"),
        pytest.param("Mitä kh päätti?", [KH], id="kh"),
        pytest.param("Mitä KH:n kokouksessa päätettiin?", [KH], id="KH:n"),
        pytest.param("Mitä valtuusto päätti?", [KV], id="valtuusto"),
        pytest.param("kaupunginvaltuustossa", [KV], id="kaupunginvaltuustossa"),
        pytest.param("Mitä kv päätti?", [KV], id="kv"),
        pytest.param("teknisen lautakunnan päätökset", [TEK], id="teknisen-lautakunnan"),
        pytest.param("Mitä tekla päätti?", [TEK], id="tekla"),
        pytest.param("Mitä tekninen päätti?", [TEK], id="tekninen-alone"),
        pytest.param("teknisen johtajan selvitys", [], id="tekninen-johtaja-is-not-a-body"),
        pytest.param("hyvinvointilautakunnan päätös", [HVL], id="hyvinvointilautakunnan"),
        pytest.param("tarkastuslautakunnan kokouksessa", [TKL], id="tarkastuslautakunnan"),
        pytest.param("sivistyslautakunnassa", ["Sivistyslautakunta"], id="sivistyslautakunnassa"),
        pytest.param("ympäristölautakunnalle", ["Ympäristölautakunta"], id="ympäristölautakunnalle"),
        pytest.param("Mitä työllisyysalue päätti?", [PKT], id="tyollisyysalue"),
        pytest.param("työllisyysalueen lautakunnan kokous", [PKT], id="tyollisyysalueen-lautakunta"),
        pytest.param("työllisyyslautakunnassa", [PKT], id="tyollisyyslautakunta"),
        pytest.param("Mitä PKTALK päätti?", [PKT], id="abbreviation"),
        pytest.param("pktalk:n kokous", [PKT], id="abbreviation-lowercase-suffix"),
        pytest.param("valtuustoaloitteesta", [], id="compound-with-body-word-is-not-body"),
        pytest.param("nuorisovaltuuston toimintasääntö", [], id="nuorisovaltuusto"),
        pytest.param("Mitä lautakunta päätti?", [], id="generic-lautakunta"),
        pytest.param("kaupunginhallitus ja tarkastuslautakunta", [KH, TKL], id="two-bodies-store-order"),
    ],
)
def test_bodies(text: str, bodies: list[str]) -> None:
    check(parse(text), {"bodies": bodies})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Mitä ympäristö- ja rakennuslautakunta päätti?", ["Ympäristö- ja rakennuslautakunta"],
                     id="full-name"),
        pytest.param("ympäristölautakunnan päätös", ["Ympäristö- ja rakennuslautakunta"], id="first-part-only"),
        pytest.param("rakennuslautakunnassa", ["Ympäristö- ja rakennuslautakunta"], id="last-part-only"),
        pytest.param("Mitä kaupunginhallitus ja valtuusto päättivät?", ["Kunnanhallitus"], id="kunnan-vs-kaupungin"),
        pytest.param("Lapuan kaupungin talous ja investoinnit", [], id="ja-is-not-a-body"),
        pytest.param("Mitä konsernijaosto päätti?", ["Kaupunginhallituksen konsernijaosto"], id="jaosto"),
    ],
)
def test_bodies_with_other_name_shapes(text: str, expected: list[str]) -> None:
    other = [BodyInfo("Ympäristö- ja rakennuslautakunta"), BodyInfo("Kunnanhallitus"),
             BodyInfo("Kaupunginhallituksen konsernijaosto")]
    check(parse(text, bodies=other), {"bodies": expected})


def test_only_bodies_present_in_the_store_are_returned() -> None:
    q = parse("Mitä ympäristölautakunta päätti maaliskuussa 2025?", bodies=[BodyInfo("Kaupunginhallitus")])
    assert q.bodies == []
    assert "ympäristölautakunta" in q.keywords


# --- sections and case IDs ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "sections"),
    [
        pytest.param("§ 12", [12], id="sign-first"),
        pytest.param("§12", [12], id="sign-no-space"),
        pytest.param("12 §", [12], id="sign-after"),
        pytest.param("pykälä 12", [12], id="pykala-number"),
        pytest.param("pykälässä 12", [12], id="pykalassa-number"),
        pytest.param("§:ssä 12", [12], id="sign-suffix-number"),
        pytest.param("12. pykälä", [12], id="ordinal-pykala"),
        pytest.param("§ 12-14", [12, 13, 14], id="range"),
        pytest.param("§§ 12 ja 15", [12, 15], id="list"),
        pytest.param("17.9.2025 § 50", [50], id="after-date"),
        pytest.param("millä pykälällä", [], id="no-number"),
    ],
)
def test_sections(text: str, sections: list[int]) -> None:
    check(parse(f"Mitä kaupunginhallitus päätti {text}?"), {"sections": sections})


@pytest.mark.parametrize(
    ("text", "case_ids"),
    [
        pytest.param("Mikä oli asian LAPDno-2025-262 päätös?", ["LAPDno-2025-262"], id="canonical"),
        pytest.param("mitä asiassa lapdno-2025-262 päätettiin", ["LAPDno-2025-262"], id="lowercase"),
        pytest.param("asia LAPDNO-2025-262", ["LAPDno-2025-262"], id="uppercase"),
        pytest.param("asia SJKDno-2024-17", ["SJKDno-2024-17"], id="other-prefix"),
        pytest.param("dnro 1637/00.01.02.06/2025", ["1637/00.01.02.06/2025"], id="diary-number"),
        pytest.param("LAPDno-2025-262 ja LAPDno-2024-975", ["LAPDno-2025-262", "LAPDno-2024-975"], id="two"),
    ],
)
def test_case_ids(text: str, case_ids: list[str]) -> None:
    q = parse(text)
    check(q, {"case_ids": case_ids, "intent": "case_lookup", "dates": (None, None)})


# --- intents and keywords (dev-gold style questions) --------------------------------------------------

@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        pytest.param("Mitä tarkastuslautakunta päätti maaliskuussa 2025?", TODAY,
                     {"intent": "date_scoped", "bodies": [TKL], "dates": ("2025-03-01", "2025-03-31"),
                      "keywords": "", "time_label": "maaliskuussa 2025"}, id="d001"),
        pytest.param("Keille tarkastuslautakunta ei esittänyt vastuuvapautta vuodelta 2024 ja miksi?", TODAY,
                     {"intent": "decision", "bodies": [TKL], "dates": (None, None)}, id="d003"),
        pytest.param("Mikä oli asian LAPDno-2025-262 päätös?", TODAY,
                     {"intent": "case_lookup", "case_ids": ["LAPDno-2025-262"], "keywords": ""}, id="d005"),
        pytest.param("Mitä tarkastuslautakunnan kokouksessa 17.9.2025 § 50 päätettiin?", TODAY,
                     {"intent": "section_lookup", "bodies": [TKL], "sections": [50],
                      "dates": ("2025-09-17", "2025-09-17"), "time_label": "17.9.2025"}, id="d006"),
        pytest.param("Millä pykälällä kaupunginhallitus hyväksyi nuorisovaltuuston uudet toimintasäännöt?", TODAY,
                     {"intent": "fact", "bodies": [KH], "sections": [],
                      "keywords": "nuorisovaltuuston uudet toimintasäännöt"}, id="d007"),
        pytest.param("Kuka on Lapuan kaupungin uusi vastuunalainen tilintarkastaja?", TODAY,
                     {"intent": "fact", "keywords_contain": "tilintarkastaja"}, id="d008"),
        pytest.param("Oliko tarkastuslautakunnan kokouksessa 18.3.2025 joku jäävi?", TODAY,
                     {"intent": "vote_or_change", "dates": ("2025-03-18", "2025-03-18"), "bodies": [TKL]}, id="d010"),
        pytest.param("Muuttiko hyvinvointilautakunta esittelijän ehdotusta liikuntasalien vuoromaksuista "
                     "marraskuussa 2024?", TODAY,
                     {"intent": "vote_or_change", "bodies": [HVL], "dates": ("2024-11-01", "2024-11-30"),
                      "keywords_contain": "liikuntasalien vuoromaksuista"}, id="d011"),
        pytest.param("Jatkuuko Kaikukortti Lapualla vuoden 2024 jälkeen?", TODAY,
                     {"intent": "decision", "dates": (None, None), "keywords_contain": "Kaikukortti"}, id="d012"),
        pytest.param("Hankitaanko Lapualle yhteinen kirjastoauto Alajärven kanssa?", TODAY,
                     {"intent": "decision", "keywords_contain": "kirjastoauto Alajärven"}, id="d014"),
        pytest.param("Kuka valittiin musiikkiopiston rehtoriksi?", TODAY,
                     {"intent": "fact", "keywords_contain": "musiikkiopiston rehtoriksi"}, id="d015"),
        pytest.param("Mitä hyvinvointilautakunta päätti viime kuussa?", date(2025, 9, 5),
                     {"intent": "date_scoped", "bodies": [HVL], "dates": ("2025-08-01", "2025-08-31"),
                      "time_label": "elokuussa 2025"}, id="d017"),
        pytest.param("Mitä mieltä hyvinvointilautakunta oli sähköpotkulaudoista?", TODAY,
                     {"intent": "decision", "bodies": [HVL], "keywords": "sähköpotkulaudoista"}, id="d020"),
        pytest.param("Saiko Lapuan Voimistelijat avustusta, vaikka sen hakemus myöhästyi?", TODAY,
                     {"intent": "fact", "keywords_contain": "Voimistelijat avustusta"}, id="d021"),
        pytest.param("Ketkä hyvinvointilautakunnan jäsenet olivat esteellisiä, kun kulttuuritoimen kohdeavustuksia "
                     "jaettiin huhtikuussa 2025?", TODAY,
                     {"intent": "vote_or_change", "dates": ("2025-04-01", "2025-04-30")}, id="d022"),
        pytest.param("Miten kaupunginhallitus äänesti joulukuussa 2024 kännykkäkieltoa koskevasta "
                     "valtuustoaloitteesta?", TODAY,
                     {"intent": "vote_or_change", "bodies": [KH], "dates": ("2024-12-01", "2024-12-31"),
                      "keywords_contain": "valtuustoaloitteesta"}, id="d024"),
        pytest.param("Mitä kaupunginhallitus päätti uimahallin rakentamisesta viime joulukuussa?", date(2025, 2, 15),
                     {"intent": "decision", "bodies": [KH], "dates": ("2024-12-01", "2024-12-31"),
                      "keywords": "uimahallin rakentamisesta", "time_label": "joulukuussa 2024"}, id="d025"),
        pytest.param("Mitä kaupunginhallitus linjasi pienten kyläkoulujen lakkauttamisesta?", TODAY,
                     {"intent": "decision", "keywords_contain": "kyläkoulujen lakkauttamisesta"}, id="d026"),
        pytest.param("Paljonko kaupunki varasi Vanhan Paukun Festivaalille ensi vuodeksi?", date(2024, 11, 25),
                     {"intent": "fact", "dates": (None, None), "keywords_contain": "Vanhan Paukun"}, id="d027"),
        pytest.param("Oliko joku kaupunginhallituksen jäsen jäävi, kun Hietaharjun tilan ostosta päätettiin?", TODAY,
                     {"intent": "vote_or_change", "bodies": [KH], "keywords_contain": "Hietaharjun"}, id="d028"),
        pytest.param("Mitä hyvinvointilautakunta päätti frisbeegolfradan rakentamisesta?", TODAY,
                     {"intent": "decision", "keywords": "frisbeegolfradan rakentamisesta"}, id="d030"),
        pytest.param("Jäikö asia pöydälle?", TODAY, {"intent": "vote_or_change"}, id="poydalle"),
        pytest.param("Palautettiinko kaavamuutos valmisteluun?", TODAY, {"intent": "vote_or_change"}, id="palautettiin"),
        pytest.param("Kuinka monta kokousta kaupunginhallitus piti vuonna 2024?", TODAY, {"intent": "fact"},
                     id="kuinka-monta"),
        pytest.param("Milloin uimahallin pääpiirustukset hyväksyttiin?", TODAY, {"intent": "fact"}, id="milloin"),
        pytest.param("Mikä on uimahallihankkeen kokonaiskustannusarvio?", TODAY, {"intent": "fact"},
                     id="mika-on-amount-compound"),
        pytest.param("Hyväksyttiinkö tilinpäätös?", TODAY, {"intent": "decision"}, id="hyvaksyttiinko"),
        pytest.param("Miten kirjaston toimintaa kehitetään?", TODAY, {"intent": "general"}, id="general"),
        pytest.param("Mitä tarkastuslautakunnassa käsiteltiin kesällä 2025?", TODAY,
                     {"intent": "date_scoped", "time_label": "kesällä 2025"}, id="date-scoped-season"),
    ],
)
def test_gold_style_questions(text: str, today: date, expected: dict[str, Any]) -> None:
    check(parse(text, today), expected)


def test_keywords_drop_filters_and_boilerplate() -> None:
    q = parse("Mitä kaupunginhallitus päätti uimahallin rakentamisesta viime joulukuussa?", date(2025, 2, 15))
    for gone in ("Mitä", "kaupunginhallitus", "päätti", "viime", "joulukuussa"):
        assert gone.lower() not in q.keywords.lower().split()


# --- follow-ups ---------------------------------------------------------------------------------------

def test_month_follow_up_keeps_body_and_previous_year() -> None:
    first = parse("Mitä tarkastuslautakunta päätti maaliskuussa 2025?")
    q = parse("Entä huhtikuussa?", previous=first)
    check(q, {"is_follow_up": True, "bodies": [TKL], "dates": ("2025-04-01", "2025-04-30"),
              "intent": "date_scoped", "time_label": "huhtikuussa 2025"})


def test_month_follow_up_after_relative_month() -> None:
    first = parse("Mitä hyvinvointilautakunta päätti viime kuussa?", date(2025, 9, 5))
    q = parse("Entä heinäkuussa?", date(2025, 9, 5), previous=first)
    check(q, {"bodies": [HVL], "dates": ("2025-07-01", "2025-07-31"), "is_follow_up": True})


def test_month_follow_up_crosses_new_year_to_nearest_month() -> None:
    first = parse("Mitä kaupunginhallitus päätti joulukuussa 2024?")
    check(parse("Entä tammikuussa?", previous=first), {"dates": ("2025-01-01", "2025-01-31")})


@pytest.mark.parametrize(
    ("follow", "expected"),
    [
        pytest.param("Entä teknisessä lautakunnassa?",
                     {"bodies": [TEK], "dates": ("2025-03-01", "2025-03-31"), "keywords": "uimahallista",
                      "intent": "decision"}, id="other-body"),
        pytest.param("Entä vuonna 2024?",
                     {"bodies": [KH], "dates": ("2024-01-01", "2024-12-31"), "keywords": "uimahallista"},
                     id="other-year"),
        pytest.param("Mitä siitä päätettiin?",
                     {"bodies": [KH], "dates": ("2025-03-01", "2025-03-31"), "keywords": "uimahallista",
                      "intent": "decision"}, id="pronoun-siita"),
        pytest.param("Paljonko se maksaa?",
                     {"bodies": [KH], "keywords_contain": "uimahallista", "intent": "fact"}, id="pronoun-se-fact"),
        pytest.param("Entä kirjastoautosta?",
                     {"bodies": [KH], "dates": ("2025-03-01", "2025-03-31"), "keywords": "kirjastoautosta",
                      "intent": "decision"}, id="other-topic"),
        pytest.param("Ja kaupunginvaltuusto?", {"bodies": [KV], "keywords": "uimahallista"}, id="ja-body"),
    ],
)
def test_follow_ups_inherit_what_they_do_not_set(follow: str, expected: dict[str, Any]) -> None:
    first = parse("Mitä kaupunginhallitus päätti uimahallista maaliskuussa 2025?")
    q = parse(follow, previous=first)
    check(q, {"is_follow_up": True, **expected})


def test_follow_up_with_own_topic_and_pronoun_does_not_inherit_filters() -> None:
    first = parse("Keille tarkastuslautakunta ei esittänyt vastuuvapautta vuodelta 2024 ja miksi?")
    q = parse("Paljonko kaupunki maksaa siitä Kookinkallion tilasta?", previous=first)
    check(q, {"is_follow_up": True, "bodies": [], "intent": "fact", "keywords_contain": "Kookinkallion",
              "keywords_lack": "vastuuvapautta"})


def test_follow_up_inherits_case_id() -> None:
    first = parse("Mikä oli asian LAPDno-2025-262 päätös?")
    check(parse("Mitä siitä päätettiin?", previous=first),
          {"case_ids": ["LAPDno-2025-262"], "intent": "case_lookup", "is_follow_up": True})


def test_section_follow_up_keeps_meeting_but_not_section_on_new_month() -> None:
    first = parse("Mitä tarkastuslautakunnan kokouksessa 17.9.2025 § 50 päätettiin?")
    same_meeting = parse("Entä § 51?", previous=first)
    check(same_meeting, {"sections": [51], "bodies": [TKL], "dates": ("2025-09-17", "2025-09-17"),
                         "intent": "section_lookup"})
    other_month = parse("Entä huhtikuussa?", previous=first)
    check(other_month, {"sections": [], "dates": ("2025-04-01", "2025-04-30"), "intent": "date_scoped"})


def test_complete_question_after_previous_is_not_a_follow_up() -> None:
    first = parse("Mitä kaupunginhallitus päätti uimahallista maaliskuussa 2025?")
    q = parse("Mitä hyvinvointilautakunta päätti kesäkuussa 2025?", previous=first)
    check(q, {"is_follow_up": False, "bodies": [HVL], "dates": ("2025-06-01", "2025-06-30"), "keywords": ""})
    q2 = parse("Kuka valittiin musiikkiopiston rehtoriksi?", previous=first)
    check(q2, {"is_follow_up": False, "bodies": [], "dates": (None, None)})


def test_without_previous_nothing_is_inherited() -> None:
    check(parse("Entä huhtikuussa?"), {"is_follow_up": False, "bodies": [], "dates": ("2026-04-01", "2026-04-30")})


# --- time labels and the dates module directly ---------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "end", "seasonal", "label"),
    [
        pytest.param(date(2025, 3, 1), date(2025, 3, 31), False, "maaliskuussa 2025", id="month"),
        pytest.param(date(2025, 3, 1), date(2025, 5, 31), False, "maalis–toukokuussa 2025", id="months"),
        pytest.param(date(2025, 3, 1), date(2025, 5, 31), True, "keväällä 2025", id="spring"),
        pytest.param(date(2024, 11, 1), date(2025, 1, 31), False, "marraskuusta 2024 tammikuuhun 2025",
                     id="months-over-new-year"),
        pytest.param(date(2024, 1, 1), date(2024, 12, 31), False, "vuonna 2024", id="year"),
        pytest.param(date(2023, 1, 1), date(2024, 12, 31), False, "vuosina 2023–2024", id="years"),
        pytest.param(date(2025, 9, 17), date(2025, 9, 17), False, "17.9.2025", id="day"),
        pytest.param(date(2025, 9, 1), date(2025, 11, 30), True, "syksyllä 2025", id="autumn"),
        pytest.param(date(2024, 12, 1), date(2025, 2, 28), True, "talvella 2024–2025", id="winter"),
        pytest.param(date(2026, 1, 1), TODAY, False, "vuonna 2026", id="running-year"),
        pytest.param(date(2026, 11, 1), TODAY, False, "marraskuussa 2026", id="running-month"),
        pytest.param(date(2026, 11, 16), date(2026, 11, 22), False, "16.11.2026–22.11.2026", id="week"),
    ],
)
def test_time_label(start: date, end: date, seasonal: bool, label: str) -> None:
    assert time_label(start, end, TODAY, seasonal=seasonal) == label


def test_find_times_marks_weak_and_bare_years() -> None:
    spans = find_times("päätti vuonna 2024, tilinpäätös 2023 sekä maaliskuussa 2025", today=TODAY)
    kinds = [(s.kind, s.weak, s.bare) for s in spans]
    assert kinds == [("year", True, False), ("year", True, True), ("month", False, False)]


# --- robustness over real question sets -----------------------------------------------------------------

def _shared_questions() -> list[str]:
    out = []
    gold = SHARED / "eval" / "lapua-dev-gold.jsonl"
    if gold.exists():
        out += [json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    for f in sorted((SHARED / "eval" / "peer-questions").glob("*.md")):
        out += [m.group(1) for m in re.finditer(r"^\s*\d+\.\s+(.+\?)\s*$", f.read_text(encoding="utf-8"), re.M)]
    return out


@pytest.mark.skipif(not (SHARED / "eval").exists(), reason="../shared not present")
def test_every_shared_question_parses() -> None:
    questions = _shared_questions()
    assert len(questions) > 200
    previous = None
    for text in questions:
        q = parse_question(text, today=TODAY, bodies=BODIES, previous=previous)
        assert q.text == text
        assert set(q.bodies) <= {b.name for b in BODIES}
        assert (q.date_from is None) == (q.date_to is None)
        if q.date_from:
            assert q.date_from <= q.date_to
        previous = q


@pytest.mark.skipif(not (SHARED / "eval" / "lapua-dev-gold.jsonl").exists(), reason="../shared not present")
def test_dev_gold_filters_never_exclude_the_gold_citations() -> None:
    gold = [json.loads(line) for line in (SHARED / "eval" / "lapua-dev-gold.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    parsed: dict[str, Query] = {}
    for g in gold:
        today = date.fromisoformat(g.get("as_of", "2026-11-28"))
        q = parse_question(g["question"], today=today, bodies=BODIES, previous=parsed.get(g.get("follow_up_of", "")))
        parsed[g["id"]] = q
        for c in g["citations"]:
            if q.bodies and not q.is_follow_up:
                assert c["body"] in q.bodies, (g["id"], q)
            if q.date_from:
                assert q.date_from <= c["date"] <= q.date_to, (g["id"], q)
            if q.sections:
                assert c["section"] in q.sections, (g["id"], q)
            if q.case_ids:
                assert c["case_id"] in q.case_ids, (g["id"], q)


@pytest.mark.parametrize("text", [
    "Kuka toimii ympäristölautakunnan esittelijänä maaliskuusta 2023 alkaen?",
    "Mitkä ovat uimahallin maksut kesäkuusta 2025 lähtien?",
    "Mikä taksa tuli voimaan tammikuusta 2024 voimaan?",
    "Jatkuuko asiointiliikenne elokuusta 2026 eteenpäin?",
])
def test_month_something_takes_effect_from_is_not_a_meeting_filter(text: str) -> None:
    # The decision on what applies "from March" is usually made before March.
    q = parse(text, TODAY)
    assert (q.date_from, q.date_to) == (None, None), q


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="needs Voikko")
def test_a_question_typed_without_accents_is_read_as_the_question_it_is():
    from assistant.plan import Asked, Catalog, candidate_queries
    from core.query_terms import QueryNormalizer

    vocab = {"päättää", "ympäristölautakunta", "lupa", "maa-aines"}
    bodies = (BodyInfo("Ympäristölautakunta"),)
    asked = Asked("Mita ymparistolautakunta paatti joulukuussa 2022?", date(2024, 6, 1))
    plain = candidate_queries(asked, Catalog(bodies, ()))[0]
    read = candidate_queries(asked, Catalog(bodies, (), respell=QueryNormalizer(vocab).respelled))[0]
    assert read.bodies == ["Ympäristölautakunta"] and read.date_from == "2022-12-01"
    assert read.intent != "general"
    assert plain.bodies == []  # what the respelling adds


def test_a_follow_up_naming_another_keeps_the_previous_question_and_its_type() -> None:
    first = parse("Kuka on Honkalan koulun rehtori lukuvuonna 2026-2027?")
    q = parse("Entä Sorvalin koululla?", previous=first)
    words = q.keywords.split()
    assert "Sorvalin" in words and "Honkalan" not in words and "rehtori" in words
    assert q.asks == first.text  # the answer type is the previous question's: a person
    # A follow-up with a question word of its own asks its own.
    assert parse("Entä paljonko Sorvalin koulu maksoi?", previous=first).asks == ""
    # Without names on both sides the follow-up's topic replaces the previous one.
    other = parse("Entä kirjastoautosta?", previous=parse("Mitä päätettiin uimahallista?"))
    assert other.keywords == "kirjastoautosta"


def _candidates(text: str, previous: Query) -> list[str]:
    from assistant.plan import Asked, Catalog, candidate_queries

    return [c.keywords for c in candidate_queries(Asked(text, TODAY, previous), Catalog(tuple(BODIES), ()))]


def test_a_follow_up_with_words_of_its_own_is_also_searched_with_the_previous_subject() -> None:
    first = parse("Paljonko avantouimarien saunaan annettiin kuntarahaa?")
    kws = _candidates("Entä millä ehdoilla niille vuokrattiin maata?", first)
    # "niille" points back: the reading with the previous subject comes first.
    assert "avantouimarien" in kws[0].split() and "vuokrattiin" in kws[0].split()
    assert kws[1] == "ehdoilla vuokrattiin maata"  # as parsed: its own words
    assert len(kws) == len(set(kws))  # the fresh reading searches as the second does: once only
    # Without a pronoun the follow-up's own reading comes first.
    kws = _candidates("Entä millä ehdoilla vuokrattiin maata?", first)
    assert kws[0] == "ehdoilla vuokrattiin maata" and "avantouimarien" in kws[1].split()


def test_every_reading_of_an_elliptic_follow_up_asks_what_the_question_it_follows_asked() -> None:
    from assistant.plan import Asked, Catalog, candidate_queries

    first = parse("Mikä on viimeisin tieto Hourunkosken voimalaitoksen kalatiestä?")
    readings = candidate_queries(Asked("Entä Mäkelänkosken voimalan kalatie?", TODAY, first), Catalog(tuple(BODIES), ()))
    assert len(readings) == 2 and readings[1].keywords == "Mäkelänkosken voimalan kalatie"
    # Read alone it still asks for the latest news, only about its own subject.
    assert all(r.asks == first.text for r in readings)


def test_the_carried_subject_leaves_out_names_the_follow_up_replaces() -> None:
    first = parse("Paljonko Honkalan koulun peruskorjaus maksaa?")
    kws = _candidates("Entä milloin Sorvalin koulun peruskorjaus alkaa?", first)
    carried = [k for k in kws if "maksaa" in k.split()]
    assert carried and all("Honkalan" not in k.split() for k in kws)
    assert "Sorvalin" in carried[0].split()


def test_a_follow_up_without_words_of_its_own_has_one_reading() -> None:
    first = parse("Mitä kaupunginhallitus päätti uimahallista maaliskuussa 2026?")
    assert len(_candidates("Entä huhtikuussa?", first)) == 1


def _minutes_in(*meetings: tuple[str, str]):  # noqa: ANN202 - the covered callback parse_question takes
    def covered(first: date, last: date, bodies) -> bool:  # noqa: ANN001
        return any(first.isoformat() <= d <= last.isoformat() and (not bodies or b in bodies) for b, d in meetings)
    return covered


def test_yearless_month_means_the_latest_one_the_minutes_cover() -> None:
    # Asked in November 2026 of a store whose minutes end in 2025: "maaliskuussa" is March 2025.
    covered = _minutes_in((KH, "2024-03-18"), (KH, "2025-03-17"), (TKL, "2025-11-19"))
    q = parse_question("Mitä kaupunginhallitus päätti maaliskuussa?", today=TODAY, bodies=BODIES, covered=covered)
    assert (q.date_from, q.date_to) == ("2025-03-01", "2025-03-31")
    assert "2025" in q.time_label


def test_yearless_month_looks_for_the_asked_bodys_minutes() -> None:
    covered = _minutes_in((KH, "2026-03-16"), (TKL, "2024-03-12"))
    q = parse_question("Mitä tarkastuslautakunta päätti maaliskuussa?", today=TODAY, bodies=BODIES, covered=covered)
    assert (q.date_from, q.date_to) == ("2024-03-01", "2024-03-31")
    # Minutes of the current year's month exist: it stays.
    q = parse_question("Mitä kaupunginhallitus päätti maaliskuussa?", today=TODAY, bodies=BODIES, covered=covered)
    assert (q.date_from, q.date_to) == ("2026-03-01", "2026-03-31")


def test_explicit_year_and_relative_months_are_not_moved() -> None:
    covered = _minutes_in((KH, "2024-03-18"))
    q = parse_question("Mitä kaupunginhallitus päätti maaliskuussa 2026?", today=TODAY, bodies=BODIES, covered=covered)
    assert q.date_from == "2026-03-01"
    q = parse_question("Mitä kaupunginhallitus päätti viime kuussa?", today=TODAY, bodies=BODIES, covered=covered)
    assert q.date_from == "2026-10-01"
    # No minutes of that month in the years looked back: the current reading stays (the answer says so).
    q = parse_question("Mitä kaupunginhallitus päätti heinäkuussa?", today=TODAY, bodies=BODIES, covered=covered)
    assert q.date_from == "2026-07-01"


def test_plan_reads_a_yearless_month_against_the_stores_meetings() -> None:
    from assistant.plan import Asked, Catalog, candidate_queries

    catalog = Catalog(tuple(BODIES), ((KH, "2024-11-04"), (KH, "2025-03-17"), (KH, "2025-11-18")))
    q = candidate_queries(Asked("Mitä kaupunginhallitus päätti maaliskuussa?", TODAY), catalog)[0]
    assert (q.date_from, q.date_to) == ("2025-03-01", "2025-03-31")
    # Minutes dated after "today" (--as-of) do not count: asked on 10 November 2025, this November's
    # meeting is still to come, so "marraskuussa" is November 2024.
    q = candidate_queries(Asked("Mitä kaupunginhallitus päätti marraskuussa?", date(2025, 11, 10)), catalog)[0]
    assert q.date_from == "2024-11-01"


def test_a_year_follow_up_of_a_topic_question_asks_for_that_year_not_its_meetings() -> None:
    # "Entä vuonna 2025?" after the tax rate for 2026 asks for the rate of 2025 (decided in 2024).
    tax = parse_question("Mikä on tuloveroprosentti vuonna 2026?", today=TODAY, bodies=BODIES)
    q = parse_question("Entä vuonna 2025?", today=TODAY, bodies=BODIES, previous=tax)
    assert (q.date_from, q.date_to) == (None, None)
    assert "2025" in q.keywords and "2026" not in q.keywords and "tuloveroprosentti" in q.keywords
    # A previous year that was a meeting filter is replaced by the new one, as a filter.
    met = parse_question("Mitä kaupunginhallitus päätti uimahallista vuonna 2024?", today=TODAY, bodies=BODIES)
    assert met.date_from == "2024-01-01"
    q = parse_question("Entä vuonna 2025?", today=TODAY, bodies=BODIES, previous=met)
    assert (q.date_from, q.date_to) == ("2025-01-01", "2025-12-31") and "uimahallista" in q.keywords


def _cited(day: str) -> Any:
    from assistant.types import Citation

    return Citation("x", KH, day, 63, "LAPDno-2025-1", "Anomus", "kh.pdf", 1)


def test_a_follow_up_asking_what_happened_later_searches_after_the_cited_meeting() -> None:
    from assistant.plan import Asked, Catalog, candidate_queries

    prev = parse_question("Mitä kaupunginhallitus päätti tien päällystämisestä huhtikuussa 2025?",
                          today=TODAY, bodies=BODIES)
    catalog = Catalog(tuple(BODIES), ())
    for text in ("Entä mitä asiasta lopulta päätettiin?", "Mitä sille myöhemmin tehtiin?"):
        q = candidate_queries(Asked(text, TODAY, prev, _cited("2025-04-29")), catalog)[0]
        assert (q.date_from, q.date_to) == ("2025-04-30", None), text
    # Without a word for "later" the follow-up keeps the previous question's time.
    q = candidate_queries(Asked("Entä mitä asiasta päätettiin?", TODAY, prev, _cited("2025-04-29")), catalog)[0]
    assert (q.date_from, q.date_to) == ("2025-04-01", "2025-04-30")
    # A time of its own wins.
    q = candidate_queries(Asked("Entä mitä lopulta päätettiin kesäkuussa 2025?", TODAY, prev, _cited("2025-04-29")),
                          catalog)[0]
    assert (q.date_from, q.date_to) == ("2025-06-01", "2025-06-30")


def test_a_body_named_in_the_illative_is_where_someone_went_not_who_decided() -> None:
    q = parse_question("Kuka tuli Jussi Esimerkin tilalle sivistyslautakuntaan?", today=TODAY, bodies=BODIES)
    assert q.bodies == [] and "sivistyslautakuntaan" in q.keywords
    q = parse_question("Pääsevätkö nuoret puhumaan kaupunginvaltuuston kokouksiin?", today=TODAY, bodies=BODIES)
    assert q.bodies == [], "the council's meetings are where the young speak; the city board decided it"
    q = parse_question("Mitä kaupunginvaltuuston kokouksessa päätettiin uimahallista?", today=TODAY, bodies=BODIES)
    assert q.bodies == ["Kaupunginvaltuusto"]
    for text in ("Mitä sivistyslautakunta päätti koulukyydeistä?", "Mitä sivistyslautakunnassa päätettiin koulukyydeistä?"):
        assert parse_question(text, today=TODAY, bodies=BODIES).bodies == ["Sivistyslautakunta"], text


def test_where_in_a_year_is_no_keyword() -> None:
    # "alusta" after a year is "from the start of", not a platform ("alusta") or a ship ("alus").
    q = parse("Kuka valittiin rehtoriksi vuoden 2025 alusta?")
    assert "alusta" not in q.keywords.split() and "2025" in q.keywords and q.date_from is None
    assert "alusta" in parse("Mitä päätettiin uimahallin alusta?").keywords.split()


def test_a_body_in_the_partitive_is_acted_on_not_the_one_deciding() -> None:
    q = parse_question("Ketkä johtavat sivistyslautakuntaa uudella kaudella?", today=TODAY, bodies=BODIES)
    assert q.bodies == [] and "sivistyslautakuntaa" in q.keywords
    q = parse_question("Mitä sivistyslautakunta päätti uudesta kaudesta?", today=TODAY, bodies=BODIES)
    assert q.bodies == ["Sivistyslautakunta"]


def test_a_body_named_with_another_town_is_that_towns_body() -> None:
    q = parse_question("Mitä Seinäjoen kaupunginvaltuusto päätti talousarviosta 2025?", today=TODAY, bodies=BODIES)
    assert q.other_bodies == ("Seinäjoen kaupunginvaltuusto",) and q.bodies == []
    # The store's own bodies, named bare, are filters as before.
    q = parse_question("Mitä kaupunginvaltuusto päätti talousarviosta 2025?", today=TODAY, bodies=BODIES)
    assert q.other_bodies == () and q.bodies == ["Kaupunginvaltuusto"]


def test_a_question_about_another_towns_council_is_refused_naming_it(tmp_path, settings, fake_embedder, write_meeting):
    from assistant.service import Assistant
    from ingest.pipeline import run

    d = tmp_path / "kv"
    write_meeting(d, "kv.txt", "KV", "16.03.2026", [(
        12, "Talousarvio 2026", "LAPDno-2026-12", "Kaupunginvaltuusto hyväksyy talousarvion 2026. Seinäjoen "
        "kaupunginvaltuusto käsittelee oman talousarvionsa joulukuussa.", "Hyväksyttiin.")])
    (d / "pöytäkirjat.toml").write_text('municipality = "Esimerkkilän kaupunki"\n', encoding="utf-8")
    run([d], settings, embedder=fake_embedder)
    bot = Assistant.open(settings, embedder=fake_embedder)
    ans = bot.ask("Mitä Seinäjoen kaupunginvaltuusto päätti talousarviosta 2026?", today=date(2026, 6, 1))
    assert ans.refused and "Seinäjoen kaupunginvaltuusto" in ans.text and not ans.citations, ans.text
    ans = bot.ask("Mitä Esimerkkilän kaupunginvaltuusto päätti talousarviosta 2026?", today=date(2026, 6, 1))
    assert not ans.refused and "§ 12" in ans.text, ans.text


def test_another_towns_body_is_told_apart_only_where_the_store_knows_its_organisations() -> None:
    from assistant.plan import Asked, Catalog, candidate_queries

    text = "Mitä Seinäjoen kaupunginvaltuusto päätti talousarviosta 2025?"
    known = Catalog(tuple(BODIES), (), organisations=("Lapuan kaupunki",))
    assert candidate_queries(Asked(text, TODAY), known)[0].other_bodies == ("Seinäjoen kaupunginvaltuusto",)
    assert candidate_queries(Asked(text, TODAY), Catalog(tuple(BODIES), ()))[0].other_bodies == ()
    own = candidate_queries(Asked("Mitä Lapuan kaupunginvaltuusto päätti talousarviosta 2025?", TODAY), known)[0]
    assert own.other_bodies == () and own.bodies == ["Kaupunginvaltuusto"]


def test_then_moving_on_to_another_subject_is_no_later_step() -> None:
    from assistant.plan import Asked, Catalog, candidate_queries

    prev = parse_question("Mitä kaupunginhallitus päätti tien päällystämisestä huhtikuussa 2025?",
                          today=TODAY, bodies=BODIES)
    q = candidate_queries(Asked("Entä sitten kirjastoautosta?", TODAY, prev, _cited("2025-04-29")),
                          Catalog(tuple(BODIES), ()))[0]
    assert q.date_from != "2025-04-30"


@pytest.mark.parametrize("text, dates", [
    # When something happens, not when it was decided: the season stays a topic word, no date filter.
    ("Pitääkö torilla myyjän maksaa paikastaan myös talvella?", (None, None)),
    ("Saavatko nuoret kesäsetelin kesällä 2026?", (None, None)),
    # A decision told in the past, or a question with no topic of its own: the meeting's time.
    ("Mitä tekninen lautakunta päätti syksyllä 2025?", ("2025-09-01", "2025-11-30")),
    ("Mitä tarkastuslautakunnassa käsiteltiin keväällä 2026?", ("2026-03-01", "2026-05-31")),
])
def test_a_season_filters_meeting_dates_only_when_it_dates_a_decision(text: str, dates: tuple) -> None:
    q = parse(text, TODAY)
    check(q, {"dates": dates})
    if dates == (None, None):
        assert any(w in q.keywords for w in ("talvella", "kesällä"))
