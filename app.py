"""Pöytäkirja-avustaja web app: a Finnish chat over municipal meeting minutes.

Run ``python app.py`` and open http://127.0.0.1:7860 (Gradio's own
``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` change host and port). On the
first start with an empty store the demo corpus is indexed while the page
shows the progress. Each browser session has its own ``Conversation`` in a
``gr.State``; the ``Assistant`` is shared.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from assistant import render  # noqa: E402
from core.config import PROJECT_ROOT, Settings  # noqa: E402
from core.errors import MinutesError, StoreMissingError  # noqa: E402

if TYPE_CHECKING:
    from assistant.service import Assistant, Conversation

logger = logging.getLogger(__name__)

PRODUCT = "Pöytäkirja-avustaja"
MAX_QUESTION_CHARS = 1000
CONCURRENCY_LIMIT = 4  # answers computed at once; more requests wait in the queue
QUEUE_MAX_SIZE = 200
MAX_WAIT_FOR_STORE = 900.0  # seconds a question waits for the first-start indexing
STREAM_DELAY = 0.015  # seconds between streamed chunks of an answer
EXAMPLES = [
    "Mitä työllisyysalue päätti maaliskuussa?",
    "Mitä uimahallin peruskorjauksesta on päätetty?",
    "Mistä asioista äänestettiin?",
    "Kuka oli esteellinen ja missä asiassa?",
]
EMPTY_STORE_MSG = ("Hakemisto on tyhjä. Lisää pöytäkirjat komennolla `python -m ingest KANSIO` "
                   "ja lataa sivu sen jälkeen uudelleen.")
INDEXING = "Esimerkkiaineistoa indeksoidaan ensimmäisellä käynnistyskerralla"
INDEXING_MSG = f"{INDEXING}. Kysy hetken kuluttua uudelleen."
OPEN_ERROR = "Hakemiston avaaminen epäonnistui. Tarkista asetukset ja lokit, ja käynnistä sovellus uudelleen."
GENERIC_ERROR = "Vastauksen muodostaminen epäonnistui. Yritä hetken kuluttua uudelleen."
SEARCHING = "Haetaan pöytäkirjoista…"
DISCLAIMER = ("Vastaukset muodostetaan vain indeksoiduista pöytäkirjoista, ja jokainen väite viittaa "
              "pykälään (toimielin, päivämäärä, § ja diaarinumero). Tarkista tärkeät asiat "
              "alkuperäisestä pöytäkirjasta – avustaja ei ole virallinen tiedote.")


class Backend:
    """The shared Assistant and the one-time demo indexing, safe to use from many sessions."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None,
                 *, embedder: Any = None, console: bool = False) -> None:
        self.settings = settings
        self.assistant = assistant
        self.embedder = embedder  # None: the default embedder of the settings
        self.state = "ready" if assistant is not None else "new"  # new|opening|indexing|ready|empty|error
        self.message = ""
        self.progress: tuple[str, int, int] | None = None
        self.console = console
        self._lock = threading.Lock()
        self._demo_tried = False
        self._served: set[str] = set()

    def start(self) -> threading.Thread | None:
        """Open the store (indexing the demo corpus if it is empty) in a background thread."""
        if self.assistant is not None or self._lock.locked():
            return None
        t = threading.Thread(target=self.ensure, name="store-open", daemon=True)
        t.start()
        return t

    def busy(self) -> bool:
        """True while the store is being opened or the demo corpus indexed."""
        return self._lock.locked()

    def ensure(self) -> Assistant | None:
        """Return the Assistant, opening it (and indexing the demo corpus once) when needed."""
        if self.assistant is not None:
            return self.assistant
        with self._lock:
            if self.assistant is not None:
                return self.assistant
            try:
                self.state = "opening"
                self._open_or_index()
            except MinutesError as e:
                logger.error("Store could not be opened: %s", e)
                self.state, self.message = "error", e.user_message
            except Exception:  # noqa: BLE001 - shown to the user as a Finnish message
                logger.exception("Store could not be opened")
                self.state, self.message = "error", OPEN_ERROR
            return self.assistant

    def _open_or_index(self) -> None:
        from assistant.service import Assistant

        try:
            self.assistant = Assistant.open(self.settings, embedder=self.embedder)
        except StoreMissingError:
            if self._demo_tried:
                self.state = "empty"
                return
            self._demo_tried = True
            self.state = "indexing"
            from ingest.pipeline import ensure_demo_index

            logger.info("Store is empty; indexing the demo corpus %s", self.settings.demo_corpus)
            summary = ensure_demo_index(self.settings, progress=self._on_progress,
                                        embedder=self.embedder, show_progress=self.console)
            self.progress = None
            if summary is not None:
                logger.info("Demo corpus indexed: %d items, %d files failed",
                            summary.items_total, len(summary.files_failed))
            try:
                self.assistant = Assistant.open(self.settings, embedder=self.embedder)
            except StoreMissingError:
                self.state = "empty"
                return
        self.state = "ready"

    def _on_progress(self, name: str, done: int, total: int) -> None:
        self.progress = (name, done, total)  # the console shows the pipeline's own progress bar

    def body_names(self) -> list[str]:
        """Bodies in the store (empty while the store is not open)."""
        if self.assistant is None:
            return []
        try:
            return self.assistant.bodies()
        except Exception:  # noqa: BLE001
            logger.exception("Listing bodies failed")
            return []

    def new_conversation(self) -> Conversation:
        from assistant.service import Conversation

        return Conversation()

    def source_link(self, source: str, page: int) -> str | None:
        """URL of the item's original file, allowing Gradio to serve exactly that file."""
        path = self.resolve_source(source)
        if path is None:
            return None
        key = str(path)
        if key not in self._served:
            gr.set_static_paths([path])
            self._served.add(key)
        return render.source_url(path, page)

    def resolve_source(self, source: str) -> Path | None:
        """Find the stored source path on disk (absolute, or relative to the corpus/project)."""
        if not source:
            return None
        p = Path(source)
        roots = [self.settings.demo_corpus, self.settings.demo_corpus.parent, PROJECT_ROOT, Path.cwd()]
        for cand in [p] if p.is_absolute() else [r / p for r in roots]:
            try:
                if cand.is_file():
                    return cand.resolve()
            except OSError:
                continue
        return None

    def wait_note(self) -> str:
        """Finnish text shown while the store is still being opened or indexed."""
        if self.state == "indexing":
            step = ""
            if self.progress:
                name, done, total = self.progress
                step = f" ({'upotukset' if name == 'upotukset' else 'tiedostot'} {done}/{total})"
            return f"{INDEXING}{step}. Vastaan heti, kun hakemisto on valmis."
        return "Hakemistoa avataan… Vastaan heti, kun se on valmis."

    def status(self) -> str:
        """Status banner HTML for the current state."""
        if self.state == "ready" and self.assistant is not None:
            try:
                n, bodies = self.assistant.item_count(), self.assistant.bodies()
            except Exception:  # noqa: BLE001
                logger.exception("Store statistics failed")
                return render.status_html("warn", "Hakemiston tietoja ei saatu luettua.")
            return render.status_html(
                "ok", f"Hakemistossa on {n} pykälää {len(bodies)} toimielimeltä.")
        if self.state == "indexing":
            return render.status_html("info", INDEXING_MSG)
        if self.state == "error":
            return render.status_html("error", self.message)
        return render.status_html("warn", EMPTY_STORE_MSG)

    def unavailable(self) -> str:
        """Why no answer can be given right now (Finnish)."""
        if self.busy():
            return INDEXING_MSG
        return self.message if self.state == "error" else EMPTY_STORE_MSG


