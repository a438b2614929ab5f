"""Answers that list: a body's meetings in a month, every item on a topic, or every entry of the list in one
item that answers (a table's rows, a numbered run), one line each."""

from __future__ import annotations

import re
from collections import OrderedDict

from assistant import prompts
from assistant.answer_type import asks_for_several
from assistant.evidence import VALUE_TYPES, opens_by_adopting
from assistant.lines import Lines, cite, mark, norm, number
from assistant.matters import same_matter
from assistant.text import background, clip, decision_summary, ensure_period, sentences
from assistant.types import Answer, Citation, Evidence, Query
from assistant.units import MIN_RUN, unbullet
from core.items import AgendaItem, fi_date
from core.organisations import named_body

MAX_LISTED = 25
#: Characters of one item's line in a list.
LIST_ITEM_CHARS = 300


def meeting_list(q: Query, items: list[AgendaItem], retrieved: list[Citation], *, intro: str = "",
                 steps: bool = False) -> Answer:
    """One line per item, grouped by meeting. With ``steps`` (a list of matters on a topic), the steps of
    one matter (the board's proposal, the council's decision) are one line, at the last step, which
    names the earlier ones: the reader sees each matter once."""
    items = items[:MAX_LISTED]
    earlier: dict[str, list[AgendaItem]] = {}
    if steps:
        items, earlier = _last_steps(items)
    items = sorted(items, key=lambda i: (i.date, i.body, i.municipality, i.section))
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
            line = prompts.render("item_line_fi", section=it.section, title=it.title,
                                  summary=ensure_period(_summary(it, said)).rstrip() or "–",
                                  citation=mark(it, listed))
            before = earlier.get(it.item_id)
            if before:
                named = ", ".join(f"{named_body(b.municipality, b.body)} {fi_date(b.date)} § {b.section} "
                                  f"{number(b, listed)}" for b in before)
                line = f"{line} {prompts.render('earlier_steps_fi', steps=named)}"
            out.append(line)
    cited = cite(listed)
    listed = {c.item_id for c in cited}
    # The metadata filter retrieved these items: they lead the retrieved list.
    return Answer("\n".join(out), False, cited, cited + [c for c in retrieved if c.item_id not in listed], q)


def _last_steps(items: list[AgendaItem]) -> tuple[list[AgendaItem], dict[str, list[AgendaItem]]]:
    """The last step of each matter among ``items``, and for each the earlier steps it stands for
    (oldest first). An agenda's item is a line of its own: it proposes, and a line it heads would
    present the steps before it as leading to a decision not yet made."""
    last: list[AgendaItem] = []
    earlier: dict[str, list[AgendaItem]] = {}
    for it in sorted(items, key=lambda i: (i.date, i.section or 0), reverse=True):
        head = None if it.kind == "agenda" else next(
            (k for k in last if k.kind != "agenda" and same_matter(k, it)), None)
        if head is None:
            last.append(it)
        else:
            earlier.setdefault(head.item_id, []).insert(0, it)
    return last, earlier


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


#: Entries of one list shown for a question asking for several things, and the characters of each.
MAX_ENTRIES = 12
ENTRY_CHARS = 200


#: A decision or proposal that adopts a list printed elsewhere in its item ("jakaa avustukset ehdotuksen
#: mukaan", "liitteen mukaisesti"): that list is what was decided.
_BY_REFERENCE = re.compile(r"\b(?:ehdotuksen|esityksen|liitteen|taulukon|edellä olevan)\s+muka(?:an|is)", re.IGNORECASE)


def list_entries(out: Lines, ev: Evidence, item: AgendaItem, window: int) -> bool:
    """For a question asking for several things whose best sentences are entries of one list in an item
    (a table's rows, a numbered run; one among the ``window`` best, in ``item``), or whose item decided by
    reference to a list it prints ("… ehdotuksen mukaan": its best-ranked list): every entry of that list,
    in its order, one line each. False when there is none."""
    ranked = ev.sentences or ()
    if not asks_for_several(ev.wanted):
        return False
    best = next((s for s in ranked[:window] if s.run is not None), None)
    if best is None and _BY_REFERENCE.search(f"{item.decision}\n{item.proposal}"):
        best = next((s for s in ranked if s.run is not None and s.item is item), None)
    if best is None and opens_by_adopting(item):
        best = next((s for s in ranked if s.run is not None and s.item is item and s.role == "proposal"), None)
    if best is None or best.item is not item:
        return False  # a list of another item than the one the answer leads with answers something else
    rows = sorted((s for s in ranked if s.run == best.run), key=lambda s: s.order)
    if len(rows) < MIN_RUN or (ev.wanted.kind in VALUE_TYPES and 2 * sum(s.typed for s in rows) < len(rows)):
        return False  # "Ketkä …?" is not answered by a list of clauses that name no one
    for s in rows[:MAX_ENTRIES]:
        if not out.says(s.text):
            entry = f"- {ensure_period(clip(unbullet(s.text), ENTRY_CHARS))}"
            out.add(f"{entry} {out.ref(s.item)}", s.item, s.text, typed=s.typed)
    if len(rows) > MAX_ENTRIES:  # say that the list goes on, and where: the reader opens the source
        out.add(prompts.render("more_entries_fi", count=len(rows) - MAX_ENTRIES, citation=out.ref(item)), item)
    return True
