"""The W&B knowledge as frozen dataclasses: what the loader builds and the rules read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from functools import cached_property
from typing import Literal

from lint_wb.records import dataclass
from lint_wb.spec.catalog_types import CatalogFacts
from lint_wb.spec.porting_types import PortingSpec, Substitutions
from lint_wb.spec.shapes_types import RequestShapes

ParamStatus = Literal[
    "required",  # model, messages
    "supported",  # W&B honours it
    "accepted",  # accepted and ignored (user)
    "deprecated",  # accepted, superseded (functions, function_call)
    "reasoning-only",  # only for reasoning models (reasoning_effort)
    "unsupported",  # the SDK sends it, W&B rejects it: WB201
    "sdk-option",  # extra_headers, extra_query, extra_body, timeout: not request fields
    "extra-body",  # not an SDK keyword, W&B honours it inside extra_body: WB202 moves it
]
ValueType = Literal["number", "integer", "boolean", "string", "list", "dict", "string-list"]
Reasoning = Literal["no", "yes", "always", "hybrid", "adaptive"]
Lifecycle = Literal["experimental", "ga", "deprecated", "retired"]
"""The names of the lifecycle stages; what each means (served, a fix target...) is data:
catalog.toml, `ModelCatalog.facts.lifecycles`."""


@dataclass(frozen=True)
class Range:
    """A numeric range; a bound of None is open."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False


@dataclass(frozen=True)
class Parameter:
    """A request parameter: whether W&B takes it, and which values."""

    name: str
    status: ParamStatus
    types: tuple[ValueType, ...] = ()
    """Accepted literal types; empty means any."""
    range: Range | None = None
    choices: tuple[str, ...] = ()
    """For string-valued enums (reasoning_effort, tool_choice strings)."""
    value_range: Range | None = None
    """For dict-valued parameters, the range of each value (logit_bias)."""
    output_limit: bool = False
    """It caps the tokens the completion may generate (max_tokens, max_completion_tokens)."""
    source: str = ""
    checked: str = ""
    """The date the row was checked against its source (ISO)."""


@dataclass(frozen=True)
class ForeignParameter:
    """A keyword from another provider's SDK that the OpenAI SDK rejects (WB202)."""

    name: str
    provider: str
    rename_to: str | None = None
    """A W&B/OpenAI keyword of the same meaning: the safe fix renames to it."""
    extra_body_as: str | None = None
    """W&B honours it inside extra_body under this key: the safe fix moves it there."""
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class ForeignHost:
    """Another provider's OpenAI-compatible host."""

    provider: str
    host: str
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class ClientTarget:
    """A keyword of openai-python's client constructor that sets where the client sends
    requests (`provider=`, `data_residency=`) or how it authenticates (`workload_identity=`)
    in place of `base_url=` / `api_key=`; the constructor raises when it is given with one of
    `excludes`."""

    keyword: str
    target: str
    """Where the keyword sends requests, or whom it authenticates with (for messages)."""
    replaced_by: str
    """`base_url` or `api_key`: the keyword a port to W&B writes in its place."""
    excludes: tuple[str, ...]
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class RoleSynonym:
    """A role of another API (`developer`, `model`, `human`, `function`) and its meaning here."""

    name: str
    role: str | None
    """The W&B role of the same meaning (WB404's safe fix); None when there is none."""
    origin: str
    """Where the name comes from, for the message (`Gemini`)."""
    advice: str = ""
    """What to do instead, for a synonym without a `role`."""
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class MessagesSpec:
    """The shape of the `messages` array (WB4xx). The defaults are the OpenAI chat format; the
    loader fills every field from the `[messages]` table of api.toml."""

    roles: tuple[str, ...] = ("system", "user", "assistant", "tool")
    keys: tuple[str, ...] = ("role", "content", "name", "tool_calls", "tool_call_id")
    """The keys a message may have."""
    part_types: tuple[str, ...] = ("text", "image_url")
    """The `type`s of a content part."""
    role_synonyms: dict[str, RoleSynonym] = field(default_factory=dict)
    """Lower-case role names of other APIs -> what they mean here."""
    source: str = ""


@dataclass(frozen=True)
class ProjectHeader:
    """How a client names its W&B team and project (WB105, WB106)."""

    header: str = "OpenAI-Project"
    """The header W&B reads `<team>/<project>` from (what the SDK sends for `project=`)."""
    openai_id_prefix: str = "proj_"
    """OpenAI's own project ids start with it: not a W&B team/project."""
    source: str = ""


