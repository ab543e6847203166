"""Reading shapes.toml, each entry checked on its own: every table names its source and date."""

from __future__ import annotations

import dataclasses

from lint_wb.spec.shapes_types import (
    ContentPartShape,
    Dependency,
    ForeignMessageKey,
    ForeignPart,
    ForeignPartKey,
    ForeignToolShape,
    FormatCapability,
    LegacyApi,
    RequestShapes,
    ResponseFormatShape,
    RoleRequirement,
    ThinkingSwitch,
    ToolCallShape,
    ToolShape,
)
from lint_wb.spec.tables import Entry, SpecError
from lint_wb.spec.types import ApiSpec, Model


def parse_shapes(data: dict[str, object], file: str) -> RequestShapes:
    root = Entry(file, "top level", data)
    head = root.sub("shapes")
    source = _sourced(head)
    head.finish()
    requirements = [_role_requirement(entry) for entry in root.array("role_requirement", "role")]
    shapes = RequestShapes(
        role_requirements=_unique_roles(file, requirements),
        response_format=_response_format(root.sub("response_format")),
        tools=_tools(root.sub("tools")),
        thinking=_thinking(root.sub("thinking")),
        content_part=_content_part(root.sub("content_part")),
        tool_call=_tool_call(root.sub("tool_call")),
        dependencies=tuple(_dependency(entry) for entry in root.array("dependency", "dependency")),
        legacy_api=_legacy_api(root.sub("legacy_api")),
        message_keys=_message_keys(root),
        source=source,
    )
    root.finish()
    return shapes


def check_shapes(shapes: RequestShapes, api: ApiSpec, file: str) -> None:
    """The names shapes.toml uses must be the roles and keywords api.toml knows."""
    for role in shapes.role_requirements:
        if role not in api.messages.roles:
            raise SpecError(f"{file}: role_requirement '{role}': not one of api.toml's roles")
    model_fields = {field.name for field in dataclasses.fields(Model)}
    for capability in shapes.response_format.capabilities.values():
        if capability.model_field not in model_fields:
            raise SpecError(
                f"{file}: response_format.capability '{capability.type}': "
                f"'{capability.model_field}' is not a field of a model"
            )
    for key in shapes.message_keys:
        if key in api.messages.keys:
            raise SpecError(f"{file}: message_key '{key}': a key W&B takes, not a foreign one")
    for part_type in shapes.content_part.required:
        if part_type not in api.messages.part_types:
            raise SpecError(f"{file}: content_part: '{part_type}' is not one of the part types")
    for dependency in shapes.dependencies:
        for name in (dependency.parameter, dependency.needs):
            if name not in api.sdk_create_parameters:
                raise SpecError(
                    f"{file}: dependency '{dependency.parameter}': '{name}' is not an SDK keyword"
                )


def _sourced(entry: Entry) -> str:
    """The entry's source; its `checked` date is required too."""
    entry.date("checked")
    return entry.string("source")


def _role_requirement(entry: Entry) -> RoleRequirement:
    role = entry.string("role")
    entry.label = f"role_requirement '{role}'"
    requirement = RoleRequirement(
        role, entry.strings("all_of"), entry.strings("any_of"), _sourced(entry)
    )
    entry.finish()
    if role != role.lower():
        raise entry.error("'role' must be a lower-case role name")
    if not requirement.all_of and not requirement.any_of:
        raise entry.error("give 'all_of' or 'any_of'")
    return requirement


def _unique_roles(file: str, requirements: list[RoleRequirement]) -> dict[str, RoleRequirement]:
    found: dict[str, RoleRequirement] = {}
    for requirement in requirements:
        if requirement.role in found:
            raise SpecError(f"{file}: role_requirement '{requirement.role}' is listed twice")
        found[requirement.role] = requirement
    return found


def _response_format(entry: Entry) -> ResponseFormatShape:
    types = _names(entry, "types")
    aliases = _string_map(entry, "aliases")
    capabilities = [_capability(sub) for sub in entry.array("capability", "capability")]
    shape = ResponseFormatShape(
        types,
        _names(entry, "json_schema_required"),
        aliases,
        {capability.type: capability for capability in capabilities},
        _model_classes(entry.sub("model_classes")),
        _sourced(entry),
    )
    entry.finish()
    for alias, target in aliases.items():
        if target not in types:
            raise entry.error(f"'aliases' maps '{alias}' to '{target}', not one of 'types'")
    for capability in capabilities:
        if capability.type not in types:
            raise entry.error(f"capability for '{capability.type}', not one of 'types'")
    return shape


