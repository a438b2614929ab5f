"""Split a meeting document into agenda items (one per §).

Pure: a :class:`~core.items.Document` in, a :class:`ParsedDocument` out.

Layouts handled:

* Lapua-style PDFs (and HTML/DOCX that mimic them): running page header, a
  "Käsitellyt asiat" / "Käsiteltävät asiat" index, participant pages, then each
  item starting with a line ``§ N`` followed by its title, optionally preceded by
  the case's handling chain (``Kaupunginhallitus, § 246,02.09.2024``) and followed
  by the case ID. Appeal instructions after the last item belong to no item.
* Plain text in the seed's shape: a title line, then ``PKTALK 10.03.2026 § 12``
  (body or abbreviation, date, §), the case ID and the text; several such items
  may follow each other in one file.

A ``§ N`` line only starts an item when the line before it ended a paragraph
(references such as "…kokouksessaan 20.5.2024 / § 164 päättänyt" wrap onto a
line of their own), when its number is higher than the previous item's and, if
the document has an index, when the index lists it.

Each item's own fields (title, case IDs, proposal, decision, history, notes) are
read by :func:`ingest.sections.build_item`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from core.bodies import (
    civic_kind,
    expand_abbreviation,
    for_organisation,
    is_body_name,
    organisation_for_body,
    resolve_body,
)
from core.errors import NotMinutesError
from core.items import AgendaItem, DocKind, Document
from ingest import clean, markers
from ingest.attendance import attendance
from ingest.clean import DATE, iso_date
from ingest.contents import HEADING_RE, read_index, without_contents
from ingest.generic import Generic, expand_body, split_generic
from ingest.header import FI_META, fill_fallbacks, read_meta
from ingest.hints import Hints
from ingest.lines import Line, ends_paragraph
from ingest.markers import split_org_body
from ingest.sections import build_item

logger = logging.getLogger(__name__)

_INLINE_HEAD_RE = re.compile(rf"^(?P<body>[A-ZÅÄÖ][\w .\-]{{1,80}}?),?\s+{DATE},?\s+§\s*(?P<sec>\d{{1,4}})$")
_CHAIN_RE = re.compile(rf"^[A-ZÅÄÖ][^,|]{{2,70}},\s*(?:§\s*\d+\s*,\s*{DATE}|{DATE}\s*,\s*§\s*\d+)$")
_END_RE = re.compile(
    r"^(?:Muutoksenhakukielto|Oikaisuvaatimusohje|Valitusosoitus|Muutoksenhakuohje(?:et)?|Allekirjoitukset|"
    r"Vakuudeksi|Kokouksen päättäminen)\s*:?$", re.I)
_END_WITH_LIST_RE = re.compile(r"^(?:Oikaisuvaatimus|Hallintovalitus|Kunnallisvalitus|Hankintaoikaisu)\s*$")
_SECTION_LIST_RE = re.compile(r"^§\s*\d+\s*(?:[,;]|$)")


@dataclass
class ParsedDocument:
    """One document split into items, with what identifies the meeting."""

    source: str
    kind: DocKind
    municipality: str
    body: str
    body_abbr: str | None
    date: str
    meeting_number: str | None
    items: list[AgendaItem]
    index_sections: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Start:
    start: int  # first line of the item (chain lines or title included)
    head: int  # the heading line
    section: int
    title: str  # inline title, "" when it is on the next line(s)
    title_before: bool = False  # seed style: the title is the line before the heading


def split_document(doc: Document, *, municipality_hint: str | None = None,
                   hints: Hints | None = None) -> ParsedDocument:
    """Split ``doc`` into one :class:`AgendaItem` per §.

    Args:
        doc: what :func:`ingest.readers.read_document` returned.
        municipality_hint: used when the document does not name its organisation.
        hints: values from the user, a sidecar file, the file or folder name (:mod:`ingest.hints`);
            they fill only what the document itself does not show.

    Returns:
        The parsed document; ``warnings`` lists anything that did not add up
        (items missing from the index, metadata taken from the file name …).

    Raises:
        NotMinutesError: the document has no § items (e.g. a budget book, a news page).
    """
    hints = hints or Hints()
    pages, header = clean.strip_boilerplate([p.text.split("\n") for p in doc.pages])
    lines = [Line(p.number, raw, clean.normalize_line(raw)) for p, ls in zip(doc.pages, pages, strict=True) for raw in ls]
    meta = read_meta(header, lines)
    index, index_end = read_index(lines)
    starts = _section_starts(lines, index, index_end)
    if not starts:
        starts = _inline_starts(lines, meta)
    return _own_names(_split(doc, lines, meta, index, starts, hints, municipality_hint, header))


def _split(doc: Document, lines: list[Line], meta: dict[str, str], index: dict[int, str], starts: list[_Start],
           hints: Hints, municipality_hint: str | None, page_header: list[str]) -> ParsedDocument:
    """The layout's splitter: Lapua-style when the header names body and date, else the generic one."""
    if starts and meta.get("body") and meta.get("date") and not _foreign(lines):
        return _split_known(doc, lines, meta, index, starts, municipality_hint or hints.values.get("municipality"))
    gen = split_generic(lines, doc.source, page_header)
    if gen is not None and gen.items:
        return _from_generic(doc, gen, hints, municipality_hint)
    if starts:
        return _split_known(doc, lines, meta, index, starts, municipality_hint or hints.values.get("municipality"))
    raise NotMinutesError("pykäliä (§-otsikoita) ei löytynyt", path=doc.source)


