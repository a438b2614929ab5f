"""Which files an ingest run looks at: supported endings under the given paths, hidden folders skipped."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUPPORTED = {".pdf", ".txt", ".html", ".htm", ".docx"}


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files under ``paths`` (recursive) with a supported ending, and refusals for explicit others."""
    found: list[Path] = []
    bad: list[tuple[str, str]] = []
    for p in paths:
        if p.is_dir():
            root = p.resolve()
            for f in sorted(p.rglob("*")):
                if not (f.is_file() and f.suffix.lower() in SUPPORTED) or any(
                        part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.is_symlink() and not f.resolve().is_relative_to(root):
                    # A link out of the corpus folder would publish what it points to (e.g. /etc/passwd).
                    bad.append((str(f), f"{f}: Symbolinen linkki osoittaa aineistokansion ulkopuolelle; ohitetaan"))
                    continue
                found.append(f)
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED:
                found.append(p)
            else:
                bad.append((str(p), f"{p}: Tiedostomuotoa ei tueta (pdf, txt, html, docx)"))
        else:
            bad.append((str(p), f"{p}: Tiedostoa tai kansiota ei löydy"))
    seen: set[Path] = set()
    unique = []
    for f in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique, bad


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
