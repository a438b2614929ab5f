"""HTML and Markdown rendering of answers and agenda items for the web app.

Pure functions: they take stored items and answers and return strings (and
read the Finnish date and question formats of the input fields); the app
decides where they go. Every piece of stored text is HTML-escaped, so a
minutes file can never inject markup into the page.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from assistant.types import Answer, Citation
from core.items import AgendaItem, fi_date

FILE_ROUTE = "gradio_api/file="  # relative, so the app also works under a proxy root path
MAX_CHOICE_TITLE = 90

_KIND_LABELS = {"minutes": "Pöytäkirja", "agenda": "Esityslista", "other": "Asiakirja"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def esc(text: str | None) -> str:
    """HTML-escape ``text`` (``None`` → empty string)."""
    return html.escape(text or "", quote=True)


def paragraphs(text: str) -> str:
    """Plain text → ``<p>`` blocks; blank lines split paragraphs, single newlines become ``<br>``."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    return "".join("<p>" + esc(b).replace("\n", "<br>") + "</p>" for b in blocks)


def md_escape(text: str) -> str:
    """Escape Markdown/HTML control characters so stored text shows literally in the chat."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def source_url(path: str | Path, page: int | None = None) -> str:
    """URL that opens ``path`` through Gradio's file route, at ``page`` for PDFs."""
    p = Path(path)
    url = FILE_ROUTE + quote(p.as_posix(), safe="/")
    if page and p.suffix.lower() == ".pdf":
        url += f"#page={int(page)}"
    return url


def shorten(text: str, limit: int = MAX_CHOICE_TITLE) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, adding an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-–") + "…"


