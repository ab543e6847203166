"""Summaries sent to a worker while the main process still screens and plans (`ahead.py`):
sent before the plan, taken only where the plan makes the same job, never in a warm run."""

from __future__ import annotations

import os
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lint_wb import api
from lint_wb.accounting import RunAccount
from lint_wb.ahead import SummariesAhead
from lint_wb.cli.main import main
from lint_wb.config.per_file import SettingsCache
from lint_wb.files import known
from lint_wb.project import build
from lint_wb.project.build import EarlyJobs, IndexPlan, SummaryJob
from lint_wb.results import Mode, Overrides
from lint_wb.workers import MAX_BATCH, Workers
from tests.cli_runner import make_runner
from tests.test_projects import PROJECT_NAMES, copy_project

needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores")

CLIENT = (
    "from openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key="k")\n'
    "def ask(text):\n"
    "    return client.chat.completions.create(model='openai/gpt-oss-120b', messages=[])\n"
    "def unrelated():\n"
    "    return 1\n"
)
"""A module every other imports: the plan reads it whole, the guess in part (it holds a
statement a partial parse drops)."""
REQUEST = (
    "# served from https://api.inference.wandb.ai/v1\n"
    "from llm import client\n"
    "def ask_{n}(text):\n"
    "    return client.chat.completions.create(\n"
    "        model='openai/gpt-oss-120b', temperature={t},\n"
    "        messages=[{{'role': 'user', 'content': text}}],\n"
    "    )\n"
)
"""A module that carries a W&B signal and makes a request: guessed as the plan makes it."""
REQUESTS = 8


def write_project(root: Path) -> None:
    (root / "llm.py").write_text(CLIENT)
    for n in range(REQUESTS):
        (root / f"m{n}.py").write_text(REQUEST.format(n=n, t=3 if n % 2 else 1))


def lint(*args: str) -> tuple[int, str]:
    result = make_runner().invoke(main, ["--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout


@needs_two_cores
def test_summaries_go_to_the_worker_before_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the screening has read enough files to parse, the worker is started and sent
    summaries before the index is planned; the report is that of one process."""
    write_project(tmp_path)
    serial = lint("--no-cache", "--jobs", "1", str(tmp_path))
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)
    sent: list[int] = []
    at_plan: list[int] = []
    send, plan_index = Workers.send, build.plan_index

    def sending(self: Workers, worker: int, function: Any, items: Any) -> Any:
        sent.append(len(items))
        return send(self, worker, function, items)

    def planning(*args: Any, **kwargs: Any) -> Any:
        at_plan.append(sum(sent))
        return plan_index(*args, **kwargs)

    monkeypatch.setattr(Workers, "send", sending)
    monkeypatch.setattr(build, "plan_index", planning)
    parallel = lint("--no-cache", "--jobs", "2", str(tmp_path))
    assert at_plan and at_plan[0] > 0
    assert parallel == serial


@needs_two_cores
def test_only_the_guesses_the_plan_confirms_are_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The module others import is guessed read in part, but the plan reads it whole: its
    summary is the whole module's, made again; the others' come from the worker."""
    write_project(tmp_path)
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)
    sent_modules: list[str] = []
    taken_modules: list[str] = []
    provided: dict[str, tuple[bool, frozenset[str]]] = {}
    send, taken, provide = Workers.send, SummariesAhead.taken, IndexPlan.provide

    def sending(self: Workers, worker: int, function: Any, items: Any) -> Any:
        sent_modules.extend(job.module for job in items)
        return send(self, worker, function, items)

    def taking(self: SummariesAhead, jobs: Any) -> Any:
        found = taken(self, jobs)
        taken_modules.extend(jobs[position].module for position in found)
        return found

    def providing(self: IndexPlan, job: Any, summary: Any) -> None:
        provided[job.module] = (job.whole, summary.dropped)
        provide(self, job, summary)

    monkeypatch.setattr(Workers, "send", sending)
    monkeypatch.setattr(SummariesAhead, "taken", taking)
    monkeypatch.setattr(IndexPlan, "provide", providing)
    account = RunAccount()
    run = api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=2, account=account)
    assert not run.internal_error
    assert account.ahead == (len(sent_modules), len(taken_modules))
    assert "llm" in sent_modules and "llm" not in taken_modules
    assert taken_modules and set(taken_modules) <= set(sent_modules) - {"llm"}
    assert provided["llm"] == (True, frozenset())  # read whole: nothing dropped
    assert [finding.code for finding in run.findings].count("WB301") == REQUESTS // 2
    # the workers started while the files were screened, and had summaries to make
    screen = next(phase for phase in account.phases if phase.name == "screen")
    assert not screen.alone


