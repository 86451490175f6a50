"""Checks of a submission: every inconsistency found, with a stable rule id, a place and a
Vietnamese message.

The rules' ids, severities and messages are data (``data/rules.yaml``), shared
with the audit of hand-written reports.  Each check below is a pure function
of a :class:`Context`; it yields findings and, when it cannot run for lack of
data, says so with a ``note`` rather than staying silent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Callable, Iterable, Iterator

import yaml

from cchc_lib import judge, period_checks, periods, units
from cchc_lib.catalogue import Catalogue, catalogue_as_typed
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_short, fmt_number, fmt_percent, round_half_up
from cchc_lib.model import SEVERITIES, Finding, Indicator, Period, Submission, Unit
from cchc_lib.rates import (exact, figure, percent, printed_decimals, rate_fraction,
                            rate_matches)
from cchc_lib.textparse import (nfc, parse_date_text, parse_period_label, parse_symbol,
                                unit_noun)

__all__ = ["Rule", "rules", "finding", "run_checks", "Context", "CHECKS", "FIGURE_CHECKS",
           "count_by_severity",
           "indicator_label", "indicator_place"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    message: str
    scope: tuple[str, ...] = ("check", "audit")  # which tools use it


@cache
def rules() -> dict[str, Rule]:
    """Every rule, by id, from ``data/rules.yaml``."""
    text = resources.files("cchc_lib").joinpath("data/rules.yaml").read_text("utf-8")
    out = {}
    for rid, raw in yaml.safe_load(text)["rules"].items():
        if raw["severity"] not in SEVERITIES:
            raise CchcError(f"rules.yaml: quy tắc {rid} có mức độ không hợp lệ")
        scope = raw.get("scope", "check, audit")
        out[rid] = Rule(rid, raw["severity"], raw["title"], raw["message"],
                        tuple(x.strip() for x in scope.split(",")))
    return out


def finding(rule_id: str, place: str, *, code: str | None = None, expected=None,
            found=None, severity: str | None = None, at: str | None = None,
            **params) -> Finding:
    """A finding of a rule, its message filled from the rule's template.

    ``at`` says where the clerk fixes it (``Finding.where``, see :class:`~cchc_lib.model.Finding`);
    an indicator's finding defaults to the indicator's row.
    """
    rule = rules()[rule_id]
    where = at
    if where is None and code is not None:
        where = f"indicator:{code}"
    return Finding(rule=rule_id, severity=severity or rule.severity, place=place,
                   message=rule.message.format(**params), indicator=code,
                   expected=expected, found=found, where=where)


# ------------------------------------------------------------------------------- context

@dataclass(frozen=True)
class Context:
    sub: Submission
    cat: Catalogue
    period: Period | None
    unit: Unit | None
    report_day: date | None
    history: tuple[Submission, ...] = ()  # the unit's other reports (period.* rules)
    peers: tuple[Submission, ...] = ()  # other units' reports of the same period


def _context(sub: Submission, cat: Catalogue) -> Context:
    try:
        period = periods.parse_period(sub.period)
    except CchcError:
        period = None
    unit = None
    if period is not None:
        try:
            unit = units.get_unit(sub.unit_code, era=units.era_for(period.last_day))
        except CchcError:
            unit = None
    day = parse_date_text(sub.header.report_date).day if sub.header.report_date else None
    return Context(sub, cat, period, unit, day)


def indicator_place(ind: Indicator) -> str:
    sheet = "PHỤ LỤC SỐ 01" if ind.section == "appendix" else "Số liệu bổ sung"
    printed = ind.printed.rstrip(".")
    extra = f", in là {ind.printed}" if printed and printed != ind.code else ""
    return f"{sheet}, chỉ tiêu {ind.code}{extra}"


def indicator_label(ind: Indicator) -> str:
    title = ind.title if len(ind.title) <= 70 else ind.title[:67] + "…"
    return f"Chỉ tiêu {ind.code} \"{title}\""


def _pct(x: float, digits: int = 1) -> str:
    return fmt_percent(x, digits)


def _typed_pct(x: float) -> str:
    return f"{fmt_number(x)}%"


CHECKS: list[Callable[[Context], Iterable[Finding]]] = []
_COLUMNS = (("total", "số tổng"), ("done", "số đã thực hiện"))


def check(func: Callable[[Context], Iterable[Finding]]):
    CHECKS.append(func)
    return func


# ------------------------------------------------------------------------------- figures

@check
def check_rates(ctx: Context) -> Iterator[Finding]:
    """A typed rate against its fraction; a rate over 100 %."""
    for code, value in ctx.sub.values.items():
        ind = ctx.cat[code]
        place, label = indicator_place(ind), indicator_label(ind)
        if ind.kind == "percent" and value.total is not None and value.total > 100:
            yield finding("rate.over-100", place, code=code, found=value.total,
                          at=f"indicator:{code}:total",
                          **{"indicator": label, "typed": _typed_pct(value.total)})
        if value.rate is None:
            continue
        if value.rate > 100:
            yield finding("rate.over-100", place, code=code, found=value.rate,
                          at=f"indicator:{code}:rate",
                          **{"indicator": label, "typed": _typed_pct(value.rate)})
        if ind.rate == "none":
            continue
        frac = rate_fraction(ctx.sub, ind, ctx.cat)
        if frac is None:
            if ind.rate == "row":
                gaps = [name for attr, name in _COLUMNS if getattr(value, attr) is None]
                missing = " và ".join(gaps) if gaps else "mẫu số khác 0"
            else:
                missing = f"số của chỉ tiêu {ind.rate_of} làm mẫu số"
            yield finding("rate.unverifiable", place, code=code, found=value.rate,
                          at=f"indicator:{code}:rate",
                          **{"indicator": label, "typed": _typed_pct(value.rate),
                             "missing": missing})
            continue
        num, den = frac
        if not rate_matches(value.rate, num, den):
            digits = max(1, printed_decimals(value.rate))
            computed = percent(num, den, digits)  # the figure the message prints
            yield finding("rate.mismatch", place, code=code, found=value.rate,
                          at=f"indicator:{code}:rate",
                          expected=computed,
                          **{"indicator": label, "typed": _typed_pct(value.rate),
                             "num": fmt_number(num), "den": fmt_number(den),
                             "computed": _pct(computed, digits)})


@check
def check_values(ctx: Context) -> Iterator[Finding]:
    """Counts whole and non-negative, codes within their coding, done ≤ total, kinds vs units."""
    for code, value in ctx.sub.values.items():
        ind = ctx.cat[code]
        place, label = indicator_place(ind), indicator_label(ind)
        for attr, column in _COLUMNS:
            x = getattr(value, attr)
            if x is None:
                continue
            if x < 0 and ind.kind in ("count", "amount", "enum"):
                yield finding("count.negative", place, code=code, found=x,
                              at=f"indicator:{code}:{attr}",
                              **{"indicator": label, "column": column,
                                                  "value": fmt_number(x)})
            elif ind.kind == "enum" and x not in ind.coding:
                coding = ", ".join(f"{v} = {lbl}" for v, lbl in ind.coding.items())
                yield finding("enum.out-of-coding", place, code=code, found=x,
                              at=f"indicator:{code}:{attr}",
                              **{"indicator": label, "value": fmt_number(x), "coding": coding})
            elif ind.kind in ("count", "amount") and not float(x).is_integer():
                yield finding("count.not-whole", place, code=code, found=x,
                              at=f"indicator:{code}:{attr}",
                              **{"indicator": label, "column": column,
                                 "value": fmt_number(x), "unit": ind.unit})
        if ind.rate == "row" and value.total is not None and value.done is not None \
                and value.done > value.total:
            yield finding("value.done-exceeds-total", place, code=code,
                          at=f"indicator:{code}:done",
                          found=value.done, expected=value.total,
                          **{"indicator": label, "done": fmt_number(value.done),
                             "total": fmt_number(value.total)})
        single = [x for x in (value.total, value.done) if x is not None]
        if (ind.title.startswith("Tỷ lệ") and ind.kind == "count" and len(single) == 1
                and value.rate is None):
            yield finding("kind.mismatch", place, code=code, found=single[0],
                          **{"indicator": label, "unit": ind.unit,
                             "value": fmt_number(single[0])})


@check
def check_parts(ctx: Context) -> Iterator[Finding]:
    """A part larger than its whole; parts that add up to more than (or other than) the whole."""
    sub, cat = ctx.sub, ctx.cat
    for whole in cat:
        if whole.parts_sum is None:
            continue
        parts = cat.parts(whole.code)
        wv = sub.value(whole.code)
        for part in parts:
            pv = sub.value(part.code)
            if pv is None or wv is None:
                continue
            pairs = [(getattr(pv, a), getattr(wv, a)) for a, _ in _COLUMNS]
            pairs = [(p, w) for p, w in pairs if p is not None and w is not None]
            if not pairs and figure(pv) is not None and figure(wv) is not None:
                pairs = [(figure(pv), figure(wv))]
            for p, w in pairs:
                if p > w:
                    yield finding("parts.child-exceeds-whole", indicator_place(part),
                                  code=part.code, found=p, expected=w,
                                  **{"indicator": indicator_label(part), "value": fmt_number(p),
                                     "whole": indicator_label(whole),
                                     "whole_value": fmt_number(w)})
                    break
        yield from _parts_sum(ctx, whole, parts)
        yield from _shares(ctx, whole, parts)


def _parts_sum(ctx: Context, whole: Indicator, parts: list[Indicator]) -> Iterator[Finding]:
    wv = ctx.sub.value(whole.code)
    w = figure(wv)
    given = [(p, figure(ctx.sub.value(p.code))) for p in parts]
    given = [(p, x) for p, x in given if x is not None]
    if w is None or not given:
        return
    total = sum(x for _, x in given)
    complete = len(given) == len(parts)
    wrong = total > w or (whole.parts_sum == "eq" and complete and total != w)
    if wrong:
        yield finding("parts.sum", indicator_place(whole), code=whole.code, found=total,
                      expected=w, **{"whole": indicator_label(whole), "whole_value": fmt_number(w),
                                     "parts": " + ".join(fmt_number(x) for _, x in given),
                                     "total": fmt_number(total)})


def _shares(ctx: Context, whole: Indicator, parts: list[Indicator]) -> Iterator[Finding]:
    if whole.parts_sum != "eq" or len(parts) < 2:
        return
    rates = [ctx.sub.value(p.code).rate if ctx.sub.value(p.code) else None for p in parts]
    if any(r is None for r in rates):
        return
    tolerance = sum(0.5 * 10 ** -printed_decimals(r) for r in rates) + 1e-9
    total = float(sum(exact(r) for r in rates))  # 74.9 + 25.3 is 100.2, not 100.19999…
    if abs(total - 100) > tolerance:
        yield finding("shares.complement", indicator_place(whole), code=whole.code,
                      found=total, expected=100,
                      **{"whole": indicator_label(whole),
                         "parts": " + ".join(_typed_pct(r) for r in rates),
                         "total": _typed_pct(total), "target": "100%"})


@check
def check_same_rate(ctx: Context) -> Iterator[Finding]:
    """One rate claimed over two different wholes: the on-time rate typed beside the 661
    dossiers received, which the appendix computes as 295 of 394 dossiers resolved."""
    for ind in ctx.cat:
        if ind.same_rate_as is None:
            continue
        value = ctx.sub.value(ind.code)
        other = ctx.cat[ind.same_rate_as]
        other_frac = rate_fraction(ctx.sub, other, ctx.cat)
        if value is None or other_frac is None or other_frac[1] == 0:
            continue
        own_frac = rate_fraction(ctx.sub, ind, ctx.cat)
        if own_frac is not None:
            whole, whole_ind = own_frac[1], ctx.cat[ind.rate_of] if ind.rate_of else ind
            rate = 100 * own_frac[0] / own_frac[1]
        elif value.rate is not None and ind.stated_with is not None:
            whole_ind = ctx.cat[ind.stated_with]
            whole, rate = figure(ctx.sub.value(ind.stated_with)), value.rate
        else:
            continue
        digits = printed_decimals(value.rate) if value.rate is not None else 1
        num, den = other_frac
        if whole is None or whole == den or not rate_matches(round_half_up(rate, digits), num, den):
            continue
        yield finding("rate.two-wholes", indicator_place(ind), code=ind.code,
                      at=f"indicator:{ind.code}:rate",
                      found=value.rate if value.rate is not None else round_half_up(rate, digits),
                      expected=f"{fmt_number(num)}/{fmt_number(den)}",
                      **{"indicator": indicator_label(ind), "rate": _pct(rate, digits),
                         "whole": fmt_number(whole), "whole_label": indicator_label(whole_ind),
                         "other": indicator_label(other), "num": fmt_number(num),
                         "den": fmt_number(den)})


@check
def check_same_figures(ctx: Context) -> Iterator[Finding]:
    """The same figure asked in two places must agree."""
    for ind in ctx.cat:
        if ind.same_as is None:
            continue
        a, b = figure(ctx.sub.value(ind.code)), figure(ctx.sub.value(ind.same_as))
        if a is None or b is None or a == b:
            continue
        other = ctx.cat[ind.same_as]
        yield finding("figure.same-as", indicator_place(ind), code=ind.code, found=a,
                      expected=b, **{"first": indicator_label(ind), "first_value": fmt_number(a),
                                     "second": indicator_label(other),
                                     "second_value": fmt_number(b)})


# ------------------------------------------------------------------------------- dates

def _dated_things(ctx: Context) -> Iterator[tuple[str, str, str, bool, str]]:
    """(what, place, printed date, must lie in the period, where) for every printed date."""
    h = ctx.sub.header
    if h.report_date:
        yield "Ngày báo cáo", "Thông tin chung: ngày báo cáo", h.report_date, False, \
            "header:report_date"
    if h.data_window:
        yield "Ngày bắt đầu lấy số liệu", "Thông tin chung: số liệu tính từ ngày", \
            h.data_window[0], False, "header:data_window_from"
        yield "Ngày chốt số liệu", "Thông tin chung: số liệu tính đến ngày", h.data_window[1], \
            False, "header:data_window_to"
    for code, value in ctx.sub.values.items():
        if value.as_of:
            ind = ctx.cat[code]
            yield (f"{indicator_label(ind)} (số liệu tính đến ngày)", indicator_place(ind),
                   value.as_of, True, f"indicator:{code}:as_of")
    for n, doc in enumerate(ctx.sub.documents):
        if doc.date:
            where = f"Văn bản {doc.reference}" + (f" (mục {doc.section})" if doc.section else "")
            yield f"{doc.type_word} số {doc.reference}", where, doc.date, doc.issued_by_unit, \
                f"document:{n}:date"


def _verdicts(verdicts, place: str, *, code: str | None = None,
              at: str | None = None) -> Iterator[Finding]:
    """Findings of the shared decisions (:mod:`cchc_lib.judge`) at a place of the workbook."""
    for v in verdicts:
        yield finding(v.rule, place, code=code, at=at, found=v.found, expected=v.expected,
                      severity=v.severity, **v.params)


@check
def check_dates(ctx: Context) -> Iterator[Finding]:
    """Dates that do not exist, that follow the report's own date, or lie outside the period."""
    h = ctx.sub.header
    for what, place, text, in_period, locus in _dated_things(ctx):
        # a document the unit issued is listed as issued in the period: judged against the
        # period's official data window, as the audit judges one a text says so of
        issued = in_period and locus.startswith("document:")
        verdicts = judge.dated(what, text, report_day=None if what == "Ngày báo cáo"
                               else ctx.report_day, report_text=h.report_date,
                               period=ctx.period, in_period=in_period and not issued)
        if issued and ctx.period is not None and (verdict := judge.issued_in_period(
                what, text, ctx.period, report_day=ctx.report_day)) is not None:
            verdicts.append(verdict)
        yield from _verdicts(verdicts, place, at=locus)
    if not h.report_date:
        yield finding("data.missing", "Thông tin chung: ngày báo cáo", at="header:report_date",
                      what="Ngày báo cáo", why="chưa ghi, nên không kiểm tra được ngày báo cáo "
                                               "so với kỳ và thời gian chốt số liệu")


