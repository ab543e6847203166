"""Files in, results out: discovery, configuration per file, the prefilter, fixing and writing.

Never prints and never raises for a user's input: every failure becomes a `FileResult.error`
or a `RunResult.errors` line, so the run goes on with the other files.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from lint_wb.cache import ResultCache, code_fingerprint, spec_key
from lint_wb.collector import collecting, for_a_run, freeze_before_fork, pace_for_a_run, paused
from lint_wb.compiled_methods import install as install_kept_methods
from lint_wb.config.globs import files_excluded_in, is_excluded
from lint_wb.config.load import ConfigError
from lint_wb.config.per_file import SettingsCache, lint_options, spec_for
from lint_wb.config.settings import LintOptions, Settings
from lint_wb.digests import hex_digest
from lint_wb.files import (
    ChangedSinceRead,
    ReadError,
    SourceFile,
    WriteError,
    decode_source,
    is_binary,
    read_raw,
    write_atomic,
)
from lint_wb.files.atomic import sweep_leftovers
from lint_wb.files.discovery import Excludes, start_git_ahead, stop_git_ahead
from lint_wb.files.known import (
    KeyWitness,
    Known,
    KnownFiles,
    StatKey,
    content_digest,
    files_digest,
)
from lint_wb.files.walk_record import discover_known
from lint_wb.findings import Finding
from lint_wb.lazy import lazy_exports
from lint_wb.project.index import ProjectIndex, module_name_for
from lint_wb.project.root import index_scope
from lint_wb.records import dataclass
from lint_wb.results import FileResult, Mode, Overrides, RunResult, Unchecked, not_written
from lint_wb.spec.compiled import CompiledSpec, full_spec
from lint_wb.spec.tables import SpecError

if TYPE_CHECKING:
    from lint_wb.accounting import RunAccount
    from lint_wb.ahead import SummariesAhead
    from lint_wb.analysis.context import ModuleContext
    from lint_wb.engine import LintResult
    from lint_wb.files.forked_part import ForkedPart
    from lint_wb.module_parse import ParsedModule, ReadModule
    from lint_wb.module_source import ModuleSource, unified_diff
    from lint_wb.project.build import IndexPlan, IndexPlans, SummaryJob
    from lint_wb.project.store import Alone, Inert
    from lint_wb.project.summary import ModuleSummary
    from lint_wb.spec.types import Spec
    from lint_wb.workers import Outcome, Workers

    Made = ModuleSummary | Inert | Alone | None
    """A summary job's outcome (`build.IndexPlan.provide`)."""
    _Unpacked = tuple[int, BaseException | None, Made, FileResult | None]
    """A summary task's outcome: the process that ran it, or its error; the job's outcome
    and the module's early lint."""


# The run's API. The result types, the per-file settings and the project index are defined in
# results.py, file_settings.py and project_index.py, and re-exported here.
__all__ = [
    "PARALLEL_THRESHOLD",
    "FileResult",
    "Mode",
    "Overrides",
    "Progress",
    "RunResult",
    "SettingsCache",
    "check_file",
    "check_paths",
    "check_source",
    "index_project",
    "lint_options",
    "lint_text",
    "spec_for",
    "unified_diff",
]
# What a warm run does not use is imported where it is used: a run whose files the caches
# all settle reads no module (`module_source`), starts no worker (`workers`, `ahead`).
__getattr__ = lazy_exports(__name__, {"unified_diff": ("lint_wb.module_source", "unified_diff")})


class Progress(Protocol):
    """Told how far a run has got; the CLI draws a bar with it on a terminal."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


PARALLEL_THRESHOLD = 16
"""Below this many files to parse, starting worker processes costs more than it saves."""
SPLIT_SCREENING = 1024
"""Files from which a cold run screens them in two processes, the forked one from the last
file back until it meets this one (`_Run._screened_all`): a fork costs a few milliseconds, a
thousand files' reads and searches far more."""


def check_paths(
    paths: Sequence[Path],
    overrides: Overrides,
    mode: Mode,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    account: RunAccount | None = None,
    report_first: bool = False,
) -> RunResult:
    """Lint (and with `mode.fix`, fix) every Python file under `paths`. With `account`, the
    run notes in it where its time goes (`accounting.py`). With `report_first`, the workers
    are told to end and end while the caller reports: it then waits for them
    (`workers_ended`); else they have ended when the run returns."""
    install_kept_methods()  # libcst's import, if the run parses, compiles less
    if mode.results_cache is None:  # (a run with the cache may take its last walk: no git)
        start_git_ahead(paths)  # git lists the folder while the settings are read
    try:
        with for_a_run():  # the collector at a run's pace, nothing left frozen (collector.py)
            return _check_paths(paths, overrides, mode, jobs, progress, account, report_first)
    finally:
        stop_git_ahead()


def _check_paths(
    paths: Sequence[Path],
    overrides: Overrides,
    mode: Mode,
    jobs: int | None,
    progress: Progress | None,
    account: RunAccount | None = None,
    report_first: bool = False,
) -> RunResult:
    run = RunResult()
    cache = SettingsCache(overrides)
    try:
        first = cache.for_path(paths[0] if paths else Path.cwd())
    except ConfigError as error:
        given = paths or [Path(".")]
        run.errors.extend(Unchecked(str(path), str(error), config=True) for path in given)
        run.config_error = True
        return run
    roots = _roots(paths, cache)
    known = _known_files(roots, mode)
    with _phase(account, "discover", alone=True):
        try:
            found = discover_known(
                list(paths),
                settings=cache,
                is_excluded=_RunExcludes(cache),
                respect_gitignore=_gitignore_respected(paths, cache, first),
                force_exclude=mode.force_exclude,
                table=known,
            )
        finally:
            stop_git_ahead()  # what the walk did not take, before anything forks
    run.errors.extend(Unchecked(path, message) for path, message in found.errors)
    files = found.paths()
    if progress is not None:
        progress.start(len(files))
    checking = _Run(files, paths, overrides, mode, jobs, first, roots, known, cache, account)
    checking.workers_wait = not report_first
    for result in checking.results():
        run.files.append(result)
        if progress is not None:
            progress.advance(1)
    if checking.index_error is not None:
        from lint_wb.containment import index_failure

        run.notes.append(index_failure(checking.index_error))
        run.internal_error = True
    run.config_error |= any(result.config_error for result in run.files)
    run.internal_error |= any(result.internal_error for result in run.files)
    run.notes.extend(cache.warnings)
    return run


WORKERS_UP = "workers up"
"""The account's phase that loads the engine in this process and forks the workers (which
inherit it): in the screening when summaries start early (`ahead.py`), else before the plan."""
ENGINE_EARLY = "engine early"
"""The account's phase that loads the engine at the first kept W&B file while the forked
process screens (`_Run._load_early`); no worker starts in it. It is booked as this process's
alone only when the forked process had no file left to screen at its end."""


def workers_ended() -> None:
    """Wait for the workers of a run that reported first (`check_paths`) to have ended."""
    ending = sys.modules.get("lint_wb.workers")  # loaded by a run that started workers
    if ending is not None:
        ending.ended()


def _cheaper_constructors() -> None:
    """Make libcst's cheaper node constructors in a process of a run that will parse many
    files in each (`module_parse.CHEAPER_CONSTRUCTORS_AFTER`): otherwise each process makes
    its own after that many parses of its own, each of those through libcst's constructors
    (on the dense tree, 2 x 63 of them: about 1% of a --jobs 2 run)."""
    from lint_wb.module_parse import cheaper_constructors_now

    cheaper_constructors_now()


def _load_engine() -> None:
    """Import what the workers run (`WORKER_MODULES`), so workers forked after it inherit it."""
    for name in WORKER_MODULES:
        importlib.import_module(name)


def _phase(
    account: RunAccount | None, name: str, *, alone: bool | Callable[[], bool]
) -> AbstractContextManager[None]:
    """The account's phase `name`, or nothing when the run keeps no account."""
    return contextlib.nullcontext() if account is None else account.phase(name, alone=alone)


def index_project(
    files: Sequence[Path], cache: SettingsCache, *, use_cache: bool = True
) -> ProjectIndex:
    """What the project tells each of its files (`project/build.py`)."""
    from lint_wb.project.build import index_project as build_index

    with for_a_run():
        return build_index(files, cache, use_cache=use_cache)


def worker_count(jobs: int | None, files: int) -> int:
    """How many processes check files, the main process among them (it starts one fewer
    workers): never more than cores (`--jobs 999` on 2 cores is 2), nor than the files can
    keep busy, one per PARALLEL_THRESHOLD files."""
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, cores, files // PARALLEL_THRESHOLD + 1))


