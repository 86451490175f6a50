"""The store: every submission ever ingested, kept in one SQLite file.

Each (unit, period) has a chain of revisions 1, 2, 3 …; a revision holds the
submission's canonical JSON (:func:`cchc_lib.serialize.to_json`) and its
SHA-256.  Ingesting content equal to the latest revision writes nothing, so
re-running ``cchc ingest`` on the same workbooks is harmless; changed content
becomes the next revision and the older ones are kept.

Only the standard library's :mod:`sqlite3` is used.  The file is opened in WAL
mode with a generous busy timeout, and every write runs inside ``BEGIN
IMMEDIATE``, so several processes (batch workers, two analysts) can ingest
into the same file at once.  The schema is versioned with ``PRAGMA
user_version`` and grows through the ordered :data:`MIGRATIONS`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from cchc_lib.errors import PeriodError, StoreError
from cchc_lib.model import Submission
from cchc_lib.periods import parse_period, sort_key
from cchc_lib.serialize import from_dict, to_json

__all__ = [
    "StoreError", "IngestResult", "RevisionInfo", "LatestInfo", "Store", "open_store",
    "resolve_store_path", "content_hash", "MIGRATIONS", "SCHEMA_VERSION", "ENV_VAR",
    "DEFAULT_PATH",
]

ENV_VAR = "CCHC_STORE"
DEFAULT_PATH = Path("data") / "cchc.sqlite"
BUSY_TIMEOUT_MS = 30_000

# Ordered schema migrations: MIGRATIONS[i] brings the schema from version i to
# version i + 1.  Never edit a released entry; append a new one instead.
MIGRATIONS: tuple[str, ...] = (
    # 1: initial schema
    """
    CREATE TABLE submissions (
        id           INTEGER PRIMARY KEY,
        unit_code    TEXT    NOT NULL,
        period       TEXT    NOT NULL,
        revision     INTEGER NOT NULL CHECK (revision >= 1),
        content_hash TEXT    NOT NULL,
        payload      TEXT    NOT NULL,          -- to_json(submission)
        source_file  TEXT,
        ingested_at  TEXT    NOT NULL,          -- ISO 8601, UTC
        illustrative INTEGER NOT NULL CHECK (illustrative IN (0, 1)),
        check_errors INTEGER,                   -- NULL until the checks have run
        UNIQUE (unit_code, period, revision)
    );
    CREATE INDEX submissions_period_unit ON submissions (period, unit_code);
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT
    );
    INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class IngestResult:
    """What :meth:`Store.ingest` did: ``status`` is ``new``, ``revised`` or ``unchanged``.

    ``revision`` is the revision now latest for (unit, period): the one just
    written, or for ``unchanged`` the existing one whose content is equal.
    """

    unit_code: str
    period: str
    revision: int
    status: str
    content_hash: str


@dataclass(frozen=True)
class RevisionInfo:
    """One stored revision of a (unit, period), without its payload."""

    unit_code: str
    period: str
    revision: int
    content_hash: str
    source_file: str | None
    ingested_at: str
    illustrative: bool
    check_errors: int | None


@dataclass(frozen=True)
class LatestInfo(RevisionInfo):
    """The latest revision of a (unit, period) and how many revisions it has."""

    revision_count: int


def resolve_store_path(explicit: str | Path | None = None) -> Path:
    """Where the store lives: ``explicit``, else ``$CCHC_STORE``, else ``data/cchc.sqlite``.

    The default is relative to the project folder: the current directory, or
    the nearest parent that holds ``data/sample`` (so a notebook opened from
    ``notebooks/`` in JupyterLab finds the same store as the command line).
    Empty strings count as not given.  Nothing is created here;
    :meth:`Store.open` creates the parent directory.
    """
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "data" / "sample").is_dir():
            return DEFAULT_PATH if folder == here else folder / DEFAULT_PATH
    return DEFAULT_PATH


def content_hash(sub: Submission) -> str:
    """SHA-256 (hex) of the submission's canonical JSON: equal submissions, equal hashes."""
    return hashlib.sha256(to_json(sub).encode("utf-8")).hexdigest()


def _now(at: datetime | None = None) -> str:
    """The current time (or ``at``, an aware datetime) as ISO 8601 UTC text with microseconds
    (``…+00:00``)."""
    if at is None:
        return datetime.now(timezone.utc).isoformat(timespec="microseconds")
    if at.tzinfo is None or at.utcoffset() is None:
        raise StoreError(f"Thời điểm nạp {at!r} cần có múi giờ")
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _period_key(period: str) -> str:
    """The canonical key of a period argument (``2024-h1`` → ``2024-H1``); unparsable kept as is."""
    try:
        return parse_period(period).key
    except PeriodError:
        return period


def _period_order(period: str) -> tuple:
    """Chronological sort key for stored period strings; unparsable ones sort last."""
    try:
        return (0, sort_key(period), period)
    except PeriodError:
        return (1, (), period)


def _split_sql(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (semicolons in strings are safe)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            stmt = buf.strip()
            buf = ""
            if stmt.rstrip(";").strip():
                yield stmt
    if buf.strip():
        # A trailing statement without its semicolon.
        yield buf.strip()


_REVISION_COLUMNS = ("unit_code, period, revision, content_hash, source_file, ingested_at, "
                     "illustrative, check_errors")


def _revision_info(row: tuple) -> RevisionInfo:
    unit, period, rev, digest, source, at, illustrative, errors = row
    return RevisionInfo(unit, period, rev, digest, source, at, bool(illustrative), errors)


class Store:
    """A connection to the SQLite store; use it as a context manager.

    >>> with Store.open("data/cchc.sqlite") as store:      # doctest: +SKIP
    ...     store.ingest(submission, source_file="dak_ha.xlsx")

    Opening creates the parent directory and the file if needed, switches the
    file to WAL mode and brings its schema up to :data:`SCHEMA_VERSION`.  A
    file written by a newer version of the package raises :class:`StoreError`
    and is left untouched.  A ``Store`` belongs to one process (and thread);
    other processes open their own.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        """Open (creating and migrating if needed) the store at ``resolve_store_path(path)``.

        With ``create=False`` (commands that only read) a missing store is an error that
        names the path, instead of an empty store made at a mistyped path.
        """
        self.path = resolve_store_path(path)
        self._conn: sqlite3.Connection | None = None
        if not create and not self.path.is_file():
            raise StoreError(f"Không tìm thấy kho dữ liệu {self.path}: kiểm tra lại đường dẫn "
                             "(--store hoặc biến CCHC_STORE), hoặc nạp báo cáo trước bằng "
                             "`cchc ingest`.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Không tạo được thư mục chứa kho dữ liệu {self.path.parent}: "
                             f"{exc.strerror or exc}") from exc
        if self.path.is_dir():
            raise StoreError(f"Đường dẫn kho dữ liệu {self.path} là một thư mục, "
                             "cần đường dẫn tới một tệp SQLite")
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Không mở được kho dữ liệu {self.path}: {exc}") from exc
        try:
            self._setup(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path | None = None) -> "Store":
        """Open the store at ``path`` (see :func:`resolve_store_path`)."""
        return cls(path)

    # ------------------------------------------------------------------ setup

    def _setup(self, conn: sqlite3.Connection) -> None:
        """Pragmas, version check and migrations on a fresh connection."""
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            self._refuse_newer(version)
            mode = self._enable_wal(conn)
            if str(mode).lower() != "wal":
                raise StoreError(f"Kho dữ liệu {self.path} không chuyển được sang chế độ WAL "
                                 f"(đang ở chế độ {mode}); hãy đặt kho trên ổ đĩa cục bộ")
            if version < SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            hint = (" (tệp này không phải là kho SQLite của cchc)"
                    if "not a database" in str(exc) else "")
            raise StoreError(f"Không mở được kho dữ liệu {self.path}: {exc}{hint}") from exc

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> str:
        """Switch the file to WAL mode and return the journal mode now in force.

        The switch needs an exclusive lock and SQLite answers "database is
        locked" at once, without its busy handler, when another process holds
        the file (typically a second process opening the same new file), so
        the switch is retried here until the busy timeout runs out.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.005
        while True:
            try:
                return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Kho dữ liệu {self.path} có lược đồ phiên bản {version}, mới hơn phiên bản "
                f"{SCHEMA_VERSION} mà bản cchc này hiểu được; hãy cập nhật cchc "
                "(kho không bị thay đổi)")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Apply the missing migrations, each in its own ``BEGIN IMMEDIATE`` transaction.

        The version is read again inside the transaction, so two processes
        opening a new file at the same time apply each migration once.
        """
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                self._refuse_newer(version)
                if version >= SCHEMA_VERSION:
                    conn.execute("COMMIT")
                    return
                for stmt in _split_sql(MIGRATIONS[version]):
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection; :class:`StoreError` once the store is closed."""
        if self._conn is None:
            raise StoreError(f"Kho dữ liệu {self.path} đã đóng")
        return self._conn

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection; closing twice is harmless."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._conn is not None else "closed"
        return f"<Store {str(self.path)!r} {state}>"

    # ----------------------------------------------------------------- writes

    def ingest(self, sub: Submission, source_file: str | None = None, *,
               now: datetime | None = None) -> IngestResult:
        """Store a submission as the next revision of its (unit, period), unless unchanged.

        In one ``BEGIN IMMEDIATE`` transaction: if the latest revision has the
        same content hash, nothing is written (``unchanged``); otherwise the
        submission becomes revision latest + 1 (``new`` for revision 1,
        ``revised`` after that).  Older revisions are kept.  The period must be
        a canonical key such as ``2024-H1``.
        """
        return self.ingest_many([sub], source_file, now=now)[0]

    def ingest_many(self, subs: Iterable[Submission], source_file: str | None = None, *,
                    check_errors: Iterable[int | None] | None = None,
                    allow_older: bool = False,
                    now: datetime | None = None) -> list[IngestResult]:
        """Ingest several submissions (one file's) in a single transaction: all or none.

        ``check_errors`` (one count per submission) is recorded in the same transaction, so
        a stored revision never lacks its count.  A content identical to an *older* revision
        than the latest is refused unless ``allow_older``: re-sending last month's file
        would otherwise silently make the old figures current again.  ``now`` (an aware
        datetime) is recorded as ``ingested_at`` instead of the clock, for tests and imports
        of past receipts.
        """
        subs = list(subs)
        prepared = [self._prepare(sub) for sub in subs]
        counts = list(check_errors) if check_errors is not None else [None] * len(prepared)
        results = []
        with self._write() as conn:
            for (unit, period, payload, digest, illustrative), n in zip(prepared, counts):
                rows = conn.execute(
                    "SELECT revision, content_hash, ingested_at FROM submissions"
                    " WHERE unit_code = ? AND period = ? ORDER BY revision DESC",
                    (unit, period)).fetchall()
                row = rows[0] if rows else None
                if row is not None and row[1] == digest:
                    results.append(IngestResult(unit, period, row[0], "unchanged", digest))
                    continue
                older = next((r for r in rows[1:] if r[1] == digest), None)
                if older is not None and not allow_older:
                    raise StoreError(
                        f"Báo cáo của đơn vị {unit} kỳ {period} trùng nội dung lần nộp thứ "
                        f"{older[0]} (nạp lúc {older[2][:16].replace('T', ' ')}), cũ hơn bản "
                        f"đang dùng (lần nộp thứ {row[0]}). Không nạp, để bản cũ không thay "
                        "bản mới; nếu đúng là muốn quay lại bản cũ, chạy lại với --allow-older.")
                revision = 1 if row is None else row[0] + 1
                conn.execute(
                    "INSERT INTO submissions (unit_code, period, revision, content_hash, payload,"
                    " source_file, ingested_at, illustrative, check_errors)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (unit, period, revision, digest, payload,
                     None if source_file is None else str(source_file), _now(now), illustrative,
                     n))
                results.append(IngestResult(unit, period, revision,
                                            "new" if revision == 1 else "revised", digest))
        return results

    @staticmethod
    def _prepare(sub: Submission) -> tuple[str, str, str, str, int]:
        """Validate a submission for storing; its canonical payload and hash."""
        if not isinstance(sub, Submission):
            raise StoreError(f"Chỉ lưu được một Submission, không lưu được {type(sub).__name__}")
        unit, period = sub.unit_code, sub.period
        if not isinstance(unit, str) or not unit.strip():
            raise StoreError("Báo cáo thiếu mã đơn vị, không lưu vào kho được")
        try:
            key = parse_period(period).key
        except PeriodError as exc:
            raise StoreError(f"Báo cáo của đơn vị {unit} có kỳ không hợp lệ: {exc}") from exc
        if key != period:
            raise StoreError(f"Báo cáo của đơn vị {unit}: kỳ {period!r} cần viết theo dạng "
                             f"chuẩn {key!r} trước khi lưu vào kho")
        payload = to_json(sub)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        return unit, period, payload, digest, int(bool(sub.illustrative))

    def set_check_errors(self, unit_code: str, period: str, revision: int, n: int) -> None:
        """Record how many error findings the checks gave for one revision."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise StoreError(f"Số lỗi kiểm tra phải là số nguyên không âm, gặp {n!r}")
        period = _period_key(period)
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE submissions SET check_errors = ?"
                " WHERE unit_code = ? AND period = ? AND revision = ?",
                (n, unit_code, period, revision))
            if cur.rowcount == 0:
                raise StoreError(self._missing(unit_code, period, revision))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` … ``COMMIT`` block that rolls back on any exception."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # ------------------------------------------------------------------ reads

    def _missing(self, unit_code: str, period: str, revision: int | None = None) -> str:
        if revision is None:
            return f"Kho dữ liệu {self.path} không có báo cáo của đơn vị {unit_code} kỳ {period}"
        return (f"Kho dữ liệu {self.path} không có bản sửa đổi lần {revision} của báo cáo "
                f"đơn vị {unit_code} kỳ {period}")

    def load(self, unit_code: str, period: str, revision: int | None = None) -> Submission:
        """The stored submission of (unit, period): the latest revision, or ``revision``.

        Raises :class:`StoreError` naming the unit, period (and revision) when
        there is no such submission.
        """
        period = _period_key(period)
        if revision is None:
            row = self.conn.execute(
                "SELECT revision, payload FROM submissions WHERE unit_code = ? AND period = ?"
                " ORDER BY revision DESC LIMIT 1", (unit_code, period)).fetchone()
        else:
            row = self.conn.execute(
                "SELECT revision, payload FROM submissions"
                " WHERE unit_code = ? AND period = ? AND revision = ?",
                (unit_code, period, revision)).fetchone()
        if row is None:
            raise StoreError(self._missing(unit_code, period, revision))
        return self._decode(unit_code, period, row[0], row[1])

    @staticmethod
    def _decode(unit_code: str, period: str, revision: int, payload: str) -> Submission:
        origin = f"store:{unit_code}/{period}#r{revision}"
        try:
            raw = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise StoreError(f"{origin}: dữ liệu lưu trong kho bị hỏng ({exc})") from exc
        return from_dict(raw, origin=origin)

    def revisions(self, unit_code: str, period: str) -> list[RevisionInfo]:
        """Every stored revision of (unit, period), oldest first; empty if none."""
        rows = self.conn.execute(
            f"SELECT {_REVISION_COLUMNS} FROM submissions WHERE unit_code = ? AND period = ?"
            " ORDER BY revision", (unit_code, _period_key(period))).fetchall()
        return [_revision_info(r) for r in rows]

    def latest(self, period: str | None = None,
               unit_codes: Iterable[str] | None = None) -> list[LatestInfo]:
        """The latest revision of each (unit, period), with its revision count.

        Optionally only one period and/or only the given unit codes.  Ordered
        chronologically by period, then by unit code.
        """
        where, params = "", []
        if period is not None:
            where, params = "WHERE period = ?", [_period_key(period)]
        rows = self.conn.execute(
            f"SELECT {', '.join('s.' + c.strip() for c in _REVISION_COLUMNS.split(','))}, c.n"
            " FROM submissions AS s JOIN ("
            "   SELECT unit_code, period, MAX(revision) AS rev, COUNT(*) AS n"
            f"  FROM submissions {where} GROUP BY unit_code, period"
            " ) AS c ON s.unit_code = c.unit_code AND s.period = c.period"
            " AND s.revision = c.rev", params).fetchall()
        if unit_codes is not None:
            wanted = {unit_codes} if isinstance(unit_codes, str) else set(unit_codes)
            rows = [r for r in rows if r[0] in wanted]
        out = [LatestInfo(unit, per, rev, digest, source, at, bool(illustrative), errors, n)
               for unit, per, rev, digest, source, at, illustrative, errors, n in rows]
        out.sort(key=lambda i: (_period_order(i.period), i.unit_code))
        return out

    def load_latest_all(self, period: str) -> list[Submission]:
        """The latest revision of every unit's submission for ``period``, by unit code."""
        period = _period_key(period)
        rows = self.conn.execute(
            "SELECT s.unit_code, s.revision, s.payload FROM submissions AS s"
            " WHERE s.period = ? AND s.revision = ("
            "   SELECT MAX(t.revision) FROM submissions AS t"
            "   WHERE t.unit_code = s.unit_code AND t.period = s.period)"
            " ORDER BY s.unit_code", (period,)).fetchall()
        return [self._decode(unit, period, rev, payload) for unit, rev, payload in rows]

    def periods(self) -> list[str]:
        """The distinct periods in the store, oldest first."""
        rows = self.conn.execute("SELECT DISTINCT period FROM submissions").fetchall()
        return sorted((r[0] for r in rows), key=_period_order)

    def units(self, period: str | None = None) -> list[str]:
        """The distinct unit codes in the store (for one period if given), sorted."""
        if period is None:
            rows = self.conn.execute("SELECT DISTINCT unit_code FROM submissions").fetchall()
        else:
            rows = self.conn.execute("SELECT DISTINCT unit_code FROM submissions WHERE period = ?",
                                     (_period_key(period),)).fetchall()
        return sorted(r[0] for r in rows)

    def count(self) -> int:
        """How many revisions (rows) the store holds in all."""
        return self.conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the store at ``path`` (see :func:`resolve_store_path`); same as :meth:`Store.open`.

    ``create=False`` for readers: a store that does not exist is an error, not made empty.
    """
    return Store(path, create=create)
