"""cchc_lib: a commune's administrative-reform (CCHC) statistics to its periodic report.

The data flow (../shared/DESIGN.md): a workbook or CSV is read (:mod:`reader`) into a
:class:`~cchc_lib.model.Submission`, ingested into the SQLite store (:mod:`store`), checked
(:mod:`checks`, through the shared decisions of :mod:`judge`), read back through
:mod:`sources`, written up (:mod:`calc`, :mod:`narrative`, :mod:`charts`, :mod:`report`) by
the notebooks, and rendered in batch (:mod:`batch`).  Hand-written reports are audited by
:mod:`audit`.

The names below are the public API; they are imported on first use, so that ``import
cchc_lib`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module

__all__ = [
    "default_catalogue", "parse_period", "find_unit", "get_unit", "load_sample", "load_yaml",
    "read_workbook", "read_csv", "open_store", "run_checks", "load_commune_report",
    "load_overview", "audit_file",
]

_WHERE = {
    "default_catalogue": "catalogue", "parse_period": "periods", "find_unit": "units",
    "get_unit": "units", "load_sample": "serialize", "load_yaml": "serialize",
    "read_workbook": "reader", "read_csv": "reader", "open_store": "store",
    "run_checks": "checks", "load_commune_report": "report", "load_overview": "overview",
    "audit_file": "audit",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"cchc_lib.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'cchc_lib' has no attribute {name!r}")
