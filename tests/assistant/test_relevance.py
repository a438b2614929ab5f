from __future__ import annotations

import pytest

from assistant.relevance import content_words, word_match
from core.tokens import tokenize


@pytest.mark.parametrize("question,item_text,matched", [
    pytest.param("uimahallin remontti", "Uimahallin peruskorjaus alkaa syksyllä.", True, id="synonym-remontti"),
    pytest.param("katujen auraus", "Katujen talvikunnossapidon urakka.", True, id="synonym-auraus"),
    pytest.param("vuoromaksuista", "Liikuntasalien vuorojen maksut nousevat.", False, id="roots-not-base"),
    pytest.param("kirjastoautosta", "Kirjastoauto hankitaan yhdessä Alajärven kanssa.", True, id="inflected"),
])
def test_word_match(question, item_text, matched):
    words = content_words(question)
    toks = set(tokenize(item_text))
    assert (max(word_match(w, toks) for w in words) >= 0.8) is matched


def test_question_words_are_not_content():
    words = [w[0] for w in content_words("Mitä kaupunginhallitus päätti viimeksi uimahallista?",
                                         generic={"kaupunginhallitus", "päättää"})]
    assert words == ["uimahalli"]


@pytest.mark.skipif(__import__("core.tokens").tokens.BACKEND != "voikko", reason="moods need Voikko")
@pytest.mark.parametrize("question,topic", [
    pytest.param("Kertoisitko mitä asiassa päätettiin uimahallista?", ["uimahalli"], id="conditional-2nd"),
    pytest.param("Tiedätkö mitä uimahallista päätettiin?", ["uimahalli"], id="2nd-person"),
    pytest.param("Kerro uimahallin päätöksistä", ["uimahalli"], id="imperative"),
    pytest.param("Korjataanko uimahalli?", ["korjata", "uimahalli"], id="passive-is-content"),
    pytest.param("Ketkä istuvat uimahallin johtokunnassa?", ["istua", "uimahalli", "johtokunta"], id="3rd-plural-is-content"),
])
def test_a_verb_addressing_the_assistant_is_no_topic(question, topic):
    words = [w[0] for w in content_words(question, generic={"päättää", "päätös", "asia"})]
    assert words == topic
