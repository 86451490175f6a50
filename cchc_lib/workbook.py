"""The Excel workbook a commune fills and prints: layout, writer, and where a finding is fixed.

The layout constants below are shared with :mod:`cchc_lib.reader`, so the reader always expects
exactly what the writer lays out, and with :func:`place_of`, which turns a finding's ``where`` key
into the sheet, cell, Stt and column a clerk sees.  The workbook is never made by hand: ``cchc
template`` writes it from the catalogue, and a very hidden ``_meta`` sheet carries the versions so
an old template is recognised.

It is a form meant to be printed as well as typed into: every sheet prints on A4 at the size it
is typed in (Times New Roman 11 pt, the page scale computed from the column widths by
:func:`print_scale`), rows are as tall as their wrapped text, and the columns that hold the keys
the reader needs are hidden and outside the print area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from cchc_lib import periods, units
from cchc_lib.catalogue import Catalogue, catalogue_for, default_catalogue, display_stt
from cchc_lib.files import atomic_path
from cchc_lib.model import Indicator, Submission
from cchc_lib.sections import report_sections

__all__ = ["write_workbook", "build_workbook", "template_for", "place_of", "WorkbookPlace",
           "print_scale", "FORMAT_ID", "TEMPLATE_VERSION", "READABLE_VERSIONS"]

FORMAT_ID = "cchc-workbook"
TEMPLATE_VERSION = "2"
#: Versions the reader reads.  Version 1 had the same sheets and columns with fewer header rows
#: (the header is read by key, so the fields it lacks read as empty) and one text row a section.
READABLE_VERSIONS = ("1", "2")

# Sheet names, as the clerk sees them on the tabs.
SHEET_HEADER = "Thông tin chung"
SHEET_APPENDIX = "PL01"
SHEET_SUPPLEMENT = "Số liệu bổ sung"
SHEET_DOCUMENTS = "Văn bản"
SHEET_TEXT = "Thuyết minh"
SHEET_SOURCE = "_nguon"
SHEET_META = "_meta"

# Indicator sheets (PL01 and the supplementary figures): header row, first data row, columns.
# Column A holds the indicator's code for the reader: hidden, outside the print area.
IND_HEADER_ROW = 5
IND_FIRST_ROW = 6
IND_COLUMNS = ("Mã", "Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng",
               "Số liệu đã thực hiện", "Tỷ lệ (%)", "Ghi chú", "Tính đến ngày")
COL_CODE, COL_STT, COL_TITLE, COL_UNIT, COL_TOTAL, COL_DONE, COL_RATE, COL_NOTE, COL_ASOF = (
    range(1, 10))
#: A finding's column name (``indicator:<code>:<column>``) → the sheet column it is typed in.
IND_FIELDS = {"total": COL_TOTAL, "done": COL_DONE, "rate": COL_RATE, "note": COL_NOTE,
              "as_of": COL_ASOF}

# Header sheet: key (hidden) | label | value, in groups under a heading row each.
HEADER_FIRST_ROW = 3
MAX_RECIPIENTS = 15
HEADER_GROUPS: tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...] = (
    # (group heading, ((key, label, editable), …))
    ("Đơn vị và kỳ báo cáo (chương trình ghi sẵn, không sửa)", (
        ("unit_code", "Mã đơn vị hành chính", False),
        ("unit_name", "Tên đơn vị", False),
        ("period", "Kỳ báo cáo (mã)", False),
        ("period_label", "Kỳ báo cáo", False),
    )),
    ("Số, ngày và tên báo cáo", (
        ("report_number", "Số báo cáo (ví dụ 45)", True),
        ("report_symbol", "Ký hiệu báo cáo (ví dụ BC-UBND)", True),
        ("report_date", "Ngày báo cáo (dd/mm/yyyy)", True),
        ("place", "Địa danh ghi ở dòng ngày tháng", True),
        ("title", "Trích yếu (tên báo cáo)", True),
    )),
    ("Người ký", (
        ("signing_authority", "Thẩm quyền ký (ví dụ TM. ỦY BAN NHÂN DÂN)", True),
        ("signing_capacity", "Ký thay (ví dụ KT. CHỦ TỊCH), để trống nếu Chủ tịch ký", True),
        ("signer_title", "Chức vụ người ký (ví dụ PHÓ CHỦ TỊCH)", True),
        ("signer_name", "Họ và tên người ký", True),
    )),
    ("Số liệu: thời gian lấy số liệu, căn cứ, chi tiết dùng trong thuyết minh", (
        ("data_window_from", "Số liệu tính từ ngày (dd/mm/yyyy)", True),
        ("data_window_to", "Số liệu tính đến ngày (dd/mm/yyyy)", True),
        ("dossier_source", "Nơi thống kê số liệu hồ sơ thủ tục hành chính (ví dụ cổng dịch vụ "
                           "hành chính công)", True),
        ("estimate_basis", "Dự toán ngân sách do ai giao, khi nào (ví dụ HĐND giao đầu năm)",
         True),
        ("staff_basis", "Văn bản làm căn cứ số liệu cán bộ, công chức: số/ký hiệu như ở trang "
                        "Văn bản (ví dụ 365/QĐ-UBND)", True),
        ("seconded_posts", "Chức danh của công chức biệt phái đi, mỗi người một chức danh, cách "
                           "nhau dấu ; (ví dụ Tài chính – Kế toán)", True),
        ("seconded_to", "Nơi biệt phái đến (ví dụ Ủy ban nhân dân xã Quảng Khê)", True),
        ("received_posts", "Chức danh của công chức được tiếp nhận, mỗi người một chức danh, "
                           "cách nhau dấu ; (ví dụ Văn hoá – xã hội; Tư pháp – Hộ tịch)", True),
    )),
    ("Nơi nhận báo cáo", (
        ("addressee", "Cơ quan cấp trên nhận báo cáo, ghi ở lời kết (ví dụ Ủy ban nhân dân "
                      "huyện Đắk Glong)", True),
        *((f"recipient.{n}", f"Nơi nhận {n}", True) for n in range(1, MAX_RECIPIENTS + 1)),
    )),
)
#: Every header field in printed order: (key, label, editable).
HEADER_FIELDS: tuple[tuple[str, str, bool], ...] = tuple(
    f for _, fields in HEADER_GROUPS for f in fields)
#: Fields version 1 of the template did not have (read as empty from a version 1 workbook).
HEADER_FIELDS_SINCE_2 = frozenset({"addressee", "dossier_source", "estimate_basis",
                                   "staff_basis", "seconded_posts", "seconded_to",
                                   "received_posts"})
#: Header fields holding one item per official, separated by ";" in their cell.
HEADER_LISTS = ("seconded_posts", "received_posts")
LIST_SEPARATOR = "; "
#: Rows the reader needs and the clerk does not (the period's code; its label is shown).
HEADER_HIDDEN_ROWS = frozenset({"period"})
HEADER_COLUMNS = ("Khóa", "Nội dung", "Giá trị")


def _header_rows() -> dict[str, int]:
    rows, row = {}, HEADER_FIRST_ROW
    for _, fields in HEADER_GROUPS:
        row += 1  # the group's heading
        for key, _, _ in fields:
            rows[key] = row
            row += 1
    return rows


#: Header field key → its row in the header sheet (value in column C).
HEADER_ROWS: dict[str, int] = _header_rows()

# Documents register: one document a row, from DOC_FIRST_ROW; at least DOC_ROWS input rows.
DOC_HEADER_ROW = 2
DOC_FIRST_ROW = 3
DOC_ROWS = 60
DOC_SPARE_ROWS = 10  # blank rows after the documents of a filled register
DOC_COLUMNS = ("Loại văn bản", "Số", "Ký hiệu", "Ngày ban hành (dd/mm/yyyy)", "Trích yếu",
               "Mục của báo cáo", "Do đơn vị ban hành (Có/Không)")
#: A finding's column name (``document:<n>:<column>``) → the column, in DOC_COLUMNS order.
DOC_FIELDS = ("type", "number", "symbol", "date", "summary", "section", "issued_by_unit")
DOC_TYPES = ("Kế hoạch", "Quyết định", "Báo cáo", "Công văn", "Thông báo", "Tờ trình",
             "Chương trình", "Hướng dẫn", "Chỉ thị", "Nghị quyết", "Nghị định", "Thông tư",
             "Quy định", "Quy chế", "Biên bản")
YES, NO = "Có", "Không"

# Free text: key (hidden) | heading | text; one paragraph a row (more with Alt+Enter in a cell).
TEXT_HEADER_ROW = 2
TEXT_FIRST_ROW = 3
TEXT_COLUMNS = ("Khóa", "Mục", "Nội dung")

# Hidden provenance sheet: kind | key | text.
SOURCE_KINDS = ("unit_name", "period_label", "figure_text")

# ------------------------------------------------------------------------------ print layout
#: Every cell's font: Times New Roman, the font of administrative documents (Nghị định 30).  It
#: is also the workbook's default font, which sets the unit of column widths: a width of one is
#: the width of a digit, 5,5 pt at 11 pt in Times New Roman (and its metric twins Liberation
#: Serif and Tinos, which LibreOffice uses where Times New Roman is not installed).
FONT_NAME = "Times New Roman"
FONT_SIZE = 11
TITLE_SIZE = 13
DIGIT_PT = 5.5  # width of one column-width unit, in points, at FONT_SIZE
CELL_PAD_PT = 3.75  # a column's padding beyond its characters (5 px)
LINE_PT = 13.5  # one line of FONT_SIZE text (LibreOffice sets 12,2 pt, Excel about 12,75)
ROW_PAD_PT = 4.0
MAX_ROW_PT = 409.0  # the tallest row a spreadsheet allows
A4_PT = (595.28, 841.89)  # width, height of A4 in points
MARGIN_IN = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
MIN_PRINTED_PT = 9.0  # no text smaller than this on paper

# Visible columns of each sheet: (letter, width in digits).  Chosen so that every sheet fits the
# width of its page at 100 %; fit-to-width only ever shrinks a sheet a clerk has widened.
_WIDTHS = {
    SHEET_HEADER: (("B", 38), ("C", 54)),
    SHEET_APPENDIX: (("B", 9), ("C", 50), ("D", 15), ("E", 14), ("F", 14), ("G", 9), ("H", 19)),
    SHEET_SUPPLEMENT: (("B", 7), ("C", 44), ("D", 8), ("E", 15), ("F", 15), ("G", 9), ("H", 20),
                       ("I", 13)),
    SHEET_DOCUMENTS: (("A", 12), ("B", 7), ("C", 14), ("D", 13), ("E", 63), ("F", 9), ("G", 11)),
    SHEET_TEXT: (("B", 30), ("C", 104)),
}
_ORIENTATION = {SHEET_HEADER: "portrait", SHEET_APPENDIX: "landscape",
                SHEET_SUPPLEMENT: "landscape", SHEET_DOCUMENTS: "landscape",
                SHEET_TEXT: "landscape"}

_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
_BOLD = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
_ITALIC = Font(name=FONT_NAME, size=FONT_SIZE, italic=True)
_TITLE = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_GROUP_FILL = PatternFill("solid", fgColor="EEF1F6")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
_UNLOCKED = Protection(locked=False)


def enum_choice(value: int, label: str) -> str:
    """The drop-down text of a coded value: ``2 - Hoàn thành``."""
    return f"{value} - {label}"


# ------------------------------------------------------------------------------ measuring text

def _char_width(ch: str, bold: bool) -> float:
    """A character's width in digit widths, rounded up for Times New Roman (bold a little
    wider): capitals are wide, spaces narrow."""
    if ch.isspace():
        w = 0.55
    elif ch.isupper():
        w = 1.45
    elif ch.isdigit():
        w = 1.0
    elif ch.isalpha():
        w = 0.95
    else:
        w = 0.8
    return w * (1.08 if bold else 1.0)


def wrapped_lines(text: object, width: float, *, bold: bool = False,
                  size: float = FONT_SIZE) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` digits wide (at least one).

    Words wrap whole, as a spreadsheet wraps them; a word wider than the cell is broken.  The
    estimate errs on the tall side: a row a line too tall wastes a little paper, a row a line
    too short prints one cell over the next.
    """
    if text is None or text == "":
        return 1
    room = max(1.0, (width - 0.6) * FONT_SIZE / size)
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split():
            w = sum(_char_width(c, bold) for c in word)
            gap = _char_width(" ", bold) if used else 0.0
            if used + gap + w <= room:
                used += gap + w
                continue
            if used:
                count += 1
            while w > room:  # a word longer than the line breaks across lines
                count += 1
                w -= room
            used = w
        lines += count
    return max(1, lines)


