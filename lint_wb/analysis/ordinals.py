"""Node ordinals: the numbering the project index and the lint agree on.

The summariser (`project.summarize`) names a literal by its ordinal; the lint
(`analysis.anchors`) finds the node again by numbering the text it lints the same way. Both
read the numbering from here, so neither has to import the other.
"""

from __future__ import annotations

from lint_wb._cst import cst
from lint_wb.analysis.walk import child_nodes


def number_nodes(module: cst.Module) -> dict[cst.CSTNode, int]:
    """Every node's ordinal in a pre-order walk of the module's value-bearing nodes."""
    ordinals: dict[cst.CSTNode, int] = {}
    stack: list[cst.CSTNode] = [module]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        ordinals[node] = len(ordinals)
        children = child_nodes(node)
        children.reverse()
        push(children)
    return ordinals
