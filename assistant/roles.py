"""Who holds a role ("Kuka on kaupunginjohtaja?"): the name the minutes write next to the role.

Minutes name office holders as "kaupunginjohtaja Satu Kankare", "tekninen johtaja Mirva Korpi" in
prose, and as "Esittelijä: Satu Kankare, Kaupunginjohtaja" in an item's header.
The role word is usually common (generic by document frequency), so no item is *about* it and the
relevance stage finds nothing to answer from; the name next to it is the answer. Only the last word of
a name is inflected ("kaupunginjohtaja Satu Kankareen"), so surnames are counted by their base form
where the analyser knows it. The holder is, of the names written with the role at least twice among
the retrieved items (once may be a deputy), the one written last (a new term's chair), quoted from
the newest item naming them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text import MAX_SCAN_CHARS, sentences
from assistant.types import Query
from core import tokens as tk
from core.items import AgendaItem, attendee_parts

#: A name must follow the role this many times: one mention may be a deputy or someone acting.
MIN_MENTIONS = 2
_NAME = r"([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)\s+([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)"


@dataclass(frozen=True)
class Holder:
    """The role as asked, the holder's name, the newest sentence naming them with the role, and its item."""

    role: str
    name: str
    sentence: str
    item: AgendaItem


def role_ordinal(question: str, words: Sequence[str]) -> int:
    """The number the question puts before the role ("Kuka on 2. varapuheenjohtaja?"), else 1."""
    if not words:
        return 1
    m = re.search(rf"(\d)\.\s*{re.escape(words[0][:4])}", question, re.IGNORECASE)
    return int(m.group(1)) if m else 1


