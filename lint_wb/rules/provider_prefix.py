"""WB108: in porting mode, a LiteLLM model whose prefix sends the request to another provider.

LiteLLM (and the libraries built on it: CrewAI's `LLM`, Google ADK's `LiteLlm`, DSPy's `LM`)
picks the provider from the model's prefix: `meta_llama/Llama-3.3-70B-Instruct` goes to Meta's
Llama API with LLAMA_API_KEY, whatever else the call says. Porting such a call to W&B means a
new prefix (`wandb/`, which LiteLLM sends to W&B with WANDB_API_KEY) and a W&B model ID; a key
read from the old provider's variable changes in the same fix, never alone.

LangChain's `init_chat_model` picks the provider's class by `model_provider=`, a `provider:`
prefix or the model's name, and raises for a name it places with none (most W&B IDs): the
fix names OpenAI's provider, whose `ChatOpenAI` sends the model to the base URL as written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import Client, ModuleFacts, Request
from lint_wb.analysis.facts import ROUTED_MODEL_KEYED
from lint_wb.analysis.libraries import named_provider, written_head
from lint_wb.findings import Severity
from lint_wb.records import dataclass
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    safe_fix,
    unsafe_fix,
)
from lint_wb.rules.client_keys import env_read, renamed_read
from lint_wb.rules.edits import keyword_arg, string_like, with_arg
from lint_wb.rules.model_use import ROUTED, ROUTED_READING, differently_read, model_readings
from lint_wb.rules.substitution import substitution_for
from lint_wb.spec import bundled_libraries
from lint_wb.spec.library_types import ProviderRoute

WANDB_PREFIX = "wandb/"
"""LiteLLM's W&B Inference provider: the base URL is implied and WANDB_API_KEY is read."""


@dataclass(frozen=True)
class Target:
    """The W&B model a ported call sends, and how it relates to the one it replaces."""

    model_id: str
    why: str
    """For messages: `W&B serves the same weights as 'meta-llama/...'`."""
    substitution: bool = False


