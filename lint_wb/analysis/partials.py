"""Calls through `functools.partial`: `ask = partial(litellm.completion, model=...)`, then
`ask(messages=...)`.

Python calls the wrapped callable with the partial's positional arguments, then the call's,
and with the partial's keywords updated by the call's (a keyword given at the call replaces
the partial's of that name). The library call sites (`libraries.LibrarySites`) and the SDK's
requests (`analyzer`) read such a call as a call of the wrapped callable with those
arguments, when the partial is bound once to a name the call reads. A partial of such a
partial (`fast = partial(ask, temperature=0)`) passes the keywords of the one it wraps,
updated by its own.

A keyword written in the partial keeps its value's expression there: a finding about it
points there, and, every call through the partial sending it, is reported there once (the
engine keeps one finding per place and message). It is not an argument of the request's
own call (`Keyword.arg` None): no fix renames, moves or removes it through a request that
may be one of several. Its value is read in the call's scope, so a partial is followed only
where every name its arguments read is the same binding seen from the call
(`_reads_same`).
"""

from __future__ import annotations

from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.clients import call_arguments
from lint_wb.analysis.facts import CallArguments, Keyword
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.sdk_names import PARTIAL
from lint_wb.analysis.values import Resolver
from lint_wb.analysis.walk import child_nodes
from lint_wb.records import dataclass

MAX_LAYERS: Final = 8
"""How many partials of partials a call is followed through."""


@dataclass(frozen=True)
class Partial:
    """`functools.partial(func, *args, **keywords)`, bound once to the name a call reads;
    when `func` is itself such a partial (`fast = partial(ask, temperature=0)`), the one it
    wraps in turn, down to a callable that is not a partial."""

    node: cst.Call
    """The innermost partial (the one that wraps `func`)."""
    func: cst.BaseExpression
    """The wrapped callable, as written in the innermost partial."""
    scope: Scope
    """The scope the innermost partial is written in: `func` is read there."""
    outer: tuple[tuple[cst.Call, Scope], ...] = ()
    """The partials of partials the call goes through, innermost first (each wraps the one
    before it), with the scopes they are written in: their keywords replace the inner ones'
    of the same name, and their positional arguments follow."""

    @property
    def layers(self) -> tuple[tuple[cst.Call, Scope], ...]:
        """Every partial the call goes through, innermost first."""
        return ((self.node, self.scope), *self.outer)


class PartialReader:
    """Finds the partials a module's calls call (`partial_of`), for one module."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._imports: bool | None = None

    def partial_of(self, call: cst.Call, scope: Scope) -> Partial | None:
        """The partial `call` calls: its callee is a name bound once to `functools.partial(f,
        ...)` with `f` written first (not a keyword, not a spread), and every name the
        partial's arguments read is the binding the call's scope sees too. When `f` is such a
        name too, the partial it is bound to is followed in turn (`Partial.outer`)."""
        if type(call.func) is not cst.Name or not self._imports_functools():
            return None
        layers: list[tuple[cst.Call, Scope]] = []
        func: cst.BaseExpression = call.func
        scope_of_func = scope
        while len(layers) < MAX_LAYERS:
            found = self._bound_partial(func, scope_of_func)
            if found is None or any(found[0] is node for node, _ in layers):
                break
            layers.append(found)
            func, scope_of_func = found[0].args[0].value, found[1]
        if not layers:
            return None
        node, owner = layers[-1]
        return Partial(node, func, owner, tuple(reversed(layers[:-1])))

    def _bound_partial(
        self, func: cst.BaseExpression, scope: Scope
    ) -> tuple[cst.Call, Scope] | None:
        """The `functools.partial(f, ...)` call the name `func` is bound to once (with the
        scope it is written in), read the same from `scope`."""
        if type(func) is not cst.Name:
            return None
        resolver = self.resolver
        bound, owner = resolver.resolve_scoped(func, scope)
        if bound is func or type(bound) is not cst.Call or not bound.args:
            return None
        first = bound.args[0]
        if first.keyword is not None or first.star:
            return None
        if resolver.qualified_name(bound.func, owner) != PARTIAL:
            return None
        if not _reads_same(bound, owner, scope, resolver):
            return None
        return bound, owner

    def _imports_functools(self) -> bool:
        """Whether any scope of the module imports from `functools` (most modules do not:
        the names their calls read are then not followed at all)."""
        if self._imports is None:
            bindings = self.resolver.bindings
            scopes = [bindings.module, *bindings.scopes.values()]
            self._imports = any(
                value.partition(".")[0] == "functools"
                for scope in scopes
                for value in scope.imports.values()
            )
        return self._imports


def _reads_same(partial: cst.Call, where: Scope, scope: Scope, resolver: Resolver) -> bool:
    """Whether every name the partial's arguments read (after the wrapped callable) is bound
    in the same scope seen from `scope` as from `where`, the partial's own."""
    if where is scope:
        return True
    stack: list[cst.CSTNode] = [arg.value for arg in partial.args[1:]]
    while stack:
        node = stack.pop()
        if type(node) is cst.Name:
            name = node.value
            if resolver.owner(name, scope) is not resolver.owner(name, where):
                return False
            continue
        stack.extend(child_nodes(node))
    return True


def merged_arguments(
    call: cst.Call, scope: Scope, partial: Partial, resolver: Resolver, *, one_target: bool = False
) -> tuple[CallArguments, list[cst.BaseExpression]]:
    """The keywords a call through `partial` passes (the partial's, replaced by those of a
    partial wrapping it and then by the call's of the same name), and its positional
    arguments, the innermost partial's first; `complete` is
    False when either holds a spread that cannot be read, or a `*` spread. A spread of the
    call that cannot be read may replace any keyword of the partial: those are then passed,
    their values not known (`Keyword.certain`). `one_target`: the partial wraps a method of
    one client, which no call through it can send elsewhere (a library's callable may be
    given another provider's URL or model by a call): a keyword written in the partial is
    marked `Keyword.in_partial`."""
    own = call_arguments(call, scope, resolver)
    layers = [call_arguments(node, written_in, resolver) for node, written_in in partial.layers]
    merged = CallArguments(complete=own.complete and all(given.complete for given in layers))
    for index, given in enumerate(layers):
        later = own.complete and all(outer.complete for outer in layers[index + 1 :])
        for name, keyword in given.keywords.items():  # an outer partial's replaces an inner's
            certain = keyword.certain and later
            in_partial = one_target and keyword.is_direct
            merged.keywords[name] = Keyword(
                name, keyword.value, element=keyword.element, certain=certain, in_partial=in_partial
            )
    merged.keywords.update(own.keywords)
    args = [arg for node, _ in partial.layers for arg in node.args[1:]] + list(call.args)
    if any(arg.star == "*" for arg in args):
        merged.complete = False
    positional = [arg.value for arg in args if arg.keyword is None and not arg.star]
    return merged, positional
