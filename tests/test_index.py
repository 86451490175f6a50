"""The cumulative index: units × periods from every report on disk (whatever run made it) and
from the store (every unit expected), each cell the unit's state with links to its files.

The district (huyện Đắk Glong, 661, 7 communes) and its receipts, local time, chosen by hand;
deadlines: quý I năm 2024 20/03/2024, quý II năm 2024 20/06/2024; the picture as of 01/07/2024:

=====  ===================  ===================================  ==============================
code   unit                 quý I                                 quý II
=====  ===================  ===================================  ==============================
24616  xã Quảng Sơn         15/03 09:00, 0 errors: đã nộp         10/06 08:00: đã nộp
24620  xã Quảng Hoà         25/03 14:00: muộn 5 ngày              —: chưa nộp
24622  xã Đắk Ha            18/03 10:00, 3 errors: có lỗi (3)     —
24625  xã Đắk R'Măng        19/03 09:00, then 22/03 16:00:        —
                            đã nộp, sửa sau hạn
24631, 24634, 24637         —: chưa nộp                           —
=====  ===================  ===================================  ==============================

On disk, two runs: the first made the quý I reports of 24616, 24620, 24622 and 24625 and the
district's overview; the second the quý II report of 24616, and failed on 24620's.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cchc_lib import units
from cchc_lib.batch.index import write_index
from cchc_lib.batch.jobs import make_job
from cchc_lib.batch.params import RenderParams
from cchc_lib.batch.state import Outcome, write_state
from cchc_lib.model import Header, Submission, Value
from cchc_lib.store import open_store

ICT = timezone(timedelta(hours=7))
AS_OF = date(2024, 7, 1)
Q1, Q2 = "2024-Q1", "2024-Q2"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=ICT)


def sub(code: str, period: str, done: int = 8) -> Submission:
    return Submission(code, period, header=Header(report_number="3", report_date="14/03/2024"),
                      values={"1.1.1": Value("1.1.1", total=10, done=done)}, source="tests")


RECEIPTS = [  # (code, period, receipt, check errors, done)
    ("24616", Q1, at(3, 15, 9), 0, 8),
    ("24620", Q1, at(3, 25, 14), 0, 8),
    ("24622", Q1, at(3, 18, 10), 3, 8),
    ("24625", Q1, at(3, 19, 9), 0, 8),
    ("24625", Q1, at(3, 22, 16), 0, 9),
    ("24616", Q2, at(6, 10, 8), 0, 8),
]


class Tables(HTMLParser):
    """Every table of a page: rows of cells, each cell its text and its links."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[dict]]] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = {"text": "", "links": [], "class": a.get("class", "")}
            self.tables[-1][-1].append(self._cell)
        elif tag == "a":
            self.hrefs.append(a.get("href", ""))
            if self._cell is not None:
                self._cell["links"].append(a.get("href", ""))
        elif tag == "div" and self._cell is not None:
            self._cell["text"] += " | "

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell["text"] += data


def read(path: Path) -> Tables:
    page = Tables()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def fake_outputs(job, status: str = "rendered", rendered_at: str | None = None) -> Outcome:
    """What a run leaves for a job: its files and render.json (bytes do not matter here)."""
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = {"ipynb": f"{job.stem}.ipynb"}
    if status == "rendered":
        names.update({"html": f"{job.stem}.html", "pdf": f"{job.stem}.pdf",
                      "docx": f"{job.stem}.docx"})
        if job.params.notebook == "commune_report":
            names.update({"check_html": f"{job.stem}_phieu-kiem-tra.html",
                          "check_pdf": f"{job.stem}_phieu-kiem-tra.pdf"})
    for name in names.values():
        (out / name).write_bytes(b"x")
    figures = ({"on_time_rate": 90.0, "tasks_rate": 80.0, "errors": 0}
               if job.params.notebook == "commune_report" else {"submitted": 4, "expected": 7})
    outcome = Outcome(job, status, names, "" if status == "rendered" else "StoreError: không có",
                      figures=figures if status == "rendered" else {})
    write_state(outcome)
    if rendered_at:
        state = json.loads((out / "render.json").read_text(encoding="utf-8"))
        state["rendered_at"] = rendered_at
        (out / "render.json").write_text(json.dumps(state), encoding="utf-8")
    return outcome


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    base = tmp_path_factory.mktemp("index")
    store, out = base / "s.sqlite", base / "outputs"
    with open_store(store) as st:
        for code, period, when, errors, done in RECEIPTS:
            st.ingest_many([sub(code, period, done)], check_errors=[errors], now=when)

    def job(code, period, notebook="commune_report"):
        key = "unit" if notebook == "commune_report" else "parent"
        params = {key: code, "period": period, "store": str(store)}
        if notebook == "commune_report":
            params["source"] = "store"
        return make_job(RenderParams(notebook, params), out)

    # run 1: quý I; 24625's report made between its two revisions (before the second)
    for code in ("24616", "24620", "24622"):
        fake_outputs(job(code, Q1))
    fake_outputs(job("24625", Q1), rendered_at="2024-03-20T03:00:00+00:00")
    fake_outputs(job("661", Q1, "district_overview"))
    # run 2: quý II, one made and one failed; the index is written after this run only
    second = [fake_outputs(job("24616", Q2)), fake_outputs(job("24620", Q2), status="failed")]
    index = write_index(second, out, store=store, as_of=AS_OF)
    return {"store": store, "out": out, "index": index}


