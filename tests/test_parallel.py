"""How a run spends its processes: the collector's pace in the run's processes, and work
that reaches a free worker."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lint_wb import api
from lint_wb.collector import YOUNG_OBJECTS
from lint_wb.results import Mode, Overrides
from lint_wb.workers import Workers

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
