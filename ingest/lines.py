"""Lines of a document as the item readers get them: text with its page, paragraph ends and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Line:
    """A raw line with its 1-based page and its normalised text."""

    page: int
    raw: str
    text: str


def ends_paragraph(ln: Line | None, nxt: Line | None = None) -> bool:
    """True if ``ln`` ends a paragraph (or a page) so that ``nxt`` can be a heading."""
    if ln is None or not ln.text or (nxt is not None and nxt.page != ln.page):
        return True
    return not (ln.raw.endswith(" ") or ln.raw.endswith("\u200b") or ln.raw.endswith("\u00ad"))


_SEPARATOR_RE = re.compile(r"^[_\-–=]{8,}$")


def is_separator(text: str) -> bool:
    """A rule drawn between parts or items ("__________")."""
    return bool(_SEPARATOR_RE.match(text))
