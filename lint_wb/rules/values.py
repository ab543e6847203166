"""WB3xx: literal values W&B rejects: out of range (WB301) or of the wrong type (WB302).

The ranges, types and choices are data (`spec.api.parameters`); this module only reads
them. Both rules walk the same value sites: each keyword of a request, each entry of a
dict-valued parameter with a `value_range` (logit_bias), and each extra_body-honoured entry
of a literal `extra_body={...}`. A site of the wrong type is WB302's; WB301 looks only at
values of the right type, so one value is never reported twice. The sites, and the helpers
both rules share, are in `value_sites.py`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, ModuleFacts, Request
from lint_wb.findings import Severity
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    safe_fix,
    unsafe_fix,
)
from lint_wb.rules.edits import number_like
from lint_wb.rules.model_use import EFFORT_PARAMETER, own_effort_values
from lint_wb.rules.value_sites import (
    SCALAR_TYPES,
    Site,
    allowed,
    bound_text,
    describe_range,
    has_type,
    indexed_sites,
    number_literal,
    shown,
    value_sites,
    with_parens_of,
)
from lint_wb.spec import Range, ValueType

NUMBER_TEXT: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
INTEGER_TEXT: Final = re.compile(r"[+-]?\d+")
BOOL_TEXT: Final = {"true": True, "false": False}
TYPE_PHRASES: Final[dict[ValueType, str]] = {
    "number": "a number",
    "integer": "an integer",
    "boolean": "True or False",
    "string": "a string",
    "list": "a list",
    "dict": "a dict",
    "string-list": "a list of strings",
}


class _ValueRule(ReportsOnce):
    """A value shared by several requests (a `**PARAMS` dict) is reported once."""

    def check_request(self, request: Request) -> Iterator[Report]:
        for site in self._sites(request):
            report = self.check_site(site)
            if report is not None and self.first_time(site.node):
                yield report

    def _sites(self, request: Request) -> tuple[Site, ...]:
        """The request's sites with a known value, read once per module and shared by both
        rules (`RuleContext.readings`)."""
        key = ("value sites", request.node, id(request))
        found = self.context.readings.get(key)
        if not isinstance(found, tuple):
            found = self.context.readings[key] = tuple(self._read_sites(request))
        return found

    def _read_sites(self, request: Request) -> Iterator[Site]:
        resolver = self.context.facts.resolver
        own_efforts = own_effort_values(self.spec.models, resolver, request)
        for site in value_sites(request, self.spec.api, resolver):
            if site.value is UNKNOWN or site.value is None:
                continue
            if own_efforts is not None and site.label == EFFORT_PARAMETER:
                site = dataclasses.replace(site, choices=())  # the model's own values: WB203
            yield site

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        for site, request in indexed_sites(facts, self.spec.api):
            if site.value is None:
                continue
            report = self.check_site(site)
            if report is not None and self.first_time(site.node):
                message = f"{report.message} (sent by the request in {request})"
                yield dataclasses.replace(report, message=message)

    def check_site(self, site: Site) -> Report | None:
        raise NotImplementedError


class ValueOutOfRange(_ValueRule):
    """A literal value outside the range W&B accepts.

    ## What it does
    Flags a value W&B rejects although its type is right: `temperature` outside 0 to 2,
    `top_p` outside (0, 1], `frequency_penalty` / `presence_penalty` outside -2 to 2, `n`,
    `max_tokens` or `max_completion_tokens` below 1, `top_logprobs` outside 0 to 20, a
    `logit_bias` value outside -100 to 100, a `reasoning_effort` other than low / medium /
    high (unless the model snapshot lists the model's own values: WB203 checks those), a
    `tool_choice` string other than none / auto / required, and, inside
    `extra_body={...}`, `top_k` below -1, `min_p` outside 0 to 1 or a `repetition_penalty`
    that is not above 0. Values are followed through constants and `**{...}` spreads; the
    ranges and choices come from the bundled W&B data. A value of the wrong type is WB302's.

    ## Why is this bad?
    W&B validates these values and answers the whole request with HTTP 422.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, temperature=3)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, temperature=2)
    ```

    ## Fix safety
    Unsafe: the fix clamps a number written in the call to the nearest bound (`3` -> `2`,
    `-3` -> `-2`, `2.5` -> `2.0`), which changes what the model is asked to do; a number
    written in the `functools.partial(client.chat.completions.create, ...)` the request is
    made through is clamped there (every call through it sends it to that client). There is
    no fix for an exclusive bound (`top_p=0`), for a string choice, or for a value not
    written in the call (a constant, or an entry of a dict bound to a name, which other code
    may share; a partial of LiteLLM's `completion`, which a call may send elsewhere).
    """

    code = "WB301"
    name = "value-out-of-range"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def check_site(self, site: Site) -> Report | None:
        if not has_type(site.value, site.types) or allowed(site.value, site):
            return None
        if site.range is not None:
            assert isinstance(site.value, (int, float))
            return self._number(site, site.value, site.range)
        assert isinstance(site.value, str)
        return self._choice(site, site.value)

    def _number(self, site: Site, value: float, bounds: Range) -> Report:
        limits = describe_range(site.label, bounds)
        nearest = _nearest_bound(value, bounds)
        advice = f"Use a value with {limits}"
        if nearest is not None:
            advice = f"The nearest allowed value is {bound_text(nearest)}"
        message = (
            f"{site.label}={shown(value)} is out of range: W&B accepts {limits} and answers "
            f"anything else with 422. {advice}"
        )
        return self.report(site.node, message, _clamp_fix(site, nearest))

    def _choice(self, site: Site, value: str) -> Report:
        choices = site.choices
        listed = ", ".join(repr(choice) for choice in choices)
        same_case = [choice for choice in choices if choice.lower() == value.strip().lower()]
        advice = f"Did you mean {same_case[0]!r}?" if same_case else "Use one of those"
        message = (
            f"{site.label}={shown(value)} is not accepted: W&B allows only {listed} and "
            f"answers anything else with 422. {advice}"
        )
        return self.report(site.node, message)


def _nearest_bound(value: float, bounds: Range) -> float | None:
    """The bound a value out of range is nearest to, when that bound is itself allowed."""
    if bounds.minimum is not None and value <= bounds.minimum:
        return None if bounds.exclusive_minimum else bounds.minimum
    if bounds.maximum is not None and value >= bounds.maximum:
        return None if bounds.exclusive_maximum else bounds.maximum
    return None


def _clamp_fix(site: Site, nearest: float | None) -> FixProposal | None:
    if nearest is None or not site.rewritable or not number_literal(site.node):
        return None
    new = with_parens_of(site.node, number_like(site.node, nearest))
    return unsafe_fix(f"Clamp to {bound_text(nearest)}", Replacement(site.node, new))


class WrongValueType(_ValueRule):
    """A literal value of a type W&B does not accept.

    ## What it does
    Flags a value of the wrong JSON type for its parameter: a number in a string
    (`temperature="0.7"`), a float where an integer is required (`max_tokens=512.0`,
    `seed=1.5`), a bool in a string (`stream="true"`), a bool where a number is required
    (`n=True`: a bool is not an integer here), `stop=5`. Values are followed through
    constants and `**{...}` spreads; the types come from the bundled W&B data.

    ## Why is this bad?
    The SDK does not check types; it sends the value as written (`"0.7"`, `512.0`, `true`),
    and W&B answers the whole request with HTTP 422.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, temperature="0.7")
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, temperature=0.7)
    ```

    ## Fix safety
    Safe: a string literal holding a number becomes that number (`"0.7"` -> `0.7`, `"512"`
    -> `512` for an integer parameter), `"true"` / `"false"` in any case become `True` /
    `False`, and a float with no fractional part becomes the integer of exactly the same
    value where an integer is required (`512.0` -> `512`). The fix is offered only when the
    literal is written in the call (or in the `functools.partial` of a client's
    `chat.completions.create` the request is made through, as for WB301) and the new value
    is in range. A value that is not a whole number (`seed=1.5`) or a word (`"hot"`), or
    one not written in the call (a constant, an entry of a dict bound to a name), is
    reported without a fix.
    """

    code = "WB302"
    name = "wrong-value-type"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_site(self, site: Site) -> Report | None:
        types = site.types
        if not SCALAR_TYPES.intersection(types) or has_type(site.value, types):
            return None
        expected = " or ".join(TYPE_PHRASES[kind] for kind in types)
        if site.range is not None:
            expected += f" ({describe_range(site.label, site.range)})"
        fix = _conversion_fix(site)
        advice = f"Write {_code(fix)}" if fix is not None else f"Pass {expected}"
        message = (
            f"{site.label}={shown(site.value)} is {_kind(site.value)}, but W&B expects "
            f"{expected} and answers anything else with 422. {advice}"
        )
        return self.report(site.node, message, fix)


def _kind(value: object) -> str:
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return "a list of strings"
    if isinstance(value, (list, tuple)):
        return "a list with a non-string item" if value else "an empty list"
    names = {bool: "a bool", int: "an int", float: "a float", str: "a string", dict: "a dict"}
    return names.get(type(value), f"a {type(value).__name__}")


def _code(fix: FixProposal) -> str:
    return cst.Module([]).code_for_node(fix.replacements[0].new)


def _conversion_fix(site: Site) -> FixProposal | None:
    """The literal of the right type holding the same value, if there is exactly one."""
    if not site.rewritable:
        return None
    new = _converted(site)
    if new is None:
        return None
    value, node = new
    if not has_type(value, site.types) or not allowed(value, site):
        return None  # the new value would be out of range: WB301's, and no longer certain
    new_node = with_parens_of(site.node, node)
    title = f"Replace with {cst.Module([]).code_for_node(node)}"
    return safe_fix(title, Replacement(site.node, new_node))


def _converted(site: Site) -> tuple[object, cst.BaseExpression] | None:
    value, node, types = site.value, site.node, site.types
    if isinstance(value, str) and isinstance(node, cst.SimpleString):
        text = value.strip()
        if "boolean" in types and text.lower() in BOOL_TEXT:
            flag = BOOL_TEXT[text.lower()]
            return flag, cst.Name(str(flag))
        number = _number_from_text(text, integer="integer" in types)
        if number is not None:
            kind = cst.Integer("0") if isinstance(number, int) else cst.Float("0.0")
            return number, number_like(kind, number)
    whole = isinstance(value, float) and value.is_integer()
    if whole and "integer" in types and number_literal(node, floats_only=True):
        assert isinstance(value, float)
        return int(value), number_like(node, int(value))
    return None


def _number_from_text(text: str, *, integer: bool) -> int | float | None:
    """The number a string spells (`"0.7"`, `"-1"`, `"1e3"`); for an integer parameter only a
    whole number, as an int."""
    if not NUMBER_TEXT.fullmatch(text):
        return None
    if INTEGER_TEXT.fullmatch(text):
        return int(text)
    number = float(text)
    if integer:
        return int(number) if number.is_integer() else None
    return number
