"""The text output's finish, through the real command line: long source lines cut around the
caret, errors and warnings counted apart in the summary, and `--diff`'s closing line.

WB101 (a wrong base URL) is an error with a safe fix; WB102 (a W&B client without a base URL)
is a warning whose fix is unsafe.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from lint_wb.cli.main import main
from lint_wb.reporters.text import LINE_LIMIT
from tests.cli_runner import make_runner

HEADER = "import os\n\nfrom openai import OpenAI\n\n"
KEY = 'api_key=os.environ["WANDB_API_KEY"]'
WRONG_URL = '"https://api.wandb.ai/v1"'
pytestmark = pytest.mark.usefixtures("outside_the_checkout")

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TWO_ERRORS_ONE_WARNING = HEADER + (
    f"a = OpenAI(base_url={WRONG_URL}, {KEY})\n"
    f"b = OpenAI(base_url={WRONG_URL}, {KEY})\n"
    f"c = OpenAI({KEY})\n"
)


def lint_wb(*args: str, stdin: str) -> Result:
    arguments = ["--isolated", "--stdin-filename", "app.py", *args]
    return make_runner().invoke(main, arguments, input=stdin, catch_exceptions=False)


def frame_lines(result: Result) -> tuple[str, str]:
    """The first finding's source line and caret line, without the gutter."""
    lines = result.stdout.splitlines()
    caret = next(index for index, line in enumerate(lines) if re.search(r"\^+ WB\d{3}$", line))
    return lines[caret - 1].split(" | ", 1)[1], lines[caret].split(" | ", 1)[1]


def under_caret(source: str, caret: str) -> str:
    match = re.search(r"\^+", caret)
    assert match is not None
    return source[match.start() : match.end()]


# long source lines


def test_a_long_line_is_cut_around_the_caret() -> None:
    padding = "x" * 300
    line = f'client = OpenAI(default_headers={{"a": "{padding}"}}, base_url={WRONG_URL}, {KEY})'
    result = lint_wb(stdin=HEADER + line + "  # " + "y" * 200 + "\n")
    source, caret = frame_lines(result)
    assert source.startswith("...") and source.endswith("...")
    assert len(source) <= LINE_LIMIT
    assert under_caret(source, caret) == WRONG_URL


def test_a_caret_near_the_start_of_a_long_line_keeps_the_start() -> None:
    line = f"client = OpenAI(base_url={WRONG_URL}, {KEY}, default_headers={{'a': '{'x' * 500}'}})"
    source, caret = frame_lines(lint_wb(stdin=HEADER + line + "\n"))
    assert source.startswith("client = OpenAI(base_url=") and source.endswith("...")
    assert len(source) <= LINE_LIMIT
    assert under_caret(source, caret) == WRONG_URL


def test_a_caret_at_the_end_of_a_long_line_keeps_the_end() -> None:
    line = f"client = OpenAI(default_headers={{'a': '{'x' * 500}'}}, {KEY}, base_url={WRONG_URL})"
    source, caret = frame_lines(lint_wb(stdin=HEADER + line + "\n"))
    assert source.startswith("...") and source.endswith(f"base_url={WRONG_URL})")
    assert under_caret(source, caret) == WRONG_URL


def test_a_finding_wider_than_the_limit_is_cut_at_the_right() -> None:
    url = '"https://api.wandb.ai/v1/' + "p" * 400 + '"'
    line = f"client = OpenAI(base_url={url}, {KEY})"
    source, caret = frame_lines(lint_wb(stdin=HEADER + line + "\n"))
    assert len(source) <= LINE_LIMIT and source.endswith("...")
    assert under_caret(source, caret) == source[source.index(url[:20]) : -3]


def test_a_line_within_the_limit_is_shown_whole() -> None:
    line = f"client = OpenAI(base_url={WRONG_URL}, {KEY})"
    source, _ = frame_lines(lint_wb(stdin=HEADER + line + "\n"))
    assert source == line


# the summary


def test_the_summary_counts_errors_and_warnings_apart() -> None:
    result = lint_wb(stdin=TWO_ERRORS_ONE_WARNING)
    expected = "Found 2 errors and 1 warning (2 fixable with --fix, 1 more with --unsafe-fixes).\n"
    assert result.stdout.endswith("\n\n" + expected)


def test_one_warning_is_not_called_an_error() -> None:
    result = lint_wb(stdin=HEADER + f"c = OpenAI({KEY})\n")
    assert result.stdout.endswith("\nFound 1 warning (1 fixable with --unsafe-fixes).\n")


def test_fix_summary_and_fixed_list_use_the_same_words() -> None:
    result = lint_wb("--fix", "--unsafe-fixes", "--show-fixes", "-", stdin=TWO_ERRORS_ONE_WARNING)
    assert "Fixed 2 errors and 1 warning:\n" in result.stderr
    assert result.stderr.endswith("Found 2 errors and 1 warning (3 fixed, 0 remaining).\n")


# --diff


def test_diff_ends_with_what_it_would_fix_on_stderr() -> None:
    result = lint_wb("--diff", "--unsafe-fixes", stdin=TWO_ERRORS_ONE_WARNING)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- app.py\n+++ app.py\n")  # a patch, nothing else
    assert result.stderr == "Would fix 2 errors and 1 warning.\n"


def test_diff_says_which_fixes_wait_for_unsafe_fixes() -> None:
    result = lint_wb("--diff", stdin=TWO_ERRORS_ONE_WARNING)
    assert result.stderr == "Would fix 2 errors (1 more with --unsafe-fixes).\n"


def test_diff_of_one_fix_is_singular_and_quiet_says_nothing() -> None:
    source = HEADER + f"a = OpenAI(base_url={WRONG_URL}, {KEY})\n"
    assert lint_wb("--diff", stdin=source).stderr == "Would fix 1 error.\n"
    assert lint_wb("--diff", "-q", stdin=source).stderr == ""
    only_unsafe = lint_wb("--diff", stdin=HEADER + f"c = OpenAI({KEY})\n")
    assert (only_unsafe.stdout, only_unsafe.stderr) == (
        "",
        "Would fix nothing (1 fixable with --unsafe-fixes).\n",
    )


def test_on_a_terminal_lines_are_cut_to_its_width(tmp_path: Path) -> None:
    padding = "x" * 300
    line = f'client = OpenAI(default_headers={{"a": "{padding}"}}, base_url={WRONG_URL}, {KEY})'
    (tmp_path / "app.py").write_text(HEADER + line + "\n", encoding="utf-8")
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    process = subprocess.run(
        [sys.executable, "-m", "lint_wb", "--isolated", "--no-cache", "app.py"],
        cwd=tmp_path,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env=env,
        timeout=300,
        check=False,
    )
    os.close(terminal)
    chunks = []
    while True:  # everything is buffered by now; EIO when it has all been read
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    output = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 1
    shown = [ANSI.sub("", row) for row in output.splitlines() if " | " in ANSI.sub("", row)]
    assert shown and all(len(row) <= 80 for row in shown)
    source = next(row for row in shown if "base_url=" in row).split(" | ", 1)[1]
    caret = next(row for row in shown if "^" in row).split(" | ", 1)[1]
    assert under_caret(source, caret) == WRONG_URL
