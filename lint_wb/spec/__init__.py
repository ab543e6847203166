"""The W&B Inference knowledge lint-wb rests on, loaded from the TOML files beside this one.

Nothing else in lint-wb reads those files: rules receive a :class:`Spec`.
Every entry in the data files names its source and the date it was checked.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, cast, get_args

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = [
    "CACHE_DIR_ENV",
    "ApiSpec",
    "DefaultModels",
    "ForeignHost",
    "ForeignParameter",
    "Lifecycle",
    "MessagesSpec",
    "Model",
    "ModelCatalog",
    "ParamStatus",
    "Parameter",
    "Range",
    "Reasoning",
    "RoleSynonym",
    "Spec",
    "SpecError",
    "ValueType",
    "cache_dir",
    "cached_models_file",
    "default_models",
    "default_models_file",
    "load_models",
    "load_spec",
    "resolve_replacement",
]

ParamStatus = Literal[
    "required",  # model, messages
    "supported",  # W&B honours it
    "accepted",  # accepted and ignored (user)
    "deprecated",  # accepted, superseded (functions, function_call)
    "reasoning-only",  # only for reasoning models (reasoning_effort)
    "unsupported",  # the SDK sends it, W&B rejects it: WB201
    "sdk-option",  # extra_headers, extra_query, extra_body, timeout: not request fields
    "extra-body",  # not an SDK keyword, W&B honours it inside extra_body: WB202 moves it
]
ValueType = Literal["number", "integer", "boolean", "string", "list", "dict", "string-list"]
Reasoning = Literal["no", "yes", "always", "hybrid"]
Lifecycle = Literal["experimental", "ga", "deprecated", "retired"]


@dataclass(frozen=True)
class Range:
    """A numeric range; a bound of None is open."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False


@dataclass(frozen=True)
class Parameter:
    name: str
    status: ParamStatus
    types: tuple[ValueType, ...] = ()
    """Accepted literal types; empty means any."""
    range: Range | None = None
    choices: tuple[str, ...] = ()
    """For string-valued enums (reasoning_effort, tool_choice strings)."""
    value_range: Range | None = None
    """For dict-valued parameters, the range of each value (logit_bias)."""
    source: str = ""


@dataclass(frozen=True)
class ForeignParameter:
    """A keyword from another provider's SDK that the OpenAI SDK rejects (WB202)."""

    name: str
    provider: str
    rename_to: str | None = None
    """A W&B/OpenAI keyword of the same meaning: the safe fix renames to it."""
    extra_body_as: str | None = None
    """W&B honours it inside extra_body under this key: the safe fix moves it there."""
    source: str = ""


@dataclass(frozen=True)
class ForeignHost:
    provider: str
    host: str
    source: str = ""


@dataclass(frozen=True)
class RoleSynonym:
    """A role of another API (`developer`, `model`, `human`, `function`) and its meaning here."""

    name: str
    role: str | None
    """The W&B role of the same meaning (WB404's safe fix); None when there is none."""
    origin: str
    """Where the name comes from, for the message (`Gemini`)."""
    advice: str = ""
    """What to do instead, for a synonym without a `role`."""
    source: str = ""


@dataclass(frozen=True)
class MessagesSpec:
    """The shape of the `messages` array (WB4xx). The defaults are the OpenAI chat format; the
    loader fills every field from the `[messages]` table of api.toml."""

    roles: tuple[str, ...] = ("system", "user", "assistant", "tool")
    keys: tuple[str, ...] = ("role", "content", "name", "tool_calls", "tool_call_id")
    """The keys a message may have."""
    part_types: tuple[str, ...] = ("text", "image_url")
    """The `type`s of a content part."""
    role_synonyms: dict[str, RoleSynonym] = field(default_factory=dict)
    """Lower-case role names of other APIs -> what they mean here."""
    source: str = ""


