"""The workbook as a clerk prints it: LibreOffice makes a PDF of a blank template and of the
sample filled in, and the PDF is read back with pypdf.

Needs LibreOffice (``soffice``).  Without it the test fails when the environment variable CI is
set (a CI machine must have it) and is skipped elsewhere.
"""

from __future__ import annotations


import pytest
from pypdf import PdfReader

from cchc_lib.serialize import load_sample
from cchc_lib.workbook import template_for, write_workbook
from office import convert

LABELS = (
    "THÔNG TIN CHUNG CỦA BÁO CÁO", "Ngày báo cáo (dd/mm/yyyy)", "Trích yếu (tên báo cáo)",
    "PHỤ LỤC SỐ 01", "Thống kê số liệu kết quả thực hiện cải cách hành chính",
    "Chỉ tiêu thống kê", "Số liệu tổng", "Tỷ lệ (%)", "Ghi chú", "Kiểm tra CCHC",
    "SỐ LIỆU BỔ SUNG CHO PHẦN THUYẾT MINH", "Tính đến ngày",
    "SỔ VĂN BẢN ĐÃ BAN HÀNH VÀ ĐƯỢC TRÍCH DẪN TRONG BÁO CÁO", "Loại văn bản", "Trích yếu",
    "THUYẾT MINH", "Công tác chỉ đạo, điều hành", "Lời kết",
)
KEYS = ("unit_code", "signing_authority", "report_date", "data_window", "recipient.",
        "closing", "figure_text", "cchc-workbook")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, PdfReader]:
    base = tmp_path_factory.mktemp("print")
    books = {"blank": write_workbook(base / "blank.xlsx", template_for("24622", "2024-H1")),
             "sample": write_workbook(base / "sample.xlsx", load_sample())}
    convert(list(books.values()), base, "pdf")
    out = {}
    for name, book in books.items():
        out[name] = PdfReader(book.with_suffix(".pdf"))
    return out


def _runs(page) -> list[tuple[float, float, float, str]]:
    """(x, y, printed size in points, text) of every piece of text on a page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((x, y, abs(size * tm[3] * cm[3]) or size, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("name", ["blank", "sample"])
def test_the_printed_workbook_has_its_pages_and_vietnamese_labels(pdfs, name):
    pdf = pdfs[name]
    assert len(pdf.pages) >= 5  # at least a page a sheet
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for label in LABELS:
        assert label in text, label
    for key in KEYS:  # the reader's keys stay off the paper
        assert key not in text, key
    # PL01 prints the report's numbers: the second 1.1.x group as 1.2.x
    assert "1.2.1. Số lần kiểm tra" in text and "1.1.1. Số lần kiểm tra" not in text
    if name == "sample":
        for typed in ("Cù Xuân Sang", "QĐ-UBND", "32/05/2024",
                      "Ủy ban nhân dân huyện Đắk Glong", "Văn hoá – xã hội; Tư pháp – Hộ tịch"):
            assert typed in text, typed


@pytest.mark.parametrize("name", ["blank", "sample"])
def test_nothing_prints_smaller_than_9_pt_on_a4(pdfs, name):
    for n, page in enumerate(pdfs[name].pages, start=1):
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert (round(width), round(height)) == (595, 842), n  # A4, either way round
        runs = _runs(page)
        sizes = [size for _, _, size, _ in runs]
        assert sizes and min(sizes) >= 9, (n, min(sizes))
        # most of the text prints at the 11 pt it is typed in (titles 13 pt, the footer 9 pt)
        by_size: dict[float, int] = {}
        for _, _, size, text in runs:
            by_size[round(size, 1)] = by_size.get(round(size, 1), 0) + len(text)
        assert max(by_size, key=by_size.get) == pytest.approx(11, abs=0.05), (n, by_size)


@pytest.mark.parametrize("name", ["blank", "sample"])
def test_no_line_prints_over_another(pdfs, name):
    # Two pieces of text whose baselines are closer than three quarters of their size, and
    # that share some width, overprint: the first lines of a row run into the last lines of the
    # row above when a row is too short for its text.  (Pieces on one baseline are cells side
    # by side.)  Widths are taken low, 0,42 em a character, so that only real overlaps count.
    for n, page in enumerate(pdfs[name].pages, start=1):
        runs = _runs(page)
        for i, (x1, y1, s1, t1) in enumerate(runs):
            for x2, y2, s2, t2 in runs[i + 1:]:
                dy = abs(y1 - y2)
                if dy < 0.05 or dy >= 0.75 * min(s1, s2):
                    continue
                shared = min(x1 + 0.42 * s1 * len(t1), x2 + 0.42 * s2 * len(t2)) - max(x1, x2)
                assert shared <= 1, (n, t1[:40], t2[:40])
