"""Checks across periods (period.*): each rule fires on a small two-period fixture one step past
its boundary, is silent one step inside it, and is silent on consistent illustrative history.

Expected figures are worked out by hand from the fixtures (88 + 6 − 1 = 93), never copied from
the code's output.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cchc_lib import units
from cchc_lib.checks import rules, run_checks
from cchc_lib.model import Submission, Value
from cchc_lib.periods import parse_period
from cchc_lib.synth import synth_history, synth_submission

UNIT = "24622"
DAK_HA = units.get_unit(UNIT, era="2008")
# the rules of this family; period.label-mismatch is a check within one report
PERIOD_RULES = {rid for rid, r in rules().items() if "periods" in r.scope}


def sub(period: str, unit: str = UNIT, sections=None, **figures) -> Submission:
    """A submission with figures given as code=(total, done) or code=total (dots as _)."""
    values = {}
    for key, fig in figures.items():
        code = key.replace("_", ".")
        total, done = fig if isinstance(fig, tuple) else (fig, None)
        values[code] = Value(code, total=total, done=done)
    return Submission(unit_code=unit, period=period, values=values, sections=sections or {})


def period_findings(s: Submission, history=(), peers=()):
    return [f for f in run_checks(s, history=history, peers=peers) if f.rule in PERIOD_RULES]


def rules_of(found) -> set[str]:
    return {f.rule for f in found}


def only(found, rule):
    hits = [f for f in found if f.rule == rule]
    assert len(hits) == 1, [(f.rule, f.message) for f in found]
    return hits[0]


def test_every_period_rule_has_a_case_here():
    assert PERIOD_RULES == set(MUTATIONS) | {"period.copied-figures"}


# ------------------------------------------------------------------------------- stocks and flows

def test_stock_follows_from_the_flows_of_the_period():
    before = sub("2023", **{"3_1_3": 88})
    now = sub("2024-H1", **{"3_1_3": 92, "3_1_1": 6, "3_1_2": 1})  # 88 + 6 − 1 = 93
    hit = only(period_findings(now, [before]), "period.stock-flow")
    assert hit.message == (
        'Chỉ tiêu 3.1.3 "Tổng số TTHC đang có hiệu lực": 92, nhưng năm 2023 có 88 + 6 (3.1.1 Số '
        "TTHC công bố mới) − 1 (3.1.2 Số TTHC bãi bỏ, thay thế) = 93.")
    assert (hit.severity, hit.expected, hit.found, hit.where) == (
        "error", 93, 92, "indicator:3.1.3:total")
    right = sub("2024-H1", **{"3_1_3": 93, "3_1_1": 6, "3_1_2": 1})
    assert period_findings(right, [before]) == []


def test_the_last_period_is_the_one_whose_window_ends_the_day_before():
    # quý III follows quý II or 6 tháng (both end 14/6); quý I of a year does not precede it
    q3 = sub("2024-Q3", **{"3_1_3": 100, "3_1_1": 3, "3_1_2": 3})
    assert period_findings(q3, [sub("2024-H1", **{"3_1_3": 100})]) == []
    assert period_findings(q3, [sub("2024-Q2", **{"3_1_3": 100})]) == []
    hit = only(period_findings(q3, [sub("2024-Q2", **{"3_1_3": 99})]), "period.stock-flow")
    assert "quý II năm 2024 có 99 + 3" in hit.message and hit.expected == 99
    # with only quý I (window 15/12 – 14/3) there is no last period: a note, not an error
    (note,) = period_findings(q3, [sub("2024-Q1", **{"3_1_3": 1})])
    assert note.rule == "period.no-previous"


def test_dossiers_carried_over_are_the_last_period_s_received_minus_resolved():
    before = sub("2024-Q1", **{"S_3_1": 500, "S_3_4": 460})  # 500 − 460 = 40 pending
    hit = only(period_findings(sub("2024-Q2", **{"S_3_2": 41}), [before]), "period.carry-over")
    assert hit.message == (
        'Chỉ tiêu S.3.2 "Số hồ sơ tồn kỳ trước chuyển sang": 41, nhưng theo báo cáo quý I năm '
        "2024: 500 (S.3.1 Tổng số hồ sơ tiếp nhận) − 460 (S.3.4 Số hồ sơ đã giải quyết) = 40 "
        "chuyển sang kỳ này.")
    assert (hit.severity, hit.expected, hit.found, hit.where) == (
        "error", 40, 41, "indicator:S.3.2:total")
    assert period_findings(sub("2024-Q2", **{"S_3_2": 40}), [before]) == []


# ------------------------------------------------------------------------------- no previous period

def test_without_the_last_period_one_note_names_what_was_not_compared():
    now = sub("2024-H1", **{"3_1_3": 92, "3_1_1": 6, "3_1_2": 1, "S_3_2": 40})
    (note,) = period_findings(now, [sub("2023-H1", **{"3_1_3": 80})])
    assert (note.rule, note.severity, note.where) == ("period.no-previous", "note", None)
    assert note.message == (
        "Báo cáo 6 tháng đầu năm 2024: chưa đối chiếu được với kỳ liền trước chỉ tiêu 3.1.3, "
        "S.3.2 (chưa có báo cáo năm 2023 hoặc báo cáo quý IV năm 2023).")


def test_a_last_period_without_the_figure_is_named_in_the_note():
    now = sub("2024-H1", **{"3_1_3": 92, "3_1_1": 6, "3_1_2": 1, "S_3_2": 40})
    (note,) = period_findings(now, [sub("2023", **{"S_3_1": 90, "S_3_4": 50})])
    assert note.message.endswith("chỉ tiêu 3.1.3 (báo cáo năm 2023 không ghi 3.1.3).")


def test_nothing_to_compare_no_note():
    assert period_findings(sub("2024-H1", **{"S_2_1": 5})) == []


# ------------------------------------------------------------------------------- within a year

def test_a_cumulative_figure_never_falls_within_the_year():
    q1 = sub("2024-Q1", **{"6_1": 3})
    hit = only(period_findings(sub("2024-H1", **{"6_1": 2}), [q1]), "period.cumulative-fell")
    assert hit.message.startswith('Chỉ tiêu 6.1 "Số đơn vị SNCL đã thực hiện tự chủ 100% chi ')
    assert hit.message.endswith(", số tổng: 2 trong báo cáo 6 tháng đầu năm 2024, ít hơn 3 của "
                                "báo cáo quý I năm 2024; số lũy kế trong năm không thể giảm.")
    assert (hit.severity, hit.expected, hit.found, hit.where) == (
        "error", 3, 2, "indicator:6.1:total")
    assert period_findings(sub("2024-H1", **{"6_1": 3}), [q1]) == []
    # a new year starts again
    assert period_findings(sub("2024-Q1", **{"6_1": 1}), [sub("2023", **{"6_1": 3})]) == []


def test_year_to_date_done_never_falls_and_the_largest_earlier_figure_is_named():
    earlier = [sub("2024-Q1", **{"S_5_1": (900, 100)}), sub("2024-H1", **{"S_5_1": (900, 400)})]
    hit = only(period_findings(sub("2024-9M", **{"S_5_1": (900, 399)}), earlier),
               "period.cumulative-fell")
    assert ", số đã thực hiện: 399 trong báo cáo 9 tháng đầu năm 2024, ít hơn 400 của báo cáo " \
           "6 tháng đầu năm 2024" in hit.message
    assert (hit.expected, hit.found, hit.where) == (400, 399, "indicator:S.5.1:done")
    assert period_findings(sub("2024-9M", **{"S_5_1": (900, 400)}), earlier) == []


def test_a_window_inside_another_never_holds_more():
    q2 = sub("2024-Q2", **{"S_2_1": 50})
    hit = only(period_findings(sub("2024-H1", **{"S_2_1": 49}), [q2]), "period.window-nesting")
    assert hit.message == (
        'Chỉ tiêu S.2.1 "Số tin bài đăng trên trang thông tin điện tử", số tổng: 49 trong báo '
        "cáo 6 tháng đầu năm 2024 (15/12/2023 – 14/06/2024), ít hơn 50 của báo cáo quý II năm "
        "2024 (15/03/2024 – 14/06/2024) mà thời gian lấy số liệu nằm trọn trong kỳ này.")
    assert (hit.severity, hit.expected, hit.found) == ("error", 50, 49)
    assert period_findings(sub("2024-H1", **{"S_2_1": 50}), [q2]) == []
    # quý III (15/6 – 14/9) is not inside 6 tháng: a larger figure there says nothing
    assert period_findings(sub("2024-9M", **{"S_2_1": 49}),
                           [sub("2024-Q3", **{"S_2_1": 49})]) == []


def test_a_yearly_figure_stays_the_same_within_the_year():
    q1 = sub("2024-Q1", **{"4_2_1": 22})
    hit = only(period_findings(sub("2024-H1", **{"4_2_1": 23}), [q1]), "period.yearly-changed")
    assert hit.message == (
        'Chỉ tiêu 4.2.1 "Tổng số biên chế được giao trong năm", số tổng: 23 trong báo cáo 6 '
        "tháng đầu năm 2024, khác 22 của báo cáo quý I năm 2024; số giao cho cả năm phải như "
        "nhau trong mọi báo cáo của năm (nếu đã điều chỉnh, ghi văn bản điều chỉnh ở cột Ghi chú).")
    assert (hit.severity, hit.expected, hit.found) == ("warning", 22, 23)
    assert period_findings(sub("2024-H1", **{"4_2_1": 22}), [q1]) == []
    assert period_findings(sub("2024-Q1", **{"4_2_1": 25}), [sub("2023", **{"4_2_1": 22})]) == []


# ------------------------------------------------------------------------------- copies

FIVE = {"S_2_1": 10, "S_2_2": 3, "S_2_3": 1, "S_4_1": 2, "S_4_2": 3}


def test_figures_identical_to_the_last_report_are_noticed():
    before = sub("2024-Q1", **FIVE)
    hit = only(period_findings(sub("2024-Q2", **FIVE), [before]), "period.copied-figures")
    assert hit.message == ("Số liệu báo cáo quý II năm 2024 giống hệt báo cáo quý I năm 2024 (5 "
                           "chỉ tiêu): kiểm tra xem có chép nhầm số liệu kỳ trước không.")
    assert (hit.severity, hit.found) == ("note", 5)
    four = {k: v for k, v in FIVE.items() if k != "S_4_2"}
    assert period_findings(sub("2024-Q2", **four), [sub("2024-Q1", **four)]) == []
    assert period_findings(sub("2024-Q2", **{**FIVE, "S_4_2": 4}), [before]) == []


def test_text_identical_to_the_last_report_is_noticed():
    text = {"I.1": ("Đã ban hành kế hoạch.",), "IV": ("Tiếp tục thực hiện.",)}
    before = sub("2024-Q1", sections=text)
    hit = only(period_findings(sub("2024-Q2", sections=text), [before]), "period.copied-text")
    assert hit.message == ("Lời văn báo cáo quý II năm 2024 giống hệt báo cáo quý I năm 2024 "
                           "(các mục I.1, IV): kiểm tra xem có chép nguyên báo cáo kỳ trước "
                           "không.")
    assert (hit.severity, hit.where) == ("note", "section:I.1")
    changed = {**text, "IV": ("Tiếp tục thực hiện tốt.",)}
    assert period_findings(sub("2024-Q2", sections=changed), [before]) == []


# ------------------------------------------------------------------------------- outliers

OWN = [sub("2024-Q1", **{"S_3_3": 300}), sub("2024-Q2", **{"S_3_3": 300}),
       sub("2024-H1", **{"S_3_3": 600}), sub("2024-Q3", **{"S_3_3": 300})]


def test_a_figure_far_from_the_unit_s_own_history_is_a_warning():
    # 100 dossiers a month in every earlier report: 300 a quarter; 1.500 is five times that
    hit = only(period_findings(sub("2024-Q4", **{"S_3_3": 1500}), OWN), "period.outlier-history")
    assert hit.message == (
        'Chỉ tiêu S.3.3 "Số hồ sơ tiếp nhận trong kỳ": 1.500 trong báo cáo quý IV năm 2024, khác '
        "xa mức thường thấy của chính đơn vị (khoảng 300 cho cùng độ dài kỳ, trung vị của 4 báo "
        "cáo: quý I năm 2024, quý II năm 2024, 6 tháng đầu năm 2024, quý III năm 2024); kiểm tra "
        "lại số liệu.")
    assert (hit.severity, hit.expected, hit.found, hit.where) == (
        "warning", 300, 1500, "indicator:S.3.3:total")
    assert period_findings(sub("2024-Q4", **{"S_3_3": 1499}), OWN) == []
    assert period_findings(sub("2024-Q4", **{"S_3_3": 60}), OWN) != []  # five times smaller
    assert period_findings(sub("2024-Q4", **{"S_3_3": 61}), OWN) == []
    assert period_findings(sub("2024-Q4", **{"S_3_3": 1500}), OWN[:3]) == []  # too few reports


def test_small_figures_are_never_outliers():
    few = [sub(p, **{"S_2_3": 1}) for p in ("2024-Q1", "2024-Q2", "2024-Q3", "2023-Q4")]
    assert period_findings(sub("2024-Q4", **{"S_2_3": 10}), few) == []  # 10 times, but 9 more


def test_a_figure_far_from_its_peers_is_a_warning():
    peers = [sub("2024-Q4", unit=code, **{"S_3_3": 300}) for code in
             ("24616", "24617", "24618", "24619", "24620")]
    hit = only(period_findings(sub("2024-Q4", **{"S_3_3": 1500}), peers=peers),
               "period.outlier-peers")
    assert hit.message == (
        'Chỉ tiêu S.3.3 "Số hồ sơ tiếp nhận trong kỳ": 1.500 trong báo cáo quý IV năm 2024, khác '
        "xa các đơn vị khác cùng kỳ (trung vị 300 của 5 đơn vị); kiểm tra lại số liệu.")
    assert (hit.severity, hit.expected, hit.found) == ("warning", 300, 1500)
    assert period_findings(sub("2024-Q4", **{"S_3_3": 1499}), peers=peers) == []
    assert period_findings(sub("2024-Q4", **{"S_3_3": 1500}), peers=peers[:4]) == []


# ------------------------------------------------------------------------------- consistent history

SEQUENCES = {
    "quarters": ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3",
                 "2024-Q4"],
    "halves": ["2023-H1", "2023", "2024-H1"],
    "every kind": ["2023-Q1", "2023-H1", "2023-Q3", "2023-9M", "2023-Q4", "2023", "2024-Q1",
                   "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024"],
}


def _silent(history, peers_of=lambda s: ()):
    """Every report of ``history`` checked against the ones before: no period finding, but
    the note when its last period is not among them."""
    found = []
    for n, s in enumerate(history):
        for f in period_findings(s, history[:n], peers_of(s)):
            found.append((s.period, f.rule, f.message))
    return [x for x in found if x[1] != "period.no-previous"], found


@pytest.mark.parametrize("name", sorted(SEQUENCES))
@pytest.mark.parametrize("seed", [0, 4])
def test_consistent_history_is_silent(name, seed):
    communes = units.children("661", era="2008", level="commune")[:3]
    for unit in communes:
        history = synth_history(unit, SEQUENCES[name], seed=seed)
        others = {s.period: [synth_submission(u, s.period, seed=seed) for u in communes]
                  for s in history}
        bad, _ = _silent(history, lambda s: others[s.period])
        assert bad == []


def test_consistent_history_of_the_2025_era_is_silent():
    communes = units.children("68", era="2025", level="commune")[:6]
    for unit in communes[:2]:
        history = synth_history(unit, ["2026-Q1", "2026-Q2", "2026-H1", "2026-Q3", "2026-Q4",
                                       "2026", "2027-Q1"], seed=2)
        bad, all_found = _silent(history, lambda s: [synth_submission(u, s.period, seed=2)
                                                     for u in communes])
        assert bad == []
        # the note, for the reports whose windows start on 15/12/2025: nothing of 2025 given
        assert [p for p, _, _ in all_found] == ["2026-Q1", "2026-H1", "2026"]


def test_the_demo_s_two_halves_give_no_period_error():
    for unit in units.children("661", era="2008", level="commune"):
        h1_2023, h1_2024 = synth_history(unit, ["2023-H1", "2024-H1"], seed=0)
        found = period_findings(h1_2024, [h1_2023])
        assert [f.severity for f in found] == ["note"]  # no report of năm 2023 to follow from


def test_synth_history_is_synth_submission_period_by_period():
    history = synth_history(DAK_HA, ["2024-Q1", "2024-Q2", "2024-Q1"], seed=3)
    assert [s.period for s in history] == ["2024-Q1", "2024-Q2"]
    assert history[1] == synth_submission(DAK_HA, "2024-Q2", seed=3)


# ------------------------------------------------------------------------------- one mutation, one rule

@pytest.fixture(scope="module")
def year_2024():
    """Consistent reports of every kind of 2024, and the year before's last."""
    return synth_history(DAK_HA, ["2023", "2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M"],
                         seed=1)


