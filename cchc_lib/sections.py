"""The sections of the report (I.1 … V), read from ``data/report_sections.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

__all__ = ["ReportSection", "report_sections", "free_text_keys"]


@dataclass(frozen=True)
class ReportSection:
    key: str
    level: int
    heading: str


@cache
def report_sections() -> tuple[ReportSection, ...]:
    """Every section of the report in printed order."""
    text = resources.files("cchc_lib").joinpath("data/report_sections.yaml").read_text("utf-8")
    return tuple(ReportSection(**row) for row in yaml.safe_load(text)["sections"])


def free_text_keys() -> tuple[str, ...]:
    """Keys of the sections whose free text a submission carries (every section but headings
    that only group sub-sections)."""
    keys = [s.key for s in report_sections()]
    return tuple(k for k in keys if not any(o.startswith(k + ".") for o in keys))
