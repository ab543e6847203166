"""The porting fixtures run: each `.fixed.py` twin that `--assume-wandb --fix --unsafe-fixes`
produced is imported and run with the real `openai` package, its HTTP layer replaced by a
recording transport (no network). Every chat request must go to W&B's chat completions URL
with the W&B key, name a served model and send only fields W&B takes, all read from the spec
data. The unported originals must fail the same checks (or fail to run at all).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx2
import pytest

from lint_wb.cli.main import main
from lint_wb.spec import Spec, bundled_libraries, load_spec
from lint_wb.spec.library_types import MispostedKey, PassThrough, ProviderRoute
from tests.cli_runner import make_runner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "porting"
SOURCES = (
    "groq_openai",  # Groq through the OpenAI SDK
    "groq_sdk",  # Groq's own SDK
    "together_openai",
    "together_sdk",
    "openrouter",
    "fireworks",
    "openai_implicit_key",
    "anthropic_sdk",
    "chat_and_images",
)
WANDB_KEY = "wandb-test-key-0123456789"
TAKEN = frozenset(
    {"required", "supported", "accepted", "deprecated", "reasoning-only", "extra-body"}
)
"""Parameter statuses W&B takes in a request body (api.toml)."""


@dataclass(frozen=True)
class Sent:
    url: str
    authorization: str
    body: dict[str, object]


@dataclass
class Recorder:
    sent: list[Sent] = field(default_factory=list)

    def respond(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"{}")
        self.sent.append(Sent(str(request.url), request.headers.get("authorization", ""), body))
        if request.url.path.endswith("/chat/completions"):
            return httpx2.Response(200, json=_completion(str(body.get("model", ""))))
        if request.url.path.endswith("/images/generations"):
            return httpx2.Response(200, json={"created": 0, "data": [{"url": "https://x.y/a.png"}]})
        return httpx2.Response(404, json={"error": {"message": "not recorded"}})


def _completion(model: str) -> dict[str, object]:
    message = {"role": "assistant", "content": '{"ok": true}'}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "service_tier": "default",  # LiteLLM's Groq handler reads it
    }


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """Every request the SDK sends is recorded and answered here, at the transport level."""
    recording = Recorder()

    def handle(self: httpx2.HTTPTransport, request: httpx2.Request) -> httpx2.Response:
        return recording.respond(request)

    async def handle_async(
        self: httpx2.AsyncHTTPTransport, request: httpx2.Request
    ) -> httpx2.Response:
        return recording.respond(request)

    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx2.AsyncHTTPTransport, "handle_async_request", handle_async)
    spec = load_spec()
    for variable in spec.api.porting.key_variables:
        monkeypatch.setenv(variable, f"{variable.lower()}-test-value")
    monkeypatch.setenv(spec.api.porting.wandb_key_variable, WANDB_KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    yield recording


def run(path: Path) -> None:
    """Import the file as a fresh module and run its `main()`."""
    loaded = importlib.util.spec_from_file_location(f"porting_{path.stem.replace('.', '_')}", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    _call_main(module)


def _call_main(module: ModuleType) -> None:
    result = module.main()
    if inspect.iscoroutine(result):
        asyncio.run(result)


def problems(sent: list[Sent], spec: Spec) -> list[str]:
    """What W&B would refuse in the recorded requests, judged by the spec data alone."""
    chat_url = spec.api.base_url + "/chat/completions"
    wandb_host = httpx2.URL(spec.api.base_url).host
    found: list[str] = []
    chats = [s for s in sent if s.url.endswith("/chat/completions")]
    if not chats:
        found.append("no chat request was sent")
    for request in chats:
        if request.url != chat_url:
            found.append(f"chat request sent to {request.url}")
        if request.authorization != f"Bearer {WANDB_KEY}":
            found.append(f"chat request authorised with {request.authorization!r}")
        model = str(request.body.get("model"))
        if spec.models.served(model) is None:
            found.append(f"model {model!r} is not served")
        taken = {n for n, p in spec.api.parameters.items() if p.status in TAKEN}
        found += [f"field {name!r} is not taken" for name in request.body if name not in taken]
    for request in sent:
        if request not in chats and httpx2.URL(request.url).host == wandb_host:
            found.append(f"{request.url}: an endpoint W&B does not serve was retargeted")
    return found


@pytest.mark.parametrize("name", SOURCES)
def test_the_ported_twin_sends_only_what_wandb_takes(name: str, recorder: Recorder) -> None:
    run(FIXTURES / f"{name}.fixed.py")
    assert problems(recorder.sent, load_spec()) == []


@pytest.mark.parametrize("name", SOURCES)
def test_the_unported_original_does_not(name: str, recorder: Recorder) -> None:
    try:
        run(FIXTURES / f"{name}.py")
    except Exception as error:  # the provider's SDK is not installed, or the SDK refuses
        assert isinstance(error, (ImportError, TypeError)), error
        return
    assert problems(recorder.sent, load_spec()) != []


def test_the_twins_are_what_porting_produces_and_lint_without_errors(
    outside_the_checkout: Path,
) -> None:
    """Each twin stands alone, so it is linted as a copy outside this checkout: in it, the
    project is lint-wb's own, and its index takes seconds (`outside_the_checkout`)."""
    twins = [f"{name}.fixed.py" for name in SOURCES]
    for twin in twins:
        (outside_the_checkout / twin).write_bytes((FIXTURES / twin).read_bytes())
    result = make_runner().invoke(
        main, ["--assume-wandb", "--isolated", "--output-format", "json", *twins]
    )
    assert result.exit_code in (0, 1), result.output
    errors = [row for row in json.loads(result.stdout) if row["severity"] == "error"]
    assert errors == []


