"""Charts: structure of the figures (bars, labels, titles), not their pixels.

Inputs come from the seed report (xã Đắk Ha, 6 tháng đầu năm 2024) and from hand-made
dataclass instances; expected texts are read off the seed (74,9% on time, 72 tasks set …).
"""

from __future__ import annotations

import math
import re
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cchc_lib import calc, charts, narrative
from cchc_lib.calc import Budget, BudgetLine, Dossiers, FieldDossiers, PlanTasks, StaffLine
from cchc_lib.serialize import load_sample

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def yticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def xticks(ax) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels()]


def only_axes(fig: Figure):
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    return fig.axes[0]


def assert_a4_size(fig: Figure, max_height: float = 3.6) -> None:
    width, height = fig.get_size_inches()
    assert width == pytest.approx(6.3)
    assert 2.6 <= height <= max_height
    assert fig.dpi == 150


def render_without_glyph_warnings(fig: Figure) -> bytes:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.figure_to_png(fig)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "glyph" in m.lower()], messages
    return png


def field(code, label, total=None, on_time=None, rate=None, typed=None) -> FieldDossiers:
    return FieldDossiers(code=code, label=label, title=label, total=total, on_time=on_time,
                         rate=rate, typed_rate=typed)


def dossiers(on=None, late=None, fields=()) -> Dossiers:
    return Dossiers(carried_over=None, received_new=None, received_total=None,
                    received_computed=None, resolved=None, on_time=None, late=None,
                    on_time_rate=on, late_rate=late, on_time_rate_typed=None,
                    late_rate_typed=None, on_time_rate_from_counts=False,
                    late_rate_from_counts=False, by_field=tuple(fields))


def line(code, done=None, estimate=None, rate=None) -> BudgetLine:
    return BudgetLine(code=code, title=code, estimate=estimate, done=done, as_of=None,
                      execution_rate=rate, typed_rate=None, implied_estimate=None,
                      rate_from_estimate=estimate is not None)


# ---------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------

def test_dossier_chart_from_the_seed(sample):
    fig = charts.dossier_chart(calc.dossiers(sample))
    ax = only_axes(fig)
    assert_a4_size(fig)
    # Tổng số hồ sơ (74,9 / 25,1) and Đất đai (40/118 = 33,9); Xây dựng not reported,
    # 3.4.1 ("Chung") is the total itself and gets no bar of its own
    assert yticks(ax) == ["Tổng số hồ sơ", "Đất đai"]
    assert len(ax.patches) == 4  # two segments per bar
    assert {"74,9%", "25,1%", "33,9%", "66,1%"} <= set(texts(ax))
    assert ax.get_title() == "Tỷ lệ hồ sơ giải quyết đúng hạn và trễ hạn"
    # the late segment starts where the on-time one ends and is hatched (grey-safe)
    on, late = ax.patches[0], ax.patches[2]
    assert on.get_width() == pytest.approx(74.9)
    assert late.get_x() == pytest.approx(74.9)
    assert late.get_width() == pytest.approx(25.1)
    assert late.get_hatch() and not on.get_hatch()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Đúng hạn", "Trễ hạn"]


def test_dossier_chart_falls_back_to_row_3_4_1_and_completes_rates():
    d = dossiers(fields=[field("3.4.1", "Chung", rate=None, typed=90),
                         field("3.4.2", "Đất đai"),
                         field("3.4.3", "Xây dựng", 20, 1, rate=5.0)])
    ax = only_axes(charts.dossier_chart(d))
    assert yticks(ax) == ["Tổng số hồ sơ", "Xây dựng"]
    assert len(ax.patches) == 4
    assert {"90%", "10%", "5%", "95%"} <= set(texts(ax))
    # only the late rate known: on time is its complement
    ax = only_axes(charts.dossier_chart(dossiers(late=25.1)))
    assert {"74,9%", "25,1%"} <= set(texts(ax))


def test_dossier_chart_without_rates_is_none():
    assert charts.dossier_chart(dossiers()) is None
    assert charts.dossier_chart(dossiers(fields=[field("3.4.2", "Đất đai", total=10)])) is None
    assert charts.dossier_chart(None) is None


# ---------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------

