"""Converting for `lint-wb --update-models`: the feed's rows and the bundled snapshot become
the entries of a new snapshot, written as TOML in the layout of the bundled models.toml.

The feed says which models are served and what they can do; the bundled snapshot adds what
the feed does not carry (retired models with their dates and replacements, other providers'
IDs of served models).
"""

from __future__ import annotations

import datetime
import re
import sys
from importlib import resources

from lint_wb.spec import Model, ModelCatalog

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

_MODALITIES = ("text", "image", "audio", "video")
_MODALITY_ALIASES = {"vision": "image", "images": "image", "speech": "audio"}
_STAGES = {
    **dict.fromkeys(("ga", "generally-available", "general-availability", "stable"), "ga"),
    **dict.fromkeys(("production", "active", "available", "live"), "ga"),
    **dict.fromkeys(("experimental", "preview", "beta", "alpha", "early-access"), "experimental"),
    **dict.fromkeys(("deprecated", "deprecating", "sunsetting"), "deprecated"),
    **dict.fromkeys(("retired", "removed", "sunset", "discontinued"), "retired"),
}
_RETIREMENT_KEYS = ("retirementDate", "retireDate", "retiredOn", "retiredAt")


_Entry = dict[str, object]


class Snapshot:
    """The entries of the new snapshot, in the order they are written."""

    def __init__(self, bundled: ModelCatalog, date: str) -> None:
        self.bundled = bundled
        self.date = date
        self.entries: dict[str, _Entry] = {}
        self.mappings: list[_Entry] = []

    def add_feed(
        self, rows: list[dict[str, object]], served: set[str] | None, source: str
    ) -> list[str]:
        """Add the feed's rows (the first of a repeated ID); return those not served."""
        not_served: list[str] = []
        for row in rows:
            model_id = str(row["id"])
            if model_id in self.entries or model_id in not_served:
                continue
            entry = _from_row(row, self.bundled.models.get(model_id), source, self.date)
            if served is not None and model_id not in served and entry["lifecycle"] != "retired":
                not_served.append(model_id)
                continue
            self.entries[model_id] = entry
        return not_served

    def add_served(self, served: set[str], source: str) -> None:
        """Add the IDs /v1/models serves that the feed does not list."""
        for model_id in sorted(served - set(self.entries)):
            row: dict[str, object] = {"id": model_id}
            self.entries[model_id] = _from_row(row, self.bundled.models.get(model_id), source, "")

    def keep_bundled(self) -> None:
        """Keep retired and deprecated models the feed does not list, and the other providers'
        IDs whose W&B ID is served. GA models gone from the feed are left out: unknown."""
        for model in self.bundled.models.values():
            if model.id in self.entries or model.lifecycle in ("ga", "experimental"):
                continue
            entry = _from_model(model)
            due = model.retirement_date
            if model.lifecycle == "deprecated" and due is not None and due <= self.date:
                entry.update(lifecycle="retired", retired_on=due, retirement_date=None)
            self.entries[model.id] = entry
        for mapping in _bundled_mappings():
            target = self.entries.get(str(mapping.get("wandb_id")))
            if mapping.get("id") not in self.entries and target and target["lifecycle"] == "ga":
                self.mappings.append(mapping)

    def render(self, source: str) -> str:
        ordered = sorted(self.entries.values(), key=lambda e: e["lifecycle"] == "retired")
        lines = [
            "# The W&B Inference model catalog, as a dated snapshot written by",
            "# `lint-wb --update-models` (same layout as lint_wb/spec/models.toml). Rewritten by",
            "# the next update: edit a copy and point `models-file` at it instead.",
            "",
            "[catalog]",
            f"date = {_toml(self.date)}",
            f"source = {_toml(source)}",
        ]
        for table, entries in (("model", ordered), ("other_provider_id", self.mappings)):
            for entry in entries:
                lines += ["", f"[[{table}]]"]
                lines += [
                    f"{key} = {_toml(value)}" for key, value in entry.items() if value is not None
                ]
        return "\n".join(lines) + "\n"


