"""Which time a question's time expressions filter on: yearless months moved back to the minutes the
store holds, the filter's dates and label, and the year phrases a follow-up replaces.

``assistant.question`` decides which expressions are filters (``assistant.dates`` finds them); this
module turns the ones it applies into the query's dates, and tells whether a text names a time inside a
filter's window (an event month the item decides on, ``mentions_window``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from assistant.dates import MONTH_STEMS, SEASONS, find_times, time_label

#: ``covered(first, last, bodies)``: the store has minutes of ``bodies`` (any body when empty) in that range.
Covered = Callable[[date, date, Sequence[str]], bool]
#: Years a month named without one may reach back to find the minutes ("maaliskuussa" in December 2026,
#: when the store ends in 2025, is March 2025).
YEARLESS_LOOKBACK = 5


def latest_covered(applied: list[Any], covered: Covered, bodies: Sequence[str]) -> list[Any]:
    """Yearless spans moved back by whole years to the latest occurrence the store has minutes for.

    The year of "maaliskuussa" is the most recent March, which a store whose minutes end earlier does
    not cover: the asker means the latest March the minutes tell of, not a refusal for a year without any.
    """
    if not applied or not all(s.yearless for s in applied):
        return applied
    first, last = min(s.start for s in applied), max(s.end for s in applied)
    for back in range(YEARLESS_LOOKBACK + 1):
        moved = [replace(s, start=years_back(s.start, back), end=years_back(s.end, back)) for s in applied]
        if covered(years_back(first, back), years_back(last, back), bodies):
            return moved
    return applied


def years_back(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def names_year(text: str, today: date) -> bool:
    return any(s.kind == "year" for s in find_times(text, today=today))


def without_years(text: str, today: date) -> str:
    """``text`` without its year phrases: a follow-up naming a year of its own replaces the inherited one."""
    for s in sorted(find_times(text, today=today), key=lambda s: s.pos[0], reverse=True):
        if s.kind == "year":
            text = text[:s.pos[0]] + text[s.pos[1]:]
    return " ".join(text.split())


def times(applied: list[Any], today: date) -> tuple[str | None, str | None, str]:
    if not applied:
        return None, None, ""
    start, end = min(s.start for s in applied), max(s.end for s in applied)
    label = time_label(start, end, today, seasonal=any(s.kind == "season" for s in applied))
    return start.isoformat(), end.isoformat(), label


def mentions_month(text: str, year: int, month: int) -> bool:
    """Whether ``text`` names a day or the name of ``month`` of ``year`` ("5.-8.9.2025", "syyskuussa 2025"):
    the month of an event the item decides on, which may be later than the meeting."""
    day = re.compile(rf"(?<![\d.])\d{{1,2}}\.\s?0?{month}\.\s?{year}(?!\d)")
    named = re.compile(rf"\b{MONTH_STEMS[month - 1]}kuu\w{{0,6}}\s+{year}\b", re.IGNORECASE)
    head = text[:20000]
    return bool(day.search(head) or named.search(head))


def mentions_window(text: str, start: date, end: date) -> bool:
    """Whether ``text`` names a time inside ``start``–``end`` (whole months): a day or a month name of one
    of its months, or, for a season, the season with its year ("kesällä 2025", "talven 2024–2025")."""
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        if mentions_month(text, y, m):
            return True
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    key = (start.month, end.month)
    stem = next((k for k, v in SEASONS.items() if v == key), None)
    if stem is None:
        return False
    years = rf"(?:{start.year}|{end.year}|{start.year}\s?[-–]\s?{end.year})" if start.year != end.year else str(end.year)
    return bool(re.search(rf"\b{stem}\w{{0,6}}\s+{years}(?!\d)", text[:20000], re.IGNORECASE))