def test_budget_chart_from_the_seed(sample):
    fig = charts.budget_chart(calc.budget(sample))
    ax = only_axes(fig)
    assert_a4_size(fig)
    assert len(ax.patches) == 3
    ticks = xticks(ax)
    assert [t.split("\n")[0] for t in ticks] == [
        "Thu NSNN trên địa bàn", "Thu ngân sách do xã đảm nhận", "Chi ngân sách xã"]
    assert "3.253.588.460 đồng" in ticks[0]
    # rates as the report's sentences print them: one decimal, the typed 42,94 shows as 42,9%
    assert {"47,1%", "76,9%", "42,9%"} <= set(texts(ax))
    assert "42,94%" not in texts(ax)
    assert ax.get_title() == "Thực hiện thu, chi ngân sách so với dự toán"
    # the dashed reference line at the elapsed share of the year (H1: 50%)
    refs = [ln for ln in ax.lines if ln.get_label() == "Tỷ lệ thời gian đã qua: 50%"]
    assert len(refs) == 1
    assert refs[0].get_linestyle() == "--"
    assert set(refs[0].get_ydata()) == {50.0}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Tỷ lệ thời gian đã qua: 50%"]


def _percents(text: str) -> list[str]:
    return re.findall(r"\d+(?:,\d+)?%", text)


def test_budget_chart_labels_print_the_figures_of_the_sentences(sample):
    # The seed prints "đạt 42,94% dự toán" in its text and the report's sentence rounds it to
    # 42,9%: the bar beside the sentence must carry the very same text, line by line.
    b = calc.budget(sample)
    sentences = narrative.budget_sentences(b, estimate_basis=sample.header.estimate_basis)
    in_text = [_percents(s)[0] for s in sentences]  # the first percent: "đạt …% dự toán"
    assert in_text == ["47,1%", "76,9%", "42,9%"]
    ax = only_axes(charts.budget_chart(b))
    bars = sorted(ax.texts, key=lambda t: t.xy[0])  # annotations, left to right
    assert [t.get_text() for t in bars] == in_text
    # and the year's share: 50% in the sentence, 50% on the reference line
    assert _percents(sentences[-1])[-1] == "50%"
    assert [ln.get_label() for ln in ax.lines] == ["Tỷ lệ thời gian đã qua: 50%"]


def test_staff_and_dossier_chart_labels_print_the_figures_of_the_sentences(sample):
    staff_text = " ".join(narrative.sentences(sample, "II.3", unit_title="xã Đắk Ha",
                                              period_label="6 tháng đầu năm 2024"))
    ax = only_axes(charts.staff_chart(calc.staff(sample)))
    for label in texts(ax):
        share = label.split(" ")[0]
        assert share in staff_text, label
    dossier_text = narrative.dossier_sentence(calc.dossiers(sample), None)
    ax = only_axes(charts.dossier_chart(calc.dossiers(sample)))
    assert {"74,9%", "25,1%"} <= set(texts(ax))
    assert {"74,9%", "25,1%"} <= set(_percents(dossier_text))


def test_budget_chart_skips_lines_without_a_rate():
    b = Budget(period="2024-Q1", year_share=25.0,
               revenue=line("S.5.1", done=300, estimate=1000, rate=30.0),
               own_revenue=line("S.5.2"), spending=line("S.5.3", done=10, rate=None))
    ax = only_axes(charts.budget_chart(b))
    assert len(ax.patches) == 1
    assert xticks(ax) == ["Thu NSNN trên địa bàn\n(300 đồng)"]
    assert "30%" in texts(ax)
    assert [ln.get_label() for ln in ax.lines] == ["Tỷ lệ thời gian đã qua: 25%"]


def test_budget_chart_without_rates_is_none():
    b = Budget(period="2024-H1", year_share=50.0, revenue=line("S.5.1"),
               own_revenue=line("S.5.2"), spending=line("S.5.3"))
    assert charts.budget_chart(b) is None
    assert charts.budget_chart(None) is None


# ---------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------

def test_staff_chart_from_the_seed(sample):
    lines = calc.staff(sample)
    fig = charts.staff_chart(lines)
    ax = only_axes(fig)
    assert_a4_size(fig)
    assert len(ax.patches) == 7
    assert yticks(ax)[0] == "CBCC đạt chuẩn chức danh theo quy định"
    assert "Trình độ lý luận chính trị trung cấp" in yticks(ax)
    # computed shares with their fractions: 21/25 = 84%, 13/21 = 61,9%, 1/21 = 4,8%
    assert {"84% (21/25)", "61,9% (13/21)", "4,8% (1/21)", "100% (21/21)"} <= set(texts(ax))
    assert ax.get_title() == "Trình độ cán bộ, công chức"


def test_staff_chart_reported_lines_only():
    lines = (StaffLine("S.6.1", "Đạt chuẩn", 3, 4, 75.0, None),
             StaffLine("S.6.2", "Đại học", None, None, None, None),
             StaffLine("S.6.3", "Sau đại học", None, None, None, 12.5))
    ax = only_axes(charts.staff_chart(lines))
    assert yticks(ax) == ["Đạt chuẩn", "Sau đại học"]
    assert len(ax.patches) == 2
    assert {"75% (3/4)", "12,5%"} <= set(texts(ax))
    assert charts.staff_chart(lines[1:2]) is None
    assert charts.staff_chart(()) is None
    assert charts.staff_chart(None) is None


