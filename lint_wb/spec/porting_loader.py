"""Reading porting.toml and substitutions.toml, each entry checked on its own."""

from __future__ import annotations

from typing import TypeVar, cast

from lint_wb.spec.porting_types import (
    KeyVariable,
    Modality,
    PortingSpec,
    ProviderField,
    ProviderSdk,
    SdkApi,
    SizeClass,
    Substitution,
    Substitutions,
)
from lint_wb.spec.tables import Entry, SpecError

_T = TypeVar("_T")


def parse_porting(data: dict[str, object], file: str) -> PortingSpec:
    root = Entry(file, "top level", data)
    head = root.sub("porting")
    wandb_key = head.string("wandb_key_variable")
    sdk_key = head.string("sdk_key_variable")
    head.date("checked")
    source = head.string("source")
    head.finish()
    variables = [_key_variable(entry) for entry in root.array("key_variable", "key_variable")]
    sdks = [_provider_sdk(entry) for entry in root.array("provider_sdk", "provider_sdk")]
    fields = [_provider_field(entry) for entry in root.array("provider_field", "provider_field")]
    response = root.opt_sub("anthropic_response")
    reads = {} if response is None else _response_reads(response)
    root.finish()
    spec = PortingSpec(
        wandb_key_variable=wandb_key,
        sdk_key_variable=sdk_key,
        key_variables=_unique(file, "key_variable", [(v.name, v) for v in variables]),
        provider_sdks=_unique(file, "provider_sdk", [(s.qualified_name, s) for s in sdks]),
        provider_fields=_unique(file, "provider_field", [(f.name, f) for f in fields]),
        response_reads=reads,
        source=source,
    )
    if wandb_key in spec.key_variables:
        raise SpecError(f"{file}: key_variable '{wandb_key}' is the W&B key variable")
    return spec


def _unique(file: str, label: str, items: list[tuple[str, _T]]) -> dict[str, _T]:
    found: dict[str, _T] = {}
    for name, item in items:
        if name in found:
            raise SpecError(f"{file}: {label} '{name}' is listed twice")
        found[name] = item
    return found


def _key_variable(entry: Entry) -> KeyVariable:
    name = entry.string("name")
    entry.label = f"key_variable '{name}'"
    if not name.isidentifier():
        raise entry.error(f"'name' must be an environment variable name, found '{name}'")
    variable = KeyVariable(
        name, entry.string("provider"), entry.string("source"), entry.date("checked")
    )
    entry.finish()
    return variable


def _provider_sdk(entry: Entry) -> ProviderSdk:
    name = entry.string("class")
    entry.label = f"provider_sdk '{name}'"
    if not all(part.isidentifier() for part in name.split(".")) or "." not in name:
        raise entry.error(f"'class' must be a dotted import path, found '{name}'")
    sdk = ProviderSdk(
        qualified_name=name,
        provider=entry.string("provider"),
        api=cast("SdkApi", entry.choice("api", SdkApi)),
        is_async=bool(entry.opt_bool("async")),
        key_variable=entry.string("key_variable"),
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    entry.finish()
    return sdk


def _response_reads(entry: Entry) -> dict[str, str]:
    reads = entry.required("reads")
    entry.date("checked")
    entry.string("source")
    entry.finish()
    if not isinstance(reads, dict) or not reads:
        raise entry.error("'reads' must be a table of response paths")
    for path, openai_path in reads.items():
        if not isinstance(openai_path, str) or not _is_path(path) or not _is_path(openai_path):
            raise entry.error(f"'reads' maps '{path}': both sides must be attribute paths")
    return {str(path): str(openai_path) for path, openai_path in reads.items()}


def _is_path(text: str) -> bool:
    """`usage.input_tokens`, `content[0].text`: names, each with optional `[index]`s."""
    parts = text.replace("[", ".[").split(".")
    return all(p.isidentifier() or (p[1:-1].isdigit() and p[0] + p[-1] == "[]") for p in parts)


def _provider_field(entry: Entry) -> ProviderField:
    name = entry.string("name")
    entry.label = f"provider_field '{name}'"
    field = ProviderField(
        name,
        entry.string("provider"),
        entry.string("meaning"),
        entry.string("source"),
        entry.date("checked"),
    )
    entry.finish()
    return field


def parse_substitutions(data: dict[str, object], file: str) -> Substitutions:
    root = Entry(file, "top level", data)
    head = root.sub("substitutions")
    checked = head.date("checked")
    head.finish()
    rows = tuple(_substitution(entry) for entry in root.array("substitution", "substitution"))
    root.finish()
    seen: dict[str, str] = {}
    for row in rows:
        for pattern in row.patterns:
            if pattern.lower() in seen:
                raise SpecError(f"{file}: substitution pattern '{pattern}' is listed twice")
            seen[pattern.lower()] = row.wandb_id
    return Substitutions(rows, checked)


def _substitution(entry: Entry) -> Substitution:
    patterns = entry.strings("match")
    if not patterns:
        raise entry.error("missing required key 'match'")
    entry.label = f"substitution '{patterns[0]}'"
    reasoning = entry.opt_bool("reasoning")
    tools = entry.opt_bool("tools")
    if reasoning is None or tools is None:
        raise entry.error("'reasoning' and 'tools' are required (true or false)")
    row = Substitution(
        patterns=patterns,
        provider=entry.string("provider"),
        wandb_id=entry.string("wandb_id"),
        size=cast("SizeClass", entry.choice("size", SizeClass)),
        modality=cast("Modality", entry.choice("modality", Modality)),
        reasoning=reasoning,
        tools=tools,
        reason=entry.string("reason"),
        source=entry.string("source"),
        checked=entry.date("checked"),
    )
    if not row.source.startswith("https://"):
        raise entry.error("'source' must be an https:// URL of a public page")
    entry.finish()
    return row
