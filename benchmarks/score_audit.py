"""Score `cchc audit` on the hand-written corpus (run by hand, never in the test suite).

    .venv/bin/python benchmarks/score_audit.py            # the table
    .venv/bin/python benchmarks/score_audit.py --verbose  # and every miss and false alarm

The corpus is ``tests/audit_corpus/`` (see ``tests/corpuskit.py``): short report texts of
communes, wards, provinces and a Sở, with one or a few mistakes planted in each and correct
figures that must stay silent.  Each text is audited through the function `cchc audit` calls
(:func:`cchc_lib.audit.audit_file`).

Printed: per class of mistake (issue #16) how many were planted, how many found and the
recall; false alarms (findings nothing planted, by severity); silent claims broken (a correct
figure an error or warning points at, or that the audit did not check); periods misread;
crashes.  Exit code 1 when a class is under 90 % recall, or there is a false-alarm error, a
broken silent claim or a crash.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpuskit import CLASSES, cases, score  # noqa: E402

GOAL = 0.90


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args(argv)

    scores = [score(c) for c in cases()]
    planted, found = Counter(), Counter()
    for s in scores:
        planted.update(i.get("class", "other") for i in s.case.expected)
        found.update(i.get("class", "other") for i in s.found)
    false = Counter(u[0] for s in scores for u in s.unexpected)
    broken = sum(len(s.broken) for s in scores)
    misread = [s for s in scores if s.period != str(s.case.spec.get("period"))]
    crashes = [s for s in scores if s.crash]
    silent = sum(len(s.case.spec.get("silent") or []) for s in scores)

    print(f"cchc audit on {len(scores)} texts of tests/audit_corpus\n")
    print(f"{'class':<10}{'planted':>9}{'found':>7}{'recall':>8}")
    low = []
    for cls in [*CLASSES, *sorted(set(planted) - set(CLASSES))]:
        n, k = planted[cls], found[cls]
        recall = k / n if n else 1.0
        if cls in CLASSES and recall < GOAL:
            low.append(cls)
        print(f"{cls:<10}{n:>9}{k:>7}{recall:>8.0%}")
    total_n, total_k = sum(planted.values()), sum(found.values())
    print(f"{'all':<10}{total_n:>9}{total_k:>7}{total_k / max(total_n, 1):>8.0%}\n")
    print(f"false alarms: {false['error']} errors, {false['warning']} warnings, "
          f"{false['note']} notes")
    print(f"silent claims: {silent}, broken {broken}")
    print(f"periods misread: {len(misread)}")
    print(f"crashes: {len(crashes)}")

    if args.verbose:
        for s in scores:
            lines = []
            if s.crash:
                lines.append(f"  CRASH {s.crash}")
            if s in misread:
                lines.append(f"  period read {s.period}, expected {s.case.spec.get('period')}")
            lines += [f"  MISSED {i.get('class')} {i['rule']} {i.get('at')!r}" for i in s.missed]
            lines += [f"  FALSE {sev} {rule}: {msg}  [{ex}]"
                      for sev, rule, ex, msg in s.unexpected]
            lines += [f"  BROKEN {b}" for b in s.broken]
            if lines:
                print(f"\n{s.case.name}")
                print("\n".join(lines))
    bad = low or false["error"] or broken or crashes or misread
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
