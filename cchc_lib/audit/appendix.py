"""The appendix PHỤ LỤC SỐ 01 of a hand-written report, checked like a workbook's.

When the document carries it (a Word table or tab-separated lines), its rows are mapped to the
catalogue by printed code and title, their figures read as a workbook's cells are
(:func:`cchc_lib.reader.read_figure`), and checked by the very checks of a workbook
(:data:`cchc_lib.checks.FIGURE_CHECKS`).  Rows not in the catalogue get a note each, up to
``MAX_UNKNOWN_ROWS`` (:mod:`cchc_lib.audit.limits`); the rest share one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from cchc_lib.audit import limits
from cchc_lib.audit.claim import Claim, Noted, ReportContext
from cchc_lib.audit.document import Block
from cchc_lib.audit.text import BODY_WORDS
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.checks import FIGURE_CHECKS, finding, run_checks
from cchc_lib.formatting import fmt_number
from cchc_lib.model import Finding, Indicator, Submission, Value
from cchc_lib.numparse import NumberFormatError
from cchc_lib.reader import read_figure
from cchc_lib.textparse import nfc

__all__ = ["AppendixRow", "read_appendix", "check_appendix", "cut"]


@dataclass(frozen=True)
class AppendixRow:
    """One row of the appendix as printed, and the catalogue row it was mapped to."""

    block: Block
    printed: str
    title: str
    code: str | None


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


def cut(text: str, limit: int = 120) -> str:
    """A cell quoted in a finding, at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


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
    if start is None:  # no "PHỤ LỤC SỐ 01" line: the rows below the header table
        start = next((n for n, b in enumerate(blocks)
                      if not b.is_row and len(b.text.split()) >= BODY_WORDS), 0)
    rows = [b for b in blocks[start:] if b.is_row]
    mapped: list[AppendixRow] = []
    values: dict[str, Value] = {}
    findings: list[Finding] = []
    used: set[str] = set()
    unknown: list[AppendixRow] = []
    most = limits.MAX_UNKNOWN_ROWS
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
            if len(unknown) <= most:
                findings.append(finding("claim.unsure", block.place, found=cut(title),
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
                                        found=cut(raw),
                                        excerpt=f"{printed} {title}"[:80],
                                        why=f"không đọc được số liệu: {exc.message}"))
        note = cells[6].strip() if len(cells) > 6 else ""
        value = Value(ind.code, parsed.get("total"), parsed.get("done"), parsed.get("rate"),
                      note)
        if not value.is_empty:
            values[ind.code] = value
    if len(unknown) > most:
        more = unknown[most:]
        findings.append(finding("claim.unsure", more[0].block.place, found=len(more),
                                excerpt=f"Còn {fmt_number(len(more))} dòng phụ lục khác",
                                why=f"cũng không nhận ra trong danh mục chỉ tiêu (từ "
                                    f"{more[0].block.place} đến {more[-1].block.place}), nên "
                                    "chưa kiểm tra số liệu của các dòng này"))
    findings += _duplicate_codes(mapped, cat)
    return mapped, values, findings


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
        out.append(finding("appendix.duplicate-code", group[1].block.place, found=cut(printed),
                           printed=cut(printed), count=len(group), places=_places(group),
                           codes=codes))
    return out


def check_appendix(rows: list[AppendixRow], values: dict[str, Value], ctx: ReportContext,
                   cat: Catalogue) -> tuple[list[Noted], list[Claim]]:
    """The appendix's figures through the workbook's figure checks (each finding placed at its
    row and quoting it), and each typed rate as a claim."""
    place_of = {r.code: r.block.place for r in rows if r.code}
    row_of = {}
    for r in rows:
        if r.code:
            row_of.setdefault(r.code, r)
    sub = Submission(unit_code=ctx.unit.code if ctx.unit else "",
                     period=ctx.period.key if ctx.period else "", values=values)
    noted = []
    for f in run_checks(sub, cat, checks=FIGURE_CHECKS):
        where = place_of.get(f.indicator or "")
        row = row_of.get(f.indicator)
        quoted = " | ".join(c for c in row.block.cells if c)[:120] if row is not None else ""
        noted.append(Noted(replace(f, place=f"{f.place} ({where})" if where else f.place),
                           quoted))
    mismatched = {f.finding.indicator for f in noted if f.finding.rule == "rate.mismatch"}
    claims = [Claim("rate.mismatch", place_of.get(code, ""), f"{code}: {fmt_number(v.rate)}%",
                    code not in mismatched, None)
              for code, v in values.items() if v.rate is not None]
    return noted, claims
