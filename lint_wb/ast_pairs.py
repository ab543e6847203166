"""Pairs libcst nodes with the `ast` nodes Python's parser gives for the same code.

Python's parser records where every expression starts (at a small fraction of libcst's
cost); libcst records no positions. Pairing is structural, child by child, for the node
kinds below, and each pair is checked by kind (a libcst `Call` with an `ast.Call`, a keyword
argument with an `ast.keyword` of the same name, ...). Any other kind stays unpaired.
`positions.py` generates code from the nearest paired node and checks it against the text,
so a pairing this module gets wrong costs a fallback, never a wrong position.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

import libcst as cst

_KINDS: dict[type[cst.CSTNode], tuple[type[ast.AST], ...]] = {
    cst.Name: (ast.Name,),
    cst.Attribute: (ast.Attribute,),
    cst.Call: (ast.Call,),
    cst.Subscript: (ast.Subscript,),
    cst.SimpleString: (ast.Constant,),
    cst.ConcatenatedString: (ast.Constant, ast.JoinedStr),
    cst.FormattedString: (ast.JoinedStr,),
    cst.Integer: (ast.Constant,),
    cst.Float: (ast.Constant,),
    cst.Imaginary: (ast.Constant,),
    cst.Ellipsis: (ast.Constant,),
    cst.Dict: (ast.Dict,),
    cst.List: (ast.List,),
    cst.Tuple: (ast.Tuple,),
    cst.Set: (ast.Set,),
    cst.BinaryOperation: (ast.BinOp,),
    cst.UnaryOperation: (ast.UnaryOp,),
    cst.BooleanOperation: (ast.BoolOp,),
    cst.Comparison: (ast.Compare,),
    cst.IfExp: (ast.IfExp,),
    cst.Await: (ast.Await,),
    cst.Lambda: (ast.Lambda,),
    cst.ListComp: (ast.ListComp,),
    cst.SetComp: (ast.SetComp,),
    cst.DictComp: (ast.DictComp,),
    cst.GeneratorExp: (ast.GeneratorExp,),
    cst.NamedExpr: (ast.NamedExpr,),
    cst.Expr: (ast.Expr,),
    cst.Assign: (ast.Assign,),
    cst.AnnAssign: (ast.AnnAssign,),
    cst.AugAssign: (ast.AugAssign,),
    cst.Return: (ast.Return,),
}


@dataclass(frozen=True)
class Entry:
    """A `key: value` or `**spread` of a dict: `ast.Dict` has no node for it."""

    key: ast.expr | None
    value: ast.expr


Parsed = Union[ast.AST, Entry]
"""What a libcst node is paired with."""
Pairs = Iterator[tuple[Union[cst.CSTNode, None], Union[Parsed, None]]]
"""Children with their `ast` forms, either side None when the code has none."""


def same_kind(node: cst.CSTNode, parsed: Parsed) -> bool:
    """Whether `parsed` can be the `ast` form of `node` (the pairs' check)."""
    # `type(...) is`, not `isinstance`: libcst's classes are ABCs, slow to check against
    kind = type(node)
    kinds = _KINDS.get(kind)
    if kinds is not None:
        if not isinstance(parsed, kinds):
            return False
        if type(node) is cst.Name:
            return isinstance(parsed, ast.Name) and parsed.id == node.value
        return True
    if type(node) is cst.Arg:
        return _same_argument(node, parsed)
    if kind is cst.DictElement or kind is cst.StarredDictElement:
        return isinstance(parsed, Entry) and (parsed.key is None) == (
            kind is cst.StarredDictElement
        )
    if kind is cst.StarredElement:
        return isinstance(parsed, ast.Starred)
    if type(node) is cst.Element:
        return same_kind(node.value, parsed)
    if kind is cst.WithItem:
        return isinstance(parsed, ast.withitem)
    return False


def _same_argument(node: cst.Arg, parsed: Parsed) -> bool:
    if node.star == "**":
        return isinstance(parsed, ast.keyword) and parsed.arg is None
    if node.keyword is not None:
        return isinstance(parsed, ast.keyword) and parsed.arg == node.keyword.value
    if node.star == "*":
        return isinstance(parsed, ast.Starred)
    return isinstance(parsed, ast.expr) and same_kind(node.value, parsed)


def start_of(node: cst.CSTNode, parsed: Parsed) -> ast.AST | None:
    """The `ast` node whose start is where `node`'s code begins, or None when its code begins
    elsewhere (an opening parenthesis of its own, a `**` that `ast` gives no position)."""
    if getattr(node, "lpar", None):
        return None
    if isinstance(parsed, Entry):
        key = getattr(node, "key", None)
        if parsed.key is None or key is None or getattr(key, "lpar", None):
            return None
        return parsed.key
    if not isinstance(parsed, ast.AST):
        return None
    if type(node) is cst.Arg and not node.star and node.keyword is None:
        return None if node.value.lpar else parsed
    if type(node) is cst.Element:
        return None if node.value.lpar else parsed
    if isinstance(parsed, ast.withitem):
        return None  # `ast` gives an item of a `with` no position
    return parsed


def paired_children(node: cst.CSTNode, parsed: Parsed) -> Iterator[tuple[cst.CSTNode, Parsed]]:
    """The children of `node` this module can pair, each with its `ast` form."""
    pairs = _PAIRS.get(type(node))
    if pairs is None:
        return
    for child, counterpart in pairs(node, parsed):
        if child is not None and counterpart is not None and same_kind(child, counterpart):
            yield child, counterpart


def _statement(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if isinstance(node, (cst.Expr, cst.Return)) and isinstance(parsed, (ast.Expr, ast.Return)):
        yield node.value, parsed.value
    elif isinstance(node, cst.Assign) and isinstance(parsed, ast.Assign):
        yield node.value, parsed.value
        if len(node.targets) == len(parsed.targets):
            for target, counterpart in zip(node.targets, parsed.targets):
                yield target.target, counterpart
    elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and isinstance(
        parsed, (ast.AnnAssign, ast.AugAssign)
    ):
        yield node.target, parsed.target
        yield node.value, parsed.value


def _call(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if not isinstance(node, cst.Call) or not isinstance(parsed, ast.Call):
        return
    yield node.func, parsed.func
    positional = iter(parsed.args)
    keywords = iter(parsed.keywords)
    named = [arg for arg in node.args if arg.keyword is not None or arg.star == "**"]
    if len(named) != len(parsed.keywords) or len(node.args) - len(named) != len(parsed.args):
        return
    for arg in node.args:
        if arg.keyword is not None or arg.star == "**":
            yield arg, next(keywords)
        else:
            yield arg, next(positional)


def _argument(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if not isinstance(node, cst.Arg):
        return
    if isinstance(parsed, (ast.keyword, ast.Starred)):
        yield node.value, parsed.value
    elif isinstance(parsed, ast.expr):
        yield node.value, parsed


def _dict(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if not isinstance(node, cst.Dict) or not isinstance(parsed, ast.Dict):
        return
    if len(node.elements) != len(parsed.keys):
        return
    for element, key, value in zip(node.elements, parsed.keys, parsed.values):
        yield element, Entry(key, value)


def _entry(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if not isinstance(parsed, Entry):
        return
    if isinstance(node, cst.DictElement):
        yield node.key, parsed.key
    if isinstance(node, (cst.DictElement, cst.StarredDictElement)):
        yield node.value, parsed.value


def _sequence(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if not isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return
    if not isinstance(parsed, (ast.List, ast.Tuple, ast.Set)) or len(parsed.elts) != len(
        node.elements
    ):
        return
    yield from zip(node.elements, parsed.elts)


def _element(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if isinstance(node, cst.StarredElement) and isinstance(parsed, ast.Starred):
        yield node.value, parsed.value
    elif isinstance(node, cst.Element) and isinstance(parsed, ast.expr):
        yield node.value, parsed


def _operation(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    if isinstance(node, cst.BinaryOperation) and isinstance(parsed, ast.BinOp):
        yield node.left, parsed.left
        yield node.right, parsed.right
    elif isinstance(node, cst.UnaryOperation) and isinstance(parsed, ast.UnaryOp):
        yield node.expression, parsed.operand
    elif isinstance(node, cst.IfExp) and isinstance(parsed, ast.IfExp):
        yield node.test, parsed.test
        yield node.body, parsed.body
        yield node.orelse, parsed.orelse
    elif isinstance(node, cst.Await) and isinstance(parsed, ast.Await):
        yield node.expression, parsed.value
    elif isinstance(node, (cst.Attribute, cst.Subscript)) and isinstance(
        parsed, (ast.Attribute, ast.Subscript)
    ):
        yield node.value, parsed.value


def _header(node: cst.CSTNode, parsed: Parsed) -> Pairs:
    """The expressions in the header of a compound statement (its body is searched as a
    block of statements, `positions._inner_block`)."""
    if isinstance(node, (cst.If, cst.While)) and isinstance(parsed, (ast.If, ast.While)):
        yield node.test, parsed.test
    elif isinstance(node, cst.For) and isinstance(parsed, (ast.For, ast.AsyncFor)):
        yield node.target, parsed.target
        yield node.iter, parsed.iter
    elif isinstance(node, cst.With) and isinstance(parsed, (ast.With, ast.AsyncWith)):
        if len(node.items) == len(parsed.items):
            yield from zip(node.items, parsed.items)
    elif isinstance(node, cst.WithItem) and isinstance(parsed, ast.withitem):
        yield node.item, parsed.context_expr


_PAIRS = {
    cst.If: _header,
    cst.While: _header,
    cst.For: _header,
    cst.With: _header,
    cst.WithItem: _header,
    cst.Expr: _statement,
    cst.Return: _statement,
    cst.Assign: _statement,
    cst.AnnAssign: _statement,
    cst.AugAssign: _statement,
    cst.Call: _call,
    cst.Arg: _argument,
    cst.Dict: _dict,
    cst.DictElement: _entry,
    cst.StarredDictElement: _entry,
    cst.List: _sequence,
    cst.Tuple: _sequence,
    cst.Set: _sequence,
    cst.Element: _element,
    cst.StarredElement: _element,
    cst.BinaryOperation: _operation,
    cst.UnaryOperation: _operation,
    cst.IfExp: _operation,
    cst.Await: _operation,
    cst.Attribute: _operation,
    cst.Subscript: _operation,
}
