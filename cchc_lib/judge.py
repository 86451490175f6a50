"""The decisions `cchc check` and `cchc audit` both make, made once.

A workbook gives its facts in cells; a hand-written report gives them in sentences.  Once a
fact is found — a printed date, the data window, the report's own date, a document's type
word, number, symbol and date — deciding whether it is wrong does not depend on where it came
from.  Each function here takes the fact and returns :class:`Verdict`s: the rule id, the
message's parameters and the found/expected values.  The callers add only the place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from cchc_lib import periods
from cchc_lib.formatting import fmt_date_short
from cchc_lib.model import Period
from cchc_lib.textparse import (Symbol, parse_date_text, parse_symbol, type_abbreviation,
                                type_abbreviations)

__all__ = ["Verdict", "dated", "window", "issued_in_period", "report_date", "agency",
           "usual_agency", "symbol", "expected_abbreviation"]


@dataclass(frozen=True)
class Verdict:
    """A rule's decision on one fact: its id, the message's parameters, found and expected.

    ``severity`` overrides the rule's own when set (a missing leading zero is a note).
    """

    rule: str
    params: Mapping[str, object] = field(default_factory=dict)
    found: object = None
    expected: object = None
    severity: str | None = None


# ------------------------------------------------------------------------------- dates

def dated(what: str, text: str, *, report_day: date | None, report_text: str | None = None,
          period: Period | None = None, in_period: bool = False) -> list[Verdict]:
    """A printed date: one that does not exist, one after the report's own date, or (for a
    document the unit issued in the period) one outside the period."""
    parsed = parse_date_text(text)
    if not parsed.ok:
        return [Verdict("date.invalid", {"what": what, "text": text, "problem": parsed.problem},
                        found=text)]
    out = []
    if report_day is not None and parsed.day > report_day:
        out.append(Verdict("date.after-report",
                           {"what": what, "text": text,
                            "report_date": report_text or fmt_date_short(report_day)},
                           found=text, expected=fmt_date_short(report_day)))
    if in_period and period is not None and not (
            period.first_day <= parsed.day <= period.last_day):
        out.append(Verdict("date.outside-period",
                           {"what": what, "text": text, "period_label": periods.label(period),
                            "first": fmt_date_short(period.first_day),
                            "last": fmt_date_short(period.last_day)}, found=text))
    return out


def window(period: Period, start: date, end: date, start_text: str,
           end_text: str) -> Verdict | None:
    """The data window a report states against the official cut-off window of its period."""
    official = periods.cutoff_window(period)
    if (start, end) == official:
        return None
    return Verdict("window.differs",
                   {"start": start_text, "end": end_text, "period_label": periods.label(period),
                    "official_start": fmt_date_short(official[0]),
                    "official_end": fmt_date_short(official[1])},
                   found=f"{start_text}–{end_text}",
                   expected=f"{fmt_date_short(official[0])}–{fmt_date_short(official[1])}")


def issued_in_period(what: str, text: str, period: Period, *,
                     report_day: date | None = None) -> Verdict | None:
    """A document the report says was issued in its period, against the period's official
    data window (:func:`cchc_lib.periods.cutoff_window`): dated outside it is an error; dated
    outside the window but within the calendar period (a quý II report's document of 20/6) a
    note.  An impossible date, or one after the report's own, is :func:`dated`'s to report."""
    parsed = parse_date_text(text)
    if not parsed.ok or (report_day is not None and parsed.day > report_day):
        return None
    first, last = periods.cutoff_window(period)
    if first <= parsed.day <= last:
        return None
    within = period.first_day <= parsed.day <= period.last_day
    return Verdict("document.outside-window",
                   {"what": what, "text": text, "period_label": periods.label(period),
                    "first": fmt_date_short(first), "last": fmt_date_short(last)},
                   found=text, expected=f"{fmt_date_short(first)}–{fmt_date_short(last)}",
                   severity="note" if within else None)


def report_date(report_day: date, report_text: str, *, period: Period | None,
                window_end: date | None = None) -> list[Verdict]:
    """The report's own date: not before its data window closes (the window it states, else
    the official one), not after the period's deadline."""
    out = []
    if window_end is None and period is not None:
        window_end = periods.cutoff_window(period)[1]
    if window_end is not None and report_day < window_end:
        out.append(Verdict("report.before-window-end",
                           {"report_date": report_text, "window_end": fmt_date_short(window_end)},
                           found=report_text, expected=fmt_date_short(window_end)))
    if period is not None:
        deadline = periods.deadline(period)
        if report_day > deadline:
            out.append(Verdict("report.after-deadline",
                               {"report_date": report_text, "deadline": fmt_date_short(deadline),
                                "period_label": periods.label(period)},
                               found=report_text, expected=fmt_date_short(deadline)))
    return out


