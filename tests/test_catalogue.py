"""The indicator catalogue: complete against the seed's appendix, and a loader that refuses breakage."""

from __future__ import annotations

import re
import textwrap

import pytest

from cchc_lib.catalogue import default_catalogue, display_stt, load_catalogue, parse_catalogue
from cchc_lib.errors import CatalogueError


def test_every_appendix_row_in_printed_order(seed_appendix_rows):
    cat = default_catalogue()
    appendix = [i for i in cat if i.section == "appendix"]
    assert len(appendix) == len(seed_appendix_rows) == 95
    for ind, fields in zip(appendix, seed_appendix_rows):
        assert (ind.printed, ind.title) == (fields[0], fields[1])
        assert ind.unit == (fields[2] if len(fields) > 2 else "")


def test_codes_are_unique_and_the_second_1_1_group_belongs_to_1_2():
    cat = default_catalogue()
    assert len(set(cat.codes)) == len(cat)
    assert [(cat[c].printed, cat[c].parent) for c in ("1.2.1", "1.2.2", "1.2.3")] == [
        ("1.1.1.", "1.2"), ("1.1.2.", "1.2"), ("1.1.3.", "1.2")]
    assert cat["1.1.1"].title == "Số nhiệm vụ đề ra trong kế hoạch"
    assert cat["1.2.1"].title == "Số lần kiểm tra"


def test_display_stt_prints_each_row_once(seed_appendix_rows):
    cat = default_catalogue()
    appendix = [i for i in cat if i.section == "appendix"]
    shown = [display_stt(i) for i in appendix]
    # the seed's Stt column, with the second 1.1.1.–1.1.3. (rows 7–9, under 1.2.) renumbered
    printed = [fields[0] for fields in seed_appendix_rows]
    assert printed[5:9] == ["1.2.", "1.1.1.", "1.1.2.", "1.1.3."]
    expected = printed[:6] + ["1.2.1.", "1.2.2.", "1.2.3."] + printed[9:]
    assert shown == expected
    numbered = [s for s in shown if re.fullmatch(r"[\d.]+", s)]
    assert len(numbered) == len(set(numbered))
    # words stay as printed; a supplementary row, which the form lacks, prints its code
    assert (display_stt(cat["7.6.2.a"]), display_stt(cat["7.6.2.b"])) == ("Trong đó", "")
    assert (display_stt(cat["S.5.3"]), display_stt(cat["S.1"])) == ("S.5.3", "S.1")


def test_enum_codings_match_the_printed_unit_column():
    cat = default_catalogue()
    enums = [i for i in cat if i.kind == "enum"]
    assert [i.code for i in enums] == ["1.4.2", "1.5", "7.1", "7.2", "7.3", "7.5"]
    for ind in enums:
        printed = {int(n): label.strip() for label, n in re.findall(r"(.+?) = (\d+)\s*", ind.unit)}
        assert dict(ind.coding) == printed, ind.code
    assert dict(cat["7.3"].coding) == {0: "Chưa", 1: "Đang làm", 2: "Hoàn thành"}


def test_kinds_and_rates():
    cat = default_catalogue()
    assert cat["1"].kind == "group" and cat["4.1"].kind == "group"
    assert cat["3.4.1"].kind == "count" and cat["3.4.1"].rate == "row"
    assert (cat["1.1.2"].rate, cat["1.1.2"].rate_of) == ("ratio", "1.1.1")
    assert cat["4.2.5"].kind == "percent" and cat["4.2.5"].unit == "%"
    assert cat["S.5.1"].kind == "amount" and cat["S.5.1"].unit == "đồng"
    assert cat["7.6.2.a"].printed == "Trong đó" and cat["7.6.2.a"].part_of == "7.6.2"


