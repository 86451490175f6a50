"""Vietnamese formatting of numbers, percentages, money and dates for reports.

Every string a reader sees in a CCHC report goes through this module, so the
whole package writes numbers one way: Babel's ``vi`` locale (grouping ``.``,
decimal mark ``,``), never hand-written separators.

Conventions shared by all formatters:

* Rounding is *half up* (``74,85`` → ``74,9``), as Vietnamese reports do it,
  and it is done on the decimal text of the number (``repr``), so binary
  float artefacts (``2.675`` being stored as ``2.67499…``) do not leak into
  the printed figure.  Babel itself rounds half-even, so values are rounded
  here first and handed to Babel already at the right precision.
* A missing value (``None``, a float/Decimal NaN, pandas ``NA``/``NaT``) is
  printed as the keyword-only ``missing`` text, by default
  ``"chưa có số liệu"`` ("no data yet").
* Wrong types (``str``, ``bool``, …) raise :class:`TypeError`; impossible
  values (infinity, a fractional integer, a negative count) raise
  :class:`ValueError`.  These are programming errors, not user errors, so
  their messages are in English.
* A value that rounds to zero is printed without a minus sign (``0,0``,
  never ``-0,0``).

The functions are pure: no I/O, no global state beyond the constants below.
"""

from __future__ import annotations

import math
import numbers
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

__all__ = [
    "LOCALE",
    "MISSING_TEXT",
    "fmt_count_padded",
    "fmt_date_long",
    "fmt_date_short",
    "fmt_decimal",
    "fmt_int",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "fmt_place_date",
    "round_half_up",
]

#: Babel locale used for every formatted string.
LOCALE = "vi"

#: Default text printed in place of a missing value.
MISSING_TEXT = "chưa có số liệu"

#: Currency word appended by :func:`fmt_money` (the Vietnamese đồng has no
#: minor unit, so amounts are printed as whole đồng).
_CURRENCY_WORD = "đồng"

#: Default number of fraction digits for :func:`fmt_number`.
_NUMBER_DEFAULT_DIGITS = 2


# ---------------------------------------------------------------------------
# Internal helpers
# ---------------------------------------------------------------------------

