"""LangChain's init_chat_model under assume-wandb: it picks the provider's own chat model class
(`model_provider=`, else a `name:` prefix, else the model's name). OpenAI's (ChatOpenAI) given no
base_url goes to api.openai.com: WB102 adds W&B's URL, and WB107's key fix waits for it. Another
provider's class reads that provider's key: no W&B key is written into it."""

from __future__ import annotations

import pytest

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.findings import Finding
from lint_wb.fix_loop import fix_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import bundled_libraries, load_spec

HEAD = "import os\nfrom langchain.chat_models import init_chat_model\n"
WANDB_URL = "https://api.inference.wandb.ai/v1"


def _options(assume_wandb: bool = True) -> LintOptions:
    return LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)


def _findings(body: str, *, assume_wandb: bool = True) -> list[Finding]:
    result = lint_source(HEAD + body, "app.py", _options(assume_wandb), load_spec())
    return sorted(result.findings, key=lambda finding: finding.location)


def _codes(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def _fixed(body: str) -> str:
    outcome = fix_source(HEAD + body, "app.py", _options(), load_spec(), unsafe_fixes=True)
    return outcome.text[len(HEAD) :]


@pytest.mark.parametrize(
    "call",
    [
        "init_chat_model('Qwen/Qwen3.6-35B-A3B', model_provider='openai', temperature=0)",
        "init_chat_model('openai:Qwen/Qwen3.6-35B-A3B')",
        "init_chat_model('gpt-4o-mini')",
        "init_chat_model('O3-mini')",
    ],
    ids=["model-provider", "prefix", "inferred", "inferred-case"],
)
def test_openais_client_given_no_base_url_gets_the_url_before_the_key(call: str) -> None:
    """ChatOpenAI given no base_url sends to api.openai.com: WB102 with its fix; WB107 has no
    fix of its own (alone, it would send the W&B key to OpenAI), and the fix loop writes both."""
    findings = _findings(f"m = {call}\n")
    (missing,) = _codes(findings, "WB102")
    assert missing.fix is not None and "LangChain's ChatOpenAI" in missing.message
    (key,) = _codes(findings, "WB107")
    assert key.fix is None and "No fix until its base URL is W&B's (WB102)" in key.message
    assert "LiteLLM" not in key.message + missing.message
    fixed = _fixed(f"m = {call}\n")
    assert f'base_url="{WANDB_URL}"' in fixed and "WANDB_API_KEY" in fixed


def test_a_key_read_for_openais_client_is_renamed_only_with_the_url() -> None:
    body = "m = init_chat_model('gpt-4o', api_key=os.getenv('OPENAI_API_KEY'))\n"
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None
    assert _fixed(body).count("WANDB_API_KEY") == 1 and WANDB_URL in _fixed(body)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        ("init_chat_model('claude-sonnet-4', model_provider='anthropic', temperature=0)", True),
        ("init_chat_model('anthropic:claude-sonnet-4')", True),
        ("init_chat_model('claude-sonnet-4')", False),
        ("init_chat_model('Qwen/Qwen3.6-35B-A3B')", False),
    ],
    ids=["model-provider", "prefix", "inferred", "not-inferred"],
)
def test_another_providers_client_gets_no_wandb_key(call: str, named: bool) -> None:
    """Another provider's class reads its own key and sends it to its own API: no WB102 (W&B's
    URL alone does not make it OpenAI's client) and WB107 adds no key."""
    findings = _findings(f"m = {call}\n")
    assert not _codes(findings, "WB102")
    (key,) = _codes(findings, "WB107")
    assert key.fix is None and "No key is added here" in key.message
    assert ("'anthropic' provider" in key.message) == named
    assert "WANDB_API_KEY" not in _fixed(f"m = {call}\n")


def test_another_providers_key_read_is_not_renamed() -> None:
    body = "m = init_chat_model('claude-sonnet-4', api_key=os.getenv('OPENAI_API_KEY'))\n"
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None and "another provider" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)


@pytest.mark.parametrize(
    "body",
    [
        f"os.environ['OPENAI_API_BASE'] = {WANDB_URL!r}\nm = init_chat_model('gpt-4o-mini')\n",
        f"m = init_chat_model('openai:gpt-4o-mini', base_url={WANDB_URL!r})\n",
        "m = init_chat_model('gpt-4o-mini', **settings)\n",
    ],
    ids=["openai-api-base", "given", "spread"],
)
def test_no_wb102_where_the_url_may_be_set(body: str) -> None:
    assert not _codes(_findings(body), "WB102")


def test_nothing_without_assume_wandb() -> None:
    body = "m = init_chat_model('gpt-4o-mini', model_provider='openai')\n"
    assert not _findings(body, assume_wandb=False)


@pytest.mark.parametrize(
    ("model", "provider_keyword", "provider"),
    [
        ("gpt-4o", None, "openai"),
        ("GPT-4o", None, "openai"),
        ("o1-mini", None, "openai"),
        ("o3", None, "openai"),
        ("chatgpt-4o-latest", None, "openai"),
        ("text-davinci-003", None, "openai"),
        ("openai:Qwen/Qwen3.6-35B-A3B", None, "openai"),
        ("claude-sonnet-4", None, ""),
        ("Qwen/Qwen3.6-35B-A3B", None, ""),
        ("anthropic:claude-sonnet-4", None, "anthropic"),
        ("Qwen/Qwen3.6-35B-A3B", "openai", "openai"),
        ("gpt-4o", "azure-openai", "azure_openai"),
    ],
)
def test_the_data_picks_the_provider_as_langchain_does(
    model: str, provider_keyword: str | None, provider: str
) -> None:
    """`ModelConvention.provider` on init_chat_model's data; against the installed langchain's
    own parser when it is installed (it is not in the test extras: it pulls langgraph)."""
    convention = bundled_libraries().conventions["langchain_init"]
    given = provider_keyword is not None
    assert convention.provider(model, provider_keyword, given) == provider
    try:
        from langchain.chat_models import base  # type: ignore[import-not-found]
    except ImportError:
        return
    try:
        _, parsed = base._parse_model(model, provider_keyword)
    except ValueError:
        parsed = ""  # LangChain cannot place the name: it raises
    assert (parsed == "openai") == (provider == "openai")


@pytest.mark.parametrize(
    "body",
    [
        "P = os.getenv('LLM_PROVIDER')\nm = init_chat_model('gpt-4o-mini', model_provider=P)\n",
        "m = init_chat_model(os.environ['MODEL'])\n",
        "m = init_chat_model(os.environ['MODEL'], api_key=os.getenv('OPENAI_API_KEY'))\n",
    ],
    ids=["provider-variable", "model-variable", "key-read"],
)
def test_a_provider_not_known_here_gets_no_wandb_key(body: str) -> None:
    """Which class init_chat_model makes (and so where the key goes) is not known here: WB107
    says so and adds no W&B key, which could go to api.openai.com or another provider."""
    (key,) = _codes(_findings(body), "WB107")
    assert key.fix is None and "not known here" in key.message
    assert "WANDB_API_KEY" not in _fixed(body)
