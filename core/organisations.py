"""Organisations (municipalities, wellbeing areas, joint authorities) in one store.

A store may hold the minutes of many organisations. Then:

* a question that names one ("Mitä Jämsän kaupunginhallitus päätti?",
  "Jämsässä", "jämsäläiset") searches only its items: :func:`find_in_question`;
* answers and citations name the organisation ("Jämsän kaupunki,
  Kaupunginhallitus 4.12.2023 § 303"): :func:`label_organisation`.

Names are recognised from the organisation names present in the store (the
items' ``municipality``), never from a list of towns: each name's distinctive
words (not the organisation-type word "kaupunki", "kunta", "…alue", "stad",
"kommun", "…område", nor function words) are compared with the question's
words through ``core.tokens`` base forms ("Jämsässä" → ``jämsä``), the genitive
stem of the name ("Jämsän" → ``jämsä``) and, for inhabitant words
("jämsäläiset"), the analyser's word roots.

With one organisation in the store nothing changes: questions are parsed and
citations labelled as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

# Organisation-type words: a name ending in one of these says what, not which, organisation it is.
_TYPE_ENDINGS = ("kaupunki", "kunta", "alue", "yhtymä", "stad", "staden", "kommun", "kommunen", "område",
                 "området")
_INHABITANT = ("lainen", "läinen")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

#: The organisations of the store being answered from (set by the assistant around one answer).
_STORE: ContextVar[tuple[str, ...]] = ContextVar("store_organisations", default=())


@dataclass(frozen=True)
class Found:
    """Organisations a question names and the character spans of the words naming them."""

    names: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    def scope_only(self, text: str) -> Found:
        """Without the runs of naming words that begin another name, i.e. are followed by a capitalised
        word ("Lapuan Vesi Oy", "Lapuan Kristillinen Opisto"): those words are the subject's own."""
        runs: list[list[tuple[int, int]]] = []
        for span in sorted(self.spans):
            if runs and not text[runs[-1][-1][1]:span[0]].strip():
                runs[-1].append(span)
            else:
                runs.append([span])
        keep = [span for run in runs if not _capitalised_next(text[run[-1][1]:]) for span in run]
        return Found(self.names, tuple(keep))

    def rest(self, text: str) -> str:
        """``text`` with the naming words blanked (positions kept)."""
        chars = list(text)
        for a, b in self.spans:
            chars[a:b] = " " * (b - a)
        return "".join(chars)


def _capitalised_next(rest: str) -> bool:
    """The next word of ``rest`` (after whitespace) begins with a capital letter, in any script."""
    m = re.match(r"\s+(\w)", rest)
    return bool(m) and m.group(1).isupper()


def in_items(municipalities: Iterable[str]) -> tuple[str, ...]:
    """The distinct non-empty organisation names, sorted."""
    return tuple(sorted({m for m in municipalities if m}))


def _keys(word: str, *, name: bool) -> frozenset[str]:
    """What one word may meet: lowercase form, base forms, and (names) the genitive stem."""
    from core import tokens

    low = word.lower()
    a = tokens.analyze_word(low)
    keys = {low, *a.bases}
    if name and low.endswith("n") and len(low) > 4:
        keys.add(low[:-1])  # "Jämsän" → "jämsä"
    if any(b.endswith(_INHABITANT) for b in a.bases):
        keys.update(a.roots)  # "jämsäläiset" → root "jämsä"
    return frozenset(keys)


def _is_type_word(word: str) -> bool:
    from core import tokens

    low = word.lower()
    a = tokens.analyze_word(low)
    return any(x.endswith(_TYPE_ENDINGS) for x in (low, *a.bases, *a.parts))


def _genitive_type_word(word: str) -> bool:
    """An inflected type word ending in -n ("työllisyysalueen", "kaupungin"): a modifier of the next word."""
    from core import tokens

    low = word.lower()
    return low.endswith("n") and low not in tokens.analyze_word(low).bases and _is_type_word(low)


def _function_word(word: str) -> bool:
    from core import language, tokens

    low = word.lower()
    return len(low) < 3 or low in tokens.STOPWORDS or low in language.SV_FUNCTION_WORDS \
        or low in language.FI_FUNCTION_WORDS


