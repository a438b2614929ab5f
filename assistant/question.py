"""Finnish question understanding: question text → ``Query`` (filters, intent, keywords).

Pure and fast (a few ms): Voikko analyses come cached from ``core.tokens``;
``today`` and the bodies present in the store are passed in.

Pipeline: case IDs → time expressions (``assistant.dates``) → § numbers →
body names → decide which year-level phrases are meeting-time filters →
follow-up inheritance → intent → keywords (the rest minus question boilerplate).

Year rule (conservative): a year is a meeting-date filter only when it is the
time of the decision. Months, seasons, dates and relative phrases always are.
"vuonna 2024", "viime vuonna", "vuoden 2024 aikana" are used only when the
question has a decision verb (päätti, käsiteltiin, valittiin, …) or no topic of
its own; a bare "2024" only when there is no topic or it follows such a verb.
"vuodelta 2024", "vuodelle 2025", "vuoden 2024 tilinpäätös", "ensi vuodeksi"
are never filters (they talk about a year).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.answer_type import AnswerType, detect
from assistant.body_mentions import NOMINAL as _NOMINAL
from assistant.body_mentions import BodyInfo, match_bodies
from assistant.dates import find_times
from assistant.time_filter import Covered, latest_covered, names_year, times, without_years
from assistant.types import Intent, Query
from core import caseids, tokens

logger = logging.getLogger(__name__)

__all__ = ["BodyInfo", "parse_question"]


_SEC_SIGN_FIRST = re.compile(
    r"§§?\s*(?::\s*[^\W\d_]+\s*)?(?P<n>\d{1,4})(?![\d.,]\d)(?P<more>(?:\s*(?:,|-|ja)\s*\d{1,4}(?![\d.,]\d))*)")
_SEC_SIGN_AFTER = re.compile(r"(?<![\d.,])(?P<n>\d{1,4})\s*§(?::[^\W\d_]+)?")
_SEC_WORD_FIRST = re.compile(r"(?<!\w)pykäl[^\W\d_]*\s+(?P<n>\d{1,4})(?![\d.,]\d)", re.I)
_SEC_WORD_AFTER = re.compile(r"(?<![\d.,])(?P<n>\d{1,4})\.?\s+pykäl[^\W\d_]*", re.I)
_MINEN = re.compile(r"mi(?:nen|s[eit])")
_WORD = re.compile(r"[^\W\d_]+(?:[-:][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_NORMALIZE = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                            "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u200b": " ", "\u00ad": " "})

# Lemma sets (Voikko base forms; with other backends most still match via surface forms).
_QUESTION_WORDS = frozenset("""mikä kuka ken milloin miten mitenkä miksi miksei missä mistä mihin millainen
minkälainen paljo paljonko moni montako kuinka kumpi entä entäs entäpä mites""".split())
_DECISION_VERBS = frozenset("päättää linjata käsitellä hyväksyä".split())  # also dropped from keywords
_EVENT_VERBS = _DECISION_VERBS | frozenset("""hylätä myöntää esittää valita kokoontua nimetä äänestää
palauttaa lakkauttaa hankkia jakaa""".split())
_FILLER = frozenset("kokous asia pykälä mieli joku jokin kertoa haluta tietää kiinnostaa päätös".split())
_NON_TOPIC = frozenset("""ehdotus kaupunki kunta vuosi kuukausi kuu viikko päivä jäsen
äänestys äänestää jäävi jääviys jäävätä esteellinen esteellisyys pöytä muuttaa palauttaa eriävä
lautakunta hallitus valtuusto toimielin oy summa""".split())
_PRONOUN_REFS = frozenset("""se sen sitä siitä siihen siinä siltä sille sillä ne niiden niitä niistä
niihin niissä niille niillä tämä tämän tästä tätä tähän nämä näiden näistä näitä kyseinen kyseisen
kyseisestä kyseistä kyseiseen""".split())
_ELLIPTIC_START = frozenset("entä entäs entäpä ja kuin mites no".split())
_FACT_WORDS = frozenset("paljonko kuka ketkä kenet keitä kenen kenelle milloin montako monellako".split())
_FACT_BIGRAMS = (("kuinka", "monta"), ("kuinka", "paljon"), ("kuinka", "suuri"), ("kuinka", "suuret"),
                 ("kuinka", "usein"), ("minkä", "verran"), ("millä", "pykälällä"), ("missä", "pykälässä"),
                 ("minä", "päivänä"), ("mihin", "hintaan"), ("mikä", "pykälä"))
_AMOUNT_NOUNS = frozenset("""hinta summa määrä kustannus kustannusarvio arvo prosentti osuus tulos ennuste
budjetti määräraha maksu korvaus palkkio vuokra euro lukumäärä luku""".split())
_VOTE_LEMMAS = frozenset("äänestää äänestys jäävi jääviys jäävätä esteellinen esteellisyys eriävä palauttaa".split())


@dataclass
class _Word:
    surface: str
    start: int
    end: int
    lemmas: tuple[str, ...]
    parts: tuple[str, ...]
    classes: tuple[str, ...]
    known: bool
    roots: tuple[str, ...] = ()

    @property
    def low(self) -> str:
        return self.surface.lower()

    @property
    def verbal_noun(self) -> bool:
        """A -minen noun ("rakentamisesta"): Voikko gives the verb as its base form."""
        return "teonsana" in self.classes and bool(_MINEN.search(self.low))

    def event_verb(self) -> bool:
        """A finite verb or participle of a decision/event verb ("päätti", "esittänyt")."""
        if self.verbal_noun:
            return False
        if set(self.lemmas) & _EVENT_VERBS:
            return True
        return "laatusana" in self.classes and bool(set(self.roots) & _EVENT_VERBS)

    def past_event(self) -> bool:
        """An event verb that tells of something done ("hyväksyi", "päätettiin", "valinnut"); the present
        ("hyväksyy", "myönnetään") tells what holds, so a year beside it is the matter's, not the meeting's."""
        if not self.event_verb():
            return False
        readings = tokens.grammar(self.low)
        return not readings or not all(r.get("TENSE") == "present_simple" or r.get("MOOD") == "A-infinitive"
                                       for r in readings if r.get("CLASS") == "teonsana")

    def keys(self) -> set[str]:
        low = self.low
        return {low, low.split(":", 1)[0], *self.lemmas}

    def is_topic(self) -> bool:
        if self.surface[0].isdigit() or len(self.surface) < 2:
            return False
        if self.keys() & (_NON_TOPIC | _FILLER | _QUESTION_WORDS | tokens.STOPWORDS):
            return False
        if not self.known:
            return len(self.surface) >= 3
        if self.verbal_noun:
            return True
        return bool(set(self.classes) & _NOMINAL) and "teonsana" not in self.classes

    def is_boilerplate(self) -> bool:
        k = self.keys()
        if k & _DECISION_VERBS and not self.verbal_noun:
            return True
        return bool(k & (_QUESTION_WORDS | _FILLER | tokens.STOPWORDS | _PRONOUN_REFS))


def _names(text: str) -> set[str]:
    """The names a question writes: capitalised words after its first, and a first word the analyser
    reads as a proper noun or does not know ("Kauhajärven" is a common noun to it, but not mid-sentence)."""
    return {w.surface for w in _words(text)
            if w.surface[:1].isupper() and (w.start > 0 or not w.known or set(w.classes) & tokens.PROPER_CLASSES)}


def _frame(previous: Query, own_text: str) -> str:
    """What an elliptic follow-up with words of its own keeps of the previous question: when both name
    something, the previous words less its names ("Entä Kauhajärven koululla?" after "Kuka on
    Tiistenjoen koulun rehtori?" asks for the rector of Kauhajärvi's school); otherwise nothing, as
    the follow-up's own topic replaces the previous one ("Entä kirjastoautosta?")."""
    if not (_names(previous.text) and _names(own_text)):
        return ""
    return carried_subject(previous, own_text)


def carried_subject(previous: Query, own_text: str) -> str:
    """The previous question's subject as a follow-up with words of its own may still mean it: "Entä
    millä ehdoilla niille vuokrattiin maata?" after "Paljonko avantouimarien saunaan annettiin kuntarahaa?"
    asks about the same swimmers. Its names are left out when the follow-up names its own (then the
    follow-up asks the same of someone else)."""
    old = _names(previous.text) if _names(own_text) else set()
    return " ".join(w for w in previous.keywords.split() if w not in old)


def _words(text: str) -> list[_Word]:
    out = []
    for m in _WORD.finditer(text):
        a = tokens.analyze_word(m.group())
        out.append(_Word(m.group(), m.start(), m.end(), a.bases, a.parts, a.classes, a.known, a.roots))
    return out


def _section_numbers(m: re.Match[str]) -> list[int]:
    nums = [int(m.group("n"))]
    more = m.groupdict().get("more") or ""
    for sep, n in re.findall(r"(,|-|ja)\s*(\d{1,4})", more):
        n = int(n)
        if sep == "-" and nums[-1] < n <= nums[-1] + 30:
            nums.extend(range(nums[-1] + 1, n + 1))
        else:
            nums.append(n)
    return nums


class _Mask:
    """The question text with consumed character spans blanked out (positions kept)."""

    def __init__(self, text: str) -> None:
        self.chars = list(text)
        self.spans: list[tuple[int, int]] = []

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def cut(self, a: int, b: int) -> None:
        self.spans.append((a, b))
        for i in range(a, b):
            self.chars[i] = " "


def _inside(w: _Word, spans: list[tuple[int, int]]) -> bool:
    return any(a <= w.start and w.end <= b for a, b in spans)


def _classify(words: list[_Word], *, case_ids: bool, sections: bool, dates: bool, bodies: bool,
              topic: bool) -> Intent | None:
    """Intent from cue words and filters; None when nothing decides it."""
    lows = [w.low for w in words]
    lem = [set(w.lemmas) for w in words]
    if case_ids:
        return "case_lookup"
    if sections and (dates or bodies):
        return "section_lookup"
    for w, ls in zip(words, lem, strict=True):
        if ls & _VOTE_LEMMAS or w.low.startswith("pöydälle"):
            return "vote_or_change"
        if "muuttaa" in ls and (w.low.endswith(("ko", "kö")) or any("ehdotus" in x for x in lem)):
            return "vote_or_change"
    if set(lows) & _FACT_WORDS or any(b in zip(lows, lows[1:], strict=False) for b in _FACT_BIGRAMS):
        return "fact"
    if lows and lows[0].endswith(("ko", "kö")) and set(words[0].lemmas) & {"olla", "saada"}:
        return "fact"
    if lows and lows[0] in ("mikä", "mitkä") and len(lows) > 1 and lows[1] in ("on", "oli", "ovat", "olivat"):
        if any((set(w.lemmas) | set(w.parts)) & _AMOUNT_NOUNS for w in words):
            return "fact"
    if dates and not topic:
        return "date_scoped"
    for w in words:
        if w.event_verb():
            return "decision"
        if "teonsana" in w.classes and re.search(r"(?:aan|ään|tiin)(?:ko|kö)$", w.low):
            return "decision"
        if w.low in ("jatkuuko", "jatketaanko"):
            return "decision"
    if "mieltä" in lows and ("mitä" in lows or "millä" in lows):
        return "decision"
    return None


@dataclass
class _Scan:
    """What the question itself names, before any follow-up inheritance."""

    after_cases: str  # the text with case IDs blanked (time expressions are found again on it)
    mask: _Mask
    case_ids: list[str]
    sections: list[int]
    words: list[_Word]
    body_names: list[str]
    body_idx: set[int]
    applied: list[Any]  # time spans used as meeting-date filters
    own_topic: bool
    content: list[_Word]  # words that are not body names or weak year phrases
    owned: list[str] = field(default_factory=list)  # bodies of another organisation ("Seinäjoen kaupunginvaltuusto")


def _scan(text: str, today: date, bodies: list[BodyInfo], *, inherited_topic: bool = False) -> _Scan:
    """Case IDs → time expressions → § numbers → body names → which year phrases are filters.

    ``inherited_topic``: the question is a follow-up that keeps the previous question's subject, so a
    year it names is read as it would be with that subject ("Entä vuonna 2025?" after a question on
    the tax rate for 2026 asks for the rate of 2025, not for meetings held in 2025)."""
    norm = text.translate(_NORMALIZE)
    mask = _Mask(norm)
    for m in caseids.QUESTION_RE.finditer(norm):
        mask.cut(*m.span())
    case_ids = caseids.in_question(norm)
    after_cases = mask.text
    spans = find_times(after_cases, today=today)
    for s in spans:
        if not s.weak:
            mask.cut(*s.pos)
    sections: list[int] = []
    for rx in (_SEC_SIGN_FIRST, _SEC_SIGN_AFTER, _SEC_WORD_FIRST, _SEC_WORD_AFTER):
        for m in rx.finditer(mask.text):
            sections.extend(n for n in _section_numbers(m) if n not in sections)
            mask.cut(*m.span())
    words = _words(mask.text)
    body_names, body_idx, owned = match_bodies(words, bodies)
    weak = [s for s in spans if s.weak]
    weak_pos = [s.pos for s in weak]
    content = [w for i, w in enumerate(words) if i not in body_idx and not _inside(w, weak_pos)]
    own_topic = any(w.is_topic() for w in content)
    has_event_verb = any(w.past_event() for w in words)
    applied = [s for s in spans if not s.weak]
    for s in weak:
        before = [w for w in words if w.end <= s.pos[0]]
        after_verb = bool(before) and before[-1].past_event()
        if not (own_topic or inherited_topic) or after_verb or (has_event_verb and not s.bare):
            applied.append(s)
            mask.cut(*s.pos)
    return _Scan(after_cases, mask, case_ids, sections, words, body_names, body_idx, applied, own_topic, content,
                 owned)


#: "vuoden 2025 alusta", "1.1.2025 alkupuolelta": where in that time, not a topic ("alusta" also reads as a
#: platform, "alus" as a ship: rare words that would weigh most in the search).
_TIME_POSITIONS = frozenset({"alku", "loppu", "alkupuoli", "loppupuoli"})


def _time_position(words: list[_Word], i: int) -> bool:
    """``words[i]`` places something within the year or date just before it."""
    return i > 0 and words[i - 1].surface[:1].isdigit() and bool(set(words[i].lemmas) & _TIME_POSITIONS)


def parse_question(text: str, *, today: date, bodies: list[BodyInfo], previous: Query | None = None,
                   covered: Covered | None = None) -> Query:
    """Parse one Finnish question into a ``Query``.

    Args:
        text: the question as typed.
        today: the date relative expressions ("viime kuussa") resolve against.
        bodies: bodies present in the store; only these names are returned.
        previous: the previous question's Query, for elliptic follow-ups
            ("Entä huhtikuussa?", "Mitä siitä päätettiin?").
        covered: whether the store holds minutes of the given bodies (any, when none) between two
            dates; a month named without a year then means its latest occurrence the minutes cover.
    Returns:
        The Query: intent, bodies, inclusive ISO dates, sections, case IDs,
        keywords, is_follow_up and time_label.
    """
    sc = _scan(text, today, bodies)
    if previous is not None and not previous.date_from and not sc.own_topic and any(s.weak for s in sc.applied) \
            and any(w.is_topic() for w in _words(previous.keywords)):
        sc = _scan(text, today, bodies, inherited_topic=True)
    lows = [w.low for w in sc.words]
    starts_elliptic = bool(lows) and lows[0] in _ELLIPTIC_START
    pronoun_ref = any(w.low in _PRONOUN_REFS for w in sc.content)
    own_time = bool(sc.applied)
    complete = (sc.body_names and own_time) or sc.case_ids or (sc.sections and (sc.body_names or own_time))
    follow_up = previous is not None and (starts_elliptic or pronoun_ref or (not sc.own_topic and not complete))
    # A pronoun alone does not inherit: "Paljonko kaupunki maksaa siitä Kookinkallion tilasta?" names its subject.
    inherit = previous if follow_up and (starts_elliptic or not sc.own_topic) else None
    applied = sc.applied
    if inherit is not None and inherit.date_from and any(s.yearless for s in applied):
        # "Entä huhtikuussa?" after a 2025 question means April 2025.
        anchor = (date.fromisoformat(inherit.date_from), date.fromisoformat(inherit.date_to or inherit.date_from))
        again = {s.pos: s for s in find_times(sc.after_cases, today=today, anchor=anchor)}
        applied = [again.get(s.pos, s) for s in applied]
    elif covered is not None:
        applied = latest_covered(applied, covered, sc.body_names)
    date_from, date_to, label = times(applied, today)
    kw_words = [w for i, w in enumerate(sc.words)
                if i not in sc.body_idx and not _inside(w, sc.mask.spans) and not w.is_boilerplate()
                and not _time_position(sc.words, i)]
    keywords = " ".join(w.surface for w in kw_words)
    body_names, case_ids, sections, topic = sc.body_names, sc.case_ids, sc.sections, sc.own_topic
    if inherit is not None:
        body_names = body_names or list(inherit.bodies)
        if not own_time:
            date_from, date_to, label = inherit.date_from, inherit.date_to, inherit.time_label
        if not sc.own_topic:
            kept = without_years(inherit.keywords, today) if names_year(keywords, today) else inherit.keywords
            keywords = " ".join(x for x in (kept, keywords) if x)
            topic = any(w.is_topic() for w in _words(inherit.keywords))
        else:
            keywords = " ".join(x for x in (_frame(inherit, text), keywords) if x)
        if not (sc.own_topic or own_time or sections or case_ids or sc.body_idx):
            case_ids, sections = list(inherit.case_ids), list(inherit.sections)
    intent = _classify(sc.words, case_ids=bool(case_ids), sections=bool(sections), dates=bool(date_from),
                       bodies=bool(body_names), topic=topic)
    if intent is None:
        intent = "general"
        if follow_up and previous is not None:
            intent = "decision" if previous.intent in ("date_scoped", "case_lookup", "section_lookup") \
                else previous.intent
    asks = ""
    if inherit is not None and starts_elliptic and detect(text).kind is AnswerType.GENERIC:
        asks = inherit.asks or inherit.text
    return Query(text=text, intent=intent, bodies=body_names, date_from=date_from, date_to=date_to,
                 sections=sections, case_ids=case_ids, keywords=keywords, is_follow_up=follow_up,
                 time_label=label, asks=asks, refers_back=follow_up and pronoun_ref, other_bodies=tuple(sc.owned))
