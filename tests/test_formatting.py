"""Tests for cchc_lib.formatting.

Every expected string below is written by hand from the Vietnamese
conventions (grouping ".", decimal ",", half-up rounding, Nghị định 30/2020
date style), never copied from the code's output.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from cchc_lib import formatting as f
from cchc_lib.formatting import (
    LOCALE,
    MISSING_TEXT,
    fmt_count_padded,
    fmt_date_long,
    fmt_date_short,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_place_date,
    round_half_up,
)

NBSP_LIKE = ("\u00a0", "\u202f", "\u2009", " ")


def test_constants():
    assert LOCALE == "vi"
    assert MISSING_TEXT == "chưa có số liệu"


# --------------------------------------------------------------------- fmt_int

@pytest.mark.parametrize("n, expected", [
    (3253588460, "3.253.588.460"),
    (0, "0"),
    (7, "7"),
    (999, "999"),
    (1000, "1.000"),
    (12345, "12.345"),
    (1000000, "1.000.000"),
    (-1234567, "-1.234.567"),
    (-5, "-5"),
    (3.0, "3"),
    (-0.0, "0"),
    (Decimal("2500"), "2.500"),
    (123456789012345678901234567890123, "123.456.789.012.345.678.901.234.567.890.123"),
])
def test_fmt_int(n, expected):
    assert fmt_int(n) == expected


def test_fmt_int_numpy_and_pandas_values():
    np = pytest.importorskip("numpy")
    assert fmt_int(np.int64(4500000)) == "4.500.000"
    assert fmt_int(np.float64(12.0)) == "12"


def test_fmt_int_rejects_fractions_and_bad_types():
    with pytest.raises(ValueError):
        fmt_int(2.5)
    with pytest.raises(ValueError):
        fmt_int(float("inf"))
    with pytest.raises(TypeError):
        fmt_int("1000")
    with pytest.raises(TypeError):
        fmt_int(True)


# ----------------------------------------------------------------- fmt_decimal

@pytest.mark.parametrize("x, digits, expected", [
    (74.87, 1, "74,9"),
    (21.5, 1, "21,5"),
    (100, 1, "100,0"),
    (100.0, 1, "100,0"),
    (74.85, 1, "74,9"),         # half up, despite the float being 74.8499...
    (74.84, 1, "74,8"),
    (2.675, 2, "2,68"),
    (1.005, 2, "1,01"),
    (0.125, 2, "0,13"),
    (9.5238, 1, "9,5"),
    (9.95, 1, "10,0"),
    (0.05, 1, "0,1"),
    (0.04, 1, "0,0"),
    (-0.04, 1, "0,0"),          # no "-0,0"
    (-3.25, 1, "-3,3"),         # halves go away from zero
    (1234567.891, 2, "1.234.567,89"),
    (1234.5, 0, "1.235"),
    (0.5, 0, "1"),
    (3, 3, "3,000"),
    (Decimal("12.345"), 2, "12,35"),
    (Fraction(1, 3), 3, "0,333"),
])
def test_fmt_decimal(x, digits, expected):
    assert fmt_decimal(x, digits) == expected


def test_fmt_decimal_default_digits_is_one():
    assert fmt_decimal(74.87) == "74,9"
    assert fmt_decimal(5) == "5,0"


@pytest.mark.parametrize("x, digits, expected", [
    (100.0, 1, "100"),
    (100, 1, "100"),
    (21.5, 2, "21,5"),
    (21.50, 3, "21,5"),
    (96.33, 2, "96,33"),
    (9.999, 2, "10"),
    (1234.10, 2, "1.234,1"),
    (0.004, 2, "0"),
])
def test_fmt_decimal_strip_zeros(x, digits, expected):
    assert fmt_decimal(x, digits, strip_zeros=True) == expected


def test_fmt_decimal_bad_digits():
    with pytest.raises(ValueError):
        fmt_decimal(1.5, -1)
    with pytest.raises(TypeError):
        fmt_decimal(1.5, 1.0)
    with pytest.raises(ValueError):
        fmt_decimal(float("-inf"))
    with pytest.raises(TypeError):
        fmt_decimal("1,5")


# ----------------------------------------------------------------- fmt_percent

@pytest.mark.parametrize("x, digits, expected", [
    (74.87, 1, "74,9%"),
    (42.94, 2, "42,94%"),
    (100, 1, "100%"),
    (100.0, 1, "100%"),
    (76.4, 1, "76,4%"),
    (74.85, 1, "74,9%"),        # half up
    (4.7619, 2, "4,76%"),
    (4.765, 2, "4,77%"),
    (9.5238, 1, "9,5%"),
    (99.96, 1, "100%"),         # rounds to a whole number: no ",0"
    (75.02, 1, "75%"),
    (0, 1, "0%"),
    (0.04, 1, "0%"),
    (42.9, 2, "42,90%"),        # not whole: the fixed number of digits
    (33.333, 0, "33%"),
    (50.5, 0, "51%"),
    (-3.2, 1, "-3,2%"),
    (1250.5, 1, "1.250,5%"),
    (Decimal("12.25"), 1, "12,3%"),
])
def test_fmt_percent(x, digits, expected):
    assert fmt_percent(x, digits) == expected


def test_fmt_percent_default_digits_and_no_space():
    out = fmt_percent(74.87)
    assert out == "74,9%"
    for ch in NBSP_LIKE:
        assert ch not in out


# ------------------------------------------------------------------- fmt_money

@pytest.mark.parametrize("n, expected", [
    (3253588460, "3.253.588.460 đồng"),
    (0, "0 đồng"),
    (500, "500 đồng"),
    (15000, "15.000 đồng"),
    (-2000000, "-2.000.000 đồng"),
    (1999.5, "2.000 đồng"),     # no minor unit: half up to whole đồng
    (Decimal("1000000"), "1.000.000 đồng"),
])
def test_fmt_money(n, expected):
    assert fmt_money(n) == expected


# ----------------------------------------------------------------- dates

@pytest.mark.parametrize("d, expected", [
    (date(2024, 3, 7), "ngày 07 tháng 3 năm 2024"),
    (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
    (date(2023, 1, 1), "ngày 01 tháng 01 năm 2023"),
    (date(2024, 1, 31), "ngày 31 tháng 01 năm 2024"),
    (date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
    (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
    (date(2024, 3, 1), "ngày 01 tháng 3 năm 2024"),
    (date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
    (date(2024, 3, 31), "ngày 31 tháng 3 năm 2024"),
    (date(2025, 9, 9), "ngày 09 tháng 9 năm 2025"),
    (date(2025, 10, 1), "ngày 01 tháng 10 năm 2025"),
    (date(2024, 12, 10), "ngày 10 tháng 12 năm 2024"),
    (date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
    (datetime(2024, 3, 7, 23, 59), "ngày 07 tháng 3 năm 2024"),
])
def test_fmt_date_long(d, expected):
    assert fmt_date_long(d) == expected


@pytest.mark.parametrize("d, expected", [
    (date(2024, 3, 7), "07/03/2024"),
    (date(2020, 1, 5), "05/01/2020"),
    (date(2024, 2, 1), "01/02/2024"),
    (date(2024, 12, 31), "31/12/2024"),
    (date(2025, 10, 10), "10/10/2025"),
    (datetime(2024, 1, 9, 8, 30), "09/01/2024"),
])
def test_fmt_date_short(d, expected):
    assert fmt_date_short(d) == expected


def test_dates_from_pandas_timestamp():
    pd = pytest.importorskip("pandas")
    ts = pd.Timestamp("2024-02-09 14:00")
    assert fmt_date_long(ts) == "ngày 09 tháng 02 năm 2024"
    assert fmt_date_short(ts) == "09/02/2024"


def test_dates_reject_non_dates():
    with pytest.raises(TypeError):
        fmt_date_long("2024-03-07")
    with pytest.raises(TypeError):
        fmt_date_short(20240307)


@pytest.mark.parametrize("place, d, expected", [
    ("Đắk Ha", date(2024, 3, 7), "Đắk Ha, ngày 07 tháng 3 năm 2024"),
    ("Đắk Ha", date(2020, 1, 5), "Đắk Ha, ngày 05 tháng 01 năm 2020"),
    ("  Phường Bến Nghé ", date(2024, 12, 10), "Phường Bến Nghé, ngày 10 tháng 12 năm 2024"),
])
def test_fmt_place_date(place, d, expected):
    assert fmt_place_date(place, d) == expected


def test_fmt_place_date_bad_place():
    with pytest.raises(ValueError):
        fmt_place_date("  ", date(2024, 3, 7))
    with pytest.raises(TypeError):
        fmt_place_date(None, date(2024, 3, 7))


# ----------------------------------------------------------- fmt_count_padded

@pytest.mark.parametrize("n, expected", [
    (0, "0"),
    (1, "01"),
    (3, "03"),
    (9, "09"),
    (10, "10"),
    (11, "11"),
    (99, "99"),
    (1250, "1.250"),
    (3.0, "03"),
])
def test_fmt_count_padded(n, expected):
    assert fmt_count_padded(n) == expected


def test_fmt_count_padded_rejects_negative_and_fractional():
    with pytest.raises(ValueError):
        fmt_count_padded(-3)
    with pytest.raises(ValueError):
        fmt_count_padded(2.5)


# ------------------------------------------------------------------ fmt_number

@pytest.mark.parametrize("x, digits, expected", [
    (96.33, None, "96,33"),
    (21.5, None, "21,5"),
    (21.0, None, "21"),
    (1234, None, "1.234"),
    (3253588460, None, "3.253.588.460"),
    (1234567.891, None, "1.234.567,89"),
    (0.125, None, "0,13"),
    (2.675, None, "2,68"),
    (9.5238, 1, "9,5"),
    (4.7619, 3, "4,762"),
    (4.7619, 0, "5"),
    (1234, 1, "1.234"),          # integers ignore digits
    (Decimal("7.10"), None, "7,1"),
    (-0.001, None, "0"),
])
def test_fmt_number(x, digits, expected):
    assert fmt_number(x, digits) == expected


def test_fmt_number_numpy_int_is_integer():
    np = pytest.importorskip("numpy")
    assert fmt_number(np.int64(1234567)) == "1.234.567"
    assert fmt_number(np.float64(96.33)) == "96,33"


# --------------------------------------------------------------- round_half_up

@pytest.mark.parametrize("x, digits, expected", [
    (9.5238, 1, 9.5),
    (0.125, 2, 0.13),
    (74.85, 1, 74.9),
    (2.675, 2, 2.68),
    (1.005, 2, 1.01),
    (4.7619, 2, 4.76),
    (0.5, 0, 1.0),
    (1.5, 0, 2.0),
    (2.5, 0, 3.0),               # built-in round() would give 2
    (-0.125, 2, -0.13),
    (-2.5, 0, -3.0),
    (7, 2, 7.0),
    (Decimal("1.2345"), 3, 1.235),
    (1234.5, 0, 1235.0),
])
def test_round_half_up(x, digits, expected):
    result = round_half_up(x, digits)
    assert type(result) is float
    assert result == expected


def test_round_half_up_default_and_specials():
    assert round_half_up(2.5) == 3.0
    assert round_half_up(float("inf"), 2) == float("inf")
    nan = round_half_up(float("nan"), 2)
    assert nan != nan
    with pytest.raises(TypeError):
        round_half_up(None, 2)
    with pytest.raises(ValueError):
        round_half_up(1.5, -1)


# --------------------------------------------------------------------- missing

MISSING_VALUE_FORMATTERS = [
    fmt_int,
    fmt_decimal,
    fmt_percent,
    fmt_money,
    fmt_count_padded,
    fmt_number,
    fmt_date_long,
    fmt_date_short,
]


@pytest.mark.parametrize("fn", MISSING_VALUE_FORMATTERS, ids=lambda fn: fn.__name__)
def test_missing_default_text(fn):
    assert fn(None) == "chưa có số liệu"


@pytest.mark.parametrize("fn", MISSING_VALUE_FORMATTERS, ids=lambda fn: fn.__name__)
def test_missing_custom_text(fn):
    assert fn(None, missing="—") == "—"
    assert fn(None, missing="") == ""


@pytest.mark.parametrize("fn", [fmt_int, fmt_decimal, fmt_percent, fmt_money,
                                fmt_count_padded, fmt_number],
                         ids=lambda fn: fn.__name__)
def test_nan_is_missing(fn):
    assert fn(float("nan")) == "chưa có số liệu"
    assert fn(Decimal("NaN"), missing="x") == "x"


def test_pandas_missing_markers():
    pd = pytest.importorskip("pandas")
    assert fmt_int(pd.NA) == "chưa có số liệu"
    assert fmt_percent(pd.NA, missing="-") == "-"
    assert fmt_date_long(pd.NaT) == "chưa có số liệu"
    assert fmt_date_short(pd.NaT, missing="") == ""
    np = pytest.importorskip("numpy")
    assert fmt_decimal(np.nan) == "chưa có số liệu"


def test_place_date_missing():
    assert fmt_place_date("Đắk Ha", None) == "chưa có số liệu"
    blank = "Đắk Ha, ngày ... tháng ... năm ..."
    assert fmt_place_date("Đắk Ha", None, missing=blank) == blank


def test_missing_is_keyword_only():
    with pytest.raises(TypeError):
        fmt_int(None, "—")
    with pytest.raises(TypeError):
        fmt_decimal(None, 1, False, "—")


def test_public_api():
    assert set(f.__all__) == {
        "LOCALE", "MISSING_TEXT", "fmt_count_padded", "fmt_date_long",
        "fmt_date_short", "fmt_decimal", "fmt_int", "fmt_money", "fmt_number",
        "fmt_percent", "fmt_place_date", "round_half_up",
    }


def test_doctests():
    import doctest
    failures, _ = doctest.testmod(f)
    assert failures == 0