def _row_height(lines: int, size: float = FONT_SIZE) -> float:
    return min(MAX_ROW_PT, lines * LINE_PT * size / FONT_SIZE + ROW_PAD_PT)


def _fit_row(ws, row: int, min_lines: int = 1) -> None:
    """Make ``row`` tall enough for the wrapped text of every one of its cells."""
    lines = float(min_lines)
    for cell in ws[row]:
        if cell.value in (None, "") or ws.column_dimensions[cell.column_letter].hidden:
            continue
        font = cell.font or _FONT
        size = font.sz or FONT_SIZE
        width = ws.column_dimensions[cell.column_letter].width or 8.43
        if cell.coordinate in ws.merged_cells:
            width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                        for c in _merged_columns(ws, cell))
        need = wrapped_lines(cell.value, width, bold=bool(font.b), size=size)
        lines = max(lines, need * size / FONT_SIZE)
    ws.row_dimensions[row].height = _row_height(math.ceil(lines))


def _merged_columns(ws, cell) -> range:
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return range(rng.min_col, rng.max_col + 1)
    return range(cell.column, cell.column + 1)


# ------------------------------------------------------------------------------ print setup

def _printable_width_pt(orientation: str) -> float:
    paper = A4_PT[1] if orientation == "landscape" else A4_PT[0]
    return paper - 72 * (MARGIN_IN["left"] + MARGIN_IN["right"])


