"""Store tamper suite: each kind of damage gives a typed Finnish error naming the broken part and the fix,
and ingest (a normal run, or ``--repair``) restores a store that answers exactly as before."""

from __future__ import annotations

import json
import shutil
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


def _gen(store: Path) -> Path:
    return st.gen_dir(store, st.load_manifest(store).generation)


def _forget_chroma_clients() -> None:
    # Chroma caches one client system per path inside a process; a real repair runs in a new process.
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _empty_manifest(store: Path) -> None:
    st.manifest_path(store).write_text("", encoding="utf-8")


def _truncated_manifest(store: Path) -> None:
    p = st.manifest_path(store)
    p.write_text(p.read_text(encoding="utf-8")[:200], encoding="utf-8")


def _bad_items_line(store: Path) -> None:
    p = _gen(store) / "items.jsonl"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][: len(lines[1]) // 2]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _missing_bm25(store: Path) -> None:
    shutil.rmtree(_gen(store) / "bm25")


def _missing_passages(store: Path) -> None:
    (_gen(store) / "passages.jsonl").unlink()


def _missing_generation(store: Path) -> None:
    shutil.rmtree(_gen(store))


def _missing_items(store: Path) -> None:
    (_gen(store) / "items.jsonl").unlink()


def _missing_chroma(store: Path) -> None:
    _forget_chroma_clients()
    shutil.rmtree(store / "chroma")


# (damage, words the message must contain, whether the repair needs the corpus folder)
CASES: list[tuple[Callable[[Path], None], str, bool]] = [
    (_empty_manifest, "manifest.json", False),
    (_truncated_manifest, "manifest.json", False),
    (_bad_items_line, "items.jsonl", True),
    (_missing_bm25, "bm25", False),
    (_missing_passages, "passages.jsonl", False),
    (_missing_generation, "gen-", True),
    (_missing_items, "items.jsonl", True),
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
    assert st.inspect(settings.store_dir).problems == []
    # Settled: a recovered manifest may read the files once more to learn their hashes, changing nothing.
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
    _missing_generation(settings.store_dir)
    capsys.readouterr()
    code = cli.main(["--repair", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Virhe: " in err and "gen-" in err and "--repair KANSIO" in err
    assert cli.main(["--repair", str(small_corpus), "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"]) == 0
    assert cli.main(["--repair", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"]) == 0
    assert "eheä" in capsys.readouterr().out


def test_recovered_manifest_keeps_every_item(small_corpus, settings, fake_embedder):
    run([small_corpus], settings, embedder=fake_embedder)
    ids = {i.item_id for i in st.read_items(settings.store_dir, st.load_manifest(settings.store_dir).generation)}
    _empty_manifest(settings.store_dir)
    ins = st.inspect(settings.store_dir)
    assert ins.manifest_lost and set(ins.items) == ids
    s = run([], settings, embedder=fake_embedder)
    assert s.items_total == 5 and s.passages_embedded == 0  # vectors are content-addressed: nothing re-embedded
    m = json.loads(st.manifest_path(settings.store_dir).read_text(encoding="utf-8"))
    assert sum(len(f["item_ids"]) for f in m["files"].values()) == 5


def test_app_shows_the_damage_not_an_empty_store(small_corpus, settings, fake_embedder):
    from app import Backend

    run([small_corpus], settings, embedder=fake_embedder)
    _missing_items(settings.store_dir)
    backend = Backend(settings, embedder=fake_embedder)
    backend.ensure()
    status = backend.status()
    assert backend.state == "error" and backend.assistant is None
    assert "vioittunut" in status and "items.jsonl" in status and "--repair KANSIO" in status
    assert "pykälää" not in status


def test_upgrade_rewrites_an_old_format_store_from_its_items(small_corpus, settings, fake_embedder, capsys,
                                                             monkeypatch):
    from core import embedding as embed
    from ingest import __main__ as cli

    run([small_corpus], settings, embedder=fake_embedder)
    before = _answers(settings, fake_embedder)
    # Yesterday's format: no corpus roots in the manifest, no lock file.
    p = st.manifest_path(settings.store_dir)
    old = json.loads(p.read_text(encoding="utf-8"))
    del old["roots"]
    p.write_text(json.dumps(old), encoding="utf-8")
    (settings.store_dir / "ingest.lock").unlink()
    monkeypatch.setattr(embed, "get_embedder", lambda *a, **k: embed.FakeEmbedder())
    code = cli.main(["--upgrade", "--store", str(settings.store_dir), "-q", "--model", "fake-hash-64"])
    out = capsys.readouterr()
    assert code == 0 and "päivitetty nykyiseen tallennusmuotoon" in out.out
    assert "upotettu 0 tekstijaksoa" in out.out  # vectors are reused, nothing embedded again
    assert st.load_manifest(settings.store_dir).generation == old["generation"] + 1
    _forget_chroma_clients()
    assert _answers(settings, fake_embedder) == before
