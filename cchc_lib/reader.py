"""Read a filled workbook (or a long-form CSV) into a Submission.

Forgiving about formats — ``3.253.588.460``, ``74,9``, ``96.33``, ``04``, a
trailing ``%``, a rate typed ``74,9%`` that Excel or LibreOffice stored as 0,749
in a percent cell, numbers stored as text — and strict about mistakes: anything
it cannot read raises :class:`~cchc_lib.errors.InputError` naming the file, the
sheet and the cell, in Vietnamese.  Where it had to choose between two readings
of a value, or where the form is only partly filled, it says so in
:attr:`ReadResult.notes`; a form with nothing filled in is refused.

It never evaluates a formula: a formula cell is read through the value Excel
stored when the file was last saved, and refused when there is none.

Its work is bounded whatever the file holds, so that a small hostile file costs
neither gigabytes nor minutes: the zip's entries are checked (count, declared
unpacked size, compression, encryption) before anything is unpacked; each sheet
is streamed once by openpyxl's read-only parser, and refused at the first cell
with a value below its template's rows plus :data:`ROW_MARGIN`; text is limited
per cell (:data:`MAX_TEXT`) and per submission (:data:`MAX_SUBMISSION_TEXT`).
"""

from __future__ import annotations

import csv
import html
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser  # the parser read-only sheets use

from cchc_lib import periods, units
from cchc_lib import workbook as L  # the layout the writer uses
from cchc_lib.catalogue import Catalogue, catalogue_as_typed, default_catalogue
from cchc_lib.errors import CchcError, InputError
from cchc_lib.model import Document, Header, Indicator, Submission, Value
from cchc_lib.cells import MAX_SUBMISSION_TEXT, MAX_TEXT, read_figure
from cchc_lib.numparse import NumberFormatError, Reading
from cchc_lib.sections import report_sections

