"""What a report says about itself: the period named in its title, its own date, the unit that
issues it, and the units it names.

:func:`detect_context` gathers them into a :class:`~cchc_lib.audit.claim.ReportContext`; the
pieces (period phrases, the title, the report's own date, unit names) are read by the claim
families too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from cchc_lib import periods, units
from cchc_lib.audit.claim import ReportContext
from cchc_lib.audit.document import Block
from cchc_lib.audit.limits import EXCERPT_LIMIT
from cchc_lib.audit.text import (DATE_NUM, DATE_WORDS, Text, clean, date_digits, prepare, quote,
                                 rx, tail)
from cchc_lib.errors import CchcError
from cchc_lib.model import Period, Unit
from cchc_lib.textparse import NOUN_LEVELS, nfc, parse_date_text

__all__ = ["detect_context", "context_of", "Phrase", "period_phrases", "title_period",
           "find_title", "document_kind", "Dated", "find_report_date", "Name", "named_units", "detect_unit_text",
           "resolve_unit", "parse_period_hint"]


@dataclass(frozen=True)
class Phrase:
    """A period named in the text: ``quý III/2025``, ``6 tháng đầu năm 2023``, ``năm 2024``."""

    kind: str  # Q, H1, H2, 9M, Y, or "" for a period the regime does not know
    quarter: int | None
    year: int | None
    start: int
    end: int
    text: str


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = rx(
    r"(?<!\w)(?:quý\s+(?P<q>IV|III|II|I|[1-4])(?!\w)(?:\s*(?:/|-|năm)\s*(?P<qy>(?:19|20)\d{2}))?"
    r"|(?P<m>0?6|0?9)\s+tháng(?:\s+(?P<pos>đầu|cuối))?\s+năm(?:\s+(?P<my>(?:19|20)\d{2}))?"
    r"|(?:cả\s+)?năm\s+(?P<y>(?:19|20)\d{2}))(?!\w)")
_DATE_WORD_BEFORE = rx(r"tháng\s+\d{1,2}\s*$")


def period_phrases(text: str) -> list[Phrase]:
    out = []
    for m in _PERIOD.finditer(text):
        if m["q"]:
            kind, quarter, year = "Q", _ROMAN[m["q"].lower()], m["qy"]
        elif m["m"]:
            six = m["m"].lstrip("0") == "6"
            late = (m["pos"] or "").lower() == "cuối"
            kind = ("H2" if late else "H1") if six else ("" if late else "9M")
            quarter, year = None, m["my"]
        else:
            if _DATE_WORD_BEFORE.search(tail(text, m.start())):  # "ngày 07 tháng 3 năm 2024"
                continue
            kind, quarter, year = "Y", None, m["y"]
        out.append(Phrase(kind, quarter, int(year) if year else None, m.start(), m.end(),
                          m.group(0)))
    return out


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def title_period(text: str) -> Period | None:
    """The report's period from its title: the first period named, in the year it names (or,
    when it names none, the last year of the title: "6 tháng đầu năm và … 6 tháng cuối năm
    2024")."""
    phrases = [p for p in period_phrases(text) if p.kind not in ("H2", "")]
    if not phrases:
        return None
    first = phrases[0]
    years = _YEARS.findall(text)
    year = first.year or (int(years[-1]) if years else None)
    if year is None:
        return None
    try:
        return periods.parse_period(f"{year}-Q{first.quarter}" if first.kind == "Q"
                                    else str(year) if first.kind == "Y" else f"{year}-{first.kind}")
    except CchcError:
        return None


_CCHC = rx(r"cải\s+cách\s+hành\s+chính|cchc")
_TITLE_OPENING = rx(r"(?:v/v|về\s+việc|báo\s+cáo|kết\s+quả|tình\s+hình|công\s+tác|tổng\s+kết|"
                    r"sơ\s+kết)\b")


_TYPE_LINE = rx(r"(?P<type>báo\s+cáo|kế\s+hoạch)")
# A headline: a news item copied from a web page has no "BÁO CÁO" line; its first short lines
# hold the headline ("Xã Quảng Tân sơ kết công tác cải cách hành chính 6 tháng đầu năm 2024").
_HEADLINE_LINES, _HEADLINE_CHARS = 4, 200


