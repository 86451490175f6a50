"""The command line, run in-process through click's runner."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cchc_lib.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_demo_prints_unit_period_and_the_figures():
    result = CliRunner().invoke(main, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "xã Đắk Ha, huyện Đắk Glong, tỉnh Đắk Nông (mã 24622)" in out
    assert "6 tháng đầu năm 2024 (2024-H1)" in out
    assert "3.253.588.460" in out and "96,33%" in out and "74,9%" in out


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"`cchc {name}\b", readme), name
