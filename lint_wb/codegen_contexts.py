"""libcst's code generation, without a generator-based context manager per expression.

libcst generates the code of each expression inside `with self._parenthesize(state):` (its
parentheses, and the expression's range for a position-recording state), of each list and
subscript inside `_bracketize`, of each dict and set inside `_braceize`, and a plain
`CodegenState` makes a `record_syntactic_position` context for every expression too: each
a `contextlib.contextmanager`, whose generator, wrapper object and two resumptions cost
several times what the code inside does. lint-wb generates the code of every statement that
holds a finding (`positions.py`), every fix's replacement and every node a message shows.

`install` gives those four methods equivalents as plain objects with `__enter__` and
`__exit__`: the same tokens in the same order, the closing token written only when the
block did not raise (as the generator, which the exception leaves at its `yield`). A state
that overrides `record_syntactic_position` (lint-wb's, libcst's position providers) keeps
its own; `_parenthesize` enters whatever the state gives, as before.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

_ORIGINALS: list[tuple[type, str, object]] = []
"""What `install` replaced: (class, method name, libcst's own method), for `uninstall`."""


class _Parenthesized:
    """`_BaseParenthesizedNode._parenthesize` (expressions, patterns): `lpar`, the state's
    syntactic record around the block, then `rpar`."""

    __slots__ = ("node", "record", "state")

    def __init__(self, node: Any, state: Any) -> None:
        self.node = node
        self.state = state
        self.record: Any = None

    def __enter__(self) -> None:
        state = self.state
        node = self.node
        for lpar in node.lpar:
            lpar._codegen(state)
        record = self.record = state.record_syntactic_position(node)
        record.__enter__()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        suppressed = bool(self.record.__exit__(kind, error, traceback))
        if kind is None or suppressed:
            state = self.state
            for rpar in self.node.rpar:
                rpar._codegen(state)
        return suppressed


class _Enclosed:
    """`_bracketize` / `_braceize`: the opening token, the block, the closing token."""

    __slots__ = ("closing", "opening", "state")

    def __init__(self, opening: Any, closing: Any, state: Any) -> None:
        self.opening = opening
        self.closing = closing
        self.state = state

    def __enter__(self) -> None:
        self.opening._codegen(self.state)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.closing._codegen(self.state)


class _Nothing:
    """`CodegenState.record_syntactic_position` of a plain state: records nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        return None


_NOTHING = _Nothing()


def _parenthesize(self: Any, state: Any) -> _Parenthesized:
    return _Parenthesized(self, state)


def _bracketize(self: Any, state: Any) -> _Enclosed:
    return _Enclosed(self.lbracket, self.rbracket, state)


def _braceize(self: Any, state: Any) -> _Enclosed:
    return _Enclosed(self.lbrace, self.rbrace, state)


def _record_nothing(
    self: Any, node: Any, *, start_node: Any = None, end_node: Any = None
) -> _Nothing:
    return _NOTHING


def install() -> None:
    """Give libcst's classes the equivalent context managers (once a process)."""
    if _ORIGINALS:
        return
    from libcst._nodes.expression import BaseList, _BaseParenthesizedNode, _BaseSetOrDict
    from libcst._nodes.internal import CodegenState

    replacements: list[tuple[type, str, object]] = [
        (_BaseParenthesizedNode, "_parenthesize", _parenthesize),
        (BaseList, "_bracketize", _bracketize),
        (_BaseSetOrDict, "_braceize", _braceize),
        (CodegenState, "record_syntactic_position", _record_nothing),
    ]
    for kind, name, method in replacements:
        _ORIGINALS.append((kind, name, kind.__dict__[name]))
        setattr(kind, name, method)


def uninstall() -> None:
    """Give libcst's classes their own methods back (the tests compare the two)."""
    while _ORIGINALS:
        kind, name, method = _ORIGINALS.pop()
        setattr(kind, name, method)
