"""Library call sites across the project: what `LLM(model=MODEL, api_base=settings.URL)`
sends when its values are written in other modules.

A library call (a row of `spec/libraries.toml`: CrewAI's `LLM`, LiteLLM's `completion`,
LangChain's `ChatOpenAI` ...) is read as `uses.py` reads an OpenAI SDK request: where it
connects (its base URL keyword, LiteLLM's `wandb/` model prefix, the OpenAI client it is
given), and, when that is W&B, which literals of the project its model and request-field
keywords may take. Those are recorded where they are written, with the prefix the library
strips from a model (`openai/`), so that the literal's own module reports it in the
library's terms. The Agents SDK's `set_default_openai_api("chat_completions")` is a
setting of the whole process: every module that sets a default client is told when some
module of the project calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from lint_wb.analysis.clients import classify_url, wandb_target
from lint_wb.analysis.facts import ROUTED_MODEL, ROUTED_MODEL_KEYED, BaseUrl, UrlKind
from lint_wb.project import summary as s
from lint_wb.project.resolve import (
    UNKNOWN,
    ClientValue,
    DerivedClientValue,
    DictValue,
    External,
    ItemsValue,
    LibraryCallValue,
    LitValue,
    Values,
    may_be_any,
)
from lint_wb.project.told import RemoteClient
from lint_wb.records import dataclass
from lint_wb.spec.library_types import (
    LibraryCallable,
    LibraryTable,
    ModelConvention,
    ProviderRoute,
)

if TYPE_CHECKING:
    from lint_wb.project.uses import ModuleSetup, ProjectUses

CHAT_COMPLETIONS_API: Final = "chat_completions"
Named = tuple[bool, str | None]
"""Whether a call is given a keyword that names its provider, and the string it names."""
SENDING_ROLES: Final = frozenset({"request", "client"})
EMBEDDINGS: Final = "embeddings"
"""LangChain's `OpenAIEmbeddings`, LiteLLM's `embedding`: where they connect is told to the
call's module (its WB601 judges a W&B URL); they send no chat request."""


@dataclass(frozen=True)
class Arg:
    """An argument of a library call, as the module it is read in sees it."""

    module: str
    expr: s.Expr
    in_call: bool = True
    """Written in the call, or in a dict of the call's own module (`**CONFIG`): the call's
    module reads its literals itself."""


Arguments = dict[str, Arg]


