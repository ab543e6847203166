"""Worker processes that never outlive the run, and tasks sent to the worker that needs them.

A worker is started with :func:`worker_started`: it leaves Ctrl-C to its parent (which stops
every worker at once, and exits 130), and it dies when its parent dies, however the parent
goes (SIGTERM, SIGKILL, a crash): through Linux's parent-death signal where there is one, and
a watchdog thread that sees the parent's process id change everywhere else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported when the first worker starts
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

    from lint_wb.accounting import WorkerAccount

T = TypeVar("T")
R = TypeVar("R")
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
        import ctypes  # only a worker needs it: not loaded by a run without one

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
    """End every worker now: pending files are dropped, running ones are not waited for.

    The pool's manager thread is then given a moment to wind down: while it is alive,
    CPython 3.11's exit handler may wake it through a pipe it is closing, and print an
    ignored "Bad file descriptor" traceback after the run (a race fixed in 3.12)."""
    processes = getattr(pool, "_processes", None) or {}
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in list(processes.values()):
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    if isinstance(manager, threading.Thread):
        manager.join(timeout=STOP_WAIT)


STOP_WAIT = 2.0
"""Seconds a stopped pool's manager thread is given to end."""


DEATH_CHECK = 1.0
"""Seconds a wait for results lasts before it looks whether a worker died meanwhile."""


def look_after_a_silent_pool(pool: ProcessPoolExecutor, futures: Iterable[Future[Any]]) -> None:
    """A wait for `futures` from `pool` has seen none done for `DEATH_CHECK` seconds: end the
    two ways a worker's death can go unnoticed by CPython's pool and hang the run."""
    end_a_dead_workers_half_result(pool)
    fail_what_a_broken_pool_forgot(pool, futures)


def end_a_dead_workers_half_result(pool: ProcessPoolExecutor) -> None:
    """When the pool's worker has died, close this process's copy of the pipe's writing end
    that the worker sent its results through.

    A worker killed while it writes a result leaves half a message in the pipe. CPython's
    pool manager, woken by the readable pipe, then reads the rest for ever: this process holds
    the pipe's other writing end, so no end of file comes and the pool never learns that its
    worker died. Closed, the read ends, the manager reports the pool broken, and its tasks
    fail with `BrokenProcessPool` (WB900) instead of hanging the run."""
    processes = getattr(pool, "_processes", None) or {}
    if not processes or any(process.exitcode is None for process in list(processes.values())):
        return
    results = getattr(pool, "_result_queue", None)
    with contextlib.suppress(OSError, AttributeError):
        results._writer.close()  # type: ignore[union-attr]


def fail_what_a_broken_pool_forgot(
    pool: ProcessPoolExecutor, futures: Iterable[Future[Any]]
) -> None:
    """Once the pool's manager thread has ended, fail each of `futures` still pending as a
    dead worker's task.

    Only that thread finishes a pool's futures, so one it left pending would be waited for
    for ever. CPython 3.11 leaves one when a worker dies: the manager marks the pool broken
    and fails its pending tasks without the lock `submit` holds, so a batch sent at that
    moment is neither run nor failed (or the manager thread itself dies, the task table
    having grown under its loop)."""
    from concurrent.futures import InvalidStateError
    from concurrent.futures.process import BrokenProcessPool

    manager = getattr(pool, "_executor_manager_thread", None)
    if isinstance(manager, threading.Thread) and manager.is_alive():
        return
    for future in futures:  # looked at after the thread ended: nothing can finish them now
        if not future.done():
            with contextlib.suppress(InvalidStateError):
                future.set_exception(BrokenProcessPool("a worker died while a batch was sent"))


