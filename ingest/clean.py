"""Text cleanup helpers: characters, page headers/footers, paragraph joining.

The splitter decides structure on single lines first and only then joins the
lines of each part into paragraphs with :func:`join_lines`, so a label such as
"Kaupunginjohtajan ehdotus:" never gets glued to the text that follows it.

Line-end signals used when joining (``raw`` lines as the readers produce them):

* ordinary trailing space: the PDF layout engine wrapped the line → join with a space;
* soft hyphen (U+00AD): word hyphenated by the layout → join without the hyphen;
* "-" + zero-width space (Lapua PDFs mark every real hyphen like this): keep the hyphen, no space;
* letter + "-" followed by a lower-case word: a hyphenated word → join without the hyphen
  (but "sosiaali-" + "ja terveys…" keeps the hyphen and a space);
* with a ``width`` (documents without the trailing-space convention) a line at
  least 60 % of the usual full line length is joined to the next one, as is a
  shorter one that continues in lower case.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from core.caseids import CASE_ID_RE  # noqa: F401 - re-exported for the splitter
from core.caseids import find as find_case_ids  # noqa: F401
from core.sentences import sentences
from ingest.markers import item_page_marker

logger = logging.getLogger(__name__)
T = TypeVar("T")


def most_common(values: Sequence[T], key: Callable[[T], Any] | None = None) -> T:
    """The most frequent of ``values``; a tie goes to the highest ``key`` (default: none), then to the one met
    first. Never set order: a string's hash differs from run to run, and a tie read through a set made one
    document parse two ways."""
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], key(v) if key else 0))

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SOFT_HYPHEN = "\u00ad"
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_ODD_RE = re.compile(f"[{_SPACES}{ZERO_WIDTH}{SOFT_HYPHEN}\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MULTI_SPACE_RE = re.compile(r" {2,}")
_PAGE_NO_RE = re.compile(
    r"^(?:(?:sivu|page|s\.)\s*\d+\s*(?:/|\(|of|\s)\s*\d*\s*\)?|\d+\s*\(\s*\d*\s*\)?(?:\s*\d+\s*\)?)?|[-–]\s*\d+\s*[-–]|\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)
_LIST_START_RE = re.compile(r"^(?:\d{1,2}[.)]\s|[a-zåäö]\)\s|[-–•·*▪]\s)")
_CASE_SUFFIX_RE = re.compile(r"^(?:n|ssa|ssä|lla|llä|lle|lta|ltä|sta|stä|aan|ään|ta|tä|na|nä|ksi|t)\b")
_EXT_RE = re.compile(r"^(?:pdf|docx?|xlsx?|pptx?|odt|txt|jpe?g|png)\b", re.IGNORECASE)
_PROTECTED_RE = re.compile(r"^(?:§|#+\s*§|Ehdotus|Päätös|Liitteet|Esittelijä|Valmistelija)")
_KEEP_HYPHEN_WORDS = {"ja", "tai", "sekä", "eli", "että", "tahi", "ynnä"}


def normalize_line(text: str) -> str:
    """One line → NFC text without zero-width chars, soft hyphens, control chars or runs of spaces."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    t = _ODD_RE.sub(_odd, text)
    return _MULTI_SPACE_RE.sub(" ", t).strip()


def _odd(m: re.Match[str]) -> str:
    return " " if m.group(0) in _SPACES else ""


def tidy(text: str) -> str:
    """Normalise a multi-line text: each line normalised, blank-line runs collapsed."""
    out: list[str] = []
    for line in text.split("\n"):
        n = normalize_line(line)
        if n or (out and out[-1]):
            out.append(n)
    return "\n".join(out).strip()


def is_page_number(line: str) -> bool:
    """``3 ( 24 )``, ``Sivu 3/24``, ``- 3 -`` and the like."""
    return bool(_PAGE_NO_RE.match(normalize_line(line)))


