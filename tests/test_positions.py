"""Positions from the statements that hold the reported nodes equal the whole module's."""

from __future__ import annotations

import random
from functools import partial
from pathlib import Path

import libcst as cst
import pytest

from lint_wb import positions
from lint_wb.analysis.ordinals import ordered_nodes
from lint_wb.analysis.walk import child_nodes
from lint_wb.containment import on_deep_stack
from lint_wb.lines import LineIndex
from lint_wb.long_chains import parse_module
from lint_wb.positions import NodePositions, node_positions, whole_module_positions
from lint_wb.python_check import parses

SOURCES = {
    "leading comments and blank lines": (
        "# header comment\n\nimport os\n\n\n# about the client\nclient = make(\n    x=1,\n)\n"
    ),
    "several statements on one line": "a = 1; b = 2\nc = call(a,\n  b); d = 3\nuse(d)\n",
    "decorators with comments between": (
        "import functools\n\n# before\n@functools.cache\n# between\n@other(\n    1,\n)\n"
        "def f(\n    x,\n):\n    return g(x=1)\n\n\nclass C:\n    @property\n"
        "    def p(self):\n        return h(y=2)\n"
    ),
    "crlf line endings": "import os\r\n\r\nx = f(\r\n    a=1,\r\n)\r\ny = 2\r\n",
    "continuation lines and compound statements": (
        "x = 1 + \\\n    2\nif x:\n    y = f(a=1)\nelse:\n    y = 3\n"
        "async def g():\n    async with h() as c:\n        await c.call(b=2)\n"
    ),
    "module footer comment": "x = f(a=1)\n\n# trailing comment\n",
    "arguments, parentheses and spreads": (
        "r = c.chat.completions.create(\n    (model), *extra, top_p=(1.5),\n"
        "    messages=[{'role': 'user', **base, (\"k\"): [1, *rest]}],  # note\n"
        "    **options,\n)\nx: int = -(y) if a and b else {1, (2)}\nz += await g(h)[0].i\n"
    ),
    "text that is not ASCII": "s = 'héllo wörld'; t = f(x='日本', y=[1, 2])\n",
    "headers of compound statements": (
        "with client.stream(\n    model='m',  # note\n    n=1,\n) as s, (open(p)) as f:\n"
        "    for x, y in zip(s, f(a=1)):\n        while g(b=2) or x:\n"
        "            if h(c=[3, 4]):\n                y = 1\n            elif k(d=5):\n"
        "                pass\n            else:\n                z = m(e=6)\n"
        "    else:\n        n(f=7)\n"
        "async def a():\n    async with c(k=1):\n        async for i in d(j=2):\n"
        "            await e(i)\n"
    ),
}


def statement_nodes(module: cst.Module) -> list[cst.CSTNode]:
    """Every node of the module's statements that can hold a name or a value (what rules
    report and fixes replace)."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(child_nodes(node))
    return found


def same_positions(
    nodes: list[cst.CSTNode], got: NodePositions, expected: NodePositions
) -> list[str]:
    return [
        f"{type(node).__name__}: {got.inclusive.get(node)} != {expected.inclusive.get(node)}"
        for node in nodes
        if got.syntactic.get(node) != expected.syntactic.get(node)
        or got.inclusive.get(node) != expected.inclusive.get(node)
        or got.indents.get(node) != expected.indents.get(node)
    ]


def no_whole_module(module: cst.Module, indented: object = ()) -> NodePositions:
    raise AssertionError("fell back to generating the whole module")


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_positions_of_statements_equal_the_whole_modules(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = cst.parse_module(source)
    nodes = statement_nodes(module)
    expected = whole_module_positions(module, nodes)
    monkeypatch.setattr(positions, "whole_module_positions", no_whole_module)
    for numbered in (None, ordered_nodes(module)):
        got = node_positions(module, LineIndex(source), nodes, nodes, numbered=numbered)
        assert same_positions(nodes, got, expected) == []


def expression_nodes(module: cst.Module) -> list[cst.CSTNode]:
    """What rules report inside statements: every node below the statement level."""
    return [
        node
        for node in statement_nodes(module)
        if not isinstance(node, (cst.BaseStatement, cst.BaseSmallStatement))
    ]


FIXTURES = [
    path
    for path in sorted((Path(__file__).parent.parent / "fixtures").rglob("*.py"))
    if parses(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_positions_of_the_fixtures_nodes_equal_the_whole_modules(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = path.read_text(encoding="utf-8")
    # As the engine parses and generates: long chains and concatenations in pieces, on the
    # deep-stack thread (a 4,000-string prompt nests 4,000 deep).
    module = on_deep_stack(lambda: parse_module(source))
    nodes = expression_nodes(module)
    expected = on_deep_stack(lambda: whole_module_positions(module, nodes))
    monkeypatch.setattr(positions, "whole_module_positions", no_whole_module)
    picks = random.Random(path.name).sample(nodes, min(4, len(nodes)))
    numbering = ordered_nodes(module)
    for wanted in (nodes, picks):
        for numbered in (None, numbering):
            got = on_deep_stack(
                partial(
                    node_positions, module, LineIndex(source), wanted, wanted, numbered=numbered
                )
            )
            assert same_positions(wanted, got, expected) == []


def test_inside_a_simple_statement_only_the_expression_holding_the_node_is_generated() -> None:
    source = SOURCES["arguments, parentheses and spreads"]
    module = cst.parse_module(source)
    call = module.body[0].body[0].value
    top_p = call.args[2]
    got = node_positions(module, LineIndex(source), [top_p], [top_p])
    whole = whole_module_positions(module, [top_p])
    assert got.syntactic[top_p] == whole.syntactic[top_p]
    assert got.inclusive[top_p] == whole.inclusive[top_p]
    assert got.indents[top_p] == whole.indents[top_p] == ()
    assert call not in got.syntactic and call.args[0] not in got.syntactic


def test_a_parenthesized_argument_is_generated_from_the_call_it_stands_in() -> None:
    source = SOURCES["arguments, parentheses and spreads"]
    module = cst.parse_module(source)
    call = module.body[0].body[0].value
    model = call.args[0]  # `(model)`: `ast` says where `model` begins, not `(`
    got = node_positions(module, LineIndex(source), [model])
    assert got.syntactic[model] == whole_module_positions(module).syntactic[model]
    assert call in got.syntactic


def test_only_the_statements_holding_the_nodes_are_generated() -> None:
    source = SOURCES["decorators with comments between"]
    module = cst.parse_module(source)
    cls = module.body[-1]
    method = cls.body.body[0]
    call = method.body.body[0].body[0].value  # h(y=2)
    got = node_positions(module, LineIndex(source), [call], [call])
    whole = whole_module_positions(module, [call])
    assert (got.syntactic[call], got.indents[call]) == (whole.syntactic[call], whole.indents[call])
    assert got.indents[call] == ("    ", "    ")
    assert module.body[0] not in got.syntactic
    assert cls not in got.syntactic  # only the method was generated


def test_with_the_nodes_numbered_only_the_statements_holding_them_are_walked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lint's binding pass numbers the nodes (`Bindings.nodes`): a statement's nodes are
    numbered from its own ordinal to the next statement's, so the statements that hold no
    reported node are passed over without walking them."""
    filler = "".join(f"v{n} = f(a=[{n}, {{'k': g(b={n})}}])\n" for n in range(200))
    source = filler + "def ask():\n    if x:\n        return c.create(top_p=3)\n" + filler
    module = cst.parse_module(source)
    ask = module.body[200]
    call = ask.body.body[0].body.body[0].body[0].value
    walked: list[cst.CSTNode] = []

    def counting(node: cst.CSTNode) -> list[cst.CSTNode]:
        walked.append(node)
        return child_nodes(node)

    monkeypatch.setattr(positions, "child_nodes", counting)
    expected = whole_module_positions(module, [call])
    got = node_positions(module, LineIndex(source), [call], [call], numbered=ordered_nodes(module))
    assert same_positions([call], got, expected) == []
    assert walked and all(_under(ask, node) for node in walked)
    walked.clear()
    node_positions(module, LineIndex(source), [call], [call])
    assert len(walked) > 200  # not numbered: every statement before it is walked


