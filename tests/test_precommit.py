"""The hooks in .pre-commit-hooks.yaml, run for real by pre-commit against this checkout.

pre-commit builds the hook's own virtual environment from this repository (pip install .),
so the first test of the module takes a while; the environment is shared by the others.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRONG = 'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["KEY"])\n'
RIGHT = 'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["KEY"])\n'
HEADER = "import os\n\nfrom openai import OpenAI\n\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def make_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "dev@example.com")
    _git(repo, "config", "user.name", "Dev")
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _git(repo, "add", ".")
    return repo


def run_hook(repo: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose"]
    return subprocess.run(
        command, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_check_hook_fails_and_shows_findings(tmp_path: Path, environment: dict[str, str]) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + WRONG})
    result = run_hook(repo, "lint-wb", environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WB101" in result.stdout
    assert "app.py:5:" in result.stdout
    assert (repo / "app.py").read_text() == HEADER + WRONG


def test_fix_hook_rewrites_the_file(tmp_path: Path, environment: dict[str, str]) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + WRONG})
    result = run_hook(repo, "lint-wb-fix", environment)
    assert result.returncode == 1, result.stdout + result.stderr  # files were modified
    assert (repo / "app.py").read_text() == HEADER + RIGHT


def test_clean_file_passes(tmp_path: Path, environment: dict[str, str]) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + RIGHT, "notes.txt": "not python\n"})
    result = run_hook(repo, "lint-wb", environment)
    assert result.returncode == 0, result.stdout + result.stderr


def test_excluded_files_stay_excluded_when_pre_commit_names_them(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    files = {
        "pyproject.toml": '[tool.lint-wb]\nextend-exclude = ["generated"]\n',
        "generated/client.py": HEADER + WRONG,
        "app.py": HEADER + RIGHT,
    }
    repo = make_repo(tmp_path, files)
    result = run_hook(repo, "lint-wb", environment)
    assert result.returncode == 0, result.stdout + result.stderr
