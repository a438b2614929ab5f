"""Passages fit the embedder's window, keep the header, lead with the decision and drop no text."""

from __future__ import annotations

import pytest

from core.items import AgendaItem, HistoryEntry
from ingest import passages as ps


def word_count(text: str) -> int:
    """A stand-in tokenizer: two tokens per word plus two special tokens."""
    return 2 * len(text.split()) + 2


FILLER = "lautakunta käsitteli hankkeen kustannusarviota ja totesi aikataulun olevan kohtuullinen".split()


def sentences(prefix: str, n: int) -> str:
    """``n`` ordinary Finnish sentences, each opened by a unique marker word (``kuvA``, ``kuvB`` …)."""
    return " ".join(f"{prefix}{marker(i)} " + " ".join(FILLER) + "." for i in range(n))


def marker(i: int) -> str:
    return "".join("abcdefghij"[int(d)] for d in str(i))


ITEM = AgendaItem(
    municipality="Testilä", body="Tekninen lautakunta", date="2024-05-14", section=42,
    title="Kevyen liikenteen väylän rakentaminen", source="/x/ptk.pdf", case_ids=["TSTDno-2024-7"],
    decision="Lautakunta hyväksyi urakan 120 000 eurolla.", proposal=sentences("ehd", 6),
    body_text=sentences("kuv", 40), votes="Äänin 5–2.",
    history=[HistoryEntry(body="Kaupunginhallitus", date="2024-04-02", section=9, proposal="Esitys.", decision="Puollettiin.")],
)


def test_every_passage_fits_and_starts_with_the_header():
    got = ps.split_passages(ITEM, count_tokens=word_count, max_tokens=120)
    header = ps.item_header(ITEM)
    assert len(got) > 3
    assert all(word_count(p.text) <= 120 for p in got)
    assert all(p.text.startswith(header + "\n") for p in got)
    assert [p.index for p in got] == list(range(len(got)))
    assert "Päätös: Lautakunta hyväksyi urakan 120 000 eurolla." in got[0].text


def test_no_word_is_dropped():
    got = ps.split_passages(ITEM, count_tokens=word_count, max_tokens=120)
    seen = {w for p in got for w in p.text.split()}
    expected = (ps.lead_text(ITEM) + " " + ps.rest_text(ITEM)).split()
    assert set(expected) <= seen
    assert "Puollettiin." in seen and "5–2." in seen


def test_short_item_is_one_passage():
    item = AgendaItem(municipality="Testilä", body="Hallitus", date="2024-01-02", section=1, title="Avaus",
                      source="/x/a.pdf", decision="Kokous avattiin.")
    got = ps.split_passages(item, count_tokens=word_count, max_tokens=256)
    assert len(got) == 1 and "Kokous avattiin." in got[0].text


def test_sentence_longer_than_the_window_is_cut_at_words():
    table = " ".join(f"rivi{i} 1 200 €" for i in range(200))  # no sentence end at all
    item = AgendaItem(municipality="Testilä", body="Hallitus", date="2024-01-02", section=2, title="Taulukko",
                      source="/x/a.pdf", body_text=table)
    got = ps.split_passages(item, count_tokens=word_count, max_tokens=100)
    assert all(word_count(p.text) <= 100 for p in got)
    assert "rivi199" in got[-1].text


def test_overlap_repeats_a_short_tail_only():
    got = ps.split_passages(ITEM, count_tokens=word_count, max_tokens=300)  # allowance ≈ 33 ≥ one sentence (26)

    def markers(text: str) -> set[str]:
        return {w for w in text.split() if w.startswith(("kuv", "ehd"))}

    # A continuation may repeat the previous passage's last sentence, never most of it.
    shared = [len(markers(a.text) & markers(b.text)) for a, b in zip(got, got[1:], strict=False)]
    assert max(shared) >= 1 and max(shared) <= 2


def test_estimate_charges_digits_and_punctuation_more_than_letters():
    assert ps.estimate_tokens("1 234 567,89 €; 12.3.2024") > ps.estimate_tokens("kaupunginhallitus")
    assert ps.estimate_tokens("") == 0


def test_default_estimate_keeps_passages_inside_the_window():
    got = ps.split_passages(ITEM)
    assert all(ps._safe_estimate(p.text) <= ps.MAX_TOKENS for p in got)


@pytest.mark.slow
def test_real_embedder_count_fits(settings):
    from core.embedding import embedder_from_settings

    emb = embedder_from_settings(settings)
    for kw in ({"count_tokens": emb.count_tokens, "max_tokens": emb.max_tokens}, {}):
        got = ps.split_passages(ITEM, **kw)
        assert all(emb.count_tokens(p.text) <= emb.max_tokens for p in got)