__all__ = ["ReadResult", "read_workbook", "read_csv", "read_file", "read_figure",
           "MAX_FILE_BYTES", "MAX_TEXT", "MAX_SUBMISSION_TEXT"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled workbook is ~30-100 kB; refuse anything huge
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # every entry as declared (pictures are never unpacked)
#: One XML part unpacked.  A filled sheet is under 100 kB and 200 000 characters of text under
#: 1 MB; 4 MB is plenty for a real form and caps what parsing a hostile part can cost.
MAX_PART_BYTES = 4 * 1024 * 1024
MAX_XML_BYTES = 16 * 1024 * 1024  # every XML part unpacked
MAX_ZIP_ENTRIES = 500  # a workbook has ~16 entries, a few more with pictures or comments
#: Rows a clerk may add below a sheet's template rows (documents, paragraphs).
ROW_MARGIN = 1_000
#: Empty rows (formatting only) beyond that tolerated before the sheet is refused.
MAX_TRAILING_ROWS = 5_000
MAX_COLUMN = 12  # columns read; the widest sheet uses 9
MAX_CSV_ROWS = 100_000  # a province's 124 communes x ~130 indicators x 4 periods is ~65 000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: encrypted .xlsx or old .xls
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# C0 controls but tab, newline and carriage return: invisible, and invalid in a workbook's XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NOT_WORKBOOK = "tệp không phải sổ tính Excel .xlsx (hãy mở bằng Excel và lưu lại dưới dạng .xlsx)"
_PASSWORD = ("sổ tính có đặt mật khẩu (đã mã hóa) nên chương trình không đọc được; hãy mở bằng "
             "Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, "
             "xóa mật khẩu) rồi lưu và nộp lại")
#: Header fields a finished report has; an empty one is noted (never refused).
_EXPECTED_HEADER = ("report_number", "report_symbol", "report_date", "place", "title",
                    "signing_authority", "signer_title", "signer_name", "data_window_from",
                    "data_window_to", "addressee", "recipient.1")


@dataclass(frozen=True)
class ReadResult:
    """A submission read from a file, with the notes on ambiguous readings and gaps."""

    submission: Submission
    notes: tuple[str, ...] = field(default=())
    file: str = ""


def _list(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (" …" if len(items) > limit else "")


# ------------------------------------------------------------------------ the zip, bounded

def _check_container(path: Path, file: str) -> None:
    """Refuse, before openpyxl unpacks anything, a file that is not a plain .xlsx or whose
    parts would cost too much to unpack."""
    def error(message: str) -> InputError:
        return InputError(message, file=file)

    try:
        if not path.is_file():
            raise error("không phải một tệp (có thể là thư mục) hoặc không mở được")
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
            if size > MAX_FILE_BYTES:
                raise error(f"tệp quá lớn ({size // 1024 // 1024} MB); sổ tính báo cáo chỉ "
                            f"khoảng vài trăm kB, giới hạn {MAX_FILE_BYTES // 1024 // 1024} MB")
            if head == _OLE_MAGIC:
                fh.seek(0)
                if _ENCRYPTED_STREAM in fh.read():
                    raise error(_PASSWORD)
                raise error("tệp là sổ tính Excel 97-2003 (.xls) hoặc tệp Office cũ; hãy mở "
                            "bằng Excel và lưu lại dưới dạng .xlsx")
    except OSError as exc:
        raise error(f"không mở được tệp ({exc.strerror or type(exc).__name__})") from exc
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_entries(infos, zf, error)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise error(f"{_NOT_WORKBOOK}; {type(exc).__name__}") from exc


def _sheet_of_part(zf: zipfile.ZipFile, part: str) -> str | None:
    """The name of the sheet a worksheet part holds, read from the (small, checked) workbook
    part and its relationships; None when they do not say."""
    try:
        if any(zf.getinfo(n).file_size > MAX_PART_BYTES
               for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")):
            return None
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError,
            EOFError, ValueError):
        return None
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        target = re.search(r'\bTarget="([^"]*)"', rel)
        rid = re.search(r'\bId="([^"]*)"', rel)
        if target and rid and target.group(1).lstrip("/").removeprefix("xl/") == \
                part.removeprefix("xl/"):
            for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
                if f'"{rid.group(1)}"' in tag:
                    name = re.search(r'\bname="([^"]*)"', tag)
                    return html.unescape(name.group(1)) if name else None
    return None


def _check_entries(infos: list[zipfile.ZipInfo], zf: zipfile.ZipFile, error) -> None:
    """Count, encryption, compression and declared unpacked sizes of the zip's entries."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise error(f"tệp nén chứa {len(infos)} phần, sổ tính thật chỉ vài chục; tệp bị hỏng "
                    "hoặc không phải sổ tính")
    xml_total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise error(_PASSWORD)
        if info.compress_type not in _ZIP_METHODS \
                or info.extract_version > zipfile.MAX_EXTRACT_VERSION:
            raise error(f"phần {info.filename[:80]!r} của tệp được nén theo cách Excel không dùng "
                        f"(phương thức {info.compress_type}, phiên bản {info.extract_version}); "
                        "tệp bị hỏng hoặc do chương trình khác tạo, hãy mở bằng Excel và lưu lại "
                        "dưới dạng .xlsx")
        if _XML_PART.search(info.filename):
            if info.file_size > MAX_PART_BYTES:
                sheet = _sheet_of_part(zf, info.filename)
                what = f'trang "{sheet}"' if sheet else f"phần {info.filename[:80]!r}"
                raise error(f"{what} khi giải nén dài {info.file_size // 1024 // 1024} MB, quá "
                            f"giới hạn {MAX_PART_BYTES // 1024 // 1024} MB; trang tính có quá "
                            "nhiều ô hoặc dòng thừa (hãy xóa các dòng, cột thừa ở cuối trang)")
            xml_total += info.file_size
    if xml_total > MAX_XML_BYTES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise error("tệp nén bên trong quá lớn, có thể bị hỏng hoặc độc hại")
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise error(_NOT_WORKBOOK)


class _Sheet:
    """One worksheet's cells as read, with its name and file for cell-precise errors.

    Only cells with a value are kept, up to column :data:`MAX_COLUMN`; formulas are read
    through the value Excel stored.
    """

    def __init__(self, book: "_Book", name: str, cells: dict, last_row: int):
        self.book = book
        self.name = name
        self.cells = cells  # (row, col) -> (value, data_type, number format)
        self.max_row = last_row

    def error(self, message: str, cell: str | None = None, row: int | None = None) -> InputError:
        return InputError(message, file=self.book.file, sheet=self.name, cell=cell, row=row)

    def coord(self, row: int, col: int) -> str:
        return f"{get_column_letter(col)}{row}"

    def number_format(self, row: int, col: int) -> str:
        found = self.cells.get((row, col))
        return found[2] if found else "General"

    def raw(self, row: int, col: int) -> Any:
        found = self.cells.get((row, col))
        if found is None:
            return None
        value, data_type, _ = found
        if data_type == "f":
            shown = str(value)[:40]
            cached = self.book.cached(self.name, row, col)
            if cached is None:
                raise self.error(f"ô chứa công thức {shown!r} chưa có giá trị tính sẵn; hãy "
                                 "nhập số trực tiếp", cell=self.coord(row, col))
            self.book.notes.append(f"{self.name}!{self.coord(row, col)}: dùng giá trị Excel "
                                   f"đã tính sẵn của công thức {shown!r}")
            return cached
        return value

    def text(self, row: int, col: int) -> str:
        value = self.raw(row, col)
        if value is None:
            return ""
        if isinstance(value, (datetime, date)):
            try:
                return value.strftime("%d/%m/%Y")
            except ValueError:
                raise self.error("ô chứa ngày tháng không hợp lệ",
                                 cell=self.coord(row, col)) from None
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise self.error(f"nội dung dài {len(text)} ký tự, quá giới hạn {MAX_TEXT} ký tự "
                             "một ô", cell=self.coord(row, col))
        if _CONTROL.search(text):
            text = _CONTROL.sub("", text)
            self.book.notes.append(f"{self.name}!{self.coord(row, col)}: đã bỏ ký tự điều "
                                   "khiển không in được")
        self.book.spend(len(text), self)
        return text


class _Book:
    """An opened workbook: its sheets streamed once each, within bounds."""

    def __init__(self, path: Path, catalogue: Catalogue | None):
        self.path = path
        self.file = str(path)
        # without one given: the version in force for the form's period, once _meta is read
        self.cat = catalogue or default_catalogue()
        self.cat_by_period = catalogue is None
        self.notes: list[str] = []
        self.text_used = 0
        self._sheets: dict[str, _Sheet] = {}
        self._cached: dict[str, _Sheet] = {}
        self._values_wb = None
        _check_container(path, self.file)
        self.wb = self._load(data_only=False)

    def error(self, message: str, sheet: str | None = None) -> InputError:
        return InputError(message, file=self.file, sheet=sheet)

    def close(self) -> None:
        for wb in (self.wb, self._values_wb):
            if wb is not None:
                try:
                    wb.close()
                except Exception:  # noqa: BLE001 - closing a damaged archive must not mask
                    pass

    def _load(self, data_only: bool):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
                return load_workbook(self.path, read_only=True, data_only=data_only,
                                     keep_links=False)
        except CchcError:
            raise
        except Exception as exc:  # malformed XML, a missing part, a bad number, …
            raise self.error(f"tệp .xlsx bị hỏng, không đọc được ({type(exc).__name__}); hãy "
                             "mở bằng Excel và lưu lại dưới dạng .xlsx") from exc

    def spend(self, chars: int, sheet: _Sheet) -> None:
        self.text_used += chars
        if self.text_used > MAX_SUBMISSION_TEXT:
            limit = f"{MAX_SUBMISSION_TEXT:,}".replace(",", ".")
            raise sheet.error(f"sổ tính chứa hơn {limit} ký tự chữ"
                              + "; một báo cáo thật ngắn hơn nhiều, hãy kiểm tra các ô chép "
                              "nhầm nội dung dài")

    def has(self, name: str) -> bool:
        return name in self.wb.sheetnames

    def sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            if not self.has(name):
                raise self.error(f'thiếu trang "{name}"; hãy dùng mẫu do `cchc template` tạo ra')
            self._sheets[name] = self._stream(self.wb, name)
        return self._sheets[name]

    def cached(self, name: str, row: int, col: int) -> Any:
        """The value Excel stored for a formula cell (None when the file has none)."""
        if name not in self._cached:
            if self._values_wb is None:
                self._values_wb = self._load(data_only=True)
            self._cached[name] = self._stream(self._values_wb, name)
        found = self._cached[name].cells.get((row, col))
        return None if found is None else found[0]

    def row_limit(self, name: str) -> int:
        """The last row read in a sheet: its template's rows and :data:`ROW_MARGIN`."""
        template = {
            L.SHEET_HEADER: max(L.HEADER_ROWS.values()),
            L.SHEET_APPENDIX: L.IND_FIRST_ROW - 1 + len(L.indicator_rows(L.SHEET_APPENDIX,
                                                                         self.cat)),
            L.SHEET_SUPPLEMENT: L.IND_FIRST_ROW - 1 + len(L.indicator_rows(L.SHEET_SUPPLEMENT,
                                                                           self.cat)),
            L.SHEET_DOCUMENTS: L.DOC_FIRST_ROW - 1 + L.DOC_ROWS,
            L.SHEET_TEXT: L.TEXT_FIRST_ROW - 1 + len(report_sections()),
        }.get(name, 20)
        return template + ROW_MARGIN

    def _stream(self, wb, name: str) -> _Sheet:
        ws = wb[name]
        limit = self.row_limit(name)
        try:
            return self._parse(wb, ws, name, limit)
        except CchcError:
            raise
        except Exception as exc:  # a damaged part: bad XML, a bad shared string index, …
            raise InputError(f"trang bị hỏng, không đọc được ({type(exc).__name__}); hãy mở "
                             "bằng Excel và lưu lại dưới dạng .xlsx", file=self.file,
                             sheet=name) from exc

    def _parse(self, wb, ws, name: str, limit: int) -> _Sheet:
        part = ws._worksheet_path  # noqa: SLF001 - the part the read-only sheet streams
        if wb._archive.getinfo(part).file_size > MAX_PART_BYTES:  # noqa: SLF001
            raise self.error(f"trang quá lớn khi giải nén (quá {MAX_PART_BYTES // 1024 // 1024} "
                             "MB); hãy xóa các dòng, cột thừa", sheet=name)
        cells: dict[tuple[int, int], tuple] = {}
        last = 0
        rows_seen = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with wb._archive.open(part) as src:  # noqa: SLF001
                parser = WorkSheetParser(src, ws._shared_strings, data_only=wb.data_only,  # noqa: SLF001
                                         epoch=wb.epoch, date_formats=wb._date_formats,  # noqa: SLF001
                                         timedelta_formats=wb._timedelta_formats)  # noqa: SLF001
                for _, row in parser.parse():
                    rows_seen += 1
                    if rows_seen > limit + MAX_TRAILING_ROWS:
                        raise self.error(f"trang có hơn {limit + MAX_TRAILING_ROWS} dòng (kể cả "
                                         f"dòng trống đã định dạng), mẫu chỉ có khoảng "
                                         f"{limit - ROW_MARGIN}; hãy xóa các dòng thừa ở cuối "
                                         "trang", sheet=name)
                    for c in row:
                        value = c["value"]
                        if value is None or value == "":
                            continue
                        r, col = c["row"], c["column"]
                        if r > limit:
                            raise InputError(
                                f"ô có nội dung ở dòng {r}, quá xa so với mẫu (mẫu có khoảng "
                                f"{limit - ROW_MARGIN} dòng, chương trình đọc đến dòng {limit}); "
                                "hãy xóa ô này hoặc chép số liệu sang mẫu mới",
                                file=self.file, sheet=name, cell=f"{get_column_letter(col)}{r}")
                        if col > MAX_COLUMN:
                            continue
                        fmt = "General"
                        if c["data_type"] in ("n", "f"):  # a formula's value shows in its format
                            fmt = ReadOnlyCell(ws, r, col, value, "n", c["style_id"]).number_format
                        cells[(r, col)] = (value, c["data_type"], fmt)
                        last = max(last, r)
        return _Sheet(self, name, cells, last)


# ------------------------------------------------------------------------ the form's parts

def _is_percent_format(fmt: str | None) -> bool:
    """True when a number format shows its number as a percent (``0.0%``, ``0.00%``): the %
    outside quoted text, escapes and [bracketed] colours or conditions."""
    if not fmt or "%" not in fmt:
        return False
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)
    return "%" in bare


def _percent_value(raw: Any) -> Any:
    """A number stored under a percent format (0.749) as the clerk sees it (74.9).

    Scaled in decimal, not in binary, so that 0.749 gives 74.9 and not 74.89999999999999; the
    binary noise of a computed cell is rounded away at ten decimals.
    """
    scaled = Decimal(repr(float(raw))) * 100
    if scaled.as_tuple().exponent < -10:
        scaled = scaled.quantize(Decimal("1e-10"))
    scaled = scaled.normalize()
    return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)