def column_width_pt(width: float) -> float:
    """The printed width of a column ``width`` digits wide, in points (upper estimate)."""
    return width * DIGIT_PT + CELL_PAD_PT


def print_scale(sheet: str) -> float:
    """The scale a sheet prints at on A4: printable width / width of its printed columns,
    at most 1 (fit-to-width never enlarges)."""
    used = sum(column_width_pt(w) for _, w in _WIDTHS[sheet])
    return min(1.0, _printable_width_pt(_ORIENTATION[sheet]) / used)


def _page(ws, sheet: str, area: str, title_rows: str | None = None) -> None:
    """A4 in the sheet's orientation, as wide as the page (never shrinking below
    :data:`MIN_PRINTED_PT`), the print area without the hidden key columns, headings repeated
    on every page, the page number in the footer."""
    assert print_scale(sheet) * FONT_SIZE >= MIN_PRINTED_PT, sheet  # a layout change went wrong
    for letter, width in _WIDTHS[sheet]:
        ws.column_dimensions[letter].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = _ORIENTATION[sheet]
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(**MARGIN_IN)
    ws.print_options.horizontalCentered = True
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = f"{sheet} — Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 9


def _protect(ws) -> None:
    # No password: protection guards against slips, not against the commune itself.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _default_font(wb: Workbook) -> None:
    """Times New Roman 11 as the workbook's default font (the "Normal" style).

    The default font sets the unit of column widths; with it, Excel and LibreOffice agree on how
    wide a column prints, and the page scale of :func:`print_scale` holds.  openpyxl has no
    public setter for it: the first font of the stylesheet is the default.
    """
    wb._fonts = IndexedList([_FONT])  # noqa: SLF001 - see the docstring
    wb._named_styles["Normal"].font = _FONT  # noqa: SLF001


