"""The SQLite lexical index scores exactly as a fresh bm25s index over the live rows, incrementally."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

import bm25s
import numpy as np
import pytest

from core import lexical
from core.lexical import LexicalIndex

WORDS = [f"sana{i}" for i in range(60)] + ["kunta", "päätös", "hyväksyä", "ja"]


def _corpus(rng: random.Random, n: int, start: int = 0, item_from: int = 0) -> list[tuple[int, int, list[str]]]:
    """Rows of Zipf-ish tokens; every 15th row is empty; items of 1–4 rows."""
    out, item = [], item_from
    weights = [1 / (i + 1) for i in range(len(WORDS))]
    for r in range(start, start + n):
        if rng.random() < 0.4:
            item += 1
        toks = [] if r % 15 == 7 else rng.choices(WORDS, weights, k=rng.randint(1, 40))
        out.append((r, item, toks))
    return out


def _open() -> tuple[sqlite3.Connection, LexicalIndex]:
    conn = sqlite3.connect(":memory:")
    LexicalIndex.create_schema(conn)
    LexicalIndex.create_schema(conn)  # idempotent
    return conn, LexicalIndex(conn)


def _reference(live: list[tuple[int, int, list[str]]]) -> tuple[bm25s.BM25, list[int]]:
    bm = bm25s.BM25()
    bm.index([toks or ["_"] for _, _, toks in live], show_progress=False)
    return bm, [r for r, _, _ in live]


def _queries(rng: random.Random) -> list[list[str]]:
    qs = [["kunta"], ["ja", "ja", "sana3"], ["tuntematon"], ["sana1", "tuntematon", "sana1", "sana59"]]
    return qs + [rng.sample(WORDS, rng.randint(1, 8)) for _ in range(12)]


def _assert_parity(idx: LexicalIndex, live: list[tuple[int, int, list[str]]], rng: random.Random) -> None:
    bm, rows = _reference(live)
    assert idx.n_rows == len(live)
    for q in _queries(rng):
        known = [t for t in q if t in bm.vocab_dict]
        want = bm.get_scores(known) if known else np.zeros(len(rows), dtype=np.float32)
        got = idx.scores_for(q, rows)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=0)
        assert np.array_equal(got, want), "bit-identical float32 expected"
        order = sorted((i for i in range(len(rows)) if want[i] > 0), key=lambda i: (-want[i], rows[i]))
        assert idx.top(q, 10) == [(rows[i], float(want[i])) for i in order[:10]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scores_equal_bm25s_on_random_corpora(seed: int) -> None:
    rng = random.Random(seed)
    _, idx = _open()
    live = _corpus(rng, 300)
    idx.add(live[:100])
    idx.add(live[100:])  # two batches: two segments per term
    _assert_parity(idx, live, rng)


def test_empty_and_unknown_queries_give_nothing() -> None:
    _, idx = _open()
    idx.add(_corpus(random.Random(5), 20))
    assert idx.top([], 5) == []
    assert idx.top(["tuntematon"], 5) == []
    assert idx.top(["kunta"], 0) == []


def test_add_remove_add_and_compaction_match_a_fresh_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "FANOUT", 3)  # merges happen within a small test
    rng = random.Random(11)
    _, idx = _open()
    live: dict[int, tuple[int, int, list[str]]] = {}
    next_row, next_item = 0, 0
    for step in range(14):
        batch = _corpus(rng, rng.randint(1, 30), next_row, next_item)
        next_row, next_item = next_row + len(batch), batch[-1][1] + 1
        idx.add(batch)
        live.update((r[0], r) for r in batch)
        gone = rng.sample(sorted(live), k=min(len(live), rng.randint(1, 12)))
        idx.remove(gone + [10**6])  # an unknown row is ignored
        for r in gone:
            del live[r]
        if step % 5 == 4:
            _assert_parity(idx, sorted(live.values()), rng)
    _assert_parity(idx, sorted(live.values()), rng)
    with pytest.raises(ValueError):  # a removed row still in postings is never indexed again
        idx.add([(gone[0], 0, ["kunta"])])
    idx.maybe_compact()
    idx.compact()
    assert idx.conn.execute("SELECT count(*) FROM lex_deleted").fetchone()[0] == 0
    assert idx.conn.execute("SELECT count(*) FROM lex_postings GROUP BY term_id HAVING count(*) > 1").fetchall() == []
    _assert_parity(idx, sorted(live.values()), rng)
    with pytest.raises(sqlite3.IntegrityError):  # a live row twice
        idx.add([(next(iter(live)), 0, ["kunta"])])


def test_allowed_rows_limit_the_result() -> None:
    rng = random.Random(7)
    _, idx = _open()
    live = _corpus(rng, 200)
    idx.add(live)
    bm, rows = _reference(live)
    allowed = np.array([r for r, _, _ in live if r % 3 == 0] + [-5, 10**7])
    want = bm.get_scores(["kunta", "sana2"])
    got = idx.top(["kunta", "sana2"], 500, allowed)
    assert got == sorted(((r, float(want[r])) for r in range(len(rows)) if r % 3 == 0 and want[r] > 0),
                         key=lambda x: (-x[1], x[0]))
    assert idx.top(["kunta"], 5, np.array([], dtype=np.int64)) == []


def test_item_statistics_follow_adds_and_removes() -> None:
    rng = random.Random(3)
    _, idx = _open()
    live = _corpus(rng, 250)
    idx.add(live[:120])
    idx.add(live[120:])
    removed = {r for r, _, _ in live if r % 4 == 1}
    idx.remove(removed)
    live = [x for x in live if x[0] not in removed]
    per_item: dict[int, set[str]] = {}
    for _, item, toks in live:
        per_item.setdefault(item, set()).update(toks)
    item_df = Counter(t for toks in per_item.values() for t in toks)
    assert idx.n_items == len(per_item)
    for t in [*WORDS, "_", "tuntematon"]:
        assert idx.item_doc_freq(t) == item_df.get(t, 0), t
    for item, toks in per_item.items():
        assert idx.item_terms(item) == toks
    n = len(per_item)
    assert idx.generic_terms(0.3, 10) == frozenset(t for t, c in item_df.items() if c / n >= 0.3)
    assert idx.generic_terms(0.3, n + 1) == frozenset()
    assert set(idx.terms()) == set().union(*per_item.values())
    df = Counter(t for _, _, toks in live for t in set(toks))
    assert idx.doc_freq("kunta") == df["kunta"]
    assert idx.idf("kunta") == pytest.approx(float(np.log((len(live) + 1) / (df["kunta"] + 0.5))))
    assert idx.idf("_") == pytest.approx(float(np.log((len(live) + 1) / 0.5)))
    assert idx.avgdl == pytest.approx(np.mean([len(t) or 1 for _, _, t in live]))


def test_a_rolled_back_add_leaves_the_previous_state(tmp_path) -> None:
    path = tmp_path / "store.sqlite"
    conn = sqlite3.connect(path)
    LexicalIndex.create_schema(conn)
    idx = LexicalIndex(conn)
    rng = random.Random(9)
    first = _corpus(rng, 50)
    idx.add(first)
    conn.commit()
    before = idx.top(["kunta", "sana4"], 20)
    idx.add(_corpus(rng, 40, 50, 1000))
    idx.remove([1, 2, 3])
    assert idx.n_rows == 87
    conn.rollback()  # the crash between add and commit
    assert idx.n_rows == 50 and idx.top(["kunta", "sana4"], 20) == before
    other = sqlite3.connect(path)  # another process sees the committed state only
    assert LexicalIndex(other).top(["kunta", "sana4"], 20) == before
    _assert_parity(LexicalIndex(other), first, rng)


def test_maybe_compact_purges_tombstones_once_they_are_a_large_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "COMPACT_MIN", 1)
    rng = random.Random(21)
    _, idx = _open()
    monkeypatch.setattr(lexical, "COMPACT_SHARE", 0.1)
    live = _corpus(rng, 120)
    idx.add(live)
    idx.remove([0, 1])
    assert not idx.maybe_compact()  # 2 of 120: not worth a rewrite
    idx.remove(range(2, 30))
    assert idx.maybe_compact()
    assert idx.conn.execute("SELECT count(*) FROM lex_deleted").fetchone()[0] == 0
    _assert_parity(idx, live[30:], rng)
    more = _corpus(rng, 5, 500, 500)
    idx.add(more)
    _assert_parity(idx, [*live[30:], *more], rng)


def test_a_killed_writer_leaves_the_committed_state(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "store.sqlite"
    conn = sqlite3.connect(path)
    LexicalIndex.create_schema(conn)
    rng = random.Random(4)
    first = _corpus(rng, 60)
    LexicalIndex(conn).add(first)
    conn.commit()
    conn.close()
    script = (
        "import os, sqlite3, sys\n"
        "from core.lexical import LexicalIndex\n"
        f"conn = sqlite3.connect({str(path)!r})\n"
        "LexicalIndex(conn).add([(1000 + i, 900, ['kunta', 'uusi']) for i in range(50)])\n"
        "LexicalIndex(conn).remove(range(10))\n"
        "os._exit(9)  # killed before commit\n"
    )
    from pathlib import Path

    done = subprocess.run([sys.executable, "-c", script], cwd=Path(lexical.__file__).parents[1])
    assert done.returncode == 9
    idx = LexicalIndex(sqlite3.connect(path))
    assert idx.doc_freq("uusi") == 0 and idx.n_rows == 60
    _assert_parity(idx, first, rng)
