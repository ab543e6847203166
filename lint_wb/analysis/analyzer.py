"""The analysis of one module: which names are clients, which calls are requests.

`analyze()` makes one binding pass over the module (see `scopes.py`) and reads clients and
requests off the call sites it recorded; no libcst metadata providers are involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Final, TypeVar

from lint_wb._cst import cst
from lint_wb.analysis.anchors import Anchors, enclosing_scopes, holds_value
from lint_wb.analysis.chains import WRAPPERS, Chain, split_chains
from lint_wb.analysis.client_subclasses import subclassed_client
from lint_wb.analysis.clients import (
    ClientContext,
    build_client,
    build_module_client,
    call_arguments,
    is_none,
    is_wandb_client,
    reads_env,
    resolve_url,
    wandb_signals,
)
from lint_wb.analysis.context import ModuleContext
from lint_wb.analysis.env_setting import env_base_url
from lint_wb.analysis.facts import (
    BaseUrl,
    CallArguments,
    Client,
    EndpointUse,
    LegacyUse,
    MessagesUse,
    ModuleFacts,
    PossibleUse,
    Request,
    SdkCall,
    UrlKind,
    ValueUse,
)
from lint_wb.analysis.libraries import LibrarySites, ProjectHints
from lint_wb.analysis.partials import merged_arguments
from lint_wb.analysis.porting import build_sdk_client, leave_unservable_clients
from lint_wb.analysis.read_only_calls import LOGGING_METHODS, READ_ONLY_BUILTINS
from lint_wb.analysis.sdk_names import (
    BASE_URL_ATTRIBUTE,
    CHAT_METHODS,
    CHAT_PATHS,
    CLIENT_CLASSES,
    COPY_KEYWORDS,
    DERIVING_METHODS,
    IDENTIFYING_KEYWORDS,
    RETARGETING_KEYWORDS,
    unsupported_endpoint,
)
from lint_wb.analysis.url_setter import body_of, certain_build, imported_names
from lint_wb.analysis.values import Resolver
from lint_wb.analysis.walk import returned_values
from lint_wb.config.settings import LintOptions
from lint_wb.spec import ApiSpec, bundled_libraries

if TYPE_CHECKING:
    from lint_wb.analysis.scopes import Bindings, CallSite, Scope
    from lint_wb.project.told import RemoteClient

Told = TypeVar("Told")
"""What the project index tells of a string literal (`Analyzer._told_literals`)."""

MAX_RECEIVER_DEPTH: Final = 12
MAX_POSSIBLE_VALUES: Final = 64
"""How many expressions `_possible_clients` follows for one receiver at most."""
MESSAGE_LITERALS: Final[dict[str, Callable[[cst.CSTNode], bool]]] = {
    "items": lambda node: isinstance(node, (cst.List, cst.Tuple)),
    "dict": lambda node: isinstance(node, cst.Dict),
    "message": lambda node: isinstance(node, cst.Dict),
    "str": lambda node: isinstance(
        node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation)
    ),
}
"""What the node of a `project.told.MessagesUse` of each kind is."""


class _Analysis:
    def __init__(
        self,
        module: cst.Module,
        api: ApiSpec,
        options: LintOptions,
        where: ModuleContext,
        bindings: Bindings | None,
    ) -> None:
        if bindings is None:
            from lint_wb.analysis.binding import collect_bindings  # a libcst visitor

            bindings = collect_bindings(module, where.package)
        self.bindings = bindings
        self.module = module
        self.index = where.index
        self.remote: dict[int, Client] = {}
        self.returned_clients: dict[tuple[cst.FunctionDef, cst.ClassDef | None], Client | None] = {}
        """The client each function returns (see `_returned_client`)."""
        self._anchor_cache: Anchors | None = None
        self.resolver = Resolver(self.bindings, dict(self.index.aliases) if self.index else None)
        found = (
            env_base_url(module, bindings, self.resolver) if bindings.base_url_mentions else None
        )
        self.context = ClientContext(self.resolver, api, options, found)
        self.api = api
        self.facts = ModuleFacts(module, self.resolver)
        self.clients_by_call: dict[cst.Call, Client] = {}
        self.derived: dict[cst.Call, Client | None] = {}
        self._choosing: set[cst.BaseExpression] = set()
        """The choices (`a if c else b`, `a or b`) `_chosen_client` is reading."""
        """What each `with_options(...)` / `copy(...)` call makes (`_derived_client`)."""
        self._module_client: Client | None = None
        self._env_module_client: Client | None = None
        self.libraries = LibrarySites(
            bundled_libraries(),
            self.context,
            self._client_of_node,
            ProjectHints(
                self._indexed_url,
                bool(self.index and self.index.chat_api_default),
                self._indexed_client,
                self._indexed_route,
                bool(self.index and self.index.names_verbatim),
            ),
        )

    def _client_of_node(
        self, node: cst.BaseExpression, scope: Scope, owner: cst.ClassDef | None
    ) -> Client | None:
        return self._client_in(node, scope, owner, depth=1)

    def run(self) -> ModuleFacts:
        for site in self.bindings.calls:
            name = self.resolver.qualified_name(site.call.func, site.scope)
            sdk = self.api.porting.provider_sdks.get(name) if name is not None else None
            class_name = self._openai_class(name)
            func = site.call.func
            if class_name is None and type(func) is cst.Name and func.value in self._subclasses:
                class_name = subclassed_client(  # `Bot(base_url=...)`, `class Bot(OpenAI)`
                    func, site.scope, self.resolver.qualified_name, self._openai_class
                )
            if class_name is not None:
                client = build_client(site.call, class_name, site.scope, self.context)
            elif sdk is not None:
                client = build_sdk_client(site.call, sdk, site.scope, self.context)
            else:
                continue
            self._with_indexed_url(site.call, client)
            self._with_indexed_signals(site.call, client)
            self.clients_by_call[site.call] = client
            self.facts.clients.append(client)
        self._base_url_stores()
        self._module_base_url_client()
        self.libraries.find(self.bindings.calls)
        self._derived_clients()
        for site in self.bindings.calls:
            self._classify_call(site)
        self.libraries.add_to(self.facts)
        self._legacy_settings()
        leave_unservable_clients(self.facts, self._indexed_endpoint_clients(), self._handed_clients)
        self._value_uses()
        self._message_uses()
        self._key_readers()
        self._key_uses()
        self._keyword_uses()
        return self.facts

    @cached_property
    def _subclasses(self) -> frozenset[str]:
        """The names of the module's classes of one base (`client_subclasses.py`)."""
        return frozenset(
            name
            for scope in self.bindings.scopes.values()
            for name, cls in scope.classes.items()
            if len(cls.bases) == 1
        )

    def _openai_class(self, name: str | None) -> str | None:
        """The OpenAI client class a qualified name constructs, re-exports included."""
        if name is None:
            return None
        if name in CLIENT_CLASSES:
            return CLIENT_CLASSES[name]
        return self.libraries.table.openai_client_class(name)

    def _value_uses(self) -> None:
        """The literals of this module that requests elsewhere in the project send."""
        if self.index is None or not self.index.value_uses:
            return
        anchors = self._anchors()
        for use in self.index.value_uses:
            node = anchors.find(use.node, partial(holds_value, value=use.value))
            if isinstance(node, cst.BaseExpression):
                literal = node if use.plain and isinstance(node, cst.SimpleString) else None
                found = ValueUse(
                    use.parameter,
                    use.value,
                    node,
                    literal,
                    use.request,
                    prefix=use.prefix,
                    library=use.library,
                    spelled=use.spelled,
                    named=use.named,
                    chat=use.chat,
                )
                self.facts.value_uses.append(found)

    def _key_readers(self) -> None:
        """The environment reads of this module that other modules may read for something
        not W&B (`told.ModuleIndex.key_readers`), by the literal naming the variable."""
        if self.index is None or not self.index.key_readers:
            return
        for node, reader in self._told_literals(self.index.key_readers):
            self.facts.key_readers.setdefault(node, reader)

    def _key_uses(self) -> None:
        """The environment reads of this module that W&B clients of other modules take their
        key from (`told.ModuleIndex.key_uses`), by the literal naming the variable."""
        if self.index is None or not self.index.key_uses:
            return
        told = ((use.node, use.variable, use) for use in self.index.key_uses)
        self.facts.key_uses.extend(self._told_literals(told))

    def _keyword_uses(self) -> None:
        """The dict keys of this module that W&B chat requests elsewhere spread into their
        keywords (`told.ModuleIndex.keyword_uses`), by the key's literal."""
        if self.index is None or not self.index.keyword_uses:
            return
        told = ((use.node, use.keyword, use) for use in self.index.keyword_uses)
        self.facts.keyword_uses.extend(self._told_literals(told))

    def _told_literals(
        self, told: Iterable[tuple[int, str, Told]]
    ) -> Iterator[tuple[cst.SimpleString, Told]]:
        """Each (node ordinal, string, what) the project index tells, at the string literal
        it names (looked for near the ordinal: a fix may have moved it)."""
        anchors = self._anchors()
        for ordinal, text, what in told:
            node = anchors.find(ordinal, partial(holds_value, value=text))
            if isinstance(node, cst.SimpleString):
                yield node, what

    def _indexed_endpoint_clients(self) -> list[int]:
        """The `id`s of this module's clients the project uses only for endpoints W&B does
        not serve (`told.ModuleIndex.endpoint_clients`), each at its own call."""
        if self.index is None or not self.index.endpoint_clients:
            return []
        anchors = self._anchors()
        entries = [(node, True) for node in self.index.endpoint_clients]
        return [
            id(client)
            for client in self.facts.clients
            if client.node is not None and anchors.exact_entry(client.node, entries)
        ]

    def _indexed_url(self, call: cst.Call) -> BaseUrl | None:
        """The base URL of a client built at `call`, when only the project resolves it."""
        if self.index is None or not self.index.client_urls:
            return None
        found = self._anchors().entry(call, self.index.client_urls)
        return None if found is None else found[1]

    def _indexed_route(self, call: cst.Call) -> str | None:
        """The provider prefix of a library call's model, when only the project resolves it."""
        if self.index is None or not self.index.client_routes:
            return None
        # Exact: a route given to another call (while --fix edits the module) could let
        # WB107 send the W&B key where that call's model goes.
        return self._anchors().exact_entry(call, self.index.client_routes)

    def _message_uses(self) -> None:
        """The `messages` literals of this module that W&B requests elsewhere send."""
        if self.index is None or not self.index.message_uses:
            return
        anchors = self._anchors()
        found = [
            (anchors.find(use.node, MESSAGE_LITERALS[use.kind]), use)
            for use in self.index.message_uses
        ]
        nodes = {node for node, _ in found if node is not None}
        scopes = enclosing_scopes(self.module, nodes, self.bindings.scopes)
        for node, use in found:
            if isinstance(node, cst.BaseExpression) and node in scopes:
                single = use.kind == "message"
                found_use = MessagesUse(node, scopes[node], use.request, single)
                self.facts.message_uses.append(found_use)

    def _with_indexed_url(self, call: cst.Call, client: Client) -> None:
        """A base URL only the project resolves (`base_url=settings.URL`): taken from the
        index. A wrong one is reported where it is written (`facts.value_uses`), not here."""
        if self.index is None or not self.index.client_urls:
            return
        if client.base_url.kind is not UrlKind.UNKNOWN or client.base_url_value is None:
            return
        found = self._anchors().entry(call, self.index.client_urls)
        if found is not None:
            client.base_url = found[1]
            client.base_url_value = None
            client.is_wandb = is_wandb_client(client, self.context.options)

    def _with_indexed_set_url(self, client: Client) -> None:
        """The URL of the certain `client.base_url = value` store when only the project
        resolves it (`value` a constant of a settings module): taken from the index, which
        tells it only when no other store of the project can reach the client. A wrong one is
        reported where it is written (`facts.value_uses`)."""
        if self.index is None or not self.index.client_set_urls or client.node is None:
            return
        if client.base_url.kind is not UrlKind.UNKNOWN:
            return
        found = self._anchors().exact_entry(client.node, self.index.client_set_urls)
        if found is not None:
            client.base_url = found
            client.base_url_value = None

    def _with_indexed_signals(self, call: cst.Call, client: Client) -> None:
        """W&B signals only the project resolves (`api_key=KEY`, `KEY` a constant of another
        module read from the W&B key's variable): taken from the index, at the call itself."""
        if self.index is None or not self.index.client_signals or client.signals:
            return
        found = self._anchors().exact_entry(call, self.index.client_signals)
        if found:
            client.signals = found
            client.is_wandb = is_wandb_client(client, self.context.options)

    def _anchors(self) -> Anchors:
        if self._anchor_cache is None:
            count = self.index.node_count if self.index is not None else 0
            self._anchor_cache = Anchors(self.bindings.nodes, count)
        return self._anchor_cache

    def _base_url_stores(self) -> None:
        """`client.base_url = URL` on a client built in this module (`url_setter.py`): URL
        where the order of the code makes it certain, unknown otherwise."""
        stores: dict[int, tuple[Client, list[tuple[str, cst.BaseExpression | None, Scope]]]] = {}
        for target, value, scope in self.bindings.attribute_assignments:
            head, _, attribute = target.rpartition(".")
            if attribute != BASE_URL_ATTRIBUTE or not head or "." in head:
                continue
            if self.resolver.qualify(head, scope) == "openai":
                continue  # the module-level client (`_module_base_url_client`)
            client = self._client_in(cst.Name(head), scope, None, depth=1)
            if client is not None and client.node is not None and client.sdk is None:
                stores.setdefault(id(client), (client, []))[1].append((head, value, scope))
        for client, found in stores.values():
            self._store_url(client, found)

    def _store_url(
        self, client: Client, stores: list[tuple[str, cst.BaseExpression | None, Scope]]
    ) -> None:
        """A store with no value of its own (`c.base_url += x`, `c.base_url, x = ...`, a `for`
        target) is never the certain one."""
        _, value, scope = stores[0]
        if len(stores) == 1 and value is not None and self._set_certainly(client, stores[0]):
            client.base_url = resolve_url(value, scope, self.context)
            client.base_url_value = value
            self._with_indexed_set_url(client)
            client.is_wandb = is_wandb_client(client, self.context.options)
            return
        # Its URL as built is checked where it is written; where its requests go is unknown.
        moved = Client(
            None, client.class_name, CallArguments(), client.scope, BaseUrl(UrlKind.UNKNOWN)
        )
        moved.signals = client.signals
        moved.is_wandb = is_wandb_client(moved, self.context.options)
        moved.wrapper = client.wrapper
        client.moved = moved

    def _set_certainly(
        self, client: Client, store: tuple[str, cst.BaseExpression | None, Scope]
    ) -> bool:
        """Whether the client's one store is certainly made before it sends (`url_setter`)."""
        head, value, scope = store
        if value is None or client.library is not None or client.scope is not scope:
            return False
        body = body_of(scope.node)
        built = certain_build(body, head, value, imported_names(self.module)) if body else None
        return built is not None and built is client.node

    def _module_base_url_client(self) -> None:
        assignments = [
            (value, scope)
            for target, value, scope in self.bindings.attribute_assignments
            if value is not None and self._is_openai_attribute(target, "base_url", scope)
        ]
        if assignments:
            self._module_client = build_module_client(
                assignments, self.bindings.module, self.context
            )
            self.facts.clients.append(self._module_client)

    def _is_openai_attribute(self, dotted: str, attribute: str, scope: Scope) -> bool:
        head, _, rest = dotted.rpartition(".")
        if rest != attribute or not head:
            return False
        return self.resolver.qualify(head, scope) == "openai"

    def module_client(self) -> Client:
        if self._module_client is None:
            self._module_client = build_module_client([], self.bindings.module, self.context)
        return self._module_client

    def _classify_call(self, site: CallSite) -> None:
        chains = split_chains(site.call.func)
        if not chains:
            spelled = self._spelled_out(site)
            if spelled is not None:
                self._record_use(site, *spelled)
            else:
                self._partial_call(site)
            return
        for chain in chains:
            if self._is_legacy_call(chain, site.scope):
                self.facts.legacy_uses.append(
                    LegacyUse(site.call, ".".join(chain.path), site.scope)
                )
                return
            client = self._client_of(chain.base, site)
            if client is not None:
                self._record_use(site, chain, client)
                return
        if self._told_partial_call(site):
            return  # `helpers.ask(...)`; `chat.completions.create(...)` on `from llm import chat`
        resource = self._resource_chain(chains)
        # `chat.completions.create(...)` on `chat = llm.client.chat` reads as a legacy
        # `completions` call: the chat request spelled out is the index's, as an alias's is
        spelled = self._spelled_out(site, indexed=resource is None or not _is_chat_chain(resource))
        if spelled is not None:
            self._record_use(site, *spelled)
            return
        self._possible_uses(site, chains)
        client = None if resource is None else self._indexed_client(site.call)
        if resource is not None and client is not None:
            self._record_use(site, resource, client)

    def _spelled_out(self, site: CallSite, indexed: bool = True) -> tuple[Chain, Client] | None:
        """A request or endpoint call through a name bound to a client's resource or method,
        read as the call spelled out: `create = client.chat.completions.create; create(...)`,
        `completions = client.chat.completions; completions.create(...)`, `chat =
        client.chat` then `chat.completions.with_raw_response.create(...)`, the same on
        `self.<attr>`, and names bound to such names. Each name followed is bound to one
        value (besides `None`), as a client's name is (`_client_in`). `indexed`: whether to
        take the project index's client here; not when the call is written as a resource
        chain (`c.chat.completions.create(...)` on `c = A() if eu else B()`), whose index
        client `_classify_call` takes after marking the clients the receiver may be used."""
        func = site.call.func
        method_name = func.attr if type(func) is cst.Attribute else None
        if not self._may_send(self._method_called(func, site)):
            return None  # most calls: read no further
        node, scope, path = func, site.scope, list[str]()
        followed = False
        """Whether a name (or `self.<attr>`) was followed to its binding: an alias."""
        for _ in range(MAX_RECEIVER_DEPTH):
            if path and method_name is not None:
                client = self._client_in(node, scope, site.owner_class, depth=0)
                if client is not None:
                    return Chain(node, tuple(path), method_name), client
            bound = self._one_value(node, scope, site.owner_class)
            if bound is not None:
                node, scope = bound
                followed = True
                if method_name is None and type(node) is cst.Attribute:
                    method_name = node.attr
            elif type(node) is cst.Attribute:
                if node.attr.value not in WRAPPERS:
                    path.insert(0, node.attr.value)
                node = node.value
            else:
                break
        if method_name is None:
            return None
        chains = [Chain(node, tuple(path[start:]), method_name) for start in range(len(path))]
        chain = next((chain for chain in chains if _is_chat_chain(chain)), None)
        if chain is None and followed:
            # `comp = llm.client.completions; comp.create(...)`: an endpoint on `llm.client`
            # (one written out, `self._client.embeddings.create(...)`, is `_possible_uses`')
            chain = next((c for c in chains if c.path[0] in self._resource_roots), None)
        if chain is None or not indexed:
            return None  # `llm.client.chat.completions.create`: the chat part, on `llm.client`
        client = self._indexed_client(site.call)  # `from llm import client`: the index's
        return None if client is None else (chain, client)

    def _method_called(self, func: cst.BaseExpression, site: CallSite) -> str | None:
        """`create` for `completions.create(...)`, and for `send(...)` after `send =
        client.chat.completions.create`."""
        if type(func) is cst.Attribute:
            return func.attr.value
        bound = self._one_value(func, site.scope, site.owner_class)
        if bound is None or type(bound[0]) is not cst.Attribute:
            return None
        return bound[0].attr.value

    def _may_send(self, method: str | None) -> bool:
        """Whether a call of a method of this name may be a request or an endpoint call."""
        return method is not None and (method in CHAT_METHODS or method in self._endpoint_methods)

    @cached_property
    def _endpoint_methods(self) -> frozenset[str]:
        return frozenset(endpoint.split(".")[-1] for endpoint in self.api.unsupported_endpoints)

    def _one_value(
        self, node: cst.BaseExpression, scope: Scope, owner: cst.ClassDef | None
    ) -> tuple[cst.BaseExpression, Scope] | None:
        """The one value (besides `None`) a name or `self.<attr>` is bound to, and its scope."""
        if type(node) is cst.Name and node.value != "self":
            if node in self.resolver.bindings.comprehension_reads:
                return None  # `[create(...) for create in ...]`: the loop's
            return self._binding_besides_none(node.value, scope)
        if type(node) is cst.Attribute:
            return self._self_attribute(node, owner)
        return None

    def _partial_call(self, site: CallSite) -> None:
        """A call of a partial of a client's method (`ask = partial(client.chat.completions.
        create, model=...)`, then `ask(messages=...)`): that method's call, given the
        partial's keywords and the call's (`partials.py`)."""
        if site.call in self.libraries.sites:
            return  # a partial of a library's callable
        found = self.libraries.partials.partial_of(site.call, site.scope)
        if found is not None:
            for chain in split_chains(found.func):
                scope = found.scope
                client = self._client_in(chain.base, scope, scope.owner_class, depth=0)
                if client is None and _is_chat_chain(chain):
                    # a client of another module (`from llm import client`): the index's
                    client = self._indexed_client(site.call)
                if client is not None:
                    arguments, _ = merged_arguments(
                        site.call, site.scope, found, self.resolver, one_target=True
                    )
                    self._record_use(site, chain, client, arguments)
                    return
        self._told_partial_call(site)  # one of another module, or one wrapping it

    def _told_partial_call(self, site: CallSite) -> bool:
        """A call through a partial of a W&B client's chat method written in another module
        (`from helpers import ask`, then `ask(messages=...)`; `told.PartialCall`): a request
        with the call's own keywords. It is complete only when the call replaces every
        keyword the partial passes: the values of the others are judged where the partial
        writes them, and a fix here must not add one of them again."""
        index = self.index
        if index is None or not index.partial_calls:
            return False
        anchors = self._anchors()
        told = anchors.exact_entry(site.call, index.partial_calls)
        remote = anchors.exact_entry(site.call, index.request_clients)
        if told is None or remote is None:
            return False
        arguments = call_arguments(site.call, site.scope, self.resolver)
        elsewhere = tuple(name for name in told.passed if name not in arguments.keywords)
        known = arguments.complete and told.complete
        arguments.complete = known and not elsewhere
        client = self._remote_client(remote)
        func = site.call.func
        name = func if type(func) is cst.Name else getattr(func, "attr", None)
        if isinstance(name, cst.Name):
            request = Request(
                site.call,
                told.method,
                name,
                client,
                arguments,
                site.scope,
                method_written=False,
                passed_elsewhere=elsewhere if known else None,
                told_model=told.model,
            )
            self.facts.requests.append(request)
        return True

    def _possible_uses(self, site: CallSite, chains: Sequence[Chain]) -> None:
        """A request or endpoint call whose receiver is not certainly one client: each client
        of this module it may be made on (`facts.possible_uses`)."""
        for chain in chains:
            if len(chain.path) < 2 or chain.path[0] not in self._resource_roots:
                continue  # most calls: read no further
            *where, method = chain.path
            chat = tuple(where) in CHAT_PATHS and method in CHAT_METHODS
            if not chat and self._unsupported_endpoint(chain.path) is None:
                continue
            found = _Possible()
            self._possible_clients(chain.base, site.scope, site.owner_class, found)
            for client in found.clients:
                self.facts.possible_uses.append(PossibleUse(site.call, client, chat, found.all))

    @cached_property
    def _resource_roots(self) -> frozenset[str]:
        """The first names of the chat resources and of the endpoints W&B does not serve."""
        endpoints = {endpoint.split(".")[0] for endpoint in self.api.unsupported_endpoints}
        return frozenset({path[0] for path in CHAT_PATHS} | endpoints)

    def _possible_clients(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        owner: cst.ClassDef | None,
        found: _Possible,
    ) -> None:
        """Every client of this module an expression may be, into `found`: through each
        value a name or `self.<attr>` is bound to and each choice of `a if c else b` /
        `a or b`; `found.all` stays true while every value is a client or `None`."""
        if node in found.seen or len(found.seen) > MAX_POSSIBLE_VALUES:
            found.all = found.all and node in found.seen
            return
        found.seen.add(node)
        certain = self._client_in(node, scope, owner, depth=1)
        if certain is not None or is_none(node):
            found.clients += [certain] if certain is not None else []
            return
        options: list[tuple[cst.BaseExpression | None, Scope]] | None = None
        if type(node) is cst.Name and node.value != "self":
            bound = self.resolver.owner(node.value, scope)
            if bound is not None and node.value not in bound.imports:
                options = [(value, bound) for value in bound.bindings[node.value]]
        elif type(node) is cst.Attribute:
            assigned = self._self_values(node, owner)
            options = [(value, where) for value, where in assigned] if assigned else None
        elif isinstance(node, cst.IfExp):
            options = [(node.body, scope), (node.orelse, scope)]
        elif isinstance(node, cst.BooleanOperation):
            options = [(node.left, scope), (node.right, scope)]
        if not options:
            found.all = False
            return
        for value, where in options:
            if value is None:
                found.all = False
            else:
                self._possible_clients(value, where, owner, found)

    def _handed_clients(self) -> set[int]:
        """The `id`s of this module's clients given by name (or `self.<attr>`) to a callee
        the module does not define (another library's `Pipeline(llm=client)`, a callable
        not known here), which may chat through them (`porting.leave_unservable_clients`),
        as the project index reads a client handed on in another module
        (`project.uses.ProjectUses._note_handed`)."""
        found: set[int] = set()
        for site in self.bindings.calls:
            if self._defined_here(site):
                continue
            for arg in site.call.args:
                kind = type(arg.value)
                if arg.star or (kind is not cst.Name and kind is not cst.Attribute):
                    continue
                possible = _Possible()
                self._possible_clients(arg.value, site.scope, site.owner_class, possible)
                found.update(id(client) for client in possible.clients)
        return found

    def _defined_here(self, site: CallSite) -> bool:
        """Whether the callee is a function or class of this module (`helper(client)`), or
        a method of the class a method calls it in (`self.helper(client)`): what it does
        with a client is read where it does it; or one that only reads what it is given
        (`read_only_calls.py`)."""
        func = site.call.func
        if type(func) is cst.Attribute and func.attr.value in LOGGING_METHODS:
            return True  # `logging.info("client %s", client)` only reads it
        if type(func) is cst.Name:
            owner = self.resolver.owner(func.value, site.scope)
            if owner is None and func.value in READ_ONLY_BUILTINS:
                return True  # `print(client)`, `isinstance(client, OpenAI)`
            return owner is not None and (
                func.value in owner.functions or func.value in owner.classes
            )
        cls = site.owner_class
        if cls is None or type(func) is not cst.Attribute:
            return False
        receiver = func.value
        if type(receiver) is not cst.Name or receiver.value != "self":
            return False
        return any(
            isinstance(statement, cst.FunctionDef) and statement.name.value == func.attr.value
            for statement in cls.body.body
        )

    def _resource_chain(self, chains: Sequence[Chain]) -> Chain | None:
        """The reading of a call the project index resolves: the receiver before the first
        endpoint name (`chat`, `embeddings`, ...), as the summaries read it."""
        if self.index is None or not self.index.request_clients:
            return None
        roots = {"chat", "beta"} | {e.split(".")[0] for e in self.api.unsupported_endpoints}
        found = [chain for chain in chains if chain.path[0] in roots]
        return found[0] if found else None

    def _indexed_client(self, call: cst.Call) -> Client | None:
        """The client the project index found for a request whose receiver this module
        alone cannot tell (a factory, a base class, another module)."""
        if self.index is None or not self.index.request_clients:
            return None
        found = self._anchors().entry(call, self.index.request_clients)
        if found is None:
            return None
        ordinal, remote = found
        if ordinal not in self.remote:
            self.remote[ordinal] = self._remote_client(remote)
        return self.remote[ordinal]

    def _remote_client(self, remote: RemoteClient) -> Client:
        """A client the project index tells of (built in another module)."""
        client = Client(
            None, remote.class_name, CallArguments(), self.bindings.module, remote.base_url
        )
        client.is_wandb = remote.is_wandb
        if remote.wrapper:  # instructor.from_openai(client) built in another module
            client.wrapper = bundled_libraries().by_name().get(remote.wrapper)
        return client

    def _record_use(
        self,
        site: CallSite,
        chain: Chain,
        client: Client,
        arguments: CallArguments | None = None,
    ) -> None:
        """`arguments`: what a call through a partial passes (`_partial_call`)."""
        client = client.moved or client
        *where, method = chain.path
        if tuple(where) in CHAT_PATHS and method in CHAT_METHODS:
            if arguments is None:
                arguments = call_arguments(site.call, site.scope, self.resolver)
            request = Request(site.call, method, chain.method_name, client, arguments, site.scope)
            self.facts.requests.append(request)
            return
        endpoint = self._unsupported_endpoint(chain.path)
        if endpoint is not None:
            self.facts.endpoint_uses.append(EndpointUse(site.call, endpoint, client))
        elif client.sdk is not None:
            self.facts.sdk_calls.append(SdkCall(site.call, tuple(chain.path), client, site.scope))

    def _unsupported_endpoint(self, path: Sequence[str]) -> str | None:
        return unsupported_endpoint(self.api.unsupported_endpoints, path)

    def _is_legacy_call(self, chain: Chain, scope: Scope) -> bool:
        if len(chain.path) < 2 or chain.path[0] not in self.api.shapes.legacy_api.classes:
            return False
        return self.resolver.qualified_name(chain.base, scope) == "openai"

    def _legacy_settings(self) -> None:
        for target, value, scope in self.bindings.attribute_assignments:
            for setting in self.api.shapes.legacy_api.settings:
                if value is not None and self._is_openai_attribute(target, setting, scope):
                    self.facts.legacy_uses.append(LegacyUse(value, f"openai.{setting}", scope))
        if self.facts.legacy_uses:
            self.facts.legacy_for_wandb = self._legacy_for_wandb()

    def _legacy_for_wandb(self) -> bool:
        """Whether the module's openai<1.0 API is code meant for W&B (SPEC §3, WB602): under
        assume-wandb, beside a W&B client, or configured for W&B (`openai.api_base` or
        `openai.base_url` a W&B URL or a near miss, `openai.api_key` read from W&B's key
        variable, the same keywords of a legacy call). A module that only logs to wandb while
        it calls OpenAI through the old API is not W&B code."""
        if self.context.options.assume_wandb or any(c.is_wandb for c in self.facts.clients):
            return True
        settings = [
            (target.rpartition(".")[2], value, scope)
            for target, value, scope in self.bindings.attribute_assignments
            if value is not None
            and self._is_openai_attribute(target, target.rpartition(".")[2], scope)
        ]
        for use in self.facts.legacy_uses:
            if isinstance(use.node, cst.Call):
                settings.extend(
                    (arg.keyword.value, arg.value, use.scope)
                    for arg in use.node.args
                    if arg.keyword is not None
                )
        return any(self._configures_wandb(*setting) for setting in settings)

    def _configures_wandb(self, setting: str, value: cst.BaseExpression, scope: Scope) -> bool:
        """Whether `openai.<setting> = value` (or the keyword of a legacy call) may aim at W&B:
        a base URL this module cannot resolve (another module's constant) counts, as on a
        module that sets one it would not write for OpenAI's own."""
        if setting in ("api_base", "base_url"):
            kind = resolve_url(value, scope, self.context).kind
            return kind in (UrlKind.WANDB, UrlKind.NEAR_MISS, UrlKind.UNKNOWN)
        wandb_key = frozenset({self.api.porting.wandb_key_variable})
        return setting == "api_key" and reads_env(value, scope, self.resolver, wandb_key)

    def _client_of(self, base: cst.BaseExpression, site: CallSite) -> Client | None:
        client = self._client_in(base, site.scope, site.owner_class, depth=0)
        if client is not None and client is self._module_client and client.base_url_value is None:
            # set by OPENAI_BASE_URL here, or by `openai.base_url = ...` in a module it imports
            return self._module_client_at(site.call) or self._indexed_client(site.call) or client
        return client

    def _module_client_at(self, call: cst.Call) -> Client | None:
        """The module-level client as a request at `call` finds it, when the module sets
        `OPENAI_BASE_URL` before (`env_setting.py`) and no `openai.base_url`: built at its
        first use, it reads the variable."""
        setting = self.context.env_base_url
        if setting is None or (self.bindings.attribute_assignments and self._sets_module_url()):
            return None
        if not setting.reaches(call, CallArguments()):
            return None
        if self._env_module_client is None:
            module = self.bindings.module
            found = build_module_client([(setting.value, module)], module, self.context)
            self.facts.clients.append(found)
            self._env_module_client = found
        return self._env_module_client

    def _sets_module_url(self) -> bool:
        return any(
            self._is_openai_attribute(target, BASE_URL_ATTRIBUTE, scope)
            for target, _, scope in self.bindings.attribute_assignments
        )

    def _client_in(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        owner: cst.ClassDef | None,
        depth: int,
    ) -> Client | None:
        """The client an expression certainly is: followed through names and `self.<attr>`
        (a `None` they start out as does not count: a request on it could not run), and
        through functions and methods whose every return gives that one client."""
        if depth > MAX_RECEIVER_DEPTH:
            return None
        # `type(...) is`, not `isinstance`: libcst's classes are ABCs, slow to check against
        if type(node) is cst.Name and node.value != "self":
            if node in self.resolver.bindings.comprehension_reads:
                return None  # `[c.chat.completions.create(...) for c in clients]`
            bound = self._binding_besides_none(node.value, scope)
            if bound is not None:
                return self._client_in(bound[0], bound[1], owner, depth + 1)
        if type(node) is cst.Attribute:
            assigned = self._self_attribute(node, owner)
            if assigned is not None:
                return self._client_in(*assigned, owner, depth + 1)
        if type(node) is cst.IfExp or type(node) is cst.BooleanOperation:
            return self._chosen_client(node, scope, owner, depth)
        if type(node) is cst.Call:
            if node in self.clients_by_call:
                return self.clients_by_call[node]
            if type(node.func) is cst.Attribute and node.func.attr.value in DERIVING_METHODS:
                return self._derived_client(node, scope, owner, depth)
            if self.libraries.row_of(node) is not None:
                return self.libraries.wrapped(node)  # instructor.from_openai(client) ...
            return self._returned_client(node, scope, owner, depth)
        qualified = self.resolver.qualified_name(node, scope)
        if qualified == "openai":
            return self.module_client()
        return None

    def _chosen_client(
        self,
        node: cst.IfExp | cst.BooleanOperation,
        scope: Scope,
        owner: cst.ClassDef | None,
        depth: int,
    ) -> Client | None:
        """The client `OpenAI(...) if key else None`, `key and OpenAI(...)` or
        `self.client or OpenAI(...)` certainly is when it is a client: the one its choices
        give, besides `None` (a request on it could not run; nor on the false first operand
        of `and`: a client is true) and besides a choice that reads back what is being
        chosen (`self.c = self.c or OpenAI()`: what `self.c` held before is this choice)."""
        if isinstance(node, cst.IfExp):
            options = [node.body, node.orelse]
        elif isinstance(node.operator, cst.And):
            options = [node.right]
        else:
            options = [node.left, node.right]
        self._choosing.add(node)
        try:
            found = [
                self._client_in(option, scope, owner, depth + 1)
                for option in options
                if not is_none(option)
                and self._bound_to(option, scope, owner) not in self._choosing
            ]
        finally:
            self._choosing.discard(node)
        first = found[0] if found else None
        return first if all(client is first for client in found) else None

    def _bound_to(
        self, node: cst.BaseExpression, scope: Scope, owner: cst.ClassDef | None
    ) -> cst.BaseExpression | None:
        """What a name or `self.<attr>` is bound to, as `_client_in` follows it."""
        bound = self._one_value(node, scope, owner)
        return None if bound is None else bound[0]

    def _derived_clients(self) -> None:
        """The clients `with_options(...)` / `copy(...)` make, each once, in module order."""
        for site in self.bindings.calls:
            func = site.call.func
            if type(func) is cst.Attribute and func.attr.value in DERIVING_METHODS:
                self._derived_client(site.call, site.scope, site.owner_class, depth=1)

    def _derived_client(
        self, call: cst.Call, scope: Scope, owner: cst.ClassDef | None, depth: int
    ) -> Client | None:
        """The client `client.with_options(...)` / `client.copy(...)` (or, unbound,
        `OpenAI.with_options(client, ...)`) makes, when `client` is certainly an OpenAI
        client (`_client_in`): the client itself when no keyword may change its target or
        what the client rules read, a new one otherwise (`_derive`)."""
        if call in self.derived:
            return self.derived[call]
        self.derived[call] = None  # while it is found: a cycle of names ends here
        assert isinstance(call.func, cst.Attribute)
        receiver, args = self._receiver(call, scope)
        base = None if receiver is None else self._client_in(receiver, scope, owner, depth + 1)
        usable = base is not None and base.sdk is None and base.library is None
        found = self._derive(call, args, base, scope) if usable and base is not None else None
        self.derived[call] = found
        return found

    def _receiver(
        self, call: cst.Call, scope: Scope
    ) -> tuple[cst.BaseExpression | None, Sequence[cst.Arg]]:
        """The client a `with_options(...)` / `copy(...)` call copies, and the arguments it
        gives the method: `client.copy(...)`'s `client`, or the first positional argument
        of the unbound method (`OpenAI.copy(client, ...)`)."""
        assert isinstance(call.func, cst.Attribute)
        owner = call.func.value
        if self._openai_class(self.resolver.qualified_name(owner, scope)) is None:
            return owner, call.args
        first = call.args[0] if call.args else None
        if first is None or first.keyword is not None or first.star:
            return None, call.args
        return first.value, call.args[1:]

    def _derive(
        self, call: cst.Call, args: Sequence[cst.Arg], base: Client, scope: Scope
    ) -> Client | None:
        """What openai-python's `copy` makes: None when the call raises TypeError (a
        positional argument, a keyword it does not take); `base` itself when no keyword may
        change its target or what the client rules read; one with `base`'s target and the
        call's key, project and headers (`_inheriting`) when only those are given; one built
        from the call's keywords when `base_url=` is the one that changes the target (its
        key, when not given, is `base`'s), or when `provider=` or `data_residency=` alone
        does (`build_client` reads it: another provider's endpoint); else one whose base
        URL is not known here (several of them, `workload_identity=`, a `**` spread that
        cannot be read). A `**` spread
        of a dict the code spells out counts as its keywords (`call_arguments`)."""
        if any(arg.keyword is None and not arg.star for arg in args):
            return None
        arguments = call_arguments(call, scope, self.resolver)
        given = {
            name
            for name, keyword in arguments.keywords.items()
            if not is_none(keyword.value)  # `base_url=None`: kept
        }
        if not given <= COPY_KEYWORDS:
            return None
        retargets = given & RETARGETING_KEYWORDS if arguments.complete else None
        if retargets == set() and not given & IDENTIFYING_KEYWORDS:
            return base
        if retargets == set():
            client = self._inheriting(call, arguments, base, scope)
        elif retargets == {"base_url"}:
            client = build_client(call, base.class_name, scope, self.context)
            self._with_indexed_url(call, client)
        elif retargets is not None and self._one_target(retargets):
            # `client.with_options(data_residency="eu")`: that keyword sends it elsewhere.
            client = build_client(call, base.class_name, scope, self.context)
        else:
            client = Client(call, base.class_name, arguments, scope, BaseUrl(UrlKind.UNKNOWN))
            client.is_wandb = is_wandb_client(client, self.context.options)
        client.derived_from = base
        client.wrapper = base.wrapper
        self.clients_by_call[call] = client
        self.facts.clients.append(client)
        return client

    def _one_target(self, retargets: set[str]) -> bool:
        """Whether the one keyword of `copy` that changes the target is one that sends the
        client elsewhere in place of `base_url=` (`provider=`, `data_residency=`)."""
        targets = self.context.api.client_targets
        keywords = {target.keyword for target in targets if target.replaced_by == "base_url"}
        return len(retargets) == 1 and retargets <= keywords

    def _inheriting(
        self, call: cst.Call, arguments: CallArguments, base: Client, scope: Scope
    ) -> Client:
        """`base.with_options(api_key=...)`: a client that sends where `base` does (its URL
        is reported, if at all, where `base`'s is written), with the key, project and
        headers given here; W&B's when `base` is or when what is given here is a W&B
        signal (`base`'s signals are kept: one given here may replace the keyword that gave
        one, which only makes the copy count as W&B's where the client it is made from
        already does)."""
        client = Client(call, base.class_name, arguments, scope, base.base_url)
        own = wandb_signals(arguments, scope, self.context)
        client.signals = tuple(dict.fromkeys((*own, *base.signals)))
        client.is_wandb = base.is_wandb or is_wandb_client(client, self.context.options)
        return client

    def _binding_besides_none(
        self, name: str, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope] | None:
        owner = self.resolver.owner(name, scope)
        if owner is None or name in owner.imports:
            return None
        values = _besides_none(owner.bindings[name])
        return (values[0], owner) if len(values) == 1 and values[0] is not None else None

    def _self_attribute(
        self, node: cst.Attribute, owner: cst.ClassDef | None
    ) -> tuple[cst.BaseExpression, Scope] | None:
        """`self.client` -> the one expression besides `None` assigned to it in the class,
        and the scope of the method that assigns it (where its names are read: `def
        __init__(self, client): self.client = client` is the parameter, not a module's
        `client`)."""
        values = [
            (value, scope)
            for value, scope in self._self_values(node, owner)
            if not (type(value) is cst.Name and value.value == "None")
        ]
        return values[0] if len(values) == 1 else None

    def _self_values(
        self, node: cst.Attribute, owner: cst.ClassDef | None
    ) -> list[tuple[cst.BaseExpression, Scope]]:
        """Each expression assigned to `self.<attr>` in the class, with its method's scope."""
        is_self = type(node.value) is cst.Name and node.value.value == "self"
        if not is_self or owner is None:
            return []
        assigned = self.bindings.self_assignments.get(owner, {}).get(node.attr.value, [])
        return [(value, scope) for value, scope in assigned if value is not None]

    def _returned_client(
        self, call: cst.Call, scope: Scope, owner: cst.ClassDef | None, depth: int
    ) -> Client | None:
        """The client a call of a function or method of this module returns, if it returns
        one client on every path that returns a value."""
        function = self._function_called(call, scope, owner)
        if function is None:
            return None
        key = (function, owner)
        if key not in self.returned_clients:
            # Computed once per function (and class of `self`), however many calls reach it;
            # None while it is being computed, so a recursive function ends the walk.
            self.returned_clients[key] = None
            self.returned_clients[key] = self._function_client(function, owner, depth)
        return self.returned_clients[key]

    def _function_client(
        self, function: cst.FunctionDef, owner: cst.ClassDef | None, depth: int
    ) -> Client | None:
        inner = self.bindings.scopes.get(function)
        returned = returned_values(function)
        if inner is None or not returned:
            return None
        clients = [self._client_in(value, inner, owner, depth + 1) for value in returned]
        same = all(client is clients[0] for client in clients)
        return clients[0] if clients[0] is not None and same else None

    def _function_called(
        self, call: cst.Call, scope: Scope, owner: cst.ClassDef | None
    ) -> cst.FunctionDef | None:
        func = call.func
        if isinstance(func, cst.Name):
            found = self.resolver.owner(func.value, scope)
            bound = found.bindings.get(func.value, []) if found is not None else []
            if found is not None and len(bound) == 1:
                return found.functions.get(func.value)
            return None
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == "self"
            and owner is not None
        ):
            return _method(owner, func.attr.value)
        return None


