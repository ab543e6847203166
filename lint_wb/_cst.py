"""libcst, imported on first use: `from lint_wb._cst import cst` instead of `import libcst as cst`.

Most runs parse nothing (a pre-commit hook on files that never touch the OpenAI SDK,
`--explain`, `--list-rules`), and importing libcst costs about half a second. The rule and
analysis modules only touch libcst inside functions, so they take this stand-in, which
imports libcst when the first attribute is read, that is when the engine parses a file.
`_cst.pyi` tells type checkers that `cst` is libcst itself. Modules that need libcst while
they are imported (a `cst.CSTVisitor` subclass) import it directly and are themselves
imported only by the engine.
"""

from __future__ import annotations

import importlib
import types


class _DeferredLibCST(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        value = getattr(importlib.import_module("libcst"), name)
        setattr(self, name, value)  # later reads are plain attribute hits
        return value


cst = _DeferredLibCST("libcst")
