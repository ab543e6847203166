"""The data flows one way: no import cycle among lint_wb's modules.

Counted are the imports a module runs when it is loaded: its module-level statements,
including those inside a module-level `if`/`try`, and the `__init__` of every package on the
way to what it imports (`from lint_wb.analysis.chains import x` runs `lint_wb.analysis`
first). An import inside a function (loaded on first use) and one under
`if TYPE_CHECKING:` (never run) are the allowed escapes.

The static graph is checked against the interpreter too: every module is imported first,
in a fresh set of lint_wb modules, as `python -c "import lint_wb.x"` would.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lint_wb"


def module_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_on_load(statements: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements executed when the module is loaded."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement
        elif isinstance(statement, ast.If):
            if not _is_type_checking(statement.test):
                yield from run_on_load(statement.body)
            yield from run_on_load(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from run_on_load(block)
            for handler in statement.handlers:
                yield from run_on_load(handler.body)


def _absolute(module: str, is_package: bool, statement: ast.ImportFrom) -> str:
    if not statement.level:
        return statement.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (statement.level - 1)]
    return ".".join([*base, *([statement.module] if statement.module else [])])


def imports_of(module: str, path: Path, known: Mapping[str, Path]) -> set[str]:
    """The lint_wb modules `module` imports on load (`from pkg import sub` names `pkg.sub`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for statement in run_on_load(tree.body):
        if isinstance(statement, ast.Import):
            found.update(alias.name for alias in statement.names if alias.name in known)
            continue
        target = _absolute(module, path.name == "__init__.py", statement)
        for alias in statement.names:
            submodule = f"{target}.{alias.name}"
            if submodule in known:
                found.add(submodule)
            elif target in known:
                found.add(target)
    found.update({package for name in found for package in _packages_of(name, known)})
    # A module's own packages are already loading when it is loaded: not an edge.
    found.difference_update([module, *_packages_of(module, known)])
    return found


def _packages_of(name: str, known: Mapping[str, Path]) -> Iterator[str]:
    """The packages whose `__init__` runs before `name` is loaded."""
    parts = name.split(".")
    for end in range(1, len(parts)):
        package = ".".join(parts[:end])
        if package in known:
            yield package


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_lint_wb_has_no_import_cycle() -> None:
    known = module_names()
    graph = {module: imports_of(module, path, known) for module, path in known.items()}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


FIRST_IMPORTS = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "lint_wb" or m.startswith("lint_wb.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().strip().splitlines()[-1])
print("\\n".join(failed))
"""


def test_every_module_can_be_imported_first() -> None:
    """What the static graph could miss, the interpreter sees: each module imported first."""
    names = sorted(module_names())
    run = subprocess.run(
        [sys.executable, "-c", FIRST_IMPORTS, *names],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "", "imported first, these fail:\n" + run.stdout


def test_the_cycle_finder_sees_a_cycle_and_its_path() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_imports_on_load_skip_functions_and_type_checking(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import lint_wb.engine\n"
        "from lint_wb import api\n"
        "from . import findings\n"
        "if TYPE_CHECKING:\n    from lint_wb.cache import ResultCache\n"
        "def f():\n    from lint_wb.fix_loop import fix_source\n"
    )
    known = {name: Path() for name in ("lint_wb.engine", "lint_wb.api", "lint_wb.findings")}
    known["lint_wb.cache"] = known["lint_wb.fix_loop"] = Path()
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = imports_of("lint_wb.probe", path, known)
    assert found == {"lint_wb.engine", "lint_wb.api", "lint_wb.findings"}


def test_importing_a_submodule_counts_its_packages(tmp_path: Path) -> None:
    known = {name: Path() for name in ("lint_wb", "lint_wb.a", "lint_wb.a.b", "lint_wb.a.b.c")}
    path = tmp_path / "probe.py"
    path.write_text("from lint_wb.a.b.c import x\n", encoding="utf-8")
    found = imports_of("lint_wb.probe", path, known)
    assert found == {"lint_wb.a", "lint_wb.a.b", "lint_wb.a.b.c"}
