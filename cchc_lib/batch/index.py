"""``outputs/index.html``: every report of a run, its key figures, errors and links."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cchc_lib import periods
from cchc_lib.batch.kinds import KINDS
from cchc_lib.batch.state import Outcome
from cchc_lib.files import atomic_path
from cchc_lib.html import render_template

__all__ = ["LINK_LABELS", "write_index"]

# The files an index row links to, with the words a reader sees.
LINK_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX",
               "check_html": "Phiếu kiểm tra (HTML)", "check_pdf": "Phiếu kiểm tra (PDF)"}
STATUS_LABELS = {"rendered": "đã tạo", "skipped": "không đổi", "failed": "LỖI"}


def write_index(outcomes: list[Outcome], out_root: str | Path) -> Path:
    """Write ``index.html`` under ``out_root``: a row per report, by period, kind and unit."""
    root = Path(out_root).resolve()
    order = {name: n for n, name in enumerate(KINDS)}
    rows = []
    for o in sorted(outcomes, key=lambda o: (o.job.period, order[o.job.params.notebook],
                                             o.job.unit_code)):
        rel = Path(o.job.out_dir).relative_to(root)
        f = o.figures
        kind = KINDS[o.job.params.notebook]
        rows.append({
            "unit": o.job.unit_name, "unit_code": o.job.unit_code, "kind": kind.label,
            "period": periods.label(periods.parse_period(o.job.period)),
            "figures": kind.figures_text(f), "errors": f.get("errors", ""),
            "illustrative": bool(f.get("illustrative")),
            "status": STATUS_LABELS[o.status],
            "failed": o.status == "failed", "error": o.error,
            "links": [(LINK_LABELS[fmt], f"{rel.as_posix()}/{name}")
                      for fmt, name in o.files.items() if fmt in LINK_LABELS],
            "notebook": f"{rel.as_posix()}/{o.files['ipynb']}" if "ipynb" in o.files else "",
        })
    counts = {s: sum(o.status == s for o in outcomes) for s in STATUS_LABELS}
    html = render_template("index.html.j2", rows=rows, counts=counts,
                           generated=datetime.now().strftime("%d/%m/%Y %H:%M"))
    target = root / "index.html"
    with atomic_path(target) as tmp:
        tmp.write_text(str(html), encoding="utf-8")
    return target
