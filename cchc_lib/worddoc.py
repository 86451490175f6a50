"""The report as a Word document built for Word: Nghị định 30/2020 layout, real Word styles.

The document is assembled with python-docx from the parts an executed report
notebook displayed (:func:`cchc_lib.parts.notebook_parts`), not converted from
HTML, so that a commune clerk opens something that looks typed by a careful
clerk: the two-column header with its short rules, the italic place-date, the
bold centred title, justified body text with a first-line indent, headings and
every other style in Times New Roman (no theme fonts), page numbers centred at
the top from page 2, the signature block and Nơi nhận kept on one page, and
PHỤ LỤC SỐ 01 in its own landscape section with its own page numbers, bordered
columns of sensible widths, a header row repeated on every page, numbers
right-aligned and group rows bold.  Charts carry a Vietnamese alternative text.

python-docx was chosen over docxtpl: the document's shape varies with the data
(sections present or not, 95 appendix rows, charts), which python-docx builds
directly, while a docxtpl template would still need python-docx for the
tables, sections and fields.
"""

from __future__ import annotations

import functools
import io
import weakref
from typing import Any, Iterable

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

__all__ = ["build_docx", "FONT", "MARGINS_MM", "APPENDIX_WIDTHS_CM"]

FONT = "Times New Roman"
# Nghị định 30/2020, Phụ lục I: A4; top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT = 13
# PHỤ LỤC SỐ 01 on a landscape A4 page (252 mm between the margins).
APPENDIX_WIDTHS_CM = (1.6, 10.6, 3.2, 2.4, 2.4, 2.4, 2.6)
APPENDIX_HEADERS = ("Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng",
                    "Số liệu đã thực hiện", "Tỷ lệ (%)", "Ghi chú")


# ------------------------------------------------------------------------------- styles