# ---------------------------------------------------------------------------
# Plan tasks
# ---------------------------------------------------------------------------

def test_tasks_chart_from_the_seed(sample):
    fig = charts.tasks_chart(calc.plan_tasks(sample))
    ax = only_axes(fig)
    assert_a4_size(fig)
    assert len(ax.patches) == 2
    assert xticks(ax) == ["Nhiệm vụ đề ra", "Đã hoàn thành"]
    assert [p.get_height() for p in ax.patches] == [72, 55]
    assert {"72", "55"} <= set(texts(ax))
    # the computed rate 55/72, not the typed 100%
    assert ax.get_title() == "Nhiệm vụ kế hoạch CCHC: hoàn thành 76,4%"


def test_tasks_chart_missing_parts():
    ax = only_axes(charts.tasks_chart(PlanTasks(set=None, done=3, rate=None, typed_rate=None)))
    assert len(ax.patches) == 1
    assert "chưa có số liệu" in texts(ax)
    assert ax.get_title() == "Nhiệm vụ kế hoạch CCHC"
    assert charts.tasks_chart(PlanTasks(set=None, done=None, rate=None, typed_rate=None)) is None
    assert charts.tasks_chart(None) is None


# ---------------------------------------------------------------------------
# Trend
# ---------------------------------------------------------------------------

HISTORY = [
    ("quý I/2024", {"3.4.1": 70.2, "3.4.2": 30.0}),
    ("6 tháng đầu năm 2024", {"3.4.1": 74.9, "3.4.2": None}),
    ("9 tháng năm 2024", {"3.4.1": 80.5, "3.4.2": 41.0}),
]
LABELS = {"3.4.1": "Hồ sơ đúng hạn", "3.4.2": "Hồ sơ đất đai đúng hạn"}


def test_trend_chart_lines_in_period_order():
    fig = charts.trend_chart(HISTORY, LABELS)
    ax = only_axes(fig)
    assert_a4_size(fig)
    assert xticks(ax) == ["quý I/2024", "6 tháng đầu năm 2024", "9 tháng năm 2024"]
    assert [ln.get_label() for ln in ax.lines] == ["Hồ sơ đúng hạn", "Hồ sơ đất đai đúng hạn"]
    first, second = ax.lines
    assert list(first.get_ydata()) == [70.2, 74.9, 80.5]
    assert math.isnan(second.get_ydata()[1])  # a missing value breaks the line
    # distinguishable without colour: line style and marker differ
    assert first.get_linestyle() != second.get_linestyle()
    assert first.get_marker() != second.get_marker()
    assert {"74,9%", "80,5%", "41%"} <= set(texts(ax))


def test_trend_chart_needs_two_periods_with_values():
    assert charts.trend_chart([("quý I/2024", {"3.4.1": 70.2})], LABELS) is None
    assert charts.trend_chart([("quý I/2024", {"3.4.1": 70.2}),
                               ("6 tháng đầu năm 2024", {"3.4.1": None})], LABELS) is None
    assert charts.trend_chart([], LABELS) is None
    assert charts.trend_chart(None, LABELS) is None


# ---------------------------------------------------------------------------
# District
# ---------------------------------------------------------------------------

def ranked_frame(n: int, with_missing: int = 0) -> pd.DataFrame:
    values = [100.0 - i * 0.5 for i in range(n)] + [np.nan] * with_missing
    codes = [f"{24000 + i}" for i in range(n + with_missing)]
    frame = pd.DataFrame({"unit_code": codes, "value": values})
    frame["rank"] = frame["value"].rank(method="min", ascending=False)
    return frame


def test_ranking_chart_sorted_with_names():
    frame = pd.DataFrame({"unit_code": ["24616", "24620", "24622"],
                          "value": [90.0, np.nan, 75.0], "rank": [1.0, np.nan, 2.0]})
    names = {"24616": "Xã Quảng Sơn", "24622": "Xã Đắk Ha"}
    fig = charts.ranking_chart(frame, names, "Tỷ lệ hồ sơ đúng hạn")
    ax = only_axes(fig)
    assert len(ax.patches) == 2  # the unit without a value gets no bar
    assert yticks(ax) == ["Xã Quảng Sơn", "Xã Đắk Ha"]  # best first, from the top
    assert ax.yaxis_inverted()
    assert ax.get_title() == "Tỷ lệ hồ sơ đúng hạn"
    assert {"90%", "75%"} <= set(texts(ax))
    assert "1 đơn vị" in ax.get_xlabel()


