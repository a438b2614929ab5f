"""The values that pass between the ingest stages: plan → parse → assemble → embed → commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import store as st
from core.items import AgendaItem


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

    manifest: st.Manifest  # the committed manifest to build on (a copy), new roots added
    old_items: dict[str, AgendaItem]
    old_rows: dict[str, list[st.PassageRow]]  # empty when the lexical rows must be rebuilt
    changed: list[SourceFile]
    removed: set[str]
    failed_now: dict[str, dict[str, Any]]
    repairs: list[str]  # broken parts found; they force a write that rebuilds them
    rebuild: bool
    had_items: bool

    @property
    def must_write(self) -> bool:
        return bool(self.changed or self.removed or self.repairs or self.rebuild or self.manifest.generation == 0)


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
    """The next state: manifest, items in store order, lexical rows, and every live passage's text."""

    manifest: st.Manifest
    items: list[AgendaItem]
    rows: list[st.PassageRow]
    texts: dict[str, PassageText]
