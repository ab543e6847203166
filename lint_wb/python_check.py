"""Python's own parser and compiler as quick checks on the user's code, kept silent.

Compiling code warns about the code (`SyntaxWarning: invalid escape sequence '\\d'`,
`'int' object is not callable`); those warnings are about the user's file, not about
lint-wb, and must not reach lint-wb's output.
"""

from __future__ import annotations

import ast
import warnings
from typing import Final

CHUNKED: Final = 1_000_000
"""Characters above which a text is not compiled and read by `ast` whole: its whole tree would
cost about 130 bytes a character (`module_parse` reads such a text in chunks)."""


def compiles(text: str, filename: str = "<lint-wb>") -> bool:
    """Whether this Python compiles `text` (stricter than parsing: a repeated keyword fails),
    or would if it were Python 3.12 (`newer_syntax.py`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, filename, "exec", dont_inherit=True)
        except SyntaxError as error:
            from lint_wb.newer_syntax import newer_syntax_error

            return newer_syntax_error(text, error, 0) is None
        except (ValueError, RecursionError, MemoryError):
            return False
    return True


def compiled_tree(text: str, future: int = 0) -> ast.Module | None:
    """`text` read by `ast`, and that tree compiled (so the text is parsed once), with
    top-level `await` allowed and the `__future__` flags `future`; None when it does not
    compile (or nests too deep for the compiler)."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT | future
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(text, "<lint-wb>", "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
            compile(tree, "<lint-wb>", "exec", flags, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return None
    assert isinstance(tree, ast.Module)
    return tree


def parses(text: str) -> bool:
    """Whether this Python's parser accepts `text` (top-level `await` included)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True
