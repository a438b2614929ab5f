# Two commands for a fresh machine (Debian, Python 3.11):
#   make run   install into .venv and start the app on the built-in demo corpus (http://127.0.0.1:7860)
#   make test  install test tools (incl. headless Chromium), gate answer quality (python -m eval), run every test tier
#              (bare `pytest` runs only the fast tier; see tests/README.md)
.PHONY: run test eval bench lint

run:
	bash scripts/setup.sh
	GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 .venv/bin/python app.py

test:
	bash scripts/setup.sh --dev
	bash scripts/eval_gate.sh
	HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False .venv/bin/python -m pytest -m ""

eval:
	bash scripts/setup.sh
	.venv/bin/python -m eval

bench:
	bash scripts/setup.sh --dev
	for f in bench/*.py; do .venv/bin/python $$f || exit 1; done

lint:
	.venv/bin/ruff check .
