"""Fast tests of the web app: rendering, input parsing and the event handlers.

The handler tests run the real pipeline, Chroma store and Assistant on two tiny
minutes files written here; a deterministic hashing embedder stands in for the
neural model so the module runs in seconds.
"""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from pathlib import Path

import pytest

import app
from assistant.types import Answer, Citation, Query
from core.config import Settings
from core.items import AgendaItem, HistoryEntry
from ui import inputs, originals, render
from ui.citations import number_answer, number_sources
from ui.style import APP_CSS

KH_TEXT = """Talousarvion muutos vuodelle 2025

KH 17.03.2025 § 85
LAPDno-2025-123

Kaupunginhallitukselle esitetään talousarvion muutosta, jolla katuvalaistuksen saneeraukseen osoitetaan 120 000 euroa lisämäärärahaa.

Valmistelija: talousjohtaja

Kaupunginjohtajan päätösehdotus:

Kaupunginhallitus esittää valtuustolle, että talousarvioon tehdään katuvalaistuksen muutos.

Päätös:

Kaupunginhallitus hyväksyi ehdotuksen yksimielisesti. Katuvalaistuksen lisämääräraha esitetään valtuustolle.

Uimahallin aukioloajat

KH 17.03.2025 § 86
LAPDno-2025-140

Uimahallin aukioloaikoja ehdotetaan pidennettäväksi arkisin kello 21:een.

Kaupunginjohtajan päätösehdotus:

Kaupunginhallitus hyväksyy uimahallin uudet aukioloajat.

Päätös:

Kaupunginhallitus päätti äänin 6–3 hyväksyä uimahallin uudet aukioloajat.
"""

TEKLA_TEXT = """Koulukadun peruskorjaus

Tekla 08.04.2025 § 31
LAPDno-2025-310

Koulukadun peruskorjaus on suunniteltu toteutettavaksi kesällä 2025. Urakkatarjouksia saatiin neljä.

Teknisen johtajan päätösehdotus:

Tekninen lautakunta valitsee Koulukadun peruskorjauksen urakoitsijaksi edullisimman tarjouksen tehneen Tie ja Katu Oy:n.

Päätös:

Tekninen lautakunta valitsi Koulukadun urakoitsijaksi Tie ja Katu Oy:n.
"""


class HashEmbedder:
    """Deterministic bag-of-word-stems embedder (test double for the neural model)."""

    name = "test-hash-128"
    dim = 128

    def _vec(self, text: str) -> list[float]:
        v = [0.0] * self.dim
        for w in re.findall(r"\w+", text.lower()):
            v[int(hashlib.md5(w[:6].encode()).hexdigest(), 16) % self.dim] += 1.0
        n = math.sqrt(sum(x * x for x in v)) or 1.0
        return [x / n for x in v]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def make_item(**kw: object) -> AgendaItem:
    base: dict[str, object] = dict(
        municipality="Lapua", body="Kaupunginhallitus", date="2025-03-17", section=85,
        title="Talousarvion muutos", source="/data/Pöytäkirja KH 17.3.2025.pdf",
        meeting_number="3/2025", case_ids=["LAPDno-2025-123"], preparer="talousjohtaja",
        presenter="kaupunginjohtaja", proposal="Kaupunginhallitus esittää muutosta.",
        decision="Hyväksyttiin yksimielisesti.", body_text="Taustaa.\n\nLisää taustaa.",
        history=[HistoryEntry("Tekninen lautakunta", "2025-02-10", 12, "Ehdotetaan.", "Puollettiin.")],
        votes="Äänestyksessä 6 JAA ja 3 EI.", disqualified=["Matti Meikäläinen"],
        experts=["talouspäällikkö"], attachments=["Liite 1 Muutoslaskelma"],
        notes=["Pöytäkirjaan merkittiin eriävä mielipide."], text="Koko teksti.", page_start=4, page_end=5,
        attendees=["Saapuvilla olleet jäsenet: Veera Esimerkki, puheenjohtaja"],
    )
    base.update(kw)
    return AgendaItem(**base)  # type: ignore[arg-type]


# --- rendering -------------------------------------------------------------------------------


