"""Tests for the Finnish tokenizer (core.tokens)."""

from __future__ import annotations

import logging
import sys

import pytest

from core import tokens

voikko_only = pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")


@pytest.fixture
def restore_backend():
    """A MonkeyPatch undone BEFORE the best backend is re-selected after the test."""
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()
    tokens.COMPOUNDS = "heads"
    tokens.select_backend(None)


@voikko_only
@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        pytest.param("uimahallin", "uimahalli", id="uimahallin-uimahalli"),
        pytest.param("uimahallin", "halli", id="uimahallin-halli-head"),
        pytest.param("hallin", "halli", id="hallin-halli"),
        pytest.param("katuvalaistuksen", "katuvalaistus", id="katuvalaistuksen"),
        pytest.param("kirjastoautosta", "kirjastoauto", id="kirjastoautosta"),
        pytest.param("tilinpäätöksen", "tilinpäätös", id="tilinpäätöksen"),
        pytest.param("tarkastuslautakunnan", "lautakunta", id="compound-head-lautakunta"),
        pytest.param("peruskorjauksesta", "korjaus", id="peruskorjaus-head-korjaus"),
        pytest.param("päätettiin", "päättää", id="passive-verb"),
        pytest.param("Kaupunginhallitukselle", "kaupunginhallitus", id="capitalised"),
        pytest.param("sähköpotkulaudoista", "sähköpotkulauta", id="plural-elative"),
    ],
)
def test_inflected_form_meets_base_form(inflected: str, base: str) -> None:
    assert base in tokens.tokenize(inflected)


@voikko_only
@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("uimahallin rakentaminen", "uimahalli", id="uimahalli"),
        pytest.param("katuvalaistuksen uusiminen", "katuvalaistus", id="katuvalaistus"),
        pytest.param("yhteinen kirjastoauto", "kirjastoautosta", id="kirjastoauto"),
        pytest.param("vuoden 2024 tilinpäätös", "tilinpäätöksen", id="tilinpäätös"),
    ],
)
def test_question_and_passage_share_tokens(a: str, b: str) -> None:
    assert set(tokens.tokenize(a)) & set(tokens.tokenize(b))


@voikko_only
def test_compound_heads_but_not_left_parts_by_default() -> None:
    out = tokens.tokenize("peruskorjaus")
    assert out[0] == "peruskorjaus"
    assert "korjaus" in out
    assert "perus" not in out


@voikko_only
def test_left_parts_only_in_all_mode(restore_backend) -> None:
    tokens.COMPOUNDS = "all"
    tokens.select_backend("voikko")
    assert "kirjasto" in tokens.tokenize("kirjastoautosta")
    assert tokens.signature() == f"voikko/{tokens.TOKENIZER_VERSION}/all+sv1"


@voikko_only
def test_past_participle_is_a_form_of_its_verb() -> None:
    # "on myönnetty" and "myönsi" are the same verb; Voikko alone would make the participle its own,
    # rare base form, so a question's "on päätetty" weighed like a topic word.
    assert "myöntää" in tokens.tokenize("Avustus on myönnetty yhdistykselle")
    assert "myönnetty" not in tokens.tokenize("Avustus on myönnetty yhdistykselle")
    assert tokens.tokenize("päätetty") == tokens.tokenize("päätettiin") == ["päättää"]
    assert tokens.tokenize("myöntänyt") == tokens.tokenize("myönsi")
    assert tokens.tokenize("ollut") == []  # the verb is a stopword, so is its participle


@voikko_only
def test_participle_with_a_noun_reading_keeps_its_base_form() -> None:
    # "valtuutettu" is also a noun (a council member): not every reading is a participle.
    assert tokens.tokenize("valtuutettu")[0] == "valtuutettu"
    assert "valtuuttaa" not in tokens.tokenize("kaupunginvaltuutettu")


@voikko_only
def test_unknown_word_is_stemmed_consistently() -> None:
    assert tokens.tokenize("Kookinkallion")[0] == tokens.tokenize("Kookinkallio")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("850 000 euroa", "850000", id="space-thousands"),
        pytest.param("850\u00a0000 euroa", "850000", id="nbsp-thousands"),
        pytest.param("850.000,00 euron", "850000", id="dot-thousands-zero-decimals"),
        pytest.param("19.500 euroa", "19500", id="dot-thousands"),
        pytest.param("1,5 prosenttia", "1,5", id="decimal-comma"),
        pytest.param("kokous 04.03.2025", "4.3.2025", id="date-leading-zeros"),
        pytest.param("Mikä oli asian LAPDno-2025-262 päätös?", "lapdno-2025-262", id="case-id"),
        pytest.param("dnro 1637/00.01.02.06/2025", "1637/00.01.02.06/2025", id="diary-number"),
        pytest.param("§ 12", "12", id="section-number"),
        pytest.param("vuonna 2024", "2024", id="year"),
        pytest.param("tila 8:129", "8:129", id="property-code"),
        pytest.param("408-\u200b404-\u200b8-\u200b129", "408-404-8-129", id="zero-width-in-code"),
        pytest.param("E5-malli", "e5", id="alnum"),
    ],
)
def test_numbers_and_ids_kept_as_single_tokens(text: str, expected: str) -> None:
    assert expected in tokens.tokenize(text)