def _under(root: cst.CSTNode, node: cst.CSTNode) -> bool:
    stack = [root]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(child_nodes(current))
    return False


def test_a_node_in_a_with_header_generates_only_its_expression() -> None:
    source = SOURCES["headers of compound statements"]
    module = cst.parse_module(source)
    with_statement = module.body[0]
    call = with_statement.items[0].item
    model = call.args[0].value
    inner_call = with_statement.body.body[0].iter.args[1].value  # f(a=1)
    got = node_positions(module, LineIndex(source), [model, inner_call], [model, inner_call])
    whole = whole_module_positions(module, [model, inner_call])
    for node in (model, inner_call):
        assert got.syntactic[node] == whole.syntactic[node]
        assert got.inclusive[node] == whole.inclusive[node]
        assert got.indents[node] == whole.indents[node]
    assert with_statement not in got.syntactic and call not in got.syntactic
    assert with_statement.body.body[0] not in got.syntactic  # nor the `for` holding f(a=1)


@pytest.mark.parametrize("wanted", ["class", "decorator", "base"])
def test_a_node_in_a_class_header_generates_the_class(wanted: str) -> None:
    source = "import x\n\n@deco(1)\nclass C(Base):\n    a = f(1)\n"
    module = cst.parse_module(source)
    cls = module.body[-1]
    node = {"class": cls, "decorator": cls.decorators[0], "base": cls.bases[0]}[wanted]
    got = node_positions(module, LineIndex(source), [node])
    assert got.syntactic[node] == whole_module_positions(module).syntactic[node]


def test_statement_lines_that_disagree_with_the_text_fall_back_to_the_whole_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = SOURCES["leading comments and blank lines"]
    module = cst.parse_module(source)
    nodes = statement_nodes(module)
    monkeypatch.setattr(positions, "_start_line", lambda statement, first: 1)
    got = node_positions(module, LineIndex(source), nodes, nodes)
    assert same_positions(nodes, got, whole_module_positions(module, nodes)) == []


def test_text_that_this_python_cannot_parse_falls_back_to_the_whole_module() -> None:
    source = "x = f(a=1)\ntype Alias = int\n"  # Python 3.12 syntax: libcst reads it
    module = cst.parse_module(source)
    nodes = statement_nodes(module)
    got = node_positions(module, LineIndex(source), nodes)
    assert same_positions(nodes, got, whole_module_positions(module)) == []


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_the_recorded_ranges_are_libcsts_own(source: str) -> None:
    """The code generation that records ranges (`_RecordingState`) gives every node the
    ranges libcst's own position providers give."""
    from libcst.metadata import (
        MetadataWrapper,
        PositionProvider,
        WhitespaceInclusivePositionProvider,
    )

    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    syntactic = wrapper.resolve(PositionProvider)
    inclusive = wrapper.resolve(WhitespaceInclusivePositionProvider)
    got = whole_module_positions(module)
    assert len(got.inclusive.spans) == len(inclusive) > 20
    for node, expected in syntactic.items():
        assert got.syntactic[node] == expected, type(node).__name__
        assert got.inclusive[node] == inclusive[node], type(node).__name__
