"""The audit's rules for reports nobody here wrote (issue #16): for each, a case that fires it,
with its exact Vietnamese message and its expected/found values, and a case that stays silent.

Every value below is worked out by hand from the sentence it checks (shown beside it).
"""

from __future__ import annotations

from cchc_lib.audit import AuditResult, audit_blocks
from cchc_lib.audit.document import read_text
from cchc_lib.vntext import misplaced_tone, tone_style_variant

# A ward's quý II 2026 report: window 15/03/2026 – 14/06/2026, report dated 17/06/2026.
Q2 = ("ỦY BAN NHÂN DÂN PHƯỜNG KINH BẮC\nSố: 12/BC-UBND\nKinh Bắc, ngày 17 tháng 6 năm 2026\n"
      "BÁO CÁO\nKết quả công tác cải cách hành chính quý II năm 2026\n")
BODY = 6  # the first line after the header above: "dòng 6"


def audit(*lines: str, header: str = Q2) -> AuditResult:
    return audit_blocks(read_text(header + "\n".join(lines)), file="bao-cao.txt")


def of(result: AuditResult, rule: str) -> list:
    return [f for f in result.findings if f.rule == rule]


def held(result: AuditResult, rule: str) -> list:
    return [c for c in result.claims if c.ok and c.rule == rule]


# ----------------------------------------------------------------- count.part-exceeds-whole

def test_a_count_of_units_larger_than_its_whole():
    result = audit("Đến nay có 14/12 thôn đã thành lập Tổ công nghệ số cộng đồng.",
                   "Toàn phường có 22 trên tổng số 20 tổ dân phố thành lập Tổ công nghệ số.")
    fraction, words = of(result, "count.part-exceeds-whole")
    assert fraction.severity == "error" and fraction.place == f"dòng {BODY}"
    assert fraction.message == "Đến nay 14/12 thôn: số phần (14) lớn hơn tổng số (12)."
    assert (fraction.found, fraction.expected) == (14, 12)
    assert words.message == ("Toàn phường 22 trên tổng số 20 tổ dân phố: số phần (22) lớn hơn "
                             "tổng số (20).")
    assert not of(result, "value.done-exceeds-total")  # one finding, not a date's note too


def test_counts_of_units_within_their_whole_and_dates_stay_silent():
    result = audit("Đến nay có 7/12 thôn, tổ dân phố đã thành lập Tổ công nghệ số.",
                   "Ngày 12/6 thôn Tân Lập tổ chức ra mắt mô hình; khu phố 3 tổ chức ngày 9/6.",
                   "Có 12/12 tổ dân phố (100%) niêm yết thủ tục hành chính.")
    assert not result.findings
    assert len(held(result, "count.part-exceeds-whole")) == 2  # 7/12 and 12/12
    assert held(result, "rate.mismatch")  # 12/12 = 100%


# ----------------------------------------------------------------- rate.mismatch, whole elsewhere

def test_a_share_of_a_whole_stated_in_another_clause_or_after_it():
    result = audit(
        # 1.020 / 1.250 = 81,6%: the list hangs from the 1.250 received
        "Tổng số hồ sơ tiếp nhận là 1.250; trong đó tiếp nhận trực tuyến 1.020 hồ sơ, đạt 85%.",
        # 745 / 760 = 98,03%: the whole comes after, and is the only one
        "Xã đã giải quyết đúng hạn 745 hồ sơ (đạt 99,5%); tổng số hồ sơ đã giải quyết là 760 hồ "
        "sơ.")
    first, second = of(result, "rate.mismatch")
    assert first.message == ("Tiếp nhận trực tuyến 1.020 hồ sơ: tỷ lệ ghi 85% nhưng 1.020/1.250 "
                             "= 81,6%.")
    assert (first.severity, first.found, first.expected) == ("error", 85, 81.6)
    assert second.message == ("Đã giải quyết đúng hạn 745 hồ sơ: tỷ lệ ghi 99,5% nhưng "
                              "745/760 = 98%.")  # (its clause's last five words)
    assert (second.found, second.expected) == (99.5, 98.0)


def test_a_share_that_fits_neither_of_two_plausible_wholes_is_a_note():
    # 800/850 = 94,1% of those resolved, 800/900 = 88,9% of those received: which is meant?
    result = audit("Tiếp nhận 900 hồ sơ; đã giải quyết 850 hồ sơ. Giải quyết đúng hạn 800 hồ sơ, "
                   "đạt 97%.")
    [note] = result.findings
    assert (note.rule, note.severity) == ("claim.unsure", "note")
    assert "800/850 = 94,1%" in note.message and "800/900 = 88,9%" in note.message


