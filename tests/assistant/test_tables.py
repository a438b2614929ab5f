"""Tables as readable rows: each figure with its column's label, whatever gaps the PDF reader marked.

The blocks are fictional, in the shapes the reader gives for the budget follow-up tables of Cloudia
minutes: narrow gaps are spaces, so figures share cells and header labels run together.
"""

from __future__ import annotations

import pytest

from assistant.tables import table_rows
from assistant.units import units


def test_figures_sharing_a_cell_each_get_their_label():
    block = ("TA 2026 | TOT 2026 käyttö-%\n"
             "Toimintatuotot 2.100.000 1.950.400 92,9\n"
             "Toimintakulut | -8.400.000 -8.100.250 96,4\n"
             "Toimintakate | -6.300.000 -6.149.850 97,6")
    assert table_rows(block) == [
        "Toimintatuotot: TA 2026 2.100.000, TOT 2026 1.950.400, käyttö-% 92,9.",
        "Toimintakulut: TA 2026 -8.400.000, TOT 2026 -8.100.250, käyttö-% 96,4.",
        "Toimintakate: TA 2026 -6.300.000, TOT 2026 -6.149.850, käyttö-% 97,6.",
    ]


def test_a_row_without_gaps_is_a_row_not_part_of_the_next_one():
    rows = table_rows("TA 2026 | TOT 2026 käyttö-%\nToimintatuotot 2.100.000 1.950.400 92,9\n"
                      "Toimintakulut | -8.400.000 -8.100.250 96,4")
    assert len(rows) == 2 and rows[1].startswith("Toimintakulut:")
    assert "Toimintatuotot" not in rows[1]


def test_two_periods_side_by_side():
    block = ("TP 2025 | Tot. 03/2025 Tot-% TA 2026 | Tot. 03/2026 Tot-%\n"
             "Toimintakate | -5.900.000 -1.410.000 | 23,9 | -6.200.000 -1.480.500 | 23,9")
    assert table_rows(block) == ["Toimintakate: TP 2025 -5.900.000, Tot. 03/2025 -1.410.000, Tot-% 23,9, "
                                 "TA 2026 -6.200.000, Tot. 03/2026 -1.480.500, Tot-% 23,9."]


def test_a_first_cell_ending_in_figures_gives_them_to_the_columns():
    block = "TA 2026 | Tot. 06/2026 Tot-%\nToimintatuotot 475.000 | 296.100 | 62,3"
    assert table_rows(block) == ["Toimintatuotot: TA 2026 475.000, Tot. 06/2026 296.100, Tot-% 62,3."]


def test_a_header_stub_labels_the_rows_and_years_sharing_a_cell_are_columns():
    block = ("Investoinnit netto | 2026 2027 | 2028 | Yhteensä\n"
             "Kirjasto | -12.000 -12.000 -12.000 -36.000\n"
             "Nuorisotila | 0 | -8.000 -8.000 -16.000")
    assert table_rows(block) == ["Kirjasto: 2026 -12.000, 2027 -12.000, 2028 -12.000, Yhteensä -36.000.",
                                 "Nuorisotila: 2026 0, 2027 -8.000, 2028 -8.000, Yhteensä -16.000."]


def test_a_body_named_before_the_first_column_labels_the_rows():
    # "Hyvinvointilautakunta TA 2026 | TA 2027 | Ero": the body's name is the stub, not part of "TA 2026".
    block = "Hyvinvointilautakunta TA 2026 | TA 2027 | Ero\nToimintakate | -6.300.000 -6.410.000 -110.000"
    assert table_rows(block) == ["Toimintakate: TA 2026 -6.300.000, TA 2027 -6.410.000, Ero -110.000."]


@pytest.mark.parametrize("block, row", [
    # Space-grouped thousands take groups of three digits only: "63 500 86 500" is two figures.
    ("Kohde | Määräraha € | Käytetty €\nPuistoreitti | 63 500 86 500", "Puistoreitti: Määräraha € 63 500, Käytetty € 86 500."),
    # A label that ends in a number keeps it when only the whole cell agrees with the header.
    ("Vaihe | Hinta\nVaihe 2 | 420 000 €", "Vaihe 2: Hinta 420 000 €."),
    # A euro sign or per cent ends a label: "€/v", "%".
    ("€/v | %\nHenkilöstökulut | 271.100 77,9", "Henkilöstökulut: €/v 271.100, % 77,9."),
])
def test_figures_are_read_whatever_the_grouping(block, row):
    assert table_rows(block) == [row]


def test_rows_of_words_and_counts_the_header_does_not_fit_keep_their_cells():
    assert table_rows("Nimi | Tehtävä\nMaija Esimerkki | puheenjohtaja") == ["Maija Esimerkki: Tehtävä puheenjohtaja."]
    # Three figures, a header of two labels however it is read: nothing is paired wrongly.
    assert table_rows("TA 2026 | Muutos\nToimintakate | -100.000 -90.000 | 90,0") == \
        ["Toimintakate, -100.000 -90.000, 90,0."]


def test_units_read_a_table_inside_prose():
    text = ("Lautakunnan talousarvio toteutui seuraavasti.\nTA 2026 | TOT 2026 käyttö-%\n"
            "Toimintakate | -6.300.000 -6.149.850 97,6\nTalousarvio toteutui ylijäämäisenä.")
    assert units(text) == ["Lautakunnan talousarvio toteutui seuraavasti.",
                           "Toimintakate: TA 2026 -6.300.000, TOT 2026 -6.149.850, käyttö-% 97,6.",
                           "Talousarvio toteutui ylijäämäisenä."]


@pytest.mark.timeout(10)
def test_long_runs_of_digit_groups_are_read_in_one_pass():
    # Digit groups can be grouped in 2^n ways: a reader that backtracks over them never returns here.
    run = "1 234 " * 40
    rows = table_rows(f"Kohde | TA 2026\nRivi | {run}x\nToinen {run}\nKolmas | {'12 ' * 60}x")
    assert [r.split()[0] for r in rows] == ["Rivi:", "Toinen", "Kolmas:"]
    assert rows[0].endswith(" x.")  # a cell that is not all figures is kept as it is
