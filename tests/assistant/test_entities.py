"""A question naming a company answers about that company, or says it was not found (fictional minutes)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant import prompts
from assistant.index import share_terms
from assistant.lexicon import GENERIC_SHARE, MIN_ITEMS_FOR_DF, Lexicon
from core import tokens

TODAY = date(2026, 6, 1)


@pytest.fixture
def bot(bot_over):
    return bot_over("guarantees", "KH", "16.03.2026", [
        (40, "Takaus / Kuusiharjun Lämpö Oy", "300/02.05.05/2026",
         "Kuusiharjun Lämpö Oy hakee kaupungin omavelkaista takausta 1 800 000 euron lainalle.",
         "Kaupunginhallitus myönsi takauksen 1 800 000 euron lainalle."),
        (41, "Takaus / Mäntyrinteen Vesi Oy", "301/02.05.05/2026",
         "Mäntyrinteen Vesi Oy hakee takausta 450 000 euron lainalle vesijohtojen uusimiseen.",
         "Kaupunginhallitus myönsi takauksen 450 000 euron lainalle."),
    ])


def test_named_company_that_no_item_mentions_is_refused_by_name(bot):
    ans = bot.ask("Paljonko kaupunki on myöntänyt takauksia Pihlajaniemen Sähkö Oy:lle?", today=TODAY)
    assert ans.refused and not ans.citations
    assert "”Pihlajaniemen Sähkö Oy”" in ans.text
    assert ans.text.startswith(prompts.render("refuse_entity_fi", names="”Pihlajaniemen Sähkö Oy”")[:40])
    assert "1 800 000" not in ans.text


def test_named_company_is_answered_from_its_own_item(bot):
    ans = bot.ask("Paljonko takausta myönnettiin Mäntyrinteen Vesi Oy:lle?", today=TODAY)
    assert not ans.refused
    assert [c.section for c in ans.citations] == [41]
    assert "450 000" in ans.text.split("\n")[0]


def test_name_typed_without_accents_is_found(bot):
    ans = bot.ask("Paljonko takausta myonnettiin Mantyrinteen Vesi Oy:lle?", today=TODAY)
    assert not ans.refused and ans.citations[0].section == 41


def test_question_words_and_lowercase_words_are_not_names():
    lex = Lexicon(idf=lambda t: 1.0, item_tokens=lambda i: set())
    assert lex.names("Milloin kaupunki päätti uimahallista?") == []
    assert lex.names("Mitä päätettiin LED-valoista?") == []
    assert [n.shown for n in lex.names("Kuinka paljon Mäntyrinteen Vesi Oy:n laina on?")] == ["Mäntyrinteen Vesi Oy"]


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="needs Voikko")
def test_a_hyphen_compound_with_a_common_head_is_a_kind_not_a_name():
    lex = Lexicon(idf=lambda t: 1.0, item_tokens=lambda i: set())
    assert lex.names("Mitä mieltä lautakunta on Airbnb-tyyppisestä vuokrauksesta?") == []
    assert [n.shown for n in lex.names("Mitä Etelä-Pohjanmaan liitto päätti?")] == ["Etelä-Pohjanmaa"]
    # Right before a company form, a compound of common words is the firm's name all the same.
    assert [n.shown for n in lex.names("Paljonko takausta sai Koivulan Vuokra-asunnot Oy?")] == [
        "Koivulan Vuokra-asunnot Oy"]


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="needs Voikko")
def test_a_firm_named_with_common_words_is_not_answered_with_another_firm(bot_over):
    bot = bot_over("rentals", "KH", "16.03.2026", [
        (42, "Takaus / Koivulan Kotiasunnot Oy", "302/02.05.05/2026",
         "Koivulan Kotiasunnot Oy rakentaa 24 vuokra-asuntoa ja hakee takausta 900 000 euron lainalle. "
         "Vuokra-asunnot valmistuvat keväällä.",
         "Kaupunginhallitus myönsi takauksen 900 000 euron lainalle."),
    ])
    ans = bot.ask("Paljonko takausta myönnettiin Koivulan Vuokra-asunnot Oy:lle?", today=TODAY)
    assert ans.refused and "”Koivulan Vuokra-asunnot Oy”" in ans.text
    assert "900 000" not in ans.text
    assert not bot.ask("Paljonko takausta myönnettiin Koivulan Kotiasunnot Oy:lle?", today=TODAY).refused


def test_generic_words_come_from_document_frequency():
    items = [{"lapua", "kaupunki", f"aihe{i}"} for i in range(60)] + [{"uimahalli"}] * 5
    generic = share_terms(items, GENERIC_SHARE, MIN_ITEMS_FOR_DF)
    assert {"lapua", "kaupunki"} <= generic and "uimahalli" not in generic and "aihe1" not in generic
    assert share_terms(items[:10], GENERIC_SHARE, MIN_ITEMS_FOR_DF) == frozenset()  # too few items to tell


def test_name_typed_with_a_letter_missing_is_found(bot):
    # "Kuusiharjun" typed "Kuusharjun": one letter off in a long name is the same name.
    ans = bot.ask("Paljonko takausta myönnettiin Kuusharjun Lämpö Oy:lle?", today=TODAY)
    assert not ans.refused and ans.citations[0].section == 40


def test_company_name_must_be_written_as_a_company_not_just_its_words(bot_over):
    # The words of "Mäntyrinteen Lämpö Oy" both occur, but as two other companies' words.
    b = bot_over("guarantees2", "KH", "16.03.2026", [
        (40, "Takaus / Mäntyrinteen Vesi Oy", "300/02.05.05/2026",
         "Mäntyrinteen Vesi Oy hakee takausta 450 000 euron lainalle. Lämpö johdetaan Kuusiharjun Lämpö Oy:n verkosta.",
         "Kaupunginhallitus myönsi takauksen 450 000 euron lainalle."),
    ])
    ans = b.ask("Myönsikö kaupunki takauksen Mäntyrinteen Lämpö Oy:lle?", today=TODAY)
    assert ans.refused and "Mäntyrinteen Lämpö Oy" in ans.text and not ans.citations


def test_company_check_reads_the_company_form_after_the_name():
    from assistant.lexicon import Name, mentions_company

    name = Name("Lapuan Vuokratalot Oy", frozenset({"vuokratalo"}))
    assert not mentions_company(name, "Kaupungin vuokratalot ovat Lapuan Kotiasunnot Oy:n omistamia.")
    assert mentions_company(name, "Lapuan Vuokratalot Oy:n laina on 2 milj. euroa.")
    assert mentions_company(Name("Simpsiönvuori", frozenset({"simpsiönvuori"})), "ei yhtiömuotoa")
    # Another company whose name ends in the same word is not it.
    vesi = Name("Lapuan Vesi Oy", frozenset({"vesi"}))
    assert not mentions_company(vesi, "Lappavesi Oy:n ylimääräinen yhtiökokous")
    assert mentions_company(vesi, "Lapuan Vesi Oy:n osakkeet")


def test_the_asked_company_leads_even_when_another_firm_won(ask_over):
    ans = ask_over("bids", (
        60, "Kevyen liikenteen sillan rakentaminen / Urakoitsijan valinta", "320/10.03.00/2026",
        "Tarjouksen jättivät Rakennus Kallioharju Oy hintaan 410 000 euroa ja Siltatekniikka Mäkelä Oy "
        "hintaan 455 000 euroa. Sillan suunnitelmat on laatinut insinööritoimisto.",
        "Tekninen lautakunta valitsi urakoitsijaksi Rakennus Kallioharju Oy:n hintaan 410 000 euroa."),
        "Mitä urakoita Siltatekniikka Mäkelä Oy on saanut?", abbr="TLA", day="20.05.2026")
    assert not ans.refused
    first = ans.text.split("\n\n")[0]
    assert "Siltatekniikka Mäkelä Oy" in first and "455 000" in first
    assert "Kallioharju" in ans.text  # and who won, from the decision


def test_a_bare_acronym_is_a_name_and_a_word_in_capitals_is_not():
    lex = Lexicon(idf=lambda t: 1.0, item_tokens=lambda i: set())
    assert [n.shown for n in lex.names("Paljonko UPM maksoi puukaupasta?")] == ["UPM"]
    assert lex.names("MITÄ päätettiin LED-valoista?") == []


def test_a_sentence_names_a_company_by_its_own_words_not_its_company_form():
    from assistant.lexicon import name_tokens, names_in

    assert name_tokens("Siltatekniikka Mäkelä Oy") == {"siltatekniikka", "mäkelä"}
    assert not names_in({"rakennus", "kallioharju", "oy"}, ["Siltatekniikka Mäkelä Oy"])  # another firm's Oy
    assert names_in({"mäkelä", "oy", "455000"}, ["Siltatekniikka Mäkelä Oy"])


def test_an_item_whose_title_names_the_place_leads_with_its_decision(ask_over):
    ans = ask_over("place", (
        41, "Anomus / Kyläraitin päällystäminen, Alakylä", "LAPDno-2026-301",
        "Alakylän kyläyhdistys on jättänyt anomuksen kyläraitin päällystämisestä. Tien kunto on heikko.",
        "Lautakunta päätti palauttaa asian uuteen valmisteluun kustannusarvion tarkentamiseksi."),
        "Mitä tekninen lautakunta teki Alakylän kyläraitin päällystämistä koskevalle anomukselle?",
        abbr="TLA", day="20.05.2026")
    assert not ans.refused
    assert "palauttaa asian uuteen valmisteluun" in ans.text.split("\n\n")[0]


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="derivational roots need Voikko")
def test_a_word_derived_from_the_same_verb_as_an_indexed_one_is_known():
    lex = Lexicon(lambda _t: 1.0, lambda _i: set(), vocabulary=frozenset({"päivystys", "vaali", "palkkio"}))
    assert lex.shares_root("päivystäjille")  # päivystää → "päivyst-" begins "päivystys"
    assert not lex.shares_root("kuljettajille")  # kuljettaa: no indexed word from it
    assert not lex.shares_root("kaupunkipyöriä")  # noun parts are not verb roots


def _unknown(question: str, lex: Lexicon) -> tuple[str, ...]:
    from assistant.relevance import query_groups, topic_words, unknown_nouns

    topic = topic_words(question, lex.generic)
    return unknown_nouns(topic, query_groups(topic, lex), lex)


@pytest.mark.parametrize("question", [
    "Mitä palveluja kaupunki ostaa Esimerkkipesu Oy:ltä?",
    "Mitä päätöksiä Esimerkkipesu Oy:stä on tehty?",
    "Paljonko avustusta Esimerkin Soutajat ry:lle myönnettiin?",
])
def test_a_case_ending_after_a_colon_is_part_of_its_word_not_an_unknown_noun(question: str) -> None:
    from assistant.relevance import topic_words

    vocab = frozenset({"palvelu", "ostaa", "kaupunki", "esimerkkipesu", "avustus", "myöntää", "soutaja", "päätös"})
    lex = Lexicon(lambda _t: 1.0, lambda _i: set(), vocabulary=vocab)
    words = [w for w, _forms in topic_words(question, lex.generic)]
    assert not {"ltä", "stä", "lle"} & {w.lower() for w in words}
    assert _unknown(question, lex) == ()


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="compound roots need Voikko")
def test_a_compound_with_a_generic_head_is_known_by_its_modifier() -> None:
    vocab = frozenset({"yhtiökokous", "päätös", "kokous", "vesi"})
    lex = Lexicon(lambda _t: 1.0, lambda _i: set(), generic=frozenset({"päätös", "kokous"}), vocabulary=vocab)
    assert _unknown("Mitä yhtiökokouspäätöksiä on tehty?", lex) == ()
    # the modifier must be a word the corpus uses, and the head must be generic
    assert _unknown("Mitä yhtiökokouspäätöksiä on tehty?",
                    Lexicon(lambda _t: 1.0, lambda _i: set(), generic=frozenset({"päätös", "kokous"}),
                            vocabulary=frozenset({"päätös", "kokous"}))) == ("yhtiökokouspäätöksiä",)
    assert _unknown("Mitä kesäsetelin saajille maksetaan?",
                    Lexicon(lambda _t: 1.0, lambda _i: set(), vocabulary=frozenset({"kesä", "maksaa", "saaja"}))) \
        == ("kesäsetelin",)
