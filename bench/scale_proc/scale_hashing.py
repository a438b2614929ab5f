"""Bench-only embedder for bench/scale.py: signed word hashing into 384 dimensions, L2-normalised.

Standalone on purpose (numpy and the standard library only): the old and the new store design are
measured in separate processes that each import their own ``core``/``ingest``/``assistant``, and both
must embed with exactly this code, so it lives beside the probe rather than in either tree's packages.
"""

from __future__ import annotations

import zlib

import numpy as np


class HashingEmbedder:
    """Deterministic and fast, so that the store and the search are what is measured, not a model.

    384 dimensions is the size of e5-small, so vectors cost Chroma what real ones would.
    """

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
