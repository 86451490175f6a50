"""The pure core at its edges: one rounding step, one day, one unit, one ulp on each side.

Found by mutation testing (`make mutate`, tests/MUTANTS.md): each test pins a boundary or a value
that a one-line change of the core would move.  Expected values are worked out by hand.
"""

from __future__ import annotations

import numbers
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from cchc_lib import formatting, periods, rates
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import NumberFormatError, PeriodError
from cchc_lib.formatting import (fmt_count_padded, fmt_int, fmt_money, fmt_number, fmt_percent,
                                 fmt_place_date, round_half_up)
from cchc_lib.model import Submission, Value
from cchc_lib.numparse import parse_number
from cchc_lib.rollup import rank, rollup, unit_matrix

CAT = default_catalogue()


# ----------------------------------------------------------------------------- one rounding

@pytest.mark.parametrize("x, digits, expected", [
    (Fraction(1, 16) * 100, 1, 6.3),        # 6,25 exactly: half up, not half even (6,2)
    (Fraction(-1, 16) * 100, 1, -6.3),      # halves away from zero
    (Fraction(2, 3) * 100, 1, 66.7),
    (Fraction(667, 1000) * 100, 1, 66.7),
    (Fraction(1, 20), 1, 0.1),
    (Fraction(-1, 100), 1, 0.0),            # rounds to zero: no minus sign
    (Decimal("2.675"), 2, 2.68),
    (2.675, 2, 2.68),                       # the typed decimal, not its binary neighbour
    (0.125, 2, 0.13),
    (10 ** 20 + 0.5, 0, 1e20),              # precision does not run out
    (7, 0, 7.0),
])
def test_one_rounding_for_every_figure(x, digits, expected):
    assert round_half_up(x, digits) == expected
    if isinstance(x, Fraction):
        assert rates.round_fraction(x, digits) == expected  # the same function, by another name


def test_rounding_keeps_no_negative_zero_and_formats_the_same_value():
    assert str(round_half_up(Fraction(-1, 100), 1)) == "0.0"
    assert fmt_percent(Fraction(1, 16) * 100) == "6,3%"
    assert fmt_percent(-0.04) == "0%"
    assert fmt_number(Fraction(1, 3), 2) == "0,33"


def test_percent_and_computed_rates_round_the_exact_fraction():
    assert rates.percent(1, 16, 1) == 6.3
    assert rates.percent(1, 16) == 6.25            # unrounded when no digits are asked
    assert rates.percent(None, 4) is None and rates.percent(1, None) is None
    assert rates.percent(1, 0) is None
    sub = Submission("24622", "2024-H1", values={"3.4.1": Value("3.4.1", total=16, done=1)})
    assert rates.computed_rate(sub, "3.4.1", CAT, 1) == 6.3
    assert rates.computed_rate(sub, "3.4.1", CAT) == 6.25


# ----------------------------------------------------------------------------- rates

class _Odd(numbers.Real):
    """A real number that cannot be compared (a broken third-party scalar)."""

    def __eq__(self, other):
        raise TypeError("no comparison")

    __hash__ = None  # type: ignore[assignment]
    __abs__ = __add__ = __ceil__ = __floor__ = __floordiv__ = __le__ = __lt__ = __mod__ = \
        __mul__ = __neg__ = __pos__ = __pow__ = __radd__ = __rfloordiv__ = __rmod__ = \
        __rmul__ = __round__ = __rpow__ = __rtruediv__ = __truediv__ = __trunc__ = \
        lambda *a: NotImplemented

    def __float__(self):
        return 1.0


def test_what_counts_as_a_number():
    assert rates.is_number(3) and rates.is_number(2.5) and rates.is_number(Decimal("1"))
    assert not rates.is_number(True) and not rates.is_number(float("nan"))
    assert not rates.is_number("3") and not rates.is_number(None)
    assert not rates.is_number(_Odd())


def test_exact_values_of_typed_numbers():
    assert rates.exact(7) == Fraction(7)
    assert rates.exact(74.9) == Fraction(749, 10)
    assert rates.exact(Decimal("74.9")) == Fraction(749, 10)


def test_plain_numbers():
    assert rates.plain_number(3) == 3 and type(rates.plain_number(3)) is int
    assert type(rates.plain_number(2.0)) is int and rates.plain_number(2.5) == 2.5
    assert rates.plain_number(None) is None


