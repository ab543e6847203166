"""The commands of `lint-wb`: a run over the paths (or stdin) and the informational ones, from
the options as typed values to an exit code.

Click-free: the click command (`main.py`) and the quick reader of common command lines
(`quick.py`) both run the command through `run_guarded`. What click reports as a usage error
is raised here as `CommandLineError`, before the command does anything, so that the quick
reader can hand that command line to click, which reports it as it reports its own.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lint_wb.cli.exits import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED
from lint_wb.cli.options import Options
from lint_wb.config.keys import ConfigError
from lint_wb.terminal import echo

if TYPE_CHECKING:
    from lint_wb.accounting import RunAccount
    from lint_wb.api import Mode, Overrides, RunResult
    from lint_wb.config.settings import Settings

# What a run needs (the run's machinery, the reporters, the rules, the spec) is imported in
# the function that needs it: `--explain` never loads the linter.


class CommandLineError(Exception):
    """The command line asks for something that cannot be done; raised before the command
    does anything (click reports it: `main.py`)."""


class UsageProblem(CommandLineError):
    """click's `UsageError`: options that do not go together."""


class BadValue(CommandLineError):
    """click's `BadParameter`: an option's value is wrong."""


def run_guarded(options: Options) -> int:
    """The command's exit code; an interrupt or a broken configuration is one line on stderr
    and an exit code, not a traceback."""
    try:
        return run(options)
    except KeyboardInterrupt:
        echo("lint-wb: interrupted", err=True)
        return EXIT_INTERRUPTED
    except ConfigError as error:
        echo(f"lint-wb: error: {error}", err=True)
        return EXIT_ERROR


def _split(values: Sequence[str]) -> tuple[str, ...]:
    """`--select WB1,WB2 --select WB3` -> ('WB1', 'WB2', 'WB3'), each checked."""
    from lint_wb.rules.codes import check_selector

    selectors = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    for selector in selectors:
        problem = check_selector(selector)
        if problem is not None:
            raise BadValue(problem)
    return selectors


def run(options: Options) -> int:
    """One command: an informational one, or a run over the paths (or stdin)."""
    if options.explain:
        return _explain(options.explain)
    if options.list_rules:
        return _list_rules(options.output_format == "json")
    if options.show_settings:
        return _show_settings(options)
    if options.update_models:
        return _update_models(options.api_key_env)
    if options.api_key_env:
        raise UsageProblem("--api-key-env goes with --update-models")
    if options.list_models:
        return _list_models(options)
    if options.mixes_stdin_and_paths:
        raise UsageProblem("'-' reads standard input; give it alone, not with paths")
    return _check(options)


def _check(options: Options) -> int:
    """Lint (or fix) the paths or stdin, print the report; the exit code.

    A run without the result cache asks git what the folders given hold (`discovery.py`):
    git is started here, before the run's machinery is loaded, so that its answer is ready
    when the walk asks (loading takes longer than git's listing of a large checkout; started
    with the run, git kept the walk waiting). Whatever the run did not take is stopped."""
    from lint_wb.files.discovery import start_git_ahead, stop_git_ahead

    if options.no_cache and not options.reads_stdin:
        start_git_ahead(options.paths_or_here)
    try:
        return _checked(options)
    finally:
        stop_git_ahead()


def _reported(
    run: RunResult, output_format: str, mode: Mode, options: Options, account: RunAccount | None
) -> int:
    """Print the run's report (and its account, when asked); the exit code."""
    from lint_wb.cli.report import Report

    report = Report(run, output_format, mode, options.report, stdin=options.reads_stdin)
    if account is None:
        return report.emit()
    with account.phase("report", alone=True):
        code = report.emit()
    for line in account.lines():
        echo(f"lint-wb: {line}", err=True)
    return code


