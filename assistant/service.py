"""The assistant: question → filters → hybrid retrieval → grounded (or verified LLM) answer.

Example::

    from core import organisations
from core.config import Settings
    from assistant.service import Assistant, Conversation
    bot = Assistant.open(Settings.from_env())
    conv = Conversation()
    print(bot.ask("Mitä työllisyysalue päätti maaliskuussa?", conv).text)
    print(bot.ask("Entä huhtikuussa?", conv).text)
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from assistant.answer import compose
from assistant.body_mentions import BodyInfo
from assistant.evidence import ground
from assistant.index import SearchIndex
from assistant.llm import llm_answer, make_chat_model
from assistant.plan import Asked, Catalog, UiFilters, candidate_queries, event_window, widened
from assistant.relevance import Judge, weigh
from assistant.retriever import HybridRetriever
from assistant.time_filter import mentions_window
from assistant.types import Answer, Candidates, Citation, Evidence, Hit, Query
from core import organisations
from core.config import Settings
from core.items import AgendaItem

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
#: The ranked list shown with an answer has at least this many items when the store has them.
MIN_RETRIEVED = 10


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


class QueryCache:
    """An embedder whose last query vectors are kept: dense search and sentence ranking embed the
    same question text, once."""

    SIZE = 32

    def __init__(self, embedder: Any) -> None:
        self._inner = embedder
        self._vectors: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            hit = self._vectors.get(text)
        if hit is not None:
            return hit
        vec = self._inner.embed_query(text)
        with self._lock:
            if len(self._vectors) >= self.SIZE:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[text] = vec
        return vec

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@dataclass(frozen=True)
class Retrieval:
    """Candidates for each candidate query, and the unfiltered hits that fill a short filtered list."""

    found: tuple[Candidates, ...]
    nearby: tuple[Hit, ...] = ()


class Assistant:
    """Answers Finnish questions about the minutes in one store.

    ``ask`` is plain function composition over values:
    ``candidate_queries`` → ``retrieve`` (``Candidates`` per query) → ``weigh`` → ``compose``
    (``Evidence`` → ``Answer``), then the optional LLM over the chosen candidates.
    """

    def __init__(self, index: SearchIndex, settings: Settings, *, chat_model: Any = None) -> None:
        self.index = index
        self.settings = settings
        self.chat_model = chat_model
        self._derive(index)

    def _derive(self, index: SearchIndex) -> None:
        """What the stages need from the store as a whole (vocabulary, bodies, meetings); again after a commit."""
        self.judge = Judge.for_index(index)
        self.retriever = HybridRetriever(index, normalizer=self.judge.lexicon.normalizer)
        minutes = [m for m in index.meetings if m.kind == "minutes"]
        self.organisations = organisations.in_items(index.municipalities())
        self.catalog = Catalog(
            bodies=tuple(BodyInfo(name, abbr) for name, abbr in index.body_abbrs().items()),
            meetings=tuple((m.body, m.date) for m in minutes), organisations=self.organisations,
            meeting_organisations=tuple(m.municipality for m in minutes), generic=self.judge.lexicon.generic,
            respell=self.judge.lexicon.normalizer.respelled)

    @classmethod
    def open(cls, settings: Settings, *, embedder: Any = None, chat_model: Any = None) -> Assistant:
        """Open the store of ``settings``.

        Raises:
            StoreMissingError: the store is missing or empty.
            IndexMismatchError: the store was built with another embedding model.
        """
        from core.store import require_items

        require_items(settings.store_dir)  # an empty store is known before a model is loaded
        emb = QueryCache(embedder or shared_embedder(settings))
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
        if self.index.refresh():  # an ingest committed since: new items, bodies, words
            self._derive(self.index)
        asked = Asked(text, today or self._today(), *_last_turn(conversation),
                      UiFilters(tuple(bodies or ()), date_from, date_to))
        answer = self.answer(self.retrieve(candidate_queries(asked, self.catalog)))
        if conversation is not None:
            conversation.previous = answer.query
            conversation.turns.append((text, answer))
        return answer

    def retrieve(self, queries: tuple[Query, ...]) -> Retrieval:
        """One retrieval per candidate query, plus the unfiltered one that fills a short filtered list."""
        found = tuple(self.retriever.retrieve(q) for q in queries)
        first = queries[0]
        if first.has_filters() and min(len(c.hits) for c in found) < MIN_RETRIEVED:
            return Retrieval(found, self.retriever.retrieve(widened(first), k=MIN_RETRIEVED * 2).hits)
        return Retrieval(found)

    def answer(self, retrieved: Retrieval) -> Answer:
        """The first candidate whose evidence answers (else the first one's refusal), its ranked list
        filled from the widened search, then the optional LLM over the same candidates."""
        with organisations.naming(self.organisations):  # citations name the organisation when several
            return self._answer(retrieved)

    def _answer(self, retrieved: Retrieval) -> Answer:
        found, nearby = retrieved.found, retrieved.nearby
        evidence = [ground(weigh(c, self.judge), self.similarity) for c in found]
        answers = [compose(ev) for ev in evidence]
        event = self._event_month(found[0]) if all(a.refused for a in answers) else None
        if event is not None:
            found, answers = (*found, event[0]), [*answers, event[1]]
        pick = _pick(found, answers, evidence)
        ans, chosen = answers[pick], found[pick]
        if len(ans.retrieved) < MIN_RETRIEVED and nearby:
            ans = replace(ans, retrieved=_pad_retrieved(ans.retrieved, [Citation.from_item(h.item) for h in nearby]))
        if self.chat_model is not None and not ans.refused:
            # The chain's own fallback returns the grounded answer on any model failure.
            return llm_answer(self.chat_model, ans.query or chosen.query, list(chosen.hits), ans.retrieved,
                              grounded=ans) or ans
        return ans

    def _event_month(self, cands: Candidates) -> tuple[Candidates, Answer] | None:
        """A month or season asked about may be the event's (``plan.event_window``): the answer over the
        year before it, kept only if its item names a day, month or season of that window."""
        window = event_window(cands.query, self.judge.lexicon.generic)
        if window is None:
            return None
        earlier, start, end = window
        found = self.retriever.retrieve(earlier)
        ans = compose(ground(weigh(found, self.judge), self.similarity))
        lead = next((h.item for h in found.hits if ans.citations and h.item.item_id == ans.citations[0].item_id), None)
        if ans.refused or lead is None or not mentions_window(lead.text, start, end):
            return None
        return found, ans

    def similarity(self, question: str, texts: list[str]) -> list[float]:
        """Cosine similarity of the question (as searched) and each sentence, embedded in one batch."""
        import numpy as np

        emb = self.index.embedder
        qv = np.asarray(emb.embed_query(question), dtype=float)
        with _batch_threads(self.settings.embedding_threads):
            dv = np.asarray(emb.embed_documents(texts), dtype=float)
        norms = np.linalg.norm(dv, axis=1) * (np.linalg.norm(qv) or 1.0)
        return [float(v) for v in (dv @ qv) / np.where(norms == 0, 1.0, norms)]

    def get_item(self, item_id: str) -> AgendaItem | None:
        return self.index.item(item_id)

    def bodies(self) -> list[str]:
        return self.index.bodies()

    def item_count(self) -> int:
        return self.index.item_count()

    def _today(self) -> date:
        return date.fromisoformat(self.settings.today) if self.settings.today else date.today()


def _last_turn(conversation: Conversation | None) -> tuple[Query | None, Citation | None]:
    """The previous query and the previous answer's first citation (what a follow-up may refer to)."""
    if conversation is None:
        return None, None
    last = conversation.turns[-1][1] if conversation.turns else None
    return conversation.previous, (last.citations[0] if last and last.citations else None)


#: Torch threads for the sentence batch of one answer (four sentences): measured on 2 cores, 94 → 68 ms
#: with two threads, while one query of ~20 tokens gains nothing (25 → 22 ms) and stays at one.
BATCH_THREADS = 2


@contextmanager
def _batch_threads(configured: int) -> Iterator[None]:
    """Two threads for the duration of one sentence batch when queries run single-threaded (the
    default); a configured thread count is left as it is."""
    try:
        import torch
    except ImportError:  # a non-torch embedder
        yield
        return
    if configured or torch.get_num_threads() != 1:
        yield
        return
    torch.set_num_threads(min(BATCH_THREADS, os.cpu_count() or 1))
    try:
        yield
    finally:
        torch.set_num_threads(1)


def _single_thread_queries() -> None:
    """One torch thread per query: a 20-token query gains nothing from two, and under load
    (other users, an ingest run) spinning OpenMP threads turn 30 ms into a second (bench/latency.py)."""
    try:
        import torch
    except ImportError:  # a non-torch embedder
        return
    torch.set_num_threads(1)


def _pick(found: Sequence[Candidates], answers: Sequence[Answer], evidence: Sequence[Evidence]) -> int:
    """Index of the candidate reading to answer from. A pronoun pointing back settles it: the first
    reading (the previous subject's) when it answers; a better worded item about something else
    ("Paljonko se hanke maksaa?" → another project) is the wrong one. Otherwise the most trusted."""
    if found[0].query.refers_back and not answers[0].refused:
        return 0
    return _most_trusted(answers, evidence)


def _most_trusted(answers: Sequence[Answer], evidence: Sequence[Evidence]) -> int:
    """Of the candidates that answer, the one whose best answering item the answerability model trusts
    most (the earlier on a tie: candidates come best first); 0 when all refuse. The probabilities are
    calibrated on one scale, so two readings of a follow-up compare."""
    def trust(i: int) -> float:
        if i >= len(evidence):
            return 0.0  # the event-month reading, tried only when every other candidate refused
        return max(((r.probability if r.probability is not None else 1.0) for r in evidence[i].relevance
                    if r.answers), default=0.0)

    open_ = [i for i, a in enumerate(answers) if not a.refused]
    return max(open_, key=lambda i: (trust(i), -i)) if open_ else 0


def _pad_retrieved(first: list[Citation], more: list[Citation]) -> list[Citation]:
    seen = {c.item_id for c in first}
    out = list(first)
    for c in more:
        if c.item_id not in seen:
            seen.add(c.item_id)
            out.append(c)
    return out
