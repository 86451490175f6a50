"""The audit corpus (``tests/audit_corpus/``): short report texts written by hand, each with the
mistakes planted in it and the correct figures that must stay silent; and how an audit's result
is scored against them.  Used by ``tests/test_audit_corpus.py`` and ``benchmarks/score_audit.py``.

A case is ``NNN_slug.txt`` (the text, UTF-8, as an office would type or paste it) and
``NNN_slug.yaml``::

    about: what the case is
    period: 2026-9M                 # the period the audit must read from the text
    expect:                         # the mistakes planted, each found by exactly one finding
      - class: share                # share, count, period, gap, window, spelling (or other)
        rule: rate.mismatch
        severity: error
        at: "trực tuyến 1.020 hồ sơ"  # in the finding's excerpt (or its message)
        figures: ["85%", "1.020/1.250 = 81,6%"]   # in its message
    allow:                          # findings that may appear (notes where the text is unclear)
      - rule: claim.unsure
    silent:                         # correct figures: no error or warning points at them
      - at: "48.112"
        holds: rate.mismatch        # and the audit checked them and found them right
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent / "audit_corpus"
#: The classes of mistakes of issue #16, in the order the score lists them.
CLASSES = ("share", "count", "period", "gap", "window", "spelling")


@dataclass(frozen=True)
class Case:
    name: str
    text: Path
    spec: dict

    @property
    def expected(self) -> list[dict]:
        return list(self.spec.get("expect") or [])


def cases() -> list[Case]:
    """Every case of the corpus, in the order of their names."""
    out = []
    for spec_path in sorted(CORPUS.glob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        out.append(Case(spec_path.stem, spec_path.with_suffix(".txt"), spec))
    return out


@dataclass
class Score:
    """What the audit of one case found against what the case expects."""

    case: Case
    found: list[dict] = field(default_factory=list)  # expected items found
    missed: list[dict] = field(default_factory=list)  # expected items not found
    unexpected: list[tuple[str, str, str, str]] = field(default_factory=list)
    #   (severity, rule, excerpt, message) of findings nothing expects or allows
    broken: list[str] = field(default_factory=list)  # silent claims spoken of, or not checked
    period: str | None = None  # the period the audit read
    crash: str = ""


def _hits(item: dict, rule: str, severity: str, excerpt: str, message: str) -> bool:
    if item.get("rule") and item["rule"] != rule:
        return False
    if item.get("severity") and item["severity"] != severity:
        return False
    at = item.get("at")
    if at and at not in excerpt and at not in message:
        return False
    return all(f in message for f in item.get("figures") or [])


def score(case: Case) -> Score:
    """Audit the case's text (as `cchc audit` does) and score the result."""
    from cchc_lib.audit import audit_file

    result = Score(case)
    try:
        audited = audit_file(case.text)
    except Exception as exc:  # noqa: BLE001 — a crash is what is being counted
        result.crash = f"{type(exc).__name__}: {exc}"
        result.missed = case.expected
        return result
    ctx = audited.context
    result.period = ctx.period.key if ctx.period else None
    noted = [(n.finding.rule, n.finding.severity, n.excerpt, n.finding.message)
             for n in audited.noted]
    used: set[int] = set()
    for item in case.expected:
        k = next((k for k, n in enumerate(noted) if k not in used and _hits(item, *n)), None)
        if k is None:
            result.missed.append(item)
        else:
            used.add(k)
            result.found.append(item)
    allowed = case.spec.get("allow") or []
    for k, (rule, severity, excerpt, message) in enumerate(noted):
        if k in used or any(_hits(a, rule, severity, excerpt, message) for a in allowed):
            continue
        result.unexpected.append((severity, rule, excerpt, message))
    for item in case.spec.get("silent") or []:
        at = item["at"]
        loud = [u for u in result.unexpected if u[0] in ("error", "warning")
                and (at in u[2] or at in u[3])]
        if loud:
            result.broken.append(f"{at!r}: {loud[0][1]} {loud[0][3]}")
        holds = item.get("holds")
        if holds and not any(c.ok and c.rule == holds and at in c.excerpt
                             for c in audited.claims):
            result.broken.append(f"{at!r}: not checked by {holds}")
    return result