def test_item_html_shows_every_part_of_the_item() -> None:
    item = make_item()
    html = render.item_html(item, originals.original_url(item.item_id, item.source, item.page_start))
    for text in ("Talousarvion muutos", "Kaupunginhallitus", "17.3.2025", "§ 85", "3/2025",
                 "LAPDno-2025-123", "Kaupunginhallitus esittää muutosta.", "Taustaa.",
                 "Tekninen lautakunta 10.2.2025 § 12", "Puollettiin.", "6 JAA ja 3 EI",
                 "Matti Meikäläinen", "Liite 1 Muutoslaskelma", "eriävä mielipide", "talousjohtaja",
                 "Kokouksen osallistujat", "Veera Esimerkki, puheenjohtaja"):
        assert text in html, text
    decision = re.search(r'<section class="pk-sec pk-decision".*?</section>', html, re.S)
    assert decision and "Hyväksyttiin yksimielisesti." in decision.group(0)
    assert f"alkuperainen/{item.item_id}#page=4" in html
    assert "Asian käsittely" in html and "Koko kokous" in html
    assert 'target="_blank"' in html


def test_item_html_escapes_stored_text() -> None:
    item = make_item(title="<script>alert(1)</script>", decision='Päätös "<b>x</b>"',
                     attendees=['Läsnä: <img src=x onerror="alert(2)">'])
    html = render.item_html(item, None)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html and "<img" not in html and "&lt;img" in html
    assert "Alkuperäistä tiedostoa ei löytynyt" in html


def test_item_html_agenda_without_decision_says_so() -> None:
    html = render.item_html(make_item(kind="agenda", decision="", history=[], votes=""), None)
    assert "Esityslista" in html and "ei ole vielä tehty päätöstä" in html
    assert "Aiempi käsittely" not in html and "Äänestys</h3>" not in html


def test_original_url_adds_page_only_for_pdf() -> None:
    assert originals.original_url("abc", "/a b/ä.pdf", 7) == "alkuperainen/abc#page=7"
    assert originals.original_url("abc", "/a/b.txt", 7) == "alkuperainen/abc"


def test_citation_choices_are_numbered_and_deduplicated() -> None:
    a, b = Citation.from_item(make_item()), Citation.from_item(make_item(section=86, case_ids=[]))
    choices = render.citation_choices(number_sources([a, b, a]))
    assert [iid for _, iid in choices] == [a.item_id, b.item_id]
    assert choices[0][0].startswith("[1] Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123 – ")
    assert choices[1][0].startswith("[2] Kaupunginhallitus 17.3.2025 § 86 – ")


def test_answer_html_escapes_text_and_lists_sources_notice_and_note() -> None:
    c = Citation.from_item(make_item())
    ans = Answer(text=f"Hyväksyttiin *muutos* <b>x</b> ({c.label()}).", refused=False, citations=[c],
                 notice="Rajauksella ei löytynyt kokouksia.")
    html = render.answer_html(number_answer(ans), notice=ans.notice, truncated_note="Kysymys lyhennettiin.")
    assert html.index("Kysymys lyhennettiin.") < html.index("Hyväksyttiin")
    assert "*muutos*" in html and "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert f"({c.label()})" not in html  # the label became a [1] marker
    assert 'class="pk-cite"' in html and ">[1]</button>" in html
    assert "Rajauksella ei löytynyt kokouksia." in html
    plain = render.answer_plain(number_answer(ans))
    assert plain.startswith("Hyväksyttiin *muutos* <b>x</b> [1].") and f"[1] {c.label()}" in plain
    assert "Lähteet" not in render.answer_html(number_answer(Answer(text="Ei löytynyt.", refused=True)))


def test_a_refusals_pointers_render_as_an_escaped_list_without_sources() -> None:
    from assistant.refusal import refuse
    from assistant.types import Candidates, Evidence, Hit, Relevance

    it = make_item(title="Uimahallin <script>alert(1)</script> peruskorjaus")
    q = Query("Mitä päätettiin uimahallin saunasta?", keywords="uimahallin saunasta")
    hits = (Hit(it, 0.4),)
    ev = Evidence(Candidates(q, hits), hits, (Relevance(hits[0], 0.5, False, probability=0.3),), True)
    ans = refuse(q, [Citation.from_item(it)], ev)
    html = render.answer_html(number_answer(ans))
    assert ans.refused and ans.citations == [] and "Lähteet" not in html
    assert f"<ul><li>{render.esc(Citation.from_item(it).label())}: Uimahallin &lt;script&gt;" in html
    assert "<script>" not in html and "[1]" not in html


