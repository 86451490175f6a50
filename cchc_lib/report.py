"""The commune report: what the notebook shows, section by section, as HTML and charts.

:func:`load_commune_report` finds the submission (the shipped sample, the store
or a workbook, through :mod:`cchc_lib.sources`), runs the calculations and checks once, and returns a
:class:`CommuneReport` whose methods each give one part of the report in the
official layout (Nghị định 30/2020/NĐ-CP).  The HTML comes from Jinja2
templates with autoescaping on, so text a commune typed is always shown as
text, never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from cchc_lib import calc, charts, narrative, periods, units
from cchc_lib.baseline import BREAK_LABEL, Baseline, trend_caption
from cchc_lib.catalogue import Catalogue, display_stt, catalogue_for
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_long, fmt_number
from cchc_lib.html import Html, render_template, style
from cchc_lib.model import SEVERITY_LABELS, Finding, Period, Submission, Unit
from cchc_lib.parts import Chart, Part, describe_figure
from cchc_lib.sections import report_sections
from cchc_lib.textparse import parse_date_text

__all__ = ["Html", "Part", "Chart", "CommuneReport", "load_commune_report", "render_template",
           "MISSING", "SEVERITY_LABELS", "style"]

MISSING = "chưa có số liệu"
APPENDIX_NOTE = ("Tỷ lệ (%) do chương trình tính từ số liệu; nơi tỷ lệ xã ghi khác được in đậm, "
                 "gạch chân và kèm \"(ghi …)\".")


@dataclass
class CommuneReport:
    """One commune's report for one period: data, checks and every part of the layout."""

    sub: Submission
    unit: Unit
    period: Period
    cat: Catalogue | None = None  # None: the version in force for the period
    history: list[Submission] = field(default_factory=list)
    show_checks: bool = False
    # for a unit made on 1 July 2025: how its figures before were made (cchc_lib.baseline)
    baselines: tuple[Baseline, ...] = ()

    def __post_init__(self) -> None:
        if self.cat is None:
            self.cat = catalogue_for(self.period)
        self.findings: list[Finding] = run_checks(self.sub, self.cat, history=self.history)
        self.unit_title = units.unit_title(self.unit)
        self.period_label = periods.label(self.period)

    # -- the parts, in reading order --------------------------------------------------------
    def banner(self) -> Html:
        """A box that says the figures are illustrative; empty for real data."""
        if not self.sub.illustrative:
            return Html("")
        text = ("DỮ LIỆU MINH HỌA — các số liệu trong báo cáo này do chương trình tạo ra để "
                "chạy thử, không phải số liệu thật của đơn vị.")
        return Part(self._wrap(render_template("banner.html.j2", text=text)), "banner", text=text)

    def header(self) -> Html:
        """The two-column header, the number and date line, the title and the subject."""
        h = self.sub.header
        organ = units.council_name(self.unit)
        organ_1, _, organ_2 = organ.partition(" NHÂN DÂN ")
        day = parse_date_text(h.report_date).day if h.report_date else None
        place = h.place or self.unit.name
        place_date = (f"{place}, {fmt_date_long(day)}" if day
                      else f"{place}, ngày … tháng … năm {self.period.year}")
        subject = h.title or f"Kết quả thực hiện công tác cải cách hành chính {self.period_label}"
        data = {"superior": units.superior_short(self.unit), "organ_1": f"{organ_1} NHÂN DÂN",
                "organ_2": organ_2, "number": h.report_number,
                "symbol": h.report_symbol or "BC-UBND", "place_date": place_date,
                "doc_type": "BÁO CÁO", "subject": subject}
        return Part(self._wrap(render_template("header.html.j2", **data)), "header", **data)

    def section(self, key: str) -> Html:
        """A section's heading, its free text as written, and the sentences made from figures."""
        sec = next((s for s in report_sections() if s.key == key), None)
        if sec is None:
            raise CchcError(f"Không có mục {key!r} trong bố cục báo cáo")
        heading = self._heading(sec)
        has_children = any(s.key.startswith(key + ".") for s in report_sections())
        paragraphs = []
        if not has_children:
            paragraphs = [{"text": t, "generated": False} for t in self.sub.sections.get(key, ())]
            paragraphs += [{"text": t, "generated": True}
                           for t in narrative.sentences(self.sub, key, unit_title=self.unit_title,
                                                        period_label=self.period_label,
                                                        cat=self.cat)]
        missing = MISSING[0].upper() + MISSING[1:] + "." if not has_children and not paragraphs \
            else ""
        html = self._wrap(render_template("section.html.j2", level=sec.level, heading=heading,
                                          paragraphs=paragraphs, missing=missing))
        return Part(html, "section", key=key, level=sec.level, heading=heading,
                    paragraphs=[p["text"] for p in paragraphs], missing=missing)

    def chart(self, name: str):
        """A chart (a matplotlib Figure), or a line saying there is no data for it."""
        builders = {
            "tasks": lambda: charts.tasks_chart(calc.plan_tasks(self.sub, self.cat)),
            "dossiers": lambda: charts.dossier_chart(calc.dossiers(self.sub, self.cat)),
            "budget": lambda: charts.budget_chart(calc.budget(self.sub, self.period, self.cat)),
            "staff": lambda: charts.staff_chart(calc.staff(self.sub, self.cat)),
            "trend": self._trend_chart,
        }
        if name not in builders:
            raise CchcError(f"Không có biểu đồ {name!r}; có: {', '.join(builders)}")
        fig = builders[name]()
        if fig is None:
            if name == "trend" and self.baselines:
                # a new unit whose former communes' sums cannot be drawn: say why
                text = f"Biểu đồ diễn biến: chưa đủ hai kỳ để vẽ. {trend_caption(self.baselines)}"
                return Part(self._wrap(Html(f'<p class="chart-missing">{escape(text)}</p>')),
                            "paragraph", text=text, style="missing")
            if name == "trend":
                return Html("")  # no earlier periods in the store: nothing to say
            text = f"Biểu đồ: {MISSING}."
            return Part(self._wrap(Html(f'<p class="chart-missing">{text}</p>')), "paragraph",
                        text=text, style="missing")
        if name == "trend" and fig.axes[0].get_xlabel():
            # the caption under the axis (whose sums the points before 1 July 2025 are) is part
            # of what the chart says: the alternative text says it too
            alt = describe_figure(fig).rstrip(".") + ". " + " ".join(
                fig.axes[0].get_xlabel().split())
            return Chart(fig, alt=alt, name=name)
        return Chart(fig, name=name)

    def signature(self) -> Html:
        """The closing sentence, Nơi nhận and the signature block."""
        h = self.sub.header
        authority = [x for x in (h.signing_authority or "TM. ỦY BAN NHÂN DÂN",
                                 h.signing_capacity, h.signer_title or "CHỦ TỊCH") if x]
        data = {"closing": narrative.closing(self.sub, self.unit_title, self.period_label),
                "recipients": recipient_lines(h.recipients), "authority": authority,
                "signer": h.signer_name or "…"}
        return Part(self._wrap(render_template("signature.html.j2", **data)), "signature",
                    **data)

    def appendix(self) -> Html:
        """PHỤ LỤC SỐ 01 with computed rates; a typed rate that differs is marked."""
        h = self.sub.header
        day = parse_date_text(h.report_date).day if h.report_date else None
        attached = (f"Kèm theo Báo cáo số {h.report_number or '…'}/{h.report_symbol or 'BC-UBND'}"
                    f" {fmt_date_long(day) if day else 'ngày … tháng … năm …'} của Ủy ban nhân "
                    f"dân {self.unit_title}")
        rows = []
        for ind in self.cat:
            if ind.section != "appendix":
                continue
            value = self.sub.value(ind.code)
            # The official form prints 1.1.1–1.1.3 twice; the report prints each row's own code,
            # as the workbook does.
            row = {"printed": display_stt(ind), "title": ind.title, "unit": ind.unit,
                   "group": ind.is_group, "total": "", "done": "", "rate": "", "typed": "",
                   "note": value.note if value else ""}
            if value is not None and not ind.is_group:
                row["total"] = self._cell(ind, value.total)
                row["done"] = self._cell(ind, value.done)
                computed = calc.computed_rate(self.sub, ind, self.cat, digits=1) \
                    if ind.rate != "none" else None
                if computed is not None:
                    row["rate"] = fmt_number(computed)
                    if value.rate is not None and not calc.rate_matches(
                            value.rate, *calc.rate_fraction(self.sub, ind, self.cat)):
                        row["typed"] = fmt_number(value.rate)
                elif value.rate is not None:
                    row["rate"] = fmt_number(value.rate)
            rows.append(row)
        data = {"label": "PHỤ LỤC SỐ 01",
                "title": "Thống kê số liệu kết quả thực hiện cải cách hành chính",
                "attached": attached, "rows": rows, "note": APPENDIX_NOTE}
        return Part(self._wrap(render_template("appendix.html.j2", **data)), "appendix", **data)

    def checks(self) -> Html:
        """The findings of the checks, for the check sheet (phiếu kiểm tra số liệu).

        Shown inside the report only when ``show_checks`` (an internal draft); otherwise the
        output carries the findings as data, and the exporter writes them to the separate
        check sheet, never into the report that is signed and sent.
        """
        data = check_sheet_data(self.sub, self.findings, self.unit_title, self.period_label)
        html = Html("")
        if self.show_checks:
            counts = data["counts"]
            summary = (f"Chương trình đã kiểm tra số liệu, ngày tháng và văn bản được dẫn trong "
                       f"báo cáo: {counts['error']} lỗi, {counts['warning']} cảnh báo, "
                       f"{counts['note']} ghi chú. Các tỷ lệ trong báo cáo này đã được tính lại "
                       "từ số liệu.")
            html = self._wrap(render_template("findings.html.j2", rows=data["rows"],
                                              summary=summary))
        return Part(html, "findings", inline=self.show_checks, **data)

    def key_figures(self) -> dict[str, object]:
        """A few headline figures for an index page: rates computed, errors counted."""
        d = calc.dossiers(self.sub, self.cat)
        tasks = calc.plan_tasks(self.sub, self.cat)
        return {"unit": self.unit_title, "unit_code": self.unit.code, "period": self.period.key,
                "on_time_rate": d.on_time_rate if d.on_time_rate is not None
                else calc.computed_rate(self.sub, "3.4.1", self.cat, digits=1),
                "tasks_rate": tasks.rate, "errors": count_by_severity(self.findings)["error"],
                "illustrative": self.sub.illustrative}

    def figures(self) -> Part:
        """The key figures as an output of the notebook (nothing shown, data only): the batch
        reads them from the executed notebook for its index page."""
        return Part(Html(""), "figures", **self.key_figures())

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _wrap(html: str) -> Html:
        return Html(f'<div class="cchc-report">{html}</div>')

    @staticmethod
    def _heading(sec) -> str:
        if sec.level == 1:
            return f"{sec.key}. {sec.heading}"
        if sec.level == 2:
            return f"{sec.key.split('.')[-1]}. {sec.heading}"
        return ""

    @staticmethod
    def _cell(ind, x) -> str:
        if x is None:
            return ""
        if ind.kind == "enum" and ind.coding and x in ind.coding:
            return f"{fmt_number(x)} ({ind.coding[int(x)]})"
        return fmt_number(x)

    def _trend_chart(self):
        series = {"3.4.1": "Hồ sơ giải quyết đúng hạn", "1.1.2": "Nhiệm vụ kế hoạch hoàn thành",
                  "S.5.1": "Thu ngân sách so với dự toán"}
        subs = sorted([*self.history, self.sub],
                      key=lambda s: periods.sort_key(periods.parse_period(s.period)))
        history = []
        for s in subs:
            p = periods.parse_period(s.period)
            rates = {code: calc.computed_rate(s, code, self.cat, digits=1) for code in series}
            history.append((periods.label(p), rates))
        # across 1 July 2025 the points before are the predecessors' sums (only comparable
        # ones are drawn; the caption names the periods left out and why)
        drawn = {s.period for s in subs}
        before = [n for n, s in enumerate(subs) if any(b.period == s.period and b.comparable
                                                       for b in self.baselines)]
        caption = trend_caption([b for b in self.baselines
                                 if b.period in drawn or not b.comparable])
        return charts.trend_chart(history, series, break_after=before[-1] if before else None,
                                  break_label=BREAK_LABEL, caption=caption)


