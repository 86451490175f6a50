"""The workbook a commune fills and prints: generated from the catalogue, protected, with
drop-downs, legible on A4, and able to say where a finding is fixed.

Print sizes are computed here from what openpyxl reads back (column widths, page size,
margins), not from the module's own helpers; the PDF LibreOffice makes of it is checked in
tests/test_workbook_print.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from cchc_lib import workbook as L
from cchc_lib.catalogue import default_catalogue, display_stt
from cchc_lib.checks import run_checks
from cchc_lib.errors import CchcError, InputError
from cchc_lib.reader import read_workbook
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import place_of, template_for, write_workbook

PRINTED = (L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT, L.SHEET_DOCUMENTS, L.SHEET_TEXT)
A4 = {"portrait": 595.28, "landscape": 841.89}  # page width in points


@pytest.fixture(scope="module")
def template_path(tmp_path_factory):
    return write_workbook(tmp_path_factory.mktemp("tpl") / "t.xlsx",
                          template_for("24622", "2024-H1"))


@pytest.fixture(scope="module")
def template(template_path):
    return load_workbook(template_path)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def filled_path(tmp_path_factory, sample):
    return write_workbook(tmp_path_factory.mktemp("filled") / "s.xlsx", sample)


@pytest.fixture(scope="module")
def filled(filled_path):
    return load_workbook(filled_path)


def test_sheets_and_meta(template):
    assert template.sheetnames == [L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT,
                                   L.SHEET_DOCUMENTS, L.SHEET_TEXT, L.SHEET_SOURCE, L.SHEET_META]
    meta = dict(template[L.SHEET_META].iter_rows(values_only=True))
    assert meta["catalogue_version"] == default_catalogue().version
    assert (meta["unit_code"], meta["period"], meta["format"]) == ("24622", "2024-H1",
                                                                  "cchc-workbook")
    assert meta["template_version"] == L.TEMPLATE_VERSION == "2"
    # the reader's sheets cannot be unhidden from the menu by a clerk
    assert template[L.SHEET_META].sheet_state == "veryHidden"
    assert template[L.SHEET_SOURCE].sheet_state == "veryHidden"


def test_header_sheet_is_prefilled_and_locked_where_fixed(template):
    ws = template[L.SHEET_HEADER]
    rows = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3)
            for r in range(L.HEADER_FIRST_ROW, ws.max_row + 1)}
    assert rows["unit_name"].value == "xã Đắk Ha"
    assert rows["period_label"].value == "6 tháng đầu năm 2024"
    assert rows["unit_code"].protection.locked is True
    assert rows["report_date"].protection.locked is False
    for key in ("addressee", "dossier_source", "estimate_basis", "staff_basis", "seconded_posts",
                "seconded_to", "received_posts"):
        assert rows[key].protection.locked is False, key
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
    assert ws.protection.sheet is True


def test_stt_is_printed_as_the_report_prints_it(template, seed_appendix_rows):
    # The seed prints 1.1.1.–1.1.3. twice, the second time under 1.2. "Kiểm tra CCHC"; the
    # report prints them 1.2.1.–1.2.3., and so does the form.
    ws = template[L.SHEET_APPENDIX]
    stt = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=L.COL_STT).value
           for r in range(L.IND_FIRST_ROW, ws.max_row + 1)}
    assert [stt[c] for c in ("1.2", "1.2.1", "1.2.2", "1.2.3")] == [
        "1.2.", "1.2.1.", "1.2.2.", "1.2.3."]
    assert [r[0] for r in seed_appendix_rows[5:9]] == ["1.2.", "1.1.1.", "1.1.2.", "1.1.3."]
    numbered = [v for v in stt.values() if v and re.fullmatch(r"[\d.]+", v)]
    assert len(numbered) == len(set(numbered))  # no number printed twice
    assert stt["7.6.2.a"] == "Trong đó" and stt["7.6.2.b"] is None
    # the one rule, shared with the report: display_stt
    cat = default_catalogue()
    assert all(stt[c] == (display_stt(cat[c]) or None) for c in stt)
    sup = template[L.SHEET_SUPPLEMENT]
    assert sup.cell(row=L.IND_FIRST_ROW, column=L.COL_STT).value == "S.1"


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
    assert {"I.1", "III.2", "V", "closing"} <= set(keys)


def test_filled_workbook_marks_illustrative_data(tmp_path, sample):
    path = write_workbook(tmp_path / "x.xlsx", replace(sample, illustrative=True))
    ws = load_workbook(path)[L.SHEET_APPENDIX]
    assert "DỮ LIỆU MINH HỌA" in ws.cell(row=3, column=L.COL_STT).value


def test_text_that_looks_like_a_formula_stays_text(tmp_path, sample):
    sub = replace(sample, sections={"V": ("=1+1 không phải công thức",)})
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


# --------------------------------------------------------------------------- the new header


def test_the_header_facts_of_the_narrative_round_trip(filled, filled_path, sample):
    ws = filled[L.SHEET_HEADER]
    value = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value
             for r in range(L.HEADER_FIRST_ROW, ws.max_row + 1)}
    assert value["received_posts"] == "Văn hoá – xã hội; Tư pháp – Hộ tịch"
    assert value["seconded_posts"] == "Tài chính – Kế toán"
    assert value["staff_basis"] == "365/QĐ-UBND"
    assert value["addressee"] == "Ủy ban nhân dân huyện Đắk Glong"
    assert read_workbook(filled_path).submission.header == sample.header


def test_posts_typed_one_a_line_or_with_semicolons(filled_path, tmp_path):
    wb = load_workbook(filled_path)
    ws = wb[L.SHEET_HEADER]
    ws[f"C{L.HEADER_ROWS['received_posts']}"] = "Văn hoá – xã hội\nTư pháp – Hộ tịch ;"
    wb.save(tmp_path / "lines.xlsx")
    header = read_workbook(tmp_path / "lines.xlsx").submission.header
    assert header.received_posts == ("Văn hoá – xã hội", "Tư pháp – Hộ tịch")


def test_a_version_1_workbook_is_still_read(filled_path, tmp_path, sample):
    # Version 1 had no rows for the narrative's header facts and its own version number.
    wb = load_workbook(filled_path)
    ws = wb[L.SHEET_HEADER]
    for merged in list(ws.merged_cells.ranges):  # openpyxl does not move them with the rows
        ws.unmerge_cells(str(merged))
    for row in sorted((L.HEADER_ROWS[k] for k in L.HEADER_FIELDS_SINCE_2), reverse=True):
        ws.delete_rows(row)
    meta = wb[L.SHEET_META]
    for row in meta.iter_rows():
        if row[0].value == "template_version":
            row[1].value = "1"
    wb.save(tmp_path / "v1.xlsx")
    sub = read_workbook(tmp_path / "v1.xlsx").submission
    assert sub.header == replace(sample.header, addressee="", dossier_source="",
                                 estimate_basis="", staff_basis="", seconded_posts=(),
                                 seconded_to="", received_posts=())
    assert sub.values == sample.values and sub.sections == sample.sections


def test_an_unknown_version_is_refused_in_vietnamese(filled_path, tmp_path):
    wb = load_workbook(filled_path)
    for row in wb[L.SHEET_META].iter_rows():
        if row[0].value == "template_version":
            row[1].value = "0"
    wb.save(tmp_path / "v0.xlsx")
    with pytest.raises(InputError, match="phiên bản '0' không còn được hỗ trợ") as err:
        read_workbook(tmp_path / "v0.xlsx")
    assert "cchc template" in str(err.value)


def test_a_version_2_workbook_must_have_every_header_row(filled_path, tmp_path):
    wb = load_workbook(filled_path)
    wb[L.SHEET_HEADER].delete_rows(L.HEADER_ROWS["staff_basis"])
    wb.save(tmp_path / "short.xlsx")
    with pytest.raises(InputError, match="thiếu mục 'Văn bản làm căn cứ"):
        read_workbook(tmp_path / "short.xlsx")


def test_text_sections_print_a_paragraph_a_row_and_read_back_whole(filled, sample):
    ws = filled[L.SHEET_TEXT]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value)
            for r in range(L.TEXT_FIRST_ROW, ws.max_row + 1)]
    assert [t for k, t in rows if k == "II.1"] == list(sample.sections["II.1"])


# --------------------------------------------------------------------------- printing


def _visible_columns(ws) -> list[str]:
    min_col, _, max_col, _ = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    letters = [get_column_letter(c) for c in range(min_col, max_col + 1)]
    return [x for x in letters if not ws.column_dimensions[x].hidden]


def _scale(ws) -> float:
    """What fit-to-width makes of the sheet: printable width / width of the printed columns.

    A column width counts digits of the workbook's font, Times New Roman 11 pt: 0,5 em = 5,5 pt
    a digit, plus 5 px (3,75 pt) of padding a column (the larger of Excel's and LibreOffice's
    readings).
    """
    m = ws.page_margins
    printable = A4[ws.page_setup.orientation] - 72 * (m.left + m.right)
    used = sum(5.5 * ws.column_dimensions[x].width + 3.75 for x in _visible_columns(ws))
    return min(1.0, printable / used)


@pytest.mark.parametrize("which", ["template", "filled"])
def test_every_sheet_prints_on_a4_at_9_pt_or_more(which, template, filled):
    wb = template if which == "template" else filled
    for name in PRINTED:
        ws = wb[name]
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        smallest = min(c.font.sz for row in ws.iter_rows() for c in row
                       if c.value not in (None, "") and c.column_letter in _visible_columns(ws))
        assert smallest >= 11, name
        assert {c.font.name for row in ws.iter_rows() for c in row if c.value} == {
            "Times New Roman"}, name
        # the page does not shrink the sheet: 11 pt stays 11 pt, at least 9 pt
        assert _scale(ws) * smallest >= 9, (name, _scale(ws))
        assert _scale(ws) == 1.0, name
        assert L.print_scale(name) == pytest.approx(_scale(ws)), name
    # the width unit: the workbook's default font is the cells' font
    assert wb._fonts[0].name == "Times New Roman" and wb._fonts[0].sz == 11


def test_key_columns_are_hidden_and_outside_the_print_area(filled):
    expected = {L.SHEET_HEADER: "B1:C", L.SHEET_APPENDIX: "B1:H", L.SHEET_SUPPLEMENT: "B1:I",
                L.SHEET_DOCUMENTS: "A1:G", L.SHEET_TEXT: "B1:C"}
    for name, start in expected.items():
        ws = filled[name]
        cells = ws.print_area.split("!")[-1].replace("$", "")
        first, last = cells.split(":")
        assert cells.startswith(start.split(":")[0]) and last.startswith(start.split(":")[1])
        assert int(re.sub(r"\D", "", last)) >= ws.max_row - (1 if name == L.SHEET_HEADER else 0)
        if name != L.SHEET_DOCUMENTS:
            assert ws.column_dimensions["A"].hidden, name
            assert column_index_from_string(re.sub(r"\d", "", first)) == 2
    # headings are repeated on every printed page
    titles = filled[L.SHEET_APPENDIX].print_title_rows.replace("$", "")
    assert titles == f"{L.IND_HEADER_ROW}:{L.IND_HEADER_ROW}"


ENGLISH = re.compile(r"\b(?:[a-z]+_[a-z_]+|closing|recipient\.\d+|title|header|appendix)\b")


@pytest.mark.parametrize("which", ["template", "filled"])
def test_no_english_key_is_visible(which, template, filled):
    wb = template if which == "template" else filled
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert "_" not in ws.title
        for row in ws.iter_rows():
            for c in row:
                if c.value is None or ws.column_dimensions[c.column_letter].hidden \
                        or ws.row_dimensions[c.row].hidden:
                    continue
                assert not ENGLISH.search(str(c.value)), (ws.title, c.coordinate, c.value)
    assert "openpyxl" not in (wb.properties.creator or "")


def _needed_lines(text: str, width: float) -> int:
    """A lower bound of the lines a wrapped cell needs: Times New Roman prints at most 1,3
    characters of text in the width of one digit (its letters average 0,43 em, a digit 0,5)."""
    per_line = max(1, int(width * 1.3))
    return sum(max(1, math.ceil(len(p) / per_line)) for p in str(text).split("\n"))


@pytest.mark.parametrize("which", ["template", "filled"])
def test_rows_are_tall_enough_for_their_wrapped_text(which, template, filled):
    wb = template if which == "template" else filled
    checked = 0
    for name in PRINTED:
        ws = wb[name]
        merged = {r.start_cell.coordinate: r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
            for c in row:
                if c.value in (None, "") or ws.column_dimensions[c.column_letter].hidden:
                    continue
                if c.coordinate in merged:
                    rng = merged[c.coordinate]
                    width = sum(ws.column_dimensions[get_column_letter(k)].width
                                for k in range(rng.min_col, rng.max_col + 1))
                else:
                    width = ws.column_dimensions[c.column_letter].width
                    assert c.alignment.wrap_text, (name, c.coordinate)
                height = ws.row_dimensions[c.row].height
                assert height is not None, (name, c.coordinate)
                # 12,2 pt a line at 11 pt (LibreOffice), in proportion for larger fonts
                lines = _needed_lines(c.value, width)
                assert height >= lines * 12.2 * c.font.sz / 11, (name, c.coordinate, c.value)
                checked += 1
    assert checked > 300


def test_wrapped_line_estimate_is_never_below_the_lower_bound():
    text = load_sample().sections["II.3"][0]  # ~1.150 characters
    for width in (20, 50, 104):
        assert L.wrapped_lines(text, width) >= _needed_lines(text, width)
    assert L.wrapped_lines("", 10) == 1
    assert L.wrapped_lines("a\nb", 10) == 2
    assert L.wrapped_lines("x" * 50, 10) >= 5  # a word longer than the cell breaks


# --------------------------------------------------------------------------- place_of


def _where(findings, key):
    return next(f for f in findings if f.where == key)


@pytest.fixture(scope="module")
def findings(sample):
    return run_checks(sample)


def test_place_of_names_the_cell_of_the_typed_value(findings, filled, sample):
    # the 1.1.2 rate typed 100 for 55 of 72 tasks
    f = _where(findings, "indicator:1.1.2:rate")
    place = place_of(f.where, sample)
    assert (place.sheet, place.stt, place.column) == ("PL01", "1.1.2.", "Tỷ lệ (%)")
    assert place.title == "Số nhiệm vụ đã hoàn thành"
    assert filled[place.sheet][place.cell].value == 100 == f.found
    # the impossible date 32/05/2024 of S.5.3
    f = _where(findings, "indicator:S.5.3:as_of")
    place = place_of(f.where, sample)
    assert (place.sheet, place.column, place.stt) == ("Số liệu bổ sung", "Tính đến ngày", "S.5.3")
    assert filled[place.sheet][place.cell].value == "32/05/2024"
    # the report's date
    place = place_of("header:report_date", sample)
    assert (place.sheet, place.title) == ("Thông tin chung", "Ngày báo cáo (dd/mm/yyyy)")
    assert filled[place.sheet][place.cell].value == "07/03/2024"
    # "Kế hoạch số 15/QĐ-UBND": a plan numbered as a decision
    doc = next(n for n, d in enumerate(sample.documents) if d.reference == "15/QĐ-UBND")
    f = next(f for f in findings if f.where == f"document:{doc}")
    place = place_of(f.where, sample)
    assert (place.sheet, place.title) == ("Văn bản", "Kế hoạch số 15/QĐ-UBND")
    ws = filled[place.sheet]
    assert ws[place.cell].value == "Kế hoạch"  # the row's first input cell: its type
    assert ws.cell(row=place.row, column=3).value == "QĐ-UBND"
    symbol = place_of(f"document:{doc}:symbol", sample)
    assert (ws[symbol.cell].value, symbol.column) == ("QĐ-UBND", "Ký hiệu")
    assert ws[place_of(f"document:{doc}:date", sample).cell].value == "11/01/2024"


def test_every_finding_with_a_place_resolves_to_its_sheet(findings, filled, sample):
    resolved = 0
    for f in findings:
        place = place_of(f.where, sample)
        if f.where is None:
            assert place is None
            continue
        assert place is not None, f.where
        ws = filled[place.sheet]
        kind, _, rest = f.where.partition(":")
        if kind == "indicator":
            code, _, column = rest.partition(":")
            assert ws.cell(row=place.row, column=1).value == code  # the hidden code column
            assert ws.cell(row=place.row, column=L.COL_STT).value == place.stt
            col = ws[place.cell].column
            assert ws.cell(row=L.IND_HEADER_ROW, column=col).value == place.column
            if column in ("total", "done", "rate", "as_of") and f.found is not None:
                assert ws[place.cell].value == f.found, f.where
        elif kind == "header":
            assert ws.cell(row=place.row, column=1).value == rest
            assert ws.cell(row=place.row, column=2).value == place.title
            if f.found is not None and rest.startswith(("report_date", "data_window")):
                assert ws[place.cell].value in str(f.found)
        elif kind == "section":
            assert place.sheet in (L.SHEET_TEXT, L.SHEET_HEADER, L.SHEET_APPENDIX)
        resolved += 1
    assert resolved >= 10


def test_place_of_sections_headings_and_unknown_keys(filled, sample):
    text = filled[L.SHEET_TEXT]
    place = place_of("section:II.5", sample)
    assert (place.sheet, place.column) == ("Thuyết minh", "Nội dung")
    assert place.title == "II.5. Cải cách tài chính công"
    assert text.cell(row=place.row, column=1).value == "II.5"
    assert text[place.cell].value == sample.sections["II.5"][0]
    closing = place_of("section:closing", sample)
    assert closing.title == "Lời kết" and text[closing.cell].value == sample.sections["closing"][0]
    heading = place_of("section:II", sample)  # a heading over sub-sections takes no text
    assert heading.cell == f"B{heading.row}" and heading.column == "Mục"
    assert place_of("section:title", sample).title == "Trích yếu (tên báo cáo)"
    assert place_of("section:appendix", sample).sheet == "PL01"
    # the second 1.1.x group prints its own numbers
    assert place_of("indicator:1.2.2", sample).stt == "1.2.2."
    assert place_of("indicator:3.4.1", sample).cell.startswith("E")  # first input: Số liệu tổng
    for key in (None, "", "indicator:9.9.9", "indicator:3.4.1:colour", "indicator:3.4.1:as_of",
                "header:nothing", "document:99", "document:x", "document:0:colour",
                "section:VI", "page:1"):
        assert place_of(key, sample) is None, key


def test_place_of_follows_the_layout_of_a_blank_template(template):
    empty = template_for("24622", "2024-H1")
    place = place_of("section:I.2", empty)
    ws = template[L.SHEET_TEXT]
    assert ws.cell(row=place.row, column=1).value == "I.2" and ws[place.cell].value is None
    place = place_of("indicator:1.2.3:done", empty)
    assert (place.cell, place.stt) == (
        f"F{L.IND_FIRST_ROW + [i.code for i in default_catalogue()].index('1.2.3')}", "1.2.3.")


# --------------------------------------------------------------------------- file mode


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_the_workbook_gets_the_mode_of_the_users_new_files(tmp_path, umask, mode):
    import os
    import stat

    old = os.umask(umask)
    try:
        path = write_workbook(tmp_path / "t.xlsx", template_for("24622", "2024-H1"))
        # what open() gives any other new file under the same umask
        plain = tmp_path / "plain.txt"
        plain.write_text("x", encoding="utf-8")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode == stat.S_IMODE(plain.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt", "t.xlsx"]
