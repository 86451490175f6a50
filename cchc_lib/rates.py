"""Rates and their rounding: pure arithmetic on the figures a unit typed (no pandas, no I/O).

Every rate the package prints or checks is computed here: exactly, on the typed decimal values
(``74.9`` is 749/10, not its binary neighbour), rounded half up (halves away from zero) to the
digits the report prints.  A rate's fraction comes from the catalogue's rate form: ``row``
(done / total of the row) or ``ratio`` (the row's figure over another row's total).
"""

from __future__ import annotations

import numbers
from decimal import Decimal
from fractions import Fraction

from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.formatting import round_half_up
from cchc_lib.model import Indicator, Submission, Value

__all__ = ["Number", "DEFAULT_DIGITS", "is_number", "exact", "round_fraction", "plain_number",
           "figure", "printed_decimals", "percent", "rate_fraction", "computed_rate",
           "rate_matches", "rate_differs"]

Number = int | float

#: The report prints rates with one decimal (``74,9%``).
DEFAULT_DIGITS = 1

# Tolerance added to the half-unit of the typed rate's last printed digit (binary float noise).
_EPS = 1e-9


def is_number(x: object) -> bool:
    """A real number that is not a bool and not NaN."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        return False
    try:
        return x == x  # NaN is not equal to itself
    except TypeError:
        return False


def exact(x: Number | Decimal) -> Fraction:
    """The exact value a typed number stands for: ``74.9`` is 749/10, not its binary neighbour."""
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, Decimal):
        return Fraction(x)
    return Fraction(Decimal(repr(float(x))))


def round_fraction(q: Fraction, digits: int) -> float:
    """``q`` rounded half up (halves away from zero) to ``digits`` fraction digits, as a float.

    The package's one rounding, :func:`cchc_lib.formatting.round_half_up`, under the name the
    rate code has always used."""
    return round_half_up(q, digits)


def plain_number(x: Number | None) -> Number | None:
    """A whole float becomes an int (``2.0`` → ``2``); other values are returned unchanged."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def figure(value: Value | None) -> Number | None:
    """A row's figure: its done column when given, else its total; ``None`` for no value."""
    if value is None:
        return None
    return value.done if value.done is not None else value.total


def printed_decimals(rate: float | int | Decimal) -> int:
    """How many decimals a typed rate shows, from its shortest representation.

    Trailing zeros do not count (a whole float typed into a spreadsheet, ``100.0``, shows none).

    >>> [printed_decimals(x) for x in (74.9, 100, 42.94, 4.76, 100.0)]
    [1, 0, 2, 2, 0]
    """
    if isinstance(rate, bool) or not isinstance(rate, (numbers.Real, Decimal)):
        raise TypeError(f"printed_decimals cần một số, gặp {rate!r}")
    if isinstance(rate, numbers.Integral):
        return 0
    d = rate if isinstance(rate, Decimal) else Decimal(repr(float(rate)))
    if not d.is_finite():
        raise ValueError(f"printed_decimals cần một số hữu hạn, gặp {rate!r}")
    if d == 0:
        return 0
    exponent = d.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def percent(num: Number, den: Number, digits: int | None = None) -> float | None:
    """``100 * num / den``, rounded half up to ``digits`` when given; ``None`` when ``den`` is 0.

    The division is exact (on the typed decimal values), so a tie such as 1/16 = 6,25% rounds
    up to 6,3% whatever the binary representation of the operands.
    """
    if not (is_number(num) and is_number(den)) or den == 0:
        return None
    q = exact(num) * 100 / exact(den)
    if digits is None:
        return float(q)
    return round_fraction(q, digits)


def _indicator(ind: Indicator | str, cat: Catalogue) -> Indicator:
    return ind if isinstance(ind, Indicator) else cat[ind]


def rate_fraction(sub: Submission, ind: Indicator | str,
                  cat: Catalogue | None = None) -> tuple[Number, Number] | None:
    """The fraction ``(numerator, denominator)`` that forms the indicator's rate.

    * ``row``:   ``(done, total)`` of the row;
    * ``ratio``: ``(figure of the row, total of rate_of)`` — the figure of ``rate_of`` when
      that row has no total.

    ``None`` when the rate form is ``none``, a part is missing, or the denominator is 0.
    ``ind`` is an :class:`Indicator` or its code.
    """
    cat = cat or default_catalogue()
    ind = _indicator(ind, cat)
    value = sub.value(ind.code)
    if value is None or ind.rate == "none":
        return None
    if ind.rate == "row":
        num, den = value.done, value.total
    elif ind.rate == "ratio":
        base = sub.value(ind.rate_of) if ind.rate_of else None
        num = figure(value)
        den = None if base is None else (base.total if base.total is not None else figure(base))
    else:  # an unknown form cannot be computed
        return None
    if not (is_number(num) and is_number(den)) or den == 0:
        return None
    return num, den


def computed_rate(sub: Submission, ind: Indicator | str, cat: Catalogue | None = None,
                  digits: int | None = None) -> float | None:
    """``100 * num / den`` of :func:`rate_fraction`, rounded half up to ``digits`` when given."""
    frac = rate_fraction(sub, ind, cat)
    if frac is None:
        return None
    return percent(frac[0], frac[1], digits)


def rate_matches(typed: Number, num: Number, den: Number) -> bool:
    """Whether a typed rate agrees with ``num / den`` at the typed rate's own printed precision.

    Half-up rounding of the true percent to the typed rate's decimals gives the typed rate
    exactly when ``|typed − 100·num/den| ≤ 0.5·10^(−decimals)`` (plus 1e-9 for float noise):
    ``74,9`` for 295/394 matches, ``100`` for 55/72 does not, ``4,76`` for 1/21 matches.
    A zero denominator matches nothing.
    """
    if not (is_number(typed) and is_number(num) and is_number(den)) or den == 0:
        return False
    decimals = printed_decimals(typed)
    true = exact(num) * 100 / exact(den)
    gap = abs(exact(typed) - true)
    return float(gap) <= 0.5 * 10 ** (-decimals) + _EPS


def rate_differs(value: Value | None, frac: tuple[Number, Number] | None) -> bool:
    """A typed rate is given, the fraction is computable and the two do not agree."""
    if value is None or not is_number(value.rate) or frac is None:
        return False
    return not rate_matches(value.rate, frac[0], frac[1])
