"""WB203 and WB303: what a request asks of a model the snapshot says it cannot do.

Both rules look only at models the snapshot lists as served, and only at capabilities it
states: an unknown capability (None) is never reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Keyword, Request, Resolver
from lint_wb.analysis.dicts import DictEntry, read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.walk import child_nodes
from lint_wb.findings import Severity
from lint_wb.records import dataclass
from lint_wb.rules.base import Report, ReportsOnce
from lint_wb.rules.model_use import EFFORT_PARAMETER, served_by, snapshot_note
from lint_wb.spec import Model


@dataclass(frozen=True)
class Found:
    """A value found in the code, and the node that holds it."""

    value: object
    node: cst.CSTNode


def certain_entry(
    resolver: Resolver, node: cst.BaseExpression, scope: Scope, key: str
) -> DictEntry | None:
    """The entry `key` of the dict `node` stands for (names followed), when its value is
    certain: None when `node` is no dict, has no such entry, or a later `**` spread or a key
    of unknown value may replace it."""
    reading = read_dict(node, scope, resolver)
    return None if reading is None else reading.get(key)


def lookup(resolver: Resolver, keyword: Keyword, scope: Scope, path: Sequence[str]) -> Found | None:
    """The value at `path` inside a keyword's dict value, through dict literals where they are
    written (to point at the entry) and evaluation where they are not."""
    node: cst.BaseExpression = keyword.value
    where: cst.CSTNode = keyword.node
    for index, key in enumerate(path):
        entry = certain_entry(resolver, node, scope, key)
        if entry is None:
            value = resolver.evaluate(node, scope)
            for rest in path[index:]:
                if not isinstance(value, dict) or rest not in value:
                    return None
                value = value[rest]
            return Found(value, where)
        node, where, scope = entry.value, entry.node, entry.scope
    value = resolver.evaluate(node, scope)
    return None if value is UNKNOWN else Found(value, where)


def _subtree_ids(node: cst.CSTNode) -> set[int]:
    seen = {id(node)}
    for child in child_nodes(node):
        seen |= _subtree_ids(child)
    return seen


def _deepest_within(call: cst.Call, path: Sequence[cst.CSTNode]) -> cst.CSTNode:
    """The last node of `path` written inside `call` (names lead out of it), else the first."""
    seen = _subtree_ids(call)
    inside = [node for node in path if id(node) in seen]
    return inside[-1] if inside else path[0]


class ModelCapability(ReportsOnce):
    """A feature the model is known not to have.

    ## What it does
    Flags, for a model the snapshot lists as served:
    - image parts (`{"type": "image_url", ...}` in a message's content) sent to a model
      whose input is text only;
    - `reasoning_effort` sent to a model without reasoning, or a value outside those the
      snapshot lists for the model (`zai-org/GLM-5.3-Flash` takes low, high and max);
    - `chat_template_kwargs` `{"enable_thinking": ...}` (as a keyword or inside
      `extra_body`) asking for what a model whose reasoning cannot be toggled does not do:
      thinking on a model without reasoning, or no thinking on a model that always reasons;
    - `tools`, `response_format` `json_object` or `json_schema` sent to a model the snapshot
      says lacks tool calling, JSON mode or structured output.

    A capability the snapshot does not state is unknown and never flagged.

    ## Why is this bad?
    W&B rejects the request, or the model silently does something other than what was
    asked.

    ## Example
    ```python
    client.chat.completions.create(
        model="meta-llama/Llama-3.3-70B-Instruct",
        messages=messages,
        reasoning_effort="high",
    )
    ```
    Use instead: a reasoning model (`openai/gpt-oss-120b`), or drop `reasoning_effort`.

    ## Fix safety
    No fix: whether to change the model or the request is the user's decision.
    """

    code = "WB203"
    name = "model-capability"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        model = served_by(self.spec.models, self.resolver, request)
        if model is None:
            return
        yield from self._images(request, model)
        yield from self._reasoning_effort(request, model)
        yield from self._enable_thinking(request, model)
        yield from self._tools(request, model)
        yield from self._response_format(request, model)

    def _note(self) -> str:
        return snapshot_note(self.spec.models)

    def _images(self, request: Request, model: Model) -> Iterator[Report]:
        if "image" in model.input_modalities:
            return
        for path in self._image_parts(request):
            anchor = _deepest_within(request.node, path)
            yield from self.once(
                anchor,
                f"An image part is sent to {model.id!r}, which takes "
                f"{' and '.join(model.input_modalities)} input only ({self._note()}): the "
                "request fails. Send text, or use a model that accepts images",
            )

    def _image_parts(self, request: Request) -> Iterator[list[cst.CSTNode]]:
        """For each image part in `messages`, the nodes leading to it: the keyword's value,
        the message, its content entry, the part, as they are written."""
        messages = request.arguments.get("messages")
        if messages is None:
            return
        resolver, scope = self.resolver, request.scope
        for message in resolver.list_elements(messages.value, scope) or ():
            content = certain_entry(resolver, message, scope, "content")
            if content is None:
                continue
            for part in resolver.list_elements(content.value, content.scope) or ():
                part_type = certain_entry(resolver, part, content.scope, "type")
                if part_type is None:
                    continue
                if resolver.evaluate(part_type.value, part_type.scope) == "image_url":
                    yield [messages.node, message, content.node, part]

    def _reasoning_effort(self, request: Request, model: Model) -> Iterator[Report]:
        keyword = request.arguments.get(EFFORT_PARAMETER)
        if keyword is None:
            return
        value = self.resolver.evaluate(keyword.value, request.scope)
        if not isinstance(value, str):
            return
        if model.reasoning == "no":
            yield from self.once(
                keyword.node,
                f"reasoning_effort={value!r} is sent to {model.id!r}, which does not reason "
                f"({self._note()}): reasoning_effort is for reasoning models only. Remove it, "
                "or use a reasoning model",
            )
        elif model.reasoning_effort is not None and value not in model.reasoning_effort:
            listed = ", ".join(repr(effort) for effort in model.reasoning_effort)
            yield from self.once(
                keyword.node,
                f"reasoning_effort={value!r} is sent to {model.id!r}, which takes only {listed} "
                f"({self._note()}): other values are not accepted. Use one of those",
            )

    def _enable_thinking(self, request: Request, model: Model) -> Iterator[Report]:
        if model.reasoning not in ("no", "always"):
            return
        for found in self._thinking_settings(request):
            if not isinstance(found.value, bool):
                continue
            if model.reasoning == "no" and found.value:
                why = "has no reasoning to turn on"
            elif model.reasoning == "always" and not found.value:
                why = "always reasons; its thinking cannot be turned off"
            else:
                continue
            yield from self.once(
                found.node,
                f"enable_thinking={found.value} is sent to {model.id!r}, which {why} "
                f"({self._note()}). Remove it, or use a model whose reasoning can be toggled",
            )

    def _thinking_settings(self, request: Request) -> Iterator[Found]:
        switch = self.spec.api.shapes.thinking
        direct = request.arguments.get(switch.keyword)
        if direct is not None:
            found = lookup(self.resolver, direct, request.scope, (switch.key,))
            if found is not None:
                yield found
        extra_body = request.arguments.get("extra_body")
        if extra_body is not None:
            found = lookup(self.resolver, extra_body, request.scope, (switch.keyword, switch.key))
            if found is not None:
                yield found

    def _tools(self, request: Request, model: Model) -> Iterator[Report]:
        keyword = request.arguments.get("tools")
        if keyword is None or model.tool_calling is not False:
            return
        elements = self.resolver.list_elements(keyword.value, request.scope)
        if elements:
            yield from self.once(
                keyword.node,
                f"tools are sent to {model.id!r}, which does not support tool calling "
                f"({self._note()}): the request fails. Remove tools, or use a model with "
                "tool calling",
            )

    def _response_format(self, request: Request, model: Model) -> Iterator[Report]:
        keyword = request.arguments.get("response_format")
        if keyword is None:
            return
        found = lookup(self.resolver, keyword, request.scope, ("type",))
        capabilities = self.spec.api.shapes.response_format.capabilities
        if found is None or not isinstance(found.value, str) or found.value not in capabilities:
            return
        capability = capabilities[found.value]
        feature = capability.feature
        if getattr(model, capability.model_field, None) is False:
            yield from self.once(
                keyword.node,
                f"response_format type {found.value!r} is sent to {model.id!r}, which does not "
                f"support {feature} ({self._note()}): the request fails. Remove it, or use a "
                "model that supports it",
            )


class MaxTokensOverContext(ReportsOnce):
    """`max_tokens` larger than the model's whole context window.

    ## What it does
    Flags a literal `max_tokens` or `max_completion_tokens` above the context window the
    model snapshot gives for the model (served models with a known context window only).

    ## Why is this bad?
    The prompt and the completion share the context window, so no request can ever produce
    that many tokens: W&B rejects it.

    ## Example
    ```python
    client.chat.completions.create(
        model="meta-llama/Llama-3.3-70B-Instruct", messages=messages, max_tokens=200_000
    )
    ```
    Use instead: `max_tokens` well below the context window (128,000 tokens here), leaving
    room for the prompt.

    ## Fix safety
    No fix: the right limit depends on the prompt's length.
    """

    code = "WB303"
    name = "max-tokens-over-context"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        model = served_by(self.spec.models, self.resolver, request)
        if model is None or model.context_window is None:
            return
        window = model.context_window
        limits = [p.name for p in self.spec.api.parameters.values() if p.output_limit]
        for name in limits:
            keyword = request.arguments.get(name)
            if keyword is None:
                continue
            value = self.resolver.evaluate(keyword.value, request.scope)
            if isinstance(value, int) and not isinstance(value, bool) and value > window:
                yield from self.once(
                    keyword.value,
                    f"{name}={value} is above the context window of {model.id!r} "
                    f"({window} tokens, {snapshot_note(self.spec.models)}): the request "
                    f"fails. Use less than {window}, leaving room for the prompt",
                )
