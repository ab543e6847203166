"""The library call-site table (spec/libraries.toml): its loader's checks, and how the
analysis reads call sites through it."""

from __future__ import annotations

import copy
import sys
from importlib import resources

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.rules.headers import meant_as_project_header
from lint_wb.spec import SpecError, bundled_libraries, load_spec
from lint_wb.spec.libraries_loader import parse_libraries


def _data() -> dict[str, object]:
    text = resources.files("lint_wb.spec").joinpath("libraries.toml").read_text("utf-8")
    return tomllib.loads(text)


def _row(data: dict[str, object], label: str) -> dict[str, object]:
    rows = data["callable"]
    assert isinstance(rows, list)
    return next(row for row in rows if row["label"] == label)


def test_bundled_table_names_every_library_of_the_spec() -> None:
    libraries = {row.library for row in bundled_libraries().callables}
    assert {
        "LangChain", "LiteLLM", "CrewAI", "OpenAI Agents SDK", "DSPy", "pydantic-ai",
        "LlamaIndex", "instructor", "LangSmith", "Google ADK",
    } <= libraries  # fmt: skip


@pytest.mark.parametrize(
    ("label", "key", "value", "problem"),
    [
        ("LLM", "base_urls", ["base_url"], "unknown key 'base_urls' (did you mean 'base_url'?)"),
        ("LLM", "source", "github.com/crewAIInc/crewAI", "must be an https:// URL"),
        ("LLM", "model_convention", "litelm", "'model_convention' names 'litelm'"),
        ("LLM", "role", "caller", "'role' must be one of request, client"),
        ("LLM", "model", ["model name"], "'model' holds 'model name', not a keyword name"),
        ("LLM", "names", ["LLM"], "'names' holds 'LLM', not a dotted import path"),
        ("LLM", "names", ["litellm.completion"], "'litellm.completion' is also in"),
        ("LM", "local_servers", ["LocalProvider"], "'local_servers' holds 'LocalProvider', not"),
        ("LM", "served_by", ["the provider"], "'served_by' holds 'the provider', not a keyword"),
    ],
)
def test_loader_rejects_bad_rows_in_one_line(
    label: str, key: str, value: object, problem: str
) -> None:
    data = copy.deepcopy(_data())
    _row(data, label)[key] = value
    with pytest.raises(SpecError) as raised:
        parse_libraries(data, "libraries.toml")
    message = str(raised.value)
    assert problem in message and "\n" not in message and message.startswith("libraries.toml")


def test_loader_rejects_a_route_prefix_without_separator() -> None:
    data = copy.deepcopy(_data())
    conventions = data["model_convention"]
    assert isinstance(conventions, dict)
    conventions["litellm"]["route"][0]["prefix"] = "wandb"
    with pytest.raises(SpecError, match="'prefix' must end with '/' or ':'"):
        parse_libraries(data, "libraries.toml")


def _options(*, assume_wandb: bool = False) -> LintOptions:
    return LintOptions(enabled=ALL_CODES, assume_wandb=assume_wandb)


def _codes(source: str, *, assume_wandb: bool = False) -> list[tuple[int, str]]:
    result = lint_source(source, "app.py", _options(assume_wandb=assume_wandb), load_spec())
    return sorted((finding.location.row, finding.code) for finding in result.findings)


def test_litellm_wandb_prefix_targets_wandb_without_a_base_url() -> None:
    source = (
        "import litellm\n"
        "litellm.completion(model='wandb/openai/gpt-oss-120b', messages=[], temperature=3)\n"
    )
    assert _codes(source) == [(2, "WB301"), (2, "WB408")]


