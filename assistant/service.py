"""The assistant: question → filters → hybrid retrieval → grounded (or verified LLM) answer.

Example::

    from core.config import Settings
    from assistant.service import Assistant, Conversation
    bot = Assistant.open(Settings.from_env())
    conv = Conversation()
    print(bot.ask("Mitä työllisyysalue päätti maaliskuussa?", conv).text)
    print(bot.ask("Entä huhtikuussa?", conv).text)
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import compose
from assistant.index import SearchIndex
from assistant.llm import llm_answer, make_chat_model
from assistant.retriever import HybridRetriever
from assistant.types import Answer, Citation, Query
from core.config import Settings
from core.items import AgendaItem, fi_date

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
MIN_RETRIEVED = 10
_LATEST_MEETING = re.compile(r"\bviimeksi\b|\bviime kokouksessa|\bedellisessä kokouksessa|"
                             r"\bviimeisimmässä kokouksessa|\bviimeisimmät päätökset|\buusimmat päätökset", re.I)
_SAME_MEETING = re.compile(r"\bsama(?:ssa|n) kokoukse|\bsiinä kokouksessa|\bsamassa kokouksessa", re.I)


@dataclass
class Conversation:
    """One user's conversation: what a follow-up question inherits."""

    previous: Query | None = None
    turns: list[tuple[str, Answer]] = field(default_factory=list)

    def reset(self) -> None:
        self.previous = None
        self.turns.clear()


_EMBEDDERS: dict[tuple[str, int, int, str], Any] = {}
_EMBEDDER_LOCK = threading.Lock()


def shared_embedder(settings: Settings) -> Any:
    """One embedder per process and model (loading weights is the slow part)."""
    from core.embedding import embedder_from_settings

    key = (settings.embedding_model, settings.embedding_max_tokens, settings.embedding_threads,
           str(settings.model_cache))
    with _EMBEDDER_LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = embedder_from_settings(settings)
        return _EMBEDDERS[key]


