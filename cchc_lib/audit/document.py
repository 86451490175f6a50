"""A hand-written report read as text: blocks (paragraphs, lines, table rows) with their places.

``read_document`` reads ``.docx`` (paragraphs and tables, through python-docx),
``.txt`` / ``.md`` (lines) and ``.pdf`` (the text layer, through pypdf).  Each
block keeps where it stands (``đoạn 12``, ``bảng 2, dòng 5``, ``dòng 40``,
``trang 3, dòng 7``) so that a finding can point to it.  Table rows keep their
cells, which is how the appendix is read.

Whatever a file holds, reading it gives blocks or raises :class:`InputError`
naming the file, saying what is wrong and what to do (most often: open it in
Word or LibreOffice, save it again and retry); never a library's exception.  A
package that does not unzip, broken XML, an unsupported PDF compression, a
password, a file past the limits (:data:`MAX_BYTES`, :data:`MAX_UNZIPPED`,
:data:`MAX_XML`, :data:`MAX_PAGES`, :data:`MAX_CHARS`) is refused this way.  A file that is
valid but unusual is read: an XML comment or processing instruction inside a
Word paragraph, text in a content control.
"""

from __future__ import annotations

import logging
import re
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from cchc_lib.errors import InputError

__all__ = ["Block", "read_document", "read_text", "MAX_BYTES", "MAX_CHARS", "MAX_UNZIPPED",
           "MAX_XML", "MAX_PAGES"]

#: Largest file read.
MAX_BYTES = 50 * 1024 * 1024
#: Most characters of text a document may hold (a 100-page report has some 300.000).
MAX_CHARS = 2_000_000
#: Largest size of a .docx's parts once unzipped, all together (a zip bomb stops here) …
MAX_UNZIPPED = 100 * 1024 * 1024
#: … and of one of its XML parts, which is parsed whole (a 1.000-page report has some 10 MB).
MAX_XML = 20 * 1024 * 1024
#: Most pages of a PDF read.
MAX_PAGES = 1_000
# What a PDF's stream may decode to (pypdf's own limits are 75 MB; a page of text needs far
# less, and extracting text from a huge stream takes minutes).
_PDF_LIMITS = {name: 10 * 1024 * 1024 for name in (
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "array_based_stream_maximum_output_length", "maximum_declared_stream_length")}

_SAVE_AGAIN = "Hãy mở tệp bằng Word hoặc LibreOffice, lưu lại dưới dạng .docx rồi thử lại."
_PDF_AGAIN = ("Hãy mở tệp bằng trình đọc PDF (hoặc Word) và lưu hay in lại thành PDF, hoặc gửi "
              "bản Word, rồi thử lại.")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc, or an Office file with a password


@dataclass(frozen=True)
class Block:
    """One paragraph, line or table row of a document, as written (not normalised)."""

    place: str  # Vietnamese: "đoạn 12", "dòng 40", "bảng 2, dòng 5", "trang 3, dòng 7"
    text: str
    cells: tuple[str, ...] = field(default=())  # for table rows (and tab-separated lines)
    index: int = 0  # reading order

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


def read_text(text: str, *, unit: str = "dòng", prefix: str = "") -> list[Block]:
    """Blocks from plain text: one per non-empty line; tab-separated lines keep their cells."""
    blocks = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = tuple(c.strip() for c in line.split("\t")) if "\t" in line else ()
        blocks.append(Block(f"{prefix}{unit} {n}", line.strip() if not cells else line, cells,
                            len(blocks)))
    return blocks


# ------------------------------------------------------------------------------- Word

def _docx_error(path: Path, what: str) -> InputError:
    return InputError(f"không đọc được tệp Word .docx: {what}. {_SAVE_AGAIN}", file=str(path))