def _bump(s, code, **changes):
    return replace(s, values={**s.values, code: replace(s.values[code], **changes)})


def _times(s, code, k):
    return _bump(s, code, total=s.values[code].total * k)


MUTATIONS = {
    # rule: (which report of year_2024 is checked, with the ones before it as history;
    #        its change, given the report and the history by period)
    "period.stock-flow": (2, lambda s, h: _bump(s, "3.1.3", total=s.values["3.1.3"].total + 1)),
    "period.carry-over": (4, lambda s, h: _bump(s, "S.3.2", total=s.values["S.3.2"].total - 1)),
    "period.cumulative-fell": (5, lambda s, h: _bump(
        s, "S.5.1", done=h["2024-H1"].values["S.5.1"].done - 1)),
    "period.window-nesting": (5, lambda s, h: _bump(
        s, "S.2.1", total=h["2024-Q3"].values["S.2.1"].total - 1)),
    "period.yearly-changed": (3, lambda s, h: _bump(
        s, "S.5.3", total=s.values["S.5.3"].total + 10**6)),
    "period.copied-text": (4, lambda s, h: replace(s, sections=h["2024-H1"].sections)),
    "period.outlier-history": (5, lambda s, h: _times(s, "S.3.3", 8)),
    "period.outlier-peers": (1, lambda s, h: _times(s, "S.2.1", 20)),
    # quý II without quý I, the report whose window ends the day before its own starts
    "period.no-previous": (2, None),
}


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_one_mutation_fires_exactly_its_rule(year_2024, rule):
    n, mutate = MUTATIONS[rule]
    s, history = year_2024[n], list(year_2024[:n])
    peers = []
    if rule == "period.outlier-peers":
        peers = [synth_submission(u, s.period, seed=1)
                 for u in units.children("661", era="2008", level="commune")]
    assert period_findings(s, history, peers) == []
    if mutate is None:
        history = [h for h in history if h.period != "2024-Q1"]
    else:
        s = mutate(s, {h.period: h for h in history})
    found = period_findings(s, history, peers)
    assert rules_of(found) == {rule}, [(f.rule, f.message) for f in found]


