"""WB5xx: which model a request names: unknown, retired, deprecated, malformed LoRA URIs.

Every finding except WB504 rests on the dated model snapshot (`spec.models`) and names its
date. A fix only ever writes a model the snapshot lists as served.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lint_wb._cst import cst
from lint_wb.analysis import Keyword, Request, Resolver
from lint_wb.findings import Severity
from lint_wb.fixes import string_like
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    Rule,
    safe_fix,
    unsafe_fix,
)
from lint_wb.spec import Model, ModelCatalog, resolve_replacement

LORA_SCHEME = "wandb-artifact:"
LORA_SHAPE = "wandb-artifact:///<team>/<project>/<name>:<alias-or-version>"
SERVED = frozenset({"ga", "experimental", "deprecated"})
_SEGMENT = re.compile(r"^[^/:\s]+$")


@dataclass(frozen=True)
class ModelUse:
    """The model a request names, and the string literal that spells it, if there is one."""

    id: str
    keyword: Keyword
    literal: cst.SimpleString | None
    """The literal to rewrite: in the call, or the one a name bound once stands for."""

    @property
    def node(self) -> cst.CSTNode:
        """Where findings about the model point: the keyword's value (in the call, or in the
        `**` dict it comes from)."""
        return self.keyword.value

    def fix(self, safe: bool, new_id: str) -> FixProposal | None:
        if self.literal is None:
            return None
        edit = Replacement(self.literal, string_like(self.literal, new_id))
        make = safe_fix if safe else unsafe_fix
        return make(f"Replace with {new_id!r}", edit)


def model_use(resolver: Resolver, request: Request) -> ModelUse | None:
    """The model of `request` when `model=` resolves to a string, else None."""
    keyword = request.arguments.get("model")
    if keyword is None:
        return None
    value = resolver.evaluate(keyword.value, request.scope)
    if not isinstance(value, str):
        return None
    literal = resolver.resolve(keyword.value, request.scope)
    return ModelUse(value, keyword, literal if isinstance(literal, cst.SimpleString) else None)


def served_model(catalog: ModelCatalog, model_id: str) -> Model | None:
    """The catalog's entry for `model_id` when the snapshot lists it as served."""
    model = catalog.models.get(model_id)
    return model if model is not None and model.lifecycle in SERVED else None


def snapshot_note(catalog: ModelCatalog) -> str:
    return f"model snapshot of {catalog.date}"


def is_lora_uri(model_id: str) -> bool:
    return model_id.startswith(LORA_SCHEME)


class _ModelRule(Rule):
    """Shared by WB501-WB503: the model of a request, unless the user vouches for it."""

    def model_use(self, request: Request) -> ModelUse | None:
        use = model_use(self.resolver, request)
        if use is None or use.id in self.context.options.extra_models:
            return None
        return use

    @property
    def catalog(self) -> ModelCatalog:
        return self.spec.models


class UnknownModel(_ModelRule):
    """A model ID that W&B Inference does not know.

    ## What it does
    Flags a `model=` that is not in the model snapshot lint-wb ships (or the one
    `models-file` points at), is not a LoRA artifact URI (`wandb-artifact:///...`), and is
    not listed under `extra-models`. The message suggests the closest served model, and
    recognises other providers' IDs for weights W&B serves under another name (Together
    `-Turbo` names, Fireworks `accounts/fireworks/models/...`, Groq, OpenRouter, Cerebras,
    Ollama, Hugging Face).

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

    ## Fix safety
    Safe when the ID differs from a served model's only in case: it is the same model.
    Unsafe for another provider's ID: the W&B model has the same weights, but serving
    details (quantisation, context window, defaults) may differ. The string literal is
    rewritten in its own quotes, in the call or where a name bound once to it is defined
    (a module or local constant, or an entry of a `**` dict), so every request using that
    constant changes with it. A model built from an f-string or concatenation is reported
    without a fix.
    """

    code = "WB501"
    name = "unknown-model"
    severity = Severity.ERROR
    fix_safety = FixSafety.SOMETIMES

    def check_request(self, request: Request) -> Iterator[Report]:
        use = self.model_use(request)
        if use is None or is_lora_uri(use.id) or use.id in self.catalog.models:
            return
        note = snapshot_note(self.catalog)
        base = f"Model {use.id!r} is not in the W&B Inference catalog ({note})"
        case_match = self._case_match(use.id)
        if case_match is not None:
            message = (
                f"{base}: model IDs are case-sensitive, so requests fail with 404. "
                f"Use {case_match!r}"
            )
            yield self.report(use.node, message, use.fix(True, case_match))
            return
        mapped = self.catalog.other_provider_ids.get(use.id)
        if mapped is not None:
            message = (
                f"Model {use.id!r} is another provider's ID, not W&B's ({note}): requests "
                f"fail with 404. W&B serves the same weights as {mapped!r}: use that"
            )
            yield self.report(use.node, message, use.fix(False, mapped))
            return
        yield self.report(use.node, f"{base}: requests fail with 404. {self._advice(use.id)}")

    def _served_ids(self) -> list[str]:
        return [model.id for model in self.catalog.models.values() if model.lifecycle in SERVED]

    def _case_match(self, model_id: str) -> str | None:
        matches = [served for served in self._served_ids() if served.lower() == model_id.lower()]
        return matches[0] if len(matches) == 1 else None

    def _advice(self, model_id: str) -> str:
        suggestion = did_you_mean(model_id, self._served_ids())
        if suggestion is not None:
            return f"Did you mean {suggestion!r}?"
        return "Use a model the catalog lists, or add it to `extra-models` if W&B serves it to you"