def test_ranking_chart_grows_and_caps_at_60_units():
    small = charts.ranking_chart(ranked_frame(5), {}, "Xếp hạng")
    tall = charts.ranking_chart(ranked_frame(40), {}, "Xếp hạng")
    assert small.get_size_inches()[1] < tall.get_size_inches()[1]
    capped = charts.ranking_chart(ranked_frame(75, with_missing=2), {}, "Xếp hạng")
    ax = only_axes(capped)
    assert len(ax.patches) == charts.MAX_RANKED_UNITS == 60
    assert yticks(ax)[0] == "24000"
    assert "60" in ax.get_title() and "75" in ax.get_title()
    assert capped.get_size_inches()[1] <= 10  # still one A4 page


def test_ranking_chart_empty_is_none():
    assert charts.ranking_chart(ranked_frame(0, with_missing=3), {}, "x") is None
    assert charts.ranking_chart(pd.DataFrame(columns=["unit_code", "value", "rank"]), {},
                                "x") is None
    assert charts.ranking_chart(None, {}, "x") is None


def test_heatmap_blank_hatched_nan_and_annotations():
    matrix = pd.DataFrame({"3.4.1": [74.9, 90.0], "3.4.2": [33.9, np.nan]},
                          index=pd.Index(["24622", "24616"], name="unit_code"))
    names = {"24622": "Xã Đắk Ha"}
    labels = {"3.4.1": "Hồ sơ đúng hạn", "3.4.2": "Đất đai"}
    fig = charts.heatmap(matrix, names, labels)
    ax = fig.axes[0]
    assert yticks(ax) == ["Xã Đắk Ha", "24616"]
    assert xticks(ax) == ["Hồ sơ đúng hạn", "Đất đai"]
    image = ax.images[0]
    assert image.get_cmap().name.startswith(("cividis", "Greys"))
    assert np.ma.is_masked(image.get_array()[1, 1])  # NaN left blank …
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1  # … and hatched
    assert hatched[0].get_xy() == pytest.approx((0.5, 0.5))
    assert set(texts(ax)) == {"74,9%", "90%", "33,9%"}
    render_without_glyph_warnings(fig)


def test_heatmap_large_grid_is_not_annotated():
    matrix = pd.DataFrame(np.linspace(0, 100, 25 * 3).reshape(25, 3),
                          index=[str(i) for i in range(25)], columns=["a", "b", "c"])
    ax = charts.heatmap(matrix, {}, {}).axes[0]
    assert texts(ax) == []


def test_heatmap_empty_is_none():
    assert charts.heatmap(pd.DataFrame(), {}, {}) is None
    assert charts.heatmap(pd.DataFrame({"a": [np.nan]}, index=["1"]), {}, {}) is None
    assert charts.heatmap(None, {}, {}) is None


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

def test_figures_render_to_png_without_missing_glyphs(sample):
    figs = [
        charts.dossier_chart(calc.dossiers(sample)),
        charts.budget_chart(calc.budget(sample)),
        charts.staff_chart(calc.staff(sample)),
        charts.tasks_chart(calc.plan_tasks(sample)),
        charts.trend_chart(HISTORY, LABELS),
        charts.ranking_chart(ranked_frame(3), {"24000": "Thị trấn Quảng Khê"}, "Xếp hạng"),
    ]
    for fig in figs:
        png = render_without_glyph_warnings(fig)
        assert isinstance(png, bytes)
        assert png.startswith(PNG_SIGNATURE)


def test_font_is_set_per_figure_not_globally(sample):
    before = matplotlib.rcParams["font.family"]
    fig = charts.staff_chart(calc.staff(sample))
    assert matplotlib.rcParams["font.family"] == before
    ax = fig.axes[0]
    assert ax.title.get_fontname() == "DejaVu Sans"
    assert all(t.get_fontname() == "DejaVu Sans" for t in ax.texts)
    assert all(t.get_fontname() == "DejaVu Sans" for t in ax.get_yticklabels())


def test_charts_do_not_use_pyplot(sample):
    import sys
    if "matplotlib.pyplot" in sys.modules:  # another test imported it: check its registry
        import matplotlib.pyplot as plt
        before = plt.get_fignums()
        charts.dossier_chart(calc.dossiers(sample))
        assert plt.get_fignums() == before
    fig = charts.tasks_chart(calc.plan_tasks(sample))
    assert fig.canvas.manager is None  # not registered with any pyplot window manager
