"""The steps of one case (board, then council; plan, then contract): which step's words answer.

Where a board only proposed and the council decided, the council's decision is the answer, and a
sentence the council's item repeats from the board's proposal is cited to the council.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.evidence import Sentence, pool
from assistant.lines import Lines, norm
from assistant.types import Query
from core.items import AgendaItem


def final_step(q: Query, chosen: Sequence[AgendaItem]) -> AgendaItem:
    """The newest decided step of the leading item's matter among the chosen items: where the board only
    proposed and the council decided, the council's decision is the answer. A question naming a body or
    a date asks for that step."""
    first = chosen[0]
    if q.bodies or q.date_from or q.date_to or first.case_id is None:
        return first
    steps = [it for it in chosen if it.case_id == first.case_id and it.has_decision and continues(first, it)]
    return max(steps, key=lambda it: it.date, default=first)


def continues(first: AgendaItem, later: AgendaItem) -> bool:
    """Whether ``later`` carries on ``first``'s matter, not only its case ID: another body took it up
    (board, city board, council), ``first`` left it open (tabled, sent back for preparation), or the two
    are titled as one matter. One case ID can hold several matters decided by the same body over years
    (a lease ended, then a claim against it, then a request for more time to clear the site), and the
    later items recount every earlier one, so their history does not tell them apart; titles do."""
    if later is first or later.body != first.body or first.tabled or first.returned:
        return True
    a, b = _title_words(first.title), _title_words(later.title)
    return bool(a and b) and len(a & b) >= SAME_MATTER_SHARE * min(len(a), len(b))


#: Share of the shorter title's words the other title must hold for the two items to be one matter.
SAME_MATTER_SHARE = 0.5


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"\w+", title.lower()) if not w.isdigit()}


def as_decided(q: Query, lead: Sentence, ranked: Sequence[Sentence]) -> Sentence:
    """The same sentence in the case's final step, when that step repeats it (the council's item quoting
    the board's proposal that it adopted): the final decision is the one to cite."""
    final = final_step(q, [lead.item] + [s.item for s in ranked])
    if final is lead.item:
        return lead
    probe = Lines()
    probe.add(lead.text, final, lead.text)
    alike = next((s for s in ranked if s.item is final and s.typed == lead.typed and probe.says(s.text, final)), None)
    if alike is not None:
        return alike  # the final step repeats it in its own words
    # Sentences are ranked once across items: the final step's word-for-word copy is not among them.
    role = next((r for text, r in pool(final) if norm(text) == norm(lead.text)), None)
    return lead if role is None else replace(lead, item=final, role=role)
