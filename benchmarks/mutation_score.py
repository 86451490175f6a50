"""The mutation score of the pure core, per module, from the last `make mutate` (mutmut 3).

    make mutate                                  # mutmut run --max-children 1, then this
    .venv/bin/python benchmarks/mutation_score.py [--survivors]

Reads mutmut's results (``mutants/<module>.py.meta``) for the modules ``[tool.mutmut]
only_mutate`` names in pyproject.toml, and the equivalent mutants explained in
``tests/MUTANTS.md`` (a line per mutant, its name in backquotes).  Per module: mutants, killed,
survived, equivalent (survivors listed in MUTANTS.md), not tested, and the score

    killed / (mutants − equivalent − not checked)

Run by hand, never in CI.  Exit status 1 when a module scores under --min (default 90).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1, 3, 24, -24, 36, 37, 152, 255, -11, -9}  # test failed, timeout, type check, crash
SURVIVED = {0}
NOT_TESTED = {5, 33}  # no test reaches the mutant
NOT_CHECKED = {None, 2, 34}  # not run yet, interrupted, skipped
_NAME = re.compile(r"`(cchc_lib\.[\w.]+__mutmut_\d+)`")


def equivalent_mutants(path: Path = ROOT / "tests" / "MUTANTS.md") -> set[str]:
    """The mutant names tests/MUTANTS.md explains as equivalent."""
    if not path.exists():
        return set()
    return set(_NAME.findall(path.read_text(encoding="utf-8")))


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["mutmut"]["only_mutate"]


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / f"{module}.meta"
    if not meta.exists():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def score_rows(equivalent: set[str]) -> list[dict]:
    rows = []
    for module in modules():
        codes = results(module)
        row = {"module": module, "mutants": len(codes), "killed": 0, "survived": 0,
               "equivalent": 0, "not tested": 0, "not checked": 0, "survivors": []}
        for name, code in sorted(codes.items()):
            if code in KILLED:
                row["killed"] += 1
            elif code in NOT_CHECKED:
                row["not checked"] += 1
            elif name in equivalent:
                row["equivalent"] += 1
            elif code in NOT_TESTED:
                row["not tested"] += 1
                row["survivors"].append(name)
            else:  # survived, or suspicious: counted against the score
                row["survived"] += 1
                row["survivors"].append(name)
        judged = row["mutants"] - row["equivalent"] - row["not checked"]
        row["score"] = 100.0 * row["killed"] / judged if judged else float("nan")
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true",
                        help="list the surviving mutants that are not explained as equivalent")
    parser.add_argument("--min", type=float, default=90.0, help="lowest acceptable score (%%)")
    args = parser.parse_args(argv)
    rows = score_rows(equivalent_mutants())
    if not any(r["mutants"] for r in rows):
        print("No mutation results: run `make mutate` first.", file=sys.stderr)
        return 2
    head = ("module", "mutants", "killed", "survived", "equivalent", "not tested", "score")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    total = {k: 0 for k in head[1:-1]}
    for r in rows:
        print(f"| {r['module']} | " + " | ".join(str(r[k]) for k in head[1:-1])
              + f" | {r['score']:.1f} % |")
        for k in total:
            total[k] += r[k]
    judged = total["mutants"] - total["equivalent"] - sum(r["not checked"] for r in rows)
    overall = 100.0 * total["killed"] / judged if judged else float("nan")
    print("| **all** | " + " | ".join(str(total[k]) for k in head[1:-1]) + f" | {overall:.1f} % |")
    if args.survivors:
        for r in rows:
            for name in r["survivors"]:
                print(name)
    return 0 if all(r["score"] >= args.min for r in rows if r["mutants"]) else 1


if __name__ == "__main__":
    sys.exit(main())
