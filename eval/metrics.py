"""Deterministic answer-quality metrics: pure functions over plain dicts and strings.

Nothing here calls a model or reads files; the runner (``eval/run.py``) collects the
answers and the cited items' text and passes them in.

Definitions (one gold row = one question, see ``../shared/eval/lapua-dev-gold.jsonl``):

* A predicted citation *matches* a gold citation when body (case-insensitive), ISO date
  and § are equal. Duplicated keys count once.
* **citation recall** = matched gold keys / gold keys; **citation precision** = matched
  predicted keys / predicted keys (``None`` when nothing was cited).
* **case-ID accuracy**: of matched citations, the share whose case ID equals the gold one
  (gold ``null`` is correct only when the prediction is ``null`` too). **source accuracy**:
  of matched citations, the share whose ``source`` path ends with the gold ``file``.
* **recall@5** = gold keys found among the first five ``retrieved`` / gold keys;
  **MRR** = 1 / rank of the first retrieved citation matching any gold key (0 if none).
* **fact match**: every ``must_contain`` string occurs in the answer after
  :func:`normalize_text` (case-folding, zero-width characters removed, whitespace
  collapsed, digit groups joined so ``850.000`` = ``850 000`` = ``850000``).
* **grounding**: every §, date, case ID and euro amount stated in an answer occurs in
  the text or fields of an item the answer cites. Checked only for answers that were
  not refusals; *ungrounded rate* = share of such answers with at least one claim that
  is not found.
* **accuracy** per question: answerable → fact match AND citation recall ≥ 0.5;
  unanswerable → the assistant refused. **refusal accuracy** = refused / unanswerable;
  **false refusal rate** = refused / answerable.
* Questions with no ``answerable``, ``citations`` nor ``must_contain`` are *ungraded*:
  they count only for latency, refusals seen and grounding.

Averages are per question (macro) except case-ID and source accuracy, which are pooled
over all matched citations (micro).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from eval.claims import SPACES as _SPACES
from eval.claims import ZERO_WIDTH as _ZERO_WIDTH
from eval.claims import Claim as Claim  # re-exported: metrics is the one entry point of eval's checks
from eval.claims import Grounding as Grounding
from eval.claims import extract_claims as extract_claims
from eval.claims import grounding
from eval.claims import norm_case_id as _norm_case_id

ACCURACY_MIN_CITATION_RECALL = 0.5
RECALL_K = 5

# A number written in groups of three: 850.000, 850 000, 1 100 000 (leading group 1-3 digits).
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ .]\d{3})+(?![\d])")


def normalize_text(text: str) -> str:
    """Normalise text for substring comparison (see module docstring)."""
    t = unicodedata.normalize("NFKC", text or "")
    t = _ZERO_WIDTH.sub("", t).casefold()
    t = _SPACES.sub(" ", t).strip()
    return _GROUPED.sub(lambda m: re.sub(r"[ .]", "", m.group(0)), t)


def fact_match(answer: str, must_contain: Iterable[str]) -> tuple[bool, list[str]]:
    """Return (all found, missing strings); an empty ``must_contain`` always matches."""
    norm = normalize_text(answer)
    missing = [s for s in must_contain if normalize_text(s) not in norm]
    return not missing, missing


# ---------------------------------------------------------------- citations

CitationKey = tuple[str, str, int]


def citation_key(c: Mapping[str, Any]) -> CitationKey | None:
    """(body, date, §) of a citation dict, normalised; ``None`` if a field is unusable."""
    try:
        section = int(c["section"])
    except (KeyError, TypeError, ValueError):
        return None
    body = _SPACES.sub(" ", str(c.get("body") or "").replace("_", " ")).strip().casefold()
    return body, str(c.get("date") or "").strip(), section


def _unique(cits: Iterable[Mapping[str, Any]]) -> dict[CitationKey, Mapping[str, Any]]:
    """Citations by key, first occurrence kept, order preserved."""
    out: dict[CitationKey, Mapping[str, Any]] = {}
    for c in cits:
        k = citation_key(c)
        if k is not None and k not in out:
            out[k] = c
    return out


def citation_recall(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> float | None:
    """Share of gold citations matched; ``None`` when there is no gold citation."""
    g = _unique(gold)
    if not g:
        return None
    p = _unique(predicted)
    return sum(1 for k in g if k in p) / len(g)


def citation_precision(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> float | None:
    """Share of (unique) predicted citations that are gold; ``None`` when nothing was cited."""
    p = _unique(predicted)
    if not p:
        return None
    g = _unique(gold)
    return sum(1 for k in p if k in g) / len(p)


def duplicate_citations(predicted: Sequence[Mapping[str, Any]]) -> int:
    """How many predicted citations repeat an earlier (body, date, §)."""
    return len(predicted) - len(_unique(predicted))


def unretrieved_citations(predicted: Sequence[Mapping[str, Any]], retrieved: Sequence[Mapping[str, Any]]) -> int:
    """How many cited items (body, date, §) are missing from the retrieved list: must be 0."""
    got = _unique(retrieved)
    return sum(1 for k in _unique(predicted) if k not in got)


def case_id_hits(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(correct, checked) case IDs over matched citations whose gold row has ``case_id``."""
    p = _unique(predicted)
    correct = checked = 0
    for k, g in _unique(gold).items():
        if k in p and "case_id" in g:
            checked += 1
            correct += _norm_case_id(p[k].get("case_id")) == _norm_case_id(g["case_id"])
    return correct, checked