def test_a_copied_report_is_noticed_among_what_its_copy_breaks(year_2024):
    q1, q2 = year_2024[1], year_2024[2]
    copy = replace(q2, values=q1.values, sections=q1.sections)
    assert {"period.copied-figures", "period.copied-text"} <= rules_of(
        period_findings(copy, [year_2024[0], q1]))


# ------------------------------------------------------------------------------- where they show

@pytest.fixture(scope="module")
def store_of_two_periods(tmp_path_factory):
    from cchc_lib.ingest import ingest_checked
    from cchc_lib.store import open_store

    q1, q2 = synth_history(DAK_HA, ["2024-Q1", "2024-Q2"], seed=1)
    q2 = _bump(q2, "3.1.3", total=q2.values["3.1.3"].total + 2)  # two procedures too many
    path = tmp_path_factory.mktemp("store") / "s.sqlite"
    with open_store(path) as st:
        ingest_checked(st, [q1, q2])
    expected = (q1.values["3.1.3"].total + q2.values["3.1.1"].total
                - q2.values["3.1.2"].total)
    return str(path), expected


def test_cchc_check_from_the_store_shows_the_period_findings(store_of_two_periods):
    from click.testing import CliRunner

    from cchc_lib.cli import main

    path, expected = store_of_two_periods
    text = CliRunner().invoke(main, ["check", "--period", "2024-Q2", "--store", path],
                              env={"COLUMNS": "250"})
    assert "period.stock-flow" in text.output
    assert text.exit_code == 1
    as_json = CliRunner().invoke(main, ["check", "--period", "2024-Q2", "--unit", UNIT,
                                        "--store", path, "--format", "json"])
    [report] = json.loads(as_json.output)
    hits = [f for f in report["findings"] if f["rule"].startswith("period.")
            and f["rule"] != "period.label-mismatch"]
    assert [(f["rule"], f["expected"], f["found"], f["where"]) for f in hits] == [
        ("period.stock-flow", expected, expected + 2, "indicator:3.1.3:total")]
    # quý I has no quý IV of 2023 in the store: said once, as a note
    q1 = CliRunner().invoke(main, ["check", "--period", "2024-Q1", "--store", path,
                                   "--format", "json"])
    [report] = json.loads(q1.output)
    assert [f["rule"] for f in report["findings"] if f["rule"] in PERIOD_RULES] == [
        "period.no-previous"]


