"""Which modules in reach of a W&B signal the project index reads (SPEC §9: "parse only what
can hold W&B code"), on fixtures/projects/imported_everywhere: marimo's shape, where the
package imports the module that renames the client class, so every page that imports the
package is in reach of the settings module that names W&B."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine_reads import record_parses, record_summaries
from tests.test_projects import copy_project, expected, lint

CALLERS = {"app.assistant", "app.mirror", "app.server", "app.spoken"}
"""The modules that build or ask the W&B client: by the renamed class's name, re-exported,
renamed again, passed on by a star import."""


def test_importers_for_other_names_are_never_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project("imported_everywhere", tmp_path)
    made = record_summaries(monkeypatch)
    parsed = record_parses(monkeypatch)
    found, messages = lint(root, root, extra=("--jobs", "1"))
    assert found == expected(root), "\n".join(messages)
    assert set(made) >= CALLERS
    assert [module for module in made if module.startswith("app.pages")] == []
    assert [text for text in parsed if "def render(" in text or "def check_" in text] == []


def test_a_module_that_calls_the_renamed_class_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that starts calling the class by the package's name for it (`app.Inference`)
    is summarised, and its client's URL is reported."""
    root = copy_project("imported_everywhere", tmp_path)
    page = root / "app" / "pages" / "page_03.py"
    built = 'late = app.Inference(base_url="https://api.wandb.ai/v1")  # WB101\n'
    page.write_text(page.read_text() + "\n\n" + built)
    made = record_summaries(monkeypatch)
    found, messages = lint(root, root, extra=("--jobs", "1"))
    assert "app.pages.page_03" in made
    assert found == expected(root), "\n".join(messages)
    assert ("app/pages/page_03.py", 11, "WB101") in found
