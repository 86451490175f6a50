"""A province office's period, written by hand: a real SQLite store for tỉnh Lâm Đồng (68),
quý III năm 2026 (deadline Sunday 20/09/2026), with receipt times chosen on purpose.

Six of its 124 communes and wards are set up (times are local, Asia/Ho_Chi_Minh, UTC+7):

=========  =====================  ==============================  ==============================
code       unit                   receipts                        as of 30/09/2026
=========  =====================  ==============================  ==============================
22918      phường Mũi Né          18/09 09:30 (0 errors)          on time
22924      phường Phú Thuỷ        23/09 08:00 (2 errors)          late 3 days, 2 errors
22933      phường Hàm Thắng       20/09 23:30 (1 error),          on time (the deadline's last
                                  25/09 10:15 (0 errors)          hour), revised after deadline
22945      phường Phan Thiết      21/09 06:30 (0 errors)          late 1 day (still 20/09 in UTC)
22954      phường Tiến Thành      —                               missing, 10 days overdue
22960      phường Bình Thuận      02/10 14:00 (0 errors)          missing on 30/09; late 12 days
=========  =====================  ==============================  ==============================

The other 118 units of the province have sent nothing.  Figures (PHỤ LỤC SỐ 01), chosen so
that totals and rates are easy to compute by hand:

* 1.1.1 (total, done): Mũi Né 10/8, Phú Thuỷ 20/15, Hàm Thắng 5/4 then 5/5, Phan Thiết 4/–,
  Bình Thuận 6/3;
* 1.1.2 (count, rate over 1.1.1's total): Mũi Né 8, Phú Thuỷ 15, Hàm Thắng 5;
* 3.4.1 (dossiers, total/done): Mũi Né 394/295, Phú Thuỷ 118/40;
* 1.5 (Không = 0, Có = 1): Mũi Né 1, Phú Thuỷ 0, Hàm Thắng 1;
* 4.2.5 (percent): Mũi Né 1,5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from cchc_lib.model import Header, Submission, Value
from cchc_lib.store import open_store

PERIOD = "2026-Q3"
PROVINCE = "68"
AS_OF = date(2026, 9, 30)
ICT = timezone(timedelta(hours=7))

ON_TIME, LATE, REVISED, LATE_EDGE, MISSING, AFTER = (
    "22918", "22924", "22933", "22945", "22954", "22960")


def at(day: int, hour: int, minute: int = 0, month: int = 9) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ICT)


def sub(code: str, report_date: str, values: dict[str, tuple]) -> Submission:
    vals = {}
    for key, figures in values.items():
        total, done = (figures + (None,))[:2]
        vals[key] = Value(key, total=total, done=done)
    return Submission(code, PERIOD, header=Header(report_number="12", report_date=report_date),
                      values=vals, source="tests/cyclekit.py")


# (code, report date printed in its header, figures, receipt time, check errors) per revision
RECEIPTS = [
    (ON_TIME, "17/09/2026", {"1.1.1": (10, 8), "1.1.2": (8,), "3.4.1": (394, 295),
                             "1.5": (1, 1), "4.2.5": (1.5,)}, at(18, 9, 30), 0),
    (LATE, "22/09/2026", {"1.1.1": (20, 15), "1.1.2": (15,), "3.4.1": (118, 40),
                          "1.5": (0, 0)}, at(23, 8), 2),
    (REVISED, "19/09/2026", {"1.1.1": (5, 4), "1.1.2": (5,), "1.5": (1, 1)}, at(20, 23, 30), 1),
    (REVISED, "24/09/2026", {"1.1.1": (5, 5), "1.1.2": (5,), "1.5": (1, 1)}, at(25, 10, 15), 0),
    (LATE_EDGE, "20/09/2026", {"1.1.1": (4,)}, at(21, 6, 30), 0),
    (AFTER, "01/10/2026", {"1.1.1": (6, 3)}, at(2, 14, month=10), 0),
]


def build_store(path: Path) -> Path:
    """The store above, at ``path``; each revision ingested at its receipt time."""
    with open_store(path) as store:
        for code, day, values, when, errors in RECEIPTS:
            store.ingest_many([sub(code, day, values)], source_file=f"{code}.xlsx",
                              check_errors=[errors], now=when)
    return path
