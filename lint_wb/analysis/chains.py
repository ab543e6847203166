"""Reading a call's function as a receiver and an attribute path.

`client.with_options(timeout=5).chat.completions.with_raw_response.create` is the receiver
`client` and the path `chat.completions.create`: `with_options(...)`,
`with_raw_response` and `with_streaming_response` change how a request is sent, not where.
A `with_options(...)` given a keyword that may change where (`base_url=`, a `**` spread) is
a receiver of its own: the new client it makes (`sdk_names.DERIVING_METHODS`).
"""

from __future__ import annotations

from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis.sdk_names import RETARGETING_KEYWORDS
from lint_wb.records import dataclass

WRAPPERS: Final = frozenset({"with_raw_response", "with_streaming_response"})


@dataclass(frozen=True)
class Chain:
    """`client.with_options(...).chat.completions.with_raw_response.create` taken apart."""

    base: cst.BaseExpression
    path: tuple[str, ...]
    method_name: cst.Name


def split_chains(func: cst.BaseExpression) -> list[Chain]:
    """Every way to read `func` as a receiver and an attribute path, innermost receiver first.

    `self.client.chat.completions.create` gives (`self`, client.chat.completions.create) and
    (`self.client`, chat.completions.create): the analysis takes the first receiver it knows.
    """
    if type(func) is not cst.Attribute:  # not `isinstance`: libcst's classes are ABCs
        return []
    method_name = func.attr
    links: list[tuple[str, cst.BaseExpression]] = []
    node: cst.BaseExpression = func
    while True:
        if type(node) is cst.Attribute:
            if node.attr.value not in WRAPPERS:
                links.append((node.attr.value, node.value))
            node = node.value
        elif _is_with_options(node):
            assert isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            node = node.func.value
        else:
            break
    names = [name for name, _ in reversed(links)]
    receivers = [_unwrap(receiver) for _, receiver in reversed(links)]
    return [
        Chain(receiver, tuple(names[index:]), method_name)
        for index, receiver in enumerate(receivers)
    ]


def _unwrap(node: cst.BaseExpression) -> cst.BaseExpression:
    """`client.with_options(...).with_raw_response` -> `client`."""
    while True:
        if isinstance(node, cst.Attribute) and node.attr.value in WRAPPERS:
            node = node.value
        elif _is_with_options(node):
            assert isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            node = node.func.value
        else:
            return node


def _is_with_options(node: cst.BaseExpression) -> bool:
    """`x.with_options(...)` that keeps `x`'s target (see the module's docstring)."""
    return (
        type(node) is cst.Call
        and type(node.func) is cst.Attribute
        and node.func.attr.value == "with_options"
        and not any(
            arg.star or (arg.keyword is not None and arg.keyword.value in RETARGETING_KEYWORDS)
            for arg in node.args
        )
    )
