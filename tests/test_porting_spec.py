"""porting.toml and substitutions.toml: what the loader accepts, and that the data holds
what its rows claim."""

from __future__ import annotations

from importlib import resources

import pytest

from lint_wb.spec import ModelCatalog, SpecError, load_models, load_spec
from lint_wb.spec.porting_loader import parse_porting, parse_substitutions
from lint_wb.spec.porting_types import Substitutions

ROW = {
    "match": ["gpt-4o"],
    "provider": "OpenAI",
    "wandb_id": "moonshotai/Kimi-K2.6",
    "size": "large",
    "modality": "text+image",
    "reasoning": False,
    "tools": True,
    "reason": "why",
    "checked": "2026-11-26",
    "source": "https://platform.openai.com/docs/models/gpt-4o",
}


def bundled_models() -> ModelCatalog:
    """The bundled snapshot, read straight from its file: the substitution table must hold
    against what lint-wb ships (rule tests use a test snapshot instead)."""
    return load_models(str(resources.files("lint_wb.spec").joinpath("models.toml")))


def substitutions(*rows: dict[str, object]) -> dict[str, object]:
    return {"substitutions": {"checked": "2026-11-26"}, "substitution": list(rows)}


def test_every_substitution_writes_a_served_model_that_has_what_the_row_says() -> None:
    spec, models = load_spec(), bundled_models()
    assert spec.substitutions.rows
    for row in spec.substitutions.rows:
        model = models.models.get(row.wandb_id)
        assert model is not None and model.lifecycle == "ga", row.wandb_id
        if row.modality == "text+image":
            assert "image" in model.input_modalities, (row.patterns[0], row.wandb_id)
        if row.reasoning:
            assert model.reasoning in ("yes", "always", "hybrid"), (row.patterns[0], row.wandb_id)


def test_no_substitution_shadows_a_same_weights_id_or_a_served_model() -> None:
    spec, models = load_spec(), bundled_models()
    served = [m.id for m in models.models.values() if m.lifecycle != "retired"]
    for model_id in [*models.other_provider_ids, *served]:
        row = spec.substitutions.for_model(model_id)
        assert row is None, (model_id, row.patterns if row else None)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o-mini", "Qwen/Qwen3.6-35B-A3B"),
        ("gpt-4o", "moonshotai/Kimi-K2.6"),
        ("openai/gpt-3.5-turbo", "meta-llama/Llama-3.1-8B-Instruct"),
        ("claude-3-5-haiku-latest", "Qwen/Qwen3.6-35B-A3B"),
        ("CLAUDE-SONNET-4-5", "moonshotai/Kimi-K2.6"),
        ("llama3-70b-8192", "meta-llama/Llama-3.3-70B-Instruct"),
        ("mixtral-8x7b-32768", "meta-llama/Llama-3.3-70B-Instruct"),
    ],
)
def test_rows_match_from_specific_to_general(model: str, expected: str) -> None:
    row = load_spec().substitutions.for_model(model)
    assert row is not None and row.wandb_id == expected


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"size": "huge"}, "'size' must be one of small, medium, large"),
        ({"reasoning": None}, "'reasoning' and 'tools' are required"),
        ({"source": "wandb-reference.md"}, "https:// URL"),
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"checked": None}, "missing required key 'checked'"),
    ],
)
def test_a_bad_substitution_row_is_a_one_line_error(change: dict[str, object], error: str) -> None:
    row = {key: value for key, value in {**ROW, **change}.items() if value is not None}
    with pytest.raises(SpecError, match=error):
        parse_substitutions(substitutions(row), "substitutions.toml")


def test_a_pattern_listed_twice_is_an_error() -> None:
    with pytest.raises(SpecError, match="listed twice"):
        parse_substitutions(substitutions(ROW, {**ROW, "match": ["GPT-4o"]}), "s.toml")


def test_the_porting_data_knows_the_sdks_and_keys_the_reference_names() -> None:
    porting = load_spec().api.porting
    for variable in ("GROQ_API_KEY", "TOGETHER_API_KEY", "OPENROUTER_API_KEY", "XAI_API_KEY"):
        assert variable in porting.key_variables
    assert porting.wandb_key_variable not in porting.key_variables
    assert {"groq.Groq", "together.Together", "anthropic.Anthropic"} <= set(porting.provider_sdks)
    assert porting.provider_fields["transforms"].provider == "OpenRouter"


def test_the_wandb_key_cannot_be_listed_as_foreign() -> None:
    data = {
        "porting": {
            "wandb_key_variable": "WANDB_API_KEY",
            "sdk_key_variable": "OPENAI_API_KEY",
            "checked": "2026-11-26",
            "source": "https://docs.wandb.ai/inference/",
        },
        "key_variable": [
            {"name": "WANDB_API_KEY", "provider": "W&B", "checked": "2026-11-26", "source": "x"}
        ],
    }
    with pytest.raises(SpecError, match="is the W&B key variable"):
        parse_porting(data, "porting.toml")


@pytest.mark.parametrize(
    ("reads", "error"),
    [
        ({"content[0].text": "choices[0]..content"}, "both sides must be attribute paths"),
        ({"content[x].text": "choices[0].message.content"}, "both sides must be attribute paths"),
        ({}, "'reads' must be a table of response paths"),
    ],
)
def test_a_bad_anthropic_response_read_is_an_error(reads: dict[str, str], error: str) -> None:
    data = {
        "porting": {
            "wandb_key_variable": "WANDB_API_KEY",
            "sdk_key_variable": "OPENAI_API_KEY",
            "checked": "2026-11-26",
            "source": "https://docs.wandb.ai/inference/",
        },
        "anthropic_response": {"reads": reads, "checked": "2026-11-26", "source": "https://x.y"},
    }
    with pytest.raises(SpecError, match=error):
        parse_porting(data, "porting.toml")


def test_a_models_substitution_is_looked_up_once_and_is_the_tables_first_match() -> None:
    bundled = load_spec().substitutions
    table = Substitutions(bundled.rows, bundled.checked)  # its own memory of what was asked
    asked = [pattern for row in table.rows for pattern in row.patterns if "*" not in pattern]
    asked += ["gpt-4o", "GPT-4O", "claude-3-opus-20240229", "no-such-model", "gpt-4o"]
    for model_id in asked * 2:
        first = next((row for row in table.rows if row.matches(model_id)), None)
        assert table.for_model(model_id) is first, model_id
    assert table.for_model("no-such-model") is None
    assert set(table._found) == set(asked)
