"""Comparisons across 1 July 2025 (cchc_lib.baseline): a new commune's figures before it are the
sums of its predecessors' (rates recomputed from the summed fractions), a split predecessor
without a share is not comparable, a missing one makes the sum incomplete; the report's trend
chart, the overview and the previous-period comparison use those sums.  Every expected number
below is computed by hand from the fixtures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cchc_lib import calc, lineage, units
from cchc_lib.baseline import BREAK_LABEL, build_baseline, trend_caption
from cchc_lib.lineage import Link
from cchc_lib.model import Submission, Value
from cchc_lib.overview import load_overview
from cchc_lib.report import load_commune_report
from cchc_lib.sources import Snapshot, SubmissionRef
from cchc_lib.store import open_store

BASIS = "Nghị quyết số 1671/NQ-UBTVQH15"


def sub(code: str, period: str, dossiers=None, tasks=None, revenue=None, survey=None,
        staff_share=None) -> Submission:
    """A hand-made submission: dossiers (3.4.1 total, on time), tasks (1.1.1 set, 1.1.2 done),
    budget revenue (S.5.1 estimate, done), a coded row (1.4.2) and a typed percent (4.2.5)."""
    values = {}
    if dossiers:
        values["3.4.1"] = Value("3.4.1", total=dossiers[0], done=dossiers[1], rate=99.9)
    if tasks:
        values["1.1.1"] = Value("1.1.1", total=tasks[0])
        values["1.1.2"] = Value("1.1.2", done=tasks[1])
    if revenue:
        values["S.5.1"] = Value("S.5.1", total=revenue[0], done=revenue[1])
    if survey is not None:
        values["1.4.2"] = Value("1.4.2", total=survey)
    if staff_share is not None:
        values["4.2.5"] = Value("4.2.5", total=staff_share)
    return Submission(unit_code=code, period=period, values=values)


# Three old communes (their names come from the historic table) merged whole into one new unit.
THREE = (Link("24616", "24611", "commune", "whole", BASIS),
         Link("24620", "24611", "commune", "whole", BASIS),
         Link("24622", "24611", "commune", "whole", BASIS))


def three_subs(period="2024-H1"):
    return {"24616": sub("24616", period, (120, 100), (10, 7), (1_000_000_000, 600_000_000), 0, 80),
            "24620": sub("24620", period, (80, 60), (12, 8), (500_000_000, 250_000_000), 1, 90),
            "24622": sub("24622", period, (40, 40), (6, 3), (250_500_000, 100_000_000), 2, 100)}


def test_a_merged_communes_figures_are_the_sums_of_its_predecessors():
    b = build_baseline("24611", "2024-H1", three_subs(), THREE)
    assert b.status == "complete" and b.comparable
    s = b.sub
    assert (s.unit_code, s.period) == ("24611", "2024-H1")  # the new unit's code: compare works
    # 120 + 80 + 40 = 240 dossiers, 100 + 60 + 40 = 200 on time
    assert (s.value("3.4.1").total, s.value("3.4.1").done) == (240, 200)
    assert s.value("3.4.1").rate is None  # a typed rate is never summed
    # tasks: 10 + 12 + 6 = 28 set, 7 + 8 + 3 = 18 done
    assert s.value("1.1.1").total == 28 and s.value("1.1.2").done == 18
    # revenue: 1.750.500.000 estimate, 950.000.000 done
    assert (s.value("S.5.1").total, s.value("S.5.1").done) == (1_750_500_000, 950_000_000)
    # coded and percent rows do not add up
    assert s.value("1.4.2") is None and s.value("4.2.5") is None


def test_rates_come_from_the_summed_fractions_not_the_mean_of_rates():
    s = build_baseline("24611", "2024-H1", three_subs(), THREE).sub
    assert calc.computed_rate(s, "3.4.1", digits=1) == 83.3  # 200/240
    assert round((100 / 120 + 60 / 80 + 40 / 40) / 3 * 100, 1) == 86.1  # the mean, not used
    assert calc.computed_rate(s, "1.1.2", digits=1) == 64.3  # 18/28
    assert calc.computed_rate(s, "S.5.1", digits=1) == 54.3  # 950.000.000/1.750.500.000


def test_the_note_names_the_former_communes_and_the_basis():
    b = build_baseline("24611", "2024-H1", three_subs(), THREE)
    assert b.note == "cộng số liệu của xã Quảng Sơn, xã Quảng Hoà, xã Đắk Ha"
    assert b.basis == (BASIS,)
    assert trend_caption([b]) == ("Trước 01/07/2025: cộng số liệu của xã Quảng Sơn, "
                                  "xã Quảng Hoà, xã Đắk Ha.")


def test_a_missing_predecessor_makes_the_sum_incomplete_and_names_it():
    subs = three_subs()
    del subs["24620"]
    b = build_baseline("24611", "2024-H1", subs, THREE)
    assert b.status == "incomplete" and not b.comparable and b.sub is None
    assert [p.code for p in b.missing] == ["24620"]
    assert b.note == "thiếu số liệu của xã Quảng Hoà: không so sánh được"
    assert trend_caption([b]) == "Không vẽ 6 tháng đầu năm 2024 (thiếu số liệu của xã Quảng Hoà)."


def test_a_blank_column_of_one_predecessor_leaves_the_sum_blank():
    subs = three_subs()
    subs["24620"] = replace(subs["24620"], values={
        **subs["24620"].values, "3.4.1": Value("3.4.1", total=80)})  # on time left blank
    s = build_baseline("24611", "2024-H1", subs, THREE).sub
    assert s.value("3.4.1").total == 240 and s.value("3.4.1").done is None
    assert calc.computed_rate(s, "3.4.1") is None


def test_a_split_predecessor_without_a_share_is_flagged_and_not_comparable():
    links = (THREE[0], THREE[1], Link("24622", "24611", "commune", "part", BASIS))
    b = build_baseline("24611", "2024-H1", three_subs(), links)
    assert b.status == "split" and not b.comparable and b.sub is None
    assert [p.code for p in b.unshared] == ["24622"]
    assert b.note.startswith("xã Đắk Ha được chia cho nhiều đơn vị mới")
    assert "không so sánh được" in b.note


def test_a_split_predecessor_with_a_stated_share_is_allocated_and_said_so():
    links = (THREE[0], THREE[1], Link("24622", "24611", "commune", "part", BASIS, share=0.25))
    b = build_baseline("24611", "2024-H1", three_subs(), links)
    assert b.status == "allocated" and b.comparable
    # 120 + 80 + 25 % of 40 = 210 dossiers; 100 + 60 + 25 % of 40 = 170 on time
    assert (b.sub.value("3.4.1").total, b.sub.value("3.4.1").done) == (210, 170)
    assert "25% số liệu của xã Đắk Ha" in b.note and "tỷ lệ phân bổ" in b.note


def test_a_real_split_in_the_lineage_data_is_flagged():
    link = next(x for x in lineage.all_links("commune") if x.relation == "part")
    assert lineage.is_split(link.old)
    olds = {x.old: sub(x.old, "2024-H1", (10, 9)) for x in lineage.predecessors(link.new)}
    b = build_baseline(link.new, "2024-H1", olds)
    assert b.status == "split" and link.old in [p.code for p in b.unshared]


def test_a_unit_without_lineage_has_no_baseline():
    b = build_baseline("24611", "2024-H1", three_subs(), ())
    assert b.status == "unknown" and not b.comparable


# ------------------------------------------------------------------ through the store

@pytest.fixture
def ta_dung_store(tmp_path):
    """xã Tà Đùng (24637 since 2025) = xã Đắk R'Măng (24625) + xã Đắk Som (24637 before 2025):
    the old communes' 6 tháng 2025 and quý II 2025, the new one's quý III 2025."""
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        st.ingest(sub("24625", "2025-Q2", (120, 100), (10, 7)))
        st.ingest(sub("24637", "2025-Q2", (80, 60), (12, 8)))
        st.ingest(sub("24625", "2024-Q3", (50, 45), (8, 8)))
        st.ingest(sub("24637", "2024-Q3", (30, 15), (4, 2)))
        st.ingest(sub("24637", "2025-Q3", (300, 270), (30, 24)))
    return path


def test_the_previous_period_of_a_merged_commune_is_the_sum_of_its_predecessors(ta_dung_store):
    """Codes repeat across eras: 24637's quý II 2025 is xã Đắk Som's, never Tà Đùng's own."""
    with open_store(ta_dung_store) as st:
        now = st.load("24637", "2025-Q3")
        got = calc.comparisons(st, now)
    prev = got["previous_period"].set_index("code")
    assert prev.loc["3.4.1", "previous"] == 160  # on time: 100 + 60 (Đắk Som alone: 60)
    assert prev.loc["3.4.1", "previous_rate"] == 80.0  # 160/200
    assert prev.loc["3.4.1", "current_rate"] == 90.0  # 270/300
    assert prev.loc["3.4.1", "change_pp"] == 10.0
    assert prev.loc["1.1.2", "previous"] == 15  # 7 + 8
    assert got["previous_period"].attrs["note"] == "cộng số liệu của xã Đắk R'Măng, xã Đắk Som"
    last = got["same_period_last_year"].set_index("code")
    assert last.loc["3.4.1", "previous"] == 60 and last.loc["3.4.1", "previous_rate"] == 75.0


