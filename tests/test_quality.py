"""ruff and mypy over the package, as part of the test suite (so `pytest` is the whole of CI)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    folders = [name for name in ("lint_wb", "tests", "bench") if (ROOT / name).is_dir()]
    return _run(ruff, *args, *folders)


def test_ruff_is_clean() -> None:
    result = _ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    """The code is as `ruff format` writes it (fixtures/ are not: they keep the shapes users
    write, which the fixes must keep)."""
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy", "lint_wb")
    assert result.returncode == 0, result.stdout + result.stderr
