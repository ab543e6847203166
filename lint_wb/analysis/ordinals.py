"""Node ordinals: the numbering the project index and the lint agree on.

The summariser (`project.summarize`) names a literal by its ordinal; the lint
(`analysis.anchors`) finds the node again by numbering the text it lints the same way. Both
read the numbering from here, so neither has to import the other.
"""

from __future__ import annotations

from lint_wb._cst import cst
from lint_wb.analysis.walk import child_nodes


def ordered_nodes(module: cst.Module) -> list[cst.CSTNode]:
    """The module's value-bearing nodes in a pre-order walk: a node's ordinal is its index."""
    nodes: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [module]
    pop, push, add = stack.pop, stack.extend, nodes.append
    while stack:
        node = pop()
        add(node)
        children = child_nodes(node)
        children.reverse()
        push(children)
    return nodes


def number_nodes(module: cst.Module) -> dict[int, int]:
    """Every node's ordinal, by the node's `id` (a libcst node hashes in Python code, an
    `id` does not)."""
    return {id(node): ordinal for ordinal, node in enumerate(ordered_nodes(module))}