class _Run:
    """One run's files, settled by the cheapest means that can settle each.

    The main process settles most files: it reads each (or, with the cache on, knows from
    its stat what it holds: `files/known.py`), applies the prefilter, and takes what the
    result cache has. The project index comes first, from the cache when no file of the
    project changed. Otherwise the modules it summarises that the run also lints are
    summarised where they are linted, and keep their parse for the lint (`_KEPT`), so a
    module is parsed once per run; with worker processes, each lint goes to the worker that
    holds its parse. The main process is one of those workers (with `--jobs 2`, it and one
    worker process): it summarises and lints files between taking in the worker's results,
    so that the files it checks cost no transfer, and no core waits on a process that only
    passes work around. Results come in the order of `files`.
    """

    def __init__(
        self,
        files: Sequence[Path],
        paths: Sequence[Path],
        overrides: Overrides,
        mode: Mode,
        jobs: int | None,
        first: Settings,
        roots: Sequence[Path],
        known: KnownFiles | None,
        cache: SettingsCache,
        account: RunAccount | None = None,
    ) -> None:
        self.files = files
        self.paths = paths
        self.overrides = overrides
        self.mode = mode
        self.jobs = jobs
        self.first = first
        self.cache = cache
        """The settings discovery found for the run's paths: each folder's looked up once."""
        self.roots = roots
        self.known = known
        self.pool: Workers | None = None
        self.holders: dict[Path, int] = {}
        """Which worker holds the parse of a file (made for the index)."""
        self.linted_early: dict[Path, tuple[ProjectIndex, FileResult]] = {}
        """The files linted in their summary task, each with the part of the index its lint
        assumed (`_summarised_and_linted`): its result, if the index tells it just that."""
        self.here = False
        """The index was built in this process, which keeps its parses: lint here too."""
        self.read = _ReadSoFar()
        """What the screening read, for the index to scan (until it is built)."""
        self.index_error: Exception | None = None
        """Why the project index failed: the files are then linted without it."""
        self.account = account
        self.ahead: SummariesAhead | None = None
        """Summaries sent to the workers while this process screens and plans (`ahead.py`),
        made once the screening has kept enough files to parse for every worker (a warm run
        may keep none, a tree of plain OpenAI code a few: they import no workers)."""
        self.kept_before_ahead: list[tuple[Path, bytes]] = []
        """The files read and kept for a parse before `ahead` was made, in screening order."""
        self.may_go_ahead = worker_count(self.jobs, sys.maxsize) > 1
        """Whether the run may have workers at all."""
        self.apart: ForkedPart[FileResult | _KeptApart | Statements | None] | None = None
        """The forked process screening files while this one does (`_screened_all`)."""
        self.split = False
        """Whether a forked process screened a share of the files (the run's account)."""
        self.at = 0
        """The file this process screens (its position in `files`)."""
        self.engine_loaded = False
        """Whether this process loaded the engine while it screened (`_load_early`)."""
        self.guessed: dict[Path, FileResult] = {}
        """The results of kept files the forked process checked (`_Guesses`)."""
        self.workers_wait = True
        """Whether the run waits for its workers to end (`check_paths`'s `report_first`)."""
        self.many = False
        """Whether the workers were started to parse many files each (`_loaded_workers`)."""

    def _ahead(self) -> SummariesAhead:
        """What starts the workers early and sends them summaries."""
        from lint_wb.ahead import SummariesAhead

        most = worker_count(self.jobs, sys.maxsize)

        return SummariesAhead(
            start=lambda: self._loaded_workers(most),
            enough=self._enough_to_start,
            summarise=_summarise_ahead_in_worker,
            cache=self.cache,
        )

    def _enough_to_start(self, kept: int) -> bool:
        """Whether `kept` files to parse call for every worker the run may have."""
        return worker_count(self.jobs, kept) == worker_count(self.jobs, sys.maxsize)

    def _loaded_workers(self, most: int) -> Workers:
        """The workers, forked before this process loads the engine: each loads it as it
        starts (`_start_worker`) while this one goes on screening, and loads it when it first
        summarises. Loaded here before the fork, and inherited, it was loaded once, but with
        the other cores idle: on the dense tree a third of a second of CPU of a --jobs 2 run
        of 1.6 s, as much as its start and screening, the rest of its serial part. The run
        has kept at least `PARALLEL_THRESHOLD` files a process to parse: each process makes
        the cheaper node constructors before its first parse (`_cheaper_constructors`)."""
        with _phase(self.account, WORKERS_UP, alone=True):
            return self._workers(PARALLEL_THRESHOLD * most, many=True)

    def results(self) -> Iterator[FileResult]:
        if self.mode.fix and not self.mode.diff:  # what a killed `--fix` left goes on the next one
            for folder in _written_folders(self.files):
                sweep_leftovers(folder)
        try:
            # the workers may start in it (`ahead.py`): then they work while it goes on
            with _phase(self.account, "screen", alone=lambda: not self.split and self.pool is None):
                screened = self._screened_all()
            project = self._contained_index(screened)
            with _phase(self.account, "settle", alone=True):
                screened = _told(self.files, screened, project)
                screened = self._from_results(screened, project)
                screened = self._guessed(screened, project)
            with _phase(self.account, "lint", alone=self.pool is None):
                yield from _merge(screened, self._parsed(screened, project))
            if self.account is not None and self.pool is not None:
                self.account.workers = self.pool.accounts()
                ledger = self.pool.ledger
                self.account.here = (ledger.tasks, ledger.busy, ledger.busy_cpu)
                self.account.waited = ledger.waited
                self.account.ahead = self.ahead.counts if self.ahead is not None else (0, 0)
        except BaseException:  # Ctrl-C, or the caller stopped: stop the workers now, not later
            if self.pool is not None:
                self.pool.stop()
            raise
        finally:
            _KEPT.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=self.workers_wait)
        if self.known is not None:
            self.known.save()

    def _screened_all(self) -> list[FileResult | None]:
        """`_screened` of every file; in a large cold run, the files from the last one back
        in a forked process while this one screens them from the first, until they meet
        (`files/forked_part.py`): when this process stops to start the workers, the forked
        one screens more of them."""
        if not self._may_fork():
            return [self._screened(path) for path in self.files]
        from lint_wb.files.forked_part import ForkedPart

        guesses = _Guesses(self.cache, self.mode) if _Guesses.may_guess(self.mode) else None
        read = _ReadSoFar()
        screen = functools.partial(_screened_apart, self.cache, guesses, read, _Imports(self.cache))
        freeze_before_fork()
        part = ForkedPart(self.files, screen, None if guesses is None else guesses.check_lent)
        self.apart = part if part.pid is not None else None
        self.split = self.apart is not None
        try:
            screened: list[FileResult | None] = []
            for index, path in enumerate(self.files):
                if not part.claim(index):
                    break
                self.at = index
                done = self._screened(path)
                part.settle(index, lend=done is None)
                screened.append(done)
            found = part.rest(len(screened))
            self._take_lent(part.lent())
        finally:
            part.close()
            self.apart = None
        apart = self.files[len(screened) :]
        if found is None or len(found) != len(apart):  # it failed: the rest is screened here
            return screened + [self._screened(path) for path in apart]
        return screened + [self._taken(path, outcome) for path, outcome in zip(apart, found)]

    def _may_fork(self) -> bool:
        """Whether the files are screened by two processes (`_screened_all`): only in a run
        of at least SPLIT_SCREENING files that may use two processes and has no record of
        its files (a record is kept here, by the files' stat, as they are read), and only
        once the settings of every folder of them are known here (what they read and warn of
        stays this process's), none of them broken."""
        files = self.files
        if len(files) < SPLIT_SCREENING or not self.may_go_ahead or self.known is not None:
            return False
        from lint_wb.files.forked_part import can_fork

        if not can_fork():
            return False
        try:
            for settings in self._settings_of_files():
                self.cache.compiled_for(settings)
        except (ConfigError, SpecError):
            return False  # each of its files reports it: screened here, as ever
        return True

    def _settings_of_files(self) -> list[Settings]:
        """The settings of every file to screen. When every path given is a folder, each
        file was found by a walk, which resolved the settings of each folder it kept a file
        of (`_RunExcludes.of_files_in`): those, when none failed. Else (files given one by
        one, or a folder's settings broken) those of one file a folder (`_one_a_folder`),
        which raise when a file's do."""
        if not self.cache.broken and all(os.path.isdir(path) for path in self.paths):
            return self.cache.every_settings()
        return [self.cache.for_path(path) for path in _one_a_folder(self.files)]

    def _take_lent(self, lent: dict[int, object]) -> None:
        """The results of the files this process kept that the forked process checked
        (`_Guesses.check_lent`), kept aside as its own guesses are (`_guessed`)."""
        for index, guess in lent.items():
            if isinstance(guess, FileResult):
                self.guessed[self.files[index]] = guess

    def _taken(
        self, path: Path, outcome: FileResult | _KeptApart | Statements | None
    ) -> FileResult | None:
        """A file screened in the forked process (`_screened_apart`), left as `_screened`
        leaves it: kept for a parse with its bytes (and told to `ahead`), or skipped for want
        of a signal. The bytes of the files it skipped are not sent back (as much to send as
        to read again): their import statements are, which is what the project index scans
        every module for, and it reads the bytes of the few whose text it asks for. What it
        found checking a kept file is kept aside (`_guessed`)."""
        if outcome is None or isinstance(outcome, tuple):
            self.read.signal_free.add(path)
            if outcome is not None:
                self.read.statements[path] = outcome
            return FileResult(path, skipped=True)
        if isinstance(outcome, _KeptApart):
            self.read.data[path] = outcome.data
            if outcome.guess is not None:
                self.guessed[path] = outcome.guess
            if self.may_go_ahead:
                self._tell_ahead(path, outcome.data)
            return None
        return outcome

    def _guessed(
        self, screened: Sequence[FileResult | None], project: ProjectIndex
    ) -> list[FileResult | None]:
        """The files to parse that the forked process checked on the guess that the run has
        no project index (`_Guesses`), when it has none: their results are those."""
        if project or not self.guessed:
            return list(screened)
        return [
            self.guessed.get(path) if done is None else done
            for path, done in zip(self.files, screened)
        ]

    def _screened(self, path: Path) -> FileResult | None:
        """`_screen` of one file; a file read and kept for a parse is told to `ahead`."""
        done = _screen(path, self.cache, None, self.known, self.read)
        if done is None and self.may_go_ahead:
            data = self.read.data.get(path)
            if data is not None:
                self._load_early(data)
                self._tell_ahead(path, data)
        return done

    def _load_early(self, data: bytes) -> None:
        """While the files are screened in two processes, load the engine at the first file
        kept that carries a W&B host or key (`data`): this process parses such a file in any
        case, and the forked process screens the files meanwhile. Otherwise it is loaded once
        enough files are kept to start the workers (`_loaded_workers`), and the forked
        process, its part screened, waited for the workers doing nothing."""
        if self.apart is None or self.engine_loaded:
            return
        from lint_wb.project.signals import carries_wandb_signal

        if not carries_wandb_signal(data):
            return
        self.engine_loaded = True
        with _phase(self.account, ENGINE_EARLY, alone=self._screened_alone):
            try:
                _load_engine()
            except Exception:  # (the engine does not load) met again, and said, later
                return

    def _screened_alone(self) -> bool:
        """Whether the forked process has screened its part by now (`ForkedPart.has_left`):
        until then, it works while this one does something else."""
        return self.apart is None or not self.apart.has_left(self.at)

    def _tell_ahead(self, path: Path, data: bytes) -> None:
        """Tell `ahead` of a file kept for a parse. It is made (loading the workers' module)
        only when the files kept so far are enough to start the workers (`SummariesAhead`
        only keeps them until then): it is then told of each of them in order, as if it had
        been there from the first."""
        if self.ahead is not None:
            self.ahead.screened(path, data)
            return
        self.kept_before_ahead.append((path, data))
        if self._enough_to_start(len(self.kept_before_ahead)):
            self.ahead = self._ahead()
            for kept_path, kept_data in self.kept_before_ahead:
                self.ahead.screened(kept_path, kept_data)
            self.kept_before_ahead.clear()

    def _contained_index(self, screened: Sequence[FileResult | None]) -> ProjectIndex:
        """The project index; if lint-wb fails building it, none (as for a lone file)."""
        try:
            return self._index(screened)
        except Exception as error:  # lint-wb's own bug: the files are still checked
            self.index_error = error
            self.holders = {}
            self.linted_early = {}
            return ProjectIndex()

    def _index(self, screened: Sequence[FileResult | None]) -> ProjectIndex:
        """The project index: cached, or built with the help of workers when the run needs
        them, or here."""
        project_files = _project_files(
            self.roots, self.paths, self.files, self.cache, self.first, self.known
        )
        if project_files is not self.files:
            project_files = _in_projects_of(self.files, project_files, self.cache)
        key = None
        if self.known is not None:
            key = _index_key(project_files, self.cache, self.known)
            cached = self.known.index(key)
            if isinstance(cached, ProjectIndex):
                self.read.clear()
                if self.ahead is not None:
                    self.ahead.drop()
                return cached
        to_parse = [path for path, done in zip(self.files, screened) if done is None]
        # what the run may lint: the files to parse, and those the index may tell something
        linted = [path for path, done in zip(self.files, screened) if done is None or done.skipped]
        parallel = worker_count(self.jobs, len(to_parse)) > 1
        if parallel:  # started now, the workers load the engine while the index is planned
            pool = self._started_workers(len(to_parse))
        if self.ahead is not None:
            self.ahead.before_plan()
        with _phase(self.account, "plan", alone=self.pool is None):
            plan = self._plan(_as_paths(project_files))
        self.read.clear()
        if parallel:
            if self.many:  # as the workers did when they started
                _cheaper_constructors()
            with _phase(self.account, "summaries", alone=False):
                summarised = _summarise_in(pool, plan, linted, self.ahead, self.cache, self.mode)
                self.holders, self.linted_early = summarised
            with _phase(self.account, "index", alone=True):
                project = ProjectIndex() if plan is None else plan.index()
        else:
            self.here = True
            with _phase(self.account, "index", alone=True):
                project = _index_here(plan, linted)
        if self.known is not None and key is not None:
            self.known.keep_index(key, project)
        return project

    def _plan(self, files: list[Path]) -> IndexPlan | IndexPlans | None:
        """`plan_index` of the project's files; None, without loading the index's machinery,
        when none of them can be a root (`signals.no_root_among`: most trees)."""
        from lint_wb.project.signals import no_root_among

        read, signal_free = self.read.data, self.read.signal_free
        skipped = (
            {} if self.known is None else _known_skipped(files, self.cache, self.known, self.read)
        )
        if skipped:
            signal_free = signal_free | skipped.keys()
        if no_root_among(files, self.cache, read, signal_free):
            return None
        from lint_wb.project.build import plan_index  # the index's machinery: only when built

        statements = _statements_of(self.read.statements, skipped, self.known)
        use_cache = self.mode.results_cache is not None
        return plan_index(
            files,
            self.cache,
            use_cache=use_cache,
            read=read,
            signal_free=signal_free,
            scopes=self.roots,
            statements=statements,
        )

    def _started_workers(self, files: int) -> Workers:
        """The workers: forked now, unless they were while the files were screened."""
        if self.pool is not None:
            return self.pool
        with _phase(self.account, WORKERS_UP, alone=True):
            return self._workers(files)

    def _workers(self, files: int, *, many: bool = False) -> Workers:
        """The workers (`_start_worker`; `many`: they will parse many files each)."""
        if self.pool is None:
            from lint_wb.workers import Workers  # a run that parses nothing starts none

            count = worker_count(self.jobs, files) - 1  # this process works too
            setup = (self.overrides, self.mode, os.getpid(), many)
            self.pool = Workers(count, _start_worker, setup)
            self.many = many
        return self.pool

    def _from_results(
        self, screened: Sequence[FileResult | None], project: ProjectIndex
    ) -> list[FileResult | None]:
        """The files to parse whose findings the result cache has, known by their stat."""
        results = self.mode.results_cache
        if results is None or self.known is None or self.mode.fix or self.mode.diff:
            return list(screened)
        settled: list[FileResult | None] = []
        for path, done in zip(self.files, screened):
            if done is None:
                done = _cached_result(path, self.cache, results, self.known, project)
            settled.append(done)
        return settled

    def _parsed(
        self, screened: Sequence[FileResult | None], project: ProjectIndex
    ) -> Iterator[FileResult]:
        to_parse = [path for path, done in zip(self.files, screened) if done is None]
        if self.here or (self.pool is None and worker_count(self.jobs, len(to_parse)) <= 1):
            return _checked_in_batches(to_parse, self.cache, self.mode, project)
        pool = self._workers(len(to_parse))
        early = self._taken_early(to_parse, project)
        rest = [path for path in to_parse if path not in early]
        # a file linted early keeps no parse: its lint again may go anywhere
        pinned = [None if path in self.linted_early else self.holders.get(path) for path in rest]
        tasks = [_FileTask(path, project.part(path)) for path in rest]
        here = _here(self._check_here)
        outcomes = pool.run(_check_in_worker, tasks, pinned, _sizes(rest), here)
        return _with_early(to_parse, early, _results(rest, outcomes))

    def _taken_early(self, paths: Sequence[Path], project: ProjectIndex) -> dict[Path, FileResult]:
        """The results of the files linted in their summary task whose lint assumed the part
        of the index it tells them now: each is the result their lint now would give (the
        same file's bytes, settings and part of the index, in either process)."""
        taken: dict[Path, FileResult] = {}
        for path in paths:
            found = self.linted_early.get(path)
            if found is not None and found[0] == project.part(path):
                taken[path] = found[1]
        return taken

    def _check_here(self, task: _FileTask) -> FileResult:
        """A worker's task, run in this process: with what the index tells that file only."""
        return check_file(task.path, self.cache, self.mode, task.project)


