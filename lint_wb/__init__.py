"""lint-wb: a linter for Python code that calls W&B Inference through the OpenAI SDK.

The public API: :func:`lint_source` and :func:`fix_source` work on text and never touch
files; :class:`Finding` is what they report.
"""

from __future__ import annotations

__version__ = "0.1.0"

from lint_wb.engine import LintResult, lint_source
from lint_wb.findings import Finding
from lint_wb.fixer import FixOutcome, fix_source
from lint_wb.settings import LintOptions, Settings

__all__ = [
    "Finding",
    "FixOutcome",
    "LintOptions",
    "LintResult",
    "Settings",
    "__version__",
    "fix_source",
    "lint_source",
]
