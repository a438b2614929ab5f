"""HTML rendering of answers and agenda items for the web app.

Pure functions: they take stored items and answers and return strings; the app
decides where they go. Every piece of stored text and answer text is
HTML-escaped here; the only markup is this module's own (the chat shows the
HTML as it is, with no Markdown step that could turn text into links or images).
Buttons named ``pk-cmd`` whose value is ``open:<item id>:<n>``, ``case:<item id>``
or ``meeting:<item id>`` act on a § (the page script in :mod:`ui.style` forwards
the click to the app, which checks the id).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from core.items import AgendaItem, fi_date
from ui.citations import NumberedAnswer, Source

MAX_CHOICE_TITLE = 90

_KIND_LABELS = {"minutes": "Pöytäkirja", "agenda": "Esityslista", "other": "Asiakirja"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&:])")
_HEADER_LINE = re.compile(r"^\*\*(.+?)\*\*(.*)$")
_MARK = "\x00"


def esc(text: str | None) -> str:
    """HTML-escape ``text`` (``None`` → empty string)."""
    return html.escape(text or "", quote=True)


def paragraphs(text: str) -> str:
    """Plain text → ``<p>`` blocks; blank lines split paragraphs, single newlines become ``<br>``."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    return "".join("<p>" + esc(b).replace("\n", "<br>") + "</p>" for b in blocks)


def md_escape(text: str) -> str:
    """Escape Markdown/HTML control characters so text shows literally in a Markdown viewer."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def shorten(text: str, limit: int = MAX_CHOICE_TITLE) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, adding an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-–") + "…"


def source_line(s: Source) -> str:
    """``[2] Kaupunginhallitus 23.2.2026 § 23, ESIDno-2025-512 – Title`` (plain text)."""
    line = f"[{s.n}] {s.label}"
    return f"{line} – {shorten(s.citation.title)}" if s.citation.title else line


def citation_choices(sources: Iterable[Source]) -> list[tuple[str, str]]:
    """Numbered ``(label, item_id)`` pairs for the clickable source list."""
    return [(source_line(s), s.citation.item_id) for s in sources]


def cite_button(s: Source) -> str:
    """The inline ``[n]`` marker: a real button (keyboard reachable) that opens the §."""
    return (f'<button type="button" class="pk-cite" name="pk-cmd" value="open:{esc(s.citation.item_id)}:{s.n}" '
            f'title="{esc(s.label)}" aria-label="Lähde {s.n}: {esc(s.label)}">[{s.n}]</button>')


def _body_html(numbered: NumberedAnswer) -> str:
    """Answer lines → HTML: ``**…**`` lines are meeting headers, ``- `` lines list items, markers buttons."""
    text = "".join(seg.text.replace(_MARK, "") if not seg.refs else
                   " " + "".join(f"{_MARK}{n}{_MARK}" for n in seg.refs) for seg in numbered.segments)

    def inline(s: str) -> str:
        def marker(m: re.Match[str]) -> str:
            src = numbered.by_number(int(m.group(1)))
            return cite_button(src) if src else ""
        return re.sub(f"{_MARK}(\\d+){_MARK}", marker, esc(s))

    out: list[str] = []
    bullets: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if bullets:
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets.clear()
        if para:
            out.append("<p>" + "<br>".join(para) + "</p>")
            para.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("- "):
            if para:
                flush()
            bullets.append(inline(line[2:]))
        elif m := _HEADER_LINE.match(line):
            flush()
            out.append(f'<p class="pk-mh"><strong>{inline(m.group(1))}</strong>{inline(m.group(2))}</p>')
        else:
            if bullets:
                flush()
            para.append(inline(line))
    flush()
    return "".join(out)


def answer_html(numbered: NumberedAnswer, *, notice: str = "", notes: Iterable[str] = (),
                truncated_note: str = "") -> str:
    """The assistant's chat message: escaped answer with ``[n]`` buttons, notices and the numbered sources."""
    parts = ['<div class="pk-answer">']
    if truncated_note:
        parts.append(f'<p class="pk-note"><em>{esc(truncated_note)}</em></p>')
    parts.append(_body_html(numbered) or "<p><em>(tyhjä vastaus)</em></p>")
    for note in [notice, *notes]:
        if note and note.strip():
            parts.append(f'<p class="pk-notice"><strong>Huom.</strong> {esc(note.strip())}</p>')
    if numbered.sources:
        rows = "".join(f"<li>{cite_button(s)} {esc(source_line(s).split(' ', 1)[1])}</li>"
                       for s in numbered.sources)
        parts.append(f'<div class="pk-srclist"><p><strong>Lähteet</strong></p><ul>{rows}</ul></div>')
    parts.append("</div>")
    return "".join(parts)


