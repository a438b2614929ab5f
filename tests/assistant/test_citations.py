from __future__ import annotations

import pytest

from assistant.citations import facts_in, unsupported, verify
from core.items import AgendaItem


def _item(**kw) -> AgendaItem:
    base = dict(municipality="Lapuan kaupunki", body="Kaupunginhallitus", date="2024-11-21", section=331,
                title="Kookinkallion tilan ostaminen", source="kh.pdf", case_ids=["LAPDno-2024-836"],
                decision="Kaupunginhallitus päätti ostaa tilan Destia Oy:ltä 850.000 euron hintaan.",
                text="Kauppahinta on 850.000 euroa. Kauppakirja allekirjoitetaan 1.12.2024.")
    base.update(kw)
    return AgendaItem(**base)


@pytest.mark.parametrize("sentence,kind,value", [
    pytest.param("Asia käsiteltiin § 331.", "section", "331", id="section-before"),
    pytest.param("Asia käsiteltiin 331 §:ssä.", "section", "331", id="section-after"),
    pytest.param("Päätös tehtiin 21.11.2024.", "date", "2024-11-21", id="date"),
    pytest.param("Asia LAPDno-2024-836 ratkaistiin.", "case_id", "lapdno-2024-836", id="case-lapd"),
    pytest.param("Asia 1637/00.01.02.06/2025 ratkaistiin.", "case_id", "1637/00.01.02.06/2025", id="case-slash"),
    pytest.param("Hinta on 850 000 euroa.", "euro", "850000", id="euro-space"),
    pytest.param("Hinta on 850.000 €.", "euro", "850000", id="euro-dot"),
])
def test_facts_in(sentence, kind, value):
    assert value in facts_in(sentence)[kind]


def test_verified_sentence_is_kept_with_rendered_citation():
    v = verify("Kaupunginhallitus osti tilan 850 000 eurolla [1].", {1: _item()})
    assert v.text == "Kaupunginhallitus osti tilan 850 000 eurolla (Kaupunginhallitus 21.11.2024 § 331, LAPDno-2024-836)."
    assert [i.section for i in v.cited] == [331] and not v.dropped


@pytest.mark.parametrize("reply", [
    pytest.param("Asia päätettiin pykälällä § 332 [1].", id="invented-section"),
    pytest.param("Hinta oli 900 000 euroa [1].", id="invented-amount"),
    pytest.param("Asia LAPDno-2024-999 ratkaistiin [1].", id="invented-case"),
    pytest.param("Päätös tehtiin 22.11.2024 [1].", id="invented-date"),
    pytest.param("Tila ostettiin [7].", id="unknown-key"),
    pytest.param("Tila ostettiin.", id="no-key"),
])
def test_unverifiable_sentence_is_dropped(reply):
    v = verify("Kaupunginhallitus osti tilan [1]. " + reply, {1: _item()})
    assert v.text == "Kaupunginhallitus osti tilan (Kaupunginhallitus 21.11.2024 § 331, LAPDno-2024-836)."
    assert v.dropped == [reply]


def test_unsupported_lists_what_is_missing():
    assert unsupported("Hinta oli 900 000 euroa § 331.", [_item()]) == ["euro=900000"]
