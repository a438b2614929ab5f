"""Ingest as named stages: plan (discover, hash, compare) → parse → assemble (ingest.assemble) → embed → commit.

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
from pathlib import Path
from typing import Any

from core import store as st
from core.config import Settings
from core.errors import MinutesError, StoreMissingError
from core.store_writer import Change, StoreWriter
from ingest.assemble import assemble, every_passage_text, rows_for
from ingest.discover import SUPPORTED, discover, file_sha256  # noqa: F401 - re-exported
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
        user: dict[str, str] | None = None, repair: bool = False) -> RunSummary:
    """Ingest ``paths`` into the store of ``settings`` and return what happened.

    Unchanged files (same size and mtime, or same sha256) are not read again; a
    changed file replaces exactly its items; ``prune`` drops files that no
    longer exist or are no longer under the given folders; ``rebuild`` starts
    the store from scratch (needed after changing the embedding model). A bad
    file is reported and skipped, the rest goes in. Broken derived parts
    (lexical index, vectors) are rebuilt from the items; an unreadable database
    is set aside and the given files are read again. Only one run writes a store at
    a time: another run waits (``wait``) or raises ``StoreBusyError``. A store of the
    previous format is upgraded first (``upgrade`` asks for only that; nothing is read
    again or re-embedded). ``user`` holds metadata the user supplied (municipality,
    body, date) for documents that lack it. ``repair`` checks every part however large the store
    (a large store's routine runs skip the O(store) counts; see ``core.store.THOROUGH_ITEMS``).

    Raises:
        IndexMismatchError: the store was built with another embedding model.
        StoreBusyError: another ingest holds the store and ``wait`` is False.
        StoreDamagedError: the database is unreadable and the run was given no files to restore it.
    """
    summary = RunSummary()
    with StoreWriter(settings, wait=wait, on_wait=on_wait, thorough=True if repair else None) as writer:
        if writer.inspection.format1 and not rebuild:
            upgrade_format1(writer, settings, summary)
        if (upgrade or repair) and writer.inspection.meta is not None:
            writer.collection(writer.inspection.meta.collection)  # settings an older store lacks (core.vectors)
        p = plan(paths, settings, writer, summary, prune=prune, rebuild=rebuild, show_progress=show_progress)
        parsed = parse(p, settings, summary, show_progress=show_progress, progress=progress, user=user)
        if not parsed and not p.must_write:
            _check_unchanged_model(p.meta, embedder, settings)
            summary.items_total = p.meta.items
            if report_path:
                write_report(report_path, writer, summary)
            return summary
        # Something changes: only now load the model (a no-op re-run must not pay for it).
        if embedder is None:
            from core.embedding import embedder_from_settings

            embedder = embedder_from_settings(settings)
        st.check_model(None if p.rebuild or not p.had_items else p.meta, embedder.name, rebuild=rebuild)
        p.meta.embedding_model, p.meta.dim = embedder.name, getattr(embedder, "dim", 0)
        collection = writer.collection(p.meta.collection, drop=rebuild)
        asm = assemble(p, parsed, writer, summary)
        embed(asm, collection, embedder, summary, show_progress=show_progress, progress=progress,
              refresh_metadata=p.refresh_metadata, writer=writer)
        commit(writer, asm, collection, summary)
        if report_path:
            write_report(report_path, writer, summary)
    return summary


def upgrade_format1(writer: StoreWriter, settings: Settings, summary: RunSummary) -> None:
    """Copy a format-1 store's items, rows and file records into format 2, then remove the old files.

    Vectors stay where they are (same collection, same passage ids): nothing is embedded again.
    """
    from core import store_v1, tokens

    old = store_v1.read(settings.store_dir)
    same_tokens = old.tokenizer == tokens.signature()
    meta = st.Meta(embedding_model=old.embedding_model, dim=old.dim,
                   collection=old.collection or st.collection_name(settings), tokenizer=tokens.signature())
    change = Change(meta=meta, files=old.files, items=old.items, failed=old.failed, roots=old.roots)
    rows = {r.item_id: r for r in old.rows}
    for it in old.items:
        change.rows.extend([r for r in old.rows if r.item_id == it.item_id] if same_tokens and it.item_id in rows
                           else rows_for(it))
    writer.commit(change, writer.collection(meta.collection))
    store_v1.remove(settings.store_dir)
    writer.inspection = st.inspect(settings.store_dir, settings)
    summary.warnings.append(UPGRADE_NOTE)
    summary.wrote = True


def plan(paths: list[Path], settings: Settings, writer: StoreWriter, summary: RunSummary, *, prune: bool,
         rebuild: bool, show_progress: bool) -> Plan:
    """Discover and hash files, compare them with the committed state, and find what is broken or gone."""
    from core import tokens

    ins = writer.inspection
    if not paths and not rebuild and (ins.items_lost or ins.lost_files):
        raise st.damage_error(settings.store_dir, ins)  # lost items come back only from their files
    if not paths and ins.meta is None:
        raise StoreMissingError(f"nothing to repair in {settings.store_dir}")
    if ins.items_lost and not rebuild:
        writer.discard_database()  # kept beside as *.vioittunut; the files given are read again
        summary.warnings.append("korjataan hakuindeksi: " + "; ".join(ins.problems))
        ins = st.Inspection(None)
    forgotten = set(ins.lost_files)
    if rebuild:
        from core import store_v1

        store_v1.remove(settings.store_dir)
        writer.discard_database(keep=False)
        ins = st.Inspection(None)
    old = ins.meta
    repairs = list(ins.problems)
    # The committed collection name wins: a store built embedded and served later by a Chroma server (or
    # the other way) keeps its vectors; only a new store takes the name its settings give.
    meta = st.Meta(tokenizer=tokens.signature(), collection=old.collection if old else st.collection_name(settings),
                   embedding_model=old.embedding_model if old else "", dim=old.dim if old else 0,
                   commits=old.commits if old else 0, items=old.items if old else 0,
                   passages=old.passages if old else 0)
    p = Plan(meta, [], set(), {}, repairs, rebuild, bool(old and old.items),
             roots=sorted({str(x.resolve()) for x in paths if x.is_dir()}),
             relex=ins.lexical_broken, revector=ins.vectors_broken)
    if old and old.tokenizer and old.tokenizer != tokens.signature():
        # Base forms from another analyser would not meet the stored ones: re-tokenize every item.
        summary.warnings.append(f"sanastoanalyysi vaihtui ({old.tokenizer} → {tokens.signature()}); "
                                "hakusanasto rakennetaan uudelleen")
        p.repairs.append(TOKENIZER_CHANGED)
        p.relex = p.refresh_metadata = True
    found, bad = discover(paths)
    summary.files_failed.extend(bad)
    summary.files_seen = len(found)
    known_failed = writer.failed() if old else {}
    reread = _parser_changed(p, old, writer, {str(f) for f in found}, summary)
    for path in _bar(found, show_progress, "Tarkistetaan"):
        entry = writer.file_entry(str(path)) if old and str(path) not in forgotten and not reread else None
        _classify(path, entry, known_failed.get(str(path)), p, summary)
    if prune and old:
        p.removed = _gone(writer.files(), {str(f) for f in found}, [str(x.resolve()) for x in paths if x.is_dir()])
    if p.repairs:
        summary.warnings.append("korjataan hakuindeksi: " + "; ".join(p.repairs))
    return p


def _parser_changed(p: Plan, old: st.Meta | None, writer: StoreWriter, found: set[str], summary: RunSummary) -> bool:
    """Whether the committed items were made by another parser version: then the files of this run are
    read again. The store is stamped with this version only once every committed file is among them."""
    from ingest.parse import PARSER_VERSION

    p.meta.parser = PARSER_VERSION
    if old is None or not old.items or old.parser == PARSER_VERSION:
        return False
    if not set(writer.files()) <= found:
        p.meta.parser = old.parser  # files not given now keep the old reading until they are
    summary.warnings.append(f"jäsennin päivittyi ({old.parser or '1'} → {PARSER_VERSION}); "
                            "annetut tiedostot luetaan uudelleen")
    return True


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


def embed(asm: Assembly, collection: Any, embedder: Any, summary: RunSummary, *, show_progress: bool,
          progress: Progress | None, refresh_metadata: bool = False, writer: StoreWriter | None = None) -> None:
    """Add vectors for the passages split in this run that the collection does not hold yet.

    If the collection holds fewer vectors than the committed passages (vectors lost behind our back),
    every missing one is found and added too (O(store), only then).
    """
    t1 = time.perf_counter()
    have = st.existing_ids(collection, asm.texts)
    todo = [pid for pid in asm.texts if pid not in have]
    _embed_into(collection, embedder, todo, asm.texts, show_progress, progress)
    if refresh_metadata:  # a new tokenizer also brings new filter fields (municipality) to kept vectors
        _refresh_metadata(collection, sorted(have), asm.texts)
    if writer is not None and (asm.vectors_check_all or collection.count() < asm.change.meta.passages):
        more = every_passage_text(writer)
        have = st.existing_ids(collection, more)
        extra = [pid for pid in more if pid not in have and pid not in asm.texts]
        _embed_into(collection, embedder, extra, more, show_progress, progress)
        todo += extra
    summary.passages_embedded = len(todo)
    summary.seconds_embed = time.perf_counter() - t1


def commit(writer: StoreWriter, asm: Assembly, collection: Any, summary: RunSummary) -> None:
    """Apply the change in one transaction and drop the vectors it no longer uses."""
    t2 = time.perf_counter()
    writer.commit(asm.change, collection)
    summary.seconds_write = time.perf_counter() - t2
    summary.items_total = asm.change.meta.items
    summary.wrote = True


def _check_unchanged_model(m: st.Meta, embedder: Any, settings: Settings) -> None:
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
    # Embed in small batches; add to Chroma in large ones (much faster there), but never hold more than
    # a quarter second of embedding work: with a slow model every batch is kept at once if the run dies.
    chunk, flush, hold_s = 64, 2048, 0.25
    bar = None
    if show_progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="Upotetaan", unit="kpl", dynamic_ncols=True)
    pending: tuple[list[str], list[Any]] = ([], [])
    since = time.perf_counter()
    try:
        for start in range(0, len(todo), chunk):
            ids = todo[start:start + chunk]
            pending[0].extend(ids)
            pending[1].extend(embedder.embed_documents([texts[i].text for i in ids]))
            if len(pending[0]) >= flush or start + chunk >= len(todo) or time.perf_counter() - since > hold_s:
                st.add_vectors(collection, pending[0], pending[1], [texts[i].meta for i in pending[0]])
                pending, since = ([], []), time.perf_counter()
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
    m = st.read_meta(settings.store_dir)
    if m is not None and m.items:
        return None
    return run([settings.demo_corpus], settings, embedder=embedder, show_progress=show_progress, progress=progress)
