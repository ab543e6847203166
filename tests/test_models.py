"""WB5xx model rules and the WB203/WB303 capability rules, through the real engine."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from lint_wb import LintOptions, fix_source, lint_source
from lint_wb.findings import Applicability, Finding
from lint_wb.rules.models import did_you_mean, lora_path_problems
from lint_wb.spec import Model, Spec, load_spec

MODEL_CODES = frozenset({"WB501", "WB502", "WB503", "WB504"})
CAPABILITY_CODES = frozenset({"WB203", "WB303"})
ALL_OURS = MODEL_CODES | CAPABILITY_CODES
HEADER = """\
import os
from openai import OpenAI

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
"""
SNAPSHOT = "model snapshot of 2026-10-07"


def source_of(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def findings(
    body: str,
    codes: frozenset[str] = ALL_OURS,
    spec: Spec | None = None,
    **options: tuple[str, ...],
) -> list[Finding]:
    result = lint_source(
        source_of(body), "x.py", LintOptions(enabled=codes, **options), spec or load_spec()
    )
    return list(result.findings)


def fixed(body: str, *, unsafe: bool, spec: Spec | None = None) -> str:
    options = LintOptions(enabled=ALL_OURS)
    outcome = fix_source(source_of(body), "x.py", options, spec or load_spec(), unsafe_fixes=unsafe)
    return outcome.text[len(HEADER) :]


def request(model: str, extra: str = "") -> str:
    return f"client.chat.completions.create(model={model}, messages=[]{extra})\n"


def with_models(*models: Model) -> Spec:
    """The bundled spec with `models` added to (or replacing entries of) its catalog."""
    spec = load_spec()
    catalog = dict(spec.models.models)
    catalog.update({model.id: model for model in models})
    return dataclasses.replace(spec, models=dataclasses.replace(spec.models, models=catalog))


# --------------------------------------------------------------------------------------------
# WB501 unknown-model


def test_unknown_model_gets_a_did_you_mean_and_the_snapshot_date() -> None:
    (finding,) = findings(request('"openai/gpt-oss-12b"'))
    assert finding.code == "WB501"
    assert "'openai/gpt-oss-12b'" in finding.message
    assert "Did you mean 'openai/gpt-oss-120b'?" in finding.message
    assert SNAPSHOT in finding.message
    assert finding.fix is None


def test_unknown_model_without_a_close_match_says_what_to_do() -> None:
    (finding,) = findings(request('"claude-3-5-sonnet"'))
    assert "Did you mean" not in finding.message
    assert "extra-models" in finding.message


def test_did_you_mean_compares_case_insensitively_first() -> None:
    served = ["deepseek-ai/DeepSeek-V3.1", "deepseek-ai/DeepSeek-V4.1-Flash"]
    assert did_you_mean("DEEPSEEK-AI/DEEPSEEK-V3.1X", served) == "deepseek-ai/DeepSeek-V3.1"
    assert did_you_mean("gpt-4o", served) is None


def test_did_you_mean_suggests_only_served_models() -> None:
    # zai-org/GLM-4.5 is retired: the suggestion for a near miss of it is a served model.
    (finding,) = findings(request('"zai-org/GLM-4.6"'))
    assert "'zai-org/GLM-4.5'" not in finding.message


def test_case_only_difference_is_a_safe_fix() -> None:
    (finding,) = findings(request('"meta-llama/llama-3.3-70b-instruct"'))
    assert "case-sensitive" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    assert fixed(request('"meta-llama/llama-3.3-70b-instruct"'), unsafe=False) == request(
        '"meta-llama/Llama-3.3-70B-Instruct"'
    )


def test_case_fix_keeps_the_quotes() -> None:
    assert fixed(request("'qwen/qwen3.8-27b'"), unsafe=False) == request("'Qwen/Qwen3.8-27B'")


def test_case_fix_rewrites_a_constant_where_it_is_defined() -> None:
    body = 'MODEL = "MOONSHOTAI/KIMI-K2.6"\n' + request("MODEL")
    (finding,) = findings(body)
    assert finding.location.row == HEADER.count("\n") + 1  # reported where it is written
    assert fixed(body, unsafe=False) == 'MODEL = "moonshotai/Kimi-K2.6"\n' + request("MODEL")


def test_model_built_by_an_f_string_is_reported_without_a_fix() -> None:
    body = 'ORG = "qwen"\n' + request('f"{ORG}/Qwen3.8-27B"')
    (finding,) = findings(body)
    assert finding.code == "WB501" and "'Qwen/Qwen3.8-27B'" in finding.message
    assert finding.fix is None


def test_other_provider_id_is_an_unsafe_fix_naming_both_ids() -> None:
    (finding,) = findings(request('"llama-3.3-70b-versatile"'))
    assert "'llama-3.3-70b-versatile'" in finding.message
    assert "'meta-llama/Llama-3.3-70B-Instruct'" in finding.message
    assert SNAPSHOT in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    body = request('"accounts/fireworks/models/gpt-oss-120b"')
    assert fixed(body, unsafe=False) == body
    assert fixed(body, unsafe=True) == request('"openai/gpt-oss-120b"')


def test_extra_models_silence_unknown_and_retired_models() -> None:
    body = request('"acme/private-model"') + request('"zai-org/GLM-4.5"')
    assert [f.code for f in findings(body)] == ["WB501", "WB502"]
    extra = ("acme/private-model", "zai-org/GLM-4.5")
    assert findings(body, extra_models=extra) == []


@pytest.mark.parametrize(
    "model",
    [
        '"openai/gpt-oss-120b"',
        '"openai/gpt-oss-20b"',
        '"meta-llama/Llama-3.3-70B-Instruct"',
        '"wandb-artifact:///acme/support/qwen-lora:v3"',
        'os.environ["MODEL"]',
        "model_name",
    ],
)
def test_valid_or_unresolved_models_are_silent(model: str) -> None:
    assert findings(f"def ask(model_name):\n    {request(model)}") == []


def test_requests_on_other_providers_clients_are_not_checked() -> None:
    body = (
        'together = OpenAI(base_url="https://api.together.xyz/v1", api_key="EMPTY")\n'
        'together.chat.completions.create(model="llama-3.3-70b-versatile", messages=[])\n'
    )
    assert findings(body) == []


def test_model_from_a_spread_dict_is_checked_and_fixed_in_the_dict() -> None:
    body = (
        'COMMON = {"model": "openai/GPT-OSS-120B"}\n'
        "client.chat.completions.create(**COMMON, messages=[])\n"
    )
    (finding,) = findings(body)
    assert finding.location.row == HEADER.count("\n") + 1
    assert fixed(body, unsafe=False).startswith('COMMON = {"model": "openai/gpt-oss-120b"}')


# --------------------------------------------------------------------------------------------
# WB502 retired-model, WB503 deprecated-model


def test_retired_model_replacement_chain_without_a_served_model_has_no_fix() -> None:
    # GLM-4.5 -> GLM-5-FP8 (retired) -> GLM-5.1 (not in the snapshot).
    (finding,) = findings(request('"zai-org/GLM-4.5"'))
    assert finding.code == "WB502"
    assert "retired on 2026-03-04" in finding.message and SNAPSHOT in finding.message
    assert "'zai-org/GLM-5-FP8'" in finding.message and "itself retired" in finding.message
    assert finding.fix is None


def test_retired_model_with_a_served_replacement_gets_an_unsafe_fix() -> None:
    (finding,) = findings(request('"deepseek-ai/DeepSeek-V4-Flash"'))
    assert "'deepseek-ai/DeepSeek-V4-Flash-0731'" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    body = request('"deepseek-ai/DeepSeek-V4-Flash"')
    assert fixed(body, unsafe=False) == body
    assert fixed(body, unsafe=True) == request('"deepseek-ai/DeepSeek-V4-Flash-0731"')


def test_retired_model_without_replacement_says_so() -> None:
    (finding,) = findings(request('"microsoft/Phi-4-mini-instruct"'))
    assert "names no replacement" in finding.message and finding.fix is None


def test_replacement_chain_is_followed_through_retired_models() -> None:
    spec = with_models(
        Model("old/A", "retired", retired_on="2026-01-01", replacement="old/B"),
        Model("old/B", "retired", retired_on="2026-02-01", replacement="zai-org/GLM-5.2"),
    )
    (finding,) = findings(request('"old/A"'), spec=spec)
    assert "'old/B'" in finding.message and "'zai-org/GLM-5.2'" in finding.message
    assert fixed(request('"old/A"'), unsafe=True, spec=spec) == request('"zai-org/GLM-5.2"')


def test_fix_never_writes_a_model_that_is_not_generally_available() -> None:
    spec = with_models(
        Model("old/A", "retired", retired_on="2026-01-01", replacement="new/B"),
        Model("new/B", "experimental"),
    )
    (finding,) = findings(request('"old/A"'), spec=spec)
    assert finding.fix is None


def test_deprecated_model_is_a_warning_with_its_retirement_date_and_replacement() -> None:
    spec = with_models(
        Model(
            "old/Chat",
            "deprecated",
            retirement_date="2026-12-31",
            replacement="meta-llama/Llama-3.3-70B-Instruct",
        )
    )
    (finding,) = findings(request('"old/Chat"'), spec=spec)
    assert finding.code == "WB503" and finding.severity.value == "warning"
    assert "2026-12-31" in finding.message and SNAPSHOT in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert fixed(request('"old/Chat"'), unsafe=True, spec=spec) == request(
        '"meta-llama/Llama-3.3-70B-Instruct"'
    )


def test_retired_model_without_a_published_date() -> None:
    spec = with_models(Model("old/Gone", "retired", replacement="zai-org/GLM-5.2"))
    (finding,) = findings(request('"old/Gone"'), spec=spec)
    assert finding.message.startswith(f"Model 'old/Gone' was retired ({SNAPSHOT}): every request")
    assert fixed(request('"old/Gone"'), unsafe=True, spec=spec) == request('"zai-org/GLM-5.2"')


def test_deprecated_model_without_a_published_date_says_so() -> None:
    spec = with_models(Model("old/Chat", "deprecated", replacement="zai-org/GLM-5.2"))
    (finding,) = findings(request('"old/Chat"'), spec=spec)
    assert finding.code == "WB503" and "has not published its retirement date" in finding.message
    assert fixed(request('"old/Chat"'), unsafe=True, spec=spec) == request('"zai-org/GLM-5.2"')


def test_deprecated_chain_in_the_test_snapshot_lands_on_a_ga_model() -> None:
    # testing/Deprecated-Chat -> testing/Deprecated-Chat-2 (deprecated) -> Llama-3.3-70B (GA)
    (finding,) = findings(request('"testing/Deprecated-Chat"'))
    assert finding.code == "WB503" and "2027-03-01" in finding.message
    assert fixed(request('"testing/Deprecated-Chat"'), unsafe=True) == request(
        '"meta-llama/Llama-3.3-70B-Instruct"'
    )
    (finding,) = findings(request('"testing/Retired-To-Experimental"'))
    assert finding.code == "WB502" and finding.fix is None  # experimental: never written


# --------------------------------------------------------------------------------------------
# WB504 malformed-lora-uri


@pytest.mark.parametrize(
    ("uri", "fixed_uri"),
    [
        ("wandb-artifact://acme/proj/lora:v1", "wandb-artifact:///acme/proj/lora:v1"),
        ("wandb-artifact:////acme/proj/lora:latest", "wandb-artifact:///acme/proj/lora:latest"),
        ("wandb-artifact:/acme/proj/lora:v1", "wandb-artifact:///acme/proj/lora:v1"),
    ],
)
def test_lora_slash_count_is_a_safe_fix(uri: str, fixed_uri: str) -> None:
    (finding,) = findings(request(f'"{uri}"'))
    assert finding.code == "WB504"
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    assert fixed(request(f'"{uri}"'), unsafe=False) == request(f'"{fixed_uri}"')


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("wandb-artifact:///acme/proj/lora", "no ':<alias-or-version>'"),
        ("wandb-artifact:///acme/proj/lora:", "no ':<alias-or-version>'"),
        ("wandb-artifact:///proj/lora:v1", "team/project/name"),
        ("wandb-artifact:///acme//lora:v1", "team/project/name"),
        ("wandb-artifact:///acme/proj/lora/extra:v1", "team/project/name"),
        ("wandb-artifact:///acme/proj/:v1", "'<name>:<alias-or-version>'"),
        ("wandb-artifact://acme/proj/lora", "2 slashes"),
    ],
)
def test_lora_with_a_missing_part_is_reported_without_a_fix(uri: str, problem: str) -> None:
    (finding,) = findings(request(f'"{uri}"'))
    assert finding.code == "WB504" and problem in finding.message
    assert finding.fix is None


def test_lora_path_of_the_right_shape_has_no_problems() -> None:
    assert lora_path_problems("acme/support-bot/qwen3-lora:v12") == []
    assert lora_path_problems("my_team/proj.v2/adapter-1:production") == []


# --------------------------------------------------------------------------------------------
# WB203 model-capability


def test_image_part_to_text_model_is_reported_at_the_part() -> None:
    body = (
        "client.chat.completions.create(\n"
        '    model="openai/gpt-oss-120b",\n'
        '    messages=[{"role": "user", "content": [\n'
        '        {"type": "text", "text": "What is this?"},\n'
        '        {"type": "image_url", "image_url": {"url": "https://x/y.png"}},\n'
        "    ]}],\n"
        ")\n"
    )
    (finding,) = findings(body)
    assert finding.code == "WB203" and "image" in finding.message and SNAPSHOT in finding.message
    assert finding.location.row == HEADER.count("\n") + 5
    vision = body.replace("openai/gpt-oss-120b", "Qwen/Qwen3.8-27B")
    assert findings(vision) == []


def test_image_parts_in_a_module_list_are_reported_once_at_messages() -> None:
    body = (
        'IMG = {"type": "image_url", "image_url": {"url": "u"}}\n'
        'MSGS = [{"role": "user", "content": [IMG, IMG]}]\n'
        'client.chat.completions.create(model="zai-org/GLM-5.2", messages=MSGS)\n'
    )
    (finding,) = findings(body)
    assert finding.location.row == HEADER.count("\n") + 3


def test_reasoning_effort_to_a_model_without_reasoning() -> None:
    (finding,) = findings(request('"meta-llama/Llama-3.1-8B-Instruct"', ', reasoning_effort="low"'))
    assert finding.code == "WB203" and "reasoning_effort='low'" in finding.message
    assert findings(request('"openai/gpt-oss-120b"', ', reasoning_effort="low"')) == []
    assert findings(request('"meta-llama/Llama-3.1-8B-Instruct"', ", reasoning_effort=None")) == []


@pytest.mark.parametrize(
    ("model", "value", "reported"),
    [
        ("meta-llama/Llama-3.3-70B-Instruct", "True", True),  # no reasoning to turn on
        ("meta-llama/Llama-3.3-70B-Instruct", "False", False),  # what it does anyway
        ("openai/gpt-oss-120b", "False", True),  # always reasons
        ("openai/gpt-oss-120b", "True", False),
        ("deepseek-ai/DeepSeek-V3.1", "False", False),  # hybrid: can be toggled
        ("zai-org/GLM-5.2", "False", False),  # "yes": not stated either way
        ("moonshotai/Kimi-K2.7-Code", "False", True),  # always reasons
        ("deepseek-ai/DeepSeek-V4.1-Flash", "False", False),  # hybrid, on by default
        ("google/gemma-4-31B-it", "True", False),  # hybrid, off by default
        ("MiniMaxAI/MiniMax-M3", "False", False),  # adaptive: can be overridden
    ],
)
def test_enable_thinking_where_reasoning_cannot_be_toggled(
    model: str, value: str, reported: bool
) -> None:
    in_extra_body = f', extra_body={{"chat_template_kwargs": {{"enable_thinking": {value}}}}}'
    as_keyword = f', chat_template_kwargs={{"enable_thinking": {value}}}'
    for extra in (in_extra_body, as_keyword):
        found = findings(request(f'"{model}"', extra), codes=frozenset({"WB203"}))
        assert [f.code for f in found] == (["WB203"] if reported else []), extra


EFFORT_CODES = frozenset({"WB203", "WB301"})


def test_reasoning_effort_values_the_model_lists_are_accepted() -> None:
    flash = '"zai-org/GLM-5.3-Flash"'
    assert findings(request(flash, ', reasoning_effort="max"'), codes=EFFORT_CODES) == []
    assert findings(request(flash, ', reasoning_effort="low"'), codes=EFFORT_CODES) == []
    # A model without its own values: the general low / medium / high (WB301).
    found = findings(request('"openai/gpt-oss-120b"', ', reasoning_effort="max"'), EFFORT_CODES)
    assert [f.code for f in found] == ["WB301"]


def test_reasoning_effort_outside_the_models_own_values_is_wb203_only() -> None:
    found = findings(
        request('"zai-org/GLM-5.3-Flash"', ', reasoning_effort="medium"'), codes=EFFORT_CODES
    )
    assert [f.code for f in found] == ["WB203"]
    assert "'low', 'high', 'max'" in found[0].message and SNAPSHOT in found[0].message


def test_enable_thinking_through_a_constant_dict() -> None:
    body = 'NO_THINKING = {"chat_template_kwargs": {"enable_thinking": False}}\n' + request(
        '"openai/gpt-oss-20b"', ", extra_body=NO_THINKING"
    )
    (finding,) = findings(body)
    assert finding.location.row == HEADER.count("\n") + 1  # at the entry in the constant


def test_capabilities_the_snapshot_does_not_state_are_never_flagged() -> None:
    tools = ', tools=[{"type": "function", "function": {"name": "f"}}]'
    json_mode = ', response_format={"type": "json_object"}'
    assert findings(request('"meta-llama/Llama-3.3-70B-Instruct"', tools + json_mode)) == []


def test_tools_and_json_modes_where_the_snapshot_says_no() -> None:
    spec = with_models(
        Model(
            "meta-llama/Llama-3.3-70B-Instruct",
            "ga",
            tool_calling=False,
            json_mode=False,
            structured_output=True,
        )
    )
    tools = ', tools=[{"type": "function", "function": {"name": "f"}}]'
    json_mode = ', response_format={"type": "json_object"}'
    schema = ', response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": S}}'
    model = '"meta-llama/Llama-3.3-70B-Instruct"'
    assert [f.code for f in findings(request(model, tools), spec=spec)] == ["WB203"]
    assert [f.code for f in findings(request(model, json_mode), spec=spec)] == ["WB203"]
    assert findings(request(model, schema), spec=spec) == []
    assert findings(request(model, ", tools=[]"), spec=spec) == []


def test_capabilities_of_retired_or_unknown_models_are_not_checked() -> None:
    effort = ', reasoning_effort="high", max_tokens=10_000_000'
    assert [f.code for f in findings(request('"zai-org/GLM-4.5"', effort))] == ["WB502"]
    assert [f.code for f in findings(request('"acme/x"', effort))] == ["WB501"]


# --------------------------------------------------------------------------------------------
# WB303 max-tokens-over-context


@pytest.mark.parametrize("keyword", ["max_tokens", "max_completion_tokens"])
def test_max_tokens_above_the_context_window(keyword: str) -> None:
    model = '"meta-llama/Llama-3.3-70B-Instruct"'
    (finding,) = findings(request(model, f", {keyword}=128_001"), codes=CAPABILITY_CODES)
    assert finding.code == "WB303"
    assert f"{keyword}=128001" in finding.message and "128000 tokens" in finding.message
    assert SNAPSHOT in finding.message
    assert findings(request(model, f", {keyword}=128_000"), codes=CAPABILITY_CODES) == []


def test_max_tokens_through_a_constant_and_unknown_values() -> None:
    model = '"openai/gpt-oss-20b"'
    body = "LIMIT = 500_000\n" + request(model, ", max_tokens=LIMIT")
    assert [f.code for f in findings(body)] == ["WB303"]
    assert findings(request(model, ", max_tokens=int(os.environ['N'])")) == []
    assert findings(request(model, ", max_tokens=True")) == []


def test_a_requests_model_is_read_once_for_every_rule_that_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The WB5xx rules and the capability rules all read `model=`: each request's model is
    resolved once (`model_use.model_use`), and every rule still reports on it."""
    from lint_wb.rules import model_use

    read: list[object] = []
    original = model_use._model_use

    def counting(resolver: object, request: object) -> object:
        read.append(request)
        return original(resolver, request)  # type: ignore[arg-type]

    monkeypatch.setattr(model_use, "_model_use", counting)
    body = """
    client.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruc", messages=[])
    client.chat.completions.create(model="gpt-4o", messages=[], reasoning_effort="high")
    """
    codes = sorted(finding.code for finding in findings(body))
    assert codes == ["WB501", "WB501"]
    assert len(read) == 2 and read[0] is not read[1]


def test_a_near_typo_is_looked_for_once_per_model_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree names the same unknown ID in file after file: the edit distances to every
    served ID are worked out once."""
    from lint_wb.rules import models

    looked: list[str] = []

    def counting(model_id: str, served: object) -> object:
        looked.append(model_id)
        return near_typo(model_id, served)

    near_typo = models.near_typo
    monkeypatch.setattr(models, "near_typo", counting)
    models._near_typo.cache_clear()
    text = source_of('client.chat.completions.create(model="gpt-4o-typo", messages=[])\n')
    for _ in range(3):
        lint_source(text, "x.py", LintOptions(enabled=MODEL_CODES), load_spec())
    assert looked == ["gpt-4o-typo"]
    models._near_typo.cache_clear()
