"""Reading filled workbooks and CSV: forgiving about formats, precise about mistakes.

Bad workbooks are made by the tests from a real template (nothing binary is committed).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cchc_lib import reader as reader_mod
from cchc_lib import workbook as L
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import InputError
from cchc_lib.reader import read_csv, read_file, read_workbook
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import template_for, write_workbook


def _row_of(ws, code: str) -> int:
    for r in range(L.IND_FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == code:
            return r
    raise AssertionError(code)


def edit(path: Path, changes: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Set cells given as {(sheet, "E12" or "code:column"): value} and save (to ``out``)."""
    wb = load_workbook(path)
    for (sheet, where), value in changes.items():
        ws = wb[sheet]
        if ":" in where and not where[0].isalpha() or where.startswith(("S.", "code")):
            code, col = where.split(":")
            ws[f"{col}{_row_of(ws, code)}"] = value
        else:
            ws[where] = value
    out = out or path
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("b") / "blank.xlsx",
                          template_for("24622", "2024-H1"))


@pytest.fixture
def copy(blank, tmp_path) -> Path:
    out = tmp_path / "filled.xlsx"
    out.write_bytes(blank.read_bytes())
    return out


def cell_for(path: Path, sheet: str, code: str, col: str) -> str:
    return f"{col}{_row_of(load_workbook(path)[sheet], code)}"


def cell_notes(notes) -> list[str]:
    """The notes on one cell's reading (``PL01!E12: …``), not those on empty parts."""
    return [n for n in notes if "!" in n.split(":", 1)[0]]


def test_round_trip_of_the_sample(tmp_path):
    sample = load_sample()
    result = read_workbook(write_workbook(tmp_path / "s.xlsx", sample))
    assert result.submission == sample
    # the seed's 21.5 "Cơ quan, đơn vị" (row 7.4) is the only reading worth a note
    readings = cell_notes(result.notes)
    assert len(readings) == 1 and "phần lẻ" in readings[0]
    # the rest name what the seed leaves empty: PL01 rows, one supplementary row, the number
    cat = default_catalogue()
    empty = [i.code for i in cat if i.section == "appendix" and not i.is_group
             and i.code not in sample.values]
    gaps = [n for n in result.notes if n not in readings]
    assert gaps[0].startswith(f"PL01: {len(empty)}/69 dòng chỉ tiêu chưa có số liệu "
                              f"({', '.join(empty[:8])} …)")
    assert gaps[1:] == ["Số liệu bổ sung: 1/30 dòng chỉ tiêu chưa có số liệu (S.3.4)",
                        "Thông tin chung: chưa điền Số báo cáo"]


def test_round_trip_of_illustrative_submissions(tmp_path):
    # both eras, with every header fact synth fills (posts, destination, bases, addressee)
    from cchc_lib.synth import synth_submission
    from cchc_lib.units import get_unit

    for code, era, period in (("24622", "2008", "2024-H1"), ("24616", "2025", "2026-Q3")):
        sub = synth_submission(get_unit(code, era=era), period, seed=5)
        assert sub.header.addressee and sub.header.staff_basis
        result = read_workbook(write_workbook(tmp_path / f"{code}.xlsx", sub))
        assert result.submission == sub


def test_a_blank_template_is_refused_unless_asked_for(blank):
    with pytest.raises(InputError) as err:
        read_workbook(blank)
    assert str(err.value).startswith(f"Sổ tính {blank} chưa có số liệu nào: ")
    sub = read_workbook(blank, allow_blank=True).submission
    assert (sub.unit_code, sub.period, dict(sub.values), sub.documents) == ("24622", "2024-H1",
                                                                          {}, ())


