"""A client built through a subclass of the SDK's client class (`class Bot(OpenAI)`,
`analysis/client_subclasses.py`), in a module read on its own: from stdin, as an editor
sends it, no parse of the project's run is at hand, and the module's first look
(`fact_sources.may_hold_facts`) decides whether it is analysed at all."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lint_wb.cli.main import main
from tests.cli_runner import make_runner
from tests.test_fixtures import expectations

APP = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "client_subclasses"


def test_a_subclass_built_client_is_found_in_a_module_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no project around it
    text = (APP / "app.py").read_text()
    args = ["--no-cache", "--isolated", "--output-format", "concise", "-"]
    result = make_runner().invoke(main, args, input=text)
    assert result.exit_code == 1, result.output
    found: Counter[tuple[int, str]] = Counter()
    for line in result.stdout.splitlines():
        parts = line.split(":")
        if len(parts) > 3 and parts[3].strip().startswith("WB"):
            found[(int(parts[1]), parts[3].split()[0])] += 1
    assert found == expectations(text)