def matrix(page: Tables) -> dict[tuple[str, str], dict]:
    """The matrix's cells by (unit code, period column index)."""
    [table] = [t for t in page.tables if t and t[0] and t[0][0]["text"] == "Mã"
               and len(t) > 2 and "hạn" in " ".join(c["text"] for c in t[0])]
    cells = {}
    for row in table[2:]:
        code = row[0]["text"]
        for n, cell in enumerate(row[2:]):
            cells[(code, n)] = cell
    return cells


def test_the_matrix_shows_every_state_from_the_store(cycle):
    page = read(cycle["out"] / "index" / "2008-661-dak-glong.html")
    cells = matrix(page)
    assert {c for c, _ in cells} == {u.code for u in units.children("661", era="2008",
                                                                      level="commune")}
    q1 = {code: cells[(code, 0)] for code, _ in cells}
    assert q1["24616"]["text"].startswith("đã nộp") and q1["24616"]["class"] == "ok"
    assert q1["24620"]["text"].startswith("muộn 5 ngày") and q1["24620"]["class"] == "late"
    assert "có lỗi (3)" in q1["24622"]["text"] and q1["24622"]["class"] == "errors"
    assert "sửa sau hạn" in q1["24625"]["text"]
    assert "báo cáo chưa theo bản nộp mới nhất" in q1["24625"]["text"]
    for code in ("24631", "24634", "24637"):
        assert q1[code]["text"] == "chưa nộp" and q1[code]["class"] == "missing"
        assert q1[code]["links"] == []
    q2 = {code: cells[(code, 1)] for code, _ in cells}
    assert q2["24616"]["text"].startswith("đã nộp")
    assert q2["24620"]["text"].startswith("chưa nộp") and "tạo báo cáo lỗi" in \
        q2["24620"]["text"]
    headers = " ".join(c["text"] for c in page.tables[0][1])
    assert "4/7 đã nộp; 1 muộn; 1 có lỗi; 3 chưa nộp" in headers
    assert "1/7 đã nộp; 6 chưa nộp" in headers


def test_cells_link_each_report_and_its_check_sheet_from_both_runs(cycle):
    out = cycle["out"]
    cells = matrix(read(out / "index" / "2008-661-dak-glong.html"))
    assert cells[("24616", 0)]["links"] == [
        "../2024-Q1/24616-quang-son/24616-quang-son_2024-Q1.html",
        "../2024-Q1/24616-quang-son/24616-quang-son_2024-Q1.pdf",
        "../2024-Q1/24616-quang-son/24616-quang-son_2024-Q1.docx",
        "../2024-Q1/24616-quang-son/24616-quang-son_2024-Q1_phieu-kiem-tra.html"]
    assert cells[("24616", 1)]["links"][0] == \
        "../2024-Q2/24616-quang-son/24616-quang-son_2024-Q2.html"  # the second run's
    assert cells[("24620", 1)]["links"] == [
        "../2024-Q2/24620-quang-hoa/24620-quang-hoa_2024-Q2.ipynb"]  # the failed one's notebook
    page = read(out / "index" / "2008-661-dak-glong.html")
    for href in page.hrefs:  # every link of every page works
        assert (out / "index" / href).resolve().is_file(), href
    for name in ("index.html", "index/2008-661-dak-glong_2024-Q1.html"):
        base = (out / name).parent
        assert all((base / h).resolve().is_file() for h in read(out / name).hrefs), name


