"""The console command ends its process without the interpreter's teardown (cli/console.py),
and loses nothing by it: all of its output, its exit code, no worker left behind. `main`
itself (CliRunner, the library) never ends the process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace

import pytest

from lint_wb.cli import console
from lint_wb.cli.main import main
from tests.cli_runner import make_runner

SCRIPT = Path(sys.executable).parent / "lint-wb"
CLIENT = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["K"])\n'
)
CALL = (
    'client.chat.completions.create(model="openai/gpt-oss-20b", '
    'messages=[{{"role": "user", "content": "hi"}}], temperature={})\n'
)

# Put on PYTHONPATH, this `sitecustomize` notes in $PROBE_OUT whether the exit handlers ran
# ("atexit") and whether the interpreter tore its objects down ("finalized": an object held
# by the `sys` module is freed only then).
PROBE = """
import atexit, os, sys
_fd = os.open(os.environ["PROBE_OUT"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
class _Freed:
    def __del__(self, _write=os.write, _fd=_fd):
        _write(_fd, b"finalized\\n")
sys.lint_wb_probe = _Freed()
atexit.register(lambda: os.write(_fd, b"atexit\\n"))
"""


@pytest.fixture
def probe(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """An environment that runs the probe above, and the file it writes."""
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    out = tmp_path / "probe.out"
    python_path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": python_path, "PROBE_OUT": str(out)}
    env["LINT_WB_CACHE_DIR"] = str(tmp_path / "cache")
    yield env, out


def probed(out: Path) -> list[str]:
    return out.read_text(encoding="utf-8").split() if out.exists() else []


def test_the_probe_sees_an_ordinary_end(probe: tuple[dict[str, str], Path]) -> None:
    env, out = probe
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    assert probed(out) == ["atexit", "finalized"]


def test_the_installed_script_is_the_console_command() -> None:
    (script,) = entry_points(group="console_scripts", name="lint-wb")
    assert script.value == "lint_wb.cli.console:console_main"
    assert SCRIPT.exists(), "reinstall lint-wb: pip install -e ."


def test_a_big_report_is_piped_whole_with_its_exit_code(
    tmp_path: Path, probe: tuple[dict[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """100 findings in JSON, more than a pipe holds: every byte arrives, exit 1, and the
    process skipped its teardown (the exit handlers ran all the same)."""
    env, out = probe
    (tmp_path / "app.py").write_text(CLIENT + "".join(CALL.format(3) for _ in range(100)))
    args = ["--isolated", "--no-cache", "--output-format", "json", "app.py"]
    run = subprocess.run([str(SCRIPT), *args], cwd=tmp_path, env=env, capture_output=True)
    assert run.returncode == 1, run.stderr
    assert len(run.stdout) > 65536
    assert [finding["code"] for finding in json.loads(run.stdout)] == ["WB301"] * 100
    assert probed(out) == ["atexit"]
    monkeypatch.chdir(tmp_path)
    in_process = make_runner().invoke(main, args)
    assert in_process.exit_code == 1
    assert in_process.stdout_bytes == run.stdout


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--version"], 0, b"lint-wb, version"),
        (["--no-such-option"], 2, b"--no-such-option"),
        (["--isolated", "--no-cache", "clean.py"], 0, b"All checks passed"),
    ],
    ids=["version", "usage-error", "clean"],
)
def test_python_dash_m_keeps_the_exit_code_and_skips_the_teardown(
    tmp_path: Path, probe: tuple[dict[str, str], Path], args: list[str], code: int, said: bytes
) -> None:
    env, out = probe
    (tmp_path / "clean.py").write_text("x = 1\n")
    command = [sys.executable, "-m", "lint_wb", *args]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True)
    assert run.returncode == code
    assert said in run.stdout + run.stderr
    assert probed(out) == ["atexit"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="lists processes by /proc")
def test_a_run_with_workers_leaves_none_behind(
    tmp_path: Path, probe: tuple[dict[str, str], Path]
) -> None:
    """The workers are shut down before the report, so the quick end is taken (the probe) and
    no process of the run is left (a worker is a fork: it has the run's command line)."""
    env, out = probe
    project = tmp_path / "many-files-project"
    project.mkdir()
    for number in range(20):
        (project / f"m{number}.py").write_text(CLIENT + CALL.format(3))
    env = {**env, "LINT_WB_ACCOUNT": "1"}
    args = ["--isolated", "--no-cache", "--jobs", "2", "--output-format", "concise", str(project)]
    run = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert run.stdout.count("WB301") == 20
    assert "worker 1: alive" in run.stderr  # the run had a worker process
    assert probed(out) == ["atexit"]
    assert not _processes_naming(str(project))


def _processes_naming(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:  # ended meanwhile
                continue
            if text.encode() in command:
                found.append(int(entry.name))
    return found


class _Left(Exception):
    """os._exit, called in a test: the process would have ended here with `code`."""

    def __init__(self, code: int) -> None:
        self.code = code


@pytest.fixture
def no_real_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    def leave(code: int) -> None:
        raise _Left(code)

    # the module's own names only: a child forked meanwhile must keep the real os._exit
    monkeypatch.setattr(console, "os", SimpleNamespace(_exit=leave))
    monkeypatch.setattr(console, "atexit", SimpleNamespace(_run_exitfuncs=lambda: None))


@pytest.mark.usefixtures("no_real_exit")
@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (True, 1)])
def test_the_quick_end_keeps_the_code(code: object, status: int) -> None:
    with pytest.raises(_Left) as left:
        console.end_process(SystemExit(code))
    assert left.value.code == status


@pytest.mark.usefixtures("no_real_exit")
def test_a_message_as_exit_code_ends_the_ordinary_way() -> None:
    leaving = SystemExit("lint-wb: something")
    with pytest.raises(SystemExit) as raised:
        console.end_process(leaving)
    assert raised.value is leaving


@pytest.mark.usefixtures("no_real_exit")
def test_a_live_thread_that_is_no_daemon_means_the_ordinary_end() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with pytest.raises(SystemExit):
            console.end_process(SystemExit(1))
    finally:
        release.set()
        thread.join()
    with pytest.raises(_Left):
        console.end_process(SystemExit(1))


@pytest.mark.usefixtures("no_real_exit")
def test_a_live_child_process_means_the_ordinary_end() -> None:
    import multiprocessing

    release = multiprocessing.Event()
    child = multiprocessing.get_context("fork").Process(target=release.wait)
    child.start()
    try:
        with pytest.raises(SystemExit):
            console.end_process(SystemExit(0))
    finally:
        release.set()
        child.join()
    with pytest.raises(_Left):
        console.end_process(SystemExit(0))


@pytest.mark.usefixtures("no_real_exit")
def test_a_failed_flush_means_the_ordinary_end(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe:
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(SystemExit):
        console.end_process(SystemExit(0))


@pytest.mark.usefixtures("no_real_exit")
def test_the_streams_are_flushed_before_the_quick_end(monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[str] = []

    class Stream:
        def __init__(self, name: str) -> None:
            self.name = name

        def flush(self) -> None:
            flushed.append(self.name)

    monkeypatch.setattr(sys, "stdout", Stream("stdout"))
    monkeypatch.setattr(sys, "stderr", Stream("stderr"))
    with pytest.raises(_Left):
        console.end_process(SystemExit(0))
    assert {"stdout", "stderr"} <= set(flushed)


def test_a_profiled_run_writes_its_profile(tmp_path: Path) -> None:
    """cProfile writes its file after `main` has raised SystemExit: no quick end under it."""
    profile = tmp_path / "run.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "lint_wb", "--version"]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True)
    assert run.returncode == 0, run.stderr
    assert profile.stat().st_size > 0


PACE_PROBE = """
import builtins, gc, sys
from lint_wb.cli import console
load = builtins.__import__
def noting(name, *args, **kwargs):
    if name == "click" and "click" not in sys.modules:
        print("pace", gc.get_threshold()[0], flush=True)
    return load(name, *args, **kwargs)
builtins.__import__ = noting
sys.argv = ["lint-wb", "--version"]
console.console_main()
"""


def test_the_command_line_loads_at_a_runs_collector_pace() -> None:
    """lint-wb and click are loaded with the collector at a run's pace (`collector.py`): at
    the default pace it rescanned their objects again and again while they loaded."""
    from lint_wb.collector import YOUNG_OBJECTS

    command = [sys.executable, "-c", PACE_PROBE]
    ran = subprocess.run(command, capture_output=True, text=True, check=True)
    assert ran.stdout.splitlines()[0] == f"pace {YOUNG_OBJECTS}", ran.stdout + ran.stderr
