"""The province's consolidated report (its own BÁO CÁO): figures rolled up over its units and
checked by hand, every printed rate its printed fraction, the issuer's header, the province's own
text, PHỤ LỤC SỐ 01 with the number of units behind each row, and the batch that makes it.

The figures (tỉnh Lâm Đồng, quý I năm 2026; 4 of its 124 communes and wards report):

=======  =================  ==========  =========  ===============  =====  ==========================
unit     1.1.1 total/done   1.1.2 fig.  2.1        3.4.1            1.5    S.5.1 (estimate/collected)
=======  =================  ==========  =========  ===============  =====  ==========================
A 22918  10 / 8             8           4 / 3      394 / 295 (typed 100%)  1
B 22924  20 / 15            15          —          118 / 40         0
C 22933  5 / 5              5           —          100 / —          1
D 22945  4 / —              —           —          —                —      1.000.000.000 / 750.000.000
=======  =================  ==========  =========  ===============  =====  ==========================

By hand: 1.1.1 and 1.1.2 over A, B, C (D gave no done figure, no 1.1.2): 28/35 = 80%;
3.4.1 over A, B (C gave no done figure): 335/512 = 65,43…% → 65,4%; 1.5: Có 2, Không 1;
2.1: 3/4 = 75%; S.5.1: 750.000.000/1.000.000.000 = 75%; reported 4/124 = 3,22…% → 3,2%.
Ranking on 3.4.1: A 295/394 = 74,87…% → 74,9% above B 40/118 = 33,89…% → 33,9%; on 1.1.2:
C 5/5 = 100% above A 80% above B 15/20 = 75%.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cchc_lib import units
from cchc_lib.errors import CchcError, InputError
from cchc_lib.model import Header, Submission, Value
from cchc_lib.periods import parse_period
from cchc_lib.province import ProvinceReport, load_province_report
from cchc_lib.province_text import load_province_text, parse_province_text
from cchc_lib.rates import percent
from cchc_lib.store import open_store

PERIOD = "2026-Q1"
A, B, C, D = "22918", "22924", "22933", "22945"


def value(code, total=None, done=None, rate=None):
    return Value(code, total=total, done=done, rate=rate)


def submissions() -> list[Submission]:
    figures = {
        A: [value("1.1.1", 10, 8), value("1.1.2", 8), value("2.1", 4, 3),
            value("3.4.1", 394, 295, rate=100), value("1.5", 1)],
        B: [value("1.1.1", 20, 15), value("1.1.2", 15), value("3.4.1", 118, 40),
            value("1.5", 0)],
        C: [value("1.1.1", 5, 5), value("1.1.2", 5), value("3.4.1", 100), value("1.5", 1)],
        D: [value("1.1.1", 4), value("S.5.1", 1_000_000_000, 750_000_000)],
    }
    return [Submission(code, PERIOD, header=Header(report_number="7", report_date="10/03/2026"),
                       values={v.code: v for v in vals}, source="tests")
            for code, vals in figures.items()]


def province(text=None) -> ProvinceReport:
    parent = units.get_unit("68", era="2025")
    expected = units.children(parent, level="commune")
    kwargs = {"text": text} if text is not None else {}
    return ProvinceReport(parent, parse_period(PERIOD), expected, submissions(), **kwargs)


def vn(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


FRACTION = re.compile(r"(\d[\d.]*)/(\d[\d.]*) [^()\d/]*?\((\d+(?:,\d+)?)%\)")


def all_text(report: ProvinceReport) -> str:
    keys = [s["key"] for s in report.layout["sections"]]
    parts = [report.opening().data["text"]]
    for key in keys:
        parts += report.section(key).data["paragraphs"]
    return "\n".join(parts)


def test_sections_state_the_rollup_computed_by_hand():
    text = all_text(province())
    for expected in (
            "Đến ngày lập báo cáo, 4/124 đơn vị cấp xã (3,2%) thuộc tỉnh Lâm Đồng đã gửi báo cáo.",
            "Còn 120 đơn vị chưa gửi báo cáo",
            "Số nhiệm vụ đã hoàn thành: 28/35 nhiệm vụ (80%) so với số nhiệm vụ đề ra trong kế "
            "hoạch, theo số liệu của 3 đơn vị.",
            "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn: 335/512 hồ sơ "
            "(65,4%), theo số liệu của 2 đơn vị.",
            "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp: Có: 2 đơn vị; "
            "Không: 1 đơn vị.",
            "Số VBQPPL đã ban hành/tham mưu ban hành: 3/4 văn bản (75%), theo số liệu của 1 đơn vị.",
            "Thu ngân sách nhà nước trên địa bàn: 750.000.000/1.000.000.000 đồng (75%) so với dự "
            "toán được giao, theo số liệu của 1 đơn vị."):
        assert expected in text, expected


def test_best_and_weakest_units_each_with_its_own_fraction():
    text = all_text(province())
    assert ("Hồ sơ TTHC giải quyết đúng hạn: chung 335/512 hồ sơ (65,4%) trên 2 đơn vị có số "
            "liệu; cao nhất phường Mũi Né 295/394 hồ sơ (74,9%); thấp nhất phường Phú Thuỷ "
            "40/118 hồ sơ (33,9%).") in text
    assert ("Nhiệm vụ kế hoạch CCHC hoàn thành: chung 28/35 nhiệm vụ (80%) trên 3 đơn vị có số "
            "liệu; cao nhất phường Hàm Thắng 5/5 nhiệm vụ (100%); thấp nhất phường Phú Thuỷ "
            "15/20 nhiệm vụ (75%).") in text
    assert "Thu ngân sách so với dự toán: chưa đủ số liệu để so sánh" in text


def test_every_printed_rate_is_its_printed_fraction():
    report = province()
    found = FRACTION.findall(all_text(report))
    assert len(found) >= 10
    for num, den, rate in found:
        assert vn(rate) == Decimal(str(percent(vn(num), vn(den), 1))), (num, den, rate)
    rows = [r for r in report.appendix().data["rows"] if r["rate"]]
    assert rows
    for r in rows:
        assert vn(r["rate"]) == Decimal(str(percent(vn(r["done"]), vn(r["total"]), 1))), r


def test_appendix_rows_are_rolled_up_with_the_units_behind_each():
    rows = {r["printed"] + r["title"]: r for r in province().appendix().data["rows"]}

    def row(printed, title):
        r = rows[printed + title]
        return [r["total"], r["done"], r["rate"], r["units"], r["note"]]

    assert row("1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch") == [
        "35", "28", "80", "3", "1 đơn vị khác ghi thiếu số liệu, không cộng vào dòng này"]
    # a ratio row: its figure over 1.1.1's total, the same three units
    assert row("1.1.2.", "Số nhiệm vụ đã hoàn thành") == ["35", "28", "80", "3", ""]
    assert row("3.4.1.", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn") \
        == ["512", "335", "65,4", "2", "1 đơn vị khác ghi thiếu số liệu, không cộng vào dòng này"]
    assert row("2.1.", "Số VBQPPL đã ban hành/tham mưu ban hành") == ["4", "3", "75", "1", ""]
    assert row("1.5.", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp") \
        == ["", "", "", "3", "Không: 1; Có: 2"]
    assert row("2.2.", "Số VBQPPL đã kiểm tra theo thẩm quyền") == ["", "", "", "", ""]
    assert rows["1.Công tác chỉ đạo điều hành CCHC"]["group"]


def test_checks_section_names_what_was_found():
    report = province()
    text = "\n".join(report.section("IV").data["paragraphs"])
    assert "trong 4 báo cáo đã gửi" in text
    assert "phường Mũi Né" in text.split("Các đơn vị có nhiều lỗi nhất:")[1]
    table = report.checks_table().data
    rules = {r[1]: r for r in table["rows"]}
    assert rules["rate.mismatch"][2:] == ["1", "1"]  # A typed 100% for 295/394


def test_a_province_issues_as_ubnd_tinh_by_default():
    report = province()
    header = report.header().data
    assert (header["superior"], header["organ_1"], header["organ_2"]) == (
        None, "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG")
    assert header["symbol"] == "BC-UBND" and header["number"] == ""
    assert header["place_date"] == "Lâm Đồng, ngày … tháng … năm 2026"
    assert report.addressee().data["lines"] == ["Bộ Nội vụ"]
    sig = report.signature().data
    assert sig["authority"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert sig["recipients"][0] == "- Như trên;" and sig["recipients"][-1] == "- Lưu: VT, SNV."
    # the free-text parts the province has not written say where to write them
    assert "ghi vào mục V.1" in report.section("V.1").data["missing"]


def test_the_provinces_own_text_fills_the_header_sections_and_signature():
    text = parse_province_text({
        "issuer": "so_noi_vu", "report_number": 45, "report_date": "15/03/2026",
        "signer_name": "Trần Thị B",
        "sections": {"V.1": "Ưu điểm thứ nhất.", "I.1": ["Đoạn một.", "Đoạn hai."]}})
    report = province(text)
    header = report.header().data
    assert header["superior"] == "UBND TỈNH LÂM ĐỒNG" and header["organ_1"] == "SỞ NỘI VỤ"
    assert (header["number"], header["symbol"]) == ("45", "BC-SNV")
    assert header["place_date"] == "Lâm Đồng, ngày 15 tháng 3 năm 2026"
    assert report.addressee().data["lines"] == ["- Ủy ban nhân dân tỉnh Lâm Đồng;",
                                                "- Bộ Nội vụ."]
    assert report.section("I.1").data["paragraphs"][:2] == ["Đoạn một.", "Đoạn hai."]
    assert report.section("V.1").data["paragraphs"] == ["Ưu điểm thứ nhất."]
    assert report.section("V.1").data["missing"] == ""
    assert report.signature().data["signer"] == "Trần Thị B"
    assert report.appendix().data["attached"] == (
        "Kèm theo Báo cáo số 45/BC-SNV ngày 15 tháng 3 năm 2026 của Sở Nội vụ tỉnh Lâm Đồng")


@pytest.mark.parametrize("raw, message", [
    ({"colour": "red"}, "khóa không được biết 'colour'"),
    ({"sections": {"IV": "x"}}, "mục 'IV' không có phần lời văn"),
    ({"report_date": "32/03/2026"}, "ngày 32 không có trong tháng 3"),
    ({"issuer": "bo_noi_vu"}, "issuer 'bo_noi_vu' không có"),
    ({"recipients": {"a": 1}}, "khóa 'recipients' cần một danh sách"),
])
def test_a_bad_text_file_is_refused_with_its_name(tmp_path, raw, message):
    import yaml

    path = tmp_path / "loi-van.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as info:
        load_province_text(path)
    assert "loi-van.yaml" in str(info.value)


def test_a_district_issuer_cannot_sign_for_a_province():
    with pytest.raises(CchcError, match="ubnd_huyen"):
        province(parse_province_text({"issuer": "ubnd_huyen"}))


def test_the_docx_carries_kinh_gui_and_the_rolled_up_appendix_in_landscape():
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT

    from cchc_lib.worddoc import build_docx

    report = province()
    parts = [p.data for p in (report.header(), report.addressee(), report.opening(),
                              report.section("I.2"), report.missing_units(), report.signature(),
                              report.appendix())]
    doc = Document(io.BytesIO(build_docx(parts)))
    texts = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Bộ Nội vụ" in texts
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    appendix = doc.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == [
        "Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng", "Số liệu đã thực hiện",
        "Tỷ lệ (%)", "Số đơn vị", "Ghi chú"]
    row = next(r for r in appendix.rows if r.cells[0].text == "3.4.1.")
    assert [c.text for c in row.cells][3:7] == ["512", "335", "65,4", "2"]
    missing = doc.tables[-3]  # the 120 missing units: three pairs of columns, 40 rows
    assert len(missing.columns) == 6 and len(missing.rows) == 1 + 40


# ------------------------------------------------------------------ from the store, in the batch

@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        st.ingest_many(submissions())
    return path


def test_load_reads_the_store_and_the_text_file(store, tmp_path):
    text = tmp_path / "t.yaml"
    text.write_text("report_number: '12'\nsections:\n  V.4: Kiến nghị.\n", encoding="utf-8")
    report = load_province_report("68", PERIOD, store=store, text_file=text)
    assert [s.unit_code for s in report.subs] == [A, B, C, D]
    assert report.header().data["number"] == "12"
    assert report.section("V.4").data["paragraphs"] == ["Kiến nghị."]


def test_render_by_parent_makes_the_consolidated_report_too(store, tmp_path):
    from cchc_lib.batch.jobs import jobs_for_selection

    text = tmp_path / "t.yaml"
    text.write_text("report_number: '12'\n", encoding="utf-8")
    jobs = jobs_for_selection(PERIOD, "68", False, ("html",), tmp_path / "out", store=store,
                              province_text=text)
    kinds = [j.params.notebook for j in jobs]
    assert kinds == ["commune_report"] * 4 + ["district_overview", "province_report"]
    report = jobs[-1]
    assert report.out_dir.endswith(f"{PERIOD}/68-lam-dong_{PERIOD}_bao-cao")
    # the text travels with the task (no shared file system needed) and is in the job's hash
    assert '"report_number":"12"' in report.params.parameters["province_text_data"]
    text.write_text("report_number: '13'\n", encoding="utf-8")
    again = jobs_for_selection(PERIOD, "68", False, ("html",), tmp_path / "out", store=store,
                               province_text=text)
    assert again[-1].input_hash != report.input_hash
    assert [a.input_hash for a in again[:-1]] == [j.input_hash for j in jobs[:-1]]


def test_the_report_renders_to_html_pdf_and_docx(store, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from cchc_lib.batch.jobs import make_job
    from cchc_lib.batch.params import RenderParams
    from cchc_lib.batch.pool import render_job

    job = make_job(RenderParams("province_report", {"parent": "68", "period": PERIOD,
                                                    "store": str(store)}), tmp_path / "out")
    outcome = render_job(job)
    assert outcome.status == "rendered", outcome.error
    assert outcome.figures == {"submitted": 4, "expected": 124, "errors": outcome.figures[
        "errors"], "illustrative": False} and outcome.figures["errors"] >= 1
    folder = tmp_path / "out" / PERIOD / f"68-lam-dong_{PERIOD}_bao-cao"
    html = (folder / outcome.files["html"]).read_text(encoding="utf-8")
    assert "335/512 hồ sơ (65,4%)" in html and "<script" not in html
    pdf = PdfReader(str(folder / outcome.files["pdf"]))
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "ỦY BAN NHÂN DÂN" in first and "Kính gửi: Bộ Nội vụ" in first
    last = pdf.pages[-1].mediabox
    assert float(last.width) > float(last.height)  # the appendix on landscape pages
    doc = Document(str(folder / outcome.files["docx"]))
    assert any("BÁO CÁO" == p.text for p in doc.paragraphs)
    assert "check_html" not in outcome.files  # the units' check sheets are their own


def test_at_a_hundred_units_every_rate_still_shows_its_fraction_and_ties_are_said():
    from cchc_lib.synth import synth_submission

    parent = units.get_unit("68", era="2025")
    expected = units.children(parent, level="commune")
    subs = [synth_submission(u, PERIOD, seed=3) for u in expected[:110]]
    # eight units with every dossier on time: a tie at the top of 3.4.1
    subs = [s if n >= 8 else Submission(s.unit_code, s.period, s.header, {
        **s.values, "3.4.1": value("3.4.1", 50 + n, 50 + n)}, source="tests")
        for n, s in enumerate(subs)]
    report = ProvinceReport(parent, parse_period(PERIOD), expected, subs)
    text = all_text(report)
    found = FRACTION.findall(text)
    assert len(found) >= 30
    for num, den, rate in found:
        assert vn(rate) == Decimal(str(percent(vn(num), vn(den), 1))), (num, den, rate)
    [dossiers] = [ln for ln in text.splitlines() if ln.startswith("Hồ sơ TTHC giải quyết")]
    best = dossiers.split("cao nhất ")[1].split(";")[0]
    assert best.count("hồ sơ (100%)") == 3 and best.endswith("và 5 đơn vị khác cùng tỷ lệ")
    assert "110/124 đơn vị cấp xã (88,7%)" in text
    assert len(report.missing_units().data["rows"]) == 7  # 14 units, two pairs of columns
