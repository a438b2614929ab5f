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
