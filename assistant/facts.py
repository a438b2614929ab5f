"""Checkable facts in Finnish text: dates, euro amounts, percentages, § numbers and case IDs.

The LLM verifier (``assistant.citations``) reads the same facts from a model
sentence and from the item it cites, and compares them as values: a date is a
(day, month, year) triple whatever its written form ("11.3.2026", "11.3.",
"11. maaliskuuta 2026", "maaliskuun 11. päivänä", "2026-03-11"), and an amount
is a ``Decimal`` of euros ("1 800 000 €" = "1,8 milj. euroa" = "1.8 M€").

Every pattern here is linear-time: no nested unbounded quantifiers, and each
repeated group starts with a character its predecessor cannot end with.
``MAX_SCAN`` caps how much text one call reads (tests/test_regex_safety.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from core import caseids

#: Longest text one call scans; longer input is cut (an item is a few kB, a model reply less).
MAX_SCAN = 200_000

_MONTHS = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras",
           "joulu")
_MONTH = "(" + "|".join(_MONTHS) + ")"
# One pattern per written form, each starting with a digit or a month name so that the
# engine skips ahead cheaply; what must not precede a match is checked in dates_in.
_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"),                                  # 2026-03-11 (y, m, d)
    re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})?(?!\d)"),                               # 11.3.2026, 11.3.
    re.compile(r"(\d{1,2})\.?\s?" + _MONTH + r"kuuta(?:\s(\d{4})(?!\d))?", re.I),      # 11. maaliskuuta 2026
    re.compile(_MONTH + r"kuun\s(\d{1,2})\.?\s?päivän[aä](?:\s(\d{4})(?!\d))?", re.I),  # maaliskuun 11. päivänä
    re.compile(_MONTH + r"kuu(?:n|ssa|ta|lla|sta)?\s(\d{4})(?!\d)", re.I),               # maaliskuussa 2026
)
# A number: thousands in groups of three (space, no-break space or dot), optional decimals. It may
# not start inside a run of groups ("123 123 …"): one start per run keeps the search linear.
_NUM = r"(?<![\d,.])(?<!\d[ \u00a0\u202f])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d])(?:,\d{1,4})?|\d+(?:[,.]\d{1,4})?)"
_SCALE = r"(?:(milj(?:oonaa|oona|\.)?|mrd\.?|miljardia?|tuhatta|t|m|k)\s?)?"
_EURO = re.compile(_NUM + r"\s?" + _SCALE + r"(?:€|eur(?:o[a-zäö]{0,5})?(?![a-zäö])|e(?![\w-]))", re.IGNORECASE)
_PERCENT = re.compile(_NUM + r"\s?(?:%|prosent(?:tia|in|illa|issa|ista|tiin|ti|in)?(?![a-zäö])|%-yksikkö)",
                      re.IGNORECASE)
_SECTION = re.compile(r"§\s?(\d{1,4})|(\d{1,4})\s?§|pykälä(?:llä|ssä|n|ä)?\s(\d{1,4})", re.IGNORECASE)


@dataclass(frozen=True)
class DateRef:
    """A written date; ``day`` and ``year`` may be unknown ("11.3.", "maaliskuussa 2026")."""

    day: int | None
    month: int
    year: int | None

    def within(self, known: DateRef) -> bool:
        """True when ``known`` (a date an item states) is consistent with this one."""
        if self.month != known.month:
            return False
        if self.day is not None and known.day != self.day:
            return False
        return self.year is None or known.year == self.year


@dataclass
class Facts:
    """The checkable facts of one text."""

    sections: set[str] = field(default_factory=set)
    dates: set[DateRef] = field(default_factory=set)
    case_ids: set[str] = field(default_factory=set)
    euros: set[Decimal] = field(default_factory=set)
    percents: set[Decimal] = field(default_factory=set)

    def update(self, other: Facts) -> None:
        self.sections |= other.sections
        self.dates |= other.dates
        self.case_ids |= other.case_ids
        self.euros |= other.euros
        self.percents |= other.percents


def facts_in(text: str, *, default_year: int | None = None) -> Facts:
    """Every fact ``text`` states; dates written without a year take ``default_year``."""
    s = text[:MAX_SCAN]
    return Facts(
        sections={next(g for g in m.groups() if g) for m in _SECTION.finditer(s)},
        dates=set(dates_in(s, default_year=default_year)),
        case_ids={caseids.key(c) for c in caseids.find(s) + caseids.in_question(s)},
        euros={v for m in _EURO.finditer(s) if (v := _amount(m.group(1), m.group(2))) is not None},
        percents={v for m in _PERCENT.finditer(s) if (v := _amount(m.group(1), None)) is not None},
    )


def dates_in(text: str, *, default_year: int | None = None) -> list[DateRef]:
    """Dates in every Finnish written form, validated (31.2. is not a date), in text order."""
    text = text[:MAX_SCAN]
    found: list[tuple[int, int, DateRef]] = []
    for form, pattern in enumerate(_DATE_FORMS):
        for m in pattern.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isdigit() or (before == "." and form < 3) or (form >= 3 and before.isalpha()):
                continue
            if any(m.start() < end and start < m.end() for start, end, _ in found):
                continue  # a longer form already read these characters
            ref = _from_groups(form, m.groups(), default_year)
            if ref is not None:
                found.append((m.start(), m.end(), ref))
    return [ref for _, _, ref in sorted(found, key=lambda f: f[0])]


def _from_groups(form: int, g: tuple[str | None, ...], default_year: int | None) -> DateRef | None:
    if form == 0:
        return _valid(g[2], g[1] or "0", g[0], default_year)
    if form == 1:
        return _valid(g[0], g[1] or "0", g[2], default_year)
    if form == 2:
        return _valid(g[0], _month(g[1] or ""), g[2], default_year)
    if form == 3:
        return _valid(g[1], _month(g[0] or ""), g[2], default_year)
    return _valid(None, _month(g[0] or ""), g[1], default_year)


def _month(name: str) -> int:
    return _MONTHS.index(name.lower()) + 1


def _valid(day: str | int | None, month: str | int, year: str | None, default_year: int | None) -> DateRef | None:
    y = int(year) if year else default_year
    try:
        date(y or 2000, int(month), int(day) if day is not None else 1)  # 2000: a leap year, 29.2. is valid
    except ValueError:
        return None
    return DateRef(int(day) if day is not None else None, int(month), y)


def _amount(number: str, scale: str | None) -> Decimal | None:
    """``"1 800 000"`` → 1800000; ``"1,8"`` + ``"milj."`` → 1800000; ``"1.8"`` is a decimal, ``"1.800"`` is not."""
    n = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", n):
        n = n.replace(".", "")
    n = n.replace(",", ".")
    try:
        value = Decimal(n)
    except InvalidOperation:
        return None
    if scale:
        value *= _scale(scale.lower().rstrip("."))
    return value.normalize()


def _scale(word: str) -> Decimal:
    """``milj``/``miljoonaa``/``M`` → 10⁶, ``mrd``/``miljardia`` → 10⁹, ``tuhatta``/``t``/``k`` → 10³."""
    if word.startswith(("miljardi", "mrd")):
        return Decimal(10) ** 9
    if word.startswith("milj") or word == "m":
        return Decimal(10) ** 6
    return Decimal(1000)
