"""The indicator catalogue: the rows of PHỤ LỤC SỐ 01 and the supplementary figures.

The catalogue is data (``cchc_lib/data/catalogue.yaml``); this module loads it,
validates it and answers questions about it.  A broken file is refused with a
:class:`~cchc_lib.errors.CatalogueError` that names the row and the problem.

The regime's table may change: each catalogue file says from and to which day it is in force
(``valid_from`` / ``valid_to``), and :func:`catalogue_for` picks the version in force on a
period's last day, so that a new table is a new data file, not a code change.  The shipped
versions are ``data/catalogue.yaml`` and any ``data/catalogue_versions/*.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Mapping

import yaml

from cchc_lib.errors import CatalogueError, PeriodError
from cchc_lib.model import KINDS, RATE_FORMS, Indicator
from cchc_lib import periods as _periods

__all__ = ["Catalogue", "Timing", "TIME_KINDS", "load_catalogue", "default_catalogue",
           "display_stt", "load_versions", "shipped_versions", "catalogue_for", "catalogue_as_typed"]

_FIELDS = {
    "code", "printed", "title", "unit", "kind", "parent", "rate", "rate_of", "coding",
    "part_of", "parts_sum", "same_as", "same_rate_as", "stated_with", "section", "note",
    "time", "stock_flows", "carried_from",
}
_SECTIONS = ("appendix", "supplementary")
# How a figure behaves from one period to the next (see the header of data/catalogue.yaml).
TIME_KINDS = ("stock", "flow", "cumulative", "yearly")
_COLUMNS = ("total", "done")


@dataclass(frozen=True)
class Timing:
    """How one row's figures behave across periods.

    ``columns`` maps a number column (``total``, ``done``) to a kind of :data:`TIME_KINDS`.
    A stock with ``inflow``/``outflow`` follows from them: this period's = the last period's
    + inflow − outflow.  A row ``carried_from`` (received, resolved) equals the last period's
    received − resolved (dossiers carried over).
    """

    columns: Mapping[str, str]
    inflow: str | None = None
    outflow: str | None = None
    carried_from: tuple[str, str] | None = None

    def links(self) -> tuple[str, ...]:
        return tuple(c for c in (self.inflow, self.outflow, *(self.carried_from or ()))
                     if c is not None)


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue: indicators in printed order, by unique code."""

    version: str
    title: str
    source: str
    indicators: tuple[Indicator, ...]
    timing: Mapping[str, Timing] = field(default_factory=dict)  # by code; see :class:`Timing`
    valid_from: date | None = None  # None: in force for every period before valid_to
    valid_to: date | None = None  # None: open-ended

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def __getitem__(self, code: str) -> Indicator:
        try:
            return self._by_code[code]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(f"Không có chỉ tiêu mã {code!r} trong danh mục") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def data_rows(self, section: str | None = None) -> list[Indicator]:
        """Indicators that take figures (not headings), optionally of one section."""
        return [i for i in self.indicators
                if not i.is_group and (section is None or i.section == section)]

    def children(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == code]

    def parts(self, code: str) -> list[Indicator]:
        """Rows whose figure is declared a part of ``code``'s figure."""
        return [i for i in self.indicators if i.part_of == code]

    def time(self, code: str, column: str) -> str | None:
        """How a row's column behaves across periods (``stock``, ``flow``, ``cumulative``,
        ``yearly``), or None when the catalogue does not say."""
        timing = self.timing.get(code)
        return timing.columns.get(column) if timing else None

    def in_force(self, day: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))


_NUMBERED = re.compile(r"[\d.]+")


def display_stt(ind: Indicator) -> str:
    """The Stt to print for a row: the report's, the workbook's and the check sheet's.

    The official form prints 1.1.1–1.1.3 twice (the second group stands under 1.2); a numeric
    printed code that is not the row's own code is printed as the code (``1.2.1.``), so that no
    two rows print the same number.  Other printed texts (``Trong đó``, ``""``) stay as printed.
    A supplementary row, which the form does not have, prints its code (``S.5.3``).
    """
    printed = ind.printed
    if ind.section == "supplementary":
        return printed or ind.code
    if _NUMBERED.fullmatch(printed) and printed.rstrip(".") != ind.code:
        return f"{ind.code}."
    return printed


def _fail(row: int, code: object, message: str) -> CatalogueError:
    return CatalogueError(f"Danh mục chỉ tiêu, dòng {row} (mã {code!r}): {message}")