def did_you_mean(model_id: str, served: list[str]) -> str | None:
    """The served ID closest to `model_id`, comparing case-insensitively first."""
    by_lower = {candidate.lower(): candidate for candidate in served}
    close = difflib.get_close_matches(model_id.lower(), list(by_lower), n=1)
    if close:
        return by_lower[close[0]]
    close = difflib.get_close_matches(model_id, served, n=1)
    return close[0] if close else None


class RetiredModel(_ModelRule):
    """A model W&B has retired: every request to it is a 404.

    ## What it does
    Flags a `model=` the model snapshot lists as retired, with the date it was retired,
    and names W&B's replacement. When the replacement W&B named is itself retired, lint-wb
    follows the chain of replacements to a model that is still served, if there is one.
    A model listed under `extra-models` is not reported.

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

    def check_request(self, request: Request) -> Iterator[Report]:
        use = self.model_use(request)
        model = None if use is None else self.catalog.models.get(use.id)
        if use is None or model is None or model.lifecycle != "retired":
            return
        replacement = resolve_replacement(self.catalog, model.id)
        message = (
            f"Model {model.id!r} was retired on {model.retired_on} "
            f"({snapshot_note(self.catalog)}): every request to it fails with 404. "
            f"{replacement_advice(self.catalog, model, replacement)}"
        )
        fix = None if replacement is None else use.fix(False, replacement)
        yield self.report(use.node, message, fix)


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


class DeprecatedModel(_ModelRule):
    """A deprecated model: still served, but with a retirement date.

    ## What it does
    Flags a `model=` the model snapshot lists as deprecated, with its announced retirement
    date and W&B's replacement (followed along the chain to a generally available model).
    A model listed under `extra-models` is not reported.

    ## Why is this bad?
    The code works today and breaks with 404 on the retirement date, which W&B announces
    only a few weeks ahead.

    ## Example
    ```python
    client.chat.completions.create(model="vendor/Old-Model", messages=messages)
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

    def check_request(self, request: Request) -> Iterator[Report]:
        use = self.model_use(request)
        model = None if use is None else self.catalog.models.get(use.id)
        if use is None or model is None or model.lifecycle != "deprecated":
            return
        replacement = resolve_replacement(self.catalog, model.id)
        message = (
            f"Model {model.id!r} is deprecated and will be retired on {model.retirement_date} "
            f"({snapshot_note(self.catalog)}); from then on every request to it fails with "
            f"404. {replacement_advice(self.catalog, model, replacement)}"
        )
        fix = None if replacement is None else use.fix(False, replacement)
        yield self.report(use.node, message, fix)


class MalformedLoraUri(Rule):
    """A LoRA artifact URI of the wrong shape.

    ## What it does
    Flags a `model=` that starts with `wandb-artifact:` but is not
    `wandb-artifact:///<team>/<project>/<name>:<alias-or-version>`: two (or four) slashes
    after the scheme instead of three, a missing team, project or artifact name, or no
    `:<alias>` / `:<version>` after the name.

    ## Why is this bad?
    W&B cannot find the artifact, so the request fails. With two slashes the team reads as
    a URI host, which W&B does not accept.

    ## Example
    ```python
    client.chat.completions.create(model="wandb-artifact://acme/support/qwen-lora:v3", messages=m)
    ```
    Use instead:
    ```python
    client.chat.completions.create(model="wandb-artifact:///acme/support/qwen-lora:v3", messages=m)
    ```

    ## Fix safety
    Safe when only the slash count is wrong: the literal gets exactly three slashes, in its
    own quotes, where it is written (in the call or where a name bound once to it is
    defined). A missing part is reported without a fix: only the user knows it.
    """

    code = "WB504"
    name = "malformed-lora-uri"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_request(self, request: Request) -> Iterator[Report]:
        use = model_use(self.resolver, request)
        if use is None or not is_lora_uri(use.id):
            return
        rest = use.id[len(LORA_SCHEME) :]
        path = rest.lstrip("/")
        slashes = len(rest) - len(path)
        problems = lora_path_problems(path)
        if slashes != 3:
            plural = "" if slashes == 1 else "es"
            problems.insert(0, f"{slashes} slash{plural} after '{LORA_SCHEME}' instead of three")
        if not problems:
            return
        message = (
            f"LoRA URI {use.id!r} is malformed ({'; '.join(problems)}): W&B cannot find the "
            f"artifact. The shape is {LORA_SHAPE!r}"
        )
        fix = None
        if slashes != 3 and len(problems) == 1:
            fix = use.fix(True, f"{LORA_SCHEME}///{path}")
        yield self.report(use.node, message, fix)


def lora_path_problems(path: str) -> list[str]:
    """What is wrong with `<team>/<project>/<name>:<alias-or-version>` (empty when nothing)."""
    parts = path.split("/")
    if len(parts) != 3 or not all(parts):
        return ["it needs a team, a project and an artifact name, as team/project/name"]
    *owners, artifact = parts
    name, colon, alias = artifact.partition(":")
    problems = []
    if not all(_SEGMENT.match(part) for part in owners):
        problems.append("the team or project holds a space or ':'")
    if not colon or not alias:
        problems.append("no ':<alias-or-version>' after the artifact name, e.g. ':latest' or ':v3'")
    elif not name or not _SEGMENT.match(name) or not _SEGMENT.match(alias):
        problems.append(f"'{artifact}' is not '<name>:<alias-or-version>'")
    return problems