def _set_fonts(rpr, name: str = FONT) -> None:
    """Times New Roman in every script slot, and no theme font that would override it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        first = rpr.find(qn("w:rStyle"))
        rpr.insert(0 if first is None else 1, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), name)


def _style_font(style, size: float | None = None, *, bold: bool | None = None,
                italic: bool | None = None) -> None:
    style.font.name = FONT
    _set_fonts(style.element.get_or_add_rPr())
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def _paragraph_style(doc, name: str, *, base: str = "Normal", size: float = BODY_PT,
                     bold: bool = False, italic: bool = False,
                     align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0,
                     indent_cm: float | None = None, keep_next: bool = False):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    _style_font(style, size, bold=bold, italic=italic)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.first_line_indent = Cm(indent_cm) if indent_cm is not None else Cm(0)
    pf.keep_with_next = keep_next
    return style


def _setup_styles(doc) -> None:
    # Document defaults: no theme font anywhere, Times New Roman 13.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr)
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER,
                          WD_STYLE_TYPE.TABLE):
            rpr = style.element.rPr
            if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
                _set_fonts(rpr)
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    body = _paragraph_style(doc, "Body Text", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6,
                            indent_cm=1.0)
    body.paragraph_format.line_spacing = 1.15
    body.paragraph_format.widow_control = True
    for name, before in (("Heading 1", 6), ("Heading 2", 3)):
        h = _paragraph_style(doc, name, size=BODY_PT, bold=True,
                             align=WD_ALIGN_PARAGRAPH.LEFT, before=before, after=6,
                             indent_cm=1.0, keep_next=True)
        h.font.italic = False
        h.paragraph_format.line_spacing = 1.15
    _paragraph_style(doc, "Cơ quan chủ quản", size=12)
    _paragraph_style(doc, "Cơ quan ban hành", size=12, bold=True)
    _paragraph_style(doc, "Quốc hiệu", size=12, bold=True)
    _paragraph_style(doc, "Tiêu ngữ", size=13, bold=True)
    _paragraph_style(doc, "Số, ký hiệu", size=13, before=6)
    _paragraph_style(doc, "Địa danh, ngày tháng", size=13, italic=True, before=6)
    _paragraph_style(doc, "Tên loại văn bản", size=14, bold=True, before=18, keep_next=True)
    _paragraph_style(doc, "Trích yếu", size=14, bold=True, keep_next=True)
    _paragraph_style(doc, "Đường kẻ", size=2, before=4, after=4)
    _paragraph_style(doc, "Nơi nhận - nhãn", size=12, bold=True, italic=True,
                     align=WD_ALIGN_PARAGRAPH.LEFT, keep_next=True)
    _paragraph_style(doc, "Nơi nhận", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, keep_next=True)
    _paragraph_style(doc, "Thẩm quyền ký", size=13, bold=True, keep_next=True)
    _paragraph_style(doc, "Người ký", size=13, bold=True, before=66)
    _paragraph_style(doc, "Phụ lục - số", size=14, bold=True, keep_next=True)
    _paragraph_style(doc, "Phụ lục - tên", size=13, bold=True, keep_next=True)
    _paragraph_style(doc, "Phụ lục - kèm theo", size=13, italic=True, after=6, keep_next=True)
    _paragraph_style(doc, "Bảng", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "Bảng - số", size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, "Bảng - tiêu đề", size=11, bold=True)
    _paragraph_style(doc, "Ghi chú", size=11, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                     before=6)
    _paragraph_style(doc, "Hình", size=BODY_PT, before=3, after=6)
    _paragraph_style(doc, "Khung lưu ý", size=BODY_PT, bold=True, after=12)
    _paragraph_style(doc, "Số trang", size=13)


# ------------------------------------------------------------------------------- helpers

# Children that follow w:pBdr in w:pPr, and w:tblBorders / w:tblLayout in w:tblPr (the
# schema's order, which Word enforces: an element out of order makes the file "unreadable").
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")
_AFTER_TBLLAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                    "w:tblPrChange")


# Paragraph style ids by name, per document part, looked up once: python-docx's
# ``paragraph.style = name`` compares the style with the default one by scanning every style
# of the document on each assignment, which was most of a report's DOCX time.
_STYLE_IDS: "weakref.WeakKeyDictionary[Any, dict[str, str | None]]" = weakref.WeakKeyDictionary()


def _set_style(paragraph, name: str) -> None:
    """``paragraph.style = name``, the same XML, the style's id looked up once per document."""
    part = paragraph.part
    ids = _STYLE_IDS.setdefault(part, {})
    if name not in ids:
        ids[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    paragraph._p.style = ids[name]


def _add_paragraph(container, text: str, style: str):
    """``container.add_paragraph(text, style=style)`` through :func:`_set_style`."""
    p = container.add_paragraph(text)
    _set_style(p, style)
    return p


def _border(element, tag: str, sides: Iterable[str], *, size: int = 6,
            val: str = "single") -> None:
    """Borders on some sides of a paragraph (w:pBdr in w:pPr) or a table (w:tblBorders)."""
    old = element.find(qn(tag))
    if old is not None:
        element.remove(old)
    borders = OxmlElement(tag)
    for side in sides:
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), val)
        b.set(qn("w:sz"), str(size))
        b.set(qn("w:space"), "1" if val != "nil" else "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    after = _AFTER_PBDR if tag == "w:pBdr" else _AFTER_TBLBORDERS
    element.insert_element_before(borders, *after)


def _rule(container, width_cm: float, cell_width_cm: float):
    """A short solid rule, centred: an empty paragraph with a top border and side indents."""
    p = _add_paragraph(container, "", "Đường kẻ")
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    _border(p._p.get_or_add_pPr(), "w:pBdr", ("top",), size=6)
    return p


def _text_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of a line in Times New Roman (or a metric twin), for rules under it."""
    try:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font

        path = font_manager.findfont(font_manager.FontProperties(
            family=["Liberation Serif", "Tinos", "Times New Roman"],
            weight="bold" if bold else "normal"), fallback_to_default=False)
        font = FT2Font(path)
        font.set_size(size_pt, 72)
        font.set_text(text)
        width_pt = font.get_width_height()[0] / 64
        return width_pt / 72 * 2.54
    except Exception:  # noqa: BLE001 - no metric font here: an average glyph width will do
        return len(text) * size_pt * (0.55 if bold else 0.5) / 72 * 2.54


def _no_table_borders(table) -> None:
    _border(table._tbl.tblPr, "w:tblBorders",
            ("top", "left", "bottom", "right", "insideH", "insideV"), size=0, val="nil")


def _fixed_widths(table, widths_cm: Iterable[float]) -> None:
    widths = list(widths_cm)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.insert_element_before(layout, *_AFTER_TBLLAYOUT)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)


def _row_flags(row, *, header: bool = False, cant_split: bool = True) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, text: str, style: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    _set_style(p, style)
    run = p.add_run(text)
    if bold:
        run.bold = True


def _page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice print the page's number in its place."""
    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    instr = paragraph.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = " PAGE "
    instr._r.append(t)
    fld("separate")
    paragraph.add_run("2")
    fld("end")


def _page_setup(section, *, landscape: bool, restart: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long_ = Mm(210), Mm(297)
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers centred at the top, none on a section's first page (ND30, Phụ lục I).
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    header = section.header
    p = header.paragraphs[0]
    _set_style(p, "Số trang")
    _page_field(p)
    section.first_page_header.is_linked_to_previous = False
    if restart:
        sect_pr = section._sectPr
        pg = sect_pr.find(qn("w:pgNumType"))
        if pg is None:
            pg = OxmlElement("w:pgNumType")
            sect_pr.insert_element_before(pg, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                          "w:titlePg", "w:textDirection", "w:bidi",
                                          "w:rtlGutter", "w:docGrid", "w:printerSettings",
                                          "w:sectPrChange")
        pg.set(qn("w:start"), "1")


def _text_width(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


# ------------------------------------------------------------------------------- parts

@functools.cache
def _blank() -> bytes:
    """The empty document with our styles and first page set up, made once per process: each
    report opens a copy of it instead of setting up some thirty styles again."""
    doc = Document()
    _setup_styles(doc)
    doc.core_properties.language = "vi-VN"
    doc.core_properties.author = ""
    doc.core_properties.comments = ""
    _page_setup(doc.sections[0], landscape=False, restart=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class _Builder:
    def __init__(self) -> None:
        self.doc = Document(io.BytesIO(_blank()))
        # python-docx's template starts with one empty paragraph: use it, not a blank line.
        self._first = self.doc.paragraphs[0] if self.doc.paragraphs else None
        self._started = False

    # every block is added through here, so the template's empty first paragraph is reused
    def para(self, text: str = "", style: str = "Body Text"):
        if self._first is not None:
            p, self._first = self._first, None
            _set_style(p, style)
            if text:
                p.add_run(text)
            return p
        return _add_paragraph(self.doc, text, style)

    def table(self, rows: int, cols: int):
        if self._first is not None:
            # a table cannot be the template's first paragraph: drop that paragraph
            self._first._p.getparent().remove(self._first._p)
            self._first = None
        return self.doc.add_table(rows=rows, cols=cols)

    def add(self, part: dict[str, Any]) -> None:
        handler = getattr(self, f"_{part.get('kind')}", None)
        if handler is not None:
            handler(part)

    # -- the commune report --------------------------------------------------------------
    def _banner(self, part) -> None:
        p = self.para(part["text"], "Khung lưu ý")
        _border(p._p.get_or_add_pPr(), "w:pBdr", ("top", "left", "bottom", "right"), size=12)

    def _header(self, part) -> None:
        width = _text_width(self.doc.sections[-1])
        left_w, right_w = 6.2, max(width - 6.2, 9.0)
        t = self.table(2, 2)
        _no_table_borders(t)
        _fixed_widths(t, (left_w, right_w))
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        issuer, nation = t.cell(0, 0), t.cell(0, 1)
        first = issuer.paragraphs[0]
        if part.get("superior"):
            _set_style(first, "Cơ quan chủ quản")
            first.add_run(part["superior"].upper())
            organ = _add_paragraph(issuer, "", "Cơ quan ban hành")
        else:
            organ = first
            _set_style(organ, "Cơ quan ban hành")
        organ.add_run(part["organ_1"].upper())
        if part.get("organ_2"):
            organ.add_run().add_break()
            organ.add_run(part["organ_2"].upper())
        _rule(issuer, 2.4, left_w)
        p = nation.paragraphs[0]
        _set_style(p, "Quốc hiệu")
        p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        _add_paragraph(nation, "Độc lập - Tự do - Hạnh phúc", "Tiêu ngữ")
        _rule(nation, _text_width_cm("Độc lập - Tự do - Hạnh phúc", 13, bold=True), right_w)
        number = part.get("number") or "\u00a0" * 6
        _cell_text(t.cell(1, 0), f"Số: {number}/{part['symbol']}", "Số, ký hiệu")
        _cell_text(t.cell(1, 1), part["place_date"], "Địa danh, ngày tháng")
        self.para(part.get("doc_type", "BÁO CÁO"), "Tên loại văn bản")
        self.para(part["subject"], "Trích yếu")
        _rule(self.doc, 3.5, width)

    def _section(self, part) -> None:
        level = part.get("level", 0)
        if level == 1:
            self.para(part["heading"], "Heading 1")
        elif level == 2:
            self.para(part["heading"], "Heading 2")
        for text in part.get("paragraphs", []):
            self.para(text, "Body Text")
        if part.get("missing"):
            self.para(part["missing"], "Body Text").runs[0].italic = True

    def _paragraph(self, part) -> None:
        p = self.para(part["text"], "Body Text")
        if part.get("style") == "missing":
            for r in p.runs:
                r.italic = True

    def _chart(self, part) -> None:
        png = part.get("png")
        if not png:
            return
        width_cm = min(float(part.get("width_in") or 6.3) * 2.54,
                       _text_width(self.doc.sections[-1]))
        p = self.para("", "Hình")
        p.paragraph_format.keep_together = True
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(png), width=Cm(width_cm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", part.get("alt", ""))
        doc_pr.set("title", part.get("alt", "")[:120])

    def _signature(self, part) -> None:
        closing = self.para(part["closing"], "Body Text")
        closing.paragraph_format.keep_with_next = True
        width = _text_width(self.doc.sections[-1])
        left_w = 7.4
        t = self.table(1, 2)
        _no_table_borders(t)
        _fixed_widths(t, (left_w, width - left_w))
        _row_flags(t.rows[0], cant_split=True)
        left, right = t.cell(0, 0), t.cell(0, 1)
        _cell_text(left, "Nơi nhận:", "Nơi nhận - nhãn")
        for line in part.get("recipients", []):
            _add_paragraph(left, line, "Nơi nhận")
        first = right.paragraphs[0]
        _set_style(first, "Thẩm quyền ký")
        lines = part.get("authority", [])
        first.add_run(lines[0] if lines else "")
        for line in lines[1:]:
            _add_paragraph(right, line, "Thẩm quyền ký")
        _add_paragraph(right, part.get("signer", ""), "Người ký")

    def _appendix_table(self, part, headers, widths):
        """An appendix's own landscape section (numbered from 1), its heading lines and a
        bordered table with a repeated header row, one row per ``part["rows"]`` to fill."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=True, restart=True)
        self.para(part.get("label", "PHỤ LỤC SỐ 01"), "Phụ lục - số")
        self.para(part.get("title", ""), "Phụ lục - tên")
        self.para(f"({part['attached']})", "Phụ lục - kèm theo")
        t = self.table(1 + len(part.get("rows", [])), len(headers))
        t.style = self.doc.styles["Table Grid"]
        _fixed_widths(t, widths)
        _row_flags(t.rows[0], header=True)
        for cell, name in zip(t.rows[0].cells, headers):
            _cell_text(cell, name, "Bảng - tiêu đề")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        return t

    def _appendix(self, part) -> None:
        rows = part.get("rows", [])
        t = self._appendix_table(part, APPENDIX_HEADERS, APPENDIX_WIDTHS_CM)
        for tr, row in zip(t.rows[1:], rows):
            _row_flags(tr)
            bold = bool(row.get("group"))
            cells = tr.cells
            _cell_text(cells[0], row.get("printed", ""), "Bảng", bold=bold)
            _cell_text(cells[1], row.get("title", ""), "Bảng", bold=bold)
            _cell_text(cells[2], row.get("unit", ""), "Bảng", bold=bold)
            _cell_text(cells[3], row.get("total", ""), "Bảng - số", bold=bold)
            _cell_text(cells[4], row.get("done", ""), "Bảng - số", bold=bold)
            rate = cells[5].paragraphs[0]
            _set_style(rate, "Bảng - số")
            if row.get("rate"):
                r = rate.add_run(row["rate"])
                if row.get("typed"):
                    r.bold = True
                    r.underline = True
                    typed = _add_paragraph(cells[5], "", "Bảng - số")
                    tr_run = typed.add_run(f"(ghi {row['typed']})")
                    tr_run.italic = True
                    tr_run.font.size = Pt(9)
            _cell_text(cells[6], row.get("note", ""), "Bảng", bold=bold)
        if part.get("note"):
            self.para(part["note"], "Ghi chú")

    def _findings(self, part) -> None:
        if not part.get("inline"):
            return  # the findings go to the separate check sheet, never into the report
        self.para("KIỂM TRA SỐ LIỆU (BẢN NHÁP NỘI BỘ)", "Heading 1")
        rows = part.get("rows", [])
        if not rows:
            self.para("Không phát hiện sai sót trong số liệu, ngày tháng và văn bản được dẫn.")
            return
        self._grid(["Mức độ", "Vị trí", "Nội dung"],
                   [[r["label"], r["place"], r["message"]] for r in rows], set(), (2.2, 4.5, 9.8))

    # -- the overview and other notebooks ------------------------------------------------
    def _title(self, part) -> None:
        self.para(part["text"], "Tên loại văn bản")

    def _markdown(self, part) -> None:
        for line in part["text"].splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                self.para(line.lstrip("#").strip(), "Heading 2")
            else:
                self.para(line, "Body Text")

    def _table(self, part) -> None:
        if part.get("intro"):
            self.para(part["intro"], "Body Text")
        headers = part.get("headers", [])
        width = _text_width(self.doc.sections[-1])
        self._grid(headers, part.get("rows", []), set(part.get("numeric", [])),
                   [width / max(1, len(headers))] * len(headers))

    def _grid(self, headers, rows, numeric: set[int], widths) -> None:
        t = self.table(1 + len(rows), len(headers))
        t.style = self.doc.styles["Table Grid"]
        _fixed_widths(t, widths)
        _row_flags(t.rows[0], header=True)
        for cell, name in zip(t.rows[0].cells, headers):
            _cell_text(cell, str(name), "Bảng - tiêu đề")
        for tr, row in zip(t.rows[1:], rows):
            _row_flags(tr)
            for n, (cell, value) in enumerate(zip(tr.cells, row)):
                _cell_text(cell, "" if value is None else str(value),
                           "Bảng - số" if n in numeric else "Bảng")
        self.para("", "Normal")

    # -- the province's consolidated report (cchc_lib.province) ---------------------------
    def _addressee(self, part) -> None:
        """Kính gửi: one recipient on the same line, several one per line under it."""
        _paragraph_style(self.doc, "Kính gửi - báo cáo", size=14, before=12, after=6,
                         keep_next=True)
        lines = list(part.get("lines", []))
        p = self.para("Kính gửi: ", "Kính gửi - báo cáo")
        if len(lines) == 1:
            p.add_run(lines[0])
            return
        for line in lines:
            p.add_run().add_break()
            p.add_run(line)

    def _rollup_appendix(self, part) -> None:
        """PHỤ LỤC SỐ 01 rolled up over units: the commune appendix's columns and, before Ghi
        chú, the number of units behind each row; its own landscape section."""
        headers = ("Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng",
                   "Số liệu đã thực hiện", "Tỷ lệ (%)", "Số đơn vị", "Ghi chú")
        widths = (1.5, 9.0, 2.8, 2.7, 2.7, 1.9, 1.7, 2.9)  # 25.2 cm: landscape A4's text width
        rows = part.get("rows", [])
        t = self._appendix_table(part, headers, widths)
        keys = ("printed", "title", "unit", "total", "done", "rate", "units", "note")
        numeric = {"total", "done", "rate", "units"}
        for tr, row in zip(t.rows[1:], rows):
            _row_flags(tr)
            bold = bool(row.get("group"))
            for cell, key in zip(tr.cells, keys):
                _cell_text(cell, str(row.get(key, "")), "Bảng - số" if key in numeric else "Bảng",
                           bold=bold)
        if part.get("note"):
            self.para(part["note"], "Ghi chú")

    def finish(self) -> bytes:
        if self._first is not None:  # nothing was added: keep the document valid and empty
            self._first = None
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def build_docx(parts: Iterable[dict[str, Any]], *, title: str = "") -> bytes:
    """The DOCX bytes of a report made of ``parts`` (see :mod:`cchc_lib.parts`)."""
    b = _Builder()
    if title:
        b.doc.core_properties.title = title
    for part in parts:
        b.add(part)
    return b.finish()



# ------------------------------------------------------------------------------- công văn

class _LetterBuilder(_Builder):
    """A công văn (Nghị định 30/2020, Phụ lục I, ô 5b): no type name above the subject; the
    trích yếu "V/v …" sits under the number, size 12, upright; then "Kính gửi:"."""

    def __init__(self) -> None:
        super().__init__()
        _paragraph_style(self.doc, "Trích yếu công văn", size=12, before=2)
        _paragraph_style(self.doc, "Kính gửi", size=14, before=18, after=12)

    def _letter_header(self, part) -> None:
        width = _text_width(self.doc.sections[-1])
        left_w, right_w = 6.8, max(width - 6.8, 9.0)
        t = self.table(2, 2)
        _no_table_borders(t)
        _fixed_widths(t, (left_w, right_w))
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        issuer, nation = t.cell(0, 0), t.cell(0, 1)
        first = issuer.paragraphs[0]
        if part.get("superior"):
            first.style = "Cơ quan chủ quản"
            first.add_run(part["superior"].upper())
            organ = issuer.add_paragraph(style="Cơ quan ban hành")
        else:
            organ = first
            organ.style = "Cơ quan ban hành"
        for n, line in enumerate(part["organ"]):
            if n:
                organ.add_run().add_break()
            organ.add_run(line.upper())
        _rule(issuer, 2.4, left_w)
        p = nation.paragraphs[0]
        p.style = "Quốc hiệu"
        p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        nation.add_paragraph("Độc lập - Tự do - Hạnh phúc", style="Tiêu ngữ")
        _rule(nation, _text_width_cm("Độc lập - Tự do - Hạnh phúc", 13, bold=True), right_w)
        number = part.get("number") or "\u00a0" * 6
        _cell_text(t.cell(1, 0), f"Số: {number}/{part['symbol']}", "Số, ký hiệu")
        t.cell(1, 0).add_paragraph(part["subject"], style="Trích yếu công văn")
        _cell_text(t.cell(1, 1), part["place_date"], "Địa danh, ngày tháng")

    def _addressee(self, part) -> None:
        lines = list(part.get("lines", []))
        p = self.para("Kính gửi: ", "Kính gửi")
        if len(lines) == 1:
            p.add_run(lines[0])
            return
        for line in lines:
            p.add_run().add_break()
            p.add_run(line)

    def _letter_table(self, part) -> None:
        if part.get("heading"):
            self.para(part["heading"], "Heading 2")
        widths = part.get("widths") or [_text_width(self.doc.sections[-1])
                                        / max(1, len(part["headers"]))] * len(part["headers"])
        self._grid(part["headers"], part.get("rows", []), set(part.get("numeric", [])), widths)


def build_letter_docx(parts: Iterable[dict[str, Any]], *, title: str = "") -> bytes:
    """The DOCX bytes of a công văn made of ``parts``: ``letter_header`` (superior, organ lines,
    number, symbol, subject "V/v …", place_date), ``addressee`` (lines after "Kính gửi:"),
    ``paragraph``, ``letter_table`` (heading, headers, rows, widths in cm), ``signature`` and
    ``banner``, as for :func:`build_docx`."""
    b = _LetterBuilder()
    if title:
        b.doc.core_properties.title = title
    for part in parts:
        b.add(part)
    return b.finish()


__all__ += ["build_letter_docx"]
