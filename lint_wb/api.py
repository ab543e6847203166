"""Files in, results out: discovery, configuration per file, the prefilter, fixing and writing.

Never prints and never raises for a user's input: every failure becomes a `FileResult.error`
or a `RunResult.errors` line, so the run goes on with the other files.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lint_wb.analysis import ModuleContext
from lint_wb.config.globs import is_excluded
from lint_wb.config.load import ConfigError
from lint_wb.config.per_file import SettingsCache, lint_options, spec_for
from lint_wb.config.settings import LintOptions, Settings
from lint_wb.files import (
    ReadError,
    SourceFile,
    WriteError,
    decode_source,
    is_binary,
    might_need_linting,
    read_raw,
    write_atomic,
)
from lint_wb.files.discovery import discover
from lint_wb.findings import Finding
from lint_wb.project.build import index_project
from lint_wb.project.index import ProjectIndex, module_name_for
from lint_wb.results import FileResult, Mode, Overrides, RunResult
from lint_wb.spec import Spec, SpecError

if TYPE_CHECKING:
    from lint_wb.cache import ResultCache


# The run's API. The result types, the per-file settings and the project index are defined in
# results.py, file_settings.py and project_index.py, and re-exported here.
__all__ = [
    "PARALLEL_THRESHOLD",
    "FileResult",
    "Mode",
    "Overrides",
    "Progress",
    "RunResult",
    "SettingsCache",
    "check_file",
    "check_paths",
    "check_source",
    "index_project",
    "lint_options",
    "lint_text",
    "spec_for",
    "unified_diff",
]


class Progress(Protocol):
    """Told how far a run has got; the CLI draws a bar with it on a terminal."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


PARALLEL_THRESHOLD = 64
"""Below this many files, starting worker processes costs more than it saves."""


