"""Case IDs (diaarinumerot): the one definition used by ingest, question parsing and the verifier.

Finnish decision systems print a case's ID in a handful of shapes:

* Cloudia / Dynasty "Dno" numbers with an organisation prefix: ``LAPDno-2025-262``, ``JARDno-2020-1031``;
* diary numbers with a filing-plan class: ``1637/00.01.02.06/2025``, ``145/10.02.03/2020``, optionally
  behind an organisation prefix (``TRE:845/02.02.01/2019``, which is stored without ``TRE:``);
* Helsinki's Ahjo: ``HEL 2022-008675`` (often followed by a class ``T 00 01 01``, not part of the ID);
* Turku: ``12826-2011 (613, 021)``: number-year followed by its class in parentheses;
* short diary numbers behind a label: ``CFV: 49/2015``, ``Dnro 12/2024``, ``Dnr 5/2020``.

Bare ``number-year`` and ``number/year`` are far too common in running text (``2023-2026``,
``1/2025`` as a meeting number), so those two shapes count only with the context that marks them.
Every pattern is linear (no nested quantifiers), so untrusted text cannot make it backtrack.
"""

from __future__ import annotations

import re

_YEAR = r"(?:19|20)\d{2}"
_DNO = rf"[A-ZÅÄÖ]{{2,}}Dno-{_YEAR}-\d{{1,6}}"
_DIARY = rf"\d{{1,6}}/\d{{2}}(?:\.\d{{2}}){{0,4}}/{_YEAR}"
_HEL = rf"HEL {_YEAR}-\d{{6}}"
_TURKU = rf"\d{{1,6}}-{_YEAR}(?= \([\d ,.]{{1,40}}\))"
_LABELLED = (rf"(?<=(?:CFV|Dnr|DNR|Dno|DNO):\s)\d{{1,6}}/{_YEAR}|(?<=(?:Dnro|DNRO|Dnr\.|Dno\.) )\d{{1,6}}/{_YEAR}"
             rf"|(?<=(?:Dnr|DNR|Dno|DNO) )\d{{1,6}}/{_YEAR}")

#: Every case-ID shape, for text from documents (case-sensitive: prefixes are upper case there).
CASE_ID_RE = re.compile(
    rf"(?<![\w/.-])(?:{_DNO}|{_DIARY}|{_HEL}|{_TURKU}|{_LABELLED})(?![\w/])"
)

#: The same shapes as typed in a question: any case, flexible spaces (``lapdno-2025-262``, ``hel2022-8675``).
QUESTION_RE = re.compile(
    rf"(?<![\w/.-])(?:(?P<p>[a-zåäö]{{2,}}?)dno-(?P<y>{_YEAR})-(?P<n>\d{{1,6}})"
    rf"|(?P<diary>{_DIARY})"
    rf"|hel\s?(?P<hy>{_YEAR})-(?P<hn>\d{{1,6}})"
    # Turku's number-year, unless the number is itself a year (a range such as 2023-2026)
    rf"|(?P<turku>(?!{_YEAR}-)\d{{1,6}}-{_YEAR})"
    # a short diary number only behind a word that marks it (dnro 49/2015, diaarinumero 49/2015, CFV: 49/2015)
    rf"|(?<=dnro )(?P<short>\d{{1,6}}/{_YEAR})|(?<=cfv: )(?P<short2>\d{{1,6}}/{_YEAR})"
    rf"|(?<=dnr |dno )(?P<short4>\d{{1,6}}/{_YEAR})"
    rf"|(?<=diaarinumero )(?P<short3>\d{{1,6}}/{_YEAR}))(?![\w/])",
    re.IGNORECASE,
)

_MAX_SCAN = 2_000_000  # characters; a pathological document is cut, never scanned for minutes


def find(text: str) -> list[str]:
    """Case IDs in ``text`` in order of appearance, without duplicates.

    >>> find("LAPDno-2025-262 ja 1637/00.01.02.06/2025; LAPDno-2025-262, HEL 2018-012640 T 00 01 01")
    ['LAPDno-2025-262', '1637/00.01.02.06/2025', 'HEL 2018-012640']
    """
    text = re.sub(r"[ \t\u00a0]+", " ", text[:_MAX_SCAN])
    seen: dict[str, None] = {}
    for m in CASE_ID_RE.finditer(text):
        seen.setdefault(m.group(0), None)
    return list(seen)


def is_case_id(text: str) -> bool:
    """True when ``text`` (stripped) is exactly one case ID."""
    t = text.strip()
    return bool(t) and find(t) == [t]


def in_question(text: str) -> list[str]:
    """Case IDs typed in a question, in their canonical printed form.

    >>> in_question("mikä on lapdno-2025-262 ja hel 2022-8675?")
    ['LAPDno-2025-262', 'HEL 2022-008675']
    """
    out: list[str] = []
    for m in QUESTION_RE.finditer(text[:_MAX_SCAN]):
        if m.group("p"):
            cid = f"{m.group('p').upper()}Dno-{m.group('y')}-{m.group('n')}"
        elif m.group("hy"):
            cid = f"HEL {m.group('hy')}-{int(m.group('hn')):06d}"
        else:
            cid = next(m.group(g) for g in ("diary", "turku", "short", "short2", "short3", "short4") if m.group(g))
        if cid not in out:
            out.append(cid)
    return out


def key(case_id: str) -> str:
    """Comparison key: case and spaces do not matter (``LAPDno-2025-262`` == ``lapdno-2025-262``)."""
    return re.sub(r"\s+", "", case_id).casefold()
