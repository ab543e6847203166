"""Builtins that only iterate what they are given: `list(MODELS)`, `sorted(MODELS)`.

A dict given to one of them is not handed on: the call reads its keys (what iterating a dict
gives) and builds something new from them, so the dict's values cannot change through it. The
Streamlit/Gradio model picker is the common shape: `choice = st.radio("Model", list(MODELS))`,
then `model=MODELS[choice]` (the argument of `st.radio` is a new list of keys). What such a
call hands on is what iterating the argument gives (`dicts.items_handed_on`; a list's items,
for the project summaries' views: `dict_views.View.items`).

These are Python's own functions, not W&B or SDK facts: lint-wb's list. A module that binds
one of these names anywhere (`def sorted(d): ...`, `list = ...`, or a `from m import *`,
which may) gets no such reading of its calls (`IteratedArgs.shadowed`): the walkers note
each such argument and hand it on after all if the name turns out to be bound, which is
only known at the end of their walk. (`builtins.sorted = f` is not seen.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Generic, TypeVar

from lint_wb._cst import cst

ITERATING_BUILTINS: Final = frozenset(
    {
        "list",
        "tuple",
        "set",
        "frozenset",
        "sorted",
        "reversed",
        "enumerate",
        "iter",
        "len",
        "any",
        "all",
        "zip",
    }
)
"""Builtins each of whose positional arguments is only iterated (or measured: `len`)."""
ONE_ITERABLE_BUILTINS: Final = frozenset({"min", "max"})
"""Builtins that iterate their one positional argument; given several, they return one of
them (`max(a, b)` is `a` or `b`): handed on."""

ScopeT = TypeVar("ScopeT")


class IteratedArgs(Generic[ScopeT]):
    """The arguments a walk met in calls of `ITERATING_BUILTINS` by their bare name, each
    with the builtin's name and the scope the call stands in, kept to the end of the walk."""

    def __init__(self) -> None:
        self.pending: dict[cst.Arg, str] = {}
        """The arguments of the calls met, not yet visited: the walk meets a call first."""
        self.met: list[tuple[str, ScopeT, cst.Arg]] = []

    def note_call(self, call: cst.Call) -> None:
        """Note the positional arguments of `call` when it is a call of such a builtin."""
        func = call.func
        if type(func) is not cst.Name or not call.args:
            return
        name = func.value
        if name not in ITERATING_BUILTINS and name not in ONE_ITERABLE_BUILTINS:
            return
        positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
        if name in ONE_ITERABLE_BUILTINS and len(positional) != 1:
            return
        for arg in positional:
            self.pending[arg] = name

    def take(self, arg: cst.Arg, scope: ScopeT) -> bool:
        """Whether `arg` is such an argument (noted with `scope`): only its items are handed
        on, unless the builtin's name is bound (`shadowed`)."""
        name = self.pending.pop(arg, None)
        if name is None:
            return False
        self.met.append((name, scope, arg))
        return True

    def shadowed(
        self, scopes: Iterable[Mapping[str, object]], *, star: bool = False
    ) -> list[tuple[ScopeT, cst.Arg]]:
        """The arguments met in calls of a name the module binds (`scopes`: the bindings of
        each of its scopes), with their scopes: handed on after all. `star`: the module
        has a `from m import *`, which may bind any of them (`def sorted(d)` in `m`)."""
        if not self.met:
            return []
        if star:
            return [(scope, arg) for _, scope, arg in self.met]
        names = {name for name, _, _ in self.met}
        rebound = {name for bindings in scopes for name in names if name in bindings}
        return [(scope, arg) for name, scope, arg in self.met if name in rebound]
