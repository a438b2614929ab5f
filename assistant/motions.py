"""What became of a motion: a counter-motion quoted in an answer comes with its fate.

"Keskustelun aikana jäsen X teki ehdotuksesta poikkeavan esityksen …" shown alone reads as if the body
had adopted it. The sentence of the same item's handling that tells what became of it ("Esitys raukesi
kannattamattomana", a withdrawal, a vote) follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant import prompts
from assistant.evidence import pool
from assistant.lines import Lines
from assistant.text import MAX_SCAN_CHARS, MOTION, clip, ensure_period

#: What became of a motion: it fell unsupported, was withdrawn, lost or won a vote.
FATE = re.compile(r"\braukesi|kannattamatto|\bhylättiin|äänestyksessä|\bvoitti|\bveti\b.{0,40}\bpois|\bperui"
                  r"|\bförföll|understöddes inte|\bomröstning", re.IGNORECASE)
#: Parts of an item that record this meeting's handling.
HANDLING_ROLES = ("decision", "changed", "vote")


def follow_with_fate(out: Lines, *, budget: int, quote_chars: int,
                     adds_words: Callable[[str, list[str]], bool]) -> None:
    """After the first line quoting a motion whose item's lines tell nothing of its fate: the handling's
    sentence that does, within ``budget`` characters, in the place of the last line when there is no
    room for both and ``adds_words(last text, the other texts)`` is false."""
    for owner, text in zip(out.owners, out.texts, strict=True):
        if owner is None or not MOTION.search(text[:MAX_SCAN_CHARS]):
            continue
        if any(o is owner and FATE.search(t[:MAX_SCAN_CHARS]) for o, t in zip(out.owners, out.texts, strict=True)):
            return
        fate = next((t for t, role in pool(owner) if role in HANDLING_ROLES and FATE.search(t[:MAX_SCAN_CHARS])
                     and not out.says(t, owner)), None)
        if fate is None:
            return
        line = prompts.render("fact_fi", quote=ensure_period(clip(fate, quote_chars)), citation=out.ref(owner))
        if out.length() + len(line) > budget and len(out.lines) > 2 \
                and not MOTION.search(out.texts[-1][:MAX_SCAN_CHARS]) and not adds_words(out.texts[-1], out.texts[:-1]):
            out.drop_last()
        if out.length() + len(line) <= budget:
            out.add(line, owner, fate)
        return
