"""Claims on numbers: a fraction and its percent, a done count larger than its total, a count of
units larger than its whole (``14/12 thôn``), two amounts that give their share of the same
estimate.  A count's share of a whole the text states elsewhere is :mod:`~cchc_lib.audit.wholes`'."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, each_text, whole_report
from cchc_lib.audit.text import (COUNT, NB, PCT, TYPE_ALT, Text, cap, clause_before, excerpt,
                                 inside, quote, rx, tail)
from cchc_lib.formatting import fmt_number, fmt_percent, round_half_up
from cchc_lib.numparse import NumberFormatError, parse_number
from cchc_lib.rates import percent as exact_percent
from cchc_lib.rates import printed_decimals, rate_matches

__all__ = ["count", "percent", "typed_percent", "computed", "indicator_words", "NOUNS",
           "UNIT_NOUNS", "check_fractions", "check_unit_counts", "check_budget"]


def count(text: str) -> int | None:
    """A count as printed (``1.154``), None when it is not one."""
    try:
        value = parse_number(text, kind="count").value
    except NumberFormatError:
        return None
    return value if isinstance(value, int) else None


def percent(text: str) -> int | float | None:
    """A percent as printed (``96,2``), None when it is not one."""
    try:
        return parse_number(text, kind="percent").value
    except NumberFormatError:
        return None


def typed_percent(x: int | float) -> str:
    """A percent as a message shows it: ``96,2%``."""
    return f"{fmt_number(x)}%"


def computed(typed: int | float, num: int, den: int) -> str:
    """``num/den`` as a percent with the decimals ``typed`` shows (at least one), rounded
    exactly half up, as the finding's ``expected``."""
    digits = max(1, printed_decimals(typed))
    return fmt_percent(exact_percent(num, den, digits), digits)


# ------------------------------------------------------------------ fractions and rates

_FRACTION = rx(rf"{NB}(?P<num>{COUNT})\s*/\s*(?P<den>{COUNT})(?![\w/]|[.,]\d)")
_PCT_AFTER_FRACTION = rx(
    rf"\s*+(?P<noun>[^\W\d_]+(?:\s+[^\W\d_]+){{0,5}})?\s*+[(,]?\s*+"
    rf"(?:(?:(?:tỷ|tỉ)\s+lệ|đạt|chiếm|bằng|là|=|:)\s*+){{0,3}}(?P<pct>{PCT})\s*%")
_IS_AFTER = rx(r"\s+là\s")
_NOT_A_FRACTION_BEFORE = rx(r"(?:ngày|đường|phố|trường|thôn|tổ|khu|số\s+nhà|số|điều|khoản|"
                            r"mục|tháng|quý)\s*$")
_LAW_BEFORE = rx(rf"(?:{TYPE_ALT}|luật|pháp\s+lệnh)\s*$")
_STANDARD_BEFORE = rx(r"(?:chuẩn|phổ\s+thông|lớp|hệ)\s*$")
_FUNCTION_WORDS = {"đạt", "là", "được", "có", "gồm", "chiếm", "bằng", "với", "trên", "của", "và",
                   "theo", "quy", "định"}


def indicator_words(text: str, pos: int) -> str:
    words = clause_before(text, pos).split()
    while words and words[-1].casefold() in _FUNCTION_WORDS:
        words.pop()
    return " ".join(words[-5:])


