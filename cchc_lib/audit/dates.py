"""Claims on time: impossible dates, dates after the report's own, the data window and the
report's date against it, period labels that state the period of the results.

The decisions are :mod:`cchc_lib.judge`'s, as for a workbook (`cchc check`): a printed date
(:func:`~cchc_lib.judge.dated`), the window (:func:`~cchc_lib.judge.window`), the report's date
against the window and the deadline (:func:`~cchc_lib.judge.report_date`).  What running text
adds is the audit's own: naming each date by the words around it, and holding back when a date
after the report may be a deadline of work still to come (a note, or nothing in the directions).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date

from cchc_lib import judge, periods
from cchc_lib.audit.context import period_phrases
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import (CLAUSE_WINDOW, DATE_NUM, DATE_WORDS, END, Spans, Text,
                                 clause_before, date_digits, excerpt, inside, quote, rx,
                                 sentence_at)
from cchc_lib.formatting import fmt_date_short
from cchc_lib.textparse import parse_date_text

__all__ = ["check_dates", "check_periods"]


# ------------------------------------------------------------------ dates and window

_DATE_ANY = rx(rf"(?<![\d/.])(?P<num>\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}})(?![\d/])"
               rf"|ngày\s+(?P<words>{DATE_WORDS})")
_WINDOW = rx(rf"từ\s+(?:ngày\s+)?(?P<a>{DATE_NUM})\s*(?:đến|tới|-|–)\s*(?:hết\s+)?"
             rf"(?:ngày\s+)?(?P<b>{DATE_NUM})")
_DATA_CUE = rx(r"số\s+liệu|thống\s+kê|chốt|kỳ\s+báo\s+cáo|tính\s+từ")
_PLANNING = rx(r"(?<!\w)(?:sẽ|dự\s+kiến|phấn\s+đấu|trước\s+ngày|chậm\s+nhất|hạn\s+chót|"
               r"hoàn\s+thành\s+trước)(?!\w)")


class _SentenceCue:
    """Whether the sentence around a position says something (a pattern), asked once a sentence:
    a long sentence full of dates would otherwise be searched again for each of them."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.seen: dict[tuple[int, int, int], bool] = {}

    def __call__(self, text: str, pos: int) -> bool:
        s, e = sentence_at(text, pos)
        key = (id(text), s, e)
        if key not in self.seen:
            self.seen[key] = bool(self.pattern.search(text, s, e))
        return self.seen[key]


_SEPARATOR = re.compile(r"[,;]")


def _clause_around(text: str, start: int, end: int) -> str:
    """The part of the sentence between the separators (, ;) around ``text[start:end]``, looked
    for within a clause's window."""
    s, e = sentence_at(text, start)
    low = max(s, start - CLAUSE_WINDOW)
    cut = max(text.rfind(",", low, start), text.rfind(";", low, start))
    a = cut + 1 if cut >= 0 else low
    stop = _SEPARATOR.search(text, end, min(e, end + CLAUSE_WINDOW))
    b = stop.start() if stop else min(e, end + CLAUSE_WINDOW)
    return text[a:b].strip()


def _dated(what: str, printed: str, report_day: date | None,
           report_text: str) -> list[judge.Verdict]:
    """:func:`cchc_lib.judge.dated` on a date as the report prints it: judge reads
    ``dd/mm/yyyy``, the message quotes the words (``07 tháng 3 năm 2024``)."""
    verdicts = judge.dated(what, date_digits(printed), report_day=report_day,
                           report_text=report_text)
    return [replace(v, params={**v.params, "text": printed}, found=printed) for v in verdicts]


def _report(out: Out, v: judge.Verdict, t: Text, pos: int, ex: str) -> None:
    out.bad(v.rule, t, pos, ex, found=v.found, expected=v.expected, severity=v.severity,
            **v.params)


