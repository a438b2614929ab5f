"""The verifier keeps only sentences their cited items support."""

from __future__ import annotations

import pytest

from assistant.citations import has_markup, unsupported, verify
from core.items import AgendaItem


def _item(**kw) -> AgendaItem:
    base = dict(municipality="Lapuan kaupunki", body="Kaupunginhallitus", date="2024-11-21", section=331,
                title="Kookinkallion tilan ostaminen", source="kh.pdf", case_ids=["LAPDno-2024-836"],
                proposal="Kaupunginhallitus päättää ostaa Kookinkallion tilan Destia Oy:ltä.",
                decision="Kaupunginhallitus päätti ostaa tilan Destia Oy:ltä 850.000 euron hintaan.",
                text="Kauppahinta on 850.000 euroa. Kauppakirja allekirjoitetaan 1.12.2024. "
                     "Tilan pinta-ala on 12 hehtaaria ja arvonlisävero 25,5 %.")
    base.update(kw)
    return AgendaItem(**base)


LABEL = "(Kaupunginhallitus 21.11.2024 § 331, LAPDno-2024-836)"


def test_verified_sentence_is_kept_with_rendered_citation():
    v = verify("Kaupunginhallitus osti Kookinkallion tilan 850 000 eurolla [1].", {1: _item()})
    assert v.text == f"Kaupunginhallitus osti Kookinkallion tilan 850 000 eurolla {LABEL}."
    assert [i.section for i in v.cited] == [331] and not v.dropped


@pytest.mark.parametrize("reply", [
    pytest.param("Kauppakirja allekirjoitetaan 1. joulukuuta 2024 [1].", id="date-words"),
    pytest.param("Kauppakirja allekirjoitetaan joulukuun 1. päivänä [1].", id="date-genitive"),
    pytest.param("Kauppakirja allekirjoitetaan 1.12. [1].", id="date-no-year"),
    pytest.param("Kauppahinta on 0,85 milj. euroa [1].", id="euro-milj"),
    pytest.param("Arvonlisävero on 25,5 prosenttia [1].", id="percent"),
    pytest.param("Kaupunginhallitus päätti ostaa tilan Destia Oy:ltä [1].", id="decision"),
    pytest.param("Kauppahinta on 850.000 euroa. [1]", id="key-after-stop"),
])
def test_supported_sentences_are_kept(reply):
    v = verify(reply, {1: _item()})
    assert not v.dropped and LABEL in v.text


@pytest.mark.parametrize("reply", [
    pytest.param("Asia päätettiin pykälällä § 332 [1].", id="invented-section"),
    pytest.param("Kauppahinta oli 900 000 euroa [1].", id="invented-amount"),
    pytest.param("Kauppahinta oli 12 euroa [1].", id="digits-of-other-number"),
    pytest.param("Kauppahinta oli 1,2 milj. euroa [1].", id="invented-milj"),
    pytest.param("Arvonlisävero on 24 % [1].", id="invented-percent"),
    pytest.param("Tila ostettiin asiassa LAPDno-2024-999 [1].", id="invented-case"),
    pytest.param("Kauppakirja allekirjoitetaan 22.11.2024 [1].", id="invented-date"),
    pytest.param("Kauppakirja allekirjoitetaan 11. maaliskuuta 2026 [1].", id="invented-date-words"),
    pytest.param("Kauppakirja allekirjoitetaan maaliskuun 11. päivänä [1].", id="invented-date-genitive"),
    pytest.param("Kauppakirja allekirjoitetaan 11.3. [1].", id="invented-date-no-year"),
    pytest.param("Kaupunki päätti lakkauttaa kaikki koulut [1].", id="invented-decision"),
    pytest.param("Uimahallin aukioloaikoja pidennetään kesällä [1].", id="unrelated-words"),
    pytest.param("Kauppakirja on osoitteessa https://evil.example/kauppa [1].", id="link"),
    pytest.param("Kauppakirja on osoitteessa www.evil.example [1].", id="www"),
    pytest.param("Katso [kauppakirja](https://evil.example) [1].", id="markdown-link"),
    pytest.param("Kauppakirja ![kuva](https://evil.example/k.png) [1].", id="markdown-image"),
    pytest.param("Kauppakirja <img src=x onerror=alert(1)> allekirjoitetaan [1].", id="html"),
    pytest.param("Tila ostettiin [7].", id="unknown-key"),
    pytest.param("Tila ostettiin.", id="no-key"),
])
def test_unsupported_sentence_is_dropped(reply):
    v = verify("Kaupunginhallitus osti tilan [1]. " + reply, {1: _item()})
    assert v.text == f"Kaupunginhallitus osti tilan {LABEL}."
    assert len(v.dropped) == 1


def test_decision_verb_only_in_background_is_not_a_decision():
    item = _item(text="Selvitetään mahdollisuutta lakkauttaa Kookinkallion tila myöhemmin.")
    assert "decision=lakkauttaa" in unsupported("Kaupunginhallitus lakkauttaa Kookinkallion tilan.", [item])


def test_unsupported_lists_what_is_missing():
    assert unsupported("Kauppahinta oli 900 000 euroa § 331.", [_item()]) == ["euro=900000"]


@pytest.mark.parametrize("text,expected", [
    ("Kauppakirja allekirjoitetaan 1.12.2024.", False), ("Summa 1.8 M€.", False),
    ("Katso https://x.fi", True), ("Katso esimerkki.fi/x", True), ("<b>lihava</b>", True),
    ("javascript:alert(1)", True),
])
def test_markup(text, expected):
    assert has_markup(text) is expected
