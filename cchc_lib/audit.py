"""`cchc audit`: check a report written by hand, with the same rules as `cchc check`.

The running text goes through :mod:`cchc_lib.claims` (fractions, sums, shares, dates, periods,
document references, names, text hygiene).  The appendix PHỤ LỤC SỐ 01, when the document
carries it (a Word table or tab-separated lines), is mapped row by row to the catalogue by
printed code and title and checked by the very checks of a workbook.  Figures that stand
both in the text and in the appendix are compared.

What one audit reports is bounded (a crafted document must not run for minutes): the claims of
the running text (see :mod:`cchc_lib.claims`), a note each for the first
:data:`MAX_UNKNOWN_ROWS` appendix rows not in the catalogue, :data:`MAX_CROSS_MATCHES` places a
figure is compared; a note says what a limit left out.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from cchc_lib import units
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.checks import FIGURE_CHECKS, count_by_severity, finding, indicator_label, run_checks
from cchc_lib.claims import Claim, ReportContext, check_blocks
from cchc_lib.document import Block, read_document
from cchc_lib.formatting import fmt_number
from cchc_lib.model import Finding, Indicator, Submission, Value
from cchc_lib.numparse import NumberFormatError
from cchc_lib.reader import read_figure
from cchc_lib.report import SEVERITY_LABELS, render_template
from cchc_lib.textparse import nfc

__all__ = ["AuditResult", "AppendixRow", "audit_blocks", "audit_file", "read_appendix",
           "audit_html"]

_ORDER = {"error": 0, "warning": 1, "note": 2}
#: Appendix rows not found in the catalogue that get a note each; the rest share one.
MAX_UNKNOWN_ROWS = 50
#: Places in the running text where one figure of the appendix is compared (per figure).
MAX_CROSS_MATCHES = 20


@dataclass(frozen=True)
class AppendixRow:
    """One row of the appendix as printed, and the catalogue row it was mapped to."""

    block: Block
    printed: str
    title: str
    code: str | None


@dataclass
class AuditResult:
    """Everything the audit found, and how much it checked."""

    file: str
    context: ReportContext
    claims: list[Claim]
    appendix: list[AppendixRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    excerpts: dict[int, str] = field(default_factory=dict)  # id(finding) -> quoted text

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def consistent(self) -> int:
        return sum(1 for c in self.claims if c.ok)

    def excerpt(self, f: Finding) -> str:
        return self.excerpts.get(id(f), "")

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
                          "excerpt": self.excerpt(f), "message": f.message,
                          "indicator": f.indicator, "expected": f.expected, "found": f.found}
                         for f in self.findings]}


# ------------------------------------------------------------------------------- appendix

def _key(text: str) -> str:
    text = nfc(text).casefold()
    text = re.sub(r"<[^<>]+>", " ", text)  # the seed's header carries an <i>…</i>
    return " ".join(re.sub(r"[^\w%]+", " ", text).split())


def _printed_key(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _is_header(cells: tuple[str, ...]) -> bool:
    joined = _key(" ".join(cells))
    return (cells and _key(cells[0]) in ("stt", "tt")) or joined.startswith(
        ("đơn vị tính", "số liệu", "kết quả thống kê")) or not any(c.strip() for c in cells[:2])


def read_appendix(blocks: list[Block], cat: Catalogue | None = None
                  ) -> tuple[list[AppendixRow], dict[str, Value], list[Finding]]:
    """Map the appendix rows to the catalogue and read their figures.

    Rows are matched by title first (the printed code can be wrong: the seed prints 1.1.1–1.1.3
    twice), then by printed code.  A printed code used twice is a finding.
    """
    cat = cat or default_catalogue()
    appendix = [i for i in cat if i.section == "appendix"]
    by_title: dict[str, list[Indicator]] = defaultdict(list)
    by_printed: dict[str, list[Indicator]] = defaultdict(list)
    for ind in appendix:
        by_title[_key(ind.title)].append(ind)
        by_printed[_printed_key(ind.printed)].append(ind)
    start = next((n for n, b in enumerate(blocks)
                  if "phụ lục" in nfc(b.text).casefold() and "01" in b.text), None)
    rows = [b for b in blocks[start or 0:] if b.is_row] if start is not None or any(
        b.is_row for b in blocks) else []
    mapped: list[AppendixRow] = []
    values: dict[str, Value] = {}
    findings: list[Finding] = []
    used: set[str] = set()
    unknown: list[AppendixRow] = []
    for block in rows:
        cells = block.cells
        if len(cells) < 2 or _is_header(cells):
            continue
        printed, title = cells[0].strip(), cells[1].strip()
        candidates = [i for i in by_title.get(_key(title), []) if i.code not in used]
        ind = None
        if len(candidates) == 1:
            ind = candidates[0]
        elif candidates:
            ind = next((i for i in candidates
                        if _printed_key(i.printed) == _printed_key(printed)), candidates[0])
        else:
            same = [i for i in by_printed.get(_printed_key(printed), []) if i.code not in used]
            ind = same[0] if len(same) == 1 else None
        mapped.append(AppendixRow(block, printed, title, ind.code if ind else None))
        if ind is None:
            unknown.append(mapped[-1])
            if len(unknown) <= MAX_UNKNOWN_ROWS:
                findings.append(finding("claim.unsure", block.place, found=_cut(title),
                                        excerpt=f"{printed} {title}"[:80],
                                        why="không nhận ra dòng này trong danh mục chỉ tiêu PHỤ "
                                            "LỤC SỐ 01, nên chưa kiểm tra số liệu của dòng"))
            continue
        used.add(ind.code)
        if ind.is_group:
            continue
        numbers = list(cells[3:6]) + ["", "", ""]
        parsed = {}
        for column, raw in zip(("total", "done", "rate"), numbers):
            if ind.kind == "enum" and column == "rate":
                continue
            try:
                parsed[column] = read_figure(raw, ind, column).value
            except NumberFormatError as exc:
                parsed[column] = None
                findings.append(finding("claim.unsure", block.place, code=ind.code,
                                        found=_cut(raw),
                                        excerpt=f"{printed} {title}"[:80],
                                        why=f"không đọc được số liệu: {exc.message}"))
        note = cells[6].strip() if len(cells) > 6 else ""
        value = Value(ind.code, parsed.get("total"), parsed.get("done"), parsed.get("rate"),
                      note)
        if not value.is_empty:
            values[ind.code] = value
    if len(unknown) > MAX_UNKNOWN_ROWS:
        more = unknown[MAX_UNKNOWN_ROWS:]
        findings.append(finding("claim.unsure", more[0].block.place, found=len(more),
                                excerpt=f"Còn {fmt_number(len(more))} dòng phụ lục khác",
                                why=f"cũng không nhận ra trong danh mục chỉ tiêu (từ "
                                    f"{more[0].block.place} đến {more[-1].block.place}), nên "
                                    "chưa kiểm tra số liệu của các dòng này"))
    findings += _duplicate_codes(mapped, cat)
    return mapped, values, findings


def _cut(text: str, limit: int = 120) -> str:
    """A cell quoted in a finding, at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _places(rows: list[AppendixRow], limit: int = 10) -> str:
    shown = ", ".join(r.block.place for r in rows[:limit])
    return shown + (f" và {fmt_number(len(rows) - limit)} chỗ khác" if len(rows) > limit else "")


