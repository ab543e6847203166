"""WB6xx: which API is called: endpoints W&B does not serve, and the pre-1.0 SDK API."""

from __future__ import annotations

from collections.abc import Iterator

from lint_wb.analysis import ModuleFacts
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, Rule


class UnsupportedEndpoint(Rule):
    """A W&B client used for an endpoint W&B Inference does not serve.

    ## What it does
    Flags calls on a W&B client to endpoints other than chat completions and the model
    list: `embeddings`, `images`, `audio`, `responses`, legacy `completions`,
    `moderations`, `files`, `batches`, `fine_tuning`, `beta.assistants`, `beta.threads`,
    `vector_stores`, `realtime` and the like. Also the libraries set up to call such an
    endpoint with a W&B client: the OpenAI Agents SDK's `OpenAIResponsesModel`, or a W&B
    client passed to `set_default_openai_client` without
    `set_default_openai_api("chat_completions")` in any module of the project (the SDK
    calls the Responses API by default); LangChain's `ChatOpenAI(use_responses_api=True)`,
    or, given no `use_responses_api`, `reasoning=`, `include=`, `truncation=`,
    `context_management=`, `use_previous_response_id=True` or `output_version="responses/v1"`;
    DSPy's `dspy.LM(..., model_type="responses")`; LlamaIndex's `OpenAILike` without
    `is_chat_model=True` (it calls `/v1/completions`); LangChain's `OpenAIEmbeddings` and
    LiteLLM's `embedding`/`aembedding` given W&B's URL (or a `wandb/` model).

    ## Why is this bad?
    W&B Inference serves `POST /v1/chat/completions` and `GET /v1/models` only; every
    other path answers 404.

    ## Example
    ```python
    client.embeddings.create(model="openai/gpt-oss-120b", input="hello")
    ```
    Use instead: an embedding service that offers embeddings; for text generation,
    `client.chat.completions.create(...)`.

    With the OpenAI Agents SDK:
    ```python
    set_default_openai_client(AsyncOpenAI(base_url="https://api.inference.wandb.ai/v1"))
    agent = Agent(name="helper", model="openai/meta-llama/Llama-3.3-70B-Instruct")
    ```
    Use instead:
    ```python
    set_default_openai_client(AsyncOpenAI(base_url="https://api.inference.wandb.ai/v1"))
    set_default_openai_api("chat_completions")
    agent = Agent(name="helper", model="openai/meta-llama/Llama-3.3-70B-Instruct")
    ```

    ## Fix safety
    No fix: there is no W&B endpoint to move the call to.
    """

    code = "WB601"
    name = "unsupported-endpoint"
    severity = Severity.ERROR

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        for use in facts.endpoint_uses:
            if not use.client.is_wandb:
                continue
            yield self.report(
                use.node.func,
                f"W&B Inference does not serve the `{use.endpoint}` endpoint: this call fails "
                "with 404. Only chat completions (client.chat.completions.create) and "
                "model listing (client.models.list) are served",
            )
        for trap in facts.endpoint_traps:
            if trap.client.is_wandb:
                yield self.report(trap.node, trap.message)


class LegacySdkApi(Rule):
    """The openai<1.0 module API, which the SDK removed.

    ## What it does
    Flags `openai.ChatCompletion.create(...)`, `openai.Completion.create(...)` and the
    other pre-1.0 resource classes, and assignments to `openai.api_base` (1.0 calls it
    `openai.base_url`), in code meant for W&B: a module that sets `openai.api_base` to W&B's
    URL, a near miss of it or a value only the project resolves (another module's constant),
    or reads `openai.api_key` from `WANDB_API_KEY` (or passes those keywords to a legacy
    call), that builds a W&B client, or any module under `assume-wandb`. A module that only
    logs to `wandb` while it calls OpenAI through the old API is left alone.

    ## Why is this bad?
    openai-python 1.0 removed this API: the calls raise `APIRemovedInV1`, and
    `openai.api_base` is silently ignored, so requests go to api.openai.com.

    ## Example
    ```python
    openai.api_base = "https://api.inference.wandb.ai/v1"
    openai.ChatCompletion.create(model="openai/gpt-oss-120b", messages=messages)
    ```
    Use instead:
    ```python
    client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=key)
    client.chat.completions.create(model="openai/gpt-oss-120b", messages=messages)
    ```

    ## Fix safety
    No fix: moving to a client object changes the code's structure.
    """

    code = "WB602"
    name = "legacy-sdk-api"
    severity = Severity.ERROR
    wandb_only = False

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        if not facts.legacy_for_wandb:
            return
        for use in facts.legacy_uses:
            head = use.api.split(".")[0] if not use.api.startswith("openai.") else use.api
            replacements = self.spec.api.shapes.legacy_api.replacements
            instead = replacements.get(head, "the client API of openai>=1.0")
            what = f"openai.{use.api}" if not use.api.startswith("openai.") else use.api
            consequence = (
                "is ignored by openai>=1.0, so requests go to api.openai.com"
                if use.api.startswith("openai.")
                else "was removed in openai 1.0 and raises APIRemovedInV1"
            )
            yield self.report(use.node, f"`{what}` {consequence}. Use {instead}")
