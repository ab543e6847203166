"""A library callable or a client class assigned to another name (`Chat = ChatOpenAI`, `ask =
litellm.completion`, `Maker = OpenAI`) and called by it is the library's call (the client's
construction), for the module's own analysis as for the project index."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from lint_wb.analysis import analyze
from lint_wb.analysis.facts import ModuleFacts
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

WANDB = "https://api.inference.wandb.ai/v1"


def facts_of(source: str) -> ModuleFacts:
    module = cst.parse_module(textwrap.dedent(source))
    return analyze(module, load_spec().api, LintOptions(enabled=ALL_CODES))


@pytest.mark.parametrize(
    ("setup", "label"),
    [
        ("from langchain_openai import ChatOpenAI\nChat = ChatOpenAI\n", "ChatOpenAI"),
        ("import langchain_openai\nChat = langchain_openai.ChatOpenAI\n", "ChatOpenAI"),
        ("from langchain_openai import ChatOpenAI as C\nMade = C\nChat = Made\n", "ChatOpenAI"),
        ("import litellm\nChat = litellm.completion\n", "completion"),
        ("from openai import OpenAI\nChat = OpenAI\n", "OpenAI"),
    ],
)
def test_a_name_bound_once_to_a_client_library_s_name_is_that_callable(
    setup: str, label: str
) -> None:
    facts = facts_of(f"{setup}\n\ndef go():\n    return Chat(base_url={WANDB!r}, model='m')\n")
    assert [client.label.endswith(label) and client.is_wandb for client in facts.clients] == [True]


CALL = f"\n\ndef go():\n    return Chat(base_url={WANDB!r}, model='m')\n"


@pytest.mark.parametrize(
    "source",
    [
        "from langchain_openai import ChatOpenAI\nChat = ChatOpenAI\nChat = make()\n" + CALL,
        "from langchain_openai import ChatOpenAI\nChat = ChatOpenAI\n\n\ndef other():\n"
        "    global Chat\n    Chat = make()\n" + CALL,
        "from langchain_openai import ChatOpenAI\nChat = ChatOpenAI()\n" + CALL,
        "from app import ChatOpenAI\nChat = ChatOpenAI\n" + CALL,
        "from langchain_openai import ChatOpenAI\nChat = ChatOpenAI\n\n\ndef shadow(Chat):\n"
        f"    return Chat(base_url={WANDB!r}, model='m')\n",
    ],
)
def test_a_name_bound_otherwise_too_or_to_something_else_is_not(source: str) -> None:
    facts = facts_of(source)
    assert [client for client in facts.clients if client.is_wandb] == []
