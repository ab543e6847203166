"""`client.base_url = URL`: openai-python's clients have a `base_url` setter, so the requests
a client sends after it go to URL.

Followed where the code's order makes it certain: the client is built by a statement
`name = OpenAI(...)` of a module's or a function's body, and a later statement of that same
body sets `name.base_url = URL`, with no statement between the two that names the client or
calls a function of that body's scope that names it (either may send a request before the
URL is set), and the module stores no other `base_url` on that client. Its requests then go
to URL (a near miss is reported where URL is written, and fixed there). Any other store (in
an `if`, in another function, twice, after the client is used) leaves where the client sends
unknown, so nothing sent through it is reported as wrong. A store on a client the module
cannot follow (a parameter: `def setup(client): client.base_url = URL`) changes nothing here.

Only what names the client counts between the two: the partial read keeps exactly those
statements (and the functions that name the client, and their calls), so a module read in
part and read whole get the same answer. A call between of a function of another module
that reaches the client through an import cycle is not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from lint_wb._cst import cst
from lint_wb.analysis.sdk_names import BASE_URL_ATTRIBUTE
from lint_wb.analysis.walk import child_nodes


def body_of(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The statements of a module's or a function's body (none for another scope)."""
    if type(node) is cst.Module:
        return node.body
    if type(node) is cst.FunctionDef and type(node.body) is cst.IndentedBlock:
        return node.body.body
    return ()


def store_follows(
    body: Sequence[cst.CSTNode],
    name: str,
    built: cst.Call,
    value: cst.BaseExpression,
    functions: Mapping[str, cst.FunctionDef],
) -> bool:
    """Whether `body` holds `name = <built>` and later `name.base_url = <value>`, with no
    statement between them that names `name` or one of the `functions` (those of the body's
    scope) that names it (see the module)."""
    start = _index(body, lambda small: _builds(small, name, built))
    end = _index(body, lambda small: _stores(small, name, value))
    if start is None or end is None or end <= start:
        return False
    between = body[start + 1 : end]
    if not between:
        return True
    users = {name} | {called for called, f in functions.items() if _names(f.body, {name})}
    return not any(_names(statement, users) for statement in between)


def _index(
    body: Sequence[cst.CSTNode], found: Callable[[cst.BaseSmallStatement], bool]
) -> int | None:
    for index, statement in enumerate(body):
        if type(statement) is cst.SimpleStatementLine and any(map(found, statement.body)):
            return index
    return None


def _builds(small: cst.BaseSmallStatement, name: str, built: cst.Call) -> bool:
    """`name = <built>` or `name: T = <built>`."""
    if type(small) is cst.Assign:
        targets = [target.target for target in small.targets]
    elif type(small) is cst.AnnAssign:
        targets = [small.target]
    else:
        return False
    named = any(type(t) is cst.Name and t.value == name for t in targets)
    return named and small.value is built


def _stores(small: cst.BaseSmallStatement, name: str, value: cst.BaseExpression) -> bool:
    """`name.base_url = <value>`."""
    if type(small) is not cst.Assign or small.value is not value or len(small.targets) != 1:
        return False
    target = small.targets[0].target
    return (
        type(target) is cst.Attribute
        and target.attr.value == BASE_URL_ATTRIBUTE
        and type(target.value) is cst.Name
        and target.value.value == name
    )


def _names(node: cst.CSTNode, names: set[str]) -> bool:
    """Whether `node` holds a name of `names`."""
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Name and current.value in names:
            return True
        stack.extend(child_nodes(current))
    return False
