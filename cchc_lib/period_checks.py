"""Checks across periods (the ``period.*`` rules): a report against the unit's earlier reports
and against the other units' reports of the same period.

What each row's figures do from one period to the next is data: the catalogue's ``time``,
``stock_flows`` and ``carried_from`` (see ``data/catalogue.yaml``).  From them:

* a stock follows from its flows: procedures in force = the last period's + new − abolished;
* dossiers carried over = the last period's received − resolved;
* a cumulative figure never falls within a year; a flow counted over a window that lies inside
  another window of the same year is never larger (the 6-month, 9-month and yearly windows start
  on 15/12, so their flows are year-to-date);
* a yearly figure (plan, staff quota, budget estimate) is the same in every report of the year;
* a report whose figures, or whose text, are those of an earlier report is noticed;
* a figure far from the unit's own usual level, or from its peers', is worth a look.

"The last period" is the report whose cut-off window ends the day before this one's starts
(:func:`cchc_lib.periods.preceding_windows`).  Each function is pure: it takes the submission,
its catalogue and the other submissions, and returns :class:`Flag`\\ s that
:mod:`cchc_lib.checks` turns into findings with the rules' messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Iterable, Iterator, Mapping

from cchc_lib import periods
from cchc_lib.catalogue import Catalogue
from cchc_lib.errors import PeriodError
from cchc_lib.formatting import fmt_date_short, fmt_number, round_half_up
from cchc_lib.model import Period, Submission

__all__ = ["Flag", "flags", "earlier", "last_period"]

# Outliers: conservative, so that consistent figures stay silent.
MIN_HISTORY = 4  # earlier reports of the unit needed to speak of its usual level
MIN_PEERS = 5  # other units of the period needed to speak of theirs
MIN_RATIO = 5.0  # the figure is at least this many times larger (or smaller) than usual
MIN_ROBUST_Z = 5.0  # and this many robust standard deviations (1.4826 × MAD) away
MIN_GAP = 30  # and this far from usual, counted over the report's own window
MIN_COPIED = 5  # figures needed before two reports' figures are called copies


@dataclass(frozen=True)
class Flag:
    """One rule's finding before its message is written: the rule id, the row (``code``) and
    column it is about, where the clerk fixes it, the message's parameters (the checks add
    ``indicator`` and ``column``), what was found and what was expected."""

    rule: str
    code: str | None = None
    column: str | None = None
    at: str | None = None
    place: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    found: object = None
    expected: object = None


def _period(key: str) -> Period | None:
    try:
        return periods.parse_period(key)
    except PeriodError:
        return None


def earlier(sub: Submission, history: Iterable[Submission]) -> list[tuple[Period, Submission]]:
    """The reports of ``history`` whose period comes before ``sub``'s, oldest first, one per
    period (the last given wins)."""
    own = _period(sub.period)
    if own is None:
        return []
    by_key: dict[str, tuple[Period, Submission]] = {}
    for h in history:
        p = _period(h.period)
        if p is not None and periods.sort_key(p) < periods.sort_key(own):
            by_key[p.key] = (p, h)
    return sorted(by_key.values(), key=lambda x: periods.sort_key(x[0]))


def last_period(p: Period, before: list[tuple[Period, Submission]]
                ) -> tuple[Period, Submission] | None:
    """The report whose window ends the day before ``p``'s starts, if ``before`` holds one."""
    found = {q.key: (q, s) for q, s in before}
    return next((found[q.key] for q in periods.preceding_windows(p) if q.key in found), None)


def _num(sub: Submission, code: str, column: str = "total"):
    value = sub.value(code)
    return None if value is None else getattr(value, column)


def _n(x) -> str:
    return fmt_number(x)


def _at(code: str, column: str = "total") -> str:
    return f"indicator:{code}:{column}"


def _labelled(cat: Catalogue, code: str) -> str:
    return f"{code} {cat[code].title}"


def _timed(cat: Catalogue, kind: str) -> Iterator[tuple[str, str]]:
    """(code, column) of every row column whose time behaviour is ``kind``."""
    for code, timing in cat.timing.items():
        for column, time in timing.columns.items():
            if time == kind:
                yield code, column


# ------------------------------------------------------------------------------- opening stocks

