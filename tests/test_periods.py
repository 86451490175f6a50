"""Tests for cchc_lib.periods.

Every expected value below was written by hand from
``reference/reporting_regime.md`` (cut-off windows, the deadline "no later
than the 20th day of the last month of the period") and the calendar, not
copied from the code's output.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from cchc_lib.errors import CchcError, PeriodError
from cchc_lib.model import Period
from cchc_lib.periods import (
    PERIOD_FORMS,
    cutoff_window,
    deadline,
    first_day,
    label,
    label_short,
    last_day,
    parse_period,
    previous,
    same_period_last_year,
    sort_key,
)

# key, Period, label, label_short, first day, last day,
# cut-off window (from, to), deadline, previous, same period last year
TABLE_2024 = [
    ("2024-Q1", Period(2024, "Q", 1), "quý I năm 2024", "quý I",
     date(2024, 1, 1), date(2024, 3, 31),
     (date(2023, 12, 15), date(2024, 3, 14)), date(2024, 3, 20),
     Period(2023, "Q", 4), Period(2023, "Q", 1)),
    ("2024-Q2", Period(2024, "Q", 2), "quý II năm 2024", "quý II",
     date(2024, 4, 1), date(2024, 6, 30),
     (date(2024, 3, 15), date(2024, 6, 14)), date(2024, 6, 20),
     Period(2024, "Q", 1), Period(2023, "Q", 2)),
    ("2024-Q3", Period(2024, "Q", 3), "quý III năm 2024", "quý III",
     date(2024, 7, 1), date(2024, 9, 30),
     (date(2024, 6, 15), date(2024, 9, 14)), date(2024, 9, 20),
     Period(2024, "Q", 2), Period(2023, "Q", 3)),
    ("2024-Q4", Period(2024, "Q", 4), "quý IV năm 2024", "quý IV",
     date(2024, 10, 1), date(2024, 12, 31),
     (date(2024, 9, 15), date(2024, 12, 14)), date(2024, 12, 20),
     Period(2024, "Q", 3), Period(2023, "Q", 4)),
    ("2024-H1", Period(2024, "H1"), "6 tháng đầu năm 2024", "6 tháng đầu năm",
     date(2024, 1, 1), date(2024, 6, 30),
     (date(2023, 12, 15), date(2024, 6, 14)), date(2024, 6, 20),
     Period(2023, "H1"), Period(2023, "H1")),
    ("2024-9M", Period(2024, "9M"), "9 tháng đầu năm 2024", "9 tháng đầu năm",
     date(2024, 1, 1), date(2024, 9, 30),
     (date(2023, 12, 15), date(2024, 9, 14)), date(2024, 9, 20),
     Period(2023, "9M"), Period(2023, "9M")),
    ("2024", Period(2024, "Y"), "năm 2024", "năm",
     date(2024, 1, 1), date(2024, 12, 31),
     (date(2023, 12, 15), date(2024, 12, 14)), date(2024, 12, 20),
     Period(2023, "Y"), Period(2023, "Y")),
]
KEYS_2024 = [row[0] for row in TABLE_2024]


def _row(key):
    return next(row for row in TABLE_2024 if row[0] == key)


# --- parsing and keys -------------------------------------------------------

@pytest.mark.parametrize("key", KEYS_2024)
def test_parse_every_form(key):
    assert parse_period(key) == _row(key)[1]


@pytest.mark.parametrize("key", KEYS_2024)
def test_key_round_trip(key):
    p = parse_period(key)
    assert p.key == key
    assert str(p) == key
    assert parse_period(p.key) == p


@pytest.mark.parametrize("key", KEYS_2024)
def test_period_passes_through_unchanged(key):
    p = _row(key)[1]
    assert parse_period(p) is p


def test_parse_gives_the_model_fields():
    assert parse_period("2023-Q3") == Period(year=2023, kind="Q", quarter=3)
    assert parse_period("2023-H1").quarter is None
    assert parse_period("2023-9M").kind == "9M"
    assert parse_period("2023").kind == "Y"


@pytest.mark.parametrize("text, expected", [
    ("2024-q1", Period(2024, "Q", 1)),
    ("2024-q4", Period(2024, "Q", 4)),
    ("2024-h1", Period(2024, "H1")),
    ("2024-9m", Period(2024, "9M")),
    ("  2024-Q2  ", Period(2024, "Q", 2)),
    ("\t2024-h1\n", Period(2024, "H1")),
    (" 2024-9m", Period(2024, "9M")),
    (" 2024 ", Period(2024, "Y")),
    ("\u00a02024-Q3\u00a0", Period(2024, "Q", 3)),  # non-breaking spaces from Word/Excel
])
def test_case_and_surrounding_space_are_ignored(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2000", Period(2000, "Y")),
    ("2000-Q1", Period(2000, "Q", 1)),
    ("2100", Period(2100, "Y")),
    ("2100-9M", Period(2100, "9M")),
])
def test_year_bounds_are_inclusive(text, expected):
    assert parse_period(text) == expected


# --- bad inputs -------------------------------------------------------------

# bad input, a fragment of the reason the message must give
BAD_INPUTS = [
    ("2024-Q5", "quý phải từ 1 đến 4"),
    ("2024-Q0", "quý phải từ 1 đến 4"),
    ("2024-Q10", "quý phải từ 1 đến 4"),
    ("2024-q9", "quý phải từ 1 đến 4"),
    ("2024-Q01", "một chữ số"),
    ("2024-Q", "thiếu số quý"),
    ("2024-QI", "không phải là số"),
    ("2024-Qx", "không phải là số"),
    ("24-Q1", "4 chữ số"),
    ("024-Q1", "4 chữ số"),
    ("20245", "4 chữ số"),
    ("02024-H1", "4 chữ số"),
    ("abcd-Q1", "4 chữ số"),
    ("1999", "2000–2100"),
    ("1999-Q4", "2000–2100"),
    ("2101", "2000–2100"),
    ("2101-H1", "2000–2100"),
    ("0000", "2000–2100"),
    ("2024-H2", "H2"),
    ("2024-X", "không xác định"),
    ("2024-Y", "không xác định"),
    ("2024-6M", "không xác định"),
    ("2024-9", "không xác định"),
    ("2024-H", "không xác định"),
    ("", "chưa nhập"),
    ("   ", "chưa nhập"),
    ("\t\n", "chưa nhập"),
    ("2024Q1", "gạch nối"),
    ("2024h1", "gạch nối"),
    ("2024-", "thiếu phần kỳ"),
    ("-2024", "thiếu năm"),
    ("-Q1", "thiếu năm"),
    ("2024-Q1-2", "thừa dấu gạch nối"),
    ("2024--Q1", "thừa dấu gạch nối"),
    ("Q1-2024", "năm phải đứng trước"),
    ("H1-2024", "năm phải đứng trước"),
    ("2024 - Q1", "khoảng trắng"),
    ("2024 Q1", "khoảng trắng"),
    ("quý I năm 2024", "khoảng trắng"),
    ("2024\u2013Q1", "gạch nối"),  # en dash
    ("2024\u2212Q1", "gạch nối"),  # minus sign
    ("abc", "không đúng dạng"),
    ("Q1", "không đúng dạng"),
    ("2024/Q1", "không đúng dạng"),
    ("\uff12\uff10\uff12\uff14", "không đúng dạng"),  # full-width digits
]


@pytest.mark.parametrize("text, reason", BAD_INPUTS)
def test_bad_input_raises_period_error_quoting_it(text, reason):
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    message = str(info.value)
    assert f'"{text}"' in message
    assert message.startswith("Kỳ báo cáo ")
    assert reason in message
    assert PERIOD_FORMS in message


def test_message_matches_the_documented_example():
    with pytest.raises(PeriodError) as info:
        parse_period("2024-Q5")
    message = str(info.value)
    assert message.startswith('Kỳ báo cáo "2024-Q5" không hợp lệ: quý phải từ 1 đến 4')
    assert message.endswith("Các dạng hợp lệ: 2024-Q1 … 2024-Q4, 2024-H1, 2024-9M, 2024.")


def test_period_forms_lists_every_form():
    for form in ("2024-Q1", "2024-Q4", "2024-H1", "2024-9M", "2024"):
        assert form in PERIOD_FORMS


def test_period_error_is_catchable_as_value_error_and_cchc_error():
    with pytest.raises(ValueError):
        parse_period("2024-Q5")
    with pytest.raises(CchcError):
        parse_period("2024-Q5")


@pytest.mark.parametrize("value", [None, 2024, 2024.0, b"2024-Q1", ["2024-Q1"]])
def test_non_string_raises_period_error(value):
    with pytest.raises(PeriodError) as info:
        parse_period(value)
    assert str(value) in str(info.value)


@pytest.mark.parametrize("bad, shown", [
    (Period(2024, "Q", 5), "2024-Q5"),
    (Period(2024, "Q", 0), "2024-Q0"),
    (Period(2024, "Q", None), "2024-QNone"),
    (Period(1999, "Y"), "1999"),
    (Period(2101, "H1"), "2101-H1"),
    (Period(2024, "H1", 1), "2024-H1"),
    (Period(2024, "Z"), "2024-Z"),
])
def test_invalid_period_object_is_rejected(bad, shown):
    with pytest.raises(PeriodError) as info:
        parse_period(bad)
    assert f'"{shown}"' in str(info.value)


def test_other_functions_reject_bad_keys():
    for func in (label, label_short, first_day, last_day, cutoff_window, deadline,
                 previous, same_period_last_year, sort_key):
        with pytest.raises(PeriodError):
            func("2024-Q5")


# --- labels -----------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS_2024)
def test_label(key):
    assert label(parse_period(key)) == _row(key)[2]


@pytest.mark.parametrize("key", KEYS_2024)
def test_label_short(key):
    assert label_short(parse_period(key)) == _row(key)[3]


def test_label_accepts_a_key_string():
    assert label("2023-q3") == "quý III năm 2023"
    assert label("2025") == "năm 2025"
    assert label_short("2025-H1") == "6 tháng đầu năm"


# --- calendar dates ---------------------------------------------------------

@pytest.mark.parametrize("key", KEYS_2024)
def test_first_and_last_day(key):
    p = parse_period(key)
    assert first_day(p) == _row(key)[4]
    assert last_day(p) == _row(key)[5]


@pytest.mark.parametrize("key", KEYS_2024)
def test_model_properties_delegate(key):
    p = parse_period(key)
    assert p.first_day == _row(key)[4]
    assert p.last_day == _row(key)[5]


# Month/day of first day, last day, window start (with year offset), window end,
# deadline: the same whatever the year.  2000 and 2024 are leap years, 2023 and
# 2100 are not, and nothing may change.
MONTH_DAYS = {
    # kind/quarter: (first, last, (start year offset, start), end, deadline)
    "Q1": ((1, 1), (3, 31), (-1, (12, 15)), (3, 14), (3, 20)),
    "Q2": ((4, 1), (6, 30), (0, (3, 15)), (6, 14), (6, 20)),
    "Q3": ((7, 1), (9, 30), (0, (6, 15)), (9, 14), (9, 20)),
    "Q4": ((10, 1), (12, 31), (0, (9, 15)), (12, 14), (12, 20)),
    "H1": ((1, 1), (6, 30), (-1, (12, 15)), (6, 14), (6, 20)),
    "9M": ((1, 1), (9, 30), (-1, (12, 15)), (9, 14), (9, 20)),
    "": ((1, 1), (12, 31), (-1, (12, 15)), (12, 14), (12, 20)),
}


@pytest.mark.parametrize("year", [2000, 2023, 2024, 2100])
@pytest.mark.parametrize("suffix", list(MONTH_DAYS))
def test_dates_do_not_depend_on_leap_years(year, suffix):
    key = f"{year}-{suffix}" if suffix else f"{year}"
    (fm, fd), (lm, ld), (offset, (sm, sd)), (em, ed), (dm, dd) = MONTH_DAYS[suffix]
    assert first_day(key) == date(year, fm, fd)
    assert last_day(key) == date(year, lm, ld)
    assert cutoff_window(key) == (date(year + offset, sm, sd), date(year, em, ed))
    assert deadline(key) == date(year, dm, dd)


# --- cut-off windows and deadlines ------------------------------------------

@pytest.mark.parametrize("key", KEYS_2024)
def test_cutoff_window(key):
    assert cutoff_window(parse_period(key)) == _row(key)[6]


def test_official_windows_from_the_reference_table():
    # The four rows of the table in reporting_regime.md, for 2024.
    assert cutoff_window("2024-Q1") == (date(2023, 12, 15), date(2024, 3, 14))
    assert cutoff_window("2024-H1") == (date(2023, 12, 15), date(2024, 6, 14))
    assert cutoff_window("2024-Q3") == (date(2024, 6, 15), date(2024, 9, 14))
    assert cutoff_window("2024") == (date(2023, 12, 15), date(2024, 12, 14))


def test_seed_window_differs_from_the_official_one():
    # The seed counts dossiers 05/12/2023 – 04/6/2024 for its 6-month report:
    # not the official window (which is only worth a warning elsewhere).
    assert cutoff_window("2024-H1") != (date(2023, 12, 5), date(2024, 6, 4))


@pytest.mark.parametrize("key", KEYS_2024)
def test_deadline(key):
    assert deadline(parse_period(key)) == _row(key)[7]


@pytest.mark.parametrize("key", KEYS_2024)
def test_window_closes_before_deadline_within_the_last_month(key):
    start, end = cutoff_window(key)
    due = deadline(key)
    assert start < end < due <= last_day(key)
    assert end.month == due.month == last_day(key).month


# --- previous periods -------------------------------------------------------

@pytest.mark.parametrize("key", KEYS_2024)
def test_previous(key):
    assert previous(parse_period(key)) == _row(key)[8]


@pytest.mark.parametrize("key", KEYS_2024)
def test_same_period_last_year(key):
    assert same_period_last_year(parse_period(key)) == _row(key)[9]


def test_previous_walks_back_through_quarters():
    p = Period(2024, "Q", 4)
    seen = []
    for _ in range(6):
        p = previous(p)
        seen.append(p.key)
    assert seen == ["2024-Q3", "2024-Q2", "2024-Q1", "2023-Q4", "2023-Q3", "2023-Q2"]


def test_previous_accepts_a_key_string():
    assert previous("2025-q1") == Period(2024, "Q", 4)
    assert same_period_last_year(" 2025-9m ") == Period(2024, "9M")


def test_previous_inside_the_first_year_is_fine():
    assert previous("2000-Q2") == Period(2000, "Q", 1)


@pytest.mark.parametrize("key", ["2000-Q1", "2000-H1", "2000-9M", "2000"])
def test_previous_before_2000_raises(key):
    with pytest.raises(PeriodError) as info:
        previous(key)
    assert key in str(info.value)
    assert "1999" in str(info.value)


@pytest.mark.parametrize("key", ["2000-Q3", "2000-H1", "2000"])
def test_same_period_last_year_before_2000_raises(key):
    with pytest.raises(PeriodError) as info:
        same_period_last_year(key)
    assert key in str(info.value)


# --- ordering ---------------------------------------------------------------

CHRONOLOGICAL = [
    "2023-Q3", "2023-9M", "2023-Q4", "2023",
    "2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024",
    "2025-Q1",
]


def test_sort_key_orders_chronologically_then_shorter_first():
    shuffled = [parse_period(k) for k in CHRONOLOGICAL]
    random.Random(7).shuffle(shuffled)
    assert [p.key for p in sorted(shuffled, key=sort_key)] == CHRONOLOGICAL


def test_sort_key_ties_on_the_same_last_day():
    # Q2 and H1 both end on 30/6; the quarter comes first.
    assert sort_key("2024-Q2") < sort_key("2024-H1")
    assert sort_key("2024-Q3") < sort_key("2024-9M")
    assert sort_key("2024-Q4") < sort_key("2024")
    # A later last day wins whatever the kind.
    assert sort_key("2023") < sort_key("2024-Q1")
    assert sort_key("2024-H1") < sort_key("2024-Q3")


def test_sort_key_is_a_tuple_with_the_last_day_first():
    key = sort_key("2024-H1")
    assert isinstance(key, tuple)
    assert key[0] == date(2024, 6, 30)


# --------------------------------------------------------------------------- adjacent windows

@pytest.mark.parametrize("key, before", [
    # windows (reporting_regime.md): Q1 15/12→14/3, Q2 15/3→14/6, Q3 15/6→14/9, Q4 15/9→14/12,
    # H1, 9M and the year from 15/12 of the year before
    ("2024-Q1", ["2023", "2023-Q4"]),
    ("2024-Q2", ["2024-Q1"]),
    ("2024-Q3", ["2024-Q2", "2024-H1"]),
    ("2024-Q4", ["2024-Q3", "2024-9M"]),
    ("2024-H1", ["2023", "2023-Q4"]),
    ("2024-9M", ["2023", "2023-Q4"]),
    ("2024", ["2023", "2023-Q4"]),
    ("2000-H1", []),  # 14/12/1999 is before the first year a period may fall in
])
def test_preceding_windows_end_the_day_before(key, before):
    from cchc_lib.periods import cutoff_window, preceding_windows

    found = preceding_windows(key)
    assert [p.key for p in found] == before
    for p in found:
        assert (cutoff_window(key)[0] - cutoff_window(p)[1]).days == 1


@pytest.mark.parametrize("inner, outer, inside", [
    ("2024-Q1", "2024-H1", True), ("2024-Q2", "2024-H1", True), ("2024-H1", "2024-9M", True),
    ("2024-Q3", "2024-9M", True), ("2024-Q4", "2024", True), ("2024-9M", "2024", True),
    ("2024-Q3", "2024-H1", False), ("2024-H1", "2024-Q2", False), ("2024", "2024", False),
    ("2023-Q4", "2024", False),  # 15/9/2023 – 14/12/2023 ends before the year's window starts
])
def test_window_within(inner, outer, inside):
    from cchc_lib.periods import window_within

    assert window_within(inner, outer) is inside


def test_window_months():
    from cchc_lib.periods import window_months

    assert [window_months(k) for k in ("2024-Q3", "2024-H1", "2024-9M", "2024")] == [3, 6, 9, 12]
