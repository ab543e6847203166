"""Which model snapshot a run uses, each file read once per version of it (its mtime, ctime,
size and inode).

With `models-file` set, that file. Otherwise the newer (by [catalog].date) of the bundled
snapshot and the one `lint-wb --update-models` wrote to the user's cache directory.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.records import dataclass
from lint_wb.spec.tables import SpecError

if TYPE_CHECKING:
    from lint_wb.spec.types import ModelCatalog, Spec

# The loaders (and the spec's classes) are imported when a file is loaded: finding the cache
# folder, or that no cached snapshot exists, needs none of them.
MODELS_FILE = "models.toml"
"""The name of the bundled model snapshot, and of the one `lint-wb --update-models` writes."""

CACHE_DIR_ENV = "LINT_WB_CACHE_DIR"
_Stamp = tuple[int, int, int, int]


def load_spec(models_file: Path | None = None) -> Spec:
    """The W&B knowledge: the bundled API facts with the bundled model catalog, or with the
    catalog in `models_file` (the `models-file` setting) when given.

    The bundled spec is read once and cached; a models file once per version of it (its
    mtime, ctime, size and inode). Raises :class:`SpecError` on a bad file.
    """
    from lint_wb.spec import loader
    from lint_wb.spec.types import Spec

    if models_file is None:
        return loader.bundled_spec()
    stamp = _stamp(Path(models_file))
    if stamp is None:
        # Reading it raises the "cannot read" error.
        models = loader.load_models(models_file)
        return Spec(loader.bundled_api(), models, loader.bundled_substitutions())
    return _spec_at(str(models_file), stamp)


@dataclass(frozen=True)
class DefaultModels:
    """Which snapshot a run without `models-file` uses."""

    path: Path | None
    """The cached snapshot when it is valid and newer than the bundled one; None: bundled."""
    warning: str | None = None
    """One line for the user when the cached snapshot is unusable (the bundled one is used)."""


def cache_dir() -> Path:
    """`$LINT_WB_CACHE_DIR`, else `$XDG_CACHE_HOME/lint-wb`, else `~/.cache/lint-wb`.

    Raises RuntimeError when there is no home directory to put it in.
    """
    override = os.environ.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore a relative one
        return Path(xdg) / "lint-wb"
    return Path.home() / ".cache" / "lint-wb"


def cached_models_file() -> Path:
    """Where `lint-wb --update-models` writes its snapshot."""
    return cache_dir() / MODELS_FILE


def default_models() -> DefaultModels:
    """The snapshot to use when no `models-file` is set, judged once per version of the file.

    Never raises and never prints: an unreadable or invalid cached snapshot gives the bundled
    one and a warning for the caller to show.
    """
    try:
        path = cached_models_file()
    except RuntimeError:
        return DefaultModels(None)
    stamp = _stamp(path)
    return DefaultModels(None) if stamp is None else _judge_cached(str(path), stamp)


def default_models_file() -> Path | None:
    """The cached snapshot when it is in use, else None (the bundled one)."""
    return default_models().path


def _stamp(path: Path) -> _Stamp | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


@functools.lru_cache(maxsize=8)
def _judge_cached(path: str, stamp: _Stamp) -> DefaultModels:
    from lint_wb.spec import loader

    bundled = loader.bundled_models().date
    try:
        cached = _models_at(path, stamp)
    except SpecError as error:
        return DefaultModels(
            None,
            f"the cached model snapshot is unusable, using the bundled one of {bundled}: {error}",
        )
    return DefaultModels(Path(path)) if cached.date > bundled else DefaultModels(None)


@functools.lru_cache(maxsize=8)
def _models_at(path: str, stamp: _Stamp) -> ModelCatalog:
    from lint_wb.spec import loader

    del stamp  # only a part of the cache key
    return loader.load_models(path)


@functools.lru_cache(maxsize=8)
def _spec_at(path: str, stamp: _Stamp) -> Spec:
    from lint_wb.spec import loader
    from lint_wb.spec.types import Spec

    return Spec(loader.bundled_api(), _models_at(path, stamp), loader.bundled_substitutions())
