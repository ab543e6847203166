"""Names a comprehension binds for itself: `[ask(q) for ask in (print,)]`.

A comprehension's `for` targets are its own names (Python gives it a scope of its own), so
inside it `ask` is whatever the loop gives, not the module's `ask = partial(...)` nor its
`client`. Neither walker makes a scope for a comprehension: they note the names read there
that such a target binds (`bound_reads`), and those reads are not followed to any binding
(`values.Resolver.resolve_scoped`, the project summaries' `_expr_Name`).
"""

from __future__ import annotations

from typing import cast

from lint_wb._cst import cst
from lint_wb.analysis.walk import child_nodes


def bound_reads(
    node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp,
) -> list[cst.Name]:
    """The names read in `node` (its element, its conditions, the iterables of its inner
    `for`s) that one of its own `for` targets binds. The first `for`'s iterable is read in
    the enclosing scope: it is left out."""
    names: set[str] = set()
    roots: list[cst.CSTNode] = []
    for_in: cst.CompFor | None = node.for_in
    first = True
    while for_in is not None:
        _target_names(for_in.target, names)
        if not first:
            roots.append(for_in.iter)
        roots.extend(condition.test for condition in for_in.ifs)
        first = False
        for_in = for_in.inner_for_in
    if not names:
        return []
    if type(node) is cst.DictComp:
        roots += (node.key, node.value)
    else:
        roots.append(cast("cst.ListComp | cst.SetComp | cst.GeneratorExp", node).elt)
    found: list[cst.Name] = []
    while roots:
        current = roots.pop()
        if type(current) is cst.Name:
            if current.value in names:
                found.append(current)
        else:
            roots += child_nodes(current)
    return found


def _target_names(target: cst.BaseExpression, names: set[str]) -> None:
    kind = type(target)
    if kind is cst.Name:
        names.add(cast(cst.Name, target).value)
    elif kind is cst.Tuple or kind is cst.List:
        for element in cast("cst.Tuple | cst.List", target).elements:
            _target_names(element.value, names)
    elif kind is cst.StarredElement:
        _target_names(cast(cst.StarredElement, target).value, names)
