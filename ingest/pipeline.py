"""discover → read → split → passages → embed → store, incremental and crash-safe.

Example::

    from pathlib import Path
    from core.config import Settings
    from ingest.pipeline import run
    summary = run([Path("data/demo")], Settings.from_env())
    print(summary.items_total)
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import language
from core import store as st
from core.config import Settings
from core.errors import MinutesError
from core.items import AgendaItem
from ingest.passages import split_passages

logger = logging.getLogger(__name__)

SUPPORTED = {".pdf", ".txt", ".html", ".htm", ".docx"}
Progress = Callable[[str, int, int], None]


@dataclass
class RunSummary:
    """What one ingest run did."""

    files_seen: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_failed: list[tuple[str, str]] = field(default_factory=list)  # (path, Finnish reason)
    files_pruned: int = 0
    items_written: int = 0
    items_deleted: int = 0
    items_total: int = 0
    passages_embedded: int = 0
    seconds_parse: float = 0.0
    seconds_embed: float = 0.0
    seconds_write: float = 0.0
    wrote: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.files_failed


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files under ``paths`` (recursive) with a supported ending, and refusals for explicit others."""
    found: list[Path] = []
    bad: list[tuple[str, str]] = []
    for p in paths:
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in SUPPORTED and not any(
                    part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED:
                found.append(p)
            else:
                bad.append((str(p), f"{p}: Tiedostomuotoa ei tueta (pdf, txt, html, docx)"))
        else:
            bad.append((str(p), f"{p}: Tiedostoa tai kansiota ei löydy"))
    seen: set[Path] = set()
    unique = []
    for f in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique, bad


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_file(path: Path, settings: Settings, user: dict[str, str] | None = None) -> Any:
    """Read and split one file into a ParsedDocument (raises MinutesError subclasses only)."""
    from ingest.parse import parse_file as parse_one

    return parse_one(path, max_bytes=settings.max_file_mb * 2**20, user=user)


def run(paths: list[Path], settings: Settings, *, embedder: Any = None, prune: bool = False,
        rebuild: bool = False, report_path: Path | None = None, show_progress: bool = False,
        progress: Progress | None = None, user: dict[str, str] | None = None) -> RunSummary:
    """Ingest ``paths`` into the store of ``settings`` and return what happened.

    Unchanged files (same size and mtime, or same sha256) are not read again; a
    changed file replaces exactly its items; ``prune`` drops files no longer
    present under the given folders; ``rebuild`` starts the store from scratch
    (needed after changing the embedding model). A bad file is reported and
    skipped, the rest goes in.

    Raises:
        IndexMismatchError: the store was built with another embedding model.
    """
    from core.tokens import tokenize

    summary = RunSummary()
    store_dir = settings.store_dir
    store_dir.mkdir(parents=True, exist_ok=True)
    old = st.load_manifest(store_dir)
    cname = st.collection_name(settings)
    if rebuild:
        old = None
    from core import tokens

    if old and old.tokenizer and old.tokenizer != tokens.signature():
        # Base forms from another analyser would not meet the stored ones: re-tokenize every item.
        summary.warnings.append(f"sanastoanalyysi vaihtui ({old.tokenizer} → {tokens.signature()}); "
                                "hakusanasto rakennetaan uudelleen")
        old_rows_valid = False
    else:
        old_rows_valid = True
    manifest = st.Manifest(tokenizer=tokens.signature(), generation=old.generation if old else 0,
                           collection=cname, files=dict(old.files) if old else {})
    files, bad = discover(paths)
    summary.files_failed.extend(bad)
    summary.files_seen = len(files)

    t0 = time.perf_counter()
    parsed: dict[str, Any] = {}
    known_failed: dict[str, dict[str, Any]] = dict(old.failed) if old and not rebuild else {}
    failed_now: dict[str, dict[str, Any]] = {}
    bar = _bar(files, show_progress, "Luetaan")
    for n, path in enumerate(bar, 1):
        key = str(path)
        if progress:
            progress(path.name, n, len(files))
        entry = manifest.files.get(key)
        known = known_failed.get(key)
        try:
            stat = path.stat()
            if known and known.get("size") == stat.st_size and known.get("mtime_ns") == stat.st_mtime_ns:
                # Refused last time and unchanged since: report again without reading it.
                summary.files_failed.append((key, str(known.get("reason", ""))))
                failed_now[key] = known
                continue
            if entry and entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
                summary.files_unchanged += 1
                continue
            sha = file_sha256(path)
            if entry and entry.sha256 == sha:
                summary.files_unchanged += 1
                continue
            doc = parse_file(path, settings, user)
            if not doc.items:
                raise MinutesError("no § items found", path=key)
        except MinutesError as e:
            if e.path is None:
                e.path = key
            summary.files_failed.append((key, e.message()))
            _remember_failure(failed_now, key, path, e.message())
            logger.warning("skipped %s: %s", key, e.detail)
            continue
        except Exception as e:  # noqa: BLE001 - one broken file must not stop the run
            msg = f"{key}: Tiedoston käsittely epäonnistui ({type(e).__name__}: {e})"
            summary.files_failed.append((key, msg))
            _remember_failure(failed_now, key, path, msg)
            logger.exception("failed %s", key)
            continue
        summary.warnings.extend(f"{path.name}: {w}" for w in getattr(doc, "warnings", []))
        parsed[key] = (doc, sha, stat)
    summary.seconds_parse = time.perf_counter() - t0

    removed: set[str] = set()
    if prune:
        present = {str(f) for f in files}
        roots = [str(p.resolve()) for p in paths if p.is_dir()]
        for key in list(manifest.files):
            if key not in present and any(key.startswith(r.rstrip("/") + "/") for r in roots):
                removed.add(key)
        if not roots:
            summary.warnings.append("--prune poistaa vain annettujen kansioiden tiedostoja; kansiota ei annettu")

    if not parsed and not removed and not rebuild and old is not None and old_rows_valid:
        configured = embedder.name if embedder is not None else settings.embedding_model
        if old.embedding_model and not old.embedding_model.startswith(configured):
            st.check_model(old, configured, rebuild=False)  # raises with the rebuild hint
        summary.items_total = sum(len(f.item_ids) for f in manifest.files.values())
        if report_path:
            _write_report(report_path, manifest, st.read_items(store_dir, manifest.generation), summary)
        return summary

    # Something changes: only now load the model (a no-op re-run must not pay for it).
    if embedder is None:
        from core.embedding import embedder_from_settings

        embedder = embedder_from_settings(settings)
    st.check_model(old, embedder.name, rebuild=rebuild)
    manifest.embedding_model, manifest.dim = embedder.name, getattr(embedder, "dim", 0)
    client = st.open_client(settings)
    if rebuild:
        try:
            client.delete_collection(cname)
        except Exception:  # noqa: BLE001 - absent collection is fine
            pass
    old_items = {it.item_id: it for it in st.read_items(store_dir, old.generation)} if old else {}
    old_rows: dict[str, list[st.PassageRow]] = {}
    if old and old_rows_valid:
        for r in st.read_rows(store_dir, old.generation):
            old_rows.setdefault(r.item_id, []).append(r)

    for key in removed:
        summary.files_pruned += 1
        del manifest.files[key]
    for key, (doc, sha, stat) in parsed.items():
        manifest.files[key] = st.FileEntry(
            sha256=sha, size=stat.st_size, mtime_ns=stat.st_mtime_ns, kind=doc.kind, body=doc.body,
            date=doc.date, meeting_number=doc.meeting_number, item_ids=[it.item_id for it in doc.items])

    items: dict[str, AgendaItem] = {}
    owner: dict[str, str] = {}
    for key, entry in manifest.files.items():
        new_items = parsed[key][0].items if key in parsed else [old_items[i] for i in entry.item_ids if i in old_items]
        kept = []
        for it in new_items:
            if it.item_id in owner:
                summary.warnings.append(
                    f"{Path(key).name}: {it.citation()} on jo tiedostossa {Path(owner[it.item_id]).name}; ohitetaan")
                continue
            owner[it.item_id] = key
            items[it.item_id] = it
            kept.append(it.item_id)
        entry.item_ids = kept

    rows: list[st.PassageRow] = []
    texts: dict[str, tuple[str, dict[str, Any]]] = {}
    for iid, it in items.items():
        prev = old_items.get(iid)
        passages = split_passages(it)
        for p in passages:
            texts[p.passage_id] = (p.text, st.passage_metadata(it, p.index))
        reuse = old_rows.get(iid, [])
        if prev is not None and prev.content_hash == it.content_hash and (
                [r.passage_id for r in reuse] == [p.passage_id for p in passages]):
            item_rows = reuse
        else:
            lang = language.detect(it.text)  # Swedish protokoll get Swedish stems (core.language)
            item_rows = [st.PassageRow(p.passage_id, iid, p.index, tokenize(p.text, lang)) for p in passages]
            summary.items_written += 1
        rows.extend(item_rows)
    summary.items_deleted = len(set(old_items) - set(items))

    t1 = time.perf_counter()
    collection = st.get_collection(client, cname)
    live = {r.passage_id for r in rows}
    have = st.existing_ids(collection, live)
    todo = [pid for pid in (r.passage_id for r in rows) if pid not in have]
    _embed_into(collection, embedder, todo, texts, show_progress, progress)
    if not old_rows_valid:  # a new tokenizer also brings new filter fields (municipality) to old vectors
        _refresh_metadata(collection, sorted(have), texts)
    summary.passages_embedded = len(todo)
    summary.seconds_embed = time.perf_counter() - t1

    t2 = time.perf_counter()
    manifest.generation += 1
    manifest.failed = failed_now
    ordered = sorted(items.values(), key=lambda i: (i.body, i.date, i.section, i.kind))
    st.write_generation(store_dir, manifest.generation, ordered, rows)
    st.commit_manifest(store_dir, manifest)
    st.cleanup(store_dir, manifest.generation, collection, live)
    summary.seconds_write = time.perf_counter() - t2
    summary.files_changed = len(parsed)
    summary.items_total = len(items)
    summary.wrote = True
    if report_path:
        _write_report(report_path, manifest, ordered, summary)
    return summary


def _remember_failure(failed: dict[str, dict[str, Any]], key: str, path: Path, reason: str) -> None:
    try:
        stat = path.stat()
    except OSError:
        return
    failed[key] = {"reason": reason, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _refresh_metadata(collection: Any, ids: list[str], texts: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """Rewrite the filter metadata of vectors kept from an older run (no re-embedding)."""
    for start in range(0, len(ids), 256):
        chunk = ids[start:start + 256]
        collection.update(ids=chunk, metadatas=[texts[i][1] for i in chunk])


def _embed_into(collection: Any, embedder: Any, todo: list[str], texts: dict[str, tuple[str, dict[str, Any]]],
                show_progress: bool, progress: Progress | None) -> None:
    chunk = 64
    bar = None
    if show_progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="Upotetaan", unit="kpl", dynamic_ncols=True)
    try:
        for start in range(0, len(todo), chunk):
            ids = todo[start:start + chunk]
            docs = [texts[i][0] for i in ids]
            vecs = embedder.embed_documents(docs)
            st.add_vectors(collection, ids, vecs, docs, [texts[i][1] for i in ids])
            if bar is not None:
                bar.update(len(ids))
            if progress:
                progress("upotukset", min(start + chunk, len(todo)), len(todo))
    finally:
        if bar is not None:
            bar.close()


def _bar(it: Any, show: bool, desc: str) -> Any:
    if not show:
        return it
    from tqdm import tqdm

    return tqdm(it, desc=desc, unit="tiedosto", dynamic_ncols=True)


def _write_report(path: Path, manifest: st.Manifest, items: list[AgendaItem], summary: RunSummary) -> None:
    by_id = {it.item_id: it for it in items}
    files = []
    for key, e in sorted(manifest.files.items()):
        its = [by_id[i] for i in e.item_ids if i in by_id]
        files.append({
            "source": key, "kind": e.kind, "body": e.body, "date": e.date, "meeting_number": e.meeting_number,
            "items": [{"section": it.section, "extra_section": it.extra_section, "title": it.title,
                       "case_ids": it.case_ids, "pages": [it.page_start, it.page_end],
                       "has_decision": it.has_decision, "provenance": it.provenance}
                      for it in sorted(its, key=lambda x: x.section)],
        })
    data = {
        "files": files,
        "failed": [{"source": s, "reason": r} for s, r in summary.files_failed],
        "summary": {k: v for k, v in summary.__dict__.items() if k not in ("files_failed",)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def ensure_demo_index(settings: Settings, progress: Progress | None = None, *, embedder: Any = None,
                      show_progress: bool = True) -> RunSummary | None:
    """Index the built-in demo corpus when the store has no items yet; None when it already has."""
    m = st.load_manifest(settings.store_dir)
    if m is not None and any(f.item_ids for f in m.files.values()):
        return None
    return run([settings.demo_corpus], settings, embedder=embedder, show_progress=show_progress, progress=progress)
