"""WB2xx: the keywords a request passes (WB201, WB202, WB206).

WB204 (response_format) is in response_format.py, WB205 (tools) in tools.py, WB207 in
combinations.py, and the extra_body move of WB202 in extra_body.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Final

from lint_wb.analysis import UNKNOWN, Keyword, LibraryUse, ModuleFacts, Request
from lint_wb.findings import Severity
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Report,
    ReportsOnce,
    safe_fix,
    unsafe_fix,
)
from lint_wb.rules.edits import remove_keyword, rename_keyword
from lint_wb.rules.extra_body import Move, MovePlan, plan_moves
from lint_wb.rules.provider_fields import provider_fields_in_extra_body
from lint_wb.spec import ApiSpec, ForeignParameter, bundled_libraries

OWNED_ELSEWHERE: Final = frozenset({"system"})
"""Keywords another rule explains better: Anthropic's `system=` is WB409's."""


def accepted_keywords(api: ApiSpec, method: str) -> frozenset[str]:
    """The keywords `chat.completions.<method>()` takes: parse() and stream() have no `stream`."""
    if method == "create":
        return api.sdk_create_parameters
    return api.sdk_create_parameters - {"stream"}


def shown(name: str, value: object) -> str:
    """`name=value` for a known value, else just the name, for messages."""
    return name if value is UNKNOWN else f"{name}={value!r}"


class UnsupportedParameter(ReportsOnce):
    """An OpenAI parameter that W&B Inference does not support.

    ## What it does
    Flags a keyword that the OpenAI SDK accepts but W&B Inference rejects: OpenAI platform
    features with no W&B counterpart (`store`, `metadata`, `service_tier`, `prediction`,
    `modalities`, `audio`, `web_search_options`, `verbosity`, `prompt_cache_key`,
    `prompt_cache_retention`, `prompt_cache_options`, `moderation`, `safety_identifier`).
    Also flags fields only another provider takes, sent in a literal `extra_body={...}`
    (OpenRouter's `provider`, `transforms`, `models`, `route`; Groq's `reasoning_format`).
    Keywords listed in `extra-parameters` are left alone.

    ## Why is this bad?
    The SDK sends the field and W&B answers the request with an error: code ported from
    OpenAI (or through OpenRouter) fails the first time it runs against W&B.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, store=True)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    Unsafe: removing the argument drops something the code asked for (stored completions,
    metadata, a service tier, a provider's routing), which the user may want to replace by
    other means. Keywords spread from a `**` dict are reported without a fix (a dict of
    another module that a request spreads, where its key is written); the provider
    fields of one `extra_body` dict are removed by one fix, with `extra_body=` when nothing
    else is left in it.
    """

    code = "WB201"
    name = "unsupported-parameter"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def check_request(self, request: Request) -> Iterator[Report]:
        extra = set(self.context.options.extra_parameters)
        for name, keyword in request.arguments.keywords.items():
            parameter = self.spec.api.parameters.get(name)
            if parameter is None or parameter.status != "unsupported" or name in extra:
                continue
            value = self.value(keyword, request.scope)
            message = (
                f"W&B Inference does not support {name!r} (an OpenAI platform feature) and "
                f"rejects the request: remove {shown(name, value)}"
            )
            removal = remove_keyword(keyword)
            fix = None if removal is None else unsafe_fix(f"Remove {name}=", removal)
            yield from self.once(keyword.node, message, fix)
        fields = self.spec.api.porting.provider_fields
        for use in provider_fields_in_extra_body(request, fields, self.resolver):
            message = (
                f"extra_body sends {use.field.name!r}, {use.field.meaning}: only "
                f"{use.field.provider} takes it, and W&B Inference rejects fields it does not "
                "know. Remove it"
            )
            yield from self.once(use.element, message, use.fix)

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """The keys of this module's dicts that W&B requests elsewhere spread (`**SAMPLING`)."""
        extra = set(self.context.options.extra_parameters)
        for node, use in facts.keyword_uses:
            parameter = self.spec.api.parameters.get(use.keyword)
            if parameter is None or parameter.status != "unsupported" or use.keyword in extra:
                continue
            message = (
                f"W&B Inference does not support {use.keyword!r} (an OpenAI platform feature) "
                f"and rejects the request: remove it (spread by the request in {use.request})"
            )
            yield from self.once(node, message)


class UnknownParameter(ReportsOnce):
    """A keyword the OpenAI SDK's chat request methods do not take.

    ## What it does
    Flags a keyword that `chat.completions.create()` (or `parse()` / `stream()`, which also
    refuse `stream=`) does not accept: parameters of the serving engine (`top_k`, `min_p`,
    `repetition_penalty`), W&B's own `extra_body` fields (`cache_salt`,
    `chat_template_kwargs`), other providers' names (`stop_sequences`, `max_output_tokens`,
    `max_tokens_to_sample`, `candidate_count`, Cohere's `p`/`k`...) and typos, with a
    did-you-mean. Keywords listed in `extra-parameters` are left alone.

    Through libraries: the entries of LangChain's `model_kwargs` and LlamaIndex's
    `additional_kwargs` (both passed to `create()` as keywords), and keywords the Agents
    SDK's `ModelSettings` dataclass does not take. instructor's own keywords
    (`response_model`, `max_retries`, `validation_context`, `context`, `strict`, `hooks`)
    are left alone on a client used through `instructor.from_openai` / `instructor.patch`.

    ## Why is this bad?
    The SDK's methods take keyword-only arguments and no `**kwargs`: any other keyword raises
    `TypeError` before a request is sent. Fields the SDK does not know go in `extra_body`.

    ## Example
    ```python
    client.chat.completions.create(
        model=MODEL, messages=messages, top_k=40, stop_sequences=["\\n\\n"]
    )
    ```
    Use instead:
    ```python
    client.chat.completions.create(
        model=MODEL, messages=messages, extra_body={"top_k": 40}, stop=["\\n\\n"]
    )
    ```
    With LangChain:
    ```python
    llm = ChatOpenAI(model=MODEL, base_url=WANDB_URL, model_kwargs={"top_k": 40})
    ```
    Use instead:
    ```python
    llm = ChatOpenAI(model=MODEL, base_url=WANDB_URL, extra_body={"top_k": 40})
    ```

    ## Fix safety
    Safe: a parameter W&B honours inside `extra_body` is moved there (into an `extra_body={...}`
    dict written in the call, or a new one), and another provider's synonym is renamed
    (`stop_sequences` to `stop`, `max_output_tokens` to `max_tokens`) when the target is not
    also given. No fix when `extra_body` is given as anything but a dict literal in the call,
    for keywords spread from a `**` dict (a dict of another module that a request spreads is
    reported where its key is written), or for names without a W&B counterpart. Unsafe:
    a field only another provider takes (Groq's `reasoning_format`, OpenRouter's `provider`,
    `transforms`, `models`) is removed, dropping what it asked that provider for.
    """

    code = "WB202"
    name = "unknown-parameter"
    severity = Severity.ERROR
    fix_safety = FixSafety.SOMETIMES

    def check_request(self, request: Request) -> Iterator[Report]:
        if request.library is not None:
            yield from self._library_keywords(request, request.library)
            return
        accepted = accepted_keywords(self.spec.api, request.method)
        skipped = accepted | set(self.context.options.extra_parameters) | OWNED_ELSEWHERE
        wrapper_keywords = bundled_libraries().wrapper_keywords
        if request.client.wrapper is not None:
            skipped |= wrapper_keywords  # instructor's own: never sent
        unknown = [kw for name, kw in request.arguments.keywords.items() if name not in skipped]
        moves = [Move(kw, key) for kw in unknown if (key := self._extra_body_key(kw.name))]
        # On another provider's SDK client, WB603's port moves them along with the client.
        movable = moves and request.client.sdk is None
        plan = plan_moves(request, moves, self.resolver) if movable else None
        for keyword in unknown:
            message, fix = self._finding(request, keyword, accepted, plan)
            yield from self.once(keyword.node, message, fix)

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """The keys of this module's dicts that W&B requests elsewhere spread (`**SAMPLING`):
        reported without a fix, since other code may share the dict."""
        extra = set(self.context.options.extra_parameters) | OWNED_ELSEWHERE
        for node, use in facts.keyword_uses:
            accepted = accepted_keywords(self.spec.api, use.method)
            if use.keyword in accepted or use.keyword in extra:
                continue
            if use.keyword == "stream":
                message = self._stream_message(use.method)
            else:
                fails = (
                    f"chat.completions.{use.method}() does not take {use.keyword!r}: the SDK "
                    "raises TypeError and sends nothing"
                )
                message = f"{fails}. {self._library_advice(use.keyword, accepted)}"
            yield from self.once(node, f"{message} (spread by the request in {use.request})")

    def _extra_body_key(self, name: str) -> str | None:
        foreign = self.spec.api.foreign_parameters.get(name)
        if foreign is not None:
            return foreign.extra_body_as
        parameter = self.spec.api.parameters.get(name)
        return name if parameter is not None and parameter.status == "extra-body" else None

    def _finding(
        self, request: Request, keyword: Keyword, accepted: frozenset[str], plan: MovePlan | None
    ) -> tuple[str, FixProposal | None]:
        name = keyword.name
        where = f"chat.completions.{request.method}()"
        fails = f"{where} does not take {name!r}: the SDK raises TypeError and sends nothing"
        if request.client.sdk is not None:
            fails = (
                f"The OpenAI SDK that {request.client.sdk.provider}'s client is ported to "
                f"(WB603) does not take {name!r} in {where}: it raises TypeError"
            )
        if name == "stream":
            return self._stream_message(request.method), None
        if name in bundled_libraries().wrapper_keywords:
            advice = "use the client through instructor.from_openai(client)"
            return f"{fails}. {name!r} is instructor's keyword: {advice}", None
        key = self._extra_body_key(name)
        if key is not None:
            fix = plan.fix if plan is not None and name in plan.moved else None
            return f"{fails}. W&B reads it inside extra_body: pass extra_body={{{key!r}: ...}}", fix
        field = self.spec.api.porting.provider_fields.get(name)
        if field is not None and request.client.sdk is None:
            message = (
                f"{fails}: it is {field.meaning}, which only {field.provider} takes; W&B has "
                "no counterpart. Remove it"
            )
            removal = remove_keyword(keyword)
            return message, None if removal is None else unsafe_fix(f"Remove {name}=", removal)
        foreign = self.spec.api.foreign_parameters.get(name)
        if foreign is not None:
            return self._foreign(request, keyword, foreign, fails)
        close = difflib.get_close_matches(name, sorted(accepted), n=1)
        if close:
            return f"{fails}. Did you mean {close[0]!r}?", None
        return f"{fails}. Remove it, or pass it inside extra_body={{...}} if W&B takes it", None

    def _library_keywords(self, request: Request, use: LibraryUse) -> Iterator[Report]:
        """Keywords a library hands to a callable that does not take them: the entries of
        LangChain's `model_kwargs` (passed to the SDK's `create()`), or a keyword of the
        Agents SDK's `ModelSettings` dataclass."""
        accepted = accepted_keywords(self.spec.api, "create")
        extra = set(self.context.options.extra_parameters)
        passed_as = use.row.sdk_keywords[0] if use.row.sdk_keywords else ""
        for name in sorted(use.sdk_keywords - accepted - extra):
            keyword = request.arguments.keywords[name]
            fails = (
                f"{use.label} passes {passed_as}={{{name!r}: ...}} to the OpenAI SDK's "
                f"create() as a keyword, which it does not take: TypeError, nothing is sent"
            )
            yield from self.once(keyword.node, f"{fails}. {self._library_advice(name, accepted)}")
        for keyword in use.rejected:
            if keyword.name in extra:
                continue
            fails = f"{use.rejected_by} does not take {keyword.name!r}: TypeError when it is built"
            advice = self._library_advice(keyword.name, accepted)
            yield from self.once(keyword.node, f"{fails}. {advice}")

    def _library_advice(self, name: str, accepted: frozenset[str]) -> str:
        key = self._extra_body_key(name)
        if key is not None:
            return f"W&B reads it inside extra_body: pass extra_body={{{key!r}: ...}}"
        foreign = self.spec.api.foreign_parameters.get(name)
        if foreign is not None and foreign.rename_to is not None:
            return f"{name!r} comes from {foreign.provider}: use {foreign.rename_to!r}"
        close = difflib.get_close_matches(name, sorted(accepted), n=1)
        return f"Did you mean {close[0]!r}?" if close else "Remove it"

    @staticmethod
    def _stream_message(method: str) -> str:
        if method == "stream":
            return (
                "chat.completions.stream() streams already and does not take 'stream': the SDK "
                "raises TypeError. Remove stream="
            )
        return (
            f"chat.completions.{method}() does not take 'stream': the SDK raises TypeError. "
            "To stream a structured response use chat.completions.stream(...)"
        )

    def _foreign(
        self, request: Request, keyword: Keyword, foreign: ForeignParameter, fails: str
    ) -> tuple[str, FixProposal | None]:
        origin = f"{keyword.name!r} comes from {foreign.provider}"
        target = foreign.rename_to
        if target is None:
            return f"{fails} ({origin}; W&B has no counterpart). Remove it", None
        if target in request.arguments:
            return f"{fails} ({origin}). {target}= is also given: remove {keyword.name}=", None
        message = f"{fails} ({origin}). Use {target}= instead"
        if keyword.arg is None or not request.arguments.complete:
            return message, None
        return message, safe_fix(f"Rename to {target}=", rename_keyword(keyword.arg, target))


class PreferMaxTokens(ReportsOnce):
    """`max_completion_tokens` where W&B documents `max_tokens`.

    ## What it does
    Flags `max_completion_tokens` on a request that does not also pass `max_tokens`.

    ## Why is this bad?
    W&B Inference documents `max_tokens`. `max_completion_tokens` is OpenAI's newer name,
    which integrations such as litellm rewrite to `max_tokens` for W&B; the documented name
    keeps the request from depending on that mapping.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, max_completion_tokens=512)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, max_tokens=512)
    ```

    ## Fix safety
    Safe: the keyword is renamed and its value kept. A keyword spread from a `**` dict is
    reported without a fix.
    """

    code = "WB206"
    name = "prefer-max-tokens"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE

    def check_request(self, request: Request) -> Iterator[Report]:
        arguments = request.arguments
        keyword = arguments.get("max_completion_tokens")
        if keyword is None or "max_tokens" in arguments or not arguments.complete:
            return
        value = self.value(keyword, request.scope)
        message = (
            f"{shown('max_completion_tokens', value)} works, but W&B documents max_tokens "
            "(integrations such as litellm rewrite max_completion_tokens to it). Use max_tokens"
        )
        fix = None
        if keyword.arg is not None:
            fix = safe_fix("Rename to max_tokens=", rename_keyword(keyword.arg, "max_tokens"))
        yield from self.once(keyword.node, message, fix)