def test_printed_decimals_at_its_edges():
    assert rates.printed_decimals(0.0) == 0 and rates.printed_decimals(Decimal("0.00")) == 0
    assert rates.printed_decimals(1.0) == 0 and rates.printed_decimals(0.5) == 1
    # a Decimal is read as it is typed, not through a float (which keeps 17 digits at most)
    assert rates.printed_decimals(Decimal("1.23456789012345678")) == 17
    with pytest.raises(TypeError, match="printed_decimals cần một số, gặp '7'"):
        rates.printed_decimals("7")
    with pytest.raises(ValueError, match="printed_decimals cần một số hữu hạn, gặp inf"):
        rates.printed_decimals(float("inf"))


@pytest.mark.parametrize("typed, num, den, matches", [
    (6.2, 1, 16, True), (6.3, 1, 16, True),      # 6,25: both halves are within 0,05
    (6.1, 1, 16, False), (6.4, 1, 16, False),
    (6, 1, 16, True), (7, 1, 16, False),         # no decimals: half a unit, 0,5
    (4.76, 1, 21, True), (4.77, 1, 21, False), (4.75, 1, 21, False),
    (66.7, 2, 3, True), (66.7, 667, 1000, True), (66.6, 2, 3, False),
    (50, 1, 0, False), (None, 1, 2, False), (50, None, 2, False), (50, 1, None, False),
])
def test_a_typed_rate_against_its_fraction(typed, num, den, matches):
    assert rates.rate_matches(typed, num, den) is matches


def test_rate_differs_needs_a_typed_rate_and_a_fraction():
    assert rates.rate_differs(None, (1, 2)) is False
    assert rates.rate_differs(Value("3.4.1", rate=None), (1, 2)) is False
    assert rates.rate_differs(Value("3.4.1", rate=50), None) is False
    assert rates.rate_differs(Value("3.4.1", rate=50), (1, 2)) is False
    assert rates.rate_differs(Value("3.4.1", rate=60), (1, 2)) is True
    assert rates.rate_differs(Value("3.4.1", rate=50), (2, 4)) is False


# ----------------------------------------------------------------------------- formatting

def test_formatting_edges():
    assert fmt_count_padded(9) == "09" and fmt_count_padded(10) == "10"
    assert fmt_count_padded(0) == "0" and fmt_count_padded(1234) == "1.234"
    # money is whole đồng: 2,5 đồng is 3 đồng (half up), never Babel's half-even 2
    assert fmt_money(2.5) == "3 đồng" and fmt_money(3.5) == "4 đồng"
    assert fmt_int(Fraction(6, 2)) == "3" and fmt_int(Decimal("1234567")) == "1.234.567"


def test_formatting_refuses_with_a_message():
    with pytest.raises(TypeError, match="expected a number, got str: '3'"):
        fmt_number("3")
    with pytest.raises(TypeError, match="digits must be an int, got float: 1.0"):
        fmt_percent(5, 1.0)
    with pytest.raises(ValueError, match="digits must be >= 0, got -1"):
        fmt_percent(5, -1)
    with pytest.raises(ValueError, match="cannot format a non-finite number: inf"):
        fmt_percent(float("inf"))
    with pytest.raises(ValueError, match="cannot format a non-finite number: inf"):
        fmt_int(float("inf"))
    with pytest.raises(ValueError, match="expected a whole number, got 2.5"):
        fmt_int(2.5)
    with pytest.raises(ValueError, match="a count cannot be negative, got -1"):
        fmt_count_padded(-1)
    with pytest.raises(TypeError, match="expected a date, got str: '2024-06-20'"):
        formatting.fmt_date_short("2024-06-20")
    with pytest.raises(TypeError, match="place must be a str, got int: 5"):
        fmt_place_date(5, date(2024, 6, 20))
    with pytest.raises(ValueError, match="^place must not be empty$"):
        fmt_place_date("  ", date(2024, 6, 20))


class _Opaque(numbers.Real):
    """A real number whose text is not a number: read through float()."""

    def __float__(self):
        return 0.5

    def __str__(self):
        return "một nửa"

    __abs__ = __add__ = __ceil__ = __eq__ = __floor__ = __floordiv__ = __le__ = __lt__ = \
        __mod__ = __mul__ = __neg__ = __pos__ = __pow__ = __radd__ = __rfloordiv__ = \
        __rmod__ = __rmul__ = __round__ = __rpow__ = __rtruediv__ = __truediv__ = \
        __trunc__ = lambda *a: NotImplemented
    __hash__ = None  # type: ignore[assignment]


