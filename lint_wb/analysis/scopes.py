"""Which names are bound to what, per scope: a cheap stand-in for libcst's ScopeProvider.

Only what the rules need is recorded: for each module or function scope, the expressions a
name is assigned (None for a binding whose value is not a plain expression: a parameter, a
loop target, an augmented assignment, a tuple target); the imports; `self.<attr>`
assignments per class; the classes defined. A name bound more than once resolves to
nothing, so no finding rests on a guess about which binding is live.
"""

from __future__ import annotations

from dataclasses import field
from typing import Final, Union

from lint_wb._cst import cst
from lint_wb.records import dataclass

MUTATING_METHODS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "update",
        "pop",
        "popitem",
        "clear",
        "remove",
        "setdefault",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
        "__iadd__",
    }
)

AMBIGUOUS_IMPORT = "<ambiguous>"

ScopeNode = Union["cst.Module", "cst.FunctionDef", "cst.Lambda"]


ANY_ATTRIBUTE: Final = "*"
"""In `Bindings.stored_attributes`: an attribute whose name is not known here may be stored."""


@dataclass
class Scope:
    """A module, class or function body: the names it binds and imports."""

    node: ScopeNode
    parent: Scope | None
    bindings: dict[str, list[cst.BaseExpression | None]] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    """Local name -> the dotted name it imports (`oa` -> `openai`, `X` -> `openai.OpenAI`);
    AMBIGUOUS_IMPORT where it imports different things in different places."""

    def import_of(self, name: str) -> str | None:
        """What `name` imports, if every binding of it in this scope is that one import."""
        full = self.imports.get(name)
        if full is None or full == AMBIGUOUS_IMPORT:
            return None
        others = [value for value in self.bindings.get(name, ()) if value is not None]
        return None if others else full

    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    """Functions defined here (methods are found on their class)."""
    globals_declared: set[str] = field(default_factory=set)
    nonlocals_declared: set[str] = field(default_factory=set)
    owner_class: cst.ClassDef | None = None
    """For a method (and what it nests): the class `self` is an instance of."""

    def bind(self, name: str, value: cst.BaseExpression | None) -> None:
        target = self
        if name in self.globals_declared:
            target = self.module_scope()
        elif name in self.nonlocals_declared:
            target = self.nonlocal_scope(name)
        target.bindings.setdefault(name, []).append(value)

    def nonlocal_scope(self, name: str) -> Scope:
        """The scope a `nonlocal name` here binds in: the nearest enclosing function's that
        binds it (its parent when none does yet, or itself at the top: a syntax error)."""
        current = self.parent
        while current is not None and current.parent is not None:
            if name in current.bindings:
                return current
            current = current.parent
        parent = self.parent
        return parent if parent is not None and parent.parent is not None else self

    def module_scope(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


AttributeStore = tuple["cst.BaseExpression | None", Scope]
"""An attribute store on an object (`holder.key = v`): the object's expression (None: not
known here) and the scope the store stands in."""


@dataclass(frozen=True)
class CallSite:
    """A call, with the scope it stands in."""

    call: cst.Call
    scope: Scope
    owner_class: cst.ClassDef | None
    """The class `self` belongs to where the call stands, if any."""


@dataclass
class Bindings:
    """Everything the binding pass learned about one module."""

    scopes: dict[cst.CSTNode, Scope]
    module: Scope
    self_attributes: dict[cst.ClassDef, dict[str, list[cst.BaseExpression | None]]]
    mutated: dict[str, tuple[Scope, ...]]
    """Names whose value may change after binding (`x.append(...)`, `x[k] = ...`, `f(x)`),
    each with the scopes the change stands in: it changes the binding that name has there,
    not a same-named local of another function."""
    key_stores: dict[str, tuple[tuple[Scope, str], ...]]
    """Names given a store under a literal key (`kwargs["project"] = ...`), each with the
    scope the store stands in and the key: a change of that key only (`dicts.read_spread`
    keeps the others); any other change of the name is in `mutated`."""
    calls: list[CallSite]
    """Every call through a name or attribute, with where it stands: the analysis reads
    clients, requests and endpoint uses off this list instead of walking the tree again."""
    attribute_assignments: list[tuple[str, cst.BaseExpression | None, Scope]]
    """`a.b = value` assignments by dotted target (`openai.base_url`)."""
    self_assignments: dict[cst.ClassDef, dict[str, list[tuple[cst.BaseExpression | None, Scope]]]]
    """Every binding of `self.<attr>` in a class's methods, with the scope it stands in (None
    for one whose value is not a plain expression: `self.a, self.b = ...`, `+=`, `del`)."""
    names_base_url_variable: bool = False
    """The module names `OPENAI_BASE_URL` in a string (or a keyword: `os.environ.update(...)`):
    it may set the SDK's base URL itself."""
    nodes: list[cst.CSTNode] = field(default_factory=list)
    """The module's nodes in ordinal order (`ordinals.number_nodes`), numbered by the binding
    pass as it walks: the anchors of the project index read them without a walk."""
    base_url_variables: frozenset[str] = frozenset()
    """The variables of `sdk_names.BASE_URL_VARIABLES` the module names in a string."""
    base_url_mentions: int = 0
    """How many strings and keywords name `OPENAI_BASE_URL` (`env_setting.py`)."""
    dropped: frozenset[str] = frozenset()
    """The identifiers of the top-level statements the partial parse left out
    (`partial.Partial.dropped`): what those statements do with a name is not seen here."""
    stored_attributes: dict[str, tuple[AttributeStore, ...]] = field(default_factory=dict)
    """Attributes the module stores on anything but a method's own `self` (`holder.key = v`,
    `setattr(holder, "key", v)`; `ANY_ATTRIBUTE` for a name not known here), each with the
    object stored on and the scope of the store: a store on what may be an instance of a
    class makes its `self.<attr>` not known (`Resolver.self_attribute`)."""
    handed: dict[str, tuple[Scope, ...]] = field(default_factory=dict)
    """Names handed on (`m = kwargs`, `f(d=kwargs)`, `def f(d=kwargs)`, `return kwargs`:
    `dicts.handed_on`), each with the scopes it is handed on in: a dict handed on may be
    changed where no store under its name says so, so its keys are not known where it is
    read key by key (`Resolver.keyed_binding`)."""
    comprehension_reads: frozenset[cst.Name] = frozenset()
    """Names read in a comprehension that its own `for` binds (`comprehensions.bound_reads`):
    not the binding a scope gives the name."""

    _ordinals: dict[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def ordinals(self) -> dict[int, int]:
        """Each node's ordinal by its `id`, as `ordinals.number_nodes` gives it: made once,
        for the summary and the lint's positions of the same parse (not to be changed)."""
        made = self._ordinals
        nodes = self.nodes
        if made is None or len(made) != len(nodes):
            # (made in C: the pairs are every node's of the parse, thousands a module)
            made = self._ordinals = dict(zip(map(id, nodes), range(len(nodes))))
        return made


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for an attribute chain of names, else None."""
    # `type(...) is`, not `isinstance`: libcst's classes are ABCs, slow to check against
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None
