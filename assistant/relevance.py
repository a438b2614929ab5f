"""Does a retrieved item answer the question? A calibrated model over retrieval features.

Each leading hit gets :class:`assistant.features.Features` (its BM25 score relative to
the query, dense similarity, IDF-weighted coverage of the question's topic words, how
both retrievers rank it, whether it names the question's names, whether it holds a
value of the asked type, whether it is of or mentions a year the question names) and the
answerability model (``assistant/answerability.json``, fitted on the tune questions by
``scripts/fit_answerability.py``) turns them into P(this item answers). Generic words come
from document frequency (``assistant.lexicon``), not from a list. Names the question asks
about that no candidate mentions are reported in ``Evidence.missing`` so the answer can say
so instead of answering about another entity; nouns no item of the corpus uses (not even
through the accent, compound and near-spelling fallbacks) in ``Evidence.unknown``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer_type import Wanted, asks_for_several, detect, matches
from assistant.answerability import AnswerabilityModel, ModelFormatError
from assistant.features import Features, question_years, standout, year_match
from assistant.lexicon import Lexicon, Name, mentions, mentions_company
from assistant.siblings import answer_together, titled_by_rarest
from assistant.types import Candidates, Evidence, Hit, Query, Relevance
from core.items import AgendaItem
from core.sentences import sentences
from core.tokens import analyze_word

logger = logging.getLogger(__name__)

#: The fitted model shipped with the code (see scripts/fit_answerability.py).
MODEL_PATH = Path(__file__).with_name("answerability.json")
#: Without a model file (a fresh checkout before fitting): coverage an item needs to count as answering.
MIN_COVERAGE = 0.55
#: Leading hits judged for an answer.
JUDGED = 10
#: Sentences of an item scanned for a value of the asked type (the matter is at the start).
TYPE_SCAN_SENTENCES = 40

#: Everyday words and the words minutes use for the same thing (both directions are looked up).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "remontti": ("peruskorjaus", "korjaus", "saneeraus", "kunnostus", "remontointi"),
    "korjata": ("peruskorjaus", "korjaus", "kunnostus", "saneeraus"),
    "katuvalo": ("katuvalaistus", "valaistus", "valaisin"),
    "auraus": ("talvikunnossapito", "kunnossapito", "lumityö"),
    "aurata": ("talvikunnossapito", "kunnossapito"),
    "maksaa": ("hinta", "kustannus", "kustannusarvio", "euro", "kauppahinta"),
    "kustannus": ("hinta", "kustannusarvio", "euro", "määräraha"),
    "hinta": ("kauppahinta", "euro", "kustannus"),
    "raha": ("määräraha", "euro", "avustus"),
    "lakkauttaa": ("lakkautus", "lakkauttaminen", "sulkeminen", "lakkautua"),
    "lakkauttaminen": ("lakkautus", "lakkauttaa", "sulkeminen", "lakkautua"),
    "kyläkoulu": ("alakoulu", "kouluverkko", "palveluverkko"),
    "sulkea": ("lakkautus", "lakkauttaa", "sulkeminen"),
    "palkata": ("valita", "virka", "rekrytointi"),
    "johtaja": ("päällikkö",),
    "tontti": ("kiinteistö", "määräala"),
    "myydä": ("myynti", "kauppa"),
    "ostaa": ("hankinta", "kauppa", "osto"),
    "budjetti": ("talousarvio", "määräraha"),
    "koulu": ("koulu", "perusopetus", "kouluverkko"),
    "päiväkoti": ("varhaiskasvatus", "päiväkoti"),
    "nopeusrajoitus": ("nopeus", "rajoitus"),
    "koulukyyti": ("koulukuljetus", "kuljetus", "kuljetusetu"),
    "äänestää": ("äänestys", "jaa-ääni", "ei-ääni"),
    "ikäihminen": ("vanhus", "eläkeläinen", "ikääntynyt", "seniori", "vuotias"),
    "ilmainen": ("maksuton",),
    "kiinni": ("suljettu", "sulkea", "suljettuna"),
    "toimintakate": ("toimintakate", "tilinpäätös"),
    "maksuton": ("ilmainen",),
    "kyyti": ("kuljetus", "koulukuljetus"),
    "koululainen": ("oppilas", "koulu"),
    "budjetoida": ("talousarvio", "määräraha", "budjetti"),
    "budjetoitu": ("talousarvio", "määräraha"),
    "säästää": ("säästö", "säästyä", "vähentyä"),
    "säästö": ("säästää", "säästyä"),
}


def expand_synonyms(tokens: list[str]) -> list[str]:
    """Query tokens plus the minutes' words for the same things ("koulukyyti" → "koulukuljetus")."""
    out = list(tokens)
    for t in tokens:
        out.extend(s for s in SYNONYMS.get(t, ()) if s not in out)
    return out