def test_a_run_without_workers_screens_alone(tmp_path: Path) -> None:
    write_project(tmp_path)
    account = RunAccount()
    api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=1, account=account)
    screen = next(phase for phase in account.phases if phase.name == "screen")
    assert screen.alone


@needs_two_cores
@pytest.mark.parametrize("broken", ["guess", "start"])
def test_what_fails_ahead_leaves_the_run_as_it_was(
    broken: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guess that raises, or workers that cannot start early, only cost the head start:
    the run reports what one process does."""
    write_project(tmp_path)
    serial = lint("--no-cache", "--jobs", "1", str(tmp_path))
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise OSError("broken on purpose")

    if broken == "guess":
        monkeypatch.setattr(EarlyJobs, "job", failing)
    else:
        monkeypatch.setattr(api._Run, "_loaded_workers", failing)
    assert lint("--no-cache", "--jobs", "2", str(tmp_path)) == serial


@needs_two_cores
def test_a_warm_run_starts_no_worker_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files known by their stat are not read: a warm run sends nothing ahead, and starts
    no worker for the index it has cached."""
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    monkeypatch.setattr(known, "RACY_NS", 0)  # the files just written count as old enough
    monkeypatch.setenv("LINT_WB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)
    first = lint("--jobs", "2", str(root))
    started: list[int] = []
    init = Workers.__init__

    def starting(self: Workers, *args: Any, **kwargs: Any) -> None:
        started.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(Workers, "__init__", starting)
    second = lint("--jobs", "2", str(root))
    assert started == []
    assert second == first


class _FakeWorkers:
    """Stands for `Workers`: what is sent waits in its queue, never started."""

    def __init__(self) -> None:
        self.pools = [object()]
        self.dead: set[int] = set()
        self.sent: list[tuple[list[Any], Future[Any]]] = []

    def send(self, worker: int, function: Any, items: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.sent.append((list(items), future))
        return future


def _sent_ahead(files: list[Path], cache: SettingsCache) -> tuple[SummariesAhead, _FakeWorkers]:
    """`files` screened and their guesses sent ahead to workers that never start them."""
    workers = _FakeWorkers()
    ahead = SummariesAhead(
        start=lambda: workers,  # type: ignore[arg-type,return-value]
        enough=lambda kept: kept >= 1,
        summarise=lambda job: (None, None),
        cache=cache,
    )
    for path in files:
        ahead.screened(path, path.read_bytes())
    ahead.before_plan()
    return ahead, workers


def test_a_guess_the_plan_does_not_take_is_not_run_if_it_has_not_started(
    tmp_path: Path,
) -> None:
    """Each job goes ahead as a batch of its own, so a guess the plan does not confirm (the
    module others import) is cancelled while it waits, and the others are not."""
    write_project(tmp_path)
    files = sorted(tmp_path.glob("*.py"))
    cache = SettingsCache(Overrides(isolated=True))
    ahead, workers = _sent_ahead(files, cache)
    plan = build.plan_index(files, cache, use_cache=False)
    assert plan is not None
    jobs = plan.summary_jobs(files)
    taken = ahead.taken(jobs)
    assert all(len(items) == 1 for items, _ in workers.sent)
    cancelled = {items[0].module for items, future in workers.sent if future.cancelled()}
    assert cancelled == {"llm"}
    assert {jobs[position].module for position in taken} == {
        items[0].module for items, future in workers.sent if not future.cancelled()
    }


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_a_guess_is_the_plans_job_for_a_module_no_other_imports(name: str, tmp_path: Path) -> None:
    """For each project, the guess made from a file's bytes equals the plan's job for every
    seed that other modules do not import (so that guesses are taken), and is never taken
    for one they do (the plan reads it whole)."""
    root = copy_project(name, tmp_path)
    files = sorted(path for path in root.rglob("*.py"))
    cache = SettingsCache(Overrides())
    plan = build.plan_index(files, cache, use_cache=False)
    if plan is None:
        return
    guesses = EarlyJobs(cache)
    for job in plan.summary_jobs(files):
        guess = guesses.job(job.path, job.data)
        if job.whole:
            assert guess != job
        elif guess is not None:
            assert guess == job


def _jobs_and_guesses(files: list[Path]) -> tuple[dict[str, SummaryJob], EarlyJobs]:
    """The plan's summary jobs for `files` by module, and what guesses them from bytes."""
    cache = SettingsCache(Overrides(isolated=True))
    plan = build.plan_index(files, cache, use_cache=False)
    assert plan is not None
    return {job.module: job for job in plan.summary_jobs(files)}, EarlyJobs(cache)


LONE = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1",'
    ' api_key=os.environ["WANDB_API_KEY"])\n'
    'client.chat.completions.create(model="openai/gpt-oss-120b", messages=[])\n'
)
"""A module that imports only libraries, and that no other imports: the plan looks at it
first (`_first_looks`), and so does its guess."""


def _lone_modules(root: Path, count: int = 4) -> list[Path]:
    for n in range(count):
        (root / f"lone{n}.py").write_text(LONE)
    return sorted(root.glob("*.py"))


def test_a_guess_looks_first_where_the_plan_does(tmp_path: Path) -> None:
    """A module importing only libraries is guessed looked at first, as the plan's job for
    it is (so what the worker makes of it ahead is what the plan's job would); one that
    imports a module of the project is guessed as before, without a look."""
    files = _lone_modules(tmp_path)
    (tmp_path / "helper.py").write_text("def helper():\n    return 1\n")
    (tmp_path / "user.py").write_text("from helper import helper\n" + LONE)
    files = sorted(tmp_path.glob("*.py"))
    jobs, guesses = _jobs_and_guesses(files)
    assert set(jobs) == {"lone0", "lone1", "lone2", "lone3", "user"}
    for module, job in jobs.items():
        guess = guesses.job(job.path, job.data)
        assert guess == job and guess.look == job.look
        assert (job.look is None) == (module == "user")


def test_no_guess_looks_first_under_assume_wandb(tmp_path: Path) -> None:
    """Under assume-wandb the plan never looks first (`_first_looks`), nor does a guess."""
    files = _lone_modules(tmp_path)
    guesses = EarlyJobs(SettingsCache(Overrides(isolated=True, assume_wandb=True)))
    made = [guesses.job(path, path.read_bytes()) for path in files]
    assert made and all(job is not None and job.look is None for job in made)


def test_a_guess_that_looked_is_taken_only_for_a_job_that_looks(tmp_path: Path) -> None:
    """What a first look made (nothing found, or a module alone: no summary) is not what a
    plan's job that does not look needs: such a guess is not taken, and is cancelled if it
    has not started; a guess that did not look is taken for a job that looks (its whole
    summary holds all the plan needs)."""
    files = _lone_modules(tmp_path)
    cache = SettingsCache(Overrides(isolated=True))
    plan = build.plan_index(files, cache, use_cache=False)
    assert plan is not None
    jobs = plan.summary_jobs(files)
    assert len(jobs) == 4 and all(job.look is not None for job in jobs)

    def sent(guess_looks: bool) -> tuple[SummariesAhead, _FakeWorkers]:
        ahead, workers = _sent_ahead(files, cache)
        if not guess_looks:
            for items, _ in workers.sent:
                items[:] = [replace(job, look=None) for job in items]
            for batch in ahead.sent:
                batch.jobs[:] = [replace(job, look=None) for job in batch.jobs]
        assert workers.sent
        return ahead, workers

    ahead, workers = sent(guess_looks=True)
    assert not ahead.taken([replace(job, look=None) for job in jobs])
    assert all(future.cancelled() for _, future in workers.sent)
    ahead, workers = sent(guess_looks=True)
    assert len(ahead.taken(jobs)) == len(workers.sent)
    ahead, workers = sent(guess_looks=False)
    assert len(ahead.taken(jobs)) == len(workers.sent)


def test_the_guesses_are_the_plans_jobs_on_a_project_of_requests(tmp_path: Path) -> None:
    write_project(tmp_path)
    files = sorted(tmp_path.glob("*.py"))
    jobs, guesses = _jobs_and_guesses(files)
    assert {module for module, job in jobs.items() if guesses.job(job.path, job.data) == job} == {
        f"m{n}" for n in range(REQUESTS)
    }
    assert jobs["llm"].whole


@needs_two_cores
def test_no_more_guesses_than_can_be_sent_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a tree where every file is a seed, the screening stops guessing once enough jobs
    are pending for all that can still be sent ahead (those past it were dropped unsent);
    the same jobs are sent, and the report is that of one process."""
    many = 6 * MAX_BATCH
    (tmp_path / "llm.py").write_text(CLIENT)
    for n in range(many):
        (tmp_path / f"m{n}.py").write_text(REQUEST.format(n=n, t=3 if n % 2 else 1))
    serial = lint("--no-cache", "--jobs", "1", str(tmp_path))
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)
    guessed: list[str] = []
    sent: list[str] = []
    job, send = EarlyJobs.job, Workers.send

    def guessing(self: EarlyJobs, path: Path, data: bytes) -> Any:
        guessed.append(path.name)
        return job(self, path, data)

    def sending(self: Workers, worker: int, function: Any, items: Any) -> Any:
        sent.extend(item.path.name for item in items)
        return send(self, worker, function, items)

    monkeypatch.setattr(EarlyJobs, "job", guessing)
    monkeypatch.setattr(Workers, "send", sending)
    account = RunAccount()
    run = api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=2, account=account)
    assert not run.internal_error
    worth = 2 * MAX_BATCH  # one worker: what `before_plan` can send at most, twice over
    assert len(guessed) <= worth + len(sent) + api.PARALLEL_THRESHOLD
    assert len(guessed) < many
    assert account.ahead[0] == len(sent) >= MAX_BATCH
    assert lint("--no-cache", "--jobs", "2", str(tmp_path)) == serial


@needs_two_cores
def test_the_worker_is_forked_once_the_files_read_so_far_are_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The jobs of the files read so far are guessed before the worker is forked: it
    inherits what guessing loads and a summary needs too (the spec, the libraries' table),
    rather than loading it again in its first job, and it has jobs to take at once."""
    write_project(tmp_path)
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 2)
    events: list[str] = []
    job, workers = EarlyJobs.job, Workers.__init__

    def guessing(self: EarlyJobs, path: Path, data: bytes) -> Any:
        events.append("guess")
        return job(self, path, data)

    def forking(self: Workers, *args: Any) -> None:
        events.append("fork")
        workers(self, *args)

    monkeypatch.setattr(EarlyJobs, "job", guessing)
    monkeypatch.setattr(Workers, "__init__", forking)
    run = api.check_paths([tmp_path], Overrides(isolated=True), Mode(), jobs=2)
    assert not run.internal_error
    assert events[:3] == ["guess", "guess", "fork"]  # the two files that start the worker
