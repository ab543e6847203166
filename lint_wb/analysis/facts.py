"""What the analysis hands to the rules: clients, requests, endpoint uses, legacy API uses."""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.values import Resolver
from lint_wb.records import dataclass
from lint_wb.spec.library_types import LibraryCallable, ModelConvention, ProviderRoute
from lint_wb.spec.porting_types import ProviderSdk
from lint_wb.spec.types import ClientTarget

if TYPE_CHECKING:  # the project's index is imported only when a project is linted
    from lint_wb.project.told import KeyUse, KeywordUse


@dataclass(eq=False)
class Keyword:
    """One keyword argument of a call, written directly or spread from a `**` dict."""

    name: str
    value: cst.BaseExpression
    """The expression as written at the keyword (or dict entry)."""
    arg: cst.Arg | None = None
    """The argument in the call; None when the keyword comes from a `**` dict."""
    element: cst.DictElement | None = None
    """The dict entry the keyword comes from, for `**{...}` spreads."""
    certain: bool = True
    """False when a later `**spread` inside the spread dict may replace the value: the
    keyword is passed, but its value is unknown (`**{"temperature": 3, **overrides}`)."""
    call: cst.Call | None = None
    """The call `arg` is written in: the request's own call, or the settings call whose
    fields a library's request reads (`Agent(model_settings=ModelSettings(store=True))`)."""
    in_partial: bool = False
    """Written as a keyword of the `functools.partial(client.chat.completions.create, ...)`
    the request is made through (`partials.py`): every call through it that does not
    replace the keyword sends this value, each on that one client, so a fix of the value
    may rewrite it there, as one written in the call (no fix renames or moves it)."""

    @property
    def node(self) -> cst.CSTNode:
        """Where a finding about the whole keyword points."""
        if self.arg is not None:
            return self.arg
        return self.element if self.element is not None else self.value

    @property
    def is_direct(self) -> bool:
        return self.arg is not None


@dataclass(eq=False)
class CallArguments:
    """The keywords a call passes, by name, including those of `**` spreads the code spells out."""

    keywords: dict[str, Keyword] = field(default_factory=dict)
    complete: bool = True
    """False when a `**` spread could not be resolved: a keyword may hide in it."""

    def __contains__(self, name: str) -> bool:
        """Whether the keyword is certainly passed (whatever its value)."""
        return name in self.keywords

    def get(self, name: str) -> Keyword | None:
        """The keyword whose value is certain; None when it is not passed, or when a later
        `**spread` may replace its value (then `complete` is False, too)."""
        keyword = self.keywords.get(name)
        return keyword if keyword is not None and keyword.certain else None


class UrlKind(str, Enum):
    WANDB = "wandb"
    NEAR_MISS = "near-miss"
    FOREIGN = "foreign"
    LOCAL = "local"
    OTHER = "other"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BaseUrl:
    """What a client's base URL is (`kind`), with its text when it is known."""

    kind: UrlKind
    text: str | None = None
    provider: str | None = None
    """For FOREIGN: the provider the host belongs to."""