#: A word as typed; a case ending after a colon belongs to it ("Oy:ltä", "EU:n", "§ 28:ssa"), as in the
#: index's tokenizer: split off, "ltä" was a word no item uses and refused every question about a company.
_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöüéÉ][\w\-]*(?::\w+)?", re.UNICODE)


@dataclass
class Judge:
    """Everything the relevance judgement needs: corpus word statistics and the fitted model."""

    lexicon: Lexicon
    model: AnswerabilityModel | None = None

    @classmethod
    def for_index(cls, index, model_path: Path | None = MODEL_PATH) -> Judge:  # noqa: ANN001
        """The judge of one opened store; the model file is optional (coverage rule without it)."""
        model = None
        if model_path is not None and Path(model_path).exists():
            try:
                model = AnswerabilityModel.load(Path(model_path))
            except ModelFormatError as e:
                logger.warning("answerability model ignored: %s", e)
        return cls(Lexicon.from_index(index), model)

    def probability(self, f: Features) -> float | None:
        return None if self.model is None else self.model.predict_proba(f)

    def answers(self, f: Features) -> bool:
        if self.model is None:
            return f.coverage >= MIN_COVERAGE
        return self.model.predict_proba(f) >= self.model.threshold


def weigh(cands: Candidates, judge: Judge) -> Evidence:
    """Judge the leading candidates of one query (pure given the corpus statistics and the model)."""
    hits = _prefer_minutes(cands.hits)
    q = cands.query
    lex = judge.lexicon
    text = q.keywords or q.text
    topic = topic_words(text, lex.generic, lex.idf)
    words = tuple(tuple(forms) for _w, forms in topic)
    names = lex.names(text)
    wanted = detect(q.asks or q.text)
    idf_sum = sum(lex.idf(t) for t in dict.fromkeys(lex.normalizer.tokens(text))) or 1.0
    groups = query_groups(topic, lex)
    sims = [h.dense_sim for h in hits[:JUDGED]]
    judged = tuple(score_item(q, h, judge, words=words, groups=groups, names=names, wanted=wanted, idf_sum=idf_sum,
                              dense_z=standout(sims, i))
                   for i, h in enumerate(hits[:JUDGED]))
    if judge.model is not None and asks_for_several(wanted):
        judged = answer_together(judged, judge.model.threshold, lex.generic)
    if asks_for_several(wanted) and groups and not any(r.answers for r in judged):
        judged = titled_by_rarest(judged, groups, lex)
    found = {n for r in judged for n in r.names_found}
    missing = tuple(n.shown for n in names if n.shown not in found) if judged else ()
    has_topic = bool(content_words(q.keywords, lex.generic))
    unknown = unknown_nouns(topic, groups, lex)
    weighted = tuple((forms, group, _weight(forms, group, lex)) for forms, group in groups)
    return Evidence(cands, hits, judged, has_topic, wanted=wanted,
                    names=tuple(n.shown for n in names), missing=missing, topic=weighted, unknown=unknown)


def _weight(forms: Sequence[str], group: Sequence[str], lex: Lexicon) -> float:
    """A topic word's weight: the IDF of the reading it was read as, when the minutes hold it; otherwise
    the rarest of its fallback tokens ("paatos" typed without ä/ö, an unknown compound). The rarest
    token of an ambiguous word is its reading the minutes do not mean ("maksa" of "maksaa")."""
    if forms and lex.known(forms[0]):
        return lex.idf(forms[0])
    return max((lex.idf(t) for t in group), default=0.0)


