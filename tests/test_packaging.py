"""pyproject.toml and environment.yml list the same dependencies; the README documents the CLI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(requirement: str) -> tuple[str, str]:
    name, _, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).group(1, 0, 2)
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_norm(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_norm(r) for r in extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item.split(">")[0] in ("python", "pip"):
                continue
            listed.update([_norm(item)])
    assert listed == wanted
    assert all(spec.startswith(">=") for spec in wanted.values()), "pin lower bounds"


def test_the_readme_quick_start_is_two_make_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("```", 2)[1]
    commands = [ln.strip() for ln in quick.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci.splitlines()[-1]


def test_the_readme_library_example_runs():
    import doctest

    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    assert result.attempted >= 4 and result.failed == 0


def test_the_code_passes_the_linter():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "cchc_lib", "tests",
                             "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_public_api_names_resolve():
    import cchc_lib

    for name in cchc_lib.__all__:
        assert callable(getattr(cchc_lib, name)), name
