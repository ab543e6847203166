"""What a ruff user types, run through the real command line on copies of the fixtures.

`--stdin-filename` alone reads stdin; `--statistics --output-format json`; `--exclude` and
`--extend-exclude`; `--config "key = value"`. The project: fixtures/client/base_urls.py (ten
WB101 with safe fixes, one without) and fixtures/porting/ (assume-wandb and unsafe-fixes in
its lint-wb.toml: three WB103 with safe fixes, two WB102 with unsafe ones).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from lint_wb.cli.main import main
from tests.cli_runner import make_runner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WRONG_URL = """\
import os

from openai import OpenAI

client = OpenAI(base_url="https://api.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])
"""


def lint_wb(*args: str, stdin: str | None = None) -> Result:
    return make_runner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def files_reported(result: Result) -> set[str]:
    """The files named by `--output-format concise` lines."""
    return {line.split(":")[0] for line in result.stdout.splitlines() if ": WB" in line}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copy(FIXTURES / "client" / "base_urls.py", tmp_path / "base_urls.py")
    (tmp_path / "porting").mkdir()
    for name in ("lint-wb.toml", "foreign_urls.py"):
        shutil.copy(FIXTURES / "porting" / name, tmp_path / "porting" / name)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


# --stdin-filename


def test_stdin_filename_alone_reads_stdin(project: Path) -> None:
    result = lint_wb("--stdin-filename", "app.py", "--output-format", "concise", stdin=WRONG_URL)
    assert result.exit_code == 1
    assert files_reported(result) == {"app.py"}  # not the project's files


def test_stdin_filename_with_paths_reads_stdin_and_says_the_paths_are_ignored(
    project: Path,
) -> None:
    args = ("--stdin-filename", "app.py", "--output-format", "concise", "base_urls.py")
    result = lint_wb(*args, stdin=WRONG_URL)
    assert files_reported(result) == {"app.py"}
    assert result.stderr == "lint-wb: warning: ignoring base_urls.py: reading standard input\n"


def test_a_dash_given_twice_reads_stdin_once(project: Path) -> None:
    result = lint_wb("--output-format", "concise", "-", "-", stdin=WRONG_URL)
    assert result.exit_code == 1
    assert files_reported(result) == {"-"}


def test_a_dash_among_paths_is_a_usage_error_not_a_missing_file(project: Path) -> None:
    result = lint_wb("-", "base_urls.py", stdin=WRONG_URL)
    assert result.exit_code == 2
    assert "'-' reads standard input; give it alone, not with paths" in result.stderr
    assert "No such file" not in result.output


def test_stdin_filename_takes_the_settings_of_its_folder(project: Path) -> None:
    """porting/lint-wb.toml turns on unsafe fixes: a WB102 read as porting/x.py is fixable."""
    source = (
        'import os\nfrom openai import OpenAI\nc = OpenAI(api_key=os.environ["WANDB_API_KEY"])\n'
    )
    result = lint_wb("--stdin-filename", "porting/x.py", stdin=source)
    assert result.stdout.endswith("Found 1 warning (1 fixable with --fix).\n")


# --statistics --output-format json


def test_statistics_as_json_has_rufts_shape(project: Path) -> None:
    result = lint_wb("--select", "WB1", "--statistics", "--output-format", "json", ".")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"code": "WB101", "name": "wrong-base-url", "count": 11, "fixable": True},
        {"code": "WB103", "name": "foreign-base-url", "count": 3, "fixable": True},
        {"code": "WB102", "name": "missing-base-url", "count": 2, "fixable": True},
    ]


def test_statistics_as_json_counts_noqa_suppressions_without_a_code(project: Path) -> None:
    shutil.copy(FIXTURES / "noqa" / "suppressions.py", "suppressions.py")
    result = lint_wb("--statistics", "--output-format", "json", "suppressions.py")
    rows = json.loads(result.stdout)
    assert rows[-1] == {"code": None, "name": "suppressed by noqa", "count": 3, "fixable": False}


def test_statistics_fixable_follows_the_unsafe_fixes_setting(project: Path) -> None:
    """WB102's fixes are unsafe: [*] and `fixable` only when --fix would apply them."""
    args = ("--select", "WB102", "--statistics", "porting")
    assert lint_wb(*args).stdout.startswith("    2\tWB102\t[*] missing-base-url\n")
    off = lint_wb(*args, "--no-unsafe-fixes")
    assert off.stdout.startswith("    2\tWB102\t[ ] missing-base-url\n")
    rows = json.loads(lint_wb(*args, "--no-unsafe-fixes", "--output-format", "json").stdout)
    assert rows == [{"code": "WB102", "name": "missing-base-url", "count": 2, "fixable": False}]


def test_statistics_in_a_format_it_has_not_is_one_line_and_exit_2(project: Path) -> None:
    result = lint_wb("--statistics", "--output-format", "sarif", "--fix", "porting")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--statistics has no sarif format" in result.stderr
    assert "api.together.xyz" in Path("porting/foreign_urls.py").read_text()  # nothing fixed


# --exclude, --extend-exclude


def test_extend_exclude_adds_to_the_configured_globs(project: Path) -> None:
    Path("build").mkdir()
    shutil.copy("base_urls.py", "build/generated.py")  # `build` is excluded by default
    result = lint_wb("--output-format", "concise", "--extend-exclude", "porting", ".")
    assert files_reported(result) == {"base_urls.py"}


def test_exclude_replaces_the_configured_globs(project: Path) -> None:
    Path("build").mkdir()
    shutil.copy("base_urls.py", "build/generated.py")
    result = lint_wb("--output-format", "concise", "--exclude", "porting", ".")
    assert files_reported(result) == {"base_urls.py", "build/generated.py"}


def test_exclude_globs_with_a_slash_read_from_the_current_folder(project: Path) -> None:
    """porting/ has its own lint-wb.toml (its globs read from porting/): a glob typed on the
    command line still reads from where lint-wb runs."""
    shutil.copy("porting/foreign_urls.py", "porting/kept.py")
    args = ("--output-format", "concise", "--select", "WB1")
    result = lint_wb(*args, "--extend-exclude", "porting/foreign_*.py,base_urls.py", ".")
    assert files_reported(result) == {"porting/kept.py"}


def test_exclude_keeps_the_configured_extend_exclude(project: Path) -> None:
    Path("lint-wb.toml").write_text('extend-exclude = ["base_urls.py"]\n', encoding="utf-8")
    result = lint_wb("--output-format", "concise", "--exclude", "nothing", ".")
    assert files_reported(result) == {"porting/foreign_urls.py"}


def test_excludes_apply_to_explicit_paths_with_force_exclude(project: Path) -> None:
    result = lint_wb("--extend-exclude", "base_urls.py", "--force-exclude", "base_urls.py")
    assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")


# --config "key = value"


def test_inline_config_sets_a_key_over_the_file(project: Path) -> None:
    """porting's file says assume-wandb = true; without it, other providers' URLs are theirs."""
    assert "Found 3 errors" in lint_wb("--select", "WB103", "porting").stdout
    result = lint_wb("--select", "WB103", "--config", "assume-wandb = false", "porting")
    assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")


def test_inline_config_keys_are_the_files_keys(project: Path) -> None:
    result = lint_wb("--config", "output-format = 'concise'", "--config", 'select = ["WB102"]', ".")
    assert result.stdout.splitlines()[0].startswith("porting/foreign_urls.py:13:")
    findings = [line for line in result.stdout.splitlines() if ": WB" in line]
    assert len(findings) == 2 and all(" WB102 " in line for line in findings)


def test_inline_config_globs_read_from_the_current_folder(project: Path) -> None:
    result = lint_wb(
        "--output-format", "concise", "--config", "extend-exclude = ['porting/*.py']", "."
    )
    assert files_reported(result) == {"base_urls.py"}


def test_command_line_options_win_over_inline_config(project: Path) -> None:
    args = ("--select", "WB103", "--config", "assume-wandb = false", "--assume-wandb", "porting")
    assert "Found 3 errors" in lint_wb(*args).stdout


def test_config_file_and_inline_lines_together(project: Path) -> None:
    Path("strict.toml").write_text('select = ["WB103"]\nassume-wandb = true\n', encoding="utf-8")
    result = lint_wb("--config", "strict.toml", "--config", "extend-select = ['WB102']", "porting")
    assert "Found 3 errors and 2 warnings" in result.stdout
    only_file = lint_wb("--config", "strict.toml", "porting")
    assert "Found 3 errors" in only_file.stdout


@pytest.mark.parametrize(
    ("argument", "words"),
    [
        ("selct = ['WB1']", "--config: unknown key 'selct' (did you mean 'select'?)"),
        ("select = ['WB1O1']", "unknown rule selector 'WB1O1' (did you mean 'WB101'?)"),
        ("assume-wandb = 'yes'", "'assume-wandb' must be true or false"),
        ("missing.toml", "--config 'missing.toml': no such file"),
        ("conf/missing", "--config 'conf/missing': no such file"),
        ("select", "--config 'select' is neither a file nor a `key = value` TOML line"),
        ("porting", "--config 'porting' is a folder, not a configuration file"),
        ("extend = 'other.toml'", "'extend' names a file; use --config FILE"),
    ],
)
def test_a_bad_config_argument_is_one_line_and_exit_2(
    project: Path, argument: str, words: str
) -> None:
    result = lint_wb("--fix", "--config", argument, "porting")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lint-wb: error: ")
    assert words in result.stderr
    assert "api.together.xyz" in Path("porting/foreign_urls.py").read_text()  # nothing fixed
