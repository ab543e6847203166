"""Printing one run: its errors on stderr, the report in the chosen format, the exit code.

Exit codes: 0 nothing left to report; 1 findings remain (or, with --exit-non-zero-on-fix,
something was fixed); 2 usage, configuration or internal error, or a path that could not be
checked (unreadable, binary, undecodable, a broken notebook or link, a special file).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lint_wb.cli.exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from lint_wb.cli.options import ReportOptions
from lint_wb.files.atomic import WriteError, WriteOptions, replace_file, sweep_leftovers
from lint_wb.findings import Finding
from lint_wb.results import Mode, RunResult, Unchecked
from lint_wb.terminal import echo, style, unstyle

if TYPE_CHECKING:
    from lint_wb.reporters.statistics import Statistic

# Each format's reporter is imported where that format is printed: a JSON report loads
# neither the text reporter nor the statistics.

MIN_LINE_LIMIT, GUTTER = 40, 10
"""On a terminal, source lines get its width less the row numbers' gutter, at least 40."""
STATISTICS_FORMATS = ("full", "concise", "json")
"""The formats `--statistics` prints in (as ruff: text, or JSON)."""
REPORT_MODE = 0o644


class Report:
    """Prints one run's results in the chosen format and works out the exit code."""

    def __init__(
        self,
        run: RunResult,
        output_format: str,
        mode: Mode,
        options: ReportOptions,
        *,
        stdin: bool = False,
    ) -> None:
        self.run = run
        self.format = output_format
        self.mode = mode
        self.options = options
        self.findings = sorted(run.findings, key=lambda f: f.sort_key)
        self.fixed = [finding for result in run.files for finding in result.fixed]
        self.stdin_fix = bool(run.files) and stdin and mode.fix
        self.unsafe_files = {str(result.path) for result in run.files if result.unsafe_fixes}
        """The files whose settings turn unsafe fixes on (`--unsafe-fixes` is in each one's)."""
        self.unchecked = run.unchecked

    def fix_applies(self, finding: Finding) -> bool:
        """Whether --fix applies this finding's fix: unsafe fixes can be on per folder."""
        if finding.fix is None:
            return False
        return finding.fix.is_applied(finding.filename in self.unsafe_files)

    def emit(self) -> int:
        errors = error_lines(self.unchecked)
        notes = [*self.run.notes, *(note for result in self.run.files for note in result.notes)]
        for line in [*errors, *notes]:
            echo(style("lint-wb: ", fg="red", bold=True) + line, err=True)
        self._write(self._body())
        self._say_what_diff_would_fix()
        if self.run.config_error or self.run.internal_error or self.unchecked:
            return EXIT_ERROR  # whatever else was found: the run is not to be trusted
        if self.mode.diff:
            # As ruff: --diff fails when there is something to fix; it shows no findings,
            # so those it cannot fix do not count.
            if any(result.diff for result in self.run.files) and not self.options.exit_zero:
                return EXIT_FINDINGS
        elif self.findings and not self.options.exit_zero:
            return EXIT_FINDINGS
        if self.options.exit_non_zero_on_fix and self.fixed:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def _say_what_diff_would_fix(self) -> None:
        """`--diff` ends with `Would fix N errors.` on stderr (as ruff), so that standard
        output stays a patch."""
        if not self.mode.diff or self.options.quiet:
            return
        from lint_wb.reporters.text import diff_summary

        line = diff_summary(self.fixed, self.findings, self.fix_applies)
        if line:
            echo(line, err=True)

    def _write(self, text: str) -> None:
        target = self.options.output_file
        if target is not None:
            # A file name that is not UTF-8 goes out as its own bytes, as on stdout.
            data = unstyle(text).encode("utf-8", "surrogateescape")
            sweep_leftovers(target.parent)  # a killed run's half-written report
            try:
                replace_file(target, data, WriteOptions(mode=REPORT_MODE))
            except WriteError as error:
                echo(f"lint-wb: error: {target}: {error}", err=True)
            return
        echo(text, nl=False, err=bool(self.stdin_fix))

    def _body(self) -> str:
        if self.mode.diff:
            return "".join(result.diff for result in self.run.files)
        if self.format == "json" and self.options.statistics:
            from lint_wb.reporters import statistics

            return statistics.render_json(self._statistics(), self._suppressed())
        if self.format in ("json", "json-lines"):
            from lint_wb.reporters.json_format import render_json, render_json_lines

            render = render_json if self.format == "json" else render_json_lines
            return render(self.findings, self.unchecked)
        if self.format == "github":
            from lint_wb.reporters.github import render_github

            return render_github(self.findings, self.unchecked)
        if self.format == "sarif":
            from lint_wb.reporters.sarif import render_sarif

            return render_sarif(self.findings, self.unchecked)
        return self._text()  # the unchecked paths are on stderr and in the summary

    def _text(self) -> str:
        from lint_wb.reporters import statistics
        from lint_wb.reporters.text import summary

        # As ruff: --statistics shows the counts instead of the findings.
        listing = self.findings and not self.options.statistics
        parts = [self._listing()] if listing else []
        if self.options.show_fixes and self.fixed:
            parts.append(_fixed_list(self.fixed))
        if self.options.statistics:
            parts.append(statistics.render_text(self._statistics(), self._suppressed()))
        if not self.options.quiet:
            fixing = self.mode.fix
            unchecked = len(self.unchecked)
            line = summary(self.findings, self.fixed, self.fix_applies, fixing, unchecked)
            parts.append(line + "\n")
        return "\n".join(part for part in parts if part)

    def _listing(self) -> str:
        from lint_wb.reporters.text import render_concise, render_full

        if self.format == "concise":
            return render_concise(self.findings, self.fix_applies)
        return render_full(self.findings, self.fix_applies, self._line_limit())

    def _line_limit(self) -> int:
        """Source lines are cut to the terminal's width; elsewhere to a fixed limit."""
        from lint_wb.reporters.text import LINE_LIMIT

        if self.options.output_file is None and sys.stdout.isatty():
            import shutil  # only a report to a terminal asks its width

            columns = shutil.get_terminal_size((LINE_LIMIT, 24)).columns
            return max(MIN_LINE_LIMIT, columns - GUTTER)
        return LINE_LIMIT

    def _statistics(self) -> list[Statistic]:
        from lint_wb.reporters import statistics

        return statistics.count_findings(self.findings, self.fix_applies)

    def _suppressed(self) -> int:
        return sum(result.suppressed for result in self.run.files)


