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

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.answer_type import AnswerType, Wanted, anchor_of, value_at
from assistant.contenders import choose, contenders, has_event, latest, same_case
from assistant.features import question_years, years_in
from assistant.lexicon import names_in
from assistant.lines import REPEAT_SHARE
from assistant.relevance import overlap, word_match
from assistant.text import CHANGED, MAX_SCAN_CHARS, is_formulaic, is_procedure
from assistant.types import Evidence, Relevance
from assistant.units import listed_units
from core.items import AgendaItem
from core.sentences import sentences
from core.tokens import tokenize

#: Sentences embedded per question (the lexical shortlist), and the characters of each that are embedded:
#: e5-small costs ~5 ms per 200-character sentence on one idle CPU thread, several times that under load
#: (measured: 12 × 400 chars 990 ms, 6 × 160 chars 240 ms on the shared 2-core machine).
SHORTLIST = 4
EMBED_CHARS = 160
#: Lexical lead that needs no second opinion: the shortlist is embedded only when the best
#: sentences are closer than this.
DECISIVE_LEAD = 0.5
#: Role priors (added to the score): what this meeting decided outranks what was proposed or told.
ROLE_WEIGHT = {"changed": 0.6, "decision": 0.35, "vote": 0.3, "proposal": 0.15, "earlier": 0.05,
               "background": 0.0, "note": 0.0}
#: Answer types that name a value; for the others every sentence "matches".
VALUE_TYPES = {AnswerType.AMOUNT, AnswerType.PERCENTAGE, AnswerType.PERSON, AnswerType.DATE, AnswerType.COUNT}
#: Answer types a sentence is marked ``typed`` for: the values, and a reason ("koska …") for "miksi".
TYPED_KINDS = VALUE_TYPES | {AnswerType.REASON}

Similarity = Callable[[str, list[str]], list[float]]

#: A person's name: two capitalised words, not at the sentence start (a role alone does not answer "kuka").
_CONTACT = re.compile(r"@|\bpuh\.?\s*\d|\d{3} \d{4}")
#: A list of attachments run into one sentence ("Oheismateriaali 1 Hakemus 2 Kartta …"): names, not content.
_ATTACHMENTS = re.compile(r"^\s{0,3}(?:liitteet|liite|oheismateriaali\w{0,2})\s{0,3}:?\s{0,3}\d", re.IGNORECASE)


@dataclass(frozen=True)
class SentenceFeatures:
    """What is measured of one sentence: overlap with the question's topic words, the item title's
    overlap, a value of the asked type, the question's names, its role, the item's place among the
    contenders, length over 500 characters, procedure, years named none of which the question asks, and
    for a background sentence its place in the description (``late``: 0 first … 1 last). A description
    tells what was asked or applied for first and what the preparer found last ("Valtuustoaloitteessa
    esitetään …" … "Koska veroetu poistuu, käyttöönotto ei ole tarkoituksenmukaista."): the request
    repeats the question's words, the finding answers it."""

    lexical: float
    title: float
    typed: float
    named: float
    role: str
    item_rank: float
    long: float
    procedure: float
    other_year: float
    late: float = 0.0


@dataclass(frozen=True)
class Sentence:
    """One sentence (or table row) of a chosen item, with its role and score."""

    text: str
    item: AgendaItem
    role: str  # see ROLE_WEIGHT
    score: float = 0.0
    similarity: float | None = None
    typed: bool = False  # holds a value of the asked type
    value: int = 0  # where the value starts (character offset), when typed
    features: SentenceFeatures | None = None
    #: The list this unit is an entry of (a table's rows, a numbered or bulleted run), and its place in
    #: the item: a question asking for several things is answered by the whole list, in its order.
    run: tuple[str, int] | None = None
    order: int = 0
    focus: float = 0.0  # see ``_focused``


#: Weight of a background sentence's place in the description (0 first … 1 last, see ``SentenceFeatures``).
#: Fitted on the tuning sets (0.1–0.4 tried; 0.3 answered the most, and no unseen figure fell).
LATE_WEIGHT = 0.3
#: Weight of the item title's overlap with the question, added to each of its sentences.
TITLE_WEIGHT = 0.5
#: Score lost by a sentence whose years are all other than the question's (see ``_other_year``).
OTHER_YEAR_PENALTY = 0.5
#: Answering items whose sentences compete for the lead (retrieval order breaks ties through RANK_PENALTY).
CONTENDERS = 3
#: Score lost per place in the retrieval order: a lower-ranked item must have a clearly better sentence.
RANK_PENALTY = 0.25


