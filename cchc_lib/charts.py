"""Charts for the CCHC reports: matplotlib figures sized for an A4 page, readable in grey.

Every function builds a :class:`matplotlib.figure.Figure` directly (never through ``pyplot``), so
that no global figure registry is touched and a notebook shows each chart exactly once (as the
value of its cell).  Each figure has its own Agg canvas.

Conventions shared by all charts:

* Size for an A4 page: 6,3 in wide, 2,6–3,6 in high (taller only for the district charts, which
  grow with the number of units), 150 dpi.  The axes are placed once, when the chart is built,
  exactly where constrained layout would put them (:func:`_fit_layout`): the same margins for
  labels, title and legend, measured once instead of at every save; the heatmap, with its
  colour bar, keeps constrained layout.  Glyphs are drawn without hinting (quicker, and as
  legible at 150 dpi).
* Font "DejaVu Sans" (bundled with matplotlib, covers Vietnamese), set per figure through
  :func:`matplotlib.rc_context`, never globally.  Every label is NFC-normalised, so decomposed
  diacritics typed in a workbook render as one glyph.
* Colours: one dark blue and greys only; a second series is told apart by a hatch as well as by
  its shade, and every bar carries its value as text, formatted the Vietnamese way through
  :mod:`cchc_lib.formatting` (``74,9%``, ``3.253.588.460 đồng``).  A rate is printed by the very
  formatter of the report's sentences (:func:`cchc_lib.narrative.rate_text`, one decimal: a typed
  42,94 shows as ``42,9%``), so that the chart says what the text beside it says.
* A function returns ``None`` when it has nothing to draw (the report then writes
  "chưa có số liệu"); missing optional data never raises.
"""

from __future__ import annotations

import functools
import math
import numbers
import textwrap
import unicodedata
from decimal import Decimal
from io import BytesIO
from typing import Any, Callable, Iterable, Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from cchc_lib.calc import Budget, Dossiers, PlanTasks, StaffLine
from cchc_lib.formatting import fmt_int, fmt_money, fmt_number, fmt_percent
from cchc_lib.narrative import rate_text

__all__ = [
    "FONT_FAMILY",
    "DARK_BLUE",
    "GREY",
    "LIGHT_GREY",
    "WIDTH_IN",
    "DPI",
    "MAX_RANKED_UNITS",
    "BUDGET_LABELS",
    "style",
    "dossier_chart",
    "budget_chart",
    "staff_chart",
    "tasks_chart",
    "trend_chart",
    "ranking_chart",
    "heatmap",
    "figure_to_png",
]

#: The font every chart uses (bundled with matplotlib; has the Vietnamese letters).
FONT_FAMILY = "DejaVu Sans"
#: The one colour: the main series (on time, done, the rate shown).
DARK_BLUE = "#1f3a68"
#: Secondary series (late, tasks set): light grey with a hatch.
LIGHT_GREY = "#d4d4d4"
GREY = "#7a7a7a"
_EDGE = "#333333"
_TEXT = "#1a1a1a"
_HATCH = "///"

#: Width of every chart (A4 portrait minus the margins of Nghị định 30), in inches.
WIDTH_IN = 6.3
DPI = 150
_MIN_H, _MAX_H = 2.6, 3.6
#: Height cap of the district charts, which grow with the number of units (A4 usable height).
_MAX_TALL_H = 9.6

#: The ranking chart shows at most this many units (the best ranked).
MAX_RANKED_UNITS = 60
#: Heatmap cells are annotated with their value up to this many rows × columns.
_ANNOTATE_ROWS, _ANNOTATE_COLS = 20, 10

#: Short names of the budget lines (catalogue rows S.5.x).
BUDGET_LABELS = {
    "S.5.1": "Thu NSNN trên địa bàn",
    "S.5.2": "Thu ngân sách do xã đảm nhận",
    "S.5.3": "Chi ngân sách xã",
}

