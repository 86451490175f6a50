"""Every rule of `cchc check` on both sides of its boundary: one day, one unit, one rounding step.

Each case is a submission written out by hand (no generator, no seed) on top of a report that
has no finding at all, and asserts the *complete* list of findings: rule, severity, the exact
Vietnamese message, ``expected`` and ``found``.  The figures in the messages are worked out by
hand in the comments.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cchc_lib.checks import CHECKS, check_periods, rules, run_checks
from cchc_lib.model import Document, Header, Submission, Value

# Xã Đắk Ha, 6 tháng đầu năm 2024: the official window (15/12/2023 – 14/06/2024) and a report
# dated on its deadline (20/06/2024).  Nothing to find.
BASE = Submission(unit_code="24622", period="2024-H1",
                  header=Header(report_number="45", report_date="20/06/2024",
                                data_window=("15/12/2023", "14/06/2024")))

# Indicator labels as the messages print them (title from data/catalogue.yaml).
L341 = 'Chỉ tiêu 3.4.1 "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"'
L342 = 'Chỉ tiêu 3.4.2 "Tỷ lệ hồ sơ TTHC về lĩnh vực đất đai được giải quyết đúng hạn"'
L343 = 'Chỉ tiêu 3.4.3 "Tỷ lệ hồ sơ TTHC về lĩnh vực xây dựng được giải quyết đúng hạn"'
L311 = 'Chỉ tiêu 3.1.1 "Số TTHC công bố mới"'
L111 = 'Chỉ tiêu 1.1.1 "Số nhiệm vụ đề ra trong kế hoạch"'
L112 = 'Chỉ tiêu 1.1.2 "Số nhiệm vụ đã hoàn thành"'
L113 = 'Chỉ tiêu 1.1.3 "Số văn bản chỉ đạo CCHC đã ban hành"'
L425 = 'Chỉ tiêu 4.2.5 "Tỷ lệ phần trăm biên chế đã tinh giản so với năm 2015"'
L73 = 'Chỉ tiêu 7.3 "Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cá…"'
L74 = 'Chỉ tiêu 7.4 "Tỷ lệ cơ CBCCVC, người lao động cấp xã được cấp chứng thư số."'
LS1 = 'Chỉ tiêu S.1 "Tổng số văn bản chỉ đạo, điều hành CCHC đã ban hành"'
LS31 = 'Chỉ tiêu S.3.1 "Tổng số hồ sơ tiếp nhận"'
LS34 = 'Chỉ tiêu S.3.4 "Số hồ sơ đã giải quyết"'
LS35 = 'Chỉ tiêu S.3.5 "Số hồ sơ giải quyết đúng hạn"'
LS36 = 'Chỉ tiêu S.3.6 "Số hồ sơ giải quyết trễ hạn"'
H1 = "6 tháng đầu năm 2024"


def values(sub: Submission = BASE, **rows: dict) -> Submission:
    """``values(**{"3.4.1": dict(total=16, done=1, rate=7)})``: rows set on ``sub``."""
    return replace(sub, values={**sub.values,
                                **{code: Value(code=code, **kw) for code, kw in rows.items()}})


def header(sub: Submission = BASE, **changes) -> Submission:
    return replace(sub, header=replace(sub.header, **changes))


def docs(*documents: tuple, sub: Submission = BASE) -> Submission:
    """Documents as (type word, number, symbol, date[, issued by the unit])."""
    return replace(sub, documents=tuple(Document(*d[:4], issued_by_unit=d[4] if len(d) > 4
                                                 else True) for d in documents))


def mismatch(label, typed, num, den, computed, expected, found):
    return ("rate.mismatch", "error",
            f"{label}: tỷ lệ ghi {typed} nhưng {num}/{den} = {computed}.", expected, found)


def unverifiable(label, typed, missing, found):
    return ("rate.unverifiable", "note",
            f"{label}: tỷ lệ ghi {typed} nhưng không có {missing} nên không kiểm tra được.",
            None, found)


def window_missing(start="15/12/2023", end="14/06/2024"):
    return ("data.missing", "note",
            f"Thời gian lấy số liệu: không ghi; coi như theo quy định ({start} – {end}).",
            None, None)


def shares(on_time, late, total=None):
    """A case of the on-time (S.3.5) and late (S.3.6) shares typed without their fractions (a
    note each), ``(value, as printed)``; ``total`` when they do not make 100%."""
    (a, a_text), (b, b_text) = on_time, late
    wrong = [] if total is None else [
        ("shares.complement", "error", f"{LS34}: {a_text} + {b_text} = {total[1]}, không phải "
         "100%.", 100, total[0])]
    return (f"shares {a_text} + {b_text}", values(**{"S.3.5": dict(rate=a), "S.3.6": dict(rate=b)}),
            wrong + [unverifiable(LS35, a_text, "số của chỉ tiêu S.3.4 làm mẫu số", a),
                     unverifiable(LS36, b_text, "số của chỉ tiêu S.3.4 làm mẫu số", b)])


CASES = [
    # --------------------------------------------------------------- rate.mismatch
    # 1/16 = 6,25% exactly: half up it prints 6,3% (Python's round() gave 6.2); a typed 7 (no
    # decimals) is 0,75 away, more than half a unit
    ("rate 7% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=7)}),
     [mismatch(L341, "7%", 1, 16, "6,3%", 6.3, 7)]),
    # a typed 6 (no decimals) is 0,25 below 6,25: within half a unit
    ("rate 6% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=6)}), []),
    # one decimal: half a step is 0,05; 6,2 and 6,3 are both exactly 0,05 from 6,25
    ("rate 6,2% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=6.2)}), []),
    ("rate 6,3% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=6.3)}), []),
    ("rate 6,1% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=6.1)}),
     [mismatch(L341, "6,1%", 1, 16, "6,3%", 6.3, 6.1)]),
    ("rate 6,4% for 1/16", values(**{"3.4.1": dict(total=16, done=1, rate=6.4)}),
     [mismatch(L341, "6,4%", 1, 16, "6,3%", 6.3, 6.4)]),
    # two decimals: 1/21 = 4,7619…%: 4,76 holds, 4,77 and 4,75 are one step off (message and
    # expected at the typed precision)
    ("rate 4,76% for 1/21", values(**{"3.4.1": dict(total=21, done=1, rate=4.76)}), []),
    ("rate 4,77% for 1/21", values(**{"3.4.1": dict(total=21, done=1, rate=4.77)}),
     [mismatch(L341, "4,77%", 1, 21, "4,76%", 4.76, 4.77)]),
    ("rate 4,75% for 1/21", values(**{"3.4.1": dict(total=21, done=1, rate=4.75)}),
     [mismatch(L341, "4,75%", 1, 21, "4,76%", 4.76, 4.75)]),
    # 2/3 = 66,67%: 66,7 holds, 66,6 does not
    ("rate 66,7% for 2/3", values(**{"3.4.1": dict(total=3, done=2, rate=66.7)}), []),
    ("rate 66,6% for 2/3", values(**{"3.4.1": dict(total=3, done=2, rate=66.6)}),
     [mismatch(L341, "66,6%", 2, 3, "66,7%", 66.7, 66.6)]),
    # a ratio row: 1.1.2's figure over 1.1.1's total, 13/21 = 61,9%
    ("ratio rate 76,5% for 13/21", values(**{"1.1.1": dict(total=21),
                                             "1.1.2": dict(done=13, rate=76.5)}),
     [mismatch(L112, "76,5%", 13, 21, "61,9%", 61.9, 76.5)]),
    # --------------------------------------------------------------- rate.over-100
    ("rate 100% for 10/10", values(**{"3.4.1": dict(total=10, done=10, rate=100)}), []),
    ("rate 100,1% for 10/10", values(**{"3.4.1": dict(total=10, done=10, rate=100.1)}),
     [("rate.over-100", "error", f"{L341}: tỷ lệ 100,1% lớn hơn 100%.", None, 100.1),
      mismatch(L341, "100,1%", 10, 10, "100%", 100.0, 100.1)]),
    ("percent row 100%", values(**{"4.2.5": dict(total=100)}), []),
    ("percent row 100,1%", values(**{"4.2.5": dict(total=100.1)}),
     [("rate.over-100", "error", f"{L425}: tỷ lệ 100,1% lớn hơn 100%.", None, 100.1)]),
    # --------------------------------------------------------------- rate.unverifiable
    ("rate with its fraction", values(**{"3.4.3": dict(total=10, done=5, rate=50)}), []),
    ("rate without its fraction", values(**{"3.4.3": dict(rate=50)}),
     [unverifiable(L343, "50%", "số tổng và số đã thực hiện", 50)]),
    ("rate without its done column", values(**{"3.4.3": dict(total=10, rate=50)}),
     [unverifiable(L343, "50%", "số đã thực hiện", 50)]),
    ("rate over a zero total", values(**{"3.4.3": dict(total=0, done=0, rate=0)}),
     [unverifiable(L343, "0%", "mẫu số khác 0", 0)]),
    ("ratio rate without its base row", values(**{"1.1.2": dict(done=3, rate=50)}),
     [unverifiable(L112, "50%", "số của chỉ tiêu 1.1.1 làm mẫu số", 50)]),
    # --------------------------------------------------------------- value.done-exceeds-total
    ("done equal to total", values(**{"3.1.1": dict(total=10, done=10)}), []),
    ("done one over total", values(**{"3.1.1": dict(total=10, done=11)}),
     [("value.done-exceeds-total", "error",
       f"{L311}: số đã thực hiện 11 lớn hơn số tổng 10.", 10, 11)]),
    # --------------------------------------------------------------- count.negative
    ("count zero", values(**{"3.1.1": dict(total=0)}), []),
    ("count minus one", values(**{"3.1.1": dict(total=-1)}),
     [("count.negative", "error", f"{L311}: số tổng là số âm (-1).", None, -1)]),
    ("code minus one", values(**{"7.3": dict(done=-1)}),
     [("count.negative", "error", f"{L73}: số đã thực hiện là số âm (-1).", None, -1)]),
    # --------------------------------------------------------------- count.not-whole
    ("count whole", values(**{"3.1.1": dict(total=21)}), []),
    ("count with a half", values(**{"3.1.1": dict(total=21.5)}),
     [("count.not-whole", "error",
       f'{L311}: số tổng 21,5 không phải số nguyên, trong khi đơn vị tính là "Thủ tục".',
       None, 21.5)]),
    # --------------------------------------------------------------- enum.out-of-coding
    ("code at the top of its coding", values(**{"7.3": dict(total=2)}), []),
    ("code one past its coding", values(**{"7.3": dict(total=3)}),
     [("enum.out-of-coding", "error",
       f"{L73}: giá trị 3 không có trong bảng mã (0 = Chưa, 1 = Đang làm, 2 = Hoàn thành).",
       None, 3)]),
    # --------------------------------------------------------------- kind.mismatch
    ("rate row given its two numbers", values(**{"7.4": dict(total=21, done=20)}), []),
    ("rate row given one number", values(**{"7.4": dict(total=21)}),
     [("kind.mismatch", "warning",
       f'{L74}: chỉ tiêu hỏi tỷ lệ qua hai số (tổng và đã thực hiện, đơn vị "Cơ quan, đơn vị")'
       " nhưng chỉ ghi một số 21; nếu đó là tỷ lệ phần trăm thì phải ghi vào cột Tỷ lệ (%).",
       None, 21)]),
    # --------------------------------------------------------------- parts.child-exceeds-whole
    ("part equal to its whole", values(**{"3.4.1": dict(total=10, done=5),
                                          "3.4.2": dict(total=10, done=5)}), []),
    ("part one over its whole", values(**{"3.4.1": dict(total=10, done=5),
                                          "3.4.2": dict(total=11, done=5)}),
     [("parts.child-exceeds-whole", "error",
       f"{L342} (11) lớn hơn {L341} (10) mà nó là một phần.", 10, 11)]),
    # --------------------------------------------------------------- parts.sum
    # S.3.1 = S.3.2 + S.3.3 ("eq"): 661 = 41 + 620
    ("parts adding up", values(**{"S.3.1": dict(total=661), "S.3.2": dict(total=41),
                                  "S.3.3": dict(total=620)}), []),
    ("parts one over", values(**{"S.3.1": dict(total=661), "S.3.2": dict(total=41),
                                 "S.3.3": dict(total=621)}),
     [("parts.sum", "error", f"{LS31}: 661, nhưng các phần cộng lại 41 + 621 = 662.", 661, 662)]),
    ("parts one under", values(**{"S.3.1": dict(total=661), "S.3.2": dict(total=41),
                                  "S.3.3": dict(total=619)}),
     [("parts.sum", "error", f"{LS31}: 661, nhưng các phần cộng lại 41 + 619 = 660.", 661, 660)]),
    # an "eq" whole with a part not given: only more than the whole is wrong
    ("incomplete parts under the whole", values(**{"S.3.1": dict(total=661),
                                                   "S.3.2": dict(total=41)}), []),
    # 1.1.1 ≥ 1.1.2 ("le"): the part (10 of 10) may equal the whole, not pass it
    ("a part up to its whole", values(**{"1.1.1": dict(total=10), "1.1.2": dict(done=10)}), []),
    ("a part one over its whole", values(**{"1.1.1": dict(total=10), "1.1.2": dict(done=11)}),
     [("parts.child-exceeds-whole", "error",
       f"{L112} (11) lớn hơn {L111} (10) mà nó là một phần.", 10, 11),
      ("parts.sum", "error", f"{L111}: 10, nhưng các phần cộng lại 11 = 11.", 10, 11)]),
    # --------------------------------------------------------------- shares.complement
    # two shares of one decimal each may be off by 2 × 0,05 = 0,1 in all
    shares((74.9, "74,9%"), (25.2, "25,2%")),
    shares((74.9, "74,9%"), (25.3, "25,3%"), (100.2, "100,2%")),
    shares((74.9, "74,9%"), (25.0, "25%")),
    # 25 (no decimals) may be off by 0,5: 74,9 + 25 = 99,9 holds above, and so does 99,5
    shares((74.5, "74,5%"), (25, "25%")),
    shares((74.9, "74,9%"), (24.9, "24,9%"), (99.8, "99,8%")),
    # --------------------------------------------------------------- figure.same-as
    ("the same figure twice", values(**{"S.1": dict(total=22), "1.1.3": dict(total=22)}), []),
    ("the same figure one apart", values(**{"S.1": dict(total=22), "1.1.3": dict(total=21)}),
     [("figure.same-as", "error",
       f"Cùng một số liệu nhưng {LS1} ghi 22, còn {L113} ghi 21.", 21, 22)]),
    # --------------------------------------------------------------- rate.two-wholes
    # 74,9% typed beside the 661 dossiers received (S.3.1), while 3.4.1 computes it as 295/394
    ("one rate over two wholes", values(**{"3.4.1": dict(total=394, done=295, rate=74.9),
                                           "S.3.1": dict(total=661), "S.3.5": dict(rate=74.9)}),
     [("rate.two-wholes", "warning",
       f"{LS35}: tỷ lệ 74,9% đi cùng tổng 661 ({LS31}), nhưng {L341}: cùng tỷ lệ đó là 295/394."
       " Một tỷ lệ được nêu trên hai tổng khác nhau (661 và 394); ghi rõ tỷ lệ tính trên tổng "
       "nào.", "295/394", 74.9),
      unverifiable(LS35, "74,9%", "số của chỉ tiêu S.3.4 làm mẫu số", 74.9)]),
    # the same whole: one rate, said twice
    ("one rate over the same whole", values(**{"3.4.1": dict(total=394, done=295, rate=74.9),
                                               "S.3.1": dict(total=394),
                                               "S.3.5": dict(rate=74.9)}),
     [unverifiable(LS35, "74,9%", "số của chỉ tiêu S.3.4 làm mẫu số", 74.9)]),
    # one step off 295/394 = 74,87%: another rate, not the same one
    ("another rate over another whole", values(**{"3.4.1": dict(total=394, done=295, rate=74.9),
                                                  "S.3.1": dict(total=661),
                                                  "S.3.5": dict(rate=74.8)}),
     [unverifiable(LS35, "74,8%", "số của chỉ tiêu S.3.4 làm mẫu số", 74.8)]),
    # computed from its own fraction: 495/661 = 74,886…% → 74,9%, found rounded as printed
    ("a computed rate over two wholes", values(**{"3.4.1": dict(total=394, done=295, rate=74.9),
                                                  "S.3.4": dict(total=661),
                                                  "S.3.5": dict(done=495)}),
     [("rate.two-wholes", "warning",
       f"{LS35}: tỷ lệ 74,9% đi cùng tổng 661 ({LS34}), nhưng {L341}: cùng tỷ lệ đó là 295/394."
       " Một tỷ lệ được nêu trên hai tổng khác nhau (661 và 394); ghi rõ tỷ lệ tính trên tổng "
       "nào.", "295/394", 74.9)]),
    # --------------------------------------------------------------- date.invalid
    ("29 February of a leap year", docs(("Kế hoạch", "12", "KH-UBND", "29/02/2024")), []),
    ("30 February", docs(("Kế hoạch", "12", "KH-UBND", "30/02/2024")),
     [("date.invalid", "error",
       'Kế hoạch số 12/KH-UBND ghi ngày "30/02/2024": ngày 30 không có trong tháng 2 năm 2024.',
       None, "30/02/2024")]),
    # --------------------------------------------------------------- date.after-report
    # (another body's documents: the unit's own are also judged against the data window)
    ("a document dated on the report's day",
     docs(("Kế hoạch", "12", "KH-UBND", "20/06/2024", False)), []),
    ("a document dated the day after the report",
     docs(("Kế hoạch", "12", "KH-UBND", "21/06/2024", False)),
     [("date.after-report", "error",
       "Kế hoạch số 12/KH-UBND ghi ngày 21/06/2024, sau ngày của chính báo cáo (20/06/2024).",
       "20/06/2024", "21/06/2024")]),
    ("figures counted to the report's day", values(**{"3.1.1": dict(total=3, as_of="20/06/2024")}),
     []),
    ("figures counted to the day after the report",
     values(**{"3.1.1": dict(total=3, as_of="21/06/2024")}),
     [("date.after-report", "error",
       f"{L311} (số liệu tính đến ngày) ghi ngày 21/06/2024, sau ngày của chính báo cáo "
       "(20/06/2024).", "20/06/2024", "21/06/2024")]),
    # --------------------------------------------------------------- date.outside-period
    ("figures counted to the period's first day",
     values(**{"3.1.1": dict(total=3, as_of="01/01/2024")}), []),
    ("figures counted to the day before the period",
     values(**{"3.1.1": dict(total=3, as_of="31/12/2023")}),
     [("date.outside-period", "warning",
       f"{L311} (số liệu tính đến ngày) ghi ngày 31/12/2023, nằm ngoài {H1} (01/01/2024 – "
       "30/06/2024).", None, "31/12/2023")]),
    # --------------------------------------------------------------- document.outside-window
    ("the unit's document of the window's first day",
     docs(("Kế hoạch", "12", "KH-UBND", "15/12/2023")), []),
    ("the unit's document of the day before the window",
     docs(("Kế hoạch", "12", "KH-UBND", "14/12/2023")),
     [("document.outside-window", "error",
       f"Kế hoạch số 12/KH-UBND ghi ngày 14/12/2023, được nêu là ban hành trong {H1} nhưng nằm "
       "ngoài thời gian chốt số liệu của kỳ (từ 15/12/2023 đến 14/06/2024).",
       "15/12/2023–14/06/2024", "14/12/2023")]),
    ("the unit's document of the window's last day",
     docs(("Kế hoạch", "12", "KH-UBND", "14/06/2024")), []),
    ("the unit's document of the day after the window, still in the calendar half",
     docs(("Kế hoạch", "12", "KH-UBND", "15/06/2024")),
     [("document.outside-window", "note",
       f"Kế hoạch số 12/KH-UBND ghi ngày 15/06/2024, được nêu là ban hành trong {H1} nhưng nằm "
       "ngoài thời gian chốt số liệu của kỳ (từ 15/12/2023 đến 14/06/2024).",
       "15/12/2023–14/06/2024", "15/06/2024")]),
    ("another body's document before the window",
     docs(("Kế hoạch", "12", "KH-UBND", "14/12/2023", False)), []),
    # --------------------------------------------------------------- report.before-window-end
    ("a report dated on the window's last day", header(report_date="14/06/2024"), []),
    # (the window's last day then also follows the report's own date)
    ("a report dated the day before the window closes", header(report_date="13/06/2024"),
     [("date.after-report", "error", "Ngày chốt số liệu ghi ngày 14/06/2024, sau ngày của chính "
       "báo cáo (13/06/2024).", "13/06/2024", "14/06/2024"),
      ("report.before-window-end", "error",
       "Báo cáo ghi ngày 13/06/2024, trước ngày chốt số liệu 14/06/2024: số liệu của kỳ chưa "
       "thể đủ.", "14/06/2024", "13/06/2024")]),
    # the window the report states is the one it must wait for
    ("a report dated on its own window's last day",
     header(report_date="10/06/2024", data_window=("15/12/2023", "10/06/2024")),
     [("window.differs", "warning",
       f"Số liệu tính từ 15/12/2023 đến 10/06/2024, khác thời gian chốt số liệu quy định cho {H1}"
       " (từ 15/12/2023 đến 14/06/2024).", "15/12/2023–14/06/2024", "15/12/2023–10/06/2024")]),
    ("a report dated before its own window closes",
     header(report_date="09/06/2024", data_window=("15/12/2023", "10/06/2024")),
     [("date.after-report", "error", "Ngày chốt số liệu ghi ngày 10/06/2024, sau ngày của chính "
       "báo cáo (09/06/2024).", "09/06/2024", "10/06/2024"),
      ("report.before-window-end", "error",
       "Báo cáo ghi ngày 09/06/2024, trước ngày chốt số liệu 10/06/2024: số liệu của kỳ chưa "
       "thể đủ.", "10/06/2024", "09/06/2024"),
      ("window.differs", "warning",
       f"Số liệu tính từ 15/12/2023 đến 10/06/2024, khác thời gian chốt số liệu quy định cho {H1}"
       " (từ 15/12/2023 đến 14/06/2024).", "15/12/2023–14/06/2024", "15/12/2023–10/06/2024")]),
    # no window stated: the official one
    ("no window, a report dated the day before the official one closes",
     header(report_date="13/06/2024", data_window=None),
     [("report.before-window-end", "error",
       "Báo cáo ghi ngày 13/06/2024, trước ngày chốt số liệu 14/06/2024: số liệu của kỳ chưa "
       "thể đủ.", "14/06/2024", "13/06/2024"),
      window_missing()]),
    # --------------------------------------------------------------- report.after-deadline
    ("a report dated on the deadline", header(report_date="20/06/2024"), []),
    ("a report dated the day after the deadline", header(report_date="21/06/2024"),
     [("report.after-deadline", "warning",
       f"Báo cáo ghi ngày 21/06/2024, sau hạn gửi 20/06/2024 của {H1}.", "20/06/2024",
       "21/06/2024")]),
    # --------------------------------------------------------------- window.differs
    ("a window starting a day late", header(data_window=("16/12/2023", "14/06/2024")),
     [("window.differs", "warning",
       f"Số liệu tính từ 16/12/2023 đến 14/06/2024, khác thời gian chốt số liệu quy định cho {H1}"
       " (từ 15/12/2023 đến 14/06/2024).", "15/12/2023–14/06/2024", "16/12/2023–14/06/2024")]),
    ("a window starting a day early", header(data_window=("14/12/2023", "14/06/2024")),
     [("window.differs", "warning",
       f"Số liệu tính từ 14/12/2023 đến 14/06/2024, khác thời gian chốt số liệu quy định cho {H1}"
       " (từ 15/12/2023 đến 14/06/2024).", "15/12/2023–14/06/2024", "14/12/2023–14/06/2024")]),
    ("a window ending a day late", header(data_window=("15/12/2023", "15/06/2024")),
     [("window.differs", "warning",
       f"Số liệu tính từ 15/12/2023 đến 15/06/2024, khác thời gian chốt số liệu quy định cho {H1}"
       " (từ 15/12/2023 đến 14/06/2024).", "15/12/2023–14/06/2024", "15/12/2023–15/06/2024")]),
    # --------------------------------------------------------------- period.label-mismatch
    ("the period's own label", replace(BASE, period_labels={"title": "6 tháng đầu năm 2024"}), []),
    ("last year's label", replace(BASE, period_labels={"title": "6 tháng đầu năm 2023"}),
     [("period.label-mismatch", "error",
       f'Tiêu đề ghi "6 tháng đầu năm 2023" trong báo cáo {H1}.', H1, "6 tháng đầu năm 2023")]),
    ("a quarter's label", replace(BASE, period_labels={"II": "quý II"}),
     [("period.label-mismatch", "error", f'Mục II ghi "quý II" trong báo cáo {H1}.', H1,
       "quý II")]),
    # --------------------------------------------------------------- document.type-symbol
    ("a plan with a plan's symbol", docs(("Kế hoạch", "12", "KH-UBND", "15/02/2024")), []),
    ("a plan with a decision's symbol", docs(("Kế hoạch", "12", "QĐ-UBND", "15/02/2024")),
     [("document.type-symbol", "error",
       "Kế hoạch số 12/QĐ-UBND: ký hiệu QĐ là của quyết định, không phải của Kế hoạch "
       "(cần …/KH-UBND).", "…/KH-UBND", "12/QĐ-UBND")]),
    # --------------------------------------------------------------- document.symbol-malformed
    ("number 10 without a leading zero", docs(("Kế hoạch", "10", "KH-UBND", "15/02/2024")), []),
    ("number 09 with its leading zero", docs(("Kế hoạch", "09", "KH-UBND", "15/02/2024")), []),
    ("number 9 without its leading zero", docs(("Kế hoạch", "9", "KH-UBND", "15/02/2024")),
     [("document.symbol-malformed", "note",
       "Kế hoạch số 9/KH-UBND: số nhỏ hơn 10 phải ghi thêm số 0 phía trước (09).", None,
       "9/KH-UBND")]),
    ("a year in the symbol, issued that year",
     docs(("Nghị định", "34", "2016/NĐ-CP", "31/12/2016", False)), []),
    ("a year in the symbol, issued the next day",
     docs(("Nghị định", "34", "2016/NĐ-CP", "01/01/2017", False)),
     [("document.symbol-malformed", "warning",
       "Nghị định số 34/2016/NĐ-CP: năm trong ký hiệu (2016) khác năm ban hành ghi kèm "
       "(01/01/2017).", None, "34/2016/NĐ-CP")]),
    ("the unit's agency spelt short",
     docs(("Kế hoạch", "12", "KH-UBND", "15/02/2024"), ("Kế hoạch", "13", "KH-UBND", "15/02/2024"),
          ("Kế hoạch", "27", "KH-UB", "15/02/2024")),
     [("document.symbol-malformed", "warning",
       "Kế hoạch số 27/KH-UB: tên viết tắt cơ quan ban hành 'UB' khác với các văn bản khác của "
       "đơn vị ('UBND').", None, "27/KH-UB")]),
    # --------------------------------------------------------------- document.conflict
    ("one document cited twice with one date written two ways",
     docs(("Kế hoạch", "77", "KH-UBND", "20/02/2024"), ("Kế hoạch", "77", "KH-UBND", "20/2/2024")),
     []),
    ("one document cited with dates a day apart",
     docs(("Kế hoạch", "77", "KH-UBND", "20/02/2024"), ("Kế hoạch", "77", "KH-UBND", "21/02/2024")),
     [("document.conflict", "error",
       "Văn bản số 77/KH-UBND được dẫn 2 lần với ngày khác nhau: 20/02/2024, 21/02/2024.", None,
       "20/02/2024, 21/02/2024")]),
    # --------------------------------------------------------------- unit.name-variants
    ("one spelling", replace(BASE, unit_names={"header": "xã Đắk Ha", "II.1": "xã Đắk Ha"}), []),
    ("two spellings", replace(BASE, unit_names={"header": "xã Đắk Ha", "II.1": "xã Đắc Ha"}),
     [("unit.name-variants", "warning",
       'Tên đơn vị được viết 2 cách: "Đắk Ha" (đầu báo cáo); "Đắc Ha" (mục II.1).', "Đắk Ha", 2)]),
    # --------------------------------------------------------------- unit.other-level
    ("the unit speaks", replace(BASE, unit_names={"I.1": "xã Đắk Ha"}), []),
    ("the district speaks", replace(BASE, unit_names={"I.1": "huyện Đắk Glong"}),
     [("unit.other-level", "warning",
       'Mục I.1 ghi "huyện Đắk Glong" (cấp huyện) trong báo cáo của xã Đắk Ha: kiểm tra lại chủ '
       "thể của câu.", None, "huyện Đắk Glong")]),
    # --------------------------------------------------------------- header.number-blank
    ("a report numbered 1", header(report_number="1"), []),
    ("a report number of spaces", header(report_number="  "),
     [("header.number-blank", "warning",
       'Số của báo cáo để trống ("Số: /BC-UBND"); văn bản phát hành phải có số.', None, None)]),
    # --------------------------------------------------------------- data.missing
    ("no report date", header(report_date=None),
     [("data.missing", "note",
       "Ngày báo cáo: chưa ghi, nên không kiểm tra được ngày báo cáo so với kỳ và thời gian chốt"
       " số liệu.", None, None)]),
    ("no data window", header(data_window=None), [window_missing()]),
]


# the checks of one report on its own: the period.* rules, which compare a report with the
# unit's others, have their edges pinned in tests/test_period_checks.py
ONE_REPORT = [c for c in CHECKS if c is not check_periods]


def findings(sub: Submission) -> list[tuple]:
    return [(f.rule, f.severity, f.message, f.expected, f.found)
            for f in run_checks(sub, checks=ONE_REPORT)]


def test_the_base_report_has_no_finding():
    assert run_checks(BASE, checks=ONE_REPORT) == []


@pytest.mark.parametrize("sub, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_complete_findings_on_each_side_of_each_boundary(sub, expected):
    assert findings(sub) == expected


def test_expected_rates_are_rounded_as_the_message_prints_them():
    """1/16 = 6,25% exactly: the JSON's ``expected`` and the message both say 6,3."""
    [f] = run_checks(values(**{"3.4.1": dict(total=16, done=1, rate=7)}))
    assert f.expected == 6.3 and "1/16 = 6,3%" in f.message
    [f] = run_checks(values(**{"3.4.1": dict(total=16, done=1, rate=7.75)}))
    # at the typed rate's own precision: two decimals for a typed 7,75
    assert f.expected == 6.25 and "1/16 = 6,25%" in f.message