def test_shares_over_different_wholes_and_rounded_shares_stay_silent():
    result = audit(
        # online of those received (1.020/1.250 = 81,6%), on time of those resolved
        # (1.154/1.200 = 96,17%)
        "Tiếp nhận 1.250 hồ sơ, trong đó trực tuyến 1.020 hồ sơ (81,6%); đã giải quyết 1.200 hồ "
        "sơ, đúng hạn 1.154 hồ sơ (96,2%).",
        # 48.112 / 48.120 = 99,983%
        "Đã giải quyết 48.120 hồ sơ, trong đó đúng hạn 48.112 hồ sơ, đạt 99,98%.",
        # 100% of the 4.811 resolved while 236 are still open
        "Tổng số hồ sơ tiếp nhận: 5.047 hồ sơ. Đã giải quyết 4.811 hồ sơ, đang giải quyết 236 hồ "
        "sơ. Số hồ sơ giải quyết đúng hạn 4.811 hồ sơ (tỷ lệ 100%).",
        # a rate of a part whose count the line gives once: 338 / 340 = 99,41%
        "Đã giải quyết 340 hồ sơ, trong đó đúng hạn 338 hồ sơ, trễ hạn 02 hồ sơ; tỷ lệ giải quyết "
        "đúng hạn 99,4%.")
    assert not result.findings
    assert len(held(result, "rate.mismatch")) == 5


# ----------------------------------------------------------------- shares.complement, spread

def test_shares_of_one_whole_spread_over_a_paragraph_or_of_a_part():
    result = audit(
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97,2%. Số hồ sơ chậm trả thuộc lĩnh vực đất đai. "
        "Tỷ lệ hồ sơ giải quyết quá hạn là 3,8%.",
        "Đã giải quyết 96% số hồ sơ tiếp nhận, trong đó đúng hạn 94%, quá hạn 4%.")
    spread, part = of(result, "shares.complement")
    assert spread.message == "Các tỷ lệ đúng hạn, quá hạn: 97,2% + 3,8% = 101%, không phải 100%."
    assert (spread.found, spread.expected) == (101.0, 100)
    assert part.message == ("Các tỷ lệ đúng hạn, quá hạn: 94% + 4% = 98%, không phải 100% hay "
                            "96% (tỷ lệ đã giải quyết).")


def test_shares_adding_up_to_the_part_or_of_two_wholes_stay_silent():
    result = audit(
        # 95,6 + 1,6 = 97,2: the share of the dossiers resolved
        "Toàn tỉnh tiếp nhận 186.400 hồ sơ; đã giải quyết 181.200 hồ sơ, đạt 97,2%, trong đó "
        "đúng hạn 95,6%, quá hạn 1,6%.",
        # 97,4% of the 1.607 resolved and 15,2% of the 33 still open are of two wholes
        "Số hồ sơ đã giải quyết 1.607 hồ sơ; đúng hạn 1.566 hồ sơ, đạt 97,4%; quá hạn 41 hồ sơ. "
        "Số hồ sơ đang giải quyết 33 hồ sơ, trong đó có 05 hồ sơ đã quá hạn (15,2%).")
    assert not result.findings
    assert held(result, "shares.complement")


# ----------------------------------------------------------------- period.label-mismatch, wording

NINE_MONTHS = ("ỦY BAN NHÂN DÂN XÃ ĐẮK WIL\nSố: 156/BC-UBND\nĐắk Wil, ngày 16 tháng 9 năm 2026\n"
               "BÁO CÁO\nKết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2026\n")


def test_results_of_a_period_that_is_not_the_reports():
    result = audit("Kết quả giải quyết thủ tục hành chính quý III năm 2025: tiếp nhận 412 hồ sơ.",
                   "Quý II/2025, UBND xã tiếp nhận 530 hồ sơ.",
                   "Từ đầu năm 2025 đến nay, xã đã tiếp nhận 2.450 hồ sơ.", header=NINE_MONTHS)
    found = of(result, "period.label-mismatch")
    assert [f.found for f in found] == ["quý III năm 2025", "Quý II/2025", "năm 2025"]
    assert found[0].message == ('Câu "Kết quả giải quyết thủ tục hành chính quý III năm 2025: '
                                'tiếp nhận 412 hồ sơ." ghi "quý III năm 2025" trong báo cáo 9 '
                                'tháng đầu năm 2026.')
    assert all(f.severity == "error" and f.expected == "9 tháng đầu năm 2026" for f in found)


