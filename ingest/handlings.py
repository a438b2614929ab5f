"""Handlings: the headings that divide one agenda item into this meeting's part and earlier bodies' parts.

A heading names a body, a date and a § ("Kaupunginhallitus, 02.09.2024, § 246", "Stst 12.1.2015 § 3",
"Liikuntalautakunta 28.4.2015 52 §"); a bare marker ("KH § 188") counts when the handling table above the
item dates it. :func:`segments` cuts the item's lines at them; :mod:`ingest.sections` reads each part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.bodies import abbreviation_fits, is_body_name, resolve_body
from ingest.clean import DATE, iso_date
from ingest.lines import Line, ends_paragraph, is_separator

#: One part of an item: the handling heading it follows as (body, date, §), or None for the part before
#: any heading, and its lines.
Segment = tuple[tuple[str, str, int] | None, list[Line]]

#: A handling heading: body, date and § ("Tekninen lautakunta 12.3.2024 § 41"), the number also before the
#: sign ("Liikuntalautakunta 28.4.2015 52 §", as some Dynasty pages print it).
_HIST_RE = re.compile(
    rf"^(?P<body>[A-ZÅÄÖ][\w\- ]{{1,60}}?)(?:,\s*|\s+){DATE}(?:,\s*|\s+)(?:§\s*(?P<sec>\d{{1,4}})|(?P<num>\d{{1,4}})\s*§)$")
#: A short form of a body's name in a handling heading ("Stst 12.1.2015 § 3"), and the capitalised words
#: of an item's text among which the names it may stand for are looked up.
_SHORT_FORM_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäö.]{1,7}$")
_CAP_WORD_RE = re.compile(r"\b[A-ZÅÄÖ][a-zåäö-]{5,40}\b")
_NAME_SCAN = 20000


def bodies_named(meeting_body: str, text: str) -> list[str]:
    """The meeting's body, then the one-word body names the item's text uses ("Stadsfullmäktige")."""
    words = dict.fromkeys(w for w in _CAP_WORD_RE.findall(text[:_NAME_SCAN]) if is_body_name(w))
    return [b for b in (meeting_body, *words) if b]


def heading_body(name: str, bodies: Sequence[str]) -> str | None:
    """The body a handling heading names: a body name or a registered abbreviation, or a short form
    ("Stst", "Stfm") that fits a body the item names; None for other words. Of several names it fits
    ("Stst": Stadsstyrelsen and Stadsfullmäktige), the one whose letters it takes closest together."""
    if is_body_name(name):
        return resolve_body(name)[0]
    if not _SHORT_FORM_RE.match(name):
        return None
    fits = [(_span(name.lower().rstrip("."), b.lower()), k, b) for k, b in enumerate(bodies)
            if not b.isupper() and abbreviation_fits(name.rstrip("."), b)]
    return min(fits)[2] if fits else None


def _span(abbr: str, name: str) -> int:
    """How far into ``name`` the letters of ``abbr`` reach, taken in order as early as they come."""
    pos = -1
    for ch in abbr:
        pos = name.find(ch, pos + 1)
        if pos < 0:
            return len(name) + 1
    return pos


def segments(lines: list[Line], bodies: Sequence[str] = (),
              handlings: Sequence[tuple[str, str, int]] = ()) -> list[Segment]:
    """Split item lines at history headings: ``[(None, prelude), ((body, date, §), lines), …]``.

    An old-style heading without commas (``Ympäristölautakunta 08.06.2021 § 47``)
    ends at a ``____`` rule; what follows the rule goes back to the part before it. A bare marker
    ("KH § 188") starts a handling when a row of the item's handling table names its § and a body
    the abbreviation fits: the row gives its date.
    """
    segs: list[Segment] = [(None, [])]
    target, old_style = 0, False
    for i, ln in enumerate(lines):
        m = _HIST_RE.match(ln.text)
        body = heading_body(m["body"], bodies) if m else None
        row = _table_row(ln.text, handlings) if not body else None
        if row and ends_paragraph(lines[i - 1] if i else None):
            segs.append((row, []))
            target, old_style = len(segs) - 1, False
        elif body and ends_paragraph(lines[i - 1] if i else None):
            segs.append(((body, iso_date(ln.text) or "", int(m["sec"] or m["num"])), []))
            target, old_style = len(segs) - 1, "," not in ln.text
        elif old_style and is_separator(ln.text):
            target, old_style = target - 1, False  # back to the enclosing part
        else:
            segs[target][1].append(ln)
    return segs


#: A bare handling marker: an abbreviation and a § ("KH § 188", "Tekla § 41").
_BARE_MARKER_RE = re.compile(r"^(?P<abbr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö.]{0,15})\s+§\s*(?P<sec>\d{1,4})$")


def _table_row(text: str, handlings: Sequence[tuple[str, str, int]]) -> tuple[str, str, int] | None:
    """The handling-table row a bare marker stands for: the one of its § whose body the abbreviation fits."""
    m = _BARE_MARKER_RE.match(text) if handlings else None
    if m is None:
        return None
    sec, abbr = int(m["sec"]), m["abbr"].rstrip(".")
    return next((r for r in handlings if r[2] == sec and r[1] and abbreviation_fits(abbr, r[0])), None)
