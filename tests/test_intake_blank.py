"""A blank form is refused and stores nothing; a partly filled one is taken, with notes naming
what it leaves empty.  Real workbooks: written by openpyxl, and saved again by LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_lib import workbook as L
from cchc_lib.catalogue import default_catalogue
from cchc_lib.ingest import ingest_files
from cchc_lib.store import open_store
from cchc_lib.workbook import template_for, write_workbook
from test_intake_support import refused, saved_by_libreoffice

pytest_plugins = ("test_intake_support",)  # its fixtures: sample_book, store, …


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[tuple[str, str], Path]:
    base = tmp_path_factory.mktemp("forms")
    blank = write_workbook(base / "blank.xlsx", template_for("24616", "2024-H1"))
    wb = load_workbook(blank)
    ws = wb[L.SHEET_APPENDIX]
    row = next(r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)
               if ws.cell(row=r, column=L.COL_CODE).value == "3.4.1")
    ws.cell(row=row, column=L.COL_TOTAL, value=394)
    ws.cell(row=row, column=L.COL_DONE, value=295)
    ws.cell(row=row, column=L.COL_RATE, value="74,9")
    head = wb[L.SHEET_HEADER]
    head[f"C{L.HEADER_ROWS['title']}"] = "Công tác cải cách hành chính 6 tháng đầu năm 2024"
    head[f"C{L.HEADER_ROWS['report_date']}"] = "07/06/2024"
    wb.save(base / "partial.xlsx")
    written = [blank, base / "partial.xlsx"]
    saved = saved_by_libreoffice(written, base / "lo")
    return {("openpyxl", "blank"): written[0], ("openpyxl", "partial"): written[1],
            ("LibreOffice", "blank"): saved[0], ("LibreOffice", "partial"): saved[1]}


@pytest.mark.parametrize("writer", ["openpyxl", "LibreOffice"])
def test_a_blank_form_is_refused_and_stores_nothing(forms, store, writer):
    path = forms[(writer, "blank")]
    (outcome,) = refused(store, path)
    assert outcome.error.startswith(f"Sổ tính {path} chưa có số liệu nào: ")
    assert "PL01, Số liệu bổ sung, Văn bản và Thuyết minh đều trống" in outcome.error
    with open_store(store) as s:
        assert s.units("2024-H1") == ["24622"]  # the earlier submission only


@pytest.mark.parametrize("writer", ["openpyxl", "LibreOffice"])
def test_a_partly_filled_form_is_taken_with_notes_on_what_is_empty(forms, tmp_path, writer):
    (outcome,) = ingest_files([forms[(writer, "partial")]], tmp_path / "s.sqlite")
    assert outcome.error is None, outcome.error
    with open_store(tmp_path / "s.sqlite") as s:
        value = s.load("24616", "2024-H1").value("3.4.1")
    assert (value.total, value.done, value.rate) == (394, 295, 74.9)
    cat = default_catalogue()
    appendix = [i.code for i in cat if i.section == "appendix" and not i.is_group]
    empty = [c for c in appendix if c != "3.4.1"]
    supplement = [i.code for i in cat if i.section == "supplementary" and not i.is_group]
    assert outcome.notes == (
        f"PL01: {len(empty)}/{len(appendix)} dòng chỉ tiêu chưa có số liệu "
        f"({', '.join(empty[:8])} …)",
        f"Số liệu bổ sung: {len(supplement)}/{len(supplement)} dòng chỉ tiêu chưa có số liệu "
        f"({', '.join(supplement[:8])} …)",
        # the fields of a finished report, in the order of the form, without their examples
        # (the symbol BC-UBND comes filled in)
        "Thông tin chung: chưa điền Số báo cáo, Địa danh ghi ở dòng ngày "
        "tháng, Thẩm quyền ký, Chức vụ người ký, Họ và tên người ký, Số liệu tính từ ngày, "
        "Số liệu tính đến ngày, Cơ quan cấp trên nhận báo cáo, ghi ở lời kết, Nơi nhận 1",
        "Văn bản: chưa có văn bản nào",
        "Thuyết minh: các mục chưa có nội dung: I.1, I.2, I.3, II.1, II.2, II.3, II.4, II.5, "
        "II.6, III.1, III.2, IV, V, closing",
    )
