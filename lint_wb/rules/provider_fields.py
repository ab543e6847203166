"""WB201 inside `extra_body`: request body fields only another provider takes (OpenRouter's
`provider`, `transforms`, `models`), which code ported to W&B still sends.

Every such field of one literal `extra_body={...}` is removed by one fix, which each finding
of that dict carries; the `extra_body=` goes with its last entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import Request, Resolver
from lint_wb.analysis.dicts import read_dict
from lint_wb.records import dataclass
from lint_wb.rules.base import FixProposal, Replacement, unsafe_fix
from lint_wb.rules.edits import without_arg
from lint_wb.spec.porting_types import ProviderField


@dataclass(frozen=True)
class FieldUse:
    """A provider's field found in a request's extra_body, with the fix that drops it."""

    field: ProviderField
    element: cst.DictElement
    fix: FixProposal | None


def provider_fields_in_extra_body(
    request: Request, fields: dict[str, ProviderField], resolver: Resolver
) -> Iterator[FieldUse]:
    keyword = request.arguments.get("extra_body")
    if keyword is None or keyword.arg is None or not isinstance(keyword.value, cst.Dict):
        return
    call = keyword.call if keyword.call is not None else request.node
    found: list[tuple[ProviderField, cst.DictElement]] = []
    extra_body = read_dict(keyword.value, request.scope, resolver)
    written = keyword.value.elements
    for key, entry in extra_body.string_keys() if extra_body is not None else ():
        element = entry.node
        here = isinstance(element, cst.DictElement) and any(element is e for e in written)
        if key in fields and here and isinstance(element, cst.DictElement):
            found.append((fields[key], element))
    if not found:
        return
    fix = _removal(call, keyword.arg, keyword.value, [e for _, e in found])
    for field, element in found:
        yield FieldUse(field, element, fix)


def _removal(
    call: cst.Call, arg: cst.Arg, node: cst.Dict, removed: list[cst.DictElement]
) -> FixProposal:
    names = ", ".join(
        repr(e.key.evaluated_value) if isinstance(e.key, cst.SimpleString) else "a field"
        for e in removed
    )
    kept = [e for e in node.elements if not any(e is gone for gone in removed)]
    if not kept:
        gone = Replacement(call, without_arg(call, arg))
        return unsafe_fix(f"Remove extra_body ({names})", gone)
    if node.elements[-1] is not kept[-1]:
        kept[-1] = kept[-1].with_changes(comma=node.elements[-1].comma)
    new = node.with_changes(elements=kept)
    return unsafe_fix(f"Remove {names} from extra_body", Replacement(node, new))
