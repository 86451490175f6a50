"""One typed value into a figure: the rules every intake route shares (the workbook reader,
long-form CSV, YAML submissions), and the text limits of a submission.

A count with a fraction (``21,5``) is read with a note so the checks report it in context; a
coded row accepts its drop-down text or its label; a code outside the coding is refused.
"""

from __future__ import annotations

import re
from typing import Any

from cchc_lib.errors import NumberFormatError
from cchc_lib.model import Indicator
from cchc_lib.numparse import Reading, parse_number

__all__ = ["read_figure", "MAX_TEXT", "MAX_SUBMISSION_TEXT"]

MAX_TEXT = 20_000  # characters in one free-text cell
#: Characters of text in one submission: the seed report has about 15 000; ten times more
#: than a long report, and far less than what a hostile file could make the store keep.
MAX_SUBMISSION_TEXT = 200_000


def read_figure(raw: Any, ind: Indicator, column: str) -> Reading:
    """Read one figure of an indicator: ``column`` is ``total``, ``done`` or ``rate``.

    Chooses the number kind from the indicator, accepts a coded value by its
    drop-down text or label, and refuses a code outside the indicator's coding.
    """
    if column == "rate":
        return _parse(raw, "rate")
    if ind.kind == "enum" and isinstance(raw, str):
        raw = _enum_text(raw, ind)
    kind = ind.kind if ind.kind in ("enum", "amount", "percent", "decimal") else "count"
    reading = _parse(raw, kind)
    if ind.kind == "enum" and reading.value is not None and reading.value not in ind.coding:
        allowed = ", ".join(f"{v} = {label}" for v, label in ind.coding.items())
        raise NumberFormatError(f"giá trị {reading.value} nằm ngoài bảng mã của chỉ tiêu "
                                f"{ind.code} ({allowed})", str(raw))
    return reading


def _parse(raw: Any, kind: str) -> Reading:
    """Parse a cell; a count with a fraction (``21,5``) is read, not refused.

    A fractional count is a mistake in the figures, not in the file: the
    reader keeps it (with a note) so that the checks report it in context.
    A negative count, or text, is still refused here.
    """
    try:
        return parse_number(raw, kind=kind)
    except NumberFormatError:
        if kind != "count":
            raise
        try:
            reading = parse_number(raw, kind="decimal")
        except NumberFormatError:
            reading = None
        if reading is None or reading.value is None or reading.value < 0 \
                or float(reading.value).is_integer():
            raise
        return Reading(reading.value, "số đếm có phần lẻ; phần kiểm tra số liệu sẽ báo lỗi này")


def _enum_text(raw: str, ind: Indicator) -> Any:
    """``2 - Hoàn thành`` (the drop-down) or ``Hoàn thành`` (the label) → 2; else as typed."""
    text = raw.strip()
    # "2 - Hoàn thành" (the drop-down) or "2 (Hoàn thành)" (as the report prints it)
    head = re.split(r"\s+-\s+|\s*\(", text, maxsplit=1)[0].strip()
    if head.isdigit():
        return head
    for value, label in ind.coding.items():
        if text.casefold() == label.casefold():
            return value
    return raw
