"""The command line: options -> api call -> a reporter -> an exit code.

Exit codes: 0 nothing left to report; 1 findings remain (or, with --exit-non-zero-on-fix,
something was fixed; or a file could not be read); 2 usage, configuration or internal error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from lint_wb import __version__
from lint_wb.api import (
    FileResult,
    Mode,
    Overrides,
    RunResult,
    SettingsCache,
    check_paths,
    lint_options,
    lint_text,
)
from lint_wb.config import OUTPUT_FORMATS, ConfigError, resolve_settings
from lint_wb.findings import Finding
from lint_wb.reporters.github import render_github
from lint_wb.reporters.json_format import render_json, render_json_lines
from lint_wb.reporters.text import plural, render_concise, render_full, summary
from lint_wb.rules import ALL_RULES, RULES_BY_CODE, RULES_BY_NAME, check_selector
from lint_wb.settings import Settings
from lint_wb.spec import SpecError, default_models

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str]) -> tuple[str, ...]:
    """`--select WB1,WB2 --select WB3` -> ('WB1', 'WB2', 'WB3'), each checked."""
    selectors = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    for selector in selectors:
        problem = check_selector(selector)
        if problem is not None:
            raise click.BadParameter(problem)
    return selectors


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, readable=False))
@click.option("--fix", is_flag=True, help="Apply fixes (safe ones; more with --unsafe-fixes).")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List what --fix fixed.")
@click.option("--select", multiple=True, help="Codes, prefixes (WB4) or names to check.")
@click.option("--extend-select", multiple=True, help="Codes to check on top of select.")
@click.option("--ignore", multiple=True, help="Codes, prefixes or names not to check.")
@click.option("--assume-wandb", is_flag=True, default=None, help="Every client is meant for W&B.")
@click.option(
    "--output-format",
    type=click.Choice(OUTPUT_FORMATS),
    default=None,
    help="How findings are printed (default: full).",
)
@click.option("-o", "--output-file", type=click.Path(path_type=Path), help="Write the report here.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when something was fixed.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="Config file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to paths given explicitly.")
@click.option("--stdin-filename", help="The name of the file read from stdin (`-`).")
@click.option("--no-cache", is_flag=True, help="Do not reuse findings from earlier runs.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--explain", metavar="CODE", help="Print a rule's docs and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings in force for the first PATH, and where they come from.",
)
@click.option(
    "--update-models",
    is_flag=True,
    help="Download W&B's public model catalog into the cache directory ($LINT_WB_CACHE_DIR, "
    "else $XDG_CACHE_HOME/lint-wb or ~/.cache/lint-wb) and exit.",
)
@click.option(
    "--api-key-env",
    metavar="NAME",
    help="With --update-models: also ask GET /v1/models which IDs are served, with the W&B "
    "API key in environment variable NAME (e.g. WANDB_API_KEY). No key is used without it.",
)
@click.option("--list-models", is_flag=True, help="Print the model snapshot in use and exit.")
@click.version_option(__version__, "--version", prog_name="lint-wb")
def main(**options: object) -> None:
    """Lint Python code that calls W&B Inference through the OpenAI SDK."""
    try:
        code = _run(options)
    except click.exceptions.Exit:
        raise
    except (click.ClickException, click.Abort):
        raise
    except ConfigError as error:
        click.echo(f"lint-wb: error: {error}", err=True)
        code = EXIT_ERROR
    sys.exit(code)


def _run(options: dict[str, object]) -> int:
    if options["explain"]:
        return _explain(str(options["explain"]))
    if options["list_rules"]:
        return _list_rules(options["output_format"] == "json")
    if options["show_settings"]:
        return _show_settings(options)
    if options["update_models"]:
        return _update_models(options)
    if options["api_key_env"]:
        raise click.UsageError("--api-key-env goes with --update-models")
    if options["list_models"]:
        return _list_models(options)
    overrides = _overrides(options)
    mode = Mode(
        fix=bool(options["fix"]),
        diff=bool(options["diff"]),
        force_exclude=bool(options["force_exclude"]),
        cache=not options["no_cache"],
    )
    paths: tuple[Path, ...] = options["paths"] or (Path("."),)  # type: ignore[assignment]
    settings = resolve_settings(
        paths[0],
        config=overrides.config,
        isolated=overrides.isolated,
        check_selector=check_selector,
    )
    _warn_about_snapshot(settings)
    output_format = str(options["output_format"] or settings.output_format)
    unsafe = overrides.unsafe_fixes if overrides.unsafe_fixes is not None else settings.unsafe_fixes
    if paths == (Path("-"),):
        run = _run_stdin(options, overrides, mode)
    else:
        jobs = options["jobs"] if isinstance(options["jobs"], int) else None
        with TerminalProgress() as progress:
            run = check_paths(paths, overrides, mode, jobs=jobs, progress=progress)
    report = Report(run, output_format, unsafe, mode, options)
    return report.emit()


class TerminalProgress:
    """A progress bar on stderr for long runs on a terminal; silent when piped or in CI."""

    MIN_FILES = 200

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def start(self, total: int) -> None:
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        if interactive and total >= self.MIN_FILES:
            self.bar = click.progressbar(length=total, label="Linting", file=sys.stderr)

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)


def _overrides(options: dict[str, object]) -> Overrides:
    return Overrides(
        select=_split(options["select"]) or None,  # type: ignore[arg-type]
        extend_select=_split(options["extend_select"]),  # type: ignore[arg-type]
        ignore=_split(options["ignore"]),  # type: ignore[arg-type]
        assume_wandb=options["assume_wandb"],  # type: ignore[arg-type]
        unsafe_fixes=options["unsafe_fixes"],  # type: ignore[arg-type]
        config=options["config"],  # type: ignore[arg-type]
        isolated=bool(options["isolated"]),
    )


def _run_stdin(options: dict[str, object], overrides: Overrides, mode: Mode) -> RunResult:
    filename = str(options["stdin_filename"] or "-")
    data = sys.stdin.buffer.read()
    result = lint_text(data, filename, overrides, mode)
    if mode.fix and not mode.diff:
        if result.fixed_text is None:
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(result.fixed_text)
        sys.stdout.flush()
    return RunResult(files=[result], config_error=result.config_error)


class Report:
    """Prints one run's results in the chosen format and works out the exit code."""

    def __init__(
        self,
        run: RunResult,
        output_format: str,
        unsafe: bool,
        mode: Mode,
        options: dict[str, object],
    ) -> None:
        self.run = run
        self.format = output_format
        self.mode = mode
        self.options = options
        self.findings = sorted(run.findings, key=lambda f: f.sort_key)
        self.fixed = [finding for result in run.files for finding in result.fixed]
        self.stdin_fix = run.files and options["paths"] == (Path("-"),) and mode.fix
        self.unsafe_files = {
            str(result.path) for result in run.files if result.unsafe_fixes or unsafe
        }

    def fix_applies(self, finding: Finding) -> bool:
        """Whether --fix applies this finding's fix: unsafe fixes can be on per folder."""
        if finding.fix is None:
            return False
        return finding.fix.is_applied(finding.filename in self.unsafe_files)

    def emit(self) -> int:
        errors = [f"{result.path}: {result.error}" for result in self.run.files if result.error]
        notes = [note for result in self.run.files for note in result.notes]
        for line in [*self.run.errors, *errors, *notes]:
            click.echo(click.style("lint-wb: ", fg="red", bold=True) + line, err=True)
        self._write(self._body())
        if self.mode.diff:
            # As ruff: --diff fails when there is something to fix; it shows no findings,
            # so those it cannot fix do not count.
            if any(result.diff for result in self.run.files) and not self.options["exit_zero"]:
                return EXIT_FINDINGS
        elif self.findings and not self.options["exit_zero"]:
            return EXIT_FINDINGS
        if self.options["exit_non_zero_on_fix"] and self.fixed:
            return EXIT_FINDINGS
        if self.run.config_error:
            return EXIT_ERROR
        if (errors or self.run.errors) and not self.options["exit_zero"]:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def _write(self, text: str) -> None:
        target = self.options["output_file"]
        if isinstance(target, Path):
            target.write_text(click.unstyle(text), encoding="utf-8")
            return
        click.echo(text, nl=False, err=bool(self.stdin_fix))

    def _body(self) -> str:
        if self.mode.diff:
            return "".join(result.diff for result in self.run.files)
        if self.format == "json":
            return render_json(self.findings)
        if self.format == "json-lines":
            return render_json_lines(self.findings)
        if self.format == "github":
            return render_github(self.findings)
        if self.format == "sarif":
            from lint_wb.reporters.sarif import render_sarif

            return render_sarif(self.findings)
        return self._text()

    def _text(self) -> str:
        render = render_concise if self.format == "concise" else render_full
        # As ruff: --statistics shows the counts instead of the findings.
        listing = self.findings and not self.options["statistics"]
        parts = [render(self.findings, self.fix_applies)] if listing else []
        if self.options["show_fixes"] and self.fixed:
            parts.append(_fixed_list(self.fixed))
        if self.options["statistics"]:
            parts.append(_statistics(self.findings, self.run.files))
        if not self.options["quiet"]:
            fixing = self.mode.fix
            unchecked = len(self.run.errors) + sum(1 for r in self.run.files if r.error)
            line = summary(self.findings, len(self.fixed), self.fix_applies, fixing, unchecked)
            parts.append(line + "\n")
        return "\n".join(part for part in parts if part)


