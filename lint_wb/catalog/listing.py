"""`lint-wb --list-models`: the model snapshot a run uses, as a text table or as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lint_wb.spec import Model, ModelCatalog, default_models, load_spec


@dataclass(frozen=True)
class SnapshotInUse:
    """The model snapshot a run uses (as :func:`lint_wb.api.spec_for` picks it)."""

    catalog: ModelCatalog
    origin: str
    """"models-file" (the team's snapshot), "cache" (--update-models) or "bundled"."""
    path: Path | None
    warning: str | None = None


def snapshot_in_use(models_file: Path | None) -> SnapshotInUse:
    """Raises :class:`lint_wb.spec.SpecError` when `models_file` is unusable."""
    if models_file is not None:
        return SnapshotInUse(load_spec(models_file).models, "models-file", models_file)
    default = default_models()
    origin = "bundled" if default.path is None else "cache"
    return SnapshotInUse(load_spec(default.path).models, origin, default.path, default.warning)


def _model_row(model: Model) -> dict[str, object]:
    effort = model.reasoning_effort
    return {
        "id": model.id,
        "lifecycle": model.lifecycle,
        "context_window": model.context_window,
        "input_modalities": list(model.input_modalities),
        "reasoning": model.reasoning,
        "thinking_default": model.thinking_default,
        "reasoning_effort": None if effort is None else list(effort),
        "tool_calling": model.tool_calling,
        "json_mode": model.json_mode,
        "structured_output": model.structured_output,
        "retired_on": model.retired_on,
        "retirement_date": model.retirement_date,
        "replacement": model.replacement,
    }


def models_json(snapshot: SnapshotInUse) -> str:
    catalog = snapshot.catalog
    document = {
        "date": catalog.date,
        "source": catalog.source,
        "origin": snapshot.origin,
        "path": None if snapshot.path is None else str(snapshot.path),
        "models": [_model_row(model) for model in catalog.models.values()],
        "other_provider_ids": catalog.other_provider_ids,
    }
    return json.dumps(document, indent=2)


def models_text(snapshot: SnapshotInUse) -> str:
    catalog = snapshot.catalog
    where = {"models-file": f"models-file {snapshot.path}", "cache": f"cached {snapshot.path}"}
    header = [
        f"Model snapshot of {catalog.date} ({where.get(snapshot.origin, 'bundled with lint-wb')})",
        f"Source: {catalog.source}",
        "",
    ]
    table = [("ID", "LIFECYCLE", "CONTEXT", "INPUT", "REASONING", "RETIREMENT")]
    table += [_text_row(model) for model in catalog.models.values()]
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    body = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table
    ]
    served = sum(catalog.served(model_id) is not None for model_id in catalog.models)
    footer = (
        f"{len(catalog.models)} models ({served} served, {len(catalog.models) - served} retired), "
        f"{len(catalog.other_provider_ids)} other providers' IDs"
    )
    return "\n".join([*header, *body, "", footer])


def _text_row(model: Model) -> tuple[str, str, str, str, str, str]:
    if model.lifecycle == "retired":
        retirement = "retired" if model.retired_on is None else f"retired {model.retired_on}"
    elif model.retirement_date is not None:
        retirement = f"retires {model.retirement_date}"
    else:
        retirement = ""
    if model.replacement is not None:
        retirement += f" -> {model.replacement}"
    return (
        model.id,
        model.lifecycle,
        "-" if model.context_window is None else str(model.context_window),
        ",".join(model.input_modalities),
        _reasoning_text(model),
        retirement,
    )


def _reasoning_text(model: Model) -> str:
    """`hybrid/on`, `always`, `-` (unknown), with the model's own reasoning_effort values."""
    text: str = model.reasoning or "-"
    if model.thinking_default is not None:
        text += "/on" if model.thinking_default else "/off"
    if model.reasoning_effort is not None:
        text += f"({','.join(model.reasoning_effort)})"
    return text