def test_the_ways_offices_write_numbers(copy):
    a, s = L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT
    rows = {c: _row_of(load_workbook(copy)[a], c) for c in ("3.4.1", "3.1.2", "3.1.1", "7.3")}
    srow = _row_of(load_workbook(copy)[s], "S.5.1")
    edit(copy, {
        (a, f"E{rows['3.4.1']}"): "394", (a, f"F{rows['3.4.1']}"): " 295 ",
        (a, f"G{rows['3.4.1']}"): "74,9%",
        (a, f"E{rows['3.1.2']}"): "04", (a, f"F{rows['3.1.2']}"): 4, (a, f"G{rows['3.1.2']}"): "",
        (a, f"E{rows['3.1.1']}"): "1.234", (a, f"G{rows['3.1.1']}"): "96.33",
        (a, f"E{rows['7.3']}"): "2 - Hoàn thành", (a, f"F{rows['7.3']}"): "Đang làm",
        (s, f"F{srow}"): "3.253.588.460", (s, f"G{srow}"): "47,1", (s, f"I{srow}"): "31/05/2024",
    })
    result = read_workbook(copy)
    v = result.submission.values
    assert (v["3.4.1"].total, v["3.4.1"].done, v["3.4.1"].rate) == (394, 295, 74.9)
    assert (v["3.1.2"].total, v["3.1.2"].done, v["3.1.2"].rate) == (4, 4, None)
    assert (v["3.1.1"].total, v["3.1.1"].rate) == (1234, 96.33)
    assert (v["7.3"].total, v["7.3"].done) == (2, 1)
    assert (v["S.5.1"].done, v["S.5.1"].rate, v["S.5.1"].as_of) == (3253588460, 47.1,
                                                                     "31/05/2024")
    # the one ambiguous reading is reported with its cell
    readings = cell_notes(result.notes)
    assert len(readings) == 1
    assert readings[0].startswith(f"PL01!E{rows['3.1.1']}") and "1234" in readings[0]


def test_a_fractional_count_is_read_and_left_to_the_checks(copy):
    where = cell_for(copy, L.SHEET_APPENDIX, "7.4", "E")
    edit(copy, {(L.SHEET_APPENDIX, where): "21,5"})
    assert read_workbook(copy).submission.values["7.4"].total == 21.5


def test_a_formula_is_never_evaluated(copy):
    where = cell_for(copy, L.SHEET_APPENDIX, "3.4.1", "G")
    edit(copy, {(L.SHEET_APPENDIX, where): "=F50/E50*100"})
    with pytest.raises(InputError) as err:
        read_workbook(copy)
    assert f"ô {where}" in str(err.value) and "công thức" in str(err.value)


def _bad(copy: Path, case: str) -> Path:
    a = L.SHEET_APPENDIX
    if case == "missing sheet":
        wb = load_workbook(copy)
        del wb[L.SHEET_SUPPLEMENT]
        wb.save(copy)
    elif case == "missing column":
        edit(copy, {(a, f"G{L.IND_HEADER_ROW}"): "Tỉ lệ"})
    elif case == "unknown code":
        edit(copy, {(a, cell_for(copy, a, "3.4.2", "A")): "3.4.9"})
    elif case == "text for a number":
        edit(copy, {(a, cell_for(copy, a, "3.4.1", "E")): "khoảng 400"})
    elif case == "negative count":
        edit(copy, {(a, cell_for(copy, a, "3.4.1", "F")): -3})
    elif case == "enum outside coding":
        edit(copy, {(a, cell_for(copy, a, "7.2", "E")): 3})
    elif case == "other catalogue":
        edit(copy, {(L.SHEET_META, "B3"): "2019.0"})
    elif case == "unit changed in header":
        edit(copy, {(L.SHEET_HEADER, f"C{L.HEADER_ROWS['unit_code']}"): "24616"})
    elif case == "not a workbook":
        copy.write_text("Stt,Chỉ tiêu\n1,abc\n", encoding="utf-8")
    elif case == "malformed zip":
        with zipfile.ZipFile(copy, "w") as zf:
            zf.writestr("xl/workbook.xml", "<workbook><sheets><<<")
            zf.writestr("[Content_Types].xml", "nonsense")
    elif case == "half a data window":
        edit(copy, {(L.SHEET_HEADER, f"C{L.HEADER_ROWS['data_window_from']}"): "05/12/2023"})
    return copy


