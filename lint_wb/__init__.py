"""lint-wb: a linter for Python code that calls W&B Inference through the OpenAI SDK.

The public API: :func:`lint_source` and :func:`fix_source` work on text and never touch
files; :class:`Finding` is what they report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.lazy import lazy_exports

__version__ = "0.1.0"

if TYPE_CHECKING:
    from lint_wb.config.settings import LintOptions, Settings
    from lint_wb.engine import LintResult, lint_source
    from lint_wb.findings import Finding
    from lint_wb.fix_loop import FixOutcome, fix_source

_PUBLIC = {
    "LintResult": "lint_wb.engine",
    "lint_source": "lint_wb.engine",
    "Finding": "lint_wb.findings",
    "FixOutcome": "lint_wb.fix_loop",
    "fix_source": "lint_wb.fix_loop",
    "LintOptions": "lint_wb.config.settings",
    "Settings": "lint_wb.config.settings",
}

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


# The public API, imported on first use so that `lint-wb` starts without libcst.
__getattr__ = lazy_exports(__name__, {name: (module, name) for name, module in _PUBLIC.items()})
