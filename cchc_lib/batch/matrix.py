"""What the cumulative index shows: every report on disk and every unit the store expects, as
a matrix of units × periods under each parent (the district before 1 July 2025, the province
since), whatever run made each report.

Two sources, read fresh each time the index is written:

- the outputs folder: every ``render.json`` under it (:mod:`cchc_lib.batch.state`), i.e. every
  report any run has made, with its files, key figures and whether it failed;
- the store: for each parent and period, every unit expected under the parent with its state on
  the day (:func:`cchc_lib.ingest.submission_status`, whose decisions are
  :mod:`cchc_lib.status`'s: on time, late by N days, missing, revised after the deadline, check
  errors).

Without a store the matrix shows what is on disk only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from cchc_lib import periods, units
from cchc_lib.batch.kinds import KINDS
from cchc_lib.batch.state import STATE_FILE
from cchc_lib.errors import CchcError
from cchc_lib.model import Unit

__all__ = ["LINK_LABELS", "OnDisk", "Cell", "ParentBlock", "scan_outputs", "build_blocks",
           "CATEGORY_LABELS"]

# The files an index links to, with the words a reader sees.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX",
               "check_html": "Phiếu kiểm tra (HTML)", "check_pdf": "Phiếu kiểm tra (PDF)"}
# The short words of a matrix cell's links.
SHORT_LABELS = {"pdf": "PDF", "docx": "DOCX", "check_html": "Phiếu KT"}

#: A cell's category, as the legend names it (the order the counts are given in).
CATEGORY_LABELS = {"ok": "đã nộp", "late": "muộn", "errors": "có lỗi", "missing": "chưa nộp",
                   "not_due": "chưa đến hạn", "unknown": "không rõ (không có kho)"}


@dataclass(frozen=True)
class OnDisk:
    """One report on disk, as its ``render.json`` describes it."""

    folder: str  # relative to the outputs root, with "/"
    notebook: str
    unit_code: str
    period: str
    status: str  # "rendered" or "failed"
    files: dict[str, str] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    rendered_at: str = ""

    @property
    def kind(self):
        return KINDS[self.notebook]

    def href(self, key: str, prefix: str = "") -> str:
        return f"{prefix}{self.folder}/{self.files[key]}" if key in self.files else ""

    def links(self, prefix: str = "", labels: dict[str, str] = LINK_LABELS) -> list[tuple]:
        """(label, href) of each file a reader opens, in the order of ``labels``."""
        return [(label, self.href(key, prefix)) for key, label in labels.items()
                if key in self.files]

    @property
    def failed(self) -> bool:
        return self.status != "rendered"

    def made_at(self) -> datetime | None:
        try:
            at = datetime.fromisoformat(self.rendered_at)
        except (TypeError, ValueError):
            return None
        return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def scan_outputs(root: str | Path) -> list[OnDisk]:
    """Every report under ``root`` (``<period>/<folder>/render.json``) of a known kind."""
    root = Path(root)
    found = []
    for path in sorted(root.glob(f"*/*/{STATE_FILE}")):
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            period = periods.parse_period(str(state["period"])).key
        except (OSError, ValueError, KeyError, TypeError, CchcError):
            continue  # a file that is not ours, or half-written by a killed run
        if state.get("notebook") not in KINDS:
            continue
        files = {k: v for k, v in (state.get("files") or {}).items()
                 if (path.parent / str(v)).is_file()}
        found.append(OnDisk(path.parent.relative_to(root).as_posix(), state["notebook"],
                            str(state.get("unit_code", "")), period,
                            str(state.get("status", "")), files, state.get("figures") or {},
                            str(state.get("error") or ""), str(state.get("rendered_at") or "")))
    return found


@dataclass
class Cell:
    """One unit in one period: its state in the store (None without a store) and its report."""

    unit_code: str
    period: str
    status: Any = None  # cchc_lib.status.UnitStatus
    report: OnDisk | None = None

    @property
    def category(self) -> str:
        """``ok``, ``late``, ``errors``, ``missing``, ``not_due`` or ``unknown`` (the first that
        applies, in that reading: a late report with errors is ``late``)."""
        s = self.status
        if s is None:
            return "unknown"
        if s.state in ("missing", "not_due"):
            return s.state
        if s.state == "late":
            return "late"
        return "errors" if s.has_errors else "ok"

    @property
    def submitted(self) -> bool:
        return self.status is not None and self.status.submitted

    def label(self) -> str:
        """The cell's main words: ``đã nộp``, ``muộn 3 ngày``, ``chưa nộp`` …"""
        s = self.status
        if s is None:
            return "có báo cáo" if self.report is not None else ""
        if s.state == "late":
            return f"muộn {s.days_late} ngày"
        if s.state == "missing":
            return "chưa nộp"
        if s.state == "not_due":
            return CATEGORY_LABELS["not_due"]
        return "đã nộp"

    def notes(self) -> list[str]:
        """What else a reader must see: errors, a revision after the deadline, a report on
        disk older than the latest revision, a failed render, illustrative data."""
        out = []
        s = self.status
        if s is not None and s.has_errors:
            out.append(f"có lỗi ({s.check_errors})")
        if s is not None and s.revised_after_deadline:
            out.append("sửa sau hạn")
        r = self.report
        if r is not None and r.failed:
            out.append("tạo báo cáo lỗi")
        elif r is not None and s is not None and s.last_at is not None:
            made = r.made_at()
            if made is not None and made < s.last_at:
                out.append("báo cáo chưa theo bản nộp mới nhất")
        if self.illustrative:
            out.append("minh họa")
        return out

    @property
    def illustrative(self) -> bool:
        if self.status is not None and self.status.submitted:
            return bool(self.status.illustrative)
        return bool(self.report is not None and self.report.figures.get("illustrative"))


