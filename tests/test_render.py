"""Batch rendering end to end: `cchc demo`, the three formats opened and read, incremental
re-runs, a failing unit in a batch, an interrupted run resumed, params files checked early."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_lib.cli import main
from cchc_lib.files import atomic_path
from cchc_lib.batch.jobs import jobs_for_selection, make_job
from cchc_lib.batch.params import RenderParams, load_params_file
from cchc_lib.batch.pool import render_jobs
from cchc_lib.serialize import load_sample
from cchc_lib.store import open_store

ROOT = Path(__file__).resolve().parent.parent
# The district's own text for its consolidated report, as `cchc demo` gives it.
DEMO_TEXT = ROOT / "data" / "sample" / "dak_glong_2024-H1_tong-hop.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})

# `demo` (tests/conftest.py) is one real `cchc demo` run into a temporary store and outputs.


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def dak_ha(demo, ext: str) -> Path:
    return demo["out"] / "2024-H1" / "24622-dak-ha" / f"24622-dak-ha_2024-H1.{ext}"


@pytest.fixture
def own_demo(demo, tmp_path):
    """This test's own copy of the shared demo's outputs, and the shared store put back as it
    was when the test ends: a test that changes them leaves the shared run as every other test
    expects it, in whatever order the tests run.

    The store is restored rather than copied elsewhere because its absolute path is one of every
    report's inputs (``make_job``): a store at another path would make all nine reports anew.
    """
    saved = tmp_path / "saved-store"
    saved.mkdir()
    stored = sorted(demo["store"].parent.glob(demo["store"].name + "*"))  # with -wal, -shm
    for path in stored:
        shutil.copy2(path, saved / path.name)
    out = tmp_path / "outputs"
    shutil.copytree(demo["out"], out, copy_function=shutil.copy2)
    yield {**demo, "out": out}
    for path in demo["store"].parent.glob(demo["store"].name + "*"):
        path.unlink()
    for path in stored:
        shutil.copy2(saved / path.name, path)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder``: its modification time (ns) and its bytes."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_renders_every_unit_of_the_district_and_its_overview(demo):
    # 7 communes, the overview, the consolidated report, the trends; 5 new communes of 2025-Q3
    assert "15 báo cáo đã tạo, 0 không đổi, 0 lỗi" in demo["output"]
    assert "xã Đắk Ha, huyện Đắk Glong, tỉnh Đắk Nông (mã 24622)" in demo["output"]
    assert "6 tháng đầu năm 2024 (2024-H1)" in demo["output"]
    assert str(demo["out"] / "index.html") in demo["output"].replace("\n", "")
    units = sorted(p.name for p in (demo["out"] / "2024-H1").iterdir() if p.is_dir())
    assert units == ["24616-quang-son", "24620-quang-hoa", "24622-dak-ha", "24625-dak-r-mang",
                     "24631-quang-khe", "24634-dak-plao", "24637-dak-som",
                     "661-dak-glong_2024-H1_bao-cao", "661-dak-glong_2024-H1_dien-bien",
                     "661-dak-glong_2024-H1_don-doc", "661-dak-glong_2024-H1_tong-hop"]
    # the rest of the cycle: the reminder letter (Đắk Som was late) and the ministry's table
    letter = demo["out"] / "2024-H1" / "661-dak-glong_2024-H1_don-doc"
    assert sorted(p.suffix for p in letter.iterdir()) == [".docx", ".pdf"]
    assert (demo["out"] / "2024-H1" / "661-dak-glong_2024-H1_bieu-tong-hop.xlsx").is_file()
    assert "Công văn đôn đốc:" in demo["output"] and "Biểu tổng hợp gửi Bộ:" in demo["output"]
    for folder in (demo["out"] / "2024-H1").iterdir():
        if not folder.is_dir() or folder.name.endswith("_don-doc"):
            continue
        names = {p.suffix for p in folder.iterdir()}
        assert {".ipynb", ".html", ".pdf", ".docx", ".json"} <= names, folder
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_demo_shows_the_district_over_time_and_the_new_communes_after_2025(demo):
    """The trends of the district over 2023-H1 … 2024-H1 with the demo's planted mistake (xã
    Quảng Hoà carries over 12 dossiers too many into 6 tháng 2024), and the new communes'
    reports of quý III 2025, whose trend charts sum the former communes' figures."""
    folder = demo["out"] / "2024-H1" / "661-dak-glong_2024-H1_dien-bien"
    trends = nfc(" ".join(parse_html(folder / "661-dak-glong_2024-H1_dien-bien.html").text))
    assert ("Diễn biến cải cách hành chính từ 6 tháng đầu năm 2023 đến 6 tháng đầu năm 2024 — "
            "huyện Đắk Glong") in trends
    assert "period.carry-over" in trends and "xã Quảng Hoà" in trends
    assert "Diễn biến qua các kỳ của huyện:" in demo["output"]
    assert {p.suffix for p in folder.iterdir()} >= {".html", ".pdf", ".docx"}
    ta_dung = demo["out"] / "2025-Q3" / "24637-ta-dung" / "24637-ta-dung_2025-Q3.html"
    alt = next(a for t, a in parse_html(ta_dung).tags
               if t == "img" and "Diễn biến" in a.get("alt", ""))["alt"]
    assert "Sắp xếp ĐVHC 01/07/2025" in alt
    assert "Trước 01/07/2025: cộng số liệu của xã Đắk R'Măng, xã Đắk Som." in nfc(alt)
    # phường Bắc Gia Nghĩa: three of its four former units are not in the demo's store
    bac = demo["out"] / "2025-Q3" / "24611-bac-gia-nghia" / "24611-bac-gia-nghia_2025-Q3.html"
    text = nfc(" ".join(parse_html(bac).text))
    assert "Biểu đồ diễn biến: chưa đủ hai kỳ để vẽ." in text and "thiếu số liệu của" in text
    assert "quý III năm 2025 của các xã, phường mới" in demo["output"]


