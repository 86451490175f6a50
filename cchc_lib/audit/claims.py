"""Claims in the running text of a hand-written report, and whether they hold.

``cchc audit`` reads a report typed by hand (Word, PDF, text).  Its appendix is a table, read by
:mod:`cchc_lib.audit.appendix`; its running text states things that can be checked without any
other data:

* a fraction and its percent (``13/21 (76,5%)``), a count and its share of a whole stated in
  the same paragraph, before or after it (``Tổng số hồ sơ tiếp nhận là 1.250; trong đó trực
  tuyến 1.020 hồ sơ, đạt 85%``), a done count larger than its total (``21/25 người``), a count
  of units larger than its whole (``14/12 thôn``);
* a whole and its parts (``22 văn bản (03 công văn, 02 báo cáo, …)``, ``tiếp nhận 661 hồ sơ, tồn
  kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ``) and complementary shares (``đúng hạn 74,9%,
  trễ hạn 25,1%``, in one sentence or spread over a paragraph);
* two amounts that give their share of the same estimate (``… đồng đạt 47,1% dự toán HĐND giao``);
* dates (impossible ones, ones after the report's own date), the data window, the report's date
  against it;
* period labels that state the period of the results (``Trong 6 tháng đầu năm 2023`` in a 2024
  report, a heading ``… quý I`` in a half-year report);
* document references (type word against symbol, malformed symbols, one document cited with
  different facts, a plan cited for a year that is not its own; documents listed as issued in
  the period but dated outside its data window);
* the unit's own name spelled several ways, a unit of another level speaking in its place;
* text hygiene: look-alike characters, decomposed letters, numbers and dates left blank or
  typed into a template's gap, tone marks on the wrong letter or in both styles.

Each kind of claim is a family in its own module, registered with
:mod:`cchc_lib.audit.registry`; this module reads the text once (:mod:`~cchc_lib.audit.reading`),
runs the families and bounds what they report.  Every claim found is returned, consistent or
not (:class:`~cchc_lib.audit.claim.Claim`), so that a clean report shows how much was checked.
A claim that does not hold carries a finding of the shared rules (``data/rules.yaml``); when
the reading is not certain the finding is a ``claim.unsure`` note rather than an error, because
false alarms cost the reviewer's trust.

The patterns are general (they read other communes' reports, phrased differently), and the
functions are pure: a list of :class:`~cchc_lib.audit.document.Block` in, claims out.  Table
rows (blocks with cells) are the appendix and are skipped, except the header table of a Word
report (issuer, number, place and date), which is read for the context and for blanks.

The work is bounded, whatever the text (:mod:`cchc_lib.audit.limits`): each family reads a
block once, a block is read up to ``MAX_BLOCK_CHARS`` characters, the running text up to
``MAX_TEXT_CHARS``, and at most ``MAX_CLAIMS`` claims are reported.  What a limit leaves out is
said in a ``claim.unsure`` note, never silently.
"""

from __future__ import annotations

from typing import Sequence

# The claim families register themselves when imported, in this order, which is the order they
# run in (it decides only between two claims found at the very same place).
from cchc_lib.audit import (hygiene, refs, numbers, parts, wholes, dates, names,  # noqa: F401
                            spelling)
from cchc_lib.audit import limits
from cchc_lib.audit.claim import Claim, ReportContext
from cchc_lib.audit.context import context_of
from cchc_lib.audit.document import Block
from cchc_lib.audit.reading import read
from cchc_lib.audit.registry import Out, run
from cchc_lib.audit.text import LeftOut, Text, prepare, quote
from cchc_lib.formatting import fmt_number

__all__ = ["check_text", "check_blocks"]


def check_text(blocks: Sequence[Block], ctx: ReportContext) -> list[Claim]:
    """Every claim found in the running text, consistent or not, in reading order."""
    texts, left_out = prepare(blocks)
    return _checked(texts, left_out, ctx)


def check_blocks(blocks: Sequence[Block], *, unit_hint: str | None = None,
                 period_hint: str | None = None) -> tuple[ReportContext, list[Claim]]:
    """The report's context (:func:`~cchc_lib.audit.context.detect_context`), then every claim
    of its running text (:func:`check_text`)."""
    texts, left_out = prepare(blocks)
    ctx = context_of(texts, unit_hint=unit_hint, period_hint=period_hint)
    return ctx, _checked(texts, left_out, ctx)


def _checked(texts: Sequence[Text], left_out: LeftOut | None,
             ctx: ReportContext) -> list[Claim]:
    return _within_limits(run(read(texts, ctx)), texts, left_out)


def _n(x: int) -> str:
    return fmt_number(x)


def _within_limits(claims: list[Claim], texts: Sequence[Text],
                   left_out: LeftOut | None) -> list[Claim]:
    """The first MAX_CLAIMS claims, then a note for each thing a limit left unchecked."""
    notes = Out()
    most = limits.MAX_CLAIMS
    if len(claims) > most:
        first_out = claims[most]
        notes.bad("claim.unsure", None, 0, "", place="toàn báo cáo", checked_by="audit.limit",
                  excerpt=f"Chỉ kiểm tra {_n(most)} nhận định đầu tiên",
                  why=f"báo cáo có {_n(len(claims))} nhận định kiểm tra được, quá giới hạn của "
                      f"một lần kiểm tra; {_n(len(claims) - most)} nhận định sau (từ "
                      f"{first_out.place}) không được báo kết quả. Nên tách báo cáo thành các "
                      "tệp nhỏ hơn hoặc bỏ các đoạn lặp lại rồi kiểm tra lại")
        claims = claims[:most]
    for t in texts:
        if t.cut:
            notes.bad("claim.unsure", None, 0, quote(t.raw, 80), place=t.place,
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