def test_year_range_splits_into_years() -> None:
    out = tokens.tokenize("vuosille 2025\u20132030")
    assert "2025" in out and "2030" in out


def test_thousands_rule_does_not_glue_years() -> None:
    out = tokens.tokenize("vuosina 2024 2025")
    assert "2024" in out and "2025" in out and "20242025" not in out


@pytest.mark.parametrize("word", ["ja", "on", "että", "oli", "ei", "se", "siitä", "mitä", "kuka", "mikä", "myös"])
def test_stopwords_removed(word: str) -> None:
    assert tokens.tokenize(word) == []


@voikko_only
@pytest.mark.parametrize("word", ["päätös", "ehdotus", "kaupunki", "lautakunta"])
def test_minutes_vocabulary_is_kept(word: str) -> None:
    # measured in bench/tokens.py --retrieval: dropping these lowered MRR
    assert word in tokens.tokenize(word)


def test_case_suffix_after_colon_is_dropped() -> None:
    assert tokens.tokenize("§:ssä 12") == ["12"]


def test_tokenize_many_matches_tokenize() -> None:
    texts = ["Kaupunginhallitus hyväksyi ehdotuksen.", "", "Uimahallin pääpiirustukset 2024"]
    assert tokens.tokenize_many(texts) == [tokens.tokenize(t) for t in texts]


def test_output_is_lowercase() -> None:
    assert all(t == t.lower() for t in tokens.tokenize("LAPUAN KAUPUNKI Tarkastuslautakunta EU:n"))


def test_unknown_backend_name_lists_valid_ones(restore_backend) -> None:
    with pytest.raises(ValueError, match="voikko, simplemma, stemmer"):
        tokens.select_backend("snowball")


@pytest.mark.slow  # simplemma loads its Finnish dictionary: 5-15 s
def test_falls_back_to_simplemma_when_voikko_import_fails(restore_backend, caplog) -> None:
    pytest.importorskip("simplemma")
    restore_backend.setitem(sys.modules, "libvoikko", None)  # makes `import libvoikko` raise ImportError
    with caplog.at_level(logging.WARNING, logger="core.tokens"):
        assert tokens.select_backend(None) == "simplemma"
    assert tokens.BACKEND == "simplemma"
    assert tokens.signature() == f"simplemma/{tokens.TOKENIZER_VERSION}+sv1"
    assert "falls back to simplemma" in caplog.text
    assert "uimahalli" in tokens.tokenize("uimahallin")
    assert "850000" in tokens.tokenize("850 000 euroa")


def test_falls_back_to_stemmer_without_voikko_and_simplemma(restore_backend) -> None:
    pytest.importorskip("Stemmer")
    restore_backend.setitem(sys.modules, "libvoikko", None)
    restore_backend.setitem(sys.modules, "simplemma", None)
    assert tokens.select_backend(None) == "stemmer"
    assert set(tokens.tokenize("uimahallin")) == set(tokens.tokenize("uimahalli"))
    assert tokens.tokenize("ja") == []
    assert "lapdno-2025-262" in tokens.tokenize("LAPDno-2025-262")


def test_identity_backend_when_nothing_is_installed(restore_backend) -> None:
    for mod in ("libvoikko", "simplemma", "Stemmer"):
        restore_backend.setitem(sys.modules, mod, None)
    assert tokens.select_backend(None) == "identity"
    assert tokens.tokenize("Uimahallin rakentaminen") == ["uimahallin", "rakentaminen"]


def test_naming_an_unavailable_backend_raises_and_keeps_the_active_one(restore_backend) -> None:
    before = tokens.BACKEND
    expected = tokens.tokenize("Uimahallin rakentaminen")
    restore_backend.setitem(sys.modules, "libvoikko", None)
    restore_backend.setitem(sys.modules, "simplemma", None)
    for name in ("voikko", "simplemma"):
        with pytest.raises(ValueError, match=f"'{name}' is not available"):
            tokens.select_backend(name)
    assert tokens.BACKEND == before
    assert tokens.tokenize("Uimahallin rakentaminen") == expected


@voikko_only
def test_switching_backend_clears_the_word_cache(restore_backend) -> None:
    assert "halli" in tokens.tokenize("uimahallin")
    tokens.select_backend("stemmer")
    assert "halli" not in tokens.tokenize("uimahallin")


@voikko_only
def test_analyze_word_reports_classes_and_known() -> None:
    a = tokens.analyze_word("Päätti")
    assert a.bases == ("päättää",) and "teonsana" in a.classes and a.known
    assert not tokens.analyze_word("Kookinkallion").known
    assert tokens.lemmas("lautakunnassa") == ("lautakunta",)
