"""The Excel workbook a commune fills: its layout, and the writer that makes it from the catalogue.

The layout constants below are shared with :mod:`cchc_lib.reader`, so the
reader always expects exactly what the writer lays out.  The workbook is never
made by hand: ``cchc template`` writes it from the catalogue, and a hidden
``_meta`` sheet carries the catalogue version so an old template is recognised.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from cchc_lib import periods, units
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.model import Indicator, Submission
from cchc_lib.sections import report_sections

__all__ = ["write_workbook", "template_for", "FORMAT_ID", "TEMPLATE_VERSION"]

FORMAT_ID = "cchc-workbook"
TEMPLATE_VERSION = "1"

# Sheet names.
SHEET_HEADER = "Thông tin chung"
SHEET_APPENDIX = "PL01"
SHEET_SUPPLEMENT = "Số liệu bổ sung"
SHEET_DOCUMENTS = "Văn bản"
SHEET_TEXT = "Thuyết minh"
SHEET_SOURCE = "_nguon"
SHEET_META = "_meta"

# Indicator sheets (PL01 and the supplementary figures): header row, first data row, columns.
IND_HEADER_ROW = 5
IND_FIRST_ROW = 6
IND_COLUMNS = ("Mã", "Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng",
               "Số liệu đã thực hiện", "Tỷ lệ (%)", "Ghi chú", "Tính đến ngày")
COL_CODE, COL_STT, COL_TITLE, COL_UNIT, COL_TOTAL, COL_DONE, COL_RATE, COL_NOTE, COL_ASOF = (
    range(1, 10))

# Header sheet: key (hidden) | label | value.
HEADER_FIRST_ROW = 3
MAX_RECIPIENTS = 15
HEADER_FIELDS: tuple[tuple[str, str, bool], ...] = (
    # key, label, editable
    ("unit_code", "Mã đơn vị hành chính", False),
    ("unit_name", "Tên đơn vị", False),
    ("period", "Kỳ báo cáo (mã)", False),
    ("period_label", "Kỳ báo cáo", False),
    ("report_number", "Số báo cáo (ví dụ 45)", True),
    ("report_symbol", "Ký hiệu báo cáo (ví dụ BC-UBND)", True),
    ("report_date", "Ngày báo cáo (dd/mm/yyyy)", True),
    ("place", "Địa danh ghi ở dòng ngày tháng", True),
    ("title", "Trích yếu (tên báo cáo)", True),
    ("signing_authority", "Thẩm quyền ký (ví dụ TM. ỦY BAN NHÂN DÂN)", True),
    ("signing_capacity", "Ký thay (ví dụ KT. CHỦ TỊCH), để trống nếu Chủ tịch ký", True),
    ("signer_title", "Chức vụ người ký (ví dụ PHÓ CHỦ TỊCH)", True),
    ("signer_name", "Họ và tên người ký", True),
    ("data_window_from", "Số liệu tính từ ngày (dd/mm/yyyy)", True),
    ("data_window_to", "Số liệu tính đến ngày (dd/mm/yyyy)", True),
) + tuple((f"recipient.{n}", f"Nơi nhận {n}", True) for n in range(1, MAX_RECIPIENTS + 1))

# Documents register.
DOC_HEADER_ROW = 2
DOC_FIRST_ROW = 3
DOC_ROWS = 200
DOC_COLUMNS = ("Loại văn bản", "Số", "Ký hiệu", "Ngày ban hành (dd/mm/yyyy)", "Trích yếu",
               "Mục của báo cáo", "Do đơn vị ban hành (Có/Không)")
DOC_TYPES = ("Kế hoạch", "Quyết định", "Báo cáo", "Công văn", "Thông báo", "Tờ trình",
             "Chương trình", "Hướng dẫn", "Chỉ thị", "Nghị quyết", "Nghị định", "Thông tư",
             "Quy định", "Quy chế", "Biên bản")
YES, NO = "Có", "Không"

# Free text: key (hidden) | heading | text (paragraphs separated by line breaks in the cell).
TEXT_HEADER_ROW = 2
TEXT_FIRST_ROW = 3

# Hidden provenance sheet: kind | key | text.
SOURCE_KINDS = ("unit_name", "period_label", "figure_text")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def enum_choice(value: int, label: str) -> str:
    """The drop-down text of a coded value: ``2 - Hoàn thành``."""
    return f"{value} - {label}"


def _input(cell, value=None, *, text: bool = False) -> None:
    cell.protection = _UNLOCKED
    cell.fill = _INPUT_FILL
    cell.border = _BORDER
    if text:
        cell.number_format = "@"
    if value not in (None, ""):
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed text, never a formula


def _head_row(ws, row: int, names: tuple[str, ...]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _protect(ws) -> None:
    # No password: protection guards against slips, not against the commune itself.
    ws.protection.sheet = True
    # Print on A4, as wide as the page, as long as it needs.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _header_sheet(wb: Workbook, sub: Submission, unit_title: str, period_label: str) -> None:
    ws = wb.active
    ws.title = SHEET_HEADER
    ws["B1"] = f"THÔNG TIN CHUNG CỦA BÁO CÁO — {unit_title}, {period_label}"
    ws["B1"].font = _TITLE
    _head_row(ws, 2, ("Khóa", "Nội dung", "Giá trị"))
    h = sub.header
    window = h.data_window or ("", "")
    values = {
        "unit_code": sub.unit_code, "unit_name": unit_title, "period": sub.period,
        "period_label": period_label, "report_number": h.report_number,
        "report_symbol": h.report_symbol, "report_date": h.report_date, "place": h.place,
        "title": h.title, "signing_authority": h.signing_authority,
        "signing_capacity": h.signing_capacity, "signer_title": h.signer_title,
        "signer_name": h.signer_name, "data_window_from": window[0], "data_window_to": window[1],
    }
    values.update({f"recipient.{n}": r for n, r in enumerate(h.recipients, start=1)})
    for offset, (key, label, editable) in enumerate(HEADER_FIELDS):
        row = HEADER_FIRST_ROW + offset
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=label).border = _BORDER
        cell = ws.cell(row=row, column=3)
        if editable:
            _input(cell, values.get(key), text=True)
        else:
            cell.value = values.get(key)
            cell.font = _BOLD
            cell.border = _BORDER
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 55
    ws.column_dimensions["C"].width = 70
    _protect(ws)


def _indicator_sheet(wb: Workbook, name: str, rows: list[Indicator], sub: Submission,
                     titles: tuple[str, str, str], with_as_of: bool) -> None:
    ws = wb.create_sheet(name)
    for r, text in enumerate(titles, start=1):
        ws.cell(row=r, column=COL_STT, value=text).font = _TITLE if r < 3 else Font(italic=True)
    columns = IND_COLUMNS if with_as_of else IND_COLUMNS[:-1]
    _head_row(ws, IND_HEADER_ROW, columns)
    enum_lists: dict[tuple, DataValidation] = {}
    for offset, ind in enumerate(rows):
        row = IND_FIRST_ROW + offset
        ws.cell(row=row, column=COL_CODE, value=ind.code)
        for col, text in ((COL_STT, ind.printed), (COL_TITLE, ind.title), (COL_UNIT, ind.unit)):
            cell = ws.cell(row=row, column=col, value=text or None)
            cell.border = _BORDER
            cell.alignment = _WRAP
            if ind.is_group:
                cell.font = _BOLD
        # Spreadsheets do not grow a row for wrapped text on their own when printing.
        ws.row_dimensions[row].height = 15 * max(1, -(-len(ind.title) // 62))
        if ind.is_group:
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
            _input(ws.cell(row=row, column=col), typed)
        _input(ws.cell(row=row, column=COL_NOTE), value.note if value else None, text=True)
        if with_as_of:
            _input(ws.cell(row=row, column=COL_ASOF), value.as_of if value else None, text=True)
        if ind.kind == "enum":
            key = tuple(sorted(ind.coding.items()))
            if key not in enum_lists:
                choices = ",".join(enum_choice(v, lbl) for v, lbl in key)
                dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                    error="Hãy chọn một giá trị trong danh sách.",
                                    promptTitle="Chọn giá trị", prompt=choices.replace(",", "; "))
                ws.add_data_validation(dv)
                enum_lists[key] = dv
            enum_lists[key].add(f"{ws.cell(row=row, column=COL_TOTAL).coordinate}:"
                                f"{ws.cell(row=row, column=COL_DONE).coordinate}")
    ws.column_dimensions["A"].hidden = True
    for col, width in zip("BCDEFGHI", (9, 60, 18, 14, 14, 10, 24, 16)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=IND_FIRST_ROW, column=COL_TOTAL)
    _protect(ws)


def _documents_sheet(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(SHEET_DOCUMENTS)
    ws["A1"] = "SỔ VĂN BẢN ĐÃ BAN HÀNH VÀ ĐƯỢC TRÍCH DẪN TRONG BÁO CÁO"
    ws["A1"].font = _TITLE
    _head_row(ws, DOC_HEADER_ROW, DOC_COLUMNS)
    types = DataValidation(type="list", formula1=f'"{",".join(DOC_TYPES)}"', allow_blank=True,
                           showErrorMessage=False)  # other types may be typed in
    yes_no = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    ws.add_data_validation(types)
    ws.add_data_validation(yes_no)
    last = DOC_FIRST_ROW + max(DOC_ROWS, len(sub.documents)) - 1
    types.add(f"A{DOC_FIRST_ROW}:A{last}")
    yes_no.add(f"G{DOC_FIRST_ROW}:G{last}")
    for row in range(DOC_FIRST_ROW, last + 1):
        idx = row - DOC_FIRST_ROW
        doc = sub.documents[idx] if idx < len(sub.documents) else None
        fields = ((doc.type_word, doc.number, doc.symbol, doc.date, doc.summary, doc.section,
                   YES if doc.issued_by_unit else NO) if doc else (None,) * 7)
        for col, value in enumerate(fields, start=1):
            _input(ws.cell(row=row, column=col), value, text=True)
    for col, width in zip("ABCDEFG", (14, 8, 14, 14, 70, 10, 14)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{DOC_FIRST_ROW}"
    _protect(ws)


def _text_sheet(wb: Workbook, sub: Submission) -> None:
    ws = wb.create_sheet(SHEET_TEXT)
    ws["B1"] = "THUYẾT MINH: NỘI DUNG KHÔNG CÓ SỐ LIỆU (mỗi đoạn một dòng trong ô, Alt+Enter)"
    ws["B1"].font = _TITLE
    _head_row(ws, TEXT_HEADER_ROW, ("Khóa", "Mục", "Nội dung"))
    keys = [s for s in report_sections()]
    known = {s.key for s in keys}
    extra = [k for k in sub.sections if k not in known]
    row = TEXT_FIRST_ROW
    for section in keys:
        ws.cell(row=row, column=1, value=section.key)
        head = ws.cell(row=row, column=2, value=f"{section.key}. {section.heading}")
        head.alignment = _WRAP
        head.border = _BORDER
        if section.level == 1 and any(k.startswith(section.key + ".") for k in known):
            head.font = _BOLD  # a heading over sub-sections takes no text of its own
        else:
            text = "\n".join(sub.sections.get(section.key, ()))
            cell = ws.cell(row=row, column=3)
            _input(cell, text or None, text=True)
            cell.alignment = _WRAP
        row += 1
    for key in extra:  # sections outside the standard list survive a round trip
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=key)
        _input(ws.cell(row=row, column=3), "\n".join(sub.sections[key]), text=True)
        row += 1
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 110
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
    ws.sheet_state = "hidden"


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
    """The workbook for a submission (empty or filled), laid out from the catalogue."""
    cat = catalogue or default_catalogue()
    p = periods.parse_period(sub.period)
    unit = units.get_unit(sub.unit_code, era=units.era_for(p.last_day))
    unit_title = units.unit_title(unit)
    label = periods.label(p)
    wb = Workbook()
    _header_sheet(wb, sub, unit_title, label)
    banner = "DỮ LIỆU MINH HỌA — không phải số liệu thật" if sub.illustrative else (
        f"{unit_title}, {label}")
    _indicator_sheet(wb, SHEET_APPENDIX, [i for i in cat if i.section == "appendix"], sub,
                     ("PHỤ LỤC SỐ 01",
                      "Thống kê số liệu kết quả thực hiện cải cách hành chính", banner),
                     with_as_of=False)
    _indicator_sheet(wb, SHEET_SUPPLEMENT,
                     [i for i in cat if i.section == "supplementary" and i.code != "S"], sub,
                     ("SỐ LIỆU BỔ SUNG CHO PHẦN THUYẾT MINH",
                      "Số liệu tổng: tổng số hoặc dự toán; Số liệu đã thực hiện: phần đạt được",
                      banner), with_as_of=True)
    _documents_sheet(wb, sub)
    _text_sheet(wb, sub)
    _source_sheet(wb, sub)
    _meta_sheet(wb, sub, cat)
    return wb


def write_workbook(path: str | Path, sub: Submission, catalogue: Catalogue | None = None) -> Path:
    """Write the workbook atomically: to a temporary file beside ``path``, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = build_workbook(sub, catalogue)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
