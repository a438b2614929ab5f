"""HTML of the case history, the meeting view and the coverage panel (pure, every text escaped)."""

from __future__ import annotations

from core.items import AgendaItem, fi_date
from ui.catalog import Coverage, Handling
from ui.render import cmd_button, esc

_FI_MONTHS = ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka",
              "marras", "joulu"]
_STAGE_CSS = {"Päätös": "ok", "Esitys eteenpäin": "info", "Ehdotus": "info",
              "Pantiin pöydälle": "warn", "Palautettiin valmisteluun": "warn"}


def _back(item: AgendaItem) -> str:
    return cmd_button("open", item.item_id, f"← Takaisin pykälään § {item.section}", cls="pk-link pk-back")


def case_history_html(case_id: str, handlings: list[Handling], current: AgendaItem) -> str:
    """"Asian käsittely": every handling of one case across bodies and meetings, oldest first."""
    rows = []
    for h in handlings:
        it = h.item
        here = ' aria-current="true" class="pk-here"' if it.item_id == current.item_id else ""
        stage_cls = _STAGE_CSS.get(h.stage, "info")
        kind = " (esityslista)" if it.kind == "agenda" else ""
        rows.append(
            f"<tr{here}>"
            f"<td>{esc(it.body)}{esc(kind)}</td><td>{esc(fi_date(it.date))}</td>"
            f"<td>{cmd_button('open', it.item_id, f'§ {it.section}')}</td>"
            f'<td><span class="pk-badge pk-badge-{stage_cls}">{esc(h.stage)}</span></td>'
            f"<td>{esc(h.line)}</td></tr>")
    bodies = len({h.item.body for h in handlings})
    summary = f"{len(handlings)} käsittelyä, {bodies} toimielintä"
    return (f'<section class="pk-view pk-case" aria-label="Asian käsittely" tabindex="-1" '
            f'data-view-for="case:{esc(current.item_id)}">{_back(current)}'
            f"<h2>Asian käsittely: {esc(case_id)}</h2><p class=\"pk-muted\">{esc(summary)}</p>"
            '<div class="pk-table-wrap"><table class="pk-table"><thead><tr><th scope="col">Toimielin</th>'
            '<th scope="col">Päivämäärä</th><th scope="col">Pykälä</th><th scope="col">Vaihe</th>'
            f'<th scope="col">Päätös lyhyesti</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            "</section>")


def meeting_html(items: list[AgendaItem], current: AgendaItem, one_line: dict[str, str]) -> str:
    """The whole meeting: every § with its title and one-line decision, each opening in the panel."""
    kind = "Esityslista" if current.kind == "agenda" else "Pöytäkirja"
    number = f", kokous {current.meeting_number}" if current.meeting_number else ""
    rows = []
    for it in items:
        here = ' aria-current="true" class="pk-here"' if it.item_id == current.item_id else ""
        extra = " (lisäpykälä)" if it.extra_section else ""
        rows.append(f"<li{here}>{cmd_button('open', it.item_id, f'§ {it.section}')} "
                    f"<strong>{esc(it.title or 'Nimetön asia')}</strong>{esc(extra)}"
                    f'<br><span class="pk-muted">{esc(one_line.get(it.item_id, ""))}</span></li>')
    return (f'<section class="pk-view pk-meeting" aria-label="Kokous" tabindex="-1" '
            f'data-view-for="meeting:{esc(current.item_id)}">{_back(current)}'
            f"<h2>{esc(current.body)} {esc(fi_date(current.date))}</h2>"
            f'<p class="pk-muted">{esc(kind)}{esc(number)} · {len(items)} pykälää</p>'
            f'<ol class="pk-meeting-list">{"".join(rows)}</ol></section>')


def _month_label(month: str) -> str:
    y, m = month.split("-")
    return f"{_FI_MONTHS[int(m) - 1]} {y}"


def coverage_html(cov: Coverage) -> str:
    """"Mitä hakemisto sisältää": bodies × months with counts, first and last meeting, refused files."""
    if not cov.bodies:
        return '<div class="pk-placeholder"><p>Hakemisto on tyhjä.</p></div>'
    head = "".join(f'<th scope="col">{esc(_month_label(m))}</th>' for m in cov.months)
    rows = []
    several = len(cov.organisations) > 1  # two organisations' "Kaupunginhallitus" are two rows
    for b in cov.bodies:
        name = f"{b.body} ({b.municipality})" if several and b.municipality else b.body
        cells = "".join(f'<td class="pk-num">{b.per_month.get(m, 0) or "–"}</td>' for m in cov.months)
        rows.append(f'<tr><th scope="row">{esc(name)}</th>{cells}<td class="pk-num">{b.items}</td>'
                    f"<td>{esc(fi_date(b.first))}</td><td>{esc(fi_date(b.last))}</td>"
                    f'<td class="pk-num">{b.meetings}</td></tr>')
    total = sum(b.items for b in cov.bodies)
    refused = ""
    if cov.refused:
        lis = "".join(f"<li><strong>{esc(name)}</strong>: {esc(reason)}</li>" for name, reason in cov.refused)
        refused = f'<h3>Hylätyt tiedostot ({len(cov.refused)})</h3><ul class="pk-refused">{lis}</ul>'
    else:
        refused = '<p class="pk-muted">Yhtään tiedostoa ei hylätty.</p>'
    return ('<section class="pk-view pk-coverage" aria-label="Mitä hakemisto sisältää">'
            f'<p>Hakemistossa on {total} pykälää {len(cov.bodies)} toimielimeltä, {cov.files} tiedostoa, '
            f"ajalta {esc(fi_date(cov.first))}–{esc(fi_date(cov.last))}. Luvut ovat pykälien määriä.</p>"
            '<div class="pk-table-wrap"><table class="pk-table pk-cov-table"><thead><tr>'
            f'<th scope="col">Toimielin</th>{head}<th scope="col">Yhteensä</th>'
            '<th scope="col">Ensimmäinen kokous</th><th scope="col">Viimeisin kokous</th>'
            f'<th scope="col">Kokouksia</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f"{refused}</section>")
