"""How a message names the module a request is made in, when the finding is reported in
another module (`... (used by app (the client built there))`).

A module no import can name (a notebook, one of two scripts of one name: a monorepo's or a
hackathon repository's several `main.py`) has a key in the index that holds its path as the
run spells it. Messages name it by its path from the project root instead, the same in every
output format and from every working folder, the index kept by one run and read by the next
included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner

SETTINGS = 'URL = "https://api.wandb.ai/v1"\n'
"""A near miss of W&B's base URL: WB101, reported here, names the client that uses it."""
SCRIPT = """\
from openai import OpenAI

from settings import URL

client = OpenAI(base_url=URL, api_key="k")
client.chat.completions.create(
    model="meta-llama/Llama-3.1-8B-Instruct", messages=[{"role": "user", "content": "hi"}]
)
"""
USED_BY = "(used by a/main.py (the client built there))"
IN_NOTEBOOK = "(used by notebooks/explore.ipynb (the client built there))"


def notebook(source: str) -> str:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    document = {
        "cells": [{**cell, "source": source.splitlines(keepends=True)}],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (its configuration file marks the root) with two scripts named `main.py`
    that build a client on the URL of `settings.py`."""
    root = tmp_path / "project"
    for folder in ("a", "b", "deep/inside"):
        (root / folder).mkdir(parents=True)
    (root / "lint-wb.toml").write_text("")
    (root / "settings.py").write_text(SETTINGS)
    (root / "a" / "main.py").write_text(SCRIPT)
    (root / "b" / "main.py").write_text(SCRIPT)
    return root


def messages(*args: str, output: str = "json") -> list[str]:
    """The WB101 messages of a run of the current folder's lint-wb on `args`."""
    result = make_runner().invoke(main, ["--jobs", "1", "--output-format", output, *args])
    assert result.exit_code == 1, result.output
    if output == "json":
        return [found["message"] for found in json.loads(result.stdout) if found["code"] == "WB101"]
    return re.findall(r"WB101 \[\*\] (.*)", result.stdout)


def test_a_script_of_a_shared_name_is_named_by_its_path_from_the_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.parent)
    found = messages("--no-cache", str(project))  # an absolute path: the key holds it
    assert len(found) == 1
    assert found[0].endswith(USED_BY)
    assert str(project.parent) not in found[0]


def test_text_output_says_what_json_says(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "b")
    assert messages("--no-cache", "..", output="full") == messages("--no-cache", "..")
    assert messages("--no-cache", "..", output="concise") == messages("--no-cache", "..")
    assert messages("--no-cache", "..")[0].endswith(USED_BY)


def test_a_notebook_is_named_by_its_path_from_the_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "b" / "main.py").unlink()
    (project / "a" / "main.py").unlink()
    (project / "notebooks").mkdir()
    (project / "notebooks" / "explore.ipynb").write_text(notebook(SCRIPT))
    monkeypatch.chdir(project / "deep" / "inside")
    found = messages("--no-cache", "../..")
    assert len(found) == 1 and found[0].endswith(IN_NOTEBOOK)


def test_a_kept_index_names_it_alike_from_every_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run keeps the index (the names in its messages with it); the runs from
    other folders, spelling the project otherwise, read it and say the same."""
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    runs = [
        (project / "deep" / "inside", ["../.."]),
        (project, ["."]),
        (project / "a", ["../settings.py"]),
        (tmp_path, [str(project)]),
    ]
    said = set()
    for folder, args in runs:
        monkeypatch.chdir(folder)
        said.update(messages(*args))
    assert len(said) == 1
    assert said.pop().endswith(USED_BY)


def test_scripts_of_one_name_named_outside_any_project_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No configuration file and no repository: each named file is its own scope, and two
    scripts of one name are named by their paths from the folder the files named lie in."""
    root = tmp_path / "loose"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "main.py").write_text(SCRIPT)
    (root / "settings.py").write_text(SETTINGS)
    monkeypatch.chdir(root / "a")
    found = messages("--no-cache", "main.py", "../b/main.py", "../settings.py")
    assert len(found) == 1
    assert re.search(r"\(used by [ab]/main\.py \(the client built there\)\)$", found[0])


def test_a_script_of_a_shared_name_keeps_its_summary_from_every_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary cache keeps a script's summary (and a notebook's) by its module's key,
    which holds its path: a run from another folder, spelling the path otherwise, finds it."""
    from tests.engine_reads import record_summaries

    (project / "notebooks").mkdir()
    (project / "notebooks" / "explore.ipynb").write_text(notebook(SCRIPT))
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)
    made = record_summaries(monkeypatch)
    messages(".")
    assert len(made) == 4  # both scripts, the notebook and settings.py
    made.clear()
    (project / "settings.py").write_text(SETTINGS + "OTHER = 1\n")  # a new index, not summaries
    monkeypatch.chdir(project / "deep")
    messages("..")
    assert made == ["settings"]
