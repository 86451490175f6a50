"""The documents a commune sends and signs, opened the way their readers open them.

The DOCX is read with python-docx (styles, fields, sections, tables, alt text) and laid out by
LibreOffice; the PDF is read with pdfplumber, which gives every character's position, so the
tests assert the layout (margins, overlaps, page breaks, page numbers), not only the words.
The Đắk Ha report of the shared `cchc demo` run (tests/conftest.py) is the document under test.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from office import convert

MM = 72 / 25.4  # PDF points per millimetre
# Nghị định 30/2020 margins used by the PDF: top, right, bottom, left (mm).
MARGINS = {"top": 20, "right": 15, "bottom": 20, "left": 30}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def report_file(demo, suffix: str) -> Path:
    return demo["out"] / "2024-H1" / "24622-dak-ha" / f"24622-dak-ha_2024-H1{suffix}"


@pytest.fixture(scope="module")
def docx(demo):
    return Document(str(report_file(demo, ".docx")))


@pytest.fixture(scope="module")
def pdf_pages(demo):
    """Every page of the PDF: its size, its words with positions, its text."""
    with pdfplumber.open(str(report_file(demo, ".pdf"))) as pdf:
        pages = []
        for page in pdf.pages:
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            pages.append({"width": page.width, "height": page.height, "chars": page.chars,
                          "words": words, "text": nfc(page.extract_text() or "")})
        return pages


# ------------------------------------------------------------------------------- DOCX

def effective(paragraph, attr: str):
    """A paragraph's font attribute as Word resolves it: the style chain, then the defaults."""
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def effective_format(paragraph, attr: str):
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.first_page_header):
            yield from part.paragraphs


def test_docx_header_is_the_nd30_two_column_table(docx):
    header = docx.tables[0]
    issuer, nation = header.cell(0, 0), header.cell(0, 1)
    lines = [nfc(p.text) for p in issuer.paragraphs if p.text.strip()]
    assert lines[0] == "UBND HUYỆN ĐẮK GLONG"
    assert lines[1] == "ỦY BAN NHÂN DÂN\nXÃ ĐẮK HA"
    superior, organ = (p for p in issuer.paragraphs if p.text.strip())
    assert effective(organ, "bold") is True and effective(superior, "bold") is not True
    for p in (superior, organ, *nation.paragraphs):
        assert effective_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    motto, slogan = (p for p in nation.paragraphs if p.text.strip())
    assert nfc(motto.text) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "\n" not in motto.text
    assert nfc(slogan.text) == "Độc lập - Tự do - Hạnh phúc"
    assert effective(motto, "bold") and effective(slogan, "bold")
    assert effective(motto, "size").pt == 12 and effective(slogan, "size").pt == 13
    # the short rules: a top border under the issuer's name and under the motto
    rules = [p for cell in (issuer, nation) for p in cell.paragraphs
             if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]
    assert len(rules) == 2
    # the number and the place-date share the second row; the place-date is italic
    number, place_date = header.cell(1, 0).paragraphs[0], header.cell(1, 1).paragraphs[0]
    assert nfc(number.text).startswith("Số:") and nfc(number.text).endswith("/BC-UBND")
    assert nfc(place_date.text) == "Đắk Ha, ngày 07 tháng 3 năm 2024"
    assert effective(place_date, "italic") is True
    # the header table has no borders
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_docx_title_and_subject_are_bold_and_centred(docx):
    texts = [nfc(p.text) for p in docx.paragraphs]
    title = docx.paragraphs[texts.index("BÁO CÁO")]
    subject = docx.paragraphs[texts.index("BÁO CÁO") + 1]
    assert subject.text.startswith("Công tác cải cách hành chính 6 tháng đầu năm")
    for p in (title, subject):
        assert effective(p, "bold") is True
        assert effective_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert effective(p, "size").pt == 14


