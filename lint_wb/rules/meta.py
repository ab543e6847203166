"""WB9xx: about the file and the suppressions, not the API. The engine raises these itself."""

from __future__ import annotations

from lint_wb.findings import Severity
from lint_wb.rules.base import FixSafety, Rule


class InternalError(Rule):
    """lint-wb itself failed on this file.

    ## What it does
    Reports a file on which lint-wb raised an error of its own (a bug in lint-wb, never the
    user's fault), at its first line, with the error and where in lint-wb it happened. The
    other files are still checked and keep their findings, and the run exits with code 2.
    It is always reported: `select` and `ignore` do not turn it off.

    ## Why is this bad?
    Nothing in the file was checked, so a clean result for it would be a false promise.

    ## Example
    Any file that makes lint-wb fail: no code is wrong on purpose here.
    Use instead: report the bug with the file; exclude the file until it is fixed.

    ## Fix safety
    No fix.
    """

    code = "WB900"
    name = "internal-error"
    severity = Severity.ERROR
    wandb_only = False


class SyntaxErrorRule(Rule):
    """A file that cannot be parsed.

    ## What it does
    Reports a Python file that Python itself cannot compile, at the place and with the
    words CPython gives (`'(' was never closed`, `too many nested parentheses`), before
    lint-wb's own parser sees it. Code for Python 3.12 (PEP 701 f-strings, PEP 695 type
    parameters) linted on Python 3.10 or 3.11 is checked as 3.12 checks it; a file of such
    code too large to read that way on the older Python (over 200,000 characters, say) is
    WB901 with a note saying so: run lint-wb on Python 3.12 or newer for it. Code Python
    compiles but lint-wb's parser (libcst) cannot read is WB901 too, saying that this is a
    limit of lint-wb, not an error in the code (a prompt of 4,000 implicitly concatenated
    strings, which libcst alone refuses, is read: such a WB901 should be rare; report it).

    ## Why is this bad?
    Nothing in the file can be checked, and (unless the message says the limit is lint-wb's)
    Python will not run it either. lint-wb reports it and goes on with the other files.

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
