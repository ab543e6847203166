"""Common command lines are read without click (cli/quick.py), from the table click's command
is made of (cli/declared.py): the same options as click reads, click for everything else, and
click not loaded at all on the quick path."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pytest

from lint_wb import terminal
from lint_wb.cli.declared import CHOICE, COUNT, FLAG, OPTIONS, PATH, PATHS, SWITCH, VALUES
from lint_wb.cli.main import main
from lint_wb.cli.options import Options
from lint_wb.cli.quick import read_command_line

READ_QUICKLY = [
    [],
    ["a.py"],
    ["--force-exclude", "a.py", "b.py"],
    ["--force-exclude", "--fix", "--exit-non-zero-on-fix", "x.py"],
    ["a.py", "--fix", "b.py", "--diff"],
    ["--select", "WB1,WB2", "--select=WB3", "--ignore", "WB501", "."],
    ["--extend-select", "WB101", "src", "--extend-exclude", "gen/*,build", "--exclude=t"],
    ["--exclude", "", "."],
    ["--output-format", "json", "-o", "report.json", "."],
    ["--output-file=out/report.txt", "--output-format=github", "-q", "--statistics"],
    ["--unsafe-fixes", "--show-fixes"],
    ["--no-unsafe-fixes", "--exit-zero"],
    ["--assume-wandb", "--isolated", "--no-cache", "--jobs", "2"],
    ["--jobs=12", "--quiet"],
    ["--config", "pyproject.toml", "--config", "assume-wandb = true"],
    ["--stdin-filename", "app.py"],
    ["--stdin-filename=app.py", "-"],
    ["-", "a.py"],
    ["--", "-weird.py", "--fix"],
    ["a.py", "--", "--"],
    ["--explain", "WB101"],
    ["--list-rules", "--output-format", "json"],
    ["--show-settings", "sub"],
    ["--list-models"],
    ["--update-models", "--api-key-env", "WANDB_API_KEY"],
    ["--api-key-env", "K"],
    ["--output-format", "sarif", "--select", "wandb-base-url"],
]

FOR_CLICK = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["--fxi"],
    ["--output", "json"],  # click takes no abbreviation either
    ["-x"],
    ["---fix"],
    ["--fix=yes"],
    ["-qo", "report.txt"],
    ["-oreport.txt"],
    ["-o=report.txt"],
    ["--output-format", "xml"],
    ["--output-format", "JSON"],
    ["--jobs", "0"],
    ["--jobs", "02"],
    ["--jobs", "two"],
    ["--jobs", "-1"],
    ["--jobs", "\u0663"],  # a digit, not an ASCII one
    ["--select", "--fix"],
    ["--select"],
    ["a.py", "--jobs"],
    ["--fix", "--fix"],
    ["--unsafe-fixes", "--no-unsafe-fixes"],
    ["--jobs", "1", "--jobs", "2"],
    ["--stdin-filename", "a.py", "--stdin-filename=b.py"],
]


def as_click_reads(args: Sequence[str]) -> dict[str, Any]:
    with main.make_context("lint-wb", list(args)) as context:
        return dataclasses.asdict(Options.from_click(context.params))


@pytest.mark.parametrize("args", READ_QUICKLY, ids=" ".join)
def test_a_common_command_line_reads_as_click_reads_it(args: list[str]) -> None:
    options = read_command_line(args)
    assert options is not None
    assert dataclasses.asdict(options) == as_click_reads(args)


@pytest.mark.parametrize("args", FOR_CLICK, ids=" ".join)
def test_click_reads_the_rest(args: list[str]) -> None:
    assert read_command_line(args) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_an_output_file_click_would_refuse_is_left_to_click(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("", encoding="utf-8")
    report.chmod(0)
    assert read_command_line(["-o", str(report)]) is None
    report.chmod(0o644)
    assert read_command_line(["-o", str(report)]) is not None


def test_windows_command_lines_are_clicks(monkeypatch: pytest.MonkeyPatch) -> None:
    """click expands wildcards in the arguments there."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert read_command_line(["a.py"]) is None


def test_a_shell_asking_for_completions_gets_click(monkeypatch: pytest.MonkeyPatch) -> None:
    """With click's completion variable set, the command line is not a run: an empty one
    would otherwise lint the working folder instead of printing the completion script."""
    assert read_command_line([]) is not None
    monkeypatch.setenv("_LINT_WB_COMPLETE", "bash_source")
    assert read_command_line([]) is None


