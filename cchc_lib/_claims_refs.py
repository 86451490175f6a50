"""Claims on names, for :mod:`cchc_lib.claims`: document references (type word against symbol,
malformed symbols, one document cited with different facts) and the unit's own name (spelled
several ways, a unit of another level speaking in its place)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

from cchc_lib import units
from cchc_lib._claims_context import _NOUN_LEVEL, _Dated, _names
from cchc_lib._claims_model import ReportContext
from cchc_lib._claims_text import (_DATE_NUM, _DATE_WORDS, _TYPE_ALT, _cap, _date_digits, _excerpt,
                                   _Out, _quote, _rx, _tail, _Text)
from cchc_lib.textparse import (nfc, parse_date_text, parse_symbol, type_abbreviation,
                                type_abbreviations, unit_noun)


# A message lists at most this many places or spellings, then says how many more.
_SHOWN = 10


def _some(items: list[str], sep: str = ", ", more: str = "chỗ khác") -> str:
    shown = sep.join(items[:_SHOWN])
    return shown + (f" và {len(items) - _SHOWN} {more}" if len(items) > _SHOWN else "")


# ------------------------------------------------------------------ document references


_REF = _rx(rf"(?<!\w)(?P<type>{_TYPE_ALT})\s+(?:số\s*:?\s*)?(?P<num>\d+)\s*/\s*"
           rf"(?P<sym>[0-9A-Za-zĐđ]+(?:[-/][0-9A-Za-zĐđ]+)*)(?!\w)"
           rf"(?:\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(?P<date>{_DATE_NUM}|{_DATE_WORDS}))?")


@dataclass(frozen=True)
class _Ref:
    t: _Text
    start: int
    end: int
    type_word: str
    number: str
    symbol: str
    date_text: str | None
    date_span: tuple[int, int] | None

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"

    @property
    def label(self) -> str:
        return f"{_cap(self.type_word)} số {self.reference}"


def _references(texts: Sequence[_Text]) -> list[_Ref]:
    out = []
    for t in texts:
        for m in _REF.finditer(t.text):
            if not re.search(r"[A-Za-zĐđ]", m["sym"]):
                continue
            out.append(_Ref(t, m.start(), m.end(), " ".join(m["type"].split()), m["num"],
                            m["sym"], _date_digits(m["date"]) if m["date"] else None,
                            m.span("date") if m["date"] else None))
    return out


def _agency(sym) -> str:
    """The issuing agency's abbreviation: ``UBND`` in ``KH-UBND`` and in ``UBND-VP``."""
    return sym.issuer.split("-")[0]


def _check_references(refs: Sequence[_Ref], out: _Out) -> None:
    abbr_type = {v: k for k, v in type_abbreviations().items() if v}
    parsed = [(r, parse_symbol(r.number, r.symbol)) for r in refs]
    agencies = Counter(_agency(s) for _, s in parsed if not s.problem and s.year is None)
    usual = agencies.most_common(1)[0][0] if agencies else None
    for r, s in parsed:
        t, ex = r.t, _excerpt(r.t.text, r.start, r.end)
        base = {"type_word": _cap(r.type_word), "reference": r.reference}
        if s.problem:
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=s.problem, **base)
            continue
        flagged = False
        expected = type_abbreviation(r.type_word)
        if expected is not None and s.type_abbr is not None and s.type_abbr != expected:
            need = "…/" + (f"{s.year}/" if s.year else "") + (
                f"{expected}-{s.issuer}" if expected else s.issuer)
            out.bad("document.type-symbol", t, r.start, ex, found=r.reference, expected=need,
                    abbr=s.type_abbr, abbr_type=abbr_type.get(s.type_abbr, s.type_abbr).lower(),
                    need=need, **base)
            flagged = True
        elif expected and s.type_abbr is None:
            out.unsure("document.type-symbol", t, r.start, ex,
                       f"ký hiệu {r.symbol} không có chữ viết tắt {expected} của loại "
                       f"{r.type_word.lower()}; kiểm tra lại loại văn bản hoặc ký hiệu")
            flagged = True
        agency = _agency(s)
        if (s.year is None and usual and agency != usual
                and (usual.startswith(agency) or agency.startswith(usual))):
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=f"tên viết tắt cơ quan ban hành {agency!r} khác với các văn bản "
                            f"khác của đơn vị ({usual!r})", **base)
            flagged = True
        if s.year is None and agency == usual and len(r.number) == 1:
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    severity="note", problem=f"số nhỏ hơn 10 phải ghi thêm số 0 phía trước "
                                             f"(0{r.number})", **base)
        day = parse_date_text(r.date_text).day if r.date_text else None
        if s.year and day and day.year != int(s.year):
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=f"năm trong ký hiệu ({s.year}) khác năm ban hành ghi kèm "
                            f"({r.date_text})", **base)
            flagged = True
        if not flagged:
            out.ok("document.type-symbol", t, r.start, ex)
    _check_conflicts(parsed, out)


