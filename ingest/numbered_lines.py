"""Items numbered without a § sign: ``63   Kokouksen laillisuus``, ``1 Kokouksen avaus``, ``1. Kokouksen avaus``.

Advisory bodies (vanhusneuvosto, nuorisovaltuusto), regional councils and towns' web pages number their
items without the sign. A bare number opens many other lines (a decision's clauses, a list of notices,
a contents list, a report's chapters), so such a line is an item's heading only as one of a run:

* the line is the number, a dot or a space, and a title: capitalised, short, not a sentence;
* contents lines (dot leaders, or a page number after a gap) and an entry directly followed by the next
  entry of its list (a contents list or a list inside an item, numbered alike) are not headings;
* the headings are numbered consecutively, all written alike (``1.`` or ``1``), and the longest such run
  wins; between runs as long, the one that reaches each number first (an item's heading comes before
  any list inside it). A run needs :data:`MIN_RUN` headings, or two that a contents list names by
  the same number and title.

:func:`ingest.generic.split_generic` asks for this last, when a document has no § item at all, and
keeps the items only in a document that declares itself minutes or names its body.
"""

from __future__ import annotations

import re

from ingest.lines import Line
from ingest.markers import Heading, plausible_title

_NUMBERED_RE = re.compile(r"^(?P<n>\d{1,3})(?P<form>\.\s*|\s+)(?P<title>[A-ZÅÄÖ][^\n]{1,150})$")
#: A contents entry: dot leaders, or a page number after a gap ("Ilmoitusasiat ....... 11", "Ilmoitusasiat    11").
_CONTENTS_RE = re.compile(r"(?<![.\s])(?:\s*[.…]{3,}\s*|\s*…\s*|\s{2,})\d{1,3}$")  # from a run's start: linear
#: Consecutive headings needed: two numbered lines are a list as often as items.
MIN_RUN = 3
#: Numbered lines considered; a document with more is no meeting's item list.
MAX_HITS = 600


def find(lines: list[Line]) -> list[tuple[int, int, Heading]]:
    """(first line, heading line, heading) of each item, or [] when no run of numbered headings is found."""
    contents: dict[int, str] = {}
    hits = _hits(lines, contents)[:MAX_HITS]
    best: list[tuple[int, int, str, str, int]] = []
    for form in sorted({h[2] for h in hits}):
        run = _longest_run([h for h in hits if h[2] == form])
        if len(run) > len(best) or (len(run) == len(best) and run and run[0][0] < best[0][0]):
            best = run
    listed = len(best) >= 2 and all(_key(contents.get(n, "")) == _key(t) for _i, n, _f, t, _h in best)
    if len(best) < MIN_RUN and not listed:
        return []
    return [(i, head, Heading(n, title=t, form="numbered")) for i, n, _f, t, head in best]


def _key(title: str) -> str:
    return re.sub(r"\W+", " ", title).strip().lower()


def _hits(lines: list[Line], contents: dict[int, str]) -> list[tuple[int, int, str, str, int]]:
    """(line, number, form, title, title's line) of every line that can head an item; ``contents`` gets the
    contents entries. A bare number's heading is its title's line: the item's text starts after the title."""
    found: list[tuple[int, int, str, str, int]] = []
    for i, ln in enumerate(lines):
        m = _NUMBERED_RE.match(ln.text) or _bare_number(lines, i)
        if m is None:
            continue
        title = m.group("title").strip()
        # On the raw line: a page number after a gap is a gap only before spaces are normalised.
        head = _title_line(lines, i)
        raw = lines[head].raw.rstrip()  # the line that holds the title
        if (c := _CONTENTS_RE.search(raw)) is not None:
            head = _NUMBERED_RE.match(" ".join(raw[:c.start()].split()))
            contents.setdefault(int(m.group("n")), head.group("title") if head else title)
            continue
        if title.endswith((".", ":", ",", ";")) or not plausible_title(title):
            continue
        found.append((i, int(m.group("n")), "." if "." in m.group("form") else " ", title, head))
    keep = []
    for k, (i, n, form, title, head) in enumerate(found):
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j].text), None)
        listed = k + 1 < len(found) and found[k + 1][0] == nxt and found[k + 1][2] == form
        if not listed:
            keep.append((i, n, form, title, head))
    return keep


#: A number alone on its line (a decisions notice prints it above the title).
_BARE_RE = re.compile(r"^\d{1,3}$")
#: Link labels a web page prints after a title ("… päätösvaltaisuus pdf html").
_FORMAT_LINKS_RE = re.compile(r"(?<!\s)(?:\s+(?:pdf|html?|docx?|rtf))+$", re.IGNORECASE)  # from a run's start


def _title_line(lines: list[Line], i: int) -> int:
    """The line of the title of the heading at ``i``: ``i`` itself, or for a bare number the next non-blank one."""
    if not _BARE_RE.match(lines[i].text):
        return i
    return next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].text), i)


def _bare_number(lines: list[Line], i: int) -> re.Match[str] | None:
    """``N`` alone on line ``i`` with a title on the next non-blank line, read as one "N Title" line (the
    heading stays at ``i``); None otherwise."""
    if not _BARE_RE.match(lines[i].text):
        return None
    nxt = next((ln.text for ln in lines[i + 1:i + 4] if ln.text), "")
    return _NUMBERED_RE.match(f"{lines[i].text} {_FORMAT_LINKS_RE.sub('', nxt)}")


def _longest_run(hits: list[tuple[int, int, str, str, int]]) -> list[tuple[int, int, str, str, int]]:
    """The longest chain of hits numbered n, n+1, … in reading order; ties go to the earliest next hit."""
    length = [1] * len(hits)
    nxt = [-1] * len(hits)
    for a in range(len(hits) - 1, -1, -1):
        for b in range(a + 1, len(hits)):
            if hits[b][1] == hits[a][1] + 1 and length[b] + 1 > length[a]:
                length[a], nxt[a] = length[b] + 1, b  # strictly longer only: the earliest of equals stays
    if not hits:
        return []
    a = max(range(len(hits)), key=lambda k: (length[k], -k))
    run = []
    while a >= 0:
        run.append(hits[a])
        a = nxt[a]
    return run
