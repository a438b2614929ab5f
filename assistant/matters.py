"""Which items of one case ID are steps of one matter.

A case ID (diaarinumero) can hold several matters: the Lapua swimming-hall case holds six contracts
proposed by the technical board and decided one by one by the city board, and a lease case holds the
lease's end, a claim against it and, months later, a request for more time. An answer about one of
them may follow it to the body that decided it, but never to a sibling matter.
"""

from __future__ import annotations

import re

from core.items import AgendaItem
from core.tokens import lemmas


def continues(first: AgendaItem, later: AgendaItem) -> bool:
    """Whether ``later`` carries on ``first``'s matter.

    The two must be titled as one matter: the shorter title's words (base forms) all in the other
    ("Tuloveroprosentti 2027" ~ "Tuloveroprosentin vahvistaminen vuodelle 2027"), since sibling
    matters differ only in their last words ("… / Rakennusurakka", "… / Sähköurakka"). A body taking
    up its own tabled or returned matter may retitle it. Where the later item recounts its earlier
    steps (its history: "Tekninen lautakunta 20.5.2025 § 76"), that list must name ``first``.
    """
    if later is first:
        return True
    if later.history and not recounts(later, first):
        return False
    if later.body == first.body and (first.tabled or first.returned):
        return True
    return same_title(first.title, later.title)


def same_matter(a: AgendaItem, b: AgendaItem) -> bool:
    """``a`` and ``b`` share a case ID and one carries on the other (in date order)."""
    if not (a.case_ids and b.case_ids) or a.case_ids[0].lower() != b.case_ids[0].lower():
        return False
    first, later = sorted((a, b), key=lambda it: (it.date, it.section or 0))
    return continues(first, later)


def recounts(later: AgendaItem, first: AgendaItem) -> bool:
    """``later``'s history names ``first`` (body, date and §, when the history gives one)."""
    return any(h.body.lower() == first.body.lower() and h.date == first.date
               and (h.section is None or first.section is None or h.section == first.section)
               for h in later.history)


def same_title(a: str, b: str) -> bool:
    """The shorter title's words all occur in the other, compared by base form ("Urakoitsijan
    valinta" ~ "Urakoitsijoiden valinta"; numbers ignored)."""
    x, y = _title_words(a), _title_words(b)
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return bool(short) and short <= long_


def _title_words(title: str) -> set[str]:
    return {(lemmas(w) or (w,))[0] for w in re.findall(r"\w+", title.lower()) if not w.isdigit()}


def title_key(title: str) -> str:
    """An item title as compared: case and spacing aside."""
    return " ".join(title.lower().split())


def identical_titles(a: AgendaItem, b: AgendaItem) -> bool:
    """Minutes items of one body under one title (not just the same words, as ``same_title`` asks): a
    matter the body takes up again each year under a new case ID ("Etelä-Pohjanmaan matkailuyhteistyö"),
    or two applications of one kind."""
    return a.body == b.body and a.kind == b.kind == "minutes" and title_key(a.title) == title_key(b.title)