def _own_names(parsed: ParsedDocument) -> ParsedDocument:
    """The town's or municipality's board and council named as it names them, in every item and earlier
    step ("Khall 16.10.2023 § 6" of a kunta is its Kunnanhallitus, not the registry's Kaupunginhallitus)."""
    # Without the organisation's name, its own words tell ("Kunnanhallitus hyväksyy …" under "KH § 72").
    kind = civic_kind(" ".join(it.text for it in parsed.items)) if not parsed.municipality else None
    parsed.body = for_organisation(parsed.body, parsed.municipality, kind)
    for it in parsed.items:
        it.body = for_organisation(it.body, it.municipality or parsed.municipality, kind)
        for h in it.history:
            h.body = for_organisation(h.body, it.municipality or parsed.municipality, kind)
    return parsed


def _foreign(lines: list[Line]) -> bool:
    """True when the first lines show a layout the generic splitter reads (Dynasty, Tweb, Helsinki, Turku, dumps)."""
    for ln in lines[:80]:
        h = markers.heading(ln.text) if ln.text else None
        if h is not None and h.form in ("dynasty", "tweb", "helsinki") or markers.turku_head(ln.text):
            return True
    return bool(markers.item_page_run([ln.text for ln in lines]))


def _split_known(doc: Document, lines: list[Line], meta: dict[str, str], index: dict[int, str],
                 starts: list[_Start], municipality_hint: str | None) -> ParsedDocument:
    """Lapua-style documents (running header with body and date, "§ N" headings, optional index)."""
    width = clean.wrap_width([ln.raw for ln in lines]) if doc.fmt in ("pdf", "txt") else None
    warnings: list[str] = []
    found_in_doc = {k for k in ("body", "date") if meta.get(k)}
    fill_fallbacks(meta, doc.source, warnings)
    body, abbr = resolve_body(meta.get("body", ""))
    if abbr is None and re.fullmatch(r"[A-ZÅÄÖ]{3,10}", body):  # unknown abbreviation: look in the text
        full = expand_abbreviation(body, "\n".join(ln.text for ln in lines))
        body, abbr = (full, body) if full else (body, body)
    municipality = meta.get("municipality") or municipality_hint or organisation_for_body(body) or ""
    if not municipality:
        warnings.append("organisaatiota ei mainita asiakirjassa eikä sitä annettu (--municipality)")
    kind: DocKind | None = meta.get("kind")  # type: ignore[assignment]
    meeting_date = meta.get("date", "")
    prov = {k: ("document_header" if k in found_in_doc else "filename") for k in ("body", "date") if meta.get(k)}
    prov["section"] = "item_header"
    if municipality:
        prov["municipality"] = "document_header" if meta.get("municipality") else (
            "user" if municipality_hint and municipality == municipality_hint else "document_header")

    items: list[AgendaItem] = []
    present = attendance([ln.text for ln in lines[:starts[0].start]]) if starts else []
    for n, st in enumerate(starts):
        end = starts[n + 1].start if n + 1 < len(starts) else _last_item_end(lines, st.head)
        item = build_item(
            lines[st.start:end], head=st.head - st.start, section=st.section, inline_title=st.title,
            title_before=st.title_before, meeting_body=body, meeting_date=meeting_date, width=width,
        )
        if not item.title and st.section in index:
            item.title = index[st.section]
        item.municipality, item.body, item.body_abbr = municipality, body, abbr
        item.date, item.meeting_number, item.source = meeting_date, meta.get("number"), doc.source
        item.provenance = dict(prov, **({"case_ids": "item_header"} if item.case_ids else {}))
        item.attendees = list(present)
        items.append(item)

    if kind is None:
        kind = "minutes" if any(it.decision for it in items) else "agenda"
    for it in items:
        it.kind = kind
        if kind == "agenda":
            it.decision = ""
    found = [it.section for it in items]
    if index and list(index) != found:
        warnings.append(f"asialista ja pykälät eroavat: puuttuu § {sorted(set(index) - set(found))}, "
                        f"ylimääräisiä § {sorted(set(found) - set(index))}")
    for w in warnings:
        logger.warning("%s: %s", doc.source, w)
    return ParsedDocument(doc.source, kind, municipality, body, abbr, meeting_date, meta.get("number"),
                          items, list(index), warnings)


