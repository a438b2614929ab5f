"""The built-in demo corpus (data/demo) and its question set (eval/demo-gold.jsonl).

Two tiers:

* raw checks that need no parser: every file is marked fictional, carries the
  expected § headings, and every gold citation, evidence quote and
  ``must_contain`` stem is really in the cited item's raw text;
* parser checks (skipped until ``ingest.readers`` and ``ingest.split`` exist):
  exact item counts per file, key fields of hand-picked items, and every gold
  citation resolving to a parsed item.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
GOLD = ROOT / "eval" / "demo-gold.jsonl"
SCRIPT = ROOT / "scripts" / "make_demo_pdfs.py"
MARKER = "ESIMERKKIAINEISTO – kuvitteellinen kunta, ei todellisia päätöksiä"
FOOTER_PART = "Raatihuoneenkatu 1, 99100"

EST = "Esimerkkiseudun työllisyysalueen lautakunta"
KH_PDF = "kaupunginhallitus-2026-02-23.pdf"
TL_FEB_PDF = "tekninen-lautakunta-2026-02-12.pdf"
TL_APR_PDF = "tekninen-lautakunta-2026-04-14.pdf"
KV_DOCX = "kaupunginvaltuusto-2026-03-30.docx"
EST_MAR = "estalk-2026-03-10.txt"

# file -> (body, ISO date, meeting number or None, § numbers in order)
EXPECTED: dict[str, tuple[str, str, str | None, list[int]]] = {
    "estalk-2026-01-20.txt": (EST, "2026-01-20", None, list(range(1, 7))),
    "sivistyslautakunta-2026-01-21.html": ("Sivistyslautakunta", "2026-01-21", "1/2026", list(range(1, 7))),
    TL_FEB_PDF: ("Tekninen lautakunta", "2026-02-12", "2/2026", list(range(5, 12))),
    KH_PDF: ("Kaupunginhallitus", "2026-02-23", "3/2026", list(range(20, 30))),
    EST_MAR: (EST, "2026-03-10", None, list(range(10, 17))),
    KV_DOCX: ("Kaupunginvaltuusto", "2026-03-30", "2/2026", list(range(10, 15))),
    TL_APR_PDF: ("Tekninen lautakunta", "2026-04-14", "3/2026", list(range(14, 22))),
    "sivistyslautakunta-2026-04-22.html": ("Sivistyslautakunta", "2026-04-22", "2/2026", list(range(12, 18))),
    "estalk-2026-05-12.txt": (EST, "2026-05-12", None, list(range(20, 26))),
}
TOTAL_ITEMS = 61
GOLD_TYPES = {"decision", "date_scoped", "case_lookup", "section_lookup", "fact", "vote_or_change", "unanswerable"}
CASE_ID = re.compile(r"\b(?:[A-Z]{3}Dno-\d{4}-\d+|\d+/\d{2}(?:\.\d{2})+/\d{4})\b")


def _norm(text: str) -> str:
    """Drop zero-width spaces, turn NBSP into spaces and collapse whitespace."""
    return re.sub(r"\s+", " ", text.replace("\u200b", "").replace("\xa0", " ")).strip()


def _squash(text: str) -> str:
    """Remove all whitespace (and zero-width spaces) for line-break-proof comparison."""
    return re.sub(r"\s+", "", text.replace("\u200b", ""))


# --------------------------------------------------------------------------- raw text, no parser


def _iso(fi_date: str) -> str:
    d, m, y = fi_date.split(".")
    return f"{y}-{int(m):02d}-{int(d):02d}"


@cache
def raw_segments(name: str) -> dict[int, str]:
    """§ number -> raw text of that item, cut from the file without the project's parser."""
    path = DEMO / name
    segs: dict[int, list[str]] = {}
    if path.suffix == ".txt":
        cur = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^ESTALK \d\d\.\d\d\.\d{4} § (\d+)$", line)
            if m:
                cur = int(m.group(1))
                segs[cur] = []
            elif cur is not None:
                segs[cur].append(line)
    elif path.suffix == ".html":
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for h2 in soup.find_all("h2", id=re.compile(r"^pykala-")):
            n = int(re.match(r"§ (\d+)", h2.get_text()).group(1))
            parts = [h2.get_text(" ")]
            for sib in h2.find_next_siblings():
                if sib.name == "h2":
                    break
                parts.append(sib.get_text(" "))
            segs[n] = parts
    elif path.suffix == ".docx":
        import docx

        cur = None
        for p in docx.Document(str(path)).paragraphs:
            m = re.match(r"^§ (\d+) ", p.text)
            if p.style.name == "Heading 2" and m:
                cur = int(m.group(1))
                segs[cur] = [p.text]
            elif cur is not None:
                segs[cur].append(p.text)
    elif path.suffix == ".pdf":
        import pymupdf

        cur = None
        with pymupdf.open(str(path)) as doc:
            for page in list(doc)[2:]:  # page 1 = index, page 2 = participants
                lines = page.get_text().splitlines()[6:-1]  # drop 6 header lines and the footer
                starts = [i for i, ln in enumerate(lines) if re.fullmatch(r"§ \d+", ln.strip())]
                if starts:
                    cur = int(lines[starts[0]].split()[1])
                    segs[cur] = lines
                elif lines and lines[0].startswith(("Muutoksenhakukielto", "Oikaisuvaatimus")):
                    cur = None
                elif cur is not None:
                    segs[cur].extend(lines)
    return {k: "\n".join(v) for k, v in segs.items()}


