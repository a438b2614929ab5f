"""Figures per group of questions: question type, tag, split (tune/test) and the gap.

A *split* is one question file: ``lapua-tune.jsonl`` → ``tune``, ``lapua-test.jsonl``
→ ``test`` (the part after the last ``-`` when it is a known split name, else the file
stem). Thresholds are fitted on ``tune`` only; the *gap* ``tune − test`` shows how much
of the tune figure does not carry over to questions nobody tuned for.

Answer length is counted in characters over answers that were given (not refusals,
not errors); list questions (tag ``list``) and month questions (type ``date_scoped``)
answer one line per item, so their lengths are also left out of a second figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import percentile, summarize

KNOWN_SPLITS = ("train", "tune", "dev", "test")  # also the order splits are reported in
#: Question types and tags whose answers are one line per item (left out of the "non-list" length).
LIST_TYPES = frozenset({"date_scoped"})
LIST_TAGS = frozenset({"list"})
#: Metrics whose tune − test difference the report shows.
GAP_KEYS = ("accuracy", "fact_match", "citation_recall", "citation_precision", "recall_at_5",
            "refusal_accuracy", "false_refusal_rate", "ungrounded_rate")


def split_names(paths: Sequence[Path | str]) -> dict[str, str]:
    """Split name of every question file (keyed by ``str(path)``).

    The suffix after the last ``-`` of the stem when it is one of :data:`KNOWN_SPLITS`
    and no other file has the same suffix; otherwise the whole stem.
    """
    def suffix(p: Path | str) -> str:
        stem = Path(p).stem
        tail = stem.rsplit("-", 1)[-1].casefold()
        return tail if tail in KNOWN_SPLITS else stem

    names = [suffix(p) for p in paths]
    out = {}
    for p, n in zip(paths, names, strict=True):
        out[str(p)] = n if names.count(n) == 1 else Path(p).stem
    return out


def is_list_question(row: Mapping[str, Any]) -> bool:
    """True for questions answered one line per item (lists, month questions)."""
    return str(row.get("type") or "") in LIST_TYPES or bool(LIST_TAGS & set(row.get("tags") or ()))


def answer_lengths(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Median and p90 answer length in characters, all answers and non-list answers."""
    given = [r for r in rows if not r.get("error") and not r.get("refused")]
    every = [float(len(r.get("answer") or "")) for r in given]
    nonlist = [float(len(r.get("answer") or "")) for r in given if not is_list_question(r)]
    return {
        "answer_chars_p50": percentile(every, 50), "answer_chars_p90": percentile(every, 90),
        "answer_chars_p50_nonlist": percentile(nonlist, 50),
        "answer_chars_p90_nonlist": percentile(nonlist, 90),
        "n_answers_nonlist": len(nonlist),
    }


def summarize_group(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """:func:`eval.metrics.summarize` plus answer lengths."""
    return {**summarize(rows), **answer_lengths(rows)}


def by_type(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Figures per question ``type`` (sorted by name)."""
    types = sorted({str(r.get("type") or "general") for r in rows})
    return {t: summarize_group([r for r in rows if str(r.get("type") or "general") == t]) for t in types}


def by_tag(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Figures per tag; a question with several tags counts in each (untagged rows: none)."""
    tags = sorted({str(t) for r in rows for t in (r.get("tags") or ())})
    return {t: summarize_group([r for r in rows if t in (r.get("tags") or ())]) for t in tags}


def gap(tune: Mapping[str, Any], test: Mapping[str, Any], keys: Iterable[str] = GAP_KEYS) -> dict[str, float | None]:
    """``tune − test`` per metric (``None`` when either side is unmeasured)."""
    out: dict[str, float | None] = {}
    for k in keys:
        a, b = tune.get(k), test.get(k)
        out[k] = None if a is None or b is None else a - b
    return out


def split_reports(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Figures per split (rows' ``split`` field; known splits in :data:`KNOWN_SPLITS` order, then
    others as first seen) and the tune/test gap.

    Returns ``({}, None)`` when all rows belong to one split; the gap is ``None``
    unless both a ``tune`` and a ``test`` split are present.
    """
    names: list[str] = []
    for r in rows:
        s = r.get("split")
        if s and s not in names:
            names.append(str(s))
    if len(names) < 2:
        return {}, None
    known = [n for n in KNOWN_SPLITS if n in names]
    names = known + [n for n in names if n not in known]
    splits = {}
    for name in names:
        part = [r for r in rows if r.get("split") == name]
        splits[name] = {"overall": summarize_group(part), "by_type": by_type(part), "by_tag": by_tag(part)}
    g = None
    if "tune" in splits and "test" in splits:
        g = gap(splits["tune"]["overall"], splits["test"]["overall"])
    return splits, g
