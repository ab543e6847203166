"""WB604's fix: an Anthropic client whose every `messages.create()` call can be rewritten
whole (the request and every use of its response in the same function) becomes the OpenAI
client on W&B. Anything else is a port by hand, and `why_not` says what stops the fix.

A call can be rewritten when its response is assigned to a name that is read only as
`r.content[0].text` or `r.usage.input_tokens` / `output_tokens`; it passes only `model`,
`max_tokens`, `messages`, `system`, `temperature`, `top_p`, `stop_sequences`, `top_k`; its
messages are a list literal of user and assistant messages with plain content; and its model
is served by W&B or has a stand-in in the substitution table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import Client, ModuleFacts, Resolver, SdkCall
from lint_wb.records import dataclass
from lint_wb.rules.edits import keyword_arg, string_like, with_arg, without_args
from lint_wb.rules.message_walk import dict_entry, insert_first, quote_of
from lint_wb.rules.sdk_port import PortPlan
from lint_wb.rules.substitution import substitution_for
from lint_wb.spec import Spec

PORTABLE_KEYWORDS: Final = frozenset(
    {"model", "max_tokens", "messages", "system", "temperature", "top_p", "stop_sequences", "top_k"}
)
"""The keywords of messages.create() this rewrite knows how to carry over (lint-wb's own
choice). How each is renamed or moved into extra_body is api.toml's [foreign_parameter]."""


class NotPortable(Exception):
    """Why one call cannot be rewritten whole; the message says it."""


@dataclass(frozen=True)
class CallPort:
    """The nodes a port of one call to the Anthropic SDK replaces, with their replacements."""

    replacements: dict[cst.CSTNode, cst.CSTNode]


class AnthropicPort:
    def __init__(self, facts: ModuleFacts, spec: Spec, resolver: Resolver) -> None:
        self.facts = facts
        self.spec = spec
        self.resolver = resolver

    def calls_of(self, client: Client) -> list[SdkCall]:
        return [call for call in self.facts.sdk_calls if call.client is client]

    def port(self, client: Client, plan: PortPlan) -> str | None:
        """Add the rewrite of every call of `client` to `plan`; None when done, else why not."""
        calls = self.calls_of(client)
        if not calls:
            return "the module makes no messages.create() call on it"
        replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        try:
            for call in calls:
                replacements.update(self._port_call(call))
        except NotPortable as reason:
            return str(reason)
        plan.calls.update(replacements)
        return None

    def _port_call(self, call: SdkCall) -> dict[cst.CSTNode, cst.CSTNode]:
        if call.path != ("messages", "create"):
            raise NotPortable(f"it calls {'.'.join(call.path)}()")
        function = call.scope.node
        target = _assigned_name(function, call.node)
        if target is None:
            raise NotPortable("a response is not assigned to a name in its function")
        replacements = self._response_reads(function, target)
        replacements[call.node] = self._request(call)
        return replacements

    def _request(self, call: SdkCall) -> cst.Call:
        node = call.node
        keywords: dict[str, cst.Arg] = {}
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value not in PORTABLE_KEYWORDS:
                shown = arg.keyword.value + "=" if arg.keyword is not None else "a ** spread"
                raise NotPortable(f"a call passes {shown}, which has no plain OpenAI counterpart")
            keywords[arg.keyword.value] = arg
        messages = keywords.get("messages")
        if messages is None or not _plain_messages(messages.value):
            raise NotPortable("a call's messages are not user/assistant messages with plain text")
        model = keywords.get("model")
        if model is None:
            raise NotPortable("a call names no model")
        new_model = self._model(model.value, call)
        new = node.with_changes(func=_chat_completions(node.func))
        args = []
        for arg in new.args:
            name = arg.keyword.value if arg.keyword is not None else ""
            if name == "model":
                arg = arg.with_changes(value=new_model)
            elif self._foreign(name, "rename_to"):
                arg = arg.with_changes(keyword=cst.Name(self._foreign(name, "rename_to")))
            args.append(arg)
        new = new.with_changes(args=args)
        system = _arg(new, "system")
        if system is not None:
            new = _system_first(new, system)
        moved = [arg for arg in new.args if arg.keyword and self._foreign(arg.keyword.value)]
        if moved:
            entries = [
                cst.DictElement(cst.SimpleString(f'"{self._foreign(a.keyword.value)}"'), a.value)
                for a in moved
                if a.keyword is not None
            ]
            new = with_arg(without_args(new, moved), keyword_arg("extra_body", cst.Dict(entries)))
        return new

    def _foreign(self, name: str, how: str = "extra_body_as") -> str:
        """What api.toml's [foreign_parameter.<name>] renames it to (`rename_to`) or which
        extra_body key W&B honours it under (`extra_body_as`); "" when neither."""
        row = self.spec.api.foreign_parameters.get(name)
        return (getattr(row, how) or "") if row is not None else ""

    def _model(self, value: cst.BaseExpression, call: SdkCall) -> cst.BaseExpression:
        model_id = self.resolver.evaluate(value, call.scope)
        if not isinstance(model_id, str):
            raise NotPortable("a call's model is not a literal lint-wb can read")
        if self.spec.models.is_fix_target(model_id):
            return value
        row = substitution_for(model_id, self.spec.substitutions, self.spec.models)
        if row is None or not isinstance(value, cst.SimpleString):
            raise NotPortable(f"no served stand-in for {model_id!r} can be written in the call")
        return string_like(value, row.wandb_id)

    def _response_reads(self, function: cst.CSTNode, target: str) -> dict[cst.CSTNode, cst.CSTNode]:
        table = self.spec.api.porting.response_reads
        reads, others = _reads_of(function, target, table)
        if others:
            raise NotPortable(
                f"its function uses the response {target!r} otherwise than as "
                f"{target}.content[0].text or {target}.usage.input_tokens/output_tokens"
            )
        return {node: cst.parse_expression(f"{target}.{table[shape]}") for node, shape in reads}