def raw_text(name: str) -> str:
    path = DEMO / name
    if path.suffix == ".pdf":
        import pymupdf

        with pymupdf.open(str(path)) as doc:
            return "\n".join(p.get_text() for p in doc)
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8")


def test_demo_folder_holds_exactly_the_listed_files() -> None:
    files = {p.name for p in DEMO.iterdir() if p.is_file() and p.name != "README.md"}
    assert files == set(EXPECTED)
    assert sum(len(v[3]) for v in EXPECTED.values()) == TOTAL_ITEMS


def test_readme_states_the_expected_counts() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "kuvitteellinen" in readme
    assert f"**{TOTAL_ITEMS}**" in readme
    for name, (_, _, _, secs) in EXPECTED.items():
        row = next(ln for ln in readme.splitlines() if f"`{name}`" in ln)
        assert row.rstrip(" |").endswith(f"| {len(secs)}"), row


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_is_marked_fictional_before_any_item(name: str) -> None:
    text = raw_text(name)
    assert MARKER in text
    first_item = re.search(r"§ ?\d+", text)
    assert first_item is not None
    assert text.index(MARKER) < first_item.start()
    if name.endswith(".txt"):
        assert text.splitlines()[0] == MARKER


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_raw_items_match_expected_sections(name: str) -> None:
    segs = raw_segments(name)
    assert sorted(segs) == EXPECTED[name][3]
    for n, seg in segs.items():
        assert MARKER not in seg, f"§ {n} contains the fictional marker"
        assert "Päätös" in seg, f"§ {n} has no decision heading"


def test_both_case_id_styles_are_present() -> None:
    every = "\n".join(raw_text(n) for n in EXPECTED)
    assert re.search(r"\b\d{3,4}/00\.01\.02\.06/2026\b", every)
    assert re.search(r"\bESIDno-\d{4}-\d+\b", every)


def test_zero_width_spaces_appear_in_city_board_pdf() -> None:
    assert "," + "\u200b" in raw_text(KH_PDF)


def _gold() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_gold_file_format_and_coverage() -> None:
    rows = _gold()
    assert len(rows) >= 40
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    required = {"id", "question", "type", "answerable", "reference_answer", "must_contain", "citations", "evidence"}
    for r in rows:
        assert required <= set(r), r["id"]
        assert set(r) <= required | {"as_of", "follow_up_of"}, r["id"]
        assert r["type"] in GOLD_TYPES
        assert isinstance(r["answerable"], bool)
        assert r["answerable"] == (r["type"] != "unanswerable"), r["id"]
        assert r["must_contain"] and all(isinstance(s, str) and s for s in r["must_contain"])
        if "as_of" in r:
            assert re.fullmatch(r"2026-\d\d-\d\d", r["as_of"])
        if "follow_up_of" in r:
            assert r["follow_up_of"] in seen, f"{r['id']} follows an unknown or later id"
        if r["answerable"]:
            assert r["citations"], r["id"]
        else:
            assert r["citations"] == []
        answer = r["reference_answer"].lower()
        for stem in r["must_contain"]:
            assert stem.lower() in answer, f"{r['id']}: {stem!r} not in reference answer"
        seen.add(r["id"])
    types = Counter(r["type"] for r in rows)
    assert set(types) == GOLD_TYPES
    assert types["unanswerable"] / len(rows) >= 0.15
    assert any("follow_up_of" in r for r in rows)
    assert any("as_of" in r and "viime" in r["question"] for r in rows)


def test_march_employment_question_cites_every_substantive_item() -> None:
    row = next(r for r in _gold() if r["question"] == "Mitä työllisyysalue päätti maaliskuussa?")
    cited = {(c["file"], c["section"]) for c in row["citations"]}
    assert cited == {(EST_MAR, n) for n in (12, 13, 14, 15)}


