"""The W&B Inference knowledge lint-wb rests on, loaded from the TOML files beside this one.

Nothing else in lint-wb reads those files: rules receive a :class:`Spec`.
Every entry in the data files names its source and the date it was checked.

The parts: `types.py` (the frozen dataclasses), `loader.py` (reading the files), with
`tables.py` and a `*_loader.py` per file (validating it), and `snapshots.py` (which model
snapshot a run uses). `catalog.toml` says how W&B publishes its catalog (the feed, what each
lifecycle stage means, the LoRA URI); `models.toml` is a dated snapshot of it. Import from
here: the names load their modules on first use (PEP 562), so a run that parses nothing
imports none of the classes, loaders or TOML parser (`compiled.py` has what it needs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.lazy import lazy_exports

if TYPE_CHECKING:
    from lint_wb.spec.api_loader import parse_api as _parse_api  # noqa: F401
    from lint_wb.spec.catalog_types import CatalogFacts, CatalogFeed, Lifecycles, LoraUri
    from lint_wb.spec.compiled import bundled_libraries
    from lint_wb.spec.library_types import (
        LibraryCallable,
        LibraryTable,
        ModelConvention,
        ModelRoute,
    )
    from lint_wb.spec.loader import bundled_catalog_facts, load_models
    from lint_wb.spec.snapshots import (
        CACHE_DIR_ENV,
        DefaultModels,
        cache_dir,
        cached_models_file,
        default_models,
        default_models_file,
        load_spec,
    )
    from lint_wb.spec.tables import SpecError
    from lint_wb.spec.types import (
        ApiSpec,
        ForeignHost,
        ForeignParameter,
        Lifecycle,
        MessagesSpec,
        Model,
        ModelCatalog,
        Parameter,
        ParamStatus,
        Range,
        Reasoning,
        RoleSynonym,
        Spec,
        ValueType,
        resolve_replacement,
    )

_EXPORTS: dict[str, tuple[str, str]] = {
    "ApiSpec": ("lint_wb.spec.types", "ApiSpec"),
    "CACHE_DIR_ENV": ("lint_wb.spec.snapshots", "CACHE_DIR_ENV"),
    "CatalogFacts": ("lint_wb.spec.catalog_types", "CatalogFacts"),
    "CatalogFeed": ("lint_wb.spec.catalog_types", "CatalogFeed"),
    "DefaultModels": ("lint_wb.spec.snapshots", "DefaultModels"),
    "ForeignHost": ("lint_wb.spec.types", "ForeignHost"),
    "ForeignParameter": ("lint_wb.spec.types", "ForeignParameter"),
    "LibraryCallable": ("lint_wb.spec.library_types", "LibraryCallable"),
    "LibraryTable": ("lint_wb.spec.library_types", "LibraryTable"),
    "Lifecycle": ("lint_wb.spec.types", "Lifecycle"),
    "Lifecycles": ("lint_wb.spec.catalog_types", "Lifecycles"),
    "LoraUri": ("lint_wb.spec.catalog_types", "LoraUri"),
    "MessagesSpec": ("lint_wb.spec.types", "MessagesSpec"),
    "Model": ("lint_wb.spec.types", "Model"),
    "ModelCatalog": ("lint_wb.spec.types", "ModelCatalog"),
    "ModelConvention": ("lint_wb.spec.library_types", "ModelConvention"),
    "ModelRoute": ("lint_wb.spec.library_types", "ModelRoute"),
    "ParamStatus": ("lint_wb.spec.types", "ParamStatus"),
    "Parameter": ("lint_wb.spec.types", "Parameter"),
    "Range": ("lint_wb.spec.types", "Range"),
    "Reasoning": ("lint_wb.spec.types", "Reasoning"),
    "RoleSynonym": ("lint_wb.spec.types", "RoleSynonym"),
    "Spec": ("lint_wb.spec.types", "Spec"),
    "SpecError": ("lint_wb.spec.tables", "SpecError"),
    "ValueType": ("lint_wb.spec.types", "ValueType"),
    "_parse_api": ("lint_wb.spec.api_loader", "parse_api"),
    "bundled_catalog_facts": ("lint_wb.spec.loader", "bundled_catalog_facts"),
    "bundled_libraries": ("lint_wb.spec.compiled", "bundled_libraries"),
    "cache_dir": ("lint_wb.spec.snapshots", "cache_dir"),
    "cached_models_file": ("lint_wb.spec.snapshots", "cached_models_file"),
    "default_models": ("lint_wb.spec.snapshots", "default_models"),
    "default_models_file": ("lint_wb.spec.snapshots", "default_models_file"),
    "load_models": ("lint_wb.spec.loader", "load_models"),
    "load_spec": ("lint_wb.spec.snapshots", "load_spec"),
    "resolve_replacement": ("lint_wb.spec.types", "resolve_replacement"),
}
"""Each public name: the module that defines it, and its name there."""

__all__ = [
    "CACHE_DIR_ENV",
    "ApiSpec",
    "CatalogFacts",
    "CatalogFeed",
    "DefaultModels",
    "ForeignHost",
    "ForeignParameter",
    "LibraryCallable",
    "LibraryTable",
    "Lifecycle",
    "Lifecycles",
    "LoraUri",
    "MessagesSpec",
    "Model",
    "ModelCatalog",
    "ModelConvention",
    "ModelRoute",
    "ParamStatus",
    "Parameter",
    "Range",
    "Reasoning",
    "RoleSynonym",
    "Spec",
    "SpecError",
    "ValueType",
    "bundled_catalog_facts",
    "bundled_libraries",
    "cache_dir",
    "cached_models_file",
    "default_models",
    "default_models_file",
    "load_models",
    "load_spec",
    "resolve_replacement",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
