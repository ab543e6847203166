"""A call of a name bound to `functools.partial(f, ...)` is a call of `f` with the partial's
keywords, replaced by the call's own (as Python merges them): LiteLLM's `completion`, a
client's `chat.completions.create`. A keyword written in the partial is reported there,
once, and no fix renames or moves it; the first look lets such a module through."""

from __future__ import annotations

import ast
import textwrap
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

from lint_wb import fix_source, lint_source
from lint_wb.analysis import analyze
from lint_wb.analysis.fact_sources import client_roots, may_hold_facts
from lint_wb.analysis.facts import ModuleFacts, Request
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.test_first_look import lint_tree, write_project

WANDB = "https://api.inference.wandb.ai/v1"
GOOD = "meta-llama/Llama-3.3-70B-Instruct"
SDK_HEAD = f"""\
import functools
from functools import partial

from openai import OpenAI

client = OpenAI(base_url={WANDB!r}, api_key="k")
"""
LITELLM_HEAD = f"""\
import functools

import litellm

URL = {WANDB!r}
"""


def facts_of(source: str) -> ModuleFacts:
    module = cst.parse_module(textwrap.dedent(source))
    return analyze(module, load_spec().api, LintOptions(enabled=ALL_CODES))


def requests_of(source: str) -> list[tuple[Request, dict[str, object]]]:
    facts = facts_of(source)
    found = []
    for request in facts.requests:
        sent = {
            name: facts.resolver.evaluate(keyword.value, request.scope)
            for name, keyword in request.arguments.keywords.items()
            if keyword.certain
        }
        found.append((request, sent))
    return found


@pytest.mark.parametrize(
    "setup",
    [
        "ask = partial(client.chat.completions.create, model='gpt-4o', temperature=3)\n",
        "ask = functools.partial(client.chat.completions.create, model='gpt-4o', temperature=3)\n",
        "ask = partial(client.chat.completions.create, **{'model': 'gpt-4o', 'temperature': 3})\n",
    ],
)
def test_a_request_through_a_partial_sends_its_keywords_the_call_s_winning(setup: str) -> None:
    source = SDK_HEAD + setup + "\n\ndef go():\n    return ask(messages=[], temperature=0.5)\n"
    ((request, sent),) = requests_of(source)
    assert request.client.is_wandb and request.method == "create"
    assert sent == {"model": "gpt-4o", "temperature": 0.5, "messages": []}


def test_a_library_call_through_a_partial_is_that_call() -> None:
    source = LITELLM_HEAD + (
        "ask = functools.partial(litellm.completion, api_base=URL, model='openai/gpt-4o')\n"
        "\n\ndef go():\n    return ask(messages=[], max_tokens=5)\n"
    )
    ((request, sent),) = requests_of(source)
    assert request.client.is_wandb and request.client.base_url.text == WANDB
    assert sent == {"model": "openai/gpt-4o", "messages": [], "max_tokens": 5}


def test_a_partial_s_positional_arguments_come_first() -> None:
    source = (
        "import functools\n\nimport litellm\n\n"
        f"ask = functools.partial(litellm.completion, 'openai/gpt-4o', api_base={WANDB!r})\n"
        "ask(messages=[])\n"
    )
    ((_request, sent),) = requests_of(source)
    assert sent["model"] == "openai/gpt-4o"


def test_a_call_s_spread_that_cannot_be_read_may_replace_the_partial_s_keywords() -> None:
    source = SDK_HEAD + (
        "ask = partial(client.chat.completions.create, model='gpt-4o')\n"
        "\n\ndef go(options):\n    return ask(messages=[], **options)\n"
    )
    ((request, sent),) = requests_of(source)
    assert "model" in request.arguments and "model" not in sent
    assert not request.arguments.complete