def citation_choices(citations: Iterable[Citation]) -> list[tuple[str, str]]:
    """Numbered ``(label, item_id)`` pairs for the clickable source list, without duplicates."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for c in citations:
        if c.item_id in seen:
            continue
        seen.add(c.item_id)
        label = f"[{len(out) + 1}] {c.label()}"
        if c.title:
            label += f" – {shorten(c.title)}"
        out.append((label, c.item_id))
    return out


def answer_markdown(answer: Answer, *, truncated_note: str = "") -> str:
    """The assistant's chat message: answer text, any notice and a pointer to the sources.

    The answer text is the assistant's own Markdown (its citations already read
    like ``(Kaupunginhallitus 17.3.2025 § 85, LAPDno-2025-123)``); the chat
    sanitizes any HTML in it. The numbered sources themselves are the clickable
    list beside the chat (:func:`citation_choices`).
    """
    parts: list[str] = []
    if truncated_note:
        parts.append(f"_{md_escape(truncated_note)}_")
    parts.append(answer.text.strip() or "_(tyhjä vastaus)_")
    if answer.notice:
        parts.append(f"> **Huom.** {answer.notice.strip()}")
    n = len(citation_choices(answer.citations))
    if n:
        what = "1 lähde" if n == 1 else f"{n} lähdettä"
        parts.append(f"**Lähteet:** {what} – avaa pykälä kokonaisuudessaan lähdeluettelosta.")
    return "\n\n".join(parts)


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


# --- Finnish input formats of the filter and question fields ---------------------------------


@dataclass
class DateRange:
    """Inclusive ISO bounds from the filter fields."""

    start: str | None
    end: str | None


def parse_fi_date(text: str, *, end: bool = False) -> str | None:
    """Finnish date input → ISO date; empty → ``None``.

    Accepts ``17.3.2025``, ``17.03.2025``, ``2025-03-17``, a month (``3/2025``,
    ``3.2025``) or a year (``2025``); partial dates expand to the first day, or
    the last day when ``end`` is true. Raises ``ValueError`` with a Finnish message.
    """
    s = (text or "").strip().rstrip(".")
    if not s:
        return None
    try:
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif m := re.fullmatch(r"(\d{1,2})[./](\d{4})", s):
            y, mo = int(m[2]), int(m[1])
            d = calendar.monthrange(y, mo)[1] if end else 1
        elif m := re.fullmatch(r"(\d{4})", s):
            y, mo, d = int(m[1]), (12 if end else 1), (31 if end else 1)
        else:
            raise ValueError(s)
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else _bad_date(s)
    except (ValueError, calendar.IllegalMonthError):
        return _bad_date(s)


def _valid(y: int, mo: int, d: int) -> bool:
    return 1900 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def _bad_date(s: str) -> str:
    raise ValueError(f"Päivämäärää ”{s}” ei tunnistettu. Käytä muotoa pp.kk.vvvv, esim. 17.3.2025.")


def parse_range(date_from: str, date_to: str) -> DateRange:
    """Both filter fields → ``DateRange``; raises ``ValueError`` (Finnish) when invalid."""
    r = DateRange(parse_fi_date(date_from), parse_fi_date(date_to, end=True))
    if r.start and r.end and r.start > r.end:
        raise ValueError("Alkupäivä on myöhäisempi kuin loppupäivä.")
    return r


def cut_question(text: str, limit: int) -> tuple[str, str]:
    """Normalise spaces and cut the question to ``limit`` characters; returns ``(question, Finnish note or "")``."""
    q = " ".join((text or "").split())
    if len(q) <= limit:
        return q, ""
    note = (f"Kysymys oli {len(q)} merkkiä pitkä; vain {limit} ensimmäistä merkkiä "
            "käytettiin.")
    return q[:limit].rstrip(), note


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


def item_html(item: AgendaItem, file_url: str | None = None) -> str:
    """The source panel for one item: metadata, decision first, then everything else in full."""
    kicker = f"{item.body} · {fi_date(item.date)} · § {item.section}"
    if item.meeting_number:
        kicker += f" · kokous {item.meeting_number}"
    if file_url:
        page = f" (sivu {item.page_start})" if item.source.lower().endswith(".pdf") else ""
        link = (f'<a class="pk-open" href="{esc(file_url)}" target="_blank" rel="noopener">'
                f"Avaa alkuperäinen asiakirja{page} ↗</a>")
    else:
        link = '<p class="pk-muted">Alkuperäistä tiedostoa ei löytynyt palvelimelta.</p>'
    parts = [
        '<article class="pk-item">',
        f'<p class="pk-kicker">{esc(kicker)}</p>',
        f"<h2>{esc(item.title) or 'Nimetön asia'}</h2>",
        _badges(item),
        _meta_rows(item),
        link,
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
    "### Kysy pöytäkirjoista\n"
    "Esimerkiksi mitä toimielin päätti tietyssä kuussa, mitä pykälässä § 85 käsiteltiin "
    "tai mitä tiettyyn diaarinumeroon on päätetty. Valitse alta esimerkki tai kirjoita oma kysymys."
)

APP_CSS = """
:root { --pk-ink:#0f172a; --pk-muted:#475569; --pk-line:#cbd5e1; --pk-soft:#f1f5f9;
  --pk-accent:#1d4ed8; --pk-accent-soft:#dbeafe; --pk-ok-bg:#ecfdf5; --pk-ok:#065f46;
  --pk-warn-bg:#fffbeb; --pk-warn:#92400e; --pk-err-bg:#fef2f2; --pk-err:#991b1b; }
.dark { --pk-ink:#f1f5f9; --pk-muted:#cbd5e1; --pk-line:#475569; --pk-soft:#1e293b;
  --pk-accent:#93c5fd; --pk-accent-soft:#1e3a8a; --pk-ok-bg:#064e3b; --pk-ok:#d1fae5;
  --pk-warn-bg:#451a03; --pk-warn:#fde68a; --pk-err-bg:#450a0a; --pk-err:#fecaca; }
.gradio-container { max-width: 1380px !important; margin: 0 auto !important; }
.pk-header { display:flex; flex-wrap:wrap; align-items:center; justify-content:space-between; gap:12px 32px;
  padding: 12px 20px; border-radius: 14px; background: linear-gradient(135deg,#1e3a8a,#1d4ed8);
  color:#fff; }
.pk-brand { display:flex; align-items:center; gap:14px; }
.pk-logo { display:inline-flex; align-items:center; justify-content:center; width:44px; height:44px;
  border-radius:12px; background:#fff; color:#1e3a8a; font-size:28px; font-weight:700; }
.pk-header h1 { margin:0; font-size:1.55rem; line-height:1.2; color:#fff; font-weight:700; }
.pk-tagline { margin:2px 0 0; color:#e0e7ff; font-size:1rem; }
.pk-disclaimer { flex:1 1 380px; max-width:640px; margin:0; font-size:.85rem; line-height:1.4;
  color:#f8fafc; background:rgba(255,255,255,.12); border-radius:10px; padding:8px 12px; }
.pk-status { border-radius:10px; padding:7px 14px; font-size:.93rem; border:1px solid var(--pk-line); }
.pk-status code, .pk-footer code { font-size:.9em; padding:1px 5px; border-radius:5px; background:var(--pk-soft); }
.pk-status-ok { background:var(--pk-ok-bg); color:var(--pk-ok); border-color:transparent; }
.pk-status-info { background:var(--pk-accent-soft); color:var(--pk-ink); border-color:transparent; }
.pk-status-warn { background:var(--pk-warn-bg); color:var(--pk-warn); border-color:#f59e0b; }
.pk-status-error { background:var(--pk-err-bg); color:var(--pk-err); border-color:#ef4444; }
#pk-sources .wrap { display:flex; flex-direction:column; gap:6px; }
#pk-sources label { width:100%; justify-content:flex-start; text-align:left; line-height:1.35;
  border:1px solid var(--pk-line); border-radius:10px; padding:8px 10px; }
#pk-sources label.selected { border-color:var(--pk-accent); box-shadow:0 0 0 1px var(--pk-accent); }
#pk-side { position:sticky; top:8px; align-self:flex-start; }
#pk-panel { max-height: calc(100vh - 140px); overflow-y:auto; }

.pk-placeholder { border:2px dashed var(--pk-line); border-radius:12px; padding:22px; color:var(--pk-muted);
  text-align:center; font-size:.95rem; }
.pk-item { color:var(--pk-ink); border:1px solid var(--pk-line); border-radius:12px; padding:18px 20px;
  background:var(--background-fill-primary); }
.pk-item h2 { margin:2px 0 8px; font-size:1.25rem; line-height:1.3; color:var(--pk-ink); }
.pk-item h3 { margin:0 0 6px; font-size:.82rem; text-transform:uppercase; letter-spacing:.06em; color:var(--pk-muted); }
.pk-item p { margin:0 0 8px; line-height:1.55; }
.pk-kicker { margin:0 !important; font-size:.85rem; font-weight:600; color:var(--pk-accent); }
.pk-badges { display:flex; flex-wrap:wrap; gap:6px; margin:4px 0 10px; }
.pk-badge { font-size:.75rem; font-weight:600; border-radius:999px; padding:2px 10px;
  background:var(--pk-accent-soft); color:var(--pk-ink); }
.pk-badge-warn { background:var(--pk-warn-bg); color:var(--pk-warn); border:1px solid #f59e0b; }
.pk-badge-extra { background:var(--pk-soft); border:1px solid var(--pk-line); }
.pk-meta { display:grid; grid-template-columns:max-content 1fr; gap:3px 14px; margin:0 0 12px; font-size:.9rem; }
.pk-meta dt { color:var(--pk-muted); font-weight:600; }
.pk-meta dd { margin:0; overflow-wrap:anywhere; }
.pk-open { display:inline-block; margin:0 0 14px; padding:7px 14px; border-radius:8px; font-weight:600;
  background:var(--pk-accent); color:#fff !important; text-decoration:none; }
.dark .pk-open { color:#0f172a !important; }
.pk-open:hover, .pk-open:focus { text-decoration:underline; }
.pk-sec { margin:0 0 14px; padding-top:10px; border-top:1px solid var(--pk-line); }
.pk-decision { border:none; border-left:5px solid #047857; background:var(--pk-ok-bg); color:var(--pk-ink);
  border-radius:0 10px 10px 0; padding:12px 14px; }
.pk-decision h3 { color:var(--pk-ok); }
.pk-decision p { font-weight:500; }
.pk-history { margin:0; padding-left:1.3em; }
.pk-history li { margin-bottom:6px; }
.pk-history summary, .pk-full summary { cursor:pointer; font-weight:600; color:var(--pk-accent); }
.pk-hist-part { margin:6px 0 0 2px; }
.pk-full { margin-top:8px; font-size:.92rem; }
.pk-muted { color:var(--pk-muted); font-size:.9rem; }
.pk-hint { margin:0; color:var(--pk-muted); font-size:.85rem; }
#pk-actions { align-items:center; }
.pk-footer { color:var(--pk-muted); font-size:.85rem; text-align:center; padding:4px 0 10px; }
#pk-chat .message-wrap .message blockquote { border-left:4px solid #f59e0b; padding-left:10px; }
"""