def test_every_rule_of_the_checks_is_pinned_on_both_sides():
    fired = {rule for _, _, expected in CASES for rule, *_ in expected}
    assert fired == {rid for rid, rule in rules().items() if "check" in rule.scope}
    # and each rule has a case where it stays silent next to one where it fires
    for rid in fired:
        assert any(rid not in {r for r, *_ in expected} for _, _, expected in CASES)


@pytest.mark.parametrize("period, report_date, window, label, other", [
    ("2024-Q2", "20/06/2024", ("15/03/2024", "14/06/2024"), "quý II năm 2024", "quý I năm 2024"),
    ("2024-Q3", "20/09/2024", ("15/06/2024", "14/09/2024"), "quý III năm 2024", "quý IV năm 2024"),
])
def test_quarters_their_windows_and_labels(period, report_date, window, label, other):
    sub = replace(BASE, period=period, header=replace(BASE.header, report_date=report_date,
                                                      data_window=window))
    assert findings(replace(sub, period_labels={"title": label})) == []
    assert findings(replace(sub, period_labels={"title": other})) == [
        ("period.label-mismatch", "error", f'Tiêu đề ghi "{other}" trong báo cáo {label}.', label,
         other)]


# --------------------------------------------------------------- the audit's own copies
# `cchc audit` finds rates and shares in sentences; its tolerance and its rounding are the same.

