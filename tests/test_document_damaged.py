"""Damaged and unusual .docx / .pdf files: a damaged one gets the package's Vietnamese error
naming the file, what is wrong and what to do, never a library's exception; an unusual but
valid one is read.

Every file is made here (with tests/fuzzkit.py's builders): a real python-docx document whose
zip bytes or XML are then damaged, and PDFs written with pypdf whose page stream is broken.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest

from cchc_lib.audit import audit_file
from cchc_lib.audit.document import read_document
from cchc_lib.errors import CchcError, InputError
from fuzzkit import docx, parts, pdf, with_part, zip_bytes

PARA = "Kế hoạch CCHC đề ra 40 nhiệm vụ, đã hoàn thành 30/40 nhiệm vụ (75%)."
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


GOOD = docx(["ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN", PARA],
            table=[["Stt", "Chỉ tiêu", ""], ["1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "40"]])


def _with_part(name: str, data: bytes | None) -> bytes:
    return zip_bytes(with_part(parts(GOOD), name, data))


def _edit_document(old: str, new: str) -> bytes:
    xml = parts(GOOD)["word/document.xml"].decode("utf-8")
    assert old in xml
    return _with_part("word/document.xml", xml.replace(old, new, 1).encode("utf-8"))


def _data_offset(data: bytes, name: str) -> int:
    """Where a member's compressed bytes start in the zip."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    local = data[info.header_offset:info.header_offset + 30]
    name_len, extra_len = int.from_bytes(local[26:28], "little"), int.from_bytes(local[28:30],
                                                                                   "little")
    return info.header_offset + 30 + name_len + extra_len


def _flip(data: bytes, name: str, at: int) -> bytes:
    """One byte of a member's compressed data inverted: a zlib error or a bad checksum."""
    b = bytearray(data)
    b[_data_offset(data, name) + at] ^= 0xFF
    return bytes(b)


def _crc_only(data: bytes, name: str) -> bytes:
    """The member's stored checksum wrong, its data intact: only the checksum betrays it."""
    b = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    b[info.header_offset + 14] ^= 0xFF  # the local header's CRC-32
    central = data.find(b"PK\x01\x02")
    while central != -1:  # and the central directory's, found by the member's name
        n = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + n] == name.encode():
            b[central + 16] ^= 0xFF
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(b)


def _encrypted_flag(data: bytes) -> bytes:
    """Every member marked as encrypted (general purpose bit 0), as a password zip is."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at != -1:
            b[at + off] |= 0x01
            at = data.find(sig, at + 4)
    return bytes(b)


DOC = "word/document.xml"


def _bad_xml(named: str) -> str:
    """What the error says of a part that is not well-formed XML (named as the error names it)."""
    return f"{named} của tệp có nội dung XML bị hỏng"


DAMAGED_DOCX = {
    # the zip
    "empty": (b"", "không phải dạng Word .docx"),
    "not a zip": ("không phải Word".encode(), "không phải dạng Word .docx"),
    "old .doc renamed": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word cũ (.doc)"),
    "cut in half": (GOOD[:len(GOOD) // 2], "không phải dạng Word .docx"),
    "last bytes lost": (GOOD[:-30], "không phải dạng Word .docx"),
    "central directory broken": (GOOD.replace(b"PK\x05\x06", b"PK\x05\x07"),
                                 "không phải dạng Word .docx"),
    "document.xml deflate stream broken": (_flip(GOOD, "word/document.xml", 5),
                                           "word/document.xml của tệp bị hỏng"),
    "styles.xml deflate stream broken": (_flip(GOOD, "word/styles.xml", 40),
                                         "word/styles.xml của tệp bị hỏng"),
    "document.xml bad CRC": (_crc_only(GOOD, "word/document.xml"),
                             "word/document.xml của tệp bị hỏng"),
    "encrypted members": (_encrypted_flag(GOOD), "bị mã hóa"),
    # the XML
    "unclosed paragraph": (_edit_document("<w:body>", "<w:body><w:p>"), _bad_xml(DOC) + " (dòng"),
    "document.xml empty": (_with_part(DOC, b""), _bad_xml(DOC)),
    "document.xml not XML": (_with_part(DOC, b"hello"), _bad_xml(DOC)),
    "XML declaration not first": (_edit_document("<?xml", "<!-- x --><?xml"), _bad_xml(DOC)),
    "styles.xml broken": (_with_part("word/styles.xml", b"<w:styles"), _bad_xml("word/styles.xml")),
    "[Content_Types].xml broken": (_with_part("[Content_Types].xml", b"<Types"),
                                   _bad_xml("[Content_Types].xml")),
    "relationships broken": (_with_part("word/_rels/document.xml.rels", b"<Relationships"),
                             _bad_xml("document.xml.rels")),
    "no document.xml": (_with_part("word/document.xml", None), "thiếu phần word/document.xml"),
    "no [Content_Types].xml": (_with_part("[Content_Types].xml", None),
                               "thiếu phần [Content_Types].xml"),
    "package relationships of another kind": (_with_part("_rels/.rels", b"<x/>"),
                                              "cấu trúc tệp Word bị hỏng"),
    "no body": (_with_part("word/document.xml",
                           f'<?xml version="1.0"?><w:document xmlns:w="{W}"/>'.encode()),
                "không có phần thân văn bản (w:body)"),
    "an Excel workbook renamed": (_with_part(
        "[Content_Types].xml", parts(GOOD)["[Content_Types].xml"].replace(
            b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")),
        "không phải văn bản Word"),
}


def _refusal(path: Path, data: bytes) -> str:
    """The package's error on reading ``data`` written at ``path``."""
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_document(path)
    return str(err.value)


