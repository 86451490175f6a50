"""`cchc remind`: the công văn đôn đốc, read back from the DOCX with python-docx (recipients by
group, the ND30 points of a công văn) and from the PDF's text.  The store is tests/cyclekit.py's
(tỉnh Lâm Đồng, quý III năm 2026, deadline 20/09/2026); expected values are computed by hand."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader

import cyclekit as K
from cchc_lib import remind, units
from cchc_lib.cli import main
from cchc_lib.errors import CatalogueError
from cchc_lib.ingest import parent_unit, submission_status
from cchc_lib.status import UnitStatus

STEM = "68-lam-dong_2026-Q3_don-doc"
SUBMITTED_BY_30_9 = {K.ON_TIME, K.LATE, K.REVISED, K.LATE_EDGE}


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return K.build_store(tmp_path_factory.mktemp("cycle") / "store.sqlite")


@pytest.fixture(scope="module")
def letter_files(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("letter")
    result = run("remind", "--period", K.PERIOD, "--parent", K.PROVINCE, "--as-of", "30/09/2026",
                 "--signer", "Nguyễn Văn An", "-o", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "Đã ghi công văn đôn đốc (122 đơn vị)" in result.output
    return out / f"{STEM}.docx", out / f"{STEM}.pdf"


def style_of(paragraph):
    """(bold, italic, centred, size in pt) as the paragraph's style sets them."""
    s = paragraph.style
    return (s.font.bold, s.font.italic,
            s.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER, s.font.size.pt)


def names_in(table) -> list[str]:
    """Units listed in a group table: the 'Đơn vị' columns, header row skipped."""
    head = [c.text for c in table.rows[0].cells]
    cols = [n for n, h in enumerate(head) if h == "Đơn vị"]
    return [row.cells[n].text for row in table.rows[1:] for n in cols if row.cells[n].text]


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_letter_lists_its_recipients_by_group(letter_files):
    doc = docx.Document(str(letter_files[0]))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["1. Đơn vị chưa gửi báo cáo (120 đơn vị, quá hạn 10 ngày)",
                        "2. Đơn vị gửi báo cáo muộn so với thời hạn (02 đơn vị)",
                        "3. Đơn vị có báo cáo còn lỗi số liệu (01 đơn vị)"]
    missing, late, errors = doc.tables[1:4]
    province = units.children(K.PROVINCE, era="2025", level="commune")
    expected = [units.unit_title(u) for u in province if u.code not in SUBMITTED_BY_30_9]
    assert names_in(missing) == expected and len(expected) == 120
    assert "phường Bình Thuận" in names_in(missing)  # its report came on 02/10, after the day
    assert [c.text for c in missing.rows[0].cells] == ["Stt", "Đơn vị"] * 3
    assert [c.text for c in missing.rows[1].cells] == ["1", "phường Tiến Thành",
                                                       "2", "phường Bình Thuận",
                                                       "3", "xã Tuyên Quang"]
    assert rows_of(late) == [["1", "phường Phú Thuỷ", "Gửi ngày 23/09/2026, muộn 3 ngày"],
                             ["2", "phường Phan Thiết", "Gửi ngày 21/09/2026, muộn 1 ngày"]]
    assert rows_of(errors) == [["1", "phường Phú Thuỷ", "02 lỗi số liệu"]]


def test_the_letter_follows_nd30_for_a_cong_van(letter_files):
    doc = docx.Document(str(letter_files[0]))
    head = doc.tables[0]
    superior, organ, _rule = head.cell(0, 0).paragraphs
    assert (superior.text, organ.text) == ("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ")
    assert style_of(superior)[0] is False and style_of(organ)[:3] == (True, False, True)
    nation, motto, _ = head.cell(0, 1).paragraphs
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and style_of(nation)[0]
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and style_of(motto)[0]
    assert style_of(nation)[2] and style_of(motto)[2]
    number, subject = head.cell(1, 0).paragraphs
    assert number.text.replace("\xa0", "") == "Số: /SNV-CCHC"  # the number is the văn thư's
    assert subject.text == "V/v đôn đốc báo cáo công tác cải cách hành chính quý III năm 2026"
    assert style_of(subject) == (False, False, True, 12)  # ô 5b: upright, 12, under the number
    [place_date] = head.cell(1, 1).paragraphs
    assert place_date.text == "Lâm Đồng, ngày 30 tháng 9 năm 2026"
    assert style_of(place_date)[1] is True and style_of(place_date)[2]
    # no type name (BÁO CÁO) above: a công văn starts with "Kính gửi:" after the header
    first = doc.paragraphs[0]
    assert first.text == ("Kính gửi: Ủy ban nhân dân các xã, phường, đặc khu có tên tại Công "
                          "văn này.")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Công văn số 581/BNV-CCHC của Bộ Nội vụ" in body
    assert "chậm nhất ngày 20/09/2026" in body
    assert "đã nhận được báo cáo của 4/124 đơn vị cấp xã thuộc tỉnh Lâm Đồng" in body
    assert "trước ngày 05/10/2026" in body  # 3 working days after Wednesday 30/09
    assert body.rstrip().endswith("thực hiện./.")
    recipients, signature = doc.tables[-1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == [
        "Nơi nhận:", "- Như trên;", "- Ủy ban nhân dân tỉnh (để báo cáo);",
        "- Giám đốc Sở (để báo cáo);", "- Lưu: VT, CCHC."]
    assert style_of(recipients.paragraphs[0])[:2] == (True, True)
    assert [p.text for p in signature.paragraphs] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                                                      "Nguyễn Văn An"]


