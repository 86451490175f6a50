"""Rendering under attack and accident: errors shown in a notebook's outputs, an ingest during a
render, kill -9 of the batch, half-written files left by a killed run, file permissions, and a
runaway report length.  Each test reproduces a defect a hostile tester found."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from cchc_lib.batch import worker
from cchc_lib.batch.jobs import make_job
from cchc_lib.batch.params import RenderParams
from cchc_lib.batch.pool import default_workers, render_job, render_jobs
from cchc_lib.files import atomic_path, remove_stale_temporaries
from cchc_lib.serialize import load_sample
from cchc_lib.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def store_job(store: Path, out: Path, formats=("html",)):
    return make_job(RenderParams("commune_report", {"unit": "24622", "period": "2024-H1",
                                                    "source": "store", "store": str(store)},
                                 formats), out)


def test_an_error_shown_while_displaying_is_caught_not_published():
    """``display()`` prints (does not raise) an exception from a display method: the notebook
    runs to its end with a traceback in its outputs.  Such a notebook must fail, not be
    exported (the notebooks show charts with ``display(section, chart)``)."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("class Broken:\n"
                                  "    def _repr_mimebundle_(self, **kw):\n"
                                  "        raise OverflowError('cannot convert float infinity')\n"
                                  "display('mục II.2', Broken())"),
        nbformat.v4.new_code_cell("print('vẫn chạy tiếp')"),
    ])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    errors = worker.notebook_errors(nb)
    assert errors and "OverflowError" in errors[0], nb.cells[0].outputs
    clean = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    NotebookClient(clean, kernel_name="python3", timeout=120).execute()
    assert worker.notebook_errors(clean) == []


def test_a_revision_ingested_during_the_render_is_not_left_stale(tmp_path):
    store, out = tmp_path / "s.sqlite", tmp_path / "out"
    sample = load_sample()
    with open_store(store) as st:
        st.ingest(sample)
    job = store_job(store, out)  # queued: its hash is of revision 1
    revised = replace(sample, header=replace(sample.header, report_number="45"))
    with open_store(store) as st:
        st.ingest(revised)  # … and revision 2 arrives before the worker loads the data
    outcome = render_job(job)
    assert outcome.status == "rendered"
    assert any("thay đổi trong lúc tạo báo cáo" in w for w in outcome.warnings)
    state = json.loads((Path(job.out_dir) / "render.json").read_text(encoding="utf-8"))
    assert state["hash"] is None  # so the next run does not skip it as unchanged
    again = render_jobs([store_job(store, out)], workers=1)
    assert [o.status for o in again] == ["rendered"] and again[0].warnings == ()
    assert [o.status for o in render_jobs([store_job(store, out)], workers=1)] == ["skipped"]


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")
def test_kill_9_of_the_batch_leaves_no_worker_or_kernel_running(tmp_path):
    from cchc_lib.synth import synth_submission
    from cchc_lib import units

    store, out = tmp_path / "s.sqlite", tmp_path / "out"
    with open_store(store) as st:
        for unit in units.children("661", era="2008", level="commune"):
            st.ingest(synth_submission(unit, "2024-H1", seed=1))
    proc = subprocess.Popen([sys.executable, "-m", "cchc_lib.cli", "render", "--period",
                             "2024-H1", "--parent", "661", "--formats", "html,pdf", "--jobs", "2",
                             "--store", str(store), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        kids: set[int] = set()
        while time.monotonic() < deadline:  # wait for two workers, each with its kernel
            kids = _descendants(proc.pid)
            kernels = [k for k in kids if b"ipykernel" in Path(f"/proc/{k}/cmdline").read_bytes()]
            if len(kernels) >= 2:
                break
            time.sleep(0.5)
        assert len(kernels) >= 2, kids
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.5)
        assert not [k for k in kids if _alive(k)]
    finally:
        if proc.poll() is None:
            proc.kill()
        for k in _descendants(proc.pid):
            try:
                os.kill(k, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_half_written_files_of_a_killed_writer_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        left = tmp_path / f".bao-cao.pdf.{dead.pid}.k3j9x.tmp"
        old_style = tmp_path / ".bao-cao.html.abc.tmp"  # written before pids were recorded
        busy = tmp_path / f".bao-cao.docx.{live.pid}.q8w7e.tmp"
        report = tmp_path / "bao-cao.pdf"
        for path in (left, old_style, busy, report):
            path.write_bytes(b"x")
        removed = remove_stale_temporaries(tmp_path)
        assert sorted(removed) == sorted([left, old_style])
        assert busy.exists() and report.exists()
    finally:
        live.kill()


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        target = tmp_path / "bao-cao.html"
        with atomic_path(target) as tmp:
            tmp.write_text("nội dung", encoding="utf-8")
        assert target.stat().st_mode & 0o777 == mode
    finally:
        os.umask(old)


def test_default_workers_fit_cores_and_memory():
    n = default_workers()
    assert 1 <= n <= (os.cpu_count() or 1)
    assert default_workers(per_worker_mb=10 ** 9) == 1  # not enough memory for two


def test_a_runaway_report_length_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "LONG_REPORT_PAGES", 3)
    store, out = tmp_path / "s.sqlite", tmp_path / "out"
    with open_store(store) as st:
        st.ingest(load_sample())
    outcome = render_job(store_job(store, out, formats=("html", "pdf")))
    assert outcome.status == "rendered"
    assert [w for w in outcome.warnings if "báo cáo PDF dài" in w and "trang" in w]
