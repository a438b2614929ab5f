"""Answerability model: fit, calibration helpers, JSON round-trip, monotonic sanity; features."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from assistant import answerability as ab
from assistant.features import FEATURE_NAMES, Features, compute_features, question_entities
from core import tokens as tk
from core.items import AgendaItem


def synthetic(n: int = 400, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Answerable questions have higher coverage and dense similarity (noisy)."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.6
    x = np.c_[rng.random(n) + 0.3 * y, 0.75 + 0.05 * rng.standard_normal(n) + 0.04 * y,
              np.clip(0.4 + 0.4 * y + 0.2 * rng.standard_normal(n), 0, 1), rng.random(n),
              np.ones(n), (rng.random(n) < 0.5 + 0.3 * y).astype(float), (rng.random(n) < 0.7 + 0.2 * y).astype(float)]
    return x, y.astype(float)


def test_fit_separates_and_is_calibrated_on_held_out():
    x, y = synthetic()
    model = ab.fit(x[:300], y[:300], l2=1.0, fitted_on={"files": ["synthetic"], "n": 300})
    p = model.predict_proba_many(x[300:])
    assert np.mean((p >= 0.5) == y[300:]) > 0.8
    assert ab.brier(p, y[300:]) < 0.15
    for row in ab.calibration(p, y[300:], bins=5):
        if row["n"] >= 15:
            assert abs(row["predicted"] - row["observed"]) < 0.25
    assert model.coef[FEATURE_NAMES.index("entity_match")] == pytest.approx(0.0, abs=1e-6)  # constant column


def test_more_coverage_means_higher_probability():
    x, y = synthetic()
    model = ab.fit(x, y)
    base = dict(zip(FEATURE_NAMES, np.median(x, axis=0), strict=True))
    probs = [model.predict_proba({**base, "coverage": c}) for c in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert probs == sorted(probs) and probs[-1] > probs[0] + 0.3


def test_save_load_round_trip(tmp_path):
    x, y = synthetic()
    model = ab.fit(x, y, fitted_on={"files": [{"name": "t.jsonl", "sha256": "ab" * 32}], "n": len(y)})
    model.threshold = 0.42
    path = tmp_path / "m.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURE_NAMES) and data["fitted_on"]["n"] == len(y)
    again = ab.AnswerabilityModel.load(path)
    f = Features(*x[0])
    assert again.predict_proba(f) == pytest.approx(model.predict_proba(f), abs=1e-5)
    assert again.threshold == 0.42


def test_load_refuses_other_features_and_bad_files(tmp_path):
    x, y = synthetic()
    data = ab.fit(x, y).to_json()
    with pytest.raises(ab.ModelFormatError):
        ab.AnswerabilityModel.from_json({**data, "features": list(reversed(FEATURE_NAMES))})
    with pytest.raises(ab.ModelFormatError):
        ab.AnswerabilityModel.from_json({**data, "format": "other"})
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ab.ModelFormatError):
        ab.AnswerabilityModel.load(tmp_path / "bad.json")
    with pytest.raises(ab.ModelFormatError):
        ab.fit(x, y).predict_proba({"coverage": 1.0})


def test_fit_needs_both_classes():
    x, _ = synthetic(20)
    with pytest.raises(ValueError):
        ab.fit(x, np.ones(20))


def test_best_threshold():
    p = np.array([0.1, 0.2, 0.6, 0.7, 0.9])
    y = np.array([0, 0, 1, 1, 1])
    t = ab.best_threshold(p, y)
    assert 0.2 < t <= 0.6


class FakeIndex:
    def __init__(self, items: dict[str, AgendaItem]) -> None:
        self.tokens = {iid: set(tk.tokenize(it.title + " " + it.decision)) for iid, it in items.items()}

    def idf(self, token: str) -> float:
        return 1.0

    def item_tokens(self, item_id: str) -> set[str]:
        return self.tokens.get(item_id, set())


def item(iid: str, title: str, decision: str) -> AgendaItem:
    return AgendaItem(municipality="Testilä", body="Hallitus", date="2024-03-01", section=int(iid), title=title,
                      source="/x/a.pdf", decision=decision)


def test_features_from_retrieval_lists():
    a = item("1", "Kärkkälän Vesi Oy:n laina", "Hallitus myönsi Kärkkälän Vesi Oy:lle 200 000 euron takauksen.")
    b = item("2", "Torin kunnostus", "Hallitus hyväksyi torin kunnostuksen.")
    index = FakeIndex({a.item_id: a, b.item_id: b})
    lex = [(a.item_id, 6.0, 0), (b.item_id, 2.0, 1)]
    dense = [(b.item_id, 0.86, 1), (a.item_id, 0.84, 0), ("other", 0.80, 2), (b.item_id, 0.82, 3)]
    q = "Paljonko takausta Kärkkälän Vesi Oy sai?"
    f = compute_features(q, a, lex, dense, index)
    assert f.rank_agreement == pytest.approx((1 + 0.5) / 2)
    # Each item by its best passage; a's 0.84 among (0.86, 0.80): (0.84 − 0.83) / 0.03.
    assert f.type_match == 1.0 and f.dense_z == pytest.approx(1 / 3)
    g = compute_features(q, b, lex, dense, index)
    assert g.dense_z == pytest.approx(2.0)  # 0.86 among (0.84, 0.80): it stands out
    assert g.type_match == 0.0 and g.entity_match < f.entity_match and g.coverage < f.coverage
    assert compute_features(q, None, [], [], index) == Features(0, 0, 0, 0, 0, 0, 0)
    assert math.isnan(compute_features(q, a, lex, [], index).dense_z)  # no similarity known


@pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs Voikko")
def test_standout_is_the_same_whatever_the_embedders_scale():
    from assistant.features import standout

    e5_like = [0.86, 0.84, 0.83, 0.82]
    wide = [0.6, 0.2, 0.0, -0.2]  # the same order and spacing ×20, shifted
    assert standout(e5_like, 0) == pytest.approx(standout(wide, 0))
    assert math.isnan(standout([0.9, 0.5], 0))  # one other: no spread to compare with
    assert standout([0.85, 0.85, 0.85], 0) == 0.0


def test_an_unmeasured_feature_weighs_nothing():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURE_NAMES)))
    y = (x[:, 0] + x[:, 1] > 0).astype(float)
    x[:20, 1] = np.nan  # dense_z unmeasured in some rows: fitted with the mean in their place
    m = ab.fit(x, y)
    row = np.array([1.0] + [np.nan] + [0.0] * (len(FEATURE_NAMES) - 2))
    at_mean = row.copy()
    at_mean[1] = m.mean[1]
    assert m.predict_proba_many(row)[0] == pytest.approx(m.predict_proba_many(at_mean)[0])
    assert not np.isnan(m.coef).any()


@pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs Voikko")
def test_question_entities():
    assert question_entities("Paljonko takausta Kärkkälän Vesi Oy sai?") == ["Kärkkälän", "Vesi"]
    assert question_entities("Kuka on kaupunginjohtaja?") == []
    # A common-noun compound first in the text is a name when a company form follows it.
    assert question_entities("Infrarakenne Oy:n urakat maksaneet") == ["Infrarakenne"]
    assert question_entities("Infrarakenne urakat maksaneet") == []


def test_year_match_reads_the_meeting_year_and_the_text():
    from assistant.features import question_years, year_match
    from core.items import AgendaItem

    it = AgendaItem(municipality="Esimerkkilä", body="Ympäristölautakunta", date="2024-06-11", section=28,
                    title="Opintomatka", source="x.pdf", proposal="Matka tehdään Espooseen 5.–6.8.2024.")
    assert question_years("Mihin opintomatka suuntautui 2024?") == {"2024"}
    assert question_years("Mitä asiassa LAPDno-2025-514 päätettiin 11.12.2024?") == frozenset()
    assert year_match(frozenset(), it) == 1.0
    assert year_match(frozenset({"2024"}), it) == 1.0
    assert year_match(frozenset({"2027"}), it) == 0.0
    assert year_match(frozenset({"2025"}), AgendaItem(**{**it.__dict__, "proposal": "Talousarvio 2025."})) == 1.0
