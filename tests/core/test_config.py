"""Settings are validated once: a bad value is a ConfigError naming the variable and the value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError, MinutesError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("name", "value"), [
    ("EMBEDDING_BATCH", "abc"),
    ("EMBEDDING_BATCH", "0"),
    ("EMBEDDING_BATCH", "-4"),
    ("EMBEDDING_THREADS", "-1"),
    ("EMBEDDING_MAX_TOKENS", "1.5"),
    ("CHROMA_PORT", "70000"),
    ("MINUTES_MAX_FILE_MB", "-10"),
    ("MINUTES_TODAY", "2025-13-45"),
    ("MINUTES_TODAY", "eilen"),
    ("LLM_TIMEOUT", "x"),
    ("LLM_TIMEOUT", "-3"),
    ("LLM_TIMEOUT", "nan"),
])
def test_bad_value_is_a_config_error_naming_variable_and_value(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env(env={name: value})
    assert isinstance(err.value, MinutesError)
    msg = err.value.message()
    assert name in msg and repr(value) in msg
    assert "Virheellinen asetus" in msg  # Finnish for the user


def test_good_values_are_parsed_and_empty_means_default() -> None:
    s = Settings.from_env(env={"EMBEDDING_BATCH": " 8 ", "MINUTES_TODAY": "2025-03-17", "LLM_TIMEOUT": "2.5",
                               "EMBEDDING_THREADS": "", "CHROMA_PORT": "8001"})
    assert (s.embedding_batch, s.today, s.llm_timeout, s.embedding_threads, s.chroma_port) == (
        8, "2025-03-17", 2.5, 0, 8001)


def test_as_of_override_is_checked_like_minutes_today() -> None:
    with pytest.raises(ConfigError, match="--as-of"):
        Settings.from_env(env={}, today="2025-02-30")


@pytest.mark.parametrize("module", ["assistant", "ingest", "eval"])
def test_cli_prints_the_message_without_traceback_and_exits_2(module: str, tmp_path: Path) -> None:
    env = {**os.environ, "EMBEDDING_BATCH": "abc", "MINUTES_STORE": str(tmp_path / "store")}
    args = {"assistant": ["kysymys"], "ingest": [str(tmp_path)], "eval": []}[module]
    r = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "EMBEDDING_BATCH" in r.stderr and "'abc'" in r.stderr
    assert "Traceback" not in r.stderr
