#!/usr/bin/env bash
# Answer-quality gate run by `make test`: the demo set always, the Lapua dev set when ../shared exists.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m eval --min-accuracy 0.8 --min-citation-recall 0.85 --min-refusal-accuracy 0.85 --max-ungrounded 0 --max-unretrieved 0
if [ -d ../shared/corpus/lapua ] && [ -f ../shared/eval/lapua-dev-gold.jsonl ]; then
  .venv/bin/python -m eval --corpus ../shared/corpus/lapua --questions ../shared/eval/lapua-dev-gold.jsonl \
    --out var/eval/lapua-results.jsonl --report var/eval/lapua-report.json \
    --min-accuracy 0.85 --min-citation-recall 0.9 --min-refusal-accuracy 0.9 --max-ungrounded 0 --max-unretrieved 0
else
  echo "../shared puuttuu: Lapuan kehitysjoukko ohitetaan."
fi
