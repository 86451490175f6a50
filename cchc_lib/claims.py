"""Claims in the running text of a hand-written report, and whether they hold.

``cchc audit`` reads a report typed by hand (Word, PDF, text).  Its appendix is a table, read
elsewhere; its running text states things that can be checked without any other data:

* a fraction and its percent (``13/21 (76,5%)``), a count and its share (``đúng hạn 1.154 hồ sơ
  (96,2%)``), a done count larger than its total (``21/25 người``);
* a whole and its parts (``22 văn bản (03 công văn, 02 báo cáo, …)``, ``tiếp nhận 661 hồ sơ, tồn
  kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ``) and complementary shares (``đúng hạn 74,9%,
  trễ hạn 25,1%``);
* two amounts that give their share of the same estimate (``… đồng đạt 47,1% dự toán HĐND giao``);
* dates (impossible ones, ones after the report's own date), the data window, the report's date
  against the window;
* period labels that state the period of the results (``Trong 6 tháng đầu năm 2023`` in a 2024
  report, a heading ``… quý I`` in a half-year report);
* document references (type word against symbol, malformed symbols, one document cited with
  different facts);
* the unit's own name spelled several ways, a unit of another level speaking in its place;
* text hygiene: look-alike characters, decomposed letters, numbers and dates left blank.

Every claim found is returned, consistent or not (:class:`Claim`), so that a clean report shows
how much was checked.  A claim that does not hold carries a :class:`~cchc_lib.model.Finding` of
the shared rules (``data/rules.yaml``); when the reading is not certain the finding is a
``claim.unsure`` note rather than an error, because false alarms cost the reviewer's trust.

The patterns are general (they read other communes' reports, phrased differently), and the
functions are pure: a list of :class:`~cchc_lib.document.Block` in, claims out.  Table rows (blocks
with cells) are the appendix and are skipped, except the header table of a Word report (issuer,
number, place and date), which is read for the context and for blanks.

This module is the public API; the parts live in private modules, each importing only those
above it: ``_claims_model`` (:class:`Claim`, :class:`ReportContext`), ``_claims_text`` (the text
made ready to read, shared patterns, the collector of claims), ``_claims_context`` (title,
period, date and unit of the report), then the checks: ``_claims_numbers`` (fractions, rates,
budget), ``_claims_parts`` (wholes and parts, shares), ``_claims_refs`` (document references,
unit names), ``_claims_dates`` (dates, data window, period labels) and ``_claims_hygiene``.

The work is bounded, whatever the text: each check reads a block once (sentence bounds found
once, a claim's context looked for in a window around it, amounts of an estimate compared with
the few before), a block is read up to :data:`MAX_BLOCK_CHARS` characters, the running text up
to :data:`MAX_TEXT_CHARS`, and at most :data:`MAX_CLAIMS` claims are reported.  What a limit
leaves out is said in a ``claim.unsure`` note, never silently.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from cchc_lib import units
from cchc_lib._claims_context import (_detect_unit_text, _find_report_date, _find_title,
                                      _parse_period_hint, _resolve_unit, _title_period)
from cchc_lib._claims_dates import _check_dates, _check_periods
from cchc_lib._claims_hygiene import _MAX_DECOMPOSED, _check_blanks, _check_hygiene
from cchc_lib._claims_model import (EXCERPT_LIMIT, MAX_BLOCK_CHARS, MAX_CLAIMS, MAX_TEXT_CHARS,
                                    Claim, ReportContext)
from cchc_lib._claims_numbers import _check_budget, _check_count_rates, _check_fractions
from cchc_lib._claims_parts import _check_listed_parts, _check_paren_parts, _check_shares
from cchc_lib._claims_refs import _check_references, _check_unit_names, _references
from cchc_lib._claims_text import _LeftOut, _Out, _prepare, _quote, _Spans, _Text
from cchc_lib.document import Block
from cchc_lib.formatting import fmt_number

__all__ = ["Claim", "ReportContext", "detect_context", "check_text", "check_blocks",
           "EXCERPT_LIMIT", "MAX_BLOCK_CHARS", "MAX_TEXT_CHARS", "MAX_CLAIMS"]


def detect_context(blocks: Sequence[Block], *, unit_hint: str | None = None,
                   period_hint: str | None = None) -> ReportContext:
    """The report's own period (from its title), date (the place-and-date line, or "Kèm theo
    Báo cáo số … ngày …") and unit (the issuer, "của UBND xã …", or the commune named most).

    ``unit_hint`` (a code or a name) and ``period_hint`` (``2024-H1`` or a Vietnamese label)
    override what the text says.  The unit is None when it cannot be resolved to one unit.
    """
    texts, _ = _prepare(blocks)
    title = _find_title(texts)
    period = _title_period(title.text) if title else None
    period_text = _quote(title.text, EXCERPT_LIMIT) if title else ""
    if period_hint:
        hinted = _parse_period_hint(period_hint)
        if hinted is not None:
            period, period_text = hinted, period_hint
    dated = _find_report_date(texts)
    report_date = dated.day if dated else None
    era = (units.era_for(period.last_day) if period else
           units.era_for(report_date) if report_date else None)
    unit_text = _detect_unit_text(texts)
    unit = _resolve_unit(unit_hint or unit_text, era)
    if unit_hint and not unit_text:
        unit_text = unit_hint
    return ReportContext(period, period_text, report_date, dated.text if dated else "", unit,
                         unit_text)


def check_text(blocks: Sequence[Block], ctx: ReportContext) -> list[Claim]:
    """Every claim found in the running text, consistent or not, in reading order."""
    texts, left_out = _prepare(blocks)
    out = _Out()
    own = _find_report_date(texts)
    if own is not None and ctx.report_date_text and own.text != ctx.report_date_text:
        own = None
    refs = _references(texts)
    spans: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for r in refs:
        spans[(r.t.index, r.t.place)].append((r.start, r.end))
    decomposed: set[str] = set()
    for t in texts:
        skip = _Spans(spans.get((t.index, t.place), ()))
        _check_hygiene(t, out, decomposed)
        _check_blanks(t, own, out)
        if t.header:
            continue
        _check_fractions(t, skip, out)
        _check_count_rates(t, skip, out)
        _check_paren_parts(t, skip, out)
        _check_listed_parts(t, out)
        _check_shares(t, out)
    _check_references(refs, out)
    _check_budget([t for t in texts if not t.header], out)
    _check_dates(texts, refs, ctx, own, out)
    _check_periods(texts, refs, _find_title(texts), ctx, out)
    _check_unit_names(texts, ctx, own, out)
    if len(decomposed) > _MAX_DECOMPOSED:
        more = len(decomposed) - _MAX_DECOMPOSED
        out.bad("claim.unsure", None, 0, "", place="toàn báo cáo", checked_by="text.decomposed",
                excerpt="Toàn báo cáo", why=f"còn {more} chữ khác cũng viết dấu tách rời (dạng tổ "
                                            "hợp NFD); nên chuẩn hóa cả văn bản về dạng NFC")
    return _within_limits(out.claims(), texts, left_out)


def _n(x: int) -> str:
    return fmt_number(x)


def _within_limits(claims: list[Claim], texts: Sequence[_Text],
                   left_out: _LeftOut | None) -> list[Claim]:
    """The first MAX_CLAIMS claims, then a note for each thing a limit left unchecked."""
    notes = _Out()
    if len(claims) > MAX_CLAIMS:
        first_out = claims[MAX_CLAIMS]
        notes.bad("claim.unsure", None, 0, "", place="toàn báo cáo", checked_by="audit.limit",
                  excerpt=f"Chỉ kiểm tra {_n(MAX_CLAIMS)} nhận định đầu tiên",
                  why=f"báo cáo có {_n(len(claims))} nhận định kiểm tra được, quá giới hạn của "
                      f"một lần kiểm tra; {_n(len(claims) - MAX_CLAIMS)} nhận định sau (từ "
                      f"{first_out.place}) không được báo kết quả. Nên tách báo cáo thành các "
                      "tệp nhỏ hơn hoặc bỏ các đoạn lặp lại rồi kiểm tra lại")
        claims = claims[:MAX_CLAIMS]
    for t in texts:
        if t.cut:
            notes.bad("claim.unsure", None, 0, _quote(t.raw, 80), place=t.place,
                      checked_by="audit.limit",
                      excerpt=f"Chỉ kiểm tra {_n(len(t.raw))} ký tự đầu của đoạn này",
                      why=f"đoạn dài {_n(t.cut)} ký tự, phần còn lại không được kiểm tra. Nên "
                          "chia thành các đoạn ngắn hơn (mỗi ý một đoạn) rồi kiểm tra lại")
    if left_out is not None:
        notes.bad("claim.unsure", None, 0, "", place=left_out.place, checked_by="audit.limit",
                  excerpt=f"Chỉ kiểm tra {_n(left_out.read)} ký tự đầu của phần thuyết minh",
                  why=f"từ {left_out.place} trở đi còn {_n(left_out.blocks)} đoạn "
                      f"({_n(left_out.chars)} ký tự) không được kiểm tra. Nên tách báo cáo "
                      "thành các tệp nhỏ hơn rồi kiểm tra lại")
    return claims + notes.claims()


def check_blocks(blocks: Sequence[Block], *, unit_hint: str | None = None,
                 period_hint: str | None = None) -> tuple[ReportContext, list[Claim]]:
    """:func:`detect_context` then :func:`check_text`."""
    ctx = detect_context(blocks, unit_hint=unit_hint, period_hint=period_hint)
    return ctx, check_text(blocks, ctx)
