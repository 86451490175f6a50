"""What :mod:`cchc_lib.claims` returns: a claim and the report's context (public through it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cchc_lib.model import Finding, Period, Unit


#: Longest excerpt a claim quotes.
EXCERPT_LIMIT = 120

# The most one audit reads and reports, so that no document (a crafted one included) can make
# it run for minutes or fill the memory.  A real report's paragraph has a few thousand
# characters, its running text a few hundred thousand and some hundred claims.
#: Characters of one block (paragraph, line) that are read; the rest of it is not checked.
MAX_BLOCK_CHARS = 20_000
#: Characters of running text that are read; later blocks are not checked.
MAX_TEXT_CHARS = 300_000
#: Claims reported for the running text; later ones are left out.
MAX_CLAIMS = 2_000


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
