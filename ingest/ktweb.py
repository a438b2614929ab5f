"""KTweb/Tweb exports whose "§" was lost: one line per item, heading, title and text run together.

Such a line reads ``45, KST 2011-03-07 18:00 LAGLIGHET OCH BESLUTFÖRHET s ordförande konstaterar …
KST 45 Konstaterades.``: item number, the body's abbreviation, the meeting's date and time, the title
in capitals, the text, and the body's own marker before the decision. :func:`item_lines` cuts it into
the lines the generic splitter reads from a KTweb page that kept its "§".
"""

from __future__ import annotations

import re

from ingest import dumps
from ingest.lines import Line

#: A KTweb item line whose "§" the export lost, with the item on the same line:
#: "45, KST 2011-03-07 18:00 LAGLIGHET OCH BESLUTFÖRHET s ordförande konstaterar … KST 45 Konstaterades."
_KTWEB_LINE_RE = re.compile(r"^(?P<head>(?P<n>-?\d{1,4}),\s*(?P<abbr>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö.]{1,15})\s+"
                            r"(?:19|20)\d{2}-\d{2}-\d{2}(?:\s+\d{1,2}[:.]\d{2})?)\s+(?P<rest>\S.*)$")
#: Case IDs printed before a KTweb item's title: "KST: 52/2011 Dnr:KST 52/2011 ".
_LEADING_IDS_RE = re.compile(r"^(?:(?:Dnr\s*:?\s*)?[A-ZÅÄÖ]{2,10}\s*:?\s*\d{1,5}/(?:19|20)\d{2}\s+){1,3}")


def item_lines(lines: list[Line]) -> list[Line]:
    """KTweb items printed one per line without "§": the heading, the title (its upper-case run), the
    text, and where the body's own marker ("KST 45") starts the decision, a decision label before it."""
    if sum(1 for ln in lines if _KTWEB_LINE_RE.match(ln.text)) < 2:
        return lines  # one such line is no KTweb export
    out: list[Line] = []
    for ln in lines:
        m = _KTWEB_LINE_RE.match(ln.text)
        if not m:
            out.append(ln)
            continue
        head = f"§ {m.group('head')}"
        out.append(Line(ln.page, head, head))
        rest = m.group("rest")
        ids = _LEADING_IDS_RE.match(rest)  # "KST: 52/2011 Dnr:KST 52/2011 TITLE …": the title follows
        if ids:
            rest = rest[ids.end():]
        title = dumps.leading_title(rest) if rest[:2].isupper() else ""
        if title:
            out.append(Line(ln.page, title, title))
            rest = rest[len(title):].lstrip(" ,.")
        if ids:
            out.append(Line(ln.page, ids.group().strip(), ids.group().strip()))
        own = re.search(rf"(?<!\S){re.escape(m.group('abbr'))}\s+{m.group('n')}(?!\d)\s*", rest)
        parts = [rest[:own.start()], "Päätös", rest[own.end():]] if own else [rest]
        out.extend(Line(ln.page, t.strip(), t.strip()) for t in parts if t.strip())
    return out
