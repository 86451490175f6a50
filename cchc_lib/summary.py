"""The ministry's table (``cchc summary``): one row per expected unit, one column group per
indicator of PHỤ LỤC SỐ 01 in catalogue order, and a total row, as an Excel workbook.

Columns (decided here, once, from the catalogue):

* left: Stt, Đơn vị (these two on every printed page), Mã đơn vị, Tình trạng (đúng hạn, muộn
  N ngày, or "Chưa báo cáo" for a unit with no report on the day; its figures are left empty);
* a row whose rate is its own done / total (``rate: row``): **Tổng số**, **Đã thực hiện**,
  **Tỷ lệ (%)**;
* a row whose rate is its figure over another row's total (``rate: ratio``, e.g. 1.1.2 over
  1.1.1): **Số lượng**, **Tỷ lệ (%)**;
* a coded row (``enum``): its code, headed by the coding as the appendix prints it;
* a typed percentage (``percent``): the percentage;
* any other row: Tổng số, Đã thực hiện.

Every rate is computed from its fraction (:func:`cchc_lib.rates.computed_rate`), never copied
from what a unit typed, and rounded half up to one decimal as the reports print it.

Header: the indicator codes on one row, their titles (with the unit of measure) on the next,
the sub-columns under them.  Below the units, **Tổng cộng** holds each column's sum and, for
rates, the rate of the summed fractions over the units that gave both parts
(:func:`cchc_lib.rollup.rollup`'s ``rate_num`` / ``rate_den``), never a mean of rates; coded
rows give how many units chose each value.  **Số đơn vị có số liệu** under it says how many
units stand behind each total; a rate computed over fewer units than its columns' sums carries a
comment with its fraction.

Printing: A4 landscape, the header rows and the unit's name repeated on every page, the
columns broken between indicators and scaled so that no text prints below
:data:`cchc_lib.workbook.MIN_PRINTED_PT` (a table of some 180 columns cannot fit one page's
width legibly; each page is filled across instead); panes frozen under the header and right of
the unit names.  Numbers are stored as numbers with the formats ``#,##0`` and ``0.0``, which
Excel and LibreOffice show with the Vietnamese separators (``1.234``, ``74,9``) under a
Vietnamese locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break

from cchc_lib import periods, units
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.formatting import fmt_count_padded, fmt_date_short, fmt_number, round_half_up
from cchc_lib.model import Indicator, Submission, Unit
from cchc_lib.rates import DEFAULT_DIGITS, computed_rate, figure, is_number, percent
from cchc_lib.status import UnitStatus
from cchc_lib.workbook import (A4_PT, FONT_NAME, FONT_SIZE, MARGIN_IN, MIN_PRINTED_PT,
                               column_width_pt)

__all__ = ["Column", "SUB_LABELS", "NOT_REPORTED", "SHEET", "HEADER_ROWS", "LEFT",
           "TITLE_COLUMNS", "FIRST_ROW", "summary_columns",
           "unit_cells", "total_cells", "build_summary", "write_summary"]

#: The sub-column headings.
SUB_LABELS = {"total": "Tổng số", "done": "Đã thực hiện", "rate": "Tỷ lệ (%)",
              "figure": "Số lượng"}
#: What the Tình trạng column says of a unit with no report.
NOT_REPORTED = "Chưa báo cáo"
SHEET = "Tổng hợp"
#: The header rows: indicator codes, titles, sub-columns (1-based sheet rows).
HEADER_ROWS = (4, 5, 6)
FIRST_ROW = HEADER_ROWS[-1] + 1
LEFT = (("Stt", 5), ("Đơn vị", 24), ("Mã đơn vị", 8), ("Tình trạng", 13))
#: The left columns repeated on every printed page (Stt, Đơn vị).
TITLE_COLUMNS = 2
_COLUMN_WIDTH = 9.5
_TOTAL_LABEL, _UNITS_LABEL = "Tổng cộng", "Số đơn vị có số liệu"
_COUNT_FORMAT, _RATE_FORMAT = "#,##0", "0.0"


@dataclass(frozen=True)
class Column:
    """One column of the table: an indicator and which of its figures (total, done, rate,
    figure), with its heading."""

    indicator: Indicator
    field: str
    label: str


def summary_columns(cat: Catalogue | None = None) -> list[Column]:
    """The indicator columns in catalogue order (see the module's docstring)."""
    cat = cat or default_catalogue()
    cols = []
    for ind in cat.data_rows("appendix"):
        if ind.kind == "enum":
            fields = [("figure", ind.unit or "Mã")]
        elif ind.kind == "percent":
            fields = [("figure", "%")]
        elif ind.rate == "row":
            fields = [(f, SUB_LABELS[f]) for f in ("total", "done", "rate")]
        elif ind.rate == "ratio":
            fields = [(f, SUB_LABELS[f]) for f in ("figure", "rate")]
        else:
            fields = [(f, SUB_LABELS[f]) for f in ("total", "done")]
        cols += [Column(ind, f, label) for f, label in fields]
    return cols


def _number(x):
    return x if is_number(x) else None


def unit_cells(sub: Submission, cols: Iterable[Column], cat: Catalogue | None = None) -> list:
    """One unit's figures for ``cols``: as typed for totals, done and figures; rates computed
    from their fractions (rounded as printed); None where the unit gave nothing."""
    cat = cat or default_catalogue()
    out = []
    for col in cols:
        value = sub.value(col.indicator.code)
        if col.field == "rate":
            out.append(computed_rate(sub, col.indicator, cat, DEFAULT_DIGITS))
        elif value is None:
            out.append(None)
        elif col.field == "figure":
            out.append(_number(figure(value)))
        else:
            out.append(_number(getattr(value, col.field)))
    return out


@dataclass(frozen=True)
class Totals:
    """The total row: a value per column, the number of units behind it, and a note for a rate
    computed over fewer units than its sums."""

    values: list
    units: list[int]
    notes: dict[int, str]


def _sum(values: list):
    nums = [v for v in values if v is not None]
    if not nums:
        return None
    total = sum(nums)
    return int(total) if all(isinstance(v, int) for v in nums) else round_half_up(total, 10)


def _distribution(ind: Indicator, cells: list) -> str | None:
    counts: dict = {}
    for v in cells:
        if v is not None:
            key = int(v) if float(v).is_integer() else v
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    coding = ind.coding or {}
    return "; ".join(f"{coding.get(k, fmt_number(k))}: {n}" for k, n in sorted(counts.items()))


def total_cells(subs: list[Submission], cols: list[Column], cat: Catalogue | None = None,
                cells: list[list] | None = None) -> Totals:
    """The total row over the units that reported: sums of the columns, rates of the summed
    fractions over the same units (``rate_num / rate_den`` of :func:`cchc_lib.rollup.rollup`),
    coded rows as "value: number of units"; percentages are not added up."""
    from cchc_lib.rollup import rollup

    cat = cat or default_catalogue()
    cells = cells if cells is not None else [unit_cells(s, cols, cat) for s in subs]
    frame = rollup(subs, cat, digits=None) if subs else None
    rolled = {} if frame is None else {r["code"]: r for r in frame.to_dict("records")}
    values, counts, notes = [], [], {}
    for n, col in enumerate(cols):
        column = [row[n] for row in cells]
        given = sum(1 for v in column if v is not None)
        ind = col.indicator
        row = rolled.get(ind.code)
        if col.field == "rate":
            num = row["rate_num"] if row else None
            den = row["rate_den"] if row else None
            k = int(row["rate_units"]) if row else 0
            values.append(percent(num, den, DEFAULT_DIGITS) if k else None)
            counts.append(k)
            sums = [c for c in range(n - 2 if ind.rate == "row" else n - 1, n)]
            widest = max((counts[c] for c in sums), default=0)
            if k and k < widest:
                notes[n] = (f"Tỷ lệ của tổng phân số trên {fmt_count_padded(k)} đơn vị có đủ hai "
                            f"số: {fmt_number(num)}/{fmt_number(den)} = "
                            f"{fmt_number(percent(num, den, DEFAULT_DIGITS))}%")
        elif ind.kind == "enum":
            values.append(_distribution(ind, column))
            counts.append(given)
        elif ind.kind == "percent":
            values.append(None)
            counts.append(given)
        else:
            values.append(_sum(column))
            counts.append(given)
    return Totals(values, counts, notes)


# ------------------------------------------------------------------------------ the sheet

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_GREY = PatternFill("solid", fgColor="E7E6E6")
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")


def _font(**kw) -> Font:
    return Font(name=FONT_NAME, size=FONT_SIZE, **kw)


def _put(ws, row: int, col: int, value=None, *, bold=False, italic=False, fmt=None,
         wrap=False, horizontal=None, fill=None, border=True):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = _font(bold=bold, italic=italic)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top" if wrap else "center",
                               horizontal=horizontal)
    if fmt:
        cell.number_format = fmt
    if fill is not None:
        cell.fill = fill
    if border:
        cell.border = _BORDER
    return cell


