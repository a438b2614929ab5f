"""Answer type of a question and value detection in sentences (fictional, generic questions)."""

from __future__ import annotations

import pytest

from assistant.answer_type import _PERCENT_RE, Wanted, detect, matches
from assistant.answer_type import AnswerType as T
from core import tokens as tk

voikko = pytest.mark.skipif(tk.BACKEND != "voikko", reason="needs the Voikko backend")


@voikko
@pytest.mark.parametrize(("question", "kind"), [
    ("Kuka johtaa nuorisotoimea?", T.PERSON),
    ("Kenet nimitettiin rehtoriksi?", T.PERSON),
    ("Keitä valittiin vaalilautakuntaan?", T.PERSON),
    ("keita valittiin vaalilautakuntaan", T.PERSON),  # typed without ä
    ("Paljonko sillan korjaus maksaa?", T.AMOUNT),
    ("Kuinka paljon tukea kyläyhdistys sai?", T.AMOUNT),
    ("Mikä on koulun laajennuksen hinta?", T.AMOUNT),
    ("Montako euroa lainaa otettiin?", T.AMOUNT),
    ("Montako asuntoa alueelle kaavoitetaan?", T.COUNT),
    ("Kuinka monta jäsentä lautakunnassa on?", T.COUNT),
    ("Monenko prosentin korotus taksaan tehtiin?", T.PERCENTAGE),
    ("Paljonko tuloveroprosentti on?", T.PERCENTAGE),
    ("Milloin kirjasto avataan?", T.DATE),
    ("Koska uusi maksu tulee voimaan?", T.DATE),
    ("Mistä alkaen taksa on voimassa?", T.DATE),
    ("Onko kevyen liikenteen väylästä päätetty?", T.YES_NO),
    ("Hylattiinko valitus?", T.YES_NO),  # typed without ä
    ("Miksi kirjaston aukioloaikoja lyhennettiin?", T.REASON),
    ("Miksei kaupunki korjaa siltaa?", T.REASON),
    ("Millä perusteella urakoitsija valittiin?", T.REASON),
    ("Mistä syystä koulu lakkautetaan?", T.REASON),
    ("Mihin mennessä korjaukset on tehtävä, ja miksi?", T.DATE),  # the first part is answered first
    ("Mitä lautakunta päätti torin kunnostuksesta?", T.DECISION),
    ("Mitä kirjastolle tapahtuu?", T.DECISION),
    ("Mitkä kadut päällystetään ensi kesänä?", T.LIST),
    ("Mitä avustuksia urheiluseurat saivat?", T.LIST),
    ("Mikä on uusin tieto torin kunnostuksesta?", T.DECISION),
    ("Kerro torin kunnostuksesta", T.GENERIC),
])
def test_detect(question, kind):
    assert detect(question).kind is kind


@voikko
def test_latest_and_many_modifiers():
    assert detect("Mikä on viimeisin päätös torista?") == Wanted(T.DECISION, latest=True)
    assert detect("Milloin lautakunta viimeksi käsitteli toria?").latest
    assert detect("Mitkä kadut päällystetään?").many
    assert not detect("Mikä on kahvilan hinta?").many  # a singular genitive is not a list


@pytest.mark.parametrize(("kind", "sentence", "expected"), [
    (T.AMOUNT, "Urakan hinta on 1 250 000 euroa.", True),
    (T.AMOUNT, "Kustannusarvio on 2,5 milj. €.", True),
    (T.AMOUNT, "Hinta on kohtuullinen.", False),
    (T.AMOUNT, "Investointi laskee 7 miljoonasta 6 miljoonaan euroon.", True),  # an inflected scale word
    (T.AMOUNT, "Avustus nousee 40 tuhanteen euroon.", True),
    (T.PERCENTAGE, "Maksua korotetaan 0,5 prosenttiyksikköä.", True),
    (T.PERCENTAGE, "Korotus on 3 %.", True),
    (T.PERCENTAGE, "Korotus on 30 euroa.", False),
    (T.DATE, "Kokous pidetään 12.5.2025.", True),
    (T.DATE, "Kirjasto avataan toukokuussa 2026.", True),
    (T.DATE, "Kirjasto avataan pian.", False),
    (T.COUNT, "Alueelle tulee 14 asuntoa.", True),
    (T.COUNT, "Päätös tehtiin 12.5.2025.", False),
    (T.GENERIC, "Mikä tahansa lause.", True),
    (T.YES_NO, "Mikä tahansa lause.", True),
])
def test_matches_values(kind, sentence, expected):
    assert matches(kind, sentence) is expected


