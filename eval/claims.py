"""Claims in an answer (§s, dates, case IDs, euro amounts) and whether the cited items support them.

See **grounding** in :mod:`eval.metrics` (which re-exports these): every §, date, case ID
and euro amount stated in an answer must occur in the text or fields of an item it cites.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

ZERO_WIDTH = re.compile("[\u200b-\u200d\ufeff\u00ad]")
SPACES = re.compile(r"\s+")


def norm_case_id(v: Any) -> str | None:
    return None if v is None or not str(v).strip() else re.sub(r"\s+", "", str(v)).casefold()


_MONTHS = {
    m: i for i, m in enumerate(
        ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
         "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"], start=1)
}
_DATE_FI = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_WORD = re.compile(r"(?<![\d.])(\d{1,2})\.\s*(" + "|".join(_MONTHS) + r")\s+(\d{4})(?!\d)")
_SECTION = re.compile(r"(?:§+(?::\w+)?\s*|\bpykäl\w*\s+)(\d{1,4})(?!\d)")
_CASE_ID = re.compile(
    r"\b(?:[A-ZÅÄÖ]{2,}[A-Za-zÅÄÖåäö]*|[A-Za-zÅÄÖåäö]*[Dd]no)-\d{4}-\d{1,6}\b|\bDnro:?\s*\d+/\d{4}\b"
)
_NUMBER = r"\d{1,3}(?:[ .]\d{3}(?!\d))+(?:,\d+)?|\d+(?:,\d+)?"
# A euro amount has at most six thousands groups after the first (10^21): unbounded, a failed
# amount would restart at each group of a long "123 123 123 …" run and rescan the rest of it.
_EURO_NUMBER = r"\d{1,3}(?:[ .]\d{3}(?!\d)){1,6}(?:,\d+)?|\d+(?:,\d+)?"
# Nor does it start at the second group of "1 234 567": the amount from "1" has already tried every
# end that one can reach. (After "1234 ", or at a number that is no 3-digit group, it still starts.)
_NOT_A_LATER_GROUP = (r"(?:(?!\d{3}(?!\d))|"
                      + "".join(rf"(?<!(?<![\d.,])\d{{{n}}} )" for n in (1, 2, 3)) + ")")
_SCALE = r"miljardia|mrd\.?|milj(?:oonaa|oona|\.)?|tuhatta|t(?=\s*€)"
# "\s*(?:scale\s*)?" gives each run of spaces one reading ("\s*(scale)?\s*" splits it every way).
_EURO = re.compile(
    rf"(?=\d)(?<![\d.,]){_NOT_A_LATER_GROUP}({_EURO_NUMBER})\)?\s*(?:({_SCALE})\s*)?(?:€|eur\b|euro\w*)",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"(?<![\d,])({_NUMBER})(?:\s*({_SCALE}))?", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One checkable statement in an answer: kind is section/date/case_id/euro."""

    kind: str
    text: str
    value: str


@dataclass
class Grounding:
    """Claims found in an answer and the ones no cited item supports."""

    claims: list[Claim] = field(default_factory=list)
    ungrounded: list[Claim] = field(default_factory=list)

    @property
    def grounded(self) -> bool:
        return not self.ungrounded


def _iso(y: str, m: str | int, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _dates(text: str) -> list[tuple[str, str]]:
    out = [(m.group(0), _iso(m.group(3), m.group(2), m.group(1))) for m in _DATE_FI.finditer(text)]
    out += [(m.group(0), _iso(m.group(1), m.group(2), m.group(3))) for m in _DATE_ISO.finditer(text)]
    out += [(m.group(0), _iso(m.group(3), _MONTHS[m.group(2).lower()], m.group(1)))
            for m in _DATE_WORD.finditer(text)]
    return [(t, v) for t, v in out if v]


def _amount(number: str, scale: str | None) -> str | None:
    """``850.000,00`` → ``850000``; ``2,5`` + ``milj.`` → ``2500000``."""
    digits = re.sub(r"[ .](?=\d{3}(?!\d))", "", number).replace(" ", "").replace(",", ".")
    try:
        v = Decimal(digits)
    except InvalidOperation:
        return None
    s = (scale or "").lower()
    if s.startswith(("mrd", "miljardi")):
        v *= 10**9
    elif s.startswith("milj"):
        v *= 10**6
    elif s.startswith("t"):
        v *= 10**3
    return format(v.normalize(), "f")


def extract_claims(answer: str) -> list[Claim]:
    """The §s, dates, case IDs and euro amounts an answer states, in order, deduplicated."""
    text = SPACES.sub(" ", ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", answer or "")))
    found: list[Claim] = []
    found += [Claim("section", m.group(0), m.group(1).lstrip("0") or "0") for m in _SECTION.finditer(text)]
    found += [Claim("date", t, v) for t, v in _dates(text)]
    found += [Claim("case_id", m.group(0), norm_case_id(m.group(0)) or "") for m in _CASE_ID.finditer(text)]
    for m in _EURO.finditer(text):
        v = _amount(m.group(1), m.group(2))
        if v is not None:
            found.append(Claim("euro", m.group(0), v))
    seen: set[tuple[str, str]] = set()
    out = []
    for c in found:
        if (c.kind, c.value) not in seen:
            seen.add((c.kind, c.value))
            out.append(c)
    return out


def grounding(answer: str, sources: Sequence[str]) -> Grounding:
    """Check every claim in ``answer`` against ``sources`` (the cited items' text and fields)."""
    text = SPACES.sub(" ", ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", "\n".join(sources))))
    sections = {m.group(1).lstrip("0") or "0" for m in _SECTION.finditer(text)}
    dates = {v for _, v in _dates(text)}
    case_text = re.sub(r"\s+", "", text).casefold()
    amounts = {a for m in _ANY_NUMBER.finditer(text)
               for a in (_amount(m.group(1), m.group(2)), _amount(m.group(1), None)) if a}
    have = {"section": sections, "date": dates, "euro": amounts}
    result = Grounding(claims=extract_claims(answer))
    for c in result.claims:
        ok = c.value in case_text if c.kind == "case_id" else c.value in have[c.kind]
        if not ok:
            result.ungrounded.append(c)
    return result