def role_words(keywords: str) -> list[str]:
    """The role as the question writes it: its lower-case words ("tekninen johtaja"); names are not
    roles, nor are verbs ("toimi puheenjohtajana" → "puheenjohtajana"; "kuka johtaa …" names none)."""
    words = [w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", keywords) if w.islower()]
    return [w for w in words if not any(r.get("CLASS") == "teonsana" for r in tk.grammar(w))]


#: The role of whoever leads a body or a meeting ("Kuka johtaa tarkastuslautakuntaa?").
CHAIR = "puheenjohtaja"
VICE_CHAIR = "varapuheenjohtaja"
#: The role of whoever leads the town or the municipality itself ("Kuka johtaa kaupunkia?").
_HEAD_OF = {"kaupunki": "kaupunginjohtaja", "kunta": "kunnanjohtaja"}
_LEAD_VERB = "johtaa"
_MEETING = "kokous"


def leader_asked(q: Query, items: Sequence[AgendaItem], *, filtered: bool) -> tuple[list[str], list[AgendaItem]] | None:
    """The role and the items to read when the question asks who leads, else None.

    "Kuka johtaa tarkastuslautakuntaa?": leading a body is chairing it (that body's items only).
    "Kuka johti kokousta 18.2.2025?": the chair of the meeting the filters name (``filtered``), when it is
    one body's. "Kuka johtaa Lapuan kaupunkia?": leading the town is being its manager. A question naming
    anything besides the body, the meeting and the time asks about one matter's handling, whose record may
    name a stand-in: None. The question's own words are read, not the keywords, which for a follow-up
    carry the previous question's topic.
    """
    words = [(w.lower(), tk.analyze_word(w)) for w in re.findall(r"[^\W\d_]+", q.text)]
    if not any(_LEAD_VERB in a.bases for _w, a in words):
        return None
    said = {b for _w, a in words for b in a.bases}
    # A body is named when the question has each of its words ("teknistä lautakuntaa": "Tekninen lautakunta").
    named = {it.body for it in items if all(w in said for w in it.body.lower().split())}
    known = {w for b in [*named, *q.bodies] for w in b.lower().split()} | set(q.time_label.lower().split())
    head: list[str] = []
    for w, a in words:
        bases = set(a.bases)
        if "nimisana" not in a.classes or w in known or bases & (known | {_MEETING}):
            continue
        if not bases & _HEAD_OF.keys():
            return None
        head = [_HEAD_OF[b] for b in sorted(bases & _HEAD_OF.keys())]
    if named:
        return [CHAIR], [it for it in items if it.body in named]
    if filtered and not head:
        # The meeting the filters name: one body's (a month's meetings of several bodies have several chairs).
        return ([CHAIR], list(items)) if len({it.body for it in items}) == 1 else None
    # The town itself: "kaupunkia", else the organisation, whose name the search blanks from the question
    # ("Kuka johtaa Lapuan kaupunkia?" is searched as "Kuka johtaa ?"); its stored name ("Lapuan kaupunki")
    # says whether it is a town or a municipality.
    orgs = [w for org in sorted({it.municipality for it in items}) for w in org.lower().split()]
    head = head or [_HEAD_OF[b] for w in orgs for b in tk.analyze_word(w).bases if b in _HEAD_OF]
    return (head[:1], list(items)) if head else None


def holder(words: Sequence[str], items: Sequence[AgendaItem], *, listed_only: bool = False,
           ordinal: int = 1, min_mentions: int = MIN_MENTIONS) -> Holder | None:
    """The current holder of the role ``words`` in ``items``: the name written next to it at least
    ``min_mentions`` times, the latest such. ``listed_only``: read the meetings' attendance lists only
    (the record of who chaired each meeting; prose also names past holders). ``ordinal``: which of
    numbered holders ("Name, 2. varapuheenjohtaja") is asked; an unnumbered one always counts.
    ``min_mentions``: 1 when the question names the meeting or month: its record is enough alone."""
    if not words:
        return None
    # Each role word by its stem, so "kaupunginjohtajan" and "teknisen johtajan" match too.
    role = r"\s+".join(re.escape(w.lower()[: max(4, len(w) - 2)]) + r"\w*" for w in words)
    # "kaupunginjohtaja Satu Kankare" in prose; "Esittelijä: Satu Kankare, Kaupunginjohtaja" in headers.
    pattern = re.compile(rf"\b{role}\s+{_NAME}|{_NAME},\s+(?:(\d)\.\s*)?{role}\b", re.IGNORECASE)
    counts: Counter[str] = Counter()
    newest: dict[str, tuple[str, AgendaItem]] = {}
    read: set[tuple[str, str, str]] = set()
    for it in _newest_first(items):
        meeting = (it.municipality, it.body, it.date)
        # The meeting's attendance list counts once per meeting, though every item of it carries the list.
        lists = it.attendees if meeting not in read else []
        read.add(meeting)
        for s in [*([] if listed_only else sentences(it.text)), *lists]:
            for m in pattern.finditer(s[:MAX_SCAN_CHARS]):
                first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                if not (first[0].isupper() and last[0].isupper()) or int(m.group(5) or ordinal) != ordinal:
                    continue  # IGNORECASE let a lower-case word through; another numbered holder
                if m.group(1) and not _apposition(s[:m.start(1)]):
                    continue  # "… palveluntuottajilta Samuli Kylkisalon esityksen": no one holds that
                name = f"{first} {_surname(last)}"
                counts[name] += 1
                newest.setdefault(name, (_around(s, m.start(), m.end()), it))
    held = [n for n, c in counts.items() if c >= min_mentions]
    if not held:
        return None
    # The current holder: of the names written with the role often enough, the one written last (a
    # board elected for a new term has a new chair); a tie goes to the name written more often.
    name = max(held, key=lambda n: (newest[n][1].date, counts[n]))
    sentence, item = newest[name]
    # The role as the minutes name it, not as inflected in the question ("puheenjohtajana").
    label = " ".join((tk.analyze_word(w).bases or (w,))[0] for w in words)
    return Holder(label, name, sentence, item)


@dataclass(frozen=True)
class Listed:
    """One meeting's attendance list whose heading names the asked group ("Saapuvilla olleet jäsenet")."""

    heading: str
    people: tuple[str, ...]  # "Name, role" / "Name" as listed
    item: AgendaItem


def listed(words: Sequence[str], items: Sequence[AgendaItem]) -> Listed | None:
    """"Ketkä ovat teknisen lautakunnan jäsenet?": the newest meeting's list under a heading with the
    asked words ("jäsenet" in "Saapuvilla olleet jäsenet"), compared by base form; None without one."""
    asked = [set(tk.analyze_word(w).bases) for w in words]
    if not asked:
        return None
    for it in _newest_first(items):
        groups: dict[str, list[str]] = {}
        for entry in it.attendees:
            head, who = attendee_parts(entry)
            groups.setdefault(head, []).append(who)
        for head, people in groups.items():
            bases = {b for w in head.split() for b in tk.analyze_word(w).bases}
            if all(a & bases for a in asked):
                return Listed(head, tuple(people), it)
    return None


def _newest_first(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    """The newest meeting first, and within a meeting its first § first."""
    return sorted(items, key=lambda i: (i.date, -i.section), reverse=True)


#: Characters of a long sentence quoted around the role and the name.
QUOTE_CHARS = 160


def _around(sentence: str, start: int, end: int) -> str:
    """``sentence``, or in a long one (a header run into the text) the words around the match."""
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    lo = sentence.rfind(" ", 0, max(0, start - QUOTE_CHARS // 3)) + 1
    hi = sentence.find(" ", min(len(sentence), end + QUOTE_CHARS // 4))
    hi = len(sentence) if hi < 0 else hi
    return ("… " if lo else "") + sentence[lo:hi] + (" …" if hi < len(sentence) else "")


#: Cases in which a role stands beside its holder's name: "kaupunginjohtaja Satu Kankare",
#: "kaupunginjohtaja Satu Kankareen ehdotus" (the name inflects, the role stays), "puheenjohtajana Matti …".
_APPOSITION_CASES = {"nimento", "omanto", "olento"}


def _apposition(before: str) -> bool:
    """The role word just before a name can name that one person: singular, in a case a title takes
    beside a name. A plural or a local case ("palveluntuottajilta", "lautakunnalle") is a group or a
    direction, and the name after it begins something else. Unknown words pass (no analyser)."""
    words = before.split()
    if not words:
        return True
    readings = tk.grammar(words[-1].strip(",.:;").lower())
    if not readings:
        return True
    return any(r.get("NUMBER") != "plural" and r.get("SIJAMUOTO", "nimento") in _APPOSITION_CASES for r in readings)


def _surname(word: str) -> str:
    """A surname in its base form when the analyser knows it ("Kankareen" → "Kankare")."""
    for r in tk.grammar(word.lower()):
        if r.get("CLASS") == "sukunimi" and r.get("BASEFORM"):
            base = r["BASEFORM"]
            return base[:1].upper() + base[1:]
    return word
