"""``python -m eval``: answer quality on a corpus and a gold question set.

Without arguments: the demo corpus, ``eval/demo-gold.jsonl``, store ``var/eval/demo-store``.
Several question files are reported together and each as a *split* (``lapua-tune.jsonl``
→ ``tune``), with the tune − test gap; ``--gate-split test`` applies the thresholds to the
test split only. Exit codes: 0 ok, 1 error (bad question file, store problem), 2 a
threshold was not met.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import ConfigError, MinutesError
from eval import report as rp
from eval.run import (
    DEFAULT_OUT,
    DEFAULT_REPORT,
    DEMO_QUESTIONS,
    DEMO_STORE,
    GoldError,
    evaluate,
    index_corpus,
    load_questions,
    order_questions,
    question_files_in,
    store_for_corpus,
)


def _fraction(s: str) -> float:
    v = float(s)
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError("anna osuus väliltä 0–1, esim. 0.6")
    return v


def _day(s: str) -> date:
    try:
        return date.fromisoformat(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError("päivämäärä muodossa VVVV-KK-PP") from e


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m eval",
        description="Mittaa vastausten laadun kultakysymyksillä (ei kielimallia arvioijana).")
    p.add_argument("--corpus", type=Path, metavar="DIR", help="aineistokansio (oletus: demoaineisto)")
    p.add_argument("--questions", type=Path, action="append", metavar="FILE.jsonl",
                   help="kysymystiedosto JSONL; voi antaa useasti, jokainen raportoidaan omana osajoukkonaan "
                        "(oletus: eval/demo-gold.jsonl)")
    p.add_argument("--split-dir", type=Path, metavar="DIR",
                   help="kansio, jonka jokainen *.jsonl on osajoukko (esim. eval/gold: tune ja test)")
    p.add_argument("--store", type=Path, metavar="DIR", help="hakuindeksin kansio (oletus: var/eval/<kansio>-<tiiviste>)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="RESULTS.jsonl", help="kysymyskohtaiset tulokset JSONL")
    p.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="REPORT.json", help="yhteenveto JSON")
    p.add_argument("--as-of", type=_day, metavar="VVVV-KK-PP", help="'tänään' kysymyksille, joilla ei ole omaa as_of-kenttää")
    p.add_argument("--limit", type=int, metavar="N", help="aja vain N ensimmäistä kysymystä (jatkokysymykset vanhempineen)")
    g = p.add_argument_group("raja-arvot (koko joukolle; alitus → paluukoodi 2)")
    g.add_argument("--min-accuracy", type=_fraction, metavar="X", help="vähimmäistarkkuus (accuracy)")
    g.add_argument("--min-citation-recall", type=_fraction, metavar="X", help="viitteiden vähimmäiskattavuus")
    g.add_argument("--min-citation-precision", type=_fraction, metavar="X", help="viitteiden vähimmäisosuvuus")
    g.add_argument("--min-refusal-accuracy", type=_fraction, metavar="X",
                   help="vähimmäisosuus oikeista kieltäytymisistä")
    g.add_argument("--max-ungrounded", type=_fraction, metavar="X",
                   help="enimmäisosuus vastauksista, joissa on perusteeton §, päivämäärä, diaarinumero tai summa")
    g.add_argument("--max-unretrieved", type=int, metavar="N",
                   help="enimmäismäärä viitteitä kohtiin, joita haku ei palauttanut (tavoite 0)")
    g.add_argument("--max-median-chars", type=int, metavar="N",
                   help="vastausten pituuden mediaani merkkeinä enintään (listakysymykset pois lukien)")
    g.add_argument("--gate-split", metavar="NIMI",
                   help="sovella raja-arvot vain tähän osajoukkoon (esim. test), ei koko joukkoon")
    g.add_argument("--max-gap", type=_fraction, metavar="X",
                   help="tarkkuuden ero |tune − test| enintään X (vaatii tune- ja test-tiedostot)")
    p.add_argument("-v", "--verbose", action="store_true", help="näytä jokainen kysymys ajon aikana (ja virheiden jäljet)")
    p.add_argument("--from-feedback", nargs="?", const="", metavar="FEEDBACK.jsonl",
                   help="muunna sovelluksen 👍/👎-palautteet kultakysymysten pohjiksi tarkistettavaksi "
                        "(oletus: hakemiston vieressä oleva <hakemisto>-feedback.jsonl) ja lopeta")
    p.add_argument("--stubs", type=Path, default=Path("var/eval/feedback-stubs.jsonl"), metavar="FILE.jsonl",
                   help="minne --from-feedback kirjoittaa pohjat (oletus var/eval/feedback-stubs.jsonl)")
    return p


def from_feedback(feedback_file: Path, out: Path) -> int:
    """Rated answers → gold-format stubs (answerable, reference answer, citations) marked for review."""
    from ui import feedback

    if not feedback_file.exists():
        print(f"Palautetiedostoa ei löydy: {feedback_file}", file=sys.stderr)
        return 1
    records = feedback.read(feedback_file)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            good = r.rating == "up"
            stub = {
                "id": f"fb-{r.id[:10]}", "question": r.question, "type": "feedback", "answerable": good,
                "as_of": r.as_of, "reference_answer": r.answer if good else "", "must_contain": [],
                "citations": [{"body": c.get("body"), "date": c.get("date"), "section": c.get("section"),
                               "case_id": c.get("case_id"), "file": Path(c.get("source") or "").name}
                              for c in (r.citations if good else [])],
                "evidence": "",
                "review": {"rating": r.rating, "comment": r.comment, "filters": r.filters, "at": r.at,
                           "answer_given": r.answer, "todo": "tarkista vastaus, viitteet ja must_contain"},
            }
            f.write(json.dumps(stub, ensure_ascii=False) + "\n")
    up = sum(r.rating == "up" for r in records)
    print(f"{len(records)} arvioitua vastausta ({up} 👍, {len(records) - up} 👎) → {out}")
    return 0


def _progress(row: dict[str, Any]) -> None:
    m = row["metrics"]
    mark = {True: "ok ", False: "VÄÄRIN", None: "   "}[m["accurate"]]
    print(f"  {row['id']:<10} {mark:<6} {row['latency_ms']:>7.0f} ms  {row['question'][:70]}", file=sys.stderr)


def _check_limits(args: argparse.Namespace, report: dict[str, Any]) -> list[str]:
    """Threshold messages (on the whole set or ``--gate-split``); also recorded in the report."""
    limits = {k: getattr(args, k) for k in rp.THRESHOLD_OPTIONS}
    try:
        figures = rp.gated_figures(report, args.gate_split)
        failed = rp.check_thresholds(figures, limits)
    except KeyError:
        names = ", ".join(report.get("splits") or {}) or "ei osajoukkoja (anna useampi kysymystiedosto)"
        failed = [f"--gate-split {args.gate_split}: osajoukkoa ei ole ({names})"]
    failed += rp.check_gap(report.get("gap"), args.max_gap)
    report["thresholds"] = {"limits": {k: v for k, v in limits.items() if v is not None},
                            "gate_split": args.gate_split, "max_gap": args.max_gap, "failed": failed}
    return failed


class _Exit(Exception):
    """Stop ``main`` with this exit code (the message has already been printed)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _fail(message: str, code: int = 1) -> _Exit:
    print(message, file=sys.stderr)
    return _Exit(code)