# ------------------------------------------------------------------------------ cells

def _cell(ws, row: int, col: int, value=None, *, font: Font = _FONT, border: bool = True,
          align: Alignment = _WRAP):
    cell = ws.cell(row=row, column=col)
    if value not in (None, ""):
        cell.value = value
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = _BORDER
    return cell


def _input(ws, row: int, col: int, value=None, *, text: bool = False):
    cell = _cell(ws, row, col, value)
    cell.protection = _UNLOCKED
    cell.fill = _INPUT_FILL
    if text:
        cell.number_format = "@"
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed text, never a formula
    return cell


def _head_row(ws, row: int, names: tuple[str, ...], first_col: int = 1) -> None:
    for col, name in enumerate(names, start=first_col):
        cell = _cell(ws, row, col, name, font=_BOLD, align=_CENTER)
        cell.fill = _HEAD_FILL
    _fit_row(ws, row)


def _titles(ws, texts: tuple[str, ...], first_col: int, last_col: int) -> None:
    """Title lines above a table, each merged across the printed columns and centred."""
    for row, text in enumerate(texts, start=1):
        font = _TITLE if row < len(texts) or len(texts) == 1 else _ITALIC
        _cell(ws, row, first_col, text, font=font, border=False, align=_CENTER)
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
        _fit_row(ws, row)


# ------------------------------------------------------------------------------ sheets

def _header_values(sub: Submission, unit_title: str, period_label: str) -> dict[str, str]:
    h = sub.header
    window = h.data_window or ("", "")
    values = {
        "unit_code": sub.unit_code, "unit_name": unit_title, "period": sub.period,
        "period_label": period_label, "report_number": h.report_number,
        "report_symbol": h.report_symbol, "report_date": h.report_date, "place": h.place,
        "title": h.title, "signing_authority": h.signing_authority,
        "signing_capacity": h.signing_capacity, "signer_title": h.signer_title,
        "signer_name": h.signer_name, "data_window_from": window[0], "data_window_to": window[1],
        "addressee": h.addressee, "dossier_source": h.dossier_source,
        "estimate_basis": h.estimate_basis, "staff_basis": h.staff_basis,
        "seconded_to": h.seconded_to,
    }
    values.update({key: LIST_SEPARATOR.join(getattr(h, key)) for key in HEADER_LISTS})
    values.update({f"recipient.{n}": r for n, r in enumerate(h.recipients, start=1)})
    return values


