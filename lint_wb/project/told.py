"""What the project tells one file (`index.ModuleIndex`): the clients of its requests, and
the literals and `messages` values of it that requests elsewhere send.

Apart from `index.py`: a run whose files the result cache settles takes the index from the
known-files table with its entries still pickled (`files/known.PickledModules`), and never
creates these classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.records import dataclass

if TYPE_CHECKING:  # the analysis is imported only when a file is analysed
    from lint_wb.analysis.facts import BaseUrl


@dataclass(frozen=True)
class RemoteClient:
    """The client a request is made on, as the project resolves it."""

    class_name: str
    is_wandb: bool
    base_url: BaseUrl
    wrapper: str = ""
    """The qualified name of the library wrapper the client is used through
    (`instructor.from_openai`), or ""."""
    left_alone: bool = False
    """W&B's by assume-wandb alone, but not W&B's because the project uses it only for
    endpoints W&B does not serve (`uses.ProjectUses._left_alone`)."""


@dataclass(frozen=True)
class ValueUse:
    """A literal of this file that a W&B request sends as `parameter`."""

    parameter: str
    value: str | int | float | bool | None
    node: int
    """The literal's node ordinal (`analysis.ordinals.number_nodes`)."""
    plain: bool
    """A single literal a fix may rewrite (not an f-string or a concatenation)."""
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
    """For a base URL: W&B chat requests are made on a client built with it (WB103 judges
    only those: a client used only for endpoints W&B does not serve is left alone)."""


@dataclass(frozen=True)
class MessagesUse:
    """A `messages` value written in this file (a list constant, a dict, a string, what a
    function returns) that a W&B request elsewhere sends: the WB4xx rules check it here."""

    node: int
    """The literal's node ordinal (`analysis.ordinals.number_nodes`)."""
    kind: str
    """What the literal is: `items` (a list or tuple), `dict` or `str` (the whole
    `messages`), or `message` (a dict that is one element of a list written in the call)."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""


@dataclass(frozen=True)
class KeywordUse:
    """A string key of a dict written in this file that a W&B chat request elsewhere spreads
    into its keywords (`**SAMPLING`): WB201 and WB202 judge the keyword here, at the key."""

    keyword: str
    node: int
    """The key literal's node ordinal (`analysis.ordinals.number_nodes`)."""
    method: str
    """The request's method (`create`, `parse`, `stream`): the keywords it takes differ."""
    request: str
    """Names one request that sends it: `app.reasoner (Reasoner.run)`."""


@dataclass(frozen=True)
class PartialCall:
    """A call of this file through a `functools.partial` of a W&B client's chat method
    written in another module (`ask = partial(client.chat.completions.create, model=...)`
    there, `ask(messages=...)` here): a request, whose client `request_clients` tells."""

    method: str
    """The wrapped method (`create`, `parse`, `stream`)."""
    passed: tuple[str, ...]
    """The keywords the partial passes: those the call does not give are sent too, their
    values judged where the partial writes them."""
    complete: bool = True
    """False when a partial's `**` spread cannot be read: it may pass any keyword."""
    model: str = ""
    """The model ID the partial certainly passes (a string literal, perhaps behind names),
    when the call gives no `model` itself: the model's own rules (WB203, WB303) judge the
    call by it. The literal is judged where it is written."""


@dataclass(frozen=True)
class KeyUse:
    """An environment read of this file that a W&B client built in another module takes its
    key from (`api_key=settings.KEY`, `KEY = os.getenv("GROQ_API_KEY")` here): WB107 reports
    it here, where the variable is named."""

    node: int
    """The node ordinal of the literal naming the variable (`"GROQ_API_KEY"`)."""
    variable: str
    client: str
    """Names one such client: `the OpenAI client built in app (given '...')`."""
    names: tuple[str, ...]
    """The module-level names of this file the read is bound to (`KEY`), which other code
    of this file may read too."""
    fixable: bool
    """The literal is written in the read itself, here, and reached through names alone (not
    through a function, which other callers may share)."""