@pytest.mark.parametrize("row", [r for r in _gold() if r["answerable"]], ids=lambda r: r["id"])
def test_gold_citations_evidence_and_stems_are_in_raw_items(row: dict[str, Any]) -> None:
    texts = []
    for c in row["citations"]:
        body, date, _, secs = EXPECTED[c["file"]]
        assert (c["body"], c["date"]) == (body, date), c
        assert c["section"] in secs, c
        seg = raw_segments(c["file"])[c["section"]]
        if c["case_id"] is None:
            assert not CASE_ID.search(seg), c
        else:
            assert CASE_ID.search(seg) and c["case_id"] in seg, c
        texts.append(seg)
    joined = "\n".join(texts)
    assert _squash(row["evidence"]) in _squash(joined), row["id"]
    low = _norm(joined).lower()
    for stem in row["must_contain"]:
        assert stem.lower() in low, f"{row['id']}: {stem!r} not in cited items"


# unanswerable "month without a meeting" questions: (body, month) that must have no meeting
MONTH_GAPS = {
    "Mitä tekninen lautakunta päätti kesäkuussa 2026?": ("Tekninen lautakunta", 6),
    "Mitä sivistyslautakunta päätti maaliskuussa?": ("Sivistyslautakunta", 3),
    "Entä helmikuussa?": (EST, 2),
    "Mitä työllisyysalue päätti viime kuussa?": (EST, 6),
}


@pytest.mark.parametrize("row", [r for r in _gold() if not r["answerable"]], ids=lambda r: r["id"])
def test_unanswerable_questions_are_really_unanswerable(row: dict[str, Any]) -> None:
    topic = row["must_contain"][0].lower()
    if topic.endswith("kuu"):  # a month with no meeting of the asked body
        body, month = MONTH_GAPS[row["question"]]
        assert not [n for n, (b, d, _, _) in EXPECTED.items() if b == body and int(d[5:7]) == month]
        return
    every = _norm("\n".join(raw_text(n) for n in EXPECTED)).lower()
    assert topic not in every, f"{row['id']}: {topic!r} is in the corpus"


