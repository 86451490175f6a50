"""Commands that only read the store never create one: a mistyped --store is an error that
names the path, not an empty store that then reports every unit as missing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cchc_lib.cli import main


@pytest.mark.parametrize("args", [
    ["status", "--period", "2024-H1", "--parent", "661"],
    ["check", "--period", "2024-H1"],
    ["render", "--period", "2024-H1", "--parent", "661", "--formats", "html"],
    ["params", "--period", "2024-H1", "--parent", "661"],
])
def test_a_read_only_command_with_a_mistyped_store_creates_nothing(tmp_path, args):
    missing = tmp_path / "thu-muc" / "kho-go-nham.sqlite"
    extra = ["--out", str(tmp_path / "out")] if args[0] in ("render", "params") else []
    result = CliRunner().invoke(main, [*args, *extra, "--store", str(missing)])
    assert result.exit_code == 2, result.output
    assert "Không tìm thấy kho dữ liệu" in result.output and "kho-go-nham.sqlite" in result.output
    assert not missing.exists() and not missing.parent.exists()
