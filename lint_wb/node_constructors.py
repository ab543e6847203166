"""libcst's node constructors, without a frozen dataclass's lookup per field.

libcst's parser builds every node of a tree through its class's constructor: the `__init__`
that `dataclasses` generates for a frozen class, which stores each field with
`object.__setattr__(self, "name", value)`, so each field of each node looks its name up on
the class again. A tenth of a parse goes there. `install` gives each node class whose
`__init__` was generated so an equivalent one: the same parameters and defaults, a default
factory called when its field is not given, the fields stored in the same order through the
slots' own descriptors (found once), then the same `__post_init__` call (which validates the
node, as before), made only while nodes are validated (`module_parse.VALIDATING`): inside a
parse the call did nothing (`module_parse.unvalidated`), and a Python call per node is about
5% of a parse. An instance of a subclass that inherits the constructor without being a
dataclass of its own (a program's class) goes through the generated `__init__` as before.
A class with a field left out of `__init__`, a field that is not a slot, or generated
parameters that differ from what is read here keeps its `__init__`. The code of each
constructor is kept with lint-wb's own (`compiled_methods.own_code`): a run compiles only
what no earlier run did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from types import MemberDescriptorType
from typing import Any

from lint_wb.compiled_methods import own_code

_INSTALLED: list[type] = []
"""The node classes given a constructor (filled once, by the first `install`)."""


def install(base: type) -> int:
    """Give every dataclass below `base` the equivalent constructor (once a process); how
    many classes have one."""
    if not _INSTALLED:
        for kind in _classes_below(base):
            made = _constructor(kind, base)
            if made is not None:
                kind.__init__ = made  # type: ignore[misc]
                _INSTALLED.append(kind)
    return len(_INSTALLED)


def installed() -> tuple[type, ...]:
    return tuple(_INSTALLED)


def _classes_below(base: type) -> Iterator[type]:
    seen: set[type] = set()
    stack: list[type] = list(base.__subclasses__())
    while stack:
        kind = stack.pop()
        if kind in seen:
            continue
        seen.add(kind)
        stack.extend(kind.__subclasses__())
        ours = kind.__module__.startswith("libcst.")  # not a program's own node classes
        if ours and dataclasses.is_dataclass(kind) and "__init__" in kind.__dict__:
            yield kind


def _constructor(kind: type, base: type) -> Callable[..., None] | None:
    """`kind`'s equivalent `__init__` (see the module's docstring); None to keep its own."""
    original = kind.__dict__["__init__"]
    if getattr(original, "__qualname__", "") != f"{kind.__qualname__}.__init__":
        return None  # not the one dataclasses made for this class
    parameters: list[str] = []
    factories: list[str] = []
    body: list[str] = []
    names: dict[str, Any] = {
        "_kind": kind,
        "_original": original,
        "_missing": dataclasses.MISSING,
        "_type": type,
    }
    keyword_only = False
    for number, field in enumerate(dataclasses.fields(kind)):
        setter = _slot_setter(kind, field.name)
        if setter is None:
            return None
        names[f"_set{number}"] = setter
        if not field.init:
            return None  # set or not by dataclasses' rules for such fields: left to it
        if field.kw_only and not keyword_only:
            parameters.append("*")
            keyword_only = True
        if field.default is not dataclasses.MISSING:
            names[f"_default{number}"] = field.default
            parameters.append(f"{field.name}=_default{number}")
        elif field.default_factory is not dataclasses.MISSING:
            names[f"_factory{number}"] = field.default_factory
            parameters.append(f"{field.name}=_missing")
            factories.append(f"if {field.name} is _missing: {field.name} = _factory{number}()")
        else:
            parameters.append(field.name)
        body.append(f"_set{number}(self, {field.name})")
    if hasattr(kind, "__post_init__"):
        body.append(_validation(kind, base, names))
    source = "\n".join(
        [
            f"def __init__(self, {', '.join(parameters)}):".replace("(self, )", "(self)"),
            *(f"    {line}" for line in factories),
            "    if _type(self) is not _kind:",
            f"        return _original(self, {_forwarded(parameters)})",
            *(f"    {line}" for line in body),
        ]
    )
    exec(own_code(source), names)  # code made here from the dataclass's own fields (kept)
    made: Callable[..., None] = names["__init__"]
    if _parameters(made) != _parameters(original):
        return None
    made.__qualname__ = original.__qualname__
    made.__doc__ = original.__doc__
    return made


def _validation(kind: type, base: type, names: dict[str, Any]) -> str:
    """The line that validates a new node: the hook is called only while nodes are validated
    when it is the one `unvalidated` switches (the node base class's, which the node classes
    inherit), always when a class between them defines its own."""
    from lint_wb.module_parse import VALIDATING, VALIDATING_HOOK

    owner = next(owner for owner in kind.__mro__ if VALIDATING_HOOK in owner.__dict__)
    if owner is not base:
        return "self.__post_init__()"
    names["_validating"] = VALIDATING
    return "if _validating[0]: self.__post_init__()"


def _forwarded(parameters: list[str]) -> str:
    """The call passing each parameter on (keyword-only ones by name)."""
    passed: list[str] = []
    by_name = False
    for parameter in parameters:
        if parameter == "*":
            by_name = True
            continue
        name = parameter.split("=")[0]
        passed.append(f"{name}={name}" if by_name else name)
    return ", ".join(passed)


def _slot_setter(kind: type, name: str) -> Callable[[object, object], None] | None:
    """The `__set__` of the slot `name` of `kind`, found as `object.__setattr__` finds it."""
    for owner in kind.__mro__:
        found = owner.__dict__.get(name)
        if found is not None:
            if type(found) is MemberDescriptorType:
                return found.__set__
            return None
    return None


def _parameters(function: Callable[..., None]) -> tuple[object, ...]:
    """The parameters' names, how many are positional, and how many have defaults."""
    code = function.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    defaults = function.__defaults__ or ()
    keyword_defaults = function.__kwdefaults__ or {}
    return (code.co_varnames[:count], code.co_argcount, len(defaults), len(keyword_defaults))
