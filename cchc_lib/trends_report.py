"""What ``notebooks/province_trends.ipynb`` shows: a parent's units across a range of periods.

:func:`load_trends` reads the data (through :class:`cchc_lib.sources.TrendsRef`) and returns a
:class:`ProvinceTrends` whose methods each give one part: the heading, the periods held, the
parent's main rates per period (table and chart), each unit's rate per period, who improved and
who fell back, and the findings of the cross-period rules over time.  The figures come from
:mod:`cchc_lib.trends`; every rate is printed beside the fraction it is computed from, and a
chart shows the very figures of the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from cchc_lib import charts, periods, trends, units
from cchc_lib.baseline import BREAK_LABEL, Baseline
from cchc_lib.catalogue import Catalogue, catalogue_for
from cchc_lib.checks import rules
from cchc_lib.formatting import fmt_number
from cchc_lib.html import Html
from cchc_lib.model import Period, Submission, Unit
from cchc_lib.narrative import rate_text
from cchc_lib.overview import table_part
from cchc_lib.parts import Chart, Part
from cchc_lib.report import MISSING

__all__ = ["ProvinceTrends", "load_trends", "BASELINE_MARK"]

#: After a period label whose figures are sums of the former units' (before 1 July 2025).
BASELINE_MARK = " (*)"
#: Findings listed one by one (the rest are counted in the tables above the list).
FINDINGS_LISTED = 40


def _paragraph(text: str) -> Part:
    return Part(Html(f'<div class="cchc-report"><p>{escape(text)}</p></div>'), "paragraph",
                text=text)


def _pct_fraction(rate, num, den) -> str:
    """``83,3% (200/240)``; ``""`` when there is no rate."""
    if rate is None or pd.isna(rate):
        return ""
    return f"{rate_text(rate)} ({fmt_number(num)}/{fmt_number(den)})"


@dataclass
class ProvinceTrends:
    """A parent's communes over a range of periods (the store's periods in the range)."""

    parent: Unit
    period_from: Period
    period_to: Period
    held: list[Period]  # the periods the store holds in the range, oldest first
    expected: list[Unit]
    subs: dict[str, list[Submission]]
    baselines: tuple[Baseline, ...] = ()
    cat: Catalogue | None = None  # None: the version in force for the last period
    codes: tuple[str, ...] = tuple(trends.TREND_RATES)

    def __post_init__(self) -> None:
        if self.cat is None:
            self.cat = catalogue_for(self.period_to)
        self.names = units.titles(self.expected)
        self.keys = [p.key for p in self.held]
        self.parent_frame = trends.parent_rates(self.subs, self.codes, self.cat)
        self.unit_frame = trends.unit_rates(self.subs, self.codes, self.cat)
        self.findings = trends.period_findings(self.subs)  # each period's catalogue version

    # -- labels ---------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return (f"Diễn biến cải cách hành chính từ {periods.label(self.period_from)} đến "
                f"{periods.label(self.period_to)} — {units.unit_title(self.parent)}")

    def is_baseline(self, key: str) -> bool:
        return trends.is_baseline_period(self.period_to.key, key)

    def label(self, key: str) -> str:
        """A period's label, marked when its figures are the former units' sums."""
        return periods.label(key) + (BASELINE_MARK if self.is_baseline(key) else "")

    def _baseline_note(self) -> str:
        if not any(self.is_baseline(k) for k in self.keys):
            return ""
        return ("(*) Kỳ trước ngày 01/07/2025: số liệu của mỗi đơn vị hiện nay là tổng số liệu "
                "của các đơn vị cũ hợp thành (cộng số liệu các đơn vị cũ, tỷ lệ tính lại từ "
                "tổng phân số); đơn vị thiếu số liệu của một đơn vị cũ, hoặc có đơn vị cũ bị "
                "chia mà không có tỷ lệ phân bổ, không được tính ở kỳ đó.")

    # -- the parts, in reading order -------------------------------------------------------
    def heading(self) -> Part:
        """The title, a warning box when any figure is illustrative, the lineage note."""
        made_up = sorted({s.unit_code for ss in self.subs.values() for s in ss
                          if s.illustrative})
        html = f'<div class="cchc-report"><h1 class="doc-type">{escape(self.title)}</h1>'
        banner = ""
        if made_up:
            banner = (f"DỮ LIỆU MINH HỌA — số liệu của {len(made_up)} đơn vị do chương trình "
                      "tạo ra để chạy thử, không phải số liệu thật.")
            html += f'<div class="banner">{escape(banner)}</div>'
        note = self._baseline_note()
        if note:
            html += f"<p>{escape(note)}</p>"
        return Part(html + "</div>", "title", text=self.title, banner=banner, note=note)

    def periods_table(self) -> Part:
        """The periods the store holds in the range, with how many units each counts."""
        if not self.keys:
            return _paragraph(f"Kho chưa có báo cáo nào từ {periods.label(self.period_from)} "
                              f"đến {periods.label(self.period_to)}.")
        rows = []
        for key in self.keys:
            note = ""
            if self.is_baseline(key):
                built = [b for b in self.baselines if b.period == key]
                ok = sum(b.comparable for b in built)
                note = f"cộng số liệu các đơn vị cũ: {ok}/{len(built)} đơn vị so sánh được"
            rows.append([self.label(key), f"{len(self.subs.get(key, []))}/{len(self.expected)}",
                         note])
        return table_part(["Kỳ báo cáo", "Số đơn vị có số liệu", "Ghi chú"], rows,
                          numeric={1})

    def parent_table(self) -> Part:
        """The parent's main rates per period, each from its summed fraction."""
        if self.parent_frame.empty:
            return _paragraph(MISSING[0].upper() + MISSING[1:] + ".")
        rows = []
        for code in self.codes:
            name = f"{trends.TREND_RATES.get(code, code)} ({code})"
            for r in self.parent_frame[self.parent_frame["code"] == code].itertuples():
                if not r.units:
                    rows.append([name, self.label(r.period), "0", "", "", MISSING])
                    continue
                rows.append([name, self.label(r.period), str(r.units), fmt_number(r.rate_num),
                             fmt_number(r.rate_den), rate_text(r.rate)])
        intro = (f"Tỷ lệ của {units.unit_title(self.parent)} = tổng số đã thực hiện / tổng số "
                 "của các đơn vị có đủ cả hai số liệu trong kỳ (theo số liệu của k đơn vị: cột "
                 "“Số đơn vị”); không lấy trung bình các tỷ lệ.")
        return table_part(["Chỉ tiêu", "Kỳ", "Số đơn vị", "Đã thực hiện", "Tổng số", "Tỷ lệ"],
                          rows, numeric={2, 3, 4, 5}, intro=intro)

    def _break_after(self, keys: list[str]) -> int | None:
        before = [n for n, k in enumerate(keys) if self.is_baseline(k)]
        return before[-1] if before and before[-1] < len(keys) - 1 else None

    def parent_chart(self):
        """The parent's main rates per period (the figures of :meth:`parent_table`)."""
        history = []
        for key in self.keys:
            rows = self.parent_frame[self.parent_frame["period"] == key]
            history.append((periods.label(key),
                            {r.code: (None if pd.isna(r.rate) else r.rate)
                             for r in rows.itertuples()}))
        caption = ""
        if self._break_after(self.keys) is not None:
            caption = ("Trước 01/07/2025: cộng số liệu các đơn vị cũ hợp thành mỗi đơn vị "
                       "hiện nay (chỉ các đơn vị so sánh được).")
        fig = charts.trend_chart(history, {c: trends.TREND_RATES.get(c, c) for c in self.codes},
                                 title=f"Tỷ lệ chung của {units.unit_title(self.parent)} qua "
                                       "các kỳ",
                                 break_after=self._break_after(self.keys),
                                 break_label=BREAK_LABEL, caption=caption)
        if fig is None:
            return _paragraph("Biểu đồ diễn biến: cần số liệu của ít nhất hai kỳ.")
        return Chart(fig, name="trend")

    def unit_table(self, code: str = "3.4.1") -> Part:
        """Each unit's rate per period, beside its fraction."""
        frame = self.unit_frame[self.unit_frame["code"] == code]
        if frame.empty:
            return _paragraph(f"{trends.TREND_RATES.get(code, code)}: {MISSING}.")
        cells = {(r.unit_code, r.period): _pct_fraction(r.rate, r.num, r.den)
                 for r in frame.itertuples()}
        codes = [u.code for u in self.expected if any(c == u.code for c, _ in cells)]
        rows = [[c, self.names.get(c, c)] + [cells.get((c, k), "") for k in self.keys]
                for c in codes]
        intro = (f"{trends.TREND_RATES.get(code, code)} ({code}) của từng đơn vị: tỷ lệ (đã "
                 "thực hiện/tổng số); ô trống: đơn vị không có đủ số liệu trong kỳ.")
        return table_part(["Mã", "Đơn vị"] + [self.label(k) for k in self.keys], rows,
                          numeric=set(range(2, 2 + len(self.keys))), intro=intro)

    def movers_table(self, code: str = "3.4.1") -> Part:
        """Who improved and who fell back between the first and the last period."""
        if len(self.keys) < 2:
            return _paragraph("Cần số liệu của ít nhất hai kỳ để so sánh.")
        frame = trends.movers(self.subs, code, self.cat)
        first, last = self.keys[0], self.keys[-1]
        up = int((frame["change_pp"] > 0).sum())
        down = int((frame["change_pp"] < 0).sum())
        same = len(frame) - up - down
        units_now = {s.unit_code for s in self.subs.get(last, [])}
        lacking = len(units_now - set(frame["unit_code"]))
        intro = (f"{trends.TREND_RATES.get(code, code)} ({code}) từ {self.label(first)} đến "
                 f"{self.label(last)}: {up} đơn vị tăng, {down} đơn vị giảm, {same} không đổi"
                 + (f"; {lacking} đơn vị có báo cáo kỳ cuối nhưng thiếu số liệu một trong hai "
                    "kỳ" if lacking else "") + ". Thay đổi tính bằng điểm phần trăm giữa hai "
                 "tỷ lệ đã làm tròn.")
        rows = []
        for r in frame.itertuples():
            sign = "+" if r.change_pp > 0 else "−" if r.change_pp < 0 else ""
            verdict = "tiến bộ" if r.change_pp > 0 else "giảm" if r.change_pp < 0 else "không đổi"
            rows.append([r.unit_code, self.names.get(r.unit_code, r.unit_code),
                         _pct_fraction(r.first_rate, r.first_num, r.first_den),
                         _pct_fraction(r.last_rate, r.last_num, r.last_den),
                         f"{sign}{fmt_number(abs(r.change_pp))} điểm %", verdict])
        if not rows:
            return _paragraph(intro)
        return table_part(["Mã", "Đơn vị", self.label(first), self.label(last), "Thay đổi",
                           "Đánh giá"], rows, numeric={2, 3, 4}, intro=intro)

    def findings_by_period(self) -> Part:
        """How many findings of each cross-period rule in each period."""
        f = self.findings
        own = [k for k in self.keys if not self.is_baseline(k)]
        if f.empty:
            return _paragraph(f"Các quy tắc kiểm tra giữa các kỳ không phát hiện gì trong "
                              f"{len(own)} kỳ có báo cáo của chính các đơn vị.")
        titles = rules()
        rows = []
        for rule in sorted(f["rule"].unique()):
            counts = [int(((f["rule"] == rule) & (f["period"] == k)).sum()) for k in own]
            rows.append([rule, titles[rule].title if rule in titles else rule, *counts,
                         sum(counts)])
        rows.append(["", "Tổng", *[int((f["period"] == k).sum()) for k in own], len(f)])
        intro = ("Phát hiện của các quy tắc kiểm tra giữa các kỳ (period.*): mỗi báo cáo được "
                 "so với các báo cáo trước đó của chính đơn vị trong khoảng thời gian này.")
        return table_part(["Quy tắc", "Nội dung", *[periods.label(k) for k in own], "Cộng"],
                          rows, numeric=set(range(2, 3 + len(own))), intro=intro)

    def findings_by_unit(self) -> Part:
        """How many cross-period findings each unit has in each period."""
        f = self.findings
        if f.empty:
            return Part(Html(""), "paragraph", text="")
        own = [k for k in self.keys if not self.is_baseline(k)]
        rows = []
        for code in [u.code for u in self.expected if u.code in set(f["unit_code"])]:
            counts = [int(((f["unit_code"] == code) & (f["period"] == k)).sum()) for k in own]
            rows.append([code, self.names.get(code, code), *counts, sum(counts)])
        return table_part(["Mã", "Đơn vị", *[periods.label(k) for k in own], "Cộng"], rows,
                          numeric=set(range(2, 3 + len(own))))

    def findings_list(self) -> Part:
        """The findings themselves, period by period (the first ones)."""
        f = self.findings
        if f.empty:
            return Part(Html(""), "paragraph", text="")
        shown = f.head(FINDINGS_LISTED)
        rows = [[periods.label(r.period), self.names.get(r.unit_code, r.unit_code), r.rule,
                 r.message] for r in shown.itertuples()]
        intro = "" if len(f) <= FINDINGS_LISTED else (
            f"{FINDINGS_LISTED} phát hiện đầu tiên trên {len(f)}.")
        return table_part(["Kỳ", "Đơn vị", "Quy tắc", "Nội dung"], rows, intro=intro)

    def figures(self) -> Part:
        """The key figures as data (for the batch's index page; nothing shown)."""
        return Part(Html(""), "figures", periods=len(self.keys),
                    period_from=self.period_from.key, period_to=self.period_to.key,
                    expected=len(self.expected), findings=len(self.findings))


def load_trends(parent: str = "661", period_from: str = "2023-H1", period_to: str = "2024-H1",
                *, store: str | Path | None = None) -> ProvinceTrends:
    """Everything the trends notebook shows, from the store (through
    :class:`cchc_lib.sources.TrendsRef`)."""
    from cchc_lib.sources import TrendsRef

    ref = TrendsRef.for_trends(parent, period_from, period_to, store=store)
    d = ref.load()
    return ProvinceTrends(d.parent, periods.parse_period(ref.period_from),
                          periods.parse_period(ref.period_to), d.periods, d.expected, d.subs,
                          d.baselines)
