"""How often CPython's cycle collector runs while lint-wb checks files.

A run allocates millions of objects that live for a while: libcst trees kept from the
summary to the lint, module summaries, findings, results coming back from the workers.
The collector's default pace (a young collection every 700 net allocations, and a full one
each time the long-lived objects grew by a quarter) rescans them again and again: on a tree
of 600 dense W&B files, a fifth of the CPU time went to the collector, in the workers and in
the main process (which unpickles every summary and result). Almost nothing a run makes is
cyclic garbage (trees, summaries and findings are freed by reference counting), so during a
run the collector runs less often: its young generation holds `YOUNG_OBJECTS` objects. It
still runs, so a cycle that does become garbage is freed, only later.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_OBJECTS = 20_000
"""Net allocations between two young collections during a run (CPython's default: 700)."""


def pace_for_a_run() -> None:
    """Set the collector's pace for the rest of this process (a worker of the run)."""
    young, middle, old = gc.get_threshold()
    if young:  # 0: the collector is off, and stays off
        gc.set_threshold(max(young, YOUNG_OBJECTS), middle, old)


@contextlib.contextmanager
def paced_for_a_run() -> Iterator[None]:
    """The collector at a run's pace while the block runs; as it was afterwards."""
    previous = gc.get_threshold()
    pace_for_a_run()
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def for_a_run() -> Iterator[None]:
    """One run of the API: the collector at a run's pace while the block runs, and what the
    run froze (`kept_unscanned`) given back to the collector when it ends, so that a program
    that goes on after the run (an editor, a test suite) frees the run's cyclic garbage as
    usual, instead of at its exit.

    The run freezes only when the permanent generation is empty as it starts: `gc.unfreeze`
    cannot tell one freeze from another, so a caller that froze objects of its own keeps
    them frozen, and such a run freezes nothing (its worker processes, forked in it, neither).
    A run inside a run that froze already leaves the giving back to the outer one."""
    global _freezing
    previous = _freezing
    owned = gc.get_freeze_count() == 0
    _freezing = owned
    try:
        with paced_for_a_run():
            yield
    finally:
        _freezing = previous
        if owned:
            gc.unfreeze()


_freezing = False
"""Whether `kept_unscanned` may freeze: only inside `for_a_run`, which unfreezes after."""


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection while the block runs; the collector as it was afterwards.

    For the main process while it takes in what the workers send (summaries, findings):
    data that lives to the end of the run, not garbage, so a collection there only rescans
    it (a quarter of that process's CPU time on the dense tree: 0.27 s of 1.1 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def kept_unscanned() -> Iterator[None]:
    """No collection while the block runs, and what it made frozen (`gc.freeze`) after it.

    For a module's parse and summary made for the rest of the run (the lint reuses the
    parse): data, not garbage, which the collector would otherwise scan in its young
    collections and again in its middle ones (with 600 dense trees kept, most of the
    collector's time). Frozen objects are still freed by reference counting when the run
    drops them (a libcst tree holds no cycle); only the few cycles the block leaves as
    garbage wait for the end of the run (`for_a_run` unfreezes them; outside a run nothing
    is frozen)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing:
            gc.freeze()
        if enabled:
            gc.enable()


def freeze_before_fork() -> None:
    """Freeze (`gc.freeze`) everything this process holds, as it forks a process that works
    beside it (`files/forked_part.py`): what start-up loaded and the run has made so far (its
    files, their settings) lives to the end of the run, and neither process need scan it
    again. The forked screener checks a few kept files (`api._Guesses`), whose `ast` trees set
    off a full collection there, which scanned all of it (8 M instructions on the openai
    SDK's source, as much as its share of the byte prefilter); frozen, it is also never
    written to by a collection in either process, so fewer pages are copied after the fork
    (Python's own advice for a fork without exec). Only inside a run that freezes
    (`for_a_run`): it gives all of it back as it ends."""
    if _freezing:
        gc.freeze()


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """The collector on while the block runs (at the run's pace), as it was afterwards: for a
    file the main process checks itself while it takes in what the workers send (`paused`),
    since a lint, unlike what comes in, leaves some cyclic garbage."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()