def find_title(texts: Sequence[Text]) -> Text | None:
    """The trích yếu under "BÁO CÁO" or "KẾ HOẠCH" (or the first line on CCHC that names a
    period, or a web page's headline)."""
    body = [t for t in texts if not t.header]
    for i, t in enumerate(body[:40]):
        if _TYPE_LINE.fullmatch(t.text.strip()) and i + 1 < len(body):
            nxt = body[i + 1]
            if title_period(nxt.text):
                return nxt
    for t in body[:40]:
        if _TITLE_OPENING.match(t.text) and _CCHC.search(t.text) and title_period(t.text):
            return t
    for t in body:
        if re.match(r"trên\s+đây\s+là\s+báo\s+cáo", t.text, re.I) and title_period(t.text):
            return t
    for t in body[:_HEADLINE_LINES]:  # a headline: short, no full stop at its end
        if len(t.text) <= _HEADLINE_CHARS and not t.text.rstrip().endswith((".", ";", ":")) \
                and _CCHC.search(t.text) and title_period(t.text):
            return t
    return None


def document_kind(texts: Sequence[Text]) -> str:
    """``plan`` when the document's type line (the one above its trích yếu) is "KẾ HOẠCH",
    else ``report``."""
    for t in [t for t in texts if not t.header][:40]:
        m = _TYPE_LINE.fullmatch(t.text.strip())
        if m:
            return "plan" if m["type"].lower().startswith("k") else "report"
    return "report"


@dataclass(frozen=True)
class Dated:
    """The report's own date as printed."""

    day: date | None
    text: str
    place: str
    index: int
    span: tuple[int, int]
    place_name: str  # the place of "<place>, ngày …", "" when read from "Kèm theo …"


_PLACE_DATE = rx(r"^(?P<place>[^\d,;:()]{2,40}?),\s*(?P<date>ngày\s+(?P<d>\d{1,2})\s+tháng\s+"
                 r"(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))")
_ANNEXED = rx(rf"kèm\s+theo\s+(?:báo\s+cáo|văn\s+bản|công\s+văn|tờ\s+trình)\s+số\s*[^\s/]*\s*/"
              rf"\s*\S+\s+ngày\s+(?P<date>{DATE_NUM}|{DATE_WORDS})")


def find_report_date(texts: Sequence[Text]) -> Dated | None:
    for t in texts[:40]:
        m = _PLACE_DATE.search(t.text)
        if m and not re.match(r"\s*(?:số|ngày|kèm)\b", m["place"], re.I):
            printed = f"{int(m['d']):02d}/{int(m['m']):02d}/{m['y']}"
            return Dated(parse_date_text(printed).day, printed, t.place, t.index,
                         m.span("date"), m["place"].strip())
    for t in texts:
        m = _ANNEXED.search(t.text)
        if m:
            printed = date_digits(m["date"])
            return Dated(parse_date_text(printed).day, printed, t.place, t.index,
                         m.span("date"), "")
    return None


_UNIT_NOUN = rx(r"(?<!\w)(?P<body>(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+)?"
                r"(?P<noun>thành\s+phố|thị\s+trấn|thị\s+xã|đặc\s+khu|phường|huyện|quận|tỉnh|xã)"
                r"\s+(?=\S)")


@dataclass(frozen=True)
class Name:
    """A unit named in the text: ``xã Đắc Ha`` (noun, level, proper name)."""

    t: Text
    noun: str
    level: str | None
    name: str
    start: int
    end: int
    body: bool  # preceded by UBND / Ủy ban nhân dân


def _name_after(text: str, pos: int, noun: str) -> tuple[str, int] | None:
    """The proper name that starts at ``pos``: capitalised words, up to four."""
    words: list[str] = []
    end = pos
    for tok in re.finditer(r"\S+", text[pos:pos + 80]):
        word = tok.group()
        core = word.rstrip(".,;:)]”\"'!?/")
        if not core or core[0] in "(“\"[":
            break
        first = core[0].isupper() or (not words and core[0].isdigit() and noun[:1].isupper())
        if not first:
            break
        words.append(core)
        end = pos + tok.start() + len(core)
        if core != word or len(words) == 4:
            break
    return (" ".join(words), end) if words else None


def named_units(texts: Sequence[Text]) -> list[Name]:
    out = []
    for t in texts:
        for m in _UNIT_NOUN.finditer(t.text):
            noun = " ".join(m["noun"].split())
            found = _name_after(t.text, m.end(), noun)
            if not found:
                continue
            name, end = found
            if name.isupper():
                name = name.title()
            out.append(Name(t, noun.lower(), NOUN_LEVELS.get(noun.lower()), name, m.start(), end,
                            bool(m["body"])))
    return out


_ISSUER = re.compile(nfc(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(XÃ|PHƯỜNG|THỊ\s+TRẤN|ĐẶC\s+KHU)"
                         r"\s+([^\n\t]+)"))
