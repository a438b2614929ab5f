"""The store: the one module that knows its layout. ``StoreWriter`` writes, ``StoreReader`` reads.

Layout of ``store_dir`` (format 2)::

    store.sqlite      items, passages, files, refused files, corpus roots, metadata, and the
                      lexical index (``core.lexical``): the committed state, one SQLite database (WAL)
    ingest.lock       held (fcntl.flock) by the one writer at a time
    chroma/           Chroma PersistentClient (unless CHROMA_HOST is set)

Why SQLite: adding one meeting must cost the meeting, not the store. Format 1 rewrote
every item, every passage and a bm25s index on each commit (O(store)), and every reader
held all of them in memory. Now a commit is one write transaction that touches the
changed rows only, and a reader fetches the items it shows.

Crash safety: new vectors are added under content-hashed passage ids before the
transaction; the transaction is the commit. Readers trust only passage ids the
committed ``passages`` table holds, so vectors of a killed run never surface, and the
next run finds the vectors it already added. Readers see committed state only: SQLite
gives each read transaction a snapshot (WAL), and the reader wraps one question's
lookups in one transaction.

Format 1 (``manifest.json`` + ``gen-<n>/``) is read only by ``core.store_v1`` for
``python -m ingest --upgrade``.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import IndexMismatchError, StoreDamagedError, StoreMissingError
from core.items import AgendaItem
from core.vectors import COLLECTION, chroma_path
from core.vectors import add_vectors as add_vectors  # re-exported: callers use core.store for the whole store
from core.vectors import collection_name as collection_name
from core.vectors import existing_ids as existing_ids
from core.vectors import get_collection as get_collection
from core.vectors import open_client as open_client
from core.vectors import passage_metadata as passage_metadata
from core.vectors import widen_search as widen_search

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2
DB_NAME = "store.sqlite"
FIX_REPAIR = "python -m ingest --repair"
FIX_REREAD = "python -m ingest --repair KANSIO (lukee aineiston tiedostot uudelleen) " \
             "tai python -m ingest --rebuild KANSIO"
FIX_UPGRADE = "python -m ingest --upgrade"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    kind TEXT NOT NULL, body TEXT NOT NULL, date TEXT NOT NULL, meeting_number TEXT,
    n_items INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS failed (source TEXT PRIMARY KEY, reason TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS roots (root TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS items (
    item_no INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
    municipality TEXT NOT NULL, body TEXT NOT NULL, body_abbr TEXT, date TEXT NOT NULL, kind TEXT NOT NULL,
    section INTEGER, meeting_number TEXT, content_hash TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS items_source ON items(source);
CREATE INDEX IF NOT EXISTS items_date ON items(date);
CREATE INDEX IF NOT EXISTS items_meeting ON items(body, date, municipality, kind);
CREATE TABLE IF NOT EXISTS item_cases (case_key TEXT NOT NULL, item_no INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS item_cases_key ON item_cases(case_key);
CREATE INDEX IF NOT EXISTS item_cases_item ON item_cases(item_no);
-- AUTOINCREMENT: a row number is never given again, so the lexical index's tombstones stay unambiguous.
CREATE TABLE IF NOT EXISTS passages (
    row INTEGER PRIMARY KEY AUTOINCREMENT, passage_id TEXT NOT NULL UNIQUE, item_no INTEGER NOT NULL, idx INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS passages_item ON passages(item_no);
"""


@dataclass
class FileEntry:
    """What the store remembers of one source file (size -1: forgotten, read again on the next run)."""

    sha256: str
    size: int
    mtime_ns: int
    kind: str
    body: str
    date: str
    meeting_number: str | None
    n_items: int = 0  # how many items the file gave (a lower count in ``items`` means items were lost)


@dataclass
class Meta:
    """The store-wide facts: format, embedding model, collection, tokenizer, counts."""

    schema: int = SCHEMA_VERSION
    embedding_model: str = ""
    dim: int = 0
    collection: str = COLLECTION
    tokenizer: str = ""  # core.tokens.signature() of the lexical index
    parser: str = ""  # ingest.parse.PARSER_VERSION that read every committed file ("" before version 2)
    commits: int = 0  # committed transactions so far (a reader's cache key)
    items: int = 0
    passages: int = 0

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> Meta:
        raw = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        m = cls()
        for name, typ in (("schema", int), ("embedding_model", str), ("dim", int), ("collection", str),
                          ("tokenizer", str), ("parser", str), ("commits", int), ("items", int),
                          ("passages", int)):
            if name in raw:
                setattr(m, name, typ(raw[name]))
        return m

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                         [(k, str(v)) for k, v in vars(self).items()])


