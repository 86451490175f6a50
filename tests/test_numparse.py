"""Tests for cchc_lib.numparse.

Every expected value below was written by hand from what a commune officer
types (Vietnamese number conventions: ``.`` groups thousands, ``,`` is the
decimal mark) and the ambiguity rules in the module docstring, not copied
from the code's output.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_lib.errors import CchcError
from cchc_lib.numparse import (
    KINDS,
    MAX_TEXT_LENGTH,
    NumberFormatError,
    Reading,
    is_blank,
    parse_number,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
WHOLE_KINDS = ("count", "amount", "enum")
FRACTION_KINDS = ("percent", "rate", "decimal")


def read(cell, kind="count"):
    return parse_number(cell, kind=kind)


def fails(cell, kind="count") -> NumberFormatError:
    with pytest.raises(NumberFormatError) as info:
        parse_number(cell, kind=kind)
    return info.value


def same_number(a, b) -> bool:
    return type(a) is type(b) and a == b


# ------------------------------------------------------------ API surface


def test_reading_is_frozen_with_empty_default_note():
    r = Reading(5)
    assert r.note == ""
    with pytest.raises(AttributeError):
        r.value = 6  # type: ignore[misc]


def test_error_is_a_value_error_and_a_cchc_error_with_message():
    err = fails("abc")
    assert isinstance(err, ValueError)
    assert isinstance(err, CchcError)
    assert err.message == 'cần một số, gặp "abc"'
    assert str(err) == err.message
    assert err.text == "abc"


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError) as info:
        parse_number("5", kind="group")
    assert not isinstance(info.value, NumberFormatError)


def test_default_kind_is_count():
    assert parse_number("1.234") == Reading(1234, parse_number("1.234", kind="count").note)
    with pytest.raises(NumberFormatError):
        parse_number("1,5")


# ------------------------------------------------------------ blanks


@pytest.mark.parametrize("cell", [None, "", "   ", NBSP, f" {NBSP}\t ", "\n"])
@pytest.mark.parametrize("kind", KINDS)
def test_blank_cells_read_as_none_without_note(cell, kind):
    assert read(cell, kind) == Reading(None, "")
    assert is_blank(cell)


@pytest.mark.parametrize("cell", ["-", "–", "—", " - ", f"{NBSP}–{NBSP}", "−"])
@pytest.mark.parametrize("kind", KINDS)
def test_lone_dash_is_blank_with_a_note(cell, kind):
    r = read(cell, kind)
    assert r.value is None
    assert "coi là ô trống" in r.note
    assert is_blank(cell)


@pytest.mark.parametrize("cell", [0, 0.0, "0", "x", "--", "- 5", float("nan"), False,
                                  date(2024, 1, 5)])
def test_is_blank_false_for_anything_else(cell):
    assert not is_blank(cell)


# ------------------------------------------------------------ cell numbers


@pytest.mark.parametrize("cell, kind, expected", [
    (0, "count", 0),
    (17, "count", 17),
    (3253588460, "amount", 3253588460),
    (2, "enum", 2),
    (21.0, "count", 21),
    (3253588460.0, "amount", 3253588460),
    (3.0, "enum", 3),
    (74.9, "percent", 74.9),
    (100.0, "percent", 100),
    (100, "rate", 100),
    (133.3, "rate", 133.3),
    (-1.5, "decimal", -1.5),
    (2.0, "decimal", 2),
    (-0.0, "count", 0),
    (Decimal("12"), "count", 12),
    (Decimal("74.90"), "percent", 74.9),
])
def test_numbers_from_excel(cell, kind, expected):
    r = read(cell, kind)
    assert same_number(r.value, expected)
    assert r.note == ""


def test_float_noise_from_a_formula_is_snapped_with_a_note():
    r = read(0.1 * 3 * 10, "count")  # 3.0000000000000004
    assert same_number(r.value, 3)
    assert "3.0000000000000004" in r.note and "3" in r.note
    r = read(69.99999999999999, "percent")
    assert same_number(r.value, 70)
    assert r.note
    # decimal keeps its value exactly
    assert same_number(read(69.99999999999999, "decimal").value, 69.99999999999999)


def test_real_fraction_of_a_large_amount_is_not_snapped():
    err = fails(3253588460.5, "amount")
    assert "cần số nguyên" in err.message


@pytest.mark.parametrize("cell, kind", [(21.5, "count"), (0.5, "enum"), (1000.25, "amount")])
def test_fractional_floats_for_whole_kinds(cell, kind):
    err = fails(cell, kind)
    assert "cần số nguyên" in err.message
    assert repr(cell) in err.message


@pytest.mark.parametrize("cell, kind, phrase", [
    (-3, "count", "số đếm không được âm"),
    (-3.0, "count", "số đếm không được âm"),
    (-1000, "amount", "số tiền không được âm"),
    (-1, "enum", "không được âm"),
    (-5.5, "percent", "tỉ lệ không được âm"),
    (-1, "rate", "tỉ lệ không được âm"),
])
def test_negative_numbers(cell, kind, phrase):
    err = fails(cell, kind)
    assert phrase in err.message
    assert f'"{cell}"' in err.message or f'"{cell!r}"' in err.message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cell", [True, False])
def test_booleans_are_refused(cell, kind):
    err = fails(cell, kind)
    assert "cần một số" in err.message
    assert ("TRUE" if cell else "FALSE") in err.message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cell", [float("nan"), float("inf"), float("-inf"),
                                  Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_numbers_are_refused(cell, kind):
    assert "cần một số hữu hạn" in fails(cell, kind).message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("cell, shown", [
    (datetime(2024, 1, 5), "05/01/2024"),
    (date(2024, 5, 1), "01/05/2024"),
    (datetime(2024, 1, 5, 13, 30), "05/01/2024 13:30:00"),
])
def test_dates_are_refused(cell, shown, kind):
    err = fails(cell, kind)
    assert err.message.startswith("ô chứa ngày tháng, cần một số")
    assert f'"{shown}"' in err.message


@pytest.mark.parametrize("cell", [time(1, 30), timedelta(hours=36)])
def test_times_are_refused(cell):
    assert "ô chứa giờ" in fails(cell).message


@pytest.mark.parametrize("cell", [[1], {"a": 1}, b"12", object(), 1 + 2j])
def test_other_types_are_refused(cell):
    assert "cần một số" in fails(cell).message


# ------------------------------------------------------------ text: accepted forms


@pytest.mark.parametrize("text, kind, expected", [
    # plain, padded, leading zero, sign
    ("12", "count", 12),
    ("  12  ", "count", 12),
    (f"{NBSP}12{NBSP}", "count", 12),
    ("\t12\n", "count", 12),
    ("04", "count", 4),
    ("007", "enum", 7),
    ("0", "count", 0),
    ("+5", "count", 5),
    ("+ 5", "count", 5),
    ("-0", "count", 0),
    ("2", "enum", 2),
    # dots as thousands (Vietnamese), groups of three
    ("3.253.588.460", "amount", 3253588460),
    ("1.000.000", "count", 1000000),
    ("1.234.567", "percent", 1234567),
    ("1.234.567", "decimal", 1234567),
    # spaces / non-breaking spaces as thousands
    ("3 253 588 460", "amount", 3253588460),
    (f"3{NBSP}253{NBSP}588{NBSP}460", "amount", 3253588460),
    (f"3{NNBSP}253{NNBSP}588", "count", 3253588),
    ("1 234", "percent", 1234),
    ("12 345,5", "decimal", 12345.5),
    ("1 234.5", "decimal", 1234.5),
    ("3 253 588,678", "decimal", 3253588.678),
    # decimal comma and decimal point
    ("74,9", "percent", 74.9),
    ("96.33", "percent", 96.33),
    ("96,33", "rate", 96.33),
    ("0,5", "decimal", 0.5),
    ("0.125", "decimal", 0.125),
    ("1234.567", "decimal", 1234.567),
    ("1234,567", "percent", 1234.567),
    ("12,50", "percent", 12.5),
    ("1,2345", "decimal", 1.2345),
    ("-1,5", "decimal", -1.5),
    ("−2,25", "decimal", -2.25),  # U+2212 minus sign
    ("21.0", "count", 21),
    ("21,0", "count", 21),
    ("21,00", "amount", 21),
    ("100,0", "percent", 100),
    ("100", "percent", 100),
    ("0,0", "rate", 0),
    # both separators, Vietnamese style
    ("1.234,5", "decimal", 1234.5),
    ("1.234.567,89", "percent", 1234567.89),
    ("3.253.588.460,0", "amount", 3253588460),
    # percent sign for percent / rate
    ("74,9%", "percent", 74.9),
    ("74,9 %", "percent", 74.9),
    (f"74,9{NBSP}%", "rate", 74.9),
    ("100%", "percent", 100),
    ("150%", "rate", 150),
    ("+12,5%", "percent", 12.5),
    # large values are fine (checks flag them later)
    ("250,5", "percent", 250.5),
])
def test_text_forms_without_note(text, kind, expected):
    r = read(text, kind)
    assert same_number(r.value, expected), r
    assert r.note == ""


def test_english_thousands_commas_accepted_with_note():
    r = read("3,253,588,460", "amount")
    assert same_number(r.value, 3253588460)
    assert r.note == ('đọc "3,253,588,460" là 3253588460 '
                      "(dấu phẩy phân cách hàng nghìn kiểu tiếng Anh)")
    assert same_number(read("1,000,000", "percent").value, 1000000)
    assert read("1,000,000", "percent").note


def test_english_style_decimal_point_with_comma_thousands_has_note():
    r = read("1,234.5", "decimal")
    assert same_number(r.value, 1234.5)
    assert r.note.startswith('đọc "1,234.5" là 1234,5 (kiểu tiếng Anh')
    r = read("1,234,567.25", "percent")
    assert same_number(r.value, 1234567.25)
    assert "tiếng Anh" in r.note
    r = read("3,253,588,460.00", "amount")
    assert same_number(r.value, 3253588460)
    assert r.note


# ------------------------------------------------------------ ambiguity


@pytest.mark.parametrize("kind", WHOLE_KINDS)
@pytest.mark.parametrize("text, expected, sep_name", [
    ("1.234", 1234, "dấu chấm"),
    ("1,234", 1234, "dấu phẩy"),
    ("12.500", 12500, "dấu chấm"),
    ("999,000", 999000, "dấu phẩy"),
    ("1.000", 1000, "dấu chấm"),
])
def test_ambiguous_read_as_thousands_for_whole_kinds(text, expected, sep_name, kind):
    r = read(text, kind)
    assert same_number(r.value, expected)
    assert r.note.startswith(f'đọc "{text}" là {expected} ({sep_name} phân cách hàng nghìn)')


def test_ambiguous_thousands_note_exact():
    assert read("1.234", "count").note == (
        'đọc "1.234" là 1234 (dấu chấm phân cách hàng nghìn), không phải 1,234')


@pytest.mark.parametrize("kind", FRACTION_KINDS)
@pytest.mark.parametrize("text, expected, shown, sep_name", [
    ("1.234", 1.234, "1,234", "dấu chấm"),
    ("1,234", 1.234, "1,234", "dấu phẩy"),
    ("74,900", 74.9, "74,900", "dấu phẩy"),
    ("100,250", 100.25, "100,250", "dấu phẩy"),
])
def test_ambiguous_read_as_decimal_for_fraction_kinds(text, expected, shown, sep_name, kind):
    r = read(text, kind)
    assert same_number(r.value, expected)
    assert r.note.startswith(f'đọc "{text}" là {shown} ({sep_name} thập phân)')


def test_ambiguous_decimal_note_exact_and_whole_result():
    r = read("1,000", "percent")
    assert same_number(r.value, 1)
    assert r.note == 'đọc "1,000" là 1,000 (dấu phẩy thập phân), không phải 1000'
    r = read("1.234%", "rate")
    assert same_number(r.value, 1.234)
    assert r.note


@pytest.mark.parametrize("text, kind, expected", [
    ("0.125", "count", None),      # leading zero: a decimal, so not whole
    ("0,125", "percent", 0.125),
    ("1234.567", "decimal", 1234.567),
    ("1.23", "percent", 1.23),
    ("1.2345", "decimal", 1.2345),
])
def test_not_ambiguous_single_separator_is_decimal(text, kind, expected):
    if expected is None:
        assert "cần số nguyên" in fails(text, kind).message
    else:
        r = read(text, kind)
        assert same_number(r.value, expected)
        assert r.note == ""


# ------------------------------------------------------------ text: errors


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["abc", "12a", "1O", "một", "+", "5-", "1..2", "1,,2",
                                  ".5", ",5", "5.", "5,", "1/2", "(5)", "5 đ", "½", "١٢",
                                  "１２", "1_000", "0x10", "--5", "%"])
def test_not_a_number(text, kind):
    err = fails(text, kind)
    assert err.message.endswith(f'gặp "{text}"')


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["1.23.4", "1,2,3", "12.34.567", "1.234,5,6", "1,2.3",
                                  "1.5,3", "1234.567.890", "1.234.56", "1,234,5678"])
def test_inconsistent_separators(text, kind):
    err = fails(text, kind)
    assert "không nhất quán" in err.message
    assert f'"{text}"' in err.message


@pytest.mark.parametrize("text", ["12 5", "1 23", "1234 567", "1 234 56", "1.234 567",
                                  "1 234,5 6"])
def test_bad_space_grouping(text):
    err = fails(text, "decimal")
    assert f'"{text}"' in err.message


@pytest.mark.parametrize("text, kind", [
    ("1,5", "count"), ("21.5", "count"), ("0,5", "enum"), ("1.234,5", "amount"),
    ("1234.5", "amount"), ("1,234.5", "count"),
])
def test_fractions_for_whole_kinds(text, kind):
    err = fails(text, kind)
    assert "cần số nguyên" in err.message
    assert f'"{text}"' in err.message


@pytest.mark.parametrize("text, kind, phrase", [
    ("-3", "count", "số đếm không được âm"),
    ("−3", "count", "số đếm không được âm"),
    ("–3", "count", "số đếm không được âm"),
    ("-1.000", "amount", "số tiền không được âm"),
    ("-2", "enum", "không được âm"),
    ("-74,9%", "percent", "tỉ lệ không được âm"),
    ("-0,5", "rate", "tỉ lệ không được âm"),
])
def test_negative_text(text, kind, phrase):
    err = fails(text, kind)
    assert phrase in err.message
    assert f'"{text}"' in err.message


def test_negative_allowed_for_decimal():
    assert same_number(read("-3", "decimal").value, -3)


@pytest.mark.parametrize("kind", ["count", "amount", "enum", "decimal"])
@pytest.mark.parametrize("text", ["5%", "74,9 %", "100%"])
def test_percent_sign_only_for_percent_kinds(text, kind):
    err = fails(text, kind)
    assert "%" in err.message
    assert f'"{text}"' in err.message


@pytest.mark.parametrize("text", ["%5", "5%%", "5 % %"])
def test_misplaced_percent_sign(text):
    fails(text, "percent")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "=1+1", " =5", "=B12*100/C12"])
def test_formulas_are_refused(text, kind):
    err = fails(text, kind)
    assert err.message.startswith("ô chứa công thức, cần nhập số trực tiếp")
    assert f'"{text.strip()}"' in err.message


@pytest.mark.parametrize("text", ["1E+05", "3,25E+09", "3.25e9", "1 E 5"])
def test_exponent_form_refused(text):
    err = fails(text, "amount")
    assert "lũy thừa" in err.message


def test_too_long_text():
    text = "1" * (MAX_TEXT_LENGTH + 1)
    err = fails(text, "amount")
    assert "quá dài" in err.message
    assert '"1111' in err.message  # quoted (shortened)
    # also when it is only padding
    assert "quá dài" in fails(" " * 70 + "5").message
    # exactly the limit is fine (as text; 64 digits is then refused as a number too large)
    assert same_number(read(" " * (MAX_TEXT_LENGTH - 1) + "5", "amount").value, 5)
    assert "số quá lớn" in fails("1" * MAX_TEXT_LENGTH, "amount").message


@pytest.mark.parametrize("cell", [10 ** 15, 1e308, "1E+308", 10 ** 400, "999.999.999.999.999.999",
                                  Decimal("1e20")])
def test_numbers_too_large_for_any_report_are_refused(cell):
    err = fails(cell, "count")
    assert "số quá lớn" in err.message or "lũy thừa" in err.message, err.message


def test_a_rate_with_sixty_decimals_is_refused_not_crashing_later():
    err = fails("0," + "0" * 60 + "1", "percent")
    assert "quá nhiều chữ số sau dấu phẩy (tối đa 10)" in err.message
    assert same_number(read("74,8730964467", "percent").value, 74.8730964467)
    assert same_number(read(999_999_999_999_999, "amount").value, 999_999_999_999_999)


def test_messages_quote_the_input_stripped_of_padding():
    err = fails(f"{NBSP} abc {NBSP}")
    assert err.message == 'cần một số, gặp "abc"'


def test_text_and_cell_agree():
    for text, cell, kind in [("74,9", 74.9, "percent"), ("3.253.588.460", 3253588460, "amount"),
                             ("21", 21.0, "count"), ("0,125", 0.125, "decimal")]:
        assert same_number(read(text, kind).value, read(cell, kind).value)


# ------------------------------------------------------------ properties

ANY_CELL = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(),
)

# Text built from the characters the parser cares about, to reach deeper branches.
NUMBERISH = st.text(alphabet="0123456789.,  %+-−–=eE" + NBSP, max_size=20)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_total(cell, kind):
    try:
        r = parse_number(cell, kind=kind)
    except NumberFormatError as err:
        assert isinstance(err.message, str) and err.message
        return
    assert isinstance(r, Reading)
    assert r.value is None or type(r.value) in (int, float)
    assert isinstance(r.note, str)
    if r.value is not None:
        assert not isinstance(r.value, bool)
        assert math.isfinite(r.value)
        if kind in WHOLE_KINDS:
            assert type(r.value) is int and r.value >= 0
        if kind in ("percent", "rate"):
            assert r.value >= 0
        if type(r.value) is float:
            assert not r.value.is_integer()
    assert (r.value is None) == is_blank(cell)


@FAST
@given(cell=ANY_CELL, kind=st.sampled_from(KINDS))
def test_property_any_cell_reads_or_raises_number_format_error(cell, kind):
    _check_total(cell, kind)


@FAST
@given(cell=NUMBERISH, kind=st.sampled_from(KINDS))
def test_property_numberish_text_reads_or_raises_number_format_error(cell, kind):
    _check_total(cell, kind)


@FAST
@given(n=st.integers(min_value=0, max_value=10**15 - 1))
def test_property_dot_thousands_round_trip(n):
    text = f"{n:,}".replace(",", ".")
    r = parse_number(text, kind="count")
    assert same_number(r.value, n)
    assert parse_number(f" {text}{NBSP}", kind="amount").value == n


@FAST
@given(n=st.integers(min_value=0, max_value=10**15 - 1))
def test_property_space_thousands_round_trip(n):
    text = f"{n:,}".replace(",", NBSP)
    r = parse_number(text, kind="amount")
    assert same_number(r.value, n)
    assert r.note == ""


@FAST
@given(tenths=st.integers(min_value=0, max_value=10**7), sign=st.sampled_from(["", "%", " %"]))
def test_property_decimal_comma_percent_round_trip(tenths, sign):
    x = tenths / 10
    text = f"{x:.1f}".replace(".", ",") + sign
    r = parse_number(text, kind="percent")
    assert r.value == pytest.approx(x, rel=0, abs=1e-9)
    assert r.value == round(x, 1)
    assert type(r.value) is (int if tenths % 10 == 0 else float)
    assert r.note == ""


@FAST
@given(x=st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda v: round(v, 1)))
def test_property_vn_style_grouped_decimal_round_trip(x):
    text = f"{x:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    r = parse_number(text, kind="decimal")
    assert r.value == x
