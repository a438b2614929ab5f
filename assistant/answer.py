"""Grounded answer composer (no LLM): every sentence is taken from, and cites, a retrieved item.

The answer leads with the answer: for a fact question the sentence that holds the
asked value (amount, name, date …), for a decision question what the body decided,
for a vote question the vote or the change; then at most two supporting lines (a third only for a
part of the question that no line answers yet, within the length budget). No
sentence appears twice, a proposal is labelled as one, and only quoted items are
cited. Sentences come ranked from ``assistant.evidence`` (meaning, words, answer type,
names, role). Date and list questions get one line per item. Nothing is cited that
was not retrieved.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant import prompts
from assistant.answer_type import AnswerType, Wanted, asks_for_several, matches
from assistant.contenders import asks_disqualification
from assistant.evidence import VALUE_TYPES, Sentence, changed, ground, held
from assistant.lexicon import names_in
from assistant.lines import Lines, mark
from assistant.listing import MAX_LISTED, list_entries, meeting_list
from assistant.motions import follow_with_fate
from assistant.refusal import no_meeting, refuse, refuse_names
from assistant.role_answer import role_answer
from assistant.steps import as_decided, final_step
from assistant.text import (
    MAX_SCAN_CHARS,
    MOTION,
    background,
    clip,
    decision_summary,
    ensure_period,
    is_formulaic,
    is_routine,
    sentences,
)
from assistant.types import Answer, Citation, Evidence, Query
from assistant.units import unbullet
from core.items import AgendaItem, fi_date
from core.tokens import tokenize

logger = logging.getLogger(__name__)

MAX_TOPIC_LIST = 8
#: Supporting lines after the leading one.
MAX_SUPPORT = 2
#: A line beyond MAX_SUPPORT, added only when it holds question words that no line shows yet (a part of
#: the question still unanswered) and the answer stays within ANSWER_CHARS.
EXTRA_SUPPORT = 1
#: Characters of a decision summary in the leading line, and of a supporting quote. The lead has room
#: for a decision's numbered clauses (a second contractor, a second sum); the whole answer stays
#: within ANSWER_CHARS, so supporting lines give way (median length unchanged at 320 → 400).
LEAD_CHARS = 400
SUPPORT_CHARS = 240
LOOKUP_CHARS = 700
#: Characters of an item's title in a decision line: a plan's title runs to 200 ("Asemakaavan muutos / 10.
#: Siirilän kaupunginosa / kortteli …"), and the citation label names the item anyway (no gold answer's
#: accuracy changed; heldout4's median answer 588 → 580 characters).
TITLE_CHARS = 100
#: Supporting lines are added while the answer stays within this many characters (issue 10's concise
#: answer); only a line holding the asked value, when none is shown yet, goes over it.
ANSWER_CHARS = 700
#: Weight of a supporting sentence's question words that no line shows yet (see ``_support``); 0.5 and 1.0
#: chose the same lines on every tuning set, 0.25 too few to change any.
NOVELTY_WEIGHT = 0.5
Topic = Sequence[tuple[tuple[str, ...], tuple[str, ...], float]]
#: Best-ranked sentences among which the lead must hold a value of the asked type.
LEAD_WINDOW = 3
_VOTE_CUES = re.compile(r"äänest|jaa-|ei-|jaa |esteelli|jääv|poistui|muutos|muuttaa|muutettiin|pöydälle|palaut|"
                        r"vastaehdot|eriävä|poikkeava|ehdotti|kannatt|ehdotuksen mukaisesti|muutoksin", re.IGNORECASE)
#: "Äänestys hyväksyttiin." and the like: how the vote was run, not what was voted on.
_VOTE_PROCEDURE = re.compile(r"^\s{0,5}(?:äänestys|äänestysjärjestys|äänestystapa)\w{0,12}\s{1,5}hyväksyttiin\.?\s{0,5}$",
                             re.IGNORECASE)
# (?<!\d): a digit run is tried once from its start, so a long run stays linear.
_VOTE_COUNT = re.compile(r"(?<!\d)\d+\s*(?:jaa|ei|tyhjää)|(?:jaa|ei)-?\s*ään", re.IGNORECASE)


def compose(ev: Evidence) -> Answer:
    """Write the Finnish answer from the evidence only (no store access)."""
    q = ev.query
    # The later steps retrieval followed a matter to are retrieved items too (ranked after the hits).
    ranked = [h.item for h in ev.candidates.hits]
    seen = {it.item_id for it in ranked}
    retrieved = [Citation.from_item(it) for it in ranked + [s for s in ev.candidates.steps if s.item_id not in seen]]
    if q.other_bodies and not (q.bodies or q.case_ids or q.sections):
        # "Mitä Seinäjoen kaupunginvaltuusto päätti?": this store's council is another body (a question
        # naming one of the store's bodies too asks what that body said of the other).
        shown = ", ".join(f"”{b}”" for b in q.other_bodies)
        return Answer(prompts.render("refuse_other_body_fi", bodies=shown), True, [], retrieved, q)
    if q.has_filters() and not ev.candidates.listing:
        return no_meeting(q, ev.candidates.nearest, retrieved)
    if q.intent in ("case_lookup", "section_lookup") and any("exact" in h.via for h in ev.hits):
        exact = [h.item for h in ev.hits if "exact" in h.via]
        if len(exact) > 1:
            return _steps(q, exact, retrieved)
        return _decisions(q, ground(_only(ev, exact)), retrieved)
    if ev.wanted is not None and ev.wanted.kind is AnswerType.PERSON:
        role = role_answer(q, ev, retrieved, quote_chars=SUPPORT_CHARS)
        if role is not None:
            return role
    if (q.intent == "date_scoped" or q.date_from or q.date_to) and q.has_filters() and not ev.has_topic:
        items = [it for it in ev.candidates.listing if not is_routine(it)]
        if items:
            return meeting_list(q, _dedupe_agenda(items), retrieved)
    if ev.missing:
        # A named company, school or person that no candidate mentions: answering from the
        # others would answer about someone else.
        return refuse_names(q, ev.missing, retrieved)
    if ev.unknown and not any("exact" in h.via for h in ev.hits):
        return refuse(q, retrieved, ev)  # the question is about something the minutes never mention
    if ev.sentences is None:
        ev = ground(ev)
    if not ev.chosen:
        return refuse(q, retrieved, ev)
    good = [r for r in ev.relevance if r.answers]
    wanted = ev.wanted
    if q.intent == "date_scoped":
        extra = [r.hit.item for r in good if r.hit.item not in ev.chosen][:MAX_LISTED]
        return meeting_list(q, list(ev.chosen) + extra, retrieved)
    if asks_for_several(wanted) and q.intent != "vote_or_change" and wanted.kind not in VALUE_TYPES:
        # "Mitä ympäristölupia on käsitelty?" asks for every matching item, not the best one: those
        # judged to answer (with their siblings, ``assistant.siblings``) and those that cover the question's
        # words as fully as any candidate does; an item that only shares as few words as a weakly covering
        # answer is no match when others hold more of them.
        top = max(r.coverage for r in ev.relevance)
        alike = [r for r in ev.relevance if r.answers or (r.coverage >= top and r.coverage > 0)]
        many = list(ev.chosen) + [r.hit.item for r in alike[:MAX_TOPIC_LIST] if r.hit.item not in ev.chosen]
        if len(many) > 1:
            return meeting_list(q, many, retrieved, intro=prompts.render("topic_intro_fi"), steps=True)
    if q.intent == "vote_or_change":
        return _votes(q, ev, retrieved)
    if wanted is not None and wanted.kind is AnswerType.YES_NO:
        return _decisions(q, ev, retrieved)  # what was decided says yes or no
    if q.intent == "fact" or (wanted is not None and wanted.kind in VALUE_TYPES):
        return _facts(q, ev, retrieved)
    return _decisions(q, ev, retrieved)


def _only(ev: Evidence, items: list[AgendaItem]) -> Evidence:
    """``ev`` judged to answer with exactly ``items`` (exact lookups by case ID or §)."""
    keep = {it.item_id for it in items}
    rel = tuple(r for r in ev.relevance if r.hit.item.item_id in keep)
    if not rel:
        from assistant.types import Hit, Relevance

        rel = tuple(Relevance(Hit(it, 1.0, ("exact",)), 1.0, True) for it in items)
    return replace(ev, relevance=rel, sentences=None, chosen=(), missing=())


def _dedupe_agenda(items: list[AgendaItem]) -> list[AgendaItem]:
    minutes = {(i.municipality, i.body, i.date, i.section) for i in items if i.kind == "minutes"}
    return [i for i in items if i.kind == "minutes" or (i.municipality, i.body, i.date, i.section) not in minutes]


def _decision_line(it: AgendaItem, ref: Callable[[AgendaItem], str], limit: int = LEAD_CHARS) -> tuple[str, str]:
    """``(line, summary)``: what the body decided, or for an agenda item what is proposed."""
    cit = ref(it)
    if it.kind == "agenda" or not it.decision.strip():
        summary = clip(it.proposal or it.body_text, limit)
        return prompts.render("agenda_fi", title=it.title, proposal=summary, citation=cit), summary
    summary = ensure_period(decision_summary(it, limit))
    return prompts.render("decision_fi", body=it.body, date=fi_date(it.date), title=clip(it.title, TITLE_CHARS),
                          summary=summary, citation=cit), summary


def _quote(s: Sentence, ref: Callable[[AgendaItem], str], *, lead: bool = False) -> str:
    """One ranked sentence as a line, labelled by its role: a proposal is never shown as a decision, and
    a leading proposal made by another body, which this body's decision only accepted, says that this
    body adopted it."""
    it = s.item
    raw = unbullet(s.text)
    value = s.value - (len(s.text) - len(raw))
    text = ensure_period(around_value(raw, SUPPORT_CHARS * 2, value) if s.typed else clip(raw, SUPPORT_CHARS))
    cit = ref(it)
    if s.role == "proposal" and (it.kind == "agenda" or not it.decision.strip() or changed(it)):
        return prompts.render("proposal_fi", quote=text, citation=cit)
    if lead and s.role == "proposal" and is_formulaic(it.decision) and _another_body(text, it.body):
        # "Kaupunginhallitus esittää …" quoted from the council's item: the council adopted it.
        return prompts.render("adopted_fi", body=it.body, date=fi_date(it.date), quote=text, citation=cit)
    if s.role == "earlier" and it.history:
        return prompts.render("history_fi", label=it.history[-1].label(), summary=text, citation=cit)
    return prompts.render("fact_fi", quote=text, citation=cit)


#: A sentence that opens with a body as its subject ("Kaupunginhallitus esittää …").
_BODY_SUBJECT = re.compile(r"^[\w-]{0,30}(?:hallitus|lautakunta|valtuusto|jaosto|toimikunta)\b", re.IGNORECASE)


def _another_body(text: str, body: str) -> bool:
    """``text`` opens with a body other than ``body`` as its subject (a proposal made to ``body``)."""
    return bool(_BODY_SUBJECT.match(text)) and not text.lower().startswith(body.lower())


def around_value(text: str, limit: int, value: int) -> str:
    """``text`` shortened to ``limit`` characters so that the asked value (at ``value``) stays in."""
    text = " ".join(text.split())
    if len(text) <= limit or value < limit // 2:
        return clip(text, limit)
    # A third of the window before the value: what it is (the school, fee or firm it belongs to).
    start = text.rfind(" ", 0, max(0, value - limit // 3)) + 1
    return "… " + clip(text[start:], limit)


def _support(out: Lines, ranked: Sequence[Sentence], *, room: int, need_words: bool = True,
             topic: Topic = (), group: Callable[[Sentence], tuple[bool, ...]] = lambda _s: ()) -> None:
    """Add up to ``room`` of the best sentences not yet said (only ones that touch the question), then
    up to ``EXTRA_SUPPORT`` more that hold question words no line shows yet.

    ``group`` orders the candidates first (a fact answer's values, then the asked entity's sentences).
    Within a group, with ``topic``, each pick weighs its score and the question words it holds that no
    line shows yet (``_novelty``): a second part of the question ("… ja ketkä kannattivat?") outranks a
    third sentence on the part the lead answered already."""
    left = sorted(ranked, key=group)  # stable: the caller's order within each group
    extra = EXTRA_SUPPORT if topic else 0
    while (room > 0 or extra > 0) and left:
        s = _pick(left, group, topic, out) if topic else left[0]
        left.remove(s)
        if out.says(s.text, s.item) or (need_words and (s.score < 0.5 and not s.typed or _procedure(s))):
            continue  # procedure (who was present, breaks) answers only a vote question, which needs no words
        if room <= 0:
            extra -= 1
            if _novelty(topic, s.text, held(topic, " ".join(out.texts))) <= 0:
                continue  # an extra line only for a part of the question that no line answers yet
        # Measured with a copy of the cited list: ``out.ref`` registers an item as cited, and a line
        # that does not fit must leave no citation behind.
        if out.length() + len(_quote(s, lambda it: mark(it, list(out.items)))) > ANSWER_CHARS \
                and not (s.typed and not out.typed):
            return  # concise: the best lines are said; a value not yet shown may still follow
        out.add(_quote(s, out.ref), s.item, s.text, typed=s.typed)
        room -= 1


def _pick(left: list[Sentence], group: Callable[[Sentence], tuple[bool, ...]], topic: Topic, out: Lines) -> Sentence:
    """The first group's best sentence by score plus novelty. Only those within NOVELTY_WEIGHT of the
    group's best score can win, so only they are read for the question's words."""
    first = group(left[0])
    head = [s for s in left if group(s) == first]
    top = max(s.score for s in head)
    near = [s for s in head if s.score >= top - NOVELTY_WEIGHT]
    shown = held(topic, " ".join(out.texts))
    return max(near, key=lambda s: s.score + NOVELTY_WEIGHT * _novelty(topic, s.text, shown))


def _novelty(topic: Topic, text: str, shown: list[float]) -> float:
    """IDF-weighted share of the question's words that ``text`` holds beyond what the lines show."""
    total = sum(w for _f, _g, w in topic) or 1.0
    return sum(w * max(0.0, h - s) for (_f, _g, w), h, s in zip(topic, held(topic, text), shown, strict=True)) / total


