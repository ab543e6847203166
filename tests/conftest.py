"""Test-wide settings: no test reads a model snapshot a developer cached with --update-models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def isolated_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("lint-wb-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINT_WB_CACHE_DIR", str(cache))
        yield cache
