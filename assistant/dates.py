"""Finnish time expressions in questions → inclusive date ranges.

``find_times(text, today=…)`` returns every time expression it recognises as a
``TimeSpan`` (character span, resolved start/end). Expressions that may talk
ABOUT a year rather than give the time of a meeting ("vuonna 2024", "viime
vuonna", a bare "2024") come back with ``weak=True``, and so do seasons, which
more often tell when something happens than when it was decided ("Pitääkö
myyjän maksaa paikastaan myös talvella?", "Saavatko nuoret kesäsetelin kesällä
2025?"); the caller decides whether to use them as a filter (see
``assistant.question``: a past decision verb or a question without a topic of
its own makes them one). Phrases that
always talk about a year ("vuodelta 2024", "talousarvio vuodelle 2025",
"vuoden 2024 tilinpäätös", "ensi vuodeksi") are never returned.

Month or day without a year resolves to the most recent one not after
``today``; with ``anchor`` (a previous question's range) to the occurrence
nearest the anchor ("Entä huhtikuussa?" after "maaliskuussa 2025" → 2025-04).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_STEMS = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka",
               "marras", "joulu")
_STEM_TO_MONTH = {s: i + 1 for i, s in enumerate(MONTH_STEMS)}
SEASONS = {"kevä": (3, 5), "kesä": (6, 8), "syksy": (9, 11), "talv": (12, 2)}
_SEASON_ADESSIVE = {(3, 5): "keväällä", (6, 8): "kesällä", (9, 11): "syksyllä", (12, 2): "talvella"}
_YEAR = r"(?:199\d|20[0-4]\d)"
_STEM = "|".join(MONTH_STEMS)
_F = re.IGNORECASE
_DASHES = re.compile("[\u2010-\u2015\u2212]")

_ABOUT_YEAR = re.compile(
    rf"(?<![\w-])(?:vuode(?:lta|lle|ksi|sta|n)|vuote(?:en)|vuosi(?:lle|en|a)|vuosien|vuosilta)\s+{_YEAR}"
    rf"(?:\s*(?:-|ja)\s*{_YEAR})?(?!\d)"
    r"|(?<![\w-])(?:ensi|seuraava\w*|tuleva\w*)\s+vuo\w+", _F)
_YEAR_PERIOD = re.compile(
    rf"(?<![\w-])vuoden\s+(?P<y>{_YEAR})\s+(?P<w>aikana|kuluessa|alussa|alkupuolella|alkupuoliskolla|"
    r"lopussa|lopulla|loppupuolella|loppupuoliskolla)(?![\w-])", _F)
_YEAR_IN = re.compile(
    rf"(?<![\w-])(?:vuonna|vuosina)\s+(?P<y>{_YEAR})(?:\s*(?:-|ja)\s*(?P<y2>{_YEAR}))?(?!\d)", _F)
_HALF_YEAR = re.compile(rf"(?<![\w-])(?P<h>alku|loppu)vuo(?:nna|desta)(?:\s+(?P<y>{_YEAR}))?(?![\w-])", _F)
_REL_YEAR = re.compile(
    r"(?<![\w-])(?:(?P<cur>tänä|kuluvana)\s+vuonna|(?:tämän|kuluvan)\s+vuoden\s+aikana"
    r"|(?P<last>viime\s+vuonna|viime\s+vuoden\s+aikana|edellisenä\s+vuonna)"
    r"|(?P<prev2>toissa\s+vuonna|toissavuonna))(?![\w-])", _F)
_REL_OTHER = re.compile(
    r"(?<![\w-])(?P<e>tänään|eilen|toissapäivänä"
    r"|(?:tällä|kuluvalla)\s+viikolla|viime\s+viikolla|edellisellä\s+viikolla|toissa\s+viikolla"
    r"|(?:tässä|kuluvassa)\s+kuussa|viime\s+kuussa|edellisessä\s+kuussa|toissa\s+kuussa"
    # The genitive names the period before a noun ("viime kuun kokouksessa", "tämän viikon päätökset").
    r"|(?:tämän|kuluvan|viime|edellisen|toissa)\s+(?:kuun|viikon)(?:\s+aikana)?"
    # A weekday: its latest date ("maanantaina", "viime tiistain kokouksessa").
    r"|(?:(?:viime|edellisenä|edellisen)\s+)?(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai)"
    r"(?:na|n))(?![\w-])", _F)
#: Weekday stems, Monday first (``date.weekday`` order).
_WEEKDAYS = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")
_DAY_MONTH = re.compile(
    rf"(?<![\w.])(?P<d>\d{{1,2}})\.?\s*(?P<stem>{_STEM})kuuta(?:\s+(?P<y>{_YEAR}))?(?![\w-])", _F)
_NUM_DATE = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})?(?![\d])")
#: The first day of a range whose month the second day's date gives: "2.–3.6.2025", "2.-3. kesäkuuta"
#: (a two-day meeting). Dashes are plain hyphens by then (``find_times``).
_RANGE_START = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.?[ ]?-[ ]?(?=\d{1,2}\.)")
_NOT_MEETING_AFTER = re.compile(r"^\s*(?:alkaen|lähtien|eteenpäin|asti|saakka|mennessä|voimaan)", _F)
#: After a month: from then on ("maaliskuusta alkaen"), an effective time, not the meeting's.
_SINCE_MONTH = re.compile(r"^\s*(?:alkaen|lähtien|eteenpäin|voimaan)", _F)
#: A part of a month between the month and its year ("marraskuun alussa 2025"): the month still
#: gives the range (a meeting "early in November" is in November).
_MONTH_PART = re.compile(
    r"^\s+(?:alussa|alkupuolella|alkupuoliskolla|lopussa|lopulla|loppupuolella|loppupuoliskolla"
    r"|puolivälissä|puolivälin\s+jälkeen|keskivaiheilla|keskivaiheella|aikana|kuluessa)(?![\w-])", _F)
_MONTH = re.compile(rf"(?<!\w)(?P<stem>{_STEM})(?P<full>kuu(?!si\b|sen\b|set\b|sien\b|sia\b)[a-zäö]*(?!\w)|-)", _F)
_MOD = (r"(?P<mod>viime\s+vuoden|edellisen\s+vuoden|tämän\s+vuoden|kuluvan\s+vuoden|tänä\s+vuonna"
        r"|toissa\s+vuoden|ensi\s+vuoden|viime|tänä|tämän|ensi|toissa|kuluvana|kuluvan)\s+$")
# Searched for at the end of a text, so every position is tried: the look-ahead (first letters of
# "vuoden" and of the _MOD words, or the end) turns most of them away with one test.
_MONTH_BEFORE = re.compile(rf"(?=[ektv]|$)(?:vuoden\s+(?P<y>{_YEAR})\s+)?(?:{_MOD})?$", _F)
_YEAR_AFTER = re.compile(
    rf"^\s+(?:(?:vuonna\s+|vuoden\s+)?(?P<y>{_YEAR})(?!\d)(?!\s*(?:€|euro|%))"
    r"|(?P<rel>viime\s+vuonna|tänä\s+vuonna|kuluvana\s+vuonna|toissa\s+vuonna)(?![\w-]))", _F)
_SEASON = re.compile(
    rf"(?<![\w-])(?:(?P<mod>viime\s+vuoden|viime|tänä|tämän|ensi|toissa|kuluvana|kuluvan)\s+)?"
    rf"(?:vuoden\s+(?P<y0>{_YEAR})\s+)?"
    r"(?P<s>kevä(?:t|ällä|änä|än)|kesä(?:llä|nä|n)|syksy(?:llä|nä|n)?|talve(?:lla|na|n)|talvi)"
    rf"(?![\w-])(?:\s+(?P<y1>{_YEAR})(?!\d))?", _F)
_BARE_YEAR = re.compile(rf"(?<![\w.,:/§-])(?<!\d\s)(?P<y>{_YEAR})(?![\w,:/-])(?!\.\d)(?!\s+\d{{3}}(?!\d))"
                        r"(?!\s*(?:€|e\b|euro|%|m2|kpl|henk|hlö|oppila))", _F)


@dataclass(frozen=True)
class TimeSpan:
    """One recognised time expression, resolved to an inclusive date range."""

    start: date
    end: date
    pos: tuple[int, int]  # character span in the text
    kind: str  # "date", "month", "season", "year", "relative"
    weak: bool = False  # a year or a season: may be about the matter's time, not the meeting time
    bare: bool = False  # a year number with no "vuonna"
    yearless: bool = False  # month/day/season resolved without an explicit year


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_index(y: int, m: int) -> int:
    return y * 12 + m - 1


def _resolve_yearless_month(m: int, today: date, anchor: tuple[date, date] | None, strict: bool) -> int:
    """Year for month ``m``: nearest to ``anchor`` if given, else most recent not after today."""
    if anchor is not None:
        lo, hi = _month_index(anchor[0].year, anchor[0].month), _month_index(anchor[1].year, anchor[1].month)

        def dist(y: int) -> int:
            i = _month_index(y, m)
            return 0 if lo <= i <= hi else min(abs(i - lo), abs(i - hi))
        return min(range(anchor[1].year - 1, anchor[1].year + 2), key=lambda y: (dist(y), y))
    cur = today.month
    return today.year if (m < cur or (m == cur and not strict)) else today.year - 1


def _mod_year(mod: str, today: date) -> int | None:
    mod = " ".join(mod.lower().split())
    if mod in ("viime vuoden", "edellisen vuoden", "viime vuonna"):
        return today.year - 1
    if mod in ("tämän vuoden", "kuluvan vuoden", "tänä vuonna", "kuluvana vuonna", "tänä", "tämän", "kuluvana",
               "kuluvan"):
        return today.year
    if mod in ("toissa vuoden", "toissa vuonna"):
        return today.year - 2
    if mod == "ensi vuoden":
        return today.year + 1
    return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.chars = list(text)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def mask(self, a: int, b: int) -> None:
        for i in range(a, b):
            self.chars[i] = " "


def _months(sc: _Scanner, today: date, anchor: tuple[date, date] | None) -> list[TimeSpan]:
    text = sc.text
    items = []  # (start, end, month, year|None, mod|None)
    parts: dict[int, tuple[int, int] | None] = {}  # item start → days of the month ("alussa": 1–15)
    for m in _MONTH.finditer(text):
        if m.group("full") == "-":
            rest = text[m.end():m.end() + 14]
            if not re.match(rf"\s*(?:(?:ja|tai)\s+)?(?:{_STEM})kuu", rest, _F):
                continue
        start, end, year = m.start(), m.end(), None
        before = _MONTH_BEFORE.search(text[:start])
        mod = None
        if before and before.group(0):
            start = before.start()
            year = int(before.group("y")) if before.group("y") else None
            mod = before.group("mod")
        if m.group("full") != "-":
            part = _MONTH_PART.match(text[end:])
            end += part.end() if part else 0
            parts[start] = _part_days(part.group(0)) if part else None
            after = _YEAR_AFTER.match(text[end:])
            if after and after.group("y"):
                year, end = int(after.group("y")), end + after.end()
            elif after:
                mod, end = after.group("rel"), end + after.end()
        since = _SINCE_MONTH.match(text[end:])
        if since:
            # "maaliskuusta 2025 alkaen": when something takes effect, not when it was decided
            # (that is usually earlier): no filter, and the year is not a filter either.
            sc.mask(start, end + since.end())
            continue
        items.append((start, end, _STEM_TO_MONTH[m.group("stem").lower()], year, mod))
    if not items:
        return []
    # All month mentions of one question form one range, resolved jointly.
    years: list[int | None] = [it[3] for it in items]
    mod = next((it[4] for it in items if it[4]), None)
    explicit = any(y is not None for y in years)
    if not explicit and mod and _mod_year(mod, today) is not None:
        years = [_mod_year(mod, today)] * len(items)
    elif not explicit and mod and mod.lower() == "ensi":  # the next such month
        years[0] = today.year if items[0][2] > today.month else today.year + 1
    elif not explicit:
        strict = bool(mod and mod.lower() == "viime")
        years[-1] = _resolve_yearless_month(items[-1][2], today, None if mod else anchor, strict)
    for i in range(len(items) - 2, -1, -1):  # fill backwards from a later year
        if years[i] is None and years[i + 1] is not None:
            y = years[i + 1]
            years[i] = y if items[i][2] <= items[i + 1][2] else y - 1
    for i in range(1, len(items)):  # fill forwards (only earlier mentions had a year)
        if years[i] is None:
            y = years[i - 1]
            years[i] = y if items[i][2] >= items[i - 1][2] else y + 1
    spans = []
    for (a, b, mo, _, _), y in zip(items, years, strict=True):
        sc.mask(a, b)
        first, last = date(y, mo, 1), month_end(y, mo)
        days = parts.get(a) if len(items) == 1 else None
        if days:
            first, last = date(y, mo, days[0]), min(last, date(y, mo, min(days[1], last.day)))
        spans.append(TimeSpan(first, last, (a, b), "month", yearless=not explicit and not mod))
    return spans


def _part_days(word: str) -> tuple[int, int] | None:
    """Days of a month a part word names: the first half, the second half, the middle two weeks."""
    w = word.strip().lower()
    if w.startswith("alku") or w == "alussa":
        return 1, 15
    if w.startswith(("lopu", "loppu")):
        return 16, 31
    if w.startswith("puoliväli") or w.startswith("keski"):
        return 8, 23
    return None  # "aikana", "kuluessa": the whole month


def _season_range(key: tuple[int, int], start_year: int) -> tuple[date, date]:
    m1, m2 = key
    end_year = start_year + 1 if m2 < m1 else start_year
    return date(start_year, m1, 1), month_end(end_year, m2)


def _season(m: re.Match[str], today: date, anchor: tuple[date, date] | None) -> tuple[date, date, bool]:
    word = m.group("s").lower()
    key = next(v for k, v in SEASONS.items() if word.startswith(k))
    mod = (m.group("mod") or "").lower()
    y = m.group("y0") or m.group("y1")
    if y:
        y = int(y)
        return (*_season_range(key, y - 1 if key[0] == 12 else y), False)
    occurrences = [_season_range(key, sy) for sy in range(today.year - 3, today.year + 2)]
    if mod == "ensi":
        return (*next(o for o in occurrences if o[0] > today), False)
    if mod.startswith("viime"):
        # the current season's occurrence: the one of the four seasons that contains today
        cur_start = max(s for k in SEASONS.values() for sy in range(today.year - 1, today.year + 1)
                        for s, _ in [_season_range(k, sy)] if s <= today)
        past = [o for o in occurrences if o[1] < cur_start]
        if mod == "viime vuoden":
            past = [o for o in occurrences if o[0].year == today.year - 1] or past
        return (*past[-1], False)
    if mod == "toissa":
        past = [o for o in occurrences if o[1] < today]
        return (*past[-2], False)
    if anchor is not None and not mod:
        mid = anchor[0] + (anchor[1] - anchor[0]) / 2
        return (*min(occurrences, key=lambda o: abs((o[0] + (o[1] - o[0]) / 2) - mid)), True)
    return (*[o for o in occurrences if o[0] <= today][-1], not mod)


def _relative(word: str, today: date) -> tuple[date, date]:
    w = " ".join(word.lower().split())
    if w == "tänään":
        return today, today
    if w == "eilen":
        return today - timedelta(1), today - timedelta(1)
    if w == "toissapäivänä":
        return today - timedelta(2), today - timedelta(2)
    day = next((i for i, d in enumerate(_WEEKDAYS) if d in w), None)
    if day is not None:
        # The latest such day, today included unless "viime" asks for the one before.
        back = (today.weekday() - day) % 7 or (7 if w.startswith(("viime", "edellis")) else 0)
        return today - timedelta(back), today - timedelta(back)
    monday = today - timedelta(today.weekday())
    if "viiko" in w:
        back = {"viime": 1, "edellisellä": 1, "edellisen": 1, "toissa": 2}.get(w.split()[0], 0)
        start = monday - timedelta(7 * back)
        return start, (today if back == 0 else start + timedelta(6))
    back = 2 if w.startswith("toissa") else 1 if w.startswith(("viime", "edellisessä", "edellisen")) else 0
    i = _month_index(today.year, today.month) - back
    y, mo = divmod(i, 12)
    return date(y, mo + 1, 1), (today if back == 0 else month_end(y, mo + 1))


def _explicit_dates(sc: _Scanner, today: date, anchor: tuple[date, date] | None) -> list[TimeSpan]:
    found = []  # (a, b, day, month, year|None)
    text = sc.text
    for m in _DAY_MONTH.finditer(text):
        found.append((m.start(), m.end(), int(m.group("d")), _STEM_TO_MONTH[m.group("stem").lower()],
                      int(m.group("y")) if m.group("y") else None))
    for m in _NUM_DATE.finditer(text):
        if any(a <= m.start() < b for a, b, *_ in found):
            continue
        found.append((m.start(), m.end(), int(m.group("d")), int(m.group("m")),
                      int(m.group("y")) if m.group("y") else None))
    for m in _RANGE_START.finditer(text):
        end = next((f for f in found if f[0] == m.end()), None)
        if end is not None and int(m.group("d")) < end[2]:
            found.append((m.start(), m.end(), int(m.group("d")), end[3], end[4]))
    spans = []
    explicit_years = [f[4] for f in found if f[4] is not None]
    for a, b, d, mo, y in sorted(found):
        if _NOT_MEETING_AFTER.match(text[b:]):
            sc.mask(a, b)  # an effective date ("1.1.2025 alkaen"): no filter, not a year either
            continue
        yearless = y is None
        if y is None:
            y = explicit_years[0] if explicit_years else _resolve_yearless_month(mo, today, anchor, False)
        try:
            dt = date(y, mo, d)
        except ValueError:
            continue
        if yearless and not explicit_years and anchor is None and dt > today:
            dt = date(y - 1, mo, d) if not (mo == 2 and d == 29) else dt
        sc.mask(a, b)
        spans.append(TimeSpan(dt, dt, (a, b), "date", yearless=yearless and not explicit_years))
    return spans


def find_times(text: str, *, today: date, anchor: tuple[date, date] | None = None) -> list[TimeSpan]:
    """All time expressions of ``text`` (already free of case IDs) in text order."""
    sc = _Scanner(_DASHES.sub("-", text))
    spans = _explicit_dates(sc, today, anchor)
    spans += _months(sc, today, anchor)
    for m in _SEASON.finditer(sc.text):
        s, e, yl = _season(m, today, anchor)
        spans.append(TimeSpan(s, e, m.span(), "season", weak=True, yearless=yl))
        sc.mask(*m.span())
    for m in _REL_OTHER.finditer(sc.text):
        sc.mask(*m.span())
        dated = [d for d in spans if d.kind == "date"]
        if dated and any(d in m.group("e").lower() for d in _WEEKDAYS):
            # "tiistaina 2.12.2025": the date says which Tuesday.
            near = min(dated, key=lambda d: abs(d.pos[0] - m.start()))
            spans.append(TimeSpan(near.start, near.end, m.span(), "date"))
            continue
        s, e = _relative(m.group("e"), today)
        spans.append(TimeSpan(s, e, m.span(), "relative"))
    for m in _HALF_YEAR.finditer(sc.text):
        y = int(m.group("y")) if m.group("y") else None
        first = m.group("h").lower() == "alku"
        if y is None:
            y = today.year if (first or today.month >= 7) else today.year - 1
        s, e = (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31))
        spans.append(TimeSpan(s, e, m.span(), "year"))
        sc.mask(*m.span())
    for m in _YEAR_PERIOD.finditer(sc.text):
        y, w = int(m.group("y")), m.group("w").lower()
        s, e = ((date(y, 1, 1), date(y, 6, 30)) if w.startswith("alku") else
                (date(y, 7, 1), date(y, 12, 31)) if w.startswith("lop") else (date(y, 1, 1), date(y, 12, 31)))
        spans.append(TimeSpan(s, e, m.span(), "year", weak=True))
        sc.mask(*m.span())
    for m in _ABOUT_YEAR.finditer(sc.text):
        sc.mask(*m.span())
    for m in _REL_YEAR.finditer(sc.text):
        y = today.year - (1 if m.group("last") else 2 if m.group("prev2") else 0)
        end = today if y == today.year else date(y, 12, 31)
        spans.append(TimeSpan(date(y, 1, 1), end, m.span(), "year", weak=True))
        sc.mask(*m.span())
    for m in _YEAR_IN.finditer(sc.text):
        y1 = int(m.group("y"))
        y2 = int(m.group("y2") or y1)
        spans.append(TimeSpan(date(min(y1, y2), 1, 1), date(max(y1, y2), 12, 31), m.span(), "year", weak=True))
        sc.mask(*m.span())
    for m in _BARE_YEAR.finditer(sc.text):
        y = int(m.group("y"))
        spans.append(TimeSpan(date(y, 1, 1), date(y, 12, 31), m.span(), "year", weak=True, bare=True))
    return sorted(spans, key=lambda s: s.pos)


_MONTH_INESSIVE = [s + "kuussa" for s in MONTH_STEMS]


def time_label(start: date, end: date, today: date, *, seasonal: bool = False) -> str:
    """Finnish words for an inclusive range: ``maaliskuussa 2025``, ``vuonna 2024``, ``17.9.2025``.

    ``seasonal``: name a range that is exactly a season by the season ("syksyllä 2025").
    """
    if end == today and start <= today:
        # a period still running: label it by the whole period
        if start == date(today.year, 1, 1):
            end = date(today.year, 12, 31)
        elif start.day == 1 and (start.year, start.month) == (today.year, today.month):
            end = month_end(today.year, today.month)
    if start == end:
        return f"{start.day}.{start.month}.{start.year}"
    whole_months = start.day == 1 and end == month_end(end.year, end.month)
    if whole_months:
        if start.month == 1 and end.month == 12:
            return f"vuonna {start.year}" if start.year == end.year else f"vuosina {start.year}–{end.year}"
        key = (start.month, end.month)
        if seasonal and key in _SEASON_ADESSIVE and _month_index(end.year, end.month) - _month_index(start.year, start.month) < 3:
            word = _SEASON_ADESSIVE[key]
            return f"{word} {start.year}–{end.year}" if start.year != end.year else f"{word} {start.year}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{_MONTH_INESSIVE[start.month - 1]} {start.year}"
        if start.year == end.year:
            return f"{MONTH_STEMS[start.month - 1]}–{_MONTH_INESSIVE[end.month - 1]} {start.year}"
        return (f"{MONTH_STEMS[start.month - 1]}kuusta {start.year} "
                f"{MONTH_STEMS[end.month - 1]}kuuhun {end.year}")
    return f"{start.day}.{start.month}.{start.year}–{end.day}.{end.month}.{end.year}"