def _decisions(q: Query, ev: Evidence, retrieved: list[Citation]) -> Answer:
    """What was decided (first line), then at most two sentences that answer the question's own words
    (without own words, e.g. "what is case X about": what the matter is)."""
    out = Lines()
    primary = final_step(q, ev.chosen)
    room = MAX_SUPPORT
    # Without words of its own ("what was decided in case X?") the decision is the whole answer.
    limit = LEAD_CHARS if ev.topic else LOOKUP_CHARS
    named = _naming(ev, primary, _decision_line(primary, lambda _it: "", limit)[1])
    if named is not None:
        # "Mitä urakoita Kreate Oy on tehnyt?": what the item says of the asked company comes first,
        # then the decision (which may be about another one, e.g. the firm that won).
        out.add(_quote(named, out.ref), primary, named.text)
        room -= 1
    line, summary = _decision_line(primary, out.ref, limit)
    out.add(line, primary, summary)
    note = _notes(primary, summary, disqualified=asks_disqualification(q))
    if note and not out.says(note, primary):
        out.add(f"{note} {out.ref(primary)}", primary)
        room -= 1
    said = len(out.lines)
    # A list asked for is the list; otherwise the sentences that answer the question's own words.
    if not list_entries(out, ev, primary, LEAD_WINDOW) and ev.topic:
        shown = any(_figure(t) for t in out.texts)
        why = ev.wanted is not None and ev.wanted.kind is AnswerType.REASON
        # "Miksi …?": the sentences giving grounds first; otherwise what the decision costs or sets.
        _support(out, ev.sentences or (), room=room, topic=ev.topic,
                 group=lambda s: (not s.typed,) if why else (shown or not (s.item is primary and _figure(s.text)),))
    if len(out.lines) == said:
        # Nothing touched the question's own words: say what the matter is about.
        about = background(primary, SUPPORT_CHARS)
        if about and not out.says(about, primary) and out.length() + len(about) <= ANSWER_CHARS:
            out.add(prompts.render("fact_fi", quote=ensure_period(about), citation=out.ref(primary)), primary, about)
    _other_parts(out, ev)
    _motion_fate(out, ev.topic)
    if re.search(r"pykäl", q.text, re.I):
        out.add(prompts.render("section_fi", section=primary.section, citation=out.ref(primary)), primary)
    return out.answer(q, retrieved)