class _WorkbookReader:
    """The parts of the form, read from a :class:`_Book`."""

    def __init__(self, book: _Book):
        self.book = book
        self.cat = book.cat
        self.notes = book.notes
        self.file = book.file

    def error(self, message: str, sheet: str | None = None) -> InputError:
        return self.book.error(message, sheet)

    def meta(self) -> dict[str, str]:
        if not self.book.has(L.SHEET_META):
            raise self.error("không phải sổ tính mẫu của cchc (thiếu trang _meta); hãy tạo mẫu "
                             "bằng `cchc template`")
        sh = self.book.sheet(L.SHEET_META)
        meta = {}
        for row in range(1, sh.max_row + 1):
            key = sh.text(row, 1)
            if key:
                meta[key] = sh.text(row, 2)
        if meta.get("format") != L.FORMAT_ID:
            raise self.error("không phải sổ tính mẫu của cchc (trang _meta không đúng)")
        if self.book.cat_by_period:
            self.cat = self.book.cat = catalogue_as_typed(meta.get("period", ""))
        if meta.get("catalogue_version") != self.cat.version:
            raise self.error(
                f"mẫu biểu lập theo danh mục chỉ tiêu phiên bản {meta.get('catalogue_version')!r}, "
                f"chương trình đang dùng phiên bản {self.cat.version!r}; hãy tải mẫu mới bằng "
                "`cchc template` và chép số liệu sang")
        if meta.get("template_version") not in L.READABLE_VERSIONS:
            raise self.error(f"mẫu biểu phiên bản {meta.get('template_version')!r} không còn được "
                             f"hỗ trợ (đọc được các phiên bản {', '.join(L.READABLE_VERSIONS)}); "
                             "hãy tải mẫu mới bằng `cchc template` và chép số liệu sang")
        return meta

    def header(self, version: str) -> tuple[dict[str, str], tuple[str, ...], dict[str, int],
                                            list[str]]:
        """The header's fields by key (column A), wherever their rows are; the fields a
        version 1 template did not have read as empty.  Also each key's row, and the labels
        of the expected fields left empty."""
        sh = self.book.sheet(L.SHEET_HEADER)
        labels = {key: label for key, label, _ in L.HEADER_FIELDS}
        found: dict[str, str] = {}
        rows: dict[str, int] = {}
        for row in range(L.HEADER_FIRST_ROW, sh.max_row + 1):
            key = sh.text(row, 1)
            if not key:
                if sh.text(row, 3):  # a group's heading has its text in B; C is a value
                    raise sh.error("dòng không có trong mẫu (dòng thêm vào?) nhưng có nội dung ở "
                                   "cột Giá trị; hãy ghi nội dung vào dòng của mục tương ứng",
                                   cell=sh.coord(row, 3))
                continue
            if key not in labels:
                raise sh.error(f"dòng {row} có khóa {key[:40]!r} không có trong mẫu; bố cục mẫu "
                               "đã bị thay đổi", cell=sh.coord(row, 1))
            if key in found:
                raise sh.error(f"mục {labels[key]!r} xuất hiện hai lần", cell=sh.coord(row, 1))
            found[key] = sh.text(row, 3)
            rows[key] = row
        optional = L.HEADER_FIELDS_SINCE_2 if version == "1" else frozenset()
        missing = [k for k in labels if k not in found and k not in optional]
        if missing:
            raise sh.error(f"thiếu mục {labels[missing[0]]!r}; bố cục mẫu đã bị thay đổi")
        for key in optional:
            found.setdefault(key, "")
        empty = [re.sub(r"\s*\(.*$", "", labels[k]) for k in _EXPECTED_HEADER if not found.get(k)]
        recipients = tuple(found.pop(f"recipient.{n}") for n in range(1, L.MAX_RECIPIENTS + 1))
        return found, tuple(r for r in recipients if r), rows, empty

    def values(self, sheet: str, rows: list[Indicator], with_as_of: bool) -> dict[str, Value]:
        sh = self.book.sheet(sheet)
        columns = L.IND_COLUMNS if with_as_of else L.IND_COLUMNS[:-1]
        for col, name in enumerate(columns, start=1):
            got = sh.text(L.IND_HEADER_ROW, col)
            if got != name:
                raise sh.error(f"thiếu cột {name!r} (tiêu đề cột đang là {got[:40]!r})",
                               cell=sh.coord(L.IND_HEADER_ROW, col))
        expected = {i.code: i for i in rows}
        seen: set[str] = set()
        values: dict[str, Value] = {}
        for row in range(L.IND_FIRST_ROW, sh.max_row + 1):
            code = sh.text(row, L.COL_CODE)
            if not code:
                if any(sh.raw(row, c) not in (None, "") for c in range(L.COL_TOTAL, L.COL_NOTE)):
                    raise sh.error("dòng có số liệu nhưng không có mã chỉ tiêu ở cột A (cột ẩn): "
                                   "dòng được thêm vào mẫu? Hãy ghi số liệu vào dòng của chỉ tiêu "
                                   "có sẵn", row=row)
                continue
            if code not in expected:
                raise sh.error(f"mã chỉ tiêu {code[:40]!r} không có trong danh mục phiên bản "
                               f"{self.cat.version} (trang này)", cell=sh.coord(row, L.COL_CODE))
            if code in seen:
                raise sh.error(f"mã chỉ tiêu {code!r} xuất hiện hai lần",
                               cell=sh.coord(row, L.COL_CODE))
            seen.add(code)
            ind = expected[code]
            if not ind.is_group:
                value = self._value(sh, row, ind, with_as_of)
                if value is not None:
                    values[code] = value
        missing = [c for c in expected if c not in seen]
        if missing:
            raise sh.error(f"thiếu dòng chỉ tiêu {_list(missing, 5)}; bố cục mẫu đã bị thay đổi")
        return values

    def _number(self, sh: _Sheet, row: int, col: int, ind: Indicator, column: str):
        coord = sh.coord(row, col)
        raw = sh.raw(row, col)
        try:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) \
                    and _is_percent_format(sh.number_format(row, col)):
                reading = self._percent_cell(raw, ind, column)
            else:
                reading = read_figure(raw, ind, column)
        except NumberFormatError as exc:
            raise sh.error(f"{exc.message} (chỉ tiêu {ind.code} {ind.title[:50]!r})",
                           cell=coord) from None
        if reading.note:
            self.notes.append(f"{sh.name}!{coord}: {reading.note}")
        return reading.value

    @staticmethod
    def _percent_cell(raw: float, ind: Indicator, column: str) -> Reading:
        """A number in a percent-formatted cell: typed ``74,9%``, stored 0.749, read 74.9."""
        if not (column == "rate" or ind.kind == "percent"):
            raise NumberFormatError("ô được định dạng phần trăm (hiện "
                                    f"{_percent_value(raw) if abs(raw) < 1e13 else raw}%), chỉ "
                                    "tiêu này cần một số không có dấu %; hãy định dạng ô là Số "
                                    "rồi nhập lại", repr(raw))
        if not abs(raw) < 1e13:  # let parse_number refuse NaN, infinities, huge numbers
            return read_figure(raw, ind, column)
        return read_figure(_percent_value(raw), ind, column)

    def _value(self, sh: _Sheet, row: int, ind: Indicator, with_as_of: bool) -> Value | None:
        total = self._number(sh, row, L.COL_TOTAL, ind, "total")
        done = self._number(sh, row, L.COL_DONE, ind, "done")
        rate = None if ind.kind == "enum" else self._number(sh, row, L.COL_RATE, ind, "rate")
        note = sh.text(row, L.COL_NOTE)
        as_of = sh.text(row, L.COL_ASOF) if with_as_of else ""
        if total is None and done is None and rate is None and not note and not as_of:
            return None
        return Value(code=ind.code, total=total, done=done, rate=rate, note=note,
                     as_of=as_of or None)

    def documents(self) -> tuple[Document, ...]:
        sh = self.book.sheet(L.SHEET_DOCUMENTS)
        for col, name in enumerate(L.DOC_COLUMNS, start=1):
            if sh.text(L.DOC_HEADER_ROW, col) != name:
                raise sh.error(f"thiếu cột {name!r}", cell=sh.coord(L.DOC_HEADER_ROW, col))
        docs = []
        for row in range(L.DOC_FIRST_ROW, sh.max_row + 1):
            cells = [sh.text(row, col) for col in range(1, len(L.DOC_COLUMNS) + 1)]
            if not any(cells):
                continue
            type_word, number, symbol, day, summary, section, issued = cells
            if not type_word:
                raise sh.error("văn bản thiếu loại (Kế hoạch, Quyết định, …)", cell=f"A{row}")
            if not symbol:
                raise sh.error("văn bản thiếu ký hiệu (ví dụ KH-UBND)", cell=f"C{row}")
            if issued not in ("", L.YES, L.NO):
                raise sh.error(f'cột "Do đơn vị ban hành" cần "{L.YES}" hoặc "{L.NO}", gặp '
                               f"{issued[:40]!r}", cell=f"G{row}")
            docs.append(Document(type_word=type_word, number=number, symbol=symbol,
                                 date=day or None, summary=summary, section=section,
                                 issued_by_unit=issued != L.NO))
        return tuple(docs)

    def sections(self) -> dict[str, tuple[str, ...]]:
        """Paragraphs by section key: the rows of a key in order, each cell's lines.

        A row the clerk inserted has no key in the hidden column A: its text belongs to the
        section whose rows are above it (where it shows under that section's heading), unless
        that is a heading over sub-sections, which takes no text, or the row names a heading
        of its own: then it is refused, naming the row.
        """
        sh = self.book.sheet(L.SHEET_TEXT)
        sections = report_sections()
        keys = {s.key for s in sections}
        headings_only = {s.key for s in sections
                         if s.level == 1 and any(k.startswith(s.key + ".") for k in keys)}
        out: dict[str, list[str]] = {}
        current = None
        for row in range(L.TEXT_FIRST_ROW, sh.max_row + 1):
            key, heading, text = sh.text(row, 1), sh.text(row, 2), sh.text(row, 3)
            if key:
                current = key
            elif heading:
                raise sh.error(f"dòng thêm vào có tiêu đề {heading[:60]!r} ở cột Mục nhưng mẫu "
                               "không có mục này; hãy viết nội dung vào ô Nội dung của một mục "
                               "có sẵn (thêm đoạn trong một ô bằng Alt+Enter)",
                               cell=sh.coord(row, 2))
            elif text:
                if current is None or current in headings_only:
                    where = "ngay dưới tiêu đề bảng" if current is None else (
                        f"ngay dưới tiêu đề mục {current}, là mục chỉ có các mục con")
                    raise sh.error(f"dòng thêm vào {where}, không rõ nội dung thuộc mục nào; hãy "
                                   "chuyển nội dung vào ô Nội dung của mục con bên dưới",
                                   cell=sh.coord(row, 3))
                self.notes.append(f"{sh.name}!{sh.coord(row, 3)}: dòng thêm vào mẫu, đọc là "
                                  f"nội dung của mục {current}")
            if current is not None and text:
                paragraphs = (p.strip() for p in text.replace("\r\n", "\n").split("\n"))
                out.setdefault(current, []).extend(p for p in paragraphs if p)
        return {k: tuple(v) for k, v in out.items() if v}

    def provenance(self) -> tuple[dict, dict, dict]:
        names: dict[str, str] = {}
        labels: dict[str, str] = {}
        figure_text: dict[str, list[str]] = {}
        if not self.book.has(L.SHEET_SOURCE):
            return names, labels, {}
        sh = self.book.sheet(L.SHEET_SOURCE)
        for row in range(2, sh.max_row + 1):
            kind, key, text = (sh.text(row, col) for col in (1, 2, 3))
            if kind == "unit_name":
                names[key] = text
            elif kind == "period_label":
                labels[key] = text
            elif kind == "figure_text":
                figure_text.setdefault(key, []).append(text)
        return names, labels, {k: tuple(v) for k, v in figure_text.items()}