_PROGRESS = gr.Progress()  # default argument marker: Gradio injects a live tracker per event


class ChatApp:
    """The event handlers; each gets the per-session state through its arguments."""

    def __init__(self, backend: Backend, *, stream_delay: float = STREAM_DELAY) -> None:
        self.backend = backend
        self.stream_delay = stream_delay

    def startup(self, progress: gr.Progress = _PROGRESS) -> tuple[str, Any]:
        """Page load: wait for the store (showing indexing progress), then fill status and filters."""
        b = self.backend
        if b.assistant is None:
            b.start()
            while b.assistant is None and (b.busy() or b.state == "new"):
                if b.progress:
                    name, done, total = b.progress
                    embedding = name == "upotukset"
                    step = "lasketaan upotuksia" if embedding else f"luetaan {name}"
                    progress((done, total), desc=f"Indeksoidaan esimerkkiaineistoa – {step}",
                             unit="tekstiä" if embedding else "tiedostoa")
                time.sleep(0.3)
        return b.status(), gr.update(choices=b.body_names())

    def respond(self, message: str, history: list[dict] | None, conv: Conversation | None,
                turns: dict | None, bodies: list[str] | None, date_from: str, date_to: str,
                ) -> Iterator[tuple[Any, ...]]:
        """Answer one question, streaming the reply into the chat.

        Yields ``(textbox, chat history, conversation, source choices, turn sources)``.
        """
        history = list(history or [])
        turns = dict(turns or {})
        question, note = render.cut_question(message, MAX_QUESTION_CHARS)
        if not question:
            gr.Warning("Kirjoita ensin kysymys.")
            yield message, list(history), conv, gr.update(), turns
            return
        try:
            dates = render.parse_range(date_from, date_to)
        except ValueError as e:
            gr.Warning(str(e))
            yield message, list(history), conv, gr.update(), turns
            return
        if note:
            gr.Warning(note)
        known = self.backend.body_names()
        unknown = [b for b in bodies or [] if b not in known]
        if unknown and known:
            gr.Warning("Tuntematon toimielin jätettiin pois rajauksesta: " + ", ".join(unknown))
            bodies = [b for b in bodies or [] if b in known]
        conv = conv if conv is not None else self.backend.new_conversation()
        history.append({"role": "user", "content": question})
        history.append({"role": "assistant", "content": SEARCHING})
        yield "", list(history), conv, gr.update(), turns

        b = self.backend
        deadline = time.monotonic() + MAX_WAIT_FOR_STORE
        while b.assistant is None and b.busy() and time.monotonic() < deadline:
            history[-1] = {"role": "assistant", "content": b.wait_note()}
            yield "", list(history), conv, gr.update(), turns
            time.sleep(0.5)
        assistant = b.assistant or (None if b.busy() else b.ensure())
        if assistant is None:
            history[-1] = {"role": "assistant", "content": b.unavailable()}
            yield "", list(history), conv, gr.update(), turns
            return
        try:
            answer = assistant.ask(question, conv, bodies=list(bodies or []) or None,
                                   date_from=dates.start, date_to=dates.end)
        except Exception as e:  # noqa: BLE001 - never show a stack trace to the user
            logger.exception("Answering failed for %r", question)
            text = e.user_message if isinstance(e, MinutesError) else GENERIC_ERROR
            gr.Warning(text)
            history[-1] = {"role": "assistant", "content": text}
            yield "", list(history), conv, gr.update(), turns
            return

        final = render.answer_markdown(answer, truncated_note=note)
        for chunk in render.stream_chunks(answer.text.strip())[:-1]:
            history[-1] = {"role": "assistant", "content": chunk + " ▌"}
            yield "", list(history), conv, gr.update(), turns
            time.sleep(self.stream_delay)
        choices = render.citation_choices(answer.citations)
        turns[str(len(history) - 1)] = choices
        history[-1] = {"role": "assistant", "content": final}
        yield "", list(history), conv, self._choices_update(choices), turns

    @staticmethod
    def _choices_update(choices: list[tuple[str, str]]) -> Any:
        label = f"Lähteet ({len(choices)})" if choices else "Lähteet"
        info = "Valitse viite – pykälä avautuu alle." if choices else "Vastauksessa ei ollut viitteitä."
        return gr.update(choices=choices, value=None, label=label, info=info)

    def show_turn_sources(self, turns: dict | None, evt: gr.SelectData) -> Any:
        """Clicking an earlier answer in the chat lists that answer's sources again."""
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        choices = (turns or {}).get(str(idx))
        return gr.update() if choices is None else self._choices_update(choices)

    def open_source(self, item_id: str | None) -> str:
        """Render the chosen item in the source panel."""
        if not item_id:
            return render.placeholder_html()
        assistant = self.backend.assistant
        try:
            item = assistant.get_item(item_id) if assistant is not None else None
            if item is None:
                return render.placeholder_html("Pykälää ei löytynyt hakemistosta.")
            return render.item_html(item, self.backend.source_link(item.source, item.page_start))
        except Exception:  # noqa: BLE001
            logger.exception("Opening item %s failed", item_id)
            gr.Warning("Lähteen avaaminen epäonnistui.")
            return render.placeholder_html("Lähteen avaaminen epäonnistui.")

    def new_chat(self, conv: Conversation | None) -> tuple[Any, ...]:
        """Start over: empty chat, a fresh conversation, no sources."""
        if conv is not None:
            conv.reset()
        return ([], conv, gr.update(choices=[], value=None, label="Lähteet",
                                    info="Lähteet näkyvät täällä vastauksen jälkeen."),
                render.placeholder_html(), {}, "")


