"""The answer to a person question about a role or a board: "Kuka on teknisen lautakunnan
puheenjohtaja?", "Kuka oli puheenjohtajana kokouksessa 12.5.2025?", "Ketkä ovat sen jäsenet?".

The minutes' attendance lists answer first (``assistant.roles``): every meeting the filter allows is
read, so the newest meetings name a new term's chair even when search ranked older items first. The
role in the hits' prose answers otherwise; nothing, and the ordinary evidence path goes on.
"""

from __future__ import annotations

from assistant import prompts
from assistant.lines import Lines
from assistant.roles import (
    CHAIR,
    MIN_MENTIONS,
    VICE_CHAIR,
    Holder,
    Listed,
    holder,
    leader_asked,
    listed,
    role_ordinal,
    role_words,
)
from assistant.text import clip, ensure_period
from assistant.types import Answer, Citation, Evidence, Query
from core.items import fi_date


def role_answer(q: Query, ev: Evidence, retrieved: list[Citation], *, quote_chars: int) -> Answer | None:
    """The named holder or the listed group, or None when neither the lists nor the prose name anyone."""
    hits, words = [h.item for h in ev.candidates.hits], role_words(q.keywords)
    pool = list(ev.candidates.listing) or hits
    led = leader_asked(q, pool, filtered=bool(ev.candidates.listing))
    bodies = list(q.bodies)
    if led is not None:
        words, pool = led
        if not ev.candidates.listing:
            hits = pool  # a body named in the question's words: its items only, and its name in the answer
            if words == [CHAIR] and not bodies:
                bodies = sorted({it.body for it in pool})
    group = listed(words, pool)  # the group a heading names: "jäsenet"
    if group is not None:
        return _members(q, group, retrieved)
    nth = role_ordinal(q.text, words)
    once = 1 if q.date_from else MIN_MENTIONS  # the record of the meeting or month asked about suffices
    found = holder(words, pool, listed_only=True, ordinal=nth, min_mentions=once) \
        or holder(words, hits, ordinal=nth, min_mentions=once)
    if found is None:
        return None
    holders = [found]
    if led is not None and words == [CHAIR] and not q.date_from:
        # Who leads a body (not who chaired one meeting): its chair, and the first vice-chair as the lists
        # record them.
        vice = holder([VICE_CHAIR], pool, listed_only=True, min_mentions=once)
        holders += [vice] if vice is not None else []
    return _holders(q, holders, retrieved, quote_chars, bodies)


def _holders(q: Query, found: list[Holder], retrieved: list[Citation], quote_chars: int, bodies: list[str],
             ) -> Answer:
    """"Kuka on kaupunginjohtaja?": for each holder (a chair, then a vice-chair) the name, then the newest
    sentence that names them with the role."""
    out = Lines()
    scope = [*bodies, *([q.time_label] if q.date_from and q.time_label else [])]
    for h in found:
        quote = ensure_period(clip(h.sentence, quote_chars))
        role = h.role[:1].upper() + h.role[1:]
        if scope:
            role += f" ({', '.join(scope)})"  # "Puheenjohtaja (Tekninen lautakunta, toukokuussa 2025)"
        out.add(prompts.render("role_fi", role=role, holder=h.name, quote=f"”{quote}”",
                               citation=out.ref(h.item)), h.item, h.sentence)
    return out.answer(q, retrieved)


def _members(q: Query, group: Listed, retrieved: list[Citation]) -> Answer:
    """"Ketkä ovat teknisen lautakunnan jäsenet?": the newest meeting's list, as the minutes print it."""
    out = Lines()
    it = group.item
    names = ensure_period(", ".join(_person(p) for p in group.people))
    out.add(prompts.render("members_fi", heading=group.heading, body=it.body, date=fi_date(it.date), names=names,
                           citation=out.ref(it)), it, "; ".join(group.people))
    return out.answer(q, retrieved)


def _person(listed_as: str) -> str:
    """"Lasse Rajala, puheenjohtaja" → "Lasse Rajala (puheenjohtaja)": one person in a comma list."""
    name, _, role = listed_as.partition(", ")
    return f"{name} ({role})" if role else name