def test_identity_changes_when_a_predecessors_stored_data_changes(ta_dung_store):
    ref = SubmissionRef.for_report("24637", "2025-Q3", source="store", store=ta_dung_store)
    before = ref.identity()
    snapshot = ref.read()
    assert ("24625", "2025-Q2") in {(u, p) for u, p, _, _ in snapshot.entries}
    with open_store(ta_dung_store) as st:
        st.ingest(sub("24625", "2025-Q2", (120, 101), (10, 7)))
    after = ref.identity()
    assert after != before and after == ref.read().identity
    # a batch worker builds the same baselines from the snapshot alone, without the store
    loaded = Snapshot.from_json(snapshot.to_json()).load()
    assert [(b.period, b.status) for b in loaded.baselines] == [("2024-Q3", "complete"),
                                                                 ("2025-Q2", "complete")]
    assert [(s.unit_code, s.period) for s in loaded.history] == [("24637", "2024-Q3"),
                                                                  ("24637", "2025-Q2")]


def test_a_pre_2025_unit_reads_no_predecessors(ta_dung_store):
    ref = SubmissionRef.for_report("24637", "2025-Q2", source="store", store=ta_dung_store)
    loaded = ref.load()
    assert loaded.unit.name == "Đắk Som" and loaded.baselines == ()
    assert [(s.unit_code, s.period) for s in loaded.history] == [("24637", "2024-Q3")]


