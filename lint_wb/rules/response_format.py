"""WB204: a `response_format` W&B cannot take."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import Keyword, Request, Resolver
from lint_wb.analysis.dicts import DictReading, read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import FixSafety, Replacement, Report, ReportsOnce, unsafe_fix

JSON_SCHEMA_SHAPE: Final = (
    '{"type": "json_schema", "json_schema": {"name": ..., "schema": {...}, "strict": True}}'
)


def module_class(
    name: cst.Name, scope: Scope, resolver: Resolver
) -> tuple[cst.ClassDef, Scope] | None:
    """The class a name stands for, when it is a class defined once in this module."""
    owner = resolver.owner(name.value, scope)
    if owner is None or len(owner.bindings[name.value]) != 1:
        return None
    found = owner.classes.get(name.value)
    return None if found is None else (found, owner)


class InvalidResponseFormat(ReportsOnce):
    """A `response_format` that is not one of the shapes W&B takes.

    ## What it does
    Flags a `response_format` dict literal whose `type` is not `text`, `json_object` or
    `json_schema` (or that has no `type`), a `json_schema` format without its `json_schema`
    object or with one that lacks `name` or `schema`, and a pydantic model class passed to
    `create()`.

    ## Why is this bad?
    W&B answers a malformed `response_format` with 400/422. The SDK's `create()` refuses a
    pydantic class with `TypeError` before sending anything: a class is understood only by
    `parse()`, which turns it into a `json_schema` format and parses the reply.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, response_format=Answer)
    client.chat.completions.create(
        model=MODEL, messages=messages, response_format={"type": "json_schema", "schema": schema}
    )
    ```
    Use instead:
    ```python
    client.chat.completions.parse(model=MODEL, messages=messages, response_format=Answer)
    client.chat.completions.create(
        model=MODEL,
        messages=messages,
        response_format={
            "type": "json_schema", "json_schema": {"name": "answer", "schema": schema}
        },
    )
    ```

    ## Fix safety
    Unsafe, for a pydantic class: `create` becomes `parse`, which returns a
    `ParsedChatCompletion` (the parsed object in `message.parsed`) and does not stream, so
    code around the call may need to change. No fix when `stream` is passed (or may be, from
    an unresolved `**` spread); malformed dicts are reported without a fix.
    """

    code = "WB204"
    name = "invalid-response-format"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def check_request(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("response_format")
        if keyword is None:
            return
        node, scope = self.resolver.resolve_scoped(keyword.value, request.scope)
        if isinstance(node, cst.Name):
            yield from self._model_class(request, keyword, node, scope)
            return
        response_format = read_dict(node, scope, self.resolver)
        if response_format is not None:
            yield from self._format_dict(response_format)

    # a pydantic class
    def _model_class(
        self, request: Request, keyword: Keyword, name: cst.Name, scope: Scope
    ) -> Iterator[Report]:
        found = module_class(name, scope, self.resolver)
        if request.library is not None:
            return  # LiteLLM and CrewAI take a pydantic class and send its JSON schema
        if request.method != "create" or found is None or not self._is_pydantic(*found, set()):
            return
        message = (
            f"response_format is the pydantic class {found[0].name.value}: "
            "chat.completions.create() raises TypeError for a class (only parse() and stream() "
            "take one). "
        )
        unfixable = not request.arguments.complete or not request.method_written
        if "stream" in request.arguments or unfixable:
            message += "Call chat.completions.parse(...), or stream(...) without stream= to stream"
            yield self.report(keyword.value, message)
            return
        parse = Replacement(request.method_name, request.method_name.with_changes(value="parse"))
        fix = unsafe_fix("Call parse() instead of create()", parse)
        yield self.report(keyword.value, message + "Call chat.completions.parse(...)", fix)

    def _is_pydantic(self, node: cst.ClassDef, scope: Scope, seen: set[cst.ClassDef]) -> bool:
        seen.add(node)
        for base in node.bases:
            if base.keyword is not None:
                continue
            model_classes = self.spec.api.shapes.response_format.model_classes
            if self.resolver.qualified_name(base.value, scope) in model_classes:
                return True
            if not isinstance(base.value, cst.Name):
                continue
            if base.value.value == "BaseModel" and self.resolver.owner("BaseModel", scope) is None:
                return True  # from a star import
            parent = module_class(base.value, scope, self.resolver)
            if parent is not None and parent[0] not in seen and self._is_pydantic(*parent, seen):
                return True
        return False

    def _type_message(self, kind: str) -> str:
        shape = self.spec.api.shapes.response_format
        alias = shape.aliases.get(kind.lower())
        close = [alias] if alias else difflib.get_close_matches(kind.lower(), shape.types, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        listed = ", ".join(repr(name) for name in shape.types[:-1])
        return (
            f"response_format type {kind!r} is not one W&B takes{hint}: the request fails. Use "
            f"{listed} or {shape.types[-1]!r}"
        )

    # a dict literal
    def _format_dict(self, response_format: DictReading) -> Iterator[Report]:
        if response_format.lacks("type"):
            yield from self.once(
                response_format.node,
                'response_format has no \'type\': W&B rejects it. Use {"type": "json_object"} '
                f"or {JSON_SCHEMA_SHAPE}",
            )
            return
        type_entry = response_format.get("type")
        if type_entry is None:
            return
        kind = self.resolver.evaluate(type_entry.value, type_entry.scope)
        if not isinstance(kind, str):
            return
        if kind not in self.spec.api.shapes.response_format.types:
            yield from self.once(type_entry.value, self._type_message(kind))
        elif kind == "json_schema":
            yield from self._json_schema(response_format)

    def _json_schema(self, response_format: DictReading) -> Iterator[Report]:
        if response_format.lacks("json_schema"):
            hint = "; 'schema' belongs inside it" if response_format.has("schema") else ""
            yield from self.once(
                response_format.node,
                "response_format of type 'json_schema' without a 'json_schema' object: W&B "
                f"rejects it. Use {JSON_SCHEMA_SHAPE}{hint}",
            )
            return
        entry = response_format.get("json_schema")
        inner = None if entry is None else read_dict(entry.value, entry.scope, self.resolver)
        if inner is None:
            return
        required = self.spec.api.shapes.response_format.json_schema_required
        missing = [key for key in required if inner.lacks(key)]
        if missing:
            listed = " and ".join(repr(key) for key in missing)
            yield from self.once(
                inner.node,
                f"json_schema has no {listed}: W&B rejects the response_format. Use "
                f"{JSON_SCHEMA_SHAPE}",
            )
