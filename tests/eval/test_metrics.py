"""Unit tests of the pure metric functions on hand-made rows."""

from __future__ import annotations

import pytest

from eval import metrics as m


def cit(body="Tarkastuslautakunta", date="2025-03-04", section=15, case_id="LAPDno-2025-262", **kw):
    return {"body": body, "date": date, "section": section, "case_id": case_id, **kw}


GOLD = [cit(), cit(section=16, case_id="LAPDno-2025-263")]


# ---------------------------------------------------------------- normalisation and facts

@pytest.mark.parametrize("answer", ["850.000 euroa", "850 000 euroa", "850000 euroa", "850\u00a0000 €",
                                    "(850.000,00) euron", "850\u200b.000"])
def test_fact_match_joins_digit_groups(answer):
    assert m.fact_match(answer, ["850.000"]) == (True, [])
    assert m.fact_match(answer, ["850 000"])[0]


def test_fact_match_case_zero_width_and_whitespace():
    ok, missing = m.fact_match("Satu\u00ad  Kankare ja KOOKIN\u200bkallio\n tila", ["satu kankare", "kookinkallio", "Destia"])
    assert not ok and missing == ["Destia"]


def test_fact_match_empty_must_contain_and_empty_answer():
    assert m.fact_match("", []) == (True, [])
    assert m.fact_match("", ["x"]) == (False, ["x"])


def test_digit_groups_do_not_merge_dates_or_long_numbers():
    assert m.normalize_text("1.1.2025") == "1.1.2025"
    assert m.normalize_text("17.12.2024") == "17.12.2024"
    assert m.normalize_text("vuonna 2025 100 euroa") == "vuonna 2025 100 euroa"
    assert m.normalize_text("1 100 000,50") == "1100000,50"
    assert not m.fact_match("2 9000", ["2.900"])[0]


# ---------------------------------------------------------------- citations

def test_citation_recall_precision_exact():
    pred = [cit(), cit(section=99)]
    assert m.citation_recall(pred, GOLD) == 0.5
    assert m.citation_precision(pred, GOLD) == 0.5


def test_citation_match_ignores_case_id_title_and_body_case():
    pred = [cit(body="TARKASTUSLAUTAKUNTA", case_id=None, title="x"), cit(section="16")]
    assert m.citation_recall(pred, GOLD) == 1.0
    assert m.citation_precision(pred, GOLD) == 1.0


def test_citation_other_date_does_not_match():
    assert m.citation_recall([cit(date="2025-03-18")], GOLD) == 0.0


def test_empty_citations():
    assert m.citation_recall([], GOLD) == 0.0
    assert m.citation_precision([], GOLD) is None
    assert m.citation_recall([cit()], []) is None  # unanswerable: recall not applicable
    assert m.citation_precision([cit()], []) == 0.0


def test_duplicates_count_once():
    pred = [cit(), cit(), cit(case_id="other")]
    assert m.citation_precision(pred, GOLD) == 1.0
    assert m.citation_recall(pred, GOLD + [cit()]) == 0.5  # duplicate gold counts once too
    assert m.duplicate_citations(pred) == 2


def test_case_id_accuracy_over_matched_only():
    pred = [cit(case_id="lapdno-2025-262"), cit(section=16, case_id="LAPDno-2025-999"), cit(section=50)]
    assert m.case_id_hits(pred, GOLD) == (1, 2)


def test_case_id_gold_null():
    gold = [cit(section=169, case_id=None)]
    assert m.case_id_hits([cit(section=169, case_id=None)], gold) == (1, 1)
    assert m.case_id_hits([cit(section=169, case_id="LAPDno-2024-1")], gold) == (0, 1)
    assert m.case_id_hits([cit(section=169, case_id=None)], [{"body": "Tarkastuslautakunta",
                                                              "date": "2025-03-04", "section": 169}]) == (0, 0)