def changed(item: AgendaItem) -> bool:
    """The decision changed the proposal (the change is the news)."""
    return bool(CHANGED.search(item.decision[:MAX_SCAN_CHARS]))


def adopted_as_proposed(item: AgendaItem) -> bool:
    """This meeting's decision only accepts the proposal ("Ehdotus hyväksyttiin.", wholly formulaic): the
    proposal's words are what was decided, and its sentences weigh as the decision's."""
    return item.kind == "minutes" and bool(item.decision.strip()) and is_formulaic(item.decision) and not changed(item)


#: Characters of a decision read for its opening sentence (``opens_by_adopting``).
OPENING_CHARS = 200


def opens_by_adopting(item: AgendaItem) -> bool:
    """The decision opens by accepting the proposal as it stands ("Lautakunta hyväksyi ehdotuksen.", then who
    was present): a list the proposal prints is what was decided. Looser than ``adopted_as_proposed``, which
    weighs every proposal sentence as decided; measured, using this rule there too lost a tuning answer."""
    first = sentences(item.decision[:OPENING_CHARS])[:1]
    return bool(first) and is_formulaic(first[0]) and not changed(item)


def pool(item: AgendaItem) -> list[tuple[str, str]]:
    """``(sentence, role)`` of an item: decision, votes, proposal, description, earlier steps."""
    return [(text, role) for text, role, _run in pool_runs(item)]


def pool_runs(item: AgendaItem) -> list[tuple[str, str, tuple[str, int] | None]]:
    """``pool(item)`` with the list each unit is an entry of (see ``listed_units``)."""
    parts: list[tuple[str, str]] = []
    if item.kind == "minutes" and item.decision.strip():
        parts.append((item.decision, "changed" if changed(item) else "decision"))
    if item.votes:
        parts.append((item.votes, "vote"))
    parts += [(item.proposal, "proposal"), (item.body_text, "background")]
    parts += [(h.decision or h.proposal, "earlier") for h in item.history]
    parts += [(n, "note") for n in item.notes]
    out: list[tuple[str, str, tuple[str, int] | None]] = []
    for k, (text, role) in enumerate(parts):
        out += [(u, role, None if r is None else (f"{item.item_id}:{k}", r)) for u, r in listed_units(text)]
    return out


#: A short line still worth reading: a table row with a figure ("v. 2024, 98.").
_FIGURE_ROW = re.compile(r"\d\d")
#: A figure the question names: a year or a number of its own (not inside a case ID or a date).
_QUESTION_FIGURE = re.compile(r"(?<![\d.,/-])\d{2,4}(?![\d.,/-]\d)")


def ground(ev: Evidence, similarity: Similarity | None = None) -> Evidence:
    """``ev`` with the chosen items and their ranked sentences (no-op when nothing answers)."""
    q = ev.query
    if ev.missing:
        return ev  # the answer is a refusal naming them
    good = contenders(ev)
    if not good:
        return replace(ev, sentences=())
    if q.has_filters() and not ev.has_topic:
        similarity = None  # only filters: no question words to compare meaning with
    topic, text, field = topic_of(ev, good), q.search_text(), contest(ev, good)
    years = question_years(q.text)
    # Meaning is compared with the question as dense search embedded it (its vector is cached).
    lead = rank_sentences(q.meaning_text(), field, topic, ev.names, ev.wanted, similarity, years=years)
    typed = [s for s in lead if s.typed]
    picked = choose(ev, (typed or lead)[0].item if lead else None)
    _primary, items = picked or (good[0], [good[0].hit.item])
    keep = {it.item_id for it in items}
    ranked = [s for s in lead if s.item.item_id in keep]
    missing = [it for it in items if it not in field]
    if missing:
        ranked = sorted(ranked + rank_sentences(text, missing, topic, ev.names, ev.wanted, None, years=years),
                        key=lambda s: -s.score)
    return replace(ev, chosen=tuple(items), sentences=tuple(_focused(ranked, topic)))


