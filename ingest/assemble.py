"""The assemble stage: turn the parsed files into one ``Change`` of the store (what to add, replace, drop).

Only the changed files' items are looked at, so adding a meeting costs the meeting. The
rules of ownership are the same as ever: each item id belongs to one file, a freshly read
file wins over what a vanished path left behind, and a second file repeating an item is
skipped with a warning.
"""

from __future__ import annotations

from pathlib import Path

from core import language
from core import store as st
from core.items import AgendaItem
from core.store_writer import Change, StoreWriter
from ingest.passages import split_passages
from ingest.stages import Assembly, ParsedFile, PassageText, Plan, RunSummary


def assemble(p: Plan, parsed: list[ParsedFile], writer: StoreWriter, summary: RunSummary) -> Assembly:
    """The next commit: files and items added, replaced and dropped; rows and texts of what is new."""
    change = Change(meta=p.meta, failed=p.failed_now, roots=p.roots, relex=p.relex)
    texts: dict[str, PassageText] = {}
    for key in p.removed:
        summary.files_pruned += 1
        change.drop_files.add(key)
        change.drop_items |= {it.item_id for it in writer.items_of(key)}
    fresh = {pf.source.key: pf for pf in parsed}
    owners = writer.owners(it.item_id for pf in parsed for it in pf.doc.items)
    claimed: dict[str, str] = {}
    losers: dict[str, int] = {}  # other files that lose items to a fresh file: how many
    for key, pf in fresh.items():
        s, doc = pf.source, pf.doc
        change.files[key] = st.FileEntry(s.sha256, s.size, s.mtime_ns, doc.kind, doc.body, doc.date,
                                         doc.meeting_number)
        before = {it.item_id for it in writer.items_of(key)}
        for it in doc.items:
            iid = it.item_id
            if iid in claimed:
                summary.warnings.append(f"{Path(key).name}: {it.citation()} on jo tiedostossa "
                                        f"{Path(claimed[iid]).name}; ohitetaan")
                continue
            claimed[iid] = key
            owner = owners.get(iid)
            if owner and owner[0] != key and owner[0] not in fresh and owner[0] not in p.removed:
                losers[owner[0]] = losers.get(owner[0], 0) + 1
                if Path(owner[0]).exists():
                    summary.warnings.append(f"{Path(owner[0]).name}: {it.citation()} on jo tiedostossa "
                                            f"{Path(key).name}; ohitetaan")
            if owner and owner == (key, it.content_hash) and not p.relex:
                continue  # unchanged: stays as committed
            _add(change, texts, it, summary, new=owner is None or owner[1] != it.content_hash)
        change.drop_items |= before - set(claimed)
    for src, n in losers.items():
        if not Path(src).exists() and n >= len(writer.items_of(src)):
            change.drop_files.add(src)  # moved: every item now comes from its new path
            summary.files_pruned += 1
    if p.relex:
        _relex_kept(writer, change, texts, set(claimed) | change.drop_items)
    summary.items_deleted = len(change.drop_items - set(claimed))
    summary.files_changed = len(parsed)
    return Assembly(change, texts, vectors_check_all=p.revector)


def _add(change: Change, texts: dict[str, PassageText], it: AgendaItem, summary: RunSummary, *, new: bool) -> None:
    """Queue ``it`` for writing with freshly split and tokenized passages."""
    change.items.append(it)
    change.rows.extend(rows_for(it, texts))
    if new:
        summary.items_written += 1


def rows_for(it: AgendaItem, texts: dict[str, PassageText] | None = None) -> list[st.PassageRow]:
    """An item's passages as lexical rows (texts of each go to ``texts`` for the dense side)."""
    from core.tokens import tokenize

    lang = language.detect(it.text)  # Swedish protokoll get Swedish stems (core.language)
    out = []
    for ps in split_passages(it):
        if texts is not None:
            texts[ps.passage_id] = PassageText(ps.text, st.passage_metadata(it, ps.index))
        out.append(st.PassageRow(ps.passage_id, it.item_id, ps.index, tokenize(ps.text, lang)))
    return out


def _relex_kept(writer: StoreWriter, change: Change, texts: dict[str, PassageText], skip: set[str]) -> None:
    """Rows of every item this change keeps as it is (a repair or a new tokenizer: O(store), rare)."""
    for it in writer.all_items():
        if it.item_id not in skip:
            change.rows.extend(rows_for(it, texts))


def every_passage_text(writer: StoreWriter) -> dict[str, PassageText]:
    """The text of every committed passage (vectors lost behind our back are re-added from these)."""
    texts: dict[str, PassageText] = {}
    for it in writer.all_items():
        for ps in split_passages(it):
            texts[ps.passage_id] = PassageText(ps.text, st.passage_metadata(it, ps.index))
    return texts