@lru_cache(maxsize=512)
def _name_words(org: str, backend: str) -> tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...]]:
    """``(distinctive word keys, every word's keys)`` of an organisation name (``backend`` keys the cache)."""
    words = _WORD.findall(org)
    every = tuple(_keys(w, name=True) for w in words)
    distinctive = tuple(k for w, k in zip(words, every, strict=True)
                        if not _function_word(w) and not _is_type_word(w))
    return distinctive, every


def _analysed(org: str) -> tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...]]:
    from core import tokens

    return _name_words(org, tokens.BACKEND)


def find_in_question(text: str, organisations: Iterable[str]) -> Found:
    """The store's organisations that ``text`` names, best matches only.

    An organisation is named when a question word meets one of its distinctive
    words; when several are named by the same words ("Helsingin" for "Helsingin
    kaupunki" and "Helsingin seudun liikenne"), those meeting the most words win.
    The words of the whole name around a match ("Jämsän kaupungin", "Vanda och
    Kervo välfärdsområde") are reported as its span.
    """
    orgs = in_items(organisations)
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    qkeys = [_keys(w, name=False) for _a, _b, w in words]
    hits: dict[str, set[int]] = {}
    score: dict[str, int] = {}
    for org in orgs:
        distinctive, _every = _analysed(org)
        met = [{i for i, k in enumerate(qkeys) if k & d} for d in distinctive]
        if any(met):
            hits[org] = set().union(*met)
            score[org] = sum(1 for m in met if m)
    if not hits:
        return Found()
    best = max(score.values())
    names = tuple(o for o in orgs if score.get(o) == best)
    used: set[int] = set()
    surfaces = [w for _a, _b, w in words]
    for org in names:
        used |= _extend(hits[org], qkeys, surfaces, _analysed(org)[1])
    return Found(names, tuple((words[i][0], words[i][1]) for i in sorted(used)))


def _extend(idx: set[int], qkeys: list[frozenset[str]], surfaces: list[str],
            every: tuple[frozenset[str], ...]) -> set[int]:
    """Matched word indexes grown over neighbouring words that belong to the same name.

    A type word in the genitive ("työllisyysalueen lautakunta", "hyvinvointialueen hallitus")
    modifies the next word, usually a body's name, and is left for body matching.
    """
    out = set(idx)
    for i in sorted(idx):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(qkeys) and j not in out and any(qkeys[j] & k for k in every):
                if j + 1 < len(qkeys) and _genitive_type_word(surfaces[j]):
                    break
                out.add(j)
                j += step
    return out


def body_names_organisation(body: str, organisation: str) -> bool:
    """Whether a body's own name already says whose it is ("Esimerkkiseudun työllisyysalueen lautakunta")."""
    distinctive, _every = _analysed(organisation)
    if not distinctive:
        return False
    bkeys = [_keys(w, name=True) for w in _WORD.findall(body)]
    return all(any(d & k for k in bkeys) for d in distinctive)


def label_organisation(municipality: str, body: str, organisations: Iterable[str]) -> str | None:
    """The organisation a citation names, or None (pure).

    Named only when the store holds more than one organisation, the item's is
    known, and the body's name does not already say it.
    """
    if len(in_items(organisations)) < 2 or not municipality:
        return None
    return None if body_names_organisation(body, municipality) else municipality


@contextmanager
def naming(organisations: Iterable[str]) -> Iterator[None]:
    """Within the block, ``cited()`` labels against these store organisations."""
    token = _STORE.set(in_items(organisations))
    try:
        yield
    finally:
        _STORE.reset(token)


def cited(municipality: str, body: str) -> str | None:
    """``label_organisation`` against the organisations set by the enclosing ``naming`` block."""
    orgs = _STORE.get()
    return label_organisation(municipality, body, orgs) if len(orgs) > 1 else None


def named_body(municipality: str, body: str) -> str:
    """A body name for headings: ``"Jämsän kaupunki, Kaupunginhallitus"`` when the organisation is named."""
    org = cited(municipality, body)
    return f"{org}, {body}" if org else body