def error_lines(unchecked: Sequence[Unchecked]) -> list[str]:
    """One line per unchecked path (`path: why`), except that a broken configuration file is
    one line for all the paths under it: its message, then how many paths it left unchecked."""
    by_config: dict[str, list[str]] = {}
    lines: list[str] = []
    for item in unchecked:
        if item.config:
            if item.message not in by_config:
                lines.append(item.message)
            by_config.setdefault(item.message, []).append(item.path)
        else:
            lines.append(f"{item.path}: {item.message}")
    return [_config_line(line, by_config[line]) if line in by_config else line for line in lines]


def _config_line(message: str, paths: Sequence[str]) -> str:
    if len(paths) == 1:
        return f"{paths[0]}: {message}"
    shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
    return f"{message} ({len(paths)} paths not checked: {shown})"


def _fixed_list(fixed: Sequence[Finding]) -> str:
    from lint_wb.reporters.text import counted

    lines = [f"Fixed {counted(fixed)}:"]
    by_file: dict[str, Counter[tuple[str, str]]] = {}
    for finding in fixed:
        by_file.setdefault(finding.filename, Counter())[(finding.code, finding.name)] += 1
    for filename, counts in by_file.items():
        lines.append(f"- {filename}:")
        for (code, name), count in sorted(counts.items()):
            lines.append(f"    {count} x {code} ({name})")
    return "\n".join(lines) + "\n"