@whole_report
def check_dates(reading: Reading, out: Out) -> None:
    """Every printed date: one that does not exist, one after the report's own date; then the
    data window and the report's date against it."""
    texts, ctx, own = reading.texts, reading.context, reading.own
    by_span = {(r.t.index, r.t.place, r.date_span): r for r in reading.refs if r.date_span}
    windows: list[tuple[Text, re.Match]] = []
    data_cue, planning_cue = _SentenceCue(_DATA_CUE), _SentenceCue(_PLANNING)
    for t in texts:
        for w in _WINDOW.finditer(t.text):
            if data_cue(t.text, w.start()):
                windows.append((t, w))
    window_spans = {(t.index, t.place, w.span("a")): "Ngày bắt đầu lấy số liệu"
                    for t, w in windows}
    window_spans.update({(t.index, t.place, w.span("b")): "Ngày chốt số liệu" for t, w in windows})
    report = ctx.report_date
    for t in texts:
        for m in _DATE_ANY.finditer(t.text):
            group = "num" if m["num"] else "words"
            span, printed = m.span(group), m[group]
            key = (t.index, t.place, span)
            is_own = (own is not None and (own.index, own.place) == (t.index, t.place)
                      and own.span[0] <= span[0] and span[1] <= own.span[1])
            ref = by_span.get(key)
            if is_own:
                what = "Ngày báo cáo"
            elif ref is not None:
                what = ref.label
            elif key in window_spans:
                what = window_spans[key]
            else:
                words = clause_before(t.text, m.start()).split()[-7:]
                if len(words) >= 3:
                    what = f'Câu "…{" ".join(words)}"'
                else:
                    what = f'Câu "{quote(_clause_around(t.text, m.start(), m.end()), 60)}"'
            ex = excerpt(t.text, m.start(), m.end())
            verdicts = _dated(what, printed, None if is_own else report, ctx.report_date_text)
            invalid = [v for v in verdicts if v.rule == "date.invalid"]
            if invalid:
                _report(out, invalid[0], t, span[0], ex)
                continue
            if is_own:
                continue
            if report is None:
                out.ok("date.invalid", t, span[0], ex)
                continue
            late = [v for v in verdicts if v.rule == "date.after-report"]
            if not late:
                out.ok("date.after-report", t, span[0], ex)
                continue
            if ctx.kind == "plan":
                continue  # a plan's later dates are its deadlines
            planning = planning_cue(t.text, m.start())
            if t.directions and planning:
                continue  # a deadline of what is to be done next: nothing to check
            if t.directions or planning:
                out.unsure("date.after-report", t, span[0], ex,
                           f"ngày {printed} sau ngày của chính báo cáo ({ctx.report_date_text}), "
                           "nhưng có thể là thời hạn của việc sắp làm")
                continue
            _report(out, late[0], t, span[0], ex)
    _check_window(windows, reading, out)


def _check_window(windows: list[tuple[Text, re.Match]], reading: Reading, out: Out) -> None:
    """The window a report states against its period's; the report's date against the window
    (the first one stated, else the official one) and the deadline."""
    ctx, own, p = reading.context, reading.own, reading.context.period
    own_end = None
    for t, w in windows:
        a = parse_date_text(date_digits(w["a"])).day
        b = parse_date_text(date_digits(w["b"])).day
        if a is None or b is None:
            continue
        own_end = own_end or b
        if p is not None:
            ex = excerpt(t.text, w.start(), w.end())
            verdict = judge.window(p, a, b, " ".join(w["a"].split()), " ".join(w["b"].split()))
            if verdict is None:
                out.ok("window.differs", t, w.start(), ex)
            else:
                _report(out, verdict, t, w.start(), ex)
    if ctx.report_date is None or (p is None and own_end is None) or ctx.kind == "plan":
        return  # (a plan is dated at the start of the period it plans)
    place = own.place if own is not None else "ngày báo cáo"
    anchor = Text(place, own.index if own else END, "", "")
    shown = ctx.report_date_text or fmt_date_short(ctx.report_date)
    ex = f"Ngày báo cáo {shown}"
    verdicts = judge.report_date(ctx.report_date, shown, period=p, window_end=own_end)
    if not any(v.rule == "report.before-window-end" for v in verdicts):
        out.ok("report.before-window-end", anchor, 0, ex)
    for v in verdicts:
        _report(out, v, anchor, 0, ex)


# ------------------------------------------------------------------ period labels

_RESULT_CUE = rx(r"(?:^|[\s,:;(])(?:trong|(?:tính\s+)?đến\s+hết|lũy\s+kế|luỹ\s+kế|từ\s+đầu|"
                 r"thống\s+kê(?:\s+báo\s+cáo)?|kết\s+quả(?:\s+thực\s+hiện)?|"
                 r"số\s+liệu(?:\s+thống\s+kê)?|kỳ\s+báo\s+cáo\s*\(?)\s*:?\s*$")
_SINCE_START = rx(r"từ\s+đầu\s*$")
# A sentence that opens on its results' period: "Quý II/2025, UBND phường tiếp nhận 530 hồ
# sơ", "Kết quả giải quyết thủ tục hành chính quý III năm 2025: tiếp nhận 412 hồ sơ".
_OPENS_RESULTS = rx(r"^\s*(?:[-+•]\s*)?(?:(?:kết\s+quả|số\s+liệu|tình\s+hình)(?!\w)[^,;:.]{0,80})?$")
_AFTER_OPENING = rx(r"\s*[,:]")
# … unless the sentence is about an index, a ranking, a plan or a meeting of that period
_NOT_RESULTS = rx(r"chỉ\s+số|xếp\s+(?:thứ|hạng|loại)|đánh\s+giá|kế\s+hoạch|chương\s+trình|"
                  r"đề\s+án|hội\s+nghị|tổng\s+kết|so\s+với|cùng\s+kỳ|tăng|giảm")
