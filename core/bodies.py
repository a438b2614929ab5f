"""Known decision-making bodies: full names, abbreviations and their organisations.

Minutes name bodies in several ways: the full name in a page header
("Kaupunginhallitus"), an abbreviation in plain-text exports
("PKTALK 10.03.2026 § 12") or a short form in references ("Kh 2.12.2024 § 5").
:func:`resolve_body` maps any of them to ``(full name, abbreviation)``.

Municipality of a document (documented choice): the organisation whose minutes
these are. It comes, in this order, from the caller's ``municipality_hint``,
the document itself (e.g. the header "Lapuan kaupunki"), or the organisation
registered here for the body (PKTALK → "Pohjois-Karjalan työllisyysalue", a
joint employment area whose minutes are not any single town's).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BodyInfo:
    """A body with its usual abbreviations and, when fixed, its organisation."""

    name: str
    abbrs: tuple[str, ...] = ()
    organisation: str | None = None


BODIES: tuple[BodyInfo, ...] = (
    BodyInfo("Pohjois-Karjalan työllisyysalueen lautakunta", ("PKTALK",), "Pohjois-Karjalan työllisyysalue"),
    BodyInfo("Kaupunginhallitus", ("KH", "Kh", "Khall")),
    BodyInfo("Kaupunginvaltuusto", ("KV", "Kv", "Kvalt")),
    BodyInfo("Kunnanhallitus", ("KH", "Kh")),
    BodyInfo("Kunnanvaltuusto", ("KV", "Kv")),
    BodyInfo("Tekninen lautakunta", ("Tekla", "TEKLA", "Tela", "Tekn.ltk")),
    BodyInfo("Sivistyslautakunta", ("Sivla", "SIVLA", "Sivltk")),
    BodyInfo("Hyvinvointilautakunta", ("Hyvla", "HYVLA")),
    BodyInfo("Ympäristölautakunta", ("Ympla", "YMPLA", "Ymp.ltk")),
    BodyInfo("Tarkastuslautakunta", ("Tarla", "TARLA", "Tarkla")),
    BodyInfo("Vapaa-ajanlautakunta", ("Vapla",)),
    BodyInfo("Keskusvaalilautakunta", ("Kvlk",)),
    BodyInfo("Henkilöstöjaosto", ()),
    BodyInfo("Puheenjohtajiston työryhmä", ()),
)

_BY_NAME = {b.name.casefold(): b for b in BODIES}
_BY_ABBR: dict[str, BodyInfo] = {}
for _b in BODIES:
    for _a in _b.abbrs:
        # first registration wins: "Kh" means Kaupunginhallitus unless the text says otherwise
        _BY_ABBR.setdefault(_a, _b)
        _BY_ABBR.setdefault(_a.upper(), _b)

_BODY_WORDS = (
    r"lautakunta|hallitus|valtuusto|jaosto|toimikunta|työryhmä|neuvosto|johtokunta|"
    r"toimielin|lautakunnan\s+jaosto|yhtymäkokous|yhtymähallitus|aluehallitus|aluevaltuusto|ltk\.?|"
    r"fullmäktige|styrelse|styrelsen|nämnd|nämnden|sektion|sektionen|direktion|direktionen|"
    r"city council|city board|committee|subcommittee|division"
)
#: Body words in the genitive, Finnish and Swedish ("kaupunginhallituksen", "kommunstyrelsens"): the owner
#: of a label such as "Kaupunginhallituksen päätös" is a body, unlike "Hallinto-oikeuden päätös".
BODY_GENITIVES = ("lautakunnan", "hallituksen", "valtuuston", "jaoston", "toimikunnan", "työryhmän", "neuvoston",
                  "johtokunnan", "toimielimen", "yhtymäkokouksen", "styrelsens", "fullmäktiges", "nämndens",
                  "sektionens", "direktionens", "utskottets")
#: A body named in the genitive: a compound ending in one of them or one of them alone ("Lautakunnan").
BODY_GENITIVE = (rf"(?:[A-ZÅÄÖ][\w\- ]{{0,60}}?(?:{'|'.join(BODY_GENITIVES)})"
                 rf"|(?:{'|'.join(w.capitalize() for w in BODY_GENITIVES)}))")
# Searched for at the end of a name: the look-ahead on the words' first letters turns most
# positions away with one test (a case-insensitive alternation gets no such shortcut).
_BODY_WORD_RE = re.compile(
    rf"(?=[{''.join(sorted({w[0] for w in _BODY_WORDS.split('|')}))}])(?:{_BODY_WORDS})$", re.IGNORECASE
)
#: Swedish names that put the body word first: "Nämnden för lokaltjänster", "Sektionen för …".
_BODY_FOR_RE = re.compile(r"^(?:Nämnden|Sektionen|Direktionen|Utskottet|Styrelsen|Delegationen) för [\w ,-]{3,60}$")
_ABBR_RE = re.compile(r"^[A-ZÅÄÖ][A-Za-zÅÄÖåäö.]{1,11}$")
_CAPS_RE = re.compile(r"^[A-ZÅÄÖ]{3,10}$")
_PHRASE_RE = re.compile(
    r"\b([A-ZÅÄÖ][\w-]+(?:\s+[a-zåäö][\w-]+){0,3}\s+(?:lautakunta|hallitus|valtuusto|jaosto|toimikunta)|"
    r"[A-ZÅÄÖ][\w-]*(?:styrelsen|fullmäktige|nämnden))\b")
_WORD_RE = re.compile(r"\w+")
_JOINT_STEMS = {"alueen": "alue", "yhtymän": "yhtymä", "seudun": "seutu"}
#: Organisations other than towns and municipalities, by the type word that ends their name: its genitive
#: (before one of its bodies: "Kuvalan seurakuntayhtymän yhteinen kirkkoneuvosto") and its nominative.
ORGANISATION_TYPES = {"kuntayhtymän": "kuntayhtymä", "seurakuntayhtymän": "seurakuntayhtymä",
                      "seurakunnan": "seurakunta", "hyvinvointialueen": "hyvinvointialue",
                      "työllisyysalueen": "työllisyysalue", "maakuntaliiton": "maakuntaliitto", "liiton": "liitto"}


def organisation_type(genitive: str) -> str:
    """The nominative of a word ending in an organisation's type word in the genitive ("Koulutuskuntayhtymän"
    → "koulutuskuntayhtymä"); the word lower-cased when it ends in none."""
    word = genitive.lower()
    return next((word[: -len(g)] + n for g, n in ORGANISATION_TYPES.items() if word.endswith(g)), word)


def resolve_body(text: str) -> tuple[str, str | None]:
    """Map a body name or abbreviation to ``(full name, abbreviation or None)``.

    Unknown names that look like a body ("Nuorisolautakunta") are returned
    as they are; an unknown all-capitals token is kept as both name and abbr.

    >>> resolve_body("PKTALK")
    ('Pohjois-Karjalan työllisyysalueen lautakunta', 'PKTALK')
    >>> resolve_body("Tekninen lautakunta")
    ('Tekninen lautakunta', None)
    """
    t = re.sub(r"\s+", " ", text).strip(" ,.:;")
    if not t:
        return "", None
    known = _BY_NAME.get(t.casefold())
    if known:
        return known.name, None
    info = _BY_ABBR.get(t) or _BY_ABBR.get(t.upper())
    if info and _ABBR_RE.match(t):
        return info.name, t
    return t[:1].upper() + t[1:], None


def is_body_name(text: str) -> bool:
    """True if ``text`` is a known body, a known abbreviation or ends like a body name."""
    t = re.sub(r"\s+", " ", text).strip(" ,.:;")
    if not t or len(t) > 80:
        return False
    if t.casefold() in _BY_NAME or t in _BY_ABBR or t.upper() in _BY_ABBR or _CAPS_RE.match(t):
        return True
    return bool(_BODY_WORD_RE.search(t) or _BODY_FOR_RE.match(t)) and t[:1].isupper()


def organisation_for_body(name: str) -> str | None:
    """The organisation of a body, registered or derived from its name, or None.

    A joint body named "<X> <Y>alueen lautakunta" belongs to "<X> <Y>alue"
    (e.g. "Esimerkkiseudun työllisyysalueen lautakunta" → "Esimerkkiseudun työllisyysalue").
    """
    info = _BY_NAME.get(name.casefold())
    if info and info.organisation:
        return info.organisation
    return _joint_organisation(name)


def _joint_organisation(name: str) -> str | None:
    """``<X> <Y>alueen <body>`` → ``<X> <Y>alue``, or None.

    Split with str methods, not one ``(.+?)\\s+(\\w+?)(alueen|…)\\s+\\w+$`` regex: that retries
    every split of a long line. The last two words are whole ``\\w`` words, the one before the
    body word ends in a genitive ending after at least one letter, and the text before it is
    a non-empty part of one line.
    """
    text = name[:-1] if name.endswith("\n") else name  # like "$", which allows one final newline
    if not text or text[-1].isspace():
        return None
    parts = text.rsplit(None, 2)
    if len(parts) == 3:
        head, word, body = parts
    elif len(parts) == 2 and text[:2].isspace():
        head, (word, body) = text[0], parts  # a name indented by 2+ spaces: the head is one space
    else:
        return None
    if "\n" in head or not _WORD_RE.fullmatch(word) or not _WORD_RE.fullmatch(body):
        return None
    for ending, stem in _JOINT_STEMS.items():
        if word.endswith(ending) and len(word) > len(ending):
            return f"{head} {word[:-len(ending)]}{stem}"
    return None


def expand_abbreviation(abbr: str, text: str) -> str | None:
    """Find the body an unknown abbreviation stands for in ``text``.

    Each letter of ``abbr`` must match, in order, the first letter of a word of
    the phrase or a later letter of the same word (compound parts:
    ``ESTALK`` = *E*simerkki*s*eudun *t*yöllisyys*a*lueen *l*auta*k*unta).
    """
    best: str | None = None
    for m in _PHRASE_RE.finditer(text):
        phrase = m.group(1)
        if _abbr_fits(abbr.lower(), phrase.lower().split()) and (best is None or len(phrase) < len(best)):
            best = phrase
    return best


def abbreviation_fits(abbr: str, name: str) -> bool:
    """True when ``abbr`` can abbreviate ``name`` (``KHAL`` → "Kunnanhallitus", ``STST`` → "Stadsstyrelsen")."""
    return bool(abbr) and bool(name) and _abbr_fits(abbr.lower(), name.lower().split())


def _abbr_fits(abbr: str, words: list[str]) -> bool:
    if not abbr:
        return not words
    if not words or abbr[0] != words[0][0]:
        return False
    word, rest = words[0], abbr[1:]
    # take k more letters from inside this word (as a subsequence), the rest from the next words
    for k in range(len(rest), -1, -1):
        pos, ok = 1, True
        for ch in rest[:k]:
            pos = word.find(ch, pos) + 1
            if pos == 0:
                ok = False
                break
        if ok and _abbr_fits(rest[k:], words[1:]):
            return True
    return False


#: A town's and a municipality's board and council have parallel names ("Kaupunginhallitus" of a
#: "kaupunki", "Kunnanhallitus" of a "kunta"; Swedish "Stadsstyrelsen" / "Kommunstyrelsen"). A short form
#: ("Khall", "KH") names either, and the registry can only guess the first.
_CIVIC_FI = re.compile(r"^(?:Kaupungin|Kunnan)(?=hallitu|valtuust)")
_CIVIC_SV = re.compile(r"^(?:Stads|Kommun)(?=styrelse|fullmäktige)")
_ORG_KINDS = {"kaupunki": "city", "stad": "city", "kunta": "municipality", "kommun": "municipality"}


#: The civic bodies and offices a town or a municipality names in its own minutes.
_CITY_WORDS = re.compile(r"\b(?:kaupungin(?:hallitu|valtuust|johtaj)|stads(?:styrelse|fullmäktige|direktör))", re.I)
_MUNICIPALITY_WORDS = re.compile(r"\b(?:kunnan(?:hallitu|valtuust|johtaj)|kommun(?:styrelse|fullmäktige|direktör))", re.I)


def civic_kind(text: str) -> str | None:
    """"city" or "municipality" when ``text`` names only one kind's civic bodies or offices ("Kunnanhallitus
    hyväksyy …", "kunnanjohtajan ehdotus"); None when it names both or neither."""
    city, municipality = bool(_CITY_WORDS.search(text)), bool(_MUNICIPALITY_WORDS.search(text))
    return "city" if city and not municipality else "municipality" if municipality and not city else None


