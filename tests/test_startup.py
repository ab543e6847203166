"""libcst is imported only when a file needs parsing (issue 2: keep it cheap from the start)."""

from __future__ import annotations

import os
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


MODULES_PROBE = """
import sys
from click.testing import CliRunner
from lint_wb.cli.main import main
result = CliRunner().invoke(main, sys.argv[1:])
loaded = sorted(name for name in sys.modules if name.startswith("lint_wb"))
print(result.exit_code, " ".join(loaded))
"""


def loaded_modules(*args: str, cache: Path | None = None) -> tuple[int, set[str]]:
    """The exit code of `lint-wb *args` and the lint_wb modules the run imported."""
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(cache)} if cache is not None else None
    output = subprocess.run(
        [sys.executable, "-c", MODULES_PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.split()
    return int(output[0]), set(output[1:])


def test_version_loads_the_command_line_alone() -> None:
    code, modules = loaded_modules("--version")
    assert code == 0
    assert not {"lint_wb.api", "lint_wb.rules.registry", "lint_wb.spec", "lint_wb.cache"} & modules


def test_a_run_that_parses_nothing_does_not_load_the_rules(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    code, modules = loaded_modules("--isolated", "--select", "WB3,unused-noqa", str(tmp_path))
    assert code == 0
    assert "lint_wb.rules.codes" in modules  # the selectors were checked from the table
    assert "lint_wb.rules.registry" not in modules


def test_the_table_of_codes_is_the_registry() -> None:
    """`rules/codes.py` stands for the registry in runs that parse nothing: the same rules,
    names, severities and docs URLs, in the same order."""
    from lint_wb.rules.codes import RULE_TABLE
    from lint_wb.rules.registry import ALL_RULES

    registry = [(rule.code, rule.name, rule.severity, rule.url()) for rule in ALL_RULES]
    table = [(entry.code, entry.name, entry.severity, entry.url) for entry in RULE_TABLE]
    assert table == registry


def test_a_run_with_its_spec_compiled_loads_no_spec_nor_analysis(tmp_path: Path) -> None:
    """The first run compiles the spec into the cache folder; the next ones screen files with
    the compiled facts and load neither the spec's classes, its loaders nor the analysis."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "plain.py").write_text("import openai\n")
    heavy = {"lint_wb.spec.types", "lint_wb.spec.loader", "lint_wb.analysis", "lint_wb.engine"}
    code, first = loaded_modules("--isolated", str(project), cache=tmp_path / "cache")
    assert code == 0
    assert "lint_wb.spec.loader" in first  # compiled here
    for args in (["--isolated", str(project)], ["--isolated", "--no-cache", str(project)]):
        code, modules = loaded_modules(*args, cache=tmp_path / "cache")
        assert code == 0
        assert not heavy & modules


def test_a_run_that_asks_no_account_does_not_load_the_accounting(tmp_path: Path) -> None:
    from lint_wb.accounting import ENVIRONMENT
    from lint_wb.cli.main import ACCOUNT_VARIABLE

    assert ACCOUNT_VARIABLE == ENVIRONMENT
    (tmp_path / "plain.py").write_text("x = 1\n")
    code, modules = loaded_modules("--isolated", "--no-cache", str(tmp_path))
    assert code == 0
    assert "lint_wb.accounting" not in modules
