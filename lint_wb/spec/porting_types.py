"""What porting code from another provider rests on, as frozen dataclasses: the key variables
of other providers, the provider SDKs whose chat API mirrors OpenAI's, the body fields only
another provider takes, and the table of model substitutions. Built by `porting_loader.py`."""

from __future__ import annotations

import fnmatch
from dataclasses import field
from functools import cached_property
from typing import Literal

from lint_wb.records import dataclass

SdkApi = Literal["openai-chat", "anthropic-messages"]
SizeClass = Literal["small", "medium", "large"]
Modality = Literal["text", "text+image"]


@dataclass(frozen=True)
class KeyVariable:
    """An environment variable another provider's key lives in (`GROQ_API_KEY`)."""

    name: str
    provider: str
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class ProviderSdk:
    """A client class of another provider's SDK (`groq.Groq`)."""

    qualified_name: str
    """Where the class is imported from, dotted: `groq.Groq`, `cerebras.cloud.sdk.Cerebras`."""
    provider: str
    api: SdkApi
    """`openai-chat`: its `chat.completions.create()` mirrors OpenAI's, so the OpenAI client
    can stand in for it; `anthropic-messages`: the Messages API, a port by hand."""
    is_async: bool
    key_variable: str
    """The variable the SDK reads its key from when `api_key=` is not given."""
    source: str = ""
    checked: str = ""

    @property
    def openai_class(self) -> str:
        """The OpenAI SDK class that replaces it."""
        return "AsyncOpenAI" if self.is_async else "OpenAI"


@dataclass(frozen=True)
class ProviderField:
    """A request body field only another provider takes (OpenRouter's `provider`)."""

    name: str
    provider: str
    meaning: str
    """What it asks the other provider for, for the message."""
    source: str = ""
    checked: str = ""


@dataclass(frozen=True)
class PortingSpec:
    """The other providers' side of a port. The defaults are empty: no porting knowledge."""

    wandb_key_variable: str = "WANDB_API_KEY"
    sdk_key_variable: str = "OPENAI_API_KEY"
    """The variable the OpenAI SDK reads when `api_key=` is not given."""
    key_variables: dict[str, KeyVariable] = field(default_factory=dict)
    provider_sdks: dict[str, ProviderSdk] = field(default_factory=dict)
    """By qualified class name."""
    provider_fields: dict[str, ProviderField] = field(default_factory=dict)
    response_reads: dict[str, str] = field(default_factory=dict)
    """Reads of an Anthropic Messages response (`content[0].text`) -> the same read of an
    OpenAI chat completion (`choices[0].message.content`), for WB604's rewrite."""
    source: str = ""


@dataclass(frozen=True)
class Substitution:
    """Another provider's model with no same-weights counterpart on W&B, and the served model
    that stands in for it, with why (its size, input modality, reasoning and tool calling)."""

    patterns: tuple[str, ...]
    """Model IDs as written in ported code; `*` and `?` are wildcards, case does not matter."""
    provider: str
    wandb_id: str
    size: SizeClass
    modality: Modality
    reasoning: bool
    tools: bool
    reason: str
    source: str = ""
    checked: str = ""

    def matches(self, model_id: str) -> bool:
        lowered = model_id.lower()
        return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in self.patterns)


@dataclass(frozen=True)
class Substitutions:
    """The W&B models that stand in for other providers' models (substitutions.toml)."""

    rows: tuple[Substitution, ...] = ()
    checked: str = ""

    def for_model(self, model_id: str) -> Substitution | None:
        """The first row whose patterns match `model_id` (rows go from specific to general);
        remembered per ID, as every request naming the model asks again."""
        found = self._found
        if model_id not in found:
            found[model_id] = next((row for row in self.rows if row.matches(model_id)), None)
        return found[model_id]

    @cached_property
    def _found(self) -> dict[str, Substitution | None]:
        return {}
