"""Benchmark: `cchc synth` + `cchc ingest` of N units x P periods (run by hand, not in CI).

    .venv/bin/python benchmarks/ingest_batch.py --units 100 --periods 2026-Q1,2026-Q2,2026-Q3,2026-Q4

Runs the real commands as a user would (separate processes), in a temporary folder, and prints
the wall time of each step and the workbooks per second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CCHC = [sys.executable, "-m", "cchc_lib.cli"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--periods", default="2026-Q1,2026-Q2,2026-Q3,2026-Q4")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out, store = Path(tmp) / "wb", Path(tmp) / "store.sqlite"
        t_synth = timed([*CCHC, "synth", "--units", str(opts.units), "--periods", opts.periods,
                         "--out", str(out)])
        files = sorted(str(p) for p in out.glob("*.xlsx"))
        t_ingest = timed([*CCHC, "ingest", "--quiet", "--store", str(store), *files])
        t_again = timed([*CCHC, "ingest", "--quiet", "--store", str(store), *files])
        size = store.stat().st_size
    n = len(files)
    print(f"workbooks: {n} ({opts.units} units x {len(opts.periods.split(','))} periods)")
    print(f"synth:          {t_synth:6.1f} s  ({n / t_synth:5.1f} workbooks/s)")
    print(f"ingest (new):   {t_ingest:6.1f} s  ({n / t_ingest:5.1f} workbooks/s)")
    print(f"ingest (again): {t_again:6.1f} s  ({n / t_again:5.1f} workbooks/s, all unchanged)")
    print(f"store size:     {size / 1024 / 1024:6.1f} MiB")


if __name__ == "__main__":
    main()