def _known_skipped(
    files: Sequence[Path], cache: SettingsCache, known: KnownFiles, read: _ReadSoFar
) -> dict[Path, StatKey]:
    """The project's modules the run did not screen whose record (by their stat) says the
    prefilter skips them, each with its stat: signal-free, as if screened, so that the
    plan neither reads nor scans them for a root, and takes their import statements from
    the cache (`known_imports.py`). A pre-commit run lints a few files of a project whose
    others the last run saw. A notebook is left to the plan (its cells are read out of
    JSON escapes the prefilter saw as written)."""
    skipped: dict[Path, StatKey] = {}
    screened, free, given = read.data, read.signal_free, read.statements
    for path in files:
        name = os.fspath(path)
        if not name.endswith(".py") or not _indexed(name):
            continue
        if path in screened or path in free or path in given:
            continue
        try:
            prefilter = cache.screen_of(cache.for_path(name))[0]
        except (ConfigError, SpecError):
            continue
        stat = known.skipped_by(name, prefilter)
        if stat is not None:
            skipped[path] = stat
    return skipped


def _statements_of(
    given: Mapping[Path, Statements], skipped: Mapping[Path, StatKey], known: KnownFiles | None
) -> Mapping[Path, Statements]:
    """The import statements of the signal-free modules the plan is not to read: those the
    forked screening gave, and those of `skipped` (`_known_skipped`) from the cache."""
    if not skipped or known is None:
        return given
    from lint_wb.files.known_imports import SkippedStatements
    from lint_wb.project.build import import_statements

    return SkippedStatements(given, skipped, known.imports, import_statements)


