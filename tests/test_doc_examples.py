"""Every rule's docs are test cases: its Example must raise the rule's code and its
"Use instead" must be clean of it (as Fixit's VALID / INVALID cases).

The snippets are fragments of a module: they use a W&B `client`, `MODEL`, `messages` and the
like without defining them. The names a snippet uses but does not bind are defined before it
from `CONTEXT` (the names a snippet binds itself are left to it, since a name bound twice
to different values is one the linter may not follow). A "Use instead" written as prose, not
code, has nothing to run. A snippet that needs a setting says so in its first line, as a
comment in the configuration's words: `# with assume-wandb = true`.
"""

from __future__ import annotations

import ast
import re
import sys

import pytest

from lint_wb import lint_source
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES, ALL_RULES
from lint_wb.rules.base import Rule
from lint_wb.spec import load_spec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
IMPORTS = "import json\nimport os\n\nimport openai\nfrom openai import OpenAI\n"
CONTEXT = {
    "client": (
        'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", '
        'api_key=os.environ["WANDB_API_KEY"])'
    ),
    "key": 'key = os.environ["WANDB_API_KEY"]',
    "WANDB_URL": 'WANDB_URL = "https://api.inference.wandb.ai/v1"',
    "MODEL": 'MODEL = "openai/gpt-oss-120b"',
    "messages": 'messages = [{"role": "user", "content": "Hello"}]',
    "question": "question = input()",
    "q": "q = input()",
    "b64": "b64 = input()",
    "call_id": "call_id = input()",
    "result": "result = input()",
}
"""What the docs take for granted: a W&B client, a served model, a valid message list."""


def snippets(rule: type[Rule]) -> tuple[list[str], list[str]]:
    """The Example blocks and the "Use instead" blocks of a rule's docs."""
    docs = rule.docs()
    example = docs[docs.index("## Example") : docs.index("## Fix safety")]
    bad, _, good = example.partition("Use instead")
    return BLOCK.findall(bad), BLOCK.findall(good)


def bound_names(snippet: str) -> set[str]:
    try:
        tree = ast.parse(snippet)
    except SyntaxError:
        return set()
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def as_module(snippet: str) -> str:
    """The snippet after the imports and the context it uses but does not bind."""
    unbound = [line for name, line in CONTEXT.items() if name not in bound_names(snippet)]
    used = [line for line in unbound if re.search(rf"\b{line.split(' =')[0]}\b", snippet)]
    return IMPORTS + "\n".join(used) + ("\n" if used else "") + snippet


SETTING = re.compile(r"# with (.+)")


def options_for(snippet: str) -> LintOptions:
    """All rules, with the settings the snippet's `# with key = value` lines name."""
    settings: dict[str, object] = {}
    for line in snippet.splitlines():
        match = SETTING.fullmatch(line.strip())
        if match:
            for key, value in tomllib.loads(match.group(1)).items():
                settings[key.replace("-", "_")] = value
    return LintOptions(ALL_CODES, **settings)  # type: ignore[arg-type]


def codes(snippet: str) -> list[str]:
    source = as_module(snippet)
    findings = lint_source(source, "example.py", options_for(snippet), load_spec()).findings
    return [finding.code for finding in findings]


def test_a_setting_line_sets_the_option() -> None:
    assert options_for("# with assume-wandb = true\nx = 1\n").assume_wandb
    assert not options_for("x = 1\n").assume_wandb


def test_the_context_alone_is_clean() -> None:
    everything = IMPORTS + "\n".join(CONTEXT.values()) + "\n"
    assert codes(everything[len(IMPORTS) :]) == []


NO_EXAMPLE = {"WB900": "lint-wb's own failure: no code raises it on purpose"}


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_the_example_raises_the_rule(rule: type[Rule]) -> None:
    if rule.code in NO_EXAMPLE:
        assert not snippets(rule)[0], f"{rule.code} cannot be shown by an example"
        pytest.skip(NO_EXAMPLE[rule.code])
    examples, _ = snippets(rule)
    assert examples, f"{rule.code}: no ```python block under ## Example"
    for example in examples:
        assert rule.code in codes(example), f"{rule.code}'s example:\n{as_module(example)}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_use_instead_is_clean_of_the_rule(rule: type[Rule]) -> None:
    for better in snippets(rule)[1]:
        assert rule.code not in codes(better), f"{rule.code}'s 'Use instead':\n{as_module(better)}"
