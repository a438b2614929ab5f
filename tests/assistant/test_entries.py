"""A question asking for several things gets every entry of the list that answers it (fictional items)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.units import listed_units
from core import tokens

TODAY = date(2026, 6, 1)
MEMBERS = [("Aino Virtanen", "Pekka Laine"), ("Mikko Salo", "Liisa Koski"), ("Sari Niemi", "Jari Aho"),
           ("Timo Heino", "Kaisa Lehto"), ("Anna Mäki", "Olli Rinne")]
NAMED = ("Kaupunginhallitus nimesi vanhusneuvostoon vuosiksi 2026–2029 seuraavat jäsenet ja heille "
         "henkilökohtaiset varajäsenet:\n"
         + "\n".join(f"{n}. {m} (varajäsen {d})" for n, (m, d) in enumerate(MEMBERS, start=1)))


def test_numbered_sentences_and_table_rows_are_entries_of_one_list():
    text = ("Hanke etenee vaiheittain.\n1. Suunnittelu valmistuu keväällä.\n2. Urakka kilpailutetaan kesällä.\n"
            "3. Rakentaminen alkaa syksyllä.\nMäärärahat ovat talousarviossa.\n"
            "Kohde | Hinta\nKoulu | 120 000 €\nPäiväkoti | 80 000 €\nKirjasto | 40 000 €")
    units = listed_units(text)
    runs = [r for _u, r in units]
    assert runs[0] is None and runs[4] is None  # prose around the lists is no entry
    assert runs[1] == runs[2] == runs[3] is not None
    assert runs[5] == runs[6] == runs[7] is not None and runs[5] != runs[1]
    assert units[5][0] == "Koulu: Hinta 120 000 €."


def test_numbered_entries_with_sentences_of_their_own_are_one_list():
    text = ("Lautakunta hakee avustusta seuraaviin hankkeisiin:\n1. Koulun piha, kustannusarvio 80 000 €. "
            "Pihaan tulee lähiliikuntapaikka.\n2. Uimarannan laituri, kustannusarvio 30 000 €.\n"
            "3. Kirjaston valaistus, kustannusarvio 20 000 €. Valaisimet vaihdetaan LED-valaisimiin.\n"
            "1. Lisäksi lautakunta merkitsee tiedoksi aikataulun.\n2. Hankkeista tiedotetaan.")
    units = listed_units(text)
    entries = [u for u, r in units if r is not None]
    assert len(entries) == 3 and entries[2].startswith("3. Kirjaston valaistus")
    assert dict(units)["Pihaan tulee lähiliikuntapaikka."] is None  # an entry's own sentence is no entry
    assert dict(units)["2. Hankkeista tiedotetaan."] is None  # numbering starts again: another list, of two


def test_two_clauses_are_no_list_and_an_intro_joins_its_first_entry():
    two = listed_units("Lautakunta päättää:\n1. merkitä tiedoksi selvityksen.\n2. lähettää sen valtuustolle.")
    assert all(r is None for _u, r in two)
    three = listed_units("Valituiksi tulivat seuraavat:\n1. Aino Virtanen\n2. Mikko Salo\n3. Sari Niemi")
    assert three[0][0].startswith("Valituiksi tulivat seuraavat: 1. Aino Virtanen")
    assert len({r for _u, r in three}) == 1 and three[0][1] is not None


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")
def test_a_list_question_gets_every_entry_and_a_single_one_does_not(bot_over):
    bot = bot_over("council", "KH", "16.03.2026", [
        (31, "Vanhusneuvoston jäsenten nimeäminen", "310/00.00.01/2026",
         "Vanhusneuvostoon nimetään viisi jäsentä ja heille henkilökohtaiset varajäsenet.", NAMED),
    ])
    several = bot.ask("Ketkä nimettiin vanhusneuvostoon?", today=TODAY)
    assert not several.refused
    for member, deputy in MEMBERS:
        assert member in several.text and deputy in several.text
    assert several.text.count("Anna Mäki") == 1  # each entry once
    one = bot.ask("Kuka on Sari Niemen varajäsen vanhusneuvostossa?", today=TODAY)
    assert "Jari Aho" in one.text
    assert sum(m in one.text for m, _d in MEMBERS) < len(MEMBERS)  # the asked entry, not the whole list



@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")
def test_a_long_list_says_how_many_entries_are_left_out(bot_over, monkeypatch):
    from assistant import listing

    monkeypatch.setattr(listing, "MAX_ENTRIES", 3)
    bot = bot_over("council", "KH", "16.03.2026", [
        (31, "Vanhusneuvoston jäsenten nimeäminen", "310/00.00.01/2026",
         "Vanhusneuvostoon nimetään viisi jäsentä ja heille henkilökohtaiset varajäsenet.", NAMED),
    ])
    text = bot.ask("Ketkä nimettiin vanhusneuvostoon?", today=TODAY).text
    assert "Aino Virtanen" in text and "Anna Mäki" not in text
    assert "ja 2 muuta samassa luettelossa" in text


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")
def test_entries_printed_with_bullets_get_one_bullet_each(bot_over):
    rates = ("Kaupunginhallitus esittää, että valtuusto vahvistaa kiinteistöveroprosentit vuodelle 2027 seuraavasti:\n"
             "- Yleinen kiinteistöveroprosentti 1,35 %.\n- Vakituisen asuinrakennuksen veroprosentti 0,50 %.\n"
             "- Muiden asuinrakennusten veroprosentti 1,10 %.\n- Rakentamattoman rakennuspaikan veroprosentti 5,00 %.")
    bot = bot_over("tax", "KV", "16.03.2026", [(77, "Kiinteistöveroprosentit vuodelle 2027", "770/02.02.00/2026",
                                                  rates, "Valtuusto hyväksyi ehdotuksen.")])
    ans = bot.ask("Mitkä kiinteistöveroprosentit vahvistettiin?", today=TODAY)
    assert not ans.refused and "0,50 %" in ans.text and "5,00 %" in ans.text
    assert "- -" not in ans.text and "\n- Vakituisen" in ans.text.replace("\n\n", "\n")


@pytest.mark.skipif(tokens.BACKEND != "voikko", reason="libvoikko + voikko-fi not installed")
def test_a_decision_by_reference_to_a_list_answers_with_the_list(bot_over):
    # "… jakoi avustukset ehdotuksen mukaan": the table the decision adopts is what was decided, though the
    # prose around it shares more of the question's words than its rows do.
    grants = ("Toiminta-avustuksia haki yhdistyksiltä yhteensä 12 hakemusta. Yhdistysten toiminta-avustukset jaetaan "
              "kerran vuodessa. Toiminta-avustusta ei jaeta yhdistyksille, jotka saavat kohdeavustusta.\n"
              "Ehdotus avustusten jakamiseksi:\nHakija | Esitys (eur)\nKuvalan Kuoro ry | 1.200\n"
              "Esimerkkilän Näyttämö ry | 3.400\nMallilan Kamerakerho ry | 800\nYHTEENSÄ | 5.400")
    bot = bot_over("grants", "HYLA", "16.03.2026", [(44, "Kulttuuritoimen toiminta-avustukset 2026", "440/02.05.00/2026",
                                                     grants, "Lautakunta jakoi avustukset ehdotuksen mukaan.")])
    ans = bot.ask("Mille yhdistyksille toiminta-avustuksia jaettiin?", today=TODAY)
    assert not ans.refused
    for name in ("Kuvalan Kuoro ry", "Esimerkkilän Näyttämö ry", "Mallilan Kamerakerho ry"):
        assert name in ans.text



@pytest.mark.parametrize("decision, adopts", [
    ("Lautakunta hyväksyi ehdotuksen.\nTämän pykälän käsittelyn jälkeen lautakunta siirtyi käsittelemään pykälää 171.", True),
    ("Hyväksyttiin.", True),
    ("Asia palautettiin valmisteluun.\nLautakunta hyväksyi ehdotuksen muilta osin.", False),
    ("Lautakunta hyväksyi ehdotuksen muutettuna siten, että kolmas hanke jätetään pois.", False),
])
def test_a_decision_opening_by_adopting_the_proposal_makes_the_proposal_s_list_the_decision(decision, adopts):
    from assistant.evidence import opens_by_adopting
    from core.items import AgendaItem

    item = AgendaItem(municipality="Esimerkkilä", body="Tekninen lautakunta", date="2025-12-10", section=172,
                      title="Hankeavustushakemukset", source="x.txt", kind="minutes", decision=decision,
                      proposal="Lautakunta päättää hakea avustusta seuraaviin hankkeisiin:\n1. Katto.\n2. Kenttä.")
    assert opens_by_adopting(item) is adopts
