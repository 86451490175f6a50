"""Crafted and damaged inputs for fuzzing, in one place: the words of a report, .docx and .pdf
files, workbooks changed at the zip and XML level, bytes overwritten or cut.

Used by the tests that fuzz with hypothesis (tests/test_audit_limits.py,
tests/test_document_damaged.py, tests/test_intake_fuzz.py, tests/test_intake_support.py) and by
the benchmarks run by hand (benchmarks/fuzz_audit.py, benchmarks/fuzz_workbooks.py, which put
this folder on sys.path).  Plain functions and data, no pytest and no hypothesis: the tests draw
their choices with strategies, the benchmarks with a seeded ``random.Random``, and both then
build the bytes here.  Not a test module (its name does not start with ``test_``).
"""

from __future__ import annotations

import io
import re
import signal
import traceback
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

# ------------------------------------------------------------------------------ report texts

HEADER = ("ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN\nSố: 18/BC-UBND\nQuảng Sơn, ngày 16 tháng 9 năm 2024\n"
          "BÁO CÁO\nKết quả công tác cải cách hành chính 9 tháng đầu năm 2024\n")
#: Words, signs and look-alike or invisible characters a report's text is made of.
WORDS = ["Kế hoạch", "Quyết định", "Báo cáo", "Công văn", "số", "ngày", "tháng", "năm", "quý I",
         "6 tháng đầu năm", "9 tháng", "đạt", "chiếm", "tỷ lệ", "so với", "dự toán", "kế hoạch",
         "HĐND giao", "triệu đồng", "tỷ đồng", "đồng", "hồ sơ", "người", "văn bản", "nhiệm vụ",
         "đúng hạn", "trễ hạn", "trước hạn", "trực tuyến", "trực tiếp", "trong đó", "gồm",
         "tổng số", "tiếp nhận", "tồn kỳ trước", "giải quyết", "UBND", "xã", "phường", "huyện",
         "Đắk Ha", "Đắc Ha", "ĐẮK HA", "Quảng Sơn", "Trên đây là báo cáo", "PHỤ LỤC SỐ 01",
         "từ ngày", "đến ngày", "số liệu", "Số:", "/BC-UBND", "/QĐ-UBND", "/KH-UBND", "…", "___",
         "(", ")", ",", ";", ".", ":", "%", "/", "-", "\t", "\n", "[/red]", "[link=x]", "[bold]",
         "<i>", "</i>", "&amp;", "\x00", "\x1b[31m", "\u200b", "\ufeff", "\u0301", "а", "ǎ"]
#: What a long run without words repeats (a pattern that backtracks would stall on it).
RUNS = ["x", "1", " ", ".", "/", "-", "…", "%", "(", "đ", "1/", "ngày "]


def percent_text(whole: int, hundredths: int) -> str:
    """A rate as a report writes it: ``74,9%``."""
    return f"{whole},{hundredths}%"


def date_text(day: int, month: int, year: int) -> str:
    """A date as a report writes it (out of range when asked): ``05/13/2024``."""
    return f"{day:02d}/{month:02d}/{year}"


# ------------------------------------------------------------------------------ zip and bytes