_RC = {
    "font.family": [FONT_FAMILY],
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.labelsize": 8,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": _TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "hatch.linewidth": 0.6,
    "hatch.color": _EDGE,
    "text.color": _TEXT,
    # FreeType's auto-hinter took a quarter of the drawing time; at 150 dpi unhinted glyphs read
    # as well (the labels and figures are the same, the pixels are not)
    "text.hinting": "no_hinting",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

# Line styles of the trend chart, in series order: (colour, line style, marker).
_SERIES_STYLES = (
    (DARK_BLUE, "-", "o"),
    ("#000000", "--", "s"),
    (GREY, "-.", "^"),
    ("#4d4d4d", ":", "D"),
    ("#9e9e9e", (0, (5, 1, 1, 1, 1, 1)), "v"),
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def style() -> Any:
    """The charts' rc settings as a context manager (``with charts.style(): ...``)."""
    return matplotlib.rc_context(_RC)


def _styled(func: Callable[..., Figure | None]) -> Callable[..., Figure | None]:
    """Run a chart function inside :func:`style`, so every artist gets the charts' font."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            return func(*args, **kwargs)
    return wrapper


def _t(text: object) -> str:
    """Text for a label: a string, NFC-normalised (one glyph per Vietnamese letter)."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def _num(x: object) -> float | None:
    """A finite real number as a float; ``None`` for anything else (None, NaN, text, bool)."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _complement(rate: float) -> float:
    """``100 − rate`` on the decimal text of ``rate`` (100 − 74,9 = 25,1, not 25,0999…)."""
    return float(Decimal(100) - Decimal(repr(float(rate))))


def _pct(rate: float) -> str:
    """A rate as the report's sentences print it (:func:`cchc_lib.narrative.rate_text`: one
    decimal, ``42,9%`` for a typed 42,94): a chart and the sentence beside it show one figure."""
    return rate_text(rate)


def _axis_pct(value: float, _pos: object = None) -> str:
    """Tick label of a percent axis: ``0%``, ``25%``, ``12,5%``."""
    return _pct_label(float(value))


def _axis_num(value: float, _pos: object = None) -> str:
    """Tick label of a number axis: ``1.000``, ``2,5``."""
    return _num_label(float(value))


# Tick labels are formatted again at every measurement and draw, through Babel: remember them.
@functools.lru_cache(maxsize=4096)
def _pct_label(value: float) -> str:
    return fmt_percent(value, 1)


@functools.lru_cache(maxsize=4096)
def _num_label(value: float) -> str:
    if value.is_integer():
        return fmt_int(int(value))
    return fmt_number(value)


def _new_figure(height: float, width: float = WIDTH_IN, *, constrained: bool = False) -> Figure:
    """An empty chart with its own Agg canvas; laid out by :func:`_fit_layout` once it is drawn
    up, or by constrained layout at every draw (``constrained``: several axes, a colour bar)."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained" if constrained else None)
    FigureCanvasAgg(fig)
    return fig


#: Space around a chart's content and its legend: constrained layout's default padding (3 pt).
_PAD_IN = 3 / 72


def _fit_layout(fig: Figure) -> Figure:
    """Place the figure's one axes where constrained layout would: its tick labels, axis labels,
    title and value labels ``_PAD_IN`` from the edges, above a band for the figure legend.

    Constrained layout measures all of that twice at every save (its solver runs two passes,
    after which the figure is drawn once more without rendering, before the real drawing).  The
    charts' tick locators do not depend on the axes' size (fixed ticks, or ``MaxNLocator`` with
    a fixed number of bins), so one measurement, when the chart is built, gives the same
    positions.  Every figure legend of these charts sits outside, at the bottom.
    """
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    width, height = fig.get_size_inches()
    pad_x, pad_y = _PAD_IN / width, _PAD_IN / height
    to_fig = fig.transFigure.inverted().transform_bbox
    pos = ax.get_position()
    tight = to_fig(ax.get_tightbbox(renderer, for_layout_only=True))
    band = max((to_fig(legend.get_tightbbox(renderer)).height + 2 * pad_y
                for legend in fig.legends), default=0.0)
    left = pad_x + (pos.x0 - tight.x0)
    right = 1 - pad_x - (tight.x1 - pos.x1)
    bottom = band + pad_y + (pos.y0 - tight.y0)
    top = 1 - pad_y - (tight.y1 - pos.y1)
    ax.set_position([left, bottom, right - left, top - bottom])
    return fig


