"""Shared fixtures: a store in tmp_path, a deterministic fake embedder, tiny minutes written on the fly."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


@pytest.fixture
def settings(tmp_path: Path):
    """Settings whose store lives in tmp_path; no test touches var/."""
    from core.config import Settings

    return Settings.from_env(env={}, store_dir=tmp_path / "store")


@pytest.fixture
def fake_embedder():
    from core.embedding import FakeEmbedder

    return FakeEmbedder()


ItemSpec = tuple[int, str, str, str, str]  # (§, title, case id, body text, decision)


def _meeting_text(abbr: str, date: str, items: list[ItemSpec]) -> str:
    parts = []
    for sec, title, case_id, text, decision in items:
        parts.append(
            f"{title}\n\n{abbr} {date} § {sec}\n{case_id}\n\n{text}\n\n"
            f"Valmistelija: työllisyysaluejohtaja\n\nTyöllisyysaluejohtajan päätösehdotus:\n\n"
            f"Lautakunta päättää hyväksyä esityksen: {title.lower()}.\n\nPäätös:\n\n{decision}\n"
        )
    return "\n".join(parts)


@pytest.fixture
def write_meeting() -> Callable[..., Path]:
    """Write a small minutes .txt in the seed's shape: ``write_meeting(dir, name, abbr, date, items)``."""

    def write(folder: Path, name: str, abbr: str, date: str, items: list[ItemSpec]) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        p = folder / name
        p.write_text(_meeting_text(abbr, date, items), encoding="utf-8")
        return p

    return write


@pytest.fixture
def bot_over(tmp_path: Path, settings, fake_embedder, write_meeting):
    """An Assistant over one meeting written for the test (real ingest and Chroma, fake embedder)."""
    from assistant.service import Assistant
    from ingest.pipeline import run

    def make(name: str, abbr: str, date: str, items: list[ItemSpec]):
        d = tmp_path / name
        write_meeting(d, f"{name}.txt", abbr, date, items)
        run([d], settings, embedder=fake_embedder)
        return Assistant.open(settings, embedder=fake_embedder)

    return make


@pytest.fixture
def bot_over_meetings(tmp_path: Path, settings, fake_embedder, write_meeting):
    """An Assistant over several meetings written for the test: ``make(name, [(file, abbr, date, items), …])``."""
    from assistant.service import Assistant
    from ingest.pipeline import run

    def make(name: str, meetings: list[tuple[str, str, str, list[ItemSpec]]]):
        d = tmp_path / name
        for file, abbr, day, items in meetings:
            write_meeting(d, file, abbr, day, items)
        run([d], settings, embedder=fake_embedder)
        return Assistant.open(settings, embedder=fake_embedder)

    return make


@pytest.fixture
def ask_over(bot_over):
    """One question to an Assistant over one written item (KH 16.03.2026 unless given): its Answer."""
    from datetime import date

    def ask(name: str, item: ItemSpec, question: str, *, abbr: str = "KH", day: str = "16.03.2026"):
        return bot_over(name, abbr, day, [item]).ask(question, today=date(2026, 6, 1))

    return ask


@pytest.fixture
def small_corpus(tmp_path: Path, write_meeting) -> Path:
    """Two meetings of the employment-area board (PKTALK), five items."""
    d = tmp_path / "corpus"
    write_meeting(d, "pktalk-2026-03.txt", "PKTALK", "10.03.2026", [
        (12, "Palkkatuen myöntämisperusteet", "1637/00.01.02.06/2026",
         "Palkkatukea myönnetään enintään 120 henkilölle. Määrärahaa varataan 450 000 euroa.",
         "Hyväksyttiin yksimielisesti."),
        (13, "Uimahallin peruskorjauksen työllistämishanke", "1638/00.01.02.06/2026",
         "Uimahallin peruskorjaukseen palkataan kuusi työkokeilijaa kevään aikana.",
         "Lautakunta päätti käynnistää hankkeen."),
        (14, "Katuvalaistuksen kunnostus", "1639/00.01.02.06/2026",
         "Katuvalaistuksen LED-vaihtoon osallistuu kaksi työllistettyä.",
         "Merkittiin tiedoksi."),
    ])
    write_meeting(d, "pktalk-2026-04.txt", "PKTALK", "14.04.2026", [
        (20, "Kotoutumisohjelma 2026", "1700/00.01.02.06/2026",
         "Kotoutumisohjelmaan osallistuu 410 asiakasta.", "Hyväksyttiin yksimielisesti."),
        (21, "Nuorten kesätyöt", "1701/00.01.02.06/2026",
         "Nuorten kesätyösetelin arvo on 350 euroa.", "Lautakunta hyväksyi kesätyösetelin."),
    ])
    return d