def test_source_suffix_match():
    gold_file = "Tarkastuslautakunta/Pöytäkirja-Tarkastuslautakunta - 04.03.2025, klo 17_05.pdf"
    assert m.source_matches("/work/shared/corpus/lapua/" + gold_file, gold_file)
    assert m.source_matches(gold_file, gold_file)
    assert not m.source_matches("/x/Esityslista-Tarkastuslautakunta - 04.03.2025, klo 17_05.pdf", gold_file)
    assert not m.source_matches("/x/Muu/Pöytäkirja-Tarkastuslautakunta - 04.03.2025, klo 17_05.pdf", gold_file)
    assert not m.source_matches(None, gold_file)
    gold = [cit(file=gold_file)]
    assert m.source_hits([cit(source="/c/" + gold_file)], gold) == (1, 1)
    assert m.source_hits([cit(source="/c/other.pdf")], gold) == (0, 1)


def test_recall_at_5_and_mrr():
    retrieved = [cit(section=s) for s in (1, 2, 3, 16, 5, 15)]
    assert m.recall_at_k(retrieved, GOLD) == 0.5  # § 15 is 6th
    assert m.reciprocal_rank(retrieved, GOLD) == 0.25
    assert m.recall_at_k([], GOLD) == 0.0 and m.reciprocal_rank([], GOLD) == 0.0
    assert m.recall_at_k(retrieved, []) is None and m.reciprocal_rank(retrieved, []) is None


# ---------------------------------------------------------------- grounding

SOURCE = ("Kaupunginhallitus\n2024-11-21\n21.11.2024\n§ 331\nLAPDno-2024-836\n"
          "ostaa Destia Oy:ltä tilan (850.000,00) euron kauppahinnalla; aiemmin "
          "Kaupunginhallitus 23.09.2024 § 258; hanke 2,5 milj. euroa")


def test_grounded_answer():
    ans = ("Kaupunginhallitus päätti 21.11.2024 ostaa tilan 850 000 euron hinnalla "
           "(Kaupunginhallitus 21.11.2024 § 331, LAPDno-2024-836). Asiaa käsiteltiin 23.9.2024 § 258. "
           "Hanke maksaa 2 500 000 €.")
    g = m.grounding(ans, [SOURCE])
    assert {c.kind for c in g.claims} == {"section", "date", "case_id", "euro"}
    assert g.grounded, g.ungrounded


@pytest.mark.parametrize("claim", ["§ 332", "22.11.2024", "LAPDno-2024-837", "860 000 euroa", "2024-11-22",
                                   "pykälässä 12", "3 milj. €"])
def test_each_kind_of_ungrounded_claim(claim):
    g = m.grounding(f"Päätös tehtiin: {claim}.", [SOURCE])
    assert not g.grounded and len(g.ungrounded) == 1


def test_grounding_without_sources_and_without_claims():
    assert not m.grounding("Päätös 21.11.2024 § 331.", []).grounded
    assert m.grounding("Kaupunginhallitus hyväksyi ehdotuksen.", []).grounded


def test_claims_deduplicated_and_partial_dates_ignored():
    claims = m.extract_claims("§ 5 ja § 5; ajalta 1.1.–30.6.2025, 4. maaliskuuta 2025")
    assert [(c.kind, c.value) for c in claims] == [("section", "5"), ("date", "2025-06-30"),
                                                   ("date", "2025-03-04")]


# ---------------------------------------------------------------- per question and summary

def test_percentile():
    assert m.percentile([], 50) is None
    assert m.percentile([10.0], 95) == 10.0
    assert m.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert m.percentile([float(x) for x in range(1, 101)], 95) == pytest.approx(95.05)


def test_is_answerable():
    assert m.is_answerable({"answerable": False, "citations": [cit()]}) is False
    assert m.is_answerable({"citations": [cit()]}) is True
    assert m.is_answerable({"citations": [], "must_contain": []}) is False
    assert m.is_answerable({"question": "x"}) is None


