"""The data model: frozen dataclasses that every other module passes around.

A :class:`Submission` is one unit's report for one period exactly as the
reporter gave it: figures keep what was typed (a typed rate included), dates
keep their printed text (``32/05/2024`` cannot be a ``date``), and the free
text is stored verbatim.  Calculations and checks compare, never overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

Number = int | float

# Value kinds of the indicator catalogue.
KINDS = ("group", "count", "amount", "percent", "enum", "decimal")
# How an indicator's rate is formed.
RATE_FORMS = ("none", "row", "ratio")
# Severities of a finding, most serious first.
SEVERITIES = ("error", "warning", "note")
# What a reader sees for each severity.
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "note": "Ghi chú"}


@dataclass(frozen=True)
class Indicator:
    """One row of PHỤ LỤC SỐ 01 or of the supplementary section.

    ``code`` is unique (``1.2.1``); ``printed`` is what the official form
    prints in its Stt column (``1.1.1.``, ``Trong đó`` …).  ``rate`` is
    ``none``, ``row`` (done / total of the same row) or ``ratio`` (this row's
    figure over ``rate_of``'s total).  A row's *figure* is its done column
    when given, else its total.  ``part_of`` / ``parts_sum`` describe wholes
    and parts (on time + late ≤ due), ``same_as`` the same figure asked twice.
    """

    code: str
    printed: str
    title: str
    unit: str
    kind: str
    parent: str | None = None
    rate: str = "none"
    rate_of: str | None = None
    coding: Mapping[int, str] | None = None
    part_of: str | None = None  # this row's figure is a part of that row's
    parts_sum: str | None = None  # "eq" or "le": how this row's parts add up
    same_as: str | None = None  # the same figure reported in another row
    same_rate_as: str | None = None  # the same rate (e.g. on time) asked again in another row
    stated_with: str | None = None  # the whole the report states this rate beside, when its
    #                                 own denominator (rate_of) is not given
    section: str = "appendix"  # "appendix" (PHỤ LỤC SỐ 01) or "supplementary"
    note: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class Unit:
    """An administrative unit: province, district or commune.

    ``era`` is ``"2008"`` for units as they were before 1 July 2025 (the
    three-level system) and ``"2025"`` for the units after the reorganisation.
    """

    code: str
    name: str  # proper name without the common noun: "Đắk Ha"
    level: str  # "province" | "district" | "commune"
    kind: str  # the common noun: "tỉnh", "huyện", "xã", "phường", …
    parent_code: str | None
    era: str

    @property
    def full_name(self) -> str:
        """``xã Đắk Ha`` (common noun lower case, as Nghị định 30 writes it)."""
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Value:
    """What the reporter typed for one indicator.

    ``total`` and ``done`` are the two number columns (for a coded row the
    code), ``rate`` the typed percent (``74.9`` for 74,9%), ``as_of`` the
    printed date the figure is counted up to, ``note`` the Ghi chú column.
    """

    code: str
    total: Number | None = None
    done: Number | None = None
    rate: Number | None = None
    note: str = ""
    as_of: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.total is None and self.done is None and self.rate is None


@dataclass(frozen=True)
class Document:
    """A document the report cites, as printed.

    ``type_word`` is the type the sentence gives it (``Kế hoạch``),
    ``number`` and ``symbol`` the two halves of ``15/QĐ-UBND``, ``date`` the
    printed date text.  ``issued_by_unit`` is False for documents of other
    bodies that the report only cites (a Nghị định of the Government).
    """

    type_word: str
    number: str
    symbol: str
    date: str | None
    summary: str = ""
    section: str = ""
    issued_by_unit: bool = True

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}" if self.number else f"/{self.symbol}"


@dataclass(frozen=True)
class Header:
    """The report's header, signature and recipients."""

    report_number: str = ""  # "" when left blank, as in the seed
    report_symbol: str = "BC-UBND"
    report_date: str | None = None  # printed text, dd/mm/yyyy
    place: str = ""
    title: str = ""  # the trích yếu as printed
    signer_name: str = ""
    signer_title: str = ""  # "PHÓ CHỦ TỊCH"
    signing_authority: str = ""  # "TM. ỦY BAN NHÂN DÂN"
    signing_capacity: str = ""  # "KT. CHỦ TỊCH"
    recipients: tuple[str, ...] = ()
    data_window: tuple[str, str] | None = None  # printed from/to dates
    # Facts the narrative states beside the figures, as the reporter gives them ("" when not).
    addressee: str = ""  # the superior body the closing sends to: "Ủy ban nhân dân huyện …"
    dossier_source: str = ""  # where dossier figures are counted: "cổng dịch vụ hành chính công"
    estimate_basis: str = ""  # who set the budget estimate, when: "HĐND giao đầu năm"
    staff_basis: str = ""  # the document the staff figures follow: "365/QĐ-UBND" (or its full name)
    seconded_posts: tuple[str, ...] = ()  # the post of each official seconded elsewhere (S.7.1)
    seconded_to: str = ""  # where they were seconded: "Ủy ban nhân dân xã Quảng Khê"
    received_posts: tuple[str, ...] = ()  # the post of each official received (S.7.2)


@dataclass(frozen=True)
class Submission:
    """One unit's report for one period, as given by the reporter."""

    unit_code: str
    period: str  # canonical period key, "2024-H1"
    header: Header = field(default_factory=Header)
    values: Mapping[str, Value] = field(default_factory=dict)
    documents: tuple[Document, ...] = ()
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    figure_text: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # verbatim source
    unit_names: Mapping[str, str] = field(default_factory=dict)  # place -> name as printed
    period_labels: Mapping[str, str] = field(default_factory=dict)  # place -> label as printed
    source: str = ""
    illustrative: bool = False

    def value(self, code: str) -> Value | None:
        return self.values.get(code)


@dataclass(frozen=True)
class Finding:
    """The result of a check: rule id, severity, place and a Vietnamese message."""

    rule: str
    severity: str
    place: str
    message: str
    indicator: str | None = None
    expected: Number | str | None = None
    found: Number | str | None = None
    # Where the clerk fixes it, as a key the workbook layout resolves to a sheet, row and cell
    # (cchc_lib.workbook.place_of): "indicator:<code>[:<column>]" (column: total, done, rate,
    # note, as_of), "header:<field key>", "document:<index in Submission.documents>[:<column>]",
    # "section:<free-text key>"; None for the report as a whole.
    where: str | None = None


@dataclass(frozen=True)
class Period:
    """A reporting period.  Built by :func:`cchc_lib.periods.parse_period`."""

    year: int
    kind: str  # "Q" (quarter), "H1", "9M", "Y"
    quarter: int | None = None

    @property
    def key(self) -> str:
        if self.kind == "Q":
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "Y":
            return f"{self.year}"
        return f"{self.year}-{self.kind}"

    def __str__(self) -> str:
        return self.key

    @property
    def last_month(self) -> int:
        """The period's last calendar month: 3, 6, 9 or 12."""
        return {"Q": 3 * (self.quarter or 1), "H1": 6, "9M": 9, "Y": 12}[self.kind]

    @property
    def first_day(self) -> date:
        """First calendar day: 1 January, or the first day of the quarter."""
        return date(self.year, 3 * self.quarter - 2 if self.kind == "Q" else 1, 1)

    @property
    def last_day(self) -> date:
        """Last calendar day: 31/3, 30/6, 30/9 or 31/12."""
        return date(self.year, self.last_month, 31 if self.last_month in (3, 12) else 30)
