"""`--config` arguments, as ruff reads them: each names a configuration file, or is one
`key = value` line of TOML that sets a key over every configuration file of the run.

An argument that is an existing file is the file; anything else must parse as TOML with the
keys of `lint-wb.toml` (no table prefix), checked as the file's keys are. Relative globs and
paths in a line read from the current folder, as the command line's paths do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from lint_wb.config import toml
from lint_wb.config.keys import EXTEND, ConfigError, Context, parse_table
from lint_wb.config.load import merge_values
from lint_wb.records import dataclass

SettingValues = tuple[tuple[str, object], ...]
"""Settings field -> value pairs (a tuple, so the overrides holding them stay hashable)."""


@dataclass(frozen=True)
class ConfigArguments:
    """What the `--config` arguments say: at most one file, and the settings set inline."""

    file: Path | None = None
    values: SettingValues = ()


def read_config_arguments(
    arguments: Sequence[str],
    check_selector: Callable[[str], str | None] | None = None,
) -> ConfigArguments:
    """The file and the inline settings of `--config` arguments, in the order given (a later
    line wins over an earlier one; `extend-*` lists add up). Any problem is a one-line
    :class:`ConfigError`."""
    file: Path | None = None
    values: dict[str, object] = {}
    for argument in arguments:
        path = Path(argument).expanduser()
        if _is_file(path):
            if file is not None:
                raise ConfigError(f"--config names two files: {file} and {argument}")
            file = path
            continue
        values = merge_values(values, _inline_values(argument, check_selector))
    return ConfigArguments(file, tuple(values.items()))


def _inline_values(
    argument: str, check_selector: Callable[[str], str | None] | None
) -> dict[str, object]:
    """The Settings field values one `key = value` argument sets."""
    if os.path.isdir(argument):
        raise ConfigError(f"--config {argument!r} is a folder, not a configuration file")
    if _names_a_file(argument):
        raise ConfigError(f"--config {argument!r}: no such file")
    try:
        table = toml.loads(argument)
    except toml.TomlError as error:
        raise ConfigError(
            f"--config {argument!r} is neither a file nor a `key = value` TOML line "
            f"({_reason(error)})"
        ) from error
    if not table:
        raise ConfigError(f"--config {argument!r} sets nothing")
    if EXTEND in table:
        raise ConfigError(f"--config {argument!r}: 'extend' names a file; use --config FILE")
    context = Context(Path.cwd() / "--config", None, check_selector)
    return parse_table(table, context)


def _names_a_file(argument: str) -> bool:
    """An argument with no `=` that ends in `.toml` or holds a path separator is a file name
    (a TOML line always has `=`), so a missing one is reported as missing."""
    if "=" in argument:
        return False
    separators = [sep for sep in (os.sep, os.altsep) if sep]
    return argument.endswith(".toml") or any(sep in argument for sep in separators)


def _reason(error: toml.TomlError) -> str:
    """TOML's complaint without its position (the argument is one short line)."""
    message = str(error)
    cut = message.rfind(" (at ")
    return message[:cut] if cut > 0 else message


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
