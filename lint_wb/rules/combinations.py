"""WB207: parameters that need another one the request does not pass."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Request
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, ReportsOnce
from lint_wb.rules.params import accepted_keywords
from lint_wb.spec.shapes_types import Dependency


class InconsistentParameters(ReportsOnce):
    """A parameter that needs another one the request does not pass.

    ## What it does
    Flags `top_logprobs` without `logprobs=True`, `tool_choice` without `tools`, and
    `stream_options` on a request that does not stream (no `stream=True`, or `parse()`).
    Only values written in the code count: when `logprobs`, `tools` or `stream` comes from an
    expression lint-wb cannot resolve, or a `**` spread may hide it, nothing is reported.

    ## Why is this bad?
    The server validates the combination and answers with 400: `top_logprobs` is defined only
    with `logprobs`, `tool_choice` names a choice among `tools`, and `stream_options` only
    applies to a streamed response.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, top_logprobs=5)
    ```
    Use instead:
    ```python
    client.chat.completions.create(
        model=MODEL, messages=messages, logprobs=True, top_logprobs=5
    )
    ```

    ## Fix safety
    No fix: whether to add the missing parameter or drop the dependent one is the user's call.
    """

    code = "WB207"
    name = "inconsistent-parameters"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        if not request.arguments.complete:
            return
        for dependency in self.spec.api.shapes.dependencies:
            yield from self._dependency(request, dependency)

    def _given(self, request: Request, name: str) -> object:
        """The keyword's value; None when absent, UNKNOWN when it cannot be resolved."""
        keyword = request.arguments.get(name)
        if keyword is None:
            return None
        value = self.value(keyword, request.scope)
        if value is UNKNOWN:
            node = self.resolver.resolve(keyword.value, request.scope)
            if isinstance(node, (cst.Dict, cst.List)):
                return node  # a literal whose contents are unknown is still given
        return value

    def _dependency(self, request: Request, dependency: Dependency) -> Iterator[Report]:
        name, needs = dependency.parameter, dependency.needs
        keyword = request.arguments.get(name)
        value = self._given(request, name)
        if keyword is None or value is None or value is UNKNOWN or value in dependency.unless:
            return
        if needs not in accepted_keywords(self.spec.api, request.method):
            message = self._method_message(request, dependency)
            if message is not None:
                yield from self.once(keyword.node, message)
            return
        given = self._given(request, needs)
        wanted = dependency.needs_value
        if given is UNKNOWN or (given is not None and (wanted is None or given == wanted)):
            return
        if wanted is None:
            message = (
                f"{_shown(name, value)} without {needs}: the server rejects {name} unless "
                f"{needs} is given. Pass {needs}=..., or drop {name}"
            )
        else:
            found = f"without {needs}" if given is None else f"with {needs}={given!r}"
            message = (
                f"{_shown(name, value)} {found}: the server rejects {name} unless "
                f"{needs}={wanted!r}. Pass {needs}={wanted!r}, or drop {name}"
            )
        yield from self.once(keyword.node, message)

    @staticmethod
    def _method_message(request: Request, dependency: Dependency) -> str | None:
        """For a method that does not take the needed keyword: `stream()` streams already
        (stream=True is implied), `parse()` cannot stream at all."""
        name, needs = dependency.parameter, dependency.needs
        if request.method == needs and dependency.needs_value is True:
            return None
        return (
            f"{name} on chat.completions.{request.method}(), which takes no {needs}: the "
            f"server rejects {name} without {needs}={dependency.needs_value!r}. Use "
            f"chat.completions.create(..., {needs}={dependency.needs_value!r}), or drop {name}"
        )


def _shown(name: str, value: object) -> str:
    """`name=value` for a plain value, else just the name, for messages."""
    plain = isinstance(value, (str, int, float, bool))
    return f"{name}={value!r}" if plain else name
