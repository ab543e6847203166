"""WB205: tools W&B cannot run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import Request
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import Report
from lint_wb.rules.params import OnceRule
from lint_wb.rules.response_format import literal_entries

FUNCTION_TOOL_SHAPE: Final = (
    '{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}'
)
FOREIGN_SHAPES: Final = (
    ("input_schema", "Anthropic's tool shape"),
    ("function_declarations", "Gemini's tool shape"),
    ("functionDeclarations", "Gemini's tool shape"),
)


class UnsupportedTool(OnceRule):
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
    ```
    Use instead:
    ```python
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {...}}}]
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
            node, scope = self.resolver.resolve_scoped(element, request.scope)
            if isinstance(node, cst.Dict):
                yield from self._tool(node, scope)

    def _tool(self, node: cst.Dict, scope: Scope) -> Iterator[Report]:
        entries = literal_entries(node, scope, self.resolver)
        if entries is None:
            return
        type_node = entries.get("type")
        if type_node is None:
            if "function" not in entries:
                yield from self.once(node, _shapeless_message(entries))
            return
        kind = self.resolver.evaluate(type_node, scope)
        if not isinstance(kind, str):
            return
        if kind != "function":
            yield from self.once(
                type_node,
                f"Tool type {kind!r} is not supported: W&B Inference runs function tools only "
                "and rejects the request. Define a function tool your code executes: "
                f"{FUNCTION_TOOL_SHAPE}",
            )
            return
        yield from self._function(node, entries, scope)

    def _function(
        self, node: cst.Dict, entries: dict[str, cst.BaseExpression], scope: Scope
    ) -> Iterator[Report]:
        function = entries.get("function")
        if function is None:
            if "name" in entries:
                message = (
                    "This function tool has the Responses API's flat shape (name beside type): "
                    f"Chat Completions rejects it. Nest it: {FUNCTION_TOOL_SHAPE}"
                )
            else:
                message = (
                    "Function tool without a 'function' object: W&B rejects it. Use "
                    f"{FUNCTION_TOOL_SHAPE}"
                )
            yield from self.once(node, message)
            return
        inner, inner_scope = self.resolver.resolve_scoped(function, scope)
        if not isinstance(inner, cst.Dict):
            return
        inner_entries = literal_entries(inner, inner_scope, self.resolver)
        if inner_entries is not None and "name" not in inner_entries:
            yield from self.once(
                inner,
                f"Function tool without 'name': W&B rejects it. Use {FUNCTION_TOOL_SHAPE}",
            )


def _shapeless_message(entries: dict[str, cst.BaseExpression]) -> str:
    shape = next((label for key, label in FOREIGN_SHAPES if key in entries), None)
    if shape is None and "name" in entries:
        shape = "a bare function definition (the shape of the deprecated functions=)"
    found = f"This is {shape}" if shape else "This tool has neither 'type' nor 'function'"
    return f"{found}: W&B takes Chat Completions function tools only. Use {FUNCTION_TOOL_SHAPE}"
