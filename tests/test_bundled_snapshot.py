"""The bundled model snapshot (lint_wb/spec/models.toml) as data.

Two kinds of test, read straight from the bundled file:
- what W&B publishes, as the project's reference records it: the served models, the reasoning
  modes, the retirements with W&B's named replacements. A catalog refresh changes these
  expectations together with the data; no rule test reads the bundled snapshot.
- what must hold for any snapshot: every replacement chain ends, and a retired or deprecated
  model's fix only ever names a generally available model.
"""

from __future__ import annotations

import re
import textwrap
from importlib import resources
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.spec import ModelCatalog, load_models, resolve_replacement
from tests.cli_runner import make_runner
from tests.conftest import TEST_SNAPSHOT


def _bundled() -> ModelCatalog:
    path = resources.files("lint_wb.spec").joinpath("models.toml")
    return load_models(str(path))


BUNDLED = _bundled()
MODELS = BUNDLED.models

GENERALLY_AVAILABLE = {
    "moonshotai/Kimi-K2.7-Code",
    "moonshotai/Kimi-K2.6",
    "deepseek-ai/DeepSeek-V3.1",
    "deepseek-ai/DeepSeek-V4-Pro-0813",
    "deepseek-ai/DeepSeek-V4-Flash-0731",
    "deepseek-ai/DeepSeek-V4.1-Flash",
    "google/gemma-4-31B-it",
    "google/gemma-4-26B-A4B-it",
    "ibm-granite/granite-4.2-8b",
    "meta-llama/Llama-3.3-70B-Instruct",
    "meta-llama/Llama-3.1-8B-Instruct",
    "MiniMaxAI/MiniMax-M3",
    "nvidia/NVIDIA-Nemotron-3-Ultra-550B-A55B",
    "nvidia/NVIDIA-Nemotron-3.5-Lightning-30B-A3B",
    "openai/gpt-oss-120b",
    "openai/gpt-oss-20b",
    "Qwen/Qwen3.6-35B-A3B",
    "Qwen/Qwen3.8-27B",
    "zai-org/GLM-5.2",
    "zai-org/GLM-5.3-Flash",
}

# model -> (reasoning, thinking_default): W&B's reasoning page, 2026-09-30.
REASONING_MODES = {
    "openai/gpt-oss-120b": ("always", None),
    "openai/gpt-oss-20b": ("always", None),
    "moonshotai/Kimi-K2.6": ("always", None),
    "moonshotai/Kimi-K2.7-Code": ("always", None),
    "zai-org/GLM-5.3-Flash": ("always", None),
    "deepseek-ai/DeepSeek-V4.1-Flash": ("hybrid", True),
    "deepseek-ai/DeepSeek-V4-Flash-0731": ("hybrid", True),
    "deepseek-ai/DeepSeek-V4-Pro-0813": ("hybrid", True),
    "ibm-granite/granite-4.2-8b": ("hybrid", True),
    "google/gemma-4-31B-it": ("hybrid", False),
    "google/gemma-4-26B-A4B-it": ("hybrid", False),
    "MiniMaxAI/MiniMax-M3": ("adaptive", None),
    "Qwen/Qwen3.8-27B": ("yes", None),  # not confirmed either way
    "zai-org/GLM-5.2": ("yes", None),
    "meta-llama/Llama-3.1-8B-Instruct": ("no", None),
}