def _joiner(raw: str, nxt: str, width: int | None) -> str | None:
    """How to join ``raw`` with the next line: ``""``, ``" "`` or None (hard break)."""
    n = normalize_line(nxt)
    if not n:
        return None
    r = raw.rstrip("\n")
    body = r.rstrip(" ")
    if body.endswith(SOFT_HYPHEN):
        return ""
    if _EXT_RE.match(n) and body.endswith(".") and len(n.split()[0]) <= 5:
        return ""
    if body.endswith(":") and _CASE_SUFFIX_RE.match(n) and not r.endswith(" "):
        return ""  # "ry:" + "n Yhdessä…" is "ry:n Yhdessä…"
    if nxt.startswith("-\u200b") and nxt[2:3].strip():
        return ""  # the line broke before a hyphen: "5." + "-7.9.2025"
    if r.endswith(" "):
        return " "
    if body.endswith("\u200b"):
        return "" if body.rstrip("\u200b").endswith(("-", "/")) else " "
    if re.search(r"[a-zåäöA-ZÅÄÖ]-$", body) and n[:1].islower():
        if n.split()[0] in _KEEP_HYPHEN_WORDS:
            return " "  # "sosiaali-" + "ja terveyspalvelut"
        if body[-2].lower() == n[0] and n[0] in "aeiouyäö":
            return ""  # Finnish compound with a vowel clash keeps its hyphen: "haja-" + "asutus"
        return "-"
    if " | " in body or " | " in n:
        return None  # a table's row ("Kuvalan Kuoro ry | 1.200") is a line of its own, however long
    if width and not _LIST_START_RE.match(n) and not body.endswith(":"):
        size = len(normalize_line(body))
        if size >= 0.6 * width or (size >= 0.35 * width and re.search(r"[a-zåäö0-9,]$", body) and n[:1].islower()):
            return " "
    return None


def join_lines(lines: list[str], *, width: int | None = None) -> str:
    """Join raw lines into paragraphs (one per output line); blank lines end paragraphs.

    Args:
        lines: raw lines as readers produce them (trailing spaces are meaningful).
        width: the document's usual full line length (see :func:`wrap_width`) for
            texts that do not mark soft wraps with a trailing space; a line at
            least 60 % of it long is taken as wrapped and joined to the next
            (not before a list item and not after a "label:").

    Returns:
        Cleaned text, one paragraph per line, no blank lines.
    """
    paras: list[str] = []
    cur = ""
    for i, raw in enumerate(lines):
        n = normalize_line(raw)
        if not n:
            if cur:
                paras.append(cur)
                cur = ""
            continue
        cur += n
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        j = _joiner(raw, nxt, width)
        if j is None:
            paras.append(cur)
            cur = ""
        elif j == "-":  # hyphenated word: drop the hyphen
            cur = cur[:-1]
        else:
            cur += j
    if cur:
        paras.append(cur)
    return "\n".join(_MULTI_SPACE_RE.sub(" ", p).strip() for p in paras)


def wrap_width(lines: list[str]) -> int | None:
    """The usual length of a full line (90th percentile), or None when the text
    marks soft wraps itself (trailing spaces) or has too few lines to tell."""
    sizes = sorted(len(normalize_line(ln)) for ln in lines if ln.strip())
    if len(sizes) < 5 or uses_trailing_space_wraps(lines):
        return None
    return max(20, sizes[int(0.9 * (len(sizes) - 1))])


def uses_trailing_space_wraps(lines: list[str]) -> bool:
    """True if the text marks soft wraps with a trailing space (PyMuPDF output of most PDFs)."""
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) < 20:
        return False
    return sum(1 for ln in nonblank if ln.endswith(" ")) / len(nonblank) >= 0.15


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", normalize_line(line))


