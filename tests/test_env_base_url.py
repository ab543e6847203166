"""`OPENAI_BASE_URL` set by the module that builds a client (`analysis/env_setting.py`): the
OpenAI SDK reads it when a client is built with no `base_url`, so a client built in code
written after one unconditional setting of the module's top level targets that URL, also
outside assume-wandb. Anything less certain is left as before: the URL is not known."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.test_star_imports import findings, project

WANDB = "'https://api.inference.wandb.ai/v1'"
SET = f"os.environ['OPENAI_BASE_URL'] = {WANDB}\n"
REQUEST = (
    "client.chat.completions.create(model='openai/gpt-oss-120b', top_p=2,\n"
    "    messages=[{'role': 'user', 'content': 'hi'}])\n"
)
HEAD = "import os\nfrom openai import OpenAI\n"


def codes(text: str) -> list[str]:
    result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
    return [finding.code for finding in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + SET + "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.setdefault('OPENAI_BASE_URL', {WANDB})\nclient = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update(OPENAI_BASE_URL={WANDB})\nclient = OpenAI()\n" + REQUEST,
        "from os import environ\nfrom openai import OpenAI\n"
        f"environ['OPENAI_BASE_URL'] = {WANDB}\nclient = OpenAI()\n" + REQUEST,
        HEAD + SET + "def make():\n    return OpenAI()\nclient = make()\n" + REQUEST,
        f'"""Sets OPENAI_BASE_URL."""\n{HEAD}{SET}client = OpenAI()\n{REQUEST}',
    ],
)
def test_a_client_built_after_the_module_sets_the_variable_targets_its_url(text: str) -> None:
    assert codes(text) == ["WB301"]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "client = OpenAI()\n" + SET + REQUEST,  # built before
        HEAD
        + "def make():\n    return OpenAI()\nearly = make()\n"
        + SET
        + "client = make()\n"
        + REQUEST,  # the function is defined, and may be called, before
        HEAD + "if True:\n    " + SET + "client = OpenAI()\n" + REQUEST,  # in an arm
        HEAD + SET + SET + "client = OpenAI()\n" + REQUEST,  # set twice
        HEAD + SET + "os.environ.pop('OPENAI_BASE_URL', None)\nclient = OpenAI()\n" + REQUEST,
        HEAD + SET + "client = OpenAI(**OPTIONS)\n" + REQUEST,  # may pass a base_url
        "import os\nfrom openai import OpenAI\nenviron = {}\n"
        f"environ['OPENAI_BASE_URL'] = {WANDB}\nclient = OpenAI()\n" + REQUEST,  # not os's
        HEAD + "os.environ['OPENAI_BASE_URL'] = 'https://api.openai.com/v1'\n"
        "client = OpenAI()\n" + REQUEST,  # OpenAI's own
    ],
)
def test_anything_less_certain_leaves_the_url_unknown(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    ("llm", "checked"),
    [
        ("os.environ['OPENAI_BASE_URL'] = settings.URL\nclient = OpenAI()\n", True),
        ("client = OpenAI()\nos.environ['OPENAI_BASE_URL'] = settings.URL\nLATER = 1\n", False),
        ("os.environ['OPENAI_BASE_URL'] = settings.URL\nclient = OpenAI(**OPTIONS)\n", False),
        ("environ = {}\nenviron['OPENAI_BASE_URL'] = settings.URL\nclient = OpenAI()\n", False),
        ("os.environ.update([('OPENAI_BASE_URL', settings.URL)])\nclient = OpenAI()\n", True),
        ("os.environ.update(dict(OPENAI_BASE_URL=settings.URL))\nclient = OpenAI()\n", True),
        ("os.environ |= {'OPENAI_BASE_URL': settings.URL}\nclient = OpenAI()\n", True),
    ],
)
def test_a_request_in_another_module_is_checked(tmp_path: Path, llm: str, checked: bool) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": f"URL = {WANDB}\n",
            "llm.py": HEAD + "import settings\n" + llm,
            "app.py": "from llm import client\n" + REQUEST,
        },
    )
    expected = [("app.py", 2, "WB301")] if checked else []
    assert findings(root) == expected
    assert findings(root, "app.py") == expected


def test_a_near_miss_set_in_the_variable_is_reported_where_it_is_written() -> None:
    text = HEAD + "os.environ['OPENAI_BASE_URL'] = 'https://api.wandb.ai/v1'\nclient = OpenAI()\n"
    assert codes(text) == ["WB101"]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + f"os.environ.update({{'OPENAI_BASE_URL': {WANDB}, 'X': '1'}})\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update([('OPENAI_BASE_URL', {WANDB})])\nclient = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update((['X', '1'], ('OPENAI_BASE_URL', {WANDB})))\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update(dict(OPENAI_BASE_URL={WANDB}, X='1'))\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update(dict([('OPENAI_BASE_URL', {WANDB})]))\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update({{'X': '1'}}, OPENAI_BASE_URL={WANDB})\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update(X='1', OPENAI_BASE_URL={WANDB})\nclient = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ |= {{'OPENAI_BASE_URL': {WANDB}}}\nclient = OpenAI()\n" + REQUEST,
        HEAD + "def make():\n    return OpenAI()\n" + SET + "client = make()\n" + REQUEST,
        HEAD
        + "def make():\n    return OpenAI()\ndef build():\n    return make()\n"
        + SET
        + "client = build()\n"
        + REQUEST,
        HEAD
        + "class Holder:\n    def __init__(self):\n        self.client = OpenAI()\n"
        + "    def ask(self):\n        self."
        + REQUEST.replace("\n    messages", "\n            messages")
        + SET
        + "Holder().ask()\n",
    ],
)
def test_a_dict_update_or_a_function_written_before_and_called_after_reads_it(text: str) -> None:
    """`os.environ.update({...})`; a factory written before the setting that nothing calls
    before it (`env_setting.later_bodies`) builds its client after it."""
    assert codes(text) == ["WB301"]


@pytest.mark.parametrize(
    "text",
    [
        HEAD + f"os.environ.update({{'OPENAI_BASE_URL': {WANDB}, **EXTRA}})\n"
        "client = OpenAI()\n" + REQUEST,  # the spread may set it again
        HEAD + f"os.environ.update([('OPENAI_BASE_URL', {WANDB}), *EXTRA])\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update(dict(EXTRA, OPENAI_BASE_URL={WANDB}, **MORE))\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ.update([('OPENAI_BASE_URL', {WANDB}, 1)])\n"
        "client = OpenAI()\n" + REQUEST,  # not a pair: a ValueError
        HEAD + f"os.environ |= {{'OPENAI_BASE_URL': {WANDB}, **EXTRA}}\n"
        "client = OpenAI()\n" + REQUEST,
        HEAD + f"os.environ &= {{'OPENAI_BASE_URL': {WANDB}}}\nclient = OpenAI()\n" + REQUEST,
        HEAD
        + "def make():\n    return OpenAI()\ndef warm():\n    return make()\nwarm()\n"
        + SET
        + "client = make()\n"
        + REQUEST,  # called before, through another function
        HEAD
        + "def make():\n    return OpenAI()\nFACTORY = make\n"
        + SET
        + "client = make()\n"
        + REQUEST,  # named before: may be called through the name
        HEAD
        + "def make():\n    return OpenAI()\nclass Boot:\n    warm = make()\n"
        + SET
        + "client = make()\n"
        + REQUEST,  # a class body runs at once
        HEAD
        + "def make():\n    return OpenAI()\ndef other(x=make()):\n    return x\n"
        + SET
        + "client = make()\n"
        + REQUEST,  # a default runs at once
    ],
)
def test_a_function_that_may_run_before_the_setting_leaves_it_unknown(text: str) -> None:
    assert codes(text) == []


MODULE_REQUEST = REQUEST.replace("client.chat", "openai.chat")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import os\nimport openai\n" + SET + MODULE_REQUEST, ["WB301"]),
        ("import os\nimport openai\n" + SET + "def ask():\n    " + MODULE_REQUEST, ["WB301"]),
        (
            "import os\nimport openai\n" + MODULE_REQUEST + SET + MODULE_REQUEST,
            ["WB301"],
        ),  # one before it
        (
            "import os\nimport openai\n"
            + SET
            + "openai.base_url = 'http://localhost/v1'\n"
            + MODULE_REQUEST,
            [],
        ),  # openai.base_url wins
        (
            "import os\nimport openai\n"
            + SET.replace("api.inference", "inference")
            + MODULE_REQUEST,
            ["WB101", "WB301"],
        ),
    ],
)
def test_the_module_client_used_after_the_setting_reads_it(text: str, expected: list[str]) -> None:
    """The module-level client is built at its first use, from the variable."""
    assert codes(text) == expected


CHAT_OPENAI = "from langchain_openai import ChatOpenAI\n"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (SET + "llm = ChatOpenAI(model='openai/gpt-oss-120b', temperature=3)\n", ["WB301"]),
        (SET + "llm = ChatOpenAI(model='gpt-4o')\n", ["WB501"]),
        ("llm = ChatOpenAI(model='gpt-4o')\n" + SET + "llm.invoke('hi')\n", []),  # built before
        (
            SET + "os.environ['OPENAI_API_BASE'] = 'http://localhost/v1'\n"
            "llm = ChatOpenAI(model='gpt-4o')\n",
            [],
        ),  # LangChain reads that one first
        (
            SET.replace("api.inference", "inference") + "llm = ChatOpenAI(model='gpt-4o')\n",
            ["WB101", "WB501"],
        ),
    ],
)
def test_chat_openai_built_after_the_setting_reads_it(code: str, expected: list[str]) -> None:
    """langchain-openai's ChatOpenAI given no base_url reads OPENAI_API_BASE, else its SDK
    client reads OPENAI_BASE_URL (checked against the installed source below)."""
    assert sorted(codes("import os\n" + CHAT_OPENAI + code)) == expected


def test_the_installed_chat_openai_leaves_the_url_to_the_sdk() -> None:
    """What the case above rests on, read off the installed langchain-openai: a ChatOpenAI
    given no base_url, with OPENAI_API_BASE unset, builds its SDK client with the URL
    OPENAI_BASE_URL names."""
    import os

    from langchain_openai import ChatOpenAI

    saved = {name: os.environ.pop(name, None) for name in ("OPENAI_API_BASE", "OPENAI_BASE_URL")}
    try:
        os.environ["OPENAI_BASE_URL"] = "https://api.inference.wandb.ai/v1"
        llm = ChatOpenAI(model="m", api_key="k")
        assert str(llm.root_client.base_url) == "https://api.inference.wandb.ai/v1/"
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def test_a_factory_written_before_the_setting_is_followed_across_the_project(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {
            "llm.py": HEAD + "def make():\n    return OpenAI()\n" + SET + "X = 1\n",
            "app.py": "from llm import make\nclient = make()\n" + REQUEST,
        },
    )
    assert findings(root) == [("app.py", 3, "WB301")]
