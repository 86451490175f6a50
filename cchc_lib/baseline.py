"""A new unit's figures before 1 July 2025, "as if merged": the sums of its predecessors.

Most communes since 1 July 2025 are mergers of several old ones; their own reports start in
2025-Q3, but their predecessors reported for years.  To compare a new unit with a period before
the reorganisation (the previous period, the same period last year, a trend), its predecessors'
submissions of that period are added up into one *baseline*:

* counts and amounts are summed per indicator and column, over every predecessor (a column that
  one predecessor left blank is left blank: a sum with a missing part is not the sum);
* rates are never summed or averaged: the baseline carries the summed fractions, and every rate
  is recomputed from them by :mod:`cchc_lib.rates` (one source of truth), e.g. dossiers on time
  120/100 + 80/60 + 40/40 give 240/200 = 83,3 %, not the mean of the three rates (86,1 %);
* coded and typed-percent rows (enum, percent) do not add up and are left out;
* a predecessor that was split (a ``part`` link) counts only with the share the lineage data
  states for it (and the note says so); without a share the baseline is not comparable.

The result is a :class:`Baseline`: the summed :class:`~cchc_lib.model.Submission` carrying the
*new* unit's code (so that :func:`cchc_lib.calc.compare`, the roll-ups and the checks work on it
unchanged), its status, and a frozen record of how it was made (which old units, whole or part,
on what legal basis) for the notes under tables and charts.  Pure: the caller gives the
predecessors' submissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from cchc_lib import lineage, periods, units
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import UnitError
from cchc_lib.formatting import fmt_percent, round_half_up
from cchc_lib.model import Submission, Value
from cchc_lib.rates import exact, is_number, plain_number

__all__ = ["STATUSES", "BREAK_LABEL", "Predecessor", "Baseline", "build_baseline",
           "crosses_break", "old_unit_title", "trend_caption", "SUMMED_KINDS"]

#: What a baseline can be, from the best to the worst.
STATUSES = ("complete", "allocated", "incomplete", "split", "unknown")
#: The break the charts draw.
BREAK_LABEL = "Sắp xếp ĐVHC 01/07/2025"
#: Kinds of rows whose figures add up across units (as in :mod:`cchc_lib.rollup`).
SUMMED_KINDS = ("count", "amount", "decimal")
# Kinds whose allocated share is rounded to a whole number (a count of dossiers, not 33,6).
_WHOLE_KINDS = ("count", "amount")


def crosses_break(period: str, earlier: str) -> bool:
    """Whether ``earlier`` lies before 1 July 2025 and ``period`` after (different eras)."""
    def era(key: str) -> str:
        return units.era_for(periods.parse_period(key).last_day)

    return era(period) == "2025" and era(earlier) == "2008"


def old_unit_title(code: str) -> str:
    """A pre-2025 commune's name as written mid-sentence (``xã Đắk Ha``); its code when the
    package does not know its name."""
    try:
        return units.unit_title(units.get_unit(code, era="2008", level="commune"))
    except UnitError:
        return f"đơn vị mã {code}"


@dataclass(frozen=True)
class Predecessor:
    """One old unit that went (all or part of it) into the new unit, and whether it reported."""

    code: str
    title: str  # "xã Đắk Ha"
    relation: str  # "whole" | "part"
    share: float | None  # the stated share of a split unit, when the data has one
    basis: str
    reported: bool

    @property
    def usable(self) -> bool:
        """Whether its figures can go into the sum: whole, or part with a stated share."""
        return self.relation == "whole" or self.share is not None


@dataclass(frozen=True)
class Baseline:
    """A new unit's figures for a period before 1 July 2025, from its predecessors.

    ``sub`` is the summed submission (the new unit's code, the earlier period) when the
    baseline is comparable, else ``None``: a partial sum is never shown as the unit's figure.
    """

    unit_code: str  # the new (2025) unit
    period: str  # the earlier (pre-2025) period
    status: str  # one of STATUSES
    predecessors: tuple[Predecessor, ...]
    sub: Submission | None = None

    @property
    def comparable(self) -> bool:
        return self.status in ("complete", "allocated")

    @property
    def missing(self) -> tuple[Predecessor, ...]:
        return tuple(p for p in self.predecessors if not p.reported)

    @property
    def unshared(self) -> tuple[Predecessor, ...]:
        """The split predecessors without a stated share."""
        return tuple(p for p in self.predecessors if not p.usable)

    @property
    def sources(self) -> str:
        """``cộng số liệu của xã A, xã B`` (one predecessor: ``số liệu của xã A``), with the
        share of each allocated part."""
        parts = [p.title if p.share is None else
                 f"{fmt_percent(100 * p.share, 1)} số liệu của {p.title}"
                 for p in self.predecessors]
        if len(parts) == 1:
            return parts[0] if self.predecessors[0].share is not None else f"số liệu của {parts[0]}"
        return f"cộng số liệu của {', '.join(parts)}"

    @property
    def reason(self) -> str:
        """Why the baseline is not comparable (``""`` when it is)."""
        if self.status == "unknown":
            return "không có thông tin sắp xếp đơn vị hành chính"
        if self.status == "split":
            names = ", ".join(p.title for p in self.unshared)
            return (f"{names} được chia cho nhiều đơn vị mới, dữ liệu sắp xếp không có tỷ lệ "
                    "phân bổ")
        if self.status == "incomplete":
            return f"thiếu số liệu của {', '.join(p.title for p in self.missing)}"
        return ""

    @property
    def note(self) -> str:
        """What a reader is told about this baseline, in Vietnamese."""
        if not self.comparable:
            return f"{self.reason}: không so sánh được"
        note = self.sources
        if self.status == "allocated":
            note += " (phần của đơn vị bị chia tính theo tỷ lệ phân bổ ghi trong dữ liệu sắp xếp)"
        return note

    @property
    def basis(self) -> tuple[str, ...]:
        """The legal bases of the links, each once."""
        return tuple(dict.fromkeys(p.basis for p in self.predecessors if p.basis))


def _scaled(x, share: float | None, kind: str):
    q = exact(x) if share is None else exact(x) * exact(share)
    if share is not None and kind in _WHOLE_KINDS:
        return plain_number(round_half_up(float(q), 0))
    return q


def _column(values: list[Value], column: str, shares: list[float | None], kind: str):
    """The sum of one column over every predecessor; None when any of them left it blank."""
    xs = [getattr(v, column) for v in values]
    if not all(is_number(x) for x in xs):
        return None
    total = sum((Fraction(_scaled(x, s, kind)) for x, s in zip(xs, shares)), Fraction(0))
    return plain_number(total.numerator if total.denominator == 1 else float(total))


def _summed_values(subs: list[Submission], shares: list[float | None],
                   cat: Catalogue) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for ind in cat.data_rows():
        if ind.kind not in SUMMED_KINDS:
            continue
        got = [s.value(ind.code) for s in subs]
        if all(v is None or v.is_empty for v in got):
            continue
        present = [v if v is not None else Value(ind.code) for v in got]
        total = _column(present, "total", shares, ind.kind)
        done = _column(present, "done", shares, ind.kind)
        if total is None and done is None:
            continue
        as_of = {v.as_of for v in present}
        values[ind.code] = Value(ind.code, total=total, done=done,
                                 as_of=as_of.pop() if len(as_of) == 1 else None)
    return values


def build_baseline(unit_code: str, period: str, subs: Mapping[str, Submission],
                   links: Sequence[lineage.Link] | None = None,
                   cat: Catalogue | None = None) -> Baseline:
    """The baseline of new unit ``unit_code`` for the pre-2025 ``period``.

    ``subs`` maps each predecessor's (old) code to its submission for ``period`` (those that
    did not report are simply absent); ``links`` defaults to the lineage data's
    :func:`~cchc_lib.lineage.predecessors` of the unit.
    """
    cat = cat or default_catalogue()
    key = periods.parse_period(period).key
    links = tuple(lineage.predecessors(unit_code) if links is None else links)
    preds = tuple(Predecessor(link.old, old_unit_title(link.old), link.relation, link.share,
                              link.basis, link.old in subs and subs[link.old].period == key)
                  for link in links)
    if not preds:
        return Baseline(str(unit_code), key, "unknown", ())
    if any(not p.usable for p in preds):
        status = "split"
    elif any(not p.reported for p in preds):
        status = "incomplete"
    elif any(p.share is not None for p in preds):
        status = "allocated"
    else:
        status = "complete"
    if status not in ("complete", "allocated"):
        return Baseline(str(unit_code), key, status, preds)
    used = [subs[p.code] for p in preds]
    shares = [p.share if p.relation == "part" else None for p in preds]
    names = ", ".join(f"{p.title} ({p.code})" for p in preds)
    sub = Submission(unit_code=str(unit_code), period=key,
                     values=_summed_values(used, shares, cat),
                     source=f"cộng số liệu: {names}",
                     illustrative=any(s.illustrative for s in used))
    return Baseline(str(unit_code), key, status, preds, sub)


def trend_caption(baselines: Sequence[Baseline]) -> str:
    """What a chart says under its axis about the points before 1 July 2025: whose sums they
    are, and which periods it leaves out, and why (a partial sum is never drawn).

    ``Trước 01/07/2025: cộng số liệu của xã A, xã B. Không vẽ năm 2023 (thiếu số liệu của xã
    B).`` — ``""`` without baselines.
    """
    shown = list(dict.fromkeys(b.note for b in baselines if b.comparable))
    left_out: dict[str, list[str]] = {}
    for b in baselines:
        if not b.comparable:
            left_out.setdefault(b.reason, []).append(periods.label(b.period))
    parts = [f"Trước 01/07/2025: {'; '.join(shown)}."] if shown else []
    parts += [f"Không vẽ {', '.join(labels)} ({why})." for why, labels in left_out.items()]
    return " ".join(parts)