# retired model -> (retired on, the replacement W&B names, where a fix lands: the first
# generally available model on the chain, or None).
RETIREMENTS = {
    "deepseek-ai/DeepSeek-R1-0528": ("2026-03-04", None, None),
    "deepseek-ai/DeepSeek-V3-0324": ("2026-03-04", None, None),
    "moonshotai/Kimi-K2-Instruct": ("2026-03-04", "moonshotai/Kimi-K2.5", None),
    "moonshotai/Kimi-K2-Instruct-0905": ("2026-03-04", "moonshotai/Kimi-K2.5", None),
    "Qwen/Qwen2.5-14B-Instruct": (
        "2026-03-04",
        "OpenPipe/Qwen3-14B-Instruct",
        "Qwen/Qwen3.8-27B",
    ),
    "zai-org/GLM-4.5": ("2026-03-04", "zai-org/GLM-5-FP8", None),
    "meta-llama/Llama-4-Scout-17B-16E-Instruct": (
        "2026-04-21",
        "Qwen/Qwen3.5-35B-A3B",
        "Qwen/Qwen3.6-35B-A3B",
    ),
    "zai-org/GLM-5-FP8": ("2026-05-11", "zai-org/GLM-5.1", None),
    "microsoft/Phi-4-mini-instruct": ("2026-07-20", None, None),
    "deepseek-ai/DeepSeek-V4-Flash": (
        "2026-10-05",
        "deepseek-ai/DeepSeek-V4-Flash-0731",
        "deepseek-ai/DeepSeek-V4-Flash-0731",
    ),
    "deepseek-ai/DeepSeek-V4-Pro": (
        "2026-10-05",
        "deepseek-ai/DeepSeek-V4-Pro-0813",
        "deepseek-ai/DeepSeek-V4-Pro-0813",
    ),
    "ibm-granite/granite-4.1-8b": (
        "2026-10-05",
        "ibm-granite/granite-4.2-8b",
        "ibm-granite/granite-4.2-8b",
    ),
    "JetBrains/Mellum2-12B-A2.5B-Instruct": (
        "2026-10-05",
        "ibm-granite/granite-4.2-8b",
        "ibm-granite/granite-4.2-8b",
    ),
    "meta-llama/Llama-3.1-70B-Instruct": (
        "2026-10-05",
        "meta-llama/Llama-3.3-70B-Instruct",
        "meta-llama/Llama-3.3-70B-Instruct",
    ),
    "OpenPipe/Qwen3-14B-Instruct": ("2026-10-05", "Qwen/Qwen3.8-27B", "Qwen/Qwen3.8-27B"),
    "Qwen/Qwen3.6-27B": ("2026-10-05", "Qwen/Qwen3.8-27B", "Qwen/Qwen3.8-27B"),
    "Qwen/Qwen3.5-35B-A3B": ("2026-10-05", "Qwen/Qwen3.6-35B-A3B", "Qwen/Qwen3.6-35B-A3B"),
    "Qwen/Qwen3-30B-A3B-Instruct-2507": (
        "2026-10-05",
        "Qwen/Qwen3.6-35B-A3B",
        "Qwen/Qwen3.6-35B-A3B",
    ),
}

GONE_WITHOUT_NOTICE = (
    "moonshotai/Kimi-K2.5",
    "zai-org/GLM-5.1",
    "Qwen/Qwen3-235B-A22B-Instruct-2507",
    "Qwen/Qwen3-235B-A22B-Thinking-2507",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct",
    "MiniMaxAI/MiniMax-M2.5",
    "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8",
    "Qwen/Qwen3.5-27B",
)


# --------------------------------------------------------------------------------------------
# What W&B publishes


def test_the_generally_available_models() -> None:
    assert {model.id for model in MODELS.values() if model.lifecycle == "ga"} == (
        GENERALLY_AVAILABLE
    )
    for model_id in GENERALLY_AVAILABLE:
        model = MODELS[model_id]
        assert model.context_window is not None and model.reasoning is not None, model_id
        assert (model.tool_calling, model.json_mode, model.structured_output) == (None,) * 3


def test_context_windows_follow_the_feed() -> None:
    assert MODELS["meta-llama/Llama-3.1-8B-Instruct"].context_window == 131072
    assert MODELS["meta-llama/Llama-3.3-70B-Instruct"].context_window == 128000
    assert MODELS["deepseek-ai/DeepSeek-V4-Pro-0813"].context_window == 1048576


@pytest.mark.parametrize(("model_id", "mode"), sorted(REASONING_MODES.items()))
def test_reasoning_modes(model_id: str, mode: tuple[str, bool | None]) -> None:
    model = MODELS[model_id]
    assert (model.reasoning, model.thinking_default) == mode


