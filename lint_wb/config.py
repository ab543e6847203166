"""Find, read and validate the configuration: `[tool.lint-wb]` or `lint-wb.toml`.

The result is a :class:`~lint_wb.settings.Settings`. Every problem in a file is a
:class:`ConfigError` whose message is one line naming the file, the key and what is wrong,
so the CLI can print it as it is and exit 2.

Globs (`exclude`, `extend-exclude`, `per-file-ignores`) match as in ruff: a pattern without
a slash matches the name of any path component (`build`, `*.pyi`); a pattern with a slash
matches the path relative to `Settings.root` (or the absolute path, when the pattern is
absolute). `*` and `?` also match `/`, as in ruff's (and fnmatch's) globs; `**/` matches
zero or more folders.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from lint_wb.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

__all__ = [
    "CONFIG_FILENAMES",
    "OUTPUT_FORMATS",
    "ConfigError",
    "find_config_file",
    "ignored_codes_for",
    "is_excluded",
    "load_settings",
    "resolve_settings",
]

CONFIG_FILENAMES: tuple[str, ...] = (".lint-wb.toml", "lint-wb.toml", "pyproject.toml")
"""Looked for in this order in each folder; the first one that applies wins."""

OUTPUT_FORMATS: tuple[str, ...] = ("full", "concise", "json", "json-lines", "sarif", "github")

_PYPROJECT = "pyproject.toml"
_TOOL_TABLE = "lint-wb"
_EXTEND = "extend"


class ConfigError(ValueError):
    """A configuration file cannot be used. The message is one line, ready to print."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.splitlines()))


# --------------------------------------------------------------------------- discovery


def find_config_file(start: Path) -> Path | None:
    """The configuration file in force for `start` (a file or folder), or None.

    Walks up to the filesystem root; in each folder the first of :data:`CONFIG_FILENAMES`
    that applies wins. A `pyproject.toml` applies only when it has a `[tool.lint-wb]` table.
    """
    here = _absolute(start)
    folder = here if here.is_dir() else here.parent
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILENAMES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name != _PYPROJECT or _has_tool_table(candidate)):
                return candidate
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
) -> Settings:
    """Read, validate and resolve one configuration file (and the files it `extend`s).

    `check_selector` validates rule selectors (in `select`, `extend-select`, `ignore`,
    `per-file-ignores`): it returns None for a valid selector and otherwise an error message,
    with a did-you-mean. Without it selectors are not checked.
    `config_file` is the absolute path of the file, and `root` its folder.
    """
    config_file = _absolute(path)
    # Each value was checked by the parser of its key; Any only quiets the field types.
    values: dict[str, Any] = _load_chain(config_file, check_selector, ())
    return replace(Settings(config_file=config_file, root=config_file.parent), **values)


def _load_chain(
    path: Path,
    check_selector: Callable[[str], str | None] | None,
    chain: tuple[Path, ...],
) -> dict[str, object]:
    """The field values `path` sets, merged over those of the file it extends.

    `chain` holds the files that extend this one (to detect cycles). Globs of an extended
    file are rebased onto `path`'s folder, and its `models-file` is already absolute, so
    the result can be read against `path.parent`.
    """
    table, context = _read_table(path, check_selector)
    values = _parse_table(table, context)
    base_name = table.get(_EXTEND)
    if base_name is None:
        return values
    base = _extended_file(base_name, context, (*chain, path))
    base_values = _load_chain(base, check_selector, (*chain, path))
    return _merge(_rebase(base_values, base.parent, path.parent), values)


def _extended_file(value: object, context: _Context, chain: tuple[Path, ...]) -> Path:
    """The file named by `extend`, checked to exist and not to close a cycle."""
    name = _string(context, _EXTEND, value)
    target = _absolute(context.file.parent / Path(name).expanduser())
    if not target.is_file():
        raise context.error(_EXTEND, f" names {name!r}, which is not a file ({target})")
    seen = [_real(link) for link in chain]
    if _real(target) in seen:
        cycle = " -> ".join(_display(link) for link in chain[seen.index(_real(target)) :])
        raise context.error(_EXTEND, f" makes a cycle: {cycle} -> {_display(target)}")
    return target