AUDIT_HEAD = ("ỦY BAN NHÂN DÂN XÃ ĐẮK HA\nSố: 45/BC-UBND\nĐắk Ha, ngày 20 tháng 6 năm 2024\n"
              "BÁO CÁO\nKết quả công tác cải cách hành chính 6 tháng đầu năm 2024\n")


def audited(sentence: str) -> list[tuple]:
    from cchc_lib.audit.claims import check_blocks
    from cchc_lib.audit.document import read_text

    _, claims = check_blocks(read_text(AUDIT_HEAD + sentence + "\n"))
    return [(c.finding.rule, c.finding.message, c.finding.expected, c.finding.found)
            for c in claims if c.finding is not None]


@pytest.mark.parametrize("sentence, expected", [
    ("Hồ sơ giải quyết đúng hạn 74,9%, trễ hạn 25,2%.", []),
    ("Hồ sơ giải quyết đúng hạn 74,9%, trễ hạn 25,3%.",
     [("shares.complement", "Các tỷ lệ đúng hạn, quá hạn: 74,9% + 25,3% = 100,2%, không phải "
       "100%.", 100, 100.2)]),
    ("Hồ sơ giải quyết đúng hạn 74,9%, trễ hạn 25%.", []),
    ("Hồ sơ giải quyết đúng hạn 74,9%, trễ hạn 24,9%.",
     [("shares.complement", "Các tỷ lệ đúng hạn, quá hạn: 74,9% + 24,9% = 99,8%, không phải "
       "100%.", 100, 99.8)]),
    ("Hoàn thành 1/16 (6,2%) nhiệm vụ.", []),
    ("Hoàn thành 1/16 (6,3%) nhiệm vụ.", []),
    ("Hoàn thành 1/16 (7%) nhiệm vụ.",
     [("rate.mismatch", "Hoàn thành 1/16: tỷ lệ ghi 7% nhưng 1/16 = 6,3%.", 6.3, 7)]),
    ("Hoàn thành 1/16 (6,1%) nhiệm vụ.",
     [("rate.mismatch", "Hoàn thành 1/16: tỷ lệ ghi 6,1% nhưng 1/16 = 6,3%.", 6.3, 6.1)]),
], ids=["shares 100,1", "shares 100,2", "shares 99,9", "shares 99,8", "1/16 as 6,2",
        "1/16 as 6,3", "1/16 as 7", "1/16 as 6,1"])
def test_the_audit_pins_the_same_edges(sentence, expected):
    assert audited(sentence) == expected
