"""Benchmark the Finnish tokenizer backends on the real Lapua minutes.

Usage::

    python -m bench.tokens                 # parse ms/question, tokens/s per backend
    python -m bench.tokens --retrieval     # + BM25 recall on the dev gold questions per variant
    python -m bench.tokens --limit 20      # only the first 20 PDFs

Text comes from ../shared/corpus/lapua (PyMuPDF). The retrieval check splits
each minutes PDF into § items at "§ N" lines, indexes them with a small BM25
(k1=1.5, b=0.75) and reports recall@5/@10 and MRR of the gold citations of
../shared/eval/lapua-dev-gold.jsonl, the whole question used as the query.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import tokens as T

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "corpus" / "lapua"
GOLD = SHARED / "eval" / "lapua-dev-gold.jsonl"
_SECTION_LINE = re.compile(r"^\s*§\s*(\d+)\s*$", re.MULTILINE)
_FILE_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def load_pages(limit: int | None) -> list[tuple[Path, list[str]]]:
    import pymupdf

    out = []
    for f in sorted(CORPUS.glob("*/*.pdf"))[:limit]:
        with pymupdf.open(f) as doc:
            out.append((f, [p.get_text() for p in doc]))
    return out


def bench_speed(docs: list[tuple[Path, list[str]]], backends: list[str]) -> None:
    texts = [t for _, pages in docs for t in pages]
    chars = sum(len(t) for t in texts)
    print(f"corpus: {len(docs)} files, {len(texts)} pages, {chars / 1e6:.1f} M chars")
    for b in backends:
        try:
            T.select_backend(b)
        except ValueError as e:
            print(f"{b:10s} unavailable: {e}")
            continue
        t0 = time.perf_counter()
        T.tokenize("lämmittely")  # simplemma loads its dictionary here
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = T.tokenize_many(texts)
        cold = time.perf_counter() - t0
        n = sum(len(x) for x in out)
        t0 = time.perf_counter()
        T.tokenize_many(texts)
        warm = time.perf_counter() - t0
        info = T._cache_info()
        print(f"{b:10s} load {load:5.2f} s | {n} tokens | cold {n / cold:9.0f} tok/s ({cold:5.2f} s)"
              f" | warm {n / warm:9.0f} tok/s ({warm:5.2f} s) | {info.currsize} distinct words")
    T.select_backend(None)


def split_items(docs: list[tuple[Path, list[str]]]) -> tuple[list[tuple[str, str, int]], list[str]]:
    keys, texts = [], []
    for f, pages in docs:
        if not f.name.startswith("Pöytäkirja"):
            continue
        m = _FILE_DATE.search(f.name)
        if not m:
            continue
        date = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
        body = f.parent.name.replace("_", " ")
        full = "\n".join(pages)
        cuts = list(_SECTION_LINE.finditer(full))
        for i, c in enumerate(cuts):
            end = cuts[i + 1].start() if i + 1 < len(cuts) else len(full)
            keys.append((body, date, int(c.group(1))))
            texts.append(full[c.start():end])
    return keys, texts


class MiniBM25:
    """Plain Okapi BM25 over pre-tokenized documents."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / max(1, len(docs))
        df: Counter[str] = Counter()
        for c in self.tf:
            df.update(c.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, query: list[str], allowed: set[int] | None = None) -> list[int]:
        scores = []
        for i, c in enumerate(self.tf):
            if allowed is not None and i not in allowed:
                scores.append(-1.0)
                continue
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.len[i] / self.avg)
            for t in set(query):
                f = c.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            scores.append(s)
        return sorted(range(len(scores)), key=lambda i: -scores[i])


_MINUTES_WORDS = {"päätös", "ehdotus", "kaupunki", "lautakunta", "hyväksyä", "päättää", "esittää", "asia"}
# (label, backend, compounds, post-filter on the token list)
_VARIANTS: list[tuple[str, str, str, Callable[[list[str]], list[str]]]] = [
    ("voikko, heads", "voikko", "heads", lambda x: x),
    ("voikko, no compound parts", "voikko", "none", lambda x: x),
    ("voikko, heads + left parts", "voikko", "all", lambda x: x),
    ("voikko, heads, minutes stopwords", "voikko", "heads",
     lambda x: [t for t in x if t not in _MINUTES_WORDS]),
    ("simplemma", "simplemma", "heads", lambda x: x),
    ("stemmer", "stemmer", "heads", lambda x: x),
]


