"""Reading the numbers commune officers type into Excel (or CSV) cells.

:func:`parse_number` turns one cell value into a :class:`Reading`: the value
(``int``, ``float`` or ``None`` for a blank) and, when the parser had to
choose between two readings, a Vietnamese ``note`` saying which one it chose.
Anything it cannot read with confidence raises :class:`NumberFormatError`
whose ``message`` (Vietnamese) quotes the offending input and says what was
expected; the workbook reader adds file, sheet and cell.

What is accepted
----------------
* Blanks: ``None``, ``""``, whitespace only → ``None`` (no note).  A lone dash
  (``-``, ``–``, ``—``, ``−``), which Vietnamese tables use for "nothing", →
  ``None`` with the note ``"-" coi là ô trống``.
* Cell numbers: ``int`` and finite ``float`` (also ``Decimal`` and other real
  numbers).  ``bool``, NaN, infinities, dates/times (Excel likes to turn
  ``1.5`` into a date) are errors.  A float within a few units in the last
  place of a whole number (``69.99999999999999`` from a formula) is read as
  that whole number with a note, for every kind except ``decimal``.
* Text: surrounding spaces and non-breaking spaces are ignored; an optional
  leading ``+`` or ``-``; leading zeros (``04`` → 4); digits 0–9 with
  separators:

  - ``3.253.588.460`` — dots between groups of three: thousands (Vietnamese).
  - ``3 253 588 460`` — spaces / non-breaking spaces between groups of three:
    thousands.
  - ``3,253,588,460`` — commas between groups of three: thousands, English
    style, accepted *with a note*.
  - ``74,9`` — decimal comma; ``96.33`` — decimal point.
  - ``1.234,5`` → 1234,5 (Vietnamese style); ``1,234.5`` → 1234,5 (English
    style, with a note); ``3 253 588,5`` → 3253588,5.
  - a trailing ``%`` (``74,9%``, ``74,9 %``) for kinds ``percent`` and
    ``rate`` only; the value is the number as typed (74,9).

Ambiguity rules
---------------
* Exactly one separator (``.`` or ``,``) followed by exactly three digits,
  with one to three digits before it not starting with ``0`` (``1.234``,
  ``1,234``, ``12.500``) could be thousands or a decimal:

  - kinds ``count``, ``amount``, ``enum`` read it as thousands (1234) with a
    note such as ``đọc "1.234" là 1234 (dấu chấm phân cách hàng nghìn), …``;
  - kinds ``percent``, ``rate``, ``decimal`` read it as a decimal (1,234)
    with a note such as ``đọc "1.234" là 1,234 (dấu chấm thập phân), …``.

* One separator in any other position is a decimal mark and needs no note:
  ``0.125``, ``1234.567``, ``74,9``, ``96.33``.
* Two or more of the same separator must all be thousands separators
  (groups of exactly three digits after a first group of one to three);
  ``1.23.4`` or ``1,2,3`` is an error.
* Both ``.`` and ``,``: the last one must occur once, last, and is the
  decimal mark; the other one separates thousands with proper groups
  (``1.234,5``; ``1,234.5`` with a note).  Anything else is an error.
* Spaces, when present, are always thousands separators; at most one ``.``
  or ``,`` may follow them, as the decimal mark.

Kind rules
----------
``count``, ``enum``: whole and ≥ 0; ``amount``: whole đồng and ≥ 0;
``percent``, ``rate``: ≥ 0, fractional allowed, values above 100 allowed (the
checks flag them later); ``decimal``: any finite number.  Whole values are
returned as ``int`` for every kind (``"100,0"`` → 100, ``21.0`` → 21);
``float`` only when there is a fractional part.

Guards: text longer than :data:`MAX_TEXT_LENGTH` characters is refused, as is
a formula (text starting with ``=``), which is never evaluated; numbers in
exponent form (``3,25E+09``) are refused because Excel may have dropped
digits when it wrote them.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from cchc_lib.errors import NumberFormatError

__all__ = [
    "KINDS",
    "MAX_TEXT_LENGTH",
    "NumberFormatError",
    "Reading",
    "is_blank",
    "parse_number",
]

#: The kinds :func:`parse_number` understands.
KINDS = ("count", "amount", "percent", "rate", "decimal", "enum")

#: Longest text accepted in a number cell.
MAX_TEXT_LENGTH = 64
# No figure of a commune's report comes near 10^15 (a province's yearly budget is ~10^13 đồng);
# anything larger is a typing slip, and would only overflow the arithmetic downstream.
MAX_MAGNITUDE = 10 ** 15
# Digits after the decimal separator that a typed number may carry (binary noise of a float
# cell is rounded away at this many digits instead).
MAX_DECIMALS = 10

_WHOLE_KINDS = frozenset({"count", "amount", "enum"})
_PERCENT_KINDS = frozenset({"percent", "rate"})

# A lone one of these means "nothing" in a Vietnamese table.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
# Characters accepted as a minus sign in front of a number.
_MINUS = frozenset("-\u2212\u2013")
# Every kind of space is folded to a plain space (nbsp, narrow nbsp, thin …).
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200b\ufeff]+")
_BODY = re.compile(r"[0-9]+(?:[., ][0-9]+)*", re.ASCII)
_EXPONENT = re.compile(r"[0-9.,]+\s?[eE]\s?[+-]?[0-9]+", re.ASCII)
_QUOTE_LIMIT = 40

_NEGATIVE = {
    "count": "số đếm không được âm",
    "amount": "số tiền không được âm",
    "enum": "mã lựa chọn không được âm",
    "percent": "tỉ lệ không được âm",
    "rate": "tỉ lệ không được âm",
}
_NOT_WHOLE = {
    "count": "cần số nguyên",
    "enum": "cần số nguyên (mã lựa chọn)",
    "amount": "cần số nguyên (số tiền tính bằng đồng, không có phần lẻ)",
}
_SEP_NAME = {".": "dấu chấm", ",": "dấu phẩy", " ": "dấu cách"}


@dataclass(frozen=True)
class Reading:
    """A parsed cell: the value (``None`` for blank) and a note on any choice made."""

    value: int | float | None
    note: str = ""


# ---------------------------------------------------------------- helpers


def _quote(text: str) -> str:
    """``"text"``, shortened with an ellipsis when very long."""
    if len(text) > _QUOTE_LIMIT:
        text = text[:_QUOTE_LIMIT] + "…"
    return f'"{text}"'


def _fail(message: str, shown: str) -> NumberFormatError:
    return NumberFormatError(f"{message}, gặp {_quote(shown)}", shown)


def _vn(int_part: str, frac_part: str = "") -> str:
    """A number written the Vietnamese way without grouping: ``1234,5``."""
    int_part = int_part.lstrip("0") or "0"
    return f"{int_part},{frac_part}" if frac_part else int_part


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _dash_blank(cell: object) -> str | None:
    """The blank's note if ``cell`` is blank ("" for a plain blank), else None."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        text = _normalise(cell)
        if not text:
            return ""
        if len(text) == 1 and text in _DASHES:
            return f'"{text}" coi là ô trống'
    return None