LITELLM_SOURCE = "litellm_providers"
"""LiteLLM calls whose model prefixes name Groq, Meta's Llama API and Anthropic (WB108)."""


@pytest.fixture
def litellm_recorder(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> Recorder:
    """LiteLLM sends its requests through httpx, not the OpenAI SDK's transport: they are
    recorded there too, with every key LiteLLM may read for a provider set."""
    import httpx

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        answer = recorder.respond(request)  # type: ignore[arg-type]  # the same fields
        headers = {"content-type": "application/json"}
        return httpx.Response(answer.status_code, content=answer.content, headers=headers)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no fetch at import
    for route in bundled_libraries().conventions["litellm"].elsewhere:
        for variable in route.key_variables:
            monkeypatch.setenv(variable, f"{variable.lower()}-test-value")
    return recorder


LITELLM_SOURCES = {
    LITELLM_SOURCE: 3,
    "litellm_api_base": 4,
    "litellm_bare": 4,
    "litellm_provider_keyword": 4,
}
"""LiteLLM fixtures, with the requests each makes. litellm_api_base: an `openai/` model given
no api_base (api.openai.com), provider prefixes given W&B's api_base (WB102, WB501, WB107).
litellm_bare: models with no provider prefix, given no api_base (api.openai.com, or LiteLLM
raises) and given W&B's (sent as written). litellm_provider_keyword: the provider named by
`custom_llm_provider=` (`openai`: an `openai/` model; `wandb`: W&B's, URL implied)."""


@pytest.mark.parametrize("name", sorted(LITELLM_SOURCES))
def test_the_ported_litellm_twin_sends_only_what_wandb_takes(
    name: str, litellm_recorder: Recorder
) -> None:
    run(FIXTURES / f"{name}.fixed.py")
    assert problems(litellm_recorder.sent, load_spec()) == []
    assert len(litellm_recorder.sent) == LITELLM_SOURCES[name]


@pytest.mark.parametrize("name", sorted(LITELLM_SOURCES))
def test_the_unported_litellm_original_does_not(name: str, litellm_recorder: Recorder) -> None:
    with contextlib.suppress(Exception):  # Anthropic's API is not answered here
        run(FIXTURES / f"{name}.py")
    assert problems(litellm_recorder.sent, load_spec()) != []


ROUTES = bundled_libraries().conventions["litellm"].elsewhere


@pytest.mark.parametrize("route", ROUTES, ids=[route.prefix for route in ROUTES])
def test_a_prefix_sends_its_model_to_the_api_base_as_the_data_says(
    route: ProviderRoute, litellm_recorder: Recorder
) -> None:
    """`to_api_base`: given W&B's api_base, LiteLLM posts the model after the prefix, unchanged,
    to W&B's chat URL (`groq/<id>` sends `<id>`), so WB501 and the rest judge that model."""
    import litellm

    model = "meta-llama/Llama-3.3-70B-Instruct"
    base_url = load_spec().api.base_url
    with contextlib.suppress(Exception):  # the other formats are not answered here
        litellm.completion(
            model=route.prefix + model,
            messages=[{"role": "user", "content": "hi"}],
            api_base=base_url,
            api_key=WANDB_KEY,
        )
    sent = [(request.url, request.body.get("model")) for request in litellm_recorder.sent]
    # LiteLLM may first read a model's config from elsewhere (nvidia_nim/ asks Hugging Face,
    # unless an earlier test left it in LiteLLM's cache): what counts is what W&B receives.
    to_wandb = [(url, sent_model) for url, sent_model in sent if url.startswith(base_url)]
    chat = (f"{base_url}/chat/completions", model)
    assert (to_wandb[:1] == [chat]) == route.to_api_base, sent


def test_every_litellm_provider_is_one_the_data_reads_as_a_prefix() -> None:
    """A model whose first part the installed LiteLLM reads as a provider is not bare: the
    data's `providers` must hold every one (else `ollama/llama3` would be judged bare)."""
    import litellm

    installed = {getattr(name, "value", name) for name in litellm.provider_list}
    assert installed <= bundled_libraries().conventions["litellm"].providers


@pytest.mark.parametrize(
    ("model", "to_wandb", "sent_to"),
    [
        ("gpt-4o-mini", False, "https://api.openai.com/v1/chat/completions"),
        ("Qwen/Qwen3.6-35B-A3B", False, None),
        ("gpt-4o-mini", True, f"{load_spec().api.base_url}/chat/completions"),
        ("Qwen/Qwen3.6-35B-A3B", True, f"{load_spec().api.base_url}/chat/completions"),
    ],
    ids=["openai-name", "wandb-name", "openai-name-to-wandb", "wandb-name-to-wandb"],
)
def test_a_bare_model_goes_where_the_data_says(
    model: str,
    to_wandb: bool,
    sent_to: str | None,
    litellm_recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`bare = "by_base_url"`: given W&B's api_base, LiteLLM sends a bare model to W&B as
    written; given none, a name it knows as OpenAI's goes to api.openai.com and W&B's IDs
    raise (no request)."""
    import litellm

    monkeypatch.delenv("OPENAI_API_BASE", raising=False)
    convention = bundled_libraries().conventions["litellm"]
    assert convention.bare(model) and convention.bare_by_base_url
    base = {"api_base": load_spec().api.base_url} if to_wandb else {}
    with contextlib.suppress(litellm.BadRequestError):
        litellm.completion(model=model, messages=[{"role": "user", "content": "hi"}], **base)
    sent = [(request.url, request.body.get("model")) for request in litellm_recorder.sent]
    assert sent == ([] if sent_to is None else [(sent_to, model)])


@pytest.mark.parametrize("to_wandb", [False, True], ids=["no-api-base", "wandb-api-base"])
@pytest.mark.parametrize("provider", ["openai", "wandb"])
@pytest.mark.parametrize(
    "model", ["gpt-4o-mini", "Qwen/Qwen3.6-35B-A3B", "openai/gpt-oss-120b", "groq/llama-3"]
)
def test_a_provider_keyword_routes_as_the_data_says(
    model: str,
    provider: str,
    to_wandb: bool,
    litellm_recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`custom_llm_provider=P` routes the model as `ModelConvention.as_routed` says: as if
    written `P/<model>` unless its first part is P (LiteLLM strips the prefix once); `openai`
    goes to api.openai.com given no api_base, `wandb` to W&B either way."""
    import litellm

    monkeypatch.delenv("OPENAI_API_BASE", raising=False)
    convention = bundled_libraries().conventions["litellm"]
    routed = convention.as_routed(model, provider, True)
    assert routed is not None
    route = convention.route(routed)
    assert route is not None
    wandb_url = load_spec().api.base_url
    base = {"api_base": wandb_url} if to_wandb else {}
    litellm.completion(
        model=model,
        custom_llm_provider=provider,
        messages=[{"role": "user", "content": "hi"}],
        **base,
    )
    url = wandb_url if to_wandb or route.wandb else "https://api.openai.com/v1"
    sent = [(request.url, request.body.get("model")) for request in litellm_recorder.sent]
    assert sent == [(f"{url}/chat/completions", routed[len(route.prefix) :])]


def test_only_a_provider_litellm_knows_routes_the_call() -> None:
    """Another provider LiteLLM knows routes the model under its prefix (`groq/...`); a value
    not known here, or a name LiteLLM does not know (`"OpenAI"`), leaves the model as written."""
    convention = bundled_libraries().conventions["litellm"]
    assert convention.names_provider("groq") and convention.names_provider("openai")
    assert not convention.names_provider("OpenAI") and not convention.names_provider(None)
    assert convention.as_routed("gpt-4o-mini", "groq", True) == "groq/gpt-4o-mini"
    assert convention.as_routed("gpt-4o-mini", "OpenAI", False) == "gpt-4o-mini"


PASSTHROUGH = bundled_libraries().conventions["litellm"].passthrough


@pytest.mark.parametrize("keys_set", [True, False], ids=["keys-set", "keys-unset"])
@pytest.mark.parametrize("row", PASSTHROUGH, ids=[row.provider for row in PASSTHROUGH])
def test_a_passthrough_provider_posts_the_model_and_key_as_the_data_says(
    row: PassThrough, keys_set: bool, litellm_recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`custom_llm_provider=P` of a `passthrough` row, given W&B's api_base and no api_key:
    LiteLLM posts the model unchanged to W&B's chat URL with the first of the row's key
    variables, else its placeholder (else it raises and sends nothing)."""
    import litellm

    for variable in row.key_variables:
        if keys_set:
            monkeypatch.setenv(variable, f"{variable.lower()}-test-value")
        else:
            monkeypatch.delenv(variable, raising=False)
    model = "Qwen/Qwen3.6-35B-A3B"
    base_url = load_spec().api.base_url
    # No key: LiteLLM raises ("Missing credentials", "Missing API Key" ..., each provider
    # its own exception) before sending anything; what was sent is the check.
    with contextlib.suppress(Exception):
        litellm.completion(
            model=model,
            custom_llm_provider=row.provider,
            messages=[{"role": "user", "content": "hi"}],
            api_base=base_url,
        )
    sent = [(r.url, r.authorization, r.body.get("model")) for r in litellm_recorder.sent]
    key = f"{row.key_variables[0].lower()}-test-value" if keys_set else row.placeholder
    expected = [(f"{base_url}/chat/completions", f"Bearer {key}", model)] if key else []
    assert sent == expected


UNMAPPED = bundled_libraries().conventions["litellm"].unmapped


@pytest.mark.parametrize("provider", UNMAPPED)
def test_an_unmapped_provider_raises_and_sends_nothing(
    provider: str, litellm_recorder: Recorder
) -> None:
    """`custom_llm_provider=P` of the data's `unmapped` list, given W&B's api_base: LiteLLM has
    no chat completions for P, raises "Unmapped LLM provider" and sends nothing (WB108)."""
    import litellm

    with pytest.raises(litellm.BadRequestError, match="Unmapped LLM provider"):
        litellm.completion(
            model="Qwen/Qwen3.6-35B-A3B",
            custom_llm_provider=provider,
            messages=[{"role": "user", "content": "hi"}],
            api_base=load_spec().api.base_url,
            api_key="not-a-key",
        )
    assert litellm_recorder.sent == []


MISPOSTED = bundled_libraries().conventions["litellm"].misposted


@pytest.mark.parametrize("provider", MISPOSTED)
def test_a_misposted_provider_sends_nothing_to_wandbs_chat_path(
    provider: str, litellm_recorder: Recorder
) -> None:
    """`custom_llm_provider=P` of the data's `misposted` list, given W&B's api_base: LiteLLM
    sends a request, but none to `<api_base>/chat/completions`, the one chat path W&B serves
    (WB108). (What it does with the answer is not asked: it may raise.)"""
    import litellm

    base_url = load_spec().api.base_url
    with contextlib.suppress(Exception):
        litellm.completion(
            model="Qwen/Qwen3.6-35B-A3B",
            custom_llm_provider=provider,
            messages=[{"role": "user", "content": "hi"}],
            api_base=base_url,
            api_key="not-a-key",
            num_retries=0,
            max_retries=0,
        )
    urls = [sent.url.partition("?")[0] for sent in litellm_recorder.sent]
    assert urls and f"{base_url}/chat/completions" not in urls, urls


MISPOSTED_KEYS = bundled_libraries().conventions["litellm"].misposted_keys


@pytest.mark.parametrize("row", MISPOSTED_KEYS, ids=[row.provider for row in MISPOSTED_KEYS])
def test_a_misposted_provider_sends_the_key_the_data_says(
    row: MispostedKey, litellm_recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`custom_llm_provider=P` of a `misposted_key` row, given W&B's api_base and no api_key:
    LiteLLM sends the first of the row's key variables (a `keyless` row: no key, even given
    api_key=); given no api_base (its base URL variables unset), it raises the row's
    `no_base_url` and sends nothing."""
    import litellm

    for variable in row.key_variables:
        monkeypatch.setenv(variable, f"{variable.lower()}-test-value")
    for variable in row.base_url_variables:
        monkeypatch.delenv(variable, raising=False)
    base_url = load_spec().api.base_url
    given = {"api_key": "given-key"} if row.keyless else {}
    call = {"model": "m", "custom_llm_provider": row.provider, "num_retries": 0, **given}
    messages = [{"role": "user", "content": "hi"}]
    with contextlib.suppress(Exception):
        litellm.completion(messages=messages, api_base=base_url, **call)
    keys = [sent.authorization for sent in litellm_recorder.sent]
    expected = "" if row.keyless else f"{row.key_variables[0].lower()}-test-value"
    assert keys and all(key.endswith(expected) if expected else not key for key in keys), keys
    litellm_recorder.sent.clear()
    with pytest.raises(Exception, match=row.no_base_url):
        litellm.completion(messages=messages, **call)
    assert litellm_recorder.sent == []


LOCAL = [route for route in ROUTES if route.local]


@pytest.mark.parametrize("route", LOCAL, ids=[route.prefix for route in LOCAL])
def test_a_local_prefix_given_no_api_base_goes_to_this_machine(
    route: ProviderRoute, litellm_recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`local`: given no api_base (nor its variable), LiteLLM sends the model to a server on
    this machine (Ollama's), never to another provider's API: not ported."""
    import litellm

    monkeypatch.delenv("OLLAMA_API_BASE", raising=False)
    with contextlib.suppress(Exception):  # the local server's answers are not recorded here
        litellm.completion(
            model=route.prefix + "llama3", messages=[{"role": "user", "content": "hi"}]
        )
    hosts = {httpx2.URL(request.url).host for request in litellm_recorder.sent}
    assert hosts and hosts <= {"localhost", "127.0.0.1"}, hosts
