"""LangChain's ChatOpenAI calls the Responses API (which W&B does not serve) not only given
`use_responses_api=True`: given no `use_responses_api`, `reasoning=`, `include=`,
`truncation=`, `context_management=`, `use_previous_response_id=True` and
`output_version="responses/v1"` switch it too (WB601)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.findings import Finding
from lint_wb.rules import ALL_CODES
from lint_wb.spec import bundled_libraries, load_spec

URL = "https://api.inference.wandb.ai/v1"
HEAD = (
    "import os\nfrom langchain_openai import ChatOpenAI\n"
    f"URL = {URL!r}\nKEY = os.environ['WANDB_API_KEY']\n"
)
MODEL = "openai/gpt-oss-120b"
SWITCHES: dict[str, Any] = {
    "context_management": [{"type": "compaction"}],
    "include": ["reasoning.encrypted_content"],
    "reasoning": {"effort": "low"},
    "truncation": "auto",
    "use_previous_response_id": True,
    "output_version": "responses/v1",
}
"""A value of each keyword that switches ChatOpenAI to the Responses API."""


def _wb601(arguments: str) -> list[Finding]:
    body = f"m = ChatOpenAI(base_url=URL, api_key=KEY, model={MODEL!r}, {arguments})\n"
    options = LintOptions(enabled=ALL_CODES)
    result = lint_source(HEAD + body, "app.py", options, load_spec())
    return [finding for finding in result.findings if finding.code == "WB601"]


def _row() -> Any:
    (row,) = [row for row in bundled_libraries().callables if row.label == "ChatOpenAI"]
    return row


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_a_keyword_that_switches_to_the_responses_api_is_a_wb601(name: str) -> None:
    (found,) = _wb601(f"{name}={SWITCHES[name]!r}")
    assert "Responses API" in found.message and f"Remove {name}" in found.message


@pytest.mark.parametrize("name", sorted(SWITCHES))
def test_use_responses_api_false_is_offered_only_where_it_works(name: str) -> None:
    """Given use_responses_api=False, LangChain passes reasoning=, include=, ... on to the Chat
    Completions call, which takes none of them (TypeError): only output_version's switch can be
    turned off that way."""
    (found,) = _wb601(f"{name}={SWITCHES[name]!r}")
    offered = "or pass use_responses_api=False" in found.message
    assert offered == (name in _row().responses_values)


@pytest.mark.parametrize(
    "arguments",
    [
        "reasoning={'effort': 'low'}, use_responses_api=False",
        "reasoning=None, use_previous_response_id=False, output_version='v0'",
        "reasoning=settings.REASONING",
        "reasoning={'effort': 'low'}, **settings",
    ],
    ids=["flag-false", "off-values", "not-known", "spread"],
)
def test_no_wb601_where_the_chat_api_is_kept_or_may_be(arguments: str) -> None:
    assert _wb601(arguments) == []


def test_the_flag_itself_is_reported_once() -> None:
    (found,) = _wb601("reasoning={'effort': 'low'}, use_responses_api=True")
    assert "use_responses_api=True" in found.message


def test_the_data_names_every_switch_of_the_installed_langchain_openai() -> None:
    """Every attribute BaseChatOpenAI._use_responses_api reads (but the flag and the model) is
    in the data, and each value of SWITCHES switches the installed class, unless the flag is
    False."""
    chat_models = pytest.importorskip("langchain_openai.chat_models.base")
    source = inspect.getsource(chat_models.BaseChatOpenAI._use_responses_api)
    read = set(re.findall(r"self\.(\w+)", source)) - {"use_responses_api", "model_name"}
    row = _row()
    assert read == {*row.responses_keywords, *row.responses_values} == set(SWITCHES)
    assert all(SWITCHES[name] == value for name, value in row.responses_values.items())
    for name, value in SWITCHES.items():
        given: dict[str, Any] = {"model": MODEL, "api_key": "k", "base_url": URL, name: value}
        assert chat_models.ChatOpenAI(**given)._use_responses_api({}) is True
        kept = chat_models.ChatOpenAI(**given, use_responses_api=False)
        assert kept._use_responses_api({}) is False


@pytest.mark.parametrize("name", sorted(set(SWITCHES) - {"output_version"}))
def test_false_is_no_switch_to_the_responses_api(name: str) -> None:
    """`reasoning=False` (or include=, truncation=, context_management=) does not switch
    ChatOpenAI to the Responses API, though `_use_responses_api` tests `is not None`: the
    installed class refuses False at construction (a pydantic ValidationError: a dict, list or
    string is expected), and `use_previous_response_id=False` is off. So no WB601."""
    assert _wb601(f"{name}=False") == []
    chat_models = pytest.importorskip("langchain_openai.chat_models.base")
    pydantic = pytest.importorskip("pydantic")
    given: dict[str, Any] = {"model": MODEL, "api_key": "k", "base_url": URL, name: False}
    try:
        model = chat_models.ChatOpenAI(**given)
    except pydantic.ValidationError:
        return  # it fails before any request: not an endpoint W&B is asked for
    assert model._use_responses_api({}) is False
