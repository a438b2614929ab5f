"""Read one meeting document (PDF, TXT, HTML, DOCX) into plain-text pages.

Every reader returns a :class:`~core.items.Document` whose pages hold text
lines in reading order. No cleaning happens here beyond what the format needs
(layout rows for PDF, block elements for HTML); headers, hyphenation and
paragraph joining are the job of :mod:`ingest.clean`.

PDF lines are rebuilt from PyMuPDF's ``dict`` output so that pieces printed on
the same row (table cells, list numbers, label/value columns) end up on one
line. A line that ends in an ordinary space was soft-wrapped by the layout
engine; that trailing space is kept on purpose as a signal for the cleaner.
A blank line marks a vertical gap between text blocks (a paragraph break).

Errors are typed (:mod:`core.errors`) and always carry ``path``.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from core.errors import (
    CorruptFileError,
    EncodingError,
    EncryptedFileError,
    FileTooLargeError,
    MinutesError,
    NoTextError,
    UnsupportedFileError,
)
from core.items import Document, Page

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 100 * 2**20
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".html", ".htm", ".docx")

_CELL_GAP = 10.0  # points; a wider horizontal gap inside a row becomes " | "
_MARKER_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zA-Z][.)]|[•·▪◦‣∙○●■□\-–*])\s*$")


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` into a :class:`Document` of plain-text pages.

    Args:
        path: a ``.pdf``, ``.txt``, ``.html``/``.htm`` or ``.docx`` file.
        max_bytes: files larger than this are refused before reading.

    Returns:
        The document; ``source`` is ``str(path)`` as given.

    Raises:
        UnsupportedFileError: unknown suffix (e.g. ``.doc``, ``.xlsx``) or not a file.
        FileTooLargeError: the file is larger than ``max_bytes``.
        NoTextError: the file is empty or has no text layer (scanned PDF).
        CorruptFileError: the file cannot be parsed.
        EncryptedFileError: a password-protected PDF.
        EncodingError: a text file whose character set cannot be recognised.
    """
    path = Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(
            f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}",
            path=where,
        )
    try:
        size = path.stat().st_size
    except OSError as e:
        raise UnsupportedFileError(f"cannot access file: {e}", path=where) from e
    if not path.is_file():
        raise UnsupportedFileError("not a regular file", path=where)
    if size > max_bytes:
        raise FileTooLargeError(f"file is {size} bytes, limit is {max_bytes} bytes", path=where)
    if size == 0:
        raise NoTextError("file is empty (0 bytes)", path=where)
    try:
        if suffix == ".pdf":
            pages, fmt = _read_pdf(path), "pdf"
        elif suffix == ".txt":
            pages, fmt = _split_pages(_decode_text(path.read_bytes(), where)), "txt"
        elif suffix in (".html", ".htm"):
            pages, fmt = _read_html(path.read_bytes(), where), "html"
        else:
            pages, fmt = _read_docx(path), "docx"
    except MinutesError as e:
        e.path = e.path or where
        raise
    except OSError as e:
        raise CorruptFileError(f"cannot read file: {e}", path=where) from e
    if not any(p.text.strip() for p in pages):
        raise NoTextError("no extractable text (scanned image or empty document?)", path=where)
    logger.debug("read %s: %d pages (%s)", where, len(pages), fmt)
    return Document(source=where, pages=pages, fmt=fmt)


# --------------------------------------------------------------------- PDF


@dataclass
class _Piece:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def _read_pdf(path: Path) -> list[Page]:
    import pymupdf

    where = str(path)
    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise CorruptFileError("not a PDF file (missing %PDF signature)", path=where)
    try:
        doc = pymupdf.open(path)
    except Exception as e:  # PyMuPDF raises several types for broken files
        raise CorruptFileError(f"PDF cannot be opened: {e}", path=where) from e
    with doc:
        if doc.needs_pass:
            raise EncryptedFileError("PDF is password-protected", path=where)
        pages: list[Page] = []
        try:
            for i, page in enumerate(doc):
                pages.append(Page(number=i + 1, text="\n".join(_pdf_page_lines(page))))
        except Exception as e:
            raise CorruptFileError(f"PDF page cannot be read: {e}", path=where) from e
    return pages


def _pdf_page_lines(page: object) -> list[str]:
    """Rebuild the text rows of one PDF page (see module docstring)."""
    import pymupdf

    data = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)  # type: ignore[attr-defined]
    pieces: list[_Piece] = []
    for block in data.get("blocks", []):
        if block.get("type", 0) != 0:
            continue
        for line in block.get("lines", []):
            text = "".join(span.get("text", "") for span in line.get("spans", []))
            if not text.strip(" \xa0\u200b"):
                continue
            x0, y0, x1, y1 = line["bbox"]
            pieces.append(_Piece(x0, y0, x1, y1, text))
    pieces = _attach_markers(pieces)
    rows: list[list[_Piece]] = []
    for p in pieces:
        target = None
        for k in range(max(0, len(rows) - 4), len(rows)):  # short look-back: table cells split across blocks
            later = rows[k + 1:]
            # not when p continues, below, a column that a later row started (a text line, not a cell)
            if _same_row(rows[k], p) and not any(abs(q.x0 - p.x0) < 2 for r in later for q in r):
                target = rows[k]
        if target is None:
            rows.append([p])
        else:
            target.append(p)
    out: list[str] = []
    prev_bottom: float | None = None
    for row in rows:
        top = min(p.y0 for p in row)
        height = max(p.y1 for p in row) - top
        if prev_bottom is not None and top - prev_bottom > max(3.0, 0.2 * height):
            out.append("")
        out.append(_row_text(row))
        prev_bottom = max(p.y1 for p in row)
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _same_row(row: list[_Piece], p: _Piece) -> bool:
    for q in row:
        h = min(q.y1 - q.y0, p.y1 - p.y0) or 1.0
        if _overlap(q.y0, q.y1, p.y0, p.y1) < 0.5 * h:
            return False
        if _overlap(q.x0, q.x1, p.x0, p.x1) > 1.0:
            return False
    return True