def test_index_lists_every_report_with_figures_errors_and_working_links(demo):
    index = demo["out"] / "index.html"
    text = nfc(" ".join(parse_html(index).text))
    # 2024-H1 with errors: xã Đắk Ha (the seed's) and xã Quảng Hoà (the demo's planted
    # carry-over, found at ingest against its 2023 report, as `cchc check` finds it)
    assert "15 báo cáo đã tạo" in text and "7/7 đã nộp; 1 muộn; 2 có lỗi" in text
    assert "6/7 đã nộp; 1 chưa nộp" in text  # 2023: xã Đắk Ha has only its real report
    # the period's page: a row per unit with its figures, errors and files
    page = parse_html(demo["out"] / "index" / "2008-661-dak-glong_2024-H1.html")
    text = nfc(" ".join(page.text))
    assert "xã Đắk Ha" in text and "hồ sơ đúng hạn 74,9%" in text
    assert "nhiệm vụ hoàn thành 76,4%" in text and "7/7 đơn vị đã nộp" in text
    assert "muộn 4 ngày" in text  # xã Đắk Som, received 24/06/2024 (the demo's receipts)
    assert text.count("dữ liệu minh họa") == 6
    links = [a["href"] for tag, a in page.tags if tag == "a" and a["href"].startswith("../")]
    # three formats for each of the 10 reports (the trends too), and a check sheet (HTML, PDF)
    # per commune report
    assert len(links) == 10 * 3 + 7 * 2 + 1  # and the breadcrumb to index.html
    assert "Diễn biến qua các kỳ" in text and "3 kỳ từ 2023-H1" in text
    assert all((index.parent / "index" / href).resolve().is_file() for href in links)


def test_html_is_self_contained_and_shows_no_code_or_parameters(demo):
    path = dak_ha(demo, "html")
    raw = path.read_text(encoding="utf-8")
    page = parse_html(path)
    text = nfc(" ".join(page.text))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "đạt 76,4%", "13/21 (61,9%)", "PHỤ LỤC SỐ 01"):
        assert expected in text, expected
    assert "Kiểm tra số liệu" not in text  # the findings are on the separate check sheet
    assert not [t for t, a in page.tags if t == "script"]
    srcs = [a.get("src", "") for t, a in page.tags if t == "img"]
    assert len(srcs) == 4 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", raw)
    assert str(demo["store"]) not in raw and "injected-parameters" not in raw
    assert "load_commune_report" not in raw and "Đổi các tham số" not in raw
    assert "@page" in raw and "@media print" in raw