class LibraryUses:
    """The library call sites of the project's summaries, read through the table."""

    def __init__(self, uses: ProjectUses, table: LibraryTable) -> None:
        self.uses = uses
        self.resolver = uses.resolver
        self.table = table
        self.rows = table.by_name()
        self.chat_api_set = False
        """Some module calls `set_default_openai_api("chat_completions")`."""
        self.provider_given = False
        """Some module gives an Agents SDK RunConfig a `model_provider=`."""
        self.named_modules: set[str] = set()
        """The modules with calls whose model names a raising convention reads."""
        self.default_client_modules: set[str] = set()
        self.default_clients: dict[str, list[RemoteClient | None]] = {}
        """Library -> the clients its `set_default_openai_client(...)` calls set."""
        self.sites: list[tuple[str, s.LibraryCallSite, LibraryCallable, Arguments]] = []
        self.routers: list[tuple[str, s.LibraryCallSite, LibraryCallable, Arguments]] = []
        self.embeddings: list[tuple[str, s.LibraryCallSite, LibraryCallable, Arguments]] = []
        self._targets: dict[tuple[str, int], RemoteClient | None] = {}
        """Memo of `_object_target`; None also while one is being read (a cycle)."""

    def chat_api_modules(self) -> frozenset[str]:
        """The modules that set a default client while the project sets the chat API."""
        return frozenset(self.default_client_modules) if self.chat_api_set else frozenset()

    def names_verbatim_modules(self) -> frozenset[str]:
        """The modules whose Agents SDK model names read as written: every one with such
        calls, when some RunConfig is given a `model_provider=` that may resolve them."""
        return frozenset(self.named_modules) if self.provider_given else frozenset()

    def _convention(self, row: LibraryCallable) -> ModelConvention:
        """As `analysis.libraries.LibrarySites._convention` reads it, project-wide."""
        convention = self.table.convention(row)
        if convention.unknown_prefix_raises and self.provider_given:
            return self.table.conventions["verbatim"]
        return convention

    def visit(self, module: str, site: s.LibraryCallSite) -> None:
        """Take in a call site; what it sends is read by `finish`, once the project-wide
        settings (the default client, the default API) are all known."""
        row = self._row(module, site.call)
        if row is None:
            return
        arguments = self._arguments(module, row, site.call)
        if row.role == "default-api":
            self.chat_api_set |= self._sets_chat_api(row, arguments)
        elif row.role == "default-client":
            self.default_client_modules.add(module)
            given = _first(arguments, row.client)
            client = None if given is None else self._given_client(given.module, given.expr)
            self.default_clients.setdefault(row.library, []).append(client)
        elif row.role in SENDING_ROLES:
            self.sites.append((module, site, row, arguments))
            if self.table.convention(row).unknown_prefix_raises:
                self.named_modules.add(module)
                self.provider_given |= _first(arguments, row.served_by) is not None
        elif row.role == "router":
            self.routers.append((module, site, row, arguments))
        elif row.role == EMBEDDINGS:
            self.embeddings.append((module, site, row, arguments))

    def finish(self) -> None:
        for module, site, row, arguments in self.sites:
            target = self._target(module, row, site.call, arguments)
            if target is None:
                continue
            self._base_url(module, site.call, row, arguments, target)
            if row.role == "request" and target.is_wandb:
                label = self.uses.label(module, site.where)
                self._sent_values(label, row, arguments, target)
                self._routed(module, site, row, arguments)
                self._picking_model(module, site, row, arguments)
        for module, site, row, arguments in self.routers:
            self._deployments(module, site, row, arguments)
        for module, site, row, arguments in self.embeddings:
            self._embeddings_url(module, site.call, row, arguments)

    def _embeddings_url(
        self, module: str, call: s.Call, row: LibraryCallable, arguments: Arguments
    ) -> None:
        """`OpenAIEmbeddings(base_url=settings.WANDB_URL)`: where the call connects, as the
        project resolves it, for the call's own module (whose WB601 judges it). Nothing is
        recorded elsewhere: the module's own analysis judges no other URL of an embeddings
        call either."""
        target = self._target(module, row, call, arguments)
        if target is None or target.base_url.kind is UrlKind.UNKNOWN:
            return
        if _first(arguments, row.client) is None:
            self.uses.client_url(module, call.node, target.base_url)

    # LiteLLM's Router: a model list written in another module

    def _deployments(
        self, module: str, site: s.LibraryCallSite, row: LibraryCallable, arguments: Arguments
    ) -> None:
        """`Router(model_list=MODEL_LIST)`: each deployment's `litellm_params` dict is read
        as the keywords of the row it names. (Literals of a list written in the Router's own
        module are read by that module's analysis.)"""
        target_row = self.rows.get(row.deployment_of)
        model_list = arguments.get(row.deployments)
        setup = self.uses.setups.get(module)
        if target_row is None or model_list is None or setup is None:
            return
        label = self.uses.label(module, f"the {row.library} {row.label} there")
        listed = self._deployment_params(model_list.module, model_list.expr, row.deployment_params)
        for params in listed:
            keywords = _dict_arguments(params, in_call=params.module == module)
            target = self._own_connection(module, target_row, site.call, keywords, setup)
            if target.is_wandb:
                self._sent_values(label, target_row, keywords, target)

    def _deployment_params(self, module: str, model_list: s.Expr, key: str) -> Iterator[DictValue]:
        for listing in self.resolver.values(module, model_list):
            if not isinstance(listing, ItemsValue):
                continue
            for item in listing.expr.items:
                for deployment in self.resolver.values(listing.module, item):
                    if isinstance(deployment, DictValue) and deployment.intact:
                        yield from self._entry_dicts(deployment, key)

    def _entry_dicts(self, value: DictValue, key: str) -> Iterator[DictValue]:
        for entry_key, entry in value.expr.entries:
            if isinstance(entry_key, s.Lit) and entry_key.value == key:
                for found in self.resolver.values(value.module, entry):
                    if isinstance(found, DictValue) and found.intact:
                        yield found

    def _row(self, module: str, call: s.Call) -> LibraryCallable | None:
        names = {
            value.name
            for value in self.resolver.values(module, call.func)
            if isinstance(value, External)
        }
        rows = {id(self.rows[name]): self.rows[name] for name in names if name in self.rows}
        return next(iter(rows.values())) if len(rows) == 1 else None

    def _sets_chat_api(self, row: LibraryCallable, arguments: Arguments) -> bool:
        arg = _first(arguments, row.positional)
        return arg is not None and self._strings(arg.module, arg.expr) == {CHAT_COMPLETIONS_API}

    def _arguments(self, module: str, row: LibraryCallable, call: s.Call) -> Arguments:
        """The call's keywords, positional arguments named by the row's `positional`, and
        the string keys of a `**` dict it spreads (written here or in another module)."""
        arguments = {name: Arg(module, expr) for name, expr in call.keywords}
        for name, expr in zip(row.positional, call.args):
            arguments.setdefault(name, Arg(module, expr))
        for spread in call.spreads:
            values = self.resolver.values(module, spread)
            if len(values) != 1:
                continue
            (value,) = values
            if isinstance(value, DictValue) and value.intact:
                spread_in = _dict_arguments(value, in_call=value.module == module)
                for name, arg in spread_in.items():
                    arguments.setdefault(name, arg)
        return arguments

    # where a call connects

    def _target(
        self, module: str, row: LibraryCallable, call: s.Call, arguments: Arguments
    ) -> RemoteClient | None:
        """The client-like a call sends through: the OpenAI client it is given, its own
        connection, or (under assume-wandb) the library's default one, meant for W&B."""
        given = _first(arguments, row.client)
        if given is not None:
            found = self._given_client(given.module, given.expr)
            if found is not None:
                # The call's own module may not see it (a provider from another module).
                self.uses.request_client_at(module, call.node, found)
            if found is not None or not self._names_a_model(row, given):
                return found
        setup = self.uses.setups.get(module)
        if setup is None:
            return None
        if row.base_url or row.api_key:
            return self._own_connection(module, row, call, arguments, setup)
        if _first(arguments, row.served_by) is not None:
            return None  # RunConfig(model_provider=P): P resolves the run's model names
        default = self._default_client(row)
        if default is not None:
            # Only the project tells the call's own module where it goes.
            self.uses.request_client_at(module, call.node, default)
            return default
        if setup.assume_wandb:
            return RemoteClient(row.label, True, BaseUrl(UrlKind.UNKNOWN))
        return None

    def _object_target(self, value: LibraryCallValue) -> RemoteClient | None:
        """Where a library object connects: `OpenAIProvider(base_url=...)`,
        `OpenAIChatCompletionsModel(openai_client=...)`, `instructor.from_openai(client)`."""
        key = (value.module, value.call.node)
        if key in self._targets:
            return self._targets[key]
        self._targets[key] = None
        row = self.rows.get(value.name)
        found = None
        if row is not None and row.role in (*SENDING_ROLES, "responses-model", "wrapper"):
            arguments = self._arguments(value.module, row, value.call)
            if row.role == "wrapper":
                given = _first(arguments, row.client)
                found = None if given is None else self._given_client(given.module, given.expr)
            else:
                found = self._target(value.module, row, value.call, arguments)
        self._targets[key] = found
        return found

    def wrapped(self, value: LibraryCallValue) -> RemoteClient | None:
        """The client `instructor.from_openai(client)` (a wrapper row) returns: the one it
        is given, marked as used through the wrapper (its own keywords are not sent)."""
        row = self.rows.get(value.name)
        if row is None or row.role != "wrapper":
            return None
        found = self._object_target(value)
        return None if found is None else replace(found, wrapper=value.name)

    def _names_a_model(self, row: LibraryCallable, arg: Arg) -> bool:
        """`Agent(model="<id>")`: a model name where a model object may stand; it goes
        through the library's default client."""
        values = self.resolver.values(arg.module, arg.expr)
        found = any(isinstance(value, LitValue) for value in values)
        return (
            bool(set(row.client) & set(row.model))
            and found
            and all(
                (isinstance(value, LitValue) and isinstance(value.value, str)) or value is UNKNOWN
                for value in values
            )
        )

    def _default_client(self, row: LibraryCallable) -> RemoteClient | None:
        """The library's default client, when every `set_default_openai_client` of the
        project sets one known client (of one target)."""
        clients = self.default_clients.get(row.library, [])
        if not clients or any(client is None for client in clients):
            return None
        first = clients[0]
        return first if all(client == first for client in clients) else None

    def _given_client(self, module: str, expr: s.Expr) -> RemoteClient | None:
        """The OpenAI client, provider or model object `expr` is, as a client-like."""
        values = self.resolver.values(module, expr)
        if may_be_any(values):
            return None
        clients: list[RemoteClient | None] = []
        for value in values:
            if isinstance(value, (ClientValue, DerivedClientValue)):
                clients.append(self.uses.client(value))
            elif isinstance(value, LibraryCallValue):
                clients.append(self._object_target(value))
        known = [client for client in clients if client is not None]
        if not known:
            return None
        first = known[0]
        same = all(client.base_url == first.base_url for client in known)
        base_url = first.base_url if same else BaseUrl(UrlKind.UNKNOWN)
        return RemoteClient(first.class_name, all(c.is_wandb for c in known), base_url)

    def _own_connection(
        self,
        module: str,
        row: LibraryCallable,
        call: s.Call,
        arguments: Arguments,
        setup: ModuleSetup,
    ) -> RemoteClient:
        convention = self.table.convention(row)
        base = _first(arguments, row.base_url)
        model = _first(arguments, row.model)
        models = set() if model is None else self._strings(model.module, model.expr)
        routes = [convention.route(text) for text in models]
        if base is not None:
            base_url = self._classified(base.module, base.expr, setup)
        elif self._served_locally(row, arguments):
            base_url = BaseUrl(UrlKind.LOCAL)  # DSPy's `provider=LocalProvider()`
        elif routes and all(route is not None and route.wandb for route in routes):
            base_url = BaseUrl(UrlKind.WANDB, None)  # LiteLLM's `wandb/`: the URL is implied
        else:
            summary = self.uses.summary_of(module)
            names_variable = summary is not None and summary.names_base_url_variable
            certain = call.complete and convention.verbatim and not names_variable
            base_url = BaseUrl(UrlKind.MISSING if certain else UrlKind.UNKNOWN)
        key = _first(arguments, row.api_key)
        reads_key = key is not None and self.uses.reads_wandb_key(key.module, key.expr, setup)
        signals = convention.verbatim and reads_key
        is_wandb = wandb_target(base_url.kind, signals, setup.assume_wandb)
        return RemoteClient(row.label, is_wandb, base_url)

    def _served_locally(self, row: LibraryCallable, arguments: Arguments) -> bool:
        """Whether the call is given an object of `row.local_servers` to serve its model,
        built in the call or bound to the name it passes (`analysis/libraries.py` reads it
        the same way)."""
        served = _first(arguments, row.served_by) if row.local_servers else None
        if served is None:
            return False
        server = self._bound_once(served.module, served.expr)
        if not isinstance(server, s.Call):
            return False
        classes = self.resolver.values(served.module, server.func)
        return bool(classes) and all(
            isinstance(found, External) and found.name in row.local_servers for found in classes
        )

    def _bound_once(self, module: str, expr: s.Expr) -> s.Expr:
        """The expression a name is bound to where it is read (the name itself when it is
        bound in no scope of the module)."""
        summary = self.uses.summary_of(module)
        scope_key: str | None = expr.scope if isinstance(expr, s.Var) else None
        while summary is not None and scope_key is not None and isinstance(expr, s.Var):
            scope = summary.scopes.get(scope_key)
            if scope is None:
                break
            if expr.name in scope.names:
                return scope.names[expr.name]
            scope_key = scope.parent
        return expr

    def _classified(self, module: str, expr: s.Expr, setup: ModuleSetup) -> BaseUrl:
        if may_be_any(self.resolver.values(module, expr)):
            return BaseUrl(UrlKind.UNKNOWN)
        texts = self._strings(module, expr)
        kinds = {classify_url(text, setup.api, setup.extra_base_urls) for text in texts}
        if len(kinds) != 1:
            return BaseUrl(UrlKind.UNKNOWN)
        kind, provider = kinds.pop()
        return BaseUrl(kind, sorted(texts)[0], provider)

    def _base_url(
        self,
        module: str,
        call: s.Call,
        row: LibraryCallable,
        arguments: Arguments,
        target: RemoteClient,
    ) -> None:
        """The connection as the project resolves it, for the call's own module, and a
        near-miss URL literal written elsewhere, to be reported there."""
        if target.base_url.kind is UrlKind.UNKNOWN or _first(arguments, row.client):
            return
        self.uses.client_url(module, call.node, target.base_url)
        base = _first(arguments, row.base_url)
        if target.base_url.kind is not UrlKind.NEAR_MISS or base is None:
            return
        if base.in_call and isinstance(base.expr, s.Lit):
            return  # written in the call: the file's own analysis reports it there
        label = self.uses.label(module, f"the {row.library} {row.label} built there")
        for value in self._literals(base.module, base.expr):
            self.uses.record("base_url", value, label)

    # what a W&B call sends

    def _sent_values(
        self, label: str, row: LibraryCallable, arguments: Arguments, target: RemoteClient
    ) -> None:
        """Record the literals the call's model and field keywords may send, except those
        the call's own module reads itself."""
        model = _first(arguments, row.model)
        if model is not None and not _read_by_the_call(model):
            convention = self.table.convention(row)
            bare = _sends_bare(convention, row, arguments, target)
            named = self._named_provider(convention, arguments)
            at_wandb = target.base_url.kind is UrlKind.WANDB and target.base_url.text is not None
            self._models(model, row, label, bare, named, at_wandb)
        for name, request_field in row.fields.items():
            arg = arguments.get(name)
            if arg is None or _read_by_the_call(arg):
                continue
            for value in self._literals(arg.module, arg.expr):
                self.uses.record(request_field, value, label)

    def _routed(
        self, module: str, site: s.LibraryCallSite, row: LibraryCallable, arguments: Arguments
    ) -> None:
        """A model written in another module whose prefix sends the call, given no base URL,
        to another provider (LiteLLM's `meta_llama/...`): the call's module is told the
        provider, and the literal's module reports it (WB108). `analysis/libraries.py` reads
        a model its own module resolves."""
        convention = self.table.convention(row)
        model = _first(arguments, row.model)
        if not convention.elsewhere or model is None or _first(arguments, row.base_url):
            return
        values = self.resolver.values(model.module, model.expr)
        texts = [value.value for value in values if isinstance(value, LitValue)]
        if may_be_any(values) or not texts or len(texts) != len(values):
            return
        if len(texts) != sum(isinstance(text, str) for text in texts):
            return
        routes = {convention.sent_elsewhere(text) for text in texts if isinstance(text, str)}
        named = self._named_provider(convention, arguments)
        if named[0] and convention.names_provider(named[1]):
            routes = {None}  # `custom_llm_provider=` says where the call goes, not a prefix
        if routes == {None}:
            # Every model it may be is known, none sent elsewhere by its prefix: the call's
            # module is told so (a model written in the call it reads itself), and whether one
            # goes to OpenAI's URL given no base URL.
            if not _read_by_the_call(model):
                strings = [text for text in texts if isinstance(text, str)]
                head = _to_openai(convention, strings, row, arguments, named)
                self.uses.client_route(module, site.call.node, head)
            return
        route = routes.pop() if len(routes) == 1 else None
        if route is None:
            return
        self.uses.client_route(module, site.call.node, route.prefix)
        if _read_by_the_call(model):
            return
        keyed = _first(arguments, row.api_key) is not None
        parameter = ROUTED_MODEL_KEYED if keyed else ROUTED_MODEL
        label = self.uses.label(module, site.where)
        for value in self._literals(model.module, model.expr):
            if value.origin.module != module:  # the call's own module reads its own literals
                self.uses.record(parameter, value, label, prefix=route.prefix, library=row.library)

    def _picking_model(
        self, module: str, site: s.LibraryCallSite, row: LibraryCallable, arguments: Arguments
    ) -> None:
        """init_chat_model's model written in another module: LangChain picks the class it
        builds by the name (or raises for a name it places with none), so the call's module
        is told the one model it names (`analysis.libraries` reads it as its own)."""
        model = _first(arguments, row.model)
        if not self.table.convention(row).openai_provider or model is None:
            return
        if _read_by_the_call(model):
            return
        values = self.resolver.values(model.module, model.expr)
        texts = _strings(values)
        if len(values) == 1 and len(texts) == 1 and not may_be_any(values):
            self.uses.client_route(module, site.call.node, texts.pop())

    def _models(
        self, arg: Arg, row: LibraryCallable, label: str, bare: bool, named: Named, at_wandb: bool
    ) -> None:
        """The model literals a call may send, each with the prefix the library strips.
        `bare`: a model with no provider prefix reaches W&B as written; `named`: what a
        keyword that names the provider says (`custom_llm_provider="openai"`: LiteLLM routes
        `gpt-4o` as `openai/gpt-4o`; init_chat_model given no `model_provider` picks it by
        the name). A fix writes a new ID as the library must be given it
        (`ModelConvention.spelled`). `at_wandb`: the call is given W&B's base URL."""
        convention = self._convention(row)
        given, provider = named
        picks = bool(convention.openai_provider) and not given
        sure = given and convention.bare_by_base_url and convention.names_provider(provider)
        # `custom_llm_provider="hosted_vllm"` given W&B's URL: the model is posted there, less
        # that provider's prefix (`rules.model_use` reads one written in the call so).
        passed = sure and at_wandb and convention.posts_model(provider)
        # Given a provider not known here, the model is read as written, with no fix.
        unsure = given and convention.bare_by_base_url and not sure
        # init_chat_model(model_provider="groq"): ChatGroq posts elsewhere, whatever the model.
        foreign = given and not picks and not convention.sends_as_written(provider)
        unsure = unsure or (bool(convention.openai_provider) and foreign)
        for value in self._literals(arg.module, arg.expr):
            text = value.value
            if not isinstance(text, str):
                continue
            routed = convention.as_routed(text, provider, sure)
            # Given model_provider, init_chat_model sends even an `openai:` name as written.
            route = None if convention.openai_provider and given else convention.route(routed)
            as_written = convention.verbatim or convention.bare_verbatim
            sent_bare = bare and convention.bare(text)
            if at_wandb and _other_class(convention, text, named):
                continue  # init_chat_model's ChatAnthropic: no chat request W&B serves
            built = _described_class(convention, text) if picks and route is None else None
            if built is not None:
                # `deepseek:<id>`: the class init_chat_model builds is given `<id>`, which one
                # that posts it to W&B's URL as it is (ChatDeepSeek) sends W&B.
                if at_wandb and built.to_api_base:
                    prefix = convention.provider_prefix(text)
                    self.uses.record("model", value, label, prefix=prefix, library=row.library)
                continue
            if route is None and passed:
                head = f"{provider}/"
                prefix = head if text.startswith(head) else ""
                self.uses.record(
                    "model", value, label, prefix=prefix, library=row.library, fixable=False
                )
                continue
            posted = None if given or route is not None else convention.posted_prefix(text)
            if posted is not None:
                # `hosted_vllm/<id>`: read as `custom_llm_provider="hosted_vllm"` is, above.
                if at_wandb:
                    prefix = f"{posted}/"
                    self.uses.record(
                        "model", value, label, prefix=prefix, library=row.library, fixable=False
                    )
                continue
            if route is None and convention.unknown_prefix_raises:
                # The Agents SDK's model name: as written, or a raise (`rules.model_use`).
                if not text.startswith(convention.other_prefixes):
                    self.uses.record(
                        "model", value, label, library=row.library, spelled=row.model_convention
                    )
                continue
            if route is None and not (as_written or sent_bare):
                continue  # another provider's model (LiteLLM's `anthropic/...`)
            prefix = "" if route is None or not text.startswith(route.prefix) else route.prefix
            keyword_prefix = route is not None and not prefix  # `custom_llm_provider=` put it
            spelled = ""
            if (route is None and (sent_bare or picks)) or keyword_prefix:
                spelled = row.model_convention
            self.uses.record(
                "model",
                value,
                label,
                prefix=prefix,
                library=row.library,
                spelled=spelled,
                named=(provider or "") if keyword_prefix else "",
                fixable=not unsure,
            )

    def _named_provider(self, convention: ModelConvention, arguments: Arguments) -> Named:
        """Whether the call is given a keyword that names its provider, and the string it
        names (None: not known here), as `analysis.libraries.named_provider` reads it."""
        arg = _first(arguments, convention.provider_keywords)
        if arg is None:
            return False, None
        values = self.resolver.values(arg.module, arg.expr)
        if values and all(isinstance(v, LitValue) and v.value is None for v in values):
            return False, None  # `custom_llm_provider=None` names none: as if not given
        strings = _strings(values)
        known = len(values) == 1 and len(strings) == 1 and not may_be_any(values)
        return True, next(iter(strings)) if known else None

    # values

    def _literals(self, module: str, expr: s.Expr) -> list[LitValue]:
        return [
            value
            for value in self.resolver.values(module, expr)
            if isinstance(value, LitValue) and value.origin.node >= 0
        ]

    def _strings(self, module: str, expr: s.Expr) -> set[str]:
        return _strings(self.resolver.values(module, expr))


