"""The rules: one module per family, each rule a class with its docs.

The registry of rule classes (`registry.py`) imports the analysis and the spec, which a run
that parses nothing never needs: it is loaded on first use of `ALL_RULES`, `RULES_BY_CODE`,
`RULES_BY_NAME` or `rules_for` (PEP 562). Selectors and the enabled codes come from the
light table in `codes.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lint_wb.lazy import lazy_exports
from lint_wb.rules.codes import ALL_CODES, check_selector, expand_selector, select_codes

if TYPE_CHECKING:
    from lint_wb.rules.registry import ALL_RULES, RULES_BY_CODE, RULES_BY_NAME, rules_for

_REGISTRY = frozenset({"ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "rules_for"})

__all__ = [
    "ALL_CODES",
    "ALL_RULES",
    "RULES_BY_CODE",
    "RULES_BY_NAME",
    "check_selector",
    "expand_selector",
    "rules_for",
    "select_codes",
]


__getattr__ = lazy_exports(__name__, {name: ("lint_wb.rules.registry", name) for name in _REGISTRY})
