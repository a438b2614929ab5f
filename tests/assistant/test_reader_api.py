"""Other modules use the store only through SearchIndex's public reader API (store format 2, issue 12).

The index's internals (items dict, passage rows, bm25, case map …) are about to move from memory
into SQLite lookups; a module that reads them would break then, or hold every item in memory. These
checks read the source (AST), so they need no store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import assistant.index as index_module
from assistant.index import SearchIndex

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


def _classes() -> dict[str, ast.ClassDef]:
    tree = ast.parse(INDEX_MODULE.read_text(encoding="utf-8"))
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
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Attribute) and predicate(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    return found


def test_the_internals_are_private():
    private = _private_names()
    # The state that moves into the store must be among them, or the scan below checks nothing.
    assert {"_items", "_rows", "_by_case", "_vocab", "_bm25", "_passage_row", "_doc_freq", "_collection"} <= private
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
