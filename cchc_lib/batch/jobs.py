"""Render jobs: what to make (a notebook kind with its parameters), where, and the hash of
everything it is made from.

A job's hash covers what the report is made from (:meth:`~cchc_lib.sources.SubmissionRef.
identity`, earlier periods included), the notebook, the package, the parameters and the
formats: a report is made again when, and only when, one of them changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Iterable

from cchc_lib import periods, units
from cchc_lib.batch.kinds import get_kind
from cchc_lib.batch.params import RenderParams
from cchc_lib.errors import CchcError
from cchc_lib.sources import Ref, StoreCache

__all__ = ["Job", "make_job", "jobs_for_selection", "package_fingerprint", "PARENT_NOTEBOOKS"]


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
    source: Ref | None = None  # … and where to read it

    @property
    def kind(self):
        return get_kind(self.params.notebook)


@cache
def package_fingerprint() -> str:
    """The package's version and a hash of its code, data and templates."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("cchc")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ver = "0"
    h = hashlib.sha256(ver.encode())
    base = Path(__file__).resolve().parent.parent
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(base)).encode())
        h.update(path.read_bytes())
    return f"{ver}+{h.hexdigest()[:16]}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_job(params: RenderParams, out_root: str | Path, *, store: str | Path | None = None,
             timeout: int = 600, stores: StoreCache | None = None) -> Job:
    """A job for one params set; relative paths are made absolute, the store made explicit.

    ``store`` is the store for parameters that name none; ``stores`` keeps stores open across
    many jobs (a selection), so that each is opened once.
    """
    from cchc_lib.store import resolve_store_path

    kind = get_kind(params.notebook, origin=params.origin or None)
    p = dict(params.parameters)
    key = kind.period_parameter
    if key not in p:
        raise CchcError(f"{params.origin or 'tham số'}: thiếu kỳ báo cáo ({key})")
    period = periods.parse_period(p[key])
    store_path = Path(p.get("store") or resolve_store_path(store)).resolve()
    if "store" in p or kind.uses_store(p):
        p["store"] = str(store_path)
    if p.get("workbook"):
        p["workbook"] = str(Path(p["workbook"]).resolve())
    p[key] = period.key
    p = kind.prepare(p)
    ref = kind.source(p)
    unit = ref.unit_record()
    params = replace(params, parameters=p)
    identity = {
        "input": ref.identity(stores),
        "notebook": _sha(kind.path.read_bytes()),
        "package": package_fingerprint(),
        "parameters": p,
        "formats": list(params.formats),
    }
    digest = _sha(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode())
    out_dir = kind.folder(Path(out_root).resolve(), unit, period)
    return Job(params, str(out_dir), kind.stem(unit, period), kind.title(unit, period), unit.code,
               units.unit_title(unit), period.key, digest, timeout, identity["input"], ref)


# The parent's own reports, made for each (parent, period) of a selection by --parent.
PARENT_NOTEBOOKS = ("district_overview", "province_report")


def jobs_for_selection(period: str | None, parent: str | None, everything: bool,
                       formats: Iterable[str], out_root: str | Path,
                       store: str | Path | None = None, timeout: int = 600, *,
                       province_text: str | Path | None = None) -> list[Job]:
    """Jobs for every submission in the store for a period (under a parent), or all of them,
    and, with a parent, the parent's overview and its own consolidated report for each period;
    the store is opened once for all of them.

    ``province_text`` is the parent's own text for its consolidated report (a YAML file,
    :mod:`cchc_lib.province_text`); without it the report leaves those parts for the province
    to write.
    """
    from cchc_lib.store import resolve_store_path

    store_path = resolve_store_path(store)
    with StoreCache() as stores:
        infos = stores.get(store_path).latest(None if everything else period)
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
                         store=store_path, timeout=timeout, stores=stores)
                for u, per in wanted]
        text = {"province_text": str(province_text)} if province_text else {}
        jobs += [make_job(RenderParams(notebook,
                                       {"parent": code, "period": per, "store": str(store_path),
                                        **(text if notebook == "province_report" else {})},
                                       formats), out_root,
                          store=store_path, timeout=timeout, stores=stores)
                 for code, per in sorted(parents) for notebook in PARENT_NOTEBOOKS]
    return jobs
