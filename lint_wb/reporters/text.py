"""The human formats: `full` (the finding, its source line with a caret, the fix) and `concise`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from lint_wb.findings import Finding, Severity
from lint_wb.records import dataclass
from lint_wb.terminal import style

FixApplies = Callable[[Finding], bool]
"""Whether `--fix` would apply a finding's fix (unsafe fixes are on per file)."""

MAX_SHOWN_LINES = 3


def _place(finding: Finding) -> str:
    cell = f":cell {finding.cell}" if finding.cell is not None else ""
    return f"{finding.filename}{cell}:{finding.location.row}:{finding.location.column}:"


def _marker(finding: Finding, applies: FixApplies) -> str:
    if applies(finding):
        return " " + style("[*]", fg="cyan")
    return ""


def headline(finding: Finding, applies: FixApplies) -> str:
    color = "red" if finding.severity.value == "error" else "yellow"
    return (
        f"{style(_place(finding), bold=True)} "
        f"{style(finding.code, fg=color, bold=True)}{_marker(finding, applies)} "
        f"{finding.message}"
    )


def render_concise(findings: Sequence[Finding], applies: FixApplies) -> str:
    return "".join(headline(finding, applies) + "\n" for finding in findings)


def _frame(finding: Finding, limit: int) -> list[str]:
    lines = finding.source_lines[:MAX_SHOWN_LINES]
    if not lines:
        return []
    first_row = finding.location.row
    width = len(str(first_row + len(lines) - 1))
    gutter = " " * width + " |"
    shown = [shown_line(text) for text in lines]
    start, end = _caret_columns(finding, lines[0], shown[0])
    window = Window.around(start, end, limit, max(line.width for line in shown))
    out = [style(gutter, fg="blue")]
    for offset, line in enumerate(shown):
        row = first_row + offset
        out.append(style(f"{row:>{width}} |", fg="blue") + f" {window.cut(line)}")
        if offset == 0:
            out.append(style(gutter, fg="blue") + " " + _caret(finding, window, start, end))
    if len(finding.source_lines) > MAX_SHOWN_LINES:
        out.append(style(gutter, fg="blue") + " ...")
    out.append(style(gutter, fg="blue"))
    return out


LINE_LIMIT = 120
"""Source lines wider than this many columns are cut around the caret (when the output is
not a terminal; on one, its width decides)."""

ELLIPSIS = "..."