def test_docx_body_is_justified_with_a_first_line_indent(docx):
    body = [p for p in docx.paragraphs if p.style.name == "Body Text" and len(p.text) > 80]
    assert len(body) >= 30
    for p in body:
        assert effective_format(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(effective_format(p, "first_line_indent") - Mm(10)) < Mm(0.5)
        assert effective_format(p, "space_after").pt >= 6
        assert 1.0 <= effective_format(p, "line_spacing") <= 1.5
        assert effective(p, "size").pt == 13
    headings = [p for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert [p.text.split(".")[0] for p in headings] == ["I", "II", "III", "IV", "V"]
    for p in headings:
        assert effective(p, "bold") is True and effective(p, "size").pt == 13


def test_docx_every_style_used_is_times_new_roman_with_no_theme_font(docx):
    def fonts_of(style):
        chain = []
        while style is not None:
            rpr = style.element.rPr
            fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if fonts is not None:
                chain.append(fonts)
            style = style.base_style
        return chain

    used = {p.style.name: p.style for p in all_paragraphs(docx)}
    assert {"Normal", "Body Text", "Heading 1", "Heading 2", "Quốc hiệu", "Bảng"} <= set(used)
    for name, style in used.items():
        chain = fonts_of(style)
        assert chain, name
        assert chain[0].get(qn("w:ascii")) == "Times New Roman", name
        for fonts in chain:
            assert not [a for a in fonts.attrib if a.endswith("Theme")], name
    defaults = docx.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert not [a for a in rfonts.attrib if a.endswith("Theme")]
    # and no run overrides the font with another one
    for p in all_paragraphs(docx):
        for run in p.runs:
            assert run.font.name in (None, "Times New Roman")


def test_docx_pages_are_numbered_at_the_top_from_page_2_and_the_appendix_on_its_own(docx):
    body, appendix = docx.sections
    for section in (body, appendix):
        assert section.different_first_page_header_footer
        xml = section.header._element.xml
        assert "PAGE" in "".join(t.text or "" for t in section.header._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml
        assert effective_format(section.header.paragraphs[0], "alignment") == \
            WD_ALIGN_PARAGRAPH.CENTER
        first = "".join(t.text or "" for t in section.first_page_header._element.iter(qn("w:instrText")))
        assert "PAGE" not in first
        margins = (section.top_margin, section.right_margin, section.bottom_margin,
                   section.left_margin)
        assert [round(m.mm, 1) for m in margins] == [20, 15, 20, 30]
    assert body.orientation == WD_ORIENT.PORTRAIT and round(body.page_width.mm) == 210
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and round(appendix.page_width.mm) == 297
    start = appendix._sectPr.find(qn("w:pgNumType"))
    assert start is not None and start.get(qn("w:start")) == "1"


def test_docx_appendix_table_has_borders_widths_repeated_header_and_aligned_numbers(docx):
    table = next(t for t in docx.tables if nfc(t.cell(0, 1).text) == "Chỉ tiêu thống kê")
    assert table.style.name == "Table Grid"
    borders = table.style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == 7 and widths[1] == max(widths) and widths[1] > 3 * widths[3]
    assert abs(sum(widths) - Mm(252).twips) < Mm(2).twips  # the landscape text width
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    rows = {nfc(r.cells[0].text): r for r in table.rows[1:]}
    assert "1.2.1." in rows  # the second 1.1.1–1.1.3 group under its own number
    group = rows["1."]
    assert all(run.bold for run in group.cells[1].paragraphs[0].runs)
    tasks = rows["1.1.2."]
    for cell in tasks.cells[3:6]:
        assert effective_format(cell.paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.RIGHT
    # 1.1.2 is a ratio row: its own figure 55 over 1.1.1's 72 tasks
    assert [nfc(c.text) for c in tasks.cells[3:5]] == ["55", "55"]
    assert nfc(rows["1.1.1."].cells[3].text) == "72"
    rate = tasks.cells[5]
    assert nfc(rate.paragraphs[0].text) == "76,4"
    assert rate.paragraphs[0].runs[0].bold and rate.paragraphs[0].runs[0].underline
    assert nfc(rate.paragraphs[1].text) == "(ghi 100)"


def test_docx_signature_block_and_recipients(docx):
    sign = next(t for t in docx.tables if nfc(t.cell(0, 0).text).startswith("Nơi nhận:"))
    assert sign.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    label, *lines = [p for p in sign.cell(0, 0).paragraphs if p.text.strip()]
    assert effective(label, "bold") and effective(label, "italic") and effective(label, "size").pt == 12
    assert all(nfc(p.text).startswith("- ") for p in lines)
    assert all(nfc(p.text).endswith(";") for p in lines[:-1]) and lines[-1].text.endswith(".")
    assert nfc(lines[-1].text).startswith("- Lưu:")
    assert "•" not in sign.cell(0, 0).text and "- -" not in sign.cell(0, 0).text
    assert all(effective(p, "size").pt == 11 for p in lines)
    right = [p for p in sign.cell(0, 1).paragraphs if p.text.strip()]
    assert nfc(right[0].text) == "TM. ỦY BAN NHÂN DÂN"
    assert all(effective(p, "bold") for p in right)
    closing = docx.paragraphs[[p._p for p in docx.paragraphs].index(
        sign._tbl.getprevious())]
    assert nfc(closing.text).startswith("Trên đây là") and effective_format(
        closing, "keep_with_next")


def test_docx_charts_carry_vietnamese_alt_text_and_no_notebook_bookmarks(docx):
    xml = docx.element.xml
    assert "bookmarkStart" not in xml and "cell-id" not in xml
    doc_prs = list(docx.element.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert len(doc_prs) >= 4
    for pr in doc_prs:
        alt = nfc(pr.get("descr") or "")
        assert alt.startswith("Biểu đồ") and "No description" not in alt
        assert re.search(r"\d", alt), alt  # states its figures


def test_reports_carry_no_data_check_section(docx, pdf_pages):
    text = nfc("\n".join(p.text for p in all_paragraphs(docx)))
    for word in ("Kiểm tra số liệu", "rate.mismatch", "Quy tắc"):
        assert word not in text
        assert not any(word in page["text"] for page in pdf_pages)


# ------------------------------------------------------------------------------- PDF

def _header_zone(page, ch) -> bool:
    return ch["top"] < MARGINS["top"] * MM


def test_pdf_text_stays_inside_the_printable_area(pdf_pages):
    for n, page in enumerate(pdf_pages, start=1):
        left, right = MARGINS["left"] * MM - 1, page["width"] - MARGINS["right"] * MM + 1
        bottom = page["height"] - MARGINS["bottom"] * MM + 1
        for ch in page["chars"]:
            if _header_zone(page, ch):
                assert ch["text"].isdigit(), (n, ch["text"])  # only the page number up there
                continue
            assert left <= ch["x0"] and ch["x1"] <= right, (n, ch["text"], ch["x0"], ch["x1"])
            assert ch["bottom"] <= bottom, (n, ch["text"])


def _overlap(a, b) -> float:
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return w * h if w > 0.5 and h > 0.5 else 0.0


def test_pdf_no_two_words_overlap(pdf_pages):
    for n, page in enumerate(pdf_pages, start=1):
        words = page["words"]
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b["top"] > a["bottom"]:
                    continue
                assert _overlap(a, b) == 0.0, (n, a["text"], b["text"])


def test_pdf_coded_values_stay_in_their_cells(pdf_pages):
    appendix = [p for p in pdf_pages if p["width"] > p["height"]]
    rows = [w for p in appendix for w in p["words"] if w["text"] in ("(Hoàn", "thành)")]
    assert rows  # rows 7.1, 7.3, 7.5 print "1 (Hoàn thành)" and wrap inside their cells
    page = next(p for p in appendix if "7.3." in p["text"])
    heads = {w["text"]: w for w in page["words"] if w["top"] < 140}
    # every coded label lies left of the "Tỷ lệ (%)" column's left edge
    rate_x = heads["Tỷ"]["x0"] - 6
    for w in page["words"]:
        if w["text"] in ("(Hoàn", "thành)", "(Đang", "làm)"):
            assert w["x1"] < rate_x, w


def test_pdf_signature_block_and_recipients_on_one_page(pdf_pages):
    page = next(p for p in pdf_pages if "Nơi nhận:" in p["text"])
    for text in ("TM. ỦY BAN NHÂN DÂN", "Lưu: VT", "Trên đây là"):
        assert text in page["text"]
    signer = "Cù Xuân Sang"
    assert signer in page["text"]


def _top_number(page):
    """The page number printed in the top margin, if any."""
    digits = [w["text"] for w in page["words"]
              if w["top"] < MARGINS["top"] * MM - 2 and w["text"].isdigit()]
    return digits[0] if digits else None


def test_pdf_appendix_is_landscape_with_its_own_page_numbers(pdf_pages):
    first = next(n for n, p in enumerate(pdf_pages) if "PHỤ LỤC SỐ 01" in p["text"])
    assert all(p["width"] < p["height"] for p in pdf_pages[:first])
    assert all(p["width"] > p["height"] for p in pdf_pages[first:])
    assert _top_number(pdf_pages[0]) is None
    assert [_top_number(p) for p in pdf_pages[1:first]] == [str(n) for n in range(2, first + 1)]
    assert _top_number(pdf_pages[first]) is None
    assert [_top_number(p) for p in pdf_pages[first + 1:]] == [
        str(n) for n in range(2, len(pdf_pages) - first + 1)]
    # the header row is repeated on every appendix page
    for page in pdf_pages[first:]:
        assert "Chỉ tiêu thống kê" in page["text"]


def test_pdf_embeds_a_times_metric_serif_with_vietnamese_glyphs(demo):
    from pypdf import PdfReader

    reader = PdfReader(str(report_file(demo, ".pdf")))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    names = {f.split("+")[-1] for f in fonts}
    assert names & {"LiberationSerif", "Tinos", "TimesNewRomanPSMT"}, names
    assert not [n for n in names if "DejaVu" in n], names


# ------------------------------------------------------------------------------- LibreOffice

def convert_with_libreoffice(docx_path: Path, out_dir: Path) -> Path:
    return convert([docx_path], out_dir, "pdf")[0]


@pytest.fixture(scope="module")
def docx_as_pdf(demo, tmp_path_factory):
    return convert_with_libreoffice(report_file(demo, ".docx"),
                                    tmp_path_factory.mktemp("libreoffice"))


def test_docx_laid_out_by_libreoffice_matches_the_pdf(docx_as_pdf, pdf_pages):
    with pdfplumber.open(str(docx_as_pdf)) as pdf:
        pages = [{"width": p.width, "height": p.height, "words": p.extract_words(),
                  "text": nfc(p.extract_text() or "")} for p in pdf.pages]
    assert abs(len(pages) - len(pdf_pages)) <= 2, (len(pages), len(pdf_pages))
    first = pages[0]
    nation = [w for w in first["words"] if w["text"] in ("CỘNG", "NAM")]
    assert len({round(w["top"]) for w in nation}) == 1  # the motto on one line
    sign = next(p for p in pages if "Nơi nhận:" in p["text"])
    assert "Cù Xuân Sang" in sign["text"] and "Lưu: VT" in sign["text"]
    appendix = next(n for n, p in enumerate(pages) if "PHỤ LỤC SỐ 01" in p["text"])
    assert all(p["width"] > p["height"] for p in pages[appendix:])
    assert _top_number(pages[appendix]) is None
    assert _top_number(pages[appendix + 1]) == "2"


# ------------------------------------------------------------------------------- check sheet

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text.append(data)


def test_check_sheet_is_a_companion_file_linked_from_the_index(demo):
    html = report_file(demo, "_phieu-kiem-tra.html")
    pdf = report_file(demo, "_phieu-kiem-tra.pdf")
    assert html.is_file() and pdf.is_file()
    # the demo's two parents (huyện Đắk Glong, tỉnh Lâm Đồng since 2025): each has its page
    index = _Links()
    index.feed((demo["out"] / "index.html").read_text(encoding="utf-8"))
    assert "index/2008-661-dak-glong.html" in index.hrefs
    parent = _Links()
    parent.feed((demo["out"] / "index" / "2008-661-dak-glong.html").read_text(encoding="utf-8"))
    assert "../2024-H1/24622-dak-ha/24622-dak-ha_2024-H1_phieu-kiem-tra.html" in parent.hrefs
    period = _Links()  # the period's page of the cumulative index: every file of each unit
    period.feed((demo["out"] / "index" / "2008-661-dak-glong_2024-H1.html")
                .read_text(encoding="utf-8"))
    assert "../2024-H1/24622-dak-ha/24622-dak-ha_2024-H1_phieu-kiem-tra.html" in period.hrefs
    assert "../2024-H1/24622-dak-ha/24622-dak-ha_2024-H1_phieu-kiem-tra.pdf" in period.hrefs
    assert "Phiếu kiểm tra (PDF)" in "".join(period.text)


def test_check_sheet_names_the_workbook_place_of_every_finding(demo):
    from cchc_lib.checks import run_checks
    from cchc_lib.serialize import load_sample

    sheet = _Links()
    sheet.feed(report_file(demo, "_phieu-kiem-tra.html").read_text(encoding="utf-8"))
    text = nfc(" ".join(" ".join(sheet.text).split()))
    assert "PHIẾU KIỂM TRA SỐ LIỆU" in text
    findings = run_checks(load_sample())
    assert f"{sum(f.severity == 'error' for f in findings)} lỗi" in text
    rows = re.findall(r"<tr class=\"sev-\w+\">(.*?)</tr>",
                      report_file(demo, "_phieu-kiem-tra.html").read_text(encoding="utf-8"),
                      flags=re.S)
    assert len(rows) == len(findings)
    # the sheet lists the findings in the checks' order: each with its workbook cell, except
    # the note that no earlier report was there to compare with (nothing to fix in the form)
    for row, f in zip(rows, findings):
        if f.rule == "period.no-previous":
            assert f.where is None and "Trang tính" not in row and f.place in row, row
        else:
            assert "Trang tính" in row and re.search(r"Ô <strong>[A-Z]+\d+</strong>", row), row
    assert [f.rule for f in findings].count("period.no-previous") == 1
    # the rate typed as 100% for 1.1.2 is found in PL01, on the row printed 1.1.2.
    assert re.search(r"tỷ lệ ghi 100% nhưng 55/72 = 76,4%\. Mã quy tắc: rate\.mismatch "
                     r"Đang ghi: 100 Đối chiếu: 76,4 Trang tính “PL01” Dòng Stt 1\.1\.2\.", text), text
