"""Question + conversation → the candidate queries to try, in order (the one home of follow-up handling).

A follow-up ("Entä huhtikuussa?") inherits the previous question's filters.
When it brings words of its own, the same words with the previous subject and
the same words read as a fresh question are further candidates (after a pronoun
pointing back, the one with the previous subject first); the answer stage picks
among them (``service._pick``). Meeting references ("viime kokouksessa",
"samassa kokouksessa") resolve here to one meeting's date, and filters set in a
UI override the question's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from assistant.body_mentions import BodyInfo
from assistant.question import carried_subject, parse_question
from assistant.relevance import content_words
from assistant.types import Citation, Query
from core import organisations
from core.items import fi_date

_LATEST_MEETING = re.compile(r"\bviime kokouksessa|\bedellisessä kokouksessa|\bviimeisimmässä kokouksessa", re.I)
#: "Latest" without naming a meeting: the last meeting only when the question has no subject of its
#: own ("Mitä kaupunginhallitus päätti viimeksi?"); with one ("Mitä maauimalasta päätettiin viimeksi?")
#: it asks for the latest item on that subject, which the evidence stage picks.
_LATEST = re.compile(r"\bviimeksi\b|\bviimeisimmät päätökset|\buusimmat päätökset", re.I)
_SAME_MEETING = re.compile(r"\bsama(?:ssa|n) kokoukse|\bsiinä kokouksessa|\bsamassa kokouksessa", re.I)
#: A follow-up asking what happened after the answer it follows ("Entä mitä asiasta lopulta päätettiin?").
#: Not "sitten": "Entä sitten kirjastoautosta?" moves on to another subject.
_LATER = re.compile(r"\b(?:lopulta|myöhemmin|sittemmin|jälkeenpäin|viimein|sen jälkeen|tämän jälkeen)\b", re.I)


@dataclass(frozen=True)
class UiFilters:
    """Filters chosen in a UI; they override the question's own."""

    bodies: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class Asked:
    """One question in its conversation: everything the candidate queries depend on."""

    text: str
    today: date
    previous: Query | None = None  # the previous answer's query
    last_cited: Citation | None = None  # the previous answer's first citation
    ui: UiFilters = UiFilters()


@dataclass(frozen=True)
class Catalog:
    """What the store holds that question parsing may name: bodies and (body, date) of minutes meetings."""

    bodies: tuple[BodyInfo, ...]
    meetings: tuple[tuple[str, str], ...]  # (body, ISO date) of minutes, date order
    organisations: tuple[str, ...] = ()  # the items' organisations (core.organisations.in_items)
    meeting_organisations: tuple[str, ...] = ()  # organisation of each entry of ``meetings``
    generic: frozenset[str] = frozenset()  # words too common to name a subject (assistant.lexicon)
    #: Mends typos and missing ä/ö against the store's words (core.query_terms.QueryNormalizer.respelled):
    #: "Mita ymparistolautakunta paatti" is read as the question it is.
    respell: Callable[[str], str] | None = None

    def body_names(self) -> list[str]:
        return [b.name for b in self.bodies]

    def has_minutes(self, first: date, last: date, bodies: Sequence[str], today: date) -> bool:
        """Whether minutes of ``bodies`` (any body when empty) dated ``first``–``last``, not after ``today``, exist."""
        lo, hi = first.isoformat(), min(last, today).isoformat()
        return any(lo <= d <= hi and (not bodies or b in bodies) for b, d in self.meetings)


