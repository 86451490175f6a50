"""A parent's units across a range of periods: the main rates, who moved, the period rules.

What ``notebooks/province_trends.ipynb`` computes, as pandas frames; pure (the data come from
:class:`cchc_lib.sources.TrendsRef`, the text and charts from :mod:`cchc_lib.trends_report`).

* :func:`parent_rates`: per period and main rate, the parent's rate rolled up from the summed
  fractions of the units that gave both figures (never the mean of their rates), with the
  number of those units;
* :func:`unit_rates`: per unit and period, the unit's own rate and its fraction;
* :func:`movers`: per unit, the rate in the first and the last period and the change in
  percentage points, best improvement first;
* :func:`period_findings`: the findings of the cross-period rules (``period.*``) of every
  unit's submission, checked against the same unit's earlier submissions in the range.

Lineage: for a parent after 1 July 2025 the submissions of the periods before are the new
units' baselines (:mod:`cchc_lib.baseline`, the sums of their predecessors'); the frames mark
them (``baseline`` True) and the checks never judge a sum, only use it as history.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from cchc_lib import periods, rollup
from cchc_lib.baseline import crosses_break
from cchc_lib.calc import make_frame
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.checks import check_periods, run_checks
from cchc_lib.model import Submission
from cchc_lib.rates import DEFAULT_DIGITS, percent, rate_fraction, round_fraction, exact

__all__ = ["TREND_RATES", "NO_PREVIOUS", "PARENT_COLUMNS", "UNIT_COLUMNS",
           "MOVER_COLUMNS", "FINDING_COLUMNS", "parent_rates", "unit_rates", "movers",
           "period_findings", "is_baseline_period"]

#: The rates followed over time, with their short Vietnamese names.
TREND_RATES = {
    "3.4.1": "Hồ sơ đúng hạn",
    "1.1.2": "Nhiệm vụ KH hoàn thành",
    "1.3.2": "Nhiệm vụ giao đúng hạn",
    "S.5.1": "Thu NS so với dự toán",
}
#: The note of a report with nothing before it to compare with.
NO_PREVIOUS = "period.no-previous"

PARENT_COLUMNS = ("period", "code", "units", "rate_num", "rate_den", "rate", "baseline")
UNIT_COLUMNS = ("period", "unit_code", "code", "num", "den", "rate", "baseline")
MOVER_COLUMNS = ("unit_code", "code", "first_period", "first_num", "first_den", "first_rate",
                 "last_period", "last_num", "last_den", "last_rate", "change_pp",
                 "first_baseline")
FINDING_COLUMNS = ("period", "unit_code", "rule", "severity", "message")


def is_baseline_period(period_to: str, period: str) -> bool:
    """Whether, in a range ending at ``period_to``, ``period``'s figures are baselines."""
    return crosses_break(period_to, period)


def _ordered(subs: Mapping[str, Sequence[Submission]]) -> list[str]:
    return sorted(subs, key=periods.sort_key)


def parent_rates(subs: Mapping[str, Sequence[Submission]], codes: Sequence[str] = tuple(TREND_RATES),
                 cat: Catalogue | None = None) -> pd.DataFrame:
    """One row per (period, rate code): ``units`` (how many gave the fraction), ``rate_num``,
    ``rate_den`` (summed over those units), ``rate`` (from the summed fraction, one decimal,
    NaN when none) and ``baseline`` (the period lies before 1 July 2025 and the last after)."""
    cat = cat or default_catalogue()
    keys = _ordered(subs)
    rows = []
    for key in keys:
        frame = rollup.rollup(subs[key], cat).set_index("code") if subs[key] else None
        for code in codes:
            r = frame.loc[code] if frame is not None and code in frame.index else None
            has = r is not None and int(r["rate_units"]) > 0
            rows.append({"period": key, "code": code,
                         "units": int(r["rate_units"]) if has else 0,
                         "rate_num": r["rate_num"] if has else None,
                         "rate_den": r["rate_den"] if has else None,
                         "rate": float(r["rate"]) if has and not pd.isna(r["rate"]) else None,
                         "baseline": is_baseline_period(keys[-1], key)})
    return make_frame(rows, PARENT_COLUMNS, {"period": str, "code": str, "units": int,
                                             "rate": float, "baseline": bool})


