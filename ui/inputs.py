"""Finnish input formats of the filter and question fields (pure functions)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass


@dataclass
class DateRange:
    """Inclusive ISO bounds from the filter fields."""

    start: str | None
    end: str | None


def parse_fi_date(text: str, *, end: bool = False) -> str | None:
    """Finnish date input → ISO date; empty → ``None``.

    Accepts ``17.3.2025``, ``17.03.2025``, ``2025-03-17``, a month (``3/2025``,
    ``3.2025``) or a year (``2025``); partial dates expand to the first day, or
    the last day when ``end`` is true. Raises ``ValueError`` with a Finnish message.
    """
    s = (text or "").strip().rstrip(".")
    if not s:
        return None
    try:
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{1,2})[./](\d{4})", s):
            y, mo = int(m[2]), int(m[1])
            d = calendar.monthrange(y, mo)[1] if end else 1
        elif m := re.fullmatch(r"(\d{4})", s):
            y, mo, d = int(m[1]), (12 if end else 1), (31 if end else 1)
        else:
            raise ValueError(s)
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else _bad_date(s)
    except (ValueError, calendar.IllegalMonthError):
        return _bad_date(s)


def _valid(y: int, mo: int, d: int) -> bool:
    return 1900 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def _bad_date(s: str) -> str:
    raise ValueError(f"Päivämäärää ”{s}” ei tunnistettu. Käytä muotoa pp.kk.vvvv, esim. 17.3.2025.")


def parse_range(date_from: str, date_to: str) -> DateRange:
    """Both filter fields → ``DateRange``; raises ``ValueError`` (Finnish) when invalid."""
    r = DateRange(parse_fi_date(date_from), parse_fi_date(date_to, end=True))
    if r.start and r.end and r.start > r.end:
        raise ValueError("Alkupäivä on myöhäisempi kuin loppupäivä.")
    return r


def cut_question(text: str, limit: int) -> tuple[str, str]:
    """Normalise spaces and cut the question to ``limit`` characters; returns ``(question, Finnish note or "")``."""
    q = " ".join((text or "").split())
    if len(q) <= limit:
        return q, ""
    note = (f"Kysymys oli {len(q)} merkkiä pitkä; vain {limit} ensimmäistä merkkiä "
            "käytettiin.")
    return q[:limit].rstrip(), note
