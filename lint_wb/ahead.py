"""Summaries started while the main process still screens the files and plans the index.

A run screens every file and plans the project index (`build.plan_index`) in the main process
before the index's summaries are made: on a tree of 3,000 files that is most of a second, the
other cores idle. Yet the modules summarised first are known, nearly always, as soon as they
are read: a module that carries a W&B signal and a request's word is a seed of any plan that
holds it (`build.EarlyJobs`). So once the screening has read as many files to parse as call
for every worker the run will have (`api.worker_count`), the main process starts the workers
(forked before it loads the engine: each loads its own, `api._Run._loaded_workers`), and
sends them those files' summary jobs as the screening finds them, a few at a time, and more
just before the plan, when it cannot feed them.

A job sent ahead is taken only where it equals the plan's job for its module: the same bytes,
name, package, resources and reading (whole or in part), and, when it looked first with `ast`
(a module that imports only libraries: `EarlyJobs`), the same first look. A summary is made
from those alone, so it is the one the plan's job makes. A guess that does not hold (other
modules import the module, so it is read whole; two modules share a name; it imports a module
of the project, so the plan does not look first) is left, and the plan's job runs: a wrong
guess costs time, never a finding. The parse a left guess kept in its worker is never taken
for less than it is (`engine.lint_source` parses again where the index reads a module whole).
A job that looked first is linted in its task too, as the plan's own jobs are
(`api._summarise_ahead_in_worker`): on a tree of lone modules (the dense benchmark) no module
is left for a lint task after the index.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lint_wb.workers import MAX_BATCH, Outcome, Workers

if TYPE_CHECKING:
    from concurrent.futures import Future

    from lint_wb.config.per_file import SettingsCache
    from lint_wb.project.build import EarlyJobs, SummaryJob
    from lint_wb.project.store import Alone, Inert
    from lint_wb.project.summary import ModuleSummary
    from lint_wb.results import FileResult

    Made = ModuleSummary | Inert | Alone | None
    """A summary job's outcome (`build.IndexPlan.provide`)."""
    Linted = tuple[Made, FileResult | None]
    """A summary job's outcome, and its module's lint when it was linted in the same task."""
    Summarise = Callable[[SummaryJob], Linted]
    Done = Outcome[Linted]

WHILE_SCREENING = 2
"""Jobs sent ahead and not done, at most, per worker while the screening goes on: the
screening tops them up as it finds files, and the rest can still go to any process."""


@dataclass
class _Sent:
    """A batch sent ahead: its jobs, the worker running it, and its result to come."""

    jobs: list[SummaryJob]
    workers: Workers
    worker: int
    future: Future[list[tuple[Linted | None, Exception | None]]]
    _outcomes: list[Done] | None = None

    def outcome(self, position: int) -> Done:
        """The outcome of the batch's job at `position`, once the batch is done (the
        worker's error, if it died)."""
        if self._outcomes is None:
            try:
                returned = self.workers.result(self.worker, self.future)
            except Exception as error:  # the worker died
                self._outcomes = [Outcome(self.worker, error=error) for _ in self.jobs]
            else:
                self._outcomes = [Outcome(self.worker, value, bad) for value, bad in returned]
        return self._outcomes[position]


def _same(sent: SummaryJob, position: int | None, jobs: Sequence[SummaryJob]) -> int | None:
    """`position`, unless the job `sent` ahead looked first (`SummaryJob.look`) and the
    plan's job there does not look so: a first look that found nothing, or a module that
    stands alone, gives no summary, which such a job needs. (A job sent ahead that does
    not look makes the summary the plan's job makes when its look finds something, and
    all the plan needs when it would not.)"""
    if position is None or (sent.look is not None and jobs[position].look != sent.look):
        return None
    return position


