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
