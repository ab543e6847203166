"""WB405, WB407: what a message carries: its content parts and its tool calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import Keyword
from lint_wb.analysis.dicts import DictReading, is_dict_call
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import Report
from lint_wb.rules.message_walk import Item, MessageRule, is_string_node

TEXT_PART: Final = '{"type": "text", "text": ...}'
IMAGE_PART: Final = '{"type": "image_url", "image_url": {"url": ...}}'
TOOL_CALL: Final = (
    '{"id": ..., "type": "function", "function": {"name": ..., "arguments": "<JSON string>"}}'
)

SHAPE_NAMES: Final = {
    "<text part>": TEXT_PART,
    "<image part>": IMAGE_PART,
    "<tool call>": TOOL_CALL,
}
"""The OpenAI shapes the blocks in shapes.toml name."""
KINDS: Final = {bool: "a boolean", int: "a number", float: "a number", dict: "a dict", set: "a set"}


class InvalidContent(MessageRule):
    """Message content that is not a string, a list of parts or None.

    ## What it does
    Flags `content` given as a number, a boolean, a set or a single dict; and in a list of
    parts: a part that is not an object, a part whose `type` is not `text` or `image_url`,
    a text part without `text`, an image part without `image_url`. Content blocks of other
    APIs get a message with the OpenAI shape to use: Anthropic's `{"type": "image",
    "source": ...}`, `tool_use` and `tool_result` blocks, Gemini's `{"text": ...}` and
    `inline_data` parts, the Responses API's `input_text` and `input_image`.

    ## Why is this bad?
    W&B validates content against the OpenAI chat format: a string, or a list of
    `{"type": "text", "text": ...}` and `{"type": "image_url", "image_url": {"url": ...}}`
    parts. Anything else is rejected with 400/422.

    ## Example
    ```python
    image = {"type": "image", "source": {"type": "base64", "data": b64}}
    messages = [{"role": "user", "content": [image]}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}}
    messages = [{"role": "user", "content": [image]}]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    No fix: the right shape needs values the code does not have in the same form.
    """

    code = "WB405"
    name = "invalid-content"
    severity = Severity.ERROR

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        for message in self.messages(keyword, scope):
            entry = message.get("content")
            if entry is not None:
                yield from self._content(entry.value, entry.scope)

    def _content(self, value: cst.BaseExpression, scope: Scope) -> Iterator[Report]:
        node, owner = self.resolver.resolve_scoped(value, scope)
        if isinstance(node, (cst.List, cst.Tuple)):
            for item in self.list_items(node, owner):
                yield from self._part(item)
            return
        part = self.read_dict(node, owner)
        if part is not None:
            foreign = self._foreign(part)
            what = f"a single dict ({foreign})" if foreign else "a single dict"
            yield self.report(value, self._content_message(value, what))
            return
        found = self.resolver.evaluate(value, scope)
        kind = KINDS.get(type(found))
        if kind is not None:
            yield self.report(value, self._content_message(value, kind))

    def _content_message(self, value: cst.BaseExpression, what: str) -> str:
        return (
            f"Content {self.shown(value)} is {what}: W&B takes a string or a list of parts "
            f"({TEXT_PART}, {IMAGE_PART}). Use one of those"
        )

    def _part(self, item: Item) -> Iterator[Report]:
        shown = self.shown(item.written)
        if is_string_node(item.node) or isinstance(item.node, (cst.List, cst.Tuple)):
            text = f"Content part {shown} is not an object: write it as {TEXT_PART}"
            yield self.report(item.written, text)
            return
        part = self.read_dict(item.node, item.scope)
        if part is None:
            return
        problem = self._part_problem(part)
        if problem is not None:
            node, text = problem
            yield self.report(node, text)

    def _part_problem(self, part: DictReading) -> tuple[cst.CSTNode, str] | None:
        shown = self.shown(part.node)
        foreign = self._foreign(part)
        type_entry = part.get("type")
        where: cst.CSTNode = part.node if type_entry is None else type_entry.value
        if foreign is not None:
            return where, f"Content part {shown} is {foreign}"
        kind = self.entry_value(part, "type")
        allowed = self.spec.api.messages.part_types
        if part.lacks("type"):
            return part.node, f"Content part {shown} has no 'type': use {TEXT_PART} or {IMAGE_PART}"
        if isinstance(kind, str) and kind not in allowed:
            listed = ", ".join(allowed)
            return where, f"Content part type {kind!r} is not one W&B takes ({listed})"
        required = self.spec.api.shapes.content_part.required
        needed = required.get(kind) if isinstance(kind, str) else None
        if needed is not None and part.lacks(needed):
            shape = IMAGE_PART if kind == "image_url" else TEXT_PART
            what = "Image part" if kind == "image_url" else f"{str(kind).capitalize()} part"
            return part.node, f"{what} {shown} has no {needed!r}: use {shape}"
        return None

    def _foreign(self, part: DictReading) -> str | None:
        """What another API's block this is, and the OpenAI shape to use, if it is one."""
        shape = self.spec.api.shapes.content_part
        kind = self.entry_value(part, "type")
        for foreign in shape.foreign:
            if kind == foreign.type and (foreign.when_key is None or part.has(foreign.when_key)):
                return _with_shapes(foreign.block)
        if part.lacks("type"):
            for known in shape.foreign_keys:
                if part.has(known.key) and (not known.alone or len(part.present) == 1):
                    return _with_shapes(known.block)
        return None


