"""PDF text dumps (docplayer.fi/.se, abcdocz and the like): one page per line, § signs often stripped.

Such a page reads ``3 VESILAHDEN KUNTA PÖYTÄKIRJA 16/ Kunnanhallitus KOKOUKSEN LAILLISUUS JA
PÄÄTÖSVALTAISUUS KHAL 193 Kunnanhallituksen kokouksen …``: page number, running header, the
item title, then the item marker = body name or abbreviation + § number (``KHAL 193``,
``Siv.ltk 50``, ``KH § 117``, ``Sivistyslautakunta 83``), then the text. A KTweb header that
lost its date reads ``68, SSTYR :00 Sida 3``. An upper-case abbreviation counts only when its
letters fit the meeting's body name (``KHAL`` = *K*unnan*ha*l*litus), so ``VUODEN 2014`` in
a title is no marker; a mixed-case one that fits but is not registered ("Kvalt") counts as a run.

Other dumps number their items bare (``38 Kokouksen laillisuus ja päätösvaltaisuus Todetaan …``).
Those numbers count only in minutes, as a run whose entries hold text. The markers are chosen
as one run with rising numbers. A listing of them that is printed first (a table of contents)
is left out, and it gives the bare items their titles.
"""

from __future__ import annotations

import bisect
import itertools
import re

from core.bodies import abbreviation_fits, registered_abbreviations
from ingest.lines import Line
from ingest.markers import BODY_WORD_RE, Heading
from ingest.meeting import read_header
from ingest.sections import build_item

_VIEWER_RE = re.compile(r"^(?:Transkriptio|Transkript|Full text|Koko teksti)$", re.I)
_MARK_RE = re.compile(r"(?<=\s)(?P<abbr>[A-ZÅÄÖ][\wÅÄÖåäö.]{1,25})\s+(?:§\s*)?(?P<n>\d{1,4})(?=\s+[A-ZÅÄÖ(\"”:])")
_TWEB_RE = re.compile(r"(?:^|(?<=\s))(?P<n>\d{1,4}),\s*(?P<abbr>[A-ZÅÄÖ]{2,10}),?\s+(?:(?:19|20)\d{2}-\d{2}-\d{2}\s+)?"
                      r"\d{0,2}:\d{2}(?:\s+Sida\s+\d+)?")
#: Where a label starts in a page's run-on text: a label with a colon, or a decision label
#: without one that starts a sentence ("… päätösvaltaiseksi. Päätös Ehdotus hyväksyttiin.").
_LABEL_SPLIT_RE = re.compile(r"\s(?=(?:PÄÄTÖS|Päätös|PÄÄTÖSEHDOTUS|Päätösehdotus|EHDOTUS|Ehdotus|ESITYS|Esitys|Förslag|"
                             r"Beslut|Valmistelija)\s*:)|(?<=[.!?])\s(?=Päätös\s[A-ZÅÄÖ])")
_CAPS_WORD_RE = re.compile(r"^[A-ZÅÄÖ0-9,.\-–/()]+$")
#: A run of items skips at most this many numbers (items not made public, pages left out).
_MAX_STEP = 20
_NEXT_SEEN = 8  # how many later prints of one number a run may continue with
#: An item number standing alone before a capitalised word.
_BARE_RE = re.compile(r"(?:^|(?<=\s))(?P<n>\d{1,4})\s+(?=[A-ZÅÄÖ][A-ZÅÄÖa-zåäö])")
_LABEL_WORD_RE = re.compile(r"^(?:Ehdotus|Päätösehdotus|Päätös|Esitys|Valmistelija|Förslag|Beslut|Beslutsförslag|"
                            r"Beredning|Esittelijä)\b")
_TITLE_WORDS = 25
_SENTENCE_END_RE = re.compile(r"[a-zåäö]{2}[.!?](?:\s|$)")
_CUT_RE = re.compile(r"\s(?:Valmistelija|Esittelijä|Lisätiedot)\b.*$")


def is_dump(lines: list[Line], *, viewer_only: bool = False) -> bool:
    """True for a text dump: a viewer's "Transkriptio" line or pages of several hundred characters.

    With ``viewer_only`` (the text has item headings at line starts) only the viewer line counts.
    """
    nonblank = [ln.text for ln in lines if ln.text]
    if any(_VIEWER_RE.match(t) for t in nonblank):
        return True
    if viewer_only:
        return False
    long = [t for t in nonblank if len(t) > 400]
    return bool(long) and sum(map(len, long)) > 0.6 * sum(map(len, nonblank))


