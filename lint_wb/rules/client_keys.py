"""WB107: a W&B client whose API key comes from another provider's variable.

Reading which variable a key comes from, and writing `WANDB_API_KEY` in the form the module
already reads variables with, is shared with WB603 (`provider_sdk.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from lint_wb._cst import cst
from lint_wb.analysis import Client, ModuleFacts, Resolver, UrlKind
from lint_wb.analysis.clients import is_none
from lint_wb.analysis.facts import Keyword
from lint_wb.analysis.libraries import named_provider
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.sdk_names import ENV_GETTERS
from lint_wb.analysis.values import ENV_READERS
from lint_wb.analysis.walk import child_nodes
from lint_wb.findings import Severity
from lint_wb.records import dataclass
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    unsafe_fix,
)
from lint_wb.rules.edits import keyword_arg, renamed_arg, string_like, with_arg
from lint_wb.rules.imports import import_line, imported_as, with_import
from lint_wb.rules.key_readers import client_reader, key_hops, other_reader
from lint_wb.spec import bundled_libraries
from lint_wb.spec.library_types import MispostedKey, ModelConvention, ProviderRoute
from lint_wb.spec.porting_types import PortingSpec
from lint_wb.spec.types import ClientTarget

if TYPE_CHECKING:
    from lint_wb.project.told import KeyUse
    from lint_wb.rules.key_readers import Hop


@dataclass(frozen=True)
class EnvRead:
    """`os.environ["V"]`, `os.environ.get("V", ...)` or `os.getenv("V", ...)`."""

    variable: str
    name_node: cst.BaseExpression
    """The expression that spells the variable's name (resolved: a constant's literal)."""
    in_function: bool = False
    """Read through a function (`api_key=_key()`), which other callers may share."""


def env_read(node: cst.BaseExpression, scope: Scope, resolver: Resolver) -> EnvRead | None:
    """The environment variable `node` reads, followed through names bound once,
    `self.<attr>` bound once in `__init__` (`self.key = os.getenv(...)`), strips
    (`os.getenv("K").strip()`) and a function of the module that returns it
    (`Resolver.read_source`)."""
    node, scope, in_function = resolver.read_source(node, scope)
    index: cst.BaseExpression | None = None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        element = node.slice[0].slice
        if isinstance(element, cst.Index) and resolver.qualified_name(node.value, scope) in (
            ENV_READERS
        ):
            index = element.value
    elif (
        isinstance(node, cst.Call)
        and node.args
        and node.args[0].keyword is None
        and resolver.qualified_name(node.func, scope) in ENV_GETTERS
    ):
        index = node.args[0].value
    if index is None:
        return None
    variable = resolver.evaluate(index, scope)
    if not isinstance(variable, str):
        return None
    return EnvRead(variable, resolver.resolve_scoped(index, scope)[0], in_function)


def renamed_read(read: EnvRead, variable: str) -> Replacement | None:
    """Make `read` read `variable` instead: its name literal rewritten in its own quotes.
    None for a read in a function the client calls: other callers (another provider's
    client) may read the same variable through it."""
    if not isinstance(read.name_node, cst.SimpleString) or read.in_function:
        return None
    return Replacement(read.name_node, string_like(read.name_node, variable))


ENV_READ_HEADS = frozenset(
    reader.rsplit(".", cut)[0] for reader in ENV_READERS for cut in range(reader.count(".") + 1)
)
"""What an import must bring in for a name of the module to qualify to an environment reader
(`os`, `os.environ`, `os.getenv`, ...): `Resolver.qualify` extends an import by the rest of
the dotted name."""


class KeyReader:
    """Writes a read of an environment variable the way the module already reads them: as its
    first `os.environ[...]` if it has one (a missing key then fails loudly), else as its first
    `os.getenv(...)` / `os.environ.get(...)`, else `os.environ[...]` (importing `os` if
    needed)."""

    def __init__(self, module: cst.Module, module_scope: Scope, resolver: Resolver) -> None:
        self.module = module
        self.scope = module_scope
        self.resolver = resolver
        self._found: tuple[list[cst.Subscript], list[cst.Call]] | None = None

    def expression(self, variable: str) -> tuple[cst.BaseExpression, Replacement | None]:
        """The expression reading `variable`, and the import it needs (None: none needed)."""
        quoted = cst.SimpleString(f'"{variable}"')
        subscripts, getters = self._reads()
        if subscripts:
            return _subscript(subscripts[0].value, quoted), None
        if getters:
            return cst.Call(getters[0].func, [cst.Arg(quoted)]), None
        os_name = imported_as(self.scope, "os")
        environ = cst.Attribute(cst.Name(os_name or "os"), cst.Name("environ"))
        needed = None if os_name else with_import(self.module, import_line("import os"))
        return _subscript(environ, quoted), needed

    def _reads(self) -> tuple[list[cst.Subscript], list[cst.Call]]:
        """The module's `os.environ[...]` subscripts and `os.getenv(...)`-like calls, in
        source order; read once per reader."""
        if self._found is None:
            self._found = self._find_reads()
        return self._found

    def _find_reads(self) -> tuple[list[cst.Subscript], list[cst.Call]]:
        subscripts: list[cst.Subscript] = []
        getters: list[cst.Call] = []
        if not any(self.scope.import_of(name) in ENV_READ_HEADS for name in self.scope.imports):
            return subscripts, getters  # no name here can qualify to a reader: no walk
        qualified = self.resolver.qualified_name
        scope = self.scope
        stack: list[cst.CSTNode] = [self.module]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Subscript) and qualified(node.value, scope) in ENV_READERS:
                subscripts.append(node)
            elif isinstance(node, cst.Call) and qualified(node.func, scope) in ENV_GETTERS:
                getters.append(node)
            stack.extend(reversed(_children_in_source_order(node)))
        return subscripts, getters


@functools.cache
def _source_order() -> dict[type[cst.CSTNode], tuple[str, ...]]:
    """The node kinds whose fields are not declared in the order their code is written in
    (built on first use: the rules are imported without libcst)."""
    return {
        cst.Arg: ("keyword", "value"),
        cst.IfExp: ("body", "test", "orelse"),
        cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
        cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
        cst.ExceptHandler: ("type", "name", "body"),
        cst.ExceptStarHandler: ("type", "name", "body"),
        cst.MatchCase: ("pattern", "guard", "body"),
        cst.TypeAlias: ("name", "type_parameters", "value"),
        cst.Parameters: (
            "posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg",
        ),
    }  # fmt: skip


def _children_in_source_order(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`child_nodes` in the order the code is written (and libcst's visitor visits)."""
    names = _source_order().get(type(node))
    if names is None:
        return child_nodes(node)
    found: list[cst.CSTNode] = []
    for name in names:
        value = getattr(node, name)
        if isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
        elif isinstance(value, cst.CSTNode):
            found.append(value)
    return found


