"""The writing side of the store: one writer at a time (``ingest.lock``), one transaction per commit.

Layout and integrity rules live in ``core.store``; this module only writes what that
module describes. A commit is a ``Change`` (what this run adds, replaces and drops),
so its cost follows the change, not the store.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from core import caseids
from core.config import Settings
from core.errors import StoreBusyError
from core.items import AgendaItem
from core.lexical import LexicalIndex
from core.store import (
    FileEntry,
    Inspection,
    Meta,
    PassageRow,
    connect,
    damaged,
    get_collection,
    inspect,
    lock_path,
    open_client,
    widen_search,
)


@dataclass
class Change:
    """One commit: rows upserted and dropped. Items in ``items`` replace any item of the same id."""

    meta: Meta
    files: dict[str, FileEntry] = field(default_factory=dict)  # upserted
    drop_files: set[str] = field(default_factory=set)
    items: list[AgendaItem] = field(default_factory=list)  # new or changed (their passages in ``rows``)
    rows: list[PassageRow] = field(default_factory=list)
    drop_items: set[str] = field(default_factory=set)
    failed: dict[str, dict[str, Any]] | None = None  # None: keep; else the whole new set
    roots: list[str] = field(default_factory=list)  # added
    relex: bool = False  # rebuild the lexical index from ``rows`` of every item (repair, new tokenizer)


class StoreWriter:
    """The one writer of a store: holds ``ingest.lock`` from open to close.

    Example::

        with StoreWriter(settings, on_wait=print) as w:
            state = w.inspection          # what is committed, and what is broken
            w.commit(change, collection)
    """

    def __init__(self, settings: Settings, *, wait: bool = True, on_wait: Callable[[str], None] | None = None,
                 thorough: bool | None = None) -> None:
        self.settings = settings
        self.thorough = thorough  # count rows and vectors on open (None: when the store is small)
        self.store_dir = settings.store_dir
        self.wait, self.on_wait = wait, on_wait
        self._fd: int | None = None
        self._client: Any = None
        self._conn: sqlite3.Connection | None = None
        self.inspection = Inspection(None)

    def __enter__(self) -> StoreWriter:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(lock_path(self.store_dir), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not self.wait:
                self._release()
                raise StoreBusyError(str(self.store_dir)) from None
            if self.on_wait:
                self.on_wait(f"Toinen tuonti kirjoittaa jo hakuindeksiin {self.store_dir}; "
                             "odotetaan sen valmistumista (Ctrl+C keskeyttää)…")
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        # Read only under the lock: what the previous writer committed is what we build on.
        self.inspection = inspect(self.store_dir, self.settings, thorough=self.thorough)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._release()

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    # --- reading the committed state (under the lock)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.store_dir, create=True)
        return self._conn

    def discard_database(self, *, keep: bool = True) -> None:
        """Move an unreadable database aside (kept for inspection, or deleted) so that a new one can be written."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        from core.store import db_path

        p = db_path(self.store_dir)
        for suffix in ("", "-wal", "-shm"):
            q = p.with_name(p.name + suffix)
            if q.exists() and keep:
                os.replace(q, q.with_name(q.name + ".vioittunut"))
            elif q.exists():
                q.unlink()

    def file_entry(self, source: str) -> FileEntry | None:
        r = self.conn.execute("SELECT sha256, size, mtime_ns, kind, body, date, meeting_number FROM files "
                              "WHERE source = ?", (source,)).fetchone()
        return FileEntry(*r) if r else None

    def files(self) -> dict[str, FileEntry]:
        rows = self.conn.execute("SELECT source, sha256, size, mtime_ns, kind, body, date, meeting_number FROM files")
        return {r[0]: FileEntry(*r[1:]) for r in rows}

    def failed(self) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT source, reason, size, mtime_ns FROM failed")
        return {s: {"reason": r, "size": z, "mtime_ns": m} for s, r, z, m in rows}

    def roots(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT root FROM roots ORDER BY root")]

    def items_of(self, source: str) -> list[AgendaItem]:
        rows = self.conn.execute("SELECT data FROM items WHERE source = ? ORDER BY item_no", (source,))
        return [AgendaItem.from_dict(json.loads(r[0])) for r in rows]

    def owners(self, item_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """item id → (source, content hash) for those of ``item_ids`` the store holds."""
        out: dict[str, tuple[str, str]] = {}
        ids = list(item_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT item_id, source, content_hash FROM items WHERE item_id IN ({','.join('?' * len(chunk))})"
            out.update({r[0]: (r[1], r[2]) for r in self.conn.execute(q, chunk)})
        return out

    def passage_ids(self, item_ids: Iterable[str]) -> dict[str, list[str]]:
        """item id → its committed passage ids, in order."""
        out: dict[str, list[str]] = {}
        ids = list(item_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = ("SELECT i.item_id, p.passage_id FROM passages p JOIN items i ON i.item_no = p.item_no "
                 f"WHERE i.item_id IN ({','.join('?' * len(chunk))}) ORDER BY p.item_no, p.idx")
            for iid, pid in self.conn.execute(q, chunk):
                out.setdefault(iid, []).append(pid)
        return out

    def all_items(self, batch: int = 2000) -> Iterator[AgendaItem]:
        """Every committed item in store order (repairs and upgrades only: O(store))."""
        last = -1
        while True:
            rows = self.conn.execute("SELECT item_no, data FROM items WHERE item_no > ? ORDER BY item_no LIMIT ?",
                                     (last, batch)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (AgendaItem.from_dict(json.loads(d)) for _n, d in rows)

    def all_passage_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT passage_id FROM passages")}

    # --- the dense side

    def collection(self, name: str, *, drop: bool = False) -> Any:
        if self._client is None:
            self._client = open_client(self.settings)
        if drop:
            try:
                self._client.delete_collection(name)
            except Exception:  # noqa: BLE001 - absent collection is fine
                pass
        return widen_search(get_collection(self._client, name))

    # --- committing

    def commit(self, change: Change, collection: Any) -> int:
        """Apply ``change`` in one transaction, then drop the vectors nothing uses any more.

        Returns:
            How many stale vectors were deleted.
        """
        assert self._fd is not None, "commit outside the writer lock"
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            dropped = _apply(conn, change)
            LexicalIndex(conn).maybe_compact()  # inside the transaction: a crash never leaves half a merge
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        live = {r.passage_id for r in change.rows}
        stale = sorted(dropped - live)
        _delete(collection, stale)
        meta = Meta.read(conn)
        if collection.count() > meta.passages:
            # Vectors a killed run added and nobody committed: the one O(store) clean-up, rare.
            extra = sorted(set(collection.get(include=[])["ids"]) - self.all_passage_ids())
            _delete(collection, extra)
            stale += extra
        return len(stale)


def _apply(conn: sqlite3.Connection, change: Change) -> set[str]:
    """Write ``change`` inside the open transaction; returns the passage ids it removed."""
    lex = LexicalIndex(conn)
    dropped: set[str] = set()
    if change.relex:  # passages and the lexical index are written again from ``rows`` (every item's)
        dropped = {r[0] for r in conn.execute("SELECT passage_id FROM passages")}
        conn.execute("DELETE FROM passages")
        lex.clear()
    for src in change.drop_files:
        conn.execute("DELETE FROM files WHERE source = ?", (src,))
    gone = set(change.drop_items) | {it.item_id for it in change.items}
    d, touched = _delete_items(conn, lex, gone)
    dropped |= d
    conn.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                     [(k, e.sha256, e.size, e.mtime_ns, e.kind, e.body, e.date, e.meeting_number)
                      for k, e in change.files.items()])
    numbers = {it.item_id: _insert_item(conn, it) for it in change.items}
    if change.relex:
        numbers.update(conn.execute("SELECT item_id, item_no FROM items").fetchall())
    lexical: list[tuple[int, int, list[str]]] = []
    for r in change.rows:
        no = numbers.get(r.item_id)
        if no is not None:
            row = conn.execute("INSERT INTO passages(passage_id, item_no, idx) VALUES (?, ?, ?)",
                               (r.passage_id, no, r.index)).lastrowid
            lexical.append((row, no, r.tokens))
    lex.add(lexical)
    touched |= set(change.files) | {it.source for it in change.items}
    conn.executemany("UPDATE files SET n_items = (SELECT COUNT(*) FROM items WHERE items.source = files.source) "
                     "WHERE source = ?", [(t,) for t in touched])
    if change.failed is not None:
        conn.execute("DELETE FROM failed")
        conn.executemany("INSERT INTO failed VALUES (?, ?, ?, ?)",
                         [(k, str(v.get("reason", "")), int(v.get("size", -1)), int(v.get("mtime_ns", -1)))
                          for k, v in change.failed.items()])
    conn.executemany("INSERT OR IGNORE INTO roots VALUES (?)", [(r,) for r in change.roots])
    meta = change.meta
    meta.commits = Meta.read(conn).commits + 1
    meta.items = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    meta.passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    meta.write(conn)
    return dropped


def _insert_item(conn: sqlite3.Connection, it: AgendaItem) -> int:
    cur = conn.execute(
        "INSERT INTO items(item_id, source, municipality, body, body_abbr, date, kind, section, meeting_number, "
        "content_hash, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (it.item_id, it.source, it.municipality, it.body, it.body_abbr, it.date, it.kind, it.section,
         it.meeting_number, it.content_hash, json.dumps(it.to_dict(), ensure_ascii=False)))
    no = int(cur.lastrowid)
    conn.executemany("INSERT INTO item_cases VALUES (?, ?)", [(c, no) for c in {caseids.key(c) for c in it.case_ids}])
    return no


def _delete_items(conn: sqlite3.Connection, lex: LexicalIndex, item_ids: set[str]) -> tuple[set[str], set[str]]:
    """Delete items with their passages and lexical rows; returns (passage ids dropped, their sources)."""
    ids = sorted(item_ids)
    dropped: set[str] = set()
    sources: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        got = conn.execute(f"SELECT item_no, source FROM items WHERE item_id IN ({','.join('?' * len(chunk))})",
                           chunk).fetchall()
        if not got:
            continue
        nos = [n for n, _s in got]
        sources.update(src for _n, src in got)
        marks = ",".join("?" * len(nos))
        rows = conn.execute(f"SELECT row, passage_id FROM passages WHERE item_no IN ({marks})", nos).fetchall()
        dropped.update(pid for _r, pid in rows)
        lex.remove([r for r, _p in rows])
        conn.execute(f"DELETE FROM passages WHERE item_no IN ({marks})", nos)
        conn.execute(f"DELETE FROM item_cases WHERE item_no IN ({marks})", nos)
        conn.execute(f"DELETE FROM items WHERE item_no IN ({marks})", nos)
    return dropped, sources


def _delete(collection: Any, ids: list[str]) -> None:
    for i in range(0, len(ids), 1000):
        collection.delete(ids=ids[i:i + 1000])


__all__ = ["Change", "StoreWriter", "damaged"]
