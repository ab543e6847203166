"""WB101-WB103: where the client sends its requests (the base URL).

The rest of the WB1xx family, the client's key and project, is `client_auth.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from lint_wb._cst import cst
from lint_wb.analysis import BaseUrl, Client, ModuleFacts, UrlKind
from lint_wb.analysis.clients import classify_url
from lint_wb.analysis.facts import ValueUse
from lint_wb.findings import Severity
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    Rule,
    RuleContext,
    safe_fix,
    unsafe_fix,
)
from lint_wb.rules.edits import keyword_arg, renamed_arg, string_like, with_arg
from lint_wb.spec import ApiSpec, bundled_libraries


class WrongBaseUrl(ReportsOnce):
    """A W&B-looking base URL that is not the W&B Inference URL.

    ## What it does
    Flags a `base_url` that looks like W&B's but is not exactly
    `https://api.inference.wandb.ai/v1`: `https://api.wandb.ai` (the W&B models API),
    `https://trace.wandb.ai` (Weave), the right host without `/v1`, `http://`, a URL that
    already ends in `/chat/completions`, or a typo in the host. A trailing slash is fine.

    ## Why is this bad?
    Every request fails with a 404 (or a redirect the SDK does not follow). The SDK appends
    `/chat/completions` itself, so a base URL that ends in it doubles the path.

    ## Example
    ```python
    client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
    ```
    Use instead:
    ```python
    client = OpenAI(
        base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"]
    )
    ```
    The same holds for the base URL keyword of a library: LangChain's `base_url` /
    `openai_api_base`, LiteLLM's, CrewAI's and DSPy's `api_base` / `base_url`, LlamaIndex's
    `api_base`, pydantic-ai's `OpenAIProvider(base_url=...)`:
    ```python
    llm = LLM(model="openai/openai/gpt-oss-120b", base_url="https://inference.wandb.ai/v1")
    ```
    Use instead:
    ```python
    llm = LLM(model="openai/openai/gpt-oss-120b", base_url="https://api.inference.wandb.ai/v1")
    ```

    ## Fix safety
    Safe: the literal is replaced by the canonical URL in the same quotes. A URL built from
    an f-string or an environment default is reported without a fix.
    """

    code = "WB101"
    name = "wrong-base-url"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_client(self, client: Client) -> Iterator[Report]:
        if client.base_url.kind is not UrlKind.NEAR_MISS or client.base_url_value is None:
            return
        found = client.base_url.text or ""
        canonical = intended_wandb_url(found, self.spec.api.base_url, self.spec.api)
        message = (
            f"Base URL {found!r} is not W&B Inference's: requests to it fail with 404. "
            f"Use {canonical!r}"
        )
        # Reported where the URL is written (a constant, an environment default), once.
        place = self.resolver.value_place(client.base_url_value, client.scope, env_defaults=True)
        yield from self.once(place[0], message, base_url_fix(self, client, canonical))

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """A near-miss URL written here and used by a client built in another module."""
        api = self.spec.api
        for use in facts.value_uses:
            if use.parameter != "base_url" or not isinstance(use.value, str):
                continue
            kind, _ = classify_url(use.value, api, self.context.options.extra_base_urls)
            if kind is not UrlKind.NEAR_MISS:
                continue
            canonical = intended_wandb_url(use.value, api.base_url, api)
            message = (
                f"Base URL {use.value!r} is not W&B Inference's: requests to it fail with 404. "
                f"Use {canonical!r} (used by {use.request})"
            )
            yield from self.once(use.node, message, _url_replaced(use, canonical))


class MissingBaseUrl(ReportsOnce):
    """A W&B client without a `base_url`: its requests go to api.openai.com.

    ## What it does
    Flags an OpenAI client that is meant for W&B Inference (its key comes from
    `WANDB_API_KEY`, it passes a W&B `team/project` as `project=`, or the project runs in
    `assume-wandb` mode) but passes no `base_url`. Under `assume-wandb`, a client the project
    uses only for endpoints W&B does not serve (images, audio, embeddings, responses, files,
    batches, assistants ...), where it is built or through a helper it is passed to, is left
    alone: pointing it at W&B would break it. The same
    holds for a library call meant for W&B that falls back to OpenAI's URL: LangChain's
    `ChatOpenAI` given no `base_url`, and LiteLLM's (CrewAI's, DSPy's, Google ADK's) `openai/`
    model given no `api_base`, unless the module sets `litellm.api_base` or names
    `OPENAI_BASE_URL` or `OPENAI_API_BASE`. So does a LiteLLM model with no provider prefix
    (`LLM(model="gpt-4o-mini")`, `Qwen/Qwen3.6-35B-A3B`) given no `api_base`, unless
    `custom_llm_provider=` names another provider (`custom_llm_provider="openai"` makes any
    model an `openai/` one). So does LangChain's `init_chat_model` given no
    `base_url` when it makes a `ChatOpenAI` (`model_provider="openai"`, an `openai:` model, or
    a name it takes for OpenAI's, `gpt-4o-mini`); another provider's model is left alone. A
    model the project resolves (a constant of
    another module, a function's parameter given a literal) counts as one written in the call.

    ## Why is this bad?
    Without `base_url` the SDK sends requests to `https://api.openai.com/v1` unless
    `OPENAI_BASE_URL` is set where the code runs, and OpenAI answers a W&B key with 401.
    LiteLLM does the same with an `openai/` model (it also reads `OPENAI_API_BASE`). A model
    with no provider prefix goes to the provider LiteLLM knows the name from (OpenAI's models
    to api.openai.com); for a name it does not know, W&B's IDs included, LiteLLM raises
    "LLM Provider NOT provided". Given W&B's URL, LiteLLM sends such a model to W&B as written.

    ## Example
    ```python
    client = OpenAI(api_key=os.environ["WANDB_API_KEY"])
    ```
    Use instead:
    ```python
    client = OpenAI(
        base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"]
    )
    ```

    ## Fix safety
    Unsafe: it adds `base_url="https://api.inference.wandb.ai/v1"` (a library's own keyword:
    `api_base=` for LiteLLM), which overrides an `OPENAI_BASE_URL` the deployment may set on
    purpose. For LiteLLM, writing the model with the `wandb/` prefix instead also works.
    """

    code = "WB102"
    name = "missing-base-url"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE

    def check_client(self, client: Client) -> Iterator[Report]:
        if client.base_url.kind is not UrlKind.MISSING or client.node is None:
            return
        if client.sdk is not None:
            return  # another provider's SDK: WB603/WB604 port the whole client
        if client.derived_from is not None and client.derived_from.is_wandb:
            return  # `client.with_options(api_key=...)`: the URL goes where `client` is built
        why = "; ".join(client.signals) or "assume-wandb is on"
        keyword = client.base_url_keyword
        url = self.spec.api.base_url
        routed = _routed_model(client)
        picked = _openai_client(client)
        if picked:
            message = (
                f"{client.label} is meant for W&B ({why}) but has no {keyword}: it makes "
                f"{picked}, which sends requests to api.openai.com unless OPENAI_API_BASE or "
                f"OPENAI_BASE_URL is set. Pass {keyword}={url!r}"
            )
        elif client.bare_model:
            message = (
                f"{client.label} is meant for W&B ({why}) but has no {keyword}: LiteLLM sends "
                f"{client.bare_model!r}, a model with no provider prefix, to the provider it "
                "knows that name from (OpenAI's models to api.openai.com, unless "
                "OPENAI_BASE_URL or OPENAI_API_BASE is set), and raises for a name it does not "
                f"know. Pass {keyword}={url!r}: given W&B's URL, LiteLLM sends the model to W&B "
                "as written"
            )
        elif routed is None:
            message = (
                f"This client is meant for W&B ({why}) but has no base_url: requests go to "
                f"api.openai.com unless OPENAI_BASE_URL is set. Pass base_url={url!r}"
            )
        else:
            message = (
                f"{client.label} is meant for W&B ({why}) but has no {keyword}: LiteLLM sends "
                f"its {routed!r} model to api.openai.com unless OPENAI_BASE_URL (or "
                f"OPENAI_API_BASE) is set. Pass {keyword}={url!r}, or write the model with "
                "LiteLLM's 'wandb/' prefix, which implies W&B's URL"
            )
        if client.deployment:
            message += " (in the Router deployment's litellm_params)"
        fix = None if client.deployment else _add_base_url(client.node, keyword, url)
        yield from self.once(client.node.func, message, fix)


def _add_base_url(call: cst.Call, keyword: str, url: str) -> FixProposal:
    # After the model a call may pass positionally (`dspy.LM("openai/...")`).
    first = not any(arg.keyword is None for arg in call.args)
    new_call = with_arg(call, keyword_arg(keyword, cst.SimpleString(f'"{url}"')), first=first)
    return unsafe_fix(f"Add the W&B {keyword}", Replacement(call, new_call))


def _openai_client(client: Client) -> str:
    """OpenAI's client a library that picks the provider's own makes for the call
    (init_chat_model's `LangChain's ChatOpenAI`); "" for other libraries."""
    if client.library is None:
        return ""
    picked = bundled_libraries().convention(client.library).openai_client
    return f"{client.library.library}'s {picked}" if picked else ""


def _routed_model(client: Client) -> str | None:
    """The prefix of a library's model that is sent to OpenAI's URL when no base URL is given
    (LiteLLM's `openai/`); None for an OpenAI client or a verbatim library's."""
    if client.library is None:
        return None
    convention = bundled_libraries().convention(client.library)
    if convention.verbatim:
        return None
    return next((route.prefix for route in convention.routes if route.openai_default), None)


class ForeignBaseUrl(ReportsOnce):
    """Under `assume-wandb`, a base URL of another provider.

    ## What it does
    In porting mode (`assume-wandb = true` or `--assume-wandb`), flags a client whose
    `base_url` is a public host other than W&B's: another provider's (OpenAI, Together,
    Fireworks, Groq, OpenRouter, DeepInfra, Anyscale, Azure OpenAI, Anthropic's and Gemini's
    OpenAI endpoints ...) or any other public host. Loopback and private hosts (`localhost`,
    `10.x`, `192.168.x`, `*.local`, a bare service name such as `vllm`) are left alone: a local
    server is there on purpose. A W&B proxy of your own goes in `extra-base-urls`. A client
    used only for endpoints W&B does not serve (images, audio, embeddings ...) is left alone
    too: pointing it at W&B would break it, and so is the `api_base` of LiteLLM's `vllm`
    provider, which runs the model in the process and sends nothing. A URL written in
    another module than the client (`base_url=settings.URL`) is reported once, where it is
    written, when W&B chat requests are made on a client built with it. A client that the
    SDK sends elsewhere by another keyword than `base_url=` is flagged there:
    `provider=bedrock(...)` (Amazon Bedrock) and `data_residency="eu"` (OpenAI's regional
    endpoints).

    ## Why is this bad?
    The project says all its clients are meant for W&B Inference; a leftover URL sends
    requests, and the W&B key, to another company.

    ## Example
    ```python
    # with assume-wandb = true
    client = OpenAI(base_url="https://api.together.xyz/v1", api_key=key)
    ```
    Use instead:
    ```python
    # with assume-wandb = true
    client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=key)
    ```

    ## Fix safety
    Safe under `assume-wandb`, which states the intent: the literal becomes the W&B URL.
    `provider=` and `data_residency=` are replaced by W&B's `base_url=`: the SDK raises when
    either is given with `base_url=`.
    """

    code = "WB103"
    name = "foreign-base-url"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._literals: set[cst.CSTNode] = set()
        """The URL literals a client of this module was reported for (at the client)."""

    def check_client(self, client: Client) -> Iterator[Report]:
        if not self.context.options.assume_wandb or client.base_url_value is None:
            return
        if client.sdk is not None:
            return  # another provider's SDK: WB603/WB604 port the whole client
        if client.runs_in_process:
            return  # LiteLLM's vllm runs the model here: nothing is sent to the URL
        if client.target is not None:
            yield from self._targeted(client)
            return
        owner = _foreign_owner(client.base_url)
        if owner is None:
            return
        canonical = self.spec.api.base_url
        message = (
            f"Base URL {client.base_url.text!r} is {owner}, but this project "
            f"is ported to W&B (assume-wandb). Use {canonical!r}"
        )
        self._literals.add(self.resolver.resolve_env_default(client.base_url_value, client.scope))
        yield from self.once(client.base_url_value, message, base_url_fix(self, client, canonical))

    def _targeted(self, client: Client) -> Iterator[Report]:
        """A client sent elsewhere by a constructor keyword instead of `base_url=`
        (`provider=bedrock(...)`, `data_residency="eu"`): the port replaces that keyword
        with W&B's `base_url=`, since the SDK refuses the two together."""
        assert client.target is not None and client.base_url_value is not None
        keyword, canonical = client.target.keyword, self.spec.api.base_url
        message = (
            f"{keyword}= sends this client's requests to {client.target.target}, but this "
            f"project is ported to W&B (assume-wandb). Replace it with base_url={canonical!r} "
            f"(the SDK refuses base_url= beside {keyword}=)"
        )
        given = client.arguments.keywords[keyword].arg
        fix = None
        if given is not None:
            replaced = renamed_arg(given, "base_url", cst.SimpleString(f'"{canonical}"'))
            fix = safe_fix(
                f"Replace {keyword}= with the W&B base_url=", Replacement(given, replaced)
            )
        yield from self.once(client.base_url_value, message, fix)

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """A foreign URL written here that W&B chat requests are sent to on a client built in
        another module (`base_url=settings.URL`), reported here, where it is written."""
        if not self.context.options.assume_wandb:
            return
        api, extra = self.spec.api, self.context.options.extra_base_urls
        canonical = api.base_url
        for use in facts.value_uses:
            if use.parameter != "base_url" or not use.chat or not isinstance(use.value, str):
                continue
            if use.node in self._literals:
                continue  # reported at this module's own client
            kind, provider = classify_url(use.value, api, extra)
            owner = _foreign_owner(BaseUrl(kind, use.value, provider))
            if owner is None:
                continue
            message = (
                f"Base URL {use.value!r} is {owner}, but this project is ported to W&B "
                f"(assume-wandb). Use {canonical!r} (used by {use.request})"
            )
            yield from self.once(use.node, message, _url_replaced(use, canonical))


def _url_replaced(use: ValueUse, canonical: str) -> FixProposal | None:
    """The safe fix writing W&B's URL where another module's base URL is written as a string
    literal (none when it is built some other way)."""
    if use.literal is None:
        return None
    edit = Replacement(use.literal, string_like(use.literal, canonical))
    return safe_fix(f"Replace with {canonical!r}", edit)


def _foreign_owner(base_url: BaseUrl) -> str | None:
    """Whose a base URL is, when it is a public host other than W&B's: a known provider's,
    or any other public host (loopback and private hosts are `UrlKind.LOCAL`, never here)."""
    if base_url.kind is UrlKind.FOREIGN:
        return f"{base_url.provider}'s"
    if base_url.kind is not UrlKind.OTHER:
        return None
    try:
        host = urlsplit((base_url.text or "").strip()).hostname
    except ValueError:
        return None
    return f"on {host}, a public host that is not W&B's" if host else None


def base_url_fix(rule: Rule, client: Client, url: str) -> FixProposal | None:
    """Rewrite the string literal the base URL is written as, wherever it stands (in the
    call, a constant, an environment default); an f-string or a call gets no fix."""
    assert client.base_url_value is not None
    literal = rule.resolver.resolve_env_default(client.base_url_value, client.scope)
    if not isinstance(literal, cst.SimpleString):
        return None
    return safe_fix(f"Replace with {url!r}", Replacement(literal, string_like(literal, url)))


def intended_wandb_url(found: str, default: str, api: ApiSpec) -> str:
    """The W&B URL a near miss was meant to be: the one on its host, else the inference URL."""
    try:
        host = (urlsplit(found.strip()).hostname or "").lower()
    except ValueError:
        return default
    for url in api.other_wandb_base_urls:
        if urlsplit(url).hostname == host:
            return url
    return default
