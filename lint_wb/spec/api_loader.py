"""Reading api.toml: the base URL, hosts, the SDK's keywords, parameters, foreign keywords and
the shape of messages, each entry checked on its own and then against the others. Every row
carries its own source and the date it was checked against it (`checked`)."""

from __future__ import annotations

from typing import cast, get_args

from lint_wb.spec.tables import Entry, SpecError
from lint_wb.spec.types import (
    ApiSpec,
    ClientTarget,
    ForeignHost,
    ForeignParameter,
    MessagesSpec,
    Parameter,
    ParamStatus,
    ProjectHeader,
    Range,
    RoleSynonym,
    ValueType,
)

_NUMERIC_TYPES = frozenset({"number", "integer"})


def parse_api(data: dict[str, object], file: str) -> ApiSpec:
    root = Entry(file, "top level", data)
    base_url, checked, source = _parse_api_table(root.sub("api"))
    sdk_version, create_parameters = _parse_sdk(root.sub("sdk"))
    endpoints = _parse_endpoints(root.sub("unsupported_endpoints"))
    near_misses = tuple(
        _parse_near_miss(entry) for entry in root.array("near_miss_host", "near_miss_host")
    )
    equivalents = tuple(
        _parse_equivalent_url(entry) for entry in root.array("wandb_base_url", "wandb_base_url")
    )
    foreign_hosts = tuple(
        _parse_foreign_host(entry) for entry in root.array("foreign_host", "foreign_host")
    )
    client_targets = tuple(
        _parse_client_target(entry) for entry in root.array("client_target", "client_target")
    )
    local_suffixes = _parse_local_hosts(root.sub("local_hosts"))
    project = _parse_project(root.sub("project"))
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
        other_wandb_base_urls=equivalents,
        local_host_suffixes=local_suffixes,
        project=project,
        foreign_hosts=foreign_hosts,
        client_targets=client_targets,
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


def _parse_api_table(entry: Entry) -> tuple[str, str, str]:
    base_url = entry.string("base_url")
    if not base_url.startswith("https://") or base_url.endswith("/"):
        raise entry.error(
            f"'base_url' must be an https:// URL without a trailing slash, found '{base_url}'"
        )
    result = (base_url, entry.date("checked"), entry.string("source"))
    entry.finish()
    return result


def _parse_sdk(entry: Entry) -> tuple[str, tuple[str, ...]]:
    version = entry.string("version")
    entry.date("checked")
    entry.string("source")
    names = entry.strings("create_parameters")
    if not names:
        raise entry.error("missing required key 'create_parameters'")
    _check_identifiers(entry, "create_parameters", names)
    entry.finish()
    return version, names


def _parse_endpoints(entry: Entry) -> tuple[str, ...]:
    entry.date("checked")
    entry.string("source")
    names = entry.strings("names")
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise entry.error(f"'names' holds '{name}', not a client attribute path")
    entry.finish()
    return names


def _parse_equivalent_url(entry: Entry) -> str:
    url = entry.string("url")
    entry.label = f"wandb_base_url '{url}'"
    if not url.startswith("https://"):
        raise entry.error("'url' must start with https://")
    entry.date("checked")
    entry.string("source")
    entry.finish()
    return url


def _parse_near_miss(entry: Entry) -> str:
    host = _host(entry)
    entry.label = f"near_miss_host '{host}'"
    entry.date("checked")
    entry.string("source")
    entry.finish()
    return host


def _parse_foreign_host(entry: Entry) -> ForeignHost:
    host = _host(entry)
    entry.label = f"foreign_host '{host}'"
    result = ForeignHost(
        provider=entry.string("provider"),
        host=host,
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    return result


def _parse_client_target(entry: Entry) -> ClientTarget:
    keyword = entry.string("keyword")
    entry.label = f"client_target '{keyword}'"
    replaced_by = entry.string("replaced_by")
    if replaced_by not in ("base_url", "api_key"):
        raise entry.error(f"replaced_by must be 'base_url' or 'api_key', not {replaced_by!r}")
    result = ClientTarget(
        keyword=keyword,
        target=entry.string("target"),
        replaced_by=replaced_by,
        excludes=entry.strings("excludes"),
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    return result


def _parse_project(entry: Entry) -> ProjectHeader:
    project = ProjectHeader(
        header=entry.string("header"),
        openai_id_prefix=entry.string("openai_id_prefix"),
        source=entry.string("source"),
    )
    entry.date("checked")
    entry.finish()
    return project


def _parse_local_hosts(entry: Entry) -> tuple[str, ...]:
    suffixes = entry.strings("suffixes")
    entry.date("checked")
    entry.string("source")
    entry.finish()
    if not suffixes or any(not s.startswith(".") or s != s.lower() for s in suffixes):
        raise entry.error("'suffixes' must be a non-empty list of lower-case '.name' endings")
    return suffixes


def _host(entry: Entry) -> str:
    host = entry.string("host")
    if host != host.lower() or any(char in host for char in "/: \t"):
        raise entry.error(
            f"'host' must be a lower-case host name without scheme or path, found '{host}'"
        )
    return host


def _parse_parameter(name: str, entry: Entry) -> Parameter:
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
        output_limit=bool(entry.opt_bool("output_limit")),
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    return parameter


def _parse_range(entry: Entry, key: str) -> Range | None:
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


def _parse_foreign_parameter(name: str, entry: Entry) -> ForeignParameter:
    result = ForeignParameter(
        name=name,
        provider=entry.string("provider"),
        rename_to=entry.opt_string("rename_to"),
        extra_body_as=entry.opt_string("extra_body_as"),
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    if result.rename_to is not None and result.extra_body_as is not None:
        raise entry.error("give 'rename_to' or 'extra_body_as', not both")
    return result


def _parse_messages(entry: Entry) -> MessagesSpec:
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


def _parse_role_synonym(name: str, entry: Entry, roles: tuple[str, ...]) -> RoleSynonym:
    synonym = RoleSynonym(
        name=name,
        role=entry.opt_string("role"),
        origin=entry.string("origin"),
        advice=entry.opt_string("advice") or "",
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    if name != name.lower() or name in roles:
        raise entry.error("must be a lower-case name that is not itself a role")
    if synonym.role is not None and synonym.role not in roles:
        raise entry.error(f"'role' names '{synonym.role}', not one of 'roles'")
    if (synonym.role is None) == (not synonym.advice):
        raise entry.error("give 'role' or 'advice', exactly one")
    return synonym


def _check_identifiers(entry: Entry, key: str, names: tuple[str, ...]) -> None:
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
