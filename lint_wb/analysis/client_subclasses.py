"""Subclasses of an SDK client class that are built as their base is.

`class Bot(OpenAI): pass` then `Bot(base_url=URL)`: a subclass that defines no `__init__` nor
`__new__` (and has no decorator, which may add one, nor a second base, whose own may run)
takes the keywords its base takes and passes them on unchanged, so the call builds the
base's client with them. A subclass that defines `__init__` may build its base with anything
(`super().__init__(base_url=self.url)`): it is out of reach, as a factory is not followed
here; so is one that binds `base_url` or a private name (`_build_request`, `_base_url`):
those may change where its requests go whatever it was built with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.scopes import Scope

MAX_SUBCLASS_DEPTH: Final = 4
"""How many subclasses deep (`class Helper(Bot)`, `class Bot(OpenAI)`) a call is followed."""
RETARGETING: Final = "base_url"
"""The SDK client's property of where requests go (a subclass may override it)."""

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
    if len(cls.bases) != 1 or cls.keywords or cls.decorators or _may_retarget(cls):
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


def _may_retarget(cls: cst.ClassDef) -> bool:
    """Whether the class body binds a name that may change how the client is built or where
    it sends (`_retargets`): a method or an assignment."""
    for statement in cls.body.body:
        if type(statement) is cst.FunctionDef and _retargets(statement.name.value):
            return True
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                if any(_retargets(name) for name in _assigned(small)):
                    return True
    return False


def _assigned(small: cst.BaseSmallStatement) -> list[str]:
    """The names an assignment in a class body binds (`x = ...`, `x: T = ...`)."""
    if type(small) is cst.Assign:
        targets = [target.target for target in small.targets]
    elif type(small) is cst.AnnAssign:
        targets = [small.target]
    else:
        return []
    return [target.value for target in targets if type(target) is cst.Name]


def _retargets(name: str) -> bool:
    """`__init__`, `__new__`, any other private or special name (the SDK's internals:
    `_build_request`, `_base_url`), and `base_url`."""
    return name.startswith("_") or name == RETARGETING
