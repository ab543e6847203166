"""WB207: parameters that need another one the request does not pass."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import UNKNOWN, Request
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, ReportsOnce
from lint_wb.rules.params import shown


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
        yield from self._top_logprobs(request)
        yield from self._tool_choice(request)
        yield from self._stream_options(request)

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

    def _top_logprobs(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("top_logprobs")
        value = self._given(request, "top_logprobs")
        logprobs = self._given(request, "logprobs")
        if keyword is None or value is None or value is UNKNOWN or logprobs in (True, UNKNOWN):
            return
        found = "without logprobs" if logprobs is None else f"with logprobs={logprobs!r}"
        yield from self.once(
            keyword.node,
            f"{shown('top_logprobs', value)} {found}: the server rejects top_logprobs unless "
            "logprobs=True. Pass logprobs=True, or drop top_logprobs",
        )

    def _tool_choice(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("tool_choice")
        value = self._given(request, "tool_choice")
        if keyword is None or value is None or value is UNKNOWN or value == "none":
            return
        if self._given(request, "tools") is not None:
            return
        choice = f"tool_choice={value!r}" if isinstance(value, str) else "tool_choice"
        yield from self.once(
            keyword.node,
            f"{choice} without tools: the server rejects a tool choice when no tools are "
            "given. Pass tools=[...], or drop tool_choice",
        )

    def _stream_options(self, request: Request) -> Iterator[Report]:
        keyword = request.arguments.get("stream_options")
        value = self._given(request, "stream_options")
        if keyword is None or value is None or value is UNKNOWN or request.method == "stream":
            return
        if request.method != "create":
            message = (
                f"stream_options on chat.completions.{request.method}(), which does not stream: "
                "the server rejects stream_options without streaming. Use "
                "chat.completions.stream(...), or drop stream_options"
            )
        else:
            stream = self._given(request, "stream")
            if stream in (True, UNKNOWN):
                return
            found = "without stream=True" if stream is None else f"with stream={stream!r}"
            message = (
                f"stream_options {found}: the server rejects stream_options unless the "
                "response is streamed. Pass stream=True, or drop stream_options"
            )
        yield from self.once(keyword.node, message)