def _one_a_folder(files: Sequence[Path]) -> list[Path]:
    """A file of each folder of `files` (a file's settings are its folder's), and each file
    without a suffix (`SettingsCache.for_path` takes such a path for a folder)."""
    seen: set[str] = set()
    chosen = []
    separator, other = os.sep, os.altsep
    for path in files:  # (one pass, without `os.path.split`: a run's files are thousands)
        name = os.fspath(path)
        cut = name.rfind(separator) if other is None else max(map(name.rfind, (separator, other)))
        dot = name.rfind(".")
        if cut + 1 < dot < len(name) - 1:  # the name after the folder has a suffix
            folder = name[: cut + 1]
            if folder in seen:
                continue
            seen.add(folder)
        chosen.append(path)
    return chosen


def _written_folders(files: Sequence[Path]) -> list[Path]:
    """The folders a fix of `files` writes into: a symlinked file's target is replaced in
    the target's folder (`files.write_atomic`), so that folder holds its temporary files."""
    folders = {path.parent for path in files}
    folders |= {Path(os.path.realpath(path)).parent for path in files}
    return sorted(folders)


def _index_here(plan: IndexPlan | IndexPlans | None, linted: Sequence[Path]) -> ProjectIndex:
    """The index, built in this process; the parses of the files to lint are kept.

    Built whole on the deep-stack thread: each module's parse and summary run there
    (`store.summarize_source`), and handing each of them over from this thread cost two
    thread switches a module (about 30 microseconds of CPU each, more wall time on a
    loaded machine); from inside, `on_deep_stack` runs them directly."""
    if plan is None:
        return ProjectIndex()
    to_parse = 0
    for part in plan.parts:
        modules = {part.module_of(path) for path in linted if path.suffix == ".py"}
        part.store.keep = frozenset(module for module in modules if module is not None)
        part.store.keep_parse = _kept_parses(part.project.paths)
        part.store.keep_read = _kept_reads(part.project.paths)
        if part.store.folder is None:  # no summary cache: each module the run lints is parsed
            to_parse += len(part.store.keep)
    if to_parse:
        from lint_wb.module_parse import expect_parses

        expect_parses(to_parse)
    from lint_wb.containment import on_deep_stack

    return on_deep_stack(plan.index)


def _kept_parses(
    paths: Mapping[str, Path],
) -> Callable[[str, ParsedModule, SourceFile | None], None]:
    """What keeps a parse the index makes of a module, by its file (`paths`), for its lint."""
    return lambda module, parsed, source: _KEPT.keep(paths[module], parsed, source)


def _kept_reads(paths: Mapping[str, Path]) -> Callable[[str, ReadModule, SourceFile | None], None]:
    """What keeps the read of a module the index's first look found nothing in, for its lint."""
    return lambda module, read, source: _KEPT.keep(paths[module], read, source)


def _summarise_in(
    pool: Workers,
    plan: IndexPlan | IndexPlans | None,
    linted: Sequence[Path],
    ahead: SummariesAhead | None,
    cache: SettingsCache,
    mode: Mode,
) -> tuple[dict[Path, int], dict[Path, tuple[ProjectIndex, FileResult]]]:
    """Summarise the index's modules that the run lints in the workers, those sent `ahead`
    that the plan confirms taken from there. Which worker holds each one's parse, and the
    modules linted in their summary task (`_summarised_and_linted`): each one's result, with
    the part of the index its lint assumed."""
    if plan is None:
        if ahead is not None:
            ahead.drop()
        return {}, {}
    jobs = plan.summary_jobs(linted)
    early = ahead.taken(jobs) if ahead is not None else {}
    rest = [job for index, job in enumerate(jobs) if index not in early]
    # what a job sent ahead that looked first made is what the plan's job makes (`ahead._same`)
    whole = [jobs[index] for index in early if jobs[index].look is None]
    tasks = [_SummaryTask(job, _assumed_part(plan, job, whole, mode)) for job in rest]
    holders: dict[Path, int] = {}
    linted_early: dict[Path, tuple[ProjectIndex, FileResult]] = {}
    costs = [len(job.data) for job in rest]
    here = _here(functools.partial(_summarised_and_linted, cache=cache, mode=mode))
    with paused():  # the summaries are data for the rest of the run (collector.py)
        # this process works on the rest first, the workers' jobs sent ahead done meanwhile
        run = pool.run(_summarise_and_lint_in_worker, tasks, costs=costs, here=here)
        made = zip(tasks, [_unpacked(outcome) for outcome in run])
        for index, job in enumerate(jobs):
            if index in early:
                worker, error, value, result = _sent_ahead(pool, early[index])
                if result is not None:
                    linted_early[job.path] = (ASSUMED_AHEAD, result)
            else:
                task, (worker, error, value, result) = next(made)
                if result is not None and task.assumed is not None:
                    linted_early[job.path] = (task.assumed, result)
            if error is not None:  # a summary missing: the index would be wrong
                raise error
            plan.provide(job, value)
            holders[job.path] = worker
    return holders, linted_early


def _sent_ahead(
    pool: Workers, outcome: Callable[[], Outcome[tuple[Made, FileResult | None]]]
) -> _Unpacked:
    """The outcome of a summary job sent ahead (`ahead.py`), with its lint when it was
    linted in its task (`_summarise_ahead_in_worker`)."""
    return _unpacked(_waited(pool, outcome))


def _unpacked(outcome: Outcome[tuple[Made, FileResult | None]]) -> _Unpacked:
    value, result = outcome.value if outcome.value is not None else (None, None)
    return outcome.worker, outcome.error, value, result


def _assumed_part(
    plan: IndexPlan | IndexPlans, job: SummaryJob, whole: Sequence[SummaryJob], mode: Mode
) -> ProjectIndex | None:
    """What a lint run in the summary task of `job` assumes the index tells its module:
    nothing, in a project whose index likely tells some module something or likely none
    (`IndexPlan.likely_holds`; `whole`: the jobs summarised whole, sent ahead). None: not
    linted there (a fix writes, and in order; a job that does not look first never stands
    alone)."""
    if mode.fix or mode.diff or job.look is None:
        return None
    return ProjectIndex(part_of_one=plan.likely_holds(job, whole))


def _waited(pool: Workers, outcome: Callable[[], _R]) -> _R:
    """`outcome()`, a result sent ahead to a worker, the time it makes this process wait
    noted in the pool's ledger."""
    with pool.waiting():
        return outcome()


def _here(task: Callable[[_T], _R]) -> Callable[[_T], _R]:
    """`task`, as this process runs it among the workers: it keeps the parses it makes, and
    collects garbage while it runs (`collector.collecting`). It runs whole on the deep-stack
    thread, handed over once: a summary's parse and its walk are not handed over one by one
    (two thread switches each, as in a worker's batch: `workers._run_batch`)."""
    from lint_wb.containment import on_deep_stack

    def run(item: _T) -> _R:
        with collecting():
            return on_deep_stack(lambda: task(item))

    return run


_T = TypeVar("_T")
_R = TypeVar("_R")


def _sizes(paths: Sequence[Path]) -> list[int]:
    """The size of each file (0 when it cannot be known): what a worker's task costs."""
    sizes = []
    for path in paths:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(0)
    return sizes


def _screened_apart(
    cache: SettingsCache,
    guesses: _Guesses | None,
    read: _ReadSoFar,
    imports: _Imports,
    path: Path,
) -> FileResult | _KeptApart | Statements | None:
    """`_screen` of a file in the forked process, as `_Run._taken` takes it back: for a
    file skipped for want of a W&B signal, None or its import statements (`imports`), its
    bytes for a file kept for a parse (with its result when `guesses` checks it), else its
    result (why it cannot be read or checked). `read` holds what was read of it (emptied
    first: one for all the files)."""
    read.clear()  # (one for every file: it holds what the screening read of the last)
    done = _screen(path, cache, None, None, read)
    if done is None:
        data = read.data[path]
        imports.kept(path, data)
        return _KeptApart(data, guesses.check(path, data) if guesses is not None else None)
    if done.skipped and path in read.signal_free:
        skipped = read.data.get(path)
        return None if skipped is None else imports.of(path, skipped)
    return done


Statements = tuple[bytes, ...]
"""The import statements of a module the forked screening skipped (`build.import_statements`)."""


