"""The SQLite store: paths, revisions, reads, schema versions and concurrent writers.

Every test works on a real SQLite file under ``tmp_path``; nothing is mocked.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sqlite3
import traceback
from dataclasses import replace
from pathlib import Path

import pytest

from cchc_lib.errors import CchcError
from cchc_lib.model import Submission, Value
from cchc_lib.serialize import load_sample, to_json
from cchc_lib.store import (
    DEFAULT_PATH, ENV_VAR, SCHEMA_VERSION, IngestResult, Store, StoreError, open_store,
    resolve_store_path,
)


def make_sub(unit: str = "24622", period: str = "2024-H1", total: int = 72, **extra) -> Submission:
    """A small submission with the figure of indicator 1.1.1."""
    return Submission(unit_code=unit, period=period,
                      values={"1.1.1": Value(code="1.1.1", total=total)}, **extra)


@pytest.fixture(scope="module")
def sample() -> Submission:
    return load_sample()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "store.sqlite") as st:
        yield st


def row_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]


# --------------------------------------------------------------------------- paths


def test_explicit_path_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite"))
    assert resolve_store_path(tmp_path / "explicit.sqlite") == tmp_path / "explicit.sqlite"
    assert resolve_store_path(str(tmp_path / "explicit.sqlite")) == tmp_path / "explicit.sqlite"


def test_environment_beats_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env" / "env.sqlite"))
    assert resolve_store_path() == tmp_path / "env" / "env.sqlite"
    assert resolve_store_path(None) == tmp_path / "env" / "env.sqlite"
    with open_store() as st:
        st.ingest(make_sub())
    assert (tmp_path / "env" / "env.sqlite").is_file()
    assert not (tmp_path / "data").exists()


def test_default_is_data_dir_of_current_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_store_path() == Path("data/cchc.sqlite") == DEFAULT_PATH
    assert not (tmp_path / "data").exists()
    with Store.open() as st:  # creates the parent directory
        st.ingest(make_sub())
    assert (tmp_path / "data" / "cchc.sqlite").is_file()


def test_empty_environment_variable_means_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "")
    assert resolve_store_path() == DEFAULT_PATH


def test_open_creates_nested_parent_directories(tmp_path):
    path = tmp_path / "a" / "b" / "c" / "store.sqlite"
    with open_store(path) as st:
        assert st.path == path
        assert st.schema_version == SCHEMA_VERSION
    assert path.is_file()


# --------------------------------------------------------------------- connection


def test_wal_mode_and_pragmas(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_schema_has_table_unique_key_and_index(store):
    conn = store.conn
    cols = [r[1] for r in conn.execute("PRAGMA table_info(submissions)")]
    assert cols == ["id", "unit_code", "period", "revision", "content_hash", "payload",
                    "source_file", "ingested_at", "illustrative", "check_errors"]
    indexes = {r[1]: r for r in conn.execute("PRAGMA index_list(submissions)")}
    unique = [name for name, r in indexes.items() if r[2] == 1]
    assert [[c[2] for c in conn.execute(f"PRAGMA index_info('{n}')")] for n in unique] == [
        ["unit_code", "period", "revision"]]
    assert [c[2] for c in conn.execute("PRAGMA index_info('submissions_period_unit')")] == [
        "period", "unit_code"]


def test_wal_persists_in_the_file(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopen_keeps_data_and_does_not_migrate_twice(tmp_path, sample):
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        st.ingest(sample)
    with open_store(path) as st:
        assert st.schema_version == SCHEMA_VERSION
        assert st.load("24622", "2024-H1") == sample
        assert st.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'created_at'"
                               ).fetchone()[0] == 1


def test_newer_schema_version_is_refused_and_left_alone(tmp_path, sample):
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        st.ingest(sample)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError) as err:
        open_store(path)
    msg = str(err.value)
    assert isinstance(err.value, CchcError)
    assert str(path) in msg and f"phiên bản {SCHEMA_VERSION + 1}" in msg and "cập nhật" in msg
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1


def test_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("đây không phải SQLite\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="Không mở được kho dữ liệu"):
        open_store(path)


def test_directory_as_store_path(tmp_path):
    with pytest.raises(StoreError, match="thư mục"):
        open_store(tmp_path)


def test_closed_store_refuses_work(tmp_path):
    st = open_store(tmp_path / "s.sqlite")
    st.close()
    st.close()  # twice is harmless
    with pytest.raises(StoreError, match="đã đóng"):
        st.ingest(make_sub())


# ------------------------------------------------------------------------- ingest


def test_sample_round_trip(store, sample):
    result = store.ingest(sample, source_file="data/sample/dak_ha_2024-H1.yaml")
    assert result == IngestResult("24622", "2024-H1", 1, "new",
                                  hashlib.sha256(to_json(sample).encode()).hexdigest())
    loaded = store.load("24622", "2024-H1")
    assert loaded == sample
    assert to_json(loaded) == to_json(sample)
    assert store.load("24622", "2024-H1", revision=1) == sample
    (info,) = store.revisions("24622", "2024-H1")
    assert (info.revision, info.content_hash, info.source_file, info.check_errors) == (
        1, result.content_hash, "data/sample/dak_ha_2024-H1.yaml", None)
    assert info.ingested_at.endswith("+00:00") and info.illustrative is False


def test_payload_is_canonical_json(store, sample):
    store.ingest(sample)
    payload = store.conn.execute("SELECT payload FROM submissions").fetchone()[0]
    assert payload == to_json(sample)


def test_identical_content_is_unchanged(tmp_path, sample):
    path = tmp_path / "s.sqlite"
    with open_store(path) as st:
        first = st.ingest(sample, source_file="a.xlsx")
        again = st.ingest(load_sample(), source_file="b.xlsx")  # equal, not the same object
        assert again.status == "unchanged"
        assert (again.revision, again.content_hash) == (1, first.content_hash)
        assert [r.source_file for r in st.revisions("24622", "2024-H1")] == ["a.xlsx"]
    assert row_count(path) == 1


def test_changed_content_becomes_revision_2(tmp_path, sample):
    path = tmp_path / "s.sqlite"
    changed = replace(sample, values={**sample.values,
                                      "1.1.1": replace(sample.values["1.1.1"], total=99)})
    with open_store(path) as st:
        assert st.ingest(sample).status == "new"
        r2 = st.ingest(changed, source_file="sửa.xlsx")
        assert (r2.revision, r2.status) == (2, "revised")
        assert st.load("24622", "2024-H1") == changed
        assert st.load("24622", "2024-H1", revision=2) == changed
        assert st.load("24622", "2024-H1", revision=1) == sample
        assert [r.revision for r in st.revisions("24622", "2024-H1")] == [1, 2]
        (latest,) = st.latest()
        assert (latest.unit_code, latest.period, latest.revision, latest.revision_count) == (
            "24622", "2024-H1", 2, 2)
        assert latest.content_hash == r2.content_hash and latest.source_file == "sửa.xlsx"
        # Re-sending the first content after the second is refused (an old file sent again
        # by mistake must not silently make the old figures current) ...
        with pytest.raises(StoreError, match="trùng nội dung lần nộp thứ 1.*--allow-older"):
            st.ingest_many([sample])
        assert [r.revision for r in st.revisions("24622", "2024-H1")] == [1, 2]
        # ... unless asked for: then it is a new revision, not a rewind.
        (r3,) = st.ingest_many([sample], allow_older=True)
        assert (r3.revision, r3.status, r3.content_hash) == (3, "revised", st.revisions(
            "24622", "2024-H1")[0].content_hash)
        assert st.ingest(sample).status == "unchanged"
    assert row_count(path) == 3


def test_illustrative_flag_is_stored(store):
    store.ingest(make_sub(illustrative=True))
    assert store.conn.execute("SELECT illustrative FROM submissions").fetchone()[0] == 1
    assert store.latest()[0].illustrative is True
    assert store.load("24622", "2024-H1").illustrative is True


def test_non_canonical_period_is_refused(store):
    with pytest.raises(StoreError, match="2024-H1"):
        store.ingest(make_sub(period="2024-h1"))
    with pytest.raises(StoreError, match="kỳ không hợp lệ"):
        store.ingest(make_sub(period="2024-H2"))
    with pytest.raises(StoreError, match="mã đơn vị"):
        store.ingest(make_sub(unit=""))
    assert store.count() == 0


# -------------------------------------------------------------------------- reads


def test_missing_submission_names_unit_and_period(store):
    with pytest.raises(StoreError) as err:
        store.load("99999", "2023-Q3")
    assert "99999" in str(err.value) and "2023-Q3" in str(err.value)
    store.ingest(make_sub())
    with pytest.raises(StoreError) as err:
        store.load("24622", "2024-H1", revision=4)
    assert all(s in str(err.value) for s in ("24622", "2024-H1", "lần 4"))
    assert store.revisions("99999", "2023-Q3") == []


def test_period_argument_is_normalised(store):
    store.ingest(make_sub())
    assert store.load("24622", " 2024-h1 ").values["1.1.1"].total == 72
    assert [r.revision for r in store.revisions("24622", "2024-h1")] == [1]
    assert store.units("2024-h1") == ["24622"]


def test_latest_periods_units_and_filters(store):
    for unit, period, total in [("24622", "2024-H1", 1), ("24622", "2024-H1", 2),
                                ("24625", "2024-H1", 3), ("24622", "2024-Q1", 4),
                                ("24631", "2023", 5), ("24625", "2024-Q2", 6)]:
        store.ingest(make_sub(unit, period, total))
    assert store.periods() == ["2023", "2024-Q1", "2024-Q2", "2024-H1"]  # chronological
    assert store.units() == ["24622", "24625", "24631"]
    assert store.units("2024-H1") == ["24622", "24625"]
    assert store.units("2022") == []
    rows = store.latest()
    assert [(r.period, r.unit_code, r.revision, r.revision_count) for r in rows] == [
        ("2023", "24631", 1, 1), ("2024-Q1", "24622", 1, 1), ("2024-Q2", "24625", 1, 1),
        ("2024-H1", "24622", 2, 2), ("2024-H1", "24625", 1, 1)]
    assert [(r.unit_code, r.revision) for r in store.latest("2024-H1")] == [
        ("24622", 2), ("24625", 1)]
    assert [r.period for r in store.latest(unit_codes=["24622"])] == ["2024-Q1", "2024-H1"]
    assert [r.unit_code for r in store.latest("2024-H1", unit_codes=iter(["24625", "x"]))] == [
        "24625"]
    assert [r.unit_code for r in store.latest(unit_codes="24631")] == ["24631"]
    assert store.latest("2025-Q1") == []


def test_load_latest_all(store):
    store.ingest(make_sub("24625", total=1))
    store.ingest(make_sub("24622", total=2))
    store.ingest(make_sub("24622", total=3))
    store.ingest(make_sub("24622", "2024-Q1", total=4))
    subs = store.load_latest_all("2024-H1")
    assert [(s.unit_code, s.values["1.1.1"].total) for s in subs] == [("24622", 3), ("24625", 1)]
    assert store.load_latest_all("2030") == []


def test_set_check_errors(store):
    store.ingest(make_sub(total=1))
    store.ingest(make_sub(total=2))
    store.set_check_errors("24622", "2024-H1", 1, 5)
    store.set_check_errors("24622", "2024-H1", 2, 0)
    assert [r.check_errors for r in store.revisions("24622", "2024-H1")] == [5, 0]
    assert store.latest()[0].check_errors == 0
    with pytest.raises(StoreError, match="24622.*2024-H1|lần 3"):
        store.set_check_errors("24622", "2024-H1", 3, 1)
    with pytest.raises(StoreError, match="không âm"):
        store.set_check_errors("24622", "2024-H1", 1, -1)
    # A new revision starts without check results.
    store.ingest(make_sub(total=3))
    assert store.revisions("24622", "2024-H1")[-1].check_errors is None


# --------------------------------------------------------------------- concurrency

N_SHARED = 20  # distinct submissions that both processes ingest
N_CHAIN = 10  # distinct contents per process for one (unit, period)
N_REPEAT = 10  # the same submission, again and again


def _worker(path: str, k: int, start, results) -> None:
    """Run in a spawned process: open an own Store and ingest as fast as possible."""
    try:
        statuses: dict[str, list[str]] = {"shared": [], "chain": [], "repeat": []}
        with Store.open(path) as st:
            start.wait(30)
            sample = load_sample()
            for i in range(N_SHARED):
                # Interleave the three kinds so that the two writers collide.
                statuses["shared"].append(st.ingest(make_sub(f"9{i:04d}", total=i)).status)
                if i < N_CHAIN:
                    sub = make_sub("77777", "2024-Q1", total=1000 * k + i)
                    statuses["chain"].append(st.ingest(sub, source_file=f"p{k}").status)
                if i < N_REPEAT:
                    statuses["repeat"].append(st.ingest(sample).status)
        results.put((k, statuses, None))
    except BaseException:
        results.put((k, None, traceback.format_exc()))


def test_concurrent_ingest_from_two_processes(tmp_path, sample):
    path = tmp_path / "shared" / "store.sqlite"  # new file: both processes create and migrate
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(path), k, start, results)) for k in (1, 2)]
    for p in procs:
        p.start()
    start.set()
    got = {}
    for _ in procs:
        k, statuses, error = results.get(timeout=60)
        assert error is None, f"process {k} failed:\n{error}"
        got[k] = statuses
    for p in procs:
        p.join(30)
        assert p.exitcode == 0

    # Every shared submission was written once: one process saw "new", the other "unchanged".
    shared = got[1]["shared"] + got[2]["shared"]
    assert sorted(shared) == ["new"] * N_SHARED + ["unchanged"] * N_SHARED
    # The repeated sample: one "new" in all, everything else "unchanged".
    repeat = got[1]["repeat"] + got[2]["repeat"]
    assert repeat.count("new") == 1 and repeat.count("unchanged") == 2 * N_REPEAT - 1
    # The chain: all contents distinct, so each is a revision of its own.
    chain = got[1]["chain"] + got[2]["chain"]
    assert chain.count("new") == 1 and chain.count("revised") == 2 * N_CHAIN - 1

    with open_store(path) as st:
        assert st.count() == N_SHARED + 2 * N_CHAIN + 1
        for i in range(N_SHARED):
            (info,) = st.revisions(f"9{i:04d}", "2024-H1")
            assert info.revision == 1
            assert st.load(f"9{i:04d}", "2024-H1") == make_sub(f"9{i:04d}", total=i)
        assert [r.revision for r in st.revisions("24622", "2024-H1")] == [1]
        assert st.load("24622", "2024-H1") == sample

        chain_revs = st.revisions("77777", "2024-Q1")
        assert [r.revision for r in chain_revs] == list(range(1, 2 * N_CHAIN + 1))
        assert len({r.content_hash for r in chain_revs}) == 2 * N_CHAIN
        totals = [st.load("77777", "2024-Q1", r.revision).values["1.1.1"].total
                  for r in chain_revs]
        assert sorted(totals) == sorted(1000 * k + i for k in (1, 2) for i in range(N_CHAIN))
        for k in (1, 2):  # each writer's own contents keep their order
            mine = [t for t in totals if t // 1000 == k]
            assert mine == sorted(mine)
        assert sorted(r.source_file for r in chain_revs) == ["p1"] * N_CHAIN + ["p2"] * N_CHAIN

        # Revisions are contiguous 1..n for every (unit, period).
        for row in st.latest():
            revs = [r.revision for r in st.revisions(row.unit_code, row.period)]
            assert revs == list(range(1, row.revision_count + 1)) and row.revision == revs[-1]
        assert st.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert st.schema_version == SCHEMA_VERSION