def unit_rates(subs: Mapping[str, Sequence[Submission]], codes: Sequence[str] = tuple(TREND_RATES),
               cat: Catalogue | None = None) -> pd.DataFrame:
    """One row per (period, unit, rate code) the unit can compute: its fraction and rate."""
    cat = cat or default_catalogue()
    keys = _ordered(subs)
    rows = []
    for key in keys:
        for sub in sorted(subs[key], key=lambda s: s.unit_code):
            for code in codes:
                frac = rate_fraction(sub, code, cat)
                if frac is None:
                    continue
                rows.append({"period": key, "unit_code": sub.unit_code, "code": code,
                             "num": frac[0], "den": frac[1],
                             "rate": percent(frac[0], frac[1], DEFAULT_DIGITS),
                             "baseline": is_baseline_period(keys[-1], key)})
    return make_frame(rows, UNIT_COLUMNS, {"period": str, "unit_code": str, "code": str,
                                           "rate": float, "baseline": bool})


def movers(subs: Mapping[str, Sequence[Submission]], code: str = "3.4.1",
           cat: Catalogue | None = None) -> pd.DataFrame:
    """Each unit's rate in the range's first and last period and the change (percentage
    points between the two printed rates), largest improvement first.  Units without the
    rate in both periods are left out (the caller counts them)."""
    keys = _ordered(subs)
    rows = []
    if len(keys) >= 2:
        frame = unit_rates({k: subs[k] for k in (keys[0], keys[-1])}, (code,), cat)
        first = frame[frame["period"] == keys[0]].set_index("unit_code")
        last = frame[frame["period"] == keys[-1]].set_index("unit_code")
        for unit in sorted(set(first.index) & set(last.index)):
            a, b = first.loc[unit], last.loc[unit]
            change = round_fraction(exact(float(b["rate"])) - exact(float(a["rate"])),
                                    DEFAULT_DIGITS)
            rows.append({"unit_code": unit, "code": code,
                         "first_period": keys[0], "first_num": a["num"], "first_den": a["den"],
                         "first_rate": float(a["rate"]), "last_period": keys[-1],
                         "last_num": b["num"], "last_den": b["den"],
                         "last_rate": float(b["rate"]), "change_pp": change,
                         "first_baseline": bool(a["baseline"])})
    out = make_frame(rows, MOVER_COLUMNS, {"unit_code": str, "code": str, "first_rate": float,
                                           "last_rate": float, "change_pp": float,
                                           "first_baseline": bool})
    return out.sort_values(["change_pp", "unit_code"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def _previous_in_range(period: str, first: str) -> bool:
    """Whether a report preceding ``period``'s window lies in a range starting at ``first``."""
    start = periods.sort_key(first)
    return any(periods.sort_key(q) >= start for q in periods.preceding_windows(period))


def period_findings(subs: Mapping[str, Sequence[Submission]], cat: Catalogue | None = None,
                    *, own: Mapping[str, bool] | None = None) -> pd.DataFrame:
    """The findings of the checks across periods (:func:`cchc_lib.checks.check_periods`) of
    every unit in every period: each submission against the same unit's earlier submissions
    in the range (history) and the other units' of its period (peers).

    ``own`` maps a period key to False when its submissions are baselines (sums of
    predecessors): those are history for the later periods, never judged themselves.
    By default every period before 1 July 2025 is a baseline when the range ends after it.
    A report whose preceding window (:func:`cchc_lib.periods.preceding_windows`) lies before
    the range has nothing in it to compare with: its ``period.no-previous`` note says nothing
    about the data and is left out.  ``cat`` defaults to the catalogue version in force for
    each period.
    """
    keys = _ordered(subs)
    own = own or {k: not is_baseline_period(keys[-1], k) for k in keys}
    by_unit: dict[str, list[Submission]] = {}
    for key in keys:
        for sub in subs[key]:
            by_unit.setdefault(sub.unit_code, []).append(sub)
    rows = []
    for unit, chain in sorted(by_unit.items()):
        for n, sub in enumerate(chain):
            if not own.get(sub.period, True):
                continue
            for f in run_checks(sub, cat, (check_periods,), history=tuple(chain[:n]),
                                peers=tuple(subs[sub.period])):
                if f.rule == NO_PREVIOUS and not _previous_in_range(sub.period, keys[0]):
                    continue
                rows.append({"period": sub.period, "unit_code": unit, "rule": f.rule,
                             "severity": f.severity, "message": f.message})
    frame = make_frame(rows, FINDING_COLUMNS, {c: str for c in FINDING_COLUMNS})
    order = {k: i for i, k in enumerate(keys)}
    return frame.sort_values(["period", "unit_code", "rule"], key=lambda c: c.map(order)
                             if c.name == "period" else c, kind="stable").reset_index(drop=True)