def _header_sheet(wb: Workbook, sub: Submission, unit_title: str, period_label: str) -> None:
    ws = wb.active
    ws.title = SHEET_HEADER
    ws.column_dimensions["A"].hidden = True  # the keys, for the reader
    for letter, width in _WIDTHS[SHEET_HEADER]:
        ws.column_dimensions[letter].width = width
    _titles(ws, (f"THÔNG TIN CHUNG CỦA BÁO CÁO — {unit_title}, {period_label}",), 2, 3)
    _head_row(ws, HEADER_FIRST_ROW - 1, HEADER_COLUMNS)
    values = _header_values(sub, unit_title, period_label)
    for heading, fields in HEADER_GROUPS:
        row = HEADER_ROWS[fields[0][0]] - 1
        cell = _cell(ws, row, 2, heading, font=_BOLD)
        cell.fill = _GROUP_FILL
        _cell(ws, row, 3).fill = _GROUP_FILL
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        _fit_row(ws, row)
        for key, label, editable in fields:
            row = HEADER_ROWS[key]
            ws.cell(row=row, column=1, value=key)
            _cell(ws, row, 2, label)
            value = values.get(key)
            if editable:
                _input(ws, row, 3, value, text=True)
            else:
                _cell(ws, row, 3, value, font=_BOLD)
            _fit_row(ws, row)
            if key in HEADER_HIDDEN_ROWS:
                ws.row_dimensions[row].hidden = True
    last = max(HEADER_ROWS.values())
    _page(ws, SHEET_HEADER, f"B1:C{last}", f"{HEADER_FIRST_ROW - 1}:{HEADER_FIRST_ROW - 1}")
    _protect(ws)


def indicator_rows(sheet: str, cat: Catalogue) -> list[Indicator]:
    """The indicators of an indicator sheet, in row order from :data:`IND_FIRST_ROW`."""
    if sheet == SHEET_APPENDIX:
        return [i for i in cat if i.section == "appendix"]
    return [i for i in cat if i.section == "supplementary" and i.code != "S"]


def _enum_list(ws, ind: Indicator, lists: dict) -> DataValidation:
    key = tuple(sorted(ind.coding.items()))
    if key not in lists:
        choices = ",".join(enum_choice(v, lbl) for v, lbl in key)
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                            error="Hãy chọn một giá trị trong danh sách.",
                            promptTitle="Chọn giá trị", prompt=choices.replace(",", "; "))
        ws.add_data_validation(dv)
        lists[key] = dv
    return lists[key]


def _indicator_sheet(wb: Workbook, name: str, cat: Catalogue, sub: Submission,
                     titles: tuple[str, str, str], with_as_of: bool) -> None:
    ws = wb.create_sheet(name)
    ws.column_dimensions["A"].hidden = True  # the codes, for the reader
    for letter, width in _WIDTHS[name]:
        ws.column_dimensions[letter].width = width
    columns = IND_COLUMNS if with_as_of else IND_COLUMNS[:-1]
    _titles(ws, titles, COL_STT, len(columns))
    _head_row(ws, IND_HEADER_ROW, columns)
    enum_lists: dict[tuple, DataValidation] = {}
    rows = indicator_rows(name, cat)
    for offset, ind in enumerate(rows):
        row = IND_FIRST_ROW + offset
        ws.cell(row=row, column=COL_CODE, value=ind.code)
        font = _BOLD if ind.is_group else _FONT
        for col, text in ((COL_STT, display_stt(ind)), (COL_TITLE, ind.title),
                          (COL_UNIT, ind.unit)):
            _cell(ws, row, col, text or None, font=font)
        for col in range(COL_TOTAL, len(columns) + 1):  # ruled, locked unless an input below
            _cell(ws, row, col)
        if ind.is_group:
            _fit_row(ws, row)
            continue
        value = sub.value(ind.code)
        number_cols = (COL_TOTAL, COL_DONE) if ind.kind == "enum" else (
            COL_TOTAL, COL_DONE, COL_RATE)
        for col in number_cols:
            typed = None
            if value is not None:
                typed = {COL_TOTAL: value.total, COL_DONE: value.done, COL_RATE: value.rate}[col]
            if ind.kind == "enum" and typed is not None and ind.coding and typed in ind.coding:
                typed = enum_choice(int(typed), ind.coding[int(typed)])
            _input(ws, row, col, typed)
        _input(ws, row, COL_NOTE, value.note if value else None, text=True)
        if with_as_of:
            _input(ws, row, COL_ASOF, value.as_of if value else None, text=True)
        if ind.kind == "enum":
            _enum_list(ws, ind, enum_lists).add(
                f"{ws.cell(row=row, column=COL_TOTAL).coordinate}:"
                f"{ws.cell(row=row, column=COL_DONE).coordinate}")
        _fit_row(ws, row)
    ws.freeze_panes = ws.cell(row=IND_FIRST_ROW, column=COL_TOTAL)
    last_col = get_column_letter(len(columns))
    _page(ws, name, f"B1:{last_col}{IND_FIRST_ROW + len(rows) - 1}",
          f"{IND_HEADER_ROW}:{IND_HEADER_ROW}")
    _protect(ws)