def _fixed_list(fixed: Sequence[Finding]) -> str:
    lines = [f"Fixed {plural(len(fixed), 'error')}:"]
    by_file: dict[str, Counter[tuple[str, str]]] = {}
    for finding in fixed:
        by_file.setdefault(finding.filename, Counter())[(finding.code, finding.name)] += 1
    for filename, counts in by_file.items():
        lines.append(f"- {filename}:")
        for (code, name), count in sorted(counts.items()):
            lines.append(f"    {count} x {code} ({name})")
    return "\n".join(lines) + "\n"


def _statistics(findings: Sequence[Finding], files: Sequence[FileResult]) -> str:
    counts = Counter(finding.code for finding in findings)
    fixable = {f.code for f in findings if f.fix is not None}
    suppressed = sum(result.suppressed for result in files)
    lines = [
        f"{count:>5}\t{code}\t[{'*' if code in fixable else ' '}] {RULES_BY_CODE[code].name}"
        for code, count in counts.most_common()
    ]
    if suppressed:
        lines.append(f"{suppressed:>5}\tsuppressed by noqa")
    return "\n".join(lines) + "\n"


def _show_settings(options: dict[str, object]) -> int:
    paths: tuple[Path, ...] = options["paths"] or (Path("."),)  # type: ignore[assignment]
    overrides = _overrides(options)
    settings = SettingsCache(overrides).for_path(paths[0].absolute())
    origin = settings.config_file or "defaults (no configuration file found)"
    click.echo(f"Settings for {paths[0]}")
    click.echo(f"from: {origin}")
    click.echo(f"root: {settings.root}")
    for field in dataclasses.fields(settings):
        if field.name in {"config_file", "root"}:
            continue
        click.echo(f"{field.name.replace('_', '-')} = {getattr(settings, field.name)!r}")
    enabled = lint_options(paths[0].absolute(), settings).enabled
    click.echo(f"enabled rules = {', '.join(sorted(enabled))}")
    return EXIT_CLEAN


