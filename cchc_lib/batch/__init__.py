"""Batch rendering: many (unit, period) reports, in parallel, incrementally, safely.

The modules, in the order a run goes through them:

- :mod:`~cchc_lib.batch.kinds`: the registry of notebook kinds (commune report, overview,
  the province's consolidated report);
- :mod:`~cchc_lib.batch.params`: params files, checked against the notebook's parameters cell;
- :mod:`~cchc_lib.batch.jobs`: a job per report, with the hash of what it is made from;
- :mod:`~cchc_lib.batch.state`: ``render.json``, and whether a job is up to date;
- :mod:`~cchc_lib.batch.worker`: the self-contained task (notebook and data in, bytes out);
- :mod:`~cchc_lib.batch.pool`: the process pool, the writing of outputs, the progress;
- :mod:`~cchc_lib.batch.cluster`: the same tasks on Dask distributed (``--executor dask``);
- :mod:`~cchc_lib.batch.export`: HTML, PDF, DOCX and the check sheet, as bytes;
- :mod:`~cchc_lib.batch.index` and :mod:`~cchc_lib.batch.matrix`: the cumulative
  ``index.html`` (every report on disk, every expected unit in the store).

The names below are imported on first use, so that ``import cchc_lib.batch`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["RenderParams", "load_params_file", "make_job", "jobs_for_selection", "render_jobs",
           "write_index", "FORMATS"]

_WHERE = {"RenderParams": "params", "load_params_file": "params", "make_job": "jobs",
          "jobs_for_selection": "jobs", "render_jobs": "pool", "write_index": "index",
          "FORMATS": "export"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"cchc_lib.batch.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'cchc_lib.batch' has no attribute {name!r}")
