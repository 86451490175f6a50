"""The cheaper report keeps the same content: charts laid out once exactly where constrained
layout puts them and saved as opaque PNGs; the DOCX built from a cached blank with style ids
looked up once; the HTML exporter and WeasyPrint's fonts reused warm.  No timing here: the
benchmark (benchmarks/render_batch.py) measures the speed."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from cchc_lib import calc, charts
from cchc_lib.serialize import load_sample

HISTORY = [("quý I/2024", {"3.4.1": 70.2, "3.4.2": 35.0}),
           ("6 tháng đầu năm 2024", {"3.4.1": 74.9, "3.4.2": None}),
           ("9 tháng năm 2024", {"3.4.1": 100.0, "3.4.2": 41.0})]
LABELS = {"3.4.1": "Hồ sơ đúng hạn", "3.4.2": "Hồ sơ đất đai đúng hạn"}


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def ranked(n: int) -> pd.DataFrame:
    frame = pd.DataFrame({"unit_code": [f"{24000 + i}" for i in range(n)],
                          "value": [100.0 - i * 1.5 for i in range(n)]})
    frame["rank"] = frame["value"].rank(method="min", ascending=False)
    return frame


def every_fitted_chart(sample):
    """The charts placed by _fit_layout: the commune report's five, and the ranking."""
    staff = calc.staff(sample)
    return {
        "dossiers": charts.dossier_chart(calc.dossiers(sample)),
        "budget": charts.budget_chart(calc.budget(sample)),
        "staff": charts.staff_chart(staff),
        "staff, two lines": charts.staff_chart(list(staff)[:2]),
        "tasks": charts.tasks_chart(calc.plan_tasks(sample)),
        "trend": charts.trend_chart(HISTORY, LABELS),
        "trend, one series": charts.trend_chart(HISTORY, {"3.4.1": "Hồ sơ đúng hạn"}),
        "ranking": charts.ranking_chart(ranked(12), {"24000": "Thị trấn Quảng Khê"}, "Xếp hạng"),
        "ranking, cut": charts.ranking_chart(ranked(70), {}, "Tỷ lệ hồ sơ đúng hạn"),
    }


def test_charts_are_placed_where_constrained_layout_places_them(sample):
    for name, fig in every_fitted_chart(sample).items():
        assert fig.get_layout_engine() is None, name  # laid out once, not at every save
        fitted = np.array(fig.axes[0].get_position().bounds)
        with charts.style():
            fig.set_layout_engine("constrained")
            fig.canvas.draw()
        constrained = np.array(fig.axes[0].get_position().bounds)
        width_px = fig.get_size_inches()[0] * fig.dpi
        assert np.abs(fitted - constrained).max() * width_px < 0.5, name


def test_a_chart_is_an_opaque_png_of_its_size_at_150_dpi(sample):
    fig = charts.dossier_chart(calc.dossiers(sample))
    png = charts.figure_to_png(fig)
    image = Image.open(io.BytesIO(png))
    width, height = fig.get_size_inches() * charts.DPI
    assert image.mode == "RGB" and image.size == (round(width), round(height))
    assert image.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.05)  # px per m
    assert charts.figure_to_png(fig) == png  # the same bytes every time
    # the heatmap keeps constrained layout (a colour bar); drawn once, laid out all the same
    matrix = pd.DataFrame({"3.4.1": [74.9, 90.0], "3.4.2": [33.9, np.nan]}, index=["1", "2"])
    heat = charts.heatmap(matrix, {}, {"3.4.1": "Hồ sơ đúng hạn", "3.4.2": "Đất đai"})
    assert heat.get_layout_engine() is not None
    assert Image.open(io.BytesIO(charts.figure_to_png(heat))).mode == "RGB"
    # another resolution on request still works (the figure's own dpi is untouched)
    assert Image.open(io.BytesIO(charts.figure_to_png(fig, dpi=75))).size[0] == round(width / 2)
    assert fig.dpi == charts.DPI