def _focused(ranked: list[Sentence], topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]]) -> list[Sentence]:
    """``ranked`` with each sentence's ``focus``: its share of the question's words, each weighted also by
    how few of these sentences hold it. Words every sentence of the item repeats (the matter's name) say
    which item; the rare ones ("palauttaa", "kannattaa") say which of its sentences answers."""
    if not topic or len(ranked) < 3:
        return ranked
    hits = [held(topic, s.text) for s in ranked]
    n = len(ranked)
    holding = [sum(1 for h in hits if h[j] >= 0.5) for j in range(len(topic))]
    weights = [w * math.log((n + 1) / (d + 0.5)) if d else 0.0 for (_f, _g, w), d in zip(topic, holding, strict=True)]
    total = sum(weights) or 1.0
    return [replace(s, focus=sum(w * x for w, x in zip(weights, h, strict=True)) / total)
            for s, h in zip(ranked, hits, strict=True)]


def held(topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]], text: str) -> list[float]:
    """How well ``text`` holds each of the question's topic words (0–1, see ``word_match``)."""
    toks = set(tokenize(text[:MAX_SCAN_CHARS]))
    return [word_match(forms, toks) for forms, _group, _w in topic]


def topic_of(ev: Evidence, good: list[Relevance]) -> tuple[tuple[tuple[str, ...], tuple[str, ...], float], ...]:
    """The question's topic words as sentences are scored on them (the first contender's words, unweighted,
    when the judgement had none), plus the figures the question names: a year or a number used as a
    filter is no topic word, yet the sentence that repeats it ("v. 2024, 98.") is the one asked about."""
    topic = ev.topic or (tuple((tuple(w), tuple(w[:1]), 1.0) for w in good[0].words) if good else ())
    if ev.query.refers_back:
        # "Entä kuka allekirjoittaa sen sopimuksen?": the carried subject found the item; the follow-up's
        # own words say which of its sentences answers.
        own = set(tokenize(ev.query.text))
        topic = tuple(t for t in topic if set(t[1]) & own) or topic
    have = {t for _f, group, _w in topic for t in group}
    weight = max((w for _f, _g, w in topic), default=1.0)
    figures = [n for n in dict.fromkeys(_QUESTION_FIGURE.findall(ev.query.text)) if n not in have]
    return tuple(topic) + tuple(((n,), (n,), weight) for n in figures)


def contest(ev: Evidence, good: list[Relevance]) -> list[AgendaItem]:
    """The items whose sentences compete for the lead (the item holding the best one leads): the leading
    contenders that name as many of the asked names as the first, and the first one's other steps.
    Where the vote happened, the newest item when the latest is asked for, or the item a follow-up points
    back to, there is no contest."""
    settled = latest(ev) or (ev.query.intent == "vote_or_change" and has_event(good[0].hit.item, ev.query))
    referred = next((r for r in good if r.hit.item.item_id == ev.query.refers_to), None)
    if referred is not None:
        # "Entä kuka allekirjoittaa sen sopimuksen?": the item the previous answer was about, uncontested.
        good, settled = [referred], True
    named = len(good[0].names_found)  # an item naming the asked names beats a better sentence elsewhere
    field = [r.hit.item for r in good[:1 if settled else CONTENDERS] if len(r.names_found) == named]
    others = [r.hit.item for r in ev.relevance[:8] if r.hit.item not in field] + list(ev.candidates.steps)
    return field + ([] if settled else same_case(field[0], others))


def rank_sentences(question: str, items: Sequence[AgendaItem], topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]],
                   names: Sequence[str], wanted: Wanted | None, similarity: Similarity | None, *,
                   years: frozenset[str] = frozenset()) -> list[Sentence]:
    """Every usable sentence of ``items``, best first (see the module docstring for the score)."""
    cands = [replace(c, score=_score(c.features)) for c in sentence_candidates(items, topic, names, wanted, years=years)]
    cands.sort(key=lambda s: -s.score)
    if similarity is None or not cands:
        return cands
    short = cands[:SHORTLIST]
    if len(short) < 2 or short[0].score - short[1].score >= DECISIVE_LEAD:
        return cands
    sims = similarity(question, [s.text[:EMBED_CHARS] for s in short])
    lo, hi = min(sims), max(sims)
    spread = (hi - lo) or 1.0
    # Meaning decides among the shortlist: similarity rescaled to 0–1 weighs like a full word match.
    rescored = [replace(s, score=s.score + (v - lo) / spread, similarity=v) for s, v in zip(short, sims, strict=True)]
    rescored.sort(key=lambda s: -s.score)
    return rescored + cands[SHORTLIST:]