def is_blank(cell: object) -> bool:
    """True when :func:`parse_number` reads ``cell`` as blank (value ``None``).

    ``None``, empty or whitespace-only text and a lone dash are blank; NaN is
    not (it is an error for :func:`parse_number`).
    """
    return _dash_blank(cell) is not None


# ---------------------------------------------------------------- finishing


def _finish(value: Decimal | float, kind: str, shown: str, note: str = "") -> Reading:
    """Apply the kind's rules to a finite value and build the Reading."""
    if abs(value) >= MAX_MAGNITUDE:
        raise _fail("số quá lớn (từ 10^15 trở lên), kiểm tra lại các chữ số", shown[:40])
    if isinstance(value, Decimal) and value.as_tuple().exponent < -MAX_DECIMALS:
        if value == value.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding="ROUND_HALF_UP"):
            value = value.normalize()
        else:
            raise _fail(f"quá nhiều chữ số sau dấu phẩy (tối đa {MAX_DECIMALS})", shown[:40])
    if value < 0 and kind != "decimal":
        raise _fail(_NEGATIVE[kind], shown)
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value()
    else:
        whole = value.is_integer()
    if whole:
        return Reading(int(value), note)
    if kind in _WHOLE_KINDS:
        raise _fail(_NOT_WHOLE[kind], shown)
    return Reading(float(value), note)


