"""A client rule reports a node once, however often the analysis hands the rule its client.

WB107's shared `**settings` case is a fixture (fixtures/client/shared_key_settings.py). Here
the analysis is made to list every client twice, as two requests list a shared message list:
each client rule must still report each node once (rules.base.ReportsOnce).
"""

from __future__ import annotations

from collections import Counter

import pytest

from lint_wb import lint_source
from lint_wb.analysis import ModuleFacts, analyzer
from lint_wb.config.settings import LintOptions
from lint_wb.rules import ALL_CODES
from lint_wb.spec import load_spec

PORTED = """\
import os

from groq import Groq
from openai import OpenAI

groq = Groq()
reader = OpenAI(base_url="https://api.inference.wandb.ai/v1", api_key=os.environ["GROQ_API_KEY"])
implicit = OpenAI(base_url="https://api.inference.wandb.ai/v1")
"""


@pytest.fixture
def clients_listed_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    analyze = analyzer.analyze

    def twice(*args: object) -> ModuleFacts:
        facts = analyze(*args)  # type: ignore[arg-type]
        facts.clients.extend(list(facts.clients))
        return facts

    monkeypatch.setattr(analyzer, "analyze", twice)  # the engine imports it where used


@pytest.mark.usefixtures("clients_listed_twice")
def test_a_client_listed_twice_is_reported_once() -> None:
    options = LintOptions(enabled=ALL_CODES, assume_wandb=True)
    findings = lint_source(PORTED, "ported.py", options, load_spec()).findings
    places = Counter((f.code, f.location.row, f.location.column) for f in findings)
    assert {code for code, _row, _column in places} >= {"WB107", "WB603"}
    assert [place for place, count in places.items() if count > 1] == []