def answer_plain(numbered: NumberedAnswer, *, notice: str = "", notes: Iterable[str] = ()) -> str:
    """The answer as plain text with ``[n]`` markers and the numbered source list (copy, API)."""
    lines = [(m.group(1) + m.group(2)) if (m := _HEADER_LINE.match(ln.strip())) else ln
             for ln in numbered.plain().strip().split("\n")]
    parts = ["\n".join(lines)]
    parts += [f"Huom. {n.strip()}" for n in [notice, *notes] if n and n.strip()]
    if numbered.sources:
        parts.append("Lähteet:\n" + "\n".join(source_line(s) for s in numbered.sources))
    return "\n\n".join(parts)


def streaming_html(prefix: str) -> str:
    """A growing answer while it streams: escaped plain text with a cursor."""
    return f'<div class="pk-answer"><p class="pk-stream">{esc(prefix)} ▌</p></div>'


def stream_chunks(text: str, steps: int = 24) -> list[str]:
    """Growing prefixes of ``text`` that end on word boundaries (the last one is ``text``)."""
    if not text:
        return [""]
    cuts = [m.end() for m in re.finditer(r"\S+\s*", text)]
    if len(cuts) <= steps:
        picks = cuts
    else:
        stride = len(cuts) / steps
        picks = [cuts[min(len(cuts) - 1, int(round(stride * (i + 1))) - 1)] for i in range(steps)]
    out = [text[:c] for c in picks]
    if not out or out[-1] != text:
        out.append(text)
    return out


def _section(title: str, inner: str, css: str = "") -> str:
    if not inner:
        return ""
    cls = f"pk-sec {css}".strip()
    return f'<section class="{cls}"><h3>{esc(title)}</h3>{inner}</section>'


def _list(values: Iterable[str]) -> str:
    items = [v for v in values if v and v.strip()]
    return "<ul>" + "".join(f"<li>{esc(v.strip())}</li>" for v in items) + "</ul>" if items else ""


def _history(item: AgendaItem) -> str:
    if not item.history:
        return ""
    rows = []
    for h in item.history:
        inner = ""
        if h.proposal.strip():
            inner += f'<div class="pk-hist-part"><strong>Ehdotus</strong>{paragraphs(h.proposal)}</div>'
        if h.decision.strip():
            inner += f'<div class="pk-hist-part"><strong>Päätös</strong>{paragraphs(h.decision)}</div>'
        if inner:
            rows.append(f"<li><details><summary>{esc(h.label())}</summary>{inner}</details></li>")
        else:
            rows.append(f"<li>{esc(h.label())}</li>")
    return '<ol class="pk-history">' + "".join(rows) + "</ol>"


def _meta_rows(item: AgendaItem) -> str:
    rows: list[tuple[str, str]] = [
        ("Toimielin", item.body),
        ("Kokouspäivä", fi_date(item.date)),
        ("Pykälä", f"§ {item.section}"),
    ]
    if item.meeting_number:
        rows.append(("Kokous", item.meeting_number))
    if item.case_ids:
        rows.append(("Diaarinumero", ", ".join(item.case_ids)))
    if item.preparer:
        rows.append(("Valmistelija", item.preparer))
    if item.presenter:
        rows.append(("Esittelijä", item.presenter))
    if item.municipality:
        rows.append(("Kunta", item.municipality))
    pages = f"{item.page_start}" if item.page_end <= item.page_start else f"{item.page_start}–{item.page_end}"
    rows.append(("Sivu", pages))
    rows.append(("Tiedosto", Path(item.source).name))
    return '<dl class="pk-meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def _badges(item: AgendaItem) -> str:
    badges = [(_KIND_LABELS.get(item.kind, "Asiakirja"), "kind")]
    if item.extra_section:
        badges.append(("Lisäpykälä", "extra"))
    if item.tabled:
        badges.append(("Pantiin pöydälle", "warn"))
    if item.returned:
        badges.append(("Palautettiin valmisteluun", "warn"))
    if item.votes.strip():
        badges.append(("Äänestys", "warn"))
    if item.disqualified:
        badges.append(("Esteellisyyksiä", "warn"))
    return '<div class="pk-badges">' + "".join(
        f'<span class="pk-badge pk-badge-{cls}">{esc(text)}</span>' for text, cls in badges
    ) + "</div>"


def _decision(item: AgendaItem) -> str:
    if item.decision.strip():
        inner = paragraphs(item.decision)
    elif item.kind == "agenda":
        inner = "<p>Tämä on esityslista: asiasta ei ole vielä tehty päätöstä. Katso päätösehdotus alta.</p>"
    else:
        inner = "<p>Pykälään ei ole kirjattu erillistä päätöstekstiä.</p>"
    return f'<section class="pk-sec pk-decision" aria-label="Päätös"><h3>Päätös</h3>{inner}</section>'


def cmd_button(cmd: str, item_id: str, text: str, *, extra: str = "", cls: str = "pk-link") -> str:
    """A button that asks the app to show something about one item (``open``, ``case``, ``meeting``)."""
    return (f'<button type="button" class="{cls}" name="pk-cmd" value="{esc(cmd)}:{esc(item_id)}{esc(extra)}">'
            f"{esc(text)}</button>")


