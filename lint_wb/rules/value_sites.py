"""The values a request sends that the WB3xx rules check, and what the data allows for each.

A site is a keyword of a request, an entry of a dict-valued parameter with a `value_range`
(logit_bias), or an extra_body-honoured entry of a literal `extra_body={...}`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import ModuleFacts, Request, Resolver
from lint_wb.analysis.dicts import read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.records import dataclass
from lint_wb.spec import ApiSpec, Parameter, Range, ValueType

EXTRA_BODY: Final = "extra_body"
"""The SDK keyword whose dict is merged into the request body."""
SCALAR_TYPES: Final = frozenset({"number", "integer", "boolean", "string", "string-list"})
"""WB302 checks parameters that take one of these; the shape of a list or dict parameter
(messages, tools, response_format) is other rules' business."""


@dataclass(frozen=True)
class Site:
    """One value W&B receives, with what the data says it must be."""

    label: str
    """How messages name it: `temperature`, `logit_bias['50256']`."""
    node: cst.BaseExpression
    """The value expression as written: where the finding points, and what a fix rewrites."""
    value: object
    types: tuple[ValueType, ...]
    """The types it may have; empty: any (the entries of logit_bias)."""
    range: Range | None
    choices: tuple[str, ...]
    rewritable: bool
    """Whether a fix may rewrite `node`: False for a value in a dict bound to a name."""

    @classmethod
    def of(
        cls,
        label: str,
        node: cst.BaseExpression,
        value: object,
        parameter: Parameter,
        rewritable: bool,
    ) -> Site:
        return cls(
            label, node, value, parameter.types, parameter.range, parameter.choices, rewritable
        )


def value_sites(request: Request, api: ApiSpec, resolver: Resolver) -> Iterator[Site]:
    in_call = _spread_in_call(request.node)
    for name, keyword in request.arguments.keywords.items():
        parameter = api.parameters.get(name)
        if parameter is None or not keyword.certain:
            continue
        written_here = keyword.is_direct or keyword.in_partial or keyword.value in in_call
        if is_scalar(parameter):
            value = resolver.evaluate(keyword.value, request.scope)
            node = origin(keyword.value, request.scope, resolver)
            yield Site.of(name, node, value, parameter, written_here and node is keyword.value)
        if parameter.value_range is None and name != EXTRA_BODY:
            continue
        entries = _dict_entries(keyword.value, request.scope, resolver, written_here)
        for key, node, entry_value, rewritable in entries:
            if parameter.value_range is not None:
                label = f"{name}[{key!r}]"
                yield Site(label, node, entry_value, (), parameter.value_range, (), rewritable)
                continue
            honoured = api.parameters.get(key) if isinstance(key, str) else None
            if honoured is not None and honoured.status == "extra-body":
                yield Site.of(honoured.name, node, entry_value, honoured, rewritable)


def is_scalar(parameter: Parameter) -> bool:
    """Whether the WB3xx rules check the parameter's value (not a list or dict shape)."""
    return bool(SCALAR_TYPES.intersection(parameter.types) or parameter.range or parameter.choices)


def origin(node: cst.BaseExpression, scope: Scope, resolver: Resolver) -> cst.BaseExpression:
    """Where a value is written: the literal a name bound once stands for, else `node`.
    Findings about a value point there (SPEC §2), however many requests send it; so does
    a strip of a literal (`values.Resolver.value_place`), as the project index places it."""
    place, literal = resolver.value_place(node, scope)
    if literal is not None or place is not node or not isinstance(node, cst.Name):
        return place
    resolved = resolver.resolve(node, scope)
    literals = (cst.SimpleString, cst.Integer, cst.Float, cst.UnaryOperation)
    is_constant = isinstance(resolved, cst.Name) and resolved.value in ("True", "False")
    return resolved if isinstance(resolved, literals) or is_constant else node


def indexed_sites(facts: ModuleFacts, api: ApiSpec) -> Iterator[tuple[Site, str]]:
    """The literals of this module that W&B requests elsewhere in the project send as a
    checked parameter (`project/`), each with the request that sends it. They are reported
    here, without a fix: other code may share them."""
    for use in facts.value_uses:
        parameter = api.parameters.get(use.parameter)
        if parameter is not None and is_scalar(parameter):
            yield Site.of(use.parameter, use.node, use.value, parameter, False), use.request