def parts(source: bytes | Path) -> dict[str, bytes]:
    """The members of a zip (its bytes, or a path) by name, in their order."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def zip_bytes(contents: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``contents`` (name -> bytes), in their order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return out.getvalue()


def write_parts(path: Path, contents: dict[str, bytes]) -> Path:
    path.write_bytes(zip_bytes(contents))
    return path


def with_part(contents: dict[str, bytes], name: str, data: bytes | None) -> dict[str, bytes]:
    """A copy of ``contents`` with the member ``name`` set to ``data``, or left out for None."""
    contents = dict(contents)
    if data is None:
        del contents[name]
    else:
        contents[name] = data
    return contents


def inserted(data: bytes, at: int, bit: bytes) -> bytes:
    return data[:at] + bit + data[at:]


def overwritten(data: bytes, changes: Iterable[tuple[int, int]]) -> bytes:
    """``data`` with each ``(at, value)`` written in turn (``at`` taken modulo the length)."""
    out = bytearray(data)
    for at, value in changes:
        out[at % len(out)] = value
    return bytes(out)


def scrambled(rng, data: bytes, most: int) -> bytes:
    """``data`` with one to ``most`` bytes overwritten at random (``rng``: a random.Random)."""
    changes = []
    for _ in range(rng.randint(1, most)):
        value = rng.randrange(256)  # drawn before the place, as ``data[place] = value`` does
        changes.append((rng.randrange(len(data)), value))
    return overwritten(data, changes)


# ------------------------------------------------------------------------------ .docx and .pdf

#: Bits of markup (and text) that break a .docx's XML, or make it unusual.
DOCX_XML_BITS = ["<", ">", "&", "&amp;", "<!-- x -->", "<?pi x?>", "</w:p>", "<w:p>", "<w:t>",
                 "</w:t>", "<w:tbl>", "<w:tc>", "]]>", "\x00", '"', "\u0301",
                 "<w:sdt><w:sdtContent>", "<w:vMerge/>"]
#: A page stream's filters: those a reader decodes, those it does not, one that does not exist.
PDF_FILTERS = ["/FlateDecode", "/LZWDecode", "/ASCII85Decode", "/ASCIIHexDecode",
               "/RunLengthDecode", "/DCTDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/FooDecode",
               "/Crypt"]


def docx(paragraphs: Iterable[str], table: list[list[str]] | None = None) -> bytes:
    """A real python-docx document: the paragraphs, then a table of ``table``'s rows (a cell
    whose text is empty is left as python-docx makes it)."""
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=max(map(len, table)))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                if text:
                    grid.cell(r, c).text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf(content: bytes, filters: str | list[str] | None = None,
        password: str | None = None) -> bytes:
    """A one-page PDF written with pypdf whose page stream is ``content`` as it is (Helvetica as
    /F1), said to be encoded with ``filters`` (a name or a list), encrypted with ``password``."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = StreamObject()
    stream._data = content
    if filters:
        stream[NameObject("/Filter")] = (ArrayObject(NameObject(f) for f in filters)
                                         if isinstance(filters, list) else NameObject(filters))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ------------------------------------------------------------------------------ workbooks

SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Cell numbers as text: overflowing, underflowing, long, not numbers at all.
NUMBER_TEXTS = ["1E+308", "1e308", "-1E+308", "1E+999", "1E-400", "9" * 400, "7" * 5000, "0.749",
                "74.9", "-0", "NaN", "inf", "0x10", "1_000", "", "12", "21.5", "-3",
                "4.0000000000000001", "0." + "0" * 59 + "1", "3253588460"]
#: Cell texts: markup, formulas, rates typed as text, escapes, control and direction marks.
CELL_TEXTS = ["[/red]", "[bold red]lỗi[/]", "[link=file:///etc/passwd]x[/link]", "=1+1",
              "=HYPERLINK(\"x\")", "74,9%", "74,9", "74.9", "1.234", "2 - Hoàn thành", "_x0000_",
              "_x001F_ký tự", "\u202e đảo chiều", "\ufeff", "Có", "Không", "x" * 20_001,
              "y" * 19_999]
#: Bits that break a workbook part's XML.
XLSX_XML_BITS = ["<", "&bogus;", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "\x00", "]]>",
                 "<row r='x'/>", "<c r='A0'/>", "\ufffe", "<v>1</v>"]
CSV_HEAD = ("unit", "period", "code", "total", "done", "rate", "note", "as_of")
CSV_FIELDS = ["24622", "2024-H1", "3.4.1", "7.3", "394", "74,9%", "1E+308", "9" * 400, '"', '""',
              "-3", "x" * 140_000, "\x00", ".inf", "../x", ""]
