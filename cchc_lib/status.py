"""Who has reported, and when: the decisions behind ``cchc status`` and ``cchc remind``.

The store keeps every revision of a unit's report with the time it was ingested (UTC).  From
those times, the period's deadline (:func:`cchc_lib.periods.deadline`, the 20th of the period's
last month, Công văn 581/BNV-CCHC) and the day the picture is taken (``as_of``), this module
decides for each unit:

* **received**: when its first revision was ingested, in local time (Asia/Ho_Chi_Minh), shown
  ``dd/mm/yyyy HH:MM``;
* **state**: ``on_time`` (received on or before the deadline, local calendar day), ``late``
  (received after it: late by the number of calendar days between the deadline and the day
  received), ``missing`` (not received and the deadline has passed: overdue by the days between
  the deadline and ``as_of``) or ``not_due`` (not received, deadline not yet passed);
* **revised after the deadline**: a later revision (2, 3 …) was ingested after the deadline;
* **errors**: the check errors of the revision current on ``as_of``.

Revisions ingested after ``as_of`` (local calendar day) are ignored, so that the picture is
the one that stood on that day.  Days are whole calendar days between local dates.

All functions are pure: they take what the store gives (:class:`Receipt`) and return
:class:`UnitStatus` values; the store is read by :func:`cchc_lib.ingest.submission_status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Sequence

from cchc_lib import periods
from cchc_lib.model import Period
from cchc_lib.textparse import parse_date_text

__all__ = [
    "LOCAL_TZ", "STATES", "Receipt", "UnitStatus", "parse_stamp", "local_time",
    "fmt_local", "local_today", "parse_day", "visible", "decide", "count_states",
]


def _local_zone():
    """Asia/Ho_Chi_Minh from the system's (or tzdata's) zone files, else UTC+7 (Vietnam has
    kept UTC+7 without daylight saving since 1975, so the fixed offset gives the same times)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # noqa: BLE001 - no zone database on this machine
        return timezone(timedelta(hours=7), "+07")


#: The time zone receipts are shown and counted in.
LOCAL_TZ = _local_zone()

#: The states of a unit's report, in the order they are listed.
STATES = ("missing", "late", "not_due", "on_time")


@dataclass(frozen=True)
class Receipt:
    """One stored revision as the decisions need it: number, ingest time, check errors."""

    revision: int
    ingested_at: str | datetime  # the store's ISO 8601 UTC text, or an aware datetime
    check_errors: int | None = None


def parse_stamp(text: str | datetime) -> datetime:
    """The store's ``ingested_at`` (ISO 8601, UTC, microseconds) as an aware datetime."""
    if isinstance(text, datetime):
        at = text
    else:
        at = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)  # the store always writes UTC
    return at


def local_time(at: str | datetime) -> datetime:
    """A stored time in Asia/Ho_Chi_Minh."""
    return parse_stamp(at).astimezone(LOCAL_TZ)


def fmt_local(at: str | datetime | None) -> str:
    """``18/09/2026 09:30``: local time, Vietnamese order, to the minute ("" for None)."""
    if at is None:
        return ""
    return local_time(at).strftime("%d/%m/%Y %H:%M")


def local_today(now: datetime | None = None) -> date:
    """Today's date in Asia/Ho_Chi_Minh (or ``now``'s)."""
    return (now or datetime.now(timezone.utc)).astimezone(LOCAL_TZ).date()


def parse_day(text: str | date) -> date:
    """A day typed on the command line: ``2026-09-30`` or ``30/09/2026``; ValueError otherwise."""
    if isinstance(text, date):
        return text
    s = str(text).strip()
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    parsed = parse_date_text(s)
    if parsed.day is None:
        raise ValueError(f'ngày "{s}" không hợp lệ: {parsed.problem or "cần dạng"} '
                         "(viết 30/09/2026 hoặc 2026-09-30)")
    return parsed.day


def visible(receipts: Iterable[Receipt], as_of: date) -> list[Receipt]:
    """The revisions that existed on ``as_of`` (ingested on or before that local day), in
    revision order."""
    return sorted((r for r in receipts if local_time(r.ingested_at).date() <= as_of),
                  key=lambda r: r.revision)