_OF_UNIT = rx(r"của\s+(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+(xã|phường|thị\s+trấn|đặc\s+khu)\s+")


# The issuer of a district's or province's own report ("ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLONG"),
# read when no commune issues it; the lowest level named is the issuer (the one above it is
# its superior body).
_HIGHER_ISSUER = re.compile(nfc(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|"
                                r"THỊ\s+XÃ)\s+([^\n\t]+)"))
_LEVEL_RANK = {"province": 0, "city": 1, "district": 2}


def detect_unit_text(texts: Sequence[Text]) -> str:
    higher: list[tuple[int, str]] = []
    for t in texts[:40]:
        m = _ISSUER.search(t.text.strip())
        if m:
            return f"{' '.join(m[1].split()).lower()} {' '.join(m[2].split()).title()}"
        m = _HIGHER_ISSUER.search(t.text.strip())
        if m:
            noun = " ".join(m[1].split()).lower()
            higher.append((_LEVEL_RANK[NOUN_LEVELS[noun]],
                           f"{noun} {' '.join(m[2].split()).title()}"))
    if higher:
        return max(higher)[1]
    for t in texts:
        for m in _OF_UNIT.finditer(t.text):
            found = _name_after(t.text, m.end(), m[1])
            if found:
                return f"{' '.join(m[1].split()).lower()} {found[0]}"
    own = [n for n in named_units(texts) if n.level == "commune"]
    if not own:
        return ""
    by_key = Counter(units.loose_key(n.name) for n in own)
    best = by_key.most_common(1)[0][0]
    first = next(n for n in own if units.loose_key(n.name) == best)
    return f"{first.noun} {first.name}"


# The superior body's line above the issuer (Nghị định 30): "UBND HUYỆN ĐẮK GLONG".
_SUPERIOR = re.compile(nfc(r"^(?:UBND|(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN)\s+"
                           r"(HUYỆN|QUẬN|THỊ\s+XÃ|THÀNH\s+PHỐ|TỈNH)\s+([^\n\t]+)$"))


def detect_superior_text(texts: Sequence[Text]) -> str:
    """``huyện Đắk Glong`` from a header line "UBND HUYỆN ĐẮK GLONG", or ""."""
    for t in texts[:10]:
        m = _SUPERIOR.match(t.text.strip())
        if m:
            return f"{' '.join(m[1].split()).lower()} {' '.join(m[2].split()).title()}"
    return ""


def resolve_unit(text: str, era: str | None, superior: str = "") -> Unit | None:
    """The one unit ``text`` names; a name shared by several (xã Quảng Sơn stood in four
    districts before 2025) is narrowed by the superior body's header line when there is one."""
    if not text:
        return None
    for query in (text, f"{text}, {superior}" if superior else None):
        if query is None:
            continue
        try:
            return units.find_unit(query, era=era)
        except CchcError:
            continue
    return None


def parse_period_hint(hint: str) -> Period | None:
    try:
        return periods.parse_period(hint)
    except CchcError:
        return title_period(clean(hint))


def detect_context(blocks: Sequence[Block], *, unit_hint: str | None = None,
                   period_hint: str | None = None) -> ReportContext:
    """The report's own period (from its title), date (the place-and-date line, or "Kèm theo
    Báo cáo số … ngày …") and unit (the issuer, "của UBND xã …", or the commune named most).

    ``unit_hint`` (a code or a name) and ``period_hint`` (``2024-H1`` or a Vietnamese label)
    override what the text says.  The unit is None when it cannot be resolved to one unit.
    """
    texts, _ = prepare(blocks)
    return context_of(texts, unit_hint=unit_hint, period_hint=period_hint)


def context_of(texts: Sequence[Text], *, unit_hint: str | None = None,
               period_hint: str | None = None) -> ReportContext:
    """:func:`detect_context` on a running text already prepared."""
    title = find_title(texts)
    period = title_period(title.text) if title else None
    period_text = quote(title.text, EXCERPT_LIMIT) if title else ""
    if period_hint:
        hinted = parse_period_hint(period_hint)
        if hinted is not None:
            period, period_text = hinted, period_hint
    dated = find_report_date(texts)
    report_date = dated.day if dated else None
    era = (units.era_for(period.last_day) if period else
           units.era_for(report_date) if report_date else None)
    unit_text = detect_unit_text(texts)
    unit = resolve_unit(unit_hint or unit_text, era, detect_superior_text(texts))
    if unit_hint and not unit_text:
        unit_text = unit_hint
    return ReportContext(period, period_text, report_date, dated.text if dated else "", unit,
                         unit_text, document_kind(texts))
