"""`cchc summary`: the ministry's table read back with openpyxl.  The store is tests/cyclekit.py's
(tỉnh Lâm Đồng, quý III năm 2026); every figure expected below is computed by hand."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cyclekit as K
from cchc_lib import units
from cchc_lib.catalogue import default_catalogue
from cchc_lib.cli import main
from cchc_lib.summary import FIRST_ROW, HEADER_ROWS, NOT_REPORTED, SHEET

CODE_ROW, TITLE_ROW, SUB_ROW = HEADER_ROWS
TOTAL_ROW = FIRST_ROW + 124  # one row per commune and ward of tỉnh Lâm Đồng
UNITS_ROW = TOTAL_ROW + 1


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    base = tmp_path_factory.mktemp("summary")
    store = K.build_store(base / "store.sqlite")
    out = base / "bieu.xlsx"
    result = run("summary", "--period", K.PERIOD, "--parent", K.PROVINCE, "--as-of", "30/09/2026",
                 "-o", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "4/124 đơn vị đã báo cáo" in result.output
    return load_workbook(out)[SHEET]


def columns(ws) -> dict[tuple[str, str], int]:
    """(indicator code, sub-column heading) → column number, from the header rows."""
    out, code = {}, None
    for col in range(5, ws.max_column + 1):
        code = ws.cell(CODE_ROW, col).value or code
        out[(code, ws.cell(SUB_ROW, col).value)] = col
    return out


def unit_row(ws, code: str) -> int:
    return next(r for r in range(FIRST_ROW, TOTAL_ROW) if ws.cell(r, 3).value == code)


def test_one_row_per_expected_unit_and_the_missing_marked(sheet):
    province = units.children(K.PROVINCE, era="2025", level="commune")
    assert [sheet.cell(r, 3).value for r in range(FIRST_ROW, TOTAL_ROW)] == \
        [u.code for u in province]
    assert [sheet.cell(r, 2).value for r in range(FIRST_ROW, FIRST_ROW + 3)] == \
        ["phường Mũi Né", "phường Phú Thuỷ", "phường Hàm Thắng"]
    status = {code: sheet.cell(unit_row(sheet, code), 4).value
              for code in (K.ON_TIME, K.LATE, K.REVISED, K.LATE_EDGE, K.MISSING, K.AFTER)}
    assert status == {K.ON_TIME: "Đúng hạn", K.LATE: "Muộn 3 ngày", K.REVISED: "Đúng hạn",
                      K.LATE_EDGE: "Muộn 1 ngày", K.MISSING: NOT_REPORTED,
                      K.AFTER: NOT_REPORTED}  # phường Bình Thuận's report came on 02/10
    missing = unit_row(sheet, K.MISSING)
    assert all(sheet.cell(missing, c).value is None for c in range(5, sheet.max_column + 1))
    assert sum(sheet.cell(r, 4).value == NOT_REPORTED for r in range(FIRST_ROW, TOTAL_ROW)) == 120


def test_codes_and_titles_in_catalogue_order(sheet):
    codes = [sheet.cell(CODE_ROW, c).value for c in range(5, sheet.max_column + 1)]
    assert [c for c in codes if c] == [i.code for i in default_catalogue().data_rows("appendix")]
    col = columns(sheet)
    first = col[("1.1.1", "Tổng số")]
    assert sheet.cell(TITLE_ROW, first).value == "Số nhiệm vụ đề ra trong kế hoạch (Nhiệm vụ)"
    assert [sheet.cell(SUB_ROW, first + k).value for k in range(3)] == \
        ["Tổng số", "Đã thực hiện", "Tỷ lệ (%)"]
    span = f"{sheet.cell(CODE_ROW, first).coordinate}:{sheet.cell(CODE_ROW, first + 2).coordinate}"
    assert span in {str(r) for r in sheet.merged_cells.ranges}
    ratio = col[("1.1.2", "Số lượng")]
    assert sheet.cell(SUB_ROW, ratio + 1).value == "Tỷ lệ (%)"
    assert ("1.5", "Không = 0 Có = 1") in col and ("4.2.5", "%") in col


def test_unit_figures_and_their_computed_rates(sheet):
    col = columns(sheet)
    mui_ne, phu_thuy = unit_row(sheet, K.ON_TIME), unit_row(sheet, K.LATE)
    ham_thang, phan_thiet = unit_row(sheet, K.REVISED), unit_row(sheet, K.LATE_EDGE)

    def cells(row, code, *subs):
        return [sheet.cell(row, col[(code, s)]).value for s in subs]

    assert cells(mui_ne, "1.1.1", "Tổng số", "Đã thực hiện", "Tỷ lệ (%)") == [10, 8, 80]
    assert cells(ham_thang, "1.1.1", "Tổng số", "Đã thực hiện", "Tỷ lệ (%)") == [5, 5, 100]  # r2
    assert cells(phan_thiet, "1.1.1", "Tổng số", "Đã thực hiện", "Tỷ lệ (%)") == [4, None, None]
    assert cells(phu_thuy, "1.1.2", "Số lượng", "Tỷ lệ (%)") == [15, 75]  # 15 of 1.1.1's 20
    assert cells(mui_ne, "3.4.1", "Tổng số", "Đã thực hiện", "Tỷ lệ (%)") == [394, 295, 74.9]
    assert cells(phu_thuy, "3.4.1", "Tỷ lệ (%)") == [33.9]  # 40/118 = 33,898…
    assert cells(mui_ne, "1.5", "Không = 0 Có = 1") == [1]
    assert cells(mui_ne, "4.2.5", "%") == [1.5]
    assert sheet.cell(mui_ne, col[("1.1.1", "Tổng số")]).number_format == "#,##0"
    assert sheet.cell(mui_ne, col[("1.1.1", "Tỷ lệ (%)")]).number_format == "0.0"


def test_the_total_row_sums_and_rates_of_summed_fractions(sheet):
    col = columns(sheet)
    assert sheet.cell(TOTAL_ROW, 2).value == "Tổng cộng"
    assert sheet.cell(UNITS_ROW, 2).value == "Số đơn vị có số liệu"

    def total(code, sub):
        c = col[(code, sub)]
        return sheet.cell(TOTAL_ROW, c).value, sheet.cell(UNITS_ROW, c).value

    # 1.1.1: 10 + 20 + 5 + 4 = 39 (4 units), 8 + 15 + 5 = 28 (3 units); the rate over the 3
    # units with both: 28 / (10 + 20 + 5) = 80,0 % (not 28/39, not the mean of 80, 75, 100)
    assert total("1.1.1", "Tổng số") == (39, 4)
    assert total("1.1.1", "Đã thực hiện") == (28, 3)
    assert total("1.1.1", "Tỷ lệ (%)") == (80, 3)
    note = sheet.cell(TOTAL_ROW, col[("1.1.1", "Tỷ lệ (%)")]).comment
    assert note is not None and "28/35" in note.text and "03 đơn vị" in note.text
    # 1.1.2: 8 + 15 + 5 = 28 over 1.1.1's 10 + 20 + 5 = 35 → 80,0 %
    assert total("1.1.2", "Số lượng") == (28, 3) and total("1.1.2", "Tỷ lệ (%)") == (80, 3)
    assert sheet.cell(TOTAL_ROW, col[("1.1.2", "Tỷ lệ (%)")]).comment is None
    # 3.4.1: 394 + 118 = 512, 295 + 40 = 335, 335/512 = 65,43 % → 65,4 (mean of rates: 54,4)
    assert total("3.4.1", "Tổng số") == (512, 2) and total("3.4.1", "Đã thực hiện") == (335, 2)
    assert total("3.4.1", "Tỷ lệ (%)") == (65.4, 2)
    assert total("1.5", "Không = 0 Có = 1") == ("Không: 1; Có: 2", 3)
    assert total("4.2.5", "%") == (None, 1)  # typed percentages do not add up
    assert total("2.1", "Tổng số") == (None, 0)


def test_frozen_header_and_print_setup(sheet):
    assert sheet.freeze_panes == f"E{FIRST_ROW}"
    assert sheet.print_title_rows == f"${CODE_ROW}:${SUB_ROW}"
    assert sheet.print_title_cols == "$A:$B"
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9: A4
    assert setup.scale * 11 / 100 >= 9  # Times New Roman 11 never prints below 9 pt
    breaks = [b.id for b in sheet.col_breaks.brk]
    assert breaks and all(sheet.cell(CODE_ROW, b + 1).value for b in breaks)  # between indicators


def test_illustrative_data_is_marked(tmp_path):
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_submission

    store = tmp_path / "s.sqlite"
    with open_store(store) as st:
        st.ingest(synth_submission(units.get_unit("24616", era="2008"), "2024-H1", seed=1))
    out = tmp_path / "bieu.xlsx"
    result = run("summary", "--period", "2024-H1", "--parent", "661", "-o", str(out),
                 "--store", str(store))
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)[SHEET]
    assert "DỮ LIỆU MINH HỌA" in ws["A3"].value
    assert [ws.cell(r, 4).value for r in range(FIRST_ROW, FIRST_ROW + 7)].count(NOT_REPORTED) == 6


def test_a_mistyped_store_writes_nothing(tmp_path):
    missing, out = tmp_path / "kho-go-nham.sqlite", tmp_path / "bieu.xlsx"
    result = run("summary", "--period", K.PERIOD, "--parent", K.PROVINCE, "-o", str(out),
                 "--store", str(missing))
    assert result.exit_code == 2 and "Không tìm thấy kho dữ liệu" in result.output
    assert not missing.exists() and not out.exists()
