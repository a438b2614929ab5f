"""Item language and Swedish lexical tokens (core.language, core.tokens hook)."""

from __future__ import annotations

from core import language, tokens

SV = "Kommunstyrelsen godkänner att simhallen renoveras och att kostnaden är 900 000 euro enligt förslaget."
FI = "Kaupunginhallitus hyväksyy, että uimahalli peruskorjataan ja kustannusarvio on 900 000 euroa."


def test_detect_by_function_words():
    assert language.detect(SV) == "sv"
    assert language.detect(FI) == "fi"
    assert language.detect("Uimahallin peruskorjaus") == "fi"  # no signal: Finnish as before
    # One Swedish name in a Finnish text does not make it Swedish.
    assert language.detect("Vanda och Kervo välfärdsområde on hyvinvointialue, joka ja se päättää.") == "fi"


def test_swedish_tokens_are_stems_in_their_own_namespace():
    toks = tokens.tokenize(SV, "sv")
    assert "sv:simhall" in toks and "sv:renover" in toks
    assert "900000" in toks  # numbers are the same token in both languages
    assert not any(t in ("sv:att", "sv:och", "att", "och") for t in toks)  # function words dropped
    # Inflected forms meet: "simhallen", "simhallens", "simhallar".
    assert {tokens.tokenize(w, "sv")[0] for w in ("simhallen", "simhallens", "simhallar")} == {"sv:simhall"}


def test_finnish_tokens_unchanged_by_default():
    assert tokens.tokenize(FI) == tokens.tokenize(FI, "fi")
    assert not any(t.startswith(language.SV_PREFIX) for t in tokens.tokenize(FI))


def test_query_tokens_carry_both_languages_once():
    q = language.query_tokens("simhallen 900 000")
    assert "sv:simhall" in q and q.count("900000") == 1
    fi = tokens.tokenize("uimahallin peruskorjaus")
    assert language.query_tokens("uimahallin peruskorjaus")[: len(fi)] == fi


def test_signature_names_the_swedish_analyser():
    assert tokens.signature().endswith("+" + language.SIGNATURE)