def _font_available() -> bool:
    return any(Path(d, "DejaVuSans.ttf").is_file()
               for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"))


@pytest.mark.skipif(not _font_available(), reason="DejaVu fonts (fonts-dejavu-core) not installed")
def test_generator_reproduces_committed_pdfs_and_docx(tmp_path: Path) -> None:
    pytest.importorskip("fpdf")
    pytest.importorskip("docx")
    import pymupdf

    spec = importlib.util.spec_from_file_location("make_demo_pdfs", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    written = mod.generate(tmp_path)
    assert {p.name for p in written} == {n for n in EXPECTED if n.endswith((".pdf", ".docx"))}
    for p in written:
        if p.suffix == ".pdf":
            with pymupdf.open(str(p)) as new, pymupdf.open(str(DEMO / p.name)) as old:
                assert [pg.get_text() for pg in new] == [pg.get_text() for pg in old], p.name
        else:
            assert p.read_bytes() == (DEMO / p.name).read_bytes(), p.name
    # deterministic: a second run gives the same bytes
    again = mod.generate(tmp_path / "again")
    for a, b in zip(written, again, strict=False):
        assert a.read_bytes() == b.read_bytes(), a.name


# --------------------------------------------------------------------------- through the parser


class _Parsed(dict):
    """Parses a demo file on first access, so one unparseable file fails only its own tests."""

    def __init__(self, readers: Any, split: Any) -> None:
        super().__init__()
        self._readers, self._split = readers, split

    def __missing__(self, name: str) -> Any:
        doc = self._split.split_document(self._readers.read_document(DEMO / name))
        self[name] = doc
        return doc


@pytest.fixture(scope="module")
def parsed() -> _Parsed:
    readers = pytest.importorskip("ingest.readers")
    split = pytest.importorskip("ingest.split")
    return _Parsed(readers, split)


def _item(parsed: dict[str, Any], name: str, section: int) -> Any:
    found = [it for it in parsed[name].items if it.section == section]
    assert len(found) == 1, f"{name} § {section}: {len(found)} items"
    return found[0]


def _index_number(entry: Any) -> int:
    if isinstance(entry, int):
        return entry
    if isinstance(entry, (tuple, list)):
        return int(entry[0])
    return int(entry.section)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parser_finds_exact_items_per_file(parsed: dict[str, Any], name: str) -> None:
    body, date, number, secs = EXPECTED[name]
    doc = parsed[name]
    assert [it.section for it in doc.items] == secs
    assert doc.kind == "minutes"
    assert doc.body == body
    assert doc.date == date
    if number is not None:
        assert doc.meeting_number == number
    for it in doc.items:
        assert (it.body, it.date, it.kind) == (body, date, "minutes")
        assert it.decision.strip(), f"{name} § {it.section} has no decision"
        assert "ESIMERKKIAINEISTO" not in it.text
        assert FOOTER_PART not in it.text
        assert "Oikaisuvaatimusohje" not in it.text and "Muutoksenhakukielto" not in it.text


def test_parser_total_item_count(parsed: dict[str, Any]) -> None:
    assert sum(len(parsed[name].items) for name in EXPECTED) == TOTAL_ITEMS


@pytest.mark.parametrize("name", [n for n in EXPECTED if n.endswith((".pdf", ".html", ".docx"))])
def test_parser_reads_the_index(parsed: dict[str, Any], name: str) -> None:
    assert [_index_number(e) for e in parsed[name].index_sections] == EXPECTED[name][3]


def test_parser_fields_of_employment_board_txt_item(parsed: dict[str, Any]) -> None:
    it = _item(parsed, EST_MAR, 12)
    assert it.body == EST
    assert it.body_abbr == "ESTALK"
    assert it.title == "Ajankohtaiskatsaus Esimerkkiseudun työllisyysalueen toimintaan"
    assert it.case_ids == ["1637/00.01.02.06/2026"]
    assert "työllisyysaluejohtaja" in (it.preparer or "")
    assert _norm(it.decision).startswith("Hyväksyttiin yksimielisesti.")
    assert "merkitä tiedoksi ajankohtaiskatsauksen" in _norm(it.proposal)
    assert any("Riikka Laine" in e for e in it.experts)
    assert _item(parsed, "estalk-2026-01-20.txt", 1).case_ids == []


def test_parser_history_item_keeps_own_proposal_and_decision(parsed: dict[str, Any]) -> None:
    it = _item(parsed, KH_PDF, 23)
    assert it.case_ids[:1] == ["ESIDno-2025-512"]
    assert it.title == "Uimahallin peruskorjaus / Hankesuunnitelman hyväksyminen"
    assert [(h.body, h.date, h.section) for h in it.history] == [("Tekninen lautakunta", "2026-02-12", 8)]
    assert "Lautakunta hyväksyi ehdotuksen" in _norm(it.history[0].decision)
    assert _norm(it.decision) == "Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen."
    assert "Kaupunginhallitus esittää kaupunginvaltuustolle" in _norm(it.proposal)

    kv = _item(parsed, KV_DOCX, 12)
    assert [(h.body, h.date, h.section) for h in kv.history] == [
        ("Tekninen lautakunta", "2026-02-12", 8), ("Kaupunginhallitus", "2026-02-23", 23)]
    assert _norm(kv.decision) == "Kaupunginvaltuusto hyväksyi kaupunginhallituksen ehdotuksen yksimielisesti."


def test_parser_votes_disqualifications_and_flags(parsed: dict[str, Any]) -> None:
    vote = _item(parsed, KH_PDF, 27)
    assert "7 JAA" in _norm(vote.votes) and "Petri Lahtela" in _norm(vote.votes)
    assert "6 JAA" in _norm(_item(parsed, "sivistyslautakunta-2026-04-22.html", 14).votes)
    assert any("Juha Rautio" in d for d in _item(parsed, KH_PDF, 24).disqualified)
    hietala = _item(parsed, TL_FEB_PDF, 9).disqualified
    assert any("Marko Hietala" in d for d in hietala)
    assert not any("Kuljetus Mäkelä" in d for d in hietala), hietala  # the company is not a member
    assert _item(parsed, KH_PDF, 27).disqualified == []
    assert _item(parsed, TL_APR_PDF, 18).tabled is True
    assert _item(parsed, TL_APR_PDF, 19).returned is True
    assert _item(parsed, TL_APR_PDF, 17).tabled is False
    extra = _item(parsed, KH_PDF, 29)
    assert extra.extra_section is True and "Markkinapäivien" in extra.title
    assert _item(parsed, TL_APR_PDF, 21).extra_section is True
    assert _item(parsed, KH_PDF, 28).extra_section is False


def test_parser_decision_text_and_page_span(parsed: dict[str, Any]) -> None:
    it = _item(parsed, KH_PDF, 25)
    assert _norm(it.decision).startswith(
        "Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen sillä muutoksella, että lausuntoon")
    assert it.page_end == it.page_start + 1
    assert "14 960 000" in _norm(_item(parsed, "sivistyslautakunta-2026-01-21.html", 5).text)
    assert "5 745 000" in _norm(_item(parsed, TL_APR_PDF, 16).text)


@pytest.mark.parametrize("row", [r for r in _gold() if r["answerable"]], ids=lambda r: r["id"])
def test_gold_citations_resolve_to_parsed_items(parsed: dict[str, Any], row: dict[str, Any]) -> None:
    for c in row["citations"]:
        it = _item(parsed, c["file"], c["section"])
        assert (it.body, it.date) == (c["body"], c["date"])
        if c["case_id"] is None:
            assert it.case_ids == []
        else:
            assert c["case_id"] in it.case_ids
