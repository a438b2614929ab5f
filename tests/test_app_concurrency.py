"""Twenty users at once: the running app answers each question separately and correctly.

The app runs in this process on a free port (real pipeline, Chroma, embedder,
demo corpus indexed on first start). Twenty ``gradio_client.Client`` sessions
call the chat's ``/kysy`` endpoint at the same moment; every answer must cite
the item its own question asked about, and the chat history returned to each
session must hold only that session's question.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.slow

TODAY = "2026-06-01"
# (question, label part that the answer's sources must contain)
QUESTIONS: list[tuple[str, str]] = [
    ("Mitä asiassa 212/00.01.02.06/2026 päätettiin?", "20.1.2026 § 3"),
    ("Mitä asiassa 219/00.01.02.06/2026 päätettiin?", "20.1.2026 § 4"),
    ("Mitä asiassa 240/00.01.02.06/2026 päätettiin?", "20.1.2026 § 5"),
    ("Mitä asiassa 1637/00.01.02.06/2026 päätettiin?", "10.3.2026 § 12"),
    ("Mitä asiassa 1702/00.01.02.06/2026 päätettiin?", "10.3.2026 § 13"),
    ("Mitä asiassa 1718/00.01.02.06/2026 päätettiin?", "10.3.2026 § 14"),
    ("Mitä asiassa 1733/00.01.02.06/2026 päätettiin?", "10.3.2026 § 15"),
    ("Mitä asiassa 2810/00.01.02.06/2026 päätettiin?", "12.5.2026 § 22"),
    ("Mitä asiassa 2875/00.01.02.06/2026 päätettiin?", "12.5.2026 § 23"),
    ("Mitä asiassa 2901/00.01.02.06/2026 päätettiin?", "12.5.2026 § 24"),
    ("Mitä työllisyysalueen lautakunta päätti 20.1.2026 § 1?", "20.1.2026 § 1"),
    ("Mitä työllisyysalueen lautakunta päätti 20.1.2026 § 2?", "20.1.2026 § 2"),
    ("Mitä työllisyysalueen lautakunta päätti 20.1.2026 § 6?", "20.1.2026 § 6"),
    ("Mitä työllisyysalueen lautakunta päätti 10.3.2026 § 10?", "10.3.2026 § 10"),
    ("Mitä työllisyysalueen lautakunta päätti 10.3.2026 § 11?", "10.3.2026 § 11"),
    ("Mitä työllisyysalueen lautakunta päätti 10.3.2026 § 16?", "10.3.2026 § 16"),
    ("Mitä työllisyysalueen lautakunta päätti 12.5.2026 § 20?", "12.5.2026 § 20"),
    ("Mitä työllisyysalueen lautakunta päätti 12.5.2026 § 21?", "12.5.2026 § 21"),
    ("Mitä työllisyysalueen lautakunta päätti 12.5.2026 § 25?", "12.5.2026 § 25"),
    ("Mitä nuorten kesätyösetelistä päätettiin maaliskuussa 2026?", "10.3.2026 § 14"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import app
    from core.config import Settings

    settings = Settings.from_env(env={}, store_dir=tmp_path_factory.mktemp("conc") / "store", today=TODAY)
    backend = app.Backend(settings)
    port = free_port()
    demo = app.serve(settings, backend=backend, server_port=port, block=False, quiet=True)
    try:
        backend.ensure()  # waits for the first-start demo indexing
        assert backend.state == "ready", backend.message
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def text_of(message: dict) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def test_twenty_questions_at_once_get_their_own_answers(app_url: str) -> None:
    from gradio_client import Client

    assert len({q for q, _ in QUESTIONS}) == 20
    clients = [Client(app_url, verbose=False) for _ in QUESTIONS]
    barrier = threading.Barrier(len(QUESTIONS))
    results: dict[int, object] = {}
    errors: dict[int, BaseException] = {}

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = clients[i].predict(QUESTIONS[i][0], [], [], "", "", api_name="/kysy")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors[i] = e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(QUESTIONS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    assert not errors, errors
    wrong = []
    for i, (question, expected) in enumerate(QUESTIONS):
        textbox, history, sources = results[i]  # type: ignore[misc]
        assert textbox == ""
        assert [m["role"] for m in history] == ["user", "assistant"], history
        assert text_of(history[0]) == question
        answer = text_of(history[1])
        labels = [label for label, _ in sources["choices"]]
        if not any(expected in label for label in labels) or expected not in answer:
            wrong.append((question, expected, labels, answer[:300]))
    assert not wrong, "\n".join(map(str, wrong))


def test_follow_ups_use_each_sessions_own_conversation(app_url: str) -> None:
    """Two sessions ask about different bodies, then both "Entä huhtikuussa?" at once."""
    from gradio_client import Client

    sessions = [("Mitä sivistyslautakunta päätti tammikuussa 2026?", "Sivistyslautakunta 22.4.2026"),
                ("Mitä tekninen lautakunta päätti helmikuussa 2026?", "Tekninen lautakunta 14.4.2026")]
    clients = [Client(app_url, verbose=False) for _ in sessions]
    for c, (q, _) in zip(clients, sessions, strict=True):
        c.predict(q, [], [], "", "", api_name="/kysy")
    jobs = [c.submit("Entä huhtikuussa?", [], [], "", "", api_name="/kysy") for c in clients]
    for job, (_, expected) in zip(jobs, sessions, strict=True):
        _, history, sources = job.result(timeout=600)
        labels = [label for label, _ in sources["choices"]]
        # A store of two organisations names the city before the body: "[1] Esimerkkilän kaupunki, Sivistys…"
        assert labels and all(expected in label.split("] ", 1)[1].split(" § ")[0] for label in labels), \
            (expected, labels, text_of(history[-1]))
