"""The district (or province) overview for one period: who has reported, roll-ups, rankings,
the units with the most check errors, and the change against the previous period.

What ``notebooks/district_overview.ipynb`` shows; every figure comes from
:mod:`cchc_lib.rollup` and :mod:`cchc_lib.checks`, every table is escaped HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape
from pathlib import Path

import pandas as pd

from cchc_lib import charts, periods, rollup, units
from cchc_lib.baseline import Baseline, crosses_break
from cchc_lib.catalogue import Catalogue, catalogue_for
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_number, fmt_percent, round_half_up
from cchc_lib.html import Html, render_template
from cchc_lib.model import Period, Submission, Unit
from cchc_lib.parts import Chart, Part
from cchc_lib.report import MISSING

__all__ = ["MAIN_RATES", "RANKING_PAGE", "HEATMAP_PAGE", "ChartPages", "DistrictOverview",
           "load_overview", "table_part", "unit_list_table"]

# The rates an overview compares, with their short Vietnamese names.
MAIN_RATES = {
    "3.4.1": "Hồ sơ đúng hạn",
    "3.4.2": "Hồ sơ đất đai đúng hạn",
    "1.1.2": "Nhiệm vụ KH hoàn thành",
    "1.3.2": "Nhiệm vụ giao đúng hạn",
    "4.2.2": "Biên chế có mặt",
    "S.5.1": "Thu NS so với dự toán",
}

#: Units per ranking figure and per heatmap figure.  With more units the overview shows several
#: figures one after the other, each legible on an A4 page: a bar per unit at a readable size,
#: and a heatmap small enough to print each cell's value (``charts.heatmap`` does up to 20 rows).
RANKING_PAGE = 30
HEATMAP_PAGE = 20
#: Units named, with their reason, as not comparable across 1 July 2025 (the rest are counted).
NOT_COMPARABLE_SHOWN = 10


def _table(headers: list[str], rows: list[list[object]], numeric: set[int] = frozenset(),
           intro: str = "") -> Html:
    """An escaped HTML table in the report's style, with an optional sentence before it."""
    html = render_template("table.html.j2", headers=headers, rows=rows, numeric=numeric,
                           intro=intro)
    return Part(html, "table", headers=[str(h) for h in headers],
                rows=[["" if c is None else str(c) for c in r] for r in rows],
                numeric=sorted(numeric), intro=intro)


table_part = _table