@pytest.mark.parametrize("words", [
    "Công văn", "Báo cáo", "Kế hoạch", "Quyết định", "tin bài đăng", "tuyên truyền",
    "đối thoại", "tồn kỳ trước", "tiếp nhận trong kỳ", "đúng hạn", "trễ hạn",
    "Thu ngân sách nhà nước", "do xã đảm nhận", "Chi ngân sách", "giáo dục phổ thông",
    "chuyên môn đại học", "lý luận chính trị", "biệt phái", "được tiếp nhận",
])
def test_supplementary_section_holds_every_narrative_figure(words):
    sup = default_catalogue().data_rows("supplementary")
    assert any(words.lower() in i.title.lower() for i in sup), words


def test_parts_and_wholes_are_consistent():
    cat = default_catalogue()
    assert [i.code for i in cat.parts("S.1")] == ["S.1.1", "S.1.2", "S.1.3", "S.1.4"]
    assert cat["S.1"].parts_sum == "eq" and cat["S.1"].same_as == "1.1.3"
    assert [i.code for i in cat.parts("S.3.1")] == ["S.3.2", "S.3.3"]


GOOD = """\
version: "t1"
indicators:
  - {code: "1", printed: "1.", title: "Nhóm", unit: "", kind: group}
  - {code: "1.1", printed: "1.1.", title: "Tổng", unit: "Hồ sơ", kind: count, parent: "1", parts_sum: le}
  - {code: "1.2", printed: "1.2.", title: "Phần", unit: "Hồ sơ", kind: count, parent: "1", part_of: "1.1"}
  - {code: "1.3", printed: "1.3.", title: "Mã", unit: "Không = 0 Có = 1", kind: enum, parent: "1", coding: {0: "Không", 1: "Có"}}
"""