def _items(text: str) -> tuple[str, ...]:
    """``Văn hoá – xã hội; Tư pháp – Hộ tịch`` (or one a line) → the items, in order."""
    parts = re.split(r"[;\n]", text.replace("\r\n", "\n"))
    return tuple(p.strip() for p in parts if p.strip())
def _check_identity(file: str, unit_code: str, period: str, expect_unit: str | None,
                    expect_period: str | None, row: int | None = None) -> tuple[str, str]:
    """The unit's code and the period's key, checked; errors name the header sheet (a
    workbook) or the ``row`` (a CSV file)."""
    where = {"sheet": L.SHEET_HEADER} if row is None else {"row": row}
    try:
        p = periods.parse_period(period)
        unit = units.get_unit(unit_code, era=units.era_for(p.last_day))
    except CchcError as exc:
        raise InputError(str(exc), file=file, **where) from None
    if expect_unit is not None and unit.code != str(expect_unit):
        raise InputError(f"sổ tính là của đơn vị {unit.code} ({units.unit_title(unit)}), không "
                         f"phải đơn vị {expect_unit} như đã yêu cầu", file=file, **where)
    if expect_period is not None and p.key != periods.parse_period(expect_period).key:
        raise InputError(f"sổ tính là của kỳ {p.key}, không phải kỳ {expect_period} như đã yêu "
                         "cầu", file=file, **where)
    return unit.code, p.key


