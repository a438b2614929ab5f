"""Grounded answer composer (no LLM): every sentence is taken from, and cites, a retrieved item.

Decides first whether the retrieved items answer the question at all
(``relevance``), then writes the answer by intent: a meeting's substantive
items for date questions, decisions for "what was decided", the sentence
holding the fact for fact questions, votes and disqualifications for
vote questions. Nothing is cited that was not retrieved.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Sequence

from assistant import prompts
from assistant.relevance import MIN_COVERAGE, word_match
from assistant.text import (
    MAX_SCAN_CHARS,
    background,
    clip,
    decision_summary,
    ensure_period,
    is_routine,
    sentences,
)
from assistant.types import Answer, Citation, Evidence, Query, Relevance
from core.items import AgendaItem, fi_date

logger = logging.getLogger(__name__)

MAX_LISTED = 25
MAX_TOPIC_LIST = 8
_LIST_QUESTION = re.compile(
    r"^\s*(?:mitä|mitkä|millaisia|minkälaisia|ketkä)\b.*\b(?:on|ovat)\s+(?:\w+\s+)?"
    r"(?:käsitelty|tehty|päätetty|myönnetty|hyväksytty|toteutettu|haettu|valittu)\b|"
    r"\b(?:mitä|mitkä)\s+\w*(?:päätöksiä|hankkeita|aloitteita|lupia|avustuksia|hakemuksia|sopimuksia)\b",
    re.IGNORECASE,
)
_VOTE_CUES = re.compile(r"äänest|jaa-|ei-|jaa |esteelli|jääv|poistui|muutos|muuttaa|muutettiin|pöydälle|palaut|"
                        r"vastaehdot|eriävä|ehdotti|kannatt|ehdotuksen mukaisesti|muutoksin", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4})?")
_STANCE = re.compile(r"vastust|kannatt|edellyt|pitää tärkeänä|toteaa|esittää|ehdottaa|huolestu|puolta", re.I)
# (?<!\d): a digit run is tried once from its start, so a long run stays linear.
_VOTE_COUNT = re.compile(r"(?<!\d)\d+\s*(?:jaa|ei|tyhjää)|(?:jaa|ei)-?\s*ään", re.IGNORECASE)
_NAME = re.compile(r"\b[A-ZÄÖÅ][a-zäöå]+(?:-[A-ZÄÖÅ][a-zäöå]+)?\s+[A-ZÄÖÅ][a-zäöå]+")


def compose(ev: Evidence) -> Answer:
    """Write the Finnish answer from the evidence only (no store access)."""
    q = ev.query
    retrieved = [Citation.from_item(h.item) for h in ev.candidates.hits]
    if q.has_filters() and not ev.candidates.listing:
        return _no_meeting(q, ev.candidates.nearest, retrieved)
    if q.intent in ("case_lookup", "section_lookup") and any("exact" in h.via for h in ev.hits):
        return _decisions(q, [h.item for h in ev.hits if "exact" in h.via], retrieved)
    if (q.intent == "date_scoped" or q.date_from or q.date_to) and q.has_filters() and not ev.has_topic:
        items = [it for it in ev.candidates.listing if not is_routine(it)]
        if items:
            return _meeting_list(q, _dedupe_agenda(items), retrieved)
    rel = list(ev.relevance)
    if ev.missing:
        # A named company, school or person that no candidate mentions: answering from the
        # others would answer about someone else.
        return _refuse_names(q, ev.missing, retrieved)
    # Items naming every name asked about come first (stable: retrieval order otherwise).
    good = sorted((r for r in rel if r.answers), key=lambda r: -len(r.names_found))
    if not good:
        return _refuse(q, retrieved)
    if q.intent == "vote_or_change":
        # The item where the vote, disqualification or change happened answers a vote question.
        good.sort(key=lambda r: not _has_event(r.hit.item, q))
    primary = good[0]
    # Later or earlier steps of the same case among the top hits, if they touch the question at all.
    related = [r.hit.item for r in rel[:8] if r is not primary and (r.answers or r.coverage >= MIN_COVERAGE / 2)]
    chosen = [primary.hit.item] + _same_case(primary.hit.item, related)
    if q.intent == "fact" or (q.intent == "general" and _asks_fact(q)):
        return _facts(q, chosen, primary, retrieved)
    if q.intent == "vote_or_change":
        return _votes(q, chosen, primary, retrieved)
    if q.intent == "date_scoped":
        extra = [r.hit.item for r in good[1:] if r.hit.item not in chosen][:MAX_LISTED]
        return _meeting_list(q, chosen + extra, retrieved)
    if _LIST_QUESTION.search(q.text) and len(good) > 1:
        # "Mitä ympäristölupia on käsitelty?" asks for every matching item, not the best one.
        many = chosen + [r.hit.item for r in good[1:MAX_TOPIC_LIST] if r.hit.item not in chosen]
        return _meeting_list(q, many, retrieved, intro=prompts.render("topic_intro_fi"))
    return _decisions(q, chosen, retrieved, primary.words)


def _asks_fact(q: Query) -> bool:
    return bool(re.match(r"\s*(paljonko|kuinka|kuka|ketkä|kenet|keille|milloin|millä|mikä on|mitkä)", q.text, re.I))


def _dedupe_agenda(items: list[AgendaItem]) -> list[AgendaItem]:
    minutes = {(i.body, i.date, i.section) for i in items if i.kind == "minutes"}
    return [i for i in items if i.kind == "minutes" or (i.body, i.date, i.section) not in minutes]


def _same_case(item: AgendaItem, others: list[AgendaItem]) -> list[AgendaItem]:
    """Other items of the same case that also answer (e.g. board, then city board; plan, then contract)."""
    if not item.case_ids:
        return []
    case = item.case_ids[0].lower()
    out: OrderedDict[str, AgendaItem] = OrderedDict()
    for it in others:
        if it.item_id != item.item_id and case in {c.lower() for c in it.case_ids[:1]}:
            out.setdefault(it.item_id, it)
    return list(out.values())[:3]


def _has_event(it: AgendaItem, q: Query) -> bool:
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


def _cite(items: list[AgendaItem]) -> list[Citation]:
    seen: OrderedDict[str, Citation] = OrderedDict()
    for it in items:
        seen.setdefault(it.item_id, Citation.from_item(it))
    return list(seen.values())


def _decisions(q: Query, items: list[AgendaItem], retrieved: list[Citation],
               words: Sequence[Sequence[str]] = ()) -> Answer:
    lines = []
    ordered = sorted(items, key=lambda i: (i.date, i.section)) if len(items) > 1 else items
    for it in ordered:
        lines.extend(_decision_lines(it, q, words, detail=len(items) <= 3))
    return Answer("\n\n".join(lines), False, _cite(items), retrieved, q)


def _decision_lines(it: AgendaItem, q: Query, words: Sequence[Sequence[str]], *, detail: bool = True) -> list[str]:
    cit = it.citation()
    limit = 700 if detail else 400
    if it.kind == "agenda" or not it.decision.strip():
        return [prompts.render("agenda_fi", title=it.title, proposal=clip(it.proposal or it.body_text, limit),
                               citation=cit)]
    lines = []
    bg = background(it) if detail else ""
    if bg:
        lines.append(prompts.render("background_fi", summary=ensure_period(bg), citation=cit))
    if detail and it.history:
        h = it.history[-1]
        earlier = clip(h.decision or h.proposal, 260)
        if earlier:
            lines.append(prompts.render("history_fi", label=h.label(), summary=ensure_period(earlier), citation=cit))
    summary = decision_summary(it, limit)
    lines.append(prompts.render("decision_fi", body=it.body, title=it.title,
                                summary=ensure_period(summary), citation=cit))
    words = list(words) if detail else []
    if words:
        # Sentences that answer the question's own words but fell outside the summary.
        seen = (bg + " " + summary).lower()
        more = [x for x in _best_sentences(q, it, words, want_number=_wants_number(q), want_name=_wants_name(q))
                if x.lower()[:60] not in seen]
        if more:
            lines.append(prompts.render("fact_fi", quote=" ".join(ensure_period(x) for x in more[:2]),
                                        citation=cit))
    if q.intent in ("section_lookup",) or re.search(r"pykäl", q.text, re.I):
        lines.append(prompts.render("section_fi", section=it.section, citation=cit))
    extra = _notes(it)
    if extra:
        lines.append(f"{extra} ({cit})")
    return lines


def _notes(it: AgendaItem) -> str:
    parts = []
    if it.votes:
        vs = sentences(it.votes)
        counts = [v for v in vs if _VOTE_COUNT.search(v[:MAX_SCAN_CHARS])]
        parts.append("Asiasta äänestettiin: " + clip(" ".join(counts or vs), 500))
    if it.disqualified:
        parts.append("Esteellisiä: " + ", ".join(it.disqualified) + ".")
    if it.tabled:
        parts.append("Asia jätettiin pöydälle.")
    if it.returned:
        parts.append("Asia palautettiin valmisteluun.")
    return " ".join(ensure_period(p) for p in parts)


def _meeting_list(q: Query, items: list[AgendaItem], retrieved: list[Citation], *, intro: str = "") -> Answer:
    items = items[:MAX_LISTED]
    when = q.time_label or "valitulla ajanjaksolla"
    bodies = sorted({i.body for i in items})
    meetings: OrderedDict[tuple[str, str, str], list[AgendaItem]] = OrderedDict()
    for it in sorted(items, key=lambda i: (i.date, i.body, i.section)):
        meetings.setdefault((it.body, it.date, it.kind), []).append(it)
    out = []
    if intro:
        out.append(intro)
    elif len(bodies) == 1:
        out.append(prompts.render("meeting_intro_fi", body=bodies[0], when=when))
    for (body, date, kind), its in meetings.items():
        kind_note = " (esityslista: ehdotuksia, ei päätöksiä)" if kind == "agenda" else ""
        out.append(prompts.render("meeting_header_fi", body=body, date=fi_date(date), kind=kind_note))
        for it in its:
            summary = decision_summary(it, 380)
            if len(summary) < 260:
                # A bare "merkittiin tiedoksi" says little: one sentence of what the item is about.
                first = background(it, 200)
                if first:
                    summary = f"{ensure_period(first)} {summary}"
            out.append(prompts.render("item_line_fi", section=it.section, title=it.title,
                                      summary=ensure_period(summary), citation=it.citation()))
    cited = _cite(items)
    listed = {c.item_id for c in cited}
    # The metadata filter retrieved these items: they lead the retrieved list.
    return Answer("\n".join(out), False, cited, cited + [c for c in retrieved if c.item_id not in listed], q)


def _facts(q: Query, items: list[AgendaItem], primary: Relevance, retrieved: list[Citation]) -> Answer:
    lines = []
    used: list[AgendaItem] = []
    for it in items:
        best = _best_sentences(q, it, primary.words, want_number=_wants_number(q), want_name=_wants_name(q))
        if not best:
            continue
        used.append(it)
        quote = " ".join(ensure_period(s) for s in best)
        lines.append(prompts.render("fact_fi", quote=quote, citation=it.citation()))
    if re.search(r"pykäl", q.text, re.I) and items:
        lines.append(prompts.render("section_fi", section=items[0].section, citation=items[0].citation()))
        used = used or [items[0]]
    if not lines:
        return _decisions(q, items, retrieved, primary.words)
    top = items[0]
    if top.kind == "minutes" and top.decision and top in used:
        lines.append(prompts.render("decision_fi", body=top.body, title=top.title,
                                    summary=ensure_period(decision_summary(top, 260)), citation=top.citation()))
    return Answer("\n\n".join(lines), False, _cite(used), retrieved, q)


def _votes(q: Query, items: list[AgendaItem], primary: Relevance, retrieved: list[Citation]) -> Answer:
    it = items[0]
    lines = []
    note = _notes(it)
    if note:
        lines.append(f"{note} ({it.citation()})")
    cue_sents = [s for s in sentences(it.text) if _VOTE_CUES.search(s)]
    ranked = _rank_sentences(q, cue_sents, primary.words)[:3]
    if ranked:
        lines.append(prompts.render("fact_fi", quote=" ".join(ensure_period(s) for s in ranked),
                                    citation=it.citation()))
    lines.append(prompts.render("decision_fi", body=it.body, title=it.title,
                                summary=ensure_period(decision_summary(it, 300)), citation=it.citation()))
    return Answer("\n\n".join(lines), False, _cite([it]), retrieved, q)


def _wants_number(q: Query) -> bool:
    return bool(re.search(r"paljon|summa|hinta|euro|määrä|kuinka mon|montako|maksa|varat|avustu", q.text, re.I))


def _wants_name(q: Query) -> bool:
    return bool(re.search(r"\b(kuka|ketkä|kenet|keneltä|kenelle|keille|kenen|valittiin|nimettiin)\b", q.text, re.I))


def _best_sentences(q: Query, it: AgendaItem, words: Sequence[Sequence[str]], *, want_number: bool,
                    want_name: bool) -> list[str]:
    pool = sentences(it.decision) + sentences(it.proposal) + sentences(it.body_text)
    for h in it.history:
        pool += sentences(h.decision) + sentences(h.proposal)
    pool += [n for n in it.notes] + ([it.votes] if it.votes else [])
    ranked = _rank_sentences(q, pool, words, want_number=want_number, want_name=want_name)
    return ranked[:2]


def _rank_sentences(q: Query, pool: list[str], words: Sequence[Sequence[str]], *, want_number: bool = False,
                    want_name: bool = False) -> list[str]:
    want_date = bool(re.search(r"\b(milloin|mihin asti|mistä lähtien|minä päivänä)\b", q.text, re.I))
    want_stance = bool(re.search(r"\b(sanoi|sanoo|lausu\w*|mieltä|kanta\w*|totesi)\b", q.text, re.I))
    from core.tokens import tokenize

    scored = []
    seen: set[str] = set()
    for i, s in enumerate(pool):
        key = s.lower()
        if key in seen or len(s) < 8:
            continue
        seen.add(key)
        toks = set(tokenize(s))
        score = sum(word_match(forms, toks) for forms in words if forms)
        if want_number and _NUMBER.search(s):
            score += 0.8
        if want_date and _DATE.search(s):
            score += 0.8
        if want_stance and _STANCE.search(s):
            score += 0.8
        if want_name and _NAME.search(s):
            score += 0.8
        if len(s) > 600:
            score -= 0.5
        if "@" in s or re.search(r"\bpuh\.?\s*\d|\d{3} \d{4}", s):
            score -= 1.5  # contact lines, not facts
        scored.append((score, -i, s))
    scored.sort(reverse=True)
    return [s for score, _i, s in scored if score > 0.5]


def _scope(q: Query) -> str:
    parts = []
    if q.bodies:
        parts.append(", ".join(q.bodies))
    if q.time_label:
        parts.append(q.time_label)
    if q.case_ids:
        parts.append(", ".join(q.case_ids))
    return f" ({'; '.join(parts)})" if parts else ""


def _refuse(q: Query, retrieved: list[Citation]) -> Answer:
    """The refusal sentence, then what was searched, so the user can rephrase; nothing is cited."""
    topic = " ".join(q.keywords.split()).strip(" ?.!,")
    if not topic:
        return Answer(prompts.REFUSAL, True, [], retrieved, q)
    hint = prompts.render("refuse_topic_fi", topic=topic, scope=_scope(q))
    return Answer(f"{prompts.REFUSAL} {hint}", True, [], retrieved, q)


def _refuse_names(q: Query, names: Sequence[str], retrieved: list[Citation]) -> Answer:
    shown = ", ".join(f"”{n}”" for n in names)
    return Answer(prompts.render("refuse_entity_fi", names=shown), True, [], retrieved, q)


def _no_meeting(q: Query, nearest: tuple[tuple[str, str], ...], retrieved: list[Citation]) -> Answer:
    what = "kokouksia"
    if q.bodies:
        what = f"toimielimen {', '.join(q.bodies)} kokouksia"
    if q.sections:
        what += f" pykälällä § {', '.join(map(str, q.sections))}"
    if q.case_ids:
        what = f"asiaa {', '.join(q.case_ids)}" + (f" toimielimeltä {', '.join(q.bodies)}" if q.bodies else "")
    when = q.time_label or (f"ajalta {fi_date(q.date_from or '')}–{fi_date(q.date_to or '')}"
                            if q.date_from or q.date_to else "")
    near = ", ".join(f"{body} {fi_date(day)}" for body, day in nearest)
    nearest_text = prompts.render("nearest_fi", meetings=near) if near else ""
    text = prompts.REFUSAL + " " + prompts.render("no_meeting_fi", what=what, when=when.strip(), nearest=nearest_text)
    return Answer(" ".join(text.split()), True, [], retrieved, q, notice=nearest_text.strip())
