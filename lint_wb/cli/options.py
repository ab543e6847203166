"""The command line's options as typed values: click's keyword arguments go in once, here."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lint_wb.records import dataclass

STDIN = Path("-")  # the path that means: read the source from standard input

# One of each per process, never compared: no __eq__ nor __hash__ is generated for them
# (dataclasses compiles each generated method as the class is made, at every start-up).


@dataclass(frozen=True, eq=False)
class ReportOptions:
    """What shapes the printed report and the exit code, beyond the output format."""

    output_file: Path | None = None
    show_fixes: bool = False
    statistics: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    quiet: bool = False


@dataclass(frozen=True, eq=False)
class Options:
    """Every option of `lint-wb`, one field per click parameter (same names)."""

    paths: tuple[Path, ...] = ()
    fix: bool = False
    unsafe_fixes: bool | None = None
    diff: bool = False
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    assume_wandb: bool | None = None
    output_format: str | None = None
    config: tuple[str, ...] = ()
    """`--config`: a configuration file, or `key = value` lines (TOML) over its settings."""
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    isolated: bool = False
    force_exclude: bool = False
    stdin_filename: str | None = None
    no_cache: bool = False
    jobs: int | None = None
    explain: str | None = None
    list_rules: bool = False
    show_settings: bool = False
    update_models: bool = False
    api_key_env: str | None = None
    list_models: bool = False
    report: ReportOptions = ReportOptions()

    @classmethod
    def from_click(cls, params: Mapping[str, Any]) -> Options:
        """The options from click's keyword arguments; a parameter without a field here is a
        TypeError, so a new option cannot be forgotten."""
        reporting = {field.name for field in dataclasses.fields(ReportOptions)}
        report = ReportOptions(**{name: params[name] for name in reporting if name in params})
        rest = {name: value for name, value in params.items() if name not in reporting}
        return cls(**rest, report=report)

    @property
    def paths_or_here(self) -> tuple[Path, ...]:
        return self.paths or (Path("."),)

    @property
    def reads_stdin(self) -> bool:
        """`-` alone (once or more), or any `--stdin-filename` (as ruff: a name given for
        stdin means stdin is read, whatever the paths say)."""
        stdin_only = bool(self.paths) and set(self.paths) == {STDIN}
        return stdin_only or self.stdin_filename is not None

    @property
    def mixes_stdin_and_paths(self) -> bool:
        """`-` among other paths, with no `--stdin-filename` to say which wins."""
        return not self.reads_stdin and STDIN in self.paths

    @property
    def ignored_for_stdin(self) -> tuple[Path, ...]:
        """The paths not checked because stdin is read instead (warned about)."""
        if not self.reads_stdin:
            return ()
        return tuple(path for path in self.paths if path != STDIN)