def test_periods_that_are_not_results_stay_silent():
    result = audit("Năm 2025 xã xếp thứ 15/102 xã, phường của tỉnh về Chỉ số cải cách hành chính.",
                   "Kết quả Chỉ số cải cách hành chính năm 2025, xã xếp thứ 2/12 xã.",
                   "Ngày 05/01/2026, xã tổ chức Hội nghị tổng kết công tác cải cách hành chính "
                   "năm 2025.",
                   "So với cùng kỳ năm 2025, số hồ sơ tăng 12%; từ đầu năm 2026 đến nay xã "
                   "tiếp nhận 1.020 hồ sơ.",
                   "3. Nhiệm vụ quý IV/2026", header=NINE_MONTHS)
    assert not of(result, "period.label-mismatch")


# ----------------------------------------------------------------- text.plan-year

YEAR_2025 = ("ỦY BAN NHÂN DÂN XÃ NAM DONG\nSố: 210/BC-UBND\nNam Dong, ngày 15 tháng 12 năm 2025\n"
             "BÁO CÁO\nTổng kết công tác cải cách hành chính năm 2025\n")


def test_a_plan_cited_for_two_years_or_for_a_year_neither_its_nor_the_reports():
    result = audit("Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2025 về cải cách hành chính năm "
                   "2025, xã đã hoàn thành các nhiệm vụ.",
                   "Ban hành Kế hoạch số 05/KH-UBND ngày 08/01/2025 về tuyên truyền cải cách hành "
                   "chính năm 2023.",
                   "Việc thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2025 về cải cách hành chính "
                   "năm 2024 còn chậm.", header=YEAR_2025)
    foreign, twice = of(result, "text.plan-year")
    assert foreign.severity == "warning" and foreign.place == "dòng 7"
    assert foreign.message == ("Kế hoạch số 05/KH-UBND: được dẫn là kế hoạch năm 2023, không "
                               "phải năm của kỳ báo cáo (2025) cũng không phải năm ban hành "
                               "(2025).")
    assert (foreign.found, foreign.expected) == (2023, 2025)
    assert twice.message == ("Kế hoạch số 12/KH-UBND: được dẫn là kế hoạch năm 2025 (dòng 6) và "
                             "năm 2024 (dòng 8).")
    assert (twice.found, twice.expected) == (2024, 2025)


def test_plans_for_their_own_year_or_the_next_stay_silent():
    result = audit("UBND xã ban hành Kế hoạch số 198/KH-UBND ngày 12/12/2025 về cải cách hành "
                   "chính năm 2026.",
                   "Thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2025 về cải cách hành chính năm "
                   "2025.",
                   "Kế hoạch số 30/KH-UBND ngày 10/01/2025 triển khai Luật Đất đai năm 2024.",
                   header=YEAR_2025)
    assert not result.findings
    assert len(held(result, "text.plan-year")) == 2  # the third names a law's year, not its own


# ----------------------------------------------------------------- document.number-gap

def test_a_number_typed_into_a_templates_gap():
    header = Q2.replace("Số: 12/BC-UBND", "Số: 12   /BC-UBND")
    result = audit("Thực hiện Kế hoạch số 09     /KH-UBND ngày 10/01/2026 của UBND phường.",
                   header=header)
    own, cited = of(result, "document.number-gap")
    assert own.severity == "warning" and own.place == "dòng 2"
    assert own.message == ('Số của báo cáo ghi "Số: 12   /BC-UBND": số điền vào chỗ trống của '
                           'mẫu nhưng còn để nguyên khoảng trắng; viết liền: "12/BC-UBND".')
    assert (own.found, own.expected) == ("Số: 12   /BC-UBND", "12/BC-UBND")
    assert cited.message.startswith('Số của kế hoạch ghi "số 09     /KH-UBND"')


def test_numbers_written_whole_or_with_one_space_stay_silent():
    header = Q2.replace("Số: 12/BC-UBND", "Số: 08 /BC-UBND")
    result = audit("Thực hiện Kế hoạch số 09/KH-UBND ngày 10/01/2026 và Kế hoạch số 10 /KH-UBND "
                   "ngày 12/01/2026.", header=header)
    assert not of(result, "document.number-gap")


def test_a_plans_blank_number_is_the_plans():
    plan = ("ỦY BAN NHÂN DÂN XÃ TÂN HỘI\nSố:   /KH-UBND\nTân Hội, ngày 08 tháng 01 năm 2026\n"
            "KẾ HOẠCH\nCải cách hành chính năm 2026 của xã Tân Hội\n")
    result = audit("Phấn đấu 100% hồ sơ được số hóa trước ngày 31/3/2026.", header=plan)
    [blank] = result.findings  # and no report-date rule: a plan is dated at its period's start
    assert blank.rule == "reference.incomplete"
    assert blank.message == 'Số của kế hoạch để trống hoặc điền dở: "Số: /KH-UBND".'
    assert result.context.kind == "plan"


# ----------------------------------------------------------------- document.outside-window

