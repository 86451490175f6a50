"""What a notebook displays, carried twice: as HTML for the page and as data for Word.

A report notebook shows its parts one call at a time (header, sections, charts,
signature, appendix).  Each part is displayed as a MIME bundle that holds the
HTML a browser or nbconvert shows *and* the same content as plain data under
:data:`PART_MIME`, so the exporter can build a Word document with real Word
styles from the executed notebook (:mod:`cchc_lib.worddoc`) without loading the
report a second time and without converting HTML.  Charts are encoded once, as
PNG with a Vietnamese alternative text that states what they show.
"""

from __future__ import annotations

import base64
from typing import Any, Iterator

from cchc_lib.html import Html

__all__ = ["PART_MIME", "REMOVE_TAGS", "Part", "Chart", "describe_figure", "notebook_parts"]

PART_MIME = "application/vnd.cchc.part+json"
# Cells that never reach a shared report: the parameters (a file-system path may be among them)
# and notes meant for the analyst who opens the notebook.
REMOVE_TAGS = ("parameters", "injected-parameters", "remove-cell")


class Part(Html):
    """HTML plus the same content as data (``kind`` and fields) for the Word exporter."""

    def __new__(cls, html: str, kind: str, **data: Any):
        obj = super().__new__(cls, html)
        obj.kind = kind
        obj.data = {"kind": kind, **data}
        return obj

    def _repr_mimebundle_(self, include=None, exclude=None):
        plain = self.data.get("text") or self.data.get("heading") or self.kind
        return {"text/html": str(self), "text/plain": str(plain)[:200], PART_MIME: self.data}


class Chart:
    """A matplotlib figure shown as one PNG with a Vietnamese alternative text."""

    def __init__(self, fig, alt: str | None = None, name: str = ""):
        self.fig = fig
        self.name = name
        self.alt = alt or describe_figure(fig)

    def png(self) -> bytes:
        from cchc_lib.charts import figure_to_png

        return figure_to_png(self.fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        png = self.png()
        width_in, height_in = self.fig.get_size_inches()
        data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": self.alt,
                PART_MIME: {"kind": "chart", "name": self.name, "alt": self.alt,
                            "width_in": round(float(width_in), 3),
                            "height_in": round(float(height_in), 3)}}
        return data, {"image/png": {"alt": self.alt}}


def _texts(ax) -> list[str]:
    return [t.get_text().strip() for t in ax.texts if t.get_visible() and t.get_text().strip()]


def describe_figure(fig) -> str:
    """``Biểu đồ "…": …`` — the title, the categories and every figure printed on the chart.

    Read from the drawn figure itself, so the words always match the figures a sighted
    reader sees (and the sentence the chart illustrates).
    """
    parts: list[str] = []
    suptitle = getattr(fig, "_suptitle", None)
    title = suptitle.get_text().strip() if suptitle is not None else ""
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        ax_title = ax.get_title().strip()
        if ax_title and not title:
            title = ax_title
        elif ax_title:
            parts.append(ax_title)
        labels = [t.get_text().strip() for t in ax.get_yticklabels() if t.get_text().strip()]
        xlabels = [t.get_text().strip() for t in ax.get_xticklabels() if t.get_text().strip()]
        values = _texts(ax)
        legend = ax.get_legend()
        keys = [t.get_text().strip() for t in legend.get_texts()] if legend else []
        bits = []
        categories = labels if values and labels and not labels[0][:1].isdigit() else xlabels
        if categories and not categories[0][:1].isdigit():
            bits.append("các mục: " + "; ".join(categories))
        if keys:
            bits.append("chú giải: " + "; ".join(keys))
        if values:
            bits.append("số liệu ghi trên biểu đồ: " + "; ".join(values))
        if bits:
            parts.append(", ".join(bits))
    keys = [t.get_text().strip() for legend in getattr(fig, "legends", [])
            for t in legend.get_texts() if t.get_text().strip()]
    if keys:
        parts.append("chú giải: " + "; ".join(keys))
    head = f'Biểu đồ "{title}"' if title else "Biểu đồ"
    text = head + (": " + ". ".join(parts) if parts else "")
    return " ".join(text.split()) + "."


def notebook_parts(nb) -> Iterator[dict[str, Any]]:
    """Every part an executed notebook displayed, in reading order.

    Markdown cells that are not tagged away give ``{"kind": "markdown", "text": …}``;
    a PNG output without part data gives a ``chart`` whose alt text is its metadata's.
    """
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_TAGS):
            continue
        if cell.cell_type == "markdown":
            yield {"kind": "markdown", "text": "".join(cell.source)}
            continue
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PART_MIME in data:
                part = dict(data[PART_MIME])
                if part.get("kind") == "chart":
                    part["png"] = base64.b64decode(data.get("image/png", ""))
                yield part
            elif "image/png" in data:
                meta = out.get("metadata", {}).get("image/png", {})
                yield {"kind": "chart", "alt": meta.get("alt") or "Biểu đồ.",
                       "png": base64.b64decode(data["image/png"])}
