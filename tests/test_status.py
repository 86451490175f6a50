"""`cchc status` with deadlines: on time, late by N days, not received (N days overdue), revised
after the deadline, error counts; `--as-of` for the picture on a past day; JSON for machines.

Every expected value below is computed by hand from the receipts in tests/cyclekit.py
(deadline of quý III năm 2026: 20/09/2026; local time UTC+7)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

import cyclekit as K
from cchc_lib import status
from cchc_lib.cli import main
from cchc_lib.ingest import submission_status


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return K.build_store(tmp_path_factory.mktemp("cycle") / "store.sqlite")


def by_code(rows):
    return {r.unit_code: r for r in rows}


# ------------------------------------------------------------------ the pure decisions

def receipt(rev: int, when: datetime, errors: int | None = 0) -> status.Receipt:
    return status.Receipt(rev, when.astimezone(timezone.utc).isoformat(), errors)


def test_lateness_counts_local_calendar_days_from_the_deadline():
    due = date(2026, 9, 20)
    on_time = status.decide("1", "a", "2026-Q3", [receipt(1, K.at(20, 23, 59))], K.AS_OF)
    late = status.decide("1", "a", "2026-Q3", [receipt(1, K.at(21, 0, 1))], K.AS_OF)
    assert (on_time.state, on_time.days_late, on_time.deadline) == ("on_time", None, due)
    assert (late.state, late.days_late) == ("late", 1)
    assert late.label() == "đã nộp, muộn 1 ngày"


def test_a_missing_report_is_overdue_after_the_deadline_and_not_due_before():
    assert status.decide("1", "a", "2026-Q3", [], date(2026, 9, 30)).days_overdue == 10
    before = status.decide("1", "a", "2026-Q3", [], date(2026, 9, 16))
    assert (before.state, before.days_left) == ("not_due", 4)
    assert before.label() == "chưa nộp, còn 4 ngày đến hạn"
    assert status.decide("1", "a", "2026-Q3", [], date(2026, 9, 20)).state == "not_due"


def test_a_revision_after_the_deadline_is_flagged_and_its_errors_are_current():
    receipts = [receipt(1, K.at(19, 8), 3), receipt(2, K.at(22, 16, 5), 1)]
    row = status.decide("1", "a", "2026-Q3", receipts, K.AS_OF)
    assert (row.state, row.revisions, row.check_errors) == ("on_time", 2, 1)
    assert row.revised_after_deadline and status.fmt_local(row.revised_at) == "22/09/2026 16:05"
    # the day before the revision: one revision, its 3 errors, nothing revised yet
    earlier = status.decide("1", "a", "2026-Q3", receipts, date(2026, 9, 21))
    assert (earlier.revisions, earlier.check_errors) == (1, 3)
    assert not earlier.revised_after_deadline


def test_times_are_shown_in_vietnam_to_the_minute():
    assert status.fmt_local("2026-09-20T16:30:00.123456+00:00") == "20/09/2026 23:30"
    assert status.fmt_local("2026-12-31T17:00:00+00:00") == "01/01/2027 00:00"


def test_days_are_read_in_both_forms():
    assert status.parse_day("30/09/2026") == status.parse_day("2026-09-30") == date(2026, 9, 30)
    with pytest.raises(ValueError, match="31/02/2026"):
        status.parse_day("31/02/2026")


# ------------------------------------------------------------------ over a real store

def test_status_from_the_store_as_of_30_september(store):
    rows = submission_status(K.PERIOD, K.PROVINCE, store, as_of=K.AS_OF)
    assert len(rows) == 124  # every commune and ward of tỉnh Lâm Đồng since 01/07/2025
    got = by_code(rows)
    assert (got[K.ON_TIME].state, got[K.ON_TIME].check_errors) == ("on_time", 0)
    assert (got[K.LATE].state, got[K.LATE].days_late, got[K.LATE].check_errors) == ("late", 3, 2)
    revised = got[K.REVISED]
    assert (revised.state, revised.revisions) == ("on_time", 2)
    assert revised.revised_after_deadline
    assert revised.check_errors == 0 and revised.report_date == "24/09/2026"
    assert (got[K.LATE_EDGE].state, got[K.LATE_EDGE].days_late) == ("late", 1)
    assert (got[K.MISSING].state, got[K.MISSING].days_overdue) == ("missing", 10)
    assert (got[K.AFTER].state, got[K.AFTER].days_overdue) == ("missing", 10)
    assert status.count_states(rows)["missing"] == 120


def test_as_of_an_earlier_day_ignores_later_revisions(store):
    got = by_code(submission_status(K.PERIOD, K.PROVINCE, store, as_of=date(2026, 9, 24)))
    revised = got[K.REVISED]
    assert (revised.revisions, revised.check_errors) == (1, 1)
    assert not revised.revised_after_deadline
    assert revised.report_date == "19/09/2026"
    assert got[K.MISSING].days_overdue == 4
    later = by_code(submission_status(K.PERIOD, K.PROVINCE, store, as_of=date(2026, 10, 5)))
    assert (later[K.AFTER].state, later[K.AFTER].days_late) == ("late", 12)


def test_the_status_table(store):
    result = run("status", "--period", K.PERIOD, "--parent", K.PROVINCE, "--as-of", "30/09/2026",
                 "--store", str(store))
    assert result.exit_code == 0, result.output
    lines = {code: next(ln for ln in result.output.splitlines() if f" {code} " in ln)
             for code in (K.ON_TIME, K.LATE, K.REVISED, K.LATE_EDGE, K.MISSING)}
    cells = {code: [c.strip() for c in line.strip()[1:-1].split("│")]
             for code, line in lines.items()}
    assert cells[K.ON_TIME] == ["22918", "phường Mũi Né", "20/09/2026", "17/09/2026",
                                "18/09/2026 09:30", "đã nộp, đúng hạn", "", "1", "0"]
    assert cells[K.LATE][4:] == ["23/09/2026 08:00", "đã nộp, muộn 3 ngày", "", "1", "2"]
    assert cells[K.REVISED][3:] == ["24/09/2026", "20/09/2026 23:30", "đã nộp, đúng hạn",
                                    "có, 25/09/2026 10:15", "2", "0"]
    assert cells[K.LATE_EDGE][4:6] == ["21/09/2026 06:30", "đã nộp, muộn 1 ngày"]
    assert cells[K.MISSING][2:] == ["20/09/2026", "", "", "chưa nộp, quá hạn 10 ngày", "", "",
                                    ""]
    assert "Đã nộp 4/124 đơn vị." in result.output
    assert "Đúng hạn 2, muộn 2; chưa nộp 120 (quá hạn 120); sửa sau hạn 1; có lỗi số liệu 1." \
        in result.output
    assert "+00:00" not in result.output and ".%06d" not in result.output


def test_the_status_json(store):
    result = run("status", "--period", K.PERIOD, "--parent", K.PROVINCE, "--as-of", "2026-09-30",
                 "--format", "json", "--store", str(store))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["deadline"], data["as_of"]) == ("2026-09-20", "2026-09-30")
    assert data["counts"] == {"missing": 120, "late": 2, "not_due": 0, "on_time": 2,
                              "submitted": 4, "expected": 124, "revised_after_deadline": 1,
                              "with_errors": 1}
    units = {u["unit_code"]: u for u in data["units"]}
    late = units[K.LATE]
    assert (late["state"], late["days_late"], late["check_errors"]) == ("late", 3, 2)
    assert late["received_at"] == "2026-09-23T08:00:00+07:00"
    assert late["received_at_text"] == "23/09/2026 08:00"
    assert (late["report_date"], late["report_date_text"]) == ("2026-09-22", "22/09/2026")
    revised = units[K.REVISED]
    assert revised["revised_after_deadline"]
    assert revised["revised_at"] == "2026-09-25T10:15:00+07:00"
    assert units[K.LATE_EDGE]["days_late"] == 1
    missing = units[K.MISSING]
    assert (missing["state"], missing["days_overdue"], missing["received_at"]) == \
        ("missing", 10, None)


def test_a_bad_as_of_day_is_a_usage_error(store):
    result = run("status", "--period", K.PERIOD, "--as-of", "31/09/2026", "--store", str(store))
    assert result.exit_code == 2 and "31/09/2026" in result.output


def test_a_commune_is_not_a_parent(store):
    result = run("status", "--period", K.PERIOD, "--parent", K.ON_TIME, "--store", str(store))
    assert result.exit_code == 2 and "cấp xã" in result.output
