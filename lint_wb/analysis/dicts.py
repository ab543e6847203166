"""The one reading of a dict literal: which keys it holds, and which values are certain.

Python builds `{"role": "user", **extra, "content": q}` left to right and the last write of
a key wins. So a key written after everything that could also carry it has a known value;
a key followed by a `**spread` that cannot be read (or by a key whose value cannot be
evaluated) is still certainly present, but its value is unknown: the spread may replace it.
Of literal keys written twice, the last one wins. Spreads of dicts the code spells out
(names bound once to a dict literal or to `dict(...)`) are read in place.

In `dict(mapping, key=value, **spread)` keyword arguments and spreads cannot repeat a key
(Python raises `TypeError`), so they are certain among themselves; they override the
positional mapping.

A dict bound once to a name and changed only by stores under literal keys (`kwargs["project"]
= ...`, perhaps in an `if`) keeps its other keys where it is spread (`**kwargs`): a store
under one key cannot change another (`stored_key`, `read_spread`). The keys stored to are
present with an unknown value, or perhaps present.

Every rule that looks inside a dict (messages, content parts, tool calls, tools,
response_format, extra_body, logit_bias, headers, `**` arguments of a call) reads it here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Final, cast

from lint_wb._cst import cst
from lint_wb.analysis.scopes import Scope
from lint_wb.analysis.values import UNKNOWN, Resolver, string_value
from lint_wb.records import dataclass

MAX_DEPTH: Final = 8
"""How deep spreads of spreads are followed; deeper is unknown."""


@dataclass(frozen=True)
class DictEntry:
    """One key of a dict as written: `"role": "user"` in a literal, `role="user"` in `dict()`."""

    key: object
    """The key's value (a string or a number)."""
    key_node: cst.BaseExpression
    """The key as written: a string literal in a dict literal, a Name in `dict(...)`."""
    value: cst.BaseExpression
    node: cst.DictElement | cst.Arg
    """The whole entry, where a finding about the entry points."""
    scope: Scope
    """Where `value` is evaluated: the scope of the dict it is written in."""
    certain: bool = True
    """False when something written later (a `**spread` that cannot be read, a key that
    cannot be evaluated) may replace the value: the key is present, its value unknown."""


@dataclass(frozen=True)
class DictReading:
    """What a dict literal (or `dict(...)` call) holds, read by Python's last-wins rule."""

    node: cst.Dict | cst.Call
    scope: Scope
    present: Mapping[object, DictEntry]
    """Every key the dict certainly holds, with the last entry written for it."""
    closed: bool
    """Every key is known: no unread `**spread`, no key that cannot be evaluated. A key not
    in `present` is then certainly absent."""

    def get(self, key: object) -> DictEntry | None:
        """The entry for `key` when its value is certain; None when absent or replaceable."""
        entry = self.present.get(key)
        return entry if entry is not None and entry.certain else None

    def has(self, key: object) -> bool:
        """Whether `key` is certainly in the dict (whatever its value)."""
        return key in self.present

    def lacks(self, key: object) -> bool:
        """Whether `key` is certainly not in the dict."""
        return self.closed and key not in self.present

    @property
    def entries(self) -> dict[object, DictEntry]:
        """The entries whose value is certain, by key."""
        return {key: entry for key, entry in self.present.items() if entry.certain}

    def string_keys(self) -> Iterator[tuple[str, DictEntry]]:
        """The present entries whose key is a string, in the order they are written."""
        for key, entry in self.present.items():
            if isinstance(key, str):
                yield key, entry


def read_dict(node: cst.BaseExpression, scope: Scope, resolver: Resolver) -> DictReading | None:
    """The reading of the dict literal `node` stands for (names bound once are followed), or
    None when it is not one. (A `dict(...)` call is read where it is spread: `**dict(...)`.)"""
    resolved, owner = resolver.resolve_scoped(node, scope)
    if isinstance(resolved, cst.Dict):
        return _read_literal(resolved, owner, resolver, 0)
    return None