def test_stream_chunks_grow_to_the_full_text() -> None:
    text = " ".join(f"sana{i}" for i in range(100))
    chunks = render.stream_chunks(text, steps=10)
    assert chunks[-1] == text and len(chunks) <= 11
    assert all(text.startswith(c) for c in chunks)
    assert all(len(a) < len(b) for a, b in zip(chunks, chunks[1:], strict=False))
    assert render.stream_chunks("") == [""]


def test_status_html_marks_up_commands_and_escapes() -> None:
    html = render.status_html("warn", "Aja `python -m ingest KANSIO` <nyt>")
    assert "<code>python -m ingest KANSIO</code>" in html and "&lt;nyt&gt;" in html
    assert 'role="alert"' in html


# --- input parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "end", "iso"), [
    ("17.3.2025", False, "2025-03-17"), ("01.03.2025", False, "2025-03-01"),
    ("2025-03-17", False, "2025-03-17"), ("3/2025", False, "2025-03-01"),
    ("2.2024", True, "2024-02-29"), ("2025", True, "2025-12-31"), ("2025", False, "2025-01-01"),
    ("", False, None), ("  ", True, None),
])
def test_parse_fi_date(text: str, end: bool, iso: str | None) -> None:
    assert inputs.parse_fi_date(text, end=end) == iso


@pytest.mark.parametrize("bad", ["31.2.2025", "maaliskuu", "17.13.2025", "1.1.25"])
def test_parse_fi_date_rejects_with_finnish_message(bad: str) -> None:
    with pytest.raises(ValueError, match="pp.kk.vvvv"):
        inputs.parse_fi_date(bad)


def test_parse_range_rejects_reversed_range() -> None:
    assert inputs.parse_range("1.3.2025", "3/2025") == inputs.DateRange("2025-03-01", "2025-03-31")
    with pytest.raises(ValueError, match="myöhäisempi"):
        inputs.parse_range("1.4.2025", "1.3.2025")


def test_cut_question_cuts_long_input_with_a_note() -> None:
    q, note = inputs.cut_question("sana " * 400, app.MAX_QUESTION_CHARS)
    assert len(q) <= app.MAX_QUESTION_CHARS and "1000" in note
    assert inputs.cut_question("  Mitä   päätettiin? ", 1000) == ("Mitä päätettiin?", "")


# --- handlers on a real store ----------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    from ingest.pipeline import run

    root = tmp_path_factory.mktemp("app")
    src = root / "src"
    src.mkdir()
    (src / "kh-2025-03-17.txt").write_text(KH_TEXT, encoding="utf-8")
    (src / "tekla-2025-04-08.txt").write_text(TEKLA_TEXT, encoding="utf-8")
    settings = Settings(store_dir=root / "store", demo_corpus=root / "no-demo", today="2025-06-01")
    summary = run([src], settings, embedder=HashEmbedder())
    assert summary.ok and summary.items_total == 3, summary
    return settings, src


@pytest.fixture(scope="module")
def chat_app(store: tuple[Settings, Path]) -> app.ChatApp:
    from assistant.service import Assistant

    settings, _ = store
    backend = app.Backend(settings, Assistant.open(settings, embedder=HashEmbedder()))
    return app.ChatApp(backend, stream_delay=0)


def ask(h: app.ChatApp, question: str, conv: object = None, bodies: list[str] | None = None,
        date_from: str = "", date_to: str = "") -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gr.Warning outside a request becomes a Python warning
        return list(h.respond(question, [], conv, {}, bodies or [], date_from, date_to))


def final_text(steps: list[tuple]) -> str:
    return steps[-1][1][-1]["content"]


