"""Many units, one period: sums, recomputed rates, spread, ranking and who has not reported.

The district or province analyst adds up its communes' submissions.  Counts and amounts are
summed; a rate is recomputed from the summed fraction — never the mean of the units' rates,
which would give a commune of 20 dossiers the weight of one of 2.000 — and the units' own
computed rates are kept as a spread (min, median, max).  Coded rows (``enum``) and typed
percentages (``percent``) do not add up: they are given as a distribution of values instead.

All functions are pure: they take submissions (e.g. ``Store.load_latest_all(period)``) and
return pandas frames or lists.
"""

from __future__ import annotations

import numbers
import statistics
from decimal import Decimal
from typing import Iterable, Sequence

import pandas as pd

from cchc_lib.calc import make_frame
from cchc_lib.rates import DEFAULT_DIGITS, computed_rate, figure, percent, rate_fraction
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.formatting import round_half_up
from cchc_lib.model import Indicator, Submission

__all__ = [
    "ROLLUP_COLUMNS",
    "RANK_COLUMNS",
    "RANK_BY",
    "rollup",
    "rank",
    "missing_units",
    "unit_matrix",
]

#: Columns of :func:`rollup`, in order.
#: ``rate`` is ``rate_num / rate_den`` exactly, both summed over the same ``rate_units`` units
#: (those whose fraction is computable); ``total_sum`` and ``done_sum`` are over the ``units``
#: that reported the row at all, so they need not reconcile with the rate.
ROLLUP_COLUMNS = (
    "code", "title", "kind", "units", "total_sum", "done_sum", "distribution", "rate_units",
    "rate_num", "rate_den", "rate", "rate_min", "rate_median", "rate_max",
)
_ROLLUP_DTYPES = {"code": str, "title": str, "kind": str, "units": int, "rate_units": int,
                  "rate": float, "rate_min": float, "rate_median": float, "rate_max": float}

#: Columns of :func:`rank`, in order.
RANK_COLUMNS = ("unit_code", "value", "rank")

#: What :func:`rank` can rank by.
RANK_BY = ("rate", "figure", "total", "done")

# Kinds whose figures add up across units.
_SUMMED = ("count", "amount", "decimal")
# Kinds given as a distribution of values instead.
_DISTRIBUTED = ("enum", "percent")


def _is_number(x: object) -> bool:
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        return False
    return x == x  # not NaN