def test_the_report_s_check_sheet_holds_the_period_findings():
    from cchc_lib.report import CommuneReport, check_sheet_data

    q1, q2 = synth_history(DAK_HA, ["2024-Q1", "2024-Q2"], seed=1)
    q2 = _bump(q2, "S.3.2", total=q2.values["S.3.2"].total + 1)
    report = CommuneReport(q2, DAK_HA, parse_period("2024-Q2"), history=[q1])
    data = check_sheet_data(report.sub, report.findings, report.unit_title, report.period_label)
    rows = [r for r in data["rows"] if r["rule"] in PERIOD_RULES]
    assert [r["rule"] for r in rows] == ["period.carry-over"]
    assert rows[0]["sheet"] != ""  # the clerk is told where to fix it


# ------------------------------------------------------------------------------- "far": the edges

SPREAD_HALF = 1.4826 * 0.5  # the robust deviation of [-0.5, -0.5, 0, 0.5, 0.5] (MAD 0.5)


@pytest.mark.parametrize("x, refs, gap_scale, expected", [
    # MAD 4 (spread 5,93): 50 against 10 is 6,7 deviations away, five times, 40 apart: far
    (50, [4, 6, 10, 14, 16], 1, 10),
    # MAD 6 (spread 8,90): 50 against 10 is only 4,5 deviations away: not far
    (50, [2, 4, 10, 16, 18], 1, None),
    # exactly five deviations away is not "more than five"
    (5 * SPREAD_HALF, [-0.5, -0.5, 0, 0.5, 0.5], 10, None),
    # a spread under 1 still counts: 3 against 0,5 is 4,2 deviations (spread 0,59) away
    (3, [0.0, 0.1, 0.5, 0.9, 1.0], 12, None),
    # exactly 30 apart over the window (2,5 a month × 12) is far enough; 20 is not
    (3, [0.5] * 5, 12, 0.5),
    (37.5, [7.5] * 5, 1, 7.5),
    (25, [5] * 5, 1, None),
    # five times a figure under 1 (1 against 0,1) is five times, whatever the window
    (1, [0.1] * 5, 40, 0.1),
])
def test_far_is_five_times_five_deviations_and_thirty_apart(x, refs, gap_scale, expected):
    from cchc_lib.period_checks import _far

    assert (5 * SPREAD_HALF) / SPREAD_HALF == 5  # the case above is exactly on the edge
    assert _far(x, refs, gap_scale) == expected
