"""The header of a Lapua-style minutes document: kind, municipality, body, date and meeting number.

Read from the running page header and the first lines (:func:`read_meta`); what the
document does not say comes from the file name (:func:`fill_fallbacks`, e.g.
``Pöytäkirja-Kaupunginhallitus - 02.12.2024, klo …``), with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.bodies import is_body_name
from ingest.clean import DATE, iso_date
from ingest.lines import Line
from ingest.markers import TIME_LABELS, after_label, meeting_number
from ingest.meeting import organisation_named

_KIND_WORDS = {"pöytäkirja": "minutes", "esityslista": "agenda", "kokouskutsu": "agenda", "asialista": "agenda"}
_KIND_RE = re.compile(r"^(pöytäkirja|esityslista|kokouskutsu|asialista)\b(?!\w)", re.I)
_MUNI_RE = re.compile(
    r"^([A-ZÅÄÖ][\w\-]+ (?:kaupunki|kunta|kuntayhtymä|hyvinvointialue|työllisyysalue|seutukunta))$")
_TIME_LABEL = rf"^(?:{'|'.join(TIME_LABELS)})"
_TIME_RE = re.compile(rf"{_TIME_LABEL}\s*[:|]?\s*(?:\w+\s+)?{DATE}", re.I)
_TIME_LABEL_ALONE_RE = re.compile(rf"{_TIME_LABEL}[\s:]*$", re.I)
_FILENAME_RE = re.compile(r"^(Pöytäkirja|Esityslista)-(.+?) - (\d{2}\.\d{2}\.\d{4})")


def read_meta(header: list[str], lines: list[Line]) -> dict[str, str]:
    """Kind, municipality, body, date and meeting number from the header and first lines."""
    meta: dict[str, str] = {}
    first = [ln.text for ln in lines[:80] if ln.text][:40]
    cells = [c.strip() for row in header + first[:12] for c in row.split(" | ") if c.strip()]
    for c in cells:
        m = _KIND_RE.match(c)
        if m and "kind" not in meta and len(c) <= 40:
            meta["kind"] = _KIND_WORDS[m.group(1).lower()]
            num = meeting_number(c[m.end():])
            if num:
                meta.setdefault("number", num)
        if "municipality" not in meta and _MUNI_RE.match(c):
            meta["municipality"] = c
        if "number" not in meta and re.fullmatch(r"\d{1,3}/(?:19|20)\d{2}", c) and c in _header_cells(header):
            meta["number"] = c
    for row in header + first[:12]:  # "Hyvinvointilautakunta | 13.03.2025" or a body name alone
        parts = [p.strip() for p in row.split(" | ")]
        if "body" not in meta and is_body_name(parts[0]) and (len(parts) == 1 or iso_date(parts[1])):
            meta["body"] = parts[0]
            if len(parts) > 1 and "header_date" not in meta:
                meta["header_date"] = iso_date(parts[1]) or ""
    for i, t in enumerate(first):
        if m := _TIME_RE.match(t):
            meta.setdefault("date", iso_date(t[m.start(1):]) or "")
            break
        if m := _TIME_LABEL_ALONE_RE.match(t):
            meta.setdefault("date", iso_date(after_label(first, i, m.end())) or "")
            break
    if not meta.get("date") and meta.get("header_date"):
        meta["date"] = meta["header_date"]
    if "municipality" not in meta:
        # A running header printing the organisation beside the kind and the page ("Kuusiston kunta
        # PÖYTÄKIRJA 6/2025 1"): no cell of its own, yet the document's only naming of it.
        meta["municipality"] = next((org for row in header + first[:3] if (org := organisation_named(row))), "")
    return {k: v for k, v in meta.items() if v}


def _header_cells(header: list[str]) -> set[str]:
    """Cells of the running header rows (``a | b | c``)."""
    return {c.strip() for row in header for c in row.split(" | ")}


FI_META = {"body": "toimielin", "date": "kokouspäivä", "municipality": "organisaatio"}  # for warnings


def fill_fallbacks(meta: dict[str, str], source: str, warnings: list[str]) -> None:
    """Body/date/kind from the file name (``Pöytäkirja-Kaupunginhallitus - 02.12.2024, klo …``)."""
    m = _FILENAME_RE.match(Path(source).name)
    if not m:
        for key in ("body", "date"):
            if not meta.get(key):
                warnings.append(f"{FI_META[key]} ei löytynyt asiakirjasta")
        return
    for key, value in (("body", m.group(2)), ("date", iso_date(m.group(3)) or "")):
        if not meta.get(key):
            meta[key] = value
            warnings.append(f"{FI_META[key]} luettiin tiedoston nimestä")
    if "kind" not in meta:
        meta["kind"] = _KIND_WORDS[m.group(1).lower()]
