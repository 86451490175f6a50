"""Tests for cchc_lib.lineage: who became whom on 1 July 2025, and lookups across the break.

Expected values come from the resolutions (reporting_regime.md; Nghị quyết 1671/NQ-UBTVQH15
for Lâm Đồng: phường Bắc Gia Nghĩa from phường Nghĩa Đức, Nghĩa Thành, Quảng Thành of
thành phố Gia Nghĩa and xã Đắk Ha; xã Tà Đùng from xã Đắk R'Măng and Đắk Som), the GSO codes
of those units, and invariants any lineage table must satisfy.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from click.testing import CliRunner

from cchc_lib import lineage as L
from cchc_lib import units as U
from cchc_lib.cli import main
from cchc_lib.errors import UnitError

NOTE_DAK_HA = "xã Đắk Ha (24622) đã được sắp xếp vào phường Bắc Gia Nghĩa (24611, tỉnh Lâm Đồng)"
# The island districts without communes that became special zones (đặc khu): their
# predecessor is a district, not a commune.
ISLAND_DISTRICTS = {"318": "Bạch Long Vĩ", "471": "Cồn Cỏ", "498": "Hoàng Sa",
                    "536": "Lý Sơn", "755": "Côn Đảo"}


# --- the table ------------------------------------------------------------------------


def test_dak_ha_went_whole_into_bac_gia_nghia():
    [link] = L.successors("24622")
    assert (link.old, link.new, link.level, link.relation) == ("24622", "24611", "commune",
                                                               "whole")
    assert "1671/NQ-UBTVQH15" in link.basis and "tỉnh Lâm Đồng năm 2025" in link.basis
    assert link.share is None
    assert not L.is_split("24622")


def test_bac_gia_nghia_predecessors():
    links = L.predecessors("24611")
    assert [l.old for l in links] == ["24611", "24612", "24619", "24622"]
    assert {l.relation for l in links} == {"whole"}
    names = [U.get_unit(l.old, "2008", level="commune").name for l in links]
    assert names == ["Nghĩa Đức", "Nghĩa Thành", "Quảng Thành", "Đắk Ha"]
    # the three wards were in thành phố Gia Nghĩa, xã Đắk Ha in huyện Đắk Glong
    parents = [U.get_unit(l.old, "2008", level="commune").parent_code for l in links]
    assert parents == ["660", "660", "660", "661"]
    assert U.unit_title(U.get_unit("660", "2008")) == "thành phố Gia Nghĩa"


def test_ta_dung_from_dak_rmang_and_dak_som():
    assert [(l.old, l.relation) for l in L.predecessors("24637")] == [
        ("24625", "whole"), ("24637", "whole")]
    assert [l.new for l in L.successors("24625")] == ["24637"]


def test_provinces():
    # tỉnh Lâm Đồng (mới) = Lâm Đồng + Đắk Nông + Bình Thuận (Nghị quyết 202/2025/QH15)
    assert [l.new for l in L.successors("67", "province")] == ["68"]
    assert [l.old for l in L.predecessors("68", "province")] == ["60", "67", "68"]
    links = L.all_links("province")
    assert len({l.old for l in links}) == 63 and len({l.new for l in links}) == 34
    assert all(l.relation == "whole" and "202/2025/QH15" in l.basis for l in links)


def test_split_ward_goes_to_every_receiver_as_part():
    # phường Cống Vị (Ba Đình) was divided between phường Ngọc Hà and phường Giảng Võ
    links = L.successors("7")
    assert [(l.new, l.relation) for l in links] == [("8", "part"), ("25", "part")]
    assert L.is_split("7")
    by_old = defaultdict(list)
    for link in L.all_links("commune"):
        by_old[link.old].append(link)
    split = {old: ls for old, ls in by_old.items() if any(l.relation == "part" for l in ls)}
    assert len(split) > 400
    for old, ls in split.items():
        assert len(ls) >= 2 and all(l.relation == "part" for l in ls), old
    assert all(len(ls) == 1 for old, ls in by_old.items() if old not in split)


def test_successors_and_predecessors_are_inverse():
    forward = {(l.level, l.old, l.new) for l in L.all_links()}
    for level, old, new in forward:
        assert any(l.new == new for l in L.successors(old, level))
        assert any(l.old == old for l in L.predecessors(new, level))
    back = set()
    for level, _, new in forward:
        back |= {(l.level, l.old, l.new) for l in L.predecessors(new, level)}
    assert back == forward


def test_every_unit_has_a_link():
    communes_2008 = [u for u in U.all_units("2008") if u.level == "commune"]
    assert len(communes_2008) == 10035
    assert not [u.code for u in communes_2008 if not L.successors(u.code)]
    communes_2025 = [u for u in U.all_units("2025") if u.level == "commune"]
    assert len(communes_2025) == 3321
    without = [u for u in communes_2025 if not L.predecessors(u.code)]
    # documented exceptions: special zones made of a whole island district without communes
    assert sorted(u.name for u in without) == sorted(ISLAND_DISTRICTS.values())
    assert all(u.kind == "đặc khu" for u in without)
    for u in without:
        [link] = L.predecessors(u.code, "district")
        assert ISLAND_DISTRICTS[link.old] == u.name
        assert U.get_unit(link.old, "2008", level="district").name == u.name


def test_every_code_is_a_unit_of_its_era():
    for link in L.all_links():
        U.get_unit(link.old, "2008", level=link.level)
        U.get_unit(link.new, "2025", level="province" if link.level == "province" else "commune")


def test_unknown_codes_give_nothing():
    assert L.successors("99999") == () and L.predecessors("99999") == ()
    assert L.successors("abc") == () and not L.is_split("abc")
    assert L.successors("24622", level="ward") == ()
    assert L.successors(24622) == L.successors("024622") == L.successors("24622")


def test_basis_file_writes_a_number_only_where_checked():
    import csv
    from importlib import resources

    text = (resources.files("cchc_lib") / "data" / "lineage_basis.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 1 + 34
    for row in rows[1:]:
        numbered = "/NQ-UBTVQH15" in row["basis"]
        assert numbered == bool(row["source"]), row
        assert "ngày 16/6/2025" in row["basis"] and "năm 2025" in row["basis"]


# --- lookups across the break ------------------------------------------------------------


def test_old_name_for_a_new_period_gives_the_successor_with_a_note():
    found = L.resolve_unit("Đắk Ha", "2026-Q3", level="commune")
    assert (found.unit.code, found.unit.era) == ("24611", "2025")
    assert found.note.startswith(NOTE_DAK_HA + " từ ngày 01/07/2025 theo Nghị quyết số 1671")
    assert found.note.endswith("; dùng phường Bắc Gia Nghĩa.")
    assert L.resolve_unit("24622", "2026-Q3").unit.code == "24611"


def test_own_era_is_unchanged():
    found = L.resolve_unit("Đắk Ha", "2024-H1", level="commune")
    assert found == L.Resolved(U.get_unit("24622", "2008"), None)
    assert L.resolve_unit("24637", "2024-H1").unit.name == "Đắk Som"
    assert L.resolve_unit("24637", "2025").unit.name == "Tà Đùng"


def test_a_split_unit_is_refused_naming_every_successor():
    with pytest.raises(UnitError) as err:
        L.resolve_unit("Cống Vị, Ba Đình", "2026-Q3", level="commune")
    message = str(err.value)
    assert "phường Ngọc Hà (8" in message and "phường Giảng Võ (25" in message
    assert "chọn một" in message


def test_new_unit_for_an_old_period():
    with pytest.raises(UnitError) as err:
        L.resolve_unit("Tà Đùng", "2024-H1", level="commune")
    assert "xã Đắk R'Măng (24625" in str(err.value) and "xã Đắk Som (24637" in str(err.value)
    assert "chọn một" in str(err.value)
    # one predecessor: used, with a note; here an island district, so not for a commune report
    found = L.resolve_unit("đặc khu Côn Đảo", "2024-H1")
    assert U.unit_title(found.unit) == "huyện Côn Đảo" and found.unit.era == "2008"
    assert found.note.startswith("đặc khu Côn Đảo (26732) được thành lập từ ngày 01/07/2025")
    with pytest.raises(UnitError, match="không phải cấp xã"):
        L.resolve_unit("đặc khu Côn Đảo", "2024-H1", level="commune")


def test_a_loose_only_match_is_never_used():
    # "Đăk Hả" matches nothing exactly; loosely xã Đắk Ha and the Đăk Hà units
    with pytest.raises(UnitError) as err:
        L.resolve_unit("Đăk Hả", "2026-Q3", level="commune")
    message = str(err.value)
    assert "Có phải" in message and "24622" in message and "23500" in message


def test_the_2008_era_knows_the_whole_country():
    assert U.find_unit("xã Đắk Ha", era="2008").code == "24622"
    # thị trấn Đăk Hà (Kon Tum) shares 23500 with xã Đăk Hà (Quảng Ngãi) since 2025
    assert L.resolve_unit("23500", "2024-H1").unit.kind == "thị trấn"


# --- the command line ---------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


def test_cli_lineage_json():
    result = _run("lineage", "24622", "--format", "json")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert set(record) == {"unit", "direction", "effective", "links", "via_communes"}
    assert record["unit"] == {
        "code": "24622", "name": "Đắk Ha", "kind": "xã", "title": "xã Đắk Ha",
        "level": "commune", "era": "2008",
        "district": {"code": "661", "title": "huyện Đắk Glong"},
        "province": {"code": "67", "title": "tỉnh Đắk Nông"},
    }
    assert record["direction"] == "successors" and record["effective"] == "2025-07-01"
    [link] = record["links"]
    assert {k: link[k] for k in ("code", "title", "era", "relation")} == {
        "code": "24611", "title": "phường Bắc Gia Nghĩa", "era": "2025", "relation": "whole"}
    assert link["province"] == {"code": "68", "title": "tỉnh Lâm Đồng"}
    assert link["district"] is None and "1671/NQ-UBTVQH15" in link["basis"]


def test_cli_lineage_code_in_both_eras_shows_both():
    result = _run("lineage", "24637")
    assert result.exit_code == 0, result.output
    assert "xã Đắk Som" in result.output and "xã Tà Đùng" in result.output
    assert "xã Đắk R'Măng" in result.output and "toàn bộ" in result.output
    only_new = json.loads(_run("lineage", "24637", "--era", "2025", "--format", "json").output)
    assert [r["unit"]["title"] for r in only_new] == ["xã Tà Đùng"]
    assert [l["code"] for l in only_new[0]["links"]] == ["24625", "24637"]


def test_cli_lineage_ambiguous_name_asks_for_era():
    result = _run("lineage", "Quảng Sơn")
    assert result.exit_code == 2 and "--era" in result.output


def test_cli_template_old_name_for_new_period(tmp_path):
    out = tmp_path / "wb.xlsx"
    result = _run("template", "--unit", "Đắk Ha", "--period", "2026-Q3", "-o", str(out))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Lưu ý: " + NOTE_DAK_HA in flat
    assert "cho phường Bắc Gia Nghĩa" in flat
    assert "23500" not in flat and "Đăk Hà" not in flat
    from openpyxl import load_workbook

    cells = [str(c.value) for ws in load_workbook(out) for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert any("24611" in c for c in cells) and not any("23500" in c for c in cells)


def test_cli_template_split_unit_refuses(tmp_path):
    result = _run("template", "--unit", "Cống Vị, Ba Đình", "--period", "2026-Q3",
                  "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert "phường Ngọc Hà" in result.output and "phường Giảng Võ" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_report_reference_uses_the_successor():
    from cchc_lib.sources import SubmissionRef

    ref = SubmissionRef.for_report("Đắk Ha", "2026-Q3", source="workbook", workbook="x.xlsx")
    assert ref.unit == "24611"


@pytest.mark.parametrize("query, expected", [
    ("Đắk Nông", "Tỉnh Đắk Nông (67) từ ngày 01/07/2025 thuộc tỉnh Lâm Đồng (68)"),
    ("661", "Huyện Đắk Glong (661) không còn từ ngày 01/07/2025 (không còn cấp huyện); các xã, "
            "phường của huyện nay thuộc tỉnh Lâm Đồng (68)"),
])
def test_a_parent_of_before_2025_asked_for_a_later_period_names_where_its_units_are(
        query, expected):
    from cchc_lib.errors import UnitError
    from cchc_lib.ingest import parent_unit

    with pytest.raises(UnitError) as err:
        parent_unit(query, "2026-Q3")
    message = str(err.value)
    assert expected in message and "ghi --parent 68 cho kỳ từ ngày 01/07/2025." in message
    assert "Nghị quyết số 202/2025/QH15" in message


def test_no_parent_hint_for_a_commune_an_unknown_name_or_an_earlier_period():
    assert L.parent_hint("Đắk Ha", "2025") is None  # a commune, not a parent
    assert L.parent_hint("Không Có Tỉnh Này", "2025") is None
    assert L.parent_hint("Đắk Nông", "2008") is None  # asked in its own era
    assert L.parent_hint("Đắk Nông", "2025").startswith("tỉnh Đắk Nông (67)")
