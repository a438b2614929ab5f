"""ingest.split (+ ingest.clean, core.bodies): the § splitter on short, real-looking snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.bodies import expand_abbreviation, is_body_name, organisation_for_body, resolve_body
from core.errors import NotMinutesError
from core.items import Document, Page
from ingest import clean
from ingest.split import split_document

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seeds" / "000_4a30459f69762328.txt"
ZW = "\u200b"


def _doc(*pages: str, fmt: str = "pdf", source: str = "test.pdf") -> Document:
    return Document(source=source, pages=[Page(i + 1, t) for i, t in enumerate(pages)], fmt=fmt)


def _header(page: int, total: int = 4, kind: str = "Pöytäkirja", body: str = "Tarkastuslautakunta") -> str:
    return f"Lapuan kaupunki | {kind} | 3/2025 | {page} ( {total} )\n{body} | 04.03.2025\n\n"


def _lapua(*item_pages: str, index: str, kind: str = "Pöytäkirja", tail: str = "") -> Document:
    """A Lapua-style document: index page, participants page, one page per item, appeal page."""
    n = len(item_pages) + 3
    first = _header(1, n, kind) + "Aika | 04.03.2025, klo 17:05 - 19:59\n\nKäsitellyt asiat\n\n" + index
    second = _header(2, n, kind) + "Saapuvilla olleet jäsenet\nMarkku Keskikallio, puheenjohtaja\n" \
                                   "Allekirjoitukset\n\nMarkku Keskikallio | Essi Koivisto\n"
    pages = [first, second] + [_header(i + 3, n, kind) + p for i, p in enumerate(item_pages)]
    appeal = _header(n, n, kind) + "Muutoksenhakukielto\n§13, §14\nMuutoksenhakukielto\n" \
                                   "Edellä mainituista päätöksistä ei saa tehdä oikaisuvaatimusta. " + tail
    return _doc(*pages, appeal)


# ---------------------------------------------------------------- clean / bodies helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("LAPDno-2025-262", ["LAPDno-2025-262"], id="lapua-dno"),
        pytest.param("Asia ESIDno-2024-7 ja KUNDno-2023-1001.", ["ESIDno-2024-7", "KUNDno-2023-1001"], id="any-dno"),
        pytest.param("1637/00.01.02.06/2025", ["1637/00.01.02.06/2025"], id="tos-4-levels"),
        pytest.param("Dnro 306/02.08.00/2016 liitteenä", ["306/02.08.00/2016"], id="tos-3-levels"),
        pytest.param("viite 12/2025 ja 3/2025", [], id="meeting-numbers-are-not-ids"),
        pytest.param("LAPDno-2025-262, LAPDno-2025-262", ["LAPDno-2025-262"], id="deduplicated"),
        pytest.param("x/LAPDno-2025-1", [], id="inside-a-path"),
    ],
)
def test_case_id_forms(text: str, expected: list[str]) -> None:
    assert clean.find_case_ids(text) == expected


@pytest.mark.parametrize(
    ("lines", "width", "expected"),
    [
        pytest.param(["Kutsun antaa puheenjohtaja ja ", "siinä on ilmoitettava."], None,
                     "Kutsun antaa puheenjohtaja ja siinä on ilmoitettava.", id="soft-wrap-space"),
        pytest.param([f"Talousarviossa ja -{ZW}", "suunnitelmassa"], None,
                     "Talousarviossa ja -suunnitelmassa", id="hyphen-zwsp"),
        pytest.param([f"päätösvaltainen,{ZW} kun"], None, "päätösvaltainen, kun", id="zwsp-removed"),
        pytest.param(["tehok\u00ad", "kaasta laskutuksesta"], None, "tehokkaasta laskutuksesta", id="soft-hyphen"),
        pytest.param(["on nou-", "datettava talousarviota"], None, "on noudatettava talousarviota", id="hyphenation"),
        pytest.param(["sosiaali-", "ja terveyspalvelut"], None, "sosiaali- ja terveyspalvelut", id="compound-ja"),
        pytest.param(["myös haja-", "asutusalueilla"], None, "myös haja-asutusalueilla", id="vowel-clash"),
        pytest.param(["pohjalta.", "Hallintosäännön mukaan"], None, "pohjalta.\nHallintosäännön mukaan",
                     id="hard-break"),
        pytest.param(["Moms for Kids ry:", "n Yhdessä-hanke"], None, "Moms for Kids ry:n Yhdessä-hanke",
                     id="colon-case-ending"),
        pytest.param(["kauppahinta on 56", "160 euroa."], 20, "kauppahinta on 56 160 euroa.", id="full-line"),
        pytest.param(["Kohteet:", "- uimahalli"], 10, "Kohteet:\n- uimahalli", id="list-not-joined"),
        pytest.param(["yksi", "", "kaksi"], None, "yksi\nkaksi", id="blank-ends-paragraph"),
        pytest.param(["juhlaan 5.", f"-{ZW}7.9.2025"], None, "juhlaan 5.-7.9.2025", id="break-before-hyphen"),
        pytest.param(["Esimerkkilän Näyttämö ry | 3.400", "Mallilan Kamerakerho ry | 800"], 20,
                     "Esimerkkilän Näyttämö ry | 3.400\nMallilan Kamerakerho ry | 800", id="table-rows-not-joined"),
    ],
)
def test_join_lines(lines: list[str], width: int | None, expected: str) -> None:
    assert clean.join_lines(lines, width=width) == expected


def test_boilerplate_removed_but_headings_kept() -> None:
    pages = [
        ["Lapuan kaupunki | Pöytäkirja | 3/2025 | 3 ( 9 )", "Tarkastuslautakunta | 04.03.2025", "", "§ 13", "Asia A"],
        ["Lapuan kaupunki | Pöytäkirja | 3/2025 | 4 ( 9 )", "Tarkastuslautakunta | 04.03.2025", "", "§ 14", "Asia B"],
        ["Lapuan kaupunki | Pöytäkirja | 3/2025 | 5 ( 9 )", "Tarkastuslautakunta | 04.03.2025", "§ 15", "Asia C",
         "Sivu 5/9"],
    ]
    out, header = clean.strip_boilerplate(pages)
    assert out == [["§ 13", "Asia A"], ["§ 14", "Asia B"], ["§ 15", "Asia C"]]
    assert header == ["Lapuan kaupunki | Pöytäkirja | 3/2025 | 3 ( 9 )", "Tarkastuslautakunta | 04.03.2025"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("PKTALK", ("Pohjois-Karjalan työllisyysalueen lautakunta", "PKTALK"), id="abbr"),
        pytest.param("Kh", ("Kaupunginhallitus", "Kh"), id="short-form"),
        pytest.param("Tekninen lautakunta", ("Tekninen lautakunta", None), id="full-name"),
        pytest.param("nuorisolautakunta", ("Nuorisolautakunta", None), id="unknown-body-capitalised"),
    ],
)
def test_resolve_body(text: str, expected: tuple[str, str | None]) -> None:
    assert resolve_body(text) == expected


def test_body_helpers() -> None:
    assert is_body_name("Puheenjohtajiston työryhmä") and is_body_name("ESTALK")
    assert not is_body_name("Kiinteistönomistajaa on ympäristölautakunnan päätöksellä")
    assert expand_abbreviation("ESTALK", "Esimerkkiseudun työllisyysalueen lautakunta päättää") == \
        "Esimerkkiseudun työllisyysalueen lautakunta"
    assert expand_abbreviation("XYZ", "Esimerkkiseudun työllisyysalueen lautakunta") is None
    assert organisation_for_body("Pohjois-Karjalan työllisyysalueen lautakunta") == "Pohjois-Karjalan työllisyysalue"
    assert organisation_for_body("Kaupunginhallitus") is None


# ---------------------------------------------------------------- the seed and seed-shaped text


@pytest.mark.skipif(not SEED.is_file(), reason="../shared seed not available")
def test_seed_acceptance() -> None:
    from ingest.readers import read_document

    parsed = split_document(read_document(SEED))
    assert len(parsed.items) == 1
    it = parsed.items[0]
    assert (parsed.kind, it.kind) == ("minutes", "minutes")
    assert it.body == "Pohjois-Karjalan työllisyysalueen lautakunta" and it.body_abbr == "PKTALK"
    assert it.municipality == parsed.municipality == "Pohjois-Karjalan työllisyysalue"
    assert (it.date, it.section, it.meeting_number) == ("2026-03-10", 12, None)
    assert it.case_ids == ["1637/00.01.02.06/2025"]
    assert it.title == "Ajankohtaiskatsaus Pohjois-Karjalan työllisyysalueen toimintaan"
    assert it.proposal == ("Pohjois-Karjalan työllisyysalueen lautakunta päättää\n"
                           "merkitä tiedoksi ajankohtaiskatsauksen Pohjois-Karjalan työllisyysalueen toiminnasta.")
    assert it.decision == "Hyväksyttiin yksimielisesti."
    assert it.preparer == "työllisyysaluejohtaja"
    assert it.experts == ["Merja Nygren", "Juuso Korhonen"]
    assert it.body_text.startswith("Ajankohtaiskatsauksessa tarkastellaan")
    assert any("Tarja Timonen saapui" in n for n in it.notes)
    assert it.history == [] and not it.votes and not it.tabled and not it.returned
    assert parsed.warnings == []
    assert it.citation() == "Pohjois-Karjalan työllisyysalueen lautakunta 10.3.2026 § 12, 1637/00.01.02.06/2025"


def _seed_item(sec: int, title: str, decision: str, extra: str = "") -> str:
    return (f"{title}\n\nPKTALK 10.03.2026 § {sec}\n16{sec}/00.01.02.06/2026\n\nKuvaus asiasta {sec}.\n\n"
            f"{extra}Valmistelija: työllisyysaluejohtaja\n\nTyöllisyysaluejohtajan päätösehdotus:\n\n"
            f"Lautakunta hyväksyy asian {sec}.\n\nPäätös:\n\n{decision}\n\n")


def test_several_items_in_one_text_file() -> None:
    text = (_seed_item(12, "Palkkatuki", "Hyväksyttiin yksimielisesti.")
            + _seed_item(13, "Kotoutumisohjelma", "Asia jätettiin pöydälle.",
                         extra="PKTALK 10.02.2026 § 5\n\nLautakunta käsitteli asiaa aiemmin.\n\nPäätös:\n\n"
                               "Merkittiin tiedoksi.\n\n______________\n\n")
            + _seed_item(14, "Nuorten kesätyöt", "Asia palautettiin valmisteluun."))
    parsed = split_document(_doc(text, fmt="txt", source="pktalk.txt"), municipality_hint="Joensuun kaupunki")
    assert [(it.section, it.title) for it in parsed.items] == [
        (12, "Palkkatuki"), (13, "Kotoutumisohjelma"), (14, "Nuorten kesätyöt")]
    assert all(it.municipality == "Joensuun kaupunki" for it in parsed.items)
    a, b, c = parsed.items
    assert a.case_ids == ["1612/00.01.02.06/2026"] and a.decision == "Hyväksyttiin yksimielisesti."
    assert [(h.body, h.date, h.section, h.decision) for h in b.history] == [
        ("Pohjois-Karjalan työllisyysalueen lautakunta", "2026-02-10", 5, "Merkittiin tiedoksi.")]
    assert b.tabled and not b.returned and b.decision == "Asia jätettiin pöydälle."
    assert c.returned and not c.tabled
    assert "Kuvaus asiasta 14." in c.text and "Kuvaus asiasta 13." not in c.text


# ---------------------------------------------------------------- Lapua-style layout


ITEM_13 = ("§ 13\nKokouksen laillisuus ja päätösvaltaisuus\n\nTarkastuslautakunnan kokous on päätösvaltainen,"
           f"{ZW} kun enemmän \nkuin puolet jäsenistä on saapuvilla.\n\nEhdotus\nPuheenjohtajan ehdotus:\n\n"
           "Kokous todetaan lailliseksi.\n\nPäätös\nTodettiin kokous lailliseksi.")
ITEM_14 = ("Kaupunginhallitus, § 258,23.09.2024\nTarkastuslautakunta, § 14, 04.03.2025\n§ 14\n"
           "LISÄPYKÄLÄ: Arviointikertomuksen valmistelu\n\nLAPDno-2025-263\n\n"
           "Kaupunginhallitus, 23.09.2024, § 258\nValmistelija / lisätiedot:\n\nSatu Kankare\n"
           "satu.kankare@lapua.fi\nKaupunginjohtaja\n\nLiitteet\n1 Arviointisuunnitelma 2025.\npdf\n\n"
           "Ehdotus\nEsittelijä: Satu Kankare,\u200b Kaupunginjohtaja\nKaupunginjohtajan ehdotus:\n"
           "Kaupunginhallitus esittää asian tarkastuslautakunnalle.\nPäätös\nKaupunginhallitus hyväksyi ehdotuksen.\n"
           "Tarkastuslautakunta, 04.03.2025, § 14\n\nAloitetaan arviointikertomuksen laatiminen. Asia käsiteltiin \n"
           "§ 13 jälkeen, kuten §:n 18 kohdalla todettiin.\n\nEhdotus\nPuheenjohtaja ehdottaa, että työ aloitetaan.\n\n"
           "Päätös\nTämä pykälä käsiteltiin §:n 18 jälkeen.\nTarkastuslautakunta hyväksyi ehdotuksen äänin 4–1.")
ITEM_14_CONT = ("Suoritetussa äänestyksessä annettiin 4 JAA-ääntä ja 1 EI-ääntä.\n\nEsteellisyys\n"
                "Esteellisenä (yhteisöjäävi) kokouksesta poistui klo 17.56-17.57 Eeva-Maria Latva-Rasku "
                "(Lapuan Sekakuoro ry), koska hän on Kuljetus Mäkelä Oy:n hallituksen jäsen.\n"
                "Pöytäkirjamerkintä: Kunnallistekniikan päällikkö Ulpu Viimaluoto oli asiantuntijana läsnä.")
INDEX = ("§ 13 | Kokouksen laillisuus ja päätösvaltaisuus\n\nLisäpykälät\n\n§ 14\n"
         "LISÄPYKÄLÄ: Arviointikertomuksen \nvalmistelu\n")


def test_lapua_layout_items_index_and_metadata() -> None:
    parsed = split_document(_lapua(ITEM_13, ITEM_14, ITEM_14_CONT, index=INDEX))
    assert (parsed.kind, parsed.municipality, parsed.body, parsed.date, parsed.meeting_number) == (
        "minutes", "Lapuan kaupunki", "Tarkastuslautakunta", "2025-03-04", "3/2025")
    assert parsed.index_sections == [13, 14] == [it.section for it in parsed.items]
    assert parsed.warnings == []
    first, second = parsed.items
    assert first.title == "Kokouksen laillisuus ja päätösvaltaisuus" and first.case_ids == []
    assert first.body_text == "Tarkastuslautakunnan kokous on päätösvaltainen, kun enemmän kuin puolet jäsenistä on saapuvilla."
    assert (first.proposal, first.decision) == ("Kokous todetaan lailliseksi.", "Todettiin kokous lailliseksi.")
    assert (first.page_start, first.page_end) == (3, 3)
    assert "Lapuan kaupunki" not in first.text and "Saapuvilla" not in first.text


def test_lapua_meeting_attendance_is_on_every_item() -> None:
    parsed = split_document(_lapua(ITEM_13, ITEM_14, ITEM_14_CONT, index=INDEX))
    # The participants page, not the signatures after it nor any item's text.
    assert [it.attendees for it in parsed.items] == [["Saapuvilla olleet jäsenet: Markku Keskikallio, puheenjohtaja"]] * 2


def test_lapua_history_extra_section_and_flags() -> None:
    it = split_document(_lapua(ITEM_13, ITEM_14, ITEM_14_CONT, index=INDEX)).items[1]
    assert it.extra_section and it.title == "Arviointikertomuksen valmistelu"
    assert it.case_ids == ["LAPDno-2025-263"]
    assert it.text.startswith("Kaupunginhallitus, § 258,23.09.2024")  # the handling chain belongs to this item
    assert [(h.label(), h.proposal, h.decision) for h in it.history] == [(
        "Kaupunginhallitus 23.9.2024 § 258", "Kaupunginhallitus esittää asian tarkastuslautakunnalle.",
        "Kaupunginhallitus hyväksyi ehdotuksen.")]
    assert it.preparer == "Satu Kankare, Kaupunginjohtaja"  # from the earlier body's part
    assert it.attachments == ["Arviointisuunnitelma 2025.pdf"]
    assert it.body_text == "Aloitetaan arviointikertomuksen laatiminen. Asia käsiteltiin § 13 jälkeen, kuten §:n 18 kohdalla todettiin."
    assert it.proposal == "Puheenjohtaja ehdottaa, että työ aloitetaan."
    assert it.decision.startswith("Tämä pykälä käsiteltiin §:n 18 jälkeen.")
    assert "4 JAA-ääntä ja 1 EI-ääntä" in it.votes
    assert it.disqualified == ["Eeva-Maria Latva-Rasku"]
    assert it.experts == ["Ulpu Viimaluoto"]
    assert any(n.startswith("Esteellisyys: Esteellisenä") for n in it.notes)
    assert (it.page_start, it.page_end) == (4, 5)
    assert "Muutoksenhakukielto" not in it.text and "oikaisuvaatimusta" not in it.text


def test_a_matter_described_by_an_earlier_body_keeps_its_description() -> None:
    # The board wrote the description; the council's part holds only its proposal and decision.
    item = ("Kaupunginhallitus, § 120,10.02.2025\nTarkastuslautakunta, § 14, 04.03.2025\n§ 14\n"
            "Kirjaston aukioloajat\n\nLAPDno-2025-300\n\n"
            "Kaupunginhallitus, 10.02.2025, § 120\nValmistelija / lisätiedot:\n\nAino Esimerkki\n"
            "aino.esimerkki@lapua.fi\nKirjastotoimenjohtaja\n\n"
            "Kirjasto on auki arkisin kello 10–19. Lauantaiaukiolo kokeillaan keväällä 2025.\n\n"
            "Ehdotus\nKaupunginjohtajan ehdotus:\nKaupunginhallitus esittää asian tarkastuslautakunnalle.\n"
            "Päätös\nKaupunginhallitus hyväksyi ehdotuksen.\n"
            "Tarkastuslautakunta, 04.03.2025, § 14\n\nEhdotus\nPuheenjohtaja ehdottaa, että asia merkitään tiedoksi.\n\n"
            "Päätös\nMerkittiin tiedoksi.")
    index = "§ 13 | Kokouksen laillisuus ja päätösvaltaisuus\n§ 14 | Kirjaston aukioloajat\n"
    it = split_document(_lapua(ITEM_13, item, index=index)).items[1]
    assert [h.label() for h in it.history] == ["Kaupunginhallitus 10.2.2025 § 120"]
    assert it.proposal == "Puheenjohtaja ehdottaa, että asia merkitään tiedoksi."
    assert "Lauantaiaukiolo kokeillaan keväällä 2025." in it.body_text
    # Its own description, when it has one, is never replaced (ITEM_14 above).
    own = split_document(_lapua(ITEM_13, ITEM_14, ITEM_14_CONT, index=INDEX)).items[1]
    assert own.body_text.startswith("Aloitetaan arviointikertomuksen laatiminen.")


def test_agenda_keeps_proposals_without_decisions() -> None:
    doc = _lapua(ITEM_13, ITEM_14, ITEM_14_CONT, index=INDEX, kind="Kokouskutsu")
    parsed = split_document(doc)
    assert parsed.kind == "agenda" and [it.section for it in parsed.items] == [13, 14]
    assert all(it.kind == "agenda" and it.decision == "" for it in parsed.items)
    assert parsed.items[0].proposal == "Kokous todetaan lailliseksi."


@pytest.mark.parametrize(
    "snippet",
    [
        pytest.param("Tämä pykälä käsiteltiin \n§ 18 jälkeen.", id="wrapped-reference"),
        pytest.param("Katso\n§ 18 käsitellyt tievalot.", id="lower-case-after-number"),
        pytest.param("Oikaisuvaatimus\n§13, §14, §18\nOikaisuvaatimusohje", id="appeal-section-list"),
        pytest.param("Puheenjohtaja\n§ 94-95\n", id="signature-range"),
    ],
)
def test_section_references_do_not_start_items(snippet: str) -> None:
    text = ("Esimerkkilän kaupunki\nPöytäkirja\nKaupunginhallitus\n\n§ 12\nEnsimmäinen asia\n\n"
            "Päätös\nHyväksyttiin.\n\n" + snippet + "\n")
    parsed = split_document(_doc(text, fmt="txt", source="kh.txt"))
    assert [it.section for it in parsed.items] == [12]
    assert parsed.items[0].decision.startswith("Hyväksyttiin.")
    assert "Oikaisuvaatimusohje" not in parsed.items[0].text


@pytest.mark.parametrize(
    ("decision", "field", "expected"),
    [
        pytest.param("Suoritetussa nimenhuutoäänestyksessä annettiin 6 JAA-ääntä ja 3 EI-ääntä.", "votes",
                     "Suoritetussa nimenhuutoäänestyksessä annettiin 6 JAA-ääntä ja 3 EI-ääntä.", id="vote"),
        pytest.param("Lautakunta hyväksyi ehdotuksen.", "votes", "", id="no-vote"),
        pytest.param("Lautakunta päätti jättää asian pöydälle.", "tabled", True, id="tabled"),
        pytest.param("Keskustelun kuluessa tekninen johtaja muutti ehdotustaan siten, että asia palautetaan "
                     "valmisteluun.", "returned", True, id="returned"),
        pytest.param("Asia palautettiin.", "returned", True, id="returned-short"),
        pytest.param("Puheenjohtaja totesi, että asia palautetaan lautakunnalle.", "returned", True,
                     id="returned-palautetaan"),
        pytest.param("Mustamaan valojen palauttamisen puolesta jätettiin anomus.", "returned", False,
                     id="not-returned"),
        pytest.param("Esko Yli-Karhu poistui kokoushuoneesta esteellisenä (edustusjäävi) asian käsittelyn ajaksi.",
                     "disqualified", ["Esko Yli-Karhu"], id="disqualified-name-first"),
        pytest.param("Esteellisenä (yhteisöjäävi) kokouksesta poistui kaupunginhallituksen jäsenet Pekka Hella ja "
                     "Jenni Huttunen.", "disqualified", ["Pekka Hella", "Jenni Huttunen"], id="disqualified-two"),
        pytest.param("Palvelupäällikkö Merja Nygren ja palveluvastaava Juuso Korhonen olivat kokouksessa "
                     "asiantuntijoina.", "experts", ["Merja Nygren", "Juuso Korhonen"], id="experts-without-titles"),
    ],
)
def test_decision_flags(decision: str, field: str, expected: object) -> None:
    text = f"Asia\n\nKh 02.12.2024 § 5\n\nKuvaus.\n\nPäätös:\n\n{decision}\n"
    (it,) = split_document(_doc(text, fmt="txt", source="kh.txt")).items
    assert getattr(it, field) == expected


def test_budget_book_is_refused() -> None:
    text = "Kokonaistalous\nTP 2023 | TA 2024\nToimintatuotot | 11 598 583\nKuntalain 110 §:n mukaan talousarvio.\n"
    with pytest.raises(NotMinutesError) as info:
        split_document(_doc(text, text, source="talousarvio.pdf"))
    assert info.value.path == "talousarvio.pdf"
