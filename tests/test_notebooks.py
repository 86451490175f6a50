"""The notebooks: thin, committed clean, and executed for real by papermill."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import papermill as pm
import pytest

from cchc_lib import units
from cchc_lib.serialize import load_sample
from cchc_lib.store import open_store
from cchc_lib.synth import synth_submission

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["commune_report.ipynb", "district_overview.ipynb",
                                           "province_report.ipynb", "province_trends.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_holds_annotated_literals_with_comments(path):
    tagged = [c for c in cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    text = source(tagged[0])
    for node in ast.parse(text).body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant)
    assert all("  # " in line for line in text.splitlines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        text = "\n".join(ln for ln in source(cell).splitlines() if not ln.startswith("%"))
        for node in ast.walk(ast.parse(text)):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While,
                                         ast.ListComp, ast.Lambda)), source(cell)


def run(name: str, tmp_path: Path, **parameters) -> list[str]:
    out = tmp_path / f"out-{name}"
    pm.execute_notebook(str(ROOT / "notebooks" / name), str(out), parameters=parameters,
                        cwd=str(ROOT), progress_bar=False, kernel_name="python3")
    texts = []
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts.append("".join(data.get("text/html", "")) + "".join(output.get("text", "")))
            if "image/png" in data:
                texts.append("[image/png]")
    return texts


def test_commune_report_runs_from_its_defaults_and_shows_the_corrected_seed(tmp_path):
    texts = run("commune_report.ipynb", tmp_path)
    html = "\n".join(texts)
    for expected in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Đắk Ha, ngày 07 tháng 3 năm 2024", "đạt 76,4%", "13/21 (61,9%)",
                     "3.253.588.460 đồng", "661 hồ sơ", "PHỤ LỤC SỐ 01", "(ghi 100)",
                     "Cù Xuân Sang"):
        assert expected in html, expected
    assert texts.count("[image/png]") == 4  # tasks, dossiers, staff, budget
    assert "Traceback" not in html
    # the checks go to the check sheet, not into the report ...
    assert "Kiểm tra số liệu" not in html and "rate.mismatch" not in html
    # ... unless asked for an internal draft
    draft = "\n".join(run("commune_report.ipynb", tmp_path, show_checks=True))
    for expected in ("Kiểm tra số liệu", "rate.mismatch", "32/05/2024"):
        assert expected in draft, expected


def test_commune_report_escapes_what_the_commune_typed(tmp_path):
    sample = load_sample()
    from dataclasses import replace

    sub = replace(sample, sections={**sample.sections,
                                    "V": ("<script>alert(1)</script> <b>in đậm</b>",)})
    store = tmp_path / "s.sqlite"
    with open_store(store) as st:
        st.ingest(sub)
    html = "\n".join(run("commune_report.ipynb", tmp_path, source="store", store=str(store)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;in đậm&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html and "<b>in đậm" not in html


def test_district_overview_runs_on_a_district(tmp_path):
    store = tmp_path / "d.sqlite"
    with open_store(store) as st:
        st.ingest(load_sample())
        for unit in units.children("661", era="2008", level="commune")[:4]:
            if unit.code != "24622":
                st.ingest(synth_submission(unit, "2024-H1", seed=5))
                st.ingest(synth_submission(unit, "2023-H1", seed=5))
    texts = run("district_overview.ipynb", tmp_path, store=str(store))
    html = "\n".join(texts)
    assert "4/7 đơn vị đã nộp báo cáo" in html and "Chưa nộp: 3 đơn vị" in html
    assert "xã Đắk Plao" in html and "<p>Chưa nộp:" not in html  # a table, not a paragraph
    assert "Tổng hợp cải cách hành chính 6 tháng đầu năm 2024 — huyện Đắk Glong" in html
    assert "DỮ LIỆU MINH HỌA — số liệu của 3 đơn vị" in html
    assert "Tỷ lệ chung" in html and "điểm %" in html
    assert texts.count("[image/png]") == 2  # ranking and heatmap


def test_district_overview_runs_from_its_defaults(tmp_path, monkeypatch):
    empty = tmp_path / "empty.sqlite"
    open_store(empty).close()
    monkeypatch.setenv("CCHC_STORE", str(empty))
    html = "\n".join(run("district_overview.ipynb", tmp_path))
    assert "0/7 đơn vị đã nộp báo cáo" in html and "chưa có số liệu" in html


def test_a_mistyped_store_is_an_error_not_an_empty_district(tmp_path, monkeypatch):
    missing = tmp_path / "kho-go-nham.sqlite"
    monkeypatch.setenv("CCHC_STORE", str(missing))
    with pytest.raises(pm.PapermillExecutionError, match="Không tìm thấy kho dữ liệu"):
        run("district_overview.ipynb", tmp_path)
    assert not missing.exists()


def test_province_report_runs_on_a_district_with_its_own_text(tmp_path):
    store = tmp_path / "d.sqlite"
    with open_store(store) as st:
        st.ingest(load_sample())
        for unit in units.children("661", era="2008", level="commune")[:3]:
            if unit.code != "24622":
                st.ingest(synth_submission(unit, "2024-H1", seed=5))
    text = ROOT / "data" / "sample" / "dak_glong_2024-H1_tong-hop.yaml"
    html = "\n".join(run("province_report.ipynb", tmp_path, store=str(store),
                         province_text=str(text)))
    for expected in ("ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLONG", "Số: 118/BC-UBND",
                     "Đắk Glong, ngày 18 tháng 6 năm 2024", "Kính gửi:",
                     "- Ủy ban nhân dân tỉnh Đắk Nông;", "3/7 đơn vị cấp xã (42,9%)",
                     "Các đơn vị chưa gửi báo cáo (4):", "I. TÌNH HÌNH TỔ CHỨC THỰC HIỆN",
                     "V. ĐÁNH GIÁ CHUNG", "Nguyễn Văn Minh", "PHỤ LỤC SỐ 01", "Số đơn vị",
                     "DỮ LIỆU MINH HỌA"):
        assert expected in html, expected
    assert "Traceback" not in html


def test_province_report_runs_from_its_defaults(tmp_path, monkeypatch):
    empty = tmp_path / "empty.sqlite"
    open_store(empty).close()
    monkeypatch.setenv("CCHC_STORE", str(empty))
    html = "\n".join(run("province_report.ipynb", tmp_path))
    assert "0/7 đơn vị cấp xã (0%)" in html and "Chưa đủ báo cáo để so sánh" in html
    assert "(Phần này do Ủy ban nhân dân huyện Đắk Glong tự viết" in html


def test_district_overview_reads_at_a_hundred_units(tmp_path):
    """A 2025 province of 124 units, 110 of which reported: the ranking and the heatmap come
    as several figures (each legible on A4), the missing units as a table."""
    store = tmp_path / "p.sqlite"
    communes = units.children("68", era="2025", level="commune")
    with open_store(store) as st:
        st.ingest_many([synth_submission(u, "2026-Q1", seed=3) for u in communes[:110]])
    texts = run("district_overview.ipynb", tmp_path, store=str(store), parent="68",
                period="2026-Q1")
    html = "\n".join(texts)
    assert "110/124 đơn vị đã nộp báo cáo. Chưa nộp: 14 đơn vị." in html
    assert units.unit_title(communes[-1]) in html
    # ranking: 30 units a figure (3 or 4 figures, as many units give 3.4.1); heatmap: 6 × 20
    assert 3 + 6 <= texts.count("[image/png]") <= 4 + 6
    assert "Traceback" not in html


def test_province_trends_runs_on_a_district_over_three_periods(tmp_path):
    """The analyst's notebook across time, with a real store: the district's rate per period is
    its summed fraction (added up here from the submissions), each unit's rate beside its
    fraction, the movers, and the period rules' findings (none: the chains agree)."""
    from cchc_lib.formatting import fmt_number, fmt_percent
    from cchc_lib.rates import percent
    from cchc_lib.synth import synth_history

    store = tmp_path / "t.sqlite"
    by_period: dict[str, list] = {}
    with open_store(store) as st:
        for unit in units.children("661", era="2008", level="commune")[:5]:
            for sub in synth_history(unit, ["2023-H1", "2023", "2024-H1"], seed=4):
                st.ingest(sub)
                by_period.setdefault(sub.period, []).append(sub)
    texts = run("province_trends.ipynb", tmp_path, store=str(store))
    html = "\n".join(texts)
    assert ("Diễn biến cải cách hành chính từ 6 tháng đầu năm 2023 đến 6 tháng đầu năm 2024 — "
            "huyện Đắk Glong") in html
    for period, subs in by_period.items():
        both = [s.value("3.4.1") for s in subs if s.value("3.4.1") is not None
                and s.value("3.4.1").done is not None and s.value("3.4.1").total]
        done, total = sum(v.done for v in both), sum(v.total for v in both)
        rate = fmt_percent(percent(done, total, 1), 1)
        assert fmt_number(done) in html and fmt_number(total) in html and rate in html, period
    assert "điểm %" in html and "tiến bộ" in html
    assert "Các quy tắc kiểm tra giữa các kỳ không phát hiện gì" in html
    assert texts.count("[image/png]") == 1  # the district's rates over the periods
    assert "Traceback" not in html
