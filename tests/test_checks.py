"""The checks: the seed's own mistakes found by rule and place; every rule fired and passed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cchc_lib import units
from cchc_lib.checks import count_by_severity, rules, run_checks
from cchc_lib.model import Document, Value
from cchc_lib.serialize import load_sample
from cchc_lib.synth import synth_submission


# function scope: a mutant is run against the tests that computed this (mutmut
# attributes a module fixture to its first test only)
@pytest.fixture
def seed_findings():
    return run_checks(load_sample())


def fired(findings, rule, *, indicator=None, place=None, found=None):
    return [f for f in findings if f.rule == rule
            and (indicator is None or f.indicator == indicator)
            and (place is None or place in f.place)
            and (found is None or f.found == found)]


# --- the seed's own mistakes, each by rule and place --------------------------------------

SEED_MISTAKES = [
    # 55 of 72 tasks done, typed 100%
    ("rate.mismatch", dict(indicator="1.1.2", found=100)),
    # 13/21 typed 76,5% (it is 61,9%)
    ("rate.mismatch", dict(indicator="S.6.6", found=76.5)),
    # 21.5 "Cơ quan, đơn vị": a count that is not whole, a percent typed as a count
    ("count.not-whole", dict(indicator="7.4", found=21.5)),
    ("kind.mismatch", dict(indicator="7.4")),
    # 109 communal procedures out of 105 in force
    ("parts.child-exceeds-whole", dict(indicator="3.1.4", found=109)),
    # 22 documents in the narrative, 8 in the appendix
    ("figure.same-as", dict(indicator="S.1", found=22)),
    # "chi ngân sách xã tính đến ngày 32/05/2024"
    ("date.invalid", dict(found="32/05/2024", place="S.5.3")),
    # the report is dated 07/03/2024 but counts revenue to 31/05 and dossiers to 04/6/2024
    ("date.after-report", dict(found="31/05/2024", place="S.5.1")),
    ("date.after-report", dict(found="04/6/2024", place="tính đến ngày")),
    ("report.before-window-end", dict(found="07/03/2024")),
    # counted from 05/12/2023 to 04/6/2024, not 15/12/2023 to 14/6/2024
    ("window.differs", dict(found="05/12/2023–04/6/2024")),
    # "Trong 6 tháng đầu năm 2023" and "… cải cách hành chính quý I" in a 2024-H1 report
    ("period.label-mismatch", dict(place="mục I.1", found="6 tháng đầu năm 2023")),
    ("period.label-mismatch", dict(place="mục II", found="quý I")),
    # "Kế hoạch số 15/QĐ-UBND", "Quyết định số 41/KH-UBND"
    ("document.type-symbol", dict(found="15/QĐ-UBND")),
    ("document.type-symbol", dict(found="41/KH-UBND")),
    # "kế hoạch số 27/KH-UB": the issuer is UBND everywhere else
    ("document.symbol-malformed", dict(found="27/KH-UB")),
    # Đắk Ha / Đắc Ha / Đăk Ha / Đắk Hà
    ("unit.name-variants", dict(found=4)),
    # "UBND huyện Đắk Glong đã ban hành 22 văn …" in a commune's report
    ("unit.other-level", dict(place="mục I.1", found="huyện Đắk Glong")),
    # "Kèm theo Báo cáo số /BC-UBND"
    ("header.number-blank", dict()),
    # typed rates with no fraction to check them against, said as notes
    ("rate.unverifiable", dict(indicator="S.3.5")),
    ("rate.unverifiable", dict(indicator="S.5.1")),
]


@pytest.mark.parametrize("rule, where", SEED_MISTAKES,
                         ids=[f"{r}-{'-'.join(map(str, w.values()))}" for r, w in SEED_MISTAKES])
def test_the_seed_mistake_is_found(seed_findings, rule, where):
    assert len(fired(seed_findings, rule, **where)) == 1, [
        (f.rule, f.indicator, f.place, f.found) for f in seed_findings if f.rule == rule]


def test_the_seed_messages_show_the_numbers(seed_findings):
    [tasks] = fired(seed_findings, "rate.mismatch", indicator="1.1.2")
    assert tasks.message == ('Chỉ tiêu 1.1.2 "Số nhiệm vụ đã hoàn thành": tỷ lệ ghi 100% nhưng '
                             "55/72 = 76,4%.")
    assert tasks.severity == "error" and tasks.place == "PHỤ LỤC SỐ 01, chỉ tiêu 1.1.2"
    [staff] = fired(seed_findings, "rate.mismatch", indicator="S.6.6")
    assert "76,5%" in staff.message and "13/21 = 61,9%" in staff.message
    [bad_date] = fired(seed_findings, "date.invalid")
    assert "ngày 32 không có trong tháng 5 năm 2024" in bad_date.message


@pytest.mark.parametrize("code", ["3.4.1", "3.4.2", "3.1.1", "3.1.4", "4.2.2", "S.6.2",
                                  "S.6.4", "S.6.5", "S.6.7", "1.1.3"])
def test_right_rates_in_the_seed_are_not_flagged(seed_findings, code):
    # 295/394 = 74,9; 40/118 = 33,9; 105/109 = 96,33; 21/25 = 84; 2/21 = 9,5; 1/21 = 4,76
    assert fired(seed_findings, "rate.mismatch", indicator=code) == []


def test_right_sums_in_the_seed_are_not_flagged(seed_findings):
    assert fired(seed_findings, "parts.sum") == []  # 661 = 41 + 620; 22 = 3 + 2 + 12 + 5
    assert fired(seed_findings, "shares.complement") == []  # 74,9% + 25,1% = 100%
    assert fired(seed_findings, "document.type-symbol", found="11/QĐ-UBND") == []
    assert fired(seed_findings, "date.outside-period") == []


# --- every rule: fired by a made-up mistake, silent on a correct submission ----------------

@pytest.fixture(scope="module")
def clean():
    unit = units.get_unit("24622", era="2008")
    return synth_submission(unit, "2024-H1", seed=3)


def _set(sub, code, **fields):
    values = dict(sub.values)
    values[code] = Value(code=code, **fields)
    return replace(sub, values=values)


def _bump(sub, code, **changes):
    values = dict(sub.values)
    values[code] = replace(values[code], **changes)
    return replace(sub, values=values)


def _header(sub, **changes):
    return replace(sub, header=replace(sub.header, **changes))


def _doc(sub, **fields):
    base = dict(type_word="Kế hoạch", number="12", symbol="KH-UBND", date="15/02/2024",
                summary="kiểm thử", section="I.1")
    base.update(fields)
    return replace(sub, documents=sub.documents + (Document(**base),))


def _two_wholes(sub):
    """The on-time rate typed without its own whole, beside a received total that is not the
    appendix's resolved dossiers: 74,9% of 661 received vs 295/394 in 3.4.1."""
    row = sub.values["3.4.1"]
    values = {k: v for k, v in sub.values.items() if k not in ("S.3.4", "S.3.5", "S.3.6")}
    values["S.3.5"] = Value(code="S.3.5", rate=round(100 * row.done / row.total, 1))
    return replace(sub, values=values)


