#!/usr/bin/env bash
# Answer-quality gate run by `make test`: the demo set always; when ../shared exists, the Lapua dev set
# and the Lapua *test* split (eval/gold/lapua-test.jsonl), which nothing is tuned on.
#
# The thresholds are regression gates, set a little below what the current code measures (README,
# "Measured"), with room for the machine-to-machine variance of the embedder's int8 vectors (their last
# bits differ between CPUs; two stores built on one machine are identical): one or two questions.
# Issue 10's accuracy target for the test split (0.85) is not reached: it is reported, not gated, and so
# is the tune-test gap (0.047 on the last machine, 0.068 on the one before).
# Citation precision (0.92–0.94 against 0.90) is gated with a small margin; the median length (590–608
# against 600) with the gate's 630. Measured: accuracy 0.78 (56 of 72), correct refusals 1.00 (9 of 9).
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