@pytest.mark.parametrize("case", list(DAMAGED_DOCX))
def test_a_damaged_docx_gets_a_vietnamese_error_naming_file_fault_and_fix(tmp_path, case):
    data, fault = DAMAGED_DOCX[case]
    path = tmp_path / "bao-cao.docx"
    message = _refusal(path, data)
    assert message.startswith(f"{path}: không đọc được tệp Word .docx")
    assert fault in message
    assert "Word hoặc LibreOffice, lưu lại" in message  # what to do
    with pytest.raises(CchcError):  # and the same through the audit
        audit_file(path)


UNUSUAL_DOCX = {
    "comment inside a paragraph": ("<w:r>", "<!-- ghi chú của người soạn --><w:r>"),
    "processing instruction inside a paragraph": ("<w:r>", "<?mso-application x?><w:r>"),
    "comment splitting a text run": (f"<w:t>{PARA[:9]}", f"<w:t>{PARA[:4]}<!-- c -->{PARA[4:9]}"),
    "comment in the body": ("<w:body>", "<w:body><!-- thân -->"),
    "vertical merge on the first row": ("<w:tc>", "<w:tc><w:tcPr><w:vMerge/></w:tcPr>"),
    "span that is not a number": ("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>'),
}


@pytest.mark.parametrize("case", list(UNUSUAL_DOCX))
def test_an_unusual_but_valid_docx_is_read(tmp_path, case):
    old, new = UNUSUAL_DOCX[case]
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(_edit_document(old, new))
    blocks = read_document(path)
    assert [b.text for b in blocks if not b.cells] == ["ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN", PARA]
    [row] = [b for b in blocks if b.cells and "1.1.1." in b.cells]
    assert "40" in row.cells and "Số nhiệm vụ đề ra trong kế hoạch" in row.cells
    assert audit_file(path).consistent >= 1  # 30/40 = 75% holds


def test_a_docx_whose_xml_is_too_large_once_unzipped_is_refused(tmp_path, monkeypatch):
    import cchc_lib.audit.document as document

    monkeypatch.setattr(document, "MAX_XML", 1024)
    path = tmp_path / "bom.docx"
    path.write_bytes(GOOD)
    with pytest.raises(InputError, match=r"phần \S+\.xml giải nén ra 0 MB, quá giới hạn 0 MB"):
        read_document(path)


def test_text_inside_a_content_control_is_read(tmp_path):
    sdt = ('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Trong đó 12 hồ sơ trực tuyến.</w:t>'
           "</w:r></w:p></w:sdtContent></w:sdt>")
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(_edit_document("<w:body>", "<w:body>" + sdt))
    texts = [b.text for b in read_document(path)]
    assert texts[0] == "Trong đó 12 hồ sơ trực tuyến." and PARA in texts


def test_a_docx_too_large_once_unzipped_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    import cchc_lib.audit.document as document

    monkeypatch.setattr(document, "MAX_UNZIPPED", 64 * 1024)
    path = tmp_path / "bom.docx"
    path.write_bytes(_with_part("word/media/image1.png", b"\0" * 200_000))
    with pytest.raises(InputError, match=r"giải nén ra 0 MB, quá giới hạn 0 MB"):
        read_document(path)


# ----------------------------------------------------------------- PDF

PAGE = b"BT /F1 12 Tf 72 712 Td (Ke hoach 30/40 nhiem vu) Tj ET"
GOOD_PDF = pdf(PAGE)

DAMAGED_PDF = {
    "empty": (b"", "tệp rỗng"),
    "not a PDF": (b"hello world", "tệp bị hỏng hoặc không đúng định dạng PDF"),
    "header only": (b"%PDF-1.7\n", "tệp bị hỏng hoặc không đúng định dạng PDF"),
    "cut in half": (GOOD_PDF[:len(GOOD_PDF) // 2], "tệp bị hỏng hoặc không đúng định dạng PDF"),
    "cross-reference broken": (GOOD_PDF.replace(b"xref", b"xrex"),
                               "tệp bị hỏng hoặc không đúng định dạng PDF"),
    "page stream not deflate": (pdf(b"\x78\x9c not zlib", "/FlateDecode"),
                                "phần nội dung các trang bị hỏng"),
    "page stream deflate garbage": (pdf(b"\x78\x9c garbage not zlib", "/FlateDecode"),
                                    "tệp bị hỏng (phần nội dung các trang không giải mã được)"),
    "page stream unknown filter": (pdf(b"xx", "/FooDecode"),
                                   "trang 1: nội dung được nén theo kiểu chưa đọc được"),
    "page stream JBIG2": (pdf(b"xx", "/JBIG2Decode"),
                          "trang 1: nội dung được nén theo kiểu chưa đọc được"),
    "page stream filter chain": (pdf(b"xx", ["/FlateDecode", "/FooDecode"]),
                                 "trang 1:"),
    "page stream LZW broken": (pdf(b"\xff\xff\xff\xff", "/LZWDecode"), "trang 1:"),
    "page stream ASCII85 broken": (pdf(b"\xff\xfe~>", "/ASCII85Decode"), "trang 1:"),
    "page stream past the size limit": (
        pdf(zlib.compress(b" " * 12 * 2 ** 20, 9), "/FlateDecode"),
        "giải ra quá lớn, vượt giới hạn an toàn"),
    "unbalanced operators": (pdf(b"BT /F1 12 Tf (x) Tj [ [ [ ( ET" * 10), "trang 1:"),
    "password": (pdf(PAGE, password="mat-khau"), "có đặt mật khẩu"),
}


@pytest.mark.parametrize("case", list(DAMAGED_PDF))
def test_a_damaged_pdf_gets_a_vietnamese_error_naming_file_fault_and_fix(tmp_path, case,
                                                                         capfd):
    data, fault = DAMAGED_PDF[case]
    path = tmp_path / "bao-cao.pdf"
    message = _refusal(path, data)
    assert message.startswith(f"{path}: ")
    assert fault in message
    assert re.search(r"rồi thử lại", message)  # what to do
    out, errors = capfd.readouterr()
    assert out == errors == ""  # pypdf's English warnings are kept off the screen


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(pdf(PAGE, password=""))
    assert [b.text for b in read_document(path)] == ["Ke hoach 30/40 nhiem vu"]


def test_a_pdf_with_too_many_pages_is_refused(tmp_path, monkeypatch):
    import cchc_lib.audit.document as document

    monkeypatch.setattr(document, "MAX_PAGES", 0)
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(GOOD_PDF)
    with pytest.raises(InputError, match="có 1 trang, quá giới hạn 0 trang"):
        read_document(path)


# ----------------------------------------------------------------- any file

def test_a_folder_or_a_missing_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "thu-muc.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="không mở được tệp"):
        read_document(folder)
    with pytest.raises(InputError, match="không mở được tệp"):
        read_document(tmp_path / "khong-co.docx")


def test_a_text_file_not_in_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_bytes(PARA.encode("utf-16"))
    with pytest.raises(InputError, match=r"bao-cao\.txt: tệp văn bản phải lưu dạng UTF-8; hãy mở "
                                         r"tệp và lưu lại với bảng mã UTF-8 rồi thử lại"):
        read_document(path)


def test_a_document_with_too_much_text_is_refused(tmp_path, monkeypatch):
    import cchc_lib.audit.document as document

    monkeypatch.setattr(document, "MAX_CHARS", 1_000)
    path = tmp_path / "dai.txt"
    path.write_text((PARA + "\n") * 30, encoding="utf-8")
    with pytest.raises(InputError, match=r"dai\.txt: báo cáo dài quá: hơn 2\.\d{3} ký tự, "
                                         r"giới hạn 1\.000 ký tự; hãy tách"):
        read_document(path)
    docx = tmp_path / "dai.docx"
    docx.write_bytes(_edit_document(PARA, PARA * 30))
    with pytest.raises(InputError, match="báo cáo dài quá"):
        read_document(docx)


def test_damaged_files_written_by_the_seed_tests_helpers_read_back(tmp_path):
    """The undamaged helpers read: the damage, not the helpers, makes the errors above."""
    docx, pdf = tmp_path / "a.docx", tmp_path / "a.pdf"
    docx.write_bytes(GOOD)
    pdf.write_bytes(GOOD_PDF)
    assert PARA in [b.text for b in read_document(docx)]
    assert [b.text for b in read_document(pdf)] == ["Ke hoach 30/40 nhiem vu"]
    assert Path(docx).stat().st_size == len(GOOD)
