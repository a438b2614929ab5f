from __future__ import annotations

import pytest

from assistant import prompts


def test_every_template_loads_with_its_declared_variables():
    for name in prompts.TEMPLATE_VARIABLES:
        tpl = prompts.load(name)
        assert set(prompts.variables(tpl)) <= prompts.TEMPLATE_VARIABLES[name]


def test_missing_variable_is_named():
    with pytest.raises(prompts.MissingVariablesError, match="citation"):
        prompts.render("fact_fi", quote="Hinta on 850 000 euroa.")


def test_unknown_template_lists_valid_names():
    with pytest.raises(ValueError, match="refuse_fi"):
        prompts.load("nope")


def test_refusal_is_one_sentence_used_by_the_llm_prompt():
    assert prompts.REFUSAL == "En löytänyt pöytäkirjoista vastausta tähän kysymykseen."
    assert prompts.REFUSAL in prompts.render("llm_system_fi", refusal=prompts.REFUSAL)