@each_text()
def check_fractions(t: Text, reading: Reading, out: Out) -> None:
    """``13/21 (76,5%)``: a fraction and its percent; ``21/25 người``: done not over total."""
    text, skip = t.text, reading.skip(t)
    for m in _FRACTION.finditer(text):
        if inside(m.span(), skip):
            continue
        num, den = count(m["num"]), count(m["den"])
        if num is None or den is None:
            continue
        before = tail(text, m.start())
        if (1900 <= den <= 2100 and num <= 12) or (num, den) == (24, 7):
            continue  # "tháng 6/2024", "24/7"
        if _NOT_A_FRACTION_BEFORE.search(before) or (
                1990 <= den <= 2100 and _LAW_BEFORE.search(before)):
            continue  # a date, an address, a numbered item; "Nghị quyết 35/2021" (number/year)
        if _IS_AFTER.match(text, m.end()) or (num == den and _STANDARD_BEFORE.search(before)):
            continue  # "đạt chuẩn 12/12 là 21/21": a standard, not a fraction
        if den <= 12 and num <= 31 and _TIME_BEFORE.search(before):
            continue  # "Sáng 15/3 tổ dân phố …", "đến 31/12 các xã …": a day and month
        unit = _UNIT_AFTER.match(text, m.end())
        if unit and _names_a_unit(text, unit.end()):
            unit = None
        if unit:
            noun = " ".join(unit["noun"].split())
            _unit_count(t, out, m.start(), f"{m['num']}/{m['den']} {noun}", num, den, noun,
                        text)
            if num > den:
                continue
        words = indicator_words(text, m.start())
        indicator = cap(f"{words} {m['num']}/{m['den']}".strip())
        ex = excerpt(text, m.start(), m.end())
        pm = _PCT_AFTER_FRACTION.match(text, m.end())
        if pm and not rx(r"hạn|tăng|giảm|so\s+với").search(pm["noun"] or ""):
            typed = percent(pm["pct"])
            if typed is None:
                continue
            if den == 0:
                out.unsure("rate.mismatch", t, m.start(), ex, "mẫu số bằng 0")
            elif rate_matches(typed, num, den):
                out.ok("rate.mismatch", t, m.start(), ex)
            else:
                out.bad("rate.mismatch", t, m.start(), ex, found=typed,
                        expected=exact_percent(num, den, max(1, printed_decimals(typed))),
                        indicator=indicator, typed=typed_percent(typed), num=fmt_number(num),
                        den=fmt_number(den), computed=computed(typed, num, den))
            continue
        if unit:
            continue  # the count of units was checked above
        if num <= den:
            out.ok("value.done-exceeds-total", t, m.start(), ex)
        elif den <= 12 and num <= 31:
            out.unsure("value.done-exceeds-total", t, m.start(), ex,
                       f"{m['num']}/{m['den']} có tử số lớn hơn mẫu số, nhưng cũng có thể là "
                       "một ngày/tháng")
        else:
            out.bad("value.done-exceeds-total", t, m.start(), ex, found=num, expected=den,
                    indicator=indicator, done=fmt_number(num), total=fmt_number(den))


NOUNS = (r"hồ\s+sơ|thủ\s+tục(?:\s+hành\s+chính)?|TTHC|nhiệm\s+vụ|văn\s+bản|người|cán\s+bộ|"
         r"công\s+chức|viên\s+chức|biên\s+chế|phiếu|tin\s+bài|cuộc|lượt|đơn|trường\s+hợp|"
         r"cơ\s+quan|đơn\s+vị|kiến\s+nghị|phản\s+ánh|vụ\s+việc")


def _unit_count(t: Text, out: Out, start: int, shown: str, num: int, den: int,
                noun: str, text: str) -> None:
    """A count of units out of a whole: the part cannot be larger than the whole."""
    ex = excerpt(text, start, start + len(shown))
    if num <= den:
        out.ok("count.part-exceeds-whole", t, start, ex)
        return
    counted = cap(f"{indicator_words(text, start)} {' '.join(shown.split())}".strip())
    out.bad("count.part-exceeds-whole", t, start, ex, found=num, expected=den, counted=counted,
            part=fmt_number(num), whole=fmt_number(den), noun=noun)


# ------------------------------------------------------------------ counts of units

#: Units a report counts out of a whole: "7/12 thôn", "13/13 huyện", "19/19 sở, ban, ngành".
UNIT_NOUNS = (r"tổ\s+dân\s+phố|khu\s+phố|khu\s+dân\s+cư|điểm\s+trường|hộ\s+gia\s+đình|"
              r"hợp\s+tác\s+xã|doanh\s+nghiệp|thị\s+trấn|thị\s+xã|đặc\s+khu|thành\s+phố|"
              r"đơn\s+vị|cơ\s+quan|trường(?:\s+học)?|thôn|ấp|bản|buôn|bon|plei|làng|xóm|khóm|"
              r"sóc|tổ|xã|phường|huyện|quận|tỉnh|phòng|ban|sở|ngành|trạm|hộ")
_UNIT_AFTER = rx(rf"\s*(?P<noun>{UNIT_NOUNS})(?!\w)")
# "Sáng 15/3 thôn …": a day and month before a unit's name, not a count.
_TIME_BEFORE = rx(r"(?:sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới|trước|sau|vào|ngày)\s*$")
_PART_OF_WHOLE = rx(rf"{NB}(?P<num>{COUNT})\s+(?:(?:{UNIT_NOUNS})\s+)?(?:trên|trong)\s+"
                    rf"(?:(?:tổng\s+số|tổng|số)\s+)?(?P<den>{COUNT})\s+(?P<noun>{UNIT_NOUNS})"
                    r"(?!\w)")


def _names_a_unit(text: str, end: int) -> bool:
    """Whether a unit noun ending at ``end`` is followed by a name (``thôn Tân Lập``, ``khu
    phố 3``): a unit named, not units counted."""
    rest = text[end:end + 3].lstrip()
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


@each_text()
def check_unit_counts(t: Text, reading: Reading, out: Out) -> None:
    """``22 trên tổng số 20 thôn``: a count of units out of a whole, written in words."""
    text, skip = t.text, reading.skip(t)
    for m in _PART_OF_WHOLE.finditer(text):
        if inside(m.span(), skip) or _names_a_unit(text, m.end()):
            continue
        num, den = count(m["num"]), count(m["den"])
        if num is None or den is None:
            continue
        _unit_count(t, out, m.start(), m.group(0), num, den, " ".join(m["noun"].split()), text)


