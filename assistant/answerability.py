"""Calibrated answerability: P(the top retrieved item answers the question) from retrieval features.

A small L2-regularised logistic regression over :class:`assistant.features.Features`,
fitted by Newton's method (IRLS) on standardised features, numpy only. The fitted model
is a small JSON file that records the feature names, the coefficients, the
standardisation and what it was fitted on (question files with sha256, date, n), so a
model is never silently applied to features it was not fitted for.

    model = AnswerabilityModel.load(Path("assistant/answerability.json"))
    if model.predict_proba(features) < model.threshold: refuse …
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.features import FEATURE_NAMES, Features

FORMAT = "answerability-logreg/1"


class ModelFormatError(ValueError):
    """The JSON file is not an answerability model for these features."""


@dataclass
class AnswerabilityModel:
    """Logistic regression on standardised features: ``p = σ(b + w · (x − mean) / scale)``."""

    names: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    l2: float = 1.0
    threshold: float = 0.5  # refuse below; chosen on the fitting data (see scripts/fit_answerability.py)
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for rows of raw feature values (columns in ``names`` order)."""
        z = (np.atleast_2d(np.asarray(x, dtype=float)) - self.mean) / self.scale
        # A feature that cannot be measured (NaN, e.g. ``dense_z`` with two candidates) weighs nothing.
        return self.intercept + np.nan_to_num(z, nan=0.0) @ self.coef

    def predict_proba_many(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for rows of raw feature values."""
        return _sigmoid(self.decision(x))

    def predict_proba(self, features: Features | Mapping[str, float]) -> float:
        """P(answerable) for one question's features."""
        values = features.as_dict() if isinstance(features, Features) else dict(features)
        missing = [n for n in self.names if n not in values]
        if missing:
            raise ModelFormatError(f"features missing for the model: {', '.join(missing)}")
        return float(self.predict_proba_many(np.array([values[n] for n in self.names]))[0])

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "features": list(self.names),
            "coefficients": [round(float(c), 6) for c in self.coef], "intercept": round(float(self.intercept), 6),
            "mean": [round(float(v), 6) for v in self.mean], "scale": [round(float(v), 6) for v in self.scale],
            "l2": self.l2, "threshold": round(float(self.threshold), 4), "fitted_on": self.fitted_on,
        }

    def save(self, path: Path) -> None:
        """Write the model as indented JSON (atomic replace)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, expected: Sequence[str] = FEATURE_NAMES) -> AnswerabilityModel:
        """Build from :meth:`to_json` output; the feature names must be ``expected`` (same order)."""
        if data.get("format") != FORMAT:
            raise ModelFormatError(f"not an answerability model (format {data.get('format')!r})")
        names = tuple(data["features"])
        if tuple(expected) != names:
            raise ModelFormatError(f"model features {names} differ from the pipeline's {tuple(expected)}")
        arrays = [np.asarray(data[k], dtype=float) for k in ("coefficients", "mean", "scale")]
        if any(a.shape != (len(names),) for a in arrays):
            raise ModelFormatError("coefficient, mean and scale lengths must equal the number of features")
        return cls(names, arrays[0], float(data["intercept"]), arrays[1], arrays[2], float(data.get("l2", 1.0)),
                   float(data.get("threshold", 0.5)), dict(data.get("fitted_on") or {}))

    @classmethod
    def load(cls, path: Path, *, expected: Sequence[str] = FEATURE_NAMES) -> AnswerabilityModel:
        """Read a model file written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ModelFormatError(f"{path}: cannot read the answerability model ({e})") from e
        return cls.from_json(data, expected=expected)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))


def fit(x: np.ndarray, y: np.ndarray, *, names: Sequence[str] = FEATURE_NAMES, l2: float = 1.0,
        fitted_on: Mapping[str, Any] | None = None, max_iter: int = 50, tol: float = 1e-8) -> AnswerabilityModel:
    """Fit L2-regularised logistic regression by Newton/IRLS on standardised features.

    The intercept is not penalised. ``l2`` is the penalty on the standardised
    coefficients (λ/2 · ||w||²), which keeps the fit stable with few questions and
    separable data; the predicted probabilities are then Platt-style calibrated scores.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(names):
        raise ValueError(f"x must be (n, {len(names)}) with n = len(y)")
    if len(set(y.tolist())) < 2:
        raise ValueError("both classes (answerable and not) are needed to fit")
    if np.isnan(x).all(axis=0).any():
        raise ValueError("a feature is never measured")
    mean = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), mean, x)  # unmeasured → the mean: it weighs nothing, as in ``decision``
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature: its coefficient stays ~0
    z = np.c_[np.ones(len(y)), (x - mean) / scale]
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], float(l2))
    penalty[0] = 0.0
    for _ in range(max_iter):
        p = _sigmoid(z @ w)
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < tol:
            break
    return AnswerabilityModel(tuple(names), w[1:], float(w[0]), mean, scale, float(l2),
                              fitted_on=dict(fitted_on or {}))


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict[str, float]]:
    """Reliability table: per probability bin, n, mean predicted and observed rate."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (p >= lo) & ((p < hi) if hi < 1.0 else (p <= hi))
        if m.any():
            out.append({"from": float(lo), "to": float(hi), "n": int(m.sum()),
                        "predicted": float(p[m].mean()), "observed": float(y[m].mean())})
    return out


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of probabilities (lower is better; 0.25 = always 0.5)."""
    return float(np.mean((np.asarray(p, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The probability cut with the highest accuracy on (p, y); ties → the middle of the tied range."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=bool)
    cands = np.unique(np.r_[0.5, (np.sort(p)[:-1] + np.sort(p)[1:]) / 2 if len(p) > 1 else []])
    acc = np.array([np.mean((p >= c) == y) for c in cands])
    best = cands[acc == acc.max()]
    return float(np.median(best))