@dataclass(frozen=True)
class ModuleIndex:
    """What the project tells one file (see the module's docstring)."""

    request_clients: tuple[tuple[int, RemoteClient], ...] = ()
    """(call node ordinal, client) for the requests of the file."""
    value_uses: tuple[ValueUse, ...] = ()
    client_urls: tuple[tuple[int, BaseUrl], ...] = ()
    """(call node ordinal, base URL) for the clients built in the file whose base URL only
    the project resolves (`OpenAI(base_url=settings.URL)`)."""
    node_count: int = 0
    """The module's node count when it was summarised: a text with another count was
    edited (by a fix), and ordinals are looked for near where they were."""
    chat_api_default: bool = False
    """Some module of the project calls the Agents SDK's
    `set_default_openai_api("chat_completions")`: a default client set here is called
    through Chat Completions."""
    message_uses: tuple[MessagesUse, ...] = ()
    client_routes: tuple[tuple[int, str], ...] = ()
    """(call node ordinal, provider prefix) for the library calls of the file whose model,
    written in another module, LiteLLM sends to another provider by its prefix
    (`meta_llama/`); "" where the project resolves the model and no prefix sends it
    elsewhere."""
    client_signals: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """(call node ordinal, W&B signals) for the clients built in the file whose W&B key or
    `project=` is written in another module (`api_key=KEY`, `KEY` a constant of a settings
    module that reads `WANDB_API_KEY`)."""
    client_set_urls: tuple[tuple[int, BaseUrl], ...] = ()
    """(call node ordinal, base URL) for the clients built in the file whose certain
    `name.base_url = value` store (`analysis/url_setter.py`) only the project resolves
    (`client.base_url = settings.URL`), when no other store in the project can reach them."""
    key_readers: tuple[tuple[int, str, str], ...] = ()
    """(node ordinal, variable, reader) for the environment reads of the file (the literal
    naming the variable: `os.getenv("GROQ_API_KEY")`) that another module may read for
    something not W&B (`from settings import KEY`, then `Groq(api_key=KEY)`;
    `project/shared_keys.py`): WB107 does not rewrite such a read for a W&B client of this
    file, which would send the W&B key there too. `reader` completes "is also ..." in its
    message."""
    key_uses: tuple[KeyUse, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    """(name as this file imports it, what it is) for the names the file imports from
    another module of the project that stand for a client library's callable, class or
    module (`from llm import Chat`, llm.py's `Chat = ChatOpenAI`: `("llm.Chat",
    "langchain_openai.ChatOpenAI")`; a re-export: `("llm.litellm", "litellm")`): the file's
    own analysis qualifies a name through them (`analysis.values.Resolver.qualify`)."""
    package: str | None = None
    """What the file's relative imports are read against, when that is not its package: a
    module in a folder without an `__init__.py` (`build.RelativeBases`); the file's own
    analysis reads them so too, as the project's summaries do."""
    endpoint_clients: tuple[int, ...] = ()
    """The call node ordinals of the clients built in the file, W&B's by assume-wandb, that
    the project uses only for endpoints W&B does not serve, some through another function or
    module (`project/purposes.py`): left alone, as the file's own analysis leaves one it
    uses so (`analysis.porting.leave_unservable_clients`)."""
    keyword_uses: tuple[KeywordUse, ...] = ()
    partial_calls: tuple[tuple[int, PartialCall], ...] = ()
    """(call node ordinal, what it calls) for the calls of the file through a partial of
    another module (`PartialCall`)."""
    whole_module: bool = False
    """The index read the module whole (`module_parse.py`): its node ordinals are those of a
    whole parse, so the lint parses it whole too."""

    def client_of(self, ordinal: int) -> RemoteClient | None:
        for node, client in self.request_clients:
            if node == ordinal:
                return client
        return None

    names_verbatim: bool = False
    """Some module of the project gives an Agents SDK RunConfig a `model_provider=`, and
    this module has Agents SDK calls: their model names read as written."""

    def __bool__(self) -> bool:
        return bool(
            self.names_verbatim
            or self.request_clients
            or self.value_uses
            or self.client_urls
            or self.chat_api_default
            or self.message_uses
            or self.client_routes
            or self.client_signals
            or self.client_set_urls
            or self.key_readers
            or self.key_uses
            or self.keyword_uses
            or self.partial_calls
            or self.aliases
            or self.endpoint_clients
        )