def _arg(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _system_first(call: cst.Call, system: cst.Arg) -> cst.Call:
    messages = _arg(call, "messages")
    assert messages is not None and isinstance(messages.value, cst.List)
    quote = quote_of(messages.value)
    role = dict_entry("role", cst.SimpleString(f"{quote}system{quote}"), quote)
    entry = cst.Dict(
        [
            role.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            dict_entry("content", system.value, quote),
        ]
    )
    new_messages = messages.with_changes(value=insert_first(messages.value, entry))
    args = [new_messages if arg is messages else arg for arg in call.args]
    return without_args(call.with_changes(args=args), [system])


def _chat_completions(func: cst.BaseExpression) -> cst.BaseExpression:
    """`client.messages.create` -> `client.chat.completions.create`."""
    assert isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)
    base = func.value.value
    chat = cst.Attribute(cst.Attribute(base, cst.Name("chat")), cst.Name("completions"))
    return func.with_changes(value=chat)


def _plain_messages(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.List):
        return False
    for element in node.elements:
        if not isinstance(element, cst.Element) or not isinstance(element.value, cst.Dict):
            return False
        for entry in element.value.elements:
            if not isinstance(entry, cst.DictElement) or not isinstance(
                entry.key, cst.SimpleString
            ):
                return False
            key = entry.key.evaluated_value
            if key == "role" and not (
                isinstance(entry.value, cst.SimpleString)
                and entry.value.evaluated_value in ("user", "assistant")
            ):
                return False
            if key == "content" and isinstance(entry.value, (cst.List, cst.Dict)):
                return False  # Anthropic content blocks
            if key not in ("role", "content"):
                return False
    return True


def _assigned_name(function: cst.CSTNode, call: cst.Call) -> str | None:
    found: list[str] = []

    class _Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            value = node.value.expression if isinstance(node.value, cst.Await) else node.value
            if value is call and len(node.targets) == 1:
                target = node.targets[0].target
                if isinstance(target, cst.Name):
                    found.append(target.value)

    function.visit(_Finder())
    return found[0] if found else None


def _reads_of(
    function: cst.CSTNode, target: str, table: Mapping[str, str]
) -> tuple[list[tuple[cst.CSTNode, str]], list[cst.Name]]:
    """The reads of `target` in `function` that have an OpenAI counterpart (node, shape), and
    every other use of the name besides its one assignment."""
    reads: list[tuple[cst.CSTNode, str]] = []
    names: list[cst.Name] = []
    covered: set[cst.Name] = set()
    assigned: list[cst.Name] = []

    class _Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for assign_target in node.targets:
                if isinstance(assign_target.target, cst.Name):
                    assigned.append(assign_target.target)

        def visit_Attribute(self, node: cst.Attribute) -> None:
            shape = _shape(node, target, table)
            if shape is not None:
                reads.append((node, shape))
                covered.add(_head(node))

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == target:
                names.append(node)

    function.visit(_Finder())
    targets = [name for name in assigned if name.value == target]
    others = [n for n in names if n not in covered and not any(n is t for t in targets)]
    if len(targets) != 1:
        others += targets
    return reads, others


def _head(node: cst.BaseExpression) -> cst.Name:
    while not isinstance(node, cst.Name):
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        else:
            raise AssertionError(node)
    return node


def _shape(node: cst.Attribute, target: str, table: Mapping[str, str]) -> str | None:
    """Which read of the response table (porting.toml) `node` is, for the name `target`."""
    code = cst.Module([]).code_for_node(node)
    for shape in table:
        if code == f"{target}.{shape}":
            return shape
    return None


__all__: Sequence[str] = ("AnthropicPort", "NotPortable")
