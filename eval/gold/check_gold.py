#!/usr/bin/env python3
"""Check the Lapua gold question files (lapua-tune.jsonl, lapua-test.jsonl).

Verifies, against the PDF text of ../shared/corpus/lapua:
  * JSON schema (exact field set of lapua-dev-gold.jsonl + "tags"), types, tags;
  * every citation: file exists, "§ N" heading occurs in the file, case_id occurs in
    the file (and in the cited item's text);
  * every must_contain fragment occurs (case-insensitively) in the text of some cited
    file, and - stricter - in the text of some cited item (§ section);
  * evidence is short (<= 200 chars) and occurs verbatim (whitespace-normalised) in a
    cited item;
  * unanswerable questions have no citations and no must_contain;
  * follow_up_of refers to an earlier id in the same file;
  * no duplicate ids or questions across the two files;
  * the split rule (sha1 of the chain's first id) holds.
Prints a summary (counts per type and tag per split) and exits 1 on any failure.

Text extraction: PyMuPDF if importable, else `pdftotext` (poppler-utils).
Standard library otherwise.  Usage:
    python3 eval/gold/check_gold.py [--corpus PATH] [--strict-item]
"""
from __future__ import annotations

import argparse
import collections
import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"tune": HERE / "lapua-tune.jsonl", "test": HERE / "lapua-test.jsonl", "tune2": HERE / "lapua-tune2.jsonl",
         "heldout3": HERE / "lapua-heldout3.jsonl", "heldout4": HERE / "lapua-heldout4.jsonl",
         "tune5": HERE / "lapua-tune5.jsonl", "heldout5": HERE / "lapua-heldout5.jsonl",
         "heldout6": HERE / "lapua-heldout6.jsonl", "tune7": HERE / "lapua-tune7.jsonl",
         "heldout7": HERE / "lapua-heldout7.jsonl"}
#: Written after the split: the hash rule does not place them (README, "tune2", "heldout3", "heldout4").
UNSPLIT = {"tune2", "heldout3", "heldout4", "tune5", "heldout5", "heldout6", "tune7", "heldout7"}
DEFAULT_CORPUS = HERE.parents[1] / ".." / "shared" / "corpus" / "lapua"

FIELDS_REQUIRED = {"id", "question", "type", "answerable", "reference_answer",
                   "must_contain", "citations", "evidence", "tags"}
FIELDS_OPTIONAL = {"follow_up_of"}
TYPES = ["date_scoped", "decision", "fact", "vote_or_change", "case_lookup",
         "section_lookup", "unanswerable"]
TAGS = ["amount", "percentage", "person_role", "company_entity", "latest", "list",
        "follow_up", "no_diacritics", "typo", "paraphrase", "date", "count", "yes_no", "reason"]
CITATION_FIELDS = {"body", "date", "section", "case_id", "file"}
# coverage thresholds over the whole set (brief)
MIN_TYPE = {"date_scoped": 10, "decision": 10, "fact": 10, "vote_or_change": 10,
            "case_lookup": 8, "section_lookup": 8, "unanswerable": 16}
MIN_TAG = {"amount": 15, "percentage": 5, "person_role": 10, "company_entity": 12,
           "latest": 6, "list": 8, "follow_up": 10, "no_diacritics": 10, "typo": 8,
           "paraphrase": 15}


def norm(s: str) -> str:
    """Whitespace-normalise PDF text; drop zero-width and soft characters."""
    s = s.replace("\u200b", "").replace("\u00ad", "").replace("\xa0", " ")
    return re.sub(r"\s+", " ", s).strip()


@functools.cache
def pdf_text(path: str) -> str:
    try:
        try:
            import pymupdf  # type: ignore
        except ImportError:
            import fitz as pymupdf  # type: ignore
        with pymupdf.open(path) as doc:
            return "\n".join(page.get_text() for page in doc)
    except ImportError:
        pass
    if not shutil.which("pdftotext"):
        sys.exit("need PyMuPDF or pdftotext (apt-get install -y poppler-utils)")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"],
                         capture_output=True, text=True, check=True)
    return out.stdout


HEADING = re.compile(r"(?m)^\s*§ ?(\d+)\s*$")


@functools.cache
def sections(path: str) -> dict[int, str]:
    """Split a minutes PDF into {section number: item text}.

    The table of contents ("Käsitellyt asiat") on the first page lists the real
    section numbers; item headings are lines holding only "§ N" with N in that list,
    in increasing order (quoted officials' decisions like "§ 38" are skipped).
    """
    raw = pdf_text(path).replace("\u200b", "")
    marker = re.search(r"Saapuvilla|Läsnä|Osallistujat", raw)
    toc_end = marker.start() if marker else min(len(raw), 4000)
    toc = []  # (number, first words of the title)
    for m in HEADING.finditer(raw[:toc_end]):
        title = raw[m.end():m.end() + 60].strip().split("\n")[0]
        toc.append((int(m.group(1)), " ".join(title.split()[:3])))
    heads = []
    pos = toc_end
    for n, title in toc:
        words = [re.escape(w) for w in title.split()]
        pat = rf"(?m)^\s*§ ?{n}\s*\n\s*" + r"\s+".join(words)
        m = re.compile(pat).search(raw, pos) if words else None
        if m is None:  # fall back to a bare heading line
            m = re.compile(rf"(?m)^\s*§ ?{n}\s*$").search(raw, pos)
        if m is None:
            continue
        heads.append((n, m.start()))
        pos = m.end()
    out = {}
    for i, (n, start) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(raw)
        out[n] = raw[start:end]
    return out