def _attach_markers(pieces: list[_Piece]) -> list[_Piece]:
    """Glue list numbers/bullets drawn as separate objects onto their text line.

    Lapua PDFs emit ``1.``, ``2.`` … of a numbered list before the page text; left
    alone they would pile up above the item heading.
    """
    markers = [i for i, p in enumerate(pieces) if _MARKER_RE.match(p.text)]
    if not markers:
        return pieces
    drop: set[int] = set()
    for i in markers:
        m = pieces[i]
        best, best_gap = None, 60.0
        for j, p in enumerate(pieces):
            if j == i or j in drop or j in markers:
                continue
            gap = p.x0 - m.x1
            h = min(m.y1 - m.y0, p.y1 - p.y0) or 1.0
            if -1.0 <= gap < best_gap and _overlap(m.y0, m.y1, p.y0, p.y1) >= 0.5 * h:
                best, best_gap = j, gap
        if best is not None:
            t = pieces[best]
            pieces[best] = _Piece(m.x0, min(m.y0, t.y0), t.x1, max(m.y1, t.y1), m.text.strip() + " " + t.text.lstrip())
            drop.add(i)
    return [p for i, p in enumerate(pieces) if i not in drop]


def _row_text(row: list[_Piece]) -> str:
    row = sorted(row, key=lambda p: p.x0)
    parts = [row[0].text.strip(" \xa0")]
    for prev, p in pairwise(row):
        parts.append(" | " if p.x0 - prev.x1 > _CELL_GAP else " ")
        parts.append(p.text.strip(" \xa0"))
    text = "".join(parts)
    # keep an ordinary trailing space: it marks a soft line wrap (not NBSP: paragraph end)
    return text + " " if row[-1].text.endswith(" ") else text


# -------------------------------------------------------------------- text

_LEGACY_ENCODINGS = ("cp1252", "iso8859_15", "latin_1")  # what Finnish legacy text files use


def _decode_text(data: bytes, where: str) -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then a detected legacy code page."""
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(enc), where)
            except UnicodeDecodeError as e:
                raise EncodingError(f"invalid {enc} after byte-order mark: {e}", path=where) from e
    if b"\x00" in data[:4096]:
        raise EncodingError("binary data (NUL bytes) in a text file", path=where)
    try:
        return _check_text(data.decode("utf-8"), where)
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)).best()
    if best is not None:
        logger.info("%s: decoded as %s", where, best.encoding)
        return _check_text(str(best), where)
    for enc in ("cp1252", "latin_1"):  # charset-normalizer had no opinion: the usual Windows code page
        try:
            return _check_text(data.decode(enc), where)
        except UnicodeDecodeError:
            continue
    raise EncodingError("character set not recognised (tried UTF-8, cp1252, latin-1)", path=where)


def _check_text(text: str, where: str) -> str:
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x80 <= ord(c) < 0xA0)
    if sample and bad / len(sample) > 0.02:
        raise EncodingError(f"text has {bad} control characters in the first {len(sample)}", path=where)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_pages(text: str) -> list[Page]:
    """Form feeds separate pages in plain text; otherwise the whole text is one page."""
    return [Page(number=i + 1, text=t) for i, t in enumerate(text.split("\f"))]


# -------------------------------------------------------------------- HTML

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "ul", "caption", "details", "summary",
}
_SKIP_TAGS = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object", "nav", "footer"}


def _read_html(data: bytes, where: str) -> list[Page]:
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as e:
        raise CorruptFileError(f"HTML cannot be parsed: {e}", path=where) from e
    if soup.original_encoding is None and not isinstance(data, str):
        logger.debug("%s: HTML encoding guessed", where)
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(buf)).strip()
        if text:
            lines.append(text)
        buf.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                buf.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
                continue
            if child.name == "br":
                flush()
            elif child.name == "table":
                flush()
                for tr in child.find_all("tr"):
                    cells = [re.sub(r"\s+", " ", c.get_text(" ")).strip() for c in tr.find_all(["td", "th"])]
                    cells = [c for c in cells if c]
                    if cells:
                        lines.append(" | ".join(cells))
                lines.append("")
            elif child.name in _BLOCK_TAGS or child.name in ("body", "html"):
                flush()
                if child.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "hr"):
                    lines.append("")
                if child.name == "pre":
                    lines.extend(child.get_text().splitlines())
                else:
                    walk(child)
                flush()
                if child.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
                    lines.append("")
            else:
                walk(child)

    walk(soup)
    flush()
    text = "\n".join(lines)
    return [Page(number=i + 1, text=t) for i, t in enumerate(text.split("\f"))]


# -------------------------------------------------------------------- DOCX


def _read_docx(path: Path) -> list[Page]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    where = str(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise CorruptFileError(f"DOCX cannot be opened: {e}", path=where) from e
    pages: list[list[str]] = [[]]
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for child in document.element.body.iterchildren():
        if child.tag == ns + "p":
            para = Paragraph(child, document)
            breaks = child.findall(f".//{ns}br[@{ns}type='page']")
            if breaks and pages[-1]:
                pages.append([])
            pages[-1].extend(para.text.split("\n"))
        elif child.tag == ns + "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = re.sub(r"\s+", " ", cell.text).strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                        cells.append(t)
                if cells:
                    pages[-1].append(" | ".join(cells))
            pages[-1].append("")
    return [Page(number=i + 1, text="\n".join(p)) for i, p in enumerate(pages)]
