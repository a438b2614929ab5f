"""What the app shows beside answers: a case's handlings, one meeting, the coverage of the store.

The grouping queries belong to the index (``SearchIndex.items_by_case``,
``meeting_items``, ``coverage``) and the refused files to the store
(``core.store.Corpus``); this module turns them into what the views show:
each handling's stage and one-line decision, later handlings of a cited case,
and whether a date filter reaches outside the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.index import BodyCoverage
from core import caseids
from core.items import AgendaItem, fi_date
from core.store import Corpus

ONE_LINE = 170
# A body forwarding its proposal to another body ("esittää kaupunginhallitukselle …").
_FORWARD = re.compile(r"\besittä\w*\s+(?:\w+\s+){0,3}?\w+(?:lle|lle,)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True)
class Handling:
    """One handling of a case: which body, when, what kind of step and the decision in one line."""

    item: AgendaItem
    stage: str  # Finnish: Päätös / Esitys eteenpäin / Ehdotus / Pantiin pöydälle / Palautettiin valmisteluun
    line: str

    @property
    def label(self) -> str:
        return f"{self.item.body} {fi_date(self.item.date)} § {self.item.section}"


@dataclass(frozen=True)
class Coverage:
    months: list[str]
    bodies: list[BodyCoverage]
    refused: list[tuple[str, str]]  # (file, Finnish reason)
    files: int

    @property
    def organisations(self) -> list[str]:
        return sorted({b.municipality for b in self.bodies if b.municipality})

    @property
    def first(self) -> str:
        return min((b.first for b in self.bodies), default="")

    @property
    def last(self) -> str:
        return max((b.last for b in self.bodies), default="")


def one_line(item: AgendaItem, limit: int = ONE_LINE) -> str:
    """The decision (else the proposal) as its first sentence, cut to ``limit`` characters."""
    text = " ".join((item.decision or item.proposal or "").split())
    if not text:
        return "Ei kirjattua päätöstä."
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:-–") + "…"


def stage(item: AgendaItem) -> str:
    """What kind of step the item is in its case (Finnish label)."""
    if item.returned:
        return "Palautettiin valmisteluun"
    if item.tabled:
        return "Pantiin pöydälle"
    if item.kind == "agenda" or not item.decision.strip():
        return "Ehdotus"
    if _FORWARD.search(item.proposal) or _FORWARD.search(item.decision):
        return "Esitys eteenpäin"
    return "Päätös"


class ItemQueries(Protocol):
    """What the catalog asks of the index (``assistant.index.SearchIndex`` or ``ItemGroups``)."""

    def item(self, item_id: str) -> AgendaItem | None: ...
    def items_by_case(self, case_id: str) -> list[AgendaItem]: ...
    def meeting_items(self, municipality: str, body: str, date: str, kind: str) -> list[AgendaItem]: ...
    def coverage(self) -> list[BodyCoverage]: ...


class Catalog:
    """A case's handlings, one meeting, and the coverage, from the index's queries and the store's corpus."""

    def __init__(self, index: ItemQueries, corpus: Corpus | None = None) -> None:
        self.index = index
        self.corpus = corpus or Corpus([], [], [])
        self._coverage: Coverage | None = None

    def case_history(self, case_id: str) -> list[Handling]:
        """Every item with ``case_id``, by date (then body and §)."""
        return [Handling(it, stage(it), one_line(it)) for it in self.index.items_by_case(case_id)]

    def meeting(self, item: AgendaItem) -> list[AgendaItem]:
        """Every item of the meeting (same organisation, body, date and document kind) ``item`` belongs to."""
        return self.index.meeting_items(item.municipality, item.body, item.date, item.kind)

    def later_handlings(self, item_ids: Iterable[str]) -> list[AgendaItem]:
        """Minutes items of the cited cases dated after the newest cited handling of that case."""
        cited = [it for it in (self.index.item(i) for i in item_ids) if it is not None]
        cited_ids = {it.item_id for it in cited}
        out: dict[str, AgendaItem] = {}
        for case in {caseids.key(c) for it in cited for c in it.case_ids}:
            newest = max(it.date for it in cited if case in {caseids.key(c) for c in it.case_ids})
            for it in self.index.items_by_case(case):
                if it.date > newest and it.kind == "minutes" and it.item_id not in cited_ids:
                    out[it.item_id] = it
        return sorted(out.values(), key=lambda i: (i.date, i.body, i.section))

    def coverage(self) -> Coverage:
        if self._coverage is None:  # the store does not change under an open index
            bodies = self.index.coverage()
            months = sorted({m for b in bodies for m in b.per_month})
            refused = sorted((Path(r.source).name, r.reason) for r in self.corpus.refused)
            self._coverage = Coverage(_month_range(months), bodies, refused, len(self.corpus.files))
        return self._coverage

    def outside_coverage(self, bodies: list[str], date_from: str | None, date_to: str | None) -> str:
        """A Finnish note when the date filter reaches outside what the store covers ("" otherwise)."""
        if not (date_from or date_to):
            return ""
        cov = [b for b in self.coverage().bodies if not bodies or b.body in bodies]
        if not cov:
            return ""
        first, last = min(b.first for b in cov), max(b.last for b in cov)
        lo, hi = date_from or "0000-00-00", date_to or "9999-12-31"
        who = bodies[0] if len(bodies) == 1 else "Hakemisto"
        span = f"{fi_date(first)}–{fi_date(last)}"
        asked = f"{fi_date(date_from) if date_from else '…'}–{fi_date(date_to) if date_to else '…'}"
        if hi < first or lo > last:
            return (f"Rajaus {asked} on kokonaan hakemiston ulkopuolella: {who} kattaa pöytäkirjat "
                    f"ajalta {span}.")
        if lo < first or hi > last:
            return f"Rajaus {asked} ulottuu osin hakemiston ulkopuolelle: {who} kattaa ajan {span}."
        return ""


def _month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last (empty months shown as gaps)."""
    if not months:
        return []
    y, m = (int(x) for x in months[0].split("-"))
    end = months[-1]
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
