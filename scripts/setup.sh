#!/usr/bin/env bash
# Creates .venv inside the project and installs what the project needs.
# Idempotent: returns in about a second when pyproject.toml, constraints.txt and the system packages
# are unchanged. constraints.txt pins every package to the version the tests passed with.
#   scripts/setup.sh         runtime (app, ingest, assistant, eval)
#   scripts/setup.sh --dev   runtime + test tools + headless Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=0
[ "${1:-}" = "--dev" ] && DEV=1
PY=${PYTHON:-python3}

apt_pkgs=(libvoikko1 voikko-fi)
[ "$DEV" = 1 ] && apt_pkgs+=(chromium chromium-driver fonts-dejavu-core)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Asennetaan järjestelmäpaketit: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Huom: puuttuvat järjestelmäpaketit ${missing[*]} (asenna: sudo apt-get install ${missing[*]})." >&2
    echo "      Ilman Voikkoa käytetään karkeampaa suomen sanojen perusmuotoistusta." >&2
  fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp_of() { (cat pyproject.toml constraints.txt; echo "dev=$1") | sha256sum | cut -c1-16; }
stamp=".venv/.setup-$(stamp_of "$DEV")"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # The CPU build of torch first, so that no dependency pulls a multi-GB CUDA build.
  .venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/python -m pip install -q -c constraints.txt "torch==2.13.0"
  extra=""
  [ "$DEV" = 1 ] && extra="[dev]"
  # -c: the exact versions the tests passed with; a newer release cannot slip in on a fresh machine.
  .venv/bin/python -m pip install -q -c constraints.txt -e ".${extra}"
  rm -f .venv/.setup-*
  touch "$stamp"
  # A runtime-only install must not hide the dev stamp's packages: keep the dev stamp meaning "dev too".
  # (an if, not `[ … ] && touch`: that would make the script exit 1 on a runtime-only first install)
  if [ "$DEV" = 1 ]; then touch ".venv/.setup-$(stamp_of 0)"; fi
fi
