"""WB603-WB604: clients of other providers' SDKs in code being ported to W&B.

WB603: SDKs whose chat API mirrors OpenAI's (Groq, Together, Cerebras, Fireworks): the
OpenAI client stands in for them (the fix is `sdk_port.py`). WB604: Anthropic's Messages API,
a port by hand: the message says how, step by step, and a fix is offered only where the whole
function can be rewritten (`anthropic_port.py`).
"""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb.analysis import Client
from lint_wb.findings import Severity
from lint_wb.rules.anthropic_port import AnthropicPort
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    Rule,
    RuleContext,
    unsafe_fix,
)
from lint_wb.rules.sdk_port import SdkPort, ported_module


class ProviderSdk(ReportsOnce):
    """Under `assume-wandb`, a client of a provider SDK whose chat API mirrors OpenAI's.

    ## What it does
    In porting mode, flags a client of another provider's SDK whose
    `chat.completions.create()` mirrors OpenAI's: `groq.Groq` / `AsyncGroq`,
    `together.Together` / `AsyncTogether`, `cerebras.cloud.sdk.Cerebras` /
    `AsyncCerebras`, `fireworks.client.Fireworks` / `AsyncFireworks`.

    ## Why is this bad?
    The SDK sends every request, and its provider's key, to its provider. W&B Inference is
    reached through the OpenAI SDK with W&B's base URL and key; these SDKs' chat calls take
    the same arguments, so the OpenAI client can stand in for them.

    ## Example
    ```python
    # with assume-wandb = true
    from groq import Groq

    client = Groq()
    client.chat.completions.create(model=MODEL, messages=messages, reasoning_format="hidden")
    ```
    Use instead:
    ```python
    # with assume-wandb = true
    import os

    from openai import OpenAI

    client = OpenAI(
        base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"]
    )
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Fix safety
    Unsafe: the client, its key and where its requests go change. Every such client of the
    module is rewritten by one fix: the constructor becomes `OpenAI(...)` / `AsyncOpenAI(...)`
    with `base_url` and `api_key` from `WANDB_API_KEY` (a key the code reads from its own
    settings is kept), the provider's import gives way to the OpenAI one, request keywords
    the OpenAI SDK lacks that W&B honours (`top_k`, `min_p`, `repetition_penalty`) move into
    `extra_body`, and fields only the provider takes (`reasoning_format`, `safety_model` ...)
    are removed. The model is WB501's business.
    """

    code = "WB603"
    name = "provider-sdk"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._fix: FixProposal | None = None
        self._planned = False

    def check_client(self, client: Client) -> Iterator[Report]:
        sdk = client.sdk
        if sdk is None or sdk.api != "openai-chat" or client.node is None:
            return
        if not self.context.options.assume_wandb:
            return
        key = self.spec.api.porting.wandb_key_variable
        message = (
            f"{sdk.qualified_name}(...) sends requests and {sdk.provider}'s key to "
            f"{sdk.provider}, but this project is ported to W&B (assume-wandb). Its chat API "
            f"mirrors OpenAI's: use openai.{sdk.openai_class}(base_url="
            f"{self.spec.api.base_url!r}, api_key=os.environ[{key!r}]), and pass the "
            "keywords the OpenAI SDK lacks in extra_body"
        )
        if self.first_time(client.node.func):
            yield self.report(client.node.func, message, self._module_fix())

    def _module_fix(self) -> FixProposal | None:
        if not self._planned:
            self._planned = True
            self._fix = SdkPort(self.context.facts, self.spec.api, self.resolver).fix()
        return self._fix


class AnthropicSdk(Rule):
    """Under `assume-wandb`, a client of Anthropic's SDK.

    ## What it does
    In porting mode, flags `anthropic.Anthropic(...)` / `AsyncAnthropic(...)`, whose
    `messages.create()` is Anthropic's Messages API. The message gives the port step by step.

    ## Why is this bad?
    W&B Inference serves the OpenAI Chat Completions API only: the Messages API's calls,
    arguments and response shape (`resp.content[0].text`) have no W&B endpoint.

    ## Example
    ```python
    # with assume-wandb = true
    import anthropic

    client = anthropic.Anthropic()

    def ask(question):
        resp = client.messages.create(
            model="claude-3-5-haiku-latest", max_tokens=512, system="Be brief.",
            messages=[{"role": "user", "content": question}],
        )
        return resp.content[0].text
    ```
    Use instead:
    ```python
    # with assume-wandb = true
    client = openai.OpenAI(
        base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"]
    )

    def ask(question):
        resp = client.chat.completions.create(
            model="Qwen/Qwen3.6-35B-A3B", max_tokens=512,
            messages=[{"role": "system", "content": "Be brief."},
                      {"role": "user", "content": question}],
        )
        return resp.choices[0].message.content
    ```

    ## Fix safety
    Unsafe, and offered only when every `messages.create()` call on the client in the module
    can be rewritten whole: the response is assigned to a name read only as
    `r.content[0].text` or `r.usage.input_tokens` / `output_tokens`; the call passes only
    `model`, `max_tokens`, `messages`, `system`, `temperature`, `top_p`, `stop_sequences`,
    `top_k`; its messages are a list literal of user and assistant messages with plain
    content; and the model is served by W&B or has a stand-in in lint-wb's substitution
    table (then it is a substitution, not the same model). Otherwise the message says what
    stops the fix.
    """

    code = "WB604"
    name = "anthropic-sdk"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def check_client(self, client: Client) -> Iterator[Report]:
        sdk = client.sdk
        if sdk is None or sdk.api != "anthropic-messages" or client.node is None:
            return
        if not self.context.options.assume_wandb:
            return
        fix, why_not = self._fix(client)
        key = self.spec.api.porting.wandb_key_variable
        message = (
            f"{sdk.qualified_name}(...) calls Anthropic's Messages API, which W&B does not "
            "serve, but this project is ported to W&B (assume-wandb). Port it: "
            f"1) use openai.{sdk.openai_class}(base_url={self.spec.api.base_url!r}, "
            f"api_key=os.environ[{key!r}]); "
            "2) call client.chat.completions.create(...) for client.messages.create(...); "
            '3) put system= first in messages as {"role": "system", "content": ...}; '
            "4) send content as a string or OpenAI parts (text, image_url), not Anthropic "
            "blocks; 5) name a W&B model (WB501 suggests one); 6) read "
            "resp.choices[0].message.content for resp.content[0].text and "
            "usage.prompt_tokens/completion_tokens for input_tokens/output_tokens"
        )
        if why_not is not None:
            message += f". No automatic fix: {why_not}"
        yield self.report(client.node.func, message, fix)

    def _fix(self, client: Client) -> tuple[FixProposal | None, str | None]:
        facts = self.context.facts
        plan = SdkPort(facts, self.spec.api, self.resolver).plan([client])
        if plan is None:
            return None, "the client is built through a name lint-wb cannot rename"
        why_not = AnthropicPort(facts, self.spec, self.resolver).port(client, plan)
        if why_not is not None:
            return None, why_not
        new_module = ported_module(facts.module, plan)
        title = "Port to the OpenAI client on W&B (requests and response reads rewritten)"
        return unsafe_fix(title, Replacement(facts.module, new_module)), None
