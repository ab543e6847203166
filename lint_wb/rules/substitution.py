"""WB501's two answers for a model W&B does not serve, besides a same-weights ID: a near typo
of a served ID ("did you mean"), or, when porting, a substitution from the data's table.

A suggestion is only ever a near typo: `openai/gpt-3.5-turbo` is not a misspelling of
`openai/gpt-oss-20b`, however many characters they share. Another provider's model is never
"meant" as a W&B one; under assume-wandb it gets the table's stand-in, named as such.
"""

from __future__ import annotations

from collections.abc import Iterable

from lint_wb.spec import ModelCatalog
from lint_wb.spec.porting_types import Substitution, Substitutions

TYPO_BUDGET_PER_CHARACTERS = 12
"""One edit allowed per this many characters of the served ID (at least one, at most three)."""
MAX_TYPOS = 3


def near_typo(model_id: str, served: Iterable[str]) -> str | None:
    """The served ID `model_id` misspells, if it is close enough to be a typo of one: a few
    edits apart (case aside; a swap of neighbours is one edit), or the ID without its
    `provider/` prefix. The closest wins; None when nothing is that close."""
    lowered = model_id.lower()
    best: tuple[int, str] | None = None
    for candidate in served:
        target = candidate.lower()
        if target.endswith("/" + lowered):
            return candidate
        budget = min(MAX_TYPOS, max(1, len(target) // TYPO_BUDGET_PER_CHARACTERS))
        distance = edit_distance(lowered, target, budget)
        if distance <= budget and (best is None or distance < best[0]):
            best = (distance, candidate)
    return None if best is None else best[1]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours),
    or `limit + 1` as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            swapped = i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
            if swapped:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[len(b)]


def substitution_for(
    model_id: str, table: Substitutions, catalog: ModelCatalog
) -> Substitution | None:
    """The table's stand-in for `model_id`, when the snapshot in use lets a fix write it."""
    row = table.for_model(model_id)
    return row if row is not None and catalog.is_fix_target(row.wandb_id) else None


def substitution_message(model_id: str, row: Substitution, note: str) -> str:
    return (
        f"Model {model_id!r} ({row.provider}) is not served by W&B ({note}): requests "
        f"fail with 404, and W&B has no model with the same weights. The closest served model "
        f"is {row.wandb_id!r}: {row.reason}. It is a substitution, not the same model: its "
        "answers, limits and price differ"
    )