def test_reasoning_effort_values() -> None:
    assert MODELS["zai-org/GLM-5.3-Flash"].reasoning_effort == ("low", "high", "max")
    others = [m.id for m in MODELS.values() if m.reasoning_effort and "GLM-5.3" not in m.id]
    assert others == []  # no other model's values are published: the general ones apply


@pytest.mark.parametrize("model_id", sorted(RETIREMENTS))
def test_retirements_and_named_replacements(model_id: str) -> None:
    retired_on, named, served = RETIREMENTS[model_id]
    model = MODELS[model_id]
    assert (model.lifecycle, model.retired_on, model.replacement) == ("retired", retired_on, named)
    assert resolve_replacement(BUNDLED, model_id) == served


def test_every_retired_model_is_in_the_reference_table() -> None:
    assert {m.id for m in MODELS.values() if m.lifecycle == "retired"} == set(RETIREMENTS)


def test_models_gone_without_notice_are_unknown_not_retired() -> None:
    for model_id in GONE_WITHOUT_NOTICE:
        assert model_id not in MODELS


def test_sources_are_public_pages_with_a_date() -> None:
    text = resources.files("lint_wb.spec").joinpath("models.toml").read_text("utf-8")
    sources = re.findall(r'^source = "(.*)"$', text, flags=re.MULTILINE)
    assert len(sources) > len(MODELS)
    for source in sources[1:]:  # [catalog].source: the date is [catalog].date
        assert "https://" in source and re.search(r"\d{4}-\d{2}-\d{2}", source), source
    assert ".md" not in text.split("[catalog]")[1], "sources must be public pages"


# --------------------------------------------------------------------------------------------
# What holds for any snapshot


SNAPSHOT_FILES = {
    "bundled": Path(str(resources.files("lint_wb.spec").joinpath("models.toml"))),
    "test": TEST_SNAPSHOT,
    "fixture models_snapshot": TEST_SNAPSHOT.parent / "models_snapshot" / "snapshot.toml",
}


@pytest.mark.parametrize("name", sorted(SNAPSHOT_FILES))
def test_every_replacement_chain_ends_at_a_served_model_or_nowhere(name: str) -> None:
    catalog = load_models(SNAPSHOT_FILES[name])
    lifecycles = {model.id: model.lifecycle for model in catalog.models.values()}
    for model in catalog.models.values():
        target = resolve_replacement(catalog, model.id)
        if model.lifecycle not in ("retired", "deprecated"):
            assert model.replacement is None and target is None, model.id
            continue
        assert target is None or lifecycles[target] == "ga", (model.id, target)
        named = model.replacement
        if named is not None and lifecycles.get(named) == "ga":
            assert target == named, model.id  # W&B's own choice when it is served


def test_fix_writes_each_retired_models_replacement_or_nothing(tmp_path: Path) -> None:
    """`lint-wb --fix --unsafe-fixes` on one request per retired model of the bundled
    snapshot: W&B's named replacement (through the chain), or the literal left alone."""
    retired = sorted(RETIREMENTS)
    calls = "".join(
        f'client.chat.completions.create(model="{model_id}", messages=MESSAGES)\n'
        for model_id in retired
    )
    header = textwrap.dedent(
        """\
        import os

        from openai import OpenAI

        client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])
        MESSAGES = [{"role": "user", "content": "Hi"}]
        """
    )
    target = tmp_path / "retired.py"
    target.write_text(header + calls, encoding="utf-8")
    bundled = resources.files("lint_wb.spec").joinpath("models.toml")
    (tmp_path / "lint-wb.toml").write_text(f"models-file = {str(bundled)!r}\n", "utf-8")
    result = make_runner().invoke(
        main, ["--no-cache", "--fix", "--unsafe-fixes", "--select", "WB502", str(target)]
    )
    assert result.exit_code == 1, result.output  # those without a served replacement remain
    written = re.findall(r'model="([^"]+)"', target.read_text("utf-8"))
    expected = [RETIREMENTS[model_id][2] or model_id for model_id in retired]
    assert written == expected
