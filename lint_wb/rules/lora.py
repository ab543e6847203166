"""WB504: a LoRA artifact URI (`wandb-artifact:///team/project/name:alias`) of the wrong shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lint_wb.findings import Severity
from lint_wb.rules.base import FixSafety, Report
from lint_wb.rules.model_use import ModelRule, ModelUse, is_lora_uri

_SEGMENT = re.compile(r"^[^/:\s]+$")


class MalformedLoraUri(ModelRule):
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

    def check_use(self, use: ModelUse) -> Iterator[Report]:
        catalog = self.spec.models
        lora = catalog.facts.lora
        if not is_lora_uri(catalog, use.id):
            return
        rest = use.id[len(lora.prefix) :]
        path = rest.lstrip("/")
        slashes = len(rest) - len(path)
        problems = lora_path_problems(path)
        if slashes != 3:
            plural = "" if slashes == 1 else "es"
            problems.insert(0, f"{slashes} slash{plural} after '{lora.prefix}' instead of three")
        if not problems:
            return
        message = (
            f"LoRA URI {use.id!r} is malformed ({'; '.join(problems)}): W&B cannot find the "
            f"artifact. The shape is {lora.shape!r}{use.sent_by()}"
        )
        fix = None
        if slashes != 3 and len(problems) == 1:
            fix = use.fix(True, f"{lora.prefix}///{path}")
        yield from self.once(use.node, message, fix)


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
