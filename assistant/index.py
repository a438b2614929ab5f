"""Read side of the store: items fetched by SQL, BM25 over the store's own lexical index, Chroma dense search.

Only passage ids of the committed state are trusted, so vectors that a
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

from assistant.matters import identical_titles
from assistant.types import Query
from core import caseids
from core import store as st
from core.config import Settings
from core.items import AgendaItem
from core.store_reader import ItemFilter, StoreReader

logger = logging.getLogger(__name__)

#: The deepest unfiltered graph search a filter is answered from (see ``dense``).
OVERFETCH_MAX = 2000
#: A filter too narrow for that search is scored exactly from its own vectors up to this many items.
EXACT_DENSE_ITEMS = 2000


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
    """Everything the assistant searches: a committed store read through ``core.store_reader``.

    Other modules use only the public methods and properties below (the reader API);
    every attribute with a leading underscore is an internal of this implementation.
    Items are fetched when asked, never all held: at a million items a reader keeps the
    vocabulary, the meeting list and its caches, not the items.
    """

    def __init__(self, settings: Settings, embedder: Any) -> None:
        """Open the committed store of ``settings``.

        Raises:
            StoreMissingError: no store or no items.
            StoreDamagedError: a part of the store is broken (the message names it and the fix).
            IndexMismatchError: the store was built with another embedding model.
        """
        self.settings = settings
        meta = st.require_items(settings.store_dir)
        st.check_model(meta, embedder.name, rebuild=False)
        ins = st.inspect(settings.store_dir, settings)  # the store module owns the layout and its checks
        if ins.problems:
            raise st.damage_error(settings.store_dir, ins)
        self.embedder = embedder  # embeds the questions (dense search, answer grounding)
        self._reader = StoreReader(settings)
        from core import tokens

        if meta.tokenizer and meta.tokenizer != tokens.signature():
            logger.warning("lexical index built with %s, queries use %s: run python -m ingest again",
                           meta.tokenizer, tokens.signature())
        self._collection = st.get_collection(st.open_client(settings), meta.collection)
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self._filter_rows: tuple[frozenset[str], np.ndarray] | None = None

    @property
    def manifest(self) -> st.Meta:
        """The store-wide facts (model, tokenizer, counts) as last read."""
        return self._reader.meta

    def refresh(self) -> bool:
        """Follow the writer: True (and caches dropped) when a commit happened since the last look."""
        changed = self._reader.refresh()
        if changed:
            self._cache.clear()
            self._filter_rows = None
        return changed

    def _cached(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def corpus(self) -> st.Corpus:
        """Files read, files refused, corpus roots."""
        return self._cached("corpus", self._reader.corpus)

    # --- items by id

    def item(self, item_id: str) -> AgendaItem | None:
        return self._reader.item(item_id)

    def items(self, item_ids: Iterable[str]) -> dict[str, AgendaItem]:
        """The stored items among ``item_ids``, in the order asked (unknown ids are left out)."""
        return self._reader.items(item_ids)

    def has_item(self, item_id: str) -> bool:
        return self._reader.item_no(item_id) is not None

    def item_count(self) -> int:
        return self._reader.item_count()

    # --- items by metadata

    def filtered(self, q: Query) -> list[AgendaItem]:
        """Every item passing the filters of ``q``, ordered by date and §."""
        return self._reader.filtered(item_filter(q))

    def filtered_ids(self, q: Query) -> set[str]:
        """The ids of every item passing the filters of ``q``."""
        return {it.item_id for it in self.filtered(q)}

    def items_by_case(self, case_id: str) -> list[AgendaItem]:
        """Every item with ``case_id`` (any spelling), by date; an agenda before the minutes of its day."""
        return self._reader.items_by_case(case_id)

    def meeting_items(self, municipality: str, body: str, date: str, kind: str) -> list[AgendaItem]:
        """Every item of one meeting document of one organisation's body, by §."""
        return self._reader.meeting_items(municipality, body, date, kind)

    def later_same_title(self, item: AgendaItem) -> list[AgendaItem]:
        """Minutes items of ``item``'s body held after it under the same title: a matter the body takes
        up again each year under its own case ID ("Etelä-Pohjanmaan matkailuyhteistyö"), oldest first."""
        if not item.title.strip():
            return []
        later = self._reader.filtered(ItemFilter((item.body,), (item.municipality,), item.date))
        return [it for it in later if it.date > item.date and identical_titles(it, item)]

    def coverage(self) -> list[BodyCoverage]:
        """Per (organisation, body): items per month, first and last meeting, meeting count."""
        return self._cached("coverage", self._coverage)

    def _coverage(self) -> list[BodyCoverage]:
        meetings = self._reader.distinct_meetings()
        acc: dict[tuple[str, str], BodyCoverage] = {}
        for muni, body, month, first, last, n in self._reader.month_counts():
            b = acc.get((muni, body))
            if b is None:
                b = acc[(muni, body)] = BodyCoverage(muni, body, first, last, meetings.get((muni, body), 0), 0)
            acc[(muni, body)] = BodyCoverage(muni, body, min(b.first, first), max(b.last, last), b.meetings,
                                             b.items + n, {**b.per_month, month: n})
        return [acc[k] for k in sorted(acc)]

    @property
    def meetings(self) -> list[Meeting]:
        """Every meeting document (organisation, body, date, kind), by date and body."""
        return self._cached("meetings", lambda: [Meeting(b, d, k, src, num, m)
                                                 for m, b, d, k, src, num in self._reader.meetings()])

    def bodies(self) -> list[str]:
        return [b for b, _a in self._cached("bodies", self._reader.bodies)]

    def body_abbrs(self) -> dict[str, str | None]:
        """Body name → its abbreviation as some item prints it (None when none does)."""
        return {b: a or None for b, a in self._cached("bodies", self._reader.bodies)}

    def municipalities(self) -> list[str]:
        """The distinct non-empty organisation names of the items, sorted."""
        return sorted(m for m in self._cached("munis", self._reader.municipalities) if m)

    # --- corpus statistics of the lexical tokens

    @property
    def vocab(self) -> Collection[str]:
        """Every indexed lexical token (read-only)."""
        return self._cached("vocab", lambda: frozenset(self._reader.lexical.terms()))

    def item_tokens(self, item_id: str) -> set[str]:
        """Every lexical token of an item's passages."""
        no = self._reader.item_no(item_id)
        return set() if no is None else self._reader.lexical.item_terms(no)

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency over passages (unknown tokens get the highest value)."""
        return self._reader.lexical.idf(token)

    def generic_terms(self, share: float, min_items: int) -> frozenset[str]:
        """Tokens found in at least ``share`` of all items; none when the store has fewer than ``min_items``."""
        return self._cached(f"generic{share}/{min_items}",
                            lambda: self._reader.lexical.generic_terms(share, min_items))

    # --- search

    def lexical(self, tokens: list[str], allowed: set[str] | None, k: int) -> list[tuple[str, float, int]]:
        """Best passages by BM25: ``(item_id, score, row)``; ``allowed`` limits items."""
        if not tokens:
            return []
        rows = None if allowed is None else self._rows_of(allowed)
        with self._reader.reading():
            top = self._reader.lexical.top(tokens, k * 3, rows)
            items = self._reader.row_items(r for r, _s in top)
        return [(items[r], float(s), int(r)) for r, s in top if r in items]

    def _rows_of(self, allowed: set[str]) -> np.ndarray:
        key = frozenset(allowed)  # the retriever passes the same filter set to every call of one question
        if self._filter_rows is None or self._filter_rows[0] != key:
            self._filter_rows = (key, self._reader.rows_of(allowed))
        return self._filter_rows[1]

    def dense(self, text: str, where: dict[str, Any] | None, k: int, *,
              allowed: set[str] | None = None) -> list[tuple[str, float, int]]:
        """Best passages by cosine similarity: ``(item_id, similarity, row)``.

        Chroma's ``where`` scans the metadata of every passage (~0.4 s at 100k items, growing with the
        store), so ``allowed`` (the items a filter lets through) is searched the cheapest way that is
        still complete: the unfiltered graph search fetched deep enough that k of its hits should pass
        (a few ms), when that depth is at most ``OVERFETCH_MAX``; else, for at most ``EXACT_DENSE_ITEMS``
        items, exactly from their own vectors (fetched by id at ~0.06 ms a passage: cheap for a month of
        one body, 220 ms for a year of Lapua); only then the scan.
        """
        vec = self.embedder.embed_query(text)
        if allowed is not None:
            share = len(allowed) / max(1, self.item_count())
            need = min(int(4 * k / share) + 1, max(1, self.manifest.passages))
            if need > OVERFETCH_MAX and len(allowed) <= EXACT_DENSE_ITEMS:
                return self._dense_exact(vec, allowed, k)
            deep = min(OVERFETCH_MAX, need)
            hits = [h for h in self._dense_query(vec, None, deep) if h[0] in allowed]
            if len(hits) >= k or deep >= self.manifest.passages:
                return hits[:k]
        return self._dense_query(vec, where, k)

    def similarities(self, text: str, item_ids: Iterable[str]) -> dict[str, float]:
        """The best passage cosine similarity of each item, scored exactly from its own vectors."""
        ids = set(item_ids)
        if not ids:
            return {}
        out: dict[str, float] = {}
        for iid, sim, _row in self._dense_exact(self.embedder.embed_query(text), ids, 1 << 30):
            out.setdefault(iid, sim)
        return out

    def _dense_query(self, vec: list[float], where: dict[str, Any] | None, k: int) -> list[tuple[str, float, int]]:
        with self._lock:
            res = self._collection.query(query_embeddings=[vec], n_results=k, where=where,
                                         include=["distances"])
        committed = self._reader.passages(res["ids"][0])
        out = []
        for pid, dist in zip(res["ids"][0], res["distances"][0], strict=True):
            got = committed.get(pid)
            if got is None:
                continue  # a vector a killed or running ingest added, not committed
            out.append((got[1], 1.0 - float(dist), got[0]))
        return out

    def _dense_exact(self, vec: list[float], allowed: set[str], k: int) -> list[tuple[str, float, int]]:
        found = self._reader.passages_of(allowed)
        if not found:
            return []
        with self._lock:
            got = self._collection.get(ids=[p for p, _r, _i in found], include=["embeddings"])
        where = {p: (r, i) for p, r, i in found}
        ids = [p for p in got["ids"] if p in where]
        if not ids:
            return []
        pos = {p: j for j, p in enumerate(got["ids"])}
        m = np.asarray(got["embeddings"], dtype=np.float32)[[pos[p] for p in ids]]
        q = np.asarray(vec, dtype=np.float32)
        # Chroma's cosine distance is 1 - cos: the same similarity the HNSW side returns.
        sims = (m @ q) / np.maximum(np.linalg.norm(m, axis=1) * (np.linalg.norm(q) or 1.0), 1e-12)
        order = sorted(range(len(ids)), key=lambda j: (-float(sims[j]), where[ids[j]][0]))[:k]
        return [(where[ids[j]][1], float(sims[j]), where[ids[j]][0]) for j in order]


def item_filter(q: Query) -> ItemFilter:
    """The store's filter for the metadata filters of ``q`` (pure)."""
    upper = min(d for d in (q.date_to, q.not_after) if d) if (q.date_to or q.not_after) else None
    return ItemFilter(tuple(q.bodies), tuple(q.municipalities), q.date_from or None, upper, tuple(q.sections),
                      tuple(caseids.key(c) for c in q.case_ids))
