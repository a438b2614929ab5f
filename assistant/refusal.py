"""Refusals: the refusal sentence, what was searched, and where the user can look next.

A refusal cites nothing. It says what was searched (so the user can rephrase), names a
question word that no item of the corpus uses (the usual reason nothing answers), and lists
the nearest items found as pointers, marked as not answering: a resident whose question the
minutes answer in other words still reaches the item, and nothing is asserted from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant import prompts
from assistant.text import clip
from assistant.types import Answer, Citation, Evidence, Query, Relevance
from core.items import fi_date

#: Items listed after a refusal as the nearest ones found.
MAX_NEAREST = 3
#: Share of the best item's question coverage an item needs to be listed: one sharing a stray word with
#: the question ("maksaa") is no pointer when another holds most of its words.
NEAREST_COVERAGE_SHARE = 0.5
#: Characters of an item's title in that list.
NEAREST_TITLE_CHARS = 90


def refuse(q: Query, retrieved: list[Citation], ev: Evidence) -> Answer:
    """The refusal sentence, then what was searched and the nearest items; nothing is cited."""
    topic = " ".join(q.keywords.split()).strip(" ?.!,")
    parts = [prompts.REFUSAL]
    if ev.unknown:
        words = " eikä ".join(f"”{w}”" for w in ev.unknown)
        parts.append(prompts.render("unknown_words_fi", words=words))
    if topic:
        parts.append(prompts.render("refuse_topic_fi", topic=topic, scope=_scope(q)))
    text = " ".join(parts)
    near = nearest_items(ev.relevance)
    if near:
        lines = "\n".join(prompts.render("nearest_item_fi", label=c.label(), title=clip(c.title, NEAREST_TITLE_CHARS))
                          for c in near)
        text += "\n\n" + prompts.render("nearest_items_fi", items=lines)
    return Answer(text, True, [], retrieved, q)


def nearest_items(relevance: Sequence[Relevance]) -> list[Citation]:
    """The judged items that share the question's words about as fully as the best one, most probable
    first, one per case."""
    top = max((r.coverage for r in relevance), default=0.0)
    judged = [r for r in relevance if r.coverage > 0 and r.coverage >= NEAREST_COVERAGE_SHARE * top]
    # An item judged without the model (an exact or filter match) has no probability: after those with one.
    judged.sort(key=lambda r: (r.probability is None, -(r.probability or 0.0), -r.coverage))
    out: list[Citation] = []
    seen: set[str] = set()
    for r in judged:
        it = r.hit.item
        key = it.case_id or it.item_id  # a case's later steps would repeat the same matter
        if key in seen:
            continue
        seen.add(key)
        out.append(Citation.from_item(it))
        if len(out) == MAX_NEAREST:
            break
    return out


def refuse_names(q: Query, names: Sequence[str], retrieved: list[Citation]) -> Answer:
    """A named company, school or person that no candidate mentions."""
    shown = ", ".join(f"”{n}”" for n in names)
    return Answer(prompts.render("refuse_entity_fi", names=shown), True, [], retrieved, q)


def no_meeting(q: Query, nearest: tuple[tuple[str, str], ...], retrieved: list[Citation]) -> Answer:
    """The filters (body, time, §, case) match no meeting: say so, with the meetings nearest to them."""
    what = "kokouksia"
    if q.bodies:
        what = f"toimielimen {', '.join(q.bodies)} kokouksia"
    if q.sections:
        what += f" pykälällä § {', '.join(map(str, q.sections))}"
    if q.case_ids:
        what = f"asiaa {', '.join(q.case_ids)}" + (f" toimielimeltä {', '.join(q.bodies)}" if q.bodies else "")
    when = q.time_label or (f"ajalta {fi_date(q.date_from or '')}–{fi_date(q.date_to or '')}"
                            if q.date_from or q.date_to else "")
    near = ", ".join(f"{body} {fi_date(day)}" for body, day in nearest)
    nearest_text = prompts.render("nearest_fi", meetings=near) if near else ""
    text = prompts.REFUSAL + " " + prompts.render("no_meeting_fi", what=what, when=when.strip(), nearest=nearest_text)
    return Answer(" ".join(text.split()), True, [], retrieved, q, notice=nearest_text.strip())


def _scope(q: Query) -> str:
    parts = []
    if q.bodies:
        parts.append(", ".join(q.bodies))
    if q.time_label:
        parts.append(q.time_label)
    if q.case_ids:
        parts.append(", ".join(q.case_ids))
    return f" ({'; '.join(parts)})" if parts else ""