def item_html(item: AgendaItem, file_url: str | None = None, *, label: str = "") -> str:
    """The source panel for one item: metadata, decision first, then everything else in full.

    ``label`` is the numbered citation (``[2] Kaupunginhallitus 23.2.2026 § 23, ESIDno-…``) when
    the panel was opened from an answer.
    """
    kicker = f"{item.body} · {fi_date(item.date)} · § {item.section}"
    if item.meeting_number:
        kicker += f" · kokous {item.meeting_number}"
    if file_url:
        page = f" (sivu {item.page_start})" if item.source.lower().endswith(".pdf") else ""
        link = (f'<a class="pk-open" href="{esc(file_url)}" target="_blank" rel="noopener noreferrer">'
                f"Avaa alkuperäinen asiakirja{page} ↗</a>")
    else:
        link = '<p class="pk-muted">Alkuperäistä tiedostoa ei löytynyt palvelimelta.</p>'
    actions = [cmd_button("meeting", item.item_id, "Koko kokous")]
    if item.case_ids:
        actions.insert(0, cmd_button("case", item.item_id, "Asian käsittely"))
    parts = [
        f'<article class="pk-item" tabindex="-1" data-item-id="{esc(item.item_id)}">',
        f'<p class="pk-cited">{esc(label)}</p>' if label else "",
        f'<p class="pk-kicker">{esc(kicker)}</p>',
        f"<h2>{esc(item.title) or 'Nimetön asia'}</h2>",
        _badges(item),
        _meta_rows(item),
        f'<div class="pk-actions">{link}{"".join(actions)}</div>',
        _decision(item),
        _section("Päätösehdotus", paragraphs(item.proposal)),
        _section("Asian kuvaus", paragraphs(item.body_text)),
        _section("Aiempi käsittely", _history(item)),
        _section("Äänestys", paragraphs(item.votes)),
        _section("Esteellisyydet", _list(item.disqualified)),
        _section("Asiantuntijat", _list(item.experts)),
        _section("Liitteet", _list(item.attachments)),
        _section("Muut merkinnät", _list(item.notes)),
    ]
    if item.attendees:  # the meeting's attendance lists: who chaired, who presented
        parts.append(f'<details class="pk-full"><summary>Kokouksen osallistujat</summary>'
                     f"{_list(item.attendees)}</details>")
    if item.text.strip():
        parts.append(f'<details class="pk-full"><summary>Pykälän koko teksti</summary>'
                     f"{paragraphs(item.text)}</details>")
    parts.append("</article>")
    return "".join(parts)


def placeholder_html(message: str = "") -> str:
    """The empty source panel with a short instruction."""
    msg = message or ("Kun vastauksessa on lähteitä, valitse viite lähdeluettelosta. "
                      "Pykälä avautuu tähän kokonaisuudessaan: päätös, päätösehdotus, "
                      "aiempi käsittely ja linkki alkuperäiseen asiakirjaan.")
    return f'<div class="pk-placeholder"><p>{esc(msg)}</p></div>'


def status_html(kind: str, message: str) -> str:
    """A status banner; ``kind`` is ``ok``, ``info``, ``warn`` or ``error``; `code` is marked up."""
    role = "alert" if kind in {"warn", "error"} else "status"
    return f'<div class="pk-status pk-status-{esc(kind)}" role="{role}">{_code(message)}</div>'


def _code(text: str) -> str:
    """Escape ``text`` and turn `backticked` parts into ``<code>``."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def header_html(product: str, disclaimer: str) -> str:
    """Page header: product name, one-line purpose and the disclaimer."""
    return (
        '<header class="pk-header">'
        '<div class="pk-brand"><span class="pk-logo" aria-hidden="true">§</span>'
        f"<div><h1>{esc(product)}</h1>"
        '<p class="pk-tagline">Kysy kunnan toimielinten pöytäkirjoista suomeksi – '
        "vastaukset lähdeviittein.</p></div></div>"
        f'<p class="pk-disclaimer">{esc(disclaimer)}</p>'
        "</header>"
    )


def footer_html() -> str:
    """Short usage notes under the app."""
    return (
        '<footer class="pk-footer"><p>Avustaja hakee vain hakemistoon lisätyistä pöytäkirjoista ja '
        "muistaa keskustelun aiheen, kunnes aloitat uuden keskustelun. Ylläpito: pöytäkirjat lisätään "
        "komennolla <code>python -m ingest KANSIO</code>.</p></footer>"
    )


CHAT_PLACEHOLDER = (
    "<h3>Kysy pöytäkirjoista</h3><p>Esimerkiksi mitä toimielin päätti tietyssä kuussa, mitä pykälässä "
    "§ 85 käsiteltiin tai mitä tiettyyn diaarinumeroon on päätetty. Valitse alta esimerkki tai "
    "kirjoita oma kysymys.</p>"
)
