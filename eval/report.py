"""Report building, the fixed-width table, threshold checks and output files."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval import groups
from eval.metrics import ACCURACY_MIN_CITATION_RECALL, RECALL_K

logger = logging.getLogger(__name__)

DEFINITIONS: dict[str, str] = {
    "accuracy": (f"answerable: fact_match AND citation_recall >= {ACCURACY_MIN_CITATION_RECALL}; "
                 "unanswerable: refused"),
    "fact_match": "every must_contain string in the answer (normalised), answerable questions",
    "citation_recall": "gold citations (body, date, §) cited / gold citations, answerable questions",
    "citation_precision": "cited (body, date, §) that are gold / cited, answerable questions that cite",
    "case_id_accuracy": "matched citations whose case_id equals gold (null = null), pooled",
    "source_accuracy": "matched citations whose source path ends with the gold file, pooled",
    "recall_at_5": f"gold citations among the first {RECALL_K} retrieved / gold citations",
    "mrr": "1 / rank of the first retrieved gold citation (0 if none)",
    "refusal_accuracy": "unanswerable questions refused / unanswerable",
    "false_refusal_rate": "answerable questions refused / answerable",
    "refusal_topic_match": "unanswerable questions refused with every must_contain string in the refusal",
    "ungrounded_rate": "non-refused answers stating a §, date, case ID or euro amount absent from cited items",
    "latency_p50_ms": "median question → answer time",
    "latency_p95_ms": "95th percentile question → answer time",
    "answer_chars_p50": "median length in characters of answers given (refusals and errors left out)",
    "answer_chars_p90": "90th percentile length in characters of answers given",
    "answer_chars_p50_nonlist": "median answer length outside list questions (tag list) and type date_scoped",
    "answer_chars_p90_nonlist": "90th percentile answer length outside list questions and type date_scoped",
    "gap": "tune − test per metric, when the question files include a tune and a test split",
}

# (metric key, Finnish column header, width, kind)
COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("n", "n", 4, "int"),
    ("accuracy", "Tarkkuus", 8, "rate"),
    ("fact_match", "Faktat", 6, "rate"),
    ("citation_recall", "Viite-R", 7, "rate"),
    ("citation_precision", "Viite-P", 7, "rate"),
    ("case_id_accuracy", "Dnro", 5, "rate"),
    ("recall_at_5", "Haku@5", 6, "rate"),
    ("mrr", "MRR", 5, "rate"),
    ("refusal_accuracy", "Kielt.", 6, "rate"),
    ("false_refusal_rate", "V.kielt", 7, "rate"),
    ("ungrounded_rate", "Perust.", 7, "rate"),
    ("latency_p50_ms", "p50 ms", 7, "ms"),
    ("latency_p95_ms", "p95 ms", 7, "ms"),
    ("answer_chars_p50", "Pit.p50", 7, "ms"),
)

OVERALL_LABELS: tuple[tuple[str, str], ...] = (
    ("accuracy", "Tarkkuus"),
    ("fact_match", "Faktat vastauksessa"),
    ("citation_recall", "Viitteiden kattavuus"),
    ("citation_precision", "Viitteiden osuvuus"),
    ("case_id_accuracy", "Diaarinumerot oikein"),
    ("source_accuracy", "Lähdetiedosto oikein"),
    ("recall_at_5", "Haku: kultaviite 5 ensimmäisessä"),
    ("mrr", "Haku: käänteinen sijoitus"),
    ("refusal_accuracy", "Oikeat kieltäytymiset"),
    ("false_refusal_rate", "Väärät kieltäytymiset"),
    ("refusal_topic_match", "Kieltäytyminen nimeää aiheen"),
    ("ungrounded_rate", "Perusteettomia väitteitä"),
    ("latency_p50_ms", "Vasteaika p50"),
    ("latency_p95_ms", "Vasteaika p95"),
    ("answer_chars_p50", "Pituus merkkeinä, mediaani"),
    ("answer_chars_p90", "Pituus merkkeinä, p90"),
    ("answer_chars_p50_nonlist", "Ei listat: mediaani"),
    ("answer_chars_p90_nonlist", "Ei listat: p90"),
)

THRESHOLD_OPTIONS: dict[str, tuple[str, str]] = {
    "min_accuracy": ("accuracy", "min"),
    "min_citation_recall": ("citation_recall", "min"),
    "min_citation_precision": ("citation_precision", "min"),
    "min_refusal_accuracy": ("refusal_accuracy", "min"),
    "max_ungrounded": ("ungrounded_rate", "max"),
    "max_unretrieved": ("unretrieved_citations", "max"),
    "max_median_chars": ("answer_chars_p50_nonlist", "max"),
}


def wrong_answers(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Why each graded question was scored wrong, for the report (with its split when there are several)."""
    several = len({r.get("split") for r in rows}) > 1
    out = []
    for r in rows:
        m = r["metrics"]
        if m.get("accurate") is not False:
            continue
        if r.get("error"):
            why = f"virhe: {r['error']}"
        elif r.get("answerable") is False:
            why = "ei kieltäytynyt"
        elif r.get("refused"):
            why = "kieltäytyi turhaan"
        else:
            parts = []
            if m["facts_missing"]:
                parts.append("puuttuu: " + ", ".join(m["facts_missing"]))
            if m["citation_recall"] is not None and m["citation_recall"] < ACCURACY_MIN_CITATION_RECALL:
                parts.append(f"viitteiden kattavuus {m['citation_recall']:.2f}")
            why = "; ".join(parts)
        entry = {"id": r["id"], "type": r.get("type"), "why": why, **({"unseen": True} if r.get("unseen") else {})}
        out.append({**entry, "split": r.get("split")} if several else entry)
    return out


