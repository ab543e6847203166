"""The human formats: `full` (the finding, its source line with a caret, the fix) and `concise`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
        out.append(click.style(f"{row:>{width}} |", fg="blue") + f" {text.expandtabs(1)}")
        if offset == 0:
            out.append(click.style(gutter, fg="blue") + " " + _caret(finding, text))
    if len(finding.source_lines) > MAX_SHOWN_LINES:
        out.append(click.style(gutter, fg="blue") + " ...")
    out.append(click.style(gutter, fg="blue"))
    return out


def _caret(finding: Finding, text: str) -> str:
    start = finding.location.column - 1
    if finding.end_location.row == finding.location.row:
        end = finding.end_location.column - 1
    else:
        end = len(text.rstrip())
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