def sentence_candidates(items: Sequence[AgendaItem], topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]],
                        names: Sequence[str], wanted: Wanted | None, *,
                        years: frozenset[str] = frozenset()) -> list[Sentence]:
    """Every usable sentence and table row of ``items`` (in item order) with its features, unscored."""
    typed_q = wanted is not None and wanted.kind in TYPED_KINDS
    name_toks = {t for n in names for t in tokenize(n)}
    seen: set[str] = set()
    cands: list[Sentence] = []
    for rank, it in enumerate(items):
        # The title says what the item is about: its overlap with the question counts for every sentence.
        about = overlap(topic, set(tokenize(it.title))) if topic else 0.0
        decided: list[set[str]] = []  # the decision's sentences come first in the pool
        # A decision that only accepted the proposal ("Ehdotus hyväksyttiin.") makes the proposal's words
        # this meeting's decision: they weigh as the decision, though they are still shown as quoted.
        adopted = adopted_as_proposed(it)
        units = pool_runs(it)
        background = [k for k, (_t, role, _r) in enumerate(units) if role == "background"]
        place = {k: i / max(1, len(background) - 1) for i, k in enumerate(background)}
        for order, (text, role, run) in enumerate(units):
            key = _key(text)
            if key in seen or (len(text) < 15 and not _FIGURE_ROW.search(text)) or _CONTACT.search(text) \
                    or _ATTACHMENTS.match(text) or text.rstrip().endswith(":"):
                continue  # … and a sentence that only introduces a table ("… seuraavasti:"): its rows follow
            seen.add(key)
            toks = set(tokenize(text[:MAX_SCAN_CHARS]))
            if role in ("decision", "changed"):
                decided.append(toks)
            elif role == "proposal" and toks and any(len(toks & d) >= REPEAT_SHARE * len(toks) for d in decided):
                continue  # the decision says it (as made, with any change): the proposal would say it twice
            head = text[:MAX_SCAN_CHARS]
            typed, value = value_at(wanted, head, anchor_of(head, toks, topic, name_toks)) if typed_q else (False, 0)
            named = names_in(toks, names)
            weighed = "decision" if role == "proposal" and adopted else role
            f = SentenceFeatures(overlap(topic, toks), about, float(typed), float(named), weighed, float(rank),
                                 float(len(text) > 500), float(is_procedure(text)), _other_year(years, head),
                                 place.get(order, 0.0))
            cands.append(Sentence(text, it, role, 0.0, None, typed, value, f, run, order))
    return cands


def _other_year(years: frozenset[str], text: str) -> float:
    """1.0 when the question names years and the sentence names years, none of them asked for: the
    figures of 2026 do not answer a question about 2027 (a sentence naming no year may)."""
    if not years:
        return 0.0
    named = years_in(text)
    return float(bool(named) and not named & years)


def _score(f: SentenceFeatures) -> float:
    """Words, title, type, names and role, less the item's place, length and procedure (who presented
    or left is rarely the matter; a vote question reads it anyway)."""
    score = f.lexical + TITLE_WEIGHT * f.title + 0.8 * f.typed + 0.4 * f.named + ROLE_WEIGHT[f.role]
    score += LATE_WEIGHT * f.late
    return score - RANK_PENALTY * f.item_rank - 0.5 * f.long - 0.5 * f.procedure - OTHER_YEAR_PENALTY * f.other_year


def _key(text: str) -> str:
    """The same sentence met twice (in the proposal and in the decision). Its start and end: rows
    that share a long first clause ("… seuraavasti: 2024, 98.") are different lines."""
    t = " ".join(text.lower().split())
    return t[:120] + "…" + t[120:][-60:]