def _checked(options: Options) -> int:
    """`_check` once git is started."""
    from lint_wb.api import Mode, check_paths, workers_ended
    from lint_wb.cache import ResultCache
    from lint_wb.cli.report import STATISTICS_FORMATS
    from lint_wb.config.load import resolve_settings
    from lint_wb.rules.codes import check_selector

    overrides = _overrides(options)
    unwritable = _unwritable_output(options.report.output_file, options.paths)
    if unwritable:
        echo(f"lint-wb: error: {unwritable}", err=True)
        return EXIT_ERROR  # before any file is fixed
    results_cache = None if options.no_cache else ResultCache.in_user_cache()
    mode = Mode(
        fix=options.fix,
        diff=options.diff,
        force_exclude=options.force_exclude,
        results_cache=results_cache,
    )
    paths = options.paths_or_here
    first = Path(options.stdin_filename) if options.stdin_filename else paths[0]
    try:
        settings = overrides.apply(
            resolve_settings(
                first,
                config=overrides.config,
                isolated=overrides.isolated,
                check_selector=check_selector,
            )
        )
    except ConfigError as error:
        return _unconfigured_run(options, overrides, mode, str(error))
    _warn_about_snapshot(settings)
    output_format = options.output_format or settings.output_format
    if options.report.statistics and output_format not in STATISTICS_FORMATS:
        shown = " or ".join(STATISTICS_FORMATS)
        message = f"--statistics has no {output_format} format (use {shown})"
        echo(f"lint-wb: error: {message}", err=True)
        return EXIT_ERROR
    for ignored in options.ignored_for_stdin:
        echo(f"lint-wb: warning: ignoring {ignored}: reading standard input", err=True)
    from lint_wb.collector import pace_for_a_run

    pace_for_a_run()  # one run per process: through the report too (collector.py)
    account = _account_asked()
    if options.reads_stdin:
        run = _run_stdin(options.stdin_filename, overrides, mode)
    else:
        with TerminalProgress(quiet=options.report.quiet) as progress:
            run = check_paths(
                paths,
                overrides,
                mode,
                jobs=options.jobs,
                progress=progress,
                account=account,
                report_first=True,
            )
    try:  # the workers end while the report is written
        code = _reported(run, output_format, mode, options, account)
    finally:
        workers_ended()
    if results_cache is not None:
        from lint_wb.cache import prune_summaries
        from lint_wb.spec.compiled import prune_compiled

        results_cache.prune()
        prune_summaries()
        prune_compiled()
    return code


ACCOUNT_VARIABLE = "LINT_WB_ACCOUNT"
"""`accounting.ENVIRONMENT`, named here so that a run that asks no account does not load that
module (its dataclasses cost a millisecond to create)."""


def _account_asked() -> RunAccount | None:
    """An account of the run's time when the environment asks for one (`accounting.py`)."""
    if os.environ.get(ACCOUNT_VARIABLE) != "1":
        return None
    from lint_wb.accounting import RunAccount

    return RunAccount()


def _unconfigured_run(options: Options, overrides: Overrides, mode: Mode, problem: str) -> int:
    """The run's own configuration file is broken: no path is checked, and each is reported
    as unchecked in the format asked for on the command line (a machine format still gets a
    valid document), exit 2. stdin goes its usual way, so `--fix -` echoes the input: an
    editor must never get an empty buffer back."""
    from lint_wb.api import RunResult
    from lint_wb.cli.report import Report
    from lint_wb.results import Unchecked

    if options.reads_stdin:
        run = _run_stdin(options.stdin_filename, overrides, mode)
    else:
        errors = [Unchecked(str(path), problem, config=True) for path in options.paths_or_here]
        run = RunResult(errors=errors, config_error=True)
    output_format = options.output_format or "full"
    return Report(run, output_format, mode, options.report, stdin=options.reads_stdin).emit()


def _unwritable_output(target: Path | None, checked: Sequence[Path]) -> str | None:
    """Why `-o` cannot be written, found before the run rewrites anything: the report would
    replace a file the run is told to check (`-o app.py app.py` lost the source)."""
    from lint_wb.files.atomic import unwritable_reason

    if target is None:
        return None
    if any(_same_file(target, path) for path in checked):
        return f"the report would replace {target}, a file this run checks"
    problem = unwritable_reason(target)
    return None if problem is None else f"cannot write the report to {target}: {problem}"


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # either is missing: then they are not one file
        return False


class TerminalProgress:
    """A progress bar on stderr for long runs on a terminal; silent when piped, in CI or under
    `--quiet`. It counts files and shows no ETA: files cost too unevenly (most are skipped
    unread, a few take seconds, and the project index comes first) for a guess to hold."""

    MIN_FILES = 200

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def start(self, total: int) -> None:
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        if interactive and not self.quiet and total >= self.MIN_FILES:
            import click  # a bar on a terminal only: a quiet run never loads click

            self.bar = click.progressbar(
                length=total, label="Linting", file=sys.stderr, show_eta=False, show_pos=True
            )

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)


def _overrides(options: Options) -> Overrides:
    from lint_wb.api import Overrides
    from lint_wb.config.inline import read_config_arguments
    from lint_wb.rules.codes import check_selector

    config = read_config_arguments(options.config, check_selector)
    return Overrides(
        select=_split(options.select) or None,
        extend_select=_split(options.extend_select),
        ignore=_split(options.ignore),
        assume_wandb=options.assume_wandb,
        unsafe_fixes=options.unsafe_fixes,
        config=config.file,
        isolated=options.isolated,
        inline=config.values,
        exclude=_globs(options.exclude) or None,
        extend_exclude=_globs(options.extend_exclude),
    )