def _check_package(path: Path) -> None:
    """The .docx unzips: every part whole (its checksum right), not too large once unzipped.

    python-docx reads every part; checking first names the damaged part in the message."""
    import zipfile
    import zlib

    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE:
        raise _docx_error(path, "đây là tệp Word cũ (.doc) mang đuôi .docx, hoặc tệp có đặt mật "
                                "khẩu (bỏ mật khẩu trước khi lưu lại)")
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _docx_error(path, "tệp không phải dạng Word .docx hoặc đã hỏng (có thể tải về "
                                "chưa hết)") from exc
    with package:
        infos = package.infolist()
        unzipped = sum(i.file_size for i in infos)
        if unzipped > MAX_UNZIPPED:
            raise _docx_error(path, f"tệp giải nén ra {unzipped // 2 ** 20} MB, quá giới hạn "
                                    f"{MAX_UNZIPPED // 2 ** 20} MB")
        for info in infos:
            if info.flag_bits & 0x1:
                raise _docx_error(path, f"phần {info.filename} của tệp bị mã hóa")
            if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML:
                raise _docx_error(path, f"phần {info.filename} giải nén ra "
                                        f"{info.file_size // 2 ** 20} MB, quá giới hạn "
                                        f"{MAX_XML // 2 ** 20} MB")
            try:
                with package.open(info) as part:
                    while part.read(1 << 20):
                        pass
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                    NotImplementedError, RuntimeError) as exc:
                raise _docx_error(path, f"phần {info.filename} của tệp bị hỏng, không giải nén "
                                        "được") from exc


def _broken_xml(path: Path) -> str | None:
    """Which XML part of a package that unzips is not well-formed, and where: for the message."""
    import zipfile

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                etree.fromstring(package.read(info), parser)
            except etree.XMLSyntaxError as exc:
                line, column = exc.position if exc.position else (0, 0)
                where = f" (dòng {line}, cột {column})" if line else ""
                return f"phần {info.filename} của tệp có nội dung XML bị hỏng{where}"
    return None


def _why_docx(path: Path, exc: Exception) -> str:
    """What python-docx's exception means for the user."""
    from docx.opc.exceptions import PackageNotFoundError

    if isinstance(exc, PackageNotFoundError):
        return "tệp không phải dạng Word .docx hoặc đã hỏng"
    broken = _broken_xml(path)
    if broken:
        return broken
    if isinstance(exc, KeyError):
        missing = re.search(r"'([^']+)'", str(exc))
        return f"thiếu phần {missing[1] if missing else 'bắt buộc'} của tệp Word"
    if isinstance(exc, ValueError) and "content type" in str(exc):
        return "tệp không phải văn bản Word (có thể là tệp Excel hay PowerPoint mang đuôi .docx)"
    return f"cấu trúc tệp Word bị hỏng ({type(exc).__name__})"


def _local(node) -> str | None:
    """The local name of an element ("p", "tbl"); None for a comment, a processing
    instruction or an entity, which Word allows between elements and which carry no text."""
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def _t_text(node) -> str:
    """The text of a ``w:t``, also when a comment splits it (the rest is the comment's tail)."""
    return (node.text or "") + "".join(child.tail or "" for child in node)


def _para_text(p) -> str:
    return "".join(_t_text(node) for node in p.iter()
                   if isinstance(node.tag, str) and node.tag.endswith("}t"))


def _body_items(parent) -> Iterator:
    """Paragraphs and tables in reading order, also those inside a content control (w:sdt)."""
    for child in parent.iterchildren():
        name = _local(child)
        if name in ("p", "tbl"):
            yield child
        elif name == "sdt":
            for content in child.iterchildren():
                if _local(content) == "sdtContent":
                    yield from _body_items(content)


def _table_rows(tbl, doc) -> list[list[str]]:
    """A table's rows as cell texts: through python-docx (merged cells as Word shows them), or
    cell by cell from the XML when python-docx cannot lay the table out (a vertical merge on
    the first row, a span that is not a number)."""
    from docx.table import Table

    try:
        rows = []
        for row in Table(tbl, doc).rows:
            cells: list[str] = []
            first = row.cells[0]._tc if row.cells else None
            for cell in row.cells:
                text = "\n".join(p.text for p in cell.paragraphs).strip()
                if not cells or cells[-1] != text or cell._tc is not first:
                    cells.append(text)
            rows.append(cells)
        return rows
    except (ValueError, IndexError, KeyError, TypeError, AttributeError):
        return [["\n".join(_para_text(p) for p in tc.iterchildren() if _local(p) == "p").strip()
                 for tc in tr.iterchildren() if _local(tc) == "tc"]
                for tr in tbl.iterchildren() if _local(tr) == "tr"]


