"""The splitter against all real Lapua PDFs in ../shared/corpus/lapua (skipped when absent).

Acceptance: in every minutes/agenda file the items equal the "Käsitellyt asiat"
index (count and numbers), body/date/kind agree with the file name, every item
that shows a case ID has it (its own ID first), the budget books are refused,
and every citation of the dev gold set resolves to a parsed item.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from core.errors import NotMinutesError
from ingest.clean import find_case_ids, iso_date
from ingest.readers import read_document
from ingest.split import ParsedDocument, split_document

pytestmark = pytest.mark.slow

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPUS = SHARED / "corpus" / "lapua"
GOLD = SHARED / "eval" / "lapua-dev-gold.jsonl"
NAME_RE = re.compile(r"^(Pöytäkirja|Esityslista)-(.+?) - (\d{2}\.\d{2}\.\d{4})")

if not CORPUS.is_dir():
    pytest.skip("../shared/corpus/lapua not available", allow_module_level=True)

MEETING_FILES = sorted(p for p in CORPUS.rglob("*.pdf") if NAME_RE.match(p.name))
OTHER_FILES = sorted(p for p in CORPUS.rglob("*.pdf") if not NAME_RE.match(p.name))


@cache
def parsed(path: Path) -> ParsedDocument:
    return split_document(read_document(path))


def _rel(p: Path) -> str:
    return str(p.relative_to(CORPUS))


def test_corpus_is_complete() -> None:
    assert len(MEETING_FILES) == 106
    assert {p.parent.name for p in MEETING_FILES} == {
        "Hyvinvointilautakunta", "Kaupunginhallitus", "Kaupunginvaltuusto", "Sivistyslautakunta",
        "Tarkastuslautakunta", "Tekninen_lautakunta", "Ympäristölautakunta"}
    assert len(OTHER_FILES) == 2


@pytest.mark.parametrize("path", OTHER_FILES, ids=_rel)
def test_budget_books_are_refused(path: Path) -> None:
    with pytest.raises(NotMinutesError) as info:
        split_document(read_document(path))
    assert info.value.path == str(path)


@pytest.mark.parametrize("path", MEETING_FILES, ids=_rel)
def test_items_equal_index_and_metadata_matches_file_name(path: Path) -> None:
    doc = parsed(path)
    m = NAME_RE.match(path.name)
    assert m is not None
    assert doc.kind == ("minutes" if m.group(1) == "Pöytäkirja" else "agenda")
    assert doc.body == m.group(2)
    assert doc.date == iso_date(m.group(3))
    assert doc.municipality == "Lapuan kaupunki"
    assert doc.index_sections, "no 'Käsitellyt asiat' index found"
    assert [it.section for it in doc.items] == doc.index_sections
    assert doc.warnings == []
    for it in doc.items:
        assert (it.body, it.date, it.kind, it.source) == (doc.body, doc.date, doc.kind, str(path))
        assert it.title and it.title in it.text.replace("\n", " ")
        assert f"§ {it.section}\n" in it.text
        assert 1 <= it.page_start <= it.page_end
        if doc.kind == "agenda":
            assert it.decision == ""
    pages = [(it.page_start, it.page_end) for it in doc.items]
    assert pages == sorted(pages)


@pytest.mark.parametrize("path", MEETING_FILES, ids=_rel)
def test_case_ids_and_clean_text(path: Path) -> None:
    for it in parsed(path).items:
        ids = find_case_ids(it.text)
        if ids:
            assert it.case_ids, f"§ {it.section} shows {ids} but has none"
        lines = it.text.split("\n")
        head = next(i for i, ln in enumerate(lines) if re.fullmatch(r"§ \d+", ln))
        own = [ln for ln in lines[head + 1:head + 4] if find_case_ids(ln) == [ln.strip()]]
        if own:
            assert it.case_id == own[0].strip(), f"§ {it.section}"
        assert "\u200b" not in it.text and "\u00ad" not in it.text and "  " not in it.text
        assert "Lapuan kaupunki | Pöytäkirja" not in it.text  # page headers are gone
        assert "Muutoksenhakukielto" not in it.text  # appeal pages are no item
        assert it.item_id and len({x.item_id for x in parsed(path).items}) == len(parsed(path).items)


def test_most_minutes_items_have_a_decision() -> None:
    items = [it for p in MEETING_FILES for it in parsed(p).items if it.kind == "minutes"]
    share = sum(bool(it.decision) for it in items) / len(items)
    assert share > 0.9, share


def test_known_items() -> None:
    tl = parsed(CORPUS / "Tarkastuslautakunta" / "Pöytäkirja-Tarkastuslautakunta - 04.03.2025, klo 17_05.pdf")
    by = {it.section: it for it in tl.items}
    assert by[15].case_ids == ["LAPDno-2025-262"] and by[15].title == "Teknisen toimen ajankohtaiset asiat"
    assert by[16].decision == "Tämä pykälä käsiteltiin §:n 18 jälkeen.\nTarkastuslautakunta hyväksyi ehdotuksen."
    assert by[18].extra_section and by[18].title == "Kaupunginjohtajan ajankohtaiset asiat"
    assert by[18].case_ids == ["LAPDno-2024-975"] and by[18].meeting_number == "3/2025"

    hy = parsed(CORPUS / "Hyvinvointilautakunta" / "Pöytäkirja-Hyvinvointilautakunta - 17.06.2025, klo 16_47.pdf")
    it = next(x for x in hy.items if x.section == 82)
    assert [h.label() for h in it.history] == [
        "Hyvinvointilautakunta 28.8.2024 § 100", "Kaupunginhallitus 2.9.2024 § 246", "Kaupunginvaltuusto 16.9.2024 § 67"]
    assert it.history[1].decision == "Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen."
    assert it.decision == "Hyvinvointilautakunta hyväksyi keskustelun jälkeen sivistys- ja hyvinvointijohtajan ehdotuksen."
    assert it.proposal.startswith("Hyvinvointilautakunta:\n1) toteaa, että teinikahvilan pilotointivaihe on ohitse")
    assert it.preparer == "Mika Kamunen, Sivistys- ja hyvinvointijohtaja"
    assert it.presenter == "Mika Kamunen, Sivistys- ja hyvinvointijohtaja"

    kh = parsed(CORPUS / "Kaupunginhallitus" / "Pöytäkirja-Kaupunginhallitus - 02.12.2024, klo 17_00.pdf")
    it = next(x for x in kh.items if x.section == 357)
    assert "4 JAA- ääntä ja 7 EI- ääntä" in it.votes and it.returned
    assert next(x for x in kh.items if x.section == 346).attachments == [
        "Nuorisovaltuuston uusi toimintasääntö 1.1.2025 alkaen / Hyväksytty Kh 2.12.2024.pdf"]


@pytest.mark.skipif(not GOLD.is_file(), reason="dev gold set not available")
def test_gold_citations_resolve() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    checked = 0
    for row in rows:
        for c in row["citations"]:
            doc = parsed(CORPUS / c["file"])
            found = [it for it in doc.items if it.section == c["section"]]
            assert len(found) == 1, c
            it = found[0]
            assert (it.body, it.date) == (c["body"], c["date"]), c
            if c.get("case_id"):
                assert it.case_id == c["case_id"], c
            checked += 1
    assert checked >= 40
