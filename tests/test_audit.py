"""`cchc audit` on whole documents: the seed's text and appendix, made-up .docx and .pdf files
(built by the tests) with known mistakes and known correct claims, and the CLI's outputs."""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_lib.audit import audit_blocks, audit_file
from cchc_lib.audit.appendix import read_appendix
from cchc_lib.audit.document import read_document, read_text
from cchc_lib.cli import main
from cchc_lib.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sample" / "seed_dak_ha_2024-H1.txt"


def rules_at(result, rule):
    return [f for f in result.findings if f.rule == rule]


@pytest.fixture(scope="module")
def seed():
    return audit_file(SEED)


def test_the_seed_appendix_is_mapped_row_by_row(seed):
    mapped = [r for r in seed.appendix if r.code]
    assert len(mapped) == 95 and all(r.code for r in seed.appendix)
    second = [r.code for r in seed.appendix if r.title == "Số lần kiểm tra"]
    assert second == ["1.2.1"]  # printed 1.1.1. but it belongs to 1.2


def test_the_seed_appendix_mistakes_are_found(seed):
    dup = rules_at(seed, "appendix.duplicate-code")
    assert sorted(f.found for f in dup) == ["1.1.1", "1.1.2", "1.1.3"]
    [tasks] = [f for f in rules_at(seed, "rate.mismatch") if f.indicator == "1.1.2"]
    assert "55/72 = 76,4%" in tasks.message and "dòng" in tasks.place
    [fraction] = [f for f in rules_at(seed, "count.not-whole") if f.indicator == "7.4"]
    assert fraction.found == 21.5
    assert [f.indicator for f in rules_at(seed, "parts.child-exceeds-whole")] == ["3.1.4"]


def test_the_seed_right_appendix_rates_are_not_flagged(seed):
    flagged = {f.indicator for f in rules_at(seed, "rate.mismatch") if f.indicator}
    # 295/394 = 74,9; 40/118 = 33,9; 105/109 = 96,33; 21/25 = 84
    assert not flagged & {"3.4.1", "3.4.2", "3.1.1", "4.2.2", "3.1.2"}


def test_text_and_appendix_are_cross_checked(seed):
    same = rules_at(seed, "figure.same-as")
    assert any(f.found == 22 and f.expected == 8 for f in same), [f.message for f in same]


def test_the_summary_counts_what_held(seed):
    assert seed.consistent >= 15 and len(seed.claims) > seed.consistent
    # the errors `cchc check` finds in the seed's workbook (tests/test_checks.py), less one: the
    # text dates S.5.1 and S.5.2 in one sentence ("… thực hiện đến ngày 31/05/2024"), so 13:
    # two period labels, two type words, the window's end and 31/05 after 07/03, 32/05, the
    # report before its window closes, 13/21 and 55/72, 21.5, 109 of 105, 22 vs 8
    assert seed.counts["error"] == 13


# ----------------------------------------------------------------- made-up documents

