"""Ingest as named stages: plan (discover, hash, compare) → parse → assemble → embed → commit.

Example::

    from pathlib import Path
    from core.config import Settings
    from ingest.pipeline import run
    summary = run([Path("data/demo")], Settings.from_env())
    print(summary.items_total)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from core import language
from core import store as st
from core.config import Settings
from core.errors import MinutesError, StoreMissingError
from core.items import AgendaItem
from core.store_writer import StoreWriter
from ingest.discover import SUPPORTED, discover, file_sha256  # noqa: F401 - re-exported
from ingest.passages import split_passages
from ingest.report import write_report
from ingest.stages import Assembly, ParsedFile, PassageText, Plan, RunSummary, SourceFile

logger = logging.getLogger(__name__)
TOKENIZER_CHANGED = "sanastoanalyysi vaihtui"
UPGRADE_NOTE = "tallennusmuoto päivitetään: kaikki johdetut osat kirjoitetaan uudelleen kohteista"

Progress = Callable[[str, int, int], None]


def parse_file(path: Path, settings: Settings, user: dict[str, str] | None = None) -> Any:
    """Read and split one file into a ParsedDocument (raises MinutesError subclasses only)."""
    from ingest.parse import parse_file as parse_one

    return parse_one(path, max_bytes=settings.max_file_mb * 2**20, user=user)


def run(paths: list[Path], settings: Settings, *, embedder: Any = None, prune: bool = False,
        rebuild: bool = False, report_path: Path | None = None, show_progress: bool = False,
        progress: Progress | None = None, wait: bool = True,
        on_wait: Callable[[str], None] | None = None, upgrade: bool = False,
        user: dict[str, str] | None = None) -> RunSummary:
    """Ingest ``paths`` into the store of ``settings`` and return what happened.

    Unchanged files (same size and mtime, or same sha256) are not read again; a
    changed file replaces exactly its items; ``prune`` drops files that no
    longer exist or are no longer under the given folders; ``rebuild`` starts
    the store from scratch (needed after changing the embedding model). A bad
    file is reported and skipped, the rest goes in. Broken derived parts
    (lexical index, passages, vectors) are rebuilt from the items; files whose
    items were lost are read again when given. Only one run writes a store at
    a time: another run waits (``wait``) or raises ``StoreBusyError``. ``upgrade`` rewrites every
    derived part from the items in the current format (no file is read again, nothing re-embedded).
    ``user`` holds metadata the user supplied (municipality, body, date) for documents that lack it.

    Raises:
        IndexMismatchError: the store was built with another embedding model.
        StoreBusyError: another ingest holds the store and ``wait`` is False.
        StoreDamagedError: the store lost items and the run was given no files to restore them.
    """
    summary = RunSummary()
    with StoreWriter(settings, wait=wait, on_wait=on_wait) as writer:
        p = plan(paths, settings, writer, summary, prune=prune, rebuild=rebuild, show_progress=show_progress)
        if upgrade and p.manifest.generation:
            p.repairs.append(UPGRADE_NOTE)
        parsed = parse(p, settings, summary, show_progress=show_progress, progress=progress, user=user)
        if not parsed and not p.must_write:
            _check_unchanged_model(p.manifest, embedder, settings)
            summary.items_total = p.manifest.item_count()
            if report_path:
                write_report(report_path, p.manifest, list(p.old_items.values()), summary)
            return summary
        # Something changes: only now load the model (a no-op re-run must not pay for it).
        if embedder is None:
            from core.embedding import embedder_from_settings

            embedder = embedder_from_settings(settings)
        st.check_model(None if p.rebuild or not p.had_items else p.manifest, embedder.name, rebuild=rebuild)
        p.manifest.embedding_model, p.manifest.dim = embedder.name, getattr(embedder, "dim", 0)
        collection = writer.collection(p.manifest.collection, drop=rebuild)
        asm = assemble(p, parsed, summary)
        embed(asm, collection, embedder, summary, show_progress=show_progress, progress=progress,
              refresh_metadata=TOKENIZER_CHANGED in p.repairs)
        commit(writer, asm, collection, summary)
    if report_path:
        write_report(report_path, asm.manifest, asm.items, summary)
    return summary


def plan(paths: list[Path], settings: Settings, writer: StoreWriter, summary: RunSummary, *, prune: bool,
         rebuild: bool, show_progress: bool) -> Plan:
    """Discover and hash files, compare them with the committed state, and find what is broken or gone."""
    from core import tokens

    ins = writer.inspection
    if not paths and ins.manifest is None:
        raise StoreMissingError(f"nothing to repair in {settings.store_dir}")
    old = None if rebuild else ins.manifest
    repairs = [] if rebuild else list(ins.problems)
    old_rows_valid = ins.rows is not None
    if old and old.tokenizer and old.tokenizer != tokens.signature():
        # Base forms from another analyser would not meet the stored ones: re-tokenize every item.
        summary.warnings.append(f"sanastoanalyysi vaihtui ({old.tokenizer} → {tokens.signature()}); "
                                "hakusanasto rakennetaan uudelleen")
        repairs.append(TOKENIZER_CHANGED)
        old_rows_valid = False
    old_items = {} if old is None else ins.items
    files = {k: _forget_lost(e, old_items) for k, e in old.files.items()} if old else {}
    lost = {k for k, e in (old.files.items() if old else []) if len(files[k].item_ids) < len(e.item_ids)}
    roots = sorted(set(old.roots if old else []) | {str(p.resolve()) for p in paths if p.is_dir()})
    manifest = st.Manifest(tokenizer=tokens.signature(), generation=old.generation if old else 0,
                           collection=st.collection_name(settings), files=files, roots=roots,
                           embedding_model=old.embedding_model if old else "", dim=old.dim if old else 0)
    found, bad = discover(paths)
    summary.files_failed.extend(bad)
    summary.files_seen = len(found)
    known_failed = dict(old.failed) if old else {}
    p = Plan(manifest, old_items, {}, [], set(), {}, repairs, rebuild, bool(old and old.item_count()))
    for path in _bar(found, show_progress, "Tarkistetaan"):
        _classify(path, files.get(str(path)), known_failed.get(str(path)), p, summary)
    if old_rows_valid and ins.rows:
        for r in ins.rows:
            p.old_rows.setdefault(r.item_id, []).append(r)
    if prune:
        p.removed = _gone(files, {str(f) for f in found}, [str(x.resolve()) for x in paths if x.is_dir()])
    if lost - {c.key for c in p.changed} - p.removed:
        # Lost items come back only from their files: refuse rather than commit a store that silently lacks them.
        raise st.damage_error(settings.store_dir, ins)
    if p.had_items and not p.changed and not p.repairs and not rebuild:
        missing = writer.vectors_missing(manifest.collection, sum(len(v) for v in p.old_rows.values()))
        if missing:
            p.repairs.append(missing)
    if p.repairs:
        summary.warnings.append("korjataan hakuindeksi: " + "; ".join(p.repairs))
    return p


def _forget_lost(entry: st.FileEntry, items: dict[str, AgendaItem]) -> st.FileEntry:
    """A copy of ``entry``; when some of its items are lost, forgotten (size -1) so the file is read again."""
    kept = [i for i in entry.item_ids if i in items]
    if len(kept) == len(entry.item_ids):
        return replace(entry, item_ids=list(entry.item_ids))
    return replace(entry, sha256="", size=-1, mtime_ns=-1, item_ids=kept)


def _classify(path: Path, entry: st.FileEntry | None, known: dict[str, Any] | None, p: Plan,
              summary: RunSummary) -> None:
    """Unchanged, still refused, or changed (hashed): one discovered file against the store."""
    key = str(path)
    try:
        stat = path.stat()
        if known and known.get("size") == stat.st_size and known.get("mtime_ns") == stat.st_mtime_ns:
            # Refused last time and unchanged since: report again without reading it.
            summary.files_failed.append((key, str(known.get("reason", ""))))
            p.failed_now[key] = known
            return
        if entry and entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
            summary.files_unchanged += 1
            return
        sha = file_sha256(path)
    except OSError as e:
        _fail(p, summary, key, path, f"{key}: Tiedostoa ei voi lukea ({e.strerror or e})")
        return
    if entry and entry.sha256 == sha:
        summary.files_unchanged += 1
        return
    p.changed.append(SourceFile(key, path, sha, stat.st_size, stat.st_mtime_ns))


def _gone(files: dict[str, st.FileEntry], present: set[str], roots: list[str]) -> set[str]:
    """Manifest paths to prune: the file no longer exists, or it is under a given folder but was not found."""
    out = set()
    for key in files:
        under = any(key.startswith(r.rstrip("/") + "/") for r in roots)
        if key not in present and (under or not Path(key).exists()):
            out.add(key)
    return out


def parse(p: Plan, settings: Settings, summary: RunSummary, *, show_progress: bool,
          progress: Progress | None, user: dict[str, str] | None = None) -> list[ParsedFile]:
    """Read and split every changed file; a bad file is recorded and skipped."""
    t0 = time.perf_counter()
    out: list[ParsedFile] = []
    for n, src in enumerate(_bar(p.changed, show_progress, "Luetaan"), 1):
        if progress:
            progress(src.path.name, n, len(p.changed))
        try:
            doc = parse_file(src.path, settings, user)
            if not doc.items:
                raise MinutesError("no § items found", path=src.key)
        except MinutesError as e:
            if e.path is None:
                e.path = src.key
            _fail(p, summary, src.key, src.path, e.message())
            logger.warning("skipped %s: %s", src.key, e.detail)
            continue
        except Exception as e:  # noqa: BLE001 - one broken file must not stop the run
            _fail(p, summary, src.key, src.path, f"{src.key}: Tiedoston käsittely epäonnistui ({type(e).__name__}: {e})")
            logger.exception("failed %s", src.key)
            continue
        summary.warnings.extend(f"{src.path.name}: {w}" for w in getattr(doc, "warnings", []))
        out.append(ParsedFile(src, doc))
    summary.seconds_parse = time.perf_counter() - t0
    return out


def assemble(p: Plan, parsed: list[ParsedFile], summary: RunSummary) -> Assembly:
    """The next state: each item owned by one file (new text first), rows reused where the item is unchanged."""
    manifest = p.manifest
    for key in p.removed:
        summary.files_pruned += 1
        del manifest.files[key]
    fresh = {pf.source.key: pf for pf in parsed}
    for key, pf in fresh.items():
        s, doc = pf.source, pf.doc
        manifest.files[key] = st.FileEntry(
            sha256=s.sha256, size=s.size, mtime_ns=s.mtime_ns, kind=doc.kind, body=doc.body, date=doc.date,
            meeting_number=doc.meeting_number, item_ids=[it.item_id for it in doc.items])
    items: dict[str, AgendaItem] = {}
    owner: dict[str, str] = {}
    # Freshly read files first: a moved or re-read file's text beats what a vanished path left behind.
    for key in [*fresh, *(k for k in list(manifest.files) if k not in fresh)]:
        entry = manifest.files[key]
        candidates = fresh[key].doc.items if key in fresh else [p.old_items[i] for i in entry.item_ids]
        kept = []
        for it in candidates:
            if it.item_id in owner:
                if Path(key).exists():
                    summary.warnings.append(f"{Path(key).name}: {it.citation()} on jo tiedostossa "
                                            f"{Path(owner[it.item_id]).name}; ohitetaan")
                continue
            owner[it.item_id], items[it.item_id] = key, it
            kept.append(it.item_id)
        entry.item_ids = kept
        if not kept and key not in fresh and not Path(key).exists():
            del manifest.files[key]  # moved: every item now comes from its new path
            summary.files_pruned += 1
    rows, texts = _passages(items, p, summary)
    summary.items_deleted = len(set(p.old_items) - set(items))
    summary.files_changed = len(parsed)
    manifest.failed = p.failed_now
    ordered = sorted(items.values(), key=lambda i: (i.body, i.date, i.section, i.kind))
    return Assembly(manifest, ordered, rows, texts)


def _passages(items: dict[str, AgendaItem], p: Plan,
              summary: RunSummary) -> tuple[list[st.PassageRow], dict[str, PassageText]]:
    """Lexical rows of every item, and the texts of the passages split in this run (only those may need vectors).

    An item carried over untouched from the committed state keeps its rows without being split again,
    so adding one meeting costs the meeting, not the store (a repair splits everything).
    """
    from core.tokens import tokenize

    rows: list[st.PassageRow] = []
    texts: dict[str, PassageText] = {}
    for iid, it in items.items():
        prev = p.old_items.get(iid)
        reuse = p.old_rows.get(iid, [])
        if it is prev and reuse and not p.repairs:
            rows.extend(reuse)
            continue
        passages = split_passages(it)
        for ps in passages:
            texts[ps.passage_id] = PassageText(ps.text, st.passage_metadata(it, ps.index))
        if prev is not None and prev.content_hash == it.content_hash and (
                [r.passage_id for r in reuse] == [ps.passage_id for ps in passages]):
            rows.extend(reuse)
            continue
        lang = language.detect(it.text)  # Swedish protokoll get Swedish stems (core.language)
        rows.extend(st.PassageRow(ps.passage_id, iid, ps.index, tokenize(ps.text, lang)) for ps in passages)
        if prev is None or prev.content_hash != it.content_hash:
            summary.items_written += 1
    return rows, texts


def embed(asm: Assembly, collection: Any, embedder: Any, summary: RunSummary, *, show_progress: bool,
          progress: Progress | None, refresh_metadata: bool = False) -> None:
    """Add vectors for the passages split in this run that the collection does not hold yet.

    If the collection still holds fewer vectors than there are rows (vectors lost behind our back),
    every missing one is found and added too.
    """
    t1 = time.perf_counter()
    have = st.existing_ids(collection, asm.texts)
    todo = [pid for pid in asm.texts if pid not in have]
    _embed_into(collection, embedder, todo, asm.texts, show_progress, progress)
    if refresh_metadata:  # a new tokenizer also brings new filter fields (municipality) to kept vectors
        _refresh_metadata(collection, sorted(have), asm.texts)
    if collection.count() < len(asm.rows):
        have = st.existing_ids(collection, [r.passage_id for r in asm.rows])
        lost = {r.item_id for r in asm.rows if r.passage_id not in have}
        more = {ps.passage_id: PassageText(ps.text, st.passage_metadata(it, ps.index))
                for it in asm.items if it.item_id in lost for ps in split_passages(it)}
        extra = [pid for pid in more if pid not in have]
        _embed_into(collection, embedder, extra, more, show_progress, progress)
        todo += extra
    summary.passages_embedded = len(todo)
    summary.seconds_embed = time.perf_counter() - t1


def commit(writer: StoreWriter, asm: Assembly, collection: Any, summary: RunSummary) -> None:
    """Write the generation, switch the manifest to it, drop what it no longer uses."""
    t2 = time.perf_counter()
    writer.commit(asm.manifest, asm.items, asm.rows, collection)
    summary.seconds_write = time.perf_counter() - t2
    summary.items_total = len(asm.items)
    summary.wrote = True


def _check_unchanged_model(m: st.Manifest, embedder: Any, settings: Settings) -> None:
    configured = embedder.name if embedder is not None else settings.embedding_model
    if m.embedding_model and not m.embedding_model.startswith(configured):
        st.check_model(m, configured, rebuild=False)  # raises with the rebuild hint


def _fail(p: Plan, summary: RunSummary, key: str, path: Path, message: str) -> None:
    summary.files_failed.append((key, message))
    _remember_failure(p.failed_now, key, path, message)


def _remember_failure(failed: dict[str, dict[str, Any]], key: str, path: Path, reason: str) -> None:
    try:
        stat = path.stat()
    except OSError:
        return
    failed[key] = {"reason": reason, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _refresh_metadata(collection: Any, ids: list[str], texts: dict[str, PassageText]) -> None:
    """Rewrite the filter metadata of vectors kept from an older run (no re-embedding)."""
    for start in range(0, len(ids), 256):
        chunk = ids[start:start + 256]
        collection.update(ids=chunk, metadatas=[texts[i].meta for i in chunk])


def _embed_into(collection: Any, embedder: Any, todo: list[str], texts: dict[str, PassageText],
                show_progress: bool, progress: Progress | None) -> None:
    chunk = 64
    bar = None
    if show_progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="Upotetaan", unit="kpl", dynamic_ncols=True)
    try:
        for start in range(0, len(todo), chunk):
            ids = todo[start:start + chunk]
            docs = [texts[i].text for i in ids]
            vecs = embedder.embed_documents(docs)
            st.add_vectors(collection, ids, vecs, docs, [texts[i].meta for i in ids])
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


def ensure_demo_index(settings: Settings, progress: Progress | None = None, *, embedder: Any = None,
                      show_progress: bool = True) -> RunSummary | None:
    """Index the built-in demo corpus when the store has no items yet; None when it already has."""
    m = st.load_manifest(settings.store_dir)
    if m is not None and m.item_count():
        return None
    return run([settings.demo_corpus], settings, embedder=embedder, show_progress=show_progress, progress=progress)