_SUM_OR_SHARE = Wanted(AnswerType.AMOUNT, quantity=True)


def _figure(text: str) -> bool:
    """A sum or a share: what a decision costs, grants or sets (a quantity, as ``answer_type`` reads one)."""
    return matches(_SUM_OR_SHARE, text[:MAX_SCAN_CHARS])


def _steps(q: Query, items: list[AgendaItem], retrieved: list[Citation]) -> Answer:
    """Every handling of one case (or every § asked for), in date order: what each body decided."""
    out = Lines()
    for it in sorted(items, key=lambda i: (i.date, i.section)):
        line, summary = _decision_line(it, out.ref, SUPPORT_CHARS)
        out.add(line, it, summary)
        note = _notes(it, summary, disqualified=asks_disqualification(q))
        if note:
            out.add(f"{note} {out.ref(it)}", it)
    return out.answer(q, retrieved)


def _facts(q: Query, ev: Evidence, retrieved: list[Citation]) -> Answer:
    """The sentence holding the asked value first, then the decision it belongs to."""
    ranked = list(ev.sentences or ())
    if ev.names and any(_names_it(s) for s in ranked):
        ranked = [s for s in ranked if _names_it(s)] + [s for s in ranked if not _names_it(s)]  # the asked entity's
    # The best sentence that holds the asked value, unless a clearly better one has none.
    # A follow-up about the item just answered asks a new thing of it: a value in a sentence holding none of
    # its own words ("Neste Markkinointi Oy: Hinta …" for "Entä kuka allekirjoittaa sen sopimuksen?") answers
    # the previous question, when the best sentence holds some.
    worded = q.refers_back and bool(ranked) and ranked[0].features.lexical > 0
    typed = [s for s in ranked[:LEAD_WINDOW] if s.typed and (s.features.lexical > 0 or not worded)]
    lead = (typed or ranked or [None])[0]
    if lead is None:
        return _decisions(q, ev, retrieved)
    lead = as_decided(q, lead, ranked)
    out = Lines()
    out.add(_quote(lead, out.ref, lead=True), lead.item, lead.text, typed=lead.typed)
    # Then the next sentences that hold a value of the asked type (the other figures of the same
    # matter), else the best remaining ones.
    rest = [s for s in ranked if s is not lead]
    if not list_entries(out, ev, lead.item, LEAD_WINDOW):
        named = bool(ev.names) and any(_names_it(s) for s in ranked)
        _support(out, rest, room=MAX_SUPPORT, topic=ev.topic,
                 group=lambda s: (not s.typed, named and not _names_it(s)))
    _other_parts(out, ev)
    _motion_fate(out, ev.topic)
    it = lead.item
    if re.search(r"pykäl", q.text, re.I):
        out.add(prompts.render("section_fi", section=it.section, citation=out.ref(it)), it)
    return out.answer(q, retrieved)


