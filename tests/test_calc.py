"""Calculations on one submission: rates, the narrative's figures and comparisons.

Every expected value is worked out by hand in the comments beside it (or from the sample
file's printed figures), never taken from the code under test.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from cchc_lib.calc import (
    COMPARE_COLUMNS, DEFAULT_DIGITS, RATES_COLUMNS, budget, compare, comparisons, computed_rate,
    documents_by_type, dossiers, figure, normalise_type_word, percent, plan_tasks,
    printed_decimals, rate_fraction, rate_matches, rates_table, staff, year_share,
)
from cchc_lib.catalogue import default_catalogue
from cchc_lib.model import Document, Submission, Value
from cchc_lib.serialize import load_sample
from cchc_lib.store import open_store

CAT = default_catalogue()


@pytest.fixture(scope="module")
def sample() -> Submission:
    return load_sample()


# function scope: a mutant is run against the tests that computed this (mutmut
# attributes a module fixture to its first test only)
@pytest.fixture
def table(sample) -> pd.DataFrame:
    return rates_table(sample).set_index("code")


def sub(period: str = "2024-H1", unit: str = "24622", **values: dict) -> Submission:
    """A small hand-made submission: ``sub(**{"3.4.1": dict(total=10, done=9)})``."""
    return Submission(unit_code=unit, period=period,
                      values={c: Value(code=c, **kw) for c, kw in values.items()})


# --------------------------------------------------------------------------- basics


def test_figure_is_done_else_total():
    assert figure(None) is None
    assert figure(Value("1.1.1", total=72)) == 72
    assert figure(Value("1.1.2", total=55, done=50)) == 50
    assert figure(Value("1.1.2", done=0, total=9)) == 0  # a done of 0 is given, not missing
    assert figure(Value("S.3.5", rate=74.9)) is None


@pytest.mark.parametrize("rate, decimals", [
    (74.9, 1), (100, 0), (42.94, 2), (4.76, 2), (9.5, 1), (96.33, 2), (100.0, 0), (0, 0),
    (0.05, 2), (25.125, 3),
])
def test_printed_decimals(rate, decimals):
    assert printed_decimals(rate) == decimals


def test_printed_decimals_refuses_text():
    with pytest.raises(TypeError):
        printed_decimals("74,9")


@pytest.mark.parametrize("typed, num, den, ok", [
    (74.9, 295, 394, True),    # 295/394 = 74.873… → 74,9
    (100, 55, 72, False),      # 55/72 = 76.39 %, not 100
    (9.5, 2, 21, True),        # 2/21 = 9.5238… → 9,5
    (76.5, 13, 21, False),     # 13/21 = 61.90 %
    (4.76, 1, 21, True),       # 1/21 = 4.7619… → 4,76
    (96.33, 105, 109, True),   # 105/109 = 96.330… → 96,33
    (96.3, 105, 109, True),
    (96.4, 105, 109, False),
    (84, 21, 25, True),        # exactly 84
    (6.3, 1, 16, True),        # 6.25 exactly: half up gives 6,3
    (6.2, 1, 16, True),        # … and 6.25 is also within half a unit of 6,2 (the boundary)
    (6.1, 1, 16, False),
    (100, 8, 0, False),        # no denominator, no match
])
def test_rate_matches(typed, num, den, ok):
    assert rate_matches(typed, num, den) is ok


def test_percent_rounds_half_up_exactly():
    assert percent(1, 16, 1) == 6.3      # 6.25 → 6.3 (half-even would give 6.2)
    assert percent(1, 8, 0) == 13.0      # 12.5 → 13
    assert percent(1, 40, 1) == 2.5      # exactly 2.5
    assert percent(2, 3) == pytest.approx(200 / 3)
    assert percent(5, 0, 1) is None


# --------------------------------------------------------------------------- the sample's rates


@pytest.mark.parametrize("code, expected", [
    ("1.1.2", 76.4),  # ratio: figure 55 (done) over 1.1.1's total 72 = 76.388… → 76,4
    ("3.4.1", 74.9),  # 295/394 = 74.873… → 74,9
    ("3.4.2", 33.9),  # 40/118 = 33.898… → 33,9
    ("S.6.6", 61.9),  # 13/21 = 61.904… → 61,9
    ("3.1.1", 96.3),  # 105/109 = 96.330… → 96,3
    ("4.2.2", 84.0),  # 21/25 = 84
    ("S.6.7", 4.8),   # 1/21 = 4.7619… → 4,8 at one decimal
])
def test_computed_rates_on_the_sample(sample, code, expected):
    assert computed_rate(sample, code, CAT, 1) == expected
    assert computed_rate(sample, CAT[code], digits=DEFAULT_DIGITS) == expected


def test_rate_fraction_on_the_sample(sample):
    assert rate_fraction(sample, "1.1.2", CAT) == (55, 72)
    assert rate_fraction(sample, "3.4.1", CAT) == (295, 394)
    assert rate_fraction(sample, "S.6.6") == (13, 21)
    # 1.1.1 has a row rate but no done column; 7.4 the same (total 21.5 only)
    assert rate_fraction(sample, "1.1.1", CAT) is None
    assert rate_fraction(sample, "7.4", CAT) is None
    # S.5.1 gives done and a typed rate but no estimate (total)
    assert rate_fraction(sample, "S.5.1", CAT) is None
    # S.3.5 is a ratio of S.3.4, which the sample does not give
    assert rate_fraction(sample, "S.3.5", CAT) is None
    # coded rows and rows without a rate form have no fraction
    assert rate_fraction(sample, "7.3", CAT) is None
    assert rate_fraction(sample, "S.1", CAT) is None
    # unrounded: 100 · 55 / 72
    assert computed_rate(sample, "1.1.2", CAT) == pytest.approx(5500 / 72)


def test_ratio_takes_the_figure_of_rate_of_when_it_has_no_total():
    s = sub(**{"1.1.1": dict(done=40), "1.1.2": dict(total=30)})
    assert rate_fraction(s, "1.1.2", CAT) == (30, 40)
    assert computed_rate(s, "1.1.2", CAT, 1) == 75.0


def test_zero_denominator_has_no_rate():
    s = sub(**{"3.4.1": dict(total=0, done=0), "1.1.1": dict(total=0), "1.1.2": dict(total=0)})
    assert rate_fraction(s, "3.4.1", CAT) is None
    assert rate_fraction(s, "1.1.2", CAT) is None
    assert computed_rate(s, "3.4.1", CAT, 1) is None


def test_rates_table_columns_and_rows(sample, table):
    frame = rates_table(sample)
    assert tuple(frame.columns) == RATES_COLUMNS
    # one row per catalogue data row the sample gives a value for, in catalogue order
    expected = [i.code for i in CAT.data_rows() if i.code in sample.values]
    assert list(frame["code"]) == expected
    assert len(frame) == len(sample.values)  # every value of the sample is a catalogue row
    # numbers stay as typed: 72 is the int 72, a blank is None
    assert table.loc["1.1.1", "total"] == 72 and isinstance(table.loc["1.1.1", "total"], int)
    assert table.loc["1.1.1", "done"] is None
    assert table.loc["3.1.1", "typed_rate"] == 96.33
    assert table.loc["3.4.1", "numerator"] == 295 and table.loc["3.4.1", "denominator"] == 394
    assert math.isnan(table.loc["1.1.1", "computed_rate"])
    assert table.loc["1.1.2", "computed_rate"] == 76.4
    assert table.loc["7.2", "kind"] == "enum"


def test_rates_table_flags_exactly_the_wrong_typed_rates(table):
    # By hand, every row of the sample with a typed rate and a computable fraction:
    #   1.1.2  100   for 55/72   = 76.39  → wrong
    #   1.1.3  100   for 8/8     = 100    → right
    #   3.1.1  96.33 for 105/109 = 96.330 → right;  3.1.4 the same
    #   3.1.2  100   for 4/4;  3.1.3 100 for 105/105 → right
    #   3.4.1  74.9  for 295/394 = 74.873 → right;  3.4.2 33.9 for 40/118 = 33.898 → right
    #   4.2.2  84    for 21/25   = 84     → right
    #   S.6.2, S.6.3 100 for 21/21 → right;  S.6.4, S.6.5 9.5 for 2/21 = 9.524 → right
    #   S.6.6  76.5  for 13/21   = 61.90  → wrong
    #   S.6.7  4.76  for 1/21    = 4.762  → right
    # Typed rates without a computable fraction (S.3.5, S.3.6, S.5.x) cannot be judged here.
    assert sorted(table.index[table["rate_differs"]]) == ["1.1.2", "S.6.6"]
    assert table["rate_differs"].dtype == bool


# --------------------------------------------------------------------------- narrative figures


def test_dossiers_on_the_sample(sample):
    d = dossiers(sample)
    assert d.carried_over == 41
    assert d.received_new == 620
    assert d.received_total == 661
    assert d.received_computed == 41 + 620 == 661
    # the sample gives no counts of resolved / on time / late: the typed rates stand
    assert d.resolved is None and d.on_time is None and d.late is None
    assert d.on_time_rate_typed == 74.9 and d.late_rate_typed == 25.1
    assert d.on_time_rate == 74.9 and d.late_rate == 25.1
    assert not d.on_time_rate_from_counts and not d.late_rate_from_counts
    fields = {f.code: f for f in d.by_field}
    assert fields["3.4.1"].total == 394 and fields["3.4.1"].on_time == 295
    assert fields["3.4.1"].rate == 74.9   # 295/394
    assert fields["3.4.2"].rate == 33.9   # 40/118
    assert fields["3.4.2"].label == "Đất đai"
    assert not fields["3.4.3"].reported and fields["3.4.3"].rate is None


def test_dossier_rates_come_from_counts_when_given():
    # 200 resolved, 150 on time, 50 late: 75,0 % and 25,0 %, whatever was typed
    s = sub(**{"S.3.4": dict(total=200), "S.3.5": dict(total=150, rate=80),
               "S.3.6": dict(total=50, rate=20)})
    d = dossiers(s)
    assert (d.on_time_rate, d.late_rate) == (75.0, 25.0)
    assert (d.on_time_rate_typed, d.late_rate_typed) == (80, 20)
    assert d.on_time_rate_from_counts and d.late_rate_from_counts
    # without S.3.4, its parts add up to it: 2/(2+1) = 66,7 %, 1/3 = 33,3 %
    d = dossiers(sub(**{"S.3.5": dict(total=2), "S.3.6": dict(total=1)}))
    assert (d.on_time_rate, d.late_rate) == (66.7, 33.3)


def test_budget_on_the_sample(sample):
    b = budget(sample, "2024-H1")
    assert b.year_share == 50.0
    rev = b.revenue
    assert rev.code == "S.5.1"
    assert rev.estimate is None and rev.done == 3_253_588_460 and rev.as_of == "31/05/2024"
    assert rev.typed_rate == 47.1 and rev.execution_rate == 47.1
    assert not rev.rate_from_estimate
    # the estimate 47,1 % implies: 3 253 588 460 / 0.471 = 6 907 831 125.27 đồng
    assert rev.implied_estimate == pytest.approx(3_253_588_460 * 1000 / 471)
    assert round(rev.implied_estimate) == 6_907_831_125
    assert b.spending.as_of == "32/05/2024"  # kept as printed, impossible date included
    assert b.spending.typed_rate == 42.94
    assert b.spending.implied_estimate == pytest.approx(2_966_442_095 * 100 / 42.94)
    assert b.own_revenue.done == 563_304_460
    assert budget(sample).period == "2024-H1"  # defaults to the submission's period


def test_budget_rate_from_the_estimate():
    # estimate 8 000 000 000, done 3 000 000 000: 37,5 %; the typed 40 is kept beside it
    s = sub(**{"S.5.3": dict(total=8_000_000_000, done=3_000_000_000, rate=40)})
    line = budget(s, "2024-Q3").spending
    assert line.execution_rate == 37.5 and line.typed_rate == 40
    assert line.rate_from_estimate and line.implied_estimate is None


@pytest.mark.parametrize("period, share", [
    ("2024-Q1", 25.0), ("2024-Q2", 50.0), ("2024-H1", 50.0), ("2024-Q3", 75.0),
    ("2024-9M", 75.0), ("2024-Q4", 100.0), ("2024", 100.0),
])
def test_year_share(period, share):
    assert year_share(period) == share
    assert budget(sub(period=period), period).year_share == share


def test_staff_on_the_sample(sample):
    lines = {s.code: s for s in staff(sample)}
    assert list(lines) == ["S.6.1", "S.6.2", "S.6.3", "S.6.4", "S.6.5", "S.6.6", "S.6.7"]
    assert (lines["S.6.1"].count, lines["S.6.1"].of, lines["S.6.1"].share) == (21, 25, 84.0)
    assert lines["S.6.1"].typed_share is None
    assert lines["S.6.2"].share == 100.0        # 21/21
    assert lines["S.6.4"].share == 9.5          # 2/21 = 9.52
    assert lines["S.6.6"].share == 61.9         # 13/21 = 61.90, typed 76.5
    assert lines["S.6.6"].typed_share == 76.5
    assert lines["S.6.7"].share == 4.8          # 1/21 = 4.76 → 4,8
    assert lines["S.6.7"].typed_share == 4.76
    assert lines["S.6.3"].label == "Trình độ chuyên môn đại học"


def test_documents_by_type_on_the_sample(sample):
    # Counted by hand in data/sample/dak_ha_2024-H1.yaml, documents with issued_by_unit true:
    #   Kế hoạch 22, 39, "kế hoạch" 27, 24, 28, 26, 15 (/QĐ-UBND, but called Kế hoạch) = 7
    #   Quyết định 29, 41 (/KH-UBND, but called Quyết định), 11                     = 3
    # (Nghị định 34, 154, 33, 130, 117, Quyết định 365 and Nghị quyết 76 are not the unit's.)
    docs = documents_by_type(sample)
    assert docs.by_type == {"Công văn": 0, "Báo cáo": 0, "Kế hoạch": 7, "Quyết định": 3}
    assert docs.total == 10 and docs.others == 0
    # what the narrative typed: 22 (03 công văn, 02 báo cáo, 12 kế hoạch, 05 quyết định)
    assert docs.typed_total == 22
    assert docs.typed_by_type == {"Công văn": 3, "Báo cáo": 2, "Kế hoạch": 12, "Quyết định": 5}


def test_documents_by_type_normalises_and_keeps_other_types():
    def doc(word, unit=True):
        return Document(type_word=word, number="1", symbol="X-UBND", date=None,
                        issued_by_unit=unit)

    s = Submission(unit_code="24622", period="2024-H1", documents=(
        doc("CÔNG VĂN"), doc(" công  văn "), doc("Tờ trình"), doc("to\u031b\u0300 tri\u0300nh"),
        doc("Nghị định", unit=False)))
    docs = documents_by_type(s)
    assert docs.by_type["Công văn"] == 2
    assert docs.by_type["Tờ trình"] == 2  # the decomposed spelling is the same word
    assert "Nghị định" not in docs.by_type
    assert docs.total == 4 and docs.others == 2
    assert normalise_type_word("QUYẾT ĐỊNH") == "Quyết định"


def test_plan_tasks_on_the_sample(sample):
    p = plan_tasks(sample)
    assert (p.set, p.done) == (72, 55)
    assert p.rate == 76.4  # 55/72; the typed 100 is kept
    assert p.typed_rate == 100


def test_missing_data_gives_none_without_raising():
    empty = Submission(unit_code="24622", period="2024-H1")
    assert rates_table(empty).empty
    assert tuple(rates_table(empty).columns) == RATES_COLUMNS
    assert computed_rate(empty, "3.4.1", CAT, 1) is None
    d = dossiers(empty)
    assert d.received_computed is None and d.on_time_rate is None and d.late_rate is None
    assert all(f.rate is None and not f.reported for f in d.by_field)
    b = budget(empty, "2024-H1")
    assert b.year_share == 50.0
    assert all(line.execution_rate is None and line.implied_estimate is None
               and not line.reported for line in b.lines)
    assert all(line.share is None and not line.reported for line in staff(empty))
    docs = documents_by_type(empty)
    assert docs.total == 0 and docs.typed_total is None
    p = plan_tasks(empty)
    assert (p.set, p.done, p.rate, p.typed_rate) == (None, None, None, None)
    assert compare(empty, empty).empty


# --------------------------------------------------------------------------- comparisons


def test_compare_two_hand_made_submissions():
    now = sub("2024-H1", **{"3.4.1": dict(total=200, done=150),   # 75,0 %
                            "S.3.1": dict(total=661),
                            "7.3": dict(total=2, done=2),
                            "S.2.1": dict(total=98)})
    before = sub("2023-H1", **{"3.4.1": dict(total=160, done=96),  # 60,0 %
                               "S.3.1": dict(total=500),
                               "7.3": dict(total=1, done=1),
                               "1.1.1": dict(total=40)})
    frame = compare(now, before, CAT)
    assert tuple(frame.columns) == COMPARE_COLUMNS
    # rows present in either, in catalogue order
    assert list(frame["code"]) == ["1.1.1", "3.4.1", "7.3", "S.2.1", "S.3.1"]
    rows = frame.set_index("code")
    assert rows.loc["3.4.1", "current"] == 150 and rows.loc["3.4.1", "previous"] == 96
    assert rows.loc["3.4.1", "difference"] == 150 - 96 == 54
    assert rows.loc["3.4.1", "current_rate"] == 75.0
    assert rows.loc["3.4.1", "previous_rate"] == 60.0
    assert rows.loc["3.4.1", "change_pp"] == 15.0
    assert rows.loc["S.3.1", "difference"] == 661 - 500 == 161
    assert math.isnan(rows.loc["S.3.1", "change_pp"])
    assert rows.loc["7.3", "difference"] is None  # codes do not subtract
    assert rows.loc["1.1.1", "current"] is None and rows.loc["1.1.1", "previous"] == 40
    assert rows.loc["1.1.1", "difference"] is None
    assert rows.loc["S.2.1", "previous"] is None


def test_change_is_between_the_printed_rates():
    # 2/3 = 66.67 → 66,7 %; 1/3 = 33.33 → 33,3 %: change 33,4 points (not 33.33…)
    now = sub("2024-Q2", **{"3.4.1": dict(total=3, done=2)})
    before = sub("2024-Q1", **{"3.4.1": dict(total=3, done=1)})
    row = compare(now, before).set_index("code").loc["3.4.1"]
    assert row["change_pp"] == 33.4
    assert compare(before, now).set_index("code").loc["3.4.1", "change_pp"] == -33.4


def test_compare_with_nothing_is_an_empty_frame_with_the_columns(sample):
    frame = compare(sample, None)
    assert frame.empty and tuple(frame.columns) == COMPARE_COLUMNS


def test_comparisons_from_a_real_store(tmp_path, sample):
    q1 = sub("2024-Q1", **{"3.4.1": dict(total=100, done=90)})       # 90,0 %
    q4 = sub("2023-Q4", **{"3.4.1": dict(total=80, done=60)})        # 75,0 %
    last_h1 = sub("2023-H1", **{"3.4.1": dict(total=400, done=280)})  # 70,0 %
    other_unit = sub("2023-Q1", unit="24616", **{"3.4.1": dict(total=10, done=10)})
    with open_store(tmp_path / "store.sqlite") as store:
        store.ingest(q1)
        store.ingest(q4)
        store.ingest(last_h1)
        store.ingest(other_unit)
        store.ingest(sample)

        # quý I 2024: previous is quý IV 2023 (stored); quý I 2023 of this unit is not stored
        got = comparisons(store, q1)
        assert set(got) == {"previous_period", "same_period_last_year"}
        assert got["same_period_last_year"] is None
        row = got["previous_period"].set_index("code").loc["3.4.1"]
        assert (row["current"], row["previous"], row["difference"]) == (90, 60, 30)
        assert row["change_pp"] == 90.0 - 75.0

        # 6 tháng 2024: both comparisons are with 6 tháng 2023
        got = comparisons(store, sample)
        for key in ("previous_period", "same_period_last_year"):
            row = got[key].set_index("code").loc["3.4.1"]
            assert row["previous"] == 280 and row["current"] == 295
            assert row["change_pp"] == pytest.approx(74.9 - 70.0)

        # nothing stored before: both None
        lone = replace(q1, unit_code="24625")
        assert comparisons(store, lone) == {"previous_period": None,
                                            "same_period_last_year": None}