def _height(rows: int, base: float = 1.5, per_row: float = 0.36) -> float:
    """Height of a one-axes chart with ``rows`` bars, within the page's 2,6–3,6 in."""
    return min(_MAX_H, max(_MIN_H, base + per_row * rows))


def _prepare(ax: Any) -> None:
    """Font for tick labels created later (at draw time), where matplotlib supports it."""
    try:
        ax.tick_params(labelfontfamily=FONT_FAMILY)
    except (TypeError, ValueError, AttributeError):  # matplotlib < 3.8
        pass


def _label_box() -> dict:
    """A white box under a label that sits on a hatch or near other ink."""
    return {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none",
            "alpha": 1.0}


# ---------------------------------------------------------------------------
# Commune report
# ---------------------------------------------------------------------------

def _rates_pair(on: float | None, late: float | None) -> tuple[float, float] | None:
    """On-time and late rates, one completed from the other; ``None`` when both are missing."""
    if on is None and late is None:
        return None
    if on is None:
        on = _complement(late)
    if late is None:
        late = _complement(on)
    return on, late


def _field_rate(field: Any) -> float | None:
    """A field's on-time rate: the computed rate, else the typed one."""
    rate = _num(getattr(field, "rate", None))
    return rate if rate is not None else _num(getattr(field, "typed_rate", None))


def _dossier_rows(d: Dossiers) -> list[tuple[str, float, float]]:
    rows: list[tuple[str, float, float]] = []
    fields = tuple(getattr(d, "by_field", ()) or ())
    overall = _rates_pair(_num(getattr(d, "on_time_rate", None)),
                          _num(getattr(d, "late_rate", None)))
    if overall is None:  # fall back to the general field, row 3.4.1
        general = next((f for f in fields if getattr(f, "code", None) == "3.4.1"), None)
        rate = None if general is None else _field_rate(general)
        overall = None if rate is None else (rate, _complement(rate))
    if overall is not None:
        rows.append(("Tổng số hồ sơ", *overall))
    for field in fields:
        if getattr(field, "code", None) == "3.4.1":  # the general field is the total itself
            continue
        rate = _field_rate(field)
        if rate is None:
            continue
        rows.append((_t(getattr(field, "label", None) or getattr(field, "code", "")),
                     rate, _complement(rate)))
    return rows


@_styled
def dossier_chart(d: Dossiers | None) -> Figure | None:
    """Horizontal stacked bars of dossiers resolved on time / late, in percent.

    One bar "Tổng số hồ sơ" (``d.on_time_rate`` / ``d.late_rate``, the missing one being 100
    minus the other; row 3.4.1 when neither is known) and one bar per other field that has a
    rate (``FieldDossiers.rate``, else its typed rate; late = 100 − rate), labelled with the
    field's short name ("Đất đai", "Xây dựng").  Two patches per bar: on time (dark blue) then
    late (light grey, hatched).  ``None`` when no rate is known.
    """
    if d is None:
        return None
    rows = _dossier_rows(d)
    if not rows:
        return None
    fig = _new_figure(_height(len(rows), base=1.55, per_row=0.42))
    ax = fig.add_subplot()
    _prepare(ax)
    y = np.arange(len(rows))
    on = [r[1] for r in rows]
    late = [r[2] for r in rows]
    bars_on = ax.barh(y, on, height=0.55, color=DARK_BLUE, edgecolor=DARK_BLUE,
                      linewidth=0.6, label="Đúng hạn")
    bars_late = ax.barh(y, late, left=on, height=0.55, color=LIGHT_GREY, edgecolor=_EDGE,
                        linewidth=0.6, hatch=_HATCH, label="Trễ hạn")
    right = max(100.0, max(a + b for a, b in zip(on, late)))
    for i, (o, lt) in enumerate(zip(on, late)):
        # on time: white on blue when wide enough, else just right of the blue part
        if o >= 9:
            ax.text(o / 2, i, _pct(o), ha="center", va="center", color="white",
                    fontweight="bold")
        else:
            ax.text(o + 0.6, i, _pct(o), ha="left", va="center", color=_TEXT,
                    fontweight="bold", bbox=_label_box())
        # late: dark text on a white box over the hatch, or after the bar's end
        if lt >= 9 and (o >= 9 or lt >= 30):
            ax.text(o + lt / 2, i, _pct(lt), ha="center", va="center", bbox=_label_box())
        else:
            ax.text(o + lt + 0.8, i, _pct(lt), ha="left", va="center")
    ax.set_yticks(y, [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, right * 1.08 if right > 100 else 109)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(_axis_pct))
    ax.tick_params(axis="y", length=0)
    ax.set_title("Tỷ lệ hồ sơ giải quyết đúng hạn và trễ hạn")
    fig.legend(handles=[bars_on, bars_late], labels=["Đúng hạn", "Trễ hạn"],
               loc="outside lower center", ncols=2)
    return _fit_layout(fig)


