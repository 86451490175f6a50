"""Shared fixtures: the seed report's text and its two halves."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sample" / "seed_dak_ha_2024-H1.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_narrative(seed_text: str) -> str:
    """The report's running text: everything before the appendix."""
    return seed_text.split("PHỤ LỤC SỐ 01")[0]


@pytest.fixture(scope="session")
def seed_appendix_rows(seed_text: str) -> list[list[str]]:
    """The appendix's data rows as printed: tab-separated fields, header lines dropped."""
    appendix = seed_text.split("PHỤ LỤC SỐ 01", 1)[1]
    rows = []
    for line in appendix.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[1].strip() or fields[0] == "Stt":
            continue
        rows.append([f.strip() for f in fields])
    return rows


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """One real `cchc demo` run (store and outputs in a temporary folder), shared by the tests
    that read its outputs: rendering takes a while, reading is cheap."""
    from click.testing import CliRunner

    from cchc_lib.cli import main

    base = tmp_path_factory.mktemp("demo")
    store, out = base / "store.sqlite", base / "outputs"
    result = CliRunner().invoke(main, ["demo", "--store", str(store), "--out", str(out)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return {"store": store, "out": out, "output": result.output}


@pytest.fixture
def two_communes_store(tmp_path):
    """A store with xã Quảng Sơn (24616) and xã Quảng Hòa (24620), quý I and 6 tháng 2024,
    illustrative (seed 1): a unit with an earlier period, and a neighbour."""
    from cchc_lib import units
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_submission

    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        for code in ("24616", "24620"):
            for period in ("2024-Q1", "2024-H1"):
                st.ingest(synth_submission(units.get_unit(code, era="2008"), period, seed=1))
    return path