@dataclass
class _Possible:
    """What `_possible_clients` found of one receiver."""

    clients: list[Client] = field(default_factory=list)
    all: bool = True
    """Whether the receiver is always one of `clients` (or `None`)."""
    seen: set[cst.BaseExpression] = field(default_factory=set)


def _besides_none(values: Sequence[cst.BaseExpression | None]) -> list[cst.BaseExpression | None]:
    return [
        value for value in values if not (isinstance(value, cst.Name) and value.value == "None")
    ]


def _method(owner: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    found = [
        statement
        for statement in owner.body.body
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name
    ]
    return found[0] if len(found) == 1 else None


def _is_chat_chain(chain: Chain) -> bool:
    """Whether `chain` spells a chat method of a client (`client.chat.completions.create`)."""
    return tuple(chain.path[:-1]) in CHAT_PATHS and chain.path[-1] in CHAT_METHODS


def analyze(
    module: cst.Module,
    api: ApiSpec,
    options: LintOptions,
    where: ModuleContext | None = None,
    bindings: Bindings | None = None,
) -> ModuleFacts:
    """`bindings`: the binding pass over `module` for `where`'s package, when the caller has
    it (`binding.bindings_of`); made here otherwise."""
    return _Analysis(module, api, options, where or ModuleContext(), bindings).run()