def test_a_model_constant_is_fixed_where_it_is_written_with_its_prefix_kept() -> None:
    source = (
        "from crewai import LLM\n"
        "MODEL = 'openai/meta-llama/llama-3.3-70b-instruct'\n"
        "llm = LLM(model=MODEL, base_url='https://api.inference.wandb.ai/v1')\n"
    )
    result = lint_source(source, "app.py", _options(), load_spec())
    (finding,) = result.findings
    assert finding.code == "WB501"
    assert finding.message.startswith("CrewAI strips 'openai/', so W&B receives")
    assert finding.fix is not None
    (edit,) = finding.fix.edits
    assert edit.start.row == edit.end.row == 2
    line = source.splitlines()[1]
    fixed_line = line[: edit.start.column - 1] + edit.content + line[edit.end.column - 1 :]
    assert fixed_line == "MODEL = 'openai/meta-llama/Llama-3.3-70B-Instruct'"


def test_assume_wandb_makes_a_library_call_without_base_url_a_wandb_one() -> None:
    source = "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model='gpt-4o')\n"
    assert _codes(source) == []
    assert (2, "WB501") in _codes(source, assume_wandb=True)
    assert (2, "WB102") in _codes(source, assume_wandb=True)


def test_a_client_passed_through_a_name_is_followed_into_the_agents_sdk() -> None:
    source = (
        "from agents import OpenAIChatCompletionsModel\n"
        "from openai import AsyncOpenAI\n"
        "def build():\n"
        "    client = AsyncOpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
        "    return OpenAIChatCompletionsModel(model='gpt-4o', openai_client=client)\n"
    )
    assert _codes(source) == [(5, "WB501")]


def test_response_model_on_a_plain_client_never_suggests_response_format() -> None:
    source = (
        "from openai import OpenAI\n"
        "client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
        "client.chat.completions.create(model='openai/gpt-oss-120b', messages=[],\n"
        "    response_model=dict)\n"
    )
    result = lint_source(source, "app.py", _options(), load_spec())
    (finding,) = [f for f in result.findings if f.code == "WB202"]
    assert "instructor" in finding.message and "response_format" not in finding.message


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("project", True),
        ("X-Project", True),
        ("Wandb-Project", True),
        ("OpenAI_Project", True),
        ("x-wandb-project", True),
        ("OpenAI-Project", False),
        ("openai-project", False),
        ("X-Project-Id", False),
        ("projection", False),
        ("Langfuse-Project", False),
    ],
)
def test_which_header_names_are_meant_as_the_project_header(name: str, meant: bool) -> None:
    assert meant_as_project_header(name, load_spec().api.project.header) is meant


@pytest.mark.parametrize(
    "provider",
    ["provider=LocalProvider()", "provider=local", "api_key='local', provider=LocalProvider()"],
)
def test_a_dspy_lm_its_own_local_provider_serves_is_not_wandbs_to_judge(provider: str) -> None:
    """`LocalProvider` points the LM at the SGLang server it starts on this machine: even
    in porting mode its model and keywords are not W&B's (the file alone, no index)."""
    source = (
        "import dspy\n"
        "from dspy.clients.lm_local import LocalProvider\n"
        "local = LocalProvider()\n"
        f"lm = dspy.LM('openai/local:meta-llama/Llama-3.2-1B', {provider}, temperature=3)\n"
        "other = dspy.LM('openai/local:meta-llama/Llama-3.2-1B', provider=Other())\n"
    )
    assert _codes(source, assume_wandb=True) == [(5, "WB107"), (5, "WB501")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"prefix": "groq"}, "'prefix' must end with '/'"),
        ({"credentials": "a token"}, "give either 'key_variables' or 'credentials'"),
        ({"key_variable": "GROQ_API_KEY"}, "unknown key 'key_variable'"),
    ],
)
def test_loader_rejects_a_bad_provider_sent_elsewhere(
    change: dict[str, object], problem: str
) -> None:
    data = copy.deepcopy(_data())
    conventions = data["model_convention"]
    assert isinstance(conventions, dict)
    conventions["litellm"]["elsewhere"][0].update(change)
    with pytest.raises(SpecError, match=problem):
        parse_libraries(data, "libraries.toml")


def test_the_leaves_are_made_once_per_table() -> None:
    """Every module summarised asks for the leaves: the set is made once, not per module."""
    table = bundled_libraries()
    assert table.leaves() is table.leaves()
    assert "completion" in table.leaves()
