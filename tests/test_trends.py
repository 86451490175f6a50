"""A parent's units across periods (cchc_lib.trends, cchc_lib.trends_report): the parent's rates
from summed fractions, who improved and who fell back, the period rules' findings over time,
lineage-aware across 1 July 2025; and the notebook rendered by the batch.  Expected numbers are
computed by hand from the fixtures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cchc_lib import trends, units
from cchc_lib.model import Submission, Value
from cchc_lib.sources import Snapshot, TrendsRef
from cchc_lib.store import open_store
from cchc_lib.synth import synth_history
from cchc_lib.trends_report import load_trends


def sub(code: str, period: str, dossiers, tasks=None) -> Submission:
    values = {"3.4.1": Value("3.4.1", total=dossiers[0], done=dossiers[1])}
    if tasks:
        values["1.1.1"] = Value("1.1.1", total=tasks[0])
        values["1.1.2"] = Value("1.1.2", done=tasks[1])
    return Submission(unit_code=code, period=period, values=values)


# huyện Đắk Glong: three communes over two periods
SUBS = {
    "2023-H1": [sub("24616", "2023-H1", (100, 80), (10, 5)), sub("24620", "2023-H1", (50, 45)),
                sub("24622", "2023-H1", (10, 10))],
    "2024-H1": [sub("24616", "2024-H1", (100, 90), (10, 8)), sub("24620", "2024-H1", (60, 45)),
                sub("24622", "2024-H1", (30, 30))],
}


def test_the_parents_rate_is_its_summed_fraction_per_period():
    frame = trends.parent_rates(SUBS).set_index(["period", "code"])
    # 2023-H1: 80 + 45 + 10 = 135 of 100 + 50 + 10 = 160 → 84,4% (the mean of rates: 90%)
    row = frame.loc[("2023-H1", "3.4.1")]
    assert (row["units"], row["rate_num"], row["rate_den"], row["rate"]) == (3, 135, 160, 84.4)
    # 2024-H1: 165 of 190 → 86,8%
    row = frame.loc[("2024-H1", "3.4.1")]
    assert (row["rate_num"], row["rate_den"], row["rate"]) == (165, 190, 86.8)
    # tasks: one unit only
    assert frame.loc[("2024-H1", "1.1.2"), "units"] == 1
    assert frame.loc[("2024-H1", "1.1.2"), "rate"] == 80.0
    assert not frame["baseline"].any()


def test_who_improved_and_who_fell_back():
    m = trends.movers(SUBS, "3.4.1")
    assert list(m["unit_code"]) == ["24616", "24622", "24620"]  # +10, 0, −15
    assert list(m["change_pp"]) == [10.0, 0.0, -15.0]
    assert (m.loc[2, "first_num"], m.loc[2, "first_den"], m.loc[2, "last_num"],
            m.loc[2, "last_den"]) == (45, 50, 45, 60)  # 90% → 75%


def test_the_tables_print_each_rate_beside_its_fraction(tmp_path):
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        for subs in SUBS.values():
            st.ingest_many(subs)
    tr = load_trends("661", "2023-H1", "2024-H1", store=path)
    parent = tr.parent_table().data
    assert ["Hồ sơ đúng hạn (3.4.1)", "6 tháng đầu năm 2023", "3", "135", "160",
            "84,4%"] in parent["rows"]
    movers = tr.movers_table("3.4.1").data
    assert movers["intro"].startswith("Hồ sơ đúng hạn (3.4.1) từ 6 tháng đầu năm 2023 đến 6 "
                                      "tháng đầu năm 2024: 1 đơn vị tăng, 1 đơn vị giảm, 1 "
                                      "không đổi.")
    assert movers["rows"][0] == ["24616", "xã Quảng Sơn", "80% (80/100)", "90% (90/100)",
                                 "+10 điểm %", "tiến bộ"]
    assert movers["rows"][-1][2:6] == ["90% (45/50)", "75% (45/60)", "−15 điểm %", "giảm"]
    units_table = tr.unit_table("3.4.1").data
    assert units_table["rows"][0] == ["24616", "xã Quảng Sơn", "80% (80/100)", "90% (90/100)"]
    # the chart draws the table's figures
    chart = tr.parent_chart()
    assert list(chart.fig.axes[0].lines[0].get_ydata()) == [84.4, 86.8]


def synthetic_district(planted: bool) -> dict[str, list[Submission]]:
    """Four communes of huyện Đắk Glong over three periods, consistent (synth_history); with
    ``planted`` xã Quảng Hoà's 6-month report of 2024 carries over 12 dossiers too many."""
    out: dict[str, list[Submission]] = {}
    for unit in units.children("661", era="2008", level="commune")[:4]:
        for s in synth_history(unit, ["2023-H1", "2023", "2024-H1"], seed=2):
            if planted and (s.unit_code, s.period) == ("24620", "2024-H1"):
                s = replace(s, values={**s.values, **{c: replace(s.values[c],
                            total=s.values[c].total + 12) for c in ("S.3.2", "S.3.1")}})
            out.setdefault(s.period, []).append(s)
    return out


def test_consistent_periods_give_no_findings_and_the_first_has_nothing_to_miss():
    assert trends.period_findings(synthetic_district(False)).empty


def test_a_planted_carry_over_mistake_is_found_in_its_period_and_unit():
    f = trends.period_findings(synthetic_district(True))
    assert list(zip(f["period"], f["unit_code"], f["rule"])) == [
        ("2024-H1", "24620", "period.carry-over")]
    assert "năm 2023" in f.loc[0, "message"]


# ------------------------------------------------------------------ across 1 July 2025

