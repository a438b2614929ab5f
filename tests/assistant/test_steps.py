"""A case handled by the board and then the council: the council's decision is the answer (fictional minutes)."""

from __future__ import annotations

from datetime import date

import pytest

CASE = "LAPDno-2026-77"
SENTENCE = "Kaupunginhallitus esittää kaupunginvaltuustolle, että vuoden 2027 tuloveroprosentiksi vahvistetaan 8,6 %."


@pytest.fixture
def two_steps(tmp_path, settings, fake_embedder, write_meeting):
    from assistant.service import Assistant
    from ingest.pipeline import run

    d = tmp_path / "steps"
    write_meeting(d, "kh.txt", "KH", "02.03.2026", [
        (20, "Tuloveroprosentin vahvistaminen vuodelle 2027", CASE,
         "Kunnan talous edellyttää tuloveroprosentin korottamista. " + SENTENCE, "Hyväksyttiin."),
        (21, "Koulukuljetusten järjestäminen", "LAPDno-2026-81",
         "Kaupunginhallitus esittää valtuustolle, että koulukuljetukset kilpailutetaan.", "Hyväksyttiin."),
    ])
    write_meeting(d, "kv.txt", "KV", "16.03.2026", [
        (9, "Tuloveroprosentin vahvistaminen vuodelle 2027", CASE, SENTENCE,
         "Kaupunginvaltuusto hyväksyi kaupunginhallituksen ehdotuksen."),
        (10, "Koulukuljetusten järjestäminen", "LAPDno-2026-81",
         "Kaupunginhallitus esittää valtuustolle, että koulukuljetukset kilpailutetaan.",
         "Kaupunginvaltuusto päätti kilpailuttaa koulukuljetukset kolmeksi vuodeksi."),
    ])
    run([d], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder)


def test_a_fact_the_council_adopted_is_cited_to_the_council_and_said_once(two_steps):
    ans = two_steps.ask("Mikä on tuloveroprosentti vuodelle 2027?", today=date(2026, 6, 1))
    assert not ans.refused, ans.text
    first = ans.text.split("\n\n")[0]
    assert "8,6 %" in first and "16.3.2026 § 9" in first, ans.text
    assert ans.text.count("vahvistetaan 8,6 %") == 1


def test_a_decision_question_leads_with_the_final_step(two_steps):
    ans = two_steps.ask("Mitä koulukuljetuksista päätettiin?", today=date(2026, 6, 1))
    assert not ans.refused, ans.text
    first = ans.text.split("\n\n")[0]
    assert "kolmeksi vuodeksi" in first and "16.3.2026 § 10" in first, ans.text


def test_a_question_naming_the_board_gets_the_boards_step(two_steps):
    ans = two_steps.ask("Mitä kaupunginhallitus päätti koulukuljetuksista?", today=date(2026, 6, 1))
    assert not ans.refused, ans.text
    assert "2.3.2026 § 21" in ans.text.split("\n\n")[0], ans.text


def test_a_return_the_decision_line_states_is_not_noted_again(ask_over):
    ans = ask_over("statement", (
        35, "Vuoden 2025 tilinpäätös ja vastuuvapaus", "LAPDno-2026-90",
        "Tarkastuslautakunta on antanut lausuntonsa tilinpäätöksestä.",
        "Suoritetussa äänestyksessä annettiin 25 JAA-ääntä ja 6 EI-ääntä. Kaupunginvaltuusto hyväksyi vuoden 2025 "
        "tilinpäätöksen, myönsi vastuuvapauden ja päätti palauttaa tarkastuslautakunnan lausunnon takaisin "
        "valmisteluun."),
        "Mitä vuoden 2025 tilinpäätöksestä päätettiin?", abbr="KV")
    assert not ans.refused, ans.text
    assert "palauttaa tarkastuslautakunnan lausunnon" in ans.text
    assert "Asia palautettiin valmisteluun" not in ans.text  # the matter itself was approved


def _item(body: str, day: str, section: int, title: str, **kw):  # noqa: ANN202
    from core.items import AgendaItem

    return AgendaItem(municipality="Esimerkkilä", body=body, date=day, section=section, title=title, source="x.pdf",
                      case_ids=["LAPDno-2026-5"], decision="Hyväksyttiin.", **kw)


