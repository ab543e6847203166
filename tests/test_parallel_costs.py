"""What a parallel run costs beyond its tasks, kept small; and a dense W&B tree checked by two
processes gives the report of one.

- Every parse, summary and lint runs on the deep-stack thread (`containment.on_deep_stack`);
  each hand-over to it costs two thread switches, each a wait for a core on a busy machine.
  A worker hands a whole batch over at once, and the main process each task it runs among
  the workers, whatever the task hands over inside.
- A worker's exit (its memory given back) takes tens of milliseconds: the command writes its
  report meanwhile, and waits for it only then."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from lint_wb import api, containment, workers
from lint_wb.cli import report
from lint_wb.cli.main import main
from lint_wb.containment import DEEP_THREAD, on_deep_stack
from lint_wb.results import Mode, Overrides
from lint_wb.workers import Workers
from tests.cli_runner import make_runner

BENCH = Path(__file__).resolve().parent.parent / "bench"

HANDED: list[int] = []
"""One entry per job the deep-stack thread ran in this process (`counting_hand_overs`)."""


@pytest.fixture
def counting_hand_overs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the jobs handed to the deep-stack thread, in this process and in workers forked
    while the test runs (they inherit the count, and count on their own)."""
    run = containment._Job.run

    def counted(self: containment._Job[object]) -> None:
        HANDED.append(1)
        run(self)

    HANDED.clear()
    monkeypatch.setattr(containment._Job, "run", counted)
    return HANDED


def _parsed_and_summarised(item: int) -> tuple[int, str, int]:
    """A task as a summary job runs: its parse and its walk each on the deep stack. Returns
    the item, the thread the walk ran on, and the hand-overs of this process so far."""
    on_deep_stack(lambda: None)  # the parse
    return on_deep_stack(lambda: (item, threading.current_thread().name, len(HANDED)))


def test_a_workers_batch_is_handed_to_the_deep_stack_once(counting_hand_overs: list[int]) -> None:
    workers = Workers(1, api._start_worker, (Overrides(isolated=True), Mode(), os.getpid()))
    try:
        before = workers.result(0, workers.send(0, _parsed_and_summarised, [0]))
        batch = workers.result(0, workers.send(0, _parsed_and_summarised, [1, 2, 3, 4]))
    finally:
        workers.shutdown()
    (_, _, handed), _ = before[0]
    seen = [value for value, error in batch if value is not None and error is None]
    assert [item for item, _, _ in seen] == [1, 2, 3, 4]
    assert {thread for _, thread, _ in seen} == {DEEP_THREAD}
    assert {count for _, _, count in seen} == {handed + 1}  # one hand-over for the batch


def test_a_task_the_main_process_runs_among_the_workers_is_handed_over_once(
    counting_hand_overs: list[int],
) -> None:
    on_deep_stack(lambda: None)  # the deep-stack thread is up
    before = len(counting_hand_overs)
    item, thread, handed = api._here(_parsed_and_summarised)(7)
    assert (item, thread) == (7, DEEP_THREAD)
    assert handed == len(counting_hand_overs) == before + 1


@pytest.fixture
def dense_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """120 modules of the dense benchmark tree (`bench/make_corpus.py --kind dense`): every
    one a W&B client with requests, in three packages."""
    monkeypatch.syspath_prepend(str(BENCH))
    from make_corpus import generate

    tree = tmp_path / "dense"
    generate(tree, 120, 100.0, 0.0, seed=3)
    return tree


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
@pytest.mark.parametrize(
    ("output", "marker"),
    [(("--output-format", "json"), '"code": "WB'), (("--diff", "--unsafe-fixes"), "\n+++ ")],
)
def test_two_processes_report_a_dense_tree_byte_for_byte_as_one(
    dense_tree: Path, output: tuple[str, ...], marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--no-cache", "--isolated", *output, str(dense_tree)]
    serial = make_runner().invoke(main, ["--jobs", "1", *args])
    ran: list[int] = []
    run = Workers.run

    def counting(self: Workers, function: Any, items: Any, *rest: Any, **named: Any) -> Any:
        for outcome in run(self, function, items, *rest, **named):
            ran.append(outcome.worker)
            yield outcome

    monkeypatch.setattr(Workers, "run", counting)
    parallel = make_runner().invoke(main, ["--jobs", "2", *args])
    assert 0 in ran, "the worker checked no file"
    assert serial.exit_code == 1 and serial.stdout.count(marker) > 50, serial.output
    assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_the_command_reports_while_its_workers_end(
    dense_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    shutdown, emit, ended = Workers.shutdown, report.Report.emit, workers.ended

    def shutting(self: Workers, *, wait: bool = True) -> None:
        events.append(f"shutdown wait={wait}")
        shutdown(self, wait=wait)

    def emitting(self: report.Report) -> int:
        events.append("report")
        return emit(self)

    def ending() -> None:
        events.append("ended")
        ended()

    monkeypatch.setattr(Workers, "shutdown", shutting)
    monkeypatch.setattr(report.Report, "emit", emitting)
    monkeypatch.setattr(workers, "ended", ending)
    args = ["--jobs", "2", "--no-cache", "--isolated", "--output-format", "json", str(dense_tree)]
    result = make_runner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert events[:3] == ["shutdown wait=False", "report", "ended"]
    assert not multiprocessing.active_children()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores for workers")
def test_a_run_through_the_api_returns_with_its_workers_ended(dense_tree: Path) -> None:
    run = api.check_paths([dense_tree], Overrides(isolated=True), Mode(), jobs=2)
    assert run.findings
    assert not multiprocessing.active_children()