@dataclass(frozen=True)
class Window:
    """The screen columns [left, right) of the source lines a frame shows."""

    left: int
    right: int | None
    """None: to the end of every line (nothing is cut)."""

    @classmethod
    def around(cls, start: int, end: int, limit: int, widest: int) -> Window:
        """The columns to show of lines up to `widest` wide so that [start, end) (the caret)
        is in view, centred, and a cut line with its ellipses is about `limit` wide."""
        if widest <= limit:
            return cls(0, None)
        room = max(limit - 2 * len(ELLIPSIS), 1)
        span = end - start
        if span >= room:
            return cls(start, start + room)
        left = max(0, start - (room - span) // 2)
        right = min(widest, left + room)
        return cls(max(0, right - room), right)

    def cut(self, line: ShownLine) -> str:
        if self.right is None:
            return line.text
        kept = [
            index
            for index in range(len(line.pieces))
            if line.starts[index] >= self.left and line.starts[index + 1] <= self.right
        ]
        text = ""
        if kept:
            # a piece cut by the left edge (a tab, a wide character) leaves blank columns
            text = " " * (line.starts[kept[0]] - self.left)
            text += "".join(line.pieces[index] for index in kept)
        before = ELLIPSIS if self.left > 0 else ""
        after = ELLIPSIS if line.width > self.right else ""
        return before + text + after

    def column(self, screen_column: int) -> int:
        """Where a column of the line is in the cut line (clipped to the window)."""
        if self.right is None:
            return screen_column
        lead = len(ELLIPSIS) if self.left > 0 else 0
        return lead + min(max(screen_column, self.left), self.right) - self.left


TAB_WIDTH = 4
"""Tabs are shown as spaces up to the next multiple of this column (as ruff shows them)."""


@dataclass(frozen=True)
class ShownLine:
    """A source line as a terminal shows it: tabs expanded, control characters made visible,
    and where each of the line's characters starts on screen."""

    pieces: tuple[str, ...]
    """What each character of the source line is shown as."""
    starts: tuple[int, ...]
    """The screen column (0-based) of each character of the source line, then its end."""

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    @property
    def width(self) -> int:
        return self.starts[-1]

    def column(self, source_column: int) -> int:
        """The screen column of a 1-based source column (past the end: the end)."""
        return self.starts[min(max(source_column - 1, 0), len(self.starts) - 1)]


def shown_line(text: str) -> ShownLine:
    text = text.rstrip("\r\n")
    if text.isascii() and text.isprintable():  # most code: each character one column
        return ShownLine(tuple(text), tuple(range(len(text) + 1)))
    pieces: list[str] = []
    starts: list[int] = []
    column = 0
    for char in text:
        starts.append(column)
        piece = _shown_char(char, column)
        pieces.append(piece)
        column += _screen_width(piece)
    starts.append(column)
    return ShownLine(tuple(pieces), tuple(starts))


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


def _caret_columns(finding: Finding, text: str, shown: ShownLine) -> tuple[int, int]:
    """The screen columns under the finding on its first line (to the line's end when the
    finding goes on)."""
    start = shown.column(finding.location.column)
    if finding.end_location.row == finding.location.row:
        return start, shown.column(finding.end_location.column)
    return start, shown.column(len(text.rstrip()) + 1)


def _caret(finding: Finding, window: Window, start: int, end: int) -> str:
    first, last = window.column(start), window.column(end)
    marks = "^" * max(1, last - first)
    color = "red" if finding.severity.value == "error" else "yellow"
    return " " * first + style(f"{marks} {finding.code}", fg=color, bold=True)


def render_full(findings: Sequence[Finding], applies: FixApplies, limit: int = LINE_LIMIT) -> str:
    """Each finding, its source lines (cut around the caret when wider than `limit`
    columns) and its fix."""
    blocks: list[str] = []
    for finding in findings:
        lines = [headline(finding, applies), *_frame(finding, limit)]
        if finding.fix is not None:
            note = "" if applies(finding) else " (unsafe: --unsafe-fixes)"
            lines.append(style("  = help: ", fg="cyan") + finding.fix.message + note)
        if finding.url:
            lines.append(style("  = docs: ", fg="cyan") + finding.url)
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def counted(findings: Sequence[Finding]) -> str:
    """`2 errors and 1 warning`, `1 warning`, `3 errors`: the words every summary line uses."""
    warnings = sum(1 for finding in findings if finding.severity is Severity.WARNING)
    errors = len(findings) - warnings
    if warnings and errors:
        return f"{plural(errors, 'error')} and {plural(warnings, 'warning')}"
    if warnings:
        return plural(warnings, "warning")
    return plural(errors, "error")


def summary(
    remaining: Sequence[Finding],
    fixed: Sequence[Finding],
    applies: FixApplies,
    fixing: bool,
    unchecked: int = 0,
) -> str:
    """The closing line: `Found 7 errors (5 fixable with --fix, 1 more with --unsafe-fixes).`,
    errors and warnings counted apart (`Found 2 errors and 1 warning.`).

    `unchecked` counts the paths that could not be read or checked (reported on stderr):
    with nothing found, the line must not say that all checks passed, and with findings it
    says how many paths they leave out (`Found 1 error; 2 paths could not be checked.`).
    """
    found = [*remaining, *fixed]
    if not found and unchecked:
        return f"No findings, but {plural(unchecked, 'path')} could not be checked."
    if not found:
        return style("All checks passed!", fg="green")
    left_out = f"; {plural(unchecked, 'path')} could not be checked" if unchecked else ""
    if fixing:
        counts = f"({len(fixed)} fixed, {len(remaining)} remaining)"
        return f"Found {counted(found)} {counts}{left_out}."
    return f"Found {counted(found)}{_fixable(remaining, applies)}{left_out}."


def diff_summary(
    fixed: Sequence[Finding], remaining: Sequence[Finding], applies: FixApplies
) -> str:
    """What `--diff` would fix, in the summary's words: `Would fix 2 errors and 1 warning.`
    (empty when it would fix nothing and no unsafe fix waits)."""
    waiting = _unsafe_waiting(remaining, applies)
    if fixed:
        more = f" ({waiting} more with --unsafe-fixes)" if waiting else ""
        return f"Would fix {counted(fixed)}{more}."
    if waiting:
        return f"Would fix nothing ({waiting} fixable with --unsafe-fixes)."
    return ""


def _fixable(remaining: Sequence[Finding], applies: FixApplies) -> str:
    safe = sum(1 for finding in remaining if applies(finding))
    unsafe = _unsafe_waiting(remaining, applies)
    parts = []
    if safe:
        parts.append(f"{safe} fixable with --fix")
    if unsafe:
        parts.append(f"{unsafe} {'more' if safe else 'fixable'} with --unsafe-fixes")
    return f" ({', '.join(parts)})" if parts else ""


def _unsafe_waiting(remaining: Sequence[Finding], applies: FixApplies) -> int:
    """Findings whose fix --fix would not apply (it needs --unsafe-fixes)."""
    return sum(1 for finding in remaining if finding.fix is not None and not applies(finding))
