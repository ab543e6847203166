"""Find, read and validate the configuration: `[tool.lint-wb]` or `lint-wb.toml`.

The result is a :class:`~lint_wb.config.settings.Settings`. Every problem in a file is a
:class:`ConfigError` whose message is one line naming the file, the key and what is wrong,
so the CLI can print it as it is and exit 2. Each key's check is in `config_keys.py`; the
globs (`exclude`, `extend-exclude`, `per-file-ignores`) match as `globs.py` says.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lint_wb.config import toml
from lint_wb.config.globs import rebase_glob
from lint_wb.config.keys import (
    EXTEND,
    OUTPUT_FORMATS,
    ConfigError,
    Context,
    describe_value,
    parse_table,
    string_value,
)
from lint_wb.config.paths import absolute_path, display_path
from lint_wb.config.settings import Settings
from lint_wb.files import read_regular_text

__all__ = [
    "CONFIG_FILENAMES",
    "OUTPUT_FORMATS",
    "ConfigError",
    "ConfigFinder",
    "find_config_file",
    "load_settings",
    "resolve_settings",
    "up_from",
]

CONFIG_FILENAMES: tuple[str, ...] = (".lint-wb.toml", "lint-wb.toml", "pyproject.toml")
"""Looked for in this order in each folder; the first one that applies wins."""

_PYPROJECT = "pyproject.toml"
_TOOL_TABLE = "lint-wb"


# --------------------------------------------------------------------------- discovery


def find_config_file(start: Path) -> Path | None:
    """The configuration file in force for `start` (a file or folder), or None.

    Walks up to the filesystem root; in each folder the first of :data:`CONFIG_FILENAMES`
    that applies wins. A `pyproject.toml` applies only when it has a `[tool.lint-wb]` table.
    """
    return ConfigFinder().find(start)


class ConfigFinder:
    """`find_config_file` for the many folders of one run: each folder is looked at once.

    A folder without a configuration file of its own has its parent's, so the answer for a
    folder is kept for every folder the search climbed through to find it: a walk of 300
    folders looks in each once, instead of climbing from each to the filesystem root.
    Folders are absolute, normalized strings here (pathlib's objects cost more than the
    look itself).
    """

    def __init__(self) -> None:
        self._in_force: dict[str, Path | None] = {}
        """Folder -> the configuration file in force there."""
        self.looked_in: list[str] = []
        """Every folder whose own configuration files were looked for."""

    def answers(self) -> tuple[tuple[str, str | None], ...]:
        """Each folder searched so far, with the configuration file in force there."""
        return tuple(
            (folder, None if found is None else str(found))
            for folder, found in self._in_force.items()
        )

    def know(self, answers: Sequence[tuple[str, str | None]]) -> None:
        """Take answers found before (`answers`), when what they were read from is known to
        be unchanged (`files/walk_record.py`). Their folders count as looked in: what a later
        walk keeps must watch them too."""
        for folder, found in answers:
            self._in_force[folder] = None if found is None else Path(found)
            self.looked_in.append(folder)

    def find(self, start: Path | str) -> Path | None:
        here = os.path.abspath(start)
        folder = here if os.path.isdir(here) else os.path.dirname(here)
        climbed: list[str] = []
        found: Path | None = None
        for candidate_folder in up_from(folder):
            if candidate_folder in self._in_force:
                found = self._in_force[candidate_folder]
                break
            climbed.append(candidate_folder)
            self.looked_in.append(candidate_folder)
            found = _own_config_file(candidate_folder)
            if found is not None:
                break
        for climbed_folder in climbed:
            self._in_force[climbed_folder] = found
        return found


def up_from(folder: str) -> Iterator[str]:
    """`folder` (absolute, normalized) and the folders above it, one at a time (a search
    mostly stops soon)."""
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def _own_config_file(folder: str) -> Path | None:
    """The first of :data:`CONFIG_FILENAMES` in `folder` that applies, or None. (A folder
    that cannot be searched holds no configuration: the file walk reports that folder.)"""
    for name in CONFIG_FILENAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and (name != _PYPROJECT or _has_tool_table(Path(candidate))):
            return Path(candidate)
    return None


def _has_tool_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml has `[tool.lint-wb]`.

    A pyproject.toml that does not mention lint-wb at all is skipped without parsing it, so a
    broken pyproject.toml that has nothing to do with us does not stop the run; one that does
    mention it and cannot be parsed is an error, as in ruff.
    """
    text = _read_text(pyproject)
    if _TOOL_TABLE not in text:
        return False
    tool = _parse_toml(pyproject, text).get("tool")
    return isinstance(tool, dict) and _TOOL_TABLE in tool