def read_spread(
    node: cst.BaseExpression, scope: Scope, resolver: Resolver, depth: int = 0
) -> DictReading | None:
    """The reading of what `**node` unpacks: a dict literal or a call of the builtin `dict`
    (names bound once followed; one changed only by stores under literal keys too: see the
    module), or None when it cannot be read."""
    if depth > MAX_DEPTH:
        return None
    if type(node) is cst.Name and resolver.is_handed(node.value, scope):
        return None  # changed, perhaps, where no store of its name says so
    resolved, owner = resolver.resolve_scoped(node, scope)
    if isinstance(resolved, cst.Dict):
        return _read_literal(resolved, owner, resolver, depth)
    if isinstance(resolved, cst.Call) and is_dict_call(resolved, owner, resolver):
        return _read_dict_call(resolved, owner, resolver, depth)
    if type(resolved) is cst.Name:
        stored = resolver.keyed_binding(resolved.value, owner)
        if stored is not None:
            value, where, keys = stored
            if isinstance(value, cst.Dict):
                return _stored_to(_read_literal(value, where, resolver, depth), keys)
    return None


def stored_key(target: cst.Subscript) -> tuple[str, str] | None:
    """(name, key) of a store under a literal key: `name["key"] = ...`, `name["key"] += ...`;
    None for any other subscript (`x[k]`, `x[0]`, `x["a"]["b"]`, a slice)."""
    if type(target.value) is not cst.Name or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    if not isinstance(index, cst.Index) or type(index.value) is not cst.SimpleString:
        return None
    key = string_value(index.value)
    return (target.value.value, key) if isinstance(key, str) else None


HOLDERS: Final = frozenset(
    {"IfExp", "BooleanOperation", "NamedExpr", "List", "Tuple", "Set", "Dict"}
)
"""The forms `handed_on` looks into (libcst's class names: read at import, the classes would
import libcst with this module)."""


def handed_on(node: cst.BaseExpression) -> list[cst.Name | cst.Attribute]:
    """The names and attributes whose object `node` may be, or hold: what a binding, an
    argument, a default or a `return` hands on (`m = MODELS`, `f(d=MODELS)`, `def f(d=MODELS)`,
    `{"models": MODELS}`, `MODELS if fast else OTHER`). A dict handed on may be changed
    through whatever receives it, where no store under its own name says so: a lookup under
    a key of it is then not known (`Resolver.keyed_binding`; the project index's
    `ModuleSummary.handed`). A `**spread` copies: it hands nothing on."""
    kind = type(node)  # not `isinstance`: libcst's classes are ABCs, slow to check
    if kind is cst.Name or kind is cst.Attribute:
        return [cast("cst.Name | cst.Attribute", node)]
    if kind.__name__ not in HOLDERS:
        return []  # a call, a literal, a subscript...: most values hand nothing on
    found: list[cst.Name | cst.Attribute] = []
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is cst.Name or kind is cst.Attribute:
            found.append(cast("cst.Name | cst.Attribute", current))
        else:
            stack += held_parts(current)
    return found


def held_parts(node: cst.BaseExpression) -> tuple[cst.BaseExpression, ...]:
    """What a form of `HOLDERS` may be or holds: both arms of a choice (`a if c else b`,
    `a or b`), a walrus's value, the elements of a list, tuple or set, the values of a dict's
    entries (its `**spread` entries are the caller's to read); nothing for another form."""
    kind = type(node)
    if kind is cst.IfExp:
        choice = cast(cst.IfExp, node)
        return (choice.body, choice.orelse)
    if kind is cst.BooleanOperation:
        either = cast(cst.BooleanOperation, node)
        return (either.left, either.right)
    if kind is cst.NamedExpr:
        return (cast(cst.NamedExpr, node).value,)
    if kind is cst.List or kind is cst.Tuple or kind is cst.Set:
        held = cast("cst.List | cst.Tuple | cst.Set", node)
        return tuple(element.value for element in held.elements)
    if kind is cst.Dict:
        entries = cast(cst.Dict, node).elements
        return tuple(e.value for e in entries if type(e) is cst.DictElement)
    return ()


def items_handed_on(node: cst.BaseExpression) -> list[cst.Name | cst.Attribute]:
    """What iterating or unpacking `node` hands on (`for d in ...`, `f(*...)`, `f(**...)`):
    the items of a literal written there (`(MODELS,)`, `{"d": MODELS}`); none for a name
    or an attribute: iterating a dict gives its keys, and what a list holds was handed on
    where it was put in."""
    kind = type(node)
    return [] if kind is cst.Name or kind is cst.Attribute else handed_on(node)


