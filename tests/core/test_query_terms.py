"""Query-side normalisation: questions typed without ä/ö and unknown compounds still meet index tokens."""

from __future__ import annotations

import pytest

from core import tokens as tk
from core.query_terms import QueryNormalizer, fold_accents, restorations, split_compound

voikko = pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs the Voikko backend")


def test_fold_accents():
    assert fold_accents("Päätös Åbo Öljy") == "Paatos Abo Oljy"


@voikko
def test_accentless_words_gain_the_indexed_base_form():
    q = QueryNormalizer()
    assert "päätös" in q.tokens("paatoksesta")
    assert "hyväksyä" in q.tokens("hyvaksyi")
    assert "käyttötalousosa" in q.tokens("kayttotalousosa")
    # The ordinary tokens stay first, so exact matches keep their weight.
    assert q.tokens("hyvaksyi")[0] == tk.tokenize("hyvaksyi")[0]


@voikko
def test_restorations_are_only_real_words():
    assert "työ" in restorations("tyo")
    assert restorations("kissa") == ()  # no a→ä variant of "kissa" is a word
    assert restorations("päätös") == ()  # already has diacritics


@voikko
def test_words_the_index_holds_are_left_alone():
    q = QueryNormalizer({"paatos", "kaupunki"})
    assert q.tokens("paatos kaupunki") == ["paatos", "kaupunki"]


def test_folded_vocabulary_match_for_unknown_names():
    # Names unknown to the analyser are indexed as stems; an accent-less spelling folds to the same.
    indexed = tk.tokenize("Kärkkäälänvuori")
    q = QueryNormalizer(set(indexed))
    assert set(indexed) <= set(q.tokens("Karkkaalanvuori"))


@voikko
def test_compound_fallback_splits_unknown_compounds():
    word = "karkkaalanvuorihanke"  # a fictional place + "hanke"
    assert not tk.analyze_word(word).known
    vocab = set(tk.tokenize("Kärkkäälänvuori hanke"))
    left, head = split_compound(word, vocab)
    assert head == "hanke" and fold_accents(left) == "karkkaalanvuori"
    got = QueryNormalizer(vocab).tokens(word)
    assert "hanke" in got and set(tk.tokenize("Kärkkäälänvuori")) <= set(got)


@voikko
def test_accentless_compound_gets_joined_base_form():
    got = QueryNormalizer().tokens("tyovoimapalvelut")
    assert "työvoimapalvelu" in got and "palvelu" in got


def test_non_words_pass_through_like_tokenize():
    q = QueryNormalizer()
    assert q.tokens("LAPDno-2025-262 12.05.2025 850 000 €") == tk.tokenize("LAPDno-2025-262 12.05.2025 850 000 €")



def test_left_part_of_indexed_compounds_finds_them():
    # The index holds "monistamopalvelu" (base form) and "palvelu" (head), never "monistamo".
    vocab = {"monistamopalvelu", "palvelu", "monistaa", "monistamopalvelusopimus", "kopiokone"}
    norm = QueryNormalizer(vocab)
    toks = norm.word_tokens("monistamo")
    assert toks[0] == "monistamo" and toks[1:] == ["monistamopalvelu", "monistamopalvelusopimus"]
    assert "monistaa" not in toks  # not a compound of it: only two letters on


def test_left_part_expansion_needs_an_unknown_word_of_some_length():
    norm = QueryNormalizer({"kopiokone", "kopiokoneet", "palvelu", "palvelusopimus"})
    assert norm.word_tokens("palvelu") == ["palvelu"]  # indexed itself: nothing added
    assert "kopiokone" not in norm.word_tokens("kopi")  # too short to name a compound's left part


def test_edits_counts_a_swap_as_one():
    from core.query_terms import edits

    assert edits("rehtroi", "rehtori") == 1
    assert edits("urheiljoiden", "urheilijoiden") == 1
    assert edits("kissa", "kissa") == 0
    assert edits("kissa", "koira") == 3


@voikko
def test_a_typo_takes_the_tokens_of_the_mended_word():
    q = QueryNormalizer({"urheilija", "stipendi"})
    assert "urheilija" in q.word_tokens("urheiljoiden")


@voikko
def test_a_suggestion_indexed_only_through_a_part_leaves_the_word_unknown():
    # "skeittiparkin" is spelt right; Voikko's "seittiparkin" is another word, indexed only as "parkki".
    q = QueryNormalizer({"parkki", "uimahalli"})
    assert "parkki" not in q.word_tokens("skeittiparkin")


@voikko
def test_respelled_mends_what_the_embedder_should_read():
    q = QueryNormalizer({"päättää", "ympäristölautakunta", "työntekijä", "työsuhdepolkupyörä", "urheilija"})
    assert q.respelled("Mita ymparistolautakunta paatti?") == "Mitä ympäristölautakunta päätti?"
    # Accents restored even where the index holds only a longer compound of the word.
    assert q.respelled("Saako kaupungin tyontekijat tyosuhdepyoran?") == "Saako kaupungin työntekijät työsuhdepyörän?"
    assert q.respelled("urheiljoiden stipendit") == "urheilijoiden stipendit"


@voikko
def test_respelled_leaves_names_and_indexed_words_alone():
    q = QueryNormalizer({"lounea", "parkki"})
    # A capitalised word the analyser does not know may be a name: ä/ö at most, never a guess.
    assert q.respelled("Lounean kaapeli") == "Lounean kaapeli"
    assert q.respelled("skeittiparkin rakentaminen") == "skeittiparkin rakentaminen"
    assert QueryNormalizer().respelled("Mita paatti") == "Mita paatti"  # no vocabulary: nothing to go by


@voikko
def test_respelled_mends_a_name_typed_a_letter_off_only_to_the_one_indexed_name():
    # The index holds a name's stem or base form ("kuvalant" of "Kuvalantien", "simpsiönvuori"): a capitalised
    # word one edit from exactly one such token takes it, the rest of the word kept; a common word the index
    # holds ("esimerkkiä") is no spelling of a place, and two close names are a guess.
    q = QueryNormalizer({"kuvalant", "silta", "simpsiönvuori", "esimerkkiä", "tahkolant", "tahkolaat"})
    assert q.respelled("Mitä päätettiin Kuvalatien sillasta?") == "Mitä päätettiin Kuvalantien sillasta?"
    assert q.respelled("Takaukset Simpsiövuori Oy:lle") == "Takaukset Simpsiönvuori Oy:lle"
    assert q.respelled("Mitä Esimerkkilä päätti?") == "Mitä Esimerkkilä päätti?"
    assert q.respelled("Tahkolatien kunnostus") == "Tahkolatien kunnostus"
    assert q.respelled("Kuvalan tie") == "Kuvalan tie"  # shorter than a name worth mending