def source_matches(source: str | None, gold_file: str) -> bool:
    """True when the predicted ``source`` path ends with the gold ``file`` (relative path)."""
    def parts(s: str) -> tuple[str, ...]:
        s = unicodedata.normalize("NFC", s.replace("\\", "/")).casefold()
        return tuple(x for x in PurePosixPath(s).parts if x not in ("/", "."))

    want, have = parts(gold_file), parts(source or "")
    return bool(want) and have[-len(want):] == want


def source_hits(predicted: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(correct, checked) sources over matched citations whose gold row has ``file``."""
    p = _unique(predicted)
    correct = checked = 0
    for k, g in _unique(gold).items():
        if k in p and g.get("file"):
            checked += 1
            correct += source_matches(p[k].get("source"), str(g["file"]))
    return correct, checked


def recall_at_k(retrieved: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]], k: int = RECALL_K) -> float | None:
    """Share of gold keys among the first ``k`` retrieved; ``None`` without gold."""
    g = _unique(gold)
    if not g:
        return None
    top = {citation_key(c) for c in retrieved[:k]}
    return sum(1 for key in g if key in top) / len(g)


def reciprocal_rank(retrieved: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> float | None:
    """1 / rank of the first retrieved gold citation, 0.0 if none; ``None`` without gold."""
    g = _unique(gold)
    if not g:
        return None
    for rank, c in enumerate(retrieved, start=1):
        if citation_key(c) in g:
            return 1.0 / rank
    return 0.0


# ---------------------------------------------------------------- per question and overall

def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0-100); ``None`` for no values."""
    xs = sorted(v for v in values if v is not None and not math.isnan(v))
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def is_answerable(gold: Mapping[str, Any]) -> bool | None:
    """Gold ``answerable``; inferred from citations/must_contain; ``None`` = ungraded."""
    if "answerable" in gold and gold["answerable"] is not None:
        return bool(gold["answerable"])
    if "citations" not in gold and "must_contain" not in gold:
        return None
    return bool(gold.get("citations") or gold.get("must_contain"))


def score_question(gold: Mapping[str, Any], answer: Mapping[str, Any], cited_texts: Sequence[str]) -> dict[str, Any]:
    """All per-question metrics for one predicted ``answer`` (a result-line dict)."""
    gold_cits = gold.get("citations") or []
    cits = answer.get("citations") or []
    retrieved = answer.get("retrieved") or []
    refused = bool(answer.get("refused"))
    answerable = is_answerable(gold)
    facts_ok, missing = fact_match(answer.get("answer") or "", gold.get("must_contain") or [])
    recall = citation_recall(cits, gold_cits)
    case_ok, case_n = case_id_hits(cits, gold_cits)
    src_ok, src_n = source_hits(cits, gold_cits)
    g = None if refused else grounding(answer.get("answer") or "", cited_texts)
    if answerable is None:
        accurate = None
    elif answerable:
        accurate = facts_ok and (recall is None or recall >= ACCURACY_MIN_CITATION_RECALL) and not answer.get("error")
    else:
        accurate = refused
    return {
        "accurate": accurate,
        "fact_match": facts_ok,
        "facts_missing": missing,
        "citation_recall": recall,
        "citation_precision": citation_precision(cits, gold_cits),
        "case_id_correct": case_ok, "case_id_checked": case_n,
        "source_correct": src_ok, "source_checked": src_n,
        "duplicate_citations": duplicate_citations(cits),
        "unretrieved_citations": unretrieved_citations(cits, retrieved),
        "recall_at_5": recall_at_k(retrieved, gold_cits),
        "mrr": reciprocal_rank(retrieved, gold_cits),
        "retrieved_count": len(retrieved),
        "grounded": None if g is None else g.grounded,
        "claims": 0 if g is None else len(g.claims),
        "ungrounded_claims": [] if g is None else [c.text for c in g.ungrounded],
    }


METRIC_NAMES = (
    "accuracy", "fact_match", "citation_recall", "citation_precision", "case_id_accuracy",
    "source_accuracy", "recall_at_5", "mrr", "refusal_accuracy", "false_refusal_rate",
    "refusal_topic_match", "ungrounded_rate", "latency_p50_ms", "latency_p95_ms",
)


def _mean(xs: Iterable[float | bool | None]) -> float | None:
    vals = [float(x) for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def summarize(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Aggregate result rows (each with ``answerable``, ``refused``, ``metrics``, ``latency_ms``)."""
    ans = [r for r in rows if r.get("answerable") is True]
    una = [r for r in rows if r.get("answerable") is False]
    ok = [r for r in rows if not r.get("error")]
    answered = [r for r in ok if not r.get("refused")]

    def m(r: Mapping[str, Any], k: str) -> Any:
        return r["metrics"].get(k)

    def ratio(num: str, den: str) -> float | None:
        d = sum(m(r, den) for r in rows)
        return sum(m(r, num) for r in rows) / d if d else None

    lat = [float(r["latency_ms"]) for r in ok if r.get("latency_ms") is not None]
    return {
        "n": len(rows), "n_answerable": len(ans), "n_unanswerable": len(una),
        "n_ungraded": len(rows) - len(ans) - len(una),
        "errors": len(rows) - len(ok),
        "accuracy": _mean(m(r, "accurate") for r in ans + una),
        "fact_match": _mean(m(r, "fact_match") for r in ans),
        "citation_recall": _mean(m(r, "citation_recall") for r in ans),
        "citation_precision": _mean(m(r, "citation_precision") for r in ans),
        "case_id_accuracy": ratio("case_id_correct", "case_id_checked"),
        "source_accuracy": ratio("source_correct", "source_checked"),
        "duplicate_citations": sum(m(r, "duplicate_citations") for r in rows),
        "unretrieved_citations": sum(m(r, "unretrieved_citations") or 0 for r in rows),
        "recall_at_5": _mean(m(r, "recall_at_5") for r in ans),
        "mrr": _mean(m(r, "mrr") for r in ans),
        "retrieved_lt_10": sum(1 for r in ok if m(r, "retrieved_count") < 10),
        "refusal_accuracy": _mean(bool(r.get("refused")) for r in una),
        "false_refusal_rate": _mean(bool(r.get("refused")) for r in ans),
        "refusal_topic_match": _mean(bool(r.get("refused")) and m(r, "fact_match") for r in una),
        "refusals": sum(1 for r in ok if r.get("refused")),
        "ungrounded_rate": _mean(not m(r, "grounded") for r in answered),
        "claims_total": sum(m(r, "claims") for r in answered),
        "claims_ungrounded": sum(len(m(r, "ungrounded_claims")) for r in answered),
        "latency_p50_ms": percentile(lat, 50),
        "latency_p95_ms": percentile(lat, 95),
    }


def summarize_by_type(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """:func:`summarize` per question ``type`` (sorted by type name)."""
    types = sorted({str(r.get("type") or "general") for r in rows})
    return {t: summarize([r for r in rows if str(r.get("type") or "general") == t]) for t in types}
