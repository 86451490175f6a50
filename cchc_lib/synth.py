"""Illustrative submissions: made-up, plausible and *consistent* figures for demos and benchmarks.

Nothing here is real data.  Every submission is marked ``illustrative=True``, its ``source`` says so
and every paragraph of its free text begins with ``[Dữ liệu minh họa]``.

The figures are built to pass the checks: counts whole and ≥ 0, done ≤ total, typed rates equal to
``round_half_up(done / total * 100, 1)`` (a ratio row's rate against its ``rate_of`` row's total),
parts within their whole and adding up where the catalogue says ``parts_sum: eq``, ``same_as`` rows
equal, coded values inside their coding.  A fraction whose percent would fall exactly on a rounding
tie (``1/16`` = 6,25%) is avoided, so that any reasonable rounding of the fraction gives the typed
rate.  About one appendix row in ten is left blank, never a whole whose parts are filled.

Determinism: a submission depends only on ``(seed, unit.code, period)`` (and the unit's era, since
codes repeat across eras: 24616 is xã Quảng Sơn in both).  Three generators are
seeded from SHA-256 (never Python's salted ``hash``): one per unit (size, staff, signer), one per
unit and year (plan, budget estimate, staff quota) and one per unit and period
(``f"{seed}:{unit.code}:{period}"``) for the rest, so that the same unit drifts plausibly across
periods: counts of the cumulative periods grow from quý I to 6 tháng, 9 tháng and năm.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Callable

import yaml

from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_short, round_half_up
from cchc_lib.model import Document, Header, Period, Submission, Unit, Value
from cchc_lib.narrative import directions_period
from cchc_lib.periods import cutoff_window, deadline, first_day, label, last_day, parse_period
from cchc_lib.units import ERAS, all_units, children, era_for, get_unit, parent, unit_title

__all__ = ["SOURCE", "MARK", "synth_submission", "synth_units", "synth_batch"]

SOURCE = "Dữ liệu minh họa do cchc synth tạo ra — không phải số liệu thật của đơn vị"
MARK = "[Dữ liệu minh họa]"

#: Default parents: the seed's historic district (7 communes) and, since 2025, tỉnh Lâm Đồng
#: (124 communes, wards and a special zone), which now includes the seed's former tỉnh Đắk Nông.
DEFAULT_PARENT = {"2008": "661", "2025": "68"}

_BLANK_SHARE = 0.10  # share of appendix rows left blank


@dataclass(frozen=True)
class _Text:
    """The text pools of ``data/synth_text.yaml``; order matters to the seeded choices."""

    doc_symbols: dict[str, str]  # type word ↔ symbol (Nghị định 30, Phụ lục III)
    doc_templates: tuple[tuple[str, str, str], ...]  # (type word, section citing it, summary)
    paragraphs: dict[str, tuple[str, ...]]  # generic paragraphs by section, without figures
    family_names: tuple[str, ...]
    given_names: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (middles, givens)
    recipients_upper: dict[str, tuple[str, ...]]  # by era
    recipients_common: tuple[str, ...]
    posts: tuple[str, ...]  # posts of a commune's civil servants (Nghị định 33/2023/NĐ-CP)
    dossier_sources: tuple[str, ...]  # where dossier figures are counted
    estimate_basis: str  # who sets the budget estimate; {kind}
    staff_basis: str  # summary of the superior's decision the staff figures follow; {body}, {year}


@cache
def _text() -> _Text:
    """The shipped text pools, loaded once."""
    raw = yaml.safe_load(
        resources.files("cchc_lib").joinpath("data/synth_text.yaml").read_text("utf-8"))
    return _Text(
        doc_symbols=dict(raw["doc_symbols"]),
        doc_templates=tuple(tuple(t) for t in raw["doc_templates"]),
        paragraphs={key: tuple(pool) for key, pool in raw["paragraphs"].items()},
        family_names=tuple(raw["family_names"]),
        given_names=tuple((tuple(g["middle"]), tuple(g["given"])) for g in raw["given_names"]),
        recipients_upper={era: tuple(r) for era, r in raw["recipients"]["upper"].items()},
        recipients_common=tuple(raw["recipients"]["common"]),
        posts=tuple(raw["posts"]),
        dossier_sources=tuple(raw["dossier_sources"]),
        estimate_basis=raw["estimate_basis"],
        staff_basis=raw["staff_basis"],
    )


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def _rng(*parts: object) -> random.Random:
    """A generator seeded from the SHA-256 of ``"p1:p2:…"`` (stable across runs)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _clean(num: int, den: int) -> bool:
    """True unless ``num/den`` as a percent lies exactly on a tie at one decimal (6,25%)."""
    frac = Fraction(num * 1000, den)
    return frac - (frac.numerator // frac.denominator) != Fraction(1, 2)


def _rate(num: int, den: int) -> float:
    return round_half_up(num / den * 100, 1)


def _nearest(target: int, lo: int, hi: int, ok: Callable[[int], bool]) -> int:
    """The integer in ``[lo, hi]`` nearest ``target`` for which ``ok`` holds (else ``target``)."""
    target = min(max(target, lo), hi)
    for step in range(0, min(hi - lo, 1000) + 1):
        for k in (target - step, target + step):
            if lo <= k <= hi and ok(k):
                return k
    return target


def _share(rng: random.Random, whole: int, lo: float, hi: float) -> int:
    """A whole part of ``whole`` between the shares ``lo`` and ``hi``."""
    return min(whole, max(0, round(whole * rng.uniform(lo, hi))))


def _working_days(start: date, end: date) -> list[date]:
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5] or days


