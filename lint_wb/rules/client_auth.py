"""WB104-WB105: what the client identifies itself with: its API key and its W&B project."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lint_wb._cst import cst
from lint_wb.analysis import Client, Resolver
from lint_wb.analysis.dicts import read_dict
from lint_wb.findings import Severity
from lint_wb.rules.base import Report, ReportsOnce
from lint_wb.spec.types import ProjectHeader

# What looks like a real key rather than a placeholder is lint-wb's own heuristic, not a W&B
# fact, so it stays code: the words below, and a minimum length.
PLACEHOLDER_WORDS = (
    "test", "fake", "dummy", "example", "placeholder", "your", "xxx", "not-needed",
    "no-key", "empty", "changeme", "mock", "sample", "local", "ollama",
)  # fmt: skip
MIN_SECRET_LENGTH = 16
"""W&B keys are 40 hex characters or about 86 (`wandb_v1_...`); OpenAI keys are longer still."""
WANDB_KEY_SHAPE = re.compile(r"[0-9a-f]{40}|wandb_v1_[0-9a-z_]{20,}")
"""A whole W&B key, as wandb-reference.md §1 describes them: pasted inside a placeholder's
angle brackets (`"<...>"`), it is still a key (seen in real LangChain code)."""
MIN_KEY_VARIETY = 8
"""Distinct characters a bracketed key's body has at least: a random 40-hex key has about 16;
a run of one character (`<000...0>`) is a placeholder."""


class HardcodedApiKey(ReportsOnce):
    """An API key written into the source.

    ## What it does
    Flags a string literal passed as `api_key=`, or a literal `Authorization` header in
    `default_headers`, on any OpenAI client, when it looks like a credential: at least 16
    characters, no spaces. Placeholders (`"EMPTY"`, `"not-needed"`, `"test-key"`,
    `"fake-api-key"`, `"<your-key>"`, anything saying test, fake, dummy, example, your...)
    are left alone, as local servers and test suites need them, unless the angle brackets
    hold a whole W&B key (`"<0123...cdef>"`): the brackets are then sent with it (401) and
    the key is in the source all the same.

    ## Why is this bad?
    A key in the source ends up in version control, logs and screenshots; anyone who reads
    it can spend your W&B credits.

    ## Example
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key="0123456789abcdef0123456789abcdef01234567")
    ```
    Use instead:
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key=os.environ["WANDB_API_KEY"])
    ```

    ## Fix safety
    No fix: where the key should come from is the user's decision.
    """

    code = "WB104"
    name = "hardcoded-api-key"
    severity = Severity.WARNING
    wandb_only = False

    def check_client(self, client: Client) -> Iterator[Report]:
        resolver = self.context.facts.resolver
        api_key = client.arguments.get("api_key")
        if api_key is not None:
            value = resolver.evaluate_setting(api_key.value, client.scope)
            if isinstance(value, str) and _looks_like_secret(value):
                yield from self.once(api_key.value, _key_message("api_key", value, client))
        for value, node in literal_headers(self.resolver, client, "authorization"):
            if _looks_like_secret(value.removeprefix("Bearer ").strip()):
                yield from self.once(node, _key_message("the Authorization header", value, client))


def _key_message(where: str, value: str, client: Client) -> str:
    shown = value[:4] + "…" if len(value) > 8 else "…"
    variable = "WANDB_API_KEY" if client.is_wandb else "the provider's key variable"
    return (
        f"API key written into the source as {where} ({shown!r}): anyone who reads the code "
        f"can use it. Read it from the environment ({variable})"
    )


def literal_headers(
    resolver: Resolver, client: Client, name: str
) -> Iterator[tuple[str, cst.BaseExpression]]:
    """The string values of header `name` (any case) in a literal `default_headers` dict,
    where no later `**spread` may replace them."""
    keyword = client.arguments.get("default_headers")
    if keyword is None:
        return
    headers = read_dict(keyword.value, client.scope, resolver)
    if headers is None:
        return
    for key, entry in headers.entries.items():
        value = resolver.evaluate(entry.value, entry.scope)
        if isinstance(key, str) and key.lower() == name and isinstance(value, str):
            yield value, entry.value


def _looks_like_secret(value: str) -> bool:
    """A credential, not a placeholder: long, one word, no placeholder wording or template."""
    lowered = value.strip().lower()
    if len(lowered) < MIN_SECRET_LENGTH or any(ch.isspace() for ch in lowered):
        return False
    if lowered.startswith("<") and lowered.endswith(">"):
        return _bracketed_key(lowered[1:-1])
    if lowered.startswith(("<", "{", "$", "%")):
        return False
    return not _says_placeholder(lowered)


def _bracketed_key(inner: str) -> bool:
    """A whole W&B key inside a placeholder's brackets, not a placeholder written in a key's
    shape (`<wandb_v1_your_key_here>`, `<000...0>`, `<wandb_v1_paste_it_here>`): random
    enough, letters and digits mixed, no placeholder wording."""
    if WANDB_KEY_SHAPE.fullmatch(inner) is None or _says_placeholder(inner):
        return False
    body = inner.removeprefix("wandb_v1_")
    mixed = any(ch.isdigit() for ch in body) and any(ch.isalpha() for ch in body)
    return mixed and len(set(body)) >= MIN_KEY_VARIETY


def _says_placeholder(lowered: str) -> bool:
    return any(word in lowered for word in PLACEHOLDER_WORDS)


PROJECT_SHAPE = re.compile(r"^[^/\s]+/[^/\s]+$")


class MalformedProject(ReportsOnce):
    """A W&B project that is not `team/project`.

    ## What it does
    Flags `project=` on a W&B client, or an `OpenAI-Project` header in `default_headers`,
    whose literal is not `<team>/<project>`: no slash, an empty part, more than one slash,
    or an OpenAI project id (`proj_...`) left over from OpenAI code.

    ## Why is this bad?
    W&B reads the `OpenAI-Project` header (which the SDK sends for `project=`) as the team
    and project to bill and trace under; anything else gives 401.

    ## Example
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key=key, project="my-project")
    ```
    Use instead:
    ```python
    client = OpenAI(base_url=WANDB_URL, api_key=key, project="my-team/my-project")
    ```

    ## Fix safety
    No fix: only the user knows the team.
    """

    code = "WB105"
    name = "malformed-project"
    severity = Severity.ERROR

    def check_client(self, client: Client) -> Iterator[Report]:
        resolver = self.context.facts.resolver
        facts = self.spec.api.project
        project = client.arguments.get("project")
        if project is not None:
            value = resolver.evaluate_setting(project.value, client.scope)
            if isinstance(value, str) and not PROJECT_SHAPE.match(value):
                yield from self.once(project.value, _project_message("project", value, facts))
        for value, node in literal_headers(self.resolver, client, facts.header.lower()):
            if not PROJECT_SHAPE.match(value):
                yield from self.once(node, _project_message(facts.header, value, facts))


def _project_message(where: str, value: str, facts: ProjectHeader) -> str:
    why = "has no '/'"
    if value.startswith(facts.openai_id_prefix):
        why = "is an OpenAI project id"
    elif "/" in value:
        why = "needs exactly one '/' between two non-empty parts"
    return (
        f"{where}={value!r} {why}: W&B expects '<team>/<project>' and answers anything else "
        "with 401"
    )