def candidate_queries(asked: Asked, catalog: Catalog) -> tuple[Query, ...]:
    """The queries to retrieve for, best first: the question as asked in its conversation and,
    for a follow-up with its own subject (body, case ID or topic word), the question alone."""
    text = catalog.respell(asked.text) if catalog.respell is not None else asked.text
    q = _read(text, asked, catalog, asked.previous)
    # Minutes dated after "today" do not exist yet from the asker's point of view (--as-of).
    q = replace(q, not_after=asked.today.isoformat())
    q = _ui_filters(_meeting_reference(_after_previous(q, asked), asked, catalog), asked.ui, catalog)
    if not q.is_follow_up:
        return (q,)
    if q.refers_back and asked.last_cited is not None:
        q = replace(q, refers_to=asked.last_cited.item_id)
    carried = _carried(q, asked.previous)
    out = [*carried, q] if q.refers_back else [q, *carried]
    # Read alone, an elliptic "Entä Mäkelänkosken kalatie?" still asks what the question it follows asked
    # ("Mikä on viimeisin tieto …?": the latest), only about its own subject.
    alone = replace(_read(text, asked, catalog, None), not_after=q.not_after, asks=q.asks)
    # A bare "Entä heinäkuussa?" keeps the inherited body: no second reading.
    if alone.bodies or alone.case_ids or content_words(alone.keywords, catalog.generic):
        out.append(alone)
    return tuple(_unique(out))


def _searched(q: Query) -> tuple[object, ...]:
    """What a retrieval of ``q`` depends on: two candidates alike in it would find the same items."""
    return (q.keywords.lower(), tuple(q.bodies), q.date_from, q.date_to, tuple(q.sections), tuple(q.case_ids),
            q.municipalities)


def _unique(queries: list[Query]) -> list[Query]:
    """The first of each group of candidates that search alike."""
    first: dict[tuple[object, ...], Query] = {}
    for q in queries:
        first.setdefault(_searched(q), q)
    return list(first.values())


def _carried(q: Query, previous: Query | None) -> tuple[Query, ...]:
    """``q`` searched with the previous question's subject too, when its keywords lack it: a follow-up
    with words of its own may ask something new about the same matter ("Paljonko se hanke maksaa?")
    or about a new one ("Entä kirjastoautosta?"). Both readings are candidates: after a pronoun
    pointing back this one comes first and answers when it can, else the answer stage keeps the one
    whose answering item the model trusts more."""
    if previous is None:
        return ()
    subject = carried_subject(previous, q.text)
    own = set(q.keywords.lower().split())
    if not subject or set(subject.lower().split()) <= own:
        return ()
    return (replace(q, keywords=f"{subject} {q.keywords}".strip()),)


def widened(q: Query) -> Query:
    """``q`` without its metadata filters: the nearest items beyond them fill the ranked list."""
    return replace(q, bodies=[], date_from=None, date_to=None, sections=[], case_ids=[], municipalities=())


#: How far before an asked month or season an event in it may have been decided (a trip, a summer-job
#: campaign, a festival): a year, the budget cycle in which such things are planned.
EVENT_LEAD_DAYS = 365
#: The longest window read as an event's time: a season (three whole months).
EVENT_MAX_MONTHS = 3


def event_window(q: Query, generic: frozenset[str]) -> tuple[Query, date, date] | None:
    """For a question with a topic limited to whole months (one month or a season): the query over the
    year before it too, and the window's first and last day. "Ketkä lähtivät ystävyyskaupunkimatkalle
    syyskuussa?" and "Montako vapaapäivää saa kesän 2025 leireistä?" may be about an event in that time,
    decided months before (the answer stage checks that the item names it)."""
    if not (q.date_from and q.date_to) or q.sections or q.case_ids or not content_words(q.keywords, generic):
        return None
    start, end = date.fromisoformat(q.date_from), date.fromisoformat(q.date_to)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or months > EVENT_MAX_MONTHS:
        return None  # whole months only, at most a season
    return replace(q, date_from=(start - timedelta(days=EVENT_LEAD_DAYS)).isoformat()), start, end


