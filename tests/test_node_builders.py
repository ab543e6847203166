"""libcst's node constructors rebuilt for the parse (`node_builders.py`): the same trees, the
same validation outside a parse, and written only once a process has parsed enough."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator
from pathlib import Path

import libcst
import pytest

from lint_wb import module_parse, node_builders

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def own_constructors() -> Iterator[None]:
    """libcst's own constructors while the test runs; the process's state after it."""
    was_installed = bool(node_builders._INSTALLED)
    node_builders.uninstall()
    try:
        yield
    finally:
        node_builders.uninstall()
        if was_installed:
            node_builders.install()


def _parse_all(paths: list[Path]) -> list[libcst.Module | None]:
    modules: list[libcst.Module | None] = []
    for path in paths:
        with module_parse.unvalidated(libcst.CSTNode), node_builders.building():
            try:
                modules.append(libcst.parse_module(path.read_text()))
            except libcst.ParserSyntaxError:  # the syntax-error fixtures
                modules.append(None)
    return modules


def test_the_installed_constructors_build_the_same_trees(own_constructors: None) -> None:
    paths = sorted(FIXTURES.rglob("*.py"))
    assert len(paths) > 100
    before = _parse_all(paths)
    node_builders.install()
    after = _parse_all(paths)
    assert sum(module is not None for module in before) > 100
    assert [a is None for a in before] == [b is None for b in after]
    pairs = [(a, b) for a, b in zip(before, after) if a is not None and b is not None]
    assert all(a.deep_equals(b) and a.code == b.code for a, b in pairs)
    assert [repr(a) for a in before] == [repr(b) for b in after]


def test_each_constructor_takes_the_same_parameters_and_defaults(
    own_constructors: None,
) -> None:
    own = {kind: inspect.signature(kind) for kind in node_builders._subclasses(libcst.CSTNode)}
    made = [libcst.Arg(libcst.Name("x")), libcst.Call(libcst.Name("f")), libcst.Name("x")]
    node_builders.install()
    assert len(node_builders._INSTALLED) > 300
    for kind in node_builders._INSTALLED:
        before = own[kind].parameters
        after = dict(list(inspect.signature(node_builders._written(kind)).parameters.items())[1:])
        assert list(before) == list(after), kind
        for name, field in ((f.name, f) for f in dataclasses.fields(kind)):
            if field.default_factory is dataclasses.MISSING:
                assert before[name].default is after[name].default, (kind, name)
            else:
                assert after[name].default is node_builders._NO_VALUE, (kind, name)
    # fields with a default factory (the whitespace around `*` and `(`) made alike
    again = [libcst.Arg(libcst.Name("x")), libcst.Call(libcst.Name("f")), libcst.Name("x")]
    assert all(a.deep_equals(b) and repr(a) == repr(b) for a, b in zip(made, again))
    first, second = libcst.Arg(libcst.Name("x")), libcst.Arg(libcst.Name("y"))
    assert first.whitespace_after_star is not second.whitespace_after_star


def test_nodes_built_outside_a_parse_are_validated(own_constructors: None) -> None:
    node_builders.install()
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("")
    with node_builders.building():
        assert libcst.Name("").value == ""  # a parse's node: not validated
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("")
    assert libcst.Name("x").with_changes(value="y").value == "y"


def test_the_constructors_are_written_once_enough_text_was_parsed(
    own_constructors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(node_builders, "_PARSED", [0])
    text = "from openai import OpenAI\n\nclient = OpenAI(base_url='https://x')\n"
    module_parse.parse_text(text)
    assert not node_builders._INSTALLED
    module_parse.parse_text(text * (node_builders.INSTALL_AFTER // len(text) + 1))
    assert node_builders._INSTALLED
    written = [kind.__init__ for kind in (libcst.Module, libcst.Name, libcst.Assign)]
    assert all(
        constructor.__code__.co_filename == node_builders.SOURCE_NAME for constructor in written
    )
