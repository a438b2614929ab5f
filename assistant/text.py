"""Small pure text helpers for composing answers: sentences, summaries, routine items."""

from __future__ import annotations

import re

from ingest.items import AgendaItem

#: Items every meeting has; a "what was decided in March" answer leaves them out.
ROUTINE_TITLE = re.compile(
    r"laillisuu|päätösvaltaisuu|pöytäkirjan tarkast|pöytäkirjantarkast|esityslistan hyväksy|"
    r"työjärjestyksen hyväksy|kokouksen avaa|^muut asiat$|^ilmoitusasiat$|^tiedoksi merkittävät|"
    r"^tiedoksiannot$|^kokouksen päättäminen$",
    re.IGNORECASE,
)

#: Decisions that only say "the proposal was accepted"; the proposal says what.
FORMULAIC_DECISION = re.compile(
    r"^(?:\w+(?:\s+\w+){0,3}\s+)?(?:hyväksyttiin|hyväksyi\s+ehdotuksen|hyväksyi\s+päätösehdotuksen|"
    r"ehdotus\s+hyväksyttiin|päätösehdotus\s+hyväksyttiin|hyväksyttiin\s+ehdotuksen\s+mukaisesti|"
    r"hyväksytään|päätösehdotus\s+hyväksytään)(?:\s+\w+){0,3}\.?$",
    re.IGNORECASE,
)

_ABBREVS = ("n", "esim", "mm", "ns", "klo", "jne", "ym", "v", "kpl", "t", "s", "nk", "vrt", "os", "puh", "ko", "yms")
_ABBREV = "".join(rf"(?<!\b{a}\.)" for a in _ABBREVS)
_SENT_SPLIT = re.compile(r"(?<=[.!?])" + _ABBREV + r"\s+(?=[A-ZÄÖÅ\"”(])")


def sentences(text: str) -> list[str]:
    """Split Finnish prose into sentences (dates like 10.3.2026 and common abbreviations stay whole)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=[-•*] )", text or ""):
        para = " ".join(para.split())
        if not para:
            continue
        out.extend(s.strip() for s in _SENT_SPLIT.split(para) if s.strip())
    return out


def clip(text: str, limit: int = 420) -> str:
    """Shorten ``text`` to about ``limit`` characters at a sentence or word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > limit // 2:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + " …"


def is_routine(item: AgendaItem) -> bool:
    return bool(ROUTINE_TITLE.search(item.title.strip()))


_PROCEDURAL = re.compile(r"[^.]*\b(?:käsiteltiin|käsitellään)\s+(?:§:n\s+\d+|ennen|jälkeen)[^.]*\.\s*", re.I)
_ACCEPT = re.compile(r"hyväksy|mukaisesti|yksimielisesti|päätösehdotus|ehdotus", re.I)


def is_formulaic(decision: str) -> bool:
    """True for decisions that only accept the proposal ("Hyväksyttiin yksimielisesti.")."""
    d = _PROCEDURAL.sub("", " ".join(decision.split())).strip()
    if not d:
        return True
    if FORMULAIC_DECISION.match(d):
        return True
    return len(d) < 110 and bool(_ACCEPT.search(d)) and bool(
        re.search(r"ehdotu|esityksen|yksimielisesti|hyväksyttiin\.?$|hyväksytään\.?$", d, re.I))


def decision_summary(item: AgendaItem, limit: int = 420) -> str:
    """What the body decided, in its own words; the proposal too when the decision is only "Hyväksyttiin"."""
    if item.kind == "agenda" or not item.decision.strip():
        if item.proposal.strip():
            return "ehdotus: " + clip(item.proposal, limit)
        return clip(item.body_text, limit) or "ei päätöstekstiä"
    d = " ".join(item.decision.split())
    if is_formulaic(d) and item.proposal.strip():
        d = _PROCEDURAL.sub("", d).strip() or d
        return f"{d.rstrip('.')}. Ehdotus: {clip(item.proposal, limit)}"
    return clip(d, limit)


def ensure_period(s: str) -> str:
    s = s.rstrip()
    return s if not s or s[-1] in ".!?…)" else s + "."
