"""The commune report's parts: official layout, corrected figures, escaping, missing data."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from cchc_lib import units
from cchc_lib.errors import CchcError
from cchc_lib.model import Submission
from cchc_lib.report import CommuneReport, load_commune_report
from cchc_lib.store import open_store
from cchc_lib.synth import synth_submission


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def text_of(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def tags_of(html: str) -> list[str]:
    p = _Text()
    p.feed(html)
    return p.tags


@pytest.fixture(scope="module")
def report():
    return load_commune_report()


def test_header_follows_nghi_dinh_30(report):
    text = text_of(report.header())
    assert text.startswith("UBND HUYỆN ĐẮK GLONG ỦY BAN NHÂN DÂN XÃ ĐẮK HA Số: /BC-UBND")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "Đắk Ha, ngày 07 tháng 3 năm 2024" in text
    assert "BÁO CÁO Công tác cải cách hành chính 6 tháng đầu năm" in text


def test_sections_carry_free_text_and_corrected_figures(report):
    i1 = text_of(report.section("I.1"))
    assert i1.startswith("1. Công tác chỉ đạo, điều hành Trên cơ sở văn bản chỉ đạo")
    assert "đã hoàn thành 55 nhiệm vụ, đạt 76,4%" in i1
    ii3 = text_of(report.section("II.3"))
    assert "13/21 (61,9%)" in ii3 and "76,5%" not in ii3
    ii2 = text_of(report.section("II.2"))
    assert "661 hồ sơ" in ii2 and "74,9%" in ii2 and "25,1%" in ii2
    assert text_of(report.section("II")).startswith("II. KẾT QUẢ TỔ CHỨC THỰC HIỆN")


def test_signature_block_and_recipients(report):
    text = text_of(report.signature())
    # Nghị định 30: "- …;" on every line, the last "- Lưu: VT." (the commune typed some ";")
    assert ("Nơi nhận: - UBND huyện; - Phòng Nội vụ huyện (b/c); - Đảng ủy xã; - HĐND xã; "
            "- Chủ tịch và các Phó Chủ tịch xã; - BTT.UBMTTQ và các đoàn thể (ph/hợp); "
            "- Ban tự quản các thôn, bon; - Lưu: VT.") in text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Cù Xuân Sang" in text
    assert text.startswith("Trên đây là Báo cáo công tác cải cách hành chính 6 tháng đầu năm "
                           "2024 và phương hướng nhiệm vụ 6 tháng cuối năm của Ủy ban nhân dân "
                           "xã Đắk Ha. Kính gửi Ủy ban nhân dân huyện Đắk Glong được biết và "
                           "tổng hợp./.")


def test_appendix_shows_computed_rates_and_marks_typed_ones(report):
    html = report.appendix()
    text = text_of(html)
    assert "PHỤ LỤC SỐ 01 Thống kê số liệu kết quả thực hiện cải cách hành chính" in text
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    assert len(rows) == 1 + 95  # header + every appendix row of the form
    row_112 = text_of(next(r for r in rows if "Số nhiệm vụ đã hoàn thành<" in r))
    assert "76,4 (ghi 100)" in row_112
    row_341 = text_of(next(r for r in rows if "tiếp nhận được giải quyết đúng hạn" in r))
    assert row_341.endswith("394 295 74,9") and "ghi" not in row_341
    row_73 = text_of(next(r for r in rows if "Hệ thống thông tin báo cáo và kết nối" in r))
    assert "2 (Hoàn thành)" in row_73


def test_checks_go_to_the_check_sheet_not_into_the_report(report):
    part = report.checks()
    assert str(part) == ""  # nothing printed in the report that is signed and sent
    rows = part.data["rows"]
    # 27: with the note that the seed has no report of the period before (period.no-previous)
    assert len(rows) == len(report.findings) == 27
    first = rows[0]
    assert first["rule"] == "rate.mismatch" and first["found"] == "100"
    assert first["expected"] == "76,4"
    assert (first["sheet"], first["stt"]) == ("PL01", "1.1.2.")
    assert part.data["counts"] == {"error": 14, "warning": 7, "note": 6}


def test_checks_section_stays_available_for_an_internal_draft(report):
    draft = CommuneReport(report.sub, report.unit, report.period, show_checks=True)
    text = text_of(draft.checks())
    assert text.startswith("Kiểm tra số liệu")
    assert "rate.mismatch PHỤ LỤC SỐ 01, chỉ tiêu 1.1.2" in text
    assert "32/05/2024" in text and "15/QĐ-UBND" in text


def test_recipient_lines_follow_nghi_dinh_30():
    from cchc_lib.report import recipient_lines

    assert recipient_lines(["UBND huyện", "- Phòng Nội vụ (b/c);", "Lưu: VT, VP."]) == [
        "- UBND huyện;", "- Phòng Nội vụ (b/c);", "- Lưu: VT, VP."]
    assert recipient_lines(["Như trên."]) == ["- Như trên;", "- Lưu: VT."]
    assert recipient_lines([]) == ["- Lưu: VT."]


def test_text_a_commune_typed_is_shown_as_text(report):
    sub = replace(report.sub, sections={**report.sub.sections,
                                        "IV": ("<script>alert('x')</script> và <b>đậm</b>",)},
                  header=replace(report.sub.header, signer_name="<i>Tên</i>"))
    r = CommuneReport(sub, report.unit, report.period)
    html = r.section("IV") + r.signature()
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; và &lt;b&gt;đậm&lt;/b&gt;" in html
    assert "script" not in tags_of(html) and "b" not in tags_of(html)


def test_missing_data_renders_as_chua_co_so_lieu():
    unit = units.get_unit("24616", era="2008")
    from cchc_lib.periods import parse_period

    r = CommuneReport(Submission(unit_code="24616", period="2024-H1"), unit,
                      parse_period("2024-H1"))
    assert "Chưa có số liệu." in text_of(r.section("II.5"))
    assert "Biểu đồ: chưa có số liệu." in text_of(r.chart("budget"))
    assert text_of(r.header()).count("ngày … tháng … năm 2024") == 1
    assert "Số: /BC-UBND" in text_of(r.header())
    assert text_of(r.appendix()).count("76,4") == 0


def test_charts_are_figures_with_a_vietnamese_alt_text_when_there_is_data(report):
    from matplotlib.figure import Figure

    from cchc_lib.parts import PART_MIME

    for name in ("tasks", "dossiers", "budget", "staff"):
        chart = report.chart(name)
        assert isinstance(chart.fig, Figure), name
        data, meta = chart._repr_mimebundle_()
        assert meta["image/png"]["alt"] == data["text/plain"] == chart.alt
        assert data[PART_MIME]["kind"] == "chart" and chart.alt.startswith("Biểu đồ")
    # the alt text states the chart's figures: the dossier chart's 74,9% and 25,1%
    alt = report.chart("dossiers").alt
    assert "74,9%" in alt and "25,1%" in alt, alt
    alt = report.chart("tasks").alt
    assert "72" in alt and "55" in alt and "76,4%" in alt, alt
    assert report.chart("trend") == ""  # the sample has no earlier period


def test_illustrative_data_carries_a_banner():
    unit = units.get_unit("24616", era="2008")
    sub = synth_submission(unit, "2024-H1", seed=2)
    from cchc_lib.periods import parse_period

    r = CommuneReport(sub, unit, parse_period("2024-H1"))
    assert "DỮ LIỆU MINH HỌA" in r.banner()
    assert load_commune_report().banner() == ""


def test_store_source_with_history_draws_the_trend(tmp_path):
    unit = units.get_unit("24616", era="2008")
    store = tmp_path / "s.sqlite"
    with open_store(store) as st:
        for period in ("2024-Q1", "2024-H1", "2024-9M"):
            st.ingest(synth_submission(unit, period, seed=1))
    r = load_commune_report("Quảng Sơn, Đắk Glong", "2024-9M", source="store", store=store)
    from matplotlib.figure import Figure

    assert len(r.history) == 2 and isinstance(r.chart("trend").fig, Figure)


@pytest.mark.parametrize("kwargs, message", [
    (dict(unit="Không Có Xã Này"), "Không tìm thấy"),
    (dict(period="2024-Q7"), "2024-Q7"),
    (dict(unit="24616"), "không phải xã Quảng Sơn"),
    (dict(source="excel"), "Nguồn dữ liệu"),
])
def test_a_unit_or_period_that_does_not_exist_stops_with_a_clear_message(kwargs, message):
    with pytest.raises(CchcError, match=message):
        load_commune_report(**kwargs)


def test_a_period_missing_from_the_store_stops_with_a_clear_message(tmp_path):
    with open_store(tmp_path / "e.sqlite") as st:
        st.ingest(load_commune_report().sub)  # 2024-H1 only
    with pytest.raises(CchcError, match="24622"):
        load_commune_report("24622", "2024-Q1", source="store", store=tmp_path / "e.sqlite")


def test_a_store_that_does_not_exist_is_named_not_created(tmp_path):
    missing = tmp_path / "kho" / "go-nham.sqlite"
    with pytest.raises(CchcError, match="Không tìm thấy kho dữ liệu .*go-nham.sqlite"):
        load_commune_report("24622", "2024-H1", source="store", store=missing)
    assert not missing.exists()
