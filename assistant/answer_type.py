"""What a question asks for (amount, %, person, date, count, yes/no, reason, decision, list, latest)
and whether a sentence holds a value of that kind.

Detection reads the question's grammar through :func:`core.tokens.grammar` (Voikko):
interrogative base forms ("kuka", "ken" ← kenet/keitä/ketkä; "moni" + question clitic ←
montako/monenko), a question clitic on a leading verb (yes/no), superlatives of
time adjectives (latest), plural partitives after an interrogative (list). Words typed
without ä/ö are read through their diacritic restorations (``core.query_terms``), so
"keita" and "paatettiin" work as "keitä" and "päätettiin". Without Voikko only the
surface cues that need no analysis (``%``, digits, clitics) remain.

    >>> detect("Kenet valittiin kaupunginjohtajaksi?").kind  # doctest: +SKIP
    <AnswerType.PERSON: 'person'>
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from core import tokens as tk
from core.query_terms import fold_accents, restorations


class AnswerType(StrEnum):
    """The kind of value a question asks for."""

    AMOUNT = "amount"  # euros
    PERCENTAGE = "percentage"
    PERSON = "person"  # a name or a role holder
    DATE = "date"
    COUNT = "count"
    YES_NO = "yes_no"
    REASON = "reason"  # "miksi", "millä perusteella": the grounds of a decision
    DECISION = "decision"
    LIST = "list"
    LATEST = "latest"
    GENERIC = "generic"


@dataclass(frozen=True)
class Wanted:
    """The detected answer type, plus the modifiers that combine with any type."""

    kind: AnswerType
    latest: bool = False  # "viimeisin", "uusin", "viimeksi": the most recent item
    many: bool = False  # a list is wanted ("mitkä", "ketkä", plural partitive)
    #: Values asked by the question's other parts ("Kuka osti puut ja paljonko maksoi?": a person too).
    also: tuple[AnswerType, ...] = ()
    #: "Paljonko" asked of no sum of money ("Paljonko maksuosuudet nousevat?"): a sum or a percentage answers.
    quantity: bool = False
    #: Base forms of the noun a count question counts ("Montako asuntoa …": ``asunto``); a count
    #: answers only when it counts that ("1 800 000 euron lainalle 30 vuodeksi" holds no number of homes).
    counted: frozenset[str] = frozenset()
    #: "Mikä on sairauspoissaolojen määrä?": a quantity of any unit (a sum, a share or a count) answers.
    measure: bool = False


# Cue base forms, compared accent-folded. Interrogatives and a few nouns per type.
_PERSON_Q = {"kuka", "ken"}
_COUNT_NOUNS = {"lukumaara"}
#: "Mikä on valtionosuuksien määrä?": a quantity asked as a word of its own (a sum, a share or a count answers);
#: as a compound's head it counts ("henkilöstömäärä", "oppilasmäärä").
_QUANTITY_NOUN = "maara"
_AMOUNT_Q = {"paljo", "paljon"}
#: "Kuinka suuri (uhkasakko)", "minkä suuruinen (avustus)": a size asked of a thing, like "paljonko".
_SIZE_Q = {"suuri", "iso", "korkea", "suuruinen", "hintainen"}
_SIZE_ADJ = {"suuruinen", "hintainen"}
_MONEY = {"euro", "hinta", "kustannus", "summa", "maararaha", "maksaa", "kustantaa", "arvo"}
_PERCENT = {"prosentti", "prosenttiyksikko"}
#: Present-tense "is", "acts as": a person question asking who holds a post now.
_NOW_VERBS = {"on", "toimii"}
_DATE_Q = {"milloin", "paivamaara", "ajankohta"}
_SINCE = {"lahtien", "alkaen", "mennessa", "saakka", "asti"}
_DECIDE = {"paattaa", "paatos", "linjata", "ratkaista"}
_LIST_VERBS = {"luetella", "listata"}
_TIME_ADJ = {"viimeinen", "uusi", "tuore"}
_LATEST_ADV = {"viimeksi"}
_INTERROGATIVE = {"mika", "kuka", "ken", "millainen", "mitka", "miten"}
#: "Miksi", "miksei" ask why; so does an interrogative before a word of cause ("mistä syystä",
#: "millä perusteella", "minkä vuoksi", "minkä takia").
_WHY = {"miksi", "miksei"}
#: Base forms of Finnish causal connectives, postpositions and nouns of cause (a closed grammatical class):
#: a sentence holding one gives grounds ("… koska osallistujamäärät jäivät niukiksi").
_CAUSE = {"koska", "vuoksi", "takia", "johdosta", "syy", "peruste", "perustelu", "perustella", "jotta", "seuraus",
          "siksi", "johtua"}

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class _Word:
    surface: str
    readings: tuple[dict[str, str], ...]

    def bases(self, *, heads: bool = True) -> set[str]:
        """Base forms, compound heads ("tuloveroprosentti" → "prosentti") and the surface, folded."""
        heads = {fold_accents(p) for p in tk.analyze_word(self.surface).parts} if heads else set()
        return {fold_accents(r.get("BASEFORM", "").lower()) for r in self.readings} | heads | {fold_accents(self.surface)}

    def has(self, key: str, value: str) -> bool:
        return any(r.get(key) == value for r in self.readings)


def _read(word: str) -> _Word:
    """Voikko readings of ``word``, or of its diacritic restorations when it has none."""
    low = word.lower()
    readings = tk.grammar(low)
    if not readings or fold_accents(low) == low:
        for v in restorations(low):
            readings += tk.grammar(v)
    return _Word(low, readings)


def _flags(words: list[_Word]) -> tuple[bool, bool]:
    latest = any(w.bases() & _LATEST_ADV or (w.bases() & _TIME_ADJ and w.has("COMPARISON", "superlative"))
                 for w in words)
    many = any(w.bases() & _LIST_VERBS for w in words)
    for i, w in enumerate(words):
        if not w.bases() & _INTERROGATIVE:
            continue
        if w.has("NUMBER", "plural") and w.has("SIJAMUOTO", "nimento"):
            many = True  # "mitkä", "ketkä"
        # Which (things), to which, of which; "millä ehdoilla" (on what terms) asks how, not for a list.
        cases = ({r.get("SIJAMUOTO") for r in w.readings} & {"sisatulento", "ulkotulento", "omanto"}) \
            | {"osanto", "nimento"}
        for nxt in words[i + 1:i + 5]:
            if nxt.readings and all(r.get("CLASS") == "teonsana" for r in nxt.readings):
                break  # the noun phrase the interrogative opens ends at the verb ("vaalien" is also a noun)
            if any(r.get("NUMBER") == "plural" and r.get("CLASS") == "nimisana"
                   and r.get("SIJAMUOTO") in cases for r in nxt.readings):
                # "mitä päätöksiä", "mitkä hankkeet"; in any case the interrogative agrees with:
                # "mihin hankkeisiin", "mille yksityisteille", "minkä toimijoiden"
                many = True
    return latest, many


def asks_for_several(wanted: Wanted | None) -> bool:
    """A list is wanted: "Mitä ympäristölupia …?", "Mille yksityisteille …?"."""
    return wanted is not None and (wanted.kind is AnswerType.LIST or wanted.many)


#: Values a part of a question can ask for besides the main one.
_PART_VALUES = (AnswerType.AMOUNT, AnswerType.PERCENTAGE, AnswerType.PERSON, AnswerType.DATE, AnswerType.COUNT,
                AnswerType.REASON)
#: Words that open a part of its own: interrogatives ("… ja paljonko maksoi?").
_PART_OPENERS = _INTERROGATIVE | _PERSON_Q | _AMOUNT_Q | _DATE_Q | {"kuinka", "moni"}
#: "… ja paljonko …", ", sekä kuka …": where a question's second part starts.
_PART_SPLIT = re.compile(r",?\s{1,5}(?:ja|sekä)\s{1,5}", re.IGNORECASE)


def detect(question: str) -> Wanted:
    """The answer type of a Finnish question (most specific type wins), and the value types its other
    parts ask ("Kuka osti puut ja paljonko maksoi?": a person, and an amount)."""
    words = [_read(w) for w in _WORD.findall(question)]
    bases = set().union(*(w.bases() for w in words)) if words else set()
    latest, many = _flags(words)
    kind = _kind(question, words, bases, many=many, latest=latest)
    also = tuple(dict.fromkeys(k for k in _part_kinds(question) if k is not kind and k in _PART_VALUES))
    quantity = kind is AnswerType.AMOUNT and not bases & _MONEY
    counted = _counted(words) if kind is AnswerType.COUNT else frozenset()
    measure = kind is AnswerType.AMOUNT and _QUANTITY_NOUN in _whole_bases(words)
    # "Kuka on / toimii …?" in the present tense asks who holds a post now: the newest item on it answers.
    # Not "Ketkä … ovat …?": a group is listed from every item on it, not the newest one alone.
    latest = latest or (kind is AnswerType.PERSON and not many and any(w.surface in _NOW_VERBS for w in words))
    return Wanted(kind, latest=latest, many=many, also=also, quantity=quantity, counted=counted, measure=measure)


def _whole_bases(words: list[_Word]) -> set[str]:
    """Base forms of the words as wholes (no compound heads)."""
    return set().union(*(w.bases(heads=False) for w in words)) if words else set()


def _counted(words: list[_Word]) -> frozenset[str]:
    """The noun in the partitive right after "montako" / "kuinka monta" ("Montako asuntoa …"), as
    base forms and compound heads; empty when none follows ("montako heitä on")."""
    for i, w in enumerate(words):
        if "moni" not in w.bases() and "monta" not in w.bases():
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and any(r.get("CLASS") == "nimisana" and r.get("SIJAMUOTO") == "osanto"
                                   for r in nxt.readings):
            return frozenset(nxt.bases() - {nxt.surface, fold_accents(nxt.surface)})
    return frozenset()


def _part_kinds(question: str) -> list[AnswerType]:
    """The kind each part of a question asks, where a part after "ja"/"sekä" is a question of its own
    (it starts with an interrogative or a word with the question clitic); one part: nothing."""
    pieces = _PART_SPLIT.split(question[:1000])
    parts = [pieces[0]]
    for piece in pieces[1:]:
        first = _read(_WORD.search(piece).group()) if _WORD.search(piece) else None
        if first is not None and (first.bases() & _PART_OPENERS or first.has("KYSYMYSLIITE", "true")):
            parts.append(piece)
        else:
            parts[-1] = f"{parts[-1]} ja {piece}"  # "kaupungin ja yhtiön …": one part
    if len(parts) < 2:
        return []
    out = []
    for part in parts:
        words = [_read(w) for w in _WORD.findall(part)]
        bases = set().union(*(w.bases() for w in words)) if words else set()
        out.append(_kind(part, words, bases, many=False, latest=False))
    return out


def _kind(question: str, words: list[_Word], bases: set[str], *, many: bool, latest: bool) -> AnswerType:
    count_q = any("moni" in w.bases() and w.has("KYSYMYSLIITE", "true") for w in words) or bool(
        bases & _COUNT_NOUNS) or ("kuinka" in bases and bases & {"moni", "monta"})
    amount_q = any(w.bases() & _AMOUNT_Q and (w.has("KYSYMYSLIITE", "true") or "kuinka" in bases) for w in words) \
        or any((a.surface == "kuinka" and b.bases() & _SIZE_Q) or (a.surface == "minkä" and b.bases() & _SIZE_ADJ)
               for a, b in zip(words, words[1:], strict=False))
    if "%" in question or bases & _PERCENT:
        return AnswerType.PERCENTAGE
    if (amount_q or count_q or bases & _INTERROGATIVE) and bases & _MONEY:
        return AnswerType.AMOUNT
    if count_q:
        return AnswerType.COUNT
    if amount_q:
        return AnswerType.AMOUNT
    if bases & _INTERROGATIVE:
        if _QUANTITY_NOUN in _whole_bases(words):
            return AnswerType.AMOUNT
        if _QUANTITY_NOUN in bases:
            return AnswerType.COUNT
    if bases & _PERSON_Q:
        return AnswerType.PERSON
    first = words[0] if words else None
    # A date noun asks for a date as a word of its own ("Mikä on ajankohta?"), not as the head of a
    # compound that names the topic ("purkuajankohdan siirtopyyntö"). "Mihin mennessä …?" asks by when
    # (not "mihin asti", which may ask how far).
    whole = set().union(*(w.bases(heads=False) for w in words)) if words else set()
    if whole & _DATE_Q or (first and first.surface == "koska") or ("mista" in bases and bases & _SINCE) \
            or any(a.surface == "mihin" and "mennessa" in b.bases() for a, b in zip(words, words[1:], strict=False)):
        return AnswerType.DATE
    if _asks_why(words):
        return AnswerType.REASON
    if first and first.has("KYSYMYSLIITE", "true") and first.has("CLASS", "teonsana"):
        return AnswerType.YES_NO
    if first is not None and not first.readings and re.search(r"(?:ko|kö)$", first.surface):
        return AnswerType.YES_NO  # no analysis: a leading word with the question clitic
    if many:
        return AnswerType.LIST
    if bases & _DECIDE or (bases & _INTERROGATIVE and any(w.has("CLASS", "teonsana") for w in words[1:])):
        return AnswerType.DECISION
    return AnswerType.LATEST if latest else AnswerType.GENERIC


def _asks_why(words: list[_Word]) -> bool:
    """The question opens with "Miksi", "Miksei" or an interrogative before a word of cause ("Millä
    perusteella …?"). A "… ja miksi?" after another question asks its reason second: the first part
    says what is answered first ("Mihin mennessä …, ja miksi?" is answered by the date)."""
    if not words:
        return False
    if fold_accents(words[0].surface) in _WHY:
        return True
    return len(words) > 1 and bool(words[0].bases() & _INTERROGATIVE and words[1].bases(heads=False) & _CAUSE)


# ---------------------------------------------------------------- values in sentences

# Bounded groups, and no start inside a run of digit groups ("1 234 567"): linear on hostile text.
_NUM = r"\d{1,3}(?:[ \u00a0.]\d{3}){1,6}(?:,\d{1,6})?|\d{1,18}(?:,\d{1,6})?"
# A number after "2027 " may start ("vuodelle 2027 3 %"): only a three-digit group continues a run.
_NUM_START = r"(?<![\d,])(?:(?<!\d[ \u00a0.])|(?!\d{3}(?!\d)))"
# "(18.560) euron": a sum written in words is repeated in digits in brackets before the currency.
# "55,78 e/kpl", "10 e (+alv)": "e" for euro before a unit or a tax note.
_EURO = re.compile(rf"{_NUM_START}(?:{_NUM})\)?\s*(?:miljard\w{{0,6}}|milj(?:oon\w{{0,6}}|\.)?|mrd\.?|tuha\w{{0,6}}|t)?\s*"
                   r"(?:€|eur\b|euro|e(?=\s*/|\s*\(\s*[+-]?\s*alv|\s+alv))", re.IGNORECASE)
#: A table row whose column head carries the unit ("Ämyri ry: Esitys (eur) 2.000."): the unit before the figure.
_EURO_HEAD = re.compile(rf"\((?:€|eur|euroa?)\)\s*{_NUM_START}(?:{_NUM})(?![\d,])", re.IGNORECASE)
# Not the adverb "100 %:sti" / "100 prosenttisesti" (wholly owned): a manner, not a share asked for.
_PERCENT_RE = re.compile(rf"{_NUM_START}(?:{_NUM})\s*(?:%(?!:sti)|prosent(?!\w{{0,4}}sesti)|prosenttiyksik)",
                         re.IGNORECASE)
_MONTH = r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuu\w*"
_DATE_RE = re.compile(
    rf"(?<![\d.])\d{{1,2}}\.\s?\d{{1,2}}\.(?:\s?\d{{4}})?(?![\d])|(?<!\d)\d{{4}}-\d{{2}}-\d{{2}}(?!\d)"
    rf"|\b\d{{1,2}}\.\s*{_MONTH}|\b{_MONTH}(?:\s+\d{{4}})?",
    re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?<![\d.,§])\d+(?![\d.]*\.\d{4})")
#: Numbers that are no count: a share ("100 %:sti", "100-prosenttinen" too), a year as a word, the number
#: of a decision's clause ("1. myöntää …").
_NOT_COUNT = re.compile(rf"{_NUM_START}(?:{_NUM})\s?-?\s?(?:%|prosent\w*)|(?<![\d.,/-])(?:19[5-9]\d|20[0-4]\d)(?![\d,/-])"
                        r"|^\s{0,3}\d{1,2}[.)]\s", re.IGNORECASE | re.MULTILINE)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)\s+([A-ZÅÄÖ][a-zåäö]+)")
#: Heads of role nouns: a sentence naming a role holder answers "kuka" as well as a name does.
_ROLE_HEADS = {"johtaja", "puheenjohtaja", "jasen", "sihteeri", "paallikko", "valtuutettu", "esittelija",
               "tarkastaja", "edustaja", "asiamies", "isannoitsija", "rehtori", "paattaja"}
_DECISION_VERBS = {"paattaa", "hyvaksya", "hylata", "valita", "myontaa", "merkita", "palauttaa", "jattaa"}


def _lemma_set(sentence: str) -> set[str]:
    out: set[str] = set()
    for w in _WORD.findall(sentence):
        a = tk.analyze_word(w)
        out |= {fold_accents(b) for b in (*a.bases, *a.parts)}
    return out


#: A firm or an association by its legal form ("Kuortaneen Sora Oy", "Lapuan Virkiä ry"): it answers "kuka".
_ORGANISATION = re.compile(r"\b[A-ZÅÄÖ][\w&-]{1,40}(?:\s[A-ZÅÄÖ][\w&-]{0,40}){0,3}\s(?:Oyj?|Ab|ry|Ky|Osk|Tmi)\b")


def _has_person(sentence: str) -> bool:
    if _ORGANISATION.search(sentence):
        return True
    for first, second in _CAPITALISED.findall(sentence):
        readings = tk.grammar(first)
        if any(r.get("CLASS") == "etunimi" for r in readings) or not readings:
            # A known first name, or an unknown capitalised word followed by another: a name.
            if readings or not tk.grammar(second.lower()):
                return True
    return bool(_lemma_set(sentence) & _ROLE_HEADS)


def matches(kind: AnswerType | Wanted, sentence: str) -> bool:
    """Whether ``sentence`` contains a value of the kind asked for.

    Types without a value of their own (yes/no, list, generic) match every sentence;
    ``decision`` needs a decision verb; ``latest`` needs a date.
    """
    quantity = isinstance(kind, Wanted) and kind.quantity
    counted = kind.counted if isinstance(kind, Wanted) else frozenset()
    if isinstance(kind, Wanted) and kind.measure:
        return any(matches(k, sentence) for k in (AnswerType.AMOUNT, AnswerType.PERCENTAGE, AnswerType.COUNT))
    kind = kind.kind if isinstance(kind, Wanted) else AnswerType(kind)
    if kind is AnswerType.AMOUNT:
        return bool(_EURO.search(sentence) or _EURO_HEAD.search(sentence) or (quantity and _PERCENT_RE.search(sentence)))
    if kind is AnswerType.PERCENTAGE:
        return bool(_PERCENT_RE.search(sentence))
    if kind in (AnswerType.DATE, AnswerType.LATEST):
        return bool(_DATE_RE.search(sentence))
    if kind is AnswerType.COUNT:
        bare = _NOT_COUNT.sub(" ", _EURO.sub(" ", _DATE_RE.sub(" ", sentence)))
        if counted:
            return _counts(bare, counted)
        return bool(_NUMBER_RE.search(bare)) or any(
            r.get("CLASS") == "lukusana" for w in _WORD.findall(sentence) for r in tk.grammar(w.lower()))
    if kind is AnswerType.PERSON:
        return _has_person(sentence)
    if kind is AnswerType.DECISION:
        return bool(_lemma_set(sentence) & _DECISION_VERBS)
    if kind is AnswerType.REASON:
        return _cause_at(sentence) is not None
    return True


def _cause_at(sentence: str) -> int | None:
    """Where ``sentence`` first gives a cause (a word of :data:`_CAUSE`, by base form or surface), or None."""
    for m in _WORD.finditer(sentence):
        w = m.group().lower()
        if fold_accents(w) in _CAUSE or {fold_accents(b) for b in tk.analyze_word(w).bases} & _CAUSE:
            return m.start()
    return None


#: Words after a number within which the counted noun must come ("98 nuorta", "kolme uutta asuntoa").
COUNTED_WITHIN = 3
_TOKEN = re.compile(r"\d+(?:[ \u00a0]\d{3})*|[^\W\d_]+")


def _counts(text: str, counted: frozenset[str]) -> bool:
    """Whether ``text`` holds a number (digits or a numeral word) followed within a few words by the
    counted noun."""
    toks = _TOKEN.findall(text)
    for i, tok in enumerate(toks):
        if not tok[0].isdigit() and not any(r.get("CLASS") == "lukusana" for r in tk.grammar(tok.lower())):
            continue
        for w in toks[i + 1:i + 1 + COUNTED_WITHIN]:
            a = tk.analyze_word(w)
            if {fold_accents(b) for b in (*a.bases, *a.parts)} & counted:
                return True
    return False


_PERSON_NAME = re.compile(r"(?<=[\s(,])[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?\s+[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?")
_NUMBER = re.compile(r"(?<![\d.,])\d[\d .,]*")
_WORDS = re.compile(r"[^\W\d_]+")


def anchor_of(text: str, toks: set[str], topic: Sequence[tuple[tuple[str, ...], tuple[str, ...], float]],
              names: Collection[str] = frozenset()) -> int | None:
    """Where the sentence names what the question names (end of that word): a name of the question,
    else the rarest of its words the sentence holds; None when it holds none. A sentence listing
    several schools, firms or fees answers about the one the question names."""
    present = [(w, set(group)) for _f, group, w in topic if group and toks & set(group)]
    if toks & set(names):
        group = toks & set(names)
    elif present:
        group = max(present, key=lambda p: p[0])[1]
    else:
        return None
    return next((m.end() for m in _WORDS.finditer(text) if group & set(tk.tokenize(m.group()))), None)


def value_at(wanted: Wanted, text: str, anchor: int | None = None) -> tuple[bool, int]:
    """Whether ``text`` holds a value of the asked type, and where it starts: the first one, or with an
    ``anchor`` the one nearest after it (one before it counts double the distance)."""
    if wanted.kind is AnswerType.PERSON:
        # "Kuka" is answered by a name (a person's or a firm's), not by a role noun alone.
        starts = [m.start() for m in _PERSON_NAME.finditer(text)]
    elif wanted.kind is AnswerType.REASON:
        cause = _cause_at(text)
        starts = [] if cause is None else [cause]
    elif not matches(wanted, text):
        return False, 0
    else:
        starts = [m.start() for m in _NUMBER.finditer(text) if matches(wanted, text[m.start():m.start() + 40])] or [0]
    if not starts:
        return False, 0
    if anchor is None:
        return True, starts[0]
    return True, min(starts, key=lambda v: v - anchor if v >= anchor else 2 * (anchor - v))
