"""W&B Inference serves no embeddings: LangChain's `OpenAIEmbeddings` and LiteLLM's
`embedding` pointed at it (its URL, or LiteLLM's `wandb/` model) are WB601 (rows of role
"embeddings" in spec/libraries.toml). Given no URL or another one they are not: under
assume-wandb too, embeddings given no URL go to OpenAI's, as RAG code often means them to.
Their connection is no client the client rules check, and the project index reads nothing
of them: linted alone or with the project, the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_wb.spec import bundled_libraries
from tests.test_first_look import lint_tree, write_project
from tests.test_porting import findings

WANDB = "https://api.inference.wandb.ai/v1"
HEAD = "import os\n\nimport litellm\nfrom langchain_openai import OpenAIEmbeddings\n\n"
CODES = frozenset({"WB601", "WB101", "WB102", "WB103", "WB107"})


@pytest.mark.parametrize(
    "call",
    [
        f"OpenAIEmbeddings(base_url={WANDB!r})",
        f"OpenAIEmbeddings(openai_api_base={WANDB!r}, model='text-embedding-3-small')",
        f"OpenAIEmbeddings(base_url={WANDB!r}, api_key=os.environ['WANDB_API_KEY'])",
        "litellm.embedding(model='wandb/text-embedding-3-small', input=['x'])",
        f"litellm.aembedding('openai/text-embedding-3-small', ['x'], api_base={WANDB!r})",
    ],
)
@pytest.mark.parametrize("assume", [False, True])
def test_embeddings_pointed_at_wandb_are_wb601(call: str, assume: bool) -> None:
    found = findings(HEAD + f"embedder = {call}\n", assume=assume, codes=CODES)
    assert [(f.code, f.location.row) for f in found] == [("WB601", 6)]
    assert "embeddings endpoint" in found[0].message


@pytest.mark.parametrize(
    "call",
    [
        "OpenAIEmbeddings()",
        "OpenAIEmbeddings(model='text-embedding-3-small', api_key=os.environ['OPENAI_API_KEY'])",
        "OpenAIEmbeddings(base_url='https://api.openai.com/v1')",
        "OpenAIEmbeddings(base_url=os.environ['EMBEDDINGS_URL'])",
        "litellm.embedding(model='text-embedding-3-small', input=['x'])",
        "litellm.embedding(model='openai/text-embedding-3-small', api_base=URL, input=['x'])",
    ],
)
@pytest.mark.parametrize("assume", [False, True])
def test_embeddings_elsewhere_or_not_known_to_be_wandb_s_are_not(call: str, assume: bool) -> None:
    source = HEAD + "URL = os.getenv('URL')\n" + f"embedder = {call}\n"
    assert findings(source, assume=assume, codes=CODES) == []


def test_the_rows_name_their_source_and_date() -> None:
    rows = [row for row in bundled_libraries().callables if row.role == "embeddings"]
    assert {row.label for row in rows} == {"OpenAIEmbeddings", "embedding", "aembedding"}
    assert all(row.source.startswith("https://") and row.checked for row in rows)


SETTINGS = f"EMBEDDINGS_URL = {WANDB!r}\n"
APP = (
    "from langchain_openai import OpenAIEmbeddings\n\nimport settings\n\n"
    f"local_embedder = OpenAIEmbeddings(base_url={WANDB!r})\n"
    "remote_embedder = OpenAIEmbeddings(base_url=settings.EMBEDDINGS_URL)\n"
)


def test_a_project_follows_an_embeddings_url_of_another_module(tmp_path: Path) -> None:
    """The URL written in settings.py is W&B's as the one written in the call is, whether
    the project or app.py alone is linted."""
    write_project(tmp_path, {"settings.py": SETTINGS, "app.py": APP})
    found = lint_tree(tmp_path, "--jobs", "1")
    assert found == [("app.py", 5, "WB601"), ("app.py", 6, "WB601")]
    assert lint_tree(tmp_path / "app.py", "--jobs", "1") == found
