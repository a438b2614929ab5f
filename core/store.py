"""The store: the one module that knows its layout. ``StoreWriter`` for ingest, ``open_snapshot`` for readers.

Layout of ``store_dir`` (written by ``core.store_writer.StoreWriter``)::

    manifest.json          schema, embedding model, files → item ids, current generation, corpus roots
    ingest.lock            held (fcntl.flock) by the one writer at a time
    chroma/                Chroma PersistentClient (unless CHROMA_HOST is set)
    gen-<n>/items.jsonl    every AgendaItem of the generation (the source of truth)
    gen-<n>/passages.jsonl passage id, item id, tokens (derived: rebuilt from the items)
    gen-<n>/bm25/          bm25s index over the passages, rows in passages.jsonl order (derived)

Crash safety: new vectors are added under content-hashed passage ids before
anything else changes; the generation folder is written next; ``manifest.json``
is replaced atomically last. Readers only trust passage ids of the committed
generation, so a killed run leaves the previous state fully queryable, and the
next run finds the vectors it already added and completes the work. The
previous generation is kept one commit longer so that a reader that read the
old manifest a moment before a commit can still load it.

Integrity: ``inspect`` reads what is there without trusting it and lists every
broken part; readers raise ``StoreDamagedError`` naming the parts and the fix,
the writer repairs derived parts from the items and forgets (for re-reading)
the files whose items were lost.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import IndexMismatchError, StoreDamagedError, StoreMissingError
from core.items import AgendaItem
from core.vectors import COLLECTION, chroma_path, get_collection, open_client
from core.vectors import add_vectors as add_vectors  # re-exported: callers use core.store for the whole store
from core.vectors import collection_name as collection_name
from core.vectors import existing_ids as existing_ids
from core.vectors import passage_metadata as passage_metadata

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

SCHEMA_VERSION = 1
FIX_REPAIR = "python -m ingest --repair"
FIX_REREAD = "python -m ingest --repair KANSIO (lukee kadonneiden kohteiden tiedostot uudelleen) " \
             "tai python -m ingest --rebuild KANSIO"


@dataclass
class FileEntry:
    """What the manifest remembers of one source file (size -1: forgotten, read again on the next run)."""

    sha256: str
    size: int
    mtime_ns: int
    kind: str
    body: str
    date: str
    meeting_number: str | None
    item_ids: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    """The committed state of a store."""

    schema: int = SCHEMA_VERSION
    embedding_model: str = ""
    dim: int = 0
    generation: int = 0
    collection: str = COLLECTION
    tokenizer: str = ""  # core.tokens.signature() of the lexical index
    files: dict[str, FileEntry] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)  # source → reason, size, mtime_ns
    roots: list[str] = field(default_factory=list)  # resolved corpus folders ever ingested

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Manifest:
        files = {k: FileEntry(**v) for k, v in d.get("files", {}).items()}
        return cls(
            schema=d.get("schema", SCHEMA_VERSION), embedding_model=d.get("embedding_model", ""),
            dim=d.get("dim", 0), generation=d.get("generation", 0),
            collection=d.get("collection", COLLECTION), tokenizer=d.get("tokenizer", ""), files=files,
            failed={k: v for k, v in d.get("failed", {}).items() if isinstance(v, dict)},
            roots=[str(r) for r in d.get("roots", [])],
        )

    def item_count(self) -> int:
        return sum(len(f.item_ids) for f in self.files.values())


@dataclass
class PassageRow:
    """One lexical row: which item a passage belongs to and its tokens."""

    passage_id: str
    item_id: str
    index: int
    tokens: list[str]


# ---------------------------------------------------------------- layout

def manifest_path(store_dir: Path) -> Path:
    return store_dir / "manifest.json"


def gen_dir(store_dir: Path, generation: int) -> Path:
    return store_dir / f"gen-{generation}"


def lock_path(store_dir: Path) -> Path:
    return store_dir / "ingest.lock"


def generations(store_dir: Path) -> list[int]:
    """Numbers of the generation folders present, newest first."""
    return sorted((int(p.name[4:]) for p in store_dir.glob("gen-*") if p.name[4:].isdigit()), reverse=True)


def load_manifest(store_dir: Path) -> Manifest | None:
    """The committed manifest, or None for a new store.

    Raises:
        StoreDamagedError: manifest.json is empty, truncated or not a manifest.
    """
    p = manifest_path(store_dir)
    if not p.exists():
        return None
    try:
        return Manifest.from_json(json.loads(p.read_text(encoding="utf-8")))
    except (ValueError, TypeError, AttributeError) as e:
        raise StoreDamagedError([f"manifest.json on tyhjä tai katkennut ({type(e).__name__})"],
                                fix=FIX_REPAIR, path=str(store_dir)) from e


def read_items(store_dir: Path, generation: int) -> list[AgendaItem]:
    """Items of a generation (lines that do not parse are skipped; ``inspect`` reports them)."""
    return list(_read_jsonl(gen_dir(store_dir, generation) / "items.jsonl", AgendaItem.from_dict)[0])


def read_rows(store_dir: Path, generation: int) -> list[PassageRow]:
    return list(_read_jsonl(gen_dir(store_dir, generation) / "passages.jsonl", lambda d: PassageRow(**d))[0])


def _read_jsonl(path: Path, make: Callable[[dict[str, Any]], Any],
                raw: list[str] | None = None) -> tuple[list[Any], list[int]]:
    """Parsed lines and the 1-based numbers of lines that did not parse (``raw`` collects good lines)."""
    good: list[Any] = []
    bad: list[int] = []
    if not path.exists():
        return good, bad
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                good.append(make(json.loads(line)))
                if raw is not None:
                    raw.append(line if line.endswith("\n") else line + "\n")
            except (ValueError, TypeError, KeyError, AttributeError):
                bad.append(n)
    return good, bad


# ---------------------------------------------------------------- integrity

@dataclass
class Inspection:
    """What a store holds, read without trusting it, and what is broken."""

    manifest: Manifest | None
    items: dict[str, AgendaItem] = field(default_factory=dict)
    rows: list[PassageRow] | None = None  # None: passages missing or not usable
    problems: list[str] = field(default_factory=list)
    item_lines: dict[str, str] = field(default_factory=dict)  # item id → its JSON line, to copy unchanged
    items_lost: bool = False  # items (the source of truth) are gone: their files must be read again
    manifest_lost: bool = False
    bm25_missing: bool = False


def inspect(store_dir: Path) -> Inspection:
    """Read the committed state and list every broken part (never raises for damage)."""
    try:
        m = load_manifest(store_dir)
    except StoreDamagedError as e:
        return _recover_manifest(store_dir, e.problems)
    if m is None:
        return Inspection(None)
    ins = Inspection(m)
    g = gen_dir(store_dir, m.generation)
    if m.item_count() and not g.is_dir():
        ins.problems.append(f"sukupolven kansio {g.name} puuttuu")
        ins.items_lost = True
        return ins
    _inspect_items(g, m, ins)
    if not m.item_count():
        return ins
    rows, bad = _read_jsonl(g / "passages.jsonl", lambda d: PassageRow(**d))
    if not (g / "passages.jsonl").exists() or bad:
        ins.problems.append(f"{g.name}/passages.jsonl puuttuu tai on vioittunut")
    elif {r.item_id for r in rows} != set(ins.items):
        ins.problems.append(f"{g.name}/passages.jsonl ei vastaa kohteita")
    else:
        ins.rows = rows
    if not (g / "bm25").is_dir():
        ins.problems.append(f"{g.name}/bm25 (sanahakemisto) puuttuu")
        ins.bm25_missing = True
    return ins


def _inspect_items(g: Path, m: Manifest, ins: Inspection) -> None:
    lines: list[str] = []
    items, bad = _read_jsonl(g / "items.jsonl", AgendaItem.from_dict, lines)
    ins.items = {it.item_id: it for it in items}
    ins.item_lines = {it.item_id: line for it, line in zip(items, lines, strict=True)}
    if m.item_count() and not (g / "items.jsonl").exists():
        ins.problems.append(f"{g.name}/items.jsonl puuttuu")
    elif bad:
        ins.problems.append(f"{g.name}/items.jsonl: {len(bad)} vioittunutta riviä (rivi {bad[0]})")
    missing = sum(1 for f in m.files.values() for i in f.item_ids if i not in ins.items)
    if missing:
        ins.items_lost = True
        if not bad and (g / "items.jsonl").exists():
            ins.problems.append(f"{g.name}/items.jsonl: {missing} kohdetta puuttuu")


def _recover_manifest(store_dir: Path, problems: list[str]) -> Inspection:
    """Rebuild a manifest from the newest readable generation's items (files get read again by size -1)."""
    ins = Inspection(None, problems=list(problems), manifest_lost=True)
    for n in generations(store_dir):
        items, _bad = _read_jsonl(gen_dir(store_dir, n) / "items.jsonl", AgendaItem.from_dict)
        if not items:
            continue
        m = Manifest(generation=n)
        for it in items:
            e = m.files.setdefault(it.source, FileEntry("", -1, -1, it.kind, it.body, it.date, it.meeting_number))
            e.item_ids.append(it.item_id)
        ins.manifest, ins.items = m, {it.item_id: it for it in items}
        return ins
    ins.items_lost = True
    return ins


