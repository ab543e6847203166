"""WB208: a request without `model` or without `messages`."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb.analysis import Request
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, Rule
from lint_wb.spec.library_types import LibraryCallable


class MissingRequiredArgument(Rule):
    """A request without `model` or without `messages`.

    ## What it does
    Flags an OpenAI SDK chat request (`chat.completions.create`, `parse`, `stream`; not a
    library's call site such as `ChatOpenAI(...)`) that passes no `model` or no `messages`,
    neither as a keyword nor inside a `**` dict lint-wb can read.
    When a `**` spread (or a `*` one) could supply the argument, nothing is reported.
    Also flags LangChain's `init_chat_model` given its model only as `model_name=` (the
    name ChatOpenAI takes): init_chat_model reads the model from `model` (or its first
    argument) only.

    ## Why is this bad?
    Both are required keyword-only arguments of the OpenAI SDK's request methods: the call
    raises `TypeError: ... missing 1 required keyword-only argument` before anything is
    sent, the first time the line runs. `init_chat_model(model_name=...)` returns a
    configurable model whose first use raises `TypeError` (missing `model`); given a model
    at run time (`config={"configurable": {"model": ...}}`), it ignores `model_name`.

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
    No fix: only the author knows which model or which messages were meant (and whether
    an `init_chat_model(model_name=...)` is meant to take its model at run time).
    """

    code = "WB208"
    name = "missing-required-argument"
    severity = Severity.ERROR

    def check_request(self, request: Request) -> Iterator[Report]:
        if request.library is not None:
            # A library's call site: the library supplies what it sends, unless the model is
            # given only under a keyword that never is the model.
            yield from self._misnamed_model(request, request.library.row)
            return
        elsewhere = request.passed_elsewhere
        if not (request.arguments.complete or elsewhere is not None) or _has_star_args(request):
            return
        required = [n for n, p in self.spec.api.parameters.items() if p.status == "required"]
        given = (*request.arguments.keywords, *(elsewhere or ()))
        missing = [name for name in required if name not in given]
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

    def _misnamed_model(self, request: Request, row: LibraryCallable) -> Iterator[Report]:
        """init_chat_model(model_name=...): LangChain reads its model from `model` only."""
        arguments = request.client.arguments  # every keyword of the call, not only fields
        if "model" in request.arguments or not arguments.complete or _has_star_args(request):
            return
        given = next((arguments.get(name) for name in row.not_model if name in arguments), None)
        if given is None or given.arg is None:
            return
        model = row.model[0]
        message = (
            f"{row.library}'s {row.label} is given {given.name}=, which is not its model: it "
            f"reads the model from {model}= only. Given none, it returns a configurable model "
            f"whose first use raises TypeError (missing '{model}'), and one given at run time "
            f"ignores {given.name}=. Pass it as {model}="
        )
        yield self.report(given.arg, message)


def _has_star_args(request: Request) -> bool:
    return any(arg.star == "*" for arg in request.node.args)
