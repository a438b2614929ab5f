"""Answers that list items: a body's meetings in a month, or every item on a topic, one line each."""

from __future__ import annotations

from collections import OrderedDict

from assistant import prompts
from assistant.lines import cite, mark, norm
from assistant.text import background, decision_summary, ensure_period
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
            summary = decision_summary(it, LIST_ITEM_CHARS)
            if len(summary) < LIST_ITEM_CHARS - 40:
                # A bare "merkittiin tiedoksi" says little: one sentence of what the item is about.
                first = background(it, 160)
                if first:
                    summary = f"{ensure_period(first)} {summary}"
            key = norm(summary)
            if key in said:
                summary = ""  # the same decision text as an item above (e.g. the same case twice)
            said.add(key)
            out.append(prompts.render("item_line_fi", section=it.section, title=it.title,
                                      summary=ensure_period(summary).rstrip() or "–", citation=mark(it, listed)))
    cited = cite(items)
    listed = {c.item_id for c in cited}
    # The metadata filter retrieved these items: they lead the retrieved list.
    return Answer("\n".join(out), False, cited, cited + [c for c in retrieved if c.item_id not in listed], q)
