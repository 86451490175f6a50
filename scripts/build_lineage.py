"""Build the lineage tables and the pre-2025 units from ``vietnamadminunits``.

Run by hand when the source changes (``pip install -e '.[lineage-data]'`` first)::

    .venv/bin/python scripts/build_lineage.py            # write the data files
    .venv/bin/python scripts/build_lineage.py --check    # compare, write nothing

It reads the data files shipped in the ``vietnamadminunits`` package (MIT,
© 2025 Tran Ngoc Minh Hieu; see NOTICE) without importing it:

* ``data/dataset.db``: ``admin_units_legacy`` (the 63 provinces, their
  districts and 10,035 communes before 1 July 2025) and ``admin_units`` (the
  34 provinces and 3,321 communes since), with GSO codes and name keys;
* ``data/converter_2025.json``: ``DICT_PROVINCE`` (new province → old
  provinces), ``DICT_PROVINCE_WARD_NO_DIVIDED`` (new commune → old communes
  merged whole) and ``DICT_PROVINCE_WARD_DIVIDED`` (old commune → the new
  communes that each received part of it).

and writes, in ``cchc_lib/data``:

* ``units_historic.csv``: every pre-2025 unit (era ``"2008"``);
* ``lineage.csv``: ``old_code,new_code,level,relation,basis_id``;
* ``lineage_basis.csv``: ``basis_id,new_province_code,basis,source``.

Every new code is compared with the ``vietnam-provinces`` package that
:mod:`cchc_lib.units` reads for era ``"2025"``; mismatches are printed and
make the script fail.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "cchc_lib" / "data"

# Legal basis.  The provinces: one resolution of the National Assembly.
PROVINCE_BASIS = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp "
    "đơn vị hành chính cấp tỉnh"
)
# The communes: one resolution of the Standing Committee per new province, all
# dated 16/6/2025, effective for the new units from 01/07/2025.  A number is
# written only where it was checked against a published copy or an official
# report (the source column says where); elsewhere the title goes without it.
COMMUNE_RESOLUTIONS: dict[str, tuple[str, str]] = {
    # province key of the dataset: (number, where it was checked)
    "tinhangiang": ("1654/NQ-UBTVQH15", "xaydungchinhsach.chinhphu.vn (toàn văn Nghị quyết số 1654)"),
    "tinhcamau": ("1655/NQ-UBTVQH15", "thuviennhadat.vn (toàn văn Nghị quyết 1655/NQ-UBTVQH15)"),
    "thanhphohanoi": ("1656/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "thanhphodanang": ("1659/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "tinhdaklak": ("1660/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết 1660/NQ-UBTVQH15 ngày 16/6/2025"),
    "tinhdienbien": ("1661/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết 1661/NQ-UBTVQH15 ngày 16/06/2025"),
    "tinhdongnai": ("1662/NQ-UBTVQH15", "luatvietnam.vn; baotintuc.vn (TTXVN) 27/6/2025"),
    "tinhdongthap": ("1663/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025"),
    "tinhgialai": ("1664/NQ-UBTVQH15", "vietnamplus.vn (TTXVN): Nghị quyết số 1664/NQ-UBTVQH15"),
    "tinhkhanhhoa": ("1667/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết số 1667/NQ-UBTVQH15 ngày 16/6/2025"),
    "thanhphocantho": ("1668/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "thanhphohaiphong": ("1669/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "tinhlamdong": ("1671/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết 1671/NQ-UBTVQH15 ngày 16/6/2025"),
    "thanhphohue": ("1675/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "tinhquangngai": ("1677/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết số 1677/NQ-UBTVQH15 ngày 16/06/2025"),
    "tinhnghean": ("1678/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết số 1678/NQ-UBTVQH15 ngày 16/6/2025"),
    "tinhquangninh": ("1679/NQ-UBTVQH15", "thuviennhadat.vn (toàn văn Nghị quyết 1679/NQ-UBTVQH15)"),
    "tinhtuyenquang": ("1684/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "thanhphohochiminh": ("1685/NQ-UBTVQH15", "thuviennhadat.vn (danh sách 34 nghị quyết cấp xã năm 2025)"),
    "tinhthanhhoa": ("1686/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết 1686/NQ-UBTVQH15 ngày 16/6/2025"),
    "tinhvinhlong": ("1687/NQ-UBTVQH15", "dữ liệu công khai dẫn Nghị quyết 1687/NQ-UBTVQH15 ngày 16/06/2025"),
}

# Names the package spelled before this table was generated, as the seed
# report writes them; they win over the dataset's spelling (Đăk Glong, Quảng
# Hòa).  Lookups compare names through units.normalize_name, so either
# spelling finds the unit.
NAME_OVERRIDES: dict[tuple[str, str], str] = {
    ("district", "661"): "Đắk Glong",
    ("commune", "24620"): "Quảng Hoà",
}


def _source_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("Cần cài gói vietnamadminunits: pip install -e '.[lineage-data]'")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _code(text: str | None) -> str | None:
    return str(int(text)) if text and text.strip().isdigit() else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _kind(word: str) -> str:
    return _nfc(word).lower()


def _proper(name: str, kind: str) -> str:
    """The proper name without its common noun: "Quận 3" → "3" (units.py prints "Quận 3")."""
    name = _nfc(name)
    if name.casefold().startswith(kind + " ") and name[len(kind) + 1:].strip():
        return name[len(kind) + 1:].strip()
    return name


def _legacy(db: sqlite3.Connection):
    """Pre-2025 units and the dataset's full key of each commune → its code."""
    provinces: dict[str, tuple[str, str, str]] = {}
    districts: dict[str, tuple[str, str, str, str]] = {}
    communes: dict[str, tuple[str, str, str, str]] = {}
    commune_key: dict[str, str] = {}
    district_key: dict[str, str] = {}
    province_key: dict[str, str] = {}
    rows = db.execute(
        "select province, provinceShort, provinceCode, provinceKey, districtShort, districtType,"
        " districtCode, districtKey, wardShort, wardType, wardCode, wardKey"
        " from admin_units_legacy"
    )
    for (prov, prov_short, pcode, pkey, dshort, dtype, dcode, dkey,
         wshort, wtype, wcode, wkey) in rows:
        pcode, dcode, wcode = _code(pcode), _code(dcode), _code(wcode)
        pkind = "tỉnh" if prov.startswith("Tỉnh") else "thành phố"
        provinces[pcode] = (_nfc(prov_short), pkind, "")
        province_key[pkey] = pcode
        districts[dcode] = (_proper(dshort, _kind(dtype)), _kind(dtype), pcode, pkey)
        district_key[f"{pkey}_{dkey}"] = dcode
        if wcode is None:  # an island district without communes (Côn Đảo, Lý Sơn …)
            continue
        full = f"{pkey}_{dkey}_{wkey}"
        if full in commune_key and commune_key[full] != wcode:
            raise SystemExit(f"Khóa trùng trong admin_units_legacy: {full}")
        commune_key[full] = wcode
        communes[wcode] = (_proper(wshort, _kind(wtype)), _kind(wtype), dcode, pkey)
    return provinces, districts, communes, commune_key, district_key, province_key