def test_documents_issued_in_the_period_dated_outside_its_window():
    result = audit("Trong quý, UBND phường đã ban hành Kế hoạch số 21/KH-UBND ngày 02/3/2026 về "
                   "kiểm tra và Quyết định số 35/QĐ-UBND ngày 16/6/2026 về kiện toàn Bộ phận Một "
                   "cửa.")
    before, after = of(result, "document.outside-window")
    assert before.severity == "error"
    assert before.message == ("Kế hoạch số 21/KH-UBND ghi ngày 02/3/2026, được nêu là ban hành "
                              "trong quý II năm 2026 nhưng nằm ngoài thời gian chốt số liệu của "
                              "kỳ (từ 15/03/2026 đến 14/06/2026).")
    assert (before.found, before.expected) == ("02/3/2026", "15/03/2026–14/06/2026")
    # 16/6 is in the quarter, after its window closed: worth a look, not an error
    assert after.severity == "note" and after.found == "16/6/2026"


def test_documents_in_the_window_cited_or_listed_without_a_period_stay_silent():
    result = audit(
        "Các văn bản ban hành trong quý:",
        "- Kế hoạch số 25/KH-UBND ngày 20/3/2026 về kiểm tra công vụ;",
        "- Quyết định số 40/QĐ-UBND ngày 14/6/2026 về kiện toàn Tổ công nghệ số.",
        "Trong quý, thực hiện Kế hoạch số 36/KH-UBND ngày 20/01/2026 của UBND tỉnh, phường đã "
        "ban hành Công văn số 140/UBND-VP ngày 22/4/2026.",
        "UBND phường đã ban hành Kế hoạch số 02/KH-UBND ngày 05/01/2026 về cải cách hành chính.")
    assert not of(result, "document.outside-window")
    assert len(held(result, "document.outside-window")) == 3


# ----------------------------------------------------------------- spelling

def test_a_tone_mark_on_the_wrong_letter():
    result = audit("Các nhiệm vụ của qúy được hòan thành; người dân ở ngòai trung tâm.",
                   "Trong qúy tới tiếp tục thực hiện.")
    notes = of(result, "spelling.tone-placement")
    assert [f.found for f in notes] == ["qúy", "hòan", "ngòai"]
    assert notes[0].message == ('Chữ "qúy" đặt dấu thanh sai chỗ; viết đúng là "quý" (dòng 6, '
                                'dòng 7).')
    assert (notes[0].severity, notes[0].expected) == ("note", "quý")


def test_one_word_in_both_styles():
    result = audit("Đẩy mạnh đơn giản hoá thủ tục hành chính.",
                   "Hoàn thành số hóa kết quả giải quyết; công trình thủy lợi được duy tu.")
    [note] = of(result, "spelling.old-new")
    assert note.message == ('Chữ "hoá" (dòng 6) và "hóa" (dòng 7) là một chữ đặt dấu thanh theo '
                            'hai kiểu (cũ và mới); nên thống nhất một kiểu trong văn bản.')
    assert (note.severity, note.found, note.expected) == ("note", "hóa", "hoá")


def test_one_style_capitals_and_the_units_own_name_stay_silent():
    header = ("ỦY BAN NHÂN DÂN XÃ HÒA PHÚ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 28/BC-UBND\n"
              "Hòa Phú, ngày 16 tháng 6 năm 2026\nBÁO CÁO\n"
              "Kết quả công tác cải cách hành chính quý II năm 2026\n")
    result = audit("Công tác hoà giải ở cơ sở, đơn giản hoá thủ tục được quan tâm.",
                   "UBND xã Hoà Phú tiếp tục thực hiện tốt công tác hoà giải.", header=header)
    assert not of(result, "spelling.old-new") and not of(result, "spelling.tone-placement")
    [names] = of(result, "unit.name-variants")  # the unit's name two ways: its own warning
    assert '"Hòa Phú"' in names.message and '"Hoà Phú"' in names.message


def test_tone_places():
    assert [misplaced_tone(w) for w in ("qúy", "Qúy", "gỉai", "qủa", "ngòai", "hòan")] == [
        "quý", "Quý", "giải", "quả", "ngoài", "hoàn"]
    assert [misplaced_tone(w) for w in ("quý", "hoá", "hóa", "thuỷ", "giữa", "Quỳnh", "café",
                                        "người", "khuya", "gì")] == [None] * 10
    assert [tone_style_variant(w) for w in ("hoá", "hóa", "Thủy", "Uỷ", "khoẻ")] == [
        "hóa", "hoá", "Thuỷ", "Ủy", "khỏe"]
    assert [tone_style_variant(w) for w in ("quý", "hoàn", "qúy")] == [None] * 3