def document_rows(sub: Submission) -> int:
    """How many input rows the register has: every document, then blank rows to type more."""
    return max(DOC_ROWS, len(sub.documents) + DOC_SPARE_ROWS)


def _documents_sheet(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(SHEET_DOCUMENTS)
    for letter, width in _WIDTHS[SHEET_DOCUMENTS]:
        ws.column_dimensions[letter].width = width
    _titles(ws, ("SỔ VĂN BẢN ĐÃ BAN HÀNH VÀ ĐƯỢC TRÍCH DẪN TRONG BÁO CÁO",), 1, len(DOC_COLUMNS))
    _head_row(ws, DOC_HEADER_ROW, DOC_COLUMNS)
    types = DataValidation(type="list", formula1=f'"{",".join(DOC_TYPES)}"', allow_blank=True,
                           showErrorMessage=False)  # other types may be typed in
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    ws.add_data_validation(types)
    ws.add_data_validation(yes_no)
    last = DOC_FIRST_ROW + document_rows(sub) - 1
    types.add(f"A{DOC_FIRST_ROW}:A{last}")
    yes_no.add(f"G{DOC_FIRST_ROW}:G{last}")
    for row in range(DOC_FIRST_ROW, last + 1):
        idx = row - DOC_FIRST_ROW
        doc = sub.documents[idx] if idx < len(sub.documents) else None
        fields = ((doc.type_word, doc.number, doc.symbol, doc.date, doc.summary, doc.section,
                   YES if doc.issued_by_unit else NO) if doc else (None,) * 7)
        for col, value in enumerate(fields, start=1):
            _input(ws, row, col, value, text=True)
        _fit_row(ws, row)
    ws.freeze_panes = f"A{DOC_FIRST_ROW}"
    _page(ws, SHEET_DOCUMENTS, f"A1:G{last}", f"{DOC_HEADER_ROW}:{DOC_HEADER_ROW}")
    _protect(ws)


@dataclass(frozen=True)
class TextRow:
    """One row of the text sheet: the section's key, its heading (first row of the section
    only), and one paragraph (``None`` on a heading over sub-sections, which takes no text)."""

    key: str
    heading: str
    paragraph: str | None


def _section_heading(key: str, level: int, heading: str) -> str:
    return heading if level == 0 else f"{key}. {heading}"


def text_rows(sub: Submission) -> list[TextRow]:
    """The rows of the text sheet, from :data:`TEXT_FIRST_ROW`: every section of the report in
    order, one paragraph a row (one empty row for a section without text), then the sections a
    submission has outside the standard list."""
    sections = report_sections()
    keys = {s.key for s in sections}
    out: list[TextRow] = []
    for s in sections:
        heading = _section_heading(s.key, s.level, s.heading)
        if s.level == 1 and any(k.startswith(s.key + ".") for k in keys):
            out.append(TextRow(s.key, heading, None))
            continue
        paragraphs = list(sub.sections.get(s.key, ())) or [""]
        out += [TextRow(s.key, heading if n == 0 else "", p) for n, p in enumerate(paragraphs)]
    for key, paragraphs in sub.sections.items():  # kept through a round trip
        if key not in keys:
            out += [TextRow(key, key if n == 0 else "", p)
                    for n, p in enumerate(paragraphs or ("",))]
    return out


def _text_sheet(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(SHEET_TEXT)
    ws.column_dimensions["A"].hidden = True  # the section keys, for the reader
    for letter, width in _WIDTHS[SHEET_TEXT]:
        ws.column_dimensions[letter].width = width
    _titles(ws, ("THUYẾT MINH: NỘI DUNG KHÔNG CÓ SỐ LIỆU (mỗi đoạn một dòng; thêm đoạn trong một "
                 "ô bằng Alt+Enter)",), 2, 3)
    _head_row(ws, TEXT_HEADER_ROW, TEXT_COLUMNS)
    rows = text_rows(sub)
    for row, item in enumerate(rows, start=TEXT_FIRST_ROW):
        ws.cell(row=row, column=1, value=item.key)
        if item.paragraph is None:
            cell = _cell(ws, row, 2, item.heading, font=_BOLD)
            cell.fill = _GROUP_FILL
            _cell(ws, row, 3).fill = _GROUP_FILL
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
            _fit_row(ws, row)
            continue
        _cell(ws, row, 2, item.heading or None)
        _input(ws, row, 3, item.paragraph, text=True)
        _fit_row(ws, row, min_lines=1 if item.paragraph else 3)  # room to write by hand
    last = TEXT_FIRST_ROW + len(rows) - 1
    _page(ws, SHEET_TEXT, f"B1:C{last}", f"{TEXT_HEADER_ROW}:{TEXT_HEADER_ROW}")
    _protect(ws)


def _source_sheet(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(SHEET_SOURCE)
    ws.append(("kind", "key", "text"))
    for key, name in sub.unit_names.items():
        ws.append(("unit_name", key, name))
    for key, label in sub.period_labels.items():
        ws.append(("period_label", key, label))
    for key, paragraphs in sub.figure_text.items():
        for p in paragraphs:
            ws.append(("figure_text", key, p))
    ws.sheet_state = "veryHidden"  # for the reader only: a clerk cannot unhide it by mistake


def _meta_sheet(wb: Workbook, sub: Submission, cat: Catalogue) -> None:
    ws = wb.create_sheet(SHEET_META)
    for row in (("format", FORMAT_ID), ("template_version", TEMPLATE_VERSION),
                ("catalogue_version", cat.version), ("unit_code", sub.unit_code),
                ("period", sub.period), ("source", sub.source),
                ("illustrative", "1" if sub.illustrative else "0")):
        ws.append(row)
    ws.sheet_state = "veryHidden"
    _protect(ws)


def template_for(unit_code: str, period: str) -> Submission:
    """An empty submission for a unit and period: what ``cchc template`` fills in."""
    p = periods.parse_period(period)
    unit = units.get_unit(unit_code, era=units.era_for(p.last_day))
    return Submission(unit_code=unit.code, period=p.key)


def build_workbook(sub: Submission, catalogue: Catalogue | None = None) -> Workbook:
    """The workbook for a submission (empty or filled), laid out from the catalogue (by
    default the version in force for the submission's period)."""
    cat = catalogue or catalogue_for(sub.period)
    p = periods.parse_period(sub.period)
    unit = units.get_unit(sub.unit_code, era=units.era_for(p.last_day))
    unit_title = units.unit_title(unit)
    label = periods.label(p)
    wb = Workbook()
    _default_font(wb)
    wb.properties.creator = "Chương trình cchc"
    wb.properties.title = f"Số liệu báo cáo cải cách hành chính — {unit_title}, {label}"
    _header_sheet(wb, sub, unit_title, label)
    banner = "DỮ LIỆU MINH HỌA — không phải số liệu thật" if sub.illustrative else (
        f"{unit_title}, {label}")
    _indicator_sheet(wb, SHEET_APPENDIX, cat, sub,
                     ("PHỤ LỤC SỐ 01",
                      "Thống kê số liệu kết quả thực hiện cải cách hành chính", banner),
                     with_as_of=False)
    _indicator_sheet(wb, SHEET_SUPPLEMENT, cat, sub,
                     ("SỐ LIỆU BỔ SUNG CHO PHẦN THUYẾT MINH",
                      "Số liệu tổng: tổng số hoặc dự toán; Số liệu đã thực hiện: phần đạt được",
                      banner), with_as_of=True)
    _documents_sheet(wb, sub)
    _text_sheet(wb, sub)
    _source_sheet(wb, sub)
    _meta_sheet(wb, sub, cat)
    return wb


def write_workbook(path: str | Path, sub: Submission, catalogue: Catalogue | None = None) -> Path:
    """Write the workbook atomically: to a temporary file beside ``path``, then rename.

    The file gets the mode any new file of the user gets (``0o666 & ~umask``, 0644 under the
    usual umask 022), not the 0600 of the private temporary file it is written as.
    """
    path = Path(path)
    wb = build_workbook(sub, catalogue)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# ------------------------------------------------------------------------------ place_of

@dataclass(frozen=True)
class WorkbookPlace:
    """Where in the workbook a clerk fixes a finding, as the clerk sees it.

    ``sheet`` is the tab's name, ``cell`` the cell's address (``G12``; None when the place is a
    whole sheet or a row without an input cell), ``row`` its row, ``stt`` the Stt printed in
    that row (``1.2.1.``; "" where the sheet has no Stt), ``title`` what the row is (the
    indicator's title, the header field's label, the document, the section's heading) and
    ``column`` the column's heading as printed (``Tỷ lệ (%)``).
    """

    sheet: str
    cell: str | None
    row: int | None
    stt: str
    title: str
    column: str


def _indicator_place(code: str, column: str | None, cat: Catalogue) -> WorkbookPlace | None:
    if code not in cat or code == "S":
        return None
    ind = cat[code]
    sheet = SHEET_APPENDIX if ind.section == "appendix" else SHEET_SUPPLEMENT
    if column is None:
        col = COL_TOTAL
    elif column in IND_FIELDS:
        col = IND_FIELDS[column]
    else:
        return None
    if col == COL_ASOF and sheet != SHEET_SUPPLEMENT:
        return None
    row = IND_FIRST_ROW + [i.code for i in indicator_rows(sheet, cat)].index(code)
    cell = None if ind.is_group else f"{get_column_letter(col)}{row}"
    return WorkbookPlace(sheet, cell, row, display_stt(ind), ind.title, IND_COLUMNS[col - 1])


def _header_place(key: str) -> WorkbookPlace | None:
    if key not in HEADER_ROWS:
        return None
    label = next(lbl for k, lbl, _ in HEADER_FIELDS if k == key)
    row = HEADER_ROWS[key]
    return WorkbookPlace(SHEET_HEADER, f"C{row}", row, "", label, HEADER_COLUMNS[2])


def _document_place(index: str, column: str | None, sub: Submission) -> WorkbookPlace | None:
    if not index.isdigit() or int(index) >= len(sub.documents):
        return None
    if column is not None and column not in DOC_FIELDS:
        return None
    col = 1 if column is None else DOC_FIELDS.index(column) + 1
    doc = sub.documents[int(index)]
    row = DOC_FIRST_ROW + int(index)
    title = " ".join(x for x in (doc.type_word, "số", doc.reference) if x)
    return WorkbookPlace(SHEET_DOCUMENTS, f"{get_column_letter(col)}{row}", row, "", title,
                         DOC_COLUMNS[col - 1])


def _section_place(key: str, sub: Submission) -> WorkbookPlace | None:
    if key == "title":  # the report's title is the header's trích yếu
        return _header_place("title")
    if key == "header":  # the unit's name above the title, written by the program
        return _header_place("unit_name")
    if key == "appendix":
        return WorkbookPlace(SHEET_APPENDIX, None, None, "", "PHỤ LỤC SỐ 01", "")
    for row, item in enumerate(text_rows(sub), start=TEXT_FIRST_ROW):
        if item.key == key:
            if item.paragraph is None:  # a heading over sub-sections: its own cell
                return WorkbookPlace(SHEET_TEXT, f"B{row}", row, "", item.heading,
                                     TEXT_COLUMNS[1])
            return WorkbookPlace(SHEET_TEXT, f"C{row}", row, "", item.heading, TEXT_COLUMNS[2])
    return None


def place_of(where: str | None, sub: Submission,
             cat: Catalogue | None = None) -> WorkbookPlace | None:
    """Where the clerk fixes a finding: a :class:`~cchc_lib.model.Finding`'s ``where`` key
    resolved with the very layout :func:`write_workbook` writes for ``sub``.

    Keys: ``indicator:<code>[:<column>]`` (total, done, rate, note, as_of), ``header:<field>``
    (a key of :data:`HEADER_FIELDS`), ``document:<index in sub.documents>[:<column>]`` (a name
    of :data:`DOC_FIELDS`), ``section:<key>`` (a free-text section, ``title``, ``header``,
    ``appendix``).  Without a column the place is the row's first input cell.  None for None
    (the report as a whole) and for a key the layout does not know.
    """
    if not where:
        return None
    kind, _, rest = where.partition(":")
    name, _, column = rest.partition(":")
    column = column or None
    if kind == "indicator":
        return _indicator_place(name, column, cat or default_catalogue())
    if kind == "header" and column is None:
        return _header_place(name)
    if kind == "document":
        return _document_place(name, column, sub)
    if kind == "section":
        return _section_place(rest, sub)
    return None