class _Imports:
    """In the forked process: the import statements of the modules it skips, which the
    project index scans every module for (their bytes are not sent back: as much to send as
    to read again), once it has kept a module that may target W&B (a root of the index).
    Before that none: a tree with no root (most; the openai SDK's source) has no index, and
    the scan would cost the forked part 15 ms of its 1,792 files; the main process reads
    and scans the modules skipped before it, as it does those it screened itself."""

    def __init__(self, cache: SettingsCache) -> None:
        self.cache = cache
        self.rooted = False

    def kept(self, path: Path, data: bytes) -> None:
        """A file kept for a parse: is it a root (as `build.plan_index` finds roots)?"""
        if self.rooted:
            return
        from lint_wb.project.signals import carries_wandb_signal, may_target_wandb, screening_of

        try:
            settings = self.cache.for_path(path)
        except ConfigError:  # (its bytes alone, as the plan reads such a file)
            self.rooted = carries_wandb_signal(data)
            return
        self.rooted = may_target_wandb(data, settings, screening_of(self.cache, settings))

    def of(self, path: Path, data: bytes) -> Statements | None:
        """The import statements of a module skipped (None before a root, or not a module)."""
        if not self.rooted or not path.name.endswith(".py"):
            return None
        from lint_wb.project.build import import_statements  # (its module: once a fork)

        return tuple(import_statements(data))


@dataclass(frozen=True, eq=False)
class _KeptApart:
    """A file the forked process kept for a parse: its bytes, and its result when it was
    checked there (`_Guesses`)."""

    data: bytes
    guess: FileResult | None


GUESSES = 8
"""At most this many kept files are checked in the forked process (`_Guesses`)."""


class _Guesses:
    """In the forked process: the files it keeps are checked there as well, on the guess
    that the run has no project index (none of its modules can target W&B: a tree of plain
    OpenAI code, where a few files mention `wandb`). The main process takes such a result
    only when the index is indeed empty (`_Run._guessed`): a file is then checked as a lone
    file is, and its result is the one this process would give. The files the main process
    keeps are lent to the forked one (`ForkedPart.settle`), which checks them the same way,
    between its own files (`check_lent`). So a tree that keeps a few files has them checked
    on the second core while this one screens, and the main process loads no engine.

    The guess stops at the first kept file that may target W&B (a root of the index: then
    the index is likely not empty) and after GUESSES files (more call for workers, which
    check them in parallel anyway): a wrong guess costs that time, never a finding."""

    def __init__(self, cache: SettingsCache, mode: Mode) -> None:
        self.cache = cache
        self.mode = mode
        self.left = GUESSES

    @staticmethod
    def may_guess(mode: Mode) -> bool:
        """Only a run that lints: a fix writes, and a cached result is the cache's."""
        return not (mode.fix or mode.diff) and mode.results_cache is None

    def check(self, path: Path, data: bytes) -> FileResult | None:
        """The result of a kept file checked with no project index, or None (not guessed)."""
        if self.left <= 0 or path.suffix != ".py":
            return None
        # what makes a root of the index
        from lint_wb.project.signals import may_target_wandb, screening_of

        try:
            settings = self.cache.for_path(path)
        except ConfigError:
            return None
        if may_target_wandb(data, settings, screening_of(self.cache, settings)):
            self.left = 0
            return None
        quick = self._fact_free(path, data, settings)
        if quick is not None:  # (as cheap as its compile: not counted)
            return quick
        self.left -= 1
        result = check_file(path, self.cache, self.mode)
        return None if result.internal_error else result

    def _fact_free(self, path: Path, data: bytes, settings: Settings) -> FileResult | None:
        """The result of a file in which nothing can be reported, without the engine
        (`fact_free.py`); None when the engine is to check it."""
        from lint_wb.fact_free import fact_free_result

        try:
            spec = self.cache.compiled_for(settings)
        except SpecError:
            return None
        return fact_free_result(path, data, settings, spec)

    def check_lent(self, path: Path) -> FileResult | None:
        """`check` of a file the main process kept and lent (`ForkedPart.settle`), read here."""
        if self.left <= 0:
            return None
        raw = read_raw(path)
        return None if isinstance(raw, ReadError) else self.check(path, raw.data)


def _told(
    files: Sequence[Path], screened: Sequence[FileResult | None], project: ProjectIndex
) -> list[FileResult | None]:
    """The prefilter's skips, except the files the index tells something (a module of
    constants whose model ID a request elsewhere sends): those are parsed too."""
    if not project:
        return list(screened)
    return [
        None if done is not None and done.skipped and project.tells(path) else done
        for path, done in zip(files, screened)
    ]


def _results(
    to_parse: Sequence[Path], outcomes: Iterator[Outcome[FileResult]]
) -> Iterator[FileResult]:
    """The workers' results; a worker that dies (crash, kill) makes its files WB900. The
    findings are data for the report (collector.py)."""
    from lint_wb.containment import internal_error

    with paused():
        for path, outcome in zip(to_parse, outcomes):
            if outcome.value is not None:
                yield outcome.value
            else:
                error = outcome.error or RuntimeError("no result")
                yield FileResult(path, (internal_error(str(path), error),), internal_error=True)


def _with_early(
    paths: Sequence[Path], early: Mapping[Path, FileResult], rest: Iterator[FileResult]
) -> Iterator[FileResult]:
    """The result of each of `paths`: those linted early, the rest's in their places."""
    for path in paths:
        found = early.get(path)
        yield found if found is not None else next(rest)


def _checked_in_batches(
    paths: Sequence[Path], cache: SettingsCache, mode: Mode, project: ProjectIndex
) -> Iterator[FileResult]:
    """`check_file` of each path, `DEEP_BATCH` files a job on the deep-stack thread: handing
    each file over from this thread cost two thread switches a file (as the index's modules
    did, `_index_here`); from inside, `check_file` runs them directly. A batch is small, so
    results still come as the run goes and Ctrl-C leaves little work running."""
    from lint_wb.containment import on_deep_stack

    for start in range(0, len(paths), DEEP_BATCH):
        batch = paths[start : start + DEEP_BATCH]
        yield from on_deep_stack(functools.partial(_check_files, batch, cache, mode, project))


DEEP_BATCH = 16
"""Files linted in one job on the deep-stack thread (`_checked_in_batches`)."""


def _check_files(
    paths: Sequence[Path], cache: SettingsCache, mode: Mode, project: ProjectIndex
) -> list[FileResult]:
    return [check_file(path, cache, mode, project) for path in paths]


def _merge(
    screened: Sequence[FileResult | None], parsed: Iterator[FileResult]
) -> Iterator[FileResult]:
    """The screened results with the parsed ones in the places they left."""
    for done in screened:
        yield done if done is not None else next(parsed)


class _KeptParses:
    """Parses made for the project index, kept for the lint of the same text, up to
    `KEEP_CHARACTERS` of source a process (libcst's tree takes about 65 bytes a character).
    Past the first `KEEP_AST_CHARACTERS`, a parse is kept without its `ast` (about 19 bytes
    a character more): the lint reads it again only to place what it reports
    (`positions.py`), which on a big project few kept modules do; a small run (the dense
    tree: 1.3 M characters, every file reporting) keeps every `ast`. The read of a module
    the index's first look found nothing in (`ReadModule`) is its `ast`: kept only within
    `KEEP_AST_CHARACTERS`."""

    def __init__(self) -> None:
        self._kept: dict[str, ParsedModule | ReadModule] = {}
        self._sources: dict[str, SourceFile] = {}
        """The decoded file each parse (or read) was made from, when the index had it."""
        self._size = 0

    def keep(
        self, path: Path, parsed: ParsedModule | ReadModule, source: SourceFile | None = None
    ) -> None:
        key = str(path.absolute())
        earlier = self._kept.pop(key, None)  # a module the index reads whole after all
        self._sources.pop(key, None)
        self._size -= 0 if earlier is None else len(earlier.text)
        if self._kept and self._size + len(parsed.text) > KEEP_CHARACTERS:
            return
        if self._size + len(parsed.text) > KEEP_AST_CHARACTERS:
            from lint_wb.module_parse import ReadModule  # (loaded: it made `parsed`)

            if isinstance(parsed, ReadModule):  # nothing to keep without its `ast`
                return
            parsed = replace(parsed, partial=replace(parsed.partial, tree=None))
        self._kept[key] = parsed
        if source is not None:
            self._sources[key] = source
        self._size += len(parsed.text)

    def source(self, path: Path) -> SourceFile | None:
        """The decoded file the kept parse (or read) of `path` was made from, if the index
        had it: the bytes the run screened, so its lint reads and decodes the file no more."""
        return self._sources.pop(str(path.absolute()), None)

    def take(self, path: Path, text: str) -> ParsedModule | ReadModule | None:
        """The kept parse (or read) of `path` if it was made from exactly `text` (once)."""
        key = str(path.absolute())
        self._sources.pop(key, None)
        kept = self._kept.pop(key, None)
        if kept is None:
            return None
        self._size -= len(kept.text)
        return kept if kept.text == text else None

    def clear(self) -> None:
        self._kept.clear()
        self._sources.clear()
        self._size = 0


KEEP_CHARACTERS = 4_000_000
KEEP_AST_CHARACTERS = 1_500_000
_KEPT = _KeptParses()
_WORKER_SETUP: list[tuple[SettingsCache, Mode]] = []


def _start_worker(overrides: Overrides, mode: Mode, parent: int, many: bool = False) -> None:
    """Keep the run's setup in a worker; settings are read once per folder per worker. The
    worker leaves Ctrl-C to the parent and dies with it (`workers.py`). It loads what its
    tasks need as it starts (libcst, the analysis, the rules), while the main process screens
    or plans the index, rather than in its first task; with `many` (it will parse many
    files), the cheaper node constructors too."""
    from lint_wb.workers import worker_started

    worker_started(parent)
    pace_for_a_run()
    _WORKER_SETUP.append((SettingsCache(overrides), mode))
    _load_engine()
    if many:
        _cheaper_constructors()