def _current(db: sqlite3.Connection):
    provinces: dict[str, tuple[str, str, str]] = {}  # code → (name, kind, key)
    wards: dict[tuple[str, str], str] = {}  # (province key, ward key) → code
    ward_rows: dict[str, tuple[str, str, str]] = {}  # code → (name, kind, province code)
    rows = db.execute(
        "select province, provinceShort, provinceCode, provinceKey, wardShort, wardType,"
        " wardCode, wardKey from admin_units"
    )
    for prov, prov_short, pcode, pkey, wshort, wtype, wcode, wkey in rows:
        pcode, wcode = _code(pcode), _code(wcode)
        pkind = "tỉnh" if prov.startswith("Tỉnh") else "thành phố"
        provinces[pcode] = (_nfc(prov_short), pkind, pkey)
        if (pkey, wkey) in wards:
            raise SystemExit(f"Khóa trùng trong admin_units: {pkey} {wkey}")
        wards[(pkey, wkey)] = wcode
        ward_rows[wcode] = (_proper(wshort, _kind(wtype)), _kind(wtype), pcode)
    return provinces, wards, ward_rows


def _to_package_codes(new_prov, ward_rows) -> tuple[dict[str, str], list[str]]:
    """Map each 2025 code of the dataset to the code ``vietnam-provinces`` gives the unit.

    The two sources agree on names but not always on codes: the dataset
    sometimes keeps the code of one predecessor.  The package's era "2025" is
    the official list, so a commune is matched there by province, kind and
    name; the differences are returned for the report.
    """
    sys.path.insert(0, str(ROOT))
    from cchc_lib.units import _name_key, all_units

    ours = all_units("2025")
    provinces = {u.code: u for u in ours if u.level == "province"}
    by_name: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    by_name_any_kind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u in ours:
        if u.level == "commune":
            by_name[(u.parent_code, u.kind, _name_key(u.name))].append(u.code)
            by_name_any_kind[(u.parent_code, _name_key(u.name))].append(u.code)
    kinds = {u.code: u.kind for u in ours if u.level == "commune"}
    problems: list[str] = []
    for code, (name, kind, _) in new_prov.items():
        unit = provinces.get(code)
        if unit is None or _name_key(unit.name) != _name_key(name):
            problems.append(f"tỉnh {code} {name}: không khớp vietnam-provinces")
    mapping: dict[str, str] = {}
    for code, (name, kind, pcode) in ward_rows.items():
        found = by_name.get((pcode, kind, _name_key(name)), [])
        if not found:  # the same commune, its kind (xã/phường) written differently
            found = by_name_any_kind.get((pcode, _name_key(name)), [])
            if len(found) == 1:
                problems.append(f"ghi chú: xã {code} {name} (tỉnh {pcode}): nguồn ghi {kind}, "
                                f"vietnam-provinces ghi {kinds[found[0]]} (mã {found[0]}); "
                                "dùng mã của vietnam-provinces")
        if len(found) != 1:
            problems.append(f"xã {code} {kind} {name} (tỉnh {pcode}): {len(found)} đơn vị trùng tên")
            continue
        mapping[code] = found[0]
    missing = {u.code for u in ours if u.level == "commune"} - set(mapping.values())
    problems += [f"xã {c}: có trong vietnam-provinces, không có trong nguồn" for c in sorted(missing, key=int)]
    return mapping, problems


