"""The shape of the code, checked like its behaviour (docs/architecture.md).

The layer contracts are import-linter's, in pyproject.toml; the rest are
measured here from the source itself: import cycles (counting imports inside
functions, not those only for type checking), module sizes, the package
layout, and ruff and mypy, so the fast lane keeps the code clean too.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "taixin_kiosk"
MAX_LINES = 600
MAX_TOP_LEVEL_MODULES = 6


def modules() -> dict[str, Path]:
    """Every module of the app by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(sub) for sub in ast.walk(node))
    return inside


def imported_names(path: Path) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import at run time, in functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno


def graph() -> dict[str, dict[str, int]]:
    """module -> {module of the app it imports: line of the first such import}."""
    known = modules()

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        out = edges.setdefault(name, {})
        for imported, line in imported_names(path):
            if not imported.startswith("taixin_kiosk"):
                continue
            target = owner(imported)
            # An edge to a package is one to its __init__, which imports nothing.
            if target is not None and target != name:
                out.setdefault(target, line)
    return edges


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}})\
        == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycles_between_modules():
    edges = graph()
    found = cycles(edges)
    described = ["\n".join(f"  {a} -> {b} (line {edges[a][b]})" for a in group
                           for b in edges[a] if b in group) for group in found]
    assert not found, "import cycles:\n" + "\n\n".join(described)


def test_import_linter_contracts_hold():
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter is not None, "import-linter is one of the test extras"
    out = subprocess.run([linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_core_uses_qtcore_only():
    """The session, navigator and actions have no widgets, painting or screens:
    they run (and are tested) without a display."""
    for name, path in modules().items():
        if not name.startswith("taixin_kiosk.core"):
            continue
        bad = [f"{imported} (line {line})" for imported, line in imported_names(path)
               if imported.split(".")[0] == "PySide6"
               and imported.split(".")[:2] not in (["PySide6"], ["PySide6", "QtCore"])]
        assert not bad, f"{name} imports {bad}"


def test_no_module_is_over_the_size_limit():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_few_modules_sit_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_package_says_what_it_is_for_and_imports_nothing():
    """A package's __init__ is its one-line purpose: no code, no imports (a
    re-export would tie the package to its own modules in a cycle)."""
    for init in sorted(PACKAGE.rglob("__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and doc.splitlines()[0].rstrip().endswith((".", ":")), init
        code = [node for node in tree.body[1:]
                if not isinstance(node, ast.Assign) or init.parent != PACKAGE]
        assert not code, f"{init} has more than its docstring"


def test_every_package_is_in_the_architecture_document():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        assert f"`{init.parent.name}/`" in text, init.parent.name


def test_ruff_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "tools",
                          "benchmarks", "packaging"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_clean():
    # The first run takes about a minute; later ones use mypy's cache.
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