def check_paths(
    paths: Sequence[Path],
    overrides: Overrides,
    mode: Mode,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Lint (and with `mode.fix`, fix) every Python file under `paths`."""
    run = RunResult()
    cache = SettingsCache(overrides)
    try:
        first = cache.for_path(paths[0] if paths else Path.cwd())
    except ConfigError as error:
        run.errors.append(str(error))
        run.config_error = True
        return run
    found = discover(
        list(paths),
        is_excluded=lambda path: _excluded(path, cache),
        respect_gitignore=first.respect_gitignore,
        force_exclude=mode.force_exclude,
    )
    run.errors.extend(f"{path}: {message}" for path, message in found.errors)
    if progress is not None:
        progress.start(len(found.files))
    workers = min(jobs or os.cpu_count() or 1, len(found.files) // PARALLEL_THRESHOLD + 1)
    project = index_project(found.files, cache)
    for result in _check_all(found.files, overrides, mode, workers, project):
        run.files.append(result)
        if progress is not None:
            progress.advance(1)
    run.config_error |= any(result.config_error for result in run.files)
    return run


def _check_all(
    files: Sequence[Path], overrides: Overrides, mode: Mode, workers: int, project: ProjectIndex
) -> Iterator[FileResult]:
    if workers <= 1:
        cache = SettingsCache(overrides)
        yield from (check_file(path, cache, mode, project) for path in files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, min(32, len(files) // (workers * 8)))
        setup = repeat((overrides, mode, project))
        yield from pool.map(_check_in_worker, files, setup, chunksize=chunk)


_WORKER_CACHE: dict[Overrides, SettingsCache] = {}


def _check_in_worker(path: Path, setup: tuple[Overrides, Mode, ProjectIndex]) -> FileResult:
    """One file in a worker process; settings are read once per folder per worker."""
    overrides, mode, project = setup
    cache = _WORKER_CACHE.setdefault(overrides, SettingsCache(overrides))
    return check_file(path, cache, mode, project)


def _excluded(path: Path, cache: SettingsCache) -> bool:
    try:
        return is_excluded(path, cache.for_path(path))
    except ConfigError:
        return False  # reported when the file itself is checked


def check_file(
    path: Path, cache: SettingsCache, mode: Mode, project: ProjectIndex | None = None
) -> FileResult:
    try:
        settings = cache.for_path(path)
        spec = spec_for(settings)
    except (ConfigError, SpecError) as error:
        return FileResult(path, error=str(error), config_error=True)
    raw = read_raw(path)
    if isinstance(raw, ReadError):
        return FileResult(path, error=raw.message)
    if not is_binary(raw.data) and not might_need_linting(
        raw.data, project.markers() if project else ()
    ):
        return FileResult(path, skipped=True)  # a binary file is reported by decode_source
    source = decode_source(raw.data, path, mode=raw.mode)
    if not isinstance(source, SourceFile):
        return FileResult(path, error=source.message)
    if path.suffix == ".ipynb":
        from lint_wb.notebook import check_notebook

        return check_notebook(source, settings, spec, mode, write=True)
    return check_source(source, settings, spec, mode, write=True, project=project)


def check_source(
    source: SourceFile,
    settings: Settings,
    spec: Spec,
    mode: Mode,
    *,
    write: bool,
    project: ProjectIndex | None = None,
) -> FileResult:
    """Lint or fix one decoded source file; writes the fix back when `write` and `mode.fix`."""
    options = lint_options(source.path, settings)
    where = None
    if project:
        where = ModuleContext(module_name_for(source.path)[1], project)
    if mode.fix or mode.diff:
        return _fix_source(source, settings, spec, options, mode, write=write, where=where)
    findings, suppressed = _lint_source(source, spec, options, mode, where=where, project=project)
    return FileResult(
        source.path, findings, suppressed=suppressed, unsafe_fixes=settings.unsafe_fixes
    )


def _lint_source(
    source: SourceFile,
    spec: Spec,
    options: LintOptions,
    mode: Mode,
    *,
    where: ModuleContext | None,
    project: ProjectIndex | None,
) -> tuple[tuple[Finding, ...], int]:
    """The findings and the number suppressed, from the result cache when it has them."""
    from lint_wb.engine import lint_source

    filename = str(source.path)
    cache = _result_cache() if mode.cache else None
    key = None
    if cache is not None:
        context = project.fingerprint() if project else ""
        key = cache.key(source.raw, filename, options, spec, context)
    stored = cache.get(key) if cache is not None and key is not None else None
    if stored is None:
        linted = lint_source(source.text, filename, options, spec, where=where)
        stored = (linted.findings, len(linted.suppressed))
        if cache is not None and key is not None:
            cache.put(key, *stored)
    return stored


def _fix_source(
    source: SourceFile,
    settings: Settings,
    spec: Spec,
    options: LintOptions,
    mode: Mode,
    *,
    write: bool,
    where: ModuleContext | None,
) -> FileResult:
    from lint_wb.fix_loop import fix_source

    filename = str(source.path)
    outcome = fix_source(
        source.text, filename, options, spec, unsafe_fixes=settings.unsafe_fixes, where=where
    )
    notes = outcome.dropped
    if not outcome.converged:
        notes += (f"{filename}: fixes did not settle after 10 rounds; the rest were not applied",)
    diff = ""
    if mode.diff and outcome.text != source.text:
        diff = unified_diff(source.text, outcome.text, filename)
    result = FileResult(
        source.path,
        outcome.result.findings,
        fixed=outcome.fixed,
        suppressed=len(outcome.result.suppressed),
        diff=diff,
        notes=notes,
        fixed_text=outcome.text,
        unsafe_fixes=settings.unsafe_fixes,
    )
    if mode.fix and not mode.diff and write and outcome.text != source.text:
        try:
            write_atomic(source, outcome.text)
        except WriteError as error:
            return replace(result, error=str(error), fixed=())
    return result


_RESULT_CACHE: list[ResultCache | None] = []


def _result_cache() -> ResultCache | None:
    """This process's result cache; None when there is no cache folder to be had."""
    if not _RESULT_CACHE:
        from lint_wb.cache import ResultCache

        try:
            _RESULT_CACHE.append(ResultCache())
        except RuntimeError:
            _RESULT_CACHE.append(None)
    return _RESULT_CACHE[0]


def unified_diff(before: str, after: str, filename: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=filename,
        tofile=filename,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def lint_text(data: bytes, filename: str, overrides: Overrides, mode: Mode) -> FileResult:
    """Lint bytes that do not come from a file (stdin), with the settings for `filename`."""
    path = Path(filename)
    source = decode_source(data, path)
    if not isinstance(source, SourceFile):
        return FileResult(path, error=source.message)
    try:
        settings = SettingsCache(overrides).for_path(path.absolute())
        spec = spec_for(settings)
    except (ConfigError, SpecError) as error:
        return FileResult(path, error=str(error), config_error=True)
    if path.suffix == ".ipynb":
        from lint_wb.notebook import check_notebook

        return check_notebook(source, settings, spec, mode, write=False)
    return check_source(source, settings, spec, mode, write=False)