def _prefer_minutes(hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """Drop an agenda item when the minutes of the same meeting and § were retrieved too."""
    minutes = {(h.item.municipality, h.item.body, h.item.date, h.item.section) for h in hits
               if h.item.kind == "minutes"}
    return tuple(h for h in hits if h.item.kind == "minutes"
                 or (h.item.municipality, h.item.body, h.item.date, h.item.section) not in minutes)


def content_words(text: str, generic: Collection[str] = frozenset()) -> list[list[str]]:
    """The question's topic words, each as ``[base form, compound parts...]``.

    Stopwords (question words, pronouns) are gone in the tokenizer; ``generic`` words
    (by document frequency, ``Lexicon.generic``) are left out too.
    """
    return [forms for _surface, forms in topic_words(text, generic)]


def topic_words(text: str, generic: Collection[str] = frozenset(),
                idf: Callable[[str], float] | None = None) -> list[tuple[str, list[str]]]:
    """``(word as typed, [base form, compound parts...])`` of each topic word (see ``content_words``);
    ``idf`` (the index's) chooses among a word's readings (``_preferred_base``)."""
    from core.query_terms import restorations
    from core.tokens import analyze_word, tokenize

    out: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for w in _WORD.findall(text or ""):
        forms = tokenize(w)
        if not forms:
            continue
        if not analyze_word(w).known and any(not tokenize(v) or _function_word(v) for v in restorations(w.lower())):
            continue  # "mita", "milloinka": a question word typed without ä/ö
        forms = _preferred_base(w, forms, idf)
        base = forms[0]
        if _function_word(w) or base in generic or base in seen or (len(base) < 3 and not base.isdigit()):
            continue
        seen.add(base)
        out.append((w, [base] + [f for f in forms[1:] if f not in generic and len(f) >= 3]))
    return out


#: Word classes that carry no topic (Voikko): adverbs, pronouns, conjunctions, adpositions, interjections.
_FUNCTION_CLASSES = {"seikkasana", "asemosana", "sidesana", "suhdesana", "kieltosana", "huudahdussana"}


def _function_word(word: str) -> bool:
    """Every reading of ``word`` is a function word ("viimeksi", "siellä"), or the word is a verb that
    addresses the assistant ("Kertoisitko", "Tiedätkö", "Kerro"); unknown words are content."""
    from core.tokens import grammar

    readings = grammar(word.lower())
    classes = {r.get("CLASS") for r in readings}
    verbs = [r for r in readings if r.get("CLASS") == "teonsana"]
    return bool(classes) and classes <= _FUNCTION_CLASSES or bool(verbs) and all(_addressing(word, r) for r in verbs)


def _addressing(word: str, reading: dict[str, str]) -> bool:
    """A verb in the imperative, the second person ("kerrotko", "voisitteko") or the conditional first
    person ("haluaisin"): the question's framing, not its topic. Voikko gives no person, so the ending
    without the question clitic tells it."""
    mood = reading.get("MOOD")
    bare = re.sub(r"(?:ko|kö)$", "", word.lower()) if reading.get("KYSYMYSLIITE") == "true" else word.lower()
    second = bare.endswith("tte") or bare.endswith("t") and not bare.endswith(("vat", "vät"))  # not "kuuluvat"
    return mood == "imperative" or second or (mood == "conditional" and bare.endswith("isin"))


def _preferred_base(word: str, forms: list[str], idf: Callable[[str], float] | None = None) -> list[str]:
    """With two readings, lead with the one the minutes use: the base form with the lowest IDF in the
    index ("maksaa": the verb maksaa, not the noun maksa that the analyser lists first; "uimahallista":
    uimahalli, not uimahallinen). Without an index, the noun's base form leads."""
    from core.tokens import analyze_word, grammar

    a = analyze_word(word)
    if len(a.bases) < 2:
        return forms
    # Each reading's own class: ``bases`` and ``classes`` are separate lists, not pairs.
    nouns = [r["BASEFORM"].lower() for r in grammar(word.lower())
             if r.get("CLASS") in ("nimisana", "erisnimi") and r.get("BASEFORM")]
    if idf is not None:
        lead = min(a.bases, key=lambda b: (idf(b), b not in nouns))
    elif nouns:
        lead = nouns[0]
    else:
        return forms
    if lead == forms[0] or lead not in forms:
        return forms
    return [lead] + [f for f in forms if f != lead]


def score_item(q: Query, hit: Hit, judge: Judge, *, words: tuple[tuple[str, ...], ...],
               groups: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], names: Sequence[Name], wanted: Wanted, idf_sum: float,
               dense_z: float = 0.0) -> Relevance:
    """The hit's features and whether it answers (exact lookups always answer)."""
    toks = judge.lexicon.item_tokens(hit.item.item_id)
    found = tuple(n.shown for n in names if mentions(n, toks) and mentions_company(n, _text(hit.item)))
    if "exact" in hit.via:
        return Relevance(hit, 1.0, True, words, names_found=found, probability=1.0)
    if not words:
        # Only filters and question words: the filtered items answer when the filter is narrow.
        ok = q.has_filters() and "filter" in hit.via or bool(q.sections or q.case_ids)
        return Relevance(hit, 1.0 if ok else 0.0, ok, words, names_found=found)
    f = hit_features(hit, judge.lexicon, groups=groups, names=names, found=found, wanted=wanted, idf_sum=idf_sum,
                     years=question_years(q.text), dense_z=dense_z)
    return Relevance(hit, f.coverage, judge.answers(f), words, names_found=found, features=f,
                     probability=judge.probability(f))


