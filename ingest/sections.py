"""The parts of one agenda item: title, case IDs, proposal, decision, history and notes.

(The "sections" here are the labelled parts inside an item, not § numbers.)

:func:`build_item` gets the lines of one item, as :mod:`ingest.split` cut them
out of the document, and fills an :class:`~core.items.AgendaItem`. Inside an
item, a heading such as ``Kaupunginhallitus, 02.09.2024, § 246`` (or
``Ympäristölautakunta 08.06.2021 § 47``, see :mod:`ingest.handlings`) starts an
earlier body's handling of the case; those parts become
:class:`~core.items.HistoryEntry` objects, and this meeting's part gives the
item's own proposal and decision. Labels such as
"Päätösehdotus", "Päätös", "Valmistelija", "Esittelijä" and "Liitteet" divide
each part; old-style items without labels ("Ympäristöinsinööri: …" /
"Lautakunta: …") are read from their paragraphs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from core.bodies import BODY_GENITIVE, is_body_name
from core.items import AgendaItem, HistoryEntry
from ingest import clean
from ingest.handlings import Segment, bodies_named, segments
from ingest.lines import Line

logger = logging.getLogger(__name__)

_PREPARER_RE = re.compile(r"^(?:Valmistelijat?(?:\s*(?:/|ja)\s*lisätiedot)?(?:\s*\([^()]{0,80}\))?\s*:?|Valmistelu(?:\s*(?:/|ja)\s*lisätiedot)?\s*:|"
                          r"(?:Lisätiedot|Lisätietoja)\s*:|Lisätietoja\s+(?:asiasta\s+)?anta(?:a|vat)\s*:?|"
                          r"Beredare(?: av ärendet)?\s*:?|(?:Tilläggsuppgifter|Mer information)\s*:)\s*(.*)$", re.I)
#: "Further information" alone on its line, wherever it stands (paatokset.hel.fi prints it after the proposal):
#: the contact people follow, and they are the preparers.
_CONTACTS_RE = re.compile(r"^(?:Lisätiedot|Lisätietoja|Ytterligare upplysningar|Tilläggsuppgifter|Mer information"
                          r"|More information|Further information)\s*:?$")
#: The word whole: "Esittelijän päätösehdotus:" is the presenter's proposal, not a presenter named "n …".
_PRESENTER_RE = re.compile(r"^(?:Esittelijä|Föredragande)(?!\w)\s*:?\s*(.*)$")
#: Who proposes, alone on the line under the proposal label ("Förslag" ⏎ "Stadsdirektören:"), or under a bare
#: presenter label ("Esittelijä" ⏎ "Hyvinvointialuejohtaja Tommi Aalto"): a role or a name, no sentence.
_PROPOSER_LINE_RE = re.compile(r"^[A-ZÅÄÖ][\w-]{2,40}(?: [\w-]{1,30})?:$")
#: The proposer's role before the proposal's first sentence on one line ("Pelastusjohtaja: Johtokunta toteaa …").
_INLINE_PROPOSER_RE = re.compile(r"^(?P<role>[A-ZÅÄÖ][\w-]{2,40}(?: [\w-]{1,30})?):\s+(?P<rest>[A-ZÅÄÖ].{8,})$")
_ROLE_LINE_RE = re.compile(r"^[A-ZÅÄÖ][\w-]{2,40}(?: [\w.-]{1,30}){0,4}$")
#: A role written in lower case before the name, under a bare presenter label ("hallintopäällikkö Outi Lindvik").
_LOWER_ROLE_NAME_RE = re.compile(r"^[a-zåäö][\w-]{2,40}(?: [A-ZÅÄÖ][\w'-]{1,30}){1,3}$")
#: A contact under a bare presenter label (CloudNC): "Maija Malli, toimialajohtaja, maija.malli@…", maybe
#: as a bullet ("• Maija Malli, maija.malli@…").
_CONTACT_LINE_RE = re.compile(r"^(?:[•\-–]\s*)?[A-ZÅÄÖ][\w'-]{1,30}(?: [A-ZÅÄÖ][\w'-]{1,30}){1,3}"
                              r"(?:,\s*[^,@\d]{2,60}){0,3}(?:,\s*[\w.+-]{1,64}@[\w.-]{1,80})?$")
#: "-" where a system prints an empty field (a CloudNC presenter or preparer the page leaves blank).
_PLACEHOLDER_RE = re.compile(r"^[-–]$")
# Labels in Finnish and Swedish, alone on their line or with their text after a colon, bare or owned: a
# proposal by whoever made it, in a Finnish genitive in -n ("Kaupunginjohtajan päätösehdotus") or a
# Swedish one in -s ("Kommundirektörens förslag"); a decision by a body ("Kaupunginhallituksen päätös",
# "Kommunstyrelsens beslut"), not by a court or an authority whose decision the item tells of.
_OWNER = r"[A-ZÅÄÖ][\w\- ]{0,60}?"
_PROPOSAL_WORD = rf"(?:Ehdotus|Päätösehdotus|Päätösesitys|(?:Päätös)?ehdotus oli|Esitys|Förslag|Beslutsförslag" \
                 rf"|Förslag till beslut|{_OWNER}n\s+(?:päätös)?ehdotus|{_OWNER}n\s+(?:päätös)?esitys" \
                 rf"|{_OWNER}s\s+(?:besluts)?förslag(?:\s+till\s+beslut)?)"
_PROPOSAL_RE = re.compile(rf"^(?:{_PROPOSAL_WORD}\s*:?\s*$|{_PROPOSAL_WORD}:\s*(?P<inline>.+)$)")
#: "Päätös" as a label: alone, with a colon, or before a capitalised sentence on the same line ("Päätös
#: Päätösesitys hyväksyttiin." in web pages whose label and value cells run together); prose goes on
#: in lower case ("Päätös on lainvoimainen").
#: "Päätöksen lisätiedot" is where one web system records what the meeting did beside its proposal.
_DECISION_WORD = rf"(?:Päätös|Beslut|{BODY_GENITIVE}\s+(?:päätös|beslut))"
_DECISION_RE = re.compile(rf"^(?:(?:{_DECISION_WORD}|Päätöksen lisätiedot)\s*:?\s*$|{_DECISION_WORD}:\s*(?P<inline>.+)$|"
                          r"(?:Päätös|Beslut)\s+(?=[A-ZÅÄÖ])(?P<cell>.+)$)")
#: A proposal label and its sentence on one line with no colon ("Päätösehdotus Maaseutulautakunta päättää valita
#: …."): a capitalised word, one in lower case, on to the sentence's end; not a presenter ("Päätösehdotus Johtaja
#: Malli Maija", also before the sentence) nor prose ("Ehdotus hyväksyttiin.").
_PROPOSAL_CELL_RE = re.compile(r"^(?:Päätösehdotus|Ehdotus|Beslutsförslag|Förslag)\s+"
                               r"(?P<cell>[A-ZÅÄÖ][\w\-]*\s[a-zåäö][^\n]*[.!?])$")
_ATTACH_RE = re.compile(r"^(?:Liitteet|Liite|Bilagor|Bilaga)\s*:?\s*(.*)$")
#: The description under its own label, wherever it stands (Dynasty pages of some organisations put
#: "Selostus" after the decision): its text is the matter's description, not part of the decision.
_DESCRIPTION_RE = re.compile(r"^(?:Asian\s+)?Selostus\s*:?\s*(?P<inline>.*)$")
#: What happened at the meeting ("Käsittely": who presented, motions, votes) belongs with the decision,
#: as in minutes that write it there; after a proposal it must not read as the proposal's text.
_HANDLING_RE = re.compile(r"^(?:Käsittely|Kokouskäsittely|Behandling)(?:\s*:?\s*$|:\s*(?P<inline>.+)$)")
#: "Perustelut" alone on its line before any proposal: the description's heading. (Inside a proposal or a
#: decision, "Perustelut:" introduces the reasons, which stay where they are.)
_GROUNDS_HEAD_RE = re.compile(r"^(?:Perustelut|Kuvaus|Motivering|Beskrivning)$")


def is_attachments_label(text: str) -> bool:
    """"Liitteet" alone on its line: the attachment names follow it."""
    m = _ATTACH_RE.match(text)
    return m is not None and not m.group(1)
_ATTACH_ITEM_RE = re.compile(r"^(?:Liite\s*)?(\d{1,2})[.)]?\s+(\S.*)$")
_NOTE_HEAD_RE = re.compile(r"^(?:Esteellisyys|Tiedoksi|Pöytäkirjamerkintä|Muutoksenhaku)\b\s*:?\s*(.*)$")
_OLD_DECISION_RE = re.compile(r"^(?:Lautakunta|Päätös|[A-ZÅÄÖ]\w*(?:lautakunta|hallitus|valtuusto))\s*:\s*(.+)$")
_OLD_PROPOSAL_RE = re.compile(
    r"^(?!Valmistelija|Lisätie|Esittelijä|Perustelut|Liitteet|Tiedoksi)[A-ZÅÄÖ][\w-]+\s*:\s*(.+)$")
#: A summary printed under its own label before the handlings ("Tiivistelmä: …"; "-" when there is none).
_SUMMARY_RE = re.compile(r"^(?:Tiivistelmä|Sammandrag)\s*:\s*(?:-\s*$)?")
_EMAIL_LINE_RE = re.compile(r"^[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}$")
_BARE_CASE_ID_RE = re.compile(r"^\s*\d{1,6}/(?:19|20)\d{2}\s*$")
#: A line that is only a person's name, maybe with a title after a comma ("Malli Maija", "Maija Malli,
#: talousjohtaja"): capitalised words, no digits, no sentence.
_NAME_LINE_RE = re.compile(r"^[A-ZÅÄÖ][\w'-]{1,30}(?: [A-ZÅÄÖ][\w'-]{1,30}){1,3}(?:, [a-zåäö][\w .-]{1,50})?$")


_NOTE_SENT_RE = re.compile(
    r"asiantuntij|saapui kokoukseen|poistui kokouksesta|esteelli|jäävi|Pöytäkirjamerkintä|oli läsnä", re.I)


def build_item(lines: list[Line], *, head: int, section: int, inline_title: str, title_before: bool,
               meeting_body: str, meeting_date: str, width: int | None,
               handlings: Sequence[tuple[str, str, int]] = ()) -> AgendaItem:
    """Read one item's fields from its lines (``head`` is the heading line's index). ``handlings``: the
    (body, ISO date, §) rows of a handling table printed above the item, which date its bare markers."""
    join = lambda ls: clean.join_lines([ln.raw for ln in ls], width=width)  # noqa: E731
    nonblank = [ln for ln in lines if ln.text]
    item = AgendaItem(municipality="", body="", date="", section=section, title="", source="",
                      page_start=nonblank[0].page if nonblank else 1, page_end=nonblank[-1].page if nonblank else 1)
    item.text = join(lines)
    pos = head + 1
    if title_before:
        title_lines = [ln for ln in lines[:head] if ln.text]
    elif inline_title:
        title_lines = [Line(lines[head].page, inline_title, clean.normalize_line(inline_title))]
    else:
        title_lines = []
        while pos < len(lines) and not lines[pos].text:
            pos += 1
        while pos < len(lines) and lines[pos].text and len(title_lines) < 4:
            title_lines.append(lines[pos])  # the title block runs to the next blank line
            pos += 1
            if pos < len(lines) and (clean.CASE_ID_RE.match(lines[pos].text) or _label(lines[pos].text)
                                     or lines[pos].text.startswith("Salassa pidettävä")):
                break
    title = join(title_lines).replace("\n", " ")
    m = re.match(r"^LISÄPYKÄLÄ\s*:?\s*", title, re.I)
    if m:
        item.extra_section, title = True, title[m.end():]
    item.title = title.strip()
    rest = lines[pos:]
    own = next((ln for ln in rest if ln.text), None)
    own_ids = clean.find_case_ids(own.text) if own is not None else []
    if own is not None and not own_ids and _BARE_CASE_ID_RE.match(own.text):
        own_ids = [own.text.strip()]  # "412/2023" alone on the line under the title is the item's own ID
    if own is not None and own_ids and len(own.text) <= len(" ".join(own_ids)) + 12:
        rest = rest[rest.index(own) + 1:]
    else:
        own_ids = []
    item.case_ids = list(dict.fromkeys(own_ids + clean.find_case_ids(item.text)))

    parts = segments(rest, bodies_named(meeting_body, item.text), handlings)
    _fill_parts(item, parts, _current_segment(parts, meeting_body, meeting_date), join)
    for key, value in clean.decision_flags(item.decision, item.notes).items():
        setattr(item, key, value)
    return item


def _fill_parts(item: AgendaItem, segments: list[Segment], current: int, join: Callable[[list[Line]], str]) -> None:
    """This meeting's part into the item's fields, the earlier handlings into its history."""
    fallback = None
    described = ""  # the description an earlier body's part gave the matter
    summary = ""  # the matter's summary printed before its first handling heading
    for k, (hdr, seg) in enumerate(segments):
        parsed = _parse_segment(seg, join)
        item.attachments.extend(a for a in parsed["attachments"] if a not in item.attachments)
        if k == current:
            for key in ("body_text", "proposal", "decision"):
                setattr(item, key, parsed[key])
            item.preparer, item.presenter = parsed["preparer"] or None, parsed["presenter"] or None
            item.notes.extend(parsed["notes"])
        elif hdr is not None:
            item.history.append(HistoryEntry(hdr[0], hdr[1], hdr[2], parsed["proposal"], parsed["decision"]))
        if parsed["preparer"]:
            fallback = parsed["preparer"]  # an earlier body's preparer, used when this part names none
        if k < current and parsed["body_text"]:
            described = parsed["body_text"]
        if k == 0 < current and _SUMMARY_RE.match(parsed["body_text"]):
            summary = _SUMMARY_RE.sub("", parsed["body_text"], count=1).strip()
    item.preparer = item.preparer or fallback
    # A matter handled before (a board, then the city board) is described once, in the first body's part;
    # this meeting's part holds only its proposal and decision. Without the description the item's words
    # reach neither search nor answers (134 of the 1,592 Lapua items).
    item.body_text = item.body_text or described
    if summary and summary not in item.body_text:
        # "Tiivistelmä:" above the first handling heading (ah.turku.fi) sums up the matter for every handling
        item.body_text = f"{summary}\n{item.body_text}".strip()


def _role_line(t: str) -> bool:
    """A role alone on its line with a colon ("Stadsdirektören:", "Tekniska direktören:"), not a body."""
    return bool(_PROPOSER_LINE_RE.match(t)) and not _label(t) and not is_body_name(t.rstrip(":")) \
        and not is_body_name(t.split()[0].rstrip(":"))


def _label(text: str) -> bool:
    return bool(_PREPARER_RE.match(text) or _PRESENTER_RE.match(text) or _PROPOSAL_RE.match(text)
                or _DECISION_RE.match(text) or _ATTACH_RE.match(text))


def _has_labels(lines: list[Line]) -> bool:
    return any(_PROPOSAL_RE.match(ln.text) or _DECISION_RE.match(ln.text) for ln in lines)


def _current_segment(segs: list[Segment], body: str, date: str) -> int:
    """Index of this meeting's segment (see :func:`_segments`)."""
    for k in range(len(segs) - 1, 0, -1):
        hdr = segs[k][0]
        if hdr and hdr[1] == date and (hdr[0] == body or k == len(segs) - 1):
            return k
    if len(segs) == 1 or _has_labels(segs[0][1]):
        return 0
    hdr, last = segs[-1]  # no heading for this meeting: its part starts at the last proposal label
    cut = next((i for i in range(len(last) - 1, 0, -1) if _PROPOSAL_RE.match(last[i].text)), None)
    if cut is None:
        return 0
    segs[-1:] = [(hdr, last[:cut]), (None, last[cut:])]
    return len(segs) - 1


