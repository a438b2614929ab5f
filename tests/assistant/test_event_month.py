"""A month asked about can be the event's month, decided months before (fictional minutes)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def trip(tmp_path, settings, fake_embedder, write_meeting):
    from assistant.service import Assistant
    from ingest.pipeline import run

    d = tmp_path / "trip"
    write_meeting(d, "kh-08.txt", "KH", "10.08.2026", [
        (30, "Ystävyyskaupunkimatka Tarttoon", "LAPDno-2026-300",
         "Ystävyyskaupunkimatka Tarttoon tehdään 4.9.2026-6.9.2026. Matkalle osallistuvat Aino Esimerkki ja "
         "Pekka Malli.", "Hyväksyttiin."),
        (31, "Kirjastoauton hankinta", "LAPDno-2026-301",
         "Kirjastoauto hankitaan yhdessä naapurikunnan kanssa.", "Hyväksyttiin."),
    ])
    write_meeting(d, "kh-12.txt", "KH", "14.12.2025", [
        (50, "Kaupungin kesätyöt 2026", "LAPDno-2025-500",
         "Kesällä 2026 kaupunki maksaa nuoren palkkaavalle yrittäjälle kesätyötukea 90 euroa viikossa.",
         "Hyväksyttiin."),
        (51, "Uimahallin aukioloajat", "LAPDno-2025-501",
         "Uimahalli on auki arkisin kello 6-21. Uimahallin kesätauko pidetään erikseen päätettävänä aikana.",
         "Hyväksyttiin."),
    ])
    write_meeting(d, "kh-09.txt", "KH", "14.09.2026", [
        (40, "Katuvalojen kunnostus", "LAPDno-2026-310", "Katuvalot kunnostetaan syksyllä.", "Hyväksyttiin."),
    ])
    run([d], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder)


def test_an_event_in_the_asked_month_is_found_in_the_earlier_decision(trip):
    ans = trip.ask("Ketkä osallistuivat ystävyyskaupunkimatkalle Tarttoon syyskuussa 2026?", today=date(2026, 12, 1))
    assert not ans.refused, ans.text
    assert "Aino Esimerkki" in ans.text and [c.section for c in ans.citations][:1] == [30]


def test_an_earlier_decision_that_does_not_name_the_month_is_no_answer(trip):
    ans = trip.ask("Mitä kirjastoauton hankinnasta päätettiin syyskuussa 2026?", today=date(2026, 12, 1))
    assert ans.refused, ans.text


def test_an_event_in_the_asked_season_is_found_in_a_decision_half_a_year_before(trip):
    ans = trip.ask("Paljonko yrittäjä saa kesätyötukea kesällä 2026?", today=date(2026, 12, 1))
    assert not ans.refused, ans.text
    assert "90 euroa" in ans.text and [c.section for c in ans.citations][:1] == [50]


def test_a_decision_that_names_no_time_of_the_asked_season_is_no_answer(trip):
    ans = trip.ask("Milloin uimahallin kesätauko pidetään kesällä 2026?", today=date(2026, 12, 1))
    assert ans.refused, ans.text


def test_the_window_mention_reads_days_months_and_the_season_with_its_year():
    from assistant.time_filter import mentions_window

    summer = (date(2026, 6, 1), date(2026, 8, 31))
    assert mentions_window("Leiri pidetään 12.-18.6.2026 Hirvijärvellä.", *summer)
    assert mentions_window("Toiminta-aika on 5.5. - 31.8.2026.", *summer)
    assert mentions_window("Kesällä 2026 toteutetaan kesätyöprojektit.", *summer)
    assert mentions_window("heinäkuussa 2026", *summer)
    assert not mentions_window("Kesällä 2025 toteutettiin kesätyöprojektit 12.6.2025.", *summer)
    assert not mentions_window("Leiri pidetään 12.9.2026.", *summer)
    winter = (date(2025, 12, 1), date(2026, 2, 28))
    assert mentions_window("talvella 2025-2026 aurataan", *winter)
    assert mentions_window("Hiihtoloma 23.2.2026 alkaen.", *winter)
    assert not mentions_window("talvella 2024 aurattiin", *winter)