@dataclass
class SummariesAhead:
    """The summary jobs of a run sent to its workers before the plan (see the module).

    `start` loads the engine and starts the workers; `enough(count)`: whether `count` files to
    parse call for all of them; `summarise`: a worker's summary task; `cache`: the run's
    settings."""

    start: Callable[[], Workers]
    enough: Callable[[int], bool]
    summarise: Summarise
    cache: SettingsCache
    read: list[tuple[Path, bytes]] = field(default_factory=list)
    """The files read and kept for a parse, before the workers start."""
    kept: int = 0
    pool: Workers | None = None
    guesses: EarlyJobs | None = None
    pending: list[SummaryJob] = field(default_factory=list)
    sent: list[_Sent] = field(default_factory=list)
    given_up: bool = False
    """The workers could not be started early: the run starts them as it would have."""
    counts: tuple[int, int] = (0, 0)
    """How many jobs were sent ahead, and how many of them the plan took."""

    def screened(self, path: Path, data: bytes) -> None:
        """A file the screening read (`data`) and keeps for a parse. Once enough jobs are
        pending for all that can still be sent ahead, the rest are not guessed: on a tree
        where every file is a seed (600 dense W&B files) the guesses past those were made
        and dropped, in the main process, while the worker waited for its summaries."""
        self.kept += 1
        if self.given_up:
            return
        if self.pool is None:
            self.read.append((path, data))
            if self.enough(self.kept):
                self._start()
            return
        if len(self.pending) < self._worth_guessing():
            self._guess(path, data)
        self._send(WHILE_SCREENING)

    def before_plan(self) -> None:
        """Send more while the main process plans the index: up to half of what is known
        (the rest goes to whichever process is free once the plan is made), at most a
        batch's worth a worker."""
        if self.pool is None:
            return
        left = len(self.pending) + self._unfinished()
        self._send(min(MAX_BATCH, left // (2 * len(self.pool.pools))))

    def _worth_guessing(self) -> int:
        """Pending jobs past which a guess is never sent: `before_plan` sends at most a
        batch's worth a worker, and as many as that only when twice as many are known."""
        assert self.pool is not None
        return 2 * MAX_BATCH * len(self.pool.pools)

    def taken(self, jobs: Sequence[SummaryJob]) -> dict[int, Callable[[], Done]]:
        """The jobs sent ahead that equal a job of `jobs` (the plan's), by its position
        there: each gives its outcome when called (waiting for it). What was not sent is
        dropped, and a batch none of whose jobs is taken is not run if it has not started."""
        self.pending.clear()
        sent_jobs = sum(len(sent.jobs) for sent in self.sent)
        wanted = {job: index for index, job in enumerate(jobs)}
        found: dict[int, Callable[[], Done]] = {}
        for sent in self.sent:
            positions = [_same(job, wanted.get(job), jobs) for job in sent.jobs]
            if all(position is None for position in positions):
                sent.future.cancel()
            for place, position in enumerate(positions):
                if position is not None:
                    found[position] = functools.partial(sent.outcome, place)
        self.sent.clear()
        self.counts = (self.counts[0] + sent_jobs, self.counts[1] + len(found))
        return found

    def drop(self) -> None:
        """The run needs none of it (its index was cached): what has not started is not run."""
        self.taken(())

    def _start(self) -> None:
        """Guess the jobs of the files read so far, then start the workers: forked after the
        guesses, they inherit what guessing loads and a summary needs too (the spec, the
        libraries' table), and have jobs to take at once."""
        from lint_wb.project.build import EarlyJobs

        self.guesses = EarlyJobs(self.cache)
        for path, data in self.read:
            self._guess(path, data)
        self.read.clear()
        try:
            self.pool = self.start()
        except Exception:  # (no fork, the engine does not load) met again, and said, later
            self.given_up = True
            self.pending.clear()
            return
        self._send(WHILE_SCREENING)

    def _guess(self, path: Path, data: bytes) -> None:
        assert self.guesses is not None
        try:
            job = self.guesses.job(path, data)
        except Exception:  # a guess is only a guess: the plan makes the job, or says why not
            return
        if job is not None:
            self.pending.append(job)

    def _unfinished(self, worker: int | None = None) -> int:
        return sum(
            len(sent.jobs)
            for sent in self.sent
            if (worker is None or sent.worker == worker) and not sent.future.done()
        )

    def _send(self, most: int) -> None:
        """Send pending jobs until each worker has `most` not done, each job a batch of its
        own: a guess the plan does not confirm is then not run if it has not started."""
        from concurrent.futures.process import BrokenProcessPool

        assert self.pool is not None
        for worker in range(len(self.pool.pools)):
            count = min(len(self.pending), most - self._unfinished(worker))
            for _ in range(count):
                if worker in self.pool.dead:
                    break
                jobs = [self.pending.pop(0)]
                try:
                    future = self.pool.send(worker, self.summarise, jobs)
                except BrokenProcessPool:
                    self.pool.dead.add(worker)
                    break  # the job runs as the plan's, where a worker's death is reported
                self.sent.append(_Sent(jobs, self.pool, worker, future))
