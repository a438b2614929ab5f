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
# One alternation, leftmost-first: the longer written forms come before their prefixes.
_DATE = re.compile(
    r"(?<!\d)(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)"                       # 2026-03-11
    r"|(?<![\d.])(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>\d{4})?(?![\d])"               # 11.3.2026, 11.3.
    r"|(?<![\d.])(?P<wd>\d{1,2})\.?\s?" + _MONTH.replace("(", "(?P<wm>", 1) +
    r"kuuta(?:\s(?P<wy>\d{4})(?!\d))?"                                                    # 11. maaliskuuta 2026
    r"|\b" + _MONTH.replace("(", "(?P<gm>", 1) +
    r"kuun\s(?P<gd>\d{1,2})\.?\s?päivän[aä](?:\s(?P<gy>\d{4})(?!\d))?"                   # maaliskuun 11. päivänä
    r"|\b" + _MONTH.replace("(", "(?P<mm>", 1) + r"kuu(?:n|ssa|ta|lla|sta)?\s(?P<my>\d{4})(?!\d)",  # maaliskuussa 2026
    re.IGNORECASE,
)
# A number: thousands in groups of three (space, no-break space or dot), optional decimals.
_NUM = r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d])(?:,\d{1,4})?|\d+(?:[,.]\d{1,4})?)"
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
    """Dates in every Finnish written form, validated (31.2. is not a date)."""
    out = []
    for m in _DATE.finditer(text[:MAX_SCAN]):
        g = m.groupdict()
        if g["iy"]:
            d, mo, y = g["id"], g["im"], g["iy"]
        elif g["nd"]:
            d, mo, y = g["nd"], g["nm"], g["ny"]
        elif g["wd"]:
            d, mo, y = g["wd"], _month(g["wm"]), g["wy"]
        elif g["gd"]:
            d, mo, y = g["gd"], _month(g["gm"]), g["gy"]
        else:
            d, mo, y = None, _month(g["mm"]), g["my"]
        ref = _valid(d, mo, y, default_year)
        if ref is not None:
            out.append(ref)
    return out


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
