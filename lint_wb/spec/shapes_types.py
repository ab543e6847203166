"""The shapes W&B takes inside a request, as frozen dataclasses: what each message role needs,
response_format, tools, parameters that need another one, and the openai<1.0 module API.
Built by `shapes_loader.py` from shapes.toml; the defaults are empty (no knowledge)."""

from __future__ import annotations

from dataclasses import field

from lint_wb.records import dataclass


@dataclass(frozen=True)
class RoleRequirement:
    """The keys a message of `role` must carry (WB403)."""

    role: str
    all_of: tuple[str, ...] = ()
    """Every one of these."""
    any_of: tuple[str, ...] = ()
    """At least one of these."""
    source: str = ""


@dataclass(frozen=True)
class FormatCapability:
    """The model capability a response_format type needs (WB203)."""

    type: str
    model_field: str
    """The field of the snapshot's model that says whether it has it (`json_mode`)."""
    feature: str
    """How the message names it."""
    source: str = ""


@dataclass(frozen=True)
class ResponseFormatShape:
    """What a request's `response_format` may be."""

    types: tuple[str, ...] = ()
    """The `type`s W&B takes (WB204)."""
    json_schema_required: tuple[str, ...] = ()
    """What the `json_schema` object of a json_schema format must hold."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Names people write for a type (`json`) -> the type meant (`json_object`)."""
    capabilities: dict[str, FormatCapability] = field(default_factory=dict)
    model_classes: frozenset[str] = frozenset()
    """The qualified names of the classes whose subclasses parse() takes as a format
    (pydantic's BaseModel); create() raises TypeError for one."""
    """By type: the model capability it needs."""
    source: str = ""


@dataclass(frozen=True)
class ForeignToolShape:
    """A key that gives away another API's tool shape (`input_schema`: Anthropic's)."""

    key: str
    shape: str
    """How the message names it."""
    source: str = ""


@dataclass(frozen=True)
class ToolShape:
    """What a request's `tools` entries may be."""

    types: tuple[str, ...] = ()
    """The tool `type`s W&B runs (WB205)."""
    function_required: tuple[str, ...] = ()
    """What a function tool's `function` object must hold."""
    foreign_shapes: tuple[ForeignToolShape, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ThinkingSwitch:
    """Where a request turns a model's thinking on or off: `<keyword>={<key>: bool}`."""

    keyword: str = ""
    key: str = ""
    source: str = ""


@dataclass(frozen=True)
class ForeignPart:
    """A content block of another API, known by its `type` (WB405's explanation)."""

    type: str
    when_key: str | None
    """Only when the part also has this key (Anthropic's image has a `source`)."""
    block: str
    """What it is and what to send instead; `<text part>`, `<image part>`, `<tool call>`
    stand for the OpenAI shapes."""
    source: str = ""


@dataclass(frozen=True)
class ForeignPartKey:
    """A content block of another API without a `type`, known by a key it carries."""

    key: str
    alone: bool
    """Only when it is the part's one key (Gemini's `{"text": ...}`)."""
    block: str
    source: str = ""


@dataclass(frozen=True)
class ContentPartShape:
    """What the parts of a message's content list must hold."""

    required: dict[str, str] = field(default_factory=dict)
    """By part type: the key the part must hold (`text` for a text part)."""
    foreign: tuple[ForeignPart, ...] = ()
    foreign_keys: tuple[ForeignPartKey, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ToolCallShape:
    """What an assistant message's `tool_calls` entries must hold."""

    required: tuple[str, ...] = ()
    """What each entry of an assistant message's `tool_calls` must hold."""
    types: tuple[str, ...] = ()
    function_required: tuple[str, ...] = ()
    """What its `function` object must hold."""
    source: str = ""


@dataclass(frozen=True)
class Dependency:
    """A parameter the server rejects unless another is given (WB207)."""

    parameter: str
    needs: str
    needs_value: bool | None = None
    """The value `needs` must have; None: given at all is enough."""
    unless: tuple[str, ...] = ()
    """Values of `parameter` that need nothing (`tool_choice="none"`)."""
    source: str = ""


@dataclass(frozen=True)
class LegacyApi:
    """The openai<1.0 module API (WB602)."""

    classes: frozenset[str] = frozenset()
    """`openai.<Class>.create(...)`: removed in openai 1.0."""
    settings: frozenset[str] = frozenset()
    """`openai.<setting> = ...`: ignored by openai 1.0."""
    replacements: dict[str, str] = field(default_factory=dict)
    """A class or `openai.<setting>` -> what to use instead."""
    source: str = ""


@dataclass(frozen=True)
class ForeignMessageKey:
    """A message key of another API or of old OpenAI code (WB406)."""

    key: str
    holds_content: bool
    """It carries the message's text under another name: WB403 adds no missing-content
    finding on top of WB406's."""
    advice: str
    """What to do instead, for the message."""
    source: str = ""


@dataclass(frozen=True)
class RequestShapes:
    """The shapes of a request's body (shapes.toml)."""

    role_requirements: dict[str, RoleRequirement] = field(default_factory=dict)
    response_format: ResponseFormatShape = field(default_factory=ResponseFormatShape)
    tools: ToolShape = field(default_factory=ToolShape)
    thinking: ThinkingSwitch = field(default_factory=ThinkingSwitch)
    content_part: ContentPartShape = field(default_factory=ContentPartShape)
    tool_call: ToolCallShape = field(default_factory=ToolCallShape)
    dependencies: tuple[Dependency, ...] = ()
    legacy_api: LegacyApi = field(default_factory=LegacyApi)
    message_keys: dict[str, ForeignMessageKey] = field(default_factory=dict)
    """Other APIs' message keys by name (WB403, WB406)."""
    source: str = ""