def misnamed_tool_table(pyproject: Path) -> str | None:
    """A warning for a pyproject.toml whose table is meant for lint-wb under another name
    (`[tool.lint_wb]`, `[tool.lintwb]`, `[tool.lint-wbb]`): lint-wb does not read it.

    Never raises: a file that cannot be read or parsed gets no warning here (one that does
    name `[tool.lint-wb]` is reported when it is loaded).
    """
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not _NEAR_NAME.search(text):
        return None
    try:
        tool = toml.loads(text).get("tool")
    except toml.TomlError:
        return None
    if not isinstance(tool, dict):
        return None
    for name in tool:
        if name != _TOOL_TABLE and _means_lint_wb(name):
            return (
                f"{display_path(pyproject)}: warning: [tool.{name}] is not read "
                f"(did you mean [tool.{_TOOL_TABLE}]?)"
            )
    return None


_NEAR_NAME = re.compile(r"lint.?wb|lintw|lint-?bw", re.IGNORECASE)
"""A cheap test before parsing: the text could name a table like `lint-wb`."""


def _means_lint_wb(name: str) -> bool:
    import difflib  # only for a pyproject.toml table named like lint-wb's

    squashed = re.sub(r"[-_. ]", "", name.lower())
    similar = difflib.SequenceMatcher(None, name.lower(), _TOOL_TABLE).ratio() >= 0.8
    return squashed == "lintwb" or similar


# --------------------------------------------------------------------------- loading


def resolve_settings(
    start: Path,
    *,
    config: Path | None = None,
    isolated: bool = False,
    check_selector: Callable[[str], str | None] | None = None,
) -> Settings:
    """The settings for a run that checks `start`.

    `isolated` (`--isolated`) ignores every file and wins over `config`; `config`
    (`--config FILE`) names the file; otherwise the file is discovered from `start`.
    Without a file the defaults apply, with the current folder as root.
    """
    if isolated:
        return Settings()
    path = config if config is not None else find_config_file(start)
    if path is None:
        return Settings()
    return load_settings(path, check_selector=check_selector)


def load_settings(
    path: Path,
    *,
    check_selector: Callable[[str], str | None] | None = None,
    read: list[Path] | None = None,
) -> Settings:
    """Read, validate and resolve one configuration file (and the files it `extend`s).

    `check_selector` validates rule selectors (in `select`, `extend-select`, `ignore`,
    `per-file-ignores`): it returns None for a valid selector and otherwise an error message,
    with a did-you-mean. Without it selectors are not checked.
    `config_file` is the absolute path of the file, and `root` its folder. `read`, when
    given, is told each file read (the file and those it extends).
    """
    config_file = absolute_path(path)
    # Each value was checked by the parser of its key; Any only quiets the field types.
    values: dict[str, Any] = _load_chain(config_file, check_selector, (), read)
    return replace(Settings(config_file=config_file, root=config_file.parent), **values)


def _load_chain(
    path: Path,
    check_selector: Callable[[str], str | None] | None,
    chain: tuple[Path, ...],
    read: list[Path] | None = None,
) -> dict[str, object]:
    """The field values `path` sets, merged over those of the file it extends.

    `chain` holds the files that extend this one (to detect cycles). Globs of an extended
    file are rebased onto `path`'s folder, and its `models-file` is already absolute, so
    the result can be read against `path.parent`.
    """
    if read is not None:
        read.append(path)
    table, context = _read_table(path, check_selector)
    values = parse_table(table, context)
    base_name = table.get(EXTEND)
    if base_name is None:
        return values
    base = _extended_file(base_name, context, (*chain, path))
    base_values = _load_chain(base, check_selector, (*chain, path), read)
    return merge_values(rebase_values(base_values, base.parent, path.parent), values)