def for_organisation(body: str, organisation: str, kind: str | None = None) -> str:
    """``body`` as ``organisation`` names its own: "Kaupunginhallitus" of "Esimerkkilän kunta" is its
    "Kunnanhallitus" (and a town's "Kunnanvaltuusto" its "Kaupunginvaltuusto"); other bodies, and
    organisations that are neither a town nor a municipality, as they are. ``kind`` ("city",
    "municipality", see :func:`civic_kind`) stands in when the organisation's name does not tell.

    >>> for_organisation("Kaupunginhallitus", "Esimerkkilän kunta")
    'Kunnanhallitus'
    >>> for_organisation("Kommunfullmäktige", "Pargas stad")
    'Stadsfullmäktige'
    >>> for_organisation("Kaupunginhallitus", "", "municipality")
    'Kunnanhallitus'
    """
    words = organisation.split()
    kind = (_ORG_KINDS.get(words[-1].lower()) if words else None) or kind
    if kind is None:
        return body
    if _CIVIC_FI.match(body):
        return _CIVIC_FI.sub("Kaupungin" if kind == "city" else "Kunnan", body, count=1)
    if _CIVIC_SV.match(body):
        return _CIVIC_SV.sub("Stads" if kind == "city" else "Kommun", body, count=1)
    return body


def registered_abbreviations(name: str) -> tuple[str, ...]:
    """The registered abbreviations of body ``name`` ("Kaupunginhallitus" → ("KH", "Kh", "Khall")), or ()."""
    info = _BY_NAME.get(name.casefold())
    return info.abbrs if info else ()


def known_body_names() -> list[str]:
    """Full names of all registered bodies, longest first (for matching in text)."""
    return sorted({b.name for b in BODIES}, key=len, reverse=True)