def strip_boilerplate(pages: list[list[str]], *, zone: int = 5) -> tuple[list[list[str]], list[str]]:
    """Remove running headers/footers from pages of raw lines.

    A line is boilerplate when it sits among the first ``zone`` (or last three)
    non-blank lines of a page and the same line, digits ignored, appears there
    on at least half of the pages (and at least two); page-number lines are
    always boilerplate there.

    Returns:
        ``(pages, header)``: the pages without those lines, and the normalised
        header lines removed from the first page that had any (metadata source).
    """
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines in pages:
        nb = [ln for ln in lines if ln.strip()]
        counts.update({_key(ln) for ln in nb[:zone] + nb[-3:]})
    need = max(2, (n + 1) // 2)
    boiler = {k for k, c in counts.items() if c >= need and not _PROTECTED_RE.match(k)}

    def is_boiler(line: str) -> bool:
        # An item page's marker ("Tarkastuslautakunta § 71 15.09.2025") opens a page as a header does,
        # digits aside the same on every page, yet it is the item's start.
        return (_key(line) in boiler and not item_page_marker(normalize_line(line))) or is_page_number(line)

    out: list[list[str]] = []
    header: list[str] = []
    for lines in pages:
        start, seen, removed = 0, 0, []
        while start < len(lines) and seen < zone:
            ln = lines[start]
            if ln.strip():
                if not is_boiler(ln):
                    break
                removed.append(normalize_line(ln))
                seen += 1
            start += 1
        end, seen = len(lines), 0
        while end > start and seen < 3:
            ln = lines[end - 1]
            if ln.strip():
                if not is_boiler(ln):
                    break
                seen += 1
            end -= 1
        if removed and not header:
            header = removed
        out.append(lines[start:end])
    return out, header


# ------------------------------------------------------------ small text finders

DATE = r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"
_DATE_RE = re.compile(DATE)
_NAME_WORD = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
_NAME_RE = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+{_NAME_WORD})+")
# Matched right after a name; the look-behind keeps a search from restarting inside a run of spaces.
_COMPANY_RE = re.compile(r"(?<!\s)\s+(?:Oyj?|Ab|Ky|Tmi|ry|Ry|r\.y\.|Ltd|Inc|GmbH|AS|osuuskunta)\b")
_NOT_NAME_WORDS = {
    "Lapuan", "Lapua", "Kaupungin", "Kaupunginhallitus", "Kaupunginvaltuusto", "Kaupunginhallituksen",
    "Esteellisenä", "Esteellisinä", "Esteellisyys", "Esteellinen", "Lautakunnan", "Lautakunta", "Puheenjohtajana", "Puheenjohtaja", "Sihteerinä",
    "Kokouksen", "Pöytäkirjamerkintä", "Pöytäkirjaan", "Oy", "Ry", "Asiantuntijana", "Asiantuntijoina", "Jäsen",
    "Suomen", "Etelä-Pohjanmaan", "Pohjois-Karjalan", "Tämän", "Asian", "Hän", "He", "Kokouksessa",
}


def iso_date(text: str) -> str | None:
    """First valid Finnish date in ``text`` (``4.3.2025``, ``04.03.2025``) as ISO, or None."""
    from datetime import date

    for m in _DATE_RE.finditer(text):
        d, mo, y = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def person_names(text: str) -> list[str]:
    """Person names (two capitalised words, e.g. "Eeva-Maria Latva-Rasku") in ``text``.

    Titles written before a name ("Palvelupäällikkö Merja Nygren") are dropped by
    keeping the last two words of a capitalised run; text in parentheses
    (organisations) is ignored.
    """
    text = _without_parentheses(text)
    out: list[str] = []
    for m in _NAME_RE.finditer(text):
        if _COMPANY_RE.match(text, m.end()):
            continue  # "Kuljetus Mäkelä Oy:n" is a company
        words = [w for w in m.group(0).split() if w not in _NOT_NAME_WORDS]
        if len(words) >= 2:
            name = " ".join(words[-2:])
            if name not in out:
                out.append(name)
    return out


def _without_parentheses(text: str) -> str:
    """Each ``(`` … first ``)`` replaced by a space (``re.sub(r"\\([^)]*\\)", " ", text)``, in linear time).

    The regex would scan from every ``(`` of a long unclosed run to the end of the text; here the
    first ``(`` without a ``)`` after it ends the work, as no later one can have one.
    """
    out: list[str] = []
    pos = 0
    while (i := text.find("(", pos)) >= 0 and (j := text.find(")", i)) >= 0:
        out += [text[pos:i], " "]
        pos = j + 1
    out.append(text[pos:])
    return "".join(out)