@dataclass(frozen=True)
class ApiSpec:
    """The facts about W&B Inference's API (api.toml, with porting.toml and shapes.toml)."""

    base_url: str
    """The one correct base URL, https://api.inference.wandb.ai/v1."""
    near_miss_hosts: tuple[str, ...]
    """Hosts that are W&B-looking but wrong (api.wandb.ai, trace.wandb.ai, ...)."""
    foreign_hosts: tuple[ForeignHost, ...]
    """Other providers' OpenAI-compatible hosts (WB103 under assume-wandb)."""
    client_targets: tuple[ClientTarget, ...]
    """The client constructor's keywords that stand in for `base_url=` / `api_key=`."""
    sdk_create_parameters: frozenset[str]
    """Every keyword openai-python's chat.completions.create() accepts."""
    sdk_version: str
    """The openai-python version that list was read from."""
    parameters: dict[str, Parameter]
    foreign_parameters: dict[str, ForeignParameter]
    unsupported_endpoints: tuple[str, ...]
    """Client attributes W&B does not serve (embeddings, images, beta.assistants, ...)."""
    checked: str = ""
    """The date the facts were checked (ISO)."""
    source: str = ""
    messages: MessagesSpec = field(default_factory=MessagesSpec)
    project: ProjectHeader = field(default_factory=ProjectHeader)
    local_host_suffixes: tuple[str, ...] = ()
    """Host name endings only a private network resolves (`.local`, `.svc`, ...)."""
    other_wandb_base_urls: tuple[str, ...] = ()
    """Other W&B endpoints that serve chat completions the same way (Serverless RL's, the
    CoreWeave name of the inference host): right, never near misses."""
    porting: PortingSpec = field(default_factory=PortingSpec)
    """Other providers' key variables, SDK clients and body fields (porting.toml)."""
    shapes: RequestShapes = field(default_factory=RequestShapes)
    """What each message role needs, response_format, tools, parameter dependencies and the
    openai<1.0 API (shapes.toml)."""


@dataclass(frozen=True)
class Model:
    """A model of the catalog: its ID, lifecycle and what it accepts."""

    id: str
    lifecycle: Lifecycle
    input_modalities: tuple[str, ...] = ("text",)
    context_window: int | None = None
    reasoning: Reasoning | None = None
    """None: unknown. "yes": reasons, toggling not published. "always": cannot be turned off.
    "hybrid": toggled with enable_thinking. "adaptive": the model decides; enable_thinking
    overrides it."""
    thinking_default: bool | None = None
    """Hybrid models: whether thinking is on when the request does not say; None: unknown."""
    reasoning_effort: tuple[str, ...] | None = None
    """The reasoning_effort values the model takes; None: the general ones (api.toml)."""
    tool_calling: bool | None = None
    json_mode: bool | None = None
    structured_output: bool | None = None
    retired_on: str | None = None
    retirement_date: str | None = None
    """For deprecated models: the announced retirement date."""
    replacement: str | None = None
    """W&B's named replacement (may itself be retired: follow the chain)."""
    source: str = ""


@dataclass(frozen=True)
class OtherProviderId:
    """Another provider's ID for weights W&B serves under `wandb_id`, as the data file has it."""

    id: str
    provider: str
    wandb_id: str
    source: str


@dataclass(frozen=True)
class ModelCatalog:
    """A dated snapshot of W&B's model catalog."""

    date: str
    """The date of the snapshot (ISO): every finding resting on it names this date."""
    source: str
    models: dict[str, Model]
    facts: CatalogFacts
    """What the lifecycle stages mean and how a LoRA is named (catalog.toml, not the user's
    models file)."""
    other_provider_ids: dict[str, str] = field(default_factory=dict)
    """Another provider's ID for the same weights -> the W&B ID (an unsafe WB501 fix)."""
    other_provider_entries: tuple[OtherProviderId, ...] = ()
    """The same mappings with their provider and source, in file order."""

    def served(self, model_id: str) -> Model | None:
        """The entry for `model_id` when the snapshot lists it as served (GA, experimental or
        deprecated), else None (retired, or not listed: unknown)."""
        model = self.models.get(model_id)
        served = model is not None and self.facts.lifecycles.served(model.lifecycle)
        return model if served else None

    @cached_property
    def served_ids(self) -> tuple[str, ...]:
        """The IDs of the models the snapshot lists as served, in its order (made once per
        catalog: the model rules of every module read them)."""
        return tuple(model_id for model_id in self.models if self.served(model_id))

    def is_fix_target(self, model_id: str) -> bool:
        """Whether a fix may write `model_id`: only a model the snapshot lists as generally
        available. A deprecated model would soon 404 in turn; an experimental one may be
        withdrawn without notice."""
        model = self.models.get(model_id)
        return model is not None and self.facts.lifecycles.fix_target(model.lifecycle)


@dataclass(frozen=True)
class Spec:
    """Everything lint-wb knows about W&B Inference: the API, the catalog and substitutions."""

    api: ApiSpec
    models: ModelCatalog
    substitutions: Substitutions = field(default_factory=Substitutions)
    """Stand-ins for other providers' models W&B does not serve (substitutions.toml)."""


def resolve_replacement(catalog: ModelCatalog, model_id: str) -> str | None:
    """The first GA model on the replacement chain starting at `model_id`'s replacement.

    None when the chain ends (no replacement named, or one the snapshot does not know) without
    reaching a GA model. A fix writes only what this returns, so never a retired or unlisted
    model, nor a deprecated one (it would soon 404 in turn: the chain goes on to its
    replacement) nor an experimental one (it may be withdrawn without notice).
    """
    for candidate in replacement_chain(catalog.models, model_id):
        if catalog.is_fix_target(candidate):
            return candidate
    return None


def replacement_chain(models: dict[str, Model], model_id: str) -> Iterator[str]:
    """The IDs named by following `replacement` from `model_id` (not included), in order.

    Stops at an ID the catalog does not know, at a model without replacement, or before an ID
    already seen (a loop, which the loader rejects).
    """
    seen = {model_id}
    model = models.get(model_id)
    while model is not None and model.replacement is not None and model.replacement not in seen:
        seen.add(model.replacement)
        yield model.replacement
        model = models.get(model.replacement)