NOT_BEFORE_THE_URL: Final = (
    ". No fix until its base URL is W&B's (WB102): until then LiteLLM sends the key to "
    "another provider (api.openai.com for an OpenAI model)"
)


def _not_before_the_url(client: Client) -> str:
    """Why WB107 has no fix for a call `_sent_to_openai`: what would send the key to OpenAI."""
    assert client.library is not None
    if client.deployment:
        # WB102 writes no URL into a Router deployment: its litellm_params are edited by hand.
        return (
            ". No fix until the deployment's base URL is W&B's: add W&B's api_base to its "
            "litellm_params first (WB102, which has no fix there); until then LiteLLM sends "
            "the key to another provider (api.openai.com for an OpenAI model)"
        )
    picked = bundled_libraries().convention(client.library).openai_client
    if not picked:
        return NOT_BEFORE_THE_URL
    return (
        f". No fix until its base URL is W&B's (WB102): until then {client.library.library}'s "
        f"{picked} sends the key to "
        "api.openai.com"
    )


def _other_provider(client: Client) -> str:
    """The message for a call a library sends to another provider's own client
    (`Client.other_provider`): that client reads its own key, and a W&B key would go there."""
    if not _picks_provider(client) and client.library is not None:
        keyword = bundled_libraries().convention(client.library).provider_keywords[0]
        given = f"is given {keyword}={client.other_provider!r}"
        if client.provider_prefixed:  # `hosted_vllm/<id>`: read as the keyword naming it is
            prefix = f"{client.other_provider}/"
            given = f"is given a model whose {prefix!r} prefix names that provider"
        if client.url_setting:  # `litellm.api_base = ...`: hosted_vllm uses it, baseten not
            return (
                f"This client passes no api_key, and {client.label} {given}: the request goes "
                "to that provider's server, or, for some providers (hosted_vllm, lm_studio ...), "
                "to the litellm.api_base this module sets, with that provider's key. No key is "
                "added here: it may go to that provider"
            )
        row = _misposted_row(client)
        if row is not None and row.key_variables:  # `heroku/<id>`: its own server, its key
            server = " or ".join(row.base_url_variables)
            return (
                f"This client passes no api_key, and {client.label} {given}: LiteLLM sends the "
                f"request to that provider's server ({server}; with none set it raises "
                f"{row.no_base_url!r}), with {row.reads}, not to W&B. No key is added here: it "
                "would go to that provider"
            )
        return (
            f"This client passes no api_key, and {client.label} {given}: the request goes to "
            "that provider, with "
            "that provider's key, not to W&B. No key is added here: it would go to that provider"
        )
    if client.other_provider:
        where = f"to the {client.other_provider!r} provider's own client"
    else:
        where = "to the provider it infers from the model's name, not OpenAI's (or raises)"
    return (
        f"This client passes no api_key, and {client.label} sends its model {where}, which "
        "reads that provider's key: W&B is reached only through OpenAI's client with W&B's "
        "base URL. No key is added here: it would go to that provider"
    )


