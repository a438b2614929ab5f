from __future__ import annotations

import pytest

from assistant.fusion import rrf


def test_item_ranked_by_both_beats_item_first_in_one():
    fused = rrf([["a", "b", "c"], ["b", "d", "a"]])
    assert [i for i, _ in fused][:2] == ["b", "a"]


def test_duplicates_in_one_ranking_count_once():
    once = dict(rrf([["a", "b"]]))
    twice = dict(rrf([["a", "a", "b"]]))
    assert once == twice


def test_weights_shift_the_order():
    fused = rrf([["a"], ["b"]], weights=[1.0, 2.0])
    assert fused[0][0] == "b"


@pytest.mark.parametrize("rankings", [pytest.param([], id="none"), pytest.param([[], []], id="empty-lists")])
def test_empty_input(rankings):
    assert rrf(rankings) == []


def test_weights_length_checked():
    with pytest.raises(ValueError, match="2 weights for 1 rankings"):
        rrf([["a"]], weights=[1.0, 1.0])
