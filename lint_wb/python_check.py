"""Python's own parser and compiler as quick checks on the user's code, kept silent.

Compiling code warns about the code (`SyntaxWarning: invalid escape sequence '\\d'`,
`'int' object is not callable`); those warnings are about the user's file, not about
lint-wb, and must not reach lint-wb's output.
"""

from __future__ import annotations

import ast
import warnings


def compiles(text: str, filename: str = "<lint-wb>") -> bool:
    """Whether this Python compiles `text` (stricter than parsing: a repeated keyword fails)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def parses(text: str) -> bool:
    """Whether this Python's parser accepts `text` (top-level `await` included)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True