def _number(n: int) -> str:
    """A document number as printed: zero-padded below 10 (``05``)."""
    return f"{n:02d}"


def _next_label(p: Period) -> str:
    """The period the report's "phương hướng nhiệm vụ" looks ahead to, with its year: the
    closing's (:func:`cchc_lib.narrative.directions_period`), so that title and closing agree."""
    ahead = directions_period(p)
    return ahead if re.search(r"\d{4}$", ahead) else f"{ahead} {p.year}"


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

class _Figures:
    """Builds the values of one submission in catalogue-dependency order."""

    def __init__(self, unit: Unit, p: Period, seed: int, rng: random.Random):
        self.cat = default_catalogue()
        self.rng = rng
        self.values: dict[str, Value] = {}
        self.p = p
        big = unit.era == "2025"  # communes merged in 2025 are larger
        prof = _rng(seed, unit.code, unit.era, "unit")
        yr = _rng(seed, unit.code, unit.era, p.year)
        trend = 1 + 0.04 * (p.year - 2024)
        # Window length (flows) and year-to-date share (plans, budget).
        self.months = {"Q": 3, "H1": 6, "9M": 9, "Y": 12}[p.kind]
        self.progress = last_day(p).month / 12
        self.dossiers_month = prof.uniform(60, 140) * (2.2 if big else 1) * trend
        self.news_month = prof.uniform(8, 20) * (1.5 if big else 1)
        self.docs_month = prof.uniform(2, 4) * (1.3 if big else 1)
        self.out_month = prof.uniform(20, 45) * (2.0 if big else 1) * trend
        self.e_share = prof.uniform(0.65, 0.9)
        self.per_month = {"1.3.1": prof.uniform(1, 3), "2.3": prof.uniform(1, 3),
                          "3.1.1": prof.uniform(1, 4), "3.1.2": prof.uniform(0.5, 3),
                          "S.2.3": prof.uniform(0.3, 0.7)}
        self.tthc = round(prof.uniform(280, 380) if big else prof.uniform(100, 140))
        self.enum_base = {c: prof.randint(0, len(self.cat[c].coding) - 1)
                          for c in ("7.1", "7.2", "7.3", "7.5")}
        self.survey_form = prof.randint(0, 2)
        self.quota = yr.randint(30, 42) if big else yr.randint(19, 23)
        self.vacant = yr.randint(0, 4)
        self.plan_tasks = round(yr.uniform(20, 60) * (1.5 if big else 1))
        self.inspections = yr.randint(2, 6)
        self.surveys = round(yr.uniform(50, 250) * (2 if big else 1))
        self.revenue = (yr.randint(6_000, 12_000) if big else yr.randint(3_000, 7_000)) * 10**6
        spending = int(round(self.revenue * yr.uniform(0.85, 1.15), -6))
        self.spending = min(12_000_000_000, max(3_000_000_000, spending))

    # --- writers -----------------------------------------------------------
    def row(self, code: str, total: int, done: int, as_of: str | None = None,
            hi: int | None = None) -> int:
        """A rate-"row" row: total ≥ 1, 0 ≤ done ≤ min(total, hi), typed rate; returns done.

        ``done`` moves by the least amount that keeps its percent off a rounding tie.
        """
        total = max(1, total)
        top = total if hi is None else max(0, min(total, hi))
        done = _nearest(done, 0, top, lambda k: _clean(k, total))
        self.values[code] = Value(code, total=total, done=done, rate=_rate(done, total),
                                  as_of=as_of)
        return done

    def ratio(self, code: str, figure: int) -> None:
        den = self.values[self.cat[code].rate_of].total
        self.values[code] = Value(code, total=figure, rate=_rate(figure, den))

    def count(self, code: str, total: int) -> None:
        self.values[code] = Value(code, total=max(0, total))

    def enum(self, code: str, value: int) -> None:
        value = min(max(value, 0), len(self.cat[code].coding) - 1)
        self.values[code] = Value(code, total=value, done=value)

    def flow(self, per_month: float) -> int:
        """A count over the period's window, ±10 %: cumulative periods grow over the year."""
        return max(1, round(per_month * self.months * self.rng.uniform(0.9, 1.1)))

    def plain(self, code: str, total: int, lo: float = 0.7, hi: float = 1.0) -> int:
        return self.row(code, total, _share(self.rng, total, lo, hi))

    def parts(self, whole_total: int, whole_done: int, n: int,
              first: tuple[float, float] = (0.6, 0.95)) -> list[int]:
        """``n`` clean figures against ``whole_total`` that add up to ``whole_done``."""
        figs = []
        left = whole_done
        for i in range(n - 1):
            lo, hi = first if i == 0 else (0, 1)
            target = _share(self.rng, left, lo, hi)
            k = _nearest(target, 0, left, lambda k, left=left: _clean(k, whole_total)
                         and _clean(left - k, whole_total))
            figs.append(k)
            left -= k
        return figs + [left]

    # --- the sections -----------------------------------------------------
    def build(self, cited: dict[str, int]) -> dict[str, Value]:
        r, p = self.rng, self.p
        # 1. Chỉ đạo điều hành
        done = self.row("1.1.1", self.plan_tasks,
                        round(self.plan_tasks * self.progress * r.uniform(0.8, 1.05)))
        self.ratio("1.1.2", done)
        # Directive documents: the ones cited and more, by type; at least 5 a quarter, so that
        # no cumulative period counts fewer than the 8 documents a report may cite.
        kinds = ("Công văn", "Báo cáo", "Kế hoạch", "Quyết định")
        n_docs = max(sum(cited.values()), self.flow(self.docs_month))
        docs = {t: cited.get(t, 0) for t in kinds}
        for t in r.choices(kinds, weights=(3, 2, 3, 2), k=n_docs - sum(docs.values())):
            docs[t] += 1
        planned = _nearest(n_docs + r.randint(0, 2), n_docs, n_docs + 20,
                           lambda t: _clean(n_docs, t))
        self.row("1.1.3", planned, n_docs)  # its figure is S.1's (same_as)
        self.row("1.2.1", self.inspections,
                 round(self.inspections * self.progress * r.uniform(0.8, 1.2)))
        issues = r.randint(1, 8)
        done = self.row("1.2.2", issues, _share(r, issues, 0.5, 1))
        self.ratio("1.2.3", done)
        assigned = self.flow(self.per_month["1.3.1"])
        done = self.row("1.3.1", assigned, _share(r, assigned, 0.8, 1))
        on_time, late = self.parts(assigned, done, 2)
        self.ratio("1.3.2", on_time)
        self.ratio("1.3.3", late)
        self.row("1.4.1", self.surveys, round(self.surveys * self.progress * r.uniform(0.7, 1.0)))
        self.enum("1.4.2", self.survey_form)
        dialogue = 1 if r.random() < 0.6 + 0.1 * self.months / 3 else 0
        self.enum("1.5", dialogue)
        # 2. Thể chế
        self.plain("2.1", r.randint(1, 3))
        self.plain("2.2", r.randint(1, 5))
        self.plain("2.3", self.flow(self.per_month["2.3"]), 0.9, 1)
        done = self.plain("2.4", r.randint(1, 4), 0.5, 1)
        self.ratio("2.5", done)
        # 3. Thủ tục hành chính
        self.plain("3.1.1", self.flow(self.per_month["3.1.1"]), 0.9, 1)
        self.plain("3.1.2", self.flow(self.per_month["3.1.2"]), 0.9, 1)
        in_force = self.tthc + r.randint(-5, 5)
        posted = self.row("3.1.3", in_force, _share(r, in_force, 0.95, 1))
        commune = in_force - r.randint(0, 8)
        self.row("3.1.4", commune, _share(r, commune, 0.95, 1), hi=posted)
        self.plain("3.2.1", in_force, 0.9, 1)
        self.plain("3.2.2", in_force, 0.6, 0.95)
        self.plain("3.3.1", r.randint(2, 12))
        self.plain("3.3.2", r.randint(2, 12))
        approved = self.plain("3.3.3", in_force, 0.85, 1)
        self.plain("3.3.4", approved, 0.6, 1)
        received_new = self.flow(self.dossiers_month)
        carried = round(received_new * r.uniform(0.03, 0.1))
        received = carried + received_new
        resolved = max(1, _share(r, received, 0.85, 0.98))
        on_time = _nearest(_share(r, resolved, 0.7, 1), -(-7 * resolved // 10), resolved,
                           lambda k: _clean(k, resolved) and _clean(resolved - k, resolved)
                           and _rate(k, resolved) + _rate(resolved - k, resolved) == 100.0)
        self.row("3.4.1", resolved, on_time)
        land = _share(r, resolved, 0.15, 0.35)
        self.row("3.4.2", land, _share(r, land, 0.55, 1))
        build = _share(r, resolved, 0.03, 0.1)
        self.row("3.4.3", build, _share(r, build, 0.7, 1))
        self.plain("3.5.1", in_force, 0.8, 1)
        self.plain("3.5.2", in_force, 0.3, 0.6)
        self.plain("3.5.3", in_force, 0.2, 0.4)
        self.plain("3.5.4", in_force, 0.2, 0.6)
        # 4. Tổ chức bộ máy
        self.row("4.2.1", self.quota, self.quota)
        present = self.row("4.2.2", self.quota, self.quota - self.vacant)
        contracts = r.randint(1, 5)
        self.plain("4.2.3", contracts, 0.8, 1)
        self.plain("4.2.4", r.randint(1, 2))
        self.values["4.2.5"] = Value("4.2.5", total=round_half_up(r.uniform(0, 12), 1))
        sn_quota = r.randint(2, 8)
        self.row("4.3.1", sn_quota, sn_quota)
        self.plain("4.3.2", sn_quota, 0.75, 1)
        self.plain("4.3.3", r.randint(1, 2))
        self.values["4.3.4"] = Value("4.3.4", total=round_half_up(r.uniform(0, 12), 1))
        # 5. Công vụ
        for code in ("5.1.1", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.3.1", "5.4.1"):
            self.plain(code, r.randint(1, 3), 0.5, 1)
        # 6. Tài chính công
        for code in ("6.1", "6.2", "6.3", "6.4", "6.5"):
            self.plain(code, r.randint(1, 3), 0.6, 1)
        # 7. Chính quyền điện tử, chính quyền số: things get done over the years
        for code, base in self.enum_base.items():
            self.enum(code, base + max(0, p.year - 2024))
        self.plain("7.4", present + contracts, 0.7, 1)
        out = self.flow(self.out_month)
        sent = self.row("7.6.2", out, _share(r, out, 0.92, 0.99))  # sent electronically
        e = self.e_share  # fully electronic, the rest electronic and on paper
        a, b = self.parts(out, sent, 2, (e - 0.02, e + 0.02))
        self.ratio("7.6.2.a", a)
        self.ratio("7.6.2.b", b)
        self.row("7.6.3", 1, 1)
        self.plain("7.7.1", in_force, 0.4, 0.8)
        self.plain("7.7.2", in_force, 0.2, 0.5)
        online3 = self.row("7.7.3", resolved, _share(r, resolved, 0.2, 0.5))
        self.row("7.7.4", resolved, _share(r, resolved - online3, 0.3, 0.9),
                 hi=resolved - online3)
        # S. Supplementary: what the narrative quotes
        self.count("S.1", n_docs)
        for code, kind in (("S.1.1", "Công văn"), ("S.1.2", "Báo cáo"), ("S.1.3", "Kế hoạch"),
                           ("S.1.4", "Quyết định")):
            self.count(code, docs[kind])
        news = self.flow(self.news_month)
        self.count("S.2.1", news)
        self.count("S.2.2", _share(r, news, 0.15, 0.4))
        self.count("S.2.3", self.flow(self.per_month["S.2.3"]) if dialogue else 0)
        self.count("S.3.1", received)
        self.count("S.3.2", carried)
        self.count("S.3.3", received_new)
        self.count("S.3.4", resolved)
        self.ratio("S.3.5", on_time)
        self.ratio("S.3.6", resolved - on_time)
        receivers = r.randint(2, 5)
        self.count("S.4.1", r.randint(2, 4))
        self.count("S.4.2", receivers)
        self.count("S.4.3", r.randint(1, 2))
        self.count("S.4.4", r.randint(1, receivers))
        self._budget()
        self._staff(present)
        self.count("S.7.1", r.randint(0, 1))
        self.count("S.7.2", r.randint(0, 2))
        return self.values

    def _budget(self) -> None:
        r, p = self.rng, self.p
        month = last_day(p).month - 1  # figures up to the end of the month before the last
        as_of = date(p.year, month + 1, 1) - timedelta(1)
        share = (as_of - date(p.year, 1, 1)).days / 365

        def achieved(estimate: int, lo: float, hi: float) -> int:
            done = round(estimate * share * r.uniform(lo, hi)) + r.randint(0, 999_999)
            return min(done, round(estimate * r.uniform(0.96, 1.0)))

        when = fmt_date_short(as_of)
        rev = self.row("S.5.1", self.revenue, achieved(self.revenue, 0.85, 1.15), when)
        own_est = int(round(self.revenue * r.uniform(0.1, 0.3), -6))
        self.row("S.5.2", own_est, achieved(own_est, 0.8, 1.4), when, hi=rev)
        self.row("S.5.3", self.spending, achieved(self.spending, 0.8, 1.1), when)

    def _staff(self, present: int) -> None:
        r = self.rng
        self.row("S.6.1", present, _share(r, present, 0.8, 1))
        self.row("S.6.2", present, present - r.randint(0, 1))
        university = self.row("S.6.3", present, _share(r, present, 0.75, 1))
        self.row("S.6.4", present, _share(r, present, 0, 0.15), hi=university)
        # political theory: the three levels are disjoint
        senior = self.row("S.6.7", present, _share(r, present, 0, 0.1))
        middle = self.row("S.6.6", present, _share(r, present - senior, 0.5, 0.8),
                          hi=present - senior)
        self.row("S.6.5", present, _share(r, present - senior - middle, 0, 1),
                 hi=present - senior - middle)


def _blank(values: dict[str, Value], rng: random.Random) -> dict[str, Value]:
    """Leave about one appendix row in ten blank, never one a filled row depends on."""
    cat = default_catalogue()
    keep = {"1.1.3", "3.4.1", "4.2.2"}  # tied to the supplementary figures and the narrative
    keep |= {i.same_as for i in cat if i.same_as} | {i.code for i in cat if i.same_as}
    blank = {i.code for i in cat.data_rows("appendix")
             if i.code not in keep and i.parts_sum != "eq" and rng.random() < _BLANK_SHARE}
    changed = True
    while changed:  # a whole (or a rate's denominator) stays while anything that needs it stays
        changed = False
        for i in cat.data_rows():
            if i.code in values and i.code not in blank:
                for need in (i.part_of, i.rate_of):
                    if need in blank:
                        blank.discard(need)
                        changed = True
    return {code: values[code] for code in cat.codes if code in values and code not in blank}


# ---------------------------------------------------------------------------
# Header, documents, text
# ---------------------------------------------------------------------------

def _documents(unit: Unit, p: Period, rng: random.Random, report_day: date,
               per_day: float) -> tuple[list[Document], int]:
    """3–8 documents of the unit, numbered in one register per year; and the report's number."""
    days = _working_days(first_day(p), report_day - timedelta(1))
    n = min(rng.randint(3, 8), len(days))
    text = _text()
    templates = rng.sample(text.doc_templates, n)
    docs, last = [], 0
    for day, (word, section, summary) in zip(sorted(rng.sample(days, n)), templates):
        expected = round(per_day * day.timetuple().tm_yday * rng.uniform(0.9, 1.1))
        last = max(last + 1, expected)
        docs.append(Document(type_word=word, number=_number(last), symbol=text.doc_symbols[word],
                             date=fmt_date_short(day), section=section,
                             summary=summary.format(year=p.year, kind=unit.kind)))
    report = max(last + 1, round(per_day * report_day.timetuple().tm_yday))
    return docs, report


def _sections(unit: Unit, docs: list[Document], rng: random.Random) -> dict[str, tuple[str, ...]]:
    out = {}
    for key, pool in _text().paragraphs.items():
        chosen = sorted(rng.sample(range(len(pool)), rng.randint(1, len(pool))))
        paras = [pool[i].format(kind=unit.kind) for i in chosen]
        for d in docs:
            if d.section == key:
                paras.append(f"Ủy ban nhân dân {unit.kind} đã ban hành {d.type_word} số "
                             f"{d.reference} ngày {d.date} {d.summary}.")
        out[key] = tuple(f"{MARK} {text}" for text in paras)
    return out


def _body(unit: Unit) -> str:
    """``Ủy ban nhân dân xã Đắk Ha``: the unit's people's committee, mid-sentence."""
    return f"Ủy ban nhân dân {unit_title(unit)}"


def _facts(unit: Unit, p: Period, seed: int, values: dict[str, Value],
           report_day: date) -> tuple[dict, Document | None]:
    """The header's facts beside the figures, and the superior's decision the staff figures
    follow (a register entry, cited by ``Header.staff_basis``).

    Drawn from generators of their own, so that the figures of a seed stay what they were.
    """
    text = _text()
    prof = _rng(seed, unit.code, unit.era, "facts")
    rng = _rng(seed, unit.code, p.key, "facts")
    up = parent(unit)
    facts: dict = {"dossier_source": prof.choice(text.dossier_sources),
                   "estimate_basis": text.estimate_basis.format(kind=unit.kind)}
    if up is not None:
        facts["addressee"] = _body(up)
    for key, code in (("seconded_posts", "S.7.1"), ("received_posts", "S.7.2")):
        value = values.get(code)
        n = int(value.total) if value is not None and value.total else 0
        facts[key] = tuple(rng.choice(text.posts) for _ in range(n))
    if facts["seconded_posts"] and up is not None:
        others = [u for u in children(up, era=unit.era, level="commune") if u.code != unit.code]
        if others:
            facts["seconded_to"] = _body(rng.choice(others))
    basis = None
    if up is not None and "S.6.1" in values:
        yr = _rng(seed, unit.code, unit.era, p.year, "staff-basis")
        january = _working_days(date(p.year, 1, 2), date(p.year, 1, 31))
        day = yr.choice([d for d in january if d < report_day] or january)
        basis = Document(type_word="Quyết định", number=_number(yr.randint(5, 120)),
                         symbol=text.doc_symbols["Quyết định"], date=fmt_date_short(day),
                         summary=text.staff_basis.format(body=_body(up), year=p.year),
                         section="II.3", issued_by_unit=False)
        facts["staff_basis"] = basis.reference
    return facts, basis


def _recipients(unit: Unit) -> tuple[str, ...]:
    text = _text()
    upper = text.recipients_upper["2008" if unit.era == "2008" else "2025"]
    return upper + tuple(r.format(kind=unit.kind) for r in text.recipients_common)


def _signer(prof: random.Random) -> str:
    text = _text()
    middles, givens = prof.choice(text.given_names)
    return f"{prof.choice(text.family_names)} {prof.choice(middles)} {prof.choice(givens)}"


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def synth_submission(unit: Unit, period: str, *, seed: int = 0) -> Submission:
    """An illustrative, consistent submission of commune ``unit`` for ``period``.

    Deterministic for ``(seed, unit.code, period)``; marked ``illustrative=True``.
    """
    if not isinstance(unit, Unit) or unit.level != "commune":
        raise CchcError(f"Chỉ tạo được số liệu minh họa cho đơn vị cấp xã, gặp {unit!r}.")
    p = parse_period(period)
    rng = _rng(seed, unit.code, p.key)
    prof = _rng(seed, unit.code, unit.era, "header")
    signer = _signer(prof)
    per_day = prof.uniform(0.5, 1.0) * (2 if unit.era == "2025" else 1)

    window = cutoff_window(p)
    choices = _working_days(window[1] + timedelta(1), deadline(p))
    report_day = rng.choice(choices)
    docs, report_number = _documents(unit, p, rng, report_day, per_day)
    cited: dict[str, int] = {}
    for d in docs:
        cited[d.type_word] = cited.get(d.type_word, 0) + 1

    values = _blank(_Figures(unit, p, seed, rng).build(cited), rng)
    facts, basis = _facts(unit, p, seed, values, report_day)
    if basis is not None:
        docs.append(basis)
    header = Header(
        report_number=_number(report_number),
        report_symbol="BC-UBND",
        report_date=fmt_date_short(report_day),
        place=unit.name,
        title=f"Công tác cải cách hành chính {label(p)} và phương hướng nhiệm vụ {_next_label(p)}",
        signer_name=signer,
        signer_title="PHÓ CHỦ TỊCH",
        signing_authority="TM. ỦY BAN NHÂN DÂN",
        signing_capacity="KT. CHỦ TỊCH",
        recipients=_recipients(unit),
        data_window=(fmt_date_short(window[0]), fmt_date_short(window[1])),
        **facts,
    )
    return Submission(
        unit_code=unit.code, period=p.key, header=header, values=values,
        documents=tuple(docs), sections=_sections(unit, docs, rng),
        unit_names={"header": unit_title(unit)}, period_labels={"title": label(p)},
        source=SOURCE, illustrative=True,
    )


def _parents_by_size(era: str) -> list[tuple[Unit, int]]:
    """The era's provinces and districts with their number of communes, largest first."""
    found = []
    for level in ("province", "district"):
        for up in all_units(era):
            if up.level == level:
                found.append((up, len(children(up, level="commune"))))
    return sorted(found, key=lambda x: (-x[1], int(x[0].code)))


def _too_few(n: int, parent_code: str, era: str, have: int) -> str:
    """What to pass instead, when ``parent_code`` has fewer than ``n`` communes in ``era``."""
    try:
        where = unit_title(get_unit(parent_code, era=era))
    except CchcError:
        where = f"đơn vị mã {parent_code}"
    when = "trước 01/07/2025" if era == "2008" else "từ 01/07/2025"
    noun = "xã" if era == "2008" else "đơn vị cấp xã"
    head = f"Cần {n} đơn vị cấp xã nhưng {where} chỉ có {have} {noun} {when}; "
    bigger = [(u, k) for u, k in _parents_by_size(era) if k >= n]
    if bigger:
        up, k = bigger[0]
        return head + (f"dùng --parent {up.code} ({unit_title(up)}, {k} đơn vị cấp xã) hoặc "
                       f"--units {have}.")
    most = max((k for _, k in _parents_by_size(era)), default=0)
    if era == "2008":
        return head + (f"bảng đơn vị cũ chỉ có {most} xã, nên dùng --units {most} hoặc ít hơn, "
                       "hoặc một kỳ từ 01/07/2025 (ví dụ --periods 2026-Q3, các xã của tỉnh "
                       "Lâm Đồng).")
    return head + (f"không tỉnh nào có nhiều hơn {most} đơn vị cấp xã; dùng --units {most} "
                   "hoặc ít hơn.")


def synth_units(n: int, *, parent_code: str | None = None, era: str = "2025") -> list[Unit]:
    """The first ``n`` communes (by code) under ``parent_code`` in ``era``.

    Every unit returned exists in ``era``, so that a submission of a period of that era can be
    ingested.  Without ``parent_code``: huyện Đắk Glong (661) for era ``"2008"``, tỉnh Lâm Đồng
    (68) for ``"2025"``.  More communes than the parent has raises :class:`CchcError` saying
    what to pass instead: a parent of the era that has enough, or (the historic table holds
    only Đắk Glong's 7 communes) fewer units or a period since the 2025 reorganisation.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise CchcError(f"Số đơn vị phải là số nguyên không âm, gặp {n!r}.")
    if era not in ERAS:
        raise CchcError(f'Thời kỳ "{era}" không hợp lệ; chỉ dùng "2008" hoặc "2025".')
    if parent_code is None:
        parent_code = DEFAULT_PARENT[era]
    try:
        found = sorted(children(str(parent_code), era=era, level="commune"),
                       key=lambda u: int(u.code))
    except CchcError as exc:
        raise CchcError(f"{exc} Hãy chọn --parent là mã một tỉnh hoặc huyện của thời kỳ "
                        "đó.") from None
    if n > len(found):
        raise CchcError(_too_few(n, str(parent_code), era, len(found)))
    return found[:n]


def synth_batch(n_units: int, periods: list[str], *, seed: int = 0,
                parent_code: str | None = None) -> list[Submission]:
    """Submissions for every (unit, period) pair, unit by unit, periods in the order given.

    The era of the units follows the periods (``era_for(last_day(period))``); periods of both
    eras in one batch are refused.  A period given twice is made once.
    """
    keys = list(dict.fromkeys(parse_period(p).key for p in periods))
    if not keys:
        raise CchcError("Chưa có kỳ báo cáo nào để tạo số liệu minh họa.")
    eras = {era_for(last_day(k)) for k in keys}
    if len(eras) > 1:
        raise CchcError("Các kỳ báo cáo thuộc hai thời kỳ (trước và từ 01/07/2025); "
                        "hãy tạo từng thời kỳ riêng: " + ", ".join(keys) + ".")
    units = synth_units(n_units, parent_code=parent_code, era=eras.pop())
    return [synth_submission(u, k, seed=seed) for u in units for k in keys]