def _plain(x):
    """A whole float becomes an int (``2.0`` → ``2``), so that ``{2: 5}`` and ``{2.0: 5}`` agree."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _check(subs: Iterable[Submission]) -> list[Submission]:
    """The submissions as a list; one per unit and all of one period, else ValueError."""
    subs = list(subs)
    seen: set[str] = set()
    for sub in subs:
        if not isinstance(sub, Submission):
            raise TypeError(f"Cần các Submission, gặp {type(sub).__name__}")
        if sub.unit_code in seen:
            raise ValueError(f"Đơn vị {sub.unit_code} có hơn một báo cáo trong danh sách tổng hợp; "
                             "mỗi đơn vị chỉ dùng một báo cáo (bản mới nhất)")
        seen.add(sub.unit_code)
    periods = sorted({sub.period for sub in subs})
    if len(periods) > 1:
        raise ValueError("Không tổng hợp được các báo cáo của nhiều kỳ khác nhau: "
                         + ", ".join(periods))
    return subs


def _sum(values: list) -> int | float | None:
    """Sum of the given numbers (``None`` when there are none); exact on the typed decimals."""
    if not values:
        return None
    if all(isinstance(v, numbers.Integral) for v in values):
        return int(sum(int(v) for v in values))
    return _plain(float(sum(Decimal(repr(float(v))) if not isinstance(v, Decimal) else v
                            for v in values)))


def _round(x: float | None, digits: int | None) -> float | None:
    if x is None or digits is None:
        return x
    return round_half_up(x, digits)


def _reported(sub: Submission, code: str) -> bool:
    value = sub.value(code)
    return value is not None and not value.is_empty


def _rollup_row(ind: Indicator, subs: list[Submission], cat: Catalogue,
                digits: int | None) -> dict | None:
    reporting = [s for s in subs if _reported(s, ind.code)]
    if not reporting:
        return None
    row = dict.fromkeys(ROLLUP_COLUMNS)
    row.update(code=ind.code, title=ind.title, kind=ind.kind, units=len(reporting), rate_units=0)
    values = [s.value(ind.code) for s in reporting]
    if ind.kind in _DISTRIBUTED:
        counts: dict = {}
        for v in values:
            fig = figure(v)
            if _is_number(fig):
                key = _plain(fig)
                counts[key] = counts.get(key, 0) + 1
        row["distribution"] = dict(sorted(counts.items()))
        return row
    if ind.kind in _SUMMED:
        row["total_sum"] = _sum([v.total for v in values if _is_number(v.total)])
        row["done_sum"] = _sum([v.done for v in values if _is_number(v.done)])
    fractions = [f for f in (rate_fraction(s, ind, cat) for s in subs) if f is not None]
    if fractions:
        row["rate_units"] = len(fractions)
        row["rate_num"] = _sum([n for n, _ in fractions])
        row["rate_den"] = _sum([d for _, d in fractions])
        row["rate"] = percent(row["rate_num"], row["rate_den"], digits)
        unit_rates = [percent(n, d, digits) for n, d in fractions]
        row["rate_min"] = min(unit_rates)
        row["rate_median"] = _round(float(statistics.median(unit_rates)), digits)
        row["rate_max"] = max(unit_rates)
    return row


def rollup(subs: Iterable[Submission], cat: Catalogue | None = None, *,
           digits: int | None = DEFAULT_DIGITS) -> pd.DataFrame:
    """Add up the units' submissions for one period, row by catalogue row.

    One row per catalogue data row that at least one unit reported (a non-empty value), in
    catalogue order.  Columns (:data:`ROLLUP_COLUMNS`):

    * ``code``, ``title``, ``kind``;
    * ``units`` — how many units reported the row;
    * ``total_sum``, ``done_sum`` — sums of the two number columns over the units that gave
      them (counts and amounts only; ``None`` otherwise or when no unit gave the column);
    * ``distribution`` — for coded and percent rows, ``{value: number of units}`` of the
      units' figures (``{0: 2, 2: 5}``); ``None`` for other rows;
    * ``rate_units`` — how many units gave both parts of the rate's fraction;
    * ``rate`` — recomputed from the summed fraction over those units: Σ done / Σ total for
      ``row`` rates, Σ figure / Σ ``rate_of`` total for ``ratio`` rates; never the mean of the
      units' rates;
    * ``rate_min``, ``rate_median``, ``rate_max`` — spread of those units' own computed rates.

    Rates are rounded half up to ``digits`` decimals (``None``: unrounded); NaN when not
    computable.  Raises ValueError when a unit appears twice or the periods differ.
    """
    subs = _check(subs)
    cat = cat or default_catalogue()
    rows = [r for r in (_rollup_row(ind, subs, cat, digits) for ind in cat.data_rows()) if r]
    return make_frame(rows, ROLLUP_COLUMNS, _ROLLUP_DTYPES)


def _rank_value(sub: Submission, ind: Indicator, by: str, cat: Catalogue, digits: int | None):
    value = sub.value(ind.code)
    if by == "rate":
        return computed_rate(sub, ind, cat, digits)
    if value is None:
        return None
    if by == "figure":
        return figure(value)
    return value.total if by == "total" else value.done


def rank(subs: Iterable[Submission], code: str, by: str = "rate", ascending: bool = False,
         cat: Catalogue | None = None, *, digits: int | None = DEFAULT_DIGITS) -> pd.DataFrame:
    """Rank the units on one indicator.

    ``by`` is ``rate`` (the computed rate, rounded to ``digits`` as printed, so that units
    showing the same rate share a rank), ``figure``, ``total`` or ``done``.  Highest first
    unless ``ascending``.  Columns (:data:`RANK_COLUMNS`): ``unit_code``, ``value`` (float,
    NaN when missing), ``rank`` (float; ties share the best rank, pandas ``method="min"``;
    NaN for units without a value, which are listed last).  Sorted by rank, then unit code.
    """
    if by not in RANK_BY:
        raise ValueError(f"Không xếp hạng được theo {by!r}; chọn một trong: {', '.join(RANK_BY)}")
    subs = _check(subs)
    cat = cat or default_catalogue()
    ind = cat[code]
    rows = []
    for sub in subs:
        v = _rank_value(sub, ind, by, cat, digits)
        rows.append({"unit_code": sub.unit_code, "value": v if _is_number(v) else None})
    frame = make_frame(rows, ("unit_code", "value"), {"unit_code": str, "value": float})
    frame["rank"] = frame["value"].rank(method="min", ascending=ascending, na_option="keep")
    frame = frame.sort_values(["rank", "unit_code"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)[list(RANK_COLUMNS)]


def missing_units(expected_codes: Iterable[str], subs: Iterable[Submission]) -> list[str]:
    """The expected unit codes that have no submission, in the expected order, each once."""
    reported = {sub.unit_code for sub in subs}
    out: list[str] = []
    for code in expected_codes:
        code = str(code)
        if code not in reported and code not in out:
            out.append(code)
    return out


def unit_matrix(subs: Iterable[Submission], codes: Sequence[str] | None = None,
                cat: Catalogue | None = None, *,
                digits: int | None = DEFAULT_DIGITS) -> pd.DataFrame:
    """Units × indicators of computed rates, for a heatmap.

    Index ``unit_code`` (sorted), one float column per code in ``codes`` (NaN where the unit's
    rate cannot be computed).  ``codes`` defaults to every catalogue row with a rate form that
    at least one unit can compute.  An unknown code raises KeyError.
    """
    subs = sorted(_check(subs), key=lambda s: s.unit_code)
    cat = cat or default_catalogue()
    if codes is None:
        codes = [ind.code for ind in cat.data_rows() if ind.rate != "none"
                 and any(rate_fraction(s, ind, cat) is not None for s in subs)]
    inds = [cat[c] for c in codes]
    index = pd.Index([s.unit_code for s in subs], name="unit_code", dtype=str)
    data = {ind.code: [computed_rate(s, ind, cat, digits) for s in subs] for ind in inds}
    frame = pd.DataFrame(data, index=index, columns=list(codes))
    return frame.astype(float)