@dataclass(frozen=True)
class ApiSpec:
    base_url: str
    """The one correct base URL, https://api.inference.wandb.ai/v1."""
    near_miss_hosts: tuple[str, ...]
    """Hosts that are W&B-looking but wrong (api.wandb.ai, trace.wandb.ai, ...)."""
    foreign_hosts: tuple[ForeignHost, ...]
    """Other providers' OpenAI-compatible hosts (WB103 under assume-wandb)."""
    sdk_create_parameters: frozenset[str]
    """Every keyword openai-python's chat.completions.create() accepts."""
    sdk_version: str
    """The openai-python version that list was read from."""
    parameters: dict[str, Parameter]
    foreign_parameters: dict[str, ForeignParameter]
    unsupported_endpoints: tuple[str, ...]
    """Client attributes W&B does not serve (embeddings, images, beta.assistants, ...)."""
    checked: str = ""
    """The date the facts were checked (ISO)."""
    source: str = ""
    messages: MessagesSpec = field(default_factory=MessagesSpec)


@dataclass(frozen=True)
class Model:
    id: str
    lifecycle: Lifecycle
    input_modalities: tuple[str, ...] = ("text",)
    context_window: int | None = None
    reasoning: Reasoning | None = None
    """None: unknown. "hybrid": reasoning can be toggled with enable_thinking."""
    tool_calling: bool | None = None
    json_mode: bool | None = None
    structured_output: bool | None = None
    retired_on: str | None = None
    retirement_date: str | None = None
    """For deprecated models: the announced retirement date."""
    replacement: str | None = None
    """W&B's named replacement (may itself be retired: follow the chain)."""
    source: str = ""


@dataclass(frozen=True)
class ModelCatalog:
    date: str
    """The date of the snapshot (ISO): every finding resting on it names this date."""
    source: str
    models: dict[str, Model]
    other_provider_ids: dict[str, str] = field(default_factory=dict)
    """Another provider's ID for the same weights -> the W&B ID (an unsafe WB501 fix)."""


@dataclass(frozen=True)
class Spec:
    api: ApiSpec
    models: ModelCatalog


# --------------------------------------------------------------------------------------------
# Loading: the one place that reads api.toml and models.toml.


_PACKAGE = "lint_wb.spec"
_API_FILE = "api.toml"
_MODELS_FILE = "models.toml"
_MODALITIES = ("text", "image", "audio", "video")
_NUMERIC_TYPES = frozenset({"number", "integer"})


class SpecError(ValueError):
    """A data file lint-wb cannot use: bad TOML, a missing, unknown or ill-typed key.

    The message is one line naming the file and the entry, fit to show a user as is.
    """


def load_spec(models_file: Path | None = None) -> Spec:
    """The W&B knowledge: the bundled API facts with the bundled model catalog, or with the
    catalog in `models_file` (the `models-file` setting) when given.

    The bundled spec is read once and cached; a models file once per version of it (its
    mtime, ctime, size and inode). Raises :class:`SpecError` on a bad file.
    """
    if models_file is None:
        return _bundled_spec()
    stamp = _stamp(Path(models_file))
    if stamp is None:
        return Spec(api=_bundled_api(), models=load_models(models_file))  # "cannot read"
    return _spec_at(str(models_file), stamp)


def load_models(path: Path | str) -> ModelCatalog:
    """Read a model catalog snapshot (the layout of the bundled models.toml)."""
    file = str(path)
    return _parse_models(_parse_toml(_read_path(Path(path)), file), file)


def resolve_replacement(catalog: ModelCatalog, model_id: str) -> str | None:
    """The first GA model on the replacement chain starting at `model_id`'s replacement.

    None when the chain ends (no replacement named, or one the snapshot does not know) without
    reaching a GA model: a fix may only ever write a model the snapshot lists as served.
    """
    for candidate in _replacement_chain(catalog.models, model_id):
        model = catalog.models.get(candidate)
        if model is not None and model.lifecycle == "ga":
            return candidate
    return None


@functools.lru_cache(maxsize=1)
def _bundled_spec() -> Spec:
    return Spec(api=_bundled_api(), models=_bundled_models())


@functools.lru_cache(maxsize=1)
def _bundled_api() -> ApiSpec:
    file = f"{_PACKAGE.replace('.', '/')}/{_API_FILE}"
    return _parse_api(_parse_toml(_read_bundled(_API_FILE), file), file)


@functools.lru_cache(maxsize=1)
def _bundled_models() -> ModelCatalog:
    file = f"{_PACKAGE.replace('.', '/')}/{_MODELS_FILE}"
    return _parse_models(_parse_toml(_read_bundled(_MODELS_FILE), file), file)


