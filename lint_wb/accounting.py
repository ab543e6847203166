"""Where a parallel run's time goes: what the main process does alone, and how long the
workers wait.

On a shared machine wall-clock ratios tell little (the other processes take what they take),
so a run can account for itself instead (`LINT_WB_ACCOUNT=1 lint-wb ... --jobs 2` prints it on
stderr): each phase of the main process with its wall and CPU time, whether workers could
work meanwhile, and for each worker how long it lived, how long it ran tasks and on how much
CPU. The serial part is what no worker can share; the idle part is what the workers lost.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

ENVIRONMENT = "LINT_WB_ACCOUNT"
"""Set to 1 to have the command line print the account of its run on stderr."""


@dataclass(frozen=True)
class Phase:
    """A stretch of the main process's work: `alone` when no worker had a task meanwhile."""

    name: str
    wall: float
    cpu: float
    alone: bool


@dataclass(frozen=True)
class WorkerAccount:
    """One worker's life: seconds alive, seconds and CPU seconds spent running tasks, and
    its whole CPU time (starting up, receiving tasks and sending results included)."""

    alive: float
    busy: float
    busy_cpu: float
    cpu: float
    batches: int
    tasks: int

    @property
    def idle(self) -> float:
        return max(0.0, self.alive - self.busy)


@dataclass
class RunAccount:
    """The account of one run, filled in as it goes."""

    phases: list[Phase] = field(default_factory=list)
    workers: list[WorkerAccount] = field(default_factory=list)
    here: tuple[int, float, float] = (0, 0.0, 0.0)
    """The tasks the main process ran among the workers: how many, seconds, CPU seconds."""
    waited: float = 0.0
    """Seconds the main process waited for the workers' results, with nothing to do."""
    ahead: tuple[int, int] = (0, 0)
    """Summaries sent to the workers before the plan, and those of them the plan took
    (`ahead.py`)."""
    started: float = field(default_factory=time.perf_counter)
    started_cpu: float = field(default_factory=time.process_time)

    _inner: list[list[float]] = field(default_factory=list)
    """For each phase under way, the wall and CPU seconds of the phases inside it so far."""

    @contextlib.contextmanager
    def phase(self, name: str, *, alone: bool | Callable[[], bool]) -> Iterator[None]:
        """A phase of the main process, listed in the order phases start. A phase inside
        another (the workers started while the files are screened) is its own line, and
        its time is not counted again in the enclosing one. `alone` may be asked at the
        phase's end (whether workers started in it)."""
        wall, cpu = time.perf_counter(), time.process_time()
        position = len(self.phases)
        self._inner.append([0.0, 0.0])
        try:
            yield
        finally:
            elapsed, used = time.perf_counter() - wall, time.process_time() - cpu
            inner_wall, inner_cpu = self._inner.pop()
            by_itself = alone() if callable(alone) else alone
            own = Phase(name, elapsed - inner_wall, used - inner_cpu, by_itself)
            self.phases.insert(position, own)
            if self._inner:
                self._inner[-1][0] += elapsed
                self._inner[-1][1] += used

    def lines(self) -> list[str]:
        """The account as text: the phases, the workers, and the totals."""
        wall = time.perf_counter() - self.started
        cpu = time.process_time() - self.started_cpu
        lines = [
            f"account: {wall:.2f} s wall; main process {cpu:.2f} s CPU (its threads too),"
            f" after {self.started_cpu:.2f} s CPU of start-up"
        ]
        for phase in self.phases:
            who = "main alone" if phase.alone else "main with workers"
            lines.append(
                f"  {phase.name:<12} {phase.wall:6.2f} s wall {phase.cpu:6.2f} s CPU  {who}"
            )
        for number, worker in enumerate(self.workers, 1):
            lines.append(
                f"  worker {number}: alive {worker.alive:.2f} s, ran tasks {worker.busy:.2f} s"
                f" ({worker.busy_cpu:.2f} s CPU), idle {worker.idle:.2f} s; {worker.cpu:.2f} s"
                f" CPU in all; {worker.tasks} tasks in {worker.batches} batches"
            )
        tasks, busy, busy_cpu = self.here
        if tasks:
            lines.append(
                f"  main process: ran {tasks} tasks among the workers, {busy:.2f} s"
                f" ({busy_cpu:.2f} s CPU); waited {self.waited:.2f} s for their results"
            )
        sent, taken = self.ahead
        if sent:
            lines.append(f"  summaries sent ahead of the plan: {sent}, taken {taken}")
        alone = [phase for phase in self.phases if phase.alone]
        lines.append(
            f"  serial (main alone): {sum(p.wall for p in alone):.2f} s wall,"
            f" {sum(p.cpu for p in alone):.2f} s CPU; main with workers:"
            f" {sum(p.cpu for p in self.phases if not p.alone):.2f} s CPU"
        )
        if self.workers:
            idle = sum(worker.idle for worker in self.workers)
            alive = sum(worker.alive for worker in self.workers)
            lines.append(f"  workers idle: {idle:.2f} s of {alive:.2f} s alive")
        return lines
