"""Fast tests of the app's ui/ modules: numbering, case history, coverage, originals, feedback, export."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from test_app import make_item

from assistant.index import ItemGroups
from assistant.types import Answer, Citation
from core.items import AgendaItem
from core.store import Corpus, RefusedFile
from ui import exporting, feedback, originals, render, views
from ui.catalog import Catalog, stage
from ui.citations import number_answer
from ui.server import CSP, SecurityHeaders, UploadGate

CASE = "ESIDno-2025-512"


def handling(body: str, date: str, section: int, **kw: object) -> AgendaItem:
    return make_item(body=body, date=date, section=section, case_ids=[CASE], history=[], **kw)


def case_items() -> list[AgendaItem]:
    return [
        handling("Kaupunginvaltuusto", "2026-03-30", 12, decision="Valtuusto hyväksyi hankesuunnitelman.",
                 proposal="Valtuusto hyväksyy."),
        handling("Tekninen lautakunta", "2026-02-12", 8, decision="Lautakunta hyväksyi ehdotuksen.",
                 proposal="Lautakunta esittää kaupunginhallitukselle, että se hyväksyy hankkeen."),
        handling("Kaupunginhallitus", "2026-02-23", 23, decision="Kaupunginhallitus pani asian pöydälle.",
                 tabled=True),
        make_item(body="Tekninen lautakunta", date="2026-02-12", section=9, case_ids=["ESIDno-2025-497"]),
    ]


# --- numbering ---------------------------------------------------------------------------------


def test_markers_follow_the_source_list_numbering() -> None:
    a, b = (Citation.from_item(i) for i in case_items()[:2])
    text = f"Ensin ({b.label()}). Sitten ({a.label()}; {b.label()}). Sulkeissa (muu asia) pysyy."
    n = number_answer(Answer(text, False, citations=[a, b, a]))
    assert [s.n for s in n.sources] == [1, 2] and n.sources[0].citation == a
    assert n.plain() == "Ensin [2]. Sitten [1][2]. Sulkeissa (muu asia) pysyy."
    html = render.answer_html(n)
    assert html.count('class="pk-cite"') == 3 + 2  # markers plus the source list
    assert f'value="open:{b.item_id}:2"' in html


def test_answer_html_keeps_template_structure_but_escapes_text() -> None:
    c = Citation.from_item(case_items()[0])
    text = (f"**Kaupunginvaltuusto 30.3.2026**\n- § 12 Otsikko: <img src=x onerror=alert(1)> "
            f"![k](http://x/y.png) [l](javascript:alert(1)) ({c.label()})")
    html = render.answer_html(number_answer(Answer(text, False, citations=[c])))
    assert "<strong>Kaupunginvaltuusto 30.3.2026</strong>" in html and "<li>" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<a " not in html and "javascript:alert(1)" in html  # shown as text only


# --- case history, meeting, coverage -----------------------------------------------------------


def test_case_history_orders_handlings_across_bodies_with_stage() -> None:
    cat = Catalog(ItemGroups(case_items()))
    hist = cat.case_history(CASE.lower())
    assert [(h.item.body, h.item.section) for h in hist] == [
        ("Tekninen lautakunta", 8), ("Kaupunginhallitus", 23), ("Kaupunginvaltuusto", 12)]
    assert [h.stage for h in hist] == ["Esitys eteenpäin", "Pantiin pöydälle", "Päätös"]
    assert hist[2].line == "Valtuusto hyväksyi hankesuunnitelman."
    html = views.case_history_html(CASE, hist, hist[0].item)
    assert html.count("<tr") == 4 and "Asian käsittely: ESIDno-2025-512" in html
    assert stage(make_item(kind="agenda", decision="")) == "Ehdotus"
    assert stage(make_item(returned=True)) == "Palautettiin valmisteluun"


def test_later_handlings_are_named_and_meeting_lists_every_section() -> None:
    items = case_items()
    cat = Catalog(ItemGroups(items))
    later = cat.later_handlings([items[1].item_id])
    assert [(i.body, i.section) for i in later] == [("Kaupunginhallitus", 23), ("Kaupunginvaltuusto", 12)]
    assert cat.later_handlings([items[0].item_id]) == []
    meeting = cat.meeting(items[1])
    assert [i.section for i in meeting] == [8, 9]
    html = views.meeting_html(meeting, items[1], {i.item_id: "x" for i in meeting})
    assert html.count('name="pk-cmd"') == 3  # back + one per §


def test_coverage_counts_bodies_by_month_and_lists_refused_files() -> None:
    cat = Catalog(ItemGroups(case_items()), Corpus(["/c/a.pdf", "/c/b.pdf"],
                                                   [RefusedFile("/c/rikki.pdf", "rikki.pdf: PDF on vioittunut")], ["/c"]))
    cov = cat.coverage()
    assert cov.months == ["2026-02", "2026-03"]
    tekla = next(b for b in cov.bodies if b.body == "Tekninen lautakunta")
    assert tekla.per_month == {"2026-02": 2} and tekla.meetings == 1 and tekla.first == "2026-02-12"
    assert cov.refused == [("rikki.pdf", "rikki.pdf: PDF on vioittunut")]
    html = views.coverage_html(cov)
    assert "rikki.pdf" in html and "helmi 2026" in html and "maalis 2026" in html
    assert "ulkopuolella" in cat.outside_coverage(["Tekninen lautakunta"], "2026-06-01", "2026-06-30")
    assert "osin" in cat.outside_coverage([], "2026-01-01", "2026-03-01")
    assert cat.outside_coverage([], "2026-02-15", "2026-03-01") == ""
    assert cov.files == 2 and "Esimerkkilä" not in html  # one organisation: no organisation column


def test_two_organisations_same_body_name_stay_apart() -> None:
    ours = case_items()
    theirs = [make_item(municipality="Toinenkylä", body="Tekninen lautakunta", date="2026-02-12", section=s,
                        case_ids=["TKDno-2026-1"], source="/d/tekla.pdf") for s in (3, 4, 5)]
    groups = ItemGroups(ours + theirs)
    cov = groups.coverage()
    tekla = [(b.municipality, b.items) for b in cov if b.body == "Tekninen lautakunta"]
    assert tekla == [("Lapua", 2), ("Toinenkylä", 3)]
    assert [i.section for i in groups.meeting_items("Toinenkylä", "Tekninen lautakunta", "2026-02-12",
                                                     "minutes")] == [3, 4, 5]
    assert [i.section for i in Catalog(groups).meeting(ours[1])] == [8, 9]
    assert [i.section for i in groups.items_by_case(" esidno-2025-512")] == [8, 23, 12]
    html = views.coverage_html(Catalog(groups).coverage())
    assert "Tekninen lautakunta (Toinenkylä)" in html and "Tekninen lautakunta (Lapua)" in html


# --- originals -----------------------------------------------------------------------------------


def test_originals_only_from_manifest_files_inside_corpus_roots(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    good = corpus / "sub" / "kh.txt"
    good.write_text("x")
    secret = tmp_path / "secret.txt"
    secret.write_text("s")
    link = corpus / "link.txt"
    link.symlink_to(secret)
    inner = corpus / "inner.txt"
    inner.symlink_to(good)
    keys = [str(good), str(link), str(inner)]
    assert originals.corpus_roots(keys) == [corpus]
    assert originals.resolve_original(str(good), keys) == good.resolve()
    assert originals.resolve_original(str(inner), keys) == good.resolve()  # a link inside is fine
    assert originals.resolve_original(str(link), keys) is None
    assert originals.resolve_original(str(secret), keys) is None  # not an ingested file
    assert originals.resolve_original(str(corpus / "missing.txt"), keys + [str(corpus / "missing.txt")]) is None
    assert originals.serve_as(Path("a.PDF")).disposition == "inline"
    assert originals.serve_as(Path("a.html")).media_type.startswith("text/plain")
    assert originals.serve_as(Path("a.docx")).disposition == "attachment"



def test_security_headers_added_but_a_route_own_csp_kept() -> None:
    def inner_with(headers: list[tuple[bytes, bytes]]):  # noqa: ANN202
        async def inner(scope, receive, send) -> None:  # noqa: ANN001
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"x"})
        return inner

    def run(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
        sent: list[dict] = []

        async def send(msg: dict) -> None:
            sent.append(msg)

        asyncio.run(SecurityHeaders(inner_with(headers))({"type": "http", "path": "/"}, None, send))
        return {k.decode(): v.decode() for k, v in sent[0]["headers"]}

    page = run([(b"content-type", b"text/html")])
    assert page["content-security-policy"] == CSP and page["x-content-type-options"] == "nosniff"
    assert page["referrer-policy"] == "no-referrer"
    for part in ("object-src 'none'", "base-uri 'self'", "frame-ancestors 'self'", "form-action 'self'",
                 "img-src 'self' data: blob:"):
        assert part in CSP
    original = run([(b"Content-Security-Policy", b"default-src 'none'; sandbox")])
    assert original["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "content-security-policy" not in original  # not doubled

def test_upload_gate_refuses_uploads_unless_allowed() -> None:
    sent: list[dict] = []

    async def inner(scope, receive, send) -> None:  # noqa: ANN001
        sent.append({"inner": scope["path"]})

    async def send(msg: dict) -> None:
        sent.append(msg)

    scope = {"type": "http", "method": "POST", "path": "/gradio_api/upload"}
    asyncio.run(UploadGate(inner)(scope, None, send))
    assert sent[0]["status"] == 403
    sent.clear()
    asyncio.run(UploadGate(inner, allowed=True)(scope, None, send))
    assert sent == [{"inner": "/gradio_api/upload"}]


# --- feedback and export -------------------------------------------------------------------------


def test_feedback_is_appended_and_from_feedback_writes_gold_stubs(tmp_path: Path) -> None:
    from eval.__main__ import main

    store = tmp_path / "store"
    path = feedback.feedback_path(store)
    assert path == tmp_path / "store-feedback.jsonl"
    c = {"n": 1, "item_id": "a", "label": "L", **Citation.from_item(case_items()[0]).to_json()}
    rec = feedback.FeedbackRecord("Mitä päätettiin?", "Hyväksyttiin [1].", [c], "up", as_of="2026-06-01")
    feedback.append(path, rec)
    rec.comment = "Hyvä   vastaus"
    feedback.append(path, rec)
    feedback.append(path, feedback.FeedbackRecord("Huono?", "x", [], "down", comment="väärä pykälä"))
    with open(path, "a", encoding="utf-8") as f:
        f.write("{rikki\n")
    got = feedback.read(path)
    assert [(r.rating, r.comment) for r in got] == [("up", "Hyvä vastaus"), ("down", "väärä pykälä")]
    out = tmp_path / "stubs.jsonl"
    assert main(["--from-feedback", str(path), "--stubs", str(out)]) == 0
    stubs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert stubs[0]["answerable"] is True and stubs[0]["reference_answer"] == "Hyväksyttiin [1]."
    assert stubs[0]["citations"][0] == {"body": "Kaupunginvaltuusto", "date": "2026-03-30", "section": 12,
                                        "case_id": CASE, "file": Path(make_item().source).name}
    assert stubs[1]["answerable"] is False and stubs[1]["review"]["comment"] == "väärä pykälä"
    assert main(["--from-feedback", str(tmp_path / "none.jsonl"), "--stubs", str(out)]) == 1


def test_export_markdown_escapes_minutes_text() -> None:
    turns = {"1": {"question": "Mitä ![x](http://a/b.png) päätettiin?",
                   "plain": "Päätettiin <script>x</script> [1].\n\nLähteet:\n[1] L",
                   "citations": [{"n": 1, "label": "KH 1.1.2026 § 1", "title": "[t](javascript:x)",
                                  "source": "/c/kh.pdf", "page": 2}]}}
    md = exporting.conversation_markdown(turns)
    assert "## 1. Mitä \\!\\[x\\](http\\://a/b.png) päätettiin?" in md
    assert "\\<script\\>" in md and "Päätettiin" in md and "\\[1\\]" in md
    assert "1\\. KH 1.1.2026 § 1 – \\[t\\](javascript\\:x) (kh.pdf, s. 2)" in md
    assert os.linesep not in md or md.endswith("\n")
