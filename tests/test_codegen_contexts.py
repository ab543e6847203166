"""libcst's code generation with lint-wb's context managers (`codegen_contexts.py`) gives
the tokens and the ranges libcst's own give, also when a node's generation fails."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
import pytest
from libcst._nodes.internal import CodegenState
from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

from lint_wb import codegen_contexts
from lint_wb.positions import whole_module_positions

SOURCE = (
    "x = ((a)) + [1, (2), *b][0:(3)]\n"
    "y = {'k': (v), **d} | {(1), 2} or f((c), *[e], **{'g': h})\n"
    "z = [i for i in (j) if (i)] + list({k: (v) for k, v in m})[(0)]\n"
    "print((await (q)) if (r) else -(s), lambda t=(1): (t))\n"
)


def generated(module: cst.Module) -> tuple[str, object, object, object]:
    """The module's code, libcst's two position providers' ranges and lint-wb's recorded
    ones, each node named by its place in a walk."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    nodes = list(wrapper.resolve(PositionProvider))
    syntactic = wrapper.resolve(PositionProvider)
    inclusive = wrapper.resolve(WhitespaceInclusivePositionProvider)
    recorded = whole_module_positions(module)
    return (
        module.code,
        [syntactic[node] for node in nodes],
        [inclusive[node] for node in nodes],
        [(recorded.syntactic.get(node), recorded.inclusive.get(node)) for node in nodes],
    )


@pytest.fixture
def libcsts_own() -> Iterator[None]:
    """libcst's own context managers while the test runs, lint-wb's after it (as before)."""
    installed = bool(codegen_contexts._ORIGINALS)
    codegen_contexts.uninstall()
    try:
        yield
    finally:
        if installed:
            codegen_contexts.install()


def test_the_code_and_ranges_are_libcsts_own(libcsts_own: None) -> None:
    module = cst.parse_module(SOURCE)
    expected = generated(module)
    codegen_contexts.install()
    assert generated(module) == expected
    assert expected[0] == SOURCE


class _Fails(cst.Name):
    """A name whose code cannot be generated."""

    def _codegen_impl(self, state: CodegenState) -> None:
        raise RuntimeError("no code")


def tokens_until_failure(node: cst.CSTNode) -> list[str]:
    state = CodegenState(default_indent="    ", default_newline="\n")
    with pytest.raises(RuntimeError, match="no code"):
        node._codegen(state)
    return state.tokens


def test_a_failing_generation_writes_no_closing_token(libcsts_own: None) -> None:
    failing = _Fails("n")
    node = cst.List(
        [cst.Element(cst.Subscript(failing, [cst.SubscriptElement(cst.Index(cst.Name("i")))]))],
        lpar=[cst.LeftParen()],
        rpar=[cst.RightParen()],
    )
    dict_node = cst.Dict(
        [
            cst.DictElement(
                cst.Name("k"), failing.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            )
        ]
    )
    expected = [tokens_until_failure(node), tokens_until_failure(dict_node)]
    codegen_contexts.install()
    assert [tokens_until_failure(node), tokens_until_failure(dict_node)] == expected
    assert expected[0] == ["(", "", "[", ""]  # nothing closed after the failure
