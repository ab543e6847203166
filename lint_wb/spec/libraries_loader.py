"""Reading libraries.toml: the model-ID conventions and the call-site rows, each row checked
on its own (keyword names, a known convention, a role) and against the others (no callable
named twice)."""

from __future__ import annotations

from typing import cast

from lint_wb.spec.library_types import (
    CallableRole,
    LibraryCallable,
    LibraryTable,
    MispostedKey,
    ModelConvention,
    ModelRoute,
    PassThrough,
    ProviderRoute,
    SignatureOrigin,
)
from lint_wb.spec.tables import Entry, SpecError

_KEYWORD_LISTS = (
    "positional", "base_url", "model", "api_key", "headers", "project", "client", "settings",
    "sdk_keywords", "extra_body", "messages", "own_keywords", "via_kwargs", "legacy_names",
    "served_by", "local_servers", "responses_keywords", "not_model",
)  # fmt: skip
_NAME_LISTS = ("legacy_names", "local_servers")
"""Lists of import-qualified names, not keyword names."""


def parse_libraries(data: dict[str, object], file: str) -> LibraryTable:
    root = Entry(file, "top level", data)
    conventions = {
        name: _parse_convention(name, entry)
        for name, entry in root.named("model_convention", "model_convention")
    }
    conventions.setdefault("verbatim", ModelConvention("verbatim"))
    wrappers = root.sub("wrapped_client")
    wrapper_keywords = frozenset(wrappers.strings("own_keywords"))
    wrappers.string("source")
    wrappers.date("checked")
    wrappers.finish()
    rows = tuple(_parse_row(entry, conventions) for entry in root.array("callable", "callable"))
    root.finish()
    _check_unique(rows, file)
    _check_routers(rows, file)
    return LibraryTable(rows, conventions, wrapper_keywords)


def _parse_convention(name: str, entry: Entry) -> ModelConvention:
    routes = tuple(_parse_route(sub) for sub in entry.array("route", f"{entry.label} route"))
    bare = entry.opt_string("bare") or "unchecked"
    if bare not in ("verbatim", "unchecked", "by_base_url"):
        raise entry.error(f"'bare' must be verbatim, unchecked or by_base_url, found '{bare}'")
    providers = frozenset(entry.strings("providers"))
    if (bare == "by_base_url") != bool(providers):
        raise entry.error("'providers' is given with bare = 'by_base_url', and only then")
    entry.string("source")
    entry.date("checked")
    label = f"{entry.label} elsewhere"
    elsewhere = tuple(_parse_provider_route(sub) for sub in entry.array("elsewhere", label))
    if elsewhere:
        entry.string("elsewhere_source")
        entry.date("elsewhere_checked")
    label = f"{entry.label} passthrough"
    passthrough = tuple(_parse_passthrough(sub) for sub in entry.array("passthrough", label))
    if passthrough:
        entry.string("passthrough_source")
        entry.date("passthrough_checked")
    unposted = entry.strings("unposted")
    unmapped = entry.strings("unmapped")
    misposted = entry.strings("misposted")
    label = f"{entry.label} misposted_key"
    misposted_keys = tuple(_parse_misposted_key(sub) for sub in entry.array("misposted_key", label))
    if misposted_keys:
        entry.string("misposted_key_source")
        entry.date("misposted_key_checked")
    for row in misposted_keys:
        if row.provider not in misposted:
            raise entry.error(f"misposted_key '{row.provider}' is not in 'misposted'")
    base_url_settings = entry.strings("base_url_settings")
    base_url_variables = entry.strings("base_url_variables")
    provider_keywords = entry.strings("provider_keywords")
    openai_provider = entry.opt_string("openai_provider") or ""
    openai_names = tuple(name.lower() for name in entry.strings("openai_names"))
    prefixed = frozenset(entry.strings("prefixed"))
    if prefixed and not openai_provider:
        raise entry.error("'prefixed' is given with 'openai_provider', and only then")
    inferred_entry = entry.opt_sub("inferred")
    inferred: tuple[tuple[str, str], ...] = ()
    if inferred_entry is not None:
        inferred = tuple(
            (start.lower(), inferred_entry.string(start)) for start in inferred_entry.key_names()
        )
        inferred_entry.finish()
    label = f"{entry.label} classes"
    classes = tuple(_parse_provider_route(sub, ":") for sub in entry.array("classes", label))
    openai_client = entry.opt_string("openai_client") or ""
    if bool(openai_provider) != bool(openai_client):
        raise entry.error("give 'openai_provider' and 'openai_client' together")
    unknown_prefix = entry.opt_string("unknown_prefix")
    if unknown_prefix not in (None, "raises"):
        raise entry.error(f"'unknown_prefix' must be 'raises', found '{unknown_prefix}'")
    if unknown_prefix and not routes:
        raise entry.error("'unknown_prefix' needs a 'route' to write new IDs under")
    other_prefixes = entry.strings("other_prefixes")
    entry.finish()
    return ModelConvention(
        name,
        routes,
        bare_verbatim=bare == "verbatim",
        elsewhere=elsewhere,
        passthrough=passthrough,
        unposted=unposted,
        unmapped=unmapped,
        misposted=misposted,
        misposted_keys=misposted_keys,
        base_url_settings=base_url_settings,
        base_url_variables=base_url_variables,
        bare_by_base_url=bare == "by_base_url",
        providers=providers,
        provider_keywords=provider_keywords,
        openai_provider=openai_provider,
        openai_names=openai_names,
        prefixed=prefixed,
        inferred=inferred,
        classes=classes,
        openai_client=openai_client,
        unknown_prefix_raises=unknown_prefix == "raises",
        other_prefixes=other_prefixes,
    )


