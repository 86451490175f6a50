"""The batch on Dask distributed: the same render task, on the workers of a cluster.

``cchc render … --executor dask [--scheduler ADDRESS]`` sends each
:class:`~cchc_lib.batch.worker.Task` to a Dask worker instead of a local process.  The task
carries its notebook and the snapshot of its data and returns the files' bytes, so a worker
needs the package installed (``pip install 'cchc[dask]'`` and the fonts of the PDF) but no
file system shared with the client: the client reads the store and writes the outputs, as it
does with the local pool (:func:`~cchc_lib.batch.pool.run_tasks` drives both).

Without an address, a :class:`distributed.LocalCluster` of worker processes is started on
this machine for the run and closed after it.  A worker lost in the middle of a task (killed,
out of memory, its machine gone) does not lose the unit: the scheduler gives the task to
another worker, and after ``distributed.scheduler.allowed-failures`` such losses (3 by
default) the task ends with ``KilledWorker``, which the batch records as that unit's failure.

``distributed`` is imported only here, and this module only when Dask is asked for.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from cchc_lib.batch.worker import Task, TaskResult, describe, run_task, stop_kernels
from cchc_lib.errors import CchcError

try:
    import distributed
except ImportError as exc:  # pragma: no cover - exercised where the extra is missing
    raise CchcError("Chạy bằng Dask (--executor dask) cần gói distributed: cài bằng "
                    "pip install 'cchc[dask]' (hoặc conda install distributed) trên máy này "
                    "và trên mọi máy trạm.") from exc

__all__ = ["DaskExecutor", "KernelCleanup", "CONNECT_TIMEOUT"]

# Seconds to reach the scheduler, and to wait for its first worker.
CONNECT_TIMEOUT = 30


class KernelCleanup(distributed.WorkerPlugin):
    """Stop a worker's kernels when the worker closes (its first task started them)."""

    name = "cchc-kernels"
    # registered once per worker: the next `cchc render` on a long-lived cluster finds the
    # kernels of the last one still warm (restart the workers after upgrading cchc)
    idempotent = True

    def teardown(self, worker) -> None:
        stop_kernels()


class DaskExecutor:
    """Tasks on the workers of the scheduler at ``scheduler``, or of a local cluster of
    ``workers`` processes (one thread each: one warm kernel each)."""

    def __init__(self, scheduler: str | None, workers: int):
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.cluster = None
        self.client = None
        self.slots = 2
        self._finished = None

    def __enter__(self) -> "DaskExecutor":
        try:
            if self.scheduler:
                self.client = distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT,
                                                 set_as_default=False)
            else:
                self.cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self.cluster, set_as_default=False)
            self.client.register_plugin(KernelCleanup(), name=KernelCleanup.name)
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - unreachable, no worker, cchc missing there
            self.close()
            where = f"bộ lập lịch Dask {self.scheduler}" if self.scheduler else "cụm Dask cục bộ"
            raise CchcError(f"Không dùng được {where}: {type(exc).__name__}: {exc}. Kiểm tra "
                            "địa chỉ (tcp://MÁY:8786), rằng dask scheduler đang chạy, có ít "
                            "nhất một dask worker đã kết nối và máy trạm đã cài cchc cùng phiên "
                            "bản.") from exc
        threads = sum(self.client.nthreads().values())
        self.slots = 2 * max(1, threads)  # each thread has the next task ready
        self._finished = distributed.as_completed(loop=self.client.loop)
        return self

    def submit(self, task: Task) -> "distributed.Future":
        # pure=False: the same task sent again (a retry) is a new computation, never a cache hit
        fut = self.client.submit(run_task, task, key=f"cchc-{task.stem}-{uuid.uuid4().hex[:8]}",
                                 pure=False)
        self._finished.add(fut)
        return fut

    def wait(self, handles) -> list:
        """The tasks that have finished, at least one (every handle was submitted here)."""
        return [next(self._finished), *self._finished.next_batch(block=False)]

    def result(self, fut) -> TaskResult:
        """The task's result; a lost worker, a cancelled task, as the unit's failure."""
        try:
            return fut.result()
        except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - the unit's failure
            return TaskResult("failed", error=describe(exc))
        finally:
            fut.release()  # the bytes are no longer needed on the cluster

    def close(self, *, cancel: bool = False) -> None:
        """Close the client (its tasks still pending are then dropped by the scheduler) and the
        cluster of our own, if any."""
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)
