"""WB9xx: about the file and the suppressions, not the API. The engine raises these itself."""

from __future__ import annotations

from lint_wb.findings import Severity
from lint_wb.rules.base import FixSafety, Rule


class SyntaxErrorRule(Rule):
    """A file that cannot be parsed.

    ## What it does
    Reports a Python file that libcst cannot parse, at the place the parser gave up.

    ## Why is this bad?
    Nothing in the file can be checked, and Python will not run it either. lint-wb reports
    it and goes on with the other files.

    ## Example
    ```python
    client.chat.completions.create(model="openai/gpt-oss-120b", messages=[
    ```
    Use instead: close the bracket.

    ## Fix safety
    No fix.
    """

    code = "WB901"
    name = "syntax-error"
    severity = Severity.ERROR
    wandb_only = False


class UnusedNoqa(Rule):
    """A `noqa` comment for a lint-wb code that suppressed nothing.

    ## What it does
    Flags a lint-wb code in a `# noqa: ...` comment when no finding with that code is
    reported on the lines the comment covers, and codes that are not lint-wb codes at all
    (`WB999`). Codes of other tools (`E501`, `F401`) and a bare `# noqa` are left alone.

    ## Why is this bad?
    A stale suppression hides the next real finding on that line.

    ## Example
    ```python
    response = client.chat.completions.create(model=MODEL, messages=msgs)  # noqa: WB301
    ```
    Use instead:
    ```python
    response = client.chat.completions.create(model=MODEL, messages=msgs)
    ```

    ## Fix safety
    Safe: removes the unused codes, or the whole comment when nothing is left in it.
    """

    code = "WB902"
    name = "unused-noqa"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    wandb_only = False