@dataclass(eq=False)
class Client:
    """An OpenAI client construction, or the module-level client of `openai.base_url = ...`."""

    node: cst.Call | None
    """The constructor call; None for the module-level client."""
    class_name: str
    arguments: CallArguments
    scope: Scope
    base_url: BaseUrl
    base_url_value: cst.BaseExpression | None = None
    """The expression the base URL is written as, where it is given."""
    is_wandb: bool = False
    signals: tuple[str, ...] = ()
    """Why a client without a W&B base URL is taken for a W&B one."""
    sdk: ProviderSdk | None = None
    """For a client of another provider's SDK (`groq.Groq`): which one; None for OpenAI's."""
    base_url_keyword: str = "base_url"
    """The keyword that sets the base URL (a library's may be `api_base`)."""
    library: LibraryCallable | None = None
    """The library callable that builds this client-like (None: an OpenAI client)."""
    wrapper: LibraryCallable | None = None
    """The wrapper the client is used through (`instructor.from_openai(client)`), if any."""
    routed_to: ProviderRoute | None = None
    """The provider whose own API the library sends the model to by its prefix (LiteLLM's
    `meta_llama/`), read in this module; None: no such prefix, or the model is not known."""
    other_api: ProviderRoute | None = None
    """Given W&B's base URL, a prefix LiteLLM does not send W&B a chat request for
    (`anthropic/`: it calls Anthropic's API at that URL; `fireworks_ai/` rewrites the model),
    or a class init_chat_model builds that sends none (ChatAnthropic): the request fails
    whatever the model."""
    provider_class: ProviderRoute | None = None
    """For a library that builds the provider's own class (init_chat_model), given a base
    URL: that class's data row (ChatDeepSeek, ChatAnthropic), when it is another than
    OpenAI's and the data has one (which key it reads)."""
    reads_wandb_key: bool = False
    """The library reads the W&B key itself when `api_key=` is not given (LiteLLM's `wandb/`
    prefix reads WANDB_API_KEY)."""
    deployment: bool = False
    """A Router deployment's `litellm_params`: its node is the Router call, which takes none
    of the deployment's keywords (a fix adds no `api_key=` or `api_base=` to it)."""
    bare_model: str = ""
    """A LiteLLM-convention call given no base URL whose model has no provider prefix
    (`gpt-4o-mini`): LiteLLM sends it to the provider it knows the name from, or raises."""
    other_provider: str | None = None
    """A call given no base URL that a library sends to another provider's own client, with
    that provider's key (`init_chat_model(model_provider="anthropic")`, a `claude-` model): the
    provider's name, "" when the name does not say it; None for OpenAI's client or when not
    known."""
    url_setting: bool = False
    """For a call given no base URL that goes to `other_provider` (LiteLLM's
    `hosted_vllm/<id>`): the module sets the library's process-wide base URL
    (`litellm.api_base = ...`), which LiteLLM uses for some providers and not others."""
    misposted_provider: str = ""
    """For a LiteLLM call given W&B's URL: the provider its `custom_llm_provider=` names when
    LiteLLM posts that provider's request to another path than `<api_base>/chat/completions`
    (`heroku`)."""
    unmapped_provider: str = ""
    """For a LiteLLM call given W&B's URL: the provider its `custom_llm_provider=` names when
    LiteLLM has no chat completions for it (`openai_like`: it raises before sending)."""
    runs_in_process: bool = False
    """For a LiteLLM call whose `custom_llm_provider=` or model prefix names a provider that
    runs the model in this process (`vllm`, `vllm/<id>`): nothing is sent, so no key either,
    whatever base URL the call is given (LiteLLM does not use it)."""
    provider_prefixed: bool = False
    """The provider of `misposted_provider` / `unmapped_provider` is named by the model's
    prefix (`openai_like/<id>`, which LiteLLM reads as it reads the keyword), not by
    `custom_llm_provider=`."""
    unplaced_model: str = ""
    """A call of a library that picks the provider by the model's name, given no provider
    and a model it places with none (init_chat_model's `Qwen/...`): that model. The library
    raises ValueError at construction."""
    unplaced_url_missing: bool = False
    """Such a call given no base URL where OpenAI's client, once named, would send requests
    to api.openai.com (WB102's case): WB108's fix writes W&B's URL with the provider."""
    provider_unknown: bool = False
    """A LiteLLM-convention call given no base URL whose model neither this module nor the
    project resolves (`LiteLlm(model=os.getenv("MODEL"))`): which provider LiteLLM sends it
    to, and which key it reads there, is known only at run time."""
    moved: Client | None = None
    """For a client whose `base_url` is set after it is built in a way not followed
    (`url_setter.py`): the client its requests are sent through, whose base URL is not known.
    The client itself keeps the URL it is built with, which it may send to first."""
    derived_from: Client | None = None
    """For `client.with_options(base_url=...)` / `client.copy(...)`: the client it is made
    from, whose keywords it keeps where the call gives none (its key, its headers)."""
    target: ClientTarget | None = None
    """For a client given no `base_url=`: the constructor keyword that sets where it sends
    requests instead (`provider=bedrock(...)`, `data_residency="eu"`); its base URL is then
    FOREIGN and `base_url_value` is that keyword's value."""

    @property
    def label(self) -> str:
        """How messages name it: `CrewAI's LLM`, or the OpenAI class."""
        if self.library is None:
            return self.class_name
        return f"{self.library.library}'s {self.library.label}"


@dataclass(eq=False)
class Request:
    """A chat request: `chat.completions.create/parse/stream` on a client."""

    node: cst.Call
    method: str
    method_name: cst.Name
    """The `create` in `...completions.create`, for fixes that change the method."""
    client: Client
    arguments: CallArguments
    scope: Scope
    library: LibraryUse | None = None
    """For a library call site (`ChatOpenAI(...)`, `litellm.completion(...)`): how its
    keywords became these request fields."""
    method_written: bool = True
    """False: `method_name` is not the wrapped method but the name of a partial of another
    module the request calls (`ask(...)`, `analyzer._told_partial_call`): no fix renames it."""
    passed_elsewhere: tuple[str, ...] | None = None
    """For a call through a partial of another module (`method_written` False) whose
    keywords are all known: the keywords that partial passes and the call does not give
    (their values are judged where the partial writes them). None otherwise."""
    told_model: str = ""
    """For such a call that gives no `model`: the model ID the partial certainly passes,
    which the model's own rules (WB203, WB303) judge the call by (`model_use.served_by`)."""
    model_read: tuple[object] | None = field(default=None, init=False, repr=False)
    """What `rules/model_use.model_use` read of its `model=` (None: not read yet); the
    request's module resolves it, so it is read once for all the rules that ask."""


@dataclass(eq=False)
class LibraryUse:
    """A library call site read as a request: its row, and what its keywords mean."""

    row: LibraryCallable
    convention: ModelConvention
    sdk_keywords: frozenset[str] = frozenset()
    """Request fields that came from a dict the library passes to the SDK's `create()` as
    keywords (LangChain's `model_kwargs`): a name `create()` does not take is a TypeError."""
    rejected: tuple[Keyword, ...] = ()
    """Keywords a closed callable (the Agents SDK's `ModelSettings`) does not take."""
    rejected_by: str = ""
    """The callable that rejects them, for messages."""

    @property
    def label(self) -> str:
        return f"{self.row.library}'s {self.row.label}"


