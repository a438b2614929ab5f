"""A table of an item's text as readable rows: "Toimintakate: TA 2024 -6.171.280, TOT 2024 -6.025.748,
käyttö-% 97,6."

The PDF reader marks a wide horizontal gap in a line as " | ", but a narrow gap is only a space: in the
budget and follow-up tables every body reports each month, two or three figures often share one cell
and the header's labels run together ("TA 2024 | TOT 2024 käyttö-%"). Matching cells by position then
gave each row one label for three figures ("Toimintakate: TOT 2024 käyttö-% -6.171.280 -6.025.748 97,6").

So a row of figures is read as a label and its figures, whatever the gaps, and matched with the header's
labels when their numbers agree: the header's cells as marked, or its words cut after each word holding
a figure, a "%" or a "€" ("TA 2024", "TOT 2024", "käyttö-%"). A row whose count agrees with neither, and
a row of words, keep the cells as marked.
"""

from __future__ import annotations

import re

from core.bodies import is_body_name

_YEAR = re.compile(r"(?:19|20)\d\d")  # a year heads a column ("2025 | 2026") as often as it is data
#: A table cell that is a figure ("50", "1 850", "420 000 €", "6,45"): no header holds one.
_FIGURE_CELL = re.compile(r"[-+]?\d[\d .,\u00a0]*(?:\s*(?:€|%|e|euroa?))?")
#: One figure: a sign, digits grouped by spaces ("4 503 000") or by dots and a decimal comma
#: ("-1.021,396", "24,1"), and a unit. A space-grouped figure takes only groups of three digits, so
#: "63 500 86 500" is two figures.
_FIGURE = (r"[-+\u2212]?\s?(?:\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?![\d.])|\d+(?:[.,]\d+)*)"
           r"(?:\s?(?:%|€|euroa?\b))?")
_ONE = re.compile(_FIGURE)
#: A word that can be part of a figure: digits, separators, a sign, a unit.
_FIGURE_WORD = re.compile(r"[-+\u2212\d.,%€]+|euroa?")
#: Longer cells are prose, not figures (and bound the work on hostile text).
MAX_CELL = 300
#: A header word that ends a column label: it holds a figure, a per cent or a euro sign.
_LABEL_END = re.compile(r"[\d%€]")


def table_rows(block: str) -> list[str]:
    """A table as readable rows: "Yhteensä: Valaisimia 1 850, Kustannusarvio 780 000 €"."""
    rows = _rows(block)
    if not rows:
        return []
    head, body = rows[0], rows[1:]
    if any(_FIGURE_CELL.fullmatch(c) and not _years(c) for c in head[1:]):
        head, body = [], rows  # a figure in the first row: it is data, and the table has no header
    labels = _label_sets(head)
    out = []
    for cells in body:
        read = _by_figures(cells, labels) if labels else None
        if read is not None:
            out.append(read)
        elif head and len(cells) == len(head):
            pairs = [f"{h} {c}" for h, c in zip(head[1:], cells[1:], strict=True) if c]
            out.append(f"{cells[0]}: {', '.join(pairs)}." if pairs else f"{cells[0]}.")
        else:
            out.append(", ".join(c for c in cells if c) + ".")
    return out if body else [", ".join(c for c in head if c) + "."]


def _rows(block: str) -> list[list[str]]:
    """The block's lines as cells. A line without a gap is a row of its own when it ends in figures
    after a label ("Toimintatuotot 1.329.950 1.127.089 84,7"), else a cell broken over lines: it belongs
    to the next row."""
    rows: list[list[str]] = []
    pending: list[str] = []
    for ln in block.split("\n"):
        if "|" not in ln and not (rows and _split_label(ln.strip())[1]):
            pending.append(ln.strip())
            continue
        cells = [c.strip() for c in ln.split("|")]
        if pending:
            cells[0] = " ".join([*pending, cells[0]]).strip()
            pending = []
        rows.append(cells)
    if pending and rows:
        rows[-1][-1] = " ".join([rows[-1][-1], *pending]).strip()
    return rows


def _years(cell: str) -> bool:
    """The cell holds only years ("2025", "2025 2026")."""
    return all(_YEAR.fullmatch(t) for t in cell.split())


def _label_sets(head: list[str]) -> list[list[str]]:
    """The header's column labels, read two ways: its cells as marked and its words cut after each
    word holding a figure, "%" or "€". A first cell with none of these labels the rows, not a column."""
    if not head:
        return []
    cols = head[1:] if not _LABEL_END.search(head[0]) else [_unstubbed(head[0]), *head[1:]]
    cols = [c for c in cols if c]
    cut: list[str] = []
    words: list[str] = []
    for w in " ".join(cols).split():
        words.append(w)
        if _LABEL_END.search(w):
            cut.append(" ".join(words))
            words = []
    if words:
        cut.append(" ".join(words))
    return [cols, cut] if cut != cols else [cols]


def _unstubbed(cell: str) -> str:
    """A first header cell without the body whose table it is ("Sivistyslautakunta TA 2025" → "TA 2025"):
    the name labels the rows, as a first cell without figures does."""
    words = cell.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        if is_body_name(" ".join(words[:k])):
            return " ".join(words[k:])
    return cell


def _split_label(cell: str) -> tuple[str, list[str]]:
    """A first cell as its label and the figures it ends with: "Toimintatuotot 1.127.089 36.375" →
    ("Toimintatuotot", ["1.127.089", "36.375"]). A label must hold a letter."""
    words = cell.split()
    if len(cell) > MAX_CELL:
        return cell, []
    first = len(words)
    while first > 0 and _FIGURE_WORD.fullmatch(words[first - 1]):
        first -= 1
    for k in range(first, len(words)):
        label = " ".join(words[:k])
        figures = _figures(" ".join(words[k:]))
        if figures is not None and re.search(r"[^\W\d_]", label):
            return label, figures
    return cell, []


def _figures(cell: str) -> list[str] | None:
    """The figures a cell consists of, read left to right ("63 500 86 500" → two); ``None`` when it
    holds anything else. One match per figure: no backtracking over the ways to group digits."""
    text, out, pos = cell.strip(), [], 0
    if not text or len(text) > MAX_CELL:
        return None
    while pos < len(text):
        m = _ONE.match(text, pos)
        if m is None or m.end() == pos:
            return None
        out.append(m.group().strip())
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _by_figures(cells: list[str], labels: list[list[str]]) -> str | None:
    """The row as "label: column figure, …" when all it holds after its label are figures and their
    number agrees with a reading of the header; else ``None``."""
    rest = [c for c in cells[1:] if c]
    if not rest and len(cells) > 1:
        return None
    read = [_figures(c) for c in rest]
    if any(f is None for f in read):
        return None  # a row of words: its cells are matched as marked
    later = [f for fs in read for f in fs or ()]
    stem, own = _split_label(cells[0])
    # The figures a first cell ends with are the row's first figures ("Toimintatuotot 475.378 | 296.719"),
    # unless only the whole cell as a label gives a count the header agrees with ("Vaihe 1 | 420 000 €").
    for label, figures in ((stem, own + later), (cells[0], later)):
        for cols in labels:
            if figures and len(figures) == len(cols) and label and _figures(label) is None:
                pairs = ", ".join(f"{c} {f}" for c, f in zip(cols, figures, strict=True))
                return f"{label}: {pairs}."
    return None