def test_tick_labels_are_remembered_not_recomputed_wrongly():
    assert [charts._axis_pct(v) for v in (0, 12.5, 100.0, np.float64(25))] == \
        ["0%", "12,5%", "100%", "25%"]
    assert [charts._axis_num(v) for v in (1000, 2.5, 1000.0)] == ["1.000", "2,5", "1.000"]


# --------------------------------------------------------------------------- DOCX and exporters

def test_style_ids_looked_up_once_write_what_python_docx_writes():
    from docx import Document

    from cchc_lib import worddoc

    builder = worddoc._Builder()
    doc = builder.doc
    for name in ("Body Text", "Heading 1", "Bảng - số", "Normal", "Người ký"):
        ours, theirs = doc.add_paragraph("x"), doc.add_paragraph("x")
        worddoc._set_style(ours, name)
        theirs.style = name  # python-docx's own lookup
        assert ours._p.xml == theirs._p.xml, name
    # each document is its own copy of the cached blank
    first, second = worddoc._Builder(), worddoc._Builder()
    first.para("chỉ trong văn bản thứ nhất")
    assert "chỉ trong" not in "".join(p.text for p in second.doc.paragraphs)
    assert isinstance(Document(io.BytesIO(worddoc._blank())), type(doc))


def test_docx_of_the_same_parts_is_the_same_document():
    from cchc_lib.worddoc import build_docx

    parts = [{"kind": "section", "level": 1, "heading": "I. KẾT QUẢ", "paragraphs": ["Một."]},
             {"kind": "appendix", "label": "PHỤ LỤC SỐ 01", "title": "Số liệu",
              "attached": "Kèm theo báo cáo", "rows": [
                  {"printed": "1", "title": "Hồ sơ", "unit": "Hồ sơ", "total": "10",
                   "done": "9", "rate": "90", "typed": "95", "group": True}]}]
    docs = [build_docx(parts, title="A"), build_docx(parts[:1], title="B"),
            build_docx(parts, title="A")]
    xml = [zipfile.ZipFile(io.BytesIO(d)).read("word/document.xml") for d in docs]
    assert xml[0] == xml[2] != xml[1]
    assert b"PH\xe1\xbb\xa4 L\xe1\xbb\xa4C S\xe1\xbb\x90 01" in xml[0]


def test_warm_exporters_give_what_fresh_ones_give(tmp_path):
    """The HTML exporter and the PDF font configuration are reused across reports: a report
    exported after another is the report exported alone."""
    import nbformat
    from nbconvert import HTMLExporter
    from pypdf import PdfReader

    from cchc_lib.batch import export
    from cchc_lib.parts import Chart

    def notebook(text: str, fig) -> nbformat.NotebookNode:
        bundle, meta = Chart(fig, name="tasks")._repr_mimebundle_()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {text}"),
                                             nbformat.v4.new_code_cell("x")])
        nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data=bundle,
                                                      metadata=meta)]
        return nb

    sample = load_sample()
    one = notebook("Báo cáo thứ nhất", charts.tasks_chart(calc.plan_tasks(sample)))
    two = notebook("Báo cáo thứ hai", charts.staff_chart(calc.staff(sample)))
    export.notebook_to_html(one, "Một")
    warm = export.notebook_to_html(two, "Hai")
    fresh_exporter = HTMLExporter(template_name="basic", exclude_input=True,
                                  anchor_link_text="", exclude_input_prompt=True,
                                  exclude_output_prompt=True)
    export._WARM.html = fresh_exporter
    assert export.notebook_to_html(two, "Hai") == warm
    pdf_warm, pages = export.html_to_pdf(warm)
    export._WARM.fonts = None  # a fresh font configuration
    pdf_fresh, pages_fresh = export.html_to_pdf(warm)
    texts = [[p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
             for pdf in (pdf_warm, pdf_fresh)]
    assert pages == pages_fresh and texts[0] == texts[1]
    assert "Báo cáo thứ hai" in texts[0][0]
