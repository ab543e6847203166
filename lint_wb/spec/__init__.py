"""The W&B Inference knowledge lint-wb rests on, loaded from the TOML files beside this one.

Nothing else in lint-wb reads those files: rules receive a :class:`Spec`.
Every entry in the data files names its source and the date it was checked.

The parts: `types.py` (the frozen dataclasses), `loader.py` (reading the files), with
`tables.py` and a `*_loader.py` per file (validating it), and `snapshots.py` (which model
snapshot a run uses). `catalog.toml` says how W&B publishes its catalog (the feed, what each
lifecycle stage means, the LoRA URI); `models.toml` is a dated snapshot of it. Import from
here.
"""

from __future__ import annotations

# tests/test_spec.py and tests/test_messages.py check api.toml's validation through this name.
from lint_wb.spec.api_loader import parse_api as _parse_api  # noqa: F401
from lint_wb.spec.catalog_types import CatalogFacts, CatalogFeed, Lifecycles, LoraUri
from lint_wb.spec.library_types import (
    LibraryCallable,
    LibraryTable,
    ModelConvention,
    ModelRoute,
)
from lint_wb.spec.loader import bundled_catalog_facts, bundled_libraries, load_models
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