def _merge(base: Mapping[str, object], child: Mapping[str, object]) -> dict[str, object]:
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


def _rebase(values: Mapping[str, object], old: Path, new: Path) -> dict[str, object]:
    """`values` (read against folder `old`) with their path globs made to read against `new`."""
    if old == new:
        return dict(values)
    rebased = dict(values)
    for key in ("exclude", "extend_exclude"):
        patterns = values.get(key)
        if isinstance(patterns, tuple):
            rebased[key] = tuple(_rebase_glob(pattern, old, new) for pattern in patterns)
    ignores = values.get("per_file_ignores")
    if isinstance(ignores, tuple):
        rebased["per_file_ignores"] = tuple(
            (_rebase_glob(pattern, old, new), codes) for pattern, codes in ignores
        )
    return rebased


def _rebase_glob(pattern: str, old: Path, new: Path) -> str:
    """A glob written in folder `old` that means the same in folder `new`.

    Name-only globs and absolute globs mean the same everywhere. A relative path glob gets
    the way from `new` to `old` in front: relative when `old` is inside `new`, else absolute.
    """
    normal = _normalize_glob(pattern)
    if "/" not in normal or _is_absolute_glob(normal):
        return pattern
    try:
        prefix = old.relative_to(new).as_posix()
    except ValueError:
        prefix = old.as_posix()
    return f"{glob.escape(prefix)}/{normal}"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Context:
    """Where values come from, to word errors; and how to check selectors."""

    file: Path
    table: str | None
    check_selector: Callable[[str], str | None] | None

    def error(self, key: str, problem: str) -> ConfigError:
        """`<file>: '<key>' in [tool.lint-wb]<problem>`; `problem` starts with its separator."""
        where = f" in {self.table}" if self.table else ""
        return ConfigError(f"{_display(self.file)}: {key!r}{where}{problem}")