def _duplicate_codes(rows: list[AppendixRow], cat: Catalogue) -> list[Finding]:
    seen: dict[str, list[AppendixRow]] = defaultdict(list)
    for row in rows:
        if row.printed and row.printed.casefold() not in ("trong đó", ""):
            seen[_printed_key(row.printed)].append(row)
    out = []
    for printed, group in seen.items():
        if len(group) < 2:
            continue
        codes = ", ".join(f"{r.code} \"{cat[r.code].title}\"" if r.code else "?"
                          for r in group[:10]) + (", …" if len(group) > 10 else "")
        out.append(finding("appendix.duplicate-code", group[1].block.place, found=_cut(printed),
                           printed=_cut(printed), count=len(group), places=_places(group),
                           codes=codes))
    return out


# ------------------------------------------------------------------------------- cross-checks

def _crosschecks() -> list[dict]:
    from importlib import resources

    text = resources.files("cchc_lib").joinpath("data/audit_crosschecks.yaml").read_text("utf-8")
    return yaml.safe_load(text)["crosschecks"]


def _cross_check(blocks: list[Block], values: dict[str, Value], cat: Catalogue,
                 claims: list[Claim]) -> list[tuple[Finding, str]]:
    """The same figure in the text and in the appendix must agree."""
    out = []
    text_blocks = [b for b in blocks if not b.is_row]
    for rule in _crosschecks():
        pattern = re.compile(rule["pattern"], re.IGNORECASE)
        value = values.get(rule["code"])
        if value is None:
            continue
        column = getattr(value, rule.get("column", "figure"), None) \
            if rule.get("column") else (value.done if value.done is not None else value.total)
        if column is None:
            continue
        matches = ((block, m) for block in text_blocks for m in pattern.finditer(nfc(block.text)))
        found = list(itertools.islice(matches, MAX_CROSS_MATCHES + 1))
        if len(found) > MAX_CROSS_MATCHES:
            block = found.pop()[0]
            out.append((finding("claim.unsure", block.place, code=rule["code"],
                                excerpt=f"Chỉ so {MAX_CROSS_MATCHES} chỗ đầu tiên nêu "
                                        f"{rule['what']} với phụ lục",
                                why=f"từ {block.place} trở đi, các chỗ khác nêu số này không "
                                    "được so"), ""))
        for block, m in found:
            digits = m.group(1).replace(".", "")
            if len(digits) > 15:
                continue  # no figure of a commune has so many digits: not a figure
            typed = float(digits)
            ok = typed == float(column)
            excerpt = m.group(0)[:120]
            f = None
            if not ok:
                ind = cat[rule["code"]]
                f = finding("figure.same-as", block.place, code=ind.code, found=typed,
                            expected=column, first=f"Phần thuyết minh ({rule['what']})",
                            first_value=fmt_number(typed),
                            second=f"{indicator_label(ind)} trong phụ lục",
                            second_value=fmt_number(column))
                out.append((f, excerpt))
            claims.append(Claim("figure.same-as", block.place, excerpt, ok, f))
    return out


