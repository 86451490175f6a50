"""The report's sentences that carry figures, generated from the data.

Every expected sentence below is written by hand, from the figures beside it and the official
style (counts below 10 zero-padded, percents with one decimal and a decimal comma, money in đồng),
never copied from the code's output.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import cchc_lib
from cchc_lib.calc import budget, documents_by_type, dossiers, plan_tasks, staff
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.model import Document, Header, Submission, Value
from cchc_lib.narrative import (
    FIELDS, SECTION_KEYS, NarrativeError, budget_sentences, closing, documents_sentence,
    dossier_sentence, egov_sentence, load_templates, plan_tasks_sentence, sentences,
    staff_sentences, templates,
)
from cchc_lib.periods import label
from cchc_lib.serialize import load_sample
from cchc_lib.units import find_unit, unit_title

SHIPPED = Path(cchc_lib.__file__).resolve().parent / "data" / "narrative.yaml"
UNIT = "xã Đắk Ha"
LABEL = "6 tháng đầu năm 2024"
MISSING = "chưa có số liệu"


@pytest.fixture(scope="module")
def sample() -> Submission:
    return load_sample()


def of(sub: Submission, section: str, unit: str = UNIT, period_label: str = LABEL) -> list[str]:
    return sentences(sub, section, unit_title=unit, period_label=period_label)


# --------------------------------------------------------------------------- the real sample


def test_sample_section_I1(sample):
    # S.1.1–S.1.4 typed 3, 2, 12, 5 → 22; 55 of 72 tasks = 76,388…% → 76,4% (the seed typed 100)
    assert of(sample, "I.1") == [
        "Trong 6 tháng đầu năm 2024, Ủy ban nhân dân xã Đắk Ha đã ban hành 22 văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính "
        "(03 công văn, 02 báo cáo, 12 kế hoạch, 05 quyết định).",
        "Kế hoạch cải cách hành chính đề ra 72 nhiệm vụ, đã hoàn thành 55 nhiệm vụ, đạt 76,4%.",
    ]


def test_sample_plan_tasks_uses_the_computed_rate(sample):
    text = plan_tasks_sentence(plan_tasks(sample))
    assert text == ("Kế hoạch cải cách hành chính đề ra 72 nhiệm vụ, đã hoàn thành 55 nhiệm vụ, "
                    "đạt 76,4%.")
    assert "100%" not in text


def test_sample_documents_use_the_typed_breakdown_not_the_register(sample):
    # the register holds 7 kế hoạch and 3 quyết định issued by the commune; S.1.x is preferred
    text = documents_sentence(documents_by_type(sample), UNIT, LABEL)
    assert text == (
        "Trong 6 tháng đầu năm 2024, Ủy ban nhân dân xã Đắk Ha đã ban hành 22 văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính "
        "(03 công văn, 02 báo cáo, 12 kế hoạch, 05 quyết định).")


def test_sample_dossiers(sample):
    # 41 + 620 = 661; 295/394 = 74,87% → 74,9%; 99/394 = 25,13% → 25,1%; window as dd/mm/yyyy
    expected = ("Trong kỳ báo cáo, Bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận 661 hồ sơ "
                "(tồn kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ), tỷ lệ giải quyết đúng hạn "
                "74,9%, trễ hạn 25,1% (số liệu tính từ ngày 05/12/2023 đến ngày 04/06/2024).")
    assert dossier_sentence(dossiers(sample), sample.header.data_window) == expected
    assert "tiếp nhận 661 hồ sơ (tồn kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ)" in expected
    # where the figures are counted, as the seed says: "Thống kê báo cáo 6 tháng đầu năm 2024
    # trên cổng dịch vụ hành chính công, bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận …"
    counted = dossier_sentence(dossiers(sample), sample.header.data_window,
                               counted_on="cổng dịch vụ hành chính công", period_label=LABEL)
    assert counted == ("Thống kê báo cáo 6 tháng đầu năm 2024 trên cổng dịch vụ hành chính "
                       "công, " + expected.removeprefix("Trong kỳ báo cáo, "))
    assert counted in of(sample, "II.2")


def test_dossier_source_comes_from_the_header():
    header = Header(dossier_source="Hệ thống thông tin giải quyết thủ tục hành chính tỉnh")
    sub = make(header=header, **{"S.3.2": dict(total=3), "S.3.3": dict(total=40),
                                 "S.3.4": dict(total=40), "S.3.5": dict(total=30),
                                 "S.3.6": dict(total=10)})
    # 3 + 40 = 43 received; 30/40 = 75% on time, 10/40 = 25% late
    assert ward(sub, "II.2") == [
        "Thống kê báo cáo quý I năm 2025 trên Hệ thống thông tin giải quyết thủ tục hành chính "
        "tỉnh, Bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận 43 hồ sơ (tồn kỳ trước 03 hồ sơ, "
        "tiếp nhận trong kỳ 40 hồ sơ), tỷ lệ giải quyết đúng hạn 75%, trễ hạn 25%."]
    sub = make(header=header, **{"S.3.2": dict(total=3)})
    assert ward(sub, "II.2") == [
        "Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính trong kỳ báo cáo (thống kê trên "
        "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh): số hồ sơ tiếp nhận chưa có số "
        "liệu (tồn kỳ trước 03, tiếp nhận trong kỳ chưa có số liệu); tỷ lệ giải quyết đúng hạn "
        "chưa có số liệu; tỷ lệ giải quyết trễ hạn chưa có số liệu."]


def test_sample_section_II2(sample):
    assert of(sample, "II.2") == [
        # 3.1.1 done 105, 3.1.2 04, 3.1.3 105, 3.1.4 done 105
        "Trong 6 tháng đầu năm 2024, công bố mới 105 thủ tục hành chính, bãi bỏ, thay thế 04 thủ "
        "tục hành chính; tổng số thủ tục hành chính đang có hiệu lực là 105 thủ tục, trong đó thủ "
        "tục hành chính cấp xã 105 thủ tục.",
        "Hiện Bộ phận Tiếp nhận và Trả kết quả đang bố trí 03 cán bộ, 04 công chức tiếp nhận, "
        "trong đó có 02 lãnh đạo trực tiếp chỉ đạo và 02 công chức thường xuyên tiếp nhận.",
        "Thống kê báo cáo 6 tháng đầu năm 2024 trên cổng dịch vụ hành chính công, Bộ phận Tiếp "
        "nhận và Trả kết quả đã tiếp nhận 661 hồ sơ (tồn kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 "
        "hồ sơ), tỷ lệ giải quyết đúng hạn 74,9%, trễ hạn 25,1% (số liệu tính từ ngày 05/12/2023 "
        "đến ngày 04/06/2024).",
        # 3.4.2: 40/118 = 33,89% → 33,9%
        "Đối với lĩnh vực đất đai, đã giải quyết đúng hạn 40/118 hồ sơ, đạt 33,9%.",
    ]


def test_sample_staff_levels_use_computed_shares(sample):
    text = of(sample, "II.3")
    # 13/21 = 61,90% (the seed typed 76,5%); 2/21 = 9,52%; 1/21 = 4,76% → 4,8%
    assert ("Trình độ lý luận chính trị Sơ cấp 02/21 (9,5%), Trung cấp 13/21 (61,9%), "
            "Cao cấp 01/21 (4,8%).") in text
    # the legal basis of the figures, as the seed opens: "Theo Quyết định số 365/QĐ-UBND ngày
    # 31/01/2024, CBCC hiện có đạt chuẩn chức danh theo quy định 21/25 người"; type and date come
    # from the register's entry for 365/QĐ-UBND
    assert text[0] == ("Theo Quyết định số 365/QĐ-UBND ngày 31/01/2024, cán bộ, công chức đạt "
                       "chuẩn chức danh theo quy định 21/25 người (84%).")
    joined = " ".join(text)
    assert "Trung cấp 13/21 (61,9%)" in joined
    assert "76,5%" not in joined
    assert "4,76%" not in joined
    assert staff_sentences(staff(sample), None) == [
        "Cán bộ, công chức đạt chuẩn chức danh theo quy định 21/25 người (84%).", *text[1:]]
    assert staff_sentences(staff(sample),
                           basis="Quyết định số 365/QĐ-UBND ngày 31/01/2024") == text


def test_staff_basis_from_the_register_or_as_typed():
    docs = [Document("Quyết định", "12", "QĐ-UBND", "5/1/2025", issued_by_unit=False),
            Document("Công văn", "40", "UBND-NV", "31/02/2025")]
    line = {"S.6.3": dict(total=20, done=19)}  # 19/20 = 95%
    sub = make(documents=docs, header=Header(staff_basis="12 / QĐ-UBND"), **line)
    assert ward(sub, "II.3") == [
        "Theo Quyết định số 12/QĐ-UBND ngày 05/01/2025, trình độ chuyên môn Đại học 19/20 (95%)."]
    # an impossible date is left out
    sub = make(documents=docs, header=Header(staff_basis="40/UBND-NV"), **line)
    assert ward(sub, "II.3")[0].startswith("Theo Công văn số 40/UBND-NV, trình độ")
    # not in the register: as typed
    sub = make(documents=docs, header=Header(staff_basis="Nghị định số 33/2023/NĐ-CP"), **line)
    assert ward(sub, "II.3")[0].startswith("Theo Nghị định số 33/2023/NĐ-CP, trình độ")
    # no staff figure: no sentence, whatever the basis
    assert ward(make(documents=docs, header=Header(staff_basis="12/QĐ-UBND")), "II.3") == []


def test_sample_budget_revenue(sample):
    lines = budget_sentences(budget(sample), estimate_basis=sample.header.estimate_basis)
    # no estimate given: the typed 47,1%, against the estimate as the seed names it ("đạt 47,1%
    # dự toán HĐND giao đầu năm"); as of 31/05/2024
    assert lines[0] == ("Thu ngân sách nhà nước trên địa bàn thực hiện đến ngày 31/05/2024 là "
                        "3.253.588.460 đồng, đạt 47,1% dự toán HĐND giao đầu năm.")
    assert of(sample, "II.5") == lines
    # without the estimate's basis, neutral words: no "(theo số liệu xã báo cáo)", which would
    # read as if someone else were speaking in the commune's own report
    plain = budget_sentences(budget(sample))
    assert plain[0] == ("Thu ngân sách nhà nước trên địa bàn thực hiện đến ngày 31/05/2024 là "
                        "3.253.588.460 đồng, đạt 47,1% dự toán.")
    assert not any("theo số liệu" in line for line in plain + lines)


def test_sample_budget_spending_drops_the_impossible_date_and_compares_with_the_year(sample):
    spending = budget_sentences(budget(sample), estimate_basis="HĐND giao đầu năm")[-1]
    # typed 42,94 → 42,9%; "32/05/2024" does not exist and is left out; H1 = 50% of the year
    assert spending == ("Chi ngân sách xã thực hiện là 2.966.442.095 đồng, đạt 42,9% dự toán "
                        "HĐND giao đầu năm, trong khi thời gian thực hiện đã qua 50% của năm.")
    assert "32/05" not in spending


def test_sample_egov_statuses_by_label(sample):
    (text, news) = of(sample, "II.6")
    assert "Hệ thống họp trực tuyến: 3 cấp" in text  # 7.2 = 2
    assert "Nền tảng chia sẻ, tích hợp dùng chung (LGSP): đang làm" in text  # 7.5 = 1
    assert news == ("Trong 6 tháng đầu năm 2024, đã đăng tải 98 tin bài về kinh tế, chính trị, xã "
                    "hội, công tác giải quyết thủ tục hành chính và các nội dung khác lên trang "
                    "thông tin điện tử xã Đắk Ha.")


def test_sample_unit_and_period_from_the_library(sample):
    unit = unit_title(find_unit(sample.unit_code, era="2008"))
    assert (unit, label(sample.period)) == (UNIT, LABEL)
    # the seed: "Trên đây là Báo cáo Công tác cải cách hành chính 6 tháng đầu năm và phương hướng
    # nhiệm vụ 6 tháng cuối năm của UBND xã Đắc Ha. Kính gửi Ủy ban nhân dân được biết và tổng
    # hợp./." (the sample names the body the seed cut off: UBND huyện Đắk Glong)
    assert closing(sample, unit, label(sample.period)) == (
        "Trên đây là Báo cáo công tác cải cách hành chính 6 tháng đầu năm 2024 và phương hướng "
        "nhiệm vụ 6 tháng cuối năm của Ủy ban nhân dân xã Đắk Ha. Kính gửi Ủy ban nhân dân huyện "
        "Đắk Glong được biết và tổng hợp./.")


def test_sample_sentences_never_carry_the_wrong_typed_figures(sample):
    text = " ".join(s for k in SECTION_KEYS for s in of(sample, k))
    assert "100%" not in " ".join(of(sample, "I.1"))
    for wrong in ("76,5%", "4,76%", "42,94%", "6 tháng đầu năm 2023", "huyện Đắk Glong"):
        assert wrong not in text


def test_other_sections_have_no_generated_sentences(sample):
    for key in ("I", "II", "III.1", "IV", "V", "closing", "nonsense"):
        assert of(sample, key) == []


# --------------------------------------------------------------------------- hand-made data

WARD = "phường Ba Đình"
Q1 = "quý I năm 2025"


def make(period: str = "2025-Q1", header: Header | None = None, documents=(),
         **values: dict) -> Submission:
    return Submission(unit_code="00004", period=period, header=header or Header(),
                      documents=tuple(documents),
                      values={c: Value(code=c, **kw) for c, kw in values.items()})


def ward(sub: Submission, section: str) -> list[str]:
    return sentences(sub, section, unit_title=WARD, period_label=Q1)


def test_documents_typed_parts_skip_missing_and_zero_types():
    sub = make(**{"S.1.1": dict(total=1), "S.1.2": dict(total=0), "S.1.3": dict(total=7)})
    assert ward(sub, "I.1") == [
        "Trong quý I năm 2025, Ủy ban nhân dân phường Ba Đình đã ban hành 08 văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính (01 công văn, 07 kế hoạch)."]


def test_documents_from_the_register_when_no_typed_breakdown():
    docs = [Document("Kế hoạch", "1", "KH-UBND", "05/01/2025"),
            Document("kế  hoạch", "2", "KH-UBND", "06/01/2025"),
            Document("Tờ trình", "3", "TTr-UBND", "07/01/2025"),
            Document("Nghị định", "4", "2025/NĐ-CP", None, issued_by_unit=False)]
    sub = make(documents=docs)
    assert ward(sub, "I.1") == [
        "Trong quý I năm 2025, Ủy ban nhân dân phường Ba Đình đã ban hành 03 văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính (02 kế hoạch, 01 tờ trình)."]
    # the typed total disagrees with the register: the typed total, without a breakdown
    sub = make(documents=docs, **{"S.1": dict(total=15)})
    assert ward(sub, "I.1") == [
        "Trong quý I năm 2025, Ủy ban nhân dân phường Ba Đình đã ban hành 15 văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính."]


def test_documents_none_issued():
    sub = make(**{"S.1.1": dict(total=0), "S.1.4": dict(total=0)})
    assert ward(sub, "I.1") == [
        "Trong quý I năm 2025, Ủy ban nhân dân phường Ba Đình chưa ban hành văn bản chỉ đạo, "
        "điều hành thực hiện nhiệm vụ cải cách hành chính."]


def test_plan_tasks_full_and_partial():
    # 7/9 = 77,77…% → 77,8%; the typed 90 is ignored
    sub = make(**{"1.1.1": dict(total=9), "1.1.2": dict(total=7, rate=90)})
    assert ward(sub, "I.1") == [
        "Kế hoạch cải cách hành chính đề ra 09 nhiệm vụ, đã hoàn thành 07 nhiệm vụ, đạt 77,8%."]
    sub = make(**{"1.1.1": dict(total=10)})
    assert ward(sub, "I.1") == [
        "Kết quả thực hiện Kế hoạch cải cách hành chính: số nhiệm vụ đề ra 10; số nhiệm vụ đã "
        "hoàn thành chưa có số liệu; tỷ lệ hoàn thành chưa có số liệu."]


def test_propaganda_full_and_partial():
    sub = make(**{"S.2.2": dict(total=12), "S.2.3": dict(total=1)})
    assert ward(sub, "I.2") == [
        "Trong quý I năm 2025, đã thực hiện tuyên truyền 12 tin bài về cải cách hành chính trên "
        "trang thông tin điện tử, kết hợp tuyên truyền cải cách hành chính trong các buổi họp giao "
        "ban và 01 cuộc đối thoại trực tiếp với nhân dân."]
    sub = make(**{"S.2.2": dict(total=5)})
    assert ward(sub, "I.2") == [
        "Công tác tuyên truyền cải cách hành chính trong quý I năm 2025: số tin bài tuyên truyền "
        "trên trang thông tin điện tử 05; số cuộc đối thoại trực tiếp với nhân dân chưa có số "
        "liệu."]


def test_inspection_full_no_issues_and_partial():
    # 6 of 8 issues resolved = 75%
    sub = make(**{"1.2.1": dict(total=2), "1.2.2": dict(total=8), "1.2.3": dict(total=6)})
    assert ward(sub, "I.3") == [
        "Trong quý I năm 2025, đã thực hiện 02 cuộc kiểm tra cải cách hành chính, qua kiểm tra "
        "phát hiện 08 vấn đề, đã xử lý xong 06 vấn đề, đạt 75%."]
    sub = make(**{"1.2.1": dict(total=3), "1.2.2": dict(total=0)})
    assert ward(sub, "I.3") == [
        "Trong quý I năm 2025, đã thực hiện 03 cuộc kiểm tra cải cách hành chính, qua kiểm tra "
        "không phát hiện vấn đề phải xử lý."]
    sub = make(**{"1.2.1": dict(total=4)})
    assert ward(sub, "I.3") == [
        "Kết quả kiểm tra cải cách hành chính trong quý I năm 2025: số cuộc kiểm tra 04; số vấn "
        "đề phát hiện qua kiểm tra chưa có số liệu; số vấn đề đã xử lý xong chưa có số liệu; tỷ "
        "lệ xử lý chưa có số liệu."]


def test_institutions_full():
    sub = make(**{"2.1": dict(total=1), "2.2": dict(total=1), "2.3": dict(total=12),
                  "2.4": dict(total=2), "2.5": dict(total=1)})
    assert ward(sub, "II.1") == [
        "Trong quý I năm 2025, đã ban hành, tham mưu ban hành 01 văn bản quy phạm pháp luật; "
        "kiểm tra theo thẩm quyền 01 văn bản, rà soát 12 văn bản; kiến nghị xử lý 02 văn bản sau "
        "kiểm tra, rà soát, đã xử lý xong 01 văn bản."]


def test_procedures_partial_and_one_stop_staff():
    sub = make(**{"3.1.3": dict(total=120), "3.1.4": dict(total=98),
                  "S.4.1": dict(total=2), "S.4.2": dict(total=5), "S.4.3": dict(total=1),
                  "S.4.4": dict(total=3)})
    assert ward(sub, "II.2") == [
        "Thống kê thủ tục hành chính trong quý I năm 2025: số thủ tục công bố mới chưa có số "
        "liệu; số thủ tục bãi bỏ, thay thế chưa có số liệu; tổng số thủ tục đang có hiệu lực "
        "120; số thủ tục hành chính cấp xã 98.",
        "Hiện Bộ phận Tiếp nhận và Trả kết quả đang bố trí 02 cán bộ, 05 công chức tiếp nhận, "
        "trong đó có 01 lãnh đạo trực tiếp chỉ đạo và 03 công chức thường xuyên tiếp nhận."]


def test_dossiers_rates_from_counts_not_typed():
    # 5 + 95 = 100 received (the typed 90 is wrong); 76/80 = 95%, 4/80 = 5% (typed 99 ignored)
    sub = make(**{"S.3.1": dict(total=90), "S.3.2": dict(total=5), "S.3.3": dict(total=95),
                  "S.3.4": dict(total=80), "S.3.5": dict(total=76, rate=99),
                  "S.3.6": dict(total=4), "3.4.3": dict(total=4, done=3)})
    assert ward(sub, "II.2") == [
        "Trong kỳ báo cáo, Bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận 100 hồ sơ (tồn kỳ trước "
        "05 hồ sơ, tiếp nhận trong kỳ 95 hồ sơ), tỷ lệ giải quyết đúng hạn 95%, trễ hạn 5%.",
        "Đối với lĩnh vực xây dựng, đã giải quyết đúng hạn 03/04 hồ sơ, đạt 75%."]


def test_dossiers_typed_rates_are_marked_and_the_window_is_printed():
    header = Header(data_window=("15/12/2024", "14/3/2025"))
    sub = make(header=header, **{"S.3.1": dict(total=50), "S.3.5": dict(rate=90),
                                 "S.3.6": dict(rate=10)})
    assert ward(sub, "II.2") == [
        "Trong kỳ báo cáo, Bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận 50 hồ sơ, tỷ lệ giải "
        "quyết đúng hạn 90%, trễ hạn 10% (theo số liệu xã báo cáo) (số liệu tính từ ngày "
        "15/12/2024 đến ngày 14/03/2025)."]


def test_dossiers_partial_and_an_impossible_window_left_out():
    header = Header(data_window=("15/12/2024", "31/02/2025"))
    sub = make(header=header, **{"S.3.2": dict(total=3)})
    assert ward(sub, "II.2") == [
        "Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính trong kỳ báo cáo: số hồ sơ tiếp "
        "nhận chưa có số liệu (tồn kỳ trước 03, tiếp nhận trong kỳ chưa có số liệu); tỷ lệ giải "
        "quyết đúng hạn chưa có số liệu; tỷ lệ giải quyết trễ hạn chưa có số liệu."]


def test_staff_full_and_partial_lines():
    sub = make(**{"S.6.1": dict(total=20, done=18), "S.6.6": dict(total=20, done=7, rate=40),
                  "S.6.3": dict(rate=80)})
    assert ward(sub, "II.3") == [
        "Cán bộ, công chức đạt chuẩn chức danh theo quy định 18/20 người (90%).",
        "Trình độ chuyên môn Đại học: số người đạt chưa có số liệu, tổng số chưa có số liệu, tỷ "
        "lệ 80% (theo số liệu xã báo cáo).",
        # 7/20 = 35% (the typed 40 is ignored)
        "Trình độ lý luận chính trị Trung cấp 07/20 (35%).",
    ]
    # a line with only its total: the partial form (the label's own colon is not doubled)
    sub = make(**{"S.6.2": dict(total=20), "S.6.4": dict(total=20, done=1)})
    assert ward(sub, "II.3") == [
        "Trình độ giáo dục phổ thông đạt chuẩn 12/12: số người đạt chưa có số liệu, tổng số 20, "
        "tỷ lệ chưa có số liệu.",
        "Trình độ chuyên môn Sau đại học 01/20 (5%).",
    ]


def test_staff_changes_full_and_partial():
    sub = make(**{"S.7.1": dict(total=0), "S.7.2": dict(total=3)})
    assert ward(sub, "II.4") == [
        "Trong quý I năm 2025, có 0 công chức được biệt phái đến công tác tại đơn vị khác, tiếp "
        "nhận thêm 03 công chức."]
    sub = make(**{"S.7.2": dict(total=1)})
    assert ward(sub, "II.4") == [
        "Biến động cán bộ, công chức trong quý I năm 2025: số công chức biệt phái đến đơn vị khác "
        "chưa có số liệu; số công chức được tiếp nhận 01."]


def test_staff_changes_name_the_posts_and_the_destination():
    header = Header(seconded_posts=("Văn phòng – Thống kê",), seconded_to="Ủy ban nhân dân xã Yên",
                    received_posts=("Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Tư pháp – Hộ tịch"))
    sub = make(header=header, **{"S.7.1": dict(total=1), "S.7.2": dict(total=3)})
    assert ward(sub, "II.4") == [
        "Trong quý I năm 2025, 01 công chức Văn phòng – Thống kê biệt phái đến công tác tại Ủy ban "
        "nhân dân xã Yên, tiếp nhận thêm 02 công chức Tư pháp – Hộ tịch và 01 công chức Văn hóa – "
        "Xã hội."]
    # nobody seconded: that half is left out
    sub = make(header=header, **{"S.7.1": dict(total=0), "S.7.2": dict(total=3)})
    assert ward(sub, "II.4") == [
        "Trong quý I năm 2025, tiếp nhận thêm 02 công chức Tư pháp – Hộ tịch và 01 công chức Văn "
        "hóa – Xã hội."]
    # posts that do not add up to the figure: the figure, with the posts listed
    sub = make(header=header, **{"S.7.1": dict(total=2), "S.7.2": dict(total=1)})
    assert ward(sub, "II.4") == [
        "Trong quý I năm 2025, 02 công chức (Văn phòng – Thống kê) biệt phái đến công tác tại Ủy "
        "ban nhân dân xã Yên, tiếp nhận thêm 01 công chức (Tư pháp – Hộ tịch, Văn hóa – Xã hội, "
        "Tư pháp – Hộ tịch)."]
    # only where to: "đơn vị khác" is replaced, the counts stay
    sub = make(header=Header(seconded_to="Ủy ban nhân dân phường Hà"),
               **{"S.7.1": dict(total=2), "S.7.2": dict(total=0)})
    assert ward(sub, "II.4") == [
        "Trong quý I năm 2025, 02 công chức biệt phái đến công tác tại Ủy ban nhân dân phường Hà."]


def test_closing_directions_and_addressee_follow_the_period_and_the_header():
    directions = {"IV": ("1. Tiếp tục …",)}
    cases = [("2024-Q1", "quý II"), ("2024-Q3", "quý IV"), ("2024-Q4", "quý I năm 2025"),
             ("2024-H1", "6 tháng cuối năm"), ("2024-9M", "quý IV"), ("2024", "năm 2025")]
    for period, ahead in cases:
        sub = Submission(unit_code="00004", period=period, sections=directions)
        assert closing(sub, WARD, label(period)) == (
            f"Trên đây là Báo cáo công tác cải cách hành chính {label(period)} và phương hướng "
            f"nhiệm vụ {ahead} của Ủy ban nhân dân phường Ba Đình./."), period
    sent = Submission(unit_code="00004", period="2025-Q1",
                      header=Header(addressee="Ủy ban nhân dân Thành phố Hà Nội"))
    assert closing(sent, WARD, Q1) == (
        "Trên đây là Báo cáo công tác cải cách hành chính quý I năm 2025 của Ủy ban nhân dân "
        "phường Ba Đình. Kính gửi Ủy ban nhân dân Thành phố Hà Nội được biết và tổng hợp./.")
    # an empty section IV is no direction
    empty = Submission(unit_code="00004", period="2025-Q1", sections={"IV": ("  ",)})
    assert "phương hướng" not in closing(empty, WARD, Q1)


def test_budget_rates_from_the_estimate():
    sub = make(**{
        # 250.000.000 / 1.000.000.000 = 25% (the typed 30 is ignored)
        "S.5.1": dict(total=1_000_000_000, done=250_000_000, rate=30, as_of="31/3/2025"),
        "S.5.2": dict(total=300_000_000),
        # 100.000.000 / 800.000.000 = 12,5%; Q1 = 25% of the year
        "S.5.3": dict(total=800_000_000, done=100_000_000),
    })
    assert ward(sub, "II.5") == [
        "Thu ngân sách nhà nước trên địa bàn thực hiện đến ngày 31/03/2025 là 250.000.000 đồng, "
        "đạt 25% dự toán.",
        "Thu ngân sách do xã đảm nhận: số thực hiện chưa có số liệu; dự toán 300.000.000 đồng; tỷ "
        "lệ thực hiện so với dự toán chưa có số liệu.",
        "Chi ngân sách xã thực hiện là 100.000.000 đồng, đạt 12,5% dự toán, trong khi thời gian "
        "thực hiện đã qua 25% của năm.",
    ]
    # the estimate's basis from the header, in the full and the partial sentences
    sub = replace(sub, header=Header(estimate_basis="HĐND xã giao đầu năm"))
    assert ward(sub, "II.5") == [
        "Thu ngân sách nhà nước trên địa bàn thực hiện đến ngày 31/03/2025 là 250.000.000 đồng, "
        "đạt 25% dự toán HĐND xã giao đầu năm.",
        "Thu ngân sách do xã đảm nhận: số thực hiện chưa có số liệu; dự toán HĐND xã giao đầu năm "
        "300.000.000 đồng; tỷ lệ thực hiện so với dự toán chưa có số liệu.",
        "Chi ngân sách xã thực hiện là 100.000.000 đồng, đạt 12,5% dự toán HĐND xã giao đầu năm, "
        "trong khi thời gian thực hiện đã qua 25% của năm.",
    ]


def test_egov_labels_and_a_code_outside_the_coding():
    sub = make(**{"7.2": dict(total=1), "7.3": dict(total=7), "7.5": dict(total=0),
                  "S.2.1": dict(total=4)})
    assert ward(sub, "II.6") == [
        "Về xây dựng chính quyền điện tử, chính quyền số: Hệ thống họp trực tuyến: 2 cấp; Hệ "
        "thống thông tin báo cáo kết nối với Hệ thống thông tin báo cáo quốc gia: chưa có số "
        "liệu; Nền tảng chia sẻ, tích hợp dùng chung (LGSP): chưa.",
        "Trong quý I năm 2025, đã đăng tải 04 tin bài về kinh tế, chính trị, xã hội, công tác "
        "giải quyết thủ tục hành chính và các nội dung khác lên trang thông tin điện tử phường "
        "Ba Đình.",
    ]
    assert egov_sentence({"7.1": 1}) == ("Về xây dựng chính quyền điện tử, chính quyền số: Cập "
                                         "nhật Kiến trúc chính quyền điện tử phiên bản 2.0: hoàn "
                                         "thành.")


@pytest.mark.parametrize("n, text", [(1, "01"), (3, "03"), (9, "09"), (10, "10"), (0, "0"),
                                     (1250, "1.250"), (4.0, "04")])
def test_counts_are_zero_padded(n, text):
    sub = make(**{"S.4.1": dict(total=n), "S.4.2": dict(total=n), "S.4.3": dict(total=n),
                  "S.4.4": dict(total=n)})
    assert ward(sub, "II.2") == [
        f"Hiện Bộ phận Tiếp nhận và Trả kết quả đang bố trí {text} cán bộ, {text} công chức tiếp "
        f"nhận, trong đó có {text} lãnh đạo trực tiếp chỉ đạo và {text} công chức thường xuyên "
        f"tiếp nhận."]


# --------------------------------------------------------------------------- no data, odd data


def _all_sentences(sub: Submission) -> list[str]:
    out = [s for key in SECTION_KEYS for s in ward(sub, key)]
    return out + [closing(sub, WARD, Q1)]


def _clean(text: str) -> bool:
    """No None, nan or inf printed, no unfilled field, no stray spaces."""
    return (not re.search(r"\b(none|nan|inf)\b", text, re.IGNORECASE)
            and "{" not in text and "}" not in text and text == text.strip()
            and "  " not in text and "::" not in text and ",." not in text)


def test_a_submission_without_values_gives_no_sentence():
    empty = make()
    for key in SECTION_KEYS:
        assert ward(empty, key) == []
    assert closing(empty, WARD, Q1) == (
        "Trên đây là Báo cáo công tác cải cách hành chính quý I năm 2025 của Ủy ban nhân dân "
        "phường Ba Đình./.")


def test_nan_values_count_as_missing():
    nan = float("nan")
    codes = [i.code for i in default_catalogue().data_rows()]
    sub = make(**{c: dict(total=nan, done=nan, rate=nan) for c in codes})
    assert all(_clean(s) for s in _all_sentences(sub))
    assert all(ward(sub, key) == [] for key in SECTION_KEYS)


def test_odd_values_never_raise_nor_print_none_or_nan():
    nan = float("nan")
    codes = [i.code for i in default_catalogue().data_rows()]
    odd = [dict(total=21.5), dict(total=-3, done=nan), dict(done=0, total=0), dict(rate=nan),
           dict(total=7, done=9, rate=300), dict(total=1e12, done=5.5)]
    for n, kw in enumerate(odd):
        sub = make(header=Header(data_window=("x", None)),
                   **{c: kw for c in codes[n::2]})
        texts = _all_sentences(sub)
        assert all(isinstance(s, str) and s and _clean(s) for s in texts), texts


def test_a_period_that_cannot_be_read_does_not_raise():
    sub = make(period="không rõ", **{"S.5.1": dict(done=100, rate=10)})
    assert sentences(sub, "II.5", unit_title=WARD, period_label="kỳ này") == [
        "Thu ngân sách nhà nước trên địa bàn thực hiện là 100 đồng, đạt 10% dự toán."]
    assert closing(sub, WARD, "kỳ này") == (
        "Trên đây là Báo cáo công tác cải cách hành chính kỳ này của Ủy ban nhân dân phường Ba "
        "Đình./.")


# --------------------------------------------------------------------------- the templates file


def test_shipped_templates_load_and_cover_every_kind():
    doc = templates()
    assert doc == load_templates(SHIPPED)
    assert doc["missing"] == MISSING
    assert set(doc["templates"]) == set(FIELDS)
    for name in ("documents", "documents_part", "plan_tasks", "propaganda", "news", "inspection",
                 "institutions", "procedures", "one_stop_staff", "dossiers", "dossiers_by_field",
                 "staff_standard", "staff_levels", "staff_changes", "budget_revenue",
                 "budget_own_revenue", "budget_spending", "egov", "closing"):
        assert name in doc["templates"]
    assert doc["templates"]["documents"] == (
        "Trong {period_label}, Ủy ban nhân dân {unit} đã ban hành {total} văn bản chỉ đạo, điều "
        "hành thực hiện nhiệm vụ cải cách hành chính ({parts}).")
    assert not any("<" in t or ">" in t for t in doc["templates"].values())


def test_templates_returns_a_copy():
    doc = templates()
    doc["templates"]["closing"] = "đã sửa"
    doc["missing"] = "?"
    assert templates()["templates"]["closing"].startswith("Trên đây là Báo cáo")
    assert closing(make(), WARD, Q1).startswith("Trên đây là Báo cáo")


_BROKEN = [
    # (what to replace in the shipped text, with what, a phrase the message must contain)
    ('closing: "Trên đây là Báo cáo công tác cải cách hành chính {period_label}',
     'closing: "Trên đây là Báo cáo công tác cải cách hành chính {ky_bao_cao}',
     "trường không được biết {ky_bao_cao}"),
    ('documents_part: "{count} {type}"', 'documents_part: "{count} {type"', "ngoặc nhọn"),
    ('documents_part: "{count} {type}"', 'documents_part: "{} {type}"', "trường không tên"),
    ('documents_part: "{count} {type}"', 'documents_part: "{count:d} {type}"', "định dạng"),
    ('documents_part: "{count} {type}"', 'documents_part: "<b>{count}</b> {type}"', "HTML"),
    ('  news: "Trong', '  tin_bai: "Trong', "thiếu mẫu câu: news"),
    ('missing: "chưa có số liệu"', 'missing: ""', "missing"),
    ('"7.5": "Nền tảng', '"7.9": "Nền tảng', "mã chỉ tiêu '7.9' không có trong danh mục"),
    ("templates:\n", "templates:\n  : [\n", "không đọc được YAML"),
]


@pytest.mark.parametrize("old, new, phrase", _BROKEN)
def test_a_broken_templates_file_is_refused_in_vietnamese(tmp_path, old, new, phrase):
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "narrative.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CchcError) as info:
        load_templates(path)
    assert isinstance(info.value, NarrativeError)
    message = str(info.value)
    assert message.startswith(f"Tệp mẫu câu {path}:")
    assert phrase in message


def test_an_unknown_template_and_a_missing_file_are_refused(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    path = tmp_path / "narrative.yaml"
    path.write_text(text.replace("templates:\n", 'templates:\n  loi_chao: "Xin chào"\n', 1),
                    encoding="utf-8")
    with pytest.raises(CchcError, match="mẫu câu không được biết: loi_chao"):
        load_templates(path)
    with pytest.raises(CchcError, match="không mở được tệp"):
        load_templates(tmp_path / "khong_co.yaml")
    path.write_text("- một danh sách\n", encoding="utf-8")
    with pytest.raises(CchcError, match="cấp cao nhất"):
        load_templates(path)


def test_every_template_renders_with_its_fields():
    for name, text in templates()["templates"].items():
        filled = text.format_map({f: "X" for f in FIELDS[name]})
        assert "{" not in filled and "}" not in filled and "None" not in filled
