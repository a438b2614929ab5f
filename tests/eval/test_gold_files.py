"""The Lapua gold files hold up against the PDFs: schema, citations, must_contain, split rule."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "lapua"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/lapua puuttuu")
def test_gold_files_check_against_the_pdfs():
    r = subprocess.run([sys.executable, str(ROOT / "eval" / "gold" / "check_gold.py"), "--strict-item",
                        "--corpus", str(CORPUS)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert r.stdout.rstrip().endswith("OK")
