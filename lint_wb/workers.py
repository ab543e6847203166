"""Worker processes that never outlive the run.

A worker is started with :func:`worker_started`: it leaves Ctrl-C to its parent (which stops
every worker at once, and exits 130), and it dies when its parent dies, however the parent
goes (SIGTERM, SIGKILL, a crash): through Linux's parent-death signal where there is one, and
a watchdog thread that sees the parent's process id change everywhere else.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.5
"""Seconds between two looks at the parent, where there is no parent-death signal."""


def worker_started(parent: int) -> None:
    """Set up a worker process of the run whose process id is `parent`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked while forked: see below
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with(parent)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    watchdog = threading.Thread(target=_watch, args=(parent,), name="lint-wb-orphan", daemon=True)
    watchdog.start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


@contextlib.contextmanager
def workers_born_deaf_to_ctrl_c() -> Iterator[None]:
    """Block SIGINT while workers are forked: a worker inherits the block, so a Ctrl-C before
    its initializer has run cannot kill it half-started, and the parent gets a Ctrl-C that
    came meanwhile as soon as the workers are up (blocked, not ignored: nothing is lost)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End every worker now: pending files are dropped, running ones are not waited for."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
