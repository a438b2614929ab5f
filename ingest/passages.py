"""Split an agenda item into retrieval passages.

Every passage starts with the item's header (body, date, §, title), so that a
passage alone still says what it belongs to; the lexical and dense indexes see
the same passages, and every passage resolves to its item's id.
"""

from __future__ import annotations

import logging
import re

from core.items import AgendaItem, Passage, fi_date

logger = logging.getLogger(__name__)

#: Words per passage. ~180 Finnish words is ~350 XLM-R tokens; the embedder
#: truncates at its own limit, the lexical index sees every word.
PASSAGE_WORDS = 180
OVERLAP_WORDS = 30

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def item_header(item: AgendaItem) -> str:
    """One line naming the item: ``Kaupunginhallitus 2.12.2024 § 346: Nuorisovaltuuston toimintasääntö``."""
    kind = " (esityslista)" if item.kind == "agenda" else ""
    return f"{item.body} {fi_date(item.date)} § {item.section}{kind}: {item.title}"


def split_passages(item: AgendaItem, *, words: int = PASSAGE_WORDS, overlap: int = OVERLAP_WORDS) -> list[Passage]:
    """Split one item into passages.

    The first passage holds the header, the decision and the proposal (what
    most questions ask about); the rest of the item text follows in windows
    of ``words`` words with ``overlap`` words of overlap.

    Args:
        item: the agenda item.
        words: target words per passage.
        overlap: words repeated between consecutive windows.

    Returns:
        Passages in reading order, index 0 first; never empty.
    """
    header = item_header(item)
    ids = " ".join(item.case_ids)
    lead_parts = [header, ids]
    if item.decision:
        lead_parts.append("Päätös: " + item.decision)
    if item.proposal:
        lead_parts.append("Ehdotus: " + item.proposal)
    lead = _clip_words(" ".join(p for p in lead_parts if p), words + words // 2)
    passages = [Passage(item.item_id, 0, lead)]

    rest = item.body_text or ""
    extra = []
    for h in item.history:
        extra.append(f"{h.label()}: {h.proposal} {h.decision}".strip())
    if item.votes:
        extra.append("Äänestys: " + item.votes)
    if item.notes:
        extra.extend(item.notes)
    body_words = (rest + " " + " ".join(extra)).split()
    if not body_words:
        return passages
    step = max(1, words - overlap)
    start = 0
    idx = 1
    while start < len(body_words):
        chunk = " ".join(body_words[start:start + words])
        passages.append(Passage(item.item_id, idx, f"{header}\n{chunk}"))
        idx += 1
        if start + words >= len(body_words):
            break
        start += step
    return passages


def _clip_words(text: str, limit: int) -> str:
    ws = text.split()
    return text if len(ws) <= limit else " ".join(ws[:limit]) + " …"