@voikko
@pytest.mark.parametrize(("kind", "sentence", "expected"), [
    (T.COUNT, "Alueelle tulee kolme taloa.", True),
    (T.PERSON, "Tehtävään valittiin Matti Virtanen.", True),
    (T.PERSON, "Tehtävään valittiin Kerttu Kärkkälä-Öhman.", True),
    (T.PERSON, "Sivistysjohtaja esitteli asian.", True),
    (T.PERSON, "Asia esiteltiin kokouksessa.", False),
    # A firm answers "kuka" ("Kuka rakentaa sillan?") as a person does, even when its words are common nouns.
    (T.PERSON, "Urakka annetaan Sähkö Sipa Oy:lle.", True),
    (T.PERSON, "Avustus myönnetään Esimerkkilän Urheilijat ry:lle.", True),
    (T.PERSON, "Urakka annetaan sähköliikkeelle.", False),
    (T.DECISION, "Lautakunta hyväksyi ehdotuksen.", True),
    (T.DECISION, "Asiaa on valmisteltu pitkään.", False),
    (T.REASON, "Kokeilua ei jatketa, koska kävijöitä oli vähän.", True),
    (T.REASON, "Hinnat nousevat kustannusten kasvun vuoksi.", True),
    (T.REASON, "Perusteena on uusi laki.", True),
    (T.REASON, "Kokeilu päättyi keväällä.", False),
])
def test_matches_needing_analysis(kind, sentence, expected):
    assert matches(kind, sentence) is expected


def test_matches_accepts_wanted_and_strings():
    assert matches(Wanted(T.AMOUNT), "Hinta 100 €.") and matches("amount", "Hinta 100 €.")


@pytest.mark.parametrize("question", [
    "Kuinka suuri uhkasakko asetettiin luvattomasta rakentamisesta?",
    "Minkä suuruinen avustus kyläyhdistykselle myönnettiin?",
])
def test_size_of_a_thing_is_an_amount(question: str) -> None:
    assert detect(question).kind is T.AMOUNT


def test_an_adjective_without_an_interrogative_is_no_amount() -> None:
    assert detect("Mitä suuresta hankkeesta päätettiin?").kind is not T.AMOUNT


def test_a_sum_in_words_with_its_digits_in_brackets_is_an_amount() -> None:
    s = "myydä määräala kahdeksantoistatuhannen viidensadankuudenkymmenen (18.560) euron kauppahinnalla"
    assert matches(T.AMOUNT, s)
    assert not matches(T.AMOUNT, "myydä määräala kauppahinnalla (liite 3)")


def test_a_date_noun_inside_a_topic_compound_asks_no_date() -> None:
    # "purkuajankohdan siirtopyyntö" names the topic; the question asks what was done.
    assert detect("Mitä kaupunginhallitus teki purkuajankohdan siirtopyynnölle?").kind is T.DECISION
    assert detect("Mikä on purkamisen ajankohta?").kind is T.DATE


@pytest.mark.parametrize(("question", "kind", "also"), [
    ("Kuka osti puut ja paljonko hän maksoi?", T.AMOUNT, (T.PERSON,)),
    ("Milloin halli valmistuu ja paljonko se maksaa?", T.AMOUNT, (T.DATE,)),
    ("Mitä kaupungin ja seurakunnan yhteistyöstä päätettiin?", T.DECISION, ()),  # "ja" inside one part
    ("Paljonko avustusta myönnettiin?", T.AMOUNT, ()),
])
def test_the_other_parts_of_a_question_ask_their_own_values(question, kind, also) -> None:
    wanted = detect(question)
    assert wanted.kind is kind and wanted.also == also


@pytest.mark.parametrize("question, quantity", [
    ("Paljonko jäsenkuntien maksuosuudet nousevat vuonna 2027?", True),
    ("Kuinka paljon vesimaksut nousevat?", True),
    ("Paljonko uusi silta maksaa?", False),  # a money word: a sum in euros is asked
    ("Mikä on tuloveroprosentti?", False),  # a percentage of its own
])
def test_how_much_of_no_sum_of_money_is_a_quantity(question: str, quantity: bool) -> None:
    assert detect(question).quantity is quantity


def test_a_quantity_is_answered_by_a_sum_or_a_percentage() -> None:
    quantity = detect("Paljonko jäsenkuntien maksuosuudet nousevat vuonna 2027?")
    money = detect("Paljonko uusi silta maksaa?")
    share = "Maksuosuuksia korotetaan vuodelle 2027 3 % ja vuodelle 2028 2 %."
    assert matches(quantity, share) and not matches(money, share)
    assert matches(quantity, "Maksuosuus on 12 500 euroa.") and matches(money, "Silta maksaa 1,2 milj. euroa.")
    # "wholly owned" is a manner, not a share: no value for a quantity question
    assert not matches(quantity, "Yhtiö on kaupungin 100 %:sti omistama.")
    assert not matches(quantity, "Yhtiö on kaupungin 100 prosenttisesti omistama.")


