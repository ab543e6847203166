"""The call-site table of the libraries people reach W&B through, as frozen dataclasses.

`libraries.toml` names, per callable of LangChain, LiteLLM, CrewAI, the OpenAI Agents SDK,
DSPy, pydantic-ai, LlamaIndex and instructor, which keyword carries what; the analysis reads
call sites through it (`lint_wb.analysis.libraries`), so a new library is a new row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Literal

from lint_wb.records import dataclass

CallableRole = Literal[
    "request",  # sends (or configures) chat requests: ChatOpenAI, litellm.completion, LLM
    "client",  # holds the connection only: pydantic-ai's OpenAIProvider
    "settings",  # a settings object whose fields become request fields: ModelSettings
    "wrapper",  # returns the client it is given: instructor.from_openai, wrap_openai
    "default-client",  # set_default_openai_client(client)
    "default-api",  # set_default_openai_api("chat_completions")
    "responses-model",  # the Agents SDK's OpenAIResponsesModel: the Responses API
    "embeddings",  # LangChain's OpenAIEmbeddings, litellm.embedding: the embeddings endpoint
    "router",  # LiteLLM's Router: a list of deployments, each read as another row's call
    "openai-client",  # the OpenAI client class re-exported: `from agents import AsyncOpenAI`
]
SignatureOrigin = Literal["installed", "source"]
"""Where the keyword names were read: the installed package (a test checks them against its
signature) or, for packages too heavy for the test extra, their source at `version`."""


@dataclass(frozen=True)
class ModelRoute:
    """A model prefix of a library's model-ID convention (`wandb/`, `openai/`)."""

    prefix: str
    wandb: bool
    """True: the prefix itself targets W&B (LiteLLM's `wandb/`: the base URL is implied)."""
    openai_default: bool = False
    """True: given no base URL, the library sends such a model to OpenAI's URL (LiteLLM's
    `openai/`: api.openai.com, unless OPENAI_BASE_URL or a process-wide setting says
    otherwise), as the OpenAI SDK does."""


@dataclass(frozen=True)
class ProviderRoute:
    """A model prefix that sends the request to another provider's own API (LiteLLM's
    `meta_llama/`), and what the library authenticates with there."""

    prefix: str
    provider: str
    """The provider as messages name it (`Meta Llama API`)."""
    key_variables: tuple[str, ...] = ()
    """The variables the library reads the key from when `api_key=` is not given, the first
    one set wins (empty: it reads `credentials`)."""
    credentials: str = ""
    """What it authenticates with instead of a key variable (`AWS credentials`)."""
    to_api_base: bool = False
    """Given a base URL, the library posts the chat request there in OpenAI's format with the
    model after the prefix unchanged (`groq/<id>` with W&B's URL: W&B receives `<id>`)."""
    local: bool = False
    """Given no base URL, the library sends the request to a server on this machine (LiteLLM's
    `ollama/`): not a provider to port from."""
    client: str = ""
    """For a library that builds the provider's own class (init_chat_model): that class
    (`ChatAnthropic`), for messages."""

    @property
    def reads(self) -> str:
        """What the call authenticates with, for messages: `LLAMA_API_KEY`, `AWS credentials`."""
        return self.key_variables[0] if self.key_variables else self.credentials


@dataclass(frozen=True)
class PassThrough:
    """A provider (LiteLLM's `hosted_vllm`) that posts the model, less its own prefix,
    unchanged in OpenAI's format to the base URL given: given W&B's, W&B receives it."""

    provider: str
    key_variables: tuple[str, ...]
    """The variables the library reads the key from when `api_key=` is not given, the first
    one set wins."""
    placeholder: str = ""
    """The key it sends when none of them is set (`fake-api-key`), else ""."""

    @property
    def reads(self) -> str:
        """What the call sends as its key, for messages."""
        read = " or ".join(self.key_variables)
        return f"{read} (unset: {self.placeholder!r})" if self.placeholder else read


