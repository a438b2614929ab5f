"""The eval runner: question order, conversations, as_of, output files, thresholds, CLI."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from core.items import AgendaItem
from eval import metrics, report, run
from eval.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"

ITEM = AgendaItem(municipality="Lapua", body="Tarkastuslautakunta", date="2025-03-04", section=15,
                  title="Teknisen toimialan selvitys", source="/c/Tarkastuslautakunta/ptk.pdf",
                  case_ids=["LAPDno-2025-262"], decision="Merkittiin tiedoksi.",
                  text="Tekninen johtaja selvitti tilinpäätöstä. Kustannus 12 000 euroa.")


@dataclass
class FakeConversation:
    turns: list = field(default_factory=list)


class FakeAssistant:
    """Answers from ITEM, refuses questions containing 'frisbee', records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, date | None]] = []

    def ask(self, question, conversation=None, *, today=None):
        self.calls.append((question, id(conversation), today))
        conversation.turns.append(question)
        if "boom" in question:
            raise RuntimeError("rikki")
        c = Citation.from_item(ITEM)
        if "frisbee" in question:
            return Answer(text="Aineistosta ei löydy tietoa frisbeegolfista.", refused=True, retrieved=[c] * 10)
        return Answer(text="Tarkastuslautakunta merkitsi tekniikan selvityksen tiedoksi 4.3.2025 § 15, "
                           "LAPDno-2025-262; kustannus 12 000 €.",
                      refused=False, citations=[c], retrieved=[c] * 10)

    def get_item(self, item_id):
        return ITEM if item_id == ITEM.item_id else None


GOLD_CIT = {"body": "Tarkastuslautakunta", "date": "2025-03-04", "section": 15, "case_id": "LAPDno-2025-262",
            "file": "Tarkastuslautakunta/ptk.pdf"}


def write_gold(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def gold(tmp_path: Path) -> Path:
    return write_gold(tmp_path / "gold.jsonl", [
        {"id": "c", "question": "Entä kolmas?", "type": "fact", "follow_up_of": "b", "answerable": True,
         "must_contain": ["tiedoksi"], "citations": [GOLD_CIT]},
        {"id": "a", "question": "Mitä päätettiin?", "type": "decision", "answerable": True, "as_of": "2025-03-20",
         "must_contain": ["tiedoksi", "12.000"], "citations": [GOLD_CIT]},
        {"id": "b", "question": "Entä toinen?", "type": "decision", "follow_up_of": "a", "answerable": True,
         "must_contain": ["puuttuva"], "citations": [GOLD_CIT]},
        {"id": "d", "question": "Entä frisbee?", "type": "unanswerable", "answerable": False, "follow_up_of": "a",
         "as_of": "2025-06-01", "must_contain": ["frisbeegolf"], "citations": []},
        {"id": "e", "question": "Yksin frisbee", "type": "unanswerable", "answerable": False,
         "must_contain": ["kiekkogolf"], "citations": []},
    ])


def test_follow_ups_follow_parents_in_one_conversation_with_as_of(gold):
    fake = FakeAssistant()
    rows = run.ask_all(run.load_questions([gold]), fake, as_of=date(2030, 1, 1), new_conversation=FakeConversation)
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "e"]
    convs = [conv for _, conv, _ in fake.calls]
    assert convs[0] == convs[1] == convs[2] == convs[3] != convs[4]
    todays = [t for _, _, t in fake.calls]
    # own as_of, inherited from the parent chain, own as_of, global --as-of
    assert todays == [date(2025, 3, 20)] * 3 + [date(2025, 6, 1), date(2030, 1, 1)]
    assert [r["as_of"] for r in rows][:2] == ["2025-03-20", "2025-03-20"]


def test_result_rows_and_scores(gold, tmp_path):
    rows, rep = run.evaluate(run.load_questions([gold]), FakeAssistant(), new_conversation=FakeConversation)
    a = rows[0]
    assert set(a) >= {"id", "question", "answer", "refused", "citations", "retrieved", "latency_ms", "type", "metrics"}
    assert a["citations"][0] == {"body": "Tarkastuslautakunta", "date": "2025-03-04", "section": 15,
                                 "case_id": "LAPDno-2025-262", "title": ITEM.title, "source": ITEM.source, "page": 1,
                                 "municipality": ITEM.municipality}
    assert len(a["retrieved"]) == 10 and isinstance(a["latency_ms"], float)
    assert a["metrics"]["accurate"] and a["metrics"]["grounded"]  # 12 000 € and the date are in ITEM
    assert a["metrics"]["source_correct"] == 1
    assert rows[1]["metrics"]["facts_missing"] == ["puuttuva"] and not rows[1]["metrics"]["accurate"]
    o = rep["overall"]
    assert o["accuracy"] == pytest.approx(4 / 5) and o["refusal_accuracy"] == 1.0
    assert o["refusal_topic_match"] == 0.5  # "d" names frisbeegolf, "e" does not name kiekkogolf
    assert set(rep["by_type"]) == {"decision", "fact", "unanswerable"}
    assert rep["wrong"] == [{"id": "b", "type": "decision", "why": "puuttuu: puuttuva"}]
    out = tmp_path / "r.jsonl"
    report.write_results(rows, out)
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "b", "c", "d", "e"]
    table = report.format_table(rep)
    assert "KAIKKI" in table and "unanswerable" in table and "Tarkkuus" in table