@dataclass
class RetrievalSet:
    """The § items to search and the answerable gold questions with their parsed filters."""

    keys: list[tuple[str, str, int]]  # (body, ISO date, §) per item
    texts: list[str]
    gold: list[dict]
    parsed: dict  # gold id -> assistant.question parse result

    def __post_init__(self) -> None:
        self.key_index = {k: i for i, k in enumerate(self.keys)}

    def relevant(self, g: dict) -> set[int]:
        return {self.key_index.get((c["body"], c["date"], c["section"])) for c in g["citations"]} - {None}

    def allowed_for(self, q) -> set[int] | None:  # noqa: ANN001 - a ParsedQuestion
        if not (q.bodies or q.date_from):
            return None
        return {i for i, (b, d, _) in enumerate(self.keys)
                if (not q.bodies or b in q.bodies) and (not q.date_from or q.date_from <= d <= q.date_to)}


def load_retrieval_set(docs: list[tuple[Path, list[str]]]) -> RetrievalSet:
    from datetime import date

    from assistant.question import BodyInfo, parse_question

    keys, texts = split_items(docs)
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    bodies = [BodyInfo(b) for b in sorted({k[0] for k in keys})]
    parsed = {}
    for g in gold:  # parse once with the default backend: the same filters for every variant
        prev = parsed.get(g.get("follow_up_of", ""))
        parsed[g["id"]] = parse_question(g["question"], today=date.fromisoformat(g.get("as_of", "2026-11-28")),
                                         bodies=bodies, previous=prev)
    return RetrievalSet(keys, texts, [g for g in gold if g.get("citations")], parsed)


def score_mode(bm: MiniBM25, rs: RetrievalSet, mode: str, post: Callable[[list[str]], list[str]]) -> str:
    """Recall@5/@10 and MRR; mode A = whole question, B = parsed keywords + body/date filters."""
    r5 = r10 = mrr = 0.0
    for g in rs.gold:
        rel = rs.relevant(g)
        if not rel:
            continue
        q = rs.parsed[g["id"]]
        if mode == "A":
            ranking = bm.rank(post(T.tokenize(g["question"])))
        else:
            ranking = bm.rank(post(T.tokenize(q.keywords or g["question"])), rs.allowed_for(q))
        r5 += len(rel & set(ranking[:5])) / len(rel)
        r10 += len(rel & set(ranking[:10])) / len(rel)
        first = next((i for i, d in enumerate(ranking[:100]) if d in rel), None)
        mrr += 0 if first is None else 1 / (first + 1)
    n = len(rs.gold)
    return f"{mode}: R@5 {r5 / n:.3f} R@10 {r10 / n:.3f} MRR {mrr / n:.3f}"


def bench_retrieval(docs: list[tuple[Path, list[str]]]) -> None:
    if not GOLD.exists():
        print("no gold file; skipping retrieval check")
        return
    rs = load_retrieval_set(docs)
    print(f"retrieval: {len(rs.texts)} items, {len(rs.gold)} answerable gold questions; A = whole question, "
          "B = parsed keywords (question if empty) + body/date filters")
    for label, backend, compounds, post in _VARIANTS:
        T.COMPOUNDS = compounds  # select_backend() clears the word caches
        try:
            T.select_backend(backend)
        except ValueError:
            print(f"{label:36s} unavailable")
            continue
        bm = MiniBM25([post(d) for d in T.tokenize_many(rs.texts)])
        print(f"{label:34s} " + " | ".join(score_mode(bm, rs, mode, post) for mode in ("A", "B")))
    T.COMPOUNDS = "heads"
    T.select_backend(None)


def bench_questions() -> None:
    """Parse time per question (assistant.question) over the gold and peer question sets."""
    from datetime import date

    from assistant.question import BodyInfo, parse_question

    questions = []
    if GOLD.exists():
        questions += [json.loads(x)["question"] for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    for f in sorted((SHARED / "eval" / "peer-questions").glob("*.md")):
        questions += re.findall(r"^\s*\d+\.\s+(.+\?)\s*$", f.read_text(encoding="utf-8"), re.M)
    if not questions:
        return
    bodies = [BodyInfo(d.name.replace("_", " ")) for d in sorted(CORPUS.iterdir()) if d.is_dir() and d.name != "muut"]
    today = date(2026, 11, 28)
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        for q in questions:
            parse_question(q, today=today, bodies=bodies)
        dt = time.perf_counter() - t0
        print(f"parse_question {label}: {len(questions)} questions, {1000 * dt / len(questions):.2f} ms/question")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N PDFs")
    ap.add_argument("--retrieval", action="store_true", help="also run the BM25 recall check")
    ap.add_argument("--backends", default="voikko,simplemma,stemmer")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"corpus not found at {CORPUS}; nothing to benchmark")
        return
    bench_questions()
    docs = load_pages(args.limit)
    bench_speed(docs, args.backends.split(","))
    if args.retrieval:
        bench_retrieval(docs)


if __name__ == "__main__":
    main()