def _explain(selector: str) -> int:
    rule = RULES_BY_CODE.get(selector.upper()) or RULES_BY_NAME.get(selector)
    if rule is None:
        message = check_selector(selector) or f"'{selector}' is not one rule"
        click.echo(f"lint-wb: error: {message}", err=True)
        return EXIT_ERROR
    header = f"# {rule.code} {rule.name} ({rule.severity.value}, fix: {rule.fix_safety.value})"
    click.echo(f"{header}\n\n{rule.docs()}\n\nDocs: {rule.url()}")
    return EXIT_CLEAN


def _list_rules(as_json: bool) -> int:
    if as_json:
        rows = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity.value,
                "fix": rule.fix_safety.value,
                "summary": rule.summary(),
                "url": rule.url(),
            }
            for rule in ALL_RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    for rule in ALL_RULES:
        click.echo(
            f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} "
            f"fix: {rule.fix_safety.value:<9} {rule.summary()}"
        )
    return EXIT_CLEAN


def _update_models(options: dict[str, object]) -> int:
    """--update-models: the public feed, plus GET /v1/models only when --api-key-env names
    the variable holding a key (a key is never read implicitly nor taken on the command line)."""
    from lint_wb.catalog import CatalogError, update_from_environment, update_report

    name = options["api_key_env"]
    try:
        result = update_from_environment(str(name) if name else None)
    except CatalogError as error:
        click.echo(f"lint-wb: error: {error}", err=True)
        return EXIT_ERROR
    click.echo(update_report(result))
    return EXIT_CLEAN


def _list_models(options: dict[str, object]) -> int:
    from lint_wb.catalog import models_json, models_text, snapshot_in_use

    paths: tuple[Path, ...] = options["paths"] or (Path("."),)  # type: ignore[assignment]
    settings = SettingsCache(_overrides(options)).for_path(paths[0].absolute())
    try:
        snapshot = snapshot_in_use(settings.models_file)
    except SpecError as error:
        click.echo(f"lint-wb: error: {error}", err=True)
        return EXIT_ERROR
    if snapshot.warning:
        click.echo(f"lint-wb: warning: {snapshot.warning}", err=True)
    as_json = options["output_format"] == "json"
    click.echo(models_json(snapshot) if as_json else models_text(snapshot))
    return EXIT_CLEAN


def _warn_about_snapshot(settings: Settings) -> None:
    """An unusable cached snapshot is skipped (the bundled one is used): say so, once."""
    warning = default_models().warning if settings.models_file is None else None
    if warning:
        click.echo(f"lint-wb: warning: {warning}", err=True)
