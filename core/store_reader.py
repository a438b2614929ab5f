"""Read side of the store: items and passages fetched by SQL when asked, never all held in memory.

One ``StoreReader`` per process (the app's threads share it; SQLite serialises the
connection). Each lookup reads committed state only; a commit between two lookups of
one question shows as an item that is gone, which callers skip.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core import caseids
from core.config import Settings
from core.items import AgendaItem
from core.lexical import LexicalIndex
from core.store import Corpus, Meta, connect, corpus_of, damaged

_CHUNK = 500  # SQLite's bound-variable limit is 999 on old builds
#: Every passage lookup: (row, passage id, item id), filtered by a WHERE the caller adds.
_PASSAGES = "SELECT p.row, p.passage_id, i.item_id FROM passages p JOIN items i ON i.item_no = p.item_no"
#: Parsed items kept per reader (least recently used go first): a whole town fits, a country does not.
ITEM_CACHE = 20_000


@dataclass(frozen=True)
class ItemFilter:
    """Metadata filters, as SQL sees them (assistant.types.Query maps onto this)."""

    bodies: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sections: tuple[int, ...] = ()
    case_keys: tuple[str, ...] = ()


class StoreReader:
    """Committed items, passages and the lexical index of one store."""

    def __init__(self, settings: Settings) -> None:
        self.store_dir: Path = settings.store_dir
        self._conn = connect(self.store_dir)
        self._lock = threading.RLock()
        self.meta = Meta.read(self._conn)
        self.lexical = LexicalIndex(self._conn)
        self._cache: OrderedDict[int, AgendaItem] = OrderedDict()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.DatabaseError as e:
                raise damaged(self.store_dir, e) from e

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every lookup inside sees the same committed snapshot."""
        with self._read() as c:
            own = not c.in_transaction
            if own:
                c.execute("BEGIN")
            try:
                yield
            finally:
                if own:
                    c.execute("COMMIT")

    def refresh(self) -> bool:
        """Re-read the metadata; True when a writer committed since (callers drop their caches)."""
        with self._read() as c:
            meta = Meta.read(c)
        changed = meta.commits != self.meta.commits
        self.meta = meta
        if changed:
            self._cache.clear()  # a replaced item keeps its id but gets a new number; drop them all anyway
        return changed

    # --- items

    def _items(self, sql: str, args: Iterable[Any] = ()) -> list[AgendaItem]:
        """The items whose numbers ``sql`` selects, in its order (parsed once, then from the cache)."""
        with self._read() as c:
            nos = [r[0] for r in c.execute(sql, tuple(args))]
        return self._fetch(nos)

    def _fetch(self, nos: list[int]) -> list[AgendaItem]:
        with self._read() as c:  # holds the lock: the cache is shared by the app's threads
            todo = [n for n in dict.fromkeys(nos) if n not in self._cache]
            for n, d in _chunked(c, "SELECT item_no, data FROM items WHERE item_no IN ({})", todo):
                self._cache[n] = AgendaItem.from_dict(json.loads(d))
            out = [self._cache[n] for n in nos if n in self._cache]
            for n in nos:
                if n in self._cache:
                    self._cache.move_to_end(n)
            while len(self._cache) > ITEM_CACHE:
                self._cache.popitem(last=False)
        return out

    def item(self, item_id: str) -> AgendaItem | None:
        got = self._items("SELECT item_no FROM items WHERE item_id = ?", (item_id,))
        return got[0] if got else None

    def items(self, item_ids: Iterable[str]) -> dict[str, AgendaItem]:
        ids = list(dict.fromkeys(item_ids))
        with self._read() as c:
            nos = [r[0] for r in _chunked(c, "SELECT item_no FROM items WHERE item_id IN ({})", ids)]
        out = {it.item_id: it for it in self._fetch(nos)}
        return {i: out[i] for i in ids if i in out}

    def item_count(self) -> int:
        return self.meta.items

    def filtered(self, f: ItemFilter) -> list[AgendaItem]:
        """Items passing ``f``, by date, body, minutes before agendas, §."""
        where, args = _where(f)
        return self._items(f"SELECT item_no FROM items i WHERE {where} ORDER BY date, body, kind != 'minutes', section",
                           args)

    def rows_of(self, item_ids: Iterable[str]) -> np.ndarray:
        """Passage rows of ``item_ids`` (the lexical side's filter)."""
        with self._read() as c:
            out = [r[0] for r in _chunked(c, f"{_PASSAGES} WHERE i.item_id IN ({{}})", list(item_ids))]
        return np.asarray(out, dtype=np.int64)

    def items_by_case(self, case_id: str) -> list[AgendaItem]:
        """Every item with ``case_id`` (any spelling), by date; an agenda before the minutes of its day."""
        got = self._items("SELECT item_no FROM items WHERE item_no IN "
                          "(SELECT item_no FROM item_cases WHERE case_key = ?)", (caseids.key(case_id),))
        return sorted(got, key=lambda i: (i.date, i.kind != "agenda", i.body, i.section))

    def meeting_items(self, municipality: str, body: str, date: str, kind: str) -> list[AgendaItem]:
        return self._items("SELECT item_no FROM items WHERE body = ? AND date = ? AND municipality = ? AND kind = ? "
                           "ORDER BY section", (body, date, municipality, kind))

    # --- aggregates (one row per body, meeting or month: small next to the items)

    def meetings(self) -> list[tuple[str, str, str, str, str, str | None]]:
        """(municipality, body, date, kind, source, meeting_number) of each meeting document."""
        with self._read() as c:
            rows = c.execute("SELECT municipality, body, date, kind, MIN(source), "
                             "MIN(meeting_number) FROM items "
                             "GROUP BY municipality, body, date, kind ORDER BY date, body").fetchall()
        return [tuple(r) for r in rows]

    def month_counts(self) -> list[tuple[str, str, str, str, int, int]]:
        """(municipality, body, month, …): per body and month, item count and distinct meetings."""
        with self._read() as c:
            return c.execute("SELECT municipality, body, substr(date, 1, 7), MIN(date), MAX(date), COUNT(*) "
                             "FROM items GROUP BY municipality, body, substr(date, 1, 7) "
                             "ORDER BY municipality, body").fetchall()

    def distinct_meetings(self) -> dict[tuple[str, str], int]:
        with self._read() as c:
            rows = c.execute("SELECT municipality, body, COUNT(DISTINCT date || kind) FROM items "
                             "GROUP BY municipality, body").fetchall()
        return {(m, b): n for m, b, n in rows}

    def bodies(self) -> list[tuple[str, str | None]]:
        """(body, an abbreviation if any item gives one)."""
        with self._read() as c:
            return c.execute("SELECT body, MAX(body_abbr) FROM items GROUP BY body ORDER BY body").fetchall()

    def municipalities(self) -> list[str]:
        with self._read() as c:
            return [r[0] for r in c.execute("SELECT DISTINCT municipality FROM items")]

    def corpus(self) -> Corpus:
        with self._read() as c:
            return corpus_of(c)

    # --- passages

    def passages(self, passage_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        """passage id → (row, item id) for the committed ones among ``passage_ids``."""
        with self._read() as c:
            got = _chunked(c, f"{_PASSAGES} WHERE p.passage_id IN ({{}})", list(passage_ids))
            return {pid: (row, iid) for row, pid, iid in got}

    def passages_of(self, item_ids: Iterable[str]) -> list[tuple[str, int, str]]:
        """(passage id, row, item id) of every committed passage of ``item_ids``."""
        with self._read() as c:
            got = _chunked(c, f"{_PASSAGES} WHERE i.item_id IN ({{}})", list(item_ids))
            return [(pid, row, iid) for row, pid, iid in got]

    def row_items(self, rows: Iterable[int]) -> dict[int, str]:
        """row → item id."""
        with self._read() as c:
            return {row: iid for row, _pid, iid in _chunked(c, f"{_PASSAGES} WHERE p.row IN ({{}})", list(rows))}

    def item_no(self, item_id: str) -> int | None:
        with self._read() as c:
            r = c.execute("SELECT item_no FROM items WHERE item_id = ?", (item_id,)).fetchone()
        return r[0] if r else None


def _chunked(c: sqlite3.Connection, sql: str, keys: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (one ``{}`` for the IN list) over ``keys``, a chunk of bound variables at a time."""
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        yield from c.execute(sql.format(_marks(chunk)), chunk)


def _marks(xs: list[Any]) -> str:
    return ",".join("?" * len(xs))


def _where(f: ItemFilter) -> tuple[str, list[Any]]:
    conds, args = ["1"], []
    for col, vals in (("body", f.bodies), ("municipality", f.municipalities), ("section", f.sections)):
        if vals:
            conds.append(f"i.{col} IN ({_marks(list(vals))})")
            args += list(vals)
    if f.date_from:
        conds.append("i.date >= ?")
        args.append(f.date_from)
    if f.date_to:
        conds.append("i.date <= ?")
        args.append(f.date_to)
    if f.case_keys:
        conds.append(f"i.item_no IN (SELECT item_no FROM item_cases WHERE case_key IN ({_marks(list(f.case_keys))}))")
        args += list(f.case_keys)
    return " AND ".join(conds), args
