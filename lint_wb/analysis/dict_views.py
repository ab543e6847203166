"""What changes a container nested in another one, through a view of the outer one.

`ROLES = {"chat": {"model": ...}}` sends `ROLES["chat"]["model"]`; the inner dict is the
same object however it is reached, so the code may change it without naming `ROLES` in a
store: `ROLES.get("chat")["model"] = m`, `cfg = ROLES["chat"]; cfg.update(o)`, `for cfg in
ROLES.values(): cfg.update(o)`, `ALL = list(ROLES.values()); ALL[0]["model"] = m`,
`tweak(ROLES["chat"])`, `C = {**ROLES}; C["chat"]["model"] = m`.

A *view* is an expression that stands for something inside a name's (or an attribute's)
value: the path of keys from the name down (`ROLES["chat"]`: `("chat",)`), and how its own
level is shared (`OBJECT`, `COPY`, `VALUES`, `PAIRS`). Where a view is handed on (bound to
something lint-wb does not follow, passed, returned, changed in place), everything under its
path may change; the project index then reads no key under that path (`project.resolve`:
`DictValue.views`).
A view bound to a plain name (`cfg = ROLES["chat"]`, `for cfg in ROLES.values()`) is
handed on only if that name is changed or handed on in turn (`ViewRecorder`): reading
`cfg["model"]` changes nothing.

Paths: `view_paths.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final, cast

from lint_wb._cst import cst
from lint_wb.analysis.dicts import HandsOnDicts, held_parts
from lint_wb.analysis.values import string_value
from lint_wb.analysis.view_paths import ANY, ITEM, Path, Step, capped
from lint_wb.records import dataclass

OBJECT: Final = 0
"""The view is the object at its path itself (`ROLES["chat"]`, `ROLES.get("chat")`)."""
COPY: Final = 1
"""A new container holding the same items as the object at its path (`ROLES.copy()`,
`{**ROLES}`, `LIST[1:]`): handing it on hands on those items, not the object."""
VALUES: Final = 2
"""The values of the dict at its path (`ROLES.values()`)."""
PAIRS: Final = 3
"""The (key, value) pairs of the dict at its path (`ROLES.items()`): as `VALUES`, but a
loop that unpacks a pair binds the key (no view) and the value."""

KEYED_VIEWS: Final = frozenset({"get", "pop", "setdefault"})
"""Methods whose first argument is a key and that give the value under it."""
SHALLOW_VIEWS: Final = {"values": VALUES, "items": PAIRS, "copy": COPY}
"""Methods of no argument that give a view of the items (the kind of view)."""


@dataclass(frozen=True)
class View:
    """Something inside the value of `root`, at `path`, shared as `kind` says."""

    root: cst.Name | cst.Attribute
    path: Path
    kind: int = OBJECT
    called: bool = False
    """`root` is a function of the module, called (`get("chat")`): the view is under what
    it returns (`ViewRecorder`: a function returning a view is its alias)."""

    def handed(self) -> Path:
        """What may change when the view is handed on."""
        return self.path if self.kind == OBJECT else capped((*self.path, ANY))

    def items(self) -> Path:
        """What a loop over the view gives."""
        return capped((*self.path, ANY if self.of_values else ITEM))

    def at(self, step: Step) -> View:
        """The view of `view[step]`."""
        return View(
            self.root, capped((*self.path, ANY if self.of_values else step)), called=self.called
        )

    @property
    def of_values(self) -> bool:
        """Its items are the values of the dict at its path (`VALUES`, `PAIRS`)."""
        return self.kind in (VALUES, PAIRS)

    @property
    def whole(self) -> bool:
        """The view is the root's value itself (`dicts.handed_on` follows that)."""
        return not self.path and self.kind == OBJECT and not self.called