@dataclass(frozen=True)
class MispostedKey:
    """What a provider the library posts to another path (`misposted`) sends as its key, and
    where it sends the call given no base URL (LiteLLM's `heroku`, `oobabooga`)."""

    provider: str
    key_variables: tuple[str, ...] = ()
    """The variables the library reads the key from when `api_key=` is not given, the first
    one set wins."""
    keyless: bool = False
    """The library sends no key for it, whatever `api_key=` the call gives (LiteLLM passes
    `oobabooga` api_key=None)."""
    base_url_variables: tuple[str, ...] = ()
    """Where the library takes its server's URL given no base URL (`HEROKU_API_BASE`); with
    none of them set, or none listed, it raises before sending."""
    no_base_url: str = ""
    """What the library raises given no base URL (and none of `base_url_variables` set)."""

    @property
    def reads(self) -> str:
        """What the call sends as its key, for messages."""
        return " or ".join(self.key_variables)


@dataclass(frozen=True)
class ModelConvention:
    """How a library turns the model string it is given into the ID W&B receives."""

    name: str
    routes: tuple[ModelRoute, ...] = ()
    """Prefixes stripped before the request; empty: the string is sent verbatim."""
    bare_verbatim: bool = False
    """What a model without one of the prefixes is: sent verbatim (True), or routed to another
    provider and not checked (False)."""
    elsewhere: tuple[ProviderRoute, ...] = ()
    """Prefixes that send a model to another provider's own API (LiteLLM's `anthropic/`)."""
    passthrough: tuple[PassThrough, ...] = ()
    """Providers that post the model unchanged to the OpenAI-compatible URL given."""
    unposted: tuple[str, ...] = ()
    """Providers the library knows that post no chat request with the model to the URL given
    (LiteLLM's `openai_like` raises, `vllm` runs the local package)."""
    unmapped: tuple[str, ...] = ()
    """Providers the library knows but has no chat completions for (LiteLLM's `openai_like`:
    it raises "Unmapped LLM provider" before sending anything)."""
    misposted: tuple[str, ...] = ()
    """Providers the library posts somewhere other than `<api_base>/chat/completions`, given
    an api_base (LiteLLM's `heroku`: `<api_base>/v1/chat/completions`)."""
    misposted_keys: tuple[MispostedKey, ...] = ()
    """For some of `misposted`: the key each sends, and where it goes given no base URL."""
    base_url_settings: tuple[str, ...] = ()
    """Process-wide settings of the base URL a call given none uses (`litellm.api_base`)."""
    base_url_variables: tuple[str, ...] = ()
    """Environment variables the library reads that base URL from (`OPENAI_API_BASE`)."""
    bare_by_base_url: bool = False
    """A model with no provider prefix (LiteLLM's `gpt-4o-mini`, `Qwen/Qwen3.6-35B-A3B`) goes
    where the base URL says: given W&B's, W&B receives it as written; given none, the library
    looks its provider up by the name (OpenAI's models go to OpenAI's URL) or raises."""
    providers: frozenset[str] = frozenset()
    """The first parts of a model (`ollama` in `ollama/llama3`) the library reads as a
    provider: a model starting with one of them is not bare."""
    provider_keywords: tuple[str, ...] = ()
    """Keywords that name the provider outright (`custom_llm_provider=`): given one, a bare
    model is that provider's."""
    openai_provider: str = ""
    """For a library that picks the provider's own client (`init_chat_model`): the provider
    name (in a provider keyword, or a `name:` prefix) that picks OpenAI's client, which sends
    requests to OpenAI's URL given no base URL."""
    openai_names: tuple[str, ...] = ()
    """Lower-case starts of the model names such a library takes for OpenAI's when no provider
    is named (`gpt-`, `o1` ...); any other name goes to another provider, or the library
    raises."""
    prefixed: frozenset[str] = frozenset()
    """For such a library, the providers a `name:` prefix of the model names: given no
    provider keyword, it strips that prefix (`deepseek:`); any other `x:` is part of the
    name."""
    inferred: tuple[tuple[str, str], ...] = ()
    """Lower-case starts of the names such a library takes for another provider's, with that
    provider (`claude`: `anthropic`, `deepseek`: `deepseek` ...): with `openai_names`, every
    name it places given no provider."""
    classes: tuple[ProviderRoute, ...] = ()
    """For such a library, the class it builds for a provider (`prefix`: `anthropic:`) and
    what that class does given a base URL."""
    openai_client: str = ""
    """The class of OpenAI's client that library picks (LangChain's `ChatOpenAI`)."""
    unknown_prefix_raises: bool = False
    """A model with a `/` whose first part is no route's and none of `other_prefixes` makes
    the library raise before any request (the Agents SDK's default provider: UserError
    "Unknown prefix"); so a new ID is written under the first route's prefix."""
    other_prefixes: tuple[str, ...] = ()
    """Prefixes that hand the model to another provider the library holds (the Agents SDK's
    `litellm/`, `any-llm/`), not to the client it is given: not W&B's to judge."""

    @property
    def verbatim(self) -> bool:
        return not self.routes

    @property
    def other_names(self) -> tuple[str, ...]:
        """The starts of `inferred`."""
        return tuple(start for start, _ in self.inferred)

    def provider_class(self, provider: str | None) -> ProviderRoute | None:
        """The class row of `provider` (`anthropic`: ChatAnthropic), if the data has one."""
        return next((row for row in self.classes if row.prefix == f"{provider}:"), None)

    def sends_as_written(self, provider: str | None) -> bool:
        """Whether the class such a library builds for `provider` (its `model_provider=`)
        posts the model as written to the base URL it is given: OpenAI's client, or a class
        the data says does so (ChatDeepSeek). Not for a class the data does not describe
        (ChatGroq posts to `<base_url>/openai/v1/...`) or a provider not known here: a new
        model ID written there would still not reach W&B."""
        if provider is not None and provider == self.openai_provider:
            return True
        built = self.provider_class(provider)
        return built is not None and built.to_api_base

    def route(self, model: str) -> ModelRoute | None:
        for route in self.routes:
            if model.startswith(route.prefix):
                return route
        return None

    @property
    def wandb_prefix(self) -> str:
        """The prefix that sends a model to W&B (LiteLLM's `wandb/`), else ''."""
        return next((route.prefix for route in self.routes if route.wandb), "")

    def raises(self, model: str) -> bool:
        """Whether the library raises for `model` before any request (`unknown_prefix_raises`):
        a first part before a `/` that is no route's (`meta-llama/...`)."""
        if not self.unknown_prefix_raises or "/" not in model:
            return False
        return self.route(model) is None and not model.startswith(self.other_prefixes)

    def bare(self, model: str) -> bool:
        """Whether `model` has no provider prefix the library reads (`bare_by_base_url`)."""
        if not self.bare_by_base_url or not model or self.route(model) is not None:
            return False
        head, slash, _ = model.partition("/")
        return not slash or head not in self.providers

    def provider(self, model: str | None, named: str | None, given: bool) -> str | None:
        """The provider a library that picks it (`openai_provider`) sends the model to: the
        name `named` by a provider keyword (`given`), else OpenAI's for a `openai:` prefix or
        a name of `openai_names`, else another's (its `name:` prefix, else the one `inferred`
        from the name, else "": init_chat_model raises). None when that is not known here."""
        if not self.openai_provider:
            return None
        if given:
            return None if named is None else named.replace("-", "_").lower()
        if model is None:
            return None
        head = self.provider_prefix(model)[:-1]
        if head == self.openai_provider or model.lower().startswith(self.openai_names):
            return self.openai_provider
        if head:
            return head
        lowered = model.lower()
        return next((name for start, name in self.inferred if lowered.startswith(start)), "")

    def unplaced(self, model: str) -> bool:
        """Whether a library that picks the provider (`openai_provider`), given none, raises
        for `model`: a name with no `name:` prefix that starts with none of the names it
        infers a provider from (init_chat_model's `Qwen/...`)."""
        if not self.openai_provider or self.provider_prefix(model):
            return False
        return not model.lower().startswith(self.openai_names + self.other_names)

    def provider_prefix(self, model: str) -> str:
        """The `name:` prefix of `model` that a library that picks the provider
        (`openai_provider`) strips, given no provider keyword (`deepseek:` of
        `deepseek:deepseek-ai/DeepSeek-V3.1`), else ""."""
        head, colon, _ = model.partition(":")
        return f"{head}:" if colon and head in self.prefixed else ""

    def names_provider(self, named: str | None) -> bool:
        """Whether a provider keyword's value (`custom_llm_provider=`) is one LiteLLM knows:
        then it routes the call outright (`as_routed`). A value not known here, or a name it
        does not know (`"OpenAI"`), leaves the route unsure."""
        return named is not None and named in self.providers

    def as_routed(self, model: str, named: str | None, sure: bool) -> str:
        """The model as a library that reads a provider keyword (LiteLLM's
        `custom_llm_provider=`) routes it: given a provider it knows (`sure`), `model` with
        that provider's prefix in front unless its first part is that provider (LiteLLM's
        get_llm_provider): `gpt-4o` is routed as `openai/gpt-4o`, `groq/gpt-4o`. Else `model`
        itself."""
        if not sure or named is None:
            return model
        return model if model.split("/")[0] == named else f"{named}/{model}"

    def spelled(self, model_id: str, named: str = "") -> str:
        """What a call whose model has no provider prefix must be given for W&B's URL to
        receive `model_id` as it is: LiteLLM reads a W&B ID that starts with a provider it
        knows (`openai/gpt-oss-120b`) as that provider's, so it goes under LiteLLM's W&B prefix,
        or, given `custom_llm_provider=named`, under that provider's prefix when it starts with
        it (LiteLLM strips it once); init_chat_model given no provider raises for a name it does
        not take for OpenAI's (`Qwen/...`), so it goes under the OpenAI provider's `name:`
        prefix."""
        if named:
            return f"{named}/{model_id}" if model_id.split("/")[0] == named else model_id
        if self.unknown_prefix_raises:
            return self.routes[0].prefix + model_id
        if self.bare_by_base_url:
            return model_id if self.bare(model_id) else self.wandb_prefix + model_id
        if self.openai_provider:
            if self.provider(model_id, None, False) == self.openai_provider:
                return model_id
            return f"{self.openai_provider}:{model_id}"
        return model_id

    def sent_elsewhere(self, model: str) -> ProviderRoute | None:
        """The provider whose prefix `model` starts with (`meta_llama/...`), if any, when
        given no base URL the library sends the model to that provider (not to a server on
        this machine: `ollama/`)."""
        found = self.other_api(model)
        return None if found is None or found.local else found

    def other_api(self, model: str) -> ProviderRoute | None:
        """The provider whose prefix `model` starts with (`meta_llama/...`, `ollama/`), if any:
        given W&B's base URL, one that is not `to_api_base` sends it no chat request W&B
        serves."""
        for route in self.elsewhere:
            if model.startswith(route.prefix):
                return route
        return None

    def posts_model(self, provider: str | None) -> bool:
        """Whether a provider named by a keyword (`custom_llm_provider=`) posts the model,
        less its own prefix, to the OpenAI-compatible URL given: a `passthrough` row, or any
        other provider that is neither an `elsewhere` row nor `unposted` (LiteLLM's many
        OpenAI-compatible providers)."""
        if provider is None or provider in self.unposted or provider in self.unmapped:
            return False
        if provider in self.misposted:
            return False
        return self.passes_through(provider) is not None or self.other_api(f"{provider}/") is None

    def posted_prefix(self, model: str) -> str | None:
        """The provider whose `name/` prefix `model` starts with, when that provider posts the
        model, less the prefix, to the URL given (`posts_model`; `hosted_vllm/...`,
        `baseten/...`): LiteLLM reads the prefix as it reads `custom_llm_provider=name`
        (get_llm_provider gives the same provider, model and api_base either way, litellm
        1.110.2). None for a model with no such prefix (a route, an `elsewhere` row, none)."""
        head, slash, _ = model.partition("/")
        if not self.bare_by_base_url or not slash or head not in self.providers:
            return None
        if self.route(model) is not None or self.other_api(model) is not None:
            return None
        return head if self.posts_model(head) else None

    def misposted_prefix(self, model: str) -> str | None:
        """The provider of `misposted` whose `name/` prefix `model` starts with (`heroku/<id>`):
        given no base URL, LiteLLM sends the call to that provider's own server with its key
        (heroku reads HEROKU_API_BASE and HEROKU_API_KEY, litellm 1.110.2), as for
        `custom_llm_provider="heroku"`."""
        head, slash, _ = model.partition("/")
        if not self.bare_by_base_url or not slash or head not in self.misposted:
            return None
        return head if head in self.providers else None

    def unposted_prefix(self, model: str) -> str | None:
        """The provider of `unposted` whose `name/` prefix `model` starts with (`vllm/<id>`):
        LiteLLM reads the prefix as it reads `custom_llm_provider="vllm"` (get_llm_provider
        gives the same provider and model either way, litellm 1.110.2)."""
        head, slash, _ = model.partition("/")
        return head if slash and head in self.unposted else None

    def misposted_key(self, provider: str | None) -> MispostedKey | None:
        """The key row of a `misposted` provider, when the data has one."""
        return next((row for row in self.misposted_keys if row.provider == provider), None)

    def passes_through(self, provider: str | None) -> PassThrough | None:
        """The row of a provider (`hosted_vllm`) that posts the model unchanged to the
        OpenAI-compatible URL given, if `provider` is one."""
        return next((row for row in self.passthrough if row.provider == provider), None)