def _read_docx(path: Path) -> list[Block]:
    from docx import Document

    _check_package(path)
    try:
        doc = Document(str(path))
        body = doc.element.body
    except Exception as exc:  # python-docx and lxml on a damaged package: many kinds
        raise _docx_error(path, _why_docx(path, exc)) from exc
    if body is None:
        raise _docx_error(path, "tệp không có phần thân văn bản (w:body)")
    blocks: list[Block] = []
    para_n = table_n = 0
    # Walk the body in order so paragraphs and tables keep their reading order.
    for child in _body_items(body):
        if _local(child) == "p":
            para_n += 1
            text = _para_text(child)
            if text.strip():
                blocks.append(Block(f"đoạn {para_n}", text.strip(), (), len(blocks)))
        else:
            table_n += 1
            for r, cells in enumerate(_table_rows(child, doc), start=1):
                if any(cells):
                    blocks.append(Block(f"bảng {table_n}, dòng {r}", "\t".join(cells),
                                        tuple(cells), len(blocks)))
    return blocks


# ------------------------------------------------------------------------------- PDF

def _paragraphs(lines: list[Block]) -> list[Block]:
    """Join a PDF's wrapped lines back into sentences.

    A PDF breaks lines wherever the page is full: "Kế hoạch số 15/QĐ-" on one line and
    "UBND ngày 11/01/2024" on the next.  A line that fills most of the page's width and does
    not end a sentence (. : ; ! ?) joins the next one, unless that one starts a list item
    ("- ", "1.", "a)").  Short lines (the header, titles) stay as they are.  The place is the
    first line's.
    """
    widest = max((len(b.text) for b in lines if not b.cells), default=0)
    out: list[Block] = []
    last_len = 0  # length of the last physical line appended to out[-1]
    for line in lines:
        if out and not out[-1].cells and not line.cells:
            prev = out[-1].text
            wrapped = last_len >= 0.6 * widest
            starts_item = bool(re.match(r"^(?:[-•+]\s|\d+\.\s|[a-zđ]\)\s|[IVX]+\.\s)",
                                        line.text))
            if wrapped and not prev.endswith((".", ":", ";", "!", "?")) and not starts_item:
                glue = "" if prev.endswith(("-", "/")) else " "
                out[-1] = Block(out[-1].place, prev + glue + line.text, (), out[-1].index)
                last_len = len(line.text)
                continue
        out.append(line)
        last_len = len(line.text)
    return out


class _Problems(logging.Handler):
    """Counts what pypdf reports while it mends a damaged file (and keeps it off the screen:
    its English warnings are not for the user)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _quiet_pypdf() -> Iterator[_Problems]:
    """pypdf's warnings counted and kept quiet, its limits lowered (where pypdf has them)."""
    import pypdf

    logger = logging.getLogger("pypdf")
    problems = _Problems()
    saved = logger.propagate
    logger.addHandler(problems)
    logger.propagate = False
    limits = getattr(pypdf, "apply_configuration", None)
    try:
        with warnings.catch_warnings(), (limits(**_PDF_LIMITS) if limits else nullcontext()):
            warnings.simplefilter("ignore")
            yield problems
    finally:
        logger.removeHandler(problems)
        logger.propagate = saved


def _pdf_error(path: Path, exc: Exception, page: int | None = None) -> InputError:
    from pypdf.errors import (DependencyError, EmptyFileError, FileNotDecryptedError,
                              LimitReachedError, WrongPasswordError)

    if isinstance(exc, (FileNotDecryptedError, WrongPasswordError)):
        return InputError("tệp PDF có đặt mật khẩu; hãy bỏ mật khẩu (hoặc in lại thành PDF "
                          "không mật khẩu) rồi thử lại", file=str(path))
    if isinstance(exc, EmptyFileError):
        what = "tệp rỗng"
    elif isinstance(exc, LimitReachedError):
        what = "có phần dữ liệu nén giải ra quá lớn, vượt giới hạn an toàn"
    elif isinstance(exc, (NotImplementedError, DependencyError)):
        what = "nội dung được nén theo kiểu chưa đọc được"
    elif isinstance(exc, RecursionError):
        what = "cấu trúc tệp lồng nhau quá sâu"
    else:
        what = f"tệp bị hỏng hoặc không đúng định dạng PDF ({type(exc).__name__})"
    where = f"trang {page}: " if page else ""
    return InputError(f"không đọc được tệp PDF ({where}{what}). {_PDF_AGAIN}", file=str(path))


