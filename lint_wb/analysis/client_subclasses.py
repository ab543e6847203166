"""Subclasses of an SDK client class that are built as their base is.

`class Bot(OpenAI): pass` then `Bot(base_url=URL)`: a subclass that defines no `__init__` nor
`__new__` (and has no decorator, which may add one, nor a second base, whose own may run)
takes the keywords its base takes and passes them on unchanged, so the call builds the
base's client with them. A subclass that defines `__init__` may build its base with anything
(`super().__init__(base_url=self.url)`): it is out of reach, as a factory is not followed
here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import Scope

MAX_SUBCLASS_DEPTH: Final = 4
"""How many subclasses deep (`class Helper(Bot)`, `class Bot(OpenAI)`) a call is followed."""
CONSTRUCTORS: Final = frozenset({"__init__", "__new__"})

Qualify = Callable[[cst.BaseExpression, Scope], "str | None"]
ClientClass = Callable[["str | None"], "str | None"]


def subclassed_client(
    func: cst.BaseExpression,
    scope: Scope,
    qualify: Qualify,
    client_class: ClientClass,
    depth: int = 0,
) -> str | None:
    """The client class a call of `func` builds when `func` names a class of the module,
    bound once, built as its base is (see the module docstring), and that base is a client
    class (`client_class` of its qualified name) or such a subclass in turn."""
    if type(func) is not cst.Name:
        return None
    found = _class_def(func.value, scope)
    if found is None:
        return None
    cls, owner = found
    if len(cls.bases) != 1 or cls.keywords or cls.decorators or _defines_constructor(cls):
        return None
    base = cls.bases[0]
    if base.star or base.keyword is not None:
        return None
    named = client_class(qualify(base.value, owner))
    if named is not None or depth + 1 >= MAX_SUBCLASS_DEPTH:
        return named
    return subclassed_client(base.value, owner, qualify, client_class, depth + 1)


def _class_def(name: str, scope: Scope) -> tuple[cst.ClassDef, Scope] | None:
    """The class `name` reads in `scope`, when that scope binds the name only by it."""
    current: Scope | None = scope
    while current is not None:
        if name in current.bindings:
            cls = current.classes.get(name)
            if cls is None or current.bindings[name] != [None]:
                return None
            return cls, current
        current = current.parent
    return None


def _defines_constructor(cls: cst.ClassDef) -> bool:
    """Whether the class body binds `__init__` or `__new__` (a method or an assignment)."""
    for statement in cls.body.body:
        if type(statement) is cst.FunctionDef and statement.name.value in CONSTRUCTORS:
            return True
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                targets = small.targets if type(small) is cst.Assign else ()
                if any(
                    type(t.target) is cst.Name and t.target.value in CONSTRUCTORS for t in targets
                ):
                    return True
    return False
