"""LiteLLM's provider prefix (`hosted_vllm/<id>`) in porting mode: LiteLLM reads it as it
reads `custom_llm_provider=` (same provider, model and api_base from get_llm_provider, litellm
1.110.2), so WB107 names that provider's key, not the SDK's OPENAI_API_KEY, and writes a W&B
key only into a call whose URL is W&B's."""

from __future__ import annotations

import pytest

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.findings import Finding
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

HEAD = "import os\nimport litellm\n"
URL = "https://api.inference.wandb.ai/v1"
CHAT = "messages=[{'role': 'user', 'content': 'hi'}]"
READS = [
    ("hosted_vllm", "HOSTED_VLLM_API_KEY (unset: 'fake-api-key')"),
    ("litellm_proxy", "LITELLM_PROXY_API_KEY or OPENAI_API_KEY"),
    ("baseten", "BASETEN_API_KEY or OPENAI_API_KEY"),
    ("friendliai", "FRIENDLIAI_API_KEY or FRIENDLI_TOKEN or OPENAI_API_KEY"),
    ("docker_model_runner", "DOCKER_MODEL_RUNNER_API_KEY (unset: 'dummy-key')"),
]


def _key_findings(body: str) -> list[Finding]:
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    result = lint_source(HEAD + body, "app.py", options, load_spec())
    return [finding for finding in result.findings if finding.code == "WB107"]


@pytest.mark.parametrize(("provider", "reads"), READS)
def test_a_prefixed_model_at_wandbs_url_names_its_providers_key(provider: str, reads: str) -> None:
    """Given W&B's api_base: LiteLLM sends the prefix's provider key to W&B; the fix passes the
    W&B key (the URL is W&B's), as for `custom_llm_provider=`."""
    model = f"model='{provider}/Qwen/Qwen3.6-35B-A3B'"
    body = f"r = litellm.completion({model}, api_base={URL!r}, {CHAT})\n"
    [key] = _key_findings(body)
    assert f"LiteLLM reads {reads} for its '{provider}/' model" in key.message
    assert "the SDK" not in key.message and key.fix is not None


@pytest.mark.parametrize("provider", [provider for provider, _ in READS] + ["heroku"])
def test_a_prefixed_model_with_no_url_gets_no_wandb_key(provider: str) -> None:
    """Given no api_base the call goes to the prefix's provider with its own key: no W&B key
    is added, nor renamed into another provider's read (it would go to that provider). The
    misposted providers too: `heroku/<id>` goes to HEROKU_API_BASE with HEROKU_API_KEY
    (litellm 1.110.2), as for `custom_llm_provider="heroku"`."""
    call = f"r = litellm.completion(model='{provider}/Qwen/Qwen3.6-35B-A3B', {CHAT}"
    [missing] = _key_findings(call + ")\n")
    assert f"whose '{provider}/' prefix names that provider" in missing.message
    assert "OPENAI_API_KEY" not in missing.message and missing.fix is None
    [renamed] = _key_findings(call + ", api_key=os.environ['GROQ_API_KEY'])\n")
    assert "sends the key to another provider" in renamed.message and renamed.fix is None


@pytest.mark.parametrize(
    "given", ["model='heroku/Qwen/Qwen3.6-35B-A3B'", "model='m', custom_llm_provider='heroku'"]
)
def test_heroku_is_sent_its_own_key_and_server(given: str) -> None:
    """litellm 1.110.2 (llms/heroku/chat/transformation.py): heroku reads HEROKU_API_KEY, also
    given W&B's api_base (where it posts to another path: WB108), and takes its server from
    HEROKU_API_BASE given none, raising "No api base was set" without it."""
    [at_wandb] = _key_findings(f"r = litellm.completion({given}, api_base={URL!r}, {CHAT})\n")
    assert "LiteLLM reads HEROKU_API_KEY for " in at_wandb.message
    assert "the SDK" not in at_wandb.message and at_wandb.fix is None
    [no_url] = _key_findings(f"r = litellm.completion({given}, {CHAT})\n")
    assert "that provider's server (HEROKU_API_BASE; with none set it raises" in no_url.message
    assert "with HEROKU_API_KEY, not to W&B" in no_url.message and no_url.fix is None


@pytest.mark.parametrize("url", ["", f", api_base={URL!r}"])
@pytest.mark.parametrize(
    "given",
    ["model='oobabooga/Qwen/Qwen3.6-35B-A3B'", "model='m', custom_llm_provider='oobabooga'"],
)
@pytest.mark.parametrize("key", ["", ", api_key=os.environ['OPENAI_API_KEY']"])
def test_oobabooga_is_sent_no_key(url: str, given: str, key: str) -> None:
    """litellm 1.110.2 passes oobabooga api_key=None whatever the call gives (main.py
    `_complete_oobabooga`), and given no api_base it raises "API Base not set" before sending:
    no key of any provider goes anywhere, so WB107 has nothing to say."""
    assert _key_findings(f"r = litellm.completion({given}{url}{key}, {CHAT})\n") == []


UNSENT = [
    "model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider='openai_like'",
    "model='openai_like/Qwen/Qwen3.6-35B-A3B'",
    "model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider='vllm'",
    "model='vllm/Qwen/Qwen3.6-35B-A3B'",
]


