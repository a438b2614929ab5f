"""Every supported layout family on a short fictional fixture (tests/fixtures/layouts/), plus a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import NotMinutesError
from core.items import AgendaItem
from ingest.hints import hints_for
from ingest.parse import ParseFailedError, parse_file

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


def test_dynasty_item_page_keeps_earlier_handling_apart():
    d = parse_file(FIX / "dynasty.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date, d.kind) == (53, "Tekninen lautakunta", "2025-12-04", "minutes")
    assert it.title == "Katuvalojen uusiminen Kuusitiellä"
    assert it.case_ids == ["88/10.03.01/2025"]
    # "KH" of a kunta is its Kunnanhallitus (the registry alone would say Kaupunginhallitus)
    assert [(h.body, h.date, h.section) for h in it.history] == [("Kunnanhallitus", "2025-11-12", 201)]
    assert it.decision == "Hyväksyttiin."
    assert it.presenter and "Kalle Katu" in it.presenter
    assert d.municipality == "Esimerkkilän kunta"
    assert it.provenance["body"] == "item_header" and it.provenance["section"] == "item_header"


def test_dynasty_page_with_the_description_after_the_decision_and_a_handling_part():
    # A welfare area's Dynasty page: preparers listed under "Valmistelijat ja lisätiedot (…):", the
    # handling ("Käsittely") between the proposal and the decision, the description ("Selostus") last.
    d = parse_file(FIX / "dynasty_selostus.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date, d.municipality) == (198, "Aluehallitus", "2023-12-04",
                                                               "Esimerkkiseudun hyvinvointialue")
    assert it.preparer == "Malli Maija; Kuvitelma Kalle"
    assert it.proposal.startswith("Aluehallitus päättää") and "Käsittelyn aikana" not in it.proposal
    assert it.decision.endswith("Aluehallitus hyväksyi päätösehdotuksen yksimielisesti.")
    assert "Käsittelyn aikana" in it.decision and "alijäämäinen" not in it.decision
    assert it.body_text.startswith("Hyvinvointialueen talous on alijäämäinen.")
    assert "Malli Maija" not in it.body_text and "Kuvitelma" not in it.body_text


def test_dynasty_page_naming_presenter_and_preparer_before_the_description():
    # A joint authority's board: "Esittelijä" and "Valmistelija" head the earlier handling, then the
    # description, then a labelled proposal. The presenter line does not start the proposal.
    d = parse_file(FIX / "dynasty_presenter_first.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (109, "Hallitus", "2020-10-09")
    assert [(h.body, h.date, h.section) for h in it.history] == [("Hallitus", "2020-09-18", 94)]
    assert it.history[0].proposal == "Hallitus merkitsee osavuosikatsauksen tiedoksi."
    assert "Talousvettä pumpattiin" in it.body_text and "Valmistelija" not in it.body_text
    assert it.proposal == "Hallitus esittää osavuosikatsauksen yhtymäkokoukselle."
    assert it.presenter == "Toimitusjohtaja Erkki Esimerkki" and it.preparer == "Talousjohtaja Kalle Kuvitelma"


def test_cloudnc_presenter_under_its_own_label_and_a_bare_case_id():
    # CloudNC of a welfare area: "412/2023" alone under the title is the item's ID; "Esittelijä" ⏎ name inside
    # the proposal names the presenter; "Päätösehdotus oli" is a proposal label; "Perustelut" heads the description.
    d = parse_file(FIX / "cloudnc_presenter.txt")
    first, second = d.items
    assert first.case_ids == ["412/2023"]
    assert first.presenter == "Hyvinvointialuejohtaja Kalle Kuvitelma"
    assert first.proposal == "Aluehallitus päättää hyväksyä kotihoidon maksut 1.1.2024 lukien liitteen mukaisesti."
    assert first.body_text.startswith("Kotihoidon maksujen enimmäismäärät")
    assert first.preparer == "Eeva Esimerkki, kehittämispäällikkö"
    assert (second.presenter, second.proposal) == ("Puheenjohtaja", "Todetaan kokouksen laillisuus ja päätösvaltaisuus.")
    assert second.case_ids == [] and not second.body_text


def test_cloudnc_presenter_as_a_contact_line_after_a_blank_fields_dash():
    # CloudNC prints "-" for an empty field and a presenter or preparer as "Name, title, e-mail" (or a bullet):
    # the contact names the presenter, the dash names nobody, and neither opens the proposal.
    d = parse_file(FIX / "cloudnc_contact_presenter.txt")
    first, second = d.items
    assert first.presenter == "Aapo Aarnio, kansliapäällikkö"
    assert first.proposal.startswith("Kaupunginhallitus päättää, ettei")
    assert second.presenter == "Olli Oksanen" and second.proposal.startswith("Kaupunginhallitus esittää")
    assert second.preparer == "Veera Vaahtera, kaavoituspäällikkö"  # no "-", no "Perustelut"
    assert second.body_text.startswith("Muutoksella sallitaan")
    # "Kokouskäsittely" (CloudNC's word for Käsittely) heads what the meeting did: no line of the decision.
    assert second.decision == "Ehdotus hyväksyttiin."
    assert any("asiantuntijana" in n for n in second.notes)


def test_small_municipality_minutes_with_capitalised_owner_labels():
    # A municipality's Word minutes: "KH § 42" markers, "KUNNANJOHTAJAN EHDOTUS: …" in capitals, and no
    # organisation name: its own words ("Kunnanhallitus hyväksyy …") say it is a kunta's board.
    d = parse_file(FIX / "smalltown_upper_labels.txt")
    assert d.body == "Kunnanhallitus" and {it.body for it in d.items} == {"Kunnanhallitus"}
    lights = d.items[1]
    assert lights.proposal == "Kunnanhallitus hyväksyy Valomalli Oy:n tarjouksen 9 800 euroa (alv 0 %)."
    assert "EHDOTUS" not in lights.body_text and lights.decision == "Ehdotus hyväksyttiin."
    # "Lisätietoja asiasta antaa …" names the preparer, the phone number dropped.
    assert lights.preparer == "tekninen johtaja Teemu Testi" and "Lisätietoja" not in lights.body_text


def test_swedish_cloudnc_beskrivning_heads_the_description():
    (it,) = parse_file(FIX / "cloudnc_sv_beskrivning.txt").items
    assert it.body_text == "Till områdesstyrelsen för kännedom: revisionsnämndens protokoll 29.2.2024."
    assert (it.presenter, it.decision) == ("Välfärdsområdesdirektören", "Beslutsförslaget godkändes.")


def test_dynasty_labels_in_a_side_column_with_their_text_on_the_same_line():
    (it,) = parse_file(FIX / "dynasty_side_labels.txt").items
    assert it.proposal == "Kaupunginhallitus hylkää oikaisuvaatimuksen vastineessa esitetyin perustein."
    assert it.decision == "Hyväksyttiin."
    assert it.preparer == "kaavoituspäällikkö Hilkka Haapala"
    assert "Päätösehdotus" not in it.body_text and it.case_ids == ["233/10.03.00.01/2021"]


def test_dynasty_handlings_numbered_before_the_sign():
    # A handling table ("Liikuntalautakunta" / "52 §" / "28.4.2015") above the item, and handling headings
    # "Body date 52 §": the table is no title, and each heading starts a handling of its own.
    (it,) = parse_file(FIX / "dynasty_number_first_handlings.txt").items
    assert (it.section, it.title) == (191, "Urheilukenttien kunnostussuunnitelma")
    assert [(h.body, h.date, h.section, h.decision) for h in it.history] == [
        ("Liikuntalautakunta", "2015-04-28", 52, "Palautettiin valmisteluun."),
        ("Liikuntalautakunta", "2015-05-26", 61, "Hyväksyttiin.")]
    assert (it.proposal, it.decision) == ("Kaupunginhallitus merkitsee suunnitelman tiedoksi.", "Hyväksyttiin.")
    assert it.body_text.startswith("Lähtökohdat Kenttien käyttöaste")  # the matter's description, from the first


def test_dynasty_bare_markers_are_dated_by_the_handling_table():
    # "KH § 188" / "KH § 262" in the text name no date; the table above the title does ("§ 188" / "13.05.2019").
    (it,) = parse_file(FIX / "dynasty_bare_markers.txt").items
    assert [(h.body, h.date, h.section) for h in it.history] == [("Kaupunginhallitus", "2019-05-13", 188)]
    assert it.history[0].decision == "Kaupunginjohtajan ehdotus hyväksyttiin."
    assert it.proposal == "Kaupunginhallitus päättää siirtää pukusuojien uusimiseen 45 000 euroa."
    assert it.decision == "Kaupunginjohtajan ehdotus hyväksyttiin yksimielisesti."
    assert it.body_text.startswith("Rahoitukseksi esitetään")


def test_word_minutes_with_the_number_first_marker_alone_on_its_line():
    # "68 §" in a column of its own, the title on the next line (Word and PDF exports of small municipalities);
    # a law's "103 §" wrapped onto a line of its own inside a description is no item.
    d = parse_file(FIX / "word_number_first_markers.txt")
    assert [(it.section, it.title) for it in d.items] == [
        (68, "KOKOUKSEN LAILLISUUDEN JA PÄÄTÖSVALTAISUUDEN TOTEAMINEN"), (69, "KOULUKULJETUSTEN HANKINTA")]
    assert d.items[1].proposal == "Kunnanhallitus valitsee koulukuljetusten liikennöitsijäksi Kyytimalli Oy:n."
    assert "103 §" in d.items[1].body_text


def test_joint_authority_minutes_marked_with_the_bodys_whole_name():
    # "Yhtymähallitus 36 §" under each title (a registered abbreviation is not needed when the name is a
    # body's); the organisation named in the genitive before its body; "Kuntayhtymän johtajan esitys:".
    d = parse_file(FIX / "joint_authority_body_markers.txt")
    assert (d.body, d.municipality) == ("Yhtymähallitus", "Kuvitelman kuntayhtymä")
    assert [(it.section, it.title) for it in d.items] == [
        (36, "KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS"), (37, "ENSIHOIDON YÖVALMIUS")]
    assert d.items[1].proposal == "Yhtymähallitus päättää jatkaa yövalmiutta vuoden 2027 loppuun."
    assert d.items[1].decision == "Esitys hyväksyttiin."


def test_an_agenda_cover_bound_to_minutes_gives_minutes():
    # "ASIALISTA" on the cover, but most items record what was decided: the decisions are kept.
    d = parse_file(FIX / "agenda_cover_minutes.txt")
    assert d.kind == "minutes" and d.municipality == "Kuvitelman liitto"
    assert [it.decision for it in d.items[:2]] == ["Esitys hyväksyttiin.", "Esitys hyväksyttiin yksimielisesti."]
    assert d.items[1].proposal == "Maakuntahallitus päättää asettaa vaihekaavan vireille."


def test_the_proposers_role_before_the_proposal_on_one_line():
    # "Ehdotus   Pelastusjohtaja: Johtokunta toteaa …": the role presents; the proposal is what follows it.
    # "Kustannusarvio: 410 000 euroa." in the description is no proposer.
    d = parse_file(FIX / "proposer_before_proposal.txt")
    assert [(it.presenter, it.proposal) for it in d.items] == [
        ("Pelastusjohtaja", "Johtokunta toteaa kokouksen laillisuuden ja päätösvaltaisuuden."),
        ("Pelastusjohtaja", "Johtokunta hyväksyy peruskorjauksen hankesuunnitelman.")]
    assert d.items[1].body_text == "Paloaseman katto ja ilmanvaihto uusitaan. Kustannusarvio: 410 000 euroa."


def test_dynasty_valmistelu_line_names_the_preparers():
    d = parse_file(FIX / "dynasty_valmistelu_line.txt")
    (it,) = d.items
    assert it.preparer == "hallintojohtaja Saara Salmi, henkilöstöpäällikkö Toni Tammi"
    assert it.body_text.startswith("Etätyötä tehdään")
    assert [(h.body, h.section) for h in it.history] == [("Henkilöstöjaosto", 48)]


def test_swedish_dynasty_page_with_a_nämnden_för_handling_and_a_proposer_line():
    d = parse_file(FIX / "dynasty_sv_namnden.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (12, "Kommunfullmäktige", "2022-03-14")
    assert [(h.body, h.date, h.section) for h in it.history] == [("Nämnden för samhällstjänster", "2022-02-10", 8)]
    assert it.case_ids == ["211/2022"]  # "Dnr 211/2022": the label without a colon
    assert it.presenter == "Kommundirektören"
    assert it.proposal.startswith("Kommunfullmäktige godkänner") and it.decision == "Förslaget godkändes enhälligt."


def test_ktweb_handling_headings_in_short_forms_split_the_history():
    # "Stfm 28.10.2013 § 94" and "Stst 12.1.2015 § 3": short forms no registry holds, read as the body named
    # in the item whose letters they take closest together (Stst: Stadsstyrelsen, not Stadsfullmäktige).
    d = parse_file(FIX / "ktweb_sv_short_forms.txt")
    (it,) = d.items
    assert [(h.body, h.date, h.section) for h in it.history] == [
        ("Stadsfullmäktige", "2013-10-28", 94), ("Stadsstyrelsen", "2015-01-12", 3)]
    assert it.history[1].decision == "Stadsstyrelsen bordlade ärendet."
    assert it.decision == "Förslaget godkändes."
    assert it.proposal == "Stadsstyrelsen föreslår för stadsfullmäktige att motionen anses slutbehandlad."
    assert it.presenter == "Stadsdirektören" and it.case_ids == ["207/2013"]


def test_a_contents_list_before_the_items_is_not_the_items():
    # "41 § …" ⏎ "42 § …" listed under "§ Liite Asia", then members and the notice, then the same headings
    # with their text: the items are the second run, each with its own text.
    d = parse_file(FIX / "contents_then_items.txt")
    assert [it.section for it in d.items] == [41, 42, 43, 44]
    avaus, laillisuus, sauna, ohjeet = d.items
    assert avaus.body_text == "Puheenjohtaja avasi kokouksen klo 18.30."
    assert laillisuus.decision == "Esitys hyväksyttiin." and "Jäsenet" not in laillisuus.body_text
    assert sauna.title == "LEIRIKESKUKSEN SAUNAN KORJAUS"  # "(liite)" marks an attachment, it is no title
    assert sauna.proposal.startswith("Kirkkoneuvosto hyväksyy saunan korjauksen")
    assert "Esitys" not in ohjeet.decision and ohjeet.body_text == "Liitetään pöytäkirjaan."


def test_turku_summary_above_the_handling_marker_is_part_of_the_description():
    d = parse_file(FIX / "turku_summary.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date, it.case_ids) == (44, "Kasvatus- ja opetuslautakunta", "2024-03-18",
                                                           ["3310-2024"])
    assert it.body_text.startswith("Lautakunta päätti 14.2.2024 luopua Mallipuiston päiväkodin tiloista.")
    assert "Eräät huoltajat vaativat" in it.body_text and "Tiivistelmä" not in it.body_text
    assert it.proposal.endswith("hylkää oikaisuvaatimuksen perusteettomana.") and it.decision == "Ehdotus hyväksyttiin."


def test_helsinki_swedish_presenter_and_contact_after_the_proposal():
    # paatokset.hel.fi in Swedish: Beslut, Behandling, Beslutsförslag, then "Föredragande" ⏎ the presenting
    # body and "Ytterligare upplysningar" ⏎ the contact person (who prepared it), not more proposal text.
    d = parse_file(FIX / "helsinki_sv.txt")
    (it,) = d.items
    assert (it.section, it.case_ids) == (198, ["HEL 2021-004417"])
    assert it.proposal == "Stadsfullmäktige godkänner att maximipriset i projektplanen höjs med 1 250 000 euro."
    assert it.decision.startswith("Stadsfullmäktige godkände att maximipriset")
    assert it.presenter == "Stadsstyrelsen"
    assert it.preparer == "Erik Exempel, projektchef"


def test_cloudia_text_after_earlier_handling_is_history_not_decision():
    d = parse_file(FIX / "cloudia.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (12, "Ympäristölautakunta", "2024-02-03")
    assert it.case_ids == ["ESIDno-2024-44"]
    assert not it.decision and not it.has_decision
    assert it.history and "palautettiin" in it.history[0].decision
    assert it.provenance["date"] == "document_header"


def test_turku_handling_table_last_row_is_this_meeting():
    d = parse_file(FIX / "turku.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (22, "Kaupunginvaltuusto", "2024-03-16")
    assert d.municipality == "Esimerkkilän kaupunki"
    assert it.case_ids == ["4567-2023"]
    assert [(h.body, h.section) for h in it.history] == [("Kaupunginhallitus", 101)]
    assert it.decision.startswith("Ehdotus hyväksyttiin")


def test_helsinki_decision_comes_first_and_names_the_city():
    d = parse_file(FIX / "helsinki.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (321, "Kaupunginhallitus", "")
    assert it.municipality == "Helsingin kaupunki"
    assert it.case_ids == ["HEL 2024-001234"]
    assert it.title == "Esimerkkipuiston kunnostuksen hankesuunnitelma"
    assert it.has_decision and it.tabled
    assert "päivämäärä puuttuu" in it.citation()


def test_web_digest_without_year_has_no_date_and_unlabelled_decisions():
    d = parse_file(FIX / "digest.html")
    assert [it.section for it in d.items] == [604, 605, 606]
    assert d.body == "Kaupunginhallitus" and d.date == "" and d.kind == "minutes"
    assert [it.has_decision for it in d.items] == [True, False, False]


def test_swedish_protokoll_keeps_swedish_body():
    d = parse_file(FIX / "protokoll_sv.txt")
    (it,) = d.items
    assert (it.section, it.body, it.date) == (81, "Kommunstyrelsen", "2022-09-27")
    assert it.proposal.startswith("Kommunstyrelsen utser") and it.decision == "Förslaget godkändes."


def test_tweb_meeting_call_is_an_agenda_and_pseudo_items_are_dropped():
    d = parse_file(FIX / "agenda_sv.txt")
    assert d.kind == "agenda" and [it.section for it in d.items] == [4, 5]
    assert d.body == "Stadsstyrelsen" and d.date == "2025-01-22"
    assert d.items[1].case_ids == ["49/2025"]


def test_docplayer_dump_markers_fit_the_body():
    d = parse_file(FIX / "docplayer.txt")
    assert [it.section for it in d.items] == [193, 194]  # "VUODEN 2014" is no marker
    assert d.body == "Kunnanhallitus" and d.date == "" and d.municipality == "Esimerkkilän kunta"
    assert d.items[0].title == "KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS"
    assert d.items[0].decision.startswith("Kokous todettiin")


def test_report_with_numbered_paragraphs_is_not_minutes():
    with pytest.raises(NotMinutesError):
        parse_file(FIX / "news.txt")


def test_pdf_single_item(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ["Sivistyslautakunta, kokous 5.3.2025", "", "Pöytäkirja on tarkastettu", "",
                 "§ 7 Koulukuljetusten hankinta", "", "ESIDno-2025-9", "", "Ehdotus", "",
                 "Lautakunta hyväksyy hankinnan.", "", "Päätös", "", "Hyväksyttiin."]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "ptk.pdf"
    pdf.output(str(path))
    (it,) = parse_file(path).items
    assert (it.section, it.body, it.date, it.case_ids) == (7, "Sivistyslautakunta", "2025-03-05", ["ESIDno-2025-9"])
    assert it.has_decision


def test_user_and_sidecar_fill_only_gaps(tmp_path):
    src = (FIX / "digest.html").read_bytes()
    (tmp_path / "khp.html").write_bytes(src)
    (tmp_path / "pöytäkirjat.toml").write_text(
        'municipality = "Esimerkkilän kaupunki"\nbody = "Tekninen lautakunta"\n'
        '[tiedostot."khp.html"]\ndate = "14.12.2025"\n', encoding="utf-8")
    d = parse_file(tmp_path / "khp.html", user={"municipality": "Muu kunta"})
    it = d.items[0]
    assert it.body == "Kaupunginhallitus" and it.provenance["body"] == "document_header"  # the document wins
    assert it.date == "2025-12-14" and it.provenance["date"] == "user"
    assert it.municipality == "Esimerkkilän kaupunki"  # from the document's own line


def test_hints_from_filename_and_folder(tmp_path):
    f = tmp_path / "Tekninen_lautakunta" / "ptk_22_01_2015.txt"
    f.parent.mkdir()
    h = hints_for(f)
    assert h.values == {"date": "2015-01-22", "body": "Tekninen lautakunta"}
    assert h.provenance == {"date": "filename", "body": "folder"}


def test_any_exception_becomes_a_finnish_refusal(tmp_path, monkeypatch):
    import ingest.parse as parse

    def boom(*a, **k):
        raise ValueError("max() arg is an empty sequence")

    monkeypatch.setattr(parse, "split_document", boom)
    with pytest.raises(ParseFailedError) as info:
        parse_file(FIX / "cloudia.txt")
    assert "jäsentäminen epäonnistui" in info.value.message() and "cloudia.txt" in info.value.message()


def test_old_store_rows_load_and_missing_values_are_marked():
    it = AgendaItem.from_dict({"municipality": "", "body": "", "date": "", "section": 3, "title": "T", "source": "a"})
    assert it.provenance == {} and it.citation() == "toimielin puuttuu (päivämäärä puuttuu) § 3"
    other = AgendaItem.from_dict({**it.to_dict(), "source": "b"})
    assert other.item_id != it.item_id  # two undated files never collide


def test_store_metadata_of_undated_item():
    from core.store import passage_metadata

    it = AgendaItem(municipality="", body="Kh", date="", section=1, title="T", source="s")
    assert passage_metadata(it, 0)["date_num"] == 0


def test_labelled_web_page_reads_the_date_under_its_label_and_label_cell_decisions():
    """Label and value on separate lines ("Kokouspäivä⏎12.3.2026"), and "Päätös <text>" cells: the
    meeting's day is not the later viewing date ("Aika 19.3.2026"), and each item has its decision.
    The body is named with its term ("Tekninen lautakunta 2025-2029")."""
    d = parse_file(FIX / "labelled_web.txt")
    assert [it.section for it in d.items] == [21, 22]
    assert {it.body for it in d.items} == {"Tekninen lautakunta"}
    assert {it.date for it in d.items} == {"2026-03-12"}
    assert d.kind == "minutes"
    assert [it.decision for it in d.items] == ["Päätösesitys hyväksyttiin yksimielisesti.", "Ehdotus hyväksyttiin."]
    assert "120 000 euroa" in d.items[1].proposal


@pytest.mark.parametrize(("abbr", "body", "fits"), [
    ("KHAL", "Kunnanhallitus", True),
    ("YMPJARAKL", "Ympäristö- ja rakennuslautakunta", True),  # long capitals that fit the name
    ("Kh", "Kunnanhallitus", True),  # mixed case: registered for the body
    ("Kunnan", "Kunnanhallitus", False),  # a capitalised word of the text fits as letters but is no abbreviation
    ("Sivu", "Kunnanhallitus", False),
    ("KHALLITUSJAOS", "Kunnanhallitus", False),  # longer than any abbreviation
    ("KH", "", False),  # no body to fit
])
def test_dump_marker_abbreviation_fits_the_meeting_body(abbr, body, fits):
    from ingest.dumps import _abbreviates

    assert _abbreviates(abbr, body) is fits



@pytest.mark.parametrize(("name", "section", "title"), [
    pytest.param("dynasty_cells.txt", 56, "Uimarantojen valvonta kesällä 2026", id="handling row cells with pipes"),
    pytest.param("dynasty_attachments.txt", 41, "Osavuosikatsaus 1.1.-30.4.2026", id="attachment list first"),
])
def test_dynasty_title_is_not_a_table_cell_or_an_attachment(name, section, title):
    d = parse_file(FIX / name)
    (it,) = d.items
    assert (it.section, it.title) == (section, title)
    assert it.decision == "Hyväksyttiin."


def test_dump_with_bare_item_numbers_takes_titles_from_its_listing():
    d = parse_file(FIX / "docplayer_bare.txt")
    # The listing on page 1 ("Käsitellyt asiat 21 … 25 …") is not the items; 23 is not public.
    assert [it.section for it in d.items] == [21, 22, 24]
    assert d.date == "2024-03-12" and d.municipality == "Esimerkkilän kunta"
    assert [it.title for it in d.items] == ["Kokouksen laillisuus ja päätösvaltaisuus", "Pöytäkirjan tarkastus",
                                            "Leikkikentän uusiminen, Kuusikylä"]
    assert [it.decision for it in d.items] == ["Ehdotus hyväksyttiin.", "Ehdotus hyväksyttiin.",
                                               "Ehdotus hyväksyttiin yksimielisesti."]
    # The next page's running header is no part of the decision before it.
    assert all("Pöytäkirja 3/2024" not in it.text for it in d.items)


def test_dump_listing_its_markers_first_gives_only_the_items_printed():
    d = parse_file(FIX / "docplayer_listed.txt")
    assert [it.section for it in d.items] == [31, 32]
    assert d.body == "Ympäristö- ja rakennuslautakunta"
    assert d.items[1].title == "PÖYTÄKIRJAN TARKASTUS"
    assert "Olli Testaaja" in d.items[1].text


def test_dump_item_number_opening_a_page_is_an_item_when_pages_are_not_numbered():
    d = parse_file(FIX / "docplayer_sv_pages.txt")
    assert [it.section for it in d.items] == [7, 8]
    assert [it.title for it in d.items] == ["Laglighet och beslutförhet", "Protokolljustering"]
    assert d.body == "Kommunfullmäktige" and d.date == "2016-06-08"
    # No labels survived the dump: the last sentence that says what was done starts the decision.
    assert [it.decision for it in d.items] == ["Konstaterades.",
                                               "Till protokolljusterare valdes Anna Exempel och Bo Prov."]
    assert d.items[1].body_text == "Fullmäktige utser två protokolljusterare."


def test_dump_that_only_lists_items_is_not_minutes():
    with pytest.raises(NotMinutesError):
        parse_file(FIX / "docplayer_toc_only.txt")


def test_dump_with_an_unregistered_abbreviation_reads_it_as_a_run():
    d = parse_file(FIX / "docplayer_kvalt.txt")
    # "Kvalt 42", "Kvalt 43" fit "Kunnanvaltuusto" and form a run; "Kunnan 12" fits too but stands alone.
    assert [it.section for it in d.items] == [42, 43]
    assert d.body == "Kunnanvaltuusto"
    # The page's "42, 43 KOKOUKSEN …" list of its items is no title: the text between holds sentences.
    assert [it.title for it in d.items] == ["KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS", "PÖYTÄKIRJAN TARKASTAJIEN VALINTA"]
    assert d.items[0].decision == "Kokous todettiin lailliseksi."


def test_web_minutes_record_the_meeting_under_paatoksen_lisatiedot():
    d = parse_file(FIX / "web_lisatiedot.txt")
    assert [it.section for it in d.items] == [12, 13]
    assert d.body == "Tekninen lautakunta" and d.date == "2026-02-11"
    assert d.items[1].proposal.startswith("Urakka annetaan Esimerkkirakennus Oy:lle")
    assert d.items[1].decision == "Lautakunta hyväksyi ehdotuksen yksimielisesti."


def test_item_page_on_one_line_dates_the_meeting_after_its_section():
    d = parse_file(FIX / "dynasty_oneline.txt")
    assert [it.section for it in d.items] == [94]
    assert d.body == "Tekninen lautakunta" and d.date == "2025-12-15"
    assert d.items[0].title == "PÖYTÄKIRJAN TARKASTUS"
    assert d.items[0].decision.startswith("Tarkastajiksi valittiin")


def test_ktweb_lines_without_the_section_sign_are_items_with_their_decision():
    d = parse_file(FIX / "ktweb_lines.txt")
    assert [it.section for it in d.items] == [21, 22, 23]  # "-2" is the meeting's call
    assert d.date == "2026-03-09"
    assert [it.title for it in d.items] == ["LAGLIGHET OCH BESLUTFÖRHET", "PROTOKOLLJUSTERARE",
                                            "GÅNG- OCH CYKELVÄG"]
    # The body's own marker ("KST 23") starts the decision; the case-ID prefix is no title.
    assert d.items[0].decision == "Konstaterades."
    assert d.items[2].decision.startswith("Styrelsen antar anbudet från Exempelbygg Ab")
    assert "KST: 31/2026" not in d.items[2].title


def test_abbreviation_lines_with_the_title_above_them_are_items():
    d = parse_file(FIX / "abbr_lines.txt")
    # "Kuntalain 103 §" stands alone: no run, no item.
    assert [it.section for it in d.items] == [21, 22]
    # "Khall" fits this meeting's Kunnanhallitus (the registry's "Khall" is a city board's).
    assert d.body == "Kunnanhallitus" and {it.body for it in d.items} == {"Kunnanhallitus"}
    assert d.date == "2026-03-09"  # the date under a column of labels
    assert [it.title for it in d.items] == ["KOKOUKSEN LAILLISUUDEN JA PÄÄTÖSVALTAISUUDEN TOTEAMINEN",
                                            "LEIKKIKENTÄN UUSIMINEN KUUSIKYLÄSSÄ"]
    assert d.items[0].decision == "Kokous todettiin laillisesti koolle kutsutuksi ja päätösvaltaiseksi."
    assert d.items[1].decision == "Ehdotus hyväksyttiin." and "40 000" in d.items[1].proposal


@pytest.mark.parametrize("name, proposal, decision, background", [
    ("protokoll_sv_owned.txt", "Kommunstyrelsen säljer tomten", "Kommunstyrelsen beslöt enligt förslaget.",
     "Förvaltningsdomstolen förkastade"),
    ("owned_labels_fi.txt", "Lautakunta hyväksyy saneerauksen", "Lautakunta hyväksyi ehdotuksen.",
     "Hallinto-oikeus hylkäsi"),
])
def test_labels_owned_by_who_proposed_or_decided(name, proposal, decision, background):
    # "Kommundirektörens förslag" / "Kommunstyrelsens beslut" and their Finnish twins are the item's own
    # proposal and decision; a court's decision told in the description stays in the description.
    it = parse_file(FIX / name).items[0]
    assert it.proposal.startswith(proposal) and it.decision == decision
    assert background in it.body_text and background not in it.decision
    assert it.preparer and "ärendet" not in it.preparer and "Valmistelija" not in it.preparer


def test_swedish_labels_with_colons_and_attachments():
    d = parse_file(FIX / "protokoll_sv_owned.txt")
    first, second = d.items
    assert first.attachments == ["Karta över tomten"]
    assert second.proposal == "Kommunstyrelsen antecknar ärendena för kännedom."
    assert second.decision == "Antecknades för kännedom."


@pytest.mark.parametrize("line, is_decision", [
    ("Kaupunginhallituksen päätös", True), ("Lautakunnan päätös:", True), ("Kommunstyrelsens beslut", True),
    ("Yhtymäkokouksen päätös", True), ("Beslut:", True),
    # Decisions the item tells of, made by others: description, not this meeting's decision.
    ("Hallinto-oikeuden päätös", False), ("Yhtiökokouksen päätös", False), ("Förvaltningsdomstolens beslut", False),
    ("lautakunnan päätös", False),  # a wrapped line of prose
])
def test_a_decision_label_is_owned_by_a_body(line, is_decision):
    from ingest.sections import _DECISION_RE

    assert bool(_DECISION_RE.match(line)) is is_decision


def test_advisory_body_minutes_numbered_without_the_sign():
    # "1 Kokouksen avaus" … items of an advisory body's minutes with no "§"; a list inside an item,
    # numbered "1." … "3.", is no run of items; unlabelled text ends with what was decided.
    d = parse_file(FIX / "numbered_items_advisory.txt")
    assert d.kind == "minutes" and d.date == "2026-10-14"
    assert [(it.section, it.title) for it in d.items] == [
        (1, "Kokouksen avaus"), (2, "Kokouksen laillisuus ja päätösvaltaisuus"), (3, "Ilmoitusasiat"),
        (4, "Skeittiparkin valaistus"), (5, "Kokouksen päättäminen")]
    notices = d.items[2]
    assert notices.decision == "Merkittiin tiedoksi."
    assert notices.body_text.splitlines()[2] == "3. Nuorisovaltuustojen aluetapaaminen on 20.11.2026"
    assert d.items[3].decision == ("Päätettiin esittää tekniselle lautakunnalle valaistuksen rakentamista "
                                   "vuonna 2027.")


def test_web_page_minutes_with_numbered_headings():
    # An article page: "<h3>1. Kokouksen avaus</h3>" … and an ordered list inside an item.
    d = parse_file(FIX / "numbered_items_web.html")
    assert (d.kind, d.body, d.date, d.municipality) == ("minutes", "Vammaisneuvosto", "2026-09-24",
                                                       "Kuvitelman kaupunki")
    assert [it.section for it in d.items] == [1, 2, 3, 4]
    walk = d.items[2]
    assert walk.title == "Esteettömyyskävely keskustassa"
    assert walk.decision == "Päätettiin lähettää havainnot kaupunkiympäristön palvelualueelle."
    assert "Kirjaston ovi on raskas" in walk.body_text


def test_two_numbered_items_confirmed_by_the_contents_list():
    # A regional council's minutes: two items, numbered without "§", that the contents list names by number
    # and title (with dot leaders and page numbers, which are no items).
    d = parse_file(FIX / "numbered_items_contents.txt")
    assert (d.body, d.municipality) == ("Maakuntahallitus", "Kuvitelman liitto")
    assert [(it.section, it.title) for it in d.items] == [
        (112, "Kokouksen laillisuus ja päätösvaltaisuus"), (113, "Maakuntaohjelman toimeenpanosuunnitelma")]
    assert d.items[1].proposal == "Maakuntahallitus hyväksyy toimeenpanosuunnitelman liitteen mukaisena."


def test_a_report_with_numbered_chapters_is_not_minutes():
    # Numbered chapters under a body's name, but no kind and nothing decided: a plan, not minutes.
    with pytest.raises(NotMinutesError):
        parse_file(FIX / "numbered_chapters_report.txt")


def test_a_contents_list_with_an_attachment_column_gives_no_items():
    # "1        § 103   TITLE": the attachment number of a contents list, then the item's "§ 103". Read as
    # "1 §" it had made items 1 and 2 of the contents list, and the real items were lost after them.
    d = parse_file(FIX / "contents_attachment_column.txt")
    assert [(it.section, it.title) for it in d.items] == [
        (101, "KOKOUKSEN AVAUS"), (102, "LAILLISUUS JA PÄÄTÖSVALTAISUUS"), (103, "HAUTAUSMAAN HOITOSUUNNITELMA"),
        (104, "LEIRIKESKUKSEN VUOKRAHINNAT"), (105, "KOKOUKSEN PÄÄTÖS")]
    assert d.items[3].proposal == ("Kirkkoneuvosto vahvistaa leirikeskuksen vuorokausivuokraksi 320 euroa "
                                   "1.1.2027 alkaen (liite 2).")


def test_dynasty_agenda_item_page_numbered_by_its_matter():
    # "Esityslista 09.12.2026/Asianro 7": an agenda's item page; the proposal on the label's own line with
    # no colon ("Päätösehdotus Ympäristölautakunta päättää …") is the proposal, and the empty "Päätös" none.
    d = parse_file(FIX / "dynasty_agenda_item.txt")
    assert (d.kind, d.body, d.date) == ("agenda", "Ympäristölautakunta", "2026-12-09")
    [item] = d.items
    assert (item.section, item.title, item.case_ids) == (7, "Kuvitelmanjoen rantaraitin valaistus",
                                                         ["512/10.03.04/2026"])
    assert item.proposal == ("Ympäristölautakunta päättää esittää kaupunginhallitukselle rantaraitin valaistuksen "
                             "uusimista vuonna 2027.")
    assert item.presenter == "Ympäristöjohtaja Kaisla Hanna" and not item.decision
    assert "64 000 euroa" in item.body_text


@pytest.mark.parametrize("line, proposal", [
    ("Päätösehdotus Kaupunginhallitus päättää hyväksyä sopimuksen.", "Kaupunginhallitus päättää hyväksyä sopimuksen."),
    ("Ehdotus Valitaan pöytäkirjan tarkastajiksi Malli Maija ja Esimerkki Erkki.",
     "Valitaan pöytäkirjan tarkastajiksi Malli Maija ja Esimerkki Erkki."),
    ("Päätösehdotus Hyvinvointijohtaja Malli Maija", None),  # a presenter
    ("Päätösehdotus Hyvinvointijohtaja Malli Maija Lautakunta päättää hyväksyä sopimuksen.", None),  # both: unread
    ("Ehdotus hyväksyttiin.", None),  # what was decided, in prose
    ("Ehdotus Kaupunginhallitus päättää", None),  # a wrapped line: no sentence end
])
def test_a_proposal_on_its_labels_line_without_a_colon(line, proposal):
    from ingest.sections import _PROPOSAL_CELL_RE

    m = _PROPOSAL_CELL_RE.match(line)
    assert (m.group("cell") if m else None) == proposal


def test_a_contents_list_with_page_numbers_after_a_gap_names_the_numbered_items():
    from ingest.clean import normalize_line
    from ingest.lines import Line
    from ingest.numbered_lines import find

    raw = ["Maakuntahallitus 16.9.2026", "", "21   Kokouksen avaus            2", "22   Toimintasuunnitelma        3", "",
           "21   Kokouksen avaus", "Puheenjohtaja avasi kokouksen.", "", "22   Toimintasuunnitelma",
           "Hyväksyttiin toimintasuunnitelma."]
    lines = [Line(1, r, normalize_line(r)) for r in raw]
    # The contents entries (a page number after a gap) are no items, and they confirm the two headings.
    assert [(h.section, h.title, i) for _s, i, h in find(lines)] == [(21, "Kokouksen avaus", 5),
                                                                     (22, "Toimintasuunnitelma", 8)]


def test_a_decisions_page_with_each_item_on_one_line():
    # "§ 201 Title: Decision." on a town's decisions page; the meeting day on a heading below the page's
    # own undated title ("Kaupunginhallituksen päätökset 14.9.2026 / author").
    d = parse_file(FIX / "decisions_page_one_line.txt")
    assert (d.body, d.date) == ("Kaupunginhallitus", "2026-09-14")
    assert [(it.section, it.title, it.decision) for it in d.items] == [
        (201, "Torikadun katusuunnitelma", "Poistettiin esityslistalta."),
        (202, "Kuvitelman Vuokratalot Oy, lainan takaus", "Hyväksyttiin."),
        (203, "Kirjastoauton hankinta", "Puheenjohtajan esityksestä palautettiin yksimielisesti valmisteluun.")]


def test_a_presenter_printed_after_the_decision_in_lower_case():
    # "Esittelijä" ⏎ "hallintopäällikkö Malli Maija" after the decision: the presenter, not decision text.
    d = parse_file(FIX / "presenter_after_decision.txt")
    assert [(it.section, it.decision, it.presenter) for it in d.items] == [
        (1, "Kokous todettiin lailliseksi ja päätösvaltaiseksi.", "hallintopäällikkö Malli Maija"),
        (2, "Kielitoimikunta päätti merkitä raportin tiedoksi.", "hallintopäällikkö Malli Maija")]


def test_preparers_under_valmistelu_ja_lisatiedot_with_an_address_written_against_harvesting():
    d = parse_file(FIX / "cloudnc_valmistelu_lisatiedot.txt")
    [item] = d.items
    assert item.preparer == "hallintopäällikkö Malli Maija"  # "(at)" is an address: dropped with it
    assert item.body_text.startswith("Palvelupäällikkö Esimerkki Erkki esittelee")
    assert item.decision == "Kielilautakunta merkitsi katsauksen tiedoksi."


def test_a_decisions_notice_with_each_number_alone_on_its_line():
    # "1" ⏎ "Title pdf html" ⏎ "Päätös" …: the number above the title, the page's link labels after it;
    # "Kuvaus" heads the description.
    d = parse_file(FIX / "decisions_notice_bare_numbers.txt")
    assert (d.body, d.date) == ("Kaupunginvaltuusto", "2026-09-21")
    assert [(it.section, it.title) for it in d.items] == [
        (1, "Nimenhuuto, laillisuus ja päätösvaltaisuus"), (2, "Pöytäkirjan tarkastajien valinta"),
        (3, "Kirjastotalon peruskorjauksen hankesuunnitelma")]
    assert d.items[1].decision.startswith("Pöytäkirjantarkastajiksi valittiin")
    assert d.items[2].body_text == "Hankesuunnitelman kustannusarvio on 4,2 miljoonaa euroa."


def test_a_contents_list_of_bare_numbers_is_no_items():
    # The numbers above contents entries with dot leaders and page numbers: an invitation's list, no item.
    with pytest.raises(NotMinutesError):
        parse_file(FIX / "contents_bare_numbers_only.txt")


def test_dynasty_pdf_print_with_item_pages_headed_by_body_sign_and_date():
    # Dynasty's PDF print (pdftotext, pages split by form feeds): each item page opens with
    # "Kaupunginvaltuusto   § 51   13.10.2026" under the running header, the title on the lines below. The
    # marker lines repeat on every page (digits aside) yet are items, not running headers; a council item
    # has the board's handling line stacked above its own; the running header names the organisation;
    # the appeal instructions ("Muutoksenhakuohje") end the last item.
    d = parse_file(FIX / "dynasty_pdf_marker_lines.txt")
    assert (d.kind, d.body, d.date, d.municipality) == ("minutes", "Kaupunginvaltuusto", "2026-10-13",
                                                       "Kuvitelman kaupunki")
    assert [(it.section, it.title) for it in d.items] == [
        (51, "Kokouksen laillisuus ja päätösvaltaisuus"), (52, "Pöytäkirjantarkastajien valinta"),
        (53, "Liikuntahallin katon korjaus, lisämääräraha")]
    first, second, roof = d.items
    assert first.decision == "Hyväksyttiin." and "Kaupunginhallitus § 188" not in second.text
    assert roof.case_ids == ["412/02.02.01/2026"]
    assert [(h.body, h.date, h.section) for h in roof.history] == [("Kaupunginhallitus", "2026-09-28", 188)]
    assert roof.proposal.startswith("Kaupunginvaltuusto myöntää 240 000 euron")
    assert roof.decision == "Hyväksyttiin yksimielisesti."


def test_paatosesitys_labels_and_a_sentence_about_the_presenter():
    # "Päätösesitys:" and "Vapaa-aikajohtajan päätösesitys:" label proposals as "Päätösehdotus:" does;
    # "Esittelijän päätösehdotus:" is a proposal label and "Esittelijän muutettua …" a sentence, neither a
    # presenter; the running header "Kuvalan kunta   PÖYTÄKIRJA 4/2026   1" names the organisation.
    d = parse_file(FIX / "paatosesitys_labels.txt")
    assert (d.body, d.date, d.municipality) == ("Vapaa-aikalautakunta", "2026-05-12", "Kuvalan kunta")
    opening, beach, fees = d.items
    assert opening.proposal == "Todetaan kokous lailliseksi ja päätösvaltaiseksi."
    assert beach.proposal == "Lautakunta päättää järjestää valvonnan Kuvalanrannalla 1.6.-15.8.2026."
    assert "Esittelijän muutettua päätösesitystään" in beach.decision
    assert fees.proposal.startswith("Lautakunta vahvistaa kenttien vuoromaksuksi 12 euroa")
    assert all(it.presenter is None or "päätösehdotus" not in it.presenter for it in d.items)


def test_a_case_id_after_the_sign_is_no_title():
    # "§ 31   Dnro 88/00.00.01/2026" ⏎ "Kokouksen laillisuus …": the ID is the item's, the title is below.
    d = parse_file(FIX / "case_id_after_sign.txt")
    assert [(it.section, it.title, it.case_ids) for it in d.items] == [
        (31, "Kokouksen laillisuus ja päätösvaltaisuus", ["88/00.00.01/2026"]),
        (32, "Liikuntahallin katon korjaus", ["412/02.02.01/2026"])]
    assert d.items[1].proposal == "Kunnanhallitus esittää valtuustolle 240 000 euron lisämäärärahaa."


def test_a_contents_list_printed_as_headings_under_an_unnamed_head():
    # "ASIA … SIVU" ⏎ "§ 11 Kokouksen laillisuus … 2" ⏎ "§ 12 …": the items restart at the list's first
    # number, so the list is no run of items (it had taken the items' titles, with the page numbers, and their
    # text had run into one item).
    d = parse_file(FIX / "contents_as_headings.txt")
    assert [(it.section, it.title) for it in d.items] == [
        (11, "KOKOUKSEN LAILLISUUS JA PÄÄTÖSVALTAISUUS"), (12, "ESIOPETUKSEN JÄRJESTÄMINEN")]
    assert [it.proposal for it in d.items] == ["Todetaan kokous lailliseksi.",
                                               "Esiopetus järjestetään Kuvalan koululla."]


def test_meeting_day_after_kokous_and_the_handling_on_its_labels_line():
    # "Kokous 20.4.2026 klo 18.00" names the meeting day; "Käsittely: …" on one line is the meeting's handling,
    # kept with the decision, not the end of the proposal.
    d = parse_file(FIX / "kokous_date_inline_handling.txt")
    assert (d.body, d.date) == ("Kunnanvaltuusto", "2026-04-20")
    accounts = d.items[1]
    assert accounts.proposal == "Valtuusto hyväksyy tilinpäätöksen 2025."
    assert accounts.decision.startswith("Valtuutettu Aino Malli ehdotti asian palauttamista.")
    assert accounts.decision.endswith("Hyväksyttiin kunnanhallituksen ehdotus.")
