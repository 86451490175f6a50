"""Tests for cchc_lib.units: the historic table, the 2025 units, lookups, titles.

Expected values are written by hand from the reference (reporting_regime.md,
nd30.md §9) and the GSO codes of the units involved.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_lib import units as U
from cchc_lib.errors import UnitError
from cchc_lib.model import Unit

DATA = Path(__file__).resolve().parents[1] / "cchc_lib" / "data" / "units_historic.csv"

DAK_NONG = Unit("67", "Đắk Nông", "province", "tỉnh", None, "2008")
DAK_GLONG = Unit("661", "Đắk Glong", "district", "huyện", "67", "2008")
DAK_HA = Unit("24622", "Đắk Ha", "commune", "xã", "661", "2008")
HISTORIC_COMMUNES = [
    ("24616", "Quảng Sơn"),
    ("24620", "Quảng Hoà"),
    ("24622", "Đắk Ha"),
    ("24625", "Đắk R'Măng"),
    ("24631", "Quảng Khê"),
    ("24634", "Đắk Plao"),
    ("24637", "Đắk Som"),
]


# --- the historic table ---------------------------------------------------


# The whole country before 1 July 2025 (scripts/build_lineage.py): 63 provinces, 696
# district-level units, 10,035 communes (reporting_regime.md: 10,035 communes became 3,321).
N_HISTORIC = 63 + 696 + 10035


def test_historic_csv_file_contents():
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["code", "name", "level", "kind", "parent_code", "era"]
    body = {(r[2], r[0]): r for r in rows[1:]}
    assert len(body) == len(rows) - 1 == N_HISTORIC
    assert body[("province", "67")] == ["67", "Đắk Nông", "province", "tỉnh", "", "2008"]
    assert body[("district", "661")] == ["661", "Đắk Glong", "district", "huyện", "67", "2008"]
    for code, name in HISTORIC_COMMUNES:
        assert body[("commune", code)] == [code, name, "commune", "xã", "661", "2008"]
    assert sum(r[2] == "province" for r in rows[1:]) == 63
    assert sum(r[2] == "commune" for r in rows[1:]) == 10035
    assert {r[3] for r in rows[1:] if r[2] == "commune"} == {"xã", "phường", "thị trấn"}
    assert {r[3] for r in rows[1:] if r[2] == "district"} == {
        "huyện", "quận", "thị xã", "thành phố"}
    assert {r[5] for r in rows[1:]} == {"2008"}


def test_historic_units_loaded():
    units = U.all_units("2008")
    assert units[0] == Unit("1", "Hà Nội", "province", "thành phố", None, "2008")
    assert DAK_NONG in units and DAK_GLONG in units and DAK_HA in units
    glong = [u for u in units if u.parent_code == "661" and u.level == "commune"]
    assert [(u.code, u.name) for u in glong] == HISTORIC_COMMUNES
    assert all(u.kind == "xã" for u in glong)
    assert len(units) == N_HISTORIC
    # a numbered district keeps its number as its name: "Quận 3" is printed from kind + name
    q3 = U.get_unit("770", "2008")
    assert (q3.kind, q3.name, U.unit_title(q3)) == ("quận", "3", "Quận 3")


# --- the 2025 units -------------------------------------------------------


def test_current_counts():
    current = U.all_units("2025")
    provinces = [u for u in current if u.level == "province"]
    communes = [u for u in current if u.level == "commune"]
    assert len(provinces) == 34
    assert len(communes) == 3321
    assert len(current) == 3355
    assert len(U.all_units()) == 3355 + N_HISTORIC
    assert not [u for u in current if u.level == "district"]


def test_current_kinds():
    current = U.all_units("2025")
    assert {u.kind for u in current if u.level == "province"} == {"tỉnh", "thành phố"}
    assert {u.kind for u in current if u.level == "commune"} == {"xã", "phường", "đặc khu"}
    assert sum(1 for u in current if u.kind == "thành phố") == 6
    assert sum(1 for u in current if u.kind == "đặc khu") == 13


def test_current_province_conversion():
    assert U.get_unit(1, "2025") == Unit("1", "Hà Nội", "province", "thành phố", None, "2025")
    assert U.get_unit("68", "2025") == Unit("68", "Lâm Đồng", "province", "tỉnh", None, "2025")
    assert U.get_unit(79, "2025").name == "Hồ Chí Minh"


def test_current_commune_conversion():
    assert U.get_unit("24637", "2025") == Unit("24637", "Tà Đùng", "commune", "xã", "68", "2025")
    assert U.get_unit(70, "2025") == Unit("70", "Hoàn Kiếm", "commune", "phường", "1", "2025")


def test_current_names_tidied():
    # the package data has "Xã  Xuân Giang", "Xã Chân Mây – Lăng Cô", "Xã Ea M’Droh", "Xã Đắk song"
    names = {u.name for u in U.all_units("2025")}
    assert "Xuân Giang" in names
    assert "Chân Mây - Lăng Cô" in names
    assert "Ea M'Droh" in names
    assert "Đắk Song" in names
    assert not [n for n in names if "  " in n or n != n.strip() or "’" in n or "–" in n]


def test_units_are_codes_without_padding():
    assert all(u.code == str(int(u.code)) for u in U.all_units())


# --- code lookup ----------------------------------------------------------


def test_get_unit_historic():
    assert U.get_unit("24622") == DAK_HA
    assert U.get_unit(24622) == DAK_HA
    assert U.get_unit("661") == DAK_GLONG
    assert U.get_unit("024622") == DAK_HA  # zero padding tolerated


def test_get_unit_current():
    # 23500 is xã Đăk Hà (Quảng Ngãi) since 2025 and was thị trấn Đăk Hà (Kon Tum) before
    assert U.get_unit("23500", "2025").name == "Đăk Hà"
    assert U.get_unit("23500", "2025").parent_code == "51"
    assert U.unit_title(U.get_unit("23500", "2008")) == "thị trấn Đăk Hà"
    with pytest.raises(UnitError):
        U.get_unit("23500")


def test_code_width_settles_the_level():
    # 661 is huyện Đắk Glong and, padded 00661, xã Yên Mỹ (Thanh Trì, Hà Nội)
    assert U.get_unit("661", "2008") == DAK_GLONG
    assert U.get_unit("00661", "2008").name == "Yên Mỹ"
    assert U.get_unit("661", "2008", level="commune").name == "Yên Mỹ"


def test_get_unit_colliding_code_needs_era():
    with pytest.raises(UnitError) as err:
        U.get_unit("24637")
    message = str(err.value)
    assert "xã Đắk Som (24637, trước 2025, huyện Đắk Glong, tỉnh Đắk Nông)" in message
    assert "xã Tà Đùng (24637, từ 2025, tỉnh Lâm Đồng)" in message
    assert U.get_unit("24637", era="2008").name == "Đắk Som"
    assert U.get_unit("24637", era="2025").name == "Tà Đùng"


def test_get_unit_code_in_both_eras_same_name():
    with pytest.raises(UnitError):
        U.get_unit(24616)
    old, new = U.get_unit(24616, "2008"), U.get_unit(24616, "2025")
    assert old.name == new.name == "Quảng Sơn"
    assert (old.parent_code, new.parent_code) == ("661", "68")


def test_get_unit_province_and_ward_share_unpadded_code():
    with pytest.raises(UnitError) as err:
        U.get_unit("4", "2025")
    assert "tỉnh Cao Bằng (4, từ 2025)" in str(err.value)
    assert "phường Ba Đình (4, từ 2025, thành phố Hà Nội)" in str(err.value)
    assert U.get_unit("4", "2025", level="province").name == "Cao Bằng"
    assert U.get_unit("04", "2025").name == "Cao Bằng"
    assert U.get_unit("00004", "2025").name == "Ba Đình"


def test_get_unit_unknown():
    with pytest.raises(UnitError, match="Không tìm thấy đơn vị hành chính có mã 99999"):
        U.get_unit("99999")
    with pytest.raises(UnitError, match="không phải là mã"):
        U.get_unit("abc")
    with pytest.raises(UnitError, match="Không tìm thấy"):
        U.get_unit("24622", era="2025")


def test_bad_era_and_level():
    with pytest.raises(UnitError, match="Thời kỳ"):
        U.all_units("2020")
    with pytest.raises(UnitError, match="Cấp"):
        U.get_unit("67", level="ward")


def test_unit_error_is_lookup_error():
    with pytest.raises(LookupError):
        U.get_unit("99999")


# --- name lookup ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Đắk Ha",
        "Đăk Ha",
        "Đắc Ha",
        "Đác Ha",
        "Dak Ha",
        "Đak Ha",
        "đắk  ha",
        "ĐẮK HA",
        "  Đắk\tHa ",
        "xã Đắk Ha",
        "Xã Đắk Ha",
        "UBND xã Đắk Ha",
        "Ủy ban nhân dân xã Đắk Ha",
        "Uỷ ban nhân dân xã Đăk Ha",
        "\u0110\u01cek Ha",  # ǎ (U+01CE, a with caron) for ă
        "Đắk Hа",  # Cyrillic а (U+0430) for the Latin a
        "\u0110a\u030ck Ha",  # a + combining caron
        "\u0110a\u0306\u0301k Ha",  # ắ decomposed
        24622,
        "24622",
    ],
)
def test_find_dak_ha(query):
    assert U.find_unit(query) == DAK_HA


def test_find_dak_ha_with_wrong_tone_via_loose_key():
    # The seed's appendix writes "Đắk Hà"; within huyện Đắk Glong only the loose key finds it.
    assert U.find_unit("Đắk Hà", era="2008", parent_code="661") == DAK_HA
    assert U.find_unit("xã Đắk Hà, huyện Đắk Glong", era="2008") == DAK_HA
    assert U.find_unit("Đắk Hà", parent_code="661") == DAK_HA


def test_exact_key_wins_over_loose_key():
    # Real units called Đăk Hà exist in both eras (Kon Tum before, Quảng Ngãi since): the
    # exact key finds them first and never the loose xã Đắk Ha.
    found = U.find_unit("Đắk Hà", era="2025")
    found_fields = (found.code, found.name, found.parent_code, found.era)
    assert found_fields == ("23500", "Đăk Hà", "51", "2025")
    with pytest.raises(UnitError) as err:
        U.find_unit("Đắk Hà", era="2008")
    assert "23425" in str(err.value) and "23500" in str(err.value)
    assert "24622" not in str(err.value)


def test_find_exact_and_loose_candidates():
    assert U.find_exact("Đắk Ha", era="2008") == [DAK_HA]
    assert U.find_exact("Đắk Ha", era="2025") == []
    assert [u.code for u in U.find_loose("Đắk Ha", era="2025")] == ["23500"]
    assert U.find_loose("24622") == []


def test_lookalike_character_resolves():
    query = "Đ\u01cek Ha"
    assert "\u01ce" in query
    assert U.normalize_name(query) == "đắk ha"
    assert U.find_unit(query, era="2008").code == "24622"


@pytest.mark.parametrize("query", ["Quảng Hoà", "Quảng Hòa", "xã Quảng Hoà", "QUẢNG HÒA"])
def test_find_quang_hoa_both_tone_styles(query):
    # Quảng Hòa communes also stood in Thanh Hóa and Quảng Bình before 2025: add the district
    assert U.find_unit(query, era="2008", parent_code="661").code == "24620"
    assert U.find_unit(f"{query}, huyện Đắk Glong").code == "24620"


def test_find_quang_hoa_without_era_is_ambiguous():
    with pytest.raises(UnitError) as err:
        U.find_unit("Quảng Hòa")
    message = str(err.value)
    assert "24620, trước 2025, huyện Đắk Glong, tỉnh Đắk Nông" in message
    assert "24620, từ 2025, tỉnh Lâm Đồng" in message


def test_find_other_historic_names():
    assert U.find_unit("Đắk R'Măng").code == "24625"
    assert U.find_unit("Đắk R’Măng").code == "24625"
    assert U.find_unit("huyện Đắk Glong") == DAK_GLONG
    assert U.find_unit("Đắk Nông", level="province") == DAK_NONG  # also xã Đăk Nông, Kon Tum
    assert U.find_unit("tỉnh Đăk Nông") == DAK_NONG
    assert U.find_unit("Quảng Khê", era="2008", parent_code="661").code == "24631"
    assert U.find_unit("Quảng Khê", era="2025").parent_code == "68"


def test_find_shared_name_lists_candidates():
    with pytest.raises(UnitError) as err:
        U.find_unit("Bình Minh", era="2025")
    message = str(err.value)
    assert "7 đơn vị" in message
    for text in (
        "xã Bình Minh (10141, từ 2025, thành phố Hà Nội)",
        "xã Bình Minh (14623, từ 2025, tỉnh Ninh Bình)",
        "xã Bình Minh (17515, từ 2025, tỉnh Nghệ An)",
        "xã Bình Minh (21085, từ 2025, tỉnh Quảng Ngãi)",
        "phường Bình Minh (25480, từ 2025, tỉnh Tây Ninh)",
        "xã Bình Minh (26278, từ 2025, tỉnh Đồng Nai)",
        "phường Bình Minh (29771, từ 2025, tỉnh Vĩnh Long)",
    ):
        assert text in message


def test_common_noun_filters_kind():
    with pytest.raises(UnitError) as err:
        U.find_unit("phường Bình Minh", era="2025")
    message = str(err.value)
    assert "2 đơn vị" in message and "25480" in message and "29771" in message
    assert "10141" not in message


def test_shared_name_resolved_by_parent_or_context():
    assert U.find_unit("Bình Minh", era="2025", parent_code="37").code == "14623"
    assert U.find_unit("xã Bình Minh, tỉnh Ninh Bình", era="2025").code == "14623"
    assert U.find_unit("phường Bình Minh, Vĩnh Long", era="2025").code == "29771"
    # before 2025, thị trấn Bình Minh of huyện Kim Sơn had the same code
    assert U.find_unit("thị trấn Bình Minh, Kim Sơn").code == "14623"


def test_dak_spellings_merge_two_current_names():
    # "Đăk Song" (Gia Lai) and "Đắk Song" (Lâm Đồng) share a key: the lookup asks.
    with pytest.raises(UnitError) as err:
        U.find_unit("Đắk Song")
    assert "23842" in str(err.value) and "24718" in str(err.value)
    assert U.find_unit("Đắk Song", parent_code=68).code == "24718"


def test_find_unknown_name():
    with pytest.raises(UnitError, match="Không tìm thấy đơn vị hành chính"):
        U.find_unit("Xã Không Có Thật")
    with pytest.raises(UnitError, match="Không tìm thấy"):
        U.find_unit("Đắk Plao", era="2025")


def test_loose_key_can_reach_another_unit():
    # Documented risk of the loose fallback: no xã Đắk Ha exists since 2025, so the
    # loose key "dak ha" lands on xã Đăk Hà in Quảng Ngãi.
    assert U.find_unit("Đắk Ha", era="2025").code == "23500"


def test_find_wrong_common_noun_suggests():
    with pytest.raises(UnitError) as err:
        U.find_unit("phường Đắk Ha")
    assert "Không tìm thấy" in str(err.value)
    assert "xã Đắk Ha (24622" in str(err.value)


def test_find_provinces():
    assert U.find_unit("Thành phố Hà Nội", era="2025").code == "1"
    assert U.find_unit("TP. Hồ Chí Minh", era="2025").code == "79"
    assert U.find_unit("tp Hồ Chí Minh", era="2025").code == "79"
    assert U.find_unit("Lâm Đồng", era="2025", level="province").code == "68"
    assert U.find_unit("Khánh Hoà", era="2025", level="province").code == "56"
    assert U.find_unit("Khánh Hoà", era="2008", level="province").code == "56"


def test_find_empty_query():
    with pytest.raises(UnitError):
        U.find_unit("   ")


# --- normalisation keys ---------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Hoà", "Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Hoạ", "Họa"),
        ("Uỷ", "Ủy"),
        ("Uý", "Úy"),
        ("Thuỳ", "Thùy"),
        ("khoẻ", "khỏe"),
        ("Quý", "Qúy"),
        ("Đắk", "Dak"),
        ("Văn Miếu - Quốc Tử Giám", "Văn Miếu – Quốc Tử Giám"),
        ("Văn Miếu - Quốc Tử Giám", "văn miếu quốc tử giám"),
    ],
)
def test_normalize_equal(a, b):
    assert U.normalize_name(a) == U.normalize_name(b)


def test_normalize_examples():
    assert U.normalize_name("  UBND xã  ĐĂK   Ha ") == "đắk ha"
    assert U.normalize_name("Quảng Hoà") == "quảng hòa"
    assert U.normalize_name("Thủy") == "thủy"
    assert U.normalize_name("Hoàng") == "hoàng"  # closed syllable: mark stays on a
    assert U.normalize_name("Quảng") == "quảng"
    assert U.normalize_name("Giếng") == "giếng"
    assert U.normalize_name("Xã") == "xã"  # a lone common noun is kept
    assert U.normalize_name("Hồ Đắc Kiện") == "hồ đắk kiện"


def test_loose_key():
    assert U.loose_key("Đắk Hà") == U.loose_key("Đắk Ha") == "dak ha"
    assert U.loose_key("xã Đắk R'Măng") == "dak rmang"
    assert U.loose_key("Đồng Nai") == "dong nai"
    assert U.normalize_name("Đắk Hà") != U.normalize_name("Đắk Ha")


@given(st.sampled_from([u.name for u in U.all_units()]))
def test_normalize_is_idempotent_and_case_blind(name):
    key = U.normalize_name(name)
    assert U.normalize_name(key) == key
    assert U.normalize_name(name.upper()) == key
    assert U.normalize_name(f" xã  {name.lower()} ") == key


# --- eras -----------------------------------------------------------------


def test_era_for():
    assert U.era_for(date(2024, 12, 31)) == "2008"
    assert U.era_for(date(2025, 6, 30)) == "2008"
    assert U.era_for(date(2025, 7, 1)) == "2025"
    assert U.era_for(datetime(2025, 7, 1, 8, 30)) == "2025"
    assert U.era_for(date(2026, 1, 1)) == "2025"


# --- hierarchy ------------------------------------------------------------


def test_parent_and_ancestors_historic():
    assert U.parent(DAK_HA) == DAK_GLONG
    assert U.parent(DAK_GLONG) == DAK_NONG
    assert U.parent(DAK_NONG) is None
    assert U.ancestors(DAK_HA) == [DAK_GLONG, DAK_NONG]
    assert U.ancestors(DAK_NONG) == []


def test_parent_and_ancestors_current():
    ta_dung = U.get_unit("24637", "2025")
    lam_dong = U.get_unit("68", "2025")
    assert U.parent(ta_dung) == lam_dong
    assert U.ancestors(ta_dung) == [lam_dong]
    # phường Ba Đình (4) is under Hà Nội (1), not confused with tỉnh Cao Bằng (4)
    ba_dinh = U.get_unit("00004", "2025")
    assert U.parent(ba_dinh).name == "Hà Nội"


def test_children_historic():
    assert U.children("661", "2008") == [U.get_unit(c, "2008") for c, _ in HISTORIC_COMMUNES]
    assert [u.code for u in U.children("661")] == [c for c, _ in HISTORIC_COMMUNES]
    # tỉnh Đắk Nông: thành phố Gia Nghĩa and seven huyện
    districts = U.children("67", "2008")
    assert DAK_GLONG in districts and len(districts) == 8
    communes = [u.code for u in U.children("67", "2008", level="commune")]
    assert set(c for c, _ in HISTORIC_COMMUNES) <= set(communes)
    assert communes == sorted(communes, key=int)
    assert U.children(DAK_HA) == []


def test_children_current():
    lam_dong = U.children("68", "2025")
    assert len(lam_dong) == 124
    assert all(u.parent_code == "68" and u.era == "2025" for u in lam_dong)
    assert "Tà Đùng" in {u.name for u in lam_dong}
    assert len(U.children("4", "2025")) > 0  # tỉnh Cao Bằng, not phường Ba Đình
    assert sum(len(U.children(p)) for p in U.all_units("2025") if p.level == "province") == 3321


# --- printed names --------------------------------------------------------


def test_unit_title():
    assert U.unit_title(DAK_HA) == "xã Đắk Ha"
    assert U.unit_title(DAK_GLONG) == "huyện Đắk Glong"
    assert U.unit_title(DAK_NONG) == "tỉnh Đắk Nông"
    assert U.unit_title(U.get_unit("68", "2025")) == "tỉnh Lâm Đồng"
    assert U.unit_title(U.get_unit("1", "2025")) == "thành phố Hà Nội"
    # ND30 Phụ lục II: a name that is a person, event or number capitalises the noun
    assert U.unit_title(U.get_unit("79", "2025")) == "Thành phố Hồ Chí Minh"
    assert U.unit_title(U.find_unit("phường Điện Biên Phủ")) == "Phường Điện Biên Phủ"
    assert U.unit_title(U.find_unit("1 Bảo Lộc")) == "Phường 1 Bảo Lộc"


def test_council_name():
    assert U.council_name(DAK_HA) == "ỦY BAN NHÂN DÂN XÃ ĐẮK HA"
    assert U.council_name(DAK_GLONG) == "ỦY BAN NHÂN DÂN HUYỆN ĐẮK GLONG"
    assert U.council_name(U.get_unit("24637", "2025")) == "ỦY BAN NHÂN DÂN XÃ TÀ ĐÙNG"


def test_superior_short():
    assert U.superior_short(DAK_HA) == "UBND HUYỆN ĐẮK GLONG"
    assert U.superior_short(DAK_GLONG) == "UBND TỈNH ĐẮK NÔNG"
    assert U.superior_short(U.get_unit("24637", "2025")) == "UBND TỈNH LÂM ĐỒNG"
    assert U.superior_short(U.get_unit("70", "2025")) == "UBND THÀNH PHỐ HÀ NỘI"
    assert U.superior_short(DAK_NONG) is None


def test_slug():
    assert U.slug(DAK_HA) == "24622-dak-ha"
    assert U.slug(U.get_unit("24625")) == "24625-dak-r-mang"
    assert U.slug(DAK_GLONG) == "661-dak-glong"
    assert U.slug(U.get_unit("24637", "2025")) == "24637-ta-dung"
    assert U.slug(U.get_unit("24620", "2008")) == "24620-quang-hoa"
    assert all(U.slug(u).isascii() for u in U.all_units())


def test_describe_unit():
    assert U.describe_unit(U.get_unit("24637", "2008")) == (
        "xã Đắk Som (24637, trước 2025, huyện Đắk Glong, tỉnh Đắk Nông)"
    )
    assert U.describe_unit(U.get_unit("68", "2025")) == "tỉnh Lâm Đồng (68, từ 2025)"
