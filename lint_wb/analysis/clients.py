"""Client constructions: their arguments, their base URL, and whether they talk to W&B."""

from __future__ import annotations

import difflib
import functools
import ipaddress
from typing import Final
from urllib.parse import urlsplit

from lint_wb._cst import cst
from lint_wb.analysis.dicts import read_spread
from lint_wb.analysis.env_setting import EnvBaseUrl
from lint_wb.analysis.facts import BaseUrl, CallArguments, Client, Keyword, UrlKind
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.values import ENV_READERS, UNKNOWN, Resolver
from lint_wb.config.settings import LintOptions
from lint_wb.records import dataclass
from lint_wb.spec import ApiSpec
from lint_wb.spec.types import ClientTarget

HOST_SIMILARITY: Final = 0.85
"""lint-wb's own threshold: how like the W&B host a host naming wandb must be to be a typo."""


@dataclass(frozen=True)
class ClientContext:
    """What building a client needs beyond the call: the module's resolver, the API facts and
    the settings."""

    resolver: Resolver
    api: ApiSpec
    options: LintOptions
    env_base_url: EnvBaseUrl | None = None
    """The module's one setting of `OPENAI_BASE_URL` that the clients built after it read
    (`env_setting.py`), if it has one."""


def call_arguments(call: cst.Call, scope: Scope, resolver: Resolver) -> CallArguments:
    """The keywords of a call, with `**` spreads of dicts the code spells out unpacked by the
    one dict reading (`dicts.py`). Python refuses a keyword given twice, so keywords of
    different spreads cannot replace each other; inside one spread the last write wins."""
    arguments = CallArguments()
    for arg in call.args:
        if arg.keyword is not None:
            name = arg.keyword.value
            arguments.keywords[name] = Keyword(name, arg.value, arg=arg, call=call)
        elif arg.star == "**":
            arguments.complete &= _spread(arg.value, scope, resolver, arguments)
    return arguments


def _spread(
    value: cst.BaseExpression, scope: Scope, resolver: Resolver, arguments: CallArguments
) -> bool:
    """Add the keywords of `**value`; False when it may hold keywords that cannot be read."""
    spread = read_spread(value, scope, resolver)
    if spread is None:
        return False
    for key, entry in spread.string_keys():
        element = entry.node if isinstance(entry.node, cst.DictElement) else None
        arguments.keywords[key] = Keyword(key, entry.value, element=element, certain=entry.certain)
    return spread.closed


def build_client(call: cst.Call, class_name: str, scope: Scope, context: ClientContext) -> Client:
    arguments = call_arguments(call, scope, context.resolver)
    keyword = arguments.get("base_url")
    target = None if keyword is not None else _target(arguments, context.api)
    if keyword is not None:
        base_url = _resolve_url(keyword.value, scope, context)
        value: cst.BaseExpression | None = keyword.value
    elif target is not None:
        given = arguments.keywords[target.keyword]
        base_url = BaseUrl(UrlKind.FOREIGN, None, target.target)
        value = given.value
    elif context.env_base_url is not None and context.env_base_url.reaches(call, arguments):
        # The SDK reads OPENAI_BASE_URL, which the module has set by then.
        value = context.env_base_url.value
        base_url = _resolve_url(value, context.resolver.bindings.module, context)
    else:
        # Without base_url the SDK reads OPENAI_BASE_URL; a module that names it may set it.
        certain = arguments.complete and not context.resolver.bindings.names_base_url_variable
        base_url = BaseUrl(UrlKind.MISSING if certain else UrlKind.UNKNOWN)
        value = None
    client = Client(call, class_name, arguments, scope, base_url, value, target=target)
    client.signals = _wandb_signals(arguments, scope, context)
    client.is_wandb = is_wandb_client(client, context.options)
    return client


def _target(arguments: CallArguments, api: ApiSpec) -> ClientTarget | None:
    """The keyword given in place of `base_url=` that sends the client's requests elsewhere
    (`provider=bedrock(...)`: Amazon Bedrock; `data_residency="eu"`: OpenAI's EU endpoint)."""
    for target in api.client_targets:
        given = arguments.get(target.keyword)
        if target.replaced_by == "base_url" and given is not None and not is_none(given.value):
            return target
    return None


def is_none(node: cst.BaseExpression) -> bool:
    """Whether `node` is the literal `None` (a keyword given as None is as good as not given)."""
    return type(node) is cst.Name and node.value == "None"


def build_module_client(
    assignments: list[tuple[cst.BaseExpression, Scope]], module_scope: Scope, context: ClientContext
) -> Client:
    """The client behind `openai.chat.completions.create(...)`: `openai.base_url = ...`."""
    if len(assignments) == 1:
        value, scope = assignments[0]
        base_url = _resolve_url(value, scope, context)
        client = Client(None, "openai", CallArguments(), module_scope, base_url, value)
    else:
        # Not set in this file (it may be set elsewhere or in the environment), or set twice.
        client = Client(None, "openai", CallArguments(), module_scope, BaseUrl(UrlKind.UNKNOWN))
    client.is_wandb = is_wandb_client(client, context.options)
    return client


