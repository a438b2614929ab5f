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
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from core.config import Settings  # noqa: E402
from core.errors import MinutesError, StoreMissingError  # noqa: E402
from ui import originals, render  # noqa: E402
from ui.catalog import Catalog  # noqa: E402
from ui.chat import GENERIC_ERROR, MAX_QUESTION_CHARS, SEARCHING, ChatApp  # noqa: E402,F401 - re-exported
from ui.feedback import feedback_path  # noqa: E402
from ui.server import ServerOptions, app_kwargs, safety_options  # noqa: E402
from ui.style import APP_CSS, PAGE_HEAD  # noqa: E402

if TYPE_CHECKING:
    from assistant.service import Assistant, Conversation

logger = logging.getLogger(__name__)

PRODUCT = "Pöytäkirja-avustaja"
CONCURRENCY_LIMIT = 4  # answers computed at once; more requests wait in the queue
QUEUE_MAX_SIZE = 200
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
        self._catalog: tuple[int, Catalog] | None = None  # (id of the assistant, its catalog)

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

    def manifest_files(self) -> list[str]:
        """File keys of the committed store (empty when there is none), read fresh for the originals route."""
        from core.store import read_corpus

        try:
            return read_corpus(self.settings.store_dir).files
        except (OSError, MinutesError):
            logger.exception("Reading the manifest failed")
            return []

    def catalog(self) -> Catalog | None:
        """A case's handlings, meetings and the coverage, from the open index (rebuilt when it is reopened)."""
        a = self.assistant
        if a is None:
            return None
        if self._catalog is None or self._catalog[0] != id(a):
            self._catalog = (id(a), Catalog(a.index, a.index.corpus))
        return self._catalog[1]

    def original_of(self, item_id: str) -> tuple[str, list[str]] | None:
        """The item's source and the manifest's file keys, for the originals route."""
        item = self.assistant.get_item(item_id) if self.assistant is not None else None
        return None if item is None else (item.source, self.manifest_files())

    def original_link(self, item: Any) -> str | None:
        """Link to the item's original, or None when it may not be served (outside the corpus, missing)."""
        if originals.resolve_original(item.source, self.manifest_files()) is None:
            return None
        return originals.original_url(item.item_id, item.source, item.page_start)

    def feedback_path(self) -> Path:
        return feedback_path(self.settings.store_dir)

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


