"""``render.json``: what became of a job, kept beside its outputs.

It is written last, after every output file, so that its ``hash`` vouches for the files beside
it: a job whose state has the job's hash, status ``rendered`` and all its files present is up to
date and skipped.  A failed job, or one whose data changed while it was made, keeps no hash.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cchc_lib.batch.jobs import Job
from cchc_lib.files import atomic_path

__all__ = ["STATE_FILE", "Outcome", "read_state", "up_to_date", "write_state", "outcome_dict"]

STATE_FILE = "render.json"


@dataclass(frozen=True)
class Outcome:
    """What became of a job: ``rendered``, ``skipped`` (unchanged) or ``failed``."""

    job: Job
    status: str
    files: dict[str, str] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    warnings: tuple[str, ...] = ()  # rendered, but a person should look (a very long PDF …)


def state_path(job: Job) -> Path:
    return Path(job.out_dir) / STATE_FILE


def read_state(job: Job) -> dict | None:
    try:
        return json.loads(state_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def up_to_date(job: Job) -> dict | None:
    """The job's state if its outputs are those of its current inputs, else None."""
    state = read_state(job)
    if not state or state.get("hash") != job.input_hash or state.get("status") != "rendered":
        return None
    if not all((Path(job.out_dir) / name).is_file() for name in state.get("files", {}).values()):
        return None
    return state


def write_state(outcome: Outcome, *, stale: bool = False) -> None:
    """Write ``render.json`` (atomically); a report made while its inputs changed keeps no
    hash, so the next run makes it again."""
    job = outcome.job
    state = {"hash": job.input_hash if outcome.status == "rendered" and not stale else None,
             "status": outcome.status, "notebook": job.params.notebook,
             "unit_code": job.unit_code, "unit": job.unit_name, "period": job.period,
             "files": outcome.files, "figures": outcome.figures, "error": outcome.error,
             "warnings": list(outcome.warnings),
             "seconds": round(outcome.seconds, 2), "timings": outcome.timings,
             "rendered_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with atomic_path(state_path(job)) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")


def outcome_dict(o: Outcome) -> dict:
    """A JSON-friendly view of an outcome (for ``--format json`` and tests)."""
    d = asdict(o)
    d["job"] = {k: v for k, v in d["job"].items() if k not in ("params", "source")}
    return d