MUTATIONS = {
    "rate.two-wholes": _two_wholes,
    "rate.mismatch": lambda s: _bump(s, "3.4.1", rate=s.values["3.4.1"].rate - 7),
    "rate.unverifiable": lambda s: _set(s, "3.4.3", rate=50),
    "rate.over-100": lambda s: _set(s, "3.4.3", total=10, done=10, rate=110),
    "value.done-exceeds-total": lambda s: _set(s, "3.1.1", total=10, done=12),
    "count.negative": lambda s: _set(s, "3.1.1", total=-1),
    "count.not-whole": lambda s: _set(s, "3.1.1", total=10.5),
    "enum.out-of-coding": lambda s: _set(s, "7.3", total=7, done=7),
    "kind.mismatch": lambda s: _set(s, "7.4", total=21),
    "parts.child-exceeds-whole": lambda s: _set(
        s, "3.4.2", total=s.values["3.4.1"].total + 5),
    "parts.sum": lambda s: _bump(s, "S.3.1", total=s.values["S.3.1"].total + 1),
    "shares.complement": lambda s: _bump(_bump(s, "S.3.5", rate=70), "S.3.6", rate=20),
    "figure.same-as": lambda s: _bump(s, "S.1", total=(s.values["S.1"].total or 0) + 3),
    "date.invalid": lambda s: _header(s, report_date="31/02/2024"),
    # the report is dated by the deadline (20/06) at the latest; June 30 is still in the period
    "date.after-report": lambda s: _bump(s, "S.5.1", as_of="30/06/2024"),
    # a figure counted up to a day outside the period
    "date.outside-period": lambda s: _bump(s, "S.5.1", as_of="20/12/2023"),
    # a document of the register (issued in the period) dated before the data window opened
    "document.outside-window": lambda s: _doc(s, date="10/12/2023"),
    "report.before-window-end": lambda s: _header(s, report_date="10/06/2024"),
    "report.after-deadline": lambda s: _header(s, report_date="28/06/2024"),
    "window.differs": lambda s: _header(s, data_window=("05/12/2023", "04/6/2024")),
    "period.label-mismatch": lambda s: replace(s, period_labels={"title": "quý I năm 2024"}),
    "document.type-symbol": lambda s: _doc(s, symbol="QĐ-UBND"),
    "document.symbol-malformed": lambda s: _doc(s, symbol="KH UBND"),
    "document.conflict": lambda s: _doc(_doc(s, number="77"), number="77", date="20/02/2024"),
    "unit.name-variants": lambda s: replace(s, unit_names={"header": "xã Đắk Ha",
                                                           "II.1": "xã Đắc Ha"}),
    "unit.other-level": lambda s: replace(s, unit_names={"I.1": "huyện Đắk Glong"}),
    "header.number-blank": lambda s: _header(s, report_number=""),
    "data.missing": lambda s: _header(s, report_date=None),
}


