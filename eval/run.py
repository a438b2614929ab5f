"""Run a gold question set against the assistant and score every answer.

The runner is the only impure part of ``eval``: it loads gold files, indexes the
corpus (incrementally), asks the questions in conversation order, times them and
hands plain dicts and strings to :mod:`eval.metrics`.

Example::

    from eval.run import load_questions, evaluate
    rows, report = evaluate(load_questions([Path("eval/demo-gold.jsonl")]), assistant)
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from core.config import PROJECT_ROOT, Settings
from core.items import AgendaItem, fi_date
from eval import metrics
from eval.groups import split_names

logger = logging.getLogger(__name__)

EVAL_DIR = PROJECT_ROOT / "var" / "eval"
DEFAULT_OUT = EVAL_DIR / "results.jsonl"
DEFAULT_REPORT = EVAL_DIR / "report.json"
DEMO_QUESTIONS = PROJECT_ROOT / "eval" / "demo-gold.jsonl"
DEMO_STORE = EVAL_DIR / "demo-store"


class GoldError(ValueError):
    """A question file is malformed; the message names the file and line."""


def load_questions(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Read gold JSONL files (blank lines and ``#`` lines skipped) in order.

    Rows without ``id`` get ``<file stem>:<line>``; ``_file``/``_line``, ``_split``
    (see :func:`eval.groups.split_names`) and ``_unseen`` (see :func:`unseen_files`) are added.

    Raises:
        GoldError: unreadable JSON, no ``question``, a duplicate id, a bad ``as_of``
            or a ``follow_up_of`` naming no question of the set.
    """
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    splits = split_names(paths)
    listed = {d: unseen_files(d) for d in {Path(p).parent for p in paths}}
    unseen = {str(p) for p in paths if Path(p).name in listed[Path(p).parent]}
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except OSError as e:
            raise GoldError(f"{path}: kysymystiedostoa ei voi lukea ({e.strerror})") from e
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldError(f"{where}: virheellinen JSON ({e.msg})") from e
            if not isinstance(row, dict) or not str(row.get("question") or "").strip():
                raise GoldError(f"{where}: rivillä ei ole kysymystä (question)")
            qid = str(row.get("id") or f"{Path(path).stem}:{n}")
            if qid in seen:
                raise GoldError(f"{where}: tunniste {qid!r} on jo rivillä {seen[qid]}")
            if row.get("as_of"):
                try:
                    date.fromisoformat(str(row["as_of"]))
                except ValueError as e:
                    raise GoldError(f"{where}: as_of {row['as_of']!r} ei ole päivämäärä VVVV-KK-PP") from e
            seen[qid] = where
            out.append({**row, "id": qid, "_file": str(path), "_line": n, "_split": splits[str(path)],
                        "_unseen": str(path) in unseen})
    for row in out:
        parent = row.get("follow_up_of")
        if parent is not None and str(parent) not in seen:
            raise GoldError(f"{row['_file']}:{row['_line']}: follow_up_of {parent!r} ei ole kysymysjoukossa")
    return out


