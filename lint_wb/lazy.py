"""Names a package exports but imports on first use (PEP 562).

`lint-wb --version`, `--help` and a warm run whose findings are all cached must start
without libcst, the analysis or the spec's classes; the packages that re-export those
(`lint_wb`, `lint_wb.rules`, `lint_wb.spec`) get their module `__getattr__` from here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, tuple[str, str]]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `exports` maps each exported name to the module
    and attribute it is. A name once read is kept in the package, so later reads are plain
    attribute hits."""

    def __getattr__(name: str) -> Any:
        found = exports.get(name)
        if found is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = found
        value = getattr(importlib.import_module(module), attribute)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