BAD_CASES = {
    "missing sheet": ('trang "Số liệu bổ sung"', "thiếu trang"),
    "missing column": ('trang "PL01", ô G5', "thiếu cột 'Tỷ lệ (%)'"),
    "unknown code": ('trang "PL01", ô A', "mã chỉ tiêu '3.4.9' không có"),
    "text for a number": ('trang "PL01", ô E', "khoảng 400"),
    "negative count": ('trang "PL01", ô F', "âm"),
    "enum outside coding": ('trang "PL01", ô E', "ngoài bảng mã"),
    "other catalogue": ("filled.xlsx", "phiên bản '2019.0'"),
    "unit changed in header": (f'trang "Thông tin chung", ô C{L.HEADER_ROWS["unit_code"]}',
                               "khác với mẫu"),
    "not a workbook": ("filled.xlsx", "không phải sổ tính Excel"),
    "malformed zip": ("filled.xlsx", "hỏng"),
    "half a data window": ('trang "Thông tin chung"', "cả hai ngày"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_workbooks_get_their_own_error(copy, case):
    where, what = BAD_CASES[case]
    with pytest.raises(InputError) as err:
        read_workbook(_bad(copy, case))
    message = str(err.value)
    assert str(copy) in message and where in message and what in message, message


def test_wrong_unit_or_period_asked_for(copy):
    with pytest.raises(InputError, match="không phải đơn vị 24616"):
        read_workbook(copy, expect_unit="24616")
    with pytest.raises(InputError, match="không phải kỳ 2024-Q1"):
        read_workbook(copy, expect_period="2024-Q1")


def test_oversized_files_are_refused_before_opening(copy, monkeypatch):
    monkeypatch.setattr(reader_mod, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InputError, match="quá lớn"):
        read_workbook(copy)


def test_read_file_dispatches_on_the_suffix(tmp_path):
    with pytest.raises(InputError, match=".xlsx, tệp .csv hoặc .yaml"):
        read_file(tmp_path / "report.docx")


CELL = st.one_of(
    st.none(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.text(alphabet="0123456789.,% -+=", max_size=15),
)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(CELL, min_size=6, max_size=6))
def test_random_cell_contents_give_a_reading_or_our_error(blank, tmp_path, cells):
    wb = load_workbook(blank)
    ws = wb[L.SHEET_APPENDIX]
    targets = [(_row_of(ws, c), col) for c in ("3.4.1", "7.3") for col in "EFG"]
    for (row, col), value in zip(targets, cells):
        ws[f"{col}{row}"] = value
    path = tmp_path / "random.xlsx"
    wb.save(path)
    try:
        read_workbook(path)
    except InputError as exc:
        assert str(path) in str(exc)


CSV_OK = """unit,period,code,total,done,rate,note,as_of
24622,2024-H1,3.4.1,394,295,"74,9",,
24622,2024-H1,S.5.1,,3.253.588.460,"47,1",,31/05/2024
24616,2024-H1,7.3,2,2,,,
"""


def test_long_form_csv_gives_one_submission_per_unit_and_period(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(CSV_OK, encoding="utf-8-sig")
    results = read_csv(path)
    by_unit = {r.submission.unit_code: r.submission for r in results}
    assert sorted(by_unit) == ["24616", "24622"]
    v = by_unit["24622"].values
    assert (v["3.4.1"].total, v["3.4.1"].done, v["3.4.1"].rate) == (394, 295, 74.9)
    assert (v["S.5.1"].done, v["S.5.1"].as_of) == (3253588460, "31/05/2024")
    assert by_unit["24616"].values["7.3"].total == 2


@pytest.mark.parametrize("line, message", [
    ("24622,2024-H1,9.9,1,,,,", "mã chỉ tiêu '9.9'"),
    ("24622,2024-H1,3.4.1,nhiều,,,,", "nhiều"),
    ("24622,2024-Q7,3.4.1,1,,,,", "2024-Q7"),
    ("99999,2024-H1,3.4.1,1,,,,", "99999"),
    ("24622,2024-H1,7.2,5,,,,", "ngoài bảng mã"),
])
def test_bad_csv_rows_name_the_line(tmp_path, line, message):
    path = tmp_path / "bad.csv"
    path.write_text(CSV_OK + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_csv(path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert "dòng 5" in str(err.value) or "Thông tin chung" in str(err.value)