def _parse_segment(lines: list[Line], join) -> dict:
    """Labelled parts of one segment: body_text, preparer, presenter, proposal, decision, notes, attachments."""
    parts, presenter, attach = _sort_lines(lines)
    out: dict = {"presenter": presenter}
    out["attachments"] = [re.sub(r"^(?:Liite\s*)?\d{1,2}[.)]?\s+", "", a).strip() for a in attach]
    out["body_text"] = join(parts["body"])
    out["proposal"] = join(parts["proposal"])
    if not parts["proposal"] and not parts["decision"]:  # old style: "Ympäristöinsinööri: …" / "Lautakunta: …"
        paras = out["body_text"].split("\n")
        for k, para in enumerate(paras):
            m = _OLD_DECISION_RE.match(para)
            if m and k and (p := _OLD_PROPOSAL_RE.match(paras[k - 1])):
                out["proposal"] = p.group(1)
                parts["decision"] = [Line(0, m.group(1), m.group(1))]
    decision = join(parts["decision"]).split("\n") if parts["decision"] else []
    trailing: list[str] = []
    while len(decision) > 1 and _NOTE_SENT_RE.search(decision[-1]):
        trailing.insert(0, decision.pop())
    out["decision"] = "\n".join(decision)
    out["notes"] = _notes(trailing + join(parts["notes"]).split("\n"))
    out["preparer"] = clean.people(join(parts["preparer"]).split("\n"))
    return out


