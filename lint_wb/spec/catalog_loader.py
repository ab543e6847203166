"""Reading catalog.toml: the catalog feed, the lifecycle stages and the LoRA URI."""

from __future__ import annotations

from typing import get_args

from lint_wb.spec.catalog_types import (
    CatalogFacts,
    CatalogFeed,
    Lifecycles,
    LifecycleStage,
    LoraUri,
)
from lint_wb.spec.tables import Entry
from lint_wb.spec.types import Lifecycle


def parse_catalog_facts(data: dict[str, object], file: str) -> CatalogFacts:
    root = Entry(file, "top level", data)
    feed = _parse_feed(root.sub("feed"))
    lifecycles = _parse_lifecycles(root)
    lora = _parse_lora(root.sub("lora"))
    root.finish()
    return CatalogFacts(feed, lifecycles, lora)


def _parse_feed(entry: Entry) -> CatalogFeed:
    feed = CatalogFeed(
        url=entry.string("url"),
        id_field=entry.string("id_field"),
        provider=entry.string("provider"),
        checked=entry.date("checked"),
        source=entry.string("source"),
    )
    entry.finish()
    if not feed.url.startswith("https://"):
        raise entry.error(f"'url' must be an https:// URL, found '{feed.url}'")
    return feed


def _parse_lifecycles(root: Entry) -> Lifecycles:
    stages: list[LifecycleStage] = []
    for entry in root.array("lifecycle", "lifecycle"):
        stage = _parse_stage(entry)
        if any(known.name == stage.name for known in stages):
            raise entry.error("listed twice")
        stages.append(stage)
    names = {stage.name for stage in stages}
    expected = set(get_args(Lifecycle))
    if names != expected:
        missing = ", ".join(sorted(expected - names)) or "none"
        raise root.error(
            f"[[lifecycle]] must list each of {', '.join(get_args(Lifecycle))}; missing: {missing}"
        )
    return Lifecycles(tuple(stages))


def _parse_stage(entry: Entry) -> LifecycleStage:
    name = entry.choice("name", Lifecycle)
    entry.label = f"lifecycle '{name}'"
    stage = LifecycleStage(
        name=name,
        feed_stage=entry.string("feed_stage"),
        served=entry.boolean("served"),
        fix_target=entry.boolean("fix_target"),
        ending=entry.boolean("ending"),
        checked=entry.date("checked"),
        source=entry.string("source"),
    )
    entry.finish()
    if stage.fix_target and not stage.served:
        raise entry.error("a fix may only write a model W&B serves ('served' = true)")
    return stage


def _parse_lora(entry: Entry) -> LoraUri:
    lora = LoraUri(
        scheme=entry.string("scheme"),
        shape=entry.string("shape"),
        checked=entry.date("checked"),
        source=entry.string("source"),
    )
    entry.finish()
    if not lora.shape.startswith(lora.prefix):
        raise entry.error(f"'shape' must start with '{lora.prefix}'")
    return lora
