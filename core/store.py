"""The store: Chroma (dense) + bm25s (lexical) + items, tied by one manifest.

Layout of ``store_dir``::

    manifest.json          schema, embedding model, files → item ids, current generation
    chroma/                Chroma PersistentClient (unless CHROMA_HOST is set)
    gen-<n>/items.jsonl    every AgendaItem of the generation
    gen-<n>/passages.jsonl passage id, item id, tokens (lets a re-run skip re-tokenizing)
    gen-<n>/bm25/          bm25s index over the passages, rows in passages.jsonl order

Crash safety: new vectors are added under content-hashed passage ids before
anything else changes; the generation folder is written next; ``manifest.json``
is replaced atomically last. Readers only trust passage ids of the committed
generation, so a killed run leaves the previous state fully queryable, and the
next run finds the vectors it already added and completes the work.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import IndexMismatchError, StoreMissingError
from core.items import AgendaItem

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

SCHEMA_VERSION = 1
COLLECTION = "minutes-passages"
_ADD_BATCH = 256


@dataclass
class FileEntry:
    """What the manifest remembers of one source file."""

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

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Manifest:
        files = {k: FileEntry(**v) for k, v in d.get("files", {}).items()}
        return cls(
            schema=d.get("schema", SCHEMA_VERSION), embedding_model=d.get("embedding_model", ""),
            dim=d.get("dim", 0), generation=d.get("generation", 0),
            collection=d.get("collection", COLLECTION), tokenizer=d.get("tokenizer", ""), files=files,
            failed={k: v for k, v in d.get("failed", {}).items() if isinstance(v, dict)},
        )


@dataclass
class PassageRow:
    """One lexical row: which item a passage belongs to and its tokens."""

    passage_id: str
    item_id: str
    index: int
    tokens: list[str]


def manifest_path(store_dir: Path) -> Path:
    return store_dir / "manifest.json"


def gen_dir(store_dir: Path, generation: int) -> Path:
    return store_dir / f"gen-{generation}"


def load_manifest(store_dir: Path) -> Manifest | None:
    """The committed manifest, or None for a new store."""
    p = manifest_path(store_dir)
    if not p.exists():
        return None
    return Manifest.from_json(json.loads(p.read_text(encoding="utf-8")))


def check_model(manifest: Manifest | None, embedder_name: str, *, rebuild: bool) -> None:
    """Refuse to mix vectors of two models.

    Raises:
        IndexMismatchError: the store was built with another model and ``rebuild`` is False.
    """
    if manifest and manifest.embedding_model and manifest.embedding_model != embedder_name and not rebuild:
        raise IndexMismatchError(
            f"store built with {manifest.embedding_model!r}, current model is {embedder_name!r}"
        )


def open_client(settings: Settings) -> Any:
    """A Chroma client: a server when CHROMA_HOST is set, else embedded in the store folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = settings.store_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    """Collection name; on a shared server it carries the store folder's name to keep stores apart."""
    if not settings.chroma_host:
        return COLLECTION
    import hashlib

    h = hashlib.sha256(str(settings.store_dir.resolve()).encode()).hexdigest()[:10]
    return f"{COLLECTION}-{h}"


def get_collection(client: Any, name: str) -> Any:
    # No embedding function: vectors always come from our own embedder, and
    # Chroma's default would try to download a model.
    return client.get_or_create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})


def existing_ids(collection: Any, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the collection already holds."""
    wanted = list(ids)
    found: set[str] = set()
    for i in range(0, len(wanted), 1000):
        got = collection.get(ids=wanted[i:i + 1000], include=[])
        found.update(got["ids"])
    return found


def add_vectors(collection: Any, ids: list[str], vectors: list[list[float]], docs: list[str],
                metas: list[dict[str, Any]]) -> None:
    """Add vectors in batches (ids are content hashes, so re-adding is harmless)."""
    for i in range(0, len(ids), _ADD_BATCH):
        collection.upsert(
            ids=ids[i:i + _ADD_BATCH], embeddings=vectors[i:i + _ADD_BATCH],
            documents=docs[i:i + _ADD_BATCH], metadatas=metas[i:i + _ADD_BATCH],
        )


def passage_metadata(item: AgendaItem, index: int) -> dict[str, Any]:
    """Flat Chroma metadata for one passage (filters run on these)."""
    try:  # an item whose date the document did not show is still stored (date_num 0 = unknown)
        y, m, d = (int(x) for x in item.date.split("-"))
    except ValueError:
        y = m = d = 0
    return {
        "item_id": item.item_id, "index": index, "body": item.body, "municipality": item.municipality,
        "date": item.date,
        "date_num": y * 10000 + m * 100 + d, "section": item.section, "kind": item.kind,
        "case_ids": " ".join(item.case_ids), "source": item.source, "page": item.page_start,
    }


def write_generation(store_dir: Path, generation: int, items: list[AgendaItem], rows: list[PassageRow]) -> None:
    """Write items, passages and the bm25s index of one generation (atomically, via a temp folder)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    final = gen_dir(store_dir, generation)
    tmp = Path(tempfile.mkdtemp(prefix=f".gen-{generation}-", dir=store_dir))
    try:
        with open(tmp / "items.jsonl", "w", encoding="utf-8") as f:
            for it in items:
                f.write(json.dumps(it.to_dict(), ensure_ascii=False) + "\n")
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
        if rows:
            bm = bm25s.BM25()
            bm.index([r.tokens or ["_"] for r in rows], show_progress=False)
            bm.save(str(tmp / "bm25"), show_progress=False)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def commit_manifest(store_dir: Path, manifest: Manifest) -> None:
    """Replace manifest.json atomically: the moment the new generation becomes the state."""
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=store_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest.to_json(), f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, manifest_path(store_dir))


def read_items(store_dir: Path, generation: int) -> list[AgendaItem]:
    path = gen_dir(store_dir, generation) / "items.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [AgendaItem.from_dict(json.loads(line)) for line in f if line.strip()]


def read_rows(store_dir: Path, generation: int) -> list[PassageRow]:
    path = gen_dir(store_dir, generation) / "passages.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [PassageRow(**json.loads(line)) for line in f if line.strip()]


def cleanup(store_dir: Path, keep_generation: int, collection: Any, live_ids: set[str]) -> int:
    """Drop older generation folders and vectors the committed state no longer uses.

    Returns:
        How many vectors were deleted.
    """
    for p in store_dir.glob("gen-*"):
        if p.name != f"gen-{keep_generation}":
            shutil.rmtree(p, ignore_errors=True)
    for p in store_dir.glob(".gen-*"):
        shutil.rmtree(p, ignore_errors=True)
    all_ids = set(collection.get(include=[])["ids"])
    stale = sorted(all_ids - live_ids)
    for i in range(0, len(stale), 1000):
        collection.delete(ids=stale[i:i + 1000])
    return len(stale)


def require_manifest(store_dir: Path) -> Manifest:
    """The committed manifest of a store that has items.

    Raises:
        StoreMissingError: no store or an empty one.
    """
    m = load_manifest(store_dir)
    if m is None or not any(f.item_ids for f in m.files.values()):
        raise StoreMissingError(f"no committed items in {store_dir}")
    return m
