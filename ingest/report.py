"""``--report FILE.json``: what an ingest run extracted, file by file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.items import AgendaItem


def write_report(path: Path, writer: Any, summary: Any) -> None:
    """Every committed file with its items (read from the store under the writer's lock)."""
    files = []
    for key, e in sorted(writer.files().items()):
        its: list[AgendaItem] = writer.items_of(key)
        files.append({
            "source": key, "kind": e.kind, "body": e.body, "date": e.date, "meeting_number": e.meeting_number,
            "items": [{"section": it.section, "extra_section": it.extra_section, "title": it.title,
                       "case_ids": it.case_ids, "pages": [it.page_start, it.page_end],
                       "has_decision": it.has_decision, "provenance": it.provenance} for it in sorted(its, key=lambda x: x.section)],
        })
    data = {
        "files": files,
        "failed": [{"source": s, "reason": r} for s, r in summary.files_failed],
        "summary": {k: v for k, v in summary.__dict__.items() if k not in ("files_failed",)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