def test_every_rule_of_the_checks_has_a_case():
    assert set(MUTATIONS) == {rid for rid, rule in rules().items() if "check" in rule.scope}


def test_the_correct_submission_has_no_error_or_warning(clean):
    found = run_checks(clean)
    counts = count_by_severity(found)
    assert (counts["error"], counts["warning"]) == (0, 0), [(f.rule, f.message) for f in found]


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_each_rule_fires_on_its_mistake_and_not_on_the_correct_submission(clean, rule):
    assert fired(run_checks(clean), rule) == []
    hits = fired(run_checks(MUTATIONS[rule](clean)), rule)
    assert hits, rule
    assert all(f.severity in ("error", "warning", "note") and f.message and f.place for f in hits)


@pytest.mark.parametrize("day, severity", [
    ("14/12/2023", "error"),  # the day before the window of 6 tháng 2024 opens (15/12/2023)
    ("15/12/2023", None),  # its first day
    ("14/06/2024", None),  # its last day
    ("15/06/2024", "note"),  # the day after: outside the window, still in the calendar half
])
def test_a_register_document_is_judged_against_the_official_window(clean, day, severity):
    sub = _header(_doc(clean, date=day), report_date="18/06/2024")
    hits = fired(run_checks(sub), "document.outside-window")
    assert [f.severity for f in hits] == ([severity] if severity else [])
    assert fired(run_checks(sub), "date.outside-period") == []  # one fact, one finding
    if severity:
        (hit,) = hits
        assert hit.message == (f"Kế hoạch số 12/KH-UBND ghi ngày {day}, được nêu là ban hành "
                               "trong 6 tháng đầu năm 2024 nhưng nằm ngoài thời gian chốt số "
                               "liệu của kỳ (từ 15/12/2023 đến 14/06/2024).")
        assert (hit.found, hit.expected) == (day, "15/12/2023–14/06/2024")


def test_one_rate_over_two_wholes_is_found_in_the_seed_with_its_figures(seed_findings):
    (hit,) = fired(seed_findings, "rate.two-wholes")
    assert (hit.severity, hit.indicator, hit.found, hit.expected) == (
        "warning", "S.3.5", 74.9, "295/394")
    assert "tỷ lệ 74,9% đi cùng tổng 661" in hit.message and "295/394" in hit.message
    assert hit.where == "indicator:S.3.5:rate"


def test_the_same_rate_over_the_same_whole_is_not_flagged(clean):
    row = clean.values["3.4.1"]
    same = _set(_two_wholes(clean), "S.3.4", total=row.total)
    same = _bump(same, "S.3.5", done=row.done)
    assert fired(run_checks(same), "rate.two-wholes") == []


def test_findings_are_sorted_errors_first(seed_findings):
    order = [f.severity for f in seed_findings]
    assert order == sorted(order, key=["error", "warning", "note"].index)
    # errors: the two rates, 21.5, 109 of 105, 22 vs 8, 32/05, three dates after 07/03 (the
    # window's end 04/6, and S.5.1 and S.5.2 counted to 31/05), the report before its window
    # closes, two period labels, two type words against their symbols = 14;
    # warnings: 7.4, one rate over two wholes, the window, 27/KH-UB, the blank number, the
    # district speaking, four spellings = 7; notes: S.3.5, S.3.6, S.5.1, S.5.2, S.5.3 typed
    # without their fractions, and no earlier report to follow 3.1.3 and S.3.2 from
    # (period.no-previous) = 6
    assert count_by_severity(seed_findings) == {"error": 14, "warning": 7, "note": 6}


@pytest.mark.parametrize("period", ["2024-Q1", "2024-H1", "2024-Q3", "2024-9M", "2024",
                                    "2026-Q2"])
def test_synthetic_submissions_of_every_period_pass_cleanly(period):
    era = "2008" if period.startswith("2024") else "2025"
    unit = units.children("661" if era == "2008" else "68", era=era, level="commune")[2]
    for seed in range(3):
        found = run_checks(synth_submission(unit, period, seed=seed))
        bad = [(f.rule, f.message) for f in found if f.severity != "note"]
        assert bad == []
