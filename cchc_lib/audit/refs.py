"""Claims on document references: the type word against the symbol, malformed symbols (through
:func:`cchc_lib.judge.symbol`, the decision `cchc check` makes on a workbook's register), one
document cited with different facts.

In running text it is not known which documents the unit issued itself: a symbol is taken for
the unit's own when its agency is the one most of the text's symbols carry, or a near spelling
of it (``UB`` beside ``UBND``).  The audit adds one note of its own: a symbol that lacks the
abbreviation of its type word (``Kế hoạch số 15/UBND``) is worth a look, not an error.
"""

from __future__ import annotations

import re
from collections import defaultdict

from cchc_lib import judge
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import excerpt, first_few
from cchc_lib.textparse import nfc, parse_date_text, parse_symbol

__all__ = ["check_references"]


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
