"""The contents list of a Lapua-style document: a named index ("Käsitellyt asiat" ⏎ "§ 157 Title" …) read as
{§: title}, and an unnamed one printed as headings before the items, which the heading finder leaves out."""

from __future__ import annotations

import re

from ingest import clean
from ingest.lines import Line

#: "§ 157 Title" (also "§ 157: Title"), as the splitter reads a heading.
HEADING_RE = re.compile(r"^§\s*(\d{1,4})\s*(?:[|:.\-–]\s*)?(.*)$")
_INDEX_RE = re.compile(r"^(?:Käsitellyt asiat|Käsiteltävät asiat|Asialista|Sisällysluettelo)\s*:?$", re.I)
_STOP_INDEX_RE = re.compile(
    r"^(?:Saapuvilla olleet jäsenet|Osallistujat|Läsnä|Muut saapuvilla olleet|Poissa|Allekirjoitukset|"
    r"Kokouksen osallistujat|Läsnäolijat|Jäsenet)\s*:?$", re.I)


def read_index(lines: list[Line]) -> tuple[dict[int, str], int]:
    """The "Käsitellyt asiat" index as {§: title} and the line where it ends (0 if none)."""
    start = next((i for i, ln in enumerate(lines[:400]) if _INDEX_RE.match(ln.text)), None)
    if start is None:
        return {}, 0
    index: dict[int, str] = {}
    cur: int | None = None
    title: list[str] = []
    prefix: list[str] = []  # a title line drawn above its "§ N" row (label centred on a wrapped title)
    i = start + 1
    for i in range(start + 1, len(lines)):
        t = lines[i].text
        if not t or t.lower() in ("lisäpykälät", "lisäpykälä"):
            continue
        m = HEADING_RE.match(t)
        if m:
            sec = int(m.group(1))
            if index and sec <= max(index):
                break  # the first item heading repeats an index number
            if cur is not None:
                index[cur] = clean.join_lines(title).replace("\n", " ")
            cur, title, prefix = sec, prefix + ([m.group(2)] if m.group(2) else []), []
            index[cur] = ""
            continue
        if _STOP_INDEX_RE.match(t) or cur is None:
            break
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not lines[i - 1].text and nxt is not None and HEADING_RE.match(nxt.text) and title:
            prefix.append(lines[i].raw)
        else:
            title.append(lines[i].raw)
    else:
        i = len(lines)
    if cur is not None:
        index[cur] = clean.join_lines(title).replace("\n", " ")
    return index, i


def without_contents(cands: list[tuple[int, int, str, str]], lines: list[Line]) -> list[tuple[int, int, str, str]]:
    """Heading candidates less a contents list printed as headings ("§ 11 Kokouksen laillisuus … 2" under
    an unnamed "ASIA … SIVU" head): two or more entries, at most two lines apart, whose first number the
    items then start again at."""
    for k in range(2, len(cands)):
        if cands[k][1] == cands[0][1]:
            rows = [c[0] for c in cands[:k]]
            if all(sum(1 for ln in lines[a + 1:b] if ln.text) <= 2 for a, b in zip(rows, rows[1:], strict=False)):
                return cands[k:]
            break
    return cands
