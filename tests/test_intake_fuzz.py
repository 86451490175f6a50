"""Fuzzing that stays: hostile and damaged workbooks, CSV and YAML made from the seed's real
files.  Whatever the input, only the package's own error (CchcError) escapes the reader, and
what it reads is a well-formed submission that the store's own loader accepts again.

A bounded budget (``max_examples`` ≤ 200, no deadline); benchmarks/fuzz_workbooks.py runs the
same kinds of input by the ten thousand, by hand.
"""

from __future__ import annotations

import math
import re
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_lib import workbook as L
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.ingest import ingest_files
from cchc_lib.model import Submission
from cchc_lib.periods import parse_period
from cchc_lib.reader import MAX_SUBMISSION_TEXT, MAX_TEXT, read_file
from cchc_lib.serialize import dump_yaml, from_dict, load_sample, to_dict, to_json
from cchc_lib.workbook import write_workbook
from fuzzkit import (CELL_TEXTS, CSV_FIELDS, CSV_HEAD, NUMBER_TEXTS, XLSX_XML_BITS, YAML_SLOTS,
                     YAML_VALUES, append_rows, cell_xml, csv_line, inserted, overwritten, parts,
                     sheet_part, with_shared_strings, zip_bytes)

SETTINGS = dict(deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SHEETS = (L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT, L.SHEET_DOCUMENTS, L.SHEET_TEXT,
          L.SHEET_SOURCE, L.SHEET_META)


@cache
def base() -> dict[str, bytes]:
    """The seed's workbook, with a percent-formatted cell so that a percent style exists."""
    from openpyxl import load_workbook

    folder = Path(tempfile.mkdtemp(prefix="cchc-fuzz-"))
    book = write_workbook(folder / "sample.xlsx", load_sample())
    wb = load_workbook(book)
    ws = wb[L.SHEET_APPENDIX]
    row = next(r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, L.COL_CODE).value == "3.4.1")
    ws.cell(row, L.COL_RATE).value = 0.749
    ws.cell(row, L.COL_RATE).number_format = "0.0%"
    wb.save(book)
    # a shared string table too (openpyxl writes inline strings): the shapes it allows
    return with_shared_strings(
        parts(book), "<si><t>74,9%</t></si><si><t>[/red][bold]x[/bold]</t></si>"
        f'<si><t xml:space="preserve">{"d" * 19_000}</t></si><si><t>_x0007_chuông</t></si>')


NUMBER_TEXT = st.sampled_from(NUMBER_TEXTS)
TEXT = st.one_of(
    st.sampled_from(CELL_TEXTS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
CELL = st.fixed_dictionaries({
    "sheet": st.sampled_from(SHEETS),
    "row": st.one_of(st.integers(1, 70), st.integers(71, 1_200), st.sampled_from(
        [1_048_576, 1_048_577, 2_000_000_000, 0])),
    "col": st.one_of(st.integers(1, 12), st.sampled_from([16_384, 16_385, 700])),
    "kind": st.sampled_from(["n", "s", "str", "inlineStr", "b", "e", "d", "f", "raw"]),
    "number": NUMBER_TEXT,
    "text": TEXT,
    "style": st.one_of(st.integers(0, 30), st.just(10_000)),
    "sst": st.integers(-1, 5),
})


def _cell_xml(c: dict) -> str:
    value = {"n": c["number"], "s": str(c["sst"]), "str": c["text"], "inlineStr": c["text"],
             "b": c["number"][:2], "e": "#DIV/0!", "d": c["number"], "f": c["number"],
             "raw": c["text"]}[c["kind"]]
    return cell_xml(c["row"], c["col"], c["kind"], value, c["style"])


def build(contents: dict[str, bytes], cells: list[dict], damage: list[tuple[int, int]],
          truncate: float | None, target: Path) -> Path:
    """A workbook with ``cells`` added (each in a row of its own, where the row says) and the
    zip's bytes then damaged and truncated."""
    for c in cells:
        contents = append_rows(contents, sheet_part(contents, c["sheet"]),
                               f'<row r="{c["row"]}">{_cell_xml(c)}</row>')
    data = overwritten(zip_bytes(contents), damage)
    if truncate is not None:
        data = data[: int(len(data) * truncate)]
    target.write_bytes(data)
    return target


def assert_well_formed(sub: Submission) -> None:
    cat = default_catalogue()
    assert re.fullmatch(r"[0-9]{1,5}", sub.unit_code)
    assert parse_period(sub.period).key == sub.period
    for code, value in sub.values.items():
        assert code in cat and not cat[code].is_group and value.code == code
        for x in (value.total, value.done, value.rate):
            assert x is None or (type(x) in (int, float) and math.isfinite(x)
                                 and abs(x) < 10 ** 15), (code, x)
    texts = [p for paras in sub.sections.values() for p in paras]
    texts += [v.note for v in sub.values.values()]
    texts += [d.summary for d in sub.documents] + list(sub.header.recipients)
    for text in texts:
        assert isinstance(text, str) and len(text) <= MAX_TEXT
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), text[:40]
    assert sum(map(len, texts)) <= MAX_SUBMISSION_TEXT
    to_json(sub)
    assert from_dict(to_dict(sub)) == sub  # the store's loader takes back what was read


def read_or_our_error(path: Path) -> None:
    try:
        results = read_file(path)
    except CchcError as exc:
        assert str(exc) and not str(exc).startswith("lỗi không mong đợi")
        return
    for result in results:
        assert_well_formed(result.submission)


@settings(max_examples=200, **SETTINGS)
@given(cells=st.lists(CELL, min_size=1, max_size=6))
def test_hostile_cells(cells):
    with tempfile.TemporaryDirectory() as tmp:
        read_or_our_error(build(base(), cells, [], None, Path(tmp) / "cells.xlsx"))


@settings(max_examples=120, **SETTINGS)
@given(cells=st.lists(CELL, max_size=2),
       damage=st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), max_size=6),
       truncate=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_damaged_zip_bytes(cells, damage, truncate):
    with tempfile.TemporaryDirectory() as tmp:
        read_or_our_error(build(base(), cells, damage, truncate, Path(tmp) / "damaged.xlsx"))


