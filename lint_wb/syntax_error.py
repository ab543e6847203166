"""WB901: the finding for a file that does not parse, placed where the parser gave up."""

from __future__ import annotations

import re

from lint_wb._cst import cst
from lint_wb.config.settings import LintOptions
from lint_wb.findings import Finding, Location
from lint_wb.lines import LineIndex
from lint_wb.rules import RULES_BY_CODE

SYNTAX_ERROR = "WB901"


def syntax_error(
    text: str, filename: str, error: Exception, options: LintOptions, cell: int | None
) -> tuple[Finding, ...]:
    """The WB901 finding for `error` (none when WB901 is off)."""
    if SYNTAX_ERROR not in options.enabled:
        return ()
    row, column = 1, 1
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, cst.ParserSyntaxError):
        row, column = error.raw_line, error.raw_column + 1
        message = parser_message(error.message)
    index = LineIndex(text)
    row = max(1, min(row, len(index.starts)))
    rule = RULES_BY_CODE[SYNTAX_ERROR]
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
            url=rule.url(),
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