def test_a_later_item_of_the_same_case_id_is_the_final_step_only_when_it_carries_on_the_matter():
    from assistant.matters import continues, same_matter
    from assistant.steps import final_step
    from assistant.types import Query
    from core.items import HistoryEntry

    lease = _item("Kaupunginhallitus", "2026-01-20", 5, "Uimalan vuokrasopimuksen irtisanominen")
    claim = _item("Kaupunginhallitus", "2026-02-24", 56, "Uimalan vuokrasopimuksen irtisanominen / Oikaisuvaatimus")
    delay = _item("Kaupunginhallitus", "2026-11-03", 377, "Uimalan purkuajankohdan siirtopyyntö",
                  history=[HistoryEntry("Kaupunginhallitus", "2026-02-24", 56)])
    council = _item("Kaupunginvaltuusto", "2026-03-10", 12, "Uimalan vuokrasopimuksen irtisanominen")
    assert continues(lease, claim) and continues(lease, council)
    # The same body, another matter under the same case ID, although it recounts the claim.
    assert not continues(claim, delay) and not same_matter(delay, claim)
    # Unless the first item left the matter open.
    assert continues(_item("Kaupunginhallitus", "2026-02-24", 56, "Uimalan vuokra", returned=True), delay)
    q = Query(text="Mitä oikaisuvaatimukselle tehtiin?")
    assert final_step(q, [claim, delay, lease]) is claim
    assert final_step(q, [lease, delay, council]) is council


def test_sibling_matters_of_one_case_id_are_not_steps_of_each_other():
    from assistant.matters import continues, same_matter
    from core.items import HistoryEntry

    build = _item("Tekninen lautakunta", "2026-05-20", 76, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Rakennusurakka")
    power = _item("Tekninen lautakunta", "2026-05-20", 80, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Sähköurakka")
    decided = _item("Kaupunginhallitus", "2026-05-26", 178,
                    "Uimahallin rakennuttaminen / Urakoitsijoiden valinta / Rakennusurakka",
                    history=[HistoryEntry("Tekninen lautakunta", "2026-05-20", 76)])
    other = _item("Kaupunginhallitus", "2026-05-26", 182, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Sähköurakka",
                  history=[HistoryEntry("Tekninen lautakunta", "2026-05-20", 80)])
    assert not same_matter(build, power)
    assert continues(build, decided), "the city board decided what the board proposed (its history says so)"
    assert not continues(build, other) and continues(power, other)


@pytest.fixture
def contracts(tmp_path, settings, fake_embedder, write_meeting):
    from assistant.service import Assistant
    from ingest.pipeline import run

    d = tmp_path / "contracts"
    case = "LAPDno-2026-204"
    write_meeting(d, "tela.txt", "TELA", "20.05.2026", [
        (76, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Rakennusurakka", case,
         "Tekninen lautakunta esittää kaupunginhallitukselle, että rakennusurakoitsijaksi valitaan Esimerkki "
         "Rakennus Oy hintaan 9.000.000 euroa.", "Lautakunta hyväksyi ehdotuksen."),
        (80, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Sähköurakka", case,
         "Tekninen lautakunta esittää kaupunginhallitukselle, että sähköurakoitsijaksi valitaan Malli Sähkö Oy "
         "hintaan 600.000 euroa.", "Lautakunta hyväksyi ehdotuksen."),
    ])
    write_meeting(d, "kh.txt", "KH", "26.05.2026", [
        (178, "Uimahallin rakennuttaminen / Urakoitsijoiden valinta / Rakennusurakka", case,
         "Tarjouksia saatiin neljä.", "Kaupunginhallitus valitsi urakoitsijaksi Esimerkki Rakennus Oy:n "
         "hintaan 9.000.000 euroa."),
        (182, "Uimahallin rakennuttaminen / Urakoitsijan valinta / Sähköurakka", case,
         "Tarjouksia saatiin kaksi.", "Kaupunginhallitus valitsi urakoitsijaksi Malli Sähkö Oy:n hintaan 600.000 euroa."),
    ])
    run([d], settings, embedder=fake_embedder)
    return Assistant.open(settings, embedder=fake_embedder)


def test_a_boards_proposal_leads_to_the_city_boards_decision_of_the_same_matter(contracts):
    ans = contracts.ask("Mitä rakennusurakoitsijan valinnasta päätettiin lopullisesti?", today=date(2026, 6, 1))
    assert not ans.refused, ans.text
    first = ans.text.split("\n\n")[0]
    assert "26.5.2026 § 178" in first and "Esimerkki Rakennus" in first, ans.text
    assert "§ 182" not in ans.text and "Malli Sähkö" not in ans.text, "a sibling contract is another matter"