def _gaps(sub: Submission, cat: Catalogue, header_empty: list[str]) -> list[str]:
    """Notes naming what a partly filled form leaves empty."""
    notes = []
    for sheet in (L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT):
        rows = [i.code for i in L.indicator_rows(sheet, cat) if not i.is_group]
        empty = [c for c in rows if c not in sub.values]
        if empty:
            notes.append(f"{sheet}: {len(empty)}/{len(rows)} dòng chỉ tiêu chưa có số liệu "
                         f"({_list(empty)})")
    if header_empty:
        notes.append(f"{L.SHEET_HEADER}: chưa điền {_list(header_empty, 12)}")
    if not sub.documents:
        notes.append(f"{L.SHEET_DOCUMENTS}: chưa có văn bản nào")
    keys = [s.key for s in report_sections()]
    empty_sections = [k for k in keys if k not in sub.sections
                      and not any(other.startswith(k + ".") for other in keys)]
    if empty_sections:
        notes.append(f"{L.SHEET_TEXT}: các mục chưa có nội dung: {_list(empty_sections, 20)}")
    return notes


def read_workbook(path: str | Path, *, expect_unit: str | None = None,
                  expect_period: str | None = None, catalogue: Catalogue | None = None,
                  allow_blank: bool = False) -> ReadResult:
    """Read a workbook written by :func:`cchc_lib.workbook.write_workbook` and filled in.

    A form with no figure, no document and no paragraph is refused (``allow_blank`` reads it
    as an empty submission); a partly filled one is read with notes naming what is empty.
    """
    path = Path(path)
    book = _Book(path, catalogue)
    try:
        return _read_book(book, path, expect_unit, expect_period, allow_blank)
    finally:
        book.close()