def test_other_real_numbers_are_read_by_their_text_or_their_float():
    assert fmt_number(_Opaque(), 1) == "0,5"


# ----------------------------------------------------------------------------- periods

@pytest.mark.parametrize("key, window", [
    ("2024-Q1", (date(2023, 12, 15), date(2024, 3, 14))),
    ("2024-Q2", (date(2024, 3, 15), date(2024, 6, 14))),
    ("2024-Q3", (date(2024, 6, 15), date(2024, 9, 14))),
    ("2024-Q4", (date(2024, 9, 15), date(2024, 12, 14))),
    ("2024-H1", (date(2023, 12, 15), date(2024, 6, 14))),
    ("2024-9M", (date(2023, 12, 15), date(2024, 9, 14))),
    ("2024", (date(2023, 12, 15), date(2024, 12, 14))),
])
def test_cutoff_windows(key, window):
    assert periods.cutoff_window(key) == window


def test_the_first_year_has_no_period_before_it():
    assert periods.previous("2001-H1").key == "2000-H1"          # MIN_YEAR itself is fine
    assert periods.previous("2001-Q1").key == "2000-Q4"
    with pytest.raises(PeriodError) as err:
        periods.previous("2000-Q1")
    assert str(err.value) == ('Kỳ trước của kỳ "2000-Q1" rơi vào năm 1999, nằm ngoài khoảng '
                              "2000–2100.")
    with pytest.raises(PeriodError) as err:
        periods.previous("2000-H1")
    assert str(err.value) == ('Kỳ trước của kỳ "2000-H1" rơi vào năm 1999, nằm ngoài khoảng '
                              "2000–2100.")
    with pytest.raises(PeriodError) as err:
        periods.same_period_last_year("2000-Q2")
    assert str(err.value) == ('Cùng kỳ năm trước của kỳ "2000-Q2" rơi vào năm 1999, nằm ngoài '
                              "khoảng 2000–2100.")


# ----------------------------------------------------------------------------- numparse

@pytest.mark.parametrize("cell, value", [
    (21.0000000005, 21),          # 5e-10 from a whole: a formula's noise, read as 21
    (20.9999999995, 21),
])
def test_float_noise_next_to_a_whole_count_is_snapped(cell, value):
    reading = parse_number(cell, kind="count")
    assert reading.value == value and type(reading.value) is int
    assert reading.note == (f"đọc {cell!r} là 21 (sai số làm tròn của máy tính, coi là số "
                            "nguyên)")


@pytest.mark.parametrize("cell", [21.000000002, 21.00005, 20.999999998])
def test_a_count_a_little_off_a_whole_is_not(cell):
    with pytest.raises(NumberFormatError, match="cần số nguyên"):
        parse_number(cell, kind="count")


def test_a_rate_a_little_off_a_whole_keeps_its_decimals():
    assert parse_number(21.00005, kind="rate").value == 21.00005
    assert parse_number(21.0000000005, kind="decimal").value == 21.0000000005


# ----------------------------------------------------------------------------- roll-ups

def _sub(unit: str, period: str = "2024-H1", **rows) -> Submission:
    return Submission(unit, period, values={c: Value(c, **kw) for c, kw in rows.items()})


def test_ranking_by_the_printed_rate_not_the_unrounded_one():
    # 2/3 = 66,666…% and 667/1000 = 66,7%: different fractions, one printed rate, one rank
    units = [_sub("24616", **{"3.4.1": dict(total=3, done=2)}),
             _sub("24620", **{"3.4.1": dict(total=1000, done=667)}),
             _sub("24622", **{"3.4.1": dict(total=100, done=66)})]
    printed = rank(units, "3.4.1")
    assert list(printed["unit_code"]) == ["24616", "24620", "24622"]
    assert list(printed["value"]) == [66.7, 66.7, 66.0] and list(printed["rank"]) == [1, 1, 3]
    exact = rank(units, "3.4.1", digits=None)
    assert list(exact["unit_code"]) == ["24620", "24616", "24622"]
    assert list(exact["rank"]) == [1, 2, 3]


