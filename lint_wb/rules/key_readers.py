"""Who else reads the environment read a WB107 fix rewrites.

WB107's fix renames the variable where it is read (`KEY = os.getenv("GROQ_API_KEY")`, or
`self.key = ...` in `__init__`). When that binding is also read by something that does not
send to W&B (a Groq client, an OpenAI client given another base URL, a header, a helper),
the fix would send the W&B key there too: such a read blocks the fix. Reads are found by the
names and attributes the W&B clients' keys are followed through, each resolved in its own
scope as the clients' are; a read of the attribute on another object (`holder.key`) is
taken for one of the binding, since which object it is is not known here, unless that object
cannot be an instance of the class (`Resolver.may_be_instance`: `args = parser.parse_args()`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from lint_wb._cst import cst
from lint_wb.analysis import Client, Resolver
from lint_wb.analysis.scopes import Bindings, Scope
from lint_wb.analysis.values import MAX_DEPTH, strip_parts
from lint_wb.analysis.walk import child_nodes

if TYPE_CHECKING:  # an alias of libcst's classes would import libcst with this module
    Hop = tuple[cst.BaseExpression, Scope]
UNSEEN = "code that is not a W&B client"
DROPPED = "statements the partial parse left out"
"""What `other_reader` says when a statement the partial parse left out may read the key:
the engine then lints the module again from a whole parse (`Resolver.wants_whole`)."""


def key_hops(node: cst.BaseExpression, scope: Scope, resolver: Resolver) -> list[Hop]:
    """The expressions `node` is followed through to its value, `node` first and the value
    last, as `Resolver.read_source` follows them short of functions: names bound once,
    `self.<attr>` bound once, in `__init__`, and strips (`KEY.strip()` reads what `KEY`
    reads)."""
    hops: list[Hop] = [(node, scope)]
    for _ in range(MAX_DEPTH):
        found: Hop | None = None
        if type(node) is cst.Name:
            bound = resolver.single_binding(node.value, scope)
            owner = resolver.owner(node.value, scope)
            found = None if bound is None or owner is None else (bound, owner)
        elif type(node) is cst.Attribute:
            found = resolver.self_attribute(node, scope)
        elif type(node) is cst.Call:
            parts = strip_parts(node)
            found = None if parts is None else (parts[0], scope)
        if found is None:
            break
        node, scope = found
        hops.append(found)
    return hops


def other_reader(
    source: cst.BaseExpression,
    chains: Iterable[list[Hop]],
    bindings: Bindings,
    resolver: Resolver,
    clients: Iterable[Client],
) -> str | None:
    """What reads `source` (an environment read) other than through `chains` (the W&B
    clients' own ways to it, each ending at `source`): how a message names it, or None when
    nothing else does. A test of it (`if not KEY:`, `KEY is None`) sends it nowhere.
    A statement the partial parse left out that names a module-level name of the chains may
    read it: the module is then linted again, whole (`Resolver.wants_whole`)."""
    own: set[int] = set()
    names: set[str] = set()
    attributes: set[str] = set()
    classes: set[cst.ClassDef] = set()
    for chain in chains:
        for hop, scope in chain[:-1]:
            own.add(id(hop))
            if type(hop) is cst.Name:
                names.add(hop.value)
                if hop.value in bindings.dropped and resolver.owner(hop.value, scope) is (
                    bindings.module
                ):
                    resolver.wants_whole = True
                    return DROPPED
            elif type(hop) is cst.Attribute:
                attributes.add(hop.attr.value)
                if scope.owner_class is not None:
                    classes.add(scope.owner_class)
    built = {id(client.node): client for client in clients if client.node is not None}
    for node, scope, call in _reads(bindings, names, attributes):
        if id(node) in own:
            continue
        if type(node) is cst.Attribute and _is_self(node.value):
            if resolver.resolve_scoped(node, scope, members=True)[0] is not source:
                continue  # `self.key` of another class, or one not known here
        elif (
            type(node) is cst.Attribute
            and classes
            and not any(resolver.may_be_instance(node.value, scope, cls) for cls in classes)
        ):
            continue  # `args.key` of `args = parser.parse_args()`: no instance of the class
        elif type(node) is cst.Name and resolver.resolve(node, scope) is not source:
            continue  # another binding of the same name
        client = None if call is None else built.get(id(call))
        return UNSEEN if client is None else client_reader(client)
    return None


def client_reader(client: Client) -> str:
    """How a message names a client that reads the key and is not W&B's (or whose key WB107
    does not fix the same way)."""
    where = "" if client.base_url.text is None else f" given {client.base_url.text!r}"
    kind = "a W&B client whose key is not fixed here" if client.is_wandb else "not a W&B client"
    return f"{client.label}{where} ({kind})"


def _is_self(node: cst.BaseExpression) -> bool:
    return type(node) is cst.Name and node.value == "self"


def _reads(
    bindings: Bindings, names: set[str], attributes: set[str]
) -> Iterator[tuple[cst.BaseExpression, Scope, cst.Call | None]]:
    """The reads of `names` and of `.attributes` in the module that may pass the value on,
    each with the scope it stands in and the innermost call it is an argument of (None: not
    in a call's arguments). Binding targets, keyword names, the tests of `if`, `while`,
    `assert` and conditional expressions, `not`, and comparisons are not reads that pass
    a value on."""
    module = bindings.module.node
    stack: list[tuple[cst.CSTNode, Scope, cst.Call | None]] = [(module, bindings.module, None)]
    while stack:
        node, scope, call = stack.pop()
        scope = bindings.scopes.get(node, scope)
        kind = type(node)
        if kind is cst.Name:
            if node.value in names:  # type: ignore[attr-defined]
                yield node, scope, call  # type: ignore[misc]
            continue
        if kind is cst.Attribute:
            assert isinstance(node, cst.Attribute)
            if node.attr.value in attributes:
                yield node, scope, call
            stack.append((node.value, scope, call))
            continue
        skipped = _not_passed_on(node)
        if kind is cst.Call:
            assert isinstance(node, cst.Call)
            stack.append((node.func, scope, call))
            stack.extend((arg.value, scope, node) for arg in node.args)
            continue
        stack.extend(
            (child, scope, call) for child in child_nodes(node) if id(child) not in skipped
        )


def _not_passed_on(node: cst.CSTNode) -> set[int]:
    """The children of `node` that are a name or attribute it binds, declares or only
    tests (`if not KEY:`, `KEY is None`), not passes on."""
    if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
        return {id(node.target)} if _simple(node.target) else set()
    if isinstance(node, (cst.Global, cst.Nonlocal)):
        return {id(child) for child in child_nodes(node)}
    if isinstance(node, (cst.If, cst.While, cst.Assert, cst.IfExp)):
        return {id(node.test)} if _simple(node.test) else set()
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return {id(node.expression)} if _simple(node.expression) else set()
    if isinstance(node, cst.Comparison):
        return {id(node.left)} if _simple(node.left) else set()
    if isinstance(node, cst.ComparisonTarget):
        return {id(node.comparator)} if _simple(node.comparator) else set()
    return set()


def _simple(target: cst.BaseExpression) -> bool:
    """A target that binds one name or attribute (its own reads are not reads of it)."""
    return type(target) in (cst.Name, cst.Attribute)
