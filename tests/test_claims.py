"""Claims in the running text of a hand-written report (cchc_lib.audit.claims and its families).

Expected values are worked out by hand from the texts below (the real seed and made-up reports of
other units and periods, phrased differently); places are found by searching the text for the
sentence, never copied from the code's output.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest

from cchc_lib import periods, units
from cchc_lib.audit.claim import Claim, ReportContext
from cchc_lib.audit.claims import check_blocks, check_text
from cchc_lib.audit.context import detect_context
from cchc_lib.audit.document import Block, read_text
from cchc_lib.audit.limits import EXCERPT_LIMIT
from cchc_lib.model import Period


# ----------------------------------------------------------------------------- helpers

def line_of(text: str, fragment: str, nth: int = 1) -> str:
    """The place ("dòng N") of the line holding the nth occurrence of ``fragment``."""
    start = -1
    for _ in range(nth):
        start = text.index(fragment, start + 1)
    return f"dòng {text[:start].count(chr(10)) + 1}"


def findings(claims: list[Claim], rule: str | None = None) -> list[Claim]:
    return [c for c in claims if c.finding is not None
            and (rule is None or c.finding.rule == rule)]


def places(claims: list[Claim], rule: str) -> list[str]:
    return sorted(c.place for c in findings(claims, rule))


def oks(claims: list[Claim], rule: str, place: str) -> list[Claim]:
    return [c for c in claims if c.ok and c.rule == rule and c.place == place]


def run(text: str, **hints) -> tuple[ReportContext, list[Claim]]:
    return check_blocks(read_text(text), **hints)


# ----------------------------------------------------------------------------- the seed

@pytest.fixture(scope="module")
def seed(seed_text: str):
    return run(seed_text)


def test_seed_context(seed):
    ctx, _ = seed
    assert ctx.period == Period(2024, "H1")
    assert ctx.report_date == date(2024, 3, 7)
    assert ctx.report_date_text == "07/03/2024"
    assert ctx.unit is not None and ctx.unit.code == "24622"


def test_seed_rate_mismatch(seed, seed_text):
    _, claims = seed
    bad = findings(claims, "rate.mismatch")
    assert [c.place for c in bad] == [line_of(seed_text, "Trung cấp 13/21 (76,5%)")]
    # 13/21 = 0,6190… → 61,9%
    assert "76,5%" in bad[0].finding.message and "13/21 = 61,9%" in bad[0].finding.message
    assert bad[0].finding.message.startswith("Trung cấp 13/21")
    assert bad[0].finding.severity == "error"


def test_seed_rates_that_hold(seed, seed_text):
    _, claims = seed
    place = line_of(seed_text, "Trung cấp 13/21")
    # 21/21 (100%) twice, 02/21 (9,5%) twice, 01/21 (4,76%): 2/21 = 9,52…; 1/21 = 4,761…
    assert len(oks(claims, "rate.mismatch", place)) == 5
    # "21/25 người": done ≤ total
    assert len(oks(claims, "value.done-exceeds-total", place)) == 1
    # "đạt chuẩn 12/12 là 21/21": 12/12 is a standard, not a fraction. The line's fractions are
    # 21/25, 21/21 twice, 02/21 twice, 13/21 and 01/21: seven, 12/12 not among them.
    fractions = [c for c in claims if c.place == place
                 and c.rule in ("rate.mismatch", "value.done-exceeds-total")]
    assert len(fractions) == 7
    # the appendix's 295/394 is in a table row: not read here
    assert not any("295" in c.excerpt for c in claims)


def test_seed_dates(seed, seed_text):
    _, claims = seed
    invalid = findings(claims, "date.invalid")
    assert [c.place for c in invalid] == [line_of(seed_text, "32/05/2024")]
    assert "32/05/2024" in invalid[0].finding.message
    after = findings(claims, "date.after-report")
    assert sorted((c.place, c.finding.found) for c in after) == sorted([
        (line_of(seed_text, "31/05/2024"), "31/05/2024"),
        (line_of(seed_text, "04/6/2024"), "04/6/2024"),
    ])
    assert all("07/03/2024" in c.finding.message for c in after)


def test_seed_window_and_report_date(seed, seed_text):
    _, claims = seed
    window = findings(claims, "window.differs")
    assert [c.place for c in window] == [line_of(seed_text, "từ ngày 05/12/2023 đến ngày")]
    assert window[0].finding.severity == "warning"
    assert "15/12/2023" in window[0].finding.message and "14/06/2024" in window[0].finding.message
    early = findings(claims, "report.before-window-end")
    assert [c.place for c in early] == [line_of(seed_text, "Kèm theo Báo cáo số")]
    assert "04/06/2024" in early[0].finding.message


def test_seed_period_labels(seed, seed_text):
    _, claims = seed
    assert places(claims, "period.label-mismatch") == sorted([
        line_of(seed_text, "Trong 6 tháng đầu năm 2023"),
        line_of(seed_text, "công tác cải cách hành chính quý I"),
    ])
    heading = [c for c in findings(claims, "period.label-mismatch") if "quý I" in c.excerpt]
    assert heading[0].finding.message.startswith("Đề mục")
    # the sentences that do name the report's own period hold
    for fragment in ("Trong 06 tháng đầu năm 2024", "Kết quả thực hiện thu chi trong 6 tháng",
                     "Thống kê báo cáo 6 tháng đầu năm 2024"):
        assert oks(claims, "period.label-mismatch", line_of(seed_text, fragment))


def test_seed_documents(seed, seed_text):
    _, claims = seed
    assert places(claims, "document.type-symbol") == sorted([
        line_of(seed_text, "Kế hoạch số 15/QĐ-UBND"),
        line_of(seed_text, "Quyết định số 41/KH-UBND"),
    ])
    by_ref = {c.finding.found: c for c in findings(claims, "document.type-symbol")}
    assert "cần …/KH-UBND" in by_ref["15/QĐ-UBND"].finding.message
    assert "cần …/QĐ-UBND" in by_ref["41/KH-UBND"].finding.message
    malformed = findings(claims, "document.symbol-malformed")
    assert [(c.place, c.finding.found) for c in malformed] == [
        (line_of(seed_text, "27/KH-UB "), "27/KH-UB")]
    assert not findings(claims, "document.conflict")


def test_seed_unit_names(seed, seed_text):
    _, claims = seed
    variants = findings(claims, "unit.name-variants")
    assert len(variants) == 1
    message = variants[0].finding.message
    assert "4 cách" in message
    expected = {
        "Đắk Ha": [line_of(seed_text, "xã Đắk Ha năm 2024")],
        "Đắc Ha": sorted({line_of(seed_text, "xã Đắc Ha", n) for n in range(1, 7)},
                         key=lambda p: int(p.split()[1])),
        "Đăk Ha": sorted({line_of(seed_text, "xã Đăk Ha", n) for n in range(1, 4)},
                         key=lambda p: int(p.split()[1])),
        "Đắk Hà": [line_of(seed_text, "xã Đắk Hà")],
    }
    for spelling, lines in expected.items():
        assert f'"{spelling}" ({", ".join(lines)})' in message
    assert "Quảng Khê" not in message  # another commune, not a spelling
    other = findings(claims, "unit.other-level")
    assert [c.place for c in other] == [line_of(seed_text, "UBND huyện Đắk Glong đã ban hành")]
    assert "cấp huyện" in other[0].finding.message


def test_seed_blank_report_number(seed, seed_text):
    _, claims = seed
    blank = findings(claims, "reference.incomplete")
    assert [c.place for c in blank] == [line_of(seed_text, "Báo cáo số /BC-UBND")]
    assert "/BC-UBND" in blank[0].finding.message


def test_seed_nothing_else(seed, seed_text):
    """Every finding on the seed is one of its known mistakes: nothing where it is right."""
    _, claims = seed
    expected = Counter({
        ("rate.mismatch", line_of(seed_text, "Trung cấp 13/21")): 1,
        ("date.invalid", line_of(seed_text, "32/05/2024")): 1,
        ("date.after-report", line_of(seed_text, "31/05/2024")): 1,
        ("date.after-report", line_of(seed_text, "04/6/2024")): 1,
        ("window.differs", line_of(seed_text, "04/6/2024")): 1,
        ("report.before-window-end", line_of(seed_text, "Kèm theo")): 1,
        ("period.label-mismatch", line_of(seed_text, "6 tháng đầu năm 2023")): 1,
        ("period.label-mismatch", line_of(seed_text, "hành chính quý I")): 1,
        ("document.type-symbol", line_of(seed_text, "15/QĐ-UBND")): 1,
        ("document.type-symbol", line_of(seed_text, "41/KH-UBND")): 1,
        ("document.symbol-malformed", line_of(seed_text, "27/KH-UB ")): 1,
        ("unit.name-variants", "toàn báo cáo"): 1,
        ("unit.other-level", line_of(seed_text, "UBND huyện Đắk Glong đã")): 1,
        ("reference.incomplete", line_of(seed_text, "Báo cáo số /BC-UBND")): 1,
        # one word with its tone mark in both places (notes, #16): "hoà giải" (line 41) and
        # "hài hòa" (line 63); "Văn hoá" (line 71) and "văn hóa", "số hóa", … elsewhere
        ("spelling.old-new", line_of(seed_text, "hài hòa")): 1,
        ("spelling.old-new", line_of(seed_text, "Văn hoá")): 1,
    })
    assert Counter((c.finding.rule, c.place) for c in findings(claims)) == expected


def test_seed_what_holds(seed, seed_text):
    _, claims = seed
    # 22 = 3 + 2 + 12 + 5; 661 = 41 + 620
    assert oks(claims, "parts.sum", line_of(seed_text, "(03 công văn, 02 báo cáo"))
    assert oks(claims, "parts.sum", line_of(seed_text, "tồn kỳ trước 41 hồ sơ"))
    # 74,9 + 25,1 = 100
    assert oks(claims, "shares.complement", line_of(seed_text, "trễ hạn 25,1%"))
    # 3.253.588.460 / 47,1% and 2.966.442.095 / 42,94% both imply about 6,908 billion:
    # [100·3253588460/47,15 ; 100·3253588460/47,05] = [6,9005 ; 6,9152] billion and
    # [100·2966442095/42,945 ; 100·2966442095/42,935] = [6,9075 ; 6,9091] billion overlap.
    assert oks(claims, "budget.estimates-differ", line_of(seed_text, "2.966.442.095"))
    # the Nghị định of 2005 and 2013 are cited, not dated after the report
    assert len(oks(claims, "date.after-report", line_of(seed_text, "130/2005/NĐ-CP"))) == 2
    for fragment in ("giai đoạn 2021-2030", "QPPL 2015, sửa đổi, bổ sung năm 2020",
                     "6 tháng cuối năm của UBND", "tổng kết công tác CCHC năm 2023",
                     "Luật Đất đai năm 2023", "Nghị định số 33/2023/NĐ-CP, ngày 10/6/2023"):
        assert not [c for c in findings(claims) if c.place == line_of(seed_text, fragment)], \
            fragment


def test_seed_claims_shape(seed):
    _, claims = seed
    consistent = [c for c in claims if c.ok]
    assert len(consistent) > 10
    assert all(c.finding is None for c in consistent)
    assert all(c.finding is not None for c in claims if not c.ok)
    assert all(0 < len(c.excerpt) <= EXCERPT_LIMIT for c in claims)


def test_seed_narrative_only(seed_narrative):
    """Without the appendix the report date is unknown: the dates cannot be compared with it,
    but everything else is still found."""
    ctx, claims = run(seed_narrative)
    assert ctx.report_date is None and ctx.period == Period(2024, "H1")
    assert not findings(claims, "date.after-report")
    assert [c.finding.found for c in findings(claims, "date.invalid")] == ["32/05/2024"]
    assert len(findings(claims, "period.label-mismatch")) == 2


def test_hints_override(seed_text):
    ctx, claims = run(seed_text, unit_hint="24631", period_hint="2024-Q1")
    assert ctx.period == Period(2024, "Q", 1)
    assert ctx.unit.code == "24631"  # xã Quảng Khê
    # now the heading "… quý I" is right and the title's "6 tháng đầu năm" is not
    labels = findings(claims, "period.label-mismatch")
    assert not [c for c in labels if c.place == line_of(seed_text, "hành chính quý I")]
    assert [c for c in labels if c.place == line_of(seed_text, "Công tác cải cách hành chính 6")]


# ----------------------------------------------------------------------------- a ward, 2025-Q3

NFD_THU = unicodedata.normalize("NFD", "thủ")
WARD = f"""UBND THÀNH PHỐ ĐÀ NẴNG
ỦY BAN NHÂN DÂN PHƯỜNG HÒA KHÁNH
Số:     /BC-UBND
Hòa Khánh, ngày 18 tháng 9 năm 2025
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính quý III năm 2025
I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ III/2025
1. Công tác chỉ đạo, điều hành
Trong quý III/2025, Ủy ban nhân dân phường đã ban hành 15 văn bản (04 kế hoạch, 06 công văn, 05 quyết định), trong đó có Công văn số 05/UBND-VP ngày 10/7/2025 về việc t\u01ceng cường kỷ luật, kỷ cương và Quyết định số 12/KH-UBND ngày 15/7/2025 về việc b\u0430n hành quy chế làm việc.
Trong quý II/2025, phường đã tổ chức 03 cuộc đối thoại với Nhân dân.
UBND thành phố Đà Nẵng đã ban hành 12 văn bản chỉ đạo về cải cách hành chính.
Phường ban hành Kế hoạch số 20/KH-UBND ngày 05/8/2025 về kiểm tra công vụ; theo Kế hoạch số 20/KH-UBND ngày 06/8/2025, đoàn kiểm tra đã làm việc với 04 tổ dân phố.
2. Kết quả giải quyết thủ tục hành chính
Tổng số hồ sơ tiếp nhận: 1.250 hồ sơ (kỳ trước chuyển sang 50, mới 1.180).
Đã giải quyết 1.200 hồ sơ, trong đó đúng hạn 1.154 hồ sơ, quá hạn 46 hồ sơ; tỷ lệ đúng hạn đạt 96,2%, quá hạn 3,8%.
Hồ sơ nộp trực tuyến 1.020/1.250 hồ sơ, đạt 81,6%; số hồ sơ được số hóa 980/1.200 hồ sơ (85,2%).
Lĩnh vực đất đai: đúng hạn 97,5%, quá hạn 3,5%.
Lĩnh vực hộ tịch đã giải quyết 400 hồ sơ, đúng hạn 390 hồ sơ, trễ hạn 20 hồ sơ.
(Số liệu tính từ ngày 15/6/2025 đến ngày 14/9/2025.)
Ngày 31/9/2025 phường tổ chức hội nghị đối thoại; ngày 30/9/2025 tổng kết đợt kiểm tra.
3. Cải cách tài chính công
Thu ngân sách trên địa bàn phường đạt 12.500.000.000 đồng, đạt 62,5% dự toán HĐND phường giao; chi ngân sách 9.000.000.000 đồng, đạt 45% dự toán HĐND giao.
Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 về thực hiện thủ tục hành chính theo cơ chế một cửa; Luật Tổ chức chính quyền địa phương năm 2025.
Hoạt động của Bộ phận Một cửa phường Hoà Khánh được duy trì; phối hợp với phường Hải Châu trong việc trao đổi kinh nghiệm. So với quý II/2025, số hồ sơ trực tuyến tăng 12%.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV/2025
Trong quý IV/2025, phường sẽ tiếp tục đẩy mạnh {NFD_THU} tục trực tuyến, hoàn thành trước ngày 15/12/2025.
Trên đây là báo cáo kết quả công tác cải cách hành chính quý III năm 2025 của UBND phường Hòa Khánh.
"""


@pytest.fixture(scope="module")
def ward():
    return run(WARD)


def test_ward_context(ward):
    ctx, _ = ward
    assert ctx.period == Period(2025, "Q", 3)
    assert ctx.report_date == date(2025, 9, 18)
    assert ctx.unit is not None and ctx.unit.code == "20200" and ctx.unit.era == "2025"


def test_ward_mistakes(ward):
    """Every planted mistake is found, and nothing else."""
    _, claims = ward
    at = lambda fragment: line_of(WARD, fragment)  # noqa: E731
    expected = Counter({
        ("reference.incomplete", at("Số:     /BC-UBND")): 1,
        ("text.lookalike", at("t\u01ceng cường")): 2,  # ǎ in "tǎng", Cyrillic а in "bаn"
        ("document.type-symbol", at("Quyết định số 12/KH-UBND")): 1,
        ("period.label-mismatch", at("Trong quý II/2025")): 1,
        ("unit.other-level", at("UBND thành phố Đà Nẵng đã ban hành")): 1,
        ("document.conflict", at("ngày 06/8/2025")): 1,
        # 50 + 1.180 = 1.230 ≠ 1.250
        ("parts.sum", at("1.250 hồ sơ (kỳ trước")): 1,
        # 980/1.200 = 81,67% ≠ 85,2%
        ("rate.mismatch", at("980/1.200")): 1,
        # 97,5 + 3,5 = 101
        ("shares.complement", at("đúng hạn 97,5%")): 1,
        # 390 + 20 = 410 ≠ 400 resolved
        ("parts.sum", at("hộ tịch")): 1,
        ("date.invalid", at("31/9/2025")): 1,
        ("date.after-report", at("30/9/2025")): 1,
        ("text.decomposed", at(NFD_THU)): 1,
        ("unit.name-variants", "toàn báo cáo"): 1,
    })
    assert Counter((c.finding.rule, c.place) for c in findings(claims)) == expected
    by_rule = {c.finding.rule: c.finding for c in findings(claims)}
    parts = " ".join(c.finding.message for c in findings(claims, "parts.sum"))
    assert "50 + 1.180 = 1.230" in parts and "390 + 20 = 410" in parts
    assert "980/1.200 = 81,7%" in by_rule["rate.mismatch"].message
    assert "101%" in by_rule["shares.complement"].message
    assert {c.finding.found for c in findings(claims, "text.lookalike")} == {"U+01CE", "U+0430"}
    assert '"Hòa Khánh"' in by_rule["unit.name-variants"].message
    assert '"Hoà Khánh"' in by_rule["unit.name-variants"].message
    assert "Hải Châu" not in by_rule["unit.name-variants"].message
    assert "05/8/2025" in by_rule["document.conflict"].message
    assert "cấp tỉnh" in by_rule["unit.other-level"].message


def test_ward_what_holds(ward):
    _, claims = ward
    at = lambda fragment: line_of(WARD, fragment)  # noqa: E731
    assert oks(claims, "parts.sum", at("15 văn bản (04 kế hoạch"))  # 4 + 6 + 5 = 15
    assert oks(claims, "parts.sum", at("Đã giải quyết 1.200"))  # 1.154 + 46 = 1.200
    assert oks(claims, "shares.complement", at("Đã giải quyết 1.200"))  # 96,2 + 3,8 = 100
    assert oks(claims, "rate.mismatch", at("1.020/1.250"))  # 81,6% exactly
    # 12.500.000.000 / 62,5% = 9.000.000.000 / 45% = 20 billion
    assert oks(claims, "budget.estimates-differ", at("12.500.000.000"))
    assert oks(claims, "window.differs", at("15/6/2025"))  # the official quý III window
    assert oks(claims, "period.label-mismatch", at("Trong quý III/2025"))
    assert oks(claims, "period.label-mismatch", at("Trên đây là báo cáo"))
    assert oks(claims, "document.type-symbol", at("Công văn số 05/UBND-VP"))
    for fragment in ("So với quý II/2025", "Trong quý IV/2025", "II. PHƯƠNG HƯỚNG"):
        assert not [c for c in findings(claims) if c.place == at(fragment)
                    and c.finding.rule not in ("text.decomposed",)], fragment


# ----------------------------------------------------------------------------- a commune, 2024-Q1

COMMUNE = """UBND HUYỆN ĐẮK GLONG
ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN
Số: …/BC-UBND
Quảng Sơn, ngày    tháng    năm 2024
BÁO CÁO
Tình hình, kết quả thực hiện công tác cải cách hành chính quý I năm 2024
1. Kết quả thực hiện kế hoạch
Trong quý I, UBND xã đã hoàn thành đạt 55/72 nhiệm vụ (100%) theo Kế hoạch số 15/QĐ-UBND ngày 11/01/2024 về cải cách hành chính năm 2024; thực hiện Nghị định số 33/2023/NĐ-CP, ngày 10/6/2022 của Chính phủ; Quyết định số 65/QĐ-UBND ngày 02/01/2024 ban hành Kế hoạch CCHC năm 2024.
Kết quả thực hiện trong 6 tháng đầu năm 2024 như sau: đã tiếp nhận 300 hồ sơ, trong đó 45 hồ sơ (15%) nộp trực tuyến; giải quyết 280 hồ sơ, trong đó trước hạn 100 hồ sơ, đúng hạn 170 hồ sơ, trễ hạn 10 hồ sơ; đúng hạn 270 hồ sơ (tỷ lệ 90% so với số hồ sơ đã giải quyết).
Số cán bộ, công chức đạt chuẩn 27/25 người; cán bộ trẻ 5/21 người.
Thu ngân sách 1.500 triệu đồng đạt 30% dự toán HĐND xã giao; chi ngân sách 1.200 triệu đồng đạt 30% dự toán HĐND giao.
Thu phí, lệ phí 100.000.000 đồng đạt 50% dự toán; chi thường xuyên 80.000.000 đồng đạt 20% dự toán.
Số liệu tính từ ngày 01/01/2024 đến ngày 31/3/2024. Theo Quyết định số 07/QĐ-UBND ngày …/…/2024 của UBND xã Quảng Sơn; Kế hoạch số 12/KH-UBND ngày 15/01/2024 của Ủy b\u0430n nhân dân xã Quảng S\u03bfn, UBND xã Quảng Khê.
Trong năm 2024, xã tiếp tục triển khai Luật Đất đai năm 2024. Trong năm 2023 xã đã tổ chức 02 hội nghị.
(Kèm theo Báo cáo số 15/BC-UBND ngày 10/3/2024 của UBND xã Quảng Sơn)
"""


@pytest.fixture(scope="module")
def commune():
    return run(COMMUNE)


def test_commune_context(commune):
    ctx, _ = commune
    assert ctx.period == Period(2024, "Q", 1)
    assert ctx.report_date == date(2024, 3, 10)  # from "Kèm theo Báo cáo số 15/BC-UBND ngày …"
    assert ctx.unit.code == "24616"


def test_commune_mistakes(commune):
    _, claims = commune
    at = lambda fragment: line_of(COMMUNE, fragment)  # noqa: E731
    expected = Counter({
        ("reference.incomplete", at("Số: …/BC-UBND")): 1,
        ("reference.incomplete", at("ngày    tháng    năm 2024")): 1,
        # 55/72 = 76,39% ≠ 100%
        ("rate.mismatch", at("55/72")): 1,
        ("document.type-symbol", at("Kế hoạch số 15/QĐ-UBND")): 1,
        ("document.symbol-malformed", at("33/2023/NĐ-CP, ngày 10/6/2022")): 1,
        ("period.label-mismatch", at("trong 6 tháng đầu năm 2024")): 1,
        # 270 / 280 resolved = 96,4% ≠ 90%
        ("rate.mismatch", at("đúng hạn 270 hồ sơ")): 1,
        ("value.done-exceeds-total", at("27/25 người")): 1,
        # 1.500 / 30% = 5.000 triệu; 1.200 / 30% = 4.000 triệu: one estimate cannot give both
        ("budget.estimates-differ", at("1.200 triệu đồng")): 1,
        # "đạt 50% dự toán" and "đạt 20% dự toán" name no estimate: only a note
        ("claim.unsure", at("80.000.000 đồng")): 1,
        ("window.differs", at("01/01/2024 đến ngày 31/3/2024")): 1,
        ("date.after-report", at("31/3/2024")): 1,
        ("reference.incomplete", at("ngày …/…/2024")): 1,
        ("text.lookalike", at("Ủy b\u0430n")): 2,  # Cyrillic а, Greek ο
        ("claim.unsure", at("Trong năm 2024")): 1,  # the year around the quarter: a note
        ("period.label-mismatch", at("Trong năm 2023")): 1,
        ("report.before-window-end", at("Kèm theo")): 1,
        ("unit.name-variants", "toàn báo cáo"): 1,
    })
    assert Counter((c.finding.rule, c.place) for c in findings(claims)) == expected
    severities = {(c.finding.rule, c.finding.severity) for c in findings(claims)}
    assert ("claim.unsure", "note") in severities
    assert ("budget.estimates-differ", "warning") in severities
    messages = " ".join(c.finding.message for c in findings(claims))
    assert "55/72 = 76,4%" in messages
    assert "270/280 = 96,4%" in messages
    assert "5.000 triệu đồng" in messages and "4.000 triệu đồng" in messages
    blank_date = [c for c in findings(claims, "reference.incomplete") if "tháng" in c.excerpt]
    assert blank_date[0].finding.message.startswith("Ngày của báo cáo")


def test_commune_what_holds(commune):
    _, claims = commune
    at = lambda fragment: line_of(COMMUNE, fragment)  # noqa: E731
    line = at("giải quyết 280 hồ sơ")
    assert oks(claims, "parts.sum", line)  # 100 + 170 + 10 = 280
    assert oks(claims, "rate.mismatch", line)  # 45 of the 300 received = 15%
    assert oks(claims, "value.done-exceeds-total", at("5/21 người"))
    assert oks(claims, "period.label-mismatch", at("Trong quý I,"))
    # "Quyết định số 65/QĐ-UBND … ban hành Kế hoạch …": the type word is the one before "số"
    refs = [c for c in findings(claims) if "65/QĐ-UBND" in str(c.finding.found)]
    assert not refs


# ----------------------------------------------------------------------------- a Word report

def _docx_blocks() -> list[Block]:
    header = ("UBND HUYỆN ĐẮK GLONG\nỦY BAN NHÂN DÂN XÃ ĐẮK SOM\nSố: /BC-UBND",
              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
              "Đắk Som, ngày 05 tháng 10 năm 2024")
    paragraphs = [
        "BÁO CÁO",
        "Kết quả công tác cải cách hành chính 9 tháng đầu năm 2024",
        "I. KẾT QUẢ THỰC HIỆN 9 THÁNG ĐẦU NĂM 2024",
        "Lũy kế 9 tháng đầu năm 2024, Bộ phận Một cửa xã đã tiếp nhận 520 hồ sơ, trong đó "
        "480 hồ sơ (92,3%) được giải quyết đúng hạn.",
        "Số liệu tính từ ngày 15/12/2023 đến ngày 14/9/2024.",
        "Tỷ lệ hồ sơ trực tuyến đạt 45,5%, trực tiếp 54,5%.",
        "Trong quý III, UBND xã Đắk Som tổ chức 02 hội nghị đối thoại.",
    ]
    blocks = [Block("bảng 1, dòng 1", "\t".join(header), header, 0)]
    for n, text in enumerate(paragraphs, start=1):
        blocks.append(Block(f"đoạn {n}", text, (), len(blocks)))
    row = ("3.4.1.", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Hồ sơ", "394", "295", "99,9")
    blocks.append(Block("bảng 2, dòng 3", "\t".join(row), row, len(blocks)))
    return blocks


def test_word_report():
    ctx, claims = check_blocks(_docx_blocks())
    assert ctx.period == Period(2024, "9M")
    assert ctx.report_date == date(2024, 10, 5)
    assert ctx.unit.code == "24637" and ctx.unit_text == "xã Đắk Som"
    assert Counter((c.finding.rule, c.place) for c in findings(claims)) == Counter({
        ("reference.incomplete", "bảng 1, dòng 1"): 1,  # "Số: /BC-UBND" in the header table
        ("report.after-deadline", "bảng 1, dòng 1"): 1,  # 05/10 after 20/09
        ("claim.unsure", "đoạn 7"): 1,  # quý III: a part of the nine months
    })
    assert oks(claims, "rate.mismatch", "đoạn 4")  # 480/520 = 92,31%
    assert oks(claims, "shares.complement", "đoạn 6")  # 45,5 + 54,5 = 100
    assert oks(claims, "window.differs", "đoạn 5")  # 15/12/2023–14/9/2024: the official window
    assert not [c for c in claims if c.place == "bảng 2, dòng 3"]  # the appendix is not read here


# ----------------------------------------------------------------------------- patterns

def _ctx_h1() -> ReportContext:
    return ReportContext(periods.parse_period("2024-H1"), "6 tháng đầu năm 2024",
                         date(2024, 6, 18), "18/06/2024", units.get_unit("24622", era="2008"),
                         "xã Đắk Ha")


def _claims(*lines: str) -> list[Claim]:
    return check_text(read_text("\n".join(lines)), _ctx_h1())


def test_fractions_and_their_percents():
    claims = _claims(
        "Hoàn thành 55/72 nhiệm vụ, đạt 76,4%.",  # 76,39 → 76,4
        "Đã giải quyết 295/394 hồ sơ, đạt 74,9%.",  # 74,87 → 74,9
        "Số hồ sơ trực tuyến 12/40 hồ sơ (tỷ lệ 35%).",  # 30% ≠ 35%
        "Tháng 6/2024 tiếp nhận hồ sơ; Nghị quyết 35/2021 của HĐND; đường 3/2.",
    )
    rates = [c for c in claims if c.rule == "rate.mismatch"]
    assert [c.ok for c in rates] == [True, True, False]
    assert "12/40 = 30%" in rates[2].finding.message
    assert not [c for c in claims if c.place == "dòng 4"]


def test_dates_and_symbols_are_not_fractions():
    claims = _claims("Nghị định số 34/2016/NĐ-CP ngày 14/5/2016 và Quyết định số 15/QĐ-UBND "
                     "ngày 05/01/2024.")
    here = [c for c in claims if c.place == "dòng 1"]
    assert {c.rule for c in here} == {"document.type-symbol", "date.after-report"}
    assert len(here) == 4 and all(c.ok for c in here)


def test_documents_conflict_and_padding():
    claims = _claims(
        "Ban hành Kế hoạch số 09/KH-UBND ngày 11/01/2024, Thông báo số 10/TB-UBND ngày 12/01/2024.",
        "Thực hiện Quyết định số 09/KH-UBND ngày 11/01/2024; Chỉ thị số 3/CT-UBND ngày 15/01/2024.",
        "Kế hoạch số 11/KH-UBND ngày 20/01/2024, theo Kế hoạch số 11/KH-UBND ngày 21/01/2024.",
    )
    rules = Counter((c.finding.rule, c.finding.severity, c.place) for c in findings(claims))
    assert rules == Counter({
        ("document.type-symbol", "error", "dòng 2"): 1,  # Quyết định … /KH-
        ("document.conflict", "error", "dòng 2"): 1,  # 09/KH-UBND: Kế hoạch and Quyết định
        ("document.symbol-malformed", "note", "dòng 2"): 1,  # 3 → 03
        ("document.conflict", "error", "dòng 3"): 1,  # 11/KH-UBND: 20/01 and 21/01
    })


def test_blanks():
    claims = _claims("Số:     /BC-UBND", "Đắk Ha, ngày   tháng   năm 2024",
                     "Kèm theo Báo cáo số …/BC-UBND ngày …/…/2024 của UBND xã Đắk Ha.")
    blank = findings(claims, "reference.incomplete")
    assert [c.place for c in blank] == ["dòng 1", "dòng 2", "dòng 3", "dòng 3"]
    assert all(c.finding.severity == "warning" for c in blank)


def test_lookalikes_and_decomposed():
    cyrillic_o = "\u043e"
    text = (f"UBND xã đã tổ chức đối th{cyrillic_o}ại với Nhân dân; "
            f"{unicodedata.normalize('NFD', 'Đắk Ha')} tiếp tục triển khai.")
    claims = _claims(text, "Сыктывкар is a city.")  # a Russian word alone is not a look-alike
    look = findings(claims, "text.lookalike")
    assert [(c.finding.found, c.place) for c in look] == [("U+043E", "dòng 1")]
    assert "thoại" in look[0].finding.message.replace(cyrillic_o, "o")
    dec = findings(claims, "text.decomposed")
    assert {c.finding.message.split('"')[1] for c in dec} == {"Đắk"}
    assert all(c.finding.severity == "note" for c in dec)


def test_period_phrases_that_are_not_results():
    claims = _claims(
        "Triển khai Luật Đất đai năm 2024, Kế hoạch CCHC năm 2024 và tổng kết năm 2023.",
        "So với 6 tháng đầu năm 2023, số hồ sơ tăng; cùng kỳ năm 2023 là 500 hồ sơ.",
        "Chương trình tổng thể giai đoạn 2021-2030; phương hướng 6 tháng cuối năm 2024.",
        "Trong 6 tháng đầu năm 2024, xã tiếp nhận 100 hồ sơ.",
    )
    labels = [c for c in claims if c.rule == "period.label-mismatch"]
    assert [(c.place, c.ok) for c in labels] == [("dòng 4", True)]


def test_annual_and_two_halves_titles():
    annual = read_text("BÁO CÁO\nTổng kết công tác cải cách hành chính năm 2024 và phương hướng, "
                       "nhiệm vụ năm 2025\nTrong năm 2024, UBND xã Quảng Khê tiếp nhận 10 hồ sơ.")
    assert detect_context(annual).period == Period(2024, "Y")
    halves = read_text("BÁO CÁO\nCông tác CCHC 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng "
                       "cuối năm 2025")
    assert detect_context(halves).period == Period(2025, "H1")


def test_ambiguous_unit_stays_unresolved():
    blocks = read_text("BÁO CÁO\nKết quả công tác cải cách hành chính quý III năm 2025\n"
                       "Trong quý III/2025, UBND phường Tân An đã tiếp nhận 10 hồ sơ.\n"
                       "Trên đây là báo cáo của UBND phường Tân An.")
    ctx = detect_context(blocks)
    assert ctx.unit is None and ctx.unit_text == "phường Tân An"
    hinted = detect_context(blocks, unit_hint="24163")
    assert hinted.unit is not None and hinted.unit.code == "24163"


def test_wholes_and_parts_written_differently():
    claims = _claims(
        "Tổng số hồ sơ tiếp nhận trong kỳ: 620 hồ sơ; trong đó: trực tuyến 400 hồ sơ, trực tiếp "
        "220 hồ sơ.",  # 400 + 220 = 620
        "Tổng số hồ sơ tiếp nhận trong kỳ: 620 hồ sơ; trong đó: trực tuyến 500 hồ sơ, trực tiếp "
        "220 hồ sơ.",  # 720 > 620
        "Tiếp nhận 500 hồ sơ, giải quyết 480 hồ sơ (96%), trong đó đúng hạn 470 hồ sơ, quá hạn "
        "10 hồ sơ.",  # 480/500 = 96%; 470 + 10 = 480
        "Dân số 12.000 người (nam 6.000, nữ 6.100).",  # 12.100 ≠ 12.000
        "Tiếp nhận 1.234 hồ sơ (tăng 10% so với cùng kỳ), giải quyết 1.200 hồ sơ (Kế hoạch số "
        "10/KH-UBND, Quyết định số 12/QĐ-UBND).",  # brackets that are not parts
    )
    parts = [(c.place, c.ok) for c in claims if c.rule == "parts.sum"]
    assert parts == [("dòng 1", True), ("dòng 2", False), ("dòng 3", True), ("dòng 4", False)]
    assert oks(claims, "rate.mismatch", "dòng 3")
    assert "6.000 + 6.100 = 12.100" in findings(claims, "parts.sum")[1].finding.message


def test_period_in_a_cited_plan_is_not_the_report_period():
    claims = _claims("Ban hành Kế hoạch số 22/KH-UBND ngày 18/01/2024 về thực hiện công tác CCHC "
                     "trong năm 2024; trong 6 tháng đầu năm 2024 đã hoàn thành 30 nhiệm vụ.")
    labels = [c for c in claims if c.rule == "period.label-mismatch"]
    assert [(c.ok, "6 tháng" in c.excerpt) for c in labels] == [(True, True)]
    assert not findings(claims)


# ----------------------------------------------------------------------------- the registry

def test_a_family_registers_itself_and_runs_without_further_wiring(monkeypatch):
    from cchc_lib.audit import registry

    monkeypatch.setattr(registry, "FAMILIES", list(registry.FAMILIES))
    read = []

    @registry.each_text()
    def every_block(t, reading, out):
        read.append(t.place)

    @registry.whole_report
    def once(reading, out):
        out.ok("test.family", reading.texts[0], 0, "cả báo cáo")

    claims = _claims("Dòng một.", "Dòng hai.")
    assert read == ["dòng 1", "dòng 2"]
    assert [c.excerpt for c in claims if c.rule == "test.family"] == ["cả báo cáo"]


def test_every_family_is_registered_once_the_header_readers_first():
    from cchc_lib.audit.registry import FAMILIES

    names = [f.name for f in FAMILIES]
    assert len(names) == len(set(names))
    modules = {f.check.__module__ for f in FAMILIES}
    assert modules == {f"cchc_lib.audit.{m}" for m in ("hygiene", "refs", "numbers", "parts",
                                                       "wholes", "dates", "names", "spelling")}
    header = [f.header for f in FAMILIES if f.each_text]
    assert header == sorted(header, reverse=True)
