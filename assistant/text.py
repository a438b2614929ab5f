"""Small pure text helpers for composing answers: sentences, summaries, routine items."""

from __future__ import annotations

import re

from core.items import AgendaItem
from core.sentences import ABBREVIATIONS, sentences

__all__ = ["background", "clip", "decision_summary", "digest", "ensure_period", "is_formulaic", "is_procedure",
           "is_routine", "sentences"]

#: Longest sentence a pattern scans: a decision sentence is far shorter; bounds the work on hostile text.
MAX_SCAN_CHARS = 5_000

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

_ENUM_TAIL = re.compile(r"(?:^|[.:;]\s)(?:\d{1,2}|[a-h])[.)]$")


def clip(text: str, limit: int = 420) -> str:
    """Shorten ``text`` to about ``limit`` characters at a sentence or word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    while end > limit // 2 and (_ENUM_TAIL.search(cut[: end + 1]) or _abbreviation_at(cut, end)):
        # "… kriteerit. 2." ends on a list number, "vuokrataan n. 6500 m²" on an abbreviation: no sentence end.
        end = max(cut.rfind(". ", 0, end - 1), cut.rfind("! ", 0, end - 1), cut.rfind("? ", 0, end - 1))
    if end > limit // 2:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + " …"


def _abbreviation_at(text: str, end: int) -> bool:
    """The period at ``end`` closes an abbreviation ("n.", "esim.", "klo.")."""
    word = text[max(0, end - 8):end].rsplit(" ", 1)[-1].lower()
    return text[end] == "." and word in ABBREVIATIONS


def is_routine(item: AgendaItem) -> bool:
    return bool(ROUTINE_TITLE.search(item.title.strip()))


_ACCEPT = re.compile(r"hyväksy|mukaisesti|yksimielisesti|päätösehdotus|ehdotus", re.I)


#: Outcomes that are not the proposal: returned for preparation, tabled, rejected, lapsed.
_NOT_PROPOSAL = re.compile(r"palaut|pöydälle|hylk|hylä|rauke", re.IGNORECASE)


def is_formulaic(decision: str) -> bool:
    """True for decisions that only accept the proposal ("Hyväksyttiin yksimielisesti."); a decision that
    returns, tables or rejects it ("päätti yksimielisesti palauttaa asian valmisteluun") is its own."""
    # Where the item was handled, who presented or spoke: no decision.
    d = " ".join(s for s in sentences(decision[:MAX_SCAN_CHARS]) if not is_procedure(s))
    if not d:
        return True
    if _NOT_PROPOSAL.search(d):
        return False
    if FORMULAIC_DECISION.match(d):
        return True
    return len(d) < 110 and bool(_ACCEPT.search(d)) and bool(
        re.search(r"ehdotu|esityksen|yksimielisesti|hyväksyttiin\.?$|hyväksytään\.?$", d, re.I))


#: Sentences about the meeting's procedure, not the matter: who presented, who came or left, breaks,
#: the order of items. The one home of this rule (``evidence`` scores sentences with it too).
PROCEDURE_SENT = re.compile(
    r"\b(?:alusti|alustivat|esitteli|esittelivät|oli läsnä|olivat läsnä|poistui|poistuivat|saapui|saapuivat|"
    r"asiantuntijana|asiantuntijoina|kuultavana|käsiteltiin §|käsiteltiin ennen|käsiteltiin jälkeen|"
    r"käsitellään §|käsitellään ennen|käsitellään jälkeen|"
    r"keskustelun kuluessa|tämän pykälän aikana|pykälän käsittelyn ajan|äänestysluettelo|kokous keskeytettiin|"
    r"neuvottelutauko|pidettiin tauko|siirtyi käsittelemään|tarkastaa pöytäkirjan)\b"
    r"|puheenvuor",  # "käyttivät (ryhmä)puheenvuoron": who spoke, also inside a compound
    re.IGNORECASE,
)

#: A member's motion: "X ehdotti …", "X esitti, että …", "teki … poikkeavan/eriävän esityksen",
#: "vastaehdotuksen", "teki muutosehdotuksen".
MOTION = re.compile(r"\b(?:ehdotti|esitti)\b|poikkeavan|eriävän|vastaehdotu|\bteki\b[^.]{0,60}?ehdotuksen", re.IGNORECASE)


def is_procedure(sentence: str) -> bool:
    """A sentence about the meeting's procedure. A motion or a change made "keskustelun kuluessa" is the
    matter: who proposed what, and what changed, is what a vote or change question asks."""
    head = sentence[:MAX_SCAN_CHARS]
    return bool(PROCEDURE_SENT.search(head)) and not MOTION.search(head) and not CHANGED.search(head)


_ACCEPT_SENT = re.compile(
    r"hyväksyi\s+(?:[\w-]+\s+){0,6}?(?:ehdotuksen|esityksen|päätösehdotuksen)|^hyväksyttiin|"
    r"ehdotuksen mukaisesti|päätösehdotuksen mukaisesti|^päätösehdotus hyväksyttiin|^ehdotus hyväksyttiin|"
    r"hyväksytään\s+(?:\w+\s+){0,3}?ehdotus",
    re.IGNORECASE,
)
#: A decision that changed the proposal (the change is the news); one home, ``evidence`` uses it too.
#: The wordings are the ones the minutes use: "muutti ehdotustaan / esitystään / pohjaehdotustaan",
#: "hyväksyi muutetun ehdotuksen / esityksen", "muutettu pohjaehdotus".
CHANGED = re.compile(r"muutettuna|muutoksin|muutoksella|lisäyksin|lisäyksellä|poiketen|"
                     r"\bmuut(?:ti|etun|ettu)\s+(?:pohja|päätös)?(?:ehdotu|esity)", re.IGNORECASE)


#: How a decision that only accepted the proposal is said before the proposal's words.
ACCEPTED = "Ehdotus hyväksyttiin:"


def decision_summary(item: AgendaItem, limit: int = 420) -> str:
    """What the body decided, in its own words; with the proposal when the decision only accepts it.

    Procedure (who presented, who left) is dropped; a decision that changed the
    proposal ("siten muutettuna") is kept whole, since the change is the news.
    """
    if item.kind == "agenda" or not item.decision.strip():
        if item.proposal.strip():
            return "ehdotus: " + clip(item.proposal, limit)
        return clip(item.body_text, limit) or "ei päätöstekstiä"
    sents = sentences(prose(item.decision)) or sentences(item.decision)
    voted = _vote_outcome(item, sents, limit)
    if voted:
        return voted
    matter = [s for s in sents if not is_procedure(s)]
    accepts = [s for s in matter if _ACCEPT_SENT.search(s[:MAX_SCAN_CHARS])]
    changed = any(CHANGED.search(s[:MAX_SCAN_CHARS]) for s in matter)
    if accepts and item.proposal.strip() and not changed:
        # A sentence the decision restates from the proposal (a closing "Päätös ei merkitse sopimuksen
        # syntymistä …") is the proposal's: said once, in its place, after what the proposal decides.
        restated = {_same(x) for x in sentences(prose(item.proposal))}
        own = [s for s in matter if s not in accepts and _same(s) not in restated]
        if not own:
            # "X hyväksyi kaupunginjohtajan ehdotuksen keskustelun jälkeen." says only that: the room goes
            # to what the proposal says.
            return f"{ACCEPTED} {digest(item.proposal, limit)}"
        lead = " ".join(own + accepts[:1])
        return f"{clip(lead, limit // 2)} Ehdotus: {digest(item.proposal, limit)}"
    text = " ".join(matter) or " ".join(sents)
    if changed:
        return clip(text, limit * 2)
    if is_formulaic(text) and item.proposal.strip():
        return f"{text.rstrip('.')}. Ehdotus: {digest(item.proposal, limit)}"
    return clip(text, limit)


#: A vote's tally ("6 JAA-ääntä", "seitsemän (7) ääntä"): what follows it is the outcome.
_TALLY = re.compile(r"ääntä\b", re.IGNORECASE)
#: The outcome adopts a proposal; by the presenter (or the body preparing it) unless a member is named.
_ADOPTED = re.compile(r"hyväksy\w*\s+(?:[\w-]+\s+){0,4}?(?:ehdotuksen|esityksen)|päätökseksi\s+tul", re.IGNORECASE)
_PRESENTER = re.compile(r"(?:esittelijän|johtajan|lautakunnan|hallituksen|valtuuston)\s+(?:[\w-]+\s+){0,2}?(?:ehdotu|esity)"
                        r"|pohjaehdotu", re.IGNORECASE)


def _vote_outcome(item: AgendaItem, sents: list[str], limit: int) -> str | None:
    """For a decision made by a vote: the outcome (what follows the tally) with the proposal that won.

    The decision text of a vote tells the motions first ("X ehdotti, että koulu säilytetään"),
    then the tally, then the outcome ("… on äänin 6–3 hyväksynyt esittelijän ehdotuksen"):
    leading with the first sentences would present a motion that lost as the decision.
    """
    tally = max((i for i, t in enumerate(sents) if _TALLY.search(t[:MAX_SCAN_CHARS])), default=None)
    if tally is None:
        return None
    outcome = " ".join(t for t in sents[tally + 1:] if not is_procedure(t))
    if not outcome:
        return None
    head = outcome[:MAX_SCAN_CHARS]
    if not _ADOPTED.search(head):
        return clip(outcome, limit * 2)  # the outcome is the decision itself ("… päättää: 1. … 2. …")
    motion = next((i for i, t in enumerate(sents[:tally]) if MOTION.search(t[:MAX_SCAN_CHARS])), tally)
    change = next((i for i, t in enumerate(sents[:motion]) if CHANGED.search(t[:MAX_SCAN_CHARS])), None)
    if change is not None and re.search(r"muutet", head, re.IGNORECASE):
        return clip(f"{outcome} {' '.join(sents[change:motion])}", limit * 2)  # the changed proposal won
    if _PRESENTER.search(head) and item.proposal.strip():
        return f"{clip(outcome, limit // 2)} Ehdotus: {digest(item.proposal, limit)}"
    if motion < tally:
        return clip(f"{outcome} {sents[motion]}", limit * 2)  # a member's motion won: what it was
    return clip(outcome, limit)


#: A sum of money: a digit, then the unit after at most a few group separators. Only whether a
#: sentence names one is asked, so the last digit before the unit is the one to find: the same
#: answer as "\d[\d .]{0,24}…", without retrying each digit of a long run 25 characters on.
_AMOUNT = re.compile(r"\d[ .]{0,24}\s*(?:euro|€|milj)", re.IGNORECASE)
_EUROS = re.compile(r"\d[ .]{0,24}\s*(?:euro|€)", re.IGNORECASE)


#: A numbered clause of a decision ("1) käyttää …", "2. keskeyttää …"): each is a part of what is decided.
_CLAUSE = re.compile(r"^\s{0,3}(?:\d{1,2}|[a-h])[.)]\s")
#: Room below which a numbered clause that does not fit is left out rather than shortened.
_CLAUSE_MIN = 60
#: Where a proposal turns from what is decided to why ("Perustelut:", "Motivering:").
_REASONS = re.compile(r"^\s{0,3}(?:perustelu|perusteet\b|motivering)", re.IGNORECASE)


def prose(text: str) -> str:
    """``text`` without its table rows (lines with a cell separator, "a | b"): run into a sentence, a table's
    cells are unreadable, and a summary is no place for one (the evidence reads tables as rows)."""
    if "|" not in text:
        return text
    return "\n".join(ln for ln in text.splitlines() if "|" not in ln)


def _same(sentence: str) -> str:
    """A sentence as compared for repetition: case, spacing and the closing stop do not count."""
    return " ".join(sentence.lower().split()).rstrip(".")


def digest(text: str, limit: int = 420) -> str:
    """The opening of ``text``, its numbered clauses (those with an amount first), the sentences that
    state an amount, then others, within ``limit``; the reasoning after "Perustelut:" comes last, since
    it is not what was decided."""
    sents = sentences(prose(text))
    if len(" ".join(sents)) <= limit:
        return clip(" ".join(sents), limit)
    if not sents:
        return ""
    chosen = {0}
    size = len(sents[0])
    reasons = next((i for i in range(1, len(sents)) if _REASONS.match(sents[i])), len(sents))
    order: list[int] = []
    for part in (range(1, reasons), range(reasons, len(sents))):
        money = [i for i in part if _AMOUNT.search(sents[i][:MAX_SCAN_CHARS])]
        order += [i for i in money if _CLAUSE.match(sents[i])]
        order += [i for i in part if i not in order and _CLAUSE.match(sents[i])]
        order += [i for i in money if i not in order]
        order += [i for i in part if i not in order]
    for i in order:
        room = limit - size - 1
        if len(sents[i]) > room and _CLAUSE.match(sents[i]) and room >= _CLAUSE_MIN:
            sents[i] = clip(sents[i], room - 2)  # the clause's verb says what was decided; its tail may go
        if len(sents[i]) <= room:
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
    sents = [s for s in sentences(prose(item.body_text)) if not is_procedure(s) and "@" not in s]
    if not sents:
        return ""
    picked = sents[:2]
    picked += [s for s in sents[2:] if _EUROS.search(s[:MAX_SCAN_CHARS])][:2]
    return clip(" ".join(picked), limit)


def ensure_period(s: str) -> str:
    s = s.rstrip()
    # A quotation closed after its period ('… muodossa."') has its period already.
    return s if not s or s[-1] in ".!?…)" or s[-1] in "\"”»" and s[-2:-1] in (".", "!", "?") else s + "."
