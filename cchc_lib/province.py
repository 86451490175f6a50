"""The province's consolidated report: its own BÁO CÁO, Nghị định 30/2020 layout, written from
the roll-up of its communes' reports for one period.

What ``notebooks/province_report.ipynb`` shows, part by part (the same parts the commune report
displays, so that the exporter makes the HTML, the PDF and the DOCX built for Word): the header
of the issuer (UBND tỉnh or Sở Nội vụ; before 1 July 2025 UBND huyện or Phòng Nội vụ), Kính gửi,
sections I–V, the signature and PHỤ LỤC SỐ 01 rolled up over the units.

Every figure comes from :func:`cchc_lib.rollup.rollup` and :mod:`cchc_lib.rates`; every printed
rate is printed beside its own done/total, summed over the same units, with the number of those
units (never the mean of the units' rates).  The text the province writes itself comes from its
own file (:mod:`cchc_lib.province_text`); the wording and the layout from
``data/province_report.yaml``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from cchc_lib import periods, rollup, units
from cchc_lib.catalogue import Catalogue, display_stt, catalogue_for
from cchc_lib.checks import count_by_severity, rules, run_checks
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_long, fmt_date_short, fmt_number, fmt_percent
from cchc_lib.html import Html, render_template
from cchc_lib.model import Indicator, Period, Submission, Unit
from cchc_lib.overview import table_part, unit_list_table
from cchc_lib.parts import Part
from cchc_lib.province_text import ProvinceText, layout
from cchc_lib.rates import figure, is_number, percent, rate_fraction
from cchc_lib.report import recipient_lines
from cchc_lib.textparse import parse_date_text

__all__ = ["ProvinceReport", "load_province_report", "fraction_text"]


def _word(unit: str) -> str:
    """A unit of measure mid-sentence: ``Hồ sơ`` → ``hồ sơ``, ``TTHC`` stays."""
    if len(unit) > 1 and unit[1].islower():
        return unit[0].lower() + unit[1:]
    return unit


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def fraction_text(num, den, unit: str = "") -> str:
    """``55/72 nhiệm vụ (76,4%)``: a rate always printed with its own fraction."""
    word = f" {_word(unit)}" if unit else ""
    return f"{fmt_number(num)}/{fmt_number(den)}{word} ({fmt_percent(percent(num, den, 1), 1)})"


def _wrap(html: str) -> Html:
    return Html(f'<div class="cchc-report">{html}</div>')


@dataclass
class ProvinceReport:
    """One parent's consolidated report for one period."""

    parent: Unit
    period: Period
    expected: list[Unit]
    subs: list[Submission]
    text: ProvinceText = field(default_factory=ProvinceText)
    cat: Catalogue | None = None  # None: the version in force for the period

    def __post_init__(self) -> None:
        if self.cat is None:
            self.cat = catalogue_for(self.period)
        self.names = units.titles(self.expected, (s.unit_code for s in self.subs))
        self.subs = sorted(self.subs, key=lambda s: s.unit_code)
        self.findings = {s.unit_code: run_checks(s, self.cat, peers=self.subs)
                         for s in self.subs}
        self.frame = (rollup.rollup(self.subs, self.cat).set_index("code") if self.subs
                      else None)
        self.layout = layout()
        self.issuer_key = self._issuer_key()
        self.issuer = self.layout["issuers"][self.issuer_key]
        up = units.parent(self.parent)
        self.fill = {"name": self.parent.name,
                     "NAME": unicodedata.normalize("NFC", self.parent.name.upper()),
                     "title": units.unit_title(self.parent),
                     "up": units.unit_title(up) if up else "",
                     "period_label": periods.label(self.period)}
        self.fill["body"] = self.issuer["body"].format(**self.fill)

    def _issuer_key(self) -> str:
        level = "province" if self.parent.level == "province" else "district"
        key = self.text.issuer or self.layout["default_issuer"][level]
        if level not in self.layout["issuers"][key]["levels"]:
            raise CchcError(f"{self.text.origin or 'Lời văn'}: issuer {key!r} không ban hành báo "
                            f"cáo cho {units.unit_title(self.parent)} (đơn vị {level})")
        return key

    def _f(self, template: str, **more) -> str:
        return template.format(**self.fill, **more)

    # -- the parts, in reading order --------------------------------------------------------
    def banner(self) -> Html:
        """A box that says the figures are illustrative; empty for real data."""
        made_up = [s.unit_code for s in self.subs if s.illustrative]
        if not made_up:
            return Html("")
        text = (f"DỮ LIỆU MINH HỌA — số liệu của {len(made_up)}/{len(self.subs)} đơn vị trong "
                "báo cáo này do chương trình tạo ra để chạy thử, không phải số liệu thật.")
        return Part(_wrap(render_template("banner.html.j2", text=text)), "banner", text=text)

    def header(self) -> Html:
        """The issuer's two-column header, the number and date line, the title and subject."""
        t = self.text
        organ = [self._f(x) for x in self.issuer["organ"]]
        day = parse_date_text(t.report_date).day if t.report_date else None
        place = t.place or self.parent.name
        place_date = (f"{place}, {fmt_date_long(day)}" if day
                      else f"{place}, ngày … tháng … năm {periods.deadline(self.period).year}")
        data = {"superior": self._f(self.issuer["superior"]) or None, "organ_1": organ[0],
                "organ_2": organ[1] if len(organ) > 1 else "", "number": t.report_number,
                "symbol": t.report_symbol or self.issuer["symbol"], "place_date": place_date,
                "doc_type": "BÁO CÁO", "subject": t.title or self._f(self.layout["subject"])}
        return Part(_wrap(render_template("header.html.j2", **data)), "header", **data)

    def addressee(self) -> Html:
        """Kính gửi (a report sent upward): one recipient on the line, several one per line."""
        names = list(self.text.addressee) or [self._f(x) for x in self.issuer["addressee"]]
        names = [n.strip().lstrip("-").strip().rstrip(";.,") for n in names if n.strip()]
        lines = names if len(names) == 1 else [
            f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]
        return Part(_wrap(render_template("addressee.html.j2", lines=lines)), "addressee",
                    lines=lines)

    def opening(self) -> Html:
        """The sentence that says what the report is and what it is made from."""
        text = " ".join(self._f(self.layout["opening"]).split())
        return Part(_wrap(f"<p>{escape(text)}</p>"), "paragraph", text=text)

    def section(self, key: str) -> Html:
        """A section: its heading, the province's own text, then the sentences from figures."""
        sec = next((s for s in self.layout["sections"] if s["key"] == key), None)
        if sec is None:
            raise CchcError(f"Không có mục {key!r} trong bố cục báo cáo tổng hợp")
        level = sec["level"]
        heading = (f"{key}. {sec['heading']}" if level == 1
                   else f"{key.split('.')[-1]}. {sec['heading']}")
        paragraphs = [{"text": t, "generated": False} for t in self.text.sections.get(key, ())]
        generated = [self._sentence(self.cat[c]) for c in sec.get("codes", ())]
        if sec.get("generated"):
            generated += getattr(self, f"_{sec['generated']}_sentences")()
        paragraphs += [{"text": t, "generated": True} for t in generated if t]
        missing = ""
        if sec.get("free") and not self.text.sections.get(key):
            missing = self._f(self.layout["missing_text"], key=key)
        html = _wrap(render_template("section.html.j2", level=level, heading=heading,
                                     paragraphs=paragraphs, missing=missing))
        return Part(html, "section", key=key, level=level, heading=heading,
                    paragraphs=[p["text"] for p in paragraphs], missing=missing)

    def missing_units(self) -> Html:
        """The units that have not sent their report, as a compact table (empty: none)."""
        done = {s.unit_code for s in self.subs}
        missing = [u for u in self.expected if u.code not in done]
        if not missing:
            return Html("")
        return unit_list_table(missing, intro=f"Các đơn vị chưa gửi báo cáo ({len(missing)}):")

    def checks_table(self, top: int = 8) -> Html:
        """The rules the units' reports broke most often: how many units, how many errors."""
        by_rule: Counter = Counter()
        units_by_rule: dict[str, set] = {}
        for code, found in self.findings.items():
            for f in found:
                if f.severity != "error":
                    continue
                by_rule[f.rule] += 1
                units_by_rule.setdefault(f.rule, set()).add(code)
        if not by_rule:
            return Html("")
        ranked = sorted(by_rule, key=lambda r: (-len(units_by_rule[r]), -by_rule[r], r))[:top]
        titles = rules()
        rows = [[titles[r].title if r in titles else r, r, len(units_by_rule[r]), by_rule[r]]
                for r in ranked]
        return table_part(["Lỗi", "Mã quy tắc", "Số đơn vị", "Số lỗi"], rows, numeric={2, 3},
                      intro="Các lỗi thường gặp trong báo cáo của các đơn vị:")

    def signature(self) -> Html:
        """The closing sentence, Nơi nhận and the signature block."""
        t = self.text
        recipients = list(t.recipients) or [self._f(x) for x in self.issuer["recipients"]]
        data = {"closing": " ".join(self._f(self.layout["closing"]).split()),
                "recipients": recipient_lines(recipients),
                "authority": list(t.authority) or list(self.issuer["authority"]),
                "signer": t.signer_name or "…"}
        return Part(_wrap(render_template("signature.html.j2", **data)), "signature", **data)

    def appendix(self) -> Html:
        """PHỤ LỤC SỐ 01 rolled up over the units, with the number of units behind each row."""
        t = self.text
        day = parse_date_text(t.report_date).day if t.report_date else None
        attached = (f"Kèm theo Báo cáo số {t.report_number or '…'}/"
                    f"{t.report_symbol or self.issuer['symbol']} "
                    f"{fmt_date_long(day) if day else 'ngày … tháng … năm …'} của "
                    f"{self.fill['body']}")
        rows = [self._appendix_row(ind) for ind in self.cat if ind.section == "appendix"]
        note = (f"Tổng hợp từ báo cáo của {len(self.subs)}/{len(self.expected)} đơn vị cấp xã "
                "đã gửi. Cột \"Số đơn vị\": số đơn vị có số liệu được cộng ở dòng đó. Với dòng "
                "có tỷ lệ, số liệu tổng và số đã thực hiện là tổng của đúng các đơn vị đó, và "
                "tỷ lệ (%) = số đã thực hiện / số liệu tổng (không lấy trung bình các tỷ lệ).")
        data = {"label": "PHỤ LỤC SỐ 01", "title": self.layout["appendix_title"],
                "attached": attached, "rows": rows, "note": note}
        return Part(_wrap(render_template("province_appendix.html.j2", **data)),
                    "rollup_appendix", **data)

    def figures(self) -> Part:
        """The key figures, as data only, for the batch's index page."""
        errors = sum(count_by_severity(f)["error"] for f in self.findings.values())
        return Part(Html(""), "figures", submitted=len(self.subs), expected=len(self.expected),
                    errors=errors, illustrative=any(s.illustrative for s in self.subs))

    # -- sentences ----------------------------------------------------------------------------
    def _row(self, code: str):
        if self.frame is None or code not in self.frame.index:
            return None
        return self.frame.loc[code]

    def _sentence(self, ind: Indicator) -> str:
        """One catalogue row's roll-up in a sentence ("" when no unit reported it)."""
        r = self._row(ind.code)
        if r is None:
            return ""
        title = ind.title.rstrip(" .:")
        if ind.kind == "enum":
            dist = r["distribution"] or {}
            if not dist:
                return ""
            parts = "; ".join(f"{ind.coding.get(int(v), fmt_number(v))}: {n} đơn vị"
                              for v, n in sorted(dist.items(), key=lambda kv: -kv[1]))
            return f"{title}: {parts}."
        if ind.kind == "percent":
            return ""
        if r["rate_units"]:
            text = f"{title}: {fraction_text(r['rate_num'], r['rate_den'], ind.unit)}"
            if ind.rate == "ratio" and ind.rate_of:
                text += f" so với {_lower_first(self.cat[ind.rate_of].title)}"
            elif ind.code in self.layout["suffixes"]:
                text += f" {self.layout['suffixes'][ind.code]}"
            return f"{text}, theo số liệu của {int(r['rate_units'])} đơn vị."
        figures = [f for f in (figure(s.value(ind.code)) for s in self.subs) if is_number(f)]
        if not figures:
            return ""
        word = f" {_word(ind.unit)}" if ind.unit else ""
        return (f"{title}: {fmt_number(sum(figures))}{word}, theo số liệu của "
                f"{len(figures)} đơn vị.")

    def _reporting_sentences(self) -> list[str]:
        n, total = len(self.subs), len(self.expected)
        due = fmt_date_short(periods.deadline(self.period))
        out = [f"Thời hạn gửi báo cáo {periods.label(self.period)} là ngày {due}. Đến ngày lập "
               f"báo cáo, {fraction_text(n, total, 'đơn vị cấp xã') if total else n} thuộc "
               f"{units.unit_title(self.parent)} đã gửi báo cáo."]
        if total - n > 0:
            out.append(f"Còn {total - n} đơn vị chưa gửi báo cáo (danh sách dưới đây); các số "
                       f"liệu tổng hợp trong báo cáo này chỉ gồm {n} đơn vị đã gửi.")
        return out

    def _compare_sentences(self) -> list[str]:
        if len(self.subs) < 2:
            return [f"Chưa đủ báo cáo để so sánh giữa các đơn vị ({len(self.subs)} đơn vị đã "
                    "gửi)."]
        out = []
        for code, label in self.layout["compare"].items():
            r = self._row(code)
            ranked = rollup.rank(self.subs, code, cat=self.cat)
            ranked = ranked[ranked["value"].notna()]
            if r is None or not r["rate_units"] or len(ranked) < 2:
                out.append(f"{label}: chưa đủ số liệu để so sánh (dưới 2 đơn vị có số liệu).")
                continue
            ind = self.cat[code]
            overall = fraction_text(r["rate_num"], r["rate_den"], ind.unit)
            if ranked["value"].nunique() == 1:
                out.append(f"{label}: chung {overall} trên {int(r['rate_units'])} đơn vị có số "
                           "liệu; các đơn vị có cùng tỷ lệ.")
                continue
            out.append(f"{label}: chung {overall} trên {int(r['rate_units'])} đơn vị có số "
                       f"liệu; cao nhất {self._ends(ranked, ind, best=True)}; thấp nhất "
                       f"{self._ends(ranked, ind, best=False)}.")
        return out

    def _ends(self, ranked: pd.DataFrame, ind: Indicator, *, best: bool) -> str:
        """The units at one end of a ranking, each with its own fraction; ties said as such."""
        k = int(self.layout.get("compare_names", 3))
        frame = ranked if best else ranked.iloc[::-1]
        end_value = frame["value"].iloc[0]
        tied = frame[frame["value"] == end_value]
        # a large tie is named as such; otherwise up to k units, never more than half of them
        shown = tied.head(k) if len(tied) > k else frame.head(min(k, max(1, len(frame) // 2)))
        subs = {s.unit_code: s for s in self.subs}
        names = []
        for code in shown["unit_code"]:
            num, den = rate_fraction(subs[code], ind, self.cat)
            names.append(f"{self.names.get(code, code)} {fraction_text(num, den, ind.unit)}")
        text = ", ".join(names)
        if len(tied) > k:  # each with its own fraction, so no bare rate is printed for them
            text += f" và {len(tied) - k} đơn vị khác cùng tỷ lệ"
        return text

    def _checks_sentences(self) -> list[str]:
        if not self.subs:
            return ["Chưa có báo cáo nào để kiểm tra."]
        counts = {c: count_by_severity(f) for c, f in self.findings.items()}
        with_errors = [c for c, n in counts.items() if n["error"]]
        errors = sum(n["error"] for n in counts.values())
        warnings = sum(n["warning"] for n in counts.values())
        out = [f"Chương trình đã kiểm tra số liệu, ngày tháng và văn bản được dẫn trong "
               f"{len(self.subs)} báo cáo đã gửi: {len(with_errors)} báo cáo có lỗi "
               f"(tổng cộng {errors} lỗi), {warnings} cảnh báo."]
        if with_errors:
            worst = sorted(with_errors, key=lambda c: (-counts[c]["error"], c))[:5]
            out.append("Các đơn vị có nhiều lỗi nhất: " + ", ".join(
                f"{self.names.get(c, c)} ({counts[c]['error']} lỗi)" for c in worst) + ".")
        out.append("Số liệu tổng hợp lấy đúng như các đơn vị đã báo cáo; mọi tỷ lệ trong báo cáo "
                   "này được tính lại từ tổng số đã thực hiện và tổng số của cùng các đơn vị, "
                   "không lấy trung bình các tỷ lệ. Mỗi báo cáo của đơn vị có phiếu kiểm tra số "
                   "liệu riêng nêu từng sai sót và chỗ cần sửa.")
        return out

    # -- the appendix ------------------------------------------------------------------------
    def _appendix_row(self, ind: Indicator) -> dict:
        row = {"printed": display_stt(ind), "title": ind.title, "unit": ind.unit,
               "group": ind.is_group, "total": "", "done": "", "rate": "", "units": "",
               "note": ""}
        r = None if ind.is_group else self._row(ind.code)
        if r is None:
            return row
        if ind.kind == "enum":
            dist = r["distribution"] or {}
            row["units"] = fmt_number(sum(dist.values())) if dist else ""
            row["note"] = "; ".join(f"{ind.coding.get(int(v), fmt_number(v))}: {n}"
                                    for v, n in sorted(dist.items()))
            return row
        if ind.kind == "percent":
            dist = r["distribution"] or {}
            if dist:
                low, high = min(dist), max(dist)
                row["units"] = fmt_number(sum(dist.values()))
                row["note"] = (f"các đơn vị ghi {fmt_percent(low, 2)}" if low == high else
                               f"từ {fmt_percent(low, 2)} đến {fmt_percent(high, 2)}")
            return row
        if r["rate_units"]:
            row["total"] = fmt_number(r["rate_den"])
            row["done"] = fmt_number(r["rate_num"])
            row["rate"] = fmt_number(percent(r["rate_num"], r["rate_den"], 1))
            row["units"] = fmt_number(int(r["rate_units"]))
            others = int(r["units"]) - int(r["rate_units"])
            if others > 0:
                row["note"] = f"{others} đơn vị khác ghi thiếu số liệu, không cộng vào dòng này"
            return row
        totals = [s.value(ind.code).total for s in self.subs if s.value(ind.code) is not None
                  and is_number(s.value(ind.code).total)]
        dones = [s.value(ind.code).done for s in self.subs if s.value(ind.code) is not None
                 and is_number(s.value(ind.code).done)]
        row["total"] = fmt_number(sum(totals)) if totals else ""
        row["done"] = fmt_number(sum(dones)) if dones else ""
        if totals and dones and len(totals) != len(dones):
            row["note"] = (f"số liệu tổng: {len(totals)} đơn vị; số đã thực hiện: "
                           f"{len(dones)} đơn vị")
        row["units"] = fmt_number(max(len(totals), len(dones))) if totals or dones else ""
        return row


def load_province_report(parent: str = "661", period: str = "2024-H1", *,
                         store: str | Path | None = None, text_file: str | Path | None = None,
                         text_data: str | None = None) -> ProvinceReport:
    """Everything the consolidated report shows: the communes' reports from the store (through
    :class:`cchc_lib.sources.DistrictRef`) and the province's own text, given as the JSON the
    batch made of its file (``text_data``) or, when run by hand, as the file itself."""
    from cchc_lib.province_text import load_province_text, province_text_from_json
    from cchc_lib.sources import DistrictRef

    if text_data:
        text = province_text_from_json(text_data, origin=str(text_file or "province_text"))
    elif text_file:
        text = load_province_text(text_file)
    else:
        text = ProvinceText()
    d = DistrictRef.for_overview(parent, period, store=store).load()
    return ProvinceReport(d.parent, d.period, d.expected, d.subs, text=text)