class ForeignProviderPrefix(ReportsOnce):
    """A model whose provider (prefix) sends the request elsewhere than W&B, or nowhere.

    ## What it does
    In porting mode, flags the model of a LiteLLM call (`litellm.completion`, a `Router`
    deployment, CrewAI's `LLM`, Google ADK's `LiteLlm`, DSPy's `LM`) whose prefix names
    another provider: `anthropic/`, `groq/`, `meta_llama/`, `together_ai/`, `gemini/` ...
    The message names where the request goes, the key LiteLLM reads there, and the W&B model
    to use: the same model, the same weights under W&B's ID, or, when W&B has neither, the
    closest served model of lint-wb's substitution table (named as a substitution). A model
    written in another module (`LLM(model=settings.MODEL)`) is reported where it is written.

    ## Why is this bad?
    LiteLLM picks the provider from the prefix, whatever else the call says: the request goes
    to that provider's own API with that provider's key, not to W&B Inference. Giving the call
    the W&B key alone would send the W&B key to that provider. LiteLLM's `wandb/` prefix sends
    the model after it to W&B and reads `WANDB_API_KEY`.

    ## Example
    ```python
    # with assume-wandb = true
    from crewai import LLM

    llm = LLM(model="groq/llama-3.3-70b-versatile")
    ```
    Use instead:
    ```python
    # with assume-wandb = true
    from crewai import LLM

    llm = LLM(model="wandb/meta-llama/Llama-3.3-70B-Instruct")
    ```

    ## Fix safety
    Unsafe: the provider, and perhaps the model, change. The model literal (a string or the
    text before an f-string's first `{...}`) is rewritten to `wandb/` and a model the snapshot
    lists as generally available; an `api_key=` read from another variable is made to read
    `WANDB_API_KEY` in the same fix. There is no fix when W&B has no stand-in for the model,
    or the key is given some other way, or the model is written in another module than a call
    that passes an `api_key`, or also sent as written by a W&B request (an OpenAI SDK
    request in the same module or elsewhere in the project sends the same constant:
    `wandb/<id>` would be a 404 there, so neither WB108 nor WB501 fixes it), or only its
    prefix is known
    (`f"groq/{name}"`, `"groq/" + name`: it is reported, with no fix).

    Given W&B's base URL, a prefix LiteLLM does not turn into a chat request W&B serves
    (`anthropic/` calls Anthropic's API at that URL, `fireworks_ai/` rewrites the model name;
    `groq/`, `together_ai/` ... do send W&B the model, which WB501 checks) is reported in
    porting mode or not: the request fails whatever the model. So is such a provider named by
    `custom_llm_provider=` (`"anthropic"`, `"gemini"`, `"bedrock"` ...), with no fix, and
    Ollama's (`ollama/`, `ollama_chat/`, or named: LiteLLM posts to `<api_base>/api/generate`
    or `/api/chat`; given no base URL it goes to the local Ollama server, which is left
    alone). One that posts the model unchanged to an OpenAI-compatible URL (`"hosted_vllm"`,
    `"custom_openai"`, `"baseten"` ...: any provider LiteLLM knows that the data lists
    neither as another API nor as posting no such request) is not: WB501 checks the model as
    written. A provider LiteLLM has no chat completions for (`"openai_like"`, `"voyage"` ...:
    it raises "Unmapped LLM provider" before sending anything) is reported given W&B's URL,
    and in porting mode given none, with no fix, as is one LiteLLM posts to another path
    than `<api_base>/chat/completions` (`"heroku"`: `/v1/chat/completions`,
    `"text-completion-openai"`: `/completions` ...), and `"vllm"` given W&B's URL (LiteLLM
    runs the model in this process with the vllm package and sends nothing; given no
    api_base it is local, and left alone).

    LangChain's `init_chat_model` picks its chat model class by the provider: `model_provider=`,
    else a `provider:` prefix, else one it infers from the name (`gpt-`: OpenAI's, `claude`:
    Anthropic's ...). Given none of these (`init_chat_model("Qwen/Qwen3.6-35B-A3B",
    base_url=...)`, most W&B IDs), it raises ValueError. That is reported in porting mode or
    not, with a safe fix that adds `model_provider="openai"` (its `ChatOpenAI` sends the model
    to the base URL as written); so is such a model written in another module (the fix goes
    in the call). Given W&B's base URL, a provider whose class sends no chat request W&B serves
    (`model_provider="anthropic"`, `"anthropic:..."`, a `claude-` name: ChatAnthropic calls
    Anthropic's Messages API at that URL; ChatGroq posts to `<base_url>/openai/v1/...`) is
    reported too: with no fix for `model_provider=`, else with an unsafe fix that writes
    `openai:` and the W&B model (in porting mode, or the same weights). In porting mode, given
    no base URL, a call that builds another provider's class (`model_provider="groq"`,
    `"groq:..."`, a `mistral-` name) is reported with no fix: that class sends the model to
    its own provider with that provider's key, and the provider, base URL, key and model all
    change (its model is not judged by WB501).
    """

    code = "WB108"
    name = "foreign-provider-prefix"
    severity = Severity.ERROR
    fix_safety = FixSafety.SOMETIMES

    def check_request(self, request: Request) -> Iterator[Report]:
        if request.client.unmapped_provider:
            yield from self._unmapped(request, request.client.unmapped_provider)
            return
        if request.client.misposted_provider:
            yield from self._unmapped(request, request.client.misposted_provider, misposted=True)
            return
        if request.client.other_api is not None:
            yield from self._other_api(request, request.client.other_api)
            return
        if request.client.unplaced_model:
            yield from self._unplaced(request, request.client.unplaced_model)
            return
        if self.context.options.assume_wandb and _builds_another_class(request.client):
            yield from self._another_class(request)
            return
        provider = request.client.routed_to
        keyword = request.arguments.get("model")
        if provider is None or keyword is None or not self.context.options.assume_wandb:
            return
        written = self.resolver.evaluate(keyword.value, request.scope)
        if not isinstance(written, str):
            head = written_head(self.resolver, keyword.value, request.scope)
            if head is None or not head.startswith(provider.prefix):
                return  # a model of another module: reported there (`check_module`)
            keyed = request.client.arguments.get("api_key") is not None
            message = self._message(request.client.label, provider, f"{head}…", None, keyed)
            yield from self.once(keyword.value, message, None)  # which model is not known
            return
        literal = self.resolver.written(keyword.value, request.scope)
        node = literal if isinstance(literal, (cst.SimpleString, cst.FormattedString)) else None
        target = self._target(written[len(provider.prefix) :])
        keyed = request.client.arguments.get("api_key") is not None
        message = self._message(request.client.label, provider, written, target, keyed)
        fix = self._fix(request.client, node, written, target)
        yield from self._once_read(request, keyword.value if node is None else node, message, fix)

    def _once_read(
        self, request: Request, node: cst.CSTNode, message: str, fix: FixProposal | None
    ) -> Iterator[Report]:
        """The report, with no fix when a W&B request of the project sends the literal as
        written (or strips another prefix): `wandb/<id>` would break it."""
        if fix is not None and self.first_time(node):
            assert request.library is not None
            readings = model_readings(self.context.facts, node, {ROUTED_READING: ""})
            readings[ROUTED_READING] = request.library.row.library
            if len(readings) > 1:
                yield self.report(node, message + differently_read(readings))
            else:
                yield self.report(node, message, fix)
            return
        yield from self.once(node, message, fix)

    def _other_api(self, request: Request, provider: ProviderRoute) -> Iterator[Report]:
        """`anthropic/...` given W&B's base URL: LiteLLM calls Anthropic's API there (or sends
        another model name), which W&B does not serve, in porting mode or not."""
        if provider.client:
            yield from self._other_class(request, provider)
            return
        keyword = request.arguments.get("model")
        written = None if keyword is None else self.resolver.evaluate(keyword.value, request.scope)
        if keyword is None or not isinstance(written, str):
            return
        literal = self.resolver.written(keyword.value, request.scope)
        node = literal if isinstance(literal, (cst.SimpleString, cst.FormattedString)) else None
        named = self._named_provider(request.client)
        if named is not None:
            # `custom_llm_provider="anthropic"`: the keyword, not a prefix, routes the call; a
            # new model alone would still go there.
            message = (
                f"{request.client.label} is given W&B's base URL, but custom_llm_provider="
                f"{named!r} makes LiteLLM send it as {provider.provider}'s model: it sends no chat "
                f"request W&B serves ({provider.provider}'s own API, or another model name), and "
                f"the request fails. Remove custom_llm_provider= and write {WANDB_PREFIX!r} and "
                f"a W&B model ID (LiteLLM's W&B prefix, which reads {self._wandb_key})"
            )
            yield from self.once(keyword.value if node is None else node, message)
            return
        target = self._target(written[len(provider.prefix) :])
        if target is not None and target.substitution and not self.context.options.assume_wandb:
            target = None  # another model: only porting mode offers one (as WB501 does)
        message = (
            f"{request.client.label} is given W&B's base URL, but LiteLLM routes {written!r} by "
            f"its {provider.prefix!r} prefix as {provider.provider}'s model: it sends no chat "
            f"request W&B serves for it ({provider.provider}'s own API, or another model "
            "name), and the request fails"
        )
        tail = f"(LiteLLM's W&B prefix, which reads {self._wandb_key})"
        if target is None:
            message += f". Write {WANDB_PREFIX!r} and a W&B model ID {tail}"
        else:
            message += f". {target.why}: write {WANDB_PREFIX + target.model_id!r} {tail}"
        fix = self._fix(request.client, node, written, target)
        yield from self._once_read(request, keyword.value if node is None else node, message, fix)

    def _unmapped(self, request: Request, named: str, misposted: bool = False) -> Iterator[Report]:
        """`custom_llm_provider="openai_like"` given W&B's base URL: LiteLLM has no chat
        completions for that provider and raises before sending anything. `misposted`
        (`"heroku"`): it posts that provider's request to another path than
        `<base_url>/chat/completions`, the one W&B serves."""
        client = request.client
        assert client.library is not None
        convention = bundled_libraries().convention(client.library)
        keyword, _ = named_provider(self.resolver, convention, client.arguments, client.scope)
        node: cst.CSTNode = request.node if keyword is None else keyword.value
        name = convention.provider_keywords[0] if keyword is None else keyword.name
        subject = f"{name}={named!r}"
        remedy = (
            f"Remove {name}= (given W&B's URL, LiteLLM sends a model with no provider prefix to "
            "W&B as written), or write"
        )
        model = request.arguments.get("model")
        if client.provider_prefixed and model is not None:
            # `openai_like/<id>`: the model's prefix names the provider, as the keyword would
            literal = self.resolver.resolve(model.value, request.scope)
            node = literal if isinstance(literal, cst.SimpleString) else model.value
            subject = f"the model's {named + '/'!r} prefix (read as {name}={named!r})"
            remedy = "Write"
        fails = (
            f"LiteLLM posts the request for {subject} elsewhere than W&B's "
            "/chat/completions (another path), and the request fails"
            if misposted
            else f"LiteLLM has no chat completions for {subject}: it raises "
            'BadRequestError ("Unmapped LLM provider for this endpoint") and sends nothing'
        )
        if named in convention.unposted:
            fails = (
                f"for {subject} LiteLLM runs the model in this process with the local "
                "vllm package: it does not use the base URL, and nothing is sent to W&B"
            )
        if client.base_url_value is None:  # `openai_like` raises given no URL too
            message = (
                f"{client.label} is given no base URL, and {fails}. Write {WANDB_PREFIX!r} "
                f"and a W&B model ID (LiteLLM's W&B prefix, which reads {self._wandb_key}), "
                f"or remove {name}= and give W&B's base URL"
            )
            yield from self.once(node, message)
            return
        message = (
            f"{client.label} is given W&B's base URL, but {fails}. {remedy} {WANDB_PREFIX!r} "
            f"and a W&B model ID (LiteLLM's W&B prefix, which reads {self._wandb_key})"
        )
        yield from self.once(node, message)

    def _other_class(self, request: Request, built: ProviderRoute) -> Iterator[Report]:
        """init_chat_model given W&B's base URL builds a class that sends no chat request W&B
        serves there (ChatAnthropic: Anthropic's Messages API), in porting mode or not."""
        client = request.client
        assert client.library is not None and isinstance(client.node, cst.Call)
        convention = bundled_libraries().convention(client.library)
        keyword = request.arguments.get("model")
        written = None if keyword is None else self.resolver.evaluate(keyword.value, request.scope)
        named_by, named = named_provider(self.resolver, convention, client.arguments, client.scope)
        if named_by is not None:
            how = f"{named_by.name}={named!r}"
        elif isinstance(written, str) and written.startswith(built.prefix):
            how = f"the {built.prefix!r} prefix of {written!r}"
        else:
            shown = repr(written) if isinstance(written, str) or keyword is None else None
            if shown is None and keyword is not None:
                shown = cst.Module([]).code_for_node(keyword.value)
            how = f"the model {shown} (LangChain infers {built.prefix[:-1]!r} from its name)"
        openai = convention.openai_provider
        message = (
            f"{client.library.library}'s {client.library.label} is given W&B's base URL, but "
            f"{how} makes it build {built.client}, which sends no chat request W&B serves "
            f"({built.provider}'s own API at that URL), and the request fails"
        )
        tail = f"(its {convention.openai_client} sends the model to the base URL as written)"
        literal = None if keyword is None else self.resolver.resolve(keyword.value, request.scope)
        target = None
        if named_by is None and isinstance(written, str) and isinstance(literal, cst.SimpleString):
            target = self._target(written.removeprefix(built.prefix))
            if target is not None and target.substitution and not self.context.options.assume_wandb:
                target = None  # another model: only porting mode offers one (as WB501 does)
        if target is None:
            if named_by is not None:
                message += f". Pass {named_by.name}={openai!r} {tail} and a W&B model ID"
            else:
                message += f". Write {openai + ':'!r} and a W&B model ID {tail}"
            node = client.node.func if keyword is None else keyword.value
            yield from self.once(literal if literal is not None else node, message)
            return
        new = convention.spelled(target.model_id)
        message += f". {target.why}: write {new!r} {tail}"
        assert isinstance(literal, cst.SimpleString)
        edit = Replacement(literal, string_like(literal, new))
        yield from self.once(literal, message, unsafe_fix(f"Replace with {new!r}", edit))

    def _another_class(self, request: Request) -> Iterator[Report]:
        """Porting mode: init_chat_model given no base URL builds another provider's class
        (`model_provider="groq"`, `"groq:..."`, a `mistral-` name), which sends the model to
        that provider's own API with that provider's key: the call is retargeted as a
        whole (provider, base URL, key, model), so no fix is offered."""
        client = request.client
        assert client.library is not None and isinstance(client.node, cst.Call)
        convention = bundled_libraries().convention(client.library)
        picked = str(client.other_provider)
        keyword = request.arguments.get("model")
        written = None if keyword is None else self.resolver.evaluate(keyword.value, request.scope)
        named_by, named = named_provider(self.resolver, convention, client.arguments, client.scope)
        if named_by is not None:
            how = f"{named_by.name}={named!r}"
        elif isinstance(written, str) and written.startswith(f"{picked}:"):
            how = f"the {picked + ':'!r} prefix of {written!r}"
        else:
            how = f"the model {written!r} (LangChain infers {picked!r} from its name)"
        built = convention.provider_class(picked)
        made = f"{built.client}" if built is not None else f"the {picked!r} provider's own class"
        openai = convention.openai_provider
        message = (
            f"{client.library.library}'s {client.library.label} is given no base URL, and {how} "
            f"makes it build {made}, which sends the model to that provider's own API with "
            "that provider's key, not to W&B. Pass "
            f"{convention.provider_keywords[0]}={openai!r} (its {convention.openai_client} sends "
            f"the model as written), W&B's base URL, api_key from {self._wandb_key} and a W&B "
            "model ID"
        )
        if isinstance(written, str):
            target = self._target(written.removeprefix(f"{picked}:"))
            if target is not None:
                message += f" ({target.why})"
        literal = None if keyword is None else self.resolver.resolve(keyword.value, request.scope)
        node = client.node.func if keyword is None else keyword.value
        yield from self.once(literal if isinstance(literal, cst.SimpleString) else node, message)

    def _named_provider(self, client: Client) -> str | None:
        """The provider a LiteLLM call's `custom_llm_provider=` names, if it is one."""
        if client.library is None:
            return None
        convention = bundled_libraries().convention(client.library)
        keyword, named = named_provider(self.resolver, convention, client.arguments, client.scope)
        return named if keyword is not None and convention.names_provider(named) else None

    def _unplaced(self, request: Request, model: str) -> Iterator[Report]:
        """init_chat_model given no provider and a model it infers none from: it raises."""
        client = request.client
        assert client.library is not None and isinstance(client.node, cst.Call)
        convention = bundled_libraries().convention(client.library)
        provider = convention.openai_provider
        message = (
            f"{client.library.library}'s {client.library.label} is given no model_provider, "
            f"and {model!r} has no 'provider:' prefix and starts with no name LangChain "
            'infers a provider from: it raises ValueError ("Unable to infer model provider")'
        )
        keyword = request.arguments.get("model")
        literal = None if keyword is None else self.resolver.resolve(keyword.value, request.scope)
        node = literal if isinstance(literal, cst.SimpleString) else client.node.func
        if keyword is not None and node is client.node.func:
            node = keyword.value
        named = f"model_provider={provider!r}"
        new_call = with_arg(
            client.node, keyword_arg(convention.provider_keywords[0], _string(provider))
        )
        made = f"LangChain then makes {convention.openai_client}, which sends the model"
        if not client.unplaced_url_missing:
            message += f". Pass {named}: {made} to the base URL as written"
            fix = safe_fix(f"Add {named}", Replacement(client.node, new_call))
            yield from self.once(node, message, fix)
            return
        # Given no base URL (porting mode), ChatOpenAI would go to api.openai.com (WB102):
        # the provider and W&B's URL are written together.
        url_keyword, url = client.base_url_keyword, self.spec.api.base_url
        message += (
            f". Pass {named} and {url_keyword}={url!r}: {made} to W&B as written (given no "
            f"{url_keyword}, to api.openai.com)"
        )
        new_call = with_arg(new_call, keyword_arg(url_keyword, _string(url)))
        title = f"Add {named} and W&B's {url_keyword}"
        yield from self.once(node, message, unsafe_fix(title, Replacement(client.node, new_call)))

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        """A model written here that a library call in another module sends elsewhere."""
        if not self.context.options.assume_wandb:
            return
        for use in facts.value_uses:
            provider = _provider(use.prefix) if use.parameter in ROUTED else None
            if provider is None or not isinstance(use.value, str):
                continue
            target = self._target(use.value[len(provider.prefix) :])
            keyed = use.parameter == ROUTED_MODEL_KEYED
            message = self._message(f"{use.library}'s call", provider, use.value, target, keyed)
            message += f" (sent by the {use.library} call in {use.request})"
            fix = None
            if keyed:
                message += f"; make that call's api_key read {self._wandb_key} too"
            elif target is not None:
                readings = model_readings(facts, use.node, {ROUTED_READING: use.library})
                if len(readings) > 1:
                    # A W&B request elsewhere sends the literal as written (or strips another
                    # prefix): `wandb/<id>` would be a 404 there.
                    message += differently_read(readings)
                else:
                    edit = _rewritten(use.node, use.value, WANDB_PREFIX + target.model_id)
                    fix = None if edit is None else unsafe_fix(_title(target), edit)
            yield from self.once(use.node, message, fix)

    @property
    def _wandb_key(self) -> str:
        return self.spec.api.porting.wandb_key_variable

    def _target(self, provider_id: str) -> Target | None:
        """The W&B model to send instead of the provider's `provider_id`."""
        catalog = self.spec.models
        if catalog.is_fix_target(provider_id):
            return Target(provider_id, f"W&B serves {provider_id!r} too")
        mapped = catalog.other_provider_ids.get(provider_id)
        if mapped is None:
            mapped = _same_name(provider_id, catalog.served_ids)
        if mapped is not None and catalog.is_fix_target(mapped):
            return Target(mapped, f"W&B serves the same weights as {mapped!r}")
        row = substitution_for(provider_id, self.spec.substitutions, catalog)
        if row is None:
            return None
        why = (
            f"W&B has no model with the same weights; the closest served model is "
            f"{row.wandb_id!r} ({row.reason}), a substitution: its answers, limits and price "
            "differ"
        )
        return Target(row.wandb_id, why, substitution=True)

    def _message(
        self,
        label: str,
        provider: ProviderRoute,
        written: str,
        target: Target | None,
        keyed: bool,
    ) -> str:
        """`keyed`: the call passes an `api_key` (else LiteLLM reads the provider's)."""
        wandb = self._wandb_key
        key = "the api_key it is given" if keyed else provider.reads
        head = (
            f"{label} sends {written!r} to {provider.provider} with {key}, not to W&B "
            f"Inference: LiteLLM routes it by its {provider.prefix!r} prefix"
        )
        tail = f"(LiteLLM's W&B prefix, which reads {wandb})"
        if target is None:
            return f"{head}. Write {WANDB_PREFIX!r} and a W&B model ID {tail}"
        return f"{head}. {target.why}: write {WANDB_PREFIX + target.model_id!r} {tail}"

    def _fix(
        self, client: Client, node: cst.CSTNode | None, written: str, target: Target | None
    ) -> FixProposal | None:
        if target is None or node is None:
            return None
        model = _rewritten(node, written, WANDB_PREFIX + target.model_id)
        key = self._key_edits(client)
        if model is None or key is None:
            return None
        title = _title(target)
        if key:
            title += f", with the key from {self._wandb_key}"
        return unsafe_fix(title, model, *key)

    def _key_edits(self, client: Client) -> list[Replacement] | None:
        """The edits that make the call's `api_key=` read the W&B key: none when none is
        needed (no key given: LiteLLM reads it), None when the key cannot be rewritten."""
        api_key = client.arguments.get("api_key")
        if api_key is None:
            return [] if client.arguments.complete else None
        read = env_read(api_key.value, client.scope, self.resolver)
        if read is None:
            return None
        if read.variable == self._wandb_key:
            return []
        edit = renamed_read(read, self._wandb_key)
        return None if edit is None else [edit]


