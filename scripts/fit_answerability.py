"""Fit the answerability model on a TUNE question set with the real retrieval.

    python scripts/fit_answerability.py --set eval/gold/lapua-tune.jsonl /work/cache/lapua-store \\
        [--set MORE.jsonl STORE] [--holdout FILE.jsonl STORE] [--out assistant/answerability.json] [--l2 1.0]

Each ``--set`` is a question file and the (already built) store its questions are asked
against. For every question the script parses it as the assistant does (follow-ups get
their parent's query), retrieves, and computes :class:`assistant.features.Features` of the
fused top item. Label: 1 when the question is answerable and the top item is one of its
gold citations (answering from it would cite the right item), else 0.

Prints 5-fold cross-validated calibration on the fitting set (the refusal threshold is
chosen on these out-of-fold probabilities), and the same on ``--holdout`` when given —
which is only *reported*: fit on tune, never on test.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import answerability as ab  # noqa: E402
from assistant.features import FEATURE_NAMES, compute_features  # noqa: E402
from core.config import Settings  # noqa: E402
from eval import metrics  # noqa: E402
from eval.run import load_questions, order_questions  # noqa: E402

DEFAULT_OUT = ROOT / "assistant" / "answerability.json"
FOLDS = 5


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def open_assistant(store: Path, embedder: Any) -> Any:
    from assistant.service import Assistant

    settings = replace(Settings.from_env(store_dir=Path(store).resolve()), llm_base_url=None, llm_model=None)
    return Assistant.open(settings, embedder=embedder, chat_model=None)


def retrieve(assistant: Any, question: str, previous: Any, today: date) -> tuple[Any, list[Any], list, list, list]:
    """(query, fused hits, lexical passages, dense passages, query tokens) as the assistant searches.

    Integration point: after the stage restructure this should call the retrieval stage and
    read its lexical/dense lists instead of repeating the two searches.
    """
    from assistant.index import build_where
    from assistant.relevance import expand_synonyms
    from assistant.service import Conversation
    from core.tokens import tokenize

    conv = Conversation()
    conv.previous = previous
    state = assistant._parse({"text": question, "conversation": conv, "today": today,
                              "ui": {"bodies": [], "date_from": None, "date_to": None}})
    q = state["query"]
    hits = assistant.retriever.search(q)
    text = q.keywords.strip() or q.text
    tokens = expand_synonyms(tokenize(text))
    fetch = assistant.retriever.fetch_k
    lexical = assistant.index.lexical(tokens, None, fetch)
    dense = assistant.index.dense(text, build_where(q), fetch) if text.strip() else []
    return q, hits, lexical, dense, tokens


def question_rows(path: Path, store: Path, embedder: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features and labels of every question of one file against one store."""
    from core.query_terms import QueryNormalizer

    assistant = open_assistant(store, embedder)
    normalizer = QueryNormalizer(assistant.index.vocab)
    queries: dict[str, Any] = {}
    xs, ys, ids = [], [], []
    for g in order_questions(load_questions([path])):
        parent = g.get("follow_up_of")
        today = date.fromisoformat(g["as_of"]) if g.get("as_of") else date.today()
        q, hits, lexical, dense, tokens = retrieve(assistant, g["question"], queries.get(str(parent)), today)
        queries[str(g["id"])] = q
        top = hits[0].item if hits else None
        f = compute_features(q.keywords.strip() or q.text, top, lexical, dense, assistant.index,
                             query_tokens=tokens, normalizer=normalizer)
        gold = {metrics.citation_key(c) for c in g.get("citations") or []}
        right = top is not None and metrics.citation_key(
            {"body": top.body, "date": top.date, "section": top.section}) in gold
        xs.append(f.vector())
        ys.append(1.0 if metrics.is_answerable(g) and right else 0.0)
        ids.append(str(g["id"]))
    return np.array(xs), np.array(ys), ids


def cross_validated(x: np.ndarray, y: np.ndarray, l2: float, seed: int = 0) -> np.ndarray:
    """Out-of-fold probabilities (stratified-ish: shuffled, FOLDS folds)."""
    order = np.random.default_rng(seed).permutation(len(y))
    p = np.zeros(len(y))
    for k in range(FOLDS):
        test = order[k::FOLDS]
        train = np.setdiff1d(order, test)
        if len(set(y[train].tolist())) < 2:
            p[test] = y[train].mean()
            continue
        p[test] = ab.fit(x[train], y[train], l2=l2).predict_proba_many(x[test])
    return p


def report(title: str, p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    acc = float(np.mean((p >= threshold) == (y == 1)))
    print(f"\n{title}: n={len(y)} positives={int(y.sum())} brier={ab.brier(p, y):.3f} "
          f"accuracy@{threshold:.2f}={acc:.3f}")
    print("  bin          n  predicted  observed")
    for row in ab.calibration(p, y):
        print(f"  {row['from']:.1f}–{row['to']:.1f}  {row['n']:4d}  {row['predicted']:9.2f}  {row['observed']:8.2f}")
    return {"n": len(y), "brier": round(ab.brier(p, y), 4), "accuracy": round(acc, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", nargs=2, action="append", metavar=("QUESTIONS", "STORE"), required=True)
    ap.add_argument("--holdout", nargs=2, action="append", metavar=("QUESTIONS", "STORE"), default=[])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--note", default="", help="recorded in fitted_on (e.g. 'provisional')")
    args = ap.parse_args()
    from assistant.service import shared_embedder

    embedder = shared_embedder(Settings.from_env())
    parts = [question_rows(Path(q), Path(s), embedder) for q, s in args.set]
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    cv = cross_validated(x, y, args.l2)
    threshold = ab.best_threshold(cv, y)
    fitted = {
        "files": [{"name": Path(q).name, "sha256": sha256(Path(q)), "store": str(Path(s).resolve())}
                  for q, s in args.set],
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "n": int(len(y)), "positives": int(y.sum()),
        "label": "answerable and the fused top item is a gold citation",
        "threshold_from": f"{FOLDS}-fold out-of-fold accuracy", "note": args.note,
    }
    fitted["cv"] = report(f"{FOLDS}-fold cross-validation on the fitting set", cv, y, threshold)
    model = ab.fit(x, y, l2=args.l2, fitted_on=fitted)
    model.threshold = threshold
    for q, s in args.holdout:
        hx, hy, _ = question_rows(Path(q), Path(s), embedder)
        fitted.setdefault("holdout", []).append(
            {"name": Path(q).name, **report(f"held out {Path(q).name}", model.predict_proba_many(hx), hy, threshold)})
    print("\ncoefficients (standardised features):")
    for name, c in zip(FEATURE_NAMES, model.coef, strict=True):
        print(f"  {name:<16}{c:+.3f}")
    print(f"  {'intercept':<16}{model.intercept:+.3f}   threshold {threshold:.3f}")
    model.save(args.out)
    print(f"\nsaved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
