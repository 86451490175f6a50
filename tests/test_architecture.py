"""The package's shape: no import cycles, and the audit of a text file stays light (it loads
neither the plotting stack nor pandas)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cchc_lib"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every cchc_lib module ``path`` imports, at module level or inside a function."""
    found = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("cchc_lib")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("cchc_lib"):
                continue
            found.add(base)
            for alias in node.names:  # `from cchc_lib import units` names a module
                if (PACKAGE.parent / (base + "." + alias.name).replace(".", "/")).with_suffix(
                        ".py").exists() or (PACKAGE.parent / (base + "." + alias.name)
                                            .replace(".", "/")).is_dir():
                    found.add(f"{base}.{alias.name}")
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges = {}
    for name, path in modules.items():
        # importing a sub-module imports its package first; that edge is not a cycle of ours
        edges[name] = {m for m in imports_of(path, name) if m in modules and m != name
                       and not name.startswith(m + ".")}
    return edges


def test_the_package_has_no_import_cycle():
    edges = graph()
    assert len(edges) > 30
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_auditing_a_text_file_loads_neither_matplotlib_nor_pandas():
    code = ("import sys\n"
            "from cchc_lib.cli import main\n"
            "try:\n"
            "    main(['audit', 'data/sample/seed_dak_ha_2024-H1.txt', '--format', 'json'],"
            " standalone_mode=False)\n"
            "except SystemExit:\n"
            "    pass\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'pandas'})\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert "HEAVY []" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    assert '"rule": "rate.mismatch"' in out.stdout  # it did audit the seed
