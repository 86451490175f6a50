"""The district overview's roll-up table reconciles: every printed rate is its printed
done/total, over the same units, whose number is printed beside it (a hostile reader checked
1.1.2 "Tổng 161, Đã thực hiện 55, Tỷ lệ chung 52,1%" by hand and stopped trusting the table)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache

from cchc_lib import units
from cchc_lib.calc import percent
from cchc_lib.formatting import fmt_percent
from cchc_lib.overview import MAIN_RATES, DistrictOverview
from cchc_lib.periods import parse_period
from cchc_lib.synth import synth_submission


def vn_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def district_with_gaps():
    """Seven communes; some lack a figure of a rate's fraction, one lacks a whole row."""
    communes = units.children("661", era="2008", level="commune")
    subs = []
    for n, unit in enumerate(communes[:6]):
        sub = synth_submission(unit, "2024-H1", seed=11)
        values = dict(sub.values)
        if n in (0, 3):  # no done figure of 1.1.2 / 3.4.1: their totals must not count
            values["1.1.2"] = replace(values["1.1.2"], done=None, total=None)
            values["3.4.1"] = replace(values["3.4.1"], done=None)
        if n == 1:  # the estimate behind the budget rate is missing
            values.pop("S.5.1", None)
        if n == 2:
            values.pop("1.3.2", None)
            values.pop("1.3.1", None)
        subs.append(replace(sub, values=values))
    parent = units.get_unit("661", era="2008")
    return DistrictOverview(parent, parse_period("2024-H1"), communes, subs)


def test_every_printed_rate_is_its_printed_done_over_total():
    ov = district_with_gaps()
    table = ov.rollup_table().data
    assert table["headers"][2:6] == ["Số đơn vị", "Đã thực hiện", "Tổng số", "Tỷ lệ chung"]
    assert [r[0] for r in table["rows"]] == list(MAIN_RATES)
    checked = 0
    for code, _, n_units, done, total, rate, low, high in table["rows"]:
        counted, submitted = (int(x) for x in n_units.split("/"))
        assert submitted == 6
        if not done:
            assert not rate.endswith("%"), code  # no rate without its fraction
            continue
        assert rate == fmt_percent(percent(vn_number(done), vn_number(total), 1), 1), code
        checked += 1
    assert checked >= 4


def test_the_units_behind_a_rate_are_exactly_those_with_both_figures():
    ov = district_with_gaps()
    rows = {r[0]: r for r in ov.rollup_table().data["rows"]}
    # 3.4.1: two communes gave no done figure, so 4 of the 6 submitted count, and the
    # printed total is the sum of those four totals only (computed here by hand)
    subs = [s for s in ov.subs if s.value("3.4.1") and s.value("3.4.1").done is not None]
    assert len(subs) == 4
    assert rows["3.4.1"][2] == "4/6"
    total = sum(s.value("3.4.1").total for s in subs)
    done = sum(s.value("3.4.1").done for s in subs)
    assert vn_number(rows["3.4.1"][4]) == total and vn_number(rows["3.4.1"][3]) == done


# ------------------------------------------------------------------ a province of a hundred units

@cache
def province_of_a_hundred() -> DistrictOverview:
    """tỉnh Lâm Đồng (2025) has 124 communes and wards: the first 110 (by code) send an
    illustrative report of quý I năm 2026; the other 14 send nothing."""
    communes = units.children("68", era="2025", level="commune")
    subs = [synth_submission(u, "2026-Q1", seed=3) for u in communes[:110]]
    return DistrictOverview(units.get_unit("68", era="2025"), parse_period("2026-Q1"),
                            communes, subs)


def test_at_a_hundred_units_the_missing_units_are_a_compact_table():
    ov = province_of_a_hundred()
    communes = units.children("68", era="2025", level="commune")
    assert len(communes) == 124
    part = ov.submission_summary()
    assert part.kind == "table"
    assert part.data["intro"] == "110/124 đơn vị đã nộp báo cáo. Chưa nộp: 14 đơn vị."
    # 14 names in two pairs of columns (code, name), read down then across: 7 rows
    assert part.data["headers"] == ["Mã", "Đơn vị", "Mã", "Đơn vị"]
    rows = part.data["rows"]
    assert len(rows) == 7
    listed = [r[0] for r in rows] + [r[2] for r in rows]
    assert listed == [u.code for u in communes[110:]]
    assert rows[0][1] == units.unit_title(communes[110])
    assert "<p>" not in str(part).split("<table")[1]  # the names are cells, not a paragraph


def test_a_long_missing_list_uses_three_pairs_of_columns():
    from cchc_lib.overview import unit_list_table

    communes = units.children("68", era="2025", level="commune")
    part = unit_list_table(communes[:100])
    assert len(part.data["headers"]) == 6 and len(part.data["rows"]) == 34  # ⌈100 / 3⌉
    assert part.data["rows"][-1][4:] == ["", ""]  # the last column is one short


def test_at_a_hundred_units_the_ranking_is_split_into_legible_pages():
    from cchc_lib.overview import RANKING_PAGE, ChartPages

    ov = province_of_a_hundred()
    pages = ov.ranking_chart("3.4.1")
    assert isinstance(pages, ChartPages)
    ranked = [s for s in ov.subs if s.value("3.4.1") and s.value("3.4.1").done is not None]
    assert len(pages) == -(-len(ranked) // RANKING_PAGE) >= 3
    shown = []
    for chart in pages:
        [ax] = [a for a in chart.fig.axes if a.get_visible()]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert 0 < len(labels) <= RANKING_PAGE
        shown += labels
        assert f"/{len(pages)}" in ax.get_title()
    # every unit with a figure once, in rank order, its rank before its name
    assert len(shown) == len(ranked)
    ranks = [int(label.split(".")[0]) for label in shown]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_at_a_hundred_units_the_heatmap_is_split_into_pages_that_print_their_values():
    from cchc_lib.overview import HEATMAP_PAGE, MAIN_RATES

    ov = province_of_a_hundred()
    pages = ov.heatmap()
    assert len(pages) == 6  # 110 units, 20 a page
    rows = []
    for chart in pages:
        ax = chart.fig.axes[0]
        [image] = ax.images
        n, cols = image.get_array().shape
        assert n <= HEATMAP_PAGE and cols == len(MAIN_RATES)
        rows.append(n)
        assert ax.texts  # each cell's value is printed at this size
    assert rows == [20, 20, 20, 20, 20, 10]


def test_at_a_hundred_units_the_rollup_rates_are_their_printed_fractions():
    ov = province_of_a_hundred()
    checked = 0
    for code, _, n_units, done, total, rate, *_ in ov.rollup_table().data["rows"]:
        if not done:
            continue
        counted, submitted = (int(x) for x in n_units.split("/"))
        assert submitted == 110 and 0 < counted <= 110
        assert rate == fmt_percent(percent(vn_number(done), vn_number(total), 1), 1), code
        checked += 1
    assert checked >= 4