#: Where a value goes: a line of the seed's YAML, and the same with the value in its place.
YAML_SLOTS = {
    "unit": ("unit: '24622'\n", "unit: {}\n"),
    "period": ("period: 2024-H1\n", "period: {}\n"),
    "3.4.1 total": ("  3.4.1:\n    total: 394\n", "  3.4.1:\n    total: {}\n"),
    "3.4.1 rate": ("    done: 295\n    rate: 74.9\n", "    done: 295\n    rate: {}\n"),
    "place": ("  place: Đắk Ha\n", "  place: {}\n"),
    "illustrative": ("illustrative: false\n", "illustrative: {}\n"),
}
YAML_VALUES = [".inf", "-.inf", ".nan", "1e308", "1.0e+308", "-3", "1" * 400, "21.5", "~", "[]",
               "{}", "'74,9'", "true", "&a [*a]", "!!binary aGVsbG8=", "2024-01-01", "0x1F", "0o17",
               "1_000", "../../x", "''", "[[[[[[[[[[", "'\\x07'", "[/red]"]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column(n: int) -> str:
    """A column's letters: 1 -> A, 27 -> AA."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


def cell_ref(row: int, col: int) -> str:
    return f"{column(col)}{row}"


def cell_xml(row: int, col: int, kind: str, value: str | None, style: int | None = None,
             formula: str = "A1/0") -> str:
    """A sheet's ``<c>`` of type ``kind`` (n, s, str, inlineStr, b, e, d; f: ``formula`` with
    ``value`` cached unless None; raw: ``value`` put inside as it is, often not XML at all)."""
    ref = cell_ref(row, col)
    s = "" if style is None else f' s="{style}"'
    if kind == "raw":
        return f'<c r="{ref}">{value}</c>'
    if kind == "f":
        cached = "" if value is None else f"<v>{value}</v>"
        return f'<c r="{ref}"{s}><f>{formula}</f>{cached}</c>'
    if kind == "inlineStr":
        return f'<c r="{ref}" t="inlineStr"{s}><is><t>{escape(value)}</t></is></c>'
    t = "" if kind == "n" else f' t="{kind}"'
    return f'<c r="{ref}"{t}{s}><v>{escape(value) if kind == "str" else value}</v></c>'


def sheet_parts(contents: dict[str, bytes]) -> dict[str, str]:
    """Each sheet's zip entry by the sheet's name, found as a reader finds it: workbook.xml,
    then its rels."""
    book = contents["xl/workbook.xml"].decode()
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]*)"', rel).group(1)
        target = re.search(r'\bTarget="([^"]*)"', rel).group(1)
        targets.setdefault(rid, target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    found = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        rid = re.search(r'\br:id="([^"]*)"', tag).group(1)
        if rid in targets:
            found.setdefault(re.search(r'\bname="([^"]*)"', tag).group(1), targets[rid])
    return found


def sheet_part(contents: dict[str, bytes], sheet: str) -> str:
    """The zip entry of a sheet, found as a reader finds it: workbook.xml, then its rels."""
    found = sheet_parts(contents).get(sheet)
    if found is None:
        raise AssertionError(f"no sheet {sheet!r}")
    return found


def append_rows(contents: dict[str, bytes], part: str, rows_xml: str) -> dict[str, bytes]:
    """A copy of ``contents`` with ``rows_xml`` added at the end of the sheet ``part``'s data."""
    xml = contents[part].decode("utf-8", "surrogatepass")
    return {**contents, part: xml.replace("</sheetData>", rows_xml + "</sheetData>", 1).encode(
        "utf-8", "surrogatepass")}


def shared_string_count(contents: dict[str, bytes]) -> int:
    """How many items the shared string table holds (0 without one)."""
    return len(re.findall(r"<si>|<si\b", contents.get("xl/sharedStrings.xml", b"").decode()))


def with_shared_strings(contents: dict[str, bytes], items_xml: str = "",
                        declared: bool = True) -> dict[str, bytes]:
    """A copy of ``contents`` with a shared string table of ``items_xml`` (``<si>`` elements),
    related to the workbook and, when ``declared``, named in [Content_Types].xml."""
    contents = dict(contents)
    contents["xl/sharedStrings.xml"] = f'<sst xmlns="{SPREADSHEET_NS}">{items_xml}</sst>'.encode()
    contents["xl/_rels/workbook.xml.rels"] = contents["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
        b'Id="rIdSst"/></Relationships>')
    if declared:
        contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return contents


def add_shared_string(contents: dict[str, bytes], text: str,
                      runs: bool = False) -> tuple[dict[str, bytes], int]:
    """A copy of ``contents`` whose shared string table ends with ``text`` (with ``runs``: an
    item of rich-text runs, ``text`` being their XML), and its index.  Needs a table."""
    sst = contents["xl/sharedStrings.xml"].decode()
    item = text if runs else f'<t xml:space="preserve">{text}</t>'
    sst = sst.replace("</sst>", f"<si>{item}</si></sst>", 1)
    return {**contents, "xl/sharedStrings.xml": sst.encode()}, shared_string_count(contents)


def csv_line(fields: Iterable[str], sep: str, quote: bool) -> str:
    """A CSV line of ``fields`` as they are, each in quotes or not."""
    return sep.join(f'"{f}"' if quote else f for f in fields)


# ------------------------------------------------------------------------------ benchmark runs

class Timeout(Exception):
    """Raised by :func:`time_limit` in a benchmark's worker: a hang counts as unexpected."""


@contextmanager
def time_limit(seconds: int, message: str):
    """Raise :class:`Timeout` with ``message`` in the body once ``seconds`` have passed
    (SIGALRM: a Unix process's main thread)."""
    def alarm(signum, frame):  # noqa: ARG001
        raise Timeout(message)

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)


def signature(exc: BaseException) -> str:
    """An exception's type and its last three frames, to count the same failure once."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__}: {where}"
