"""Claims on document references: the type word against the symbol, malformed symbols (through
:func:`cchc_lib.judge.symbol`, the decision `cchc check` makes on a workbook's register), one
document cited with different facts, the year a cited plan is for, documents listed as issued
in the period but dated outside its data window (:func:`cchc_lib.judge.issued_in_period`).

In running text it is not known which documents the unit issued itself: a symbol is taken for
the unit's own when its agency is the one most of the text's symbols carry, or a near spelling
of it (``UB`` beside ``UBND``).  The audit adds one note of its own: a symbol that lacks the
abbreviation of its type word (``Kế hoạch số 15/UBND``) is worth a look, not an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from cchc_lib import judge
from cchc_lib.audit.context import period_phrases
from cchc_lib.audit.reading import Reading, Ref
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import cap, excerpt, first_few, rx
from cchc_lib.textparse import NOUN_LEVELS, nfc, parse_date_text, parse_symbol, unit_noun

__all__ = ["check_references", "check_plan_years", "check_issued_in_period"]


@whole_report
def check_references(reading: Reading, out: Out) -> None:
    """Each reference's symbol against its type word, its date and the text's other symbols."""
    parsed = [(r, parse_symbol(r.number, r.symbol)) for r in reading.refs]
    usual = judge.usual_agency(s for _, s in parsed)
    for r, s in parsed:
        t, ex = r.t, excerpt(r.t.text, r.start, r.end)
        expected = judge.expected_abbreviation(r.type_word)
        lacks = not s.problem and bool(expected) and s.type_abbr is None
        if lacks:
            out.unsure("document.type-symbol", t, r.start, ex,
                       f"ký hiệu {r.symbol} không có chữ viết tắt {expected} của loại "
                       f"{r.type_word.lower()}; kiểm tra lại loại văn bản hoặc ký hiệu")
        verdicts = judge.symbol(r.type_word, r.number, r.symbol, r.date_text, usual=usual)
        for v in verdicts:
            out.bad(v.rule, t, r.start, ex, found=v.found, expected=v.expected,
                    severity=v.severity, **v.params)
        if not lacks and all(v.severity == "note" for v in verdicts):
            out.ok("document.type-symbol", t, r.start, ex)
    _check_conflicts(parsed, out)


def _check_conflicts(parsed, out: Out) -> None:
    """One document (number and symbol) cited with different dates, types or years."""
    by_ref: dict[str, list] = defaultdict(list)
    by_no_year: dict[str, list] = defaultdict(list)
    for r, s in parsed:
        number = r.number.lstrip("0") or "0"
        symbol = re.sub(r"\s+", "", r.symbol).upper()
        by_ref[f"{number}/{symbol}"].append(r)
        if s.year and not s.problem:
            by_no_year[f"{number}/{s.type_abbr or ''}-{s.issuer}".upper()].append(r)
    for ref, cited in by_ref.items():
        if len(cited) < 2:
            continue
        fields = (("ngày", lambda r: (parse_date_text(r.date_text).day or r.date_text)
                   if r.date_text else None, lambda r: r.date_text),
                  ("loại văn bản", lambda r: nfc(r.type_word).casefold(), lambda r: r.type_word))
        for field, key, shown in fields:
            seen = {key(r) for r in cited} - {None}
            if len(seen) > 1:
                values = first_few([f"{shown(r)} ({r.t.place})" for r in cited if key(r)])
                last = cited[-1]
                out.bad("document.conflict", last.t, last.start,
                        excerpt(last.t.text, last.start, last.end), found=values,
                        reference=cited[0].reference, count=len(cited), field=field,
                        values=values)
    for ref, cited in by_no_year.items():
        years = {parse_symbol(r.number, r.symbol).year for r in cited}
        if len(years) > 1:
            values = first_few([f"{r.reference} ({r.t.place})" for r in cited])
            last = cited[-1]
            out.bad("document.conflict", last.t, last.start,
                    excerpt(last.t.text, last.start, last.end), found=values,
                    reference=cited[0].reference, count=len(cited), field="năm", values=values)


# ------------------------------------------------------------------ the year a plan is for

_PLAN_TYPES = ("kế hoạch", "chương trình")
_ISSUES_A_PLAN = rx(r"^\s*,?\s*(?:về\s+việc\s+|v/v\s+)?ban\s+hành\s+(?:kế\s+hoạch|chương\s+trình)")
_SUMMARY_STOP = rx(r"[;:]|\.(?=\s|$)|,\s*(?=(?:trong|đến|tính|từ|đã|sẽ|nay)(?!\w))")
_SUMMARY_CHARS = 200
_PLAN_YEAR = rx(r"(?<!\w)năm\s+(?P<y>(?:19|20)\d{2})(?!\d)(?!\s*[-–]\s*\d)")
# a year in the summary that is not the plan's: a law's, a stage's, an index's, a date's
_OTHER_YEAR = rx(r"luật|pháp\s+lệnh|hiến\s+pháp|nghị\s+quyết|nghị\s+định|giai\s+đoạn|chỉ\s+số|"
                 r"(?<!\w)trong(?!\w)|đến\s+hết|tháng\s+\d{1,2}\s*$")


@dataclass(frozen=True)
class _Plan:
    ref: Ref
    year: int  # the year the citation says the plan is for
    issued: int | None  # the year it was issued in (its date), None when not given
    month: int | None


def _plans(reading: Reading) -> list[_Plan]:
    """Each citation of a plan that says which year the plan is for."""
    out = []
    by_text: dict[tuple[int, str], list[Ref]] = defaultdict(list)
    for r in reading.refs:
        by_text[(r.t.index, r.t.place)].append(r)
    for refs in by_text.values():
        for k, r in enumerate(refs):
            text = r.t.text
            end = min(len(text), r.end + _SUMMARY_CHARS,
                      refs[k + 1].start if k + 1 < len(refs) else len(text))
            stop = _SUMMARY_STOP.search(text, r.end, end)
            summary = text[r.end:stop.start() if stop else end]
            plan = r.type_word.lower() in _PLAN_TYPES or _ISSUES_A_PLAN.match(summary)
            year = _PLAN_YEAR.search(summary) if plan else None
            if year is None or _OTHER_YEAR.search(summary[:year.start()]):
                continue
            day = parse_date_text(r.date_text).day if r.date_text else None
            out.append(_Plan(r, int(year["y"]), day.year if day else None,
                             day.month if day else None))
    return out


def _is_plan_year_ok(plan: _Plan, own: int | None) -> bool:
    """A plan is for the report's year, or the year it was issued in, or (issued in the last
    quarter) the next one."""
    if plan.issued is None or own is None:
        return True
    return plan.year in (own, plan.issued) or (
        plan.year == plan.issued + 1 and (plan.month or 0) >= 10)


@whole_report
def check_plan_years(reading: Reading, out: Out) -> None:
    """A plan cited for one year in one place and another year elsewhere, or for a year that is
    neither the report's nor the plan's own."""
    ctx = reading.context
    own = ctx.period.year if ctx.period else None
    whose = "văn bản này" if ctx.kind == "plan" else "kỳ báo cáo"
    cited: dict[str, list[_Plan]] = defaultdict(list)
    for plan in _plans(reading):
        r = plan.ref
        cited[f"{r.number.lstrip('0')}/{r.symbol.upper()}"].append(plan)
    for plans in cited.values():
        issued = {p.issued for p in plans} - {None}
        first = plans[0]
        for plan in plans:
            r = plan.ref
            ex = excerpt(r.t.text, r.start, r.end)
            base = {"type_word": cap(r.type_word), "reference": r.reference}
            if len(issued) <= 1 and plan.year != first.year:
                out.bad("text.plan-year", r.t, r.start, ex, found=plan.year,
                        expected=first.year, **base,
                        problem=f"được dẫn là kế hoạch năm {first.year} ({first.ref.t.place}) "
                                f"và năm {plan.year} ({r.t.place})")
            elif not _is_plan_year_ok(plan, own):
                out.bad("text.plan-year", r.t, r.start, ex, found=plan.year, expected=own,
                        **base, problem=f"được dẫn là kế hoạch năm {plan.year}, không phải năm "
                                        f"của {whose} ({own}) cũng không phải năm ban hành "
                                        f"({plan.issued})")
            else:
                out.ok("text.plan-year", r.t, r.start, ex)


# ------------------------------------------------------------------ documents issued in the period

_ISSUED = rx(r"(?<!\w)ban\s+hành(?!\w)")
_FULL_STOP = re.compile(r"[.!?](?=\s+\S)")
_BARE_PERIOD = rx(r"trong\s+(?P<what>kỳ|quý|năm|0?6\s+tháng|0?9\s+tháng)(?!\w)")
_BARE_KINDS = {"kỳ": None, "quý": "Q", "năm": "Y", "6": "H1", "06": "H1", "9": "9M", "09": "9M"}
_CITED = rx(r"(?:thực\s+hiện|căn\s+cứ|theo|triển\s+khai|cụ\s+thể\s+ho[áa]|tham\s+mưu)"
            r"(?:\s+\S+){0,3}\s*$")
_OTHER_BODY = rx(r"^[^;]{0,60}?(?<!\w)(?:của|do)\s+(?:thủ\s+tướng|chính\s+phủ|bộ|ban\s+chấp\s+hành|"
                 r"tỉnh\s+ủy|tỉnh\s+uỷ|huyện\s+ủy|huyện\s+uỷ|thành\s+ủy|trung\s+ương|"
                 r"(?:(?:chủ\s+tịch\s+)?(?:ubnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân)|hđnd|"
                 r"hội\s+đồng\s+nhân\s+dân)\s+(?P<noun>tỉnh|huyện|thành\s+phố|quận|thị\s+xã))")
_LIST_ITEM = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}\))")


def _names_own_period(text: str, p) -> bool | None:
    """Whether ``text`` (the words before the documents) names the report's period (True),
    another period (False), or none (None)."""
    phrases = [x for x in period_phrases(text) if x.kind]
    if phrases:
        x = phrases[-1]
        return x.kind == p.kind and (x.kind != "Q" or x.quarter == p.quarter) and (
            x.year is None or x.year == p.year)
    m = _BARE_PERIOD.search(text)
    if m is None:
        return None
    kind = _BARE_KINDS[m["what"].split()[0].lower()]
    return kind is None or kind == p.kind


def _cue(text: str, s: int, e: int, refs: list[Ref]) -> re.Match | None:
    """The first "ban hành" of the sentence ``text[s:e]`` that the unit does, not one in the
    summary of a document it cites ("Quyết định số … về việc ban hành quy chế")."""
    for m in _ISSUED.finditer(text, s, e):
        cited = [r for r in refs if r.end <= m.start()]
        if not cited or re.search(r"[,;]", text[cited[-1].end:m.start()]):
            return m
    return None


def _issued_in_period(reading: Reading) -> list[Ref]:
    """The references the text lists as issued in the report's period: those after "…ban hành…"
    in a sentence that names the period ("Trong quý, UBND phường đã ban hành …"), and those of
    the list items under such a sentence ending with ":"."""
    p = reading.context.period
    refs_of: dict[tuple[int, str], list[Ref]] = defaultdict(list)
    for r in reading.refs:
        refs_of[(r.t.index, r.t.place)].append(r)
    listed: list[Ref] = []
    for passage in reading.passages:
        for n, t in enumerate(passage):
            text, refs = t.text, refs_of.get((t.index, t.place), [])
            starts = [0] + [m.end() for m in _FULL_STOP.finditer(text)]
            for s, e in zip(starts, starts[1:] + [len(text)]):
                in_sentence = [r for r in refs if s <= r.start < e]
                cue = _cue(text, s, e, in_sentence)
                if cue is None:
                    continue
                after = [r for r in in_sentence if r.start >= cue.end()]
                words = text[s:cue.start()] + " " + text[cue.end():after[0].start if after else e]
                if not _names_own_period(words, p):
                    continue
                listed += after
                if e == len(text) and text.rstrip().endswith(":"):
                    for item in passage[n + 1:]:
                        if not _LIST_ITEM.match(item.text):
                            break
                        listed += refs_of.get((item.index, item.place), [])
    return listed


def _cited_only(r: Ref, own_level: str | None) -> bool:
    """A reference the sentence cites rather than lists as the unit's own: "thực hiện Kế hoạch
    số … của UBND tỉnh"."""
    if _CITED.search(r.t.text[max(0, r.start - 40):r.start]):
        return True
    m = _OTHER_BODY.match(r.t.text, r.end)
    if m is None:
        return False
    return m["noun"] is None or NOUN_LEVELS.get(" ".join(m["noun"].split()).lower()) != own_level


@whole_report
def check_issued_in_period(reading: Reading, out: Out) -> None:
    """Documents listed as issued in the period, dated outside its official data window
    (:func:`cchc_lib.judge.issued_in_period`)."""
    ctx = reading.context
    if ctx.period is None or ctx.kind == "plan":
        return
    own_level = ctx.unit.level if ctx.unit else unit_noun(ctx.unit_text)[1]
    usual = judge.usual_agency(parse_symbol(r.number, r.symbol) for r in reading.refs)
    for r in dict.fromkeys(_issued_in_period(reading)):
        sym = parse_symbol(r.number, r.symbol)
        if not r.date_text or sym.problem or sym.year or _cited_only(r, own_level) or (
                usual is not None and judge.agency(sym) != usual):
            continue
        ex = excerpt(r.t.text, r.start, r.end)
        v = judge.issued_in_period(r.label, r.date_text, ctx.period, report_day=ctx.report_date)
        if v is None:
            out.ok("document.outside-window", r.t, r.start, ex)
        else:
            out.bad(v.rule, r.t, r.start, ex, found=v.found, expected=v.expected,
                    severity=v.severity, **v.params)
