"""What a report is made from (cchc_lib.sources): one reference loads the data and hashes
exactly what it loaded, the unit's earlier periods included; a snapshot of it can be loaded
where the store cannot be seen."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cchc_lib import sources, units
from cchc_lib.errors import CchcError, StoreError
from cchc_lib.serialize import load_sample
from cchc_lib.sources import DistrictRef, Snapshot, SubmissionRef
from cchc_lib.store import open_store
from cchc_lib.synth import synth_submission

QUANG_SON = units.get_unit("24616", era="2008")  # huyện Đắk Glong (661)
QUANG_HOA = units.get_unit("24620", era="2008")  # huyện Đắk Glong (661)


def revised(sub, code: str = "3.4.1", done: int = 200):
    """The same submission with one figure changed (a new revision when ingested)."""
    return replace(sub, values={**sub.values, code: replace(sub.values[code], done=done)})


@pytest.fixture
def store(two_communes_store):
    return two_communes_store


def ref_of(store, unit="24616", period="2024-H1"):
    return SubmissionRef.for_report(unit, period, source="store", store=store)


def ingest(store, sub):
    with open_store(store) as st:
        assert st.ingest(sub).status in ("new", "revised")


def test_a_reference_is_resolved_once_to_codes_keys_and_absolute_paths(store, monkeypatch):
    monkeypatch.chdir(store.parent)
    ref = SubmissionRef.for_report("Quảng Sơn, Đắk Glong", "2024-h1", source="store", store=store.name)
    assert ref == SubmissionRef("store", "24616", "2024-H1", str(store), "")
    assert SubmissionRef.for_report("24622", "2024-H1", store=store) == SubmissionRef(
        "sample", "24622", "2024-H1")  # a store given with the sample is not part of it
    with pytest.raises(CchcError, match="Nguồn dữ liệu"):
        SubmissionRef.for_report("24622", "2024-H1", source="excel")
    with pytest.raises(CchcError, match="cần đường dẫn sổ tính"):
        SubmissionRef.for_report("24622", "2024-H1", source="workbook")
    with pytest.raises(CchcError, match="cấp xã"):
        DistrictRef.for_overview("24616", "2024-H1", store=store)


def test_load_reads_the_submission_and_only_its_earlier_periods(store):
    ingest(store, synth_submission(QUANG_SON, "2024-9M", seed=1))  # later: not in H1's chart
    sub, unit, period, history = ref_of(store).load()[:4]
    assert (sub.unit_code, sub.period, unit.code, period.key) == (
        "24616", "2024-H1", "24616", "2024-H1")
    assert [s.period for s in history] == ["2024-Q1"]
    assert [s.period for s in ref_of(store, period="2024-9M").load().history] == [
        "2024-Q1", "2024-H1"]


def test_identity_changes_with_an_earlier_period_and_with_nothing_unrelated(store):
    before = ref_of(store).identity()
    with open_store(store) as st:
        q1_hoa, q1_son = st.load("24620", "2024-Q1"), st.load("24616", "2024-Q1")
    ingest(store, revised(q1_hoa))  # another unit's earlier period
    ingest(store, synth_submission(QUANG_SON, "2024-9M", seed=1))  # a later period
    ingest(store, synth_submission(QUANG_SON, "2025-Q3", seed=1))  # after the 2025 reform
    assert ref_of(store).identity() == before
    ingest(store, revised(q1_son))  # the unit's own earlier period: its trend chart changes
    assert ref_of(store).identity() != before


def test_identity_is_the_hash_of_what_read_read(store, tmp_path):
    ref = ref_of(store)
    assert ref.identity() == ref.read().identity
    missing = ref_of(store, period="2024-Q3")  # not in the store: the report will fail
    assert missing.identity() == missing.read(capture=True).identity
    sample = SubmissionRef.for_report("24622", "2024-H1")
    assert sample.identity() == sample.read().identity
    overview = DistrictRef.for_overview("661", "2024-H1", store=store)
    assert overview.identity() == overview.read().identity


def test_the_overview_depends_on_its_own_units_only(store):
    ref = DistrictRef.for_overview("661", "2024-H1", store=store)
    before = ref.identity()
    ingest(store, revised(synth_submission(QUANG_SON, "2024-Q1", seed=1)))  # not H1 nor 2023-H1
    assert ref.identity() == before
    ingest(store, synth_submission(QUANG_HOA, "2023-H1", seed=1))  # the previous period
    assert ref.identity() != before
    loaded = ref.load()
    assert [s.unit_code for s in loaded.subs] == ["24616", "24620"]
    assert [s.period for s in loaded.previous] == ["2023-H1"]
    assert len(loaded.expected) == 7 and loaded.parent.code == "661"


def test_the_overview_of_a_province_ignores_another_province(tmp_path):
    """Before, an overview's hash covered every unit in the store for its periods: one
    province's ingest re-rendered every other province's overview."""
    store = tmp_path / "p.sqlite"
    lam_dong = units.children("68", era="2025", level="commune")[0]
    ha_noi = units.children("01", era="2025", level="commune")[0]
    with open_store(store) as st:
        st.ingest(synth_submission(lam_dong, "2026-Q1", seed=1))
    ref = DistrictRef.for_overview("68", "2026-Q1", store=store)
    before = ref.identity()
    ingest(store, synth_submission(ha_noi, "2026-Q1", seed=1))
    ingest(store, synth_submission(ha_noi, "2025-Q4", seed=1))
    assert ref.identity() == before
    ingest(store, synth_submission(lam_dong, "2025-Q4", seed=1))
    assert ref.identity() != before


def test_a_snapshot_loads_where_the_store_is_gone(store):
    ref = ref_of(store)
    snapshot = Snapshot.from_json(ref.read().to_json())
    assert snapshot == ref.read()
    store.unlink()
    sources.provide(snapshot)
    try:
        sub, _, _, history = ref.load()[:4]
        assert sub.unit_code == "24616" and [s.period for s in history] == ["2024-Q1"]
        with pytest.raises(CchcError, match="Dữ liệu giao cho notebook"):
            ref_of(store, unit="24620").load()  # never a silent read of another store
    finally:
        sources.provide(None)
    with pytest.raises(StoreError, match="Không tìm thấy kho dữ liệu"):
        ref.load()


def test_an_error_while_reading_travels_with_the_snapshot(store):
    ref = ref_of(store, period="2024-Q3")
    with pytest.raises(StoreError) as direct:
        ref.load()
    snapshot = Snapshot.from_json(ref.read(capture=True).to_json())
    assert snapshot.error[0] == "StoreError"
    with pytest.raises(StoreError) as later:
        snapshot.load()
    assert str(later.value) == str(direct.value) and "24616" in str(later.value)


def test_stored_submissions_name_the_revision_they_read(store):
    with open_store(store) as st:
        st.ingest(revised(st.load("24616", "2024-H1")))
        found = sources.stored_submissions(st, "2024-H1")
        assert [(i.unit_code, i.revision) for i, _ in found] == [("24616", 2), ("24620", 1)]
        assert found[0][1].values["3.4.1"].done == 200
        [(info, sub)] = sources.stored_submissions(st, "2024-H1", "Quảng Hòa, Đắk Glong")
        assert sub.unit_code == info.unit_code == "24620"
        with pytest.raises(StoreError, match="24616"):
            sources.stored_submissions(st, "2024-Q3", "24616")


def test_the_sample_reference_refuses_another_unit():
    with pytest.raises(CchcError, match="không phải xã Quảng Sơn"):
        SubmissionRef.for_report("24616", "2024-H1").load()
    sub = SubmissionRef.for_report("24622", "2024-H1").load().sub
    assert sub == load_sample()
    assert json.loads(SubmissionRef.for_report("24622", "2024-H1").read().to_json())["ref"][
        "source"] == "sample"
