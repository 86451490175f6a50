"""The kinds of notebook the batch renders, in one registry.

A kind knows its notebook file, the notebook's parameters (read from its ``parameters`` cell
through ``papermill.inspect_notebook``, defaults included: nothing is copied into code), the
source its data come from (:mod:`cchc_lib.sources`), how its outputs are named and titled, and
how its key figures read on the index page.  Adding a kind of report is adding one here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from cchc_lib import periods, units
from cchc_lib.errors import InputError
from cchc_lib.model import Period, Unit
from cchc_lib.sources import DistrictRef, Ref, SubmissionRef, TrendsRef

__all__ = ["ROOT", "Kind", "KINDS", "get_kind", "notebook_parameters"]

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"


@cache
def notebook_parameters(notebook: str) -> dict[str, dict]:
    """A notebook's parameters cell as papermill reads it: name → type name, default, help."""
    import papermill as pm

    return {k: dict(v) for k, v in pm.inspect_notebook(str(NOTEBOOK_DIR / notebook)).items()}


@dataclass(frozen=True)
class Kind:
    """One kind of report: a notebook and everything the batch needs to know about it."""

    name: str
    notebook: str  # file name in notebooks/
    label: str  # what the index calls it
    title_words: str  # the title's first words, before the period and the unit
    unit_parameter: str  # the parameter naming the unit the report is about
    suffix: str = ""  # after "<unit slug>_<period>" in file names
    own_folder: bool = False  # outputs in <period>/<stem>/ rather than <period>/<unit slug>/
    period_parameter: str = "period"  # the parameter naming the period the report is filed under

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / self.notebook

    def parameters(self) -> dict[str, dict]:
        return notebook_parameters(self.notebook)

    def value(self, parameters: Mapping[str, Any], key: str) -> Any:
        """A parameter as the notebook will see it: given, or the parameters cell's default."""
        if key in parameters:
            return parameters[key]
        return ast.literal_eval(self.parameters()[key]["default"])

    @property
    def for_parent(self) -> bool:
        """Whether the report is a district's or province's own (about the units under it)."""
        return self.unit_parameter == "parent"

    def uses_store(self, parameters: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def prepare(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """The parameters as the task will carry them, once their files are read (where the
        batch starts: a task needs no shared file system).  Nothing to do by default."""
        return parameters

    def source(self, parameters: Mapping[str, Any]) -> Ref:
        """What the report is made from (complete parameters: period and paths resolved)."""
        raise NotImplementedError

    def stem(self, unit: Unit, period: Period) -> str:
        return f"{units.slug(unit)}_{period.key}{self.suffix}"

    def folder(self, out_root: Path, unit: Unit, period: Period) -> Path:
        name = self.stem(unit, period) if self.own_folder else units.slug(unit)
        return out_root / period.key / name

    def title(self, unit: Unit, period: Period) -> str:
        return f"{self.title_words} {periods.label(period)} — {units.unit_title(unit)}"

    def figures_text(self, figures: Mapping[str, Any]) -> str:
        """The key figures (from the notebook's ``key-figures`` output) as the index shows them."""
        raise NotImplementedError


class CommuneReportKind(Kind):
    def uses_store(self, parameters):
        return self.value(parameters, "source") == "store"

    def source(self, parameters):
        return SubmissionRef.for_report(self.value(parameters, self.unit_parameter),
                                        parameters["period"],
                                        source=self.value(parameters, "source"),
                                        store=parameters.get("store") or None,
                                        workbook=parameters.get("workbook") or None)

    def figures_text(self, figures):
        from cchc_lib.formatting import fmt_percent

        parts = []
        if figures.get("on_time_rate") is not None:
            parts.append(f"hồ sơ đúng hạn {fmt_percent(figures['on_time_rate'], 1)}")
        if figures.get("tasks_rate") is not None:
            parts.append(f"nhiệm vụ hoàn thành {fmt_percent(figures['tasks_rate'], 1)}")
        return "; ".join(parts)


class DistrictOverviewKind(Kind):
    def uses_store(self, parameters):
        return True

    def source(self, parameters):
        return DistrictRef.for_overview(self.value(parameters, self.unit_parameter),
                                        parameters["period"],
                                        store=parameters.get("store") or None)

    def figures_text(self, figures):
        if not figures:
            return ""
        return (f"{figures.get('submitted', '?')}/{figures.get('expected', '?')} đơn vị đã nộp")


class ProvinceReportKind(DistrictOverviewKind):
    """The parent's own consolidated BÁO CÁO: the overview's data and the province's text."""

    def prepare(self, parameters):
        """Read and check the province's text file (``province_text``) now, and hand its
        content to the notebook as ``province_text_data``; an error names the file."""
        from cchc_lib.province_text import load_province_text, province_text_json

        path = parameters.get("province_text") or ""
        if path:
            path = str(Path(path).resolve())
            parameters = {**parameters, "province_text": path,
                          "province_text_data": province_text_json(load_province_text(path))}
        return parameters

    def figures_text(self, figures):
        if not figures:
            return ""
        return (f"tổng hợp từ {figures.get('submitted', '?')}/"
                f"{figures.get('expected', '?')} đơn vị")


class ProvinceTrendsKind(Kind):
    """A parent's units over a range of periods, filed under the last one (``period_to``)."""

    def uses_store(self, parameters):
        return True

    def prepare(self, parameters):
        """The first period as a canonical key (the last one is the job's period)."""
        key = periods.parse_period(self.value(parameters, "period_from")).key
        return {**parameters, "period_from": key}

    def source(self, parameters):
        return TrendsRef.for_trends(self.value(parameters, self.unit_parameter),
                                    self.value(parameters, "period_from"),
                                    parameters[self.period_parameter],
                                    store=parameters.get("store") or None)

    def title(self, unit, period):
        return f"{self.title_words} đến {periods.label(period)} — {units.unit_title(unit)}"

    def figures_text(self, figures):
        if not figures:
            return ""
        from cchc_lib.formatting import fmt_int

        return (f"{fmt_int(figures.get('periods', 0))} kỳ từ {figures.get('period_from', '?')}; "
                f"{fmt_int(figures.get('findings', 0))} phát hiện giữa các kỳ")


# In the order the index lists them within a period.
KINDS: dict[str, Kind] = {k.name: k for k in (
    CommuneReportKind("commune_report", "commune_report.ipynb", "Báo cáo xã", "Báo cáo CCHC",
                      "unit"),
    DistrictOverviewKind("district_overview", "district_overview.ipynb", "Tổng hợp",
                         "Tổng hợp CCHC", "parent", suffix="_tong-hop", own_folder=True),
    ProvinceReportKind("province_report", "province_report.ipynb", "Báo cáo tổng hợp",
                       "Báo cáo tổng hợp CCHC", "parent", suffix="_bao-cao", own_folder=True),
    ProvinceTrendsKind("province_trends", "province_trends.ipynb", "Diễn biến qua các kỳ",
                       "Diễn biến CCHC", "parent", suffix="_dien-bien", own_folder=True,
                       period_parameter="period_to"),
)}


def get_kind(name: str, *, origin: str | None = None) -> Kind:
    """The kind of a notebook name (``commune_report``); a clear error for another name."""
    try:
        return KINDS[name]
    except (KeyError, TypeError):
        raise InputError(f"notebook {name!r} không có; chọn một trong {', '.join(KINDS)}",
                         file=origin) from None
