"""The model a request names, as the WB5xx rules and the capability rules (WB203, WB303) read it.

What the snapshot says about a model ID lives in `spec.models`; this module reads `model=`
from a request and knows which lifecycles count as served.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeGuard

from lint_wb._cst import cst
from lint_wb.analysis import ModuleFacts, Request, Resolver, UrlKind
from lint_wb.analysis.facts import ROUTED_MODEL, ROUTED_MODEL_KEYED
from lint_wb.analysis.libraries import named_provider
from lint_wb.records import dataclass
from lint_wb.rules.base import (
    FixProposal,
    Replacement,
    Report,
    ReportsOnce,
    RuleContext,
    safe_fix,
    unsafe_fix,
)
from lint_wb.rules.edits import string_like
from lint_wb.spec import Model, ModelCatalog, bundled_libraries
from lint_wb.spec.library_types import ModelConvention

EFFORT_PARAMETER = "reasoning_effort"


@dataclass(frozen=True)
class ModelUse:
    """A model ID a request sends, where it is written, and the string literal that spells
    it, if there is one."""

    id: str
    node: cst.CSTNode
    """Where findings about the model point: the literal where it is written (in the call,
    a constant, a dict entry, another module's settings), else the keyword's value."""
    literal: cst.SimpleString | None
    """The literal a fix rewrites."""
    request: str | None = None
    """For a literal sent by a request in another place: names that request."""
    prefix: str = ""
    """The provider prefix a library strips before the request (`openai/`), kept by fixes."""
    library: str = ""
    """The library that strips it, for messages."""
    bare_in: ModelConvention | None = None
    """For a model written with no provider prefix that the library sends to W&B's URL as
    written (LiteLLM's `gpt-4o-mini`; init_chat_model's given no `model_provider`): its
    library's convention. A fix writes a new ID as that convention must be given it
    (`ModelConvention.spelled`: `wandb/openai/gpt-oss-120b`, `openai:Qwen/...`)."""
    named: str = ""
    """For such a model sent under the provider a keyword names (LiteLLM's
    `custom_llm_provider="openai"`): that provider, whose prefix a fix may have to write."""

    @property
    def preface(self) -> str:
        """`CrewAI strips 'openai/', so W&B receives 'meta-llama/...'. ` (or nothing)."""
        if not self.prefix:
            return ""
        return f"{self.library} strips {self.prefix!r}, so W&B receives {self.id!r}. "

    def sent_by(self) -> str:
        """The tail of a message that names the request elsewhere that sends the model."""
        if self.request is None:
            return ""
        sender = f"the {self.library} call" if self.library else "the request"
        return f" (sent by {sender} in {self.request})"

    def written(self, new_id: str) -> str:
        """What the literal must hold for W&B to receive `new_id`."""
        if self.bare_in is not None:
            return self.bare_in.spelled(new_id, self.named)
        return self.prefix + new_id

    def written_as(self, new_id: str) -> str:
        """The tail of a message naming a new ID, when the library must be given it spelt
        otherwise (LiteLLM's `wandb/openai/gpt-oss-120b`, LangChain's `openai:Qwen/...`)."""
        written = self.written(new_id)
        if self.bare_in is None or written == new_id:
            return ""
        return f" (written {written!r}, for {self.library} to send it as it is)"

    def fix(self, safe: bool, new_id: str) -> FixProposal | None:
        if self.literal is None:
            return None
        written = self.written(new_id)  # what the literal holds after the fix
        edit = Replacement(self.literal, string_like(self.literal, written))
        make = safe_fix if safe else unsafe_fix
        return make(f"Replace with {written!r}", edit)


def is_model_id(value: object) -> TypeGuard[str]:
    """Whether a value `model=` evaluates to is judged as a model ID: a string with some text.
    An empty (or blank) one is a model left unset (`os.getenv("MODEL", "")`, a parameter
    defaulting to `""`), which the code checks before it sends a request, as `or` reads it."""
    return isinstance(value, str) and value.strip() != ""


def _blank_in_call(value: object, written: cst.BaseExpression) -> TypeGuard[str]:
    """A blank model written as a literal in the request itself (`model=""`, also `f""` or
    `"" ""`): no default left unset but a request certain to fail, judged. The project index
    judges no blank it is told of (`is_model_id`), so it is judged once, here."""
    return isinstance(value, str) and _literal_text(written)


def _literal_text(node: cst.BaseExpression) -> bool:
    """A string written out in full: a literal, an f-string with no replacement field, or an
    implicit concatenation of such."""
    if type(node) is cst.SimpleString:
        return True
    if type(node) is cst.FormattedString:
        return all(type(part) is cst.FormattedStringText for part in node.parts)
    if type(node) is cst.ConcatenatedString:
        return _literal_text(node.left) and _literal_text(node.right)
    return False


def model_use(resolver: Resolver, request: Request) -> ModelUse | None:
    """The model of `request` when `model=` resolves to a string, else None: read once per
    request (every model rule and the capability rules ask)."""
    read = request.model_read
    if read is None:
        read = request.model_read = (_model_use(resolver, request),)
    found = read[0]
    assert found is None or isinstance(found, ModelUse)
    return found


def _model_use(resolver: Resolver, request: Request) -> ModelUse | None:
    keyword = request.arguments.get("model")
    if keyword is None:
        return None
    value = resolver.evaluate(keyword.value, request.scope)
    if not is_model_id(value) and not _blank_in_call(value, keyword.value):
        return None
    node, literal = resolver.value_place(keyword.value, request.scope)
    if request.library is None or request.library.convention.verbatim:
        return ModelUse(value, node, literal)
    convention = request.library.convention
    library = request.library.row.library
    client = request.client
    if client.other_api is not None:
        return None  # no chat request W&B serves (WB108): no model of W&B's to judge
    if convention.openai_provider and client.other_provider and client.base_url_value is None:
        return None  # init_chat_model builds another provider's class given no URL (WB108)
    keyword, named = named_provider(resolver, convention, client.arguments, client.scope)
    if convention.openai_provider and keyword is not None:
        # Given model_provider, init_chat_model sends even an `openai:` name as written.
        if not convention.sends_as_written(named):
            literal = None  # ChatGroq posts elsewhere: a new ID would not reach W&B either
        return ModelUse(value, node, literal)
    given = keyword is not None and convention.bare_by_base_url
    sure = given and convention.names_provider(named)
    if given and not sure:
        literal = None  # read as written, as before; how to write a new ID depends on it
    routed = convention.as_routed(value, named, sure)
    route = convention.route(routed)
    if route is None and convention.unknown_prefix_raises:
        # The Agents SDK's model name: as written, or (`meta-llama/...`) a raise WB501 names.
        if value.startswith(convention.other_prefixes):
            return None  # `litellm/...`: a provider of the library's own, not the client's
        return ModelUse(value, node, literal, library=library, bare_in=convention)
    if route is None:
        provider = convention.other_api(routed)
        if provider is not None and provider.to_api_base and _to_wandb_url(request):
            # `groq/<id>` with W&B's api_base: LiteLLM posts `<id>` to W&B.
            model_id = routed[len(provider.prefix) :]
            if sure and not value.startswith(provider.prefix):
                return _under_named(model_id, node, literal, library, convention, named)
            return ModelUse(model_id, node, literal, prefix=provider.prefix, library=library)
        if sure and convention.posts_model(named) and _to_wandb_url(request):
            # `hosted_vllm`, `baseten` ...: LiteLLM posts the model, less that provider's
            # prefix, to the api_base given. Judged; a fix would depend on the provider.
            model_id = routed[len(named or "") + 1 :]
            return ModelUse(model_id, node, None, library=library)
        if sure:
            return None  # `custom_llm_provider=` names another provider: not W&B's to judge
        posted = None if keyword is not None else convention.posted_prefix(value)
        if posted is not None:
            # `hosted_vllm/<id>`: read as `custom_llm_provider="hosted_vllm"` is, above.
            if not _to_wandb_url(request):
                return None
            prefix = f"{posted}/"
            return ModelUse(value[len(prefix) :], node, None, prefix=prefix, library=library)
        if _bare_to_wandb(request, value):
            # `gpt-4o-mini` with W&B's api_base, or with none (WB102 adds it): sent as written.
            return ModelUse(value, node, literal, library=library, bare_in=convention)
        prefix = convention.provider_prefix(value)
        built = convention.provider_class(prefix[:-1]) if prefix else None
        if built is not None:
            # `deepseek:deepseek-ai/...`: init_chat_model strips the prefix and builds that
            # provider's class, which posts the rest to the base URL as it is given it
            # (ChatDeepSeek; a class that posts no such request is WB108's). A class the
            # data does not describe (`groq:`) is judged as written, as before.
            if not built.to_api_base or not _to_wandb_url(request):
                return None
            model_id = value[len(prefix) :]
            return ModelUse(model_id, node, literal, prefix=prefix, library=library)
        if convention.openai_provider and not client.unplaced_model:
            # init_chat_model picks the class by the name: a new one must still pick OpenAI's.
            # (For a name it places with none, WB108's fix names the provider.)
            return ModelUse(value, node, literal, library=library, bare_in=convention)
        # LiteLLM's `anthropic/...`: another provider's model, not W&B's to judge.
        return ModelUse(value, node, literal) if convention.bare_verbatim else None
    model_id = routed[len(route.prefix) :]
    if sure and not value.startswith(route.prefix):
        # `custom_llm_provider="openai"` put the prefix in front: a fix writes no prefix.
        return _under_named(model_id, node, literal, library, convention, named)
    return ModelUse(model_id, node, literal, prefix=route.prefix, library=library)


def _under_named(
    model_id: str,
    node: cst.CSTNode,
    literal: cst.SimpleString | None,
    library: str,
    convention: ModelConvention,
    named: str | None,
) -> ModelUse:
    """A model LiteLLM routes under the provider `custom_llm_provider=` names, its prefix
    not written: a fix writes a new ID as that provider must be given it."""
    return ModelUse(model_id, node, literal, library=library, bare_in=convention, named=named or "")


def _bare_to_wandb(request: Request, model: str) -> bool:
    """Whether a model with no provider prefix reaches W&B as written: LiteLLM sends it to
    the api_base when that is W&B's; given none, WB102's fix adds W&B's (`Client.bare_model`).
    (A provider keyword LiteLLM knows is read before: `_model_use`.)"""
    if request.client.bare_model:
        return True
    assert request.library is not None
    return _to_wandb_url(request) and request.library.convention.bare(model)


def _to_wandb_url(request: Request) -> bool:
    """Whether the request is given W&B's base URL (written, or resolved by the project)."""
    base_url = request.client.base_url
    return base_url.kind is UrlKind.WANDB and base_url.text is not None


def indexed_model_uses(facts: ModuleFacts) -> Iterator[ModelUse]:
    """The model literals of this module that W&B requests elsewhere send (`project/`)."""
    for use in facts.value_uses:
        if use.parameter == "model" and is_model_id(use.value):
            model_id = use.value[len(use.prefix) :]
            # A model with no prefix, sent as written (LiteLLM's `gpt-4o-mini`).
            spelled = bundled_libraries().conventions[use.spelled] if use.spelled else None
            yield ModelUse(
                model_id,
                use.node,
                use.literal,
                use.request,
                use.prefix,
                use.library,
                spelled,
                use.named,
            )


class ModelRule(ReportsOnce):
    """A rule about the model a W&B request sends: reported once per place it is written
    (`self.once`), whether the request stands in this module or elsewhere in the project."""

    def check_use(self, use: ModelUse) -> Iterator[Report]:
        raise NotImplementedError

    def check_request(self, request: Request) -> Iterator[Report]:
        use = model_use(self.resolver, request)
        if use is not None:
            yield from self._once(use)

    def check_module(self, facts: ModuleFacts) -> Iterator[Report]:
        for use in indexed_model_uses(facts):
            yield from self._once(use)

    def _once(self, use: ModelUse) -> Iterator[Report]:
        if use.id in self.context.options.extra_models:
            return
        readings: dict[tuple[str, str], str] | None = None
        for report in self.check_use(use):
            if report.fix is None:
                yield report
                continue
            if readings is None:
                readings = self._readings(use)
            if len(readings) > 1:
                # A spelling that one call reads as W&B's ID another reads as something else.
                note = differently_read(readings)
                report = replace(report, message=report.message + note, fix=None)
            yield report

    def _readings(self, use: ModelUse) -> dict[tuple[str, str], str]:
        """The ways the literal of `use` is read in the project (`model_readings`), with the
        reading of `use` itself: given more than one, a fix for one reading breaks another."""
        spelled = use.bare_in.name if use.bare_in is not None else ""
        readings = {(use.prefix, spelled): use.library}
        readings = model_readings(self.context.facts, use.node, readings)
        routed_by = routed_here(self.context, self.resolver, use.node)
        if routed_by is not None:
            readings.setdefault(ROUTED_READING, routed_by)
        return readings


ROUTED = (ROUTED_MODEL, ROUTED_MODEL_KEYED)
"""The parameters of a model a LiteLLM call sends to another provider by its prefix (WB108)."""
ROUTED_READING = ("wandb/", "")
"""How WB108 reads such a model: its fix writes LiteLLM's W&B prefix and a W&B ID, as a fix
of a model LiteLLM sends by its `wandb/` prefix does."""


def model_readings(
    facts: ModuleFacts, node: cst.CSTNode, readings: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """`readings` and the ways calls elsewhere in the project read the model literal `node`:
    the prefix a library strips and the convention a new ID is spelt in (a model LiteLLM
    sends to another provider by its prefix: `ROUTED_READING`), each with a library (or "",
    the OpenAI SDK) that reads it so."""
    for other in facts.value_uses:
        if other.node is not node:
            continue
        if other.parameter == "model":
            readings.setdefault((other.prefix, other.spelled), other.library)
        elif other.parameter in ROUTED:
            readings.setdefault(ROUTED_READING, other.library)
    return readings


def routed_here(context: RuleContext, resolver: Resolver, node: cst.CSTNode) -> str | None:
    """The library of a call of this module that sends the literal `node` to another
    provider by its prefix (LiteLLM's `groq/...` given no api_base, in porting mode; or
    `anthropic/...` given W&B's URL), which WB108 rewrites to `ROUTED_READING`. The index
    records such a reading only for a literal of another module than the call's
    (`model_readings`): a call's own module reads its own."""
    for request in context.facts.requests:
        client = request.client
        routed = client.routed_to is not None and context.options.assume_wandb
        other = client.other_api is not None and not client.other_api.client
        keyword = request.arguments.get("model")
        if request.library is None or keyword is None or not (routed or other):
            continue
        if resolver.written(keyword.value, request.scope) is node:
            return request.library.row.library
    return None


def differently_read(readings: dict[tuple[str, str], str]) -> str:
    """The tail of a message whose fix is dropped because `readings` need different
    spellings."""
    readers = " and ".join(sorted({library or "OpenAI SDK" for library in readings.values()}))
    return (
        f"; no fix: the {readers} calls that send it read it differently, so no one spelling "
        "serves them all"
    )


def served_model(catalog: ModelCatalog, model_id: str) -> Model | None:
    """The catalog's entry for `model_id` when the snapshot lists it as served."""
    return catalog.served(model_id)


def served_by(catalog: ModelCatalog, resolver: Resolver, request: Request) -> Model | None:
    """The served model a request sends, as the model's own rules (WB203, WB303) judge it:
    its `model=`, or the one a partial in another module passes it (`Request.told_model`)."""
    use = model_use(resolver, request)
    model_id = request.told_model if use is None else use.id
    return served_model(catalog, model_id) if model_id else None


def own_effort_values(
    catalog: ModelCatalog, resolver: Resolver, request: Request
) -> tuple[str, ...] | None:
    """The reasoning_effort values the request's served model takes, when the snapshot lists
    them. WB203 checks a value against them; WB301's general choices then do not apply."""
    model = served_by(catalog, resolver, request)
    return None if model is None else model.reasoning_effort


def snapshot_note(catalog: ModelCatalog) -> str:
    return f"model snapshot of {catalog.date}"


def is_lora_uri(catalog: ModelCatalog, model_id: str) -> bool:
    """Whether `model_id` is meant as a LoRA artifact URI (catalog.toml's scheme)."""
    return catalog.facts.lora.names(model_id)