def test_respond_streams_and_cites_the_right_item(chat_app: app.ChatApp) -> None:
    steps = ask(chat_app, "Mitä kaupunginhallitus päätti katuvalaistuksen lisämäärärahasta?")
    assert app.SEARCHING in steps[0][1][-1]["content"] and steps[0][0] == ""
    assert len(steps) > 2  # placeholder, streamed chunks, final
    text = final_text(steps)
    assert "§ 85" in text and "LAPDno-2025-123" in text and "Lähteet" in text and "[1]" in text
    choices = steps[-1][3]["choices"]
    item = chat_app.backend.assistant.get_item(choices[0][1])
    assert item is not None and item.section == 85
    turns = steps[-1][4]
    assert list(turns) == ["1"] and turns["1"]["choices"] == choices
    assert "[1]" in turns["1"]["plain"] and turns["1"]["citations"][0]["item_id"] == item.item_id
    conv = steps[-1][2]
    assert conv is not None and len(conv.turns) == 1


def test_respond_applies_body_filter(chat_app: app.ChatApp) -> None:
    steps = ask(chat_app, "Mitä päätettiin urakoitsijasta?", bodies=["Tekninen lautakunta"])
    assert "§ 31" in final_text(steps) and "LAPDno-2025-310" in final_text(steps)


def test_respond_rejects_empty_and_bad_dates_without_asking(chat_app: app.ChatApp) -> None:
    for steps in (ask(chat_app, "   "), ask(chat_app, "Mitä päätettiin?", date_from="32.1.2025")):
        assert len(steps) == 1 and steps[0][1] == []


def test_respond_cuts_long_question_with_note(chat_app: app.ChatApp) -> None:
    steps = ask(chat_app, "Mitä päätettiin uimahallin aukioloajoista? " + "lisää " * 300)
    user = steps[-1][1][0]["content"]
    assert len(user) <= app.MAX_QUESTION_CHARS
    assert "1000 ensimmäistä merkkiä" in final_text(steps)


def test_sessions_keep_separate_conversations(chat_app: app.ChatApp) -> None:
    a = ask(chat_app, "Mitä kaupunginhallitus päätti uimahallista?")[-1][2]
    b = ask(chat_app, "Mitä tekninen lautakunta päätti Koulukadusta?")[-1][2]
    assert a is not b
    assert len(a.turns) == 1 and len(b.turns) == 1
    assert "uimahall" in a.turns[0][0] and "Koulukadu" in b.turns[0][0]
    follow = ask(chat_app, "Entä katuvalaistuksesta?", conv=a)
    assert follow[-1][2] is a and len(a.turns) == 2 and len(b.turns) == 1


def test_open_source_renders_item_with_served_file_link(chat_app: app.ChatApp, store) -> None:
    _, src = store
    (item,) = chat_app.backend.assistant.index.filtered(Query("", sections=[86]))
    html = chat_app.open_source(item.item_id)
    assert "Kaupunginhallitus päätti äänin 6–3" in html and "pk-decision" in html
    assert "LAPDno-2025-140" in html and f"alkuperainen/{item.item_id}" in html
    source, keys = chat_app.backend.original_of(item.item_id)
    assert originals.resolve_original(source, keys) == (src / "kh-2025-03-17.txt").resolve()
    assert "ei löytynyt hakemistosta" in chat_app.open_source("0" * 24)
    assert "pk-placeholder" in chat_app.open_source(None)


def test_new_chat_resets_conversation(chat_app: app.ChatApp) -> None:
    conv = ask(chat_app, "Mitä kaupunginhallitus päätti uimahallista?")[-1][2]
    history, same, sources, panel, turns, msg = chat_app.new_chat(conv)
    assert history == [] and same is conv and conv.previous is None and conv.turns == []
    assert sources["choices"] == [] and "pk-placeholder" in panel and turns == {} and msg == ""


def test_errors_show_finnish_message_not_a_trace(chat_app: app.ChatApp, monkeypatch) -> None:
    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("internal detail xyz")

    monkeypatch.setattr(chat_app.backend.assistant, "ask", boom)
    text = final_text(ask(chat_app, "Mitä päätettiin?"))
    assert app.GENERIC_ERROR in text and "xyz" not in text and "Traceback" not in text