def _from_row(row: dict[str, object], known: Model | None, source: str, today: str) -> _Entry:
    """A [[model]] entry from a feed row; what the row leaves out comes from `known`."""
    modalities = _modalities(row.get("modalitiesInput"))
    lifecycle = _lifecycle(row, known, today)
    note = lifecycle.pop("note", None)
    entry: _Entry = {"id": row["id"], **lifecycle}
    entry["input_modalities"] = list(modalities or (known.input_modalities if known else ["text"]))
    context_window = _positive_int(row.get("contextWindow"))
    entry["context_window"] = context_window or _known(known, "context_window")
    entry["reasoning"] = _reasoning(_flag(row.get("featureReasoning")), known)
    if known is not None and entry["reasoning"] == known.reasoning:
        entry["thinking_default"] = known.thinking_default
        effort = known.reasoning_effort
        entry["reasoning_effort"] = None if effort is None else list(effort)
    for key, field in (
        ("featureToolCalling", "tool_calling"),
        ("featureJsonMode", "json_mode"),
        ("featureStructuredOutput", "structured_output"),
    ):
        flag = _flag(row.get(key))
        entry[field] = flag if flag is not None else _known(known, field)
    entry["source"] = source if note is None else f"{source}; {note}"
    return {key: entry[key] for key in _ORDER if key in entry}


_ORDER = (
    "id",
    "lifecycle",
    "input_modalities",
    "context_window",
    "reasoning",
    "thinking_default",
    "reasoning_effort",
    "tool_calling",
    "json_mode",
    "structured_output",
    "retired_on",
    "retirement_date",
    "replacement",
    "source",
)


def _from_model(model: Model) -> _Entry:
    entry: _Entry = {key: getattr(model, key) for key in _ORDER}
    text_only = model.input_modalities == ("text",)
    entry["input_modalities"] = None if text_only else list(model.input_modalities)
    effort = model.reasoning_effort
    entry["reasoning_effort"] = None if effort is None else list(effort)
    return entry


def _known(model: Model | None, field: str) -> object:
    return getattr(model, field) if model is not None else None


def _lifecycle(row: dict[str, object], known: Model | None, today: str) -> _Entry:
    """lifecycle with its dates. A missing stage is GA (the feed lists served models); an
    unknown one experimental (served, never a fix target); a deprecated model whose
    retirement date nobody published stays GA: lint-wb never flags on an unknown."""
    stage = row.get("lifecycleStage")
    key = re.sub(r"[\s_]+", "-", stage.strip().lower()) if isinstance(stage, str) else ""
    lifecycle = _STAGES.get(key, "experimental") if key else "ga"
    dates = [_date(row.get(name)) for name in _RETIREMENT_KEYS]
    published = next((date for date in dates if date), None)
    replacement = _known(known, "replacement")
    if replacement == row["id"]:
        replacement = None
    if lifecycle == "retired":
        retired_on = published or _known(known, "retired_on") or _known(known, "retirement_date")
        return {
            "lifecycle": "retired",
            "retired_on": retired_on or today,
            "replacement": replacement,
        }
    due = published or _known(known, "retirement_date")
    if lifecycle == "deprecated" and due:
        return {"lifecycle": "deprecated", "retirement_date": due, "replacement": replacement}
    if lifecycle == "deprecated":
        return {"lifecycle": "ga", "note": "listed as deprecated, no retirement date published"}
    return {"lifecycle": lifecycle}


def _reasoning(flag: bool | None, known: Model | None) -> str | None:
    """The feed says yes or no; the bundled snapshot may know more (always on, hybrid,
    adaptive)."""
    previous = known.reasoning if known is not None else None
    if flag is None:
        return previous
    if not flag:
        return "no"
    return previous if previous not in (None, "no") else "yes"


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            value.strip().lower()
        )
    return None


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 1 else None


def _modalities(value: object) -> tuple[str, ...]:
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    names = [str(item).strip().lower() for item in items]
    names = [_MODALITY_ALIASES.get(name, name) for name in names]
    return tuple(dict.fromkeys(name for name in names if name in _MODALITIES))


def _date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _bundled_mappings() -> list[_Entry]:
    """The bundled [[other_provider_id]] tables as written (with provider and source)."""
    text = resources.files("lint_wb.spec").joinpath("models.toml").read_text(encoding="utf-8")
    tables = tomllib.loads(text).get("other_provider_id", [])
    return [dict(table) for table in tables if isinstance(table, dict)]


# --------------------------------------------------------------------------------------------
# Writing TOML by hand (the few types a snapshot holds)


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return '"' + "".join(_escape(char) for char in str(value)) + '"'


def _escape(char: str) -> str:
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if code < 0x20 or code == 0x7F:
        return f"\\u{code:04X}"
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else char
