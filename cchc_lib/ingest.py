"""Files into the store, and who has submitted: the I/O behind ``cchc ingest`` and ``cchc status``.

Each file is read whole and then written in one transaction: a bad file is
reported and skipped, and the store is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cchc_lib import periods, units
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError, InputError
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


def ingest_files(paths: list[Path], store_path: str | Path | None = None, *,
                 allow_older: bool = False) -> list[FileOutcome]:
    """Read and ingest each file in its own transaction; errors are collected, not raised.

    One file's failure, whatever it is, never stops the files after it, and nothing is
    stored for a file that could not be read or checked whole.
    """
    outcomes = []
    with open_store(store_path) as store:
        for path in paths:
            try:
                read = read_file(path)
                checked = ingest_checked(store, [r.submission for r in read], str(path),
                                         allow_older=allow_older)
            except CchcError as exc:
                outcomes.append(FileOutcome(str(path), error=str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - a defect must not stop the batch
                outcomes.append(FileOutcome(str(path), error=(
                    f"lỗi không mong đợi khi đọc hoặc kiểm tra tệp ({type(exc).__name__}: "
                    f"{str(exc)[:200]}); tệp không được nạp, các tệp khác vẫn tiếp tục. "
                    "Hãy gửi tệp này cho bộ phận kỹ thuật.")))
                continue
            notes = tuple(n for r in read for n in r.notes)
            outcomes.append(FileOutcome(str(path), tuple(r for r, _ in checked), notes, None,
                                        tuple(n for _, n in checked)))
    return outcomes


def validate_unit(sub: Submission) -> units.Unit:
    """The submission's unit, which must be a commune-level unit of its period's era."""
    p = periods.parse_period(sub.period)
    era = units.era_for(p.last_day)
    try:
        unit = units.get_unit(str(sub.unit_code), era=era)
    except CchcError as exc:
        when = "trước ngày 01/07/2025" if era == "2008" else "từ ngày 01/07/2025"
        raise InputError(f"mã đơn vị {sub.unit_code!r} của kỳ {p.key} không có trong danh mục "
                         f"đơn vị hành chính ({when}): {exc}") from exc
    if unit.level != "commune":
        raise InputError(f"mã đơn vị {sub.unit_code!r} là {units.unit_title(unit)}, không phải "
                         "một xã, phường, thị trấn; báo cáo cấp xã cần mã của xã")
    return unit


def ingest_checked(store, subs: list[Submission], source_file: str | None = None, *,
                   allow_older: bool = False) -> list[tuple[IngestResult, int]]:
    """Check, then ingest submissions in one transaction with each one's number of check
    errors (what ``cchc status`` shows).

    The checks run first: a submission whose checks cannot run is not stored at all.
    """
    for sub in subs:
        validate_unit(sub)
    counts = [count_by_severity(run_checks(sub))["error"] for sub in subs]
    results = store.ingest_many(subs, source_file=source_file, check_errors=counts,
                                allow_older=allow_older)
    return list(zip(results, counts))


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
    with open_store(store_path, create=False) as store:
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