class HandsOnDicts:
    """The visits that note what a statement hands on (`handed_on`, `items_handed_on`), for
    a walker of either evaluator (`binding.BindingCollector`, the project summarizer): each
    says with `_hand_one` what a handed-on name or attribute means to it."""

    def _hand_one(self, handed: cst.Name | cst.Attribute) -> None:
        raise NotImplementedError

    def _hand_on(self, node: cst.BaseExpression | None) -> None:
        """Note what `node` hands on: a dict handed on may be changed where no store under
        its name says so."""
        if node is None:
            return
        for handed in handed_on(node):
            self._hand_one(handed)

    def _hand_items(self, node: cst.BaseExpression) -> None:
        for handed in items_handed_on(node):
            self._hand_one(handed)

    def _hand_arg(self, arg: cst.Arg) -> None:
        """`f(d=MODELS)`, `f([MODELS])`; `f(*[MODELS])`, `f(**{"d": MODELS})` hand on what
        their literal holds (`items_handed_on`)."""
        if arg.star:
            self._hand_items(arg.value)
        else:
            self._hand_on(arg.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        value = node.value
        self._hand_on(value.item if isinstance(value, cst.From) else value)  # `yield from [x]`

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._hand_items(node.iter)  # `[... for d in (MODELS,)]`: each item is bound to `d`


def _stored_to(reading: DictReading, keys: frozenset[str]) -> DictReading:
    """A dict's reading once the code may have stored under `keys`: each of them present
    with an unknown value, or, not written in the literal, perhaps present; the reading is
    then not closed (as for a `**spread` that cannot be read, which may replace values)."""
    if not keys:
        return reading
    present = {
        key: _uncertain(entry) if key in keys else entry for key, entry in reading.present.items()
    }
    return DictReading(reading.node, reading.scope, present, False)


def is_dict_call(call: cst.Call, scope: Scope, resolver: Resolver) -> bool:
    """A call of the builtin `dict` (not shadowed by a name of the module)."""
    func = call.func
    if not isinstance(func, cst.Name) or func.value != "dict":
        return False
    return resolver.lookup("dict", scope) is None


class _Builder:
    """The keys read so far, in the order Python writes them."""

    def __init__(self) -> None:
        self.present: dict[object, DictEntry] = {}
        self.closed = True

    def write(self, entry: DictEntry) -> None:
        self.present[entry.key] = entry  # a key written again keeps its place, as in Python

    def unknown_write(self, *, spared: Sequence[object] = ()) -> None:
        """Something that may hold any key was written: every value so far may be replaced
        (except those of `spared`, keys Python forbids it to repeat)."""
        self.closed = False
        for key, entry in self.present.items():
            if key not in spared and entry.certain:
                self.present[key] = _uncertain(entry)

    def spread(self, inner: DictReading, *, spared: Sequence[object] = ()) -> None:
        if not inner.closed:
            self.unknown_write(spared=spared)
        for entry in inner.present.values():
            self.write(entry)

    def reading(self, node: cst.Dict | cst.Call, scope: Scope) -> DictReading:
        return DictReading(node, scope, dict(self.present), self.closed)


def _uncertain(entry: DictEntry) -> DictEntry:
    return DictEntry(entry.key, entry.key_node, entry.value, entry.node, entry.scope, False)


def _read_literal(node: cst.Dict, scope: Scope, resolver: Resolver, depth: int) -> DictReading:
    built = _Builder()
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            key = _key(element.key, scope, resolver)
            if key is UNKNOWN:
                built.unknown_write()
            else:
                built.write(DictEntry(key, element.key, element.value, element, scope))
            continue
        inner = read_spread(element.value, scope, resolver, depth + 1)
        if inner is None:
            built.unknown_write()
        else:
            built.spread(inner)
    return built.reading(node, scope)


def _read_dict_call(node: cst.Call, scope: Scope, resolver: Resolver, depth: int) -> DictReading:
    built = _Builder()
    named = [arg.keyword.value for arg in node.args if arg.keyword is not None]
    for arg in node.args:
        if arg.keyword is not None:
            built.write(DictEntry(arg.keyword.value, arg.keyword, arg.value, arg, scope))
            continue
        inner = read_spread(arg.value, scope, resolver, depth + 1)
        if arg.star == "*" or inner is None:
            # `dict(*x)` or a spread that cannot be read: keywords stay certain (Python
            # rejects a repeated keyword), other keys may be anything.
            built.unknown_write(spared=named)
        elif arg.star == "**":
            built.spread(inner, spared=named)
        else:
            built.spread(inner)
    return built.reading(node, scope)


def _key(node: cst.BaseExpression, scope: Scope, resolver: Resolver) -> object:
    """The key's value, or UNKNOWN when it cannot be evaluated or is not hashable."""
    key = resolver.evaluate(node, scope)
    try:
        hash(key)
    except TypeError:
        return UNKNOWN
    return key