#: Characters of an item searched for a company name written out ("Kotiasunnot Oy").
COMPANY_SCAN_CHARS = 20000


def _text(item: AgendaItem) -> str:
    return (item.title + "\n" + (item.text or "\n".join((item.body_text, item.proposal, item.decision))))[
        :COMPANY_SCAN_CHARS]


def hit_features(hit: Hit, lex: Lexicon, *, groups: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], names: Sequence[Name],
                 found: Sequence[str], wanted: Wanted, idf_sum: float, years: frozenset[str] = frozenset(),
                 dense_z: float = 0.0) -> Features:
    """:class:`Features` of one hit, read as if it were the top item (see ``assistant.features``)."""
    toks = lex.item_tokens(hit.item.item_id)
    ranks = [r for r in (hit.lexical_rank, hit.dense_rank) if r]
    return Features(
        bm25_top=hit.lexical_score / idf_sum,
        dense_z=dense_z,
        coverage=coverage(groups, toks, lex),
        rank_agreement=sum(1.0 / r for r in ranks) / 2.0,
        entity_match=len(found) / len(names) if names else 1.0,
        type_match=1.0 if has_type(hit.item, wanted) else 0.0,
        year_match=year_match(years, hit.item),
    )


def query_groups(topic: Sequence[tuple[str, Sequence[str]]], lex: Lexicon) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each topic word's forms paired with the corpus tokens it may match (``_query_group``)."""
    return tuple((tuple(forms), _query_group(w, forms, lex)) for w, forms in topic)


def _query_group(word: str, forms: Sequence[str], lex: Lexicon) -> tuple[str, ...]:
    """The corpus tokens one question word may match: its tokens with the accent and compound
    fallbacks, generic ones and ones no item uses left out."""
    toks = [*forms, *lex.word_tokens(word)]
    toks += [s for t in toks for s in SYNONYMS.get(t, ())]
    return tuple(t for t in dict.fromkeys(toks) if t not in lex.generic and lex.known(t))


def _known_modifier(word: str, lex: Lexicon) -> bool:
    """A compound whose head is generic and whose modifier the corpus uses: "yhtiökokouspäätöksiä" is
    about general meetings ("yhtiökokous"), not about decisions, which every item holds. The index's
    compound parts are heads only ("kokouspäätös", "päätös"), so the word itself matches nothing;
    it is still no unknown thing, and whether an item answers is the model's to judge."""
    roots = analyze_word(word).roots
    if len(roots) < 2 or roots[-1] not in lex.generic:
        return False
    modifier = "".join(roots[:-1])
    return modifier not in lex.generic and lex.known(modifier)


