"""Store tamper suite: each kind of damage gives a typed Finnish error naming the broken part and the fix,
and ingest (a normal run, or ``--repair``) restores a store that answers exactly as before."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from core import store as st
from core.errors import StoreDamagedError
from ingest.pipeline import run

QUESTIONS = [
    "Mikä on asian 1638/00.01.02.06/2026 päätös?",
    "Paljonko palkkatukea myönnetään?",
    "Mitä nuorten kesätyöseteleistä päätettiin huhtikuussa 2026?",
]


def _answers(settings, embedder) -> list[tuple[str, list[tuple[str, int]]]]:
    from assistant.service import Assistant

    bot = Assistant.open(settings, embedder=embedder)
    out = []
    for q in QUESTIONS:
        a = bot.ask(q, today=date(2026, 11, 28))
        out.append((a.text, [(c.date, c.section) for c in a.citations]))
    return out


def _forget_chroma_clients() -> None:
    # Chroma caches one client system per path inside a process; a real repair runs in a new process.
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _sql(store: Path, *statements: str) -> None:
    conn = sqlite3.connect(st.db_path(store))
    for q in statements:
        conn.execute(q)
    conn.commit()
    conn.close()


def _garbage_database(store: Path) -> None:
    for p in store.glob(st.DB_NAME + "*"):
        p.unlink()
    st.db_path(store).write_bytes(b"not a database at all " * 200)


def _truncated_database(store: Path) -> None:
    _sql(store, "PRAGMA wal_checkpoint(TRUNCATE)")
    p = st.db_path(store)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


def _missing_database(store: Path) -> None:
    for p in store.glob(st.DB_NAME + "*"):
        p.unlink()


def _lost_lexical_rows(store: Path) -> None:
    _sql(store, "DELETE FROM lex_docs")


def _lost_item_rows(store: Path) -> None:
    _sql(store, "DELETE FROM items WHERE item_no = (SELECT MIN(item_no) FROM items)")


def _missing_chroma(store: Path) -> None:
    _forget_chroma_clients()
    shutil.rmtree(store / "chroma")


# (damage, words the message must contain, whether the repair needs the corpus folder)
CASES: list[tuple[Callable[[Path], None], str, bool]] = [
    (_garbage_database, st.DB_NAME, True),
    (_truncated_database, st.DB_NAME, True),
    (_missing_database, st.DB_NAME, True),
    (_lost_lexical_rows, "sanahakemisto", False),
    (_lost_item_rows, "kohdetta puuttuu", True),
    (_missing_chroma, "chroma/", False),
]


@pytest.mark.parametrize("damage,part,needs_files", CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_damage_is_named_and_repaired(damage, part, needs_files, small_corpus, settings, fake_embedder):
    from assistant.service import Assistant

    run([small_corpus], settings, embedder=fake_embedder)
    before = _answers(settings, fake_embedder)
    damage(settings.store_dir)
    _forget_chroma_clients()

    with pytest.raises(StoreDamagedError) as err:
        Assistant.open(settings, embedder=fake_embedder)
    msg = err.value.message()
    assert "vioittunut" in msg and part in msg and "python -m ingest --repair" in msg

    if needs_files:
        # Without the corpus the lost items cannot come back: a clear refusal, never an empty store.
        with pytest.raises(StoreDamagedError) as refused:
            run([], settings, embedder=fake_embedder)
        assert "--repair KANSIO" in refused.value.message()
        s = run([small_corpus], settings, embedder=fake_embedder)
    else:
        s = run([], settings, embedder=fake_embedder)  # --repair: derived parts come from the items
    assert s.wrote and s.items_total == 5
    assert any("korjataan" in w for w in s.warnings)
    _forget_chroma_clients()
    assert _answers(settings, fake_embedder) == before
    assert st.inspect(settings.store_dir, settings).problems == []
    # Settled: nothing is read, written or embedded again.
    again = run([small_corpus], settings, embedder=fake_embedder)
    assert again.items_written == 0 and again.passages_embedded == 0 and again.items_deleted == 0
    assert not run([small_corpus], settings, embedder=fake_embedder).wrote


def test_fewer_vectors_than_passages_is_damage(small_corpus, settings, fake_embedder):
    from assistant.service import Assistant

    run([small_corpus], settings, embedder=fake_embedder)
    before = _answers(settings, fake_embedder)
    col = st.get_collection(st.open_client(settings), st.COLLECTION)
    col.delete(ids=col.get(include=[])["ids"][:2])
    with pytest.raises(StoreDamagedError, match="vektoreita"):
        Assistant.open(settings, embedder=fake_embedder)
    s = run([small_corpus], settings, embedder=fake_embedder)  # a normal run repairs it
    assert s.wrote and s.passages_embedded == 2
    assert _answers(settings, fake_embedder) == before


def test_cli_reports_damage_in_finnish_without_traceback(small_corpus, settings, capsys, monkeypatch):
    from core import embedding as embed
    from ingest import __main__ as cli

    monkeypatch.setattr(embed, "get_embedder", lambda *a, **k: embed.FakeEmbedder())
    assert cli.main([str(small_corpus), "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"]) == 0
    _garbage_database(settings.store_dir)
    capsys.readouterr()
    code = cli.main(["--repair", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Virhe: " in err and st.DB_NAME in err and "--repair KANSIO" in err
    assert cli.main(["--repair", str(small_corpus), "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"]) == 0
    assert (settings.store_dir / (st.DB_NAME + ".vioittunut")).exists()  # the broken file is kept aside, not lost
    assert cli.main(["--repair", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"]) == 0
    assert "eheä" in capsys.readouterr().out


def test_app_shows_the_damage_not_an_empty_store(small_corpus, settings, fake_embedder):
    from app import Backend

    run([small_corpus], settings, embedder=fake_embedder)
    _missing_database(settings.store_dir)
    backend = Backend(settings, embedder=fake_embedder)
    backend.ensure()
    status = backend.status()
    assert backend.state == "error" and backend.assistant is None
    assert "vioittunut" in status and st.DB_NAME in status and "--repair KANSIO" in status
    assert "pykälää" not in status


def _write_format1(store: Path) -> dict:
    """Yesterday's layout of the same state: manifest.json + gen-<n>/ (items, passages, bm25s index)."""
    import bm25s

    conn = sqlite3.connect(st.db_path(store))
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    items = [json.loads(d) for (d,) in conn.execute("SELECT data FROM items ORDER BY item_no")]
    files = {r[0]: {"sha256": r[1], "size": r[2], "mtime_ns": r[3], "kind": r[4], "body": r[5], "date": r[6],
                    "meeting_number": r[7], "item_ids": []} for r in conn.execute("SELECT * FROM files")}
    conn.close()
    from core.items import AgendaItem
    from ingest.assemble import rows_for

    rows = []
    for d in items:
        it = AgendaItem.from_dict(d)
        files[it.source]["item_ids"].append(it.item_id)
        rows += rows_for(it)
    gen = store / "gen-3"
    gen.mkdir()
    (gen / "items.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in items), "utf-8")
    (gen / "passages.jsonl").write_text("".join(json.dumps({"passage_id": r.passage_id, "item_id": r.item_id,
                                                            "index": r.index, "tokens": r.tokens}) + "\n"
                                                for r in rows), "utf-8")
    bm = bm25s.BM25()
    bm.index([r.tokens or ["_"] for r in rows], show_progress=False)
    bm.save(str(gen / "bm25"), show_progress=False)
    old = {"schema": 1, "embedding_model": meta["embedding_model"], "dim": int(meta["dim"]), "generation": 3,
           "collection": meta["collection"], "tokenizer": meta["tokenizer"], "files": files, "failed": {}}
    (store / "manifest.json").write_text(json.dumps(old), encoding="utf-8")
    _missing_database(store)
    return old


def test_upgrade_rewrites_an_old_format_store_from_its_items(small_corpus, settings, fake_embedder, capsys,
                                                             monkeypatch):
    from assistant.service import Assistant
    from core import embedding as embed
    from ingest import __main__ as cli

    run([small_corpus], settings, embedder=fake_embedder)
    before = _answers(settings, fake_embedder)
    _write_format1(settings.store_dir)
    (settings.store_dir / "ingest.lock").unlink()
    _forget_chroma_clients()
    with pytest.raises(StoreDamagedError) as err:  # a reader names the fix, never shows an empty store
        Assistant.open(settings, embedder=fake_embedder)
    assert "--upgrade" in err.value.message() and "versio 1" in err.value.message()
    monkeypatch.setattr(embed, "get_embedder", lambda *a, **k: embed.FakeEmbedder())
    code = cli.main(["--upgrade", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"])
    out = capsys.readouterr()
    assert code == 0 and "päivitetty nykyiseen tallennusmuotoon" in out.out
    assert "upotettu 0 tekstijaksoa" in out.out  # vectors are reused, nothing embedded again
    assert not (settings.store_dir / "manifest.json").exists() and not list(settings.store_dir.glob("gen-*"))
    assert st.read_meta(settings.store_dir).items == 5
    _forget_chroma_clients()
    assert _answers(settings, fake_embedder) == before
    # A format-1 store predates the parser version: its files are read once more (nothing embedded, no
    # item changed), then the file records that came along keep them unread.
    again = run([small_corpus], settings, embedder=fake_embedder)
    assert again.passages_embedded == 0 and again.items_written == 0 and again.items_deleted == 0
    assert not run([small_corpus], settings, embedder=fake_embedder).wrote


def test_a_large_store_counts_only_when_asked(small_corpus, settings, fake_embedder, monkeypatch):
    """Counting rows and vectors is O(store): past THOROUGH_ITEMS a routine ingest skips it, --repair does it."""
    run([small_corpus], settings, embedder=fake_embedder)
    _lost_lexical_rows(settings.store_dir)
    monkeypatch.setattr(st, "THOROUGH_ITEMS", 2)  # the five-item store counts as large
    assert st.inspect(settings.store_dir, settings).problems == []
    assert "sanahakemisto" in " ".join(st.inspect(settings.store_dir, settings, thorough=True).problems)
    assert not run([small_corpus], settings, embedder=fake_embedder).wrote  # a routine run: no counting
    s = run([], settings, embedder=fake_embedder, repair=True)
    assert s.wrote and any("sanahakemisto" in w for w in s.warnings)
    assert st.inspect(settings.store_dir, settings, thorough=True).problems == []