@dataclass
class _Inputs:
    """What one run reads: corpus folder, store folder, question files and the questions."""

    corpus: Path
    store: Path
    question_files: list
    questions: list


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    if verbose:
        logging.getLogger("eval").setLevel(logging.DEBUG)
    else:
        logging.getLogger("ingest").setLevel(logging.ERROR)  # skipped files are listed below anyway


def _inputs(args: argparse.Namespace, base: Settings) -> _Inputs:
    corpus = (args.corpus or base.demo_corpus).resolve()
    is_demo = corpus == base.demo_corpus.resolve()
    if args.corpus and not (args.questions or args.split_dir) and not is_demo:
        raise _fail("Anna kysymystiedosto: --questions FILE.jsonl")
    try:
        question_files = [*(args.questions or []), *(question_files_in(args.split_dir) if args.split_dir else [])]
    except GoldError as e:
        raise _fail(f"Virheellinen kysymyskansio: {e}") from None
    question_files = question_files or [DEMO_QUESTIONS]
    store = (args.store or (DEMO_STORE if is_demo else store_for_corpus(corpus))).resolve()
    if not corpus.is_dir():
        raise _fail(f"Aineistokansiota ei löydy: {corpus}")
    try:
        questions = load_questions(question_files)
    except GoldError as e:
        raise _fail(f"Virheellinen kysymystiedosto: {e}") from None
    if args.limit is not None:
        questions = order_questions(questions)[: max(args.limit, 0)]
    return _Inputs(corpus, store, question_files, questions)


