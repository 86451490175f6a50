"""Benchmark: `cchc render` against the naive loop a user would write (run by hand, not in CI).

    .venv/bin/python benchmarks/render_batch.py --units 12

Every run renders the same N illustrative communes (tỉnh Lâm Đồng, one period) from the same
store, in one invocation of this script:

* naive, one core:  for each unit, `papermill` CLI then `jupyter nbconvert --to html --no-input`
  CLI (all formats: then `weasyprint` CLI on that HTML and a `python -c` building the DOCX with
  cchc's own builder, i.e. the same conversions done by hand);
* naive, all cores: the same command per unit through `xargs -P <cores>`;
* `cchc render` (params files, `--force`) with `--jobs 1`, with one worker per core, and with
  `--executor dask` (a local Dask cluster, one worker per core);

each HTML only and with all three formats; then an unchanged re-run (no `--force`: everything
skipped) and the same re-run on a synthetic outputs tree of 3,321 units (every commune since 1
July 2025, with their render.json), which an unchanged national run would face.

Peak memory per worker is sampled every 0.2 s: a worker is a process with a Jupyter kernel child
(a pool or Dask worker, or papermill), counted with its kernel.  The projection for 3,321 units
takes each run's per-report cost (the median of the seconds each report's render.json records,
spread over the workers) and its fixed cost (the rest of its time: process and kernel start,
warm-up, the index).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PERIOD = "2026-Q1"
PARENT = "68"  # tỉnh Lâm Đồng after 2025: 124 communes to draw from
NATIONAL = 3321  # communes and wards since 1 July 2025
ALL = "html,pdf,docx"
GOALS = ("goals: ≥ 6x the naive loop per core (HTML), ≥ 3x (all formats); national run on 2 "
         "cores ≤ 20 min (HTML), ≤ 60 min (all formats); unchanged re-run of 3,321 units "
         "≤ 10 s; ≤ 400 MB per worker")


# ------------------------------------------------------------------------------ measuring

class PeakMemory:
    """Peak RSS of each worker (a process with a kernel child, plus that kernel) under a root
    process, sampled in a thread while the run goes."""

    def __init__(self, root_pid: int, interval: float = 0.2):
        self.root_pid = root_pid
        self.interval = interval
        self.peak_mb = 0.0
        self.client_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                root = psutil.Process(self.root_pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for proc in procs:
                try:
                    kernels = [c for c in proc.children()
                               if "ipykernel_launcher" in " ".join(c.cmdline())]
                    if proc.pid == self.root_pid:
                        self.client_mb = max(self.client_mb, proc.memory_info().rss / 2**20)
                    if kernels:
                        rss = proc.memory_info().rss + sum(k.memory_info().rss for k in kernels)
                        self.peak_mb = max(self.peak_mb, rss / 2**20)
                except psutil.Error:
                    continue
            self._stop.wait(self.interval)


def timed(args: list[str], *, stdin: str | None = None, env: dict | None = None) -> dict:
    """Run a command; its wall time and the peak memory of its workers."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    with PeakMemory(proc.pid) as memory:
        out, err = proc.communicate(stdin)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(args)}\n{out}\n{err}")
    return {"seconds": seconds, "peak_mb": memory.peak_mb, "client_mb": memory.client_mb}


# ------------------------------------------------------------------------------ the runs

def make_store(store: Path, n: int) -> list[str]:
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_batch

    subs = synth_batch(n, [PERIOD], seed=7, parent_code=PARENT)
    with open_store(store) as st:
        for sub in subs:
            st.ingest(sub)
    return [s.unit_code for s in subs]