@settings(max_examples=120, **SETTINGS)
@given(part=st.sampled_from(["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
                             "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                             "xl/worksheets/sheet2.xml", "xl/worksheets/sheet7.xml"]),
       cut=st.floats(0.0, 1.0),
       insert=st.sampled_from([""] + XLSX_XML_BITS))
def test_damaged_xml(part, cut, insert):
    contents = dict(base())
    data = contents[part]
    contents[part] = inserted(data, int(len(data) * cut), insert.encode("utf-8", "surrogatepass"))
    with tempfile.TemporaryDirectory() as tmp:
        read_or_our_error(build(contents, [], [], None, Path(tmp) / "xml.xlsx"))


CSV_FIELD = st.one_of(st.sampled_from(CSV_FIELDS), st.text(max_size=20))


@settings(max_examples=150, **SETTINGS)
@given(rows=st.lists(st.lists(CSV_FIELD, min_size=1, max_size=9), max_size=5),
       sep=st.sampled_from([",", ";", "\t"]),
       quote=st.booleans())
def test_csv_shapes(rows, sep, quote):
    lines = [sep.join(CSV_HEAD)] + [csv_line(row, sep, quote) for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        read_or_our_error(path)


YAML_VALUE = st.sampled_from(YAML_VALUES)


@settings(max_examples=150, **SETTINGS)
@given(slot=st.sampled_from(sorted(YAML_SLOTS)), value=YAML_VALUE)
def test_yaml_shapes(slot, value):
    text = dump_yaml(load_sample())
    old, new = YAML_SLOTS[slot]
    assert text.count(old) == 1, slot
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sub.yaml"
        path.write_text(text.replace(old, new.format(value)), encoding="utf-8")
        read_or_our_error(path)


@settings(max_examples=40, **SETTINGS)
@given(cells=st.lists(st.lists(CELL, max_size=3), min_size=1, max_size=3))
def test_several_files_through_ingest(cells):
    # the path `cchc ingest` takes: every file reported, none as an unexpected error
    with tempfile.TemporaryDirectory() as tmp:
        files = [build(base(), c, [], None, Path(tmp) / f"f{n}.xlsx") for n, c in enumerate(cells)]
        outcomes = ingest_files(files, Path(tmp) / "store.sqlite")
        assert len(outcomes) == len(files)
        for outcome in outcomes:
            assert outcome.error is None or not outcome.error.startswith("lỗi không mong đợi"), \
                outcome.error
