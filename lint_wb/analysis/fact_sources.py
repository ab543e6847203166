"""What code must hold for the analysis to find anything in it, read off Python's `ast`.

Every fact `analyze()` finds starts at a call site (a client built, a request, an endpoint
or legacy call, a library call, an endpoint trap, all read off `Bindings.calls`), at an
attribute assignment (`openai.base_url = ...`, `openai.api_key = ...`, read off
`Bindings.attribute_assignments`), or is something the project index asks of the module (a
literal or message list that a request elsewhere sends, the client of a request, a base URL
only the project resolves). Code with no call and no attribute assignment, of a module the
index asks nothing of, has no facts, so no rule reports on it: the engine then gives it
neither libcst's parse nor the analysis (most of the files of a tree of types, and empty
`__init__.py` files).

This module reads `ast` only: it imports no libcst.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lint_wb.analysis import ModuleContext


def may_hold_facts(tree: ast.Module, where: ModuleContext | None) -> bool:
    """Whether `analyze()` may find something in the module `tree` stands for (the statements
    libcst would be given): False only when the project index asks nothing of it and the
    code holds no call and no assignment to an attribute."""
    if where is not None and where.index:
        return True
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            return True
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False