@pytest.mark.parametrize("model", UNSENT)
@pytest.mark.parametrize("key", ["", ", api_key=os.environ['GROQ_API_KEY']"])
def test_a_call_that_sends_wandb_nothing_has_no_key_finding(model: str, key: str) -> None:
    """Given W&B's api_base, LiteLLM raises for `openai_like` ("Unmapped LLM provider") and
    runs `vllm` in this process (litellm 1.110.2; the prefix form as the keyword): no key
    reaches W&B, so neither a missing nor a foreign key is reported (WB108 is)."""
    assert _key_findings(f"r = litellm.completion({model}, api_base={URL!r}, {CHAT}{key})\n") == []


VLLM = [
    "model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider='vllm'",
    "model='vllm/Qwen/Qwen3.6-35B-A3B'",
]
API_BASES = ["", f", api_base={URL!r}", ", api_base='https://example.com/v1'", ", api_base=BASE"]


@pytest.mark.parametrize("model", VLLM, ids=["keyword", "prefix"])
@pytest.mark.parametrize("api_base", API_BASES, ids=["none", "wandb", "another", "unknown"])
@pytest.mark.parametrize("key", ["", ", api_key=os.environ['GROQ_API_KEY']"], ids=["no-key", "key"])
def test_vllm_sends_no_key_whatever_the_base_url(model: str, api_base: str, key: str) -> None:
    """LiteLLM's `vllm` runs the model in this process with the vllm package and does not
    use the api_base (litellm 1.110.2: `custom_llm_provider="vllm"` and `vllm/<id>` fail
    with "No module named 'vllm'" and send nothing): no key goes anywhere, so neither a
    missing nor a foreign key is reported, given no api_base, W&B's, another or an unknown."""
    base = "BASE = os.environ['SERVER_URL']\n"
    call = f"r = litellm.completion({model}{api_base}, {CHAT}{key})\n"
    assert _key_findings(base + call) == []


UNSERVED = [
    f"litellm.completion(model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider='heroku', "
    f"api_base={URL!r}, {CHAT}",
    f"litellm.completion(model='heroku/Qwen/Qwen3.6-35B-A3B', api_base={URL!r}, {CHAT}",
    f"litellm.completion(model='anthropic/claude-sonnet-4', api_base={URL!r}, {CHAT}",
    f"init_chat_model('llama-3.3-70b-versatile', model_provider='groq', base_url={URL!r}",
    f"init_chat_model('claude-sonnet-4', model_provider='anthropic', base_url={URL!r}",
]


@pytest.mark.parametrize("call", UNSERVED)
@pytest.mark.parametrize("key", ["", ", api_key=os.environ['GROQ_API_KEY']"])
def test_a_call_wandb_does_not_serve_keeps_its_key_finding_with_no_fix(call: str, key: str) -> None:
    """Given W&B's URL, these send W&B a request it does not serve (another path, Anthropic's
    Messages API, ChatGroq's `<base_url>/openai/v1/...`; WB108): the key reaches W&B, so the
    finding stays, but a W&B key would not make the request work, so there is no fix."""
    head = "from langchain.chat_models import init_chat_model\n"
    [found] = _key_findings(f"{head}r = {call}{key})\n")
    assert found.fix is None and "fails whatever the key (WB108)" in found.message


@pytest.mark.parametrize("assume_wandb", [False, True], ids=["default", "assume-wandb"])
def test_the_vllm_prefix_runs_locally_as_the_keyword_does(assume_wandb: bool) -> None:
    """`vllm/<id>` is read as `custom_llm_provider="vllm"` (same provider and model from
    get_llm_provider, litellm 1.110.2): given no api_base it is local and left alone; given
    W&B's, WB108 says nothing reaches W&B."""
    options = LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)
    call = f"r = litellm.completion(model='vllm/Qwen/Qwen3.6-35B-A3B', {CHAT}"
    assert lint_source(HEAD + call + ")\n", "app.py", options, load_spec()).findings == ()
    given = lint_source(HEAD + call + f", api_base={URL!r})\n", "app.py", options, load_spec())
    [found] = given.findings
    assert found.code == "WB108" and "'vllm/' prefix" in found.message
    assert "local vllm package" in found.message


@pytest.mark.parametrize(
    "written",
    [
        "model='hosted_vllm/Qwen/Qwen3.6-35B-A3B'",
        "model='Qwen/Qwen3.6-35B-A3B', custom_llm_provider='baseten'",
    ],
)
def test_a_provider_call_beside_a_litellm_api_base_setting_is_not_sent_for_sure(
    written: str,
) -> None:
    """`litellm.api_base = ...` in the module: LiteLLM 1.110.2 sends `hosted_vllm`'s request
    there (with HOSTED_VLLM_API_KEY) but `baseten`'s to Baseten's own URL (observed with a
    recording server): the message does not say where it goes for sure, and adds no key."""
    setting = f"litellm.api_base = {URL!r}\n"
    [found] = _key_findings(f"{setting}r = litellm.completion({written}, {CHAT})\n")
    assert "or, for some providers" in found.message and "litellm.api_base" in found.message
    assert found.fix is None
    [plain] = _key_findings(f"r = litellm.completion({written}, {CHAT})\n")
    assert "litellm.api_base" not in plain.message and plain.fix is None
