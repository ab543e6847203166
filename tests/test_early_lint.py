"""A module with no summary (it stands alone, or its first look finds nothing) is linted in
its summary task, with the part of the index its lint assumes it will be told; the run takes
that result only where the index then tells the module just that, and lints it again where
not. Two processes still report what one does, byte for byte."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lint_wb import api
from lint_wb.cli.main import main
from lint_wb.config.per_file import SettingsCache
from lint_wb.project.build import IndexPlan, plan_index
from lint_wb.project.index import ProjectIndex
from lint_wb.results import FileResult, Mode, Overrides
from tests.cli_runner import make_runner

BENCH = Path(__file__).resolve().parent.parent / "bench"
TWO_CORES = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")


@pytest.fixture
def dense_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """120 modules of the dense benchmark tree: each a W&B client with requests, none
    importing another (each stands alone)."""
    monkeypatch.syspath_prepend(str(BENCH))
    from make_corpus import generate

    tree = tmp_path / "dense"
    generate(tree, 120, 100.0, 0.0, seed=5)
    return tree


def _logging(log: Path, kind: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, each call noting `kind` and the file it lints in `log` (any process)."""

    def logged(*args: Any, **named: Any) -> Any:
        done = function(*args, **named)
        result = done[1] if kind == "early" else done
        if isinstance(result, FileResult):
            with log.open("a") as file:
                file.write(f"{kind} {result.path}\n")
        return done

    # pickled by its name (a worker's task): the name now given to this function
    logged.__module__, logged.__qualname__ = function.__module__, function.__qualname__
    return logged


def _lint_logged(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Log the files linted in their summary task ("early") and in a task of their own."""
    monkeypatch.setattr(
        api, "_summarised_and_linted", _logging(log, "early", api._summarised_and_linted)
    )
    monkeypatch.setattr(api, "_check_in_worker", _logging(log, "late", api._check_in_worker))
    monkeypatch.setattr(api._Run, "_check_here", _logging(log, "late", api._Run._check_here))


def _linted(log: Path, kind: str) -> list[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [line.split(" ", 1)[1] for line in lines if line.startswith(f"{kind} ")]


def _report(*args: str) -> tuple[int, str]:
    result = make_runner().invoke(
        main, ["--no-cache", "--isolated", "--output-format", "json", *args]
    )
    return result.exit_code, result.stdout


@TWO_CORES
def test_a_module_that_stands_alone_is_linted_in_its_summary_task(
    dense_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _report("--jobs", "1", str(dense_tree))
    log = tmp_path / "linted.log"
    _lint_logged(monkeypatch, log)
    parallel = _report("--jobs", "2", str(dense_tree))
    assert parallel == serial and serial[0] == 1
    early, late = _linted(log, "early"), _linted(log, "late")
    # the summaries sent ahead of the plan look first too, and are linted in their task
    assert len(early) == len(set(early)) == 120 and not late


@TWO_CORES
def test_a_result_linted_early_on_a_wrong_guess_is_linted_again(
    dense_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the guess of what the index tells the modules wrong for every one of them, each
    module linted early is linted again with what the index does tell it."""
    serial = _report("--jobs", "1", str(dense_tree))
    guess = IndexPlan.likely_holds

    def wrong(self: IndexPlan, job: Any, summarised: Any = ()) -> bool:
        return not guess(self, job, summarised)

    monkeypatch.setattr(IndexPlan, "likely_holds", wrong)
    monkeypatch.setattr(api, "ASSUMED_AHEAD", ProjectIndex(part_of_one=True))  # sent ahead
    log = tmp_path / "linted.log"
    _lint_logged(monkeypatch, log)
    parallel = _report("--jobs", "2", str(dense_tree))
    assert parallel == serial
    early, late = _linted(log, "early"), _linted(log, "late")
    assert len(early) >= 80 and set(early) <= set(late) and len(late) == 120


def _plan(tree: Path) -> IndexPlan:
    files = sorted(tree.rglob("*.py"))
    plan = plan_index(files, SettingsCache(Overrides(isolated=True)), use_cache=False)
    assert isinstance(plan, IndexPlan)
    return plan


CLIENT = (
    "import os\nfrom openai import OpenAI\n"
    'client = OpenAI(base_url="https://api.inference.wandb.ai/v1",'
    ' api_key=os.environ["WANDB_API_KEY"])\n'
)
REQUEST = 'client.chat.completions.create(model="openai/gpt-oss-120b", messages=[])\n'


def test_the_guess_is_an_empty_index_only_where_every_seed_is_a_lone_module(
    tmp_path: Path,
) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    for name in ("a", "b"):
        (lone / f"{name}.py").write_text(CLIENT + REQUEST)
    plan = _plan(lone)
    jobs = plan.summary_jobs(sorted(lone.glob("*.py")))
    assert len(jobs) == 2 and not plan.likely_holds(jobs[0])
    assert plan.likely_holds(jobs[0], jobs[1:])  # b summarised whole, sent ahead
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "llm.py").write_text(CLIENT)
    (shared / "app.py").write_text("from llm import client\n" + REQUEST)
    (shared / "lone.py").write_text(CLIENT + REQUEST)
    plan = _plan(shared)
    jobs = plan.summary_jobs(sorted(shared.glob("*.py")))
    assert jobs and all(plan.likely_holds(job) for job in jobs)


def test_a_fix_is_never_linted_in_a_summary_task(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(CLIENT + REQUEST)
    plan = _plan(tmp_path)
    (job,) = plan.summary_jobs([tmp_path / "a.py"])
    assert api._assumed_part(plan, job, (), Mode()) is not None
    for mode in (Mode(fix=True), Mode(diff=True)):
        assert api._assumed_part(plan, job, (), mode) is None