def test_nothing_is_left_to_fill_in_but_the_number(letter_files):
    doc = docx.Document(str(letter_files[0]))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for text in texts:
        assert "…" not in text and "..." not in text and "{" not in text, text


def test_the_pdf_has_the_same_letter(letter_files):
    pdf = letter_files[1]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    for expected in ("SỞ NỘI VỤ", "/SNV-CCHC", "V/v đôn đốc báo cáo công tác cải cách hành",
                     "Lâm Đồng, ngày 30 tháng 9 năm 2026", "Kính gửi:",
                     "Đơn vị chưa gửi báo cáo (120 đơn vị, quá hạn 10 ngày)",
                     "phường Tiến Thành", "Gửi ngày 23/09/2026, muộn 3 ngày", "02 lỗi số liệu",
                     "Nguyễn Văn An", "Lưu: VT, CCHC."):
        assert expected in text, expected


def test_an_earlier_day_gives_an_earlier_letter(store):
    day = date(2026, 9, 24)
    rows = submission_status(K.PERIOD, K.PROVINCE, store, as_of=day)
    letter = remind.plan_letter(K.PERIOD, parent_unit(K.PROVINCE, K.PERIOD), rows, day)
    groups = {g.key: g for g in letter.groups}
    assert groups["missing"].heading == "1. Đơn vị chưa gửi báo cáo (120 đơn vị, quá hạn 4 ngày)"
    # on 24/09 phường Hàm Thắng's current report still had its 1 error
    assert groups["errors"].rows == (("phường Phú Thuỷ", "02 lỗi số liệu"),
                                     ("phường Hàm Thắng", "01 lỗi số liệu"))
    assert letter.due == date(2026, 9, 29)  # Thu 24 → Fri 25, Mon 28, Tue 29
    assert letter.signer == "" and letter.number == ""


def row(code: str, state: str, **kw) -> UnitStatus:
    return UnitStatus(code, units.unit_title(units.get_unit(code, era="2008")),
                      date(2024, 6, 20), date(2024, 6, 28), state, **kw)


def test_a_district_before_2025_is_reminded_by_its_ubnd():
    parent = parent_unit("661", "2024-H1")
    rows = [row("24616", "missing", days_overdue=8), row("24622", "on_time", check_errors=0),
            row("24620", "on_time", check_errors=3)]
    letter = remind.plan_letter("2024-H1", parent, rows, date(2024, 6, 28), issuer="ubnd",
                                due=date(2024, 7, 5))
    assert (letter.superior, letter.organ, letter.symbol) == (
        "", ("ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLONG"), "UBND-NV")
    assert letter.authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert letter.place_date == "Đắk Glong, ngày 28 tháng 6 năm 2024"
    assert letter.addressees == ("Ủy ban nhân dân các xã có tên tại Công văn này.",)
    assert [g.key for g in letter.groups] == ["missing", "errors"]
    assert letter.recipient_units == ["xã Quảng Sơn", "xã Quảng Hoà"]
    assert letter.requests[-1].endswith("trước ngày 05/07/2024.")
    noi_vu = remind.plan_letter("2024-H1", parent, rows[:1], date(2024, 6, 28))
    assert (noi_vu.superior, noi_vu.organ, noi_vu.symbol) == (
        "UBND HUYỆN ĐẮK GLONG", ("PHÒNG NỘI VỤ",), "PNV-CCHC")
    assert noi_vu.addressees == ("Ủy ban nhân dân xã Quảng Sơn.",)


def test_no_letter_when_everyone_reported_on_time_without_errors():
    parent = parent_unit("661", "2024-H1")
    rows = [row("24616", "on_time", check_errors=0), row("24622", "on_time", check_errors=0)]
    assert remind.plan_letter("2024-H1", parent, rows, date(2024, 6, 28)) is None


def test_the_letter_text_refuses_unknown_fields():
    assert remind._check_template("closing", "{issuer} đề nghị./.")
    with pytest.raises(CatalogueError, match="unit"):
        remind._check_template("closing", "{issuer} đề nghị {unit}./.")
    assert remind.letter_text()["due_working_days"] == 3


def test_a_mistyped_store_writes_nothing(tmp_path):
    missing, out = tmp_path / "kho-go-nham.sqlite", tmp_path / "cong-van"
    result = run("remind", "--period", K.PERIOD, "--parent", K.PROVINCE, "-o", str(out),
                 "--store", str(missing))
    assert result.exit_code == 2 and "Không tìm thấy kho dữ liệu" in result.output
    assert not missing.exists() and not out.exists()
