"""Optional LLM path with a scripted chat model: verification, fallback, refusal."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.runnables import RunnableLambda

from assistant import prompts
from assistant.llm import build_messages, llm_answer, make_chat_model
from assistant.types import Citation, Hit, Query
from core.config import Settings
from core.items import AgendaItem


def _hits() -> list[Hit]:
    a = AgendaItem(municipality="Lapuan kaupunki", body="Kaupunginhallitus", date="2024-12-02", section=346,
                   title="Nuorisovaltuuston toimintasääntö", source="kh.pdf", case_ids=["LAPDno-2024-867"],
                   proposal="Kaupunginhallitus hyväksyy nuorisovaltuuston toimintasäännön.",
                   decision="Hyväksyttiin.", text="Nuorisovaltuuston toimintasääntö päivitetään.")
    b = AgendaItem(municipality="Lapuan kaupunki", body="Hyvinvointilautakunta", date="2024-11-14", section=140,
                   title="Kaikukortti", source="hvltk.pdf", case_ids=["LAPDno-2023-364"],
                   decision="Kaikukorttitoiminta jatkuu toistaiseksi.", text="Kaikukortti jatkuu.")
    return [Hit(a, 1.0, ("lexical",)), Hit(b, 0.5, ("dense",))]


def _ask(reply: str):
    hits = _hits()
    q = Query(text="Millä pykälällä nuorisovaltuuston sääntö hyväksyttiin?")
    return llm_answer(FakeListChatModel(responses=[reply]), q, hits, [Citation.from_item(h.item) for h in hits])


def test_messages_carry_items_as_keyed_data():
    msgs, keyed = build_messages(Query(text="Mitä päätettiin?"), _hits())
    assert set(keyed) == {1, 2}
    user = msgs[1].content
    assert "[1] Kaupunginhallitus 2.12.2024 § 346, LAPDno-2024-867" in user
    assert "KYSYMYS: Mitä päätettiin?" in user
    assert prompts.REFUSAL in msgs[0].content


def test_verified_reply_becomes_the_answer():
    ans = _ask("Kaupunginhallitus hyväksyi nuorisovaltuuston toimintasäännön pykälällä § 346 [1].")
    assert ans is not None and ans.via_llm and not ans.refused
    assert "(Kaupunginhallitus 2.12.2024 § 346, LAPDno-2024-867)" in ans.text
    assert [c.section for c in ans.citations] == [346]


def test_invented_section_is_removed_and_flagged():
    ans = _ask("Sääntö hyväksyttiin [1]. Se hyväksyttiin pykälällä § 347 [1].")
    assert ans is not None
    assert "347" not in ans.text
    assert ans.text.endswith("1 lause poistettiin, koska lähteet eivät tukeneet sitä.")
    assert ans.dropped_sentences == 1
    assert [c.section for c in ans.citations] == [346]


def test_nothing_verifiable_falls_back():
    assert _ask("Sääntö hyväksyttiin pykälällä § 999 [1].") is None
    assert _ask("Sääntö hyväksyttiin [5].") is None


def test_model_error_falls_back():
    def broken(messages):
        raise TimeoutError("LLM timed out")

    hits = _hits()
    assert llm_answer(RunnableLambda(broken), Query(text="Mitä?"), hits, []) is None


def test_refusal_cites_nothing():
    ans = _ask(prompts.REFUSAL)
    assert ans is not None and ans.refused and ans.citations == []


def test_chat_model_from_settings_only_when_configured():
    assert make_chat_model(Settings.from_env(env={})) is None
    m = make_chat_model(Settings.from_env(env={"LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "qwen"}))
    assert m is not None and m.model_name == "qwen"
    assert str(m.openai_api_base).startswith("http://127.0.0.1:9")
