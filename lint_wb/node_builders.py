"""Faster constructors for libcst's nodes, for a process that parses a lot.

libcst's native parser builds every node of a tree by calling the node's class. The
constructor `dataclasses` writes for a frozen class looks `object.__setattr__` up again for
every field it sets, then calls `__post_init__`, which validates the node. `install()` gives
each node class a constructor with the same parameters and defaults that sets the same
fields in the same order through `object.__setattr__` bound once, and that calls
`__post_init__` unless a parse is building the node (`building()`): what the parser builds
from text it accepted is valid (libcst's own note in `CSTNode.__post_init__`). A node built
outside a parse (a fix's) is validated as before.

Writing a constructor costs a compile of its source, so each is written when its class first
builds a node, and none before the process has parsed `INSTALL_AFTER` characters
(`parsed()`): a run that parses a few files does not pay for them. Nodes built on another
thread while a parse runs skip the validation too; the CLI parses on one thread (see
`module_parse.unvalidated`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

INSTALL_AFTER: Final = 30_000
"""Characters of kept statements parsed before constructors are written: what a few files
keep (a dense W&B file about 1,600). Writing those a parse needs costs about what the
faster constructors save on ten such files."""
SOURCE_NAME: Final = "<lint-wb node builders>"


_INSTALLED: dict[type, Any] = {}
"""Each node class given a constructor -> its own (the one `dataclasses` wrote)."""
_PARSED = [0]
"""Characters parsed so far in this process."""
_BUILDING = [False]
"""Whether a parse is building nodes: read by every installed constructor."""
_NO_VALUE = object()
"""The default of a field with a default factory: the factory makes the value."""


@contextmanager
def building() -> Iterator[None]:
    """Nodes built while the block runs are not validated (by the installed constructors)."""
    before = _BUILDING[0]
    _BUILDING[0] = True
    try:
        yield
    finally:
        _BUILDING[0] = before


def parsed(characters: int) -> None:
    """Count the characters of a parse's kept statements; install the constructors once
    there were enough."""
    _PARSED[0] += characters
    if _PARSED[0] >= INSTALL_AFTER and not _INSTALLED:
        install()


def install() -> None:
    """Give every libcst node class whose constructor `dataclasses` wrote a faster one,
    written when the class first builds a node (a parse uses few of libcst's classes)."""
    import libcst

    for kind in _subclasses(libcst.CSTNode):
        if _rebuildable(kind):
            _INSTALLED[kind] = kind.__dict__["__init__"]
            kind.__init__ = _written_on_first_use(kind)  # type: ignore[misc]


def _written_on_first_use(kind: type) -> Callable[..., None]:
    def first(self: object, *args: object, **kwargs: object) -> None:
        constructor = _written(kind)
        kind.__init__ = constructor  # type: ignore[misc]
        constructor(self, *args, **kwargs)

    return first


def _written(kind: type) -> Callable[..., None]:
    names: dict[str, Any] = {"_set": object.__setattr__, "_building": _BUILDING}
    names["_NO_VALUE"] = _NO_VALUE
    exec(compile(_constructor_source(0, kind, names), SOURCE_NAME, "exec"), names)
    constructor: Callable[..., None] = names["_init_0"]
    return constructor


def uninstall() -> None:
    """Give the node classes their own constructors back (for tests)."""
    for kind, constructor in _INSTALLED.items():
        kind.__init__ = constructor  # type: ignore[misc]
    _INSTALLED.clear()


def _subclasses(kind: type) -> Iterator[type]:
    seen: set[type] = set()
    stack: list[type] = list(kind.__subclasses__())
    while stack:
        sub = stack.pop()
        if sub not in seen:
            seen.add(sub)
            yield sub
            stack.extend(sub.__subclasses__())


def _rebuildable(kind: type) -> bool:
    """Whether `kind` has a constructor `dataclasses` wrote, from plain fields only."""
    constructor = kind.__dict__.get("__init__")
    code = getattr(constructor, "__code__", None)
    if code is None or code.co_filename != "<string>" or not dataclasses.is_dataclass(kind):
        return False
    return all(field.init and not field.kw_only for field in dataclasses.fields(kind))


def _constructor_source(n: int, kind: type, names: dict[str, Any]) -> str:
    """The source of `_init_<n>`, the constructor of `kind`; its defaults go into `names`."""
    parameters = ["self"]
    body: list[str] = []
    for i, field in enumerate(dataclasses.fields(kind)):
        name = field.name
        if field.default is not dataclasses.MISSING:
            names[f"_default_{n}_{i}"] = field.default
            parameters.append(f"{name}=_default_{n}_{i}")
        elif field.default_factory is not dataclasses.MISSING:
            names[f"_factory_{n}_{i}"] = field.default_factory
            parameters.append(f"{name}=_NO_VALUE")
            body.append(f"    if {name} is _NO_VALUE:\n        {name} = _factory_{n}_{i}()")
        else:
            parameters.append(name)
        body.append(f"    _set(self, {name!r}, {name})")
    body.append("    if not _building[0]:\n        self.__post_init__()")
    return f"def _init_{n}({', '.join(parameters)}):\n" + "\n".join(body) + "\n"
