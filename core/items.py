"""Small dataclasses that pass between the ingest stages and on to the assistant.

``AgendaItem`` is one § of one meeting document. Its ``item_id`` is
deterministic from what identifies the item (municipality, body, date, §,
document kind), so a corrected file replaces the same ids; ``content_hash``
changes whenever any of its text or metadata changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

DocKind = Literal["minutes", "agenda", "other"]


@dataclass(frozen=True)
class Page:
    """One page of a source document as plain text (1-based ``number``)."""

    number: int
    text: str


@dataclass
class Document:
    """What a reader returns: the pages of one file plus what the reader knows."""

    source: str
    pages: list[Page]
    fmt: str  # "pdf", "txt", "html", "docx"


@dataclass
class HistoryEntry:
    """Earlier handling of the same case inside an item, e.g. ``Kaupunginhallitus 23.09.2024 § 258``."""

    body: str
    date: str  # ISO YYYY-MM-DD
    section: int | None
    proposal: str = ""
    decision: str = ""

    def label(self) -> str:
        return citation_label(self.body, self.date, self.section, None)


@dataclass
class AgendaItem:
    """One agenda item (§) with its metadata and cleaned text sections."""

    municipality: str
    body: str
    date: str  # ISO YYYY-MM-DD
    section: int
    title: str
    source: str
    kind: DocKind = "minutes"
    body_abbr: str | None = None
    meeting_number: str | None = None  # e.g. "3/2025"
    extra_section: bool = False  # LISÄPYKÄLÄ
    case_ids: list[str] = field(default_factory=list)
    preparer: str | None = None  # Valmistelija
    presenter: str | None = None  # Esittelijä
    proposal: str = ""  # Ehdotus / Päätösehdotus / X:n päätösehdotus
    decision: str = ""  # Päätös (empty in agendas)
    body_text: str = ""  # description before the proposal
    history: list[HistoryEntry] = field(default_factory=list)
    votes: str = ""  # äänestys text when there was a vote
    disqualified: list[str] = field(default_factory=list)  # esteellinen / jäävi
    tabled: bool = False  # pöydälle
    returned: bool = False  # palautettiin valmisteluun
    experts: list[str] = field(default_factory=list)  # asiantuntijoina
    # The meeting's attendance as "Heading: Name, role" (ingest.attendance); the same on every item of a meeting.
    attendees: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # Liitteet
    notes: list[str] = field(default_factory=list)  # other remarks, verbatim
    text: str = ""  # whole cleaned item text
    page_start: int = 1
    page_end: int = 1
    # where each identifying value came from: key ("body", "date", "section", "case_ids",
    # "municipality") → "document_header", "item_header", "item_text", "filename", "folder", "url" or "user"
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def item_id(self) -> str:
        """Deterministic id: same meeting, body, § and document kind give the same id."""
        parts = [self.municipality, self.body, self.date, str(self.section),
                 "L" if self.extra_section else "", self.kind]
        if not self.date or not self.body:
            parts.append(self.source)  # undated items of different files are different items
        key = "|".join(parts)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    @property
    def content_hash(self) -> str:
        """Hash over every field: changes when anything in the item changes."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]

    @property
    def has_decision(self) -> bool:
        return self.kind == "minutes" and bool(self.decision.strip())

    @property
    def case_id(self) -> str | None:
        """The first (main) case ID, or None."""
        return self.case_ids[0] if self.case_ids else None

    def citation(self) -> str:
        """Human citation, e.g. ``Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123``; in a store of
        several organisations ``Jämsän kaupunki, Kaupunginhallitus …`` (``core.organisations``)."""
        from core.organisations import cited

        return citation_label(self.body, self.date, self.section, self.case_id, cited(self.municipality, self.body))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AgendaItem:
        names = {f.name for f in fields(cls)}
        data = {k: v for k, v in d.items() if k in names}
        data["history"] = [HistoryEntry(**h) for h in data.get("history", [])]
        data["provenance"] = dict(data.get("provenance") or {})
        return cls(**data)


@dataclass(frozen=True)
class Passage:
    """A retrieval unit: part of one item's text; citations always resolve to ``item_id``."""

    item_id: str
    index: int
    text: str

    @property
    def passage_id(self) -> str:
        h = hashlib.sha256(f"{self.item_id}|{self.index}|{self.text}".encode()).hexdigest()
        return h[:32]


def _fi_date(iso: str) -> str:
    """``2025-03-17`` → ``17.3.2025`` (Finnish style, no leading zeros)."""
    try:
        y, m, d = iso.split("-")
        return f"{int(d)}.{int(m)}.{int(y)}"
    except ValueError:
        return iso


fi_date = _fi_date


def citation_label(body: str, date: str, section: int | None, case_id: str | None,
                   organisation: str | None = None) -> str:
    """The one citation label: ``Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123``.

    Items, history entries and answer citations all render through this, so a
    cited label always matches the retrieved one. ``organisation`` (given when
    the store holds several, see ``core.organisations.label_organisation``) leads:
    ``Jämsän kaupunki, Kaupunginhallitus 4.12.2023 § 303, 1234/00.01/2023``.
    """
    # A body or date the document did not show is marked, never invented.
    s = f"{body or 'toimielin puuttuu'} {_fi_date(date) if date else '(päivämäärä puuttuu)'}"
    if organisation:
        s = f"{organisation}, {s}"
    if section is not None:
        s += f" § {section}"
    return f"{s}, {case_id}" if case_id else s


def attendee(heading: str, person: str) -> str:
    """One ``AgendaItem.attendees`` entry: the list's heading and the person as listed
    ("Saapuvilla olleet jäsenet: Lasse Rajala, puheenjohtaja"); written by ingest.attendance."""
    return f"{heading}: {person}"


def attendee_parts(entry: str) -> tuple[str, str]:
    """``(heading, person)`` of one ``AgendaItem.attendees`` entry (see :func:`attendee`)."""
    heading, _, person = entry.partition(": ")
    return heading, person