@dataclass(frozen=True)
class PassageRow:
    """One passage of an item: its id, position, and lexical tokens."""

    passage_id: str
    item_id: str
    index: int
    tokens: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- layout and connections

def db_path(store_dir: Path) -> Path:
    return store_dir / DB_NAME


def lock_path(store_dir: Path) -> Path:
    return store_dir / "ingest.lock"


def is_format1(store_dir: Path) -> bool:
    """A store written by the previous format (``manifest.json`` + ``gen-<n>/``) and not yet upgraded."""
    return (store_dir / "manifest.json").exists() and not db_path(store_dir).exists()


def connect(store_dir: Path, *, create: bool = False) -> sqlite3.Connection:
    """An open connection to the store database (autocommit off only inside explicit transactions).

    Raises:
        StoreMissingError: no database and ``create`` is False.
        StoreDamagedError: the file is not a readable SQLite database of this project.
    """
    path = db_path(store_dir)
    if not create and not path.exists():
        raise StoreMissingError(f"no store database in {store_dir}")
    try:
        conn = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")  # readers keep reading while a writer commits
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives a killed process
        if create:
            from core.lexical import LexicalIndex

            conn.executescript(SCHEMA)
            LexicalIndex.create_schema(conn)
        conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
    except sqlite3.DatabaseError as e:
        raise damaged(store_dir, e) from e
    return conn


def damaged(store_dir: Path, e: Exception) -> StoreDamagedError:
    """The Finnish error for a database SQLite cannot read (the items are in it: files must be read again)."""
    return StoreDamagedError([f"{DB_NAME} on vioittunut tai ei ole tämän ohjelman hakuindeksi ({e})"],
                             fix=FIX_REREAD, path=str(store_dir))


def read_meta(store_dir: Path) -> Meta | None:
    """The committed metadata, or None for a new store.

    Raises:
        StoreDamagedError: the database cannot be read, or the store is in format 1 (fix: --upgrade).
    """
    if is_format1(store_dir):
        raise StoreDamagedError(["hakuindeksi on vanhassa tallennusmuodossa (versio 1)"], fix=FIX_UPGRADE,
                                path=str(store_dir))
    if not db_path(store_dir).exists():
        if chroma_path(store_dir).is_dir():  # vectors without their database: it was deleted
            raise StoreDamagedError([f"{DB_NAME} puuttuu"], fix=FIX_REREAD, path=str(store_dir))
        return None
    conn = connect(store_dir)
    try:
        return Meta.read(conn)
    except sqlite3.DatabaseError as e:
        raise damaged(store_dir, e) from e
    finally:
        conn.close()


def require_items(store_dir: Path) -> Meta:
    """The metadata of a store that has items.

    Raises:
        StoreMissingError: no store or an empty one.
        StoreDamagedError: the database cannot be read.
    """
    m = read_meta(store_dir)
    if m is None or not m.items:
        raise StoreMissingError(f"no committed items in {store_dir}")
    return m


def check_model(meta: Meta | None, embedder_name: str, *, rebuild: bool) -> None:
    """Refuse to mix vectors of two models.

    Raises:
        IndexMismatchError: the store was built with another model and ``rebuild`` is False.
    """
    if meta and meta.embedding_model and meta.embedding_model != embedder_name and not rebuild:
        raise IndexMismatchError(f"store built with {meta.embedding_model!r}, current model is {embedder_name!r}")


# ---------------------------------------------------------------- integrity

@dataclass
class Inspection:
    """What a store holds and what is broken, read without trusting it (cheap: counts, not contents)."""

    meta: Meta | None
    problems: list[str] = field(default_factory=list)
    lexical_broken: bool = False  # derived: rebuilt from the items
    vectors_broken: bool = False  # derived: re-added from the items
    items_lost: bool = False  # the database itself is unreadable: files must be read again
    lost_files: list[str] = field(default_factory=list)  # files some of whose items are gone: read again
    format1: bool = False


#: Up to this many items, every open counts rows and vectors (well under a second); a larger store
#: does that only when asked (``python -m ingest --repair``), because counting is O(store): at 1M
#: items the row counts take ~1.5 s and Chroma's first count ~8 s, more than adding a meeting itself.
THOROUGH_ITEMS = 200_000


