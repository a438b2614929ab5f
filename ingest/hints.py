"""Metadata a document may lack, from outside the document: the user, a sidecar file, the file name, the folder.

These values only fill gaps: what the document itself prints always wins. Sources, in order:

1. a sidecar file ``pöytäkirjat.toml`` (or ``poytakirjat.toml``) in the file's folder or the
   nearest parent folder that has one; a ``[tiedostot."nimi.pdf"]`` table inside it applies to
   one file and comes before the folder-wide values (provenance ``user``);
2. the command line (``python -m ingest DIR --municipality "Jämsän kaupunki" --body Kaupunginhallitus``,
   provenance ``user``);
3. the file name: a date (``2023-12-04``, ``04.12.2023``, ``22_01_2015``) and a body word
   (``kaupunginhallitus-2023-12-04.pdf``) (provenance ``filename``);
4. the folder name when it is a body name (``Tekninen_lautakunta/``) (provenance ``folder``).

Sidecar example::

    municipality = "Jämsän kaupunki"
    body = "Kaupunginhallitus"

    [tiedostot."kh-2023-12-04.pdf"]
    date = "2023-12-04"
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from core.bodies import is_body_name
from ingest.markers import BODY_WORD_RE, find_date

logger = logging.getLogger(__name__)

SIDECAR_NAMES = ("pöytäkirjat.toml", "poytakirjat.toml")
KEYS = ("municipality", "body", "date", "kind")
_NAME_DATE_RE = re.compile(r"(?<!\d)(?:(\d{1,2})[._-](\d{1,2})[._-]((?:19|20)\d{2})|((?:19|20)\d{2})[._-](\d{2})[._-](\d{2}))(?!\d)")


@dataclass
class Hints:
    """Gap-filling values with their provenance."""

    values: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def put(self, key: str, value: object, source: str) -> None:
        if isinstance(value, str) and value.strip() and key not in self.values:
            self.values[key] = value.strip()
            self.provenance[key] = source


def hints_for(path: Path, user: dict[str, str] | None = None) -> Hints:
    """Everything known about ``path`` from outside its text (see the module docstring)."""
    h = Hints()
    _sidecar(path, h)
    for key, value in (user or {}).items():
        h.put(key, value, "user")
    _from_filename(path, h)
    folder = path.parent.name.replace("_", " ")
    if is_body_name(folder) and BODY_WORD_RE.search(folder):
        h.put("body", folder, "folder")
    if "date" in h.values:
        iso = find_date(h.values["date"])
        if iso:
            h.values["date"] = iso
        else:
            h.warnings.append(f"päivämäärä {h.values['date']!r} ei ole muotoa 2023-12-04 tai 4.12.2023; ohitetaan")
            del h.values["date"], h.provenance["date"]
    return h


def _sidecar(path: Path, h: Hints) -> None:
    for folder in [path.parent, *path.parent.parents]:
        for name in SIDECAR_NAMES:
            f = folder / name
            if f.is_file():
                try:
                    data = tomllib.loads(f.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                    h.warnings.append(f"{f}: lisätietotiedostoa ei voitu lukea ({e}); ohitetaan")
                    return
                per_file = (data.get("tiedostot") or data.get("files") or {}).get(path.name) or {}
                for key in KEYS:
                    h.put(key, per_file.get(key), "user")
                for key in KEYS:
                    h.put(key, data.get(key), "user")
                return


def _from_filename(path: Path, h: Hints) -> None:
    stem = path.stem
    m = _NAME_DATE_RE.search(stem)
    if m:
        g = m.groups()
        iso = find_date(f"{g[0]}.{g[1]}.{g[2]}" if g[0] else f"{g[5]}.{g[4]}.{g[3]}")
        h.put("date", iso, "filename")
    for word in re.split(r"[\s_.\-]+", stem):
        if len(word) > 6 and BODY_WORD_RE.search(word) and word.isalpha():
            h.put("body", word[:1].upper() + word[1:].lower(), "filename")
            break
