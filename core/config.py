"""Settings, read once from documented environment variables and passed down.

No other module reads ``os.environ`` for configuration; the README's table
lists every variable here with its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = PROJECT_ROOT / "var" / "store"
DEMO_CORPUS = PROJECT_ROOT / "data" / "demo"
DEFAULT_EMBEDDING_MODEL = "multilingual-e5-small"
DEFAULT_MODEL_CACHE = PROJECT_ROOT / "var" / "models"


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product. Build with ``Settings.from_env()``."""

    store_dir: Path = DEFAULT_STORE
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_batch: int = 16
    embedding_threads: int = 0  # 0: torch default (all cores)
    embedding_max_tokens: int = 256
    model_cache: Path = DEFAULT_MODEL_CACHE  # the converted default model lives in a folder below
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: int = 100
    today: str | None = None  # ISO date that relative dates resolve against
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    demo_corpus: Path = DEMO_CORPUS

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read the environment once; keyword overrides win (used by CLIs and tests)."""
        e = os.environ if env is None else env
        s = cls(
            store_dir=Path(e.get("MINUTES_STORE", str(DEFAULT_STORE))),
            embedding_model=e.get("EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL),
            embedding_batch=int(e.get("EMBEDDING_BATCH", "16")),
            embedding_threads=int(e.get("EMBEDDING_THREADS", "0")),
            embedding_max_tokens=int(e.get("EMBEDDING_MAX_TOKENS", "256")),
            model_cache=Path(e.get("MINUTES_MODEL_CACHE", str(DEFAULT_MODEL_CACHE))),
            chroma_host=e.get("CHROMA_HOST") or None,
            chroma_port=int(e.get("CHROMA_PORT", "8000")),
            max_file_mb=int(e.get("MINUTES_MAX_FILE_MB", "100")),
            today=e.get("MINUTES_TODAY") or None,
            llm_base_url=e.get("LLM_BASE_URL") or None,
            llm_model=e.get("LLM_MODEL") or None,
            llm_api_key=e.get("LLM_API_KEY") or None,
            llm_timeout=float(e.get("LLM_TIMEOUT", "30")),
            demo_corpus=Path(e.get("MINUTES_DEMO_CORPUS", str(DEMO_CORPUS))),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(s, **clean) if clean else s  # type: ignore[arg-type]