TEXT = [
    "UBND HUYỆN ĐẮK GLONG",  # the superior line: four xã Quảng Sơn existed before 2025
    "ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN",
    "Số: 18/BC-UBND",
    "Quảng Sơn, ngày 16 tháng 9 năm 2024",
    "BÁO CÁO",
    "Kết quả công tác cải cách hành chính 9 tháng đầu năm 2024",
    "Trong 9 tháng đầu năm 2024, UBND xã đã ban hành 12 văn bản chỉ đạo (04 kế hoạch, "
    "05 công văn, 03 quyết định).",
    "Kế hoạch CCHC đề ra 40 nhiệm vụ, đã hoàn thành 30/40 nhiệm vụ (75%).",
    "Cán bộ có trình độ đại học 18/24 người (80%).",
    "Ban hành Quyết định số 07/QĐ-UBND ngày 12/02/2024 về kiểm soát thủ tục hành chính.",
    "Ban hành Kế hoạch số 09/QĐ-UBND ngày 30/02/2024 về chuyển đổi số.",
]
APPENDIX = [
    ("Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng", "Số liệu đã thực hiện",
     "Tỷ lệ (%)", "Ghi chú"),
    ("1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "40", "", "", ""),
    ("1.1.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "30", "30", "75", ""),
    ("1.1.3.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "12", "12", "100", ""),
    ("3.4.1.", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn",
     "Hồ sơ", "200", "190", "95", ""),
    ("3.4.2.", "Tỷ lệ hồ sơ TTHC về lĩnh vực đất đai được giải quyết đúng hạn", "Hồ sơ",
     "50", "40", "85", ""),
]
# Known mistakes: 18/24 is 75% not 80%; Kế hoạch … /QĐ-UBND; 30/02/2024; 40/50 is 80% not 85%.
# Known right: 30/40 = 75%; 12 = 4 + 5 + 3; 190/200 = 95%; Quyết định 07/QĐ-UBND.


def _docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in TEXT:
        doc.add_paragraph(line)
    doc.add_paragraph("PHỤ LỤC SỐ 01")
    table = doc.add_table(rows=len(APPENDIX), cols=7)
    for r, row in enumerate(APPENDIX):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(str(path))
    return path


def _pdf(path: Path) -> Path:
    from html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(t)}</p>" for t in TEXT)
    HTML(string=f"<html><body style='font-family: DejaVu Serif'>{body}</body></html>"
         ).write_pdf(str(path))
    return path


def _check_made_up(result, with_appendix: bool):
    assert result.context.period is not None and result.context.period.key == "2024-9M"
    assert result.context.unit is not None and result.context.unit.code == "24616"
    mism = rules_at(result, "rate.mismatch")
    assert any("18/24" in result.excerpt(f) or "18/24" in f.message for f in mism)
    assert not any("30/40" in f.message for f in mism)
    assert [f.found for f in rules_at(result, "date.invalid")] == ["30/02/2024"]
    types = rules_at(result, "document.type-symbol")
    assert len(types) == 1 and "09/QĐ-UBND" in types[0].message
    assert rules_at(result, "parts.sum") == []
    if with_appendix:
        flagged = {f.indicator for f in mism if f.indicator}
        assert flagged == {"3.4.2"}  # 40/50 typed 85
        assert rules_at(result, "figure.same-as") == []  # 12 documents, 40 tasks: both agree


def test_a_made_up_docx_with_a_table_appendix(tmp_path):
    path = _docx(tmp_path / "bao-cao.docx")
    blocks = read_document(path)
    assert blocks[0].place == "đoạn 1" and any(b.place == "bảng 1, dòng 3" for b in blocks)
    result = audit_file(path)
    _check_made_up(result, with_appendix=True)
    assert any(f.place.endswith("(bảng 1, dòng 6)") for f in rules_at(result, "rate.mismatch"))


def test_a_made_up_pdf(tmp_path):
    result = audit_file(_pdf(tmp_path / "bao-cao.pdf"))
    _check_made_up(result, with_appendix=False)
    assert all(f.place.startswith("trang 1") for f in result.findings)


def test_a_made_up_text_file_with_tab_separated_appendix(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_text("\n".join(TEXT) + "\nPHỤ LỤC SỐ 01\n" +
                    "\n".join("\t".join(r) for r in APPENDIX) + "\n", encoding="utf-8")
    _check_made_up(audit_file(path), with_appendix=True)


def test_unreadable_documents_get_a_clear_error(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_text("không phải Word", encoding="utf-8")
    with pytest.raises(InputError, match="không đọc được tệp Word"):
        read_document(bad)
    odt = tmp_path / "x.odt"
    odt.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=".docx, .pdf, .txt hoặc .md"):
        read_document(odt)
    old = tmp_path / "x.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="lưu lại dưới dạng .docx"):
        read_document(old)


def test_appendix_rows_read_from_tab_separated_text():
    blocks = read_text("PHỤ LỤC SỐ 01\n" + "\n".join("\t".join(r) for r in APPENDIX))
    rows, values, findings = read_appendix(blocks)
    assert [r.code for r in rows] == ["1.1.1", "1.1.2", "1.1.3", "3.4.1", "3.4.2"]
    assert (values["3.4.2"].total, values["3.4.2"].done, values["3.4.2"].rate) == (50, 40, 85)
    assert findings == []


# ----------------------------------------------------------------- the command

class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_cli_table_json_and_html(tmp_path):
    runner = CliRunner()
    table = runner.invoke(main, ["audit", str(SEED)], env={"COLUMNS": "220"})
    assert table.exit_code == 1
    assert "rate.mismatch" in table.output and "13/21" in table.output
    assert "xã Đắk Ha" in table.output and "khớp" in table.output
    result = runner.invoke(main, ["audit", str(SEED), "--format", "json", "--html",
                                  str(tmp_path / "ket-qua.html")])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["unit"], data["period"], data["report_date"]) == ("24622", "2024-H1",
                                                                   "2024-03-07")
    assert data["counts"]["error"] == sum(f["severity"] == "error" for f in data["findings"])
    assert data["consistent"] > 0 and data["checked"] > data["consistent"]
    page = _Text()
    page.feed((tmp_path / "ket-qua.html").read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.parts).split())
    assert "Kết quả kiểm tra báo cáo" in text and "13/21" in text
    assert "script" not in page.tags


def test_cli_on_a_clean_report_exits_0_and_says_how_much_was_checked(tmp_path):
    path = tmp_path / "sach.txt"
    path.write_text("ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN\nSố: 05/BC-UBND\n"
                    "Quảng Sơn, ngày 18 tháng 6 năm 2024\nBÁO CÁO\n"
                    "Công tác cải cách hành chính 6 tháng đầu năm 2024\n"
                    "Trong 6 tháng đầu năm 2024, tiếp nhận 120 hồ sơ, tồn kỳ trước 20 hồ sơ, "
                    "tiếp nhận trong kỳ 100 hồ sơ, tỷ lệ đúng hạn 95,5%, trễ hạn 4,5%.\n"
                    "Cán bộ có trình độ đại học 18/24 người (75%).\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "0 lỗi" in result.output and "khớp" in result.output


# ----------------------------------------------------------------------------- excerpts, modules

HEADER = ("ỦY BAN NHÂN DÂN XÃ ĐẮK HA\nSố: 45/BC-UBND\nĐắk Ha, ngày 16 tháng 6 năm 2024\n"
          "BÁO CÁO\nKết quả công tác cải cách hành chính 6 tháng đầu năm 2024\n")


def test_each_finding_carries_the_words_it_points_to(seed):
    # the appendix row of 1.1.2 (seed line 164), its cells joined; the text's "22 văn chỉ đạo"
    [tasks] = [n for n in seed.noted if n.finding.rule == "rate.mismatch"
               and n.finding.indicator == "1.1.2"]
    assert tasks.excerpt == "1.1.2. | Số nhiệm vụ đã hoàn thành | Nhiệm vụ | 55 | 55 | 100"
    [same] = [n for n in seed.noted if n.finding.rule == "figure.same-as"]
    assert "22 văn chỉ đạo" in same.excerpt
    assert [f["excerpt"] for f in seed.as_dict()["findings"]] == [n.excerpt for n in seed.noted]
    assert all(seed.excerpt(n.finding) == n.excerpt for n in seed.noted)


def test_two_equal_findings_keep_their_own_excerpts():
    line = "Cán bộ đạt 18/24 người (80%). Cán bộ đạt 18/24 người (80%) theo kế hoạch."
    result = audit_blocks(read_text(HEADER + line), file="bao-cao.txt")
    pairs = [n for n in result.noted if n.finding.rule == "rate.mismatch"]
    assert pairs[0].finding == pairs[1].finding  # same rule, place and message
    assert [n.excerpt for n in pairs] == ["Cán bộ đạt 18/24 người (80%).",
                                          "Cán bộ đạt 18/24 người (80%) theo kế hoạch."]
    assert [result.excerpt(n.finding) for n in pairs] == [n.excerpt for n in pairs]


def test_the_audit_modules_import_only_public_names_of_each_other():
    for path in sorted((ROOT / "cchc_lib" / "audit").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cchc_lib"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path.name, node.module, private)
