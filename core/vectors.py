"""The store's vector collection (Chroma): client, collection, batched adds and passage metadata.

Part of the store (:mod:`core.store` re-exports these); the vectors live in the store's
``chroma/`` folder, or on a Chroma server when CHROMA_HOST is set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from core.config import Settings
from core.items import AgendaItem

COLLECTION = "minutes-passages"
_ADD_BATCH = 2048  # Chroma adds ~4× faster in batches of thousands than of hundreds (bench/scale.py)
T = TypeVar("T")


def chroma_path(store_dir: Path) -> Path:
    return store_dir / "chroma"


def open_client(settings: Settings) -> Any:
    """A Chroma client: a server when CHROMA_HOST is set, else embedded in the store folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = chroma_path(settings.store_dir)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    """Collection name; on a shared server it carries the store folder's name to keep stores apart."""
    if not settings.chroma_host:
        return COLLECTION
    import hashlib

    h = hashlib.sha256(str(settings.store_dir.resolve()).encode()).hexdigest()[:10]
    return f"{COLLECTION}-{h}"


#: How many candidates the HNSW graph search keeps (Chroma's default is 100). Measured on 137 Lapua
#: questions against an exact search of all 5,221 passages (bench/dense_recall.py): at 100 the true best
#: passage was missed for 2 % of the questions and recall@40 was 0.97; at 400, 0.99 and 1.00. Search
#: time grows slowly with it; building is not affected.
SEARCH_EF = 400


def get_collection(client: Any, name: str) -> Any:
    # No embedding function: vectors always come from our own embedder, and
    # Chroma's default would try to download a model.
    return client.get_or_create_collection(name, embedding_function=None,
                                           configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}})


def widen_search(collection: Any) -> Any:
    """Raise the collection's ``ef_search`` to :data:`SEARCH_EF` if a store built before had less.

    Only the writer calls this: changing the collection's configuration is a write."""
    hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
    if hnsw.get("ef_search", SEARCH_EF) < SEARCH_EF:
        when_unlocked(lambda: collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}}))
    return collection


def when_unlocked(change: Callable[[], T], *, attempts: int = 8, pause_s: float = 0.05) -> T:
    """Run a change to the embedded store, waiting out SQLite's "database is locked".

    Embedded Chroma compacts its log in a background thread after a write; a configuration change
    that meets it fails at once (about 1 run in 8 of a write followed by ``modify``). A moment later
    it goes through: the wait doubles from 50 ms, about 6 s in all before the error is raised.
    """
    for attempt in range(attempts - 1):
        try:
            return change()
        except Exception as exc:  # chromadb raises InternalError; only the lock is waited out
            if "database is locked" not in str(exc):
                raise
            time.sleep(pause_s * 2 ** attempt)
    return change()


def existing_ids(collection: Any, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the collection already holds."""
    wanted = list(ids)
    found: set[str] = set()
    for i in range(0, len(wanted), 1000):
        got = collection.get(ids=wanted[i:i + 1000], include=[])
        found.update(got["ids"])
    return found


def add_vectors(collection: Any, ids: list[str], vectors: list[list[float]], metas: list[dict[str, Any]]) -> None:
    """Add vectors in batches (ids are content hashes, so re-adding is harmless).

    No document text goes to Chroma: the items in ``store.sqlite`` hold it, and a second copy
    doubled the disk and slowed every add.
    """
    for i in range(0, len(ids), _ADD_BATCH):
        collection.upsert(ids=ids[i:i + _ADD_BATCH], embeddings=vectors[i:i + _ADD_BATCH],
                          metadatas=metas[i:i + _ADD_BATCH])


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
