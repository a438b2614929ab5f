"""The one Finnish sentence splitter (ingest's vote/disqualification notes and the answer composer).

Dates like 10.3.2026, times like klo 17.05 and common abbreviations ("esim.",
"mm.") stay inside a sentence; a numbered list item ("1. Todeta …") is one
sentence. Line breaks inside a paragraph are wraps, not sentence ends; a blank
line, a bullet or a numbered line starts a new paragraph.
"""

from __future__ import annotations

import re

#: Longest text split at once: far beyond any agenda item, and it bounds the work on hostile input.
MAX_TEXT_CHARS = 400_000

ABBREVIATIONS = ("n", "esim", "mm", "ns", "klo", "jne", "ym", "v", "kpl", "t", "s", "nk", "vrt", "os", "puh", "ko", "yms")
_ABBREV = "".join(rf"(?<!\b{a}\.)" for a in ABBREVIATIONS)
_NEXT_START = r"\s+(?=[A-ZÄÖÅ\"”(])"  # spaces, then what a sentence starts with
# The cheap tests come first (a space, after ".!?", before a capital): they reject nearly every
# position (a run of dots, ". . .") before the abbreviation look-behinds run. The look-ahead's
# space run starts right after the punctuation, so no run is scanned twice.
# A sentence may end inside a closing quote or bracket ('… muodossa." Lapuan kaupunki …'): the quote
# closes the sentence, as the punctuation before it does.
_SENT_SPLIT = re.compile(rf"(?=\s)(?:(?<=[.!?])|(?<=[.!?][\"”»)])){_ABBREV}(?={_NEXT_START}){_NEXT_START}")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[-•*] )|\n(?=\d{1,2}[.)] )")
_LIST_NUMBER = re.compile(r"\d{1,2}[.)]")
_TRAILING_ENUM = re.compile(r"(?<=[.:;])\s\d{1,2}[.)]$")  # "… kriteerit. 2." but not "kello 18."
#: An inline enumeration's next number ("… varajäseniksi 1. Teppo Muilun, 2." + "Emma Keron ja 3." + …).
_INLINE_NEXT = re.compile(r"(?:,|\sja|\stai|\ssekä)\s(\d{1,2})\.$")


def sentences(text: str) -> list[str]:
    """Split Finnish prose into sentences, whitespace normalised, empty ones dropped."""
    out: list[str] = []
    for para in _PARAGRAPH.split((text or "")[:MAX_TEXT_CHARS]):
        para = " ".join(para.split())
        if para:
            out.extend(_split_paragraph(para))
    return out


def _split_paragraph(para: str) -> list[str]:
    parts: list[str] = []
    for p in (s.strip() for s in _SENT_SPLIT.split(para)):
        if not p:
            continue
        if parts and _LIST_NUMBER.fullmatch(parts[-1]):
            parts[-1] = f"{parts[-1]} {p}"  # "1." + "Todeta …" is one list item
        else:
            parts.append(p)
    parts = _join_inline_enumerations(parts)
    for i in range(len(parts) - 1):
        m = _TRAILING_ENUM.search(parts[i])
        if m and len(parts[i]) > len(m.group(0)):
            # "… kriteerit. 2." + "Hyväksyä …": the number starts the next sentence.
            parts[i] = parts[i][: m.start()].rstrip()
            parts[i + 1] = f"{m.group(0).strip()} {parts[i + 1]}"
    return [p for p in parts if p]


def _join_inline_enumerations(parts: list[str]) -> list[str]:
    """Join a split made by an inline enumeration's number ("1. Teppo Muilun, 2. Emma Keron ja 3. …"): a
    part ending in ", n." or "ja n." whose text already holds the number before it is one sentence with
    the next part."""
    out: list[str] = []
    for p in parts:
        if out:
            m = _INLINE_NEXT.search(out[-1])
            n = int(m.group(1)) if m else 0
            if n > 1 and re.search(rf"(?<![\d.]){n - 1}\.\s?\w", out[-1][: m.start()]):
                out[-1] = f"{out[-1]} {p}"
                continue
        out.append(p)
    return out