def unit_list_table(listed: list[Unit], intro: str = "", columns: int | None = None) -> Part:
    """Units as a compact table (code, name), several pairs of columns side by side for a long
    list, read down then across: a hundred names fit on a page instead of a paragraph.
    """
    n = len(listed)
    if columns is None:
        columns = 1 if n <= 8 else 2 if n <= 30 else 3
    height = -(-n // columns) if n else 0
    cols = [listed[c * height:(c + 1) * height] for c in range(columns)]
    rows = []
    for i in range(height):
        row: list[object] = []
        for col in cols:
            u = col[i] if i < len(col) else None
            row += [u.code, units.unit_title(u)] if u is not None else ["", ""]
        rows.append(row)
    return _table(["Mã", "Đơn vị"] * columns, rows, intro=intro)


class ChartPages:
    """Several charts that one notebook call shows one after the other (a ranking or a heatmap
    of a hundred units, split into pages that each read on A4)."""

    def __init__(self, charts_: list) -> None:
        self.charts = list(charts_)

    def __iter__(self):
        return iter(self.charts)

    def __len__(self) -> int:
        return len(self.charts)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for chart in self.charts:
            display(chart)


def _pages(n: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _missing(text: str) -> Part:
    return Part(Html(f'<div class="cchc-report"><p>{_escape(text)}</p></div>'), "paragraph",
                text=text)


def _pct(x) -> str:
    return "" if x is None or pd.isna(x) else fmt_percent(float(x), 1)


@dataclass
class DistrictOverview:
    parent: Unit
    period: Period
    expected: list[Unit]
    subs: list[Submission]
    previous: list[Submission] = field(default_factory=list)
    cat: Catalogue | None = None  # None: the version in force for the period
    # the same period last year (empty when it is the previous period), and across 1 July
    # 2025 every baseline built for the new units (cchc_lib.baseline)
    last_year: list[Submission] = field(default_factory=list)
    baselines: tuple[Baseline, ...] = ()

    def __post_init__(self) -> None:
        if self.cat is None:
            self.cat = catalogue_for(self.period)
        self.names = units.titles(self.expected, (s.unit_code for s in self.subs))
        self.findings = {s.unit_code: run_checks(
            s, self.cat, peers=self.subs,
            history=[h for h in [*self.previous, *self.last_year] if h.unit_code == s.unit_code])
            for s in self.subs}

    def figures(self) -> Part:
        """The key figures as an output of the notebook (nothing shown, data only): the batch
        reads them from the executed notebook for its index page."""
        errors = sum(count_by_severity(f)["error"] for f in self.findings.values())
        return Part(Html(""), "figures", submitted=len(self.subs), expected=len(self.expected),
                    errors=errors)

    @property
    def title(self) -> str:
        return (f"Tổng hợp cải cách hành chính {periods.label(self.period)} — "
                f"{units.unit_title(self.parent)}")

    def heading(self) -> Html:
        """The overview's title, and a warning box when any figure is illustrative."""
        from html import escape

        html = f'<div class="cchc-report"><h1 class="doc-type">{escape(self.title)}</h1>'
        made_up = sorted(s.unit_code for s in self.subs if s.illustrative)
        banner = ""
        if made_up:
            names = ", ".join(self.names.get(c, c) for c in made_up)
            banner = (f"DỮ LIỆU MINH HỌA — số liệu của {len(made_up)} đơn vị ({names}) do "
                      "chương trình tạo ra để chạy thử, không phải số liệu thật.")
            html += f'<div class="banner">{escape(banner)}</div>'
        return Part(html + "</div>", "title", text=self.title, banner=banner)

    def submission_summary(self) -> Html:
        """Who has submitted: the count, and the units that have not as a compact table."""
        done = {s.unit_code for s in self.subs}
        missing = [u for u in self.expected if u.code not in done]
        intro = f"{len(done & set(self.names))}/{len(self.expected)} đơn vị đã nộp báo cáo."
        if not missing:
            return Part(Html(f'<div class="cchc-report"><p>{_escape(intro)}</p></div>'),
                        "paragraph", text=intro)
        return unit_list_table(missing, intro=f"{intro} Chưa nộp: {len(missing)} đơn vị.")

    def rollup_table(self) -> Html:
        """The roll-up of the main rates: each rate is its own shown done/total.

        Numerator and denominator are summed over the same units, those that gave both
        figures (their number is shown); a row no unit can compute says so instead of
        printing a rate.
        """
        if not self.subs:
            return _missing(MISSING)
        frame = rollup.rollup(self.subs, self.cat).set_index("code")
        rows = []
        for code, name in MAIN_RATES.items():
            r = frame.loc[code] if code in frame.index else None
            if r is None or not r["rate_units"]:
                reported = 0 if r is None else int(r["units"])
                why = ("không đơn vị nào có đủ số liệu để tính tỷ lệ" if reported
                       else MISSING)
                rows.append([code, name, f"0/{len(self.subs)}", "", "", why, "", ""])
                continue
            rows.append([code, name, f"{int(r['rate_units'])}/{len(self.subs)}",
                         fmt_number(r["rate_num"], missing=""),
                         fmt_number(r["rate_den"], missing=""), _pct(r["rate"]),
                         _pct(r["rate_min"]), _pct(r["rate_max"])])
        intro = ("Tỷ lệ chung = tổng số đã thực hiện / tổng số của những đơn vị có đủ cả hai số "
                 "liệu (cột “Số đơn vị”: số đơn vị được tính trên số đơn vị đã nộp); không lấy "
                 "trung bình các tỷ lệ.")
        return _table(["Mã", "Chỉ tiêu", "Số đơn vị", "Đã thực hiện", "Tổng số",
                       "Tỷ lệ chung", "Thấp nhất", "Cao nhất"], rows,
                      numeric={2, 3, 4, 5, 6, 7}, intro=intro)

    def ranking_chart(self, code: str = "3.4.1"):
        """Units ranked by one rate (ties share a rank); beyond :data:`RANKING_PAGE` units,
        several charts of that many units each, the rank before each name."""
        if not self.subs:
            return _missing(f"Biểu đồ xếp hạng: {MISSING}.")
        ranked = rollup.rank(self.subs, code, cat=self.cat)
        title = f"Xếp hạng: {MAIN_RATES.get(code, code)} (%)"
        valid = ranked[ranked["value"].notna()]
        if len(valid) <= RANKING_PAGE:
            fig = charts.ranking_chart(ranked, self.names, title)
            return Chart(fig, name="ranking") if fig is not None else _missing(
                f"Biểu đồ xếp hạng: {MISSING}.")
        blank = ranked[ranked["value"].isna()]
        names = {c: f"{int(r)}. {self.names.get(c, c)}"
                 for c, r in zip(valid["unit_code"], valid["rank"])}
        pages = _pages(len(valid), RANKING_PAGE)
        figures = []
        for n, (a, b) in enumerate(pages, 1):
            part = valid.iloc[a:b]
            if n == len(pages):  # the units without a figure are counted under the last page
                part = pd.concat([part, blank])
            fig = charts.ranking_chart(part, names, f"{title} — trang {n}/{len(pages)}: hạng "
                                       f"{int(valid['rank'].iloc[a])}–"
                                       f"{int(valid['rank'].iloc[b - 1])}, {len(valid)} đơn vị "
                                       "có số liệu")
            figures.append(Chart(fig, name=f"ranking-{n}"))
        return ChartPages(figures)

    def heatmap(self):
        """Units × main rates; beyond :data:`HEATMAP_PAGE` units, several heatmaps of that many
        units each (by code), every cell's value printed."""
        if not self.subs:
            return _missing(f"Bản đồ nhiệt: {MISSING}.")
        matrix = rollup.unit_matrix(self.subs, list(MAIN_RATES), cat=self.cat)
        if len(matrix) <= HEATMAP_PAGE:
            fig = charts.heatmap(matrix, self.names, MAIN_RATES)
            return Chart(fig, name="heatmap") if fig is not None else _missing(
                f"Bản đồ nhiệt: {MISSING}.")
        pages = _pages(len(matrix), HEATMAP_PAGE)
        figures = []
        for n, (a, b) in enumerate(pages, 1):
            fig = charts.heatmap(matrix.iloc[a:b], self.names, MAIN_RATES,
                                 title=f"Tỷ lệ các chỉ tiêu theo đơn vị — trang {n}/{len(pages)}: "
                                       f"đơn vị {a + 1}–{b} trên {len(matrix)}")
            if fig is not None:  # a page of units without any of these rates shows nothing
                figures.append(Chart(fig, name=f"heatmap-{n}"))
        if not figures:
            return _missing(f"Bản đồ nhiệt: {MISSING}.")
        return ChartPages(figures)

    def errors_table(self, top: int = 10) -> Html:
        """The units with the most check errors."""
        counts = sorted(((count_by_severity(f)["error"], count_by_severity(f)["warning"], c)
                         for c, f in self.findings.items()), key=lambda t: (-t[0], -t[1], t[2]))
        rows = [[c, self.names.get(c, c), e, w] for e, w, c in counts[:top]]
        if not rows:
            return _missing(MISSING)
        return _table(["Mã", "Đơn vị", "Lỗi", "Cảnh báo"], rows, numeric={2, 3})

    def change_table(self, against: str = "previous") -> Html:
        """Each main rate against the previous period (``previous``) or the same period last
        year (``last_year``; nothing when that is the previous period: 6 tháng, 9 tháng, năm),
        in percentage points, each rate beside its fraction.

        Both sides are summed over the same units: those with a report in both periods.  Across
        1 July 2025 a new unit's earlier figures are the sums of its predecessors'
        (:mod:`cchc_lib.baseline`); the table says so, how many units are comparable, and why
        the others are not.
        """
        if against not in ("previous", "last_year"):
            raise CchcError(f"Không so sánh được với {against!r}; chọn previous hoặc last_year")
        before_period = periods.previous(self.period)
        other = before_period if against == "previous" \
            else periods.same_period_last_year(self.period)
        if against == "last_year" and other == before_period:
            return Html("")
        earlier = self.previous if against == "previous" else self.last_year
        merged = crosses_break(self.period.key, other.key)
        label = periods.label(other)
        codes = {s.unit_code for s in earlier} & {s.unit_code for s in self.subs}
        intro = (f"So với {label} (cộng số liệu các đơn vị cũ): "
                 f"{self._merged_note(other.key)}" if merged else "")
        if not codes:
            why = (f"kho chưa có số liệu kỳ {label}" if not earlier else
                   "không đơn vị nào có báo cáo cả hai kỳ")
            return _missing(f"{intro}" if merged else f"So sánh với {label}: {why}.")
        intro += (f"Tỷ lệ tính trên {len(codes)}/{len(self.subs)} đơn vị đã nộp có số liệu cả "
                  "hai kỳ: tổng số đã thực hiện / tổng số của các đơn vị đó.")
        now = rollup.rollup([s for s in self.subs if s.unit_code in codes],
                            self.cat).set_index("code")
        before = rollup.rollup([s for s in earlier if s.unit_code in codes],
                               self.cat).set_index("code")
        rows = []
        for code, name in MAIN_RATES.items():
            a, b = _rate_of(now, code), _rate_of(before, code)
            diff = "" if a is None or b is None else (
                f"{'+' if a[0] - b[0] >= 0 else '−'}{fmt_number(round_half_up(abs(a[0] - b[0]), 1))} "
                "điểm %")
            rows.append([code, name, _with_fraction(b), _with_fraction(a), diff])
        return _table(["Mã", "Chỉ tiêu", label, periods.label(self.period), "Thay đổi"], rows,
                      numeric={2, 3, 4}, intro=intro)

    def _merged_note(self, period: str) -> str:
        """How many units the as-if-merged comparison can use, and why not the others."""
        built = {b.unit_code: b for b in self.baselines if b.period == period}
        sent = [s.unit_code for s in self.subs]
        ok = [c for c in sent if c in built and built[c].comparable]
        not_ok = [c for c in sent if c not in ok]
        text = f"{len(ok)}/{len(sent)} đơn vị đã nộp báo cáo so sánh được"
        if not_ok:
            reasons = [f"{self.names.get(c, c)} ({built[c].note if c in built else MISSING})"
                       for c in not_ok[:NOT_COMPARABLE_SHOWN]]
            more = len(not_ok) - len(reasons)
            text += "; không so sánh được: " + "; ".join(reasons)
            text += f" và {more} đơn vị khác" if more > 0 else ""
        return text + ". "


def _rate_of(frame: pd.DataFrame, code: str) -> tuple[float, object, object] | None:
    """A roll-up row's rate with its fraction (numerator, denominator); None when there is
    none."""
    if code not in frame.index or pd.isna(frame.loc[code, "rate"]):
        return None
    r = frame.loc[code]
    return float(r["rate"]), r["rate_num"], r["rate_den"]


def _with_fraction(rate: tuple[float, object, object] | None) -> str:
    """``83,3% (200/240)``: a rate beside the fraction it is computed from."""
    if rate is None:
        return ""
    return f"{_pct(rate[0])} ({fmt_number(rate[1])}/{fmt_number(rate[2])})"


def load_overview(parent: str = "661", period: str = "2024-H1", *,
                  store: str | Path | None = None) -> DistrictOverview:
    """Everything the district overview shows, from the store (through
    :class:`cchc_lib.sources.DistrictRef`)."""
    from cchc_lib.sources import DistrictRef

    d = DistrictRef.for_overview(parent, period, store=store).load()
    return DistrictOverview(d.parent, d.period, d.expected, d.subs, d.previous,
                            last_year=d.last_year, baselines=d.baselines)