def _unserved(client: Client) -> str | None:
    """Why a key fix does not help a call given W&B's URL that sends W&B no chat request it
    serves (WB108 reports the call): the key reaches W&B, but the request fails whatever
    the key. None for any other call."""
    if client.misposted_provider:
        return (
            ". No fix: LiteLLM posts this request to another path than W&B's "
            "/chat/completions, which fails whatever the key (WB108)"
        )
    if client.other_api is not None:
        return (
            f". No fix: {client.label} sends W&B no chat request it serves, which fails "
            "whatever the key (WB108)"
        )
    return None


def _picks_provider(client: Client) -> bool:
    """Whether the client's library picks a provider class itself (init_chat_model)."""
    if client.library is None:
        return False
    return bool(bundled_libraries().convention(client.library).openai_provider)


def _key_refused_beside(client: Client, targets: tuple[ClientTarget, ...]) -> ClientTarget | None:
    """The constructor keyword given (not None) that the SDK refuses `api_key=` beside
    (`provider=`, `workload_identity=`), if any."""
    if client.library is not None:
        return None
    for target in targets:
        given = client.arguments.get(target.keyword)
        if "api_key" in target.excludes and given is not None and not is_none(given.value):
            return target
    return None


def _sends_no_key(client: Client) -> bool:
    """A LiteLLM call that sends no key anywhere: given W&B's URL, LiteLLM raises before
    sending (`openai_like`); `vllm` (the keyword or the `vllm/` prefix) runs the model in this
    process whatever base URL is given, W&B's, another or none; `oobabooga` is sent with no
    key whatever the call gives (`MispostedKey.keyless`)."""
    if client.unmapped_provider or client.runs_in_process:
        return True
    row = _misposted_row(client)
    return row is not None and row.keyless


def _misposted_row(client: Client) -> MispostedKey | None:
    """The key row of the misposted provider a library call names (its keyword or its
    model's prefix), given W&B's URL or none."""
    if client.library is None:
        return None
    provider = client.misposted_provider or client.other_provider
    return bundled_libraries().convention(client.library).misposted_key(provider)


def _sent_to_openai(client: Client) -> bool:
    """A LiteLLM-convention call given no base URL whose model LiteLLM sends to OpenAI's URL
    (`openai/<id>`, a bare `gpt-4o-mini`): WB102 adds W&B's URL, and the key may change only
    with it."""
    if client.library is None or client.base_url.kind is not UrlKind.MISSING:
        return False
    return not bundled_libraries().convention(client.library).verbatim


def _named_key(convention: ModelConvention, given: str, named: str) -> str | None:
    """The key LiteLLM reads for the provider `given` (`custom_llm_provider='hosted_vllm'`)
    names, for messages (`HOSTED_VLLM_API_KEY (unset: 'fake-api-key') for
    custom_llm_provider='hosted_vllm'`); None for a provider of the library's own routes."""
    passed = convention.passes_through(named)
    if passed is not None:
        return f"{passed.reads} for {given}"
    misposted = convention.misposted_key(named)
    if misposted is not None and misposted.key_variables:  # `heroku`: HEROKU_API_KEY
        return f"{misposted.reads} for {given}"
    if convention.route(f"{named}/") is not None:
        return None  # `openai`: the SDK's key; `wandb`: W&B's own (`Client.reads_wandb_key`)
    provider = convention.other_api(f"{named}/")
    if provider is None:
        return f"the key of the provider {given} names (which variable is not known here)"
    return f"{_owned(provider)} for {given}"