def opening_stocks(sub: Submission, cat: Catalogue, p: Period,
                   before: list[tuple[Period, Submission]]) -> Iterator[Flag]:
    """Stocks against the last period's stock and this period's flows; dossiers carried over
    against the last period's; one note naming what could not be compared, and why."""
    last = last_period(p, before)
    missing: dict[str, list[str]] = {}  # why -> what
    for code, timing in cat.timing.items():
        links = (timing.inflow, timing.outflow) if timing.inflow else timing.carried_from
        value = _num(sub, code)
        if not links or value is None:
            continue
        what = code
        if last is None:
            wanted = " hoặc ".join(f"báo cáo {periods.label(q)}"
                                   for q in periods.preceding_windows(p))
            missing.setdefault(f"chưa có {wanted or 'báo cáo kỳ liền trước'}", []).append(what)
            continue
        q, prev = last
        if timing.inflow:
            before_value = _num(prev, code)
            flows = [_num(sub, c) for c in links]
            if before_value is None:
                missing.setdefault(f"báo cáo {periods.label(q)} không ghi {code}", []).append(what)
                continue
            if None in flows:
                gaps = ", ".join(c for c, x in zip(links, flows) if x is None)
                missing.setdefault(f"báo cáo này không ghi {gaps}", []).append(what)
                continue
            expected = before_value + flows[0] - flows[1]
            if value != expected:
                yield Flag("period.stock-flow", code, "total", _at(code), params={
                    "value": _n(value), "previous_label": periods.label(q),
                    "before": _n(before_value), "inflow": _n(flows[0]),
                    "in_label": _labelled(cat, links[0]), "outflow": _n(flows[1]),
                    "out_label": _labelled(cat, links[1]), "computed": _n(expected)},
                    found=value, expected=expected)
        else:
            received, resolved = (_num(prev, c) for c in links)
            if received is None or resolved is None:
                gaps = ", ".join(c for c, x in zip(links, (received, resolved)) if x is None)
                missing.setdefault(f"báo cáo {periods.label(q)} không ghi {gaps}", []).append(what)
                continue
            expected = received - resolved
            if value != expected:
                yield Flag("period.carry-over", code, "total", _at(code), params={
                    "value": _n(value), "previous_label": periods.label(q),
                    "received": _n(received), "received_label": _labelled(cat, links[0]),
                    "resolved": _n(resolved), "resolved_label": _labelled(cat, links[1]),
                    "computed": _n(expected)},
                    found=value, expected=expected)
    if missing:
        what = "; ".join(f"chỉ tiêu {', '.join(whats)} ({why})" for why, whats in missing.items())
        yield Flag("period.no-previous", place="Đối chiếu với kỳ liền trước",
                   params={"what": what, "period_label": periods.label(p)})


# ------------------------------------------------------------------------------- within a year

def _largest(before: list[tuple[Period, Submission]], code: str, column: str
             ) -> tuple[Period, float] | None:
    """The largest figure among ``before`` (the latest period among equals)."""
    found = [(q, x) for q, s in before if (x := _num(s, code, column)) is not None]
    return max(found, key=lambda qx: (qx[1], periods.sort_key(qx[0])), default=None)


def within_year(sub: Submission, cat: Catalogue, p: Period,
                before: list[tuple[Period, Submission]]) -> Iterator[Flag]:
    """Cumulative figures that fell, flows larger in a window inside this one, yearly figures
    that changed: against the same year's earlier reports."""
    same_year = [(q, s) for q, s in before if q.year == p.year]
    end = periods.cutoff_window(p)[1]
    sooner = [(q, s) for q, s in same_year if periods.cutoff_window(q)[1] < end]
    inside = [(q, s) for q, s in same_year if periods.window_within(q, p)]
    for code, column in _timed(cat, "cumulative"):
        value, top = _num(sub, code, column), _largest(sooner, code, column)
        if value is not None and top is not None and value < top[1]:
            yield Flag("period.cumulative-fell", code, column, _at(code, column), params={
                "value": _n(value), "period_label": periods.label(p), "before": _n(top[1]),
                "earlier_label": periods.label(top[0])}, found=value, expected=top[1])
    for code, column in _timed(cat, "flow"):
        value, top = _num(sub, code, column), _largest(inside, code, column)
        if value is not None and top is not None and value < top[1]:
            (a0, a1), (b0, b1) = periods.cutoff_window(top[0]), periods.cutoff_window(p)
            yield Flag("period.window-nesting", code, column, _at(code, column), params={
                "value": _n(value), "period_label": periods.label(p),
                "inner_value": _n(top[1]), "inner_label": periods.label(top[0]),
                "inner_window": f"{fmt_date_short(a0)} – {fmt_date_short(a1)}",
                "window": f"{fmt_date_short(b0)} – {fmt_date_short(b1)}"},
                found=value, expected=top[1])
    for code, column in _timed(cat, "yearly"):
        value = _num(sub, code, column)
        given = [(q, x) for q, s in same_year if (x := _num(s, code, column)) is not None]
        if value is not None and given and value != given[-1][1]:
            q, x = given[-1]
            yield Flag("period.yearly-changed", code, column, _at(code, column), params={
                "value": _n(value), "period_label": periods.label(p), "before": _n(x),
                "earlier_label": periods.label(q)}, found=value, expected=x)


# ------------------------------------------------------------------------------- copies

def _figures(sub: Submission) -> dict[str, tuple]:
    return {c: (v.total, v.done, v.rate) for c, v in sub.values.items() if not v.is_empty}


def _text(sub: Submission) -> dict[str, tuple[str, ...]]:
    return {k: tuple(paras) for k, paras in sub.sections.items() if any(t.strip() for t in paras)}