def split_dump(lines: list[Line], source: str):  # -> Generic | None (import cycle)
    from ingest.generic import Generic
    from ingest.label_lines import unglue
    from ingest.unlabelled import decided_tail

    texts = [ln.text for ln in lines if ln.text]
    cut = next((i for i, t in enumerate(texts) if _VIEWER_RE.match(t)), None)
    header, pages = (texts[:cut], texts[cut + 1:]) if cut is not None else ([], texts)
    if not pages:
        return None
    meta = read_header(header + pages[:1])
    body = meta.get("body")
    running = _running_header(pages)
    page_head = _running_header(pages, numbered=False)
    # Bare numbers only in what declares itself minutes, or names a body and no other kind.
    marks = _markers(pages, body, bare=meta.get("kind") == "minutes" or (not meta.get("kind") and bool(body)))
    if not marks:
        return None
    items = []
    flat, offsets = _flatten(pages)
    for k, (page, start, end, head) in enumerate(marks):
        title = head.title or _title(flat[offsets[page]:offsets[page] + start], head.section, running, body)[1]
        nxt = _item_start(flat, offsets, marks[k + 1], running, body) if k + 1 < len(marks) else len(flat)
        text = flat[offsets[page] + end:nxt]
        parts = [p.strip() for part in text.split("\n") for p in _LABEL_SPLIT_RE.split(part)]
        item_lines = [Line(page + 1, "§", "§")] + unglue(
            [Line(page + 1, p, p) for p in parts if p and not _only_page_header(p, page_head)])
        item = build_item(item_lines, head=0, section=head.section, inline_title=title or " ", title_before=False,
                          meeting_body=body, meeting_date=meta.get("date"), width=None)
        item.title = title
        if meta.get("kind") != "agenda":
            decided_tail(item)
        prov = {"section": "item_header"}
        if body:
            prov["body"] = meta.provenance.get("body", "document_header")
        if meta.get("date"):
            prov["date"] = meta.provenance.get("date", "document_header")
        item.body, item.date, item.provenance = body, meta.get("date"), prov
        if not body and head.body:
            item.body, prov["body"] = head.body, "item_header"
        items.append(item)
    return Generic(items, meta, meta.get("kind") or None)


def _item_start(flat: str, offsets: list[int], mark: tuple[int, int, int, Heading], running: list[str],
                body: str) -> int:
    """Where the item of ``mark`` begins in ``flat``: at a bare number, or at the title before a named marker."""
    page, start, _, head = mark
    if head.form == "dump-bare":
        return offsets[page] + start
    return offsets[page] + _title(flat[offsets[page]:offsets[page] + start], head.section, running, body)[0]


def _flatten(pages: list[str]) -> tuple[str, list[int]]:
    offsets, parts, pos = [], [], 0
    for p in pages:
        offsets.append(pos)
        parts.append(p)
        pos += len(p) + 1
    return "\n".join(parts), offsets


def _markers(pages: list[str], body: str, *, bare: bool = False) -> list[tuple[int, int, int, Heading]]:
    """(page, start, end, heading) of every item marker: the most consistent run of § numbers.

    Markers that name the body win; then a run of one unregistered abbreviation that fits it. With
    ``bare`` (the document declares itself minutes, or names a body and no kind) and neither, item
    numbers standing alone before a title count (``38 Kokouksen laillisuus …``), but only as a run
    of two or more whose entries hold text: one number before a capital is too common in text.
    """
    hits = _named_markers(pages, body)
    if hits:
        return rising_run(_after_listing(hits)[1])
    forms: dict[str, list[tuple[int, int, int, Heading]]] = {}
    for h in _named_markers(pages, body, fitting=True):
        forms.setdefault(h[3].body, []).append(h)
    fitting = max((rising_run(_after_listing(f)[1]) for f in forms.values()), key=len, default=[])
    if len(fitting) >= 2:  # "Kvalt 42", "Kvalt 43": a run makes an unregistered abbreviation count
        return fitting
    if not bare:
        return []
    listing, hits = _after_listing(_bare_markers(pages))
    run = rising_run(hits)
    if len(run) < 2:
        return []
    run = _titled(pages, run, listing)
    return run if _items_have_text(pages, run) else []


def _named_markers(pages: list[str], body: str, *, fitting: bool = False) -> list[tuple[int, int, int, Heading]]:
    """Markers that name the body; with ``fitting``, instead those whose mixed-case abbreviation only
    fits the body's name (not registered for it), each form apart: a run of one form makes it count."""
    hits: list[tuple[int, int, int, Heading]] = []
    for p, text in enumerate(pages):
        for m in _MARK_RE.finditer(text):
            abbr = m.group("abbr").rstrip(".")
            ok = BODY_WORD_RE.search(abbr) or _abbreviates(abbr, body)
            if fitting:
                ok = not ok and body and not abbr.isupper() and 2 <= len(abbr) <= 6 and abbreviation_fits(abbr, body)
            if ok:
                hits.append((p, m.start(), m.end(), Heading(int(m.group("n")), body=m.group("abbr"), form="dump")))
        if fitting:
            continue
        for m in _TWEB_RE.finditer(text):
            if int(m.group("n")) > 0:
                hits.append((p, m.start(), m.end(), Heading(int(m.group("n")), body=m.group("abbr"), form="dump")))
    hits.sort(key=lambda h: (h[0], h[1]))
    return hits


