"""Where a question names a body, and which of those names are filters.

Every way a question may name a body of the store (full name, its parts, abbreviations, the
town's and the municipality's words for the council and board), and three readings that make a
named body something else than the one that decided: a body in the illative ("valittiin
sivistyslautakuntaan") or in the genitive before an illative ("valtuuston kokouksiin") is where
someone went, and a body after a place name ("Seinäjoen kaupunginvaltuusto") is another town's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core import tokens
from core.bodies import registered_abbreviations

_GENERIC_BODY = frozenset("lautakunta hallitus valtuusto jaosto toimikunta johtokunta neuvosto kunta kaupunki".split())
#: Voikko classes of nouns and names (a standalone adjective alias needs a non-nominal next word).
NOMINAL = frozenset("nimisana nimisana_laatusana nimi paikannimi etunimi sukunimi".split())


@dataclass(frozen=True)
class BodyInfo:
    """A decision-making body present in the store, e.g. ``BodyInfo("Kaupunginhallitus")``."""

    name: str
    abbr: str | None = None


@dataclass(frozen=True)
class _Alias:
    words: tuple[str, ...]  # lowercase lemmas or surface forms, one per question word
    body: str
    standalone: bool = False  # an adjective alone ("tekninen"): the next word must not be nominal


def _lemma(word: str) -> str:
    return tokens.lemmas(word)[0]


@lru_cache(maxsize=64)
def _aliases(bodies: tuple[BodyInfo, ...], backend: str) -> tuple[_Alias, ...]:
    """Every way a question may name each body, longest first (``backend`` keys the cache)."""
    out: set[_Alias] = set()
    for b in bodies:
        raw = b.name.split()
        if not raw:
            continue  # minutes that never name their body: nothing a question could call it
        full = tuple(_lemma(w) for w in raw)
        head = full[-1]
        out.add(_Alias(full, b.name))
        out.add(_Alias(tuple(w.lower() for w in raw), b.name))
        if b.abbr:
            out.add(_Alias((b.abbr.lower(),), b.name))
        for i in range(1, len(full)):  # "työllisyysalueen lautakunta" without "Pohjois-Karjalan"
            tail = full[i:]
            if len(tail) > 1 or tail[0] not in _GENERIC_BODY:
                out.add(_Alias(tail, b.name))
        generic = next((g for g in ("lautakunta", "toimikunta", "jaosto") if head.endswith(g)), None)
        first = tokens.analyze_word(raw[0])
        place = len(raw) > 1 and ("paikannimi" in first.classes or (not first.known and raw[0][:1].isupper()))
        for w, lem in list(zip(raw, full, strict=True))[1 if place else 0:-1]:
            if w.endswith("-") and generic:  # "Ympäristö- ja rakennuslautakunta" → "ympäristölautakunta"
                out.add(_Alias((w[:-1].lower() + generic,), b.name))
                continue
            if lem in tokens.STOPWORDS or len(lem) < 3 or lem.endswith(tuple(_GENERIC_BODY)):
                continue  # "ja"; "Kaupunginhallituksen" in a jaosto name names the parent body
            a = tokens.analyze_word(w)
            adjective = "laatusana" in a.classes and "nimisana" not in a.classes
            out.add(_Alias((lem,), b.name, standalone=adjective))  # "työllisyysalue", "tekninen"
            if head == "lautakunta":
                out.add(_Alias((lem, "ltk"), b.name))
            if a.parts:  # "työllisyysalue" → "työllisyyslautakunta"
                modifier = lem[: len(lem) - len(a.parts[0])]
                if len(modifier) >= 3:
                    out.add(_Alias((modifier + head,), b.name))
        if len(full) == 1 and generic and head != generic:  # "tarkastuslautakunta" → "tarkastus ltk"
            mod = head[: -len(generic)]
            out.add(_Alias((mod, generic), b.name))
            if generic == "lautakunta":
                out.update({_Alias((mod, "ltk"), b.name), _Alias((mod + "ltk",), b.name)})
        if head in ("kaupunginhallitus", "kunnanhallitus"):  # the town's and the municipality's word
            out.update(_Alias((x,), b.name) for x in ("kaupunginhallitus", "kunnanhallitus"))
        if head in ("kaupunginvaltuusto", "kunnanvaltuusto"):
            out.update(_Alias((x,), b.name) for x in ("valtuusto", "kaupunginvaltuusto", "kunnanvaltuusto"))
        # Registered abbreviations (core.bodies is their one home): "Kh", "Tekla", "Tekn.ltk" → ("tekn", "ltk").
        for abbr in registered_abbreviations(b.name):
            out.add(_Alias(tuple(p.lower() for p in re.split(r"[.\s]+", abbr) if p), b.name))
    return tuple(sorted(out, key=lambda a: (-len(a.words), a.words, a.body)))


def match_bodies(words: Sequence[Any], bodies: list[BodyInfo]) -> tuple[list[str], set[int], list[str]]:
    """Body names mentioned in ``words`` (store order kept), the indexes of the words used, and the
    bodies named with a place before them ("Seinäjoen kaupunginvaltuusto"), as written."""
    aliases = _aliases(tuple(bodies), tokens.BACKEND)
    keys = [w.keys() for w in words]
    found: list[str] = []
    used: set[int] = set()
    owned: list[str] = []
    i = 0
    while i < len(words):
        hit = None
        for a in aliases:
            n = len(a.words)
            if i + n > len(words) or any(a.words[j] not in keys[i + j] for j in range(n)):
                continue
            if a.standalone and i + n < len(words):
                nxt = words[i + n]
                if set(nxt.classes) & (NOMINAL | {"laatusana"}) or not nxt.known:
                    continue
            hit = a
            break
        if hit is None:
            i += 1
            continue
        if _destination(words, i + len(hit.words) - 1):
            # "Kuka tuli X:n tilalle sivistyslautakuntaan?", "… puhumaan kaupunginvaltuuston kokouksiin?":
            # the body is where someone goes, another body decided; a topic word, not a filter.
            i += len(hit.words)
            continue
        if i > 0 and _place_genitive(words[i - 1]):
            # "Seinäjoen kaupunginvaltuusto": another town's council (the store's own organisation
            # names are blanked before parsing, see plan._read), not this store's.
            owned.append(" ".join(w.surface for w in words[i - 1:i + len(hit.words)]))
            i += len(hit.words)
            continue
        if hit.body not in found:
            found.append(hit.body)
        used.update(range(i, i + len(hit.words)))
        i += len(hit.words)
    order = {b.name: k for k, b in enumerate(bodies)}
    return sorted(found, key=order.__getitem__), used, owned


def _place_genitive(word: Any) -> bool:
    """A capitalised place name in the genitive ("Seinäjoen", "Kauhavan")."""
    return word.surface[:1].isupper() and any(
        r.get("CLASS") == "paikannimi" and r.get("SIJAMUOTO") == "omanto" for r in tokens.grammar(word.low))


_ILLATIVE_END = re.compile(r"(?:aan|ään|oon|öön|uun|yyn|een|iin|seen|hin)$")


def _destination(words: Sequence[Any], last: int) -> bool:
    """Whether the body name ending at ``words[last]`` is not the one deciding: where something goes, in
    the illative itself ("lautakuntaan") or in the genitive before a noun in the illative ("valtuuston
    kokouksiin"), or what is acted on, in the partitive ("johtavat kaupunginhallitusta")."""
    if _into(words[last].low) or _object(words[last].low):
        return True
    nxt = words[last + 1] if last + 1 < len(words) else None
    return nxt is not None and _genitive(words[last].low) and _into(nxt.low)


def _genitive(word: str) -> bool:
    """Whether ``word`` may be in the genitive (Voikko's readings; the ending alone without Voikko)."""
    readings = tokens.grammar(word)
    if readings:
        return any(r.get("SIJAMUOTO") == "omanto" for r in readings)
    return word.endswith("n")


def _object(word: str) -> bool:
    """Whether ``word`` is in the partitive in every reading ("Kuka johtaa kaupunginhallitusta?"): the body is
    what is acted on, not the one that decides; without Voikko, never (the ending is too ambiguous)."""
    nouns = [r for r in tokens.grammar(word) if r.get("CLASS") in ("nimisana", "nimi")]  # not "kaupunginhallittu"
    return bool(nouns) and all(r.get("SIJAMUOTO") == "osanto" for r in nouns)


def _into(word: str) -> bool:
    """Whether ``word`` is in the illative case ("lautakuntaan", "hallitukseen", "valtuustoon") in every
    reading Voikko gives (the ending alone without Voikko)."""
    readings = tokens.grammar(word)
    if readings:
        return all(r.get("SIJAMUOTO") == "sisatulento" for r in readings)
    return bool(_ILLATIVE_END.search(word))
