"""The hooks in .pre-commit-hooks.yaml, run for real by pre-commit against this checkout.

pre-commit builds the hook's own virtual environment from the hook repository (pip install
.), which takes a while. `pre-commit try-repo` builds it in a new store on every call, so
instead each test project gets a `.pre-commit-config.yaml` naming one session-scoped copy of
this checkout (its working tree as it is, committed) at one revision, and every test shares
one pre-commit home: the environment is built once per test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRONG = 'client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["KEY"])\n'
RIGHT = 'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["KEY"])\n'
HEADER = "import os\n\nfrom openai import OpenAI\n\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PRE_COMMIT_COLOR"] = "never"
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's working tree (tracked and new files, as they are now) committed into a
    repository of its own, so that every test asks pre-commit for the same revision."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    copy = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", ".")
    _git(copy, "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-qm", "hook")
    return copy


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


@dataclass(frozen=True)
class Hooks:
    """Runs this checkout's hooks with pre-commit in a project, sharing one environment."""

    repo: Path
    env: dict[str, str]

    def run(self, project: Path, hook: str) -> subprocess.CompletedProcess[str]:
        revision = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=self.repo, check=True, capture_output=True, text=True
        ).stdout.strip()
        config = f"repos:\n- repo: {self.repo}\n  rev: {revision}\n  hooks:\n  - id: {hook}\n"
        (project / ".pre-commit-config.yaml").write_text(config)
        _git(project, "add", ".pre-commit-config.yaml")
        command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"]
        return subprocess.run(
            command,
            cwd=project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.fixture(scope="session")
def hooks(environment: dict[str, str], hook_repo: Path) -> Hooks:
    return Hooks(hook_repo, environment)


def test_check_hook_fails_and_shows_findings(tmp_path: Path, hooks: Hooks) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + WRONG})
    result = hooks.run(repo, "lint-wb")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WB101" in result.stdout
    assert "app.py:5:" in result.stdout
    assert (repo / "app.py").read_text() == HEADER + WRONG


def test_fix_hook_rewrites_the_file(tmp_path: Path, hooks: Hooks) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + WRONG})
    result = hooks.run(repo, "lint-wb-fix")
    assert result.returncode == 1, result.stdout + result.stderr  # files were modified
    assert (repo / "app.py").read_text() == HEADER + RIGHT


def test_clean_file_passes(tmp_path: Path, hooks: Hooks) -> None:
    repo = make_repo(tmp_path, {"app.py": HEADER + RIGHT, "notes.txt": "not python\n"})
    result = hooks.run(repo, "lint-wb")
    assert result.returncode == 0, result.stdout + result.stderr


def test_excluded_files_stay_excluded_when_pre_commit_names_them(
    tmp_path: Path, hooks: Hooks
) -> None:
    files = {
        "pyproject.toml": '[tool.lint-wb]\nextend-exclude = ["generated"]\n',
        "generated/client.py": HEADER + WRONG,
        "app.py": HEADER + RIGHT,
    }
    repo = make_repo(tmp_path, files)
    result = hooks.run(repo, "lint-wb")
    assert result.returncode == 0, result.stdout + result.stderr
