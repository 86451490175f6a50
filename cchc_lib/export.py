"""Exporters: an executed notebook to a self-contained HTML page, a PDF and a DOCX.

- HTML: nbconvert's ``basic`` template (no external script or stylesheet), code,
  prompts, stderr and the parameter cells removed, wrapped in our own page with
  the report stylesheet and a print stylesheet; images stay embedded.
- PDF: that HTML through WeasyPrint, A4, the margins and page numbers of
  Nghị định 30/2020 (numbers centred at the top, none on the first page).
- DOCX: that HTML through pandoc (``pypandoc-binary``) with a reference document
  that sets Times New Roman 13 pt and the same margins, so it can be edited in Word.

Every file is written to a temporary name beside its target and renamed.
"""

from __future__ import annotations

import copy
import os
import subprocess
import tempfile
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterator

import nbformat

from cchc_lib.report import render_template

__all__ = ["atomic_path", "notebook_to_html", "html_to_pdf", "html_to_docx", "reference_docx",
           "FORMATS", "REMOVE_TAGS"]

FORMATS = ("html", "pdf", "docx")
# Cells that never reach a shared report: the parameters (a file-system path may be among them)
# and notes meant for the analyst who opens the notebook.
REMOVE_TAGS = ("parameters", "injected-parameters", "remove-cell")

# Nghị định 30/2020, Phụ lục I: A4; top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the cells and outputs a reader must not see."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_TAGS):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        kept.append(cell)
    nb.cells = kept
    return nb


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


def html_to_pdf(html: str, target: str | Path) -> Path:
    """Print the HTML page to an A4 PDF with WeasyPrint."""
    from weasyprint import HTML

    with atomic_path(target) as tmp:
        HTML(string=html, base_url=None).write_pdf(str(tmp))
    return Path(target)


@cache
def reference_docx() -> Path:
    """pandoc's reference document, set to Times New Roman 13 pt and the ND30 margins (A4).

    Made once per process from pandoc's own default, so nothing binary lives in the
    repository; kept in the temporary directory under a name that carries its settings.
    """
    import pypandoc
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt, RGBColor

    key = "-".join(f"{k}{v}" for k, v in MARGINS_MM.items())
    target = Path(tempfile.gettempdir()) / f"cchc-reference-tnr13-{key}.docx"
    if target.exists():
        return target
    default = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file",
                              "reference.docx"], check=True, capture_output=True).stdout
    with atomic_path(target) as tmp:
        tmp.write_bytes(default)
        doc = Document(str(tmp))
        for style in doc.styles:
            if style.type != 1:  # paragraph styles only
                continue
            font = style.font
            font.name = "Times New Roman"
            font.color.rgb = RGBColor(0, 0, 0)
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                             "rFonts")
            if fonts is not None:  # East-Asian and complex-script slots too
                for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                    fonts.set(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}"
                              f"{attr}", "Times New Roman")
            if style.name in ("Normal", "Body Text", "First Paragraph", "Compact"):
                font.size = Pt(13)
            elif style.name.startswith("Heading") or style.name == "Title":
                font.size = Pt(13)
                font.bold = True
        for section in doc.sections:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(
                MARGINS_MM["bottom"])
            section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(
                MARGINS_MM["right"])
        doc.save(str(tmp))
    return target


def html_to_docx(html: str, target: str | Path) -> Path:
    """Convert the HTML page to DOCX with pandoc and the reference document."""
    import re

    import pypandoc

    html = re.sub(r"<title>.*?</title>", "", html, count=1, flags=re.S)  # no title paragraph
    with atomic_path(target) as tmp:
        pypandoc.convert_text(html, "docx", format="html", outputfile=str(tmp),
                              extra_args=["--reference-doc", str(reference_docx())])
    return Path(target)
