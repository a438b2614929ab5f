"""Small pure text helpers for composing answers: sentences, summaries, routine items."""

from __future__ import annotations

import re

from core.items import AgendaItem

#: Items every meeting has; a "what was decided in March" answer leaves them out.
ROUTINE_TITLE = re.compile(
    r"laillisuu|päätösvaltaisuu|pöytäkirjan tarkast|pöytäkirjantarkast|esityslistan hyväksy|"
    r"työjärjestyksen hyväksy|kokouksen avaa|^muut asiat$|^ilmoitusasiat$|^tiedoksi merkittävät|"
    r"^tiedoksiannot$|^kokouksen päättäminen$|^seuraava kokous$|viranhaltijapäätökset|"
    r"viranhaltijoiden päätökset|^kaupunginjohtajan päätökset|otto-oikeus|pöytäkirjat/esityslistat|"
    r"esityslistat/pöytäkirjat|pöytäkirjajäljennökset|^pöytäkirjan tarkastajat",
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


_TRAILING_ENUM = re.compile(r"(?<=[.:;])\s\d{1,2}[.)]$")  # "… kriteerit. 2." but not "kello 18."


def sentences(text: str) -> list[str]:
    """Split Finnish prose into sentences (dates like 10.3.2026 and common abbreviations stay whole)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=[-•*] )|\n(?=\d{1,2}[.)] )", text or ""):
        para = " ".join(para.split())
        if not para:
            continue
        parts = [s.strip() for s in _SENT_SPLIT.split(para) if s.strip()]
        merged: list[str] = []
        for p in parts:
            if merged and re.fullmatch(r"\d{1,2}[.)]", merged[-1]):
                merged[-1] = f"{merged[-1]} {p}"  # "1." + "Todeta …" is one list item
            else:
                merged.append(p)
        parts = merged
        for i in range(len(parts) - 1):
            m = _TRAILING_ENUM.search(parts[i])
            if m and len(parts[i]) > len(m.group(0)):
                # "… kriteerit. 2." + "Hyväksyä …": the number starts the next sentence.
                parts[i] = parts[i][: m.start()].rstrip()
                parts[i + 1] = f"{m.group(0).strip()} {parts[i + 1]}"
        out.extend(p for p in parts if p)
    return out


_ENUM_TAIL = re.compile(r"(?:^|[.:;]\s)(?:\d{1,2}|[a-h])[.)]$")


def clip(text: str, limit: int = 420) -> str:
    """Shorten ``text`` to about ``limit`` characters at a sentence or word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    while end > limit // 2 and _ENUM_TAIL.search(cut[: end + 1]):
        # "… kriteerit. 2." ends on a list number, not a sentence.
        end = max(cut.rfind(". ", 0, end - 1), cut.rfind("! ", 0, end - 1), cut.rfind("? ", 0, end - 1))
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


#: Sentences about the meeting's procedure, not the matter: who presented, who came or left.
_PROCEDURE_SENT = re.compile(
    r"\b(?:alusti|alustivat|esitteli|esittelivät|oli läsnä|olivat läsnä|poistui|poistuivat|saapui|saapuivat|"
    r"asiantuntijana|asiantuntijoina|kuultavana|käsiteltiin §|käsiteltiin ennen|käsiteltiin jälkeen|"
    r"keskustelun kuluessa|tämän pykälän aikana|pykälän käsittelyn ajan)\b",
    re.IGNORECASE,
)
_ACCEPT_SENT = re.compile(
    r"hyväksyi\s+(?:\w+\s+){0,6}?(?:ehdotuksen|esityksen|päätösehdotuksen)|^hyväksyttiin|"
    r"ehdotuksen mukaisesti|päätösehdotuksen mukaisesti|^päätösehdotus hyväksyttiin|^ehdotus hyväksyttiin|"
    r"hyväksytään\s+(?:\w+\s+){0,3}?ehdotus",
    re.IGNORECASE,
)
_CHANGED = re.compile(r"muutettuna|muutoksin|seuraavin muutoksin|lisäyksin|poiketen", re.IGNORECASE)


def decision_summary(item: AgendaItem, limit: int = 420) -> str:
    """What the body decided, in its own words; with the proposal when the decision only accepts it.

    Procedure (who presented, who left) is dropped; a decision that changed the
    proposal ("siten muutettuna") is kept whole, since the change is the news.
    """
    if item.kind == "agenda" or not item.decision.strip():
        if item.proposal.strip():
            return "ehdotus: " + clip(item.proposal, limit)
        return clip(item.body_text, limit) or "ei päätöstekstiä"
    sents = sentences(item.decision)
    matter = [s for s in sents if not _PROCEDURE_SENT.search(s)]
    accepts = [s for s in matter if _ACCEPT_SENT.search(s)]
    changed = any(_CHANGED.search(s) for s in matter)
    if accepts and item.proposal.strip() and not changed:
        own = [s for s in matter if s not in accepts]
        lead = " ".join(own + accepts[:1])
        return f"{clip(lead, limit // 2)} Ehdotus: {digest(item.proposal, limit)}"
    text = " ".join(matter) or " ".join(sents)
    if changed:
        return clip(text, limit * 2)
    if is_formulaic(text) and item.proposal.strip():
        return f"{text.rstrip('.')}. Ehdotus: {digest(item.proposal, limit)}"
    return clip(text, limit)


_AMOUNT = re.compile(r"\d[\d .]*\s*(?:euro|€|milj)", re.IGNORECASE)


def digest(text: str, limit: int = 420) -> str:
    """The opening of ``text`` plus the sentences that state an amount, then others, within ``limit``."""
    sents = sentences(text)
    if len(" ".join(sents)) <= limit:
        return clip(" ".join(sents), limit)
    if not sents:
        return ""
    chosen = {0}
    size = len(sents[0])
    order = [i for i in range(1, len(sents)) if _AMOUNT.search(sents[i])]
    order += [i for i in range(1, len(sents)) if i not in order]
    for i in order:
        if size + len(sents[i]) + 1 <= limit:
            chosen.add(i)
            size += len(sents[i]) + 1
    out = []
    for i in sorted(chosen):
        if out and i - max(j for j in chosen if j < i) > 1:
            out.append("…")
        out.append(sents[i])
    return clip(" ".join(out), limit)


def background(item: AgendaItem, limit: int = 360) -> str:
    """The first sentences of the item's description, and any sentence stating an amount."""
    sents = [s for s in sentences(item.body_text) if not _PROCEDURE_SENT.search(s) and "@" not in s]
    if not sents:
        return ""
    picked = sents[:2]
    picked += [s for s in sents[2:] if re.search(r"\d[\d .]*\s*(?:euro|€)", s)][:2]
    return clip(" ".join(picked), limit)


def ensure_period(s: str) -> str:
    s = s.rstrip()
    return s if not s or s[-1] in ".!?…)" else s + "."
