"""Long chains of binary operators, parsed in time that grows with their length.

libcst's parser takes time that grows much faster than the length of a left-recursive chain
(`a + b + c + ...`): 500 terms parse in under a second, 2,900 in more than a minute. Python's
own parser (`ast`) reads such a chain in linear time, so for a chain of at least LONG_CHAIN
operands this module:

1. parses the module with a placeholder name where each chain stands;
2. parses each operator with its two operands alone (`x1 + x2`, short texts) and folds the
   operators and right operands into the left-nested `BinaryOperation` libcst builds;
3. puts each chain where its placeholder stands.

The result is used only when its code is the text again; otherwise (a parenthesized operand,
any surprise) the module is parsed whole, as before.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.walk import child_nodes
from lint_wb.lines import LineIndex

LONG_CHAIN: Final = 300
"""Operands from which a chain is parsed here (libcst needs about 0.1 s for 300)."""
OPERATOR: Final = re.compile(r"[-+*/%@&|^]|<<|>>")


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


def parse_module(text: str, tree: ast.Module | None = None) -> cst.Module:
    """`libcst.parse_module(text)`, with long operator chains parsed piece by piece. `tree`:
    what `ast` reads of `text`, when the caller has it (it is not read again)."""
    import libcst  # the parse is looked up on libcst when it is made (tests count parses)

    if len(OPERATOR.findall(text)) < LONG_CHAIN - 1:
        return libcst.parse_module(text)
    chains = long_chains(text, tree)
    module = _parse_in_pieces(text, chains) if chains else None
    return module if module is not None else libcst.parse_module(text)


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


def _parse_in_pieces(text: str, chains: Sequence[_Chain]) -> cst.Module | None:
    names = [f"_lint_wb_chain_{number}" for number in range(len(chains))]
    if any(name in text for name in names):
        return None
    pieces: list[str] = []
    last = 0
    for chain, name in zip(chains, names):
        pieces += [text[last : chain.start], name]
        last = chain.end
    try:
        module = cst.parse_module("".join([*pieces, text[last:]]))
        built = {name: _fold(text, chain) for chain, name in zip(chains, names)}
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
    """The module with each placeholder name replaced by its chain (one pass)."""
    found = {node.value for node in _names(module) if node.value in built}
    if found != set(built):
        return None
    return module.visit(_PutBack(built))


class _PutBack(cst.CSTTransformer):
    def __init__(self, built: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.built = built

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        chain = self.built.get(original_node.value)
        if chain is None:
            return updated_node
        return chain.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def _names(module: cst.Module) -> Iterator[cst.Name]:
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
        stack.extend(child_nodes(node))