def _bare_markers(pages: list[str]) -> list[tuple[int, int, int, Heading]]:
    """Bare item numbers; a number opening a page counts too unless the pages open with their numbers."""
    numbered = _page_numbered(pages)
    return [(p, m.start(), m.end(), Heading(int(m.group("n")), form="dump-bare"))
            for p, text in enumerate(pages) for m in _BARE_RE.finditer(text)
            if int(m.group("n")) > 0 and (m.start() > 0 or not numbered)]


def _page_numbered(pages: list[str]) -> bool:
    """Most pages open with a number and those numbers rise page by page (page numbers, not items)."""
    nums = [int(m.group(1)) for p in pages if (m := re.match(r"(\d{1,4})\s", p))]
    return 2 * len(nums) >= len(pages) and all(b > a for a, b in itertools.pairwise(nums)) and (
        len(nums) < 2 or nums[-1] - nums[0] <= 2 * len(pages))


def _titled(pages: list[str], run: list[tuple[int, int, int, Heading]],
            listing: list[tuple[int, int, int, Heading]]) -> list[tuple[int, int, int, Heading]]:
    """Bare markers with their titles, the marker's end moved past the title.

    The title is the one the listing gives for the number when the item repeats it, else
    the words up to the text's first sentence: an upper-case run, or sentence-case words up
    to a capitalised word, a full stop or a label.
    """
    listed = {}
    for k, (p, _, end, h) in enumerate(listing):
        stop = listing[k + 1][1] if k + 1 < len(listing) and listing[k + 1][0] == p else len(pages[p])
        listed[h.section] = pages[p][end:stop].strip()[:200]
    out = []
    for p, start, end, h in run:
        after = pages[p][end:end + 400]
        title = listed.get(h.section, "")
        if not (title and after.casefold().startswith(title.casefold())):
            title = leading_title(after)
        out.append((p, start, end + len(title), Heading(h.section, title=title, form=h.form)))
    return out


def _items_have_text(pages: list[str], run: list[tuple[int, int, int, Heading]]) -> bool:
    """Half the numbered entries or more hold a sentence after their title: items, not a list of titles
    (an agenda's or a minutes' table of contents with nothing after it)."""
    with_text = 0
    for k, (p, _, end, _h) in enumerate(run):
        nxt = run[k + 1] if k + 1 < len(run) else None
        text = pages[p][end:nxt[1]] if nxt and nxt[0] == p else pages[p][end:]
        with_text += _SENTENCE_END_RE.search(text) is not None
    return 2 * with_text >= len(run)


def leading_title(text: str) -> str:
    """A title at the start of run-on text: its upper-case run, or sentence-case words up to the first sentence."""
    words = text.split(" ")[:_TITLE_WORDS]
    if _CAPS_WORD_RE.match(words[0]) and re.search(r"[A-ZÅÄÖ]{2}", words[0]):
        k = next((i for i, w in enumerate(words) if not (_CAPS_WORD_RE.match(w) and re.search(r"[A-ZÅÄÖ]", w))),
                 len(words))
    else:
        k = 1
        while k < len(words) and not _ends_title(words[k - 1], words[k]):
            k += 1
    return " ".join(words[:k]).rstrip(" .,")


def _ends_title(prev: str, word: str) -> bool:
    """Between ``prev`` and ``word`` a sentence-case title has ended."""
    return (prev.endswith(".") or _LABEL_WORD_RE.match(word) is not None
            or (word[:1].isupper() and not prev.endswith(("-", ",")) and prev[:1].islower()))


def _after_listing(hits: list[tuple[int, int, int, Heading]]) -> tuple[list[tuple[int, int, int, Heading]],
                                                                        list[tuple[int, int, int, Heading]]]:
    """(the listing, the markers after it): a listing of the markers (a table of contents, "Käsitellyt asiat").

    A listing shows itself by markers printed again later; all of it goes, also the entries
    whose items the excerpt does not reach. A single marker printed twice (quoted in a later
    item) is no listing, nor are repeats spread over more than two pages.
    """
    key = [(h[3].section, h[3].body.upper()) for h in hits]
    last = {k: i for i, k in enumerate(key)}
    listed = [i for i, k in enumerate(key) if last[k] != i]
    if len(listed) < 2:
        return [], hits
    body = min(last[key[i]] for i in listed)  # where the first listed marker is printed again
    if hits[body - 1][0] - hits[0][0] > 1:
        return [], hits
    return hits[:body], hits[body:]


