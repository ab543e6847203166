"""bench/tools.py, the comparison with other linters, counts what lint-wb's prefilter keeps
with lint-wb's own prefilter (it called an older signature and failed before any timing)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import tools


def test_the_corpus_count_uses_lint_wbs_prefilter() -> None:
    keeps = tools.lint_wb_prefilter()
    assert keeps(b"client = OpenAI(base_url='https://api.inference.wandb.ai/v1')\n")
    assert not keeps(b"from openai import OpenAI\nclient = OpenAI()\n")


def test_the_floor_reads_the_parts_a_runs_account_prints() -> None:
    """bench/floor.py takes start-up, discovery and screening from a run's account: the
    account's own lines, as the command line prints them, give each part."""
    import floor

    from lint_wb.accounting import Phase, RunAccount

    account = RunAccount(started_cpu=0.25)
    account.phases = [Phase("discover", 0.5, 0.12, True), Phase("screen", 1.0, 0.38, True)]
    printed = "\n".join(f"lint-wb: {line}" for line in account.lines())
    assert floor.parts_of(printed) == {"start-up": 0.25, "discover": 0.12, "screen": 0.38}
    parts = {"start-up": 0.5, "discover": 0.5, "screen": 1.0, "engine": 1.0}
    assert floor.floor_wall({**parts, "compile": 0.5, "parse": 1.5}) == 1.0 + 4.0 / 2