def test_pdf_is_a4_with_vietnamese_text_and_page_numbers_from_page_2(demo):
    from pypdf import PdfReader

    reader = PdfReader(str(dak_ha(demo, "pdf")))
    assert len(reader.pages) > 5
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    first = nfc(reader.pages[0].extract_text())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "ngày 07 tháng 3 năm 2024" in first
    everything = nfc(" ".join(p.extract_text() for p in reader.pages))
    assert "đạt 76,4%" in everything and "Cù Xuân Sang" in everything
    lines = [ln.strip() for ln in reader.pages[0].extract_text().splitlines()]
    assert "1" not in lines
    assert "2" in [ln.strip() for ln in reader.pages[1].extract_text().splitlines()]


def test_docx_opens_with_the_official_font_margins_and_text(demo):
    from docx import Document

    doc = Document(str(dak_ha(demo, "docx")))
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13
    text = nfc(" ".join(p.text for p in doc.paragraphs))
    assert "BÁO CÁO" in text and "đạt 76,4%" in text
    cells = nfc(" ".join(c.text for t in doc.tables for row in t.rows for c in row.cells))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "PHÓ CHỦ TỊCH" in cells
    assert "76,4 (ghi 100)" in " ".join(cells.split())


def test_an_unchanged_rerun_skips_everything(own_demo):
    reports = own_demo["out"]
    before = snapshot(reports)
    result = run("demo", "--store", str(own_demo["store"]), "--out", str(own_demo["out"]))
    assert result.exit_code == 0, result.output
    assert "0 báo cáo đã tạo, 15 không đổi, 0 lỗi" in result.output
    # nothing rendered: every report, check sheet and render state untouched, to the byte and
    # the nanosecond (how long a rerun takes: benchmarks/rerun_unchanged.py)
    after = snapshot(reports)
    # (the letter, the ministry's table and the index pages are written anew by every demo)
    rendered = {k for k in before if "_don-doc" not in k and "_bieu-tong-hop" not in k
                and not k.startswith("index")}
    assert {k: after.get(k) for k in rendered} == {k: before[k] for k in rendered}


def test_a_changed_submission_rerenders_only_its_unit_and_the_overview(own_demo):
    from dataclasses import replace

    demo = own_demo
    sample = load_sample()
    revised = replace(sample, header=replace(sample.header, report_number="45"))
    with open_store(demo["store"]) as st:
        assert st.ingest(revised).status == "revised"
    jobs = jobs_for_selection("2024-H1", "661", False, ("html", "pdf", "docx"), demo["out"],
                              store=demo["store"], province_text=DEMO_TEXT)
    outcomes = render_jobs(jobs, workers=2)
    rendered = sorted(o.job.stem for o in outcomes if o.status == "rendered")
    assert rendered == ["24622-dak-ha_2024-H1", "661-dak-glong_2024-H1_bao-cao",
                        "661-dak-glong_2024-H1_tong-hop"]
    assert sum(o.status == "skipped" for o in outcomes) == 6
    assert "Số: 45/BC-UBND" in nfc(" ".join(parse_html(dak_ha(demo, "html")).text))


def test_an_interrupted_run_is_picked_up_where_it_stopped(own_demo):
    demo = own_demo
    folder = demo["out"] / "2024-H1" / "24616-quang-son"
    (folder / "render.json").unlink()  # killed before the last rename of this unit
    (folder / ".24616-quang-son_2024-H1.pdf.abc.tmp").write_bytes(b"%PDF half")
    jobs = jobs_for_selection("2024-H1", "661", False, ("html", "pdf", "docx"), demo["out"],
                              store=demo["store"], province_text=DEMO_TEXT)
    outcomes = render_jobs(jobs, workers=1)
    assert [o.job.unit_code for o in outcomes if o.status == "rendered"] == ["24616"]
    state = json.loads((folder / "render.json").read_text(encoding="utf-8"))
    assert state["status"] == "rendered" and set(state["files"]) == {
        "ipynb", "html", "pdf", "docx", "check_html", "check_pdf"}
    # the half-written file of the killed run is gone
    assert not (folder / ".24616-quang-son_2024-H1.pdf.abc.tmp").exists()


