"""What a run reads to build its project index (SPEC §2, "Subset invariance"; README, "the
project").

Inside a project (a configuration file or a version-control root above the path) the index
is built from the whole project, whichever of its files a run names. Outside any project, a
run reads only the paths it names: `lint-wb x.py` in `/tmp` or the home folder must not read
the folder around `x.py`. The sentinel below is a W&B module with a retired model beside the
named file: it is summarised only when the run may read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from lint_wb.config.load import find_config_file
from lint_wb.project.root import VCS_MARKERS
from tests.cli_runner import make_runner
from tests.engine_reads import record_summaries

RETIRED = "deepseek-ai/DeepSeek-R1-0528"
SENTINEL = f"""\
from openai import OpenAI

from script import MODEL

client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")
OWN_MODEL = "{RETIRED}"


def ask(question: str) -> object:
    client.chat.completions.create(
        model=OWN_MODEL, messages=[{{"role": "user", "content": question}}]
    )
    return client.chat.completions.create(
        model=MODEL, messages=[{{"role": "user", "content": question}}]
    )
"""
SCRIPT = f'MODEL = "{RETIRED}"\nprint(MODEL)\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder tree with no project marker above it: `script.py` and, beside it, the
    sentinel that imports its constant and sends it to W&B."""
    folder = tmp_path / "loose"
    folder.mkdir()
    if find_config_file(folder) or any(
        (parent / marker).exists() for parent in (folder, *folder.parents) for marker in VCS_MARKERS
    ):
        pytest.skip("the temporary folder lies in a project")
    (folder / "script.py").write_text(SCRIPT)
    (folder / "sentinel.py").write_text(SENTINEL)
    return folder


@pytest.fixture
def summarised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The modules the run summarises for its index."""
    return record_summaries(monkeypatch)


def findings(*paths: Path) -> list[tuple[str, int, str]]:
    args = ["--no-cache", "--output-format", "json", *map(str, paths)]
    result = make_runner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return sorted(
        (Path(row["filename"]).name, row["location"]["row"], row["code"])
        for row in json.loads(result.stdout)
    )


def test_outside_a_project_a_named_file_is_read_alone(tree: Path, summarised: list[str]) -> None:
    assert findings(tree / "script.py") == []
    assert summarised == []


def test_outside_a_project_a_named_folder_is_walked(tree: Path, summarised: list[str]) -> None:
    assert findings(tree) == [("script.py", 1, "WB502"), ("sentinel.py", 6, "WB502")]
    assert sorted(set(summarised)) == ["script", "sentinel"]


def test_inside_a_project_a_named_file_gets_the_whole_projects_findings(
    tree: Path, summarised: list[str]
) -> None:
    (tree / "lint-wb.toml").write_text("")
    assert findings(tree / "script.py") == [("script.py", 1, "WB502")]
    assert "sentinel" in summarised