@check
def check_window(ctx: Context) -> Iterator[Finding]:
    """The data window against the official cut-off; the report date against the window."""
    if ctx.period is None:
        return
    h, p = ctx.sub.header, ctx.period
    start, end = periods.cutoff_window(p)
    own_end = None
    if h.data_window:
        a, b = (parse_date_text(x).day for x in h.data_window)
        if a is not None and b is not None:
            own_end = b
            verdict = judge.window(p, a, b, h.data_window[0], h.data_window[1])
            yield from _verdicts([verdict] if verdict else [],
                                 "Thông tin chung: thời gian lấy số liệu",
                                 at="header:data_window_from")
    else:
        yield finding("data.missing", "Thông tin chung: thời gian lấy số liệu",
                      at="header:data_window_from",
                      what="Thời gian lấy số liệu",
                      why=f"không ghi; coi như theo quy định ({fmt_date_short(start)} – "
                          f"{fmt_date_short(end)})")
    if ctx.report_day is None:
        return
    yield from _verdicts(judge.report_date(ctx.report_day, h.report_date, period=p,
                                           window_end=own_end),
                         "Thông tin chung: ngày báo cáo", at="header:report_date")


@check
def check_period_labels(ctx: Context) -> Iterator[Finding]:
    """Every period label printed in the report names the report's own period and year."""
    if ctx.period is None:
        return
    p = ctx.period
    for where, text in ctx.sub.period_labels.items():
        label = parse_period_label(text)
        wrong_kind = label.kind is not None and (
            label.kind != p.kind or (label.kind == "Q" and label.quarter != p.quarter))
        wrong_year = label.year is not None and label.year != p.year
        if wrong_kind or wrong_year:
            yield finding("period.label-mismatch", _where(where), found=text,
                          at=f"section:{where}",
                          expected=periods.label(p),
                          **{"where": _capital(_where(where)), "label": text,
                             "period_label": periods.label(p)})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(key: str) -> str:
    named = {"title": "tiêu đề", "appendix": "phụ lục", "closing": "đoạn kết", "header": "đầu báo cáo"}
    return named.get(key, f"mục {key}")


