"""Read a filled workbook (or a long-form CSV) into a Submission.

Forgiving about formats — ``3.253.588.460``, ``74,9``, ``96.33``, ``04``, a
trailing ``%``, numbers stored as text — and strict about mistakes: anything it
cannot read raises :class:`~cchc_lib.errors.InputError` naming the file, the
sheet and the cell, in Vietnamese.  Where it had to choose between two readings
of a value it says so in :attr:`ReadResult.notes`.

It never evaluates a formula: a formula cell is read through the value Excel
stored when the file was last saved, and refused when there is none.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from cchc_lib import periods, units
from cchc_lib import workbook as L  # the layout the writer uses
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import CchcError, InputError
from cchc_lib.model import Document, Header, Indicator, Submission, Value
from cchc_lib.numparse import NumberFormatError, Reading, parse_number

__all__ = ["ReadResult", "read_workbook", "read_csv", "read_file", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled workbook is ~100 kB; refuse anything huge
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # guard against zip bombs
MAX_TEXT = 20_000  # characters in one free-text cell


@dataclass(frozen=True)
class ReadResult:
    """A submission read from a file, with the notes on ambiguous readings."""

    submission: Submission
    notes: tuple[str, ...] = field(default=())
    file: str = ""


class _Sheet:
    """A worksheet with its name and file, for cell-precise errors; formulas read via cache."""

    def __init__(self, reader: "_WorkbookReader", name: str):
        self.reader = reader
        self.name = name
        try:
            self.ws = reader.wb[name]
        except KeyError:
            raise reader.error(f'thiếu trang "{name}"; hãy dùng mẫu do `cchc template` tạo ra',
                               sheet=None) from None

    def error(self, message: str, cell: str | None = None, row: int | None = None) -> InputError:
        return InputError(message, file=self.reader.file, sheet=self.name, cell=cell, row=row)

    def raw(self, row: int, col: int) -> Any:
        value = self.ws.cell(row=row, column=col).value
        if isinstance(value, str) and value.startswith("="):
            cached = self.reader.cached(self.name, row, col)
            coord = self.ws.cell(row=row, column=col).coordinate
            if cached is None:
                raise self.error(f"ô chứa công thức {value[:40]!r} chưa có giá trị tính sẵn; "
                                 "hãy nhập số trực tiếp", cell=coord)
            self.reader.notes.append(f"{self.name}!{coord}: dùng giá trị Excel đã tính sẵn "
                                     f"của công thức {value[:40]!r}")
            return cached
        return value

    def text(self, row: int, col: int) -> str:
        value = self.raw(row, col)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            coord = self.ws.cell(row=row, column=col).coordinate
            raise self.error(f"nội dung dài quá {MAX_TEXT} ký tự", cell=coord)
        return text

    def coord(self, row: int, col: int) -> str:
        return self.ws.cell(row=row, column=col).coordinate


class _WorkbookReader:
    def __init__(self, path: Path, catalogue: Catalogue):
        self.path = path
        self.file = str(path)
        self.cat = catalogue
        self.notes: list[str] = []
        self._cached_wb = None
        self.wb = self._open()

    def error(self, message: str, sheet: str | None = None) -> InputError:
        return InputError(message, file=self.file, sheet=sheet)

    def _open(self):
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise self.error(f"không mở được tệp ({exc.strerror})") from exc
        if size > MAX_FILE_BYTES:
            raise self.error(f"tệp quá lớn ({size // 1024 // 1024} MB); sổ tính báo cáo chỉ "
                             f"khoảng vài trăm kB, giới hạn {MAX_FILE_BYTES // 1024 // 1024} MB")
        not_workbook = "tệp không phải sổ tính Excel .xlsx (hãy lưu lại dưới dạng .xlsx)"
        try:
            with zipfile.ZipFile(self.path) as zf:
                unzipped = sum(info.file_size for info in zf.infolist())
                if unzipped > MAX_UNZIPPED_BYTES:
                    raise self.error("tệp nén bên trong quá lớn, có thể bị hỏng hoặc độc hại")
                if "xl/workbook.xml" not in zf.namelist():
                    raise self.error(not_workbook)
        except zipfile.BadZipFile as exc:
            raise self.error(not_workbook) from exc
        try:
            return load_workbook(self.path, data_only=False)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
                OSError) as exc:
            raise self.error(f"{not_workbook}; tệp bị hỏng ({type(exc).__name__})") from exc
        except Exception as exc:  # malformed XML inside the zip, and the like
            raise self.error(f"tệp .xlsx bị hỏng, không đọc được ({type(exc).__name__})") from exc

    def cached(self, sheet: str, row: int, col: int) -> Any:
        """The value Excel stored for a formula cell (None when the file has none)."""
        if self._cached_wb is None:
            self._cached_wb = load_workbook(self.path, data_only=True)
        return self._cached_wb[sheet].cell(row=row, column=col).value

    # -- sheets -----------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        if L.SHEET_META not in self.wb.sheetnames:
            raise self.error("không phải sổ tính mẫu của cchc (thiếu trang _meta); hãy tạo mẫu "
                             "bằng `cchc template`")
        ws = self.wb[L.SHEET_META]
        meta = {str(r[0]): "" if r[1] is None else str(r[1])
                for r in ws.iter_rows(values_only=True, max_col=2) if r[0] is not None}
        if meta.get("format") != L.FORMAT_ID:
            raise self.error("không phải sổ tính mẫu của cchc (trang _meta không đúng)")
        if meta.get("catalogue_version") != self.cat.version:
            raise self.error(
                f"mẫu biểu lập theo danh mục chỉ tiêu phiên bản {meta.get('catalogue_version')!r}, "
                f"chương trình đang dùng phiên bản {self.cat.version!r}; hãy tải mẫu mới bằng "
                "`cchc template` và chép số liệu sang")
        if meta.get("template_version") != L.TEMPLATE_VERSION:
            raise self.error(f"mẫu biểu phiên bản {meta.get('template_version')!r} không còn được "
                             f"hỗ trợ (cần phiên bản {L.TEMPLATE_VERSION})")
        return meta

    def header(self) -> tuple[dict[str, str], tuple[str, ...]]:
        sh = _Sheet(self, L.SHEET_HEADER)
        found: dict[str, str] = {}
        for offset, (key, label, _) in enumerate(L.HEADER_FIELDS):
            row = L.HEADER_FIRST_ROW + offset
            if sh.raw(row, 1) != key:
                raise sh.error(f"dòng {row} phải là mục {label!r} (khóa {key}); bố cục mẫu đã "
                               "bị thay đổi", cell=sh.coord(row, 1))
            found[key] = sh.text(row, 3)
        recipients = tuple(found.pop(f"recipient.{n}") for n in range(1, L.MAX_RECIPIENTS + 1))
        return found, tuple(r for r in recipients if r)

    def values(self, sheet: str, rows: list[Indicator], with_as_of: bool) -> dict[str, Value]:
        sh = _Sheet(self, sheet)
        columns = L.IND_COLUMNS if with_as_of else L.IND_COLUMNS[:-1]
        for col, name in enumerate(columns, start=1):
            got = sh.text(L.IND_HEADER_ROW, col)
            if got != name:
                raise sh.error(f"thiếu cột {name!r} (tiêu đề cột đang là {got!r})",
                               cell=sh.coord(L.IND_HEADER_ROW, col))
        expected = {i.code: i for i in rows}
        seen: set[str] = set()
        values: dict[str, Value] = {}
        row = L.IND_FIRST_ROW
        last = sh.ws.max_row
        while row <= last:
            code = sh.text(row, L.COL_CODE)
            if not code:
                if any(sh.raw(row, c) not in (None, "") for c in range(L.COL_TOTAL, L.COL_NOTE)):
                    raise sh.error("dòng có số liệu nhưng không có mã chỉ tiêu (cột A ẩn)",
                                   row=row)
                row += 1
                continue
            if code not in expected:
                raise sh.error(f"mã chỉ tiêu {code!r} không có trong danh mục phiên bản "
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
            row += 1
        missing = [c for c in expected if c not in seen]
        if missing:
            raise sh.error(f"thiếu dòng chỉ tiêu {', '.join(missing[:5])}"
                           f"{' …' if len(missing) > 5 else ''}; bố cục mẫu đã bị thay đổi")
        return values

    def _number(self, sh: _Sheet, row: int, col: int, ind: Indicator, column: str):
        coord = sh.coord(row, col)
        try:
            reading = read_figure(sh.raw(row, col), ind, column)
        except NumberFormatError as exc:
            raise sh.error(f"{exc.message} (chỉ tiêu {ind.code} {ind.title[:50]!r})",
                           cell=coord) from None
        if reading.note:
            self.notes.append(f"{sh.name}!{coord}: {reading.note}")
        return reading.value

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
        sh = _Sheet(self, L.SHEET_DOCUMENTS)
        for col, name in enumerate(L.DOC_COLUMNS, start=1):
            if sh.text(L.DOC_HEADER_ROW, col) != name:
                raise sh.error(f"thiếu cột {name!r}", cell=sh.coord(L.DOC_HEADER_ROW, col))
        docs = []
        for row in range(L.DOC_FIRST_ROW, sh.ws.max_row + 1):
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
                               f"{issued!r}", cell=f"G{row}")
            docs.append(Document(type_word=type_word, number=number, symbol=symbol,
                                 date=day or None, summary=summary, section=section,
                                 issued_by_unit=issued != L.NO))
        return tuple(docs)

    def sections(self) -> dict[str, tuple[str, ...]]:
        sh = _Sheet(self, L.SHEET_TEXT)
        out = {}
        for row in range(L.TEXT_FIRST_ROW, sh.ws.max_row + 1):
            key = sh.text(row, 1)
            text = sh.text(row, 3)
            if key and text:
                paragraphs = tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n"))
                out[key] = tuple(p for p in paragraphs if p)
        return out

    def provenance(self) -> tuple[dict, dict, dict]:
        names: dict[str, str] = {}
        labels: dict[str, str] = {}
        figure_text: dict[str, list[str]] = {}
        if L.SHEET_SOURCE not in self.wb.sheetnames:
            return names, labels, {}
        for kind, key, text in self.wb[L.SHEET_SOURCE].iter_rows(min_row=2, max_col=3,
                                                                 values_only=True):
            if kind == "unit_name":
                names[str(key)] = str(text)
            elif kind == "period_label":
                labels[str(key)] = str(text)
            elif kind == "figure_text":
                figure_text.setdefault(str(key), []).append(str(text))
        return names, labels, {k: tuple(v) for k, v in figure_text.items()}


def read_figure(raw: Any, ind: Indicator, column: str) -> Reading:
    """Read one figure of an indicator: ``column`` is ``total``, ``done`` or ``rate``.

    Chooses the number kind from the indicator, accepts a coded value by its
    drop-down text or label, and refuses a code outside the indicator's coding.
    """
    if column == "rate":
        return _parse(raw, "rate")
    if ind.kind == "enum" and isinstance(raw, str):
        raw = _enum_text(raw, ind)
    kind = ind.kind if ind.kind in ("enum", "amount", "percent", "decimal") else "count"
    reading = _parse(raw, kind)
    if ind.kind == "enum" and reading.value is not None and reading.value not in ind.coding:
        allowed = ", ".join(f"{v} = {label}" for v, label in ind.coding.items())
        raise NumberFormatError(f"giá trị {reading.value} nằm ngoài bảng mã của chỉ tiêu "
                                f"{ind.code} ({allowed})", str(raw))
    return reading


def _parse(raw: Any, kind: str) -> Reading:
    """Parse a cell; a count with a fraction (``21,5``) is read, not refused.

    A fractional count is a mistake in the figures, not in the file: the
    reader keeps it (with a note) so that the checks report it in context.
    A negative count, or text, is still refused here.
    """
    try:
        return parse_number(raw, kind=kind)
    except NumberFormatError:
        if kind != "count":
            raise
        try:
            reading = parse_number(raw, kind="decimal")
        except NumberFormatError:
            reading = None
        if reading is None or reading.value is None or reading.value < 0 \
                or float(reading.value).is_integer():
            raise
        return Reading(reading.value, "số đếm có phần lẻ; phần kiểm tra số liệu sẽ báo lỗi này")


def _enum_text(raw: str, ind: Indicator) -> Any:
    """``2 - Hoàn thành`` (the drop-down) or ``Hoàn thành`` (the label) → 2; else as typed."""
    text = raw.strip()
    # "2 - Hoàn thành" (the drop-down) or "2 (Hoàn thành)" (as the report prints it)
    head = re.split(r"\s+-\s+|\s*\(", text, maxsplit=1)[0].strip()
    if head.isdigit():
        return head
    for value, label in ind.coding.items():
        if text.casefold() == label.casefold():
            return value
    return raw


def _check_identity(file: str, unit_code: str, period: str, expect_unit: str | None,
                    expect_period: str | None) -> tuple[str, str]:
    try:
        p = periods.parse_period(period)
    except CchcError as exc:
        raise InputError(str(exc), file=file, sheet=L.SHEET_HEADER) from None
    try:
        unit = units.get_unit(unit_code, era=units.era_for(p.last_day))
    except CchcError as exc:
        raise InputError(str(exc), file=file, sheet=L.SHEET_HEADER) from None
    if expect_unit is not None and unit.code != str(expect_unit):
        raise InputError(f"sổ tính là của đơn vị {unit.code} ({units.unit_title(unit)}), không "
                         f"phải đơn vị {expect_unit} như đã yêu cầu", file=file,
                         sheet=L.SHEET_HEADER)
    if expect_period is not None and p.key != periods.parse_period(expect_period).key:
        raise InputError(f"sổ tính là của kỳ {p.key}, không phải kỳ {expect_period} như đã yêu "
                         "cầu", file=file, sheet=L.SHEET_HEADER)
    return unit.code, p.key


def read_workbook(path: str | Path, *, expect_unit: str | None = None,
                  expect_period: str | None = None,
                  catalogue: Catalogue | None = None) -> ReadResult:
    """Read a workbook written by :func:`cchc_lib.workbook.write_workbook` and filled in."""
    path = Path(path)
    reader = _WorkbookReader(path, catalogue or default_catalogue())
    meta = reader.meta()
    header, recipients = reader.header()
    if header["unit_code"] != meta.get("unit_code") or header["period"] != meta.get("period"):
        raise InputError("mã đơn vị hoặc kỳ báo cáo ở trang này khác với mẫu đã phát hành "
                         f"({meta.get('unit_code')}, {meta.get('period')})", file=reader.file,
                         sheet=L.SHEET_HEADER, cell="C3")
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
            data_window=window if all(window) else None),
        values={c: values[c] for c in cat.codes if c in values},
        documents=reader.documents(),
        sections=reader.sections(),
        figure_text=figure_text,
        unit_names=names,
        period_labels=labels,
        source=meta.get("source", "") or f"Sổ tính {path.name}",
        illustrative=meta.get("illustrative") == "1",
    )
    return ReadResult(sub, tuple(reader.notes), reader.file)


CSV_COLUMNS = ("unit", "period", "code", "total", "done", "rate", "note", "as_of")


def read_csv(path: str | Path, *, catalogue: Catalogue | None = None) -> list[ReadResult]:
    """Read figures in long form: one row per unit, period and indicator.

    Columns: ``unit, period, code, total, done, rate, note, as_of`` (UTF-8, with
    or without BOM; comma or semicolon separated).  One file may hold many units
    and periods; each (unit, period) becomes one submission.
    """
    path = Path(path)
    file = str(path)
    cat = catalogue or default_catalogue()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError("tệp CSV quá lớn", file=file)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("tệp CSV phải lưu dạng UTF-8", file=file) from None
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror})", file=file) from exc
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise InputError("tệp CSV rỗng", file=file)
    head = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("unit", "period", "code") if c not in head]
    if missing:
        raise InputError(f"thiếu cột {', '.join(missing)}; cần các cột "
                         f"{', '.join(CSV_COLUMNS)}", file=file, row=1)
    unknown = [h for h in head if h not in CSV_COLUMNS]
    if unknown:
        raise InputError(f"cột không được biết: {', '.join(unknown)}", file=file, row=1)
    notes: dict[tuple[str, str], list[str]] = {}
    groups: dict[tuple[str, str], dict[str, Value]] = {}
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(head):
            raise InputError(f"dòng có {len(cells)} cột, cần {len(head)}", file=file, row=n)
        rec = {h: c.strip() for h, c in zip(head, cells)}
        unit_code, period = _check_identity(file, rec["unit"], rec["period"], None, None)
        code = rec["code"]
        if code not in cat or cat[code].is_group:
            raise InputError(f"mã chỉ tiêu {code!r} không có trong danh mục phiên bản "
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
        group = groups.setdefault((unit_code, period), {})
        if code in group:
            raise InputError(f"chỉ tiêu {code} của {unit_code}/{period} xuất hiện hai lần",
                             file=file, row=n)
        group[code] = Value(code=code, total=parsed["total"], done=parsed["done"],
                            rate=parsed["rate"], note=rec.get("note", ""),
                            as_of=rec.get("as_of") or None)
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
