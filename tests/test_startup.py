"""libcst is imported only when a file needs parsing (issue 2: keep it cheap from the start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from click.testing import CliRunner
from lint_wb.cli.main import main
result = CliRunner().invoke(main, sys.argv[1:])
print(result.exit_code, any(name.startswith("libcst") for name in sys.modules))
"""


def run_probe(*args: str) -> tuple[int, bool]:
    output = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(output[0]), output[1] == "True"


@pytest.mark.parametrize(
    "args", [["--list-rules"], ["--explain", "WB301"], ["--version"]], ids=lambda a: a[0]
)
def test_commands_that_parse_nothing_do_not_import_libcst(args: list[str]) -> None:
    assert run_probe(*args) == (0, False)


def test_files_that_cannot_hold_a_client_are_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    (tmp_path / "notes.py").write_text("# mentions nothing relevant\n")
    assert run_probe("--isolated", str(tmp_path)) == (0, False)


def test_a_file_with_a_wandb_client_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n"
    )
    assert run_probe("--isolated", str(tmp_path)) == (0, True)


def test_a_file_with_only_an_openai_client_is_read_but_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("from openai import OpenAI\nclient = OpenAI()\n")
    assert run_probe("--isolated", str(tmp_path)) == (0, False)
    assert run_probe("--isolated", "--assume-wandb", str(tmp_path)) == (1, True)  # WB102
