"""Posting segments of the lexical index: how a term's postings are packed into blobs, and BM25 arithmetic.

A segment holds, for one term, the rows containing it (ascending ``int32``), each row's term frequency
and the row's token count ``dl``. It is two blobs: ``rows`` (``<i4``) and ``tfdl`` (the tf block then the
dl block, ``<u2``, or ``<u4`` when a value does not fit 16 bits — the blob's length tells which).

The arithmetic repeats bm25s 0.3.16 ``BM25()`` (method "lucene", float32) operation by operation, so
that a score here is bit-identical to the score bm25s gives for the same live rows.
"""

from __future__ import annotations

import math

import numpy as np

#: bm25s ``BM25()`` defaults.
K1 = 1.5
B = 0.75
#: Largest (tf, dl) lookup table built per query term; beyond it each posting is computed directly.
_TABLE_MAX = 1 << 22


def encode(rows: np.ndarray, tf: np.ndarray, dl: np.ndarray) -> tuple[bytes, bytes]:
    """The two blobs of a segment (``rows`` ascending)."""
    wide = len(rows) and max(int(tf.max()), int(dl.max())) > 0xFFFF
    packed = np.concatenate([tf, dl]).astype("<u4" if wide else "<u2")
    return np.asarray(rows, dtype="<i4").tobytes(), packed.tobytes()


def decode(rows_blob: bytes, tfdl_blob: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, tf, dl)`` of a segment (read-only views on the blobs)."""
    rows = np.frombuffer(rows_blob, dtype="<i4")
    n = len(rows)
    tfdl = np.frombuffer(tfdl_blob, dtype="<u2" if len(tfdl_blob) == 4 * n else "<u4")
    return rows, tfdl[:n], tfdl[n:]


def encode_doc(term_ids: np.ndarray, tfs: np.ndarray) -> bytes:
    """A row's distinct term ids (``<i4``) followed by their tfs (``<u2``/``<u4`` by length)."""
    wide = len(tfs) and int(tfs.max()) > 0xFFFF
    return np.asarray(term_ids, dtype="<i4").tobytes() + np.asarray(tfs, dtype="<u4" if wide else "<u2").tobytes()


def decode_doc(blob: bytes, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.frombuffer(blob, dtype="<i4", count=n_terms)
    rest = len(blob) - 4 * n_terms
    tfs = np.frombuffer(blob, dtype="<u2" if rest == 2 * n_terms else "<u4", offset=4 * n_terms)
    return ids, tfs


def idf32(df: int, n_rows: int) -> np.float32:
    """bm25s "lucene" idf, computed in double and stored as float32 as bm25s stores it."""
    return np.float32(math.log(1 + (n_rows - df + 0.5) / (df + 0.5)))


def contributions(idf: np.float32, tf: np.ndarray, dl: np.ndarray, avgdl: float) -> np.ndarray:
    """Each posting's float32 BM25 term score, exactly as bm25s computes it at index time.

    bm25s evaluates ``idf * (tf / (k1 * ((1 - b) + b * dl / avgdl) + tf))`` in float64 (its float32 tf
    meets float64 scalars) and rounds to float32. The value depends only on (tf, dl), and a passage has
    few distinct pairs, so a table over them replaces millions of per-posting divisions.
    """
    if not len(tf):
        return np.zeros(0, dtype=np.float32)
    mt, md = int(tf.max()), int(dl.max())
    if (mt + 1) * (md + 1) <= _TABLE_MAX:
        t = np.arange(mt + 1, dtype=np.float64)[:, None]
        d = np.arange(md + 1, dtype=np.float64)[None, :]
        table = (np.float64(idf) * (t / (K1 * ((1 - B) + B * d / avgdl) + t))).astype(np.float32).ravel()
        return table[tf.astype(np.int64) * (md + 1) + dl]
    t = tf.astype(np.float64)
    return (np.float64(idf) * (t / (K1 * ((1 - B) + B * dl.astype(np.float64) / avgdl) + t))).astype(np.float32)


def merged(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], dead: np.ndarray | None = None,
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Several segments of one term as one, ascending by row, without the rows in ``dead`` (sorted)."""
    rows = np.concatenate([p[0] for p in parts])
    tf = np.concatenate([p[1] for p in parts])
    dl = np.concatenate([p[2] for p in parts])
    if len(parts) > 1 and len(rows) > 1 and np.any(rows[1:] < rows[:-1]):
        order = np.argsort(rows, kind="stable")
        rows, tf, dl = rows[order], tf[order], dl[order]
    if dead is not None and len(dead):
        keep = ~np.isin(rows, dead, assume_unique=True)
        rows, tf, dl = rows[keep], tf[keep], dl[keep]
    return rows, tf, dl


def size_level(n: int, fanout: int, base: int) -> int:
    """The tier of a segment of ``n`` postings: segments of one tier are merged ``fanout`` at a time."""
    level = 0
    while n >= base * fanout:
        n //= fanout
        level += 1
    return level


def best(cand: np.ndarray, sc: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` best candidates (all of a tie at the boundary), best first, ties by smaller row."""
    if len(cand) > m:
        threshold = np.partition(sc, len(sc) - m)[len(sc) - m]
        sel = sc >= threshold
        cand, sc = cand[sel], sc[sel]
    order = np.lexsort((cand, -sc))
    return cand[order], sc[order]
