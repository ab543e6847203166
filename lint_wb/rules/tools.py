"""WB205: tools W&B cannot run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lint_wb.analysis import Request
from lint_wb.analysis.dicts import DictReading, read_dict
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, ReportsOnce

FUNCTION_TOOL_SHAPE: Final = (
    '{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}'
)


class UnsupportedTool(ReportsOnce):
    """A tool that is not a Chat Completions function tool.

    ## What it does
    Flags an entry of `tools` whose `type` is not `function` (OpenAI's hosted tools such as
    `web_search`, `file_search`, `code_interpreter`, `computer_use_preview`, or a `custom`
    tool), a function tool without its `function` object (including the Responses API's flat
    `{"type": "function", "name": ...}` and Anthropic's or Gemini's tool shapes), and a
    `function` object without `name`. Tools are followed through names bound once and lists
    built with `+` or `*`.

    ## Why is this bad?
    W&B Inference runs function tools only, given as
    `{"type": "function", "function": {"name", "description", "parameters"}}`; anything else
    is rejected with 400. Hosted tools run on OpenAI's platform and have no W&B counterpart.

    ## Example
    ```python
    tools = [{"type": "web_search"}, {"type": "function", "name": "get_weather"}]
    client.chat.completions.create(model=MODEL, messages=messages, tools=tools)
    ```
    Use instead:
    ```python
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {...}}}]
    client.chat.completions.create(model=MODEL, messages=messages, tools=tools)
    ```

    ## Fix safety
    No fix: a hosted tool has to be replaced by a function the code runs itself.
    """

    code = "WB205"
    name = "unsupported-tool"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("tools")
        if keyword is None:
            return
        elements = self.resolver.list_elements(keyword.value, request.scope)
        for element in elements or ():
            tool = read_dict(element, request.scope, self.resolver)
            if tool is not None:
                yield from self._tool(tool)

    def _tool(self, tool: DictReading) -> Iterator[Report]:
        if not tool.has("type"):
            if tool.lacks("type") and tool.lacks("function"):
                yield from self.once(tool.node, self._shapeless_message(tool))
            return
        type_entry = tool.get("type")
        if type_entry is None:
            return  # a later `**spread` may replace it
        kind = self.resolver.evaluate(type_entry.value, type_entry.scope)
        if not isinstance(kind, str):
            return
        if kind not in self.spec.api.shapes.tools.types:
            yield from self.once(
                type_entry.value,
                f"Tool type {kind!r} is not supported: W&B Inference runs function tools only "
                "and rejects the request. Define a function tool your code executes: "
                f"{FUNCTION_TOOL_SHAPE}",
            )
            return
        if kind == "function":
            yield from self._function(tool)

    def _function(self, tool: DictReading) -> Iterator[Report]:
        if tool.lacks("function"):
            if tool.has("name"):
                message = (
                    "This function tool has the Responses API's flat shape (name beside type): "
                    f"Chat Completions rejects it. Nest it: {FUNCTION_TOOL_SHAPE}"
                )
            else:
                message = (
                    "Function tool without a 'function' object: W&B rejects it. Use "
                    f"{FUNCTION_TOOL_SHAPE}"
                )
            yield from self.once(tool.node, message)
            return
        function = tool.get("function")
        if function is None:
            return
        inner = read_dict(function.value, function.scope, self.resolver)
        required = self.spec.api.shapes.tools.function_required
        missing = [] if inner is None else [key for key in required if inner.lacks(key)]
        if inner is not None and missing:
            listed = " and ".join(repr(key) for key in missing)
            yield from self.once(
                inner.node,
                f"Function tool without {listed}: W&B rejects it. Use {FUNCTION_TOOL_SHAPE}",
            )

    def _shapeless_message(self, tool: DictReading) -> str:
        foreign = self.spec.api.shapes.tools.foreign_shapes
        shape = next((known.shape for known in foreign if tool.has(known.key)), None)
        return _shapeless(tool, shape)


def _shapeless(tool: DictReading, shape: str | None) -> str:
    if shape is None and tool.has("name"):
        shape = "a bare function definition (the shape of the deprecated functions=)"
    found = f"This is {shape}" if shape else "This tool has neither 'type' nor 'function'"
    return f"{found}: W&B takes Chat Completions function tools only. Use {FUNCTION_TOOL_SHAPE}"