def _index(inputs: _Inputs, settings: Settings):
    """Index the corpus (or reuse the index); return (embedder, summary, seconds)."""
    from assistant.service import shared_embedder

    t0 = time.perf_counter()
    try:
        embedder = shared_embedder(settings)
        summary = index_corpus(inputs.corpus, settings, embedder=embedder, show_progress=sys.stderr.isatty())
    except MinutesError as e:
        raise _fail(e.message()) from None
    seconds_index = time.perf_counter() - t0
    if summary.wrote:
        print(f"Indeksoitu {inputs.corpus} → {inputs.store}: {summary.files_changed} muuttunutta tiedostoa, "
              f"{summary.items_written} kohtaa kirjoitettu, {summary.items_total} yhteensä ({seconds_index:.1f} s)")
    else:
        print(f"Indeksi käytetty uudelleen (aineisto ei muuttunut): {inputs.store}, {summary.items_total} kohtaa")
    for _path, reason in summary.files_failed:
        print(f"  ohitettu: {reason}", file=sys.stderr)
    return embedder, summary, seconds_index


def _meta(args: argparse.Namespace, inputs: _Inputs, settings: Settings, summary, seconds_index: float) -> dict:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": str(inputs.corpus), "store": str(inputs.store),
        "questions": [str(Path(q).resolve()) for q in inputs.question_files],
        "as_of": args.as_of.isoformat() if args.as_of else None, "limit": args.limit,
        "embedding_model": settings.embedding_model, "llm_model": settings.llm_model if settings.llm_base_url else None,
        "index": {"reused": not summary.wrote, "items_total": summary.items_total,
                  "files_seen": summary.files_seen, "files_failed": len(summary.files_failed),
                  "seconds": round(seconds_index, 1)},
    }


def _print_outcome(args: argparse.Namespace, rows: list[dict], report: dict, failed: list[str]) -> int:
    errors = [r for r in rows if r.get("error")]
    if errors:
        print(f"\nVAROITUS: {len(errors)} kysymystä kaatui avustajan virheeseen, esim. {errors[0]['id']}: "
              f"{errors[0]['error']}", file=sys.stderr)
    print()
    print(rp.format_table(report))
    print()
    print(f"Tulokset: {args.out}\nRaportti: {args.report}")
    if failed:
        print("\nRaja-arvot eivät täyttyneet:", file=sys.stderr)
        for msg in failed:
            print(f"  {msg}", file=sys.stderr)
        return 2
    return 0


def _run(args: argparse.Namespace) -> int:
    _setup_logging(args.verbose)
    try:
        base = Settings.from_env()
    except ConfigError as e:
        raise _fail(f"Virhe: {e.message()}", 2) from None
    inputs = _inputs(args, base)
    settings = Settings.from_env(store_dir=inputs.store)
    from assistant.service import Assistant

    embedder, summary, seconds_index = _index(inputs, settings)
    try:
        assistant = Assistant.open(settings, embedder=embedder)
    except MinutesError as e:
        raise _fail(e.message()) from None
    meta = _meta(args, inputs, settings, summary, seconds_index)
    print(f"Kysytään {len(inputs.questions)} kysymystä …", file=sys.stderr)
    rows, report = evaluate(inputs.questions, assistant, as_of=args.as_of, meta=meta,
                            on_result=_progress if args.verbose else None)
    failed = _check_limits(args, report)
    rp.write_results(rows, args.out)
    rp.write_report(report, args.report)
    return _print_outcome(args, rows, report, failed)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.from_feedback is not None:
        from ui.feedback import feedback_path

        src = Path(args.from_feedback) if args.from_feedback else feedback_path(Settings.from_env().store_dir)
        return from_feedback(src, args.stubs)
    try:
        return _run(args)
    except _Exit as stop:
        return stop.code


if __name__ == "__main__":
    sys.exit(main())
