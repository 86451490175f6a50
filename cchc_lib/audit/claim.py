"""What the audit returns, as data: a claim of the report and whether it holds, a finding with
the words of the report it quotes, and what the report says about itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cchc_lib.model import Finding, Period, Unit

__all__ = ["Claim", "Noted", "ReportContext"]


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the report and whether it holds.

    ``rule`` is the rule that checks it; ``finding`` is None when it holds (``ok``), else the
    finding (of that rule, or a ``claim.unsure`` note when the reading is not certain).
    ``excerpt`` quotes the report's words the claim was read from.
    """

    rule: str
    place: str
    excerpt: str
    ok: bool
    finding: Finding | None


@dataclass(frozen=True)
class Noted:
    """A finding of the audit and the report's words it points to ("" when it quotes none)."""

    finding: Finding
    excerpt: str = ""


@dataclass(frozen=True)
class ReportContext:
    """What the report says about itself: its period, its date, its unit (None when unknown),
    and what kind of document it is: ``report`` (a báo cáo, or a news item quoting one) or
    ``plan`` (a kế hoạch, which looks back on last year and ahead to dates still to come)."""

    period: Period | None
    period_text: str
    report_date: date | None
    report_date_text: str
    unit: Unit | None
    unit_text: str
    kind: str = "report"