def unknown_nouns(topic: Sequence[tuple[str, Sequence[str]]], groups: Sequence[tuple[tuple[str, ...], tuple[str, ...]]],
                  lex: Lexicon) -> tuple[str, ...]:
    """Nouns of the question that the corpus never uses: not as themselves, not through the accent,
    compound or synonym fallbacks, not as a near spelling (a typo), not through a word derived from
    the same verb ("päivystäjä" ~ "päivystys"), not as the modifier of a generic head
    ("yhtiökokouspäätöksiä", see ``_known_modifier``). No item can be about them."""
    out = []
    for (word, _forms), (_f, group) in zip(topic, groups, strict=True):
        if group or word[:1].isupper() or word.isdigit() or _known_modifier(word, lex):
            continue  # names are the entity check's; numbers are not things; a generic head's modifier is known
        a = analyze_word(word)
        nounish = not a.known or any(c in ("nimisana", "nimisana_laatusana") for c in a.classes)
        low = word.lower()
        # The stem without an inflection ending may be what is indexed ("valitiin" ~ "valita").
        if nounish and not lex.near_spelling(low) and not lex.near_spelling(low[:-3]) and not lex.shares_root(low):
            out.append(word)
    return tuple(out)


def coverage(groups: Sequence[tuple[tuple[str, ...], tuple[str, ...]]], toks: set[str], lex: Lexicon) -> float:
    """IDF-weighted share of the topic words present in ``toks``; ``groups`` pairs each word's
    forms with its corpus tokens (``_query_group``).

    A word no item of the corpus uses (even through its accent and compound fallbacks) weighs
    the most and is never matched: a question about something the minutes never mention
    ("skeittiparkki") has low coverage everywhere; the model weighs that against the dense
    similarity, which tolerates typos and paraphrases. A whole-word match, also through a
    fallback, counts in full; a compound head only ("halli" for "jäähalli") by half.
    """
    total = got = 0.0
    for forms, group in groups:
        if not group:
            total += lex.idf(forms[0])
            continue
        weight = max(lex.idf(t) for t in group)
        total += weight
        heads = {t for t in group if any(g != t and g.endswith(t) for g in group)}
        whole = any(t in toks for t in group if t not in heads)
        got += weight * (1.0 if whole else word_match(forms, toks))
    return got / total if total else 0.0


def has_type(item: AgendaItem, wanted: Wanted) -> bool:
    """Whether the item's decision, proposal or description states a value of the asked type."""
    pool = sentences(item.decision) + sentences(item.proposal) + sentences(item.body_text)
    return any(matches(wanted, s) for s in pool[:TYPE_SCAN_SENTENCES])


def overlap(topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]], toks: set[str]) -> float:
    """IDF-weighted share of the question's topic words (with their weights) in ``toks``; a word's corpus
    fallback tokens count in full, its forms as ``word_match`` grades them."""
    total = sum(w for _f, _g, w in topic)
    if not total:
        return 0.0
    got = sum(w * (1.0 if any(t in toks for t in group) else word_match(forms, toks)) for forms, group, w in topic)
    return got / total


def word_match(forms: Sequence[str], toks: set[str]) -> float:
    """How well one question word (base form, then compound parts) is present in ``toks`` (0–1)."""
    base = forms[0]
    if base in toks:
        return 1.0
    if any(s in toks for s in SYNONYMS.get(base, ())):
        return 0.8
    if len(forms) > 1 and any(f in toks for f in forms[1:]):
        return 0.5
    if any(s in toks for f in forms[1:] for s in SYNONYMS.get(f, ())):
        return 0.4
    if _prefix_hit(base, toks) or _stem_hit(base, toks):
        return 0.5
    return 0.0


def _stem_hit(base: str, toks: set[str]) -> bool:
    """Same long stem (``lakkauttaa`` ~ ``lakkautui``): words the analyser did not know."""
    if len(base) < 8:
        return False
    stem = base[: max(7, len(base) - 3)]
    return any(t.startswith(stem) for t in toks)


def _prefix_hit(base: str, toks: set[str]) -> bool:
    """A long base form that starts a token (compound the analyser did not split)."""
    if len(base) < 5:
        return False
    return any(t.startswith(base) for t in toks if len(t) >= len(base) + 4)
