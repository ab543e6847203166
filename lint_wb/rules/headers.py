"""WB106: a header meant to name the W&B project that W&B does not read.

The sibling rules about the project's *value* (WB105) and the key (WB104) are in
`client_auth.py`; this one is about the header's *name*, wherever headers are given: an
OpenAI client's `default_headers`, a request's `extra_headers`, a library's `headers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from lint_wb._cst import cst
from lint_wb.analysis import Client, Keyword, Request
from lint_wb.analysis.dicts import read_dict
from lint_wb.analysis.scopes import Scope
from lint_wb.findings import Severity
from lint_wb.rules.base import (
    FixProposal,
    FixSafety,
    Replacement,
    Report,
    ReportsOnce,
    safe_fix,
)
from lint_wb.rules.edits import string_like

PROJECT_WORD: Final = "project"
MEANT_PREFIXES: Final = frozenset(
    {"", "x", "wandb", "xwandb", "wb", "xwb", "openai", "xopenai", "weave"}
)
"""What comes before `project` in a header name meant for W&B's project, letters only:
`project`, `X-Project`, `Wandb-Project`, `OpenAI_Project`, `X-WandB-Project` (lint-wb's own
guess at the misspellings people write; the right header is api.toml's [project])."""
CLIENT_HEADERS: Final = ("default_headers",)
REQUEST_HEADERS: Final = ("extra_headers",)


def meant_as_project_header(name: str, header: str) -> bool:
    """Whether a header name looks meant to name the W&B project but is not `header`, the
    one W&B reads (header names are case-insensitive, so `openai-project` is right)."""
    if name.strip().lower() == header.lower():
        return False
    letters = re.sub(r"[^a-z]", "", name.lower())
    return letters.endswith(PROJECT_WORD) and letters[: -len(PROJECT_WORD)] in MEANT_PREFIXES


class MisspeltProjectHeader(ReportsOnce):
    """A header meant to name the W&B project that W&B does not read.

    ## What it does
    Flags a header named like a project header but not `OpenAI-Project` (`project`,
    `X-Project`, `Wandb-Project`, `OpenAI_Project`...) in an OpenAI client's
    `default_headers`, a request's `extra_headers`, or the headers a library passes
    (LiteLLM's `headers` / `extra_headers`, LangChain's and LlamaIndex's `default_headers`,
    the Agents SDK's and pydantic-ai's `extra_headers` settings).

    ## Why is this bad?
    W&B reads the team and project from the `OpenAI-Project` header only. Any other name is
    ignored: usage is billed and traced to your default entity's `inference` project, or the
    request fails with 401 when the key has no default project.

    ## Example
    ```python
    client = OpenAI(
        base_url="https://api.inference.wandb.ai/v1",
        api_key=os.environ["WANDB_API_KEY"],
        default_headers={"project": "my-team/my-project"},
    )
    ```
    Use instead:
    ```python
    client = OpenAI(
        base_url="https://api.inference.wandb.ai/v1",
        api_key=os.environ["WANDB_API_KEY"],
        default_headers={"OpenAI-Project": "my-team/my-project"},
    )
    ```
    With LiteLLM:
    ```python
    litellm.completion(model="wandb/openai/gpt-oss-120b", messages=messages,
                       extra_headers={"X-Project": "my-team/my-project"})
    ```
    Use instead:
    ```python
    litellm.completion(model="wandb/openai/gpt-oss-120b", messages=messages,
                       extra_headers={"OpenAI-Project": "my-team/my-project"})
    ```

    ## Fix safety
    Safe: the header's name is renamed to `OpenAI-Project` in its own quotes, which is what
    the code meant. No fix when the dict already has an `OpenAI-Project` entry, or when the
    name is not a plain string literal.
    """

    code = "WB106"
    name = "misspelt-project-header"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check_client(self, client: Client) -> Iterator[Report]:
        names = CLIENT_HEADERS + (client.library.headers if client.library is not None else ())
        yield from self._keywords(client.arguments.keywords, names, client.scope)

    def check_request(self, request: Request) -> Iterator[Report]:
        yield from self._keywords(request.arguments.keywords, REQUEST_HEADERS, request.scope)

    def _keywords(
        self, keywords: dict[str, Keyword], names: tuple[str, ...], scope: Scope
    ) -> Iterator[Report]:
        for name in dict.fromkeys(names):
            keyword = keywords.get(name)
            if keyword is not None:
                yield from self._headers(keyword.value, scope)

    def _headers(self, node: cst.BaseExpression, scope: Scope) -> Iterator[Report]:
        reading = read_dict(node, scope, self.resolver)
        if reading is None:
            return
        header = self.spec.api.project.header
        has_right_one = any(
            key.strip().lower() == header.lower() for key, _ in reading.string_keys()
        )
        for key, entry in reading.string_keys():
            if meant_as_project_header(key, header):
                fix = _fix(entry.key_node, has_right_one, header)
                yield from self.once(entry.key_node, _message(key, header), fix)


def _message(name: str, header: str) -> str:
    return (
        f"Header {name!r} is not one W&B reads: the team/project goes in {header!r}, "
        "so this one is ignored and usage lands in your default project (or the request "
        f"fails with 401). Rename it to {header!r}"
    )


def _fix(key: cst.BaseExpression, has_right_one: bool, header: str) -> FixProposal | None:
    if has_right_one or not isinstance(key, cst.SimpleString):
        return None
    title = f"Rename to {header!r}"
    return safe_fix(title, Replacement(key, string_like(key, header)))