_AT_RE = re.compile(r"(?<=\w)[(\[]at[)\]](?=\w)", re.IGNORECASE)


def people(lines: list[str]) -> str:
    """Preparer lines → ``"Name, Title; Name2, Title2"`` (e-mail addresses and phone numbers dropped).

    Handles ``Name, Title, email`` lines and ``Name`` / ``email`` / ``Title`` runs,
    also with parallel lists (``A, B`` / ``a@x, b@x`` / ``Title A, Title B``).
    """
    # "etunimi.sukunimi(at)kuvitelma.fi": an address written against harvesting is an address too.
    lines = [_AT_RE.sub("@", ln).strip() for ln in lines if ln.strip()]
    is_mail = [all("@" in w for w in re.split(r"[,\s]+", ln) if w) for ln in lines]
    used: set[int] = set()
    found: list[str] = []
    for i, mail in enumerate(is_mail):
        if mail and 0 < i < len(lines) - 1 and not is_mail[i - 1] and not is_mail[i + 1] and i - 1 not in used:
            names, titles = lines[i - 1].split(", "), lines[i + 1].split(", ")
            if len(names) > 1 and len(names) == len(titles):
                found += [f"{n}, {t}" for n, t in zip(names, titles, strict=True)]
            else:
                found.append(f"{lines[i - 1]}, {lines[i + 1]}")
            used |= {i - 1, i + 1}
    found += [ln for i, ln in enumerate(lines) if i not in used and not is_mail[i]]
    cleaned = (re.sub(r"(?:,\s*)?(?:\S+@\S+|(?:puh\.?|p\.|tel\.?|telefon|puhelin|phone):?\s*[\d +]+\.?)", "", p,
                      flags=re.IGNORECASE).strip(" ,;") for p in found)
    return "; ".join(p for p in cleaned if p)


_VOTE_RE = re.compile(
    r"\b(?:äänestys|äänestyksessä|äänestyksen|nimenhuutoäänestyk\w*|kädennostoäänestyk\w*|lippuäänestyk\w*|"
    r"JAA-?\s*ään\w*|EI-?\s*ään\w*|äänestivät|äänestävät)\b", re.I)
_DISQ_RE = re.compile(r"esteelli|jäävi", re.I)
_TABLED_RE = re.compile(r"\bpöydälle\b", re.I)
_RETURNED_RE = re.compile(
    r"\bpalaut\w*\s+(?:\w+\s+){0,3}(?:takaisin\s+|uuteen\s+)?valmisteluun\b|\bpalautettiin\b|"
    r"\b(?:asia|se)\s+palautetaan\b", re.I)
_EXPERT_RE = re.compile(r"asiantuntij(?:a|oi)na", re.I)


def decision_flags(decision: str, notes: list[str]) -> dict[str, object]:
    """What a decision (and the remarks after it) says about the handling.

    Returns ``votes`` (the sentences about a vote), ``disqualified`` and
    ``experts`` (person names from "esteellinen"/"jäävi" and "asiantuntijana"
    sentences), ``tabled`` ("pöydälle") and ``returned`` ("palautettiin
    valmisteluun", "asia palautetaan …").
    """
    sents = sentences("\n".join([decision, *notes]))
    disqualified: list[str] = []
    experts: list[str] = []
    for s in sents:
        if _DISQ_RE.search(s):
            who = re.split(r",?\s+koska\s", s)[0]  # the reason may name others
            disqualified += [n for n in person_names(who) if n not in disqualified]
        if _EXPERT_RE.search(s):
            experts += [n for n in person_names(s) if n not in experts]
    return {
        "votes": " ".join(s for s in sents if _VOTE_RE.search(s)),
        "disqualified": disqualified,
        "experts": experts,
        "tabled": bool(_TABLED_RE.search(decision)),
        "returned": bool(_RETURNED_RE.search(decision)),
    }
