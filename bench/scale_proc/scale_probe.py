"""One measurement of bench/scale.py in a fresh process, against whichever code tree is on PYTHONPATH.

    PYTHONPATH=<tree> python bench/scale_proc/scale_probe.py '<json spec>'

The driver starts this with ``cwd`` and ``PYTHONPATH`` set to the tree under test (the old design
materialised from git, or the working tree), so ``core``, ``ingest`` and ``assistant`` are that tree's.
This folder holds only this file and the hashing embedder, so nothing here shadows the tree's packages.
Uses only entry points both designs keep: ``ingest.pipeline.run``, ``SearchIndex``, ``Assistant``
and ``HybridRetriever``. Prints one JSON line of figures (last line of stdout).

Modes (``spec["mode"]``):
- ``build``: one ingest run per folder in ``spec["folders"]``, in order (a region loaded town by town);
- ``add``: one ingest run of ``spec["folder"]`` into the built store (adding one meeting);
- ``read``: open the store as the app does, then time lexical, dense, hybrid and filtered queries.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

from scale_hashing import HashingEmbedder


def _rss_now_mb() -> float:
    """Current resident set size (peak is getrusage's maxrss); Linux /proc."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settings(store: str, chroma_port: int | None = None) -> Any:
    from dataclasses import replace

    from core.config import Settings

    # env={}: the embedded Chroma in the store folder, whatever the caller's environment says,
    # unless the caller runs a Chroma server for this store (bench/scale_server.py).
    s = Settings.from_env(env={}, store_dir=Path(store))
    return replace(s, chroma_host="127.0.0.1", chroma_port=chroma_port) if chroma_port else s


def _summary(s: Any, seconds: float) -> dict[str, Any]:
    """A RunSummary's figures; a stage the tree's RunSummary does not time counts 0 (reported as such)."""
    stages = {k: getattr(s, f"seconds_{k}", 0.0) for k in ("parse", "embed", "write")}
    return {"s": seconds, **{f"{k}_s": v for k, v in stages.items()},
            "items_total": s.items_total, "items_written": s.items_written,
            "passages_embedded": s.passages_embedded, "failed": len(s.files_failed)}


def build(spec: dict[str, Any]) -> dict[str, Any]:
    from ingest.pipeline import run

    settings, emb = _settings(spec["store"]), HashingEmbedder()
    runs = []
    for folder in spec["folders"]:
        t = time.perf_counter()
        s = run([Path(folder)], settings, embedder=emb)
        runs.append(_summary(s, time.perf_counter() - t))
        print(f"  run {len(runs)}/{len(spec['folders'])}: {runs[-1]['s']:.1f} s, "
              f"{s.items_total} items", file=sys.stderr, flush=True)
    return {"runs": runs, "peak_mb": _peak_mb()}


def add(spec: dict[str, Any]) -> dict[str, Any]:
    from ingest.pipeline import run

    t = time.perf_counter()
    s = run([Path(spec["folder"])], _settings(spec["store"], spec.get("chroma_port")), embedder=HashingEmbedder())
    return {**_summary(s, time.perf_counter() - t), "peak_mb": _peak_mb()}


def _timed(fn: Any, queries: list[Any]) -> tuple[float, list[float], list[Any]]:
    """First call alone (it loads what the process has not touched yet), then the rest."""
    t = time.perf_counter()
    first = fn(queries[0])
    first_s = time.perf_counter() - t
    times, results = [], [first]
    for q in queries[1:]:
        t = time.perf_counter()
        results.append(fn(q))
        times.append(time.perf_counter() - t)
    return first_s, times, results


def _app(index: Any, settings: Any) -> tuple[Any, str]:
    """The retriever the app builds (with the app's query normaliser); the bare one if the app cannot start."""
    try:
        from assistant.service import Assistant

        return Assistant(index, settings).retriever, ""
    except Exception as e:  # noqa: BLE001 - report why, still measure the search
        from assistant.retriever import HybridRetriever

        return HybridRetriever(index), f"{type(e).__name__}: {e}"


def read(spec: dict[str, Any]) -> dict[str, Any]:
    from assistant.index import SearchIndex
    from assistant.types import Query

    out: dict[str, Any] = {"rss_start_mb": _rss_now_mb()}
    settings = _settings(spec["store"], spec.get("chroma_port"))
    t = time.perf_counter()
    index = SearchIndex(settings, HashingEmbedder())
    out["open_s"], out["rss_open_mb"] = time.perf_counter() - t, _rss_now_mb()
    t = time.perf_counter()
    retriever, out["app_error"] = _app(index, settings)
    out["app_s"], out["rss_app_mb"] = time.perf_counter() - t, _rss_now_mb()
    plain = [Query(text=q["text"]) for q in spec["queries"]]
    filt = [Query(text=q["text"], bodies=[q["body"]], date_from=q["from"], date_to=q["to"])
            for q in spec["queries"]]
    kinds = {
        "lexical": (lambda q: retriever.lexical(q, None), plain),
        "dense": (lambda q: retriever.dense(q, None), plain),
        "hybrid": (lambda q: retriever.retrieve(q).hits, plain),
        "filtered": (lambda q: retriever.retrieve(q).hits, filt),
    }
    for name, (fn, qs) in kinds.items():
        before = _rss_now_mb()
        first, times, results = _timed(fn, qs)
        out[name] = {"first_ms": first * 1000, "times_ms": [x * 1000 for x in times],
                     "mean_results": sum(len(r) for r in results) / len(results),
                     "rss_added_mb": _rss_now_mb() - before}
    out["peak_mb"] = _peak_mb()
    return out


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    logging.disable(logging.INFO)  # bm25s logs every index build at DEBUG through its own handler
    spec = json.loads(sys.argv[1])
    import core

    t = time.perf_counter()
    result = {"build": build, "add": add, "read": read}[spec["mode"]](spec)
    result.update(wall_s=time.perf_counter() - t, tree=str(Path(core.__file__).resolve().parents[1]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
