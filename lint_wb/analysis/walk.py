"""A read-only walk over a libcst tree, several times faster than `CSTNode.visit`.

libcst's visitor rebuilds every node it passes (it is shared with transformers), and so does
`CSTNode.children`. The analysis only reads the tree, so it walks the nodes' dataclass fields
directly and skips the whitespace and punctuation fields, which hold no names or values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from lint_wb._cst import cst

FORMATTING_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "dot", "equal", "colon", "semicolon", "arrow",
        "leading_lines", "lines_after_decorators", "header", "footer",
        "trailing_whitespace", "first_line", "empty_lines", "last_line", "newline",
        "star_tok", "asynchronous", "lbracket", "rbracket", "lbrace", "rbrace",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        names = tuple(
            field.name
            for field in dataclasses.fields(kind)
            if not field.name.startswith("whitespace") and field.name not in FORMATTING_FIELDS
        )
        _CHILD_FIELDS[kind] = names
    return names


_IS_NODE: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    """`issubclass(kind, CSTNode)`, remembered: `isinstance` against libcst's abstract base
    class is slow, and the walk asks it of every field of every node."""
    answer = _IS_NODE.get(kind)
    if answer is None:
        answer = _IS_NODE[kind] = issubclass(kind, cst.CSTNode)
    return answer


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children that can hold names and values, in source order."""
    found: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            found.extend(item for item in value if _is_node(type(item)))
        elif _is_node(kind):
            found.append(value)
    return found


class Walker:
    """Calls `visit_<Type>(node)` before a node's children and `leave_<Type>(node)` after,
    for the methods a subclass defines."""

    def __init__(self) -> None:
        self._visits: dict[type, Callable[[Any], object] | None] = {}
        self._leaves: dict[type, Callable[[Any], object] | None] = {}

    def _handler(self, table: dict[type, Any], prefix: str, kind: type) -> Any:
        if kind not in table:
            table[kind] = getattr(self, f"{prefix}_{kind.__name__}", None)
        return table[kind]

    def walk(self, node: cst.CSTNode) -> None:
        kind = type(node)
        visit = self._handler(self._visits, "visit", kind)
        if visit is None or visit(node) is not False:
            for child in child_nodes(node):
                self.walk(child)
        leave = self._handler(self._leaves, "leave", kind)
        if leave is not None:
            leave(node)


def all_child_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every child node, whitespace and comments included, without rebuilding anything."""
    base = cst.CSTNode
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if isinstance(value, base):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, base))


class _Returns(Walker):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[cst.BaseExpression] = []

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.values.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function's returns are its own

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def returned_values(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    """The values `function` returns, leaving out `return None` (a request on it could not
    run); empty when it may also end without returning a value it was given."""
    collector = _Returns()
    collector.walk(function.body)
    return [
        value
        for value in collector.values
        if not (isinstance(value, cst.Name) and value.value == "None")
    ]
