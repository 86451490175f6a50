"""The batch: many render tasks in parallel worker processes, incrementally, safely.

For each job that changed (:func:`~cchc_lib.batch.state.up_to_date`), the client reads what the
report is made from (one :class:`~cchc_lib.sources.Snapshot`, the store opened once for the
whole batch), injects the parameters into the notebook and sends both as a self-contained
:class:`~cchc_lib.batch.worker.Task`.  Workers return the files' bytes and the key figures; the
client writes every file under a temporary name and renames it, ``render.json`` last, so an
interrupted run leaves no half-written file and the next run picks up where it stopped.  One
unit's failure fails that unit alone: its partial notebook is kept for diagnosis.

The tasks run in worker processes on this machine (:class:`LocalExecutor`, the default) or on
a Dask cluster (:class:`~cchc_lib.batch.cluster.DaskExecutor`); :func:`run_tasks` drives
either the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from cchc_lib.batch.jobs import Job
from cchc_lib.batch.kinds import ROOT
from cchc_lib.batch.state import Outcome, up_to_date, write_state
from cchc_lib.batch.worker import Task, TaskResult, describe, init_worker, run_task
from cchc_lib.errors import CchcError
from cchc_lib.files import atomic_path, remove_stale_temporaries
from cchc_lib.sources import StoreCache

__all__ = ["EXECUTORS", "default_workers", "make_task", "record", "render_job", "render_jobs",
           "run_tasks", "LocalExecutor", "WorkerLost"]

# How tasks are run: worker processes on this machine, or the workers of a Dask cluster.
EXECUTORS = ("local", "dask")

STALE_WARNING = ("số liệu của đơn vị thay đổi trong lúc tạo báo cáo; lần chạy sau sẽ tạo lại "
                 "báo cáo này")


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


def make_task(job: Job, stores: StoreCache | None = None) -> tuple[Task, bool]:
    """The job as a self-contained task, and whether its data changed since the job was made
    (the report then shows other data than the job's hash describes)."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.kind.path))
    nb = parameterize_notebook(nb, dict(job.params.parameters), kernel_name="python3",
                               language="python")
    snapshot = job.source.read(stores, capture=True)
    task = Task(nbformat.writes(nb), snapshot, job.stem, job.title, tuple(job.params.formats),
                job.timeout)
    return task, bool(job.input_identity) and snapshot.identity != job.input_identity


def record(job: Job, result: TaskResult, *, stale: bool = False) -> Outcome:
    """Write what a task made beside the job's other outputs, ``render.json`` last."""
    start = time.perf_counter()
    out = Path(job.out_dir)
    files: dict[str, str] = {}
    for key, name, data in result.files:
        with atomic_path(out / name) as tmp:
            tmp.write_bytes(data)
        files[key] = name
    stale = stale and result.status == "rendered"
    warnings = result.warnings + ((STALE_WARNING,) if stale else ())
    timings = {**result.timings, "write": round(time.perf_counter() - start, 3)}
    outcome = Outcome(job, result.status, files, result.error,
                      result.seconds + time.perf_counter() - start, result.figures, timings,
                      warnings)
    write_state(outcome, stale=stale)
    return outcome


def _failed(job: Job, exc: BaseException) -> Outcome:
    return record(job, TaskResult("failed", error=describe(exc)))


def render_job(job: Job) -> Outcome:
    """Render one job in this process (its kernel started on first use): tests, debugging."""
    try:
        with StoreCache() as stores:
            task, stale = make_task(job, stores)
    except Exception as exc:  # noqa: BLE001 - reported as the job's failure
        return _failed(job, exc)
    return record(job, run_task(task), stale=stale)


def render_jobs(jobs: list[Job], *, workers: int = 0, force: bool = False,
                on_progress: Callable[[Outcome], None] | None = None,
                executor: str = "local", scheduler: str | None = None) -> list[Outcome]:
    """Render the jobs that changed (all with ``force``), ``workers`` at a time.

    ``executor`` is ``"local"`` (worker processes on this machine, the default) or ``"dask"``
    (the workers of the Dask scheduler at ``scheduler``; without one, a local Dask cluster of
    ``workers`` processes, :mod:`~cchc_lib.batch.cluster`).  Both run the same task; every job
    comes back as one outcome, rendered, skipped or failed.
    """
    if executor not in EXECUTORS:
        raise CchcError(f"Cách chạy {executor!r} không có; chọn một trong {', '.join(EXECUTORS)}")
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)

    todo = []
    for job in jobs:
        state = None if force else up_to_date(job)
        if state is not None:
            done(Outcome(job, "skipped", state.get("files", {}), "", 0.0,
                         state.get("figures", {})))
        else:
            todo.append(job)
    if todo:
        for folder in {Path(job.out_dir) for job in todo} | {Path(job.out_dir).parent.parent
                                                             for job in todo}:
            if folder.is_dir():
                remove_stale_temporaries(folder)  # what a killed run left half-written
        n = max(1, min(workers or default_workers(), len(todo)))
        formats = tuple(sorted({f for job in todo for f in job.params.formats}))
        if executor == "dask":
            from cchc_lib.batch.cluster import DaskExecutor

            # n: the workers of a cluster of its own, on this machine
            runner = DaskExecutor(scheduler, n)
        else:
            runner = LocalExecutor(n, formats)
        run_tasks(todo, runner, done)
    order = {id(j): n for n, j in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[id(o.job)])