def view_of(node: cst.BaseExpression) -> View | None:
    """The view `node` is (`ROLES["chat"]`, `ROLES.get("chat")`, `ROLES.values()`, a name or
    an attribute: the whole value), or None when it is no view of a name's value."""
    steps: list[tuple[int, Step]] = []  # (kind, step) from the outside in; kind -1: a key
    called = False
    while True:
        kind = type(node)  # not `isinstance`: libcst's classes are ABCs, slow to check
        if kind is cst.Name or kind is cst.Attribute:
            break
        if kind is cst.Subscript:
            subscript = cast(cst.Subscript, node)
            steps.append(_subscript_step(subscript))
            node = subscript.value
        elif kind is cst.Call:
            call = cast(cst.Call, node)
            method = _method_step(call)
            if method is None:
                if type(call.func) is not cst.Name:
                    return None
                node = call.func  # `get("chat")[...]`: under what `get` returns
                called = True
                break
            steps.append(method)
            node = cast(cst.Attribute, call.func).value
        else:
            return None
    view = View(cast("cst.Name | cst.Attribute", node), (), called=called)
    for shared, step in reversed(steps):
        if shared < 0:
            view = view.at(step)
        elif shared in (VALUES, PAIRS) or view.kind == OBJECT:
            view = View(view.root, view.path, shared, view.called)
    return view


def _subscript_step(node: cst.Subscript) -> tuple[int, Step]:
    """`x["k"]`: the key; `x[i]`, `x[k]`: any; `x[1:]`: a copy of the items."""
    if len(node.slice) != 1:
        return -1, ANY
    index = node.slice[0].slice
    if not isinstance(index, cst.Index):
        return COPY, ANY
    return -1, _key_step(index.value)


def _key_step(key: cst.BaseExpression) -> Step:
    """A key written as a string literal; `ANY` for any other."""
    if type(key) is cst.SimpleString:
        value = string_value(key)
        if isinstance(value, str):
            return value
    return ANY


def _method_step(call: cst.Call) -> tuple[int, Step] | None:
    """`x.get(k...)`, `x.pop(k...)`, `x.setdefault(k...)`: the key; `x.values()`,
    `x.items()`, `x.copy()`: the kind of view; None for any other call."""
    func = call.func
    if type(func) is not cst.Attribute:
        return None
    name = func.attr.value
    if name in KEYED_VIEWS and call.args:
        first = call.args[0]
        plain = not first.star and first.keyword is None
        return -1, _key_step(first.value) if plain else ANY
    shared = SHALLOW_VIEWS.get(name)
    if shared is not None and not call.args:
        return shared, ANY
    return None


HOLDERS: Final = frozenset(
    {"IfExp", "BooleanOperation", "NamedExpr", "List", "Tuple", "Set", "Dict"}
)
"""The forms `views_handed` looks into (as `dicts.HOLDERS`)."""


def views_handed(node: cst.BaseExpression) -> Iterator[View]:
    """The views (but whole names and attributes, which `dicts.handed_on` gives) whose
    object `node` may be or hold: `ROLES["chat"]`, `[ROLES.get("chat")]`, `{**ROLES}`
    (a copy: its values are `ROLES`'s)."""
    kind = type(node)
    if kind is cst.Subscript or kind is cst.Call:
        view = view_of(node)
        if view is not None and not view.whole:
            yield view
        return
    if kind.__name__ not in HOLDERS:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Subscript or kind is cst.Call:
            view = view_of(current)
            if view is not None and not view.whole:
                yield view
        else:
            stack += held_parts(current)
            if kind is cst.Dict:
                yield from _spread_views(cast(cst.Dict, current))


def _spread_views(held: cst.Dict) -> Iterator[View]:
    """`{**ROLES}`: a copy that shares `ROLES`'s values."""
    for element in held.elements:
        if type(element) is not cst.DictElement:
            spread = view_of(element.value)
            if spread is not None:
                shared = COPY if spread.kind == OBJECT else spread.kind
                yield View(spread.root, spread.path, shared, spread.called)


ROUNDS_PER_ALIAS: Final = 16
"""How many times `ViewRecorder.resolve` may read each alias, on average, before it takes a
cycle of aliases for one that changes everything under their roots: an alias is read again
only when what its own name may change grows, which a chain does once per link."""

RootKey = tuple[str, str, str]
"""("name", scope, name) of a name bound in a scope; ("attribute", "", name) of an
attribute by its name; ("call", scope, name) of what the function `name`, bound in scope,
returns."""