def test_atomic_writes_leave_nothing_behind_on_failure(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("bản cũ", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("một nửa", encoding="utf-8")
            raise RuntimeError("bị ngắt")
    assert target.read_text(encoding="utf-8") == "bản cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failing_unit_fails_alone_in_a_batch_of_three(demo, tmp_path):
    out = tmp_path / "outputs"
    params = []
    for unit, period in (("24622", "2024-H1"), ("24616", "2024-Q3"), ("24620", "2024-H1")):
        path = tmp_path / f"{unit}.yaml"
        path.write_text(f'notebook: commune_report\nunit: "{unit}"\nperiod: "{period}"\n'
                        f'source: store\nstore: "{demo["store"]}"\nformats: [html]\n',
                        encoding="utf-8")
        params.append(str(path))
    result = run("render", *params, "--out", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert "2 báo cáo đã tạo, 0 không đổi, 1 lỗi" in result.output
    assert "xã Quảng Sơn (24616), 2024-Q3" in result.output
    failed = out / "2024-Q3" / "24616-quang-son"
    assert (failed / "24616-quang-son_2024-Q3.ipynb").is_file()  # kept for diagnosis
    assert not (failed / "24616-quang-son_2024-Q3.html").exists()
    nb = json.loads((failed / "24616-quang-son_2024-Q3.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and "StoreError" in errors[0]["ename"]
    index = nfc(" ".join(parse_html(out / "index.html").text))
    assert "LỖI" in index and "2024-Q3" in index and "đã tạo" in index


@pytest.mark.parametrize("body, message", [
    ("unit: '24622'\nperiod: 2024-H1\ncolour: red\n", "khóa không được biết 'colour'"),
    ("unit: [24622]\nperiod: 2024-H1\n", "khóa 'unit' cần kiểu chữ"),
    ("unit: '24622'\nperiod: 2024-H1\nshow_checks: 1\n", "khóa 'show_checks' cần kiểu"),
    ("unit: '24622'\nperiod: 2024-H1\nshow_checks: 'có'\n", "khóa 'show_checks' cần kiểu"),
    ("notebook: bao_cao_khac\n", "notebook 'bao_cao_khac' không có"),
    ("unit: '24622'\nperiod: 2024-H1\nformats: [odt]\n", "formats"),
])
def test_a_bad_params_file_is_refused_before_any_kernel_starts(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text("unit: '24622'\nperiod: 2024-H1\nformats: [html]\n", encoding="utf-8")
    out = tmp_path / "outputs"
    result = run("render", str(good), str(path), "--out", str(out))
    assert result.exit_code == 2 and message in result.output and "bad.yaml" in result.output
    assert not out.exists()  # the good file did not start rendering either


def test_a_params_file_with_numbers_yaml_reads_as_integers_is_understood(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text("unit: 24622\nperiod: 2024\nformats: html\n", encoding="utf-8")
    params = load_params_file(path)
    assert params.parameters == {"unit": "24622", "period": "2024"}
    assert params.formats == ("html",)


def test_a_params_file_that_is_not_utf8_gets_a_clear_error(tmp_path):
    from cchc_lib.errors import InputError

    path = tmp_path / "latin.yaml"
    path.write_bytes("unit: 'Đắk Ha'\nperiod: 2024-H1\n".encode("cp1258", errors="replace"))
    with pytest.raises(InputError, match="không phải văn bản UTF-8") as info:
        load_params_file(path)
    assert "latin.yaml" in str(info.value)


def test_the_shipped_params_files_are_valid(tmp_path, monkeypatch):
    open_store(tmp_path / "s.sqlite").close()
    monkeypatch.setenv("CCHC_STORE", str(tmp_path / "s.sqlite"))
    files = sorted((ROOT / "params").glob("*.yaml"))
    assert files
    for path in files:
        params = load_params_file(path)
        job = make_job(params, "outputs")
        assert job.period == "2024-H1"


def test_params_command_writes_files_that_render_reads_back(demo, tmp_path):
    out = tmp_path / "params"
    result = run("params", "--period", "2024-H1", "--parent", "661", "--store",
                 str(demo["store"]), "--out", str(out), "--formats", "html")
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.yaml"))
    assert len(files) == 9
    p = load_params_file(out / "24622-dak-ha_2024-H1.yaml")
    assert isinstance(p, RenderParams) and p.formats == ("html",)
    assert p.parameters["source"] == "store" and p.parameters["unit"] == "24622"


def test_outputs_folder_can_be_removed_and_made_again(demo, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(demo["out"], out)
    shutil.rmtree(out / "2024-H1" / "24634-dak-plao")
    jobs = jobs_for_selection("2024-H1", "661", False, ("html", "pdf", "docx"), out,
                              store=demo["store"], province_text=DEMO_TEXT)
    outcomes = render_jobs(jobs, workers=1)
    assert [o.job.unit_code for o in outcomes if o.status == "rendered"] == ["24634"]
