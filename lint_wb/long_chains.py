"""Long chains of binary operators, parsed in time that grows with their length.

libcst's parser takes time that grows much faster than the length of a left-recursive chain
(`a + b + c + ...`): 500 terms parse in under a second, 2,900 in more than a minute. Python's
own parser (`ast`) reads such a chain in linear time, so for a chain of at least LONG_CHAIN
operands this module:

1. parses the module with a placeholder name where each chain stands;
2. parses each operator with its two operands alone (`x1 + x2`, short texts) and folds the
   operators and right operands into the left-nested `BinaryOperation` libcst builds;
3. puts each chain where its placeholder stands.

Long implicit string concatenations, which libcst cannot parse past 3,000 strings, are parsed
the same way (`long_concatenations.py`), with a placeholder string where each stands.

The result is used only when its code is the text again; otherwise (a parenthesized operand,
any surprise) the module is parsed whole, as before.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias

from lint_wb._cst import cst
from lint_wb.analysis.walk import child_nodes
from lint_wb.lines import LineIndex

if TYPE_CHECKING:
    from lint_wb.long_concatenations import Concatenation

LONG_CHAIN: Final = 300
"""Operands from which a chain is parsed here (libcst needs about 0.1 s for 300)."""
OPERATOR: Final = re.compile(r"[-+*/%@&|^]|<<|>>")
_PLACEHOLDER: Final = "_lint_wb_chain_"
MIN_QUOTES: Final = 4000
"""Quote characters below which a text holds no long implicit concatenation (each string has
two; `long_concatenations.LONG_CONCATENATION` strings are parsed in pieces)."""


@dataclass(frozen=True)
class _Chain:
    """A chain's operands as offsets in the text: (start, end) of each, left to right."""

    operands: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.operands[0][0]

    @property
    def end(self) -> int:
        return self.operands[-1][1]

    def build(self, text: str) -> cst.BaseExpression:
        return _fold(text, self)

    def placeholder(self, number: int) -> str:
        """What stands for the chain in the module's parse: a name."""
        return f"{_PLACEHOLDER}{number}"


_Piece: TypeAlias = "_Chain | Concatenation"
"""What is parsed in pieces: a placeholder stands for it in the module's parse."""


def parse_module(text: str, tree: ast.Module | None = None) -> cst.Module:
    """`libcst.parse_module(text)`, with long operator chains and long implicit string
    concatenations parsed piece by piece. `tree`:
    what `ast` reads of `text`, when the caller has it (it is not read again)."""
    import libcst  # the parse is looked up on libcst when it is made (tests count parses)

    chains = _pieces(text, tree)
    if not chains:
        return libcst.parse_module(text)
    module = _parse_in_pieces(text, chains)
    return module if module is not None else libcst.parse_module(text)


def _pieces(text: str, tree: ast.Module | None) -> list[_Piece]:
    """The long chains and long implicit concatenations of `text`, outermost, in text order
    (a chain holding a long concatenation is left to libcst: only the concatenation is
    parsed here)."""
    may_chain = len(OPERATOR.findall(text)) >= LONG_CHAIN - 1
    may_concatenate = text.count('"') + text.count("'") >= MIN_QUOTES
    if not may_chain and not may_concatenate:
        return []
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []
    chains = long_chains(text, tree) if may_chain else []
    if not may_concatenate:
        return list(chains)
    from lint_wb.long_concatenations import long_concatenations  # only for such files

    index = LineIndex(text)
    strings = long_concatenations(text, tree, lambda node: _span(index, node))
    chains = [chain for chain in chains if not any(_overlap(piece, chain) for piece in strings)]
    pieces: list[_Piece] = [*chains, *strings]
    return sorted(pieces, key=lambda piece: piece.start)


