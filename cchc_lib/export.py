"""Exporters: an executed notebook to a self-contained HTML page, a PDF, a DOCX, a check sheet.

- HTML: nbconvert's ``basic`` template (no external script or stylesheet), code,
  prompts, stderr and the parameter cells removed, wrapped in our own page with
  the report stylesheet and a print stylesheet; images stay embedded.
- PDF: that HTML through WeasyPrint, A4, the margins and page numbers of
  Nghị định 30/2020 (numbers centred at the top, none on the first page; the
  appendix on its own landscape pages, numbered on its own).
- DOCX: built for Word from the parts the notebook displayed
  (:mod:`cchc_lib.worddoc`), not converted from the HTML.
- Check sheet (phiếu kiểm tra số liệu): the findings the notebook carried, with
  the workbook place to fix each one, as its own HTML page and PDF.

Every file is written to a temporary name beside its target and renamed.
"""

from __future__ import annotations

import copy
import os
import tempfile
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

import nbformat

from cchc_lib.parts import PART_MIME, REMOVE_TAGS, notebook_parts
from cchc_lib.report import render_template

__all__ = ["atomic_path", "current_umask", "remove_stale_temporaries", "notebook_to_html",
           "html_to_pdf", "notebook_to_docx", "notebook_findings", "check_sheet_html", "FORMATS",
           "REMOVE_TAGS"]

FORMATS = ("html", "pdf", "docx")


def current_umask() -> int:
    """The process's umask, read without changing it (Linux: /proc/self/status)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds.

    The file gets the permissions an ordinary new file would (0666 less the umask), not
    mkstemp's private 0600, so a shared office folder stays readable.  The temporary name
    carries the writer's process id, so a later run can remove what a killed one left.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                               dir=target.parent)
    os.fchmod(fd, 0o666 & ~current_umask())
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Remove the ``.…​.<pid>.….tmp`` files of writers that are no longer running."""
    removed = []
    for path in Path(folder).glob(".*.tmp"):
        parts = path.name.split(".")
        pid = next((int(p) for p in reversed(parts[:-2]) if p.isdigit()), None)
        if pid is not None and (pid == os.getpid() or _alive(pid)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the cells and outputs a reader must not see."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_TAGS):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _shown(o)]
        kept.append(cell)
    nb.cells = kept
    return nb


def _shown(output) -> bool:
    """Whether an output belongs in a shared report: no stderr, no empty part (the findings
    that go to the check sheet display nothing in the report)."""
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    data = output.get("data", {})
    if PART_MIME in data and not str(data.get("text/html", "x")).strip() \
            and "image/png" not in data:
        return False
    return True


def notebook_to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The executed notebook as one self-contained HTML page (no code, no network)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True, anchor_link_text="",
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(_clean(nb))
    css = resources.files("cchc_lib").joinpath("templates/report.css").read_text("utf-8")
    page_css = resources.files("cchc_lib").joinpath("templates/page.css").read_text("utf-8")
    return str(render_template("page.html.j2", title=title, css=css + "\n" + page_css,
                               body=body))


def html_to_pdf(html: str, target: str | Path) -> int:
    """Print the HTML page to an A4 PDF with WeasyPrint; the number of pages printed."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render()
    with atomic_path(target) as tmp:
        document.write_pdf(str(tmp))
    return len(document.pages)


def notebook_to_docx(nb: nbformat.NotebookNode, target: str | Path, title: str = "") -> Path:
    """The report as a Word document built from the parts the notebook displayed."""
    from cchc_lib.worddoc import build_docx

    data = build_docx(notebook_parts(nb), title=title)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def notebook_findings(nb: nbformat.NotebookNode) -> dict | None:
    """The check sheet's data that a report notebook carried, or None (an overview)."""
    for part in notebook_parts(nb):
        if part.get("kind") == "findings":
            return part
    return None


def check_sheet_html(data: dict, *, report_name: str = "") -> str:
    """The check sheet (phiếu kiểm tra số liệu) as one self-contained HTML page."""
    css = resources.files("cchc_lib").joinpath("templates/checksheet.css").read_text("utf-8")
    return str(render_template("checksheet.html.j2", d=data, css=css, report_name=report_name))
