"""How output looks, through the real command line: `--list-rules` columns, tabs and control
characters in the `full` frame, the progress bar on a terminal, a notebook's encoding error,
and a misnamed `[tool.lint_wb]` table.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import Result

from lint_wb.cli.main import main
from lint_wb.rules import ALL_RULES
from tests.cli_runner import make_runner

HEADER = "import os\n\nfrom openai import OpenAI\n\n"
KEY = 'api_key=os.environ["WANDB_API_KEY"]'
WRONG_URL = '"https://api.wandb.ai/v1"'


def lint_wb(*args: str, stdin: str | None = None) -> Result:
    return make_runner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def frame(result: Result, code: str = "WB101") -> tuple[str, str]:
    """The source line and the caret line under the first finding's headline."""
    lines = result.stdout.splitlines()
    caret = next(
        index for index, line in enumerate(lines) if line.endswith(f" {code}") and "^" in line
    )
    return lines[caret - 1].split(" | ", 1)[1], lines[caret].split(" | ", 1)[1]


def caret_span(caret_line: str) -> tuple[int, int]:
    match = re.search(r"\^+", caret_line)
    assert match is not None
    return match.start(), match.end()


# --list-rules


def test_list_rules_columns_line_up_two_spaces_apart() -> None:
    lines = lint_wb("--list-rules").stdout.splitlines()
    assert len(lines) == len(ALL_RULES)
    summaries = {line.index(rule.summary()) for line, rule in zip(lines, ALL_RULES)}
    fixes = {line.index("fix: ") for line in lines}
    assert len(summaries) == 1 and len(fixes) == 1
    start = summaries.pop()
    assert all(line[start - 2 : start] == "  " for line in lines)  # `fix: sometimes` too


# the full frame


@pytest.mark.usefixtures("outside_the_checkout")
def test_tabs_show_as_ruff_shows_them_with_the_caret_under_the_value() -> None:
    source = HEADER + f"if True:\n\tclient = OpenAI({KEY}, \tbase_url={WRONG_URL})\n"
    shown, caret = frame(lint_wb("--isolated", "--stdin-filename", "app.py", stdin=source))
    assert "\t" not in shown
    assert shown.startswith("    client = OpenAI(")  # a tab to the next multiple of 4
    after_comma = shown.index(KEY) + len(KEY) + 1
    assert shown.index("base_url=") % 4 == 0  # the tab after ", ": to the next stop
    assert shown[after_comma : shown.index("base_url=")] == " " + "   "  # the space, the tab
    start, end = caret_span(caret)
    assert shown[start:end] == WRONG_URL


@pytest.mark.usefixtures("outside_the_checkout")
def test_wide_characters_keep_the_caret_under_the_value() -> None:
    source = (
        HEADER + f'client = OpenAI(default_headers={{"名前": "値"}}, base_url={WRONG_URL}, {KEY})\n'
    )
    shown, caret = frame(lint_wb("--isolated", "--stdin-filename", "app.py", stdin=source))
    start, end = caret_span(caret)
    width_before = shown.index(WRONG_URL) + 3  # three characters two columns wide
    assert (start, end) == (width_before, width_before + len(WRONG_URL))


@pytest.mark.usefixtures("outside_the_checkout")
def test_control_characters_in_a_source_line_are_shown_not_sent_to_the_terminal() -> None:
    source = (
        HEADER
        + f'client = OpenAI(default_headers={{"x": "\x1b[2J"}}, base_url={WRONG_URL}, {KEY})\n'
    )
    result = lint_wb("--isolated", "--stdin-filename", "app.py", stdin=source)
    assert "\x1b" not in result.stdout
    shown, caret = frame(result)
    assert '"\u241b[2J"' in shown
    start, end = caret_span(caret)
    assert shown[start:end] == WRONG_URL


# the progress bar


def run_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """`lint-wb ARGS` in a subprocess whose stderr is a terminal (a pty); what it printed there."""
    controller, terminal = pty.openpty()
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "lint_wb", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the process closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    code = process.wait(timeout=300)
    reader.join(timeout=30)
    os.close(controller)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for index in range(250):
        (folder / f"m{index}.py").write_text("x = 1\n")
    return folder


def test_a_terminal_shows_a_progress_bar_without_an_eta(many_files: Path) -> None:
    code, terminal = run_on_a_terminal("--isolated", "--no-cache", ".", cwd=many_files)
    assert code == 0
    assert "Linting" in terminal and "250/250" in terminal
    assert "eta" not in terminal.lower()


def test_quiet_shows_no_progress_bar(many_files: Path) -> None:
    code, terminal = run_on_a_terminal("--isolated", "--no-cache", "-q", ".", cwd=many_files)
    assert (code, terminal) == (0, "")


# messages about files


def test_a_notebook_that_is_not_utf8_is_not_told_to_add_an_encoding_cookie(tmp_path: Path) -> None:
    cell = {
        "cell_type": "code",
        "source": "import wandb  # caf\u00e9",
        "metadata": {},
        "outputs": [],
    }
    text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (tmp_path / "nb.ipynb").write_bytes(text.replace("\\u00e9", "\u00e9").encode("latin-1"))
    result = lint_wb("--isolated", str(tmp_path / "nb.ipynb"))
    assert "not valid UTF-8" in result.stderr
    assert "cookie" not in result.stderr
    assert "re-save the notebook as UTF-8" in result.stderr


@pytest.mark.parametrize("table", ["lint_wb", "lintwb", "Lint-WB", "lint-wbb"])
def test_a_misnamed_tool_table_is_a_warning_with_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.{table}]\nselect = ["WB1"]\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        HEADER + f"client = OpenAI(base_url={WRONG_URL}, {KEY})\n"
    )
    monkeypatch.chdir(tmp_path)
    expected = (
        f"pyproject.toml: warning: [tool.{table}] is not read (did you mean [tool.lint-wb]?)\n"
    )
    result = lint_wb("src")
    assert result.exit_code == 1  # the warning changes nothing else
    assert result.stderr == "lint-wb: " + expected
    from_stdin = lint_wb(
        "--stdin-filename", "src/app.py", stdin=(tmp_path / "src" / "app.py").read_text()
    )
    assert from_stdin.stderr == "lint-wb: " + expected


def test_other_tool_tables_and_the_right_one_get_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pylint]\nx = 1\n[tool.lint-wb]\nselect = ["WB1"]\n'
    )
    (tmp_path / "app.py").write_text(HEADER + f"client = OpenAI(base_url={WRONG_URL}, {KEY})\n")
    monkeypatch.chdir(tmp_path)
    result = lint_wb(".")
    assert (result.exit_code, result.stderr) == (1, "")