_COMPARED = rx(r"so\s+với|cùng\s+kỳ|kỳ\s+trước|năm\s+trước")
_LATER_CUE = rx(r"(?<!\w)(?:sẽ|tiếp\s+tục|phấn\s+đấu|dự\s+kiến|kế\s+hoạch)(?!\w)")
_CLOSING = rx(r"^trên\s+đây\s+là\s+báo\s+cáo")
_CLAUSE_STOP = re.compile(r"[;:]")


def _opens_results(text: str, x, phrases) -> bool:
    """Whether the sentence opens on the period ``x`` (alone, or after "Kết quả …") and goes on
    to give figures of it, and of no other period (two periods in a sentence: a comparison)."""
    s, e = sentence_at(text, x.start)
    if not _OPENS_RESULTS.match(text[s:x.start]) or not _AFTER_OPENING.match(text, x.end):
        return False
    if any(y is not x and s <= y.start < e for y in phrases):
        return False
    return bool(re.search(r"\d", text[x.end:e])) and not _NOT_RESULTS.search(text, s, e)


def _months(kind: str, quarter: int | None) -> tuple[int, int]:
    if kind == "Q":
        return 3 * quarter - 2, 3 * quarter
    return {"H1": (1, 6), "9M": (1, 9), "Y": (1, 12), "H2": (7, 12)}[kind]


@whole_report
def check_periods(reading: Reading, out: Out) -> None:
    """Phrases that state the period of the results name the report's own period."""
    texts, refs, title, ctx = reading.texts, reading.refs, reading.title, reading.context
    p = ctx.period
    if p is None or ctx.kind == "plan":
        return  # (a plan looks back on the last period and ahead to the next)
    ref_spans: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for r in refs:
        # the reference and its summary ("… về việc …"), up to the end of its clause
        s, e = sentence_at(r.t.text, r.start)
        stop = _CLAUSE_STOP.search(r.t.text, r.end, e)
        ref_spans[(r.t.index, r.t.place)].append((r.start, stop.start() if stop else e))
    own_months = _months(p.kind, p.quarter)
    later_cue = _SentenceCue(_LATER_CUE)
    for t in texts:
        if t.header:
            continue
        is_title = title is not None and t is title
        closing = bool(_CLOSING.search(t.text))
        skip = Spans(ref_spans.get((t.index, t.place), ()))
        phrases = [x for x in period_phrases(t.text)
                   if x.kind and not inside((x.start, x.end), skip)]
        for n, x in enumerate(phrases):
            if x.kind == "H2":
                continue  # the next half, named in the directions
            before = t.text[max(0, x.start - 40):x.start]
            if _COMPARED.search(t.text[max(0, x.start - 25):x.start]):
                continue
            results = ((is_title and n == 0) or (t.heading and not t.directions)
                       or closing or bool(_RESULT_CUE.search(before))
                       or _opens_results(t.text, x, phrases))
            if not results:
                continue
            if t.directions and not (is_title or closing):
                continue
            ex = excerpt(t.text, x.start, x.end)
            same_kind = (x.kind == p.kind and (x.kind != "Q" or x.quarter == p.quarter)) or (
                x.kind == "Y" and bool(_SINCE_START.search(before)))  # "từ đầu năm 2024"
            year_ok = x.year is None or x.year == p.year
            if same_kind and year_ok:
                out.ok("period.label-mismatch", t, x.start, ex)
                continue
            where = ("Tiêu đề" if is_title else "Đề mục" if t.heading else "Câu") + \
                f' "{quote(excerpt(t.text, x.start, x.end, 90), 90)}"'
            months = _months(x.kind, x.quarter)
            within = own_months[0] <= months[0] and months[1] <= own_months[1]
            around = months[0] <= own_months[0] and own_months[1] <= months[1]
            later = (x.year or p.year, months[0]) > (p.year, own_months[1])
            if not t.heading and not is_title and year_ok and (
                    within or (around and x.kind == "Y")):
                relation = "là một phần của" if within else "bao trùm"
                out.unsure("period.label-mismatch", t, x.start, ex,
                           f'"{x.text}" {relation} kỳ báo cáo ({periods.label(p)}): kiểm tra '
                           "số liệu của câu nói về kỳ nào")
            elif later and later_cue(t.text, x.start):
                out.unsure("period.label-mismatch", t, x.start, ex,
                           f'"{x.text}" là kỳ sau {periods.label(p)}: có thể là nhiệm vụ sắp làm')
            else:
                out.bad("period.label-mismatch", t, x.start, ex, found=x.text,
                        expected=periods.label(p), where=where, label=x.text,
                        period_label=periods.label(p))