def test_a_small_good_catalogue_loads(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.version == "t1" and cat.codes == ("1", "1.1", "1.2", "1.3")


@pytest.mark.parametrize("old, new, message", [
    ('code: "1.2", printed', 'code: "1.1", printed', "mã trùng với dòng 2"),
    ('parent: "1", part_of', 'parent: "9", part_of', "không có trong danh mục"),
    ('{0: "Không", 1: "Có"}', '{0: "Không", 2: "Có"}', "liên tiếp từ 0"),
    ('{0: "Không", 1: "Có"}', '{0: "Có", 1: "Có"}', "lặp lại"),
    ('{0: "Không", 1: "Có"}', '{}', "không rỗng"),
    ("kind: enum", "kind: mystery", "loại giá trị"),
    ('parts_sum: le', 'parts_sum: maybe', "parts_sum"),
    ('parts_sum: le', 'colour: red', "khóa không được biết"),
    (', parts_sum: le', '', "cần khai báo parts_sum"),
    ('kind: count, parent: "1", part_of', 'kind: count, rate: ratio, parent: "1", part_of', "rate_of"),
    ('unit: "Hồ sơ", kind: count, parent: "1", parts', 'unit: "", kind: count, parent: "1", parts', "đơn vị tính"),
    ('title: "Tổng", ', '', "title"),
    ('version: "t1"', 'versio: "t1"', "phiên bản"),
    ('- {code: "1", printed', '- [code: "1", printed', "YAML"),
])
def test_a_broken_catalogue_is_refused_loudly(old, new, message):
    assert old in GOOD
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(GOOD.replace(old, new, 1))
    assert message in str(err.value)


def test_a_parent_after_its_child_is_refused():
    text = textwrap.dedent("""\
        version: "t"
        indicators:
          - {code: "1.1", title: "Con", unit: "Người", kind: count, parent: "1"}
          - {code: "1", title: "Cha", unit: "", kind: group}
        """)
    with pytest.raises(CatalogueError, match="phải đứng trước"):
        parse_catalogue(text)


# --------------------------------------------------------------------------- time behaviour

def test_every_count_amount_and_coded_row_says_how_it_behaves_across_periods():
    from cchc_lib.catalogue import TIME_KINDS

    cat = default_catalogue()
    for ind in cat.data_rows():
        if ind.kind in ("count", "amount", "enum"):
            assert ind.code in cat.timing, ind.code
            assert set(cat.timing[ind.code].columns.values()) <= set(TIME_KINDS)
        else:  # percentages "so với năm 2015" are not compared
            assert ind.code not in cat.timing, ind.code
    assert (cat.time("4.2.1", "total"), cat.time("S.5.1", "total"), cat.time("S.5.1", "done")) \
        == ("yearly", "yearly", "cumulative")
    assert (cat.time("3.1.1", "total"), cat.time("6.1", "total"), cat.time("S.4.1", "total")) \
        == ("flow", "cumulative", "stock")
    t = cat.timing["3.1.3"]
    assert (t.inflow, t.outflow) == ("3.1.1", "3.1.2")
    assert cat.timing["S.3.2"].carried_from == ("S.3.1", "S.3.4")


def _one_row(**extra) -> str:
    fields = ", ".join(f"{k}: {v}" for k, v in extra.items())
    return textwrap.dedent(f"""\
        version: "t"
        indicators:
          - {{code: "1", title: "Mới", unit: "Thủ tục", kind: count, rate: row}}
          - {{code: "2", title: "Bỏ", unit: "Thủ tục", kind: count, time: flow}}
          - {{code: "3", title: "Đang có", unit: "Thủ tục", kind: count, {fields}}}
        """)


@pytest.mark.parametrize("extra, words", [
    ({"time": "forever"}, "time của cột total là 'forever'"),
    ({"time": "{total: stock, rate: flow}"}, "time phải là một trong"),
    ({"stock_flows": '{in: "1", out: "2"}'}, "stock_flows và carried_from cần khai báo time"),
    ({"time": "flow", "stock_flows": '{in: "1", out: "2"}'}, "chỉ dùng cho chỉ tiêu có số tổng là stock"),
    ({"time": "stock", "stock_flows": '{in: "1"}'}, "có đúng hai khóa 'in' và 'out'"),
    ({"time": "stock", "stock_flows": '{in: "1", out: "2"}'}, "chỉ tiêu '1' dùng để tính số chuyển kỳ phải có time: flow"),
    ({"time": "stock", "carried_from": '{received: "9", resolved: "2"}'}, "trỏ tới mã '9'"),
])
def test_a_wrong_time_marking_is_refused_naming_the_row(extra, words):
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(_one_row(**extra))
    assert "dòng 3 (mã '3')" in str(err.value) and words in str(err.value)


# --------------------------------------------------------------------------- versions

def _version(tmp_path, name, version, valid_from=None, valid_to=None, body=None):
    from importlib import resources

    text = body or resources.files("cchc_lib").joinpath("data/catalogue.yaml").read_text("utf-8")
    text = text.replace('version: "2024.1"', f'version: "{version}"')
    text = text.replace('valid_from: "2000-01-01"\n', "")
    head = "".join(f'{k}: "{v}"\n' for k, v in (("valid_from", valid_from),
                                                ("valid_to", valid_to)) if v)
    path = tmp_path / name
    path.write_text(head + text, encoding="utf-8")
    return path


def _table_of_2027(tmp_path):
    """The shipped table closed on 31/12/2026, and a table of 2027 that renames 3.1.3 and adds
    a supplementary row."""
    from importlib import resources

    old = _version(tmp_path, "a.yaml", "2024.1", "2000-01-01", "2026-12-31")
    text = resources.files("cchc_lib").joinpath("data/catalogue.yaml").read_text("utf-8")
    text = text.replace('title: "Tổng số TTHC đang có hiệu lực"',
                        'title: "Tổng số TTHC đang còn hiệu lực thi hành"')
    text += ('  - {code: "S.8", printed: "", title: "Số cuộc họp trực tuyến", unit: "Cuộc", '
             'kind: count, parent: "S", section: supplementary, time: flow}\n')
    new = _version(tmp_path, "b.yaml", "2027.1", "2027-01-01", None, body=text)
    return old, new


def test_the_shipped_table_is_in_force_for_every_period_open_ended():
    from cchc_lib.catalogue import catalogue_for, shipped_versions

    (current,) = shipped_versions()
    assert (str(current.valid_from), current.valid_to) == ("2000-01-01", None)
    assert catalogue_for("2000-Q1") is catalogue_for("2100") is current is default_catalogue()


def test_the_version_in_force_on_the_period_s_last_day_is_picked(tmp_path):
    from cchc_lib.catalogue import catalogue_for, load_versions

    versions = load_versions(_table_of_2027(tmp_path))
    assert [v.version for v in versions] == ["2024.1", "2027.1"]
    assert catalogue_for("2026", versions).version == "2024.1"
    assert catalogue_for("2027-Q1", versions).version == "2027.1"
    assert "S.8" in catalogue_for("2027-Q1", versions) and "S.8" not in catalogue_for(
        "2026-Q4", versions)
    assert load_versions(tmp_path) == versions  # a folder of versions reads the same


@pytest.mark.parametrize("dates, words", [
    ((("2000-01-01", "2027-06-30"), ("2027-01-01", None)), "có hiệu lực chồng lên nhau"),
    ((("2000-01-01", None), ("2027-01-01", None)), "có hiệu lực chồng lên nhau"),
    ((("2000-01-01", "2026-11-30"), ("2027-01-01", None)),
     "có khoảng trống từ 01/12/2026 đến 31/12/2026"),
])
def test_overlapping_or_gapped_versions_are_refused(tmp_path, dates, words):
    from cchc_lib.catalogue import load_versions

    (a_from, a_to), (b_from, b_to) = dates
    paths = [_version(tmp_path, "a.yaml", "2024.1", a_from, a_to),
             _version(tmp_path, "b.yaml", "2027.1", b_from, b_to)]
    with pytest.raises(CatalogueError) as err:
        load_versions(paths)
    assert words in str(err.value) and "'2024.1'" in str(err.value)


def test_a_period_before_every_version_is_refused(tmp_path):
    from cchc_lib.catalogue import catalogue_for, load_versions

    versions = load_versions([_version(tmp_path, "a.yaml", "2024.1", "2020-01-01")])
    with pytest.raises(CatalogueError, match="Không có danh mục chỉ tiêu nào có hiệu lực ngày "
                                             "31/12/2019 \\(ngày cuối năm 2019\\)"):
        catalogue_for("2019", versions)


def test_checks_and_the_workbook_use_the_version_of_the_period(tmp_path, monkeypatch):
    from cchc_lib import catalogue
    from cchc_lib.checks import run_checks
    from cchc_lib.model import Submission, Value
    from cchc_lib.reader import read_workbook
    from cchc_lib.workbook import template_for, write_workbook

    versions = catalogue.load_versions(_table_of_2027(tmp_path))
    monkeypatch.setattr(catalogue, "shipped_versions", lambda: versions)

    def stock_message(period, before):
        sub = Submission("22918", period, values={c: Value(c, total=x) for c, x in
                                                  (("3.1.3", 90), ("3.1.1", 5), ("3.1.2", 1))})
        prev = Submission("22918", before, values={"3.1.3": Value("3.1.3", total=80)})
        (hit,) = [f for f in run_checks(sub, history=[prev]) if f.rule == "period.stock-flow"]
        return hit.message

    assert stock_message("2027-Q1", "2026").startswith(
        'Chỉ tiêu 3.1.3 "Tổng số TTHC đang còn hiệu lực thi hành": 90')
    assert stock_message("2026-Q1", "2025").startswith(
        'Chỉ tiêu 3.1.3 "Tổng số TTHC đang có hiệu lực": 90')
    for period, has_row in (("2027-Q1", True), ("2026-Q4", False)):
        path = write_workbook(tmp_path / f"{period}.xlsx", template_for("22918", period))
        sub = read_workbook(path, allow_blank=True).submission
        assert sub.period == period
        from openpyxl import load_workbook

        cells = {c.value for ws in load_workbook(path).worksheets for row in ws.iter_rows()
                 for c in row}
        assert ("Số cuộc họp trực tuyến" in cells) is has_row