def order_questions(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """File order, except each follow-up comes right after its parent (and the parent's
    earlier follow-ups). A cycle of follow-ups raises :class:`GoldError`."""
    by_id = {str(q["id"]): dict(q) for q in questions}
    children: dict[str, list[str]] = {}
    roots = []
    for q in questions:
        parent = q.get("follow_up_of")
        if parent is None:
            roots.append(str(q["id"]))
        else:
            children.setdefault(str(parent), []).append(str(q["id"]))
    out: list[dict[str, Any]] = []

    def visit(qid: str) -> None:
        out.append(by_id[qid])
        for c in children.get(qid, []):
            visit(c)

    for r in roots:
        visit(r)
    if len(out) != len(by_id):
        stuck = sorted(set(by_id) - {str(q["id"]) for q in out})
        raise GoldError(f"follow_up_of muodostaa silmukan: {', '.join(stuck)}")
    return out


def store_for_corpus(corpus: Path) -> Path:
    """``var/eval/<dir name>-<8 hex of the absolute path>``: one store per corpus folder."""
    absolute = Path(corpus).resolve()
    digest = hashlib.sha256(str(absolute).encode("utf-8")).hexdigest()[:8]
    return EVAL_DIR / f"{absolute.name or 'corpus'}-{digest}"


def index_corpus(corpus: Path, settings: Settings, *, embedder: Any = None, show_progress: bool = False) -> Any:
    """Bring ``settings.store_dir`` up to date with ``corpus`` (incremental, prunes removed files).

    Returns the ingest ``RunSummary``; ``summary.wrote`` is False when nothing changed.
    """
    from ingest.pipeline import run

    return run([Path(corpus)], settings, embedder=embedder, prune=True, show_progress=show_progress)


def item_source_text(item: AgendaItem | Mapping[str, Any] | None) -> str:
    """Every field of a stored item that an answer may quote, as one string."""
    if item is None:
        return ""
    if isinstance(item, Mapping):
        item = AgendaItem.from_dict(dict(item))
    parts = [item.body, item.date, fi_date(item.date), f"§ {item.section}", item.title,
             " ".join(item.case_ids), item.meeting_number or "", item.body_text, item.proposal,
             item.decision, item.votes, item.text, *item.notes, *item.attachments, *item.attendees]
    for h in item.history:
        parts += [h.label(), h.date, h.proposal, h.decision]
    return "\n".join(p for p in parts if p)


def citation_source_text(c: Mapping[str, Any]) -> str:
    """The fields a citation itself carries (used when the item cannot be fetched)."""
    return "\n".join(str(x) for x in (c.get("body"), c.get("date"), fi_date(str(c.get("date") or "")),
                                      f"§ {c.get('section')}", c.get("case_id") or "", c.get("title") or ""))


def _new_conversation() -> Any:
    from assistant.service import Conversation

    return Conversation()


def _as_json(c: Any) -> dict[str, Any]:
    return dict(c) if isinstance(c, Mapping) else c.to_json()


def _cited_texts(assistant: Any, citations: Sequence[Any]) -> list[str]:
    get_item = getattr(assistant, "get_item", None)
    texts = []
    for c in citations:
        item = None
        item_id = c.get("item_id") if isinstance(c, Mapping) else getattr(c, "item_id", None)
        if get_item is not None and item_id:
            try:
                item = get_item(item_id)
            except Exception:  # noqa: BLE001 - a missing item only weakens grounding
                logger.warning("get_item(%s) failed", item_id, exc_info=True)
        texts.append(item_source_text(item) + "\n" + citation_source_text(_as_json(c)))
    return texts


def ask_all(questions: Sequence[Mapping[str, Any]], assistant: Any, *, as_of: date | None = None,
            new_conversation: Callable[[], Any] | None = None,
            clock: Callable[[], float] = time.perf_counter,
            on_result: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Ask every question (reordered by :func:`order_questions`) and score it.

    A follow-up reuses its parent's conversation object; ``today`` is the question's
    ``as_of``, else its parent's, else ``as_of``. An exception from the assistant is
    recorded in the row's ``error`` and scored as a wrong answer.

    Returns:
        Result rows in asking order (the ``--out`` line format plus ``type``, ``tags``,
        ``split``, ``answerable``, ``as_of``, ``metrics``).
    """
    new_conversation = new_conversation or _new_conversation
    conversations: dict[str, Any] = {}
    todays: dict[str, date | None] = {}
    rows = []
    for q in order_questions(questions):
        qid, parent = str(q["id"]), q.get("follow_up_of")
        conv = conversations[str(parent)] if parent is not None else new_conversation()
        conversations[qid] = conv
        today = date.fromisoformat(str(q["as_of"])) if q.get("as_of") else (
            todays.get(str(parent)) if parent is not None else None) or as_of
        todays[qid] = today
        row: dict[str, Any] = {
            "id": qid, "type": q.get("type") or "general", "answerable": metrics.is_answerable(q),
            "tags": [str(t) for t in q.get("tags") or ()], "split": q.get("_split"),
            "unseen": bool(q.get("_unseen")),
            "question": q["question"], "follow_up_of": parent,
            "as_of": today.isoformat() if today else None,
            "answer": "", "refused": False, "citations": [], "retrieved": [],
        }
        cited: list[str] = []
        t0 = clock()
        try:
            ans = assistant.ask(q["question"], conv, today=today)
            row["latency_ms"] = round((clock() - t0) * 1000.0, 1)
            row.update(answer=ans.text, refused=bool(ans.refused),
                       citations=[_as_json(c) for c in ans.citations],
                       retrieved=[_as_json(c) for c in ans.retrieved],
                       via_llm=bool(getattr(ans, "via_llm", False)))
            if getattr(ans, "notice", ""):
                row["notice"] = ans.notice
            cited = _cited_texts(assistant, ans.citations)
        except Exception as e:  # noqa: BLE001 - one failing question must not stop the run
            row["latency_ms"] = round((clock() - t0) * 1000.0, 1)
            row["error"] = f"{type(e).__name__}: {e}"
            logger.error("question %s failed: %s", qid, row["error"], exc_info=logger.isEnabledFor(logging.DEBUG))
        row["metrics"] = metrics.score_question(q, row, cited)
        rows.append(row)
        if on_result:
            on_result(row)
    return rows


def evaluate(questions: Sequence[Mapping[str, Any]], assistant: Any, *, as_of: date | None = None,
             new_conversation: Callable[[], Any] | None = None, meta: Mapping[str, Any] | None = None,
             on_result: Callable[[dict[str, Any]], None] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ask and score ``questions``; return (result rows, report dict)."""
    from eval.report import build_report

    rows = ask_all(questions, assistant, as_of=as_of, new_conversation=new_conversation, on_result=on_result)
    return rows, build_report(rows, meta or {})


#: Beside the question files: which of them are never tuned on (``{"unseen": ["lapua-test.jsonl", …]}``).
SPLITS_FILE = "splits.json"


def unseen_files(directory: Path) -> frozenset[str]:
    """Names of the question files in ``directory`` that are for reporting only. Their wrong answers are
    counted in the printed report, not listed: a list of failing test questions invites tuning on them."""
    f = Path(directory) / SPLITS_FILE
    if not f.is_file():
        return frozenset()
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise GoldError(f"{f}: osajoukkojen kuvausta ei voi lukea ({e})") from e
    names = data.get("unseen") if isinstance(data, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise GoldError(f"{f}: 'unseen' pitää olla lista tiedostonimiä")
    return frozenset(names)


def question_files_in(directory: Path) -> list[Path]:
    """The ``*.jsonl`` question files of a split folder, sorted by name (``--split-dir``).

    Raises:
        GoldError: the folder is missing or holds no ``.jsonl`` file.
    """
    d = Path(directory)
    files = sorted(d.glob("*.jsonl")) if d.is_dir() else []
    if not files:
        raise GoldError(f"{d}: kansiossa ei ole kysymystiedostoja (*.jsonl)")
    return files
