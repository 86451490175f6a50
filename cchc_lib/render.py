"""Batch rendering: many (unit, period) reports, in parallel, incrementally, safely.

Each worker process keeps one warm Jupyter kernel (started once, its namespace
reset between reports), so a report costs its own work rather than a kernel
start and the imports of pandas and matplotlib.  papermill injects the
parameters; nbclient (papermill's engine) executes the cells; the worker then
exports HTML, PDF and DOCX in its own process (:mod:`cchc_lib.export`).

A unit is rendered again only when its inputs changed: the submission, the
notebook, the package, the parameters or the formats (a hash kept in
``render.json`` beside the outputs).  Every file is written under a temporary
name and renamed, ``render.json`` last, so an interrupted run leaves no
half-written file and the next run picks up where it stopped.  One unit's
failure fails that unit alone: its partial notebook is kept for diagnosis.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable

from cchc_lib import periods, units
from cchc_lib.errors import CchcError
from cchc_lib.params import ROOT, RenderParams, notebook_path
from cchc_lib.report import render_template

__all__ = ["Job", "Outcome", "make_job", "jobs_for_selection", "render_jobs", "write_index",
           "package_fingerprint", "STATE_FILE"]

STATE_FILE = "render.json"
# A commune report runs to 10–20 pages; far more means runaway text in the submission.
LONG_REPORT_PAGES = 60


class RenderError(CchcError):
    """A report that ran but must not be published (errors shown in its outputs)."""
# The files an index row links to, with the words a reader sees.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX",
               "check_html": "Phiếu kiểm tra (HTML)", "check_pdf": "Phiếu kiểm tra (PDF)"}


@dataclass(frozen=True)
class Job:
    """One report to render: its parameters, where it goes and the hash of its inputs."""

    params: RenderParams
    out_dir: str
    stem: str
    title: str
    unit_code: str
    unit_name: str
    period: str
    input_hash: str
    timeout: int = 600
    input_identity: str = ""  # what the report is made from, as hashed when the job was made


@dataclass(frozen=True)
class Outcome:
    """What became of a job: ``rendered``, ``skipped`` (unchanged) or ``failed``."""

    job: Job
    status: str
    files: dict[str, str] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    warnings: tuple[str, ...] = ()  # rendered, but a person should look (a very long PDF …)


# ------------------------------------------------------------------------------- hashing

@cache
def package_fingerprint() -> str:
    """The package's version and a hash of its code, data and templates."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("cchc")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ver = "0"
    h = hashlib.sha256(ver.encode())
    base = Path(__file__).resolve().parent
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(base)).encode())
        h.update(path.read_bytes())
    return f"{ver}+{h.hexdigest()[:16]}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _input_identity(params: RenderParams, store: Path) -> str:
    """What the report is made from: the stored revision, the sample or the workbook."""
    from cchc_lib.store import open_store

    p = params.parameters
    if params.notebook == "district_overview":
        period = periods.parse_period(p["period"])
        with open_store(store, create=False) as st:
            rows = [(i.unit_code, i.period, i.content_hash)
                    for key in (period.key, periods.previous(period).key)
                    for i in st.latest(key)]
        return _sha(json.dumps(sorted(rows)).encode())
    source = p.get("source", "sample")
    if source == "sample":
        from cchc_lib.serialize import sample_path

        return _sha(sample_path().read_bytes())
    if source == "workbook":
        path = Path(p.get("workbook", ""))
        return _sha(path.read_bytes()) if path.is_file() else "missing-workbook"
    unit = units.find_unit(str(p.get("unit")),
                           era=units.era_for(periods.parse_period(p["period"]).last_day))
    with open_store(store, create=False) as st:
        revs = st.revisions(unit.code, periods.parse_period(p["period"]).key)
    return revs[-1].content_hash if revs else "missing-submission"


