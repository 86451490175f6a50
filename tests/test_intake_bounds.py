"""Bounded work on tiny hostile files.  Each file here is a few kB to a few hundred kB, made from
the seed's real workbook (openpyxl's, and LibreOffice's) changed at the XML level.  Before the
bounds, one of them cost gigabytes and tens of seconds, another ended in a sqlite3 traceback,
others were accepted.  Each must now be refused with little memory, a Vietnamese message
naming the sheet and the cell or the part, and the store unchanged.  The memory bound is what a
test can assert the same on every machine (an unbounded read would blow it long before it took
seconds); no wall-clock time is asserted here."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from cchc_lib import workbook as L
from cchc_lib.errors import InputError
from cchc_lib.reader import MAX_SUBMISSION_TEXT, MAX_TEXT, read_workbook
from test_intake_support import (
    add_rows, add_shared_string, parts, refused, text_cell, write_parts)

pytest_plugins = ("test_intake_support",)  # its fixtures: sample_book, store, …

PEAK_BYTES = 80 * 1024 * 1024  # Python memory at the peak of one read


def read_bounded(path: Path) -> InputError:
    """Read a file that must be refused, within the memory bound."""
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as err:
            read_workbook(path)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MiB"
    return err.value


@pytest.fixture(params=["openpyxl", "LibreOffice"])
def base(request, sample_book, sample_saved_by_lo) -> Path:
    return sample_book if request.param == "openpyxl" else sample_saved_by_lo


def test_one_far_cell_in_the_documents_sheet(base, tmp_path, store):
    bad = write_parts(tmp_path / "far.xlsx", add_rows(
        parts(base), L.SHEET_DOCUMENTS,
        f'<row r="1048576">{text_cell("C1048576", "x")}</row>'))
    assert bad.stat().st_size < 60_000  # a tiny file
    err = read_bounded(bad)
    assert str(err).startswith(f'{bad}, trang "{L.SHEET_DOCUMENTS}", ô C1048576: ô có nội dung '
                               "ở dòng 1048576, quá xa so với mẫu")
    (outcome,) = refused(store, bad)
    assert outcome.error == str(err)


def test_one_far_cell_in_every_sheet(base, tmp_path, store):
    contents = parts(base)
    for sheet in (L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT, L.SHEET_DOCUMENTS,
                  L.SHEET_TEXT, L.SHEET_SOURCE, L.SHEET_META):
        contents = add_rows(contents, sheet, f'<row r="1048576">{text_cell("B1048576", "1")}</row>')
    bad = write_parts(tmp_path / "far-all.xlsx", contents)
    err = read_bounded(bad)
    assert "ô B1048576: ô có nội dung ở dòng 1048576, quá xa so với mẫu" in str(err)
    refused(store, bad)


def test_a_long_shared_string_in_26000_text_rows(sample_saved_by_lo, tmp_path, store):
    contents, index = add_shared_string(parts(sample_saved_by_lo), "x" * 19_000)
    rows = "".join(f'<row r="{r}"><c r="C{r}" t="s"><v>{index}</v></c></row>'
                   for r in range(100, 26_100))
    bad = write_parts(tmp_path / "sst.xlsx", add_rows(contents, L.SHEET_TEXT, rows))
    assert bad.stat().st_size < 400_000
    err = read_bounded(bad)
    # the template's rows plus the margin are read, then the first row beyond is refused
    assert f'trang "{L.SHEET_TEXT}", ô C' in str(err) and "quá xa so với mẫu" in str(err)
    refused(store, bad)


def test_the_text_of_a_submission_is_limited(sample_saved_by_lo, tmp_path, store):
    # rows within the sheet's bounds, each cell under the per-cell limit: the total is refused
    contents, index = add_shared_string(parts(sample_saved_by_lo), "x" * (MAX_TEXT - 1))
    rows = "".join(f'<row r="{r}"><c r="C{r}" t="s"><v>{index}</v></c></row>'
                   for r in range(100, 120))
    bad = write_parts(tmp_path / "text.xlsx", add_rows(contents, L.SHEET_TEXT, rows))
    err = read_bounded(bad)
    assert f'trang "{L.SHEET_TEXT}"' in str(err)
    assert "sổ tính chứa hơn 200.000 ký tự chữ" in str(err)
    assert MAX_SUBMISSION_TEXT == 200_000
    refused(store, bad)


def test_a_cell_longer_than_the_cell_limit(base, tmp_path):
    bad = write_parts(tmp_path / "cell.xlsx", add_rows(
        parts(base), L.SHEET_TEXT, f'<row r="200">{text_cell("C200", "y" * (MAX_TEXT + 1))}</row>'))
    err = read_bounded(bad)
    assert f'trang "{L.SHEET_TEXT}", ô C200: nội dung dài {MAX_TEXT + 1} ký tự' in str(err)


def test_six_million_empty_rows(sample_book, tmp_path, store):
    rows = "".join(f'<row r="{r}"/>' for r in range(2_000, 6_002_000))
    bad = write_parts(tmp_path / "rows.xlsx", add_rows(parts(sample_book), L.SHEET_APPENDIX,
                                                       rows))
    assert bad.stat().st_size < 20 * 1024 * 1024  # under the file guard: the parts are checked
    err = read_bounded(bad)
    assert str(err).startswith(f'{bad}: trang "{L.SHEET_APPENDIX}" khi giải nén dài ')
    assert "quá giới hạn 4 MB" in str(err) and "hãy xóa các dòng, cột thừa" in str(err)
    refused(store, bad)


def test_many_empty_rows_under_the_part_limit(base, tmp_path, store):
    rows = "".join(f'<row r="{r}"/>' for r in range(2_000, 200_000))
    bad = write_parts(tmp_path / "rows.xlsx", add_rows(parts(base), L.SHEET_APPENDIX, rows))
    err = read_bounded(bad)
    assert f'trang "{L.SHEET_APPENDIX}": trang có hơn' in str(err)
    assert "hãy xóa các dòng thừa ở cuối trang" in str(err)
    refused(store, bad)


def test_many_parts_each_under_the_part_limit(base, tmp_path, store):
    contents = parts(base)
    for n in range(6):  # 6 x 3 MB of XML the reader never needs, and the zip stays small
        contents[f"customXml/item{n}.xml"] = b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>"
    bad = write_parts(tmp_path / "parts.xlsx", contents)
    err = read_bounded(bad)
    assert "tệp nén bên trong quá lớn" in str(err)
    refused(store, bad)