def _globs(values: Sequence[str]) -> tuple[str, ...]:
    """`--exclude a,b --exclude c` -> ('a', 'b', 'c'), as ruff splits them."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _run_stdin(stdin_filename: str | None, overrides: Overrides, mode: Mode) -> RunResult:
    from lint_wb.api import RunResult, lint_text

    filename = stdin_filename or "-"
    data = sys.stdin.buffer.read()
    result = lint_text(data, filename, overrides, mode)
    if mode.fix and not mode.diff:
        text = result.fixed_text
        sys.stdout.buffer.write(data if text is None else _encoded_like(data, filename, text))
        sys.stdout.flush()
    return RunResult(
        files=[result], config_error=result.config_error, internal_error=result.internal_error
    )


def _encoded_like(data: bytes, filename: str, text: str) -> bytes:
    """The fixed `text` in the encoding and BOM the input `data` came in: an editor saves what
    it gets back, so a latin-1 file must not come back as UTF-8 nor lose its BOM. A fix that
    the encoding cannot hold gives the input back unchanged."""
    from lint_wb.files import SourceFile, WriteError, decode_source, encode_text

    source = decode_source(data, filename)
    if not isinstance(source, SourceFile):
        return data  # not reached: undecodable input is never fixed
    try:
        return encode_text(source, text)
    except WriteError:
        return data


def _show_settings(options: Options) -> int:
    from lint_wb.api import SettingsCache, lint_options

    paths = options.paths_or_here
    overrides = _overrides(options)
    settings = SettingsCache(overrides).for_path(paths[0].absolute())
    origin = settings.config_file or "defaults (no configuration file found)"
    echo(f"Settings for {paths[0]}")
    echo(f"from: {origin}")
    echo(f"root: {settings.root}")
    for field in dataclasses.fields(settings):
        if field.name in {"config_file", "root"}:
            continue
        echo(f"{field.name.replace('_', '-')} = {getattr(settings, field.name)!r}")
    enabled = lint_options(paths[0].absolute(), settings).enabled
    echo(f"enabled rules = {', '.join(sorted(enabled))}")
    return EXIT_CLEAN


def _explain(selector: str) -> int:
    from lint_wb.rules import RULES_BY_CODE, RULES_BY_NAME, check_selector

    rule = RULES_BY_CODE.get(selector.upper()) or RULES_BY_NAME.get(selector)
    if rule is None:
        message = check_selector(selector) or f"'{selector}' is not one rule"
        echo(f"lint-wb: error: {message}", err=True)
        return EXIT_ERROR
    header = f"# {rule.code} {rule.name} ({rule.severity.value}, fix: {rule.fix_safety.value})"
    echo(f"{header}\n\n{rule.docs()}\n\nDocs: {rule.url()}")
    return EXIT_CLEAN


def _list_rules(as_json: bool) -> int:
    from lint_wb.rules import ALL_RULES

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
        echo(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    table = [
        (rule.code, rule.name, rule.severity.value, f"fix: {rule.fix_safety.value}", rule.summary())
        for rule in ALL_RULES
    ]
    echo("".join(line + "\n" for line in aligned(table)), nl=False)
    return EXIT_CLEAN


def aligned(rows: Sequence[Sequence[str]], gap: int = 2) -> list[str]:
    """Rows as lines whose columns start at the same place, `gap` spaces apart at least (the
    last column is not padded)."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]) - 1)]
    return [
        (" " * gap).join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]])
        for row in rows
    ]


def _update_models(api_key_env: str | None) -> int:
    """--update-models: the public feed, plus GET /v1/models only when --api-key-env names
    the variable holding a key (a key is never read implicitly nor taken on the command line)."""
    from lint_wb.catalog import CatalogError, update_from_environment, update_report

    try:
        result = update_from_environment(api_key_env or None)
    except CatalogError as error:
        echo(f"lint-wb: error: {error}", err=True)
        return EXIT_ERROR
    echo(update_report(result))
    return EXIT_CLEAN


def _list_models(options: Options) -> int:
    from lint_wb.api import SettingsCache
    from lint_wb.catalog import models_json, models_text, snapshot_in_use
    from lint_wb.spec import SpecError

    paths = options.paths_or_here
    settings = SettingsCache(_overrides(options)).for_path(paths[0].absolute())
    try:
        snapshot = snapshot_in_use(settings.models_file)
    except SpecError as error:
        echo(f"lint-wb: error: {error}", err=True)
        return EXIT_ERROR
    if snapshot.warning:
        echo(f"lint-wb: warning: {snapshot.warning}", err=True)
    as_json = options.output_format == "json"
    echo(models_json(snapshot) if as_json else models_text(snapshot))
    return EXIT_CLEAN


def _warn_about_snapshot(settings: Settings) -> None:
    """An unusable cached snapshot is skipped (the bundled one is used): say so, once."""
    from lint_wb.spec import default_models

    warning = default_models().warning if settings.models_file is None else None
    if warning:
        echo(f"lint-wb: warning: {warning}", err=True)
