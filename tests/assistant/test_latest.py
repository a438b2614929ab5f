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