def _from_float(value: float, kind: str) -> Reading:
    shown = repr(value)
    if math.isnan(value):
        raise _fail("cần một số hữu hạn", "NaN")
    if math.isinf(value):
        raise _fail("cần một số hữu hạn", "vô cực" if value > 0 else "âm vô cực")
    note = ""
    if kind != "decimal" and not value.is_integer():
        nearest = round(value)
        if abs(value - nearest) <= max(1e-9, 8 * math.ulp(value)):
            note = (f"đọc {shown} là {nearest} "
                    "(sai số làm tròn của máy tính, coi là số nguyên)")
            value = float(nearest)
    return _finish(value, kind, shown, note)


# ---------------------------------------------------------------- text


def _groups_ok(groups: list[str]) -> bool:
    """First group 1–3 digits, every later group exactly 3."""
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _split_body(body: str, kind: str, shown: str) -> tuple[str, str, str]:
    """Split the digits-and-separators ``body`` into (integer digits, fraction digits, note)."""
    inconsistent = "dấu phân cách không nhất quán, cần một số như 1.234.567 hoặc 74,9"
    if " " in body:
        # Spaces group thousands; one "." or "," after them is the decimal mark.
        head, mark, frac = body, "", ""
        tail = re.search(r"[.,]", body)
        if tail:
            head, mark, frac = body[:tail.start()], body[tail.start()], body[tail.end():]
            if not frac.isdigit():
                raise _fail(inconsistent, shown)
        groups = head.split(" ")
        if len(groups) < 2 or not _groups_ok(groups):
            raise _fail("dấu cách chỉ dùng để phân cách hàng nghìn (nhóm 3 chữ số)", shown)
        return "".join(groups), frac, ""

    dots, commas = body.count("."), body.count(",")
    if dots == 0 and commas == 0:
        return body, "", ""

    if dots == 0 or commas == 0:
        sep = "." if dots else ","
        groups = body.split(sep)
        if len(groups) > 2:
            # Several of the same separator: thousands only.
            if not _groups_ok(groups):
                raise _fail(inconsistent, shown)
            note = ""
            if sep == ",":
                note = (f"đọc {_quote(shown)} là {_vn(''.join(groups))} "
                        "(dấu phẩy phân cách hàng nghìn kiểu tiếng Anh)")
            return "".join(groups), "", note
        head, tail = groups
        ambiguous = len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0")
        if not ambiguous:
            return head, tail, ""
        thousands, decimal = _vn(head + tail), _vn(head, tail)
        if kind in _WHOLE_KINDS:
            note = (f"đọc {_quote(shown)} là {thousands} "
                    f"({_SEP_NAME[sep]} phân cách hàng nghìn), không phải {decimal}")
            return head + tail, "", note
        note = (f"đọc {_quote(shown)} là {decimal} "
                f"({_SEP_NAME[sep]} thập phân), không phải {thousands}")
        return head, tail, note

    # Both "." and ",": the last one is the decimal mark, once and last.
    mark = body[max(body.rfind("."), body.rfind(","))]
    grouping = "," if mark == "." else "."
    if body.count(mark) != 1:
        raise _fail(inconsistent, shown)
    head, frac = body.split(mark)
    groups = head.split(grouping)
    if len(groups) < 2 or not _groups_ok(groups):
        raise _fail(inconsistent, shown)
    note = ""
    if mark == ".":
        note = (f"đọc {_quote(shown)} là {_vn(''.join(groups), frac)} (kiểu tiếng Anh: "
                "dấu phẩy phân cách hàng nghìn, dấu chấm thập phân)")
    return "".join(groups), frac, note


