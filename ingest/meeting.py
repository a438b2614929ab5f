"""What identifies a meeting (kind, body, date, municipality), read from a document's first lines.

Every value found here carries its provenance: ``document_header`` when it comes from the
lines before the first item, ``item_header`` when an item's own heading names it. The
splitter adds ``filename``, ``folder`` and ``user`` values only where these are missing
(:mod:`ingest.hints`). Nothing is guessed: a digest titled "Kaupunginhallituksen päätökset
14.12." has a body but no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.bodies import ORGANISATION_TYPES, is_body_name
from ingest import markers
from ingest.markers import (
    BODY_WORD_RE,
    body_in_text,
    declared_kind,
    find_date,
    meeting_number,
    nominative_body,
)

_MEETING_LINE_RE = re.compile(
    rf"^(?P<body>[^,]{{3,90}}?),\s*(?:kokous|möte|sammanträde|meeting)\s+(?P<date>{markers.ANY_DATE})", re.I)
_BODY_DATE_RE = re.compile(rf"^(?P<body>[A-ZÅÄÖ][\wÅÄÖåäö\- ]{{2,80}}?)\s+(?P<date>{markers.ANY_DATE})$")
#: An item page's first line: body, its §, the meeting day ("Tekninen lautakunta § 94 15.12.2020 OTSIKKO …").
_BODY_SECTION_DATE_RE = re.compile(
    rf"^(?P<body>[A-ZÅÄÖ][\wÅÄÖåäö\- ]{{2,80}}?)\s+§\s*\d{{1,4}}\s+(?P<date>{markers.ANY_DATE})(?!\d)")
# As printed or in capitals, not in any case: "aika" in running text is no label.
_TIME_LABEL_RE = re.compile(rf"\b(?:{'|'.join(w for label in markers.TIME_LABELS for w in (label, label.upper()))})\b\s*:?")
#: An organisation by its type word, as printed or in capitals: a town, a municipality, a joint authority
#: ("Kuvitelman koulutuskuntayhtymä"), a welfare or employment area, a regional council ("Kuvitelman
#: liitto", "… maakuntaliitto"), a parish or a parish union.
_ORG_TYPES = tuple(dict.fromkeys(ORGANISATION_TYPES.values()))
_MUNI_RE = re.compile(
    r"(?<![\w-])([A-ZÅÄÖ][\wÅÄÖåäö-]+[nN])\s+(kaupunki|kunta|KAUPUNKI|KUNTA|"
    + "|".join(rf"[\wåäö]*{w}|[\wÅÄÖ]*{w.upper()}" for w in _ORG_TYPES) + r")(?![\wåäöÅÄÖ])")
_MUNI_SV_RE = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäö-]+?s?)\s+(stad|kommun)(?![\wåäö])")
#: "Esimerkkilän kunnanhallitus": the name must be capitalised (a lower-case word before "Kunnanvaltuuston"
#: is prose, not a municipality); the body word may be in any case.
_MUNI_GEN_RE = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\wåäö-]+[nN])\s+(?i:(kaupungin|kunnan)(?:hallitu|valtuust|[\wåäö]*lautakun))")


@dataclass
class MeetingMeta:
    """Meeting-level values and where each came from."""

    values: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)

    def put(self, key: str, value: str | None, source: str) -> None:
        """Set ``key`` unless already known (first source wins)."""
        if value and not self.values.get(key):
            self.values[key] = value
            self.provenance[key] = source

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def read_header(lines: list[str]) -> MeetingMeta:
    """Kind, body, date, municipality and meeting number from the lines before the first item."""
    meta = MeetingMeta()
    prev = ""
    for raw in lines:
        t = raw[:240]
        if not t:
            continue
        # A word wrapped at its hyphen, at the line's end or a column's ("ESIMERKKIJOEN VESIEN-" ⏎ "SUOJELUN …")
        wrapped, prev = bool(_WRAPPED_RE.search(prev)), t.rstrip()
        if "kind" not in meta.values:
            k = declared_kind(t[:160])
            meta.put("kind", k, "document_header")
            if k:
                num = meeting_number(t[:120])
                if num:
                    meta.put("number", num, "document_header")
        if not wrapped:  # the part after a wrapped name is no name of its own
            _municipality(meta, t)
        _body_and_date(meta, t)
    for i, raw in enumerate(lines):  # a labelled meeting time ("Aika ti 14.9.2017 klo 16") when no header had a date
        m = _TIME_LABEL_RE.search(raw)
        if m and not meta.get("date"):
            day = find_date(markers.after_label(lines, i, m.end()))
            if day is None and not raw[m.end():].strip():
                # Labels printed as a column before their values ("KOKOUSAIKA" ⏎ "KOKOUSPAIKKA" ⏎
                # "maanantai 16.3.2015 klo 18.15"): the first date of the next lines.
                day = next((d for ln in lines[i + 1:i + 6] if (d := find_date(ln[:80]))), None)
            meta.put("date", day, "document_header")
    if any(markers.is_digest_title(t) for t in lines):
        meta.put("kind", "minutes", "document_header")  # a digest of decisions made
        meta.put("digest", "1", "document_header")
    for raw in lines:  # a PDF viewer's download title: 'Download "SSTYR, 2015-04-14 18:00, Protokoll"'
        if raw.startswith(("Download \"", "Lataa \"")) and not meta.get("date"):
            meta.put("date", find_date(raw), "document_header")
    return meta


def organisation_named(line: str) -> str:
    """The organisation a header line names ("Kuusiston kunta    PÖYTÄKIRJA 6/2025    1"), or ""."""
    meta = MeetingMeta()
    _municipality(meta, line[:240])
    return meta.get("municipality")


def _municipality(meta: MeetingMeta, t: str) -> None:
    if meta.get("municipality"):
        return
    if m := _MUNI_RE.search(t):
        meta.put("municipality", _tidy_name(f"{m.group(1)} {m.group(2)}"), "document_header")
    elif m := _MUNI_GEN_RE.search(t):
        kind = "kaupunki" if m.group(2).lower() == "kaupungin" else "kunta"
        meta.put("municipality", f"{_tidy_name(m.group(1))} {kind}", "document_header")
    elif (m := _MUNI_SV_RE.search(t)) and len(t) < 80:
        meta.put("municipality", _tidy_name(f"{m.group(1)} {m.group(2)}"), "document_header")
    elif org := markers.organisation_in_genitive(t):
        meta.put("municipality", org, "document_header")  # "Kuvitelman kuntayhtymän yhtymähallitus"


def _tidy_name(name: str) -> str:
    """``VESILAHDEN KUNTA`` → ``Vesilahden kunta``; mixed case is kept."""
    if name.isupper():
        name = name.lower()
    head, _, rest = name.partition(" ")
    return head[:1].upper() + head[1:] + (" " + rest.lower() if rest else "")


_DRAWN_UP_RE = re.compile(rf"\b(?:Laatimispäivämäärä|Laatimispäivä|Laadittu|Upprättad|Upprättat)[\s:]*{markers.ANY_DATE}",
                          re.I)
# (?<!\s): a run of spaces is tried from its start only, so a long run stays linear.
_TERM_SUFFIX_RE = re.compile(r"(?<!\s)\s+(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d\s*$")
_WRAPPED_RE = re.compile(r"\w-(?:\s(?!ja\b|och\b|sekä\b|tai\b|eller\b)|$)")  # not "Ympäristö- ja …"
#: A meeting's number or a page count in a column after the body's name ("N:o 1 / 2026", "1/11").
_NUMBER_COLUMN_RE = re.compile(r"(?<=\S)(?:\s{2,}(?:N:o|No\.?|Nro|Nr)?|\s(?:N:o|No\.|Nro))\s*\d{1,3}\s*/\s*\d{1,4}$")
_KIND_PREFIX_RE = re.compile(r"^(?:Pöytäkirja|Esityslista|Kokouskutsu|Protokoll|Föredragningslista)\s+(?=[A-ZÅÄÖ])", re.I)


def _body_and_date(meta: MeetingMeta, t: str) -> None:
    if meta.get("body") and meta.get("date"):
        return
    t = _DRAWN_UP_RE.sub(" ", t).rstrip()  # the day the agenda was drawn up is not the meeting's
    t = _KIND_PREFIX_RE.sub("", t)
    if m := _MEETING_LINE_RE.match(t):  # "Kaupunginhallitus, kokous 18.5.2020"
        meta.put("body", m.group("body").strip(), "document_header")
        meta.put("date", find_date(m.group("date")), "document_header")
        return
    m = _BODY_DATE_RE.match(t) or _BODY_SECTION_DATE_RE.match(t)
    if m and BODY_WORD_RE.search(m.group("body").split()[-1]):  # "Sivistyslautakunta 29.1.2019"
        meta.put("body", body_tail(m.group("body")), "document_header")
        meta.put("date", find_date(m.group("date")), "document_header")
        return
    name = _TERM_SUFFIX_RE.sub("", t).strip()  # "Tekninen lautakunta 2021-2025": the body of a term
    name = _NUMBER_COLUMN_RE.sub("", name)  # "Ympäristölautakunta     N:o 1 / 2026": the meeting's number
    if name and len(name) <= 80 and is_body_name(name) and BODY_WORD_RE.search(name.split()[-1]):
        meta.put("body", body_tail(name), "document_header")  # a body name alone on its line
        return
    if markers.is_digest_title(t) or (len(t) <= 120 and find_date(t) and body_in_text(t)):
        body = body_in_text(t)
        if body and not meta.get("body"):
            meta.put("body", body, "document_header")
            meta.put("date", find_date(t), "document_header")
        elif body and body == meta.get("body") and not meta.get("date") and find_date(t):
            # "Kaupunginhallituksen päätökset" as the page's title, the dated heading further down
            meta.put("date", find_date(t), "document_header")
        return
    if not meta.get("body"):
        first = first_body_token(t[:200])
        if first and (declared_kind(t[:160]) or _TIME_LABEL_RE.search(t) or len(t) > 160):
            meta.put("body", first, "document_header")  # "VESILAHDEN KUNTA PÖYTÄKIRJA 16/ Kunnanhallitus AIKA …"


#: A capitalised adjective that opens a two-word body name: Finnish -nen, Swedish -a (before a
#: Swedish body word only: a Finnish noun in -a is as common, "Aika kirkkoneuvoston …").
_ADJECTIVE_FI_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäö]{2,}nen$")
_ADJECTIVE_SV_RE = re.compile(r"^[A-ZÅÄÖ][a-zåäö]{2,}a$")
_SV_BODY_ENDINGS = ("nämnden", "styrelsen", "fullmäktige", "sektionen", "utskottet", "direktionen")


def _adjective_for(word: str, body_word: str) -> bool:
    if body_word.endswith(_SV_BODY_ENDINGS):
        return bool(_ADJECTIVE_SV_RE.match(word))
    return bool(_ADJECTIVE_FI_RE.match(word))


def body_tail(name: str) -> str:
    """The body name at the end of a header run: "HAUKIPUTAAN KUNTA PÖYTÄKIRJA 5/2010 Kunnanvaltuusto" →
    "Kunnanvaltuusto". What precedes it up to an upper-case word or a number is the organisation and the
    document's kind; a capitalised compound body word stands alone ("Sida Kommunstyrelsen"). A name in
    capitals throughout, or with its attributes in lower case ("Tekninen lautakunta"), is kept whole."""
    words = name.split()
    if len(words) < 2 or words[-1].isupper():
        return name.strip()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if (w.isupper() and len(w) > 1) or re.search(r"[\d/]", w)),
              default=0)
    words = words[cut:]
    if len(words) > 1 and words[-1][:1].isupper() and not words[-2].endswith("-"):
        words = words[-1:]
    return " ".join(words)


def first_body_token(text: str) -> str | None:
    """The first single word that names a body (``Kunnanhallitus``, ``KUNNANHALLITUS``, ``Styrelsen``)."""
    prev = ""
    for w in re.findall(r"[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ.-]+", text):
        if len(w) > 6 and BODY_WORD_RE.search(w) and not w.lower().endswith(("lautakunnan", "hallituksen")):
            if w[:1].isupper():
                return nominative_body(w)
            if w.islower() and nominative_body(w) == w.capitalize() and _adjective_for(prev, w):
                return f"{prev} {w}"  # "Yhteinen kirkkoneuvosto", "Tekniska nämnden"
        prev = w
    return None
