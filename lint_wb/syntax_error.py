"""WB901: the finding for a file that does not parse, placed where the parser gave up.

CPython's compiler is asked first (:func:`compile_error`): its location and wording are the
ones users know, and it rejects what libcst's native parser could crash on (2,000 nested
parentheses). libcst's own parser error is the fallback for text CPython compiles but libcst
cannot parse.
"""

from __future__ import annotations

import ast
import re
import warnings

from lint_wb._cst import cst
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Finding, Location
from lint_wb.lines import LineIndex
from lint_wb.rules.codes import ENTRIES_BY_CODE

SYNTAX_ERROR = "WB901"
_NOT_YOURS = (
    "Python compiles this code but lint-wb's parser (libcst) cannot read it; this is a "
    "limit of lint-wb, not an error in your code"
)
"""Said of a libcst error: `engine.lint_source` asks CPython first, so the code compiles."""


def syntax_error(
    text: str, filename: str, error: Exception, options: LintOptions, cell: int | None
) -> tuple[Finding, ...]:
    """The WB901 finding for `error` (none when WB901 is off)."""
    if SYNTAX_ERROR not in options.enabled:
        return ()
    row, column = 1, 1
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, SyntaxError):
        row, column = error.lineno or 1, max(1, error.offset or 1)
        message = error.msg
    elif isinstance(error, cst.ParserSyntaxError):
        row, column = error.raw_line, error.raw_column + 1
        message = f"{_NOT_YOURS}: {parser_message(error.message)}"
    index = LineIndex(text)
    if row > len(index.starts):  # past the end: CPython's `unexpected EOF` points there
        row, column = len(index.starts), len(index.line(len(index.starts))) + 1
    row = max(1, row)
    column = min(column, len(index.line(row)) + 1)
    rule = ENTRIES_BY_CODE[SYNTAX_ERROR]
    location = Location(row, column)
    return (
        Finding(
            SYNTAX_ERROR,
            rule.name,
            rule.severity,
            f"Cannot parse this file, so nothing in it was checked: {message}",
            filename,
            location,
            Location(row, column + 1),
            cell=cell,
            url=rule.url,
            source_lines=(index.line(row),),
        ),
    )


def parser_message(raw: str) -> str:
    """libcst's parser message without its own (0-based) position and its long token lists:
    `error at 4:6: expected one of !=, %, &, ...` -> `expected one of '!=', '%', '&', ...`."""
    message = re.sub(r"^(parser error: )?error at \d+:\d+: ", "", raw.strip())
    message = message.removeprefix("parser error: ")
    head, sep, options = message.partition("expected one of ")
    if not sep:
        return message or "invalid syntax"
    tokens = [token.strip() for token in options.split(", ") if token.strip()]
    shown = ", ".join(tokens[:4]) + (", ..." if len(tokens) > 4 else "")
    return f"{head}expected one of {shown}"


def compile_error(text: str) -> SyntaxError | None:
    """Why CPython cannot compile `text`, or None when it can.

    Top-level `await` is allowed, as in a notebook; warnings (invalid escapes) are not ours
    to print. Nesting too deep for the compiler comes back as a SyntaxError too. Code valid
    for a newer Python than this one is no error (`newer_syntax.py`).
    """
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<lint-wb>", "exec", flags, dont_inherit=True)
    except SyntaxError as error:
        from lint_wb.newer_syntax import newer_syntax_error

        return newer_syntax_error(text, error, flags)
    except (ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or type(error).__name__
        return SyntaxError(f"Python cannot compile this file: {reason}")
    return None