def _from_text(raw: str, kind: str) -> Reading:
    if len(raw) > MAX_TEXT_LENGTH:
        raise _fail(f"ô quá dài ({len(raw)} ký tự, tối đa {MAX_TEXT_LENGTH}), cần một số",
                    raw.strip())
    text = _normalise(raw)
    blank = _dash_blank(text)
    if blank is not None:
        return Reading(None, blank)
    shown = text
    if text.startswith("="):
        raise _fail("ô chứa công thức, cần nhập số trực tiếp", shown)

    body = text
    negative = False
    if body[0] in _MINUS or body[0] == "+":
        negative = body[0] != "+"
        body = body[1:].lstrip()
    if body.endswith("%"):
        if kind not in _PERCENT_KINDS:
            raise _fail("dấu % chỉ dùng cho tỉ lệ phần trăm, chỉ tiêu này cần một số "
                        "không có dấu %", shown)
        body = body[:-1].rstrip()
    if _EXPONENT.fullmatch(body):
        raise _fail("số dạng lũy thừa (E) có thể đã mất chữ số, cần nhập đủ các chữ số",
                    shown)
    if not _BODY.fullmatch(body):
        raise _fail("cần một số", shown)

    int_part, frac_part, note = _split_body(body, kind, shown)
    try:
        value = Decimal(f"{'-' if negative else ''}{int_part}.{frac_part or '0'}")
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise _fail("cần một số", shown) from None
    return _finish(value, kind, shown, note)


# ---------------------------------------------------------------- entry point


def parse_number(cell: object, *, kind: str = "count") -> Reading:
    """Read one cell value as a number of the given kind.

    ``kind`` is one of :data:`KINDS`.  Returns a :class:`Reading`; raises
    :class:`NumberFormatError` (Vietnamese message quoting the input) when the
    cell cannot be read.  See the module docstring for the accepted forms and
    the ambiguity rules.
    """
    if kind not in KINDS:
        raise ValueError(f"loại chỉ tiêu không hợp lệ: {kind!r} (cần một trong {KINDS})")
    if cell is None:
        return Reading(None)
    if isinstance(cell, bool):
        raise _fail("cần một số, ô chứa giá trị đúng/sai", "TRUE" if cell else "FALSE")
    if isinstance(cell, str):
        return _from_text(cell, kind)
    if isinstance(cell, (datetime, date)):
        raise _fail("ô chứa ngày tháng, cần một số (Excel có thể đã tự đổi số như 1.5 "
                    "thành ngày; hãy định dạng ô là Số hoặc Văn bản rồi nhập lại)",
                    _show_date(cell))
    if isinstance(cell, (time, timedelta)):
        raise _fail("ô chứa giờ hoặc khoảng thời gian, cần một số", str(cell))
    if isinstance(cell, numbers.Integral):
        return _finish(Decimal(int(cell)), kind, str(int(cell)))
    if isinstance(cell, Decimal):
        if not cell.is_finite():
            raise _fail("cần một số hữu hạn", str(cell))
        return _finish(cell, kind, str(cell))
    if isinstance(cell, numbers.Real):
        return _from_float(float(cell), kind)
    raise _fail(f"cần một số, ô chứa giá trị kiểu {type(cell).__name__}", _safe_str(cell))


def _show_date(cell: date) -> str:
    try:
        if isinstance(cell, datetime) and (cell.hour, cell.minute, cell.second) == (0, 0, 0):
            return cell.strftime("%d/%m/%Y")
        if isinstance(cell, datetime):
            return cell.strftime("%d/%m/%Y %H:%M:%S")
        return cell.strftime("%d/%m/%Y")
    except (ValueError, TypeError):  # e.g. pandas NaT
        return _safe_str(cell)


def _safe_str(cell: object) -> str:
    try:
        return str(cell)
    except Exception:  # noqa: BLE001 - a hostile __str__ must not escape
        return f"<{type(cell).__name__}>"