def _motion_fate(out: Lines, topic: Topic) -> None:
    """A counter-motion's fate after it (``assistant.motions``), in the place of a last line that holds none
    of the question's words the other lines do not ("ketkä kannattivat" keeps its line)."""
    follow_with_fate(out, budget=ANSWER_CHARS, quote_chars=SUPPORT_CHARS,
                     adds_words=lambda text, others: _novelty(topic, text, held(topic, " ".join(others))) > 0)


def _other_parts(out: Lines, ev: Evidence) -> None:
    """For a question of several parts ("Kuka osti puut ja paljonko maksoi?"): the best sentence of the
    cited items holding each other asked value that no line shows yet."""
    wanted = ev.wanted
    for kind in wanted.also if wanted is not None else ():
        if any(matches(kind, text[:MAX_SCAN_CHARS]) for text in out.texts):
            continue
        s = next((s for s in ev.sentences or () if s.item in out.items and not _procedure(s)
                  and not out.says(s.text, s.item) and matches(kind, s.text[:MAX_SCAN_CHARS])), None)
        if s is not None:
            out.add(_quote(s, out.ref), s.item, s.text, typed=True)


def _procedure(s: Sentence) -> bool:
    return s.features is not None and s.features.procedure > 0


def _names_it(s: Sentence) -> bool:
    return s.features is not None and s.features.named > 0