def _status_text(r: UnitStatus) -> str:
    if r.state == "on_time":
        return "Đúng hạn"
    if r.state == "late":
        return f"Muộn {r.days_late} ngày"
    return NOT_REPORTED


def _default_font(wb: Workbook) -> None:
    """Times New Roman 11 as the workbook's default font, so that column widths print as
    computed (the same reason and the same means as :mod:`cchc_lib.workbook`)."""
    wb._fonts = IndexedList([_font()])  # noqa: SLF001 - openpyxl has no public setter
    wb._named_styles["Normal"].font = _font()  # noqa: SLF001


def _print_setup(ws, cols: list[Column], last_col: int, last_row: int) -> None:
    """A4 landscape at a fixed scale that keeps text at MIN_PRINTED_PT or more, with a column
    break wherever the next indicator would not fit the page's width."""
    scale = max(MIN_PRINTED_PT / FONT_SIZE, 0.5)
    scale = int(scale * 100 + 0.999) / 100
    width = (A4_PT[1] - 72 * (MARGIN_IN["left"] + MARGIN_IN["right"])) / scale
    left = sum(column_width_pt(w) for _, w in LEFT[:TITLE_COLUMNS])
    used = sum(column_width_pt(w) for _, w in LEFT)  # the first page has them all
    first = len(LEFT) + 1
    start = 0
    while start < len(cols):
        end = start
        while end < len(cols) and cols[end].indicator.code == cols[start].indicator.code:
            end += 1
        need = column_width_pt(_COLUMN_WIDTH) * (end - start)
        if used + need > width and start:
            ws.col_breaks.append(Break(id=first + start - 1, max=1048575))
            used = left
        used += need
        start = end
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = int(round(scale * 100))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left, ws.page_margins.right = MARGIN_IN["left"], MARGIN_IN["right"]
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_IN["top"], MARGIN_IN["bottom"]
    ws.print_title_rows = f"{HEADER_ROWS[0]}:{HEADER_ROWS[-1]}"
    ws.print_title_cols = f"A:{get_column_letter(TITLE_COLUMNS)}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 9


