"""Bench-only embedder for bench/scale.py: signed word hashing into 384 dimensions, L2-normalised.

Standalone on purpose (numpy and the standard library only): the old and the new store design are
measured in separate processes that each import their own ``core``/``ingest``/``assistant``, and both
must embed with exactly this code, so it lives beside the probe rather than in either tree's packages.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1 << 18)
def _slot(word: str) -> tuple[int, float]:
    h = zlib.crc32(word.encode())
    return h % HashingEmbedder.dim, 1.0 if h & 0x80000000 else -1.0


class HashingEmbedder:
    """Deterministic and fast, so that the store and the search are what is measured, not a model.

    384 dimensions is the size of e5-small, so vectors cost Chroma what real ones would.
    """

    name = "bench-hashing-384"
    dim = 384

    def _vec(self, text: str) -> list[float]:
        slots = [_slot(w) for w in text.lower().split()]
        # Sums of ±1 are exact in any float type: the same vector as adding word by word, ~10× faster.
        v = np.bincount([i for i, _s in slots], weights=[s for _i, s in slots], minlength=self.dim)
        v = v.astype(np.float32)
        n = float(np.linalg.norm(v)) or 1.0
        return (v / n).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)
