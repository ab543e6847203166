"""Call sites of the libraries people reach W&B through, read as clients and requests.

`ChatOpenAI(model=..., base_url=..., temperature=...)`, `litellm.completion(...)`, CrewAI's
`LLM(...)`, the Agents SDK's `OpenAIChatCompletionsModel(...)` and the rest are rows of
`spec/libraries.toml`: which keyword carries the base URL, the model, the key, the headers,
the request fields. This module reads a call through its row into the facts the rules
already check: a :class:`Client` for what the call connects to (so WB1xx apply) and a
:class:`Request` for what it sends (so WB2xx-WB5xx apply), with a :class:`LibraryUse` that
lets the rules word findings in the library's terms. It also finds the library set-ups that
call endpoints W&B does not serve (WB601).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.clients import (
    ClientContext,
    call_arguments,
    is_wandb_client,
    resolve_url,
    wandb_signals,
)
from lint_wb.analysis.dicts import DictEntry, read_dict
from lint_wb.analysis.facts import (
    BaseUrl,
    CallArguments,
    Client,
    EndpointTrap,
    Keyword,
    LibraryUse,
    ModuleFacts,
    Request,
    UrlKind,
)
from lint_wb.analysis.partials import Partial, PartialReader, merged_arguments
from lint_wb.analysis.scopes import CallSite, Scope
from lint_wb.analysis.sdk_names import BASE_URL_VARIABLE
from lint_wb.analysis.values import UNKNOWN, Resolver
from lint_wb.records import dataclass
from lint_wb.spec.library_types import LibraryCallable, LibraryTable, ModelConvention, ModelRoute

ClientFinder = Callable[["cst.BaseExpression", Scope, "cst.ClassDef | None"], "Client | None"]
"""Finds the OpenAI client an expression is (the analysis' own receiver resolution); the
names are strings so that importing this module does not load libcst."""

MAX_DEPTH: Final = 8
EMBEDDINGS: Final = "embeddings"
CONNECTING_ROLES: Final = frozenset({"request", "client", EMBEDDINGS})
CHAT_COMPLETIONS_API: Final = "chat_completions"
CANONICAL: Final = (
    ("base_url", "base_url"),
    ("api_key", "api_key"),
    ("headers", "default_headers"),
    ("project", "project"),
)
"""Row attribute -> the OpenAI-client keyword the client rules read it under."""


@dataclass(frozen=True)
class ProjectHints:
    """What the rest of the project tells the library call sites of a module."""

    indexed_url: Callable[[cst.Call], BaseUrl | None] = lambda call: None
    """The base URL of a call, when only the project resolves it (`api_base=settings.URL`,
    a LiteLLM `wandb/` model written in another module)."""
    chat_api_default: bool = False
    """Some module of the project calls `set_default_openai_api("chat_completions")`."""
    indexed_client: Callable[[cst.Call], Client | None] = lambda call: None
    """The client a call goes through, when only the project knows it (the Agents SDK's
    default client, set in another module)."""
    indexed_route: Callable[[cst.Call], str | None] = lambda call: None
    """The provider prefix of a call's model (LiteLLM's `meta_llama/`), when only the
    project resolves the model (a constant of another module)."""
    names_verbatim: bool = False
    """Some module gives an Agents SDK RunConfig a `model_provider=`: the agents' model
    names may be resolved by it, which may send them as written."""


class LibrarySites:
    """The library call sites of one module, read through the table."""

    def __init__(
        self,
        table: LibraryTable,
        context: ClientContext,
        client_of: ClientFinder,
        project: ProjectHints | None = None,
    ) -> None:
        self.project = project or ProjectHints()
        self.table = table
        self.rows = table.by_name()
        self.context = context
        self.resolver = context.resolver
        self.client_of = client_of
        self.sites: dict[cst.Call, tuple[LibraryCallable, CallSite]] = {}
        self._arguments: dict[cst.Call, CallArguments] = {}
        self._clients: dict[cst.Call, Client | None] = {}
        self._requests: dict[cst.Call, Request | None] = {}
        self._wrapped: dict[cst.Call, Client | None] = {}
        self._active: set[cst.Call] = set()
        self.partials = PartialReader(self.resolver)
        self._through: dict[cst.Call, Partial] = {}
        """The calls made through a partial of a library callable (`partials.py`)."""

    # finding the call sites

    def find(self, calls: list[CallSite]) -> None:
        for site in calls:
            name = self.resolver.qualified_name(site.call.func, site.scope)
            row = self.rows.get(name) if name is not None else None
            if row is None and name is None:
                row = self._partial_row(site)
            if row is not None:
                self.sites[site.call] = (row, site)

    def _partial_row(self, site: CallSite) -> LibraryCallable | None:
        """The row of the callable a call through a partial calls (`partials.py`)."""
        found = self.partials.partial_of(site.call, site.scope)
        if found is None:
            return None
        name = self.resolver.qualified_name(found.func, found.scope)
        row = self.rows.get(name) if name is not None else None
        if row is not None:
            self._through[site.call] = found
        return row

    def row_of(self, call: cst.Call) -> LibraryCallable | None:
        found = self.sites.get(call)
        return None if found is None else found[0]

    def add_to(self, facts: ModuleFacts) -> None:
        """Put every library client and request of the module into `facts`."""
        for call, (row, _site) in self.sites.items():
            if _connects(row) and row.role != EMBEDDINGS:
                client = self.own_client(call)
                if client is not None and client.node is call:
                    facts.clients.append(client)
        for call, (row, _site) in self.sites.items():
            if row.role == "request":
                request = self.request(call)
                if request is not None:
                    facts.requests.append(request)
            elif row.role == "router":
                for client, deployment in self.deployments(call):
                    facts.clients.append(client)
                    facts.requests.append(deployment)
        facts.endpoint_traps.extend(self._traps())

    # arguments

    def arguments(self, call: cst.Call) -> CallArguments:
        """The call's keywords, positional arguments named by the row's `positional`."""
        if call not in self._arguments:
            row, site = self.sites[call]
            through = self._through.get(call)
            if through is not None:
                arguments = self._partial_arguments(row, call, site.scope, through)
            else:
                arguments = call_arguments(call, site.scope, self.resolver)
                positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
                for name, arg in zip(row.positional, positional):
                    keyword = Keyword(name, arg.value, arg=arg, call=call)
                    arguments.keywords.setdefault(name, keyword)
                if len(positional) > len(row.positional) or any(a.star == "*" for a in call.args):
                    arguments.complete = False
            self._arguments[call] = arguments
        return self._arguments[call]

    def _partial_arguments(
        self, row: LibraryCallable, call: cst.Call, scope: Scope, through: Partial
    ) -> CallArguments:
        """The arguments of a call through a partial (`partials.merged_arguments`), the
        positional ones named by the row's `positional` (none of them the call's own
        argument: a finding about one points at its value)."""
        arguments, positional = merged_arguments(call, scope, through, self.resolver)
        for name, value in zip(row.positional, positional):
            arguments.keywords.setdefault(name, Keyword(name, value))
        if len(positional) > len(row.positional):
            arguments.complete = False
        return arguments

    # clients

    def own_client(self, call: cst.Call) -> Client | None:
        """The client-like a call that names its own connection builds (base URL, key...)."""
        if call in self._clients:
            return self._clients[call]
        row, site = self.sites[call]
        self._clients[call] = None
        if not _connects(row):
            return None
        arguments = self.arguments(call)
        given = _first(arguments, row.client)
        if given is not None:  # OpenAIProvider(openai_client=client): that client's target
            inner = self.client_in(given.value, site.scope, site.owner_class, depth=1)
            self._clients[call] = inner
            return inner
        client = self._make_client(row, call, arguments, site.scope)
        self._clients[call] = client
        return client

    def _make_client(
        self, row: LibraryCallable, node: cst.Call, arguments: CallArguments, scope: Scope
    ) -> Client:
        canonical = CallArguments(dict(arguments.keywords), arguments.complete)
        for attribute, name in CANONICAL:
            keyword = _first(arguments, getattr(row, attribute))
            if keyword is not None:
                canonical.keywords[name] = keyword
        keyword = canonical.get("base_url")
        model = self._model_text(row, arguments, scope)
        convention = self.table.convention(row)
        if model is None and convention.openai_provider and _first(arguments, row.model):
            model = self.project.indexed_route(node) or None  # a model of another module
        named_by, named = named_provider(self.resolver, convention, arguments, scope)
        given = named_by is not None and convention.bare_by_base_url
        # `custom_llm_provider="openai"`: LiteLLM routes `gpt-4o` as `openai/gpt-4o` (and
        # `groq` as `groq/gpt-4o`, Groq's). A value not known here, or no provider LiteLLM
        # knows, leaves the route unsure: the model is read as written, as it was before.
        sure = given and convention.names_provider(named)
        if model is None and keyword is None and convention.routes and not sure:
            model = self._indexed_to_openai(node, convention)
        routed = convention.as_routed(model or "", named, sure)
        route = convention.route(routed) if routed else None
        bare = model is not None and not given and convention.bare(model)
        if sure and route is None:
            model = None  # another provider's, named outright: nothing below judges it
        picked = self._provider(convention, model, arguments, scope)
        to_openai = bare or (picked is not None and picked == convention.openai_provider)
        base_url = self._base_url(row, keyword, route, scope, arguments, to_openai)
        local = convention.other_api(routed) if routed and keyword is None else None
        if local is not None and local.local:
            base_url = BaseUrl(UrlKind.LOCAL)  # LiteLLM's `ollama/`: the local Ollama server
        unposted = named if sure else None
        if named_by is None and model is not None and route is None:
            unposted = convention.unposted_prefix(model)  # `vllm/<id>`: read as the keyword
        if keyword is None and unposted in convention.unposted:
            base_url = BaseUrl(UrlKind.LOCAL)  # `custom_llm_provider="vllm"`: runs in-process
        base_url_value = keyword.value if keyword is not None else None
        if base_url.kind is UrlKind.UNKNOWN and self._reads_env_url(row, node, arguments):
            # `os.environ["OPENAI_BASE_URL"] = ...` written before, where the call would
            # otherwise go to OpenAI's URL: it reads that value instead.
            fallback = self._base_url(row, keyword, route, scope, arguments, to_openai, True)
            setting = self.context.env_base_url
            if fallback.kind is UrlKind.MISSING and setting is not None:
                base_url_value = setting.value
                base_url = resolve_url(setting.value, self.resolver.bindings.module, self.context)
        indexed = self.project.indexed_url(node) if base_url.kind is UrlKind.UNKNOWN else None
        if (
            indexed is not None
            and indexed.kind is UrlKind.MISSING
            and self._names_base_url_variable(row)
        ):
            indexed = None  # the project reads OPENAI_BASE_URL only
        if indexed is not None:
            # A wrong URL is reported where it is written (`facts.value_uses`), not here.
            base_url, base_url_value = indexed, None
        client = Client(
            node,
            row.label,
            canonical,
            scope,
            base_url,
            base_url_value,
            base_url_keyword=row.base_url[0] if row.base_url else "base_url",
            library=row,
        )
        if convention.verbatim:
            client.signals = wandb_signals(canonical, scope, self.context)
        client.is_wandb = is_wandb_client(client, self.context.options)
        implied = indexed is not None and indexed.kind is UrlKind.WANDB and indexed.text is None
        # LiteLLM's `wandb/` (here, or in the model of another module: its URL is implied).
        client.reads_wandb_key = (route is not None and route.wandb) or implied
        if bare and base_url.kind is UrlKind.MISSING:
            client.bare_model = model or ""
        if picked == "" and model is not None and convention.unplaced(model):
            client.unplaced_model = model  # init_chat_model raises: WB108 names the provider
            if keyword is None:  # and OpenAI's client would then go to api.openai.com?
                unset = self._base_url(row, keyword, route, scope, arguments, True)
                client.unplaced_url_missing = unset.kind is UrlKind.MISSING
        client.runs_in_process = unposted in convention.unposted
        if sure and route is None and keyword is None:
            client.other_provider = named  # `custom_llm_provider="groq"`: Groq's, with its key
        elif given and not sure and keyword is None:
            client.provider_unknown = True  # the key LiteLLM reads, and where to, is not known
        elif keyword is None and picked is not None and not to_openai:
            client.other_provider = picked
        elif convention.openai_provider and picked is None and keyword is None and not indexed:
            # init_chat_model(model_provider=VARIABLE) or a model not known here: the class it
            # makes, hence the key it reads and where it sends it, is not known either.
            client.provider_unknown = True
        own_api = keyword is None and indexed is None
        if sure:
            # The provider keyword, not the model's prefix, says where the call goes: given
            # W&B's URL, `custom_llm_provider="anthropic"` calls Anthropic's API there.
            unmapped = convention.unmapped
            provider = convention.other_api(routed)
            at_wandb = base_url.kind is UrlKind.WANDB and base_url.text is not None
            if route is None and at_wandb and provider is not None and not provider.to_api_base:
                client.other_api = provider
            unsent = (*convention.unmapped, *convention.unposted)
            if route is None and at_wandb and named in unsent:
                # `openai_like`: LiteLLM raises; `vllm`: it runs the local vllm package
                client.unmapped_provider = str(named)
            elif route is None and keyword is None and named in unmapped:
                client.unmapped_provider = str(named)  # it raises given no URL too
            if route is None and at_wandb and named in convention.misposted:
                client.misposted_provider = str(named)  # `heroku`: posts to another path
        elif model is not None and route is None and (own_api or base_url.kind is UrlKind.FOREIGN):
            # LiteLLM sends `meta_llama/...` to Meta's own API (or to the provider's URL given).
            client.routed_to = convention.sent_elsewhere(model)
        elif model is not None and route is None and base_url.kind is UrlKind.WANDB:
            provider = convention.other_api(model)
            if base_url.text is not None and provider is not None and not provider.to_api_base:
                client.other_api = provider  # `anthropic/...`, `ollama/...` given W&B's URL
            head, slash, _ = model.partition("/")
            if base_url.text is not None and slash and named_by is None:
                # `openai_like/<id>`, `heroku/<id>`: read as the keyword naming it is, above
                if head in convention.unmapped or head == unposted:
                    client.unmapped_provider, client.provider_prefixed = head, True
                elif head in convention.misposted:
                    client.misposted_provider, client.provider_prefixed = head, True
        elif model is None and convention.elsewhere:
            # What is written of the model (`f"together_ai/{name}"`), else a model of another
            # module: its prefix alone tells where LiteLLM sends it.
            prefix = self._model_head(row, arguments, scope)
            if prefix is None and own_api:
                prefix = self.project.indexed_route(node)
            if prefix is not None and (own_api or base_url.kind is UrlKind.FOREIGN):
                client.routed_to = convention.sent_elsewhere(prefix)
            given = _first(arguments, row.model) is not None
            client.provider_unknown |= prefix is None and own_api and given
        if picked and keyword is not None:
            _built_class(client, convention, picked)
        if named_by is None and keyword is None and client.other_provider is None:
            _prefix_provider(client, convention, model)
        if client.other_provider and keyword is None and convention.bare_by_base_url:
            # `litellm.api_base = ...` in this module: LiteLLM sends some of these providers'
            # requests there (`hosted_vllm`, `lm_studio`), others to their own URL (`baseten`).
            client.url_setting = self._sets_base_url(convention.base_url_settings)
        return client

    def _base_url(
        self,
        row: LibraryCallable,
        keyword: Keyword | None,
        route: ModelRoute | None,
        scope: Scope,
        arguments: CallArguments,
        to_openai_url: bool,
        variable_set: bool = False,
    ) -> BaseUrl:
        """`variable_set`: the module sets `OPENAI_BASE_URL` where the call reads it
        (`_reads_env_url`): naming it does not make the URL unknown."""
        if keyword is not None:
            return resolve_url(keyword.value, scope, self.context)
        if self._served_locally(row, arguments, scope):
            return BaseUrl(UrlKind.LOCAL)  # DSPy's `provider=LocalProvider()`
        if route is not None and route.wandb:
            return BaseUrl(UrlKind.WANDB, None)  # LiteLLM's `wandb/`: the URL is implied
        convention = self.table.convention(row)
        # Without a base URL a routed model goes where its provider is; a verbatim library,
        # and LiteLLM's `openai/`, fall back to OpenAI's URL, which is WB102's business, as
        # does a bare model (`gpt-4o-mini`: OpenAI's URL; a name LiteLLM does not know raises),
        # and a model init_chat_model gives OpenAI's client (`to_openai_url`).
        # A provider object of its own (DSPy's `provider=`) may serve the model anywhere.
        own_server = _first(arguments, row.served_by) is not None
        to_openai = convention.verbatim or (
            ((route is not None and route.openai_default) or to_openai_url) and not own_server
        )
        certain = (
            arguments.complete
            and to_openai
            and (variable_set or not self.resolver.bindings.names_base_url_variable)
            and (variable_set or not self._names_base_url_variable(row))
            and not self._sets_base_url(convention.base_url_settings)
        )
        return BaseUrl(UrlKind.MISSING if certain else UrlKind.UNKNOWN)

    def _reads_env_url(
        self, row: LibraryCallable, node: cst.Call, arguments: CallArguments
    ) -> bool:
        """Whether a call given no base URL reads the module's `OPENAI_BASE_URL` setting
        (`env_setting.py`): it runs after it, the library's data says it reads the variable
        (ChatOpenAI through the SDK's client, LiteLLM's `openai/`), and the module names no
        other variable it reads (their order differs by library)."""
        setting = self.context.env_base_url
        if setting is None or not setting.reaches(node, arguments):
            return False
        convention = self.table.convention(row)
        variables = {*convention.base_url_variables, *row.base_url_variables}
        named = self.resolver.bindings.base_url_variables
        return BASE_URL_VARIABLE in variables and named == {BASE_URL_VARIABLE}

    def _indexed_to_openai(self, node: cst.Call, convention: ModelConvention) -> str | None:
        """What the project tells of a model that goes to OpenAI's URL given no base URL (its
        `openai/` prefix, or the bare model), when only the project resolves it."""
        told = self.project.indexed_route(node)
        if not told:
            return None
        route = convention.route(told)
        to_openai = route is not None and route.openai_default
        return told if to_openai or convention.bare(told) else None

    def _provider(
        self, convention: ModelConvention, model: str | None, arguments: CallArguments, scope: Scope
    ) -> str | None:
        """The provider a library that picks one sends the call to (`ModelConvention.provider`:
        init_chat_model's `model_provider=`, else its model's), None when not known here."""
        if not convention.openai_provider:
            return None
        keyword, named = named_provider(self.resolver, convention, arguments, scope)
        if (keyword is None and not arguments.complete) or (
            keyword is not None and not keyword.certain
        ):
            return None  # a `**spread` may name the provider, or replace the one named
        return convention.provider(model, named, keyword is not None)

    def _names_base_url_variable(self, row: LibraryCallable) -> bool:
        """Whether the module names a variable the library reads its base URL from (LiteLLM's
        OPENAI_API_BASE, LangChain's): it may set it."""
        variables = {*self.table.convention(row).base_url_variables, *row.base_url_variables}
        return bool(self.resolver.bindings.base_url_variables & variables)

    def _sets_base_url(self, settings: tuple[str, ...]) -> bool:
        """Whether the module assigns a process-wide base URL setting (`litellm.api_base`)."""
        if not settings:
            return False
        for target, _value, scope in self.resolver.bindings.attribute_assignments:
            head, _, attribute = target.rpartition(".")
            qualified = self.resolver.qualify(head, scope) if head else None
            if qualified is not None and f"{qualified}.{attribute}" in settings:
                return True
        return False

    def _served_locally(self, row: LibraryCallable, arguments: CallArguments, scope: Scope) -> bool:
        """Whether the call is given an object of `row.local_servers` to serve its model."""
        keyword = _first(arguments, row.served_by) if row.local_servers else None
        if keyword is None:
            return False
        server, where = self.resolver.resolve_scoped(keyword.value, scope)
        if type(server) is not cst.Call:  # not `isinstance`: libcst's classes are ABCs
            return False
        return self.resolver.qualified_name(server.func, where) in row.local_servers

    def _model_text(
        self, row: LibraryCallable, arguments: CallArguments, scope: Scope
    ) -> str | None:
        """The model string a call names, when this module resolves it."""
        keyword = _first(arguments, row.model)
        if keyword is None:
            return None
        value = self.resolver.evaluate(keyword.value, scope)
        return value if isinstance(value, str) else None

    def _model_head(
        self, row: LibraryCallable, arguments: CallArguments, scope: Scope
    ) -> str | None:
        keyword = _first(arguments, row.model)
        return None if keyword is None else written_head(self.resolver, keyword.value, scope)

    def client_in(
        self, node: cst.BaseExpression, scope: Scope, owner: cst.ClassDef | None, depth: int = 0
    ) -> Client | None:
        """The client an expression passed as a client, provider or model object stands for."""
        if depth > MAX_DEPTH:
            return None
        resolved = self.resolver.resolve(node, scope)
        row = self.row_of(resolved) if isinstance(resolved, cst.Call) else None
        if isinstance(resolved, cst.Call) and row is not None and row.role != "openai-client":
            return self._client_of_site(resolved, depth)
        return self.client_of(node, scope, owner)

    def _client_of_site(self, call: cst.Call, depth: int) -> Client | None:
        row, _site = self.sites[call]
        if _connects(row):
            return self.own_client(call)
        if row.role in ("request", "responses-model"):
            return self._target(call, depth + 1)
        if row.role == "wrapper":
            return self.wrapped(call)
        return None

    def wrapped(self, call: cst.Call) -> Client | None:
        """The client `instructor.from_openai(client)` / `wrap_openai(client)` returns: the one
        it is given, marked as used through the wrapper."""
        if call not in self.sites:
            return None
        if call in self._wrapped:
            return self._wrapped[call]
        self._wrapped[call] = None
        row, site = self.sites[call]
        if row.role != "wrapper":
            return None
        keyword = _first(self.arguments(call), row.client)
        inner = None
        if keyword is not None:
            inner = self.client_in(keyword.value, site.scope, site.owner_class, depth=1)
        wrapped = None if inner is None else replace(inner, wrapper=row)
        self._wrapped[call] = wrapped
        return wrapped

    def _target(self, call: cst.Call, depth: int = 0) -> Client | None:
        """Where a request-like call sends its requests: its own connection, the client (or
        provider, or model object) it is given, the Agents SDK's default client."""
        row, site = self.sites[call]
        if _connects(row):
            return self.own_client(call)
        if call in self._active:
            return None
        self._active.add(call)
        try:
            for name in row.client:
                keyword = self.arguments(call).get(name)
                if keyword is None:
                    continue
                value = self.resolver.evaluate(keyword.value, site.scope)
                if isinstance(value, str) and name in row.model:
                    break  # a model name, not a model object: the default client's
                found = self.client_in(keyword.value, site.scope, site.owner_class, depth)
                # A provider or client from another module: the project knows it.
                return found if found is not None else self.project.indexed_client(call)
            if _first(self.arguments(call), row.served_by) is not None:
                return None  # RunConfig(model_provider=P): P resolves the run's model names
            return self._default_client(row, site)
        finally:
            self._active.discard(call)

    def _default_client(self, row: LibraryCallable, site: CallSite) -> Client | None:
        """The client a library uses when it is given none: the Agents SDK's default client
        (`set_default_openai_client`), or under assume-wandb one meant for W&B."""
        for call, (other, _other_site) in self.sites.items():
            if other.role == "default-client" and other.library == row.library:
                return self._target_of_setter(call)
        indexed = self.project.indexed_client(site.call)
        if indexed is not None:
            return indexed
        if not self.context.options.assume_wandb:
            return None
        client = Client(None, row.label, CallArguments(), site.scope, BaseUrl(UrlKind.UNKNOWN))
        client.library = row
        client.is_wandb = True
        return client

    def _target_of_setter(self, call: cst.Call) -> Client | None:
        row, site = self.sites[call]
        keyword = _first(self.arguments(call), row.client)
        if keyword is None:
            return None
        return self.client_in(keyword.value, site.scope, site.owner_class, depth=1)

    # requests

    def request(self, call: cst.Call) -> Request | None:
        """The request a call site configures, when where it goes is known."""
        if call in self._requests:
            return self._requests[call]
        self._requests[call] = None
        site = self.sites[call][1]
        client = self._target(call)
        if client is None:
            return None
        fields, use = self._fields(call)
        request = Request(call, "create", _name_of(call), client, fields, site.scope, use)
        self._requests[call] = request
        return request

    def _fields(self, call: cst.Call) -> tuple[CallArguments, LibraryUse]:
        row, site = self.sites[call]
        return self._make_fields(row, self.arguments(call), site.scope)

    def _make_fields(
        self, row: LibraryCallable, arguments: CallArguments, scope: Scope
    ) -> tuple[CallArguments, LibraryUse]:
        """The request fields a call's keywords stand for, under their request names."""
        fields = CallArguments(complete=arguments.complete)
        model = _first(arguments, row.model)
        if model is not None:
            fields.keywords["model"] = _renamed(model, "model")
        self._copy_fields(row, arguments, fields)
        sdk_keywords: set[str] = set()
        for name in row.sdk_keywords:
            keyword = arguments.get(name)
            if keyword is not None:
                sdk_keywords |= self._spread_dict(keyword, scope, fields)
        rejected: list[Keyword] = []
        rejected_by = ""
        for name in row.settings:
            keyword = arguments.get(name)
            if keyword is not None:
                more, rejected_by = self._settings(row, keyword, scope, fields)
                rejected.extend(more)
        use = LibraryUse(
            row, self._convention(row), frozenset(sdk_keywords), tuple(rejected), rejected_by
        )
        return fields, use

    def _convention(self, row: LibraryCallable) -> ModelConvention:
        """The row's model convention; the Agents SDK's names read as written when some
        RunConfig is given a `model_provider=` (here or elsewhere in the project), which then
        resolves them (an OpenAIProvider or a provider of the user's own sends them so)."""
        convention = self.table.convention(row)
        if convention.unknown_prefix_raises and self._names_verbatim():
            return self.table.conventions["verbatim"]
        return convention

    def _names_verbatim(self) -> bool:
        if self.project.names_verbatim:
            return True
        return any(
            self.table.convention(row).unknown_prefix_raises
            and _first(self.arguments(call), row.served_by) is not None
            for call, (row, _site) in self.sites.items()
        )

    # LiteLLM's Router: each deployment of its model list is a completion call

    def deployments(self, call: cst.Call) -> Iterator[tuple[Client, Request]]:
        """`Router(model_list=[{"litellm_params": {...}}])`: each `litellm_params` dict is
        read as the keywords of the row it names (`litellm.completion`)."""
        row, site = self.sites[call]
        target = self.rows.get(row.deployment_of)
        model_list = self.arguments(call).get(row.deployments)
        if target is None or model_list is None:
            return
        for deployment in self.resolver.list_elements(model_list.value, site.scope) or []:
            params = self._entry(deployment, row.deployment_params, site.scope)
            if params is None:
                continue
            arguments = CallArguments()
            for key, entry in self._dict_entries(params, site.scope):
                arguments.keywords[key] = _entry_keyword(key, entry)
            client = self._make_client(target, call, arguments, site.scope)
            client.deployment = True
            fields, use = self._make_fields(target, arguments, site.scope)
            yield client, Request(call, "create", _name_of(call), client, fields, site.scope, use)

    def _entry(self, node: cst.BaseExpression, key: str, scope: Scope) -> cst.BaseExpression | None:
        reading = read_dict(node, scope, self.resolver)
        entry = None if reading is None else reading.get(key)
        return None if entry is None else entry.value

    @staticmethod
    def _copy_fields(row: LibraryCallable, arguments: CallArguments, fields: CallArguments) -> None:
        for name in row.messages:
            keyword = arguments.get(name)
            if keyword is not None:
                fields.keywords["messages"] = _renamed(keyword, "messages")
        for name in row.extra_body:
            keyword = arguments.get(name)
            if keyword is not None:
                fields.keywords["extra_body"] = _renamed(keyword, "extra_body")
        for name, request_field in row.fields.items():
            keyword = arguments.get(name)
            if keyword is not None:
                fields.keywords[request_field] = _renamed(keyword, request_field)

    def _spread_dict(self, keyword: Keyword, scope: Scope, fields: CallArguments) -> set[str]:
        """The entries of a dict literal that become request fields (`model_kwargs={...}`)."""
        names: set[str] = set()
        for key, entry in self._dict_entries(keyword.value, scope):
            fields.keywords[key] = _entry_keyword(key, entry)
            names.add(key)
        return names

    def _dict_entries(
        self, node: cst.BaseExpression, scope: Scope
    ) -> Iterator[tuple[str, DictEntry]]:
        """The string-keyed entries of the dict literal `node` stands for."""
        reading = read_dict(node, scope, self.resolver)
        if reading is not None:
            yield from reading.string_keys()

    def _settings(
        self, row: LibraryCallable, keyword: Keyword, scope: Scope, fields: CallArguments
    ) -> tuple[list[Keyword], str]:
        """Request fields from a settings value: a dict literal read with the library's
        settings row, or a call of a settings row (`ModelSettings(temperature=...)`)."""
        resolved = self.resolver.resolve(keyword.value, scope)
        if isinstance(resolved, cst.Call) and resolved in self.sites:
            settings_row, _site = self.sites[resolved]
            if settings_row.role != "settings":
                return [], ""
            arguments = self.arguments(resolved)
            self._copy_fields(settings_row, arguments, fields)
            for name in settings_row.headers:
                given = arguments.get(name)
                if given is not None:
                    fields.keywords["extra_headers"] = _renamed(given, "extra_headers")
            if not settings_row.closed:
                return [], ""
            taken = settings_row.keywords()
            rejected = [kw for name, kw in arguments.keywords.items() if name not in taken]
            return rejected, settings_row.label
        dict_row = self._settings_row(row)
        if dict_row is not None:
            for key, entry in self._dict_entries(keyword.value, scope):
                target = dict_row.fields.get(key)
                if key in dict_row.headers:
                    target = "extra_headers"
                if key in dict_row.extra_body:
                    target = "extra_body"
                if target is not None:
                    fields.keywords[target] = _entry_keyword(target, entry)
        return [], ""

    def _settings_row(self, row: LibraryCallable) -> LibraryCallable | None:
        for candidate in self.table.callables:
            if candidate.role == "settings" and candidate.library == row.library:
                return candidate
        return None

    # endpoint traps (WB601)

    def _traps(self) -> Iterator[EndpointTrap]:
        chat_api_set = self.project.chat_api_default or any(
            self._sets_chat_api(call) for call in self.sites
        )
        for call, (row, _site) in self.sites.items():
            if row.role == "responses-model":
                yield from self._responses_model(call, row)
            elif row.role == "default-client" and not chat_api_set:
                client = self._target_of_setter(call)
                if client is not None and client.is_wandb:
                    yield EndpointTrap(call.func, _default_client_message(row), client)
            elif row.role == "request":
                yield from self._responses_switch(call, row)
                yield from self._completion_model(call, row)
            elif row.role == EMBEDDINGS:
                yield from self._embeddings(call, row)

    def _embeddings(self, call: cst.Call, row: LibraryCallable) -> Iterator[EndpointTrap]:
        """LangChain's OpenAIEmbeddings, LiteLLM's `embedding` given W&B's URL (or LiteLLM's
        `wandb/` model): the embeddings endpoint, which W&B does not serve. Only a URL that
        is W&B's for certain: under assume-wandb, embeddings given no URL go to OpenAI's, as
        RAG code often means them to."""
        client = self.own_client(call)
        if client is None or client.base_url.kind is not UrlKind.WANDB:
            return
        message = (
            f"{row.library}'s {row.label} pointed at W&B Inference calls the embeddings endpoint "
            "(/v1/embeddings), which W&B Inference does not serve: every request fails with "
            "404. Use a provider that serves embeddings for them"
        )
        yield EndpointTrap(call.func, message, client)

    def _responses_keyword(
        self, call: cst.Call, row: LibraryCallable, client: Client
    ) -> Iterator[EndpointTrap]:
        """LangChain's `reasoning=`, `output_version="responses/v1"` ...: given no
        `responses_flag`, they switch the library to the Responses API."""
        arguments = self.arguments(call)
        if not arguments.complete:
            return  # a `**spread` may pass the flag (False)
        scope = self.sites[call][1].scope
        for name in (*row.responses_keywords, *row.responses_values):
            keyword = arguments.get(name)
            if keyword is None:
                continue
            value = self.resolver.evaluate(keyword.value, scope)
            wanted = row.responses_values.get(name)
            if wanted is None and not _switches_on(value, keyword.value):
                continue
            if wanted is not None and value != wanted:
                continue
            written = name if wanted is None else f"{name}={wanted!r}"
            # Given the flag False, LangChain passes the other keywords on to the Chat
            # Completions call, which takes none of them (TypeError): only a value's switch
            # (`output_version`) may be turned off that way.
            instead = f", or pass {row.responses_flag}=False" if wanted is not None else ""
            message = (
                f"{row.library}'s {row.label} given {written} calls the Responses API "
                "(/v1/responses) when it is not given "
                f"{row.responses_flag}=False, and W&B Inference does not serve it: every "
                f"request fails with 404. Remove {name}{instead}"
            )
            yield EndpointTrap(keyword.node, message, client)
            return

    def _sets_chat_api(self, call: cst.Call) -> bool:
        row, site = self.sites[call]
        if row.role != "default-api":
            return False
        keyword = _first(self.arguments(call), row.positional)
        value = None if keyword is None else self.resolver.evaluate(keyword.value, site.scope)
        return value == CHAT_COMPLETIONS_API

    def _responses_model(self, call: cst.Call, row: LibraryCallable) -> Iterator[EndpointTrap]:
        client = self._target(call)
        if client is not None and client.is_wandb:
            message = (
                f"{row.library}'s {row.label} calls the Responses API (/v1/responses), which "
                "W&B Inference does not serve: every request fails with 404. Use "
                "OpenAIChatCompletionsModel(model=..., openai_client=...)"
            )
            yield EndpointTrap(call.func, message, client)

    def _completion_model(self, call: cst.Call, row: LibraryCallable) -> Iterator[EndpointTrap]:
        """LlamaIndex's OpenAILike calls the legacy completions endpoint unless it is told the
        model is a chat model."""
        if not row.chat_flag:
            return
        client = self.own_client(call)
        arguments = self.arguments(call)
        flag = arguments.get(row.chat_flag)
        if client is None or not client.is_wandb or not arguments.complete:
            return
        if flag is not None and self.resolver.evaluate(flag.value, client.scope) is not False:
            return
        message = (
            f"{row.library}'s {row.label} without {row.chat_flag}=True calls the completions "
            "endpoint (/v1/completions), which W&B Inference does not serve: every request "
            f"fails with 404. Pass {row.chat_flag}=True"
        )
        yield EndpointTrap(call.func, message, client)

    def _responses_switch(self, call: cst.Call, row: LibraryCallable) -> Iterator[EndpointTrap]:
        """LangChain's `use_responses_api=True`, DSPy's `model_type="responses"`: the
        Responses API, which W&B does not serve."""
        flag = self.arguments(call).get(row.responses_flag) if row.responses_flag else None
        client = self._target(call)
        if client is None or not client.is_wandb:
            return
        if flag is None:
            yield from self._responses_keyword(call, row, client)
            return
        switch = row.responses_switch()
        value = self.resolver.evaluate(flag.value, self.sites[call][1].scope)
        if type(value) is not type(switch) or value != switch:
            return
        setting = f"{row.responses_flag}={switch!r}"
        message = (
            f"{row.library}'s {row.label} with {setting} calls the Responses API "
            "(/v1/responses), which W&B Inference does not serve: every request fails with "
            f"404. Remove {setting}"
        )
        yield EndpointTrap(flag.node, message, client)


def _switches_on(value: object, node: cst.BaseExpression) -> bool:
    """Whether a keyword of `responses_keywords` is given a value that is neither None nor
    False: a known one, or a literal whose value is not read here (`{"effort": "low"}`)."""
    if value is UNKNOWN:
        # Expressions that are never None or False whatever the evaluator makes of them; named
        # here, not in a module constant, since reading `cst.X` imports libcst (see `_cst`).
        never_off = (
            cst.Dict, cst.List, cst.Tuple, cst.Set, cst.SimpleString, cst.ConcatenatedString,
            cst.FormattedString, cst.Integer, cst.Float,
        )  # fmt: skip
        return isinstance(node, never_off)
    return value is not None and value is not False


def _default_client_message(row: LibraryCallable) -> str:
    return (
        f"{row.library}: a W&B client set as the default client is called through the "
        "Responses API (the SDK's default), which W&B Inference does not serve: every request "
        'fails with 404. Also call set_default_openai_api("chat_completions")'
    )


def _connects(row: LibraryCallable) -> bool:
    """Whether the row names its own connection (a base URL, a key or headers)."""
    return row.role in CONNECTING_ROLES and bool(row.base_url or row.api_key)


def named_provider(
    resolver: Resolver, convention: ModelConvention, arguments: CallArguments, scope: Scope
) -> tuple[Keyword | None, str | None]:
    """The keyword a call names its provider with (LiteLLM's `custom_llm_provider=`,
    init_chat_model's `model_provider=`), and the string it names (None: not known here).
    The project reads the same keyword in `project/library_uses.py`."""
    given = (arguments.keywords.get(name) for name in convention.provider_keywords)
    keyword = next((found for found in given if found is not None), None)
    value = None if keyword is None else resolver.evaluate(keyword.value, scope)
    if value is None:
        return None, None  # `custom_llm_provider=None` names none: as if not given
    return keyword, value if isinstance(value, str) else None


def _first(arguments: CallArguments, names: tuple[str, ...]) -> Keyword | None:
    for name in names:
        keyword = arguments.get(name)
        if keyword is not None:
            return keyword
    return None


def _renamed(keyword: Keyword, name: str) -> Keyword:
    if keyword.name == name:
        return keyword
    return Keyword(
        name,
        keyword.value,
        arg=keyword.arg,
        element=keyword.element,
        certain=keyword.certain,
        call=keyword.call,
    )


def _entry_keyword(name: str, entry: DictEntry) -> Keyword:
    """A dict entry read as the keyword it becomes (`model_kwargs={"top_k": 40}`)."""
    element = entry.node if isinstance(entry.node, cst.DictElement) else None
    return Keyword(name, entry.value, element=element, certain=entry.certain)


def _name_of(call: cst.Call) -> cst.Name:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr
    assert isinstance(func, cst.Name)
    return func


def written_head(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> str | None:
    """The text a string that this module cannot read whole starts with, when it is written
    here: an f-string's text before its first `{...}`, the left string of a `+` (enough of a
    LiteLLM model to tell where its prefix sends it)."""
    node = resolver.resolve(node, scope)
    for _ in range(MAX_DEPTH):
        if isinstance(node, cst.FormattedString):
            head = ""
            for part in node.parts:
                if not isinstance(part, cst.FormattedStringText):
                    break
                head += part.value
            return head or None
        if not (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)):
            return None
        left = resolver.evaluate(node.left, scope)
        if isinstance(left, str):
            return left
        node = node.left
    return None


def _prefix_provider(client: Client, convention: ModelConvention, model: str | None) -> None:
    """A LiteLLM call given no base URL whose model's prefix names a provider that posts it,
    less the prefix, to that provider's own URL (`hosted_vllm/<id>`): LiteLLM reads the prefix
    as it reads `custom_llm_provider="hosted_vllm"`, so the call goes there, with that
    provider's key (`Client.other_provider`), not to OpenAI's URL with OPENAI_API_KEY."""
    if model is None or client.base_url.kind not in (UrlKind.MISSING, UrlKind.UNKNOWN):
        return  # a URL the project gives it (W&B's: judged as `custom_llm_provider=` is)
    posted = convention.posted_prefix(model) or convention.misposted_prefix(model)
    if posted is not None:
        client.other_provider, client.provider_prefixed = posted, True


def _built_class(client: Client, convention: ModelConvention, picked: str) -> None:
    """init_chat_model given a base URL builds `picked`'s own class: the key it reads is
    WB107's; one that posts no chat request W&B serves there (ChatAnthropic) is WB108's."""
    found = convention.provider_class(picked)
    client.provider_class = found
    at_wandb = client.base_url.kind is UrlKind.WANDB and client.base_url.text is not None
    if found is not None and at_wandb and not found.to_api_base:
        client.other_api = found