def test_the_trend_chart_of_a_new_commune_has_the_pre_2025_points_and_the_break(ta_dung_store):
    report = load_commune_report("24637", "2025-Q3", source="store", store=ta_dung_store)
    fig = report.chart("trend").fig
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "quý III năm 2024", "quý II năm 2025", "quý III năm 2025"]
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "break"]
    assert list(line.get_xdata()) == [1.5, 1.5]  # between quý II and quý III 2025
    texts = [t.get_text() for t in ax.texts]
    assert BREAK_LABEL in texts
    # dossiers on time: 60/80 = 75%, 160/200 = 80%, 270/300 = 90% (the figures the text prints)
    series = ax.lines[0]
    assert list(series.get_ydata()) == [75.0, 80.0, 90.0]
    assert {"75%", "80%", "90%"} <= set(texts)
    assert ax.get_xlabel() == ("Trước 01/07/2025: cộng số liệu của xã Đắk R'Măng, "
                               "xã Đắk Som.")


def test_the_trend_chart_leaves_out_an_incomplete_sum_and_says_why(ta_dung_store):
    with open_store(ta_dung_store) as st:
        st.ingest(sub("24625", "2025-H1", (200, 150), (10, 7)))  # Đắk Som's is missing
    report = load_commune_report("24637", "2025-Q3", source="store", store=ta_dung_store)
    ax = report.chart("trend").fig.axes[0]
    assert "6 tháng đầu năm 2025" not in [t.get_text() for t in ax.get_xticklabels()]
    caption = " ".join(ax.get_xlabel().split())
    assert caption == ("Trước 01/07/2025: cộng số liệu của xã Đắk R'Măng, xã Đắk Som. Không vẽ "
                       "6 tháng đầu năm 2025 (thiếu số liệu của xã Đắk Som).")


