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


@pytest.mark.skipif(__import__("core.tokens").tokens.BACKEND != "voikko", reason="readings need Voikko")
@pytest.mark.parametrize("word, rare, common", [("maksaa", "maksa", "maksaa"), ("uimahallista", "uimahallinen", "uimahalli")])
def test_a_word_with_two_readings_leads_with_the_one_the_minutes_use(word, rare, common):
    from assistant.relevance import _preferred_base

    # "Paljonko se maksaa?": the analyser lists the noun maksa (liver) first; the index's document
    # frequencies say which reading the minutes use. Swapped frequencies swap the lead.
    idf = {rare: 6.0, common: 3.0}
    assert _preferred_base(word, tokenize(word), lambda b: idf.get(b, 9.0))[0] == common
    swapped = {rare: 3.0, common: 6.0}
    assert _preferred_base(word, tokenize(word), lambda b: swapped.get(b, 9.0))[0] == rare


@pytest.mark.skipif(__import__("core.tokens").tokens.BACKEND != "voikko", reason="readings need Voikko")
def test_without_an_index_the_noun_reading_leads():
    from assistant.relevance import _preferred_base

    # "maata" is the noun maa or the verb maata: each reading's own class decides, not list positions.
    assert _preferred_base("maata", tokenize("maata"))[0] == "maa"
    assert _preferred_base("uimahallista", tokenize("uimahallista"))[0] == "uimahalli"


def test_a_topic_word_weighs_as_the_reading_it_was_read_as():
    from assistant.lexicon import Lexicon
    from assistant.relevance import _weight

    idf = {"maksaa": 3.7, "maksa": 4.7, "paatos": 9.0, "päätös": 2.0}
    lex = Lexicon(lambda t: idf.get(t, 9.0), lambda _i: set(), vocabulary=frozenset({"maksaa", "maksa", "päätös"}))
    # Read as the verb, the word weighs as the verb: its rarer reading (the noun maksa) does not lift it.
    assert _weight(("maksaa", "maksa"), ("maksaa", "maksa"), lex) == 3.7
    # A form the minutes do not hold ("paatos" typed without ä/ö) weighs as its rarest indexed fallback.
    assert _weight(("paatos",), ("paatos", "päätös"), lex) == 9.0
    assert _weight(("paatos",), ("päätös",), lex) == 2.0
