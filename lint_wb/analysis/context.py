"""Where a module stands in the checked tree, as the engine and the project index tell the
analysis. Its own module, so that the callers that only hand it on (the run, the test for a
module's facts) import neither libcst nor the analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.records import dataclass

if TYPE_CHECKING:
    from lint_wb.project.told import ModuleIndex


@dataclass(frozen=True)
class ModuleContext:
    """Where a module stands in the checked tree."""

    package: str | None = None
    """The package it belongs to, for relative imports; None when unknown."""
    index: ModuleIndex | None = None
    """What the rest of the project tells this module (`project/index.py`)."""
