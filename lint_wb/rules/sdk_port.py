"""WB603's fix: every client of a provider SDK whose chat API mirrors OpenAI's, in one module,
becomes the OpenAI client with the W&B URL and key, with its imports and its requests.

One fix for the whole module (every WB603 finding carries it): the imports of the provider's
classes can only go once all their uses are rewritten. It is a copy of the module rewritten
by a transformer; the engine reduces it to the text that changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint_wb._cst import cst
from lint_wb.analysis import Client, ModuleFacts, Request, Resolver
from lint_wb.analysis.scopes import Scope
from lint_wb.records import dataclass
from lint_wb.rules.base import FixProposal, Replacement, unsafe_fix
from lint_wb.rules.client_keys import KeyReader, env_read
from lint_wb.rules.edits import add_dict_entry, keyword_arg, with_arg, without_args
from lint_wb.rules.imports import import_line, imported_as, module_with_import
from lint_wb.spec import ApiSpec
from lint_wb.spec.porting_types import PortingSpec


def ported_clients(facts: ModuleFacts) -> list[Client]:
    """The clients WB603 ports: W&B clients (assume-wandb) of an OpenAI-mirroring SDK."""
    return [
        client
        for client in facts.clients
        if client.sdk is not None
        and client.sdk.api == "openai-chat"
        and client.node is not None
        and client.is_wandb
    ]


@dataclass(frozen=True)
class PortPlan:
    """What porting a module from a provider's SDK to the OpenAI SDK replaces and imports."""

    calls: dict[cst.CSTNode, cst.CSTNode]
    """Original node -> its replacement (constructors, requests, response reads)."""
    renamed: dict[str, str]
    """Local names of the provider's classes -> the OpenAI spelling that replaces them."""
    dropped_imports: frozenset[str]
    """Local names whose `from provider import Name` alias goes."""
    new_import: cst.SimpleStatementLine | None
    key_import: Replacement | None
    """`import os`, when the W&B key is read and the module does not import `os`."""


