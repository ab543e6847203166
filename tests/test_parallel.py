"""How a run spends its processes: the collector's pace in the run's processes, and work
that reaches a free worker."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, ClassVar

import pytest

from lint_wb import api, workers
from lint_wb.cli.main import main
from lint_wb.collector import YOUNG_OBJECTS
from lint_wb.results import Mode, Overrides
from lint_wb.workers import IN_FLIGHT, MAX_BATCH, STEAL_COST, Workers
from tests.cli_runner import make_runner
from tests.test_projects import PROJECT_NAMES, copy_project

HEADER = "from openai import OpenAI\n"
WRONG = 'client = OpenAI(base_url="http://api.inference.wandb.ai/v1")\n'


@pytest.fixture
def default_pace() -> Iterator[tuple[int, int, int]]:
    """CPython's own pace while the test runs (an earlier CLI run may have changed it)."""
    previous = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*previous)


def young_threshold() -> int:
    return gc.get_threshold()[0]


def test_a_run_collects_at_its_own_pace_and_gives_the_default_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_pace: tuple[int, int, int]
) -> None:
    (tmp_path / "app.py").write_text(HEADER + WRONG)
    seen: list[int] = []
    screen = api._screen

    def spying(*args: object, **kwargs: object) -> object:
        seen.append(young_threshold())
        return screen(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "_screen", spying)
    run = api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=1)
    assert [finding.code for finding in run.findings] == ["WB101"]
    assert seen and min(seen) >= YOUNG_OBJECTS
    assert gc.get_threshold() == default_pace


def test_workers_collect_at_a_runs_pace(default_pace: tuple[int, int, int]) -> None:
    setup = (Overrides(isolated=True), Mode(), os.getpid())
    workers = Workers(2, api._start_worker, setup)
    try:
        seen = [outcome.value for outcome in workers.run(_young_threshold_of, [0, 1], [0, 1])]
    finally:
        workers.shutdown()
    assert seen == [YOUNG_OBJECTS, YOUNG_OBJECTS]
    assert young_threshold() == default_pace[0]


def _young_threshold_of(_: int) -> int:
    return young_threshold()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
