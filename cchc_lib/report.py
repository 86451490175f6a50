"""The commune report: what the notebook shows, section by section, as HTML and charts.

:func:`load_commune_report` finds the submission (the shipped sample, the store
or a workbook), runs the calculations and checks once, and returns a
:class:`CommuneReport` whose methods each give one part of the report in the
official layout (Nghị định 30/2020/NĐ-CP).  The HTML comes from Jinja2
templates with autoescaping on, so text a commune typed is always shown as
text, never interpreted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, select_autoescape

from cchc_lib import calc, charts, narrative, periods, units
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.checks import count_by_severity, run_checks
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_long, fmt_number
from cchc_lib.model import Finding, Period, Submission, Unit
from cchc_lib.sections import report_sections
from cchc_lib.textparse import parse_date_text

__all__ = ["Html", "CommuneReport", "load_commune_report", "load_submission", "render_template",
           "MISSING", "SEVERITY_LABELS", "style"]

MISSING = "chưa có số liệu"
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "note": "Ghi chú"}
SOURCES = ("sample", "store", "workbook")


class Html(str):
    """A piece of HTML that a notebook displays as HTML (and a str everywhere else)."""

    def _repr_html_(self) -> str:
        return str(self)


def _load_template(name: str) -> str:
    return resources.files("cchc_lib").joinpath(f"templates/{name}").read_text("utf-8")


@cache
def _env() -> Environment:
    return Environment(loader=FunctionLoader(_load_template),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=False)


def render_template(name: str, **context) -> Html:
    """Render one of the package's templates, escaping every value."""
    return Html(_env().get_template(name).render(**context))


def style() -> Html:
    """The report's stylesheet, to display once at the top of a notebook."""
    return Html(f"<style>{_load_template('report.css')}</style>")


def load_submission(unit: str, period: str, *, source: str = "sample",
                    store: str | Path | None = None,
                    workbook: str | Path | None = None) -> tuple[Submission, Unit, Period]:
    """Find one unit's submission for a period; a clear Vietnamese error when there is none."""
    if source not in SOURCES:
        raise CchcError(f"Nguồn dữ liệu {source!r} không hợp lệ; chọn một trong {SOURCES}")
    p = periods.parse_period(period)
    era = units.era_for(p.last_day)
    u = units.find_unit(str(unit), era=era)
    if source == "sample":
        from cchc_lib.serialize import load_sample

        sub = load_sample()
    elif source == "workbook":
        if not workbook:
            raise CchcError("Nguồn 'workbook' cần đường dẫn sổ tính (tham số workbook)")
        from cchc_lib.reader import read_file

        subs = [r.submission for r in read_file(Path(workbook))]
        sub = next((s for s in subs if s.unit_code == u.code and s.period == p.key), None)
        if sub is None:
            raise CchcError(f"Tệp {workbook} không có báo cáo của {units.unit_title(u)} "
                            f"({u.code}) kỳ {p.key}")
    else:
        from cchc_lib.store import open_store

        with open_store(store) as st:
            sub = st.load(u.code, p.key)
    if (sub.unit_code, sub.period) != (u.code, p.key):
        raise CchcError(f"Dữ liệu mẫu là của đơn vị {sub.unit_code} kỳ {sub.period}, không phải "
                        f"{units.unit_title(u)} ({u.code}) kỳ {p.key}")
    return sub, u, p


def _history(store: str | Path | None, sub: Submission, era: str) -> list[Submission]:
    """Earlier submissions of the same unit in the store (same era), oldest first."""
    from cchc_lib.store import open_store

    with open_store(store) as st:
        infos = st.latest(unit_codes=[sub.unit_code])
        out = []
        for info in infos:
            p = periods.parse_period(info.period)
            if units.era_for(p.last_day) == era and info.period != sub.period:
                out.append(st.load(sub.unit_code, info.period))
    return out


