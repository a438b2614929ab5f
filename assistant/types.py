"""Values passed between the assistant's stages, each built once and never changed.

``Query`` (parsed question) → ``Candidates`` (what every retriever found, with
scores and ranks, plus the filter-only listing) → ``Evidence`` (which candidates
answer the question) → ``Answer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from core.items import AgendaItem, citation_label

Intent = Literal["decision", "date_scoped", "case_lookup", "section_lookup", "fact", "vote_or_change", "general"]


@dataclass(frozen=True)
class Query:
    """A parsed Finnish question: free text plus metadata filters.

    Dates are ISO strings; an empty list/None means "no filter".
    """

    text: str
    intent: Intent = "general"
    bodies: list[str] = field(default_factory=list)  # full body names as stored
    date_from: str | None = None  # inclusive ISO date
    date_to: str | None = None  # inclusive ISO date
    sections: list[int] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    keywords: str = ""  # question text with the filter words removed
    is_follow_up: bool = False
    time_label: str = ""  # Finnish words for the time filter, e.g. "maaliskuussa 2025"
    not_after: str | None = None  # "today" of the asker: later minutes are not visible (not a user filter)
    municipalities: tuple[str, ...] = ()  # organisations named in the question, as stored (core.organisations)
    #: The question whose answer type this one has: an elliptic follow-up without a question word of its
    #: own ("Entä Kauhajärven koululla?") asks what the previous one asked ("Kuka on … rehtori?").
    asks: str = ""
    #: A follow-up pointing back with a pronoun ("Paljonko se hanke maksaa?", "… niille vuokrattiin"): its
    #: own words lack the subject, which is the previous question's.
    refers_back: bool = False
    #: The item the previous answer cited first, for a follow-up that points back to it ("Entä kuka
    #: allekirjoittaa sen sopimuksen?"): when it answers, it is the item the answer is about.
    refers_to: str | None = None
    #: Bodies of an organisation the store does not hold, as the question names them ("Seinäjoen
    #: kaupunginvaltuusto"): no item can answer for them.
    other_bodies: tuple[str, ...] = ()

    def has_filters(self) -> bool:
        return bool(self.bodies or self.date_from or self.date_to or self.sections or self.case_ids
                    or self.municipalities)

    def search_text(self) -> str:
        """What the lexical side searches: the keywords, else the question."""
        return self.keywords.strip() or self.text

    def meaning_text(self) -> str:
        """What the embedder compares, in search and in sentence ranking alike (one vector, cached): the
        question as asked, which e5 was trained on ("query: Mitä maauimalasta päätettiin viimeksi?");
        two or three leftover keywords ("maauimalasta viimeksi") give it too little to go on. A
        follow-up's own words lack its subject, so it is compared by its keywords (which carry the
        inherited subject)."""
        return self.search_text() if self.is_follow_up else self.text


@dataclass(frozen=True)
class Hit:
    """One retrieved item with its fused score and every retriever's score and rank (1-based)."""

    item: AgendaItem
    score: float  # fused RRF score (1.0 exact lookup, 0.0 filter-only)
    via: tuple[str, ...] = ()  # "exact", "lexical", "dense", "filter"
    dense_rank: int | None = None  # rank among dense item hits
    dense_sim: float = 0.0  # cosine similarity of the best passage
    fused_rank: int | None = None  # rank in the fused list
    lexical_rank: int | None = None  # rank among BM25 item hits
    lexical_score: float = 0.0  # BM25 score of the best passage


@dataclass(frozen=True)
class Candidates:
    """What retrieval found for one query.

    ``hits``: exact lookups first, then the fused lexical + dense ranking, then
    (for a narrow filter) the filter-only items. ``listing``: every item passing
    the query's metadata filters (date, body, §), date order; empty without filters.
    ``nearest``: when the filters match nothing, the meetings closest to them as
    ``(body, ISO date)``. ``steps``: where a leading hit was a board's proposal, the later decisions
    of the same matter (``assistant.matters``), whether search ranked them or not.
    """

    query: Query
    hits: tuple[Hit, ...] = ()
    listing: tuple[AgendaItem, ...] = ()
    nearest: tuple[tuple[str, str], ...] = ()
    steps: tuple[AgendaItem, ...] = ()  # later decided steps of the leading hits' matters


@dataclass(frozen=True)
class Relevance:
    """How well one hit covers the question's content words."""

    hit: Hit
    coverage: float
    answers: bool
    words: tuple[tuple[str, ...], ...] = ()
    names_found: tuple[str, ...] = ()  # the question's names this item mentions
    features: Any = None  # assistant.features.Features of the hit (None for exact/filter judgements)
    probability: float | None = None  # P(answers) from the answerability model


@dataclass(frozen=True)
class Evidence:
    """The candidates judged: ``relevance`` for the leading hits (agenda copies of minutes dropped)."""

    candidates: Candidates
    hits: tuple[Hit, ...]
    relevance: tuple[Relevance, ...]
    has_topic: bool  # the query names a subject of its own, beyond filters and question words
    wanted: Any = None  # assistant.answer_type.Wanted: what the question asks for
    names: tuple[str, ...] = ()  # names the question asks about ("Simpsiönvuori Oy")
    missing: tuple[str, ...] = ()  # of those, the ones no judged candidate mentions
    unknown: tuple[str, ...] = ()  # nouns of the question that no item of the corpus uses
    topic: tuple[tuple[tuple[str, ...], tuple[str, ...], float], ...] = ()  # (forms, corpus tokens, IDF weight)
    chosen: tuple[AgendaItem, ...] = ()  # the items to quote from, primary first (assistant.evidence.ground)
    sentences: tuple[Any, ...] | None = None  # assistant.evidence.Sentence, best first; None: not grounded yet

    @property
    def query(self) -> Query:
        return self.candidates.query


@dataclass(frozen=True)
class Citation:
    """A citation built only from stored item fields, never from model text."""

    item_id: str
    body: str
    date: str  # ISO
    section: int
    case_id: str | None
    title: str
    source: str
    page: int
    kind: str = "minutes"
    municipality: str = ""
    organisation: str | None = None  # named in the label (several organisations in the store)

    @classmethod
    def from_item(cls, item: AgendaItem) -> Citation:
        from core.organisations import cited

        return cls(
            item_id=item.item_id, body=item.body, date=item.date, section=item.section,
            case_id=item.case_id, title=item.title, source=item.source, page=item.page_start,
            kind=item.kind, municipality=item.municipality, organisation=cited(item.municipality, item.body),
        )

    def label(self) -> str:
        """``Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123`` (organisation first when named)."""
        return citation_label(self.body, self.date, self.section, self.case_id, self.organisation)

    def to_json(self) -> dict[str, Any]:
        return {
            "body": self.body, "date": self.date, "section": self.section,
            "case_id": self.case_id, "title": self.title, "source": self.source,
            "page": self.page, "municipality": self.municipality,
        }


@dataclass(frozen=True)
class Answer:
    """What the assistant returns for one question."""

    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Citation] = field(default_factory=list)  # ranked; every cited item is among them
    query: Query | None = None
    notice: str = ""  # e.g. "filter matched nothing; nearest meetings: …"
    via_llm: bool = False
    dropped_sentences: int = 0  # model sentences the verifier removed (the text says so too)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [c.to_json() for c in self.retrieved],
            "dropped_sentences": self.dropped_sentences,
        }