def test_ranking_by_each_column():
    units = [_sub("24616", **{"1.1.2": dict(total=4, done=3)}),
             _sub("24620", **{"1.1.2": dict(total=9)}),
             _sub("24622", **{"1.1.1": dict(total=5)})]
    assert list(rank(units, "1.1.2", by="figure")["value"][:2]) == [9.0, 3.0]
    assert list(rank(units, "1.1.2", by="total")["value"][:2]) == [9.0, 4.0]
    done = rank(units, "1.1.2", by="done")
    assert list(done["unit_code"]) == ["24616", "24620", "24622"]
    assert done["value"].iloc[0] == 3.0 and done["value"][1:].isna().all()
    with pytest.raises(ValueError) as err:
        rank(units, "1.1.2", by="mean")
    assert str(err.value) == ("Không xếp hạng được theo 'mean'; chọn một trong: rate, figure, "
                              "total, done")


def test_rollup_spread_at_the_printed_precision_or_unrounded():
    units = [_sub("24616", **{"3.4.1": dict(total=3, done=2)}),
             _sub("24620", **{"3.4.1": dict(total=1000, done=667)}),
             _sub("24622", **{"3.4.1": dict(total=16, done=1)})]
    row = rollup(units).set_index("code").loc["3.4.1"]
    # 670/1019 = 65,75…% → 65,8; units 66,7 / 66,7 / 6,3 (1/16 = 6,25 rounds half up)
    assert (row["rate"], row["rate_min"], row["rate_median"], row["rate_max"]) == (
        65.8, 6.3, 66.7, 66.7)
    raw = rollup(units, digits=None).set_index("code").loc["3.4.1"]
    assert raw["rate_min"] == 6.25 and raw["rate_max"] == 66.7
    assert raw["rate_median"] == float(Fraction(200, 3))


def test_rollup_sums_typed_decimals_exactly():
    units = [_sub("24616", **{"S.5.1": dict(total=Decimal("0.1"), done=0.2)}),
             _sub("24620", **{"S.5.1": dict(total=0.2, done=0.1)})]
    row = rollup(units).set_index("code").loc["S.5.1"]
    assert row["total_sum"] == 0.3 and row["done_sum"] == 0.3   # not 0.30000000000000004


def test_rollup_distribution_counts_each_unit_once():
    units = [_sub("24616", **{"7.3": dict(total=2)}), _sub("24620", **{"7.3": dict(total=2.0)}),
             _sub("24622", **{"7.3": dict(total=0)})]
    assert rollup(units).set_index("code").loc["7.3", "distribution"] == {0: 1, 2: 2}


def test_rollup_refuses_with_a_message():
    with pytest.raises(TypeError) as err:
        rollup(["24616"])
    assert str(err.value) == "Cần các Submission, gặp str"
    one = _sub("24616", **{"7.3": dict(total=2)})
    with pytest.raises(ValueError) as err:
        rollup([one, one])
    assert str(err.value) == ("Đơn vị 24616 có hơn một báo cáo trong danh sách tổng hợp; mỗi "
                              "đơn vị chỉ dùng một báo cáo (bản mới nhất)")
    with pytest.raises(ValueError) as err:
        rollup([one, _sub("24620", "2024-Q1"), _sub("24622", "2024-Q2")])
    assert str(err.value) == ("Không tổng hợp được các báo cáo của nhiều kỳ khác nhau: 2024-H1, "
                              "2024-Q1, 2024-Q2")


def test_rollup_rows_carry_their_catalogue_title_and_kind():
    row = rollup([_sub("24616", **{"3.4.1": dict(total=3, done=2)})]).iloc[0]
    assert (row["code"], row["title"], row["kind"]) == ("3.4.1", CAT["3.4.1"].title, "count")


def test_the_median_of_two_units_is_rounded_as_printed():
    units = [_sub("24616", **{"3.4.1": dict(total=3, done=2)}),       # 66,7
             _sub("24620", **{"3.4.1": dict(total=1000, done=62)})]   # 6,2
    row = rollup(units).set_index("code").loc["3.4.1"]
    assert row["rate_median"] == 36.5                                 # (66,7 + 6,2) / 2 = 36,45