@dataclass(frozen=True)
class UnitStatus:
    """One unit's report for one period as it stood on ``as_of``."""

    unit_code: str
    unit_name: str
    deadline: date
    as_of: date
    state: str  # one of STATES
    received_at: datetime | None = None  # first revision, local time
    last_at: datetime | None = None  # latest revision on as_of, local time
    revisions: int = 0
    days_late: int | None = None  # state "late": days after the deadline it was received
    days_overdue: int | None = None  # state "missing": days past the deadline on as_of
    days_left: int | None = None  # state "not_due": days until the deadline
    revised_after_deadline: bool = False
    revised_at: datetime | None = None  # the last revision ingested after the deadline
    report_date: str | None = None  # the report's own date, as printed in its header
    check_errors: int | None = None
    illustrative: bool = False
    latest_revision: int | None = None
    raw_last_ingest: str | None = None  # the latest revision's time as the store wrote it

    @property
    def submitted(self) -> bool:
        return self.state in ("on_time", "late")

    @property
    def has_errors(self) -> bool:
        return bool(self.check_errors)

    @property
    def last_ingest(self) -> str | None:
        """The latest revision's stored time as the store wrote it (ISO 8601, UTC)."""
        return self.raw_last_ingest

    @property
    def report_day(self) -> date | None:
        """The report's own date when it is a real date."""
        return parse_date_text(self.report_date).day if self.report_date else None

    def label(self) -> str:
        """``đã nộp, đúng hạn``, ``đã nộp, muộn 3 ngày``, ``chưa nộp, quá hạn 10 ngày``,
        ``chưa nộp, còn 4 ngày đến hạn``."""
        if self.state == "on_time":
            return "đã nộp, đúng hạn"
        if self.state == "late":
            return f"đã nộp, muộn {self.days_late} ngày"
        if self.state == "missing":
            return f"chưa nộp, quá hạn {self.days_overdue} ngày"
        if self.days_left == 0:
            return "chưa nộp, hôm nay là hạn nộp"
        return f"chưa nộp, còn {self.days_left} ngày đến hạn"

    def as_dict(self) -> dict:
        """For ``--format json``: ISO dates and times (local, with offset) and the shown text."""
        def iso(at: datetime | None) -> str | None:
            return None if at is None else at.isoformat(timespec="seconds")

        day = self.report_day
        return {
            "unit_code": self.unit_code, "unit_name": self.unit_name,
            "deadline": self.deadline.isoformat(), "as_of": self.as_of.isoformat(),
            "state": self.state, "label": self.label(), "submitted": self.submitted,
            "report_date": day.isoformat() if day else None,
            "report_date_text": self.report_date,
            "received_at": iso(self.received_at), "received_at_text": fmt_local(self.received_at),
            "last_revision_at": iso(self.last_at), "revisions": self.revisions,
            "days_late": self.days_late, "days_overdue": self.days_overdue,
            "days_left": self.days_left,
            "revised_after_deadline": self.revised_after_deadline,
            "revised_at": iso(self.revised_at), "revised_at_text": fmt_local(self.revised_at),
            "check_errors": self.check_errors, "illustrative": self.illustrative,
        }


def decide(unit_code: str, unit_name: str, period: str | Period, receipts: Sequence[Receipt],
           as_of: date, *, report_date: str | None = None,
           illustrative: bool = False) -> UnitStatus:
    """One unit's status on ``as_of`` from its stored revisions (all of them: the ones
    ingested after ``as_of`` are dropped here)."""
    due = periods.deadline(period)
    seen = visible(receipts, as_of)
    if not seen:
        if as_of > due:
            return UnitStatus(unit_code, unit_name, due, as_of, "missing",
                              days_overdue=(as_of - due).days)
        return UnitStatus(unit_code, unit_name, due, as_of, "not_due",
                          days_left=(due - as_of).days)
    first, last = seen[0], seen[-1]
    received = local_time(first.ingested_at)
    late_by = (received.date() - due).days
    after = [r for r in seen[1:] if local_time(r.ingested_at).date() > due]
    return UnitStatus(
        unit_code, unit_name, due, as_of, "late" if late_by > 0 else "on_time",
        received_at=received, last_at=local_time(last.ingested_at), revisions=len(seen),
        days_late=late_by if late_by > 0 else None,
        revised_after_deadline=bool(after),
        revised_at=local_time(after[-1].ingested_at) if after else None,
        report_date=report_date, check_errors=last.check_errors, illustrative=illustrative,
        latest_revision=last.revision, raw_last_ingest=str(last.ingested_at))


def count_states(rows: Iterable[UnitStatus]) -> dict[str, int]:
    """How many units are in each state, and how many were revised after the deadline or
    carry check errors."""
    rows = list(rows)
    counts = {s: sum(1 for r in rows if r.state == s) for s in STATES}
    counts["submitted"] = counts["on_time"] + counts["late"]
    counts["expected"] = len(rows)
    counts["revised_after_deadline"] = sum(1 for r in rows if r.revised_after_deadline)
    counts["with_errors"] = sum(1 for r in rows if r.has_errors)
    return counts