def _read(text: str, asked: Asked, catalog: Catalog, previous: Query | None) -> Query:
    """``parse_question`` with the organisations the question names as a filter (several in the store only).

    The naming words are blanked from what is searched, with one organisation in the store too: the
    search is limited to that organisation's items, so its name only adds noise. "Mikä on Lapuan
    kaupungin tuloveroprosentti?" embedded whole sits nearest items that mention the town, not the
    tax rate. A follow-up that names none keeps the previous question's organisations.
    """
    found = organisations.find_in_question(text, catalog.organisations).scope_only(text)
    searched = " ".join(found.rest(text).split()) if found.spans else text
    q = parse_question(searched, today=asked.today, bodies=list(catalog.bodies), previous=previous,
                       covered=lambda first, last, bodies: catalog.has_minutes(first, last, bodies, asked.today))
    if not catalog.organisations:
        q = replace(q, other_bodies=())  # a store that knows no organisation cannot tell another town's body
    orgs = found.names if len(catalog.organisations) > 1 else ()
    orgs = orgs or (previous.municipalities if q.is_follow_up and previous is not None else ())
    return replace(q, text=searched, municipalities=orgs)


def _after_previous(q: Query, asked: Asked) -> Query:
    """A follow-up asking what was done later ("lopulta", "myöhemmin") searches the meetings
    after the previous answer's item instead of the time the previous question named: a matter sent
    back for preparation is decided at a later meeting. A time of its own is kept."""
    c, prev = asked.last_cited, asked.previous
    if not (q.is_follow_up and c is not None and prev is not None and _LATER.search(asked.text)):
        return q
    if (q.date_from, q.date_to) != (prev.date_from, prev.date_to) or q.sections:
        return q  # the follow-up names a time or § of its own
    after = (date.fromisoformat(c.date) + timedelta(days=1)).isoformat()
    return replace(q, date_from=after, date_to=None, time_label=f"{fi_date(c.date)} jälkeen")


def _meeting_reference(q: Query, asked: Asked, catalog: Catalog) -> Query:
    """Resolve "viimeksi" / "viime kokouksessa" and "samassa kokouksessa" to one meeting's date."""
    if q.date_from or q.sections or q.case_ids:
        return q
    c = asked.last_cited
    if _SAME_MEETING.search(asked.text) and c is not None:
        orgs = (c.municipality,) if len(catalog.organisations) > 1 and c.municipality else q.municipalities
        return replace(q, bodies=[c.body], date_from=c.date, date_to=c.date, intent="date_scoped", municipalities=orgs,
                       time_label=f"kokouksessa {fi_date(c.date)}")
    bare_latest = _LATEST.search(asked.text) and not _has_subject(q.keywords, catalog.generic)
    if _LATEST_MEETING.search(asked.text) or bare_latest:
        orgs = catalog.meeting_organisations or ("",) * len(catalog.meetings)
        ms = [(b, d) for (b, d), o in zip(catalog.meetings, orgs, strict=True)
              if (not q.bodies or b in q.bodies) and (not q.not_after or d <= q.not_after)
              and (not q.municipalities or o in q.municipalities)]
        if ms:
            body, day = ms[-1]
            return replace(q, bodies=q.bodies or [body], date_from=day, date_to=day, intent="date_scoped",
                           time_label=f"viimeisimmässä kokouksessaan {fi_date(day)}")
    return q


def _has_subject(keywords: str, generic: frozenset[str]) -> bool:
    """Whether the question names a subject: a topic word that is not only a verb ("päätti" is
    no subject even where the store is too small for document frequencies to call it generic)."""
    from assistant.relevance import topic_words
    from core.tokens import analyze_word

    return any(not a.known or set(a.classes) - {"teonsana"}
               for a in (analyze_word(w) for w, _forms in topic_words(keywords, generic)))


def _ui_filters(q: Query, ui: UiFilters, catalog: Catalog) -> Query:
    known: Sequence[str] = catalog.body_names()
    if ui.bodies:
        q = replace(q, bodies=[b for b in ui.bodies if b in known] or q.bodies)
    if ui.date_from:
        q = replace(q, date_from=max(q.date_from or "", ui.date_from))
    if ui.date_to:
        q = replace(q, date_to=min(q.date_to or "9999", ui.date_to))
    if (ui.date_from or ui.date_to) and not q.time_label:
        q = replace(q, time_label=f"ajalla {fi_date(q.date_from or '')}–{fi_date(q.date_to or '')}".strip())
    return q
