"""The indicator catalogue: the rows of PHỤ LỤC SỐ 01 and the supplementary figures.

The catalogue is data (``cchc_lib/data/catalogue.yaml``); this module loads it,
validates it and answers questions about it.  A broken file is refused with a
:class:`~cchc_lib.errors.CatalogueError` that names the row and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Mapping

import yaml

from cchc_lib.errors import CatalogueError
from cchc_lib.model import KINDS, RATE_FORMS, Indicator

__all__ = ["Catalogue", "load_catalogue", "default_catalogue", "display_stt"]

_FIELDS = {
    "code", "printed", "title", "unit", "kind", "parent", "rate", "rate_of", "coding",
    "part_of", "parts_sum", "same_as", "same_rate_as", "stated_with", "section", "note",
}
_SECTIONS = ("appendix", "supplementary")


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue: indicators in printed order, by unique code."""

    version: str
    title: str
    source: str
    indicators: tuple[Indicator, ...]

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
    return Catalogue(version=version, title=str(doc.get("title", "")),
                     source=str(doc.get("source", "")), indicators=tuple(indicators))


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue file."""
    path = Path(path)
    return parse_catalogue(path.read_text(encoding="utf-8"), origin=str(path))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (cached)."""
    text = resources.files("cchc_lib").joinpath("data/catalogue.yaml").read_text(encoding="utf-8")
    return parse_catalogue(text, origin="cchc_lib/data/catalogue.yaml")
