"""Which items and sentences answer: the chosen items of a judged query and their sentences ranked by meaning.

``ground(Evidence, similarity)`` picks the primary item (the first that answers, items
naming the question's names first, for a vote question the one where the vote
happened) with the later or earlier steps of the same case, and scores every sentence
and table row of those items on:

* the e5 similarity of question and sentence (``similarity``: only a shortlist of
  sentences is embedded, in one batch — see ``SHORTLIST``),
* lexical overlap with the question's topic words,
* whether it holds a value of the asked type (``answer_type.matches``),
* whether it names the question's names,
* its role: this meeting's decision over the proposal over background; a decision
  that changed the proposal ("muutettuna") ranks above everything.

``compose`` reads ``Evidence.sentences``; without a similarity function (tests, no
embedder) the ranking is lexical.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.answer_type import AnswerType, Wanted, matches
from assistant.relevance import word_match
from assistant.text import MAX_SCAN_CHARS, sentences
from assistant.types import Evidence, Query, Relevance
from core.items import AgendaItem

#: Sentences embedded per question (the lexical shortlist); each costs a few ms on one CPU thread.
SHORTLIST = 12
#: Role priors (added to the score): what this meeting decided outranks what was proposed or told.
ROLE_WEIGHT = {"changed": 0.6, "decision": 0.35, "vote": 0.3, "proposal": 0.15, "earlier": 0.05,
               "background": 0.0}
#: Answer types that name a value; for the others every sentence "matches".
VALUE_TYPES = {AnswerType.AMOUNT, AnswerType.PERCENTAGE, AnswerType.PERSON, AnswerType.DATE, AnswerType.COUNT}

Similarity = Callable[[str, list[str]], list[float]]

_CHANGED = re.compile(r"muutettuna|muutoksin|muutoksella|lisäyksin|lisäyksellä|poiketen|muutti ehdotustaan", re.I)
_CONTACT = re.compile(r"@|\bpuh\.?\s*\d|\d{3} \d{4}")
_PROCEDURE = re.compile(
    r"\b(?:alusti|esitteli|oli läsnä|olivat läsnä|poistui|saapui|asiantuntijana|kuultavana|"
    r"keskustelun kuluessa|pykälän käsittelyn ajan|tarkastaa pöytäkirjan)\b", re.I)


@dataclass(frozen=True)
class Sentence:
    """One sentence (or table row) of a chosen item, with its role and score."""

    text: str
    item: AgendaItem
    role: str  # see ROLE_WEIGHT
    score: float = 0.0
    similarity: float | None = None
    typed: bool = False  # holds a value of the asked type


def choose(ev: Evidence) -> tuple[Relevance, list[AgendaItem]] | None:
    """The primary relevance and the items to quote from (primary first); ``None`` when none answers."""
    rel = list(ev.relevance)
    good = sorted((r for r in rel if r.answers), key=lambda r: -len(r.names_found))
    if not good:
        return None
    if ev.query.intent == "vote_or_change":
        good.sort(key=lambda r: not has_event(r.hit.item, ev.query))
    primary = good[0]
    related = [r.hit.item for r in rel[:8] if r is not primary and r.answers]
    return primary, [primary.hit.item] + same_case(primary.hit.item, related)


def same_case(item: AgendaItem, others: list[AgendaItem]) -> list[AgendaItem]:
    """Other items of the same case (e.g. board, then city board; plan, then contract)."""
    if not item.case_ids:
        return []
    case = item.case_ids[0].lower()
    out: OrderedDict[str, AgendaItem] = OrderedDict()
    for it in others:
        if it.item_id != item.item_id and case in {c.lower() for c in it.case_ids[:1]}:
            out.setdefault(it.item_id, it)
    return list(out.values())[:2]


def has_event(it: AgendaItem, q: Query) -> bool:
    """Whether the item records the procedural event a vote question asks about."""
    t = q.text.lower()
    if re.search(r"jääv|esteelli", t):
        return bool(it.disqualified)
    if re.search(r"pöydälle", t):
        return it.tabled
    if re.search(r"palaut", t):
        return it.returned
    if re.search(r"äänest", t):
        return bool(it.votes)
    return bool(it.votes or it.disqualified or it.tabled or it.returned)


def changed(item: AgendaItem) -> bool:
    """The decision changed the proposal (the change is the news)."""
    return bool(_CHANGED.search(item.decision[:MAX_SCAN_CHARS]))


def pool(item: AgendaItem) -> list[tuple[str, str]]:
    """``(sentence, role)`` of an item: decision, votes, proposal, description, earlier steps."""
    out: list[tuple[str, str]] = []
    if item.kind == "minutes" and item.decision.strip():
        role = "changed" if changed(item) else "decision"
        out += [(s, role) for s in units(item.decision)]
    if item.votes:
        out += [(s, "vote") for s in units(item.votes)]
    out += [(s, "proposal") for s in units(item.proposal)]
    out += [(s, "background") for s in units(item.body_text)]
    for h in item.history:
        out += [(s, "earlier") for s in units(h.decision or h.proposal)]
    return out


def units(text: str) -> list[str]:
    """Sentences, a sentence that introduces a list ("… toteaa seuraavaa:") joined with what it introduces."""
    out: list[str] = []
    for s in sentences(text):
        if out and out[-1].endswith(":") and len(out[-1]) + len(s) < 700:
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


def ground(ev: Evidence, similarity: Similarity | None = None) -> Evidence:
    """``ev`` with the chosen items and their ranked sentences (no-op when nothing answers)."""
    q = ev.query
    if ev.missing:
        return ev  # the answer is a refusal naming them
    picked = choose(ev)
    if picked is None:
        return replace(ev, sentences=())
    primary, items = picked
    if q.has_filters() and not ev.has_topic:
        similarity = None  # only filters: no question words to compare meaning with
    topic = ev.topic or tuple((tuple(w), tuple(w[:1]), 1.0) for w in primary.words)
    ranked = rank_sentences(q.keywords.strip() or q.text, items, topic, ev.names, ev.wanted, similarity)
    return replace(ev, chosen=tuple(items), sentences=tuple(ranked))


def rank_sentences(question: str, items: Sequence[AgendaItem], topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]],
                   names: Sequence[str], wanted: Wanted | None, similarity: Similarity | None) -> list[Sentence]:
    """Every usable sentence of ``items``, best first (see the module docstring for the score)."""
    from core.tokens import tokenize

    typed_q = wanted is not None and wanted.kind in VALUE_TYPES
    name_toks = [set(tokenize(n)) for n in names]
    seen: set[str] = set()
    cands: list[Sentence] = []
    for rank, it in enumerate(items):
        for text, role in pool(it):
            key = _key(text)
            if key in seen or len(text) < 15 or _CONTACT.search(text):
                continue
            seen.add(key)
            toks = set(tokenize(text[:MAX_SCAN_CHARS]))
            lex = overlap(topic, toks)
            typed = typed_q and matches(wanted, text[:MAX_SCAN_CHARS])
            named = bool(name_toks) and any(n & toks for n in name_toks)
            score = lex + (0.8 if typed else 0.0) + (0.4 if named else 0.0) + ROLE_WEIGHT[role]
            score -= 0.15 * rank + (0.5 if len(text) > 500 else 0.0)
            if _PROCEDURE.search(text[:MAX_SCAN_CHARS]):
                score -= 0.5  # who presented or left: procedure, rarely the matter (a vote question reads it anyway)
            cands.append(Sentence(text, it, role, score, None, typed))
    cands.sort(key=lambda s: -s.score)
    if similarity is None or not cands:
        return cands
    short = cands[:SHORTLIST]
    sims = similarity(question, [s.text for s in short])
    lo, hi = min(sims), max(sims)
    spread = (hi - lo) or 1.0
    # Meaning decides among the shortlist: similarity rescaled to 0–1 weighs like a full word match.
    rescored = [replace(s, score=s.score + (v - lo) / spread, similarity=v) for s, v in zip(short, sims, strict=True)]
    rescored.sort(key=lambda s: -s.score)
    return rescored + cands[SHORTLIST:]


def overlap(topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]], toks: set[str]) -> float:
    """IDF-weighted share of the question's topic words in a sentence (fallback tokens count in full)."""
    total = sum(w for _f, _g, w in topic)
    if not total:
        return 0.0
    got = sum(w * (1.0 if any(t in toks for t in group) else word_match(forms, toks)) for forms, group, w in topic)
    return got / total


def _key(text: str) -> str:
    return " ".join(text.lower().split())[:120]