def _notes(paras: list[str]) -> list[str]:
    """Non-empty note paragraphs; a bare "Tiedoksi"-style heading takes the next paragraph along."""
    notes: list[str] = []
    for p in paras:
        if notes and p and re.fullmatch(r"(?:Esteellisyys|Tiedoksi|Muutoksenhaku)\s*:?", notes[-1]):
            notes[-1] = f"{notes[-1].rstrip(':')}: {p}"  # "Tiedoksi" + "Kiinteistönomistaja, …"
        elif p:
            notes.append(p)
    return notes


def _add_attachment(attach: list[str], t: str) -> None:
    """A numbered line starts an attachment; other lines continue the last one."""
    if _ATTACH_ITEM_RE.match(t) or not attach:
        attach.append(t)
    else:
        glue = attach[-1].endswith("-") or attach[-1].endswith(".") and re.match(r"^(pdf|docx?|xlsx?)\b", t)
        attach[-1] += ("" if glue else " ") + t


def _presenter_in(t: str, awaiting: bool, proposal_opens: bool) -> tuple[str | None, bool]:
    """The presenter a line names (None: it names none), and whether the next line names it instead."""
    if awaiting and _PLACEHOLDER_RE.match(t):
        return "", True  # a blank field's "-": the presenter, if any, is on the next line
    if awaiting and (_ROLE_LINE_RE.match(t) or _LOWER_ROLE_NAME_RE.match(t)):
        return t, False
    if awaiting and _CONTACT_LINE_RE.match(t):
        return clean.people([t.lstrip("•-– ")]), False
    if m := _PRESENTER_RE.match(t):
        return m.group(1), not m.group(1)  # "Esittelijä" alone: the presenter is on the next line
    if proposal_opens and _role_line(t):
        # who made the proposal ("Stadsdirektören:"), not the body whose decision it is ("Tekninen
        # lautakunta:"). Above a description the same shape is as often a heading ("Hallintosääntö:").
        return t.rstrip(":"), False
    return None, False