def launch_options(backend: Backend, options: ServerOptions | None = None) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch``: look, the originals route, and the safety settings."""
    options = options or ServerOptions()
    route = originals.make_route(backend.original_of)
    return {"theme": theme(), "css": APP_CSS, "head": PAGE_HEAD, "footer_links": ["api", "settings"],
            "app_kwargs": app_kwargs(route, options), **safety_options(options)}


def _layout(backend: Backend) -> dict[str, Any]:
    """The components; chat first and widest, sources and coverage beside it (below it on a phone)."""
    c: dict[str, Any] = {}
    gr.HTML(render.header_html(PRODUCT, DISCLAIMER), elem_id="pk-header")
    c["status"] = gr.HTML(render.status_html("info", "Avataan hakemistoa…"), elem_id="pk-status")
    with gr.Row(equal_height=False, elem_id="pk-main"):
        with gr.Column(scale=8, min_width=340, elem_id="pk-chat-col"):
            c["chat"] = gr.Chatbot(
                label="Keskustelu", elem_id="pk-chat", height="62vh", min_height=320, buttons=[],
                placeholder=render.CHAT_PLACEHOLDER, feedback_options=["Like", "Dislike"],
                examples=[{"text": q, "display_text": q} for q in EXAMPLES], autoscroll=True,
                # The answers are HTML built by ui.render with every text escaped; no Markdown step
                # (no links or images from text), DOMPurify still on, and no custom tags let through.
                render_markdown=False, sanitize_html=True, allow_tags=False, layout="bubble")
            c["msg"] = gr.Textbox(label="Kysymys", show_label=False, elem_id="pk-question",
                                  placeholder="Kirjoita kysymys, esim. Mitä kaupunginhallitus päätti "
                                              "maaliskuussa?", lines=1, max_lines=6, autofocus=True,
                                  submit_btn="Kysy")
            with gr.Row(elem_id="pk-comment-row", visible=False) as c["comment_row"]:
                c["comment"] = gr.Textbox(label="Kommentti vastauksesta (vapaaehtoinen)", scale=4,
                                          max_lines=4, elem_id="pk-comment")
                c["comment_btn"] = gr.Button("Tallenna kommentti", scale=1, elem_id="pk-comment-save")
            with gr.Accordion("Rajaa hakua", open=False, elem_id="pk-filters"), gr.Row(equal_height=True):
                c["bodies"] = gr.Dropdown(choices=backend.body_names(), multiselect=True, label="Toimielin",
                                          scale=3, allow_custom_value=True, value=[],
                                          info="Tyhjä = kaikki toimielimet", elem_id="pk-bodies")
                c["date_from"] = gr.Textbox(label="Alkaen", placeholder="esim. 1.3.2025", scale=1,
                                            min_width=130, info="pp.kk.vvvv", elem_id="pk-from")
                c["date_to"] = gr.Textbox(label="Päättyen", placeholder="esim. 31.3.2025", scale=1,
                                          min_width=130, info="pp.kk.vvvv", elem_id="pk-to")
            with gr.Accordion("Kopioi tai vie", open=False, elem_id="pk-export-acc"):
                c["plain"] = gr.Textbox(label="Viimeisin vastaus tekstinä (lähteineen)", lines=6,
                                        max_lines=14, interactive=False, buttons=["copy"], elem_id="pk-plain")
                c["download"] = gr.DownloadButton("Vie keskustelu Markdown-tiedostona", value=None,
                                                  interactive=False, elem_id="pk-export", size="sm")
            with gr.Row(elem_id="pk-actions"):
                gr.HTML('<p class="pk-hint">Jatkokysymys, esim. ”Entä huhtikuussa?”, jatkaa samaa '
                        "aihetta. Viitenumero [n] avaa pykälän; peukalolla voit arvioida vastauksen.</p>")
                c["reset"] = gr.Button("Uusi keskustelu", variant="secondary", size="sm", scale=0,
                                       min_width=150, elem_id="pk-reset")
        with gr.Column(scale=5, min_width=300, elem_id="pk-side"), gr.Tabs(elem_id="pk-tabs") as c["tabs"]:
            with gr.Tab("Lähteet", id="pk-tab-source", elem_id="pk-tab-source"):
                c["sources"] = gr.Radio(choices=[], label="Lähteet", elem_id="pk-sources",
                                        info="Lähteet näkyvät täällä vastauksen jälkeen.")
                c["panel"] = gr.HTML(render.placeholder_html(), elem_id="pk-panel")
            with gr.Tab("Mitä hakemisto sisältää", id="pk-tab-coverage", elem_id="pk-tab-coverage"):
                c["coverage"] = gr.HTML(render.placeholder_html("Hakemistoa avataan…"), elem_id="pk-coverage")
    gr.HTML(render.footer_html(), elem_id="pk-footer")
    # Clicks on [n] markers and panel buttons arrive here (page script in ui.style).
    c["command"] = gr.Textbox(visible="hidden", elem_id="pk-command", label="komento")
    return c


def build_app(settings: Settings | None = None, assistant: Assistant | None = None,
              *, backend: Backend | None = None) -> gr.Blocks:
    """Build the Gradio app; the store is opened (or the demo indexed) when the page loads."""
    settings = settings or Settings.from_env()
    backend = backend or Backend(settings, assistant)
    h = ChatApp(backend)
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title=PRODUCT, analytics_enabled=False, fill_width=True) as demo:
        conv, turns, rated = gr.State(None), gr.State({}), gr.State("")
        c = _layout(backend)
        ask_inputs = [c["msg"], c["chat"], conv, turns, c["bodies"], c["date_from"], c["date_to"]]
        ask_outputs = [c["msg"], c["chat"], conv, c["sources"], turns]
        after = (h.after_answer, [turns, c["chat"]], [c["plain"], c["download"]])
        # /kysy is also the public API (used by the concurrency test); state stays per session.
        c["msg"].submit(h.respond, ask_inputs, ask_outputs, concurrency_id="answer", api_name="kysy",
                        api_description="Kysy pöytäkirjoista: palauttaa keskustelun, jonka viimeinen viesti "
                                        "on vastaus [n]-viittein ja numeroituine lähteineen.").then(
            *after, **private)
        c["chat"].example_select(_example_text, None, c["msg"], queue=False, **private).then(
            h.respond, ask_inputs, ask_outputs, concurrency_id="answer", **private).then(*after, **private)
        c["chat"].select(h.show_turn_sources, [turns], [c["sources"]], **private)
        c["chat"].like(h.rate, [turns], [rated, c["comment_row"], c["comment"]], **private)
        c["comment_btn"].click(h.comment, [rated, c["comment"]], [c["comment"], c["comment_row"]], **private)
        c["sources"].change(h.open_source, [c["sources"], turns], [c["panel"]], **private)
        c["command"].change(h.command, [c["command"]], [c["panel"], c["tabs"]], **private)
        reset_out = [c["chat"], conv, c["sources"], c["panel"], turns, c["msg"]]
        for ev in (c["chat"].clear, c["reset"].click):
            ev(h.new_chat, [conv], reset_out, queue=False, **private).then(*after, **private)
        demo.load(h.startup, None, [c["status"], c["bodies"], c["coverage"]], show_progress_on=[c["status"]],
                  **private)
    demo.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=QUEUE_MAX_SIZE)
    return demo


def serve(settings: Settings, *, backend: Backend | None = None, server_port: int | None = None,
          block: bool = True, quiet: bool = False, options: ServerOptions | None = None) -> gr.Blocks:
    """Start the store opening in the background and launch the app on 127.0.0.1 (port: Gradio's env)."""
    backend = backend or Backend(settings, console=True)
    backend.start()
    demo = build_app(settings, backend=backend)
    demo.launch(server_port=server_port, prevent_thread_lock=not block, quiet=quiet,
                **launch_options(backend, options))
    return demo


def _parse_args(argv: list[str] | None = None) -> ServerOptions:
    import argparse

    p = argparse.ArgumentParser(prog="python app.py", description=f"{PRODUCT}: selainkäyttöliittymä "
                                "osoitteessa 127.0.0.1 (portti: GRADIO_SERVER_PORT, oletus 7860).")
    p.add_argument("--salli-lataukset", dest="allow_uploads", action="store_true",
                   help="salli tiedostojen lähettäminen palvelimelle (oletus: estetty)")
    p.add_argument("--latausraja-mt", dest="max_upload_mb", type=int, default=10, metavar="MT",
                   help="suurin lähetettävä tiedosto megatavuina, kun lataukset on sallittu (oletus 10)")
    a = p.parse_args(argv)
    if a.max_upload_mb < 1:
        p.error("--latausraja-mt: anna vähintään 1")
    return ServerOptions(allow_uploads=a.allow_uploads, max_upload_mb=a.max_upload_mb)


if __name__ == "__main__":
    _options = _parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _settings = Settings.from_env()
    print(f"{PRODUCT}: hakemisto {_settings.store_dir}", flush=True)
    serve(_settings, options=_options)