def _dict_arguments(value: DictValue, in_call: bool) -> Arguments:
    """A dict's string-keyed entries, read as keywords (`**CONFIG`, `litellm_params`)."""
    return {
        key.value: Arg(value.module, entry, in_call)
        for key, entry in value.expr.entries
        if isinstance(key, s.Lit) and isinstance(key.value, str)
    }


def _sends_bare(
    convention: ModelConvention, row: LibraryCallable, arguments: Arguments, target: RemoteClient
) -> bool:
    """Whether a bare model of the call (LiteLLM's `gpt-4o-mini`) reaches W&B as written:
    given W&B's base URL, or given none (the call's module reports WB102, whose fix adds it),
    and no keyword that names the provider."""
    named = _names_provider(convention, arguments)
    if named or _first(arguments, row.served_by) is not None:
        return False
    if _first(arguments, row.base_url) is None:
        return True
    return target.base_url.kind is UrlKind.WANDB and target.base_url.text is not None


def _names_provider(convention: ModelConvention, arguments: Arguments) -> bool:
    """Whether the call is given a keyword that names its provider."""
    return any(name in arguments for name in convention.provider_keywords)


def _to_openai(
    convention: ModelConvention,
    texts: list[str],
    row: LibraryCallable,
    arguments: Arguments,
    named: Named,
) -> str:
    """What a call's module is told of a model the project resolves: the `openai/` prefix, or
    a bare model (`gpt-4o-mini`), when a model it may be goes to OpenAI's URL given no base
    URL (LiteLLM's; the module reports WB102 where it is certain), else "". With
    `custom_llm_provider="openai"` every model goes there; with another provider, none."""
    if _first(arguments, row.served_by) is not None:
        return ""  # DSPy's `provider=`: the provider is the call's
    given, provider = named
    if given and not convention.names_provider(provider):
        return ""  # a provider not known here: the call's own
    for text in sorted(texts):
        route = convention.route(convention.as_routed(text, provider, given))
        if route is not None and route.openai_default:
            return route.prefix
    return "" if given else next((text for text in sorted(texts) if convention.bare(text)), "")


def _read_by_the_call(arg: Arg) -> bool:
    """A literal the call's own module reports (written in the call, or in its dict)."""
    return arg.in_call and isinstance(arg.expr, s.Lit)


def _first(arguments: Arguments, names: tuple[str, ...]) -> Arg | None:
    for name in names:
        if name in arguments:
            return arguments[name]
    return None


def _strings(values: Values) -> set[str]:
    return {v.value for v in values if isinstance(v, LitValue) and isinstance(v.value, str)}


def _described_class(convention: ModelConvention, model: str) -> ProviderRoute | None:
    """The class row of the provider a `name:` prefix of `model` names, which
    init_chat_model strips (`deepseek:`: ChatDeepSeek), when the data describes it."""
    prefix = convention.provider_prefix(model)
    return convention.provider_class(prefix[:-1]) if prefix else None


def _other_class(convention: ModelConvention, model: str, named: Named) -> bool:
    """Whether init_chat_model, given `model` and a base URL, builds a class that sends no
    chat request W&B serves there (`Client.other_api`: ChatAnthropic)."""
    if not convention.openai_provider:
        return False
    built = convention.provider_class(convention.provider(model, named[1], named[0]))
    return built is not None and not built.to_api_base