def copies(sub: Submission, p: Period, before: list[tuple[Period, Submission]]) -> Iterator[Flag]:
    """Figures, or free text, identical to the latest earlier report's or to the same kind of
    report's last time (a note each, naming the first report it matches)."""
    try:
        same_kind = periods.previous(p).key
    except PeriodError:
        same_kind = None
    candidates = [x for x in before[-1:]] + [x for x in before if x[0].key == same_kind]
    figures, text = _figures(sub), _text(sub)
    for q, other in dict((q.key, (q, s)) for q, s in candidates).values():
        if len(figures) >= MIN_COPIED and figures == _figures(other):
            yield Flag("period.copied-figures", place="Số liệu", params={
                "period_label": periods.label(p), "earlier_label": periods.label(q),
                "count": len(figures)}, found=len(figures))
            break
    for q, other in dict((q.key, (q, s)) for q, s in candidates).values():
        if text and text == _text(other):
            yield Flag("period.copied-text", at=f"section:{next(iter(text))}", place="Lời văn",
                       params={"period_label": periods.label(p),
                               "earlier_label": periods.label(q),
                               "sections": ", ".join(text)}, found=len(text))
            break


# ------------------------------------------------------------------------------- outliers

def _far(x: float, refs: list[float], gap_scale: float) -> float | None:
    """The median of ``refs`` when ``x`` lies far from it, else None.

    Far means all three: at least :data:`MIN_RATIO` times larger or smaller, more than
    :data:`MIN_ROBUST_Z` robust standard deviations away, and at least :data:`MIN_GAP` away
    once counted over the report's window (``gap_scale`` months for a flow, else 1).
    """
    m = median(refs)
    spread = 1.4826 * median(abs(v - m) for v in refs)
    ratio = max(x, m) / max(min(x, m), 1e-9) if max(x, m) > 0 else 1.0
    if ratio < MIN_RATIO or abs(x - m) * gap_scale < MIN_GAP:
        return None
    if spread > 0 and abs(x - m) / spread <= MIN_ROBUST_Z:
        return None
    return m


def _outlier_rows(cat: Catalogue) -> Iterator[tuple[str, bool]]:
    """(code, is a flow) of the count rows whose total is a stock or a flow, except the ones
    that may well swing by a factor of five on their own: a share of another row (dossiers late,
    land dossiers: ``rate: ratio`` or a part of a ``parts_sum: le`` whole, which the checks
    within the report hold to its whole) and a remainder carried over (``carried_from``)."""
    for code, timing in cat.timing.items():
        time = timing.columns.get("total")
        ind = cat[code]
        share = ind.rate == "ratio" or (ind.part_of is not None
                                        and cat[ind.part_of].parts_sum == "le")
        if ind.kind == "count" and time in ("stock", "flow") and not share \
                and timing.carried_from is None:
            yield code, time == "flow"


def outliers(sub: Submission, cat: Catalogue, p: Period, before: list[tuple[Period, Submission]],
             peers: list[Submission]) -> Iterator[Flag]:
    """Totals far from the unit's own usual level (flows per month of window) and from the
    other units' of the same period."""
    months = periods.window_months(p)
    for code, is_flow in _outlier_rows(cat):
        x = _num(sub, code)
        if x is None:
            continue
        own = [(q, v / periods.window_months(q) if is_flow else v) for q, s in before
               if (v := _num(s, code)) is not None]
        scale = months if is_flow else 1
        if len(own) >= MIN_HISTORY:
            m = _far(x / scale, [v for _, v in own], scale)
            if m is not None:
                usual = int(round_half_up(m * scale))
                yield Flag("period.outlier-history", code, "total", _at(code), params={
                    "value": _n(x), "period_label": periods.label(p), "usual": _n(usual),
                    "count": len(own), "periods": ", ".join(periods.label(q) for q, _ in own)},
                    found=x, expected=usual)
        others = [v for s in peers if (v := _num(s, code)) is not None]
        if len(others) >= MIN_PEERS:
            m = _far(x, others, 1)
            if m is not None:
                usual = int(round_half_up(m))
                yield Flag("period.outlier-peers", code, "total", _at(code), params={
                    "value": _n(x), "period_label": periods.label(p), "usual": _n(usual),
                    "count": len(others)}, found=x, expected=usual)


# ------------------------------------------------------------------------------- all

def flags(sub: Submission, cat: Catalogue, *, history: Iterable[Submission] = (),
          peers: Iterable[Submission] = ()) -> list[Flag]:
    """Every period finding for ``sub``: ``history`` holds the unit's other reports (any
    order; those of later periods are ignored), ``peers`` other units' reports of the same
    period (the unit's own and other periods' are ignored)."""
    p = _period(sub.period)
    if p is None:
        return []
    before = earlier(sub, history)
    others = [s for s in peers if s.unit_code != sub.unit_code and s.period == sub.period]
    return [*opening_stocks(sub, cat, p, before), *within_year(sub, cat, p, before),
            *copies(sub, p, before), *outliers(sub, cat, p, before, others)]