def _read_book(book: _Book, path: Path, expect_unit: str | None, expect_period: str | None,
               allow_blank: bool) -> ReadResult:
    reader = _WorkbookReader(book)
    meta = reader.meta()
    header, recipients, rows, header_empty = reader.header(meta.get("template_version", ""))
    for key in ("unit_code", "period"):
        if header[key] != meta.get(key):
            raise InputError("mã đơn vị hoặc kỳ báo cáo ở trang này khác với mẫu đã phát hành "
                             f"({meta.get('unit_code')}, {meta.get('period')})",
                             file=reader.file, sheet=L.SHEET_HEADER, cell=f"C{rows[key]}")
    unit_code, period = _check_identity(reader.file, header["unit_code"], header["period"],
                                        expect_unit, expect_period)
    cat = reader.cat
    values = reader.values(L.SHEET_APPENDIX, [i for i in cat if i.section == "appendix"], False)
    values.update(reader.values(
        L.SHEET_SUPPLEMENT, [i for i in cat if i.section == "supplementary" and i.code != "S"],
        True))
    window = (header["data_window_from"], header["data_window_to"])
    if any(window) and not all(window):
        raise InputError("cần điền cả hai ngày của khoảng thời gian lấy số liệu (từ ngày, đến "
                         "ngày)", file=reader.file, sheet=L.SHEET_HEADER)
    names, labels, figure_text = reader.provenance()
    sub = Submission(
        unit_code=unit_code,
        period=period,
        header=Header(
            report_number=header["report_number"], report_symbol=header["report_symbol"],
            report_date=header["report_date"] or None, place=header["place"],
            title=header["title"], signer_name=header["signer_name"],
            signer_title=header["signer_title"], signing_authority=header["signing_authority"],
            signing_capacity=header["signing_capacity"], recipients=recipients,
            data_window=window if all(window) else None,
            addressee=header["addressee"], dossier_source=header["dossier_source"],
            estimate_basis=header["estimate_basis"], staff_basis=header["staff_basis"],
            seconded_to=header["seconded_to"],
            **{key: _items(header[key]) for key in L.HEADER_LISTS}),
        values={c: values[c] for c in cat.codes if c in values},
        documents=reader.documents(),
        sections=reader.sections(),
        figure_text=figure_text,
        unit_names=names,
        period_labels=labels,
        source=meta.get("source", "") or f"Sổ tính {path.name}",
        illustrative=meta.get("illustrative") == "1",
    )
    if not (sub.values or sub.documents or sub.sections):
        if not allow_blank:
            raise InputError(
                f"Sổ tính {reader.file} chưa có số liệu nào: các trang {L.SHEET_APPENDIX}, "
                f"{L.SHEET_SUPPLEMENT}, {L.SHEET_DOCUMENTS} và {L.SHEET_TEXT} đều trống (mẫu "
                "chưa điền); hãy điền số liệu vào mẫu rồi nộp lại")
        return ReadResult(sub, tuple(reader.notes), reader.file)
    return ReadResult(sub, (*reader.notes, *_gaps(sub, cat, header_empty)), reader.file)


