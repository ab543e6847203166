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
