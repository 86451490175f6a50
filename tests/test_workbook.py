"""The workbook a commune fills: generated from the catalogue, protected, with drop-downs."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from cchc_lib import workbook as L
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import template_for, write_workbook


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "t.xlsx"
    write_workbook(path, template_for("24622", "2024-H1"))
    return load_workbook(path)


def test_sheets_and_meta(template):
    assert template.sheetnames == [L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT,
                                   L.SHEET_DOCUMENTS, L.SHEET_TEXT, L.SHEET_SOURCE, L.SHEET_META]
    meta = dict(template[L.SHEET_META].iter_rows(values_only=True))
    assert meta["catalogue_version"] == default_catalogue().version
    assert (meta["unit_code"], meta["period"], meta["format"]) == ("24622", "2024-H1",
                                                                  "cchc-workbook")
    assert template[L.SHEET_META].sheet_state == "veryHidden"


def test_header_sheet_is_prefilled_and_locked_where_fixed(template):
    ws = template[L.SHEET_HEADER]
    rows = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3)
            for r in range(L.HEADER_FIRST_ROW, ws.max_row + 1)}
    assert rows["unit_name"].value == "xã Đắk Ha"
    assert rows["period_label"].value == "6 tháng đầu năm 2024"
    assert rows["unit_code"].protection.locked is True
    assert rows["report_date"].protection.locked is False
    assert ws.protection.sheet is True


def test_appendix_sheet_follows_the_catalogue_in_the_official_columns(template):
    ws = template[L.SHEET_APPENDIX]
    head = [ws.cell(row=L.IND_HEADER_ROW, column=c).value for c in range(2, 9)]
    assert head == ["Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng",
                    "Số liệu đã thực hiện", "Tỷ lệ (%)", "Ghi chú"]
    appendix = [i for i in default_catalogue() if i.section == "appendix"]
    codes = [ws.cell(row=L.IND_FIRST_ROW + n, column=1).value for n in range(len(appendix))]
    assert codes == [i.code for i in appendix]
    row_of = {c: L.IND_FIRST_ROW + n for n, c in enumerate(codes)}
    # a data row's number cells are unlocked; a heading's are locked; titles are locked
    assert ws.cell(row=row_of["3.4.1"], column=L.COL_TOTAL).protection.locked is False
    assert ws.cell(row=row_of["3.4"], column=L.COL_TOTAL).protection.locked is True
    assert ws.cell(row=row_of["3.4.1"], column=L.COL_TITLE).protection.locked is True
    assert ws.cell(row=row_of["1.2.1"], column=L.COL_STT).value == "1.1.1."
    assert ws.protection.sheet is True


def test_enum_rows_have_drop_down_lists(template):
    ws = template[L.SHEET_APPENDIX]
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert '"0 - Chưa,1 - Đang làm,2 - Hoàn thành"' in lists
    assert '"0 - Không,1 - Có"' in lists
    codes = {ws.cell(row=r, column=1).value: r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)}
    r73, r75 = codes["7.3"], codes["7.5"]
    ranges = lists['"0 - Chưa,1 - Đang làm,2 - Hoàn thành"'].split()
    assert f"E{r73}:F{r73}" in ranges and f"E{r75}:F{r75}" in ranges


def test_supplementary_sheet_and_register_and_text(template):
    sup = template[L.SHEET_SUPPLEMENT]
    codes = [sup.cell(row=r, column=1).value for r in range(L.IND_FIRST_ROW, sup.max_row + 1)]
    assert "S.3.2" in codes and "S.5.1" in codes and "S" not in codes
    assert sup.cell(row=L.IND_HEADER_ROW, column=L.COL_ASOF).value == "Tính đến ngày"
    docs = template[L.SHEET_DOCUMENTS]
    assert [c.value for c in docs[L.DOC_HEADER_ROW]] == list(L.DOC_COLUMNS)
    assert docs.cell(row=L.DOC_FIRST_ROW, column=2).protection.locked is False
    text = template[L.SHEET_TEXT]
    keys = [text.cell(row=r, column=1).value for r in range(L.TEXT_FIRST_ROW, text.max_row + 1)]
    assert {"I.1", "III.2", "V"} <= set(keys)


def test_filled_workbook_marks_illustrative_data(tmp_path):
    sub = load_sample()
    from dataclasses import replace

    path = write_workbook(tmp_path / "x.xlsx", replace(sub, illustrative=True))
    ws = load_workbook(path)[L.SHEET_APPENDIX]
    assert "DỮ LIỆU MINH HỌA" in ws.cell(row=3, column=L.COL_STT).value


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from dataclasses import replace

    sub = replace(load_sample(), sections={"V": ("=1+1 không phải công thức",)})
    path = write_workbook(tmp_path / "f.xlsx", sub)
    ws = load_workbook(path)[L.SHEET_TEXT]
    cells = [c for row in ws.iter_rows() for c in row if c.value and "=1+1" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_unknown_unit_or_bad_period_is_refused(tmp_path):
    with pytest.raises(CchcError):
        template_for("99999999", "2024-H1")
    with pytest.raises(CchcError, match="2024-Q5"):
        template_for("24622", "2024-Q5")


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", template_for("24622", "2024-H1"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]
    assert load_workbook(path).sheetnames[0] == L.SHEET_HEADER