def _extended_file(value: object, context: Context, chain: tuple[Path, ...]) -> Path:
    """The file named by `extend`, checked to exist and not to close a cycle."""
    name = string_value(context, EXTEND, value)
    target = absolute_path(context.file.parent / Path(name).expanduser())
    if not target.is_file():
        raise context.error(EXTEND, f" names {name!r}, which is not a file ({target})")
    seen = [_real(link) for link in chain]
    if _real(target) in seen:
        cycle = " -> ".join(display_path(link) for link in chain[seen.index(_real(target)) :])
        raise context.error(EXTEND, f" makes a cycle: {cycle} -> {display_path(target)}")
    return target


def merge_values(base: Mapping[str, object], child: Mapping[str, object]) -> dict[str, object]:
    """`child` over `base`, key by key; the `extend-*` lists add to the base's.

    A `select` in the child starts the selection again, so the base's `extend-select` is
    dropped with the base's `select`.
    """
    merged = {**base, **child}
    if "select" in child:
        merged["extend_select"] = child.get("extend_select", ())
    else:
        merged["extend_select"] = _concat(base, child, "extend_select")
    merged["extend_exclude"] = _concat(base, child, "extend_exclude")
    return merged


def _concat(base: Mapping[str, object], child: Mapping[str, object], key: str) -> object:
    first = base.get(key, ())
    second = child.get(key, ())
    assert isinstance(first, tuple) and isinstance(second, tuple)
    return first + second


def rebase_values(values: Mapping[str, object], old: Path, new: Path) -> dict[str, object]:
    """`values` (read against folder `old`) with their path globs made to read against `new`."""
    if old == new:
        return dict(values)
    rebased = dict(values)
    for key in ("exclude", "extend_exclude"):
        patterns = values.get(key)
        if isinstance(patterns, tuple):
            rebased[key] = tuple(rebase_glob(pattern, old, new) for pattern in patterns)
    ignores = values.get("per_file_ignores")
    if isinstance(ignores, tuple):
        rebased["per_file_ignores"] = tuple(
            (rebase_glob(pattern, old, new), codes) for pattern, codes in ignores
        )
    return rebased


# --------------------------------------------------------------------------- reading


def _read_table(
    path: Path,
    check_selector: Callable[[str], str | None] | None,
) -> tuple[dict[str, object], Context]:
    """The lint-wb table of `path`: `[tool.lint-wb]` of a pyproject.toml, else the whole file.

    A pyproject.toml without the table gives an empty table (the defaults).
    """
    document = _parse_toml(path, _read_text(path))
    if path.name != _PYPROJECT:
        return document, Context(path, None, check_selector)
    context = Context(path, f"[tool.{_TOOL_TABLE}]", check_selector)
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(
            f"{display_path(path)}: 'tool' must be a table, got {describe_value(tool)}"
        )
    table = tool.get(_TOOL_TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(
            f"{display_path(path)}: 'tool.{_TOOL_TABLE}' must be a table, "
            f"got {describe_value(table)}"
        )
    return table, context


def _read_text(path: Path) -> str:
    try:
        return read_regular_text(path)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{display_path(path)}: not valid UTF-8 ({error.reason})") from error
    except OSError as error:
        raise ConfigError(
            f"{display_path(path)}: cannot read: {error.strerror or error}"
        ) from error


def _parse_toml(path: Path, text: str) -> dict[str, object]:
    try:
        return toml.loads(text)
    except toml.TomlError as error:
        # The message ends with "(at line L, column C)".
        raise ConfigError(f"{display_path(path)}: invalid TOML: {error}") from error


# --------------------------------------------------------------------------- paths


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))
