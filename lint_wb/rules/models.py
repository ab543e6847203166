"""WB501-WB503: which model a request names: unknown, retired, deprecated.

Every finding rests on the dated model snapshot (`spec.models`) and names its date. A fix
only ever writes a model the snapshot lists as served. Reading `model=` is `model_use.py`;
malformed LoRA URIs (WB504) are `lora.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from lint_wb.findings import Severity
from lint_wb.rules.base import FixSafety, Report
from lint_wb.rules.lora import lora_path_problems as lora_path_problems  # public here too
from lint_wb.rules.model_use import ModelRule, ModelUse, is_lora_uri, snapshot_note
from lint_wb.rules.substitution import near_typo, substitution_for, substitution_message
from lint_wb.spec import Model, ModelCatalog, resolve_replacement
from lint_wb.spec.porting_types import Substitution


class _ModelRule(ModelRule):
    """Shared by WB501-WB503: the model of a request, unless the user vouches for it."""

    @property
    def catalog(self) -> ModelCatalog:
        return self.spec.models


class UnknownModel(_ModelRule):
    """A model ID that W&B Inference does not know.

    ## What it does
    Flags a `model=` that is not in the model snapshot lint-wb ships (or the one
    `models-file` points at), is not a LoRA artifact URI (`wandb-artifact:///...`), and is
    not listed under `extra-models`. It recognises other providers' IDs for weights W&B
    serves under another name (Together `-Turbo` names, Fireworks
    `accounts/fireworks/models/...`, Groq, OpenRouter, Cerebras, Ollama, Hugging Face), and
    suggests a served model only for a near typo (a few characters off, or the ID without its
    `provider/` prefix). Under `assume-wandb`, another provider's model that W&B does not
    serve at all (`gpt-4o`, `claude-*`, `gemini-*`, Groq's `llama3-70b-8192`, Mixtral) gets
    the closest served model from lint-wb's substitution table, chosen by size class, input
    modality (image input), reasoning and tool calling, and named as a substitution. An
    empty (or blank) model, such as `os.getenv("CHAT_MODEL", "")` or a parameter that
    defaults to `""`, is a model left unset, not an ID: it is not judged. A blank literal
    written in the request itself (`model=""`, `f""`, `"" ""`) is judged: that request is
    certain to fail.

    ## Why is this bad?
    W&B answers an unknown model with 404. IDs are case-sensitive:
    `meta-llama/llama-3.3-70b-instruct` is not `meta-llama/Llama-3.3-70B-Instruct`.

    ## Example
    ```python
    client.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruct", messages=messages)
    ```

    Through a library that strips a provider prefix (LiteLLM, CrewAI, DSPy, Google ADK's
    `LiteLlm`), W&B's own ID written as is loses its first part: `openai/gpt-oss-20b` reaches
    W&B as `gpt-oss-20b`. lint-wb says so and writes `openai/openai/gpt-oss-20b`. Given
    W&B's base URL, a LiteLLM provider prefix that posts to the base URL in OpenAI's format
    (`groq/`, `together_ai/` ...) is stripped the same way: `groq/llama-3.1-8b-instant`
    reaches W&B as `llama-3.1-8b-instant`, which is checked (and fixed with the prefix kept).
    A LiteLLM model with no provider prefix (`gpt-4o-mini`, `Qwen/Qwen3.5-35B-A3B`) reaches
    W&B as written given W&B's base URL (or given none under `assume-wandb`, where WB102 adds
    it), and is checked as written; a fix that writes an ID LiteLLM would strip
    (`openai/gpt-oss-120b`) writes it under LiteLLM's `wandb/` prefix. Given
    `custom_llm_provider="openai"`, LiteLLM routes the model as if written `openai/<model>`
    (the prefix is not doubled): W&B receives it less one `openai/`. LangChain's
    `init_chat_model` given no `model_provider` picks its class by the name and raises for
    most W&B IDs: a fix writes such an ID as `openai:<id>` (given `model_provider`, it sends
    the name as written, `openai:` included). The OpenAI Agents SDK's `Agent(model=...)` and
    `RunConfig(model=...)` given a name (not a model object) go through its default provider,
    which strips `openai/` and raises UserError ("Unknown prefix") for any other first part
    before a request: `meta-llama/Llama-3.3-70B-Instruct` written so is reported, with a fix
    that writes `openai/meta-llama/Llama-3.3-70B-Instruct`, and a fix that writes a W&B ID
    there writes it under `openai/`.

    ## Fix safety
    Safe when the ID differs from a served model's only in case: it is the same model. Safe
    when a library's prefix stripped W&B's own ID: the fix adds the prefix, and W&B receives
    the ID as written; and so when the Agents SDK would raise for the ID's first part.
    Unsafe for another provider's ID: the W&B model has the same weights, but serving
    details (quantisation, context window, defaults) may differ. Unsafe for a substitution
    (assume-wandb only): it is another model, whose answers, limits and price differ; it is
    offered only when the snapshot in use lists the stand-in as generally available. The
    string literal is
    rewritten in its own quotes, in the call or where a name bound once to it is defined
    (a module or local constant, or an entry of a `**` dict), so every request using that
    constant changes with it. A model built from an f-string or concatenation is reported
    without a fix, and so is a literal that calls in the project read differently (LiteLLM
    strips the `openai/` an OpenAI SDK request sends; `init_chat_model` reads the `openai:`
    that `ChatOpenAI` sends): no one spelling serves them all.
    """

    code = "WB501"
    name = "unknown-model"
    severity = Severity.ERROR
    fix_safety = FixSafety.SOMETIMES

    def check_use(self, use: ModelUse) -> Iterator[Report]:
        if use.bare_in is not None and use.bare_in.raises(use.id):
            yield from self._unknown_prefix(use)
            return
        if is_lora_uri(self.catalog, use.id) or use.id in self.catalog.models:
            return
        if not use.id.strip():
            message = (
                f"{use.preface}Model {use.id!r} is blank: the request names no model, so it "
                f"fails. Name a model the catalog lists{use.sent_by()}"
            )
            yield from self.once(use.node, message)
            return
        note = snapshot_note(self.catalog)
        base = f"Model {use.id!r} is not in the W&B Inference catalog ({note})"
        written = use.prefix + use.id
        if use.prefix and written in self.catalog.models:
            message = (
                f"{use.preface}{base}: requests fail with 404. To send W&B's {written!r}, "
                f"write {use.prefix + written!r}{use.sent_by()}"
            )
            yield from self.once(use.node, message, use.fix(True, written))
            return
        case_match = self._case_match(use.id)
        if case_match is not None:
            message = (
                f"{base}: model IDs are case-sensitive, so requests fail with 404. "
                f"Use {case_match!r}{use.written_as(case_match)}{use.sent_by()}"
            )
            yield from self.once(use.node, use.preface + message, use.fix(True, case_match))
            return
        mapped = self.catalog.other_provider_ids.get(use.id)
        if mapped is not None:
            message = (
                f"Model {use.id!r} is another provider's ID, not W&B's ({note}): requests "
                f"fail with 404. W&B serves the same weights as {mapped!r}: use that"
                f"{use.written_as(mapped)}{use.sent_by()}"
            )
            yield from self.once(use.node, use.preface + message, use.fix(False, mapped))
            return
        substitution = self._substitution(use.id)
        if substitution is not None:
            message = substitution_message(use.id, substitution, note)
            message += use.written_as(substitution.wandb_id) + use.sent_by()
            fix = use.fix(False, substitution.wandb_id)
            if fix is not None:
                title = f"Substitute {substitution.wandb_id!r} (not the same model)"
                fix = replace(fix, message=title)
            yield from self.once(use.node, use.preface + message, fix)
            return
        advice = self._advice(use.id)
        message = f"{use.preface}{base}: requests fail with 404. {advice}{use.sent_by()}"
        yield from self.once(use.node, message)

    def _substitution(self, model_id: str) -> Substitution | None:
        """Under assume-wandb, the data's stand-in for another provider's model."""
        if not self.context.options.assume_wandb:
            return None
        return substitution_for(model_id, self.spec.substitutions, self.catalog)

    def _served_ids(self) -> tuple[str, ...]:
        return self.catalog.served_ids

    def _unknown_prefix(self, use: ModelUse) -> Iterator[Report]:
        """The Agents SDK's default provider raises for a name whose first part is no prefix
        it knows (`meta-llama/...`, every W&B ID): `openai/` in front sends it as written."""
        head = use.id.split("/")[0]
        written = use.written(use.id)
        message = (
            f"{use.library} reads {head + '/'!r} in {use.id!r} as a model provider prefix it "
            f"does not know: it raises UserError (Unknown prefix: {head}) before any request. "
            f"Write {written!r}: it strips 'openai/' and sends W&B {use.id!r}{use.sent_by()}"
        )
        yield from self.once(use.node, message, use.fix(True, use.id))

    def _case_match(self, model_id: str) -> str | None:
        matches = [served for served in self._served_ids() if served.lower() == model_id.lower()]
        return matches[0] if len(matches) == 1 else None

    def _advice(self, model_id: str) -> str:
        suggestion = did_you_mean(model_id, self._served_ids())
        if suggestion is not None:
            return f"Did you mean {suggestion!r}?"
        return "Use a model the catalog lists, or add it to `extra-models` if W&B serves it to you"


def did_you_mean(model_id: str, served: Sequence[str]) -> str | None:
    """The served ID `model_id` is a near typo of (see `substitution.near_typo`)."""
    return _near_typo(model_id, tuple(served))


@lru_cache(maxsize=256)
def _near_typo(model_id: str, served: tuple[str, ...]) -> str | None:
    """`near_typo`, worked out once per ID and catalog: a tree names the same unknown IDs
    in file after file."""
    return near_typo(model_id, served)


class _LifecycleRule(_ModelRule):
    """WB502 and WB503: a model at a given lifecycle stage, with W&B's replacement."""

    lifecycle: str

    def status(self, model: Model) -> str:
        raise NotImplementedError

    def check_use(self, use: ModelUse) -> Iterator[Report]:
        model = self.catalog.models.get(use.id)
        if model is None or model.lifecycle != self.lifecycle:
            return
        replacement = resolve_replacement(self.catalog, model.id)
        advice = replacement_advice(self.catalog, model, replacement)
        spelt = "" if replacement is None else use.written_as(replacement)
        message = f"{use.preface}Model {model.id!r} {self.status(model)} {advice}{spelt}"
        message += use.sent_by()
        fix = None if replacement is None else use.fix(False, replacement)
        yield from self.once(use.node, message, fix)


