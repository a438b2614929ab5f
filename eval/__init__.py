"""Deterministic answer-quality evaluation (``python -m eval``); no model judges answers.

``eval.metrics`` holds the pure metric functions and their definitions (accuracy per
question: answerable → every ``must_contain`` string in the answer AND citation recall
≥ 0.5; unanswerable → the assistant refused). ``eval.run`` asks the questions,
``eval.report`` prints the table and writes the JSON files.
"""

from __future__ import annotations

__all__ = ["metrics"]
