"""A read-only walk over a libcst tree, several times faster than `CSTNode.visit`.

libcst's visitor rebuilds every node it passes (it is shared with transformers), and so does
`CSTNode.children`. The analysis only reads the tree, so it walks the nodes' dataclass fields
directly and skips the whitespace and punctuation fields, which hold no names or values.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import typing
from collections.abc import Callable
from typing import Any, ClassVar

from lint_wb._cst import cst
from lint_wb.compiled_methods import own_code

FORMATTING_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "dot", "equal", "colon", "semicolon", "arrow",
        "leading_lines", "lines_after_decorators", "header", "footer",
        "trailing_whitespace", "first_line", "empty_lines", "last_line", "newline",
        "star_tok", "asynchronous", "lbracket", "rbracket", "lbrace", "rbrace",
    }
)  # fmt: skip
GENERATED_AFTER = 32
"""Reads of a node type's children before its reader is made as code (`_generated_reader`):
its code is kept from one run to the next (`compiled_methods.own_code`), so making it costs
its text and the type's hints, about what it saves on a few dozen reads: a small run (a few
small files) keeps the loop over the fields, and a type read often gets its own code."""


class _NodeKinds(dict[type, bool]):
    """`issubclass(kind, CSTNode)` by type, remembered: `isinstance` against libcst's abstract
    base class is slow, and the walk asks it of every field of every node."""

    def __missing__(self, kind: type) -> bool:
        answer = self[kind] = issubclass(kind, cst.CSTNode)
        return answer


_IS_NODE = _NodeKinds()
_CHILD_READERS: dict[type, Callable[[Any], list[Any]]] = {}
"""Each node type's reader of its children (`_child_reader`), made on first use."""


def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of `kind` that can hold a node: neither formatting nor typed as a plain
    value (`Name.value: str`, `Arg.star: Literal[...]`). Types libcst does not say keep the
    field: the walk checks each value anyway."""
    hints = _hints(kind)
    return tuple(
        field.name
        for field in dataclasses.fields(kind)
        if not field.name.startswith("whitespace")
        and field.name not in FORMATTING_FIELDS
        and _may_hold_node(hints.get(field.name, object))
    )


def _hints(kind: type) -> dict[str, object]:
    try:
        return typing.get_type_hints(kind)
    except Exception:  # an annotation that does not resolve: every field is read
        return {}


def _is_sequence(hint: object) -> bool:
    return typing.get_origin(hint) in (collections.abc.Sequence, list, tuple)


def _may_hold_node(hint: object) -> bool:
    if isinstance(hint, type):
        return hint is object or issubclass(hint, cst.CSTNode)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return False
    if origin in (typing.Union, collections.abc.Sequence, list, tuple):
        return any(_may_hold_node(arg) for arg in typing.get_args(hint))
    return True


def _child_reader(kind: type) -> Callable[[Any], list[Any]]:
    """The reader of `kind`'s children (see `_child_fields`): each field read by name, a
    sequence taken whole, a node appended, anything else (None, a sentinel, a string) left
    out. At first a loop over the fields; after `GENERATED_AFTER` reads, code made for the
    type (the walks read every node of every tree), which lists the same children."""
    names = _child_fields(kind)
    is_node = _IS_NODE
    reads = 0

    def children(node: Any) -> list[Any]:
        nonlocal reads
        reads += 1
        if reads == GENERATED_AFTER:
            _CHILD_READERS[kind] = _generated_reader(kind, names)
        found: list[Any] = []
        for name in names:
            value = getattr(node, name)
            value_kind = type(value)
            if value_kind is list or value_kind is tuple:
                found += value
            elif is_node[value_kind]:
                found.append(value)
        return found

    _CHILD_READERS[kind] = children
    return children


def _generated_reader(kind: type, fields: tuple[str, ...]) -> Callable[[Any], list[Any]]:
    """`_child_reader`'s loop as code made for `kind`: its fields read one after the other,
    a sequence field asked first whether it is a sequence, any other first whether it is a
    node (the likelier answer first; the same children either way)."""
    lines = ["def children(node):", "    found = []"]
    hints = _hints(kind)
    for name in fields:
        sequence = "kind is list or kind is tuple"
        checks = [(sequence, "found += value"), ("is_node[kind]", "found.append(value)")]
        if not _is_sequence(hints.get(name)):
            checks.reverse()
        lines += [
            f"    value = node.{name}",
            "    kind = type(value)",
            f"    if {checks[0][0]}:",
            f"        {checks[0][1]}",
            f"    elif {checks[1][0]}:",
            f"        {checks[1][1]}",
        ]
    lines.append("    return found")
    names: dict[str, Any] = {"is_node": _IS_NODE}
    exec(own_code("\n".join(lines)), names)  # made from the node class's own field names
    made: Callable[[Any], list[Any]] = names["children"]
    return made


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children that can hold names and values, in source order, in a new list.

    A sequence field of a libcst node holds only nodes (libcst types every one as
    `Sequence[<node type>]`), so it is taken whole."""
    kind = type(node)
    reader = _CHILD_READERS.get(kind) or _child_reader(kind)
    return reader(node)


_Handler = Callable[[Any, Any], object]
_Numberer = Callable[[Any, Any, list[Any]], None]
"""A walker's `walk_numbering` for one node type: (walker, node, numbered)."""


