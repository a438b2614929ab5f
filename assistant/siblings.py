"""Sibling items: one meeting's items of one kind answer a list question together.

A meeting often handles a list as items of their own: eight private roads' grant applications
("Yksityisteiden lisäavustushakemukset 2025 / Seppäkalliontie", "… / Kuusenmäentie", …), five
posts' filling permits ("Täyttölupa kuvataiteen lehtorin viran …", "Täyttölupa äidinkielen …").
The answerability model reads each hit against the others (how far its similarity stands out, its
rank), so siblings split those features: each is judged unlikely alone, and "Mille yksityisteille
myönnettiin lisäavustusta?" was refused although all eight items answer it. A question that asks
for several things is answered by the group: when one member answers, its siblings do too; when
none does alone but each holds every word of the question, the group answers if the chance that at
least one member answers, 1 − Π(1 − p), clears the model's threshold. And a list question asked with
a compound the minutes never title items with ("täyttölupahakemuksia") is answered by the items titled
by its left part ("Täyttölupa …"), when two or more are (:func:`titled_by_modifier`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from assistant.lexicon import Lexicon
from assistant.text import is_routine
from assistant.types import Relevance
from core.items import AgendaItem
from core.tokens import analyze_word, tokenize

#: Titles are siblings when they share what comes before " / " ("Hanke / …"), or, without one, a first
#: word that is not generic (by document frequency: "Lapuan …" opens titles of every kind).
SEPARATOR = " / "


def kind_key(title: str, generic: Collection[str]) -> str | None:
    """What a title says the item is, shared by its siblings; None when it names nothing shared."""
    head = title.split(SEPARATOR, 1)[0].strip() if SEPARATOR in title else title.split(" ", 1)[0]
    toks = tokenize(head)
    if not toks or (SEPARATOR not in title and all(t in generic for t in toks)):
        return None
    return " ".join(toks)


def answer_together(judged: Sequence[Relevance], threshold: float, generic: Collection[str]) -> tuple[Relevance, ...]:
    """``judged`` with every member of a sibling group marked as answering when the group does."""
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for i, r in enumerate(judged):
        it = r.hit.item
        key = kind_key(it.title, generic)
        if key is None or r.probability is None or is_routine(it):
            continue
        groups.setdefault((it.municipality, it.body, it.date, key), []).append(i)
    out = list(judged)
    for members in groups.values():
        named = max(len(judged[i].names_found) for i in members)
        members = [i for i in members if len(judged[i].names_found) == named]  # the asked entity's siblings
        if len(members) < 2 or all(judged[i].answers for i in members):
            continue
        if any(judged[i].answers for i in members) or _together(judged, members) >= threshold:
            for i in members:
                out[i] = replace(out[i], answers=True)
    return tuple(out)


def _together(judged: Sequence[Relevance], members: list[int]) -> float:
    """The chance that at least one member answers, counted only for members that each hold every word
    of the question: siblings are alike, so their chances are far from independent, and a group of
    near misses ("uimahalli" items for a "jäähalli" question) must not add up to an answer."""
    if any(judged[i].coverage < 1.0 for i in members):
        return 0.0
    miss = 1.0
    for i in members:
        miss *= 1.0 - (judged[i].probability or 0.0)
    return 1.0 - miss


#: Shortest left part of a compound that names a kind of item on its own ("täyttölupa", "pyörätie").
MIN_MODIFIER = 5


def titled_by_rarest(judged: Sequence[Relevance], groups: Sequence[tuple[Sequence[str], Sequence[str]]],
                     lex: Lexicon) -> tuple[Relevance, ...]:
    """:func:`titled_by_modifier` for the question's rarest word (by IDF), its titled items holding the
    question's other nouns ("… ruokapalveluissa"), not its verbs ("käsitelty", "tehty")."""
    k = max(range(len(groups)), key=lambda j: lex.idf(groups[j][0][0]))
    others = [frozenset(g) for j, (f, g) in enumerate(groups) if j != k and g and "nimisana" in analyze_word(f[0]).classes]
    return titled_by_modifier(judged, groups[k][0][0], lex.vocabulary, lex.generic,
                              holds=lambda it: all(g & lex.item_tokens(it.item_id) for g in others))


def titled_by_modifier(judged: Sequence[Relevance], base: str, vocabulary: Collection[str],
                       generic: Collection[str], *, holds: Callable[[AgendaItem], bool] = lambda _it: True
                       ) -> tuple[Relevance, ...]:
    """A list question none of whose candidates answers alone, asked with a compound the minutes do not
    title items with ("Mitä täyttölupahakemuksia on käsitelty?"): the items titled by its left part
    ("Täyttölupa, tilahuoltajan toimi", "Täyttöluvat …") answer it together, when two or more are.
    ``base`` is the question's rarest word's base form; ``holds`` tells whether an item holds the
    question's other words ("… ruokapalveluissa"), which a titled item must."""
    a = analyze_word(base)
    if not a.bases or not a.parts or not a.bases[0].endswith(a.parts[-1]):
        return tuple(judged)
    left = a.bases[0][: -len(a.parts[-1])]
    if len(left) < MIN_MODIFIER or left not in vocabulary or left in generic:
        return tuple(judged)
    titled = [i for i, r in enumerate(judged)
              if _titled_by(r.hit.item.title, left) and not is_routine(r.hit.item) and holds(r.hit.item)]
    if len(titled) < 2:
        return tuple(judged)
    out = list(judged)
    for i in titled:
        # The title names the asked thing: the item covers the question as fully as any can, so items
        # that only share the compound's head ("maa-aineslupahakemus") are not listed beside it.
        out[i] = replace(out[i], answers=True, coverage=1.0)
    return tuple(out)


def _titled_by(title: str, left: str) -> bool:
    """A word of ``title`` is ``left`` or a compound it begins ("Täyttöluvat", "Täyttölupa-asia"), not one
    that only ends with it ("Viemäriverkostoon" does not name "verkosto…" items)."""
    return any(b.startswith(left) for w in title.split() for b in analyze_word(w.strip(".,:;()/")).bases)
