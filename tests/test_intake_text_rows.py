"""Rows a clerk adds to the form.  A row inserted into "Thuyết minh" has no section key in the
hidden column A: its text is read into the section it sits under, or refused naming the row
when that is not clear; it is never dropped.  Real workbooks, written by openpyxl with the rows
inserted, and the same saved again by LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from cchc_lib import workbook as L
from cchc_lib.errors import InputError
from cchc_lib.reader import read_workbook
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import write_workbook
from test_intake_support import saved_by_libreoffice

ADDED = "Đoạn văn thêm vào giữa các dòng của mẫu."


def _insert(book: Path, out: Path, sheet: str, before: int, cells: dict[int, str]) -> Path:
    """Insert a row above row ``before`` as Excel does (merged cells below move down too) and
    type ``cells`` (column → text) into it."""
    wb = load_workbook(book)
    ws = wb[sheet]
    merged = [range_boundaries(str(r)) for r in ws.merged_cells.ranges]
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    ws.insert_rows(before)
    for c1, r1, c2, r2 in merged:
        shift = 1 if r1 >= before else 0
        ws.merge_cells(start_row=r1 + shift, start_column=c1, end_row=r2 + shift, end_column=c2)
    for col, text in cells.items():
        ws.cell(row=before, column=col, value=text)
    wb.save(out)
    return out


def _rows_of(book: Path, key: str) -> list[int]:
    ws = load_workbook(book)[L.SHEET_TEXT]
    return [r for r in range(L.TEXT_FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == key]


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, int]]:
    base = tmp_path_factory.mktemp("rows")
    sample = write_workbook(base / "sample.xlsx", load_sample())
    between = _rows_of(sample, "II.1")[1]  # between II.1's first and second paragraphs
    below = max(_rows_of(sample, "closing")) + 1
    under_heading = _rows_of(sample, "II")[0] + 1  # under "II.", a heading over sub-sections
    cases = {
        "between": (between, {3: ADDED}),
        "below": (below, {3: ADDED}),
        "under a heading": (under_heading, {3: ADDED}),
        "new heading": (below, {2: "VI. MỤC TỰ THÊM", 3: ADDED}),
    }
    written = {name: _insert(sample, base / f"{n}.xlsx", L.SHEET_TEXT, row, cells)
               for n, (name, (row, cells)) in enumerate(cases.items())}
    saved = saved_by_libreoffice(list(written.values()), base / "lo")
    out = {}
    for (name, path), lo in zip(written.items(), saved):
        out[("openpyxl", name)] = (path, cases[name][0])
        out[("LibreOffice", name)] = (lo, cases[name][0])
    return out


WRITERS = ["openpyxl", "LibreOffice"]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_paragraph_inserted_between_two_of_a_section(books, writer):
    path, row = books[(writer, "between")]
    result = read_workbook(path)
    seed = load_sample().sections["II.1"]
    assert result.submission.sections["II.1"] == (seed[0], ADDED, *seed[1:])
    assert f"Thuyết minh!C{row}: dòng thêm vào mẫu, đọc là nội dung của mục II.1" in result.notes
    # nothing else moved
    assert {k: v for k, v in result.submission.sections.items() if k != "II.1"} == {
        k: v for k, v in load_sample().sections.items() if k != "II.1"}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_paragraph_added_below_the_last_section(books, writer):
    path, row = books[(writer, "below")]
    result = read_workbook(path)
    assert result.submission.sections["closing"] == (*load_sample().sections.get("closing", ()),
                                                     ADDED)
    assert f"Thuyết minh!C{row}: dòng thêm vào mẫu, đọc là nội dung của mục closing" \
        in result.notes


@pytest.mark.parametrize("writer", WRITERS)
def test_a_paragraph_under_a_heading_over_sub_sections_is_refused(books, writer):
    path, row = books[(writer, "under a heading")]
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert str(err.value).startswith(
        f'{path}, trang "Thuyết minh", ô C{row}: dòng thêm vào ngay dưới tiêu đề mục II, là mục '
        "chỉ có các mục con, không rõ nội dung thuộc mục nào")


@pytest.mark.parametrize("writer", WRITERS)
def test_a_section_of_ones_own_is_refused(books, writer):
    path, row = books[(writer, "new heading")]
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert str(err.value).startswith(
        f"{path}, trang \"Thuyết minh\", ô B{row}: dòng thêm vào có tiêu đề 'VI. MỤC TỰ THÊM' ở "
        "cột Mục nhưng mẫu không có mục này")


def test_figures_in_an_inserted_pl01_row_are_refused_naming_the_row(tmp_path):
    sample = write_workbook(tmp_path / "sample.xlsx", load_sample())
    path = _insert(sample, tmp_path / "pl01.xlsx", L.SHEET_APPENDIX, L.IND_FIRST_ROW + 3,
                   {L.COL_TITLE: "Chỉ tiêu tự thêm", L.COL_TOTAL: "12"})
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert str(err.value).startswith(f'{path}, trang "PL01", dòng {L.IND_FIRST_ROW + 3}: dòng có '
                                     "số liệu nhưng không có mã chỉ tiêu")


def test_a_value_in_an_inserted_header_row_is_refused(tmp_path):
    sample = write_workbook(tmp_path / "sample.xlsx", load_sample())
    row = L.HEADER_ROWS["signer_name"] + 1
    path = _insert(sample, tmp_path / "head.xlsx", L.SHEET_HEADER, row,
                   {2: "Người ký thứ hai", 3: "Nguyễn Văn A"})
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert str(err.value).startswith(f'{path}, trang "Thông tin chung", ô C{row}: dòng không có '
                                     "trong mẫu (dòng thêm vào?) nhưng có nội dung")