class Walker:
    """Calls `visit_<Type>(node)` before a node's children and `leave_<Type>(node)` after,
    for the methods a subclass defines.

    The methods for each node type are looked up once per subclass, not once per walk."""

    _handlers: ClassVar[dict[type, tuple[_Handler | None, _Handler | None]]] = {}
    _numberers: ClassVar[dict[type, _Numberer]] = {}
    """Each node type's step of `walk_numbering` for this class (`_numberer`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        cls._numberers = {}

    @classmethod
    def _handlers_of(cls, kind: type) -> tuple[_Handler | None, _Handler | None]:
        found = (
            getattr(cls, f"visit_{kind.__name__}", None),
            getattr(cls, f"leave_{kind.__name__}", None),
        )
        cls._handlers[kind] = found
        return found

    def walk(self, node: cst.CSTNode) -> None:
        kind = type(node)
        visit, leave = self._handlers.get(kind) or self._handlers_of(kind)
        if visit is None or visit(self, node) is not False:
            for child in (_CHILD_READERS.get(kind) or _child_reader(kind))(node):  # child_nodes
                self.walk(child)
        if leave is not None:
            leave(self, node)

    def walk_numbering(self, node: cst.CSTNode, numbered: list[cst.CSTNode]) -> None:
        """`walk`, appending every node to `numbered` as it is visited: for a walker that
        never skips children, `numbered` ends as the tree's nodes in ordinal order
        (`ordinals.number_nodes`), with no walk of its own.

        Each node type is walked by a step of its own for the walker's class (`_numberer`):
        the pass that numbers a module visits every node of every parse, and a step made
        for its type passes each child straight on, where the loop of `walk` first makes
        the list of the children (a list for every node) and looks the handlers up again."""
        kind = type(node)
        (self._numberers.get(kind) or _numberer(type(self), kind))(self, node, numbered)


def _numberer(cls: type[Walker], kind: type) -> _Numberer:
    """`kind`'s step of `cls.walk_numbering`: at first the loop over `child_nodes`; after
    `GENERATED_AFTER` nodes of the type, code made for it (`_generated_numberer`), which
    visits the same children in the same order (as `_child_reader` does)."""
    visit, leave = cls._handlers.get(kind) or cls._handlers_of(kind)
    steps = cls._numberers
    reads = 0

    def step(walker: Walker, node: Any, numbered: list[Any]) -> None:
        nonlocal reads
        reads += 1
        if reads == GENERATED_AFTER:
            steps[kind] = _generated_numberer(cls, kind, visit, leave)
        numbered.append(node)
        if visit is not None and visit(walker, node) is False:
            raise _skipped(walker, kind)
        for child in (_CHILD_READERS.get(kind) or _child_reader(kind))(node):  # child_nodes
            (steps.get(type(child)) or _numberer(cls, type(child)))(walker, child, numbered)
        if leave is not None:
            leave(walker, node)

    steps[kind] = step
    return step


def _skipped(walker: Walker, kind: type) -> ValueError:
    return ValueError(f"{type(walker).__name__} skipped a {kind.__name__} it numbers")


def _generated_numberer(
    cls: type[Walker], kind: type, visit: _Handler | None, leave: _Handler | None
) -> _Numberer:
    """`_numberer`'s step as code made for `kind`: its child fields read one after the
    other (`_child_fields`, the likelier answer asked first, as `_generated_reader`), each
    child handed to its own type's step."""
    lines = ["def step(walker, node, numbered):", "    numbered.append(node)"]
    if visit is not None:
        lines += ["    if visit(walker, node) is False:", "        raise skipped(walker, kind)"]
    hints = _hints(kind)
    each = ["for child in value:", "    (steps.get(type(child)) or make(cls, type(child)))"]
    each[1] += "(walker, child, numbered)"
    one = ["(steps.get(value_kind) or make(cls, value_kind))(walker, value, numbered)"]
    for name in _child_fields(kind):
        checks = [("value_kind is list or value_kind is tuple", each), ("is_node[value_kind]", one)]
        if not _is_sequence(hints.get(name)):
            checks.reverse()
        lines += [f"    value = node.{name}", "    value_kind = type(value)"]
        for keyword, (test, body) in zip(("if", "elif"), checks):
            lines += [f"    {keyword} {test}:", *(f"        {line}" for line in body)]
    if leave is not None:
        lines.append("    leave(walker, node)")
    names: dict[str, Any] = {
        "visit": visit,
        "leave": leave,
        "steps": cls._numberers,
        "make": _numberer,
        "cls": cls,
        "kind": kind,
        "skipped": _skipped,
        "is_node": _IS_NODE,
    }
    exec(own_code("\n".join(lines)), names)  # made from the node class's own field names
    made: _Numberer = names["step"]
    return made


_ALL_FIELDS: dict[type, tuple[str, ...]] = {}


def all_child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Every child node, whitespace and comments included, without rebuilding anything."""
    kind = type(node)
    names = _ALL_FIELDS.get(kind)
    if names is None:
        names = _ALL_FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    found: list[cst.CSTNode] = []
    for name in names:
        value = getattr(node, name)
        value_kind = type(value)
        if value_kind is list or value_kind is tuple:
            found.extend(item for item in value if _IS_NODE[type(item)])
        elif _IS_NODE[value_kind]:
            found.append(value)
    return found


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
