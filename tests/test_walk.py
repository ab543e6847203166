"""The read-only walk (`analysis/walk.py`): which children it reads, and its dispatch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import libcst as cst
import pytest

from lint_wb.analysis import walk
from lint_wb.analysis.binding import BindingCollector, collect_bindings
from lint_wb.analysis.ordinals import number_nodes, ordered_nodes
from lint_wb.analysis.walk import FORMATTING_FIELDS, Walker, child_nodes

SOURCES = sorted((Path(__file__).parent.parent / "fixtures").rglob("*.py"))
EVERY_KIND = """\
import a.b as c, d
from ..e import (f as g, h)
@dec(1)
class K(Base, metaclass=M):
    x: int = 1
    async def m(self, /, p=2, *args, q: "T" = 3, **kw) -> R:
        global z
        nonlocal_ = lambda u, *v: u
        async with ctx() as (s, t):
            async for i in aiter():
                yield from g(i)
        try:
            del s[0], t.u
        except* (E, F) as err:
            raise X from err
        finally:
            pass
        while not (a < b <= c is not d):
            break
        else:
            continue
        match p:
            case {"k": [1, *rest], **more} | Point(x=0, y=_) if rest:
                return f"{p!r:>{w}} {q=}", b'x' rb"y", -1.5j, ..., {*s}, {k: v for k, v in d}
        assert (n := len(s)) > 0, [i async for i in it if i]
        x @= y[1:2, ::3]; z = await w
"""


def naive_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Every node in a field that is not formatting: what `child_nodes` must equal."""
    found: list[cst.CSTNode] = []
    for field in dataclasses.fields(node):
        if field.name.startswith("whitespace") or field.name in FORMATTING_FIELDS:
            continue
        value = getattr(node, field.name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


def kinds_walked(text: str) -> set[type]:
    """Walk the text's tree, checking `child_nodes` at every node; the node types met."""
    stack: list[cst.CSTNode] = [cst.parse_module(text)]
    kinds: set[type] = set()
    while stack:
        node = stack.pop()
        kinds.add(type(node))
        children = child_nodes(node)
        assert children == naive_children(node), type(node).__name__
        stack.extend(children)
    return kinds


@pytest.fixture(params=["loop", "code"])
def readers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each node type's children read by the loop over its fields, or by the code made for
    it from its first read (`walk.GENERATED_AFTER`)."""
    monkeypatch.setattr(walk, "_CHILD_READERS", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 10**9 if request.param == "loop" else 1)
    return str(request.param)


def test_child_nodes_reads_every_kind_of_statement_and_expression(readers: str) -> None:
    assert len(kinds_walked(EVERY_KIND)) > 80


def test_a_node_type_read_often_gets_code_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "_CHILD_READERS", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 3)
    module = cst.parse_module("f(a)\n")
    call = module.body[0].body[0].value  # type: ignore[attr-defined]
    first = [child_nodes(call) for _ in range(2)]
    loop = walk._CHILD_READERS[cst.Call]
    assert [child_nodes(call) for _ in range(2)] == first == [[call.func, *call.args]] * 2
    made = walk._CHILD_READERS[cst.Call]
    assert made is not loop and made.__code__.co_filename == "<string>"


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_child_nodes_skips_only_fields_that_cannot_hold_a_node(path: Path, readers: str) -> None:
    try:
        kinds_walked(path.read_text())
    except cst.ParserSyntaxError:
        pytest.skip("a fixture of text that does not parse")


class Names(Walker):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.append(node.value)


class Calls(Walker):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def visit_Call(self, node: cst.Call) -> bool:
        self.seen.append("call")
        return False  # not into its arguments

    def leave_Call(self, node: cst.Call) -> None:
        self.seen.append("left")


def test_each_walker_dispatches_to_its_own_methods() -> None:
    module = cst.parse_module("f(a)\nb = g(c)\n")
    names, calls = Names(), Calls()
    names.walk(module)
    calls.walk(module)
    names.walk(module)
    assert names.seen == ["f", "a", "b", "g", "c"] * 2
    assert calls.seen == ["call", "left", "call", "left"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_binding_pass_numbers_nodes_as_the_project_index_does(path: Path) -> None:
    """The lint finds the nodes the index names by ordinal in the binding pass's list."""
    try:
        module = cst.parse_module(path.read_text())
    except cst.ParserSyntaxError:
        pytest.skip("a fixture of text that does not parse")
    nodes = ordered_nodes(module)
    assert collect_bindings(module).nodes == nodes
    assert number_nodes(module) == {id(node): ordinal for ordinal, node in enumerate(nodes)}


@pytest.fixture(params=["loop", "code"])
def numberers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each node type's step of `walk_numbering` by the loop over `child_nodes`, or by the
    code made for it from its first node (`walk._generated_numberer`)."""
    monkeypatch.setattr(BindingCollector, "_numberers", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 10**9 if request.param == "loop" else 1)
    return str(request.param)


def test_the_binding_pass_numbers_every_kind_of_node(numberers: str) -> None:
    module = cst.parse_module(EVERY_KIND)
    for _ in range(2):  # (by code: the first pass makes each type's, the second runs it)
        assert collect_bindings(module).nodes == ordered_nodes(module)


def _bound(module: cst.Module) -> list[tuple[str, list[str]]]:
    """Each scope the binding pass made (by its node's type) and the names bound in it."""
    scopes = collect_bindings(module).scopes
    return [(type(node).__name__, sorted(scope.bindings)) for node, scope in scopes.items()]


def test_the_binding_pass_binds_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps made as code call the same visits and leaves as the loop: the same scopes,
    closed where they end, bind the same names."""
    module = cst.parse_module(EVERY_KIND)
    monkeypatch.setattr(BindingCollector, "_numberers", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 10**9)
    by_loop = _bound(module)
    monkeypatch.setattr(BindingCollector, "_numberers", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 1)
    assert _bound(module) == _bound(module) == by_loop  # the second pass by code alone
    assert [kind for kind, _ in by_loop] == ["Module", "FunctionDef", "Lambda"]
    assert ("Lambda", ["u", "v"]) in by_loop and "nonlocal_" in by_loop[1][1]


def test_a_node_type_numbered_often_gets_code_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(BindingCollector, "_numberers", {})
    monkeypatch.setattr(walk, "GENERATED_AFTER", 3)
    module = cst.parse_module("f(a)\n")
    for _ in range(2):
        assert collect_bindings(module).nodes == ordered_nodes(module)
    loop = BindingCollector._numberers[cst.Call]
    assert collect_bindings(module).nodes == ordered_nodes(module)
    made = BindingCollector._numberers[cst.Call]
    assert made is not loop and made.__code__.co_filename == "<string>"
    assert Walker._numberers == {}  # each class its own steps


def test_a_walker_that_numbers_nodes_cannot_skip_children() -> None:
    module = cst.parse_module("f(a)\n")
    with pytest.raises(ValueError, match="skipped a Call"):
        Calls().walk_numbering(module, [])
