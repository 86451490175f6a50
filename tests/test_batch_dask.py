"""The batch on Dask distributed (cchc_lib.batch.cluster): a LocalCluster of two worker processes
makes the same reports as the local pool, and a worker killed in the middle of a batch loses no
unit, on Dask as in the local pool; without the extra, a clear message says what to install."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_lib.cli import main
from cchc_lib.errors import CchcError

distributed = pytest.importorskip("distributed")

UNITS = ("24616", "24620", "24625")  # xã Quảng Sơn, Quảng Hòa, Đắk R'Măng (huyện Đắk Glong)
SUMMARY = re.compile(r"(\d+) báo cáo đã tạo, (\d+) không đổi, (\d+) lỗi")


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each; a task whose worker dies fails at once
    (``allowed-failures`` 0), so that the kill test sees the failure path."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None,
                                      silence_logs=logging.ERROR) as c:
            yield c


@pytest.fixture(scope="module")
def params_files(tmp_path_factory):
    """Three communes with an earlier period each (the trend chart), as params files."""
    from cchc_lib import units
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_submission

    base = tmp_path_factory.mktemp("dask")
    store = base / "store.sqlite"
    with open_store(store) as st:
        for code in UNITS:
            for period in ("2024-Q1", "2024-H1"):
                st.ingest(synth_submission(units.get_unit(code, era="2008"), period, seed=1))
    files = []
    for code in UNITS:
        path = base / f"{code}.yaml"
        path.write_text(f'notebook: commune_report\nunit: "{code}"\nperiod: "2024-H1"\n'
                        f'source: store\nstore: "{store}"\nformats: [html, pdf, docx]\n',
                        encoding="utf-8")
        files.append(str(path))
    return files


def page_text(path: Path) -> str:
    """An HTML page with its embedded images cut out: text, markup and alt texts."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "PNG",
                  path.read_text(encoding="utf-8"))


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def docx_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def content(out: Path) -> dict:
    """Every unit's outputs, as what a reader sees: the comparison of the two executors."""
    found = {}
    for state_file in sorted(out.rglob("render.json")):
        state = json.loads(state_file.read_text(encoding="utf-8"))
        folder = state_file.parent
        files = state["files"]
        found[state["unit_code"]] = {
            "status": state["status"], "figures": state["figures"], "files": sorted(files),
            "html": page_text(folder / files["html"]),
            "check_html": page_text(folder / files["check_html"]),
            "pdf": pdf_text(folder / files["pdf"]),
            "check_pdf": pdf_text(folder / files["check_pdf"]),
            "docx": docx_xml(folder / files["docx"]),
        }
    return found


def test_a_local_dask_cluster_makes_the_same_reports_as_the_local_pool(cluster, params_files,
                                                                         tmp_path):
    local = run("render", *params_files, "--jobs", "1", "--out", str(tmp_path / "local"))
    assert local.exit_code == 0, local.output
    dask = run("render", *params_files, "--scheduler", cluster.scheduler_address,
               "--out", str(tmp_path / "dask"))
    assert dask.exit_code == 0, dask.output
    assert "3 báo cáo đã tạo, 0 không đổi, 0 lỗi" in dask.output
    made_locally, made_on_dask = content(tmp_path / "local"), content(tmp_path / "dask")
    assert sorted(made_on_dask) == sorted(UNITS)
    for code in UNITS:
        assert made_on_dask[code]["status"] == "rendered"
        for key in made_locally[code]:
            assert made_on_dask[code][key] == made_locally[code][key], (code, key)
    assert made_on_dask["24616"]["figures"]["unit_code"] == "24616"
    # incremental on Dask too: nothing changed, nothing is sent to the cluster
    again = run("render", *params_files, "--executor", "dask", "--scheduler",
                cluster.scheduler_address, "--out", str(tmp_path / "dask"))
    assert again.exit_code == 0 and "0 báo cáo đã tạo, 3 không đổi, 0 lỗi" in again.output


