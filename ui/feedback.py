"""Feedback on answers (👍/👎 and an optional comment), appended as JSONL beside the store.

One line per event; a later line with the same ``id`` supersedes an earlier one
(a comment added after the thumb). ``python -m eval --from-feedback`` reads the
file and turns rated answers into gold-format stubs.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_COMMENT = 2000
_LOCK = threading.Lock()  # many sessions append to one file


def feedback_path(store_dir: Path) -> Path:
    """``<store>-feedback.jsonl`` next to the store folder (not inside it: ingest owns the store)."""
    return store_dir.with_name(store_dir.name + "-feedback.jsonl")


@dataclass
class FeedbackRecord:
    """One rated answer, with what is needed to turn it into a gold question."""

    question: str
    answer: str  # plain text with [n] markers
    citations: list[dict[str, Any]]
    rating: str  # "up" | "down"
    comment: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    as_of: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def append(path: Path, record: FeedbackRecord) -> None:
    """Append one record (one line, written whole under a lock)."""
    record.comment = " ".join(record.comment.split())[:MAX_COMMENT]
    line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, open(path, "a", encoding="utf-8") as f:
        f.write(line)
        f.flush()


def read(path: Path) -> list[FeedbackRecord]:
    """The latest record per id, in first-seen order; broken lines are skipped."""
    latest: dict[str, FeedbackRecord] = {}
    if not path.exists():
        return []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            d = json.loads(line)
            rec = FeedbackRecord(**{k: d[k] for k in d if k in FeedbackRecord.__dataclass_fields__})
        except (ValueError, TypeError, KeyError):
            continue
        latest[rec.id] = rec
    return list(latest.values())
