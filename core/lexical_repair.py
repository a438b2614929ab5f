"""Recounting the lexical index's statistics from its rows (``lex_docs``): the repair half of compaction."""

from __future__ import annotations

import sqlite3

import numpy as np

from core import lexical_segments as seg


def recount(conn: sqlite3.Connection, empty_id: int | None) -> None:
    """Set df, item_df (never for the empty-row placeholder ``empty_id``), n_rows, total_dl and n_items
    from the live rows, one item at a time: O(store) time, O(vocabulary) memory."""
    size = (conn.execute("SELECT max(term_id) FROM lex_terms").fetchone()[0] or 0) + 1
    df = np.zeros(size, dtype=np.int64)
    item_df = np.zeros(size, dtype=np.int64)
    n_rows = total = n_items = 0
    cur, acc = None, []
    for item, dl, n_terms, blob in conn.execute(
            "SELECT item_no, dl, n_terms, terms FROM lex_docs ORDER BY item_no"):
        ids = seg.decode_doc(blob, n_terms)[0]
        df[ids] += 1
        n_rows, total = n_rows + 1, total + dl
        if item != cur:
            if acc:
                item_df[np.unique(np.concatenate(acc))] += 1
            cur, acc, n_items = item, [], n_items + 1
        acc.append(ids)
    if acc:
        item_df[np.unique(np.concatenate(acc))] += 1
    if empty_id is not None:
        item_df[empty_id] = 0
    conn.executemany("UPDATE lex_terms SET df = ?, item_df = ? WHERE term_id = ?",
                     ((int(df[t]), int(item_df[t]), t) for (t,) in
                      conn.execute("SELECT term_id FROM lex_terms").fetchall()))
    conn.executemany("UPDATE lex_meta SET value = ? WHERE key = ?",
                     [(n_rows, "n_rows"), (total, "total_dl"), (n_items, "n_items")])