def _province_title(name: str, kind: str) -> str:
    if name == "Hồ Chí Minh":
        return "Thành phố Hồ Chí Minh"
    return f"{kind} {name}"


def build(source: Path):
    db = sqlite3.connect(source / "dataset.db")
    conv = json.loads((source / "converter_2025.json").read_text(encoding="utf-8"))
    (old_prov, old_dist, old_comm, commune_key, district_key,
     old_province_key) = _legacy(db)
    new_prov, new_wards, ward_rows = _current(db)
    package_code, problems = _to_package_codes(new_prov, ward_rows)
    recoded = sorted((c, n) for c, n in package_code.items() if c != n)
    new_wards = {k: package_code.get(c, c) for k, c in new_wards.items()}
    ward_rows = {package_code.get(c, c): v for c, v in ward_rows.items()}
    new_province_by_key = {key: code for code, (_, _, key) in new_prov.items()}

    # --- units_historic.csv --------------------------------------------------
    units = [("province", c, n, k, "") for c, (n, k, _) in old_prov.items()]
    units += [("district", c, n, k, p) for c, (n, k, p, _) in old_dist.items()]
    units += [("commune", c, n, k, d) for c, (n, k, d, _) in old_comm.items()]
    order = {"province": 0, "district": 1, "commune": 2}
    units.sort(key=lambda u: (order[u[0]], int(u[1])))
    historic = io.StringIO()
    w = csv.writer(historic, lineterminator="\n")
    w.writerow(["code", "name", "level", "kind", "parent_code", "era"])
    for level, code, name, kind, parent in units:
        w.writerow([code, NAME_OVERRIDES.get((level, code), name), level, kind, parent, "2008"])

    # --- lineage_basis.csv ---------------------------------------------------
    basis_rows = [("qh-202-2025", "", PROVINCE_BASIS,
                   "Nghị quyết 202/2025/QH15 (dẫn trong các nghị quyết cấp xã năm 2025)")]
    basis_of: dict[str, str] = {}
    for code in sorted(new_prov, key=int):
        name, kind, key = new_prov[code]
        number, where = COMMUNE_RESOLUTIONS.get(key, ("", ""))
        title = (
            "của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã "
            f"của {_province_title(name, kind)} năm 2025"
        )
        text = (f"Nghị quyết số {number} ngày 16/6/2025 {title}" if number
                else f"Nghị quyết ngày 16/6/2025 {title}")
        bid = f"ubtvqh-xa-{int(code):02d}"
        basis_of[key] = bid
        basis_rows.append((bid, code, text, where))

    # --- lineage.csv -----------------------------------------------------------
    links: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (level, old, new) → basis
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            links[("province", old_province_key[old_key], new_province_by_key[new_key])].add(
                "qh-202-2025")
    successors: dict[tuple[str, str], set[str]] = defaultdict(set)
    basis_for: dict[tuple[str, str, str], str] = {}
    for pkey, mapping in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, old_keys in mapping.items():
            new = new_wards[(pkey, new_key)]
            for old_key in old_keys:
                if old_key.endswith("_"):  # a whole island district, no communes
                    old = district_key[old_key[:-1]]
                    successors[("district", old)].add(new)
                    basis_for[("district", old, new)] = basis_of[pkey]
                    continue
                old = commune_key[old_key]
                successors[("commune", old)].add(new)
                basis_for[("commune", old, new)] = basis_of[pkey]
    divided: set[str] = set()
    for pkey, mapping in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in mapping.items():
            old = commune_key[old_key]
            divided.add(old)
            for part in parts:  # every receiving ward, not only the "default" one
                new = new_wards[(pkey, part["newWardKey"])]
                successors[("commune", old)].add(new)
                basis_for[("commune", old, new)] = basis_of[pkey]
    rows = []
    for (level, old, new), bids in links.items():
        rows.append((old, new, level, "whole", sorted(bids)[0]))
    for (level, old), news in successors.items():
        relation = "part" if old in divided or len(news) > 1 else "whole"
        if relation == "part" and old not in divided:
            print(f"cảnh báo: {level} {old} có {len(news)} đơn vị kế tiếp nhưng không ghi là chia tách")
        for new in news:
            rows.append((old, new, level, relation, basis_for[(level, old, new)]))
    level_order = {"province": 0, "district": 1, "commune": 2}
    rows.sort(key=lambda r: (level_order[r[2]], int(r[0]), int(r[1])))
    lineage = io.StringIO()
    w = csv.writer(lineage, lineterminator="\n")
    w.writerow(["old_code", "new_code", "level", "relation", "basis_id"])
    w.writerows(rows)
    basis = io.StringIO()
    w = csv.writer(basis, lineterminator="\n")
    w.writerow(["basis_id", "new_province_code", "basis", "source"])
    w.writerows(basis_rows)

    # --- report ----------------------------------------------------------------
    covered_old = {old for (lvl, old) in successors if lvl == "commune"}
    covered_new = {new for (lvl, _), news in successors.items() for new in news}
    print(f"trước 2025: {len(old_prov)} tỉnh, {len(old_dist)} huyện, {len(old_comm)} xã")
    print(f"từ 2025: {len(new_prov)} tỉnh, {len(ward_rows)} xã")
    print(f"liên kết: {len(rows)} ({sum(r[2] == 'province' for r in rows)} cấp tỉnh, "
          f"{sum(r[2] == 'district' for r in rows)} huyện → đặc khu, "
          f"{sum(r[2] == 'commune' for r in rows)} cấp xã); xã bị chia tách: {len(divided)}, "
          f"liên kết một phần: {sum(r[3] == 'part' for r in rows)}")
    print(f"xã cũ không có đơn vị kế tiếp: {sorted(set(old_comm) - covered_old, key=int)}")
    print(f"xã mới không có đơn vị trước: {sorted(set(ward_rows) - covered_new, key=int)}")
    print(f"nghị quyết cấp xã có số đã kiểm chứng: {len(COMMUNE_RESOLUTIONS)}/{len(new_prov)}; "
          "chưa kiểm chứng: "
          + ", ".join(new_prov[c][0] for c in sorted(new_prov, key=int)
                      if new_prov[c][2] not in COMMUNE_RESOLUTIONS))
    print(f"mã xã mới của nguồn khác mã vietnam-provinces (đã đổi theo vietnam-provinces, "
          f"khớp theo tỉnh, loại và tên): {len(recoded)}")
    for src, dst in recoded:
        print(f"  {src} → {dst} ({ward_rows[dst][1]} {ward_rows[dst][0]})")
    return {
        "units_historic.csv": historic.getvalue(),
        "lineage.csv": lineage.getvalue(),
        "lineage_basis.csv": basis.getvalue(),
    }, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="so sánh, không ghi tệp")
    args = parser.parse_args(argv)
    files, problems = build(_source_dir())
    for p in problems:
        print(p if p.startswith("ghi chú") else f"lệch mã: {p}")
    problems = [p for p in problems if not p.startswith("ghi chú")]
    stale = [n for n, text in files.items()
             if not (DATA / n).exists() or (DATA / n).read_text(encoding="utf-8") != text]
    if args.check:
        print("cần tạo lại: " + ", ".join(stale) if stale else "dữ liệu khớp nguồn")
        return 1 if stale or problems else 0
    for name in stale:
        (DATA / name).write_text(files[name], encoding="utf-8")
        print(f"đã ghi {DATA / name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
