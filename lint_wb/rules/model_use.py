"""The model a request names, as the WB5xx rules and the capability rules (WB203, WB303) read it.

What the snapshot says about a model ID lives in `spec.models`; this module reads `model=`
from a request and knows which lifecycles count as served.
"""

from __future__ import annotations

from dataclasses import dataclass

from lint_wb._cst import cst
from lint_wb.analysis import Keyword, Request, Resolver
from lint_wb.rules.base import FixProposal, Replacement, safe_fix, unsafe_fix
from lint_wb.rules.edits import string_like
from lint_wb.spec import SERVED_LIFECYCLES, Model, ModelCatalog

LORA_SCHEME = "wandb-artifact:"
SERVED = SERVED_LIFECYCLES
EFFORT_PARAMETER = "reasoning_effort"


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
    return catalog.served(model_id)


def own_effort_values(
    catalog: ModelCatalog, resolver: Resolver, request: Request
) -> tuple[str, ...] | None:
    """The reasoning_effort values the request's served model takes, when the snapshot lists
    them. WB203 checks a value against them; WB301's general choices then do not apply."""
    use = model_use(resolver, request)
    model = None if use is None else served_model(catalog, use.id)
    return None if model is None else model.reasoning_effort


def snapshot_note(catalog: ModelCatalog) -> str:
    return f"model snapshot of {catalog.date}"


def is_lora_uri(model_id: str) -> bool:
    return model_id.startswith(LORA_SCHEME)