@pytest.mark.parametrize("sentence, value", [
    ("vuodelle 2027 3 % ja vuodelle 2028 2 %", "3 %"),  # a number may follow a year
    ("korotus 1 234 567 euroa eli 12 %", "12 %"),
])
def test_a_percentage_after_a_year_is_read_but_a_digit_group_is_not_split(sentence: str, value: str) -> None:
    assert _PERCENT_RE.search(sentence).group() == value
    assert not _PERCENT_RE.search("yhteensä 1 234 567 euroa")


@pytest.mark.parametrize("sentence, expected", [
    ("Lapuan Kotiasunnot Oy on kaupungin 100 %:sti omistama tytäryhtiö.", False),  # a share is no count
    ("Veroprosentti on 21,5 prosenttia.", False),
    ("1. myöntää kaupungin 100-prosenttisen takauksen lainalle.", False),  # a clause's number, a share
    ("Vuonna 2025 myönnettiin 1.800.000 euron takaus.", False),  # a year and a sum are no count
    ("Yhtiö omistaa 412 asuntoa.", True),
    ("Vuonna 2024 hakijoita oli 98.", True),
    ("Hakemuksia saapui kolme.", True),
])
def test_a_count_is_a_number_that_is_no_share_sum_year_or_date(sentence: str, expected: bool) -> None:
    # "heitä" is a pronoun: no counted noun, so any count answers
    assert matches(detect("Montako heitä on?"), sentence) is expected


@voikko
@pytest.mark.parametrize("sentence, expected", [
    ("Yhtiö omistaa 412 asuntoa.", True),
    ("Kerrostaloon tulee 1 200 vuokra-asuntoa.", True),  # the counted noun as a compound's head
    ("Yhtiö omistaa kolmesataa uutta asuntoa.", True),  # a numeral word, an adjective between
    ("Yhtiö hakee takausta 1.800.000 euron lainalle 30 vuoden laina-ajalle.", False),  # a count of years
    ("Vuonna 2024 hakijoita oli 98.", False),  # a count of something else
])
def test_a_count_counts_the_noun_the_question_counts(sentence: str, expected: bool) -> None:
    wanted = detect("Montako asuntoa yhtiö omistaa?")
    assert wanted.counted == {"asunto"}
    assert matches(wanted, sentence) is expected


@voikko
@pytest.mark.parametrize("question, kind, quantity", [
    ("Mikä on valtionosuuksien määrä vuonna 2025?", T.AMOUNT, True),  # a sum or a share answers
    ("Mikä on kaupungin henkilöstömäärä?", T.COUNT, False),  # a quantity as a compound's head counts
    ("Mikä on koulun oppilasmääräraja?", T.DECISION, False),  # a compound whose head is no quantity
])
def test_a_quantity_noun_asks_for_a_quantity(question: str, kind: T, quantity: bool) -> None:
    wanted = detect(question)
    assert (wanted.kind, wanted.quantity) == (kind, quantity)


@pytest.mark.parametrize("question, now", [
    ("Kuka on kaupungin yhtiökokousedustaja Lapuan Energia Oy:ssä?", True),  # who holds it now
    ("Ketkä kaupunginhallituksen jäsenet ovat yhtiöiden hallituksissa?", False),  # a group: every item on it
    ("Kuka oli yhtiökokousedustaja vuonna 2023?", False),
    ("Kuka ehdotti koulun lakkauttamista?", False),
    ("Mikä on kiinteistöveroprosentti?", False),  # not a person question
])
def test_a_present_tense_person_question_asks_for_the_newest_holder(question: str, now: bool) -> None:
    assert detect(question).latest is now


@voikko
def test_a_quantity_noun_is_answered_by_a_sum_a_share_or_a_count() -> None:
    wanted = detect("Mikä on sairauspoissaolojen määrä henkilötyövuotta kohden?")
    assert wanted.measure
    assert matches(wanted, "Sairauspoissaoloja oli 13,5 kalenteripäivää henkilötyövuotta kohden.")
    assert matches(wanted, "Valtionosuutta saadaan 41,2 milj. euroa.") and matches(wanted, "Osuus on 3,6 %.")
    assert not matches(wanted, "Kertomus merkittiin tiedoksi 31.3.2026.")  # a date is no quantity
    assert not detect("Paljonko maksuosuudet nousevat?").measure  # a rise: a sum or a share, not a count


def test_a_table_row_whose_column_head_names_the_unit_is_an_amount() -> None:
    # A row read with its column head ("Hakija | Esitys (eur)" ⏎ "Kuvalan Kuoro ry | 1.200") puts the unit
    # before the figure; a head naming the unit with no figure after it is no amount.
    assert matches(T.AMOUNT, "Kuvalan Kuoro ry: Esitys (eur) 1.200.")
    assert matches(T.AMOUNT, "Kirjasto: Hinta (€) 40 000.")
    assert not matches(T.AMOUNT, "Esitys (eur) on liitteenä.")