def _parse_provider_route(entry: Entry, ends: str = "/") -> ProviderRoute:
    prefix = entry.string("prefix")
    if not prefix.endswith(ends):
        raise entry.error(f"'prefix' must end with '{ends}', found '{prefix}'")
    provider = entry.string("provider")
    keys = entry.strings("key_variables")
    credentials = entry.opt_string("credentials") or ""
    if bool(keys) == bool(credentials):
        raise entry.error("give either 'key_variables' or 'credentials'")
    to_api_base = bool(entry.opt_bool("to_api_base"))
    local = bool(entry.opt_bool("local"))
    client = entry.opt_string("client") or ""
    entry.finish()
    return ProviderRoute(prefix, provider, keys, credentials, to_api_base, local, client)


def _parse_passthrough(entry: Entry) -> PassThrough:
    provider = entry.string("provider")
    keys = entry.strings("key_variables")
    if not keys:
        raise entry.error("missing required key 'key_variables'")
    placeholder = entry.opt_string("placeholder") or ""
    entry.finish()
    return PassThrough(provider, keys, placeholder)


def _parse_misposted_key(entry: Entry) -> MispostedKey:
    provider = entry.string("provider")
    keys = entry.strings("key_variables")
    keyless = bool(entry.opt_bool("keyless"))
    if bool(keys) == keyless:
        raise entry.error("give either 'key_variables' or 'keyless = true'")
    variables = entry.strings("base_url_variables")
    raised = entry.string("no_base_url")
    entry.finish()
    return MispostedKey(provider, keys, keyless, variables, raised)


def _parse_route(entry: Entry) -> ModelRoute:
    prefix = entry.string("prefix")
    if not prefix.endswith(("/", ":")):
        raise entry.error(f"'prefix' must end with '/' or ':', found '{prefix}'")
    route = ModelRoute(
        prefix, bool(entry.opt_bool("wandb")), bool(entry.opt_bool("openai_default"))
    )
    entry.finish()
    return route


