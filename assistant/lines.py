"""The answer being written: its lines, the items they cite, and what was said already.

``Lines`` keeps the answer free of repeats: a line is not said twice, nor the same content in other
words by a line of the same item or case with no figure of its own (the proposal the decision repeats,
the board's proposal the council's item quotes).
``mark`` is the one home of inline citations: the label at an item's first mention, ``[n]`` after.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from assistant.text import MAX_SCAN_CHARS
from assistant.types import Answer, Citation, Query
from core.items import AgendaItem

#: A line whose words are this share of one line said already says nothing new.
REPEAT_SHARE = 0.7


def cite(items: list[AgendaItem]) -> list[Citation]:
    """One citation per item, in the order first cited."""
    seen: OrderedDict[str, Citation] = OrderedDict()
    for it in items:
        seen.setdefault(it.item_id, Citation.from_item(it))
    return list(seen.values())


class Lines:
    """The answer being written: lines, the items they quote, and what was said (no sentence twice)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.texts: list[str] = []  # what each line quotes, without its citation label
        self.items: list[AgendaItem] = []
        self.owners: list[AgendaItem | None] = []  # the item each line quotes
        self._said: list[str] = []
        self._words: list[tuple[set[str], set[str], set[str]]] = []  # ({item id, case ID}, base forms, numbers)
        self.typed = False  # a line holds a value of the asked type

    def ref(self, item: AgendaItem) -> str:
        """The inline citation of ``item``: ``[n]`` is the n-th entry of ``Answer.citations``; the
        first mention also spells out the label (body, date, §, case ID), later ones only ``[n]``."""
        return mark(item, self.items)

    def says(self, text: str, item: AgendaItem | None = None) -> bool:
        """Whether ``text`` (or its opening) was said already, in any line; or, for a line of ``item``,
        the same content in other words by a line of the same item or case (the proposal that the decision
        repeats, "2. esittää …" after "2. päätti …", the board's proposal that the council adopted) with
        no figure of its own (a changed amount is news)."""
        key = norm(text).rstrip(".")[:80]
        if key and key in " ".join(self._said):
            return True
        if item is None:
            return False
        words, numbers = _content(text), set(_FIGURE.findall(text))
        mine = {item.item_id, item.case_id} - {None}
        return len(words) >= 3 and any(
            owners & mine and len(words & said) >= REPEAT_SHARE * len(words) and numbers <= figures
            for owners, said, figures in self._words)

    def length(self) -> int:
        return len("\n\n".join(self.lines))

    def add(self, line: str, item: AgendaItem | None, said: str = "", *, typed: bool = False) -> None:
        self.typed = self.typed or typed
        self.lines.append(line)
        self.texts.append(said or line)
        self.owners.append(item)
        self._said.append(norm(said or line))
        # What the reader saw: a clipped quote did not show the figures after the cut.
        self._words.append(({item.item_id, item.case_id} - {None}, _content(line), set(_FIGURE.findall(line)))
                           if item is not None else (set(), set(), set()))
        if item is not None and item not in self.items:
            self.items.append(item)

    def drop_last(self) -> None:
        """Take back the last line (to make room for one that must be said), and its citation when no
        other line cites that item."""
        item = self.owners.pop()
        for part in (self.lines, self.texts, self._said, self._words):
            part.pop()
        if item is not None and item not in self.owners and self.items and self.items[-1] is item:
            self.items.pop()

    def answer(self, q: Query, retrieved: list[Citation]) -> Answer:
        return Answer("\n\n".join(self.lines), False, cite(self.items), retrieved, q)


def mark(item: AgendaItem, cited: list[AgendaItem]) -> str:
    """``(label) [n]`` at the first mention of ``item`` in ``cited`` order (registering it), ``[n]`` after."""
    first = item not in cited
    return f"({item.citation()}) {number(item, cited)}" if first else number(item, cited)


def number(item: AgendaItem, cited: list[AgendaItem]) -> str:
    """``[n]`` for ``item`` in ``cited`` order (registering it), for a line that names the item itself."""
    if item not in cited:
        cited.append(item)
    return f"[{cited.index(item) + 1}]"


_FIGURE = re.compile(r"\d+(?:[.,\s]\d+)*")


def _content(text: str) -> set[str]:
    """Base forms of a line's words (no stopwords), numbers kept: what the line says."""
    from core.tokens import tokenize

    return set(tokenize(text[:MAX_SCAN_CHARS]))


def norm(text: str) -> str:
    return " ".join(text.lower().split())
