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
codes repeat across eras: 24616 is xã Quảng Sơn in both).  Generators are seeded from SHA-256
(never Python's salted ``hash``): per unit (size, staff, signer), per unit and year (plan, budget
estimate, staff quota, and every flow quarter by quarter: :mod:`cchc_lib._synth_year`) and per
unit and period (``f"{seed}:{unit.code}:{period}"``) for the rest.  So the reports of one unit
agree with each other as the checks across periods expect (:func:`synth_history`): flows of the
cumulative periods are sums of quarters and grow from quý I to 6 tháng, 9 tháng and năm, stocks
follow from flows, dossiers carried over are the last report's received − resolved.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

import yaml

from cchc_lib import _synth_year as _year
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_short, round_half_up
from cchc_lib.model import Document, Header, Period, Submission, Unit, Value
from cchc_lib.narrative import directions_period
from cchc_lib.periods import cutoff_window, deadline, first_day, label, last_day, parse_period
from cchc_lib.units import ERAS, all_units, children, era_for, get_unit, parent, unit_title

__all__ = ["SOURCE", "MARK", "synth_submission", "synth_history", "synth_units", "synth_batch"]

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

_rng = _year.rng
_clean = _year.clean
_rate = _year.rate
_nearest = _year.nearest
_share = _year.share


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
    """Builds the values of one submission in catalogue-dependency order.

    Flows, year-to-date curves and yearly figures come from the unit's year
    (:mod:`cchc_lib._synth_year`), so that every report agrees with every other; stocks that
    no rule ties to another report (posted procedures, staff qualifications …) come from the
    report's own generator ``rng``.
    """

    def __init__(self, unit: Unit, p: Period, seed: int, rng: random.Random):
        self.cat = default_catalogue()
        self.rng = rng
        self.values: dict[str, Value] = {}
        self.p = p
        self.unit, self.seed = unit, seed
        self.pf = _year.profile(seed, unit)
        self.yr = _year.year(seed, unit, p.year)
        self.end = _year.quarters(p)[-1]  # the quarter window the report ends with

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

    def plain(self, code: str, total: int, lo: float = 0.7, hi: float = 1.0) -> int:
        return self.row(code, total, _share(self.rng, total, lo, hi))

    def sum(self, key: str) -> int:
        """A flow over the report's window: the sum of its quarter windows'."""
        return self.yr.total(key, self.p)

    def flow_row(self, code: str, key: str | None = None) -> int:
        """A rate row whose total and done are flows of the year (``key``, ``key/done``)."""
        key = key or code
        return self.row(code, self.sum(key), self.sum(key + "/done"))

    # --- the sections -----------------------------------------------------
    def build(self) -> dict[str, Value]:
        r, p, y, end = self.rng, self.p, self.yr, self.end - 1
        # 1. Chỉ đạo điều hành
        done = self.row("1.1.1", y.plan_tasks, y.plan_done[end])
        self.ratio("1.1.2", done)
        docs = y.docs(p)
        n_docs = sum(docs.values())
        self.row("1.1.3", self.sum("docs_planned"), n_docs)  # its figure is S.1's (same_as)
        self.row("1.2.1", y.inspections, y.inspections_done[end])
        done = self.row("1.2.2", self.sum("issues"), self.sum("issues_done"))
        self.ratio("1.2.3", done)
        assigned = self.sum("assigned")
        done = self.row("1.3.1", assigned, self.sum("assigned_done"))
        on_time = self.sum("assigned_on_time")
        self.ratio("1.3.2", on_time)
        self.ratio("1.3.3", done - on_time)
        self.row("1.4.1", y.surveys, y.surveys_done[end])
        self.enum("1.4.2", self.pf.survey_form)
        dialogues = self.sum("dialogues")
        self.enum("1.5", int(dialogues > 0))
        # 2. Thể chế
        for code in ("2.1", "2.2", "2.3"):
            self.flow_row(code)
        done = self.flow_row("2.4")
        self.ratio("2.5", done)
        # 3. Thủ tục hành chính: in force at the window's end, moved by the window's flows
        self.flow_row("3.1.1")
        self.flow_row("3.1.2")
        in_force = _year.in_force(self.seed, self.unit, p.year, self.end)
        posted = self.row("3.1.3", in_force, _share(r, in_force, 0.95, 1))
        commune = in_force - r.randint(0, 8)
        self.row("3.1.4", commune, _share(r, commune, 0.95, 1), hi=posted)
        self.plain("3.2.1", in_force, 0.9, 1)
        self.plain("3.2.2", in_force, 0.6, 0.95)
        self.plain("3.3.1", r.randint(2, 12))
        self.plain("3.3.2", r.randint(2, 12))
        approved = self.plain("3.3.3", in_force, 0.85, 1)
        self.plain("3.3.4", approved, 0.6, 1)
        # dossiers: carried over = pending when the window opens
        first = _year.quarters(p)[0]
        carried = _year.pending(self.seed, self.unit, p.year, first - 1)
        received_new = self.sum("received_new")
        resolved = self.sum("resolved")
        on_time = self.sum("on_time")
        self.row("3.4.1", resolved, on_time)
        self.row("3.4.2", self.sum("land"), self.sum("land_done"))
        self.row("3.4.3", self.sum("build"), self.sum("build_done"))
        self.plain("3.5.1", in_force, 0.8, 1)
        self.plain("3.5.2", in_force, 0.3, 0.6)
        self.plain("3.5.3", in_force, 0.2, 0.4)
        self.plain("3.5.4", in_force, 0.2, 0.6)
        # 4. Tổ chức bộ máy
        self.row("4.2.1", y.quota, y.quota)
        present = self.row("4.2.2", y.quota, y.quota - y.vacant)
        contracts = r.randint(1, 5)
        self.plain("4.2.3", contracts, 0.8, 1)
        self.flow_row("4.2.4")
        self.values["4.2.5"] = Value("4.2.5", total=round_half_up(r.uniform(0, 12), 1))
        self.row("4.3.1", y.sn_quota, y.sn_quota)
        self.plain("4.3.2", y.sn_quota, 0.75, 1)
        self.flow_row("4.3.3")
        self.values["4.3.4"] = Value("4.3.4", total=round_half_up(r.uniform(0, 12), 1))
        # 5. Công vụ
        for code in ("5.1.1", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.3.1", "5.4.1"):
            self.flow_row(code)
        # 6. Tài chính công: counted since ever, the same all year
        for code, (total, done) in y.sncl.items():
            self.row(code, total, done)
        # 7. Chính quyền điện tử, chính quyền số: things get done over the years
        for code, base in self.pf.enum_base.items():
            self.enum(code, base + max(0, p.year - 2024))
        self.plain("7.4", present + contracts, 0.7, 1)
        out = self.sum("out")
        sent = self.row("7.6.2", out, self.sum("sent"))  # sent electronically
        a = self.sum("sent_e")  # fully electronic, the rest electronic and on paper
        self.ratio("7.6.2.a", a)
        self.ratio("7.6.2.b", sent - a)
        self.row("7.6.3", 1, 1)
        self.plain("7.7.1", in_force, 0.4, 0.8)
        self.plain("7.7.2", in_force, 0.2, 0.5)
        self.row("7.7.3", resolved, self.sum("online3"))
        self.row("7.7.4", resolved, self.sum("online4"))
        # S. Supplementary: what the narrative quotes
        self.count("S.1", n_docs)
        for code, kind in (("S.1.1", "Công văn"), ("S.1.2", "Báo cáo"), ("S.1.3", "Kế hoạch"),
                           ("S.1.4", "Quyết định")):
            self.count(code, docs[kind])
        self.count("S.2.1", self.sum("news"))
        self.count("S.2.2", self.sum("news_cchc"))
        self.count("S.2.3", dialogues)
        self.count("S.3.1", carried + received_new)
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
        self.count("S.7.1", self.sum("seconded"))
        self.count("S.7.2", self.sum("received_staff"))
        return self.values

    def _budget(self) -> None:
        y, k = self.yr, self.end
        when = fmt_date_short(_year.budget_day(self.p.year, k))
        self.row("S.5.1", y.revenue, y.revenue_done[k - 1], when)
        self.row("S.5.2", y.own_estimate, y.own_done[k - 1], when)
        self.row("S.5.3", y.spending, y.spending_done[k - 1], when)

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
    # the rows a report's next report is checked against (procedures in force and their flows)
    keep |= {c for c, t in cat.timing.items() if t.links()}
    keep |= {link for t in cat.timing.values() for link in t.links()}
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
               per_day: float, counted: dict[str, int]) -> tuple[list[Document], int]:
    """3–8 documents of the unit, numbered in one register per year, no more of a type than the
    period ``counted``; and the report's number.  Dated within the period's data window (the
    documents issued in the period, as the regime counts them) and before the report."""
    days = _working_days(first_day(p), min(report_day - timedelta(1), cutoff_window(p)[1]))
    n = min(rng.randint(3, 8), len(days))
    text = _text()
    templates, used = [], dict.fromkeys(counted, 0)
    for t in rng.sample(text.doc_templates, len(text.doc_templates)):
        if len(templates) < n and used[t[0]] < counted[t[0]]:
            templates.append(t)
            used[t[0]] += 1
    n = len(templates)
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
    docs, report_number = _documents(unit, p, rng, report_day, per_day,
                                     _year.year(seed, unit, p.year).docs(p))
    values = _blank(_Figures(unit, p, seed, rng).build(), rng)
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


def synth_history(unit: Unit, periods: list[str], *, seed: int = 0) -> list[Submission]:
    """Illustrative submissions of ``unit`` for several periods, in the order given, that agree
    with one another: stocks follow from flows, dossiers carried over are the last report's
    received − resolved, yearly figures stay the same within a year, a window inside another
    never counts more, and no two reports share their text (the ``period.*`` rules stay silent).

    Each is exactly ``synth_submission(unit, period, seed=seed)``: the figures come from the
    unit's quarter-by-quarter time line (:mod:`cchc_lib._synth_year`), so any set of periods
    is consistent; this function only says so.  A period given twice is made once.
    """
    keys = list(dict.fromkeys(parse_period(p).key for p in periods))
    return [synth_submission(unit, k, seed=seed) for k in keys]


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
