"""Analysis is linear in the size of the code (SPEC §9): a function's returns are read once,
however many call sites reach it."""

from __future__ import annotations

import pytest

import lint_wb.analysis as analysis
from lint_wb.config.settings import LintOptions
from lint_wb.engine import lint_source
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

FACTORY = '''import os
from openai import OpenAI

def get_client():
    return OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["WANDB_API_KEY"])

'''
CALL = 'get_client().chat.completions.create(model="openai/gpt-oss-120b", messages=[], top_k=1)\n'


def test_a_factory_called_from_many_places_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[object] = []
    original = analysis.returned_values

    def counting(function: object) -> object:
        reads.append(function)
        return original(function)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "returned_values", counting)
    text = FACTORY + CALL * 40
    result = lint_source(text, "many.py", LintOptions(ALL_CODES), load_spec())
    assert [finding.code for finding in result.findings].count("WB202") == 40
    assert len(reads) == 1