def _budget_label(line: Any) -> str:
    name = BUDGET_LABELS.get(getattr(line, "code", None)) or _t(getattr(line, "title", ""))
    done = _num(getattr(line, "done", None))
    if done is None:
        return _t(name)
    return f"{_t(name)}\n({fmt_money(done)})"


@_styled
def budget_chart(b: Budget | None) -> Figure | None:
    """Execution rate (% of the estimate) of each budget line that has one, vertical bars.

    The lines are revenue on the territory (S.5.1), revenue the commune collects (S.5.2) and
    spending (S.5.3); under each name the amount done, in đồng.  A dashed horizontal line marks
    the share of the year elapsed (``b.year_share``), labelled "Tỷ lệ thời gian đã qua: 50%"
    (in the legend).  ``None`` when no line has a rate.
    """
    if b is None:
        return None
    try:
        lines = tuple(b.lines)
    except (AttributeError, TypeError):
        return None
    lines = tuple(ln for ln in lines if _num(getattr(ln, "execution_rate", None)) is not None)
    if not lines:
        return None
    rates = [_num(ln.execution_rate) for ln in lines]
    share = _num(getattr(b, "year_share", None))
    fig = _new_figure(3.2)
    ax = fig.add_subplot()
    _prepare(ax)
    x = np.arange(len(lines))
    bars = ax.bar(x, rates, width=0.5, color=DARK_BLUE, edgecolor=DARK_BLUE, linewidth=0.6)
    for bar, rate in zip(bars, rates):
        # a white box keeps the value readable where the reference line crosses it
        ax.annotate(_pct(rate), (bar.get_x() + bar.get_width() / 2, max(rate, 0)),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontweight="bold", bbox=_label_box(), zorder=5)
    handles = []
    if share is not None:
        ref = ax.axhline(share, color="black", linestyle="--", linewidth=1.1, zorder=3,
                         label=f"Tỷ lệ thời gian đã qua: {_pct(share)}")
        handles.append(ref)
    top = max([100.0, *rates, *([share] if share is not None else [])])
    ax.set_ylim(min(0.0, *rates), top * 1.12)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(_axis_pct))
    ax.set_xticks(x, [_budget_label(ln) for ln in lines])
    ax.set_xlim(-0.6, len(lines) - 0.4)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel("% so với dự toán")
    ax.set_title("Thực hiện thu, chi ngân sách so với dự toán")
    if handles:
        fig.legend(handles=handles, loc="outside lower center")
    return _fit_layout(fig)