def _parse_row(entry: Entry, conventions: dict[str, ModelConvention]) -> LibraryCallable:
    names = entry.strings("names")
    if not names:
        raise entry.error("missing required key 'names'")
    entry.label = f"callable '{names[0]}'"
    for key in ("names", *_NAME_LISTS):
        for name in entry.strings(key):
            if not all(part.isidentifier() for part in name.split(".")) or "." not in name:
                raise entry.error(f"'{key}' holds '{name}', not a dotted import path")
    lists = {key: entry.strings(key) for key in _KEYWORD_LISTS}
    for key, keywords in lists.items():
        if key in _NAME_LISTS:
            continue
        for keyword in keywords:
            if not keyword.isidentifier():
                raise entry.error(f"'{key}' holds '{keyword}', not a keyword name")
    convention = entry.opt_string("model_convention") or "verbatim"
    if convention not in conventions:
        raise entry.error(f"'model_convention' names '{convention}', not a [model_convention]")
    row = LibraryCallable(
        library=entry.string("library"),
        label=entry.string("label"),
        names=names,
        role=cast(CallableRole, entry.choice("role", CallableRole)),
        package=entry.string("package"),
        version=entry.string("version"),
        signature=cast(SignatureOrigin, entry.choice("signature", SignatureOrigin)),
        source=_https(entry, "source"),
        checked=entry.date("checked"),
        parameter_object=entry.opt_string("parameter_object") or "",
        fields=_parse_fields(entry),
        model_convention=convention,
        closed=bool(entry.opt_bool("closed")),
        responses_flag=_flag(entry, "responses_flag"),
        responses_value=entry.opt_string("responses_value") or "",
        responses_values=_parse_keyword_values(entry, "responses_values"),
        chat_flag=_flag(entry, "chat_flag"),
        deployments=_flag(entry, "deployments"),
        deployment_params=entry.opt_string("deployment_params") or "",
        deployment_of=entry.opt_string("deployment_of") or "",
        note=entry.opt_string("note") or "",
        base_url_variables=entry.strings("base_url_variables"),
        **lists,
    )
    entry.finish()
    return row


def _flag(entry: Entry, key: str) -> str:
    flag = entry.opt_string(key) or ""
    if flag and not flag.isidentifier():
        raise entry.error(f"'{key}' holds '{flag}', not a keyword name")
    return flag


def _parse_keyword_values(entry: Entry, key: str) -> dict[str, str]:
    """A table of keyword names to string values (`responses_values`)."""
    sub = entry.opt_sub(key)
    if sub is None:
        return {}
    values = {name: sub.string(name) for name in sub.key_names()}
    sub.finish()
    for keyword in values:
        if not keyword.isidentifier():
            raise entry.error(f"'{key}' holds '{keyword}', not a keyword name")
    return values


def _parse_fields(entry: Entry) -> dict[str, str]:
    sub = entry.opt_sub("fields")
    if sub is None:
        return {}
    fields = {name: sub.string(name) for name in sub.key_names()}
    sub.finish()
    for keyword, request_field in fields.items():
        if not keyword.isidentifier() or not request_field.isidentifier():
            raise entry.error(f"'fields' maps '{keyword}' to '{request_field}': not keyword names")
    return fields


def _https(entry: Entry, key: str) -> str:
    value = entry.string(key)
    if not value.startswith("https://"):
        raise entry.error(f"'{key}' must be an https:// URL of a public page, found '{value}'")
    return value


def _check_routers(rows: tuple[LibraryCallable, ...], file: str) -> None:
    names = {name for row in rows for name in row.names}
    for row in rows:
        if row.role != "router":
            continue
        if not (row.deployments and row.deployment_params and row.deployment_of):
            raise SpecError(
                f"{file}: callable '{row.names[0]}': a router needs 'deployments', "
                "'deployment_params' and 'deployment_of'"
            )
        if row.deployment_of not in names:
            raise SpecError(
                f"{file}: callable '{row.names[0]}': 'deployment_of' names "
                f"'{row.deployment_of}', not a callable of the table"
            )


def _check_unique(rows: tuple[LibraryCallable, ...], file: str) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        for name in (*row.names, *row.legacy_names):
            if name in seen:
                raise SpecError(
                    f"{file}: callable '{row.names[0]}': '{name}' is also in "
                    f"callable '{seen[name]}'"
                )
            seen[name] = row.names[0]