@pytest.fixture
def lam_dong(tmp_path):
    """tỉnh Lâm Đồng (2025): xã Tà Đùng (Đắk R'Măng + Đắk Som) and xã Quảng Khê (Quảng Khê +
    Đắk Plao, which did not report in 2024) in 6 tháng 2024 and quý III 2025."""
    path = tmp_path / "l.sqlite"
    with open_store(path) as st:
        st.ingest(sub("24625", "2024-H1", (120, 100)))
        st.ingest(sub("24637", "2024-H1", (80, 60)))
        st.ingest(sub("24631", "2024-H1", (50, 50)))
        st.ingest(sub("24637", "2025-Q3", (300, 270)))
        st.ingest(sub("24631", "2025-Q3", (100, 50)))
    return path


def test_trends_across_the_break_use_the_former_communes_sums(lam_dong):
    ref = TrendsRef.for_trends("68", "2024-H1", "2025-Q3", store=lam_dong)
    loaded = Snapshot.from_json(ref.read().to_json()).load()  # as a batch worker gets it
    assert [p.key for p in loaded.periods] == ["2024-H1", "2025-Q3"]
    # 2024-H1: only Tà Đùng is comparable, its figures the sum 220 / 160
    (ta_dung,) = loaded.subs["2024-H1"]
    assert (ta_dung.unit_code, ta_dung.value("3.4.1").total, ta_dung.value("3.4.1").done) == (
        "24637", 200, 160)
    frame = trends.parent_rates(loaded.subs).set_index(["period", "code"])
    assert bool(frame.loc[("2024-H1", "3.4.1"), "baseline"])
    assert not bool(frame.loc[("2025-Q3", "3.4.1"), "baseline"])
    # Tà Đùng: 80% (160/200) → 90% (270/300)
    m = trends.movers(loaded.subs)
    assert list(m["unit_code"]) == ["24637"] and list(m["change_pp"]) == [10.0]


def test_the_trends_say_which_figures_are_sums_and_who_is_not_comparable(lam_dong):
    tr = load_trends("68", "2024-H1", "2025-Q3", store=lam_dong)
    assert "cộng số liệu các đơn vị cũ" in tr.heading().data["note"]
    rows = tr.periods_table().data["rows"]
    assert rows[0] == ["6 tháng đầu năm 2024 (*)", "1/124",
                       "cộng số liệu các đơn vị cũ: 1/124 đơn vị so sánh được"]
    movers = tr.movers_table().data
    assert movers["headers"][2:4] == ["6 tháng đầu năm 2024 (*)", "quý III năm 2025"]
    assert "1 đơn vị có báo cáo kỳ cuối nhưng thiếu số liệu một trong hai kỳ" in movers["intro"]
    chart = tr.parent_chart().fig.axes[0]
    assert any(ln.get_gid() == "break" for ln in chart.lines)
    assert chart.get_xlabel().startswith("Trước 01/07/2025: cộng số liệu các đơn vị cũ")


def test_the_range_must_run_forwards(lam_dong):
    from cchc_lib.errors import PeriodError

    with pytest.raises(PeriodError, match="nằm sau"):
        TrendsRef.for_trends("68", "2025-Q3", "2024-H1", store=lam_dong)


# ------------------------------------------------------------------ rendered by the batch

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The trends of huyện Đắk Glong over four periods, rendered to HTML and PDF by the batch."""
    from cchc_lib.batch.jobs import make_job
    from cchc_lib.batch.params import RenderParams
    from cchc_lib.batch.pool import render_job

    base = tmp_path_factory.mktemp("trends")
    store = base / "s.sqlite"
    with open_store(store) as st:
        for unit in units.children("661", era="2008", level="commune"):
            st.ingest_many(synth_history(unit, ["2023-H1", "2023-9M", "2023", "2024-H1"], seed=6))
    job = make_job(RenderParams("province_trends", {"parent": "661", "period_from": "2023-H1",
                                                    "period_to": "2024-H1",
                                                    "store": str(store)}, ("html", "pdf")),
                   base / "out")
    outcome = render_job(job)
    assert outcome.status == "rendered", outcome.error
    folder = base / "out" / "2024-H1" / "661-dak-glong_2024-H1_dien-bien"
    return {"outcome": outcome, "folder": folder, "job": job}


def test_the_batch_renders_the_trends_like_the_overview(rendered):
    o = rendered["outcome"]
    assert rendered["job"].title == "Diễn biến CCHC đến 6 tháng đầu năm 2024 — huyện Đắk Glong"
    assert o.figures["periods"] == 4 and o.figures["period_from"] == "2023-H1"
    assert o.job.kind.figures_text(o.figures) == "4 kỳ từ 2023-H1; 0 phát hiện giữa các kỳ"
    html = (rendered["folder"] / o.files["html"]).read_text(encoding="utf-8")
    assert "Tỷ lệ chung của huyện Đắk Glong qua các kỳ" in html and "<script" not in html
    assert "period_from" not in html  # the parameters stay out of the report


def _runs(page):
    """(x, y, size, text) of every piece of text on a PDF page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, abs(size * tm[3] * cm[3]) or size, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_the_trends_pdf_keeps_everything_on_a4(rendered):
    """Nothing outside the page: every piece of text starts and (at 0,42 em a character, low)
    ends within it; checked by eye too (pdftoppm, first pages)."""
    from pypdf import PdfReader

    pdf = PdfReader(str(rendered["folder"] / rendered["outcome"].files["pdf"]))
    assert len(pdf.pages) >= 2
    for n, page in enumerate(pdf.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert sorted((round(width), round(height))) == [595, 842], n
        for x, y, size, text in _runs(page):
            assert 0 <= x and x + 0.42 * size * len(text) <= width + 1, (n, text[:40])
            assert 0 <= y <= height, (n, text[:40])