class RetiredModel(_LifecycleRule):
    """A model W&B has retired: every request to it is a 404.

    ## What it does
    Flags a `model=` the model snapshot lists as retired, with the date it was retired,
    and names W&B's replacement. Through a library, the ID checked is the one W&B
    receives: LiteLLM, CrewAI and DSPy strip `wandb/` or `openai/`, LangChain, LlamaIndex,
    pydantic-ai and the Agents SDK's model objects send the model verbatim (the Agents SDK
    strips `openai/` from a model name). When the replacement W&B named
    is itself retired, lint-wb follows the chain of replacements to a model that is still
    served, if there is one. A model listed under `extra-models` is not reported.

    ## Why is this bad?
    Since its retirement date every request to the model fails with 404.

    ## Example
    ```python
    client.chat.completions.create(model="deepseek-ai/DeepSeek-V4-Flash", messages=messages)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model="deepseek-ai/DeepSeek-V4-Flash-0731", messages=messages)
    ```
    With CrewAI, which strips `openai/` before the request:
    ```python
    llm = LLM(model="openai/meta-llama/Llama-4-Scout-17B-16E-Instruct", base_url=WANDB_URL)
    ```
    Use instead: a served model,
    `LLM(model="openai/Qwen/Qwen3.6-35B-A3B", base_url=WANDB_URL)`.

    ## Fix safety
    Unsafe: the replacement is another model, whose answers, price and limits differ. Offered
    only when the replacement chain reaches a model the snapshot lists as generally
    available; the literal is rewritten where it is written (in the call, or where a name
    bound once to it is defined), as for WB501.
    """

    code = "WB502"
    name = "retired-model"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    lifecycle = "retired"

    def status(self, model: Model) -> str:
        when = "was retired" if model.retired_on is None else f"was retired on {model.retired_on}"
        return f"{when} ({snapshot_note(self.catalog)}): every request to it fails with 404."


