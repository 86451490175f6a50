"""Files into the store, and who has submitted: the I/O behind ``cchc ingest`` and ``cchc status``.

Each file is read whole and then written in one transaction: a bad file is
reported and skipped, and the store is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cchc_lib import periods, units
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError
from cchc_lib.model import Submission
from cchc_lib.reader import read_file
from cchc_lib.store import IngestResult, open_store

__all__ = ["FileOutcome", "StatusRow", "ingest_files", "ingest_checked", "submission_status"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: its ingest results, reading notes, or the error."""

    file: str
    results: tuple[IngestResult, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    check_errors: tuple[int, ...] = ()  # errors the checks found, per result


@dataclass(frozen=True)
class StatusRow:
    unit_code: str
    unit_name: str
    submitted: bool
    revisions: int = 0
    last_ingest: str | None = None
    check_errors: int | None = None
    illustrative: bool = False


def ingest_files(paths: list[Path], store_path: str | Path | None = None) -> list[FileOutcome]:
    """Read and ingest each file in its own transaction; errors are collected, not raised."""
    outcomes = []
    with open_store(store_path) as store:
        for path in paths:
            try:
                read = read_file(path)
                checked = ingest_checked(store, [r.submission for r in read], str(path))
            except CchcError as exc:
                outcomes.append(FileOutcome(str(path), error=str(exc)))
                continue
            notes = tuple(n for r in read for n in r.notes)
            outcomes.append(FileOutcome(str(path), tuple(r for r, _ in checked), notes, None,
                                        tuple(n for _, n in checked)))
    return outcomes


def ingest_checked(store, subs: list[Submission], source_file: str | None = None
                   ) -> list[tuple[IngestResult, int]]:
    """Ingest submissions in one transaction, then record each one's number of check errors
    (what ``cchc status`` shows)."""
    results = store.ingest_many(subs, source_file=source_file)
    out = []
    for result, sub in zip(results, subs):
        n = count_by_severity(run_checks(sub))["error"]
        store.set_check_errors(result.unit_code, result.period, result.revision, n)
        out.append((result, n))
    return out


def _expected_units(period: periods.Period, parent_code: str | None,
                    present: list[str]) -> list[units.Unit]:
    era = units.era_for(period.last_day)
    if parent_code is not None:
        parent = units.get_unit(parent_code, era=era)
        return units.children(parent.code, era=era, level="commune")
    parents = {}
    for code in present:
        try:
            unit = units.get_unit(code, era=era)
        except CchcError:
            continue
        up = units.parent(unit)
        if up is not None:
            parents[up.code] = up
    found = {u.code: u for p in parents.values()
             for u in units.children(p.code, era=era, level="commune")}
    return sorted(found.values(), key=lambda u: u.code)


def submission_status(period: str, parent_code: str | None = None,
                      store_path: str | Path | None = None) -> list[StatusRow]:
    """Every unit expected for the period with its submission state, submitted or missing."""
    p = periods.parse_period(period)
    era = units.era_for(p.last_day)
    with open_store(store_path) as store:
        latest = {i.unit_code: i for i in store.latest(p.key)}
    expected = _expected_units(p, parent_code, sorted(latest))
    codes = {u.code for u in expected}
    rows = []
    for unit in expected:
        info = latest.get(unit.code)
        rows.append(StatusRow(unit.code, units.unit_title(unit), info is not None,
                              info.revision_count if info else 0,
                              info.ingested_at if info else None,
                              info.check_errors if info else None,
                              info.illustrative if info else False))
    for code, info in sorted(latest.items()):  # submitted but outside the selection's tree
        if code in codes or parent_code is not None:
            continue
        try:
            name = units.unit_title(units.get_unit(code, era=era))
        except CchcError:
            name = "(không rõ đơn vị)"
        rows.append(StatusRow(code, name, True, info.revision_count, info.ingested_at,
                              info.check_errors, info.illustrative))
    return rows