def _capability(entry: Entry) -> FormatCapability:
    kind = entry.string("type")
    entry.label = f"response_format.capability '{kind}'"
    capability = FormatCapability(
        kind, entry.string("model_field"), entry.string("feature"), _sourced(entry)
    )
    entry.finish()
    return capability


def _thinking(entry: Entry) -> ThinkingSwitch:
    switch = ThinkingSwitch(entry.string("keyword"), entry.string("key"), _sourced(entry))
    entry.finish()
    return switch


def _content_part(entry: Entry) -> ContentPartShape:
    foreign = tuple(_foreign_part(sub) for sub in entry.array("foreign", "foreign"))
    keys = tuple(_foreign_part_key(sub) for sub in entry.array("foreign_key", "foreign_key"))
    shape = ContentPartShape(_string_map(entry, "required"), foreign, keys, _sourced(entry))
    entry.finish()
    if not shape.required:
        raise entry.error("'required' must name the key of at least one part type")
    return shape


def _foreign_part(entry: Entry) -> ForeignPart:
    kind = entry.string("type")
    entry.label = f"content_part.foreign '{kind}'"
    part = ForeignPart(kind, entry.opt_string("when_key"), entry.string("block"), _sourced(entry))
    entry.finish()
    return part


def _foreign_part_key(entry: Entry) -> ForeignPartKey:
    key = entry.string("key")
    entry.label = f"content_part.foreign_key '{key}'"
    alone = bool(entry.opt_bool("alone"))
    part = ForeignPartKey(key, alone, entry.string("block"), _sourced(entry))
    entry.finish()
    return part


def _tool_call(entry: Entry) -> ToolCallShape:
    shape = ToolCallShape(
        _names(entry, "required"),
        _names(entry, "types"),
        _names(entry, "function_required"),
        _sourced(entry),
    )
    entry.finish()
    return shape


def _model_classes(entry: Entry) -> frozenset[str]:
    names = entry.strings("names")
    _sourced(entry)
    entry.finish()
    if not names or not all(_is_dotted(name) for name in names):
        raise entry.error("'names' must be a non-empty list of qualified class names")
    return frozenset(names)


def _is_dotted(name: str) -> bool:
    return "." in name and all(part.isidentifier() for part in name.split("."))


def _message_keys(root: Entry) -> dict[str, ForeignMessageKey]:
    keys: dict[str, ForeignMessageKey] = {}
    for entry in root.array("message_key", "message_key"):
        key = entry.string("key")
        entry.label = f"message_key '{key}'"
        row = ForeignMessageKey(
            key, entry.boolean("holds_content"), entry.string("advice"), _sourced(entry)
        )
        entry.finish()
        if key in keys:
            raise entry.error("listed twice")
        keys[key] = row
    return keys


def _tools(entry: Entry) -> ToolShape:
    foreign = tuple(_foreign_tool_shape(sub) for sub in entry.array("foreign_shape", "shape"))
    shape = ToolShape(
        _names(entry, "types"), _names(entry, "function_required"), foreign, _sourced(entry)
    )
    entry.finish()
    return shape


def _foreign_tool_shape(entry: Entry) -> ForeignToolShape:
    key = entry.string("key")
    entry.label = f"tools.foreign_shape '{key}'"
    shape = ForeignToolShape(key, entry.string("shape"), _sourced(entry))
    entry.finish()
    return shape


def _dependency(entry: Entry) -> Dependency:
    parameter = entry.string("parameter")
    entry.label = f"dependency '{parameter}'"
    dependency = Dependency(
        parameter,
        entry.string("needs"),
        entry.opt_bool("needs_value"),
        entry.strings("unless"),
        _sourced(entry),
    )
    entry.finish()
    if dependency.needs == parameter:
        raise entry.error("'needs' names the parameter itself")
    return dependency


def _legacy_api(entry: Entry) -> LegacyApi:
    api = LegacyApi(
        frozenset(_names(entry, "classes")),
        frozenset(_names(entry, "settings")),
        _string_map(entry, "replacements"),
        _sourced(entry),
    )
    entry.finish()
    for name in [*api.classes, *api.settings]:
        if not name.isidentifier():
            raise entry.error(f"'{name}' is not a Python name")
    return api


def _names(entry: Entry, key: str) -> tuple[str, ...]:
    names = entry.strings(key)
    if not names:
        raise entry.error(f"'{key}' must be a non-empty list of strings")
    return names


def _string_map(entry: Entry, key: str) -> dict[str, str]:
    value = entry.raw(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(item, str) and item.strip() for item in value.values()
    ):
        raise entry.error(f"'{key}' must be a table of non-empty strings")
    return {str(name): str(item) for name, item in value.items()}