def params_files(codes: list[str], store: Path, folder: Path, formats: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for code in codes:
        path = folder / f"{code}.yaml"
        path.write_text(f'notebook: commune_report\nunit: "{code}"\nperiod: "{PERIOD}"\n'
                        f'source: store\nstore: "{store}"\nformats: [{formats}]\n',
                        encoding="utf-8")
        files.append(str(path))
    return files


NAIVE_DOCX = ("import sys, nbformat; from cchc_lib.batch.export import notebook_to_docx; "
              "nb = nbformat.read(sys.argv[1], as_version=4); "
              "open(sys.argv[2], 'wb').write(notebook_to_docx(nb))")


def _shell(arg: str) -> str:
    """One argument for ``sh -c``, with ``{u}`` standing for the unit's code (``$1``)."""
    return '"$1"'.join(shlex.quote(part) if part else "" for part in arg.split("{u}"))


def naive_command(store: Path, out: Path, all_formats: bool) -> str:
    """The shell command a user would write for one unit (its code is ``$1``)."""
    executed = str(out / "{u}.ipynb")
    steps = [
        [str(BIN / "papermill"), str(ROOT / "notebooks/commune_report.ipynb"), executed,
         "-p", "unit", "{u}", "-p", "period", PERIOD, "-p", "source", "store",
         "-p", "store", str(store), "--cwd", str(ROOT)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", executed],
    ]
    if all_formats:
        steps += [[str(BIN / "weasyprint"), str(out / "{u}.html"), str(out / "{u}.pdf")],
                  [sys.executable, "-c", NAIVE_DOCX, executed, str(out / "{u}.docx")]]
    return " && ".join(" ".join(_shell(a) for a in step) for step in steps)


def naive(codes: list[str], store: Path, out: Path, all_formats: bool, parallel: int) -> dict:
    """The naive loop, one unit after another (``parallel`` 1) or as ``xargs -P`` runs it."""
    out.mkdir(parents=True, exist_ok=True)
    command = naive_command(store, out, all_formats)
    return timed(["xargs", "-P", str(parallel), "-n", "1", "sh", "-c", command, "sh"],
                 stdin="\n".join(codes) + "\n")


def cchc(files: list[str], out: Path, jobs: int, *, executor: str = "local",
         force: bool = True) -> dict:
    args = [str(BIN / "cchc"), "render", *files, "--out", str(out), "--jobs", str(jobs),
            "--executor", executor] + (["--force"] if force else [])
    result = timed(args)
    states = [json.loads(p.read_text(encoding="utf-8")) for p in out.rglob("render.json")]
    if force:
        # the median: a worker's first report also pays for its warm-up, counted as fixed cost
        result["per_report"] = statistics.median(s["seconds"] for s in states)
        phases: dict[str, float] = {}
        for s in states:
            for k, v in s.get("timings", {}).items():
                phases[k] = phases.get(k, 0.0) + v / len(states)
        result["phases"] = phases
    return result


def national_rerun(tmp: Path) -> dict:
    """An unchanged re-run of every commune since 2025: a store of 3,321 submissions and an
    outputs tree whose render.json all match, made through the batch's own job code."""
    from cchc_lib import units
    from cchc_lib.batch.jobs import jobs_for_selection
    from cchc_lib.batch.state import Outcome, write_state
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_submission

    store, out = tmp / "national.sqlite", tmp / "national"
    communes = [u for u in units.all_units("2025") if u.level == "commune"]
    start = time.perf_counter()
    with open_store(store) as st:
        for unit in communes:
            st.ingest(synth_submission(unit, PERIOD, seed=3))
    jobs = jobs_for_selection(PERIOD, None, False, ALL.split(","), out, store=store)
    for job in jobs:
        folder = Path(job.out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        files = {}
        for ext in ("ipynb", "html", "pdf", "docx"):
            (folder / f"{job.stem}.{ext}").write_bytes(b"x")
            files[ext] = f"{job.stem}.{ext}"
        write_state(Outcome(job, "rendered", files, "", 1.0, {"unit_code": job.unit_code}))
    made = time.perf_counter() - start
    result = timed([str(BIN / "cchc"), "render", "--period", PERIOD, "--store", str(store),
                    "--out", str(out)])
    result.update(units=len(jobs), setup=made)
    return result


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


# ------------------------------------------------------------------------------ the table

def projection_min(run: dict, n: int, workers: int) -> float:
    """Minutes for 3,321 reports: the run's fixed cost plus the per-report cost per worker."""
    per_worker = run["per_report"] / workers
    fixed = max(0.0, run["seconds"] - n * per_worker)
    return (fixed + NATIONAL * per_worker) / 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=12)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="workers for the 'all cores' runs (default: the cores)")
    parser.add_argument("--skip-national", action="store_true",
                        help="skip the synthetic 3,321-unit re-run (it takes a minute to set up)")
    opts = parser.parse_args()
    w = opts.workers
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "store.sqlite"
        codes = make_store(store, opts.units)
        n = len(codes)
        html_files = params_files(codes, store, tmp / "params-html", "html")
        all_files = params_files(codes, store, tmp / "params-all", ALL)
        runs = {}
        for fmt, files, all_formats in (("HTML", html_files, False),
                                        ("HTML+PDF+DOCX", all_files, True)):
            runs[fmt, "naive 1"] = naive(codes, store, tmp / f"naive1-{fmt}", all_formats, 1)
            runs[fmt, "naive w"] = naive(codes, store, tmp / f"naivew-{fmt}", all_formats, w)
            runs[fmt, "cchc 1"] = cchc(files, tmp / f"cchc1-{fmt}", 1)
            runs[fmt, "cchc w"] = cchc(files, tmp / f"cchcw-{fmt}", w)
            runs[fmt, "dask w"] = cchc(files, tmp / f"dask-{fmt}", w, executor="dask")
        rerun = cchc(all_files, tmp / "cchcw-HTML+PDF+DOCX", w, force=False)
        national = None if opts.skip_national else national_rerun(tmp)
    cold, imports = kernel_costs()

    names = {"naive 1": "naive loop (papermill + nbconvert CLI), 1 core",
             "naive w": f"naive loop, xargs -P {w}",
             "cchc 1": "cchc render --jobs 1",
             "cchc w": f"cchc render --jobs {w}",
             "dask w": f"cchc render --executor dask --jobs {w} (LocalCluster)"}
    print(f"{n} communes of tỉnh Lâm Đồng, period {PERIOD}, the same units in every run; "
          f"{os.cpu_count()} cores")
    print()
    print("| formats | run | s | reports/min | vs naive, same cores | peak MB/worker | "
          "3,321 units (min) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (fmt, key), r in runs.items():
        base = runs[fmt, "naive 1" if key.endswith("1") else "naive w"]
        cores = 1 if key.endswith("1") else w
        proj = projection_min(r, n, cores) if "per_report" in r else \
            NATIONAL * r["seconds"] / n / 60
        rows.append(f"| {fmt} | {names[key]} | {r['seconds']:.1f} | {n / r['seconds'] * 60:.1f} "
                    f"| {base['seconds'] / r['seconds']:.1f}x | {r['peak_mb']:.0f} | "
                    f"{proj:.0f} |")
    print("\n".join(rows))
    print(f"| HTML+PDF+DOCX | unchanged re-run (cchc render, no --force), {n} units | "
          f"{rerun['seconds']:.1f} | | | | |")
    if national:
        print(f"| HTML+PDF+DOCX | unchanged re-run, synthetic tree of {national['units']} units "
              f"| {national['seconds']:.1f} | | | | |")
    print()
    for fmt in ("HTML", "HTML+PDF+DOCX"):
        r = runs[fmt, "cchc w"]
        print(f"cchc --jobs {w}, {fmt}, per report in a worker: median {r['per_report']:.2f} s "
              "(mean by phase: " + ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items())
              + ")")
    print(f"cold kernel start: {cold:.2f} s; imports a warm kernel keeps (pandas, matplotlib, "
          f"cchc_lib): {imports:.2f} s; client (cchc render) peak "
          f"{runs['HTML+PDF+DOCX', 'cchc w']['client_mb']:.0f} MB")
    print("projection: the run's fixed cost + 3,321 × its per-report cost / its workers "
          "(naive rows: 3,321 × its time per unit)")
    print(GOALS)


if __name__ == "__main__":
    main()