def _read_table(
    path: Path,
    check_selector: Callable[[str], str | None] | None,
) -> tuple[dict[str, object], _Context]:
    """The lint-wb table of `path`: `[tool.lint-wb]` of a pyproject.toml, else the whole file.

    A pyproject.toml without the table gives an empty table (the defaults).
    """
    document = _parse_toml(path, _read_text(path))
    if path.name != _PYPROJECT:
        return document, _Context(path, None, check_selector)
    context = _Context(path, f"[tool.{_TOOL_TABLE}]", check_selector)
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{_display(path)}: 'tool' must be a table, got {_describe(tool)}")
    table = tool.get(_TOOL_TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(
            f"{_display(path)}: 'tool.{_TOOL_TABLE}' must be a table, got {_describe(table)}"
        )
    return table, context


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{_display(path)}: not valid UTF-8 ({error.reason})") from error
    except OSError as error:
        raise ConfigError(f"{_display(path)}: cannot read: {error.strerror or error}") from error


def _parse_toml(path: Path, text: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # The message ends with "(at line L, column C)".
        raise ConfigError(f"{_display(path)}: invalid TOML: {error}") from error


# --------------------------------------------------------------------------- validation

_Parser = Callable[[_Context, str, object], object]


def _parse_table(table: Mapping[str, object], context: _Context) -> dict[str, object]:
    """The Settings field values `table` sets, validated (`extend` is left to the caller)."""
    values: dict[str, object] = {}
    for key, value in table.items():
        if key == _EXTEND:
            continue
        if key not in _KEYS:
            raise _unknown_key(key, context)
        field_name, parse = _KEYS[key]
        values[field_name] = parse(context, key, value)
    return values


def _unknown_key(key: str, context: _Context) -> ConfigError:
    where = f" in {context.table}" if context.table else ""
    known = [*_KEYS, _EXTEND]
    kebab = key.replace("_", "-")
    if kebab in known:
        hint = f" (did you mean {kebab!r}?)"
    elif key == "tool" and context.table is None:
        hint = f" (in {context.file.name} the keys go at the top level, without [tool.lint-wb])"
    else:
        matches = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean {matches[0]!r}?)" if matches else ""
    return ConfigError(f"{_display(context.file)}: unknown key {key!r}{where}{hint}")


def _bool(context: _Context, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise context.error(key, f" must be true or false, got {_describe(value)}")
    return value


def _string(context: _Context, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise context.error(key, f" must be a string, got {_describe(value)}")
    if not value:
        raise context.error(key, " must not be empty")
    return value


def _strings(context: _Context, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise context.error(key, f" must be a list of strings, got {_describe(value)}")
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise context.error(
                key, f" must be a list of strings, but item {index} is {_describe(item)}"
            )
        if not item:
            raise context.error(key, f": item {index} is an empty string")
    return tuple(value)


def _selectors(context: _Context, key: str, value: object) -> tuple[str, ...]:
    selectors = _strings(context, key, value)
    _check_selectors(context, key, selectors)
    return selectors


def _check_selectors(context: _Context, key: str, selectors: tuple[str, ...]) -> None:
    if context.check_selector is None:
        return
    for selector in selectors:
        message = context.check_selector(selector)
        if message is not None:
            raise context.error(key, f": {message}")


def _per_file_ignores(
    context: _Context, key: str, value: object
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise context.error(key, f" must be a table of glob = [codes], got {_describe(value)}")
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for pattern, codes in value.items():
        if not pattern:
            raise context.error(key, ": a glob is an empty string")
        entry = f"{key}.{_toml_key(pattern)}"
        selectors = _strings(context, entry, codes)
        _check_selectors(context, entry, selectors)
        pairs.append((pattern, selectors))
    return tuple(pairs)


def _urls(context: _Context, key: str, value: object) -> tuple[str, ...]:
    urls = _strings(context, key, value)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise context.error(key, f": {url!r} is not an http:// or https:// URL")
    return urls


def _output_format(context: _Context, key: str, value: object) -> str:
    name = _string(context, key, value)
    if name not in OUTPUT_FORMATS:
        matches = difflib.get_close_matches(name, OUTPUT_FORMATS, n=1)
        hint = f" (did you mean {matches[0]!r}?)" if matches else ""
        raise context.error(key, f" must be one of {', '.join(OUTPUT_FORMATS)}; got {name!r}{hint}")
    return name


def _models_file(context: _Context, key: str, value: object) -> Path:
    """An absolute path: relative paths read from the declaring file's folder."""
    name = _string(context, key, value)
    return _absolute(context.file.parent / Path(name).expanduser())


_KEYS: dict[str, tuple[str, _Parser]] = {
    "select": ("select", _selectors),
    "extend-select": ("extend_select", _selectors),
    "ignore": ("ignore", _selectors),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "respect-gitignore": ("respect_gitignore", _bool),
    "assume-wandb": ("assume_wandb", _bool),
    "extra-base-urls": ("extra_base_urls", _urls),
    "extra-models": ("extra_models", _strings),
    "extra-parameters": ("extra_parameters", _strings),
    "unsafe-fixes": ("unsafe_fixes", _bool),
    "output-format": ("output_format", _output_format),
    "models-file": ("models_file", _models_file),
}
"""TOML key -> (Settings field, parser). `extend` is handled by :func:`_load_chain`."""


def _describe(value: object) -> str:
    """A TOML value's kind and (shortened) value, for error messages."""
    kind = {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a float",
        list: "an array",
        dict: "a table",
    }.get(type(value), "a date/time")
    if isinstance(value, dict):
        return kind
    shown = ("true" if value else "false") if isinstance(value, bool) else repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})"


def _toml_key(key: str) -> str:
    """`key` as it would be written in a TOML dotted key."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------- matching


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether `path` (or a folder it is in) matches `exclude` or `extend-exclude`.

    Relative `path`s are read from the current folder. Only folders below `settings.root`
    count (a project that lives in a folder named `build` is not excluded by `build`); for a
    path outside the root, all its folders count.
    """
    matcher = _matcher(settings.exclude + settings.extend_exclude)
    return any(matcher.matches(candidate) for candidate in _candidates(path, settings.root))


def ignored_codes_for(path: Path, settings: Settings) -> tuple[str, ...]:
    """The `per-file-ignores` codes for `path`, in the order written, without repeats."""
    candidates = list(_candidates(path, settings.root))
    codes: dict[str, None] = {}
    for pattern, pattern_codes in settings.per_file_ignores:
        matcher = _matcher((pattern,))
        if any(matcher.matches(candidate) for candidate in candidates):
            codes.update(dict.fromkeys(pattern_codes))
    return tuple(codes)


@dataclass(frozen=True)
class _Candidate:
    """One of the paths a glob is tried on: the path itself or a folder it is in."""

    name: str
    relative: str | None
    """Relative to the root, `/`-separated; None outside the root."""
    absolute: str


def _candidates(path: Path, root: Path) -> Iterator[_Candidate]:
    here = _absolute(path)
    base = _absolute(root)
    try:
        parts = here.relative_to(base).parts
    except ValueError:
        parts = ()
        inside = False
    else:
        inside = True
    if inside:
        for depth in range(len(parts), 0, -1):
            relative = PurePath(*parts[:depth])
            yield _Candidate(parts[depth - 1], relative.as_posix(), (base / relative).as_posix())
        return
    for current in (here, *here.parents):
        if not current.name:
            break
        yield _Candidate(current.name, None, current.as_posix())


@dataclass(frozen=True)
class _Matcher:
    """Compiled globs, split by what they are tried on."""

    by_name: re.Pattern[str] | None
    by_relative: re.Pattern[str] | None
    by_absolute: re.Pattern[str] | None

    def matches(self, candidate: _Candidate) -> bool:
        if self.by_name is not None and self.by_name.fullmatch(candidate.name):
            return True
        if (
            self.by_relative is not None
            and candidate.relative is not None
            and self.by_relative.fullmatch(candidate.relative)
        ):
            return True
        return self.by_absolute is not None and bool(self.by_absolute.fullmatch(candidate.absolute))


@lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...]) -> _Matcher:
    by_name: list[str] = []
    by_relative: list[str] = []
    by_absolute: list[str] = []
    for pattern in patterns:
        normal = _normalize_glob(pattern)
        if not normal:
            continue
        if "/" not in normal:
            by_name.append(normal)
        elif _is_absolute_glob(normal):
            by_absolute.append(normal)
        else:
            by_relative.append(normal)
    return _Matcher(_compile(by_name), _compile(by_relative), _compile(by_absolute))


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_glob_to_regex(p)})" for p in patterns), re.DOTALL)


