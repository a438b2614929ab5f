"""Answers that list items: a body's meetings in a month, or every item on a topic, one line each."""

from __future__ import annotations

from collections import OrderedDict

from assistant import prompts
from assistant.lines import cite, mark, norm
from assistant.text import background, decision_summary, ensure_period, sentences
from assistant.types import Answer, Citation, Query
from core.items import AgendaItem, fi_date
from core.organisations import named_body

MAX_LISTED = 25
#: Characters of one item's line in a list.
LIST_ITEM_CHARS = 300


def meeting_list(q: Query, items: list[AgendaItem], retrieved: list[Citation], *, intro: str = "") -> Answer:
    """One line per item, grouped by meeting."""
    items = sorted(items[:MAX_LISTED], key=lambda i: (i.date, i.body, i.municipality, i.section))
    listed: list[AgendaItem] = []
    when = q.time_label or "valitulla ajanjaksolla"
    bodies = sorted({named_body(i.municipality, i.body) for i in items})
    meetings: OrderedDict[tuple[str, str, str], list[AgendaItem]] = OrderedDict()
    for it in items:
        # Two organisations' "Kaupunginhallitus" are two meetings, headed with the organisation.
        meetings.setdefault((named_body(it.municipality, it.body), it.date, it.kind), []).append(it)
    out = []
    if intro:
        out.append(intro)
    elif len(bodies) == 1:
        out.append(prompts.render("meeting_intro_fi", body=bodies[0], when=when))
    said: set[str] = set()
    for (body, date, kind), its in meetings.items():
        kind_note = " (esityslista: ehdotuksia, ei päätöksiä)" if kind == "agenda" else ""
        out.append(prompts.render("meeting_header_fi", body=body, date=fi_date(date), kind=kind_note))
        for it in its:
            out.append(prompts.render("item_line_fi", section=it.section, title=it.title,
                                      summary=ensure_period(_summary(it, said)).rstrip() or "–",
                                      citation=mark(it, listed)))
    cited = cite(items)
    listed = {c.item_id for c in cited}
    # The metadata filter retrieved these items: they lead the retrieved list.
    return Answer("\n".join(out), False, cited, cited + [c for c in retrieved if c.item_id not in listed], q)


def _summary(it: AgendaItem, said: set[str]) -> str:
    """One item's line: its decision, after one sentence of what the item is about when the decision
    says little ("merkittiin tiedoksi"). A background an earlier line showed (the same case's description
    at each of its steps) or that the decision itself repeats is left out, and a line that would only
    repeat an earlier one is empty: a list that says each thing once reads as a list of matters.
    ``said`` is updated."""
    summary = decision_summary(it, LIST_ITEM_CHARS)
    first = background(it, 160) if len(summary) < LIST_ITEM_CHARS - 40 else ""
    key, decided = norm(first), norm(summary)
    fresh = bool(first) and key not in said and norm(sentences(first)[0]).rstrip(" .…") not in decided
    if first:
        said.add(key)  # shown here or said by this decision: not put before a later line either
    if fresh:
        return f"{ensure_period(first)} {summary}"
    if decided in said:
        return ""
    said.add(decided)
    return summary
