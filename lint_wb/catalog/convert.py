"""Converting for `lint-wb --update-models`: the feed's W&B rows and the snapshot lint-wb
ships become the entries of a new snapshot, written as TOML in the layout of models.toml.

The feed says which models W&B lists, at which lifecycle stage, and what they can do; the
shipped snapshot adds what the feed does not carry: retirement dates and W&B's replacements
(from its lifecycle page), retired models the feed no longer lists, reasoning details, and
other providers' IDs of served models.
"""

from __future__ import annotations

from lint_wb.spec import CatalogFacts, Model, ModelCatalog

_MODALITIES = ("text", "image", "audio", "video")

_Entry = dict[str, object]


class Snapshot:
    """The entries of the new snapshot, in the order they are written."""

    def __init__(self, base: ModelCatalog, date: str) -> None:
        self.base = base
        self.facts: CatalogFacts = base.facts
        """The feed's layout and the lifecycle stages (catalog.toml)."""
        self.date = date
        self.entries: dict[str, _Entry] = {}
        self.mappings: list[_Entry] = []

    def add_feed(
        self, rows: tuple[dict[str, object], ...], served: set[str] | None, source: str
    ) -> list[str]:
        """Add the feed's rows (the first of a repeated ID); return those `served` (the IDs
        GET /v1/models lists, when asked) leaves out."""
        not_served: list[str] = []
        for row in rows:
            model_id = str(row[self.facts.feed.id_field])
            if model_id in self.entries or model_id in not_served:
                continue
            entry = _from_row(row, self.base.models.get(model_id), source, self)
            if served is not None and model_id not in served and entry["lifecycle"] != "retired":
                not_served.append(model_id)
                continue
            self.entries[model_id] = entry
        return not_served

    def add_listed_only(self, listed: set[str], source: str) -> list[str]:
        """Add the IDs GET /v1/models lists that the feed does not, as experimental: served to
        this key, but not thereby generally available (never a fix's target). A model the
        shipped snapshot knows as retired stays retired."""
        added: list[str] = []
        for model_id in sorted(listed - set(self.entries)):
            known = self.base.models.get(model_id)
            if known is not None and known.lifecycle == "retired":
                continue
            entry = _from_row({self.facts.feed.id_field: model_id}, known, source, self)
            entry["lifecycle"] = "experimental"
            entry.update(retired_on=None, retirement_date=None, replacement=None)
            entry["source"] = f"{source}: listed there, not in the catalog feed"
            self.entries[model_id] = entry
            added.append(model_id)
        return added

    def keep_base(self) -> None:
        """Keep the retired and deprecated models the feed does not list, and the other
        providers' IDs whose W&B ID is GA. GA models gone from the feed are left out: unknown."""
        for model in self.base.models.values():
            if model.id in self.entries or not self.facts.lifecycles.ending(model.lifecycle):
                continue
            entry = _from_model(model)
            due = model.retirement_date
            if model.lifecycle == "deprecated" and due is not None and due <= self.date:
                entry.update(lifecycle="retired", retired_on=due, retirement_date=None)
            self.entries[model.id] = entry
        for mapping in self.base.other_provider_entries:
            target = self.entries.get(mapping.wandb_id)
            is_target = target and self.facts.lifecycles.fix_target(str(target["lifecycle"]))
            if mapping.id not in self.entries and is_target:
                self.mappings.append(
                    {
                        "id": mapping.id,
                        "provider": mapping.provider,
                        "wandb_id": mapping.wandb_id,
                        "source": mapping.source,
                    }
                )

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
_FLAGS = (
    ("featureToolCalling", "tool_calling"),
    ("featureJsonMode", "json_mode"),
    ("featureStructuredOutput", "structured_output"),
)


def _from_row(
    row: dict[str, object], known: Model | None, source: str, snapshot: Snapshot
) -> _Entry:
    """A [[model]] entry from a feed row; what the row leaves out comes from `known`."""
    model_id = str(row[snapshot.facts.feed.id_field])
    stage = row.get("lifecycleStage")
    name = snapshot.facts.lifecycles.from_feed(stage) if isinstance(stage, str) else None
    lifecycle, note = _lifecycle(stage, name, model_id, known, snapshot.date)
    entry: _Entry = {"id": model_id, **lifecycle}
    modalities = _modalities(row.get("modalitiesInput"))
    entry["input_modalities"] = list(modalities or (known.input_modalities if known else ["text"]))
    context_window = _positive_int(row.get("contextWindow"))
    entry["context_window"] = context_window or _known(known, "context_window")
    entry["reasoning"] = _reasoning(_flag(row.get("featureReasoning")), known)
    if known is not None and entry["reasoning"] == known.reasoning:
        entry["thinking_default"] = known.thinking_default
        effort = known.reasoning_effort
        entry["reasoning_effort"] = None if effort is None else list(effort)
    for key, field in _FLAGS:
        flag = _flag(row.get(key))
        entry[field] = flag if flag is not None else _known(known, field)
    entry["source"] = source if note is None else f"{source}; {note}"
    return {key: entry[key] for key in _ORDER if key in entry}


def _from_model(model: Model) -> _Entry:
    entry: _Entry = {key: getattr(model, key) for key in _ORDER}
    text_only = model.input_modalities == ("text",)
    entry["input_modalities"] = None if text_only else list(model.input_modalities)
    effort = model.reasoning_effort
    entry["reasoning_effort"] = None if effort is None else list(effort)
    return entry


def _known(model: Model | None, field: str) -> object:
    return getattr(model, field) if model is not None else None


def _lifecycle(
    stage: object, lifecycle: str | None, model_id: str, known: Model | None, today: str
) -> tuple[_Entry, str | None]:
    """The lifecycle with its dates and replacement, and a note for the entry's source.

    The feed has no retirement dates or replacements: they come from the shipped snapshot
    (W&B's lifecycle page). A stage lint-wb does not know, or none, is experimental: served,
    never a fix's target."""
    if lifecycle is None:
        shown = "no lifecycleStage" if stage is None else f"lifecycleStage {stage!r} not known"
        return {"lifecycle": "experimental"}, f"{shown}: taken as experimental"
    replacement = _known(known, "replacement")
    replacement = None if replacement == model_id else replacement
    if lifecycle == "retired":
        retired_on = _known(known, "retired_on") or _known(known, "retirement_date")
        note = None if retired_on else f"retired by {today}; the date is not published"
        fields = {"lifecycle": "retired", "retired_on": retired_on}
        return {**fields, "replacement": replacement}, note
    if lifecycle == "deprecated":
        due = _known(known, "retirement_date")
        note = None if due else "deprecated; no retirement date published"
        return {"lifecycle": "deprecated", "retirement_date": due, "replacement": replacement}, note
    return {"lifecycle": lifecycle}, None


def _reasoning(flag: bool | None, known: Model | None) -> str | None:
    """The feed says yes or no; the shipped snapshot may know more (always on, hybrid,
    adaptive)."""
    previous = known.reasoning if known is not None else None
    if flag is None:
        return previous
    if not flag:
        return "no"
    return previous if previous not in (None, "no") else "yes"


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value >= 1 else None


def _modalities(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = [item.strip().lower() for item in value if isinstance(item, str)]
    return tuple(dict.fromkeys(name for name in names if name in _MODALITIES))


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
