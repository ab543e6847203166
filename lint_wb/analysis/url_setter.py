"""`client.base_url = URL`: openai-python's clients have a `base_url` setter, so the requests
a client sends after it go to URL.

Followed where the code's order makes it certain: the client is built by a statement
`name = OpenAI(...)` of a module's or a function's body, a later statement of that same body
sets `name.base_url = URL`, nothing between the two can reach the client, and the module
stores no other `base_url` on it. Its requests then go to URL (a near miss is reported where
URL is written, and fixed there). Any other store (in an `if`, in another function, twice,
after the client is used, in a tuple target, `+=`, annotated, a `for` target) leaves where
the client sends unknown, so nothing sent through it is reported as wrong. A store on a
client the module cannot follow (a parameter: `def setup(client): client.base_url = URL`)
changes nothing here.

What can reach the client between the two (`reaching_names`): a statement that names it, or
names something of the body that names it, to a fixed point (`f()` where `def f(): g()` and
`def g(): client.chat...`; `K().go()` where a method of `K` names it; `h()` after `h = g`).
A value made by a call of an imported callable (`w = wrap(g)`) is not followed: the
partial read does not keep its readers (`logger = logging.getLogger(...)`), so a module read
in part and read whole get the same answer; such a value that reaches the client through a
function it was given is not seen. Nor is a call between of a function of another module
that reaches the client through an import cycle.

The project index follows the same certain case (`summarize.py`), when the module stores
`base_url` exactly once: another module that imports the client sees its URL. When no
other store of the project can reach the client, it also tells the client's own module a
URL only the project resolves (`client.base_url = settings.URL`: `ModuleIndex.client_set_urls`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lint_wb._cst import cst
from lint_wb.analysis.scopes import dotted_name
from lint_wb.analysis.sdk_names import BASE_URL_ATTRIBUTE
from lint_wb.analysis.walk import child_nodes


def body_of(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The statements of a module's or a function's body (none for another scope)."""
    if type(node) is cst.Module:
        return node.body
    if type(node) is cst.FunctionDef and type(node.body) is cst.IndentedBlock:
        return node.body.body
    return ()


def certain_build(
    body: Sequence[cst.CSTNode], name: str, value: cst.BaseExpression, imported: frozenset[str]
) -> cst.Call | None:
    """The call of `name = <call>` when `body` holds it and later `name.base_url = <value>`,
    with nothing between that can reach `name` (see the module); None otherwise.
    `imported`: the names the module's imports bind."""
    units = list(_units(body))
    end = next((n for n, unit in enumerate(units) if _stores(unit, name, value)), None)
    if end is None:
        return None
    reaching: set[str] | None = None
    for start in range(end - 1, -1, -1):
        built = _built(units[start], name)
        if built is not None:
            return built
        if reaching is None:
            reaching = reaching_names(units, name, imported)
        if _names(units[start], reaching):
            return None
    return None


def _units(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """The body's statements, each small statement of a line on its own (`c = OpenAI(); f()`
    runs `f()` between)."""
    for statement in body:
        if type(statement) is cst.SimpleStatementLine:
            yield from statement.body
        else:
            yield statement


def reaching_names(units: Sequence[cst.CSTNode], name: str, imported: frozenset[str]) -> set[str]:
    """`name` and the names of `units` whose binding names one of these, to a fixed point:
    what a statement may reach `name` through."""
    read = [_all_names(unit) for unit in units]
    bound = [_bound_names(unit, imported) for unit in units]
    reaching = {name}
    grown = True
    while grown:
        grown = False
        for names, binds in zip(read, bound):
            if binds - reaching and names & reaching:
                reaching |= binds
                grown = True
    return reaching


def _built(unit: cst.CSTNode, name: str) -> cst.Call | None:
    """The call of `name = <call>` or `name: T = <call>`."""
    if type(unit) is cst.Assign and len(unit.targets) == 1:
        target: cst.BaseExpression = unit.targets[0].target
    elif type(unit) is cst.AnnAssign:
        target = unit.target
    else:
        return None
    named = type(target) is cst.Name and target.value == name
    return unit.value if named and type(unit.value) is cst.Call else None


def _stores(unit: cst.CSTNode, name: str, value: cst.BaseExpression) -> bool:
    """`name.base_url = <value>`."""
    if type(unit) is not cst.Assign or unit.value is not value or len(unit.targets) != 1:
        return False
    target = unit.targets[0].target
    return (
        type(target) is cst.Attribute
        and target.attr.value == BASE_URL_ATTRIBUTE
        and type(target.value) is cst.Name
        and target.value.value == name
    )


def _names(node: cst.CSTNode, names: set[str]) -> bool:
    """Whether `node` holds a name of `names`."""
    return not _all_names(node).isdisjoint(names)


def _all_names(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.Name:
            found.add(current.value)
        stack.extend(child_nodes(current))
    return found


def _bound_names(unit: cst.CSTNode, imported: frozenset[str]) -> set[str]:
    """The names a statement binds in its body's scope (not inside a function or class it
    defines), but not those a call of an imported callable makes (see the module)."""
    found: set[str] = set()
    stack = [unit]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            found.add(node.name.value)
            continue
        if isinstance(node, cst.Lambda):
            continue
        targets: list[cst.CSTNode] = []
        if isinstance(node, (cst.Assign, cst.AnnAssign)) and _imported_call(node.value, imported):
            pass  # `logger = logging.getLogger(...)`: not followed
        elif isinstance(node, cst.Assign):
            targets = [target.target for target in node.targets]
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
            targets = [node.target]
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            targets = [node.asname.name]
        for target in targets:
            found |= _target_names(target)
        stack.extend(child_nodes(node))
    return found


def _target_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _target_names(element.value)}
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _imported_call(value: cst.BaseExpression | None, imported: frozenset[str]) -> bool:
    """`logging.getLogger(...)`, `wrap(client)`: a call whose callee starts from an import."""
    if type(value) is not cst.Call:
        return False
    root: cst.BaseExpression = value.func
    while isinstance(root, (cst.Attribute, cst.Call)):
        root = root.value if isinstance(root, cst.Attribute) else root.func
    return isinstance(root, cst.Name) and root.value in imported


def imported_names(module: cst.Module) -> frozenset[str]:
    """The names the imports of a module's top level bind (also in its `if`/`try` blocks)."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = list(module.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        if isinstance(node, cst.Import):
            for alias in node.names:
                found.add(_local_name(alias, head=True))
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                found.add(_local_name(alias, head=False))
        elif isinstance(node, cst.SimpleStatementLine):
            stack.extend(node.body)
        elif not isinstance(node, cst.BaseSmallStatement):
            stack.extend(child_nodes(node))
    return frozenset(found)


def _local_name(alias: cst.ImportAlias, head: bool) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    dotted = dotted_name(alias.name) or ""
    return dotted.split(".")[0] if head else dotted