@pytest.mark.parametrize("name", PROJECT_NAMES)
@pytest.mark.parametrize("output", [("--output-format", "json"), ("--diff", "--unsafe-fixes")])
def test_two_workers_report_what_one_process_does(
    name: str, output: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each project's files go to the main process and a worker (however few), with what the
    index tells each one: the output is byte for byte that of a run in one process."""
    root = copy_project(name, tmp_path)
    args = ["--no-cache", *output, str(root)]
    serial = make_runner().invoke(main, ["--jobs", "1", *args])
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    sent: list[int] = []
    run = Workers.run

    def counting(self: Workers, function: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(len(items))
        return run(self, function, items, *args, **kwargs)

    monkeypatch.setattr(Workers, "run", counting)
    parallel = make_runner().invoke(main, ["--jobs", "2", *args])
    assert sent, "the run used no workers"
    assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)
    assert serial.exit_code in (0, 1), serial.output


ITEMS = 12
OTHERS = ITEMS - IN_FLIGHT
"""The tasks the stalled worker was not sent: its first `IN_FLIGHT` wait in its queue."""
STALL_LIMIT = 30.0
"""Seconds the stalled task waits for the others before it gives up (the test then fails)."""


def test_a_stalled_worker_does_not_hold_up_the_files_pinned_to_it(tmp_path: Path) -> None:
    """Every file is pinned to worker 0 (it holds their parses) and worker 0 stalls on the
    first one (a busy core, a huge file): worker 1 takes the others rather than wait."""
    items = [(tmp_path, number) for number in range(ITEMS)]
    workers = Workers(2, _no_setup, ())
    try:
        outcomes = list(workers.run(_stall_on_the_first, items, [0] * len(items)))
    finally:
        workers.shutdown()
    assert outcomes[0].value is True, "the stalled task waited in vain"
    by_worker_1 = {number for number, outcome in enumerate(outcomes) if outcome.worker == 1}
    assert by_worker_1 >= set(range(IN_FLIGHT, len(items)))


def _no_setup() -> None:
    return None


def _stall_on_the_first(item: tuple[Path, int]) -> bool:
    """The first task waits until every task it could not have been sent with is done."""
    folder, number = item
    return _stall_on_the_first_of((folder, number, OTHERS))


@pytest.mark.parametrize("count", [STEAL_COST, 5 * STEAL_COST])
def test_the_main_process_takes_a_workers_task_only_when_that_is_worth_a_parse(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tasks pinned to the worker (it holds their parses): with nothing of its own left, the
    main process takes one (parsing its file again, `STEAL_COST` times the cost) only while
    the worker has more than that still to do (queued or sent to it); a few it leaves to the
    worker."""
    monkeypatch.setattr(workers, "STEAL_PATIENCE", STALL_LIMIT)  # only the queue decides
    pool = Workers(1, _no_setup, ())
    try:
        outcomes = list(pool.run(_slept, [0.02] * count, [0] * count, [1] * count, here=_slept))
    finally:
        pool.shutdown()
    assert [outcome.value for outcome in outcomes] == [0.02] * count
    taken_here = sum(outcome.worker == pool.here for outcome in outcomes)
    if count > STEAL_COST:
        assert taken_here > 0
    else:
        assert taken_here == 0  # the worker would have done each before a parse here


class _Unsent:
    """A worker's pool that keeps each batch sent to it, never run."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def submit(self, run_batch: Any, function: Any, items: list[int]) -> Future[Any]:
        self.batches.append(items)
        return Future()


class _OneUnsentWorker:
    """What `workers._Schedule` asks of `Workers`: one worker (`_Unsent`), and this process."""

    here = 1

    def __init__(self) -> None:
        self.pools = [_Unsent()]
        self.dead: set[int] = set()


def _schedule(pinned: list[int]) -> Any:
    fake: Any = _OneUnsentWorker()
    items = list(range(len(pinned)))
    return workers._Schedule(fake, _doubled, items, pinned, [1] * len(items), _doubled)


def test_a_worker_takes_this_processs_tasks_only_while_it_would_be_done_first() -> None:
    """Eight tasks pinned to this process (it holds their parses), none to the worker: the
    worker is sent one of them (a parse there: `STEAL_COST` times its cost), not a second,
    which it would finish only after this process is done with the seven left. Counting
    only this process's queue, it was sent task after task at the end of a run, and this
    process, done with its own, waited for its re-parses."""
    schedule = _schedule([_OneUnsentWorker.here] * 8)
    schedule._feed(0)
    assert schedule.workers.pools[0].batches == [[7]]  # the cheapest: the last queued
    assert schedule.owed == [STEAL_COST]


def test_this_process_counts_what_a_worker_was_sent_before_it_takes_the_workers_task() -> None:
    """Five tasks pinned to the worker, two of them sent (`IN_FLIGHT`), three queued: the
    worker is done with them after five, this process with one of them after `STEAL_COST`
    (a parse), so it takes the cheapest queued one; the worker's queue alone would say no."""
    schedule = _schedule([0] * 5)
    schedule._feed(0)
    assert schedule.workers.pools[0].batches == [[0], [1]] and schedule.owed == [2]
    assert schedule._next_for(_OneUnsentWorker.here, patient=True) == 4
    assert schedule._next_for(_OneUnsentWorker.here, patient=True) is None  # 4 < 2 + 1: no


def test_what_a_worker_was_sent_is_owed_until_it_comes_back() -> None:
    schedule = _schedule([_OneUnsentWorker.here] * 8)
    schedule._feed(0)
    (sent,) = schedule.running
    sent.set_result([(14, None)])
    schedule._collect(block=False)
    assert schedule.done[7].value == 14
    assert schedule.owed == [STEAL_COST]  # its next batch, one more of this process's tasks
    assert schedule.workers.pools[0].batches == [[7], [6]]


def test_the_main_process_takes_a_stalled_workers_few_tasks_once_it_has_waited(
    tmp_path: Path,
) -> None:
    """Too few tasks pinned to the worker to be worth a parse elsewhere, but the worker
    stalls on the first (a huge file, a busy core): the main process takes the queued ones
    once it has waited `STEAL_PATIENCE`, rather than wait for the stalled one."""
    count = STEAL_COST + IN_FLIGHT
    others = count - IN_FLIGHT  # the second task waits in the worker behind the first
    items = [(tmp_path, number, others) for number in range(count)]
    pool = Workers(1, _no_setup, ())
    try:
        outcomes = list(
            pool.run(_stall_on_the_first_of, items, [0] * count, here=_stall_on_the_first_of)
        )
    finally:
        pool.shutdown()
    assert outcomes[0].value is True, "the stalled task waited in vain"
    by_main = {number for number, outcome in enumerate(outcomes) if outcome.worker == pool.here}
    assert by_main == set(range(IN_FLIGHT, count))


def _stall_on_the_first_of(item: tuple[Path, int, int]) -> bool:
    """The first task waits until `others` other tasks are done."""
    folder, number, others = item
    if number:
        (folder / f"done-{number}").touch()
        return True
    waited = time.monotonic()
    while len(list(folder.glob("done-*"))) < others and time.monotonic() - waited < STALL_LIMIT:
        time.sleep(0.01)
    return len(list(folder.glob("done-*"))) >= others


def test_the_costliest_tasks_start_first() -> None:
    """A big file left for last keeps one worker busy while the others are done: tasks start
    by decreasing cost, and results still come in the order of the items."""
    costs = [3, 50, 1, 20, 7, 50, 2]
    workers = Workers(1, _no_setup, ())
    try:
        outcomes = list(workers.run(_started_at, list(range(len(costs))), costs=costs))
    finally:
        workers.shutdown()
    values = [outcome.value for outcome in outcomes if outcome.value is not None]
    assert [item for item, _ in values] == list(range(len(costs)))
    by_start = [item for item, _ in sorted(values, key=lambda value: value[1])]
    assert [costs[item] for item in by_start] == sorted(costs, reverse=True)


def _started_at(item: int) -> tuple[int, int]:
    return item, time.monotonic_ns()


MANY = 300


def test_tasks_go_in_batches_that_shrink_to_one_at_the_end() -> None:
    """Each task is a round trip to a worker; many tasks go in batches (at most MAX_BATCH),
    smaller as fewer are left, so that the last go one by one and a free worker can take
    another's queued tasks to the end. Results still come one per task, in order."""
    workers = Workers(2, _no_setup, ())
    sizes: list[int] = []
    for pool in workers.pools:
        submit = pool.submit

        def counting(function: Any, *args: Any, submit: Any = submit) -> Any:
            if args:  # a batch: (function, items)
                sizes.append(len(args[1]))
            return submit(function, *args)

        pool.submit = counting  # type: ignore[method-assign,assignment]
    try:
        outcomes = list(workers.run(_doubled, list(range(MANY))))
    finally:
        workers.shutdown()
    assert [outcome.value for outcome in outcomes] == [2 * item for item in range(MANY)]
    assert sum(sizes) == MANY and max(sizes) == MAX_BATCH
    assert len(sizes) < MANY // 4, "one round trip a task"
    assert sizes[-2 * IN_FLIGHT :] == [1] * (2 * IN_FLIGHT)


def _doubled(item: int) -> int:
    return 2 * item


def test_a_task_that_fails_fails_alone_in_its_batch() -> None:
    workers = Workers(1, _no_setup, ())
    try:
        outcomes = list(workers.run(_fails_on_seven, list(range(MANY))))
    finally:
        workers.shutdown()
    assert [outcome.value for outcome in outcomes if outcome.error is None] == [
        item for item in range(MANY) if item != 7
    ]
    assert isinstance(outcomes[7].error, ValueError) and outcomes[7].value is None


def _fails_on_seven(item: int) -> int:
    if item == 7:
        raise ValueError("seven")
    return item


WORKERS_UP_EARLY = ["discover", "screen", "workers up", "plan", "summaries", "index", "settle"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_a_run_accounts_for_its_time_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`LINT_WB_ACCOUNT=1`: stderr tells the main process's phases, what each worker did
    (every task counted once: the summaries and the lints), and the report is unchanged."""
    root = copy_project("factory_params", tmp_path)
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    args = ["--no-cache", "--jobs", "2", "--output-format", "json", str(root)]
    plain = make_runner().invoke(main, args)
    monkeypatch.setenv("LINT_WB_ACCOUNT", "1")
    accounted = make_runner().invoke(main, args)
    assert accounted.stdout == plain.stdout
    lines = [line for line in accounted.stderr.splitlines() if line.startswith("lint-wb:")]
    phases = [_phase_name(line) for line in lines if line.endswith(("main alone", "with workers"))]
    # the engine is loaded and the worker forked once the screening kept a file to parse
    assert phases == [*WORKERS_UP_EARLY, "lint", "report"]
    workers = [line for line in lines if line.startswith("lint-wb:   worker ")]
    tasks = sum(int(line.split("; ")[-1].split()[0]) for line in workers)
    here = [line for line in lines if line.startswith("lint-wb:   main process: ran ")]
    tasks += sum(int(line.split("ran ")[1].split()[0]) for line in here)
    assert here and all("s for their results" in line for line in here)
    python_files = len(list(root.rglob("*.py")))
    assert len(workers) == 1 and python_files < tasks <= 2 * python_files
    assert any("serial (main alone)" in line for line in lines)


def _phase_name(line: str) -> str:
    return line.removeprefix("lint-wb:").split(" s wall")[0].rsplit(maxsplit=1)[0].strip()


def test_a_phase_inside_another_is_counted_once() -> None:
    """The workers started while the files are screened: their own line, listed after the
    screening that started them, and their time not counted again in the screening's."""
    from lint_wb.accounting import RunAccount

    account = RunAccount()
    with account.phase("screen", alone=True):
        time.sleep(0.02)
        with account.phase("workers up", alone=True):
            time.sleep(0.1)
    with account.phase("plan", alone=False):
        pass
    screen, up, plan = account.phases
    assert [screen.name, up.name, plan.name] == ["screen", "workers up", "plan"]
    assert up.wall >= 0.1 and 0.02 <= screen.wall < 0.1


def test_workers_load_the_engine_as_they_start() -> None:
    """A worker imports libcst, the analysis and the rules in its set-up (while the main
    process plans the index), not in its first task."""
    setup = (Overrides(isolated=True), Mode(), os.getpid())
    workers = Workers(2, api._start_worker, setup)
    try:
        loaded = [outcome.value for outcome in workers.run(_engine_loaded, [0, 1], [0, 1])]
    finally:
        workers.shutdown()
    assert loaded == [True, True]


def _engine_loaded(_: int) -> bool:
    return all(name in sys.modules for name in (*api.WORKER_MODULES, "libcst"))


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_workers_start_before_the_index_is_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker is forked before the main process plans the project index, so that it
    loads the engine meanwhile; the report is that of one process."""
    from lint_wb.project import build

    root = copy_project("factory_params", tmp_path)
    args = ["--no-cache", "--output-format", "json", str(root)]
    serial = make_runner().invoke(main, ["--jobs", "1", *args])
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    children_at_plan: list[int] = []
    plan_index = build.plan_index

    def planning(*args: Any, **kwargs: Any) -> Any:
        children_at_plan.append(len(multiprocessing.active_children()))
        return plan_index(*args, **kwargs)

    monkeypatch.setattr(build, "plan_index", planning)
    parallel = make_runner().invoke(main, ["--jobs", "2", *args])
    assert children_at_plan == [1]  # --jobs 2: the main process and one worker
    assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_the_main_process_does_not_collect_while_it_takes_in_what_workers_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summaries and findings from the workers are data for the rest of the run: the main
    process's collector is off while they come in, and on again after the run."""
    from lint_wb.project.build import IndexPlan

    root = copy_project("factory_params", tmp_path)
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1)
    providing: list[bool] = []
    provide = IndexPlan.provide

    def spying(self: IndexPlan, *args: Any) -> None:
        providing.append(gc.isenabled())
        provide(self, *args)

    monkeypatch.setattr(IndexPlan, "provide", spying)

    class Advances:
        seen: ClassVar[list[bool]] = []

        def start(self, total: int) -> None:
            return None

        def advance(self, count: int) -> None:
            self.seen.append(gc.isenabled())

    assert gc.isenabled()
    run = api.check_paths([root], Overrides(), Mode(), jobs=2, progress=Advances())
    assert run.findings and not run.internal_error
    assert providing and not any(providing)
    assert False in Advances.seen
    assert gc.isenabled()


def test_the_calling_process_works_among_the_workers() -> None:
    """With `here`, the calling process runs tasks too (those pinned to it first), between
    looks at the workers' results; results still come in order, each from where it ran."""
    workers = Workers(1, _no_setup, ())
    pinned = [workers.here if item % 2 else 0 for item in range(MANY)]
    try:
        outcomes = list(workers.run(_run_by, list(range(MANY)), pinned, here=_run_here))
    finally:
        workers.shutdown()
    assert [outcome.value[0] for outcome in outcomes if outcome.value] == list(range(MANY))
    where = {outcome.worker: outcome.value[1] for outcome in outcomes if outcome.value}
    assert set(where) == {0, workers.here}
    assert where[workers.here] == "here" and where[0] != os.getpid()
    assert workers.ledger.tasks == sum(outcome.worker == workers.here for outcome in outcomes)


def _run_by(item: int) -> tuple[int, object]:
    return item, os.getpid()


def _run_here(item: int) -> tuple[int, object]:
    return item, "here"


def test_a_file_the_main_process_checks_among_the_workers_is_collected_as_usual() -> None:
    """The main process takes in the workers' results with its collector off (`paused`); a
    file it checks itself meanwhile leaves some cyclic garbage: the collector runs then."""
    from lint_wb.collector import paused

    workers = Workers(1, _no_setup, ())
    items = list(range(1, 11))
    try:
        with paused():
            here = api._here(_collects)
            outcomes = list(workers.run(_doubled, items, [workers.here] * 10, here=here))
            assert not gc.isenabled()
    finally:
        workers.shutdown()
    ran_here = [outcome.value for outcome in outcomes if outcome.worker == workers.here]
    assert ran_here and all(value is True for value in ran_here)


def _collects(_: int) -> bool:
    return gc.isenabled()


@pytest.mark.parametrize("collecting", [True, False])
def test_the_index_parse_and_summary_are_frozen_never_rescanned(
    tmp_path: Path, collecting: bool
) -> None:
    """A module's parse, kept for its lint, and its summary are data for the rest of the run:
    made with the collector off and frozen after (`collector.kept_unscanned`), so no later
    collection of the run scans them again. The collector is then as it was, and once the
    run is over they are the collector's again (`collector.for_a_run`)."""
    from lint_wb.collector import for_a_run
    from lint_wb.project.store import summarize_source

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        with for_a_run():
            made = summarize_source(
                (HEADER + WRONG).encode(), tmp_path / "app.py", "app", "", frozenset()
            )
            assert gc.isenabled() is collecting
            assert made.parsed is not None and made.summary is not None
            scanned = {id(item) for item in gc.get_objects()}
            assert id(made.parsed.module) not in scanned
            assert id(made.summary) not in scanned
        assert gc.get_freeze_count() == 0
        scanned = {id(item) for item in gc.get_objects()}
        assert id(made.parsed.module) in scanned and id(made.summary) in scanned
    finally:
        (gc.enable if was else gc.disable)()


def test_nothing_is_frozen_outside_a_run(tmp_path: Path) -> None:
    """A summary made outside any run (a library caller of the store) freezes nothing: no
    run would give it back."""
    from lint_wb.project.store import summarize_source

    made = summarize_source((HEADER + WRONG).encode(), tmp_path / "app.py", "app", "", frozenset())
    assert made.parsed is not None
    assert gc.get_freeze_count() == 0


def _freezes_seen(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many objects were frozen after each `gc.freeze` lint-wb called."""
    import lint_wb.collector as collector

    seen: list[int] = []
    freeze = gc.freeze

    def spying() -> None:
        freeze()
        seen.append(gc.get_freeze_count())

    monkeypatch.setattr(collector.gc, "freeze", spying)
    return seen


def _frozen_run(kind: str, project: Path) -> None:
    """One run of the API of the given kind, over `project` (one W&B module, main.py)."""
    overrides, main_py = Overrides(isolated=True), project / "main.py"
    if kind == "check_paths":
        run = api.check_paths([project], overrides, Mode(), jobs=1)
        assert "WB101" in [finding.code for finding in run.findings]
    elif kind == "lint_text":
        result = api.lint_text(main_py.read_bytes(), str(main_py), overrides, Mode())
        assert "WB101" in [finding.code for finding in result.findings]
    else:
        index = api.index_project([main_py], api.SettingsCache(overrides), use_cache=False)
        assert index.part(main_py) is not None


@pytest.mark.parametrize("kind", ["check_paths", "lint_text", "index_project"])
def test_a_run_leaves_nothing_frozen_for_a_caller_that_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The index phase freezes what it keeps (`collector.kept_unscanned`); when the API call
    returns, all of it is the collector's again, so a long-lived caller (an editor, a test
    suite) frees the run's cyclic garbage as usual rather than at its exit."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "main.py").write_text(HEADER + WRONG + _REQUEST)
    seen = _freezes_seen(monkeypatch)
    assert gc.get_freeze_count() == 0
    _frozen_run(kind, tmp_path)
    assert seen and max(seen) > 0  # the run did freeze what it kept
    assert gc.get_freeze_count() == 0


def test_a_run_keeps_a_callers_own_freeze_and_adds_nothing_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gc.unfreeze` cannot tell one freeze from another: a caller that froze objects of its
    own keeps them frozen, and the run freezes nothing of its own."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (tmp_path / "main.py").write_text(HEADER + WRONG + _REQUEST)
    own: list[object] = []
    own.append(own)  # a cycle of the caller's, frozen by the caller
    gc.freeze()
    try:
        seen = _freezes_seen(monkeypatch)
        before = gc.get_freeze_count()
        _frozen_run("check_paths", tmp_path)
        assert seen == []
        assert 0 < gc.get_freeze_count() <= before  # some frozen objects were freed meanwhile
        assert id(own) not in {id(item) for item in gc.get_objects()}
    finally:
        gc.unfreeze()


_REQUEST = 'client.chat.completions.create(model="m", messages=[])\n'


def test_every_task_runs_once_wherever_it_is_pinned(tmp_path: Path) -> None:
    """Tasks pinned to the worker, to this process or to none, with costs, taken from each
    other's queues at the end: each runs exactly once (none lost, none run twice), and its
    result comes in its place."""
    workers = Workers(1, _no_setup, ())
    places = [0, workers.here, None]
    pinned = [places[(item * 7) % 3] for item in range(MANY)]
    costs = [(item * 37) % 101 for item in range(MANY)]
    items = [(tmp_path, item) for item in range(MANY)]
    try:
        outcomes = list(workers.run(_logged, items, pinned, costs, here=_logged))
    finally:
        workers.shutdown()
    assert [outcome.value for outcome in outcomes] == [3 * item for item in range(MANY)]
    runs = sorted(int(name.name.split("-")[1]) for name in tmp_path.glob("ran-*"))
    assert runs == list(range(MANY))
    assert {outcome.worker for outcome in outcomes} == {0, workers.here}


def _logged(item: tuple[Path, int]) -> int:
    """Leaves a file per task (an exclusive create: a second run of the same task raises)."""
    folder, number = item
    with (folder / f"ran-{number}").open("x"):
        pass
    return 3 * number


def test_the_main_process_notes_how_long_it_waited_for_the_workers() -> None:
    """The ledger of the main process tells how long it waited for the workers' results
    with nothing else to do (LINT_WB_ACCOUNT=1 prints it): its idle time on the critical
    path of a run."""
    workers = Workers(1, _no_setup, ())
    try:
        outcomes = list(workers.run(_slept, [0.2, 0.2]))
    finally:
        workers.shutdown()
    assert [outcome.value for outcome in outcomes] == [0.2, 0.2]
    assert workers.ledger.waited >= 0.3


def _slept(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


HALF_RESULT_LIMIT = 60.0
"""Seconds the run with a worker killed mid-result is given (it hung for ever before)."""


def test_a_worker_killed_while_it_sends_a_result_fails_its_tasks_instead_of_hanging() -> None:
    """A worker dies after writing half a result into the pipe (the kernel's OOM killer, a
    kill -9 at the wrong moment): the run must still end, its tasks failing as a dead
    worker's, rather than wait for the rest of that message for ever."""
    workers = Workers(1, _no_setup, ())
    outcomes = _ended_in_time(
        workers,
        lambda: list(workers.run(_dies_writing_half_a_result, [1, 2, 3])),
        "the run hangs on the dead worker's half-written result",
    )
    assert isinstance(outcomes, list) and len(outcomes) == 3
    assert all(isinstance(outcome.error, BrokenProcessPool) for outcome in outcomes)


def _dies_writing_half_a_result(item: int) -> int:
    """In the worker: write the header of a 1,000-byte message and 10 of its bytes into the
    pipe the results go through, then die once the pool's manager, woken by them, is reading
    the rest (dying at once, the manager may see the death before the bytes)."""
    import struct
    from multiprocessing.queues import SimpleQueue

    (results,) = [found for found in gc.get_objects() if isinstance(found, SimpleQueue)]
    os.write(results._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    time.sleep(0.5)
    os._exit(9)


def test_a_batch_sent_ahead_to_a_worker_killed_mid_result_fails_instead_of_hanging() -> None:
    """The same death for a batch sent outside a run (summaries sent ahead, `ahead.py`): its
    result is the dead worker's error, not a wait for ever."""
    workers = Workers(1, _no_setup, ())
    raised = _ended_in_time(
        workers,
        lambda: workers.result(0, workers.send(0, _dies_writing_half_a_result, [1])),
        "the wait hangs on the dead worker's half-written result",
    )
    assert isinstance(raised, BrokenProcessPool)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_batch_the_broken_pool_forgot_fails_instead_of_hanging(tmp_path: Path) -> None:
    """CPython 3.11 fails a broken pool's pending tasks without the lock `submit` holds, so a
    batch sent just as its worker dies can be left pending for ever. Here the batch is taken
    off the pool's books before its worker is killed, as that race leaves it."""
    workers = Workers(1, _no_setup, ())
    started = tmp_path / "started"
    future = workers.send(0, _sleeps_once_started, [str(started)])
    raised = _ended_in_time(
        workers,
        lambda: workers.result(0, future),
        "the wait hangs on a batch the broken pool never failed",
        meanwhile=lambda: _forget_and_kill(workers, started),
    )
    assert isinstance(raised, BrokenProcessPool)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_run_whose_batch_the_broken_pool_forgot_fails_its_tasks_instead_of_hanging(
    tmp_path: Path,
) -> None:
    """The same race inside a run: its tasks fail as the dead worker's."""
    workers = Workers(1, _no_setup, ())
    started = tmp_path / "started"
    outcomes = _ended_in_time(
        workers,
        lambda: list(workers.run(_sleeps_once_started, [str(started)], pinned=[0])),
        "the run hangs on a batch the broken pool never failed",
        meanwhile=lambda: _forget_and_kill(workers, started),
    )
    assert isinstance(outcomes, list)
    assert [type(outcome.error) for outcome in outcomes] == [BrokenProcessPool]


def _ended_in_time(
    workers: Workers,
    call: Callable[[], object],
    hang: str,
    meanwhile: Callable[[], None] = lambda: None,
) -> object:
    """What `call()` returned or raised, on a thread given `HALF_RESULT_LIMIT` seconds
    (`meanwhile` runs while it waits); fails with `hang` if it is still waiting. The workers
    are shut down once it ended, stopped if it hangs."""
    ended: list[object] = []

    def record() -> None:
        try:
            ended.append(call())
        except BaseException as error:
            ended.append(error)

    thread = threading.Thread(target=record, daemon=True)
    thread.start()
    meanwhile()
    thread.join(HALF_RESULT_LIMIT)
    hung = thread.is_alive()
    if hung:
        _let_the_test_process_exit(workers)
    assert not hung, hang
    workers.shutdown()
    return ended[0]


def _let_the_test_process_exit(workers: Workers) -> None:
    """After a hang: end the pools, closing our end of each result pipe as lint-wb would have,
    since CPython joins every pool's manager thread as the process exits (a manager stuck
    reading a half-written result would keep the whole test run from ending)."""
    for pool in workers.pools:
        with contextlib.suppress(Exception):
            pool._result_queue._writer.close()  # type: ignore[attr-defined]
    workers.stop()


def _sleeps_once_started(marker: str) -> None:
    """In the worker: say the batch has started, then take far longer than any test."""
    Path(marker).touch()
    time.sleep(HALF_RESULT_LIMIT * 2)


def _forget_and_kill(workers: Workers, started: Path) -> None:
    """Once the only worker runs its batch, drop the batch from the pool's pending tasks and
    kill the worker: the pool breaks and fails what it still knows of, which is nothing."""
    import signal

    pool: Any = workers.pools[0]
    waited = time.monotonic()
    while not started.exists() and time.monotonic() - waited < HALF_RESULT_LIMIT:
        time.sleep(0.01)
    pool._pending_work_items.clear()
    (pid,) = pool._processes
    os.kill(pid, signal.SIGKILL)