# ------------------------------------------------------------------------------- documents

@check
def check_documents(ctx: Context) -> Iterator[Finding]:
    """Type word against symbol, malformed symbols, one reference cited with different facts."""
    by_ref: dict[str, list] = defaultdict(list)
    first_index: dict[str, int] = {}
    own = [parse_symbol(d.number, d.symbol) for d in ctx.sub.documents if d.issued_by_unit]
    usual = judge.usual_agency(own)
    for n, doc in enumerate(ctx.sub.documents):
        by_ref[f"{doc.number}/{nfc(doc.symbol)}"].append(doc)
        first_index.setdefault(f"{doc.number}/{nfc(doc.symbol)}", n)
        place = f"Văn bản {doc.reference}" + (f" (mục {doc.section})" if doc.section else "")
        yield from _verdicts(judge.symbol(doc.type_word, doc.number, doc.symbol, doc.date,
                                          usual=usual, issued_by_unit=doc.issued_by_unit),
                             place, at=f"document:{n}")
    for ref, docs in by_ref.items():
        for field, get in (("ngày", lambda d: parse_date_text(d.date or "").day or d.date),
                           ("loại văn bản", lambda d: nfc(d.type_word).casefold())):
            seen = {get(d) for d in docs}
            if len(seen) > 1:
                shown = ", ".join(sorted({(d.date if field == "ngày" else d.type_word) or "?"
                                          for d in docs}))
                yield finding("document.conflict", f"Văn bản {ref}", found=shown,
                              at=f"document:{first_index[ref]}",
                              **{"reference": ref, "count": len(docs), "field": field,
                                 "values": shown})