def damage_error(store_dir: Path, ins: Inspection) -> StoreDamagedError:
    fix = FIX_REREAD if ins.items_lost else FIX_REPAIR
    return StoreDamagedError(ins.problems, fix=fix, path=str(store_dir))


# ---------------------------------------------------------------- reader

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

    @classmethod
    def of(cls, m: Manifest | None) -> Corpus:
        if m is None:
            return cls([], [], [])
        refused = [RefusedFile(k, str(v.get("reason", ""))) for k, v in sorted(m.failed.items())]
        return cls(list(m.files), refused, list(m.roots))


def read_corpus(store_dir: Path) -> Corpus:
    """The committed files, refused files and corpus roots (empty for a new store).

    Raises:
        StoreDamagedError: the manifest cannot be read.
    """
    return Corpus.of(load_manifest(store_dir))


@dataclass
class Snapshot:
    """A committed, checked state for readers: items, lexical rows and index, the vector collection."""

    manifest: Manifest
    items: list[AgendaItem]
    rows: list[PassageRow]
    bm25: Any  # bm25s.BM25 or None when there are no rows
    collection: Any

    @property
    def corpus(self) -> Corpus:
        return Corpus.of(self.manifest)


def require_manifest(store_dir: Path) -> Manifest:
    """The committed manifest of a store that has items.

    Raises:
        StoreMissingError: no store or an empty one.
        StoreDamagedError: the manifest cannot be read.
    """
    m = load_manifest(store_dir)
    if m is None or not m.item_count():
        raise StoreMissingError(f"no committed items in {store_dir}")
    return m


