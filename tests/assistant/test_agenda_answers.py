"""Agenda items (Esityslista) are proposals: answers never present them as decisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.pipeline import run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "lapua"
AGENDA = SHARED / "Kaupunginvaltuusto" / "Esityslista-Kaupunginvaltuusto - 10.11.2025, klo 17_00.pdf"


@pytest.mark.skipif(not AGENDA.exists(), reason="../shared corpus not present")
def test_agenda_meeting_is_answered_as_proposals(settings, fake_embedder):
    summary = run([AGENDA], settings, embedder=fake_embedder)
    assert summary.ok
    bot = Assistant.open(settings, embedder=fake_embedder)
    assert {m.kind for m in bot.index.meetings} == {"agenda"}
    ans = bot.ask("Mitä kaupunginvaltuusto käsittelee marraskuussa 2025?", today=date(2025, 11, 20))
    assert not ans.refused and ans.citations
    assert "esityslista: ehdotuksia, ei päätöksiä" in ans.text
    assert "päätti asiassa" not in ans.text
    assert all(c.kind == "agenda" for c in ans.citations)
    one = bot.ask(f"Mitä kaupunginvaltuuston kokouksessa 10.11.2025 § {ans.citations[-1].section} päätettiin?",
                  today=date(2025, 11, 20))
    assert "päätöstä ei ole pöytäkirjassa" in one.text