def test_the_top_page_counts_each_period_and_lists_the_last_runs_failures(cycle):
    page = read(cycle["index"])
    text = " ".join(" ".join(page.text).split())
    assert "Lần chạy gần nhất: 1 báo cáo đã tạo, 0 không đổi (giữ bản cũ), 1 lỗi." in text
    assert "LỖI" in text and "xã Quảng Hoà (24620)" in text
    [summary] = [t for t in page.tables if t[0][0]["text"] == "Đơn vị"]
    row = summary[1]
    assert row[0]["text"].startswith("huyện Đắk Glong")
    assert row[1]["text"].startswith("4/7 đã nộp; 1 muộn; 1 có lỗi; 3 chưa nộp")
    assert row[1]["links"] == ["index/2008-661-dak-glong_2024-Q1.html",
                               "2024-Q1/661-dak-glong_2024-Q1_tong-hop/"
                               "661-dak-glong_2024-Q1_tong-hop.html"]
    # one parent: its matrix is on the top page too, linked from there
    assert matrix(page)[("24616", 0)]["links"][0] == \
        "2024-Q1/24616-quang-son/24616-quang-son_2024-Q1.html"


def test_the_period_page_gives_dates_receipts_and_every_file(cycle):
    page = read(cycle["out"] / "index" / "2008-661-dak-glong_2024-Q1.html")
    [table] = [t for t in page.tables if t[0][0]["text"] == "Mã"]
    rows = {r[0]["text"]: [c["text"] for c in r] for r in table[1:]}
    assert rows["24620"][2:7] == ["muộn 5 ngày", "14/03/2024", "25/03/2024 14:00", "1", "0"]
    assert rows["24625"][2:7] == ["đã nộp | sửa sau hạn | báo cáo chưa theo bản nộp mới nhất",
                                  "14/03/2024", "19/03/2024 09:00", "2", "0"]
    assert rows["24622"][6] == "3"
    assert rows["24631"][2] == "chưa nộp, quá hạn 103 ngày"  # 20/03 → 01/07/2024
    assert "hồ sơ đúng hạn 90%" in rows["24616"][7]
    assert "Phiếu kiểm tra (PDF)" in rows["24616"][8]


def own_outputs(cycle, tmp_path) -> Path:
    """A copy of the cycle's outputs, for a test that writes an index of its own (the other
    tests read the cycle's, in whatever order they run)."""
    out = tmp_path / "outputs"
    shutil.copytree(cycle["out"], out)
    return out


def test_the_index_is_rebuilt_from_disk_not_from_the_run(cycle, tmp_path):
    # an index written with no run at all still shows everything on disk and in the store
    out = own_outputs(cycle, tmp_path)
    index = write_index([], out, store=cycle["store"], as_of=AS_OF)
    cells = matrix(read(out / "index" / "2008-661-dak-glong.html"))
    assert cells[("24622", 0)]["links"] and cells[("24616", 1)]["links"]
    assert "Lần chạy gần nhất" not in " ".join(read(index).text)


def test_without_a_store_the_index_shows_the_files(cycle, tmp_path):
    page = read(write_index([], own_outputs(cycle, tmp_path), store=tmp_path / "none.sqlite"))
    text = " ".join(" ".join(page.text).split())
    assert "không tìm thấy kho dữ liệu" in text
    cells = matrix(page)
    assert cells[("24616", 0)]["text"].startswith("có báo cáo")
    assert cells[("24631", 0)]["text"] == "—"


def test_a_country_of_3321_units_is_split_by_province(tmp_path):
    from cchc_lib.synth import synth_submission

    provinces = [u for u in units.all_units("2025") if u.level == "province"]
    assert len(provinces) == 34
    store = tmp_path / "s.sqlite"
    with open_store(store) as st:  # one unit of each province has reported
        st.ingest_many([synth_submission(units.children(p, level="commune")[0], "2026-Q1")
                        for p in provinces], now=datetime(2026, 3, 18, 9, tzinfo=ICT))
    index = write_index([], tmp_path / "out", store=store, as_of=date(2026, 4, 1))
    page = read(index)
    [summary] = [t for t in page.tables if t[0][0]["text"] == "Đơn vị"]
    assert len(summary) == 1 + 34
    assert not [t for t in page.tables if t[0][0]["text"] == "Mã"]  # no 3,321-row page
    rows = 0
    for p in provinces:
        cells = matrix(read(tmp_path / "out" / "index" / f"2025-{units.slug(p)}.html"))
        n = len(units.children(p, level="commune"))
        assert len(cells) == n <= 170
        assert sum(c["text"].startswith("đã nộp") for c in cells.values()) == 1
        rows += n
    assert rows == 3321
