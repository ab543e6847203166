"""A cold run over a tree of plain OpenAI code (the openai SDK's own source): most files are
read and skipped, a few kept for a parse; what those few cost besides their own lint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lint_wb import api
from lint_wb.ahead import SummariesAhead
from lint_wb.results import Mode, Overrides

needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores")

KEPT = "# its fine-tuning integration: wandb\nfrom openai import OpenAI\nclient = OpenAI()\n"
"""A file the prefilter keeps (`wandb`) that holds nothing to lint."""
PLAIN = "from openai import OpenAI\nclient = OpenAI()\n"


def write_tree(root: Path, kept: int, plain: int = 20) -> list[Path]:
    """`kept` files to parse among `plain` ones; the kept ones in the run's order."""
    (root / ".git").mkdir()
    for n in range(plain):
        (root / f"plain_{n:02}.py").write_text(PLAIN)
    paths = [root / f"kept_{n:02}.py" for n in range(kept)]
    for path in paths:
        path.write_text(KEPT)
    return paths


def told_ahead(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[Path]]:
    """How many files were kept when `ahead` was made (once per run), and the files it was
    told of, in order."""
    made: list[int] = []
    told: list[Path] = []
    make, screened = api._Run._ahead, SummariesAhead.screened

    def making(self: api._Run) -> SummariesAhead:
        made.append(len(self.kept_before_ahead))
        return make(self)

    def telling(self: SummariesAhead, path: Path, data: bytes) -> None:
        told.append(path)
        screened(self, path, data)

    monkeypatch.setattr(api._Run, "_ahead", making)
    monkeypatch.setattr(SummariesAhead, "screened", telling)
    run = api.check_paths([root], Overrides(isolated=True), Mode(), jobs=2)
    assert not run.internal_error and not run.errors
    return made, told


@needs_two_cores
def test_a_run_that_keeps_too_few_files_for_a_worker_makes_nothing_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summaries ahead and the workers' module are for runs that start workers: fewer files
    kept than a worker takes (`PARALLEL_THRESHOLD`) make no `SummariesAhead`."""
    write_tree(tmp_path, api.PARALLEL_THRESHOLD - 1)
    made, told = told_ahead(tmp_path, monkeypatch)
    assert made == [] and told == []


@needs_two_cores
def test_ahead_is_told_of_every_kept_file_in_order_once_enough_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made at the file that calls for the second process, `ahead` is told of the files
    kept before it, then of the rest, in the screening's order: as if made at the first."""
    kept = write_tree(tmp_path, api.PARALLEL_THRESHOLD + 3)
    made, told = told_ahead(tmp_path, monkeypatch)
    assert made == [api.PARALLEL_THRESHOLD]
    assert told == kept
