"""Layout-independent splitter for minutes that are not in the Lapua/Cloudia-PDF shape.

It finds item starts with :mod:`ingest.markers` (every printed form of a § heading), reads
the meeting from the lines before the first item (:mod:`ingest.meeting`) and lets
:func:`ingest.sections.build_item` read each item's labelled parts. What differs between
systems is handled as kinds of input, not as products:

* handling tables (one row per handling, the page is for the last row) and abbreviated
  handling markers (``Kh § 294``) become history; only this meeting's part gives the decision;
* text under an "Aikaisempi käsittely" / "Tidigare behandling" heading is an earlier handling;
* a page whose decision section comes first (paatokset.hel.fi: ``Päätös``/``Beslut``/``Esitys``
  right after the body line) has that section as its decision;
* labels glued to their text (``EhdotusKaupunkiympäristölautakunta päättää``) are cut apart;
* PDF text dumps with one page per line (:mod:`ingest.dumps`) are cut at their item markers.

A document is minutes only with positive evidence: a declared kind, a meeting header,
structured headings, or labelled proposals/decisions. A news page or report that happens to
number its paragraphs "76 §" is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from core.bodies import abbreviation_fits, expand_abbreviation, is_body_name, resolve_body
from core.items import AgendaItem, HistoryEntry
from ingest import clean, dumps, ktweb, marker_lines, markers, numbered_lines
from ingest.clean import find_case_ids
from ingest.label_lines import unglue
from ingest.lines import Line, is_separator
from ingest.markers import Heading
from ingest.meeting import MeetingMeta, read_header
from ingest.sections import build_item, is_attachments_label
from ingest.unlabelled import decided_tail, numbered_minutes, title_decision, unlabelled_decision

_STRUCTURED = ("dynasty", "tweb", "helsinki", "turku", "abbr")
_NAV_RE = re.compile(r"^(?:Edellinen asia|Seuraava asia|Asialla on uudempia käsittelyjä|More recent handlings|"
                     r"Ärendet har nyare behandlingar|Kokousasia PDF-muodossa|Sulje|Close|Stäng)\b", re.I)
#: "§ 156" or a table cell "§ 156 |".
_SECTION_CELL_RE = re.compile(r"(?:§\s*\d{1,4}|\d{1,4}\s*§)(?:\s*\|)?")  # "§ 52" or, on some Dynasty pages, "52 §"
_EARLIER_RE = re.compile(r"^(?:Aikaisempi käsittely|Aiempi käsittely|Tidigare behandling)\s*:?$", re.I)
_HEL_DECISION_RE = re.compile(r"^(?:Päätös|Beslut|Esitys|Decision|Proposal|Framställning)$", re.I)


@dataclass
class _Cand:
    line: int
    head: Heading
    start: int | None = None  # where the item begins when its title is printed above the marker
    bare: bool = False  # "68 §" alone on its line, the title on the next (counts only as a run of two or more)


@dataclass
class Generic:
    """What the generic splitter returns to :func:`ingest.split.split_document`."""

    items: list[AgendaItem]
    meta: MeetingMeta
    kind: str | None
    warnings: list[str] = field(default_factory=list)


def split_generic(lines: list[Line], source: str, page_header: Sequence[str] = ()) -> Generic | None:
    """Items of a document in any supported layout, or None when it shows no minutes structure.

    ``page_header``: the running header the page cleaner took off the first page ("Kuusiston kaupunki
    Pöytäkirja 9/2025 1 (6)"), which may be the only line naming the organisation."""
    lines = ktweb.item_lines(unglue(lines))
    cands, turku = _candidates(lines)
    if not cands:
        cands = [_Cand(i, h, start) for start, i, h in marker_lines.find(lines)]
    if dumps.is_dump(lines, viewer_only=bool(cands)):
        return dumps.split_dump(lines, source)
    numbered = not cands
    if numbered:
        cands = [_Cand(i, h, start) for start, i, h in numbered_lines.find(lines)]
    if not cands:
        return None
    first = cands[0].line if cands[0].start is None else cands[0].start
    header = [ln.text for ln in lines[:first]]
    meta = read_header([*page_header, *header])
    if turku:
        meta.put("body", turku[-1].body, "item_header")
        meta.put("date", turku[-1].date, "item_header")
        meta.put("kind", "minutes", "document_header")  # a handling record of a decided case
    structured = any(c.head.form in _STRUCTURED + ("marker",) for c in cands)
    items: list[AgendaItem] = []
    from ingest.split import _last_item_end  # one home for "where the last item stops" (appeal texts)

    for n, c in enumerate(cands):
        nxt = cands[n + 1] if n + 1 < len(cands) else None
        end = (nxt.line if nxt.start is None else nxt.start) if nxt else _last_item_end(lines, c.line)
        item = _build(lines, c, end, meta, turku)
        if item is not None:
            items.append(item)
    if len(items) == 1 and not items[0].case_ids:  # a single-item page prints its case ID above the item
        ids = find_case_ids("\n".join(header))
        if ids:
            items[0].case_ids = ids[:1]
            items[0].provenance["case_ids"] = "document_header"
    for it in items:
        title_decision(it)
    if meta.get("digest"):
        for it in items:
            unlabelled_decision(it)
    labelled = any(it.proposal or it.decision for it in items)
    if numbered and not numbered_minutes(meta, items, labelled):
        return None
    if numbered and not labelled:
        for it in items:
            decided_tail(it)  # a short digest of a meeting: what each item says was decided is its decision
    if not (meta.get("kind") or meta.get("body") or structured or labelled):
        return None  # numbered paragraphs of a report or a news page: not minutes
    return Generic(items, meta, meta.get("kind") or None)


def _candidates(lines: list[Line]) -> tuple[list[_Cand], list[Heading]]:
    """Item starts in order, and the rows of a handling table (empty when none)."""
    turku: list[Heading] = []
    raw: list[_Cand] = []
    paged = markers.item_page_run([ln.text for ln in lines])
    for i, ln in enumerate(lines):
        if not ln.text:
            continue
        if i in paged:
            raw.append(_Cand(i, paged[i]))
            continue
        if (row := markers.turku_row(ln.text)) and (turku or i < 5 or _turku_head(lines, i)):
            turku.append(row)
            continue
        h = markers.heading(ln.text)
        if h is None or h.section < 0 or not markers.plausible_title(h.title):
            continue
        bare = h.form == "number" and not h.title
        if bare and not _title_follows(lines, i):
            continue
        raw.append(_Cand(i, h, bare=bare))
    if turku:
        last = turku[-1]
        start = max(i for i, ln in enumerate(lines) if markers.turku_row(ln.text))
        return [_Cand(start, Heading(last.section, body=last.body, date=last.date, form="turku"))], turku
    if sum(c.bare for c in raw) < 2:
        raw = [c for c in raw if not c.bare]  # a lone "103 §" line is a law's section wrapped onto its own line
    if any(c.head.form == "sign" for c in raw):
        raw = [_sign_between_numbers(c) for c in raw]
    forms = {c.head.form for c in raw}
    for preferred in ("dynasty", "tweb", "helsinki"):
        if preferred in forms:
            raw = [c for c in raw if c.head.form == preferred]
            break
    else:
        if forms - {"marker"}:
            raw = [c for c in raw if c.head.form != "marker"]
        else:
            raw = _stacked(_current_markers(raw), lines)
    return _ordered(raw, lines), []


_LEADING_NUMBER_RE = re.compile(r"(\d{1,4})\s+(\S.*)")


def _sign_between_numbers(c: _Cand) -> _Cand:
    """``1  § 227  TITLE`` in a document that numbers its items sign first: the sign belongs to the number
    after it, and the one before is another column (a contents list's attachment number)."""
    if c.head.form != "number" or not (m := _LEADING_NUMBER_RE.fullmatch(c.head.title)):
        return c
    return _Cand(c.line, Heading(int(m.group(1)), m.group(2).strip(), form="sign"), c.start, c.bare)


def _title_follows(lines: list[Line], i: int) -> bool:
    """The next non-blank line after ``lines[i]`` reads as an item's title (Word and PDF exports print "68 §"
    in a column of its own and the title under it)."""
    nxt = next((ln.text for ln in lines[i + 1:i + 3] if ln.text), "")
    return bool(nxt) and len(nxt) <= 200 and not nxt[0].isdigit() and markers.plausible_title(nxt)


def _turku_head(lines: list[Line], i: int) -> bool:
    return any(markers.turku_head(ln.text) for ln in lines[max(0, i - 6):i])


def _current_markers(raw: list[_Cand]) -> list[_Cand]:
    """Plain-text exports mark items ``BODY DATE § N``: keep the meeting's own (most common body+date)."""
    if not raw:
        return raw
    pairs = [(resolve_body(c.head.body)[0], c.head.date) for c in raw]
    best = clean.most_common(pairs, key=lambda p: p[1])  # a tie: the latest meeting (earlier handlings come first)
    return [c for c, p in zip(raw, pairs, strict=True) if p == best]


def _stacked(cands: list[_Cand], lines: list[Line]) -> list[_Cand]:
    """Each item begins at the first of the marker lines stacked above its own: a Dynasty PDF page heads a
    council item with the board's handling line ("Kaupunginhallitus § 188 28.09.2026") above the council's,
    and that line belongs to this item, not to the end of the previous one."""
    out = []
    for c in cands:
        k, start = c.line - 1, None
        while k >= 0 and (not lines[k].text or markers.item_page_marker(lines[k].text)):
            if lines[k].text:
                start = k
            k -= 1
        out.append(replace(c, start=start) if start is not None and c.start is None else c)
    return out


def _ordered(cands: list[_Cand], lines: list[Line]) -> list[_Cand]:
    """Increasing § numbers; a table of contents that repeats the numbers before the items is dropped."""
    chosen: list[_Cand] = []
    for c in cands:
        if chosen and c.head.section <= chosen[-1].head.section:
            if _all_short(chosen, c, lines):
                chosen = [c]  # the earlier run was a table of contents
            continue
        if "§" in c.head.title:
            continue  # "1 § LAGLIGHET … 2 § VAL AV …": a contents line
        chosen.append(c)
    return chosen


def _all_short(chosen: list[_Cand], nxt: _Cand, lines: list[Line]) -> bool:
    """The run so far is a contents list: its entries hold at most two lines each. A list of several entries
    that the items restart at its first number may be followed by anything (members, the notice of
    inspection) before the first item; a single entry must be followed by the item at once."""
    restarts = len(chosen) >= 2 and nxt.head.section == chosen[0].head.section
    bounds = [c.line for c in chosen] + ([] if restarts else [nxt.line])
    return all(sum(1 for ln in lines[a + 1:b] if ln.text) <= 2 for a, b in zip(bounds, bounds[1:], strict=False))


def _build(lines: list[Line], c: _Cand, end: int, meta: MeetingMeta, turku: list[Heading]) -> AgendaItem | None:
    """One item from ``lines[c.line:end]``."""
    h = c.head
    body_lines = lines[c.line + 1:end]
    prov: dict[str, str] = {"section": "item_header"}
    item_body, item_date = h.body, h.date
    if h.form == "abbr" and meta.get("body") and abbreviation_fits(h.body.rstrip("."), meta.get("body")):
        item_body = ""  # "Khall" of this meeting's Kunnanhallitus (the registry's "Khall" is a city's board)
    if h.form == "dynasty":
        prev = next((ln.text for ln in reversed(lines[:c.line]) if ln.text), "")
        if is_body_name(prev):
            item_body = prev
    if h.form == "abbr":
        body_lines = [ln for ln in body_lines if not is_separator(ln.text)]
    table: list[tuple[str, str, int]] = []
    title, body_lines, own_ids, line_body = _title(body_lines, h, table)
    if line_body:
        item_body = line_body
    if h.form == "helsinki":
        body_lines = _helsinki_decision_first(body_lines)
    if turku:
        body_lines = _expand_abbreviated_markers(body_lines, turku)
    body_lines, earlier = _cut_earlier(body_lines)
    mbody = item_body or meta.get("body")
    if item_body:
        prov["body"] = "item_header"
    elif mbody:
        prov["body"] = meta.provenance.get("body", "document_header")
    mdate = item_date or meta.get("date")
    if item_date:
        prov["date"] = "item_header"
    elif mdate:
        prov["date"] = meta.provenance.get("date", "document_header")
    heading_line = Line(lines[c.line].page, lines[c.line].raw, lines[c.line].text)
    item = build_item([heading_line] + body_lines, head=0, section=h.section, inline_title=title or " ",
                      title_before=False, meeting_body=resolve_body(mbody)[0] if mbody else "",
                      meeting_date=mdate or "", width=None, handlings=table)
    item.title = title
    item.case_ids = list(dict.fromkeys(own_ids + item.case_ids))
    if item.case_ids:
        prov["case_ids"] = "item_header" if own_ids else "item_text"
    if earlier is not None:
        item.history.append(earlier)
    item.history.sort(key=lambda e: e.date or "9999")
    item.body, item.date = mbody or "", mdate or ""
    item.provenance = prov
    return item


def _title(body_lines: list[Line], h: Heading,
           rows: list[tuple[str, str, int]] | None = None) -> tuple[str, list[Line], list[str], str]:
    """The item's title, its remaining lines, the case IDs printed before the text, and a body line;
    the rows of a handling table printed before the title go to ``rows``."""
    ids: list[str] = []
    rest = list(body_lines)
    title = h.title

    def skip_noise() -> None:
        while rest and (not rest[0].text or _NAV_RE.match(rest[0].text) or _SECTION_CELL_RE.fullmatch(rest[0].text)
                        or _own_marker(rest[0].text, h)
                        or _only_case_id(rest[0].text, ids)):
            rest.pop(0)
        end, row = _handling_cells(rest) if rest else (0, None)
        if row is not None and rows is not None:
            rows.append(row)
        if rest and (end := end or _attachment_list(rest)):
            del rest[:end]
            skip_noise()

    skip_noise()
    if not title and rest:
        title = rest.pop(0).text
        skip_noise()
    body = ""
    if h.form == "helsinki" and rest and is_body_name(rest[0].text) and len(rest[0].text) <= 90:
        body = rest.pop(0).text
    # "43 § (liite) LEIRIKESKUKSEN SAUNAN KORJAUS": the mark says the item has an attachment; it is no title.
    return _ATTACHED_MARK_RE.sub("", title.strip()), rest, ids, body


_ATTACHED_MARK_RE = re.compile(r"^\((?:liite|liitteet|bilaga|bilagor)\)\s*", re.IGNORECASE)


def _handling_cells(rest: list[Line]) -> tuple[int, tuple[str, str, int] | None]:
    """A handling table's row printed one cell a line before the title (body, "§ N" or "N §", date, with or
    without "|": "Kaupunginhallitus |" / "§ 156 |" / "20.06.2017 |"): the lines up to its end and the row as
    (body, ISO date, §); (0, None) when there is none. A row names a handling, never the item; an earlier
    one is read again from its marker further on, and the rows date bare markers ("KH § 188")."""
    cells = [i for i, ln in enumerate(rest[:12]) if ln.text][:3]
    if len(cells) < 3:
        return 0, None
    body, sec, day = (rest[i].text.rstrip(" |") for i in cells)
    dated = markers.find_date(day) is not None and len(day) <= 20
    if not (len(body) <= 60 and _SECTION_CELL_RE.fullmatch(sec) and dated):
        return 0, None
    return cells[2] + 1, (resolve_body(body)[0], markers.find_date(day) or "", int(re.sub(r"\D", "", sec)))


def _attachment_list(rest: list[Line]) -> int:
    """Lines up to the end of an attachment list printed before the title ("Liitteet" and its indented
    names), else 0: the names are not the item's title."""
    if not is_attachments_label(rest[0].text):
        return 0
    end = 1
    while end < len(rest) and rest[end].text and rest[end].raw[:1].isspace():
        end += 1
    return end


def _own_marker(text: str, h: Heading) -> bool:
    """``Tekninen lautakunta 04.12.2025 § 53`` repeating this item's own heading (not an earlier handling)."""
    m = markers.heading(text)
    return m is not None and m.form == "marker" and m.section == h.section and (not h.date or m.date == h.date)


def _only_case_id(text: str, ids: list[str]) -> bool:
    found = find_case_ids(text)
    if found and len(text) <= len(" ".join(found)) + 24:
        ids.extend(f for f in found if f not in ids)
        return True
    return False


def _helsinki_decision_first(body_lines: list[Line]) -> list[Line]:
    """paatokset.hel.fi prints the decision first; its label may read "Esitys" (a proposal to the council)."""
    out = list(body_lines)
    for k, ln in enumerate(out):
        if ln.text and _HEL_DECISION_RE.match(ln.text):
            out[k] = Line(ln.page, "Päätös", "Päätös")
            break
        if ln.text:
            break
    return out


def _expand_abbreviated_markers(body_lines: list[Line], rows: list[Heading]) -> list[Line]:
    """``Kh § 294`` → ``Kaupunginhallitus 04.06.2012 § 294`` (from the handling table) so history splits there."""
    by_sec = {r.section: r for r in rows}
    out: list[Line] = []
    for ln in body_lines:
        m = markers.abbreviated_marker(ln.text)
        row = by_sec.get(m[1]) if m else None
        if row is not None:
            y, mo, d = row.date.split("-")
            t = f"{row.body} {d}.{mo}.{y} § {row.section}"
            out.append(Line(ln.page, "", ""))
            out.append(Line(ln.page, t, t))
        else:
            out.append(ln)
    return out


def _cut_earlier(body_lines: list[Line]) -> tuple[list[Line], HistoryEntry | None]:
    """Text under "Aikaisempi käsittely" is an earlier handling, never this meeting's decision."""
    k = next((i for i, ln in enumerate(body_lines) if _EARLIER_RE.match(ln.text)), None)
    if k is None:
        return body_lines, None
    own, earlier = body_lines[:k], body_lines[k + 1:]
    if not any(ln.text for ln in earlier):
        return own, None
    part = build_item([Line(1, " ", " ")] + earlier, head=0, section=0, inline_title=" ", title_before=False,
                      meeting_body="", meeting_date="", width=None)
    text = "\n".join(ln.text for ln in earlier)
    m = re.search(r"\b([A-ZÅÄÖ][\wåäö-]*(?:hallitus|valtuusto|lautakunta|jaosto|johtokunta))\s+päättää", text)
    who = m.group(1) if m else ""
    proposal = part.proposal or part.body_text
    return own, HistoryEntry(who, "", None, proposal, part.decision)


def expand_body(body: str, text: str) -> tuple[str, str | None]:
    """A body abbreviation (``STST``) expanded from the text when it is unknown (``Stadsstyrelsen``)."""
    full, abbr = resolve_body(body)
    if abbr is None and re.fullmatch(r"[A-ZÅÄÖ]{2,10}", full):
        exp = expand_abbreviation(full, text)
        return (exp, full) if exp else (full, full)
    return full, abbr
