"""The keys of a lint-wb configuration table and the check of each value.

Every problem is a :class:`ConfigError` whose message is one line naming the file, the key
and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from lint_wb.config.paths import absolute_path, display_path
from lint_wb.records import dataclass

OUTPUT_FORMATS: tuple[str, ...] = ("full", "concise", "json", "json-lines", "sarif", "github")

EXTEND = "extend"


class ConfigError(ValueError):
    """A configuration file cannot be used. The message is one line, ready to print."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.splitlines()))


@dataclass(frozen=True)
class Context:
    """Where values come from, to word errors; and how to check selectors."""

    file: Path
    table: str | None
    check_selector: Callable[[str], str | None] | None

    def error(self, key: str, problem: str) -> ConfigError:
        """`<file>: '<key>' in [tool.lint-wb]<problem>`; `problem` starts with its separator."""
        where = f" in {self.table}" if self.table else ""
        return ConfigError(f"{display_path(self.file)}: {key!r}{where}{problem}")


_Parser = Callable[[Context, str, object], object]


def parse_table(table: Mapping[str, object], context: Context) -> dict[str, object]:
    """The Settings field values `table` sets, validated (`extend` is left to the caller)."""
    values: dict[str, object] = {}
    for key, value in table.items():
        if key == EXTEND:
            continue
        if key not in _KEYS:
            raise _unknown_key(key, context)
        field_name, parse = _KEYS[key]
        values[field_name] = parse(context, key, value)
    return values


def _unknown_key(key: str, context: Context) -> ConfigError:
    where = f" in {context.table}" if context.table else ""
    known = [*_KEYS, EXTEND]
    kebab = key.replace("_", "-")
    if kebab in known:
        hint = f" (did you mean {kebab!r}?)"
    elif key == "tool" and context.table is None:
        hint = f" (in {context.file.name} the keys go at the top level, without [tool.lint-wb])"
    else:
        matches = _close_matches(key, known, n=1)
        hint = f" (did you mean {matches[0]!r}?)" if matches else ""
    return ConfigError(f"{display_path(context.file)}: unknown key {key!r}{where}{hint}")


def _bool(context: Context, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise context.error(key, f" must be true or false, got {describe_value(value)}")
    return value


def string_value(context: Context, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise context.error(key, f" must be a string, got {describe_value(value)}")
    if not value:
        raise context.error(key, " must not be empty")
    return value


def _strings(context: Context, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise context.error(key, f" must be a list of strings, got {describe_value(value)}")
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise context.error(
                key, f" must be a list of strings, but item {index} is {describe_value(item)}"
            )
        if not item:
            raise context.error(key, f": item {index} is an empty string")
    return tuple(value)


def _selectors(context: Context, key: str, value: object) -> tuple[str, ...]:
    selectors = _strings(context, key, value)
    _check_selectors(context, key, selectors)
    return selectors


def _check_selectors(context: Context, key: str, selectors: tuple[str, ...]) -> None:
    if context.check_selector is None:
        return
    for selector in selectors:
        message = context.check_selector(selector)
        if message is not None:
            raise context.error(key, f": {message}")


def _per_file_ignores(
    context: Context, key: str, value: object
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise context.error(key, f" must be a table of glob = [codes], got {describe_value(value)}")
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for pattern, codes in value.items():
        if not pattern:
            raise context.error(key, ": a glob is an empty string")
        entry = f"{key}.{_toml_key(pattern)}"
        selectors = _strings(context, entry, codes)
        _check_selectors(context, entry, selectors)
        pairs.append((pattern, selectors))
    return tuple(pairs)


def _urls(context: Context, key: str, value: object) -> tuple[str, ...]:
    urls = _strings(context, key, value)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise context.error(key, f": {url!r} is not an http:// or https:// URL")
    return urls


def _output_format(context: Context, key: str, value: object) -> str:
    name = string_value(context, key, value)
    if name not in OUTPUT_FORMATS:
        matches = _close_matches(name, OUTPUT_FORMATS, n=1)
        hint = f" (did you mean {matches[0]!r}?)" if matches else ""
        raise context.error(key, f" must be one of {', '.join(OUTPUT_FORMATS)}; got {name!r}{hint}")
    return name


def _models_file(context: Context, key: str, value: object) -> Path:
    """An absolute path: relative paths read from the declaring file's folder."""
    name = string_value(context, key, value)
    return absolute_path(context.file.parent / Path(name).expanduser())


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
"""TOML key -> (Settings field, parser). `extend` is handled by the loader (config.py)."""


def describe_value(value: object) -> str:
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


def _close_matches(word: str, known: Sequence[str], n: int) -> list[str]:
    import difflib  # only for a key or value that is wrong

    return difflib.get_close_matches(word, known, n=n)
