"""Reading a store of format 1 (``manifest.json`` + ``gen-<n>/items.jsonl``), for ``--upgrade`` only.

Format 1 kept every item as a JSON line and the lexical rows beside it; the upgrade
copies the items (and the rows' tokens, so nothing is tokenized or embedded again) into
format 2 and then removes the old files. Nothing else reads this format.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.items import AgendaItem
from core.store import FileEntry, PassageRow


@dataclass
class OldStore:
    """What a format-1 store held: its manifest values, files, items and lexical rows."""

    embedding_model: str = ""
    dim: int = 0
    collection: str = ""
    tokenizer: str = ""
    files: dict[str, FileEntry] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    rows: list[PassageRow] = field(default_factory=list)
    bad_lines: int = 0


def read(store_dir: Path) -> OldStore:
    """Everything readable of a format-1 store (broken lines are counted and skipped).

    Raises:
        ValueError: manifest.json is not readable JSON.
    """
    m = json.loads((store_dir / "manifest.json").read_text(encoding="utf-8"))
    old = OldStore(m.get("embedding_model", ""), int(m.get("dim", 0)), m.get("collection", ""),
                   m.get("tokenizer", ""), roots=[str(r) for r in m.get("roots", [])],
                   failed={k: v for k, v in m.get("failed", {}).items() if isinstance(v, dict)})
    for key, e in m.get("files", {}).items():
        old.files[key] = FileEntry(e["sha256"], e["size"], e["mtime_ns"], e["kind"], e["body"], e["date"],
                                   e.get("meeting_number"))
    gen = store_dir / f"gen-{int(m.get('generation', 0))}"
    old.items, bad_items = _jsonl(gen / "items.jsonl", AgendaItem.from_dict)
    old.rows, bad_rows = _jsonl(gen / "passages.jsonl", lambda d: PassageRow(d["passage_id"], d["item_id"],
                                                                             d["index"], d["tokens"]))
    old.bad_lines = bad_items + bad_rows
    return old


def _jsonl(path: Path, make: Any) -> tuple[list[Any], int]:
    good, bad = [], 0
    if not path.exists():
        return good, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                good.append(make(json.loads(line)))
            except (ValueError, TypeError, KeyError, AttributeError):
                bad += 1
    return good, bad


def remove(store_dir: Path) -> None:
    """Delete the format-1 files (after the upgraded state is committed)."""
    for p in store_dir.glob("gen-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in store_dir.glob(".gen-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in [store_dir / "manifest.json", *store_dir.glob(".manifest-*")]:
        p.unlink(missing_ok=True)
