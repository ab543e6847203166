"""What a run is asked to do and what it gives back: plain data between `api.py` and `cli.py`."""

from __future__ import annotations

from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.config.globs import rebase_glob
from lint_wb.config.inline import SettingValues
from lint_wb.config.load import merge_values, rebase_values
from lint_wb.config.settings import Settings
from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.cache import ResultCache
from lint_wb.findings import Finding


@dataclass(frozen=True)
class Overrides:
    """What the command line says over the configuration file.

    `inline` (`--config "key = value"`) goes over each file's settings first, then the
    options. Globs given on the command line (`inline`, `exclude`, `extend_exclude`) read from
    `cwd`, the folder lint-wb was started in, and are rebased onto each file's root.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    assume_wandb: bool | None = None
    unsafe_fixes: bool | None = None
    config: Path | None = None
    isolated: bool = False
    inline: SettingValues = ()
    exclude: tuple[str, ...] | None = None
    """`--exclude`: replaces the configured `exclude` list (as the key does)."""
    extend_exclude: tuple[str, ...] = ()
    cwd: Path = field(default_factory=Path.cwd)

    def apply(self, settings: Settings) -> Settings:
        settings = self._apply_inline(settings)
        changes: dict[str, object] = {
            "extend_select": settings.extend_select + self.extend_select,
            "ignore": settings.ignore + self.ignore,
            "extend_exclude": settings.extend_exclude + self._globs(self.extend_exclude, settings),
        }
        if self.select is not None:
            changes["select"] = self.select
            changes["extend_select"] = self.extend_select
        if self.exclude is not None:
            changes["exclude"] = self._globs(self.exclude, settings)
        if self.assume_wandb is not None:
            changes["assume_wandb"] = self.assume_wandb
        if self.unsafe_fixes is not None:
            changes["unsafe_fixes"] = self.unsafe_fixes
        return replace(settings, **changes)  # type: ignore[arg-type]

    def _apply_inline(self, settings: Settings) -> Settings:
        if not self.inline:
            return settings
        inline = rebase_values(dict(self.inline), self.cwd, settings.root)
        current = {name: getattr(settings, name) for name in _MERGED_FIELDS}
        merged = merge_values(current, inline)
        return replace(settings, **merged)  # type: ignore[arg-type]

    def _globs(self, patterns: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
        return tuple(rebase_glob(pattern, self.cwd, settings.root) for pattern in patterns)


_MERGED_FIELDS = ("select", "extend_select", "extend_exclude")
"""The fields whose old values an inline setting is merged with (the rest it replaces)."""


@dataclass(frozen=True)
class Mode:
    """What a run does with what it finds (report, fix, diff) and which caches it uses."""

    fix: bool = False
    diff: bool = False
    force_exclude: bool = False
    results_cache: ResultCache | None = None
    """Where findings of files whose bytes, settings and lint-wb code did not change are
    reused from; None for `--no-cache`. Passed in by the caller, picklable for workers."""


@dataclass(frozen=True)
class FileResult:
    """What checking one file gave: its findings, or why it could not be checked."""

    path: Path
    findings: tuple[Finding, ...] = ()
    fixed: tuple[Finding, ...] = ()
    suppressed: int = 0
    error: str | None = None
    """Why the file could not be checked (read, decoded, configured); None when it was."""
    diff: str = ""
    notes: tuple[str, ...] = ()
    """Dropped fixes and fix loops that did not settle."""
    skipped: bool = False
    """True when the prefilter showed the file cannot hold a client or a request."""
    fixed_text: str | None = None
    config_error: bool = False
    unsafe_fixes: bool = False
    """Whether unsafe fixes are on for this file (its folder's configuration may say so)."""
    internal_error: bool = False
    """lint-wb itself failed on this file (its finding is WB900; the run exits 2)."""


def not_written(result: FileResult, problem: str, *, warning: bool) -> FileResult:
    """`result` of a fix that could not be written: the file keeps every finding it had (the
    fixed ones too), and the problem is a note (a warning when the file changed since it was
    read). The file was checked, so this is not an `error`: its findings say what is left."""
    findings = result.findings + result.fixed
    note = f"{result.path}: warning: {problem}" if warning else f"{result.path}: {problem}"
    return replace(result, findings=findings, fixed=(), notes=(*result.notes, note))


@dataclass(frozen=True)
class Unchecked:
    """A path the run could not check, and why in one line: a file that cannot be read or
    decoded, a folder that cannot be listed, a broken link, a bad configuration file. Every
    output format lists it, and the run exits 2."""

    path: str
    message: str
    config: bool = False
    """The message is a configuration file's error, shared by every path under that file
    (the text formats say it once)."""


@dataclass
class RunResult:
    """Every file's result, the paths the run could not check, and its notes."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[Unchecked] = field(default_factory=list)
    """Paths that never became a file to check (a folder that cannot be listed, a broken
    link, the first path's configuration file)."""
    notes: list[str] = field(default_factory=list)
    """Warnings about the run as a whole (a misnamed `[tool.lint_wb]`); no exit code."""
    config_error: bool = False
    """A configuration or model-snapshot file was wrong (exit code 2)."""
    internal_error: bool = False
    """lint-wb failed on some file (WB900) or on the project index (exit code 2)."""

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]

    @property
    def unchecked(self) -> list[Unchecked]:
        """Every path left unchecked, the run's own and the files' (`FileResult.error`)."""
        files = [
            Unchecked(str(r.path), r.error, config=r.config_error)
            for r in self.files
            if r.error is not None
        ]
        return [*self.errors, *files]
