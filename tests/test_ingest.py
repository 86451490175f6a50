"""Workbooks into the store through the CLI: round trip, bad files skipped, store untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cchc_lib import workbook as L
from cchc_lib.cli import main
from cchc_lib.serialize import load_sample
from cchc_lib.store import open_store
from cchc_lib.workbook import template_for, write_workbook


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250", **(env or {})})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sample_xlsx(tmp_path) -> Path:
    return write_workbook(tmp_path / "dak-ha.xlsx", load_sample())


def test_seed_to_workbook_to_store_and_back(tmp_path, sample_xlsx):
    store = tmp_path / "s.sqlite"
    result = run("ingest", str(sample_xlsx), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "nộp mới" in result.output and "1 tệp đã nạp, 0 tệp lỗi" in result.output
    with open_store(store) as s:
        assert s.load("24622", "2024-H1") == load_sample()
    again = run("ingest", str(sample_xlsx), "--store", str(store))
    assert "không đổi" in again.output
    with open_store(store) as s:
        assert s.count() == 1


def test_a_changed_workbook_becomes_a_new_revision(tmp_path, sample_xlsx):
    store = tmp_path / "s.sqlite"
    run("ingest", str(sample_xlsx), "--store", str(store))
    wb = load_workbook(sample_xlsx)
    ws = wb[L.SHEET_APPENDIX]
    row = next(r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)
               if ws.cell(row=r, column=1).value == "1.1.2")
    ws.cell(row=row, column=L.COL_RATE, value="76,4")
    wb.save(sample_xlsx)
    result = run("ingest", str(sample_xlsx), "--store", str(store))
    assert "bản sửa đổi" in result.output
    with open_store(store) as s:
        assert s.load("24622", "2024-H1").value("1.1.2").rate == 76.4
        assert s.load("24622", "2024-H1", revision=1).value("1.1.2").rate == 100


def test_bad_files_are_reported_skipped_and_change_nothing(tmp_path, sample_xlsx):
    store = tmp_path / "s.sqlite"
    run("ingest", str(sample_xlsx), "--store", str(store))
    before = digest(store)
    bad_text = tmp_path / "notes.xlsx"
    bad_text.write_text("không phải sổ tính", encoding="utf-8")
    bad_value = write_workbook(tmp_path / "q.xlsx", template_for("24616", "2024-H1"))
    wb = load_workbook(bad_value)
    ws = wb[L.SHEET_APPENDIX]
    ws[f"E{L.IND_FIRST_ROW + 2}"] = "bảy mươi"
    wb.save(bad_value)
    result = run("ingest", str(bad_text), str(bad_value), "--store", str(store))
    assert result.exit_code == 1
    assert "không phải sổ tính Excel" in result.output and "bảy mươi" in result.output
    assert "0 tệp đã nạp, 2 tệp lỗi" in result.output
    assert digest(store) == before


def test_good_files_land_beside_a_bad_one(tmp_path, sample_xlsx):
    store = tmp_path / "s.sqlite"
    from cchc_lib import units
    from cchc_lib.synth import synth_submission

    other = write_workbook(tmp_path / "qs.xlsx", synth_submission(
        units.get_unit("24616", era="2008"), "2024-H1", seed=2))
    missing = tmp_path / "missing.xlsx"
    result = run("ingest", str(sample_xlsx), str(missing), str(other), "--store", str(store))
    assert result.exit_code == 1
    assert "2 tệp đã nạp, 1 tệp lỗi" in result.output
    with open_store(store) as s:
        assert s.units("2024-H1") == ["24616", "24622"]


def test_the_store_path_comes_from_the_environment(tmp_path, sample_xlsx):
    store = tmp_path / "env.sqlite"
    result = run("ingest", str(sample_xlsx), env={"CCHC_STORE": str(store)})
    assert result.exit_code == 0 and store.exists()


def test_status_lists_submitted_and_missing_units(tmp_path, sample_xlsx):
    store = tmp_path / "s.sqlite"
    run("ingest", str(sample_xlsx), "--store", str(store))
    result = run("status", "--period", "2024-H1", "--parent", "661", "--store", str(store))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    dak_ha = next(ln for ln in lines if "24622" in ln)
    quang_son = next(ln for ln in lines if "24616" in ln)
    assert "đã nộp" in dak_ha and "chưa nộp" in quang_son
    assert "Đã nộp 1/7 đơn vị." in result.output
    # without --parent the district is found from what was submitted
    result = run("status", "--period", "2024-H1", "--store", str(store))
    assert "Đã nộp 1/7 đơn vị." in result.output


def test_template_command_writes_a_workbook_for_a_unit_named_loosely(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("template", "--unit", "Đăk Ha", "--period", "2024-h1", "-o", str(out))
    assert result.exit_code == 0, result.output
    meta = dict(load_workbook(out)[L.SHEET_META].iter_rows(values_only=True))
    assert (meta["unit_code"], meta["period"]) == ("24622", "2024-H1")
    bad = run("template", "--unit", "Đắk Ha", "--period", "2024-Q9", "-o", str(out))
    assert bad.exit_code == 2 and "2024-Q9" in bad.output


def test_csv_long_form_ingests_several_units_in_one_transaction(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("unit,period,code,total,done,rate\n"
                    "24622,2024-H1,3.4.1,394,295,\"74,9\"\n"
                    "24616,2024-H1,3.4.1,100,90,90\n", encoding="utf-8")
    store = tmp_path / "s.sqlite"
    result = run("ingest", str(path), "--store", str(store))
    assert result.exit_code == 0, result.output
    with open_store(store) as s:
        assert s.units("2024-H1") == ["24616", "24622"]
