"""A list of items worked on by two processes at once: this one from the first item, a forked
one from the last, until they meet.

A cold run reads and screens every file of the tree (`api._screen`) in the main process
before anything else can start; on a tree where few files are kept (the openai SDK's own
source) that is a large share of the run, and the second core idles. Before
the engine is loaded the process is small, so a fork is cheap: the forked process screens
files from the last one back while this one screens them from the first, and sends back
what it found, in order, through a pipe. Where they meet is not fixed: when this process
stops screening for a while (a large run loads the engine and starts its workers once it has
kept enough files), the forked process goes on and takes more of the files. Each process
claims an item in a byte array both share (`mmap`) before working on it, and stops at the
first item the other one claimed. Its work has no effect on this process's state: the
caller gives it only what is settled before the fork and takes back plain values.

This process may also lend the forked one items it has worked on (`settle(index, lend=True)`):
between its own items, the forked process does more work on them (`also`: on the openai
SDK's source, checking a file this process kept, with the engine the forked process loaded
for its own), so that this process need not. A second array marks each item this process
has settled; the forked process takes the lent ones in order, up to the first not settled
yet, and sends back what `also` gave beside its own results (`lent()`).

Whatever goes wrong in the forked process (an exception, a kill, a value that does not
pickle) makes `rest()` None, and the caller does the items left itself: the run's outcome
never depends on the fork.
"""

from __future__ import annotations

import contextlib
import mmap
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


HERE = 1
"""An item's byte in the claims once this process works on it."""
APART = 2
"""An item's byte once the forked process works on it."""
SETTLED = 1
"""An item's byte in the marks once this process has worked on it (`settle`)."""
LENT = 2
"""An item's byte in the marks once this process has worked on it and lends it (`settle`)."""


class ForkedPart(Generic[_R]):
    """A forked process working on `items` with `work`, from the last item back, while the
    caller works on them from the first: `claim(index)` before each, and `rest(done)` for
    what the forked process found for the items after the caller's. With `also`, the items
    the caller lends (`settle`) get that work in the forked process too (`lent()`)."""

    def __init__(
        self,
        items: Sequence[_T],
        work: Callable[[_T], _R],
        also: Callable[[_T], object] | None = None,
    ) -> None:
        self.pid: int | None = None
        self.reading: int | None = None
        self.claims: mmap.mmap | None = None
        self.marks: mmap.mmap | None = None
        self._lent: dict[int, object] = {}
        try:
            claims = mmap.mmap(-1, max(1, len(items)))  # anonymous: shared with the fork
        except OSError:  # no memory for it: `claim` is always True, the caller does all
            return
        try:
            marks = mmap.mmap(-1, max(1, len(items))) if also is not None else None
        except OSError:  # no memory for it: nothing is lent
            marks = None
        try:
            reading, writing = os.pipe()
        except OSError:  # no descriptor left: the same
            _close(claims, marks)
            return
        try:
            pid = os.fork()
        except OSError:  # no process left (or no memory for one): the same
            os.close(reading)
            os.close(writing)
            _close(claims, marks)
            return
        if pid == 0:  # the forked process: it never returns from here
            os.close(reading)
            _work_and_exit(items, work, claims, writing, _Lending.of(items, also, marks))
        os.close(writing)
        self.pid = pid
        self.reading = reading
        self.claims = claims
        self.marks = marks

    def claim(self, index: int) -> bool:
        """Whether this process is to work on item `index` (asked in order from the first):
        False once the forked process has claimed it, which then has that item and every one
        after it. Claimed by both at the same moment, it is worked on twice (`rest`)."""
        if self.claims is None:
            return True
        if self.claims[index] == APART:
            return False
        self.claims[index] = HERE
        return True

    def settle(self, index: int, *, lend: bool) -> None:
        """Item `index` (claimed here) is worked on; with `lend`, the forked process is to do
        `also` on it, if it gets to it before it ends."""
        if self.marks is not None:
            self.marks[index] = LENT if lend else SETTLED

    def has_left(self, index: int) -> bool:
        """Whether the forked process still has items to work on, this process being at item
        `index`: the item after it is claimed by neither yet. (A run's account asks, at the
        end of a stretch this process spent on something else, whether the forked process
        worked meanwhile.)"""
        claims = self.claims
        if claims is None or self.pid is None:
            return False
        return index + 1 < len(claims) and claims[index + 1] == 0

    def lent(self) -> dict[int, object]:
        """What `also` gave for the items lent that the forked process took (after `rest`)."""
        return self._lent

    def rest(self, done: int) -> list[_R] | None:
        """What `work` gave for each item after the first `done` (those this process
        claimed), in order; None when the forked process failed: the caller does them itself."""
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
            start, found, lent = pickle.loads(data)
        except Exception:  # a value that does not unpickle: the caller does the part itself
            return None
        if isinstance(lent, dict):
            self._lent = {index: value for index, value in lent.items() if index < done}
        return after(done, start, found)

    def close(self) -> None:
        """End the forked process if its results were not taken (the run stopped early)."""
        _close(self.claims, self.marks)
        self.claims = self.marks = None
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


def after(done: int, start: int, found: object) -> list[_R] | None:
    """The results for the items from `done` on, out of `found`, the forked process's for
    the items from `start` on: those it shares with this process's first `done` (an item
    both claimed at once) are dropped. None when some item after `done` is in neither."""
    if not isinstance(found, list) or not 0 <= start <= done:
        return None
    return found[done - start :]


def _close(*maps: mmap.mmap | None) -> None:
    for shared in maps:
        if shared is not None:
            shared.close()


class _Lending(Generic[_T]):
    """In the forked process: the items the other process lends (`ForkedPart.settle`), taken
    in order, each once, up to the first it has not settled yet."""

    def __init__(self, items: Sequence[_T], also: Callable[[_T], object], marks: mmap.mmap) -> None:
        self.items = items
        self.also = also
        self.marks = marks
        self.next = 0
        self.found: dict[int, object] = {}

    @staticmethod
    def of(
        items: Sequence[_T], also: Callable[[_T], object] | None, marks: mmap.mmap | None
    ) -> _Lending[_T] | None:
        return None if also is None or marks is None else _Lending(items, also, marks)

    def take(self, end: int) -> None:
        """`also` on each item lent so far before `end` (the first item this process has)."""
        while self.next < end and self.marks[self.next]:
            if self.marks[self.next] == LENT:
                self.found[self.next] = self.also(self.items[self.next])
            self.next += 1


def _work_and_exit(
    items: Sequence[_T],
    work: Callable[[_T], _R],
    claims: mmap.mmap,
    writing: int,
    lending: _Lending[_T] | None = None,
) -> NoReturn:
    """In the forked process: work on the items from the last back to the first one the
    other process claimed (after each, on the items it lent so far), write where they start,
    their results and what `also` gave for the items lent, and leave without running
    anything of the parent's (`os._exit`: no atexit handlers, no buffered output flushed
    twice, no exception climbing the parent's stack)."""
    status = 1
    try:  # whatever it raises (even Ctrl-C) only sets the status: the parent does the part
        found: list[_R] = []
        start = len(items)
        while start > 0 and claims[start - 1] != HERE:
            claims[start - 1] = APART
            start -= 1
            found.append(work(items[start]))
            if lending is not None:
                lending.take(start)
        found.reverse()
        lent = {} if lending is None else lending.found
        data = pickle.dumps((start, found, lent), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
