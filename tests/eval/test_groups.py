"""Splits (tune/test) and their gap, per-tag figures, answer lengths, split gating on the CLI."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from eval import groups, report, run
from eval.__main__ import main
from tests.eval.test_run import GOLD_CIT, FakeAssistant, FakeConversation, write_gold


def row(qid, *, answer="x", refused=False, accurate=True, type_="fact", tags=(), split=None, answerable=True):
    """A minimal scored result row (metrics as ``score_question`` would give them)."""
    m = {"accurate": accurate, "fact_match": accurate, "facts_missing": [], "citation_recall": 1.0,
         "citation_precision": 1.0, "case_id_correct": 0, "case_id_checked": 0, "source_correct": 0,
         "source_checked": 0, "duplicate_citations": 0, "unretrieved_citations": 0, "recall_at_5": 1.0,
         "mrr": 1.0, "retrieved_count": 10, "grounded": True, "claims": 0, "ungrounded_claims": []}
    return {"id": qid, "type": type_, "tags": list(tags), "split": split, "answerable": answerable,
            "answer": answer, "refused": refused, "latency_ms": 10.0, "metrics": m}


def test_split_names_use_known_suffix_else_stem():
    names = groups.split_names([Path("g/lapua-tune.jsonl"), Path("g/lapua-test.jsonl"), Path("demo-gold.jsonl")])
    assert names == {"g/lapua-tune.jsonl": "tune", "g/lapua-test.jsonl": "test", "demo-gold.jsonl": "demo-gold"}
    # Two files with the same suffix keep their stems, so their figures are not merged.
    assert set(groups.split_names([Path("a-test.jsonl"), Path("b-test.jsonl")]).values()) == {"a-test", "b-test"}


def test_answer_lengths_leave_out_refusals_and_list_questions():
    rows = [row("a", answer="x" * 100), row("b", answer="x" * 300), row("c", answer="x" * 5000, tags=["list"]),
            row("d", answer="x" * 4000, type_="date_scoped"), row("e", answer="ei löydy", refused=True)]
    got = groups.answer_lengths(rows)
    assert got["answer_chars_p50"] == pytest.approx(2150.0)  # 100, 300, 4000, 5000
    assert got["answer_chars_p50_nonlist"] == pytest.approx(200.0)
    assert got["answer_chars_p90_nonlist"] == pytest.approx(280.0)
    assert got["n_answers_nonlist"] == 2


def test_by_tag_counts_a_row_in_each_of_its_tags():
    rows = [row("a", tags=["amount", "typo"]), row("b", tags=["amount"], accurate=False), row("c")]
    tags = groups.by_tag(rows)
    assert set(tags) == {"amount", "typo"}
    assert tags["amount"]["n"] == 2 and tags["amount"]["accuracy"] == pytest.approx(0.5)
    assert tags["typo"]["accuracy"] == 1.0


def test_split_reports_and_gap():
    rows = [row("t1", split="tune"), row("t2", split="tune"),
            row("s1", split="test"), row("s2", split="test", accurate=False)]
    splits, gap = groups.split_reports(rows)
    assert list(splits) == ["tune", "test"]
    assert splits["test"]["overall"]["accuracy"] == pytest.approx(0.5)
    assert gap["accuracy"] == pytest.approx(0.5)
    assert groups.split_reports(rows[:2]) == ({}, None)  # one split: nothing extra
    rep = report.build_report(rows, {})
    assert report.gated_figures(rep, "test")["accuracy"] == pytest.approx(0.5)
    assert report.check_gap(rep["gap"], 0.05) and not report.check_gap(rep["gap"], 0.6)
    text = report.format_table(rep)
    assert "Osajoukko" in text and "tune − test" in text
    with pytest.raises(KeyError):
        report.gated_figures(rep, "dev")


def test_median_length_threshold():
    o = groups.summarize_group([row("a", answer="x" * 900)])
    assert report.check_thresholds(o, {"max_median_chars": 600})
    assert not report.check_thresholds(o, {"max_median_chars": 1000})


@pytest.fixture()
def fake_service(monkeypatch):
    svc = types.ModuleType("assistant.service")
    svc.Conversation = FakeConversation
    svc.Assistant = types.SimpleNamespace(open=lambda settings, embedder=None: FakeAssistant())
    svc.shared_embedder = lambda settings: None
    monkeypatch.setitem(sys.modules, "assistant.service", svc)
    monkeypatch.setattr("eval.__main__.index_corpus", lambda corpus, settings, **kw: types.SimpleNamespace(
        wrote=False, items_total=1, files_seen=1, files_failed=[], files_changed=0, items_written=0))


def test_cli_split_dir_gates_on_test_split(tmp_path, fake_service, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    good = {"answerable": True, "must_contain": ["tiedoksi"], "citations": [GOLD_CIT], "type": "fact"}
    write_gold(gold_dir / "x-tune.jsonl", [{**good, "id": "t1", "question": "Mitä?", "tags": ["amount"]}])
    write_gold(gold_dir / "x-test.jsonl", [{**good, "id": "s1", "question": "Mitä nyt?", "must_contain": ["ei ole"]}])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    args = ["--corpus", str(corpus), "--split-dir", str(gold_dir), "--out", str(tmp_path / "r.jsonl"),
            "--report", str(tmp_path / "rep.json")]
    assert main([*args, "--min-accuracy", "0.9"]) == 2  # whole set: 0.5
    assert main([*args, "--min-accuracy", "0.9", "--gate-split", "tune"]) == 0
    assert main([*args, "--min-accuracy", "0.9", "--gate-split", "test"]) == 2
    assert main([*args, "--max-gap", "0.5"]) == 2  # tune 1.0, test 0.0
    rep = json.loads((tmp_path / "rep.json").read_text(encoding="utf-8"))
    assert set(rep["splits"]) == {"tune", "test"} and rep["gap"]["accuracy"] == 1.0
    assert set(rep["by_tag"]) == {"amount"}
    assert main([*args, "--gate-split", "nosuch", "--min-accuracy", "0.1"]) == 2
    assert "nosuch" in capsys.readouterr().err
    assert main([*args[:2], "--split-dir", str(tmp_path / "empty"), *args[4:]]) == 1


def test_question_files_in_sorted(tmp_path):
    for n in ("b-test.jsonl", "a-tune.jsonl", "notes.txt"):
        (tmp_path / n).write_text("", encoding="utf-8")
    assert [p.name for p in run.question_files_in(tmp_path)] == ["a-tune.jsonl", "b-test.jsonl"]


def test_citation_precision_threshold():
    o = groups.summarize_group([row("a")])
    o["citation_precision"] = 0.8
    assert report.check_thresholds(o, {"min_citation_precision": 0.9})
    assert not report.check_thresholds(o, {"min_citation_precision": 0.75})


def test_known_splits_are_reported_tune_first():
    rows = [row("s1", split="test"), row("t1", split="tune"), row("x1", split="extra")]
    splits, _ = groups.split_reports(rows)
    assert list(splits) == ["tune", "test", "extra"]


def test_wrong_answers_of_an_unseen_split_are_counted_not_listed(tmp_path):
    (tmp_path / "lapua-tune.jsonl").write_text('{"id": "t1", "question": "Mitä?"}\n', encoding="utf-8")
    (tmp_path / "lapua-test.jsonl").write_text('{"id": "s1", "question": "Mitä?"}\n', encoding="utf-8")
    (tmp_path / run.SPLITS_FILE).write_text('{"unseen": ["lapua-test.jsonl"]}', encoding="utf-8")
    qs = run.load_questions(run.question_files_in(tmp_path))
    assert {q["id"]: q["_unseen"] for q in qs} == {"t1": False, "s1": True}
    rows = [{**row("t1", split="tune", accurate=False), "unseen": False},
            {**row("s1", split="test", accurate=False), "unseen": True},
            {**row("s2", split="test", accurate=False), "unseen": True}]
    text = report.format_table(report.build_report(rows, {}))
    assert "t1" in text and "s1" not in text and "s2" not in text
    assert "test: 2 väärin" in text


def test_a_broken_splits_file_is_a_finnish_error(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "a", "question": "Mitä?"}\n', encoding="utf-8")
    (tmp_path / run.SPLITS_FILE).write_text('{"unseen": "a.jsonl"}', encoding="utf-8")
    with pytest.raises(run.GoldError, match="unseen"):
        run.load_questions(run.question_files_in(tmp_path))
