"""The claim families of the running text, each registered by its own module, and the collector
of the claims they find.

A family is a function that reads the report and tells :class:`Out` what it found, consistent
or not.  :func:`each_text` registers one that reads a block at a time (``header=True``: the
cells of the header table too); :func:`whole_report` one that reads the report at once, after
every block.  :func:`run` runs them in the order they were registered: the order the package
imports the family modules in (:mod:`cchc_lib.audit.claims`).  Claims come out in reading order
whatever the families' order, which only decides between two claims found at the very same
place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from cchc_lib.audit.claim import Claim
from cchc_lib.audit.limits import EXCERPT_LIMIT
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.text import END, Text, quote
from cchc_lib.checks import finding

__all__ = ["Out", "Family", "FAMILIES", "each_text", "whole_report", "run"]


class Out:
    """Collects claims with their position, for a stable reading order."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int, Claim]] = []

    def add(self, t: Text | None, pos: int, claim: Claim) -> None:
        """A claim at ``pos`` of ``t`` (None: the report as a whole, after every block)."""
        index = t.index if t is not None else END
        self.items.append((index, pos, len(self.items), claim))

    def ok(self, rule: str, t: Text, pos: int, quoted: str) -> None:
        self.add(t, pos, Claim(rule, t.place, quoted[:EXCERPT_LIMIT], True, None))

    def bad(self, rule: str, t: Text | None, pos: int, quoted: str, *, place: str | None = None,
            checked_by: str | None = None, **kwargs) -> None:
        where = place if place is not None else t.place
        f = finding(rule, where, **kwargs)
        self.add(t, pos, Claim(checked_by or rule, where, quoted[:EXCERPT_LIMIT], False, f))

    def unsure(self, checked_by: str, t: Text, pos: int, quoted: str, why: str) -> None:
        self.bad("claim.unsure", t, pos, quoted, checked_by=checked_by,
                 excerpt=f'"{quote(quoted, 90)}"', why=why)

    def claims(self) -> list[Claim]:
        return [c for *_, c in sorted(self.items, key=lambda x: x[:3])]


@dataclass(frozen=True)
class Family:
    """A registered check of the running text."""

    name: str
    check: Callable[..., None]  # (t, reading, out) for each text, else (reading, out)
    each_text: bool
    header: bool = False  # each_text only: also the cells of the header table


#: Every family, in the order registered (the order :func:`run` runs them in).
FAMILIES: list[Family] = []

TextCheck = Callable[[Text, Reading, Out], None]
ReportCheck = Callable[[Reading, Out], None]


def each_text(*, header: bool = False) -> Callable[[TextCheck], TextCheck]:
    """Register a family that reads one block of running text at a time."""
    def register(func: TextCheck) -> TextCheck:
        FAMILIES.append(Family(func.__name__, func, each_text=True, header=header))
        return func
    return register


def whole_report(func: ReportCheck) -> ReportCheck:
    """Register a family that reads the whole report, after every block has been read."""
    FAMILIES.append(Family(func.__name__, func, each_text=False))
    return func


def run(reading: Reading) -> list[Claim]:
    """Every family on the report: the claims they found, in reading order."""
    out = Out()
    per_text = [f for f in FAMILIES if f.each_text]
    for t in reading.texts:
        for family in per_text:
            if family.header or not t.header:
                family.check(t, reading, out)
    for family in FAMILIES:
        if not family.each_text:
            family.check(reading, out)
    return out.claims()
