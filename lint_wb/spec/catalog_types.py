"""How W&B publishes its model catalog (catalog.toml): the public feed, the lifecycle stages
and the LoRA URI, as frozen dataclasses."""

from __future__ import annotations

from lint_wb.records import dataclass


@dataclass(frozen=True)
class CatalogFeed:
    """The public catalog feed `lint-wb --update-models` reads."""

    url: str
    id_field: str
    """The row field holding the model ID the API expects (the row's `id` is a slug)."""
    provider: str
    """The `provider` of W&B Inference's rows; other rows are other providers' models."""
    checked: str
    source: str


@dataclass(frozen=True)
class LifecycleStage:
    """A lifecycle stage of a model in the catalog, and what it means for requests."""

    name: str
    """The name models.toml uses (`ga`, ...)."""
    feed_stage: str
    """The feed's `lifecycleStage` for it."""
    served: bool
    """W&B answers requests to a model at this stage (a retired one is a 404)."""
    fix_target: bool
    """A fix may write a model at this stage."""
    ending: bool
    """The model's end is announced or reached: W&B may name a replacement."""
    checked: str
    source: str


@dataclass(frozen=True)
class Lifecycles:
    """The lifecycle stages, one per name of `spec.types.Lifecycle`."""

    stages: tuple[LifecycleStage, ...]

    def stage(self, name: str) -> LifecycleStage | None:
        return next((stage for stage in self.stages if stage.name == name), None)

    def served(self, name: str) -> bool:
        stage = self.stage(name)
        return stage is not None and stage.served

    def fix_target(self, name: str) -> bool:
        stage = self.stage(name)
        return stage is not None and stage.fix_target

    def ending(self, name: str) -> bool:
        stage = self.stage(name)
        return stage is not None and stage.ending

    def from_feed(self, feed_stage: str) -> str | None:
        """The lifecycle of the feed's `lifecycleStage`, or None for a stage not known."""
        return next((s.name for s in self.stages if s.feed_stage == feed_stage), None)


@dataclass(frozen=True)
class LoraUri:
    """How a LoRA adapter is named as a model: its artifact URI."""

    scheme: str
    """`wandb-artifact`: a model ID starting `wandb-artifact:` names an artifact."""
    shape: str
    """The whole shape, for messages."""
    checked: str
    source: str

    @property
    def prefix(self) -> str:
        return f"{self.scheme}:"

    def names(self, model_id: str) -> bool:
        """Whether `model_id` is meant as a LoRA artifact URI (well formed or not)."""
        return model_id.startswith(self.prefix)


@dataclass(frozen=True)
class CatalogFacts:
    """How W&B publishes its catalog (catalog.toml): the feed, the lifecycle stages, the
    LoRA URI."""

    feed: CatalogFeed
    lifecycles: Lifecycles
    lora: LoraUri