def _spread_in_call(call: cst.Call) -> set[cst.BaseExpression]:
    """The values of `**{...}` and `**dict(...)` written in the call itself: a fix may rewrite
    them, unlike those of a dict bound to a name (which other code may share)."""
    values: set[cst.BaseExpression] = set()
    for arg in call.args:
        if arg.star != "**":
            continue
        if isinstance(arg.value, cst.Dict):
            values.update(e.value for e in arg.value.elements if isinstance(e, cst.DictElement))
        elif isinstance(arg.value, cst.Call):
            values.update(inner.value for inner in arg.value.args if inner.keyword is not None)
    return values


def _dict_entries(
    node: cst.BaseExpression, scope: Scope, resolver: Resolver, written_here: bool
) -> list[tuple[object, cst.BaseExpression, object, bool]]:
    """(key, value node, value, rewritable) for each entry of the dict `node` stands for
    whose value is certain (see `analysis/dicts.py`). Rewritable when the entry is written in
    a dict literal written in the call."""
    reading = read_dict(node, scope, resolver)
    if reading is None:
        return []
    here = written_here and reading.node is node
    entries: list[tuple[object, cst.BaseExpression, object, bool]] = []
    for key, entry in reading.entries.items():
        if not isinstance(key, (str, int)):
            continue
        rewritable = here and any(entry.node is written for written in _entries_of(reading.node))
        value = resolver.evaluate(entry.value, entry.scope)
        entries.append((key, entry.value, value, rewritable))
    return entries


def _entries_of(node: cst.Dict | cst.Call) -> Sequence[cst.BaseDictElement | cst.Arg]:
    """The entries written in a dict literal or a `dict(...)` call itself."""
    return node.elements if isinstance(node, cst.Dict) else node.args


# --------------------------------------------------------------------------------------------
# What a value is, and what the data allows


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def has_type(value: object, types: tuple[ValueType, ...]) -> bool:
    """Whether `value` is one of `types` (any type when `types` is empty). A bool is not a
    number or an integer here: JSON sends `true`, which W&B rejects for a number."""
    return not types or any(_is_type(value, kind) for kind in types)


def _is_type(value: object, kind: ValueType) -> bool:
    if kind == "number":
        return is_number(value)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, (list, tuple))
    return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)


def in_range(value: float, bounds: Range) -> bool:
    low, high = bounds.minimum, bounds.maximum
    above = low is None or value > low or (value == low and not bounds.exclusive_minimum)
    below = high is None or value < high or (value == high and not bounds.exclusive_maximum)
    return above and below


def allowed(value: object, site: Site) -> bool:
    """Whether a value of the right type is inside the site's range and choices."""
    if site.range is not None and is_number(value):
        assert isinstance(value, (int, float))
        return in_range(value, site.range)
    return not (site.choices and isinstance(value, str) and value not in site.choices)


def bound_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def describe_range(label: str, bounds: Range) -> str:
    """`0 <= temperature <= 2`, `0 < top_p <= 1`, `n >= 1`."""
    low, high = bounds.minimum, bounds.maximum
    low_op = "<" if bounds.exclusive_minimum else "<="
    high_op = "<" if bounds.exclusive_maximum else "<="
    if low is not None and high is not None:
        return f"{bound_text(low)} {low_op} {label} {high_op} {bound_text(high)}"
    if low is not None:
        return f"{label} {low_op.replace('<', '>')} {bound_text(low)}"
    if high is not None:
        return f"{label} {high_op} {bound_text(high)}"
    return f"any {label}"


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def with_parens_of(old: cst.BaseExpression, new: cst.BaseExpression) -> cst.BaseExpression:
    """`new` in the parentheses `old` was written in."""
    return new.with_changes(lpar=old.lpar, rpar=old.rpar)


def number_literal(node: cst.BaseExpression, *, floats_only: bool = False) -> bool:
    """Whether `node` is a number written as a literal: `3`, `2.5`, `-3`."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression
    return isinstance(node, cst.Float) or (not floats_only and isinstance(node, cst.Integer))
