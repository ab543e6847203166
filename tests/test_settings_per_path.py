"""Each file gets the settings of its nearest configuration, whichever paths a run names and
in whatever order (SPEC §5), as ruff does: `lint-wb a/ b/` with a configuration in each
reports for a/'s files what `lint-wb a/` does, and for b/'s what `lint-wb b/` does. Only
what a run has once (its output format, jobs, cache) is the run's own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_files import git, needs_git

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONFIGURED = {
    "porting": "porting",  # assume-wandb, unsafe fixes
    "models": "models_unsafe",  # unsafe fixes only
    "monorepo": "monorepo",  # select, per-file-ignores
    "plain": "client",  # no configuration of its own
}
"""Folders of fixtures with configurations that differ, by the name each is copied as."""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settings").resolve()
    for name, fixture in CONFIGURED.items():
        shutil.copytree(
            FIXTURES / fixture, root / name, ignore=shutil.ignore_patterns("*.fixed.py")
        )
    return root


def run(root: Path, *names: str) -> tuple[list[tuple[str, int, int, str, str]], str]:
    """The findings of a run on `names` (JSON), and its summary line (concise)."""
    args = ["--no-cache", *(str(root / name) for name in names)]
    found = make_runner().invoke(main, [*args, "--output-format", "json"])
    assert found.exit_code in (0, 1), found.output
    rows = sorted(
        (str(Path(row["filename"]).relative_to(root)), *_where(row), row["code"], row["message"])
        for row in json.loads(found.stdout)
    )
    concise = make_runner().invoke(main, [*args, "--output-format", "concise"])
    summary = re.findall(r"^Found .*$", concise.stdout, re.M)
    return rows, summary[-1] if summary else ""


def _where(row: dict[str, dict[str, int]]) -> tuple[int, int]:
    return row["location"]["row"], row["location"]["column"]


def _fixable(summary: str) -> tuple[int, int]:
    """(fixable, more with --unsafe-fixes) of a summary line."""
    fixable = re.search(r"(\d+) fixable", summary)
    more = re.search(r"(\d+) more with --unsafe-fixes", summary)
    return int(fixable.group(1)) if fixable else 0, int(more.group(1)) if more else 0


@pytest.mark.parametrize(
    ("first", "second"),
    [("porting", "plain"), ("plain", "porting"), ("models", "monorepo"), ("monorepo", "models")],
)
def test_two_folders_each_get_their_own_settings(folders: Path, first: str, second: str) -> None:
    alone = [run(folders, name) for name in (first, second)]
    together, summary = run(folders, first, second)
    assert together == sorted(alone[0][0] + alone[1][0])
    sums = [_fixable(found) for _, found in alone]
    assert _fixable(summary) == (sums[0][0] + sums[1][0], sums[0][1] + sums[1][1])


@needs_git
def test_each_folder_named_is_walked_with_its_own_gitignore_setting(tmp_path: Path) -> None:
    """A folder whose configuration says `respect-gitignore = false` is walked so, whether
    it is named first or not; a folder without one respects `.gitignore`."""
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("generated_*.py\n")
    wrong = 'from openai import OpenAI\nOpenAI(base_url="https://api.wandb.ai/v1")\n'
    for name in ("kept", "ignored"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "generated_client.py").write_text(wrong)
    (tmp_path / "kept" / "lint-wb.toml").write_text("respect-gitignore = false\n")
    for order in (["kept", "ignored"], ["ignored", "kept"]):
        found, _ = run(tmp_path, *order)
        assert {row[0] for row in found} == {"kept/generated_client.py"}
