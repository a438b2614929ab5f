"""Labels as the item reader knows them: other spellings, and labels glued to their text or beside it.

Web pages and dumps print a part's label in many ways: glued to its text ("PäätösEhdotus hyväksyttiin."),
in capitals with the text after a colon ("PÄÄTÖS: …", "KUNNANJOHTAJAN EHDOTUS: …"), in a side column
("Päätösehdotus          Kaupunginhallitus …"), in Swedish or English ("Beslut", "Decision"), or with the
presenter's name after it ("Ehdotus Kaupunginjohtaja Maija Malli"). :func:`unglue` rewrites such lines as
a label line and a text line, so :mod:`ingest.sections` reads every layout with one set of labels.
"""

from __future__ import annotations

import re

from ingest.lines import Line

_GLUED_RE = re.compile(r"^(Päätösehdotus|Ehdotus|Päätös|Esitys|Förslag|Beslutsförslag|Beslut)(?=[A-ZÅÄÖ][a-zåäö])")
_LABEL_FIX = {  # label spellings build_item does not know → the one it does
    "beslut": "Päätös", "decision": "Päätös", "förslag": "Ehdotus", "beslutsförslag": "Ehdotus",
    "proposal": "Ehdotus", "päätös:": "Päätös", "ehdotus:": "Ehdotus", "esitys:": "Esitys",
}
_LABEL_INLINE_RE = re.compile(r"^(PÄÄTÖS|PÄÄTÖSEHDOTUS|EHDOTUS|ESITYS|Beslut|Förslag|Beslutsförslag|BESLUT|FÖRSLAG)\s*:\s*(.+)$")
#: An owner's proposal label in capitals ("KUNNANJOHTAJAN EHDOTUS: …", "KOMMUNDIREKTÖRENS FÖRSLAG"), alone or
#: with its text: written as the sections reader knows it ("Kunnanjohtajan ehdotus").
_UPPER_OWNER_RE = re.compile(r"^([A-ZÅÄÖ][A-ZÅÄÖ-]{2,40}(?:N (?:PÄÄTÖS)?EHDOTUS|S (?:BESLUTS)?FÖRSLAG))\s*(?::\s*(.*))?$")
#: A label in a side column, its text on the same line after a wide gap (Dynasty pages laid out as a
#: table: "Päätösehdotus          Kaupunginhallitus hylkää …"); read on the raw line, where the gap survives.
_SIDE_LABEL_RE = re.compile(r"^\s*(Päätösehdotus|Ehdotus|Esitys|Päätös|Lisätiedot|Lisätietoja|Valmistelija|Esittelijä"
                            r"|Beslutsförslag|Förslag|Beslut|Föredragande|Beredare)[ \t\u00a0]{3,}(\S.*)$")
_PRESENTER_LABEL_RE = re.compile(
    r"^(Päätösehdotus|Ehdotus|Esitys)\s+(?P<who>[A-ZÅÄÖa-zåäö][\wåäö.-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+){1,3})$")


def unglue(lines: list[Line]) -> list[Line]:
    """Cut glued labels (``PäätösEhdotus hyväksyttiin.``) and inline upper-case labels into label lines."""
    out: list[Line] = []
    for ln in lines:
        t = ln.text
        while m := _GLUED_RE.match(t):
            out.append(Line(ln.page, m.group(1), m.group(1)))
            t = t[m.end():]
        if side := _SIDE_LABEL_RE.match(ln.raw):
            out.append(Line(ln.page, side.group(1), side.group(1)))
            t = " ".join(side.group(2).split())
        if m := _UPPER_OWNER_RE.match(t):
            label = m.group(1).capitalize()
            out.append(Line(ln.page, label, label))
            if not m.group(2):
                continue
            t = m.group(2)
        elif m := _LABEL_INLINE_RE.match(t):
            label = _LABEL_FIX.get(m.group(1).lower(), m.group(1).capitalize())
            out.append(Line(ln.page, label, label))
            t = m.group(2)
        elif (m := _PRESENTER_LABEL_RE.match(t)) and len(t) <= 70:
            out.append(Line(ln.page, m.group(1), m.group(1)))
            out.append(Line(ln.page, f"Esittelijä {m.group('who')}", f"Esittelijä {m.group('who')}"))
            continue
        elif t.lower() in _LABEL_FIX:
            t = _LABEL_FIX[t.lower()]
        out.append(ln if t == ln.text else Line(ln.page, t, t))
    return out
