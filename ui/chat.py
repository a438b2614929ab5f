"""The event handlers of the web app; each gets the per-session state through its arguments.

``turns`` (a ``gr.State``) maps the chat index of each answer to what the other
views need: the numbered sources, the plain text, the question and filters.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.types import Citation
from core import organisations
from core.errors import MinutesError
from ui import feedback, render, views
from ui.catalog import one_line
from ui.citations import number_answer
from ui.exporting import conversation_markdown
from ui.inputs import cut_question, parse_range

if TYPE_CHECKING:
    from assistant.service import Conversation

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
MAX_WAIT_FOR_STORE = 900.0  # seconds a question waits for the first-start indexing
STREAM_DELAY = 0.015  # seconds between streamed chunks of an answer
SEARCHING = "Haetaan pöytäkirjoista…"
GENERIC_ERROR = "Vastauksen muodostaminen epäonnistui. Yritä hetken kuluttua uudelleen."
_PROGRESS = gr.Progress()  # default argument marker: Gradio injects a live tracker per event


def _msg(text: str) -> dict[str, str]:
    """An assistant chat message from plain Finnish text (escaped: the chat shows HTML as is)."""
    return {"role": "assistant", "content": f'<div class="pk-answer"><p>{render.esc(text)}</p></div>'}


class ChatApp:
    """Handlers bound to one shared ``Backend``."""

    def __init__(self, backend: Any, *, stream_delay: float = STREAM_DELAY) -> None:
        self.backend = backend
        self.stream_delay = stream_delay

    # --- page load --------------------------------------------------------------------------

    def startup(self, progress: gr.Progress = _PROGRESS) -> tuple[str, Any, str]:
        """Page load: wait for the store (showing indexing progress), then status, filters, coverage."""
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
        return b.status(), gr.update(choices=b.body_names()), self.coverage()

    def coverage(self) -> str:
        cat = self.backend.catalog()
        if cat is None:
            return render.placeholder_html("Hakemisto ei ole vielä käytettävissä.")
        return views.coverage_html(cat.coverage())

    # --- asking ------------------------------------------------------------------------------

    def respond(self, message: str, history: list[dict] | None, conv: Conversation | None,
                turns: dict | None, bodies: list[str] | None, date_from: str, date_to: str,
                ) -> Iterator[tuple[Any, ...]]:
        """Answer one question, streaming the reply into the chat.

        Yields ``(textbox, chat history, conversation, source choices, turns)``.
        """
        history = list(history or [])
        turns = dict(turns or {})
        question, note = cut_question(message, MAX_QUESTION_CHARS)
        if not question:
            gr.Warning("Kirjoita ensin kysymys.")
            yield message, list(history), conv, gr.update(), turns
            return
        try:
            dates = parse_range(date_from, date_to)
        except ValueError as e:
            gr.Warning(str(e))
            yield message, list(history), conv, gr.update(), turns
            return
        if note:
            gr.Warning(note)
        bodies = self._known_bodies(bodies)
        conv = conv if conv is not None else self.backend.new_conversation()
        history.append({"role": "user", "content": render.esc(question)})
        history.append(_msg(SEARCHING))
        yield "", list(history), conv, gr.update(), turns

        assistant = yield from self._wait_for_assistant(history, conv, turns)
        if assistant is None:
            return
        filters = {"bodies": list(bodies or []), "date_from": dates.start, "date_to": dates.end}
        try:
            answer = assistant.ask(question, conv, bodies=filters["bodies"] or None,
                                   date_from=dates.start, date_to=dates.end)
        except Exception as e:  # noqa: BLE001 - never show a stack trace to the user
            logger.exception("Answering failed for %r", question)
            text = e.user_message if isinstance(e, MinutesError) else GENERIC_ERROR
            gr.Warning(text)
            history[-1] = _msg(text)
            yield "", list(history), conv, gr.update(), turns
            return
        yield from self._stream_answer(answer, question, note, filters, history, conv, turns)

    def _known_bodies(self, bodies: list[str] | None) -> list[str] | None:
        """The chosen bodies the store knows; unknown ones are dropped with a warning."""
        known = self.backend.body_names()
        unknown = [b for b in bodies or [] if b not in known]
        if unknown and known:
            gr.Warning("Tuntematon toimielin jätettiin pois rajauksesta: " + ", ".join(unknown))
            bodies = [b for b in bodies or [] if b in known]
        return bodies

    def _wait_for_assistant(self, history: list[dict], conv: Conversation, turns: dict,
                            ) -> Generator[tuple[Any, ...], None, Any]:
        """Show waiting notes while the store is being built; return the assistant or None."""
        b = self.backend
        deadline = time.monotonic() + MAX_WAIT_FOR_STORE
        while b.assistant is None and b.busy() and time.monotonic() < deadline:
            history[-1] = _msg(b.wait_note())
            yield "", list(history), conv, gr.update(), turns
            time.sleep(0.5)
        assistant = b.assistant or (None if b.busy() else b.ensure())
        if assistant is None:
            history[-1] = _msg(b.unavailable())
            yield "", list(history), conv, gr.update(), turns
        return assistant

    def _stream_answer(self, answer: Any, question: str, note: str, filters: dict[str, Any],
                       history: list[dict], conv: Conversation, turns: dict) -> Iterator[tuple[Any, ...]]:
        """Stream the answer text, then show the final answer and record the turn."""
        numbered = number_answer(answer)
        notes = self._notes(answer, filters)
        final = render.answer_html(numbered, notice=answer.notice, notes=notes, truncated_note=note)
        for chunk in render.stream_chunks(numbered.plain().strip())[:-1]:
            history[-1] = {"role": "assistant", "content": render.streaming_html(chunk)}
            yield "", list(history), conv, gr.update(), turns
            time.sleep(self.stream_delay)
        choices = render.citation_choices(numbered.sources)
        turns[str(len(history) - 1)] = {
            "question": question, "choices": choices, "filters": filters,
            "plain": render.answer_plain(numbered, notice=answer.notice, notes=notes),
            "citations": [{"n": s.n, "item_id": s.citation.item_id, "label": s.label, **s.citation.to_json()}
                          for s in numbered.sources],
            "as_of": self.backend.settings.today,
        }
        history[-1] = {"role": "assistant", "content": final}
        yield "", list(history), conv, self._choices_update(choices), turns

    def _notes(self, answer: Any, filters: dict[str, Any]) -> list[str]:
        """Later handlings of the cited cases, and filters reaching outside the store's coverage."""
        cat = self.backend.catalog()
        if cat is None:
            return []
        notes = []
        later = cat.later_handlings(c.item_id for c in answer.citations)
        if later:
            with organisations.naming(getattr(self.backend.assistant, "organisations", ())):
                labels = "; ".join(Citation.from_item(it).label().rsplit(", ", 1)[0] if it.case_ids
                                   else Citation.from_item(it).label() for it in later[:4])
            notes.append(f"Asia on käsitelty myöhemmin: {labels}.")
        q = answer.query
        bodies = filters["bodies"] or (list(q.bodies) if q is not None else [])
        date_from = filters["date_from"] or (q.date_from if q is not None else None)
        date_to = filters["date_to"] or (q.date_to if q is not None else None)
        outside = cat.outside_coverage(bodies, date_from, date_to)
        return [*notes, outside] if outside else notes

    @staticmethod
    def _choices_update(choices: list[tuple[str, str]]) -> Any:
        label = f"Lähteet ({len(choices)})" if choices else "Lähteet"
        info = "Valitse viite – pykälä avautuu alle." if choices else "Vastauksessa ei ollut viitteitä."
        return gr.update(choices=choices, value=None, label=label, info=info)

    def after_answer(self, turns: dict | None, history: list[dict] | None) -> tuple[str, Any]:
        """Plain text of the latest answer (to copy) and a fresh Markdown export of the conversation."""
        turns = turns or {}
        if not turns:
            return "", gr.update(value=None, interactive=False)
        latest = turns[max(turns, key=int)]
        return latest["plain"], gr.update(value=self._export_file(turns), interactive=True)

    def _export_file(self, turns: dict) -> str:
        folder = Path(tempfile.mkdtemp(prefix="pk-export-"))
        path = folder / "keskustelu.md"
        path.write_text(conversation_markdown(turns), encoding="utf-8")
        return str(path)

    def show_turn_sources(self, turns: dict | None, evt: gr.SelectData) -> Any:
        """Clicking an earlier answer in the chat lists that answer's sources again."""
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = (turns or {}).get(str(idx))
        return gr.update() if turn is None else self._choices_update(turn["choices"])

    # --- the source panel ----------------------------------------------------------------------

    def open_source(self, item_id: str | None, turns: dict | None = None) -> str:
        """Render the chosen item in the source panel (with its [n] label when an answer cited it)."""
        if not item_id:
            return render.placeholder_html()
        n = None
        for key in sorted(turns or {}, key=int, reverse=True):
            n = next((c["n"] for c in turns[key]["citations"] if c["item_id"] == item_id), None)
            if n:
                break
        return self._item_panel(item_id, n)

    def _item_panel(self, item_id: str, n: int | None) -> str:
        b = self.backend
        try:
            item = b.assistant.get_item(item_id) if b.assistant is not None else None
            if item is None:
                return render.placeholder_html("Pykälää ei löytynyt hakemistosta.")
            with organisations.naming(getattr(b.assistant, "organisations", ())):  # same label as the answer
                label = Citation.from_item(item).label()
            return render.item_html(item, b.original_link(item), label=f"[{n}] {label}" if n else label)
        except Exception:  # noqa: BLE001
            logger.exception("Opening item %s failed", item_id)
            gr.Warning("Lähteen avaaminen epäonnistui.")
            return render.placeholder_html("Lähteen avaaminen epäonnistui.")

    def command(self, raw: str) -> tuple[str, Any]:
        """A click on an ``[n]`` marker or a panel button: ``open:ID[:n]``, ``case:ID``, ``meeting:ID``."""
        parts = (raw or "").split("|", 1)[0].split(":")
        verb, item_id = (parts + ["", ""])[:2]
        n = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
        show = gr.update(selected="pk-tab-source")
        b = self.backend
        item = b.assistant.get_item(item_id) if b.assistant is not None and item_id else None
        cat = b.catalog()
        if item is None or cat is None:
            return render.placeholder_html("Pykälää ei löytynyt hakemistosta."), show
        if verb == "case" and item.case_ids:
            case = item.case_ids[0]
            return views.case_history_html(case, cat.case_history(case), item), show
        if verb == "meeting":
            items = cat.meeting(item)
            return views.meeting_html(items, item, {i.item_id: one_line(i) for i in items}), show
        return self._item_panel(item_id, n), show

    # --- feedback ------------------------------------------------------------------------------

    def rate(self, turns: dict | None, evt: gr.LikeData) -> tuple[str, Any, Any]:
        """👍/👎 on an answer: stored at once; the comment box then adds to the same record."""
        idx = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn = (turns or {}).get(str(idx))
        if turn is None or evt.liked is None:
            return "", gr.update(visible=False), gr.update()
        rec = feedback.FeedbackRecord(
            question=turn["question"], answer=turn["plain"], citations=turn["citations"],
            rating="up" if evt.liked else "down", filters=turn["filters"], as_of=turn.get("as_of"))
        feedback.append(self.backend.feedback_path(), rec)
        gr.Info("Kiitos palautteesta!")
        return rec.id, gr.update(visible=True), gr.update(value="")

    def comment(self, record_id: str, text: str) -> tuple[Any, Any]:
        """Add the optional comment to the last rating of this session."""
        path = self.backend.feedback_path()
        rec = next((r for r in feedback.read(path) if r.id == record_id), None) if record_id else None
        if rec is None or not (text or "").strip():
            gr.Warning("Arvioi ensin vastaus peukalolla ja kirjoita kommentti.")
            return gr.update(), gr.update()
        rec.comment = text
        feedback.append(path, rec)
        gr.Info("Kommentti tallennettu.")
        return gr.update(value=""), gr.update(visible=False)

    def new_chat(self, conv: Conversation | None) -> tuple[Any, ...]:
        """Start over: empty chat, a fresh conversation, no sources."""
        if conv is not None:
            conv.reset()
        return ([], conv, gr.update(choices=[], value=None, label="Lähteet",
                                    info="Lähteet näkyvät täällä vastauksen jälkeen."),
                render.placeholder_html(), {}, "")
