"""Clients made from a client by `with_options(...)` / `copy(...)` (SPEC §2: a client, and
the requests made through `with_options(...)`): openai-python's `copy` makes a new client
with the keywords given and the rest of the client it is called on. The fixtures
(fixtures/client/derived_clients.py, fixtures/projects/derived_clients) hold the cases; these
tests hold the SDK facts they rest on."""

from __future__ import annotations

import inspect
from pathlib import Path

import openai
import pytest

from lint_wb.analysis.sdk_names import COPY_KEYWORDS, RETARGETING_KEYWORDS
from lint_wb.cli.main import main
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec
from tests.cli_runner import make_runner
from tests.test_star_imports import findings, project

REQUEST = (
    "{client}.chat.completions.create(model='openai/gpt-oss-120b', top_p=2,\n"
    "    messages=[{{'role': 'user', 'content': 'hi'}}])\n"
)


@pytest.mark.parametrize("cls", [openai.OpenAI, openai.AsyncOpenAI])
def test_copy_keywords_are_the_installed_sdk_s(cls: type) -> None:
    assert cls.with_options is cls.copy
    parameters = inspect.signature(cls.copy).parameters.values()
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters if p.name != "self")
    assert {p.name for p in parameters} - {"self"} == COPY_KEYWORDS, openai.__version__
    assert RETARGETING_KEYWORDS <= COPY_KEYWORDS


@pytest.mark.parametrize(
    ("made", "reported"),
    [
        ("base.with_options(base_url=URL)", True),
        ("base.copy(base_url=URL, timeout=3)", True),
        ("base.with_options(base_url=URL).with_options(timeout=3)", True),
        ("base.with_options(timeout=3)", False),
        ("base.with_options(base_url=URL, model='m')", False),  # TypeError
        ("base.with_options(URL, base_url=URL)", False),  # TypeError: keyword-only
        ("base.with_options(base_url=URL, provider=P)", False),  # where it goes is not known
        ("base.with_options(base_url=URL, **OPTIONS)", False),
    ],
)
def test_a_client_made_with_a_wandb_base_url_is_a_wandb_client(
    tmp_path: Path, made: str, reported: bool
) -> None:
    root = project(
        tmp_path,
        {
            "settings.py": "URL = 'https://api.inference.wandb.ai/v1'\n",
            "clients.py": "from openai import OpenAI\nfrom settings import URL\n"
            f"base = OpenAI()\nmade = {made}\n",
            "app.py": "from clients import made\n" + REQUEST.format(client="made"),
            "inline.py": "from openai import OpenAI\nfrom settings import URL\nbase = OpenAI()\n"
            + REQUEST.format(client=made),
        },
    )
    expected = [("app.py", 2, "WB301"), ("inline.py", 4, "WB301")] if reported else []
    assert findings(root) == expected


def test_a_made_client_keeps_the_key_of_the_client_it_is_made_from(tmp_path: Path) -> None:
    """Under assume-wandb, a client with no `api_key=` is a WB107; one made by
    `with_options` has the key of the client it is made from."""
    root = project(
        tmp_path,
        {
            "app.py": "import os\nfrom openai import OpenAI\n"
            "base = OpenAI(base_url='https://api.inference.wandb.ai/v1',\n"
            "    api_key=os.environ['WANDB_API_KEY'])\n"
            "made = base.with_options(base_url='https://api.inference.wandb.ai/v1/')\n"
            "bare = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n",
        },
    )
    result = make_runner().invoke(main, ["--no-cache", "--assume-wandb", "-q", str(root)])
    assert "app.py:6:" in result.output and "WB107" in result.output
    assert "app.py:5:" not in result.output


@pytest.mark.parametrize(
    ("made", "reported"),
    [
        ("base.with_options(base_url=URL)", True),
        ("base.copy(base_url=URL).copy(base_url=None)", True),  # None: the URL is kept
        ("base.with_options(base_url=URL).with_options(timeout=3)", True),
        ("base.with_options(timeout=3)", False),
        ("base.with_options(base_url=URL, model='m')", False),  # TypeError
        ("base.with_options(URL, base_url=URL)", False),  # TypeError: keyword-only
        ("base.with_options(base_url=URL, data_residency=D)", False),
        ("base.with_options(base_url=URL, **OPTIONS)", False),
        ("OpenAI(base_url=URL).copy(base_url='https://api.openai.com/v1')", False),
    ],
)
def test_a_module_alone_follows_the_clients_it_makes(made: str, reported: bool) -> None:
    """The module's own analysis, no project around it: bound to a name, and inline."""
    head = "from openai import OpenAI\nURL = 'https://api.inference.wandb.ai/v1'\nbase = OpenAI()\n"
    for text in (
        head + f"made = {made}\n" + REQUEST.format(client="made"),
        head + REQUEST.format(client=made),
    ):
        result = lint_source(text, "m.py", LintOptions(enabled=ALL_CODES), load_spec())
        assert [f.code for f in result.findings] == (["WB301"] if reported else []), text