# ------------------------------------------------------------------------------- header, names

@check
def check_header(ctx: Context) -> Iterator[Finding]:
    h = ctx.sub.header
    if not h.report_number.strip():
        yield finding("header.number-blank", "Thông tin chung: số báo cáo",
                      at="header:report_number",
                      symbol=h.report_symbol or "BC-UBND")


@check
def check_unit_names(ctx: Context) -> Iterator[Finding]:
    """One unit, one spelling; and no unit of another level speaking in its place."""
    if ctx.unit is None or not ctx.sub.unit_names:
        return
    own_level = ctx.unit.level
    own_key = units.loose_key(ctx.unit.name)
    spellings: dict[str, list[str]] = defaultdict(list)
    keys: dict[str, str] = {}
    for where, text in ctx.sub.unit_names.items():
        noun, level, name = unit_noun(text)
        if level is not None and level != own_level:
            level_name = {"district": "cấp huyện", "province": "cấp tỉnh",
                          "commune": "cấp xã", "city": "thành phố"}[level]
            yield finding("unit.other-level", _where(where), found=text,
                          at=f"section:{where}",
                          **{"where": _capital(_where(where)), "name": text,
                             "level": level_name, "unit": units.unit_title(ctx.unit)})
            continue
        if units.loose_key(name) == own_key:
            spellings[nfc(name)].append(_where(where))
            keys.setdefault(nfc(name), where)
    if len(spellings) > 1:
        variants = "; ".join(f"\"{name}\" ({', '.join(places)})"
                             for name, places in spellings.items())
        # the clerk starts with the first place of the first spelling that is not the official one
        odd = next((n for n in spellings if n != nfc(ctx.unit.name)), next(iter(spellings)))
        yield finding("unit.name-variants", "toàn báo cáo", found=len(spellings),
                      at=f"section:{keys[odd]}",
                      expected=ctx.unit.name,
                      **{"count": len(spellings), "variants": variants})