def build_report(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON report: meta, metric definitions, overall, per type and tag, per split and the
    tune/test gap (several files only), wrong answers, ungrounded claims."""
    splits, gap = groups.split_reports(rows)
    return {
        "meta": dict(meta),
        "definitions": DEFINITIONS,
        "overall": groups.summarize_group(rows),
        "by_type": groups.by_type(rows),
        "by_tag": groups.by_tag(rows),
        "splits": splits,
        "gap": gap,
        "wrong": wrong_answers(rows),
        "ungrounded": [{"id": r["id"], "claims": r["metrics"]["ungrounded_claims"]}
                       for r in rows if r["metrics"].get("ungrounded_claims")],
    }


def gated_figures(report: Mapping[str, Any], split: str | None) -> Mapping[str, Any]:
    """The figures thresholds apply to: the whole set, or one split (``--gate-split test``).

    Raises:
        KeyError: ``split`` is not one of the report's splits.
    """
    if split is None:
        return report["overall"]
    splits = report.get("splits") or {}
    if split not in splits:
        raise KeyError(split)
    return splits[split]["overall"]


def check_gap(gap: Mapping[str, float | None] | None, limit: float | None, key: str = "accuracy") -> list[str]:
    """A Finnish message when ``|tune − test|`` of ``key`` exceeds ``limit`` (or cannot be measured)."""
    if limit is None:
        return []
    value = (gap or {}).get(key)
    if value is None:
        return [f"--max-gap {limit}: tune/test-ero ei mitattavissa (anna tune- ja test-tiedostot)"]
    if abs(value) > limit:
        return [f"--max-gap {limit}: {key} tune − test = {value:+.3f}"]
    return []


def check_thresholds(overall: Mapping[str, Any], limits: Mapping[str, float | None]) -> list[str]:
    """Finnish messages for every limit (``min_accuracy=0.6`` …) the overall figures miss.

    A limit on a metric that could not be measured (e.g. no unanswerable questions) fails.
    """
    failed = []
    for option, limit in limits.items():
        if limit is None:
            continue
        key, kind = THRESHOLD_OPTIONS[option]
        value = overall.get(key)
        flag = "--" + option.replace("_", "-")
        if value is None:
            failed.append(f"{flag} {limit}: {key} ei mitattavissa tällä kysymysjoukolla")
        elif (kind == "min" and value < limit) or (kind == "max" and value > limit):
            sign = "<" if kind == "min" else ">"
            failed.append(f"{flag} {limit}: {key} = {value:.3f} {sign} {limit}")
    return failed


def _fmt(value: Any, kind: str, width: int) -> str:
    if value is None:
        s = "–"
    elif kind == "rate":
        s = f"{value:.2f}"
    elif kind == "ms":  # also characters: whole numbers
        s = f"{value:.0f}"
    else:
        s = str(value)
    return s.rjust(width)


def _group_table(title: str, rows: Sequence[tuple[str, Mapping[str, Any]]], *, total: bool = True) -> list[str]:
    """One fixed-width row per group; with ``total`` the last row (the total) is set off by a rule."""
    tw = max([len(title), *(len(n) for n, _ in rows)])
    header = title.ljust(tw) + "".join(" " + h.rjust(w) for _, h, w, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for i, (name, s) in enumerate(rows):
        if total and i == len(rows) - 1 and len(rows) > 1:
            lines.append("-" * len(header))
        lines.append(name.ljust(tw) + "".join(" " + _fmt(s.get(k), kind, w) for k, _, w, kind in COLUMNS))
    return lines


def _overall_lines(o: Mapping[str, Any]) -> list[str]:
    lines = [
        f"Kysymyksiä {o['n']}: vastattavissa {o['n_answerable']}, ei vastattavissa {o['n_unanswerable']}"
        + (f", arvioimatta {o['n_ungraded']}" if o["n_ungraded"] else "")
        + f"; virheitä {o['errors']}, kieltäytymisiä {o['refusals']}",
        "",
    ]
    for key, label in OVERALL_LABELS:
        kind = "ms" if key.endswith("_ms") or key.startswith("answer_chars") else "rate"
        lines.append(f"  {label + ' (' + key + ')':<52}{_fmt(o.get(key), kind, 8)}")
    lines.append(f"  {'Perusteettomat väitteet / väitteet':<52}{o['claims_ungrounded']:>4} / {o['claims_total']}")
    lines.append(f"  {'Hakemattomien kohtien viitteet (unretrieved_citations)':<52}"
                 f"{o.get('unretrieved_citations', 0):>8}")
    if o.get("duplicate_citations"):
        lines.append(f"  {'Toistuvat viitteet (duplicate_citations)':<52}{o['duplicate_citations']:>8}")
    if o.get("retrieved_lt_10"):
        lines.append(f"  {'Alle 10 hakutulosta (retrieved_lt_10)':<52}{o['retrieved_lt_10']:>8}")
    return lines


def _split_lines(report: Mapping[str, Any]) -> list[str]:
    """Per split overall row, then the tune − test gap."""
    splits = report.get("splits") or {}
    if not splits:
        return []
    lines = ["", *_group_table("Osajoukko", [(n, s["overall"]) for n, s in splits.items()], total=False)]
    gap = report.get("gap")
    if gap:
        lines += ["", "Ero tune − test (positiivinen = testijoukolla heikompi):"]
        lines += [f"  {k:<24}{'–' if v is None else f'{v:+.3f}':>8}" for k, v in gap.items()]
    return lines


def format_table(report: Mapping[str, Any]) -> str:
    """Overall figures, one row per question type and per tag, per split with the tune/test gap."""
    o = report["overall"]
    lines = [*_overall_lines(o), ""]
    lines += _group_table("Kysymystyyppi", [*report["by_type"].items(), ("KAIKKI", o)])
    if report.get("by_tag"):
        lines += ["", *_group_table("Tunniste (tags)", [*report["by_tag"].items(), ("KAIKKI", o)])]
    lines += _split_lines(report)
    lines.append("")
    lines.append("Sarakkeet: " + ", ".join(f"{h}={k}" for k, h, _, _ in COLUMNS[1:]))
    return "\n".join(lines + _wrong_lines(report.get("wrong") or []))


def _wrong_lines(wrong: Sequence[Mapping[str, Any]]) -> list[str]:
    """The wrong answers of the tuning sets one per line; of an unseen split only how many (they are in
    the results file, for a failing gate to be looked into, not printed for tuning)."""
    if not wrong:
        return []
    lines = ["", f"Väärin ({len(wrong)}):"]
    lines += [f"  {w['id']:<10} {str(w.get('split') or ''):<6} {str(w['type']):<16} {w['why']}"
              for w in wrong if not w.get("unseen")]
    hidden = Counter(str(w.get("split") or "") for w in wrong if w.get("unseen"))
    lines += [f"  {split}: {n} väärin; ei listata, koska osajoukolla ei viritetä (tulokset: --out)"
              for split, n in hidden.items()]
    return lines


def write_results(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """One JSON object per line, in asking order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def write_report(report: Mapping[str, Any], path: Path) -> None:
    """The report as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