@dataclass(frozen=True)
class Alias:
    """A plain name bound to a view (`cfg = ROLES["chat"]`, `for cfg in ROLES.values()`):
    if the name is changed, `whole` may change under its root; what may change under the
    name at a path `p` may change under its root at `prefix + p[skip:]`."""

    name: RootKey
    root: RootKey
    whole: Path
    prefix: Path
    skip: int = 0


def bound_to(view: View) -> tuple[Path, Path, int]:
    """(whole, prefix, skip) of an `Alias` of a name bound to `view`: the object itself
    (`cfg = ROLES["chat"]`), a copy of its items (`C = ROLES.copy()`: `C["chat"]` is
    `ROLES["chat"]`) or its values (`V = ROLES.values()`: any item of `V` is any value)."""
    if view.kind == OBJECT:
        return view.path, view.path, 0
    if view.kind == COPY:
        return view.handed(), view.path, 0
    return view.handed(), view.handed(), 1


class ViewRecorder:
    """The views a module hands on, and its aliases, kept until the end of the module's
    walk, when it is known which of those names are changed."""

    def __init__(self) -> None:
        self.handed: dict[RootKey, set[Path]] = {}
        self.aliases: list[Alias] = []

    def hand(self, root: RootKey, path: Path) -> None:
        self.handed.setdefault(root, set()).add(path)

    def alias(self, alias: Alias) -> None:
        self.aliases.append(alias)

    def resolve(
        self, owner: Callable[[RootKey], RootKey], changed: Callable[[RootKey], bool]
    ) -> dict[RootKey, frozenset[Path]]:
        """The paths under which each root's value may be changed: those handed on, and
        through each alias that is `changed` (or hands on views of its own), those of the
        alias, followed through aliases of aliases. `owner` gives a name's key by the
        scope that binds it (a key is first noted by the scope it is written in)."""
        found: dict[RootKey, set[Path]] = {}
        for root, paths in self.handed.items():
            found.setdefault(owner(root), set()).update(paths)
        aliases = [
            Alias(owner(a.name), owner(a.root), a.whole, a.prefix, a.skip) for a in self.aliases
        ]
        of_name: dict[RootKey, list[Alias]] = {}
        for alias in aliases:
            of_name.setdefault(alias.name, []).append(alias)
        waiting = deque(aliases)
        budget = ROUNDS_PER_ALIAS * len(aliases)
        while waiting:
            budget -= 1
            if budget < 0:
                # Aliases that keep giving longer paths (a cycle): each root of one may be
                # changed anywhere (path `()`).
                for alias in aliases:
                    found[alias.root] = {()}
                break
            alias = waiting.popleft()
            more = set(_through(alias, found, changed))
            target = found.setdefault(alias.root, set())
            if not more <= target:
                target |= more
                waiting.extend(of_name.get(alias.root, ()))  # the aliases of the root
        return {root: frozenset(paths) for root, paths in found.items() if paths}


def _through(
    alias: Alias, found: dict[RootKey, set[Path]], changed: Callable[[RootKey], bool]
) -> Iterable[Path]:
    if changed(alias.name):
        yield alias.whole
    for inner in found.get(alias.name, ()):
        yield capped((*alias.prefix, *inner[alias.skip :]))


