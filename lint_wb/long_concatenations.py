"""Long implicit string concatenations (`"line 0" "line 1" ...`), which libcst cannot parse whole.

libcst's native parser gives up on a concatenation of more than 3,000 strings ("expected one
of STRING, ..."), wherever it stands and whatever the strings are (plain, f-strings), while
CPython compiles it: a long prompt written one string a line is valid code. For a
concatenation of at least LONG_CONCATENATION strings (`long_chains.parse_module` then puts a
placeholder where it stands), each two neighbouring strings are parsed alone (`("a" "b")`, a
short text) and folded from the right into the `ConcatenatedString` libcst builds:
`ConcatenatedString(s0, right=ConcatenatedString(s1, right=... s_n))`.

They are found from `ast`'s tree (a `Constant` or `JoinedStr` is one node for the whole
concatenation) and tokenized only where a node spans enough text to hold that many strings;
a file with fewer quote characters than the shortest such concatenation is not walked at all.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from lint_wb._cst import cst

LONG_CONCATENATION: Final = 2000
"""Strings from which a concatenation is parsed here (libcst's parser fails past 3,000)."""
MIN_QUOTES: Final = 2 * LONG_CONCATENATION
"""Each string has at least two quote characters: a segment with fewer holds no long one
(`long_chains.MIN_QUOTES` is the same bound for a whole text)."""


@dataclass(frozen=True)
class Concatenation:
    """A concatenation's strings as offsets in the text: (start, end) of each, in order."""

    strings: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.strings[0][0]

    @property
    def end(self) -> int:
        return self.strings[-1][1]

    def placeholder(self, number: int) -> str:
        """What stands for the concatenation in the module's parse: a string, which fits
        where it stands (`return"a" "b"`, `"a" "b"if c else d`, a `case` pattern)."""
        return f'"_lint_wb_chain_{number}"'

    def build(self, text: str) -> cst.BaseExpression:
        """The concatenation as libcst builds it: each two neighbours parsed alone."""
        pairs = [
            _pair(text[start:end]) for (start, _), (_, end) in zip(self.strings, self.strings[1:])
        ]
        if not pairs:
            raise ValueError("one string")
        folded: cst.BaseExpression = pairs[-1].right
        for pair in reversed(pairs):
            folded = cst.ConcatenatedString(
                pair.left,
                folded,  # type: ignore[arg-type]
                whitespace_between=pair.whitespace_between,
            )
        return folded


def _pair(source: str) -> cst.ConcatenatedString:
    pair = cst.parse_expression(f"({source})")
    if not isinstance(pair, cst.ConcatenatedString) or isinstance(
        pair.right, cst.ConcatenatedString
    ):
        raise ValueError("not two strings")
    return pair.with_changes(lpar=(), rpar=())


def long_concatenations(
    text: str, tree: ast.Module, span_of: Callable[[ast.expr], tuple[int, int] | None]
) -> list[Concatenation]:
    """The concatenations of at least LONG_CONCATENATION strings in `tree` (`ast`'s reading of
    `text`), in text order. Nested ones cannot be long: a concatenation inside another's
    f-string is left to the strings' own parse."""
    found: list[Concatenation] = []
    for node in _outer_strings(tree):
        span = span_of(node)
        if span is None or span[1] - span[0] < MIN_QUOTES:
            continue
        start, end = span
        segment = text[start:end]
        if segment.count('"') + segment.count("'") < MIN_QUOTES:
            continue
        strings = _strings(segment, start)
        if strings is not None and len(strings) >= LONG_CONCATENATION:
            found.append(Concatenation(strings))
    found.sort(key=lambda concatenation: concatenation.start)
    return found


def _outer_strings(tree: ast.Module) -> Iterator[ast.expr]:
    """String nodes not inside another string node (an f-string's parts are not walked)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
        ):
            yield node
            continue
        stack.extend(ast.iter_child_nodes(node))


def _strings(segment: str, base: int) -> tuple[tuple[int, int], ...] | None:
    """The top-level string tokens of `segment` as offsets (plus `base`), or None when it does
    not tokenize as strings, comments and line breaks alone. It is tokenized in parentheses,
    as it may stand in the text (no indentation or statement ends inside)."""
    line_starts, position = [base - 1], base  # row 1 has the "(" before the segment
    for line in segment.split("\n")[:-1]:
        position += len(line) + 1
        line_starts.append(position)
    parentheses = 0
    strings: list[tuple[int, int]] = []
    depth, opened = 0, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(f"({segment})").readline):
            (row, column), (end_row, end_column) = token.start, token.end
            if token.type in _STARTS:
                depth, opened = depth + 1, opened if depth else line_starts[row - 1] + column
            elif token.type in _ENDS:
                depth -= 1
                if not depth:
                    strings.append((opened, line_starts[end_row - 1] + end_column))
            elif depth:
                continue
            elif token.type == tokenize.STRING:
                strings.append(
                    (line_starts[row - 1] + column, line_starts[end_row - 1] + end_column)
                )
            elif token.type == tokenize.OP and token.string in "()" and parentheses < 2:
                parentheses += 1  # the two around the segment
            elif token.type not in _BETWEEN:
                return None
    except (tokenize.TokenError, SyntaxError):
        return None
    return tuple(strings)


_BETWEEN: Final = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER})
_STARTS: Final = frozenset(
    getattr(tokenize, name)
    for name in ("FSTRING_START", "TSTRING_START")
    if hasattr(tokenize, name)
)
_ENDS: Final = frozenset(
    getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)
)
