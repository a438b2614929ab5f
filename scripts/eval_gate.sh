#!/usr/bin/env bash
# Answer-quality gate run by `make test`: the demo set always; when ../shared exists, the Lapua dev set
# and the Lapua *test* split (eval/gold/lapua-test.jsonl), which nothing is tuned on.
#
# The thresholds are regression gates, set a little below what the current code measures (README,
# "Measured"), with room for the build-to-build variance of Chroma's HNSW graph (one or two questions).
# Issue 10's targets for the test split (accuracy 0.85, correct refusals 0.95, tune-test gap 0.05) are
# not reached and are reported, not gated. Citation precision (0.92–0.94 against 0.90) is gated with a
# small margin; the median length (590–608 against 600) with the gate's 630. Measured: accuracy 0.78
# (56 of 72; 51–53 before list questions got every entry of their list), correct refusals 1.00 (9 of 9),
# gap 0.07.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m eval --min-accuracy 0.8 --min-citation-recall 0.85 --min-refusal-accuracy 0.85 --max-ungrounded 0 --max-unretrieved 0
if [ -d ../shared/corpus/lapua ] && [ -f ../shared/eval/lapua-dev-gold.jsonl ]; then
  .venv/bin/python -m eval --corpus ../shared/corpus/lapua --questions ../shared/eval/lapua-dev-gold.jsonl \
    --out var/eval/lapua-results.jsonl --report var/eval/lapua-report.json \
    --min-accuracy 0.85 --min-citation-recall 0.9 --min-refusal-accuracy 0.8 --max-ungrounded 0 --max-unretrieved 0
  .venv/bin/python -m eval --corpus ../shared/corpus/lapua --split-dir eval/gold \
    --out var/eval/lapua-gold-results.jsonl --report var/eval/lapua-gold-report.json \
    --gate-split test --min-accuracy 0.74 --min-citation-precision 0.9 --min-refusal-accuracy 0.85 \
    --max-median-chars 630 --max-gap 0.12 --max-ungrounded 0 --max-unretrieved 0
else
  echo "../shared puuttuu: Lapuan kehitys- ja testijoukot ohitetaan."
fi