@dataclass(frozen=True)
class LibraryCallable:
    """One row: a callable of a library and which of its keywords carries what."""

    library: str
    """The library's name as messages show it (`CrewAI`)."""
    label: str
    """The callable as messages show it (`LLM`)."""
    names: tuple[str, ...]
    """Its import-qualified names (`crewai.LLM`, `crewai.llm.LLM`), aliases included."""
    role: CallableRole
    package: str
    version: str
    signature: SignatureOrigin
    source: str
    checked: str
    legacy_names: tuple[str, ...] = ()
    """Names it had in older versions of the package (pydantic-ai 1.x's `OpenAIModel`):
    recognised in code, but not importable from `version`."""
    parameter_object: str = ""
    """For `signature` checks: the object whose parameters these are, when it is not the
    first of `names` (a class whose fields, not `__init__`, list them)."""
    positional: tuple[str, ...] = ()
    """The parameter names positional arguments bind to, in order."""
    base_url: tuple[str, ...] = ()
    model: tuple[str, ...] = ()
    api_key: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    """Keywords holding a dict of HTTP headers sent with every request."""
    project: tuple[str, ...] = ()
    """Keywords sent as the `OpenAI-Project` header."""
    client: tuple[str, ...] = ()
    """Keywords carrying the client (or provider, or model object) requests go through."""
    settings: tuple[str, ...] = ()
    """Keywords holding request settings: a dict, or a `settings` row's call."""
    sdk_keywords: tuple[str, ...] = ()
    """Keywords whose dict the library passes to the OpenAI SDK's `create()` as keywords
    (LangChain's `model_kwargs`): a name `create()` does not take raises TypeError."""
    extra_body: tuple[str, ...] = ()
    """Keywords whose dict is merged into the JSON body (`extra_body`)."""
    messages: tuple[str, ...] = ()
    not_model: tuple[str, ...] = ()
    """Keywords the callable takes through `**kwargs` that look like its model but never are
    (init_chat_model's `model_name`: given no `model`, its first use raises TypeError)."""
    fields: dict[str, str] = field(default_factory=dict)
    """Library keyword -> the request field it is sent as (`stop_sequences` -> `stop`)."""
    own_keywords: tuple[str, ...] = ()
    """Other keywords a closed callable takes for itself, never request fields."""
    via_kwargs: tuple[str, ...] = ()
    """Keywords the callable takes through `**kwargs` (read from its source)."""
    served_by: tuple[str, ...] = ()
    """Keywords holding an object that may serve the model itself (DSPy's `provider=`)."""
    base_url_variables: tuple[str, ...] = ()
    """Environment variables the callable reads its base URL from when none is given, besides
    the SDK's OPENAI_BASE_URL (LangChain's ChatOpenAI reads OPENAI_API_BASE)."""
    local_servers: tuple[str, ...] = ()
    """Import-qualified classes of such objects that serve the model on this machine and
    point the requests there (DSPy's `LocalProvider`): given one, and no base URL, the
    call's requests are local, never W&B's (not even under assume-wandb)."""
    responses_flag: str = ""
    """A keyword that, when True (or `responses_value`), makes the library call the
    Responses API."""
    responses_value: str = ""
    """The value of `responses_flag` that selects the Responses API, when it is not True
    (DSPy's `model_type="responses"`)."""

    responses_keywords: tuple[str, ...] = ()
    """Keywords that, given a value other than None or False, make the library call the
    Responses API when `responses_flag` is not given (LangChain's `reasoning=`)."""
    responses_values: dict[str, str] = field(default_factory=dict)
    """Keywords that do the same given that value (`output_version="responses/v1"`)."""

    def responses_switch(self) -> object:
        """What `responses_flag` is set to when the library calls the Responses API."""
        return self.responses_value or True

    chat_flag: str = ""
    """A keyword without which (or when False) the library calls /v1/completions."""
    deployments: str = ""
    """For a router: the keyword holding the list of deployments (`model_list`)."""
    deployment_params: str = ""
    """The key of a deployment dict that holds the call's keywords (`litellm_params`)."""
    deployment_of: str = ""
    """The callable whose keywords those are (`litellm.completion`)."""
    model_convention: str = "verbatim"
    closed: bool = False
    """True: the callable takes no other keywords (a dataclass, a signature without
    `**kwargs`): any other keyword fails at construction."""
    note: str = ""

    def keywords(self) -> frozenset[str]:
        """Every keyword name the row relies on (what the signature test checks)."""
        named = (
            self.positional + self.base_url + self.model + self.api_key + self.headers
            + self.project + self.client + self.settings + self.sdk_keywords
            + self.extra_body + self.messages + tuple(self.fields) + self.own_keywords
            + self.served_by + self.responses_keywords + tuple(self.responses_values)
        )  # fmt: skip
        flags = tuple(
            flag for flag in (self.responses_flag, self.chat_flag, self.deployments) if flag
        )
        return frozenset(named + flags)