WORKER_MODULES = (
    "libcst",
    "lint_wb.engine",
    "lint_wb.positions",
    "lint_wb.noqa.apply",
    "lint_wb.rules.registry",
    "lint_wb.project.store",
    "lint_wb.project.summarize",
)
"""What a worker's tasks load: summarising a module and linting it (libcst, `positions`, the
rules and `noqa.apply` named on their own: the engine loads them only when it parses)."""


def _summarise_in_worker(job: SummaryJob) -> ModuleSummary | Inert | Alone | None:
    made = job.run()
    if made.read is not None:  # its first look found nothing (`IndexPlan.provide`)
        from lint_wb.project.store import Inert

        _KEPT.keep(job.path, made.read, made.source)
        return Inert()
    if made.parsed is not None:
        _KEPT.keep(job.path, made.parsed, made.source)
    if made.alone:  # it stands alone: no summary (`IndexPlan.provide`)
        from lint_wb.project.store import Alone

        return Alone()
    return made.summary


ASSUMED_AHEAD = ProjectIndex()
"""What the lint of a module summarised ahead of the plan assumes the index tells it: nothing,
in a project whose index tells no module anything (each module stands alone or finds
nothing: the dense tree). Its result is kept only where the index tells it that
(`_Run._taken_early`)."""


def _summarise_ahead_in_worker(job: SummaryJob) -> tuple[Made, FileResult | None]:
    """A summary job sent ahead of the plan (`ahead.py`); linted in the same task when it
    looks first (`EarlyJobs`: a module most likely alone in a project whose index is likely
    empty, as `_assumed_part` would have it: `ASSUMED_AHEAD`), and the run neither fixes nor
    shows a diff (a fix writes, and in order)."""
    cache, mode = _WORKER_SETUP[-1]
    lint = job.look is not None and not mode.fix and not mode.diff
    task = _SummaryTask(job, ASSUMED_AHEAD if lint else None)
    return _summarised_and_linted(task, cache, mode)


@dataclass(frozen=True, eq=False)  # never compared
class _SummaryTask:
    """A summary job for a worker, and the part of the index the lint of its module assumes
    when it is linted in the same task (`_summarised_and_linted`); None: it is not."""

    job: SummaryJob
    assumed: ProjectIndex | None = None


def _summarise_and_lint_in_worker(task: _SummaryTask) -> tuple[Made, FileResult | None]:
    cache, mode = _WORKER_SETUP[-1]
    return _summarised_and_linted(task, cache, mode)


def _summarised_and_linted(
    task: _SummaryTask, cache: SettingsCache, mode: Mode
) -> tuple[Made, FileResult | None]:
    """The summary job's outcome; and when the module has no summary (it stands alone, or
    its first look found nothing: `IndexPlan.provide`), its lint with what `task.assumed`
    says the index tells it, made now from the parse (or read) just made. The run takes that
    result where the index tells the module just that (`_Run._taken_early`), and saves the
    lint's own task: its round trip, and the wait for every summary before it (on the dense
    tree every module stands alone, and the index tells none of them anything)."""
    from lint_wb.project.store import Alone, Inert  # (loaded: the job made `made`)

    made = _summarise_in_worker(task.job)
    if task.assumed is None or not isinstance(made, (Alone, Inert)):
        return made, None
    return made, check_file(task.job.path, cache, mode, task.assumed)


@dataclass(frozen=True, eq=False)  # never compared (each generated method costs start-up)
class _FileTask:
    """A file for a worker to check, with what the project index tells it (only that: the
    whole index is not sent, and no worker waits for it)."""

    path: Path
    project: ProjectIndex


def _check_in_worker(task: _FileTask) -> FileResult:
    cache, mode = _WORKER_SETUP[-1]
    return check_file(task.path, cache, mode, task.project)


def _roots(paths: Sequence[Path], cache: SettingsCache) -> list[Path]:
    """What the index is built from: the project roots of the paths, or the paths themselves
    outside any project (`root.index_scope`); the current folder's when none is given. The
    paths' folders above are looked in once, not once a path, and once for the run."""
    named = paths if paths else [Path.cwd()]
    return sorted({index_scope(path, cache.project_roots) for path in named})


def _project_files(
    roots: Sequence[Path],
    paths: Sequence[Path],
    files: Sequence[Path],
    cache: SettingsCache,
    first: Settings,
    known: KnownFiles | None,
) -> Sequence[Path | str]:
    """The files of the projects the paths belong to: the index is built from each project's
    root, so that linting a few files reports for them what linting the whole project does.
    A path in no project is its own scope: nothing around it is read. Files a kept walk
    gives stay names (`walk_record.Walked`)."""
    given = {path.absolute() for path in paths}
    if all(root in given for root in roots):
        return files  # the run already walks every root
    return discover_known(
        list(roots),
        settings=cache,
        is_excluded=_RunExcludes(cache),
        respect_gitignore=_gitignore_respected(roots, cache, first),
        force_exclude=False,
        table=known,
    ).files


def _in_projects_of(
    linted: Sequence[Path], files: Sequence[Path | str], cache: SettingsCache
) -> Sequence[Path | str]:
    """The `files` that lie in a project one of `linted` lies in (SPEC §2: the nearer of the
    folder of its configuration file and its version-control root; None: in none). Each
    project's index is its own, made as a run given that project alone makes it
    (`build.plan_index`): a run that lints a few files of a checkout that holds several
    projects (a monorepo, lint-wb's own fixture projects) plans and keys only theirs."""
    cwd = os.getcwd()
    of_folder: dict[str, str | None] = {}
    """A folder as the files name it -> its project (a project's files are those of some
    folders: thousands of files, hundreds of folders)."""

    def root(path: Path | str) -> str | None:
        folder = os.path.dirname(os.fspath(path))
        found = of_folder.get(folder, "")
        if found == "":
            name = os.path.join(cwd, folder, "_")  # a file there (a root is never "")
            found = of_folder[folder] = cache.project_root(name)
        return found

    wanted = {root(path) for path in linted}
    return [path for path in files if root(path) in wanted]


def _gitignore_respected(
    paths: Sequence[Path], cache: SettingsCache, first: Settings
) -> list[bool]:
    """Whether each folder named is walked respecting `.gitignore`, as the settings in force
    there say (those of the first path where they cannot be read: its files report why)."""
    respected = []
    for path in paths:
        try:
            respected.append(cache.for_path(path).respect_gitignore)
        except ConfigError:
            respected.append(first.respect_gitignore)
    return respected


def _as_paths(files: Sequence[Path | str]) -> list[Path]:
    return [file if isinstance(file, Path) else Path(file) for file in files]


def _known_files(roots: Sequence[Path], mode: Mode) -> KnownFiles | None:
    """What the files held when last read, when the cache is on (`--no-cache` reads all)."""
    if mode.results_cache is None:
        return None
    return KnownFiles(roots, mode.results_cache.folder / "files", mode.results_cache.code)


def _index_key(
    project_files: Sequence[Path | str],
    cache: SettingsCache,
    known: KnownFiles,
    buffer: tuple[Path, bytes] | None = None,
) -> str:
    """What the index is made from: every project file's path, bytes and settings, and
    lint-wb's code. Unchanged files are known by their stat, not read. `buffer`: a file
    whose bytes are these (an editor's text on stdin), not those on disk.

    A warm pre-commit run asks this of every file of the checkout: when each file's stat and
    each folder's setup are those the last key of these files was made from (its witness),
    the key is that one; else the loop is kept to plain look-ups, and the text is hashed
    once."""
    names = sorted([path for path in map(str, project_files) if _indexed(path)])
    files = files_digest(names)
    if buffer is None:
        witnessed = _witnessed_key(names, known.witness(files), cache, known)
        if witnessed is not None:
            return witnessed
    buffered = None if buffer is None else os.path.abspath(buffer[0])
    setups: dict[int, str] = {}
    in_folder: dict[str, str] = {}
    """A folder -> the setup of its files (a file's settings are its folder's)."""
    code = code_fingerprint()
    parts = [f"{code}\0"]
    stats: list[StatKey] = []
    """Each file's stat while every hash comes from a record (the key's witness)."""
    witnessed_setups: list[tuple[str, str]] = []
    for path in names:
        name, stat, found = known.lookup(path)
        if buffer is not None and name == buffered:
            content = content_digest(buffer[1])
        else:
            if found is None:
                content, found = _digest_read(path, stat, known, cache)
            else:
                content = found.digest
            if found is not None:  # the record's own stat: the table pickles it once for both
                stats.append(found.stat)
        folder = name.rpartition(os.sep)[0]
        setup = in_folder.get(folder)
        if setup is None:
            setup = in_folder[folder] = _setup_key(path, cache, setups)
            witnessed_setups.append((path, setup))
        parts.append(f"{name}\0{content}\0{setup}\0")
    key = hex_digest("".join(parts).encode("utf-8", "surrogateescape"))  # names may not be UTF-8
    if buffer is None and len(stats) == len(names):  # every hash from a record
        known.keep_witness(files, KeyWitness(code, tuple(stats), tuple(witnessed_setups), key))
    return key


