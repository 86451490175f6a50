"""The render task, as a worker runs it: a parameterised notebook and the data it reads in,
the files' bytes and the key figures out.

A task carries everything it needs (:class:`Task`): the notebook with its parameters injected
and a :class:`~cchc_lib.sources.Snapshot` of its data.  The worker hands the snapshot to its
kernel, executes the notebook there, and exports HTML, PDF, DOCX and the check sheet in its
own process; it returns their bytes and the figures the notebook's ``key-figures`` cell
displayed (:class:`TaskResult`) and writes nothing under the outputs folder.  So the same
task runs in a local process pool (:mod:`~cchc_lib.batch.pool`) or on a Dask worker that
shares no file system with the batch (:mod:`~cchc_lib.batch.cluster`).

Each worker keeps one warm Jupyter kernel per thread that runs tasks (started on first use, its
namespace reset between reports), so a report costs its own work rather than a kernel start
and the imports of pandas and matplotlib.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from cchc_lib.errors import CchcError, RenderError
from cchc_lib.sources import Snapshot

__all__ = ["Task", "TaskResult", "WarmKernel", "init_worker", "stop_kernels", "run_task",
           "notebook_errors", "describe", "LONG_REPORT_PAGES"]

# A commune report runs to 10–20 pages; far more means runaway text in the submission.
LONG_REPORT_PAGES = 60


@dataclass(frozen=True)
class Task:
    """One report to make, self-contained: no path in it needs to exist where it runs."""

    notebook: str  # the notebook with its parameters injected (nbformat JSON)
    snapshot: Snapshot  # what the notebook reads
    stem: str  # the output files' name, without extension
    title: str
    formats: tuple[str, ...]
    timeout: int = 600


@dataclass(frozen=True)
class TaskResult:
    """What a task made: ``(key, file name, bytes)`` in the order to write, and the figures."""

    status: str  # "rendered" or "failed"
    files: tuple[tuple[str, str, bytes], ...] = ()
    figures: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


class WarmKernel:
    """One Jupyter kernel kept alive across reports; its namespace is reset between them."""

    # The imports every report uses; then what they made is frozen out of the garbage
    # collector's sight, so that the collection between reports looks at the reports' objects only.
    WARM_UP = ("%matplotlib inline\nimport pandas, matplotlib\n"
               "import cchc_lib.report, cchc_lib.overview, cchc_lib.charts\n"
               "import gc\ngc.collect()\ngc.freeze()\ndel gc")
    # Between reports: a new namespace and a new history session (execution counts start at 1,
    # so a report's notebook does not depend on the reports its worker made before); as
    # ``%reset -f`` but without its walk over every output number the kernel ever showed, which
    # grew with each report; the last report's figures (reference cycles) are collected.
    RESET = ("def _cchc_reset(ip=get_ipython()):\n"
             "    hook = ip.displayhook\n"
             "    hook.do_full_cache = False\n"
             "    try:\n"
             "        ip.reset(new_session=True)\n"
             "    finally:\n"
             "        hook.do_full_cache = True\n"
             "    hook._ = hook.__ = hook.___ = ''\n"
             "    import gc, matplotlib.pyplot\n"
             "    matplotlib.pyplot.close('all')\n"
             "    gc.collect()\n"
             "_cchc_reset()")  # the reset removes the function's name too

    def __init__(self, cwd: str):
        self.cwd = cwd
        self.km = None
        self.kc = None
        self._launched = None  # a client whose kernel is booting

    def _client(self, nb, timeout: int | None = None):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, kernel_name="python3", timeout=timeout,
                                startup_timeout=120,
                                resources={"metadata": {"path": self.cwd}})
        client.kc = self.kc
        return client

    def start(self) -> None:
        self.launch()
        self.connect()

    def launch(self) -> None:
        """Start the kernel's process (it boots on its own meanwhile: see :meth:`connect`)."""
        import nbformat

        self.stop()
        client = self._client(nbformat.v4.new_notebook())
        client.km = client.create_kernel_manager()
        # the kernel's own chatter (TCP warnings) is not for the user: outputs carry the errors
        client.start_new_kernel(cwd=self.cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self._launched = client

    def connect(self) -> None:
        """Wait for the launched kernel, then import there what every report uses."""
        client, self._launched = self._launched, None
        client.start_new_kernel_client()
        self.km, self.kc = client.km, client.kc
        self._run_code(self.WARM_UP)

    def _run_code(self, code: str) -> None:
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        self._client(nb, timeout=120).execute()

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return self.km is not None and bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a broken manager counts as dead
            return False

    def run(self, nb, timeout: int, *, snapshot_file: str | None = None):
        """Execute ``nb`` in a clean namespace; ``load()`` there uses the snapshot in the file."""
        if not self.alive():
            self.start()
        provide = (f"_s.provide_file({snapshot_file!r})" if snapshot_file
                   else "_s.provide(None)")
        self._run_code(f"{self.RESET}\nimport cchc_lib.sources as _s\n{provide}\ndel _s")
        client = self._client(nb, timeout=timeout)
        return client.execute()

    def stop(self) -> None:
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if self.km is not None:
            from jupyter_core.utils import run_sync

            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
        self.km = self.kc = None


# One kernel per thread that runs tasks (a process-pool worker has one such thread, a Dask
# worker one per ``--nthreads``), and every kernel of this process, to stop them at its end.
_THREAD = threading.local()
_KERNELS: list[WarmKernel] = []
_KERNELS_LOCK = threading.Lock()


def _kernel(cwd: str | None = None) -> WarmKernel:
    """This thread's kernel, made (not started) on first use."""
    kernel = getattr(_THREAD, "kernel", None)
    if kernel is None:
        if cwd is None:
            from cchc_lib.batch.kinds import ROOT

            cwd = str(ROOT)
        os.environ.setdefault("MPLBACKEND", "Agg")
        kernel = _THREAD.kernel = WarmKernel(cwd)
        with _KERNELS_LOCK:
            if not _KERNELS:
                multiprocessing.util.Finalize(None, stop_kernels, exitpriority=10)
            _KERNELS.append(kernel)
    return kernel


def stop_kernels() -> None:
    """Stop every kernel this process started (at its end, or when a Dask worker closes)."""
    with _KERNELS_LOCK:
        kernels = list(_KERNELS)
    for kernel in kernels:
        kernel.stop()


# A worker's first kernel start and warm-up, one thread at a time: two threads importing the
# same packages at once can see one of them half initialised.
_START_LOCK = threading.Lock()


def _without_slow_optional_imports() -> None:
    """Spare this worker the import of rfc3987-syntax, which jsonschema (through nbformat)
    imports when it is installed: it builds some thirty Earley parsers at import, 0.7 s of
    every worker's start, for IRI formats that no notebook schema uses
    (python-jsonschema/jsonschema#1428).  jsonschema then goes without that format checker."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _start(kernel: WarmKernel, formats: tuple[str, ...]) -> None:
    """Start ``kernel``; while its process boots, warm this thread's exporters of ``formats``
    (the first report then costs what the next ones do)."""
    _without_slow_optional_imports()
    from cchc_lib.batch.export import warm_up

    with _START_LOCK:
        kernel.launch()
        if formats:
            warm_up(formats)
        kernel.connect()


def init_worker(cwd: str, parent_pid: int | None = None,
                formats: tuple[str, ...] = ()) -> None:
    """Start this worker's kernel and warm its exporters of ``formats``; with ``parent_pid``,
    end with the batch that started us."""
    kernel = _kernel(cwd)
    if parent_pid is not None:
        _watch_parent(parent_pid)
    _start(kernel, formats)


def _watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    """End this worker (and its kernel, which watches us in turn) when the batch is gone.

    A ``kill -9`` of ``cchc render`` cannot run any clean-up in the batch process itself;
    without this the workers and their kernels would keep running for ever.
    """
    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                try:
                    stop_kernels()
                finally:
                    os._exit(1)

    threading.Thread(target=watch, name="cchc-parent-watch", daemon=True).start()


def notebook_errors(nb) -> list[str]:
    """Errors a notebook shows in its outputs although it ran to the end (an exception while
    displaying a chart is printed, not raised): a report must not be published with them."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip())
            elif out.get("output_type") == "stream" and out.get("name") == "stderr" \
                    and "Traceback (most recent call last)" in "".join(out.get("text", "")):
                lines = [ln for ln in "".join(out["text"]).splitlines() if ln.strip()]
                found.append(lines[-1] if lines else "Traceback")
    return found


def describe(exc: BaseException) -> str:
    """One readable line for a failure: the notebook's own error when there is one."""
    name = type(exc).__name__
    text = str(exc).strip()
    if isinstance(exc, CchcError):
        return text[:500]
    if name == "CellExecutionError":
        lines = [ln for ln in text.splitlines() if ln.strip()]
        text = lines[-1] if lines else text
    elif name in ("CellTimeoutError", "TimeoutError"):
        return "Quá thời gian cho phép (--timeout) khi chạy notebook"
    elif name == "DeadKernelError":
        return "Kernel dừng đột ngột khi chạy notebook"
    elif name == "BrokenProcessPool":
        return ("Tiến trình tạo báo cáo dừng đột ngột (hết bộ nhớ hoặc bị dừng) khi làm báo cáo "
                "này, kể cả khi thử lại")
    elif name == "KilledWorker":
        return ("Máy trạm Dask dừng đột ngột (hết bộ nhớ, bị dừng hoặc mất kết nối) mỗi lần "
                "làm báo cáo này; đã thử lại trên máy trạm khác")
    elif name in ("CancelledError", "FutureCancelledError"):
        return "Việc tạo báo cáo bị hủy (cụm Dask dừng hoặc mất kết nối với bộ lập lịch)"
    return f"{name}: {text}"[:500]


@contextmanager
def _snapshot_file(snapshot: Snapshot) -> Iterator[str]:
    """The snapshot in a private file of this machine, for the kernel; removed afterwards."""
    fd, path = tempfile.mkstemp(prefix="cchc-snapshot-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(snapshot.to_json())
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


def _ipynb(nb) -> bytes:
    import nbformat

    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def run_task(task: Task) -> TaskResult:
    """Execute one report notebook and export it: the files' bytes and the key figures."""
    import nbformat

    from cchc_lib.batch import export

    start = time.perf_counter()
    files: list[tuple[str, str, bytes]] = []
    warnings: list[str] = []
    timings: dict[str, float] = {}
    lap = start

    def phase(name: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        timings[name] = round(now - lap, 3)
        lap = now

    stem = task.stem
    try:
        kernel = _kernel()
        if not kernel.alive():  # started by init_worker in a pool; here on a Dask worker
            _start(kernel, task.formats)
        nb = nbformat.reads(task.notebook, as_version=4)
        with _snapshot_file(task.snapshot) as path:
            try:
                nb = kernel.run(nb, task.timeout, snapshot_file=path)
            except BaseException:
                # keep what ran, with the error, for diagnosis; then a fresh kernel for the next
                files.append(("ipynb", f"{stem}.ipynb", _ipynb(nb)))
                kernel.stop()
                raise
        phase("execute")
        files.append(("ipynb", f"{stem}.ipynb", _ipynb(nb)))
        shown_errors = notebook_errors(nb)
        if shown_errors:
            raise RenderError("notebook chạy xong nhưng có lỗi khi hiển thị (báo cáo không được "
                              f"tạo để khỏi thiếu nội dung): {shown_errors[0]}")
        html = export.notebook_to_html(nb, task.title)
        if "html" in task.formats:
            files.append(("html", f"{stem}.html", html.encode("utf-8")))
        phase("html")
        if "pdf" in task.formats:
            pdf, pages = export.html_to_pdf(html)
            if pages > LONG_REPORT_PAGES:
                warnings.append(f"báo cáo PDF dài {pages} trang (thường dưới 30): kiểm tra lại "
                                "phần thuyết minh và sổ văn bản của đơn vị")
            files.append(("pdf", f"{stem}.pdf", pdf))
            phase("pdf")
        if "docx" in task.formats:
            files.append(("docx", f"{stem}.docx", export.notebook_to_docx(nb, title=task.title)))
            phase("docx")
        findings = export.notebook_findings(nb)
        if findings is not None:
            # the check sheet: for the clerk, beside the report, never inside it
            sheet = export.check_sheet_html(findings, report_name=f"{stem}.pdf"
                                            if "pdf" in task.formats else "")
            files.append(("check_html", f"{stem}_phieu-kiem-tra.html", sheet.encode("utf-8")))
            if "pdf" in task.formats:
                files.append(("check_pdf", f"{stem}_phieu-kiem-tra.pdf",
                              export.html_to_pdf(sheet)[0]))
            phase("check_sheet")
        return TaskResult("rendered", tuple(files), export.notebook_figures(nb), "",
                          tuple(warnings), timings, time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one unit's failure must not stop the batch
        return TaskResult("failed", tuple(files), {}, describe(exc), (), timings,
                          time.perf_counter() - start)
