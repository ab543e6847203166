"""Paths lint-wb cannot check: a one-line error each, the rest of the run goes on, every
output format lists them, and the run exits 2 whatever the other files give.

They are: a sub-folder's configuration file with an unknown key or a wrong value, a file
that cannot be read (permissions), a binary file, bytes that are not UTF-8, a broken
notebook, a broken symbolic link, and a special file (FIFO, socket, device) named on the
command line. Special files met in a walk are skipped: a walk never opens them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from lint_wb import api, workers
from lint_wb.api import Mode, Overrides, check_paths
from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_reporters import assert_valid_sarif

FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif")
WRONG = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.wandb.ai/v1")\n'
RIGHT = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.inference.wandb.ai/v1")\n'
NO_LIMIT = 60  # seconds: a run that blocks on a FIFO would never end

UNCHECKED = {
    "sub/a.py": "sub/pyproject.toml: unknown key 'selct' in [tool.lint-wb]",
    "sub2/b.py": "sub2/lint-wb.toml: 'assume-wandb' must be true or false",
    "blob.py": "binary file",
    "latin.py": "not valid UTF-8",
    "broken.ipynb": "broken.ipynb",
}
"""Each unchecked path of the project below, and words its one-line error holds."""


def lint_wb(*args: str) -> Result:
    return make_runner().invoke(main, ["--no-cache", *args], catch_exceptions=False)


def write_unchecked(root: Path) -> None:
    """One path of each kind the run cannot check, each with W&B code (so none is skipped)."""
    (root / "sub").mkdir()
    (root / "sub" / "pyproject.toml").write_text('[tool.lint-wb]\nselct = ["WB1"]\n')
    (root / "sub" / "a.py").write_text(WRONG)
    (root / "sub2").mkdir()
    (root / "sub2" / "lint-wb.toml").write_text('assume-wandb = "yes"\n')
    (root / "sub2" / "b.py").write_text(WRONG)
    (root / "blob.py").write_bytes(b"import wandb\x00\x01\x02\n")
    (root / "latin.py").write_bytes(b"import wandb\nx = '\xff'\n")
    (root / "broken.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "import wandb')


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    write_unchecked(tmp_path)
    (tmp_path / "good.py").write_text(WRONG)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def listed_paths(output_format: str, stdout: str) -> dict[str, str]:
    """The unchecked paths a machine format lists, with their messages."""
    if output_format == "json":
        rows = json.loads(stdout)
    elif output_format == "json-lines":
        rows = [json.loads(line) for line in stdout.splitlines()]
    elif output_format == "github":
        return {
            line.split("file=")[1].split(",")[0]: line.split("::", 2)[2]
            for line in stdout.splitlines()
            if "title=lint-wb::" in line
        }
    else:
        log = json.loads(stdout)
        assert_valid_sarif(log)
        (invocation,) = log["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        return {
            note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: note["message"][
                "text"
            ]
            for note in invocation["toolExecutionNotifications"]
        }
    unchecked = [row for row in rows if row["code"] is None]
    for row in unchecked:
        assert (row["severity"], row["fix"], row["location"]) == (
            "error",
            None,
            {"row": 1, "column": 1},
        )
    return {row["filename"]: row["message"] for row in unchecked}


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_lists_the_unchecked_paths_and_exits_2(
    project: Path, output_format: str
) -> None:
    """Before: json, json-lines, github and SARIF left them out (stderr only); binary and
    undecodable files and broken notebooks exited 1."""
    result = lint_wb("--output-format", output_format, ".")
    assert result.exit_code == 2, result.stderr
    errors = result.stderr.splitlines()
    for path, words in UNCHECKED.items():
        (line,) = [line for line in errors if line.startswith(f"lint-wb: {path}: ")]
        assert words in line
    assert len(errors) == len(UNCHECKED)
    assert "good.py" in result.stdout  # the other file's finding is still there
    if output_format in ("full", "concise"):  # stderr says which, the summary how many
        summary = "Found 1 error (1 fixable with --fix); 5 paths could not be checked.\n"
        assert result.stdout.endswith(summary)
        return
    listed = listed_paths(output_format, result.stdout)
    assert set(listed) == set(UNCHECKED)
    for path, words in UNCHECKED.items():
        assert words in f"{path}: {listed[path]}"


@pytest.mark.parametrize(
    "others",
    [
        pytest.param(WRONG, id="others-have-findings"),
        pytest.param(RIGHT, id="others-are-clean"),
    ],
)
@pytest.mark.parametrize("extra", [(), ("--exit-zero",), ("--fix",)])
@pytest.mark.parametrize("kind", sorted(UNCHECKED))
def test_one_unchecked_path_exits_2_whatever_the_other_files_give(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    others: str,
    extra: tuple[str, ...],
) -> None:
    """Before: a sub-folder's bad configuration gave exit 1 or 2 depending on the other
    files; an unreadable or undecodable file gave 1, and 0 under --exit-zero."""
    write_unchecked(tmp_path)
    for path in set(UNCHECKED) - {kind}:
        (tmp_path / path).unlink()
    (tmp_path / "good.py").write_text(others)
    monkeypatch.chdir(tmp_path)
    result = lint_wb(*extra, "--output-format", "concise", ".")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"lint-wb: {kind}: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
@pytest.mark.parametrize("output_format", FORMATS)
def test_a_file_without_read_permission_is_listed_and_exits_2(
    project: Path, output_format: str
) -> None:
    locked = project / "locked.py"
    locked.write_text(WRONG)
    locked.chmod(0)
    try:
        result = lint_wb("--output-format", output_format, "locked.py", "good.py")
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 2
    assert result.stderr == "lint-wb: locked.py: Permission denied\n"
    if output_format not in ("full", "concise"):
        assert listed_paths(output_format, result.stdout) == {"locked.py": "Permission denied"}


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_file_that_cannot_be_opened_is_listed_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """The chmod 000 case above as root would see it were it not root: the open fails."""
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path).endswith("locked.py"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    (tmp_path / "locked.py").write_text(WRONG)
    (tmp_path / "good.py").write_text(WRONG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "open", refusing_open)
    result = lint_wb("--output-format", output_format, "locked.py", "good.py")
    assert result.exit_code == 2
    assert result.stderr == "lint-wb: locked.py: Permission denied\n"
    assert "good.py" in result.stdout
    if output_format not in ("full", "concise"):
        assert listed_paths(output_format, result.stdout) == {"locked.py": "Permission denied"}


def test_text_output_to_a_file_keeps_the_errors_on_stderr(project: Path) -> None:
    result = lint_wb("--output-format", "concise", "-o", "report.txt", ".")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == len(UNCHECKED)
    assert "good.py" in (project / "report.txt").read_text()


def test_a_broken_configuration_is_one_line_for_every_path_under_it(project: Path) -> None:
    """Before: one stderr line per file, each repeating the configuration's error."""
    for name in ("c.py", "d.py", "e.py"):
        (project / "sub" / name).write_text(WRONG)
    result = lint_wb("--output-format", "json", "good.py", "sub")
    assert result.exit_code == 2
    assert result.stderr == (
        "lint-wb: sub/pyproject.toml: unknown key 'selct' in [tool.lint-wb] (did you mean "
        "'select'?) (4 paths not checked: sub/a.py, sub/c.py, sub/d.py, ...)\n"
    )
    listed = listed_paths("json", result.stdout)
    assert sorted(listed) == ["sub/a.py", "sub/c.py", "sub/d.py", "sub/e.py"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_the_runs_own_broken_configuration_still_gives_a_valid_report(
    project: Path, output_format: str
) -> None:
    """Before: one stderr line and an empty stdout, which no JSON or SARIF reader takes."""
    (project / "lint-wb.toml").write_text("selct = []\n")
    result = lint_wb("--output-format", output_format, ".", "good.py")
    assert result.exit_code == 2
    assert result.stderr == (
        "lint-wb: lint-wb.toml: unknown key 'selct' (did you mean 'select'?) "
        "(2 paths not checked: ., good.py)\n"
    )
    if output_format not in ("full", "concise"):
        assert set(listed_paths(output_format, result.stdout)) == {".", "good.py"}


def test_stdin_fix_under_a_broken_configuration_echoes_the_input(project: Path) -> None:
    """Before: nothing on stdout, so an editor piping its buffer through would blank it."""
    (project / "lint-wb.toml").write_text("selct = []\n")
    result = make_runner().invoke(
        main, ["--fix", "--stdin-filename", "app.py", "-"], input=WRONG, catch_exceptions=False
    )
    assert result.exit_code == 2
    assert result.stdout == WRONG
    assert "lint-wb.toml: unknown key 'selct'" in result.stderr


# --------------------------------------------------------------------------- special files


def run_real(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """lint-wb in its own process, so that a read that blocks fails the test, not hangs it."""
    return subprocess.run(
        [sys.executable, "-m", "lint_wb", "--no-cache", "--output-format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=NO_LIMIT,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def specials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder with good.py, a FIFO, a socket and a broken link, all named `.py`."""
    (tmp_path / "good.py").write_text(WRONG)
    os.mkfifo(tmp_path / "fifo.py")
    listener = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(tmp_path)  # a socket's path is short when relative
    try:
        listener.bind("sock.py")
        (tmp_path / "dangling.py").symlink_to("gone.py")
        yield tmp_path
    finally:
        listener.close()


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
def test_special_files_named_explicitly_are_refused_without_reading_them(specials: Path) -> None:
    """Before: a FIFO blocked for ever and /dev/zero was read until memory ran out (8.5 GB
    in 8 s); a socket said "No such device or address"."""
    zero = "/dev/zero" if os.path.exists("/dev/zero") else "fifo.py"
    done = run_real(specials, "fifo.py", zero, "sock.py", "good.py")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert sorted(done.stderr.splitlines()) == sorted(
        {
            "lint-wb: fifo.py: a FIFO, not a regular file; not read",
            f"lint-wb: {zero}: a character device, not a regular file; not read",
            "lint-wb: sock.py: a socket, not a regular file; not read",
        }
    )
    assert done.stdout.startswith("good.py:2:")  # the rest of the run went on


@needs_fifo
@pytest.mark.parametrize("target", ["fifo.py", "/dev/zero"])
def test_a_models_file_that_is_no_regular_file_is_refused_unread(
    specials: Path, target: str
) -> None:
    """Before: `models-file = "/dev/zero"` was read until memory ran out; a FIFO blocked."""
    (specials / "lint-wb.toml").write_text(f'models-file = "{target}"\n')
    done = run_real(specials, "good.py")
    assert done.returncode == 2
    assert "not a regular file; not read" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@needs_fifo
def test_a_walk_skips_special_files_and_reports_broken_links(specials: Path) -> None:
    """Before: a dangling `.py` link in a tree was skipped silently."""
    done = run_real(specials, ".")
    assert done.returncode == 2
    assert done.stderr == "lint-wb: dangling.py: broken symbolic link to gone.py\n"
    assert done.stdout.startswith("good.py:2:")


@needs_fifo
def test_a_broken_link_named_explicitly_says_where_it_points(specials: Path) -> None:
    """Before: "No such file or directory", which does not say the link is what is broken."""
    result = lint_wb("--output-format", "json", "dangling.py", "good.py")
    assert result.exit_code == 2
    assert result.stderr == "lint-wb: dangling.py: broken symbolic link to gone.py\n"
    assert listed_paths("json", result.stdout) == {"dangling.py": "broken symbolic link to gone.py"}


def test_an_excluded_broken_link_is_not_reported(tmp_path: Path) -> None:
    (tmp_path / "lint-wb.toml").write_text('extend-exclude = ["dangling.py"]\n')
    (tmp_path / "good.py").write_text(RIGHT)
    (tmp_path / "dangling.py").symlink_to("gone.py")
    run = check_paths([tmp_path], Overrides(), Mode())
    assert run.unchecked == []


def test_jobs_999_starts_no_more_workers_than_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap (`worker_count`, tested in test_signals.py) is what the run uses: on 2 cores,
    one worker process beside the main process, which checks files too."""
    started: list[int] = []

    class CountingWorkers:
        def __init__(self, count: int, *_: object) -> None:
            started.append(count)
            raise RuntimeError("counted")

    for index in range(3 * api.PARALLEL_THRESHOLD):
        (tmp_path / f"m{index}.py").write_text(WRONG)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "Workers", CountingWorkers)  # imported where a run starts them
    with pytest.raises(RuntimeError, match="counted"):
        check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=999)
    # the index's workers fail first (contained: the index is then empty), the lint's next
    assert started and set(started) == {1}  # and the main process


# --------------------------------------------------------------------------- odd names


@pytest.fixture
def latin_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file whose name is not UTF-8 (`café.py` written in latin-1), where the system allows."""
    folder = tmp_path / "odd"
    folder.mkdir()
    try:
        with open(os.fsencode(folder) + b"/caf\xe9.py", "wb") as handle:
            handle.write(WRONG.encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(
    latin_named: Path, output_format: str
) -> None:
    """Before: SARIF and `-o` stopped with a UnicodeEncodeError traceback."""
    result = lint_wb("--output-format", output_format, "-o", "report.out", "odd")
    assert result.exit_code == 1, result.output
    written = (latin_named.parent / "report.out").read_bytes()
    if output_format == "sarif":
        log = json.loads(written)
        assert_valid_sarif(log)
        uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert uri["uri"] == "odd/caf%E9.py"
    else:
        assert b"odd/caf\xe9.py" in written  # the name's own bytes, as on stdout
