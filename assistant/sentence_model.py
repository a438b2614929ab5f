"""Which sentence of a chosen item answers: a logistic model over the sentence's features.

The features are what ``assistant.evidence.rank_sentences`` measures of every sentence
and table row (overlap with the question's topic words, the item title's overlap, a value
of the asked type, the question's names, its role in the item, the item's place among
the contenders, length, procedure), plus the e5 similarity of question and sentence.
Two models are fitted on the tune questions by ``scripts/fit_sentences.py`` (label: the
sentence holds the gold evidence or the facts the answer must contain):

* ``words`` without the similarity: it ranks every sentence and picks a shortlist;
* ``meaning`` with it: it re-ranks the shortlist, whose sentences alone are embedded.

``support`` is the probability a sentence needs to be shown as a supporting line; it is
chosen on the fitting data so that a line shown is more often an answer than not.
Without the model file (a checkout before fitting) the hand weights in ``evidence`` apply.
"""

from __future__ import annotations

import json
import logging
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answerability import AnswerabilityModel, ModelFormatError

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("sentences.json")
FORMAT = "sentence-logreg/1"
ROLES = ("changed", "decision", "vote", "proposal", "earlier", "note")  # "background" is the base level
WORD_FEATURES = ("lexical", "title", "typed", "named", *ROLES, "item_rank", "long", "procedure")
MEANING_FEATURES = (*WORD_FEATURES, "similarity")


@dataclass(frozen=True)
class SentenceFeatures:
    """What is measured of one sentence (see the module docstring)."""

    lexical: float
    title: float
    typed: float
    named: float
    role: str
    item_rank: float
    long: float
    procedure: float

    def vector(self) -> list[float]:
        lex, title, typed, named, role, rank, long, proc = astuple(self)
        return [lex, title, typed, named, *(1.0 if role == r else 0.0 for r in ROLES), rank, long, proc]


@dataclass(frozen=True)
class SentenceScorer:
    """The two fitted models and the support cut."""

    words: AnswerabilityModel
    meaning: AnswerabilityModel
    support: float
    fitted_on: dict[str, Any]

    def word_logit(self, f: SentenceFeatures) -> float:
        return float(self.words.decision(np.array(f.vector()))[0])

    def meaning_logit(self, f: SentenceFeatures, similarity: float) -> float:
        return float(self.meaning.decision(np.array([*f.vector(), similarity]))[0])

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "words": self.words.to_json(), "meaning": self.meaning.to_json(),
                "support": round(float(self.support), 4), "fitted_on": self.fitted_on}

    def save(self, path: Path) -> None:
        tmp = Path(path).with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentenceScorer:
        if data.get("format") != FORMAT:
            raise ModelFormatError(f"not a sentence model (format {data.get('format')!r})")
        return cls(AnswerabilityModel.from_json(data["words"], expected=WORD_FEATURES),
                   AnswerabilityModel.from_json(data["meaning"], expected=MEANING_FEATURES),
                   float(data["support"]), dict(data.get("fitted_on") or {}))


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0))))


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> SentenceScorer | None:
    """The fitted scorer, or ``None`` (hand weights) when the file is missing or unreadable."""
    if not Path(path).exists():
        return None
    try:
        return SentenceScorer.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as e:
        logger.warning("sentence model ignored: %s", e)
        return None
