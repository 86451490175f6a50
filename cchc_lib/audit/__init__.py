"""`cchc audit`: check a report written by hand, with the same rules as `cchc check`.

A document is read into placed blocks (:mod:`~cchc_lib.audit.document`).  Its running text
goes through the claim families (:mod:`~cchc_lib.audit.claims`: fractions, sums, shares of
a whole stated elsewhere, counts of units, dates, periods, document references and the
documents issued in the period, the years of cited plans, names, text hygiene and spelling),
each registered by its own module.
The appendix PHỤ LỤC SỐ 01, when the document carries it, is mapped row by row to the catalogue
and checked by the very checks of a workbook (:mod:`~cchc_lib.audit.appendix`); figures that
stand both in the text and in the appendix are compared (:mod:`~cchc_lib.audit.crosscheck`).

Every finding comes with the words of the report it points to (:class:`Noted`).  What one
audit reads and reports is bounded (:mod:`~cchc_lib.audit.limits`); a note says what a limit
left out.

The modules, each importing only those above it::

    limits claim document         the bounds; what the audit returns; a file read into blocks
    text                          the running text made ready to read; excerpts, quotes, patterns
    context                       the report's period, date and unit
    reading registry              the text read once for the families; their registry
    hygiene refs numbers parts    the claim families …
    counts                        a paragraph's counts and what each counts (numbers' patterns)
    wholes dates names spelling   … and the rest of them
    claims                        the families run over the running text, within the limits
    appendix crosscheck           the appendix and the figures it shares with the text
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc_lib import units
from cchc_lib.audit.appendix import AppendixRow, check_appendix, read_appendix
from cchc_lib.audit.claim import Claim, Noted, ReportContext
from cchc_lib.audit.claims import check_blocks
from cchc_lib.audit.crosscheck import cross_check
from cchc_lib.audit.document import Block, read_document
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.checks import count_by_severity
from cchc_lib.html import render_template
from cchc_lib.model import SEVERITY_LABELS, Finding

__all__ = ["AuditResult", "Noted", "Claim", "ReportContext", "audit_blocks", "audit_file",
           "audit_html"]

_ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass
class AuditResult:
    """Everything the audit found, and how much it checked."""

    file: str
    context: ReportContext
    claims: list[Claim]
    appendix: list[AppendixRow] = field(default_factory=list)
    noted: list[Noted] = field(default_factory=list)  # each finding with its excerpt

    @property
    def findings(self) -> list[Finding]:
        """The findings, errors first (see :attr:`noted` for each with its excerpt)."""
        return [n.finding for n in self.noted]

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def consistent(self) -> int:
        return sum(1 for c in self.claims if c.ok)

    def excerpt(self, f: Finding) -> str:
        """The report's words ``f`` points to ("" when none); iterate :attr:`noted` to have
        both at once."""
        return next((n.excerpt for n in self.noted if n.finding is f), "")

    def as_dict(self) -> dict:
        """The result as plain data, ready for JSON: what ``cchc audit --format json`` prints.

        Texts are plain (no markup of any kind): a viewer escapes them for its own format."""
        ctx = self.context
        return {
            "file": self.file, "unit": ctx.unit.code if ctx.unit else None,
            "period": ctx.period.key if ctx.period else None,
            "report_date": ctx.report_date.isoformat() if ctx.report_date else None,
            "checked": len(self.claims), "consistent": self.consistent, "counts": self.counts,
            "findings": [{"rule": f.rule, "severity": f.severity, "place": f.place,
                          "excerpt": n.excerpt, "message": f.message,
                          "indicator": f.indicator, "expected": f.expected, "found": f.found}
                         for n in self.noted for f in (n.finding,)]}


def audit_blocks(blocks: list[Block], *, file: str = "", unit_hint: str | None = None,
                 period_hint: str | None = None, cat: Catalogue | None = None) -> AuditResult:
    """Audit a document already read into blocks."""
    cat = cat or default_catalogue()
    ctx, claims = check_blocks(blocks, unit_hint=unit_hint, period_hint=period_hint)
    result = AuditResult(file, ctx, list(claims))
    result.noted += [Noted(c.finding, c.excerpt) for c in claims if c.finding is not None]
    rows, values, appendix_findings = read_appendix(blocks, cat)
    result.appendix = rows
    result.noted += [Noted(f) for f in appendix_findings]
    if values:
        noted, rate_claims = check_appendix(rows, values, ctx, cat)
        result.noted += noted
        result.claims += rate_claims
        noted, same_claims = cross_check(blocks, values, cat)
        result.noted += noted
        result.claims += same_claims
    result.noted.sort(key=lambda n: _ORDER[n.finding.severity])
    return result


def audit_file(path: str | Path, *, unit_hint: str | None = None,
               period_hint: str | None = None) -> AuditResult:
    """Read a .docx, .pdf, .txt or .md report and audit it."""
    blocks = read_document(path)
    return audit_blocks(blocks, file=str(path), unit_hint=unit_hint, period_hint=period_hint)


def audit_html(result: AuditResult) -> str:
    """A page the analyst can send back to the commune (every value escaped)."""
    ctx = result.context
    rows = [{"severity": n.finding.severity, "label": SEVERITY_LABELS[n.finding.severity],
             "rule": n.finding.rule, "place": n.finding.place, "excerpt": n.excerpt,
             "message": n.finding.message}
            for n in result.noted]
    return str(render_template(
        "audit.html.j2", file=Path(result.file).name, rows=rows, counts=result.counts,
        checked=len(result.claims), consistent=result.consistent,
        appendix_rows=sum(1 for r in result.appendix if r.code),
        unit=units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "chưa xác định"),
        period=ctx.period_text or "chưa xác định",
        report_date=ctx.report_date_text or "chưa xác định"))