def test_click_declares_the_table_option_for_option() -> None:
    params = {param.name: param for param in main.params}
    assert list(params) == [PATHS, *(option.dest for option in OPTIONS), "version"]
    types = {CHOICE: click.Choice, PATH: click.Path, COUNT: click.IntRange}
    for option in OPTIONS:
        param = params[option.dest]
        assert isinstance(param, click.Option)
        assert param.opts == list(option.names)
        assert param.secondary_opts == ([option.off] if option.off else [])
        assert param.multiple == (option.kind == VALUES)
        assert param.is_flag == (option.kind in (FLAG, SWITCH))
        if option.takes_value and option.value in types:
            assert isinstance(param.type, types[option.value])
        elif option.takes_value:
            assert param.type is click.STRING


# ---------------------------------------------------------------------- the whole command

PROBE = """
import atexit, sys
atexit.register(lambda: print("click loaded:", "click" in sys.modules, file=sys.stderr))
sys.argv = ["lint-wb", *sys.argv[1:]]
from lint_wb.cli.console import console_main
console_main()
"""
THROUGH_CLICK = "import sys; sys.argv[0] = 'lint-wb'; from lint_wb.cli.main import main; main()"
CLIENT = (
    "from openai import OpenAI\n"
    "client = OpenAI(base_url='https://api.inference.wandb.ai/v1', api_key='k')\n"
    "client.chat.completions.create(model='gpt-4', messages=[], temperature=3)\n"
)


def command(
    script: str, args: Sequence[str], cwd: Path, **popen: Any
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(cwd / "cache")}
    argv = [sys.executable, "-c", script, *args]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, **popen)


@pytest.mark.parametrize(
    "args",
    [
        ["--force-exclude", "client.py", "plain.py"],
        ["--force-exclude", "--output-format", "json", "client.py"],
        ["--select", "WB3,WB4", "--statistics", "."],
    ],
    ids=" ".join,
)
def test_a_common_run_loads_no_click_and_prints_what_clicks_prints(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    quick = command(PROBE, args, tmp_path)
    assert quick.stderr.endswith("click loaded: False\n")
    through_click = command(THROUGH_CLICK, args, tmp_path)
    assert through_click.returncode == quick.returncode == 1
    assert (through_click.stdout, through_click.stderr) == (
        quick.stdout,
        quick.stderr.removesuffix("click loaded: False\n"),
    )
    assert "WB" in quick.stdout


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--jobs", "0", "."], ["--api-key-env", "K"], ["-", "a.py"], ["--select", "XY1"]],
    ids=" ".join,
)
def test_the_rest_is_clicks_own(tmp_path: Path, args: list[str]) -> None:
    """Help, a value click refuses, and usage errors the command finds (before it does
    anything): click prints them, as the click command alone does."""
    quick = command(PROBE, args, tmp_path)
    assert quick.stderr.endswith("click loaded: True\n")
    through_click = command(THROUGH_CLICK, args, tmp_path)
    assert quick.returncode == through_click.returncode
    assert (through_click.stdout, through_click.stderr) == (
        quick.stdout,
        quick.stderr.removesuffix("click loaded: True\n"),
    )
    assert "Usage:" in quick.stdout + quick.stderr or "Error:" in quick.stderr


@pytest.mark.parametrize("script", [PROBE, THROUGH_CLICK], ids=["quick", "click"])
def test_a_closed_pipe_ends_the_run_with_1_and_no_traceback(tmp_path: Path, script: str) -> None:
    for number in range(200):
        (tmp_path / f"client{number}.py").write_text(CLIENT, encoding="utf-8")
    env = {**os.environ, "LINT_WB_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", script, "--no-cache", "."]
    read, write = os.pipe()
    os.close(read)  # nobody reads the report
    try:
        run = subprocess.run(argv, cwd=tmp_path, env=env, stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert run.returncode == 1
    assert b"Traceback" not in run.stderr


# ---------------------------------------------------------------------- printing


@pytest.mark.parametrize("fg", [None, *terminal.COLORS])
@pytest.mark.parametrize("bold", [None, True, False])
def test_style_is_clicks(fg: str | None, bold: bool | None) -> None:
    assert terminal.style("text", fg=fg, bold=bold) == click.style("text", fg=fg, bold=bold)
    styled = click.style("a", fg=fg, bold=bold) + "b" + click.style("c", fg="red")
    assert terminal.unstyle(styled) == click.unstyle(styled) == "abc"


class Stream(io.TextIOWrapper):
    """A text stream that says whether it is a terminal."""

    def __init__(self, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def written(self) -> bytes:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue()


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("text", ["", "plain\n", terminal.style("styled", fg="red") + " text\n"])
def test_what_is_written_is_what_click_writes(tty: bool, text: str) -> None:
    ours, clicks = Stream(tty), Stream(tty)
    terminal.write(ours, text)
    click.echo(text, file=clicks, nl=False)
    assert ours.written() == clicks.written()


def test_a_stream_click_would_wrap_gets_clicks_echo() -> None:
    ascii_stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert not terminal._as_click_uses_it(ascii_stream)
    assert terminal._as_click_uses_it(Stream(False))