class WorkerLost(Exception):
    """The process running a task ended before the task did (it is sent again, once)."""


class LocalExecutor:
    """Spawned worker processes on this machine, each with its warm kernel.

    A worker that dies (out of memory, killed) breaks a process pool for every task in it: the
    pool is started again and the tasks that were in it are sent again (:class:`WorkerLost`).
    """

    def __init__(self, workers: int, formats: tuple[str, ...] = ()):
        self.workers = workers
        self.formats = formats  # what the workers warm up while their kernels start
        self.slots = 2 * workers  # tasks in flight: each worker has the next one ready
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "LocalExecutor":
        self._start()
        return self

    def _start(self) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, initargs=(str(ROOT), os.getpid(), self.formats))

    def submit(self, task: Task):
        fut = self._pool.submit(run_task, task)
        fut.pool = self._pool  # which pool it went to: a broken one is replaced only once
        return fut

    def wait(self, handles) -> set:
        return wait(handles, return_when=FIRST_COMPLETED).done

    def result(self, fut) -> TaskResult:
        """The task's result; an error outside the task's own handling as the unit's failure;
        a dead worker as :class:`WorkerLost`."""
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            if fut.pool is self._pool:  # the first of its tasks to tell: a new pool
                _kill_workers(self._pool)
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._start()
            raise WorkerLost(describe(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - this unit fails, alone
            return TaskResult("failed", error=describe(exc))

    def close(self, *, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers a broken pool still has.  One of them can be blocked for ever sending a
    result that nobody reads any more, and the pool's manager thread then waits for it for ever
    (so would this process, at its exit).  ``_processes`` is the pool's own record of them."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.kill()


def run_tasks(todo: list[Job], runner, done: Callable[[Outcome], None], *,
              attempts: int = 2) -> None:
    """Keep ``runner.slots`` tasks in flight on ``runner`` (:class:`LocalExecutor` or
    :class:`~cchc_lib.batch.cluster.DaskExecutor`) and record each result as it comes.

    Tasks are made just before they are sent (a few ahead), so the snapshots of a large batch
    are not all held in memory at once.  A task whose worker was lost is sent again, up to
    ``attempts`` times in all, then recorded as failed: every job ends with an outcome.
    """
    queue = iter(todo)
    pending: dict = {}
    with runner, StoreCache() as stores:
        def send(job: Job, task: Task, stale: bool, tries: int) -> None:
            pending[runner.submit(task)] = (job, task, stale, tries)

        def submit_next() -> bool:
            for job in queue:
                try:
                    task, stale = make_task(job, stores)
                except Exception as exc:  # noqa: BLE001 - this job fails, alone
                    done(_failed(job, exc))
                    continue
                send(job, task, stale, 1)
                return True
            return False

        while len(pending) < runner.slots and submit_next():
            pass
        while pending:
            for handle in runner.wait(list(pending)):
                job, task, stale, tries = pending.pop(handle)
                try:
                    result = runner.result(handle)
                except WorkerLost as lost:
                    if tries < attempts:
                        send(job, task, stale, tries + 1)
                        continue
                    result = TaskResult("failed", error=str(lost))
                done(record(job, result, stale=stale))
                while len(pending) < runner.slots and submit_next():
                    pass