def _row(qid, qtype, answerable, refused, answer, citations, latency=100.0, gold=None, sources=("",)):
    gold = gold if gold is not None else {"answerable": answerable, "must_contain": ["arviointikertomu"],
                                          "citations": GOLD if answerable else []}
    row = {"id": qid, "type": qtype, "answerable": m.is_answerable(gold), "answer": answer,
           "refused": refused, "citations": citations, "retrieved": citations, "latency_ms": latency}
    row["metrics"] = m.score_question(gold, row, list(sources))
    return row


def test_accuracy_definition():
    good = _row("a", "decision", True, False, "Arviointikertomuksen laadinta", [cit()])
    no_fact = _row("b", "decision", True, False, "Muuta", GOLD)
    low_recall = _row("c", "decision", True, False, "Arviointikertomus", [cit(section=99)])
    refused = _row("d", "decision", True, True, "Ei löydy. Arviointikertomus?", [])
    unans_ok = _row("e", "unanswerable", False, True, "Aineistosta ei löydy.", [])
    unans_bad = _row("f", "unanswerable", False, False, "Jotain keksittyä.", [])
    assert [r["metrics"]["accurate"] for r in (good, no_fact, low_recall, refused, unans_ok, unans_bad)] == [
        True, False, False, False, True, False]


def test_error_row_is_wrong_even_with_facts():
    row = {"answer": "arviointikertomus", "refused": False, "citations": GOLD, "error": "Boom"}
    assert m.score_question({"answerable": True, "must_contain": ["arviointi"], "citations": GOLD}, row, [])[
        "accurate"] is False


def test_summarize_overall_and_by_type():
    rows = [
        _row("a", "decision", True, False, "Arviointikertomus 4.3.2025 § 15", [cit()], 100,
             sources=["Tarkastuslautakunta 2025-03-04 § 15"]),
        _row("b", "decision", True, True, "Ei löydy.", [], 300),
        _row("c", "unanswerable", False, True, "Ei löydy.", [], 200),
        _row("d", "unanswerable", False, False, "Päätös 1.2.2025 § 7.", [cit(section=7)], 400),
    ]
    s = m.summarize(rows)
    assert s["n"] == 4 and s["n_answerable"] == 2 and s["n_unanswerable"] == 2
    assert s["accuracy"] == 0.5
    assert s["fact_match"] == 0.5
    assert s["citation_recall"] == 0.25  # 0.5 and 0.0
    assert s["citation_precision"] == 1.0  # b cited nothing: excluded
    assert s["refusal_accuracy"] == 0.5 and s["false_refusal_rate"] == 0.5
    assert s["ungrounded_rate"] == 0.5  # a grounded, d states § 7 and a date with no source
    assert s["claims_ungrounded"] == 2
    assert s["latency_p50_ms"] == 250.0
    assert set(m.METRIC_NAMES) <= set(s)
    by = m.summarize_by_type(rows)
    assert list(by) == ["decision", "unanswerable"]
    assert by["decision"]["accuracy"] == 0.5 and by["decision"]["refusal_accuracy"] is None
    assert by["unanswerable"]["citation_recall"] is None and by["unanswerable"]["accuracy"] == 0.5


def test_summarize_empty_and_ungraded():
    s = m.summarize([])
    assert s["n"] == 0 and s["accuracy"] is None and s["latency_p95_ms"] is None
    row = _row("u", "general", None, False, "Vastaus.", [], gold={"question": "x"})
    s = m.summarize([row])
    assert s["n_ungraded"] == 1 and s["accuracy"] is None and s["ungrounded_rate"] == 0.0


def test_unretrieved_citations_counts_cited_items_missing_from_retrieved():
    from eval.metrics import unretrieved_citations

    a = {"body": "Kaupunginhallitus", "date": "2024-12-02", "section": 346}
    b = {"body": "Kaupunginhallitus", "date": "2024-12-02", "section": 347}
    assert unretrieved_citations([a], [b, a]) == 0
    assert unretrieved_citations([a, b], [a]) == 1
    assert unretrieved_citations([], []) == 0
