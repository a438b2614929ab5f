"""Parse coverage over a folder of real minutes (default: ../shared/corpus/lapua).

Prints: files, items, how many files' items equal their "Käsitellyt asiat" index,
case-ID coverage, body/date agreement with the file names, refused files, parse
time and items per second.

Usage: python bench/parse_coverage.py [FOLDER] [--verbose]
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.errors import MinutesError, NotMinutesError  # noqa: E402
from ingest.clean import find_case_ids, iso_date  # noqa: E402
from ingest.readers import read_document  # noqa: E402
from ingest.split import ParsedDocument, split_document  # noqa: E402

DEFAULT = ROOT / ".." / "shared" / "corpus" / "lapua"
NAME_RE = re.compile(r"^(Pöytäkirja|Esityslista)-(.+?) - (\d{2}\.\d{2}\.\d{4})")


def own_case_id(text: str) -> str | None:
    """The case ID printed on its own line right under the heading and title."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.startswith("§")), 0)
    for ln in lines[start:start + 4]:
        ids = find_case_ids(ln)
        if ids and len(ln) <= len(ids[0]) + 12:
            return ids[0]
    return None


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else DEFAULT
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".pdf", ".txt", ".html", ".htm", ".docx"))
    if not files:
        print(f"no documents under {folder}")
        return 1
    parsed: list[tuple[Path, ParsedDocument]] = []
    refused: list[str] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    for p in files:
        try:
            parsed.append((p, split_document(read_document(p))))
        except NotMinutesError:
            refused.append(p.name)
        except MinutesError as e:
            errors.append(f"{p.name}: {e}")
    secs = time.perf_counter() - t0

    n_items = sum(len(d.items) for _, d in parsed)
    with_index = [(p, d) for p, d in parsed if d.index_sections]
    idx_ok = [(p, d) for p, d in with_index if [it.section for it in d.items] == d.index_sections]
    idx_items = sum(len(d.index_sections) for _, d in with_index)
    idx_found = sum(len(set(d.index_sections) & {it.section for it in d.items}) for _, d in with_index)
    shown = have = own_total = own_ok = 0
    meta_ok = meta_total = 0
    bad_meta: list[str] = []
    for p, d in parsed:
        for it in d.items:
            if find_case_ids(it.text):
                shown += 1
                have += bool(it.case_ids)
            own = own_case_id(it.text)
            if own:
                own_total += 1
                own_ok += it.case_id == own
        m = NAME_RE.match(p.name)
        if m:
            meta_total += 1
            kind = "minutes" if m.group(1) == "Pöytäkirja" else "agenda"
            good = d.body == m.group(2) and d.date == iso_date(m.group(3)) and d.kind == kind
            meta_ok += good
            if not good:
                bad_meta.append(f"{p.name}: got {d.kind} {d.body!r} {d.date}")

    pct = lambda a, b: f"{100.0 * a / b:.1f} %" if b else "n/a"  # noqa: E731
    print(f"folder               {folder.resolve()}")
    print(f"files                {len(files)} (parsed {len(parsed)}, refused as not minutes {len(refused)}, "
          f"errors {len(errors)})")
    print(f"  minutes / agendas  {sum(d.kind == 'minutes' for _, d in parsed)} / "
          f"{sum(d.kind == 'agenda' for _, d in parsed)}")
    print(f"items                {n_items}")
    print(f"index match          {len(idx_ok)}/{len(with_index)} files = {pct(len(idx_ok), len(with_index))}; "
          f"index § found {idx_found}/{idx_items} = {pct(idx_found, idx_items)}")
    print(f"case-ID coverage     {have}/{shown} items showing an ID have one = {pct(have, shown)}; "
          f"own ID first {own_ok}/{own_total} = {pct(own_ok, own_total)}")
    print(f"body+date+kind       {meta_ok}/{meta_total} files agree with the file name = {pct(meta_ok, meta_total)}")
    print(f"items with history   {sum(bool(it.history) for _, d in parsed for it in d.items)}; "
          f"extra §: {sum(it.extra_section for _, d in parsed for it in d.items)}; "
          f"decisions: {sum(bool(it.decision) for _, d in parsed for it in d.items)}")
    print(f"parse time           {secs:.2f} s ({n_items / secs:.0f} items/s, {len(files) / secs:.1f} files/s)")
    if refused:
        print("refused:", *refused, sep="\n  ")
    if errors or bad_meta or verbose:
        for line in errors + bad_meta:
            print("  !", line)
    if verbose:
        for p, d in parsed:
            got = [it.section for it in d.items]
            if d.index_sections and got != d.index_sections:
                print(f"  index mismatch {p.name}: index {d.index_sections} items {got}")
            for w in d.warnings:
                print(f"  warning {p.name}: {w}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
