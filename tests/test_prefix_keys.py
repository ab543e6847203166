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


@pytest.mark.parametrize(("provider", "reads"), READS)
def test_a_prefixed_model_with_no_url_gets_no_wandb_key(provider: str, reads: str) -> None:
    """Given no api_base the call goes to the prefix's provider with its own key: no W&B key
    is added, nor renamed into another provider's read (it would go to that provider)."""
    call = f"r = litellm.completion(model='{provider}/Qwen/Qwen3.6-35B-A3B', {CHAT}"
    [missing] = _key_findings(call + ")\n")
    assert f"whose '{provider}/' prefix names that provider" in missing.message
    assert "OPENAI_API_KEY" not in missing.message and missing.fix is None
    [renamed] = _key_findings(call + ", api_key=os.environ['GROQ_API_KEY'])\n")
    assert "sends the key to another provider" in renamed.message and renamed.fix is None