@_styled
def staff_chart(lines: Iterable[StaffLine] | None) -> Figure | None:
    """Share (%) of staff meeting each qualification, horizontal bars in catalogue order.

    One bar per reported line with a share (computed, else typed), labelled ``84% (21/25)``.
    ``None`` when no line has a share.
    """
    if lines is None:
        return None
    rows = []
    for ln in lines:
        share = _num(getattr(ln, "share", None))
        if share is None:
            share = _num(getattr(ln, "typed_share", None))
        if share is None:
            continue
        count, of = _num(getattr(ln, "count", None)), _num(getattr(ln, "of", None))
        text = _pct(share)
        if count is not None and of is not None:
            text += f" ({_axis_num(count)}/{_axis_num(of)})"
        rows.append((_t(getattr(ln, "label", None) or getattr(ln, "code", "")), share, text))
    if not rows:
        return None
    fig = _new_figure(_height(len(rows), base=1.0, per_row=0.34))
    ax = fig.add_subplot()
    _prepare(ax)
    y = np.arange(len(rows))
    shares = [r[1] for r in rows]
    bars = ax.barh(y, shares, height=0.6, color=DARK_BLUE, edgecolor=DARK_BLUE, linewidth=0.6)
    for bar, (_, share, text) in zip(bars, rows):
        ax.annotate(text, (max(share, 0), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="center")
    right = max(100.0, *shares)
    ax.set_xlim(0, right * 1.27)
    ax.xaxis.set_major_locator(FixedLocator([v for v in (0, 25, 50, 75, 100)]))
    ax.xaxis.set_major_formatter(FuncFormatter(_axis_pct))
    ax.set_yticks(y, [r[0] for r in rows])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.set_title("Trình độ cán bộ, công chức")
    return _fit_layout(fig)


@_styled
def tasks_chart(p: PlanTasks | None) -> Figure | None:
    """Tasks of the CCHC plan: "Nhiệm vụ đề ra" (grey, hatched) vs "Đã hoàn thành" (blue).

    Each bar carries its count; the title gives the computed rate ("Nhiệm vụ kế hoạch CCHC:
    hoàn thành 76,4%").  A missing count leaves its place empty with "chưa có số liệu".
    ``None`` when neither count is known.
    """
    if p is None:
        return None
    tasks_set, done = _num(getattr(p, "set", None)), _num(getattr(p, "done", None))
    if tasks_set is None and done is None:
        return None
    fig = _new_figure(_MIN_H)
    ax = fig.add_subplot()
    _prepare(ax)
    names = ["Nhiệm vụ đề ra", "Đã hoàn thành"]
    values = [tasks_set, done]
    styles = [dict(color=LIGHT_GREY, edgecolor=_EDGE, hatch=_HATCH),
              dict(color=DARK_BLUE, edgecolor=DARK_BLUE)]
    top = max(v for v in values if v is not None)
    for i, (value, kw) in enumerate(zip(values, styles)):
        if value is None:
            ax.text(i, 0, "chưa có số liệu", ha="center", va="bottom", color=GREY,
                    style="italic")
            continue
        ax.bar([i], [value], width=0.45, linewidth=0.6, **kw)
        ax.annotate(_axis_num(value), (i, max(value, 0)), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontweight="bold")
    ax.set_xticks([0, 1], names)
    ax.set_xlim(-0.7, 1.7)
    ax.set_ylim(0, (top if top > 0 else 1) * 1.18)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(_axis_num))
    ax.set_ylabel("Số nhiệm vụ")
    ax.tick_params(axis="x", length=0)
    rate = _num(getattr(p, "rate", None))
    title = "Nhiệm vụ kế hoạch CCHC"
    if rate is not None:
        title += f": hoàn thành {_pct(rate)}"
    ax.set_title(title)
    return _fit_layout(fig)


# The trend chart's plot area is about this many points high; a value label about this tall.
_TREND_PLOT_PT = 140.0
_LABEL_PT = 8.5


def _label_offsets(series: Sequence[Sequence[float]], ylim: tuple[float, float]
                   ) -> dict[tuple[int, int], float]:
    """Vertical offsets (points) of the value labels, ``{(series, period): offset}``, so that
    labels of one period never overlap: from the highest point down, each label goes above its
    point when there is room under the label before it, else below, pushed further down as far
    as needed."""
    per_pt = _TREND_PLOT_PT / ((ylim[1] - ylim[0]) or 1.0)
    out: dict[tuple[int, int], float] = {}
    for xi in range(max((len(ys) for ys in series), default=0)):
        points = sorted(((ys[xi] * per_pt, n) for n, ys in enumerate(series)
                         if not np.isnan(ys[xi])), reverse=True)
        last = None  # the centre of the label placed before, in points
        for y, n in points:
            above, below = y + 0.8 * _LABEL_PT, y - 1.1 * _LABEL_PT
            if last is None or last - above >= _LABEL_PT:
                at = above
            else:
                at = min(below, last - _LABEL_PT)
            out[n, xi] = at - y
            last = at
    return out


