"""Items whose text has no labels: what was decided, read from the words that say so.

Text dumps lose their labels, decision digests never had them, and advisory bodies' short minutes write
one paragraph per item. What such an item says was decided ("Kokous todettiin lailliseksi.",
"Tarkastajiksi valittiin …", "Päätettiin …") is its decision; what comes before stays its text.
"""

from __future__ import annotations

import re

from core.items import AgendaItem
from ingest.meeting import MeetingMeta

_DECIDED_RE = re.compile(
    r"\b(?:päätti|päätettiin|hyväksyttiin|hyväksyi|merkittiin|valittiin|valitsi|suoritettiin|palautettiin|"
    r"raukesi|päätökseksi|todettiin|beslöt|beslutade|godkändes|godkänns|antecknades|konstaterades|valdes)\b", re.I)


def numbered_minutes(meta: MeetingMeta, items: list[AgendaItem], labelled: bool) -> bool:
    """Items numbered without the sign are a meeting's only where the document names its kind or body, and
    declares itself minutes, labels proposals or decisions, or says in most items what was decided (a
    report's numbered chapters do none of these)."""
    decided = sum(1 for it in items if _DECIDED_RE.search(it.text))
    return bool(meta.get("kind") or meta.get("body")) and (
        bool(meta.get("kind")) or labelled or 2 * decided >= len(items))


#: Where a sentence or a line ends; not after a list's number alone at a line's start ("3. Tapaaminen …").
_SENTENCE_END_RE = re.compile(r"(?<!^\d\.)(?<!^\d\d\.)(?<=[.!?])\s+|\n\s*", re.MULTILINE)


def decided_tail(item: AgendaItem) -> None:
    """An unlabelled item of minutes (a text dump that lost its labels) ends with what was decided:
    from its last sentence that says so ("Kokous todettiin lailliseksi.", "Tarkastajiksi valittiin …")
    to the end is the decision, what comes before stays the text."""
    if item.decision or item.proposal or not item.body_text.strip():
        return
    text = item.body_text.strip()
    starts = [0] + [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)] + [len(text)]
    last = next((a for a, b in reversed(list(zip(starts, ends, strict=True))) if _DECIDED_RE.search(text[a:b])), None)
    if last is not None:
        item.body_text, item.decision = text[:last].strip(), text[last:].strip()


def unlabelled_decision(item: AgendaItem) -> None:
    """A decision digest reports what was decided: unlabelled text that says so is the decision."""
    if item.decision or item.proposal:
        return
    text = item.body_text.strip()
    if text and _DECIDED_RE.search(text):
        item.decision, item.body_text = text, ""


#: A whole item on its heading's line: "§ 311 Satamakadun katusuunnitelma: Poistettiin esityslistalta."
_TITLE_DECISION_RE = re.compile(r"^(?P<title>[^:]{3,200}?):\s+(?P<decision>[A-ZÅÄÖ][^:]*[.!?])$")


def title_decision(item: AgendaItem) -> None:
    """An item with no text of its own whose title runs on into a sentence after a colon (a decisions page
    that prints each item on one line): the sentence is the decision, the rest the title."""
    if item.body_text.strip() or item.proposal or item.decision:
        return
    if m := _TITLE_DECISION_RE.match(item.title):
        item.title, item.decision = m.group("title").strip(), m.group("decision").strip()
