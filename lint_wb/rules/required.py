"""WB208: a request without `model` or without `messages`."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb.analysis import Request
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, Rule


class MissingRequiredArgument(Rule):
    """A request without `model` or without `messages`.

    ## What it does
    Flags an OpenAI SDK chat request (`chat.completions.create`, `parse`, `stream`; not a
    library's call site such as `ChatOpenAI(...)`) that passes no `model` or no `messages`,
    neither as a keyword nor inside a `**` dict lint-wb can read.
    When a `**` spread (or a `*` one) could supply the argument, nothing is reported.

    ## Why is this bad?
    Both are required keyword-only arguments of the OpenAI SDK's request methods: the call
    raises `TypeError: ... missing 1 required keyword-only argument` before anything is
    sent, the first time the line runs.

    ## Example
    ```python
    client.chat.completions.create(model="openai/gpt-oss-120b")
    ```
    Use instead:
    ```python
    client.chat.completions.create(
        model="openai/gpt-oss-120b", messages=[{"role": "user", "content": "Hi"}]
    )
    ```

    ## Fix safety
    No fix: only the author knows which model or which messages were meant.
    """

    code = "WB208"
    name = "missing-required-argument"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        if request.library is not None:
            return  # a library's call site: the library supplies what it sends
        if not request.arguments.complete or _has_star_args(request):
            return
        required = [n for n, p in self.spec.api.parameters.items() if p.status == "required"]
        missing = [name for name in required if name not in request.arguments]
        if not missing:
            return
        names = " and ".join(missing)
        plural = "arguments" if len(missing) > 1 else "argument"
        yield self.report(
            request.node,
            f"chat.completions.{request.method}() without {names}: the OpenAI SDK raises "
            f"TypeError (missing required keyword-only {plural}) before sending anything. "
            f"Pass {', '.join(f'{name}=...' for name in missing)}",
        )


def _has_star_args(request: Request) -> bool:
    return any(arg.star == "*" for arg in request.node.args)