def kill_a_busy_worker(address: str, killed: list, stop: threading.Event) -> None:
    """SIGKILL the first worker seen running a report for a second (as the OOM killer would)."""
    with distributed.Client(address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        seen: dict[str, float] = {}
        while not stop.is_set() and not killed:
            for worker, keys in client.processing().items():
                if any(str(k).startswith("cchc-") for k in keys):
                    seen.setdefault(worker, time.monotonic())
                    if time.monotonic() - seen[worker] > 1.0 and worker in pids:
                        os.kill(pids[worker], signal.SIGKILL)
                        killed.append(worker)
                        break
            time.sleep(0.1)


def test_a_worker_killed_during_the_batch_loses_no_unit(cluster, params_files, tmp_path):
    killed: list = []
    stop = threading.Event()
    killer = threading.Thread(target=kill_a_busy_worker,
                              args=(cluster.scheduler_address, killed, stop))
    killer.start()
    try:
        result = run("render", *params_files, "--scheduler", cluster.scheduler_address,
                     "--out", str(tmp_path / "out"))
    finally:
        stop.set()
        killer.join(timeout=30)
    assert killed, "no worker was running a report long enough to be killed"
    rendered, skipped, failed = map(int, SUMMARY.search(result.output).groups())
    assert (rendered + failed, skipped) == (3, 0), result.output
    assert failed >= 1 and result.exit_code == 1  # its task died with it: a failure, reported
    assert result.output.count("LỖI") == failed
    assert "dừng đột ngột" in result.output
    states = [json.loads(p.read_text(encoding="utf-8"))
              for p in (tmp_path / "out").rglob("render.json")]
    assert sorted(s["unit_code"] for s in states) == sorted(UNITS)  # every unit accounted for
    for s in states:
        assert s["status"] in ("rendered", "failed")
        assert s["status"] == "rendered" or "dừng đột ngột" in s["error"]


def test_the_scheduler_option_is_for_dask_only(params_files, tmp_path):
    result = run("render", *params_files, "--executor", "local", "--scheduler",
                 "tcp://127.0.0.1:1", "--out", str(tmp_path))
    assert result.exit_code == 2 and "--executor dask" in result.output


def test_an_unreachable_scheduler_is_a_clear_error(params_files, tmp_path, monkeypatch):
    import cchc_lib.batch.cluster as cluster_module

    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 2)
    result = run("render", params_files[0], "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "Không dùng được bộ lập lịch Dask tcp://127.0.0.1:9" in result.output


def test_without_distributed_the_message_says_what_to_install(params_files, tmp_path,
                                                               monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    monkeypatch.delitem(sys.modules, "cchc_lib.batch.cluster", raising=False)
    with pytest.raises(CchcError, match=r"pip install 'cchc\[dask\]'"):
        importlib.import_module("cchc_lib.batch.cluster")
    result = run("render", params_files[0], "--executor", "dask", "--out", str(tmp_path))
    assert result.exit_code == 2 and "cchc[dask]" in result.output


def test_a_local_pool_worker_killed_during_the_batch_loses_no_unit(params_files, tmp_path):
    """The local pool too: a dead worker breaks the process pool; a new pool takes the tasks
    that were in it, and every unit comes back rendered (or failed, with the reason)."""
    import psutil

    killed: list = []
    stop = threading.Event()

    def kill_a_busy_worker() -> None:
        me = psutil.Process()
        seen: dict[int, float] = {}
        while not stop.is_set() and not killed:
            for proc in me.children(recursive=True):
                try:
                    busy = any("ipykernel_launcher" in " ".join(k.cmdline())
                               for k in proc.children())
                except psutil.Error:
                    continue
                if busy:
                    seen.setdefault(proc.pid, time.monotonic())
                    if time.monotonic() - seen[proc.pid] > 2.0:  # started, and at work
                        proc.kill()
                        killed.append(proc.pid)
                        break
            time.sleep(0.1)

    def workers() -> set[int]:
        """Worker processes with a kernel: a pool's (the Dask cluster of the other tests has
        workers too, and restarts the one they killed, without a kernel until it gets work)."""
        found = set()
        for proc in psutil.Process().children(recursive=True):
            try:
                if "multiprocessing.spawn" in " ".join(proc.cmdline()) and any(
                        "ipykernel_launcher" in " ".join(k.cmdline()) for k in proc.children()):
                    found.add(proc.pid)
            except psutil.Error:
                continue
        return found

    before = workers()
    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        result = run("render", *params_files, "--jobs", "2", "--out", str(tmp_path / "out"))
    finally:
        stop.set()
        killer.join(timeout=30)
    assert killed, "no worker lived long enough to be killed"
    # no worker of the broken pool is left behind: one blocked sending a result that nobody
    # reads would keep this process from ever exiting
    for _ in range(100):
        if not workers() - before:
            break
        time.sleep(0.1)
    assert not workers() - before
    rendered, skipped, failed = map(int, SUMMARY.search(result.output).groups())
    assert (rendered + failed, skipped) == (3, 0), result.output
    states = [json.loads(p.read_text(encoding="utf-8"))
              for p in (tmp_path / "out").rglob("render.json")]
    assert sorted(s["unit_code"] for s in states) == sorted(UNITS)
    for s in states:
        assert s["status"] == "rendered" or "dừng đột ngột" in s["error"]


def test_the_national_run_has_a_job_for_a_ward_whose_code_is_a_provinces(tmp_path):
    """Phường Giảng Võ (Hà Nội) has code 25, as tỉnh Phú Thọ: a commune report's unit is a
    commune, so a national selection makes its job instead of stopping on the ambiguity."""
    from cchc_lib import units
    from cchc_lib.batch.jobs import jobs_for_selection
    from cchc_lib.store import open_store
    from cchc_lib.synth import synth_submission

    store = tmp_path / "s.sqlite"
    with open_store(store) as st:
        st.ingest(synth_submission(units.get_unit("25", era="2025", level="commune"), "2026-Q1",
                                   seed=1))
    [job] = jobs_for_selection("2026-Q1", None, False, ("html",), tmp_path / "out", store=store)
    assert (job.unit_code, job.unit_name) == ("25", "phường Giảng Võ")