CSV_COLUMNS = ("unit", "period", "code", "total", "done", "rate", "note", "as_of")


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field limit" in text:
        return (f"có một ô dài quá {csv.field_size_limit() // 1024} kB (thường do thiếu dấu "
                'ngoặc kép " đóng ở một ô trước đó)')
    if "end of data" in text or "EOF" in text:
        return 'có dấu ngoặc kép " mở mà không đóng'
    if "NUL" in text:
        return "tệp chứa ký tự NUL, không phải tệp văn bản CSV"
    if "expected after" in text:
        return 'sau dấu ngoặc kép " đóng phải là dấu phân cách (dấu phẩy hoặc chấm phẩy)'
    return "dòng sai định dạng CSV"


def read_csv(path: str | Path, *, catalogue: Catalogue | None = None) -> list[ReadResult]:
    """Read figures in long form: one row per unit, period and indicator.

    Columns: ``unit, period, code, total, done, rate, note, as_of`` (UTF-8, with
    or without BOM; comma, semicolon or tab separated, fields quoted with ``"``).
    One file may hold many units and periods; each (unit, period) becomes one
    submission.
    """
    path = Path(path)
    file = str(path)
    cat = catalogue or default_catalogue()
    try:
        if not path.is_file():
            raise InputError("không phải một tệp (có thể là thư mục) hoặc không mở được",
                             file=file)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"tệp CSV quá lớn ({size // 1024 // 1024} MB, giới hạn "
                             f"{MAX_FILE_BYTES // 1024 // 1024} MB)", file=file)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("tệp CSV phải lưu dạng UTF-8", file=file) from None
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror or type(exc).__name__})",
                         file=file) from exc
    first = text[:2000].partition("\n")[0]
    try:  # the delimiter only: quoting follows the standard (RFC 4180, as Excel writes it)
        delimiter = csv.Sniffer().sniff(first or ",", delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        head = [h.strip().lower() for h in next(rows, [])]
    except csv.Error as exc:
        raise InputError(_csv_problem(exc), file=file, row=1) from None
    if not head:
        raise InputError("tệp CSV rỗng", file=file)
    missing = [c for c in ("unit", "period", "code") if c not in head]
    if missing:
        raise InputError(f"thiếu cột {', '.join(missing)}; cần các cột "
                         f"{', '.join(CSV_COLUMNS)}", file=file, row=1)
    unknown = [h[:40] for h in head if h not in CSV_COLUMNS]
    if unknown:
        raise InputError(f"cột không được biết: {', '.join(unknown)}; cần các cột "
                         f"{', '.join(CSV_COLUMNS)}", file=file, row=1)
    if len(set(head)) != len(head):
        raise InputError("có cột trùng tên ở dòng tiêu đề", file=file, row=1)
    notes: dict[tuple[str, str], list[str]] = {}
    groups: dict[tuple[str, str], dict[str, Value]] = {}
    text_used: dict[tuple[str, str], int] = {}
    n = 1
    while True:
        try:
            cells = next(rows, None)
        except csv.Error as exc:
            raise InputError(_csv_problem(exc), file=file, row=rows.line_num) from None
        if cells is None:
            break
        n = rows.line_num
        if n > MAX_CSV_ROWS:
            raise InputError(f"tệp CSV có hơn {MAX_CSV_ROWS} dòng; hãy chia thành nhiều tệp",
                             file=file, row=n)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(head):
            raise InputError(f"dòng có {len(cells)} cột, cần {len(head)}", file=file, row=n)
        rec = {h: c.strip() for h, c in zip(head, cells)}
        for col in ("note", "as_of"):
            if len(rec.get(col, "")) > (MAX_TEXT if col == "note" else 64):
                raise InputError(f"cột {col} dài {len(rec[col])} ký tự, quá giới hạn "
                                 f"{MAX_TEXT if col == 'note' else 64}", file=file, row=n)
            if _CONTROL.search(rec.get(col, "")):
                rec[col] = _CONTROL.sub("", rec[col])
        unit_code, period = _check_identity(file, rec["unit"][:40], rec["period"][:40], None,
                                            None, row=n)
        code = rec["code"]
        if code not in cat or cat[code].is_group:
            raise InputError(f"mã chỉ tiêu {code[:40]!r} không có trong danh mục phiên bản "
                             f"{cat.version} (hoặc là dòng tiêu đề)", file=file, row=n)
        ind = cat[code]
        parsed = {}
        for col in ("total", "done", "rate"):
            try:
                reading = read_figure(rec.get(col, ""), ind, col)
            except NumberFormatError as exc:
                raise InputError(f"cột {col}: {exc.message} (chỉ tiêu {code})", file=file,
                                 row=n) from None
            if reading.note:
                notes.setdefault((unit_code, period), []).append(f"dòng {n}, {col}: {reading.note}")
            parsed[col] = reading.value
        key = (unit_code, period)
        text_used[key] = text_used.get(key, 0) + len(rec.get("note", ""))
        if text_used[key] > MAX_SUBMISSION_TEXT:
            raise InputError(f"ghi chú của {unit_code}/{period} dài hơn {MAX_SUBMISSION_TEXT} "
                             "ký tự cộng lại", file=file, row=n)
        group = groups.setdefault(key, {})
        if code in group:
            raise InputError(f"chỉ tiêu {code} của {unit_code}/{period} xuất hiện hai lần",
                             file=file, row=n)
        group[code] = Value(code=code, total=parsed["total"], done=parsed["done"],
                            rate=parsed["rate"], note=rec.get("note", ""),
                            as_of=rec.get("as_of") or None)
    if not groups:
        raise InputError("tệp CSV chưa có số liệu nào (chỉ có dòng tiêu đề)", file=file)
    return [ReadResult(Submission(unit_code=u, period=p,
                                  values={c: vals[c] for c in cat.codes if c in vals},
                                  source=f"Tệp CSV {path.name}"),
                       tuple(notes.get((u, p), ())), file)
            for (u, p), vals in groups.items()]


def read_file(path: str | Path, **kwargs) -> list[ReadResult]:
    """Read a workbook (.xlsx), a long-form CSV (.csv) or a YAML submission (.yaml/.yml)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, catalogue=kwargs.get("catalogue"))
    if suffix in (".yaml", ".yml"):
        from cchc_lib.serialize import load_yaml

        return [ReadResult(load_yaml(path, catalogue=kwargs.get("catalogue")), (), str(path))]
    if suffix in (".xlsx", ".xlsm"):
        return [read_workbook(path, **kwargs)]
    raise InputError("chỉ đọc được sổ tính .xlsx, tệp .csv hoặc .yaml", file=str(path))