def _parse_coding(row: int, code: str, raw: object) -> Mapping[int, str]:
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(row, code, "bảng mã (coding) phải là một ánh xạ giá trị -> nhãn, không rỗng")
    coding: dict[int, str] = {}
    labels: set[str] = set()
    for key, label in raw.items():
        if isinstance(key, bool) or not isinstance(key, int) or key < 0:
            raise _fail(row, code, f"giá trị mã {key!r} phải là số nguyên không âm")
        if not isinstance(label, str) or not label.strip():
            raise _fail(row, code, f"nhãn của giá trị {key} phải là chữ, không rỗng")
        if label in labels:
            raise _fail(row, code, f"nhãn {label!r} lặp lại trong bảng mã")
        labels.add(label)
        coding[key] = label
    if sorted(coding) != list(range(len(coding))):
        raise _fail(row, code, f"giá trị mã phải liên tiếp từ 0, gặp {sorted(coding)}")
    return coding


def _parse_indicator(row: int, raw: object) -> Indicator:
    if not isinstance(raw, Mapping):
        raise _fail(row, None, "mỗi chỉ tiêu phải là một ánh xạ khóa -> giá trị")
    code = raw.get("code")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _fail(row, code, f"khóa không được biết: {', '.join(sorted(map(str, unknown)))}")
    for key in ("code", "title", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(row, code, f"thiếu khóa bắt buộc {key!r} (chữ, không rỗng)")
    kind = raw["kind"]
    if kind not in KINDS:
        raise _fail(row, code, f"loại giá trị {kind!r} không hợp lệ; cần một trong {KINDS}")
    rate = raw.get("rate", "none")
    if rate not in RATE_FORMS:
        raise _fail(row, code, f"cách tính tỷ lệ {rate!r} không hợp lệ; cần một trong {RATE_FORMS}")
    if rate == "ratio" and not raw.get("rate_of"):
        raise _fail(row, code, "tỷ lệ kiểu 'ratio' cần khóa 'rate_of'")
    if rate != "ratio" and raw.get("rate_of"):
        raise _fail(row, code, "'rate_of' chỉ dùng với tỷ lệ kiểu 'ratio'")
    if kind in ("group", "enum", "percent") and rate != "none":
        raise _fail(row, code, f"chỉ tiêu loại {kind!r} không có tỷ lệ tính được")
    coding = None
    if kind == "enum":
        coding = _parse_coding(row, code, raw.get("coding"))
    elif raw.get("coding") is not None:
        raise _fail(row, code, "chỉ chỉ tiêu loại 'enum' mới có bảng mã")
    if kind != "group" and not str(raw.get("unit", "")).strip():
        raise _fail(row, code, "chỉ tiêu có số liệu phải có đơn vị tính")
    parts_sum = raw.get("parts_sum")
    if parts_sum not in (None, "eq", "le"):
        raise _fail(row, code, f"parts_sum {parts_sum!r} không hợp lệ; cần 'eq' hoặc 'le'")
    section = raw.get("section", "appendix")
    if section not in _SECTIONS:
        raise _fail(row, code, f"section {section!r} không hợp lệ; cần một trong {_SECTIONS}")
    return Indicator(
        code=code.strip(),
        printed=str(raw.get("printed", "")),
        title=raw["title"].strip(),
        unit=str(raw.get("unit", "")),
        kind=kind,
        parent=raw.get("parent"),
        rate=rate,
        rate_of=raw.get("rate_of"),
        coding=coding,
        part_of=raw.get("part_of"),
        parts_sum=parts_sum,
        same_as=raw.get("same_as"),
        same_rate_as=raw.get("same_rate_as"),
        stated_with=raw.get("stated_with"),
        section=section,
        note=str(raw.get("note", "")),
    )


def _pair(row: int, code: str, raw: object, key: str, names: tuple[str, str]) -> tuple[str, str]:
    if not isinstance(raw, Mapping) or set(raw) != set(names) \
            or not all(isinstance(raw[n], str) and raw[n].strip() for n in names):
        raise _fail(row, code, f"{key} phải là ánh xạ có đúng hai khóa {names[0]!r} và "
                               f"{names[1]!r}, mỗi khóa là mã một chỉ tiêu")
    return raw[names[0]].strip(), raw[names[1]].strip()


def _parse_timing(row: int, raw: Mapping, kind: str) -> Timing | None:
    code = raw.get("code")
    time = raw.get("time")
    if time is None:
        if raw.get("stock_flows") is not None or raw.get("carried_from") is not None:
            raise _fail(row, code, "stock_flows và carried_from cần khai báo time")
        return None
    if kind in ("group", "percent"):
        raise _fail(row, code, f"chỉ tiêu loại {kind!r} không khai báo time")
    if isinstance(time, str):
        columns = {c: time for c in _COLUMNS}
    elif isinstance(time, Mapping) and time and set(time) <= set(_COLUMNS):
        columns = dict(time)
    else:
        raise _fail(row, code, f"time phải là một trong {TIME_KINDS} hoặc ánh xạ cột "
                               f"({', '.join(_COLUMNS)}) -> một trong {TIME_KINDS}")
    for column, value in columns.items():
        if value not in TIME_KINDS:
            raise _fail(row, code, f"time của cột {column} là {value!r}; cần một trong "
                                   f"{TIME_KINDS}")
    inflow = outflow = carried = None
    if raw.get("stock_flows") is not None:
        if columns.get("total") != "stock":
            raise _fail(row, code, "stock_flows chỉ dùng cho chỉ tiêu có số tổng là stock")
        inflow, outflow = _pair(row, code, raw["stock_flows"], "stock_flows", ("in", "out"))
    if raw.get("carried_from") is not None:
        if columns.get("total") != "stock":
            raise _fail(row, code, "carried_from chỉ dùng cho chỉ tiêu có số tổng là stock")
        carried = _pair(row, code, raw["carried_from"], "carried_from", ("received", "resolved"))
    return Timing(columns, inflow, outflow, carried)


def _validate_timing(indicators: list[Indicator], timing: Mapping[str, tuple[int, Timing]]
                     ) -> None:
    by_code = {i.code: i for i in indicators}
    for code, (row, t) in timing.items():
        for link in t.links():
            if link not in by_code or by_code[link].is_group or link == code:
                raise _fail(row, code, f"stock_flows/carried_from trỏ tới mã {link!r} không phải "
                                       "một chỉ tiêu có số khác trong danh mục")
            linked = timing.get(link)
            if linked is None or linked[1].columns.get("total") != "flow":
                raise _fail(row, code, f"chỉ tiêu {link!r} dùng để tính số chuyển kỳ phải có "
                                       "time: flow")


def _validate_links(indicators: list[Indicator]) -> None:
    by_code: dict[str, tuple[int, Indicator]] = {}
    for row, ind in enumerate(indicators, start=1):
        if ind.code in by_code:
            raise _fail(row, ind.code, f"mã trùng với dòng {by_code[ind.code][0]}")
        by_code[ind.code] = (row, ind)
    for row, ind in enumerate(indicators, start=1):
        for link in ("parent", "rate_of", "part_of", "same_as", "same_rate_as", "stated_with"):
            target = getattr(ind, link)
            if target is None:
                continue
            if target not in by_code:
                raise _fail(row, ind.code, f"{link} trỏ tới mã {target!r} không có trong danh mục")
            if target == ind.code:
                raise _fail(row, ind.code, f"{link} không được trỏ về chính nó")
            if link == "parent" and by_code[target][0] > row:
                raise _fail(row, ind.code, f"dòng cha {target!r} phải đứng trước dòng con")
            if link != "parent" and by_code[target][1].is_group:
                raise _fail(row, ind.code, f"{link} trỏ tới {target!r} là dòng tiêu đề, không có số")
        if ind.part_of and by_code[ind.part_of][1].parts_sum is None:
            raise _fail(row, ind.code, f"dòng tổng {ind.part_of!r} cần khai báo parts_sum")
        if ind.parts_sum and not any(i.part_of == ind.code for i in indicators):
            raise _fail(row, ind.code, "khai báo parts_sum nhưng không có dòng nào là phần của nó")
    # A parent chain must not loop (it cannot, since parents precede children).


def parse_catalogue(text: str, origin: str = "catalogue.yaml") -> Catalogue:
    """Parse and validate catalogue YAML text."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: không đọc được YAML ({exc})") from exc
    if not isinstance(doc, Mapping):
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: cần một ánh xạ ở cấp cao nhất")
    version = doc.get("version")
    if not isinstance(version, str) or not version.strip():
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: thiếu phiên bản (version)")
    rows = doc.get("indicators")
    if not isinstance(rows, list) or not rows:
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: thiếu danh sách chỉ tiêu (indicators)")
    indicators = [_parse_indicator(n, raw) for n, raw in enumerate(rows, start=1)]
    _validate_links(indicators)
    timing = {ind.code: (n, t) for n, (ind, raw) in enumerate(zip(indicators, rows), start=1)
              if (t := _parse_timing(n, raw, ind.kind)) is not None}
    _validate_timing(indicators, timing)
    valid_from, valid_to = (_day(doc.get(k), k, origin) for k in ("valid_from", "valid_to"))
    if valid_from and valid_to and valid_to < valid_from:
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: valid_to ({valid_to}) trước "
                             f"valid_from ({valid_from})")
    return Catalogue(version=version, title=str(doc.get("title", "")),
                     source=str(doc.get("source", "")), indicators=tuple(indicators),
                     timing={c: t for c, (_, t) in timing.items()},
                     valid_from=valid_from, valid_to=valid_to)


def _day(raw: object, key: str, origin: str) -> date | None:
    if raw is None or isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise CatalogueError(f"Danh mục chỉ tiêu {origin}: {key} {raw!r} không phải ngày dạng "
                             "YYYY-MM-DD") from None


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue file."""
    path = Path(path)
    return parse_catalogue(path.read_text(encoding="utf-8"), origin=str(path))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (cached)."""
    text = resources.files("cchc_lib").joinpath("data/catalogue.yaml").read_text(encoding="utf-8")
    return parse_catalogue(text, origin="cchc_lib/data/catalogue.yaml")


# ------------------------------------------------------------------------------- versions

def _shown(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _span(cat: Catalogue) -> str:
    start = _shown(cat.valid_from) if cat.valid_from else "…"
    end = _shown(cat.valid_to) if cat.valid_to else "…"
    return f"phiên bản {cat.version!r} ({start} – {end})"


def _check_versions(versions: list[Catalogue]) -> tuple[Catalogue, ...]:
    """Versions in order of validity; an overlap or a gap between two is refused."""
    if not versions:
        raise CatalogueError("Không có phiên bản danh mục chỉ tiêu nào")
    ordered = sorted(versions, key=lambda c: c.valid_from or date.min)
    for a, b in zip(ordered, ordered[1:]):
        if a.version == b.version:
            raise CatalogueError(f"Hai phiên bản danh mục chỉ tiêu cùng tên {a.version!r}")
        if a.valid_to is None or (b.valid_from is not None and b.valid_from <= a.valid_to) \
                or b.valid_from is None:
            raise CatalogueError(f"Danh mục chỉ tiêu {_span(a)} và {_span(b)} có hiệu lực chồng "
                                 "lên nhau; phiên bản trước phải kết thúc (valid_to) trước ngày "
                                 "phiên bản sau bắt đầu (valid_from)")
        if b.valid_from != a.valid_to + timedelta(days=1):
            raise CatalogueError(f"Giữa danh mục chỉ tiêu {_span(a)} và {_span(b)} có khoảng "
                                 f"trống từ {_shown(a.valid_to + timedelta(days=1))} đến "
                                 f"{_shown(b.valid_from - timedelta(days=1))}: kỳ báo cáo nào "
                                 "rơi vào đó sẽ không có danh mục")
    return tuple(ordered)


def load_versions(paths) -> tuple[Catalogue, ...]:
    """Catalogue versions from files (or every ``*.yaml`` of a folder), checked to follow one
    another without overlap or gap."""
    if isinstance(paths, (str, Path)):
        path = Path(paths)
        paths = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return _check_versions([load_catalogue(p) for p in paths])


@cache
def shipped_versions() -> tuple[Catalogue, ...]:
    """Every catalogue version shipped with the package, in order of validity (cached)."""
    folder = resources.files("cchc_lib").joinpath("data/catalogue_versions")
    extra = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")),
                   key=lambda f: f.name) if folder.is_dir() else []
    return _check_versions([default_catalogue()] + [
        parse_catalogue(f.read_text(encoding="utf-8"),
                        origin=f"cchc_lib/data/catalogue_versions/{f.name}") for f in extra])


def catalogue_for(period, versions: tuple[Catalogue, ...] | None = None) -> Catalogue:
    """The catalogue version in force on the last day of ``period`` (a key or a Period)."""
    p = _periods.parse_period(period)
    for cat in versions if versions is not None else shipped_versions():
        if cat.in_force(p.last_day):
            return cat
    raise CatalogueError(f"Không có danh mục chỉ tiêu nào có hiệu lực ngày {_shown(p.last_day)} "
                         f"(ngày cuối {_periods.label(p)})")


def catalogue_as_typed(period: str) -> Catalogue:
    """:func:`catalogue_for` a period key as a user typed it; the shipped table when the key
    does not parse (whoever read it reports the bad key)."""
    try:
        return catalogue_for(period)
    except PeriodError:
        return default_catalogue()