def _witnessed_key(
    names: Sequence[str], witness: KeyWitness | None, cache: SettingsCache, known: KnownFiles
) -> str | None:
    """The key `witness` was made for, if it holds: lint-wb's code, each file's stat (so its
    record, hence its hash, is still the one the key was made from: `KnownFiles.lookup`) and
    each folder's setup are the same. None when anything differs."""
    if witness is None or witness.code != code_fingerprint() or len(witness.stats) != len(names):
        return None
    if known.stats(names) != witness.stats:
        return None
    setups: dict[int, str] = {}
    if any(_setup_key(path, cache, setups) != setup for path, setup in witness.setups):
        return None
    return witness.key


def _setup_key(path: Path | str, cache: SettingsCache, setups: dict[int, str]) -> str:
    """What of a file's settings the index reads (`build._setups`), and the project the
    file lies in (each project has an index of its own: `build.plan_index`)."""
    try:
        settings = cache.for_path(path)
        if id(settings) not in setups:
            spec_key = cache.compiled_for(settings).key
            read = f"{settings.assume_wandb}{settings.extra_base_urls}"
            setups[id(settings)] = read + spec_key
        project = cache.project_root(path)
    except (ConfigError, SpecError):
        return "error"
    return f"{setups[id(settings)]}\0{project}"


def _indexed(path: str) -> bool:
    """Whether `Path(path).suffix` is `.py` or `.ipynb` (a file the index reads), without
    making the Path: the name before the suffix is not empty."""
    if path.endswith(".py"):
        before = len(path) - 4
    elif path.endswith(".ipynb"):
        before = len(path) - 7
    else:
        return False
    return before >= 0 and path[before] not in _SEPARATORS


_SEPARATORS = "/" + os.sep


def _digest_read(
    path: Path | str, stat: StatKey | None, known: KnownFiles, cache: SettingsCache
) -> tuple[str, Known | None]:
    """The hash of the bytes of a file whose record did not vouch for them (`stat`: this
    run's stat of it, before the read), and its new record (None when it could not be
    recorded: unreadable, changed meanwhile or too recently), with the prefilter's verdict
    on a module's bytes: the next run that lints other files of the project then knows it
    signal-free without reading it (`_known_skipped`)."""
    raw = read_raw(Path(path))
    if isinstance(raw, ReadError):
        return "unreadable", None
    recorded = known.record(path, stat, raw.data)
    if recorded is None:
        return content_digest(raw.data), None
    if str(path).endswith(".py"):
        _note_verdict(path, raw.data, recorded, cache, known)
    return recorded.digest, recorded


def _note_verdict(
    path: Path | str, data: bytes, found: Known, cache: SettingsCache, known: KnownFiles
) -> None:
    """Record the prefilter's verdict on a file's bytes, as its screening would (`_screen`)."""
    try:
        prefilter, keeps_bytes = cache.screen_of(cache.for_path(path))
    except (ConfigError, SpecError):
        return
    if prefilter not in found.verdicts:
        known.note_verdict(found, prefilter, is_binary(data) or keeps_bytes(data))


def _cached_result(
    path: Path,
    cache: SettingsCache,
    results: ResultCache,
    known: KnownFiles,
    project: ProjectIndex,
) -> FileResult | None:
    """A file's findings from the result cache, when its record gives its hash: the file is
    not read."""
    found = known.get(path, known.stat(path))
    if found is None:
        return None
    try:
        settings = cache.for_path(path)
        spec_key = cache.compiled_for(settings).key
    except (ConfigError, SpecError):
        return None
    options = lint_options(path, settings)
    context = project.fingerprint_for(path)
    key = results.key_for_digest(found.digest, str(path), options, spec_key, context)
    stored = results.get(key)
    if stored is None:
        return None
    findings, suppressed = stored
    return FileResult(path, findings, suppressed=suppressed, unsafe_fixes=settings.unsafe_fixes)


class _RunExcludes(Excludes):
    """The run's excludes, each path under its folder's settings (`_excluded`)."""

    def __init__(self, cache: SettingsCache) -> None:
        self.cache = cache

    def __call__(self, path: Path) -> bool:
        return _excluded(path, self.cache)

    def of_files_in(self, folder: Path) -> Callable[[str], bool]:
        """The files of `folder` share its settings (as `SettingsCache.for_path` finds a
        file's: those of the folder it is in) and its own answer."""
        name = os.fspath(folder)
        try:
            settings = self.cache.for_path(os.path.join(name, "_.py"))
        except ConfigError:
            return lambda file: False  # reported when the file itself is checked
        excluded = files_excluded_in(name, settings)
        if settings.config_file is None:
            return excluded
        here, own_root = os.path.abspath(name), str(settings.root)
        return lambda file: (  # a path that is its settings' root: see `_excluded`
            self(folder / file) if os.path.join(here, file) == own_root else excluded(file)
        )


def _excluded(path: Path, cache: SettingsCache) -> bool:
    """Whether the file walk skips `path`. A folder with its own configuration is skipped or
    not by the settings of the folder above it (as in ruff): its own globs only see below it."""
    try:
        settings = cache.for_path(path)
        if settings.config_file is not None and os.path.abspath(path) == str(settings.root):
            settings = cache.for_path(path.absolute().parent)
        return is_excluded(path, settings)
    except ConfigError:
        return False  # reported when the file itself is checked


def check_file(
    path: Path, cache: SettingsCache, mode: Mode, project: ProjectIndex | None = None
) -> FileResult:
    """Lint (and with `mode.fix`, fix) one file; lint-wb's own failure on it is WB900."""
    return contained(path, lambda: _check_file(path, cache, mode, project))


def contained(path: Path, check: Callable[[], FileResult]) -> FileResult:
    """`check()` on the deep stack; an exception it raises becomes the file's WB900 finding."""
    from lint_wb.containment import internal_error, on_deep_stack

    try:
        return on_deep_stack(check)
    except Exception as error:
        return FileResult(path, (internal_error(str(path), error),), internal_error=True)


def _check_file(
    path: Path, cache: SettingsCache, mode: Mode, project: ProjectIndex | None
) -> FileResult:
    source = _indexed_source(path, mode)
    if source is None:
        screened = _screen(path, cache, project)
        if screened is not None:
            return screened
        raw = read_raw(path)
        if isinstance(raw, ReadError):  # gone since it was screened
            return FileResult(path, error=raw.message)
        read = decode_source(raw.data, path, mode=raw.mode)
        if not isinstance(read, SourceFile):
            return FileResult(path, error=read.message)
        source = read
    settings = cache.for_path(path)
    spec = cache.compiled_for(settings)  # loaded only if the file is analysed
    return check_source(source, settings, spec, mode, write=True, project=project)


def _indexed_source(path: Path, mode: Mode) -> SourceFile | None:
    """The decoded file the project index parsed (or read) for this lint, when it kept one:
    the run screened those bytes and kept the file to parse, and the lint checks the text
    the index read. A fix reads the file again: what it writes keeps the file's mode."""
    if mode.fix or mode.diff:
        return None
    kept = _KEPT.source(path)
    return None if kept is None else replace(kept, path=path)  # named as the run names it


def _screen(
    path: Path,
    cache: SettingsCache,
    project: ProjectIndex | None,
    known: KnownFiles | None = None,
    read: _ReadSoFar | None = None,
) -> FileResult | None:
    """The result of a file that needs no parse (a configuration or read error, or a file
    the prefilter skips), or None when the file is to be parsed. With `known`, a file whose
    stat did not change is not read: its record has the prefilter's verdict."""
    try:
        settings = cache.for_path(path)
        prefilter, keeps_bytes = cache.screen_of(settings)
    except (ConfigError, SpecError) as error:
        return FileResult(path, error=str(error), config_error=True)
    told = project.for_path(path) if project else None
    stat = known.stat(path) if known is not None else None
    found = known.get(path, stat) if known is not None else None
    if found is not None and prefilter in found.verdicts:
        keeps = found.verdicts[prefilter]
    else:
        raw = read_raw(path)
        if isinstance(raw, ReadError):
            return FileResult(path, error=raw.message)
        if read is not None:
            read.data[path] = raw.data
        # a binary file is parsed, for decode_source to report it
        keeps = is_binary(raw.data) or keeps_bytes(raw.data)
        if known is not None:
            found = found or known.record(path, stat, raw.data)
            if found is not None:
                known.note_verdict(found, prefilter, keeps)
    if read is not None and not keeps:
        read.signal_free.add(path)
    if not told and not keeps:
        return FileResult(path, skipped=True)
    return None


@dataclass
class _ReadSoFar:
    """What the screening read, for the project index's byte scans (`build.plan_index`)."""

    data: dict[Path, bytes] = field(default_factory=dict)
    """The bytes of the files read, by path."""
    signal_free: set[Path] = field(default_factory=set)
    """The files the prefilter skipped (read or known by their stat): no W&B signal."""
    statements: dict[Path, Statements] = field(default_factory=dict)
    """The import statements of signal-free modules the forked screening read, whose bytes
    are not here (`_Run._taken`)."""

    def clear(self) -> None:
        self.data.clear()
        self.signal_free.clear()
        self.statements.clear()


