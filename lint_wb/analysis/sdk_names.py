"""The OpenAI SDK's own names that both readings of a module use: the per-file analysis and
the project summaries.

One copy, so the two cannot drift apart. They are names of the SDK's Python API (which class
makes a client, which methods send a chat request), not facts about W&B; the W&B facts are in
`lint_wb/spec/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

CLIENT_CLASSES: Final = {
    "openai.OpenAI": "OpenAI",
    "openai.AsyncOpenAI": "AsyncOpenAI",
    "openai.Client": "Client",
    "openai.AsyncClient": "AsyncClient",
}
"""The SDK's client classes by qualified name, and the name each is known by."""
CHAT_PATHS: Final = (("chat", "completions"), ("beta", "chat", "completions"))
"""The resources under a client that send chat completions."""
CHAT_METHODS: Final = frozenset({"create", "parse", "stream"})
"""The methods on those resources that send a request."""
BASE_URL_VARIABLE: Final = "OPENAI_BASE_URL"
"""The environment variable the SDK reads the base URL from when none is given."""
BASE_URL_VARIABLES: Final = (BASE_URL_VARIABLE, "OPENAI_API_BASE")
"""The variables a library may read that base URL from (LiteLLM reads both); a module that
names one may set it (`ModelConvention.base_url_variables` picks those a library reads)."""
ENV_GETTERS: Final = frozenset({"os.environ.get", "os.getenv"})
"""The calls that read an environment variable with a default."""
SECRET_WRAPPERS: Final = frozenset(
    {"pydantic.SecretStr", "pydantic.types.SecretStr", "pydantic.v1.SecretStr"}
)
"""pydantic's `SecretStr(value)`, as LangChain's chat models take their key
(`api_key=SecretStr(os.environ["K"])`): it holds `value` as given, and the client sends it."""
SECRET_READER: Final = "get_secret_value"
"""`SecretStr`'s method that gives back the value it holds (`KEY.get_secret_value()`)."""
SECRET_VALUE: Final = "secret_value"
"""The name of pydantic's `SecretStr`'s one parameter."""
DERIVING_METHODS: Final = frozenset({"with_options", "copy"})
"""The client's methods that make a new client of the same class (`with_options` is `copy`):
the keywords given, and the rest as the client they are called on has them."""
COPY_KEYWORDS: Final = frozenset(
    {
        "api_key",
        "admin_api_key",
        "workload_identity",
        "provider",
        "organization",
        "project",
        "webhook_secret",
        "websocket_base_url",
        "base_url",
        "data_residency",
        "timeout",
        "http_client",
        "max_retries",
        "default_headers",
        "set_default_headers",
        "default_query",
        "set_default_query",
        "_enforce_credentials",
        "_extra_kwargs",
    }
)
"""The keywords `OpenAI.copy` / `AsyncOpenAI.copy` take (keyword-only; read from openai-python
3.57.0, `OpenAI.copy`): any other keyword, or a positional argument, is a TypeError."""
RETARGETING_KEYWORDS: Final = frozenset(
    {"base_url", "provider", "data_residency", "workload_identity"}
)
"""The keywords of `copy` that may change where the new client sends requests: without one,
it sends them where the client it is made from does."""
IDENTIFYING_KEYWORDS: Final = frozenset({"api_key", "project", "default_headers"})
"""The keywords of `copy` the client rules read as they read a construction's (its key for
WB104/WB107, a W&B `team/project`, its headers for WB104-WB106): a copy given one is a client
of its own, with the target of the client it is made from."""
BASE_URL_ATTRIBUTE: Final = "base_url"
"""The client's attribute with a setter: `client.base_url = URL` makes the requests it sends
after go to URL (`url_setter.py`)."""
PARTIAL: Final = "functools.partial"
"""A call of a name bound to `functools.partial(f, ...)` is a call of `f` (`partials.py`)."""
PARTIAL_LEAF: Final = "partial"
"""`functools.partial` by its last name, as the first look reads a callee (`fact_sources`)."""


def unsupported_endpoint(endpoints: Iterable[str], path: Sequence[str]) -> str | None:
    """The endpoint of `endpoints` (the spec's, W&B does not serve them: `embeddings`,
    `beta.assistants`) that a call through the attributes `path` (`("embeddings", "create")`)
    is made on, if any."""
    for endpoint in endpoints:
        parts = tuple(endpoint.split("."))
        if len(path) > len(parts) and tuple(path[: len(parts)]) == parts:
            return endpoint
    return None