@dataclass(frozen=True)
class LibraryTable:
    """The call-site table of the libraries people reach W&B through (libraries.toml)."""

    callables: tuple[LibraryCallable, ...]
    conventions: dict[str, ModelConvention]
    wrapper_keywords: frozenset[str] = frozenset()
    """Keywords a wrapped client's `create()` takes for the wrapper (instructor's)."""

    def by_name(self) -> Mapping[str, LibraryCallable]:
        """Every name of every row -> the row (made once per table: every module analysed
        reads it)."""
        return self._by_name

    @cached_property
    def _by_name(self) -> dict[str, LibraryCallable]:
        return {name: row for row in self.callables for name in (*row.names, *row.legacy_names)}

    def openai_client_class(self, name: str) -> str | None:
        """The OpenAI client class a re-exported name stands for (`agents.AsyncOpenAI`)."""
        for row in self.callables:
            if row.role == "openai-client" and name in row.names:
                return row.label
        return None

    def openai_client_classes(self) -> dict[str, str]:
        """Every re-exported name of the OpenAI client -> its class (`agents.AsyncOpenAI`)."""
        return {
            name: row.label for row in self.callables if row.role == "openai-client"
            for name in row.names
        }  # fmt: skip

    def leaves(self) -> frozenset[str]:
        """The last parts of the callables' names (`LLM`, `completion`): a call whose name
        ends so may be one of them (made once per table: every module summarised reads it)."""
        return self._leaves

    @cached_property
    def _leaves(self) -> frozenset[str]:
        return frozenset(
            name.rsplit(".", 1)[-1]
            for row in self.callables
            for name in (*row.names, *row.legacy_names)
        )

    def convention(self, row: LibraryCallable) -> ModelConvention:
        return self.conventions[row.model_convention]

    def module_roots(self) -> frozenset[str]:
        """The top-level modules the callables live in (`litellm`, `crewai`...)."""
        return frozenset(
            name.split(".")[0] for row in self.callables for name in (*row.names, *row.legacy_names)
        )
