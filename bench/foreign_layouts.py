"""Readers + splitter over a folder of minutes from many systems; writes a check.py-style report.

Prints per-layout figures when a truth file (foreign-dev ``truth.jsonl``) is given: files,
items (§) found of expected, body, date, case IDs, refusals. No embedding, no store.

Usage: python bench/foreign_layouts.py FOLDER [--truth truth.jsonl] [--report R.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.errors import MinutesError  # noqa: E402
from ingest.parse import parse_file  # noqa: E402

SUFFIXES = (".pdf", ".txt", ".html", ".htm", ".docx")


def report_entry(path: Path) -> tuple[dict, str | None]:
    try:
        d = parse_file(path)
    except MinutesError as e:
        return {"source": str(path), "kind": "refused", "items": []}, e.message()
    return {
        "source": str(path), "kind": d.kind, "body": d.body, "date": d.date, "municipality": d.municipality,
        "items": [{"section": it.section, "title": it.title, "case_ids": it.case_ids, "has_decision": it.has_decision,
                   "body": it.body, "date": it.date, "provenance": it.provenance,
                   "history": [h.label() for h in it.history]} for it in d.items],
    }, None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--truth", type=Path)
    ap.add_argument("--report", type=Path)
    a = ap.parse_args(argv)
    files = sorted(p for p in a.folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    t0 = time.perf_counter()
    entries, refused = [], {}
    for p in files:
        e, why = report_entry(p)
        entries.append(e)
        if why:
            refused[p.name] = why
    secs = time.perf_counter() - t0
    if a.report:
        a.report.write_text(json.dumps({"files": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"files {len(files)}, refused {len(refused)}, items {sum(len(e['items']) for e in entries)}, {secs:.2f} s")
    if a.truth:
        per_layout(entries, a.truth)
    return 0


def per_layout(entries: list[dict], truth_path: Path) -> None:
    rep = {os.path.basename(e["source"]): e for e in entries}
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for line in truth_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        t = json.loads(line)
        s = stats[t["layout"]]
        r = rep.get(os.path.basename(t["file"]), {"items": []})
        if t.get("index_only") or t.get("not_minutes"):
            s["negative ok"][0] += not r["items"] or r.get("kind") != "minutes"
            s["negative ok"][1] += 1
            continue
        got = {it["section"]: it for it in r["items"]}
        for it in t["items"]:
            s["§"][1] += 1
            g = got.get(it["section"])
            s["§"][0] += g is not None
            if it["body"]:
                s["body"][1] += 1
                s["body"][0] += bool(g) and (g["body"] or "").casefold() in {
                    b.casefold() for b in [it["body"], *it.get("body_alternatives", [])]}
            if it["date"]:
                s["date"][1] += 1
                s["date"][0] += bool(g) and g["date"] == it["date"]
            if it["case_id"]:
                s["case ID"][1] += 1
                s["case ID"][0] += bool(g) and it["case_id"] in g["case_ids"]
            s["decision"][1] += 1
            s["decision"][0] += bool(g) and g["has_decision"] == it["has_decision"]
    for layout in sorted(stats):
        figs = ", ".join(f"{k} {a}/{b}" for k, (a, b) in stats[layout].items())
        print(f"  {layout:20s} {figs}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
