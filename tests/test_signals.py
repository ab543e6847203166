"""Signals, with real processes: workers die with their parent, Ctrl-C exits 130, both
within a few seconds (D5: workers used to go on fixing, then hang for ever)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint_wb.api import PARALLEL_THRESHOLD, worker_count

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REQUEST = (
    "client.chat.completions.create(model='openai/gpt-oss-120b', temperature=3,"
    " messages=[{'role': 'user', 'content': 'hi'}])\n"
)
SLOW_FILE = (  # parsed under --assume-wandb; no W&B signal for the project index to follow
    "from openai import OpenAI\nclient = OpenAI(base_url='https://api.openai.com/v1')\n"
    + REQUEST * 150
)
DEADLINE = 15.0
WORKER_PROCESSES = 1
"""`--jobs 2` starts one worker process: the main process checks files too."""


def busy_tree(root: Path) -> None:
    for number in range(2 * PARALLEL_THRESHOLD + 2):
        (root / f"m{number:03}.py").write_text(SLOW_FILE)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(child) for child in text.split()}
    return found


def workers_of(pid: int) -> set[int]:
    """The run's worker processes: forked, they have its command line and a watchdog thread
    (a `git` the file walk runs has the command line too until it execs, but one thread)."""
    own = _command_line(pid)
    return {
        child
        for child in children(pid)
        if _command_line(child) == own and len(list(Path(f"/proc/{child}/task").glob("*"))) > 1
    }


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _default_ctrl_c() -> None:
    """A shell starts background jobs with SIGINT ignored, and the child would inherit that:
    give it the default, as a terminal's foreground job has."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(root: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lint_wb",
            "--no-cache",
            "--assume-wandb",
            "--jobs",
            "2",
            "-q",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_default_ctrl_c,
    )
    deadline = time.monotonic() + 60
    while len(workers_of(process.pid)) < WORKER_PROCESSES:
        assert time.monotonic() < deadline, "the workers never started"
        assert process.poll() is None, "the run ended before its workers started"
        time.sleep(0.05)
    return process


def wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return {pid for pid in pids if alive(pid)}


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
needs_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")


@needs_proc
@needs_cores
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_their_parent(tmp_path: Path, signal_number: int) -> None:
    busy_tree(tmp_path)
    process = start(tmp_path)
    workers = workers_of(process.pid)
    os.kill(process.pid, signal_number)
    process.wait(timeout=DEADLINE)
    try:
        assert wait_gone(workers) == set()
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@needs_proc
@needs_cores
def test_ctrl_c_stops_the_run_with_exit_130(tmp_path: Path) -> None:
    busy_tree(tmp_path)
    process = start(tmp_path)
    workers = workers_of(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
    try:
        _, errors = process.communicate(timeout=DEADLINE)
        assert process.returncode == 130, errors
        assert b"Traceback" not in errors
        assert b"interrupted" in errors
        assert wait_gone(workers) == set()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_jobs_are_capped_at_the_cores_and_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `--jobs 999` started 38 processes on 2 cores."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert worker_count(999, 5000) == 2
    assert worker_count(None, 5000) == 2
    assert worker_count(999, 3) == 1
    assert worker_count(1, 5000) == 1


@needs_proc
@needs_cores
def test_a_worker_killed_mid_run_makes_the_rest_wb900_not_a_traceback(tmp_path: Path) -> None:
    busy_tree(tmp_path)
    process = start(tmp_path)
    os.kill(min(workers_of(process.pid)), signal.SIGKILL)
    try:
        _, errors = process.communicate(timeout=120)
        assert b"Traceback" not in errors
        assert process.returncode == 2, errors
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def _no_setup() -> None:
    """A pool initializer for the test below: any picklable function will do."""


@needs_proc
def test_a_ctrl_c_held_back_while_workers_fork_stops_the_forked_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGINT is blocked while the workers fork and arrives as the block ends, before the
    run holds the pool: the workers already forked must be stopped, or the interpreter's exit
    waits for them for ever."""
    import contextlib
    from collections.abc import Iterator

    from lint_wb import workers

    @contextlib.contextmanager
    def ctrl_c_as_the_block_ends() -> Iterator[None]:
        yield
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "workers_born_deaf_to_ctrl_c", ctrl_c_as_the_block_ends)
    before = children(os.getpid())
    with pytest.raises(KeyboardInterrupt) as raised:  # its traceback keeps the pools, as a
        workers.Workers(2, _no_setup, ())  # run's unwinding does until the exit
    assert wait_gone(children(os.getpid()) - before) == set()
    assert raised.traceback  # held to here
