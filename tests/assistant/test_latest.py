""""Viimeksi" with a subject asks for the newest item on it; without one, the last meeting (fictional minutes)."""

from __future__ import annotations

from datetime import date

import pytest

from core import tokens

pytestmark = pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")

TODAY = date(2026, 6, 1)


@pytest.fixture
def bot(tmp_path, settings, fake_embedder, write_meeting):
    from assistant.service import Assistant
    from ingest.pipeline import run

    d = tmp_path / "kh"
    write_meeting(d, "kh-2026-03.txt", "KH", "10.03.2026", [
        (30, "Maauimalan vuokrasopimuksen irtisanominen", "18/02.07.01/2026",
         "Maauimalan vuokralainen ei ole maksanut vuokraa.", "Kaupunginhallitus irtisanoi maauimalan vuokrasopimuksen."),
        (31, "Kirjaston aukioloajat", "19/12.00.00/2026",
         "Kirjaston aukioloaikoja laajennetaan.", "Hyväksyttiin."),
    ])
    write_meeting(d, "kh-2026-04.txt", "KH", "14.04.2026", [
        (45, "Maauimalan purkuajankohdan siirtopyyntö", "18/02.07.01/2026",
         "Maauimalan vuokralainen pyytää lisäaikaa rakennusten purkamiseen.",
         "Kaupunginhallitus myönsi maauimalan purkamiselle lisäaikaa 31.5.2027 asti."),
        (46, "Katuvalojen uusiminen", "20/10.03.00/2026",
         "Katuvalot vaihdetaan LED-valoihin.", "Hyväksyttiin."),
    ])
    run([d], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder)


def test_latest_on_a_subject_leads_with_its_newest_item(bot):
    ans = bot.ask("Mitä maauimalan vuokralaisen asiassa päätettiin viimeksi?", today=TODAY)
    assert not ans.refused
    assert ans.citations[0].section == 45 and "31.5.2027" in ans.text.split("\n")[0]
    assert ans.query.date_from is None  # not narrowed to the last meeting: the subject decides


def test_latest_without_a_subject_is_the_last_meeting(bot):
    ans = bot.ask("Mitä kaupunginhallitus päätti viimeksi?", today=TODAY)
    assert ans.query.date_from == ans.query.date_to == "2026-04-14"
    assert {c.section for c in ans.citations} <= {45, 46} and ans.citations


@pytest.fixture
def yearly(bot_over_meetings):
    """A matter the board takes up each year under a new case ID; the older text says more of the question's words."""
    return bot_over_meetings("yearly", [
        ("kh-2025-12.txt", "KH", "15.12.2025", [
            (80, "Seutukunnan matkailuyhteistyö", "101/00.04.01/2025",
             "Seutukunnan matkailumarkkinointi kootaan yhteiseen yhtiöön. Kaupunki maksaa seutukunnan "
             "matkailumarkkinoinnista osuuden, joka porrastetaan kuntien asukasluvun mukaan.",
             "Kaupunki maksaa seutukunnan matkailumarkkinoinnista 6.000 euroa vuodelle 2026."),
            (81, "Kirjaston aukioloajat", "102/12.00.00/2025", "Kirjaston aukioloaikoja laajennetaan.", "Hyväksyttiin."),
        ]),
        ("kh-2026-10.txt", "KH", "05.10.2026", [
            (300, "Seutukunnan matkailuyhteistyö", "77/00.04.01/2026",
             "Yhtiö on tiedustellut osuutta seuraavalle vuodelle.", "Hyväksytään 7.500 euroa vuodelle 2027."),
            (301, "Katuvalojen uusiminen", "78/10.03.00/2026", "Katuvalot vaihdetaan LED-valoihin.", "Hyväksyttiin."),
        ]),
    ])


def test_the_latest_decision_of_a_matter_taken_up_yearly_is_its_newest_same_titled_item(yearly):
    ans = yearly.ask("Paljonko kaupunki maksaa seutukunnan matkailumarkkinoinnista? Mikä on tuorein päätös?",
                     today=date(2026, 12, 1))
    assert not ans.refused, ans.text
    assert ans.citations[0].section == 300 and "7.500" in ans.text.split("\n")[0], ans.text


def test_without_latest_the_matter_s_best_matching_item_answers(yearly):
    ans = yearly.ask("Paljonko kaupunki maksaa seutukunnan matkailumarkkinoinnista vuodelle 2026?",
                     today=date(2026, 12, 1))
    assert not ans.refused, ans.text
    assert ans.citations[0].section == 80, ans.text



def test_the_search_adds_the_later_same_titled_items_only_when_the_latest_is_asked(yearly):
    from assistant.types import Hit, Query

    older = next(it for it in yearly.index.filtered(Query("x", sections=[80])))
    hits = [Hit(older, 1.0, ("lexical",))]

    def added(q: Query) -> list[int]:
        return [h.item.section for h in yearly.retriever._recurring(q, hits)]

    assert added(Query("Mikä on tuorein päätös matkailuyhteistyöstä?")) == [300]
    assert added(Query("Paljonko matkailuyhteistyö maksaa?")) == []
    # An elliptic follow-up asks what the question it follows asked: the latest.
    assert added(Query("Entä matkailuyhteistyöstä?", asks="Mikä on tuorein päätös katuvaloista?")) == [300]
    assert added(Query("Mikä on tuorein päätös matkailuyhteistyöstä?", bodies=["Kaupunginhallitus"])) == []