def _resolve_url(value: cst.BaseExpression, scope: Scope, context: ClientContext) -> BaseUrl:
    text = context.resolver.evaluate(value, scope, env_defaults=True)
    if not isinstance(text, str):
        return BaseUrl(UrlKind.UNKNOWN)
    kind, provider = classify_url(text, context.api, context.options.extra_base_urls)
    return BaseUrl(kind, text, provider)


def classify_url(
    url: str, api: ApiSpec, extra_base_urls: tuple[str, ...] = ()
) -> tuple[UrlKind, str | None]:
    """What kind of endpoint a literal base URL names."""
    if normalized_url(url) in _accepted(
        (api.base_url, *api.other_wandb_base_urls, *extra_base_urls)
    ):
        return UrlKind.WANDB, None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return UrlKind.OTHER, None
    if is_local_host(host, api):
        return UrlKind.LOCAL, None
    if is_wandb_looking_host(host, api):
        return UrlKind.NEAR_MISS, None
    for foreign in api.foreign_hosts:
        if host == foreign.host or host.endswith("." + foreign.host):
            return UrlKind.FOREIGN, foreign.provider
    return UrlKind.OTHER, None


DEFAULT_PORTS: Final = {"https": 443, "http": 80}


@functools.lru_cache(maxsize=64)
def _accepted(known_urls: tuple[str, ...]) -> frozenset[str]:
    """The W&B base URLs `classify_url` accepts, normalised: the same few for every client
    of a run (kept, not split again for each)."""
    return frozenset(map(normalized_url, known_urls))


@functools.lru_cache(maxsize=4096)
def normalized_url(url: str) -> str:
    """A URL as the SDK will use it: scheme and host in any case, the default port, and a
    trailing slash (the SDK adds one) make no difference."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    tail = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}{tail}"


def is_local_host(host: str, api: ApiSpec) -> bool:
    """Loopback, a private address, or a name only a private network resolves (`localhost`,
    `vllm.svc`, `gpu-box.local`, a bare service name such as `vllm` in Docker Compose; the
    endings are api.toml's [local_hosts])."""
    if host.endswith(api.local_host_suffixes):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return bool(host) and "." not in host
    return address.is_loopback or address.is_private or address.is_unspecified


def is_wandb_looking_host(host: str, api: ApiSpec) -> bool:
    canonical = (urlsplit(api.base_url).hostname or "").lower()
    if host == canonical or host in api.near_miss_hosts:
        return True
    if host == "wandb.ai" or host.endswith(".wandb.ai"):
        return True
    ratio = difflib.SequenceMatcher(None, host, canonical).ratio()
    return "wandb" in host and ratio >= HOST_SIMILARITY


def _wandb_signals(
    arguments: CallArguments, scope: Scope, context: ClientContext
) -> tuple[str, ...]:
    signals: list[str] = []
    resolver = context.resolver
    api_key = arguments.get("api_key")
    wandb_key = context.api.porting.wandb_key_variable
    if api_key is not None and _reads_env(api_key.value, scope, resolver, frozenset({wandb_key})):
        signals.append(f"its api_key is read from {wandb_key}")
    project = arguments.get("project")
    if project is not None:
        text = resolver.evaluate_setting(project.value, scope)
        if isinstance(text, str) and "/" in text:
            signals.append(f"project={text!r} is a W&B team/project")
    return tuple(signals)


def _reads_env(
    node: cst.BaseExpression, scope: Scope, resolver: Resolver, variables: frozenset[str]
) -> bool:
    """Whether `node` is `os.environ[V]`, `os.environ.get(V...)` or `os.getenv(V...)` (also
    through a name, `self.<attr>` bound once in `__init__`, a strip or a function of the
    module that returns it: `Resolver.read_source`)."""
    node, scope, _ = resolver.read_source(node, scope)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        target = resolver.qualified_name(node.value, scope)
        if target in ENV_READERS and isinstance(index, cst.Index):
            return resolver.evaluate(index.value, scope) in variables
    if isinstance(node, cst.Call) and node.args:
        target = resolver.qualified_name(node.func, scope)
        if target in ENV_READERS:
            return resolver.evaluate(node.args[0].value, scope) in variables
    return False


def is_wandb_client(client: Client, options: LintOptions) -> bool:
    return wandb_target(client.base_url.kind, bool(client.signals), options.assume_wandb)


def wandb_target(kind: UrlKind, has_signals: bool, assume_wandb: bool) -> bool:
    """Whether a client with a base URL of this kind (and W&B signals or not) is meant for W&B."""
    if kind in (UrlKind.WANDB, UrlKind.NEAR_MISS):
        return True
    if kind is UrlKind.LOCAL:
        return False
    if assume_wandb:
        return True
    return kind is UrlKind.MISSING and has_signals


resolve_url = _resolve_url
reads_env = _reads_env
"""What a base URL expression is (the library call sites read their base URL keyword with it)."""
wandb_signals = _wandb_signals

__all__ = [
    "UNKNOWN",
    "ClientContext",
    "build_client",
    "call_arguments",
    "is_none",
    "resolve_url",
    "wandb_signals",
]
