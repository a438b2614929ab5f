"""Layout-independent line markers: § headings in all their printed forms, handling markers, dates.

Finnish and Finland-Swedish decision systems print an item's start in a few shapes,
whatever the product that made the page:

* ``§ 12 Title`` / ``§ 12`` (Cloudia, Lapua, own web pages, digests);
* ``12 § Title`` (number before the sign: digests, Word/PDF exports, Swedish protokoll);
* ``Pöytäkirja 04.12.2023/Pykälä 303`` (Dynasty item pages; ``Esityslista …`` in agendas);
* ``Body 04.12.2025 § 53`` / ``TEKLA 04.12.2025 § 53`` (Dynasty handling markers, plain-text exports);
* ``§ 7, STST 2015-01-22 16:00`` (KTweb/Tweb item header; after docplayer stripping ``68, SSTYR :00``);
* ``2. / 747 §``, ``Case 15. / 85 §``, ``Ärende 21. / 135 §`` (agenda number / §, paatokset.hel.fi);
* ``Kaupunginhallitus29404.06.20124`` (glued handling rows of ah.turku.fi: body, §, date, agenda no.).

Every regex here is anchored and linear, so untrusted text cannot make it backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.bodies import ORGANISATION_TYPES, is_body_name, organisation_type
from core.caseids import is_case_id

# ------------------------------------------------------------------ dates

_DMY = r"(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})"
_DMY_DASH = r"(\d{1,2})-(\d{1,2})-((?:19|20)\d{2})"
_YMD = r"((?:19|20)\d{2})-(\d{2})-(\d{2})"
ANY_DATE = rf"(?:{_DMY}|{_DMY_DASH}|{_YMD})"
_ANY_DATE_RE = re.compile(rf"(?<![\d.-]){ANY_DATE}(?![\d])")
#: Month names as older exports and Swedish protokoll print a meeting's day ("Keskiviikko 4. marraskuuta
#: 2009", "13.marraskuuta 2009", "Måndagen den 26 januari 2015", "Tisdag 3 september 2013").
_MONTHS = {name: i for i, names in enumerate((
    ("tammikuuta", "januari"), ("helmikuuta", "februari"), ("maaliskuuta", "mars"), ("huhtikuuta", "april"),
    ("toukokuuta", "maj"), ("kesäkuuta", "juni"), ("heinäkuuta", "juli"), ("elokuuta", "augusti"),
    ("syyskuuta", "september"), ("lokakuuta", "oktober"), ("marraskuuta", "november"), ("joulukuuta", "december"),
), start=1) for name in names}
_NAMED_DATE_RE = re.compile(rf"(?<![\d.])(\d{{1,2}})\.?\s{{0,2}}({'|'.join(_MONTHS)})\s{{1,3}}((?:19|20)\d{{2}})(?!\d)",
                            re.IGNORECASE)
_MEETING_NUMBER_RE = re.compile(r"(?<![\d/])(\d{1,3})\s*/\s*((?:19|20)\d{2})(?![\d/])")


def meeting_number(text: str) -> str | None:
    """The meeting number in a header line ("Pöytäkirja 3/2025", "Protokoll 4 / 2015") as ``N/YYYY``."""
    m = _MEETING_NUMBER_RE.search(text)
    return f"{m.group(1)}/{m.group(2)}" if m else None


def find_date(text: str) -> str | None:
    """First valid date in ``text`` as ISO: ``4.3.2025``, ``04.03.2025``, ``27-09-2022``, ``2015-01-22``,
    ``4. marraskuuta 2009``, ``26 januari 2015``.

    A date without a year (``14.12.``) is no date: it is never completed with a guessed year.
    """
    numeric = next(((m.start(), iso) for m in _ANY_DATE_RE.finditer(text) if (iso := _numeric_iso(m))), None)
    for m in _NAMED_DATE_RE.finditer(text[:numeric[0]] if numeric else text):
        if iso := _iso(m.group(3), _MONTHS[m.group(2).lower()], m.group(1)):
            return iso  # earlier in the text than any numeric date
    return numeric[1] if numeric else None


def _numeric_iso(m: re.Match[str]) -> str | None:
    g = m.groups()
    d, mo, y = g[0:3] if g[0] else g[3:6] if g[3] else g[6:9][::-1]
    return _iso(y, mo, d)


#: Labels of a meeting's time or day ("Aika", "Kokouspäivä", "Sammanträdestid"): one list for the
#: Cloudia header (:mod:`ingest.header`) and the generic one (:mod:`ingest.meeting`).
TIME_LABELS = ("Aika", "Kokousaika", "Päivämäärä", "Kokouspäivä", "Kokous", "Tid", "Sammanträdestid", "Mötestid")


def after_label(lines: list[str], i: int, end: int, width: int = 40) -> str:
    """The value of a label that ends at ``end`` on ``lines[i]``: the rest of that line, or the next line
    when the label stands alone ("Kokouspäivä⏎18.1.2023" in pages whose label and value cells are
    printed on lines of their own)."""
    rest = lines[i][end:end + width]
    if rest.strip(" :|\t\xa0"):
        return rest
    below = (ln for ln in lines[i + 1:i + 6] if ln.strip(" \t\xa0"))  # blank lines may come between
    return next(below, "")[:width]


def _iso(y: str | int, mo: str | int, d: str | int) -> str | None:
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


# ------------------------------------------------------------------ bodies

_BODY_SUFFIX = (
    r"lautakunta|hallitus|valtuusto|jaosto|toimikunta|johtokunta|työryhmä|neuvosto|toimielin|yhtymäkokous|"
    r"ltk|fullmäktige|styrelse|styrelsen|nämnd|nämnden|sektion|sektionen|direktion|direktionen|direktionen|"
    r"council|board|committee|division"
)
# The look-ahead on the first letters turns most positions of a search away with one test.
BODY_WORD_RE = re.compile(rf"(?=[{''.join(sorted({w[0] for w in _BODY_SUFFIX.split('|')}))}])(?:{_BODY_SUFFIX})\.?$",
                          re.IGNORECASE)
_GENITIVE = (("lautakunnan", "lautakunta"), ("hallituksen", "hallitus"), ("valtuuston", "valtuusto"),
             ("jaoston", "jaosto"), ("johtokunnan", "johtokunta"), ("toimikunnan", "toimikunta"),
             ("neuvoston", "neuvosto"), ("fullmäktiges", "fullmäktige"), ("styrelsens", "styrelsen"),
             ("nämndens", "nämnden"))
# A compound body word ends in one of these (``Kaupunginhallituksen``, ``Sivistys-lautakunta``). The
# ending is found first and the word around it checked in code: a lazy ``\w*?`` before the ending
# would rescan a long run of letters from every start.
_NOM_ENDINGS = ("lautakunta", "hallitus", "valtuusto", "jaosto", "johtokunta", "toimikunta", "fullmäktige",
                "styrelsen", "styrelse", "nämnden")


def _ending_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    # The look-ahead on the first letters rejects most positions with one test (a case-insensitive
    # alternation gets no such shortcut from the regex engine).
    firsts = "".join(sorted({e[0] for e in endings}))
    return re.compile(rf"(?=[{firsts}])(?:{'|'.join(endings)})(?!\w)", re.I)


_GEN_END_RE = _ending_re(tuple(g for g, _ in _GENITIVE))
_NOM_END_RE = _ending_re(_NOM_ENDINGS)
_WORD_RUN_RE = re.compile(r"[\w-]+")  # a word with its hyphenated parts
_WORD_START_RE = re.compile(r"(?<!\w)[A-ZÅÄÖa-zåäö]", re.I)  # at a run's start or after a hyphen
#: Words joining coordinated first parts to a compound body name ("Ympäristö- ja rakennuslautakunta").
_COORD_WORDS = ("ja", "och", "sekä")
_COORD_PART_RE = re.compile(r"[A-ZÅÄÖa-zåäö][a-zåäöA-ZÅÄÖ]{1,30}-,?")
_ORG_GEN_RE = re.compile(r"^([A-ZÅÄÖ][\wåäö-]+n)\s+(kaupungin|kunnan)([a-zåäö]+)$", re.I)


def nominative_body(word: str) -> str:
    """``Kaupunginhallituksen`` → ``Kaupunginhallitus``; ``KUNNANHALLITUS`` → ``Kunnanhallitus``."""
    w = word.strip(" ,.:;")
    if w.isupper() and len(w) > 5:
        w = w.lower()
    for gen, nom in _GENITIVE:
        if w.lower().endswith(gen):
            w = w[: len(w) - len(gen)] + nom
            break
    return w[:1].upper() + w[1:]


def body_in_text(text: str) -> str | None:
    """A body named in a free-text line (a digest title): ``Kaupunginhallituksen 13.3.2023 kokouksen päätökset``."""
    for ending in (_NOM_END_RE, _GEN_END_RE):
        if word := _compound_word(text, ending):
            return nominative_body(word)
    return None


def _compound_word(text: str, ending: re.Pattern[str]) -> str | None:
    """The first word (or hyphenated tail of one) that starts with a letter and has ``ending`` after it.

    The word starts at a word run or after a hyphen in it, and it is longer than the ending
    (``Sivistyslautakunta``, not a bare ``lautakunta``); it runs to the first part that ends in
    ``ending`` (``Tekninen-lautakunta-jaosto`` → ``Tekninen-lautakunta``). Only word runs that
    hold the ending are looked at, each once.
    """
    pos = 0
    while m := ending.search(text, pos):
        start = m.start()
        while start > pos and (text[start - 1].isalnum() or text[start - 1] in "_-"):  # back to the run's start
            start -= 1
        end = _WORD_RUN_RE.match(text, start).end()
        if (first := _WORD_START_RE.search(text, start, end)) and (m := ending.search(text, first.start() + 1, end)):
            begin = _coordinated_start(text, start) if first.start() == start else first.start()
            return text[begin:m.end()]
        pos = end
    return None


def _coordinated_start(text: str, start: int) -> int:
    """Where a compound body name at ``start`` begins with its coordinated first parts: "Ympäristö- ja "
    or "Sivistys-, kulttuuri- ja " before it (read backwards word by word, so any text costs the same)."""
    words = text[max(0, start - 120):start].split(" ")
    if len(words) < 3 or words[-1] != "" or words[-2].lower() not in _COORD_WORDS:
        return start
    begin, k, parts = start - len(words[-2]) - 1, len(words) - 3, 0
    while k >= 0 and _COORD_PART_RE.fullmatch(part := words[k].lstrip("\"“”«('")):
        begin, parts = begin - len(part) - 1, parts + 1
        if part != words[k]:
            break  # an opening quote or bracket: the name starts here
        k -= 1
    return begin if parts else start


#: An organisation's type word in the genitive before its body ("Kuvalan seurakuntayhtymän yhteinen
#: kirkkoneuvosto", "Kuntayhtymän yhtymähallitus").
_TYPE_GENITIVE_ALT = "|".join(sorted(ORGANISATION_TYPES, key=len, reverse=True))
_ORG_TYPE_GEN_RE = re.compile(rf"^(?:([A-ZÅÄÖ][\wåäö-]+n)\s+)?([\wåäö]*?(?:{_TYPE_GENITIVE_ALT}))\s+(\S.{{2,80}})$", re.I)


_ORG_TYPE_IN_TEXT_RE = re.compile(rf"(?<![\w-])([A-ZÅÄÖ][\wåäöÅÄÖ-]+[nN])\s+([\wåäöÅÄÖ]*?(?:{_TYPE_GENITIVE_ALT}))"
                                  r"\s+([\wåäöÅÄÖ-]+)(?:\s+([\wåäöÅÄÖ-]+))?", re.I)


def organisation_in_genitive(text: str) -> str | None:
    """An organisation named in the genitive before one of its bodies ("Kuvitelman kuntayhtymän
    yhtymähallitus" → "Kuvitelman kuntayhtymä"); None when the text names none (or no body after it)."""
    m = _ORG_TYPE_IN_TEXT_RE.search(text)
    if m is None or not m.group(1)[:1].isupper():
        return None
    after = [m.group(3), f"{m.group(3)} {m.group(4)}"] if m.group(4) else [m.group(3)]
    if not any(is_body_name(w.capitalize()) for w in after):
        return None  # "Päijät-Hämeen liiton ja valtion …": the organisation is named, no body of its
    return f"{m.group(1)[:1].upper()}{m.group(1)[1:].lower()} {organisation_type(m.group(2))}"


def split_org_body(name: str) -> tuple[str | None, str]:
    """``Helsingin kaupunginhallitus`` → (``Helsingin kaupunki``, ``Kaupunginhallitus``); ``Kuvalan
    seurakuntayhtymän yhteinen kirkkoneuvosto`` → (``Kuvalan seurakuntayhtymä``, ``Yhteinen kirkkoneuvosto``);
    ``Kuntayhtymän yhtymähallitus`` → (None, ``Yhtymähallitus``)."""
    m = _ORG_GEN_RE.match(name.strip())
    if m:
        org = f"{m.group(1)} {'kaupunki' if m.group(2).lower() == 'kaupungin' else 'kunta'}"
        return org, (m.group(2) + m.group(3)).capitalize()
    m = _ORG_TYPE_GEN_RE.match(name.strip())
    if m is None or not is_body_name(m.group(3).capitalize()):
        return None, name
    org = f"{m.group(1)[:1].upper()}{m.group(1)[1:].lower()} {organisation_type(m.group(2))}" if m.group(1) else None
    return org, m.group(3).capitalize()


# ------------------------------------------------------------------ item headings


@dataclass
class Heading:
    """An item start found on one line."""

    section: int
    title: str = ""  # text after the marker on the same line
    body: str = ""  # body named by the marker (``TEKLA``, ``Kaupunkiympäristölautakunta``)
    date: str = ""  # ISO date named by the marker
    form: str = "sign"  # which printed form (for provenance and per-layout rules)


_SIGN_FIRST_RE = re.compile(r"^§\s*(\d{1,4})(?:\s*[|:.\-–]\s*|\s+|$)(.*)$")
_NUMBER_FIRST_RE = re.compile(r"^(\d{1,4})\s*§(?!\s*:)(?:\s*[|:.\-–]\s*|\s+|$)(.*)$")
#: "Pöytäkirja 04.12.2023/Pykälä 303"; an agenda's item page numbers the matter ("Esityslista 04.12.2025/Asianro 3").
_DYNASTY_RE = re.compile(r"^(Pöytäkirja|Esityslista|Protokoll|Föredragningslista)\s+"
                         rf"{_DMY}\s*/\s*(?:Pykälä|Paragraf|Asianro|Ärendenr)\s+(\d{{1,4}})$", re.I)
_INLINE_RE = re.compile(rf"^(?P<body>[A-ZÅÄÖ][\w .\-]{{1,80}}?),?\s+(?P<date>{_DMY}),?\s+§\s*(?P<sec>\d{{1,4}})$")
#: The same marker with the § before the date, as Dynasty's PDF print heads each item page
#: ("Tarkastuslautakunta   § 71   15.09.2025"; an earlier handling's line may stand above it).
#: Columns apart, no commas: Cloudia's "Hyvinvointilautakunta, § 99, 26.08.2025" lists earlier handlings.
_INLINE_SIGN_RE = re.compile(rf"^(?P<body>[A-ZÅÄÖ][\w .\-]{{1,80}}?)\s+§\s*(?P<sec>\d{{1,4}})\s+(?P<date>{_DMY})$")
_TWEB_RE = re.compile(r"^§\s*(-?\d{1,4}),\s*(?P<body>[A-ZÅÄÖ][\wÅÄÖåäö.]{1,15})\s+(?P<date>(?:19|20)\d{2}-\d{2}-\d{2})"
                      r"(?:\s+\d{1,2}[:.]\d{2})?$")
_HELSINKI_RE = re.compile(r"^(?:(?:Case|Ärende|Asia)\s+)?\d{1,3}\.\s*/\s*(\d{1,4})\s*§$", re.I)
# ah.turku.fi handling tables: a name column, then cells split by optional "|" and spaces. The name
# is the line's leading run without digits/"|"/"§" (taken whole, then stripped: a lazy name followed
# by "\s*" would retry every split of a long run of spaces); the cells are matched after it, with
# "\s*(?:\|\s*)?" so that each run of spaces has one reading.
_TURKU_NAME_RE = re.compile(r"[^\d|§]*")
_TURKU_ROW_TAIL_RE = re.compile(r"(?<!\d)(?:\|\s*)?(?P<sec>\d{1,4})\s*(?:\|\s*)?"
                                r"(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>(?:19|20)\d{2})\s*(?:\|\s*)?\d{1,3}$")
_TURKU_ORG_RE = re.compile(r"[^§|]*")
_TURKU_HEAD_TAIL_RE = re.compile(r"(?:\|\s*)?§\s*(?:\|\s*)?Kokouspvm\s*(?:\|\s*)?Asia\d?$")
_TITLE_START_RE = re.compile(r"^[A-ZÅÄÖ0-9\"”'(]")


#: A case ID printed after the § on the heading's line ("§ 31   Dnro 88/00.00.01/2026"), with its label.
_ID_LABEL_RE = re.compile(r"^(?:Dnro|Dno|Dnr|Asianro|Asianumero|Diaarinumero|Diaarinro)\.?:?\s*", re.I)


def case_reference(title: str) -> bool:
    """The text after ``§ N`` is only the item's case ID (the title is on the next line)."""
    rest = _ID_LABEL_RE.sub("", title.strip(), count=1)
    return bool(rest) and is_case_id(rest)


def heading(text: str) -> Heading | None:
    """The item start printed on ``text`` (one normalised line), or None. A case ID after the § is no
    title: the item's title is then printed below it."""
    if m := _DYNASTY_RE.match(text):
        return Heading(int(m.group(5)), date=find_date(text) or "", form="dynasty")
    if m := _TWEB_RE.match(text):
        return Heading(int(m.group(1)), body=m.group("body"), date=find_date(m.group("date")) or "", form="tweb")
    if m := _HELSINKI_RE.match(text):
        return Heading(int(m.group(1)), form="helsinki")
    if m := _SIGN_FIRST_RE.match(text):
        return Heading(int(m.group(1)), "" if case_reference(m.group(2)) else m.group(2).strip(), form="sign")
    if m := _NUMBER_FIRST_RE.match(text):
        return Heading(int(m.group(1)), "" if case_reference(m.group(2)) else m.group(2).strip(), form="number")
    if m := _INLINE_RE.match(text):
        return Heading(int(m.group("sec")), body=m.group("body").strip(), date=find_date(text) or "", form="marker")
    return None


def item_page_marker(text: str) -> bool:
    """``Tarkastuslautakunta   § 71   15.09.2025``: an item page's first line in Dynasty's PDF print, the
    title on the lines below (the generic splitter reads this layout)."""
    return _INLINE_SIGN_RE.match(text) is not None


def item_page_run(texts: Sequence[str]) -> dict[int, Heading]:
    """The item page markers of one meeting (line index → heading): two or more with the same body and date.
    A lone "Khall § 188 29.9.2025" inside an item is an earlier handling, not a layout."""
    found: dict[tuple[str, str], dict[int, Heading]] = {}
    for i, t in enumerate(texts):
        if m := _INLINE_SIGN_RE.match(t):
            h = Heading(int(m.group("sec")), body=m.group("body").strip(), date=find_date(t) or "", form="marker")
            found.setdefault((h.body, h.date), {})[i] = h
    return max((run for run in found.values() if len(run) >= 2), key=len, default={})


def turku_row(text: str) -> Heading | None:
    """One row of a glued handling table: ``Kaupunginhallitus29404.06.20124`` (body, §, date, agenda no.)."""
    name = _TURKU_NAME_RE.match(text).group()
    if len(name.rstrip()) > 120 or not BODY_WORD_RE.search(body := name.strip()):
        return None
    if not (m := _TURKU_ROW_TAIL_RE.match(text, len(name))):
        return None
    try:
        iso = date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None
    return Heading(int(m.group("sec")), body=body, date=iso, form="turku")


def turku_head(text: str) -> bool:
    """The header row of a handling table: ``Turun kaupunki | § | Kokouspvm | Asia``."""
    org = _TURKU_ORG_RE.match(text).group()
    return len(org) >= 3 and len(org.rstrip()) <= 80 and bool(_TURKU_HEAD_TAIL_RE.match(text, len(org)))


def plausible_title(title: str) -> bool:
    """Text after ``§ N`` that can be a heading's title (not ``§ 18 käsitellyt…`` or ``§ 94-95``)."""
    if re.fullmatch(r"[\d\s,.\-–]+", title):
        return False  # "§ 94-95": a range of sections (signatures, appeal pages)
    return not title or bool(_TITLE_START_RE.match(title)) and not title.startswith(("0", "-"))


# ------------------------------------------------------------------ handling markers inside an item

_ABBR_MARK_RE = re.compile(r"^(?P<abbr>[A-ZÅÄÖ][\wåäö.\-]{0,15})\s+§\s*(?P<sec>\d{1,4})$")


def abbreviated_marker(text: str) -> tuple[str, int] | None:
    """``Kh § 294`` / ``Kylk § 336``: a handling marker without a date (ah.turku.fi)."""
    m = _ABBR_MARK_RE.match(text)
    return (m.group("abbr"), int(m.group("sec"))) if m else None


# ------------------------------------------------------------------ document kind

_KIND_WORDS = {
    "pöytäkirja": "minutes", "kokouspöytäkirja": "minutes", "protokoll": "minutes", "sammanträdesprotokoll": "minutes",
    "esityslista": "agenda", "kokouskutsu": "agenda", "asialista": "agenda", "föredragningslista": "agenda",
    "möteskallelse": "agenda", "kallelse": "agenda",
}
_KIND_LINE_RE = re.compile(
    r"^(?:.{0,60}?\s)?(pöytäkirja|kokouspöytäkirja|protokoll|sammanträdesprotokoll|esityslista|kokouskutsu|asialista|"
    r"föredragningslista|möteskallelse)(?:\s+(?:on|är)\s+(?:tarkastettu|granskat|granskad|justerat))?"
    r"(?:\s*[:,]?\s*(?:n:o\s*)?\d{1,3}\s*/\s*(?:(?:19|20)\d{2})?)?(?:\s+\S.*)?$", re.I)
_DIGEST_RE = re.compile(r"\b(?:kokouksen päätökset|päätökset|päätöksiä|päätöskooste|beslut)\b", re.I)


def declared_kind(text: str) -> str | None:
    """``minutes``/``agenda`` when ``text`` is a line that declares the document kind.

    Only short declaration lines count ("Pöytäkirja on tarkastettu", "ESITYSLISTA 3/2024",
    "Möteskallelse", "Styrelsen P R O T O K O L L"); a link "§ Esityslista" or an item title
    "ESITYSLISTAN HYVÄKSYMINEN" does not.
    """
    t = re.sub(r"\b((?:[A-ZÅÄÖ] ){3,}[A-ZÅÄÖ])\b", lambda m: m.group(1).replace(" ", ""), text)
    if len(t) > 160 or t.startswith("§"):
        return None
    m = _KIND_LINE_RE.match(t)
    if not m:
        return None
    return _KIND_WORDS[m.group(1).lower()]


def is_digest_title(text: str) -> bool:
    """``Kaupunginhallituksen 13.3.2023 kokouksen päätökset`` and the like (a town's decision digest)."""
    return len(text) <= 120 and bool(_DIGEST_RE.search(text)) and body_in_text(text) is not None
