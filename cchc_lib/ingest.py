"""Files into the store, and who has submitted: the I/O behind ``cchc ingest`` and ``cchc status``
(the decisions about deadlines and lateness are :mod:`cchc_lib.status`'s).

Each file is read whole and then written in one transaction: a bad file is
reported and skipped, and the store is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cchc_lib import lineage, periods, status, units
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError, InputError, UnitError
from cchc_lib.model import Submission
from cchc_lib.reader import read_file
from cchc_lib.store import IngestResult, open_store

__all__ = ["FileOutcome", "StatusRow", "ingest_files", "ingest_checked", "submission_status",
           "parent_unit"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: its ingest results, reading notes, or the error."""

    file: str
    results: tuple[IngestResult, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    check_errors: tuple[int, ...] = ()  # errors the checks found, per result


#: One unit's row of ``cchc status`` (kept under its old name for callers of this module).
StatusRow = status.UnitStatus


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
                   allow_older: bool = False,
                   now: datetime | None = None) -> list[tuple[IngestResult, int]]:
    """Check, then ingest submissions in one transaction with each one's number of check
    errors (what ``cchc status`` shows).

    The checks run first: a submission whose checks cannot run is not stored at all.
    ``now`` records another receipt time than the clock's (see :meth:`Store.ingest_many`).
    """
    from cchc_lib.sources import stored_history, stored_submissions

    for sub in subs:
        validate_unit(sub)

    # as `cchc check` counts them: with the unit's earlier reports and the period's others
    # (the batch's own reports replace the stored ones of their unit and period)
    batch = {(s.unit_code, s.period) for s in subs}
    peers = {p: [s for _, s in stored_submissions(store, p) if (s.unit_code, p) not in batch]
             + [s for s in subs if s.period == p] for p in {s.period for s in subs}}

    def errors(sub: Submission) -> int:
        history = [*stored_history(store, sub.unit_code, sub.period),
                   *(s for s in subs if s.unit_code == sub.unit_code and s.period != sub.period)]
        return count_by_severity(run_checks(sub, history=history,
                                            peers=peers[sub.period]))["error"]

    counts = [errors(sub) for sub in subs]
    results = store.ingest_many(subs, source_file=source_file, check_errors=counts,
                                allow_older=allow_older, now=now)
    return list(zip(results, counts))


def parent_unit(parent_code: str, period: str | periods.Period) -> units.Unit:
    """The district or province ``parent_code`` names in the period's era (a code or a name);
    a commune, which has no units under it, is refused with a clear message."""
    p = periods.parse_period(period)
    era = units.era_for(p.last_day)
    for level in ("province", "district"):  # "4": tỉnh Cao Bằng, not phường Ba Đình
        try:
            return units.find_unit(parent_code, era=era, level=level)
        except CchcError:
            continue
    try:
        parent = units.find_unit(parent_code, era=era)
    except UnitError as exc:  # a unit of the other era: say where its units are now (or were)
        hint = lineage.parent_hint(parent_code, era)
        if hint is None:
            raise
        raise UnitError(f"{exc} {hint[:1].upper()}{hint[1:]}") from exc
    if parent.level == "commune":
        raise InputError(f"{units.unit_title(parent)} ({parent.code}) là đơn vị cấp xã; --parent "
                         "cần mã của huyện (trước 01/07/2025) hoặc tỉnh")
    return parent


def _expected_units(period: periods.Period, parent_code: str | None,
                    present: list[str]) -> list[units.Unit]:
    era = units.era_for(period.last_day)
    if parent_code is not None:
        parent = parent_unit(parent_code, period)
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
                      store_path: str | Path | None = None, *,
                      as_of: date | None = None) -> list[StatusRow]:
    """Every unit expected for the period with its state on ``as_of`` (default: today, local
    time): deadline, the report's own date, when it was received, on time / late / missing,
    revised after the deadline, check errors (:mod:`cchc_lib.status` decides).

    Revisions ingested after ``as_of`` are ignored.  Without ``parent_code`` the expected units
    are those under the superiors of the units in the store; units outside that tree that did
    submit are listed after them.
    """
    p = periods.parse_period(period)
    era = units.era_for(p.last_day)
    day = as_of if as_of is not None else status.local_today()
    with open_store(store_path, create=False) as store:
        present = sorted(store.units(p.key))
        expected = _expected_units(p, parent_code, present)
        named = [(u.code, units.unit_title(u)) for u in expected]
        codes = {u.code for u in expected}
        if parent_code is None:  # submitted but outside the selection's tree
            for code in present:
                if code in codes:
                    continue
                try:
                    name = units.unit_title(units.get_unit(code, era=era))
                except CchcError:
                    name = "(không rõ đơn vị)"
                named.append((code, name))
        return [_unit_status(store, p, code, name, day) for code, name in named]


def _unit_status(store, p: periods.Period, code: str, name: str, day: date) -> StatusRow:
    infos = store.revisions(code, p.key)
    receipts = [status.Receipt(i.revision, i.ingested_at, i.check_errors) for i in infos]
    seen = status.visible(receipts, day)
    if not seen:
        return status.decide(code, name, p, receipts, day)
    current = seen[-1].revision
    sub = store.load(code, p.key, current)
    return status.decide(code, name, p, receipts, day, report_date=sub.header.report_date,
                         illustrative=sub.illustrative)
