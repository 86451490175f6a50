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

Every exporter returns text or bytes and writes nothing: the worker that calls them may run
on another machine, and the batch client writes the files (:mod:`cchc_lib.batch.pool`).
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from cchc_lib.html import render_template, template_text
from cchc_lib.parts import PART_MIME, REMOVE_TAGS, notebook_parts

__all__ = ["FORMATS", "FIGURES_TAG", "notebook_to_html", "html_to_pdf", "notebook_to_docx",
           "notebook_findings", "notebook_figures", "check_sheet_html", "REMOVE_TAGS", "warm_up"]

# The formats a report can be exported to, in the order they are made.
FORMATS = ("html", "pdf", "docx")
# The cell whose output carries the report's key figures (for the index, never shown).
FIGURES_TAG = "key-figures"


def _clean(nb):
    """A copy without the cells and outputs a reader must not see."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_TAGS + (FIGURES_TAG,)):
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


# Exporters and the PDF engine's font configuration, made once per thread of a worker and reused
# warm: an HTMLExporter compiles its Jinja templates on its first page, and WeasyPrint loads
# the fonts into a fresh font configuration for every document it is not given one for.
_WARM = threading.local()


def _html_exporter():
    exporter = getattr(_WARM, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = _WARM.html = HTMLExporter(
            template_name="basic", exclude_input=True, anchor_link_text="",
            exclude_input_prompt=True, exclude_output_prompt=True)
    return exporter


def _font_config():
    config = getattr(_WARM, "fonts", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _WARM.fonts = FontConfiguration()
    return config


def warm_up(formats=FORMATS) -> None:
    """Load what this thread's first report would (nbconvert's templates, WeasyPrint and the
    fonts, the blank DOCX), so that it costs what the next ones do.

    A worker calls it while its kernel's process boots.  A failure here is left for the first
    report to show.
    """
    try:
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("cchc")])
        html = notebook_to_html(nb, "cchc")
        if "pdf" in formats:
            html_to_pdf(html)
        if "docx" in formats:
            notebook_to_docx(nb)
    except Exception:  # noqa: BLE001 - only a head start
        pass


def notebook_to_html(nb, title: str) -> str:
    """The executed notebook as one self-contained HTML page (no code, no network)."""
    body, _ = _html_exporter().from_notebook_node(_clean(nb))
    css = template_text("report.css") + "\n" + template_text("page.css")
    return str(render_template("page.html.j2", title=title, css=css, body=body))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The HTML page printed to an A4 PDF with WeasyPrint: its bytes and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=None).render(font_config=_font_config())
    return document.write_pdf(), len(document.pages)


def notebook_to_docx(nb, title: str = "") -> bytes:
    """The report as a Word document built from the parts the notebook displayed."""
    from cchc_lib.worddoc import build_docx

    return build_docx(notebook_parts(nb), title=title)


def notebook_findings(nb) -> dict | None:
    """The check sheet's data that a report notebook carried, or None (an overview)."""
    for part in notebook_parts(nb):
        if part.get("kind") == "findings":
            return part
    return None


def notebook_figures(nb) -> dict[str, Any]:
    """The key figures the notebook displayed in its ``key-figures`` cell ({} if none)."""
    for cell in nb.cells:
        if FIGURES_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            part = out.get("data", {}).get(PART_MIME)
            if isinstance(part, dict) and part.get("kind") == "figures":
                return {k: v for k, v in part.items() if k != "kind"}
    return {}


def check_sheet_html(data: dict, *, report_name: str = "") -> str:
    """The check sheet (phiếu kiểm tra số liệu) as one self-contained HTML page."""
    return str(render_template("checksheet.html.j2", d=data, css=template_text("checksheet.css"),
                               report_name=report_name))