def test_roll_ups_use_the_catalogue_they_are_given():
    # a catalogue where 3.4.1 has no rate: nothing to compute, rank or map
    from dataclasses import replace

    cat = replace(CAT, indicators=tuple(replace(i, rate="none") if i.code == "3.4.1" else i
                                        for i in CAT.indicators))
    units = [_sub("24616", **{"3.4.1": dict(total=3, done=2)}),
             _sub("24620", **{"3.4.1": dict(total=16, done=1)})]
    assert rollup(units, cat).set_index("code").loc["3.4.1", "rate_units"] == 0
    assert rank(units, "3.4.1", cat=cat)["value"].isna().all()
    assert list(unit_matrix(units, cat=cat).columns) == []
    assert unit_matrix(units, ["3.4.1"], cat)["3.4.1"].isna().all()
    assert list(unit_matrix(units).columns) == ["3.4.1"]


def test_the_unit_matrix_rounds_as_printed_unless_asked():
    units = [_sub("24616", **{"3.4.1": dict(total=16, done=1)}),
             _sub("24620", **{"7.3": dict(total=2)})]
    m = unit_matrix(units, ["3.4.1", "7.3"])
    assert m.loc["24616", "3.4.1"] == 6.3 and (m.dtypes == float).all()
    assert unit_matrix(units, ["3.4.1"], digits=None).loc["24616", "3.4.1"] == 6.25


def test_a_computed_rate_uses_the_catalogue_it_is_given():
    from dataclasses import replace

    cat = replace(CAT, indicators=tuple(replace(i, rate="none") if i.code == "3.4.1" else i
                                        for i in CAT.indicators))
    sub = Submission("24622", "2024-H1", values={"3.4.1": Value("3.4.1", total=16, done=1)})
    assert rates.computed_rate(sub, "3.4.1", cat, 1) is None
    assert rates.computed_rate(sub, "3.4.1", None, 1) == 6.3


@pytest.mark.parametrize("text, value, shown", [
    ("0,123,456", 123456, "123456"),    # the leading zero group is dropped from the note
    ("0,000,000", 0, "0"),              # … and a number of zeros is written 0
])
def test_english_grouping_notes_write_the_number_the_vietnamese_way(text, value, shown):
    reading = parse_number(text, kind="count")
    assert (reading.value, reading.note) == (
        value, f'đọc "{text}" là {shown} (dấu phẩy phân cách hàng nghìn kiểu tiếng Anh)')


class _Named:
    def __str__(self):
        return "ô lạ"


class _Hostile:
    def __str__(self):
        raise RuntimeError("no text")


def test_a_cell_of_another_type_is_quoted_safely():
    with pytest.raises(NumberFormatError) as err:
        parse_number(_Named())
    assert str(err.value) == 'cần một số, ô chứa giá trị kiểu _Named, gặp "ô lạ"'
    with pytest.raises(NumberFormatError) as err:
        parse_number(_Hostile())
    assert str(err.value) == 'cần một số, ô chứa giá trị kiểu _Hostile, gặp "<_Hostile>"'


INCONSISTENT = "dấu phân cách không nhất quán, cần một số như 1.234.567 hoặc 74,9"


@pytest.mark.parametrize("cell, kind, message", [
    # the last separator is the decimal mark, once: here it comes twice
    ("1.234,567.8", "decimal", INCONSISTENT),
    ("1,234.567,8", "decimal", INCONSISTENT),
    ("1 234,5.6", "decimal", INCONSISTENT),
    ("12 34", "count", "dấu cách chỉ dùng để phân cách hàng nghìn (nhóm 3 chữ số)"),
    ("5%", "count", "dấu % chỉ dùng cho tỉ lệ phần trăm, chỉ tiêu này cần một số không có dấu %"),
    ("3,25E+09", "amount",
     "số dạng lũy thừa (E) có thể đã mất chữ số, cần nhập đủ các chữ số"),
])
def test_a_refused_number_says_why_and_quotes_the_cell(cell, kind, message):
    with pytest.raises(NumberFormatError) as err:
        parse_number(cell, kind=kind)
    assert str(err.value) == f'{message}, gặp "{cell}"'


def test_numbers_read_with_a_note_or_none():
    import pandas as pd

    from cchc_lib.numparse import Reading

    assert parse_number("1,234.5", kind="decimal") == Reading(
        1234.5, 'đọc "1,234.5" là 1234,5 (kiểu tiếng Anh: dấu phẩy phân cách hàng nghìn, dấu '
        "chấm thập phân)")
    assert parse_number("   ") == Reading(None, "") and parse_number("") == Reading(None, "")
    with pytest.raises(NumberFormatError, match='gặp "NaT"$'):
        parse_number(pd.NaT)
