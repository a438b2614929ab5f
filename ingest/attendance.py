"""Who attended a meeting, read from the minutes' front matter: ``["Saapuvilla olleet jäsenet: Lasse
Rajala, puheenjohtaja", …]``.

Minutes list the members present and the others present before the first §, either as a block of
lines under a heading (Cloudia, KTweb: "Saapuvilla olleet jäsenet", then "Lasse Rajala, puheenjohtaja"
a line each) or run into one line ("Saapuvilla olleet jäsenet: Kaisa Leppänen (puheenjohtaja), Jari
Kallio, …"). Each person becomes one entry "Heading: Name, role" ("Heading: Name" for a member
without a role), so the role reader (:mod:`assistant.roles`) finds who chairs a board the way it finds
"kaupunginjohtaja Satu Kankare" in prose, and the entry can be quoted as the minutes print it.
Layouts that flatten the list into one run of words without commas (Dynasty dumps) give no entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.items import attendee

#: Headings of the attendance lists (Finnish and Swedish). Absentees ("Poissa") are not attendees.
_HEADING = re.compile(
    r"^(?P<head>Saapuvilla olleet jäsenet|Saapuvilla olleet valtuutetut|Saapuvilla olleet|Muut saapuvilla olleet|Läsnä(?:olijat)?|"
    r"Osallistujat|Kokouksen osallistujat|Jäsenet|Närvarande(?: medlemmar| ledamöter)?|Övriga närvarande)"
    r"\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
#: What ends the lists: absentees, the index, signatures, the first §.
_STOP = re.compile(r"^(?:Poissa|Poissaolleet|Poissa olleet|Käsitellyt asiat|Käsiteltävät asiat|Allekirjoitukset|"
                   r"Pöytäkirjan tarkastus|Pöytäkirjan tarkastajat|Frånvarande|Underskrifter|Paragrafer|§)",
                   re.IGNORECASE)
_WORD = r"[A-ZÅÄÖÜ][a-zåäöüé]+(?:-[A-ZÅÄÖÜ]?[a-zåäöüé]+)?"
#: "Lasse Rajala, puheenjohtaja", "Kaisa Leppänen (puheenjohtaja)", "Noora Virta": two to four capitalised words.
_ENTRY = re.compile(rf"^(?P<name>{_WORD}(?:\s+{_WORD}){{1,3}})\s*(?:,\s*(?P<role>\S.*)|\((?P<paren>[^()]+)\))?\s*$")
#: Lines of a list block that match no entry before it is taken to have ended (a page header between).
MAX_MISSES = 3
#: More entries than any board has members and staff present: the block was misread.
MAX_ENTRIES = 80


def attendance(lines: Sequence[str]) -> list[str]:
    """The attendance entries of a meeting from its front-matter ``lines`` (before the first §)."""
    out: list[str] = []
    head: str | None = None
    misses = 0
    for raw in lines:
        text = " ".join(raw.split())
        if not text:
            continue
        m = _HEADING.match(text)
        if m:
            head, misses = m.group("head"), 0
            out += [attendee(head, e) for e in _inline(m.group("rest"))]
            continue
        if head is None:
            continue
        if _STOP.match(text):
            head = None
            continue
        entries = _inline(text)
        if not entries:
            misses += 1
            if misses >= MAX_MISSES:
                head = None
            continue
        misses = 0
        out += [attendee(head, e) for e in entries]
    return out if len(out) <= MAX_ENTRIES else []


def _inline(rest: str) -> list[str]:
    """Entries of a list run into one line: split at semicolons when it has them ("Raimo Ylinen,
    puheenjohtaja; Marja Ketola, kaupunginjohtaja"), else at commas outside parentheses when every
    part is a person ("Kaisa Leppänen (puheenjohtaja), Jari Kallio"), else one person with a role
    ("Mirva Korpi, Tekninen johtaja, esittelijä"); [] when it lists no one ("ks. liite")."""
    semicolons = ";" in rest
    entries = [_entry(p.strip()) for p in (rest.split(";") if semicolons else _commas(rest)) if p.strip()]
    if entries and all(entries):
        return [e for e in entries if e is not None]
    one = None if semicolons else _entry(rest.strip())
    return [one] if one is not None else []


def _commas(text: str) -> list[str]:
    """``text`` split at the commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def _entry(text: str) -> str | None:
    """``Name, role`` (or ``Name``) of one listed person, or None when the text is not one."""
    m = _ENTRY.match(text)
    if m is None:
        return None
    role = (m.group("role") or m.group("paren") or "").strip()
    return f"{m.group('name')}, {role}" if role else m.group("name")