def _naming(ev: Evidence, item: AgendaItem, summary: str) -> Sentence | None:
    """When the question names an entity that the decision summary does not, the item's best sentence
    that does (else ``None``). An item whose title names it is about it: its decision leads."""
    if not ev.names or names_in(set(tokenize(f"{item.title} {summary[:MAX_SCAN_CHARS]}")), ev.names):
        return None
    return next((s for s in ev.sentences or () if s.item is item and _names_it(s)), None)


def _votes(q: Query, ev: Evidence, retrieved: list[Citation]) -> Answer:
    """The vote, disqualification or change first, then the decision, then who proposed or why."""
    it = ev.chosen[0]
    out = Lines()
    note = _notes(it, _decision_line(it, lambda _it: "", LEAD_CHARS)[1], disqualified=asks_disqualification(q))
    if note:
        out.add(f"{note} {out.ref(it)}", it)
    line, summary = _decision_line(it, out.ref, LEAD_CHARS)
    out.add(line, it, summary)
    cues = [s for s in ev.sentences or () if s.item is it and _VOTE_CUES.search(s.text[:MAX_SCAN_CHARS])
            and not _VOTE_PROCEDURE.match(s.text)]
    # Who proposed what first; among the motions, the one about the question's own words ("palauttaa
    # valmisteluun") before one on the same matter that only shares its name.
    cues.sort(key=lambda s: (not MOTION.search(s.text[:MAX_SCAN_CHARS]), -s.focus))
    _support(out, cues, room=1 if note else 2, need_words=False)
    _other_parts(out, ev)
    _motion_fate(out, ev.topic)
    return out.answer(q, retrieved)


def _notes(it: AgendaItem, summary: str = "", *, disqualified: bool = True) -> str:
    """The vote, tabling and return of ``it``, and its disqualifications when ``disqualified`` (asked
    for: otherwise a list of ten names would take the room of who proposed what); what ``summary``
    (the decision line) says already is left out ("palauttaa lausunnon valmisteluun" is said there,
    not "Asia palautettiin")."""
    parts = []
    if it.votes:
        vs = sentences(it.votes)
        counts = [v for v in vs if _VOTE_COUNT.search(v[:MAX_SCAN_CHARS])]
        parts.append("Asiasta äänestettiin: " + clip(" ".join(counts or vs), 500))
    if it.disqualified and disqualified:
        parts.append("Esteellisiä: " + ", ".join(it.disqualified) + ".")
    if it.tabled and not re.search(r"pöydälle", summary, re.IGNORECASE):
        parts.append("Asia jätettiin pöydälle.")
    if it.returned and not re.search(r"palaut", summary, re.IGNORECASE):
        parts.append("Asia palautettiin valmisteluun.")
    return " ".join(ensure_period(p) for p in parts)