# ------------------------------------------------------------------------------- documents

def agency(sym: Symbol) -> str:
    """The issuing agency's abbreviation: ``UBND`` in ``KH-UBND`` and in ``UBND-VP``."""
    return sym.issuer.split("-")[0]


def usual_agency(symbols: Iterable[Symbol]) -> str | None:
    """The agency most of a unit's own documents carry (symbols without a year: a Nghị định
    ``34/2016/NĐ-CP`` is another body's)."""
    counts = Counter(agency(s) for s in symbols if not s.problem and s.year is None)
    return counts.most_common(1)[0][0] if counts else None


def expected_abbreviation(type_word: str) -> str | None:
    """The abbreviation a document type's symbol must carry (``Kế hoạch`` → ``KH``)."""
    return type_abbreviation(type_word)


def symbol(type_word: str, number: str, symbol_text: str, date_text: str | None, *,
           usual: str | None, issued_by_unit: bool | None = None) -> list[Verdict]:
    """A document's number and symbol against its type word, its date and the unit's other
    documents.

    ``issued_by_unit`` is known for a workbook's register and unknown (None) in running text,
    where a symbol is taken for the unit's own only when its agency is a near spelling of the
    usual one (``UB`` beside ``UBND``).
    """
    sym = parse_symbol(number, symbol_text)
    reference = f"{number}/{symbol_text}" if number else f"/{symbol_text}"
    base = {"type_word": type_word[:1].upper() + type_word[1:], "reference": reference}
    if sym.problem:
        return [Verdict("document.symbol-malformed", {**base, "problem": sym.problem},
                        found=reference)]
    out = []
    expected = expected_abbreviation(type_word)
    if expected is not None and sym.type_abbr is not None and sym.type_abbr != expected:
        abbr_type = {v: k for k, v in type_abbreviations().items() if v}
        need = "…/" + (f"{sym.year}/" if sym.year else "") + (
            f"{expected}-{sym.issuer}" if expected else sym.issuer)
        out.append(Verdict("document.type-symbol",
                           {**base, "abbr": sym.type_abbr,
                            "abbr_type": abbr_type.get(sym.type_abbr, sym.type_abbr).lower(),
                            "need": need}, found=reference, expected=need))
    own = agency(sym)
    ours = issued_by_unit if issued_by_unit is not None else (
        usual is not None and (own == usual or usual.startswith(own) or own.startswith(usual)))
    if sym.year is None and ours and usual and own != usual and not out:
        out.append(Verdict("document.symbol-malformed",
                           {**base, "problem": f"tên viết tắt cơ quan ban hành {own!r} khác với "
                                               f"các văn bản khác của đơn vị ({usual!r})"},
                           found=reference))
    if sym.year is None and ours and sym.number.isdigit() and len(sym.number) == 1:
        out.append(Verdict("document.symbol-malformed",
                           {**base, "problem": f"số nhỏ hơn 10 phải ghi thêm số 0 phía trước "
                                               f"(0{sym.number})"},
                           found=reference, severity="note"))
    day = parse_date_text(date_text).day if date_text else None
    if sym.year and day and day.year != int(sym.year):
        out.append(Verdict("document.symbol-malformed",
                           {**base, "problem": f"năm trong ký hiệu ({sym.year}) khác năm ban "
                                               f"hành ghi kèm ({date_text})"},
                           found=reference))
    return out
