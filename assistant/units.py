"""Units of an item's text that a sentence ranking reads: sentences, table rows as readable lines, and the
lists they form.

A table (lines with " | " cells) becomes one line per row ("Yhteensä: Valaisimia 1 850, Kustannusarvio
780 000 €"); prose becomes sentences. Consecutive numbered or bulleted sentences, and a table's rows, are
the entries of one list: a question asking for several things is answered by the whole list.
"""

from __future__ import annotations

import re

from assistant.tables import table_rows
from core.sentences import sentences


def units(text: str) -> list[str]:
    """Sentences and table rows of ``text``; a sentence that introduces a list ("… toteaa seuraavaa:")
    is joined with what it introduces.

    Only the first sentence is joined. Joining the whole list or table (measured on the tuning sets,
    2026-12-05) made units of 500–700 characters: the answer then showed a clipped run of list entries,
    sometimes without the asked one, and two tuning questions were lost for one won."""
    return [u for u, _run in listed_units(text)]


#: A prose unit that is a list entry: "1. …", "2) …", "- …", "• …".
_ENTRY = re.compile(r"(?:(\d{1,2})[.)]|[-•*])\s")
#: The bullet a list entry opens with, as the answer drops it (an answer's line gets its own bullet, or none).
_BULLET = re.compile(r"^\s{0,3}[-–•*]\s+")
#: Entries that make a list worth showing whole: fewer are a decision's clauses, said by its summary.
MIN_RUN = 3


def listed_units(text: str) -> list[tuple[str, int | None]]:
    """``units(text)`` with the list each belongs to: the number of its run of parallel entries when the
    run has ``MIN_RUN`` entries or more, else ``None``. A run is a table's rows, consecutive bulleted
    sentences, or numbered sentences counting on (1., 2., 3.; an entry's further sentences between them
    belong to no run and do not end it)."""
    out: list[tuple[str, int]] = []
    run, last = -1, (None, 0)  # last: the previous entry's kind ("num" with its number, "bullet") or None
    for block, is_table in _blocks(text):
        run, last = run + 1, (None, 0)
        for s in table_rows(block) if is_table else sentences(block):
            entry = _entry(s) if not is_table else ("row", 0)
            if entry[0] is not None and not is_table and not _continues(last, entry):
                run += 1  # a new list starts here
            if entry[0] is not None or last[0] == "bullet":
                last = entry  # a bulleted run ends at prose; a numbered one counts on past it
            mine = run if entry[0] is not None else -1
            if out and out[-1][0].endswith(":") and not is_table and len(out[-1][0]) + len(s) < 700:
                out[-1] = (f"{out[-1][0]} {s}", mine if mine >= 0 else out[-1][1])  # the intro joins its first entry
            else:
                out.append((s, mine))
    sizes: dict[int, int] = {}
    for _u, r in out:
        sizes[r] = sizes.get(r, 0) + 1
    return [(u, r if r >= 0 and sizes[r] >= MIN_RUN else None) for u, r in out]


def unbullet(text: str) -> str:
    """``text`` without the list bullet it opens with ("- Maapohjan … 1,30 %.")."""
    return _BULLET.sub("", text)


def _entry(sentence: str) -> tuple[str | None, int]:
    """("num", n) for "n. …" or "n) …", ("bullet", 0) for "- …", "• …", "* …", else (None, 0)."""
    m = _ENTRY.match(sentence)
    if m is None:
        return None, 0
    return ("num", int(m.group(1))) if m.group(1) else ("bullet", 0)


def _continues(last: tuple[str | None, int], entry: tuple[str | None, int]) -> bool:
    return last[0] == entry[0] and (entry[0] == "bullet" or entry[1] == last[1] + 1)


#: Prose lines between two table lines that still belong to the table (a cell broken over lines).
TABLE_GAP = 4


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Runs of prose lines and of table lines (cells separated by " | ")."""
    lines = (text or "").split("\n")
    piped = [i for i, ln in enumerate(lines) if "|" in ln]
    spans: list[list[int]] = []
    for i in piped:
        if spans and i - spans[-1][1] <= TABLE_GAP:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    blocks: list[tuple[str, bool]] = []
    start = 0
    for a, b in spans:
        if a > start:
            blocks.append(("\n".join(lines[start:a]), False))
        blocks.append(("\n".join(lines[a:b + 1]), True))
        start = b + 1
    if start < len(lines):
        blocks.append(("\n".join(lines[start:]), False))
    return blocks
