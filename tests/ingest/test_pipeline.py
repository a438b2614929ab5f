"""Pipeline and store: incremental runs, prune, bad files, model mismatch, crash safety, report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core import store as st
from core.errors import IndexMismatchError
from ingest.pipeline import run


def _items(settings) -> list:
    return st.items_in(settings.store_dir)


def test_first_run_indexes_every_item(small_corpus, settings, fake_embedder):
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.ok and s.wrote
    assert s.items_total == 5 and s.items_written == 5
    items = _items(settings)
    assert sorted(i.section for i in items) == [12, 13, 14, 20, 21]
    it = next(i for i in items if i.section == 12)
    assert it.body == "Pohjois-Karjalan työllisyysalueen lautakunta"
    assert it.date == "2026-03-10" and it.case_ids == ["1637/00.01.02.06/2026"]
    assert it.decision == "Hyväksyttiin yksimielisesti."
    client = st.open_client(settings)
    col = st.get_collection(client, st.COLLECTION)
    rows = st.passage_ids_in(settings.store_dir)
    assert col.count() == len(rows) >= 5


def test_rerun_unchanged_writes_nothing(small_corpus, settings, fake_embedder):
    run([small_corpus], settings, embedder=fake_embedder)
    before = st.db_path(settings.store_dir).stat().st_mtime_ns
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert not s.wrote and s.items_written == 0 and s.files_unchanged == 2
    assert st.db_path(settings.store_dir).stat().st_mtime_ns == before
    # Touching a file without changing its bytes is recognised by its hash.
    f = small_corpus / "pktalk-2026-04.txt"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.items_written == 0 and s.files_unchanged == 2


def test_changed_file_replaces_exactly_its_items(small_corpus, settings, fake_embedder, write_meeting):
    run([small_corpus], settings, embedder=fake_embedder)
    write_meeting(small_corpus, "pktalk-2026-04.txt", "PKTALK", "14.04.2026", [
        (20, "Kotoutumisohjelma 2026", "1700/00.01.02.06/2026",
         "Kotoutumisohjelmaan osallistuu 415 asiakasta.", "Hyväksyttiin yksimielisesti."),
    ])
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.files_changed == 1 and s.files_unchanged == 1
    assert s.items_written == 1 and s.items_deleted == 1  # § 20 changed, § 21 gone
    items = {i.section: i for i in _items(settings)}
    assert sorted(items) == [12, 13, 14, 20]
    assert "415 asiakasta" in items[20].text


def test_prune_removes_items_of_deleted_files(small_corpus, settings, fake_embedder):
    run([small_corpus], settings, embedder=fake_embedder)
    (small_corpus / "pktalk-2026-04.txt").unlink()
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert sorted(i.section for i in _items(settings)) == [12, 13, 14, 20, 21]  # no prune: kept
    s = run([small_corpus], settings, embedder=fake_embedder, prune=True)
    assert s.files_pruned == 1
    assert sorted(i.section for i in _items(settings)) == [12, 13, 14]
    col = st.get_collection(st.open_client(settings), st.COLLECTION)
    metas = col.get(include=["metadatas"])["metadatas"]
    assert {m["section"] for m in metas} == {12, 13, 14}


@pytest.mark.parametrize("name,content,reason", [
    pytest.param("broken.pdf", b"%PDF-1.4 garbage that is not a pdf", "vioittunut", id="corrupt-pdf"),
    pytest.param("empty.txt", b"", "tekstiä", id="empty-txt"),
    pytest.param("notes.txt", "Kauppalista: maitoa, leipää ja kahvia.\n".encode(), "ei ole pöytäkirja", id="not-minutes"),
    pytest.param("image.png", b"\x89PNG\r\n", "ei tueta", id="unsupported"),
])
def test_bad_file_is_reported_and_others_go_in(small_corpus, settings, fake_embedder, name, content, reason):
    bad = small_corpus / name
    bad.write_bytes(content)
    s = run([small_corpus, bad], settings, embedder=fake_embedder)
    assert s.items_total == 5
    assert len(s.files_failed) == 1
    path, message = s.files_failed[0]
    assert name in path and name in message
    assert reason in message.lower()


def test_huge_file_refused(small_corpus, settings, fake_embedder):
    from dataclasses import replace

    big = small_corpus / "huge.txt"
    big.write_text("x" * (2 * 2**20), encoding="utf-8")
    s = run([small_corpus], replace(settings, max_file_mb=1), embedder=fake_embedder)
    assert [p for p, _ in s.files_failed] == [str(big.resolve())]
    assert "liian suuri" in s.files_failed[0][1]
    assert s.items_total == 5


def test_other_model_is_refused_until_rebuild(small_corpus, settings, fake_embedder):
    from core.embedding import FakeEmbedder

    run([small_corpus], settings, embedder=fake_embedder)

    class Other(FakeEmbedder):
        name = "other-model"

    with pytest.raises(IndexMismatchError, match="other-model"):
        run([small_corpus], settings, embedder=Other())
    s = run([small_corpus], settings, embedder=Other(), rebuild=True)
    assert s.items_total == 5
    assert st.read_meta(settings.store_dir).embedding_model == "other-model"


def test_crash_before_commit_keeps_previous_state(small_corpus, settings, fake_embedder, write_meeting,
                                                   monkeypatch):
    from assistant.index import SearchIndex

    run([small_corpus], settings, embedder=fake_embedder)
    before = {i.item_id: i.content_hash for i in _items(settings)}
    write_meeting(small_corpus, "pktalk-2026-05.txt", "PKTALK", "12.05.2026", [
        (30, "Työkokeilupaikat", "1800/00.01.02.06/2026", "Työkokeilupaikkoja on 25.", "Hyväksyttiin."),
    ])

    def boom(*a, **k):
        raise KeyboardInterrupt("killed")

    # The last write of the transaction fails: items, passages and lexical rows were already written in it.
    monkeypatch.setattr(st.Meta, "write", boom)
    with pytest.raises(KeyboardInterrupt):
        run([small_corpus], settings, embedder=fake_embedder)
    monkeypatch.undo()
    # The previous state is intact and fully queryable.
    assert {i.item_id: i.content_hash for i in _items(settings)} == before
    index = SearchIndex(settings, fake_embedder)
    assert index.item_count() == 5
    hits = index.dense("Työkokeilupaikat", None, 20)
    assert hits and all(index.item(iid).section != 30 for iid, _, _ in hits)
    # The next run completes the work without embedding again what was added before the crash.
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.items_total == 6 and s.passages_embedded == 0


def test_report_lists_files_and_items(small_corpus, settings, fake_embedder, tmp_path: Path):
    rep = tmp_path / "report.json"
    run([small_corpus], settings, embedder=fake_embedder, report_path=rep)
    data = json.loads(rep.read_text(encoding="utf-8"))
    files = {Path(f["source"]).name: f for f in data["files"]}
    march = files["pktalk-2026-03.txt"]
    assert march["kind"] == "minutes" and march["date"] == "2026-03-10"
    assert [i["section"] for i in march["items"]] == [12, 13, 14]
    assert march["items"][0]["case_ids"] == ["1637/00.01.02.06/2026"]
    assert march["items"][0]["has_decision"] is True


def test_cli_exit_status_and_summary(small_corpus, settings, tmp_path: Path, capsys, monkeypatch):
    from core import embedding as embed
    from ingest import __main__ as cli

    monkeypatch.setattr(embed, "get_embedder", lambda *a, **k: embed.FakeEmbedder())
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nope")
    code = cli.main([str(small_corpus), "--store", str(settings.store_dir), "-q"])
    out = capsys.readouterr()
    assert code == 1
    assert "Kohteita (§) indeksissä: 5" in out.out
    assert "broken.pdf" in out.err


def test_known_bad_file_is_not_read_again(small_corpus, settings, fake_embedder, monkeypatch):
    from ingest import pipeline

    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nope")
    first = run([small_corpus], settings, embedder=fake_embedder)
    assert len(first.files_failed) == 1
    reads = []
    real = pipeline.parse_file
    monkeypatch.setattr(pipeline, "parse_file", lambda p, s: reads.append(p) or real(p, s))
    again = run([small_corpus], settings, embedder=fake_embedder)
    assert reads == [] and not again.wrote
    assert again.files_failed == first.files_failed  # still reported, exit status still says so


def test_moved_folder_reingests_cleanly(small_corpus, settings, fake_embedder, write_meeting, tmp_path: Path):
    run([small_corpus], settings, embedder=fake_embedder)
    moved = tmp_path / "archive" / "pktalk"
    moved.parent.mkdir()
    small_corpus.rename(moved)
    write_meeting(moved, "pktalk-2026-04.txt", "PKTALK", "14.04.2026", [
        (20, "Kotoutumisohjelma 2026", "1700/00.01.02.06/2026",
         "Kotoutumisohjelmaan osallistuu 415 asiakasta.", "Hyväksyttiin yksimielisesti."),
        (21, "Nuorten kesätyöt", "1701/00.01.02.06/2026",
         "Nuorten kesätyösetelin arvo on 350 euroa.", "Lautakunta hyväksyi kesätyösetelin."),
    ])
    s = run([moved], settings, embedder=fake_embedder, prune=True)
    assert s.ok and s.files_pruned == 2
    items = {i.section: i for i in _items(settings)}
    assert sorted(items) == [12, 13, 14, 20, 21]
    assert "415 asiakasta" in items[20].text and "410" not in items[20].text  # no stale text
    assert all(Path(i.source).is_relative_to(moved.resolve()) for i in items.values())
    corpus = st.read_corpus(settings.store_dir)
    assert all(Path(k).is_relative_to(moved.resolve()) for k in corpus.files)
    assert str(moved.resolve()) in corpus.roots


def test_moved_folder_without_prune_takes_the_new_text(small_corpus, settings, fake_embedder, write_meeting,
                                                       tmp_path: Path):
    run([small_corpus], settings, embedder=fake_embedder)
    moved = tmp_path / "elsewhere"
    small_corpus.rename(moved)
    write_meeting(moved, "pktalk-2026-03.txt", "PKTALK", "10.03.2026", [
        (12, "Palkkatuen myöntämisperusteet", "1637/00.01.02.06/2026",
         "Palkkatukea myönnetään enintään 130 henkilölle.", "Hyväksyttiin yksimielisesti."),
    ])
    s = run([moved], settings, embedder=fake_embedder)
    items = {i.section: i for i in _items(settings)}
    assert "130 henkilölle" in items[12].text  # the new path's text wins over the vanished path's
    assert not any("on jo tiedostossa" in w for w in s.warnings)
    # Without --prune a vanished path keeps only what no present file supersedes (§ 13, § 14 here);
    # the April file moved whole, so its old entry is gone.
    assert sorted(items) == [12, 13, 14, 20, 21] and s.files_pruned == 1
    s = run([moved], settings, embedder=fake_embedder, prune=True)
    assert sorted(i.section for i in _items(settings)) == [12, 20, 21] and s.files_pruned == 1


def test_prune_drops_vanished_paths_outside_given_folders(small_corpus, settings, fake_embedder, write_meeting,
                                                          tmp_path: Path):
    other = write_meeting(tmp_path / "other", "kh-2026-05.txt", "KH", "05.05.2026", [
        (40, "Talousarvio", "1900/02.02.00/2026", "Talousarvion muutos.", "Hyväksyttiin."),
    ])
    run([small_corpus, other], settings, embedder=fake_embedder)
    other.unlink()
    s = run([small_corpus], settings, embedder=fake_embedder, prune=True)
    assert s.files_pruned == 1 and sorted(i.section for i in _items(settings)) == [12, 13, 14, 20, 21]


def test_second_writer_waits_or_refuses(small_corpus, settings, fake_embedder):
    from core.errors import StoreBusyError
    from core.store_writer import StoreWriter

    with StoreWriter(settings):
        with pytest.raises(StoreBusyError) as busy:
            run([small_corpus], settings, embedder=fake_embedder, wait=False)
        assert "Toinen tuonti" in busy.value.message()
    assert run([small_corpus], settings, embedder=fake_embedder, wait=False).items_total == 5


def test_symlink_out_of_the_corpus_folder_is_refused(tmp_path):
    from ingest.discover import discover

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kokous.txt").write_text("Pöytäkirja\n§ 1 Kokouksen avaus\nPäätös\nAvattiin.\n", encoding="utf-8")
    outside = tmp_path / "salainen.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    (corpus / "linkki.txt").symlink_to(outside)
    (corpus / "sisainen.txt").symlink_to(corpus / "kokous.txt")  # a link inside the folder is fine
    found, bad = discover([corpus])
    assert [f.name for f in found] == ["kokous.txt"]  # the inner link resolves to the same file
    assert len(bad) == 1 and "linkki.txt" in bad[0][0] and "ulkopuolelle" in bad[0][1]


def test_the_committed_collection_name_wins(small_corpus, settings, fake_embedder, write_meeting, monkeypatch):
    """A store built embedded and then written through a Chroma server (whose settings name collections
    differently) keeps its vectors: only the new meeting is embedded."""
    from ingest import pipeline

    run([small_corpus], settings, embedder=fake_embedder)
    monkeypatch.setattr(pipeline.st, "collection_name", lambda s: "minutes-passages-elsewhere")
    write_meeting(small_corpus, "pktalk-2026-07.txt", "PKTALK", "07.07.2026", [
        (50, "Kesäkahvila", "1950/00.01.02.06/2026", "Kahvilan vuokra on 300 euroa.", "Hyväksyttiin.")])
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.items_written == 1 and s.passages_embedded == 1
    assert st.read_meta(settings.store_dir).collection == st.COLLECTION


def _stamp_parser(settings, version: str) -> None:
    conn = st.connect(settings.store_dir)
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('parser', ?)", (version,))
    conn.close()


def test_a_new_parser_reads_the_files_again_without_embedding_anew(small_corpus, settings, fake_embedder):
    from ingest.parse import PARSER_VERSION

    run([small_corpus], settings, embedder=fake_embedder)
    assert st.read_meta(settings.store_dir).parser == PARSER_VERSION
    _stamp_parser(settings, "1")  # as an older release's parser left it
    # Given one of the two files: it is read again, but the store keeps the old version (the other
    # file still holds the old reading).
    s = run([small_corpus / "pktalk-2026-04.txt"], settings, embedder=fake_embedder)
    assert s.files_changed == 1 and any("jäsennin päivittyi" in w for w in s.warnings)
    assert st.read_meta(settings.store_dir).parser == "1"
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.files_changed == 2 and s.passages_embedded == 0  # same passages: the vectors stay
    assert st.read_meta(settings.store_dir).parser == PARSER_VERSION
    assert sorted(i.section for i in _items(settings)) == [12, 13, 14, 20, 21]
    s = run([small_corpus], settings, embedder=fake_embedder)
    assert s.files_changed == 0 and not s.wrote
