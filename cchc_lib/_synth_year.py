"""The illustrative figures' time line: what a unit's figures do quarter by quarter, so that any
report made from them agrees with every other (the ``period.*`` rules stay silent).

A report's cut-off window is made of *quarter windows* (15/12–14/3, 15/3–14/6, 15/6–14/9,
15/9–14/12): quý II is the second, 6 tháng the first two, năm all four.  So:

* a flow is drawn once per quarter window and a report's flow is the sum over its windows
  (a window inside another never holds more);
* a stock is drawn at each quarter's end, independently of other years (procedures in force,
  dossiers pending), and the flows that move it are derived from it: abolished procedures =
  the last quarter's stock + new − this quarter's, dossiers resolved = pending before + new −
  pending after.  Stocks follow from flows, and dossiers carried over are the last report's
  received − resolved;
* a year-to-date figure is a curve that never falls, read at the report's last quarter;
* a yearly figure is drawn once a year.

Each quarter's part of a rate's fraction is chosen so that both the quarter's percent and the
year-to-date percent stay off a rounding tie (``_clean``).  Everything is drawn from generators
seeded with SHA-256 of (seed, unit, era, year, what): deterministic, and independent of which
reports are asked for.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from typing import Callable

from cchc_lib.formatting import round_half_up
from cchc_lib.model import Period, Unit

QUARTERS = (1, 2, 3, 4)
DOC_KINDS = ("Công văn", "Báo cáo", "Kế hoạch", "Quyết định")
_DOCS_PER_KIND = 2  # each quarter counts at least this many of each kind: a report cites ≤ 8


def rng(*parts: object) -> random.Random:
    """A generator seeded from the SHA-256 of ``"p1:p2:…"`` (stable across runs)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def clean(num: int, den: int) -> bool:
    """True unless ``num/den`` as a percent lies exactly on a tie at one decimal (6,25%)."""
    frac = Fraction(num * 1000, den)
    return frac - (frac.numerator // frac.denominator) != Fraction(1, 2)


def rate(num: int, den: int) -> float:
    return round_half_up(num / den * 100, 1)


def nearest(target: int, lo: int, hi: int, ok: Callable[[int], bool]) -> int:
    """The integer in ``[lo, hi]`` nearest ``target`` for which ``ok`` holds (else ``target``)."""
    target = min(max(target, lo), hi)
    for step in range(0, min(hi - lo, 1000) + 1):
        for k in (target - step, target + step):
            if lo <= k <= hi and ok(k):
                return k
    return target


def share(r: random.Random, whole: int, lo: float, hi: float) -> int:
    """A whole part of ``whole`` between the shares ``lo`` and ``hi``."""
    return min(whole, max(0, round(whole * r.uniform(lo, hi))))


def quarters(p: Period) -> tuple[int, ...]:
    """The quarter windows a report's cut-off window spans."""
    return (p.quarter,) if p.kind == "Q" else tuple(range(1, p.last_month // 3 + 1))


@dataclass(frozen=True)
class Profile:
    """What stays with a unit: its size and habits."""

    big: bool
    dossiers_month: float
    news_month: float
    docs_month: float
    out_month: float
    e_share: float
    per_month: dict
    tthc: int
    enum_base: dict
    survey_form: int


@cache
def profile(seed: int, unit: Unit) -> Profile:
    big = unit.era == "2025"  # communes merged in 2025 are larger
    prof = rng(seed, unit.code, unit.era, "unit")
    return Profile(
        big=big,
        dossiers_month=prof.uniform(60, 140) * (2.2 if big else 1),
        news_month=prof.uniform(8, 20) * (1.5 if big else 1),
        docs_month=prof.uniform(2, 4) * (1.3 if big else 1),
        out_month=prof.uniform(20, 45) * (2.0 if big else 1),
        e_share=prof.uniform(0.65, 0.9),
        per_month={"1.3.1": prof.uniform(1, 3), "2.3": prof.uniform(1, 3),
                   "3.1.1": prof.uniform(1, 4), "S.2.3": prof.uniform(0.3, 0.7)},
        tthc=round(prof.uniform(280, 380) if big else prof.uniform(100, 140)),
        enum_base={c: prof.randint(0, n - 1) for c, n in (("7.1", 2), ("7.2", 3), ("7.3", 3),
                                                          ("7.5", 3))},
        survey_form=prof.randint(0, 2),
    )


def trend(year: int) -> float:
    return 1 + 0.04 * (year - 2024)


def in_force(seed: int, unit: Unit, year: int, k: int) -> int:
    """Procedures in force at the end of quarter window ``k`` (0: the year before's last)."""
    if k == 0:
        year, k = year - 1, 4
    return profile(seed, unit).tthc + rng(seed, unit.code, unit.era, year, "tthc", k).randint(-5, 5)


def pending(seed: int, unit: Unit, year: int, k: int) -> int:
    """Dossiers pending at the end of quarter window ``k`` (0: the year before's last)."""
    if k == 0:
        year, k = year - 1, 4
    month = profile(seed, unit).dossiers_month * trend(year)
    return round(month * 3 * rng(seed, unit.code, unit.era, year, "pending", k).uniform(0.03, 0.1))


def split(r: random.Random, base: list[int], den: list[int], lo: float, hi: float, *,
          low: list[int] | None = None, high: list[int] | None = None,
          rest: list[int] | None = None) -> list[int]:
    """A part of each quarter's ``base``, near a share in ``[lo, hi]``, whose percent of ``den``
    is off a rounding tie for the quarter and for the year so far; with ``rest``, so is
    ``rest − part`` (on time and late)."""
    parts: list[int] = []
    sum_den = sum_part = sum_rest = 0
    for i, (b, d) in enumerate(zip(base, den)):
        sum_den += d
        if rest is not None:
            sum_rest += rest[i]
        top = b if high is None else min(b, high[i])
        bottom = 0 if low is None else min(low[i], top)

        def ok(k: int, i=i, d=d) -> bool:
            fine = clean(k, d) and clean(sum_part + k, sum_den)
            if rest is not None:
                fine = fine and clean(rest[i] - k, d) and clean(sum_rest - sum_part - k, sum_den)
            return fine

        k = nearest(share(r, b, lo, hi), bottom, top, ok)
        parts.append(k)
        sum_part += k
    return parts


def curve(r: random.Random, total: int, lo: float, hi: float) -> list[int]:
    """Year-to-date figures at the four quarter ends: never falling, within ``total``, off a
    rounding tie against it."""
    out, last = [], 0
    for k in QUARTERS:
        target = round(total * k / 4 * r.uniform(lo, hi))
        last = nearest(max(target, last), last, total, lambda v: clean(v, total))
        out.append(last)
    return out


def budget_day(year: int, k: int) -> date:
    """The day budget figures are counted up to: the end of the month before the quarter's
    last."""
    return date(year, 3 * k, 1) - timedelta(1)


class Year:
    """One unit's year: its yearly figures, its quarter windows' flows, its year-to-date curves."""

    def __init__(self, seed: int, unit: Unit, year: int):
        pf = profile(seed, unit)
        big = pf.big
        yr = rng(seed, unit.code, unit.era, year)
        r = rng(seed, unit.code, unit.era, year, "quarters")
        self.year = year
        # yearly
        self.quota = yr.randint(30, 42) if big else yr.randint(19, 23)
        self.vacant = yr.randint(0, 4)
        self.plan_tasks = round(yr.uniform(20, 60) * (1.5 if big else 1))
        self.inspections = yr.randint(2, 6)
        self.surveys = round(yr.uniform(50, 250) * (2 if big else 1))
        self.revenue = (yr.randint(6_000, 12_000) if big else yr.randint(3_000, 7_000)) * 10**6
        spending = int(round(self.revenue * yr.uniform(0.85, 1.15), -6))
        self.spending = min(12_000_000_000, max(3_000_000_000, spending))
        self.own_estimate = int(round(self.revenue * yr.uniform(0.1, 0.3), -6))
        self.sn_quota = yr.randint(2, 8)
        self.sncl = {c: (t := yr.randint(1, 3), nearest(share(yr, t, 0.6, 1), 0, t,
                                                         lambda k, t=t: clean(k, t)))
                     for c in ("6.1", "6.2", "6.3", "6.4", "6.5")}
        # year-to-date curves at the quarter ends
        self.plan_done = curve(r, self.plan_tasks, 0.8, 1.05)
        self.inspections_done = curve(r, self.inspections, 0.8, 1.2)
        self.surveys_done = curve(r, self.surveys, 0.7, 1.0)
        self._budget(r, year)
        # flows of the quarter windows
        flow = lambda per_month: [max(1, round(per_month * 3 * r.uniform(0.9, 1.1)))  # noqa: E731
                                  for _ in QUARTERS]
        small = lambda lo, hi: [r.randint(lo, hi) for _ in QUARTERS]  # noqa: E731
        self.f: dict[str, list[int]] = {}
        f = self.f
        f["docs"] = [max(_DOCS_PER_KIND * len(DOC_KINDS), n) for n in flow(pf.docs_month)]
        f["docs_by_kind"] = []
        for n in f["docs"]:
            kinds = dict.fromkeys(DOC_KINDS, _DOCS_PER_KIND)
            for t in r.choices(DOC_KINDS, weights=(3, 2, 3, 2), k=n - sum(kinds.values())):
                kinds[t] += 1
            f["docs_by_kind"].append(kinds)
        planned, sums = [], [0, 0]
        for n in f["docs"]:
            sums[0] += n
            t = nearest(n + r.randint(0, 1), n, n + 20,
                        lambda t, n=n: clean(n, t) and clean(sums[0], sums[1] + t))
            planned.append(t)
            sums[1] += t
        f["docs_planned"] = planned
        f["issues"] = small(1, 3)
        f["issues_done"] = split(r, f["issues"], f["issues"], 0.5, 1)
        f["assigned"] = flow(pf.per_month["1.3.1"])
        f["assigned_done"] = split(r, f["assigned"], f["assigned"], 0.8, 1)
        f["assigned_on_time"] = split(r, f["assigned_done"], f["assigned"], 0.6, 0.95,
                                      rest=f["assigned_done"])
        held = [r.random() < 0.5 for _ in QUARTERS]
        f["dialogues"] = [n if h else 0 for n, h in zip(flow(pf.per_month["S.2.3"]), held)]
        for code, (lo_n, hi_n), (lo, hi) in (("2.1", (1, 2), (0.7, 1)), ("2.2", (1, 3), (0.7, 1)),
                                             ("2.4", (1, 2), (0.5, 1)), ("4.2.4", (1, 2), (0.7, 1)),
                                             ("4.3.3", (1, 2), (0.7, 1))):
            f[code] = small(lo_n, hi_n)
            f[code + "/done"] = split(r, f[code], f[code], lo, hi)
        f["2.3"] = flow(pf.per_month["2.3"])
        f["2.3/done"] = split(r, f["2.3"], f["2.3"], 0.9, 1)
        for code in ("5.1.1", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.3.1", "5.4.1"):
            f[code] = small(1, 2)
            f[code + "/done"] = split(r, f[code], f[code], 0.5, 1)
        # procedures: new ones drawn, abolished ones follow from the stock
        new = flow(pf.per_month["3.1.1"])
        gone = []
        for i, k in enumerate(QUARTERS):
            out = in_force(seed, unit, year, k - 1) + new[i] - in_force(seed, unit, year, k)
            if out < 1:  # at least one abolished (a rate row needs a total), more announced
                new[i] += 1 - out
                out = 1
            gone.append(out)
        f["3.1.1"], f["3.1.2"] = new, gone
        f["3.1.1/done"] = split(r, new, new, 0.9, 1)
        f["3.1.2/done"] = split(r, gone, gone, 0.9, 1)
        # dossiers: received drawn, resolved follow from what is pending
        received = flow(pf.dossiers_month * trend(year))
        resolved = [pending(seed, unit, year, k - 1) + received[i] - pending(seed, unit, year, k)
                    for i, k in enumerate(QUARTERS)]
        f["received_new"], f["resolved"] = received, resolved
        f["on_time"] = split(r, resolved, resolved, 0.7, 1, low=[-(-7 * n // 10) for n in resolved],
                             rest=resolved)
        f["land"] = [max(1, share(r, n, 0.15, 0.35)) for n in resolved]
        f["land_done"] = split(r, f["land"], f["land"], 0.55, 1)
        f["build"] = [max(1, share(r, n, 0.03, 0.1)) for n in resolved]
        f["build_done"] = split(r, f["build"], f["build"], 0.7, 1)
        f["online3"] = split(r, resolved, resolved, 0.2, 0.5)
        left = [n - o for n, o in zip(resolved, f["online3"])]
        f["online4"] = split(r, left, resolved, 0.3, 0.9, high=left)
        # documents sent between state bodies
        f["out"] = flow(pf.out_month * trend(year))
        f["sent"] = split(r, f["out"], f["out"], 0.92, 0.99)
        e = pf.e_share
        f["sent_e"] = split(r, f["sent"], f["out"], e - 0.02, e + 0.02, rest=f["sent"])
        f["news"] = flow(pf.news_month)
        f["news_cchc"] = [share(r, n, 0.15, 0.4) for n in f["news"]]
        f["seconded"] = [int(r.random() < 0.25) for _ in QUARTERS]
        f["received_staff"] = [int(r.random() < 0.3) for _ in QUARTERS]

    def _budget(self, r: random.Random, year: int) -> None:
        """Revenue and spending achieved so far, at the end of each quarter's next-to-last
        month: never falling, below the estimate, off a rounding tie."""

        def achieved(estimate: int, lo: float, hi: float, cap: list[int] | None = None):
            out, last = [], 0
            ceiling = round(estimate * r.uniform(0.96, 1.0))
            for i, k in enumerate(QUARTERS):
                part = (budget_day(year, k) - date(year, 1, 1)).days / 365
                done = min(round(estimate * part * r.uniform(lo, hi)) + r.randint(0, 999_999),
                           ceiling)
                top = estimate if cap is None else min(estimate, cap[i])
                last = nearest(max(done, last), last, max(last, top),
                               lambda v: clean(v, estimate))
                out.append(last)
            return out

        self.revenue_done = achieved(self.revenue, 0.85, 1.15)
        self.own_done = achieved(self.own_estimate, 0.8, 1.4, cap=self.revenue_done)
        self.spending_done = achieved(self.spending, 0.8, 1.1)

    def total(self, key: str, p: Period) -> int:
        """A flow summed over the report's quarter windows."""
        return sum(self.f[key][k - 1] for k in quarters(p))

    def docs(self, p: Period) -> dict[str, int]:
        return {t: sum(self.f["docs_by_kind"][k - 1][t] for k in quarters(p)) for t in DOC_KINDS}


@cache
def year(seed: int, unit: Unit, y: int) -> Year:
    """A unit's year (cached: every report of the year reads the same one)."""
    return Year(seed, unit, y)