def make_job(params: RenderParams, out_root: str | Path, *, store: str | Path | None = None,
             timeout: int = 600) -> Job:
    """A job for one params set; relative paths are made absolute, the store made explicit."""
    from cchc_lib.store import resolve_store_path

    p = dict(params.parameters)
    if "period" not in p:
        raise CchcError(f"{params.origin or 'tham số'}: thiếu kỳ báo cáo (period)")
    period = periods.parse_period(p["period"])
    era = units.era_for(period.last_day)
    store_path = Path(p.get("store") or resolve_store_path(store)).resolve()
    if "store" in p or params.notebook == "district_overview" or p.get("source") == "store":
        p["store"] = str(store_path)
    if p.get("workbook"):
        p["workbook"] = str(Path(p["workbook"]).resolve())
    p["period"] = period.key
    if params.notebook == "district_overview":
        unit = units.find_unit(str(p.get("parent", "661")), era=era)
        stem = f"{units.slug(unit)}_{period.key}_tong-hop"
        title = f"Tổng hợp CCHC {periods.label(period)} — {units.unit_title(unit)}"
    else:
        unit = units.find_unit(str(p.get("unit", "24622")), era=era)
        stem = f"{units.slug(unit)}_{period.key}"
        title = f"Báo cáo CCHC {periods.label(period)} — {units.unit_title(unit)}"
    params = replace(params, parameters=p)
    identity = {
        "input": _input_identity(params, store_path),
        "notebook": _sha(notebook_path(params.notebook).read_bytes()),
        "package": package_fingerprint(),
        "parameters": p,
        "formats": list(params.formats),
    }
    digest = _sha(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode())
    out_dir = Path(out_root).resolve() / period.key / stem.rsplit("_", 1)[0] \
        if params.notebook == "commune_report" else Path(out_root).resolve() / period.key / stem
    return Job(params, str(out_dir), stem, title, unit.code, units.unit_title(unit), period.key,
               digest, timeout, identity["input"])


def jobs_for_selection(period: str | None, parent: str | None, everything: bool,
                       formats: Iterable[str], out_root: str | Path,
                       store: str | Path | None = None, timeout: int = 600) -> list[Job]:
    """Jobs for every submission in the store for a period (under a parent), or all of them."""
    from cchc_lib.store import open_store, resolve_store_path

    store_path = resolve_store_path(store)
    with open_store(store_path, create=False) as st:
        infos = st.latest(None if everything else period)
    wanted: list[tuple[str, str]] = []
    parents: set[tuple[str, str]] = set()
    for info in infos:
        p = periods.parse_period(info.period)
        era = units.era_for(p.last_day)
        if parent is not None:
            top = units.find_unit(str(parent), era=era)
            unit = units.get_unit(info.unit_code, era=era)
            if top.code not in {u.code for u in units.ancestors(unit)}:
                continue
            parents.add((top.code, p.key))
        wanted.append((info.unit_code, info.period))
    if not wanted:
        where = f" dưới đơn vị {parent}" if parent else ""
        raise CchcError(f"Kho {store_path} chưa có báo cáo nào của kỳ {period}{where}.")
    formats = tuple(formats)
    jobs = [make_job(RenderParams("commune_report",
                                  {"unit": u, "period": per, "source": "store",
                                   "store": str(store_path)}, formats), out_root,
                     store=store_path, timeout=timeout) for u, per in wanted]
    jobs += [make_job(RenderParams("district_overview",
                                   {"parent": code, "period": per, "store": str(store_path)},
                                   formats), out_root, store=store_path, timeout=timeout)
             for code, per in sorted(parents)]
    return jobs


# ------------------------------------------------------------------------------- state

def _state_path(job: Job) -> Path:
    return Path(job.out_dir) / STATE_FILE


