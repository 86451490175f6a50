"""Benchmark: `cchc demo` run twice; the second run renders nothing (run by hand, not in CI).

    .venv/bin/python benchmarks/rerun_unchanged.py

Prints the wall time of the first run and of the unchanged rerun, which starts no kernel: every
report is skipped from its ``render.json`` (tests/test_render.py checks that nothing is rewritten;
the time is measured here, not asserted in a test).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

CCHC = [sys.executable, "-m", "cchc_lib.cli"]


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        args = [*CCHC, "demo", "--store", str(Path(tmp) / "store.sqlite"),
                "--out", str(Path(tmp) / "outputs")]
        first, _ = timed(args)
        second, output = timed(args)
    summary = next((ln for ln in output.splitlines() if "không đổi" in ln), "?")
    print(f"first run:  {first:6.1f} s")
    print(f"rerun:      {second:6.1f} s   ({summary.strip()})")


if __name__ == "__main__":
    main()
