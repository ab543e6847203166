"""The one place a module's text is parsed, for the project summaries and for the lint.

CPython's compiler checks the whole text first (`syntax_error.compile_error`): a file that
does not compile is one finding, wherever the error stands. Python's parser (`ast`) then finds
the top-level statements, and libcst parses only those that can matter (`partial.py`), the
others blanked; the tree's positions are the original text's. When libcst cannot parse the
kept text, the whole text is parsed, so an error is the one a whole parse reports.

`whole=True` parses the whole text (a module the project index reads whole: a name another
module imports, or a call of a function of another module, stands in a dropped statement).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint_wb.partial import Partial, partial_text
from lint_wb.syntax_error import compile_error

if TYPE_CHECKING:
    from lint_wb._cst import cst

PARTIAL_PARSES = True
"""False parses every module whole (the tests compare the two)."""


@dataclass(frozen=True)
class ParsedModule:
    """A module's text, what libcst was given of it, and libcst's tree of that."""

    text: str
    partial: Partial
    module: cst.Module

    @property
    def parsed_text(self) -> str:
        """The text libcst parsed: `text` with the dropped statements blanked."""
        return self.partial.text

    @property
    def whole(self) -> bool:
        return self.partial.whole


def parse_text(text: str, *, whole: bool = False) -> ParsedModule | Exception:
    """The parse of a module's text, or why it cannot be parsed (a `SyntaxError` from
    CPython's compiler, libcst's `ParserSyntaxError`, ...)."""
    import libcst  # here, not `_cst`: a parse is looked up on libcst when it is made

    from lint_wb.long_chains import parse_module

    rejected = compile_error(text)
    if rejected is not None:
        return rejected
    partial = _whole(text) if whole or not PARTIAL_PARSES else _partial(text)
    try:
        module = parse_module(partial.text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError) as error:
        if partial.whole:
            return error
        return parse_text(text, whole=True)
    return ParsedModule(text, partial, module)


def _whole(text: str) -> Partial:
    return Partial(text, None, 0, 0)


def _partial(text: str) -> Partial:
    try:
        flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        tree = compile(text, "<lint-wb>", "exec", flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _whole(text)
    return partial_text(text, tree)
