"""Read what reports print: dates (``07/3/2024``), period labels (``6 tháng đầu năm 2023``),
document symbols (``15/QĐ-UBND``) and the common noun of a unit's name.

Shared by the checks of a submission and by the audit of a hand-written report,
so that both read the same text the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import yaml

from cchc_lib.vntext import nfc

__all__ = [
    "DateText", "parse_date_text", "PeriodLabel", "parse_period_label", "Symbol", "parse_symbol",
    "type_abbreviation", "type_abbreviations", "unit_noun", "nfc", "NOUN_LEVELS",
]

_DATE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")




@dataclass(frozen=True)
class DateText:
    """A printed date: its text, the day it names (None when impossible) and why not."""

    text: str
    day: date | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.day is not None


def parse_date_text(text: str) -> DateText:
    """Read ``dd/mm/yyyy`` (one- or two-digit day and month).  Never raises.

    ``32/05/2024`` gives ``day=None`` with the problem ``ngày 32 không có trong tháng 5``.
    """
    m = _DATE.match(text or "")
    if not m:
        return DateText(text, None, "không đúng dạng ngày/tháng/năm (dd/mm/yyyy)")
    d, mth, y = (int(g) for g in m.groups())
    if not 1 <= mth <= 12:
        return DateText(text, None, f"không có tháng {mth}")
    try:
        return DateText(text, date(y, mth, d))
    except ValueError:
        return DateText(text, None, f"ngày {d} không có trong tháng {mth} năm {y}")


@dataclass(frozen=True)
class PeriodLabel:
    """What a printed period label names: kind (Q, H1, 9M, Y), quarter, year (None if unsaid)."""

    text: str
    kind: str | None
    quarter: int | None
    year: int | None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_LABELS = (
    (re.compile(r"\bquý\s+(iv|iii|ii|i|[1-4])\b", re.I), "Q"),
    (re.compile(r"\b0?6\s+tháng\s+đầu\s+năm\b", re.I), "H1"),
    (re.compile(r"\b0?9\s+tháng\s+đầu\s+năm\b", re.I), "9M"),
    (re.compile(r"\b0?6\s+tháng\s+cuối\s+năm\b", re.I), "H2"),
    (re.compile(r"^\s*năm\s+\d{4}\b", re.I), "Y"),
)
_YEAR = re.compile(r"\b(?:năm\s+)?((?:19|20)\d{2})\b")


def parse_period_label(text: str) -> PeriodLabel:
    """``quý I`` → (Q, 1, None); ``6 tháng đầu năm 2023`` → (H1, None, 2023)."""
    text = nfc(text or "")
    kind = quarter = None
    for pattern, k in _LABELS:
        m = pattern.search(text)
        if m:
            kind = k
            if k == "Q":
                quarter = _ROMAN[m.group(1).lower()]
            break
    years = _YEAR.findall(text)
    return PeriodLabel(text, kind, quarter, int(years[-1]) if years else None)


@dataclass(frozen=True)
class Symbol:
    """A document's ``số, ký hiệu`` split into its parts; ``problem`` when malformed."""

    number: str
    symbol: str
    year: str | None  # legal documents: 34/2016/NĐ-CP
    type_abbr: str | None  # first group when it is a known type abbreviation
    issuer: str  # the remaining groups: UBND, CP, UBND-VX
    problem: str = ""


@cache
def _types() -> dict[str, str]:
    text = resources.files("cchc_lib").joinpath("data/document_types.yaml").read_text("utf-8")
    return {nfc(k).casefold(): v for k, v in yaml.safe_load(text)["types"].items()}


def type_abbreviations() -> dict[str, str]:
    """Type word (case-folded) → abbreviation, from Nghị định 30/2020 Phụ lục III."""
    return dict(_types())


def type_abbreviation(type_word: str) -> str | None:
    """``Kế hoạch`` → ``KH``; ``Công văn`` → ``""`` (no abbreviation); unknown → None."""
    return _types().get(nfc(type_word.strip()).casefold())


_GROUP = re.compile(r"^[A-ZĐ][A-Za-zĐđ]*[0-9]*$")


def parse_symbol(number: str, symbol: str) -> Symbol:
    """Split ``15`` + ``QĐ-UBND`` (or ``34`` + ``2016/NĐ-CP``) and say what is malformed."""
    number = (number or "").strip()
    symbol = nfc((symbol or "").strip())
    problems = []
    if not number:
        problems.append("thiếu số văn bản")
    elif not number.isdigit():
        problems.append(f"số văn bản {number!r} phải là chữ số")
    year = None
    rest = symbol
    m = re.match(r"^(\d{4})/(.*)$", symbol)
    if m:
        year, rest = m.group(1), m.group(2)
    groups = rest.split("-") if rest else []
    if not groups or any(not _GROUP.match(g) for g in groups):
        problems.append(f"ký hiệu {symbol!r} không đúng dạng LOẠI-CƠ QUAN (chữ in hoa, nối bằng "
                        "dấu gạch ngang, không có khoảng trắng)")
    known = set(_types().values()) - {""}
    type_abbr = groups[0] if groups and groups[0] in known else None
    issuer = "-".join(groups[1:] if type_abbr else groups)
    if type_abbr and not issuer:
        problems.append(f"ký hiệu {symbol!r} thiếu tên viết tắt của cơ quan ban hành")
    return Symbol(number, symbol, year, type_abbr, issuer, "; ".join(problems))


_NOUNS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
# The level each common noun names; "thành phố" may be a province or a district-level city.
NOUN_LEVELS = {"xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune",
               "huyện": "district", "quận": "district", "thị xã": "district",
               "thành phố": "city", "tỉnh": "province"}


def unit_noun(text: str) -> tuple[str | None, str | None, str]:
    """``xã Đắk Ha`` → (``xã``, ``commune``, ``Đắk Ha``); a bare name → (None, None, name)."""
    t = nfc(text.strip())
    low = t.casefold()
    for prefix in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
        if low.startswith(prefix):
            t, low = t[len(prefix):].strip(), low[len(prefix):].strip()
    for noun in _NOUNS:
        if low.startswith(noun + " "):
            return noun, NOUN_LEVELS[noun], t[len(noun):].strip()
    return None, None, t