IN_FLIGHT = 2
"""Batches sent ahead to each worker, so it never waits for the next one."""
BATCH_SHARE = 8
"""A batch takes at most this fraction of a worker's share of the tasks left (1/8): big
batches while much is left (a round trip costs the main process about 0.3 ms, and under load
each one waits for it to be scheduled), one task a batch at the end, so that a worker with
nothing left can still take another's queued tasks."""
MAX_BATCH = 16
"""Tasks in one batch at most: the results of a batch come back together."""
STEAL_COST = 4
"""What a task pinned to another process costs the process that takes it, in times what it
costs there (it parses the file again, which costs several lints): a process takes another's
task only when it would finish it, after what it has already been sent, before that one
finishes what it still has (queued and sent); this process also once it has waited
`STEAL_PATIENCE`."""
STEAL_PATIENCE = 0.05
"""Seconds this process, with nothing of its own left, waits for the workers' results before
it takes a task pinned to a worker that its queue alone would not justify: a worker stalled
on a huge file, or slowed by a busy core, is not waited for long."""


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What a task returned, or the error of the worker that died running it."""

    worker: int
    value: R | None = None
    error: BaseException | None = None


class Workers:
    """Worker processes a task can be sent to by number: one single-process pool each.

    A `ProcessPoolExecutor` sends a task to whichever of its workers is free; a run that
    keeps a parse in the worker that made it must send that file's lint to the same worker.
    `run` sends each task to the worker it is pinned to, and the others to the first free
    worker; a worker with nothing left takes another's pinned tasks, the cheapest first
    (that file is parsed again), so both finish together, also when one of them is slowed
    down (a busy core). Once a worker has died (a crash, the OOM killer), no
    task is sent any more: the tasks not yet done fail, and the run reports them (WB900).
    """

    def __init__(self, count: int, initializer: Callable[..., None], initargs: tuple[Any, ...]):
        from concurrent.futures import ProcessPoolExecutor

        self.pools = [
            ProcessPoolExecutor(max_workers=1, initializer=_born, initargs=(initializer, initargs))
            for _ in range(count)
        ]
        self.dead: set[int] = set()
        self.ledger = _Ledger(born=time.perf_counter())
        """What the tasks this process ran among the workers took (`run`'s `here`)."""
        try:
            with workers_born_deaf_to_ctrl_c():  # a pool forks its worker on the first task
                for pool in self.pools:
                    pool.submit(_nothing)
        except BaseException:  # a Ctrl-C held back while forking arrives as the block ends
            self.stop()
            raise

    def run(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        pinned: Sequence[int | None] | None = None,
        costs: Sequence[int] | None = None,
        here: Callable[[T], R] | None = None,
    ) -> Iterator[Outcome[R]]:
        """`function(item)` for every item, in a worker, yielded in the order of `items`.
        With `costs` (a file's size), the costliest start first, so that no worker is left
        with a big one when the others are done. With `here`, this process works too:
        `here(item)` runs the tasks pinned to `self.here` and any other it takes, one at a
        time, the workers' results taken in between."""
        pinned = pinned or [None] * len(items)
        schedule = _Schedule(self, function, items, pinned, costs, here)
        return schedule.outcomes()

    def send(
        self, worker: int, function: Callable[[T], R], items: Sequence[T]
    ) -> Future[list[Returned[R]]]:
        """`function(item)` for each item, in worker `worker`, as one batch sent now (outside
        any `run`): each item's value or exception, when the batch is done. Raises
        `BrokenProcessPool` when that worker is dead."""
        return self.pools[worker].submit(_run_batch, function, list(items))

    def result(self, worker: int, future: Future[R]) -> R:
        """What a future `send` returned, once done; raises the error it failed with, and
        `BrokenProcessPool` when the worker died, even in ways CPython's pool does not notice
        (`look_after_a_silent_pool`)."""
        from concurrent.futures import wait

        while not wait([future], DEATH_CHECK).done:
            look_after_a_silent_pool(self.pools[worker], [future])
        return future.result()

    @property
    def here(self) -> int:
        """The number that stands for this process, when it works too (`run`'s `here`)."""
        return len(self.pools)

    def accounts(self) -> list[WorkerAccount]:
        """How each live worker spent its time so far (`accounting.py`)."""
        from concurrent.futures.process import BrokenProcessPool

        found = []
        for number, pool in enumerate(self.pools):
            if number not in self.dead:
                with contextlib.suppress(BrokenProcessPool):
                    found.append(self.result(number, pool.submit(_account)))
        return found

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """This process waits for a worker's results while the block runs (`ledger`)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.ledger.waited += time.perf_counter() - start

    def stop(self) -> None:
        for pool in self.pools:
            stop_workers(pool)

    def shutdown(self, *, wait: bool = True) -> None:
        """End the workers once their tasks are done. Without `wait`, they end while this
        process goes on (a worker's exit, its memory given back, took 20-30 ms at the end of
        a run on the dense tree): `ended` waits for them."""
        for pool in self.pools:
            if not wait:  # (the pool forgets them as it is told to end)
                _ENDING.extend(_ending_parts(pool))
            pool.shutdown(wait=wait)


_ENDING: list[threading.Thread | BaseProcess] = []
"""The processes of workers told to end without waiting (`Workers.shutdown`), and their
pools' manager threads (which end them), not waited for yet."""


def _ending_parts(pool: ProcessPoolExecutor) -> list[threading.Thread | BaseProcess]:
    processes = getattr(pool, "_processes", None) or {}
    manager = getattr(pool, "_executor_manager_thread", None)
    parts: list[threading.Thread | BaseProcess] = list(processes.values())
    return [*parts, manager] if isinstance(manager, threading.Thread) else parts


def ended() -> None:
    """Wait for every worker told to end without waiting to have ended."""
    while _ENDING:
        _ENDING.pop().join()


def _nothing() -> None:
    return None


@dataclass
class _Ledger:
    """A worker's own account: when it started, and what running its tasks took."""

    born: float = 0.0
    busy: float = 0.0
    busy_cpu: float = 0.0
    batches: int = 0
    tasks: int = 0
    waited: float = 0.0
    """Seconds the process waited for a worker's results (the main process's ledger)."""


_LEDGER = _Ledger()


def _born(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Set up a new worker: its set-up is work, as its tasks are."""
    _LEDGER.born = time.perf_counter()
    cpu = time.process_time()
    initializer(*initargs)
    _LEDGER.busy += time.perf_counter() - _LEDGER.born
    _LEDGER.busy_cpu += time.process_time() - cpu


def _account() -> WorkerAccount:
    from lint_wb.accounting import WorkerAccount

    alive = time.perf_counter() - _LEDGER.born
    cpu = time.process_time()
    return WorkerAccount(alive, _LEDGER.busy, _LEDGER.busy_cpu, cpu, _LEDGER.batches, _LEDGER.tasks)


Returned = tuple[Optional[R], Optional[Exception]]
"""A task's value, or the exception it raised."""


def _run_batch(function: Callable[[T], R], items: Sequence[T]) -> list[Returned[R]]:
    """`function(item)` for each item of a batch, in a worker: an item's exception is its
    own outcome, the batch goes on.

    The whole batch runs on the deep-stack thread (`containment.on_deep_stack`), handed over
    to it once: a task parses, summarises and lints there, and each of those handed over on
    its own cost two thread switches (three a file on the dense tree, where the worker made
    4 times the context switches of a run in one process, each one a wait for the core when
    the machine is busy)."""
    from lint_wb.containment import on_deep_stack

    wall, cpu = time.perf_counter(), time.process_time()
    done = on_deep_stack(lambda: _each(function, items))
    _LEDGER.busy += time.perf_counter() - wall
    _LEDGER.busy_cpu += time.process_time() - cpu
    _LEDGER.batches += 1
    _LEDGER.tasks += len(items)
    return done


def _each(function: Callable[[T], R], items: Sequence[T]) -> list[Returned[R]]:
    done: list[Returned[R]] = []
    for item in items:
        try:
            done.append((function(item), None))
        except Exception as error:
            done.append((None, error))
    return done


class _Schedule(Generic[T, R]):
    def __init__(
        self,
        workers: Workers,
        function: Callable[[T], R],
        items: Sequence[T],
        pinned: Sequence[int | None],
        costs: Sequence[int] | None,
        here: Callable[[T], R] | None,
    ) -> None:
        self.workers = workers
        self.function = function
        self.items = items
        self.here = here
        count = len(workers.pools) + (here is not None)
        self.queues: list[deque[int]] = [deque() for _ in range(count)]
        self.shared: deque[int] = deque()
        order: Sequence[int] = range(len(items))
        if costs is not None:
            order = sorted(order, key=lambda index: -costs[index])
        for index in order:
            worker = pinned[index]
            (self.shared if worker is None else self.queues[worker]).append(index)
        self.costs = costs
        self.pinned = pinned
        self.queued = len(items)
        self.running: dict[Future[list[Returned[R]]], tuple[list[int], int]] = {}
        self.busy = [0] * len(workers.pools)
        self.owed = [0] * len(workers.pools)
        """The cost of the tasks sent to each worker and not back yet (`_cost_to`)."""
        self.done: dict[int, Outcome[R]] = {}

    def outcomes(self) -> Iterator[Outcome[R]]:
        for worker in range(len(self.workers.pools)):
            self._feed(worker)
        for index in range(len(self.items)):
            while index not in self.done:
                if self._work_here(patient=True):
                    self._collect(block=False)
                elif not self._collect(block=True, patience=self._stealing_patience()):
                    self._work_here(patient=False)  # nothing came back meanwhile: take one
            yield self.done.pop(index)

    def _stealing_patience(self) -> float | None:
        """How long this process waits for the workers' results before it takes a task
        pinned to one of them (parsing its file again): None when there is none to take."""
        if self.here is None or self.workers.dead or not any(self.queues[:-1]):
            return None
        return STEAL_PATIENCE

    def _work_here(self, *, patient: bool = False) -> bool:
        """Run one task in this process, if it works too and a task is left; whether it did.
        `patient`: a task pinned to a worker only if its queue makes it worth a parse here."""
        if self.here is None or self.workers.dead:
            return False
        index = self._next_for(self.workers.here, patient=patient)
        if index is None:
            return False
        self.queued -= 1
        ledger = self.workers.ledger
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            self.done[index] = Outcome(self.workers.here, self.here(self.items[index]))
        except Exception as error:
            self.done[index] = Outcome(self.workers.here, error=error)
        finally:
            ledger.busy += time.perf_counter() - wall
            ledger.busy_cpu += time.process_time() - cpu
            ledger.tasks += 1
        return True

    def _collect(self, *, block: bool, patience: float | None = None) -> bool:
        """Take in the batches the workers have finished (with `block`, wait for one, at
        most `patience` seconds when given); whether one came, or needs no waiting for."""
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        if self.workers.dead:  # what is not sent yet fails
            for index in self._left():
                self.done[index] = Outcome(-1, error=BrokenProcessPool("a worker died"))
        if not self.running:
            return patience is None
        with self.workers.waiting() if block else contextlib.nullcontext():
            finished, _ = wait(list(self.running), timeout=0, return_when=FIRST_COMPLETED)
            if block and not finished and patience is not None:
                finished, _ = wait(list(self.running), patience, FIRST_COMPLETED)
                if not finished:
                    return False
            while block and not finished:
                finished, _ = wait(list(self.running), DEATH_CHECK, FIRST_COMPLETED)
                if not finished:
                    self._look_after_silent_pools()
        for future in finished:
            batch, worker = self.running.pop(future)
            self.busy[worker] -= 1
            self.owed[worker] -= sum(self._cost_to(worker, index) for index in batch)
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                self.workers.dead.add(worker)
            if error is None:
                for index, (value, failed) in zip(batch, future.result()):
                    self.done[index] = Outcome(worker, value, failed)
            else:
                for index in batch:
                    self.done[index] = Outcome(worker, error=error)
            self._feed(worker)
        for worker in range(len(self.workers.pools)):
            self._feed(worker)
        return True

    def _look_after_silent_pools(self) -> None:
        for worker in {worker for _, worker in self.running.values()}:
            futures = [future for future, (_, sent_to) in self.running.items() if sent_to == worker]
            look_after_a_silent_pool(self.workers.pools[worker], futures)

    def _left(self) -> list[int]:
        left = [*self.shared, *(index for queue in self.queues for index in queue)]
        self.shared.clear()
        for queue in self.queues:
            queue.clear()
        self.queued = 0
        return left

    def _feed(self, worker: int) -> None:
        from concurrent.futures.process import BrokenProcessPool

        while not self.workers.dead and self.busy[worker] < IN_FLIGHT:
            batch = self._batch_for(worker)
            if not batch:
                return
            items = [self.items[index] for index in batch]
            try:
                future = self.workers.pools[worker].submit(_run_batch, self.function, items)
            except BrokenProcessPool:
                self.workers.dead.add(worker)
                self.shared.extendleft(reversed(batch))
                self.queued += len(batch)
                return
            self.running[future] = (batch, worker)
            self.busy[worker] += 1
            self.owed[worker] += sum(self._cost_to(worker, index) for index in batch)

    def _batch_for(self, worker: int) -> list[int]:
        """The next tasks for `worker`: its own, then anyone's, then another's cheapest; when
        this process works too, only as long as that is worth a parse in `worker` (what is
        left for a stalled worker, this process takes once it has waited: `outcomes`)."""
        size = max(1, min(MAX_BATCH, self.queued // (len(self.queues) * BATCH_SHARE)))
        batch: list[int] = []
        owed = self.owed[worker]
        while len(batch) < size:
            index = self._next_for(worker, patient=self.here is not None, owed=owed)
            if index is None:
                break
            batch.append(index)
            owed += self._cost_to(worker, index)
        self.queued -= len(batch)
        return batch

    def _next_for(self, worker: int, *, patient: bool = False, owed: int = 0) -> int | None:
        """The next task for `worker`: its own, then anyone's, then another's cheapest (with
        `patient`, only if that is worth it to a process that has `owed` still to do:
        `_worth_taking`)."""
        own = self.queues[worker]
        if own:
            return own.popleft()
        if self.shared:
            return self.shared.popleft()
        owner = max(range(len(self.queues)), key=lambda number: len(self.queues[number]))
        longest = self.queues[owner]
        if not longest or (patient and not self._worth_taking(longest[-1], owner, owed)):
            return None
        return longest.pop()

    def _worth_taking(self, index: int, owner: int, owed: int) -> bool:
        """Whether a process that still has `owed` to do (what it was sent), taking the task
        `index` pinned to `owner` (`STEAL_COST` times its cost), would be done before `owner`
        is done with all it has: its queue, and what it was sent and has not finished. Not
        counting what the taker was sent, a worker took task after task from this process's
        queue at the end of a run, each a parse, and this process, done with its own, then
        waited for them."""
        queue = self.queues[owner]
        left = sum(self._cost(queued) for queued in queue)
        if owner < len(self.owed):
            left += self.owed[owner]
        return owed + STEAL_COST * self._cost(index) < left

    def _cost(self, index: int) -> int:
        """What the task `index` costs where it is pinned (its file's size; 1 without costs)."""
        return 1 if self.costs is None else self.costs[index]

    def _cost_to(self, worker: int, index: int) -> int:
        """What the task `index` costs `worker`: `STEAL_COST` times more when it is pinned
        to another process (its file is parsed again)."""
        pinned = self.pinned[index]
        return self._cost(index) * (1 if pinned is None or pinned == worker else STEAL_COST)
