"""Reading models.toml: the dated model snapshot, its lifecycles and other providers' IDs."""

from __future__ import annotations

from typing import cast

from lint_wb.spec.catalog_types import CatalogFacts
from lint_wb.spec.tables import Entry, SpecError
from lint_wb.spec.types import (
    Lifecycle,
    Model,
    ModelCatalog,
    OtherProviderId,
    Reasoning,
    replacement_chain,
)

_MODALITIES = ("text", "image", "audio", "video")


def parse_models(data: dict[str, object], file: str, facts: CatalogFacts) -> ModelCatalog:
    root = Entry(file, "top level", data)
    catalog = root.sub("catalog")
    date, source = catalog.date("date"), catalog.string("source")
    catalog.finish()
    models: dict[str, Model] = {}
    for entry in root.array("model", "model"):
        model = _parse_model(entry, facts)
        if model.id in models:
            raise entry.error("listed twice")
        models[model.id] = model
    if not models:
        raise root.error("no [[model]] entries")
    mappings = _parse_other_ids(root, models, facts)
    root.finish()
    _check_replacement_chains(models, file)
    return ModelCatalog(
        date=date,
        source=source,
        models=models,
        facts=facts,
        other_provider_ids={mapping.id: mapping.wandb_id for mapping in mappings},
        other_provider_entries=tuple(mappings),
    )


def _parse_model(entry: Entry, facts: CatalogFacts) -> Model:
    model_id = _model_id(entry, "id")
    entry.label = f"model '{model_id}'"
    lifecycle = cast(Lifecycle, entry.choice("lifecycle", Lifecycle))
    model = Model(
        id=model_id,
        lifecycle=lifecycle,
        input_modalities=_modalities(entry),
        context_window=entry.opt_int("context_window", minimum=1),
        reasoning=cast("Reasoning | None", entry.opt_choice("reasoning", Reasoning)),
        thinking_default=entry.opt_bool("thinking_default"),
        reasoning_effort=_opt_strings(entry, "reasoning_effort"),
        tool_calling=entry.opt_bool("tool_calling"),
        json_mode=entry.opt_bool("json_mode"),
        structured_output=entry.opt_bool("structured_output"),
        retired_on=entry.opt_date("retired_on"),
        retirement_date=entry.opt_date("retirement_date"),
        replacement=_opt_model_id(entry, "replacement"),
        source=entry.string("source"),
    )
    entry.finish()
    _check_lifecycle_fields(entry, model, facts)
    _check_reasoning_fields(entry, model)
    return model


def _model_id(entry: Entry, key: str) -> str:
    value = entry.string(key)
    if value != value.strip() or any(char.isspace() for char in value):
        raise entry.error(f"'{key}' must be a model ID without spaces, found {value!r}")
    return value


def _opt_model_id(entry: Entry, key: str) -> str | None:
    return None if entry.raw(key) is None else _model_id(entry, key)


def _opt_strings(entry: Entry, key: str) -> tuple[str, ...] | None:
    if entry.raw(key) is None:
        return None
    values = entry.strings(key)
    if not values:
        raise entry.error(f"'{key}' is empty; leave it out when the values are not known")
    return values


def _modalities(entry: Entry) -> tuple[str, ...]:
    modalities = entry.strings("input_modalities", default=("text",))
    if not modalities:
        raise entry.error("'input_modalities' is empty")
    for modality in modalities:
        if modality not in _MODALITIES:
            raise entry.error(
                f"'input_modalities' holds '{modality}'; allowed: {', '.join(_MODALITIES)}"
            )
    return modalities


def _check_lifecycle_fields(entry: Entry, model: Model, facts: CatalogFacts) -> None:
    retired, deprecated = model.lifecycle == "retired", model.lifecycle == "deprecated"
    if model.retired_on is not None and not retired:
        raise entry.error("'retired_on' is only for retired models")
    if model.retirement_date is not None and not deprecated:
        raise entry.error("'retirement_date' is only for deprecated models")
    if model.replacement is not None and not facts.lifecycles.ending(model.lifecycle):
        ending = " and ".join(stage.name for stage in facts.lifecycles.stages if stage.ending)
        raise entry.error(f"only {ending} models have a 'replacement'")
    if model.replacement == model.id:
        raise entry.error("'replacement' names the model itself")


def _check_reasoning_fields(entry: Entry, model: Model) -> None:
    if model.thinking_default is not None and model.reasoning != "hybrid":
        raise entry.error("'thinking_default' is only for hybrid models (reasoning = \"hybrid\")")
    if model.reasoning_effort is not None and model.reasoning in (None, "no"):
        raise entry.error("'reasoning_effort' values need a reasoning model ('reasoning')")


def _parse_other_ids(
    root: Entry, models: dict[str, Model], facts: CatalogFacts
) -> list[OtherProviderId]:
    mappings: list[OtherProviderId] = []
    for entry in root.array("other_provider_id", "other_provider_id"):
        other_id = _model_id(entry, "id")
        entry.label = f"other_provider_id '{other_id}'"
        provider = entry.string("provider")
        target = _model_id(entry, "wandb_id")
        source = entry.string("source")
        entry.finish()
        if other_id in models:
            raise entry.error("is itself a W&B model ID; no mapping needed")
        if any(mapping.id == other_id for mapping in mappings):
            raise entry.error("listed twice")
        target_model = models.get(target)
        if target_model is None or not facts.lifecycles.fix_target(target_model.lifecycle):
            state = "not in the catalog" if target_model is None else target_model.lifecycle
            raise entry.error(
                f"'wandb_id' must name a GA model of the catalog; '{target}' is {state}"
            )
        mappings.append(OtherProviderId(other_id, provider, target, source))
    return mappings


def _check_replacement_chains(models: dict[str, Model], file: str) -> None:
    for model_id in models:
        chain = [model_id, *replacement_chain(models, model_id)]
        last = models.get(chain[-1])
        if last is not None and last.replacement is not None:
            loop = " -> ".join([*chain, last.replacement])
            raise SpecError(f"{file}: model '{model_id}': replacement chain loops: {loop}")
