"""Part of a list of items worked on in a forked process while this process works on the rest.

A cold run reads and screens every file of the tree (`api._screen`) in the main process
before anything else can start; on a tree where few files are kept (the openai SDK's own
source) that is a large share of the run, and the second core idles. Before
the engine is loaded the process is small, so a fork is cheap: the forked process screens the
second half of the files while this one screens the first, and sends back what it found, in
order, through a pipe. Its work has no effect on this process's state: the caller gives
it only what is settled before the fork and takes back plain values.

Whatever goes wrong in the forked process (an exception, a kill, a value that does not
pickle) makes `results()` None, and the caller does that part itself: the run's outcome never
depends on the fork.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, NoReturn, TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")


def can_fork() -> bool:
    """Whether this process may fork to work apart: the platform forks safely (not macOS,
    where system libraries may crash a forked process, and where Python and lint-wb's
    workers spawn instead), and no other thread may be doing anything (a forked process has
    only the thread that forked; a lock another thread held stays held there forever).
    lint-wb's own deep-stack thread, made by an earlier check in this process, is idle while
    this thread works."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    this = threading.current_thread()
    others = [thread for thread in threading.enumerate() if thread is not this]
    if not others:
        return True
    from lint_wb.containment import DEEP_THREAD  # loaded: it made the thread, if it is one

    return all(thread.name == DEEP_THREAD for thread in others)


class ForkedPart(Generic[_R]):
    """A forked process working on `items` with `work`; `results()` gives what it found."""

    def __init__(self, items: Sequence[_T], work: Callable[[_T], _R]) -> None:
        self.pid: int | None = None
        self.reading: int | None = None
        try:
            reading, writing = os.pipe()
        except OSError:  # no descriptor left: `results()` is None, the caller does the part
            return
        try:
            pid = os.fork()
        except OSError:  # no process left (or no memory for one): the same
            os.close(reading)
            os.close(writing)
            return
        if pid == 0:  # the forked process: it never returns from here
            os.close(reading)
            _work_and_exit(items, work, writing)
        os.close(writing)
        self.pid = pid
        self.reading = reading

    def results(self) -> list[_R] | None:
        """What `work` gave for each item, in order; None when the forked process failed."""
        if self.reading is None:
            return None
        try:
            with os.fdopen(self.reading, "rb") as pipe:
                self.reading = None
                data = pipe.read()
        except OSError:
            data = b""
        if not self._ended_well() or not data:
            return None
        try:
            results = pickle.loads(data)
        except Exception:  # a value that does not unpickle: the caller does the part itself
            return None
        return results if isinstance(results, list) else None

    def close(self) -> None:
        """End the forked process if its results were not taken (the run stopped early)."""
        if self.reading is not None:
            os.close(self.reading)
            self.reading = None
        if self.pid is not None:
            import signal  # only when a run stops early

            with contextlib.suppress(OSError):  # it may have ended
                os.kill(self.pid, signal.SIGKILL)
            self._ended_well()

    def _ended_well(self) -> bool:
        if self.pid is None:
            return False
        pid, self.pid = self.pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _work_and_exit(items: Sequence[_T], work: Callable[[_T], _R], writing: int) -> NoReturn:
    """In the forked process: work on the items, write the results, and leave without
    running anything of the parent's (`os._exit`: no atexit handlers, no buffered output
    flushed twice, no exception climbing the parent's stack)."""
    status = 1
    try:  # whatever it raises (even Ctrl-C) only sets the status: the parent does the part
        data = pickle.dumps([work(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
