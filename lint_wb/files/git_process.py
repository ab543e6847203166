"""One git process whose output is read through a pipe: the git a walk asks when it needs an
answer, or the git started ahead for it (`discovery.start_git_ahead`).

Where the system has `os.posix_spawnp` and `select.poll` (POSIX), git is spawned directly
and `subprocess` is never imported: a warm pre-commit run asks git two questions and starts
nothing else, and importing subprocess (with its locale, signal and selectors) cost about as
much as everything else git costs that run. Elsewhere (Windows) subprocess starts it.

Either way:
- git's standard input and error are the null device, only its output is kept;
- every OSError (no pipe, no process, a refused read) means "no answer", as does a git that
  hangs past its time; the caller goes on without git;
- git never outlives its question: a hang, a failed read, an interrupt (Ctrl-C) or any other
  exception while it is read stops it (killed, then reaped) before the exception goes on.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import subprocess

ENV_OVERRIDES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
"""Set by git while it runs hooks; they would point every query at the outer repository."""
READ_SIZE = 1 << 16

Answer = tuple[int, bytes]
"""git's exit code and output."""


class Started(Protocol):
    """A git started with `start`."""

    def answer(self, timeout: float) -> Answer | None:
        """git's exit code and output once it ends; None when it does not end within
        `timeout` seconds or its output cannot be read (it is stopped then)."""
        ...

    def stop(self) -> None:
        """Kill git (unless it ended) and reap it; nothing is read."""
        ...

    @property
    def ended(self) -> bool:
        """Whether git is reaped: answered or stopped."""
        ...


def start(args: Sequence[str], cwd: Path) -> Started | None:
    """git with `args`, started in `cwd`; None when it cannot be started (git missing, the
    folder gone, the system refusing a pipe or a process)."""
    env = {key: value for key, value in os.environ.items() if key not in ENV_OVERRIDES}
    try:
        if _can_spawn():
            return Spawned.start(args, cwd, env)
        return ByPopen.start(args, cwd, env)
    except OSError:
        return None


def _can_spawn() -> bool:
    import select

    return hasattr(os, "posix_spawnp") and hasattr(select, "poll")


class Spawned:
    """git started by `os.posix_spawnp`, its output read from a pipe with `select.poll`."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe: int | None = pipe
        self.ended = False

    @classmethod
    def start(cls, args: Sequence[str], cwd: Path, env: dict[str, str]) -> Spawned:
        """Raises OSError when git cannot be started. A spawn cannot change folders: git is
        told the folder with `-C`, which it enters before anything else; a folder that is
        not there is an OSError here, as it is for subprocess."""
        if not os.path.isdir(cwd):
            raise NotADirectoryError(cwd)
        read, write = os.pipe()  # neither is inheritable: git gets only the copy on fd 1
        try:
            pid = os.posix_spawnp(
                "git",
                ["git", "-C", os.fspath(cwd), *args],
                env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, write, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        return cls(pid, read)

    def answer(self, timeout: float) -> Answer | None:
        try:
            output = self._read_all(time.monotonic() + timeout)
            if output is None:  # it hangs
                self.stop()
                return None
            _, status = os.waitpid(self.pid, 0)
            self.ended = True
            return os.waitstatus_to_exitcode(status), output
        except OSError:
            self.stop()
            return None
        except BaseException:  # Ctrl-C and the like: git does not outlive the question
            self.stop()
            raise
        finally:
            self._close()

    def _read_all(self, deadline: float) -> bytes | None:
        """All git writes until it closes its output; None at `deadline`."""
        import select

        assert self.pipe is not None, "read once"
        poller = select.poll()
        poller.register(self.pipe, select.POLLIN)
        chunks: list[bytes] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                return None
            chunk = os.read(self.pipe, READ_SIZE)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def stop(self) -> None:
        if not self.ended:
            import signal  # its enums cost a start-up: only here

            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.ended = True
        self._close()

    def _close(self) -> None:
        if self.pipe is not None:
            pipe, self.pipe = self.pipe, None
            os.close(pipe)


class ByPopen:
    """git started by subprocess, where it cannot be spawned and polled directly."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    @classmethod
    def start(cls, args: Sequence[str], cwd: Path, env: dict[str, str]) -> ByPopen | None:
        import subprocess

        try:
            process = subprocess.Popen(
                ["git", *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except subprocess.SubprocessError:
            return None
        return cls(process)

    @property
    def ended(self) -> bool:
        return self.process.returncode is not None

    def answer(self, timeout: float) -> Answer | None:
        import subprocess

        try:
            output, _ = self.process.communicate(timeout=timeout)
        except (OSError, subprocess.SubprocessError):
            self.stop()
            return None
        except BaseException:  # Ctrl-C and the like: git does not outlive the question
            self.stop()
            raise
        return self.process.returncode, output

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(OSError):
            self.process.communicate()
