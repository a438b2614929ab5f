"""Items marked by a line of their own with the body's abbreviation and the §, the title above it.

Older PDF-to-text exports print an item as ``KOKOUKSEN LAILLISUUDEN JA PÄÄTÖSVALTAISUUDEN
TOTEAMINEN`` ⏎ ``Khall 48 §`` ⏎ ``PÄÄTÖS:`` ⏎ …, the marker also as ``Sivltk § 12`` or with the body's
whole name (``Yhtymähallitus 36 §``). Such a line
counts only as one of a run: two or more markers with the same abbreviation and rising numbers
(a lone "Laki 5 §" line is no item). The title is the line or lines just above the marker, back
to a separator line, a sentence or the previous item.
"""

from __future__ import annotations

import re

from core.bodies import is_body_name
from ingest.dumps import rising_run
from ingest.lines import Line, is_separator
from ingest.markers import Heading

_ABBR_LINE_RE = re.compile(r"^(?P<abbr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö.\-]{1,11}|[A-ZÅÄÖ][\wåäö\- ]{11,60}?)\s+"
                           r"(?:§\s*(?P<a>\d{1,4})|(?P<b>\d{1,4})\s*§)$")
#: Longer than this, the marker's name must be a body's name ("Yhtymähallitus 36 §"), not any words.
_ABBR_CHARS = 12
_TITLE_LINES = 3


def find(lines: list[Line]) -> list[tuple[int, int, Heading]]:
    """(first title line, marker line, heading) of each item, or [] when the markers form no run."""
    hits: dict[str, list[tuple[int, int, int, Heading]]] = {}
    for i, ln in enumerate(lines):
        if (m := _ABBR_LINE_RE.match(ln.text)) and (len(m.group("abbr")) <= _ABBR_CHARS or is_body_name(m.group("abbr"))):
            sec = int(m.group("a") or m.group("b"))
            hits.setdefault(m.group("abbr"), []).append((i, 0, 0, Heading(sec, body=m.group("abbr"), form="abbr")))
    best = max((rising_run(found) for found in hits.values()), key=len, default=[])
    if len(best) < 2:
        return []
    out: list[tuple[int, int, Heading]] = []
    floor = 0
    for i, _, _, head in best:
        start = _title_start(lines, i, floor)
        title = " ".join(ln.text for ln in lines[start:i] if ln.text and not is_separator(ln.text))
        out.append((start, i, Heading(head.section, title=title, body=head.body, form="abbr")))
        floor = i + 1
    return out


def _title_start(lines: list[Line], marker: int, floor: int) -> int:
    """The first of the title lines above ``marker``: non-empty lines back to a separator (which then
    opens the item, so the previous one does not end with it), a line that ends a sentence or a label,
    or ``floor`` (the line after the previous marker), at most a few."""
    start, taken = marker, 0
    k = marker - 1
    while k >= floor and taken < _TITLE_LINES:
        t = lines[k].text
        if t:
            if is_separator(t):
                return k  # the rule under the previous item opens this one
            if t.endswith((".", ":")):
                break
            start, taken = k, taken + 1
        elif taken:
            break
        k -= 1
    return start
