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
from lint_wb.rules.base import FixProposal, FixSafety, Report, Rule, RuleContext
from lint_wb.rules.sdk_port import SdkPort


class ProviderSdk(Rule):
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
    from groq import Groq

    client = Groq()
    client.chat.completions.create(model=MODEL, messages=messages, reasoning_format="hidden")
    ```
    Use instead:
    ```python
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
        yield self.report(client.node.func, message, self._module_fix())

    def _module_fix(self) -> FixProposal | None:
        if not self._planned:
            self._planned = True
            self._fix = SdkPort(self.context.facts, self.spec.api, self.resolver).fix()
        return self._fix