@dataclass
class ParentBlock:
    """One parent (district or province) and its units × periods."""

    unit: Unit
    periods: list[str]
    rows: list[tuple[str, str]]  # (code, name as written mid-sentence)
    cells: dict[tuple[str, str], Cell]
    own: dict[str, list[OnDisk]]  # period → the parent's own reports (overview, BÁO CÁO)
    with_store: bool = True

    @property
    def key(self) -> str:
        """A file name stem: the era, because codes repeat across the 2025 reorganisation."""
        return f"{self.unit.era}-{units.slug(self.unit)}"

    @property
    def title(self) -> str:
        return units.unit_title(self.unit)

    def column(self, period: str) -> list[Cell]:
        return [self.cells[(code, period)] for code, _ in self.rows]

    def counts(self, period: str) -> dict[str, int]:
        """The period's counts: expected, submitted, late, with errors, missing, not yet due,
        reports on disk."""
        cells = self.column(period)
        return {"expected": len(cells),
                "submitted": sum(c.submitted for c in cells),
                "late": sum(c.status is not None and c.status.state == "late" for c in cells),
                "errors": sum(c.status is not None and c.submitted and c.status.has_errors
                              for c in cells),
                "missing": sum(c.status is not None and c.status.state == "missing"
                               for c in cells),
                "not_due": sum(c.status is not None and c.status.state == "not_due"
                               for c in cells),
                "reports": sum(c.report is not None and not c.report.failed for c in cells),
                "failed": sum(c.report is not None and c.report.failed for c in cells)}


def _unit_of(code: str, period: str, levels: tuple[str, ...]) -> Unit | None:
    """The unit of a code in the period's era at one of ``levels`` (codes repeat across levels:
    "4" is tỉnh Cao Bằng and phường Ba Đình)."""
    era = units.era_for(periods.parse_period(period).last_day)
    for level in levels:
        try:
            return units.get_unit(code, era=era, level=level)
        except CchcError:
            continue
    return None


def _parent_of(code: str, period: str, own: bool) -> Unit | None:
    """The parent a report belongs under: the unit itself for a parent's own report, else
    the commune's district (before 2025) or province."""
    if own:
        return _unit_of(code, period, ("province", "district"))
    unit = _unit_of(code, period, ("commune",))
    return units.parent(unit) if unit is not None else None


def build_blocks(root: str | Path, store: str | Path | None, *,
                 as_of: date | None = None) -> list[ParentBlock]:
    """Every parent with something on disk or in the store, its units × periods, in order
    (the current era first, then by code)."""
    from cchc_lib.ingest import submission_status
    from cchc_lib.status import local_today

    day = as_of or local_today()
    disk = scan_outputs(root)
    wanted: dict[tuple[str, str], set[str]] = {}  # (era, parent code) → periods
    parents: dict[tuple[str, str], Unit] = {}

    def note(code: str, period: str, own: bool) -> None:
        parent = _parent_of(code, period, own)
        if parent is not None:
            parents[(parent.era, parent.code)] = parent
            wanted.setdefault((parent.era, parent.code), set()).add(period)

    for r in disk:
        note(r.unit_code, r.period, r.kind.for_parent)
    store_path = Path(store) if store is not None else None
    with_store = store_path is not None and store_path.is_file()
    if with_store:
        from cchc_lib.store import open_store

        with open_store(store_path, create=False) as st:
            for period in st.periods():
                try:
                    key = periods.parse_period(period).key
                except CchcError:
                    continue
                for code in st.units(key):
                    note(code, key, False)
    reports = {(r.unit_code, r.period): r for r in disk if not r.kind.for_parent}
    blocks = []
    for pkey in sorted(parents, key=lambda k: (k[0] != units.ERAS[-1], k[1])):
        parent = parents[pkey]
        pers = sorted(wanted[pkey], key=periods.sort_key)
        expected = units.children(parent, level="commune")
        rows = [(u.code, units.unit_title(u)) for u in expected]
        known = {c for c, _ in rows}
        for r in disk:  # a report on disk of a unit the tree does not list (should not happen)
            if (not r.kind.for_parent and r.unit_code not in known and r.period in pers
                    and _parent_of(r.unit_code, r.period, False) == parent):
                rows.append((r.unit_code, r.unit_code))
                known.add(r.unit_code)
        cells: dict[tuple[str, str], Cell] = {}
        for period in pers:
            statuses = {}
            if with_store:
                try:
                    statuses = {s.unit_code: s for s in submission_status(
                        period, parent.code, store_path, as_of=day)}
                except CchcError:  # the index shows the files even if the store cannot say
                    statuses = {}
            for code, _ in rows:
                cells[(code, period)] = Cell(code, period, statuses.get(code),
                                             reports.get((code, period)))
        own: dict[str, list[OnDisk]] = {}
        order = {name: n for n, name in enumerate(KINDS)}
        for r in sorted(disk, key=lambda r: order[r.notebook]):
            if r.kind.for_parent and r.unit_code == parent.code and r.period in pers:
                own.setdefault(r.period, []).append(r)
        blocks.append(ParentBlock(parent, pers, rows, cells, own, with_store))
    return blocks
