"""Which judged items answer, in which order: the contenders for the lead and the items quoted with one.

``contenders`` orders the items the model judged to answer: items naming the question's names first;
for a vote question the ones where the vote (or the disqualification, the tabling) happened; for the
latest, the newest item as much about the subject; otherwise an instance of the same matter that holds
clearly more of the question's words. ``choose`` adds the other steps of the chosen item's case.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace

from assistant.matters import identical_titles, same_matter
from assistant.relevance import overlap
from assistant.types import Evidence, Query, Relevance
from core.items import AgendaItem
from core.tokens import tokenize


def contenders(ev: Evidence) -> list[Relevance]:
    """Answering relevances, best first: items naming the question's names first, for a vote
    question the ones where the event happened, then retrieval order; for the latest the newest
    (``_newest_first``), else a clearly more specific instance of the same matter first
    (``_most_specific_first``)."""
    good = sorted((r for r in ev.relevance if r.answers), key=lambda r: -len(r.names_found))
    if ev.query.intent == "vote_or_change" and not latest(ev):
        good.sort(key=lambda r: not has_event(r.hit.item, ev.query))
    if latest(ev) and good:
        good = _newest_first(ev, good)
    elif good:
        good = _most_specific_first(ev, good)
    return good


#: Coverage by which an instance of the same matter must hold more of the question's words to be the one asked.
SPECIFIC_MARGIN = 0.2


def _most_specific_first(ev: Evidence, good: list[Relevance]) -> list[Relevance]:
    """Two items of one body under one title ("Anomus jätevesilaskun kohtuullistamiseksi", 2024 and 2025)
    are the same kind of matter; the question's own words ("putkirikon", "tyhjillään") say which instance
    it asks about. The one holding clearly more of them leads, though the search ranked the other first."""
    top = good[0]
    rivals = [r for r in ev.relevance if r is not top and identical_titles(r.hit.item, top.hit.item)
              and r.coverage >= top.coverage + SPECIFIC_MARGIN and len(r.names_found) >= len(top.names_found)]
    if not rivals:
        return good
    best = max(rivals, key=lambda r: r.coverage)
    return [replace(best, answers=True)] + [r for r in good if r.hit.item is not best.hit.item]


def _newest_first(ev: Evidence, good: list[Relevance]) -> list[Relevance]:
    """"Mitä X:stä päätettiin viimeksi?": the items as much about X as the best answering one (its
    coverage of the question's words, its title's overlap, its names), newest first. They need not
    be judged to answer on their own: the model scores a hit largely by its retrieval rank, and the
    newest step of a matter is seldom the best-ranked one."""
    def about(r: Relevance) -> float:
        return overlap(ev.topic, set(tokenize(r.hit.item.title))) if ev.topic else 0.0

    top = good[0]
    same = [r for r in ev.relevance if (r.coverage >= top.coverage and about(r) >= about(top)
            and len(r.names_found) >= len(top.names_found)) or _retitled(r.hit.item, top.hit.item)]
    same.sort(key=lambda r: r.hit.item.date, reverse=True)
    return same + [r for r in good if r not in same]


def _retitled(item: AgendaItem, top: AgendaItem) -> bool:
    """``item`` is ``top``'s matter taken up again later: the same body and title (see
    ``SearchIndex.later_same_title``), whatever words its text shares with the question."""
    return item.date > top.date and identical_titles(item, top)


def latest(ev: Evidence) -> bool:
    """The question asks for the most recent item on its subject."""
    return ev.wanted is not None and ev.wanted.latest


def choose(ev: Evidence, lead: AgendaItem | None = None) -> tuple[Relevance, list[AgendaItem]] | None:
    """The primary relevance (``lead``'s, else the first contender) and the items to quote from:
    it and the other steps of the same case among the leading hits (the same matter, whether or
    not the model judged them on their own)."""
    good = contenders(ev)
    if not good:
        return None
    primary = next((r for r in good if lead is not None and r.hit.item is lead), good[0])
    related = [r.hit.item for r in ev.relevance[:8] if r is not primary] + list(ev.candidates.steps)
    return primary, [primary.hit.item] + same_case(primary.hit.item, related)


def same_case(item: AgendaItem, others: list[AgendaItem]) -> list[AgendaItem]:
    """Other steps of ``item``'s matter (board, then city board; plan, then contract): items of its
    case ID that carry it on or that it carries on, never a sibling matter of the same case ID."""
    if not item.case_ids:
        return []
    out: OrderedDict[str, AgendaItem] = OrderedDict()
    for it in others:
        if it.item_id != item.item_id and same_matter(item, it):
            out.setdefault(it.item_id, it)
    return list(out.values())[:2]


_DISQUALIFICATION = re.compile(r"jääv|esteelli|poistu|ei\s+osallistunut", re.IGNORECASE)


def asks_disqualification(q: Query) -> bool:
    """The question asks who was disqualified ("jäävi", "esteellinen", who left the room or took no part):
    only then is that list an answer."""
    return bool(_DISQUALIFICATION.search(q.text))


def has_event(it: AgendaItem, q: Query) -> bool:
    """Whether the item records the procedural event a vote question asks about."""
    t = q.text.lower()
    if asks_disqualification(q):
        return bool(it.disqualified)
    if re.search(r"pöydälle", t):
        return it.tabled
    if re.search(r"palaut", t):
        return it.returned
    if re.search(r"äänest", t):
        return bool(it.votes)
    return bool(it.votes or it.disqualified or it.tabled or it.returned)
