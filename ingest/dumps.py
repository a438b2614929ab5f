"""PDF text dumps (docplayer.fi/.se, abcdocz and the like): one page per line, § signs often stripped.

Such a page reads ``3 VESILAHDEN KUNTA PÖYTÄKIRJA 16/ Kunnanhallitus KOKOUKSEN LAILLISUUS JA
PÄÄTÖSVALTAISUUS KHAL 193 Kunnanhallituksen kokouksen …``: page number, running header, the
item title, then the item marker = body name or abbreviation + § number (``KHAL 193``,
``Siv.ltk 50``, ``KH § 117``, ``Sivistyslautakunta 83``), then the text. A KTweb header that
lost its date reads ``68, SSTYR :00 Sida 3``. An upper-case abbreviation counts only when its
letters fit the meeting's body name (``KHAL`` = *K*unnan*ha*l*litus), so ``VUODEN 2014`` in
a title is no marker.
"""

from __future__ import annotations

import re

from core.bodies import abbreviation_fits, registered_abbreviations
from ingest.markers import BODY_WORD_RE, Heading
from ingest.meeting import read_header
from ingest.sections import Line, build_item

_VIEWER_RE = re.compile(r"^(?:Transkriptio|Transkript|Full text|Koko teksti)$", re.I)
_MARK_RE = re.compile(r"(?<=\s)(?P<abbr>[A-ZÅÄÖ][\wÅÄÖåäö.]{1,25})\s+(?:§\s*)?(?P<n>\d{1,4})(?=\s+[A-ZÅÄÖ(\"”:])")
_TWEB_RE = re.compile(r"(?:^|(?<=\s))(?P<n>\d{1,4}),\s*(?P<abbr>[A-ZÅÄÖ]{2,10}),?\s+(?:(?:19|20)\d{2}-\d{2}-\d{2}\s+)?"
                      r"\d{0,2}:\d{2}(?:\s+Sida\s+\d+)?")
_LABEL_SPLIT_RE = re.compile(r"\s(?=(?:PÄÄTÖS|Päätös|PÄÄTÖSEHDOTUS|Päätösehdotus|EHDOTUS|Ehdotus|ESITYS|Esitys|Förslag|"
                             r"Beslut|Valmistelija)\s*:)")
_CAPS_WORD_RE = re.compile(r"^[A-ZÅÄÖ0-9,.\-–/()]+$")
_CUT_RE = re.compile(r"\s(?:Valmistelija|Esittelijä|Lisätiedot)\b.*$")


def is_dump(lines: list[Line], *, viewer_only: bool = False) -> bool:
    """True for a text dump: a viewer's "Transkriptio" line or pages of several hundred characters.

    With ``viewer_only`` (the text has item headings at line starts) only the viewer line counts.
    """
    nonblank = [ln.text for ln in lines if ln.text]
    if any(_VIEWER_RE.match(t) for t in nonblank):
        return True
    if viewer_only:
        return False
    long = [t for t in nonblank if len(t) > 400]
    return bool(long) and sum(map(len, long)) > 0.6 * sum(map(len, nonblank))


def split_dump(lines: list[Line], source: str):  # -> Generic | None (import cycle)
    from ingest.generic import Generic, unglue

    texts = [ln.text for ln in lines if ln.text]
    cut = next((i for i, t in enumerate(texts) if _VIEWER_RE.match(t)), None)
    header, pages = (texts[:cut], texts[cut + 1:]) if cut is not None else ([], texts)
    if not pages:
        return None
    meta = read_header(header + pages[:1])
    body = meta.get("body")
    running = _running_header(pages)
    marks = _markers(pages, body)
    if not marks:
        return None
    items = []
    flat, offsets = _flatten(pages)
    for k, (page, start, end, head) in enumerate(marks):
        pos = offsets[page] + start
        item_start, title = _title(flat[offsets[page]:pos], head.section, running, body)
        nxt = offsets[marks[k + 1][0]] + _title(flat[offsets[marks[k + 1][0]]:offsets[marks[k + 1][0]] + marks[k + 1][1]],
                                                 marks[k + 1][3].section, running, body)[0] if k + 1 < len(marks) else len(flat)
        text = flat[offsets[page] + end:nxt]
        item_lines = [Line(page + 1, "§", "§")] + unglue(
            [Line(page + 1, p, p.strip()) for p in _LABEL_SPLIT_RE.split(text)])
        item = build_item(item_lines, head=0, section=head.section, inline_title=title or " ", title_before=False,
                          meeting_body=body, meeting_date=meta.get("date"), width=None)
        item.title = title
        prov = {"section": "item_header"}
        if body:
            prov["body"] = meta.provenance.get("body", "document_header")
        if meta.get("date"):
            prov["date"] = meta.provenance.get("date", "document_header")
        item.body, item.date, item.provenance = body, meta.get("date"), prov
        if not body and head.body:
            item.body, prov["body"] = head.body, "item_header"
        items.append(item)
        del item_start
    return Generic(items, meta, meta.get("kind") or None)