def _from_generic(doc: Document, gen: Generic, hints: Hints, municipality_hint: str | None) -> ParsedDocument:
    """A :class:`ParsedDocument` from the generic splitter, gaps filled from ``hints``, nothing invented."""
    warnings = list(gen.warnings) + list(hints.warnings)
    text = "\n".join(it.text for it in gen.items)
    muni = gen.meta.get("municipality")
    muni_src = gen.meta.provenance.get("municipality", "document_header")
    if not muni and municipality_hint:
        muni, muni_src = municipality_hint, "user"
    for it in gen.items:
        body, abbr = it.body, None
        if body:
            org, body = split_org_body(body)  # "Helsingin kaupunginhallitus" → Helsingin kaupunki + body
            muni = muni or org
            body, abbr = expand_body(body, text)
        for key in ("body", "date"):
            value = body if key == "body" else it.date
            if not value and hints.values.get(key):
                value = hints.values[key]
                it.provenance[key] = hints.provenance[key]
            if key == "body":
                body = value
            else:
                it.date = value
        it.body, it.body_abbr = body, abbr
    if not muni and hints.values.get("municipality"):
        muni, muni_src = hints.values["municipality"], hints.provenance["municipality"]
    bodies = [it.body for it in gen.items if it.body]
    doc_body = clean.most_common(bodies) if bodies else ""
    muni = muni or organisation_for_body(doc_body) or ""
    dates = [it.date for it in gen.items if it.date]
    doc_date = clean.most_common(dates) if dates else ""
    kind = gen.kind or hints.values.get("kind") or ("minutes" if any(it.decision for it in gen.items) else "agenda")
    if kind not in ("minutes", "agenda"):
        kind = "minutes"
    decided = sum(1 for it in gen.items if it.decision.strip())
    if kind == "agenda" and decided >= 2 and decided * 2 > len(gen.items):
        # An agenda's cover ("ASIALISTA") bound to the minutes: most items record what was decided.
        kind = "minutes"
    for it in gen.items:
        it.municipality, it.source, it.kind = muni, doc.source, kind  # type: ignore[assignment]
        it.meeting_number = gen.meta.get("number") or None
        if muni:
            it.provenance["municipality"] = muni_src
        if kind == "agenda":
            it.decision = ""
    for key, value in (("body", doc_body), ("date", doc_date), ("municipality", muni)):
        if not value:
            warnings.append(f"{FI_META[key]} ei löytynyt asiakirjasta")
    for w in warnings:
        logger.info("%s: %s", doc.source, w)
    abbr = next((it.body_abbr for it in gen.items if it.body == doc_body and it.body_abbr), None)
    return ParsedDocument(doc.source, kind, muni, doc_body, abbr, doc_date,  # type: ignore[arg-type]
                          gen.meta.get("number") or None, gen.items, [], warnings)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 or w.isdigit()}


def _title_matches(index_title: str, text: str) -> bool:
    """Loose match of an index title and the text after a heading (PDF rows may reorder words)."""
    a, b = _words(re.sub(r"^LISÄPYKÄLÄ\s*:?", "", index_title, flags=re.I)), _words(text)
    if not a or not b:
        return not a
    common = len(a & b)
    return common / len(a) >= 0.5 or common / len(b) >= 0.6


