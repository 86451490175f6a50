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
