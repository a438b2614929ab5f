"""Settings, read once from documented environment variables, validated, and passed down.

No other module reads ``os.environ`` for configuration; the README's table
lists every variable here with its default. A bad value raises
:class:`core.errors.ConfigError` (Finnish, naming the variable and the value)
when the settings are built, not later on the first question.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = PROJECT_ROOT / "var" / "store"
DEMO_CORPUS = PROJECT_ROOT / "data" / "demo"
DEFAULT_EMBEDDING_MODEL = "multilingual-e5-small"
DEFAULT_MODEL_CACHE = PROJECT_ROOT / "var" / "models"

T = TypeVar("T")


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
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read the environment once; keyword overrides win (used by CLIs and tests).

        Raises:
            ConfigError: a variable (or an override) has a value that cannot be used.
        """
        e = os.environ if env is None else env
        s = cls(
            store_dir=Path(e.get("MINUTES_STORE", str(DEFAULT_STORE))),
            embedding_model=e.get("EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL) or DEFAULT_EMBEDDING_MODEL,
            embedding_batch=_read(e, "EMBEDDING_BATCH", 16, _count(1)),
            embedding_threads=_read(e, "EMBEDDING_THREADS", 0, _count(0)),
            embedding_max_tokens=_read(e, "EMBEDDING_MAX_TOKENS", 256, _count(8)),
            model_cache=Path(e.get("MINUTES_MODEL_CACHE", str(DEFAULT_MODEL_CACHE))),
            chroma_host=e.get("CHROMA_HOST") or None,
            chroma_port=_read(e, "CHROMA_PORT", 8000, _port),
            max_file_mb=_read(e, "MINUTES_MAX_FILE_MB", 100, _count(1)),
            today=_read(e, "MINUTES_TODAY", None, _iso_day),
            llm_base_url=e.get("LLM_BASE_URL") or None,
            llm_model=e.get("LLM_MODEL") or None,
            llm_api_key=e.get("LLM_API_KEY") or None,
            llm_timeout=_read(e, "LLM_TIMEOUT", 30.0, _seconds),
            demo_corpus=Path(e.get("MINUTES_DEMO_CORPUS", str(DEMO_CORPUS))),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "today" in clean:  # --as-of on a CLI: the same rule as MINUTES_TODAY
            clean["today"] = _checked("--as-of", str(clean["today"]), _iso_day)
        return replace(s, **clean) if clean else s  # type: ignore[arg-type]


def _read(env: Mapping[str, str], name: str, default: T, parse: Callable[[str], T]) -> T:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    return _checked(name, raw, parse)


def _checked(name: str, raw: str, parse: Callable[[str], T]) -> T:
    try:
        return parse(raw.strip())
    except ValueError as err:
        raise ConfigError(name, raw, str(err)) from None


def _count(minimum: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            v = int(raw)
        except ValueError:
            raise ValueError("anna kokonaisluku") from None
        if v < minimum:
            raise ValueError(f"pienin sallittu arvo on {minimum}")
        return v

    return parse


def _port(raw: str) -> int:
    v = _count(1)(raw)
    if v > 65535:
        raise ValueError("portti on väliltä 1–65535")
    return v


def _seconds(raw: str) -> float:
    try:
        v = float(raw)
    except ValueError:
        raise ValueError("anna sekunnit numerona, esim. 30") from None
    if not math.isfinite(v) or v <= 0:
        raise ValueError("anna positiivinen sekuntimäärä")
    return v


def _iso_day(raw: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValueError("päivämäärä muodossa VVVV-KK-PP, esim. 2025-03-17") from None
