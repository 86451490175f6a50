"""One table of facts, two tools: `cchc check` (the fact in a workbook's cells) and `cchc audit`
(the same fact in a hand-written report's sentence) reach the same verdict with the same rule id,
because both call the decisions of :mod:`cchc_lib.judge`.  Each fact has a twin that is right
and must stay silent in both."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cchc_lib import units
from cchc_lib.audit import audit_file
from cchc_lib.checks import run_checks
from cchc_lib.model import Document
from cchc_lib.synth import synth_submission

# (case, rule, fires, the fact for check, the sentence for audit, report date)
#   fact: ("doc", type_word, number, symbol, date, issued_by_unit) | ("window", from, to)
CASES = [
    ("type word against symbol", "document.type-symbol", True,
     ("doc", "Kế hoạch", "15", "QĐ-UBND", "11/01/2024", True),
     "Ủy ban nhân dân xã ban hành Kế hoạch số 15/QĐ-UBND ngày 11/01/2024 về kiểm soát thủ tục "
     "hành chính.", "16/06/2024"),
    ("type word matching its symbol", "document.type-symbol", False,
     ("doc", "Kế hoạch", "15", "KH-UBND", "11/01/2024", True),
     "Ủy ban nhân dân xã ban hành Kế hoạch số 15/KH-UBND ngày 11/01/2024 về kiểm soát thủ tục "
     "hành chính.", "16/06/2024"),
    ("year in the symbol against the date", "document.symbol-malformed", True,
     ("doc", "Nghị định", "34", "2016/NĐ-CP", "14/5/2017", False),
     "Thực hiện Nghị định số 34/2016/NĐ-CP ngày 14/5/2017 của Chính phủ.", "16/06/2024"),
    ("year in the symbol matching the date", "document.symbol-malformed", False,
     ("doc", "Nghị định", "34", "2016/NĐ-CP", "14/5/2016", False),
     "Thực hiện Nghị định số 34/2016/NĐ-CP ngày 14/5/2016 của Chính phủ.", "16/06/2024"),
    ("a date that does not exist", "date.invalid", True,
     ("doc", "Kế hoạch", "22", "KH-UBND", "30/02/2024", True),
     "Ban hành Kế hoạch số 22/KH-UBND ngày 30/02/2024 về tuyên truyền.", "16/06/2024"),
    ("a document dated after the report", "date.after-report", True,
     ("doc", "Kế hoạch", "22", "KH-UBND", "17/06/2024", True),
     "Ban hành Kế hoạch số 22/KH-UBND ngày 17/06/2024 về tuyên truyền.", "16/06/2024"),
    ("a document dated on the report's day", "date.after-report", False,
     ("doc", "Kế hoạch", "22", "KH-UBND", "16/06/2024", True),
     "Ban hành Kế hoạch số 22/KH-UBND ngày 16/06/2024 về tuyên truyền.", "16/06/2024"),
    ("a data window off the official one", "window.differs", True,
     ("window", "05/12/2023", "04/6/2024"),
     "Số liệu tính từ ngày 05/12/2023 đến ngày 04/6/2024.", "16/06/2024"),
    ("the official data window", "window.differs", False,
     ("window", "15/12/2023", "14/06/2024"),
     "Số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024.", "16/06/2024"),
    ("a report dated before its window closes", "report.before-window-end", True,
     ("window", "15/12/2023", "14/06/2024"),
     "Số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024.", "07/03/2024"),
    ("a report dated on the day its window closes", "report.before-window-end", False,
     ("window", "15/12/2023", "14/06/2024"),
     "Số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024.", "14/06/2024"),
    ("a report dated after the deadline", "report.after-deadline", True,
     ("window", "15/12/2023", "14/06/2024"),
     "Số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024.", "21/06/2024"),
    ("a report dated on the deadline", "report.after-deadline", False,
     ("window", "15/12/2023", "14/06/2024"),
     "Số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024.", "20/06/2024"),
]


@pytest.fixture(scope="module")
def base():
    sub = synth_submission(units.get_unit("24622", era="2008"), "2024-H1", seed=3)
    return replace(sub, documents=(), header=replace(sub.header, data_window=None))


def checked_rules(base, fact, report_date: str) -> set[str]:
    sub = replace(base, header=replace(base.header, report_date=report_date))
    if fact[0] == "doc":
        _, type_word, number, symbol, date, ours = fact
        sub = replace(sub, documents=(Document(type_word, number, symbol, date,
                                               issued_by_unit=ours),))
    else:
        sub = replace(sub, header=replace(sub.header, data_window=fact[1:]))
    return {f.rule for f in run_checks(sub)}


def audited_rules(tmp_path, sentence: str, report_date: str) -> set[str]:
    day, month, year = report_date.split("/")
    text = ("ỦY BAN NHÂN DÂN XÃ ĐẮK HA\nSố: 45/BC-UBND\n"
            f"Đắk Ha, ngày {day} tháng {int(month)} năm {year}\n"
            "BÁO CÁO\nKết quả công tác cải cách hành chính 6 tháng đầu năm 2024\n"
            f"{sentence}\n")
    path = tmp_path / "bao-cao.txt"
    path.write_text(text, encoding="utf-8")
    return {f.rule for f in audit_file(str(path)).findings}


@pytest.mark.parametrize("case, rule, fires, fact, sentence, report_date", CASES,
                         ids=[c[0] for c in CASES])
def test_check_and_audit_reach_the_same_verdict(base, tmp_path, case, rule, fires, fact,
                                                sentence, report_date):
    in_check = rule in checked_rules(base, fact, report_date)
    in_audit = rule in audited_rules(tmp_path, sentence, report_date)
    assert (in_check, in_audit) == (fires, fires), case