# ------------------------------------------------------------------------------- the audit

def audit_blocks(blocks: list[Block], *, file: str = "", unit_hint: str | None = None,
                 period_hint: str | None = None, cat: Catalogue | None = None) -> AuditResult:
    """Audit a document already read into blocks."""
    cat = cat or default_catalogue()
    ctx, claims = check_blocks(blocks, unit_hint=unit_hint, period_hint=period_hint)
    result = AuditResult(file, ctx, list(claims))
    for claim in claims:
        if claim.finding is not None:
            result.findings.append(claim.finding)
            result.excerpts[id(claim.finding)] = claim.excerpt
    rows, values, appendix_findings = read_appendix(blocks, cat)
    result.appendix = rows
    for f in appendix_findings:
        result.findings.append(f)
    if values:
        place_of = {r.code: r.block.place for r in rows if r.code}
        sub = Submission(unit_code=ctx.unit.code if ctx.unit else "",
                         period=ctx.period.key if ctx.period else "", values=values)
        for f in run_checks(sub, cat, checks=FIGURE_CHECKS):
            where = place_of.get(f.indicator or "")
            f2 = replace(f, place=f"{f.place} ({where})" if where else f.place)
            result.findings.append(f2)
            row = next((r for r in rows if r.code == f.indicator), None)
            if row is not None:
                result.excerpts[id(f2)] = " | ".join(c for c in row.block.cells if c)[:120]
        for code, v in values.items():  # each typed rate of the appendix is a claim too
            if v.rate is None:
                continue
            bad = any(f.indicator == code and f.rule == "rate.mismatch" for f in result.findings)
            result.claims.append(Claim("rate.mismatch", place_of.get(code, ""),
                                       f"{code}: {fmt_number(v.rate)}%", not bad, None))
        for f, excerpt in _cross_check(blocks, values, cat, result.claims):
            result.findings.append(f)
            result.excerpts[id(f)] = excerpt
    result.findings.sort(key=lambda f: _ORDER[f.severity])
    return result


def audit_file(path: str | Path, *, unit_hint: str | None = None,
               period_hint: str | None = None) -> AuditResult:
    """Read a .docx, .pdf, .txt or .md report and audit it."""
    blocks = read_document(path)
    return audit_blocks(blocks, file=str(path), unit_hint=unit_hint, period_hint=period_hint)


def audit_html(result: AuditResult) -> str:
    """A page the analyst can send back to the commune (every value escaped)."""
    ctx = result.context
    rows = [{"severity": f.severity, "label": SEVERITY_LABELS[f.severity], "rule": f.rule,
             "place": f.place, "excerpt": result.excerpt(f), "message": f.message}
            for f in result.findings]
    counts = result.counts
    return str(render_template(
        "audit.html.j2", file=Path(result.file).name, rows=rows, counts=counts,
        checked=len(result.claims), consistent=result.consistent,
        appendix_rows=sum(1 for r in result.appendix if r.code),
        unit=units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "chưa xác định"),
        period=ctx.period_text or "chưa xác định",
        report_date=ctx.report_date_text or "chưa xác định"))