# ------------------------------------------------------------------ the overview

@pytest.fixture
def lam_dong_store(tmp_path):
    """Two new communes of tỉnh Lâm Đồng in quý III and IV 2025 and their predecessors in
    quý IV 2024: xã Tà Đùng (Đắk R'Măng + Đắk Som, both reported) and xã Quảng Khê (Quảng Khê
    + Đắk Plao; Đắk Plao did not report)."""
    path = tmp_path / "p.sqlite"
    with open_store(path) as st:
        for period in ("2025-Q3", "2025-Q4"):
            st.ingest(sub("24637", period, (300, 270)))
            st.ingest(sub("24631", period, (100, 50)))
        st.ingest(sub("24625", "2024-Q4", (120, 100)))
        st.ingest(sub("24637", "2024-Q4", (80, 60)))
        st.ingest(sub("24631", "2024-Q4", (90, 90)))
    return path


def test_the_overview_compares_with_the_former_communes_sums(lam_dong_store):
    ov = load_overview("68", "2025-Q4", store=lam_dong_store)
    # quý III 2025: both units' own reports, no sums
    own = ov.change_table().data
    assert "cộng số liệu" not in own["intro"]
    assert own["rows"][0][2:5] == ["80% (320/400)", "80% (320/400)", "+0 điểm %"]  # 270 + 50
    # quý IV 2024: Tà Đùng = 160/200; Quảng Khê is not comparable (Đắk Plao missing)
    table = ov.change_table("last_year").data
    assert table["headers"][2:4] == ["quý IV năm 2024", "quý IV năm 2025"]
    assert table["intro"].startswith(
        "So với quý IV năm 2024 (cộng số liệu các đơn vị cũ): 1/2 đơn vị đã nộp báo cáo so "
        "sánh được; không so sánh được: xã Quảng Khê (thiếu số liệu của xã Đắk Plao")
    assert "Tỷ lệ tính trên 1/2 đơn vị đã nộp có số liệu cả hai kỳ" in table["intro"]
    row = table["rows"][0]
    assert row[0] == "3.4.1" and row[2:5] == ["80% (160/200)", "90% (270/300)", "+10 điểm %"]


def test_a_yearly_overview_compares_with_last_years_sums(tmp_path):
    path = tmp_path / "y.sqlite"
    with open_store(path) as st:
        st.ingest(sub("24637", "2025", (400, 380)))
        st.ingest(sub("24625", "2024", (120, 100)))
        st.ingest(sub("24637", "2024", (80, 60)))
    ov = load_overview("68", "2025", store=path)
    table = ov.change_table().data
    assert table["intro"].startswith("So với năm 2024 (cộng số liệu các đơn vị cũ): 1/1 đơn vị")
    assert table["rows"][0][2:5] == ["80% (160/200)", "95% (380/400)", "+15 điểm %"]
    assert str(ov.change_table("last_year")) == ""  # the same period: one table


def test_the_new_units_are_the_2025_ones(lam_dong_store):
    assert units.get_unit("24637", era="2025").name == "Tà Đùng"
    assert units.get_unit("24637", era="2008").name == "Đắk Som"
