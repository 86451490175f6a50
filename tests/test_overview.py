"""The district overview's roll-up table reconciles: every printed rate is its printed
done/total, over the same units, whose number is printed beside it (a hostile reader checked
1.1.2 "Tổng 161, Đã thực hiện 55, Tỷ lệ chung 52,1%" by hand and stopped trusting the table)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

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
