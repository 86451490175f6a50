"""Rates as clerks type them.  "74,9%" typed into a "Tỷ lệ (%)" cell is stored by Excel and
LibreOffice as 0,749 under a percent number format; the reader reads it as the 74,9 the clerk
sees, as it reads the text "74,9%", "74,9" and "74.9".

Each case is a real workbook: written by openpyxl, and the same saved again by LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_lib import workbook as L
from cchc_lib.checks import run_checks
from cchc_lib.errors import InputError
from cchc_lib.ingest import ingest_files
from cchc_lib.reader import read_workbook
from cchc_lib.workbook import template_for, write_workbook
from test_intake_support import digest, saved_by_libreoffice

# 295 of 394 dossiers on time: 74,873…%, typed as 74,9 (one decimal, as the report prints it)
TOTAL, DONE = 394, 295
TYPED = {  # how the rate cell holds what the clerk typed: (value, number format)
    "percent cell 0.0%": (0.749, "0.0%"),
    "percent cell 0.00% (Excel's built-in)": (0.749, "0.00%"),
    "text 74,9%": ("74,9%", "@"),
    "text 74,9": ("74,9", "@"),
    "text 74.9": ("74.9", "@"),
    "number 74.9": (74.9, "General"),
}


def _row(ws, code: str) -> int:
    return next(r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)
                if ws.cell(row=r, column=L.COL_CODE).value == code)


def _typed(blank: Path, out: Path, value, fmt: str, col: int = L.COL_RATE) -> Path:
    wb = load_workbook(blank)
    ws = wb[L.SHEET_APPENDIX]
    row = _row(ws, "3.4.1")
    ws.cell(row=row, column=L.COL_TOTAL, value=TOTAL)
    ws.cell(row=row, column=L.COL_DONE, value=DONE)
    cell = ws.cell(row=row, column=col, value=value)
    cell.number_format = fmt
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[tuple[str, str], Path]:
    base = tmp_path_factory.mktemp("rates")
    blank = write_workbook(base / "blank.xlsx", template_for("24622", "2024-H1"))
    written = {name: _typed(blank, base / f"rate{n}.xlsx", *typed)
               for n, (name, typed) in enumerate(TYPED.items())}
    saved = saved_by_libreoffice(list(written.values()), base / "lo")
    return {**{("openpyxl", name): path for name, path in written.items()},
            **{("LibreOffice", name): path for name, path in zip(written, saved)}}


@pytest.mark.parametrize("writer", ["openpyxl", "LibreOffice"])
@pytest.mark.parametrize("kind", list(TYPED))
def test_a_typed_rate_reads_as_the_clerk_sees_it(books, writer, kind):
    result = read_workbook(books[(writer, kind)])
    value = result.submission.values["3.4.1"]
    assert (value.total, value.done, value.rate) == (TOTAL, DONE, 74.9)
    # no false error "tỷ lệ ghi 0,75% nhưng 295/394 = 74,873%"
    wrong = [f for f in run_checks(result.submission)
             if (f.where or "").startswith("indicator:3.4.1") and f.severity == "error"]
    assert wrong == [], wrong


def test_the_percent_cell_was_really_saved_as_a_fraction(books):
    # what the test relies on: both writers store 0,749 under a percent format
    for writer in ("openpyxl", "LibreOffice"):
        ws = load_workbook(books[(writer, "percent cell 0.0%")])[L.SHEET_APPENDIX]
        cell = ws.cell(row=_row(ws, "3.4.1"), column=L.COL_RATE)
        assert cell.value == pytest.approx(0.749) and "%" in cell.number_format


def test_a_percent_rate_ingests_without_a_check_error(books, tmp_path):
    store = tmp_path / "s.sqlite"
    (outcome,) = ingest_files([books[("LibreOffice", "percent cell 0.0%")]], store)
    assert outcome.error is None, outcome.error
    assert outcome.check_errors == (0,)


def test_a_count_in_a_percent_cell_is_refused(tmp_path):
    blank = write_workbook(tmp_path / "blank.xlsx", template_for("24622", "2024-H1"))
    book = _typed(blank, tmp_path / "count.xlsx", 0.5, "0%", col=L.COL_TOTAL)
    store = tmp_path / "s.sqlite"
    ingest_files([write_workbook(tmp_path / "other.xlsx", template_for("24616", "2024-H1"))],
                 store)  # a blank form: refused too, the store is only created
    before = digest(store)
    with pytest.raises(InputError) as err:
        read_workbook(book)
    ws = load_workbook(book)[L.SHEET_APPENDIX]
    assert f'trang "PL01", ô E{_row(ws, "3.4.1")}' in str(err.value)
    assert "định dạng phần trăm (hiện 50%)" in str(err.value)
    (outcome,) = ingest_files([book], store)
    assert outcome.error == str(err.value) and digest(store) == before


def test_a_rate_computed_by_a_formula_in_a_percent_cell(tmp_path):
    # =F/E under a percent format, as a clerk may write it: LibreOffice computes and stores
    # 0,7487…; the reader takes that stored value as the percent the cell shows
    blank = write_workbook(tmp_path / "blank.xlsx", template_for("24622", "2024-H1"))
    ws = load_workbook(blank)[L.SHEET_APPENDIX]
    row = _row(ws, "3.4.1")
    book = _typed(blank, tmp_path / "formula.xlsx", f"=F{row}/E{row}", "0.0%")
    with pytest.raises(InputError, match="chưa có giá trị tính sẵn"):
        read_workbook(book)  # openpyxl stores no computed value
    (saved,) = saved_by_libreoffice([book], tmp_path / "lo")
    result = read_workbook(saved)
    assert result.submission.values["3.4.1"].rate == pytest.approx(DONE / TOTAL * 100, abs=1e-9)
    assert f"PL01!G{row}: dùng giá trị Excel đã tính sẵn của công thức '=F{row}/E{row}'" \
        in result.notes