class HandsOnViews(HandsOnDicts):
    """`dicts.HandsOnDicts` that also notes the views a statement hands on, and the plain
    names bound to views (`ViewRecorder`), for the project summarizer: a walker that says
    which scope it stands in (`_view_scope`)."""

    views: ViewRecorder

    def _view_scope(self) -> str:
        raise NotImplementedError

    def _in_class_body(self) -> bool:
        """Whether the walk stands in a class body, whose names are the class's attributes."""
        raise NotImplementedError

    def _key(self, root: cst.Name | cst.Attribute, called: bool = False) -> RootKey:
        if type(root) is cst.Name:
            return ("call" if called else "name", self._view_scope(), root.value)
        return ("attribute", "", cast(cst.Attribute, root).attr.value)

    def _view_key(self, view: View) -> RootKey:
        return self._key(view.root, view.called)

    def _hand_on(self, node: cst.BaseExpression | None) -> None:
        super()._hand_on(node)
        if node is not None:
            for view in views_handed(node):
                self.views.hand(self._view_key(view), view.handed())

    def _hand_items(self, node: cst.BaseExpression) -> None:
        super()._hand_items(node)
        view = view_of(node)
        if view is not None:
            self.views.hand(self._view_key(view), view.items())  # `f(*ROLES.values())`
            return
        for held in views_handed(node):  # `for d in (ROLES["chat"],)`
            self.views.hand(self._view_key(held), held.handed())

    def _bind_view(self, targets: Sequence[cst.BaseExpression], value: cst.BaseExpression) -> bool:
        """Note the names and attributes `targets` bound to the view `value` as its aliases
        (`cfg = ROLES["chat"]`, `self.cfg = ROLES[role]`); False (nothing noted) when `value`
        is no view, or a target is neither: `value` is then handed on (`_hand_on`)."""
        view = self._bound_view(value)
        if view is None or not all(type(t) in (cst.Name, cst.Attribute) for t in targets):
            return False
        in_class = self._in_class_body()
        for target in targets:
            self._alias(self._key(cast("cst.Name | cst.Attribute", target)), view)
            if in_class and type(target) is cst.Name:  # `class K: C = ROLES["chat"]`: `K.C`
                self._alias(("attribute", "", target.value), view)
        return True

    def _bound_view(self, value: cst.BaseExpression) -> View | None:
        """The view `value` is, when it is one worth an alias (not a whole name's value)."""
        kind = type(value)
        if kind is not cst.Subscript and kind is not cst.Call:
            return None
        view = view_of(value)
        return None if view is None or view.whole else view

    def _alias(self, name: RootKey, view: View) -> None:
        whole, prefix, skip = bound_to(view)
        self.views.alias(Alias(name, self._view_key(view), whole, prefix, skip))

    def _iterate(self, iterable: cst.BaseExpression, target: cst.BaseExpression) -> None:
        """`for target in iterable`: the names the loop binds to the items of a view
        (`for cfg in ROLES.values()`, `for m in LIST`) are their aliases; any other loop
        hands its items on (`_hand_items`)."""
        view = view_of(iterable)
        if view is not None and view.kind == PAIRS:
            target = _value_of_pair(target)  # `for k, v in ROLES.items()`: `k` is a key
        names = _loop_names(target)
        if view is None or names is None:
            self._hand_items(iterable)
            return
        root, item = self._view_key(view), view.items()
        for name in names:
            self.views.alias(Alias(self._key(name), root, item, item))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._iterate(node.iter, node.target)

    # What a comprehension makes holds what each round gives (`[c for c in ROLES.values()]`
    # holds the inner maps): handed on, as a list literal's items are.
    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._hand_on(node.elt)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._hand_on(node.elt)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._hand_on(node.elt)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._hand_on(node.value)


def _value_of_pair(target: cst.BaseExpression) -> cst.BaseExpression:
    """`v` of a loop target `k, v` over (key, value) pairs; the target itself otherwise."""
    kind = type(target)
    if kind is cst.Tuple or kind is cst.List:
        elements = cast("cst.Tuple | cst.List", target).elements
        if len(elements) == 2 and not any(type(e) is cst.StarredElement for e in elements):
            return elements[1].value
    return target


def _loop_names(target: cst.BaseExpression) -> list[cst.Name] | None:
    """The names a loop target binds when it is made of names only (`cfg`, `k, v`,
    `i, (k, v)`, `first, *rest`); None for any other (`self.cfg`, `d["k"]`)."""
    names: list[cst.Name] = []
    stack = [target]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Name:
            names.append(cast(cst.Name, current))
        elif kind is cst.Tuple or kind is cst.List:
            stack += (e.value for e in cast("cst.Tuple | cst.List", current).elements)
        elif kind is cst.StarredElement:
            stack.append(cast(cst.StarredElement, current).value)
        else:
            return None
    return names