class Assistant:
    """Answers Finnish questions about the minutes in one store."""

    def __init__(self, index: SearchIndex, settings: Settings, *, chat_model: Any = None) -> None:
        from assistant.question import BodyInfo

        self.index = index
        self.settings = settings
        self.chat_model = chat_model
        self.retriever = HybridRetriever(index=index)
        self._bodies = [BodyInfo(name, abbr) for name, abbr in index.body_abbrs().items()]
        self.chain: Runnable = (
            RunnableLambda(self._parse).with_config(run_name="parse_question")
            | RunnableLambda(self._retrieve).with_config(run_name="retrieve")
            | RunnableLambda(self._answer).with_config(run_name="answer")
        )

    @classmethod
    def open(cls, settings: Settings, *, embedder: Any = None, chat_model: Any = None) -> Assistant:
        """Open the store of ``settings``.

        Raises:
            StoreMissingError: the store is missing or empty.
            IndexMismatchError: the store was built with another embedding model.
        """
        from core.store import require_manifest

        require_manifest(settings.store_dir)  # an empty store is known before a model is loaded
        emb = embedder or shared_embedder(settings)
        model = chat_model if chat_model is not None else make_chat_model(settings)
        index = SearchIndex(settings, emb)
        if settings.embedding_threads == 0:
            _single_thread_queries()
        return cls(index, settings, chat_model=model)

    def ask(self, question: str, conversation: Conversation | None = None, *, today: date | None = None,
            bodies: list[str] | None = None, date_from: str | None = None, date_to: str | None = None) -> Answer:
        """Answer ``question`` (Finnish) with verified citations.

        Args:
            question: the user's question; cut to ``MAX_QUESTION_CHARS``.
            conversation: state for follow-ups ("Entä huhtikuussa?"); updated in place.
            today: the date relative expressions resolve against (default MINUTES_TODAY or today).
            bodies, date_from, date_to: filters set in a UI; they override the question's own.
        """
        text = " ".join((question or "").split())[:MAX_QUESTION_CHARS]
        if not text:
            return Answer("Kirjoita kysymys pöytäkirjoista.", True)
        state = {"text": text, "conversation": conversation, "today": today or self._today(),
                 "ui": {"bodies": bodies or [], "date_from": date_from, "date_to": date_to}}
        answer: Answer = self.chain.invoke(state)
        if conversation is not None:
            conversation.previous = answer.query
            conversation.turns.append((text, answer))
        return answer

    def get_item(self, item_id: str) -> AgendaItem | None:
        return self.index.items.get(item_id)

    def bodies(self) -> list[str]:
        return self.index.bodies()

    def item_count(self) -> int:
        return len(self.index.items)

    def _today(self) -> date:
        return date.fromisoformat(self.settings.today) if self.settings.today else date.today()

    def _parse(self, state: dict[str, Any]) -> dict[str, Any]:
        from assistant.question import parse_question

        conv: Conversation | None = state["conversation"]
        prev = conv.previous if conv else None
        q = parse_question(state["text"], today=state["today"], bodies=self._bodies, previous=prev)
        # Minutes dated after "today" do not exist yet from the asker's point of view (--as-of).
        q = replace(q, not_after=state["today"].isoformat())
        q = self._meeting_reference(q, state["text"], conv)
        ui = state["ui"]
        if ui["bodies"]:
            q = replace(q, bodies=[b for b in ui["bodies"] if b in self.index.bodies()] or q.bodies)
        if ui["date_from"]:
            q = replace(q, date_from=max(q.date_from or "", ui["date_from"]))
        if ui["date_to"]:
            q = replace(q, date_to=min(q.date_to or "9999", ui["date_to"]))
        if (ui["date_from"] or ui["date_to"]) and not q.time_label:
            q = replace(q, time_label=f"ajalla {fi_date(q.date_from or '')}–{fi_date(q.date_to or '')}".strip())
        return {**state, "query": q}

    def _meeting_reference(self, q: Query, text: str, conv: Conversation | None) -> Query:
        """Resolve "viimeksi" / "viime kokouksessa" and "samassa kokouksessa" to one meeting's date."""
        if q.date_from or q.sections or q.case_ids:
            return q
        if _SAME_MEETING.search(text) and conv and conv.turns and conv.turns[-1][1].citations:
            c = conv.turns[-1][1].citations[0]
            return replace(q, bodies=[c.body], date_from=c.date, date_to=c.date, intent="date_scoped",
                           time_label=f"kokouksessa {fi_date(c.date)}")
        if _LATEST_MEETING.search(text):
            ms = [m for m in self.index.meetings if m.kind == "minutes" and (not q.bodies or m.body in q.bodies)
                  and (not q.not_after or m.date <= q.not_after)]
            if ms:
                last = ms[-1]
                return replace(q, bodies=q.bodies or [last.body], date_from=last.date, date_to=last.date,
                               intent="date_scoped", time_label=f"viimeisimmässä kokouksessaan {fi_date(last.date)}")
        return q

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        q: Query = state["query"]
        return {**state, "hits": self.retriever.search(q)}

    def _answer(self, state: dict[str, Any]) -> Answer:
        q: Query = state["query"]
        hits = state["hits"]
        ans = compose(q, hits, self.index)
        if ans.refused and q.is_follow_up:
            # A follow-up that brings its own topic may not mean the inherited filters.
            from assistant.question import parse_question

            q2 = replace(parse_question(state["text"], today=state["today"], bodies=self._bodies, previous=None),
                         not_after=q.not_after)
            from assistant.relevance import content_words

            # Retry only when the follow-up brings its own subject; a bare "Entä heinäkuussa?"
            # keeps the inherited body and is refused when that body did not meet.
            if q2.bodies or q2.case_ids or content_words(q2.keywords, self.index):
                hits2 = self.retriever.search(q2)
                alt = compose(q2, hits2, self.index)
                if not alt.refused:
                    ans, hits = alt, hits2
        ans.retrieved = _pad_retrieved(ans.retrieved, [Citation.from_item(h.item) for h in hits])
        if len(ans.retrieved) < MIN_RETRIEVED and (q.has_filters()):
            # Filters narrowed the search; the ranked list still shows the nearest items beyond them.
            loose = replace(q, bodies=[], date_from=None, date_to=None, sections=[], case_ids=[])
            more = self.retriever.search(loose, k=MIN_RETRIEVED * 2)
            ans.retrieved = _pad_retrieved(ans.retrieved, [Citation.from_item(h.item) for h in more])
        if self.chat_model is not None and not ans.refused:
            llm = llm_answer(self.chat_model, ans.query or q, hits, ans.retrieved)
            if llm is not None:
                return llm
        return ans


def _single_thread_queries() -> None:
    """One torch thread per query: a 20-token query gains nothing from two, and under load
    (other users, an ingest run) spinning OpenMP threads turn 30 ms into a second (bench/latency.py)."""
    try:
        import torch
    except ImportError:  # a non-torch embedder
        return
    torch.set_num_threads(1)


def _pad_retrieved(first: list[Citation], more: list[Citation]) -> list[Citation]:
    seen = {c.item_id for c in first}
    out = list(first)
    for c in more:
        if c.item_id not in seen:
            seen.add(c.item_id)
            out.append(c)
    return out
