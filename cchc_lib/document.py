"""A hand-written report read as text: blocks (paragraphs, lines, table rows) with their places.

``read_document`` reads ``.docx`` (paragraphs and tables, through python-docx),
``.txt`` / ``.md`` (lines) and ``.pdf`` (the text layer, through pypdf).  Each
block keeps where it stands (``đoạn 12``, ``bảng 2, dòng 5``, ``dòng 40``,
``trang 3, dòng 7``) so that a finding can point to it.  Table rows keep their
cells, which is how the appendix is read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib.errors import InputError

__all__ = ["Block", "read_document", "read_text", "MAX_BYTES"]

MAX_BYTES = 50 * 1024 * 1024


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


def _read_docx(path: Path) -> list[Block]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(f"không đọc được tệp Word .docx ({type(exc).__name__})",
                         file=str(path)) from exc
    blocks: list[Block] = []
    body = doc.element.body
    para_n = table_n = 0
    # Walk the body in order so paragraphs and tables keep their reading order.
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para_n += 1
            text = "".join(node.text or "" for node in child.iter()
                           if node.tag.endswith("}t"))
            if text.strip():
                blocks.append(Block(f"đoạn {para_n}", text.strip(), (), len(blocks)))
        elif tag == "tbl":
            table_n += 1
            from docx.table import Table

            table = Table(child, doc)
            for r, row in enumerate(table.rows, start=1):
                cells = []
                for cell in row.cells:
                    text = "\n".join(p.text for p in cell.paragraphs).strip()
                    if not cells or cells[-1] != text or cell._tc is not row.cells[0]._tc:
                        cells.append(text)
                if any(cells):
                    blocks.append(Block(f"bảng {table_n}, dòng {r}", "\t".join(cells),
                                        tuple(cells), len(blocks)))
    return blocks


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


def _read_pdf(path: Path) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(f"không đọc được tệp PDF ({type(exc).__name__})", file=str(path)) from exc
    blocks: list[Block] = []
    for p, text in enumerate(pages, start=1):
        for b in _paragraphs(read_text(text, prefix=f"trang {p}, ")):
            blocks.append(Block(b.place, b.text, b.cells, len(blocks)))
    if not any(b.text.strip() for b in blocks):
        raise InputError("tệp PDF không có lớp chữ (chỉ có ảnh quét); cần bản PDF có chữ "
                         "hoặc bản Word", file=str(path))
    return blocks


def read_document(path: str | Path) -> list[Block]:
    """Read a report document into blocks; a clear error for what cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror})", file=str(path)) from exc
    if size > MAX_BYTES:
        raise InputError(f"tệp quá lớn ({size // 1024 // 1024} MB)", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in (".txt", ".md", ".text"):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("tệp văn bản phải lưu dạng UTF-8", file=str(path)) from None
        return read_text(text)
    if suffix == ".doc":
        raise InputError("tệp .doc (Word cũ) chưa đọc được; hãy lưu lại dưới dạng .docx",
                         file=str(path))
    raise InputError("chỉ đọc được báo cáo .docx, .pdf, .txt hoặc .md", file=str(path))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
