"""GitHub Actions workflow commands: one `::error ...::` annotation per finding.

A finding in a notebook cell has no line in the `.ipynb` file that GitHub could point at,
so (as ruff does) its annotation gets a plain fallback position, line 1 column 1, and the
message starts with the real place: `cell 3:1:26: ...`. A path that could not be checked is
an `::error` at its line 1 titled `lint-wb`.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint_wb.findings import Finding, Location
from lint_wb.results import Unchecked


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding) -> str:
    level = "error" if finding.severity.value == "error" else "warning"
    start, end, message = finding.location, finding.end_location, finding.message
    if finding.cell is not None:
        message = f"cell {finding.cell}:{start.row}:{start.column}: {message}"
        start = end = Location(1, 1)
    properties = ",".join(
        [
            f"file={_escape_property(finding.filename)}",
            f"line={start.row}",
            f"col={start.column}",
            f"endLine={end.row}",
            f"endColumn={end.column}",
            f"title={_escape_property(finding.code)}",
        ]
    )
    return f"::{level} {properties}::{_escape_data(message)}"


def _unchecked_annotation(unchecked: Unchecked) -> str:
    """A path that could not be checked: an error at its first line, titled lint-wb."""
    properties = f"file={_escape_property(unchecked.path)},line=1,col=1,title=lint-wb"
    return f"::error {properties}::{_escape_data(unchecked.message)}"


def render_github(findings: Sequence[Finding], unchecked: Sequence[Unchecked] = ()) -> str:
    lines = [*map(_annotation, findings), *map(_unchecked_annotation, unchecked)]
    return "".join(line + "\n" for line in lines)