def _flatten(pages: list[str]) -> tuple[str, list[int]]:
    offsets, parts, pos = [], [], 0
    for p in pages:
        offsets.append(pos)
        parts.append(p)
        pos += len(p) + 1
    return "\n".join(parts), offsets


def _markers(pages: list[str], body: str) -> list[tuple[int, int, int, Heading]]:
    """(page, start, end, heading) of every item marker, § numbers increasing."""
    found: list[tuple[int, int, int, Heading]] = []
    last = 0
    for p, text in enumerate(pages):
        hits = []
        for m in _MARK_RE.finditer(text):
            abbr = m.group("abbr").rstrip(".")
            ok = BODY_WORD_RE.search(abbr) or _abbreviates(abbr, body)
            if ok:
                hits.append((m.start(), m.end(), Heading(int(m.group("n")), body=m.group("abbr"), form="dump")))
        for m in _TWEB_RE.finditer(text):
            if int(m.group("n")) > 0:
                hits.append((m.start(), m.end(), Heading(int(m.group("n")), body=m.group("abbr"), form="dump")))
        for start, end, h in sorted(hits, key=lambda x: x[0]):
            if h.section > last:
                found.append((p, start, end, h))
                last = h.section
    return found


def _abbreviates(abbr: str, body: str) -> bool:
    """``abbr`` is the meeting body's abbreviation: capitals that fit its name ("KHAL", "YMPJARAKL" for
    "Ympäristö- ja rakennuslautakunta"), or a mixed-case one registered for it ("Kh" for Kunnanhallitus);
    a capitalised word of the text ("Kunnan 12 …") is neither."""
    if not body or not 2 <= len(abbr) <= 10:
        return False
    if abbr.isupper():
        return abbreviation_fits(abbr, body)
    return abbr in registered_abbreviations(body)


def _running_header(pages: list[str]) -> list[str]:
    """Words every page starts with (after its page number), e.g. ``VESILAHDEN KUNTA PÖYTÄKIRJA 16/``."""
    heads = [re.sub(r"^\d{1,3}\s+", "", p).split()[:10] for p in pages if re.match(r"^\d{1,3}\s", p)]
    if len(heads) < 2:
        return []
    common = heads[0]
    for h in heads[1:]:
        n = 0
        while n < min(len(common), len(h)) and common[n] == h[n]:
            n += 1
        common = common[:n]
    return common if len(common) >= 2 else []


def _title(pre: str, section: int, running: list[str], body: str) -> tuple[int, str]:
    """Where the item begins in ``pre`` (the page text before its marker) and its title."""
    pre = pre.rstrip()
    hits = list(re.finditer(rf"(?:^|\s){section}\s+(?=[A-ZÅÄÖ])", pre))
    m = hits[-1] if hits else None
    if m is not None and len(pre) - m.end() < 250:
        return m.start(), _CUT_RE.sub("", pre[m.end():]).strip()
    words = pre.split(" ")
    k = len(words)
    while k > 0 and _CAPS_WORD_RE.match(words[k - 1]) and re.search(r"[A-ZÅÄÖ]", words[k - 1]):
        k -= 1
    caps = [w for w in words[k:] if w]
    if len(caps) >= 2 and not (running and caps[:len(running)] == running):
        start = len(" ".join(words[:k]))
        return start, " ".join(caps)
    rest = re.sub(r"^\d{1,3}\s+", "", pre)
    if running and rest.split()[:len(running)] == running:
        rest = " ".join(rest.split()[len(running):])
    first = rest.split(" ", 1)
    if body and first and first[0].lower() == body.lower():
        rest = first[1] if len(first) > 1 else ""
    return 0, _CUT_RE.sub("", rest).strip()
