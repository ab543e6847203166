"""Containing lint-wb's own failures to the file they happen on.

Two parts:
- :func:`on_deep_stack` runs a call on one long-lived thread with a large stack and a raised
  recursion limit. libcst's parser and its tree walks recurse once per level of nesting, so
  a valid file with a 2,000-term `+` chain or 2,000 `elif`s needs far more than Python's
  default 1,000 frames (CPython itself compiles up to about 3,000 levels).
- :func:`internal_error` turns an exception escaping the engine into a WB900 finding naming
  the file, so the run goes on with the other files and exits 2.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from lint_wb.findings import Finding, Location

INTERNAL_ERROR = "WB900"

DEEP_STACK_BYTES = 512 * 1024 * 1024
"""Reserved address space, not memory: pages are only touched as deep as the code goes."""
DEEP_RECURSION_LIMIT = 60_000
"""Enough for the deepest tree CPython compiles, with room for libcst's frames per level."""

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    """A call run on another thread, its result or error kept for the caller."""

    call: Callable[[], T]
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as error:  # handed back to the caller's thread, re-raised there
            self.error = error
        finally:
            self.done.set()


DEEP_THREAD = "lint-wb-deep"
"""The deep-stack thread's name. It runs only while the thread that gave it a job waits for
it (`on_deep_stack`): between jobs it holds nothing, and a fork then leaves nothing half done
(`files/forked_part.can_fork`)."""


class _DeepStackThread:
    """One daemon thread that runs jobs one at a time (a daemon, so Ctrl-C never waits)."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[_Job[object]] = queue.SimpleQueue()
        previous = threading.stack_size(DEEP_STACK_BYTES)
        try:
            self.thread = threading.Thread(target=self._serve, name=DEEP_THREAD, daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), DEEP_RECURSION_LIMIT))

    def _serve(self) -> None:
        while True:
            self.jobs.get().run()


_THREAD: list[_DeepStackThread] = []
_THREAD_LOCK = threading.Lock()


def _forget_thread_in_child() -> None:
    """A forked worker has no deep-stack thread (threads do not survive fork): make its own."""
    global _THREAD_LOCK
    _THREAD.clear()
    _THREAD_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_thread_in_child)


def on_deep_stack(call: Callable[[], T]) -> T:
    """`call()`, run on the deep-stack thread; its exception is raised here."""
    if threading.current_thread().name == DEEP_THREAD:
        return call()
    with _THREAD_LOCK:
        if not _THREAD:
            _THREAD.append(_DeepStackThread())
        job: _Job[T] = _Job(call)
        _THREAD[0].jobs.put(job)  # type: ignore[arg-type]
        job.done.wait()
    if job.error is not None:
        raise job.error
    return job.result  # type: ignore[return-value]


def describe(error: BaseException) -> str:
    """`RecursionError: maximum recursion depth exceeded (lint_wb/positions.py:85)`."""
    import traceback  # only when lint-wb fails: a run that checks files loads this module

    where = ""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "lint_wb" in frame.filename]
    if ours:
        frame = ours[-1]
        parts = Path(frame.filename).parts
        shown = "/".join(parts[parts.index("lint_wb") :]) if "lint_wb" in parts else parts[-1]
        where = f" ({shown}:{frame.lineno})"
    text = _first_line(error)
    return f"{type(error).__name__}{': ' + text if text else ''}{where}"


def _first_line(error: BaseException, limit: int = 200) -> str:
    """The start of the error's text; a KeyError holding a deep libcst node must not turn
    describing the failure into a second failure."""
    try:
        text = str(error)
    except Exception:  # the repr itself may recurse too deep
        return ""
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= limit else first[: limit - 3] + "..."


def index_failure(error: BaseException) -> str:
    """The one line saying the project index failed: the files were still linted, each on
    its own, without values from other modules."""
    return (
        f"lint-wb could not build the project index, so values from other modules were not "
        f"followed (each file was checked on its own): {describe(error)}. This is a bug in "
        "lint-wb, not in your code. Please report it with this line"
    )


def internal_error(filename: str, error: BaseException, cell: int | None = None) -> Finding:
    """The WB900 finding for an exception lint-wb raised while checking `filename`."""
    from lint_wb.rules.codes import ENTRIES_BY_CODE

    rule = ENTRIES_BY_CODE[INTERNAL_ERROR]
    return Finding(
        INTERNAL_ERROR,
        rule.name,
        rule.severity,
        f"lint-wb failed on this file, so nothing in it was checked: {describe(error)}. "
        "This is a bug in lint-wb, not in your code; the other files were checked. "
        "Please report it with this file",
        filename,
        Location(1, 1),
        Location(1, 1),
        cell=cell,
        url=rule.url,
    )