def test_startup_reports_store_and_bodies(chat_app: app.ChatApp) -> None:
    status, bodies, coverage = chat_app.startup()
    assert "3 pykälää" in status and "2 toimielimeltä" in status
    assert bodies["choices"] == ["Kaupunginhallitus", "Tekninen lautakunta"]
    assert "Mitä hakemisto sisältää" in coverage and "Tekninen lautakunta" in coverage



def test_index_answers_the_views_queries_and_store_exposes_corpus(chat_app: app.ChatApp, store) -> None:
    from core.store import read_corpus

    settings, src = store
    index = chat_app.backend.assistant.index
    cov = {(b.municipality, b.body): b for b in index.coverage()}
    kh = next(b for (_, body), b in cov.items() if body == "Kaupunginhallitus")
    assert (kh.items, kh.meetings, kh.first, kh.last, kh.per_month) == (2, 1, "2025-03-17", "2025-03-17",
                                                                         {"2025-03": 2})
    assert [i.section for i in index.items_by_case("lapdno-2025-140")] == [86]
    assert [i.section for i in index.meeting_items(kh.municipality, "Kaupunginhallitus", "2025-03-17",
                                                    "minutes")] == [85, 86]
    assert index.meeting_items("Muu kunta", "Kaupunginhallitus", "2025-03-17", "minutes") == []
    corpus = read_corpus(settings.store_dir)
    assert corpus.roots == [str(src.resolve())] and len(corpus.files) == 2 and corpus.refused == []
    assert index.corpus == corpus

def test_empty_store_explains_how_to_fill_it(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "store", demo_corpus=tmp_path / "missing-demo")
    empty_demo = tmp_path / "missing-demo"
    empty_demo.mkdir()
    h = app.ChatApp(app.Backend(settings, embedder=HashEmbedder()), stream_delay=0)
    status, bodies, _ = h.startup()
    assert "python -m ingest KANSIO" in status and bodies["choices"] == []
    assert h.backend.state == "empty"
    assert render.esc(app.EMPTY_STORE_MSG) in final_text(ask(h, "Mitä päätettiin?"))


def test_first_start_indexes_demo_corpus_with_progress(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "kh.txt").write_text(KH_TEXT, encoding="utf-8")
    settings = Settings(store_dir=tmp_path / "store", demo_corpus=demo, today="2025-06-01")
    backend = app.Backend(settings, embedder=HashEmbedder())
    seen: list[tuple[str, int, int]] = []
    original = backend._on_progress
    backend._on_progress = lambda n, d, t: (seen.append((n, d, t)), original(n, d, t))  # type: ignore[method-assign]
    h = app.ChatApp(backend, stream_delay=0)
    status, _, _ = h.startup()
    assert backend.state == "ready" and "2 pykälää" in status
    assert seen and seen[-1][1] == seen[-1][2]
    assert "§ 86" in final_text(ask(h, "Mitä päätettiin uimahallin aukioloajoista?"))


def test_build_app_exposes_named_api_and_queue(chat_app: app.ChatApp) -> None:
    demo = app.build_app(chat_app.backend.settings, backend=chat_app.backend)
    names = {d.api_name for d in demo.fns.values()}
    assert "kysy" in names
    assert demo._queue.default_concurrency_limit == app.CONCURRENCY_LIMIT
    opts = app.launch_options(chat_app.backend)
    assert opts["css"] == APP_CSS and opts["show_error"] is False
    assert opts["share"] is False and opts["mcp_server"] is False and opts["server_name"] == "127.0.0.1"
    assert opts["allowed_paths"] == []


def test_store_of_another_model_tells_how_to_rebuild(store: tuple[Settings, Path]) -> None:
    class OtherModel(HashEmbedder):
        name = "another-model"

    settings, _ = store
    h = app.ChatApp(app.Backend(settings, embedder=OtherModel()), stream_delay=0)
    status, _, _ = h.startup()
    assert h.backend.state == "error" and "--rebuild" in status and 'role="alert"' in status
    assert "--rebuild" in final_text(ask(h, "Mitä päätettiin?"))
