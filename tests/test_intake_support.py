"""Helpers shared by the tests of what `cchc ingest` takes in (tests/test_intake_*.py): real
workbooks written by openpyxl, saved again by LibreOffice, or changed at the zip and XML level
as a hostile or damaged file would be.  Its own tests check that the helpers change nothing
else than what they are asked to."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_lib.ingest import FileOutcome, ingest_files
from cchc_lib.reader import read_workbook
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import write_workbook
from fuzzkit import add_shared_string as add_shared_string  # the tests import it from here
from office import convert
from fuzzkit import append_rows, escape, parts, sheet_part, write_parts


# ------------------------------------------------------------------------------ LibreOffice

def saved_by_libreoffice(books: list[Path], outdir: Path) -> list[Path]:
    """Each workbook opened and saved again as .xlsx by LibreOffice."""
    return convert(books, outdir, "xlsx")


# ------------------------------------------------------------------------------ zip and XML
# parts, write_parts, sheet_part and add_shared_string are fuzzkit's (tests/fuzzkit.py), which
# the fuzz tests and benchmarks share.

def add_rows(contents: dict[str, bytes], sheet: str, rows_xml: str) -> dict[str, bytes]:
    """A copy of ``contents`` with ``rows_xml`` added at the end of a sheet's data."""
    name = sheet_part(contents, sheet)
    assert b"</sheetData>" in contents[name]
    return append_rows(contents, name, rows_xml)


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


# ------------------------------------------------------------------------------ the store

def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory) -> Path:
    """The seed report as a filled workbook (openpyxl)."""
    return write_workbook(tmp_path_factory.mktemp("sample") / "dak-ha.xlsx", load_sample())


@pytest.fixture(scope="session")
def sample_saved_by_lo(tmp_path_factory, sample_book) -> Path:
    """The seed report's workbook after LibreOffice opened and saved it."""
    return saved_by_libreoffice([sample_book], tmp_path_factory.mktemp("lo-sample"))[0]


@pytest.fixture
def store(tmp_path, sample_book) -> Path:
    """A store holding the seed report, as a commune's earlier submission."""
    path = tmp_path / "store.sqlite"
    (outcome,) = ingest_files([sample_book], path)
    assert outcome.error is None, outcome.error
    return path


def refused(store: Path, *files: Path) -> list[FileOutcome]:
    """Ingest files that must all be refused; the store must not change by a byte."""
    before = digest(store)
    outcomes = ingest_files(list(files), store)
    for outcome in outcomes:
        assert outcome.error is not None, outcome
        assert not outcome.error.startswith("lỗi không mong đợi"), outcome.error
    assert digest(store) == before
    return outcomes


# ------------------------------------------------------------------------------ the helpers

def test_rebuilt_zip_reads_as_the_original(tmp_path, sample_book):
    copy = write_parts(tmp_path / "copy.xlsx", parts(sample_book))
    assert read_workbook(copy).submission == read_workbook(sample_book).submission


def test_sheet_parts_are_found_in_both_writers(sample_book, sample_saved_by_lo):
    for book in (sample_book, sample_saved_by_lo):
        contents = parts(book)
        wb = load_workbook(book, read_only=True)
        try:
            for sheet in wb.sheetnames:
                assert sheet_part(contents, sheet) == wb[sheet]._worksheet_path.lstrip("/")
        finally:
            wb.close()