def long_chains(text: str, tree: ast.Module | None = None) -> list[_Chain]:
    """The outermost chains of at least LONG_CHAIN operands, in text order (`tree`: `ast`'s
    reading of `text`, read here when not given)."""
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []
    index = LineIndex(text)
    lefts = {id(node.left) for node in ast.walk(tree) if isinstance(node, ast.BinOp)}
    chains: list[_Chain] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and id(node) not in lefts:
            operands = _operands(node)
            if len(operands) >= LONG_CHAIN:
                spans = tuple(_span(index, operand) for operand in operands)
                if all(span is not None for span in spans):
                    chains.append(_Chain(spans))  # type: ignore[arg-type]
    chains.sort(key=lambda chain: chain.start)
    return [chain for chain, before in zip(chains, [None, *chains]) if not _inside(chain, before)]


def _inside(chain: _Chain, before: _Chain | None) -> bool:
    return before is not None and chain.start < before.end


def _overlap(one: _Piece, other: _Piece) -> bool:
    return one.start < other.end and other.start < one.end


def _operands(node: ast.BinOp) -> list[ast.expr]:
    """`a + b - c` -> [a, b, c]: the left spine's first operand, then each right operand."""
    rights: list[ast.expr] = []
    current: ast.expr = node
    while isinstance(current, ast.BinOp):
        rights.append(current.right)
        current = current.left
    return [current, *reversed(rights)]


def _span(index: LineIndex, node: ast.expr) -> tuple[int, int] | None:
    end_line, end_column = node.end_lineno, node.end_col_offset
    if end_line is None or end_column is None:
        return None
    start = _offset(index, node.lineno, node.col_offset)
    end = _offset(index, end_line, end_column)
    return None if start is None or end is None else (start, end)


def _offset(index: LineIndex, line: int, byte_column: int) -> int | None:
    if not 1 <= line <= len(index.starts):
        return None
    text = index.line(line)
    column = byte_column if text.isascii() else len(text.encode()[:byte_column].decode())
    return index.offset(line, column)


def _parse_in_pieces(text: str, chains: Sequence[_Piece]) -> cst.Module | None:
    if _PLACEHOLDER in text:
        return None
    names = [chain.placeholder(number) for number, chain in enumerate(chains)]
    pieces: list[str] = []
    last = 0
    for chain, name in zip(chains, names):
        pieces += [text[last : chain.start], name]
        last = chain.end
    try:
        module = cst.parse_module("".join([*pieces, text[last:]]))
        built = {name: chain.build(text) for chain, name in zip(chains, names)}
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    whole = _put_back(module, built)
    return whole if whole is not None and whole.code == text else None


def _fold(text: str, chain: _Chain) -> cst.BaseExpression:
    """The chain as libcst builds it: each operator parsed with its two operands alone."""
    folded: cst.BaseExpression | None = None
    for (start, _), (_, end) in zip(chain.operands, chain.operands[1:]):
        pair = cst.parse_expression(f"({text[start:end]})")
        if not isinstance(pair, cst.BinaryOperation):
            raise ValueError("not a binary operation")
        left = pair.left if folded is None else folded
        folded = cst.BinaryOperation(left, pair.operator, pair.right)
    if folded is None:
        raise ValueError("no operator")
    return folded


def _put_back(module: cst.Module, built: dict[str, cst.BaseExpression]) -> cst.Module | None:
    """The module with each placeholder replaced by its piece (one pass)."""
    found = {node.value for node in _placeholders(module) if node.value in built}
    if found != set(built):
        return None
    return module.visit(_PutBack(built))


class _PutBack(cst.CSTTransformer):
    def __init__(self, built: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.built = built

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._piece(original_node.value, updated_node)

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        return self._piece(original_node.value, updated_node)

    def _piece(self, value: str, node: cst.Name | cst.SimpleString) -> cst.BaseExpression:
        piece = self.built.get(value)
        if piece is None:
            return node
        return piece.with_changes(lpar=node.lpar, rpar=node.rpar)


def _placeholders(module: cst.Module) -> Iterator[cst.Name | cst.SimpleString]:
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Name, cst.SimpleString)):
            yield node
        stack.extend(child_nodes(node))