@dataclass
class CommuneReport:
    """One commune's report for one period: data, checks and every part of the layout."""

    sub: Submission
    unit: Unit
    period: Period
    cat: Catalogue = field(default_factory=default_catalogue)
    history: list[Submission] = field(default_factory=list)
    show_checks: bool = True

    def __post_init__(self) -> None:
        self.findings: list[Finding] = run_checks(self.sub, self.cat)
        self.unit_title = units.unit_title(self.unit)
        self.period_label = periods.label(self.period)

    # -- the parts, in reading order --------------------------------------------------------
    def banner(self) -> Html:
        """A box that says the figures are illustrative; empty for real data."""
        if not self.sub.illustrative:
            return Html("")
        return Html('<div class="cchc-report"><div class="banner">DỮ LIỆU MINH HỌA — các số '
                    "liệu trong báo cáo này do chương trình tạo ra để chạy thử, không phải số "
                    "liệu thật của đơn vị.</div></div>")

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
        return self._wrap(render_template(
            "header.html.j2", superior=units.superior_short(self.unit),
            organ_1=f"{organ_1} NHÂN DÂN", organ_2=organ_2, number=h.report_number,
            symbol=h.report_symbol or "BC-UBND", place_date=place_date, subject=subject))

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
        return self._wrap(render_template("section.html.j2", level=sec.level, heading=heading,
                                          paragraphs=paragraphs, missing=missing))

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
            if name == "trend":
                return Html("")  # no earlier periods in the store: nothing to say
            return self._wrap(Html(f'<p class="chart-missing">Biểu đồ: {MISSING}.</p>'))
        return fig

    def signature(self) -> Html:
        """The closing sentence, Nơi nhận and the signature block."""
        h = self.sub.header
        authority = [x for x in (h.signing_authority or "TM. ỦY BAN NHÂN DÂN",
                                 h.signing_capacity, h.signer_title or "CHỦ TỊCH") if x]
        return self._wrap(render_template(
            "signature.html.j2",
            closing=narrative.closing(self.sub, self.unit_title, self.period_label),
            recipients=[r.lstrip("- ").strip() for r in h.recipients] or ["Lưu: VT."],
            authority=authority, signer=h.signer_name or "…"))

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
            # The official form prints 1.1.1–1.1.3 twice; the report prints each row's own code.
            printed = ind.printed
            if re.fullmatch(r"[\d.]+", printed) and printed.rstrip(".") != ind.code:
                printed = f"{ind.code}."
            row = {"printed": printed, "title": ind.title, "unit": ind.unit,
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
        return self._wrap(render_template("appendix.html.j2", attached=attached, rows=rows))

    def checks(self) -> Html:
        """The final section "Kiểm tra số liệu": every finding with its place."""
        if not self.show_checks:
            return Html("")
        counts = count_by_severity(self.findings)
        summary = (f"Chương trình đã kiểm tra số liệu, ngày tháng và văn bản được dẫn trong báo "
                   f"cáo: {counts['error']} lỗi, {counts['warning']} cảnh báo, {counts['note']} "
                   "ghi chú. Các tỷ lệ trong báo cáo này đã được tính lại từ số liệu.")
        rows = [{"severity": f.severity, "label": SEVERITY_LABELS[f.severity], "rule": f.rule,
                 "place": f.place, "message": f.message} for f in self.findings]
        return self._wrap(render_template("findings.html.j2", rows=rows, summary=summary))

    def key_figures(self) -> dict[str, object]:
        """A few headline figures for an index page: rates computed, errors counted."""
        d = calc.dossiers(self.sub, self.cat)
        tasks = calc.plan_tasks(self.sub, self.cat)
        return {"unit": self.unit_title, "unit_code": self.unit.code, "period": self.period.key,
                "on_time_rate": d.on_time_rate if d.on_time_rate is not None
                else calc.computed_rate(self.sub, "3.4.1", self.cat, digits=1),
                "tasks_rate": tasks.rate, "errors": count_by_severity(self.findings)["error"],
                "illustrative": self.sub.illustrative}

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
        return charts.trend_chart(history, series)


def load_commune_report(unit: str = "24622", period: str = "2024-H1", *,
                        source: str = "sample", store: str | Path | None = None,
                        workbook: str | Path | None = None,
                        show_checks: bool = True) -> CommuneReport:
    """Everything the commune report notebook shows, for one unit and period."""
    sub, u, p = load_submission(unit, period, source=source, store=store, workbook=workbook)
    history = _history(store, sub, units.era_for(p.last_day)) if source == "store" else []
    return CommuneReport(sub, u, p, history=history, show_checks=show_checks)