def _example_text(evt: gr.SelectData) -> str:
    """The text of the example the user clicked in the empty chat."""
    value = evt.value if isinstance(evt.value, dict) else {}
    return str(value.get("text", ""))


def theme() -> gr.themes.Base:
    """A calm, high-contrast theme using local fonts only (no network)."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue, secondary_hue=gr.themes.colors.slate,
        neutral_hue=gr.themes.colors.slate,
        font=["Inter", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
          button_primary_text_color="#ffffff")


def launch_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch`` (theme, CSS, served corpus folder)."""
    allowed = [str(settings.demo_corpus.resolve())] if settings.demo_corpus.exists() else []
    return {"theme": theme(), "css": render.APP_CSS, "allowed_paths": allowed,
            "footer_links": ["api", "settings"], "show_error": False}


def build_app(settings: Settings | None = None, assistant: Assistant | None = None,
              *, backend: Backend | None = None) -> gr.Blocks:
    """Build the Gradio app; the store is opened (or the demo indexed) when the page loads."""
    settings = settings or Settings.from_env()
    backend = backend or Backend(settings, assistant)
    h = ChatApp(backend)
    with gr.Blocks(title=PRODUCT, analytics_enabled=False, fill_width=True) as demo:
        conv = gr.State(None)
        turns = gr.State({})
        gr.HTML(render.header_html(PRODUCT, DISCLAIMER), elem_id="pk-header")
        status = gr.HTML(render.status_html("info", "Avataan hakemistoa…"), elem_id="pk-status")
        with gr.Row(equal_height=False, elem_id="pk-main"):
            with gr.Column(scale=3, min_width=360):
                with gr.Row(elem_id="pk-filters", equal_height=True):
                    bodies = gr.Dropdown(choices=backend.body_names(), multiselect=True, label="Toimielin",
                                         scale=3, allow_custom_value=True, value=[],
                                         info="Tyhjä = kaikki toimielimet", elem_id="pk-bodies")
                    date_from = gr.Textbox(label="Alkaen", placeholder="esim. 1.3.2025", scale=1,
                                           min_width=130, info="pp.kk.vvvv", elem_id="pk-from")
                    date_to = gr.Textbox(label="Päättyen", placeholder="esim. 31.3.2025", scale=1,
                                         min_width=130, info="pp.kk.vvvv", elem_id="pk-to")
                chat = gr.Chatbot(
                    label="Keskustelu", elem_id="pk-chat", height=440, buttons=["copy"],
                    placeholder=render.CHAT_PLACEHOLDER, feedback_options=None,
                    examples=[{"text": q, "display_text": q} for q in EXAMPLES],
                    autoscroll=True, sanitize_html=True, layout="bubble",
                )
                msg = gr.Textbox(label="Kysymys", show_label=False, elem_id="pk-question",
                                 placeholder="Kirjoita kysymys, esim. Mitä kaupunginhallitus päätti "
                                             "maaliskuussa?", lines=1, max_lines=6, autofocus=True,
                                 submit_btn="Kysy")
                with gr.Row(elem_id="pk-actions"):
                    gr.HTML('<p class="pk-hint">Jatkokysymys, esim. ”Entä huhtikuussa?”, jatkaa samaa '
                            "aihetta. Napsauta aiempaa vastausta nähdäksesi sen lähteet.</p>")
                    reset = gr.Button("Uusi keskustelu", variant="secondary", size="sm", scale=0,
                                      min_width=150, elem_id="pk-reset")
            with gr.Column(scale=2, min_width=320, elem_id="pk-side"):
                sources = gr.Radio(choices=[], label="Lähteet", elem_id="pk-sources",
                                   info="Lähteet näkyvät täällä vastauksen jälkeen.")
                panel = gr.HTML(render.placeholder_html(), elem_id="pk-panel")
        gr.HTML(render.footer_html(), elem_id="pk-footer")

        ask_inputs = [msg, chat, conv, turns, bodies, date_from, date_to]
        ask_outputs = [msg, chat, conv, sources, turns]
        # /kysy is also the public API (used by the concurrency test); state stays per session.
        msg.submit(h.respond, ask_inputs, ask_outputs, concurrency_id="answer", api_name="kysy",
                   api_description="Kysy pöytäkirjoista: palauttaa keskustelun, jonka viimeinen viesti "
                                   "on vastaus lähdeluetteloineen.")
        chat.example_select(_example_text, None, msg, api_visibility="private", queue=False).then(
            h.respond, ask_inputs, ask_outputs, concurrency_id="answer", api_visibility="private")
        chat.select(h.show_turn_sources, [turns], [sources], api_visibility="private")
        sources.change(h.open_source, [sources], [panel], api_visibility="private")
        chat.clear(h.new_chat, [conv], [chat, conv, sources, panel, turns, msg], api_visibility="private",
                   queue=False)
        reset.click(h.new_chat, [conv], [chat, conv, sources, panel, turns, msg], api_visibility="private",
                    queue=False)
        demo.load(h.startup, None, [status, bodies], api_visibility="private", show_progress_on=[status])
    demo.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_MAX_SIZE)
    return demo


def serve(settings: Settings, *, backend: Backend | None = None, server_port: int | None = None,
          block: bool = True, quiet: bool = False) -> gr.Blocks:
    """Start the store opening in the background and launch the app (host/port from Gradio's env)."""
    backend = backend or Backend(settings, console=True)
    backend.start()
    demo = build_app(settings, backend=backend)
    demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"), server_port=server_port,
                prevent_thread_lock=not block, quiet=quiet, **launch_options(settings))
    return demo


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _settings = Settings.from_env()
    print(f"{PRODUCT}: hakemisto {_settings.store_dir}", flush=True)
    serve(_settings)
