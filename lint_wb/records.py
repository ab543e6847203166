"""`dataclass`, made when first needed: a class is made a dataclass the first time one of
its instances is made, compared, hashed, printed or assigned to, or the first time anything
asks for its dataclass fields.

Why: `dataclasses.dataclass` writes the source of each method it generates (`__init__`,
`__repr__`, `__eq__`, `__hash__`, a frozen class's `__setattr__` and `__delattr__`, the
order methods) and compiles it as the class is made, at every start of the process: about
4 million instructions for a class of a dozen fields, a quarter of a warm pre-commit run
(which takes every finding from the cache) for the thirty-odd classes its modules define,
many of which it never uses, and the methods of those it does use that it never calls.

How: the decorator puts a stand-in (`_OnDemand`) in the class under each name that
`dataclasses` may set (the generated methods, `__dataclass_fields__`,
`__dataclass_params__`, `__match_args__`), unless the class defines that name itself. Python
finds the stand-in wherever it would find the real attribute: a call of the class, an
operator, `super()`, `pickle`, `dataclasses.fields`, `replace`, `asdict` and `is_dataclass`
(which read `__dataclass_fields__`), and the class's subclasses. Asked for anything, a
stand-in removes every stand-in of its class, applies `dataclasses.dataclass` with the
arguments given to the decorator, and answers with what the class now holds. So the class
behaves exactly as if it had been decorated with `dataclasses.dataclass` from the start; an
instance unpickled before the class was made a dataclass (a worker's result) is one of its
instances as any other. Each class is made a dataclass once, under a lock (threads).

For the type checker this is `dataclasses.dataclass` itself (the name is imported from it
under TYPE_CHECKING), so mypy checks the fields, the frozen classes and the calls as before.
`slots=True` creates a new class: such a class is made a dataclass at once.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls: type | None = None, /, **params: Any) -> Any:
        """`dataclasses.dataclass(cls, **params)`, applied when first needed (see above)."""

        def wrap(cls: type) -> type:
            if params.get("slots"):
                return dataclasses.dataclass(cls, **params)
            _defer(cls, params)
            return cls

        return wrap if cls is None else wrap(cls)


ALWAYS_SET = ("__dataclass_fields__", "__dataclass_params__", "__match_args__")
"""What `dataclasses.dataclass` sets in every class it processes (besides `__doc__`, which
it sets only in a class without a docstring: each of lint-wb's has one)."""


def set_by_dataclasses(params: dict[str, Any]) -> tuple[str, ...]:
    """The names `dataclasses.dataclass(**params)` may set in a class (`__slots__` aside)."""
    names = list(ALWAYS_SET)
    if params.get("init", True):
        names.append("__init__")
    if params.get("repr", True):
        names.append("__repr__")
    if params.get("eq", True):
        names.append("__eq__")
    if params.get("eq", True) or params.get("unsafe_hash", False):
        names.append("__hash__")
    if params.get("frozen", False):
        names += ["__setattr__", "__delattr__"]
    if params.get("order", False):
        names += ["__lt__", "__le__", "__gt__", "__ge__"]
    if sys.version_info >= (3, 13):
        names.append("__replace__")
    return tuple(names)


_LOCK = threading.RLock()
"""Held while a class is made a dataclass: two threads asking at once make it once."""


def made(cls: type) -> bool:
    """Whether `cls` has been made a dataclass already (its stand-ins are gone)."""
    return not any(isinstance(value, _OnDemand) for value in vars(cls).values())


class _OnDemand:
    """Stands in a deferred class for one attribute that `dataclasses` would set there."""

    __slots__ = ("cls", "name", "params")

    def __init__(self, cls: type, name: str, params: dict[str, Any]) -> None:
        self.cls = cls
        self.name = name
        self.params = params

    def __get__(self, instance: object, owner: type) -> Any:
        _make(self.cls, self.params)
        # what the class holds now, as Python would have found it there (or above it)
        found = vars(self.cls).get(self.name, _ABSENT)
        if found is _ABSENT:  # not generated (`eq=False`, not frozen...): inherited
            return getattr(super(self.cls, owner if instance is None else instance), self.name)
        if found is None or not hasattr(found, "__get__"):
            return found  # `__hash__ = None` (unhashable), the fields, the parameters
        return found.__get__(instance, owner)


_ABSENT = object()


def _defer(cls: type, params: dict[str, Any]) -> None:
    """Stand-ins under each name the class does not define itself."""
    for name in set_by_dataclasses(params):
        if name not in vars(cls):
            setattr(cls, name, _OnDemand(cls, name, params))


def _make(cls: type, params: dict[str, Any]) -> None:
    """Remove `cls`'s stand-ins and make it a dataclass (once)."""
    with _LOCK:
        stand_ins = [name for name, value in vars(cls).items() if isinstance(value, _OnDemand)]
        if not stand_ins:
            return  # another thread made it meanwhile
        for name in stand_ins:
            delattr(cls, name)
        dataclasses.dataclass(cls, **params)