def _section_starts(lines: list[Line], index: dict[int, str], index_end: int) -> list[_Start]:
    """Items that begin with a ``§ N`` line (see the module docstring for the rules)."""
    cands: list[tuple[int, int, str, str]] = []  # (line, §, inline title, text after the heading)
    for i in range(index_end, len(lines)):
        m = HEADING_RE.match(lines[i].text)
        if not m or (_SECTION_LIST_RE.match(lines[i].text) and "," in lines[i].text):
            continue  # "§13, §14, §15" lists of the appeal pages are not headings
        sec, inline = int(m.group(1)), m.group(2).strip()
        inline = "" if markers.case_reference(inline) else inline  # "§ 31   Dnro 88/…": the title is below
        if not ends_paragraph(lines[i - 1] if i else None, lines[i]):
            continue  # "…kokouksessaan 20.5.2024 / § 164 päättänyt" is a wrapped reference
        if inline and not (inline[:1].isupper() and inline[:1].isalpha()):
            continue  # "§ 18 käsitellyt…", "§ 94-95"
        after = inline or " ".join(ln.text for ln in lines[i + 1:i + 8] if ln.text)[:300]
        if after:
            cands.append((i, sec, inline, after))
    if not index:
        cands = without_contents(cands, lines)
    chosen: list[tuple[int, int, str, str]] = []
    for c in cands:
        ok = c[1] in index and _title_matches(index[c[1]], c[3]) if index else True
        if ok and (not chosen or c[1] > chosen[-1][1]):
            chosen.append(c)
    if index:  # index numbers whose heading title did not match: take one that fits the order
        for c in cands:
            if c[1] in index and c[1] not in {x[1] for x in chosen}:
                before = [x for x in chosen if x[0] < c[0]]
                after_ = [x for x in chosen if x[0] > c[0]]
                if (not before or before[-1][1] < c[1]) and (not after_ or after_[0][1] > c[1]):
                    chosen = before + [c] + after_
    starts: list[_Start] = []
    for i, sec, inline, _ in chosen:
        start, j = i, i - 1
        while j > _last_head(starts) and (not lines[j].text or _CHAIN_RE.match(lines[j].text)):
            if lines[j].text:
                start = j
            j -= 1
        starts.append(_Start(start, i, sec, inline))
    return starts


def _last_head(starts: list[_Start]) -> int:
    """Index of the previous heading line (-1 when none)."""
    return starts[-1].head if starts else -1


def _inline_starts(lines: list[Line], meta: dict[str, str]) -> list[_Start]:
    """Seed style: ``Title`` / ``PKTALK 10.03.2026 § 12`` pairs."""
    cands = []
    for i, ln in enumerate(lines):
        m = _INLINE_HEAD_RE.match(ln.text)
        if m and is_body_name(m["body"]):
            cands.append((i, resolve_body(m["body"])[0], iso_date(ln.text) or "", int(m["sec"])))
    if not cands:
        return []
    # the meeting's own body and date: the header's if known, else the most common pair
    pairs = [(b, d) for _, b, d, _ in cands]
    body = resolve_body(meta["body"])[0] if meta.get("body") else clean.most_common([p[0] for p in pairs])
    dates = [d for b, d in pairs if b == body]
    if not dates:
        return []  # the header's body never heads an item here: not this layout
    mdate = meta.get("date") or clean.most_common(dates, key=lambda d: d)  # a tie: the latest, as earlier come first
    meta.setdefault("body", next(m for m in (_INLINE_HEAD_RE.match(lines[i].text) for i, *_ in cands)
                                 if m and resolve_body(m["body"])[0] == body)["body"])
    meta.setdefault("date", mdate)
    starts: list[_Start] = []
    for i, b, d, sec in cands:
        if b != body or d != mdate or (starts and sec <= starts[-1].section):
            continue
        j = i - 1
        while j >= 0 and not lines[j].text:
            j -= 1
        has_title = j > _last_head(starts) and not _INLINE_HEAD_RE.match(lines[j].text)
        starts.append(_Start(j if has_title else i, i, sec, "", title_before=has_title))
    return starts


def _last_item_end(lines: list[Line], head: int) -> int:
    """Where the last item stops: appeal instructions, signatures or the end."""
    for i in range(head + 3, len(lines)):
        t = lines[i].text
        if _END_RE.match(t):
            return i
        if _END_WITH_LIST_RE.match(t):
            nxt = next((ln.text for ln in lines[i + 1:i + 4] if ln.text), "")
            if _SECTION_LIST_RE.match(nxt):
                return i
    return len(lines)
