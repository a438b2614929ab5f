"""Read side of the store: items in memory, bm25s lexical search, Chroma dense search.

Only passage ids of the committed generation are trusted, so vectors that a
killed ingest run left behind never surface.

``SearchIndex``'s public methods are the whole reader API: every other module asks the
index for the items it shows (``item``, ``items``, ``filtered`` …) and never reads its
internals, so that the internals can move from memory to the store's own lookups.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.types import Query
from core import caseids
from core import store as st
from core.config import Settings
from core.items import AgendaItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Meeting:
    """One meeting of one body as seen in the store."""

    body: str
    date: str
    kind: str
    source: str
    meeting_number: str | None
    municipality: str = ""  # two organisations' "Kaupunginhallitus" are two bodies


@dataclass(frozen=True)
class BodyCoverage:
    """What the store holds of one body of one organisation."""

    municipality: str
    body: str
    first: str  # first meeting date (ISO)
    last: str  # last meeting date (ISO)
    meetings: int  # distinct (date, document kind) pairs
    items: int
    per_month: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → items


class ItemGroups:
    """Items grouped by case and by meeting: the queries the app's views ask, built once from the items."""

    def __init__(self, items: Iterable[AgendaItem]) -> None:
        self._items: dict[str, AgendaItem] = {it.item_id: it for it in items}
        self._by_case: dict[str, list[AgendaItem]] = defaultdict(list)
        self._by_meeting: dict[tuple[str, str, str, str], list[AgendaItem]] = defaultdict(list)
        for it in self._items.values():
            for c in {caseids.key(c) for c in it.case_ids}:
                self._by_case[c].append(it)
            self._by_meeting[(it.municipality, it.body, it.date, it.kind)].append(it)

    def item(self, item_id: str) -> AgendaItem | None:
        return self._items.get(item_id)

    def items_by_case(self, case_id: str) -> list[AgendaItem]:
        """Every item with ``case_id`` (any spelling), by date; an agenda before the minutes of its day."""
        return sorted(self._by_case.get(caseids.key(case_id), []),
                      key=lambda i: (i.date, i.kind != "agenda", i.body, i.section))

    def meeting_items(self, municipality: str, body: str, date: str, kind: str) -> list[AgendaItem]:
        """Every item of one meeting document of one organisation's body, by §."""
        return sorted(self._by_meeting.get((municipality, body, date, kind), []), key=lambda i: i.section)

    def coverage(self) -> list[BodyCoverage]:
        """Per (organisation, body): items per month, first and last meeting, meeting count."""
        per_body: dict[tuple[str, str], list[AgendaItem]] = defaultdict(list)
        for it in self._items.values():
            per_body[(it.municipality, it.body)].append(it)
        out = []
        for (municipality, body), items in sorted(per_body.items()):
            dates = sorted({i.date for i in items})
            out.append(BodyCoverage(municipality, body, dates[0], dates[-1],
                                    len({(i.date, i.kind) for i in items}), len(items),
                                    dict(Counter(i.date[:7] for i in items))))
        return out


def share_terms(token_sets: Iterable[set[str]], share: float, min_items: int) -> frozenset[str]:
    """Tokens in at least ``share`` of the token sets (one set per item); none for fewer than ``min_items`` sets."""
    df: Counter[str] = Counter()
    n = 0
    for toks in token_sets:
        n += 1
        df.update(toks)
    if n < min_items:
        return frozenset()
    return frozenset(t for t, c in df.items() if c / n >= share)


def item_matches(item: AgendaItem, q: Query) -> bool:
    """Whether ``item`` passes the metadata filters of ``q`` (pure)."""
    if q.bodies and item.body not in q.bodies:
        return False
    if q.municipalities and item.municipality not in q.municipalities:
        return False
    if q.date_from and item.date < q.date_from:
        return False
    if q.date_to and item.date > q.date_to:
        return False
    if q.not_after and item.date > q.not_after:
        return False
    if q.sections and item.section not in q.sections:
        return False
    if q.case_ids:
        wanted = {c.lower() for c in q.case_ids}
        if not wanted & {c.lower() for c in item.case_ids}:
            return False
    return True