def test_assistant_error_is_recorded_and_scored_wrong(tmp_path):
    g = write_gold(tmp_path / "g.jsonl", [{"id": "x", "question": "boom", "answerable": True,
                                           "must_contain": [], "citations": [GOLD_CIT]}])
    rows = run.ask_all(run.load_questions([g]), FakeAssistant(), new_conversation=FakeConversation)
    assert rows[0]["error"] == "RuntimeError: rikki" and rows[0]["metrics"]["accurate"] is False
    assert metrics.summarize(rows)["errors"] == 1


@pytest.mark.parametrize("rows, message", [
    ([{"question": "x", "follow_up_of": "nope"}], "follow_up_of"),
    ([{"id": "a", "question": "x"}, {"id": "a", "question": "y"}], "on jo"),
    ([{"id": "a"}], "kysymystä"),
    ([{"id": "a", "question": "x", "as_of": "5.9.2025"}], "as_of"),
    ([{"id": "a", "question": "x", "follow_up_of": "b"}, {"id": "b", "question": "y", "follow_up_of": "a"}],
     "silmukan"),
])
def test_bad_gold_files(tmp_path, rows, message):
    g = write_gold(tmp_path / "g.jsonl", rows)
    with pytest.raises(run.GoldError, match=message):
        run.order_questions(run.load_questions([g]))


def test_store_for_corpus_is_per_folder(tmp_path):
    a, b = tmp_path / "x" / "lapua", tmp_path / "y" / "lapua"
    assert run.store_for_corpus(a).name.startswith("lapua-")
    assert run.store_for_corpus(a) == run.store_for_corpus(a) != run.store_for_corpus(b)


def test_thresholds():
    overall = {"accuracy": 0.5, "citation_recall": 0.9, "refusal_accuracy": None, "ungrounded_rate": 0.2}
    assert report.check_thresholds(overall, {"min_accuracy": 0.5, "min_citation_recall": 0.8}) == []
    failed = report.check_thresholds(overall, {"min_accuracy": 0.6, "max_ungrounded": 0.1,
                                               "min_refusal_accuracy": 0.5, "min_citation_recall": None})
    assert [f.split()[0] for f in failed] == ["--min-accuracy", "--max-ungrounded", "--min-refusal-accuracy"]


def test_cli_with_fake_assistant_exit_codes(gold, tmp_path, monkeypatch, capsys):
    fake_service = types.ModuleType("assistant.service")
    fake_service.Conversation = FakeConversation
    fake_service.Assistant = types.SimpleNamespace(open=lambda settings, embedder=None: FakeAssistant())
    fake_service.shared_embedder = lambda settings: None
    monkeypatch.setitem(sys.modules, "assistant.service", fake_service)
    seen = {}

    def fake_index(corpus, settings, **kw):
        seen["store"] = settings.store_dir
        return types.SimpleNamespace(wrote=False, items_total=1, files_seen=1, files_failed=[], files_changed=0,
                                     items_written=0)

    monkeypatch.setattr("eval.__main__.index_corpus", fake_index)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    args = ["--corpus", str(corpus), "--questions", str(gold), "--out", str(tmp_path / "r.jsonl"),
            "--report", str(tmp_path / "rep.json")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "käytetty uudelleen" in out and "KAIKKI" in out
    assert seen["store"] == run.store_for_corpus(corpus).resolve()
    rep = json.loads((tmp_path / "rep.json").read_text(encoding="utf-8"))
    assert rep["thresholds"]["failed"] == [] and rep["meta"]["index"]["reused"] is True
    assert main([*args, "--min-accuracy", "0.9", "--limit", "2"]) == 2
    assert "--min-accuracy" in capsys.readouterr().err
    assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.slow
def test_demo_corpus_end_to_end(tmp_path, capsys):
    """The real runner, ingest and assistant on the demo corpus and eval/demo-gold.jsonl."""
    if not run.DEMO_QUESTIONS.exists():
        pytest.skip("eval/demo-gold.jsonl missing")
    args = ["--store", str(tmp_path / "store"), "--out", str(tmp_path / "r.jsonl"),
            "--report", str(tmp_path / "rep.json")]
    assert main(args) == 0
    rep = json.loads((tmp_path / "rep.json").read_text(encoding="utf-8"))
    assert set(metrics.METRIC_NAMES) <= set(rep["overall"])
    assert rep["by_type"] and all(set(metrics.METRIC_NAMES) <= set(s) for s in rep["by_type"].values())
    assert rep["overall"]["errors"] == 0
    rows = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == rep["overall"]["n"] > 0
    assert all(len(r["retrieved"]) >= min(10, rep["meta"]["index"]["items_total"]) for r in rows if not r.get("error"))
    out = capsys.readouterr().out
    assert "KAIKKI" in out and all(t in out for t in rep["by_type"])
    assert main([*args, "--limit", "3"]) == 0  # second run reuses the store
    assert "käytetty uudelleen" in capsys.readouterr().out