def rising_run(hits: list[tuple[int, int, int, Heading]]) -> list[tuple[int, int, int, Heading]]:
    """The longest run of markers whose § numbers rise in reading order.

    Among runs as long, the one with the smallest steps wins (items are numbered consecutively;
    a marker quoted from an earlier handling breaks that), then the one that starts last: a
    table of contents lists the same markers before the items themselves.
    """
    n = len(hits)
    if not n:
        return []
    by_section: dict[int, list[int]] = {}
    for k, h in enumerate(hits):
        by_section.setdefault(h[3].section, []).append(k)
    best: list[tuple[int, int]] = [(1, 0)] * n  # (run length, minus the sum of steps) from hit i on
    nxt = [-1] * n
    for i in range(n - 1, -1, -1):
        sec = hits[i][3].section
        for step in range(1, _MAX_STEP + 1):  # numbers a little above, printed soon after: linear work
            later = by_section.get(sec + step, [])
            first = bisect.bisect_right(later, i)
            for j in later[first:first + _NEXT_SEEN]:
                cand = (best[j][0] + 1, best[j][1] - step)
                if cand >= best[i]:  # ties: the later hit, as at the run's start
                    best[i], nxt[i] = cand, j
    i = max(range(n), key=lambda k: (best[k], k))
    run = []
    while i >= 0:
        run.append(hits[i])
        i = nxt[i]
    return run


def _abbreviates(abbr: str, body: str) -> bool:
    """``abbr`` is the meeting body's abbreviation: capitals that fit its name ("KHAL", "YMPJARAKL" for
    "Ympäristö- ja rakennuslautakunta"), or a mixed-case one registered for it ("Kh" for Kunnanhallitus);
    a capitalised word of the text ("Kunnan 12 …") is neither."""
    if not body or not 2 <= len(abbr) <= 10:
        return False
    if abbr.isupper():
        return abbreviation_fits(abbr, body)
    return abbr in registered_abbreviations(body)


def _running_header(pages: list[str], *, numbered: bool = True) -> list[str]:
    """Words every page starts with (after its page number), e.g. ``VESILAHDEN KUNTA PÖYTÄKIRJA 16/``.

    ``numbered``: only pages that start with a page number are compared (else all of them).
    """
    heads = [re.sub(r"^\d{1,3}\s+", "", p).split()[:10] for p in pages if not numbered or re.match(r"^\d{1,3}\s", p)]
    if len(heads) < 2:
        return []
    common = heads[0]
    for h in heads[1:]:
        n = 0
        while n < min(len(common), len(h)) and common[n] == h[n]:
            n += 1
        common = common[:n]
    return common if len(common) >= 2 else []


def _only_page_header(text: str, head: list[str]) -> bool:
    """``text`` is a page's running header and its numbering only ("Tuusulan kunta Pöytäkirja 4/2019 4 ( 16)")."""
    words = re.sub(r"^\d{1,3}\s+", "", text).split()
    return bool(head) and words[:len(head)] == head and not any(re.search(r"[^\W\d_]", w) for w in words[len(head):])


def _title(pre: str, section: int, running: list[str], body: str) -> tuple[int, str]:
    """Where the item begins in ``pre`` (the page text before its marker) and its title."""
    pre = pre.rstrip()
    hits = list(re.finditer(rf"(?:^|\s){section}\s+(?=[A-ZÅÄÖ])", pre))
    m = hits[-1] if hits else None
    # "193 KOKOUKSEN LAILLISUUS KHAL 193": the number before the title, unless sentences come between
    # (a page's "42, 43 …" list of its items, then the previous item's text).
    if m is not None and len(pre) - m.end() < 250 and not _SENTENCE_END_RE.search(pre, m.end()):
        return m.start(), _CUT_RE.sub("", pre[m.end():]).strip()
    words = pre.split(" ")
    k = len(words)
    while k > 0 and _CAPS_WORD_RE.match(words[k - 1]) and re.search(r"[A-ZÅÄÖ]", words[k - 1]):
        k -= 1
    caps = [w for w in words[k:] if w]
    if len(caps) >= 2 and not (running and caps[:len(running)] == running):
        start = len(" ".join(words[:k]))
        return start, " ".join(caps)
    rest = re.sub(r"^\d{1,3}\s+", "", pre)
    if running and rest.split()[:len(running)] == running:
        rest = " ".join(rest.split()[len(running):])
    first = rest.split(" ", 1)
    if body and first and first[0].lower() == body.lower():
        rest = first[1] if len(first) > 1 else ""
    return 0, _CUT_RE.sub("", rest).strip()