def build_where(q: Query) -> dict[str, Any] | None:
    """Chroma ``where`` filter for the metadata filters of ``q`` (pure; case IDs are filtered in memory)."""
    conds: list[dict[str, Any]] = []
    if q.bodies:
        conds.append({"body": {"$in": list(q.bodies)}})
    if q.municipalities:
        conds.append({"municipality": {"$in": list(q.municipalities)}})
    if q.date_from:
        conds.append({"date_num": {"$gte": int(q.date_from.replace("-", ""))}})
    upper = min(d for d in (q.date_to, q.not_after) if d) if (q.date_to or q.not_after) else None
    if upper:
        conds.append({"date_num": {"$lte": int(upper.replace("-", ""))}})
    if q.sections:
        conds.append({"section": {"$in": list(q.sections)}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


class SearchIndex:
    """Everything the assistant searches, loaded once from a committed store.

    Other modules use only the public methods and properties below (the reader API);
    every attribute with a leading underscore is an internal of this implementation.
    """

    def __init__(self, settings: Settings, embedder: Any) -> None:
        """Load the committed store of ``settings``.

        Raises:
            StoreMissingError: no store or no items.
            StoreDamagedError: a part of the store is broken (the message names it and the fix).
            IndexMismatchError: the store was built with another embedding model.
        """
        self.settings = settings
        snap = st.open_snapshot(settings, embedder.name)  # the store module owns the layout and its checks
        self.manifest = snap.manifest
        self.embedder = embedder  # embeds the questions (dense search, answer grounding)
        from core import tokens

        if self.manifest.tokenizer and self.manifest.tokenizer != tokens.signature():
            logger.warning("lexical index built with %s, queries use %s: run python -m ingest again",
                           self.manifest.tokenizer, tokens.signature())
        self._items: dict[str, AgendaItem] = {it.item_id: it for it in snap.items}
        self._rows = snap.rows
        self._passage_row = {r.passage_id: i for i, r in enumerate(self._rows)}
        # Row → item number, so that an item filter becomes one vectorised lookup instead of a loop over rows.
        self._item_no = {iid: n for n, iid in enumerate(self._items)}
        self._row_item = np.fromiter((self._item_no.get(r.item_id, -1) for r in self._rows), dtype=np.int64,
                                     count=len(self._rows))
        self._bm25 = snap.bm25
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict) if self._bm25 is not None else {}
        self._doc_freq = self._document_frequencies()
        self._collection = snap.collection
        self._lock = threading.Lock()
        self._meetings = self._list_meetings()
        self.corpus = snap.corpus  # files read, files refused, corpus roots
        self._groups: ItemGroups | None = None
        self._item_tokens: dict[str, set[str]] | None = None

    # --- items by id

    def item(self, item_id: str) -> AgendaItem | None:
        return self._items.get(item_id)

    def items(self, item_ids: Iterable[str]) -> dict[str, AgendaItem]:
        """The stored items among ``item_ids``, in the order asked (unknown ids are left out)."""
        return {i: self._items[i] for i in item_ids if i in self._items}

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def item_count(self) -> int:
        return len(self._items)

    # --- items by metadata

    def filtered(self, q: Query) -> list[AgendaItem]:
        """Every item passing the filters of ``q``, ordered by date and §."""
        return sorted((it for it in self._items.values() if item_matches(it, q)),
                      key=lambda i: (i.date, i.body, i.kind != "minutes", i.section))

    def filtered_ids(self, q: Query) -> set[str]:
        """The ids of every item passing the filters of ``q``."""
        return {iid for iid, it in self._items.items() if item_matches(it, q)}

    # --- the app's views: a case across bodies, one meeting, what the store covers

    def _grouped(self) -> ItemGroups:
        if self._groups is None:  # built on first use: the CLI never needs it
            self._groups = ItemGroups(self._items.values())
        return self._groups

    def items_by_case(self, case_id: str) -> list[AgendaItem]:
        """Every item with ``case_id`` (any spelling), by date; an agenda before the minutes of its day."""
        return self._grouped().items_by_case(case_id)

    def meeting_items(self, municipality: str, body: str, date: str, kind: str) -> list[AgendaItem]:
        """Every item of one meeting document of one organisation's body, by §."""
        return self._grouped().meeting_items(municipality, body, date, kind)

    def coverage(self) -> list[BodyCoverage]:
        """Per (organisation, body): items per month, first and last meeting, meeting count."""
        return self._grouped().coverage()

    @property
    def meetings(self) -> list[Meeting]:
        """Every meeting document (organisation, body, date, kind), by date and body."""
        return self._meetings

    def _list_meetings(self) -> list[Meeting]:
        seen: dict[tuple[str, str, str, str], Meeting] = {}
        for it in self._items.values():
            key = (it.municipality, it.body, it.date, it.kind)
            if key not in seen:
                seen[key] = Meeting(it.body, it.date, it.kind, it.source, it.meeting_number, it.municipality)
        return sorted(seen.values(), key=lambda m: (m.date, m.body))

    def bodies(self) -> list[str]:
        return sorted({it.body for it in self._items.values()})

    def body_abbrs(self) -> dict[str, str | None]:
        """Body name → its abbreviation as some item prints it (None when none does)."""
        out: dict[str, str | None] = {}
        for it in self._items.values():
            if it.body_abbr or it.body not in out:
                out[it.body] = it.body_abbr or out.get(it.body)
        return out

    def municipalities(self) -> list[str]:
        """The distinct non-empty organisation names of the items, sorted."""
        return sorted({it.municipality for it in self._items.values() if it.municipality})

    # --- corpus statistics of the lexical tokens

    @property
    def vocab(self) -> Collection[str]:
        """Every indexed lexical token (read-only)."""
        return self._vocab.keys()

    def _document_frequencies(self) -> dict[str, int]:
        df: dict[str, int] = defaultdict(int)
        for r in self._rows:
            for t in set(r.tokens):
                df[t] += 1
        return df

    def item_tokens(self, item_id: str) -> set[str]:
        """Every lexical token of an item's passages (cached)."""
        if self._item_tokens is None:
            acc: dict[str, set[str]] = defaultdict(set)
            for r in self._rows:
                acc[r.item_id].update(r.tokens)
            self._item_tokens = dict(acc)
        return self._item_tokens.get(item_id, set())

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency over passages (unknown tokens get the highest value)."""
        n = max(1, len(self._rows))
        return float(np.log((n + 1) / (self._doc_freq.get(token, 0) + 0.5)))

    def generic_terms(self, share: float, min_items: int) -> frozenset[str]:
        """Tokens found in at least ``share`` of all items (item document frequency; an item without
        passages counts as an item without tokens); none when the store has fewer than ``min_items``."""
        return share_terms((self.item_tokens(iid) for iid in self._items), share, min_items)

    # --- search

    def lexical(self, tokens: list[str], allowed: set[str] | None, k: int) -> list[tuple[str, float, int]]:
        """Best passages by BM25: ``(item_id, score, row)``; ``allowed`` limits items."""
        if self._bm25 is None or not tokens:
            return []
        known = [t for t in tokens if t in self._vocab]
        if not known:
            return []
        scores = self._bm25.get_scores(known)
        if allowed is not None:
            keep = np.zeros(len(self._item_no) + 1, dtype=bool)  # last slot: rows of unknown items (-1)
            keep[[self._item_no[i] for i in allowed if i in self._item_no]] = True
            mask = keep[self._row_item]
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[: k * 3]
        out = []
        for i in top:
            if scores[i] <= 0:
                break
            out.append((self._rows[i].item_id, float(scores[i]), int(i)))
        return out

    def dense(self, text: str, where: dict[str, Any] | None, k: int) -> list[tuple[str, float, int]]:
        """Best passages by cosine similarity: ``(item_id, similarity, row)``."""
        vec = self.embedder.embed_query(text)
        with self._lock:
            res = self._collection.query(query_embeddings=[vec], n_results=k, where=where,
                                         include=["metadatas", "distances"])
        out = []
        for pid, meta, dist in zip(res["ids"][0], res["metadatas"][0], res["distances"][0], strict=True):
            row = self._passage_row.get(pid)
            if row is None or meta.get("item_id") not in self._items:
                continue  # vector of an uncommitted or older generation
            out.append((meta["item_id"], 1.0 - float(dist), row))
        return out
