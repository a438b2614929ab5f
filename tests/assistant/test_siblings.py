"""One meeting's items of one kind answer a list question together (fictional items)."""

from __future__ import annotations

import pytest

from assistant.answer_type import AnswerType, Wanted, asks_for_several, detect
from assistant.siblings import answer_together, kind_key, titled_by_modifier
from assistant.types import Hit, Relevance
from core import tokens as tk
from core.items import AgendaItem

CUT = 0.54


def _rel(section: int, title: str, p: float, *, coverage: float = 1.0, date: str = "2026-02-12",
         names: tuple[str, ...] = ()) -> Relevance:
    item = AgendaItem(municipality="Esimerkkilä", body="Tekninen lautakunta", date=date, section=section,
                      title=title, source="x.pdf", kind="minutes")
    return Relevance(Hit(item, 0.1), coverage, p >= CUT, names_found=names, probability=p)


ROADS = [_rel(20 + i, f"Yksityisteiden avustushakemukset 2026 / {road}", p)
         for i, (road, p) in enumerate([("Koivukuja", 0.39), ("Mäntytie", 0.32), ("Rantapolku", 0.25),
                                        ("Niittytie", 0.23)])]


def test_a_group_of_siblings_each_holding_every_word_answers_together():
    out = answer_together(ROADS, CUT, generic=frozenset())
    assert all(r.answers for r in out)  # 1 − 0.61·0.68·0.75·0.77 ≈ 0.76


def test_near_misses_do_not_add_up_to_an_answer():
    # The same chances, but no item holds every word of the question ("jäähalli" asked, "uimahalli" found).
    partial = [_rel(r.hit.item.section, r.hit.item.title, r.probability or 0.0, coverage=0.7) for r in ROADS]
    assert not any(r.answers for r in answer_together(partial, CUT, generic=frozenset()))


def test_one_answering_sibling_brings_the_others_of_its_meeting_only():
    posts = [_rel(7, "Täyttölupa kuvataiteen lehtorin virkaan", 0.96, coverage=0.8),
             _rel(8, "Täyttölupa äidinkielen lehtorin virkaan", 0.2, coverage=0.6),
             _rel(9, "Täyttölupa matematiikan lehtorin virkaan", 0.1, coverage=0.6, date="2026-05-01"),
             _rel(10, "Katuvalojen saneeraus", 0.1, coverage=0.6)]
    out = answer_together(posts, CUT, generic=frozenset())
    assert [r.answers for r in out] == [True, True, False, False]


def test_a_sibling_that_lacks_the_asked_name_stays_out():
    firms = [_rel(3, "Hanke / Esimerkki Oy:n laajennus", 0.8, names=("Esimerkki Oy",)),
             _rel(4, "Hanke / Kirjaston kesäkampanja", 0.1)]
    assert [r.answers for r in answer_together(firms, CUT, generic=frozenset())] == [True, False]


def test_what_a_title_says_the_item_is():
    assert kind_key("Hanke / Kirjaston kesäkampanja", frozenset()) == "hanke"
    assert kind_key("Täyttölupa kuvataiteen lehtorin virkaan", frozenset()) == kind_key("Täyttölupa äidinkielen", ())
    # A first word that opens titles of every kind names no kind.
    assert kind_key("Kaupungin talousarvio 2026", frozenset({"kaupunki"})) is None


@pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs the Voikko backend")
@pytest.mark.parametrize(("question", "several"), [
    ("Mille yksityisteille myönnettiin avustusta?", True),  # allative plural
    ("Mihin opetuksen ja varhaiskasvatuksen virkoihin myönnettiin täyttölupa?", True),  # illative, a noun phrase on
    ("Minkä toimijoiden ympäristöluvat raukesivat?", True),  # genitive plural
    ("Millä ehdoilla maata vuokrattiin?", False),  # on what terms: how, not which things
    ("Mikä on kahvilan hinta?", False),
])
def test_which_questions_ask_for_several(question, several):
    assert asks_for_several(detect(question)) is several


def test_only_list_questions_are_answered_together():
    assert not asks_for_several(Wanted(AnswerType.AMOUNT))
    assert asks_for_several(Wanted(AnswerType.PERSON, many=True))


voikko = pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs the Voikko backend")


@voikko
def test_items_titled_by_the_asked_compounds_left_part_answer_together():
    # "Mitä täyttölupahakemuksia on käsitelty?": no item is titled with the whole compound, none answers
    # alone; the items titled "Täyttölupa …" / "Täyttöluvat …" do, and only they are listed.
    judged = [_rel(5, "Täyttölupa kirjastonhoitajan toimeen", 0.2, coverage=0.5),
              _rel(6, "Maa-aineslupahakemus / Esimerkin Sora Oy", 0.3, coverage=0.6),
              _rel(7, "Täyttöluvat, kaksi lehtorin virkaa", 0.1, coverage=0.5),
              _rel(8, "Viemäriverkostoon liittyminen", 0.1, coverage=0.5)]
    vocab = {"täyttölupa", "lupahakemus", "hakemus", "lupa"}
    out = titled_by_modifier(judged, "täyttölupahakemus", vocab, generic=frozenset())
    assert [r.answers for r in out] == [True, False, True, False]
    assert out[0].coverage == 1.0 and out[1].coverage == 0.6  # the titled items cover the question best
    # A left part the minutes never use, or a generic one, names no kind of item.
    assert not any(r.answers for r in titled_by_modifier(judged, "täyttölupahakemus", {"hakemus"}, frozenset()))
    assert not any(r.answers for r in titled_by_modifier(judged, "täyttölupahakemus", vocab, {"täyttölupa"}))


@voikko
def test_one_titled_item_is_no_list_and_a_title_ending_with_the_part_does_not_count():
    judged = [_rel(5, "Täyttölupa kirjastonhoitajan toimeen", 0.2), _rel(8, "Viemäriverkostoon liittyminen", 0.1),
              _rel(9, "Vesijohtoverkoston saneeraus", 0.1)]
    assert not any(r.answers for r in titled_by_modifier(judged, "täyttölupahakemus", {"täyttölupa"}, frozenset()))
    assert not any(r.answers for r in titled_by_modifier(judged, "verkostovuoto", {"verkosto"}, frozenset()))


@voikko
def test_a_titled_item_must_hold_the_questions_other_nouns():
    # "Mitä henkilöstömuutoksia ruokapalveluissa on tehty?": "Henkilöstö…" titles that do not hold
    # "ruokapalvelu" answer another question.
    judged = [_rel(5, "Henkilöstöruokailun hinnat", 0.2), _rel(6, "Henkilöstökertomus 2026", 0.2)]
    vocab = {"henkilöstö", "muutos"}
    assert all(r.answers for r in titled_by_modifier(judged, "henkilöstömuutos", vocab, frozenset()))
    assert not any(r.answers for r in titled_by_modifier(judged, "henkilöstömuutos", vocab, frozenset(),
                                                         holds=lambda _it: False))