def recipient_lines(recipients) -> list[str]:
    """Nơi nhận as Nghị định 30 prints it: ``- …;`` per line, the last ``- Lưu: VT….``.

    The words are the commune's own; only the leading dash and the closing punctuation are
    set, so a list typed with or without them prints the same.
    """
    lines = [r.strip().lstrip("-–•").strip().rstrip(";.,").strip() for r in recipients]
    lines = [x for x in lines if x]
    if not any(x.casefold().startswith("lưu") for x in lines):
        lines.append("Lưu: VT")
    return [f"- {x}{'.' if n == len(lines) - 1 else ';'}" for n, x in enumerate(lines)]


def check_sheet_data(sub: Submission, findings: list[Finding], unit_title: str,
                     period_label: str) -> dict:
    """What the check sheet prints: each finding with the workbook place to fix it."""
    from cchc_lib.workbook import place_of

    rows = []
    for f in findings:
        place = place_of(f.where, sub)
        rows.append({
            "severity": f.severity, "label": SEVERITY_LABELS[f.severity], "rule": f.rule,
            "place": f.place, "message": f.message,
            "found": _shown(f.found), "expected": _shown(f.expected),
            "sheet": place.sheet if place else "", "cell": (place.cell or "") if place else "",
            "row": place.row if place else None, "stt": place.stt if place else "",
            "title": place.title if place else "", "column": place.column if place else "",
        })
    return {"unit": unit_title, "unit_code": sub.unit_code, "period": sub.period,
            "period_label": period_label, "illustrative": sub.illustrative,
            "counts": count_by_severity(findings), "rows": rows}


def _shown(x) -> str:
    if x is None:
        return ""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return fmt_number(x)
    return str(x)


def load_commune_report(unit: str = "24622", period: str = "2024-H1", *,
                        source: str = "sample", store: str | Path | None = None,
                        workbook: str | Path | None = None,
                        show_checks: bool = False) -> CommuneReport:
    """Everything the commune report notebook shows, for one unit and period.

    The data (and, from the store, the unit's earlier periods for the trend chart) come
    through :class:`cchc_lib.sources.SubmissionRef`, the one place that knows a report's
    sources.
    """
    from cchc_lib.sources import SubmissionRef

    ref = SubmissionRef.for_report(unit, period, source=source, store=store, workbook=workbook)
    loaded = ref.load()
    return CommuneReport(loaded.sub, loaded.unit, loaded.period, history=loaded.history,
                         show_checks=show_checks, baselines=loaded.baselines)