def _is_missing(x: object) -> bool:
    """True for None, NaN (float or Decimal) and pandas' NA / NaT singletons."""
    if x is None:
        return True
    # pandas.NA and pandas.NaT are recognised by type name so that this
    # module does not have to import pandas.
    if type(x).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(x, Decimal):
        return x.is_nan()
    if isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral):
        try:
            return math.isnan(x)
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def _check_number(x: object) -> None:
    """Raise TypeError unless *x* is a real number (bool excluded)."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        raise TypeError(f"expected a number, got {type(x).__name__}: {x!r}")


def _check_digits(digits: object) -> int:
    """Validate a fraction-digit count (a non-negative int)."""
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise TypeError(f"digits must be an int, got {type(digits).__name__}: {digits!r}")
    if digits < 0:
        raise ValueError(f"digits must be >= 0, got {digits}")
    return int(digits)


def _to_decimal(x: object) -> Decimal:
    """Exact decimal value of *x* as a human would read it.

    Floats are converted through their shortest ``repr`` (``74.85`` becomes
    ``Decimal('74.85')``, not ``74.849999…``).  ``float.__repr__`` is called
    directly so that float subclasses such as ``numpy.float64`` (whose own
    ``repr`` is ``np.float64(74.85)``) give the same digits.
    """
    _check_number(x)
    if isinstance(x, Decimal):
        return x
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    if isinstance(x, float):
        return Decimal(float.__repr__(x))
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = 50
            return Decimal(x.numerator) / Decimal(x.denominator)
    # Other reals (e.g. numpy.float32): their str() is the shortest text for
    # their own precision; fall back to the float repr if it is not decimal.
    try:
        return Decimal(str(x))
    except ArithmeticError:
        return Decimal(float.__repr__(float(x)))


def _exact(x: object) -> Fraction | None:
    """The exact value of *x* as a human reads it (``74.85`` is 7485/100, not its binary
    neighbour); a Fraction is taken as it is.  ``None`` for infinities and NaN."""
    if isinstance(x, Fraction):
        return x
    d = _to_decimal(x)
    return Fraction(d) if d.is_finite() else None


def _round_decimal(x: object, digits: int) -> Decimal:
    """Round *x* half up to *digits* fraction digits, as a Decimal.

    The one implementation of rounding in the package: :func:`round_half_up`, every
    ``fmt_*`` function and :func:`cchc_lib.rates.round_fraction` come here.  The rounding is
    exact (on the number's decimal text, or on the Fraction given), halves away from zero.
    Raises ValueError for infinities and NaN (callers handle NaN as missing before getting
    here).  Negative zero is normalised to zero.
    """
    q = _exact(x)
    if q is None:
        raise ValueError(f"cannot format a non-finite number: {x!r}")
    n = math.floor(abs(q) * 10 ** digits + Fraction(1, 2))
    # built from its text, so that no context precision rounds it again
    return Decimal(f"{'-' if q < 0 and n else ''}{n}E-{digits}")


def _babel_decimal(value: Decimal, pattern: str) -> str:
    """Format an already-rounded Decimal with a Babel pattern for ``vi``."""
    with localcontext() as ctx:
        # Babel quantizes in the current context; the default precision of
        # 28 digits would fail on very large integers.
        ctx.prec = max(28, value.adjusted() + 20)
        return format_decimal(value, format=pattern, locale=LOCALE)


def _fraction_pattern(digits: int, strip_zeros: bool) -> str:
    """Babel pattern with grouping and *digits* fraction digits.

    ``0`` forces a digit (fixed width), ``#`` prints it only when non-zero.
    """
    if digits == 0:
        return "#,##0"
    return "#,##0." + ("#" if strip_zeros else "0") * digits


def _integral_value(n: object) -> Decimal:
    """The value of *n* as an integral Decimal, or ValueError if fractional."""
    d = _to_decimal(n)
    if not d.is_finite():
        raise ValueError(f"cannot format a non-finite number: {n!r}")
    if d != d.to_integral_value():
        raise ValueError(f"expected a whole number, got {n!r}")
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + 3)
        d = d.quantize(Decimal(1))
    if d.is_zero():
        d = d.copy_abs()
    return d


def _check_date(d: object) -> date:
    """Raise TypeError unless *d* is a date (datetimes and pandas Timestamps
    are date subclasses and are accepted; only their date part is printed)."""
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")
    return d


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------

def round_half_up(x: float | int | Decimal | Fraction, digits: int = 0) -> float:
    """Round *x* half up to *digits* fraction digits and return a float.

    This is the rounding of every figure a user or a machine reads: printed,
    put in a finding's ``expected``, written to JSON or a table.  Unlike the
    built-in :func:`round` (half-even, on the binary value), the rounding is
    exact on the number's decimal text (or on a Fraction), so
    ``round_half_up(0.125, 2) == 0.13`` and ``round_half_up(2.675, 2) == 2.68``.
    Halves are rounded away from zero (``-0.125`` → ``-0.13``).

    NaN and infinities are returned unchanged (as floats).

    >>> round_half_up(9.5238, 1)
    9.5
    """
    digits = _check_digits(digits)
    if _exact(x) is None:
        return float(x)
    return float(_round_decimal(x, digits))


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

def fmt_int(n: int | float | Decimal | None, *, missing: str = MISSING_TEXT) -> str:
    """Whole number with ``.`` as the thousands separator.

    Integral floats/Decimals (``3.0``, as pandas gives for integer columns
    that contain NaN) are accepted; a fractional value raises ValueError
    rather than being silently truncated.

    >>> fmt_int(3253588460)
    '3.253.588.460'
    """
    if _is_missing(n):
        return missing
    return _babel_decimal(_integral_value(n), "#,##0")


def fmt_decimal(x: float | int | Decimal | None, digits: int = 1, *,
                strip_zeros: bool = False, missing: str = MISSING_TEXT) -> str:
    """Number rounded half up to *digits* fraction digits, decimal comma.

    By default exactly *digits* fraction digits are printed (``100,0``);
    with ``strip_zeros=True`` trailing zeros and a bare decimal comma are
    dropped (``100``, ``21,5``).

    >>> fmt_decimal(74.87)
    '74,9'
    """
    if _is_missing(x):
        return missing
    digits = _check_digits(digits)
    rounded = _round_decimal(x, digits)
    return _babel_decimal(rounded, _fraction_pattern(digits, strip_zeros))


def fmt_percent(x: float | int | Decimal | None, digits: int = 1, *,
                missing: str = MISSING_TEXT) -> str:
    """Percentage, where *x* is already the percent number (74.87 → 74,9%).

    The value is rounded half up to *digits* fraction digits.  If the rounded
    value is whole it is printed without decimals (``100%``, ``75%``), as
    official Vietnamese reports do; otherwise exactly *digits* fraction
    digits are printed (``76,4%``, ``42,90%`` with ``digits=2``).

    The sign follows the number directly, with no space of any kind; the
    pattern is given explicitly so this does not depend on CLDR data.

    >>> fmt_percent(74.87)
    '74,9%'
    """
    if _is_missing(x):
        return missing
    digits = _check_digits(digits)
    rounded = _round_decimal(x, digits)
    shown = 0 if rounded == rounded.to_integral_value() else digits
    pattern = _fraction_pattern(shown, strip_zeros=False) + "%"
    # format_percent multiplies by 100; scaleb(-2) divides exactly.
    with localcontext() as ctx:
        ctx.prec = max(28, rounded.adjusted() + 20)
        return format_percent(rounded.scaleb(-2), format=pattern, locale=LOCALE)


def fmt_money(n: int | float | Decimal | None, *, missing: str = MISSING_TEXT) -> str:
    """Amount of money in đồng: ``3.253.588.460 đồng``.

    The đồng has no minor unit, so a fractional amount is rounded half up to
    a whole đồng.

    >>> fmt_money(3253588460)
    '3.253.588.460 đồng'
    """
    if _is_missing(n):
        return missing
    amount = _babel_decimal(_round_decimal(n, 0), "#,##0")
    return f"{amount} {_CURRENCY_WORD}"


def fmt_count_padded(n: int | float | Decimal | None, *, missing: str = MISSING_TEXT) -> str:
    """Count of items in official style: 1–9 get a leading zero (``03``).

    Administrative documents write ``03 công văn``; zero stays ``0`` and
    counts from 10 up are printed like :func:`fmt_int` (``1.250``).  A count
    must be a non-negative whole number.

    >>> fmt_count_padded(3)
    '03'
    """
    if _is_missing(n):
        return missing
    value = _integral_value(n)
    if value < 0:
        raise ValueError(f"a count cannot be negative, got {n!r}")
    if 0 < value < 10:
        return _babel_decimal(value, "00")
    return _babel_decimal(value, "#,##0")


def fmt_number(x: int | float | Decimal | None, digits: int | None = None, *,
               missing: str = MISSING_TEXT) -> str:
    """Number printed as compactly as its type allows.

    Integers (any :class:`numbers.Integral`, numpy ints included) go through
    :func:`fmt_int`; other numbers are rounded half up to at most *digits*
    fraction digits (default 2) with trailing zeros dropped.

    >>> fmt_number(96.33)
    '96,33'
    """
    if _is_missing(x):
        return missing
    _check_number(x)
    if isinstance(x, numbers.Integral):
        return fmt_int(x, missing=missing)
    if digits is None:
        digits = _NUMBER_DEFAULT_DIGITS
    return fmt_decimal(x, digits, strip_zeros=True, missing=missing)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

def fmt_date_long(d: date | None, *, missing: str = MISSING_TEXT) -> str:
    """Date as written in administrative documents: ``ngày 07 tháng 3 năm 2024``.

    Nghị định 30/2020/NĐ-CP (Phụ lục I, "địa danh và thời gian ban hành văn
    bản") requires a leading zero on days below 10 and on months 1 and 2 —
    and only those months: ``ngày 05 tháng 01 năm 2020`` but
    ``ngày 07 tháng 3 năm 2024``.  No CLDR pattern expresses "pad months 1
    and 2 only", so the month field is chosen here (``MM`` for January and
    February, ``M`` otherwise) and Babel formats the rest.

    >>> from datetime import date
    >>> fmt_date_long(date(2024, 3, 7))
    'ngày 07 tháng 3 năm 2024'
    """
    if _is_missing(d):
        return missing
    d = _check_date(d)
    month_field = "MM" if d.month in (1, 2) else "M"
    pattern = f"'ngày' dd 'tháng' {month_field} 'năm' yyyy"
    return format_date(d, pattern, locale=LOCALE)


def fmt_date_short(d: date | None, *, missing: str = MISSING_TEXT) -> str:
    """Date in numeric form ``dd/MM/yyyy``: ``07/03/2024``.

    >>> from datetime import date
    >>> fmt_date_short(date(2024, 3, 7))
    '07/03/2024'
    """
    if _is_missing(d):
        return missing
    return format_date(_check_date(d), "dd/MM/yyyy", locale=LOCALE)


def fmt_place_date(place: str, d: date | None, *, missing: str = MISSING_TEXT) -> str:
    """Place-and-date line of a document: ``Đắk Ha, ngày 07 tháng 3 năm 2024``.

    *place* is used as given (surrounding whitespace removed) and must not
    be empty.  If the date is missing the whole line is replaced by
    *missing*; pass e.g. ``missing="Đắk Ha, ngày ... tháng ... năm ..."`` for
    a form to be filled in by hand.

    >>> from datetime import date
    >>> fmt_place_date("Đắk Ha", date(2024, 3, 7))
    'Đắk Ha, ngày 07 tháng 3 năm 2024'
    """
    if not isinstance(place, str):
        raise TypeError(f"place must be a str, got {type(place).__name__}: {place!r}")
    place = place.strip()
    if not place:
        raise ValueError("place must not be empty")
    if _is_missing(d):
        return missing
    return f"{place}, {fmt_date_long(d)}"
