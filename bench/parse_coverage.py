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
from dataclasses import dataclass, field
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


@dataclass
class ParseRun:
    """Every document under the folder, parsed once, and how long that took."""

    files: list[Path]
    parsed: list[tuple[Path, ParsedDocument]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    secs: float = 0.0


@dataclass
class Coverage:
    """Counts comparing the parsed items with what the documents themselves show."""

    n_items: int = 0
    index_files: int = 0
    index_ok: int = 0
    index_items: int = 0
    index_found: int = 0
    shown: int = 0  # items whose text shows a case ID
    have: int = 0  # ... of which the parser kept one
    own_total: int = 0
    own_ok: int = 0
    meta_total: int = 0
    meta_ok: int = 0
    bad_meta: list[str] = field(default_factory=list)


def find_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".pdf", ".txt", ".html", ".htm", ".docx"))


def parse_all(files: list[Path]) -> ParseRun:
    run = ParseRun(files)
    t0 = time.perf_counter()
    for p in files:
        try:
            run.parsed.append((p, split_document(read_document(p))))
        except NotMinutesError:
            run.refused.append(p.name)
        except MinutesError as e:
            run.errors.append(f"{p.name}: {e}")
    run.secs = time.perf_counter() - t0
    return run


def _count_index(cov: Coverage, parsed: list[tuple[Path, ParsedDocument]]) -> None:
    with_index = [d for _, d in parsed if d.index_sections]
    cov.index_files = len(with_index)
    cov.index_ok = sum([it.section for it in d.items] == d.index_sections for d in with_index)
    cov.index_items = sum(len(d.index_sections) for d in with_index)
    cov.index_found = sum(len(set(d.index_sections) & {it.section for it in d.items}) for d in with_index)


def _count_case_ids(cov: Coverage, d: ParsedDocument) -> None:
    for it in d.items:
        if find_case_ids(it.text):
            cov.shown += 1
            cov.have += bool(it.case_ids)
        own = own_case_id(it.text)
        if own:
            cov.own_total += 1
            cov.own_ok += it.case_id == own


def _check_file_name(cov: Coverage, p: Path, d: ParsedDocument) -> None:
    m = NAME_RE.match(p.name)
    if not m:
        return
    cov.meta_total += 1
    kind = "minutes" if m.group(1) == "Pöytäkirja" else "agenda"
    good = d.body == m.group(2) and d.date == iso_date(m.group(3)) and d.kind == kind
    cov.meta_ok += good
    if not good:
        cov.bad_meta.append(f"{p.name}: got {d.kind} {d.body!r} {d.date}")


def measure(parsed: list[tuple[Path, ParsedDocument]]) -> Coverage:
    cov = Coverage(n_items=sum(len(d.items) for _, d in parsed))
    _count_index(cov, parsed)
    for p, d in parsed:
        _count_case_ids(cov, d)
        _check_file_name(cov, p, d)
    return cov


def _pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def print_summary(folder: Path, run: ParseRun, cov: Coverage) -> None:
    parsed, pct = run.parsed, _pct
    print(f"folder               {folder.resolve()}")
    print(f"files                {len(run.files)} (parsed {len(parsed)}, refused as not minutes {len(run.refused)}, "
          f"errors {len(run.errors)})")
    print(f"  minutes / agendas  {sum(d.kind == 'minutes' for _, d in parsed)} / "
          f"{sum(d.kind == 'agenda' for _, d in parsed)}")
    print(f"items                {cov.n_items}")
    print(f"index match          {cov.index_ok}/{cov.index_files} files = {pct(cov.index_ok, cov.index_files)}; "
          f"index § found {cov.index_found}/{cov.index_items} = {pct(cov.index_found, cov.index_items)}")
    print(f"case-ID coverage     {cov.have}/{cov.shown} items showing an ID have one = {pct(cov.have, cov.shown)}; "
          f"own ID first {cov.own_ok}/{cov.own_total} = {pct(cov.own_ok, cov.own_total)}")
    print(f"body+date+kind       {cov.meta_ok}/{cov.meta_total} files agree with the file name = "
          f"{pct(cov.meta_ok, cov.meta_total)}")
    print(f"items with history   {sum(bool(it.history) for _, d in parsed for it in d.items)}; "
          f"extra §: {sum(it.extra_section for _, d in parsed for it in d.items)}; "
          f"decisions: {sum(bool(it.decision) for _, d in parsed for it in d.items)}")
    print(f"parse time           {run.secs:.2f} s ({cov.n_items / run.secs:.0f} items/s, "
          f"{len(run.files) / run.secs:.1f} files/s)")


def print_problems(run: ParseRun, cov: Coverage, verbose: bool) -> None:
    if run.refused:
        print("refused:", *run.refused, sep="\n  ")
    if run.errors or cov.bad_meta or verbose:
        for line in run.errors + cov.bad_meta:
            print("  !", line)
    if verbose:
        for p, d in run.parsed:
            got = [it.section for it in d.items]
            if d.index_sections and got != d.index_sections:
                print(f"  index mismatch {p.name}: index {d.index_sections} items {got}")
            for w in d.warnings:
                print(f"  warning {p.name}: {w}")


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else DEFAULT
    files = find_documents(folder)
    if not files:
        print(f"no documents under {folder}")
        return 1
    run = parse_all(files)
    cov = measure(run.parsed)
    print_summary(folder, run, cov)
    print_problems(run, cov, verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
