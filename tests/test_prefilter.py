"""The prefilter: only files whose bytes can hold W&B code are parsed."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.config.per_file import compiled_for
from lint_wb.config.settings import Settings
from lint_wb.files.prefilter import prefilter_for
from tests.cli_runner import make_runner


def run_cli(args: list[str]) -> list[str]:
    """The names of the files with findings."""
    result = make_runner().invoke(main, args, catch_exceptions=False)
    return sorted({Path(row["filename"]).name for row in json.loads(result.stdout)})


def keeps(
    data: bytes, *, assume_wandb: bool = False, extra_base_urls: tuple[str, ...] = ()
) -> bool:
    screening = compiled_for(Settings()).screening
    prefilter = prefilter_for(screening, assume_wandb=assume_wandb, extra_base_urls=extra_base_urls)
    return prefilter.keeps(data)


@pytest.mark.parametrize(
    "data",
    [
        b'client = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n',
        b'client = OpenAI(base_url="https://api.wandb.ai/v1")\n',  # a near miss
        b'client = OpenAI(base_url="https://api.inference.coreweave.com/v1")\n',
        b'client = OpenAI(base_url="https://inference.coreweave.com/v1")\n',
        b'client = OpenAI(api_key=os.environ["WANDB_API_KEY"])\n',
        b'litellm.completion(model="wandb/meta-llama/Llama-3.3-70B-Instruct")\n',
        b"import wandb\n",
        b"# lint-wb: noqa\n",
        b"x = f()  # noqa: WB301\n",
        b"x = f()  # NOQA: E501, WB4\n",
        b'{"cells": [{"source": ["OpenAI(base_url=\\"https://api.inference.wandb.ai/v1\\")"]}]}',
    ],
)
def test_files_with_a_wandb_signal_are_parsed(data: bytes) -> None:
    assert keeps(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"import os\nprint('hello')\n",
        b"from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(x=1)\n",
        b"import groq\nclient = groq.Groq()\n",
        b"x = f()  # noqa: E501\n",
        b"# noqa: E501\nWB = 1\n",
    ],
)
def test_files_without_one_are_not(data: bytes) -> None:
    assert not keeps(data)


@pytest.mark.parametrize(
    "data",
    [b"from openai import OpenAI\n", b"from agents import OpenAIChatCompletionsModel\n",
     b"import groq\n", b"from anthropic import Anthropic\n",
     b'import litellm\nlitellm.completion(model="groq/llama-3.1-8b-instant", messages=m)\n',
     b'from crewai import LLM\nllm = LLM(model="gpt-4o")\n'],
)  # fmt: skip
def test_under_assume_wandb_a_client_library_is_enough(data: bytes) -> None:
    assert not keeps(data)
    assert keeps(data, assume_wandb=True)


def test_an_extra_base_url_is_a_signal() -> None:
    data = b'client = OpenAI(base_url="https://LLM-Proxy.example.com/v1")\n'
    assert not keeps(data)
    assert keeps(data, extra_base_urls=("https://llm-proxy.example.com/v1",))


def test_a_file_importing_a_module_that_carries_a_signal_is_parsed(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a project: outside one, a file named alone is read alone
    (tmp_path / "llm.py").write_text(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
    )
    (tmp_path / "app.py").write_text(
        "from llm import client\n"
        "client.chat.completions.create(model='m', messages=[], temperature=3)\n"
    )
    args = [str(tmp_path / "app.py"), "--isolated", "--no-cache", "--output-format", "json"]
    assert run_cli(args) == ["app.py"]


def test_noqa_check_matches_the_plain_regex() -> None:
    regex = re.compile(rb"(?i:noqa)[^\n]*WB\d")
    samples = [
        b"a  # noqa: WB1\n",
        b"WB1  # noqa\n",
        b"# noqa\nWB1\n",
        b"x\r\n# NoQa:E1,WB2\r\n",
        b"WB1 noqa WB2",
        b"noqa WB",
        b"WBWB3 # noqa\n# x noqa y WB9",
        b"# noqa WBWB1",
        b"# noqa: WBx, WB",
        b"# noqa: WBx, WB0",
        b"noqa WB\nWB1",
        b"WB",
        b"",
    ]
    for data in samples:
        assert keeps(data) == bool(regex.search(data)), data


@pytest.mark.parametrize("filler", [b"W" * 5000, b"Wx" * 3000 + b"\n", b"WB " * 2000 + b"\n"])
def test_noqa_check_matches_the_plain_regex_in_a_file_full_of_ws(filler: bytes) -> None:
    """A file full of `W`s and of codes without a `noqa`: a code after them is still found."""
    regex = re.compile(rb"(?i:noqa)[^\n]*WB\d")
    for tail in (b"# noqa: WB301\n", b"# noqa: E501\nWB1\n", b"x = 1  # NOQA WB3\n", b""):
        data = filler + tail
        assert keeps(data) == bool(regex.search(data)), tail


def test_plain_openai_code_is_read_but_never_parsed(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.openai.com/v1')\n"
        "client.chat.completions.create(model='gpt-4o', messages=[], temperature=3)\n"
    )
    (tmp_path / "wb.py").write_text(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.wandb.ai/v1')\n"
    )
    args = [str(tmp_path), "--isolated", "--no-cache", "--output-format", "json"]
    assert run_cli(args) == ["wb.py"]
    assert run_cli([*args, "--assume-wandb"]) == ["plain.py", "wb.py"]


FRAGMENTS = (
    b"w", b"W", b"b", b"B", b"1", b"noqa", b"NoQa", b"\n", b" ", b"lint-", b"LINT-", b"wan",
    b"andb", b"AnDb", b"core", b"eave", b"WEAVE", b"crew", b"ai", b"x", b"wb.proxy.io",
    b"llm-proxy.example.com", b"Groq", b"openai",
)  # fmt: skip
"""Pieces of the strings the prefilter looks for, and of their near misses."""


@pytest.mark.parametrize("assume_wandb", [False, True])
def test_the_one_pass_search_finds_what_a_search_for_each_string_finds(assume_wandb: bool) -> None:
    """The prefilter keeps exactly the files in whose lowered bytes one of its strings
    stands, or with a `noqa` before a `WB` code: the anchored regex (`_Search`) is checked
    against that plain reading on generated files built from pieces of those strings."""
    urls = ("https://LLM-Proxy.example.com/v1", "http://wb.proxy.io")
    screening = compiled_for(Settings()).screening
    prefilter = prefilter_for(screening, assume_wandb=assume_wandb, extra_base_urls=urls)
    strings = (*prefilter.signals, *prefilter.client_libraries, b"lint-wb")
    assert b"coreweave" in strings and b"wb.proxy.io" in strings  # a `w` inside and first
    noqa_code = re.compile(rb"(?i:noqa)[^\n]*WB\d")
    generator = random.Random(13)
    kept = 0
    for _ in range(20_000):
        data = b"".join(generator.choices(FRAGMENTS, k=generator.randint(0, 10)))
        lowered = data.lower()
        expected = any(string in lowered for string in strings) or bool(noqa_code.search(data))
        assert prefilter.keeps(data) == expected, data
        kept += expected
    assert 2_000 < kept < 18_000  # both answers are well tried
