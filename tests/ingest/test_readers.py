"""ingest.readers: every format, and bad input raising the right typed error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import (
    CorruptFileError,
    EncodingError,
    EncryptedFileError,
    FileTooLargeError,
    MinutesError,
    NoTextError,
    NotMinutesError,
    UnsupportedFileError,
)
from ingest.readers import read_document
from ingest.split import split_document

pymupdf = pytest.importorskip("pymupdf")

SEED_LIKE = (
    "Palkkatuen myöntämisperusteet\n\nPKTALK 10.03.2026 § 12\n1637/00.01.02.06/2026\n\n"
    "Palkkatukea myönnetään enintään 120 henkilölle.\n\nValmistelija: työllisyysaluejohtaja\n\n"
    "Työllisyysaluejohtajan päätösehdotus:\n\nLautakunta hyväksyy perusteet.\n\nPäätös:\n\n"
    "Hyväksyttiin yksimielisesti.\n"
)


def _pdf(path: Path, pages: list[list[tuple[float, float, str]]], **save_kw: object) -> Path:
    """A PDF whose pages hold text drawn at (x, y) positions."""
    doc = pymupdf.open()
    for items in pages:
        page = doc.new_page(width=595, height=842)
        for x, y, text in items:
            page.insert_text((x, y), text, fontsize=11, fontname="helv")
    doc.save(str(path), **save_kw)
    doc.close()
    return path


def _raises(exc: type[MinutesError], path: Path, **kw: object) -> MinutesError:
    with pytest.raises(exc) as info:
        read_document(path, **kw)  # type: ignore[arg-type]
    err = info.value
    assert err.path == str(path)
    assert str(path) in err.message()
    assert err.detail  # an English detail for the log
    return err


# ---------------------------------------------------------------- bad input


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.pdf", "empty.txt", "empty.html", "empty.docx"):
        p = tmp_path / name
        p.write_bytes(b"")
        _raises(NoTextError, p)


def test_corrupt_pdf_bytes(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    _raises(CorruptFileError, p)


def test_pdf_suffix_on_non_pdf_bytes(tmp_path: Path) -> None:
    p = tmp_path / "really-text.pdf"
    p.write_text("Pöytäkirja\n§ 1 Asia\n", encoding="utf-8")
    _raises(CorruptFileError, p)


def test_encrypted_pdf(tmp_path: Path) -> None:
    p = _pdf(tmp_path / "secret.pdf", [[(72, 72, "§ 1 Salainen asia")]],
             encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="omistaja", user_pw="salasana")
    _raises(EncryptedFileError, p)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    """A scanned page: only an image, no text."""
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, pixmap=pix)
    p = tmp_path / "scan.pdf"
    doc.save(str(p))
    doc.close()
    _raises(NoTextError, p)


def test_huge_file_with_small_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text(SEED_LIKE * 50, encoding="utf-8")
    err = _raises(FileTooLargeError, p, max_bytes=1000)
    assert "1000" in err.detail


@pytest.mark.parametrize("name", ["minutes.doc", "minutes.xlsx", "minutes.odt", "noext"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"whatever")
    _raises(UnsupportedFileError, p)


def test_missing_file(tmp_path: Path) -> None:
    _raises(UnsupportedFileError, tmp_path / "missing.pdf")


def test_binary_text_file(tmp_path: Path) -> None:
    p = tmp_path / "binary.txt"
    p.write_bytes(b"\x00\x01\x02\x03 PK\x03\x04" * 100)
    _raises(EncodingError, p)


def test_corrupt_docx(tmp_path: Path) -> None:
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    _raises(CorruptFileError, p)


def test_non_minutes_text_is_refused_by_the_splitter(tmp_path: Path) -> None:
    p = tmp_path / "talousarvio.txt"
    p.write_text("Vuoden 2024 talousarvion täytäntöönpano-ohjeet\n\n1. Käyttösuunnitelmien tarkistaminen\n"
                 "Kuntalain 110 §:n mukaan kunnan toiminnassa on noudatettava talousarviota.\n", encoding="utf-8")
    doc = read_document(p)
    with pytest.raises(NotMinutesError) as info:
        split_document(doc)
    assert info.value.path == str(p)


# ---------------------------------------------------------------- text encodings


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        pytest.param("utf-8", b"", id="utf8"),
        pytest.param("utf-8", b"\xef\xbb\xbf", id="utf8-bom"),
        pytest.param("utf-16-le", b"\xff\xfe", id="utf16le-bom"),
        pytest.param("cp1252", b"", id="cp1252"),
        pytest.param("latin-1", b"", id="latin1"),
    ],
)
def test_text_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    p = tmp_path / "poytakirja.txt"
    p.write_bytes(bom + SEED_LIKE.encode(encoding))
    doc = read_document(p)
    assert doc.fmt == "txt"
    text = doc.pages[0].text
    assert text.startswith("Palkkatuen myöntämisperusteet")
    assert "\ufeff" not in text and "Ã" not in text
    assert "Työllisyysaluejohtajan päätösehdotus:" in text
    parsed = split_document(doc)
    assert [it.section for it in parsed.items] == [12]
    assert parsed.items[0].decision == "Hyväksyttiin yksimielisesti."


def test_form_feed_separates_text_pages(tmp_path: Path) -> None:
    p = tmp_path / "two-pages.txt"
    p.write_text("sivu yksi\fsivu kaksi", encoding="utf-8")
    assert [pg.text for pg in read_document(p).pages] == ["sivu yksi", "sivu kaksi"]


# ---------------------------------------------------------------- HTML and DOCX


def test_html_blocks_tables_and_site_chrome(tmp_path: Path) -> None:
    p = tmp_path / "ptk.html"
    p.write_text(
        "<html><head><title>x</title><style>p{}</style></head><body>"
        "<nav>Etusivu › Päätöksenteko</nav><h1>Sivistyslautakunta</h1><p>Pöytäkirja 1/2026</p>"
        "<h2>§ 5 Talousarvio</h2><p>Rivi yksi<br>rivi kaksi</p>"
        "<table><tr><th>Tulosalue</th><th>Euroa</th></tr><tr><td>Perusopetus</td><td>-14 960 000</td></tr></table>"
        "<script>var x = 1;</script><footer>Raatihuoneenkatu 1</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(p)
    lines = [ln for ln in doc.pages[0].text.split("\n") if ln]
    assert lines == ["Sivistyslautakunta", "Pöytäkirja 1/2026", "§ 5 Talousarvio", "Rivi yksi", "rivi kaksi",
                     "Tulosalue | Euroa", "Perusopetus | -14 960 000"]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("Kaupunginvaltuusto")
    d.add_paragraph("§ 10 Tilinpäätös 2025")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Tulos", "1 200 000"
    t.cell(1, 0).text, t.cell(1, 1).text = "Vuosikate", "3 400 000"
    d.add_paragraph("Päätös")
    p = tmp_path / "kv.docx"
    d.save(str(p))
    doc = read_document(p)
    assert doc.fmt == "docx"
    lines = [ln for ln in doc.pages[0].text.split("\n") if ln]
    assert lines == ["Kaupunginvaltuusto", "§ 10 Tilinpäätös 2025", "Tulos | 1 200 000",
                     "Vuosikate | 3 400 000", "Päätös"]


# ---------------------------------------------------------------- PDF layout rows


def test_pdf_rows_join_cells_and_reattach_list_numbers(tmp_path: Path) -> None:
    """List numbers drawn as separate objects stay with their line; table cells share a row."""
    p = _pdf(tmp_path / "rows.pdf", [[
        (57, 100, "Kohteet:"),
        (135, 120, "1."), (150, 120, "Uimahalli"),
        (135, 135, "2."), (150, 135, "Kirjasto"),
        (125, 170, "Tulosalue"), (371, 170, "Euroa"),
        (125, 185, "Perusopetus"), (371, 185, "-14 960 000"),
    ]])
    lines = [ln.strip() for ln in read_document(p).pages[0].text.split("\n") if ln.strip()]
    assert lines == ["Kohteet:", "1. Uimahalli", "2. Kirjasto", "Tulosalue | Euroa", "Perusopetus | -14 960 000"]


def test_pdf_page_numbers_are_one_based(tmp_path: Path) -> None:
    p = _pdf(tmp_path / "pages.pdf", [[(72, 72, "eka")], [(72, 72, "toka")]])
    doc = read_document(p)
    assert [(pg.number, pg.text.strip()) for pg in doc.pages] == [(1, "eka"), (2, "toka")]
    assert doc.source == str(p)


def test_cp1252_only_characters(tmp_path: Path) -> None:
    """Euro sign and en dash exist in cp1252 but not in latin-1."""
    p = tmp_path / "windows.txt"
    p.write_bytes("Määräraha 450 000 € vuosille 2026–2027. Päätös: hyväksyttiin.\n".encode("cp1252"))
    assert read_document(p).pages[0].text.startswith("Määräraha 450 000 € vuosille 2026–2027.")