class MalformedToolMessage(MessageRule):
    """A tool message or tool call that is missing what ties a call to its result.

    ## What it does
    Flags a `tool` message without `tool_call_id`; an entry of an assistant message's
    `tool_calls` without `id`, `type` or `function`, with a `type` other than `function`, or
    whose `function` lacks `name` or `arguments`; and `arguments` given as a dict instead of
    a JSON string.

    ## Why is this bad?
    W&B matches each tool result to the call it answers by id, and reads `arguments` as a
    JSON-encoded string, as OpenAI does; anything else is rejected with 400/422.

    ## Example
    ```python
    messages = [
        {"role": "user", "content": question},
        {"role": "assistant", "tool_calls": [{"id": call_id, "type": "function",
            "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "content": result},
    ]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```
    Use instead:
    ```python
    messages = [
        {"role": "user", "content": question},
        {"role": "assistant", "tool_calls": [{"id": call_id, "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})}}]},
        {"role": "tool", "tool_call_id": call_id, "content": result},
    ]
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    No fix: the id and the encoding call are the author's to write.
    """

    code = "WB407"
    name = "malformed-tool-message"
    severity = Severity.ERROR

    def check_messages(self, keyword: Keyword, scope: Scope) -> Iterator[Report]:
        for message in self.messages(keyword, scope):
            if self.role(message) == "tool" and message.lacks("tool_call_id"):
                text = (
                    "This tool message has no 'tool_call_id': W&B cannot tie it to the "
                    "assistant's tool call and rejects it. Add \"tool_call_id\": <the call's id>"
                )
                yield self.report(message.node, text)
            calls = message.get("tool_calls")
            if calls is None:
                continue
            for item in self.list_items(calls.value, calls.scope):
                tool_call = self.read_dict(item.node, item.scope)
                if tool_call is not None:
                    yield from self._tool_call(tool_call)

    def _tool_call(self, call: DictReading) -> Iterator[Report]:
        shape = self.spec.api.shapes.tool_call
        missing = [key for key in shape.required if call.lacks(key)]
        if missing:
            names = " and ".join(repr(key) for key in missing)
            text = f"Tool call {self.shown(call.node)} lacks {names}: use {TOOL_CALL}"
            yield self.report(call.node, text)
        kind = self.entry_value(call, "type")
        type_entry = call.get("type")
        if type_entry is not None and isinstance(kind, str) and kind not in shape.types:
            listed = " or ".join(repr(name) for name in shape.types)
            text = f"Tool call type {kind!r} is not {listed}, the only type W&B takes"
            yield self.report(type_entry.value, text)
        function = call.get("function")
        if function is None:
            return
        inner = self.read_dict(function.value, function.scope)
        if inner is not None:
            yield from self._function(inner)

    def _function(self, function: DictReading) -> Iterator[Report]:
        required = self.spec.api.shapes.tool_call.function_required
        missing = [key for key in required if function.lacks(key)]
        if missing:
            names = " and ".join(repr(key) for key in missing)
            text = f"Tool call function {self.shown(function.node)} lacks {names}: use {TOOL_CALL}"
            yield self.report(function.node, text)
        arguments = function.get("arguments")
        if arguments is None:
            return
        if self._is_dict(arguments.value, arguments.scope):
            text = (
                f"Tool call arguments {self.shown(arguments.value)} is a dict: W&B takes "
                "arguments as a JSON string. Use json.dumps(...)"
            )
            yield self.report(arguments.value, text)

    def _is_dict(self, value: cst.BaseExpression, scope: Scope) -> bool:
        """Whether `value` is certainly a dict: a dict literal or a call of the builtin `dict`."""
        node, owner = self.resolver.resolve_scoped(value, scope)
        if isinstance(node, cst.Dict):
            return True
        return isinstance(node, cst.Call) and is_dict_call(node, owner, self.resolver)


def _with_shapes(block: str) -> str:
    for name, shape in SHAPE_NAMES.items():
        block = block.replace(name, shape)
    return block
