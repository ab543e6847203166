"""Files in, results out: discovery, configuration per file, the prefilter, fixing and writing.

Never prints and never raises for a user's input: every failure becomes a `FileResult.error`
or a `RunResult.errors` line, so the run goes on with the other files.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lint_wb.analysis import ModuleContext
from lint_wb.config import ConfigError, resolve_settings
from lint_wb.discovery import discover
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
from lint_wb.findings import Finding
from lint_wb.globs import ignored_codes_for, is_excluded
from lint_wb.project import (
    ExportedClient,
    ProjectIndex,
    build_index,
    exported_clients,
    imported_names,
    may_define_module_client,
    module_name_for,
)
from lint_wb.rules import check_selector, select_codes
from lint_wb.settings import LintOptions, Settings
from lint_wb.spec import Spec, SpecError, default_models_file, load_spec

if TYPE_CHECKING:
    from lint_wb.cache import ResultCache


@dataclass(frozen=True)
class Overrides:
    """What the command line says over the configuration file."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    assume_wandb: bool | None = None
    unsafe_fixes: bool | None = None
    config: Path | None = None
    isolated: bool = False

    def apply(self, settings: Settings) -> Settings:
        changes: dict[str, object] = {
            "extend_select": settings.extend_select + self.extend_select,
            "ignore": settings.ignore + self.ignore,
        }
        if self.select is not None:
            changes["select"] = self.select
            changes["extend_select"] = self.extend_select
        if self.assume_wandb is not None:
            changes["assume_wandb"] = self.assume_wandb
        if self.unsafe_fixes is not None:
            changes["unsafe_fixes"] = self.unsafe_fixes
        return replace(settings, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    diff: bool = False
    force_exclude: bool = False
    cache: bool = False
    """Reuse the findings of files whose bytes and settings did not change (`--no-cache`)."""


@dataclass(frozen=True)
class FileResult:
    path: Path
    findings: tuple[Finding, ...] = ()
    fixed: tuple[Finding, ...] = ()
    suppressed: int = 0
    error: str | None = None
    diff: str = ""
    notes: tuple[str, ...] = ()
    """Dropped fixes and fix loops that did not settle."""
    skipped: bool = False
    """True when the prefilter showed the file cannot hold a client or a request."""
    fixed_text: str | None = None
    config_error: bool = False
    unsafe_fixes: bool = False
    """Whether unsafe fixes are on for this file (its folder's configuration may say so)."""


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    config_error: bool = False
    """A configuration or model-snapshot file was wrong (exit code 2)."""

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]


class SettingsCache:
    """The nearest configuration for each folder, read once per run."""

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self._by_folder: dict[Path, Settings] = {}

    def for_path(self, path: Path) -> Settings:
        folder = path.parent if path.suffix else path
        if folder not in self._by_folder:
            settings = resolve_settings(
                folder,
                config=self.overrides.config,
                isolated=self.overrides.isolated,
                check_selector=check_selector,
            )
            self._by_folder[folder] = self.overrides.apply(settings)
        return self._by_folder[folder]


def lint_options(path: Path, settings: Settings) -> LintOptions:
    ignore = settings.ignore + ignored_codes_for(path, settings)
    return LintOptions(
        enabled=select_codes(settings.select, settings.extend_select, ignore),
        assume_wandb=settings.assume_wandb,
        extra_base_urls=settings.extra_base_urls,
        extra_models=settings.extra_models,
        extra_parameters=settings.extra_parameters,
    )


def spec_for(settings: Settings) -> Spec:
    """The spec for files under `settings`: the snapshot `models-file` names when set, else
    the newer of the bundled one and the one `lint-wb --update-models` cached."""
    models_file = settings.models_file
    return load_spec(models_file if models_file is not None else default_models_file())


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


def index_project(files: Sequence[Path], cache: SettingsCache) -> ProjectIndex:
    """The clients the checked modules bind at module level, for modules that import them.

    Only a module that some other checked file imports by name is parsed here, so a
    single script with its own client costs no second parse.
    """
    exporters = _possible_exporters(files)
    if not exporters:
        return ProjectIndex()
    imported = imported_names(files, {module_name_for(path)[0] for path in exporters})
    exports: list[ExportedClient] = []
    for path, data in exporters.items():
        module = module_name_for(path)[0]
        if module in imported:
            exports.extend(_exports_of(path, data, cache))
    return build_index(exports)


def _possible_exporters(files: Sequence[Path]) -> dict[Path, bytes]:
    found: dict[Path, bytes] = {}
    for path in files:
        if path.suffix == ".py":
            raw = read_raw(path)
            if not isinstance(raw, ReadError) and may_define_module_client(raw.data):
                found[path] = raw.data
    return found


def _exports_of(path: Path, data: bytes, cache: SettingsCache) -> list[ExportedClient]:
    source = decode_source(data, path)
    try:
        settings = cache.for_path(path)
        spec = spec_for(settings)
    except (ConfigError, SpecError):
        return []  # reported when the file itself is checked
    if not isinstance(source, SourceFile):
        return []
    from lint_wb.engine import parse_and_analyze  # loads libcst: only when needed

    module, package = module_name_for(path)
    options = lint_options(path, settings)
    facts = parse_and_analyze(source.text, options, spec, ModuleContext(package))
    return [] if facts is None else exported_clients(facts, module)


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
    from lint_wb.engine import lint_source
    from lint_wb.fixer import fix_source

    options = lint_options(source.path, settings)
    filename = str(source.path)
    where = None
    if project:
        where = ModuleContext(module_name_for(source.path)[1], project)
    if not (mode.fix or mode.diff):
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
        findings, suppressed = stored
        return FileResult(
            source.path, findings, suppressed=suppressed, unsafe_fixes=settings.unsafe_fixes
        )
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