class SdkPort:
    """Builds the one WB603 fix of a module."""

    def __init__(self, facts: ModuleFacts, api: ApiSpec, resolver: Resolver) -> None:
        self.facts = facts
        self.api = api
        self.porting: PortingSpec = api.porting
        self.resolver = resolver
        self.scope: Scope = resolver.bindings.module
        self.reader = KeyReader(facts.module, self.scope, resolver)
        self.key_import: Replacement | None = None

    def fix(self) -> FixProposal | None:
        clients = ported_clients(self.facts)
        if not clients:
            return None
        plan = self.plan(clients)
        if plan is None:
            return None
        new_module = ported_module(self.facts.module, plan)
        providers = sorted({c.sdk.provider for c in clients if c.sdk is not None})
        title = f"Use the OpenAI client with W&B's URL and key instead of {', '.join(providers)}'s"
        return unsafe_fix(title, Replacement(self.facts.module, new_module))

    def plan(self, clients: Sequence[Client]) -> PortPlan | None:
        """The constructors, requests and imports of `clients` rewritten; None when a client
        is built through something lint-wb cannot rename."""
        calls: dict[cst.CSTNode, cst.CSTNode] = {}
        renamed: dict[str, str] = {}
        needed: set[str] = set()
        for client in clients:
            assert client.node is not None and client.sdk is not None
            local = _callee_head(client.node.func)
            if local is None:
                return None  # built through something lint-wb cannot rename
            spelling, import_needed = self._openai_spelling(client.sdk.openai_class)
            if import_needed:
                needed.add(client.sdk.openai_class)
            if isinstance(client.node.func, cst.Name):
                renamed[local] = spelling
            calls[client.node] = self._constructor(client, spelling)
        for request in self.facts.requests:
            if any(request.client is client for client in clients):
                calls[request.node] = self._request(request)
        dropped = frozenset(renamed) | self._unused_module_imports(clients)
        new_import = None
        if needed:
            new_import = import_line(f"from openai import {', '.join(sorted(needed))}")
        return PortPlan(calls, renamed, dropped, new_import, self.key_import)

    def _unused_module_imports(self, clients: Sequence[Client]) -> frozenset[str]:
        """`groq` of `import groq` when the ported `groq.Groq(...)` calls are its only uses."""
        heads: dict[str, int] = {}
        for client in clients:
            assert client.node is not None
            if isinstance(client.node.func, cst.Attribute):
                head = _callee_head(client.node.func)
                if head is not None:
                    heads[head] = heads.get(head, 0) + 1
        uses = _name_uses(self.facts.module, set(heads))
        return frozenset(head for head, count in heads.items() if uses.get(head, 0) == count)

    def _openai_spelling(self, openai_class: str) -> tuple[str, bool]:
        """How the module names `openai.<class>`, and whether an import must be added."""
        direct = imported_as(self.scope, f"openai.{openai_class}")
        if direct is not None:
            return direct, False
        module = imported_as(self.scope, "openai")
        if module is not None:
            return f"{module}.{openai_class}", False
        return openai_class, True

    def _constructor(self, client: Client, spelling: str) -> cst.Call:
        """`OpenAI(base_url=W&B, api_key=<W&B key>, <the other arguments>)`: a `base_url` or
        `api_key` already passed gets its value replaced where it stands."""
        assert client.node is not None
        values: dict[str, cst.BaseExpression] = {
            "base_url": cst.SimpleString(f'"{self.api.base_url}"'),
            "api_key": self._key(client),
        }
        args = [
            arg.with_changes(value=values.pop(_keyword(arg) or "", arg.value))
            for arg in client.node.args
        ]
        new = client.node.with_changes(func=cst.parse_expression(spelling), args=args)
        for name in ("api_key", "base_url"):
            if name in values:
                new = with_arg(new, keyword_arg(name, values[name]), first=True)
        return new

    def _key(self, client: Client) -> cst.BaseExpression:
        """The W&B key: the client's own `api_key=` unless it reads a variable of another
        provider (or none is given, when the SDK reads its provider's variable)."""
        assert client.sdk is not None
        api_key = client.arguments.get("api_key")
        if api_key is not None:
            read = env_read(api_key.value, client.scope, self.resolver)
            foreign = {*self.porting.key_variables, client.sdk.key_variable}
            if read is None or read.variable not in foreign:
                return api_key.value  # the user's own configuration: kept
        expression, needed = self.reader.expression(self.porting.wandb_key_variable)
        self.key_import = self.key_import or needed
        return expression

    def _request(self, request: Request) -> cst.Call:
        """The request with the keywords the OpenAI SDK lacks moved into `extra_body`, and the
        fields only the provider takes removed."""
        call = request.node
        accepted = self.api.sdk_create_parameters
        moved: list[tuple[cst.Arg, str]] = []
        removed: list[cst.Arg] = []
        for keyword in request.arguments.keywords.values():
            arg = keyword.arg
            if arg is None or keyword.name in accepted:
                continue
            if keyword.name in self.porting.provider_fields:
                removed.append(arg)
                continue
            target = self._extra_body_key(keyword.name)
            if target is not None:
                moved.append((arg, target))
        if not moved and not removed:
            return call
        new = without_args(call, [*removed, *(arg for arg, _ in moved)])
        return _into_extra_body(new, moved) if moved else new

    def _extra_body_key(self, name: str) -> str | None:
        foreign = self.api.foreign_parameters.get(name)
        if foreign is not None:
            return foreign.extra_body_as
        parameter = self.api.parameters.get(name)
        return name if parameter is not None and parameter.status == "extra-body" else None


def ported_module(module: cst.Module, plan: PortPlan) -> cst.Module:
    from lint_wb.rules.sdk_porter import Porter  # a libcst subclass: imported on use

    return Porter(plan).transform(module)


def _into_extra_body(call: cst.Call, moved: Sequence[tuple[cst.Arg, str]]) -> cst.Call:
    existing = next((arg for arg in call.args if _keyword(arg) == "extra_body"), None)
    if existing is not None and isinstance(existing.value, cst.Dict):
        target = existing.value
        for arg, key in moved:
            target = add_dict_entry(target, key, arg.value)
        args = [arg.with_changes(value=target) if arg is existing else arg for arg in call.args]
        return call.with_changes(args=args)
    if existing is not None:
        return call  # not a literal: the keywords stay where they are (WB202 explains)
    elements = [
        cst.DictElement(
            cst.SimpleString(f'"{key}"'),
            arg.value,
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )
        for arg, key in moved
    ]
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return with_arg(call, keyword_arg("extra_body", cst.Dict(elements)))


def _name_uses(module: cst.Module, names: set[str]) -> dict[str, int]:
    """How often each of `names` is read as a name, outside import statements."""
    counts: dict[str, int] = {}

    class _Counter(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False  # the attribute's own name is not a use

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in names:
                counts[node.value] = counts.get(node.value, 0) + 1

    if names:
        module.visit(_Counter())
    return counts


def _keyword(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None


def _callee_head(func: cst.BaseExpression) -> str | None:
    """`Groq` for `Groq(...)`, `groq` for `groq.Groq(...)`."""
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return _callee_head(func.value)
    return None


def added_import(module: cst.Module, statement: cst.SimpleStatementLine) -> cst.Module:
    return module_with_import(module, statement)


def alias_local(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return alias.name.value if isinstance(alias.name, cst.Name) else None
