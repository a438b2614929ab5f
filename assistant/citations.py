"""Citation keys in model output: read them, verify every stated fact, render shown citations.

The model cites context items by short keys (``[2]``). A post-pass keeps only
sentences whose keys exist and whose §, dates, case IDs and euro amounts all
appear in the cited items; shown citations are built from item fields, never
from model text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from core import caseids
from core.items import AgendaItem

logger = logging.getLogger(__name__)

KEY = re.compile(r"\[(\d{1,2})\]")
SECTION = re.compile(r"§\s*(\d{1,4})|(\d{1,4})\s*§|pykälä(?:llä|ssä|n)?\s+(\d{1,4})", re.IGNORECASE)
DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
EURO = re.compile(r"(\d{1,3}(?:[ .\u00a0]\d{3})+|\d+)(?:,\d+)?\s*(?:€|euro|e\b|milj)", re.IGNORECASE)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ\[(])")


@dataclass
class Verified:
    """Model text after verification."""

    text: str
    cited: list[AgendaItem] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def facts_in(sentence: str) -> dict[str, set[str]]:
    """The checkable facts a sentence states: § numbers, ISO dates, case IDs, euro amounts (digits only)."""
    s = KEY.sub(" ", sentence)
    secs = {next(g for g in m.groups() if g) for m in SECTION.finditer(s)}
    dates = {f"{int(y):04d}-{int(mo):02d}-{int(d):02d}" for d, mo, y in DATE.findall(s)}
    cases = {caseids.key(c) for c in caseids.find(s) + caseids.in_question(s)}
    euros = {re.sub(r"\D", "", m.group(1)) for m in EURO.finditer(s)}
    return {"section": secs, "date": dates, "case_id": cases, "euro": euros}


def item_facts(item: AgendaItem) -> dict[str, set[str]]:
    """Every § number, date, case ID and amount an item states, for checking model sentences."""
    blob = " ".join([item.text, item.title, item.decision, item.proposal, item.body_text] +
                    [h.label() + " " + h.proposal + " " + h.decision for h in item.history])
    f = facts_in(blob)
    f["section"].add(str(item.section))
    f["date"].add(item.date)
    f["case_id"].update(c.lower() for c in item.case_ids)
    digits = re.sub(r"(?<=\d)[ .\u00a0](?=\d{3}\b)", "", blob)
    f["euro"].update(re.findall(r"\d+", digits))
    return f


def unsupported(sentence: str, items: list[AgendaItem]) -> list[str]:
    """Facts of ``sentence`` that none of ``items`` states (empty: all verified)."""
    stated = facts_in(sentence)
    known: dict[str, set[str]] = {"section": set(), "date": set(), "case_id": set(), "euro": set()}
    for it in items:
        for k, v in item_facts(it).items():
            known[k] |= v
    bad = []
    for kind, values in stated.items():
        for v in values:
            if v not in known[kind]:
                bad.append(f"{kind}={v}")
    return bad


def verify(text: str, keyed: dict[int, AgendaItem]) -> Verified:
    """Keep sentences that cite known keys and whose facts those items state; render citations.

    Args:
        text: model output with ``[n]`` keys.
        keyed: key → context item given to the model.

    Returns:
        The kept text with keys replaced by ``(Body d.m.yyyy § n, dnro)``, the cited items in
        first-cited order, and the dropped sentences.
    """
    kept: list[str] = []
    cited: dict[str, AgendaItem] = {}
    dropped: list[str] = []
    for sent in _split(text):
        keys = [int(k) for k in KEY.findall(sent)]
        items = [keyed[k] for k in keys if k in keyed]
        unknown = [k for k in keys if k not in keyed]
        if unknown:
            logger.info("dropping unknown citation keys %s", unknown)
        if not items:
            dropped.append(sent)
            continue
        bad = unsupported(sent, items)
        if bad:
            logger.info("dropping sentence with unverified facts %s: %s", bad, sent)
            dropped.append(sent)
            continue
        body = KEY.sub("", sent).strip()
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        labels = "; ".join(dict.fromkeys(it.citation() for it in items))
        if body.endswith((".", "!", "?")):
            kept.append(f"{body[:-1]} ({labels}){body[-1]}")
        else:
            kept.append(f"{body} ({labels})")
        for it in items:
            cited.setdefault(it.item_id, it)
    return Verified(" ".join(kept), list(cited.values()), dropped)


def _split(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n+", text.strip()):
        out.extend(s.strip() for s in _SENT.split(para.strip()) if s.strip())
    return out


def label(item: AgendaItem) -> str:
    """``Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123``."""
    return item.citation()