@dataclass(eq=False)
class EndpointTrap:
    """A library set up to call an endpoint W&B does not serve (the Agents SDK's Responses
    API, LlamaIndex's completions endpoint): WB601."""

    node: cst.CSTNode
    message: str
    client: Client


@dataclass(eq=False)
class EndpointUse:
    """A call on an endpoint other than chat completions (`client.embeddings.create`)."""

    node: cst.Call
    endpoint: str
    client: Client


@dataclass(eq=False)
class SdkCall:
    """A call on a provider-SDK client that is not a chat request (`anthropic.messages.create`)."""

    node: cst.Call
    path: tuple[str, ...]
    """The attributes between the client and the call: `("messages", "create")`."""
    client: Client
    scope: Scope


@dataclass(eq=False)
class LegacyUse:
    """An openai<1.0 module API: `openai.ChatCompletion.create`, `openai.api_base = ...`."""

    node: cst.CSTNode
    api: str
    scope: Scope


ROUTED_MODEL: Final = "routed-model"
"""The `parameter` of a value use for a model a library call sends to another provider by its
prefix (LiteLLM's `meta_llama/...`), the call giving no `api_key` (WB108)."""
ROUTED_MODEL_KEYED: Final = "routed-model-keyed"
"""The same, for a call that gives an `api_key`, which the port must change too."""


@dataclass(eq=False)
class ValueUse:
    """A literal of this module that a W&B request somewhere in the project sends."""

    parameter: str
    value: object
    node: cst.BaseExpression
    """Where the literal is written: where a finding about it points."""
    literal: cst.SimpleString | None
    """The string literal a fix may rewrite, if the value is written as one."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""
    prefix: str = ""
    """For a model a library strips a provider prefix from (`openai/`): that prefix."""
    library: str = ""
    """The library whose call sends it (`CrewAI`), or "" for an OpenAI SDK request."""
    spelled: str = ""
    """For a model written with no prefix the library strips, which that call sends to W&B's
    URL as written: the library's model convention (`litellm`, `langchain_init`), which says
    how a fix must write a new ID (`ModelConvention.spelled`)."""
    named: str = ""
    """For such a model the call sends under the provider a keyword names (LiteLLM's
    `custom_llm_provider="openai"`): that provider."""
    chat: bool = False
    """For a base URL: W&B chat requests are made on a client built with it."""


@dataclass(eq=False)
class MessagesUse:
    """A `messages` literal of this module (a list or dict constant, what a builder returns)
    that a W&B request elsewhere in the project sends: the WB4xx rules check it here."""

    node: cst.BaseExpression
    scope: Scope
    """The scope it is written in: names inside it are read there."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""
    single: bool = False
    """One message of a list written in the request (`[SYSTEM_MESSAGE, {...}]`), not the
    whole `messages`."""


@dataclass(eq=False)
class PossibleUse:
    """A request or endpoint call whose receiver may be `client`, a client of this module,
    but is not certainly that one client (`c if k else d`, `param or OpenAI()`): what tells
    a client used only for endpoints W&B does not serve (`porting.py`)."""

    call: cst.Call
    client: Client
    chat: bool
    """A chat request (else an endpoint W&B does not serve)."""
    covered: bool
    """The receiver is always one of this module's clients the call's uses name."""


@dataclass(eq=False)
class ModuleFacts:
    """Everything the analysis found in one module, for the rules to read."""

    module: cst.Module
    resolver: Resolver
    clients: list[Client] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    endpoint_uses: list[EndpointUse] = field(default_factory=list)
    legacy_uses: list[LegacyUse] = field(default_factory=list)
    legacy_for_wandb: bool = False
    """Whether the module's openai<1.0 API is meant for W&B (`Analyzer._legacy_for_wandb`)."""
    sdk_calls: list[SdkCall] = field(default_factory=list)
    value_uses: list[ValueUse] = field(default_factory=list)
    message_uses: list[MessagesUse] = field(default_factory=list)
    endpoint_traps: list[EndpointTrap] = field(default_factory=list)
    possible_uses: list[PossibleUse] = field(default_factory=list)
    key_readers: dict[cst.CSTNode, str] = field(default_factory=dict)
    """The literals naming the variable of this module's environment reads that another
    module may read for something not W&B, with how a message names that reader."""
    key_uses: list[tuple[cst.SimpleString, KeyUse]] = field(default_factory=list)
    """The literals naming the variable of this module's environment reads that a W&B
    client of another module takes its key from (`told.KeyUse`)."""
    keyword_uses: list[tuple[cst.SimpleString, KeywordUse]] = field(default_factory=list)
    """The dict keys of this module that a W&B chat request elsewhere spreads into its
    keywords (`told.KeywordUse`)."""