def _part_label(t: str, mode: str) -> tuple[str, str] | None:
    """A label that starts a part: (the part, any text after the label on its line), or None."""
    if m := _PROPOSAL_RE.match(t):
        return "proposal", m.group("inline") or ""
    if m := _PROPOSAL_CELL_RE.match(t):
        return "proposal", m.group("cell")
    if m := _DECISION_RE.match(t):
        return "decision", m.group("inline") or m.group("cell") or ""
    if m := _HANDLING_RE.match(t):
        return "decision", m.group("inline") or ""  # "Käsittely: Valtuutettu … ehdotti …" on one line too
    if (m := _DESCRIPTION_RE.match(t)) and mode != "preparer":
        return "body", m.group("inline")
    return None


def _sort_lines(lines: list[Line]) -> tuple[dict[str, list[Line]], str, list[str]]:
    """Sort a segment's lines under their labels: (parts by label, presenter, attachment lines)."""
    parts: dict[str, list[Line]] = {k: [] for k in ("body", "preparer", "proposal", "decision", "notes")}
    presenter = ""
    mode, back, attach = "body", "body", []
    listed = False  # a blank line after preparers' names: a name may still follow ("Malli Maija" ⏎⏎ "Kuvitelma Kalle")
    awaiting = False  # a bare presenter label was the last line read
    for ln in lines:
        t = ln.text
        if not t:
            if mode == "attach" and attach:
                mode = back
            elif mode == "preparer" and parts["preparer"]:
                mode, listed = back, True
            if mode in ("body", "proposal", "decision", "notes"):
                parts[mode].append(ln)
            continue
        if listed and (_NAME_LINE_RE.match(t) or _EMAIL_LINE_RE.match(t)) and len(parts["preparer"]) < 6:
            parts["preparer"].append(ln)
            continue
        listed = False
        opens = mode == "proposal" and not any(x.text for x in parts["proposal"])
        who, awaiting = _presenter_in(t, awaiting, opens)
        if who is not None:
            presenter = presenter or who
            continue
        if opens and (m := _INLINE_PROPOSER_RE.match(t)) and _role_line(m["role"] + ":"):
            # "Pelastusjohtaja: Johtokunta toteaa …": who proposes, then what
            presenter, t = presenter or m["role"], m["rest"]
            ln = Line(ln.page, t, t)
        if mode in ("body", "preparer") and _GROUNDS_HEAD_RE.match(t):
            mode = back if mode == "preparer" else mode
            continue  # "Perustelut" heading the description (CloudNC): a heading, not a line of it
        if mode == "preparer" and _PLACEHOLDER_RE.match(t):
            continue  # a blank field's "-" under "Valmistelija"
        if (label := _part_label(t, mode)) is not None:
            mode = back = label[0]
            if label[1]:
                parts[mode].append(Line(ln.page, label[1], label[1]))
            continue
        m = _PREPARER_RE.match(t)
        if _CONTACTS_RE.match(t) or m and mode in ("body", "preparer"):
            back, mode = mode if mode != "preparer" else back, "preparer"
            if m and m.group(1):
                parts["preparer"].append(Line(ln.page, m.group(1), m.group(1)))
            continue
        if (m := _ATTACH_RE.match(t)) and (not m.group(1) or _ATTACH_ITEM_RE.match(t)):
            back = mode if mode not in ("preparer", "attach") else back
            mode = "attach"
            if m.group(1):
                attach.append(m.group(1) if not t.startswith("Liite ") else t)
            continue
        if mode == "attach":
            _add_attachment(attach, t)
            continue
        if mode == "decision" and _NOTE_HEAD_RE.match(t):
            mode = back = "notes"
        if mode == "preparer" and (len(parts["preparer"]) >= 6 or len(t) > 90 or "@" not in t and (
                t.endswith(".") and len(t.split()) >= 5 or ln.raw.endswith(" ") and len(t.split()) >= 6)):
            mode = back
        parts[mode].append(ln)
    return parts, presenter, attach