def build_summary(period: str, parent: Unit, rows: list[UnitStatus],
                  subs: Mapping[str, Submission], *, as_of: date,
                  cat: Catalogue | None = None) -> Workbook:
    """The workbook for ``rows`` (every expected unit, in order) and ``subs`` (the reports of
    those that reported, by unit code, as they stood on ``as_of``)."""
    cat = cat or default_catalogue()
    p = periods.parse_period(period)
    cols = summary_columns(cat)
    reported = [r for r in rows if r.unit_code in subs]
    cells = {r.unit_code: unit_cells(subs[r.unit_code], cols, cat) for r in reported}
    totals = total_cells([subs[r.unit_code] for r in reported], cols, cat,
                         [cells[r.unit_code] for r in reported])
    wb = Workbook()
    _default_font(wb)
    ws = wb.active
    ws.title = SHEET
    last_col = len(LEFT) + len(cols)
    ws.cell(row=1, column=1, value=(f"BIỂU TỔNG HỢP SỐ LIỆU CẢI CÁCH HÀNH CHÍNH "
                                    f"{periods.label(p).upper()}")).font = _font(bold=True)
    illustrative = any(subs[r.unit_code].illustrative for r in reported)
    ws.cell(row=2, column=1, value=(
        f"{units.unit_title(parent)[0].upper()}{units.unit_title(parent)[1:]}: "
        f"{len(reported)}/{len(rows)} đơn vị cấp xã đã báo cáo đến ngày {fmt_date_short(as_of)}"
        f" (hạn nộp {fmt_date_short(periods.deadline(p))}). Theo PHỤ LỤC SỐ 01 của chế độ báo "
        "cáo cải cách hành chính (Công văn 581/BNV-CCHC); tỷ lệ tính lại từ phân số.")
    ).font = _font(italic=True)
    if illustrative:
        ws.cell(row=3, column=1, value="DỮ LIỆU MINH HỌA — không phải số liệu thật."
                ).font = _font(bold=True, color="C00000")
    code_row, title_row, sub_row = HEADER_ROWS
    for n, (name, width) in enumerate(LEFT, 1):
        _put(ws, code_row, n, name, bold=True, wrap=True, horizontal="center", fill=_HEAD_FILL)
        for r in (title_row, sub_row):
            _put(ws, r, n, fill=_HEAD_FILL)
        ws.merge_cells(start_row=code_row, start_column=n, end_row=sub_row, end_column=n)
        ws.column_dimensions[get_column_letter(n)].width = width
    col = len(LEFT) + 1
    n = 0
    while n < len(cols):
        ind = cols[n].indicator
        span = sum(1 for c in cols[n:] if c.indicator.code == ind.code)
        title = ind.title + (f" ({ind.unit})" if ind.unit and ind.kind not in ("enum",
                                                                                 "percent") else "")
        _put(ws, code_row, col, ind.code, bold=True, horizontal="center", fill=_HEAD_FILL)
        _put(ws, title_row, col, title, wrap=True, horizontal="center", fill=_HEAD_FILL)
        for k in range(span):
            c = cols[n + k]
            _put(ws, sub_row, col + k, c.label, bold=True, wrap=True, horizontal="center",
                 fill=_HEAD_FILL)
            if k:
                _put(ws, code_row, col + k, fill=_HEAD_FILL)
                _put(ws, title_row, col + k, fill=_HEAD_FILL)
            ws.column_dimensions[get_column_letter(col + k)].width = _COLUMN_WIDTH
        if span > 1:
            for r in (code_row, title_row):
                ws.merge_cells(start_row=r, start_column=col, end_row=r,
                               end_column=col + span - 1)
        col += span
        n += span
    ws.row_dimensions[title_row].height = 15 * 6
    row = FIRST_ROW
    for stt, r in enumerate(rows, 1):
        missing = r.unit_code not in subs
        fill = _GREY if missing else None
        _put(ws, row, 1, stt, horizontal="center", fill=fill)
        _put(ws, row, 2, r.unit_name, fill=fill)
        _put(ws, row, 3, r.unit_code, fill=fill)
        _put(ws, row, 4, NOT_REPORTED if missing else _status_text(r), italic=missing,
             fill=fill)
        values = [None] * len(cols) if missing else cells[r.unit_code]
        for k, (c, v) in enumerate(zip(cols, values)):
            _put(ws, row, len(LEFT) + 1 + k, v, fill=fill,
                 fmt=_RATE_FORMAT if c.field == "rate" or c.indicator.kind == "percent"
                 else _COUNT_FORMAT)
        row += 1
    total_row, units_row = row, row + 1
    _put(ws, total_row, 1, fill=_HEAD_FILL)
    _put(ws, total_row, 2, _TOTAL_LABEL, bold=True, fill=_HEAD_FILL)
    _put(ws, total_row, 3, fill=_HEAD_FILL)
    _put(ws, total_row, 4, f"{len(reported)}/{len(rows)} đã báo cáo", bold=True,
         fill=_HEAD_FILL)
    for k in range(1, 4):
        _put(ws, units_row, k, _UNITS_LABEL if k == 2 else None, italic=True)
    _put(ws, units_row, 4, None)
    for k, c in enumerate(cols):
        at = len(LEFT) + 1 + k
        value = totals.values[k]
        cell = _put(ws, total_row, at, value, bold=True, fill=_HEAD_FILL,
                    wrap=isinstance(value, str),
                    fmt=_RATE_FORMAT if c.field == "rate" else _COUNT_FORMAT)
        if k in totals.notes:
            cell.comment = Comment(totals.notes[k], "cchc")
        _put(ws, units_row, at, totals.units[k], italic=True, fmt=_COUNT_FORMAT)
    note_row = units_row + 2
    for text in (
            "Dòng Tổng cộng: số liệu là tổng của cột; tỷ lệ là tỷ lệ của tổng tử số trên tổng "
            "mẫu số, tính trên các đơn vị có đủ hai số (số đơn vị ghi ở dòng dưới), không phải "
            "trung bình các tỷ lệ; chỉ tiêu mã hóa ghi số đơn vị theo từng giá trị.",
            f"Đơn vị \"{NOT_REPORTED}\": chưa có báo cáo trong kho đến ngày "
            f"{fmt_date_short(as_of)}; không tính vào dòng Tổng cộng."):
        ws.cell(row=note_row, column=1, value=text).font = _font(italic=True)
        note_row += 1
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=len(LEFT) + 1)
    _print_setup(ws, cols, last_col, units_row)
    return wb


def write_summary(path: str | Path, period: str, parent_code: str,
                  store_path: str | Path | None = None, *,
                  as_of: date | None = None) -> tuple[Path, list[UnitStatus]]:
    """Read the store, build the workbook, write it atomically at ``path``; the path and the
    units' statuses."""
    from cchc_lib.files import atomic_path
    from cchc_lib.ingest import parent_unit, submission_status
    from cchc_lib.status import local_today
    from cchc_lib.store import open_store

    p = periods.parse_period(period)
    parent = parent_unit(parent_code, p)
    day = as_of or local_today()
    rows = submission_status(p.key, parent.code, store_path, as_of=day)
    with open_store(store_path, create=False) as store:
        subs = {r.unit_code: store.load(r.unit_code, p.key, r.latest_revision)
                for r in rows if r.submitted}
    wb = build_summary(p.key, parent, rows, subs, as_of=day)
    target = Path(path)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target, rows
