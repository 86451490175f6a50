"""Calculations on one submission: rates from their fractions, the narrative's figures, comparisons.

Rates are computed, never typed: every rate here comes from the fraction the catalogue defines for
the row (:func:`rate_fraction`) and is rounded half up (:func:`cchc_lib.formatting.round_half_up`
semantics, on the exact fraction) to the precision the report prints.  The typed rate is kept
beside it, so that a reader (or a check) can see where the two disagree; nothing is overwritten.

A row's *figure* is its done column ("Số liệu đã thực hiện") when given, else its total ("Số liệu
tổng").  Two rate forms exist (``Indicator.rate``):

* ``row``   — done / total of the same row;
* ``ratio`` — this row's figure / the total of the ``rate_of`` row (its figure when it has no
  total).

All functions are pure: no file I/O.  :func:`comparisons` is given an open store and only reads
from it.  Missing optional data never raises: the answer is ``None`` (or an empty frame).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import PeriodError
from cchc_lib.model import Period, Submission
from cchc_lib.periods import parse_period, previous, same_period_last_year
from cchc_lib.errors import StoreError
from cchc_lib.rates import (DEFAULT_DIGITS, Number, computed_rate, figure, percent,
                            printed_decimals, rate_fraction, rate_matches)
from cchc_lib.rates import exact as _exact
from cchc_lib.rates import is_number as _is_number
from cchc_lib.rates import plain_number as _plain
from cchc_lib.rates import rate_differs as _rate_differs
from cchc_lib.rates import round_fraction as _round_fraction

__all__ = [
    "DEFAULT_DIGITS",
    "RATES_COLUMNS",
    "COMPARE_COLUMNS",
    "MAIN_DOCUMENT_TYPES",
    "figure",
    "printed_decimals",
    "rate_fraction",
    "computed_rate",
    "percent",
    "rate_matches",
    "rates_table",
    "FieldDossiers",
    "Dossiers",
    "dossiers",
    "BudgetLine",
    "Budget",
    "year_share",
    "budget",
    "StaffLine",
    "staff",
    "DocumentCounts",
    "normalise_type_word",
    "documents_by_type",
    "PlanTasks",
    "plan_tasks",
    "compare",
    "comparisons",
    "make_frame",
]


#: Columns of :func:`rates_table`, in order.
RATES_COLUMNS = (
    "code", "printed", "title", "unit", "kind", "total", "done", "typed_rate", "computed_rate",
    "numerator", "denominator", "rate_differs",
)

#: Columns of :func:`compare`, in order.
COMPARE_COLUMNS = (
    "code", "title", "current", "previous", "difference", "current_rate", "previous_rate",
    "change_pp",
)

#: The document types the narrative counts one by one (the order of catalogue rows S.1.1–S.1.4).
MAIN_DOCUMENT_TYPES = ("Công văn", "Báo cáo", "Kế hoạch", "Quyết định")
_TYPE_ROWS = {"S.1.1": "Công văn", "S.1.2": "Báo cáo", "S.1.3": "Kế hoạch", "S.1.4": "Quyết định"}



# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

def make_frame(rows: list[dict], columns: tuple[str, ...] | list[str],
               dtypes: Mapping[str, type] | None = None) -> pd.DataFrame:
    """A frame of ``rows`` with the given columns and dtypes (also when there are no rows).

    ``dtypes`` maps a column to ``float`` (``None`` becomes NaN), ``bool``, ``int`` or ``str``
    (pandas' string dtype).  Every other column is ``object`` dtype, so that numbers keep
    their Python type as typed (a count stays ``72``, not ``72.0``) and blanks stay ``None``.
    """
    dtypes = dtypes or {}
    data = {}
    for col in columns:
        values = [row.get(col) for row in rows]
        kind = dtypes.get(col, object)
        if kind is float:
            values = [float("nan") if v is None else float(v) for v in values]
        data[col] = pd.Series(values, dtype=kind)
    return pd.DataFrame(data, columns=list(columns))


# ---------------------------------------------------------------------------
# Rates of one row
# ---------------------------------------------------------------------------

_RATES_DTYPES = {"code": str, "printed": str, "title": str, "unit": str, "kind": str,
                 "computed_rate": float, "rate_differs": bool}


def rates_table(sub: Submission, cat: Catalogue | None = None) -> pd.DataFrame:
    """One row per catalogue data row that has a (non-empty) value, in catalogue order.

    Columns (:data:`RATES_COLUMNS`): ``code``, ``printed``, ``title``, ``unit``, ``kind``,
    ``total``, ``done``, ``typed_rate`` (the numbers as typed, ``None`` when blank; object
    dtype so that counts stay ints), ``computed_rate`` (float, one decimal, NaN when not
    computable), ``numerator``, ``denominator`` (the fraction, ``None`` when not computable),
    ``rate_differs`` (bool: a typed rate is given, the fraction is computable and they disagree
    at the typed rate's precision).
    """
    cat = cat or default_catalogue()
    rows = []
    for ind in cat.data_rows():
        value = sub.value(ind.code)
        if value is None or value.is_empty:
            continue
        frac = rate_fraction(sub, ind, cat)
        rate = None if frac is None else percent(frac[0], frac[1], DEFAULT_DIGITS)
        rows.append({
            "code": ind.code, "printed": ind.printed, "title": ind.title, "unit": ind.unit,
            "kind": ind.kind, "total": value.total, "done": value.done, "typed_rate": value.rate,
            "computed_rate": rate,
            "numerator": None if frac is None else frac[0],
            "denominator": None if frac is None else frac[1],
            "rate_differs": _rate_differs(value, frac),
        })
    return make_frame(rows, RATES_COLUMNS, _RATES_DTYPES)


# ---------------------------------------------------------------------------
# Narrative figures
# ---------------------------------------------------------------------------

def _typed_rate(sub: Submission, code: str) -> Number | None:
    value = sub.value(code)
    return None if value is None else value.rate


def _total(sub: Submission, code: str) -> Number | None:
    value = sub.value(code)
    return None if value is None else value.total


def _fig(sub: Submission, code: str) -> Number | None:
    return figure(sub.value(code))


def _title(cat: Catalogue, code: str) -> str:
    return cat[code].title if code in cat else code


@dataclass(frozen=True)
class FieldDossiers:
    """Dossiers resolved in one field (rows 3.4.1 all, 3.4.2 land, 3.4.3 construction)."""

    code: str
    label: str  # short Vietnamese label: "Chung", "Đất đai", "Xây dựng"
    title: str
    total: Number | None  # dossiers counted (Số liệu tổng)
    on_time: Number | None  # resolved on time (Số liệu đã thực hiện)
    rate: float | None  # computed, one decimal
    typed_rate: Number | None

    @property
    def reported(self) -> bool:
        return any(x is not None for x in (self.total, self.on_time, self.typed_rate))


@dataclass(frozen=True)
class Dossiers:
    """The dossier figures the narrative quotes (catalogue rows S.3.x and 3.4.x).

    ``on_time_rate`` / ``late_rate`` are computed from the counts when they are known (on time
    or late over resolved; over on time + late when resolved is not given, the parts of S.3.4
    adding up to it) and otherwise fall back to the typed rates; the ``*_from_counts`` flags
    say which.  The typed rates are kept beside them.
    """

    carried_over: Number | None  # S.3.2
    received_new: Number | None  # S.3.3
    received_total: Number | None  # S.3.1 as typed
    received_computed: Number | None  # S.3.2 + S.3.3 when both are given
    resolved: Number | None  # S.3.4
    on_time: Number | None  # S.3.5 figure
    late: Number | None  # S.3.6 figure
    on_time_rate: float | None
    late_rate: float | None
    on_time_rate_typed: Number | None
    late_rate_typed: Number | None
    on_time_rate_from_counts: bool
    late_rate_from_counts: bool
    by_field: tuple[FieldDossiers, ...]


_FIELD_LABELS = {"3.4.1": "Chung", "3.4.2": "Đất đai", "3.4.3": "Xây dựng"}


def dossiers(sub: Submission, cat: Catalogue | None = None, *,
             digits: int = DEFAULT_DIGITS) -> Dossiers:
    """Dossiers carried over, received, resolved, on time and late, with their rates."""
    cat = cat or default_catalogue()
    carried, new = _fig(sub, "S.3.2"), _fig(sub, "S.3.3")
    received = _fig(sub, "S.3.1")
    received_computed = carried + new if _is_number(carried) and _is_number(new) else None
    resolved = _fig(sub, "S.3.4")
    on_time, late = _fig(sub, "S.3.5"), _fig(sub, "S.3.6")
    typed_on, typed_late = _typed_rate(sub, "S.3.5"), _typed_rate(sub, "S.3.6")

    den = resolved
    if not (_is_number(den) and den != 0) and _is_number(on_time) and _is_number(late):
        den = on_time + late  # S.3.4's parts add up to it (parts_sum: eq)
    on_rate = percent(on_time, den, digits) if _is_number(on_time) and _is_number(den) else None
    late_rate = percent(late, den, digits) if _is_number(late) and _is_number(den) else None
    on_from_counts, late_from_counts = on_rate is not None, late_rate is not None
    if on_rate is None and _is_number(typed_on):
        on_rate = float(typed_on)
    if late_rate is None and _is_number(typed_late):
        late_rate = float(typed_late)

    by_field = []
    for code, label in _FIELD_LABELS.items():
        value = sub.value(code)
        by_field.append(FieldDossiers(
            code=code, label=label, title=_title(cat, code),
            total=None if value is None else value.total,
            on_time=None if value is None else value.done,
            rate=computed_rate(sub, code, cat, digits) if code in cat else None,
            typed_rate=None if value is None else value.rate,
        ))
    return Dossiers(
        carried_over=carried, received_new=new, received_total=received,
        received_computed=received_computed, resolved=resolved, on_time=on_time, late=late,
        on_time_rate=on_rate, late_rate=late_rate, on_time_rate_typed=typed_on,
        late_rate_typed=typed_late, on_time_rate_from_counts=on_from_counts,
        late_rate_from_counts=late_from_counts, by_field=tuple(by_field),
    )


@dataclass(frozen=True)
class BudgetLine:
    """One budget line (S.5.1 revenue, S.5.2 revenue the commune collects, S.5.3 spending).

    ``execution_rate`` is done / estimate (one decimal) when the estimate is known, else the
    typed rate; ``implied_estimate`` is done / (typed / 100) when only the typed rate is known
    (the estimate the typed rate implies, unrounded).
    """

    code: str
    title: str
    estimate: Number | None  # dự toán (Số liệu tổng)
    done: Number | None  # số thực hiện
    as_of: str | None  # the printed date the figure is counted up to
    execution_rate: float | None
    typed_rate: Number | None
    implied_estimate: float | None
    rate_from_estimate: bool

    @property
    def reported(self) -> bool:
        return any(x is not None for x in (self.estimate, self.done, self.typed_rate))


@dataclass(frozen=True)
class Budget:
    """Budget revenue and spending against the estimate, and how much of the year has passed."""

    period: str
    year_share: float  # share of the year elapsed at the period's end, in percent
    revenue: BudgetLine  # S.5.1
    own_revenue: BudgetLine  # S.5.2
    spending: BudgetLine  # S.5.3

    @property
    def lines(self) -> tuple[BudgetLine, ...]:
        return (self.revenue, self.own_revenue, self.spending)


def year_share(period: Period | str) -> float:
    """Share of the year elapsed at the period's end, in percent, by whole months.

    Q1 → 25.0, H1 and Q2 → 50.0, 9M and Q3 → 75.0, Q4 and the year → 100.0.
    """
    return 100.0 * parse_period(period).last_day.month / 12


def _budget_line(sub: Submission, code: str, cat: Catalogue, digits: int) -> BudgetLine:
    value = sub.value(code)
    estimate = None if value is None else value.total
    done = None if value is None else value.done
    typed = None if value is None else value.rate
    rate = percent(done, estimate, digits) if _is_number(done) and _is_number(estimate) else None
    from_estimate = rate is not None
    if rate is None and _is_number(typed):
        rate = float(typed)
    implied = None
    if not _is_number(estimate) and _is_number(done) and _is_number(typed) and typed != 0:
        implied = float(_exact(done) * 100 / _exact(typed))
    return BudgetLine(code=code, title=_title(cat, code), estimate=estimate, done=done,
                      as_of=None if value is None else value.as_of, execution_rate=rate,
                      typed_rate=typed, implied_estimate=implied,
                      rate_from_estimate=from_estimate)


def budget(sub: Submission, period: Period | str | None = None, cat: Catalogue | None = None,
           *, digits: int = DEFAULT_DIGITS) -> Budget:
    """Revenue and spending lines (S.5.1–S.5.3) and the year's elapsed share.

    ``period`` defaults to the submission's own period.
    """
    cat = cat or default_catalogue()
    p = parse_period(sub.period if period is None else period)
    return Budget(period=p.key, year_share=year_share(p),
                  revenue=_budget_line(sub, "S.5.1", cat, digits),
                  own_revenue=_budget_line(sub, "S.5.2", cat, digits),
                  spending=_budget_line(sub, "S.5.3", cat, digits))


@dataclass(frozen=True)
class StaffLine:
    """Staff meeting one qualification (a row S.6.x): ``count`` of ``of``, and the share."""

    code: str
    label: str
    count: Number | None  # done
    of: Number | None  # total
    share: float | None  # computed, one decimal
    typed_share: Number | None

    @property
    def reported(self) -> bool:
        return any(x is not None for x in (self.count, self.of, self.typed_share))


def staff(sub: Submission, cat: Catalogue | None = None, *,
          digits: int = DEFAULT_DIGITS) -> tuple[StaffLine, ...]:
    """Every S.6.x row in catalogue order (fields ``None`` when not reported)."""
    cat = cat or default_catalogue()
    lines = []
    for ind in cat.data_rows():
        if ind.parent != "S.6":
            continue
        value = sub.value(ind.code)
        lines.append(StaffLine(
            code=ind.code, label=ind.title,
            count=None if value is None else value.done,
            of=None if value is None else value.total,
            share=computed_rate(sub, ind, cat, digits),
            typed_share=None if value is None else value.rate,
        ))
    return tuple(lines)


@dataclass(frozen=True)
class DocumentCounts:
    """Documents the unit itself issued, counted from the register by type word.

    ``by_type`` always holds the four main types (:data:`MAIN_DOCUMENT_TYPES`, 0 when none)
    followed by any other type word met (normalised, first letter upper case).  ``typed_total``
    and ``typed_by_type`` are the figures the reporter typed (S.1, S.1.1–S.1.4).
    """

    by_type: Mapping[str, int]
    total: int
    typed_total: Number | None
    typed_by_type: Mapping[str, Number | None]

    @property
    def others(self) -> int:
        """Documents of types other than the four main ones."""
        return sum(n for t, n in self.by_type.items() if t not in MAIN_DOCUMENT_TYPES)


def normalise_type_word(word: str) -> str:
    """``"kế  hoạch "`` → ``"Kế hoạch"``: NFC, spaces collapsed, sentence case."""
    text = " ".join(unicodedata.normalize("NFC", word or "").split()).casefold()
    return text[:1].upper() + text[1:]


def documents_by_type(sub: Submission) -> DocumentCounts:
    """Count the register's documents with ``issued_by_unit`` by normalised type word."""
    counts: dict[str, int] = {t: 0 for t in MAIN_DOCUMENT_TYPES}
    for doc in sub.documents:
        if not doc.issued_by_unit:
            continue
        word = normalise_type_word(doc.type_word) or "Không rõ loại"
        counts[word] = counts.get(word, 0) + 1
    return DocumentCounts(
        by_type=counts, total=sum(counts.values()), typed_total=_fig(sub, "S.1"),
        typed_by_type={word: _fig(sub, code) for code, word in _TYPE_ROWS.items()},
    )


@dataclass(frozen=True)
class PlanTasks:
    """Tasks of the CCHC plan: set (1.1.1), done (1.1.2) and the computed rate."""

    set: Number | None
    done: Number | None
    rate: float | None  # computed, one decimal
    typed_rate: Number | None  # as typed on 1.1.2


def plan_tasks(sub: Submission, cat: Catalogue | None = None, *,
               digits: int = DEFAULT_DIGITS) -> PlanTasks:
    """Tasks set in the plan, tasks done and the rate done / set.

    The tasks set are 1.1.1's total (its figure when no total is given: the denominator the
    catalogue gives 1.1.2's rate); the tasks done are 1.1.2's figure, else 1.1.1's done column.
    """
    cat = cat or default_catalogue()
    plan = sub.value("1.1.1")
    tasks_set = None if plan is None else (plan.total if plan.total is not None else plan.done)
    done = _fig(sub, "1.1.2")
    if done is None and plan is not None:
        done = plan.done
    rate = percent(done, tasks_set, digits) if _is_number(done) and _is_number(tasks_set) else None
    return PlanTasks(set=tasks_set, done=done, rate=rate, typed_rate=_typed_rate(sub, "1.1.2"))


# ---------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------

_COMPARE_DTYPES = {"code": str, "title": str, "current_rate": float, "previous_rate": float,
                   "change_pp": float}


def _empty_compare() -> pd.DataFrame:
    return make_frame([], COMPARE_COLUMNS, _COMPARE_DTYPES)


def compare(current: Submission, previous: Submission | None,
            cat: Catalogue | None = None) -> pd.DataFrame:
    """Row by row, the current figures and rates against an earlier submission's.

    One row per catalogue data row with a value in either submission, in catalogue order.
    Columns (:data:`COMPARE_COLUMNS`): ``code``, ``title``, ``current`` and ``previous``
    (figures, ``None`` when absent), ``difference`` (current − previous when both are given;
    ``None`` for coded rows, whose codes do not subtract), ``current_rate`` and
    ``previous_rate`` (computed, one decimal, NaN when not computable) and ``change_pp`` (the
    change in percentage points between the two printed rates).  ``previous`` None gives an
    empty frame with the same columns.
    """
    if previous is None:
        return _empty_compare()
    cat = cat or default_catalogue()
    rows = []
    for ind in cat.data_rows():
        cur_v, prev_v = current.value(ind.code), previous.value(ind.code)
        if (cur_v is None or cur_v.is_empty) and (prev_v is None or prev_v.is_empty):
            continue
        cur, prev = figure(cur_v), figure(prev_v)
        diff = None
        if ind.kind != "enum" and _is_number(cur) and _is_number(prev):
            diff = _plain(float(_exact(cur) - _exact(prev)))
        cur_rate = computed_rate(current, ind, cat, DEFAULT_DIGITS)
        prev_rate = computed_rate(previous, ind, cat, DEFAULT_DIGITS)
        change = None
        if cur_rate is not None and prev_rate is not None:
            change = _round_fraction(_exact(cur_rate) - _exact(prev_rate), DEFAULT_DIGITS)
        rows.append({
            "code": ind.code, "title": ind.title, "current": cur, "previous": prev,
            "difference": diff,
            "current_rate": cur_rate, "previous_rate": prev_rate, "change_pp": change,
        })
    return make_frame(rows, COMPARE_COLUMNS, _COMPARE_DTYPES)


def _load_or_none(store: Any, unit_code: str, period: Period) -> Submission | None:
    try:
        return store.load(unit_code, period.key)
    except StoreError:
        return None


def _earlier(store: Any, sub: Submission, period: Period,
             cat: Catalogue | None) -> tuple[Submission | None, str]:
    """The submission to compare with, and a note on it (``""`` for the unit's own).

    Across 1 July 2025 the unit's code meant another unit before (codes repeat across eras):
    the comparison is with the sum of its predecessors (:mod:`cchc_lib.baseline`), or nothing
    when that sum is not comparable.
    """
    from cchc_lib import lineage
    from cchc_lib.baseline import build_baseline, crosses_break

    if not crosses_break(sub.period, period.key):
        return _load_or_none(store, sub.unit_code, period), ""
    olds = {link.old: got for link in lineage.predecessors(sub.unit_code)
            if (got := _load_or_none(store, link.old, period)) is not None}
    base = build_baseline(sub.unit_code, period.key, olds, cat=cat)
    return base.sub, base.note


def comparisons(store: Any, sub: Submission,
                cat: Catalogue | None = None) -> dict[str, pd.DataFrame | None]:
    """Compare a submission with the previous period and the same period last year.

    Returns ``{"previous_period": frame | None, "same_period_last_year": frame | None}``
    (frames of :func:`compare`); ``None`` when the store holds no submission of the unit for
    that period, or the period would fall outside the supported years.  For 6-month, 9-month
    and yearly reports both are the same period one year earlier.

    For a unit made on 1 July 2025 and a period before it, the earlier figures are the sums of
    its predecessors' (``None`` when one of them is missing or was split without a share);
    the frame's ``attrs["note"]`` then says so (``cộng số liệu của xã A, xã B``).
    """
    out: dict[str, pd.DataFrame | None] = {}
    for key, step in (("previous_period", previous),
                      ("same_period_last_year", same_period_last_year)):
        try:
            other_period = step(sub.period)
        except PeriodError:
            out[key] = None
            continue
        other, note = _earlier(store, sub, other_period, cat)
        out[key] = None if other is None else compare(sub, other, cat)
        if out[key] is not None and note:
            out[key].attrs["note"] = note
    return out
