"""The writing side of the store: one writer at a time (``ingest.lock``), atomic generations.

Layout and integrity rules live in ``core.store``; this module only writes what
that module describes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import StoreBusyError
from core.items import AgendaItem
from core.store import (
    Inspection,
    Manifest,
    PassageRow,
    chroma_path,
    gen_dir,
    generations,
    get_collection,
    inspect,
    lock_path,
    manifest_path,
    open_client,
)


class StoreWriter:
    """The one writer of a store: holds ``ingest.lock`` from open to close.

    Example::

        with StoreWriter(settings, on_wait=print) as w:
            state = w.inspection          # what is committed, and what is broken
            w.commit(manifest, items, rows, live_ids)
    """

    def __init__(self, settings: Settings, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.store_dir = settings.store_dir
        self.wait, self.on_wait = wait, on_wait
        self._fd: int | None = None
        self._client: Any = None
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
        self.inspection = inspect(self.store_dir)
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def vectors_missing(self, collection_name: str, n_rows: int) -> str | None:
        """Why vectors must be re-added (chroma/ gone or fewer vectors than rows), else None."""
        if not self.settings.chroma_host and not chroma_path(self.store_dir).is_dir():
            return "vektorikanta chroma/ puuttuu"
        have = self.collection(collection_name).count()
        return f"vektoreita on {have}, tekstijaksoja {n_rows}" if have < n_rows else None

    def collection(self, name: str, *, drop: bool = False) -> Any:
        if self._client is None:
            self._client = open_client(self.settings)
        if drop:
            try:
                self._client.delete_collection(name)
            except Exception:  # noqa: BLE001 - absent collection is fine
                pass
        return get_collection(self._client, name)

    def commit(self, manifest: Manifest, items: list[AgendaItem], rows: list[PassageRow], collection: Any) -> int:
        """Write the next generation, make it the state, and drop what it no longer uses.

        Returns:
            How many stale vectors were deleted.
        """
        assert self._fd is not None, "commit outside the writer lock"
        manifest.generation = max(manifest.generation, max(generations(self.store_dir), default=0)) + 1
        # Items carried over untouched are copied as their committed JSON line, not serialised again.
        old, lines = self.inspection.items, self.inspection.item_lines
        unchanged = {it.item_id: lines[it.item_id] for it in items
                     if old.get(it.item_id) is it and it.item_id in lines}
        _write_generation(self.store_dir, manifest.generation, items, rows, unchanged)
        _commit_manifest(self.store_dir, manifest)
        previous = {r.passage_id for r in self.inspection.rows or []}
        return _cleanup(self.store_dir, manifest.generation, collection, {r.passage_id for r in rows}, previous)


def _write_generation(store_dir: Path, generation: int, items: list[AgendaItem], rows: list[PassageRow],
                      unchanged: dict[str, str]) -> None:
    """Write items, passages and the bm25s index of one generation (atomically, via a temp folder)."""
    import bm25s

    final = gen_dir(store_dir, generation)
    tmp = Path(tempfile.mkdtemp(prefix=f".gen-{generation}-", dir=store_dir))
    try:
        with open(tmp / "items.jsonl", "w", encoding="utf-8") as f:
            for it in items:
                line = unchanged.get(it.item_id)
                f.write(line if line is not None else json.dumps(it.to_dict(), ensure_ascii=False) + "\n")
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({"passage_id": r.passage_id, "item_id": r.item_id, "index": r.index,
                                    "tokens": r.tokens}, ensure_ascii=False) + "\n")
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


def _commit_manifest(store_dir: Path, manifest: Manifest) -> None:
    """Replace manifest.json atomically: the moment the new generation becomes the state."""
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=store_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest.to_json(), f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, manifest_path(store_dir))


def _cleanup(store_dir: Path, generation: int, collection: Any, live_ids: set[str], previous_ids: set[str]) -> int:
    """Drop older generations, temp folders, and vectors the committed state no longer uses.

    The previous generation's dropped passages are deleted by id; only when the collection still holds
    more than the live set (vectors a killed run added and nobody committed) is every id listed.

    Returns:
        How many vectors were deleted.
    """
    for p in store_dir.glob("gen-*"):
        if p.name != f"gen-{generation}":
            shutil.rmtree(p, ignore_errors=True)
    for p in store_dir.glob(".gen-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in store_dir.glob(".manifest-*"):
        p.unlink(missing_ok=True)
    stale = sorted(previous_ids - live_ids)
    _delete(collection, stale)
    if collection.count() > len(live_ids):
        extra = sorted(set(collection.get(include=[])["ids"]) - live_ids)
        _delete(collection, extra)
        stale += extra
    return len(stale)


def _delete(collection: Any, ids: list[str]) -> None:
    for i in range(0, len(ids), 1000):
        collection.delete(ids=ids[i:i + 1000])
