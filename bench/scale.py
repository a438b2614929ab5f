"""Scale benchmark: synthetic minutes at 10k / 100k (/ 1M) items through the real ingest and search.

    python bench/scale.py [--sizes 10000,100000] [--million] [--queries 60] [--keep DIR]

Per size it prints: cold build time, time to add one meeting (20 items) to the
existing store, query p50/p95 for lexical, dense, hybrid and filtered (body +
month) searches, peak RSS of a fresh reader (assistant) process, and disk size.
Vectors come from a fast deterministic hashing embedder that exists only here,
so that what is measured is the store and the search, not the model. Prints
figures; asserts nothing. Texts are generated from templates and word lists
written for this benchmark (fictional).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ITEMS_PER_MEETING = 20
BODIES = [("KH", "Kaupunginhallitus"), ("KV", "Kaupunginvaltuusto"), ("Tekla", "Tekninen lautakunta"),
          ("Sivla", "Sivistyslautakunta"), ("PKTALK", "Pohjois-Karjalan työllisyysalueen lautakunta")]
TOPICS = ["päiväkodin laajennus", "koulukeskuksen peruskorjaus", "kevyen liikenteen väylä", "uimahallin katto",
          "vesihuollon saneeraus", "asemakaavan muutos", "katuvalaistuksen uusiminen", "nuorisotilan vuokra",
          "kirjaston aukioloajat", "talousarvion muutos", "tilinpäätös", "henkilöstön palkkaus",
          "maa-alueen myynti", "tonttien hinnoittelu", "avustusten jakaminen", "hankintapäätös",
          "liikuntapaikkojen kunnossapito", "kotoutumisohjelma", "työllisyyspalvelut", "jätehuoltomääräykset"]
WORDS = ("hanke selvitys kustannusarvio urakoitsija aikataulu rakennus kiinteistö määräraha investointi "
         "asukas palvelu sopimus valtuusto lautakunta esitys lausunto valitus tarkastus suunnitelma alue "
         "katu kortteli tontti koulu päiväkoti kirjasto liikunta nuoriso vesijohto viemäri energia lämpö "
         "ilmanvaihto kunnostus rahoitus avustus vuokra hinta tarjous kilpailutus hankinta työllistäminen").split()
MUNICIPALITIES = ["Järvelän kunta", "Mäntylän kaupunki", "Koivulan kunta", "Rantalan kaupunki",
                  "Harjulan kunta", "Salmelan kunta", "Kalliolan kaupunki", "Niemelän kunta"]
DECISIONS = ["Hyväksyttiin yksimielisesti.", "Lautakunta hyväksyi esityksen.", "Merkittiin tiedoksi.",
             "Asia palautettiin uudelleen valmisteltavaksi.", "Hyväksyttiin äänin 7–4."]


class HashingEmbedder:
    """Bench-only embedder: signed word hashing into 384 dimensions (the size of e5-small), L2-normalised."""

    name = "bench-hashing-384"
    dim = 384

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in text.lower().split():
            h = zlib.crc32(w.encode())
            v[h % self.dim] += 1.0 if h & 0x80000000 else -1.0
        n = float(np.linalg.norm(v)) or 1.0
        return (v / n).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def meeting_text(rng: random.Random, abbr: str, day: date, first_section: int, case_base: int,
                 municipality: str = MUNICIPALITIES[0]) -> str:
    parts = [f"{municipality}\nPöytäkirja\n"]
    for k in range(ITEMS_PER_MEETING):
        topic = rng.choice(TOPICS)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 260)))
        euros = rng.randint(1, 900) * 1000
        parts.append(
            f"{topic.capitalize()} {rng.randint(1, 40)}\n\n{abbr} {day.day:02d}.{day.month:02d}.{day.year} § "
            f"{first_section + k}\n{case_base + k}/02.02.00/{day.year}\n\n{body}. Kustannusarvio on {euros} euroa.\n\n"
            f"Valmistelija: hallintojohtaja\n\nPäätösehdotus:\n\nLautakunta päättää: {topic}.\n\n"
            f"Päätös:\n\n{rng.choice(DECISIONS)}\n")
    return "\n".join(parts)


def write_corpus(folder: Path, n_items: int, seed: int = 7) -> list[tuple[str, date]]:
    """One file per meeting; (body abbreviation, date) pairs are unique, spread over ten years."""
    rng = random.Random(seed)
    meetings = n_items // ITEMS_PER_MEETING
    per_town = len(BODIES) * 3650
    slots = rng.sample(range(len(MUNICIPALITIES) * per_town), meetings)
    out = []
    for m, slot in enumerate(slots):
        town, rest = divmod(slot, per_town)
        abbr = BODIES[rest % len(BODIES)][0]
        day = date(2016, 1, 1) + timedelta(days=rest // len(BODIES))
        sub = folder / MUNICIPALITIES[town].split()[0] / abbr / str(day.year)
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{abbr}-{day.isoformat()}.txt").write_text(
            meeting_text(rng, abbr, day, 1 + (m % 5) * ITEMS_PER_MEETING, 1000 + m * ITEMS_PER_MEETING,
                         MUNICIPALITIES[town]),
            encoding="utf-8")
        out.append((abbr, day))
    return out


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


QUERY_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench.scale import HashingEmbedder
from assistant.index import SearchIndex
from assistant.types import Query
from core.config import Settings
from core.tokens import tokenize
import numpy as np

t = time.perf_counter()
index = SearchIndex(Settings.from_env(env={}, store_dir=Path(sys.argv[1])), HashingEmbedder())
open_s = time.perf_counter() - t
questions = json.loads(sys.argv[2])
times = {"lexical": [], "dense": [], "hybrid": [], "filtered": []}
for q in questions:
    toks = tokenize(q["text"])
    t = time.perf_counter(); index.lexical(toks, None, 20); times["lexical"].append(time.perf_counter() - t)
    t = time.perf_counter(); index.dense(q["text"], None, 20); times["dense"].append(time.perf_counter() - t)
    t = time.perf_counter(); index.lexical(toks, None, 20); index.dense(q["text"], None, 20)
    times["hybrid"].append(time.perf_counter() - t)
    from assistant.index import build_where
    fq = Query(text=q["text"], bodies=[q["body"]], date_from=q["from"], date_to=q["to"])
    t = time.perf_counter()
    allowed = {it.item_id for it in index.filtered(fq)}
    index.lexical(toks, allowed, 20); index.dense(q["text"], build_where(fq), 20)
    times["filtered"].append(time.perf_counter() - t)
out = {k: [float(np.percentile(v, 50)) * 1000, float(np.percentile(v, 95)) * 1000] for k, v in times.items()}
out["open_s"] = open_s
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def questions(meetings: list[tuple[str, date]], n: int, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    names = dict(BODIES)
    out = []
    for _ in range(n):
        abbr, day = rng.choice(meetings)
        last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append({"text": f"Mitä päätettiin asiasta {rng.choice(TOPICS)} {rng.choice(WORDS)}?",
                    "body": names[abbr], "from": day.replace(day=1).isoformat(), "to": last.isoformat()})
    return out


def bench_size(n_items: int, work: Path, n_queries: int) -> dict[str, object]:
    from core.config import Settings
    from ingest.pipeline import run

    corpus, store = work / f"corpus-{n_items}", work / f"store-{n_items}"
    meetings = write_corpus(corpus, n_items)
    settings = Settings.from_env(env={}, store_dir=store)
    emb = HashingEmbedder()
    t = time.perf_counter()
    s = run([corpus], settings, embedder=emb)
    cold = time.perf_counter() - t
    extra = work / f"extra-{n_items}"
    extra.mkdir()
    (extra / "KH-2030-01-15.txt").write_text(
        meeting_text(random.Random(99), "KH", date(2030, 1, 15), 1, 900000), encoding="utf-8")
    t = time.perf_counter()
    add = run([corpus, extra], settings, embedder=emb)
    add_s = time.perf_counter() - t
    qs = json.dumps(questions(meetings, n_queries))
    res = subprocess.run([sys.executable, "-c", QUERY_SCRIPT, str(store), qs, str(ROOT)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    q = json.loads(res.stdout.strip().splitlines()[-1])
    return {"items": s.items_total, "cold_s": cold, "add_s": add_s, "add_items": add.items_written,
            "disk_mb": disk_mb(store), **q}


def main() -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--million", action="store_true", help="add the 1M-item size (hours on 2 cores)")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder, removed)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x] + ([1_000_000] if args.million else [])
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in sizes:
            r = bench_size(n, work, args.queries)
            rows.append(r)
            print(f"{r['items']:>8} items  cold {r['cold_s']:7.1f} s  add 20 {r['add_s']:6.2f} s "
                  f"(wrote {r['add_items']})  open {r['open_s']:5.1f} s  RSS {r['rss_mb']:6.0f} MB  "
                  f"disk {r['disk_mb']:7.1f} MB", flush=True)
            print("          p50/p95 ms  " + "  ".join(f"{k} {r[k][0]:.0f}/{r[k][1]:.0f}"
                                                      for k in ("lexical", "dense", "hybrid", "filtered")),
                  flush=True)
        if len(rows) > 1:
            a, b = rows[0], rows[-1]
            print(f"growth {a['items']}→{b['items']}: add-one-meeting ×{b['add_s'] / a['add_s']:.1f}, "
                  f"hybrid p95 ×{b['hybrid'][1] / a['hybrid'][1]:.1f}, RSS ×{b['rss_mb'] / a['rss_mb']:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