def _decrypt(reader, path: Path) -> None:
    """Open a file locked only against editing (it opens with no password)."""
    from pypdf import PasswordType

    try:
        opened = reader.decrypt("")
    except Exception as exc:  # an encryption pypdf cannot undo (a missing dependency, …)
        raise InputError("tệp PDF được mã hóa theo kiểu chưa đọc được; hãy bỏ mật khẩu hoặc in "
                         "lại thành PDF không mã hóa rồi thử lại", file=str(path)) from exc
    if opened == PasswordType.NOT_DECRYPTED:
        raise InputError("tệp PDF có đặt mật khẩu; hãy bỏ mật khẩu (hoặc in lại thành PDF "
                         "không mật khẩu) rồi thử lại", file=str(path))


def _read_pdf(path: Path) -> list[Block]:
    from pypdf import PdfReader

    pages: list[str] = []
    with _quiet_pypdf() as problems:
        try:
            reader = PdfReader(str(path))
            if reader.is_encrypted:
                _decrypt(reader, path)
            count = len(reader.pages)
        except InputError:
            raise
        except Exception as exc:  # pypdf on a damaged file: many kinds
            raise _pdf_error(path, exc) from exc
        if count > MAX_PAGES:
            raise InputError(f"tệp PDF có {_n(count)} trang, quá giới hạn {_n(MAX_PAGES)} trang; "
                             "hãy tách riêng phần báo cáo rồi thử lại", file=str(path))
        chars = 0
        for p in range(count):
            try:
                text = reader.pages[p].extract_text() or ""
            except Exception as exc:  # a page that cannot be read: its stream, font or filter
                raise _pdf_error(path, exc, p + 1) from exc
            chars += len(text)
            if chars > MAX_CHARS:
                raise _too_long(path, chars)
            pages.append(text)
    blocks: list[Block] = []
    for p, text in enumerate(pages, start=1):
        for b in _paragraphs(read_text(text, prefix=f"trang {p}, ")):
            blocks.append(Block(b.place, b.text, b.cells, len(blocks)))
    if not any(b.text.strip() for b in blocks):
        if problems.count:
            raise InputError("không đọc được chữ trong tệp PDF: tệp bị hỏng (phần nội dung các "
                             f"trang không giải mã được). {_PDF_AGAIN}", file=str(path))
        raise InputError("tệp PDF không có lớp chữ (chỉ có ảnh quét, hoặc phần nội dung các trang "
                         "bị hỏng); hãy gửi bản PDF có chữ (lưu hay in từ Word) hoặc bản Word "
                         "rồi thử lại", file=str(path))
    return blocks


# ------------------------------------------------------------------------------- any

def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _too_long(path: Path, chars: int) -> InputError:
    return InputError(f"báo cáo dài quá: hơn {_n(chars)} ký tự, giới hạn {_n(MAX_CHARS)} ký tự; "
                      "hãy tách phụ lục hoặc các phần không phải báo cáo ra tệp khác rồi thử lại",
                      file=str(path))


def read_document(path: str | Path) -> list[Block]:
    """Read a report document into blocks; a clear error for what cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror})", file=str(path)) from exc
    if size > MAX_BYTES:
        raise InputError(f"tệp quá lớn ({size // 1024 // 1024} MB, giới hạn "
                         f"{MAX_BYTES // 1024 // 1024} MB)", file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            blocks = _read_docx(path)
        elif suffix == ".pdf":
            blocks = _read_pdf(path)
        elif suffix in (".txt", ".md", ".text"):
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError("tệp văn bản phải lưu dạng UTF-8; hãy mở tệp và lưu lại với bảng "
                                 "mã UTF-8 rồi thử lại", file=str(path)) from None
            if len(text) > MAX_CHARS:
                raise _too_long(path, len(text))
            blocks = read_text(text)
        elif suffix == ".doc":
            raise InputError("tệp .doc (Word cũ) chưa đọc được; hãy lưu lại dưới dạng .docx",
                             file=str(path))
        else:
            raise InputError("chỉ đọc được báo cáo .docx, .pdf, .txt hoặc .md", file=str(path))
    except OSError as exc:  # a folder, a file that vanished or may not be read
        raise InputError(f"không mở được tệp ({exc.strerror or type(exc).__name__})",
                         file=str(path)) from exc
    chars = sum(len(b.text) for b in blocks)
    if chars > MAX_CHARS:
        raise _too_long(path, chars)
    return blocks
