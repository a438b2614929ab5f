"""Sentences and table rows of the chosen items, ranked by words, type, names and role (fictional items)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistant.answer_type import detect
from assistant.evidence import rank_sentences
from assistant.types import Hit, Relevance
from assistant.units import table_rows, units
from core import tokens
from core.items import AgendaItem

TODAY = date(2026, 6, 1)


def _item(**kw) -> AgendaItem:
    base = dict(municipality="Esimerkkilä", body="Tekninen lautakunta", date="2026-02-12", section=7,
                title="Katuvalaistuksen saneeraus", source="x.pdf", kind="minutes")
    base.update(kw)
    return AgendaItem(**base)


def _topic(*words: str):
    return tuple(((w,), (w,), 1.0) for w in words)


def test_table_becomes_readable_rows():
    block = "Vaihe | Valaisimia | Kustannusarvio\n1. vaihe | 980 | 420 000 €\nYhteensä | 1 850 | 780 000 €"
    assert table_rows(block) == ["1. vaihe: Valaisimia 980, Kustannusarvio 420 000 €.",
                                 "Yhteensä: Valaisimia 1 850, Kustannusarvio 780 000 €."]


def test_units_keep_prose_and_rows_apart_and_join_a_list_intro():
    text = ("Hanke toteutetaan kahdessa vaiheessa.\nVaihe | Hinta\n1. vaihe | 420 000 €\n"
            "Lausunnossa kaupunki toteaa seuraavaa: Kaupunki vastustaa sivuvastaanoton lakkauttamista.")
    out = units(text)
    assert out[0] == "Hanke toteutetaan kahdessa vaiheessa."
    assert "1. vaihe: Hinta 420 000 €." in out
    assert out[-1].startswith("Lausunnossa kaupunki toteaa seuraavaa: Kaupunki vastustaa")


def test_a_decision_that_changed_the_proposal_outranks_the_proposal():
    it = _item(proposal="Lautakunta hyväksyy saneerauksen 420 000 euron määrärahalla.",
               decision="Hyväksyttiin muutettuna siten, että saneeraus tehdään 380 000 euron määrärahalla.",
               body_text="Saneerauksen määräraha on talousarviossa.")
    ranked = rank_sentences("saneeraus määräraha", [it], _topic("saneeraus", "määräraha"), (),
                            detect("Paljonko saneeraukseen käytetään?"), None)
    assert ranked[0].role == "changed" and "380 000" in ranked[0].text
    assert [s.role for s in ranked].index("proposal") > 0


@pytest.mark.parametrize("decision, first", [("Ehdotus hyväksyttiin.", "proposal"),
                                             ("Asia palautettiin valmisteluun.", "background")])
def test_a_proposal_the_decision_only_accepted_weighs_as_the_decision(decision, first):
    # The background sentence shares one more of the question's words; the proposal is what was
    # decided only when the decision accepted it, and then that outweighs the extra word.
    it = _item(proposal="Lautakunta myöntää saneeraukseen 380 000 euroa.",
               body_text="Katujen saneeraukseen varattiin talousarviossa 420 000 euroa.", decision=decision)
    topic = _topic("saneeraus", "myöntää", "katu", "talousarvio")
    ranked = rank_sentences("saneeraus", [it], topic, (), detect("Paljonko katujen saneeraukseen myönnettiin?"), None)
    assert ranked[0].role == first
    assert ("380 000" if first == "proposal" else "420 000") in ranked[0].text


def test_the_finding_at_the_end_of_a_description_outranks_the_request_it_answers():
    # The request repeats the question's words; the preparer's finding, written last, answers it.
    it = _item(title="Valtuustoaloite kirjaston sunnuntaiaukiolosta",
               decision="Kaupunginvaltuusto merkitsi selvityksen tiedoksi.",
               body_text="Aloitteessa esitetään, että kirjasto olisi auki sunnuntaisin. Kirjaston kävijämäärät "
                         "ovat kasvaneet. Koska henkilöstöä ei ole lisätty, kirjasto on sunnuntaisin auki "
                         "vain talvikaudella.")
    ranked = rank_sentences("kirjasto auki sunnuntaisin", [it], _topic("kirjasto", "sunnuntaisin"), (),
                            detect("Onko kirjasto auki sunnuntaisin?"), None)
    background = [s for s in ranked if s.role == "background"]
    assert background[0].text.startswith("Koska henkilöstöä"), [s.text for s in ranked]


def test_a_sentence_with_the_asked_value_outranks_one_without():
    it = _item(body_text="Saneerauksesta on keskusteltu pitkään. Saneeraus maksaa 95 000 euroa.")
    ranked = rank_sentences("saneeraus", [it], _topic("saneeraus"), (), detect("Paljonko saneeraus maksaa?"), None)
    assert ranked[0].typed and "95 000" in ranked[0].text


def test_similarity_decides_among_the_shortlist():
    it = _item(body_text="Valaisimet vaihdetaan ensi vuonna. Valaisimet vaihdetaan kahdessa vaiheessa.")

    def prefer_second(question, texts):
        return [1.0 if "vaiheessa" in t else 0.0 for t in texts]

    ranked = rank_sentences("valaisin", [it], _topic("valaisin"), (), detect("Miten valaisimet vaihdetaan?"),
                            prefer_second)
    assert "vaiheessa" in ranked[0].text and ranked[0].similarity == 1.0


@pytest.fixture
def bot(bot_over):
    return bot_over("tekla", "TEKLA", "12.02.2026", [
        (7, "Katuvalaistuksen saneeraus", "41/10.03.00/2026",
         "Katuvalaistuksessa on 4 300 valaisinta. Saneeraus maksaa 420 000 euroa. Valaisimet vaihdetaan LED-valaisimiin.",
         "Lautakunta hyväksyi saneerauksen muutettuna siten, että määräraha on 380 000 euroa."),
        (8, "Uimahallin peruskorjaus", "42/10.03.00/2026",
         "Uimahallin peruskorjaus maksaa 6 400 000 euroa. Uimahalli on suljettuna vuoden.",
         "Hyväksyttiin."),
    ])


def test_answer_leads_with_the_answer_and_says_nothing_twice(bot):
    ans = bot.ask("Mitä katuvalaistuksen saneerauksesta päätettiin?", today=TODAY)
    assert not ans.refused and [c.section for c in ans.citations] == [7]
    first = ans.text.split("\n")[0]
    assert "380 000" in first and "päätti" in first
    assert "Asian taustaa" not in ans.text
    body = [ln for ln in ans.text.split("\n\n") if ln.strip()]
    assert len(body) <= 3
    sentences = [s.strip() for ln in body for s in ln.split(". ") if len(s) > 20]
    assert len(sentences) == len(set(sentences))


def test_proposal_changed_by_the_decision_is_labelled_as_a_proposal(bot):
    ans = bot.ask("Paljonko katuvalaistuksen saneeraus maksaa?", today=TODAY)
    for line in ans.text.split("\n\n"):
        if "420 000" in line and "ehdotus" not in line.lower():
            assert not line.startswith("Lautakunta hyväksyi")


def test_a_noun_the_corpus_never_uses_is_refused(bot):
    ans = bot.ask("Mitä päätettiin skeittiparkin rakentamisesta?", today=TODAY)
    assert ans.refused and not ans.citations


def test_a_long_sentence_is_shortened_around_the_asked_value():
    from assistant.answer import around_value

    text = "Kaupunginhallitus päättää ostaa tilan " + "Kirkonkylän kylässä sijaitsevan alueen " * 12 + \
        "35 100 euron kauppahinnalla."
    it = _item(body_text=text)
    ranked = rank_sentences("tila", [it], _topic("tila"), (), detect("Paljonko tila maksoi?"), None)
    assert ranked[0].typed and ranked[0].value > 300
    short = around_value(ranked[0].text, 240, ranked[0].value)
    assert "35 100" in short and len(short) <= 250


def test_the_value_read_is_the_one_after_what_the_question_names():
    from assistant.answer import around_value

    text = ("Rehtorit lukuvuonna 2026-2027 ovat seuraavat: Honkalan koulu: rehtori Aino Virtanen, "
            "apulaisrehtori Eero Laine, " + "tehtävinä opetus, talous ja tiedottaminen, " * 6 +
            "Sorvalin koulu: rehtori Liisa Mäkelä, apulaisrehtori Pekka Niemi.")
    it = _item(body_text=text)
    ranked = rank_sentences("Sorvalin koulun rehtori", [it], _topic("koulu", "rehtori"), ("Sorvalin",),
                            detect("Kuka on Sorvalin koulun rehtori?"), None)
    s = ranked[0]
    assert s.typed and text[s.value:].startswith("Liisa Mäkelä")
    shown = around_value(s.text, 240, s.value)
    assert "Sorvalin koulu: rehtori Liisa Mäkelä" in shown and "Aino Virtanen" not in shown
    # Without a name, the rarest of the question's words it holds places the value.
    fees = "Maksut: aikuiset 6,00 euroa, lapset 3,00 euroa ja eläkeläiset 4,50 euroa kerralta."
    ranked = rank_sentences("eläkeläisten maksu", [_item(body_text=fees)],
                            (( ("eläkeläinen",), ("eläkeläinen",), 3.0), (("maksu",), ("maksu",), 1.0)), (),
                            detect("Paljonko eläkeläiset maksavat?"), None)
    assert fees[ranked[0].value:].startswith("4,50")


def test_a_table_without_a_header_is_read_as_rows_of_data():
    # "v. 2019 | 30" heads nothing: its figure marks it as data like the rows below it.
    assert table_rows("v. 2023 | 91\nv. 2024 | 98") == ["v. 2023, 91.", "v. 2024, 98."]
    assert table_rows("Hinnat | 2025 | 2026\nAikuiset | 6,45 | 6,60") == ["Aikuiset: 2025 6,45, 2026 6,60."]


def test_a_figure_the_question_names_lifts_its_sentence():
    from assistant.evidence import topic_of
    from assistant.types import Candidates, Evidence, Query

    q = Query("Kuinka monta nuorta työllistettiin vuonna 2024?", keywords="nuorta työllistettiin")
    ev = Evidence(Candidates(q), (), (), True, topic=_topic("nuori"))
    topic = topic_of(ev, [])
    assert ("2024",) in [forms for forms, _g, _w in topic]
    it = _item(body_text="Nuoria työllistettiin kesätöihin.\nv. 2023 | 91\nv. 2024 | 98")
    order = [s.text for s in rank_sentences("nuori", [it], topic, (), detect(q.text), None)]
    assert order.index("v. 2024, 98.") < order.index("v. 2023, 91.")


def test_a_proposal_sentence_the_decision_restates_is_not_a_second_candidate():
    it = _item(proposal="Lautakunta päättää, että ilmanvaihtourakoitsijaksi valitaan Tuuletus Oy hintaan 85 000 €.",
               decision="Puheenjohtaja muutti ehdotustaan siten, että ilmanvaihtourakoitsijaksi valitaan Tuuletus Oy "
                        "hintaan 85 000 € ehdolla, että rakennusurakka saa lainvoiman. Lautakunta hyväksyi muutetun "
                        "ehdotuksen.")
    ranked = rank_sentences("ilmanvaihtourakoitsija", [it], _topic("ilmanvaihtourakoitsija"), (),
                            detect("Paljonko ilmanvaihtourakka maksaa?"), None)
    with_price = [s for s in ranked if "85 000" in s.text]
    assert [s.role for s in with_price] == ["changed"]  # the decision as made, once


def test_a_list_of_attachments_is_no_candidate_sentence():
    it = _item(body_text="Oheismateriaali 1 Ympäristölupahakemus / Esimerkki Oy 2 Asemapiirustus 3 Kartta\n\n"
                         "Esimerkki Oy hakee ympäristölupaa jätteen vastaanottopisteelle.")
    ranked = rank_sentences("esimerkki", [it], _topic("esimerkki"), ("Esimerkki Oy",), detect("Mitä Esimerkki Oy hakee?"),
                            None)
    assert ranked and not any(s.text.startswith("Oheismateriaali") for s in ranked)


def test_a_sentence_that_only_introduces_a_table_is_no_candidate():
    # Alone it reads "… seuraavasti:." in an answer; the rows it introduces are the candidates.
    it = _item(body_text="Valaisimet vaihdetaan kahdessa vaiheessa seuraavasti:\n"
                         "Vaihe | Kustannusarvio\n1. vaihe | 420 000 €\nYhteensä | 780 000 €\n"
                         "Valaisimet vaihdetaan LED-valaisimiin.")
    ranked = rank_sentences("valaisin vaihe", [it], _topic("valaisin", "vaihe"), (),
                            detect("Miten valaisimet vaihdetaan?"), None)
    texts = [s.text for s in ranked]
    assert not any(t.rstrip().endswith(":") for t in texts)
    assert "Yhteensä: Kustannusarvio 780 000 €." in texts and "Valaisimet vaihdetaan LED-valaisimiin." in texts


def test_sentences_sharing_a_long_start_are_different_candidates():
    # Two clauses of one decision that differ only after a long common start: both are lines to choose from.
    start = ("Tekninen lautakunta päättää esittää kaupunginhallitukselle ja edelleen kaupunginvaltuustolle, että "
             "katuvalaistuksen saneerauksen ensimmäisen vaiheen ")
    it = _item(decision=f"{start}kustannusarvio on 420 000 euroa. {start}urakoitsijaksi valitaan Valo Oy.")
    ranked = rank_sentences("katuvalaistus urakoitsija", [it], _topic("katuvalaistus", "urakoitsija"), (),
                            detect("Kuka saneeraa katuvalaistuksen?"), None)
    texts = [s.text for s in ranked]
    assert any("420 000 euroa" in t for t in texts) and any("Valo Oy" in t for t in texts)


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")
def test_focus_weighs_the_words_few_sentences_of_the_item_hold():
    from assistant.evidence import _focused

    it = _item(decision="Valtuutettu Aino Virtanen esitti viestintäohjeen kohdan 5 poistamista viestintäohjeesta. "
                        "Valtuutettu Mikko Salo kannatti Virtasen esitystä viestintäohjeesta. "
                        "Varapuheenjohtaja Sari Niemi esitti asian palauttamista valmisteluun.",
               body_text="Viestintäohje uudistetaan. Viestintäohjeen luonnos oli nähtävillä.")
    # The matter's name weighs most in the question, yet every sentence of the item repeats it.
    topic = (("viestintäohje",), ("viestintäohje",), 3.0), (("palauttaa",), ("palauttaa",), 1.0), \
        (("valmistelu",), ("valmistelu",), 1.0)
    ranked = rank_sentences("viestintäohje palauttaa valmistelu", [it], topic, (), None, None)
    by = {s.text.split()[1]: s for s in _focused(ranked, topic)}
    assert by["Aino"].features.lexical > by["Sari"].features.lexical
    assert by["Sari"].focus > by["Aino"].focus


def test_a_sentence_of_other_years_gives_way_to_the_asked_years():
    # Both hold a sum and the topic words; only the first is about the year asked.
    it = _item(body_text="Jäsenmaksu vuodelle 2027 on 12 400 euroa. Vuoden 2026 jäsenmaksu on 12 000 euroa.")
    question = "Paljonko jäsenmaksu on vuonna 2027?"
    plain = rank_sentences("jäsenmaksu", [it], _topic("jäsenmaksu"), (), detect(question), None)
    dated = rank_sentences("jäsenmaksu", [it], _topic("jäsenmaksu"), (), detect(question), None,
                           years=frozenset({"2027"}))
    assert "12 000" in plain[0].text  # without the years the later sentence (see LATE_WEIGHT) wins
    assert "12 400" in dated[0].text and dated[-1].features.other_year == 1.0


def test_years_in_reads_words_and_spans_not_dates_or_case_ids():
    from assistant.features import years_in
    assert years_in("taloussuunnitelma vuosille 2027–2028") == {"2027", "2028"}
    assert years_in("LAPDno-2025-514, kokous 11.12.2024") == frozenset()


def _judged(item: AgendaItem, p: float) -> Relevance:
    return Relevance(Hit(item, 0.1), 1.0, True, probability=p)


def _follow_up_evidence(refers_to: str | None):
    from assistant.types import Candidates, Evidence, Query

    fuel = _item(section=85, title="Ajoneuvojen polttoaineiden hankinta", case_ids=("ESIM-2026-5",),
                 decision="Lautakunta valtuuttaa hankintapäällikön allekirjoittamaan sopimuksen.")
    ended = _item(section=43, title="Polttoainesopimuksen irtisanominen", case_ids=("ESIM-2025-9",),
                  decision="Lautakunta irtisanoo 5.9.2025 allekirjoitetun sopimuksen.")
    q = Query("Entä kuka allekirjoittaa sen sopimuksen?", intent="fact", keywords="polttoaineet allekirjoittaa sopimuksen",
              is_follow_up=True, refers_back=refers_to is not None, refers_to=refers_to)
    judged = (_judged(ended, 0.7), _judged(fuel, 0.65))
    return Evidence(Candidates(q, tuple(r.hit for r in judged)), tuple(r.hit for r in judged), judged, True,
                    wanted=detect(q.text), topic=_topic("polttoaine", "allekirjoittaa", "sopimus")), fuel, ended


def test_a_follow_up_pointing_back_is_answered_from_the_item_it_points_to():
    from assistant.contenders import contenders
    from assistant.evidence import contest

    ev, fuel, ended = _follow_up_evidence(None)
    assert contest(ev, contenders(ev))[:2] == [ended, fuel]  # a fresh question: the items contest the lead
    ev, fuel, _ended = _follow_up_evidence(fuel.item_id)
    assert contest(ev, contenders(ev)) == [fuel]  # "sen sopimuksen": the contract the last answer was about


@pytest.mark.parametrize("refers_back", [True, False])
def test_a_follow_up_on_the_same_item_leads_with_its_own_words_not_a_value_it_did_not_ask(refers_back):
    # "Entä kuka allekirjoittaa sen sopimuksen?" after a question on the fuel supplier: the firm in the
    # price row is a name (what "kuka" wants), but that row holds none of the follow-up's words.

    from assistant.answer import compose
    from assistant.evidence import ground

    ev, fuel, _ended = _follow_up_evidence(None)
    fuel = replace(fuel, body_text="Tarjoukset:\nTarjoaja | Hinta €\nEsimerkin Polttoaine Oy | 59 560,67\n"
                                   "Malliöljy Oy | 57 982,00")
    q = replace(ev.query, refers_back=refers_back, refers_to=fuel.item_id if refers_back else None)
    judged = (_judged(fuel, 0.7),)
    ev = replace(ev, candidates=replace(ev.candidates, query=q, hits=(judged[0].hit,)), hits=(judged[0].hit,),
                 relevance=judged)
    first = compose(ground(ev)).text.splitlines()[0]
    if refers_back:
        assert "allekirjoittamaan" in first
    else:  # a fresh question's words include the subject: the firm's row may answer "kuka"
        assert "Oy" in first


def test_of_two_items_under_one_title_the_one_holding_the_question_s_words_leads():
    # Two applications of one kind; the search ranked the older first, but only the newer one holds
    # what the question tells of its case.
    from assistant.contenders import contenders
    from assistant.types import Candidates, Evidence, Query

    old = _item(section=159, date="2025-11-12", title="Anomus jätevesilaskun kohtuullistamiseksi")
    new = _item(section=45, date="2026-03-25", title="Anomus jätevesilaskun kohtuullistamiseksi")
    other = _item(section=46, date="2026-03-25", title="Vesihuollon taksat")
    q = Query("Saako jätevesimaksun takaisin, jos putkirikko?", intent="fact", keywords="jätevesimaksun putkirikko")
    judged = (Relevance(Hit(old, 0.2), 0.3, True, probability=0.8),
              Relevance(Hit(new, 0.1), 0.6, False, probability=0.3),
              Relevance(Hit(other, 0.05), 0.9, False, probability=0.1))
    ev = Evidence(Candidates(q, tuple(r.hit for r in judged)), tuple(r.hit for r in judged), judged, True,
                  wanted=detect(q.text), topic=_topic("jätevesimaksu", "putkirikko"))
    assert [r.hit.item for r in contenders(ev)] == [new, old]  # a rival of another title never takes over
    tied = judged[:1] + (replace(judged[1], coverage=0.4),) + judged[2:]
    ev = replace(ev, relevance=tied)
    assert [r.hit.item for r in contenders(ev)] == [old]  # a little more is not clearly more
