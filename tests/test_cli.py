"""The command line, run in-process through click's runner."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cchc_lib.checks import run_checks
from cchc_lib.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"`cchc {name}\b", readme), name


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


def test_check_the_sample_lists_its_mistakes_and_exits_1():
    result = run("check", "--sample")
    assert result.exit_code == 1
    assert "rate.mismatch" in result.output and "55/72 = 76,4%" in result.output
    assert "xã Đắk Ha (24622), 6 tháng đầu năm 2024" in result.output


def test_check_json_is_for_machines():
    import json

    result = run("check", "--sample", "--format", "json")
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    rules = {(f["rule"], f["indicator"]) for f in report["findings"]}
    assert ("rate.mismatch", "1.1.2") in rules and ("count.not-whole", "7.4") in rules
    assert report["counts"]["error"] == sum(f["severity"] == "error" for f in report["findings"])


def test_check_a_clean_workbook_exits_0(tmp_path):
    from cchc_lib import units
    from cchc_lib.synth import synth_submission
    from cchc_lib.workbook import write_workbook

    sub = synth_submission(units.get_unit("24616", era="2008"), "2024-H1", seed=1)
    path = write_workbook(tmp_path / "qs.xlsx", sub)
    result = run("check", "--workbook", str(path))
    assert result.exit_code == 0, result.output
    assert "0 lỗi, 0 cảnh báo" in result.output


def test_check_from_the_store_records_errors_for_status(tmp_path):
    from cchc_lib.serialize import load_sample
    from cchc_lib.workbook import write_workbook

    store = str(tmp_path / "s.sqlite")
    path = write_workbook(tmp_path / "dh.xlsx", load_sample())
    ingest = run("ingest", str(path), "--store", store)
    assert ingest.exit_code == 0
    result = run("check", "--period", "2024-H1", "--unit", "Đắk Ha", "--store", store)
    assert result.exit_code == 1 and "figure.same-as" in result.output
    status = run("status", "--period", "2024-H1", "--store", store)
    line = next(ln for ln in status.output.splitlines() if "24622" in ln)
    errors = len([f for f in run_checks(load_sample()) if f.severity == "error"])
    assert line.rstrip(" │").split()[-1] == str(errors)


def test_check_needs_exactly_one_source():
    result = run("check")
    assert result.exit_code == 2 and "Chọn một nguồn" in result.output