# --------------------------------------------------------------------------------------------
# The snapshot in use when no `models-file` is set: the newer (by [catalog].date) of the
# bundled one and the one `lint-wb --update-models` wrote to the user's cache directory.

CACHE_DIR_ENV = "LINT_WB_CACHE_DIR"
_Stamp = tuple[int, int, int, int]


@dataclass(frozen=True)
class DefaultModels:
    """Which snapshot a run without `models-file` uses."""

    path: Path | None
    """The cached snapshot when it is valid and newer than the bundled one; None: bundled."""
    warning: str | None = None
    """One line for the user when the cached snapshot is unusable (the bundled one is used)."""


def cache_dir() -> Path:
    """`$LINT_WB_CACHE_DIR`, else `$XDG_CACHE_HOME/lint-wb`, else `~/.cache/lint-wb`.

    Raises RuntimeError when there is no home directory to put it in.
    """
    override = os.environ.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore a relative one
        return Path(xdg) / "lint-wb"
    return Path.home() / ".cache" / "lint-wb"


def cached_models_file() -> Path:
    """Where `lint-wb --update-models` writes its snapshot."""
    return cache_dir() / _MODELS_FILE


def default_models() -> DefaultModels:
    """The snapshot to use when no `models-file` is set, judged once per version of the file.

    Never raises and never prints: an unreadable or invalid cached snapshot gives the bundled
    one and a warning for the caller to show.
    """
    try:
        path = cached_models_file()
    except RuntimeError:
        return DefaultModels(None)
    stamp = _stamp(path)
    return DefaultModels(None) if stamp is None else _judge_cached(str(path), stamp)


def default_models_file() -> Path | None:
    """The cached snapshot when it is in use, else None (the bundled one)."""
    return default_models().path


def _stamp(path: Path) -> _Stamp | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


@functools.lru_cache(maxsize=8)
def _judge_cached(path: str, stamp: _Stamp) -> DefaultModels:
    bundled = _bundled_models().date
    try:
        cached = _models_at(path, stamp)
    except SpecError as error:
        return DefaultModels(
            None, f"the cached model snapshot is unusable, using the bundled one of {bundled}: "
            f"{error}"
        )
    return DefaultModels(Path(path)) if cached.date > bundled else DefaultModels(None)


@functools.lru_cache(maxsize=8)
def _models_at(path: str, stamp: _Stamp) -> ModelCatalog:
    del stamp  # only a part of the cache key
    return load_models(path)


@functools.lru_cache(maxsize=8)
def _spec_at(path: str, stamp: _Stamp) -> Spec:
    return Spec(api=_bundled_api(), models=_models_at(path, stamp))


# --------------------------------------------------------------------------------------------
# Reading files