@pytest.mark.parametrize(
    "source",
    [
        SDK_HEAD + "ask = partial(client.chat.completions.create, model='m')\n"
        "\n\ndef go(ask):\n    return ask(messages=[])\n",
        SDK_HEAD + "ask = partial(client.chat.completions.create, model='m')\n"
        "ask = make()\nask(messages=[])\n",
        SDK_HEAD + "from tools import partial as partial\n"
        "ask = partial(client.chat.completions.create, model='m')\nask(messages=[])\n",
        SDK_HEAD + "ask = partial(model='m')\nask(messages=[])\n",
        SDK_HEAD + "MODEL = 'm'\nask = partial(client.chat.completions.create, model=MODEL)\n"
        "\n\ndef go():\n    MODEL = 'x'\n    return ask(messages=[])\n",
    ],
    ids=["a parameter", "bound twice", "another partial", "nothing wrapped", "a name shadowed"],
)
def test_a_name_not_bound_once_to_a_partial_read_the_same_is_not_followed(source: str) -> None:
    assert requests_of(source) == []


PARTIAL_MODULE = LITELLM_HEAD + (
    "ask = functools.partial(\n"
    "    litellm.completion,\n"
    "    api_base=URL,\n"
    "    model='openai/gpt-4o',\n"
    "    temperature=3,\n"
    "    max_completion_tokens=10,\n"
    ")\n\n\n"
    "def first_partial_call():\n    return ask(messages=[{'role': 'user', 'content': 'a'}])\n\n\n"
    "def second_partial_call():\n    return ask(messages=[{'role': 'user', 'content': 'b'}])\n"
)


def test_a_finding_on_a_partial_s_keyword_is_reported_there_once_without_a_keyword_fix() -> None:
    options = LintOptions(enabled=ALL_CODES)
    result = lint_source(PARTIAL_MODULE, "m.py", options, load_spec())
    rows = Counter((finding.code, finding.location.row) for finding in result.findings)
    assert rows == Counter({("WB501", 9): 1, ("WB301", 10): 1, ("WB206", 11): 1})
    renames = [finding for finding in result.findings if finding.code == "WB206"]
    assert [finding.fix for finding in renames] == [None]


@pytest.mark.parametrize(
    "code",
    [
        "import litellm\nfrom functools import partial\n"
        "ask = partial(litellm.completion, model='m')\nask(messages=[])\n",
        "import functools\nimport litellm\nask = functools.partial(litellm.completion)\n",
    ],
)
def test_the_first_look_takes_a_partial_of_a_client_library_s_callable(code: str) -> None:
    assert may_hold_facts(ast.parse(code), None, client_roots(load_spec().api))


def test_a_lone_module_of_a_partial_keeps_its_findings_in_default_mode(tmp_path: Path) -> None:
    write_project(tmp_path, {"lone.py": PARTIAL_MODULE})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert [code for _name, _row, code in found] == ["WB501", "WB301", "WB206"]
    assert lint_tree(tmp_path / "lone.py", "--jobs", "1") == found


def test_a_value_fix_rewrites_the_literal_a_client_method_s_partial_is_given() -> None:
    """`temperature=3` in `partial(client.chat.completions.create, ...)` is sent by every
    call through it that does not replace it, on that one client: clamped there, once. In a
    partial of LiteLLM's `completion` a call may send it to another provider (`api_base=`):
    reported, not rewritten."""
    source = (
        SDK_HEAD
        + "import litellm\n\n"
        + f"ask = partial(client.chat.completions.create, model={GOOD!r}, temperature=3)\n"
        + f"complete = partial(litellm.completion, api_base={WANDB!r}, temperature=3,"
        + f" model='openai/{GOOD}')\n\n\n"
        + "def first():\n    return ask(messages=[{'role': 'user', 'content': 'a'}])\n\n\n"
        + "def second():\n    return ask(messages=[{'role': 'user', 'content': 'b'}])\n\n\n"
        + "def third():\n    return complete(messages=[{'role': 'user', 'content': 'c'}])\n"
    )
    options = LintOptions(enabled=ALL_CODES)
    found = lint_source(source, "m.py", options, load_spec()).findings
    assert [(f.code, f.location.row, f.fix is not None) for f in found] == [
        ("WB301", 9, True),
        ("WB301", 10, False),
    ]
    outcome = fix_source(source, "m.py", options, load_spec(), unsafe_fixes=True)
    assert outcome.text == source.replace("temperature=3)", "temperature=2)")