def _owned(provider: ProviderRoute) -> str:
    """`GROQ_API_KEY (Groq's key)`, `AWS credentials (Amazon Bedrock's)`."""
    kind = "key" if provider.key_variables else "credentials"
    return f"{provider.reads} ({provider.provider}'s {kind})"


def _model_keyword(client: Client) -> Keyword | None:
    """The keyword a library client-like is given its model in."""
    for name in client.library.model if client.library is not None else ():
        keyword = client.arguments.get(name)
        if keyword is not None:
            return keyword
    return None


SHARED: Final = ": the rewritten read would send W&B's key there too"


def _subscript(value: cst.BaseExpression, index: cst.BaseExpression) -> cst.Subscript:
    return cst.Subscript(value, [cst.SubscriptElement(cst.Index(index))])


class ForeignApiKey(ReportsOnce):
    """A W&B client whose API key comes from another provider's variable.

    ## What it does
    Flags a W&B client whose `api_key=` reads another provider's environment variable
    (`GROQ_API_KEY`, `TOGETHER_API_KEY`, `OPENROUTER_API_KEY`, `FIREWORKS_API_KEY`,
    `ANTHROPIC_API_KEY`, ...). Under `assume-wandb` it also flags a client that reads
    `OPENAI_API_KEY`, or passes no `api_key` at all (the SDK then reads `OPENAI_API_KEY`), or
    authenticates with OpenAI's `workload_identity=`.

    ## Why is this bad?
    W&B answers another company's key with 401, so every request of the ported code fails.
    Outside porting, `OPENAI_API_KEY` may hold the W&B key on purpose (W&B's docs allow it);
    when porting, it is the OpenAI key the code used before.

    ## Example
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key=os.environ["GROQ_API_KEY"])
    ```
    Use instead:
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key=os.environ["WANDB_API_KEY"])
    ```

    ## Fix safety
    Unsafe: the key changes, and `WANDB_API_KEY` must be set where the code runs. The
    variable's name is rewritten in the read the code has (`os.environ[...]`, `os.getenv(...)`);
    a missing `api_key=` is added in the form the module already reads variables with
    (`import os` is added when needed). The SDK refuses `api_key=` beside `workload_identity=`
    and `provider=`: the first is replaced by the key; a client given the second gets no fix
    until WB103's fix has replaced it with W&B's `base_url=`. A name built at run time is
    reported without a fix, and so is a read in a function the call gets its key from
    (`api_key=_key()`): other callers of the function may need the variable it reads.
    A read kept in a name or in `self.<attr>` that something else also reads (a client
    given another base URL, another SDK's client, a LiteLLM call, a header, a helper it is
    passed to) is reported without a fix: the rewritten read would send the W&B key there
    too. Other W&B clients whose key this rule fixes, and tests of the key (`if not KEY:`),
    may read it. A module that imports the name keeps the fix only when each mention of the
    name there is its import or the `api_key=` of a W&B client.
    A read in another module (`api_key=settings.KEY`, `KEY = os.getenv("GROQ_API_KEY")` in
    settings.py) is reported there, where the variable is named, once, naming one W&B client
    that reads it (OpenAI SDK clients the project resolves), and renamed under the same
    conditions; through a function (`api_key=settings.get_key()`) it has no fix. Linting the
    client's module with its project reports nothing there; a project of that module alone
    cannot see the read and reports nothing.
    A LiteLLM call whose model prefix sends it to another provider (`meta_llama/`, `groq/`)
    is reported with the variable LiteLLM reads there and no fix: the W&B key would go to
    that provider. WB108's fix changes the model and the key together. Given W&B's base URL,
    such a prefix, or a provider named by `custom_llm_provider=` (`"hosted_vllm"`:
    HOSTED_VLLM_API_KEY, else `fake-api-key`; `"litellm_proxy"`: LITELLM_PROXY_API_KEY ...),
    sends that provider's key to W&B: the variable is named, and the fix passes the W&B key.
    A model prefix LiteLLM reads as it reads `custom_llm_provider=` (`hosted_vllm/<id>`) is
    read as that keyword: given no base URL the call goes to that provider, with its key, and
    no W&B key is written into it (where the module sets `litellm.api_base`, LiteLLM sends
    some of these providers' requests there instead: the message says so). A call given a
    `**` dict that cannot be read is not judged.
    A call that sends W&B no key, given its URL (`custom_llm_provider="openai_like"`, for
    which LiteLLM raises before sending), is not reported, nor is `"vllm"` or a `vllm/`
    model, which LiteLLM runs in this process whatever base URL it is given (W&B's, another
    or none), nor `"oobabooga"`, which LiteLLM sends with no key whatever `api_key=` says
    (and given no base URL raises "API Base not set"). One that sends W&B a request it does
    not serve (`"heroku"`'s other path, where it sends HEROKU_API_KEY; LiteLLM's
    `anthropic/`, LangChain's ChatGroq or ChatAnthropic built by `init_chat_model`: WB108)
    is reported with no fix: the W&B key would not make that request work.
    A LiteLLM call given neither a key nor a base URL whose model is not known
    (`LiteLlm(model=os.getenv("MODEL"))`) is reported without a variable and without a fix:
    LiteLLM reads the key of whichever provider the model names at run time. A LiteLLM call
    that WB102 reports (an `openai/` or unprefixed model given no `api_base`) gets its key
    fix only once its base URL is W&B's: until then the W&B key would go to OpenAI. So does
    LangChain's `init_chat_model` when it makes a `ChatOpenAI`; when it makes another
    provider's class (`model_provider="anthropic"`, a `claude-` model), that class reads its
    own provider's key and no W&B key is written into it.
    """

    code = "WB107"
    name = "foreign-api-key"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    @property
    def porting(self) -> PortingSpec:
        return self.spec.api.porting

    @functools.cached_property
    def _judged_reads(self) -> set[cst.CSTNode]:
        """The literals naming the variables of the reads this module's own W&B clients are
        reported for: a client of another module reading one (`told.KeyUse`) is not
        reported again there."""
        return set()

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """A read of another provider's variable written here that a W&B client of another
        module takes its key from (`api_key=settings.KEY`): reported where the variable is
        named, with the rename where only W&B clients whose key is fixed read it (the
        project tells its importers' readers: `project/shared_keys.py`)."""
        wandb = self.porting.wandb_key_variable
        for node, use in facts.key_uses:
            if node in self._judged_reads or use.variable not in self.porting.key_variables:
                continue
            owner = self.porting.key_variables[use.variable].provider
            message = (
                f"{use.variable} ({owner}'s key) is read here for the key of a W&B client, "
                f"{use.client}: W&B answers it with 401. Read {wandb} instead"
            )
            fix = None
            if use.fixable:
                shared = self._told_shared(node, use)
                if shared is None:
                    edit = Replacement(node, string_like(node, wandb))
                    fix = unsafe_fix(f"Read {wandb}", edit)
                else:
                    message += shared
            yield from self.once(node, message, fix)

    def _told_shared(self, node: cst.SimpleString, use: KeyUse) -> str | None:
        """`_shared_with` for a read only a client of another module is known to take its key
        from: what else reads the names it is bound to here (`use.names`), or what another
        module that imports them does with them (`facts.key_readers`)."""
        named = use.names[-1] if use.names else use.variable
        elsewhere = self.context.facts.key_readers.get(node)
        if elsewhere is not None:
            return f". No fix: {named!r} is also {elsewhere}" + SHARED
        scope = self.resolver.bindings.module
        chains: list[list[Hop]] = []
        for name in use.names:
            hops = key_hops(cst.Name(name), scope, self.resolver)
            read = env_read(hops[-1][0], hops[-1][1], self.resolver)
            if read is None or read.name_node is not node:
                return f". No fix: what {name!r} holds here is not known"
            chains.append(hops)
        if not chains:
            return ". No fix: the read is bound to no name of this module"
        source = chains[0][-1][0]
        facts = self.context.facts
        shared = self._shared_with_clients(source, named, chains)
        if shared is not None:
            return shared
        reader = other_reader(source, chains, self.resolver.bindings, self.resolver, facts.clients)
        if reader is None:
            return None
        return f". No fix: {named!r} is also read by {reader}" + SHARED

    @functools.cached_property
    def _key_reader(self) -> KeyReader:
        """One per module (a rule object lives for one): it reads the module's reads once."""
        return KeyReader(self.context.facts.module, self.resolver.bindings.module, self.resolver)

    def check_client(self, client: Client) -> Iterator[Report]:
        if client.sdk is not None or client.node is None:
            return  # another provider's SDK: WB603 writes the key with the rest of the port
        api_key = client.arguments.get("api_key")
        if api_key is None:
            yield from self._missing_key(client)
            return
        judged = self._judged_key(client, api_key)
        if judged is None:
            return
        read = env_read(api_key.value, client.scope, self.resolver)
        if read is not None:
            self._judged_reads.add(read.name_node)
        message, fix = judged
        if fix is not None:
            shared = self._shared_with(client, api_key)
            if shared is not None:
                message += shared
                fix = None
        yield from self.once(api_key.value, message, fix)  # a `**KW` may serve two clients

    def _judged_key(
        self, client: Client, api_key: Keyword
    ) -> tuple[str, FixProposal | None] | None:
        """The message and fix for a W&B client whose `api_key=` reads another provider's
        variable (None: it does not), before other readers of that read are looked at."""
        read = env_read(api_key.value, client.scope, self.resolver)
        if read is None or not self._is_foreign(read.variable) or _sends_no_key(client):
            return None  # (`openai_like` given W&B's URL, `vllm` given any: nothing is sent)
        wandb = self.porting.wandb_key_variable
        owner = self.porting.key_variables[read.variable].provider
        message = (
            f"This W&B client reads its key from {read.variable} ({owner}'s key): W&B answers "
            f"it with 401. Read {wandb} instead"
        )
        provider = self._routed_elsewhere(client)
        if provider is not None:
            # The key goes with the model's provider: WB108's fix changes both at once.
            message = (
                f"This W&B client reads its key from {read.variable} ({owner}'s key), and its "
                f"{provider.prefix!r} model prefix sends the request to {provider.provider}, not "
                f"to W&B: retarget the model (WB108), whose fix reads {wandb} with it"
            )
            return message, None
        edit = renamed_read(read, wandb)
        fix = None if edit is None else unsafe_fix(f"Read {wandb}", edit)
        if _sent_to_openai(client):
            message += _not_before_the_url(client)
            fix = None
        unserved = _unserved(client)
        if unserved is not None:
            message += unserved
            fix = None
        elif client.other_provider is not None:
            message += f". No fix: {client.label} sends the key to another provider"
            fix = None
        elif client.provider_unknown and (_picks_provider(client) or self._names_one(client)):
            message += f". No fix: the provider {client.label} picks is not known here"
            fix = None
        return message, fix

    def _shared_with(self, client: Client, api_key: Keyword) -> str | None:
        """Why the fix of `client`'s key is dropped when the read it rewrites is also read
        by something that does not send to W&B (`key_readers.py`): the rewritten read would
        send the W&B key there too. None: only W&B clients whose key this rule fixes read
        it, or the read is written in the call itself."""
        hops = key_hops(api_key.value, client.scope, self.resolver)
        source = hops[-1][0]
        names = [hop for hop, _ in hops[:-1] if type(hop) in (cst.Name, cst.Attribute)]
        bound = names[-1] if names else source
        named = bound.value if type(bound) is cst.Name else cst.Module([]).code_for_node(bound)
        read = env_read(api_key.value, client.scope, self.resolver)
        elsewhere = None if read is None else self.context.facts.key_readers.get(read.name_node)
        if elsewhere is not None:
            return (
                f". No fix: {named!r} is also {elsewhere}: the rewritten read would send "
                "W&B's key there too"
            )
        chains = [hops]
        shared = self._shared_with_clients(source, named, chains, besides=client)
        if shared is not None:
            return shared
        assert client.node is not None
        if len(hops) == 1 and any(arg.value is source for arg in client.node.args):
            return None  # `api_key=os.getenv(...)`: read by this call alone
        facts = self.context.facts
        bindings = self.resolver.bindings
        reader = other_reader(source, chains, bindings, self.resolver, facts.clients)
        if reader is None:
            return None
        return f". No fix: {named!r} is also read by {reader}" + SHARED

    def _shared_with_clients(
        self,
        source: cst.CSTNode,
        named: str,
        chains: list[list[Hop]],
        besides: Client | None = None,
    ) -> str | None:
        """Why the read `source` gets no fix when another client (not `besides`) reads it and
        would not be fixed alike; else None, with each such client's chain of hops added to
        `chains` (the clients whose key the rule fixes alike may share the read)."""
        for other in self.context.facts.clients:
            key = other.arguments.get("api_key")
            if other is besides or key is None:
                continue
            found = key_hops(key.value, other.scope, self.resolver)
            if found[-1][0] is not source:
                continue
            if not self._fixed_alike(other, key):
                return f". No fix: {named!r} is also read by {client_reader(other)}" + SHARED
            chains.append(found)
        return None

    def _fixed_alike(self, other: Client, key: Keyword) -> bool:
        """Whether `other` is a W&B client whose key this rule fixes the same way."""
        if not other.is_wandb or other.sdk is not None or other.node is None:
            return False
        judged = self._judged_key(other, key)
        return judged is not None and judged[1] is not None

    def _is_foreign(self, variable: str) -> bool:
        if variable not in self.porting.key_variables:
            return False
        return variable != self.porting.sdk_key_variable or self.context.options.assume_wandb

    def _missing_key(self, client: Client) -> Iterator[Report]:
        assert client.node is not None
        if not self.context.options.assume_wandb or not client.arguments.complete:
            return
        if client.reads_wandb_key:
            return  # LiteLLM's `wandb/` model: LiteLLM reads WANDB_API_KEY itself
        if client.derived_from is not None:
            return  # `client.with_options(base_url=...)` keeps `client`'s key
        if _sends_no_key(client):
            return  # LiteLLM raises (`openai_like`) or runs vllm in-process: it sends no key
        if not self.first_time(client.node.func):
            return
        wandb, default = self.porting.wandb_key_variable, self.porting.sdk_key_variable
        provider = self._routed_elsewhere(client)
        if provider is not None:
            reads = "reads" if provider.key_variables else "authenticates with"
            message = (
                f"This client passes no api_key, so LiteLLM {reads} {provider.reads} "
                f"({provider.provider}'s key): its {provider.prefix!r} model prefix sends the "
                f"request to {provider.provider}, not to W&B. Retarget the model (WB108): with "
                f"LiteLLM's 'wandb/' prefix it reads {wandb}"
            )
            yield self.report(client.node.func, message)
            return
        if client.provider_unknown:
            yield self.report(client.node.func, self._unknown_provider(client))
            return
        if client.other_provider is not None:
            yield self.report(client.node.func, _other_provider(client))
            return
        blocker = _key_refused_beside(client, self.spec.api.client_targets)
        if blocker is not None:
            yield self._key_blocked(client, blocker)
            return
        message = (
            f"This client passes no api_key, so the SDK reads {default} (the OpenAI key when "
            f"porting): W&B answers it with 401. Pass api_key from {wandb}"
        )
        read = self._key_sent_there(client)
        if read is not None:  # `groq/<id>` given W&B's api_base: Groq's key goes to W&B
            message = (
                f"This client passes no api_key, so {read} and sends it to the base URL "
                f"given: W&B answers it with 401. Pass api_key from {wandb}"
            )
        fix = None if client.deployment else self._add_key_fix(client.node)
        if _sent_to_openai(client):
            message += _not_before_the_url(client)
            fix = None
        unserved = _unserved(client)
        if unserved is not None:
            message += unserved
            fix = None
        yield self.report(client.node.func, message, fix)

    def _key_blocked(self, client: Client, blocker: ClientTarget) -> Report:
        """A client given a constructor keyword the SDK refuses `api_key=` beside: one that
        authenticates in its place (`workload_identity=`) is replaced by the W&B key; one that
        also picks the endpoint (`provider=`) goes with WB103's fix first."""
        assert client.node is not None
        wandb, keyword = self.porting.wandb_key_variable, blocker.keyword
        if blocker.replaced_by != "api_key":
            message = (
                f"This client passes no api_key: {keyword}= authenticates it with "
                f"{blocker.target}, and W&B needs the key from {wandb}. No fix while {keyword}= "
                f"is given: the SDK refuses api_key= beside it (WB103's fix replaces it first)"
            )
            return self.report(client.node.func, message)
        message = (
            f"This client authenticates with {keyword}= ({blocker.target}): W&B answers its "
            f"token with 401. Replace it with api_key from {wandb} (the SDK refuses api_key= "
            f"beside {keyword}=)"
        )
        given = client.arguments.keywords[keyword].arg
        fix = None
        if given is not None and not client.deployment:
            expression, needed_import = self._key_reader.expression(wandb)
            replaced = renamed_arg(given, "api_key", expression)
            edits = [Replacement(given, replaced)]
            if needed_import is not None:
                edits.append(needed_import)
            fix = unsafe_fix(f"Replace {keyword}= with api_key from {wandb}", *edits)
        return self.report(client.node.func, message, fix)

    def _key_sent_there(self, client: Client) -> str | None:
        """Who reads which key and sends it to the base URL the call is given, when that is
        not the SDK's OPENAI_API_KEY (for messages): LiteLLM reads the key of the provider a
        `custom_llm_provider=` names (`HOSTED_VLLM_API_KEY`, `ANTHROPIC_API_KEY` ...), else of
        the model's prefix (`groq/<id>`: GROQ_API_KEY); init_chat_model's ChatDeepSeek reads
        DEEPSEEK_API_KEY."""
        if client.library is None or client.base_url_value is None:
            return None
        built = client.provider_class
        if built is not None:
            return f"the {built.client} that {client.label} builds reads {_owned(built)}"
        convention = bundled_libraries().convention(client.library)
        keyword, named = named_provider(self.resolver, convention, client.arguments, client.scope)
        if keyword is not None and convention.names_provider(named):
            # `custom_llm_provider=` names the provider, not the model's prefix.
            given = f"{keyword.name}={named!r}"
            read = _named_key(convention, given, str(named))
            return None if read is None else f"LiteLLM reads {read}"
        model = _model_keyword(client)
        value = None if model is None else self.resolver.evaluate(model.value, client.scope)
        if not isinstance(value, str):
            return None
        posted = convention.posted_prefix(value) or convention.misposted_prefix(value)
        if posted is not None:  # `hosted_vllm/<id>`, `heroku/<id>`: read as the keyword is
            read = _named_key(convention, f"its {posted + '/'!r} model", posted)
            return None if read is None else f"LiteLLM reads {read}"
        provider = convention.other_api(value)
        if provider is None or not provider.key_variables:
            return None
        return f"LiteLLM reads {_owned(provider)} for its {provider.prefix!r} model"

    def _unknown_provider(self, client: Client) -> str:
        """The message for a LiteLLM call whose model is not known: which key
        LiteLLM reads depends on the provider the model's prefix names, so none is named,
        and no key is added (it would go to whichever provider that is)."""
        model = _model_keyword(client)
        read = None if model is None else env_read(model.value, client.scope, self.resolver)
        source = f" (read from {read.variable})" if read is not None else ""
        wandb = self.porting.wandb_key_variable
        if self._names_one(client) and not _picks_provider(client):
            return (
                f"This client passes no api_key and no base URL, and the provider its "
                f"{self._keyword(client)}= names is not known here: LiteLLM sends the request "
                "to that provider, with that provider's key. No key is added here: it would "
                "go to whichever provider that is"
            )
        if _picks_provider(client):
            return (
                f"This client passes no api_key, and the provider {client.label} picks (its "
                f"provider keyword, else the model{source}) is not known here: that provider's "
                "own class reads its own key and sends it to its own API. W&B is reached only "
                "through OpenAI's class with W&B's base URL. No key is added here: it would "
                "go to whichever provider that is"
            )
        return (
            f"This client passes no api_key and no base URL, and its model{source} is not "
            "known here: LiteLLM sends the request to the provider the model's prefix names, "
            "with that provider's key. It reaches W&B only if the model is "
            f"'wandb/<W&B model ID>' (LiteLLM's W&B prefix, which reads {wandb}); an api_key "
            "added here would go to whichever provider the model names"
        )

    def _names_one(self, client: Client) -> bool:
        """Whether the call is given a keyword that names its provider (`custom_llm_provider=`)."""
        if client.library is None:
            return False
        convention = bundled_libraries().convention(client.library)
        return (
            named_provider(self.resolver, convention, client.arguments, client.scope)[0] is not None
        )

    @staticmethod
    def _keyword(client: Client) -> str:
        assert client.library is not None
        return bundled_libraries().convention(client.library).provider_keywords[0]

    def _routed_elsewhere(self, client: Client) -> ProviderRoute | None:
        """In porting mode, the provider a library's model prefix sends the call to (LiteLLM's
        `meta_llama/`). The key alone is not fixed there: the W&B key would go to that
        provider."""
        if not self.context.options.assume_wandb:
            return None
        return client.routed_to

    def _add_key_fix(self, call: cst.Call) -> FixProposal:
        expression, needed_import = self._key_reader.expression(self.porting.wandb_key_variable)
        new_call = with_arg(call, keyword_arg("api_key", expression))
        replacements = [Replacement(call, new_call)]
        if needed_import is not None:
            replacements.append(needed_import)
        return unsafe_fix(f"Pass api_key={cst.Module([]).code_for_node(expression)}", *replacements)
