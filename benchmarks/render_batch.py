"""Benchmark: `cchc render` against the naive loop a user would write (run by hand, not in CI).

    .venv/bin/python benchmarks/render_batch.py --units 50

Both render the same N illustrative communes (one period, HTML only, since the naive loop has
no PDF/DOCX step) from the same store, in the same run:

* naive: for each unit, `papermill` CLI, then `jupyter nbconvert --to html --no-input` CLI;
* cchc:  `cchc render --period P --parent 68 --formats html --force` (warm kernels, one per
  core, export in the worker's own process).

It prints reports per minute for both and the ratio, then where cchc's time goes: a cold kernel
start, the imports a warm kernel keeps, and per report (execute, export, write) from the
timings each unit records in its render.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PERIOD = "2026-Q1"
PARENT = "68"  # tỉnh Lâm Đồng after 2025: 124 communes to draw from


def make_store(store: Path, n: int) -> list[str]:
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_batch

    subs = synth_batch(n, [PERIOD], seed=7, parent_code=PARENT)
    with open_store(store) as st:
        for sub in subs:
            st.ingest(sub)
    return [s.unit_code for s in subs]


def naive(codes: list[str], store: Path, out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for code in codes:
        executed = out / f"{code}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks/commune_report.ipynb"),
                        str(executed), "-p", "unit", code, "-p", "period", PERIOD,
                        "-p", "source", "store", "-p", "store", str(store), "--cwd", str(ROOT)],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=True, capture_output=True)
    return time.perf_counter() - start


def cchc(store: Path, out: Path, jobs: int | None) -> float:
    args = [str(BIN / "cchc"), "render", "--period", PERIOD, "--parent", PARENT, "--formats",
            "html", "--force", "--store", str(store), "--out", str(out)]
    if jobs:
        args += ["--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def kernel_costs() -> tuple[float, float]:
    """Seconds for a cold kernel start, and for the imports a warm kernel keeps."""
    from cchc_lib.batch.worker import WarmKernel

    kernel = WarmKernel(str(ROOT))
    start = time.perf_counter()
    kernel.WARM_UP = "1"
    kernel.start()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    kernel._run_code(WarmKernel.WARM_UP)
    imports = time.perf_counter() - start
    kernel.stop()
    return cold, imports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=None, help="cchc render --jobs")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "store.sqlite"
        codes = make_store(store, opts.units)
        n = len(codes)
        t_cchc = cchc(store, tmp / "cchc", opts.jobs)
        t_naive = naive(codes, store, tmp / "naive")
        states = [json.loads(p.read_text()) for p in (tmp / "cchc").rglob("render.json")]
        reports = [s for s in states if s["notebook"] == "commune_report"]
        phases: dict[str, float] = {}
        for s in reports:
            for k, v in s.get("timings", {}).items():
                phases[k] = phases.get(k, 0.0) + v
    cold, imports = kernel_costs()
    print(f"units: {n} communes, period {PERIOD}, HTML only")
    print(f"naive loop (papermill CLI + nbconvert CLI, one by one): {t_naive:7.1f} s "
          f"= {n / t_naive * 60:6.1f} reports/min")
    print(f"cchc render (warm kernels, {opts.jobs or 'all'} workers):           {t_cchc:7.1f} s "
          f"= {(n + 1) / t_cchc * 60:6.1f} reports/min (+1 province overview)")
    print(f"ratio: {t_naive / t_cchc * (n + 1) / n:4.1f}x")
    print(f"cold kernel start: {cold:.2f} s; imports a warm kernel keeps "
          f"(pandas, matplotlib, cchc_lib): {imports:.2f} s")
    print("cchc, per report on average (in a worker):")
    for k, v in phases.items():
        print(f"  {k:8s} {v / max(len(reports), 1):6.2f} s")


if __name__ == "__main__":
    main()