@_styled
def trend_chart(history: Sequence[tuple[str, Mapping[str, float | None]]] | None,
                labels: Mapping[str, str] | None = None, *,
                title: str = "Diễn biến qua các kỳ báo cáo",
                percent: bool = True, break_after: int | None = None,
                break_label: str = "Sắp xếp ĐVHC 01/07/2025",
                caption: str = "") -> Figure | None:
    """Lines over periods, one per series key, with markers and distinct line styles.

    ``history`` is ``[(period label, {key: value}), …]`` in the order to show (e.g.
    ``("quý I/2024", {"3.4.1": 74.9})``); ``labels`` names the series (``{"3.4.1": "Hồ sơ đúng
    hạn"}``, drawn in that order; keys met only in ``history`` follow, named by their key).
    Missing values break the line.  Values are rates (percent axis) unless ``percent=False``.
    Points carry their values when the chart is small (≤ 3 series, ≤ 8 periods).  ``None``
    when fewer than 2 periods have any value.

    ``break_after`` (an index into ``history``) draws the reorganisation of 1 July 2025: a
    vertical dotted line labelled ``break_label`` between that period and the next; ``caption``
    (under the axis) says what the points before it are, e.g. ``trước 01/07/2025: cộng số
    liệu của xã A, xã B``.
    """
    if not history:
        return None
    labels = dict(labels or {})
    periods: list[str] = []
    data: list[Mapping[str, Any]] = []
    for item in history:
        try:
            period, values = item
        except (TypeError, ValueError):
            continue
        periods.append(_t(period))
        data.append(values if isinstance(values, Mapping) else {})
    keys = list(labels)
    for values in data:
        keys.extend(k for k in values if k not in keys)
    series = []
    for key in keys:
        ys = [_num(values.get(key)) for values in data]
        if any(v is not None for v in ys):
            series.append((key, [np.nan if v is None else v for v in ys]))
    filled = sum(1 for i in range(len(periods)) if any(not np.isnan(s[1][i]) for s in series))
    if filled < 2:
        return None
    fig = _new_figure(3.2)
    ax = fig.add_subplot()
    _prepare(ax)
    x = np.arange(len(periods))
    fmt = _pct if percent else _axis_num
    annotate = len(series) <= 3 and len(periods) <= 8
    values = [v for _, ys in series for v in ys if not np.isnan(v)]
    low, high = min(values), max(values)
    if percent:
        ylim = (min(0.0, low), max(100.0, high) * 1.1)
    else:
        ylim = (min(0.0, low), (high if high > 0 else 1) * 1.18)
    offsets = _label_offsets([ys for _, ys in series], ylim) if annotate else {}
    for n, (key, ys) in enumerate(series):
        colour, dash, marker = _SERIES_STYLES[n % len(_SERIES_STYLES)]
        ax.plot(x, ys, color=colour, linestyle=dash, marker=marker, markersize=4.5,
                linewidth=1.4, label=_t(labels.get(key, key)))
        if annotate:
            for xi, yi in zip(x, ys):
                if not np.isnan(yi):
                    ax.annotate(fmt(yi), (xi, yi), xytext=(0, offsets[n, xi]),
                                textcoords="offset points", ha="center", va="center",
                                fontsize=6.5, color=colour if colour != GREY else "#4d4d4d")
    ax.set_ylim(*ylim)
    ax.yaxis.set_major_formatter(FuncFormatter(_axis_pct if percent else _axis_num))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xticks(x, periods)
    ax.set_xlim(-0.4, len(periods) - 0.6)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(_t(title))
    if break_after is not None and 0 <= break_after < len(periods) - 1:
        at = break_after + 0.5
        ax.axvline(at, color=_EDGE, linestyle=(0, (2, 2)), linewidth=0.9, gid="break")
        ax.text(at, 0.03, _t(break_label), transform=ax.get_xaxis_transform(), rotation=90,
                ha="right", va="bottom", fontsize=6.5, color=_TEXT, gid="break-label",
                bbox=_label_box())
    if caption:
        ax.set_xlabel("\n".join(textwrap.wrap(_t(caption), 110)), fontsize=7,
                      color="#333333", loc="left")
    fig.legend(loc="outside lower center", ncols=min(len(series), 3))
    return _fit_layout(fig)


