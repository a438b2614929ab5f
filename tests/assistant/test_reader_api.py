"""Other modules use the store only through SearchIndex's public reader API (store format 2, issue 12).

The index's internals (items dict, passage rows, bm25, case map …) are about to move from memory
into SQLite lookups; a module that reads them would break then, or hold every item in memory. These
checks read the source (AST), so they need no store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assistant.index as index_module
from assistant.index import SearchIndex
from assistant.types import Query
from ingest.pipeline import run

ROOT = Path(__file__).resolve().parents[2]
INDEX_MODULE = ROOT / "assistant" / "index.py"
#: Where the index's users live (core/ and ingest/ are the store's writers, below the index).
USERS = ["assistant", "ui", "eval", "bench", "tests", "app.py"]


def _sources() -> list[Path]:
    out: list[Path] = []
    for name in USERS:
        p = ROOT / name
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return [p for p in out if p != INDEX_MODULE]


#: Every file parsed once, when the module is collected: no test has started a thread yet. CPython
#: before 3.11.8 keeps the AST constructor's recursion depth in state that threads share
#: (python/cpython#106905); a parse racing a server thread of an app test failed in CI with a spurious
#: "AST constructor recursion depth mismatch" SystemError on valid source.
TREES = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in [INDEX_MODULE, *_sources()]}


def _classes() -> dict[str, ast.ClassDef]:
    tree = TREES[INDEX_MODULE]
    return {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}


def _self_attributes(cls: ast.ClassDef) -> set[str]:
    """Every ``self.X`` a SearchIndex method assigns."""
    return {t.attr for n in ast.walk(cls) if isinstance(n, (ast.Assign, ast.AnnAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"}


def _private_names() -> set[str]:
    """Private state and methods of every class of assistant/index.py (SearchIndex, ItemGroups)."""
    names = set()
    for name, cls in _classes().items():
        names |= _self_attributes(cls) | set(vars(getattr(index_module, name)))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _public_names() -> set[str]:
    names = _self_attributes(_classes()["SearchIndex"]) | set(dir(SearchIndex))
    return {n for n in names if not n.startswith("_")}


def _is_index(node: ast.expr) -> bool:
    """``index`` or ``<something>.index``: how every module names its SearchIndex."""
    return (isinstance(node, ast.Name) and node.id == "index") or (
        isinstance(node, ast.Attribute) and node.attr == "index")


def _uses(predicate) -> list[str]:  # noqa: ANN001 - (ast.Attribute) -> bool
    found = []
    for path, tree in TREES.items():
        if path == INDEX_MODULE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and predicate(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    return found


def test_the_internals_are_private():
    private = _private_names()
    # The state that moves into the store must be among them, or the scan below checks nothing.
    assert {"_items", "_by_case", "_reader", "_collection", "_cache"} <= private
    assert not {"rows", "by_case", "bm25", "passage_row", "collection"} & _public_names()


def test_no_module_reads_a_private_attribute_of_the_index():
    private = _private_names()
    # ``self._x`` is a class's own state (many classes have a ``_lock``); anything else is a foreign read.
    bad = _uses(lambda n: n.attr in private and not (isinstance(n.value, ast.Name) and n.value.id in {"self", "cls"}))
    assert not bad, "SearchIndex internals read outside assistant/index.py:\n" + "\n".join(bad)


def test_every_attribute_read_on_an_index_is_reader_api():
    public = _public_names()
    bad = _uses(lambda n: _is_index(n.value) and n.attr not in public)
    assert not bad, "not in SearchIndex's reader API:\n" + "\n".join(bad)


# --- the reader API itself, on a real store (pipeline, Chroma, bm25s; fake embedder)


@pytest.fixture
def index(small_corpus, settings, fake_embedder) -> SearchIndex:
    run([small_corpus], settings, embedder=fake_embedder)
    return SearchIndex(settings, fake_embedder)


def test_items_by_id_in_the_order_asked(index):
    every = index.filtered(Query(""))
    ids = [it.item_id for it in every]
    assert index.item_count() == len(ids) == 5
    assert all(index.has_item(i) and index.item(i) == it for i, it in zip(ids, every, strict=True))
    assert not index.has_item("nosuch") and index.item("nosuch") is None
    assert list(index.items(["nosuch", ids[3], ids[0]])) == [ids[3], ids[0]]  # unknown ids left out


def test_filters_cases_meetings_and_organisations(index):
    april = Query("", date_from="2026-04-01")
    assert index.filtered_ids(april) == {it.item_id for it in index.filtered(april)}
    assert sorted(it.section for it in index.filtered(april)) == [20, 21]
    (case,) = index.items_by_case("1637/00.01.02.06/2026")
    assert case.section == 12 and index.items_by_case(" 1637/00.01.02.06/2026".upper()) == [case]
    march = index.meeting_items(case.municipality, case.body, case.date, case.kind)
    assert [it.section for it in march] == [12, 13, 14]
    assert index.municipalities() == sorted({it.municipality for it in index.filtered(Query(""))} - {""})
    assert [(m.date, m.kind) for m in index.meetings] == [("2026-03-10", "minutes"), ("2026-04-14", "minutes")]


def test_generic_terms_are_item_document_frequency(index):
    per_item = [index.item_tokens(i) for i in index.filtered_ids(Query(""))]
    assert all(per_item)
    in_two = {t for t in set().union(*per_item) if sum(t in toks for toks in per_item) >= 2}
    assert index.generic_terms(0.4, 5) == in_two and in_two  # 2 of 5 items
    assert index.generic_terms(1.0, 5) == frozenset.intersection(*map(frozenset, per_item))
    assert index.generic_terms(0.0, 6) == frozenset()  # fewer items than asked for: nothing is generic


def test_vocab_is_a_read_only_view_of_the_indexed_tokens(index):
    tokens = set().union(*(index.item_tokens(i) for i in index.filtered_ids(Query(""))))
    assert tokens <= set(index.vocab) and len(index.vocab) == len(set(index.vocab))
    assert not hasattr(index.vocab, "add") and not hasattr(index.vocab, "__setitem__")
    known = next(iter(tokens))
    assert index.idf("eisanaa") > index.idf(known)


def test_narrow_filter_is_scored_exactly_as_chroma_would(index, monkeypatch):
    """A filter of few items skips Chroma's metadata scan and scores their vectors itself: same passages,
    same similarities, only committed rows."""
    from assistant.index import build_where

    monkeypatch.setattr(index_module, "OVERFETCH_MAX", 0)  # this small store's filters count as narrow

    march = Query("", bodies=(index.filtered(Query(""))[0].body,), date_from="2026-03-01", date_to="2026-03-31")
    allowed = index.filtered_ids(march)
    assert 0 < len(allowed) < index.item_count()
    for text in ("palkkatuki määräraha", "uimahallin peruskorjaus", "katuvalaistus"):
        exact = index.dense(text, build_where(march), 10, allowed=allowed)
        scanned = index.dense(text, build_where(march), 10)
        assert {i for i, _s, _r in exact} <= allowed
        assert sorted((i, r) for i, _s, r in exact) == sorted((i, r) for i, _s, r in scanned)
        assert [round(s, 5) for _i, s, _r in exact] == [round(s, 5) for _i, s, _r in scanned]


def test_a_reader_follows_commits_and_forgets_stale_items(index, small_corpus, settings, fake_embedder,
                                                          write_meeting):
    before = index.item_count()
    assert not index.refresh()  # nothing committed since it opened
    write_meeting(small_corpus, "pktalk-2026-06.txt", "PKTALK", "09.06.2026", [
        (40, "Kesätyöpaikat", "1900/00.01.02.06/2026", "Kesätyöpaikkoja tarjotaan 30 nuorelle.", "Hyväksyttiin.")])
    run([small_corpus], settings, embedder=fake_embedder)
    assert index.refresh() and index.item_count() == before + 1
    (new,) = index.items_by_case("1900/00.01.02.06/2026")
    assert "Kesätyöpaikkoja" in new.text and "kesätyöpaikka" in index.vocab
    assert new.item_id in {i for i, _s, _r in index.lexical(["kesätyöpaikka"], None, 5)}


def test_a_filter_most_items_pass_fetches_no_vectors_by_id(index, monkeypatch):
    # Fetching a filter's vectors by id costs ~0.06 ms a passage (a year of a town: ~220 ms); when a
    # graph search of at most OVERFETCH_MAX hits should hold enough of them, that search is used.
    from assistant.index import build_where

    monkeypatch.setattr(index, "_dense_exact", lambda *a: pytest.fail("fetched vectors by id"))
    items = sorted(index.filtered(Query("")), key=lambda it: it.date)
    most = Query("", date_from=items[len(items) // 4].date)
    allowed = index.filtered_ids(most)
    assert len(allowed) > len(items) // 2
    got = index.dense("uimahallin peruskorjaus", build_where(most), 3, allowed=allowed)
    assert len(got) == 3 and {i for i, _s, _r in got} <= allowed


def test_broad_filter_searches_the_graph_first_and_agrees_with_the_scan(index, monkeypatch):
    from assistant.index import build_where

    monkeypatch.setattr(index_module, "EXACT_DENSE_ITEMS", 0)  # every filter counts as broad here
    spring = Query("", date_from="2026-03-01", date_to="2026-04-30")
    allowed = index.filtered_ids(spring)
    for text in ("palkkatuki määräraha", "uimahallin peruskorjaus"):
        broad = index.dense(text, build_where(spring), 3, allowed=allowed)
        scanned = index.dense(text, build_where(spring), 3)
        assert len(broad) == 3 and {i for i, _s, _r in broad} <= allowed
        assert [(i, r) for i, _s, r in broad] == [(i, r) for i, _s, r in scanned]