# ------------------------------------------------------------------------------- periods

@check
def check_periods(ctx: Context) -> Iterator[Finding]:
    """The checks across periods (:mod:`cchc_lib.period_checks`): stocks and flows, carry-over,
    cumulative and yearly figures, copies and outliers, against the history and the peers."""
    columns = dict(_COLUMNS)
    for flag in period_checks.flags(ctx.sub, ctx.cat, history=ctx.history, peers=ctx.peers):
        params = dict(flag.params)
        place = flag.place
        if flag.code is not None:
            ind = ctx.cat[flag.code]
            params.setdefault("indicator", indicator_label(ind))
            place = place or indicator_place(ind)
        if flag.column is not None:
            params.setdefault("column", columns[flag.column])
        yield finding(flag.rule, place or "toàn báo cáo", code=flag.code, at=flag.at,
                      found=flag.found, expected=flag.expected, **params)


# ------------------------------------------------------------------------------- engine

_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


FIGURE_CHECKS = (check_rates, check_values, check_parts, check_same_figures)


def run_checks(sub: Submission, catalogue: Catalogue | None = None,
               checks: Iterable[Callable[[Context], Iterable[Finding]]] | None = None, *,
               history: Iterable[Submission] = (), peers: Iterable[Submission] = ()
               ) -> list[Finding]:
    """Every finding for one submission, errors first, in a stable order.

    ``checks`` limits the run to some checks (the audit runs only the figure checks on
    an appendix it read from a document: its dates and names are checked in the text).
    ``history`` holds the unit's other reports, in any order, and ``peers`` the other units'
    reports of the same period: the ``period.*`` rules compare with them.  The catalogue
    defaults to the version in force for the period.
    """
    ctx = replace(_context(sub, catalogue or catalogue_as_typed(sub.period)), history=tuple(history),
                  peers=tuple(peers))
    found = [f for chk in (CHECKS if checks is None else checks) for f in chk(ctx)]
    return sorted(found, key=lambda f: _ORDER[f.severity])


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts
