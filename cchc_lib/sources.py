"""What a report is made from: one place that finds its data, reads it and says what it read.

A *reference* names a report's data without reading it:

- :class:`SubmissionRef`, for a commune report: one unit and period from the shipped sample,
  the store or a workbook; from the store also the unit's earlier periods of the same era,
  which the report's trend chart draws, and, for a unit made on 1 July 2025, its predecessors'
  submissions of the periods before, added up into baselines (:mod:`cchc_lib.baseline`);
- :class:`DistrictRef`, for an overview: every commune under a district or province, in the
  period, the previous one and the same period last year (across 1 July 2025: the baselines
  of the new units, from their predecessors' submissions);
- :class:`TrendsRef`, for the trends notebook: the same communes over a range of periods.

``read()`` takes a :class:`Snapshot` (the submissions as canonical JSON, or the error reading
them gave), ``load()`` turns it into model objects, and ``identity()`` is the hash of exactly
what ``read()`` reads: a report is made again when, and only when, something it shows changed.

The batch reads each snapshot once, on the machine that holds the store, and sends it with the
render task; the worker hands it to its kernel (:func:`provide_file`), so that the notebook's
``load()`` uses it instead of opening the store: a worker needs no shared file system.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from cchc_lib import errors, lineage, periods, units
from cchc_lib.baseline import Baseline, build_baseline, crosses_break
from cchc_lib.errors import CchcError, PeriodError, StoreError
from cchc_lib.model import Period, Submission, Unit

if TYPE_CHECKING:  # pragma: no cover
    from cchc_lib.store import Store

__all__ = ["SOURCES", "SubmissionRef", "DistrictRef", "TrendsRef", "Snapshot", "Loaded",
           "LoadedDistrict", "LoadedTrends",
           "StoreCache", "provide", "provide_file", "sample_submission", "file_submissions",
           "stored_history", "stored_submissions"]

SOURCES = ("sample", "store", "workbook")


class Loaded(NamedTuple):
    """A commune report's data: the submission, its unit and period, and the earlier periods.

    For a unit made on 1 July 2025, ``history`` holds, before its own periods, the comparable
    baselines of the periods before (their submissions carry the unit's code);
    ``baselines`` is every baseline built, comparable or not, for notes and charts.
    """

    sub: Submission
    unit: Unit
    period: Period
    history: list[Submission]
    baselines: tuple[Baseline, ...] = ()


class LoadedDistrict(NamedTuple):
    """An overview's data: the parent, the period, the communes expected, what they sent, and
    what they sent in the previous period and the same period last year.

    Across 1 July 2025 the earlier lists hold the comparable baselines of the new units (the
    sums of their predecessors' submissions); ``baselines`` is every baseline built.
    """

    parent: Unit
    period: Period
    expected: list[Unit]
    subs: list[Submission]
    previous: list[Submission]
    last_year: list[Submission] = []
    baselines: tuple[Baseline, ...] = ()


def _abs(path: str | Path) -> str:
    """An absolute path, spelled the same on every machine (no symlink resolution)."""
    return os.path.abspath(os.path.expanduser(str(path)))


def _era(period_key: str) -> str:
    return units.era_for(periods.parse_period(period_key).last_day)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identity(entries, error: tuple[str, str] | None) -> str:
    """The hash of what was read: each (unit, period, content hash), and whether it failed.

    A failure counts by its kind only: a failed report is made again on every run anyway,
    and the message may name the store as it was spelled by whoever opened it.
    """
    data = {"entries": sorted([u, p, h] for u, p, h in entries),
            "error": error[0] if error else None}
    return _sha(json.dumps(data, ensure_ascii=False))


def _error_of(exc: CchcError) -> tuple[str, str]:
    return type(exc).__name__, str(exc)


def _raise(error: tuple[str, str]):
    """Raise again, in another process, the error that reading the data gave."""
    name, message = error
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, CchcError)):
        cls = CchcError
    try:
        exc = cls(message)
    except TypeError:  # pragma: no cover - an error class that needs more than a message
        exc = CchcError(message)
    raise exc


class StoreCache:
    """Stores opened once and kept open for many reads (a batch), closed together."""

    def __init__(self) -> None:
        self._open: dict[str, Store] = {}

    def get(self, path: str | Path) -> "Store":
        from cchc_lib.store import open_store

        key = _abs(path)
        if key not in self._open:
            self._open[key] = open_store(key, create=False)
        return self._open[key]

    def close(self) -> None:
        for store in self._open.values():
            store.close()
        self._open.clear()

    def __enter__(self) -> "StoreCache":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _store(path: str, stores: StoreCache | None):
    """A context manager giving the store at ``path``: from ``stores``, or opened for the block."""
    if stores is not None:
        return nullcontext(stores.get(path))
    from cchc_lib.store import open_store

    return open_store(path, create=False)


# ------------------------------------------------------------------------------- the snapshot

@dataclass(frozen=True)
class Snapshot:
    """What a reference read: ``(unit, period, content hash, canonical JSON)`` per submission,
    or the error reading gave (its class name and message), shown again by :meth:`load`."""

    ref: "Ref"
    entries: tuple[tuple[str, str, str, str], ...] = ()
    error: tuple[str, str] | None = None

    @property
    def identity(self) -> str:
        return _identity([(u, p, h) for u, p, h, _ in self.entries], self.error)

    def submissions(self) -> dict[tuple[str, str], Submission]:
        """The submissions read, by (unit code, period)."""
        from cchc_lib.serialize import from_dict

        return {(u, p): from_dict(json.loads(payload), origin=f"store:{u}/{p}")
                for u, p, _, payload in self.entries}

    def load(self):
        """The model objects the reference describes; the reading's error, if it failed."""
        if self.error is not None:
            _raise(self.error)
        return self.ref._from_snapshot(self)

    def to_json(self) -> str:
        kind = next(k for k, cls in _REF_TYPES.items() if isinstance(self.ref, cls))
        return json.dumps({"ref": {"type": kind, **asdict(self.ref)},
                           "entries": [list(e) for e in self.entries],
                           "error": list(self.error) if self.error else None},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Snapshot":
        raw = json.loads(text)
        ref = dict(raw["ref"])
        ref_cls = _REF_TYPES[ref.pop("type")]
        return cls(ref_cls(**ref), tuple(tuple(e) for e in raw["entries"]),
                   tuple(raw["error"]) if raw["error"] else None)


def _entry(sub: Submission, content_hash: str | None = None) -> tuple[str, str, str, str]:
    from cchc_lib.serialize import to_json

    payload = to_json(sub)
    return sub.unit_code, sub.period, content_hash or _sha(payload), payload


# A snapshot handed to this process by the batch worker (see the module's docstring).
_PROVIDED: Snapshot | None = None


def provide(snapshot: Snapshot | None) -> None:
    """Make ``load()`` use ``snapshot`` for its reference (None: read sources again)."""
    global _PROVIDED
    _PROVIDED = snapshot


def provide_file(path: str | Path) -> None:
    """:func:`provide` the snapshot written to ``path`` (by the batch worker, for its kernel)."""
    provide(Snapshot.from_json(Path(path).read_text(encoding="utf-8")))


def _provided(ref: "Ref") -> Snapshot | None:
    if _PROVIDED is None:
        return None
    if _PROVIDED.ref != ref:
        # a batch worker's kernel must never fall back to a store it may not be able to see
        raise CchcError(f"Dữ liệu giao cho notebook là của {_PROVIDED.ref}, không phải {ref}")
    return _PROVIDED


class _Ref:
    """What both references share: read with or without capturing errors, load, identity."""

    def read(self, stores: StoreCache | None = None, *, capture: bool = False) -> Snapshot:
        """Read the data now.  With ``capture`` a user's error (a missing submission or store, a
        workbook without the unit) is kept in the snapshot instead of raised, so that the
        report that needs it fails with it, alone."""
        try:
            return self._read(stores)
        except CchcError as exc:
            if not capture:
                raise
            return Snapshot(self, (), _error_of(exc))

    def load(self, stores: StoreCache | None = None):
        """The model objects: from the snapshot the batch provided, else read now."""
        snapshot = _provided(self)
        return (snapshot or self.read(stores)).load()

    def identity(self, stores: StoreCache | None = None) -> str:
        """The hash of exactly what :meth:`read` reads now (``read().identity``)."""
        return self.read(stores, capture=True).identity


# ------------------------------------------------------------------------------- commune report

@dataclass(frozen=True)
class SubmissionRef(_Ref):
    """One commune report's data: a unit (its code) and a period (its key) from a source.

    ``store`` (an absolute path) is set only for the store, ``workbook`` only for a workbook.
    """

    source: str
    unit: str
    period: str
    store: str = ""
    workbook: str = ""

    @classmethod
    def for_report(cls, unit: str, period: str, *, source: str = "sample",
                   store: str | Path | None = None,
                   workbook: str | Path | None = None) -> "SubmissionRef":
        """The reference a notebook's parameters name; a clear error for a bad one."""
        from cchc_lib.lineage import resolve_unit
        from cchc_lib.store import resolve_store_path

        if source not in SOURCES:
            raise CchcError(f"Nguồn dữ liệu {source!r} không hợp lệ; chọn một trong {SOURCES}")
        p = periods.parse_period(period)
        # a commune: wards 4, 8, 25 and 91 of Hà Nội share their codes with provinces
        # a unit named as it was before (or after) 1 July 2025 is followed to the period's era
        u = resolve_unit(str(unit), p, level="commune").unit
        if source == "workbook" and not workbook:
            raise CchcError("Nguồn 'workbook' cần đường dẫn sổ tính (tham số workbook)")
        return cls(source, u.code, p.key,
                   store=_abs(resolve_store_path(store)) if source == "store" else "",
                   workbook=_abs(workbook) if source == "workbook" else "")

    def unit_record(self) -> Unit:
        return units.get_unit(self.unit, era=_era(self.period), level="commune")

    def _is_history(self, key: str) -> bool:
        """An earlier period of the same era: what the trend chart draws before this one."""
        try:
            p = periods.parse_period(key)
        except PeriodError:
            return False
        return (units.era_for(p.last_day) == _era(self.period)
                and periods.sort_key(p) < periods.sort_key(self.period))

    def _stored(self, st: "Store"):
        """The latest revision of this period and of each earlier one that the store holds;
        for a unit made on 1 July 2025, also its predecessors' of every period before."""
        keys = st.periods()
        own = [k for k in keys if k == self.period or self._is_history(k)]
        infos = [revs[-1] for k in own if (revs := st.revisions(self.unit, k))]
        before = [k for k in keys if self._is_before_break(k)]
        olds = dict.fromkeys(link.old for link in lineage.predecessors(self.unit)) \
            if before else {}
        return infos + [revs[-1] for k in before for old in olds
                        if (revs := st.revisions(old, k))]

    def _is_before_break(self, key: str) -> bool:
        """A period before 1 July 2025 when this report's is after: its baseline's period."""
        try:
            return crosses_break(self.period, key)
        except PeriodError:
            return False

    def _missing(self, st: "Store", infos) -> tuple[str, str] | None:
        if any(i.period == self.period for i in infos):
            return None
        try:
            st.load(self.unit, self.period)
        except StoreError as exc:
            return _error_of(exc)
        return None  # pragma: no cover - ingested between the two reads

    def identity(self, stores: StoreCache | None = None) -> str:
        if self.source != "store":
            return super().identity(stores)
        # from the stored hashes alone, without decoding a submission
        with _store(self.store, stores) as st:
            infos = self._stored(st)
            return _identity([(i.unit_code, i.period, i.content_hash) for i in infos],
                             self._missing(st, infos))

    def _read(self, stores: StoreCache | None) -> Snapshot:
        if self.source == "store":
            with _store(self.store, stores) as st:
                infos = self._stored(st)
                error = self._missing(st, infos)
                entries = tuple(_entry(st.load(i.unit_code, i.period, i.revision),
                                       i.content_hash) for i in infos)
            return Snapshot(self, entries, error)
        if self.source == "sample":
            sub = sample_submission()
            if (sub.unit_code, sub.period) != (self.unit, self.period):
                raise CchcError(f"Dữ liệu mẫu là của đơn vị {sub.unit_code} kỳ {sub.period}, "
                                f"không phải {units.unit_title(self.unit_record())} "
                                f"({self.unit}) kỳ {self.period}")
        else:
            subs = file_submissions(self.workbook)
            sub = next((s for s in subs if (s.unit_code, s.period) == (self.unit, self.period)),
                       None)
            if sub is None:
                raise CchcError(f"Tệp {self.workbook} không có báo cáo của "
                                f"{units.unit_title(self.unit_record())} ({self.unit}) "
                                f"kỳ {self.period}")
        return Snapshot(self, (_entry(sub),))

    def _from_snapshot(self, snapshot: Snapshot) -> Loaded:
        subs = snapshot.submissions()
        sub = subs.pop((self.unit, self.period))
        history, baselines = self._history(subs)
        return Loaded(sub, self.unit_record(), periods.parse_period(self.period), history,
                      baselines)

    def _history(self, subs: dict[tuple[str, str], Submission]
                 ) -> tuple[list[Submission], tuple[Baseline, ...]]:
        """The unit's earlier reports (oldest first), with the comparable baselines in place
        of the periods before 1 July 2025, and every baseline built."""
        own = [s for (u, p), s in subs.items() if u == self.unit and not self._is_before_break(p)]
        olds = {}
        for (u, p), s in subs.items():
            if self._is_before_break(p):
                olds.setdefault(p, {})[u] = s
        baselines = tuple(build_baseline(self.unit, p, olds[p])
                          for p in sorted(olds, key=periods.sort_key))
        history = sorted([*own, *(b.sub for b in baselines if b.comparable)],
                         key=lambda s: periods.sort_key(s.period))
        return history, baselines


# ------------------------------------------------------------------------------- many units

class _ManyUnits(_Ref):
    """What the overview and the trends share: every commune expected under a parent in some
    periods (:meth:`_keys`); for a period before 1 July 2025 when the last period (``period``)
    is after it, the communes' predecessors, whose submissions become the communes' baselines.
    A subclass has ``period`` (the last period: the era of the communes), ``store`` and the
    communes it ``expected()``.
    """

    def expected(self) -> list[Unit]:
        raise NotImplementedError

    def _keys(self, st: "Store") -> list[str]:
        raise NotImplementedError

    def _stored(self, st: "Store"):
        expected = {u.code for u in self.expected()}
        olds = {link.old for code in expected for link in lineage.predecessors(code)}
        infos = []
        for key in self._keys(st):
            codes = olds if crosses_break(self.period, key) else expected
            infos += [i for i in st.latest(key) if i.unit_code in codes]
        return infos

    def identity(self, stores: StoreCache | None = None) -> str:
        with _store(self.store, stores) as st:
            return _identity([(i.unit_code, i.period, i.content_hash)
                              for i in self._stored(st)], None)

    def _read(self, stores: StoreCache | None) -> Snapshot:
        with _store(self.store, stores) as st:
            entries = tuple(_entry(st.load(i.unit_code, i.period, i.revision), i.content_hash)
                            for i in self._stored(st))
        return Snapshot(self, entries)

    def _by_period(self, snapshot: Snapshot
                   ) -> tuple[dict[str, list[Submission]], list[Baseline]]:
        """The submissions read, by period (in unit order), the comparable baselines in place
        of the predecessors' across 1 July 2025; and every baseline built."""
        subs = snapshot.submissions()
        expected = self.expected()
        by_period: dict[str, list[Submission]] = {}
        baselines: list[Baseline] = []
        for key in sorted({p for _, p in subs}, key=periods.sort_key):
            got = {u: s for (u, p), s in sorted(subs.items()) if p == key}
            if not crosses_break(self.period, key):
                by_period[key] = list(got.values())
                continue
            built = [build_baseline(u.code, key, got) for u in expected]
            baselines += built
            by_period[key] = [b.sub for b in built if b.comparable]
        return by_period, baselines


# ------------------------------------------------------------------------------- overview

@dataclass(frozen=True)
class DistrictRef(_ManyUnits):
    """An overview's data: every commune under ``parent`` (a code) in ``period`` and the one
    before, from the store at ``store`` (an absolute path)."""

    parent: str
    period: str
    store: str

    @classmethod
    def for_overview(cls, parent: str, period: str, *,
                     store: str | Path | None = None) -> "DistrictRef":
        from cchc_lib.store import resolve_store_path

        p = periods.parse_period(period)
        parent_unit = units.find_unit(str(parent), era=units.era_for(p.last_day))
        if parent_unit.level == "commune":
            raise CchcError(f"{units.unit_title(parent_unit)} là đơn vị cấp xã; cần mã huyện "
                            "hoặc tỉnh")
        return cls(parent_unit.code, p.key, _abs(resolve_store_path(store)))

    def unit_record(self) -> Unit:
        return units.get_unit(self.parent, era=_era(self.period))

    def expected(self) -> list[Unit]:
        return units.children(self.parent, era=_era(self.period), level="commune")

    def comparison_periods(self) -> tuple[str, ...]:
        """The previous period and the same period last year (once when they are the same:
        6 tháng, 9 tháng, năm); a period before the supported years is left out."""
        keys = []
        for step in (periods.previous, periods.same_period_last_year):
            try:
                keys.append(step(self.period).key)
            except PeriodError:
                continue
        return tuple(dict.fromkeys(keys))

    def _keys(self, st: "Store") -> list[str]:
        return [self.period, *self.comparison_periods()]

    def _from_snapshot(self, snapshot: Snapshot) -> LoadedDistrict:
        by_period, baselines = self._by_period(snapshot)
        keys = self.comparison_periods()
        return LoadedDistrict(self.unit_record(), periods.parse_period(self.period),
                              self.expected(), by_period.get(self.period, []),
                              by_period.get(keys[0], []) if keys else [],
                              by_period.get(keys[-1], []) if len(keys) > 1 else [],
                              tuple(baselines))


# ------------------------------------------------------------------------------- trends

class LoadedTrends(NamedTuple):
    """A range of periods of one parent: the periods the store holds in the range (oldest
    first), the communes (of the last period's era), and what they sent in each period.

    For a period before 1 July 2025 and a parent after it, a new unit's submission is its
    comparable baseline (the sum of its predecessors'); ``baselines`` is every one built.
    """

    parent: Unit
    periods: list[Period]
    expected: list[Unit]
    subs: dict[str, list[Submission]]  # period key → submissions (units of ``expected``)
    baselines: tuple[Baseline, ...] = ()


@dataclass(frozen=True)
class TrendsRef(_ManyUnits):
    """The data of a parent's trends: every commune under ``parent`` (a code, in the era of
    ``period_to``) in every period from ``period_from`` to ``period_to`` that the store holds
    (across 1 July 2025: the new units' predecessors' submissions before it)."""

    parent: str
    period_from: str
    period_to: str
    store: str

    @classmethod
    def for_trends(cls, parent: str, period_from: str, period_to: str, *,
                   store: str | Path | None = None) -> "TrendsRef":
        from cchc_lib.store import resolve_store_path

        first, last = periods.parse_period(period_from), periods.parse_period(period_to)
        if periods.sort_key(first) > periods.sort_key(last):
            raise PeriodError(f"Kỳ đầu {first.key} nằm sau kỳ cuối {last.key}")
        parent_unit = units.find_unit(str(parent), era=units.era_for(last.last_day))
        if parent_unit.level == "commune":
            raise CchcError(f"{units.unit_title(parent_unit)} là đơn vị cấp xã; cần mã huyện "
                            "hoặc tỉnh")
        return cls(parent_unit.code, first.key, last.key, _abs(resolve_store_path(store)))

    @property
    def period(self) -> str:
        """The last period: the one the batch files the report under."""
        return self.period_to

    def unit_record(self) -> Unit:
        return units.get_unit(self.parent, era=_era(self.period_to))

    def expected(self) -> list[Unit]:
        return units.children(self.parent, era=_era(self.period_to), level="commune")

    def in_range(self, key: str) -> bool:
        try:
            k = periods.sort_key(key)
        except PeriodError:
            return False
        return periods.sort_key(self.period_from) <= k <= periods.sort_key(self.period_to)

    def _keys(self, st: "Store") -> list[str]:
        return sorted((k for k in st.periods() if self.in_range(k)), key=periods.sort_key)

    def _from_snapshot(self, snapshot: Snapshot) -> LoadedTrends:
        by_period, baselines = self._by_period(snapshot)
        keys = sorted(by_period, key=periods.sort_key)
        return LoadedTrends(self.unit_record(), [periods.parse_period(k) for k in keys],
                            self.expected(), {k: by_period[k] for k in keys}, tuple(baselines))


Ref = Union[SubmissionRef, DistrictRef, TrendsRef]
_REF_TYPES = {"submission": SubmissionRef, "district": DistrictRef, "trends": TrendsRef}


# ------------------------------------------------------------------------------- for `cchc check`

def sample_submission() -> Submission:
    """The shipped sample: the seed report of xã Đắk Ha, 6 tháng đầu năm 2024."""
    from cchc_lib.serialize import load_sample

    return load_sample()


def file_submissions(path: str | Path) -> list[Submission]:
    """Every submission a workbook (.xlsx), CSV or YAML file holds."""
    from cchc_lib.reader import read_file

    return [r.submission for r in read_file(Path(path))]


def stored_history(st: "Store", unit_code: str, period: str) -> list[Submission]:
    """The unit's earlier stored reports as its report's check sheet sees them: its own
    earlier periods of the same era and, across 1 July 2025, the comparable sums of its
    predecessors.  What the ``period.*`` rules compare with in `cchc check`, at ingest and
    in the report, so that the three agree."""
    ref = SubmissionRef("store", unit_code, periods.parse_period(period).key)
    subs = {(i.unit_code, i.period): st.load(i.unit_code, i.period, i.revision)
            for i in ref._stored(st) if (i.unit_code, i.period) != (ref.unit, ref.period)}
    return ref._history(subs)[0]


def stored_submissions(st: "Store", period: str,
                       unit: str | None = None) -> list[tuple[Any, Submission]]:
    """The latest submission of every unit for a period (or of one unit, by code or name),
    each with the revision it was read from, so that what is recorded about it (the number
    of check errors) lands on that revision even if another arrives meanwhile."""
    key = periods.parse_period(period).key
    infos = st.latest(key)
    if unit is not None:
        code = units.find_unit(str(unit), era=_era(key)).code
        infos = [i for i in infos if i.unit_code == code]
        if not infos:
            st.load(code, key)  # raises the store's own "no such submission" error
    return [(i, st.load(i.unit_code, i.period, i.revision)) for i in infos]
