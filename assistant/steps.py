"""The steps of one case (board, then council; plan, then contract): which step's words answer.

Where a board only proposed and the council decided, the council's decision is the answer, and a
sentence the council's item repeats from the board's proposal is cited to the council.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from assistant.evidence import Sentence, pool
from assistant.lines import Lines, norm
from assistant.matters import continues
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