def _check_conflicts(parsed, out: _Out) -> None:
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
                values = _some([f"{shown(r)} ({r.t.place})" for r in cited if key(r)])
                last = cited[-1]
                out.bad("document.conflict", last.t, last.start,
                        _excerpt(last.t.text, last.start, last.end), found=values,
                        reference=cited[0].reference, count=len(cited), field=field,
                        values=values)
    for ref, cited in by_no_year.items():
        years = {parse_symbol(r.number, r.symbol).year for r in cited}
        if len(years) > 1:
            values = _some([f"{r.reference} ({r.t.place})" for r in cited])
            last = cited[-1]
            out.bad("document.conflict", last.t, last.start,
                    _excerpt(last.t.text, last.start, last.end), found=values,
                    reference=cited[0].reference, count=len(cited), field="năm", values=values)


# ------------------------------------------------------------------ unit names

_OTHER_LEVEL = _rx(r"(?<!\w)(?P<who>(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+"
                   r"(?P<noun>huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|thị\s+trấn)"
                   r"(?:\s+[^\W\d_][\w']*){0,4}?)\s+(?:đã\s+|đang\s+)?"
                   r"(?:ban\s+hành|tổ\s+chức|thực\s+hiện|triển\s+khai|tiếp\s+nhận|giải\s+quyết)"
                   r"\s+(?:được\s+|tổng\s+số\s+|tổng\s+cộng\s+)?\d")
_NOT_SUBJECT = _rx(r"(?<!\w)(?:của|theo|cho|với|gửi|đến|tại|và|từ)\s*$")
_LEVEL_NAME = {"district": "cấp huyện", "province": "cấp tỉnh", "commune": "cấp xã",
               "city": "cấp tỉnh hoặc cấp huyện"}


def _check_unit_names(texts: Sequence[_Text], ctx: ReportContext, own: _Dated | None,
                      out: _Out) -> None:
    own_level = ctx.unit.level if ctx.unit else "commune"
    own_name = ctx.unit.name if ctx.unit else unit_noun(ctx.unit_text)[2]
    unit_label = units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "đơn vị")
    for t in texts:
        for m in _OTHER_LEVEL.finditer(t.text):
            noun = " ".join(m["noun"].split()).lower()
            level = _NOUN_LEVEL.get(noun)
            if level == own_level or _NOT_SUBJECT.search(_tail(t.text, m.start())):
                continue
            who = " ".join(m["who"].split())
            ex = _excerpt(t.text, m.start(), m.end())
            out.bad("unit.other-level", t, m.start(), ex, found=who,
                    where=f'Câu "{_quote(ex, 80)}"', name=who, level=_LEVEL_NAME[level],
                    unit=unit_label)
    if not own_name:
        return
    own_key = units.loose_key(own_name)
    spellings: dict[str, list[tuple[_Text, int, str]]] = {}
    for n in _names(texts):
        if n.level != "commune" or units.loose_key(n.name) != own_key:
            continue
        spellings.setdefault(nfc(n.name).casefold(), []).append((n.t, n.start, n.name))
    if own is not None and own.place_name and units.loose_key(own.place_name) == own_key:
        anchor = next((t for t in texts if (t.index, t.place) == (own.index, own.place)), None)
        if anchor is not None:
            spellings.setdefault(nfc(own.place_name).casefold(), []).append(
                (anchor, 0, own.place_name))
    if not spellings:
        return
    ordered = sorted(spellings.values(), key=lambda hits: (hits[0][0].index, hits[0][1]))
    listing = []
    for hits in ordered:
        shown = next((name for *_, name in hits if not name.isupper()), hits[0][2])
        places = list(dict.fromkeys(t.place for t, *_ in sorted(hits, key=lambda h: (h[0].index,
                                                                                    h[1]))))
        listing.append(f'"{shown}" ({_some(places)})')
    ex = "; ".join(x.split(" (")[0] for x in listing[:_SHOWN])
    first_t, first_pos, _ = ordered[0][0]
    if len(spellings) == 1:
        out.ok("unit.name-variants", first_t, first_pos, ex)
        return
    out.bad("unit.name-variants", None, 0, ex, place="toàn báo cáo", found=len(spellings),
            expected=own_name, count=len(spellings),
            variants=_some(listing, "; ", "cách viết khác"))
