"""The human formats: `full` (the finding, its source line with a caret, the fix) and `concise`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import click

from lint_wb.findings import Finding

FixApplies = Callable[[Finding], bool]
"""Whether `--fix` would apply a finding's fix (unsafe fixes are on per file)."""

MAX_SHOWN_LINES = 3


def _place(finding: Finding) -> str:
    cell = f":cell {finding.cell}" if finding.cell is not None else ""
    return f"{finding.filename}{cell}:{finding.location.row}:{finding.location.column}:"


def _marker(finding: Finding, applies: FixApplies) -> str:
    if applies(finding):
        return " " + click.style("[*]", fg="cyan")
    return ""


def headline(finding: Finding, applies: FixApplies) -> str:
    color = "red" if finding.severity.value == "error" else "yellow"
    return (
        f"{click.style(_place(finding), bold=True)} "
        f"{click.style(finding.code, fg=color, bold=True)}{_marker(finding, applies)} "
        f"{finding.message}"
    )


def render_concise(findings: Sequence[Finding], applies: FixApplies) -> str:
    return "".join(headline(finding, applies) + "\n" for finding in findings)


def _frame(finding: Finding) -> list[str]:
    lines = finding.source_lines[:MAX_SHOWN_LINES]
    if not lines:
        return []
    first_row = finding.location.row
    width = len(str(first_row + len(lines) - 1))
    gutter = " " * width + " |"
    out = [click.style(gutter, fg="blue")]
    for offset, text in enumerate(lines):
        row = first_row + offset
        shown = shown_line(text)
        out.append(click.style(f"{row:>{width}} |", fg="blue") + f" {shown.text}")
        if offset == 0:
            out.append(click.style(gutter, fg="blue") + " " + _caret(finding, text, shown))
    if len(finding.source_lines) > MAX_SHOWN_LINES:
        out.append(click.style(gutter, fg="blue") + " ...")
    out.append(click.style(gutter, fg="blue"))
    return out


TAB_WIDTH = 4
"""Tabs are shown as spaces up to the next multiple of this column (as ruff shows them)."""


@dataclass(frozen=True)
class ShownLine:
    """A source line as a terminal shows it: tabs expanded, control characters made visible,
    and where each of the line's characters starts on screen."""

    text: str
    starts: tuple[int, ...]
    """The screen column (0-based) of each character of the source line, then its end."""

    def column(self, source_column: int) -> int:
        """The screen column of a 1-based source column (past the end: the end)."""
        return self.starts[min(max(source_column - 1, 0), len(self.starts) - 1)]


def shown_line(text: str) -> ShownLine:
    text = text.rstrip("\r\n")
    pieces: list[str] = []
    starts: list[int] = []
    column = 0
    for char in text:
        starts.append(column)
        piece = _shown_char(char, column)
        pieces.append(piece)
        column += _screen_width(piece)
    starts.append(column)
    return ShownLine("".join(pieces), tuple(starts))


def _shown_char(char: str, column: int) -> str:
    if char == "\t":
        return " " * (TAB_WIDTH - column % TAB_WIDTH)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: NUL -> U+2400, ESC -> U+241B
    if code == 0x7F:
        return "\u2421"
    if unicodedata.category(char) == "Cc":
        return "\ufffd"
    return char


def _screen_width(piece: str) -> int:
    """Columns a terminal gives `piece`: wide East Asian characters take two, combining marks
    none."""
    width = 0
    for char in piece:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _caret(finding: Finding, text: str, shown: ShownLine) -> str:
    """Carets under the finding's columns of its first line (to the line's end when the
    finding goes on)."""
    start = shown.column(finding.location.column)
    if finding.end_location.row == finding.location.row:
        end = shown.column(finding.end_location.column)
    else:
        end = shown.column(len(text.rstrip()) + 1)
    marks = "^" * max(1, end - start)
    color = "red" if finding.severity.value == "error" else "yellow"
    return " " * start + click.style(f"{marks} {finding.code}", fg=color, bold=True)


def render_full(findings: Sequence[Finding], applies: FixApplies) -> str:
    blocks: list[str] = []
    for finding in findings:
        lines = [headline(finding, applies), *_frame(finding)]
        if finding.fix is not None:
            note = "" if applies(finding) else " (unsafe: --unsafe-fixes)"
            lines.append(click.style("  = help: ", fg="cyan") + finding.fix.message + note)
        if finding.url:
            lines.append(click.style("  = docs: ", fg="cyan") + finding.url)
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(
    remaining: Sequence[Finding], fixed: int, applies: FixApplies, fixing: bool, unchecked: int = 0
) -> str:
    """The closing line: `Found 7 errors (5 fixable with --fix, 1 more with --unsafe-fixes).`

    `unchecked` counts the paths that could not be read or checked (reported on stderr):
    with nothing found, the line must not say that all checks passed.
    """
    total = len(remaining) + fixed
    if total == 0 and unchecked:
        return f"No findings, but {plural(unchecked, 'path')} could not be checked."
    if total == 0:
        return click.style("All checks passed!", fg="green")
    if fixing:
        if not remaining:
            return f"Found {plural(total, 'error')} ({fixed} fixed, 0 remaining)."
        return f"Found {plural(total, 'error')} ({fixed} fixed, {len(remaining)} remaining)."
    safe = sum(1 for f in remaining if applies(f))
    unsafe = sum(1 for f in remaining if f.fix is not None and not applies(f))
    parts = []
    if safe:
        parts.append(f"{safe} fixable with --fix")
    if unsafe:
        parts.append(f"{unsafe} {'more ' if safe else ''}with --unsafe-fixes")
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"Found {plural(total, 'error')}{detail}."
