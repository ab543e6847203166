"""The one place that reads api.toml and models.toml: the bundled files, or a models file."""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from pathlib import Path

from lint_wb.files import read_regular_text
from lint_wb.spec.api_loader import parse_api
from lint_wb.spec.catalog_loader import parse_catalog_facts
from lint_wb.spec.catalog_types import CatalogFacts
from lint_wb.spec.libraries_loader import parse_libraries
from lint_wb.spec.library_types import LibraryTable
from lint_wb.spec.models_loader import parse_models
from lint_wb.spec.porting_loader import parse_porting, parse_substitutions
from lint_wb.spec.porting_types import PortingSpec, Substitutions
from lint_wb.spec.shapes_loader import check_shapes, parse_shapes
from lint_wb.spec.shapes_types import RequestShapes
from lint_wb.spec.snapshots import MODELS_FILE
from lint_wb.spec.tables import SpecError, one_line
from lint_wb.spec.types import ApiSpec, ModelCatalog, Spec

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

_PACKAGE = "lint_wb.spec"
_FOLDER = os.path.dirname(os.path.abspath(__file__))
_API_FILE = "api.toml"
_PORTING_FILE = "porting.toml"
_SUBSTITUTIONS_FILE = "substitutions.toml"
_SHAPES_FILE = "shapes.toml"
_LIBRARIES_FILE = "libraries.toml"
_CATALOG_FILE = "catalog.toml"


def load_models(path: Path | str) -> ModelCatalog:
    """Read a model catalog snapshot (the layout of the bundled models.toml)."""
    file = str(path)
    return parse_models(_parse_toml(_read_path(Path(path)), file), file, bundled_catalog_facts())


@functools.lru_cache(maxsize=1)
def bundled_spec() -> Spec:
    return Spec(api=bundled_api(), models=bundled_models(), substitutions=bundled_substitutions())


@functools.lru_cache(maxsize=1)
def bundled_api() -> ApiSpec:
    """api.toml, with the other providers' side of porting (porting.toml) and the shapes of
    a request (shapes.toml) attached."""
    api = parse_api(*_bundled_data(_API_FILE))
    return dataclasses.replace(api, porting=bundled_porting(), shapes=bundled_shapes(api))


def bundled_shapes(api: ApiSpec) -> RequestShapes:
    data, file = _bundled_data(_SHAPES_FILE)
    shapes = parse_shapes(data, file)
    check_shapes(shapes, api, file)
    return shapes


@functools.lru_cache(maxsize=1)
def bundled_porting() -> PortingSpec:
    return parse_porting(*_bundled_data(_PORTING_FILE))


@functools.lru_cache(maxsize=1)
def bundled_substitutions() -> Substitutions:
    return parse_substitutions(*_bundled_data(_SUBSTITUTIONS_FILE))


@functools.lru_cache(maxsize=1)
def bundled_models() -> ModelCatalog:
    return parse_models(*_bundled_data(MODELS_FILE), bundled_catalog_facts())


@functools.lru_cache(maxsize=1)
def bundled_catalog_facts() -> CatalogFacts:
    """How W&B publishes its catalog: the feed, the lifecycle stages, the LoRA URI."""
    return parse_catalog_facts(*_bundled_data(_CATALOG_FILE))


@functools.lru_cache(maxsize=1)
def bundled_libraries() -> LibraryTable:
    """The call-site table of the libraries people reach W&B through (libraries.toml)."""
    return parse_libraries(*_bundled_data(_LIBRARIES_FILE))


def _bundled_data(name: str) -> tuple[dict[str, object], str]:
    """A bundled data file parsed, and the name its errors give (`lint_wb/spec/<name>`)."""
    file = f"{_PACKAGE.replace('.', '/')}/{name}"
    return _parse_toml(_read_bundled(name), file), file


def _read_bundled(name: str) -> str:
    """A data file of this package, read from the package's folder (where
    `compiled.source_key` hashes it): `importlib.resources` would import tempfile, shutil,
    zipfile and the compression modules for the same read, in every run that parses."""
    with open(os.path.join(_FOLDER, name), encoding="utf-8") as file:
        return file.read()


def _read_path(path: Path) -> str:
    try:
        return read_regular_text(path)
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _parse_toml(text: str, file: str) -> dict[str, object]:
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(one_line(f"{file}: invalid TOML: {exc}")) from None