def open_snapshot(settings: Settings, embedder_name: str, *, attempts: int = 3) -> Snapshot:
    """Open and check the committed store of ``settings``.

    Raises:
        StoreMissingError: no store or no items.
        StoreDamagedError: a part is broken (names the parts and the fix).
        IndexMismatchError: the store was built with another embedding model.
    """
    import bm25s

    store_dir = settings.store_dir
    for attempt in range(attempts):
        m = require_manifest(store_dir)
        check_model(m, embedder_name, rebuild=False)
        ins = inspect(store_dir)
        collection = None
        if not ins.problems:
            collection, problem = _checked_collection(settings, m, len(ins.rows or []))
            if problem:
                ins.problems.append(problem)
        if ins.problems:
            # A writer may have committed (and cleaned up) between our reads: look again.
            if attempt + 1 < attempts and _generation(store_dir) != m.generation:
                continue
            raise damage_error(store_dir, ins)
        rows = ins.rows or []
        bm = bm25s.BM25.load(str(gen_dir(store_dir, m.generation) / "bm25"), show_progress=False) if rows else None
        items = sorted(ins.items.values(), key=lambda i: (i.body, i.date, i.section, i.kind))
        return Snapshot(m, items, rows, bm, collection)
    raise AssertionError("unreachable")


def _generation(store_dir: Path) -> int | None:
    try:
        m = load_manifest(store_dir)
    except StoreDamagedError:
        return None
    return m.generation if m else None


def _checked_collection(settings: Settings, m: Manifest, n_rows: int) -> tuple[Any, str | None]:
    if not settings.chroma_host and not chroma_path(settings.store_dir).is_dir():
        return None, "vektorikanta chroma/ puuttuu"
    collection = get_collection(open_client(settings), m.collection)
    have = collection.count()
    if have < n_rows:
        return collection, f"vektoreita on {have}, tekstijaksoja {n_rows}"
    return collection, None


def check_model(manifest: Manifest | None, embedder_name: str, *, rebuild: bool) -> None:
    """Refuse to mix vectors of two models.

    Raises:
        IndexMismatchError: the store was built with another model and ``rebuild`` is False.
    """
    if manifest and manifest.embedding_model and manifest.embedding_model != embedder_name and not rebuild:
        raise IndexMismatchError(
            f"store built with {manifest.embedding_model!r}, current model is {embedder_name!r}"
        )
