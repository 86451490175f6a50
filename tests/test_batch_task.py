"""The render task (cchc_lib.batch): self-contained (data in, bytes and figures out, nothing
written by the worker), figures read from the executed notebook, and a report made again when
an earlier period of its unit is revised."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from cchc_lib import units
from cchc_lib.batch.export import FIGURES_TAG
from cchc_lib.batch.jobs import make_job
from cchc_lib.batch.kinds import KINDS, get_kind
from cchc_lib.batch.params import RenderParams
from cchc_lib.batch.pool import make_task, record, render_job, render_jobs
from cchc_lib.batch.state import up_to_date
from cchc_lib.batch.worker import run_task
from cchc_lib.formatting import fmt_percent
from cchc_lib.parts import PART_MIME
from cchc_lib.rates import percent
from cchc_lib.store import open_store
from cchc_lib.synth import synth_submission

ROOT = Path(__file__).resolve().parent.parent
QUANG_SON = units.get_unit("24616", era="2008")
QUANG_HOA = units.get_unit("24620", era="2008")


def commune_job(store: Path, out: Path, unit: str = "24616", formats=("html",)):
    return make_job(RenderParams("commune_report", {"unit": unit, "period": "2024-H1",
                                                    "source": "store", "store": str(store)},
                                 formats), out)


@pytest.fixture
def store(two_communes_store):
    return two_communes_store


def trend_alt(html_file: Path) -> str:
    alts = re.findall(r"""alt=(?:'([^']*)'|"([^"]*)")""", html_file.read_text(encoding="utf-8"))
    alts = [a or b for a, b in alts]
    return next(a for a in alts if "Diễn biến" in a)


def test_revising_an_earlier_period_renders_the_later_report_again(store, tmp_path):
    out = tmp_path / "out"
    first = render_job(commune_job(store, out))
    assert first.status == "rendered"
    html = Path(first.job.out_dir) / first.files["html"]
    with open_store(store) as st:
        q1_hoa, q1_son = st.load("24620", "2024-Q1"), st.load("24616", "2024-Q1")
    on_time = q1_son.values["3.4.1"]  # 2024-Q1: dossiers on time of those resolved
    before = fmt_percent(percent(on_time.done, on_time.total, 1), 1)
    after = fmt_percent(percent(200, on_time.total, 1), 1)
    assert before != after and before in trend_alt(html)
    with open_store(store) as st:
        # another unit's earlier period, and a later period of this unit: nothing to redo
        st.ingest(replace(q1_hoa, values={**q1_hoa.values, "3.4.1": replace(
            q1_hoa.values["3.4.1"], done=100)}))
        st.ingest(synth_submission(QUANG_SON, "2024-9M", seed=1))
    assert [o.status for o in render_jobs([commune_job(store, out)])] == ["skipped"]
    with open_store(store) as st:  # this unit's 2024-Q1, drawn in the H1 report's trend chart
        st.ingest(replace(q1_son, values={**q1_son.values, "3.4.1": replace(
            q1_son.values["3.4.1"], done=200)}))
    job = commune_job(store, out)
    assert up_to_date(job) is None
    again = render_job(job)
    assert again.status == "rendered" and again.warnings == ()
    alt = trend_alt(html)
    assert after in alt and before not in alt  # 200 on time: the chart is no longer stale
    assert [o.status for o in render_jobs([commune_job(store, out)])] == ["skipped"]


def test_the_task_carries_its_data_and_the_worker_writes_nothing(store, tmp_path):
    out = tmp_path / "out"
    job = commune_job(store, out, formats=("html", "pdf", "docx"))
    task, stale = make_task(job)
    assert not stale
    store.unlink()  # the worker needs no shared file system: the data travel with the task
    result = run_task(task)
    assert result.status == "rendered", result.error
    assert not out.exists() or not any(out.rglob("*"))  # nothing written by the worker
    files = {key: (name, data) for key, name, data in result.files}
    assert set(files) == {"ipynb", "html", "pdf", "docx", "check_html", "check_pdf"}
    assert files["pdf"][1].startswith(b"%PDF") and files["docx"][1].startswith(b"PK")
    assert "xã Quảng Sơn" in files["html"][1].decode("utf-8")
    assert result.figures["unit_code"] == "24616" and result.figures["on_time_rate"] is not None
    outcome = record(job, result)  # the client writes, render.json last
    folder = Path(job.out_dir)
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted([name for name, _ in files.values()] + ["render.json"])
    assert (folder / files["pdf"][0]).read_bytes() == files["pdf"][1]
    state = json.loads((folder / "render.json").read_text(encoding="utf-8"))
    assert state["hash"] == job.input_hash and state["figures"] == outcome.figures
    assert up_to_date(job) is not None


def test_key_figures_come_from_the_executed_notebook(tmp_path, monkeypatch):
    import cchc_lib.report

    def not_here(*args, **kwargs):
        raise AssertionError("the batch client loaded the report outside the kernel")

    monkeypatch.setattr(cchc_lib.report, "load_commune_report", not_here)
    out = tmp_path / "out"
    job = make_job(RenderParams("commune_report", {"period": "2024-H1"}, ("html",)), out)
    outcome = render_job(job)
    assert outcome.status == "rendered", outcome.error
    nb = nbformat.read(Path(job.out_dir) / outcome.files["ipynb"], as_version=4)
    [cell] = [c for c in nb.cells if FIGURES_TAG in c.metadata.get("tags", [])]
    [shown] = [o["data"][PART_MIME] for o in cell.outputs if PART_MIME in o.get("data", {})]
    state = json.loads((Path(job.out_dir) / "render.json").read_text(encoding="utf-8"))
    assert state["figures"] == {k: v for k, v in shown.items() if k != "kind"}
    # the seed's figures, computed by hand: 295/394 dossiers on time, 55/72 tasks done
    assert (state["figures"]["on_time_rate"], state["figures"]["tasks_rate"]) == (74.9, 76.4)
    html = (Path(job.out_dir) / outcome.files["html"]).read_text(encoding="utf-8")
    assert '"on_time_rate"' not in html  # the figures are data for the index, never shown


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_takes_its_defaults_from_the_notebooks_parameters_cell(kind):
    nb = json.loads(get_kind(kind).path.read_text(encoding="utf-8"))
    [cell] = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    defaults = {node.target.id: node.value.value
                for node in ast.parse("".join(cell["source"])).body}
    k = get_kind(kind)
    assert {key: k.value({}, key) for key in defaults} == defaults
    assert k.value({k.unit_parameter: "x"}, k.unit_parameter) == "x"


def test_a_job_without_a_unit_renders_the_notebooks_default_unit(tmp_path, monkeypatch):
    empty = tmp_path / "s.sqlite"
    open_store(empty).close()
    monkeypatch.setenv("CCHC_STORE", str(empty))
    report = make_job(RenderParams("commune_report", {"period": "2024-H1"}), tmp_path)
    overview = make_job(RenderParams("district_overview", {"period": "2024-H1"}), tmp_path)
    assert (report.unit_code, overview.unit_code) == ("24622", "661")  # as the notebooks say
    assert overview.out_dir.endswith("2024-H1/661-dak-glong_2024-H1_tong-hop")
    assert report.out_dir.endswith("2024-H1/24622-dak-ha")