def split_of(first_id: str) -> str:
    return "tune" if int(hashlib.sha1(first_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


@dataclass
class Findings:
    """Failures and (non-strict) warnings collected while checking."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def item_miss(self, msg: str, strict_item: bool) -> None:
        (self.errors if strict_item else self.warnings).append(msg)


@dataclass
class Seen:
    """Ids, questions and chain roots seen so far across both files."""

    ids: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    root_of: dict[str, str] = field(default_factory=dict)


def load(found: Findings) -> dict[str, list[dict]]:
    data: dict[str, list[dict]] = {}
    for split, f in FILES.items():
        rows = []
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                found.errors.append(f"{f.name}:{ln}: bad JSON: {e}")
        data[split] = rows
    return data


def check_fields(r: dict, where: str, split: str, seen: Seen, errors: list[str]) -> None:
    """Id, question, type, tag, evidence-length and must_contain rules of one row."""
    rid = r["id"]
    if not re.fullmatch(r"g\d{3}", rid):
        errors.append(f"{where}: id format")
    if rid in seen.ids:
        errors.append(f"{where}: duplicate id (also in {seen.ids[rid]})")
    seen.ids[rid] = split
    qn = norm(r["question"]).lower()
    if qn in seen.questions:
        errors.append(f"{where}: duplicate question (also {seen.questions[qn]})")
    seen.questions[qn] = where
    if r["type"] not in TYPES:
        errors.append(f"{where}: bad type {r['type']}")
    if not isinstance(r["answerable"], bool):
        errors.append(f"{where}: answerable not bool")
    if r["answerable"] == (r["type"] == "unanswerable"):
        errors.append(f"{where}: answerable/type mismatch")
    bad_tags = [t for t in r["tags"] if t not in TAGS]
    if bad_tags or len(set(r["tags"])) != len(r["tags"]):
        errors.append(f"{where}: bad tags {r['tags']}")
    if len(r["evidence"]) > 200:
        errors.append(f"{where}: evidence longer than 200 chars")
    if any(m != m.lower() or not m.strip() for m in r["must_contain"]):
        errors.append(f"{where}: must_contain must be non-empty lowercase")


def check_follow_up(r: dict, where: str, split: str, ids_so_far: set[str], seen: Seen,
                    errors: list[str]) -> None:
    """follow_up_of must point back in the same file; the chain's root decides the split."""
    rid = r["id"]
    fu = r.get("follow_up_of")
    if fu is not None:
        if fu not in ids_so_far:
            errors.append(f"{where}: follow_up_of {fu} not an earlier id in {split}")
        if "follow_up" not in r["tags"]:
            errors.append(f"{where}: follow-up without follow_up tag")
        seen.root_of[rid] = seen.root_of.get(fu, fu)
    else:
        seen.root_of[rid] = rid
        if "follow_up" in r["tags"]:
            errors.append(f"{where}: follow_up tag without follow_up_of")
    if split not in UNSPLIT and split_of(seen.root_of[rid]) != split:
        errors.append(f"{where}: split rule says {split_of(seen.root_of[rid])}")


def check_citation(c: dict, where: str, corpus: Path, errors: list[str]) -> tuple[str, str] | None:
    """Check one citation; return (file text, item text), lowercased and normalised, or None."""
    if set(c) != CITATION_FIELDS:
        errors.append(f"{where}: citation fields {sorted(c)}")
        return None
    p = corpus / c["file"]
    if not p.is_file():
        errors.append(f"{where}: missing file {c['file']}")
        return None
    if c["body"] != c["file"].split("/")[0].replace("_", " ") and \
            c["body"] != c["file"].split("/")[0]:
        errors.append(f"{where}: body {c['body']} vs folder of {c['file']}")
    d = c["date"]
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", d) or \
            ".".join(reversed(d.split("-"))) not in c["file"]:
        errors.append(f"{where}: date {d} not in file name {c['file']}")
    raw = pdf_text(str(p))
    ftext = norm(raw)
    if not re.search(rf"§ ?{c['section']}\b", ftext):
        errors.append(f"{where}: § {c['section']} not in {c['file']}")
    item = sections(str(p)).get(int(c["section"]))
    if item is None:
        errors.append(f"{where}: no item heading § {c['section']} in {c['file']}")
    if c["case_id"] is not None:
        if c["case_id"] not in ftext:
            errors.append(f"{where}: case_id {c['case_id']} not in {c['file']}")
        elif item is not None and c["case_id"] not in norm(item):
            errors.append(f"{where}: case_id {c['case_id']} not in § {c['section']}")
    return ftext.lower(), ("" if item is None else norm(item).lower())


def check_answer(r: dict, where: str, corpus: Path, strict_item: bool, found: Findings) -> None:
    """Citations, must_contain and evidence of an answerable row."""
    cites, mc = r["citations"], r["must_contain"]
    if not cites:
        found.errors.append(f"{where}: answerable without citations")
    if not 2 <= len(mc) <= 4:
        found.errors.append(f"{where}: must_contain should have 2-4 fragments")
    file_texts, item_texts = [], []
    for c in cites:
        texts = check_citation(c, where, corpus, found.errors)
        if texts is not None:
            file_texts.append(texts[0])
            item_texts.append(texts[1])
    for m in mc:
        if not any(m in t for t in file_texts):
            found.errors.append(f"{where}: must_contain '{m}' not in any cited file")
        elif not any(m in t for t in item_texts):
            found.item_miss(f"{where}: must_contain '{m}' not in any cited item", strict_item)
    ev = norm(r["evidence"]).lower()
    if ev and not any(ev in t for t in item_texts):
        found.item_miss(f"{where}: evidence not verbatim in a cited item", strict_item)


def check_row(r: dict, split: str, ids_so_far: set[str], seen: Seen, corpus: Path,
              strict_item: bool, found: Findings) -> None:
    where = f"{split}:{r.get('id', '?')}"
    keys = set(r)
    if not FIELDS_REQUIRED <= keys or keys - FIELDS_REQUIRED - FIELDS_OPTIONAL:
        found.errors.append(f"{where}: fields {sorted(keys)}")
        return
    check_fields(r, where, split, seen, found.errors)
    check_follow_up(r, where, split, ids_so_far, seen, found.errors)
    ids_so_far.add(r["id"])
    if not r["answerable"]:
        if r["citations"] or r["must_contain"]:
            found.errors.append(f"{where}: unanswerable must have no citations/must_contain")
        return
    check_answer(r, where, corpus, strict_item, found)


def summarise(data: dict[str, list[dict]], errors: list[str]) -> None:
    """Print counts per type and tag per split; missing coverage is a failure."""
    print("counts per split")
    print(f"{'':16}" + "".join(f"{s:>7}" for s in ["tune", "test", "all"]))
    tot_type = collections.Counter()
    tot_tag = collections.Counter()
    per = {s: (collections.Counter(r["type"] for r in rows),
               collections.Counter(t for r in rows for t in r.get("tags", [])))
           for s, rows in data.items()}
    for s in per:
        tot_type.update(per[s][0])
        tot_tag.update(per[s][1])
    print(f"{'questions':16}{len(data['tune']):>7}{len(data['test']):>7}"
          f"{len(data['tune']) + len(data['test']):>7}")
    for t in TYPES:
        print(f"{t:16}{per['tune'][0][t]:>7}{per['test'][0][t]:>7}{tot_type[t]:>7}")
        if per["tune"][0][t] == 0 or per["test"][0][t] == 0:
            errors.append(f"type {t} missing from a split")
    print("tags")
    for t in TAGS:
        print(f"{t:16}{per['tune'][1][t]:>7}{per['test'][1][t]:>7}{tot_tag[t]:>7}")
    for t, n in MIN_TYPE.items():
        if tot_type[t] < n:
            errors.append(f"type {t}: {tot_type[t]} < {n}")
    for t, n in MIN_TAG.items():
        if tot_tag[t] < n:
            errors.append(f"tag {t}: {tot_tag[t]} < {n}")
    bodies = collections.Counter(c["body"] for rows in data.values() for r in rows
                                 for c in r["citations"])
    print("citations per body:", dict(sorted(bodies.items())))


def check(corpus: Path, strict_item: bool) -> int:
    found = Findings()
    data = load(found)
    seen = Seen()
    for split, rows in data.items():
        ids_so_far: set[str] = set()
        for r in rows:
            check_row(r, split, ids_so_far, seen, corpus, strict_item, found)
    summarise(data, found.errors)
    for w in found.warnings:
        print("WARN", w)
    for e in found.errors:
        print("FAIL", e)
    print("OK" if not found.errors else f"{len(found.errors)} failure(s)")
    return 1 if found.errors else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS.resolve())
    ap.add_argument("--strict-item", action="store_true",
                    help="item-level must_contain/evidence misses are failures")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        sys.exit(f"corpus not found: {a.corpus}")
    sys.exit(check(a.corpus, a.strict_item))


if __name__ == "__main__":
    main()