# ---------------------------------------------------------------------------
# District overview
# ---------------------------------------------------------------------------

def _tall_height(rows: int, per_row: float, base: float) -> float:
    return min(_MAX_TALL_H, max(_MIN_H, base + per_row * rows))


@_styled
def ranking_chart(ranked: Any, names: Mapping[str, str] | None, title: str, *,
                  percent: bool = True) -> Figure | None:
    """Units ranked on one indicator: horizontal bars, the best ranked on top.

    ``ranked`` is :func:`cchc_lib.rollup.rank`'s frame (``unit_code``, ``value``, ``rank``);
    units without a value are left out and counted under the axis.  At most
    :data:`MAX_RANKED_UNITS` units are shown; when cut, the title says how many of how many.
    The height grows with the number of units (up to an A4 page).  Unit names come from
    ``names`` (the code when absent).  Values are rates unless ``percent=False``.  ``None``
    when no unit has a value.
    """
    if ranked is None or not hasattr(ranked, "columns"):
        return None
    if not {"unit_code", "value"} <= set(ranked.columns) or len(ranked) == 0:
        return None
    names = names or {}
    frame = ranked.copy()
    frame["value"] = [(_num(v)) for v in frame["value"]]
    valid = frame[frame["value"].notna()]
    missing = len(frame) - len(valid)
    if valid.empty:
        return None
    if "rank" in valid.columns:
        valid = valid.sort_values(["rank", "unit_code"], kind="stable", na_position="last")
    total = len(valid)
    shown = valid.head(MAX_RANKED_UNITS)
    n = len(shown)
    codes = [str(c) for c in shown["unit_code"]]
    values = [float(v) for v in shown["value"]]
    fig = _new_figure(_tall_height(n, per_row=0.145, base=1.1))
    ax = fig.add_subplot()
    _prepare(ax)
    y = np.arange(n)
    font = 7 if n <= 30 else 6
    bars = ax.barh(y, values, height=0.65, color=DARK_BLUE, edgecolor=DARK_BLUE, linewidth=0.4)
    fmt = _pct if percent else _axis_num
    for bar, value in zip(bars, values):
        ax.annotate(fmt(value), (max(value, 0), bar.get_y() + bar.get_height() / 2),
                    xytext=(2, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=font)
    ax.set_yticks(y, [_t(names.get(c, c)) for c in codes])
    ax.tick_params(axis="y", length=0, labelsize=font)
    ax.invert_yaxis()
    ax.set_ylim(n - 0.5, -0.5)
    high = max(values)
    low = min(0.0, min(values))
    if percent:
        ax.set_xlim(low, max(100.0, high) * 1.15)
        ax.xaxis.set_major_formatter(FuncFormatter(_axis_pct))
    else:
        ax.set_xlim(low, (high if high > 0 else 1) * 1.2)
        ax.xaxis.set_major_formatter(FuncFormatter(_axis_num))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    text = _t(title)
    if total > n:
        text += f"\n({n} đơn vị xếp hạng đầu trên tổng số {total} đơn vị có số liệu)"
    ax.set_title(text)
    if missing:
        ax.set_xlabel(f"Chưa có số liệu: {missing} đơn vị")
    return _fit_layout(fig)


def _luminance(rgba: Sequence[float]) -> float:
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@_styled
def heatmap(matrix: Any, names: Mapping[str, str] | None,
            column_labels: Mapping[str, str] | None, *,
            title: str = "Tỷ lệ các chỉ tiêu theo đơn vị", percent: bool = True,
            cmap: str = "cividis") -> Figure | None:
    """Units (rows) × indicators (columns) of rates, coloured with a grey-safe colormap.

    ``matrix`` is :func:`cchc_lib.rollup.unit_matrix`'s frame (index unit codes, columns
    indicator codes, NaN where no rate).  The colormap ("cividis" by default; "Greys" works
    too) is monotonic in lightness, so it prints in grey; the scale runs 0–100% (further when
    a value exceeds it).  A NaN cell is left blank with a grey hatch (one hatched
    :class:`~matplotlib.patches.Rectangle` each).  Cells carry their values when the grid is at
    most 20 × 10.  ``None`` when the frame is empty or holds no value.
    """
    if matrix is None or not hasattr(matrix, "columns") or not hasattr(matrix, "index"):
        return None
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return None
    try:
        values = matrix.apply(lambda col: [(_num(v) if _num(v) is not None else np.nan)
                                           for v in col]).to_numpy(dtype=float)
    except (TypeError, ValueError):
        return None
    if np.isnan(values).all():
        return None
    names, column_labels = names or {}, column_labels or {}
    rows, cols = values.shape
    rows_labels = [_t(names.get(str(c), c)) for c in matrix.index]
    col_texts = [_t(column_labels.get(str(c), c)) for c in matrix.columns]
    longest = max(len(t) for t in col_texts)
    fig = _new_figure(_tall_height(rows, per_row=0.22, base=1.5 + min(longest, 40) * 0.03),
                      constrained=True)
    ax = fig.add_subplot()
    _prepare(ax)
    high = float(np.nanmax(values))
    low = float(np.nanmin(values))
    vmax = max(100.0, high) if percent else (high if high > low else low + 1)
    vmin = min(0.0, low)
    norm = Normalize(vmin=vmin, vmax=vmax)
    colormap = matplotlib.colormaps[cmap].with_extremes(bad=(1, 1, 1, 0))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colormap, norm=norm, aspect="auto",
                      interpolation="nearest")
    for i, j in zip(*np.where(np.isnan(values))):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="////",
                               edgecolor="#9a9a9a", linewidth=0))
    fmt = _pct if percent else _axis_num
    if rows <= _ANNOTATE_ROWS and cols <= _ANNOTATE_COLS:
        for i in range(rows):
            for j in range(cols):
                v = values[i, j]
                if np.isnan(v):
                    continue
                dark = _luminance(colormap(norm(v))) < 0.5
                ax.text(j, i, fmt(v), ha="center", va="center", fontsize=6.5,
                        color="white" if dark else "black")
    font = 7 if rows <= 30 else (6 if rows <= 60 else 4.5)
    ax.set_yticks(np.arange(rows), rows_labels)
    ax.set_xticks(np.arange(cols), col_texts)
    ax.tick_params(axis="y", labelsize=font, length=0)
    ax.tick_params(axis="x", labelsize=7, length=0)
    if longest > 8 or cols > 8:
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(_axis_pct if percent else _axis_num))
    bar.ax.tick_params(labelsize=7)
    try:
        bar.ax.tick_params(labelfontfamily=FONT_FAMILY)
    except (TypeError, ValueError, AttributeError):
        pass
    handles = [Patch(facecolor="white", edgecolor="#9a9a9a", hatch="////",
                     label="Chưa có số liệu")] if np.isnan(values).any() else []
    if handles:
        fig.legend(handles=handles, loc="outside lower right")
    ax.set_title(_t(title))
    return fig


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

def figure_to_png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes (Agg), at the figure's own dpi unless ``dpi`` is given.

    Drawn once (a layout engine, if any, runs within that drawing) and saved as RGB: the charts
    are opaque, and an alpha channel would only make the PNG bigger and slower to encode, and
    make WeasyPrint encode a separate mask for the PDF.
    """
    from PIL import Image

    buf = BytesIO()
    with style():
        if dpi is not None and dpi != fig.dpi or not isinstance(fig.canvas, FigureCanvasAgg):
            fig.savefig(buf, format="png", dpi=dpi if dpi is not None else fig.dpi,
                        facecolor="white")
            return buf.getvalue()
        fig.canvas.draw()
        rgba = Image.frombuffer("RGBA", fig.canvas.get_width_height(),
                                fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    # zlib level 3: as small as the default level 6 on these flat-coloured charts, a third quicker
    rgba.convert("RGB").save(buf, format="png", dpi=(fig.dpi, fig.dpi), compress_level=3)
    return buf.getvalue()
