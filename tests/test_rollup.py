"""District / province roll-up: sums, rates of the sums, spread, ranking, missing units.

The units are small hand-made submissions; every expected figure is worked out by hand in the
comments, never taken from the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from cchc_lib.catalogue import default_catalogue
from cchc_lib.formatting import round_half_up
from cchc_lib.model import Submission, Value
from cchc_lib.rollup import RANK_COLUMNS, ROLLUP_COLUMNS, missing_units, rank, rollup, unit_matrix
from cchc_lib.synth import synth_batch

CAT = default_catalogue()


def sub(unit: str, period: str = "2024-H1", **values: dict) -> Submission:
    return Submission(unit_code=unit, period=period,
                      values={c: Value(code=c, **kw) for c, kw in values.items()})


# Four communes of huyện Đắk Glong, 6 tháng đầu năm 2024.
#
#            3.4.1 (row)  1.1.1  1.1.2 (ratio)  S.5.1 (amount, đồng)        7.3   4.2.5
#   24616    9 / 10       4      done 3         400 000 000 / 1 000 000 000  2     3.5
#   24620    50 / 100     20     total 10       1 500 000 000 / 3 000 000 000 2     3.5
#   24622    3 / 4        —      total 5        —                              0     —
#   24625    total 8 only —      —              —                              1     —
UNITS = [
    sub("24616", **{"3.4.1": dict(total=10, done=9), "1.1.1": dict(total=4),
                    "1.1.2": dict(done=3), "S.5.1": dict(total=1_000_000_000, done=400_000_000),
                    "7.3": dict(total=2, done=2), "4.2.5": dict(total=3.5)}),
    sub("24620", **{"3.4.1": dict(total=100, done=50), "1.1.1": dict(total=20),
                    "1.1.2": dict(total=10), "S.5.1": dict(total=3_000_000_000,
                                                           done=1_500_000_000),
                    "7.3": dict(total=2, done=2), "4.2.5": dict(total=3.5)}),
    sub("24622", **{"3.4.1": dict(total=4, done=3), "1.1.2": dict(total=5),
                    "7.3": dict(total=0, done=0)}),
    sub("24625", **{"3.4.1": dict(total=8), "7.3": dict(total=1)}),
]


# function scope: a mutant is run against the tests that computed this (mutmut
# attributes a module fixture to its first test only)
@pytest.fixture
def rolled():
    return rollup(UNITS, CAT).set_index("code")


def test_rollup_columns_and_rows(rolled):
    assert tuple(rollup(UNITS).columns) == ROLLUP_COLUMNS
    # only rows some unit reported, in catalogue order
    assert list(rolled.index) == ["1.1.1", "1.1.2", "3.4.1", "4.2.5", "7.3", "S.5.1"]


def test_row_rate_is_the_rate_of_the_sums_not_the_mean_of_rates(rolled):
    r = rolled.loc["3.4.1"]
    assert r["units"] == 4
    assert r["total_sum"] == 10 + 100 + 4 + 8 == 122   # every total given
    assert r["done_sum"] == 9 + 50 + 3 == 62
    # the rate: only the three units that gave both columns: 62 / 114 = 54.385… → 54,4
    assert r["rate_units"] == 3
    assert (r["rate_num"], r["rate_den"]) == (9 + 50 + 3, 10 + 100 + 4) == (62, 114)
    assert r["rate"] == 54.4
    # the mean of the units' rates (90 + 50 + 75) / 3 = 71.7 would be wrong
    assert r["rate"] != round_half_up((90 + 50 + 75) / 3, 1)
    # spread of the units' own rates: 90,0 / 50,0 / 75,0
    assert (r["rate_min"], r["rate_median"], r["rate_max"]) == (50.0, 75.0, 90.0)
    assert r["distribution"] is None


def test_ratio_rate_sums_figures_over_rate_of_totals(rolled):
    r = rolled.loc["1.1.2"]
    assert r["units"] == 3
    assert r["total_sum"] == 10 + 5 == 15   # 24616 typed only the done column
    assert r["done_sum"] == 3
    # figures over 1.1.1's totals where both exist: (3 + 10) / (4 + 20) = 13/24 = 54.17 → 54,2
    # (24622 has no 1.1.1); the mean of 75 % and 50 % would be 62,5
    assert r["rate_units"] == 2
    # the fraction behind the rate, over the same two units: 13 of 24
    assert (r["rate_num"], r["rate_den"]) == (13, 24)
    assert r["rate"] == 54.2
    # median of two rates is their mean: (75 + 50) / 2
    assert (r["rate_min"], r["rate_median"], r["rate_max"]) == (50.0, 62.5, 75.0)


def test_every_rate_is_its_own_shown_fraction_over_the_same_units():
    from cchc_lib.calc import percent

    frame = rollup(synth_batch(7, ["2024-H1"], seed=5, parent_code="661"), CAT)
    rows = frame[frame["rate_units"] > 0]
    assert len(rows) > 20
    for _, r in rows.iterrows():
        assert r["rate"] == percent(r["rate_num"], r["rate_den"], 1), r["code"]


def test_amounts_are_summed(rolled):
    r = rolled.loc["S.5.1"]
    assert r["units"] == 2
    assert r["total_sum"] == 4_000_000_000
    assert r["done_sum"] == 1_900_000_000
    # 1.9 / 4 = 47,5 %; the mean of 40 % and 50 % is 45 %
    assert r["rate"] == 47.5


def test_coded_and_percent_rows_give_a_distribution(rolled):
    r = rolled.loc["7.3"]
    assert r["units"] == 4
    assert r["distribution"] == {0: 1, 1: 1, 2: 2}
    assert r["total_sum"] is None and r["done_sum"] is None
    assert math.isnan(r["rate"]) and r["rate_units"] == 0
    p = rolled.loc["4.2.5"]
    assert p["distribution"] == {3.5: 2} and p["total_sum"] is None


def test_rows_without_a_rate_form(rolled):
    r = rolled.loc["1.1.1"]  # a row rate, but nobody gave its done column
    assert r["total_sum"] == 24 and r["done_sum"] is None
    assert r["rate_units"] == 0 and math.isnan(r["rate"]) and math.isnan(r["rate_median"])


def test_rollup_refuses_a_unit_twice_or_two_periods():
    with pytest.raises(ValueError, match="24616"):
        rollup([UNITS[0], UNITS[0]])
    with pytest.raises(ValueError, match="2024-Q1"):
        rollup([UNITS[0], sub("24620", "2024-Q1")])


def test_rollup_of_nothing_is_empty():
    frame = rollup([])
    assert frame.empty and tuple(frame.columns) == ROLLUP_COLUMNS


def test_rollup_rate_on_synthetic_units():
    # An independent recomputation for realistic data: Σ done / Σ total with exact fractions.
    subs = synth_batch(4, ["2024-H1"], seed=3)
    with_both = [s.value("3.4.1") for s in subs
                 if s.value("3.4.1") and s.value("3.4.1").done is not None]
    num = sum(v.done for v in with_both)
    den = sum(v.total for v in with_both)
    expected = round_half_up(float(Fraction(100 * num, den)), 1)
    assert rollup(subs).set_index("code").loc["3.4.1", "rate"] == expected


# --------------------------------------------------------------------------- rank


RANKED = [
    sub("24616", **{"3.4.1": dict(total=10, done=9)}),     # 90,0 %
    sub("24620", **{"3.4.1": dict(total=20, done=18)}),    # 90,0 % — tie with 24616
    sub("24622", **{"3.4.1": dict(total=4, done=3)}),      # 75,0 %
    sub("24625", **{"1.1.1": dict(total=3)}),              # no 3.4.1
    sub("24631", **{"3.4.1": dict(total=40, done=38)}),    # 95,0 %
]


def test_rank_with_a_tie_and_a_missing_unit():
    frame = rank(RANKED, "3.4.1")
    assert tuple(frame.columns) == RANK_COLUMNS
    assert list(frame["unit_code"]) == ["24631", "24616", "24620", "24622", "24625"]
    assert list(frame["value"][:4]) == [95.0, 90.0, 90.0, 75.0]
    assert list(frame["rank"][:4]) == [1.0, 2.0, 2.0, 4.0]   # ties share the best rank
    assert math.isnan(frame["value"].iloc[4]) and math.isnan(frame["rank"].iloc[4])


def test_rank_ascending_and_by_other_columns():
    frame = rank(RANKED, "3.4.1", ascending=True)
    assert list(frame["unit_code"]) == ["24622", "24616", "24620", "24631", "24625"]
    assert list(frame["rank"][:4]) == [1.0, 2.0, 2.0, 4.0]
    by_total = rank(RANKED, "3.4.1", by="total")
    assert list(by_total["unit_code"][:4]) == ["24631", "24620", "24616", "24622"]
    assert list(by_total["value"][:4]) == [40.0, 20.0, 10.0, 4.0]
    with pytest.raises(ValueError):
        rank(RANKED, "3.4.1", by="mean")
    with pytest.raises(KeyError):
        rank(RANKED, "9.9.9")


def test_rank_ties_on_the_printed_rate():
    # 2/3 = 66.666… and 200/300: the same printed 66,7 % share rank 1; 66/100 = 66,0 % is 3rd
    units = [sub("24616", **{"3.4.1": dict(total=3, done=2)}),
             sub("24620", **{"3.4.1": dict(total=300, done=200)}),
             sub("24622", **{"3.4.1": dict(total=100, done=66)})]
    assert list(rank(units, "3.4.1")["rank"]) == [1.0, 1.0, 3.0]


# --------------------------------------------------------------------------- missing, matrix


def test_missing_units():
    expected = ["24616", "24620", "24622", "24625", "24628", "24631", "24634"]
    assert missing_units(expected, UNITS) == ["24628", "24631", "24634"]
    assert missing_units(["24634", "24628", "24634"], UNITS) == ["24634", "24628"]
    assert missing_units(expected[:2], UNITS) == []
    assert missing_units(expected, []) == expected


def test_unit_matrix_shape_and_values():
    m = unit_matrix(UNITS, ["3.4.1", "1.1.2", "7.3"], CAT)
    assert m.shape == (4, 3)
    assert list(m.index) == ["24616", "24620", "24622", "24625"]
    assert m.index.name == "unit_code"
    assert list(m.columns) == ["3.4.1", "1.1.2", "7.3"]
    assert m.loc["24616", "3.4.1"] == 90.0   # 9/10
    assert m.loc["24622", "3.4.1"] == 75.0   # 3/4
    assert math.isnan(m.loc["24625", "3.4.1"])
    assert m.loc["24616", "1.1.2"] == 75.0   # 3/4
    assert m.loc["24620", "1.1.2"] == 50.0   # 10/20
    assert m["7.3"].isna().all()             # coded rows have no rate
    # default columns: every rate some unit can compute (3.4.1, 1.1.2, S.5.1)
    assert list(unit_matrix(UNITS).columns) == ["1.1.2", "3.4.1", "S.5.1"]
