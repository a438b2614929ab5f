"""Inline ``[n]`` citation markers over an answer (pure functions).

The assistant writes each citation as its full label in parentheses,
``(Kaupunginhallitus 23.2.2026 § 23, ESIDno-2025-512)`` or several joined with
``; ``. Here those groups become ``[n]`` markers numbered like the source list:
``n`` is the 1-based position in ``Answer.citations`` (duplicates dropped), the
same numbering the CLI and ``--json`` print. A parenthesised group that is not
made only of known labels stays text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.types import Answer, Citation

_GROUP = re.compile(r"\s?\(([^()\n]{1,2000})\)")


@dataclass(frozen=True)
class Source:
    """One numbered source of an answer."""

    n: int
    citation: Citation

    @property
    def label(self) -> str:
        return self.citation.label()


@dataclass(frozen=True)
class Segment:
    """A piece of answer text, or (``refs`` non-empty) the markers that replace one citation group."""

    text: str = ""
    refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class NumberedAnswer:
    """Answer text split into text and marker segments, plus the numbered sources."""

    segments: list[Segment]
    sources: list[Source]

    def plain(self) -> str:
        """Text with ``[n]`` markers (what the API, copy and export show)."""
        return "".join(s.text if not s.refs else " " + "".join(f"[{n}]" for n in s.refs) for s in self.segments)

    def by_number(self, n: int) -> Source | None:
        return self.sources[n - 1] if 1 <= n <= len(self.sources) else None


def number_sources(citations: Iterable[Citation]) -> list[Source]:
    """Numbered sources in ``citations`` order, each item once."""
    out: list[Source] = []
    seen: set[str] = set()
    for c in citations:
        if c.item_id not in seen:
            seen.add(c.item_id)
            out.append(Source(len(out) + 1, c))
    return out


def number_answer(answer: Answer) -> NumberedAnswer:
    """Replace the answer's citation groups with ``[n]`` markers (see module doc)."""
    sources = number_sources(answer.citations)
    by_label: dict[str, int] = {}
    for s in sources:
        by_label.setdefault(_norm(s.label), s.n)
    text = answer.text.strip()
    segments: list[Segment] = []
    pos = 0
    for m in _GROUP.finditer(text):
        parts = [_norm(p) for p in m.group(1).split(";")]
        refs = [by_label.get(p) for p in parts]
        if not parts or any(r is None for r in refs):
            continue
        if m.start() > pos:
            segments.append(Segment(text[pos:m.start()]))
        segments.append(Segment(refs=tuple(dict.fromkeys(r for r in refs if r is not None))))
        pos = m.end()
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return NumberedAnswer(segments, sources)


def _norm(label: str) -> str:
    return " ".join(label.split())
