"""The values that pass between the ingest stages: plan → parse → assemble → embed → commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import store as st
from core.store_writer import Change


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


@dataclass
class SourceFile:
    """A discovered file whose bytes differ from what the store knows: it is parsed next."""

    key: str
    path: Path
    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Plan:
    """What the committed state is and what this run changes (the output of ``plan``)."""

    meta: st.Meta  # the committed metadata to build on (a copy), tokenizer and collection set
    changed: list[SourceFile]
    removed: set[str]
    failed_now: dict[str, dict[str, Any]]
    repairs: list[str]  # broken parts found; they force a write that rebuilds them
    rebuild: bool
    had_items: bool
    roots: list[str] = field(default_factory=list)  # corpus folders given in this run
    relex: bool = False  # every item's lexical rows are written again (repair, new tokenizer)
    revector: bool = False  # every item's vectors are checked and re-added where missing
    refresh_metadata: bool = False  # kept vectors get today's filter metadata

    @property
    def must_write(self) -> bool:
        return bool(self.changed or self.removed or self.repairs or self.rebuild or self.meta.commits == 0)


@dataclass
class ParsedFile:
    """One changed file read and split into items."""

    source: SourceFile
    doc: Any  # ingest.split.ParsedDocument


@dataclass
class PassageText:
    """What the dense side stores for one passage."""

    text: str
    meta: dict[str, Any]


@dataclass
class Assembly:
    """The next commit, and the texts of the passages that may need vectors."""

    change: Change
    texts: dict[str, PassageText]
    vectors_check_all: bool = False  # compare every committed passage with the collection
