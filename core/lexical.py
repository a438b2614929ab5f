"""The lexical (BM25) index of the store, kept in SQLite tables ``lex_*`` and updated incrementally.

Scores are those of bm25s 0.3.16 ``BM25()`` built on the live rows (method "lucene", k1=1.5, b=0.75,
float32; see ``core.lexical_segments``): N, df and the mean row length are kept up to date on every
add and remove, and term scores are computed at query time from (tf, dl), so adding a meeting never
touches the postings of other rows. An empty token list is indexed as ``["_"]`` (dl 1), as bm25s was fed.

Tables (all owned here)::

    lex_meta(key, value)                      n_rows, total_dl, n_items, n_deleted
    lex_terms(term_id PK, term UNIQUE, df, item_df)
    lex_postings(seg PK, term_id, level, n, rows BLOB, tfdl BLOB)   one segment of one term
    lex_docs(row PK, item_no, dl, n_terms, terms BLOB)               a live row's term ids + tfs
    lex_deleted(row PK)                                              tombstones still in postings

``add`` appends one segment per term of the batch; a term's segments of one tier are merged when
``FANOUT`` of them exist (size-tiered, so a merge costs what was added since, not the store), dropping
tombstoned rows on the way. ``remove`` updates every statistic at once and leaves a tombstone; the
query drops tombstoned rows from its candidates. ``maybe_compact`` rewrites the postings when
tombstones exceed ``COMPACT_SHARE`` of the rows; ``compact`` always does, and recounts every statistic.

Transactions: no method commits or begins one. A writer calls ``add``/``remove``/``maybe_compact``
and then ``conn.commit()`` (or ``rollback()``: nothing is cached in the object, so a rolled-back
change leaves no trace). A reader should run one ``top`` inside one read transaction to see one
snapshot. Nothing proportional to the store is kept between calls; a query reads the lex_terms rows
of its tokens, the segments of those terms, and its candidates' tombstones, and holds a float32
score array of (largest row + 1) while it runs. Rows are the store's ``passages.row`` numbers and are
never reused while a tombstone of them exists (``add`` refuses them).

Costs (``bench/lexical.py``): adding a meeting is O(its rows × their distinct terms); a query is
O(postings of its terms); ``maybe_compact``/``compact`` are O(store) and run rarely (see above).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from core import lexical_segments as seg
from core.lexical_repair import recount

#: The token an empty row is indexed with (the tokenizer never yields "_").
EMPTY = "_"
#: Segments of one tier merged at a time, and the size of a tier-0 segment.
FANOUT = 8
TIER_BASE = 64
#: ``maybe_compact`` rewrites the postings when tombstones exceed this share of rows (and COMPACT_MIN).
COMPACT_SHARE = 0.1
COMPACT_MIN = 1000
_CHUNK = 500  # host parameters per IN (...) list

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS lex_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lex_terms(term_id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE,"
    " df INTEGER NOT NULL DEFAULT 0, item_df INTEGER NOT NULL DEFAULT 0)",
    # A rowid table, not WITHOUT ROWID: SQLite advises against WITHOUT ROWID for rows with large blobs.
    "CREATE TABLE IF NOT EXISTS lex_postings(seg INTEGER PRIMARY KEY, term_id INTEGER NOT NULL,"
    " level INTEGER NOT NULL, n INTEGER NOT NULL, rows BLOB NOT NULL, tfdl BLOB NOT NULL)",
    # (term_id, level) covers the tier check of every add: no table page is read for it.
    "CREATE INDEX IF NOT EXISTS lex_postings_tier ON lex_postings(term_id, level)",
    "CREATE TABLE IF NOT EXISTS lex_docs(row INTEGER PRIMARY KEY, item_no INTEGER NOT NULL,"
    " dl INTEGER NOT NULL, n_terms INTEGER NOT NULL, terms BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS lex_docs_item ON lex_docs(item_no)",
    "CREATE TABLE IF NOT EXISTS lex_deleted(row INTEGER PRIMARY KEY)",
)
_STATS = ("n_rows", "total_dl", "n_items", "n_deleted")


def _chunks(seq: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class LexicalIndex:
    """BM25 over passage rows, stored in ``conn`` (tables ``lex_*``); see the module docstring."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @staticmethod
    def create_schema(conn: sqlite3.Connection) -> None:
        """Create the ``lex_*`` tables if missing (idempotent; does not commit)."""
        for stmt in _SCHEMA:
            conn.execute(stmt)
        conn.executemany("INSERT OR IGNORE INTO lex_meta(key, value) VALUES (?, 0)", [(k,) for k in _STATS])

    # --- statistics

    def _stats(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT key, value FROM lex_meta").fetchall())

    def _bump(self, **delta: int) -> None:
        self.conn.executemany("UPDATE lex_meta SET value = value + ? WHERE key = ?",
                              [(v, k) for k, v in delta.items() if v])

    @property
    def n_rows(self) -> int:
        return self._stats()["n_rows"]

    @property
    def n_items(self) -> int:
        return self._stats()["n_items"]

    @property
    def avgdl(self) -> float:
        s = self._stats()
        return s["total_dl"] / s["n_rows"] if s["n_rows"] else 0.0

    def doc_freq(self, term: str) -> int:
        """Live rows containing ``term`` (the BM25 df; the placeholder of empty rows counts)."""
        r = self.conn.execute("SELECT df FROM lex_terms WHERE term = ?", (term,)).fetchone()
        return r[0] if r else 0

    def item_doc_freq(self, term: str) -> int:
        """Live items with ``term`` in any of their rows."""
        r = self.conn.execute("SELECT item_df FROM lex_terms WHERE term = ?", (term,)).fetchone()
        return r[0] if r else 0

    def idf(self, term: str) -> float:
        """``ln((n + 1) / (df + 0.5))`` over rows, as ``SearchIndex.idf`` (empty rows hold no tokens)."""
        n = max(1, self.n_rows)
        df = 0 if term == EMPTY else self.doc_freq(term)
        return float(np.log((n + 1) / (df + 0.5)))

    def generic_terms(self, share: float, min_items: int) -> frozenset[str]:
        """Terms in at least ``share`` of the live items; none when there are fewer than ``min_items``."""
        n = self.n_items
        if n < min_items or n == 0:
            return frozenset()
        floor = max(1, math.floor(share * n) - 1)  # SQL narrows; the exact test is Python's, as before
        got = self.conn.execute("SELECT term, item_df FROM lex_terms WHERE item_df >= ?", (floor,))
        return frozenset(t for t, c in got if c / n >= share)

    def terms(self) -> list[str]:
        """The vocabulary: every token of a live row (not the empty-row placeholder)."""
        return [t for (t,) in self.conn.execute("SELECT term FROM lex_terms WHERE df > 0 AND term != ?", (EMPTY,))]

    def item_terms(self, item_no: int) -> set[str]:
        """Every token of the live rows of item ``item_no``."""
        ids: set[int] = set()
        for n_terms, blob in self.conn.execute("SELECT n_terms, terms FROM lex_docs WHERE item_no = ?", (item_no,)):
            ids.update(seg.decode_doc(blob, n_terms)[0].tolist())
        out: set[str] = set()
        for part in _chunks(sorted(ids)):
            out.update(t for (t,) in self.conn.execute(
                f"SELECT term FROM lex_terms WHERE term_id IN ({_marks(len(part))})", part))
        out.discard(EMPTY)
        return out

    # --- writing

    def term_ids(self, terms: Iterable[str]) -> dict[str, int]:
        """Ids of ``terms``, registering the new ones (used by ``add`` and by bulk loaders)."""
        want = sorted(set(terms))
        ids: dict[str, int] = {}
        for part in _chunks(want):
            ids.update(self.conn.execute(
                f"SELECT term, term_id FROM lex_terms WHERE term IN ({_marks(len(part))})", part).fetchall())
        new = [t for t in want if t not in ids]
        if new:
            self.conn.executemany("INSERT INTO lex_terms(term) VALUES (?)", [(t,) for t in new])
            for part in _chunks(new):
                ids.update(self.conn.execute(
                    f"SELECT term, term_id FROM lex_terms WHERE term IN ({_marks(len(part))})", part).fetchall())
        return ids

    def add(self, rows: Iterable[tuple[int, int, list[str]]]) -> None:
        """Index new passages ``(row, item_no, tokens)``; a row already indexed or removed raises."""
        batch = [(r, i, list(toks) or [EMPTY]) for r, i, toks in rows]
        if not batch:
            return
        ids = self.term_ids(t for _, _, toks in batch for t in toks)
        p_row, p_term, p_tf = [], [], []
        for k, (_, _, toks) in enumerate(batch):
            counts = Counter(toks)
            p_row.extend([k] * len(counts))
            p_term.extend(ids[t] for t in counts)
            p_tf.extend(counts.values())
        self.add_arrays(np.array([r for r, _, _ in batch], dtype=np.int64),
                        np.array([i for _, i, _ in batch], dtype=np.int64),
                        np.array([len(toks) for _, _, toks in batch], dtype=np.int64),
                        np.array(p_row, dtype=np.int64), np.array(p_term, dtype=np.int64),
                        np.array(p_tf, dtype=np.int64), empty_id=ids.get(EMPTY))

    def add_arrays(self, rows: np.ndarray, items: np.ndarray, dls: np.ndarray, p_row: np.ndarray,
                   p_term: np.ndarray, p_tf: np.ndarray, *, empty_id: int | None = None) -> None:
        """``add`` on arrays: row k is ``rows[k]`` of item ``items[k]`` with ``dls[k]`` tokens, and
        ``(p_row, p_term, p_tf)`` are its distinct (row index k, term id from ``term_ids``, tf) pairs."""
        st = self._stats()
        if st["n_deleted"] and (reused := self._tombstoned(rows.tolist())):
            raise ValueError(f"rows {sorted(reused)[:5]} were removed; a row number is never reused")
        order = np.lexsort((p_term, p_row))
        p_row, p_term, p_tf = p_row[order], p_term[order], p_tf[order]
        bounds = np.searchsorted(p_row, np.arange(len(rows) + 1))
        new_items, item_df = self._new_item_terms(items, p_row, p_term, empty_id)
        self.conn.executemany(
            "INSERT INTO lex_docs(row, item_no, dl, n_terms, terms) VALUES (?, ?, ?, ?, ?)",
            ((int(rows[k]), int(items[k]), int(dls[k]), int(bounds[k + 1] - bounds[k]),
              seg.encode_doc(p_term[bounds[k]:bounds[k + 1]], p_tf[bounds[k]:bounds[k + 1]]))
             for k in range(len(rows))))
        terms, df = np.unique(p_term, return_counts=True)
        idf_add = dict(zip(*np.unique(item_df, return_counts=True), strict=True)) if len(item_df) else {}
        self.conn.executemany("UPDATE lex_terms SET df = df + ?, item_df = item_df + ? WHERE term_id = ?",
                              ((int(d), int(idf_add.get(t, 0)), int(t)) for t, d in zip(terms, df, strict=True)))
        self._bump(n_rows=len(rows), total_dl=int(dls.sum()), n_items=new_items)
        self._append_segments(rows[p_row], p_term, p_tf, dls[p_row])

    def _item_pairs(self, items: Sequence[int], skip_rows: set[int] | None = None) -> np.ndarray:
        """Keys ``item_no << 32 | term_id`` of the live rows of ``items`` (minus ``skip_rows``)."""
        keys = []
        for part in _chunks(list(items)):
            q = f"SELECT row, item_no, n_terms, terms FROM lex_docs WHERE item_no IN ({_marks(len(part))})"
            for row, item, n_terms, blob in self.conn.execute(q, part):
                if skip_rows is None or row not in skip_rows:
                    keys.append((item << 32) | seg.decode_doc(blob, n_terms)[0].astype(np.int64))
        return np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)

    def _new_item_terms(self, items: np.ndarray, p_row: np.ndarray, p_term: np.ndarray,
                        empty_id: int | None) -> tuple[int, np.ndarray]:
        """Before the batch is stored: how many of its items are new, and the term ids of its
        (item, term) pairs that no stored row of the item has."""
        keys = np.unique((items[p_row] << 32) | p_term)
        if empty_id is not None:
            keys = keys[(keys & 0xFFFFFFFF) != empty_id]
        batch_items = np.unique(items).tolist()
        old = self._item_pairs(batch_items)
        if len(old):
            keys = keys[~np.isin(keys, old, assume_unique=True)]
        return len(batch_items) - len(np.unique(old >> 32)), keys & 0xFFFFFFFF

    def _append_segments(self, rows: np.ndarray, terms: np.ndarray, tfs: np.ndarray, dls: np.ndarray) -> None:
        order = np.lexsort((rows, terms))
        rows, terms, tfs, dls = rows[order], terms[order], tfs[order], dls[order]
        cut = np.flatnonzero(np.diff(terms)) + 1
        starts, ends = np.r_[0, cut], np.r_[cut, len(terms)]
        self.conn.executemany(
            "INSERT INTO lex_postings(term_id, level, n, rows, tfdl) VALUES (?, ?, ?, ?, ?)",
            ((int(terms[a]), seg.size_level(int(b - a), FANOUT, TIER_BASE), int(b - a),
              *seg.encode(rows[a:b], tfs[a:b], dls[a:b])) for a, b in zip(starts, ends, strict=True)))
        for t in terms[starts].tolist():
            self._merge_tiers(t)

    def _merge_tiers(self, term_id: int) -> None:
        """Merge ``FANOUT`` segments of one tier into one of the next, as long as a tier is full."""
        while True:
            levels = Counter(lv for (lv,) in self.conn.execute(
                "SELECT level FROM lex_postings WHERE term_id = ?", (term_id,)))
            full = [lv for lv, c in levels.items() if c >= FANOUT]
            if not full:
                return
            lv = min(full)
            got = self.conn.execute("SELECT seg, rows, tfdl FROM lex_postings WHERE term_id = ? AND level = ?",
                                    (term_id, lv)).fetchall()
            parts = [seg.decode(r, t) for _, r, t in got]
            lo, hi = min(int(p[0][0]) for p in parts), max(int(p[0][-1]) for p in parts)
            dead = np.array([r for (r,) in self.conn.execute(
                "SELECT row FROM lex_deleted WHERE row BETWEEN ? AND ?", (lo, hi))], dtype=np.int64)
            self._replace(term_id, [s for s, _, _ in got], seg.merged(parts, dead), lv + 1)

    def _replace(self, term_id: int, old: list[int], posting: tuple, min_level: int = 0) -> None:
        for part in _chunks(old):
            self.conn.execute(f"DELETE FROM lex_postings WHERE seg IN ({_marks(len(part))})", part)
        rows, tf, dl = posting
        if len(rows):
            level = max(min_level, seg.size_level(len(rows), FANOUT, TIER_BASE))
            self.conn.execute("INSERT INTO lex_postings(term_id, level, n, rows, tfdl) VALUES (?, ?, ?, ?, ?)",
                              (term_id, level, len(rows), *seg.encode(rows, tf, dl)))

    def remove(self, rows: Iterable[int]) -> None:
        """Drop passages: statistics change now, postings keep a tombstone. Unknown rows are ignored."""
        found = []
        for part in _chunks(sorted(set(int(r) for r in rows))):
            found += self.conn.execute(
                f"SELECT row, item_no, dl, n_terms, terms FROM lex_docs WHERE row IN ({_marks(len(part))})",
                part).fetchall()
        if not found:
            return
        gone = {r for r, *_ in found}
        items = sorted({i for _, i, *_ in found})
        before = self._item_pairs(items)
        after = self._item_pairs(items, gone)
        empty = self.conn.execute("SELECT term_id FROM lex_terms WHERE term = ?", (EMPTY,)).fetchone()
        lost = np.setdiff1d(before, after, assume_unique=True) & 0xFFFFFFFF
        if empty:
            lost = lost[lost != empty[0]]
        lost_counts = dict(zip(*np.unique(lost, return_counts=True), strict=True))
        terms, df = np.unique(np.concatenate([seg.decode_doc(b, n)[0] for *_, n, b in found]), return_counts=True)
        self.conn.executemany("UPDATE lex_terms SET df = df - ?, item_df = item_df - ? WHERE term_id = ?",
                              ((int(d), int(lost_counts.get(t, 0)), int(t)) for t, d in zip(terms, df, strict=True)))
        live_items = {int(k >> 32) for k in after.tolist()}
        self._bump(n_rows=-len(found), total_dl=-sum(dl for _, _, dl, *_ in found),
                   n_items=-len([i for i in items if i not in live_items]), n_deleted=len(found))
        for part in _chunks(sorted(gone)):
            self.conn.execute(f"DELETE FROM lex_docs WHERE row IN ({_marks(len(part))})", part)
        self.conn.executemany("INSERT INTO lex_deleted(row) VALUES (?)", [(r,) for r in sorted(gone)])

    def clear(self) -> None:
        """Empty the index (a rebuild from every row follows in the same transaction)."""
        for table in ("lex_terms", "lex_postings", "lex_docs", "lex_deleted"):
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("UPDATE lex_meta SET value = 0")

    def check(self, n_passages: int) -> str | None:
        """Why the index does not match a store of ``n_passages`` live rows (cheap counts), else None."""
        st = self._stats()
        docs = self.conn.execute("SELECT COUNT(*) FROM lex_docs").fetchone()[0]
        if docs != n_passages or st["n_rows"] != n_passages:
            return f"rivejä {docs} (kirjattu {st['n_rows']}), tekstijaksoja {n_passages}"
        if n_passages and self.conn.execute("SELECT 1 FROM lex_postings LIMIT 1").fetchone() is None:
            return "hakemiston sanaluettelo on tyhjä"
        return None

    def maybe_compact(self) -> bool:
        """Compact when tombstones exceed ``COMPACT_SHARE`` of the rows; returns whether it did."""
        st = self._stats()
        if st["n_deleted"] < max(COMPACT_MIN, COMPACT_SHARE * (st["n_rows"] + st["n_deleted"])):
            return False
        self._rewrite_postings()
        return True

    def compact(self) -> None:
        """Rewrite every term's postings as one segment without tombstones, and recount every statistic
        from ``lex_docs`` (the repair path: O(store))."""
        self._rewrite_postings()
        empty = self.conn.execute("SELECT term_id FROM lex_terms WHERE term = ?", (EMPTY,)).fetchone()
        recount(self.conn, empty[0] if empty else None)

    def _rewrite_postings(self) -> None:
        dead = np.array([r for (r,) in self.conn.execute("SELECT row FROM lex_deleted ORDER BY row")],
                        dtype=np.int64)
        term_ids = [t for (t,) in self.conn.execute("SELECT DISTINCT term_id FROM lex_postings")]
        for t in term_ids:
            got = self.conn.execute("SELECT seg, rows, tfdl FROM lex_postings WHERE term_id = ?", (t,)).fetchall()
            parts = [seg.decode(r, tf) for _, r, tf in got]
            if len(got) > 1 or (len(dead) and np.isin(parts[0][0], dead).any()):
                self._replace(t, [s for s, _, _ in got], seg.merged(parts, dead))
        self.conn.execute("DELETE FROM lex_deleted")
        self.conn.execute("UPDATE lex_meta SET value = 0 WHERE key = 'n_deleted'")
        self.conn.execute("DELETE FROM lex_terms WHERE df <= 0 AND term_id NOT IN"
                          " (SELECT term_id FROM lex_postings)")

    # --- reading

    def _dense_scores(self, tokens: list[str], allowed_rows: np.ndarray | None) -> np.ndarray | None:
        """float32 scores indexed by row (tombstoned rows included), or None when nothing matches."""
        st = self._stats()
        uniq = sorted(set(tokens))
        known: dict[str, tuple[int, int]] = {}
        for part in _chunks(uniq):
            known.update((t, (i, d)) for t, i, d in self.conn.execute(
                f"SELECT term, term_id, df FROM lex_terms WHERE term IN ({_marks(len(part))}) AND df > 0", part))
        if not known or not st["n_rows"]:
            return None
        avgdl = st["total_dl"] / st["n_rows"]
        postings = {}
        for t, (tid, df) in known.items():
            parts = [seg.decode(r, tf) for r, tf in self.conn.execute(
                "SELECT rows, tfdl FROM lex_postings WHERE term_id = ?", (tid,))]
            if parts:
                postings[t] = (seg.idf32(df, st["n_rows"]), seg.merged(parts) if len(parts) > 1 else parts[0])
        if not postings:
            return None
        size = max(int(p[1][0][-1]) for p in postings.values()) + 1
        keep = None
        if allowed_rows is not None:
            keep = np.zeros(size, dtype=bool)
            a = np.asarray(allowed_rows, dtype=np.int64)
            keep[a[(a >= 0) & (a < size)]] = True
        scores = np.zeros(size, dtype=np.float32)
        contrib = {}
        for t, (idf, (rows, tf, dl)) in postings.items():
            if keep is not None:
                m = keep[rows]
                rows, tf, dl = rows[m], tf[m], dl[m]
            contrib[t] = (rows, seg.contributions(idf, tf, dl, avgdl))
        for t in tokens:  # query order, duplicates again: float32 sums in bm25s's order
            if t in contrib:
                rows, c = contrib[t]
                scores[rows] += c
        return scores

    def scores_for(self, tokens: list[str], rows: Sequence[int]) -> np.ndarray:
        """float32 BM25 scores of ``rows`` (0 for rows not live), for tests and parity checks."""
        rows = np.asarray(rows, dtype=np.int64)
        scores = self._dense_scores(tokens, None)
        out = np.zeros(len(rows), dtype=np.float32)
        if scores is None:
            return out
        inside = (rows >= 0) & (rows < len(scores))
        out[inside] = scores[rows[inside]]
        dead = self._tombstoned(rows.tolist())
        out[np.isin(rows, list(dead))] = 0
        return out

    def _tombstoned(self, rows: list[int]) -> set[int]:
        dead: set[int] = set()
        for part in _chunks(rows):
            dead.update(r for (r,) in self.conn.execute(
                f"SELECT row FROM lex_deleted WHERE row IN ({_marks(len(part))})", part))
        return dead

    def top(self, tokens: list[str], k: int, allowed_rows: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` best live rows ``(row, score)`` with score > 0: best first, ties by smaller row."""
        scores = self._dense_scores(tokens, allowed_rows) if tokens and k > 0 else None
        if scores is None:
            return []
        cand = np.flatnonzero(scores > 0)
        sc = scores[cand]
        check = self._stats()["n_deleted"] > 0
        want = k
        while True:
            best_rows, best_sc = seg.best(cand, sc, want)
            dead = self._tombstoned(best_rows.tolist()) if check else set()
            live = [(int(r), float(s)) for r, s in zip(best_rows, best_sc, strict=True) if int(r) not in dead]
            if len(live) >= k or len(best_rows) >= len(cand):
                return live[:k]
            want = 2 * want + len(dead)