# ------------------------------------------------------------------ budget

_BUDGET = rx(rf"{NB}(?P<amt>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)\s*"
             rf"(?P<unit>tỷ\s+đồng|triệu\s+đồng|nghìn\s+đồng|ngàn\s+đồng|đồng)\s*+,?\s*+"
             rf"(?:(?:đạt|bằng|=|là|(?:tỷ|tỉ)\s+lệ)\s*+)*(?P<pct>{PCT})\s*%\s*+"
             rf"(?:(?:so\s+với|của|trên)\s+)?(?P<est>(?:dự\s+toán|kế\s+hoạch)[^,;.()%\d]*)?")
_MULTIPLIER = {"tỷ": 10 ** 9, "triệu": 10 ** 6, "nghìn": 1000, "ngàn": 1000, "đồng": 1}
_ESTIMATE_NOISE = {"xã", "phường", "thị", "trấn", "đặc", "khu", "được", "đã", "năm", "số", "đầu"}


@dataclass(frozen=True)
class _Amount:
    t: Text
    start: int
    text: str
    key: str
    low: Fraction
    high: Fraction
    point: Fraction


def _amounts(texts: Sequence[Text]) -> list[_Amount]:
    out = []
    for t in texts:
        for m in _BUDGET.finditer(t.text):
            if not m["est"]:
                continue  # the share of an estimate the sentence does not name
            typed = percent(m["pct"])
            try:
                reading = parse_number(m["amt"], kind="amount")
            except NumberFormatError:
                try:
                    reading = parse_number(m["amt"], kind="decimal")
                except NumberFormatError:
                    continue
            if not typed or reading.value is None:
                continue
            mult = _MULTIPLIER[m["unit"].split()[0].lower()]
            amount = Fraction(str(reading.value)) * mult
            decimals = len(m["amt"].split(",")[1]) if "," in m["amt"] else 0
            half_amount = Fraction(mult, 2 * 10 ** decimals) if mult > 1 else Fraction(0)
            half = Fraction(1, 2 * 10 ** printed_decimals(typed))
            pct = Fraction(str(typed))
            low = (amount - half_amount) * 100 / (pct + half)
            high = (amount + half_amount) * 100 / (pct - half) if pct > half else Fraction(10 ** 18)
            words = [w for w in m["est"].casefold().split() if w not in _ESTIMATE_NOISE]
            out.append(_Amount(t, m.start(), " ".join(m.group(0).split()), " ".join(words), low,
                               high, amount * 100 / pct))
    return out


def _money(x: Fraction) -> str:
    value = float(x)
    if value >= 10 ** 8:
        return f"{fmt_number(round_half_up(value / 10 ** 6, 1), 1)} triệu đồng"
    return f"{fmt_number(int(round_half_up(value)))} đồng"


#: An amount is compared with at most this many amounts of the same estimate before it (a
#: report gives the share of an estimate a few times; comparing every pair was quadratic).
_BUDGET_WINDOW = 4


@whole_report
def check_budget(reading: Reading, out: Out) -> None:
    """Two amounts that give their share of the same estimate must imply the same estimate.

    Each amount is compared with the few amounts of the same estimate just before it."""
    groups: dict[str, list[_Amount]] = defaultdict(list)
    for a in _amounts([t for t in reading.texts if not t.header]):
        groups[a.key].append(a)
    shown: dict[int, tuple[str, str]] = {}  # each amount quoted and its estimate written once

    def show(a: _Amount) -> tuple[str, str]:
        if id(a) not in shown:
            shown[id(a)] = (f'"{quote(a.text)}"', _money(a.point))
        return shown[id(a)]

    for key, amounts in groups.items():
        generic = key in ("dự toán", "kế hoạch", "dự toán giao", "kế hoạch giao")
        for i, first in enumerate(amounts):
            for second in amounts[i + 1:i + 1 + _BUDGET_WINDOW]:
                ex = excerpt(second.t.text, second.start, second.start + len(second.text))
                if first.low <= second.high and second.low <= first.high:
                    out.ok("budget.estimates-differ", second.t, second.start, ex)
                    continue
                (quote1, money1), (quote2, money2) = show(first), show(second)
                params = {"first": quote1, "first_estimate": money1,
                          "second": quote2, "second_estimate": money2}
                if generic:
                    out.unsure("budget.estimates-differ", second.t, second.start, ex,
                               f"{params['first']} ngụ ý dự toán khoảng {params['first_estimate']}"
                               f", còn câu này ngụ ý khoảng {params['second_estimate']}; câu "
                               "không nói rõ hai tỷ lệ có cùng tính trên một dự toán không")
                else:
                    out.bad("budget.estimates-differ", second.t, second.start, ex, **params)