@dataclass(frozen=True, eq=False)  # never compared
class _Job:
    """One file's run: its source, its settings and where it sits in the project."""

    source: SourceFile
    settings: Settings
    spec: Spec | CompiledSpec
    """Compiled (`spec/compiled.py`) when the run has it so: only a file analysed loads it."""
    options: LintOptions
    where: ModuleContext | None
    project: ProjectIndex | None

    @property
    def filename(self) -> str:
        return str(self.source.path)

    @property
    def spec_key(self) -> str:
        """The spec's key (`cache.spec_key`), without loading a compiled spec."""
        return self.spec.key if isinstance(self.spec, CompiledSpec) else spec_key(self.spec)

    def lint(self, text: str) -> LintResult:
        from lint_wb.engine import lint_source  # loads libcst: only when a file is parsed
        from lint_wb.module_parse import ReadModule

        kept = self.kept(text)
        if isinstance(kept, ReadModule):
            return lint_source(
                text, self.filename, self.options, self.spec, where=self.where, read=kept.partial
            )
        return lint_source(
            text, self.filename, self.options, self.spec, where=self.where, parsed=kept
        )

    def kept_parse(self, text: str) -> ParsedModule | None:
        """The parse the project index made of this file, if it was made from `text`."""
        from lint_wb.module_parse import ReadModule

        kept = self.kept(text)
        return None if isinstance(kept, ReadModule) else kept

    def kept(self, text: str) -> ParsedModule | ReadModule | None:
        """The parse (or the first look's read) the project index made of this file, if it
        was made from `text`."""
        if self.source.path.suffix != ".py":
            return None
        return _KEPT.take(self.source.path, text)


def check_source(
    source: SourceFile,
    settings: Settings,
    spec: Spec | CompiledSpec,
    mode: Mode,
    *,
    write: bool,
    project: ProjectIndex | None = None,
) -> FileResult:
    """Lint or fix one decoded file (a module or a notebook); writes the fix back when `write`
    and `mode.fix`. Every kind of file goes the same way; only `read_module` and its
    `rewrite` know how a file holds its Python."""
    where = None
    if project is not None and project.holds(source.path):
        from lint_wb.analysis.context import ModuleContext

        told = project.for_path(source.path)
        package = told.package if told is not None else None
        if package is None:
            package = module_name_for(source.path)[1]
        where = ModuleContext(package, told)
    job = _Job(source, settings, spec, lint_options(source.path, settings), where, project)
    if mode.fix or mode.diff:
        return _fix(job, mode, write=write)
    return _lint(job, mode)


def read_module(job: _Job) -> ModuleSource | FileResult:
    """The file as one Python module, or the result for a file that is none (an unreadable
    notebook is an error, a notebook in another language is skipped)."""
    if job.source.path.suffix != ".ipynb":
        from lint_wb.module_source import PythonSource

        return PythonSource(job.source)
    from lint_wb.notebook.module import NotebookError, read_notebook_source  # loads libcst

    try:
        notebook = read_notebook_source(job.source, job.options, full_spec(job.spec))
    except NotebookError as error:
        return FileResult(job.source.path, error=str(error))
    return FileResult(job.source.path, skipped=True) if notebook is None else notebook


def _lint(job: _Job, mode: Mode) -> FileResult:
    """The findings and the number suppressed, from the result cache when it has them."""
    cache = mode.results_cache
    key = None
    if cache is not None:
        context = job.project.fingerprint_for(job.source.path) if job.project else ""
        digest = content_digest(job.source.raw)
        key = cache.key_for_digest(digest, job.filename, job.options, job.spec_key, context)
    stored = cache.get(key) if cache is not None and key is not None else None
    if stored is None:
        module = read_module(job)
        if isinstance(module, FileResult):
            return module
        linted = job.lint(module.text)
        findings = _with_read(module.read_findings, module.place(linted.findings))
        stored = (findings, len(linted.suppressed))
        if cache is not None and key is not None:
            cache.put(key, *stored)
    findings, suppressed = stored
    return FileResult(
        job.source.path, findings, suppressed=suppressed, unsafe_fixes=job.settings.unsafe_fixes
    )


def _with_read(read: tuple[Finding, ...], found: tuple[Finding, ...]) -> tuple[Finding, ...]:
    if not read:
        return found
    return tuple(sorted((*read, *found), key=lambda finding: finding.sort_key))


def _fix(job: _Job, mode: Mode, *, write: bool) -> FileResult:
    from lint_wb.fix_loop import FixOutcome, fix_source

    module = read_module(job)
    if isinstance(module, FileResult):
        return module
    outcome = fix_source(
        module.text,
        job.filename,
        job.options,
        job.spec,
        unsafe_fixes=job.settings.unsafe_fixes,
        where=job.where,
        parsed=job.kept_parse(module.text),
    )
    notes = tuple(_dropped_note(finding) for finding in module.place(outcome.dropped))
    if not outcome.converged:
        notes += (f"{job.filename}: {NOT_SETTLED}",)
    rewritten = module.rewrite(outcome.text)
    if rewritten is None:  # a fix crossed a notebook cell's boundary: apply none
        notes += (f"{job.filename}: {NOT_MAPPED}",)
        outcome = FixOutcome(module.text, (), job.lint(module.text))
        rewritten = module.rewrite(module.text)
        assert rewritten is not None  # the unchanged text always goes back
    result = FileResult(
        job.source.path,
        _with_read(module.read_findings, rewritten.place(outcome.result.findings)),
        fixed=module.place(outcome.fixed),
        suppressed=len(outcome.result.suppressed),
        diff=rewritten.diff() if mode.diff else "",
        notes=notes,
        fixed_text=rewritten.file_text,
        unsafe_fixes=job.settings.unsafe_fixes,
    )
    new_text = rewritten.file_text
    if mode.fix and not mode.diff and write and new_text != job.source.text:
        try:
            write_atomic(job.source, new_text)
        except WriteError as error:
            return not_written(result, str(error), warning=isinstance(error, ChangedSinceRead))
    return result


NOT_SETTLED = "fixes did not settle after 10 rounds; the rest were not applied"
NOT_MAPPED = "the fixes could not be mapped back to cells; nothing was fixed"


def _dropped_note(finding: Finding) -> str:
    """The line that tells the user a fix was dropped (`file:cell N:row:col: ...`)."""
    cell = "" if finding.cell is None else f"cell {finding.cell}:"
    place = f"{finding.filename}:{cell}{finding.location.row}:{finding.location.column}"
    title = finding.fix.message if finding.fix else ""
    return (
        f"{place}: dropped the fix for {finding.code} ({title}): "
        "it would break the code or add a finding"
    )


def lint_text(data: bytes, filename: str, overrides: Overrides, mode: Mode) -> FileResult:
    """Lint bytes that do not come from a file (stdin), with the settings for `filename`.

    On lint-wb's own failure the result is WB900 and has no fixed text: `--fix` then echoes
    the input unchanged (an editor must never get an empty buffer back).
    """
    path = Path(filename)
    install_kept_methods()
    with for_a_run():
        return contained(path, lambda: _lint_text(data, path, overrides, mode))


def _lint_text(data: bytes, path: Path, overrides: Overrides, mode: Mode) -> FileResult:
    source = decode_source(data, path)
    if not isinstance(source, SourceFile):
        return FileResult(path, error=source.message)
    cache = SettingsCache(overrides)
    try:
        settings = cache.for_path(path.absolute())
        spec = cache.compiled_for(settings)
    except (ConfigError, SpecError) as error:
        return FileResult(path, error=str(error), config_error=True)
    try:
        project = _stdin_index(path, data, cache, settings, mode)
        result = check_source(source, settings, spec, mode, write=False, project=project)
    finally:
        _KEPT.clear()
    return replace(result, notes=(*cache.warnings, *result.notes))


def _stdin_index(
    path: Path, data: bytes, cache: SettingsCache, first: Settings, mode: Mode
) -> ProjectIndex:
    """The index of the project `path` belongs to, as `check_paths([path])` builds it, with
    `data` (an editor's unsaved buffer) standing for the file's content on disk: text on stdin
    gets the findings the file would get linted by path (SPEC §2, subset invariance)."""
    from lint_wb.project.build import SUFFIXES, absolute_name, plan_index

    if path.suffix not in SUFFIXES:  # no --stdin-filename: no file, no project
        return ProjectIndex()
    own = Path(absolute_name(path))
    roots = [index_scope(path, cache.project_roots)]
    known = _known_files(roots, mode)
    found = _as_paths(
        _in_projects_of([own], _project_files(roots, [path], [own], cache, first, known), cache)
    )
    files = [file for file in found if absolute_name(file) != str(own)] + [own]
    key = None
    if known is not None:
        key = _index_key(files, cache, known, buffer=(own, data))
        cached = known.index(key)
        if cached is not None:  # the buffer and the project as a run before saw them
            known.save()
            return cached
    use_cache = mode.results_cache is not None
    read = _ReadSoFar(data={own: data})
    skipped = {} if known is None else _known_skipped(files, cache, known, read)
    plan = plan_index(
        files,
        cache,
        use_cache=use_cache,
        read=read.data,
        signal_free=skipped.keys(),
        scopes=roots,
        statements=_statements_of(read.statements, skipped, known),
    )
    project = _index_here(plan, [own])
    if known is not None and key is not None:
        known.keep_index(key, project)
        known.save()
    return project