def _read_state(job: Job) -> dict | None:
    try:
        return json.loads(_state_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _up_to_date(job: Job) -> dict | None:
    state = _read_state(job)
    if not state or state.get("hash") != job.input_hash or state.get("status") != "rendered":
        return None
    if not all((Path(job.out_dir) / name).is_file() for name in state.get("files", {}).values()):
        return None
    return state


def _write_state(job: Job, outcome: Outcome, *, stale: bool = False) -> None:
    from cchc_lib.export import atomic_path

    # a report made while its inputs changed keeps no hash, so the next run makes it again
    state = {"hash": job.input_hash if outcome.status == "rendered" and not stale else None,
             "status": outcome.status, "notebook": job.params.notebook,
             "unit_code": job.unit_code, "unit": job.unit_name, "period": job.period,
             "files": outcome.files, "figures": outcome.figures, "error": outcome.error,
             "warnings": list(outcome.warnings),
             "seconds": round(outcome.seconds, 2), "timings": outcome.timings,
             "rendered_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with atomic_path(_state_path(job)) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")


# ------------------------------------------------------------------------------- the worker

class WarmKernel:
    """One Jupyter kernel kept alive across reports; its namespace is reset between them."""

    WARM_UP = ("%matplotlib inline\nimport pandas, matplotlib\n"
               "import cchc_lib.report, cchc_lib.overview, cchc_lib.charts")
    RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"

    def __init__(self, cwd: str):
        self.cwd = cwd
        self.km = None
        self.kc = None

    def _client(self, nb, timeout: int | None = None):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, kernel_name="python3", timeout=timeout,
                                startup_timeout=120,
                                resources={"metadata": {"path": self.cwd}})
        client.kc = self.kc
        return client

    def start(self) -> None:
        import nbformat

        client = self._client(nbformat.v4.new_notebook())
        client.km = client.create_kernel_manager()
        # the kernel's own chatter (TCP warnings) is not for the user: outputs carry the errors
        client.start_new_kernel(cwd=self.cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
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

    def run(self, nb, timeout: int):
        if not self.alive():
            self.start()
        self._run_code(self.RESET)
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


_KERNEL: WarmKernel | None = None


def _init_worker(cwd: str, parent_pid: int | None = None) -> None:
    global _KERNEL
    os.environ.setdefault("MPLBACKEND", "Agg")
    _KERNEL = WarmKernel(cwd)
    multiprocessing.util.Finalize(None, _KERNEL.stop, exitpriority=10)
    if parent_pid is not None:
        _watch_parent(parent_pid)
    _KERNEL.start()


def _watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    """End this worker (and its kernel, which watches us in turn) when the batch is gone.

    A ``kill -9`` of ``cchc render`` cannot run any clean-up in the batch process itself;
    without this the workers and their kernels would keep running for ever.
    """
    import threading

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                try:
                    if _KERNEL is not None:
                        _KERNEL.stop()
                finally:
                    os._exit(1)

    threading.Thread(target=watch, name="cchc-parent-watch", daemon=True).start()


def default_workers(per_worker_mb: int = 700) -> int:
    """Worker processes for this machine: one per core, but no more than memory allows.

    A worker with its kernel needs about 0.4–0.7 GB on ordinary reports; MemAvailable from
    /proc/meminfo bounds the count so that a small machine does not start swapping.
    """
    cores = os.cpu_count() or 1
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available_mb = int(line.split()[1]) // 1024
                return max(1, min(cores, available_mb // per_worker_mb))
    except (OSError, ValueError):
        pass
    return cores


def _notebook_errors(nb) -> list[str]:
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


def _changed_meanwhile(job: Job) -> bool:
    """Whether what the report is made from changed while it was being made (an ingest
    during the render): the report may then show either version."""
    if not job.input_identity:
        return False
    store = job.params.parameters.get("store")
    try:
        return _input_identity(job.params, Path(store) if store else None) != job.input_identity
    except CchcError:
        return True


def _figures(job: Job) -> dict[str, Any]:
    """Headline figures for the index page, computed by the library (not the kernel)."""
    p = job.params.parameters
    if job.params.notebook == "district_overview":
        from cchc_lib.overview import load_overview

        ov = load_overview(p.get("parent", "661"), job.period, store=p.get("store"))
        return {"submitted": len(ov.subs), "expected": len(ov.expected),
                "errors": sum(sum(f.severity == "error" for f in fs)
                              for fs in ov.findings.values())}
    from cchc_lib.report import load_commune_report

    report = load_commune_report(p.get("unit", "24622"), job.period,
                                 source=p.get("source", "sample"), store=p.get("store"),
                                 workbook=p.get("workbook") or None)
    return report.key_figures()


def render_job(job: Job) -> Outcome:
    """Execute one report notebook and export it (runs in a worker process)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from cchc_lib import export

    global _KERNEL
    if _KERNEL is None:  # called outside a pool (tests, --jobs 1 in-process)
        _init_worker(str(ROOT))
    start = time.perf_counter()
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    warnings: list[str] = []
    ipynb = out / f"{job.stem}.ipynb"
    try:
        nb = load_notebook_node(str(notebook_path(job.params.notebook)))
        nb = parameterize_notebook(nb, dict(job.params.parameters), kernel_name="python3",
                                   language="python")
        timings: dict[str, float] = {}
        lap = time.perf_counter()

        def phase(name: str) -> None:
            nonlocal lap
            now = time.perf_counter()
            timings[name] = round(now - lap, 3)
            lap = now

        try:
            nb = _KERNEL.run(nb, job.timeout)
        except BaseException:
            # keep what ran, with the error, for diagnosis; then a fresh kernel for the next
            with export.atomic_path(ipynb) as tmp:
                nbformat.write(nb, str(tmp))
            files["ipynb"] = ipynb.name
            _KERNEL.stop()
            raise
        phase("execute")
        with export.atomic_path(ipynb) as tmp:
            nbformat.write(nb, str(tmp))
        files["ipynb"] = ipynb.name
        shown_errors = _notebook_errors(nb)
        if shown_errors:
            raise RenderError("notebook chạy xong nhưng có lỗi khi hiển thị (báo cáo không được "
                              f"tạo để khỏi thiếu nội dung): {shown_errors[0]}")
        html = export.notebook_to_html(nb, job.title)
        if "html" in job.params.formats:
            with export.atomic_path(out / f"{job.stem}.html") as tmp:
                tmp.write_text(html, encoding="utf-8")
            files["html"] = f"{job.stem}.html"
        phase("html")
        if "pdf" in job.params.formats:
            pages = export.html_to_pdf(html, out / f"{job.stem}.pdf")
            if pages > LONG_REPORT_PAGES:
                warnings.append(f"báo cáo PDF dài {pages} trang (thường dưới 30): kiểm tra lại "
                                "phần thuyết minh và sổ văn bản của đơn vị")
            files["pdf"] = f"{job.stem}.pdf"
            phase("pdf")
        if "docx" in job.params.formats:
            export.notebook_to_docx(nb, out / f"{job.stem}.docx", title=job.title)
            files["docx"] = f"{job.stem}.docx"
            phase("docx")
        findings = export.notebook_findings(nb)
        if findings is not None:
            # the check sheet: for the clerk, beside the report, never inside it
            sheet = export.check_sheet_html(findings, report_name=f"{job.stem}.pdf"
                                            if "pdf" in job.params.formats else "")
            with export.atomic_path(out / f"{job.stem}_phieu-kiem-tra.html") as tmp:
                tmp.write_text(sheet, encoding="utf-8")
            files["check_html"] = f"{job.stem}_phieu-kiem-tra.html"
            if "pdf" in job.params.formats:
                export.html_to_pdf(sheet, out / f"{job.stem}_phieu-kiem-tra.pdf")
                files["check_pdf"] = f"{job.stem}_phieu-kiem-tra.pdf"
            phase("check_sheet")
        figures = _figures(job)
        phase("figures")
        stale = _changed_meanwhile(job)
        if stale:
            warnings.append("số liệu của đơn vị thay đổi trong lúc tạo báo cáo; lần chạy sau "
                            "sẽ tạo lại báo cáo này")
        outcome = Outcome(job, "rendered", files, "", time.perf_counter() - start, figures,
                          timings, tuple(warnings))
        _write_state(job, outcome, stale=stale)
        return outcome
    except Exception as exc:  # noqa: BLE001 - one unit's failure must not stop the batch
        outcome = Outcome(job, "failed", files, _describe(exc), time.perf_counter() - start)
    _write_state(job, outcome)
    return outcome


def _describe(exc: BaseException) -> str:
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
    return f"{name}: {text}"[:500]


# ------------------------------------------------------------------------------- the batch

def render_jobs(jobs: list[Job], *, workers: int = 0, force: bool = False,
                on_progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Render the jobs that changed (all with ``force``), ``workers`` at a time."""
    outcomes: list[Outcome] = []
    todo = []
    for job in jobs:
        state = None if force else _up_to_date(job)
        if state is not None:
            outcome = Outcome(job, "skipped", state.get("files", {}), "", 0.0,
                              state.get("figures", {}))
            outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
        else:
            todo.append(job)
    if not todo:
        return outcomes
    from cchc_lib.export import remove_stale_temporaries

    for folder in {Path(job.out_dir) for job in todo} | {Path(job.out_dir).parent.parent
                                                         for job in todo}:
        if folder.is_dir():
            remove_stale_temporaries(folder)  # what a killed run left half-written
    workers = max(1, min(workers or default_workers(), len(todo)))
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(str(ROOT), os.getpid()))
    try:
        futures = {pool.submit(render_job, job): job for job in todo}
        for fut in as_completed(futures):
            try:
                outcome = replace(fut.result(), job=futures[fut])  # the caller's own job object
            except Exception as exc:  # noqa: BLE001 - a worker that died takes only its unit
                outcome = Outcome(futures[fut], "failed", {}, _describe(exc))
            outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    order = {id(j): n for n, j in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[id(o.job)])


def write_index(outcomes: list[Outcome], out_root: str | Path) -> Path:
    """``outputs/index.html``: every report of the run, its key figures, errors and links."""
    from cchc_lib.export import atomic_path
    from cchc_lib.formatting import fmt_percent

    root = Path(out_root).resolve()
    rows = []
    for o in sorted(outcomes, key=lambda o: (o.job.period, o.job.params.notebook != "commune_report",
                                             o.job.unit_code)):
        rel = Path(o.job.out_dir).relative_to(root)
        f = o.figures
        if o.job.params.notebook == "district_overview":
            kind = "Tổng hợp"
            figures = (f"{f.get('submitted', '?')}/{f.get('expected', '?')} đơn vị đã nộp"
                       if f else "")
        else:
            kind = "Báo cáo xã"
            parts = []
            if f.get("on_time_rate") is not None:
                parts.append(f"hồ sơ đúng hạn {fmt_percent(f['on_time_rate'], 1)}")
            if f.get("tasks_rate") is not None:
                parts.append(f"nhiệm vụ hoàn thành {fmt_percent(f['tasks_rate'], 1)}")
            figures = "; ".join(parts)
        rows.append({
            "unit": o.job.unit_name, "unit_code": o.job.unit_code, "kind": kind,
            "period": periods.label(periods.parse_period(o.job.period)),
            "figures": figures, "errors": f.get("errors", ""),
            "illustrative": bool(f.get("illustrative")),
            "status": {"rendered": "đã tạo", "skipped": "không đổi", "failed": "LỖI"}[o.status],
            "failed": o.status == "failed", "error": o.error,
            "links": [(LINK_LABELS[fmt], f"{rel.as_posix()}/{name}")
                      for fmt, name in o.files.items() if fmt in LINK_LABELS],
            "notebook": f"{rel.as_posix()}/{o.files['ipynb']}" if "ipynb" in o.files else "",
        })
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    html = render_template("index.html.j2", rows=rows, counts=counts,
                           generated=datetime.now().strftime("%d/%m/%Y %H:%M"))
    target = root / "index.html"
    with atomic_path(target) as tmp:
        tmp.write_text(str(html), encoding="utf-8")
    return target


def outcome_dict(o: Outcome) -> dict:
    """A JSON-friendly view of an outcome (for ``--format json`` and tests)."""
    d = asdict(o)
    d["job"] = {k: v for k, v in d["job"].items() if k != "params"}
    return d