def replacement_advice(catalog: ModelCatalog, model: Model, replacement: str | None) -> str:
    """What to move to: W&B's replacement, followed along the chain to a GA model."""
    named = model.replacement
    if named is None:
        return "W&B names no replacement: choose a served model"
    if replacement == named:
        return f"Use W&B's replacement {named!r}"
    named_model = catalog.models.get(named)
    state = "not in the catalog"
    if named_model is not None:
        state = f"itself {named_model.lifecycle}"
    if replacement is None:
        return (
            f"W&B named {named!r} as its replacement, which is {state}, and no generally "
            "available model follows it: choose a served model"
        )
    return (
        f"W&B named {named!r} as its replacement, which is {state}; use {replacement!r}, "
        "further along the replacement chain"
    )


class DeprecatedModel(_LifecycleRule):
    """A deprecated model: still served, but with a retirement date.

    ## What it does
    Flags a `model=` the model snapshot lists as deprecated, with its announced retirement
    date (when W&B has published one) and W&B's replacement (followed along the chain to a
    generally available model).
    A model listed under `extra-models` is not reported.

    ## Why is this bad?
    The code works today and breaks with 404 on the retirement date, which W&B announces
    only a few weeks ahead.

    ## Example
    ```python
    client.chat.completions.create(model="testing/Deprecated-Chat", messages=messages)
    ```
    Use instead: the replacement the message names.

    ## Fix safety
    Unsafe: the replacement is another model, whose answers, price and limits differ. Offered
    only when the replacement chain reaches a model the snapshot lists as generally
    available; the literal is rewritten where it is written, as for WB501.
    """

    code = "WB503"
    name = "deprecated-model"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE

    lifecycle = "deprecated"

    def status(self, model: Model) -> str:
        note = snapshot_note(self.catalog)
        if model.retirement_date is None:
            return (
                f"is deprecated ({note}); W&B has not published its retirement date, from which "
                "on every request to it fails with 404."
            )
        return (
            f"is deprecated and will be retired on {model.retirement_date} ({note}); from then "
            "on every request to it fails with 404."
        )