def inspect(store_dir: Path, settings: Any = None, *, thorough: bool | None = None) -> Inspection:
    """List every broken part of the committed state (never raises for damage).

    ``thorough`` None: count rows and vectors when the store is small (``THOROUGH_ITEMS``); a
    transaction cannot leave them inconsistent, so the counts only find damage done from outside.
    """
    if is_format1(store_dir):
        return Inspection(None, ["hakuindeksi on vanhassa tallennusmuodossa (versio 1)"], format1=True)
    if not db_path(store_dir).exists():
        lost = chroma_path(store_dir).is_dir()  # vectors without the database: it was deleted
        return Inspection(None, [f"{DB_NAME} puuttuu"] if lost else [], items_lost=lost)
    try:
        conn = connect(store_dir)
        try:
            meta = Meta.read(conn)
            ins = Inspection(meta)
            full = meta.items <= THOROUGH_ITEMS if thorough is None else thorough
            if full:
                _check_counts(conn, meta, ins)
        finally:
            conn.close()
    except (StoreDamagedError, sqlite3.DatabaseError) as e:
        return Inspection(None, [f"{DB_NAME} on vioittunut ({e})"], items_lost=True)
    if meta.passages and settings is not None:
        if full:
            _check_vectors(settings, meta, ins)
        elif not settings.chroma_host and not chroma_path(settings.store_dir).is_dir():
            ins.problems.append("vektorikanta chroma/ puuttuu")
            ins.vectors_broken = True
    return ins


def _check_counts(conn: sqlite3.Connection, meta: Meta, ins: Inspection) -> None:
    from core.lexical import LexicalIndex

    items = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    rows = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    if items != meta.items:
        # Only now the per-file count (O(items)): which files lost items, to be read again.
        ins.lost_files = [r[0] for r in conn.execute(
            "SELECT f.source FROM files f LEFT JOIN (SELECT source, COUNT(*) AS n FROM items GROUP BY source) c "
            "ON c.source = f.source WHERE f.n_items != COALESCE(c.n, 0)")]
        ins.problems.append(f"{DB_NAME}: {meta.items - items} kohdetta puuttuu "
                            f"({len(ins.lost_files)} tiedostoa luetaan uudelleen)")
        ins.lexical_broken = True  # passages of the lost items linger: rebuild them from the items
    if rows != meta.passages:
        ins.problems.append(f"{DB_NAME}: tekstijaksoja {rows}, kirjattu {meta.passages}")
        ins.lexical_broken = True
    if ins.lexical_broken:
        return
    problem = LexicalIndex(conn).check(rows)
    if problem:
        ins.problems.append(f"sanahakemisto: {problem}")
        ins.lexical_broken = True


def _check_vectors(settings: Any, meta: Meta, ins: Inspection) -> None:
    if not settings.chroma_host and not chroma_path(settings.store_dir).is_dir():
        ins.problems.append("vektorikanta chroma/ puuttuu")
        ins.vectors_broken = True
        return
    have = get_collection(open_client(settings), meta.collection).count()
    if have < meta.passages:
        ins.problems.append(f"vektoreita on {have}, tekstijaksoja {meta.passages}")
        ins.vectors_broken = True


def damage_error(store_dir: Path, ins: Inspection) -> StoreDamagedError:
    fix = FIX_UPGRADE if ins.format1 else FIX_REREAD if ins.items_lost or ins.lost_files else FIX_REPAIR
    return StoreDamagedError(ins.problems, fix=fix, path=str(store_dir))


# ---------------------------------------------------------------- what went in

@dataclass(frozen=True)
class RefusedFile:
    """A file ingest refused, with its Finnish reason."""

    source: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    """What went into a store: the files read, the files refused, and the corpus folders."""

    files: list[str]
    refused: list[RefusedFile]
    roots: list[str]  # resolved corpus folders ever ingested (files given one by one add none)


def corpus_of(conn: sqlite3.Connection) -> Corpus:
    files = [r[0] for r in conn.execute("SELECT source FROM files ORDER BY source")]
    refused = [RefusedFile(s, r) for s, r in conn.execute("SELECT source, reason FROM failed ORDER BY source")]
    roots = [r[0] for r in conn.execute("SELECT root FROM roots ORDER BY root")]
    return Corpus(files, refused, roots)


def read_corpus(store_dir: Path) -> Corpus:
    """The committed files, refused files and corpus roots (empty for a new store).

    Raises:
        StoreDamagedError: the database cannot be read.
    """
    if read_meta(store_dir) is None:
        return Corpus([], [], [])
    conn = connect(store_dir)
    try:
        return corpus_of(conn)
    finally:
        conn.close()


def items_in(store_dir: Path) -> list[AgendaItem]:
    """Every committed item, in store order (tools and tests: O(store); the app never calls this)."""
    import json

    conn = connect(store_dir)
    try:
        return [AgendaItem.from_dict(json.loads(d)) for (d,) in conn.execute("SELECT data FROM items ORDER BY item_no")]
    finally:
        conn.close()


def passage_ids_in(store_dir: Path) -> list[str]:
    """Every committed passage id, in row order (tools and tests)."""
    conn = connect(store_dir)
    try:
        return [p for (p,) in conn.execute("SELECT passage_id FROM passages ORDER BY row")]
    finally:
        conn.close()
