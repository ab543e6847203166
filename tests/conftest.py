"""Test-wide settings.

- No test reads a model snapshot a developer cached with --update-models.
- Every test runs against the test model snapshot, fixtures/models.toml, in place of the
  bundled lint_wb/spec/models.toml: a catalog refresh changes data, not tests. Reading the
  bundled snapshot through the loader is an error; tests/test_bundled_snapshot.py, which
  checks that data, reads the file itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lint_wb.spec import compiled, load_models, loader, snapshots

TEST_SNAPSHOT = Path(__file__).resolve().parent.parent / "fixtures" / "models.toml"
"""The model snapshot rule tests and fixtures name their models from."""


@pytest.fixture(autouse=True, scope="session")
def isolated_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("lint-wb-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINT_WB_CACHE_DIR", str(cache))
        yield cache


@pytest.fixture
def outside_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test in an empty folder. Text on stdin named `app.py` belongs to the project
    of the folder it is run from (SPEC §2): run from this checkout, that project is
    lint-wb's own, hundreds of fixture modules full of W&B calls, and each new buffer makes
    its index again (seconds a test). A test about output, not projects, runs here instead."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


_PATCH = pytest.MonkeyPatch()


def pytest_configure(config: pytest.Config) -> None:
    """Before collection, so that what test modules compute at import time (a date, a list
    of served IDs) comes from the test snapshot too."""
    del config
    catalog = load_models(TEST_SNAPSHOT)
    _PATCH.setattr(loader, "bundled_models", lambda: catalog)
    # compiled specs are not kept: one compiled here would hold the test snapshot under the
    # bundled files' name, and a lint-wb run in a subprocess would read it
    _PATCH.setattr(compiled, "STORE", False)
    _PATCH.setattr(loader, "_read_bundled", _read_bundled_except_models)
    _clear_snapshot_caches()


def pytest_unconfigure(config: pytest.Config) -> None:
    del config
    _PATCH.undo()
    _clear_snapshot_caches()


_read_bundled = loader._read_bundled


def _read_bundled_except_models(name: str) -> str:
    if name == loader.MODELS_FILE:
        raise AssertionError(
            "a test read the bundled model snapshot: use the test snapshot (fixtures/models.toml)"
        )
    return _read_bundled(name)


def _clear_snapshot_caches() -> None:
    loader.bundled_spec.cache_clear()
    snapshots._judge_cached.cache_clear()
