"""``outputs/index.html``: the cumulative index of every report on disk and of every unit the
store expects, rebuilt after each run from what is there (not from the run alone).

Pages, all self-contained (no script, no network), linked to one another:

- ``index.html``: the last run's counts and failures; one row per parent (district or province)
  and one column per period, each cell the period's counts (đã nộp / muộn / có lỗi / chưa nộp)
  with the parent's own reports; with a single parent, its matrix too;
- ``index/<era>-<parent>.html``: the parent's units × periods matrix, each cell the unit's
  state with links to its report and check sheet (a province's hundred-odd units on one page;
  3,321 units are 34 such pages);
- ``index/<era>-<parent>_<period>.html``: one period of one parent, a row per unit: state,
  report date, when received, revisions, check errors, key figures, every file.

The data come from :mod:`cchc_lib.batch.matrix`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from cchc_lib import periods, units
from cchc_lib.batch.kinds import KINDS
from cchc_lib.batch.matrix import (CATEGORY_LABELS, LINK_LABELS, SHORT_LABELS, Cell, OnDisk,
                                   ParentBlock, build_blocks)
from cchc_lib.batch.state import Outcome
from cchc_lib.files import atomic_path
from cchc_lib.formatting import fmt_date_short
from cchc_lib.html import render_template, template_text

__all__ = ["LINK_LABELS", "INDEX_DIR", "write_index", "index_store"]

INDEX_DIR = "index"  # beside index.html: the parent and period pages
_ERA_TITLES = {"2025": "Từ ngày 01/07/2025: các tỉnh, thành phố",
               "2008": "Trước ngày 01/07/2025: các huyện (và tỉnh)"}


def index_store(outcomes: list[Outcome], store: str | Path | None = None) -> Path | None:
    """The store the index reads: the one given, else the one the run's jobs read, else the
    default one; None when it does not exist (the index then shows the files only)."""
    from cchc_lib.store import resolve_store_path

    if store is None:
        named = [o.job.params.parameters.get("store") for o in outcomes]
        store = next((s for s in named if s), None)
    path = Path(resolve_store_path(store))
    return path if path.is_file() else None


# ------------------------------------------------------------------------------- view models

def _counts_text(c: dict[str, int], with_store: bool) -> str:
    if not with_store:
        return f"{c['reports']} báo cáo đã tạo"
    parts = [f"{c['submitted']}/{c['expected']} đã nộp"]
    if c["late"]:
        parts.append(f"{c['late']} muộn")
    if c["errors"]:
        parts.append(f"{c['errors']} có lỗi")
    if c["missing"]:
        parts.append(f"{c['missing']} chưa nộp")
    if c["not_due"]:
        parts.append(f"{c['not_due']} chưa đến hạn")
    return "; ".join(parts)


def _own_links(reports: list[OnDisk], prefix: str) -> list[tuple[str, str]]:
    out = []
    for r in reports:
        if r.failed:
            out.append((f"{r.kind.label}: LỖI", r.href("ipynb", prefix)))
        elif "html" in r.files:
            out.append((r.kind.label, r.href("html", prefix)))
    return out


def _period_page(block: ParentBlock, period: str) -> str:
    return f"{block.key}_{period}.html"


def _cell_view(c: Cell, prefix: str) -> dict:
    s, r = c.status, c.report
    title = []
    if s is not None and s.submitted:
        if s.report_date:
            title.append(f"ngày báo cáo {s.report_date}")
        title.append(f"nhận lúc {_received(s)}")
        title.append(f"{s.revisions} lần nộp")
    elif s is not None and s.state == "missing":
        title.append(f"quá hạn {s.days_overdue} ngày")
    view = {"cls": c.category, "label": c.label() or "—", "notes": c.notes(), "href": "",
            "links": [], "title": "; ".join(title)}
    if r is not None and not r.failed:
        view["href"] = r.href("html", prefix)
        view["links"] = r.links(prefix, SHORT_LABELS)
        if not view["href"] and view["links"]:
            view["href"] = view["links"].pop(0)[1]
    elif r is not None and "ipynb" in r.files:
        view["links"] = [("notebook", r.href("ipynb", prefix))]
    return view


def _received(s) -> str:
    from cchc_lib.status import fmt_local

    return fmt_local(s.received_at)


def _matrix(block: ParentBlock, prefix: str, page_prefix: str) -> dict:
    columns = []
    for period in block.periods:
        columns.append({"label": periods.label(period),
                        "deadline": fmt_date_short(periods.deadline(period)),
                        "page": page_prefix + _period_page(block, period),
                        "counts_text": _counts_text(block.counts(period), block.with_store),
                        "own": _own_links(block.own.get(period, []), prefix)})
    rows = [{"code": code, "name": name,
             "cells": [_cell_view(block.cells[(code, p)], prefix) for p in block.periods]}
            for code, name in block.rows]
    return {"title": block.title, "size": len(block.rows), "columns": columns, "rows": rows}


def _period_view(block: ParentBlock, period: str, prefix: str) -> dict:
    rows = []
    for code, name in block.rows:
        c = block.cells[(code, period)]
        s, r = c.status, c.report
        links = r.links(prefix) if r is not None and not r.failed else []
        rows.append({
            "code": code, "name": name, "cls": c.category,
            "state": _state_words(c), "illustrative": c.illustrative,
            "notes": [n for n in c.notes() if n != "minh họa"],  # the name's tag says it
            "report_date": (s.report_date or "") if s is not None else "",
            "received": _received(s) if s is not None and s.submitted else "",
            "revisions": s.revisions if s is not None and s.submitted else "",
            "errors": "" if s is None or s.check_errors is None else s.check_errors,
            "figures": r.kind.figures_text(r.figures) if r is not None and not r.failed else "",
            "links": links,
            "notebook": r.href("ipynb", prefix) if r is not None and r.failed else "",
        })
    i = block.periods.index(period)
    near = {"prev": block.periods[i - 1] if i > 0 else None,
            "next": block.periods[i + 1] if i + 1 < len(block.periods) else None}
    own = [{"label": r.kind.label, "links": r.links(prefix),
            "figures": r.kind.figures_text(r.figures)} for r in block.own.get(period, [])
           if not r.failed]
    return {"parent": block.title, "parent_page": f"{block.key}.html",
            "label": periods.label(period),
            "deadline": fmt_date_short(periods.deadline(period)),
            "counts_text": _counts_text(block.counts(period), block.with_store),
            "own": own, "rows": rows,
            **{k: ({"label": periods.label(v), "page": _period_page(block, v)} if v else None)
               for k, v in near.items()}}


def _state_words(c: Cell) -> str:
    s = c.status
    if s is None:
        return c.label() or CATEGORY_LABELS["unknown"]
    if s.state == "missing":
        return f"chưa nộp, quá hạn {s.days_overdue} ngày"
    if s.state == "not_due":
        return f"chưa nộp, còn {s.days_left} ngày đến hạn"
    return c.label()


def _summary(blocks: list[ParentBlock]) -> list[dict]:
    eras = []
    for era in sorted({b.unit.era for b in blocks}, key=lambda e: e != units.ERAS[-1]):
        mine = [b for b in blocks if b.unit.era == era]
        pers = sorted({p for b in mine for p in b.periods}, key=periods.sort_key)
        rows = []
        for b in mine:
            cols = []
            for p in pers:
                if p not in b.periods:
                    cols.append(None)
                    continue
                cols.append({"page": f"{INDEX_DIR}/{_period_page(b, p)}",
                             "counts_text": _counts_text(b.counts(p), b.with_store),
                             "own": _own_links(b.own.get(p, []), "")})
            rows.append({"title": b.title, "page": f"{INDEX_DIR}/{b.key}.html",
                         "size": len(b.rows), "cols": cols})
        eras.append({"title": _ERA_TITLES.get(era, era), "blocks": rows,
                     "periods": [{"label": periods.label(p),
                                  "deadline": fmt_date_short(periods.deadline(p))}
                                 for p in pers]})
    return eras


# ------------------------------------------------------------------------------- writing

def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")


def write_index(outcomes: list[Outcome], out_root: str | Path, *,
                store: str | Path | None = None, as_of: date | None = None) -> Path:
    """Rebuild ``index.html`` and its pages under ``out_root`` from every report on disk and
    the store (:func:`index_store`); ``outcomes`` (this run's) give the run's counts and
    failures.  Returns the path of ``index.html``."""
    from cchc_lib.status import LOCAL_TZ, local_today

    root = Path(out_root).resolve()
    store_path = index_store(outcomes, store)
    day = as_of or local_today()
    blocks = build_blocks(root, store_path, as_of=day)
    css = template_text("index.css")
    common = {"css": css, "store": store_path is not None, "as_of": fmt_date_short(day)}
    written = set()
    pages = root / INDEX_DIR
    for b in blocks:
        m = _matrix(b, prefix="../", page_prefix="")
        _write(pages / f"{b.key}.html", str(render_template("index_parent.html.j2", m=m,
                                                              **common)))
        written.add(f"{b.key}.html")
        for period in b.periods:
            name = _period_page(b, period)
            _write(pages / name, str(render_template(
                "index_period.html.j2", p=_period_view(b, period, "../"), **common)))
            written.add(name)
    if pages.is_dir():  # pages of parents no longer on disk nor in the store
        for old in pages.glob("*.html"):
            if old.name not in written:
                old.unlink(missing_ok=True)
    run = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    failures = []
    for o in outcomes:
        if o.status != "failed":
            continue
        try:
            rel = Path(o.job.out_dir).resolve().relative_to(root).as_posix()
        except ValueError:  # written outside this outputs folder: no link
            rel = None
        failures.append({"period": o.job.period, "unit": f"{o.job.unit_name} "
                         f"({o.job.unit_code})", "kind": KINDS[o.job.params.notebook].label,
                         "error": o.error, "notebook": f"{rel}/{o.files['ipynb']}"
                         if rel is not None and "ipynb" in o.files else ""})
    inline = _matrix(blocks[0], prefix="", page_prefix=f"{INDEX_DIR}/") if len(blocks) == 1 \
        else None
    html = render_template("index.html.j2", eras=_summary(blocks), run=run if outcomes else None,
                           failures=failures, inline=inline,
                           generated=datetime.now(LOCAL_TZ).strftime("%d/%m/%Y %H:%M"), **common)
    target = root / "index.html"
    _write(target, str(html))
    return target