def _read_bundled(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _read_path(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _parse_toml(text: str, file: str) -> dict[str, object]:
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(_one_line(f"{file}: invalid TOML: {exc}")) from None


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _describe(value: object) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kind = kinds.get(type(value), "a list" if isinstance(value, list) else "a table")
    if isinstance(value, datetime.date):
        kind = "a date"
    text = repr(value)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"


# --------------------------------------------------------------------------------------------
# One table of a data file, read key by key


class _Entry:
    """A TOML table read key by key; `finish()` rejects the keys nobody asked for."""

    def __init__(self, file: str, label: str, table: object) -> None:
        if not isinstance(table, dict):
            raise SpecError(f"{file}: {label}: expected a table, found {_describe(table)}")
        self.file = file
        self.label = label
        self._table: dict[str, object] = table
        self._seen: set[str] = set()

    def error(self, problem: str) -> SpecError:
        return SpecError(_one_line(f"{self.file}: {self.label}: {problem}"))

    def finish(self) -> None:
        for key in self._table:
            if key not in self._seen:
                known = sorted(self._seen)
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.error(f"unknown key '{key}'{hint}; known keys: {', '.join(known)}")

    def raw(self, key: str) -> object | None:
        self._seen.add(key)
        return self._table.get(key)

    def required(self, key: str) -> object:
        value = self.raw(key)
        if value is None:
            raise self.error(f"missing required key '{key}'")
        return value

    def string(self, key: str) -> str:
        return self._as_string(key, self.required(key))

    def opt_string(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else self._as_string(key, value)

    def _as_string(self, key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"'{key}' must be a non-empty string, found {_describe(value)}")
        return value

    def date(self, key: str) -> str:
        return self._as_date(key, self.required(key))

    def opt_date(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else self._as_date(key, value)

    def _as_date(self, key: str, value: object) -> str:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise self.error(f"'{key}' must be a date (YYYY-MM-DD), found {_describe(value)}")

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list of strings, found {_describe(value)}")
        items = tuple(self._as_string(key, item) for item in value)
        duplicates = sorted({item for item in items if items.count(item) > 1})
        if duplicates:
            raise self.error(f"'{key}' lists '{duplicates[0]}' twice")
        return items

    def opt_int(self, key: str, minimum: int) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(f"'{key}' must be an integer >= {minimum}, found {_describe(value)}")
        return value

    def opt_number(self, key: str) -> float | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self.error(f"'{key}' must be a number, found {_describe(value)}")
        return float(value)

    def opt_bool(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is not None and not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false, found {_describe(value)}")
        return value

    def choice(self, key: str, kind: object) -> str:
        value = self.string(key)
        allowed = cast("tuple[str, ...]", get_args(kind))
        if value not in allowed:
            raise self.error(f"'{key}' must be one of {', '.join(allowed)}, found '{value}'")
        return value

    def opt_choice(self, key: str, kind: object) -> str | None:
        return None if self.raw(key) is None else self.choice(key, kind)

    def sub(self, key: str) -> _Entry:
        return _Entry(self.file, f"{self._prefix()}[{key}]", self.required(key))

    def opt_sub(self, key: str) -> _Entry | None:
        value = self.raw(key)
        return None if value is None else _Entry(self.file, f"{self.label} '{key}'", value)

    def array(self, key: str, name: str) -> Iterator[_Entry]:
        """The tables of an array of tables `[[key]]`, each labelled `name #n` (1-based)."""
        value = self.raw(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.error(
                f"'{key}' must be an array of tables ([[{key}]]), found {_describe(value)}"
            )
        for number, table in enumerate(value, start=1):
            yield _Entry(self.file, f"{name} #{number}", table)

    def named(self, key: str, name: str) -> Iterator[tuple[str, _Entry]]:
        """The sub-tables of `[key.<name>]`, each labelled `name '<key>'`."""
        value = self.raw(key)
        if value is None:
            return
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a table of tables, found {_describe(value)}")
        for entry_name, table in value.items():
            if not entry_name.isidentifier():
                raise self.error(f"'{key}.{entry_name}' is not a keyword name")
            yield entry_name, _Entry(self.file, f"{name} '{entry_name}'", table)

    def _prefix(self) -> str:
        return "" if self.label == "top level" else f"{self.label} "


# --------------------------------------------------------------------------------------------
# api.toml


def _parse_api(data: dict[str, object], file: str) -> ApiSpec:
    root = _Entry(file, "top level", data)
    base_url, checked, source = _parse_api_table(root.sub("api"))
    sdk_version, create_parameters = _parse_sdk(root.sub("sdk"))
    endpoints = _parse_endpoints(root.sub("unsupported_endpoints"))
    near_misses = tuple(
        _parse_near_miss(entry) for entry in root.array("near_miss_host", "near_miss_host")
    )
    foreign_hosts = tuple(
        _parse_foreign_host(entry) for entry in root.array("foreign_host", "foreign_host")
    )
    parameters = {
        name: _parse_parameter(name, entry) for name, entry in root.named("parameter", "parameter")
    }
    foreign = {
        name: _parse_foreign_parameter(name, entry)
        for name, entry in root.named("foreign_parameter", "foreign_parameter")
    }
    messages = _parse_messages(root.sub("messages"))
    root.finish()
    api = ApiSpec(
        base_url=base_url,
        near_miss_hosts=near_misses,
        foreign_hosts=foreign_hosts,
        sdk_create_parameters=frozenset(create_parameters),
        sdk_version=sdk_version,
        parameters=parameters,
        foreign_parameters=foreign,
        unsupported_endpoints=endpoints,
        checked=checked,
        source=source,
        messages=messages,
    )
    _check_hosts(api, file)
    _check_parameters(api, file)
    _check_foreign_parameters(api, file)
    return api


def _parse_api_table(entry: _Entry) -> tuple[str, str, str]:
    base_url = entry.string("base_url")
    if not base_url.startswith("https://") or base_url.endswith("/"):
        raise entry.error(
            f"'base_url' must be an https:// URL without a trailing slash, found '{base_url}'"
        )
    result = (base_url, entry.date("checked"), entry.string("source"))
    entry.finish()
    return result


def _parse_sdk(entry: _Entry) -> tuple[str, tuple[str, ...]]:
    version = entry.string("version")
    entry.date("checked")
    entry.string("source")
    names = entry.strings("create_parameters")
    if not names:
        raise entry.error("missing required key 'create_parameters'")
    _check_identifiers(entry, "create_parameters", names)
    entry.finish()
    return version, names


def _parse_endpoints(entry: _Entry) -> tuple[str, ...]:
    entry.date("checked")
    entry.string("source")
    names = entry.strings("names")
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise entry.error(f"'names' holds '{name}', not a client attribute path")
    entry.finish()
    return names


def _parse_near_miss(entry: _Entry) -> str:
    host = _host(entry)
    entry.label = f"near_miss_host '{host}'"
    entry.string("source")
    entry.finish()
    return host


def _parse_foreign_host(entry: _Entry) -> ForeignHost:
    host = _host(entry)
    entry.label = f"foreign_host '{host}'"
    result = ForeignHost(
        provider=entry.string("provider"), host=host, source=entry.string("source")
    )
    entry.finish()
    return result


def _host(entry: _Entry) -> str:
    host = entry.string("host")
    if host != host.lower() or any(char in host for char in "/: \t"):
        raise entry.error(
            f"'host' must be a lower-case host name without scheme or path, found '{host}'"
        )
    return host


def _parse_parameter(name: str, entry: _Entry) -> Parameter:
    status = cast(ParamStatus, entry.choice("status", ParamStatus))
    types = cast("tuple[ValueType, ...]", entry.strings("types"))
    allowed = cast("tuple[str, ...]", get_args(ValueType))
    for value_type in types:
        if value_type not in allowed:
            raise entry.error(f"'types' holds '{value_type}'; allowed: {', '.join(allowed)}")
    value_range = _parse_range(entry, "range")
    if value_range is not None and not set(types) <= _NUMERIC_TYPES:
        raise entry.error("'range' needs 'types' of number or integer only")
    dict_range = _parse_range(entry, "value_range")
    if dict_range is not None and "dict" not in types:
        raise entry.error("'value_range' needs 'dict' in 'types'")
    choices = entry.strings("choices")
    if choices and "string" not in types:
        raise entry.error("'choices' needs 'string' in 'types'")
    parameter = Parameter(
        name=name,
        status=status,
        types=types,
        range=value_range,
        choices=choices,
        value_range=dict_range,
        source=entry.string("source"),
    )
    entry.finish()
    return parameter


def _parse_range(entry: _Entry, key: str) -> Range | None:
    sub = entry.opt_sub(key)
    if sub is None:
        return None
    minimum, maximum = sub.opt_number("minimum"), sub.opt_number("maximum")
    exclusive_minimum = bool(sub.opt_bool("exclusive_minimum"))
    exclusive_maximum = bool(sub.opt_bool("exclusive_maximum"))
    sub.finish()
    if minimum is None and maximum is None:
        raise sub.error("a range needs 'minimum' or 'maximum'")
    if (exclusive_minimum and minimum is None) or (exclusive_maximum and maximum is None):
        raise sub.error("an exclusive bound needs its value")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise sub.error(f"'minimum' {minimum:g} is above 'maximum' {maximum:g}")
    return Range(minimum, maximum, exclusive_minimum, exclusive_maximum)


def _parse_foreign_parameter(name: str, entry: _Entry) -> ForeignParameter:
    result = ForeignParameter(
        name=name,
        provider=entry.string("provider"),
        rename_to=entry.opt_string("rename_to"),
        extra_body_as=entry.opt_string("extra_body_as"),
        source=entry.string("source"),
    )
    entry.finish()
    if result.rename_to is not None and result.extra_body_as is not None:
        raise entry.error("give 'rename_to' or 'extra_body_as', not both")
    return result


def _parse_messages(entry: _Entry) -> MessagesSpec:
    entry.date("checked")
    source = entry.string("source")
    roles, keys, part_types = (entry.strings(key) for key in ("roles", "keys", "part_types"))
    for key, names in (("roles", roles), ("part_types", part_types)):
        if not names or any(name != name.lower() for name in names):
            raise entry.error(f"'{key}' must be a non-empty list of lower-case names")
    if not {"role", "content"} <= set(keys):
        raise entry.error("'keys' must hold 'role' and 'content'")
    synonyms = {
        name: _parse_role_synonym(name, sub, roles)
        for name, sub in entry.named("role_synonym", "role_synonym")
    }
    entry.finish()
    return MessagesSpec(roles, keys, part_types, synonyms, source)


def _parse_role_synonym(name: str, entry: _Entry, roles: tuple[str, ...]) -> RoleSynonym:
    synonym = RoleSynonym(
        name=name,
        role=entry.opt_string("role"),
        origin=entry.string("origin"),
        advice=entry.opt_string("advice") or "",
        source=entry.string("source"),
    )
    entry.finish()
    if name != name.lower() or name in roles:
        raise entry.error("must be a lower-case name that is not itself a role")
    if synonym.role is not None and synonym.role not in roles:
        raise entry.error(f"'role' names '{synonym.role}', not one of 'roles'")
    if (synonym.role is None) == (not synonym.advice):
        raise entry.error("give 'role' or 'advice', exactly one")
    return synonym


def _check_identifiers(entry: _Entry, key: str, names: tuple[str, ...]) -> None:
    for name in names:
        if not name.isidentifier():
            raise entry.error(f"'{key}' holds '{name}', not a keyword name")


def _check_hosts(api: ApiSpec, file: str) -> None:
    wandb_host = api.base_url.removeprefix("https://").split("/", 1)[0]
    seen: dict[str, str] = {wandb_host: "the W&B base URL"}
    labelled = [(host, "near_miss_host") for host in api.near_miss_hosts]
    labelled += [(host.host, "foreign_host") for host in api.foreign_hosts]
    for host, label in labelled:
        if host in seen:
            raise SpecError(f"{file}: {label} '{host}': already listed as {seen[host]}")
        seen[host] = label


def _check_parameters(api: ApiSpec, file: str) -> None:
    sdk = api.sdk_create_parameters
    missing = sorted(sdk - api.parameters.keys())
    if missing:
        name = missing[0]
        raise SpecError(f"{file}: [sdk] create_parameters: '{name}' has no [parameter.{name}]")
    for name, parameter in api.parameters.items():
        if parameter.status == "extra-body" and name in sdk:
            raise SpecError(
                f"{file}: parameter '{name}': status extra-body, but the SDK takes it as a keyword"
            )
        if parameter.status != "extra-body" and name not in sdk:
            raise SpecError(
                f"{file}: parameter '{name}': not an SDK keyword, so its status must be extra-body"
            )


def _check_foreign_parameters(api: ApiSpec, file: str) -> None:
    for name, foreign in api.foreign_parameters.items():
        label = f"{file}: foreign_parameter '{name}'"
        if name in api.sdk_create_parameters:
            raise SpecError(f"{label}: the SDK accepts '{name}', so it is not foreign")
        target = foreign.rename_to
        if target is not None and target not in api.sdk_create_parameters:
            raise SpecError(f"{label}: 'rename_to' names '{target}', not an SDK keyword")
        if target is not None and api.parameters[target].status in ("unsupported", "sdk-option"):
            raise SpecError(f"{label}: 'rename_to' names '{target}', which W&B does not take")
        key = foreign.extra_body_as
        if key is not None and getattr(api.parameters.get(key), "status", None) != "extra-body":
            raise SpecError(
                f"{label}: 'extra_body_as' names '{key}', not an 'extra-body' parameter"
            )


# --------------------------------------------------------------------------------------------
# models.toml


def _parse_models(data: dict[str, object], file: str) -> ModelCatalog:
    root = _Entry(file, "top level", data)
    catalog = root.sub("catalog")
    date, source = catalog.date("date"), catalog.string("source")
    catalog.finish()
    models: dict[str, Model] = {}
    for entry in root.array("model", "model"):
        model = _parse_model(entry)
        if model.id in models:
            raise entry.error("listed twice")
        models[model.id] = model
    if not models:
        raise root.error("no [[model]] entries")
    mappings = _parse_other_ids(root, models)
    root.finish()
    _check_replacement_chains(models, file)
    return ModelCatalog(date=date, source=source, models=models, other_provider_ids=mappings)


def _parse_model(entry: _Entry) -> Model:
    model_id = _model_id(entry, "id")
    entry.label = f"model '{model_id}'"
    lifecycle = cast(Lifecycle, entry.choice("lifecycle", Lifecycle))
    model = Model(
        id=model_id,
        lifecycle=lifecycle,
        input_modalities=_modalities(entry),
        context_window=entry.opt_int("context_window", minimum=1),
        reasoning=cast("Reasoning | None", entry.opt_choice("reasoning", Reasoning)),
        tool_calling=entry.opt_bool("tool_calling"),
        json_mode=entry.opt_bool("json_mode"),
        structured_output=entry.opt_bool("structured_output"),
        retired_on=entry.opt_date("retired_on"),
        retirement_date=entry.opt_date("retirement_date"),
        replacement=_opt_model_id(entry, "replacement"),
        source=entry.string("source"),
    )
    entry.finish()
    _check_lifecycle_fields(entry, model)
    return model


def _model_id(entry: _Entry, key: str) -> str:
    value = entry.string(key)
    if value != value.strip() or any(char.isspace() for char in value):
        raise entry.error(f"'{key}' must be a model ID without spaces, found {value!r}")
    return value


def _opt_model_id(entry: _Entry, key: str) -> str | None:
    return None if entry.raw(key) is None else _model_id(entry, key)


def _modalities(entry: _Entry) -> tuple[str, ...]:
    modalities = entry.strings("input_modalities", default=("text",))
    if not modalities:
        raise entry.error("'input_modalities' is empty")
    for modality in modalities:
        if modality not in _MODALITIES:
            raise entry.error(
                f"'input_modalities' holds '{modality}'; allowed: {', '.join(_MODALITIES)}"
            )
    return modalities


def _check_lifecycle_fields(entry: _Entry, model: Model) -> None:
    retired, deprecated = model.lifecycle == "retired", model.lifecycle == "deprecated"
    if retired != (model.retired_on is not None):
        raise entry.error("'retired_on' is required for retired models and only for them")
    if deprecated != (model.retirement_date is not None):
        raise entry.error("'retirement_date' is required for deprecated models and only for them")
    if model.replacement is not None and not (retired or deprecated):
        raise entry.error("only deprecated and retired models have a 'replacement'")
    if model.replacement == model.id:
        raise entry.error("'replacement' names the model itself")


def _parse_other_ids(root: _Entry, models: dict[str, Model]) -> dict[str, str]:
    mappings: dict[str, str] = {}
    for entry in root.array("other_provider_id", "other_provider_id"):
        other_id = _model_id(entry, "id")
        entry.label = f"other_provider_id '{other_id}'"
        entry.string("provider")
        target = _model_id(entry, "wandb_id")
        entry.string("source")
        entry.finish()
        if other_id in models:
            raise entry.error("is itself a W&B model ID; no mapping needed")
        if other_id in mappings:
            raise entry.error("listed twice")
        target_model = models.get(target)
        if target_model is None or target_model.lifecycle != "ga":
            state = "not in the catalog" if target_model is None else target_model.lifecycle
            raise entry.error(
                f"'wandb_id' must name a GA model of the catalog; '{target}' is {state}"
            )
        mappings[other_id] = target
    return mappings


def _replacement_chain(models: dict[str, Model], model_id: str) -> Iterator[str]:
    """The IDs named by following `replacement` from `model_id` (not included), in order.

    Stops at an ID the catalog does not know, at a model without replacement, or before an ID
    already seen (a loop, which the loader rejects).
    """
    seen = {model_id}
    model = models.get(model_id)
    while model is not None and model.replacement is not None and model.replacement not in seen:
        seen.add(model.replacement)
        yield model.replacement
        model = models.get(model.replacement)


def _check_replacement_chains(models: dict[str, Model], file: str) -> None:
    for model_id in models:
        chain = [model_id, *_replacement_chain(models, model_id)]
        last = models.get(chain[-1])
        if last is not None and last.replacement is not None:
            loop = " -> ".join([*chain, last.replacement])
            raise SpecError(f"{file}: model '{model_id}': replacement chain loops: {loop}")
