"""Code written for a newer Python than the one running lint-wb.

lint-wb runs on Python 3.10 and later, and a project's code may be written for a newer
Python than the one that lints it (code for 3.12 linted in a 3.11 CI job). CPython's compiler
checks every module first (`syntax_error.compile_error`), and the running one rejects what
only Python 3.12's grammar allows: PEP 701's f-strings (a backslash, a comment or the
f-string's own quote in a replacement field), PEP 695's type parameters and `type`
statement. The whole file was then one WB901 and nothing in it was checked.

libcst's parser reads that grammar. Once the compile has failed (never before: a module
this Python compiles never comes here), a text that may hold such code (`MAY_BE_NEWER`),
nests no deeper than Python 3.12 allows and holds no chain long enough to crash or stall
libcst's parser, nor more text than it parses in a few seconds (`MAX_NESTING`,
`MAX_OPERATORS`, `MAX_LINE`, `MAX_TEXT`) is parsed by libcst, and what this
Python cannot compile is lowered to code it can, on the same rows:
- an f-string this Python's parser rejects becomes a tuple of its replacement fields'
  expressions (so they are still compiled: `yield` outside a function, ...);
- a `type X[T] = v` statement becomes `X = v`, a function's or class's type parameters go.
The lowered text is compiled: when it compiles, the module is valid for Python 3.12 and is
read whole by libcst (no WB901); when it does not, its error is the one reported (a real
syntax error stays WB901 with CPython's message; its column may differ from 3.12's on a line
that holds a lowered f-string). When libcst cannot parse the text, the statements before the
one it stopped in are lowered (`_lowered`); when it finds nothing newer, the compile's own
error stands. Not lowered: `except*` (Python 3.11) on Python 3.10.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from collections.abc import Sequence
from typing import Final, TypeVar

import libcst  # imported only once a compile failed (`syntax_error`, `python_check`)

from lint_wb.code_operators import OPERATOR_PATTERN, code_operators
from lint_wb.pieces import TOP_LEVEL_LINE

NEWER_GRAMMAR: Final = sys.version_info < (3, 12)
"""Whether Python 3.12's grammar is newer than this Python's."""
MAY_BE_NEWER: Final = re.compile(
    r"""(?:\b(?:[fF][rR]?|[rR][fF])['"])|\btype\b|\b(?:def|class)[ \t]+\w+[ \t]*\["""
)
"""An f-string, a `type` statement or type parameters may stand in the text."""
MAX_NESTING: Final = 200
"""Brackets Python 3.12's tokenizer lets nest (`MAXLEVEL`); libcst's parser overflows its
stack on tens of thousands (a few thousand off the deep-stack thread)."""
MAX_LINE: Final = 5_000
"""Characters a line may have. The compile's error stops at the first f-string it rejects,
so what comes after it is not checked for what Python 3.12 would reject as too deep (`-`
repeated 6,000 times: Python's parser runs out of stack), and libcst's parser slows down
with such a chain and overflows its stack at tens of thousands: a chain that long stands
on one line (or in brackets held over lines, which no real code does)."""
MAX_OPERATORS: Final = 300
"""Operators a text may hold outside its strings and comments (`code_operators`):
libcst's parser takes time that grows much faster than the length of an operator chain
(2,000 terms: 40 s, a line of 4,900 `-`: 80 s and 1.4 GB, which Python 3.12 rejects as too
deep), and a module this Python compiles has its long chains parsed apart
(`long_chains.py`, from its `ast`), which a text it cannot compile has not."""
MAX_TEXT: Final = 200_000
"""Characters a text may have. libcst parses it whole (it cannot be read in chunks, as a
module this Python compiles is past `python_check.CHUNKED`), and the lint parses the result
again: 200,000 characters of plain calls and names cost 3 to 6 s of CPU, a megabyte 20 to
60 s. Longer code for a newer Python keeps this Python's error, with a note saying
it was not checked (`_unchecked`)."""
OPERATORS: Final = re.compile(OPERATOR_PATTERN)
BRACKETS: Final = re.compile(r"[][(){}]")
LIMITS: Final = ("too many", "too complex")
"""What the compiler's messages about its own limits hold: never a newer grammar."""
MAX_FIELD_NESTING: Final = 3
"""Replacement fields Python 3.12 lets nest through an f-string's format specifications
(`f"{1:{2:{3}}}"`; `f"{1:{2:{3:{4}}}}"` is "f-string: expressions nested too deeply")."""
MAX_FSTRING_NESTING: Final = 149
"""f-strings Python 3.12 lets nest in one another ("too many nested f-strings")."""
PLACEHOLDER: Final = "_lint_wb_lowered_"
PLACEHOLDERS: Final = re.compile(PLACEHOLDER + r"(\d+)")
LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
Defined = TypeVar("Defined", libcst.FunctionDef, libcst.ClassDef)


def newer_syntax_error(text: str, error: SyntaxError, flags: int) -> SyntaxError | None:
    """The error to report for `text`, which this Python compiles with `flags` only to fail
    with `error`: None when the text is valid Python 3.12, the lowered text's error when
    it holds newer code and another error, else `error` (see the module's docstring)."""
    if not NEWER_GRAMMAR or any(limit in error.msg for limit in LIMITS):
        return error
    if MAY_BE_NEWER.search(text) is None:
        return error
    passed = _limit_passed(text)
    if passed is not None:
        return _unchecked(error, passed)
    from lint_wb.containment import on_deep_stack

    found = on_deep_stack(lambda: _lowered(text))  # libcst's parser recurses per level
    if found is None:
        return error
    lowered, whole = found
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(lowered, "<lint-wb>", "exec", flags, dont_inherit=True)
    except SyntaxError as other:
        return other
    except (ValueError, RecursionError, MemoryError):
        return error
    return None if whole else error


def _limit_passed(text: str) -> str | None:
    """Which limit on what libcst may be given the text passes (see the module's
    docstring), or None when it may be given the text."""
    if len(text) > MAX_TEXT:
        return f"longer than {MAX_TEXT:,} characters"
    if _nesting(text) > MAX_NESTING:
        return f"brackets nested deeper than {MAX_NESTING}"
    if max(map(len, LINE_BREAK.split(text))) > MAX_LINE:
        return f"a line longer than {MAX_LINE:,} characters"
    if len(OPERATORS.findall(text)) < MAX_OPERATORS:  # a quick bound before the scan
        return None
    if code_operators(text, MAX_OPERATORS) < MAX_OPERATORS:
        return None
    return f"more than {MAX_OPERATORS} operators"


def _unchecked(error: SyntaxError, passed: str) -> SyntaxError:
    """`error`, its message saying the text may be valid for a newer Python that this one
    could not check: without it, WB901 gives this Python's reason alone (an f-string's
    backslash, say), which is no error where the code runs."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    note = (
        f" (if this is code for Python 3.12 or newer, lint-wb on Python {version} cannot"
        f" check it: {passed}; run lint-wb on Python 3.12 or newer)"
    )
    return SyntaxError(error.msg + note, (error.filename, error.lineno, error.offset, error.text))


def _nesting(text: str) -> int:
    """How deep the text's brackets nest, counted as if no string or comment held one."""
    depth = deepest = 0
    for bracket in BRACKETS.findall(text):
        if bracket in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def _lowered(text: str) -> tuple[str, bool] | None:
    """The text with what this Python cannot compile lowered to what it can, on the same
    rows, and whether libcst parsed all of it; None when nothing was lowered.

    When libcst cannot parse the text, the top-level statements before the one it stopped
    in are lowered, and the rest left as it is: the compile then reports the error there,
    as Python 3.12 would, not this Python's error about an f-string before it."""
    if PLACEHOLDER in text:
        return None
    try:
        return _lowered_module(text), True
    except libcst.ParserSyntaxError as error:
        cut = _statement_start(text, error.raw_line)
    except (RecursionError, ValueError, MemoryError):
        return None
    try:
        return _lowered_module(text[:cut]) + text[cut:], False
    except (libcst.ParserSyntaxError, RecursionError, ValueError, MemoryError):
        return None


def _lowered_module(text: str) -> str:
    """`_lowered` of a text libcst parses (raises what its parser raises); raises
    `ValueError` when nothing in it was lowered."""
    from lint_wb.module_parse import unvalidated

    module = libcst.parse_module(text)
    lowering = _Lowering(module)
    with unvalidated(libcst.CSTNode):  # a placeholder name stands where a string must
        lowered = module.visit(lowering)
    if lowering.too_deep:
        raise ValueError("nested deeper than Python 3.12 allows")
    if not lowering.replacements and not lowering.changed:
        raise ValueError("nothing newer")
    return lowering.restored(lowered.code)


def _statement_start(text: str, row: int) -> int:
    """Where the last line at or before row `row` (from 1) that may start a top-level
    statement begins (0 when none does)."""
    end = 0
    for _ in range(row):
        found = LINE_BREAK.search(text, end)
        if found is None:
            break
        end = found.end()
    starts = [found.start() for found in TOP_LEVEL_LINE.finditer(text, 0, end)]
    return starts[-1] if starts else 0


class _Lowering(libcst.CSTTransformer):
    """Lowers the newer code of a module (see the module's docstring). An f-string is
    replaced by a placeholder name, and its lowered text kept under that name."""

    def __init__(self, module: libcst.Module) -> None:
        super().__init__()
        self.module = module
        self.replacements: list[str] = []
        self.changed = False
        self.too_deep = False
        self.depth = 0

    def visit_FormattedString(self, node: libcst.FormattedString) -> bool:
        self.depth += 1
        if self.depth > MAX_FSTRING_NESTING or _field_nesting(node.parts) > MAX_FIELD_NESTING:
            self.too_deep = True
        return True

    def leave_FormattedString(
        self, original: libcst.FormattedString, updated: libcst.FormattedString
    ) -> libcst.BaseExpression:
        self.depth -= 1
        bare = updated.with_changes(lpar=(), rpar=())
        if _parses_as_expression(self.restored(self.module.code_for_node(bare))):
            return updated
        return self._replaced(updated, self._lowered_string(bare))

    def leave_ConcatenatedString(
        self, original: libcst.ConcatenatedString, updated: libcst.ConcatenatedString
    ) -> libcst.BaseExpression:
        if not (_is_placeholder(updated.left) or _is_placeholder(updated.right)):
            return updated
        left, right = (
            self.restored(self.module.code_for_node(side)) for side in (updated.left, updated.right)
        )
        bare = self.module.code_for_node(updated.with_changes(lpar=(), rpar=()))
        lowered = f"({left}, {right}"
        return self._replaced(updated, lowered + "\n" * (_rows(bare) - _rows(lowered)) + ")")

    def _lowered_string(self, string: libcst.FormattedString) -> str:
        """The tuple of an f-string's expressions, each at its column when it can be, the
        rest blank."""
        parts = _segments(self.module, string.parts)
        segments = [(False, string.start), *parts, (False, string.end)]
        restored = [(expression, self.restored(text)) for expression, text in segments]
        exact = "".join(text for _, text in segments) == self.module.code_for_node(string)
        if exact and not any(_bare_yield(found) for found in _expressions(string.parts)):
            return _laid_out(restored)
        expressions = [text for expression, text in restored if expression]
        lowered = "(" + "".join(f"({text}), " for text in expressions)  # `(yield x, y)` fails
        code = "".join(text for _, text in restored)
        return lowered + "\n" * (_rows(code) - _rows(lowered)) + ")"

    def _replaced(self, node: libcst.BaseExpression, lowered: str) -> libcst.Name:
        """A placeholder for `node` in its parentheses, `lowered` kept under its name."""
        self.replacements.append(lowered)
        name = f"{PLACEHOLDER}{len(self.replacements) - 1}"
        return libcst.Name(name, lpar=node.lpar, rpar=node.rpar)

    def leave_TypeAlias(
        self, original: libcst.TypeAlias, updated: libcst.TypeAlias
    ) -> libcst.BaseSmallStatement:
        self.changed = True
        lost = _rows(self.module.code_for_node(updated)) - _rows(
            self.module.code_for_node(updated.value)
        )
        target = libcst.AssignTarget(updated.name, whitespace_before_equal=_continued(lost))
        return libcst.Assign([target], updated.value)

    def leave_FunctionDef(
        self, original: libcst.FunctionDef, updated: libcst.FunctionDef
    ) -> libcst.FunctionDef:
        return self._without_parameters(updated)

    def leave_ClassDef(
        self, original: libcst.ClassDef, updated: libcst.ClassDef
    ) -> libcst.ClassDef:
        return self._without_parameters(updated)

    def _without_parameters(self, node: Defined) -> Defined:
        """A function or class without its type parameters, on the same rows."""
        if node.type_parameters is None:
            return node
        self.changed = True
        dropped = (node.type_parameters, node.whitespace_after_type_parameters)
        lost = sum(_rows(self.module.code_for_node(part)) for part in dropped)
        whitespace = self.module.code_for_node(node.whitespace_after_name)
        return node.with_changes(
            type_parameters=None,
            whitespace_after_type_parameters=libcst.SimpleWhitespace(""),
            whitespace_after_name=libcst.SimpleWhitespace(whitespace + "\\\n" * lost),
        )

    def restored(self, code: str) -> str:
        """`code` with each placeholder replaced by its lowered f-string."""
        return PLACEHOLDERS.sub(lambda found: self.replacements[int(found.group(1))], code)


def _expressions(
    parts: Sequence[libcst.BaseFormattedStringContent],
) -> list[libcst.BaseExpression]:
    """The expressions of an f-string's replacement fields, those of their format
    specifications included, in text order."""
    found: list[libcst.BaseExpression] = []
    for part in parts:
        if isinstance(part, libcst.FormattedStringExpression):
            found.append(part.expression)
            if part.format_spec:
                found.extend(_expressions(part.format_spec))
    return found


def _field_nesting(parts: Sequence[libcst.BaseFormattedStringContent]) -> int:
    """How deep an f-string's replacement fields nest in its own format specifications (1
    for `f"{x:>4}"`, 3 for `f"{x:{y:{z}}}"`): a nested f-string counts apart."""
    return max(
        (
            1 + _field_nesting(part.format_spec or ())
            for part in parts
            if isinstance(part, libcst.FormattedStringExpression)
        ),
        default=0,
    )


def _segments(
    module: libcst.Module, parts: Sequence[libcst.BaseFormattedStringContent]
) -> list[tuple[bool, str]]:
    """An f-string's text between its quotes, in order, as (whether it is an expression of
    a replacement field, its text)."""
    segments: list[tuple[bool, str]] = []
    for part in parts:
        if not isinstance(part, libcst.FormattedStringExpression):
            segments.append((False, module.code_for_node(part)))
            continue
        segments.append((False, "{" + module.code_for_node(part.whitespace_before_expression)))
        segments.append((True, module.code_for_node(part.expression)))
        rest = module.code_for_node(part.whitespace_after_expression)
        rest += "" if part.equal is None else module.code_for_node(part.equal)
        rest += "" if part.conversion is None else "!" + part.conversion
        if part.format_spec is not None:
            segments.append((False, rest + ":"))
            segments.extend(_segments(module, part.format_spec))
            rest = ""
        segments.append((False, rest + "}"))
    return segments


def _laid_out(segments: Sequence[tuple[bool, str]]) -> str:
    """The expressions of `segments` as a parenthesized tuple, each where it stands, the
    other text blank (line breaks kept): the first character opens the tuple, the last
    closes it, and the first of the text after each expression but the last is a comma."""
    characters: list[str] = []
    commas: list[int] = []
    after_expression = False
    for expression, text in segments:
        if expression:
            after_expression = True
            characters.extend(text)
            continue
        blank = [character if character in "\r\n" else " " for character in text]
        if after_expression:
            commas.append(len(characters) + blank.index(" "))  # a `}` or `:` at least
            after_expression = False
        characters.extend(blank)
    for comma in commas[:-1]:
        characters[comma] = ","
    characters[0], characters[-1] = "(", ")"
    return "".join(characters)


def _continued(rows: int) -> libcst.SimpleWhitespace:
    """A space, and `rows` lines continued by a backslash."""
    return libcst.SimpleWhitespace(" " + "\\\n" * rows)


def _bare_yield(expression: libcst.BaseExpression) -> bool:
    return isinstance(expression, libcst.Yield) and not expression.lpar


def _is_placeholder(node: libcst.CSTNode) -> bool:
    return isinstance(node, libcst.Name) and node.value.startswith(PLACEHOLDER)


def _parses_as_expression(code: str) -> bool:
    """Whether this Python's parser reads `code` as an expression."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<lint-wb>", "eval", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _rows(code: str) -> int:
    return len(LINE_BREAK.findall(code))
