"""What :mod:`cchc_lib.claims` returns: a claim and the report's context (public through it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cchc_lib.model import Finding, Period, Unit


#: Longest excerpt a claim quotes.
EXCERPT_LIMIT = 120


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the running text and whether it holds.

    ``rule`` is the rule that checks it; ``finding`` is None when it holds (``ok``), else the
    finding (of that rule, or a ``claim.unsure`` note when the reading is not certain).
    """

    rule: str
    place: str
    excerpt: str
    ok: bool
    finding: Finding | None


@dataclass(frozen=True)
class ReportContext:
    """What the report says about itself: its period, its date, its unit (None when unknown)."""

    period: Period | None
    period_text: str
    report_date: date | None
    report_date_text: str
    unit: Unit | None
    unit_text: str