def _normalize_glob(pattern: str) -> str:
    """`\\` as `/`, no leading `./`, no trailing `/` (`build/` means any `build`)."""
    normal = pattern.replace("\\", "/") if os.sep == "\\" else pattern
    while normal.startswith("./"):
        normal = normal[2:]
    if len(normal) > 1:
        normal = normal.rstrip("/") or "/"
    return normal


def _is_absolute_glob(pattern: str) -> bool:
    return pattern.startswith("/") or Path(pattern).is_absolute()


def _glob_to_regex(pattern: str) -> str:
    """A regular expression (for fullmatch) equivalent to the glob `pattern`.

    `*` and `?` match any characters, `/` included (fnmatch, and ruff's default); `**/` as a
    whole component also matches no folder at all (`src/**/x.py` matches `src/x.py`);
    `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` are character classes.
    """
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            end = index
            while end < len(pattern) and pattern[end] == "*":
                end += 1
            whole = (index == 0 or pattern[index - 1] == "/") and end - index >= 2
            if whole and end < len(pattern) and pattern[end] == "/":
                out.append("(?:.*/)?")
                end += 1
            else:
                out.append(".*")
            index = end
        elif char == "?":
            out.append(".")
            index += 1
        elif char == "[":
            close = _class_end(pattern, index)
            if close < 0:
                out.append(re.escape(char))
                index += 1
            else:
                out.append(_class_to_regex(pattern[index + 1 : close]))
                index = close + 1
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` closing the class opened at `start`, or -1 when unclosed."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1  # a `]` first in a class is itself a member
    return pattern.find("]", index)


def _class_to_regex(body: str) -> str:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    escaped = "".join("\\" + char if char in "\\[]&~|^" else char for char in body)
    return f"[{'^' if negate else ''}{escaped}]"


# --------------------------------------------------------------------------- paths


def _absolute(path: Path) -> Path:
    """`path` made absolute and normalized (`..` folded) without resolving symlinks."""
    return Path(os.path.abspath(path))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _display(path: Path) -> str:
    """`path` relative to the current folder when it is inside it, else absolute."""
    try:
        return str(_absolute(path).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