def _string(text: str) -> cst.SimpleString:
    return cst.SimpleString(f'"{text}"')


def _title(target: Target) -> str:
    title = f"Send {WANDB_PREFIX + target.model_id!r} to W&B"
    return title + " (a substitution, not the same model)" if target.substitution else title


@functools.cache
def _provider(prefix: str) -> ProviderRoute | None:
    """The provider a LiteLLM-convention prefix names (`meta_llama/`)."""
    for convention in bundled_libraries().conventions.values():
        found = convention.sent_elsewhere(prefix) if prefix else None
        if found is not None:
            return found
    return None


def _same_name(provider_id: str, served: tuple[str, ...]) -> str | None:
    """The one served ID that is `provider_id` with an organisation in front (Meta's Llama
    API's `Llama-3.3-70B-Instruct` is W&B's `meta-llama/Llama-3.3-70B-Instruct`)."""
    tail = "/" + provider_id.lower()
    found = [model_id for model_id in served if model_id.lower().endswith(tail)]
    return found[0] if len(found) == 1 else None


def _rewritten(node: cst.CSTNode, written: str, new: str) -> Replacement | None:
    """The edit that makes the literal `node` (which evaluates to `written`) say `new`: a
    string is rewritten whole; an f-string keeps its `{...}` parts when `new` ends with what
    they and the text after them make (`f"meta_llama/{M}"` -> `f"wandb/meta-llama/{M}"`)."""
    if isinstance(node, cst.SimpleString):
        return Replacement(node, string_like(node, new))
    if not isinstance(node, cst.FormattedString) or not node.parts:
        return None
    head = node.parts[0]
    if not isinstance(head, cst.FormattedStringText) or any(c in head.value for c in "{}\\"):
        return None  # no head, or one whose text is not what it evaluates to
    if not written.startswith(head.value):
        return None
    tail = written[len(head.value) :]
    if not new.endswith(tail) or len(new) == len(tail):
        return None
    text = new[: len(new) - len(tail)]
    if any(char in text for char in "{}\\\n'\""):
        return None
    return Replacement(head, head.with_changes(value=text))


def _builds_another_class(client: Client) -> bool:
    """init_chat_model given no base URL that builds another provider's class
    (`Client.other_provider`, set only given no base URL; "" when the name does not say
    which): it sends the model to that provider."""
    if client.library is None or not client.other_provider:
        return False
    convention = bundled_libraries().convention(client.library)
    return bool(convention.openai_provider) and client.base_url_value is None
